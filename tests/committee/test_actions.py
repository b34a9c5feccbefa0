"""engine.committee.actions: the steps the CLI and the app share (database URL, a member's
submission from a priorities file's sliders, order or AHP matrix)."""

from __future__ import annotations

import pytest

from engine.catalog.loading import load_priorities, resolve_priorities
from engine.catalog.schema import PrioritiesFile
from engine.committee.actions import database_url, submission_from_priorities
from engine.committee.analysis import member_payload
from engine.errors import InputError
from tests.conftest import CRITERIA

CRIT = ["monthly_cost", "capability", "compliance"]


def prio(**fields: object) -> PrioritiesFile:
    """The default preset with only these ways of giving weights."""
    base = load_priorities(resolve_priorities(None, CRITERIA)).model_dump(mode="python", by_alias=True)
    base.update({"weights": {}, "weight_order": None, "ahp": None, **fields})
    return PrioritiesFile.model_validate(base, strict=False)


def test_database_url_explicit_then_environment_then_default() -> None:
    env = {"SHORTLIST_DATABASE_URL": "sqlite:///env.db"}
    assert database_url("sqlite:///x.db", env) == "sqlite:///x.db"
    assert database_url(None, env) == "sqlite:///env.db"
    assert database_url(None, {}) == "sqlite:///shortlist-committee.db"
    assert database_url("", {"SHORTLIST_DATABASE_URL": ""}) == "sqlite:///shortlist-committee.db"


def test_sliders_give_the_decisions_criteria_only() -> None:
    p = prio(weights={"monthly_cost": 50, "capability": 40, "compliance": 10, "latency": 99})
    kind, payload = submission_from_priorities(p, CRIT)
    assert kind == "weights"
    assert payload == member_payload(
        "weights", CRIT, weights={"monthly_cost": 50, "capability": 40, "compliance": 10}
    )
    assert payload["derived"] == pytest.approx([0.5, 0.4, 0.1])


def test_sliders_at_zero_on_every_criterion_of_the_decision_are_refused() -> None:
    with pytest.raises(InputError) as exc:
        submission_from_priorities(prio(weights={"latency": 10}), CRIT)
    assert exc.value.issues[0].code == "committee.invalid_submission"


def test_an_order_keeps_the_decisions_criteria_in_turn() -> None:
    p = prio(weight_order="latency > compliance > monthly_cost")
    kind, payload = submission_from_priorities(p, CRIT)
    assert kind == "order" and payload["order"] == ["compliance", "monthly_cost"]
    assert payload == member_payload("order", CRIT, order="compliance > monthly_cost")
    with pytest.raises(InputError) as exc:
        submission_from_priorities(prio(weight_order="latency"), CRIT)
    assert exc.value.issues[0].field == "weight_order"


def test_ahp_gives_the_sub_matrix_of_the_decisions_criteria() -> None:
    names = ["latency", "compliance", "capability", "monthly_cost"]
    m = [
        [1, 2, 3, 4],
        [1 / 2, 1, 3, 5],
        [1 / 3, 1 / 3, 1, 2],
        [1 / 4, 1 / 5, 1 / 2, 1],
    ]
    kind, payload = submission_from_priorities(prio(ahp={"criteria": names, "matrix": m}), CRIT)
    assert kind == "ahp"
    # the decision's order: monthly_cost, capability, compliance
    assert payload["ahp"]["matrix"] == [[1, 1 / 2, 1 / 5], [2, 1, 1 / 3], [5, 3, 1]]
    assert payload["derived"][2] > payload["derived"][1] > payload["derived"][0]


def test_ahp_without_every_criterion_of_the_decision_is_refused() -> None:
    p = prio(ahp={"criteria": ["capability", "compliance"], "matrix": [[1, 3], [1 / 3, 1]]})
    with pytest.raises(InputError) as exc:
        submission_from_priorities(p, CRIT)
    assert exc.value.issues[0].code == "committee.invalid_submission"
    assert "monthly_cost" in exc.value.issues[0].message

"""Weight elicitation (engine/mcda/elicitation.py): rank-order centroid and AHP."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.errors import InputError
from engine.mcda import elicitation as el

IDS = (
    "monthly_cost",
    "response_time",
    "capability",
    "context_window",
    "data_residency",
    "jurisdiction",
    "openness",
    "compliance",
    "transparency",
)

# Saaty (1977, J. Math. Psych. 15(3)) light-intensity experiment: four chairs at
# increasing distance from a light; published λ_max = 4.39, eigenvector ≈ 0.61, 0.24,
# 0.10, 0.05 (the inverse-square law gives 0.61, 0.22, 0.11, 0.06).
SAATY_LIGHT = [[1, 5, 6, 7], [1 / 5, 1, 4, 6], [1 / 6, 1 / 4, 1, 4], [1 / 7, 1 / 6, 1 / 4, 1]]


def issues_of(exc: pytest.ExceptionInfo[InputError]) -> list[tuple[str, str | None, str]]:
    return [(i.code, i.field, i.message) for i in exc.value.issues]


def consistent(w: list[float]) -> list[list[float]]:
    return [[wi / wj for wj in w] for wi in w]


# --- ordering ---------------------------------------------------------------------------


def test_parse_order_is_whitespace_tolerant():
    assert el.parse_order("  monthly_cost>data_residency >   capability ", IDS) == (
        "monthly_cost",
        "data_residency",
        "capability",
    )
    assert el.parse_order("capability", IDS) == ("capability",)


def test_check_order_accepts_list_and_string():
    assert el.check_order(["capability", "monthly_cost"], IDS) == ("capability", "monthly_cost")
    assert el.check_order("capability > monthly_cost", IDS) == ("capability", "monthly_cost")


def test_unknown_criterion_names_it_and_suggests():
    with pytest.raises(InputError) as exc:
        el.parse_order("monthly_costs > capability", IDS, field="priorities.weight_order")
    [(code, field, msg)] = issues_of(exc)
    assert code == "elicitation.unknown_criterion"
    assert field == "priorities.weight_order"
    assert "'monthly_costs'" in msg and "did you mean 'monthly_cost'" in msg
    assert "expected one of monthly_cost, response_time" in msg


def test_repeated_criterion():
    with pytest.raises(InputError) as exc:
        el.parse_order("capability > monthly_cost > capability", IDS)
    [(code, field, msg)] = issues_of(exc)
    assert code == "elicitation.repeated_criterion"
    assert field == "weight_order"
    assert "'capability'" in msg and "positions 1 and 3" in msg and "at most once" in msg


@pytest.mark.parametrize(
    ("text", "expected_words"),
    [
        ("", "found an empty ordering"),
        ("   ", "found an empty ordering"),
        ("capability > > monthly_cost", "'capability' > > 'monthly_cost'"),
        ("> capability", "item 1 of '> capability' is empty"),
        ("capability >", "item 2 of 'capability >' is empty"),
        ("capability = monthly_cost", "ties with '=' are not supported"),
        ("capability >= monthly_cost", "'>' only"),
        ("monthly_cost < capability", "'<' is not supported"),
    ],
)
def test_invalid_order(text: str, expected_words: str):
    with pytest.raises(InputError) as exc:
        el.parse_order(text, IDS)
    codes = {c for c, _, _ in issues_of(exc)}
    assert codes == {"elicitation.invalid_order"}
    messages = " | ".join(m for _, _, m in issues_of(exc))
    assert expected_words in messages
    assert "'>'" in messages  # every message says what is expected


def test_tie_message_names_what_was_found():
    with pytest.raises(InputError) as exc:
        el.parse_order("capability = monthly_cost", IDS)
    [(_, _, msg)] = issues_of(exc)
    assert "found 'capability' = 'monthly_cost'" in msg and "with '>' only" in msg


def test_all_order_problems_are_collected():
    with pytest.raises(InputError) as exc:
        el.parse_order("capabilty = monthly_cost > > monthly_cost", IDS)
    codes = [c for c, _, _ in issues_of(exc)]
    assert codes == [
        "elicitation.invalid_order",
        "elicitation.invalid_order",
        "elicitation.unknown_criterion",
        "elicitation.repeated_criterion",
    ]


def test_check_order_reports_item_paths():
    with pytest.raises(InputError) as exc:
        el.check_order(["capability", "", 3, "capabilty", "capability"], IDS)  # type: ignore[list-item]
    got = [(c, f) for c, f, _ in issues_of(exc)]
    assert got == [
        ("elicitation.invalid_order", "weight_order[1]"),
        ("elicitation.invalid_order", "weight_order[2]"),
        ("elicitation.unknown_criterion", "weight_order[3]"),
        ("elicitation.repeated_criterion", "weight_order[4]"),
    ]
    assert "found 3" in exc.value.issues[1].message
    with pytest.raises(InputError) as exc:
        el.check_order([], IDS)
    assert "found an empty list" in exc.value.issues[0].message


# --- rank-order centroid ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, [1.0]),
        (2, [3 / 4, 1 / 4]),
        (3, [11 / 18, 5 / 18, 2 / 18]),
        (4, [25 / 48, 13 / 48, 7 / 48, 3 / 48]),
    ],
)
def test_roc_closed_form(n: int, expected: list[float]):
    w = el.roc_weights(IDS[:n])
    assert list(w) == list(IDS[:n])
    assert list(w.values()) == pytest.approx(expected, abs=1e-15)


def test_roc_published_three_criteria_values():
    # The values Barron & Barrett (1996) give for n = 3: 0.6111, 0.2778, 0.1111.
    w = el.roc_weights(["a", "b", "c"])
    assert [round(x, 4) for x in w.values()] == [0.6111, 0.2778, 0.1111]


@given(st.integers(min_value=1, max_value=30))
def test_roc_sums_to_one_and_strictly_decreases(n: int):
    w = list(el.roc_weights([f"c{i}" for i in range(n)]).values())
    assert math.fsum(w) == pytest.approx(1.0, abs=1e-12)
    assert all(a > b for a, b in itertools.pairwise(w))


def test_roc_rejects_empty_and_repeats():
    with pytest.raises(ValueError):
        el.roc_weights([])
    with pytest.raises(ValueError):
        el.roc_weights(["a", "a"])


# --- AHP --------------------------------------------------------------------------------


def test_ahp_consistent_matrix_gives_weights_back():
    w = [0.5, 0.3, 0.15, 0.05]
    r = el.ahp_weights(IDS[:4], consistent(w))
    assert list(r.weights) == list(IDS[:4])
    assert list(r.weights.values()) == pytest.approx(w, abs=1e-12)
    assert r.lambda_max == pytest.approx(4.0, abs=1e-9)
    assert r.consistency_index == pytest.approx(0.0, abs=1e-9)
    assert r.random_index == 0.90
    assert r.consistency_ratio == pytest.approx(0.0, abs=1e-9)
    assert r.warning is None


def test_ahp_saaty_light_example():
    r = el.ahp_weights(["chair1", "chair2", "chair3", "chair4"], SAATY_LIGHT)
    assert round(r.lambda_max, 2) == 4.39
    assert list(r.weights.values()) == pytest.approx([0.61, 0.24, 0.10, 0.05], abs=0.01)
    assert r.consistency_index == pytest.approx((r.lambda_max - 4) / 3)
    assert r.consistency_ratio == pytest.approx(r.consistency_index / 0.90)
    # CR ≈ 0.145 > 0.1: the warning says so in plain words and points at the worst pair.
    assert r.warning is not None
    assert r.warning.startswith("AHP consistency ratio 0.14 is above 0.10")
    assert "contradict each other; revise them" in r.warning
    assert "chair1 vs chair4" in r.warning


def test_ahp_matches_pymcdm_oracle():
    from pymcdm.weights.subjective import AHP

    expected = AHP(matrix=np.array(SAATY_LIGHT, dtype=float))()
    r = el.ahp_weights(["a", "b", "c", "d"], SAATY_LIGHT)
    assert list(r.weights.values()) == pytest.approx(list(expected), abs=1e-12)


def test_ahp_textbook_three_by_three_is_acceptable():
    # λ_max = 3.0385, CI = 0.0193, CR = 0.033 < 0.1: no warning.
    r = el.ahp_weights(["a", "b", "c"], [[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]])
    assert list(r.weights.values()) == pytest.approx([0.6370, 0.2583, 0.1047], abs=1e-4)
    assert r.lambda_max == pytest.approx(3.0385, abs=1e-4)
    assert r.consistency_ratio == pytest.approx(0.0332, abs=1e-4)
    assert r.warning is None


def test_ahp_small_matrices_have_zero_cr():
    one = el.ahp_weights(["a"], [[1]])
    assert one.weights == {"a": 1.0} and one.consistency_ratio == 0.0 and one.warning is None
    two = el.ahp_weights(["a", "b"], [[1, 4], [0.25, 1]])
    assert list(two.weights.values()) == pytest.approx([0.8, 0.2])
    assert two.consistency_ratio == 0.0


def test_ahp_result_is_frozen():
    r = el.ahp_weights(["a"], [[1]])
    with pytest.raises(AttributeError):
        r.lambda_max = 2.0  # type: ignore[misc]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(min_value=0.01, max_value=100.0), min_size=2, max_size=9))
def test_ahp_property_consistent_matrix_round_trips(raw: list[float]):
    w = [x / math.fsum(raw) for x in raw]
    r = el.ahp_weights([f"c{i}" for i in range(len(w))], consistent(w))
    assert list(r.weights.values()) == pytest.approx(w, abs=1e-9)
    assert all(x > 0 for x in r.weights.values())
    assert r.consistency_ratio == pytest.approx(0.0, abs=1e-9)
    assert r.warning is None


# --- AHP errors -------------------------------------------------------------------------


def test_ahp_shape_errors():
    with pytest.raises(InputError) as exc:
        el.ahp_weights(["a", "b", "c"], [[1, 2], [0.5, 1]])
    got = issues_of(exc)
    assert [(c, f) for c, f, _ in got] == [
        ("elicitation.ahp_shape", "ahp.matrix"),
        ("elicitation.ahp_shape", "ahp.matrix[0]"),
        ("elicitation.ahp_shape", "ahp.matrix[1]"),
    ]
    assert "expected a 3×3 matrix" in got[0][2] and "found 2 rows" in got[0][2]
    assert "expected 3 entries in row 0" in got[1][2] and "found 2" in got[1][2]
    with pytest.raises(InputError) as exc:
        el.ahp_weights([], [])
    assert issues_of(exc)[0][:2] == ("elicitation.ahp_shape", "ahp.criteria")
    assert "found 0" in issues_of(exc)[0][2]


def test_ahp_non_positive_and_non_finite():
    with pytest.raises(InputError) as exc:
        el.ahp_weights(["a", "b"], [[1, 0], [math.inf, 1]], field="weights.ahp")
    got = issues_of(exc)
    assert [(c, f) for c, f, _ in got] == [
        ("elicitation.ahp_non_positive", "weights.ahp.matrix[0][1]"),
        ("elicitation.ahp_non_positive", "weights.ahp.matrix[1][0]"),
    ]
    assert "expected a positive finite number, found a[0][1] = 0" in got[0][2]
    assert "found a[1][0] = inf" in got[1][2]


def test_ahp_diagonal():
    with pytest.raises(InputError) as exc:
        el.ahp_weights(["a", "b"], [[1, 2], [0.5, 2]])
    [(code, field, msg)] = issues_of(exc)
    assert (code, field) == ("elicitation.ahp_diagonal", "ahp.matrix[1][1]")
    assert "expected 1 on the diagonal" in msg and "found a[1][1] = 2" in msg


def test_ahp_not_reciprocal_reported_once_per_pair():
    with pytest.raises(InputError) as exc:
        el.ahp_weights(["a", "b", "c"], [[1, 3, 2], [0.5, 1, 1], [0.5, 1, 1]])
    [(code, field, msg)] = issues_of(exc)
    assert (code, field) == ("elicitation.ahp_not_reciprocal", "ahp.matrix[1][0]")
    assert msg == "a[0][1] = 3 but a[1][0] = 0.5; expected a[1][0] = 1/3 (≈ 0.3333)"


def test_ahp_reciprocal_tolerance_accepts_rounded_input():
    r = el.ahp_weights(["a", "b"], [[1, 3], [0.33, 1]])  # 1/3 as YAML users write it
    assert r.weights["a"] == pytest.approx(0.75, abs=0.002)
    with pytest.raises(InputError):
        el.ahp_weights(["a", "b"], [[1, 3], [0.3, 1]])  # 10% off: a contradiction, not rounding


def test_ahp_unknown_and_repeated_criteria():
    with pytest.raises(InputError) as exc:
        el.ahp_weights(["capabilty", "capability", "capability"], consistent([1, 1, 1]), criteria_ids=IDS)
    got = issues_of(exc)
    assert [(c, f) for c, f, _ in got] == [
        ("elicitation.unknown_criterion", "ahp.criteria[0]"),
        ("elicitation.repeated_criterion", "ahp.criteria[2]"),
    ]
    assert "did you mean 'capability'" in got[0][2]


# --- AHP from named judgements ----------------------------------------------------------


def test_ahp_from_judgements_equals_matrix_form():
    crit = ["monthly_cost", "capability", "data_residency"]
    r = el.ahp_from_judgements(
        {"monthly_cost/capability": 3, "data_residency/monthly_cost": 1 / 5, "capability/data_residency": 3},
        crit,
        criteria_ids=IDS,
    )
    m = el.ahp_weights(crit, [[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]])
    assert r == m


def test_ahp_from_judgements_errors():
    with pytest.raises(InputError) as exc:
        el.ahp_from_judgements({"a/b": 3, "b/a": 0.5, "a/x": 2, "a/a": 1, "b/c": -1}, ["a", "b", "c"])
    got = issues_of(exc)
    assert [(c, f) for c, f, _ in got] == [
        ("elicitation.ahp_not_reciprocal", "ahp.judgements.b/a"),
        ("elicitation.ahp_bad_key", "ahp.judgements.a/x"),
        ("elicitation.ahp_bad_key", "ahp.judgements.a/a"),
        ("elicitation.ahp_non_positive", "ahp.judgements.b/c"),
        ("elicitation.ahp_missing_pair", "ahp.judgements"),
    ]
    assert "'b/a' = 0.5 but 'a/b' = 3; expected 'b/a' = 1/3" in got[0][2]
    assert "'x' is not listed" in got[1][2]
    assert "found -1" in got[3][2]
    assert "missing judgement 'a/c'" in got[4][2]

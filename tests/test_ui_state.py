"""ui.state: widget values ↔ priorities ↔ URL query parameters (no Streamlit)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import engine
import engine.mcda.matrix
from engine.catalog.schema import CERTIFICATION_IDS
from tests.conftest import CRITERIA, PRESETS
from ui import state

IDS = engine.load_criteria(CRITERIA).ids()
PRESET_FILES = {p.stem: engine.load_priorities(p) for p in PRESETS}
REGIONS = state.known_regions()


def decode(params: dict[str, str]) -> tuple[dict, list[str]]:
    return state.decode_query(
        params,
        PRESET_FILES,
        IDS,
        default_preset="regulated-eu-bank",
        currencies=["EUR", "USD", "GBP"],
        regions=REGIONS,
    )


@pytest.mark.parametrize("stem", sorted(PRESET_FILES))
def test_a_preset_state_gives_back_the_preset_ranking(stem, bundled, criteria):
    preset = PRESET_FILES[stem]
    pr = state.priorities_from_state(state.preset_state(preset, IDS, stem), preset, IDS)
    assert engine.to_csv(engine.rank(bundled, criteria, pr)) == engine.to_csv(
        engine.rank(bundled, criteria, preset)
    )


@pytest.mark.parametrize("stem", sorted(PRESET_FILES))
def test_encode_then_decode_is_the_identity(stem):
    s = state.preset_state(PRESET_FILES[stem], IDS, stem)
    back, problems = decode(state.encode_query(s, PRESET_FILES[stem], IDS))
    assert problems == []
    assert back == s


@settings(max_examples=60, deadline=None)
@given(
    weights=st.lists(st.integers(0, 100), min_size=len(IDS), max_size=len(IDS)),
    in_m=st.floats(0, 1e6, allow_nan=False),
    budget=st.floats(0, 1e9, allow_nan=False),
    wanted=st.lists(st.sampled_from(CERTIFICATION_IDS), unique=True),
    must_open=st.booleans(),
    mode=st.sampled_from(state.MODES),
    order=st.permutations(IDS),
    k=st.integers(0, len(IDS)),
    judgements=st.lists(st.integers(-8, 8), min_size=36, max_size=36),
)
def test_any_widget_state_survives_the_url(
    weights, in_m, budget, wanted, must_open, mode, order, k, judgements
):
    preset = PRESET_FILES["regulated-eu-bank"]
    s = state.preset_state(preset, IDS, "regulated-eu-bank")
    s.update({f"w_{c}": w for c, w in zip(IDS, weights, strict=True)})
    s.update(in_m=in_m, budget=budget, wanted=wanted, must_open=must_open, mode=mode)
    s.update(order=list(order[:k]), ahp_criteria=list(order[:k]))
    for (a, b), j in zip(state.ahp_pairs(order[:k], IDS), judgements, strict=False):
        s[state.pair_key(a, b)] = j
    back, problems = decode(state.encode_query(s, preset, IDS))
    assert problems == []
    pr_a = state.priorities_from_state(s, preset, IDS)
    pr_b = state.priorities_from_state(back, preset, IDS)
    assert pr_a == pr_b


def test_bad_parameters_are_explained_and_skipped():
    s, problems = decode(
        {
            "preset": "nope",
            "w_capability": "-1",
            "w_compliance": "33",
            "in_m": "nan",
            "currency": "XXX",
            "wanted": "iso27001,iso27001",
            "req": "no-such-rule",
            "must_open": "yes",
            "ahp_criteria": "capability,monthly_cost",
            "ahp": "monthly_cost:capability:12,capability:openness:1",
            "samples": "0",
            "allowed": "EU,Mars",
        }
    )
    bank = state.preset_state(PRESET_FILES["regulated-eu-bank"], IDS, "regulated-eu-bank")
    text = "\n".join(problems)
    for key in ("preset 'nope'", "w_capability", "in_m", "currency", "wanted", "req", "must_open", "samples"):
        assert key in text
    assert "allowed='EU,Mars'" in text and "unknown: Mars" in text
    assert text.count("ahp=") == 2  # an out-of-scale judgement, a pair not compared
    assert s["preset"] == "regulated-eu-bank"
    assert s["w_compliance"] == 33  # the valid ones apply
    for key in ("w_capability", "in_m", "currency", "wanted", "must_open", "samples", "allowed"):
        assert s[key] == bank[key]


def test_saaty_scale_round_trips():
    for j in range(-8, 9):
        assert state.saaty_judgement(state.saaty_ratio(j)) == j
    assert state.saaty_ratio(2) == 3.0 and state.saaty_ratio(-2) == pytest.approx(1 / 3)
    assert state.saaty_judgement(0.33) == -2  # a preset's 0.33 stands for 1/3
    assert state.judgement_label(-2, "Cost", "Capability") == "Capability 3×"


def test_order_and_ahp_modes_become_weight_order_and_ahp(bundled, criteria):
    preset = PRESET_FILES["regulated-eu-bank"]
    s = state.preset_state(preset, IDS, "regulated-eu-bank")
    s.update(mode="order", order=["capability", "monthly_cost"])
    pr = state.priorities_from_state(s, preset, IDS)
    assert pr.weight_order == "capability > monthly_cost" and not pr.weights
    w, _ = engine.elicited_weights(pr, IDS)
    assert w["capability"] == pytest.approx(0.75) and w["monthly_cost"] == pytest.approx(0.25)
    s.update(mode="ahp", ahp_criteria=["capability", "monthly_cost"], **{"ahp_monthly_cost__capability": -4})
    pr = state.priorities_from_state(s, preset, IDS)
    w, _ = engine.elicited_weights(pr, IDS)
    assert w["capability"] == pytest.approx(5 / 6) and w["monthly_cost"] == pytest.approx(1 / 6)
    # an ordering not yet given falls back to the sliders
    s.update(mode="order", order=[])
    assert state.priorities_from_state(s, preset, IDS).weights["compliance"] == 25


@pytest.mark.parametrize("stem", sorted(PRESET_FILES))
@pytest.mark.parametrize("currency", ["JPY", "GBP", "EUR", "USD"])
def test_another_currency_changes_the_units_not_the_ranking(stem, currency, bundled, criteria):
    preset = PRESET_FILES[stem]
    s = state.preset_state(preset, IDS, stem)
    same = engine.rank(bundled, criteria, state.priorities_from_state(s, preset, IDS, criteria))
    other = engine.rank(
        bundled, criteria, state.priorities_from_state({**s, "currency": currency}, preset, IDS, criteria)
    )
    assert other.currency == currency
    assert [(r.offering_id, r.status) for r in other.rows] == [(r.offering_id, r.status) for r in same.rows]
    for a, b in zip(other.rows, same.rows, strict=True):
        assert (a.score is None and b.score is None) or a.score == pytest.approx(b.score, abs=1e-9)
    if currency != preset.workload.currency:
        f = engine.mcda.matrix.convert(1.0, preset.workload.currency, currency, criteria.fx)
        for a, b in zip(other.ranked, same.ranked, strict=True):
            cost_a, cost_b = a.cells["monthly_cost"].value, b.cells["monthly_cost"].value
            if isinstance(cost_b, float):
                assert cost_a == pytest.approx(cost_b * f, rel=1e-9)


def test_unknown_repeated_and_odd_parameters_are_named():
    _, problems = decode(
        {"foo": "bar", "w_foo": "1", "w_capability": "٣", "must_certs": "iso99999", "compare": "a,b"},
    )
    text = "\n".join(problems)
    assert "unknown parameters foo, w_foo ignored" in text  # counted, never "(s)"
    assert "w_capability='٣'" in text  # not read as 3
    assert "unknown: iso99999" in text
    _, problems = state.decode_query(
        {"w_capability": "90"},
        PRESET_FILES,
        IDS,
        default_preset="regulated-eu-bank",
        currencies=["EUR"],
        regions=REGIONS,
        repeated=["w_capability"],
    )
    assert problems == ["given more than once: w_capability (the last value is used)"]


def test_a_pair_given_the_other_way_round_is_the_same_judgement():
    params = {"mode": "ahp", "ahp_criteria": "capability,compliance"}
    a, pa = decode({**params, "ahp": "capability:compliance:3"})
    b, pb = decode({**params, "ahp": "compliance:capability:-3"})
    assert pa == pb == [] and a == b and a["ahp_capability__compliance"] == 3


def test_page_selections_round_trip():
    sel = {
        "p_compare": ["x", "y"],
        "p_wwit": "z",
        "p_policy": "eu-regulated",
        "p_policy_today": dt.date(2027, 1, 5),
        "p_evidence": "scaleway-genapi-mistral-medium-3.5",
        "p_rfi": "operator-scaleway",
    }
    back, problems = state.decode_pages(state.encode_pages(sel))
    assert problems == [] and back == sel
    _, problems = state.decode_pages({"policy_date": "tomorrow"})
    assert problems == ["policy_date='tomorrow' is not a date YYYY-MM-DD; today is used"]


@pytest.mark.parametrize("param", ["evidence", "rfi"])
def test_an_evidence_page_value_with_an_invisible_character_is_not_used(param):
    for raw, named in (("a\u200bb", "U+200B ZERO WIDTH SPACE at position 2"), ("x\u202ey", "RIGHT-TO-LEFT")):
        back, problems = state.decode_pages({param: raw, "compare": "a,b"})
        assert back == {"p_compare": ["a", "b"]}  # the rest of the link applies
        assert len(problems) == 1 and problems[0].startswith(f"{param}=") and named in problems[0]
        assert problems[0].endswith("it is not used")
    # any other text is kept as it is: the page checks it against the offerings it lists
    back, problems = state.decode_pages(
        {param: "[x](http://e)<img>", "rfi" if param == "evidence" else "evidence": ""}
    )
    assert problems == [] and back[state.PAGE_PARAMS[param]] == "[x](http://e)<img>"

"""Gate, score, rank (engine/mcda/scoring.py, engine/mcda/matrix.py, engine/mcda/requirements.py)."""

from __future__ import annotations

import datetime as dt
import math

import pytest

import engine
from engine.mcda.scoring import normalise_weights
from tests.conftest import CRITERIA, offering_yaml, priorities, vendor_yaml


@pytest.fixture
def small(write_vendors):
    offs = (
        offering_yaml("cheap", inp=0.1, out=0.2, capability=20, regions="[US]", op_hq="US")
        + offering_yaml("smart", inp=5, out=20, capability=60, regions="[EU]")
        + offering_yaml("mid", inp=1, out=2, capability=40, regions="[EU, US]")
    )
    return engine.load_catalog([write_vendors({"acme.yaml": vendor_yaml(offerings=offs)})])


def test_weights_decide_the_leader(small, criteria):
    cost = engine.rank(small, criteria, priorities(weights={"monthly_cost": 1}))
    cap = engine.rank(small, criteria, priorities(weights={"capability": 1}))
    assert cost.ranked[0].offering_id == "cheap"
    assert cap.ranked[0].offering_id == "smart"


def test_score_is_sum_of_contributions_and_hand_computed(small, criteria):
    r = engine.rank(small, criteria, priorities(weights={"capability": 3, "monthly_cost": 1}))
    row = r.row("mid")
    assert row.score == pytest.approx(sum(c.contribution for c in row.cells.values()))
    # capability 40 on anchors 10..65 -> 30/55; cost: 100M in x 1 + 20M out x 2 = 140 USD, log 100000..10
    u_cap = 30 / 55
    u_cost = (math.log10(140) - 5) / (1 - 5)
    assert row.score == pytest.approx(100 * (0.75 * u_cap + 0.25 * u_cost))


def test_weights_are_normalised_and_the_output_says_so(small, criteria):
    r = engine.rank(small, criteria, priorities(weights={"capability": 2, "monthly_cost": 2}))
    assert sum(r.weights.values()) == pytest.approx(1.0)
    assert any("normalised" in n for n in r.notes)


@pytest.mark.parametrize(
    ("weights", "code", "text"),
    [
        ({"capability": -1}, "priorities.invalid_weight", "≥ 0"),
        ({"capability": 0, "monthly_cost": 0}, "priorities.invalid_weight", "all weights are zero"),
        ({"capabilty": 1}, "priorities.unknown_criterion", "did you mean 'capability'"),
    ],
)
def test_bad_weights(small, criteria, weights, code, text):
    with pytest.raises(engine.InputError) as exc:
        engine.rank(small, criteria, priorities(), weights=weights)
    assert exc.value.issues[0].code == code and text in exc.value.issues[0].message


def test_negative_weight_in_a_priorities_file_is_a_schema_error():
    with pytest.raises(Exception) as exc:
        priorities(weights={"capability": -1})
    assert "greater than or equal to 0" in str(exc.value)


def test_must_have_excludes_with_reason(small, criteria):
    req = [
        {
            "id": "eu",
            "field": "processing_regions",
            "op": "within",
            "value": ["EU"],
            "message": "EU processing",
        }
    ]
    r = engine.rank(small, criteria, priorities(requirements=req))
    assert [x.offering_id for x in r.excluded] == ["cheap"]
    assert "EU processing" in r.excluded[0].reasons[0]
    assert r.excluded[0].rank is None and r.excluded[0].score is None
    assert r.rows[-1].status == "excluded"


def test_unknown_fails_gate_unless_allowed(write_vendors, criteria):
    cat = engine.load_catalog(
        [write_vendors({"acme.yaml": vendor_yaml(offerings=offering_yaml("x", open_weights=None))})]
    )
    req = {"id": "ow", "field": "open_weights", "op": "equals", "value": True}
    r = engine.rank(cat, criteria, priorities(requirements=[req]))
    assert r.excluded and "unknown" in r.excluded[0].reasons[0]
    r = engine.rank(cat, criteria, priorities(requirements=[{**req, "allow_unknown": True}]))
    assert r.ranked[0].requirements[0].outcome == "unknown"


def test_malformed_requirement_is_an_input_error(small, criteria):
    with pytest.raises(engine.InputError) as exc:
        engine.rank(
            small,
            criteria,
            priorities(requirements=[{"id": "x", "field": "regions", "op": "within", "value": ["EU"]}]),
        )
    assert "processing_regions" in exc.value.issues[0].message


def test_constant_criterion_gives_finite_scores_and_a_note(write_vendors, criteria):
    offs = offering_yaml("a", capability=40) + offering_yaml("b", capability=40)
    cat = engine.load_catalog([write_vendors({"acme.yaml": vendor_yaml(offerings=offs)})])
    r = engine.rank(cat, criteria, priorities(weights={"capability": 1}))
    assert all(math.isfinite(x.score) for x in r.ranked)
    assert [x.rank for x in r.ranked] == [1, 1]
    assert [x.offering_id for x in r.ranked] == ["a", "b"]
    assert any("constant" in n for n in r.notes)


def test_free_offering_is_best_on_cost(write_vendors, criteria):
    offs = offering_yaml("free", inp=0, out=0) + offering_yaml("paid", inp=1, out=1)
    cat = engine.load_catalog([write_vendors({"acme.yaml": vendor_yaml(offerings=offs)})])
    r = engine.rank(cat, criteria, priorities(weights={"monthly_cost": 1}))
    assert r.ranked[0].offering_id == "free"
    assert r.row("free").cells["monthly_cost"].utility == 1.0 and r.row("free").score == 100.0


def test_missing_value_worst_is_flagged(write_vendors, criteria):
    offs = offering_yaml("known", capability=30) + offering_yaml("unknown", capability=None)
    cat = engine.load_catalog([write_vendors({"acme.yaml": vendor_yaml(offerings=offs)})])
    r = engine.rank(cat, criteria, priorities(weights={"capability": 1}))
    cell = r.row("unknown").cells["capability"]
    assert cell.imputed and cell.utility == 0.0 and cell.value is None
    assert any("imputed worst" in x for x in r.row("unknown").reasons)


def test_missing_policy_exclude_and_fail(write_vendors, criteria):
    offs = offering_yaml("known", capability=30) + offering_yaml("unknown", capability=None)
    cat = engine.load_catalog([write_vendors({"acme.yaml": vendor_yaml(offerings=offs)})])
    cap = criteria.get("capability")
    for policy in ("exclude", "fail"):
        crit = engine.CriteriaCatalog(
            tuple(
                c if c.id != "capability" else cap.model_copy(update={"missing": policy})
                for c in criteria.criteria
            ),
            criteria.fx,
            criteria.files,
        )
        if policy == "exclude":
            r = engine.rank(cat, crit, priorities(weights={"capability": 1}))
            assert [x.offering_id for x in r.excluded] == ["unknown"]
        else:
            with pytest.raises(engine.InputError) as exc:
                engine.rank(cat, crit, priorities(weights={"capability": 1}))
            assert exc.value.issues[0].code == "data.missing_value"


def test_currency_conversion_uses_the_rate_table(small, criteria):
    usd = engine.rank(small, criteria, priorities())
    eur = engine.rank(
        small,
        criteria,
        priorities(
            workload={"input_tokens_per_month": 1e8, "output_tokens_per_month": 2e7, "currency": "EUR"}
        ),
    )
    rate = criteria.fx.rates["USD"]
    assert eur.row("mid").cells["monthly_cost"].value == pytest.approx(
        usd.row("mid").cells["monthly_cost"].value / rate
    )


def test_price_schedule_takes_the_price_in_force(write_vendors, criteria):
    off = offering_yaml("g", inp=2, out=10).replace(
        "currency: USD}",
        "currency: USD, schedule: [{from: 2026-12-01, input_per_mtok: 4, output_per_mtok: 20}]}",
    )
    cat = engine.load_catalog([write_vendors({"acme.yaml": vendor_yaml(offerings=off)})])
    before = engine.rank(cat, criteria, priorities(), on_date=dt.date(2026, 11, 30))
    after = engine.rank(cat, criteria, priorities(), on_date=dt.date(2026, 12, 1))
    assert after.row("g").cells["monthly_cost"].value == pytest.approx(
        2 * before.row("g").cells["monthly_cost"].value
    )


def test_price_adjustments_discount_and_fixed_fee(write_vendors, criteria):
    offs = offering_yaml("api", inp=1, out=2) + offering_yaml(
        "self", inp=None, out=None, deployment="self-hosted", regions="[BUYER]", op_hq="BUYER"
    )
    cat = engine.load_catalog([write_vendors({"acme.yaml": vendor_yaml(offerings=offs)})])
    base = engine.rank(cat, criteria, priorities())
    assert base.row("self").cells["monthly_cost"].value is None
    adj = {"api": {"discount_pct": 50}, "self": {"monthly_fixed": 1000, "currency": "EUR"}}
    r = engine.rank(cat, criteria, priorities(price_adjustments=adj))
    assert r.row("api").cells["monthly_cost"].value == pytest.approx(
        base.row("api").cells["monthly_cost"].value / 2
    )
    assert r.row("self").cells["monthly_cost"].value == pytest.approx(1000 * criteria.fx.rates["USD"])


def test_capability_on_another_metric_is_unknown(write_vendors, criteria):
    off = offering_yaml("x").replace("Intelligence Index v4.3", "Intelligence Index v4.1")
    cat = engine.load_catalog([write_vendors({"acme.yaml": vendor_yaml(offerings=off)})])
    cell = engine.rank(cat, criteria, priorities()).row("x").cells["capability"]
    assert cell.value is None and "not comparable" in (cell.note or "")


def test_normalise_weights_fills_missing_criteria_with_zero():
    w, notes = normalise_weights({"a": 1.0}, ("a", "b"))
    assert w == {"a": 1.0, "b": 0.0} and notes == []


def test_deterministic_digest(small, criteria):
    a = engine.rank(small, criteria, priorities())
    b = engine.rank(small, criteria, priorities())
    assert a.inputs_digest == b.inputs_digest and len(a.inputs_digest) == 64
    c = engine.rank(small, criteria, priorities(), weights={"capability": 5, "monthly_cost": 1})
    assert c.inputs_digest != a.inputs_digest


def test_unknown_headquarters_and_regions_in_a_ranking(write_vendors, criteria):
    """An offering without headquarters or processing regions: the residency and
    jurisdiction criteria impute worst (flagged), a must-have on them is unknown and
    excludes it unless ``allow_unknown``."""
    off = (
        "  - id: u\n    model: U\n    channel: Acme API\n    operator: {name: Acme}\n"
        "    deployment: api\n    prices: {input_per_mtok: 1, output_per_mtok: 2, currency: USD}\n"
        "    as_of: 2026-11-01\n    sources: [s]\n"
    )
    text = vendor_yaml(offerings=off + offering_yaml("k")).replace("headquarters: FR\n", "", 1)
    cat = engine.load_catalog([write_vendors({"acme.yaml": text})])
    assert not cat.issues
    w = {"monthly_cost": 1, "data_residency": 1, "jurisdiction": 1}
    r = engine.rank(cat, criteria, priorities(weights=w))
    row = r.row("u")
    assert row.status == "ranked"
    for c in ("data_residency", "jurisdiction"):
        assert row.cells[c].imputed and row.cells[c].utility == 0.0 and row.cells[c].value is None
    assert any("data_residency unknown, imputed worst" in x for x in row.reasons)
    assert r.row("k").cells["jurisdiction"].value is None  # its developer's headquarters is unknown too
    req = {"id": "eu", "field": "processing_regions", "op": "within", "value": ["EU"]}
    r = engine.rank(cat, criteria, priorities(weights=w, requirements=[req]))
    assert r.row("u").status == "excluded" and "not known" in r.row("u").reasons[0]
    assert r.row("k").status == "ranked"
    r = engine.rank(cat, criteria, priorities(weights=w, requirements=[{**req, "allow_unknown": True}]))
    assert r.row("u").status == "ranked" and r.row("u").requirements[0].outcome == "unknown"


def test_in_currency_changes_the_units_not_the_ranking(bundled, criteria):
    from engine.mcda.matrix import convert

    preset = engine.load_priorities(CRITERIA / "presets" / "cost-first-startup.yaml")
    assert engine.in_currency(preset, criteria, preset.workload.currency) is preset
    jpy = engine.in_currency(preset, criteria, "JPY")
    assert jpy.workload.currency == "JPY"
    budget = next(r for r in jpy.requirements if r.field == "monthly_cost")
    assert budget.value == pytest.approx(convert(20000.0, "USD", "JPY", criteria.fx))
    assert "JPY at the rate of" in (budget.message or "")
    a, b = engine.rank(bundled, criteria, preset), engine.rank(bundled, criteria, jpy)
    assert [(r.offering_id, r.status, r.rank) for r in a.rows] == [
        (r.offering_id, r.status, r.rank) for r in b.rows
    ]
    with pytest.raises(engine.InputError) as exc:
        engine.in_currency(preset, criteria, "XXX")
    assert exc.value.issues[0].code == "fx.unknown_currency"

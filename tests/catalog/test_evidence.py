"""Evidence grades, per-block provenance and the kinds of dated fact (engine.catalog.evidence).

The profiles here are invented test fixtures (vendor ``acme``), not vendor data.
"""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from pydantic import ValidationError

from engine.catalog.evidence import (
    DEFAULT_MAX_AGE_DAYS,
    KINDS,
    certification_status,
    facts,
    grade_at_least,
    max_ages,
)
from engine.catalog.loading import _resolve, load_vendor_bytes
from engine.catalog.schema import GRADES, VendorFile

PROFILE = """\
schema_version: 1
id: acme
name: Acme
headquarters: FR
as_of: 2026-11-01
evidence: primary
sources: [https://acme.example/about]
gpai_code_of_practice:
  status: partial_signatory
  as_of: 2025-08-01
  evidence: primary
  sources: [https://digital-strategy.ec.europa.eu/example]
certifications:
  as_of: 2026-05-01
  evidence: aggregator
  sources: [https://aggregator.example/acme]
  items:
    iso27001: {status: certified}
    c5: {status: certified, as_of: 2026-03-01, evidence: primary, sources: [https://bsi.example/c5]}
    soc2_type2: {status: none_found}
offerings:
  - id: acme-x
    model: X
    channel: Acme API
    operator: {name: Acme, headquarters: FR}
    deployment: api
    processing_regions: [FR]
    residency: {as_of: 2026-02-01, evidence: primary, sources: [https://acme.example/regions]}
    prices:
      input_per_mtok: 1
      output_per_mtok: 2
      currency: EUR
      as_of: 2026-10-01
      evidence: primary
      sources: [https://acme.example/pricing]
    zero_data_retention: {status: available}
    as_of: 2026-11-01
    evidence: aggregator
    sources: [pypi:some-dataset==1.0]
"""


def _ro():
    v, loaded = load_vendor_bytes(PROFILE.encode(), "acme.yaml")
    return _resolve(v, loaded)[0]


def test_grades_and_kinds_are_documented_in_order():
    assert GRADES == ("primary", "independent", "vendor-declared", "secondary", "aggregator")
    assert set(DEFAULT_MAX_AGE_DAYS) == set(KINDS)
    assert DEFAULT_MAX_AGE_DAYS["prices"] < DEFAULT_MAX_AGE_DAYS["certifications"]
    assert grade_at_least("primary", "secondary") and not grade_at_least("aggregator", "secondary")
    assert not grade_at_least("ungraded", "aggregator")


def test_each_fact_has_its_own_date_grade_and_sources():
    by = {f.field: f for f in facts(_ro())}
    assert by["prices"].as_of == dt.date(2026, 10, 1) and by["prices"].grade == "primary"
    assert by["residency"].as_of == dt.date(2026, 2, 1) and not by["residency"].inherited
    # retention gives no provenance of its own: the offering's, and says so
    ret = by["zero_data_retention"]
    assert ret.inherited and ret.as_of == dt.date(2026, 11, 1) and ret.grade == "aggregator"
    # a certification item with its own provenance is judged on its own
    assert by["vendor.certifications.c5"].grade == "primary"
    assert by["vendor.certifications.c5"].as_of == dt.date(2026, 3, 1)
    assert by["vendor.certifications.iso27001"].grade == "aggregator"
    assert by["vendor.certifications.iso27001"].as_of == dt.date(2026, 5, 1)
    assert by["vendor.gpai_code_of_practice"].kind == "gpai"
    assert {f.kind for f in facts(_ro())} <= set(KINDS)


def test_certified_on_aggregator_evidence_alone_counts_as_claimed():
    ro = _ro()
    assert ro.certification_statuses == {"iso27001": "claimed", "c5": "certified", "soc2_type2": "none_found"}
    block = ro.certifications
    assert certification_status(block, block.items["c5"]) == "certified"


@pytest.mark.parametrize(
    "where, block",
    [
        ("prices", "prices: {input_per_mtok: 1, output_per_mtok: 1, currency: EUR, evidence: primary}"),
        (
            "zero_data_retention",
            "zero_data_retention: {status: available, evidence: primary, as_of: 2026-01-01}",
        ),
        ("openness", "openness: {open_weights: true, evidence: primary, sources: [https://a.example]}"),
        ("latency", "latency: {ttft_s: 1, evidence: independent}"),
    ],
)
def test_a_graded_block_names_its_own_sources_and_date(where, block):
    text = PROFILE.replace(
        "    as_of: 2026-11-01\n    evidence: aggregator",
        f"    {block}\n    as_of: 2026-11-01\n    evidence: aggregator",
    )
    data = yaml.safe_load(text)
    data["offerings"][0].pop("prices", None) if where != "prices" else None
    with pytest.raises(ValidationError) as exc:
        VendorFile.model_validate(data)
    assert "is graded, so give its own" in str(exc.value)


@pytest.mark.parametrize("grade", ["Primary", "official", "vendor_declared", "", "primary "])
def test_unknown_grades_are_refused(grade):
    data = yaml.safe_load(PROFILE)
    data["evidence"] = grade
    with pytest.raises(ValidationError):
        VendorFile.model_validate(data)


def test_max_ages_layer_over_the_defaults():
    m = max_ages({"prices": 30}, None, {"latency": 10})
    assert m["prices"] == 30 and m["latency"] == 10 and m["gpai"] == DEFAULT_MAX_AGE_DAYS["gpai"]


def test_the_bundled_criteria_catalog_states_every_max_age():
    from engine.catalog.bundled import bundled_root
    from engine.catalog.loading import load_criteria

    crit = load_criteria(bundled_root() / "criteria")
    assert set(crit.max_age_days) == set(KINDS)


def test_ages_and_criterion_facts():
    from engine.catalog.evidence import ages, criterion_facts, weakest

    ro = _ro()
    day = dt.date(2026, 12, 4)
    by = {a.fact.field: a for a in ages(ro, day, {"prices": 30})}
    assert by["prices"].days == 64 and by["prices"].limit == 30 and by["prices"].stale
    assert not by["residency"].stale and by["residency"].limit == DEFAULT_MAX_AGE_DAYS["residency"]
    early = {a.fact.field: a for a in ages(ro, dt.date(2026, 1, 1), {})}
    assert early["prices"].future and not early["prices"].stale
    comp = criterion_facts(ro, "compliance", ("iso27001", "c5"))
    assert {f.field for f in comp} == {"vendor.certifications.iso27001", "vendor.certifications.c5"}
    assert weakest(list(comp)).field == "vendor.certifications.iso27001"
    assert [f.kind for f in criterion_facts(ro, "monthly_cost")] == ["prices"]
    assert criterion_facts(ro, "no_such_criterion") == ()


def test_a_residency_block_without_regions_is_none_found_not_unknown():
    """Looked up (where, when) and no region stated: reports say *none found*, and a
    region must-have fails (it cannot be shown), as a certification found nowhere does;
    never unknown as if nobody had looked."""
    from engine.catalog.coverage import catalog_report
    from engine.catalog.loading import Catalog
    from engine.catalog.schema import RequirementSpec
    from engine.mcda.requirements import evaluate

    text = PROFILE.replace("    processing_regions: [FR]\n", "")
    v, loaded = load_vendor_bytes(text.encode(), "acme.yaml")
    ro = _resolve(v, loaded)[0]
    assert any(f.kind == "residency" and not f.inherited for f in facts(ro))
    spec = RequirementSpec(id="eu", field="processing_regions", op="within", value=("EU",))
    res = evaluate(spec, ro, {}, dt.date(2026, 12, 4))
    assert (
        res.outcome == "fail"
        and "none found in the residency block's 1 source (dated 2026-02-01)" in res.reason
    )
    report = catalog_report(Catalog((ro,), (v,), (), (), {}), dt.date(2026, 12, 4), {})
    (regions,) = [f for f in report.fields if f.field == "processing_regions"]
    assert (regions.known, regions.none_found, regions.unknown) == (0, 1, 0)
    # without the block: unknown, not looked up
    bare = text.replace(
        "    residency: {as_of: 2026-02-01, evidence: primary, sources: [https://acme.example/regions]}\n", ""
    )
    v, loaded = load_vendor_bytes(bare.encode(), "acme.yaml")
    res = evaluate(spec, _resolve(v, loaded)[0], {}, dt.date(2026, 12, 4))
    assert res.outcome == "unknown" and "not known" in res.reason


def test_a_block_with_its_own_sources_is_graded_on_them_alone():
    """The offering's grade describes the offering's sources: a block that names its own
    sources but no grade is ungraded, never laundered up to the offering's grade."""
    text = PROFILE.replace(
        "    zero_data_retention: {status: available}\n",
        "    zero_data_retention: {status: available, as_of: 2026-10-01, sources: [https://blog.example/x]}\n",
    ).replace(
        "    as_of: 2026-11-01\n    evidence: aggregator", "    as_of: 2026-11-01\n    evidence: primary"
    )
    v, loaded = load_vendor_bytes(text.encode(), "acme.yaml")
    by = {f.field: f for f in facts(_resolve(v, loaded)[0])}
    assert by["zero_data_retention"].grade == "ungraded"
    assert by["offering"].grade == "primary"


@pytest.mark.parametrize("where", ["vendor", "offering"])
def test_none_found_names_where_it_was_looked_up(where):
    """``none_found`` is a search that found nothing: without the sources searched (the
    block's or the item's) it is refused, naming the item."""
    data = yaml.safe_load(PROFILE)
    block = {"items": {"iso42001": {"status": "none_found"}}}
    if where == "vendor":
        data["certifications"] = block
    else:
        data["offerings"][0]["certifications"] = block
    with pytest.raises(ValidationError) as exc:
        VendorFile.model_validate(data)
    assert "none_found means looked up and not found" in str(exc.value) and "iso42001" in str(exc.value)
    block["sources"] = ["https://acme.example/trust"]
    block["as_of"] = "2026-11-01"
    VendorFile.model_validate(yaml.safe_load(yaml.safe_dump(data)))


def test_min_grade_on_compliance_judges_the_wanted_certifications_only():
    from engine.catalog.schema import RequirementSpec
    from engine.mcda.matrix import Performance
    from engine.mcda.requirements import evaluate

    ro = _ro()
    spec = RequirementSpec(id="c", field="compliance", op="min", value=0.0, min_grade="primary")
    perf = {"compliance": Performance(1.0)}
    day = dt.date(2026, 12, 4)
    assert evaluate(spec, ro, perf, day, None, ("c5",)).outcome == "pass"  # c5 rests on a register
    res = evaluate(spec, ro, perf, day, None, ("c5", "iso27001"))  # iso27001 on an aggregator
    assert res.outcome == "unknown" and "aggregator" in res.reason

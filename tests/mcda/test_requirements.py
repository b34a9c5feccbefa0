"""Must-haves (engine/mcda/requirements.py): every field and operator, and bad specs."""

from __future__ import annotations

import pytest

import engine
from engine.catalog.schema import RequirementSpec
from engine.mcda.requirements import check_requirements, evaluate
from tests.conftest import offering_yaml, priorities, vendor_yaml

CERTS = "certifications:\n  as_of: 2026-11-01\n  sources: [https://example.org/trust]\n  items:\n    iso27001: {status: certified}\n    soc2_type2: {status: claimed}\n    iso42001: {status: none_found}\n"


@pytest.fixture(scope="module")
def ro():
    off = offering_yaml("x", regions="[GLOBAL, US, EU]", op_hq="US", open_weights="true", licence="MIT")
    cat = engine.load_catalog(
        [], extra=[("acme.yaml", vendor_yaml(offerings=off, hq="FR", extra=CERTS).encode())]
    )
    return cat.get("x")


def outcome(ro, crit=None, **spec):
    req = RequirementSpec.model_validate({"id": "r", **spec})
    assert not check_requirements([req])
    perf = {}
    if crit is not None:
        ctx = engine.Context(
            priorities(), crit.fx, priorities().on_date, "Artificial Analysis Intelligence Index v4.3"
        )
        perf = {c: engine.performance(c, ro, ctx) for c in crit.ids()}
    return evaluate(req, ro, perf).outcome


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ({"field": "processing_regions", "op": "within", "value": ["EU"]}, "pass"),
        ({"field": "processing_regions", "op": "within", "value": ["CN"]}, "fail"),
        ({"field": "processing_regions", "op": "subset_of", "value": ["EU"]}, "fail"),
        ({"field": "processing_regions", "op": "subset_of", "value": ["GLOBAL"]}, "pass"),
        ({"field": "developer_hq", "op": "in", "value": ["EU"]}, "pass"),
        ({"field": "developer_hq", "op": "not_in", "value": ["EU"]}, "fail"),
        ({"field": "operator_hq", "op": "in", "value": ["EU", "EEA"]}, "fail"),
        ({"field": "deployment", "op": "in", "value": ["api"]}, "pass"),
        ({"field": "open_weights", "op": "equals", "value": True}, "pass"),
        ({"field": "licence", "op": "in", "value": ["Apache-2.0"]}, "fail"),
        ({"field": "certifications", "op": "includes_all", "value": ["iso27001", "soc2_type2"]}, "pass"),
        (
            {
                "field": "certifications",
                "op": "includes_all",
                "value": ["soc2_type2"],
                "min_evidence": "certified",
            },
            "fail",
        ),
        ({"field": "certifications", "op": "includes_all", "value": ["iso42001"]}, "fail"),
        ({"field": "certifications", "op": "includes_all", "value": ["c5"]}, "unknown"),
        ({"field": "gpai_code_of_practice", "op": "equals", "value": "signatory"}, "unknown"),
        ({"field": "zero_data_retention", "op": "in", "value": ["available"]}, "unknown"),
    ],
)
def test_fields_and_operators(ro, spec, expected):
    assert outcome(ro, **spec) == expected


def test_criterion_min_max(ro, criteria):
    assert outcome(ro, criteria, field="capability", op="min", value=30) == "pass"
    assert outcome(ro, criteria, field="capability", op="min", value=50) == "fail"
    assert outcome(ro, criteria, field="monthly_cost", op="max", value=1) == "fail"
    assert outcome(ro, criteria, field="response_time", op="max", value=10) == "unknown"


@pytest.mark.parametrize(
    ("spec", "code"),
    [
        ({"field": "regions", "op": "within", "value": ["EU"]}, "priorities.unknown_field"),
        ({"field": "processing_regions", "op": "min", "value": 3}, "priorities.unknown_operator"),
        ({"field": "capability", "op": "min", "value": "high"}, "priorities.invalid_value"),
        ({"field": "certifications", "op": "includes_all", "value": ["iso9001"]}, "priorities.invalid_value"),
        ({"field": "deployment", "op": "in", "value": []}, "priorities.invalid_value"),
    ],
)
def test_malformed_requirements(spec, code):
    (issue,) = check_requirements([RequirementSpec.model_validate({"id": "r", **spec})])
    assert issue.code == code and issue.field and issue.field.startswith("requirements[0]")


def test_unknown_operator_name_is_a_schema_error():
    with pytest.raises(Exception) as exc:
        RequirementSpec.model_validate({"id": "r", "field": "deployment", "op": "contains", "value": ["api"]})
    assert "within" in str(exc.value)


@pytest.fixture(scope="module")
def ro_unknown():
    """An offering whose developer and operator headquarters and regions are not known."""
    off = (
        "  - id: u\n    model: U\n    channel: Acme API\n    operator: {name: Acme}\n"
        "    deployment: api\n    as_of: 2026-11-01\n    sources: [s]\n"
    )
    text = vendor_yaml(offerings=off).replace("headquarters: FR\n", "", 1)
    cat = engine.load_catalog([], extra=[("acme.yaml", text.encode())])
    assert not cat.issues
    return cat.get("u")


@pytest.mark.parametrize(
    "spec",
    [
        {"field": "processing_regions", "op": "within", "value": ["EU"]},
        {"field": "processing_regions", "op": "subset_of", "value": ["GLOBAL"]},
        {"field": "developer_hq", "op": "in", "value": ["EU"]},
        {"field": "developer_hq", "op": "not_in", "value": ["CN"]},
        {"field": "operator_hq", "op": "in", "value": ["EU"]},
        {"field": "operator_hq", "op": "not_in", "value": ["US"]},
    ],
)
def test_unknown_facts_give_unknown(ro_unknown, spec):
    """A fact the profile leaves out is unknown for every operator (in and not_in alike)."""
    req = RequirementSpec.model_validate({"id": "r", **spec})
    res = evaluate(req, ro_unknown, {})
    assert res.outcome == "unknown"
    assert res.blocks(False) and not res.blocks(True)
    assert "not known" in res.reason

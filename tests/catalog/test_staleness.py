"""Stale facts per kind (engine.catalog.staleness), ``<kind>.as_of`` rules and ``min_grade``
(engine.mcda.requirements), and the stale flags of a ranking (engine.mcda.scoring).

Every profile here is an invented test fixture (vendor ``acme``), not vendor data.
"""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

import engine
from engine.catalog.evidence import DEFAULT_MAX_AGE_DAYS, KINDS
from engine.catalog.loading import _resolve, load_vendor_bytes
from engine.catalog.schema import PrioritiesFile, RequirementSpec
from engine.catalog.staleness import flagged, limits, stale_flags, stale_label
from engine.mcda.requirements import AGE_FIELDS, check_requirements, evaluate
from tests.conftest import priorities

DAY = dt.date(2026, 12, 4)

# invented test data: dates and grades chosen to exercise each rule
PROFILE = """\
schema_version: 1
id: acme
name: Acme
headquarters: FR
as_of: 2026-11-01
evidence: primary
sources: [https://acme.example/about]
gpai_code_of_practice:
  status: signatory
  as_of: 2026-01-10
  evidence: secondary
  sources: [https://press.example/acme-gpai]
certifications:
  as_of: 2026-05-01
  evidence: primary
  sources: [https://trust.acme.example]
  items:
    iso27001: {status: certified}
    c5: {status: certified, as_of: 2025-06-01, evidence: aggregator, sources: [https://agg.example/c5]}
offerings:
  - id: acme-x
    model: X
    channel: Acme API
    operator: {name: Acme, headquarters: FR}
    deployment: api
    processing_regions: [FR]
    residency: {as_of: 2026-10-01, evidence: aggregator, sources: [https://agg.example/regions]}
    prices:
      input_per_mtok: 1
      output_per_mtok: 2
      currency: EUR
      as_of: 2026-07-01
      evidence: primary
      sources: [https://acme.example/pricing]
    latency: {ttft_s: 0.5}
    as_of: 2026-03-01
    evidence: primary
    sources: [https://acme.example/models]
"""


def _ro(text: str = PROFILE):
    v, loaded = load_vendor_bytes(text.encode(), "acme.yaml")
    return _resolve(v, loaded)[0]


def _by_field(ages):
    return {a.fact.field: a for a in ages}


# ------------------------------------------------------------------ limits


def test_limits_layer_catalog_then_priorities_and_the_old_alias():
    assert limits(None) == dict(DEFAULT_MAX_AGE_DAYS)
    assert limits({"prices": 30})["prices"] == 30
    pr = priorities(max_age_days={"prices": 60, "gpai": 10})
    got = limits({"prices": 30, "latency": 5}, pr)
    assert (got["prices"], got["gpai"], got["latency"]) == (60, 10, 5)
    # stale_after_days written in the file is the profile limit; its default is not
    assert limits(None, priorities(stale_after_days=30))["profile"] == 30
    assert limits({"profile": 200}, priorities())["profile"] == 200
    # both, agreeing, are fine; set(KINDS) is always complete
    both = limits(None, priorities(stale_after_days=30, max_age_days={"profile": 30}))
    assert both["profile"] == 30 and set(both) == set(KINDS)


@pytest.mark.parametrize(
    ("alias", "own"),
    [(30, 31), (365, 1), (1, 36500)],
)
def test_stale_after_days_and_max_age_days_profile_may_not_disagree(alias, own):
    with pytest.raises(
        ValidationError, match=r"max_age_days\n.*stale_after_days .* old name of max_age_days.profile"
    ):
        priorities(stale_after_days=alias, max_age_days={"profile": own})


@pytest.mark.parametrize(
    "bad",
    [{"prices": 0}, {"prices": -5}, {"prices": 36501}, {"price": 90}, {"prices": "90"}, {"prices": 9.5}],
)
def test_max_age_days_in_priorities_is_checked(bad):
    with pytest.raises(ValidationError):
        priorities(max_age_days=bad)


# ------------------------------------------------------------------ flags


def test_each_stale_block_is_flagged_by_name_date_age_and_limit():
    flags = stale_flags(_ro(), DAY, limits(None))
    assert "stale data: prices 2026-07-01 is 156 days old (limit 90 days for prices)" in flags
    assert (
        "stale data: vendor.certifications.c5 2025-06-01 is 551 days old (limit 365 days for certifications)"
    ) in flags
    assert (
        "stale data: vendor.gpai_code_of_practice 2026-01-10 is 328 days old (limit 180 days for gpai)"
        in flags
    )
    # latency has no date: the offering's, judged against latency's limit, and said so
    assert (
        "stale data: latency 2026-03-01 (undated: the offering's as_of) is 278 days old "
        "(limit 120 days for latency)"
    ) in flags
    # within their limits: the profile (278 < 365), residency (64 days), iso27001 (block date, 217 days)
    assert not any(f.startswith(("stale data: offering profile", "stale data: residency")) for f in flags)
    assert not any("iso27001" in f for f in flags)
    assert len(flags) == 4


def test_limits_change_what_is_flagged():
    ro = _ro()
    assert not any("prices" in f for f in stale_flags(ro, DAY, limits({"prices": 200})))
    tight = stale_flags(ro, DAY, limits(None, priorities(max_age_days={"residency": 30, "profile": 100})))
    assert "stale data: residency 2026-10-01 is 64 days old (limit 30 days for residency)" in tight
    assert "stale data: offering profile 2026-03-01 is 278 days old (limit 100 days for profile)" in tight
    # on the day itself nothing is old; a fact exactly at its limit is not stale
    assert stale_flags(ro, dt.date(2026, 11, 1), limits({k: 36500 for k in KINDS})) == []
    at_limit = limits({"prices": 156})
    assert not any("prices" in f for f in stale_flags(ro, DAY, at_limit))


def test_a_date_after_the_ranking_date_keeps_its_flag_once():
    # on 2026-06-01 the prices (07-01), residency (10-01), the vendor (11-01) are in the future
    day = dt.date(2026, 6, 1)
    flags = stale_flags(_ro(), day, limits(None))
    future = [f for f in flags if f.startswith("data dated after the ranking date:")]
    assert "data dated after the ranking date: prices.as_of 2026-07-01 is 30 days after 2026-06-01" in future
    assert (
        "data dated after the ranking date: residency.as_of 2026-10-01 is 122 days after 2026-06-01" in future
    )
    assert "data dated after the ranking date: vendor.as_of 2026-11-01 is 153 days after 2026-06-01" in future
    assert len(future) == 3  # not the latency block, undated (its date is the offering's, not future)
    labels = [stale_label(a) for a in flagged(_ro(), day, limits(None))]
    assert "prices 2026-07-01: 30 days after the date" in labels


def test_an_inherited_future_date_is_flagged_where_it_is_written():
    text = PROFILE.replace("    as_of: 2026-03-01\n", "    as_of: 2027-01-01\n")
    flags = stale_flags(_ro(text), DAY, limits(None))
    future = [f for f in flags if f.startswith("data dated after")]
    assert future == ["data dated after the ranking date: as_of 2027-01-01 is 28 days after 2026-12-04"]


# ------------------------------------------------------------------ <kind>.as_of rules


def _rule(**kw):
    return RequirementSpec.model_validate({"id": "r", **kw})


def test_every_kind_has_an_age_field():
    assert set(AGE_FIELDS.values()) == set(KINDS)
    assert (
        "prices.as_of" in AGE_FIELDS and "gpai.as_of" in AGE_FIELDS and "certifications.as_of" in AGE_FIELDS
    )


@pytest.mark.parametrize(
    ("field", "days", "outcome", "text"),
    [
        ("prices.as_of", 90, "fail", "prices 2026-07-01 is 156 days old (over the 90-day limit)"),
        ("prices.as_of", 156, "pass", "prices 2026-07-01 is 156 days old (within the 156-day limit)"),
        ("certifications.as_of", 365, "fail", "certifications.c5 2025-06-01 is 551 days old"),
        ("gpai.as_of", 365, "pass", "vendor.gpai_code_of_practice 2026-01-10 is 328 days old"),
        ("latency.as_of", 120, "fail", "latency 2026-03-01 (undated: the offering's as_of) is 278 days old"),
        ("residency.as_of", 30, "fail", "residency 2026-10-01 is 64 days old"),
        ("profile.as_of", 365, "pass", "offering profile 2026-03-01 is 278 days old"),
    ],
)
def test_kind_age_rules(field, days, outcome, text):
    res = evaluate(_rule(field=field, op="max_age_days", value=days), _ro(), {}, DAY)
    assert res.outcome == outcome and text in res.reason, res.reason


@pytest.mark.parametrize(
    "field", ["capability.as_of", "transparency.as_of", "retention.as_of", "openness.as_of"]
)
def test_kind_age_rule_on_an_absent_fact_is_unknown(field):
    res = evaluate(_rule(field=field, op="max_age_days", value=365), _ro(), {}, DAY)
    assert res.outcome == "unknown" and "no " in res.reason and "fact is known" in res.reason


def test_kind_age_rule_fails_a_date_after_the_day():
    res = evaluate(_rule(field="prices.as_of", op="max_age_days", value=90), _ro(), {}, dt.date(2026, 6, 1))
    assert (
        res.outcome == "fail" and "data dated after the ranking date: prices.as_of 2026-07-01" in res.reason
    )


@pytest.mark.parametrize(
    ("field", "op", "value", "code"),
    [
        ("prices.as_of", "max", 90, "priorities.unknown_operator"),
        ("prices.as_of", "max_age_days", -1, "priorities.invalid_value"),
        ("prices.as_of", "max_age_days", True, "priorities.invalid_value"),
        ("prices.as_of", "max_age_days", 36501, "priorities.invalid_value"),
        ("price.as_of", "max_age_days", 90, "priorities.unknown_field"),
        ("PRICES.as_of", "max_age_days", 90, "priorities.unknown_field"),
    ],
)
def test_kind_age_rules_are_checked(field, op, value, code):
    issues = check_requirements([RequirementSpec(id="r", field=field, op=op, value=value)])
    assert [i.code for i in issues] == [code]


@pytest.mark.parametrize("field", ["prices.as_of\n", "prices.as_of\u200b", "\u202eprices.as_of"])
def test_kind_age_field_with_invisible_characters_is_refused(field):
    with pytest.raises(ValidationError, match=r"U\+"):
        RequirementSpec(id="r", field=field, op="max_age_days", value=90)


# ------------------------------------------------------------------ min_grade


@pytest.mark.parametrize(
    ("rule", "outcome", "text"),
    [
        # residency rests on aggregator evidence: too weak for primary, enough for aggregator
        (
            {"field": "processing_regions", "op": "within", "value": ["EU"], "min_grade": "primary"},
            "unknown",
            "residency (processing regions) rests on aggregator evidence; primary or stronger required",
        ),
        (
            {"field": "processing_regions", "op": "within", "value": ["EU"], "min_grade": "aggregator"},
            "pass",
            "",
        ),
        # a weak fact that would fail is unknown too: weak evidence decides neither way
        (
            {"field": "processing_regions", "op": "within", "value": ["US"], "min_grade": "secondary"},
            "unknown",
            "aggregator evidence; secondary or stronger required",
        ),
        # certifications: only the named items count (iso27001 primary by its block; c5 aggregator)
        (
            {"field": "certifications", "op": "includes_all", "value": ["iso27001"], "min_grade": "primary"},
            "pass",
            "",
        ),
        (
            {
                "field": "certifications",
                "op": "includes_all",
                "value": ["iso27001", "c5"],
                "min_grade": "primary",
            },
            "unknown",
            "vendor.certifications.c5 rests on aggregator evidence; primary or stronger required",
        ),
        (
            {
                "field": "gpai_code_of_practice",
                "op": "equals",
                "value": "signatory",
                "min_grade": "independent",
            },
            "unknown",
            "vendor.gpai_code_of_practice rests on secondary evidence; independent or stronger required",
        ),
        (
            {
                "field": "gpai_code_of_practice",
                "op": "equals",
                "value": "signatory",
                "min_grade": "secondary",
            },
            "pass",
            "",
        ),
        ({"field": "developer_hq", "op": "in", "value": ["EU"], "min_grade": "primary"}, "pass", ""),
        (
            {"field": "prices.as_of", "op": "max_age_days", "value": 365, "min_grade": "primary"},
            "pass",
            "",
        ),
    ],
)
def test_min_grade(rule, outcome, text):
    res = evaluate(_rule(**rule), _ro(), {}, DAY)
    assert res.outcome == outcome, res.reason
    assert text in res.reason


def test_min_grade_on_an_ungraded_fact_and_on_an_unknown_one():
    ungraded = PROFILE.replace(
        "    residency: {as_of: 2026-10-01, evidence: aggregator, sources: [https://agg.example/regions]}\n",
        "",
    ).replace(
        "    evidence: primary\n    sources: [https://acme.example/models]",
        "    sources: [https://acme.example/models]",
    )
    res = evaluate(
        _rule(field="processing_regions", op="within", value=["EU"], min_grade="vendor-declared"),
        _ro(ungraded),
        {},
        DAY,
    )
    assert (
        res.outcome == "unknown"
        and "records no evidence grade; vendor-declared or stronger required" in res.reason
    )
    # an unknown outcome keeps its own reason (nothing to grade)
    res = evaluate(
        _rule(field="zero_data_retention", op="in", value=["available"], min_grade="primary"), _ro(), {}, DAY
    )
    assert res.outcome == "unknown" and "not known" in res.reason


@pytest.mark.parametrize("bad", ["Primary", "primary ", "strong", "", 1, None.__class__.__name__])
def test_min_grade_must_be_a_grade(bad):
    with pytest.raises(ValidationError):
        _rule(field="processing_regions", op="within", value=["EU"], min_grade=bad)


# ------------------------------------------------------------------ a ranking


def test_a_ranking_flags_each_stale_block_and_carries_its_limits(write_vendors, criteria):
    d = write_vendors({"acme.yaml": PROFILE})
    cat = engine.load_catalog([d], currencies=criteria.currencies())
    pr = PrioritiesFile.model_validate(
        {
            **priorities().model_dump(mode="json", exclude_none=True),
            "on_date": DAY.isoformat(),
            "max_age_days": {"gpai": 400},
        }
    )
    ranking = engine.rank(cat, criteria, pr)
    row = ranking.row("acme-x")
    assert "stale data: prices 2026-07-01 is 156 days old (limit 90 days for prices)" in row.reasons
    assert not any("gpai" in r for r in row.reasons)  # the priorities' 400 days
    assert ranking.max_age_days["gpai"] == 400 and ranking.max_age_days["prices"] == 90
    assert [a.fact.field for a in row.stale] == ["prices", "vendor.certifications.c5", "latency"]
    # the limits are part of the inputs digest: the same data under other limits is another ranking
    other = engine.rank(cat, criteria, pr.model_copy(update={"max_age_days": {"gpai": 401}}))
    assert other.inputs_digest != ranking.inputs_digest


def test_a_saved_priorities_file_keeps_the_catalogs_profile_limit(tmp_path):
    from engine.catalog.loading import load_priorities
    from engine.reports.export import priorities_yaml

    for pr in (priorities(), priorities(max_age_days={"profile": 200, "prices": 30})):
        f = tmp_path / "p.yaml"
        f.write_text(priorities_yaml(pr), encoding="utf-8")
        back = load_priorities(f)
        assert back == pr and back.stale_after_days is None
        assert limits({"profile": 123}, back)["profile"] == pr.max_age_days.get("profile", 123)
    old = priorities(stale_after_days=100)
    f.write_text(priorities_yaml(old), encoding="utf-8")
    assert limits(None, load_priorities(f))["profile"] == 100


def test_the_apps_priorities_keep_a_presets_per_kind_limits():
    from ui.state import preset_state, priorities_from_state

    preset = priorities(max_age_days={"profile": 200, "prices": 30})
    ids = ("monthly_cost", "response_time", "capability", "context_window", "data_residency")
    ids += ("jurisdiction", "openness", "compliance", "transparency")
    built = priorities_from_state(preset_state(preset, ids, "test"), preset, ids)
    assert limits(None, built)["profile"] == 200 and limits(None, built)["prices"] == 30


def test_a_must_have_with_min_grade_excludes_on_weak_evidence_unless_unknown_is_allowed(
    write_vendors, criteria
):
    d = write_vendors({"acme.yaml": PROFILE})
    cat = engine.load_catalog([d], currencies=criteria.currencies())
    rule = {
        "id": "eu",
        "field": "processing_regions",
        "op": "within",
        "value": ["EU"],
        "min_grade": "primary",
    }
    row = engine.rank(cat, criteria, priorities(requirements=[rule], on_date=DAY.isoformat())).row("acme-x")
    assert row.status == "excluded"
    assert any("aggregator evidence; primary or stronger required" in r for r in row.reasons), row.reasons
    (res,) = row.requirements
    assert res.outcome == "unknown"
    allowed = engine.rank(
        cat, criteria, priorities(requirements=[{**rule, "allow_unknown": True}], on_date=DAY.isoformat())
    )
    assert allowed.row("acme-x").status == "ranked"
    weak_enough = engine.rank(
        cat, criteria, priorities(requirements=[{**rule, "min_grade": "aggregator"}], on_date=DAY.isoformat())
    )
    assert weak_enough.row("acme-x").status == "ranked"


def test_check_reports_future_dates_among_stale_data(write_vendors, criteria):
    from engine.policy.rules import check_policy
    from engine.reports.policy_output import policy_dict, policy_text

    d = write_vendors({"acme.yaml": PROFILE})
    cat = engine.load_catalog([d], currencies=criteria.currencies())
    policy = engine.catalog.schema.PolicyFile.model_validate({"schema_version": 1, "name": "p", "rules": []})
    report = check_policy(policy, cat, criteria, today=dt.date(2026, 6, 1))
    doc = policy_dict(report)
    future = [s for s in doc["stale"] if s["future"]]
    assert {s["field"] for s in future} == {"prices", "residency", "vendor"}
    assert all(
        s["age_days"] < 0 and s["flag"].startswith("data dated after the ranking date") for s in future
    )
    assert "prices 2026-07-01: 30 days after the date" in policy_text(report)

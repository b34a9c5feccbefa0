"""Policy as code (engine/policy/rules.py): rules, scope, waivers that fail closed, findings
with the file and line of the offending value.

Every check is judged on a fixed date (``TODAY``): nothing here depends on the clock.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import engine
from engine.catalog.loading import load_policy_doc
from engine.catalog.schema import PolicyFile
from engine.policy.rules import SEVERITIES, Check, PolicyReport, WaiverState, check_policy, validate_policy
from tests.conftest import CRITERIA, VENDORS, offering_yaml, priorities, vendor_yaml

TODAY = dt.date(2026, 11, 29)
BUNDLED_POLICY = CRITERIA / "policies" / "eu-regulated.yaml"
BANK = CRITERIA / "presets" / "regulated-eu-bank.yaml"

# ----------------------------------------------------------------------- helpers

ACME_EXTRA = textwrap.dedent(
    """\
    gpai_code_of_practice: {status: signatory}
    certifications:
      items:
        iso27001: {status: claimed}
    """
)
OWN_CERTS = "    certifications:\n      items:\n        iso27001: {status: certified}\n"


def small_files() -> dict[str, str]:
    """Two vendors, three offerings with contrasting facts.

    ========== ======= ===== ============ ========= ============= ======= =========
    offering   regions dev   operator     deploy    iso27001      as_of   cost/cap
    ========== ======= ===== ============ ========= ============= ======= =========
    acme-eu    EU      FR    FR           api       claimed (v)   2026-11 140 / 40
    acme-us    US      FR    US           cloud     certified (o) 2025-06 140 / 30
    globex-mix EU, US  US    US           api       (none)        2026-11 1400 / 40
    ========== ======= ===== ============ ========= ============= ======= =========

    (v) from the vendor's certifications block, (o) the offering's own block.
    """
    acme = vendor_yaml(
        "acme",
        offering_yaml("acme-eu", open_weights="true", licence="Apache-2.0")
        + offering_yaml(
            "acme-us", regions="[US]", op_hq="US", deployment="cloud", as_of="2025-06-01", capability=30.0
        )
        + OWN_CERTS,
        extra=ACME_EXTRA,
    )
    globex = vendor_yaml(
        "globex", offering_yaml("globex-mix", regions="[EU, US]", op_hq="US", inp=10.0, out=20.0), hq="US"
    )
    return {"acme.yaml": acme, "globex.yaml": globex}


@pytest.fixture
def small(write_vendors: Callable[..., Path], criteria: engine.CriteriaCatalog) -> engine.Catalog:
    cat = engine.load_catalog([write_vendors(small_files())], currencies=criteria.currencies())
    assert not cat.issues
    assert [o.id for o in cat.offerings] == ["acme-eu", "acme-us", "globex-mix"]
    return cat


def rule(rid: str, field: str, op: str, value: Any, **kw: Any) -> dict[str, Any]:
    return {"id": rid, "field": field, "op": op, "value": value, **kw}


def make_policy(rules: tuple[dict[str, Any], ...] | list[dict[str, Any]] = (), **over: Any) -> PolicyFile:
    data: dict[str, Any] = {"schema_version": 1, "name": "test policy", "rules": list(rules)}
    data.update(over)
    return PolicyFile.model_validate(data)


def waiver(rule_id: str, offering: str, expires: Any = "2027-01-31", **kw: Any) -> dict[str, Any]:
    w = {"rule": rule_id, "offering": offering, "reason": "accepted risk", "approver": "ciso", **kw}
    if expires is not None:
        w["expires"] = expires
    return w


def run(
    pol: PolicyFile, catalog: engine.Catalog, criteria: engine.CriteriaCatalog, **kw: Any
) -> PolicyReport:
    kw.setdefault("today", TODAY)
    return check_policy(pol, catalog, criteria, **kw)


def the(report: PolicyReport, rule_id: str, offering: str | None) -> Check:
    found = [c for c in report.checks if c.rule_id == rule_id and c.offering_id == offering]
    assert len(found) == 1, (rule_id, offering, found)
    return found[0]


def statuses(report: PolicyReport, rule_id: str) -> dict[str | None, str]:
    return {c.offering_id: c.status for c in report.checks if c.rule_id == rule_id}


def codes(report: PolicyReport) -> list[str]:
    return [c.code for c in report.findings]


def line_of(text: str, needle: str, after: str | None = None) -> int:
    """1-based line of the first line containing ``needle`` (after ``after``, if given)."""
    lines = text.splitlines()
    start = 0
    if after is not None:
        start = next(i for i, ln in enumerate(lines) if after in ln)
    return next(i for i in range(start, len(lines)) if needle in lines[i]) + 1


def write_policy(tmp_path: Path, text: str, name: str = "policy.yaml") -> Path:
    p = tmp_path / name
    p.write_text(textwrap.dedent(text), encoding="utf-8")
    return p


# ----------------------------------------------------------------- bundled policy


def test_bundled_policy_passes_on_the_bundled_catalog(bundled, criteria):
    pol, doc = load_policy_doc(BUNDLED_POLICY)
    assert pol.priorities == "regulated-eu-bank"
    report = check_policy(
        pol, bundled, criteria, doc=doc, priorities=engine.load_priorities(BANK), today=TODAY
    )
    assert not report.failing("deny"), report.failing("deny")
    assert report.exit_code() == 0
    assert report.offerings == tuple(sorted(pol.approved))
    # one check per rule x approved offering, plus min-score per approved offering
    assert len(report.checks) == len(pol.rules) * len(pol.approved) + len(pol.approved)
    for r in pol.rules:
        assert set(statuses(report, r.id)) == set(pol.approved)
    assert set(statuses(report, "min-score")) == set(pol.approved)
    assert report.policy_name == "EU regulated AI suppliers"
    assert report.priorities_name == "Regulated EU bank"
    assert report.today == TODAY and report.waivers == ()
    # every rule check points into a vendor file, with a line
    for c in report.checks:
        assert c.file is not None and Path(c.file).parent.name == "vendors" and c.line, c


def test_bundled_policy_is_valid():
    pol, _ = load_policy_doc(BUNDLED_POLICY)
    assert validate_policy(pol) == []
    assert pol.max_waiver_days == 180 and pol.min_score is not None and pol.min_score.severity == "warn"


# ----------------------------------------------------------------------- operators


def test_within_and_subset_of_on_processing_regions(small, criteria):
    report = run(
        make_policy(
            [
                rule("can-eu", "processing_regions", "within", ["EU"]),
                rule("only-eu", "processing_regions", "subset_of", ["EU"]),
            ]
        ),
        small,
        criteria,
    )
    assert statuses(report, "can-eu") == {"acme-eu": "pass", "acme-us": "fail", "globex-mix": "pass"}
    assert statuses(report, "only-eu") == {"acme-eu": "pass", "acme-us": "fail", "globex-mix": "fail"}
    assert "cannot be kept inside EU" in the(report, "can-eu", "acme-us").message
    assert "not all inside EU" in the(report, "only-eu", "globex-mix").message
    assert the(report, "only-eu", "globex-mix").code == "rule.failed"


def test_in_and_not_in(small, criteria):
    report = run(
        make_policy(
            [
                rule("dev-eu", "developer_hq", "in", ["EU"]),
                rule("no-us-operator", "operator_hq", "not_in", ["US"]),
                rule("api-only", "deployment", "in", ["api"]),
            ]
        ),
        small,
        criteria,
    )
    assert statuses(report, "dev-eu") == {"acme-eu": "pass", "acme-us": "pass", "globex-mix": "fail"}
    assert statuses(report, "no-us-operator") == {"acme-eu": "pass", "acme-us": "fail", "globex-mix": "fail"}
    assert statuses(report, "api-only") == {"acme-eu": "pass", "acme-us": "fail", "globex-mix": "pass"}
    assert "developer headquartered in US" in the(report, "dev-eu", "globex-mix").message


@pytest.mark.parametrize(
    ("evidence", "expected"),
    [
        # acme-eu only *claims* ISO 27001 (vendor block); acme-us's own block says certified
        ("certified", {"acme-eu": "fail", "acme-us": "pass", "globex-mix": "fail"}),
        ("claimed", {"acme-eu": "pass", "acme-us": "pass", "globex-mix": "fail"}),
    ],
)
def test_includes_all_with_min_evidence(small, criteria, evidence, expected):
    pol = make_policy([rule("iso", "certifications", "includes_all", ["iso27001"], min_evidence=evidence)])
    report = run(pol, small, criteria)
    assert statuses(report, "iso") == expected
    # globex has no certification data at all: unknown, which fails
    assert the(report, "iso", "globex-mix").code == "rule.unknown"
    if evidence == "certified":
        c = the(report, "iso", "acme-eu")
        assert c.code == "rule.failed" and "lacks iso27001" in c.message and "certified" in c.message


def test_equals(small, criteria):
    report = run(
        make_policy(
            [
                rule("open", "open_weights", "equals", True),
                rule("gpai", "gpai_code_of_practice", "equals", "signatory"),
            ]
        ),
        small,
        criteria,
    )
    assert statuses(report, "open") == {"acme-eu": "pass", "acme-us": "fail", "globex-mix": "fail"}
    assert "open_weights is false" in the(report, "open", "acme-us").message
    assert statuses(report, "gpai") == {"acme-eu": "pass", "acme-us": "pass", "globex-mix": "fail"}
    assert the(report, "gpai", "globex-mix").code == "rule.unknown"


def test_min_and_max_on_criteria_need_priorities(small, criteria):
    pol = make_policy(
        [rule("budget", "monthly_cost", "max", 1000), rule("smart", "capability", "min", 35)],
        priorities="test",
    )
    report = run(pol, small, criteria, priorities=priorities())
    # monthly cost: 1e8 input x 1 + 2e7 output x 2 per Mtok = 140 USD; globex costs 10x
    assert statuses(report, "budget") == {"acme-eu": "pass", "acme-us": "pass", "globex-mix": "fail"}
    assert "exceeds the maximum 1,000" in the(report, "budget", "globex-mix").message
    assert statuses(report, "smart") == {"acme-eu": "pass", "acme-us": "fail", "globex-mix": "pass"}
    assert "below the minimum 35" in the(report, "smart", "acme-us").message
    assert report.priorities_name == "test"


@pytest.mark.parametrize(
    ("today", "acme_eu"),
    [
        (TODAY, "pass"),  # 2026-11-01 is 28 days old
        (dt.date(2026, 12, 1), "pass"),  # 30 days: the limit itself passes
        (dt.date(2026, 12, 2), "fail"),  # 31 days
    ],
)
def test_max_age_days_on_as_of_is_judged_on_today(small, criteria, today, acme_eu):
    report = run(make_policy([rule("fresh", "as_of", "max_age_days", 30)]), small, criteria, today=today)
    assert statuses(report, "fresh") == {"acme-eu": acme_eu, "acme-us": "fail", "globex-mix": acme_eu}
    assert report.today == today
    days = (today - dt.date(2026, 11, 1)).days
    assert f"is {days} days old" in the(report, "fresh", "acme-eu").message


def test_allow_unknown_turns_an_unknown_into_a_pass(small, criteria):
    strict = rule("apache", "licence", "in", ["Apache-2.0"])
    lenient = rule("apache-or-unknown", "licence", "in", ["Apache-2.0"], allow_unknown=True)
    report = run(make_policy([strict, lenient]), small, criteria)
    # acme-us and globex-mix have no licence
    assert statuses(report, "apache") == {"acme-eu": "pass", "acme-us": "fail", "globex-mix": "fail"}
    assert the(report, "apache", "acme-us").code == "rule.unknown"
    assert "not known" in the(report, "apache", "acme-us").message
    assert statuses(report, "apache-or-unknown") == {
        "acme-eu": "pass",
        "acme-us": "pass",
        "globex-mix": "pass",
    }
    assert the(report, "apache-or-unknown", "acme-us").code == "rule.passed"


def test_allow_unknown_on_a_criterion(small, criteria):
    # no offering has latency data: response_time is unknown
    pol = make_policy(
        [
            rule("fast", "response_time", "max", 5),
            rule("fast-or-unknown", "response_time", "max", 5, allow_unknown=True),
        ],
        priorities="test",
    )
    report = run(pol, small, criteria, priorities=priorities())
    assert set(statuses(report, "fast").values()) == {"fail"}
    assert {c.code for c in report.findings} == {"rule.unknown"}
    assert set(statuses(report, "fast-or-unknown").values()) == {"pass"}


# ----------------------------------------------------------------------- severities


def test_severities_and_exit_code(small, criteria):
    pol = make_policy(
        [
            rule("eu", "processing_regions", "within", ["EU"], severity="deny"),
            rule("open", "open_weights", "equals", True, severity="warn"),
        ],
        approved=["acme-eu", "globex-mix"],
    )
    report = run(pol, small, criteria)
    # globex-mix passes 'eu' and fails 'open' (warn); acme-eu passes both
    assert [(c.rule_id, c.offering_id, c.severity) for c in report.findings] == [
        ("open", "globex-mix", "warn")
    ]
    assert report.failing("deny") == ()
    assert report.failing() == ()
    assert [c.rule_id for c in report.failing("warn")] == ["open"]
    assert report.exit_code() == 0 and report.exit_code("deny") == 0
    assert report.exit_code("warn") == 1
    assert SEVERITIES == ("deny", "warn")


def test_deny_finding_fails_at_both_levels(small, criteria):
    pol = make_policy([rule("eu", "processing_regions", "within", ["EU"])])  # severity defaults to deny
    report = run(pol, small, criteria)
    assert [c.offering_id for c in report.failing("deny")] == ["acme-us"]
    assert report.failing("warn") == report.failing("deny")
    assert report.exit_code("deny") == 1 and report.exit_code("warn") == 1
    assert the(report, "eu", "acme-us").severity == "deny"


def test_checks_are_in_rule_order_then_offering_id(small, criteria):
    pol = make_policy(
        [rule("z-last", "deployment", "in", ["api"]), rule("a-first", "developer_hq", "in", ["EU"])]
    )
    report = run(pol, small, criteria)
    assert [(c.rule_id, c.offering_id) for c in report.checks] == [
        ("z-last", "acme-eu"),
        ("z-last", "acme-us"),
        ("z-last", "globex-mix"),
        ("a-first", "acme-eu"),
        ("a-first", "acme-us"),
        ("a-first", "globex-mix"),
    ]


# ----------------------------------------------------------------------- scope


def test_scope_is_the_approved_offerings(small, criteria):
    pol = make_policy(
        [rule("eu", "processing_regions", "within", ["EU"])], approved=["globex-mix", "acme-eu"]
    )
    report = run(pol, small, criteria)
    assert report.offerings == ("acme-eu", "globex-mix")
    assert set(statuses(report, "eu")) == {"acme-eu", "globex-mix"}
    # acme-us would fail, but it is not approved: no finding
    assert report.findings == () and report.exit_code() == 0


def test_without_approved_every_offering_is_in_scope(small, criteria):
    report = run(make_policy([rule("eu", "processing_regions", "within", ["EU"])]), small, criteria)
    assert report.offerings == ("acme-eu", "acme-us", "globex-mix")
    assert [c.offering_id for c in report.findings] == ["acme-us"]


def test_an_offering_approved_twice_is_a_policy_error(small, criteria):
    pol = make_policy([rule("eu", "processing_regions", "within", ["EU"])], approved=["acme-eu", "acme-eu"])
    (issue,) = validate_policy(pol)
    assert (issue.code, issue.field) == ("policy.duplicate_approved", "approved[1]")
    assert "'acme-eu' is approved twice" in issue.message


# --------------------------------------------------------------- invalid policies


def issue_codes(pol: PolicyFile) -> list[str]:
    return [i.code for i in validate_policy(pol)]


def test_unknown_rule_field_suggests_the_right_one(small, criteria):
    pol = make_policy([rule("eu", "procesing_regions", "within", ["EU"])])
    (issue,) = validate_policy(pol)
    assert issue.code == "policy.unknown_field"
    assert issue.field == "rules[0].field"
    assert "did you mean 'processing_regions'" in issue.message
    assert "rule 'eu'" in issue.message
    with pytest.raises(engine.InputError) as exc:
        run(pol, small, criteria)
    assert [i.code for i in exc.value.issues] == ["policy.unknown_field"]


def test_known_operator_on_the_wrong_field(small, criteria):
    pol = make_policy([rule("eu", "processing_regions", "min", 1)])
    (issue,) = validate_policy(pol)
    assert issue.code == "policy.unknown_operator" and issue.field == "rules[0].op"
    assert "'min' does not apply to 'processing_regions'" in issue.message
    assert "within, subset_of" in issue.message
    with pytest.raises(engine.InputError):
        run(pol, small, criteria)


def test_operator_unknown_to_the_schema_is_refused_at_load_time(tmp_path):
    p = write_policy(
        tmp_path,
        """\
        schema_version: 1
        name: bad op
        rules:
          - id: eu
            field: processing_regions
            op: between
            value: [EU]
        """,
    )
    with pytest.raises(engine.InputError) as exc:
        load_policy_doc(p)
    (issue,) = exc.value.issues
    assert issue.code == "schema.invalid"
    assert issue.file == str(p) and issue.line == 6 and issue.field == "rules[0].op"
    assert "'between'" in issue.message and "within" in issue.message


@pytest.mark.parametrize(
    ("spec", "needle"),
    [
        (rule("eu", "processing_regions", "within", ["Europe"]), "'Europe' is not a region"),
        (rule("eu", "processing_regions", "within", []), "non-empty list"),
        (rule("fresh", "as_of", "max_age_days", -1), "whole number of days"),
        (rule("fresh", "as_of", "max_age_days", 1.5), "whole number of days"),
        (rule("open", "open_weights", "equals", "yes"), "true or false"),
        (rule("iso", "certifications", "includes_all", ["iso9001"]), "unknown value 'iso9001'"),
    ],
)
def test_invalid_rule_values(spec, needle):
    (issue,) = validate_policy(make_policy([spec]))
    assert issue.code == "policy.invalid_value" and issue.field == "rules[0].value"
    assert needle in issue.message


def test_duplicate_rule_ids():
    pol = make_policy(
        [rule("eu", "processing_regions", "within", ["EU"]), rule("eu", "developer_hq", "in", ["EU"])]
    )
    (issue,) = validate_policy(pol)
    assert issue.code == "policy.duplicate_rule" and issue.field == "rules[1].id"
    assert "'eu' is used twice" in issue.message


@pytest.mark.parametrize("reserved", ["min-score", "approved-exists", "waivers"])
def test_reserved_rule_ids(reserved):
    (issue,) = validate_policy(make_policy([rule(reserved, "developer_hq", "in", ["EU"])]))
    assert issue.code == "policy.reserved_rule_id" and issue.field == "rules[0].id"
    assert f"{reserved!r} is reserved" in issue.message


@pytest.mark.parametrize(
    "over",
    [
        {"rules": [rule("budget", "monthly_cost", "max", 1000)]},
        {"min_score": {"score": 50}},
    ],
    ids=["criterion-rule", "min-score"],
)
def test_criterion_rule_or_min_score_needs_priorities(small, criteria, over):
    pol = make_policy(**over)
    (issue,) = validate_policy(pol)
    assert issue.code == "policy.needs_priorities" and issue.field == "priorities"
    assert "priorities: <file or preset>" in issue.message
    # naming a priorities file but not passing it to the engine is refused too
    named = make_policy(priorities="test", **over)
    assert validate_policy(named) == []
    with pytest.raises(engine.InputError) as exc:
        run(named, small, criteria)
    assert [i.code for i in exc.value.issues] == ["policy.needs_priorities"]
    # a policy of fact rules only needs none
    assert validate_policy(make_policy([rule("eu", "processing_regions", "within", ["EU"])])) == []


def test_all_problems_of_a_policy_are_reported_together():
    pol = make_policy(
        [
            rule("eu", "procesing_regions", "within", ["EU"]),
            rule("eu", "processing_regions", "max", 3),
            rule("waivers", "developer_hq", "in", ["EU"]),
            rule("budget", "monthly_cost", "max", 10),
        ]
    )
    assert sorted(issue_codes(pol)) == sorted(
        [
            "policy.unknown_field",
            "policy.unknown_operator",
            "policy.duplicate_rule",
            "policy.reserved_rule_id",
            "policy.needs_priorities",
        ]
    )


# ----------------------------------------------------------------------- approved


def test_approved_offering_that_no_longer_exists(tmp_path, small, criteria):
    p = write_policy(
        tmp_path,
        """\
        schema_version: 1
        name: scope
        approved:
          - acme-eu
          - acme-euu
        rules:
          - id: eu
            field: processing_regions
            op: within
            value: [EU]
        """,
    )
    pol, doc = load_policy_doc(p)
    report = run(pol, small, criteria, doc=doc)
    c = the(report, "approved-exists", "acme-euu")
    assert (c.severity, c.status, c.code) == ("deny", "fail", "approved.missing")
    assert c.file == str(p) and c.line == 5 and c.field == "approved[1]"
    assert "'acme-euu' is not in the catalog" in c.message and "did you mean 'acme-eu'" in c.message
    assert report.offerings == ("acme-eu",)
    assert report.exit_code() == 1
    assert report.policy_file == str(p)


# ----------------------------------------------------------------------- waivers


EU_RULE = rule("eu", "processing_regions", "within", ["EU"])


def test_active_waiver_turns_the_failure_into_waived(small, criteria):
    pol = make_policy([EU_RULE], waivers=[waiver("eu", "acme-us", "2027-01-31")])
    report = run(pol, small, criteria)
    c = the(report, "eu", "acme-us")
    assert (c.status, c.code) == ("waived", "rule.waived")
    assert "waived until 2027-01-31 by ciso: accepted risk" in c.message
    assert c not in report.findings and report.findings == ()
    assert report.exit_code("warn") == 0
    (state,) = report.waivers
    assert state == WaiverState(
        "eu", "acme-us", "accepted risk", "ciso", dt.date(2027, 1, 31), "active", 63, None, 0
    )


def test_waiver_of_a_passing_check_changes_nothing(small, criteria):
    pol = make_policy([EU_RULE], waivers=[waiver("eu", "acme-eu")])
    report = run(pol, small, criteria)
    assert the(report, "eu", "acme-eu").status == "pass"
    assert report.waivers[0].status == "active"


def test_waiver_only_waives_its_own_rule_and_offering(small, criteria):
    pol = make_policy(
        [EU_RULE, rule("open", "open_weights", "equals", True)],
        waivers=[waiver("eu", "acme-us")],
    )
    report = run(pol, small, criteria)
    assert the(report, "eu", "acme-us").status == "waived"
    assert the(report, "open", "acme-us").status == "fail"
    assert the(report, "open", "globex-mix").status == "fail"


def test_waiving_min_score(small, criteria):
    pol = make_policy(
        priorities="test",
        min_score={"score": 60},
        waivers=[waiver("min-score", "acme-us")],
    )
    report = run(pol, small, criteria, priorities=priorities())
    # scores under the test priorities: acme-eu ~62.9, acme-us ~53.9, globex-mix ~50.4
    assert statuses(report, "min-score") == {"acme-eu": "pass", "acme-us": "waived", "globex-mix": "fail"}
    assert the(report, "min-score", "acme-us").code == "min_score.waived"
    below = the(report, "min-score", "globex-mix")
    assert below.code == "min_score.below" and below.severity == "deny"
    assert "below the minimum 60" in below.message
    assert the(report, "min-score", "acme-eu").code == "min_score.passed"


def test_min_score_of_an_excluded_offering_fails(small, criteria):
    must = priorities(requirements=[rule("eu", "processing_regions", "within", ["EU"])])
    pol = make_policy(priorities="test", min_score={"score": 10, "severity": "warn"})
    report = run(pol, small, criteria, priorities=must)
    c = the(report, "min-score", "acme-us")
    assert (c.status, c.code, c.severity) == ("fail", "min_score.excluded", "warn")
    assert "excluded under test" in c.message
    assert report.exit_code() == 0 and report.exit_code("warn") == 1


WAIVER_POLICY = """\
schema_version: 1
name: waivers
max_waiver_days: 90
rules:
  - id: eu
    field: processing_regions
    op: within
    value: [EU]
waivers:
  - rule: eu
    offering: acme-us
    reason: contract keeps it in the EU
    approver: ciso
"""


def load_waiver_policy(tmp_path: Path, expires_line: str | None) -> tuple[PolicyFile, Any, Path]:
    text = WAIVER_POLICY + (f"    {expires_line}\n" if expires_line is not None else "")
    p = write_policy(tmp_path, text)
    pol, doc = load_policy_doc(p)
    return pol, doc, p


def test_waiver_without_expiry_fails_closed(tmp_path, small, criteria):
    pol, doc, p = load_waiver_policy(tmp_path, None)
    report = run(pol, small, criteria, doc=doc)
    assert the(report, "eu", "acme-us").status == "fail"  # not waived
    w = the(report, "waivers", "acme-us")
    assert (w.severity, w.status, w.code) == ("deny", "fail", "waiver.invalid_expiry")
    assert "has no expiry" in w.message and "fails closed" in w.message
    assert w.file == str(p) and w.line == 10 and w.field == "waivers[0].expires"
    assert report.waivers[0].status == "invalid" and report.waivers[0].expires is None
    assert sorted(codes(report)) == ["rule.failed", "waiver.invalid_expiry"]


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("expires: 2027-13-01", "'2027-13-01'"),
        ("expires: 2027-02-29", "'2027-02-29'"),
        ("expires: tomorrow", "'tomorrow'"),
        ("expires: 20270101", "20270101"),
        ("expires: 2027-1-5", "'2027-1-5'"),
        ("expires: 2027-01-05T00:00:00", "'2027-01-05T00:00:00'"),
        ("expires: [2027-01-05]", "2027-01-05"),
    ],
)
def test_malformed_expiry_fails_closed(tmp_path, small, criteria, written, shown):
    pol, doc, _ = load_waiver_policy(tmp_path, written)
    report = run(pol, small, criteria, doc=doc)
    assert the(report, "eu", "acme-us").status == "fail"
    w = the(report, "waivers", "acme-us")
    assert (w.severity, w.code) == ("deny", "waiver.invalid_expiry")
    assert shown in w.message and "expected a date YYYY-MM-DD" in w.message
    assert report.waivers[0].status == "invalid"
    assert report.exit_code() == 1


@pytest.mark.parametrize(("days", "status"), [(90, "active"), (91, "beyond_horizon")])
def test_waiver_beyond_the_maximum_horizon_fails_closed(tmp_path, small, criteria, days, status):
    expires = (TODAY + dt.timedelta(days=days)).isoformat()
    pol, doc, _ = load_waiver_policy(tmp_path, f"expires: {expires}")
    report = run(pol, small, criteria, doc=doc)
    assert report.waivers[0].status == status and report.waivers[0].days_left == days
    if status == "active":
        assert the(report, "eu", "acme-us").status == "waived"
        assert report.findings == ()
    else:
        assert the(report, "eu", "acme-us").status == "fail"
        w = the(report, "waivers", "acme-us")
        assert (w.severity, w.code) == ("deny", "waiver.beyond_horizon")
        assert f"{days} days ahead" in w.message and "maximum of 90 days" in w.message


@pytest.mark.parametrize(
    ("today", "status"),
    [
        (dt.date(2027, 1, 31), "active"),  # the expiry day itself still waives
        (dt.date(2027, 2, 1), "expired"),
    ],
)
def test_expired_waiver_no_longer_waives(tmp_path, small, criteria, today, status):
    pol, doc, p = load_waiver_policy(tmp_path, "expires: 2027-01-31")
    report = run(pol, small, criteria, doc=doc, today=today)
    assert report.waivers[0].status == status
    if status == "active":
        assert the(report, "eu", "acme-us").status == "waived" and report.findings == ()
        return
    assert report.waivers[0].days_left == -1
    assert the(report, "eu", "acme-us").status == "fail"
    w = the(report, "waivers", "acme-us")
    assert (w.severity, w.code, w.file) == ("warn", "waiver.expired", str(p))
    assert "expired on 2027-01-31: it no longer waives" in w.message
    assert sorted(codes(report)) == ["rule.failed", "waiver.expired"]
    assert report.exit_code() == 1


@pytest.mark.parametrize(("expiring_in", "listed"), [(None, False), (5, False), (10, True), (30, True)])
def test_expiring_in_lists_waivers_that_lapse_soon(tmp_path, small, criteria, expiring_in, listed):
    pol, doc, p = load_waiver_policy(tmp_path, "expires: 2026-12-09")  # 10 days after TODAY
    report = run(pol, small, criteria, doc=doc, expiring_in=expiring_in)
    assert the(report, "eu", "acme-us").status == "waived"  # still waives
    assert report.expiring_in == expiring_in
    if not listed:
        assert report.findings == ()
        return
    (w,) = report.findings
    assert (w.rule_id, w.severity, w.code, w.file) == ("waivers", "warn", "waiver.expiring", str(p))
    assert "expires on 2026-12-09, in 10 day(s)" in w.message
    assert report.exit_code("deny") == 0 and report.exit_code("warn") == 1


def test_waiver_naming_an_unknown_rule(small, criteria):
    pol = make_policy(
        [rule("eu-processing", "processing_regions", "within", ["EU"])],
        waivers=[waiver("eu-procesing", "acme-us")],
    )
    report = run(pol, small, criteria)
    assert the(report, "eu-processing", "acme-us").status == "fail"
    w = the(report, "waivers", "acme-us")
    assert (w.severity, w.code, w.field) == ("warn", "waiver.unknown_rule", "waivers[0].rule")
    assert "did you mean 'eu-processing'" in w.message and "waives nothing" in w.message
    assert report.waivers[0].status == "unknown_rule"


def test_waiver_naming_an_unknown_offering(small, criteria):
    pol = make_policy([EU_RULE], waivers=[waiver("eu", "acme-usa")])
    report = run(pol, small, criteria)
    assert the(report, "eu", "acme-us").status == "fail"
    w = the(report, "waivers", "acme-usa")
    assert (w.severity, w.code, w.field) == ("warn", "waiver.unknown_offering", "waivers[0].offering")
    assert "does not check" in w.message and "waives nothing" in w.message
    assert report.waivers[0].status == "unknown_offering"


def test_waiver_of_min_score_without_min_score_names_no_rule(small, criteria):
    pol = make_policy([EU_RULE], waivers=[waiver("min-score", "acme-us")])
    report = run(pol, small, criteria)
    assert report.waivers[0].status == "unknown_rule"
    assert "waiver.unknown_rule" in codes(report)


def test_waiver_finding_points_at_the_expires_line(tmp_path, small, criteria):
    pol, doc, _ = load_waiver_policy(tmp_path, "expires: 2027-13-01")
    w = the(run(pol, small, criteria, doc=doc), "waivers", "acme-us")
    assert w.field == "waivers[0].expires"
    assert w.line == 14  # the `expires:` line, where the malformed value is


# ----------------------------------------------------------------------- locations


def test_failing_region_rule_points_at_processing_regions(write_vendors, criteria):
    files = small_files()
    cat = engine.load_catalog([write_vendors(files)])
    report = run(make_policy([EU_RULE]), cat, criteria)
    (c,) = report.findings
    text = files["acme.yaml"]
    assert c.offering_id == "acme-us"
    assert Path(c.file).name == "acme.yaml"
    assert c.line == line_of(text, "processing_regions:", after="- id: acme-us") == 29
    assert c.field == "offerings[1].processing_regions"


def test_developer_hq_rule_points_at_the_vendor_headquarters(write_vendors, criteria):
    files = small_files()
    cat = engine.load_catalog([write_vendors(files)])
    report = run(make_policy([rule("dev-eu", "developer_hq", "in", ["EU"])]), cat, criteria)
    (c,) = report.findings
    assert c.offering_id == "globex-mix" and Path(c.file).name == "globex.yaml"
    assert c.line == line_of(files["globex.yaml"], "headquarters: US") == 4
    assert c.field == "headquarters"


def test_certifications_rule_points_at_the_block_that_applies(write_vendors, criteria):
    files = small_files()
    cat = engine.load_catalog([write_vendors(files)])
    report = run(make_policy([rule("iso", "certifications", "includes_all", ["iso27001"])]), cat, criteria)
    text = files["acme.yaml"]
    own = the(report, "iso", "acme-us")  # its own block
    assert own.line == line_of(text, "certifications:", after="- id: acme-us") == 36
    assert own.field == "offerings[1].certifications"
    inherited = the(report, "iso", "acme-eu")  # the vendor's block
    assert inherited.line == line_of(text, "certifications:") == 8
    assert inherited.field == "certifications"
    assert own.file == inherited.file and Path(own.file).name == "acme.yaml"


def test_mistral_large_4_region_check_points_at_line_47(bundled, criteria):
    ro = bundled.get("mistral-large-4-api")
    assert (VENDORS / "mistral-ai.yaml").read_text().splitlines()[46].strip() == (
        "processing_regions: [EU, US]"
    )
    report = run(
        make_policy([rule("eu", "processing_regions", "subset_of", ["EU"])], approved=[ro.id]),
        bundled,
        criteria,
    )
    (c,) = report.findings
    assert c.offering_id == "mistral-large-4-api" and c.line == 47
    assert Path(c.file).name == "mistral-ai.yaml"


def test_report_is_deterministic(small, criteria):
    pol = make_policy(
        [EU_RULE, rule("open", "open_weights", "equals", True)], waivers=[waiver("eu", "acme-us")]
    )
    assert run(pol, small, criteria) == run(pol, small, criteria)


def test_prices_follow_the_priorities_on_date_like_rank(write_vendors, criteria):
    off = offering_yaml("acme-api").replace(
        "    prices: {input_per_mtok: 1.0, output_per_mtok: 2.0, currency: USD}\n",
        "    prices:\n      input_per_mtok: 1.0\n      output_per_mtok: 2.0\n      currency: USD\n"
        "      schedule:\n        - {from: 2027-01-01, input_per_mtok: 10.0, output_per_mtok: 20.0}\n",
    )
    cat = engine.load_catalog([write_vendors({"acme.yaml": vendor_yaml("acme", off)})])
    prio = priorities()  # on_date: 2026-11-29, before the price step
    ranked = engine.rank(cat, criteria, prio).row("acme-api")
    assert ranked.cells["monthly_cost"].value == pytest.approx(140.0)
    pol = make_policy(
        [rule("budget", "monthly_cost", "max", 1000)], priorities="test", min_score={"score": 10}
    )
    report = run(pol, cat, criteria, priorities=prio, today=dt.date(2027, 2, 1))
    assert the(report, "budget", "acme-api").status == "pass"
    assert f"scores {ranked.score:.2f}" in the(report, "min-score", "acme-api").message


@pytest.mark.parametrize("min_score", [None, {"score": 10}])
def test_check_assesses_each_offerings_sovereignty_once(small, criteria, monkeypatch, min_score):
    """The decision matrix, the SEAL rules and min_score's ranking share one assessment
    per offering (each of them assessed every offering again: three times with min_score)."""
    import engine.mcda.matrix as matrix
    import engine.mcda.scoring as scoring
    import engine.policy.rules as rules

    calls: list[str] = []
    real = scoring.assessment_for

    def counting(model: Any, ro: Any, *a: Any, **kw: Any) -> Any:
        calls.append(ro.id)
        return real(model, ro, *a, **kw)

    for module in (matrix, scoring, rules):
        monkeypatch.setattr(module, "assessment_for", counting)
    pol = make_policy(
        priorities="test",
        rules=[rule("seal", "seal.SOV-2", "min", 2, allow_unknown=True)],
        **({"min_score": min_score} if min_score else {}),
    )
    report = run(pol, small, criteria, priorities=priorities(weights={"sovereignty": 1}))
    assert report.checks
    assert sorted(calls) == sorted(ro.id for ro in small.offerings)

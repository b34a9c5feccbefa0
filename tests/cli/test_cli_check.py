"""``shortlist check`` (engine/cli.py, ``_cmd_check``): in-process end to end, and once
as a real subprocess.

Exit codes: 0 pass, 1 findings at or above ``--fail-on``, 2 invalid input or usage.
Every run passes ``--today``: nothing here depends on the clock.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from engine.cli import main
from tests.conftest import CRITERIA, ROOT, VENDORS
from tests.conftest import run_cli as run

TODAY = "2026-11-29"
POLICY = CRITERIA / "policies" / "eu-regulated.yaml"
BANK = CRITERIA / "presets" / "regulated-eu-bank.yaml"
MISTRAL = "mistral-large-4-api"
GRADE_RULES = ("regions-primary", "iso-primary")
"""The bundled policy's ``min_grade`` rules (warn): their findings depend on how the bundled
sources are graded, so these tests check them apart (every one a warn ``rule.unknown``
naming the grade required) and count exactly everything else."""
AGE_RULES = ("fresh-certifications",)
"""The bundled policy's per-kind age rules (warn): their findings depend on the bundled
dates, so they too are checked apart (every one a warn ``rule.failed`` naming the age
or a date after the check date)."""
RULES = 9  # checks per approved offering: the bundled policy's 8 rules and its min_score

WAIVER = """\
waivers:
  - rule: eu-processing
    offering: mistral-large-4-api
    reason: US endpoint disabled by contract; EU-only until the DPA annex is signed
    approver: ciso@example.org
    expires: 2027-01-31
"""


def check(policy: Path | str, *args: str, vendors: Path | str = VENDORS) -> tuple[int, str, str]:
    """``shortlist check`` on explicit directories, judged on ``TODAY`` unless overridden."""
    extra = list(args)
    if "--today" not in extra:
        extra += ["--today", TODAY]
    return run(
        "check", "--policy", str(policy), "--vendors", str(vendors), "--criteria", str(CRITERIA), *extra
    )


def line_of(path: Path, needle: str) -> int:
    return next(i for i, ln in enumerate(path.read_text().splitlines(), 1) if needle in ln)


def write_policy(tmp_path: Path, old: str | None = None, new: str = "", name: str = "policy.yaml") -> Path:
    """A copy of the bundled policy in ``tmp_path`` (``old`` replaced by ``new``)."""
    text = POLICY.read_text(encoding="utf-8")
    if old is not None:
        assert old in text, old
        text = text.replace(old, new, 1)
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


@pytest.fixture
def us_only_mistral(vendors_copy: Path) -> Path:
    """The bundled vendors with mistral-large-4-api processing in the US only."""
    f = vendors_copy / "mistral-ai.yaml"
    lines = f.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[46] == "    processing_regions: [EU, US]\n"  # line 47, the first occurrence
    assert lines[40].strip() == f"- id: {MISTRAL}"
    lines[46] = "    processing_regions: [US]\n"
    f.write_text("".join(lines), encoding="utf-8")
    return vendors_copy


def findings(out: str) -> list[dict[str, object]]:
    """The findings of a JSON report, without the evidence-grade ones (checked here)."""
    doc = json.loads(out)
    for f in doc["findings"]:
        if f["rule"] in GRADE_RULES:
            assert (f["severity"], f["code"]) == ("warn", "rule.unknown"), f
            assert "or stronger required" in str(f["message"]), f
        elif f["rule"] in AGE_RULES:
            assert (f["severity"], f["code"]) == ("warn", "rule.failed"), f
            assert "over the 365-day limit" in str(f["message"]) or "dated after" in str(f["message"]), f
    return [f for f in doc["findings"] if f["rule"] not in (*GRADE_RULES, *AGE_RULES)]


def graded(out: str) -> int:
    """How many evidence-grade and per-kind age findings a JSON report has."""
    return sum(1 for f in json.loads(out)["findings"] if f["rule"] in (*GRADE_RULES, *AGE_RULES))


# ------------------------------------------------------------- the "Done when" scenario


def test_done_when_scenario_end_to_end(tmp_path, us_only_mistral):
    vendors = us_only_mistral
    mistral_file = "vendors/mistral-ai.yaml"  # named from the catalog root (the dir holding vendors/)
    policy = write_policy(tmp_path)  # `priorities: regulated-eu-bank`: the bundled preset

    # 1. the change breaks the policy: exit 1, the text names rule, offering, file and line
    code, out, err = check(policy, vendors=vendors)
    assert code == 1, err
    assert err == ""
    finding = [ln for ln in out.splitlines() if "eu-processing" in ln]
    assert len(finding) == 1 and "DENY" in finding[0] and "rule.failed" in finding[0]
    assert MISTRAL in out
    assert f"{mistral_file}:47" in out
    assert "FAILED" in out

    # 2. the same in JSON
    code, out, _ = check(policy, "--format", "json", vendors=vendors)
    assert code == 1
    deny = [f for f in findings(out) if f["severity"] == "deny"]
    assert deny == [
        {
            "rule": "eu-processing",
            "offering": MISTRAL,
            "severity": "deny",
            "status": "fail",
            "code": "rule.failed",
            "message": "Processing can be kept in the EU/EEA: processing regions US cannot be kept inside EU, EEA",
            "file": mistral_file,
            "line": 47,
            "field": "offerings[0].processing_regions",
        }
    ]
    # the bank preset gates on EU processing too, so the min-score check excludes it (warn only)
    assert [(f["rule"], f["code"], f["severity"]) for f in findings(out) if f["severity"] == "warn"] == [
        ("min-score", "min_score.excluded", "warn")
    ]

    # 3. a waiver within max_waiver_days (180): exit 0, the check is waived
    waived = write_policy(tmp_path, "waivers: []\n", WAIVER, name="waived.yaml")
    code, out, err = check(waived, "--format", "json", vendors=vendors)
    assert code == 0, err
    doc = json.loads(out)
    assert doc["passed"] is True
    assert [f["severity"] for f in findings(out)] == ["warn"]  # only the min-score warning
    n_graded = graded(out)
    (w,) = [c for c in doc["checks"] if c["status"] == "waived"]
    assert (w["rule"], w["offering"], w["code"]) == ("eu-processing", MISTRAL, "rule.waived")
    assert doc["waivers"][0]["status"] == "active" and doc["waivers"][0]["days_left"] == 63
    code, out, _ = check(waived, vendors=vendors)
    assert code == 0 and "PASSED" in out and "waived until 2027-01-31" in out

    # 4. --fail-on warn makes the warn finding fail
    code, out, _ = check(waived, "--fail-on", "warn", vendors=vendors)
    assert code == 1
    assert f"FAILED: {1 + n_graded} finding(s) at or above 'warn'" in out and "min_score.excluded" in out

    # 5. --expiring-in lists the waiver (a warn finding: still exit 0 at deny)
    code, out, _ = check(waived, "--expiring-in", "90", "--format", "json", vendors=vendors)
    assert code == 0
    assert "waiver.expiring" in [f["code"] for f in findings(out)]

    # 6. after the expiry: exit 1 again, with a waiver.expired finding
    code, out, _ = check(waived, "--today", "2027-02-01", "--format", "json", vendors=vendors)
    assert code == 1
    got = {(f["rule"], f["code"]) for f in findings(out)}
    assert ("eu-processing", "rule.failed") in got
    assert ("waivers", "waiver.expired") in got
    expired = next(f for f in findings(out) if f["code"] == "waiver.expired")
    assert expired["file"] == waived.name and expired["offering"] == MISTRAL


def test_waiver_beyond_max_waiver_days_does_not_waive(tmp_path, us_only_mistral):
    # 2027-06-30 is 213 days after TODAY, the bundled policy allows 180
    policy = write_policy(tmp_path, "waivers: []\n", WAIVER.replace("2027-01-31", "2027-06-30"))
    code, out, _ = check(policy, "--format", "json", vendors=us_only_mistral)
    assert code == 1
    codes = {f["code"] for f in findings(out)}
    assert {"rule.failed", "waiver.beyond_horizon"} <= codes


# ------------------------------------------------------------------------ exit codes


def test_bundled_policy_passes_in_process():
    code, out, err = check(POLICY)
    assert code == 0, err
    assert "EU regulated AI suppliers" in out
    code, js, _ = check(POLICY, "--format", "json")
    assert findings(js) == []  # nothing but evidence-grade warnings
    n = graded(js)
    assert f"5 offering(s) in scope, {5 * RULES} check(s), {n} finding(s): 0 deny, {n} warn" in out
    assert "PASSED" in out and "FAILED" not in out


def test_invalid_policy_yaml_duplicate_key(tmp_path):
    p = write_policy(tmp_path, "name: EU regulated AI suppliers\n", "name: A\nname: B\n")
    code, out, err = check(p)
    assert code == 2 and out == ""
    assert f"{p}:6:1: yaml.duplicate_key" in err and "'name'" in err


def test_unknown_top_level_field_suggests_the_right_one(tmp_path):
    p = write_policy(tmp_path, "max_waiver_days: 180", "max_waiver_day: 180")
    code, out, err = check(p)
    assert code == 2 and out == ""
    assert f"{p}:{line_of(p, 'max_waiver_day:')}: schema.unknown_field" in err
    assert "did you mean 'max_waiver_days'" in err


def test_unknown_rule_field(tmp_path):
    p = write_policy(tmp_path, "field: processing_regions", "field: regions")
    code, out, err = check(p)
    assert code == 2 and out == ""
    line = line_of(p, "field: regions")
    assert f"{p}:{line}: policy.unknown_field [rules[0].field]" in err
    assert "did you mean 'processing_regions'" in err


def test_unknown_operator(tmp_path):
    p = write_policy(tmp_path, "op: within", "op: min")
    code, _, err = check(p)
    assert code == 2
    assert f"{p}:{line_of(p, 'op: min')}: policy.unknown_operator [rules[0].op]" in err
    p = write_policy(tmp_path, "op: within", "op: between", name="between.yaml")
    code, _, err = check(p)
    assert code == 2
    assert f"{p}:{line_of(p, 'op: between')}: schema.invalid [rules[0].op]" in err


def test_priorities_naming_a_missing_file(tmp_path):
    p = write_policy(tmp_path, "priorities: regulated-eu-bank", "priorities: missing.yaml")
    code, out, err = check(p)
    assert code == 2 and out == ""
    assert f"{p}:12: policy.priorities_not_found [priorities]" in err
    assert line_of(p, "priorities: missing.yaml") == 12
    assert "'missing.yaml'" in err


def test_criterion_rules_without_priorities(tmp_path):
    p = write_policy(tmp_path, "priorities: regulated-eu-bank\n", "")
    code, out, err = check(p)
    assert code == 2 and out == ""
    assert "policy.needs_priorities [priorities]" in err and str(p) in err


def test_broken_vendor_file_exit_2_with_the_valid_offerings_checked(tmp_path, vendors_copy):
    cohere = vendors_copy / "cohere.yaml"
    cohere.write_text(cohere.read_text().replace("name: Cohere\n", "name: Cohere\nname: Cohere Inc\n", 1))
    report = tmp_path / "report.json"
    code, out, err = check(POLICY, "--format", "json", "--output", str(report), vendors=vendors_copy)
    assert code == 2 and out == ""
    assert "vendors/cohere.yaml:" in err and "yaml.duplicate_key" in err  # from the catalog root
    assert "checked the valid offerings" in err
    doc = json.loads(report.read_text())
    # the valid offerings are all checked; the broken profile is a deny finding at its line
    assert len(doc["offerings"]) == 5 and doc["passed"] is False
    (bad,) = findings(report.read_text())
    assert (
        bad["code"] == "input.invalid" and bad["file"] == "vendors/cohere.yaml" and bad["line"] == 7
    )  # the 2nd name
    assert doc["summary"]["checks"] == 5 * RULES + 1


def test_broken_file_of_an_approved_offering_is_a_deny_finding(tmp_path, vendors_copy):
    f = vendors_copy / "mistral-ai.yaml"
    f.write_text(f.read_text().replace("headquarters: FR\n", "headquarters: France\n", 1))
    code, out, err = check(POLICY, "--format", "json", vendors=vendors_copy)
    assert code == 2  # invalid input wins over findings
    assert f"vendors/{f.name}:" in err  # named from the catalog root
    (missing,) = [x for x in findings(out) if x["code"] == "approved.missing"]
    assert missing["offering"] == MISTRAL and missing["severity"] == "deny"
    assert missing["file"] == "shortlist:criteria/policies/eu-regulated.yaml" and missing["line"] == line_of(
        POLICY, f"- {MISTRAL}"
    )


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--today", "2026-02-30"], "expected a date YYYY-MM-DD, found '2026-02-30'"),
        (["--today", "29.11.2026"], "expected a date YYYY-MM-DD"),
        (["--expiring-in", "-1"], "expected a number of days ≥ 0, found -1"),
        (["--expiring-in", "soon"], "whole number of days"),
        (["--fail-on", "error"], "invalid choice: 'error'"),
        (["--format", "xml"], "invalid choice: 'xml'"),
    ],
)
def test_bad_usage_exits_2(args, needle):
    code, out, err = run("check", "--policy", str(POLICY), *args)
    assert code == 2 and out == ""
    assert needle in err and err.count("\n") == 1


def test_missing_policy_argument():
    code, out, err = run("check", "--today", TODAY)
    assert code == 2 and out == ""
    assert "the following arguments are required: --policy" in err


def test_policy_path_that_does_not_exist(tmp_path):
    missing = tmp_path / "nope.yaml"
    code, out, err = check(missing)
    assert code == 2 and out == ""
    assert (
        err
        == f"{missing}: io.not_found: no policy file or bundled policy named '{missing}' (policies: eu-regulated)\n"
    )


def test_bad_criteria_directory_exit_2(tmp_path):
    code, out, err = run("check", "--policy", str(POLICY), "--criteria", str(tmp_path), "--today", TODAY)
    assert code == 2 and out == ""
    assert "criteria.yaml" in err and "io.not_found" in err


def test_problem_of_the_policys_priorities_names_the_priorities_file(tmp_path):
    prio = tmp_path / "bank.yaml"
    prio.write_text(BANK.read_text() + "price_adjustments:\n  no-such-offering: {discount_pct: 10}\n")
    p = write_policy(tmp_path, "priorities: regulated-eu-bank", "priorities: bank.yaml")
    code, _, err = check(p)
    assert code == 2 and "priorities.unknown_offering" in err  # this part holds today
    assert f"{prio}:{line_of(prio, 'no-such-offering')}: priorities.unknown_offering" in err


# ---------------------------------------------------------------- output and format


def test_output_file_keeps_stdout_empty(tmp_path):
    target = tmp_path / "report.txt"
    code, out, err = check(POLICY, "--output", str(target))
    assert code == 0 and out == "" and err == ""
    assert target.read_text(encoding="utf-8") == check(POLICY)[1]


def test_output_file_with_findings_still_exits_1(tmp_path, us_only_mistral):
    target = tmp_path / "report.json"
    code, out, _ = check(POLICY, "--format", "json", "--output", str(target), vendors=us_only_mistral)
    assert code == 1 and out == ""
    assert json.loads(target.read_text())["passed"] is False


def test_output_into_a_missing_directory(tmp_path):
    code, out, err = check(POLICY, "--output", str(tmp_path / "no" / "r.json"))
    assert code == 2 and out == ""
    assert "io.write_error" in err and "r.json" in err


def test_json_is_versioned_and_byte_identical(us_only_mistral):
    first = check(POLICY, "--format", "json", vendors=us_only_mistral)
    second = check(POLICY, "--format", "json", vendors=us_only_mistral)
    assert first == second
    doc = json.loads(first[1])
    assert doc["schema_version"] == 1
    assert list(doc) == sorted(doc)  # stable key order
    assert all(list(c) == sorted(c) for c in doc["checks"])
    assert doc["today"] == TODAY and doc["fail_on"] == "deny"
    # the bundled policy outside the catalog root (tmp_path): named in the bundled data, as from any cwd
    assert doc["policy"] == {
        "name": "EU regulated AI suppliers",
        "file": "shortlist:criteria/policies/eu-regulated.yaml",
    }
    n = graded(first[1])
    assert doc["summary"] == {
        "checks": 5 * RULES,
        "deny": 1,
        "findings": 2 + n,
        "offerings": 5,
        "waived": 0,
        "warn": 1 + n,
    }


# ------------------------------------------------------------- priorities resolution


def test_priorities_as_a_preset_name(tmp_path):
    p = write_policy(tmp_path, "priorities: regulated-eu-bank", "priorities: sovereign-public-admin")
    code, out, err = check(p, "--format", "json")
    assert code in (0, 1), err  # resolved and evaluated (not exit 2)
    assert json.loads(out)["priorities"] == "Sovereignty-first public administration"
    assert (
        "name: Sovereignty-first public administration"
        in (CRITERIA / "presets" / "sovereign-public-admin.yaml").read_text()
    )


def test_priorities_as_a_path_relative_to_the_policy_file(tmp_path):
    (tmp_path / "buyers").mkdir()
    (tmp_path / "policies").mkdir()
    (tmp_path / "buyers" / "my-bank.yaml").write_text(
        BANK.read_text().replace("name: Regulated EU bank", "name: My own bank", 1)
    )
    p = write_policy(
        tmp_path / "policies", "priorities: regulated-eu-bank", "priorities: ../buyers/my-bank.yaml"
    )
    assert not Path("../buyers/my-bank.yaml").exists()  # not found relative to the working directory
    code, out, err = check(p, "--format", "json")
    assert code == 0, err
    assert json.loads(out)["priorities"] == "My own bank"
    code, out, _ = check(p)
    assert "priorities: My own bank" in out


# ------------------------------------------------------------------- one subprocess


def test_subprocess_check_bundled_policy():
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "engine",
            "check",
            "--policy",
            "criteria/policies/eu-regulated.yaml",
            "--today",
            TODAY,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert "PASSED: no finding at or above 'deny'" in proc.stdout
    assert "criteria/policies/eu-regulated.yaml" in proc.stdout


def test_policy_by_name_and_validate_checks_its_priorities(tmp_path):
    code, out, _ = run("check", "--policy", "eu-regulated", "--today", TODAY)
    assert code == 0 and "PASSED" in out
    code, _, err = run("check", "--policy", "eu-regulatd", "--today", TODAY)
    assert code == 2 and "(policies: eu-regulated)" in err
    bad = tmp_path / "p.yaml"
    bad.write_text(POLICY.read_text().replace("priorities: regulated-eu-bank", "priorities: nope.yaml"))
    code, _, err = run("validate", str(bad))
    line = next(n for n, t in enumerate(bad.read_text().splitlines(), 1) if t.startswith("priorities:"))
    assert code == 2 and f"{bad}:{line}: policy.priorities_not_found [priorities]" in err


def test_a_profile_dated_in_the_future_fails_the_freshness_rule(tmp_path, vendors_copy):
    f = vendors_copy / "mistral-ai.yaml"
    f.write_text(f.read_text().replace("as_of: 2026-10-29", "as_of: 2099-10-29", 1))
    out = io.StringIO()
    code = main(
        [
            "check",
            "--policy",
            str(POLICY),
            "--vendors",
            str(vendors_copy),
            "--today",
            TODAY,
            "--format",
            "json",
            "--fail-on",
            "warn",
        ],
        out=out,
        err=io.StringIO(),
    )
    doc = json.loads(out.getvalue())
    fresh = [f for f in doc["findings"] if f["rule"] == "fresh-data"]
    assert code == 1 and fresh and "in the future" in fresh[0]["message"]


def test_schema_messages_say_list_and_mapping_in_plain_words(tmp_path):
    p = tmp_path / "p.yaml"
    p.write_text("schema_version: 1\nname: x\napproved: mistral-large-4-api\nmin_score: 50\n")
    code, _, err = run("check", "--policy", str(p), "--today", TODAY)
    assert code == 2
    assert "[approved]: expected a list; found text 'mistral-large-4-api'" in err
    assert "[min_score]: expected a mapping (field: value); found number 50" in err

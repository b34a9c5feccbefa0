"""Tests of :mod:`engine.reports.policy_output`: the five renderings of a policy report.

The report comes from :func:`engine.policy.rules.check_policy` on a copy of the bundled
vendors in which ``mistral-large-4-api`` processes in the US only, under a policy with a
deny rule, a warn rule, a minimum score, an approved offering that does not exist, an
active waiver (expiring within ``--expiring-in 60``) and an expired one, on the fixed
date 2026-11-29. Paths in the report are relative (the catalog and policy are loaded
from inside the scenario directory), so the renderings do not depend on the machine.

Golden files are in ``tests/data/policy/`` (``golden.*``). After an intended change of
a format, regenerate them and review the diff::

    UPDATE_GOLDEN=1 python -m pytest tests/reports/test_policy_output.py

(the golden tests then rewrite the files and pass; run once more without the variable).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib.util
import io
import json
import os
import shutil
import sys
import textwrap
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from pydantic import ValidationError

import engine
from engine.catalog.loading import load_catalog, load_policy_doc, load_priorities
from engine.cli import main
from engine.policy.rules import Check, PolicyReport, WaiverState, check_policy
from engine.reports.policy_output import FORMATS, policy_github, policy_junit, policy_sarif, render
from tests.conftest import CRITERIA, VENDORS

DATA = Path(__file__).resolve().parents[1] / "data" / "policy"
SARIF_SCHEMA = DATA / "sarif-schema-2.1.0.json"
TODAY = dt.date(2026, 11, 29)
EXPIRING_IN = 60
GOLDEN = {
    "text": "golden.txt",
    "json": "golden.json",
    "junit": "golden.junit.xml",
    "github": "golden.github.txt",
    "sarif": "golden.sarif.json",
}

POLICY = textwrap.dedent(
    """\
    # A policy with findings of every kind, for tests/reports/test_policy_output.py.
    schema_version: 1
    name: Golden test gate
    priorities: regulated-eu-bank
    approved:
      - mistral-large-4-api
      - vertex-eu-claude-opus-5.5
      - google-gemini-3.8-flash-vertex
      - mistral-large-5-api
    rules:
      - id: eu-processing
        severity: deny
        message: Processing can be kept in the EU/EEA
        field: processing_regions
        op: within
        value: [EU, EEA]
      - id: open-weights
        severity: warn
        message: The weights are published
        field: open_weights
        op: equals
        value: true
    min_score:
      score: 50
      severity: warn
    max_waiver_days: 180
    waivers:
      - rule: open-weights
        offering: google-gemini-3.8-flash-vertex
        reason: Closed weights accepted for the pilot, ticket ARCH-42
        approver: ciso@example.com
        expires: 2027-01-15
      - rule: eu-processing
        offering: mistral-large-4-api
        reason: US endpoint accepted during the migration
        approver: dpo@example.com
        expires: 2026-10-31
    """
)


def _make_scenario(root: Path) -> None:
    shutil.copytree(VENDORS, root / "vendors")
    mistral = root / "vendors" / "mistral-ai.yaml"
    text = mistral.read_text(encoding="utf-8")
    assert "processing_regions: [EU, US]" in text
    mistral.write_text(text.replace("processing_regions: [EU, US]", "processing_regions: [US]", 1), "utf-8")
    (root / "policy.yaml").write_text(POLICY, encoding="utf-8")


def _check(root: Path, criteria: engine.CriteriaCatalog) -> PolicyReport:
    """Run the check from inside ``root`` with relative paths, as ``shortlist check`` in CI."""
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(root)
        policy, doc = load_policy_doc("policy.yaml")
        catalog = load_catalog([Path("vendors")], currencies=criteria.currencies())
        assert not catalog.issues
        prios = load_priorities(CRITERIA / "presets" / "regulated-eu-bank.yaml")
        return check_policy(
            policy, catalog, criteria, doc=doc, priorities=prios, today=TODAY, expiring_in=EXPIRING_IN
        )


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("policy-scenario")
    _make_scenario(root)
    return root


@pytest.fixture(scope="module")
def report(scenario: Path, criteria: engine.CriteriaCatalog) -> PolicyReport:
    return _check(scenario, criteria)


@pytest.fixture
def in_scenario(scenario: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.chdir(scenario)
    yield scenario


@pytest.fixture(scope="module")
def sarif_validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def _synthetic(checks: list[Check], waivers: tuple[WaiverState, ...] = ()) -> PolicyReport:
    return PolicyReport(
        policy_name="Synthetic",
        policy_file="policy.yaml",
        today=TODAY,
        checks=tuple(checks),
        waivers=waivers,
        offerings=tuple(sorted({c.offering_id for c in checks if c.offering_id})),
    )


# --- the scenario is what the tests think it is -------------------------------------------


def test_scenario_has_findings_of_every_kind(report: PolicyReport) -> None:
    codes = {(c.rule_id, c.offering_id, c.status, c.code) for c in report.checks if c.status != "pass"}
    assert codes == {
        ("approved-exists", "mistral-large-5-api", "fail", "approved.missing"),
        ("eu-processing", "mistral-large-4-api", "fail", "rule.failed"),
        ("open-weights", "google-gemini-3.8-flash-vertex", "waived", "rule.waived"),
        ("open-weights", "vertex-eu-claude-opus-5.5", "fail", "rule.failed"),
        ("min-score", "mistral-large-4-api", "fail", "min_score.excluded"),
        ("waivers", "google-gemini-3.8-flash-vertex", "fail", "waiver.expiring"),
        ("waivers", "mistral-large-4-api", "fail", "waiver.expired"),
    }
    assert [w.status for w in report.waivers] == ["active", "expired"]
    assert len(report.failing("deny")) == 2
    assert len(report.failing("warn")) == 6


# --- all formats ---------------------------------------------------------------------------


def test_formats_and_render_dispatch(report: PolicyReport, in_scenario: Path) -> None:
    assert FORMATS == ("text", "json", "junit", "github", "sarif")
    assert render(report, "junit") == policy_junit(report)
    assert render(report, "github", "warn") == policy_github(report, "warn")
    assert render(report, "sarif") == policy_sarif(report)
    with pytest.raises(ValueError, match="unknown format 'xml'"):
        render(report, "xml")
    for fmt in ("junit", "github", "sarif"):
        with pytest.raises(ValueError, match="unknown fail_on 'error'"):
            render(report, fmt, "error")


@pytest.mark.parametrize("fmt", FORMATS)
def test_golden(fmt: str, report: PolicyReport, in_scenario: Path) -> None:
    """Each format, byte for byte; ``UPDATE_GOLDEN=1`` rewrites the golden file."""
    got = render(report, fmt)
    path = DATA / GOLDEN[fmt]
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_bytes(got.encode("utf-8"))
    assert path.is_file(), f"missing golden file {path.name}: run with UPDATE_GOLDEN=1"
    assert got == path.read_bytes().decode("utf-8"), f"{fmt} differs from {path.name} (UPDATE_GOLDEN=1)"


def test_deterministic(report: PolicyReport, scenario: Path, criteria: engine.CriteriaCatalog) -> None:
    """Same report → identical output; a fresh check of the same inputs → identical output."""
    again = _check(scenario, criteria)
    assert again == report
    for fmt in FORMATS:
        for fail_on in ("deny", "warn"):
            first = render(report, fmt, fail_on)
            assert render(report, fmt, fail_on) == first
            assert render(again, fmt, fail_on) == first


def test_base_replaces_the_working_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The CI formats make absolute paths relative to ``base`` (default: the working directory)."""
    repo = tmp_path / "repo"
    checks = [
        Check("r", "o", "deny", "fail", "rule.failed", "m", str(repo / "vendors" / "x.yaml"), 2, "f"),
        Check(
            "approved-exists",
            "p",
            "deny",
            "fail",
            "approved.missing",
            "m",
            str(repo / "policy.yaml"),
            5,
            None,
        ),
    ]
    rep = dataclasses.replace(_synthetic(checks), policy_file=str(repo / "policy.yaml"))
    monkeypatch.chdir(tmp_path)
    outputs = [f(rep, base=repo) for f in (policy_junit, policy_github, policy_sarif)]
    assert 'file="vendors/x.yaml"' in outputs[0]
    assert "::error file=vendors/x.yaml,line=2," in outputs[1]
    assert '"uri": "vendors/x.yaml"' in outputs[2]
    repo.mkdir()
    monkeypatch.chdir(repo)
    assert [f(rep) for f in (policy_junit, policy_github, policy_sarif)] == outputs
    assert str(tmp_path) not in "".join(outputs)


def test_cli_writes_the_new_formats(in_scenario: Path) -> None:
    """``shortlist check --format junit|github|sarif`` prints what the golden files hold."""
    for fmt, code in (("junit", 1), ("github", 1), ("sarif", 1)):
        out, err = io.StringIO(), io.StringIO()
        argv = [
            "check",
            "--policy",
            "policy.yaml",
            "--vendors",
            "vendors",
            "--criteria",
            str(CRITERIA),
            "--today",
            TODAY.isoformat(),
            "--expiring-in",
            str(EXPIRING_IN),
            "--format",
            fmt,
        ]
        assert main(argv, out, err) == code, err.getvalue()
        assert out.getvalue() == (DATA / GOLDEN[fmt]).read_bytes().decode("utf-8")


# --- JUnit -------------------------------------------------------------------------------


def _parse_junit(text: str) -> ET.Element:
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    return ET.fromstring(text.encode("utf-8"))


@pytest.mark.parametrize("fail_on", ["deny", "warn"])
def test_junit_counts_match_the_report(report: PolicyReport, fail_on: str, in_scenario: Path) -> None:
    root = _parse_junit(policy_junit(report, fail_on))
    assert root.tag == "testsuites"
    failing = report.failing(fail_on)
    names = [s.get("name") for s in root.findall("testsuite")]
    assert names == [
        "eu-processing",
        "open-weights",
        "min-score",
        "approved-exists",
        "waivers",
    ]
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for suite in root.findall("testsuite"):
        rule = suite.get("name")
        checks = [c for c in report.checks if c.rule_id == rule]
        cases = suite.findall("testcase")
        expect = {
            "tests": len(checks),
            "failures": sum(1 for c in failing if c.rule_id == rule),
            "errors": 0,
            "skipped": sum(1 for c in checks if c.status == "waived"),
        }
        assert {k: int(suite.get(k, "-1")) for k in expect} == expect
        assert len(cases) == expect["tests"]
        assert sum(1 for t in cases if t.find("failure") is not None) == expect["failures"]
        assert sum(1 for t in cases if t.find("skipped") is not None) == expect["skipped"]
        assert {t.get("classname") for t in cases} == {rule}
        assert len({t.get("name") for t in cases}) == len(cases)  # unique within the suite
        assert suite.get("timestamp") == "2026-11-29T00:00:00"
        for k in totals:
            totals[k] += expect[k]
    assert {k: int(root.get(k, "-1")) for k in totals} == totals
    assert totals["tests"] == len(report.checks)
    assert totals["failures"] == len(failing)
    assert totals["skipped"] == 1


def test_junit_fail_on_warn_turns_warnings_into_failures(report: PolicyReport, in_scenario: Path) -> None:
    deny, warn = (_parse_junit(policy_junit(report, f)) for f in ("deny", "warn"))
    assert int(deny.get("failures", "")) == 2
    assert int(warn.get("failures", "")) == 6
    # below fail_on, a warning rides along as system-out on a passing testcase
    outs = [t for t in deny.iter("testcase") if t.find("system-out") is not None]
    assert len(outs) == 4
    assert all(t.find("failure") is None for t in outs)
    assert not [t for t in warn.iter("testcase") if t.find("system-out") is not None]


def test_junit_failure_and_skipped_content(report: PolicyReport, in_scenario: Path) -> None:
    root = _parse_junit(policy_junit(report))
    case = root.find("testsuite[@name='eu-processing']/testcase[@name='mistral-large-4-api']")
    assert case is not None
    assert (case.get("file"), case.get("line")) == ("vendors/mistral-ai.yaml", "47")
    failure = case.find("failure")
    assert failure is not None
    assert failure.get("type") == "rule.failed"
    finding = next(c for c in report.findings if c.rule_id == "eu-processing")
    assert failure.get("message") == finding.message
    assert failure.text is not None
    assert "vendors/mistral-ai.yaml:47 (offerings[0].processing_regions)" in failure.text
    skipped = root.find("testsuite[@name='open-weights']/testcase/skipped")
    assert skipped is not None
    assert skipped.get("message", "").startswith("waived by waivers[0] until 2027-01-15, approved by ciso@")


def test_junit_escapes_and_disambiguates() -> None:
    nasty = 'a <b> & "c"\r\nline two\x01 ]]> 100%'
    checks = [
        Check(
            "waivers",
            "x",
            "deny",
            "fail",
            "waiver.invalid_expiry",
            nasty,
            "policy.yaml",
            3,
            "waivers[0].expires",
        ),
        Check(
            "waivers", "x", "warn", "fail", "waiver.expired", "second", "policy.yaml", 8, "waivers[1].expires"
        ),
        Check("approved-exists", "y", "deny", "fail", "approved.missing", "gone", None, None, "approved[0]"),
    ]
    root = _parse_junit(policy_junit(_synthetic(checks)))
    cases = root.findall("testsuite[@name='waivers']/testcase")
    assert [t.get("name") for t in cases] == ["x (waivers[0].expires)", "x (waivers[1].expires)"]
    failure = cases[0].find("failure")
    assert failure is not None
    assert failure.get("message") == 'a <b> & "c"\nline two\ufffd ]]> 100%'
    lone = root.find("testsuite[@name='approved-exists']/testcase")
    assert lone is not None and lone.get("file") is None and lone.get("line") is None
    assert root.get("failures") == "2"


# --- GitHub workflow commands ------------------------------------------------------------------


def _unescape(s: str, prop: bool) -> str:
    if prop:
        s = s.replace("%3A", ":").replace("%2C", ",")
    return s.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def _parse_command(line: str) -> tuple[str, dict[str, str], str]:
    assert line.startswith("::")
    head, _, message = line[2:].partition("::")
    command, _, props = head.partition(" ")
    pairs = dict(p.split("=", 1) for p in props.split(",")) if props else {}
    return command, {k: _unescape(v, True) for k, v in pairs.items()}, _unescape(message, False)


def _key_near(lines: list[str], n: int, key: str) -> bool:
    """``key`` is on line ``n``, or inside the YAML list item that starts there."""
    text = lines[n - 1]
    if key in text:
        return True
    if not text.lstrip().startswith("- "):
        return False
    indent = len(text) - len(text.lstrip())
    for t in lines[n:]:
        if t.strip() and len(t) - len(t.lstrip()) <= indent:
            return False
        if key in t:
            return True
    return False


def test_github_lines_and_levels(report: PolicyReport, in_scenario: Path) -> None:
    for fail_on, errors in (("deny", 2), ("warn", 6)):
        lines = policy_github(report, fail_on).splitlines()
        commands = [_parse_command(x)[0] for x in lines[:-1]]
        assert commands.count("error") == errors
        assert commands.count("warning") == len(report.findings) - errors
        assert commands.count("notice") == 1
        assert not lines[-1].startswith("::")
        assert lines[-1].startswith(f"shortlist check FAILED: {errors} finding(s) at or above '{fail_on}'")


def test_github_annotations_name_existing_lines(report: PolicyReport, in_scenario: Path) -> None:
    """Every error/warning with file and line points at a real line holding the field."""
    seen = 0
    for line in policy_github(report, "warn").splitlines()[:-1]:
        command, props, message = _parse_command(line)
        if command not in ("error", "warning") or "line" not in props:
            continue
        path = in_scenario / props["file"]
        assert not Path(props["file"]).is_absolute() and "\\" not in props["file"]
        assert path.is_file(), props["file"]
        lines = path.read_text(encoding="utf-8").splitlines()
        n = int(props["line"])
        assert 1 <= n <= len(lines)
        assert message.endswith("]")
        field = message.rsplit("; ", 1)[1][:-1]
        offering = props["title"].rsplit(" · ", 1)[1]
        last = field.rsplit(".", 1)[-1]
        if last.endswith("]"):  # the item itself (an offering, an approved entry): it names the offering
            assert offering in lines[n - 1], (line, lines[n - 1])
        elif field.startswith("waivers["):  # the engine points at the waiver's first line
            assert _key_near(lines, n, last + ":"), (line, lines[n - 1])
        else:
            assert last in lines[n - 1], (line, lines[n - 1])
        seen += 1
    assert seen == len(report.findings)
    region = next(x for x in policy_github(report).splitlines() if "title=eu-processing" in x)
    _, props, _ = _parse_command(region)
    text = (in_scenario / props["file"]).read_text(encoding="utf-8").splitlines()[int(props["line"]) - 1]
    assert text.strip() == "processing_regions: [US]"


def test_github_escaping_and_unknown_locations() -> None:
    checks = [
        Check(
            "r,1", "o:1", "deny", "fail", "rule.failed", "100% sure\r\nsecond line", "dir,a/b:c.yaml", 4, "f"
        ),
        Check("r2", "o2", "warn", "fail", "rule.unknown", "no line", "v.yaml", None, None),
        Check("approved-exists", "o3", "deny", "fail", "approved.missing", "no file", None, None, None),
    ]
    lines = policy_github(_synthetic(checks)).splitlines()
    assert len(lines) == 4  # no raw newline leaked out of a message
    assert lines[0] == (
        "::error file=dir%2Ca/b%3Ac.yaml,line=4,title=r%2C1 (deny) · o%3A1::100%25 sure%0D%0Asecond line "
        "[rule.failed; f]"
    )
    _, props, message = _parse_command(lines[0])
    assert props == {"file": "dir,a/b:c.yaml", "line": "4", "title": "r,1 (deny) · o:1"}
    assert message == "100% sure\r\nsecond line [rule.failed; f]"
    assert lines[1] == "::warning file=v.yaml,title=r2 (warn) · o2::no line [rule.unknown]"
    assert lines[2] == "::error title=approved-exists (deny) · o3::no file [approved.missing]"


# --- SARIF ----------------------------------------------------------------------------------


def _walk_keys(obj: Any) -> Iterator[str]:
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield k
            yield from _walk_keys(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from _walk_keys(v)


@pytest.mark.parametrize("fail_on", ["deny", "warn"])
def test_sarif_validates_against_the_schema(
    report: PolicyReport, fail_on: str, in_scenario: Path, sarif_validator: jsonschema.protocols.Validator
) -> None:
    log = json.loads(policy_sarif(report, fail_on))
    errors = sorted(sarif_validator.iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors]


def test_sarif_schema_is_not_vacuous(
    report: PolicyReport, in_scenario: Path, sarif_validator: jsonschema.protocols.Validator
) -> None:
    log = json.loads(policy_sarif(report))
    log["runs"][0]["results"][0]["level"] = "fatal"
    log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    log["runs"][0]["tool"]["driver"]["rules"][0]["colour"] = "red"
    assert len(list(sarif_validator.iter_errors(log))) == 3


@pytest.mark.parametrize("fail_on", ["deny", "warn"])
def test_sarif_structure(report: PolicyReport, fail_on: str, in_scenario: Path) -> None:
    log = json.loads(policy_sarif(report, fail_on))
    assert log["$schema"].endswith("/sarif-schema-2.1.0.json")
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("Shortlist", engine.__version__)
    rule_ids = [r["id"] for r in driver["rules"]]
    assert rule_ids == [
        "eu-processing",
        "open-weights",
        "min-score",
        "approved-exists",
        "waivers",
        "valid-profiles",
    ]
    levels = {r["id"]: r["defaultConfiguration"]["level"] for r in driver["rules"]}
    assert levels == {
        "eu-processing": "error",
        "open-weights": "warning",
        "min-score": "warning",
        "approved-exists": "error",
        "waivers": "warning",
        "valid-profiles": "error",
    }
    assert all(r["shortDescription"]["text"] for r in driver["rules"])
    assert run["invocations"] == [
        {
            "executionSuccessful": True,
            "properties": {
                "policy": "Golden test gate",
                "policyFile": "policy.yaml",
                "today": "2026-11-29",
                "priorities": "Regulated EU bank",
                "failOn": fail_on,
                "passed": False,
                "offerings": list(report.offerings),
            },
        }
    ]
    assert not [k for k in _walk_keys(log) if k.endswith("TimeUtc")]  # no wall clock

    results = run["results"]
    reported = [c for c in report.checks if c.status != "pass"]
    assert len(results) == len(reported)
    for res, c in zip(results, reported, strict=True):
        assert driver["rules"][res["ruleIndex"]]["id"] == res["ruleId"] == c.rule_id
        assert c.message in res["message"]["text"]
        assert res["properties"]["code"] == c.code
        (loc,) = res["locations"]
        art = loc["physicalLocation"]["artifactLocation"]
        assert art["uriBaseId"] == "%SRCROOT%"
        assert art["uri"] == c.file and not art["uri"].startswith(("/", "..")) and "\\" not in art["uri"]
        assert (in_scenario / art["uri"]).is_file()
        assert c.line is not None and c.line >= 1
        assert loc["physicalLocation"]["region"]["startLine"] == c.line
        if c.status == "waived":
            assert res["level"] == "warning"
            (sup,) = res["suppressions"]
            assert sup["kind"] == "external"
            assert "waivers[0]" in sup["justification"] and "ARCH-42" in sup["justification"]
        else:
            assert "suppressions" not in res
            assert res["level"] == ("error" if c in report.failing(fail_on) else "warning")
    assert sum(1 for r in results if r["level"] == "error") == len(report.failing(fail_on))


def test_sarif_without_locations_or_findings(sarif_validator: jsonschema.protocols.Validator) -> None:
    empty = json.loads(policy_sarif(_synthetic([])))
    assert empty["runs"][0]["results"] == []
    assert [r["id"] for r in empty["runs"][0]["tool"]["driver"]["rules"]] == [
        "min-score",
        "approved-exists",
        "waivers",
        "valid-profiles",
    ]
    assert not list(sarif_validator.iter_errors(empty))
    checks = [
        Check("approved-exists", "gone", "deny", "fail", "approved.missing", "no file", None, None, None),
        Check("r", "o", "warn", "fail", "rule.unknown", "no line", "my dir/vé.yaml", None, "f"),
    ]
    log = json.loads(policy_sarif(_synthetic(checks)))
    assert not list(sarif_validator.iter_errors(log))
    first, second = log["runs"][0]["results"]
    assert "locations" not in first
    assert second["locations"] == [
        {"physicalLocation": {"artifactLocation": {"uri": "my%20dir/v%C3%A9.yaml", "uriBaseId": "%SRCROOT%"}}}
    ]


def test_sarif_path_on_another_drive(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where no relative path exists (Windows, another drive), an absolute file URI."""

    def no_relpath(path: str, start: str | None = None) -> str:
        raise ValueError("path is on mount 'D:', start on mount 'C:'")

    monkeypatch.setattr(os.path, "relpath", no_relpath)
    checks = [Check("r", "o", "deny", "fail", "rule.failed", "m", "/srv/vendors/x y.yaml", 2, "f")]
    log = json.loads(policy_sarif(_synthetic(checks)))
    art = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert art == {"uri": "file:///srv/vendors/x%20y.yaml"}
    assert "file=/srv/vendors/x y.yaml," in policy_github(_synthetic(checks))


# --- price drift (a policy's price_drift section) -------------------------------------------
#
# The bundled vendors checked against a hand-made genai-prices dataset (so the goldens do
# not depend on the installed package's version): one price that agrees, one that drifted
# (a finding), one that drifted and is waived, one offering the dataset does not sell, one
# self-hosted. Goldens in tests/data/policy/price-drift/.

DRIFT_DATA = DATA / "price-drift"

DRIFT_POLICY = textwrap.dedent(
    """\
    # A policy whose only check is price drift, for tests/reports/test_policy_output.py.
    schema_version: 1
    name: Price drift gate
    approved:
      - mistral-large-4-api
      - vertex-eu-claude-opus-5.5
      - azure-openai-gpt-6-luna-eu-datazone
      - scaleway-genapi-mistral-medium-3.5
      - mistral-large-3-selfhosted
    price_drift:
      tolerance_pct: 5
      severity: warn
    max_waiver_days: 180
    waivers:
      - rule: price-drift
        offering: azure-openai-gpt-6-luna-eu-datazone
        reason: The EU Data Zone rate is above the global rate the dataset lists
        approver: finops@example.com
        expires: 2027-01-31
    """
)


def _drift_dataset() -> Any:
    from tests.genai_prices_fixtures import D, dataset, model, mp, provider

    return dataset(
        provider("mistral", model("mistral-large-4", mp(D("0.7"), D("2.1")))),
        provider("google", model("claude-opus-5-5", mp(D(4), D(20)))),
        provider("azure", name="Microsoft Azure", fallback_model_providers=["openai"]),
        provider("openai", model("gpt-6-luna", mp(D("0.1"), D("0.5"))), name="OpenAI"),
    )


@pytest.fixture(scope="module")
def drift_scenario(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("price-drift-scenario")
    shutil.copytree(VENDORS, root / "vendors")
    (root / "policy.yaml").write_text(DRIFT_POLICY, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def drift_report(drift_scenario: Path, criteria: engine.CriteriaCatalog) -> PolicyReport:
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(drift_scenario)
        policy, doc = load_policy_doc("policy.yaml")
        catalog = load_catalog([Path("vendors")], currencies=criteria.currencies())
        return check_policy(policy, catalog, criteria, doc=doc, today=TODAY, price_data=_drift_dataset())


def test_drift_scenario_is_what_the_tests_think_it_is(drift_report: PolicyReport) -> None:
    got = {(c.offering_id, c.status, c.code) for c in drift_report.checks}
    assert got == {
        ("azure-openai-gpt-6-luna-eu-datazone", "waived", "price_drift.waived"),
        ("mistral-large-3-selfhosted", "pass", "price_drift.not_compared"),
        ("mistral-large-4-api", "pass", "price_drift.within"),
        ("scaleway-genapi-mistral-medium-3.5", "pass", "price_drift.not_compared"),
        ("vertex-eu-claude-opus-5.5", "fail", "price_drift.drifted"),
    }
    assert {c.rule_id for c in drift_report.checks} == {"price-drift"}
    [finding] = drift_report.findings
    assert finding.severity == "warn"
    assert (finding.file, finding.field) == ("vendors/anthropic.yaml", "offerings[4].prices.input_per_mtok")
    assert "+10.0% / +10.0%" in finding.message and "beyond the 5% tolerance" in finding.message
    assert drift_report.exit_code("deny") == 0 and drift_report.exit_code("warn") == 1
    assert [w.status for w in drift_report.waivers] == ["active"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_drift_golden_through_shortlist_check(
    fmt: str, drift_report: PolicyReport, drift_scenario: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``shortlist check --format FMT`` on the scenario prints the golden file byte for
    byte (``UPDATE_GOLDEN=1`` rewrites it), and so does the engine's own rendering."""
    from engine.catalog.importers import genai_prices as gp

    monkeypatch.chdir(drift_scenario)
    monkeypatch.setattr(gp, "load_dataset", _drift_dataset)
    path = DRIFT_DATA / GOLDEN[fmt]
    argv = ["check", "--policy", "policy.yaml", "--vendors", "vendors", "--criteria", str(CRITERIA)]
    argv += ["--today", TODAY.isoformat(), "--format", fmt]
    out, err = io.StringIO(), io.StringIO()
    assert main(argv, out, err) == 0, err.getvalue()  # a warn finding: exit 0 at --fail-on deny
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(out.getvalue().encode("utf-8"))
    assert path.is_file(), f"missing golden file {path.name}: run with UPDATE_GOLDEN=1"
    golden = path.read_bytes().decode("utf-8")
    assert out.getvalue() == golden, f"{fmt} differs from price-drift/{path.name} (UPDATE_GOLDEN=1)"
    assert render(drift_report, fmt) == golden
    out = io.StringIO()
    assert main([*argv, "--fail-on", "warn"], out, io.StringIO()) == 1


def test_drift_in_every_format(drift_report: PolicyReport, drift_scenario: Path, monkeypatch) -> None:
    """What each format says of the drift: the finding at the price's line, the waiver
    as waived, the SARIF rule listed (only because the policy has the check)."""
    monkeypatch.chdir(drift_scenario)
    text = render(drift_report, "text")
    assert "WARN  price-drift [price_drift.drifted]" in text
    data = json.loads(render(drift_report, "json"))
    codes = sorted(c["code"] for c in data["checks"])
    assert codes == [
        "price_drift.drifted",
        "price_drift.not_compared",
        "price_drift.not_compared",
        "price_drift.waived",
        "price_drift.within",
    ]
    junit = _parse_junit(policy_junit(drift_report, "warn"))
    suite = junit.find("testsuite[@name='price-drift']")
    assert suite is not None and suite.get("tests") == "5" and suite.get("failures") == "1"
    assert suite.get("skipped") == "1"
    [gh_warning] = [x for x in policy_github(drift_report).splitlines() if x.startswith("::warning")]
    _, props, _ = _parse_command(gh_warning)
    lines = (drift_scenario / props["file"]).read_text(encoding="utf-8").splitlines()
    assert lines[int(props["line"]) - 1].strip().startswith("input_per_mtok: 4.4")
    sarif = json.loads(policy_sarif(drift_report))
    rules = [r["id"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]]
    assert rules == ["min-score", "price-drift", "approved-exists", "waivers", "valid-profiles"]
    [level] = {r["level"] for r in sarif["runs"][0]["results"] if r["ruleId"] == "price-drift"}
    assert level == "warning"


def test_drift_rule_only_in_sarif_when_the_policy_has_it(report: PolicyReport, in_scenario: Path) -> None:
    sarif = json.loads(policy_sarif(report))
    assert "price-drift" not in [r["id"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]]


def test_drift_severity_deny_fails_the_check(drift_scenario: Path, criteria: engine.CriteriaCatalog) -> None:
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(drift_scenario)
        text = DRIFT_POLICY.replace("severity: warn", "severity: deny").replace(
            "tolerance_pct: 5", "tolerance_pct: 15"
        )
        Path("deny.yaml").write_text(text, encoding="utf-8")
        policy, doc = load_policy_doc("deny.yaml")
        catalog = load_catalog([Path("vendors")], currencies=criteria.currencies())
        rep = check_policy(policy, catalog, criteria, doc=doc, today=TODAY, price_data=_drift_dataset())
    assert rep.findings == () and rep.exit_code("deny") == 0  # 10 % is within 15 %
    assert {c.severity for c in rep.checks} == {"deny"}
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(drift_scenario)
        Path("deny.yaml").write_text(text.replace("tolerance_pct: 15", "tolerance_pct: 1"), encoding="utf-8")
        policy, doc = load_policy_doc("deny.yaml")
        rep = check_policy(policy, catalog, criteria, doc=doc, today=TODAY, price_data=_drift_dataset())
    assert [c.offering_id for c in rep.failing("deny")] == ["vertex-eu-claude-opus-5.5"]


def test_drift_needs_the_package(drift_scenario: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without genai-prices a policy asking for price drift is invalid input (exit 2),
    at the line of its price_drift section — never a silent pass."""
    monkeypatch.chdir(drift_scenario)
    monkeypatch.setitem(sys.modules, "genai_prices.data", None)
    out, err = io.StringIO(), io.StringIO()
    argv = ["check", "--policy", "policy.yaml", "--vendors", "vendors", "--criteria", str(CRITERIA)]
    assert main(argv, out, err) == 2
    assert out.getvalue() == ""
    line = DRIFT_POLICY.splitlines().index("price_drift:") + 1
    assert err.getvalue() == (
        f"policy.yaml:{line}: policy.price_drift_unavailable [price_drift]: price_drift compares list "
        "prices with the genai-prices package, which is not installed: pip install 'shortlist[import]'\n"
    )


def test_drift_waiver_names_and_reserved_id(drift_scenario: Path, criteria: engine.CriteriaCatalog) -> None:
    """``price-drift`` is a rule a waiver may name only when the policy has the section,
    and no rule may take the id."""
    from engine.catalog.schema import PolicyFile
    from engine.policy.rules import validate_policy

    base = {"schema_version": 1, "name": "p"}
    waiver = {
        "rule": "price-drift",
        "offering": "mistral-large-4-api",
        "reason": "r",
        "approver": "a",
        "expires": "2027-01-01",
    }
    policy = PolicyFile.model_validate({**base, "approved": ["mistral-large-4-api"], "waivers": [waiver]})
    catalog = load_catalog([VENDORS])
    rep = check_policy(policy, catalog, criteria, today=TODAY)
    assert [w.status for w in rep.waivers] == ["unknown_rule"]
    rule = {"id": "price-drift", "field": "deployment", "op": "in", "value": ["api"]}
    bad = PolicyFile.model_validate({**base, "rules": [rule]})
    assert [i.code for i in validate_policy(bad)] == ["policy.reserved_rule_id"]
    with pytest.raises(ValidationError):
        PolicyFile.model_validate({**base, "price_drift": {"tolerance_pct": -1}})
    ok = PolicyFile.model_validate({**base, "price_drift": {}})
    assert ok.price_drift is not None and (ok.price_drift.tolerance_pct, ok.price_drift.severity) == (
        5.0,
        "warn",
    )


@pytest.mark.skipif(
    importlib.util.find_spec("genai_prices") is None,
    reason="genai-prices is not installed (pip install 'shortlist[import]')",
)
def test_drift_with_the_installed_dataset(drift_scenario: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``shortlist check`` reads the installed package when a policy asks for drift."""
    monkeypatch.chdir(drift_scenario)
    out, err = io.StringIO(), io.StringIO()
    argv = ["check", "--policy", "policy.yaml", "--vendors", "vendors", "--criteria", str(CRITERIA)]
    assert main([*argv, "--today", TODAY.isoformat(), "--format", "json"], out, err) == 0, err.getvalue()
    checks = {c["offering"]: c for c in json.loads(out.getvalue())["checks"]}
    assert checks["mistral-large-4-api"]["code"] == "price_drift.within"
    assert checks["mistral-large-3-selfhosted"]["code"] == "price_drift.not_compared"
    assert "genai-prices" in checks["mistral-large-4-api"]["message"]

"""Renderings of a :class:`~engine.policy.rules.PolicyReport` for people and for CI.

Five formats, each a pure function of the report (and, for the CI formats, of the
directory paths are made relative to), so the same report gives byte-identical output:

``text``
    A summary grouped by offering, for people.
``json``
    Shortlist's own stable schema, with a ``schema_version``.
``junit``
    JUnit XML for test reporters (GitHub Actions reporters, GitLab, Jenkins): one
    ``<testsuite>`` per rule, one ``<testcase>`` per rule × offering.
``github``
    GitHub Actions workflow commands: one ``::error``/``::warning``/``::notice`` line
    per finding, which GitHub turns into annotations on the offending line.
``sarif``
    SARIF 2.1.0 (OASIS), for GitHub code scanning and other SARIF viewers.

The CI formats agree on one rule: a finding *at or above* ``fail_on`` (what makes
``shortlist check`` exit 1) is an error/failure; a finding below it is a warning that
does not fail; a waived check is reported but never fails.
"""

from __future__ import annotations

import json
import os
import urllib.parse
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from engine.catalog.staleness import stale_label, stale_record
from engine.policy.rules import (
    ANSWERS_RULE,
    APPROVED_RULE,
    INPUT_RULE,
    MIN_SCORE_RULE,
    PRICE_DRIFT_RULE,
    SEVERITIES,
    WAIVER_RULE,
    Check,
    PolicyReport,
    WaiverState,
)
from engine.reports.escape import (
    github_data,
    github_property,
    json_text,
    terminal,
    terminal_block,
    visible,
    xml,
)
from engine.reports.summarise import PER_ITEM, ROWS, cut, more_line, names

__all__ = [
    "FORMATS",
    "JSON_SCHEMA_VERSION",
    "SARIF_SCHEMA_URI",
    "SARIF_VERSION",
    "policy_github",
    "policy_json",
    "policy_junit",
    "policy_sarif",
    "policy_sarif_dict",
    "policy_text",
    "render",
]

JSON_SCHEMA_VERSION = 1
"""Version of the JSON report; bumped on any incompatible change."""

FORMATS: tuple[str, ...] = ("text", "json", "junit", "github", "sarif")
"""Output formats of ``shortlist check``."""

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
"""The OASIS SARIF 2.1.0 (errata 01) JSON schema, the ``$schema`` of every SARIF log."""

TOOL_NAME = "Shortlist"
INFORMATION_URI: str | None = None
"""The tool's home page for SARIF's ``tool.driver.informationUri`` (an absolute URI);
left out while the project has no public address."""

POLICY_CHECKS: tuple[str, ...] = (
    MIN_SCORE_RULE,
    PRICE_DRIFT_RULE,
    APPROVED_RULE,
    WAIVER_RULE,
    INPUT_RULE,
    ANSWERS_RULE,
)
"""Policy-level check ids, reported after the policy's own rules, in this order."""
_OPTIONAL_CHECKS = (PRICE_DRIFT_RULE, ANSWERS_RULE)
"""Policy-level checks SARIF lists only when the policy (or the run: answer files) has them."""

_POLICY_CHECK_TEXT = {
    MIN_SCORE_RULE: "Every offering in scope scores at least the policy's minimum under its priorities",
    PRICE_DRIFT_RULE: "Every offering's list price is within the policy's tolerance of the genai-prices dataset",
    APPROVED_RULE: "Every approved offering exists in the catalog",
    INPUT_RULE: "Every vendor profile loads (a profile that does not is left out of every check)",
    ANSWERS_RULE: (
        "Every vendors' answer file given is used (a file or workbook sheet with a problem "
        "contributes no answer to any check)"
    ),
    WAIVER_RULE: (
        "Every waiver names a rule and an offering of the policy and has a valid expiry, "
        "not passed and within the policy's maximum waiver horizon"
    ),
}
_POLICY_CHECK_LEVEL = {
    MIN_SCORE_RULE: "warning",
    PRICE_DRIFT_RULE: "warning",
    APPROVED_RULE: "error",
    WAIVER_RULE: "warning",
    INPUT_RULE: "error",
    ANSWERS_RULE: "error",
}
_SARIF_LEVEL = {"deny": "error", "warn": "warning"}
_SRCROOT = "%SRCROOT%"
_ALL = "--format json, junit, sarif or github lists all"


def _check_fail_on(fail_on: str) -> None:
    if fail_on not in SEVERITIES:
        raise ValueError(f"unknown fail_on {fail_on!r}; expected one of {', '.join(SEVERITIES)}")


def _fails(c: Check, fail_on: str) -> bool:
    """True when ``c`` is a finding at or above ``fail_on`` (it makes the check exit 1)."""
    return c.status == "fail" and SEVERITIES.index(c.severity) <= SEVERITIES.index(fail_on)


def _rel(path: str, base: str | os.PathLike[str] | None) -> str:
    """``path`` relative to ``base`` (default: the working directory), with ``/``.

    CI annotations need repository-relative paths; a path on another drive (Windows),
    where no relative path exists, is kept as given.
    """
    try:
        rel = os.path.relpath(path, base) if base is not None else os.path.relpath(path)
    except ValueError:
        rel = path
    return rel.replace(os.sep, "/")


def _rule_ids(report: PolicyReport, *, all_policy_checks: bool = False) -> list[str]:
    """The policy's rule ids in order of first appearance, then the policy-level checks."""
    seen: dict[str, None] = {}
    for c in report.checks:
        if c.rule_id not in POLICY_CHECKS:
            seen.setdefault(c.rule_id)
    present = {c.rule_id for c in report.checks}
    return [
        *seen,
        *(r for r in POLICY_CHECKS if r in present or (all_policy_checks and r not in _OPTIONAL_CHECKS)),
    ]


def _waiver_for(report: PolicyReport, c: Check) -> WaiverState | None:
    """The active waiver that waived ``c`` (the last one listed, as :func:`check_policy` uses)."""
    found = None
    for w in report.waivers:
        if w.status == "active" and w.rule == c.rule_id and w.offering == c.offering_id:
            found = w
    return found


def _waiver_text(report: PolicyReport, c: Check) -> str:
    w = _waiver_for(report, c)
    if w is None or w.expires is None:
        return c.message
    return f"waived by waivers[{w.index}] until {w.expires.isoformat()}, approved by {w.approver}: {w.reason}"


def _where(c: Check) -> str:
    if c.file is None:
        return ""
    return f"{c.file}:{c.line}" if c.line else c.file


def policy_text(report: PolicyReport, fail_on: str = "deny") -> str:
    """Human summary: findings grouped by offering, then waivers, then the verdict.

    Findings are listed offering by offering until :data:`engine.reports.summarise.ROWS` are
    shown (the policy's own findings first), then counted; waived checks and waivers
    likewise. The verdict and the counts always cover every finding; the other formats
    list them all.
    """
    findings = report.findings
    t = terminal  # every input-derived field stays on its line, controls made visible
    lines = [
        f"Policy: {t(report.policy_name)} ({t(report.policy_file)}) · checked on {report.today.isoformat()}"
        + (f" · priorities: {t(report.priorities_name)}" if report.priorities_name else ""),
        f"{len(report.offerings)} offering(s) in scope, {len(report.checks)} check(s), "
        f"{len(findings)} finding(s): "
        + ", ".join(f"{sum(1 for c in findings if c.severity == s)} {s}" for s in ("deny", "warn")),
    ]
    by_offering: dict[str, list[Check]] = {}
    for c in findings:
        by_offering.setdefault(c.offering_id or "(policy)", []).append(c)
    shown = 0
    groups = sorted(by_offering)
    for k, oid in enumerate(groups):
        if shown >= ROWS:
            rest = sum(len(by_offering[o]) for o in groups[k:])
            lines += ["", more_line(len(groups) - k, f"offerings with {rest:,} finding(s)", _ALL)]
            break
        shown += len(by_offering[oid])
        lines.append("")
        lines.append(f"{t(oid)}:")
        for c in by_offering[oid]:
            lines.append(f"  {c.severity.upper():<5} {t(c.rule_id)} [{t(c.code)}] {t(c.message)}")
            if _where(c):
                lines.append(f"        at {t(_where(c))}" + (f" ({t(c.field)})" if c.field else ""))
    lines += _stale_lines(report)
    if report.answers:  # a check that rests on a vendor's word says so
        lines += ["", f"Vendors' answers used ({len(report.answers)}):"]
        shown_answers, left = cut(report.answers)
        lines.extend(f"  {t(oid)}: {t(flag)}" for oid, flag in shown_answers)
        if left:
            lines.append("  " + more_line(left, "answer uses", _ALL))
    waived = [c for c in report.checks if c.status == "waived"]
    if waived:
        lines.append("")
        lines.append(f"Waived ({len(waived)}):")
        waived, left = cut(waived)
        lines.extend(f"  {t(c.offering_id or '')}: {t(c.rule_id)} — {t(c.message)}" for c in waived)
        if left:
            lines.append("  " + more_line(left, "waived checks", _ALL))
    if report.waivers:
        lines.append("")
        lines.append("Waivers:")
        waivers, left = cut(report.waivers)
        for w in waivers:
            exp = w.expires.isoformat() if w.expires else "no valid expiry"
            days = f", {w.days_left} day(s) left" if w.days_left is not None and w.days_left >= 0 else ""
            lines.append(
                f"  {t(w.rule)} / {t(w.offering)}: {w.status} (expires {exp}{days}; approved by {t(w.approver)})"
            )
        if left:
            lines.append("  " + more_line(left, "waivers", _ALL))
    failing = report.failing(fail_on)
    lines.append("")
    if failing:
        lines.append(f"FAILED: {len(failing)} finding(s) at or above '{fail_on}'")
    else:
        lines.append(f"PASSED: no finding at or above '{fail_on}'")
    return terminal_block("\n".join(lines) + "\n")


def _stale_lines(report: PolicyReport) -> list[str]:
    """The stale facts of the offerings in scope, offering by offering (each line's
    facts cut at :data:`engine.reports.summarise.PER_ITEM`, the offerings at
    :data:`engine.reports.summarise.ROWS`)."""
    if not report.stale:
        return []
    by_offering: dict[str, list[str]] = {}
    for oid, age in report.stale:
        by_offering.setdefault(oid, []).append(stale_label(age))
    n = len(report.stale)
    lines = [
        "",
        f"Stale data ({n} fact(s) of {len(by_offering)} offering(s) older than their kind's limit or dated "
        "after the check date; not findings: a `<kind>.as_of` rule with `max_age_days` enforces an age):",
    ]
    groups, left = cut(sorted(by_offering))
    lines += [f"  {terminal(o)}: {terminal(names(by_offering[o], PER_ITEM, '; '))}" for o in groups]
    if left:
        lines.append("  " + more_line(left, "offerings with stale data", _ALL))
    return lines


def _check_dict(c: Check) -> dict[str, Any]:
    return {
        "rule": c.rule_id,
        "offering": c.offering_id,
        "severity": c.severity,
        "status": c.status,
        "code": c.code,
        "message": c.message,
        "file": c.file,
        "line": c.line,
        "field": c.field,
    }


def policy_dict(report: PolicyReport, fail_on: str = "deny") -> dict[str, Any]:
    """The JSON-ready report (schema version :data:`JSON_SCHEMA_VERSION`); ``answers``
    (what the vendors' answers did, by offering) only when answers were given."""
    out: dict[str, Any] = {
        "schema_version": JSON_SCHEMA_VERSION,
        "policy": {"name": report.policy_name, "file": report.policy_file},
        "today": report.today.isoformat(),
        "priorities": report.priorities_name,
        "fail_on": fail_on,
        "passed": not report.failing(fail_on),
        "summary": {
            "offerings": len(report.offerings),
            "checks": len(report.checks),
            "findings": len(report.findings),
            "deny": sum(1 for c in report.findings if c.severity == "deny"),
            "warn": sum(1 for c in report.findings if c.severity == "warn"),
            "waived": sum(1 for c in report.checks if c.status == "waived"),
        },
        "offerings": list(report.offerings),
        "stale": [{"offering": oid, **stale_record(a, report.today)} for oid, a in report.stale],
        "max_age_days": dict(report.max_age_days),
        "findings": [_check_dict(c) for c in report.findings],
        "checks": [_check_dict(c) for c in report.checks],
        "waivers": [
            {
                "rule": w.rule,
                "offering": w.offering,
                "reason": w.reason,
                "approver": w.approver,
                "expires": w.expires.isoformat() if w.expires else None,
                "status": w.status,
                "days_left": w.days_left,
                "line": w.line,
            }
            for w in report.waivers
        ],
    }
    if report.answers:
        out["answers"] = [{"offering": oid, "flag": flag} for oid, flag in report.answers]
    return out


def policy_json(report: PolicyReport, fail_on: str = "deny") -> str:
    """Deterministic JSON (sorted keys, 2-space indent)."""
    return (
        json_text(
            json.dumps(
                policy_dict(report, fail_on), indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False
            )
        )
        + "\n"
    )


# --- JUnit XML -----------------------------------------------------------------------


def _xml(s: str) -> str:
    """Text XML 1.0 can carry (:func:`engine.reports.escape.xml`)."""
    return xml(s)


def _el(parent: ET.Element, tag: str, attrs: dict[str, str], text: str | None = None) -> ET.Element:
    """A child element with attributes in the given order (ElementTree keeps it)."""
    e = ET.SubElement(parent, tag, {k: _xml(v) for k, v in attrs.items()})
    if text is not None:
        e.text = _xml(text)
    return e


def _detail(c: Check, base: str | os.PathLike[str] | None) -> str:
    """Where and what, for a failure or warning body: ``file:line (field)``, then the finding."""
    lines = []
    if c.file is not None:
        where = _rel(c.file, base) + (f":{c.line}" if c.line else "")
        lines.append(where + (f" ({c.field})" if c.field else ""))
    lines.append(f"{c.severity} {c.code}: {c.message}")
    return "\n".join(lines)


def policy_junit(
    report: PolicyReport, fail_on: str = "deny", *, base: str | os.PathLike[str] | None = None
) -> str:
    """JUnit XML: one ``<testsuite>`` per rule, one ``<testcase>`` per rule × offering.

    The de facto JUnit XML format of Ant's ``XMLJUnitResultFormatter``, as read by
    Jenkins (JUnit plugin), GitLab (``artifacts:reports:junit``) and the GitHub Actions
    test reporters; element and attribute order follow the Ant/Jenkins schema
    (``properties``, then ``testcase`` elements).

    Mapping:

    - ``<testsuites name="shortlist check: POLICY">`` holds the totals.
    - One ``<testsuite>`` per rule id that was evaluated, in policy order, then
      ``min-score``, ``price-drift``, ``approved-exists`` and ``waivers``. Its ``<properties>`` name the
      policy, the severity and ``fail_on``.
    - One ``<testcase classname=RULE name=OFFERING>`` per check, with ``file`` and
      ``line`` attributes where known (read by reporters that annotate). A repeated
      name inside a suite (two waivers of one offering) gets its field appended:
      ``offering (waivers[1].expires)``.
    - A finding at or above ``fail_on``: ``<failure message=… type=CODE>`` whose text
      gives ``file:line (field)``, the severity, code and message.
    - A finding below ``fail_on``: a **passing** testcase whose ``<system-out>`` holds
      the warning, so a dashboard is red exactly when ``shortlist check`` exits 1 and
      the warning still travels with the report.
    - A waived check: ``<skipped message=…>`` naming the waiver (index, expiry,
      approver, reason).
    - ``errors`` is always 0: a broken policy stops ``shortlist check`` before any report,
      and a vendor profile that did not load is a ``valid-profiles`` failure, an answer
      file (or workbook sheet) not used a ``valid-answers`` failure.

    ``tests``, ``failures``, ``errors`` and ``skipped`` are counted on every suite and
    on the root. No wall clock: ``timestamp`` is ``report.today`` at midnight and every
    ``time`` is ``0``, so the same report gives byte-identical XML.

    Parameters
    ----------
    report : PolicyReport
    fail_on : {"deny", "warn"}
    base : path-like, optional
        Directory file paths are made relative to (default: the working directory).
        Relative paths in the report are read as relative to the working directory.

    Returns
    -------
    str
        UTF-8 XML document with declaration, two-space indented, ending in a newline.

    References
    ----------
    Apache Ant ``XMLJUnitResultFormatter``; Jenkins JUnit plugin schema
    (https://github.com/jenkinsci/junit-plugin, ``junit-10.xsd``); GitLab "Unit test
    reports" (https://docs.gitlab.com/ci/testing/unit_test_reports/).
    """
    _check_fail_on(fail_on)
    timestamp = f"{report.today.isoformat()}T00:00:00"
    root = ET.Element("testsuites")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    root_attrs = {"name": f"shortlist check: {report.policy_name}", **{k: "0" for k in totals}, "time": "0"}
    for key, value in root_attrs.items():
        root.set(key, _xml(value))
    for rule_id in _rule_ids(report):
        checks = [c for c in report.checks if c.rule_id == rule_id]
        counts = {
            "tests": len(checks),
            "failures": sum(1 for c in checks if _fails(c, fail_on)),
            "errors": 0,
            "skipped": sum(1 for c in checks if c.status == "waived"),
        }
        suite = _el(
            root,
            "testsuite",
            {
                "name": rule_id,
                **{k: str(v) for k, v in counts.items()},
                "time": "0",
                "timestamp": timestamp,
            },
        )
        props = _el(suite, "properties", {})
        severities = ", ".join(s for s in SEVERITIES if any(c.severity == s for c in checks))
        for name, value in (("policy", report.policy_name), ("severity", severities), ("fail_on", fail_on)):
            _el(props, "property", {"name": name, "value": value})
        names = [c.offering_id or "(policy)" for c in checks]
        for c, name in zip(checks, names, strict=True):
            if names.count(name) > 1 and c.field:
                name = f"{name} ({c.field})"
            attrs = {"classname": rule_id, "name": name}
            if c.file is not None:
                attrs["file"] = _rel(c.file, base)
                if c.line:
                    attrs["line"] = str(c.line)
            attrs["time"] = "0"
            case = _el(suite, "testcase", attrs)
            if _fails(c, fail_on):
                _el(case, "failure", {"message": c.message, "type": c.code}, _detail(c, base))
            elif c.status == "fail":
                note = f"{c.severity.upper()} (below --fail-on {fail_on}, does not fail)\n"
                _el(case, "system-out", {}, note + _detail(c, base))
            elif c.status == "waived":
                _el(case, "skipped", {"message": _waiver_text(report, c)}, _detail(c, base))
        for key, n in counts.items():
            totals[key] += n
    for key, n in totals.items():
        root.set(key, str(n))
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


# --- GitHub Actions workflow commands --------------------------------------------------


_gh_data = github_data
_gh_property = github_property


def policy_github(
    report: PolicyReport, fail_on: str = "deny", *, base: str | os.PathLike[str] | None = None
) -> str:
    """GitHub Actions workflow commands: one annotation line per finding, then a summary.

    ``::error`` for a finding at or above ``fail_on`` (it fails the check), ``::warning``
    for a finding below it, ``::notice`` for a waived check (its message names the
    waiver). Each has ``file=`` (relative to ``base``, ``/``-separated: GitHub needs
    repository-relative paths), ``line=`` (left out when unknown; both left out when the
    file is unknown) and ``title=RULE (SEVERITY) · OFFERING``; the message is the
    finding's message followed by ``[code; field]``.

    Escaping follows ``@actions/core`` (``toCommandValue``/``escapeData``/
    ``escapeProperty``): in the message ``%`` → ``%25``, CR → ``%0D``, LF → ``%0A``; in
    property values also ``:`` → ``%3A`` and ``,`` → ``%2C`` (:func:`engine.reports.escape.github_data`,
    :func:`engine.reports.escape.github_property`; other controls are made visible), so no input
    text (a policy name, a message, a file name) can start a line of its own and with it
    a command (``::add-mask::``, ``::stop-commands::``). The summary line is not a
    command: it starts with ``shortlist check`` and shows every control character as a
    visible escape (:func:`engine.reports.escape.visible`), so it stays one line and reads as
    written.

    The last line is a plain-text summary (verdict and counts), not a command: it stays
    in the log without using one of the step's annotations. GitHub shows at most 10
    annotations of each level per step (50 per job); lines come in report order (rule
    order, then offering id), all of them still in the log.

    Parameters
    ----------
    report : PolicyReport
    fail_on : {"deny", "warn"}
    base : path-like, optional
        Directory file paths are made relative to (default: the working directory,
        which in a GitHub workflow is the repository root). Relative paths in the
        report are read as relative to the working directory.

    Returns
    -------
    str
        One line per finding or waived check, then the summary; ends with a newline.

    References
    ----------
    GitHub Docs, "Workflow commands for GitHub Actions" (``error``, ``warning``,
    ``notice``); ``actions/toolkit``, ``packages/core/src/command.ts`` (escaping).
    """
    _check_fail_on(fail_on)
    lines = []
    for c in report.checks:
        if c.status == "pass":
            continue
        if c.status == "waived":
            command, title = "notice", f"{c.rule_id} ({c.severity}) waived"
        else:
            command = "error" if _fails(c, fail_on) else "warning"
            title = f"{c.rule_id} ({c.severity})"
        if c.offering_id:
            title += f" · {c.offering_id}"
        props = []
        if c.file is not None:
            props.append(f"file={_gh_property(_rel(c.file, base))}")
            if c.line:
                props.append(f"line={c.line}")
        props.append(f"title={_gh_property(title)}")
        tag = f"{c.code}; {c.field}" if c.field else c.code
        lines.append(f"::{command} {','.join(props)}::{_gh_data(f'{c.message} [{tag}]')}")
    failing = report.failing(fail_on)
    findings = report.findings
    waived = sum(1 for c in report.checks if c.status == "waived")
    verdict = f"FAILED: {len(failing)} finding(s)" if failing else "PASSED: no finding"
    counts = ", ".join(f"{sum(1 for c in findings if c.severity == s)} {s}" for s in SEVERITIES)
    lines.append(  # not a command: controls shown visibly, so the policy name cannot start a line
        visible(
            f"shortlist check {verdict} at or above '{fail_on}' · policy {report.policy_name} · "
            f"{len(report.checks)} check(s), {len(findings)} finding(s) ({counts}), {waived} waived · "
            f"checked on {report.today.isoformat()}"
        )
    )
    return "\n".join(lines) + "\n"


# --- SARIF 2.1.0 ----------------------------------------------------------------------


def _artifact_location(path: str, base: str | os.PathLike[str] | None) -> dict[str, Any]:
    """A relative ``uri`` (percent-encoded, ``/``-separated) against ``%SRCROOT%``, or
    an absolute ``file:`` URI when no relative path exists."""
    rel = _rel(path, base)
    if os.path.isabs(rel):
        return {"uri": Path(rel).as_uri()}
    return {"uri": urllib.parse.quote(rel, safe="/"), "uriBaseId": _SRCROOT}


def _sarif_result(
    report: PolicyReport, c: Check, index: int, fail_on: str, base: str | os.PathLike[str] | None
) -> dict[str, Any]:
    if c.status == "fail":
        level = "error" if _fails(c, fail_on) else "warning"
    else:  # waived: the level of its severity, suppressed
        level = _SARIF_LEVEL[c.severity]
    text = c.message
    if c.offering_id and c.offering_id not in text:
        text = f"{c.offering_id}: {text}"
    result: dict[str, Any] = {
        "ruleId": c.rule_id,
        "ruleIndex": index,
        "level": level,
        "message": {"text": text},
    }
    if c.file is not None:
        physical: dict[str, Any] = {"artifactLocation": _artifact_location(c.file, base)}
        if c.line is not None and c.line >= 1:
            physical["region"] = {"startLine": c.line}
        result["locations"] = [{"physicalLocation": physical}]
    if c.status == "waived":
        result["suppressions"] = [
            {"kind": "external", "status": "accepted", "justification": _waiver_text(report, c)}
        ]
    props: dict[str, Any] = {"offering": c.offering_id, "severity": c.severity, "code": c.code}
    if c.field:
        props["field"] = c.field
    result["properties"] = props
    return result


def policy_sarif_dict(
    report: PolicyReport, fail_on: str = "deny", *, base: str | os.PathLike[str] | None = None
) -> dict[str, Any]:
    """The SARIF 2.1.0 log as a JSON-ready dict (see :func:`policy_sarif`)."""
    _check_fail_on(fail_on)
    rule_ids = _rule_ids(report, all_policy_checks=True)
    rules = []
    for rid in rule_ids:
        sev = next((c.severity for c in report.checks if c.rule_id == rid), None)
        if rid in POLICY_CHECKS:
            text, level = _POLICY_CHECK_TEXT[rid], _POLICY_CHECK_LEVEL[rid]
            if rid in (MIN_SCORE_RULE, PRICE_DRIFT_RULE) and sev is not None:  # the policy's choice
                level = _SARIF_LEVEL[sev]
        else:
            assert sev is not None  # a rule id comes from its checks
            text, level = f"Policy rule '{rid}' of {report.policy_name} ({sev})", _SARIF_LEVEL[sev]
        rules.append(
            {"id": rid, "shortDescription": {"text": text}, "defaultConfiguration": {"level": level}}
        )
    index = {rid: i for i, rid in enumerate(rule_ids)}
    results = [
        _sarif_result(report, c, index[c.rule_id], fail_on, base)
        for c in report.checks
        if c.status in ("fail", "waived")
    ]
    driver: dict[str, Any] = {"name": TOOL_NAME, "version": _version()}
    if INFORMATION_URI:
        driver["informationUri"] = INFORMATION_URI
    driver["rules"] = rules
    invocation_props: dict[str, Any] = {
        "policy": report.policy_name,
        "policyFile": _rel(report.policy_file, base) if report.policy_file else None,
        "today": report.today.isoformat(),
        "priorities": report.priorities_name,
        "failOn": fail_on,
        "passed": not report.failing(fail_on),
        "offerings": list(report.offerings),
    }
    return {
        "$schema": SARIF_SCHEMA_URI,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {"driver": driver},
                "originalUriBaseIds": {
                    _SRCROOT: {
                        "description": {
                            "text": "The directory shortlist check ran in (the repository root in CI); "
                            "left open so that the log does not depend on the machine."
                        }
                    }
                },
                # a vendor profile that did not load makes the run incomplete (exit code 2)
                "invocations": [
                    {
                        "executionSuccessful": not any(
                            c.code in ("input.invalid", "input.answers_not_used") for c in report.checks
                        ),
                        "properties": invocation_props,
                    }
                ],
                "results": results,
            }
        ],
    }


def _version() -> str:
    from engine._version import __version__

    return __version__


def policy_sarif(
    report: PolicyReport, fail_on: str = "deny", *, base: str | os.PathLike[str] | None = None
) -> str:
    """SARIF 2.1.0 log of the policy check, for GitHub code scanning and SARIF viewers.

    One run; ``tool.driver`` is Shortlist with its version and a ``rules`` array of
    one ``reportingDescriptor`` per policy rule (in policy order) and per policy-level
    check (``min-score``, ``approved-exists``, ``waivers``, always listed so the rules
    do not change from run to run; ``price-drift`` when the policy has it), each with ``shortDescription`` and
    ``defaultConfiguration.level`` (``deny`` → ``error``, ``warn`` → ``warning``).

    One ``result`` per finding and per waived check, in report order, with ``ruleId``,
    ``ruleIndex``, ``message.text`` and ``properties`` (offering, severity, code,
    field). ``level`` is ``error`` for a finding at or above ``fail_on`` and ``warning``
    for one below, so a code-scanning gate fails exactly when ``shortlist check``
    does; a waived check keeps its severity's level and carries
    ``suppressions: [{kind: external, status: accepted, justification}]`` naming the
    waiver. ``locations[0].physicalLocation`` gives the file as a relative URI
    (``/``-separated, percent-encoded) against ``uriBaseId`` ``%SRCROOT%`` and
    ``region.startLine`` when the line is known; GitHub code scanning needs a location
    to show a result and reads paths as relative to the repository root.
    ``partialFingerprints`` are left to GitHub's upload action, which computes them
    from the files.

    ``invocations`` has ``executionSuccessful: true`` unless a vendor profile did not
    load (findings are results, not tool
    failures) and the check's context in ``properties``; no wall-clock time anywhere,
    so the same report gives byte-identical output.

    Parameters
    ----------
    report : PolicyReport
    fail_on : {"deny", "warn"}
    base : path-like, optional
        Directory file paths are made relative to (default: the working directory).
        Relative paths in the report are read as relative to the working directory.

    Returns
    -------
    str
        JSON, two-space indented, keys in SARIF's customary order, ending in a newline.

    References
    ----------
    OASIS, *Static Analysis Results Interchange Format (SARIF) Version 2.1.0 Plus
    Errata 01* (2023), https://docs.oasis-open.org/sarif/sarif/v2.1.0/; GitHub Docs,
    "SARIF support for code scanning".
    """
    return (
        json_text(
            json.dumps(
                policy_sarif_dict(report, fail_on, base=base), indent=2, ensure_ascii=False, allow_nan=False
            )
        )
        + "\n"
    )


def render(report: PolicyReport, fmt: str, fail_on: str = "deny") -> str:
    """Render in one of :data:`FORMATS` (CI formats: paths relative to the working directory).

    Raises
    ------
    ValueError
        For an unknown format or ``fail_on``.
    """
    if fmt == "text":
        return policy_text(report, fail_on)
    if fmt == "json":
        return policy_json(report, fail_on)
    if fmt == "junit":
        return policy_junit(report, fail_on)
    if fmt == "github":
        return policy_github(report, fail_on)
    if fmt == "sarif":
        return policy_sarif(report, fail_on)
    raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")

"""Renderings of a :class:`~engine.policy.PolicyReport` for people and for CI.

``text`` (a summary grouped by offering) and ``json`` (a stable schema with a
``schema_version``) live here; every format is a pure function of the report, so the
same report gives byte-identical output.
"""

from __future__ import annotations

import json
from typing import Any

from engine.policy import Check, PolicyReport

__all__ = ["FORMATS", "JSON_SCHEMA_VERSION", "policy_json", "policy_text", "render"]

JSON_SCHEMA_VERSION = 1
"""Version of the JSON report; bumped on any incompatible change."""

FORMATS: tuple[str, ...] = ("text", "json")
"""Output formats of ``shortlist check``."""


def _where(c: Check) -> str:
    if c.file is None:
        return ""
    return f"{c.file}:{c.line}" if c.line else c.file


def policy_text(report: PolicyReport, fail_on: str = "deny") -> str:
    """Human summary: findings grouped by offering, then waivers, then the verdict."""
    findings = report.findings
    lines = [
        f"Policy: {report.policy_name} ({report.policy_file}) · checked on {report.today.isoformat()}"
        + (f" · priorities: {report.priorities_name}" if report.priorities_name else ""),
        f"{len(report.offerings)} offering(s) in scope, {len(report.checks)} check(s), "
        f"{len(findings)} finding(s): "
        + ", ".join(f"{sum(1 for c in findings if c.severity == s)} {s}" for s in ("deny", "warn")),
    ]
    by_offering: dict[str, list[Check]] = {}
    for c in findings:
        by_offering.setdefault(c.offering_id or "(policy)", []).append(c)
    for oid in sorted(by_offering):
        lines.append("")
        lines.append(f"{oid}:")
        for c in by_offering[oid]:
            lines.append(f"  {c.severity.upper():<5} {c.rule_id} [{c.code}] {c.message}")
            if _where(c):
                lines.append(f"        at {_where(c)}" + (f" ({c.field})" if c.field else ""))
    waived = [c for c in report.checks if c.status == "waived"]
    if waived:
        lines.append("")
        lines.append(f"Waived ({len(waived)}):")
        lines.extend(f"  {c.offering_id}: {c.rule_id} — {c.message}" for c in waived)
    if report.waivers:
        lines.append("")
        lines.append("Waivers:")
        for w in report.waivers:
            exp = w.expires.isoformat() if w.expires else "no valid expiry"
            left = f", {w.days_left} day(s) left" if w.days_left is not None and w.days_left >= 0 else ""
            lines.append(
                f"  {w.rule} / {w.offering}: {w.status} (expires {exp}{left}; approved by {w.approver})"
            )
    failing = report.failing(fail_on)
    lines.append("")
    if failing:
        lines.append(f"FAILED: {len(failing)} finding(s) at or above '{fail_on}'")
    else:
        lines.append(f"PASSED: no finding at or above '{fail_on}'")
    return "\n".join(lines) + "\n"


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
    """The JSON-ready report (schema version :data:`JSON_SCHEMA_VERSION`)."""
    return {
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


def policy_json(report: PolicyReport, fail_on: str = "deny") -> str:
    """Deterministic JSON (sorted keys, 2-space indent)."""
    return json.dumps(policy_dict(report, fail_on), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def render(report: PolicyReport, fmt: str, fail_on: str = "deny") -> str:
    """Render in one of :data:`FORMATS`.

    Raises
    ------
    ValueError
        For an unknown format.
    """
    if fmt == "text":
        return policy_text(report, fail_on)
    if fmt == "json":
        return policy_json(report, fail_on)
    raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")

"""Price drift (:mod:`engine.policy.price_drift`) as plain text and as JSON
(``shortlist prices check --format text|json``)."""

from __future__ import annotations

import json
from typing import Any

from engine.catalog.importers.genai_prices import DATASET
from engine.policy.price_drift import STATUSES, DriftReport, PriceCheck
from engine.reports.escape import json_text, terminal, terminal_block
from engine.reports.summarise import cut, more_line

__all__ = ["drift_dict", "drift_json", "drift_text"]


def drift_text(report: DriftReport) -> str:
    """A plain-text report: the counts, then the offerings by status (drifted first),
    at most :data:`engine.reports.summarise.ROWS` of each status (the JSON lists all)."""
    lines = [
        f"Prices on {report.on.isoformat()} against {DATASET} {report.dataset_version} "
        f"(tolerance {report.tolerance_pct:g}%): {len(report.checks)} offerings — "
        + ", ".join(f"{report.count(s)} {s.replace('_', ' ')}" for s in STATUSES)
    ]
    for status in STATUSES:
        got = [c for c in report.checks if c.status == status]
        if not got:
            continue
        lines.append("")
        lines.append(f"{status.replace('_', ' ').capitalize()}:")
        listed, left = cut(got)
        for c in listed:
            where = f"{c.file}:{c.line}" if c.line is not None else c.file
            lines.append(f"  {terminal(c.offering_id)}  {terminal(c.reason)}  [{terminal(where or '')}]")
        if left:
            lines.append("  " + more_line(left, "offerings", "--format json lists all"))
    return terminal_block("\n".join(lines) + "\n")


def _check_dict(c: PriceCheck) -> dict[str, Any]:
    def pair(v: tuple[float, float] | None) -> dict[str, float] | None:
        return None if v is None else {"input_per_mtok": v[0], "output_per_mtok": v[1]}

    return {
        "offering_id": c.offering_id,
        "status": c.status,
        "reason": c.reason,
        "file": c.file,
        "line": c.line,
        "field": c.field,
        "provider": c.provider,
        "model": c.model,
        "via": c.via,
        "currency": c.currency,
        "profile": pair(c.profile),
        "dataset": pair(c.dataset),
        "drift_pct": None
        if c.drift_pct is None
        else {
            "input": None if c.drift_pct[0] is None else round(c.drift_pct[0], 6),
            "output": None if c.drift_pct[1] is None else round(c.drift_pct[1], 6),
        },
    }


def drift_dict(report: DriftReport) -> dict[str, Any]:
    """The report as JSON-ready data (``schema_version: 1``)."""
    return {
        "schema_version": 1,
        "dataset": DATASET,
        "dataset_version": report.dataset_version,
        "on": report.on.isoformat(),
        "tolerance_pct": report.tolerance_pct,
        "summary": {s: report.count(s) for s in STATUSES},
        "offerings": [_check_dict(c) for c in report.checks],
    }


def drift_json(report: DriftReport) -> str:
    """:func:`drift_dict` as indented JSON (same report → same bytes)."""
    return (
        json_text(
            json.dumps(drift_dict(report), indent=2, ensure_ascii=False, sort_keys=False, allow_nan=False)
        )
        + "\n"
    )

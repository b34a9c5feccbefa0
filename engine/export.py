"""Exports of a :class:`~engine.scoring.Ranking`: CSV, JSON and a plain-text table.

The CLI and the app call the same functions, so the same settings give
byte-identical files. CSV is RFC 4180 (CRLF line ends, quoted when needed); text
cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return) are prefixed with ``'`` (OWASP, "CSV Injection");
numbers are written as plain numbers and never altered.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import yaml

from engine.schema import PrioritiesFile
from engine.scoring import Cell, Ranking, Row

__all__ = ["CSV_HEAD", "neutralise", "priorities_yaml", "ranking_dict", "to_csv", "to_json", "to_table"]

CSV_HEAD = ("rank", "offering_id", "vendor", "offering", "score", "status", "reasons")
"""The first CSV columns; then ``<criterion>_value``, ``<criterion>_contribution`` per
criterion in catalog order, then ``as_of``."""

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """Prefix a text cell that a spreadsheet would treat as a formula with ``'``."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def _num(x: float, places: int = 4) -> str:
    s = f"{x:.{places}f}"
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def _value(v: float | str | None) -> str:
    if v is None:
        return ""
    if isinstance(v, str):
        return neutralise(v)
    return _num(v)


def to_csv(ranking: Ranking, *, excel: bool = False, top: int | None = None) -> bytes:
    """Render the ranking as CSV bytes (UTF-8; with a BOM when ``excel``).

    Parameters
    ----------
    ranking : Ranking
    excel : bool
        Prefix a UTF-8 byte-order mark so Excel detects the encoding.
    top : int, optional
        Keep only the first ``top`` ranked rows (excluded rows are always listed).
    """
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    ids = [c.id for c in ranking.criteria]
    w.writerow([*CSV_HEAD, *[f"{c}_{k}" for c in ids for k in ("value", "contribution")], "as_of"])
    for r in _rows(ranking, top):
        w.writerow(
            [
                "" if r.rank is None else str(r.rank),
                neutralise(r.offering_id),
                neutralise(r.vendor),
                neutralise(r.offering),
                "" if r.score is None else _num(r.score),
                r.status,
                neutralise("; ".join(r.reasons)),
                *[x for c in ids for x in (_value(r.cells[c].value), _num(r.cells[c].contribution))],
                r.as_of.isoformat(),
            ]
        )
    text = buf.getvalue()
    return (("\ufeff" + text) if excel else text).encode("utf-8")


def _rows(ranking: Ranking, top: int | None) -> list[Row]:
    """Ranked rows up to ``top`` (never splitting a tie at the cut), then excluded."""
    ranked = list(ranking.ranked)
    if top is not None and top < len(ranked):
        last_rank = ranked[top - 1].rank
        ranked = [r for r in ranked if r.rank is not None and last_rank is not None and r.rank <= last_rank]
    return ranked + list(ranking.excluded)


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 6)


def _cell(c: Cell) -> dict[str, Any]:
    v = c.value if not isinstance(c.value, float) else _round(c.value)
    return {
        "value": v,
        "utility": _round(c.utility),
        "contribution": _round(c.contribution),
        "imputed": c.imputed,
        "note": c.note,
    }


def ranking_dict(ranking: Ranking, top: int | None = None) -> dict[str, Any]:
    """The JSON-ready content of a ranking (schema version 1)."""
    return {
        "schema_version": 1,
        "priorities": ranking.priorities_name,
        "method": ranking.method,
        "on_date": ranking.on_date.isoformat(),
        "currency": ranking.currency,
        "weights": {k: _round(v) for k, v in ranking.weights.items()},
        "notes": list(ranking.notes),
        "inputs_digest": ranking.inputs_digest,
        "criteria": [
            {"id": c.id, "label": c.label, "unit": c.unit, "direction": c.direction} for c in ranking.criteria
        ],
        "offerings": [
            {
                "rank": r.rank,
                "offering_id": r.offering_id,
                "vendor": r.vendor,
                "offering": r.offering,
                "score": _round(r.score),
                "status": r.status,
                "reasons": list(r.reasons),
                "as_of": r.as_of.isoformat(),
                "values": {c.id: _cell(r.cells[c.id]) for c in ranking.criteria},
                "requirements": [
                    {"id": q.requirement_id, "outcome": q.outcome, "reason": q.reason} for q in r.requirements
                ],
            }
            for r in _rows(ranking, top)
        ],
    }


def to_json(ranking: Ranking, *, top: int | None = None) -> bytes:
    """Render the ranking as deterministic JSON bytes (sorted keys, 2-space indent)."""
    return (
        json.dumps(ranking_dict(ranking, top), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    ).encode("utf-8")


_SHORT = {
    "monthly_cost": "cost/mo",
    "response_time": "resp s",
    "capability": "capab.",
    "context_window": "context",
    "data_residency": "resid.",
    "jurisdiction": "juris.",
    "openness": "open",
    "compliance": "compl.",
    "transparency": "FMTI",
}


def _short_value(v: float | str | None) -> str:
    if v is None:
        return "?"
    if isinstance(v, str):
        return v
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    return f"{v:.4g}"


def to_table(ranking: Ranking, *, top: int | None = None) -> str:
    """Render a plain-text table for a terminal: ranked rows, then excluded ones.

    Shows the criteria with a positive weight; ``?*`` marks an unknown value imputed
    worst. Flags other than imputed values (e.g. stale data) are listed below.
    """
    ids = [c.id for c in ranking.criteria if ranking.weights[c.id] > 0]
    head = ["rank", "score", "offering_id", *[_SHORT.get(c, c) for c in ids]]
    body = []
    ranked = [r for r in _rows(ranking, top) if r.status == "ranked"]
    for r in ranked:
        cells = [_short_value(r.cells[c].value) + ("*" if r.cells[c].imputed else "") for c in ids]
        body.append([str(r.rank), f"{r.score:.1f}", r.offering_id, *cells])
    widths = [max(len(x) for x in col) for col in zip(head, *body, strict=False)]
    lines = [
        f"Priorities: {ranking.priorities_name} · method {ranking.method} · "
        f"prices on {ranking.on_date.isoformat()} · cost in {ranking.currency}/month"
    ]
    lines.append("Weights: " + ", ".join(f"{c} {ranking.weights[c] * 100:.1f}%" for c in ids))
    lines.append("")
    if body:
        lines.append("  ".join(h.ljust(wd) for h, wd in zip(head, widths, strict=True)).rstrip())
        for b in body:
            lines.append("  ".join(x.ljust(wd) for x, wd in zip(b, widths, strict=True)).rstrip())
        if any(r.cells[c].imputed for r in ranked for c in ids):
            lines.append("(?* unknown value, imputed worst)")
    else:
        lines.append("No offering passes the must-haves.")
    flagged = [(r, [x for x in r.reasons if "imputed worst" not in x]) for r in ranked]
    flagged = [(r, fl) for r, fl in flagged if fl]
    if flagged:
        lines.append("")
        lines.append("Flags:")
        lines.extend(f"  {r.offering_id}: {'; '.join(fl)}" for r, fl in flagged)
    if ranking.excluded:
        lines.append("")
        lines.append(f"Excluded ({len(ranking.excluded)}):")
        for r in ranking.excluded:
            lines.append(f"  {r.offering_id}: {'; '.join(r.reasons)}")
    if ranking.notes:
        lines.append("")
        lines.extend(f"Note: {n}" for n in ranking.notes)
    return "\n".join(lines) + "\n"


def priorities_yaml(priorities: PrioritiesFile) -> str:
    """Serialise priorities as a YAML file that :func:`engine.load_priorities` (and so
    ``shortlist rank --priorities``) reads back to an equal object."""
    data = priorities.model_dump(mode="json", by_alias=True, exclude_none=True)
    head = "# Shortlist priorities (field reference: README.md, 'Priorities')\n"
    return head + yaml.safe_dump(
        data, sort_keys=False, allow_unicode=True, default_flow_style=None, width=100
    )

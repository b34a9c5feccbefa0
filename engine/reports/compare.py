"""The comparison (:mod:`engine.mcda.comparison`) rendered: a plain-text table for the
terminal, Markdown for a decision file or a pull-request comment, CSV (one row per item,
one column per offering) for a spreadsheet, and JSON for programs (``shortlist compare
--format table|markdown|csv|json``, the Compare page's downloads). Same
:class:`~engine.mcda.comparison.Comparison`, same bytes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Sequence
from typing import Any

from engine.mcda.comparison import (
    Comparison,
    CriterionCell,
    CriterionRow,
    FactValue,
    OfferingResult,
    PathToFirst,
    Provenance,
)
from engine.mcda.unknowns import range_dict, range_short
from engine.reports.escape import json_text, markdown, markdown_code, safe_url, terminal, terminal_block
from engine.reports.export import flag_text, neutralise

__all__ = [
    "comparison_csv",
    "comparison_dict",
    "comparison_json",
    "comparison_markdown",
    "comparison_table",
]


def _show_value(v: float | str | None) -> str:
    """A performance value, as ``shortlist explain`` writes it (unit apart)."""
    if v is None:
        return "unknown"
    if isinstance(v, str):
        return v
    return f"{v:,.0f}" if abs(v) >= 10_000 else f"{v:,.4g}"


def _unit(comp: Comparison, row: CriterionRow) -> str:
    return f"{comp.currency}/month" if row.criterion == "monthly_cost" else row.unit


def _show_fact(v: FactValue) -> str:
    if v is None:
        return "not stated"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, tuple):
        return ", ".join(v)
    if isinstance(v, int):
        return f"{v:,}"
    if isinstance(v, float):
        return f"{v:g}"
    return v


def _points(x: float | None, none: str = "-") -> str:
    return none if x is None else f"{x:.2f}"


def _signed(x: float | None, none: str = "-") -> str:
    if x is None:
        return none
    s = f"{x:+.2f}"
    return "±0.00" if s in ("+0.00", "-0.00") else s


def _rank(comp: Comparison, r: OfferingResult, none: str = "-") -> str:
    return none if r.rank is None else f"{r.rank} of {comp.ranked_count}"


def _range(r: OfferingResult, none: str = "-") -> str:
    """The offering's rank range over its unknowns (:func:`engine.mcda.unknowns.range_short`)."""
    return none if r.rank_range is None else range_short(r.rank_range)


def _header(comp: Comparison) -> str:
    return (
        f"priorities: {terminal(comp.priorities_name)} · method {comp.method} · "
        f"prices on {comp.on_date.isoformat()} · cost in {comp.currency}/month"
    )


def _leader_line(comp: Comparison) -> str:
    if comp.leader is None:
        return "No offering passes the must-haves: there is no leader."
    what = (
        "each offering's points minus the leader's"
        if comp.additive
        else f"each score minus the leader's ({comp.method} is not additive: no points per criterion)"
    )
    return f"Leader of the ranking: {comp.leader} (score {_points(comp.leader_score)}); 'gap' is {what}."


def _answer_lines(p: PathToFirst | None) -> tuple[str, str]:
    if p is None:
        return "not analysed (no robustness report)", ""
    return p.message, p.price_message


def _sources(comp: Comparison, i: int) -> list[Provenance]:
    """The distinct provenances of offering ``i``: criteria first, then facts."""
    seen: dict[tuple[str, dt.date, tuple[str, ...]], Provenance] = {}
    for prov in [*(c.cells[i].provenance for c in comp.criteria), *(f.provenance[i] for f in comp.facts)]:
        seen.setdefault((prov.block, prov.as_of, prov.sources), prov)
    return list(seen.values())


def _grid(head: Sequence[str], body: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(x) for x in col) for col in zip(head, *body, strict=True)]
    out = ["  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)).rstrip()]
    out.extend("  ".join(x.ljust(w) for x, w in zip(b, widths, strict=True)).rstrip() for b in body)
    return out


_TEXT_CELL = 40


def _short(text: str) -> str:
    text = terminal(text)
    return text if len(text) <= _TEXT_CELL else text[: _TEXT_CELL - 1] + "…"


def comparison_table(comp: Comparison) -> str:
    """Plain-text side-by-side view for a terminal.

    The offerings are columns ``A``–``D`` (named at the top); each criterion has a
    value row (``*`` marks the best) and a row of utility, points and gap to the
    leader. ``≠`` marks a criterion or fact whose values differ. Cells longer than 40
    characters are shortened with ``…`` (the Markdown and JSON forms are complete).
    """
    letters = [chr(ord("A") + i) for i in range(len(comp.offering_ids))]
    lines = [f"Comparison · {_header(comp)}", terminal(_leader_line(comp))]
    lines += [f"Warning: {terminal(x)}" for x in comp.warnings]
    lines.append("")
    for k, r in zip(letters, comp.offerings, strict=True):
        lines.append(f"  {k}  {terminal(r.offering_id)} — {terminal(r.offering)} ({terminal(r.vendor)})")
    lines.append("")
    body = [
        ["status", *[r.status for r in comp.offerings]],
        ["rank", *[_rank(comp, r) for r in comp.offerings]],
        ["score", *[_points(r.score) for r in comp.offerings]],
        ["gap to leader", *[_signed(r.score_gap) for r in comp.offerings]],
    ]
    if comp.cut is not None:
        body.append([f"rank range (top-{comp.cut} cut)", *[_range(r) for r in comp.offerings]])
    lines.extend(_grid(["Result", *letters], body))
    lines += ["", "Criteria (* best on the criterion, ≠ values differ, [evidence grade])"]
    second = "utility · points (gap)" if comp.additive else "utility"
    body = []
    for c in comp.criteria:
        cells = []
        for cell in c.cells:
            text = _show_value(cell.value) + (" (imputed worst)" if cell.imputed else "")
            text += f" [{cell.evidence}]" if cell.evidence else ""
            cells.append(_short(text + (" *" if cell.best else "")))
        mark = "≠" if c.differs else " "
        body.append([f"{mark} {c.criterion}", f"{100 * c.weight:.1f}%", _short(_unit(comp, c)), *cells])
        sub = []
        for cell in c.cells:
            if cell.utility is None:
                sub.append("-")
            elif comp.additive:
                sub.append(f"{cell.utility:.3f} · {_points(cell.contribution)} ({_signed(cell.gap)})")
            else:
                sub.append(f"{cell.utility:.3f}")
        body.append([f"    {second}", "", "", *sub])
    lines.extend(_grid(["criterion", "weight", "unit", *letters], body))
    lines += ["", "Facts (≠ values differ)"]
    body = [
        [f"{'≠' if f.differs else ' '} {f.label}", *[_short(_show_fact(v)) for v in f.values]]
        for f in comp.facts
    ]
    lines.extend(_grid(["fact", *letters], body))
    reasons = [(k, r) for k, r in zip(letters, comp.offerings, strict=True) if r.excluded_by or r.flags]
    if reasons:
        lines += ["", "Exclusions and flags:"]
        for k, r in reasons:
            if r.excluded_by:
                lines.append(f"  {k}: excluded ({r.exclusion}): {terminal('; '.join(r.excluded_by))}")
            if r.flags:
                lines.append(f"  {k}: flags: {terminal(flag_text(r.flags))}")
    lines += ["", "What would it take to rank first:"]
    for k, r in zip(letters, comp.offerings, strict=True):
        weights, price = _answer_lines(r.path_to_first)
        lines.append(f"  {k}: weights: {terminal(weights)}")
        if price:
            lines.append(f"     price:   {terminal(price)}")
    lines += ["", "Data as of:"]
    for i, k in enumerate(letters):
        parts = [f"{terminal(p.block)} {p.as_of.isoformat()}" for p in _sources(comp, i)]
        lines.append(f"  {k}: {'; '.join(parts)}")
    if comp.notes:
        lines.append("")
        lines.extend(f"Note: {terminal(n)}" for n in comp.notes)
    return terminal_block("\n".join(lines) + "\n")


def _md(text: object) -> str:
    """Input text for Markdown, in a table cell or a line (:func:`engine.reports.escape.markdown`)."""
    return markdown(str(text))


def _source_md(source: str) -> str:
    """A source for Markdown: a plain ``http(s)`` address as an autolink ``<…>`` (it holds
    no space, angle bracket or quote: :func:`engine.reports.escape.safe_url`), anything else as
    escaped text (``javascript:…`` never becomes a link)."""
    return f"<{source}>" if safe_url(source) else _md(source)


def comparison_markdown(comp: Comparison) -> str:
    """Markdown for a decision file or a pull-request comment.

    Sections: the offerings' results, the criteria (the best value in bold), where
    the points are won and lost against the leader (utilities under a method that is
    not additive), what it would take for each to rank first, the facts, the sources
    and dates of every value, and the ranking's notes.
    """
    ids = comp.offering_ids
    cols = " | ".join(markdown_code(o) for o in ids)
    sep = "|---|" + "---|" * len(ids)
    lines = [
        f"# Comparison: {' vs '.join(markdown_code(o) for o in ids)}",
        "",
        f"- Priorities: {_md(comp.priorities_name)}; method {comp.method}",
        f"- Prices in force on {comp.on_date.isoformat()}; money in {comp.currency}",
        f"- Inputs digest (SHA-256 of inputs and settings): `{comp.inputs_digest}`",
        f"- {_md(_leader_line(comp))}",
        *(f"- **Warning:** {_md(x)}" for x in comp.warnings),
        "",
        "## Result",
        "",
        f"| | {cols} |",
        sep,
    ]
    res = comp.offerings
    ranges: list[tuple[str, list[str]]] = (
        [(f"Rank range over its unknowns (top-{comp.cut} cut)", [_range(r) for r in res])]
        if comp.cut is not None
        else []
    )
    result_rows: list[tuple[str, list[str]]] = [
        ("Offering", [r.offering for r in res]),
        ("Vendor", [r.vendor for r in res]),
        ("Status", [r.status for r in res]),
        ("Rank", [_rank(comp, r, "–") for r in res]),
        ("Score (0–100)", [_points(r.score, "–") for r in res]),
        ("Gap to the leader", [_signed(r.score_gap, "–") for r in res]),
        *ranges,
        ("Excluded as", [r.exclusion or "–" for r in res]),
        ("Excluded by", ["; ".join(r.excluded_by) or "–" for r in res]),
        ("Flags", [flag_text(r.flags) or "–" for r in res]),
    ]
    for label, cells in result_rows:
        lines.append(f"| {label} | " + " | ".join(_md(c) for c in cells) + " |")
    lines += [
        "",
        "## Criteria",
        "",
        "Bold: best on the criterion (highest utility). ≠: the values differ. "
        "In brackets: the weakest evidence grade the value rests on.",
        "",
        f"| criterion | weight | {cols} |",
        "|---|---:|" + "---|" * len(ids),
    ]
    for c in comp.criteria:
        shown: list[str] = []
        for cell in c.cells:
            text = _md(_show_value(cell.value))
            if isinstance(cell.value, float):
                text += f" {_md(_unit(comp, c))}"
            if cell.imputed:
                text += " (imputed worst)"
            elif cell.evidence:
                text += f" [{cell.evidence}]"
            shown.append(f"**{text}**" if cell.best else text)
        mark = " ≠" if c.differs else ""
        lines.append(f"| {_md(c.label)}{mark} | {100 * c.weight:.1f} % | " + " | ".join(shown) + " |")
    if comp.additive:
        lines += [
            "",
            "## Where the points are won and lost",
            "",
            "Points each criterion adds to the score (0–100 scale); in brackets, the difference "
            f"to the leader {markdown_code(comp.leader)}."
            if comp.leader
            else "Points each criterion adds to the score.",
            "",
            f"| criterion | {cols} |",
            sep,
        ]
        for c in comp.criteria:
            cells = [
                "–" if cell.gap is None else f"{_points(cell.contribution)} ({_signed(cell.gap)})"
                for cell in c.cells
            ]
            lines.append(f"| {_md(c.label)} | " + " | ".join(cells) + " |")
        total = ["–" if r.score is None else f"{_points(r.score)} ({_signed(r.score_gap)})" for r in res]
        lines.append("| **Score** | " + " | ".join(total) + " |")
    else:
        lines += [
            "",
            "## Utilities",
            "",
            f"{comp.method} is not additive: no points per criterion; utilities (0–1) instead.",
            "",
            f"| criterion | {cols} |",
            sep,
        ]
        for c in comp.criteria:
            cells = ["–" if cell.utility is None else f"{cell.utility:.3f}" for cell in c.cells]
            lines.append(f"| {_md(c.label)} | " + " | ".join(cells) + " |")
    lines += ["", "## What would it take to rank first", ""]
    for r in res:
        weights, price = _answer_lines(r.path_to_first)
        lines.append(
            f"- {markdown_code(r.offering_id)}: {_md(weights)}" + (f"; price: {_md(price)}" if price else "")
        )
    lines += ["", "## Facts", "", "≠: the values differ.", "", f"| fact | {cols} |", sep]
    for f in comp.facts:
        mark = " ≠" if f.differs else ""
        lines.append(f"| {_md(f.label)}{mark} | " + " | ".join(_md(_show_fact(v)) for v in f.values) + " |")
    lines += ["", "## Sources", ""]
    for i, oid in enumerate(ids):
        lines.append(f"- {markdown_code(oid)} ({_md(comp.offerings[i].file)})")
        for p in _sources(comp, i):
            cited = "; ".join(_source_md(s) for s in p.sources)
            lines.append(f"  - {_md(p.block)}, as of {p.as_of.isoformat()}: {cited}")
    if comp.notes:
        lines += ["", "## Notes", ""]
        lines += [f"- {_md(n)}" for n in comp.notes]
    return "\n".join(lines) + "\n"


def _num(x: float | None, places: int = 4) -> str:
    if x is None:
        return ""
    s = f"{x:.{places}f}"
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def _csv_value(v: float | str | None) -> str:
    if v is None:
        return ""
    return neutralise(v) if isinstance(v, str) else _num(v)


def _csv_fact(v: FactValue) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, tuple):
        return neutralise(", ".join(v))
    if isinstance(v, (int, float)):
        return _num(float(v)) if isinstance(v, float) else str(v)
    return neutralise(v)


CSV_HEAD = ("item", "label")
"""The first CSV columns; then one column per offering, then ``differs`` and ``best``."""


def comparison_csv(comp: Comparison, *, excel: bool = False) -> bytes:
    """One row per item, one column per offering (UTF-8; with a BOM when ``excel``).

    Columns: ``item`` (a stable key: ``result.score``, ``criterion.capability.value``,
    ``fact.developer_hq`` …), ``label``, one column per offering (headed by its id),
    ``differs`` (``yes``/``no`` on value and fact rows) and ``best`` (the best
    offerings' ids on value rows, ``;``-separated). Numbers are plain numbers
    (``monthly_cost`` in the ranking's currency per month, points on a 0–100 scale,
    weights in the labels); text cells a spreadsheet would run as a formula are
    neutralised (:func:`engine.reports.export.neutralise`).
    """
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([*CSV_HEAD, *[neutralise(o) for o in comp.offering_ids], "differs", "best"])

    def row(item: str, label: str, cells: Sequence[str], differs: bool | None = None, best: str = "") -> None:
        d = "" if differs is None else ("yes" if differs else "no")
        w.writerow([item, neutralise(label), *cells, d, best])

    res = comp.offerings
    row("result.offering", "Offering", [neutralise(r.offering) for r in res])
    row("result.vendor", "Vendor", [neutralise(r.vendor) for r in res])
    row("result.status", "Status", [r.status for r in res])
    row("result.rank", f"Rank (of {comp.ranked_count})", ["" if r.rank is None else str(r.rank) for r in res])
    row("result.score", "Score (0-100)", [_num(r.score) for r in res])
    row(
        "result.gap_to_leader",
        f"Score minus the leader's ({comp.leader or 'none'})",
        [_num(r.score_gap) for r in res],
    )
    if comp.cut is not None:
        row("result.rank_range", "Rank range over its unknowns", [_range(r, "") for r in res])
    row("result.exclusion", "Excluded as (fails / evidence gap)", [r.exclusion or "" for r in res])
    row("result.excluded_by", "Excluded by", [neutralise("; ".join(r.excluded_by)) for r in res])
    row("result.flags", "Flags", [neutralise("; ".join(r.flags)) for r in res])
    answers = [_answer_lines(r.path_to_first) for r in res]
    row(
        "result.to_rank_first",
        "What would it take to rank first (weights)",
        [neutralise(a) for a, _ in answers],
    )
    row(
        "result.price_to_rank_first",
        "What would it take to rank first (price)",
        [neutralise(b) for _, b in answers],
    )
    for c in comp.criteria:
        head = f"{c.label} ({_unit(comp, c)}), weight {100 * c.weight:.1f}%"
        cid = f"criterion.{c.criterion}"
        row(
            f"{cid}.value",
            head,
            [_csv_value(x.value) for x in c.cells],
            c.differs,
            neutralise("; ".join(c.best)),
        )
        row(f"{cid}.evidence", f"{c.label}: evidence grade", [x.evidence or "" for x in c.cells])
        row(
            f"{cid}.imputed",
            f"{c.label}: unknown, imputed worst",
            ["yes" if x.imputed else "no" for x in c.cells],
        )
        row(f"{cid}.utility", f"{c.label}: utility (0-1)", [_num(x.utility) for x in c.cells])
        row(f"{cid}.points", f"{c.label}: points (0-100)", [_num(x.contribution) for x in c.cells])
        row(f"{cid}.gap", f"{c.label}: points minus the leader's", [_num(x.gap) for x in c.cells])
        row(f"{cid}.as_of", f"{c.label}: data as of", [x.provenance.as_of.isoformat() for x in c.cells])
        row(
            f"{cid}.sources",
            f"{c.label}: sources",
            [neutralise(f"{x.provenance.block}: " + "; ".join(x.provenance.sources)) for x in c.cells],
        )
    for f in comp.facts:
        row(f"fact.{f.key}", f.label, [_csv_fact(v) for v in f.values], f.differs)
    text = buf.getvalue()
    return (("\ufeff" + text) if excel else text).encode("utf-8")


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 6)


def _json_value(v: Any) -> Any:
    if isinstance(v, float):
        return _round(v)
    if isinstance(v, tuple):
        return list(v)
    return v


def _cell_dict(x: CriterionCell) -> dict[str, Any]:
    out: dict[str, Any] = {
        "value": _json_value(x.value),
        "utility": _round(x.utility),
        "contribution": _round(x.contribution),
        "gap": _round(x.gap),
        "imputed": x.imputed,
        "best": x.best,
        "note": x.note,
        "evidence": x.evidence,
        "provenance": _prov_dict(x.provenance),
    }
    if x.answers:  # the vendors' answers the value rests on (absent without answers)
        out["answers"] = list(x.answers)
    return out


def _prov_dict(p: Provenance) -> dict[str, Any]:
    # the vendor file is the offering's ``file``, given once per offering
    return {"block": p.block, "sources": list(p.sources), "as_of": p.as_of.isoformat()}


def _path_dict(p: PathToFirst | None) -> dict[str, Any] | None:
    if p is None:
        return None
    return {
        "status": p.status,
        "message": p.message,
        "price_message": p.price_message,
        "weights": None if p.weights is None else {k: _round(v) for k, v in p.weights.items()},
        "price_cut": _round(p.price_cut),
    }


def comparison_dict(comp: Comparison) -> dict[str, Any]:
    """The JSON-ready content of a comparison (schema version 1).

    Per-offering mappings (``values`` of a criterion or fact) are keyed by offering
    id; ``offering_ids`` keeps the order asked for. Floats are rounded to 6 decimals.
    """
    return {
        "schema_version": 1,
        "priorities": comp.priorities_name,
        "method": comp.method,
        "on_date": comp.on_date.isoformat(),
        "currency": comp.currency,
        "inputs_digest": comp.inputs_digest,
        "leader": comp.leader,
        "leader_score": _round(comp.leader_score),
        "ranked_count": comp.ranked_count,
        "offering_ids": list(comp.offering_ids),
        "offerings": [
            {
                "offering_id": r.offering_id,
                "vendor": r.vendor,
                "offering": r.offering,
                "status": r.status,
                "rank": r.rank,
                "score": _round(r.score),
                "score_gap": _round(r.score_gap),
                "reasons": list(r.reasons),
                "exclusion": r.exclusion,
                "excluded_by": list(r.excluded_by),
                "failed_must_haves": list(r.failed_must_haves),
                "flags": list(r.flags),
                "requirements": [
                    {"id": q.requirement_id, "outcome": q.outcome, "reason": q.reason} for q in r.requirements
                ],
                "as_of": r.as_of.isoformat(),
                "file": r.file,
                "path_to_first": _path_dict(r.path_to_first),
                "rank_range": (
                    range_dict(r.rank_range, comp.cut)
                    if r.rank_range is not None and comp.cut is not None
                    else None
                ),
            }
            for r in comp.offerings
        ],
        "criteria": [
            {
                "id": c.criterion,
                "label": c.label,
                "unit": c.unit,
                "direction": c.direction,
                "weight": _round(c.weight),
                "best": list(c.best),
                "differs": c.differs,
                "values": {x.offering_id: _cell_dict(x) for x in c.cells},
            }
            for c in comp.criteria
        ],
        "facts": [
            {
                "key": f.key,
                "label": f.label,
                "differs": f.differs,
                "values": {o: _json_value(v) for o, v in zip(comp.offering_ids, f.values, strict=True)},
                "provenance": {
                    o: _prov_dict(p) for o, p in zip(comp.offering_ids, f.provenance, strict=True)
                },
            }
            for f in comp.facts
        ],
        "notes": list(comp.notes),
        "warnings": list(comp.warnings),
    }


def comparison_json(comp: Comparison) -> bytes:
    """Deterministic JSON bytes of :func:`comparison_dict` (sorted keys, 2-space indent)."""
    text = json.dumps(comparison_dict(comp), indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False)
    return (json_text(text) + "\n").encode("utf-8")

"""Exports of a :class:`~engine.mcda.scoring.Ranking`: CSV, JSON and a plain-text table.

The CLI and the app call the same functions, so the same settings give
byte-identical files. CSV is RFC 4180 (CRLF line ends, quoted when needed); text
cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return) are prefixed with ``'`` (OWASP, "CSV Injection");
numbers are written as plain numbers and never altered; control characters other
than tab, CR and LF are shown as visible escapes (:func:`engine.reports.escape.csv_cell`).
The table formats make every control visible (:mod:`engine.reports.escape`), JSON writes
the ones ``json.dumps`` leaves raw as ``\\u`` escapes.
"""

from __future__ import annotations

import csv
import io
import json
import re
from typing import TYPE_CHECKING, Any

import numpy as np
import yaml

from engine.catalog.dates import STALE_FLAG
from engine.catalog.schema import PrioritiesFile
from engine.catalog.staleness import stale_record
from engine.mcda.scoring import EVIDENCE_GAP, FAILS, Cell, Ranking, Row, excluded_summary
from engine.reports.escape import csv_cell, json_text, terminal, terminal_block
from engine.reports.sovereignty import sovereignty_dict
from engine.reports.summarise import LIST_ITEMS, PER_ITEM, ROWS, cut, more_line, names

if TYPE_CHECKING:  # the robustness module imports scipy: keep it off `shortlist rank`'s path
    from engine.mcda.sensitivity.report import SensitivityReport

__all__ = [
    "CRITERION_COLUMNS",
    "CSV_HEAD",
    "csv_header",
    "flag_text",
    "neutralise",
    "priorities_yaml",
    "ranking_dict",
    "sensitivity_csv",
    "sensitivity_dict",
    "sensitivity_json",
    "sensitivity_table",
    "shortlist_rows",
    "to_csv",
    "to_json",
    "to_table",
]

CSV_HEAD = ("rank", "offering_id", "vendor", "offering", "score", "status", "exclusion", "reasons")
"""The first CSV columns; then ``<criterion>_value``, ``<criterion>_contribution``,
``<criterion>_evidence`` per criterion in catalog order, then ``as_of``. ``exclusion``
is ``fails`` or ``evidence gap`` for an excluded offering (empty when ranked);
``<criterion>_evidence`` is the weakest evidence grade the value rests on (empty when
the value is unknown or rests on no dated fact)."""

CRITERION_COLUMNS = ("value", "contribution", "evidence")
"""The columns of each criterion in the CSV and the Excel shortlist, in order."""


def neutralise(text: str) -> str:
    """Prefix a text cell that a spreadsheet would treat as a formula with ``'``, and
    show control characters other than tab, CR and LF as visible escapes
    (:func:`engine.reports.escape.csv_cell`)."""
    return csv_cell(text)


_FIXED = {p: f".{p}f" for p in range(10)}  # format specs, not rebuilt for every number


def _num(x: float, places: int = 4) -> str:
    s = format(x, _FIXED.get(places) or f".{places}f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def _opt(x: float | None) -> str:
    return "" if x is None else _num(x)


def _value(v: float | str | None) -> str:
    if v is None:
        return ""
    if isinstance(v, str):
        return neutralise(v)
    return _num(v)


def to_csv(ranking: Ranking, *, excel: bool = False, top: int | None = None) -> bytes:
    """Render the ranking as CSV bytes (UTF-8; with a BOM when ``excel``).

    The columns are :func:`csv_header`'s; the last, ``currency``, is the ISO 4217 code
    of the buyer's currency (``ranking.currency``, the same on every row) in which every
    amount of money in the row is given -- ``monthly_cost_value``, per month.

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
    w.writerow(csv_header(ranking))
    currency = neutralise(ranking.currency)
    for r in shortlist_rows(ranking, top):
        line = [
            "" if r.rank is None else str(r.rank),
            neutralise(r.offering_id),
            neutralise(r.vendor),
            neutralise(r.offering),
            "" if r.score is None else _num(r.score),
            r.status,
            r.exclusion or "",
            neutralise("; ".join(r.reasons)),
        ]
        cells = r.cells
        for c in ids:
            cell = cells[c]
            line.append(_value(cell.value))
            line.append("" if cell.contribution is None else _num(cell.contribution))
            line.append(cell.evidence or "")
        line.append(r.as_of.isoformat())
        line.append(currency)
        w.writerow(line)
    text = buf.getvalue()
    return (("\ufeff" + text) if excel else text).encode("utf-8")


def csv_header(ranking: Ranking) -> list[str]:
    """The shortlist's column names (CSV, and the Excel workbook's first sheet):
    :data:`CSV_HEAD`, then ``<criterion>_value``, ``<criterion>_contribution`` and
    ``<criterion>_evidence`` per criterion in catalog order, then ``as_of`` and
    ``currency`` (the currency of the money columns: ``<c>_value`` for each ``c`` of
    :data:`engine.mcda.scoring.MONEY_CRITERIA`, i.e. ``monthly_cost_value``)."""
    ids = [c.id for c in ranking.criteria]
    return [*CSV_HEAD, *[f"{c}_{k}" for c in ids for k in CRITERION_COLUMNS], "as_of", "currency"]


def shortlist_rows(ranking: Ranking, top: int | None = None) -> list[Row]:
    """The rows an export lists: ranked rows up to ``top`` (never splitting a tie at
    the cut), then every excluded row."""
    ranked = list(ranking.ranked)
    if top is not None and top < len(ranked):
        last_rank = ranked[top - 1].rank
        ranked = [r for r in ranked if r.rank is not None and last_rank is not None and r.rank <= last_rank]
    return ranked + list(ranking.excluded)


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 6)


def _cell(c: Cell) -> dict[str, Any]:
    v = c.value if not isinstance(c.value, float) else _round(c.value)
    out: dict[str, Any] = {
        "value": v,
        "utility": _round(c.utility),
        "contribution": _round(c.contribution),
        "imputed": c.imputed,
        "note": c.note,
        "evidence": c.evidence,
    }
    if c.answers:  # the vendors' answers the value rests on (absent without answers)
        out["answers"] = list(c.answers)
    if c.value is None and c.low is not None and c.high is not None:  # an unknown's range (sovereignty)
        out["range"] = [_round(c.low), _round(c.high)]
    return out


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
        "warnings": list(ranking.warnings),
        "inputs_digest": ranking.inputs_digest,
        "max_age_days": dict(ranking.max_age_days),
        "criteria": [
            {"id": c.id, "label": c.label, "unit": c.unit, "direction": c.direction} for c in ranking.criteria
        ],
        "coverage": {
            cv.criterion: {"known": cv.known, "ranked": cv.ranked, "warns": cv.warns}
            for cv in ranking.coverage
        },
        "excluded": {
            "total": len(ranking.excluded),
            "fails": sum(r.exclusion == FAILS for r in ranking.excluded),
            "evidence_gaps": sum(r.exclusion == EVIDENCE_GAP for r in ranking.excluded),
        },
        "offerings": [
            {
                "rank": r.rank,
                "offering_id": r.offering_id,
                "vendor": r.vendor,
                "offering": r.offering,
                "score": _round(r.score),
                "status": r.status,
                "exclusion": r.exclusion,
                "reasons": list(r.reasons),
                "as_of": r.as_of.isoformat(),
                "stale": [stale_record(a, ranking.on_date) for a in r.stale],
                "values": {c.id: _cell(r.cells[c.id]) for c in ranking.criteria},
                "requirements": [
                    {"id": q.requirement_id, "outcome": q.outcome, "reason": q.reason} for q in r.requirements
                ],
                "sovereignty": sovereignty_dict(r.sovereignty) if r.sovereignty is not None else None,
            }
            for r in shortlist_rows(ranking, top)
        ],
    }


def to_json(ranking: Ranking, *, top: int | None = None) -> bytes:
    """Render the ranking as deterministic JSON bytes (sorted keys, 2-space indent)."""
    return (
        json_text(
            json.dumps(
                ranking_dict(ranking, top), indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False
            )
        )
        + "\n"
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


def _short_cell(c: Cell) -> str:
    """A table cell: the value, or for an unknown with a range (a sovereignty score with
    gaps) ``low–high?``."""
    if c.value is None and c.low is not None and c.high is not None:
        return f"{c.low:.3g}–{c.high:.3g}?"
    return _short_value(c.value)


def _short_value(v: float | str | None) -> str:
    if v is None:
        return "?"
    if isinstance(v, str):
        return terminal(v)
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    return f"{v:.4g}"


def flag_text(flags: list[str] | tuple[str, ...], where: str = "shortlist explain lists them") -> str:
    """An offering's flags on one line for people: every flag, but the stale-data
    ones cut at :data:`engine.reports.summarise.PER_ITEM` and counted, ``where`` saying
    what lists them all (``explain`` and the CSV/JSON exports do)."""
    stale = _grouped_stale([f for f in flags if f.startswith(f"{STALE_FLAG}:")])
    other = [f for f in flags if not f.startswith(f"{STALE_FLAG}:")]
    shown, left = cut(stale, PER_ITEM)
    more = [f"and {left:,} more stale facts ({where})"] if left else []
    return "; ".join([*other, *shown, *more])


_STALE_PARTS = re.compile(
    rf"{STALE_FLAG}: (?P<name>.+?) (?P<rest>[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}(?: \([^)]*\))? is [0-9]+ days old "
    r"\(limit [0-9]+ days for [a-z]+\))"
)


def _grouped_stale(stale: list[str]) -> list[str]:
    """Stale flags that share a date, an age and a limit said once, their blocks listed:
    ``stale data: certifications.iso27017, certifications.iso27018 2024-07-18 is 869 days
    old (limit 365 days for certifications)`` (a flag of another shape stays as it is)."""
    groups: dict[str, list[str]] = {}
    for f in stale:
        m = _STALE_PARTS.fullmatch(f)
        key, name = (m.group("rest"), m.group("name")) if m else (f, "")
        groups.setdefault(key, []).append(name)
    return [f"{STALE_FLAG}: {', '.join(names)} {key}" if names[0] else key for key, names in groups.items()]


def to_table(ranking: Ranking, *, top: int | None = None) -> str:
    """Render a plain-text table for a terminal: ranked rows, then excluded ones.

    Shows the criteria with a positive weight; ``?*`` marks an unknown value imputed
    worst. Flags other than imputed values (e.g. stale data) are listed below. Without
    ``top``, at most :data:`engine.reports.summarise.ROWS` ranked rows (a tie at the cut kept
    whole), flags and excluded offerings are listed, each list then counted (CSV and
    JSON hold them all).
    """
    ids = [c.id for c in ranking.criteria if ranking.weights[c.id] > 0]
    head = ["rank", "score", "offering_id", *[_SHORT.get(c, c) for c in ids]]
    seal_col = "sovereignty" in ids  # the SEAL beside the score: the gate the score does not show
    if seal_col:
        head.append("SEAL")
    body = []
    asked = top  # an explicit --top lists that many rows and their flags
    if top is None and len(ranking.ranked) > ROWS:
        top = ROWS
    ranked = [r for r in shortlist_rows(ranking, top) if r.status == "ranked"]
    unlisted = len(ranking.ranked) - len(ranked)
    for r in ranked:
        cells = [_short_cell(r.cells[c]) + ("*" if r.cells[c].imputed else "") for c in ids]
        if seal_col:
            a = r.sovereignty
            cells.append(f"{a.seal} ({a.governing})" if a is not None and a.seal is not None else "-")
        body.append([str(r.rank), f"{r.score:.1f}", terminal(r.offering_id), *cells])
    widths = [max(len(x) for x in col) for col in zip(head, *body, strict=False)]
    lines = [
        f"Priorities: {terminal(ranking.priorities_name)} · method {ranking.method} · "
        f"prices on {ranking.on_date.isoformat()} · cost in {ranking.currency}/month"
    ]
    lines.append("Weights: " + ", ".join(f"{c} {ranking.weights[c] * 100:.1f}%" for c in ids))
    lines.extend(f"Warning: {terminal(x)}" for x in ranking.warnings)
    lines.append("")
    if body:
        lines.append("  ".join(h.ljust(wd) for h, wd in zip(head, widths, strict=True)).rstrip())
        for b in body:
            lines.append("  ".join(x.ljust(wd) for x, wd in zip(b, widths, strict=True)).rstrip())
        if unlisted:
            lines.append(
                more_line(unlisted, "ranked offerings", "--top N lists more; --format csv or json has all")
            )
        if any(r.cells[c].imputed for r in ranked for c in ids):
            lines.append("(?* unknown value, imputed worst)")
        if any(r.cells[c].value is None and r.cells[c].high is not None for r in ranked for c in ids):
            lines.append(
                "(a–b?*: sovereignty score unknown while criteria are gaps, between a and b %; counted as worst, "
                "or at a when a is above another offering's b)"
            )
        if seal_col:
            lines.append(
                "(SEAL: the lowest SEAL of the answered sovereignty criteria, and the criterion that sets it; "
                "-: none answered; shortlist explain lists answers, evidence and gaps)"
            )
    else:
        lines.append("No offering passes the must-haves.")
    flagged = [(r, [x for x in r.reasons if "imputed worst" not in x]) for r in ranked]
    flagged, left = cut([(r, fl) for r, fl in flagged if fl], ROWS if asked is None else None)
    if flagged:
        lines.append("")
        lines.append("Flags:")
        lines.extend(f"  {terminal(r.offering_id)}: {terminal(flag_text(fl))}" for r, fl in flagged)
        if left:
            lines.append("  " + more_line(left, "flagged offerings", "see --format csv or json"))
    if ranking.excluded:
        lines.append("")
        lines.append(excluded_summary(ranking.excluded) + ":")
        excluded, left = cut(ranking.excluded)
        for r in excluded:
            lines.append(f"  {terminal(r.offering_id)} [{r.exclusion}]: {terminal(flag_text(r.reasons))}")
        if left:
            lines.append("  " + more_line(left, "excluded offerings", "see --format csv or json"))
    if ranking.notes:
        lines.append("")
        lines.extend(f"Note: {terminal(n)}" for n in ranking.notes)
    return terminal_block("\n".join(lines) + "\n")


def priorities_yaml(priorities: PrioritiesFile) -> str:
    """Serialise priorities as a YAML file that :func:`engine.load_priorities` (and so
    ``shortlist rank --priorities``) reads back to an equal object."""
    data = priorities.model_dump(mode="json", by_alias=True, exclude_none=True)
    head = "# Shortlist priorities (field reference: README.md, 'Priorities')\n"
    return head + yaml.safe_dump(
        data, sort_keys=False, allow_unicode=True, default_flow_style=None, width=100
    )


# --------------------------------------------------------------------------- sensitivity


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def sensitivity_dict(report: SensitivityReport, ranking: Ranking) -> dict[str, Any]:
    """The JSON-ready content of a sensitivity report (schema version 1).

    Weights and acceptabilities are shares (0–1); ``acceptability`` lists, per
    offering, the share of samples at rank 1, 2, … n.
    """
    p, acc = report.problem, report.acceptability
    dom = report.dominance
    score = {r.offering_id: r.score for r in ranking.ranked}
    rank = {r.offering_id: r.rank for r in ranking.ranked}
    acceptability = _round_all(acc.acceptability)
    return {
        "schema_version": 1,
        "priorities": ranking.priorities_name,
        "method": p.method,
        "on_date": ranking.on_date.isoformat(),
        "inputs_digest": ranking.inputs_digest,
        "criteria": list(p.criteria),
        "weights": {c: _round(float(w)) for c, w in zip(p.criteria, p.weights, strict=True)},
        "sampling": {
            "samples": acc.samples,
            "seed": acc.seed,
            "concentration": acc.concentration,
            "order": list(acc.order) if acc.order is not None else None,
            "value_uncertainty": acc.value_uncertainty,
        },
        "stability_intervals": [
            {
                "criterion": s.criterion,
                "weight": _round(s.weight),
                "first": [_round(s.first_low), _round(s.first_high)],
                "first_lost_to": [s.first_low_by, s.first_high_by],
                "top_k": s.top_k,
                "top_k_order": [_round(s.top_k_low), _round(s.top_k_high)],
            }
            for s in report.stability
        ],
        "pareto_front": list(dom.pareto_front),
        "dominated": {k: list(v) for k, v in dom.dominated_by.items()},
        "offerings": [
            {
                "offering_id": o,
                "rank": rank[o],
                "score": _round(score[o]),
                "acceptability": acceptability[i],
                "holistic_acceptability": _round(float(acc.holistic[i])),
                "central_weights": None
                if np.isnan(acc.central_weights[i]).any()
                else {c: _round(float(x)) for c, x in zip(acc.criteria, acc.central_weights[i], strict=True)},
                "confidence": None if np.isnan(acc.confidence[i]) else _round(float(acc.confidence[i])),
            }
            for i, o in enumerate(p.offering_ids)
        ],
        "notes": [*ranking.notes, *report.notes],
        "warnings": list(ranking.warnings),
    }


def _round_all(a: np.ndarray) -> list[list[float]]:
    """``round(x, 6)`` (as :func:`_round`) of every value of a 2-D array, as lists.

    Python's ``round`` is called once per distinct value: an n × n acceptability
    matrix holds at most samples + 1 of them (counts / samples), 1,000 offerings'
    ~280,000 cells far fewer. Arrays with a negative zero or a non-finite value,
    which ``np.unique`` would merge with others, are rounded cell by cell.
    """
    if a.size == 0 or np.signbit(a).any() or not np.isfinite(a).all():
        return [[round(x, 6) for x in row] for row in a.tolist()]
    values, inverse = np.unique(a, return_inverse=True)
    rounded = np.array([round(x, 6) for x in values.tolist()], dtype=np.float64)
    out: list[list[float]] = rounded[inverse.reshape(a.shape)].tolist()
    return out


def sensitivity_json(report: SensitivityReport, ranking: Ranking) -> bytes:
    """Deterministic JSON bytes of :func:`sensitivity_dict`.

    Exactly ``json_text(json.dumps(d, indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False)) + "\\n"``
    (:func:`engine.reports.escape.json_text`: controls ``json.dumps`` leaves raw as ``\\u`` escapes).
    The acceptability rows (n × n numbers, most of the document) are written here in
    json's own layout, because its indenting encoder is pure Python: 1,000 offerings'
    rows take ~0.2 s there.
    """
    d = sensitivity_dict(report, ranking)
    rows = [o["acceptability"] for o in d["offerings"]]
    text = None
    if rows and all(rows):
        for k, o in enumerate(d["offerings"]):
            o["acceptability"] = f"{_MARK}{k}{_MARK}"
        text = _with_rows(json.dumps(d, indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False), rows)
        for o, row in zip(d["offerings"], rows, strict=True):
            o["acceptability"] = row
    if text is None:
        text = json.dumps(d, indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False)
    return (json_text(text) + "\n").encode("utf-8")


_MARK = "\x00acceptability\x00"
"""Stands in for acceptability row k (``<mark>k<mark>``) while the rest is encoded."""
_MARK_JSON = json.dumps(_MARK)[1:-1]
_MARKED_KEY = '"acceptability": "' + _MARK_JSON
_MARKED = re.compile(r"( *)" + re.escape(_MARKED_KEY) + r"(\d+)" + re.escape(_MARK_JSON) + r'"(,?)')


def _with_rows(text: str, rows: list[list[float]]) -> str | None:
    """``text`` with each marked row written as json's indenting encoder writes a list
    of floats; ``None`` when a row holds something else or the marks do not match."""
    out: list[str] = []
    seen: list[int] = []
    for line in text.split("\n"):
        m = _MARKED.fullmatch(line) if _MARKED_KEY in line else None
        if m is None:
            out.append(line)
            continue
        pad, k, comma = m.group(1), int(m.group(2)), m.group(3)
        sep = ",\n" + pad + "  "
        try:
            items = sep.join(map(float.__repr__, rows[k]))  # TypeError unless every item is a float
        except (TypeError, IndexError):
            return None
        if "n" in items:  # nan or inf: not JSON (written strictly, as json.dumps(allow_nan=False))
            raise ValueError("Out of range float values are not JSON compliant")
        out.append(f'{pad}"acceptability": [\n{pad}  {items}\n{pad}]{comma}')
        seen.append(k)
    return "\n".join(out) if sorted(seen) == list(range(len(rows))) else None


def sensitivity_csv(report: SensitivityReport, ranking: Ranking, *, excel: bool = False) -> bytes:
    """One row per ranked offering: rank, score, Pareto membership, dominators, the
    rank acceptabilities (``acceptability_rank_1`` … in %), holistic acceptability,
    confidence factor and central weights (%). The stability intervals are per
    criterion and are in the table and JSON formats.

    ``dominated_by`` names at most :data:`engine.reports.summarise.LIST_ITEMS` offerings (then
    ``and N more``: a spreadsheet cell holds 32,767 characters, and the list grows with
    the catalog); ``dominated_by_count`` is the exact number, and the JSON lists all."""
    p, acc = report.problem, report.acceptability
    n = p.n
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(
        [
            "rank",
            "offering_id",
            "score",
            "pareto_front",
            "dominated_by",
            "dominated_by_count",
            *[f"acceptability_rank_{r}" for r in range(1, n + 1)],
            "holistic_acceptability",
            "confidence",
            *[f"central_weight_{c}" for c in acc.criteria],
        ]
    )
    rows = {r.offering_id: r for r in ranking.ranked}
    for i, o in enumerate(p.offering_ids):
        r = rows[o]
        cw = acc.central_weights[i]
        w.writerow(
            [
                str(r.rank),
                neutralise(o),
                _opt(r.score),
                "yes" if o in report.dominance.pareto_front else "no",
                neutralise(names(doms := report.dominance.dominated_by.get(o, ()), LIST_ITEMS, "; ")),
                str(len(doms)),
                *[_num(100 * float(x), 2) for x in acc.acceptability[i]],
                _num(100 * float(acc.holistic[i]), 2),
                "" if np.isnan(acc.confidence[i]) else _num(100 * float(acc.confidence[i]), 2),
                *["" if np.isnan(x) else _num(100 * float(x), 2) for x in cw],
            ]
        )
    text = buf.getvalue()
    return (("\ufeff" + text) if excel else text).encode("utf-8")


def sensitivity_table(report: SensitivityReport, ranking: Ranking, *, max_ranks: int = 6) -> str:
    """Plain-text report: stability intervals, rank acceptability, Pareto front, dominance."""
    p, acc = report.problem, report.acceptability
    lines = [
        f"Sensitivity · priorities: {terminal(ranking.priorities_name)} · method {p.method} · "
        f"{p.n} ranked offering(s) · {acc.samples:,} weight samples, seed {acc.seed}",
        "",
        "Stability intervals: how far each weight can move (the others rescaled in proportion)",
        f"before {p.offering_ids[0]} loses first place, and before the order of the top "
        f"{report.stability[0].top_k if report.stability else 0} changes.",
    ]
    head = ["criterion", "weight", "leader holds", "then first", "top order holds"]
    body = []
    for s in report.stability:
        lost = " / ".join(x or "-" for x in (s.first_low_by, s.first_high_by))
        body.append(
            [
                s.criterion,
                _pct(s.weight),
                f"{_pct(s.first_low)} – {_pct(s.first_high)}",
                lost,
                f"{_pct(s.top_k_low)} – {_pct(s.top_k_high)}",
            ]
        )
    lines.extend(_grid(head, body))
    k = min(p.n, max_ranks)
    lines += [
        "",
        "Rank acceptability: % of weight samples in which each offering takes each rank"
        + (" (ranked values also sampled)" if acc.value_uncertainty else ""),
    ]
    head = ["rank", "offering_id", *[f"r{r}" for r in range(1, k + 1)]]
    if p.n > k:
        head.append(f"r{k + 1}+")
    head += ["holistic", "confidence"]
    body = []
    rows = {r.offering_id: r for r in ranking.ranked}
    shown, left = cut(p.offering_ids)
    for i, o in enumerate(shown):
        a = acc.acceptability[i]
        cells = [f"{100 * float(x):.1f}" for x in a[:k]]
        if p.n > k:
            cells.append(f"{100 * float(a[k:].sum()):.1f}")
        conf = "-" if np.isnan(acc.confidence[i]) else f"{100 * float(acc.confidence[i]):.0f}%"
        body.append([str(rows[o].rank), terminal(o), *cells, f"{100 * float(acc.holistic[i]):.1f}", conf])
    lines.extend(_grid(head, body))
    if left:
        lines.append(more_line(left, "ranked offerings", "see --format csv or json"))
    dom = report.dominance
    lines += ["", f"Pareto front ({len(dom.pareto_front)}): " + names(dom.pareto_front, LIST_ITEMS)]
    if dom.dominated_by:
        pairs = sum(len(a) for a in dom.dominated_by.values())
        lines.append(f"Dominated ({len(dom.dominated_by):,}; {pairs:,} dominance pairs):")
        dominated, left = cut(list(dom.dominated_by.items()), LIST_ITEMS)
        lines.extend(f"  {b} by {names(a)}" for b, a in dominated)
        if left:
            lines.append("  " + more_line(left, "dominated offerings", "see --format json"))
    else:
        lines.append("Dominated: none")
    lines.append("")
    lines.extend(f"Warning: {terminal(x)}" for x in ranking.warnings)
    lines.extend(f"Note: {terminal(n)}" for n in (*ranking.notes, *report.notes))
    return terminal_block("\n".join(lines) + "\n")


def _grid(head: list[str], body: list[list[str]]) -> list[str]:
    widths = [max(len(x) for x in col) for col in zip(head, *body, strict=False)]
    out = ["  ".join(h.ljust(wd) for h, wd in zip(head, widths, strict=True)).rstrip()]
    out.extend("  ".join(x.ljust(wd) for x, wd in zip(b, widths, strict=True)).rstrip() for b in body)
    return out

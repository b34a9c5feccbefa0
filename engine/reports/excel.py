"""Excel export of a :class:`~engine.mcda.scoring.Ranking`: a formatted ``.xlsx`` workbook.

Three sheets:

``Shortlist``
    Exactly the columns and rows of :func:`engine.to_csv` (same header names and order;
    ranked rows, then excluded ones), with numbers and dates as real cells, a bold
    frozen header row, frozen ``rank``/``offering_id`` columns, an auto-filter, number
    formats, a data bar on ``score`` (0–100) and the excluded rows greyed.
``Inputs``
    What the ranking was computed from: priorities, method, price date, currency,
    tool version, inputs digest, the normalised weights with each criterion's value
    function and anchors, the must-haves, the workload, regions, certifications,
    price adjustments and the notes (such as the currency of ``monthly_cost_value``).
``Sources``
    Provenance of each listed offering: vendor file, ``as_of``, data age at the price
    date, whether any of its facts is stale (older than its kind's maximum age, see
    :mod:`engine.catalog.staleness`) or dated after the price date, each such fact
    (``stale_facts``: block, date, age and limit), the offering's sources (web addresses as hyperlinks), and
    the ``as_of`` and sources of its capability, latency and FMTI figures.

Safe for spreadsheets: every text cell is stored as text (never as a formula or an
error value) and, as in the CSV, text starting with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return is prefixed with ``'`` (OWASP, "CSV Injection"). Deterministic:
the workbook's dates (document properties and zip entries) are the price date, so the
same inputs give byte-identical files.

openpyxl is imported on the first call, so ``import engine`` (and ``shortlist rank``
in the other formats) does not pay for it.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from engine._version import __version__
from engine.catalog.dates import FUTURE_FLAG
from engine.catalog.loading import Catalog, ResolvedOffering
from engine.catalog.schema import CriterionSpec, PrioritiesFile
from engine.catalog.staleness import stale_label
from engine.mcda.scoring import Ranking, Row, excluded_summary
from engine.reports.escape import visible
from engine.reports.export import csv_header, neutralise, shortlist_rows

if TYPE_CHECKING:  # openpyxl is imported when a workbook is made (see the module docstring)
    from openpyxl import Workbook
    from openpyxl.cell.cell import Cell as XlCell
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["SHEETS", "to_xlsx"]

SHEETS = ("Shortlist", "Inputs", "Sources")
"""The workbook's sheet names, in order."""

_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
"""Control characters an XML 1.0 document (so a worksheet) cannot hold."""
_MAX_URL = 2000
"""Longer addresses are shown as text, not linked (Excel refuses links of ~2,080+ characters)."""
_HEAD_FILL = "1F4E78"
_HEAD_TEXT = "FFFFFF"
_GREY_TEXT = "808080"
_GREY_FILL = "F2F2F2"
_BAR = "FF5B9BD5"  # opaque (ARGB)
_DATE = "yyyy-mm-dd"
_COST = "#,##0.00"


def to_xlsx(
    ranking: Ranking,
    priorities: PrioritiesFile,
    catalog: Catalog,
    *,
    top: int | None = None,
    version: str = __version__,
) -> bytes:
    """Render the ranking as a formatted Excel workbook (Office Open XML, ``.xlsx``).

    Parameters
    ----------
    ranking : Ranking
        The result to export (from :func:`engine.rank`).
    priorities : PrioritiesFile
        The priorities the ranking used: must-haves, workload, regions, wanted
        certifications and price adjustments come from it. The weights, method, price
        date, currency and maximum ages shown are the ranking's own (they include
        command-line or slider overrides).
    catalog : Catalog
        The catalog the ranking was computed from; gives each offering's vendor file
        and sources.
    top : int, optional
        Keep only the first ``top`` ranked offerings, never splitting a tie at the cut
        (as :func:`engine.to_csv`); excluded offerings are always listed. Applies to
        the ``Shortlist`` and ``Sources`` sheets.
    version : str
        Tool version written on the ``Inputs`` sheet and in the document properties.

    Returns
    -------
    bytes
        The workbook (a zip archive). Sheets, in order, :data:`SHEETS`:

        - ``Shortlist``: row 1 is the header of :func:`engine.to_csv`, then one row
          per listed offering (n rows × (8 + 2 · criteria) columns). ``score`` and
          ``<criterion>_contribution`` are points on the 0–100 scale; each
          ``<criterion>_value`` is in the criterion's unit (``monthly_cost_value`` in
          ``ranking.currency`` per month); ``as_of`` is a date. Numbers keep full
          precision (the CSV rounds to 4 decimals); the number formats round for
          display only.
        - ``Inputs``: weights as shares formatted as percentages (they sum to 100 %),
          value-function anchors in each criterion's unit.
        - ``Sources``: ``age_days`` is whole days from ``as_of`` to the price date;
          ``stale`` is ``yes`` when any fact of the offering is older than its
          kind's maximum age (``ranking.max_age_days``) and ``dated after the ranking
          date`` when any date is after the price date (both, ``;``-separated, when
          both apply); ``stale_facts`` names each
          such fact with its date, age and limit (empty when none).

    Raises
    ------
    KeyError
        When a listed offering is not in ``catalog`` (the ranking came from another
        catalog).

    Notes
    -----
    Text cells are stored as strings (never formulas or error values) and neutralised
    with :func:`engine.reports.export.neutralise`; control characters that XML cannot carry
    are replaced by U+FFFD and text is cut at Excel's 32,767 characters, so those rare
    cells differ from the CSV. Web addresses (``http``/``https``) in the sources become
    hyperlinks (a source that starts with one, followed by a remark, links that
    address and shows the whole text); anything else stays plain text.

    The document's created/modified dates and the zip entries' timestamps are the
    price date (``ranking.on_date``; zip times at 1980-01-01 at the earliest), so equal
    inputs give byte-identical output with the same openpyxl and zlib.

    References
    ----------
    ECMA-376, *Office Open XML File Formats*; OWASP, *CSV Injection*.
    """
    from openpyxl import Workbook

    rows = shortlist_rows(ranking, top)
    by_id = {o.id: o for o in catalog.offerings}
    resolved = [by_id[r.offering_id] for r in rows]  # KeyError: not from this catalog

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEETS[0]
    _shortlist_sheet(ws, ranking, rows)
    _inputs_sheet(wb.create_sheet(SHEETS[1]), ranking, priorities, top, version)
    _sources_sheet(wb.create_sheet(SHEETS[2]), ranking, priorities, rows, resolved)

    when = dt.datetime.combine(ranking.on_date, dt.time())
    props = wb.properties
    props.creator = f"Shortlist {version}"
    props.title = visible(_ILLEGAL.sub("\ufffd", f"Shortlist: {ranking.priorities_name}"))
    props.created = when
    props.modified = when
    buf = io.BytesIO()
    wb.save(buf)  # stamps `modified` with the current time: undone by _pin_dates
    props.modified = when
    return _pin_dates(buf.getvalue(), wb, when)


# --------------------------------------------------------------------------- cells


def _text(value: str) -> str:
    return neutralise(_ILLEGAL.sub("\ufffd", value))


def _put(ws: Worksheet, row: int, col: int, value: Any, fmt: str | None = None) -> XlCell:
    """Write one cell: text always as a string (never a formula or an error value),
    numbers and dates as themselves, ``None`` and ``""`` as an empty cell."""
    from openpyxl.cell.cell import Cell

    cell = ws.cell(row=row, column=col)
    assert isinstance(cell, Cell)  # not a merged cell: this module merges none
    if value == "":
        pass  # an empty cell, not an empty string
    elif isinstance(value, str):
        cell.value = _text(value)
        cell.data_type = "s"  # openpyxl would make "=…" a formula and "#N/A" an error
    else:
        cell.value = value
    if fmt is not None:
        cell.number_format = fmt
    return cell


def _shown(value: Any, fmt: str | None) -> int:
    """Approximate displayed width of a value, in characters (for column widths)."""
    if value is None:
        return 0
    if isinstance(value, (dt.date, dt.datetime)):
        return 10
    if isinstance(value, bool):
        return 5
    if isinstance(value, (int, float)):
        if fmt == "0.0%":
            return len(f"{100 * value:.1f}%")
        return len(f"{value:,.2f}") if fmt and "," in fmt else len(f"{value:.4g}")
    return max((len(line) for line in str(value).splitlines()), default=0)


def _widths(ws: Worksheet, columns: Sequence[Sequence[tuple[Any, str | None]]], cap: int = 60) -> None:
    from openpyxl.utils import get_column_letter

    for j, col in enumerate(columns, start=1):
        width = max((_shown(v, f) for v, f in col), default=0)
        ws.column_dimensions[get_column_letter(j)].width = min(cap, max(8, width + 3))


def _header(ws: Worksheet, head: Sequence[str]) -> None:
    """Row 1: bold on a fill, frozen and filtered by the caller."""
    from openpyxl.styles import Font, PatternFill

    font = Font(bold=True, color=_HEAD_TEXT)
    fill = PatternFill("solid", fgColor=_HEAD_FILL)
    for j, h in enumerate(head, start=1):
        cell = _put(ws, 1, j, h)
        cell.font = font
        cell.fill = fill


def _grey(cells: Sequence[XlCell], *, keep_font: bool = False) -> None:
    from openpyxl.styles import Font, PatternFill

    for cell in cells:
        cell.fill = PatternFill("solid", fgColor=_GREY_FILL)
        if not keep_font:
            cell.font = Font(color=_GREY_TEXT, italic=True)


def _value_format(c: CriterionSpec) -> str | None:
    """Display format of a criterion's performance values."""
    if c.id == "monthly_cost":
        return _COST
    if c.value_function.type == "levels":
        return None
    if "token" in c.unit:
        return "#,##0"
    if "share" in c.unit:
        return "0.00"
    return None


def _finish_table(ws: Worksheet, n_cols: int, n_rows: int, freeze: str) -> None:
    from openpyxl.utils import get_column_letter

    ws.freeze_panes = freeze
    ws.auto_filter.ref = f"A1:{get_column_letter(n_cols)}{n_rows + 1}"


# --------------------------------------------------------------------------- Shortlist


def _shortlist_sheet(ws: Worksheet, ranking: Ranking, rows: Sequence[Row]) -> None:
    from openpyxl.formatting.rule import DataBarRule
    from openpyxl.utils import get_column_letter

    head = csv_header(ranking)
    ids = [c.id for c in ranking.criteria]
    fmts: list[str | None] = [
        "0",  # rank
        None,
        None,
        None,
        "0.0",  # score
        None,
        None,  # exclusion
        None,
        *[f for c in ranking.criteria for f in (_value_format(c), "0.00", None)],
        _DATE,
        None,  # currency
    ]
    assert len(fmts) == len(head)
    _header(ws, head)
    columns: list[list[tuple[Any, str | None]]] = [[(h, None)] for h in head]
    for i, r in enumerate(rows, start=2):
        values: list[Any] = [
            r.rank,
            r.offering_id,
            r.vendor,
            r.offering,
            r.score,
            r.status,
            r.exclusion or "",
            "; ".join(r.reasons),
            *[x for c in ids for x in (r.cells[c].value, r.cells[c].contribution, r.cells[c].evidence or "")],
            r.as_of,
            ranking.currency,
        ]
        cells = [_put(ws, i, j, v, f) for j, (v, f) in enumerate(zip(values, fmts, strict=True), start=1)]
        for col, v, f in zip(columns, values, fmts, strict=True):
            col.append((v, f))
        if r.status == "excluded":
            _grey(cells)
    _widths(ws, columns)
    _finish_table(ws, len(head), len(rows), "C2")
    n_ranked = sum(r.status == "ranked" for r in rows)
    if n_ranked:
        letter = get_column_letter(head.index("score") + 1)
        bar = DataBarRule(  # type: ignore[no-untyped-call]
            start_type="num", start_value=0, end_type="num", end_value=100, color=_BAR
        )
        ws.conditional_formatting.add(f"{letter}2:{letter}{n_ranked + 1}", bar)


# --------------------------------------------------------------------------- Inputs


class _Writer:
    """Writes sections top to bottom on a free-form sheet."""

    def __init__(self, ws: Worksheet) -> None:
        from openpyxl.styles import Font, PatternFill

        self.ws = ws
        self.row = 1
        self.bold = Font(bold=True)
        self.head_font = Font(bold=True, color=_HEAD_TEXT)
        self.head_fill = PatternFill("solid", fgColor=_HEAD_FILL)
        self.section_font = Font(bold=True, size=12, color=_HEAD_FILL)

    def title(self, text: str) -> None:
        from openpyxl.styles import Font

        _put(self.ws, self.row, 1, text).font = Font(bold=True, size=14)
        self.row += 2

    def section(self, text: str) -> None:
        _put(self.ws, self.row, 1, text).font = self.section_font
        self.row += 1

    def pair(self, key: str, value: Any, fmt: str | None = None) -> None:
        _put(self.ws, self.row, 1, key).font = self.bold
        _put(self.ws, self.row, 2, value, fmt)
        self.row += 1

    def table(self, head: Sequence[str], rows: Sequence[Sequence[Any]], fmts: Sequence[str | None]) -> None:
        for j, h in enumerate(head, start=1):
            cell = _put(self.ws, self.row, j, h)
            cell.font, cell.fill = self.head_font, self.head_fill
        self.row += 1
        for values in rows:
            for j, (v, f) in enumerate(zip(values, fmts, strict=True), start=1):
                _put(self.ws, self.row, j, v, f)
            self.row += 1

    def line(self, text: str) -> None:
        _put(self.ws, self.row, 1, text)
        self.row += 1

    def gap(self) -> None:
        self.row += 1


def _plain(value: Any) -> Any:
    """A requirement value for a cell: numbers stay numbers, lists become text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, (list, tuple, set, frozenset)):
        return ", ".join(str(x) for x in value)
    return "" if value is None else str(value)


def _joined(items: Sequence[str]) -> str:
    return ", ".join(items) if items else "none"


def _inputs_sheet(
    ws: Worksheet, ranking: Ranking, priorities: PrioritiesFile, top: int | None, version: str
) -> None:
    w = _Writer(ws)
    cur, day = ranking.currency, ranking.on_date.isoformat()
    w.title(f"Inputs of the ranking: {ranking.priorities_name}")

    w.section("Ranking")
    w.pair("priorities", ranking.priorities_name)
    if priorities.description:
        w.pair("description", priorities.description)
    w.pair("method", ranking.method)
    w.pair("price date", ranking.on_date, _DATE)
    w.pair("currency", cur)
    w.pair("tool version", f"Shortlist {version}")
    w.pair("inputs digest (SHA-256)", ranking.inputs_digest)
    for kind, days in ranking.max_age_days.items():  # the limits the stale flags were judged against
        w.pair(f"maximum age of {kind} facts (days)", days, "0")
    w.pair("credit for claimed evidence", priorities.claimed_credit, "0%")
    listed = (
        "all ranked offerings" if top is None else f"the first {top} ranked offerings (a tie at the cut kept)"
    )
    w.pair("offerings listed", f"{listed}, then every excluded one")
    w.pair("excluded", excluded_summary(ranking.excluded))
    w.gap()

    if ranking.warnings:  # a ranking resting on missing data says so before anything else
        w.section("Warnings: the ranking rests on missing data")
        for x in ranking.warnings:
            w.line(x)
        w.gap()

    w.section("Weights (normalised: they sum to 100 %)")
    cov = {cv.criterion: cv for cv in ranking.coverage}
    rows: list[list[Any]] = []
    for c in ranking.criteria:
        vf = c.value_function
        anchors = ranking.anchors.get(c.id)
        origin = (
            "priorities"
            if c.id in priorities.anchors
            else "criteria catalog"
            if anchors is not None
            else "relative: min–max over the candidate set"
            if c.scale == "relative"
            else ""
        )
        levels = "; ".join(f"{k} = {v:g}" for k, v in (vf.levels or {}).items())
        rows.append(
            [
                c.id,
                c.label,
                f"{cur} per month" if c.id == "monthly_cost" else c.unit,
                c.direction,
                ranking.weights[c.id],
                vf.type,
                None if anchors is None else anchors[0],
                None if anchors is None else anchors[1],
                origin,
                levels,
                c.missing,
                f"{cov[c.id].known} of {cov[c.id].ranked}" if c.id in cov else "",
            ]
        )
    w.table(
        [
            "criterion",
            "label",
            "unit",
            "direction",
            "weight",
            "value function",
            "worst (utility 0)",
            "best (utility 1)",
            "anchors from",
            "levels (utility)",
            "missing value",
            "known (of ranked)",
        ],
        rows,
        [None, None, None, None, "0.0%", None, "General", "General", None, None, None, None],
    )
    _put(ws, w.row, 1, "total").font = w.bold
    _put(ws, w.row, 5, sum(ranking.weights.values()), "0.0%").font = w.bold
    w.row += 2

    w.section("Must-haves")
    if priorities.requirements:
        w.table(
            ["id", "field", "op", "value", "min evidence", "unknown allowed", "message"],
            [
                [
                    q.id,
                    q.field,
                    q.op,
                    _plain(q.value),
                    q.min_evidence,
                    "yes" if q.allow_unknown else "no",
                    q.message or "",
                ]
                for q in priorities.requirements
            ],
            [None] * 7,
        )
    else:
        w.line("None.")
    w.gap()

    wl = priorities.workload
    w.section("Workload")
    w.pair("input tokens per month", wl.input_tokens_per_month, "#,##0")
    w.pair("output tokens per month", wl.output_tokens_per_month, "#,##0")
    w.pair("answer tokens", wl.answer_tokens, "#,##0")
    w.pair("currency", wl.currency)
    w.gap()

    w.section("Regions and certifications")
    w.pair("allowed processing regions", _joined(priorities.allowed_regions))
    w.pair("trusted jurisdictions", _joined(priorities.trusted_jurisdictions))
    w.pair("wanted certifications", _joined(priorities.wanted_certifications))
    held = priorities.buyer_certifications
    w.pair("buyer's own certifications (self-hosted)", "not declared" if held is None else _joined(held))
    w.gap()

    if priorities.price_adjustments:
        w.section("Price adjustments")
        w.table(
            ["offering", "discount %", "monthly fixed", "currency", "note"],
            [
                [k, a.discount_pct, a.monthly_fixed, a.currency or wl.currency, a.note or ""]
                for k, a in priorities.price_adjustments.items()
            ],
            [None, "0.0", _COST, None, None],
        )
        w.gap()

    w.section("Notes")
    w.line(f"monthly_cost_value is in {cur} per month, at the list prices in force on {day}.")
    w.line("score and the *_contribution columns are points on a 0–100 scale.")
    for n in ranking.notes:
        w.line(n)

    for letter, width in zip("ABCDEFGHIJKL", (30, 34, 24, 10, 10, 15, 17, 17, 22, 40, 14, 17), strict=True):
        ws.column_dimensions[letter].width = width


# --------------------------------------------------------------------------- Sources


def _link(source: str) -> str | None:
    """The web address a source starts with, when Excel can link it: an absolute
    http(s) URL, alone or followed by a remark (``https://… (read 2026-11-29)``)."""
    url = source.split(None, 1)[0] if source.strip() else ""
    if len(url) > _MAX_URL or any(ord(ch) < 32 or ord(ch) == 127 for ch in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme in ("http", "https") and parts.netloc and source.startswith(url) else None


def _sources_sheet(
    ws: Worksheet,
    ranking: Ranking,
    priorities: PrioritiesFile,
    rows: Sequence[Row],
    resolved: Sequence[ResolvedOffering],
) -> None:
    day = ranking.on_date
    blocks: list[tuple[str, list[tuple[dt.date | None, tuple[str, ...]]]]] = [
        ("", [(None, ro.offering.sources) for ro in resolved]),
    ]
    for name in ("capability", "latency", "fmti"):
        items = []
        for ro in resolved:
            part = ro.vendor.fmti if name == "fmti" else getattr(ro.offering, name)
            items.append((None, ()) if part is None else (part.as_of, part.sources))
        blocks.append((name, items))
    # as many source columns per block as its longest list (at least one)
    counts = [max(1, *(len(s) for _, s in items)) for _, items in blocks]

    head = ["offering_id", "vendor", "status", "vendor_file", "as_of", "age_days", "stale", "stale_facts"]
    fmts: list[str | None] = [None, None, None, None, _DATE, "0", None, None]
    source_cols: set[int] = set()  # 1-based columns holding sources
    for (name, _), n in zip(blocks, counts, strict=True):
        if name:
            head.append(f"{name}_as_of")
            fmts.append(_DATE)
        prefix = f"{name}_source" if name else "source"
        source_cols.update(range(len(head) + 1, len(head) + n + 1))
        head += [f"{prefix}_{k}" for k in range(1, n + 1)]
        fmts += [None] * n
    _header(ws, head)

    columns: list[list[tuple[Any, str | None]]] = [[(h, None)] for h in head]
    for i, (r, ro) in enumerate(zip(rows, resolved, strict=True)):
        age = (day - ro.offering.as_of).days
        future = FUTURE_FLAG.removeprefix("data ") if any(a.future for a in r.stale) else ""
        status = "; ".join(x for x in ("yes" if any(a.stale for a in r.stale) else "", future) if x) or "no"
        values: list[Any] = [
            r.offering_id,
            r.vendor,
            r.status,
            ro.file,
            ro.offering.as_of,
            age,
            status,
            "; ".join(stale_label(a) for a in r.stale) or None,
        ]
        for (name, items), n in zip(blocks, counts, strict=True):
            as_of, sources = items[i]
            if name:
                values.append(as_of)
            values += [*sources, *([None] * (n - len(sources)))]
        cells = []
        links = []
        for j, (v, f) in enumerate(zip(values, fmts, strict=True), start=1):
            cell = _put(ws, i + 2, j, v, f)
            columns[j - 1].append((v, f))
            url = _link(v) if j in source_cols and isinstance(v, str) else None
            if url is not None:
                cell.hyperlink = url
                cell.style = "Hyperlink"
                links.append(cell)
            else:
                cells.append(cell)
        if r.status == "excluded":
            _grey(cells)
            _grey(links, keep_font=True)
    _widths(ws, columns)
    _finish_table(ws, len(head), len(rows), "B2")


# --------------------------------------------------------------------------- determinism


def _pin_dates(data: bytes, wb: Workbook, when: dt.datetime) -> bytes:
    """Rewrite the zip with every entry dated ``when`` and the core properties
    (created/modified) regenerated with the pinned date; compression is kept."""
    from openpyxl.xml.functions import tostring

    core = tostring(wb.properties.to_tree())
    t = max(when, dt.datetime(1980, 1, 1))  # the earliest date a zip entry can carry
    stamp = (t.year, t.month, t.day, t.hour, t.minute, t.second)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 0  # the same bytes on every platform
            entry.external_attr = 0o600 << 16  # what zipfile gives a named entry (rw-------)
            body = core if info.filename == "docProps/core.xml" else src.read(info.filename)
            dst.writestr(entry, body)
    return out.getvalue()

"""Renderers of a request for information (:class:`engine.reports.rfi.Rfi`).

- :func:`rfi_markdown`: one vendor's questionnaire as GitHub-flavoured Markdown;
- :func:`rfi_yaml`: one vendor's *answer template*: every question with empty
  ``answer``, ``evidence`` (a reference or URL) and ``as_of`` (``YYYY-MM-DD``) to fill
  in; valid YAML that the strict loader (:func:`engine.catalog.yamlio.load_yaml_bytes`)
  reads back;
- :func:`rfi_xlsx`: one workbook, one sheet per vendor or operator questionnaire, with
  a drop-down list on the answer cell of every question whose answer is one of a list.

Input text (vendor and offering names, priorities names, must-have messages) is
escaped for each format: :func:`engine.reports.escape.markdown` in Markdown, a
double-quoted scalar with every control, bidirectional formatting character and
character YAML cannot carry written as an escape in YAML (the header comment carries
only the vendor id, which the schema limits to ``[a-z0-9._-]``), and
:func:`engine.reports.escape.csv_cell` (formula neutralisation) in the workbook.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from typing import TYPE_CHECKING

from engine.catalog.answers import KIND
from engine.reports.escape import markdown, markdown_code, visible
from engine.reports.rfi import Question, Rfi, VendorQuestionnaire

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["TEMPLATE_KIND", "rfi_markdown", "rfi_xlsx", "rfi_yaml", "sheet_titles"]

TEMPLATE_KIND = KIND
"""The ``kind`` of an answer template (:data:`engine.catalog.answers.KIND`)."""


def _groups(v: VendorQuestionnaire) -> tuple[list[Question], list[Question]]:
    return [q for q in v.questions if q.decides], [q for q in v.questions if not q.decides]


# --------------------------------------------------------------------------- Markdown


def _about(q: Question) -> str:
    """The offering a question is about, ahead of it in its heading (a vendor-level
    question concerns several: they are listed below it)."""
    return (
        f"{markdown_code(q.offering_ids[0])}: "
        if len(q.offering_ids) == 1 and not q.id.startswith("vendor:")
        else ""
    )


def _md_question(n: int, q: Question) -> list[str]:
    s = q.spec
    out = [
        f"### Q{n}. {_about(q)}{markdown(s.ask)}",
        "",
        f"- **Offering:** {', '.join(markdown_code(o) for o in q.offering_ids)}",
        f"- **Field:** {markdown_code(q.field)} (question {markdown_code(q.id)})",
        f"- **Answer format:** {markdown(s.answer_format)}",
    ]
    if s.allowed:
        out.append(f"- **Allowed values:** {', '.join(markdown_code(a) for a in s.allowed)}")
    out.append(f"- **Evidence wanted:** {markdown(s.evidence)}")
    out.append("- **Why it matters to this buyer:**")
    out += [f"  - {markdown(r)}" for r in q.reasons]
    out.append("")
    return out


def rfi_markdown(rfi: Rfi, v: VendorQuestionnaire) -> str:
    """One vendor's questionnaire as Markdown.

    Parameters
    ----------
    rfi : Rfi
    v : VendorQuestionnaire
        One of ``rfi.vendors``.

    Returns
    -------
    str
        A heading, the buyer's context (priorities, date, shortlist cut, how the
        questions are ordered), the vendor's offerings, then the questions that can
        change the shortlist or a must-have's outcome, then (under their own heading)
        those that cannot; every input text escaped (:func:`engine.reports.escape.markdown`).
    """
    out = [
        f"# Request for information: {markdown(v.vendor_name)} ({markdown_code(v.vendor_id)})",
        "",
        f"Buyer's priorities: {markdown(rfi.priorities_name)}. Facts judged on {rfi.on_date.isoformat()}; "
        f"shortlist: the first {rfi.cut} ranked offerings; the questions whose answer can change "
        "the shortlist or a must-have come first.",
        "",
        *(
            [
                "You are asked as the operator of the channels below (their certifications, processing "
                "regions, retention, prices, latency); questions about the models themselves go to "
                "their makers.",
                "",
            ]
            if v.role == "operator"
            else []
        ),
        "Please answer each question with the evidence asked for and the date the answer is valid on. "
        "The answer template (`shortlist rfi --format yaml`) or the workbook (`--format xlsx`) has a "
        "place for each answer, its evidence and its date. Answers are recorded as vendor-declared "
        "evidence.",
        "",
        "## Offerings",
        "",
        "| Offering | Model and channel |",
        "|---|---|",
    ]
    # the offerings' ranks and exclusions are the buyer's, not the vendor's to read
    for o in v.offerings:
        out.append(f"| {markdown_code(o.offering_id)} | {markdown(o.label)} |")
    out.append("")
    decides, rest = _groups(v)
    if not v.questions:
        out += [
            "No open question: every fact this buyer's ranking reads is known, current and not "
            "resting on aggregator evidence alone.",
            "",
        ]
        return "\n".join(out)
    n = 0
    if decides:
        out += ["## Questions that can change the shortlist or a must-have", ""]
        for q in decides:
            n += 1
            out += _md_question(n, q)
    if rest:
        out += [
            "## Questions that cannot change the shortlist",
            "",
            f"Whatever the answer, these cannot move an offering across the shortlist cut (the first "
            f"{rfi.cut}) nor change a must-have's outcome; they are asked for the record.",
            "",
        ]
        for q in rest:
            n += 1
            out += _md_question(n, q)
    return "\n".join(out)


# --------------------------------------------------------------------------- YAML

# characters a YAML stream may not carry raw (YAML 1.1/1.2 "printable"), plus the ones
# an editor or terminal would act on: written as escapes inside a double-quoted scalar
_YAML_UNSAFE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
    "\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]"
)


def _q(text: str) -> str:
    """``text`` as a double-quoted YAML scalar that loads back to exactly ``text``."""
    s = json.dumps(str(text), ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", s)


def _q_list(items: tuple[str, ...]) -> str:
    return "[" + ", ".join(_q(x) for x in items) + "]"


def rfi_yaml(rfi: Rfi, v: VendorQuestionnaire) -> str:
    """One vendor's answer template (YAML).

    Returns
    -------
    str
        A header comment saying it is a template, then ``kind``
        (:data:`TEMPLATE_KIND`), ``template: true``, ``vendor``, ``vendor_name``,
        ``priorities``, ``on_date`` and ``questions``: a list with ``id``,
        ``offerings``, ``field``, ``question``, ``answer_format``, ``allowed`` (empty:
        a free answer), ``evidence_wanted``, ``why``, ``decides`` and the empty
        ``answer``, ``evidence`` and ``as_of`` to fill in. Every string is a
        double-quoted scalar (no YAML 1.1 surprise, no alias, no tag), so the strict
        loader reads it back unchanged.
    """
    out = [
        f"# Shortlist request for information: ANSWER TEMPLATE for vendor {v.vendor_id}.",
        "# This is a template, not vendor data. For each question fill in `answer` (one of",
        "# `allowed` when it lists values), `evidence` (a document reference or URL) and",
        "# `as_of` (the date the answer is valid on, YYYY-MM-DD, quoted). Leave a question you",
        "# cannot answer empty. Do not change the other fields.",
        f"kind: {TEMPLATE_KIND}",
        "template: true",
        f"vendor: {_q(v.vendor_id)}",
        f"vendor_name: {_q(v.vendor_name)}",
        f"priorities: {_q(rfi.priorities_name)}",
        f"on_date: {_q(rfi.on_date.isoformat())}",
    ]
    if not v.questions:
        out.append("questions: []")
        return "\n".join(out) + "\n"
    out.append("questions:")
    for q in v.questions:
        s = q.spec
        out += [
            f"  - id: {_q(q.id)}",
            f"    offerings: {_q_list(q.offering_ids)}",
            f"    field: {_q(q.field)}",
            f"    question: {_q(s.ask)}",
            f"    answer_format: {_q(s.answer_format)}",
            f"    allowed: {_q_list(s.allowed)}",
            f"    evidence_wanted: {_q(s.evidence)}",
            f"    why: {_q_list(q.reasons)}",
            f"    decides: {'true' if q.decides else 'false'}",
            "    answer:",
            "    evidence:",
            "    as_of:",
        ]
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- Excel

_COLUMNS = (
    ("question_id", 34),
    ("offerings", 34),
    ("field", 28),
    ("question", 60),
    ("answer_format", 40),
    ("allowed_values", 24),
    ("evidence_wanted", 50),
    ("why_it_matters", 60),
    ("can_change_shortlist", 12),
    ("answer", 30),
    ("evidence", 40),
    ("as_of", 14),
)
_HEADER_ROW = 4
_SHEET_MAX = 31


def sheet_titles(vendor_ids: list[str]) -> list[str]:
    """One worksheet title per vendor id: the id, cut to Excel's 31 characters, with a
    ``~N`` suffix when a cut id would repeat an earlier title (ids are lowercase
    ``[a-z0-9._-]``: no character Excel forbids in a title)."""
    out: list[str] = []
    taken: set[str] = set()
    for vid in vendor_ids:
        title = vid[:_SHEET_MAX]
        k = 1
        while title.casefold() in taken:
            k += 1
            suffix = f"~{k}"
            title = vid[: _SHEET_MAX - len(suffix)] + suffix
        taken.add(title.casefold())
        out.append(title)
    return out


def _sheet(ws: Worksheet, rfi: Rfi, v: VendorQuestionnaire) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from engine.reports.excel import _put

    _put(ws, 1, 1, f"Request for information: {v.vendor_name} ({v.vendor_id})").font = Font(
        bold=True, size=13
    )
    _put(
        ws,
        2,
        1,
        f"Priorities: {rfi.priorities_name}; facts judged on {rfi.on_date.isoformat()}; shortlist: the first "
        f"{rfi.cut}; ordered by {rfi.ordered_by}. Fill in answer, evidence (reference or URL) and as_of.",
    )
    # row 3 names the questionnaire, so the workbook can be read back (engine.catalog.answers)
    for j, value in enumerate(("questionnaire", v.vendor_id, "kind", TEMPLATE_KIND), start=1):
        _put(ws, 3, j, value)
    for j, (name, width) in enumerate(_COLUMNS, start=1):
        _put(ws, _HEADER_ROW, j, name).font = Font(bold=True)
        ws.column_dimensions[get_column_letter(j)].width = width
    ws.freeze_panes = f"B{_HEADER_ROW + 1}"
    lists: dict[tuple[str, ...], DataValidation] = {}
    answer_col = get_column_letter(10)
    date_col = get_column_letter(12)
    wrap = Alignment(wrap_text=True, vertical="top")
    for i, q in enumerate(v.questions, start=_HEADER_ROW + 1):
        s = q.spec
        cells = (
            q.id,
            ", ".join(q.offering_ids),
            q.field,
            s.ask,
            s.answer_format,
            ", ".join(s.allowed),
            s.evidence,
            "\n".join(q.reasons),
            "yes" if q.decides else "no",
        )
        for j, value in enumerate(cells, start=1):
            _put(ws, i, j, value).alignment = wrap
        if s.allowed:
            dv = lists.get(s.allowed)
            if dv is None:  # the catalog's own words: no comma, no quote, within Excel's 255 characters
                dv = DataValidation(
                    type="list",
                    formula1='"' + ",".join(s.allowed) + '"',
                    allow_blank=True,
                    showErrorMessage=True,
                    errorTitle="Not an allowed answer",
                    error="Choose one of: " + ", ".join(s.allowed),
                )
                lists[s.allowed] = dv
                ws.add_data_validation(dv)
            dv.add(f"{answer_col}{i}")
    if v.questions:
        last = _HEADER_ROW + len(v.questions)
        dates = DataValidation(
            type="date",
            operator="greaterThan",
            formula1="36526",  # 2000-01-01
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Not a date",
            error="A date (YYYY-MM-DD) after 2000-01-01",
        )
        ws.add_data_validation(dates)
        dates.add(f"{date_col}{_HEADER_ROW + 1}:{date_col}{last}")
        for i in range(_HEADER_ROW + 1, last + 1):
            ws.cell(row=i, column=12).number_format = "yyyy-mm-dd"
    else:
        _put(ws, _HEADER_ROW + 1, 1, "No open question.")


def rfi_xlsx(rfi: Rfi, version: str) -> bytes:
    """Every vendor's questionnaire as one workbook, one sheet per vendor.

    Parameters
    ----------
    rfi : Rfi
    version : str
        Tool version for the document properties.

    Returns
    -------
    bytes
        The workbook: one sheet per vendor of ``rfi.vendors`` (titles:
        :func:`sheet_titles`), rows 1–2 the vendor and the buyer's context, row 4 the
        header, then one row per question (deciding ones first). The ``answer`` cell
        of a question with allowed values has a list validation (a drop-down that
        refuses other values); ``as_of`` has a date validation. Text cells are
        neutralised for spreadsheets (:func:`engine.reports.escape.csv_cell`). The
        dates of the document and of its zip entries are ``rfi.on_date``, so equal
        inputs give byte-identical files.
    """
    from openpyxl import Workbook

    from engine.reports.excel import _ILLEGAL, _pin_dates

    wb = Workbook()
    first = wb.active
    assert first is not None
    titles = sheet_titles([v.vendor_id for v in rfi.vendors])
    for k, (v, title) in enumerate(zip(rfi.vendors, titles, strict=True)):
        ws = first if k == 0 else wb.create_sheet()
        ws.title = title
        _sheet(ws, rfi, v)
    if not rfi.vendors:
        first.title = "RFI"
        first.cell(row=1, column=1).value = "No vendor."
    when = dt.datetime.combine(rfi.on_date, dt.time())
    props = wb.properties
    props.creator = f"Shortlist {version}"
    props.title = visible(_ILLEGAL.sub("\ufffd", f"Shortlist RFI: {rfi.priorities_name}"))
    props.created = when
    props.modified = when
    buf = io.BytesIO()
    wb.save(buf)
    props.modified = when
    return _pin_dates(buf.getvalue(), wb, when)

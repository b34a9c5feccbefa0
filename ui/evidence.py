"""The Evidence page's data: each offering's rank range over its unknown facts
(:mod:`engine.mcda.unknowns`), the questions that decide it (:mod:`engine.reports.rfi`)
and the questionnaire files, built with the same engine calls as ``shortlist rfi`` so
the downloads are byte-identical to the CLI's files with the same settings.

No Streamlit drawing here (the page, ``ui/pages/evidence.py``, draws): plain data that
the tests read too; :func:`evidence_of` keeps it across sessions (``st.cache_resource``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd
import streamlit as st

import engine
from engine.catalog.schema import PrioritiesFile
from engine.mcda.unknowns import RankRange, range_short, ranges_of
from engine.reports.rfi import Question, Rfi, VendorQuestionnaire, questionnaires
from engine.reports.rfi_output import rfi_markdown, rfi_xlsx, rfi_yaml
from ui.common import text_frame

WORKBOOK = "rfi.xlsx"
"""The workbook's file name, as ``shortlist rfi --format xlsx --output DIR`` names it."""
SUFFIXES = {"markdown": ".md", "yaml": ".rfi.yaml"}
"""The per-recipient file name suffixes, as ``shortlist rfi --output DIR`` names them
(``<vendor or operator id><suffix>``; ``engine.cli.rfi.SUFFIXES``, checked by a test)."""
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ROLES = {"model maker": "model maker", "operator": "operator of the channel"}


@dataclass(frozen=True)
class Evidence:
    """What the Evidence page shows for one ranking.

    Attributes
    ----------
    cut : int
        The shortlist cut: the priorities' ``robustness.top_k``.
    ranges : dict
        Offering id → :class:`~engine.mcda.unknowns.RankRange` (every offering).
    rfi : Rfi
        Every vendor's and operator's questionnaire, ordered by the rank ranges
        (as ``shortlist rfi`` without ``--vendor`` and ``--top``).
    listed : tuple of str
        The offerings the page lists: every ranked one, then every one kept out by
        evidence gaps that could reach the top ``cut`` (ranking order).
    labels : dict
        Offering id → human name (model — channel).
    """

    cut: int
    ranges: dict[str, RankRange]
    rfi: Rfi
    listed: tuple[str, ...]
    labels: dict[str, str]


def evidence(ranking: engine.Ranking, catalog: engine.Catalog, priorities: PrioritiesFile) -> Evidence:
    """The rank ranges and questionnaires of a ranking, as ``shortlist rfi`` computes them.

    Parameters
    ----------
    ranking : Ranking
    catalog : Catalog
        The catalog ``ranking`` was computed from.
    priorities : PrioritiesFile
        The priorities it was computed with.

    Returns
    -------
    Evidence

    Raises
    ------
    InputError
        ``usage.invalid`` for a cut that is not a whole number ≥ 1 (the schema forbids it).
    """
    impact = ranges_of(ranking, priorities, cut=None)
    rfi = questionnaires(ranking, catalog, priorities, cut=None, vendor=None, impact=impact)
    cut = rfi.cut
    listed = tuple(
        oid
        for oid, rr in impact.items()
        if rr.rank is not None or (rr.best_rank is not None and rr.best_rank <= cut)
    )
    labels = {r.offering_id: r.offering for r in ranking.rows}
    return Evidence(cut, impact, rfi, listed, labels)


@st.cache_resource(show_spinner=False, max_entries=16)
def evidence_of(
    digest: str, _ranking: engine.Ranking, _catalog: engine.Catalog, _priorities: PrioritiesFile
) -> Evidence:
    """:func:`evidence` of the ranking with this inputs digest (``Ranking.inputs_digest``:
    the vendor files, answers, criteria, priorities and date it was made from), computed
    once for all sessions, so the page's first table is not delayed by the rank ranges and
    questionnaires (about 0.1 s) on every visit. The result is immutable and shared.

    Raises
    ------
    InputError
        As :func:`evidence` (not cached).
    """
    return evidence(_ranking, _catalog, _priorities)


def cli_bytes(text: str) -> bytes:
    """Text as ``shortlist rfi --output DIR`` writes it (UTF-8, backslash escapes for
    what UTF-8 cannot encode)."""
    return text.encode("utf-8", errors="backslashreplace")


def questionnaire_markdown(rfi: Rfi, v: VendorQuestionnaire) -> bytes:
    """``DIR/<id>.md`` of ``shortlist rfi --output DIR`` (the default format)."""
    return cli_bytes(rfi_markdown(rfi, v))


def answer_template(rfi: Rfi, v: VendorQuestionnaire) -> bytes:
    """``DIR/<id>.rfi.yaml`` of ``shortlist rfi --format yaml --output DIR``."""
    return cli_bytes(rfi_yaml(rfi, v))


def workbook(rfi: Rfi) -> bytes:
    """``DIR/rfi.xlsx`` of ``shortlist rfi --format xlsx --output DIR`` (one sheet per
    vendor or operator)."""
    return rfi_xlsx(rfi, engine.__version__)


@dataclass(frozen=True)
class Ask:
    """One question about one offering, and to whom it goes.

    Attributes
    ----------
    number : int
        Its number in the recipient's questionnaire (``Q<number>``).
    question : Question
    to : VendorQuestionnaire
        The model maker or channel operator asked.
    why : tuple of str
        Why it matters for this offering (the question's reasons that concern it, without
        the list of offerings they hold for).
    others : tuple of str
        The other offerings the same answer concerns (a model or vendor fact asked once).
    """

    number: int
    question: Question
    to: VendorQuestionnaire
    why: tuple[str, ...]
    others: tuple[str, ...]


def _why(q: Question, oid: str) -> tuple[str, ...]:
    """The reasons of ``q`` that hold for ``oid``: each reason reads ``<ids>: <reason>``
    (:meth:`engine.reports.rfi._Draft.why`), ids joined by ``, `` (an id has neither a
    comma nor a colon, ``[a-z0-9._-]``)."""
    out = []
    for r in q.reasons:
        who, sep, reason = r.partition(": ")
        if sep and oid in who.split(", "):
            out.append(reason)
    return tuple(out) or q.reasons


def asks(rfi: Rfi, oid: str) -> list[Ask]:
    """The questions about one offering, each with its recipient.

    Returns
    -------
    list of Ask
        Grouped by recipient, recipients in the order of their most decisive question
        (questions that can change the shortlist or a must-have first, then each
        questionnaire's own order), each recipient's questions in its questionnaire's order.
    """
    found: list[tuple[int, int, str, Ask]] = []
    for v in rfi.vendors:
        for n, q in enumerate(v.questions, start=1):
            if oid in q.offering_ids:
                ask = Ask(n, q, v, _why(q, oid), tuple(o for o in q.offering_ids if o != oid))
                found.append((0 if q.decides else 1, n, v.vendor_id, ask))
    first: dict[str, tuple[int, int]] = {}
    for decides, n, vid, _ in sorted(found, key=lambda x: x[:3]):
        first.setdefault(vid, (decides, n))
    found.sort(key=lambda x: (x[0], first[x[2]], x[2], x[1]))
    return [a for *_, a in found]


def recipients(asked: Sequence[Ask]) -> list[VendorQuestionnaire]:
    """The questionnaires of ``asked``, each once, in order."""
    seen: dict[str, VendorQuestionnaire] = {}
    for a in asked:
        seen.setdefault(a.to.vendor_id, a.to)
    return list(seen.values())


def who(v: VendorQuestionnaire) -> str:
    """``Scaleway (operator of the channel)`` (plain text: escape it for Markdown)."""
    return f"{v.vendor_name} ({ROLES.get(v.role, v.role)})"


def summary(
    ev: Evidence, asked: Mapping[str, Sequence[Ask]], short: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """One row per listed offering: its name (``short`` when given, e.g. the model and
    whom you contract with, else model — channel), today's rank, its range, how many
    questions can change the shortlist or a must-have, whom they go to, and its id
    (text cells made visible, :func:`ui.common.text_frame`, for ``st.dataframe``)."""
    rows = []
    for oid in ev.listed:
        rr = ev.ranges[oid]
        deciding = [a for a in asked[oid] if a.question.decides]
        rows.append(
            {
                "offering": (short or ev.labels).get(oid, ev.labels[oid]),
                "today": "excluded" if rr.rank is None else f"rank {rr.rank}",
                "rank range over its unknowns": range_short(rr),
                "questions that can change the shortlist": len(deciding),
                "ask": "; ".join(who(v) for v in recipients(deciding)) or "—",
                "id": oid,
            }
        )
    return text_frame(pd.DataFrame(rows))

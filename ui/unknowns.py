"""The app's "Which unknowns matter": rank ranges over unknown facts
(:mod:`engine.mcda.unknowns`), shown on the Compare and Shortlist pages."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
import streamlit as st

from engine.mcda.unknowns import RankRange, UnknownImpact, range_sentence, range_short
from engine.reports.escape import streamlit_markdown as md
from ui.common import text_frame
from ui.plain import CUT_WORDS, UNKNOWN_LEGEND, unknown_text

LEGEND = UNKNOWN_LEGEND


def said(u: UnknownImpact, cut: int, labels: Mapping[str, str]) -> str:
    """One unknown in words (criteria by name): :func:`ui.plain.unknown_text`."""
    return unknown_text(u.field, u.kind, u.rank_if_best, u.rank_if_worst, u.crosses_cut, cut, labels)


def show_offering_unknowns(
    ranges: Mapping[str, RankRange],
    ids: Sequence[str],
    cut: int,
    names: Mapping[str, str] | None = None,
    labels: Mapping[str, str] | None = None,
) -> None:
    """Per offering of ``ids`` (by its name in ``names``): its rank range sentence and
    each unknown (most decisive first, criteria by their ``labels``), saying which cannot
    change the top ``cut``."""
    names, labels = names or {}, labels or {}
    with st.container(key="unknowns"):
        for oid in ids:
            rr = ranges[oid]
            st.markdown(f"**{md(names.get(oid, oid))}**: {md(range_sentence(rr))}")
            if rr.unknowns:
                st.markdown("\n".join(f"- {md(said(u, cut, labels))}" for u in rr.unknowns))
    st.caption(f"{CUT_WORDS.format(cut=cut).capitalize()}. {LEGEND}")


def ranges_table(
    ranges: Mapping[str, RankRange],
    cut: int,
    names: Mapping[str, str] | None = None,
    labels: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """One row per ranked offering, then per offering kept out by evidence gaps that
    could reach the top ``cut``: the offering (by its name in ``names``), today's rank, the
    range, the unknowns that can change the top ``cut`` (criteria by their ``labels``)."""
    names, labels = names or {}, labels or {}
    rows = [
        {
            "offering": names.get(rr.offering_id, rr.offering_id),
            "today": "excluded" if rr.rank is None else str(rr.rank),
            "range": range_short(rr),
            f"can change the top {cut}": ", ".join(
                labels.get(u.field, u.field) for u in rr.unknowns if u.crosses_cut
            )
            or "—",
        }
        for rr in ranges.values()
        if rr.rank is not None or (rr.best_rank is not None and rr.best_rank <= cut)
    ]
    return text_frame(pd.DataFrame(rows))

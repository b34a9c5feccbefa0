"""The app's "Which unknowns matter": rank ranges over unknown facts
(:mod:`engine.mcda.unknowns`), shown on the Compare and Shortlist pages."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
import streamlit as st

from engine.mcda.unknowns import RankRange, describe, range_sentence, range_short
from engine.reports.escape import streamlit_markdown as md
from ui.common import text_frame

LEGEND = (
    "Best: utility 1 on that criterion, or the must-have passes; worst: utility 0 (today's imputation), "
    "or it fails. One offering at a time: the others keep their values."
)


def show_offering_unknowns(ranges: Mapping[str, RankRange], ids: Sequence[str], cut: int) -> None:
    """Per offering of ``ids``: its rank range sentence and each unknown (most decisive
    first), saying which cannot cross the top-``cut`` cut."""
    with st.container(key="unknowns"):
        for oid in ids:
            rr = ranges[oid]
            st.markdown(f"**{md(oid)}**: {md(range_sentence(rr))}")
            if rr.unknowns:
                st.markdown("\n".join(f"- {md(describe(u, cut))}" for u in rr.unknowns))
    st.caption(f"Shortlist cut: top {cut} (the priorities' robustness top K). {LEGEND}")


def ranges_table(ranges: Mapping[str, RankRange], cut: int) -> pd.DataFrame:
    """One row per ranked offering, then per offering kept out by evidence gaps that
    could reach the top ``cut``: today's rank, the range, the unknowns that can cross."""
    rows = [
        {
            "offering": rr.offering_id,
            "today": "excluded" if rr.rank is None else str(rr.rank),
            "range": range_short(rr),
            f"can cross the top-{cut} cut": ", ".join(u.field for u in rr.unknowns if u.crosses_cut) or "—",
        }
        for rr in ranges.values()
        if rr.rank is not None or (rr.best_rank is not None and rr.best_rank <= cut)
    ]
    return text_frame(pd.DataFrame(rows))

"""Shortlist page: the ranking, the excluded offerings, where the points come from,
and the exports (CSV, Excel, decision record, priorities YAML)."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

import engine
import engine.catalog.schema
from engine.catalog.evidence import grade_rank
from engine.mcda.scoring import EVIDENCE_GAP, excluded_summary
from engine.mcda.unknowns import ranges_of
from engine.reports.escape import streamlit_markdown as md
from engine.reports.summarise import cut, more_line
from ui.common import ATTRIBUTION, context, md_frame, no_ranking, show_issues, text_frame
from ui.exports import export_buttons
from ui.unknowns import LEGEND, ranges_table

ctx = context()
st.title("Shortlist")
st.caption("Gate on must-haves, rank on weighted priorities, explain every score. " + ATTRIBUTION)
show_issues(
    [i for i in ctx.catalog.issues if not (i.file or "").startswith("upload:")],
    "the vendor profiles",
    "an invalid file is left out, an offering id defined in two files is left out of both; everything else is used",
)
uploads_broken = [i for i in ctx.catalog.issues if (i.file or "").startswith("upload:")]
if uploads_broken:
    st.warning(f"{len(uploads_broken)} problem(s) in uploaded profiles: see the Catalog page.")

ranking = ctx.ranking
if ranking is None:
    no_ranking(ctx)
    st.stop()

if ranking.notes:
    st.caption("Notes: " + "; ".join(md(n) for n in ranking.notes) + ".")

cur = ranking.currency
ranked = ranking.ranked
gaps = sum(r.exclusion == EVIDENCE_GAP for r in ranking.excluded)
st.subheader(
    f"Ranking — {len(ranked)} ranked, {len(ranking.excluded)} excluded"
    + (f" ({gaps} on evidence gaps only)" if gaps else "")
)
if ranking.warnings:
    with st.container(key="coverage_warnings"):  # a ranking resting on missing data says so first
        for w in ranking.warnings:
            st.warning(md(w))

with st.container(key="leader"):
    if ranked:
        lead = ranked[0]
        score = lead.score or 0.0
        joint = [md(r.offering_id) for r in ranked[1:] if r.rank == 1]
        after = [r for r in ranked if r.rank != 1]
        gap = (
            f", {score - (after[0].score or 0.0):.1f} points ahead of {md(after[0].offering_id)}"
            if after
            else ""
        )
        tie = f" (tied with {', '.join(joint)})" if joint else ""
        st.markdown(  # every input text escaped: a vendor name never renders as a link or markup
            f"Leader: **{md(lead.offering_id)}** — {md(lead.offering)} ({md(lead.vendor)}), "
            f"score {lead.score:.1f}{tie}{gap}"
        )
    else:
        st.warning("No offering passes the must-haves. Relax one in the sidebar.")


# column headers stay short; the full unit is in the criteria catalog and the README
SHORT_UNITS = {"share (0-1)": "0–1", "index points": "index", "FMTI points (0-100)": "FMTI 0–100"}


def _unit(c: engine.catalog.schema.CriterionSpec) -> str:
    return f"{cur}/month" if c.id == "monthly_cost" else SHORT_UNITS.get(c.unit, c.unit)


DECIMALS = {"monthly_cost": 2, "response_time": 1, "capability": 1}


def _weakest(r: engine.Row, weights: dict[str, float]) -> str:
    """The weakest evidence grade among the weighted values of a row, with its criterion."""
    graded = [(c, r.cells[c].evidence) for c, w in weights.items() if w > 0 and r.cells[c].evidence]
    if not graded:
        return ""
    c, g = max(graded, key=lambda x: grade_rank(x[1] or ""))
    return f"{g} ({ctx.labels[c]})"


def _shown(c: str, v: float | str | None) -> float | str | None:
    return round(v, DECIMALS.get(c, 3)) if isinstance(v, float) else v


if ranked:
    rows = []
    # the most heavily weighted criteria first, so the values that decide are in view
    weights = ranking.weights
    shown = sorted(ranking.criteria, key=lambda c: -weights.get(c.id, 0.0))
    for r in ranked:
        row: dict[str, object] = {"rank": r.rank, "offering": r.offering_id}
        row["score"] = round(r.score or 0.0, 2)
        for c in shown:
            row[f"{c.label} ({_unit(c)})" if _unit(c) != "level" else c.label] = (
                _shown(c.id, r.cells[c.id].value) if c.id in r.cells else None
            )
        row["vendor"] = r.vendor
        row["as of"] = r.as_of.isoformat()
        row["data age (days)"] = (ranking.on_date - r.as_of).days
        row["flags"] = "; ".join(r.reasons)
        row["weakest evidence"] = _weakest(r, dict(weights))
        rows.append(row)
    config = {
        "rank": st.column_config.NumberColumn("rank", pinned=True, width="small"),
        "offering": st.column_config.TextColumn("offering", pinned=True),
        "score": st.column_config.ProgressColumn("score", min_value=0, max_value=100, format="%.1f"),
        f"Monthly cost ({cur}/month)": st.column_config.NumberColumn(format="localized"),
        "Context window (tokens)": st.column_config.NumberColumn(format="localized"),
    }
    st.dataframe(text_frame(pd.DataFrame(rows)), hide_index=True, width="stretch", column_config=config)
    st.caption(
        "An empty cell (None) means the value is not published for this channel; the criterion's "
        "missing-data policy applies and the flags column says so. Weights in use: "
        + ", ".join(f"{md(ctx.labels[c])} {100 * w:.1f}%" for c, w in ranking.weights.items() if w > 0)
        + f". Prices on {ranking.on_date.isoformat()}."
    )
    with st.container(key="coverage"):  # each criterion's coverage, readable at a glance
        st.markdown("**Coverage** — ranked offerings whose value is known, per criterion")
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "criterion": ctx.labels[cv.criterion],
                        "weight %": round(100 * cv.weight, 1),
                        "known": f"{cv.known} of {cv.ranked}",
                        "share known": cv.known / cv.ranked if cv.ranked else 0.0,
                        "": "⚠ mostly imputed" if cv.warns else "",
                    }
                    for cv in ranking.coverage
                ]
            ),
            hide_index=True,
            column_config={
                "share known": st.column_config.ProgressColumn(min_value=0, max_value=1, format="percent"),
            },
        )

if ranking.excluded:
    heading = excluded_summary(ranking.excluded).replace("Excluded", "Excluded offerings", 1)
    with st.expander(heading, expanded=False):
        excluded, left = cut(ranking.excluded)  # an HTML table draws every row: the first ones
        with st.container(key="excluded"):  # an HTML table, so the browser tests can read it
            st.table(  # st.table renders Markdown: every cell escaped
                md_frame(
                    pd.DataFrame(
                        [
                            {
                                "offering": r.offering_id,
                                "vendor": r.vendor,
                                "excluded as": r.exclusion or "",
                                "reasons": "; ".join(r.reasons),
                            }
                            for r in excluded
                        ]
                    ).set_index("offering")
                )
            )
            if left:
                st.caption(more_line(left, "excluded offerings", "the CSV and JSON downloads list all"))
        st.caption(
            "fails: a must-have fails on a known fact. evidence gap: only unknown facts keep it out "
            "(look them up, or allow unknown on that must-have)."
        )

if ranked and ctx.priorities is not None:
    cut_k = ctx.priorities.robustness.top_k
    with st.expander("Which unknowns matter: rank ranges over unknown facts", expanded=False):
        with st.container(key="rank_ranges"):
            st.dataframe(ranges_table(ranges_of(ranking, ctx.priorities, cut=cut_k), cut_k), hide_index=True)
        st.caption(
            f"Each offering's rank if its unknown facts were answered at their best or worst; offerings kept out "
            f"by evidence gaps are listed when they could reach the top {cut_k}. {LEGEND} The Compare page "
            "lists each unknown."
        )

if ranked and ranking.method != "weighted-sum":
    st.subheader("Where the points come from")
    st.caption(
        f"{ranking.method} is not additive, so a score does not split into points per criterion; "
        "switch the method to weighted-sum to see the contributions."
    )
elif ranked:
    st.subheader("Where the points come from (top 10)")
    top = ranked[:10]
    contrib = pd.DataFrame(
        [
            {
                "offering": r.offering_id,
                "criterion": ctx.labels[c],
                "points": round(r.cells[c].contribution or 0.0, 3),
            }
            for r in top
            for c in ranking.weights
            if ranking.weights[c] > 0
        ]
    )
    chart = (
        alt.Chart(contrib)
        .mark_bar()
        .encode(
            x=alt.X("points:Q", title="points (0–100)"),
            y=alt.Y(
                "offering:N", sort=[r.offering_id for r in top], title=None, axis=alt.Axis(labelLimit=320)
            ),
            # one colour per criterion whatever the weights, so colours mean the same across presets
            color=alt.Color("criterion:N", scale=alt.Scale(domain=[c.label for c in ranking.criteria])),
            tooltip=["offering", "criterion", "points"],
        )
    )
    st.altair_chart(chart, width="stretch")

export_buttons(ctx)

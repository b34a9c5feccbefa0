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
from ui.plain import (
    caveats,
    constant,
    counted,
    coverage_warning,
    deciders,
    display_names,
    lead_on_unknowns,
    value_text,
    why_leads,
)
from ui.unknowns import LEGEND, ranges_table

ctx = context()
st.title("Shortlist")
st.caption(
    "Whom to shortlist, and why: offerings that pass your must-haves, ranked on your weighted priorities (sidebar)."
)
show_issues(
    [i for i in ctx.catalog.issues if not (i.file or "").startswith("upload:")],
    "the vendor profiles",
    "an invalid file is left out, an offering id defined in two files is left out of both; everything else is used",
)
uploads_broken = [i for i in ctx.catalog.issues if (i.file or "").startswith("upload:")]
if uploads_broken:
    st.warning(f"{counted(len(uploads_broken), 'problem')} in uploaded profiles: see the Catalog page.")

ranking = ctx.ranking
if ranking is None:
    no_ranking(ctx)
    st.stop()

cur = ranking.currency
ranked = ranking.ranked
labels = ctx.labels
by_id = {o.id: o for o in ctx.catalog.offerings}
same = constant(ranked)  # criteria giving every ranked offering the same points decide nothing
wanted = ctx.priorities.wanted_certifications if ctx.priorities is not None else ()


def _operator(r: engine.Row) -> str:
    """Whom the buyer contracts with: the channel's operator (the buyer when self-hosted)."""
    o = by_id.get(r.offering_id)
    if o is None:
        return ""
    name = o.offering.operator.name
    return "you (self-hosted)" if name.upper() == "BUYER" or o.offering.deployment == "self-hosted" else name


with st.container(key="leader", border=True):
    if ranked:
        lead = ranked[0]
        score = lead.score or 0.0
        joint = [md(r.offering) for r in ranked[1:] if r.rank == 1]
        after = [r for r in ranked if r.rank != 1]
        runner = after[0] if after else None
        gap = (
            f", {score - (runner.score or 0.0):.1f} points ahead of {md(runner.offering)} ({md(_operator(runner))})"
            if runner
            else ""
        )
        tie = f" (tied with {', '.join(joint)})" if joint else ""
        st.markdown(  # every input text escaped: a vendor name never renders as a link or markup
            f"Leader: **{md(lead.offering)}** — contracting party **{md(_operator(lead))}**, "
            f"model by {md(lead.vendor)}. Score **{score:.1f} of 100**{tie}{gap}."
        )
        why = why_leads(lead, runner, labels) if not joint else ""
        if why:
            st.markdown(f"**Why it leads:** against the runner-up, it {md(why)}.")
        elif ranking.method == "weighted-sum":
            st.markdown(f"**Where its points come from:** {md(deciders(lead, labels, skip=same))}.")
        lead_w = ranking.weights
        heavy = sorted(
            (c for c in ranking.criteria if ranking.weights.get(c.id, 0) > 0),
            key=lambda c: -lead_w[c.id],
        )
        st.markdown(
            "**Its values on your heaviest criteria:** "
            + " · ".join(
                f"{md(c.label)} ({100 * ranking.weights[c.id]:.0f}%): {md(value_text(c, lead.cells.get(c.id), cur, wanted))}"
                for c in heavy[:4]
            )
            + "."
        )
        warn = caveats(lead, labels)
        close = runner is not None and score - (runner.score or 0.0) < 2.0
        missing = lead_on_unknowns(lead, runner, labels) if not joint else ""
        notes = (
            ([md(missing)] if missing else [])
            + [md(w) for w in warn[:3]]
            + (["a close call: see how sure on the Robustness page"] if close else [])
        )
        more = f" (+{len(warn) - 3} more in the full table)" if len(warn) > 3 else ""
        st.markdown(
            "**Caveat:** " + ("; ".join(notes) + more if notes else "none flagged for this offering") + "."
        )
        st.caption(f"Offering id: {md(lead.offering_id)}")
    else:
        st.warning("No offering passes the must-haves. Relax one in the sidebar.")

gaps = sum(r.exclusion == EVIDENCE_GAP for r in ranking.excluded)
st.header(
    f"Ranking — {len(ranked)} ranked, {len(ranking.excluded)} excluded"
    + (f" ({gaps} on evidence gaps only)" if gaps else "")
)
if ranking.warnings:
    with st.container(key="coverage_warnings"):  # a ranking resting on missing data says so first
        plain = coverage_warning(ranking.coverage, {c: md(x) for c, x in labels.items()})
        if plain:
            st.warning(plain.removesuffix(".") + ": the Coverage table below has each criterion.")


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


def _height(n: int) -> int:
    """A data grid tall enough for ``n`` rows, so no inner scroll (35 px a row, header, border)."""
    return 35 * (n + 1) + 3


if ranked:
    weights = ranking.weights
    additive = ranking.method == "weighted-sum"
    main = pd.DataFrame(
        [
            {
                "rank": r.rank,
                "offering": r.offering,
                "contracting party": _operator(r),
                "model by": r.vendor,
                "score": round(r.score or 0.0, 2),
                "points from": deciders(r, labels, 2, same) if additive else "",
                "caveats": "; ".join(caveats(r, labels, short=True)),
                "id": r.offering_id,
            }
            for r in ranked
        ]
    )
    with st.container(key="ranking"):
        st.dataframe(
            text_frame(main),
            hide_index=True,
            width="stretch",
            height=_height(min(len(main), 25)),
            column_order=[c for c in main.columns if c != "id" and (additive or c != "points from")],
            column_config={
                "rank": st.column_config.NumberColumn("#", width=36, help="Rank (ties share a rank)"),
                "offering": st.column_config.TextColumn(
                    "offering (model — channel)",
                    width=240,
                    help="The model and the channel you buy it through",
                ),
                "contracting party": st.column_config.TextColumn(
                    width=110, help="Who runs the channel and processes your data: whom you sign with"
                ),
                "model by": st.column_config.TextColumn(width=90, help="The model's developer"),
                "score": st.column_config.ProgressColumn(
                    "score (0–100)",
                    min_value=0,
                    max_value=100,
                    format="%.1f",
                    color="blue",
                    width=100,
                    help="Weighted sum of the criteria's utilities, 0 to 100",
                ),
                "points from": st.column_config.TextColumn(
                    "points from (largest 2)",
                    width=170,
                    help="The two criteria adding most points to the score (criteria that give every offering the same points left out)",
                ),
                "caveats": st.column_config.TextColumn(
                    "caveats (unknown = worst)",
                    width=190,
                    help="Values unknown for this offering, which count as the worst possible; facts past their "
                    "age limit. The full table's flags column has the details.",
                ),
                "id": st.column_config.TextColumn("offering id", width=140),
            },
        )
    if len(main) > 25:
        st.caption(f"Scroll the table for all {len(main)} ranked offerings.")

    rows = []
    # the most heavily weighted criteria first, so the values that decide are in view
    shown = sorted(ranking.criteria, key=lambda c: -weights.get(c.id, 0.0))
    for r in ranked:
        row: dict[str, object] = {"rank": r.rank, "offering": r.offering_id, "name": r.offering}
        row["score"] = round(r.score or 0.0, 2)
        for c in shown:
            row[f"{c.label} ({_unit(c)})" if _unit(c) != "level" else c.label] = (
                _shown(c.id, r.cells[c.id].value) if c.id in r.cells else None
            )
        row["vendor"] = r.vendor
        row["contracting party"] = _operator(r)
        row["as of"] = r.as_of.isoformat()
        row["data age (days)"] = (ranking.on_date - r.as_of).days
        row["flags"] = "; ".join(r.reasons)
        row["weakest evidence"] = _weakest(r, dict(weights))
        rows.append(row)
    config = {
        "rank": st.column_config.NumberColumn("rank", pinned=True, width="small"),
        "offering": st.column_config.TextColumn("offering id", pinned=True),
        "score": st.column_config.ProgressColumn(
            "score", min_value=0, max_value=100, format="%.1f", color="blue"
        ),
        f"Monthly cost ({cur}/month)": st.column_config.NumberColumn(format="localized"),
        "Context window (tokens)": st.column_config.NumberColumn(format="localized"),
    }
    with st.expander("Full table: every criterion's value, data age, flags and evidence"):
        st.dataframe(text_frame(pd.DataFrame(rows)), hide_index=True, width="stretch", column_config=config)
        st.caption(
            f"Values in the criteria's units (money in {cur}). An empty cell (None) means the value is not "
            "published for this channel: it is counted as worst and the flags column says so. Weights in use: "
            + ", ".join(f"{md(ctx.labels[c])} {100 * w:.1f}%" for c, w in ranking.weights.items() if w > 0)
            + f". Prices on {ranking.on_date.isoformat()}."
        )
        if ranking.notes:
            st.caption("Notes: " + "; ".join(md(n) for n in ranking.notes) + ".")
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
                        "note": "⚠ mostly imputed" if cv.warns else "",
                    }
                    for cv in ranking.coverage
                ]
            ),
            hide_index=True,
            column_config={
                "share known": st.column_config.ProgressColumn(
                    min_value=0, max_value=1, format="percent", color="blue"
                ),
            },
        )
        for w in ranking.warnings:  # the engine's own wording, as the CLI prints it
            st.caption(md(w))

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
            every = {r.offering_id: r.offering for r in ranking.rows}  # offerings and criteria by name
            table = ranges_table(
                ranges_of(ranking, ctx.priorities, cut=cut_k), cut_k, display_names(every), labels
            )
            st.dataframe(table, hide_index=True)
        st.caption(
            f"Each offering's rank if its unknown facts were answered at their best or worst; offerings kept out "
            f"by evidence gaps are listed when they could reach the top {cut_k}. {LEGEND} The Compare page "
            "lists each unknown."
        )

if ranked and ranking.method != "weighted-sum":
    st.header("Where the points come from")
    st.caption(
        f"{ranking.method} is not additive, so a score does not split into points per criterion; "
        "switch the method to weighted-sum to see the contributions."
    )
elif ranked:
    st.header("Where the points come from (top 10)")
    top = ranked[:10]
    names = [r.offering for r in top]
    shown_as = {  # a name two offerings share gets its id, so their bars never stack together
        r.offering_id: r.offering if names.count(r.offering) == 1 else f"{r.offering} ({r.offering_id})"
        for r in top
    }
    st.caption(
        "Each bar is an offering's score split by criterion: the longer a segment, the more that "
        "criterion carries the offering."
    )
    contrib = pd.DataFrame(
        [
            {
                "offering": shown_as[r.offering_id],
                "id": r.offering_id,
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
                "offering:N",
                sort=[shown_as[r.offering_id] for r in top],
                title=None,
                axis=alt.Axis(labelLimit=420),
            ),
            # one colour per criterion whatever the weights, so colours mean the same across presets
            color=alt.Color("criterion:N", scale=alt.Scale(domain=[c.label for c in ranking.criteria])),
            tooltip=[alt.Tooltip(f) for f in ("offering:N", "id:N", "criterion:N", "points:Q")],
        )
    )
    st.altair_chart(chart, width="stretch")

export_buttons(ctx)
st.caption(ATTRIBUTION)

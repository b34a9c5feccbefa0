"""Robustness page: how sure is the ranking? Rank acceptability (SMAA-2), stability
intervals, the Pareto front on cost versus capability, and what it would take for
another offering to rank first. Same analysis as ``shortlist sensitivity``."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

import engine
from engine.mcda.sensitivity.what_it_takes import what_would_it_take
from engine.reports.escape import streamlit_markdown as md
from engine.reports.summarise import cut, more_line, names
from ui.common import context, no_ranking, robustness, show_issues

ctx = context()
st.title("Robustness: how sure is this ranking?")
if no_ranking(ctx):
    st.stop()
ranking, priorities = ctx.ranking, ctx.priorities
assert ranking is not None and priorities is not None
ss = st.session_state
rob = priorities.robustness
labels = ctx.labels
cur = ranking.currency

try:
    with st.spinner("Sampling weights…"):
        report, sens_json = robustness(ranking.inputs_digest, ranking, rob)
except engine.InputError as exc:
    show_issues(
        exc.issues, "the robustness settings", "fix them in the sidebar to see the robustness analysis"
    )
    st.stop()
ss["export_sensitivity_json"] = sens_json
leader = report.problem.offering_ids[0]
acc = report.acceptability
for w in ranking.warnings:  # robustness to weights says nothing about values imputed worst
    st.warning(md(w))

st.markdown(
    f"**Rank acceptability** — share of {acc.samples:,} weight vectors sampled around your weights "
    f"in which each offering takes each rank (SMAA-2; settings under *Robustness sampling* in the sidebar). "
    f"{md(leader)} is first in {100 * acc.acceptability[0, 0]:.0f}% of them."
)
n_show = min(report.problem.n, 10)  # ranks beyond 10 are pooled in one column
rank_labels = [str(r + 1) for r in range(n_show)]
if report.problem.n > n_show:
    rank_labels.append(f"{n_show + 1}+")
heat_ids, heat_left = cut(report.problem.offering_ids)  # the top of a long ranking
heat = pd.DataFrame(
    [
        {
            "offering": o,
            "rank": rank_labels[min(r, n_show)],
            "share": round(
                100 * float(acc.acceptability[i, r:].sum() if r == n_show else acc.acceptability[i, r]), 1
            ),
        }
        for i, o in enumerate(heat_ids)
        for r in range(len(rank_labels))
    ]
)
st.altair_chart(
    alt.Chart(heat)
    .mark_rect()
    .encode(
        x=alt.X("rank:O", title="rank", sort=rank_labels),
        y=alt.Y("offering:N", sort=heat_ids, title=None, axis=alt.Axis(labelLimit=320)),
        color=alt.Color("share:Q", title="% of samples", scale=alt.Scale(scheme="blues")),
        tooltip=["offering", "rank", "share"],
    ),
    width="stretch",
)
if heat_left:
    st.caption(
        more_line(heat_left, "ranked offerings are not drawn", "the sensitivity JSON download has all")
    )

st.markdown(
    "**Stability intervals** — how far each weight can move (the others rescaled in proportion) "
    f"before {md(leader)} loses first place; the tick is your weight."
)
bands = pd.DataFrame(
    [
        {
            "criterion": labels[s.criterion],
            "low": round(100 * s.first_low, 1),
            "high": round(100 * s.first_high, 1),
            "weight": round(100 * s.weight, 1),
            "then first": " / ".join(x or "-" for x in (s.first_low_by, s.first_high_by)),
        }
        for s in report.stability
    ]
)
base = alt.Chart(bands).encode(y=alt.Y("criterion:N", title=None, sort=None))
st.altair_chart(
    base.mark_bar(opacity=0.5).encode(
        x=alt.X("low:Q", title="weight (% of the total)", scale=alt.Scale(domain=[0, 100])),
        x2="high:Q",
        tooltip=["criterion", "low", "high", "weight", "then first"],
    )
    + base.mark_tick(thickness=3, size=18, color="black").encode(x="weight:Q"),
    width="stretch",
)

st.markdown(
    "**Pareto front** on cost versus capability — an offering is on the front when no other is at "
    "least as good on every weighted criterion and better on one."
)
front = set(report.dominance.pareto_front)
ranked = ranking.ranked


def _drawable(r: engine.Row) -> bool:
    cost, capa = r.cells.get("monthly_cost"), r.cells.get("capability")
    return (
        cost is not None
        and capa is not None
        and isinstance(cost.value, float)
        and isinstance(capa.value, float)
        and cost.value > 0
    )


points = pd.DataFrame(
    [
        {
            "offering": r.offering_id,
            "cost": r.cells["monthly_cost"].value,
            "capability": r.cells["capability"].value,
            "status": "Pareto front" if r.offering_id in front else "dominated",
            # a tooltip: the first few names (the list grows with the catalog; the JSON has all)
            "dominated by": names(report.dominance.dominated_by.get(r.offering_id, ())),
        }
        # dominated first, so a front point sharing its spot is drawn on top
        for r in sorted(ranked, key=lambda r: r.offering_id in front)
        if _drawable(r)
    ]
)
if not points.empty:
    st.altair_chart(
        alt.Chart(points)
        .mark_circle(size=90)
        .encode(
            x=alt.X("cost:Q", title=f"monthly cost ({cur}, log scale)", scale=alt.Scale(type="log")),
            y=alt.Y("capability:Q", title="capability (index points)", scale=alt.Scale(zero=False)),
            color=alt.Color("status:N", title=None),
            tooltip=["offering", "cost", "capability", "status", "dominated by"],
        ),
        width="stretch",
    )
    missing = len(ranked) - len(points)
    if missing:
        st.caption(f"{missing} ranked offering(s) without a monthly cost or capability value are not drawn.")

st.markdown("**What would it take** for another offering to rank first?")
others = list(report.problem.offering_ids[1:])
if others:
    asked = ss.get("p_wwit")
    if asked not in others:
        if asked is not None:  # e.g. from a link, or an upload removed: say what is shown instead
            st.warning(
                f"{md(repr(str(asked)))} is not among the ranked offerings behind the leader now; "
                f"showing {md(others[0])} instead."
            )
        ss["p_wwit"] = others[0]
    target = st.selectbox("Offering", others, key="p_wwit")
    try:
        wit = what_would_it_take(report.problem, target, dict(rob.weight_bounds))
    except engine.InputError as exc:
        show_issues(exc.issues, "the weight bounds", "fix them to see this answer")
    else:
        st.markdown(f"**Weights:** {md(wit.message)}.")
        st.markdown(f"**Price:** {md(wit.price_message)}.")
for note in report.notes:
    st.caption(md(note))

st.download_button(
    "Robustness analysis (JSON, as `shortlist sensitivity --format json`)",
    sens_json,
    file_name="sensitivity.json",
    mime="application/json",
    key="dl_sensitivity",
    on_click="ignore",
)

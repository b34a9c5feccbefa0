"""Robustness page: how sure is the ranking? Rank acceptability (SMAA-2), stability
intervals, the Pareto front on cost versus capability, and what it would take for
another offering to rank first. Same analysis as ``shortlist sensitivity``."""

from __future__ import annotations

import math

import altair as alt
import pandas as pd
import streamlit as st

import engine
from engine.mcda.sensitivity.what_it_takes import what_would_it_take
from engine.reports.escape import streamlit_markdown as md
from engine.reports.summarise import cut, more_line, names
from ui.common import context, no_ranking, robustness, show_issues
from ui.plain import counted, coverage_warning, display_names, first_more_often, front_2d, plain_advice

ctx = context()
st.title("Robustness: how sure is this ranking?")
opening = st.empty()  # the page's answer in one sentence, filled once the sampling is done
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
human = {r.offering_id: r.offering for r in ranking.ranked}
shown = display_names(human)  # a name two offerings share gets its id, so they never merge in a chart
firsts = {o: float(acc.acceptability[i, 0]) for i, o in enumerate(report.problem.offering_ids)}
with opening.container(key="robust_opening"):  # does the lead hold when the weights vary? First, in words
    st.markdown(md(first_more_often(leader, firsts, shown, acc.samples)))
plain = coverage_warning(ranking.coverage, {c: md(x) for c, x in labels.items()})
if plain:  # robustness to weights says nothing about values imputed worst
    st.warning(plain + " Varying the weights below does not vary them.")

st.header("How often each offering takes each rank")
st.markdown(
    f"Each row is an offering, each column a rank; a cell is the share of {acc.samples:,} variations of your "
    "weights in which that offering lands at that rank. Look at the first column: the offering first most "
    "often is the safest pick; shares spread over many ranks mean the order is a close call."
)
with st.expander("How this is computed"):
    st.markdown(
        f"SMAA-2 rank acceptability (Lahdelma & Salminen 2001): {acc.samples:,} weight vectors drawn from a "
        f"Dirichlet distribution centred on your weights (concentration {rob.concentration:g}, seed {rob.seed}; "
        "larger concentration = closer to your weights), plus each value's plausible range where a profile gives "
        "one. Settings under *Robustness sampling* in the sidebar."
    )
n_show = min(report.problem.n, 10)  # ranks beyond 10 are pooled in one column
rank_labels = [str(r + 1) for r in range(n_show)]
if report.problem.n > n_show:
    rank_labels.append(f"{n_show + 1}+")
heat_ids, heat_left = cut(report.problem.offering_ids)  # the top of a long ranking
heat = pd.DataFrame(
    [
        {
            "offering": shown.get(o, o),
            "id": o,
            "rank": rank_labels[min(r, n_show)],
            "share": round(
                100 * float(acc.acceptability[i, r:].sum() if r == n_show else acc.acceptability[i, r]), 1
            ),
        }
        for i, o in enumerate(heat_ids)
        for r in range(len(rank_labels))
    ]
)
heat["label"] = [f"{v:.0f}%" if v >= 1 else "" for v in heat["share"]]
hbase = alt.Chart(heat).encode(
    x=alt.X("rank:O", title="rank", sort=rank_labels, axis=alt.Axis(labelAngle=0)),
    y=alt.Y(
        "offering:N", sort=[shown.get(o, o) for o in heat_ids], title=None, axis=alt.Axis(labelLimit=300)
    ),
    tooltip=[
        *(alt.Tooltip(f) for f in ("offering:N", "id:N", "rank:O")),
        alt.Tooltip("share:Q", title="% of variations"),
    ],
)
st.altair_chart(
    hbase.mark_rect().encode(
        color=alt.Color("share:Q", title="% of variations", scale=alt.Scale(scheme="blues", domain=[0, 100]))
    )
    + hbase.mark_text(fontSize=11).encode(
        text="label:N",
        color=alt.condition(alt.datum.share > 55, alt.value("white"), alt.value("#1a1a1a")),
    ),
    width="stretch",
)
if heat_left:
    st.caption(
        more_line(heat_left, "ranked offerings are not drawn", "the sensitivity JSON download has all")
    )

st.header("How far each weight can move")
st.markdown(
    f"Each bar is the range a criterion's weight can take (the others rescaled in proportion) while "
    f"**{md(shown[leader])}** stays first; the black tick is your weight. A tick close to a bar's end means a small "
    "change of that weight changes the leader."
)
bands = pd.DataFrame(
    [
        {
            "criterion": labels[s.criterion],
            "low": round(100 * s.first_low, 1),
            "high": round(100 * s.first_high, 1),
            "weight": round(100 * s.weight, 1),
            "range": f"{100 * s.first_low:.0f}–{100 * s.first_high:.0f}%",
            "then first": " / ".join(
                shown.get(x, x) if x else "-" for x in (s.first_low_by, s.first_high_by)
            ),
        }
        for s in report.stability
    ]
)
base = alt.Chart(bands).encode(y=alt.Y("criterion:N", title=None, sort=None))
st.altair_chart(
    base.mark_bar(opacity=0.5, color="#1d5fa6").encode(
        x=alt.X("low:Q", title="weight (% of the total)", scale=alt.Scale(domain=[0, 100])),
        x2="high:Q",
        tooltip=[alt.Tooltip(f) for f in ("criterion:N", "low:Q", "high:Q", "weight:Q", "then first:N")],
    )
    + base.mark_tick(thickness=3, size=18, color="black").encode(x="weight:Q")
    + base.mark_text(align="left", dx=6, fontSize=11, color="#1a1a1a").encode(x="high:Q", text="range:N"),
    width="stretch",
)

st.header("Cost against capability")
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


drawn = [r for r in ranked if _drawable(r)]
xy = {
    r.offering_id: (float(r.cells["monthly_cost"].value or 0.0), float(r.cells["capability"].value or 0.0))
    for r in drawn
}


picture_front = front_2d(xy)  # the front of THIS picture (the engine's is over all criteria)
by_id = {o.id: o for o in ctx.catalog.offerings}
short = {o: f"{by_id[o].offering.model} ({by_id[o].offering.operator.name})" if o in by_id else o for o in xy}
# dots that nearly coincide (within 0.15 of a decade of cost and 2.5 capability points) get one
# label naming them all, so no two labels print over each other
groups: list[list[str]] = []
for o, (c, k) in sorted(xy.items(), key=lambda x: x[1][0]):
    near = next(
        (g for g in groups if abs(math.log10(c / xy[g[0]][0])) < 0.15 and abs(k - xy[g[0]][1]) < 2.5), None
    )
    if near is None:
        groups.append([o])
    else:
        near.append(o)
label_of: dict[str, str] = {}
for g in groups:
    models = {by_id[o].offering.model if o in by_id else o for o in g}
    if len(g) == 1:
        label_of[g[0]] = short[g[0]]
    elif len(models) == 1:  # one model through several channels: "GPT-6 Luna (OpenAI, Microsoft)"
        ops = ", ".join(by_id[o].offering.operator.name for o in g if o in by_id)
        label_of[g[0]] = f"{next(iter(models))} ({ops})"
    else:
        label_of[g[0]] = " · ".join(short[o] for o in g)
costs = sorted(c for c, _ in xy.values())
middle = costs[len(costs) // 2] if costs else 0.0  # labels of the dearer half go left of their dot
points = pd.DataFrame(
    [
        {
            "offering": shown.get(r.offering_id, r.offering_id),
            "id": r.offering_id,
            # the dot's label: the model and whom you contract with, short enough to read beside a dot
            "label": label_of.get(r.offering_id, ""),
            "right": float(r.cells["monthly_cost"].value or 0.0) > middle,
            "cost": r.cells["monthly_cost"].value,
            "capability": r.cells["capability"].value,
            "status": "best trade-off in this picture"
            if r.offering_id in picture_front
            else "beaten on cost and capability",
            "on the front over all criteria": "yes" if r.offering_id in front else "no",
            # a tooltip: the first few names (the list grows with the catalog; the JSON has all)
            "dominated by (all criteria)": names(report.dominance.dominated_by.get(r.offering_id, ())),
        }
        # beaten first, so a front point sharing its spot is drawn on top
        for r in sorted(drawn, key=lambda r: r.offering_id in picture_front)
    ]
)
st.markdown(
    "Each dot is an offering with a known monthly cost and capability score. The dark dots are the best "
    "trade-offs **in this picture**: no other dot is both cheaper (or as cheap) and at least as capable. "
    "The dots carry their names; the other criteria are not in this picture (the tooltip says whether an "
    "offering is also unbeaten over all weighted criteria)."
)
if not points.empty:
    pbase = alt.Chart(points).encode(
        x=alt.X("cost:Q", title=f"monthly cost ({cur} per month, log scale)", scale=alt.Scale(type="log")),
        y=alt.Y("capability:Q", title="capability (index points)", scale=alt.Scale(zero=False)),
        tooltip=[  # typed: a bare name makes Altair infer the type from the data (~10 ms a chart)
            *(alt.Tooltip(field=f, type="nominal") for f in ("offering", "id")),
            *(alt.Tooltip(field=f, type="quantitative") for f in ("cost", "capability")),
            *(
                alt.Tooltip(field=f, type="nominal")
                for f in ("status", "on the front over all criteria", "dominated by (all criteria)")
            ),
        ],
    )
    st.altair_chart(
        pbase.mark_circle(size=90).encode(
            color=alt.Color(
                "status:N",
                title=None,
                scale=alt.Scale(
                    domain=["best trade-off in this picture", "beaten on cost and capability"],
                    range=["#1d5fa6", "#9aa3ad"],
                ),
                legend=alt.Legend(orient="bottom", labelLimit=400),
            )
        )
        + pbase.transform_filter("!datum.right")
        .mark_text(align="left", dx=7, dy=-7, fontSize=11, color="#1a1a1a")
        .encode(text="label:N")
        + pbase.transform_filter("datum.right")
        .mark_text(align="right", dx=-7, dy=-7, fontSize=11, color="#1a1a1a")
        .encode(text="label:N"),
        width="stretch",
        height=420,
    )
    missing = len(ranked) - len(points)
    if missing:
        st.caption(
            f"{counted(missing, 'ranked offering')} without a known monthly cost or capability are not drawn."
        )

st.header("What would it take for another offering to rank first?")
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
    target = st.selectbox(
        "Offering",
        others,
        key="p_wwit",
        format_func=lambda o: shown.get(o, o),
        help="The offerings ranked behind the leader (model — channel).",
    )
    try:
        wit = what_would_it_take(report.problem, target, dict(rob.weight_bounds))
    except engine.InputError as exc:
        show_issues(exc.issues, "the weight bounds", "fix them to see this answer")
    else:
        said = dict(labels)
        st.markdown(f"**Weights:** {md(plain_advice(wit.message, said, cur))}.")
        st.markdown(f"**Price:** {md(plain_advice(wit.price_message, said, cur))}.")
if report.notes:  # the method's own words (sampling distribution, ranges): for the specialist
    with st.expander("Notes on the method"):
        for note in report.notes:
            st.caption(md(note))

st.download_button(
    "Download the robustness analysis (JSON)",
    sens_json,
    file_name="sensitivity.json",
    mime="application/json",
    key="dl_sensitivity",
    on_click="ignore",
    help="The same bytes as `shortlist sensitivity --format json`.",
)

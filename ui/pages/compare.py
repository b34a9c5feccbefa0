"""Compare page: two to four offerings side by side — every value with its utility and
points, the gap to the leader, the source and date of each value, the facts a committee
compares, differences highlighted, each one's rank range over its unknown facts, and
what it would take for each to rank first.
The same comparison as ``shortlist compare``."""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

import engine
from engine.mcda.comparison import MAX_OFFERINGS, MIN_OFFERINGS, Comparison, Provenance, comparison
from engine.mcda.unknowns import range_short, ranges_of
from engine.reports.compare import comparison_csv, comparison_json, comparison_markdown
from engine.reports.escape import markdown_code, markdown_url, visible
from engine.reports.escape import streamlit_markdown as md
from ui.common import context, md_frame, no_ranking, robustness, show_issues
from ui.plain import (
    caveats,
    cert_name,
    contracting_party,
    coverage_warning,
    display_names,
    plain_advice,
    value_text,
)
from ui.unknowns import show_offering_unknowns

DIFFERS = "background-color: #fff4d6"  # a row whose values differ
BEST = "background-color: #d7f0dc; font-weight: 600"  # the best value on a criterion

ctx = context()
ss = st.session_state
st.title("Compare offerings")
if no_ranking(ctx):
    st.stop()
ranking, priorities = ctx.ranking, ctx.priorities
assert ranking is not None and priorities is not None
ranks = {r.offering_id: r.rank for r in ranking.rows}
names = {r.offering_id: r.offering for r in ranking.rows}

every = [r.offering_id for r in ranking.rows]
if "p_compare" not in ss:  # a first visit: the top three
    ss["p_compare"] = [r.offering_id for r in ranking.ranked[:3]] or every[:MIN_OFFERINGS]
gone = [o for o in ss["p_compare"] if o not in every]
if gone:  # e.g. from a link, or an upload removed: say so, keep the rest
    st.warning(f"Not in the catalog now, left out of the comparison: {md(', '.join(map(str, gone)))}.")
kept = list(dict.fromkeys(o for o in ss["p_compare"] if o in every))  # a repeat counts once
if len(kept) < len([o for o in ss["p_compare"] if o in every]):
    st.warning("An offering named more than once is compared once.")
if len(kept) > MAX_OFFERINGS:  # e.g. a hand-edited link: never a silent cut
    st.warning(
        f"At most {MAX_OFFERINGS} offerings are compared; left out: {md(', '.join(kept[MAX_OFFERINGS:]))}."
    )
ss["p_compare"] = kept[:MAX_OFFERINGS]
ids = st.multiselect(
    f"Offerings to compare ({MIN_OFFERINGS} to {MAX_OFFERINGS}; excluded ones too)",
    every,
    key="p_compare",
    max_selections=MAX_OFFERINGS,
    # offerings by name (model — channel); the id after it keeps two of the same name apart
    format_func=lambda o: (
        f"{visible(names[o])} · {o} " + (f"(rank {ranks[o]})" if ranks[o] else "(excluded)")
    ),
    help="Each offering is its model and the channel you buy it through, then its id.",
)
if len(ids) < MIN_OFFERINGS:
    st.info(f"Pick at least {MIN_OFFERINGS} offerings.")
    st.stop()

rob = priorities.robustness
try:
    report = robustness(ranking.inputs_digest, ranking, rob)[0] if ranking.ranked else None
    ranges = ranges_of(ranking, priorities, cut=rob.top_k)
    comp = comparison(
        ranking,
        ctx.catalog,
        ids,
        report=report,
        weight_bounds=dict(rob.weight_bounds),
        ranges=ranges,
        cut=rob.top_k,
    )
except engine.InputError as exc:
    show_issues(exc.issues, "the comparison", "fix them to see it")
    st.stop()


by_id = {o.id: o for o in ctx.catalog.offerings}
party = {
    o: contracting_party(by_id[o].offering.operator.name, by_id[o].offering.deployment) if o in by_id else ""
    for o in ids
}
# the columns are named as a buyer names offerings (model — channel); the ids are in a caption
heads = display_names({o: names[o] for o in comp.offering_ids})
columns = [heads[o] for o in comp.offering_ids]
wanted = priorities.wanted_certifications
specs = {c.id: c for c in ranking.criteria}


def _num(v: float | str | None, unit: str = "") -> str:
    if v is None:
        return "unknown"
    if isinstance(v, float):
        text = f"{v:,.2f}" if abs(v) < 1000 else f"{v:,.0f}"
        text = text.rstrip("0").rstrip(".") if "." in text else text
    else:
        text = str(v)
    return f"{text} {unit}".strip()


def _fact(v: object) -> str:
    """A fact for the table: lists joined, booleans in words, whole numbers grouped."""
    if isinstance(v, tuple):
        return ", ".join(map(str, v))
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, int):
        return f"{v:,}"
    if isinstance(v, str) and re.fullmatch(r"[a-z]+(_[a-z]+)+", v):  # a status code: on_request
        return v.replace("_", " ")
    return _num(v if isinstance(v, float | str) or v is None else str(v))


def _styled(frame: pd.DataFrame, differs: list[bool], best: list[list[bool]] | None = None) -> object:
    """Highlight the rows whose values differ and, per row, the best cells (every text
    escaped: ``st.table`` renders Markdown)."""
    frame = md_frame(frame)

    def paint(row: pd.Series) -> list[str]:
        i = frame.index.get_loc(row.name)
        base = DIFFERS if differs[i] else ""
        return [BEST if best and best[i][j] else base for j in range(len(row))]

    return frame.style.apply(paint, axis=1)


with st.container(key="compare_summary"):
    lead = ""
    if comp.leader:
        top = ranking.row(comp.leader)
        who = party.get(comp.leader) or ""
        if not who and comp.leader in by_id:  # the leader is not among the compared offerings
            lo = by_id[comp.leader].offering
            who = contracting_party(lo.operator.name, lo.deployment)
        lead = (
            f"Leader of the ranking: **{md(top.offering)}** — contracting party **{md(who)}**, model by "
            f"{md(top.vendor)}; score {comp.leader_score:.1f} of 100."
        )
    st.markdown(
        f"{lead} Priorities *{md(comp.priorities_name)}*, prices on {comp.on_date.isoformat()}, "
        f"cost in {md(comp.currency)} a month. Rows whose values differ are shaded; the best value on a "
        "criterion is green."
    )
    plain = coverage_warning(ranking.coverage, {c: md(x) for c, x in ctx.labels.items()})
    if plain:  # the ranking rests on missing data: say so where it is shown, in plain words
        st.warning(plain)

st.header("Result")
result = pd.DataFrame(
    {
        heads[o.offering_id]: [
            party.get(o.offering_id, ""),
            o.vendor,
            o.status,
            f"{o.rank} of {comp.ranked_count}" if o.rank else "—",
            f"{o.score:.2f}" if o.score is not None else "—",
            f"{o.score_gap:+.2f}" if o.score_gap is not None else "—",
            range_short(o.rank_range) if o.rank_range is not None else "—",
            o.exclusion or "—",
            "; ".join(o.excluded_by) or "—",
            "; ".join(caveats(ranking.row(o.offering_id), ctx.labels)) or "—",
        ]
        for o in comp.offerings
    },
    index=[
        "contracting party",
        "model by",
        "status",
        "rank",
        "score (0–100)",
        "gap to the leader",
        "rank range over its unknowns",
        "excluded as",
        "excluded by",
        "caveats",
    ],
)
st.table(_styled(result, [len(set(result.loc[k])) > 1 for k in result.index]))
st.caption(
    "Offering ids (for links and the command line): "
    + "; ".join(f"{md(heads[o])}: {markdown_code(o)}" for o in comp.offering_ids)
    + "."
)

st.header("Which unknowns matter")
show_offering_unknowns(ranges, ids, rob.top_k, heads, ctx.labels)

st.header("Criteria: value [evidence] · points (gap to the leader)")
rows, differs, best = {}, [], []
for c in comp.criteria:
    unit = f"{comp.currency}/month" if c.criterion == "monthly_cost" else c.unit
    label = f"{c.label} ({100 * c.weight:.1f}%)"
    cells = []
    for cell in c.cells:
        row_cell = ranking.row(cell.offering_id).cells.get(c.criterion)
        spec = specs.get(c.criterion)
        if spec is not None and row_cell is not None:  # in words, with its unit and currency
            text = value_text(spec, row_cell, comp.currency, wanted)
        else:
            text = _num(cell.value, unit) + (" (unknown, counted as worst)" if cell.imputed else "")
        if cell.evidence:  # the weakest grade the value rests on, beside it
            text += f" [{cell.evidence}]"
        if cell.contribution is not None and comp.additive:
            text += f" · {cell.contribution:.1f} points"
        elif cell.utility is not None:  # not additive: how good the value is, 0 to 1
            text += f" · {100 * cell.utility:.0f}% of the best"
        if cell.gap is not None and abs(cell.gap) >= 0.05:
            text += f" ({cell.gap:+.1f} vs the leader)"
        cells.append(text)
    rows[label] = cells
    differs.append(c.differs)
    best.append([cell.best for cell in c.cells])
criteria_table = pd.DataFrame.from_dict(rows, orient="index", columns=columns)
st.table(_styled(criteria_table, differs, best))
st.caption(
    "In brackets: the weakest evidence grade the value rests on (primary, independent, vendor-declared, "
    "secondary, aggregator; ungraded when its source gives none). Points: what the value adds to the score "
    "of 100 (its weight times how good it is between the criterion's worst and best anchors); the "
    "downloads have the exact utilities."
)
if not comp.additive:
    st.caption(f"{comp.method} is not additive: no points per criterion, and the gap is the score's.")

st.header("What would it take to rank first?")
with st.container(key="compare_wwit"):
    for o in comp.offerings:
        p = o.path_to_first
        if p is None:
            continue
        said = {c: x for c, x in ctx.labels.items()}
        price = (
            f" Price: {md(plain_advice(p.price_message, said, comp.currency))}." if p.price_message else ""
        )
        st.markdown(
            f"- **{md(heads[o.offering_id])}** — Weights: {md(plain_advice(p.message, said, comp.currency))}.{price}"
        )

st.header("Facts")
facts = pd.DataFrame.from_dict(
    {  # certifications by the names buyers know them by (Certification: iso27017 → ISO/IEC 27017)
        re.sub(r"^Certification: (\w+)$", lambda m: f"Certification: {cert_name(m[1])}", f.label): [
            _fact(v) for v in f.values
        ]
        for f in comp.facts
    },
    orient="index",
    columns=columns,
)
st.table(_styled(facts, [f.differs for f in comp.facts]))


def _source(p: Provenance) -> str:
    links = ", ".join(markdown_url(s) for s in p.sources)
    return f"{links} ({p.as_of.isoformat()}, {md(p.block)})"


def _provenance(comp: Comparison) -> str:
    head = "| value | " + " | ".join(md(heads[o]) for o in comp.offering_ids) + " |"
    lines = [head, "|---" * (len(comp.offering_ids) + 1) + "|"]
    for c in comp.criteria:
        lines.append(f"| {md(c.label)} | " + " | ".join(_source(cell.provenance) for cell in c.cells) + " |")
    return "\n".join(lines)


with st.expander("Sources and dates of every value", expanded=False):
    st.markdown(_provenance(comp))

st.header("Download the comparison")
d1, d2, d3 = st.columns(3)
d1.download_button(
    "Markdown",
    comparison_markdown(comp),
    "comparison.md",
    "text/markdown",
    key="dl_cmp_md",
    on_click="ignore",
)
d2.download_button(
    "CSV", comparison_csv(comp), "comparison.csv", "text/csv", key="dl_cmp_csv", on_click="ignore"
)
comp_json = comparison_json(comp)
d3.download_button(
    "JSON", comp_json, "comparison.json", "application/json", key="dl_cmp_json", on_click="ignore"
)
ss["export_comparison_json"] = comp_json
st.caption(
    "Same bytes as "
    + markdown_code(f"shortlist compare {' '.join(ids)} --priorities priorities.yaml --format json")
    + "."
)

"""Sovereignty page: the EU Cloud Sovereignty Framework's SEAL and score, per offering.

For the chosen offering (default: the leader of the ranking, said so; chosen by name,
the id beside it; in the link as ``sovereignty=``): the overall SEAL in plain words
with the criterion that sets it, the objectives × SEAL table (the count of answered
criteria at each SEAL, coloured on one accessible scale), and per objective every
answered criterion with its answer, the rule or vendor's answer that gave it and the
evidence behind it (sources, date, grade), and the criteria not answered yet, to ask
the operator (the questionnaires are on the Evidence page). The score is a range while
gaps remain (no points for a gap at the low end, its best option at the high end).
Then every offering at a glance: overall and per-objective SEAL, answered criteria,
score range and the outcome of the buyer's minimum SEALs (set in the sidebar's
must-haves, :mod:`ui.seal`).

The assessments are the ranking's own (``Row.sovereignty``, computed once by
``engine.rank``): this page adds no engine work; the overview table is cached per
inputs digest. Same content as ``shortlist explain`` and the JSON export.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

import engine
from engine.catalog.evidence import UNGRADED, Fact
from engine.catalog.sovereignty import FrameworkFile
from engine.mcda.sovereignty import Answer, Assessment, ObjectiveResult
from engine.reports.escape import markdown_code, markdown_url, visible
from engine.reports.escape import streamlit_markdown as md
from ui import seal
from ui.common import context, md_frame, ranked_inputs, text_frame
from ui.plain import echoed

ctx = context()
ss = st.session_state
st.title("Sovereignty: SEAL and score")
ranking, priorities = ranked_inputs(ctx, "the sovereignty view")
sov = seal.framework_of(ctx.criteria, priorities)
if sov is None:
    st.info("No sovereignty framework is loaded (criteria/sovereignty/): there is nothing to assess.")
    st.stop()
fw = sov.framework
rows = {r.offering_id: r for r in ranking.rows if r.sovereignty is not None}
if not rows:
    st.info("No offering to assess.")
    st.stop()
every = list(rows)
leader = ranking.ranked[0].offering_id if ranking.ranked else None

chosen = ss.get("p_sovereignty")
if chosen not in rows:
    default = leader or every[0]
    if chosen is not None:  # e.g. from a link, or an upload removed: say what is shown instead
        st.warning(f"{md(echoed(chosen))} is not in the catalog now; showing {md(default)} instead.")
    ss["p_sovereignty"] = default
oid: str = ss["p_sovereignty"]
row = rows[oid]
a = row.sovereignty
assert a is not None

# ----------------------------------------------------------------------------- headline first

whose = "the leader of the ranking" if oid == leader else (f"rank {row.rank}" if row.rank else "excluded")
with st.container(key="sovereignty_headline"):
    st.markdown(
        f"**{md(row.offering)}** ({whose}): {seal.seal_sentence(fw, a)}. "
        f"Sovereignty score {md(seal.score_range(a))}."
    )
    gate = seal.gate_outcome(row, seal.seal_requirements(priorities))
    st.caption(
        f"Against your minimum SEALs (sidebar, must-haves): {md(gate)}. "
        f"{md(fw.name)} ({markdown_code(fw.id)}), weights {markdown_code(a.weight_set)}. "
        "An unanswered criterion is a gap, never a zero: it sets no SEAL and adds no points."
    )


def _option(o: str) -> str:
    r = rows[o]
    where = "leader" if o == leader else (f"rank {r.rank}" if r.rank else "excluded")
    return visible(f"{r.offering} · {where} ({o})")


st.selectbox(
    "Offering",
    every,
    key="p_sovereignty",
    format_func=_option,
    help="Offerings by name (model — channel) with their rank; the id in brackets keeps two of one name apart.",
)

# ----------------------------------------------------------------------------- objectives × SEAL

st.header(
    "Objectives × SEAL",
    help="SEAL: Sovereignty Effectiveness Assurance Level (0–4). Each answer option of a criterion carries "
    "a SEAL and points; an objective's SEAL is the lowest SEAL of its answered criteria (the calculator's "
    "MIN rule), its points the sum of their values over a nominal 1000.",
)
st.caption(
    "Each row is one of the framework's objectives. The numbers count its answered criteria at each SEAL "
    "(SEAL-0 no sovereignty … SEAL-4 full digital sovereignty; darker blue = more sovereign); the "
    "objective's SEAL is its lowest, so look for the leftmost number in a row, and at the unanswered "
    "criteria, which could still be lower."
)
frame, levels = seal.heat_map(fw, a)


def _paint(r: pd.Series) -> list[str]:
    i = int(frame.index.get_loc(r.name))  # type: ignore[arg-type]
    return [seal.cell_style(lv) if j < len(levels[i]) - 3 else "" for j, lv in enumerate(levels[i])]


with st.container(key="sovereignty_heatmap"):
    st.table(md_frame(frame).style.apply(_paint, axis=1))
with st.expander("SEAL levels and the words used here"):
    st.markdown(
        "\n".join(f"- **{md(fw.seal_name(s.level))}**" for s in sorted(fw.seal_levels, key=lambda s: s.level))
        + "\n\nSEAL: Sovereignty Effectiveness Assurance Level. An objective's SEAL is the lowest SEAL of its "
        "answered criteria; the overall SEAL the lowest of all (the framework's calculator, cell F2). The "
        "score adds each objective's points over its nominal "
        f"{fw.nominal_points:g}, weighted ({markdown_code(a.weight_set)}); rounded answer values can take a "
        "perfect response slightly above 100%."
    )

# ----------------------------------------------------------------------------- answers and gaps


def _fact(f: Fact) -> str:
    where = {"offering": "offering profile", "vendor": "vendor profile"}.get(f.field, f.field)
    links = ", ".join(markdown_url(s) for s in f.sources) or "no source given"
    said = f"; vendor's answer {md(f.answer)}" if f.answer else ""
    grade = "evidence not graded" if f.grade == UNGRADED else f"{md(f.grade)} evidence"
    return f"{md(where)}, {f.as_of.isoformat()}, {grade}{said}: {links}"


def _answer(x: Answer) -> str:
    c = fw.criterion(x.criterion)
    opt = fw.criterion(x.criterion).max_value
    how = f"rule {markdown_code(x.rule)}" if x.rule else "the vendor's answer"
    lines = [
        f"- **{md(x.criterion)}** {md(c.question)}  \n"
        f'  Answer: **"{md(seal.short_label(x.label, x.option))}"** — {md(fw.seal_name(x.seal))}, '
        f"{x.value:g} of {opt:g} points. Given by {how}: {md(x.why)}"
    ]
    lines += [f"  - Evidence: {_fact(f)}" for f in x.facts] or ["  - Evidence: none recorded"]
    return "\n".join(lines)


def _objective(o: ObjectiveResult, a: Assessment, fw: FrameworkFile) -> None:
    state = f"{fw.seal_name(o.seal)}, set by {o.governing}" if o.seal is not None else "no SEAL yet"
    total = o.answered + len(o.gaps)
    title = f"{o.id} {o.name}: {state} · {o.answered} of {total} answered"
    with st.expander(md(title), expanded=o.governing is not None and o.governing == a.governing):
        mine = [x for x in a.answers if x.criterion.rsplit(".", 1)[0] == o.id]
        if mine:
            st.markdown("\n".join(_answer(x) for x in mine))
        if o.gaps:
            st.markdown(
                f"**Not answered yet ({len(o.gaps)}): ask the operator.**\n\n"
                + "\n".join(f"- **{md(g)}** {md(fw.criterion(g).question)}" for g in o.gaps)
            )
            st.page_link(
                "ui/pages/evidence.py",
                label="Download the questionnaires on the Evidence page",
                icon=":material/fact_check:",
            )


st.header("Each objective: answers, evidence and gaps")
st.caption(
    "Every answer with the rule that derived it from the catalog's facts (or the vendor's own answer) and "
    "the evidence it rests on; the criteria no fact answers are listed as gaps, to ask the operator."
)
with st.container(key="sovereignty_objectives"):
    for o in a.objectives:
        _objective(o, a, fw)

# ----------------------------------------------------------------------------- every offering


@st.cache_data(show_spinner=False, max_entries=32)
def _overview(digest: str, _ranking: engine.Ranking, _priorities: engine.PrioritiesFile) -> pd.DataFrame:
    """The overview of the ranking with this inputs digest (which covers the minimums)."""
    return seal.overview(_ranking, fw, _priorities)


st.header("Every offering at a glance")
table = _overview(f"{ranking.inputs_digest}:{fw.id}", ranking, priorities)
st.caption(
    f"{len(table)} offerings, ranked ones first. SEAL columns: the overall SEAL and each objective's "
    "(– = not answered yet); score % as a range while criteria are unanswered; the last column checks your "
    "minimum SEALs (sidebar, must-haves)."
)
st.dataframe(
    text_frame(table),
    hide_index=True,
    width="stretch",
    column_config={
        "offering": st.column_config.TextColumn(width="medium"),
        "SEAL": st.column_config.TextColumn(
            help="Overall SEAL: the lowest SEAL of any answered criterion (calculator cell F2); "
            "'none yet' when no criterion is answered."
        ),
        "governed by": st.column_config.TextColumn(help="The criterion that sets the overall SEAL."),
        "answered": st.column_config.TextColumn(
            help="Criteria answered by the catalog's facts or the vendor's answers; the rest are gaps."
        ),
        "score %": st.column_config.TextColumn(
            help="Σ (objective's points / 1000) × objective weight, in per cent. While criteria are "
            "unanswered: from no points for each gap to its best option (not clamped: rounded values can "
            "exceed 100)."
        ),
        "minimum SEALs": st.column_config.TextColumn(
            help="Your minimum SEAL per objective (sidebar, must-haves): below the minimum on an objective "
            "excludes; 'open' when gaps could still be below it."
        ),
    },
)

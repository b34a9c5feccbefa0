"""Evidence page: which unknown facts decide the ranking, and the questions to send.

Per offering (every ranked one, and every one kept out by evidence gaps that could reach
the shortlist cut, the priorities' robustness top K): its rank today and its rank range
over its unknowns, then the questions about it grouped by whom to ask (the model maker
or the channel operator), those whose answer can change the shortlist or a must-have
first, the others collapsed. The questionnaires download as ``shortlist rfi`` writes
them (Markdown, YAML answer template, the Excel workbook), byte-identical with the same
settings. Data: :mod:`ui.evidence`.

The offering shown first is the first listed whose answers can move it across the
cut (else the first listed); the chosen offering and questionnaire are in the link
(``evidence=``, ``rfi=``).

The rank ranges and the questionnaires are cached across sessions by the ranking's inputs
digest (:func:`ui.evidence.evidence_of`; about 35 ms on the 90 live offerings, bank preset,
732 questions to 32 recipients, measured 2026-12-04 on the 2-core development machine, 0.1 s
under load). The workbook (0.25-0.4 s) is built only when its button is clicked.
"""

from __future__ import annotations

import streamlit as st

import engine
from engine.mcda.unknowns import range_sentence
from engine.reports.escape import markdown_code, visible
from engine.reports.escape import streamlit_markdown as md
from ui.answers import draw_answer_uploads
from ui.common import context, ranked_inputs, show_issues
from ui.evidence import (
    SUFFIXES,
    WORKBOOK,
    XLSX,
    Ask,
    answer_template,
    asks,
    evidence_of,
    questionnaire_markdown,
    recipients,
    summary,
    who,
    workbook,
)
from ui.plain import CUT_WORDS, UNKNOWN_LEGEND, contracting_party, counted, display_names, name_ids
from ui.unknowns import said

ctx = context()
ss = st.session_state
st.title("Evidence: which unknowns decide the ranking")
ranking, priorities = ranked_inputs(ctx, "the evidence")
if not ranking.ranked:
    st.warning(
        "No offering passes the must-haves today; the questions below say which answers could change that."
    )
try:
    ev = evidence_of(ranking.inputs_digest, ranking, ctx.catalog, priorities)
except engine.InputError as exc:
    show_issues(exc.issues, "the shortlist cut", "fix it in the priorities to see the evidence")
    st.stop()
rfi, cut = ev.rfi, ev.cut
asked = {oid: asks(rfi, oid) for oid in ev.listed}
left_out = len(ranking.rows) - len(ev.listed)


def _headline() -> str:
    """The page's answer in one sentence: can answers change the shortlist, and who decides it."""
    rr = ev.ranges

    def within(rank: int | None) -> bool:
        return rank is not None and rank <= cut

    enter = [o for o in ev.listed if within(rr[o].best_rank) and not within(rr[o].rank)]
    drop = [o for o in ev.listed if within(rr[o].rank) and not within(rr[o].worst_rank)]
    deciding = {(a.to.vendor_id, a.number): a.to for o in ev.listed for a in asked[o] if a.question.decides}
    if not deciding:
        return f"No answer to a missing fact can change the top {cut}: the shortlist rests on what is known."
    per: dict[str, int] = {}
    for vid, _ in deciding:
        per[vid] = per.get(vid, 0) + 1
    most = min(per, key=lambda v: (-per[v], v))  # ties: the first id, so the sentence is stable
    to = next(v for (vid, _), v in deciding.items() if vid == most)
    moves = [
        *([f"{counted(len(enter), 'offering')} outside the top {cut} could enter it"] if enter else []),
        *([f"{counted(len(drop), 'offering')} inside could drop out"] if drop else []),
    ]
    return (
        f"**The vendors' answers can change your shortlist**{': ' + ' and '.join(moves) if moves else ''}. "
        f"**{counted(len(deciding), 'question')} to {counted(len(per), 'company', 'companies')}** decide it, "
        f"the most ({per[most]}) to {md(who(to))}."
    )


with st.container(key="evidence_summary"):  # the answer first (benchmarks/bench_app.py --browser)
    st.markdown(_headline())
st.caption(
    f"Public sources never answer everything. For each offering: its rank with every unknown fact at the "
    f"worst and at the best the criterion allows, and the questions whose answers decide it, to send to "
    f"the model maker or the channel operator; {CUT_WORDS.format(cut=cut)}. "
    + (
        f"{counted(left_out, 'excluded offering')} {'is' if left_out == 1 else 'are'} not listed: they fail a must-have on a known fact or cannot "
        f"reach the top {cut} whatever the answers (their questions are in the questionnaires below)."
        if left_out
        else ""
    )
)

st.header("Every offering at a glance")
if ev.listed:
    # every column in view at 1440 px: the model and whom you contract with (the full name
    # below, when an offering is picked); the ids kept in the frame only
    offering_by = {o.id: o for o in ctx.catalog.offerings}
    short = display_names(
        {
            o: f"{offering_by[o].offering.model} ({contracting_party(offering_by[o].offering.operator.name, offering_by[o].offering.deployment)})"
            if o in offering_by
            else ev.labels[o]
            for o in ev.listed
        }
    )
    glance = summary(ev, asked, short)
    st.dataframe(
        glance,
        hide_index=True,
        width="stretch",
        height=35 * (min(len(glance), 15) + 1) + 3,
        column_order=[c for c in glance.columns if c != "id"],
        column_config={
            "offering": st.column_config.TextColumn(
                "offering (contracting party)",
                width=250,
                help="The model and whom you contract with; pick it below for the channel and its questions.",
            ),
            "today": st.column_config.TextColumn(width=64),
            "rank range over its unknowns": st.column_config.TextColumn(
                "range over unknowns",
                width=150,
                help="Its best and worst rank if every unknown fact were answered at the best or the worst "
                "the criterion allows (how many unknowns in brackets).",
            ),
            "questions that can change the shortlist": st.column_config.NumberColumn(
                "questions that matter",
                width=150,
                help=f"Questions whose answer can move an offering in or out of the top {cut}, or change a "
                "must-have's outcome.",
            ),
            "ask": st.column_config.TextColumn(
                "whom to ask", width=300, help="The model maker or the operator of the channel."
            ),
        },
    )
    if len(glance) > 15:
        st.caption(f"Scroll the table for all {len(glance)} offerings.")

# ----------------------------------------------------------------------------- one offering

st.header("One offering: its range and the questions that decide it")


names = display_names(ev.labels)  # a name two offerings share gets its id


def _option(oid: str) -> str:
    rr = ev.ranges[oid]
    today = f"rank {rr.rank}" if rr.rank is not None else f"excluded, {rr.best_rank} at best"
    return visible(f"{names.get(oid, oid)} · {today}")


def _show(group: list[Ask]) -> None:
    """The questions of ``group``, under the name of whom to ask."""
    lines: list[str] = []
    for v in recipients(group):
        lines.append(f"**Ask {md(who(v))}**, questionnaire {markdown_code(v.vendor_id)}:")
        lines.append("")
        for a in (a for a in group if a.to is v):
            s = a.question.spec
            lines.append(f"- **Q{a.number}. {md(s.ask)}**")
            lines += [f"  - Why: {md(name_ids(w, ctx.labels))}" for w in a.why]
            lines.append(f"  - Evidence wanted: {md(s.evidence)}")
            lines.append(f"  - Answer: {md(s.answer_format)}")  # names the allowed values, if any
            if a.others:
                lines.append(
                    f"  - The same answer counts for {md(', '.join(names.get(o, o) for o in a.others))}"
                )
        lines.append("")
    st.markdown("\n".join(lines))


def _one_offering(oid: str) -> None:
    """The offering's rank range, what each unknown could do, its questions by whom to
    ask (deciding ones first, the others collapsed) and its questionnaires' downloads."""
    rr = ev.ranges[oid]
    with st.container(key="evidence_offering"):
        st.markdown(f"**{md(ev.labels[oid])}** ({markdown_code(oid)}): {md(range_sentence(rr))}.")
        if rr.unknowns:
            st.markdown("\n".join(f"- {md(said(u, cut, ctx.labels))}" for u in rr.unknowns))
            st.caption(UNKNOWN_LEGEND)
    mine = asked[oid]
    deciding = [a for a in mine if a.question.decides]
    rest = [a for a in mine if not a.question.decides]
    with st.container(key="evidence_questions"):
        if not mine:
            st.markdown(
                "No open question about this offering: every fact this ranking reads is known and current."
            )
        if deciding:
            st.markdown(
                f"**{counted(len(deciding), 'question')} whose answer can change the shortlist or a must-have:**"
            )
            _show(deciding)
        elif mine:
            st.markdown(
                f"No answer about this offering can move an offering across the top-{cut} cut or change a "
                "must-have's outcome."
            )
        if rest:
            with st.expander(
                f"{counted(len(rest), 'question')} that cannot change the shortlist (asked for the record)"
            ):
                st.caption(
                    f"Whatever the answer, these cannot move an offering across the top-{cut} cut nor change a "
                    "must-have's outcome."
                )
                _show(rest)
    if mine:
        st.markdown("**Questionnaires for this offering**")
        for v in recipients(mine):
            c1, c2, c3 = st.columns([2, 1, 1])
            c1.markdown(md(who(v)))
            c2.download_button(
                "Markdown",
                questionnaire_markdown(rfi, v),
                f"{v.vendor_id}{SUFFIXES['markdown']}",
                "text/markdown",
                key=f"dl_rfi_md_{v.vendor_id}",
                on_click="ignore",
            )
            c3.download_button(
                "YAML answer template",
                answer_template(rfi, v),
                f"{v.vendor_id}{SUFFIXES['yaml']}",
                "application/x-yaml",
                key=f"dl_rfi_yaml_{v.vendor_id}",
                on_click="ignore",
            )


listed = list(ev.listed)
oid: str | None = None
if not listed:
    st.info(f"No offering is ranked or could reach the top {cut}; every questionnaire is below.")
else:
    chosen = ss.get("p_evidence")
    if chosen not in listed:
        default = next((o for o in listed if any(u.crosses_cut for u in ev.ranges[o].unknowns)), listed[0])
        if chosen is not None:  # e.g. from a link, or an upload removed: say what is shown instead
            st.warning(
                f"{md(repr(str(chosen)))} is not among the offerings listed here now; "
                f"showing {md(default)} instead."
            )
        ss["p_evidence"] = default
        ss["_evidence_default"] = default
    oid = st.selectbox(
        "Offering", listed, key="p_evidence", format_func=_option, help="Pick any listed offering."
    )
    if oid == ss.get("_evidence_default"):  # say why the page opened on this one
        crosses = any(u.crosses_cut for u in ev.ranges[oid].unknowns)
        lead = ranking.ranked[0].offering_id if ranking.ranked else None
        st.caption(
            (
                "Showing the leader"
                if oid == lead
                else "Showing the highest-ranked offering"
                if oid == listed[0]
                else f"Showing the highest-listed offering whose answers could change the top {cut}"
            )
            + (
                f": its unknown facts could change the top {cut}."
                if crosses and oid in (lead, listed[0])
                else "."
                if crosses
                else f", as no offering's answers can change the top {cut}."
            )
        )
    _one_offering(oid)

# ----------------------------------------------------------------------------- questionnaires

st.header("Questionnaires for every vendor and operator")
by_id = {v.vendor_id: v for v in rfi.vendors}


def _recipient(vid: str) -> str:
    v = by_id[vid]
    n = sum(q.decides for q in v.questions)
    return visible(
        f"{who(v)} · {counted(len(v.questions), 'question')}, {n} can change the shortlist ({vid})"
    )


def _questionnaires(shown: str | None) -> None:
    """The chosen recipient's questionnaire and answer template, and the workbook
    (default recipient: the first asked about the offering ``shown``)."""
    picked = ss.get("p_rfi")
    if picked not in by_id:
        first = recipients(asked[shown]) if shown is not None else []
        default = first[0].vendor_id if first else next(iter(by_id))
        if picked is not None:  # e.g. from a link: say what is shown instead
            st.warning(
                f"{md(repr(str(picked)))} is not a vendor or operator asked now; showing {md(default)} instead."
            )
        ss["p_rfi"] = default
    vid = st.selectbox("Vendor or operator", list(by_id), key="p_rfi", format_func=_recipient)
    v = by_id[vid]
    md_bytes, yaml_bytes = questionnaire_markdown(rfi, v), answer_template(rfi, v)
    d1, d2, d3 = st.columns(3)
    d1.download_button(
        "Questionnaire (Markdown)",
        md_bytes,
        f"{vid}{SUFFIXES['markdown']}",
        "text/markdown",
        key="dl_rfi_md",
        on_click="ignore",
    )
    d2.download_button(
        "Answer template (YAML)",
        yaml_bytes,
        f"{vid}{SUFFIXES['yaml']}",
        "application/x-yaml",
        key="dl_rfi_yaml",
        on_click="ignore",
    )
    d3.download_button(
        "Every questionnaire (Excel workbook)",
        lambda: workbook(rfi),
        WORKBOOK,
        XLSX,
        key="dl_rfi_xlsx",
        on_click="ignore",
    )
    ss["export_rfi"] = (vid, md_bytes, yaml_bytes)  # what the buttons hold (read by the tests)
    st.caption(
        "Same bytes as "
        + markdown_code("shortlist rfi --priorities priorities.yaml --output DIR")
        + " (and "
        + markdown_code("--format yaml")
        + ", "
        + markdown_code("--format xlsx")
        + ") with the priorities downloaded on the Shortlist page"
        + (
            ", and each uploaded answer file as " + markdown_code("--answers FILE")
            if ctx.catalog.answer_files
            else ""
        )
        + ". The workbook has one sheet per vendor "
        "or operator, with a drop-down list on each answer that is one of a list; it is built when clicked."
    )


if by_id:
    _questionnaires(oid)
else:
    st.info("No vendor or operator to ask.")

# ----------------------------------------------------------------------------- vendors' answers

st.header("Vendors' answers")
st.caption(
    "Upload the answer templates or the workbook the vendors sent back: their answers join the ranking on "
    "every page as vendor-declared evidence, and the questions they answer leave the questionnaires above."
)
draw_answer_uploads(ctx.catalog)

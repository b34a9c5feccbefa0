"""Committee page: a decision weighed by several people, each on their own first.

The owner opens a decision (its criteria, the sidebar's must-haves and workload, the
catalog files as they are now) and gets one personal link per member; each member opens
their link, sets the weights in the sidebar (sliders, criteria order or pairwise
comparisons) and submits; the owner follows who has submitted (never what), closes the
decision and gets the group's priorities, how far the members agree, where they differ,
and the committee record — the same steps and the same bytes as ``shortlist committee``
(:mod:`engine.committee.actions`, :func:`engine.committee.record.committee_record`).

Secrets: a link's token is taken out of the address bar before anything else runs
(:func:`ui.committee.take_token`) and kept in this tab's session only; it can also be
pasted into a password field. Links are shown once, when they are made (the database
keeps only their SHA-256). The decision fixes the catalog files on the server
(``SHORTLIST_VENDORS``), not profiles uploaded in a browser.

Widget keys (stable, for scripts and the load benchmark): ``cm_new`` (form: ``cm_name``,
``cm_criteria``, ``cm_members``), ``cm_enter`` (form: ``cm_token_input``),
``cm_links_done``, ``cm_leave``, ``cm_submit``, ``cm_invite_form`` (``cm_invite_names``),
``cm_revoke_who`` and ``cm_revoke``, ``cm_aggregation`` and ``cm_close``, ``cm_record``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

import engine
from engine.committee.actions import close_decision, open_decision, submission_from_priorities
from engine.committee.record import committee_record
from engine.committee.store import DecisionView, MemberProgress, SubmissionRow, check_member_names
from engine.errors import InputError
from engine.reports.escape import streamlit_markdown as md
from ui.committee import TOKEN_KEY, personal_link, store
from ui.common import context, criteria_dir, show_issues, text_frame, vendors_dir
from ui.exports import priorities_yaml
from ui.plain import counted

ctx = context()
ss = st.session_state
labels = ctx.labels
BLUE, ORANGE, GREY, INK = "#1d5fa6", "#b35900", "#767676", "#1a1a1a"  # AA contrast on white
FRESH = "cm_fresh"  # links just made: shown until the user says they are copied
DONE = "cm_done"  # what the last action did, said once after its rerun
AGGREGATION_WORDS = {
    "auto": "Automatic: combine the pairwise comparisons when every member gave them, else average the weights",
    "aip-arithmetic": "Average of the members' weights",
    "aip-geometric": "Geometric mean of the members' weights (a criterion someone weighs low counts less)",
    "aij": "Combine the members' pairwise comparisons (every member must have given them)",
}

st.title("Committee")
st.caption(
    "A committee weighs the criteria member by member, without seeing each other's weights; the owner "
    "closes the decision and gets the group's priorities, how far the members agree and where they differ. "
    "The same as `shortlist committee` on the command line."
)


def when(t: dt.datetime | None) -> str:
    return t.strftime("%Y-%m-%d %H:%M UTC") if t else "—"


def problem(exc: InputError, what: str) -> None:
    show_issues(exc.issues, what, "nothing was changed")


def rerun_saying(message: str) -> None:
    """Rerun, saying ``message`` once after the rerun (:func:`show_done`)."""
    ss[DONE] = message
    st.rerun()


def show_done() -> None:
    """The message the last action left (:func:`rerun_saying`), once, as text (it may hold a name)."""
    if ss.get(DONE):
        st.success(md(ss.pop(DONE)))


def label(c: str) -> str:
    return labels.get(c, c)


def show_fresh() -> None:
    """The links made by the last action, with the warning that they are shown once."""
    fresh: list[tuple[str, str]] = ss.get(FRESH) or []
    if not fresh:
        return
    with st.container(border=True, key="cm_links"):
        st.warning(
            "**Copy these links now: they are shown only once.** The database keeps only a fingerprint of "
            "each, so no one can show them again. Send each member their own link by a private channel; "
            "anyone holding a link acts as that person."
        )
        for who, token in fresh:
            st.markdown(f"**{md(who)}**")
            st.code(personal_link(token), language=None, wrap_lines=True)
        if st.button("I have copied the links", key="cm_links_done"):
            ss.pop(FRESH, None)
            st.rerun()


# ----------------------------------------------------------------------------- no token yet


def new_decision() -> None:
    st.header("Open a decision")
    if ctx.priorities is None or ctx.ranking is None:
        show_issues(ctx.problems, "the current priorities", "fix them in the sidebar to open a decision")
        return
    weighted = [c for c in ctx.criteria.ids() if ctx.ranking.weights.get(c, 0) > 0]
    st.markdown(
        "The decision takes the sidebar's **must-haves and workload** for everyone, and the vendor files as "
        "they are now (closing is refused if they change). Members then weigh the criteria you choose here."
    )
    if ss.get("uploads"):
        st.caption(
            "Uploaded profiles are not part of a committee decision: it uses the catalog files on the server."
        )
    with st.form("cm_new", enter_to_submit=False):
        name = st.text_input("Decision name", key="cm_name", placeholder="2027 LLM platform tender")
        if "cm_criteria" not in ss:
            ss["cm_criteria"] = weighted
        crit = st.multiselect(
            "Criteria the members weigh",
            ctx.criteria.ids(),
            key="cm_criteria",
            format_func=label,
            help="By default those your sidebar weighs above 0. At most 15.",
        )
        members_text = st.text_area(
            "Members (one name or role per line)",
            key="cm_members",
            placeholder="IT lead\nSecurity\nLegal",
            help="As they should appear in the record. You can invite more later.",
        )
        go = st.form_submit_button("Open the decision", type="primary", key="cm_create")
    if not go:
        return
    names = [line.strip() for line in members_text.splitlines() if line.strip()]
    try:
        if names:  # every name checked before the decision opens: all of it, or nothing
            check_member_names(names)
        s = store(create=True)
        _, owner, _ = open_decision(
            s,
            name.strip(),
            priorities_yaml=priorities_yaml(ctx).encode("utf-8"),
            priorities_shown="the sidebar's priorities",
            priorities_name=f"priorities.yaml from the app (preset {ss['preset']})",
            vendors_dir=vendors_dir(),
            criteria_dir=criteria_dir(),
            criteria=crit or None,
        )
    except InputError as exc:
        problem(exc, "the new decision")
        return
    fresh = [("Your owner link (to follow progress and close the decision)", owner)]
    ss[TOKEN_KEY] = owner
    if names:
        try:
            fresh += [(f"Member: {m}", t) for m, t in s.invite_many(owner, names)]
        except InputError as exc:
            ss["cm_problem"] = exc.issues
    ss[FRESH] = fresh
    st.rerun()


def enter_token() -> None:
    st.header("Have a personal link?")
    st.markdown(
        "Open it in this browser, or paste the token it ends with (after `token=`) here. It stays in this "
        "tab only: it is not kept in the address bar, in a download or on this computer."
    )
    with st.form("cm_enter", enter_to_submit=True):
        typed = st.text_input("Your token", type="password", key="cm_token_input")
        if st.form_submit_button("Open with this token", key="cm_open") and typed.strip():
            ss[TOKEN_KEY] = typed.strip()
            ss.pop("cm_problem", None)
            st.rerun()


# ----------------------------------------------------------------------------- results


def results(view: DecisionView, token: str) -> None:
    """The closed decision: group priorities, agreement, dissent, rankings, the record."""
    r: Mapping[str, Any] = view.result or {}
    crit: list[str] = list(r.get("criteria", view.criteria))
    members: list[Mapping[str, Any]] = list(r.get("members", []))
    st.header("The group's priorities")
    st.markdown(
        f"Combined from {counted(len(members), 'member')}: {md(AGGREGATION_WORDS.get(str(r['aggregation']), r['aggregation']))} "
        f"(`{r['aggregation']}`)."
    )
    rows = []
    for j, c in enumerate(crit):
        rows += [
            {
                "criterion": label(c),
                "who": m["name"],
                "weight": round(100 * float(m["weights"][j]), 1),
                "kind": "member",
            }
            for m in members
        ]
        rows.append(
            {
                "criterion": label(c),
                "who": "group",
                "weight": round(100 * float(r["group_weights"][j]), 1),
                "kind": "group",
            }
        )
    outliers = {(label(s["criterion"]), o) for s in r["spread"] for o in s["outliers"]}
    frame = pd.DataFrame(rows)
    frame["outlier"] = [(c, w) in outliers for c, w in zip(frame["criterion"], frame["who"], strict=True)]
    frame["name"] = [w if o else "" for w, o in zip(frame["who"], frame["outlier"], strict=True)]
    spread = pd.DataFrame(
        [
            {"criterion": label(s["criterion"]), "low": 100 * s["low"], "high": 100 * s["high"]}
            for s in r["spread"]
        ]
    )
    order = [label(c) for c in crit]
    y = alt.Y("criterion:N", sort=order, title=None, axis=alt.Axis(labelLimit=300))
    x = alt.X("weight:Q", title="weight (% of the total)", scale=alt.Scale(domain=[0, 100]))
    line = (
        alt.Chart(spread)
        .mark_rule(color=GREY, strokeWidth=2)
        .encode(y=y, x=alt.X("low:Q", scale=alt.Scale(domain=[0, 100])), x2="high:Q")
    )
    dots = (
        alt.Chart(frame[frame["kind"] == "member"])
        .mark_circle(size=80, opacity=0.9)
        .encode(
            y=y,
            x=x,
            color=alt.Color(
                "outlier:N",
                title=None,
                scale=alt.Scale(domain=[False, True], range=[BLUE, ORANGE]),
                legend=alt.Legend(
                    orient="bottom",
                    labelLimit=400,
                    labelExpr="datum.value ? 'a member far from the others (named)' : 'a member'",
                ),
            ),
            shape=alt.Shape(
                "outlier:N", scale=alt.Scale(domain=[False, True], range=["circle", "diamond"]), legend=None
            ),
            tooltip=[alt.Tooltip(f) for f in ("criterion:N", "who:N", "weight:Q")],
        )
    )
    names = (
        alt.Chart(frame[frame["outlier"]])
        .mark_text(align="left", dx=8, dy=-8, fontSize=11, color=INK)
        .encode(y=y, x="weight:Q", text="name:N")
    )
    group = (
        alt.Chart(frame[frame["kind"] == "group"])
        .mark_tick(thickness=3, size=22, color="black")
        .encode(
            y=y,
            x="weight:Q",
            tooltip=[alt.Tooltip("criterion:N"), alt.Tooltip("weight:Q", title="group weight")],
        )
    )
    st.altair_chart((line + dots + names + group).properties(height=60 * len(crit) + 40), width="stretch")
    st.caption(
        "Each row is a criterion: the dots are the members' weights, the black tick the group's. A long grey "
        "line means the committee disagrees about that criterion; an orange diamond, named, is a member far "
        "from the others (Tukey's fences)."
    )

    st.header("How far the members agree")
    cons, kw = r.get("consensus"), r.get("kendall_w")
    c1, c2 = st.columns(2)
    if cons is not None:
        c1.metric("AHP consensus S*", f"{100 * cons['s_star']:.0f}% — {cons['words']}")
        c1.caption(
            "How alike the members' pairwise comparisons are (Goepel 2018): up to 50% very low, 62.5% low, "
            "75% moderate, 87.5% high, above that very high."
        )
    else:
        c1.metric("AHP consensus S*", "not applicable")
        c1.caption("It needs every member to give pairwise comparisons (AHP).")
    c2.metric("Kendall's W (rankings)", f"{kw:.2f}" if kw is not None else "not defined")
    c2.caption(
        "How alike the rankings are that each member's own weights give: 0 means they share nothing, "
        "1 that every member ranks the offerings alike (Kendall 1939)."
    )

    st.header("The group ranking")
    ranking = r.get("group_ranking", [])
    if not ranking:
        st.warning("No offering passes the decision's must-haves.")
    else:
        firsts = [g["label"] for g in ranking if g["rank"] == 1]
        st.markdown(f"First with the group's priorities: **{md(', '.join(firsts))}**.")
        table = pd.DataFrame(
            [
                {
                    "group rank": g["rank"],
                    "offering": g["label"],
                    "score (0–100)": round(float(g["score"]), 2),
                    **{m["name"]: m["ranks"].get(g["offering_id"]) for m in members},
                    "id": g["offering_id"],
                }
                for g in ranking
            ]
        )
        st.dataframe(
            text_frame(table),
            hide_index=True,
            width="stretch",
            key="cm_ranking",
            column_config={"offering": st.column_config.TextColumn(width="medium")},
        )
        st.caption(
            "One column per member: the rank that member's own weights give each offering. A number far from "
            "the group rank shows where that member sees the offering differently."
        )
        acc = r["acceptability"]
        lines = [
            f"- {md(next(g['label'] for g in ranking if g['offering_id'] == o))} is first for "
            f"{len(ms)} of {len(members)}: {md(', '.join(ms))}"
            for o, ms in acc["first_for_members"].items()
        ]
        if acc["group_winner_not_first_for"]:
            lines.append(
                "- The group's first is not first for: " + md(", ".join(acc["group_winner_not_first_for"]))
            )
        hull = ", ".join(
            f"{md(next((g['label'] for g in ranking if g['offering_id'] == o), o))} "
            + (f"{100 * s:.0f}%" if s >= 0.005 else "under 1%")
            for o, s in sorted(acc["hull_first"].items(), key=lambda kv: -kv[1])
        )
        lines.append(f"- Over {acc['hull_samples']:,} mixes of the members' weights, first: {hull}")
        st.markdown("**Who would pick what**\n\n" + "\n".join(lines))

    try:
        v, progress, revisions = store().closed_record(token)
    except InputError as exc:
        problem(exc, "the record")
        return
    record = committee_record(v, progress, revisions, version=engine.__version__)
    ss["export_committee_record"] = record  # what the download serves (tests read it here)
    st.download_button(
        "Committee record (Markdown, as `shortlist committee record`)",
        record.encode("utf-8"),
        file_name="committee-record.md",
        mime="text/markdown",
        key="cm_record",
        on_click="ignore",
    )


# ----------------------------------------------------------------------------- views


def revisions_table(view: DecisionView, rows: Sequence[SubmissionRow]) -> None:
    table = pd.DataFrame(
        [
            {
                "revision": s.revision,
                "submitted": when(s.created_at),
                "given as": {"weights": "weights", "order": "criteria order", "ahp": "pairwise comparisons"}[
                    s.kind
                ],
                **{
                    label(c): f"{100 * float(w):.1f}%"
                    for c, w in zip(view.criteria, s.payload["derived"], strict=True)
                },
            }
            for s in rows
        ]
    )
    st.dataframe(text_frame(table), hide_index=True, width="stretch", key="cm_revisions")


def member_view(view: DecisionView, token: str) -> None:
    s = store()
    try:
        name, rows = s.own_submissions(token)
    except InputError as exc:
        problem(exc, "your submissions")
        return
    st.markdown(f"You are **{md(name)}** on this decision.")
    if view.state == "closed":
        st.success(f"The owner closed the decision on {when(view.closed_at)}. Your last submission counted.")
    else:
        st.header("Your priorities")
        crit = ", ".join(label(c) for c in view.criteria)
        st.markdown(
            f"Weigh **{md(crit)}** in the sidebar (sliders, a criteria order or pairwise comparisons; with "
            "sliders press *Apply weights*), then submit. Other criteria do not count. No one sees your "
            "weights before the owner closes the decision; you may submit again until then (every revision is kept)."
        )
        if ctx.priorities is None:
            show_issues(ctx.problems, "the sidebar's priorities", "fix them in the sidebar to submit")
        else:
            try:
                kind, payload = submission_from_priorities(ctx.priorities, view.criteria)
            except InputError as exc:
                show_issues(exc.issues, "the sidebar's weights", "change them in the sidebar to submit")
            else:
                shares = ", ".join(
                    f"{md(label(c))} {100 * float(w):.1f}%"
                    for c, w in zip(view.criteria, payload["derived"], strict=True)
                )
                st.markdown(f"What *Submit* sends now: {shares}.")
                if payload.get("consistency_warning"):
                    st.warning(
                        md(str(payload["consistency_warning"])) + " It is kept, and the record notes it."
                    )
                if st.button("Submit my priorities", type="primary", key="cm_submit"):
                    try:
                        rev = s.submit(token, kind, payload)
                    except InputError as exc:
                        problem(exc, "your submission")
                    else:
                        rerun_saying(f"Revision {rev} of your priorities is kept.")
        show_done()
    st.subheader("Your submissions")
    if rows:
        revisions_table(view, rows)
    else:
        st.caption("None yet.")
    if view.state == "closed":
        results(view, token)


def owner_view(view: DecisionView, token: str, progress: Sequence[MemberProgress]) -> None:
    s = store()
    st.markdown("You are this decision's **owner**.")
    done = sum(p.revisions > 0 for p in progress)
    st.header("Progress")
    st.markdown(
        f"**{done} of {counted(len(progress), 'member')}** {'has' if done == 1 else 'have'} submitted. You see who and when, never what: "
        "the weights stay secret until you close the decision."
    )
    if progress:
        table = pd.DataFrame(
            [
                {
                    "member": p.name,
                    "weight in the group": p.weight,
                    "revisions": p.revisions,
                    "last submitted": when(p.last_submitted),
                    "link": f"revoked {when(p.revoked_at)}" if p.revoked else "valid",
                }
                for p in progress
            ]
        )
        st.dataframe(text_frame(table), hide_index=True, width="stretch", key="cm_progress")
    if view.state == "closed":
        st.success(f"Closed on {when(view.closed_at)}.")
        results(view, token)
        return
    c1, c2 = st.columns(2)
    with c1, st.form("cm_invite_form", enter_to_submit=False):
        more = st.text_area("Invite members (one name or role per line)", key="cm_invite_names")
        if st.form_submit_button("Invite", key="cm_invite"):
            names = [line.strip() for line in more.splitlines() if line.strip()]
            try:
                made = s.invite_many(token, names)
            except InputError as exc:
                problem(exc, "the invitation")
            else:
                ss[FRESH] = [(f"Member: {m}", t) for m, t in made]
                st.rerun()
    with c2:
        valid = [p.name for p in progress if not p.revoked]
        who = st.selectbox(
            "Revoke a member's link",
            valid,
            key="cm_revoke_who",
            index=None,
            placeholder="Choose a member",
            help="Their submissions stay in the record; invite the same name again for a new link.",
        )
        if st.button("Revoke the link", key="cm_revoke", disabled=who is None):
            try:
                shown, _ = s.revoke_member(token, str(who))
            except InputError as exc:
                problem(exc, "the revocation")
            else:
                rerun_saying(f"{shown}'s link no longer works.")
    show_done()
    st.header("Close the decision")
    st.markdown(
        "Closing ends the submissions, computes the group's priorities from each member's last submission "
        "and shows everyone the results. It cannot be undone."
    )
    how = st.radio(
        "How to combine the members' priorities",
        list(AGGREGATION_WORDS),
        key="cm_aggregation",
        format_func=AGGREGATION_WORDS.__getitem__,
    )
    if st.button("Close the decision", type="primary", key="cm_close", disabled=done == 0):
        try:
            with st.spinner("Computing the group's result…"):
                close_decision(
                    s,
                    token,
                    aggregation=str(how),
                    restore_hint="start the app with SHORTLIST_VENDORS/SHORTLIST_CRITERIA naming the original files",
                )
        except InputError as exc:
            problem(exc, "closing the decision")
        else:
            st.rerun()
    if done == 0:
        st.caption("You can close once at least one member has submitted.")


# ----------------------------------------------------------------------------- the page

show_fresh()
if ss.get("cm_problem"):  # an invitation refused while opening the decision
    show_issues(ss.pop("cm_problem"), "the invitation", "the decision is open; invite the members below")

token: str | None = ss.get(TOKEN_KEY)
view: DecisionView | None = None
if token:
    try:
        view = store().decision(token)
    except InputError as exc:
        ss.pop(TOKEN_KEY, None)
        show_issues(exc.issues, "this link or token", "it opens no decision here")
        token = None

if token is None or view is None:
    new_decision()
    enter_token()
    st.stop()

st.header(md(view.name))
st.caption(
    f"Decision {view.id} · opened {when(view.created_at)} · "
    + ("open" if view.state == "open" else f"closed {when(view.closed_at)}")
    + f" · criteria: {md(', '.join(label(c) for c in view.criteria))}"
)
try:
    _, progress = store().progress(token)
except InputError as exc:
    if exc.issues[0].code != "committee.not_owner":
        problem(exc, "the decision")
        st.stop()
    member_view(view, token)
else:
    owner_view(view, token, progress)
if st.button(
    "Leave this decision in this tab", key="cm_leave", help="Forget the token here; your link still works."
):
    for k in (TOKEN_KEY, FRESH, DONE):
        ss.pop(k, None)
    st.rerun()

"""Policy page: run a CI policy (a bundled one or an uploaded file) against the catalog
on screen (uploads included) and show its findings and waivers — the same report as
``shortlist check``. The policy is judged under the priorities it names, not the
sidebar's: a policy is the organisation's rule, not one buyer's view."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

import engine
import engine.policy.rules
from engine.catalog.dates import MAX_DATE, MIN_DATE
from engine.catalog.loading import (
    LocalResolver,
    PrioritiesResolver,
    SessionResolver,
    catalog_roots,
    input_name,
    listed_files,
    load_policy_bytes_doc,
    load_policy_doc,
    preset_files,
)
from engine.catalog.ranges import MAX_AGE_DAYS
from engine.catalog.staleness import block_name
from engine.policy.rules import run_policy
from engine.reports.escape import streamlit_markdown as md
from engine.reports.policy_output import render
from engine.reports.summarise import cut, more_line
from ui.common import (
    MAX_UPLOAD_BYTES,
    UPLOAD_KW,
    UPLOAD_LIMIT,
    context,
    criteria_dir,
    md_frame,
    show_issues,
    text_frame,
    too_big,
    vendors_dir,
)
from ui.plain import CHECKS, SEVERITY, counted, finding_words

ctx = context()
ss = st.session_state
st.title("Policy")
st.caption(
    "A policy is your organisation's list of what every approved offering must meet: rules that block "
    "approval or only warn, a minimum score, and exemptions (waivers) that expire. Your CI pipeline can run "
    "the same check on every change of the catalog.",
    help="`shortlist check --policy FILE`: rules with severity `deny` (blocks approval) or `warn`; the "
    "command exits 1 on a deny finding (or on a warning with `--fail-on warn`).",
)

CRITERIA = criteria_dir()
# the listed policies that stay in the catalog (a link out of it is never read)
bundled = {p.stem: p for p in listed_files(CRITERIA / "policies", CRITERIA.absolute().parent)[0]}
UPLOAD = "(upload a policy file)"
options = [*bundled, UPLOAD]
unknown = ss.get("p_policy")
if unknown is not None and unknown not in options:  # e.g. ?policy=<unknown> in a link
    ss["_policy_unknown"] = str(unknown)
    ss["p_policy"] = None  # never another policy in its place: the user chooses
elif "p_policy" not in ss:
    ss["p_policy"] = options[0]
c1, c2, c3 = st.columns([3, 2, 2])
choice = c1.selectbox("Policy", options, key="p_policy", placeholder="Choose a policy")
if choice is None:
    named = ss.get("_policy_unknown")
    why = (
        f"The link names the policy {md(repr(named))}, which is not one of this catalog's: " if named else ""
    )
    st.error(
        f"{why}nothing was checked. Choose a policy ({md(', '.join(bundled)) or 'none bundled'}) or upload one."
    )
    st.stop()
if "p_policy_today" not in ss:
    ss["p_policy_today"] = dt.date.today()
today = c2.date_input(
    "Judge on (waivers and data age)",
    min_value=MIN_DATE,
    max_value=MAX_DATE,
    format="YYYY-MM-DD",  # the one date grammar (engine.catalog.dates)
    key="p_policy_today",
)
if "p_policy_expiring" not in ss:
    ss["p_policy_expiring"] = 30
expiring = c3.number_input(
    "Warn of waivers lapsing within (days)",
    min_value=0,
    max_value=MAX_AGE_DAYS,
    step=1,
    key="p_policy_expiring",
)


# Uploads are kept in the session (an upload widget forgets its files when the page or the
# policy choice changes) and follow the widgets: a file removed from a widget is no longer
# used, and a file kept from an earlier visit is listed with a Remove button, so the check
# never runs on a document that is not on screen.
def _take_policy() -> None:
    up = ss.get("policy_upload")
    if up is None:  # removed in the widget: the page checks nothing until another upload
        ss.pop("policy_uploaded", None)
    else:
        ss["policy_uploaded"] = (up.name, up.getvalue())


def _take_priorities() -> None:
    files = list(ss.get("policy_priorities_upload") or [])
    names = [f.name for f in files]
    twice = {n for n in names if names.count(n) > 1}  # neither silently wins
    gone = {*ss.get("_pp_shown", ()), *names}  # what the widget showed or now shows supersedes
    kept = {n: b for n, b in ss.get("policy_priorities_uploaded", {}).items() if n not in gone}
    ss["policy_priorities_uploaded"] = {
        **kept,
        **{f.name: f.getvalue() for f in files if f.name not in twice},
    }
    ss["_pp_twice"] = sorted(twice)


def _forget(what: str, name: str | None = None) -> None:
    if what == "policy":
        ss.pop("policy_uploaded", None)
    else:
        ss["policy_priorities_uploaded"] = {
            k: v for k, v in ss.get("policy_priorities_uploaded", {}).items() if k != name
        }


def _show_kept() -> None:
    """List the uploads in use that the widgets do not show (kept from an earlier visit)."""
    in_widget = [f.name for f in ss.get("policy_priorities_upload") or []]
    ss["_pp_shown"] = set(in_widget)
    for n in ss.get("_pp_twice", []):
        st.error(f"Two priorities files are named {md(n)}: neither is used; rename one.")
    kept: list[tuple[str, str, str | None]] = []
    if "policy_uploaded" in ss and ss.get("policy_upload") is None:
        kept.append(("policy file", ss["policy_uploaded"][0], None))
    kept += [
        ("priorities file", n, n) for n in ss.get("policy_priorities_uploaded", {}) if n not in in_widget
    ]
    with st.container(key="policy_kept"):
        for i, (what, n, arg) in enumerate(kept):
            c1, c2 = st.columns([5, 1])
            c1.caption(f"In use, uploaded earlier in this session: {what} **{md(n)}**.")
            c2.button(
                "Remove",
                key=f"rm_policy_{i}",
                on_click=_forget,
                args=("policy",) if arg is None else ("priorities", arg),
            )


policy = doc = None
resolver: PrioritiesResolver
try:
    if choice == UPLOAD:
        st.file_uploader(
            f"Policy file (.yaml/.yml, {UPLOAD_LIMIT} max)",
            type=["yaml", "yml"],
            **UPLOAD_KW,
            key="policy_upload",
            on_change=_take_policy,
        )
        st.file_uploader(
            "Priorities files the policy names (optional)",
            type=["yaml", "yml"],
            accept_multiple_files=True,
            **UPLOAD_KW,
            key="policy_priorities_upload",
            on_change=_take_priorities,
            help="An uploaded policy's `priorities:` may name a bundled preset or one of these files by its "
            "name; never a file on the server.",
        )
        _show_kept()
        if "policy_uploaded" not in ss:
            st.info("Upload a policy file to check it against the catalog.")
            st.stop()
        name, raw = ss["policy_uploaded"]
        extra: dict[str, bytes] = ss.get("policy_priorities_uploaded", {})
        over = [(n, len(b)) for n, b in [(name, raw), *extra.items()] if len(b) > MAX_UPLOAD_BYTES]
        if over:
            for n, size in over:
                st.error(too_big(n, size) + ": nothing was checked.")
            st.stop()
        st.caption(  # the documents this check reads, by name: never one the user removed
            f"Checking the uploaded policy file **{md(name)}**"
            + (
                f" with the priorities {'file' if len(extra) == 1 else 'files'} {md(', '.join(extra))}"
                if extra
                else ""
            )
            + "."
        )
        policy, doc = load_policy_bytes_doc(raw, f"upload:{name}")
        # an uploaded policy names presets by name and files uploaded here, never a server path
        resolver = SessionResolver(preset_files(CRITERIA), extra)
    else:
        roots = catalog_roots(vendors_dir(), CRITERIA)  # named as `shortlist check` names it
        policy, doc = load_policy_doc(bundled[choice], input_name(bundled[choice], roots))
        resolver = LocalResolver(CRITERIA, bundled[choice])  # a policy on the server: its own catalog
    day = today if isinstance(today, dt.date) else None
    report = run_policy(
        policy, doc, ctx.catalog, ctx.criteria, resolver, today=day, expiring_in=int(expiring) or None
    )
except engine.InputError as exc:
    show_issues(exc.issues, "the policy", "fix the policy file to run the check")
    st.stop()

# Whose priorities: the policy's own (what CI checks), or the sidebar's on request.
own = report.priorities_name or "none (the policy names no priorities file)"
sidebar_name = ctx.priorities.name if ctx.priorities is not None else None
with st.container(key="policy_under"):
    st.info(
        f"Checked under **the policy's own priorities: {md(own)}**, as the CI check does: "
        "a policy is the organisation's rule, so its minimum score and rules use the priorities it names, "
        "not the sidebar's."
        + (
            f" The sidebar's priorities are {md(sidebar_name)}."
            if sidebar_name and sidebar_name != own
            else ""
        )
    )
    under_sidebar = st.toggle(
        "Check under the sidebar's priorities instead",
        key="p_policy_sidebar",
        disabled=ctx.priorities is None,
        help="Runs the same rules with the weights, must-haves and workload set in the sidebar: a what-if, "
        "not what CI reports.",
    )
if under_sidebar and ctx.priorities is not None:
    try:
        report = engine.policy.rules.check_policy(
            policy,
            ctx.catalog,
            ctx.criteria,
            doc=doc,
            priorities=ctx.priorities,
            today=day,
            expiring_in=int(expiring) or None,
        )
    except engine.InputError as exc:
        show_issues(exc.issues, "the policy", "fix the policy file to run the check")
        st.stop()
    st.warning(
        f"What-if: checked under the sidebar's priorities ({md(report.priorities_name or '')}). "
        "CI checks under the policy's own; the verdict below is for these priorities."
    )

deny = [c for c in report.findings if c.severity == "deny"]
warn = [c for c in report.findings if c.severity == "warn"]
waived = [c for c in report.checks if c.status == "waived"]
with st.container(key="policy_summary"):
    verdict = "fails" if deny else "passes"
    broken = (
        f"{counted(len(deny), 'finding')} {'blocks' if len(deny) == 1 else 'block'} approval: the CI check would fail."
        if deny
        else "No rule that blocks approval is broken: the CI check would pass"
        + (" (it would fail if set to fail on warnings too)." if warn else ".")
    )
    st.markdown(
        f"**{md(report.policy_name)}** {verdict} on {report.today.isoformat()}. {broken} "
        f"{counted(len(report.offerings), 'offering')} checked under {md(report.priorities_name or 'no priorities')}: "
        f"{counted(len(warn), 'warning')}, {counted(len(waived), 'check')} exempted by a waiver."
    )
    st.caption(
        f"Exit code of `shortlist check`: {report.exit_code('deny')} "
        f"({report.exit_code('warn')} with `--fail-on warn`)."
    )
    # The buyer reads "passes" as "our pick is approved": say what the check says of the
    # sidebar's leader, which a policy that approves a list may not check at all.
    top = ctx.ranking.ranked[0] if ctx.ranking is not None and ctx.ranking.ranked else None
    if top is not None:
        lead = f"Your leader on the Shortlist, **{md(top.offering)}**,"
        if top.offering_id not in report.offerings:
            st.warning(
                f"{lead} is **not checked by this policy**: it is not on the policy's approved list "
                f"({len(policy.approved)} offering{'s' if len(policy.approved) != 1 else ''}). "
                "Approving it means adding it to the policy (and passing its rules) first."
            )
        else:
            own_findings = [c for c in report.findings if c.offering_id == top.offering_id]
            blocks = sum(c.severity == "deny" for c in own_findings)
            st.markdown(
                f"{lead} is checked here: "
                + (
                    f"{blocks} finding{'s' if blocks != 1 else ''} block its approval."
                    if blocks
                    else "nothing blocks its approval"
                    + (
                        f" ({len(own_findings)} warning{'s' if len(own_findings) != 1 else ''})."
                        if own_findings
                        else "."
                    )
                )
            )
if policy.description:
    st.caption(md(policy.description))


def _where(c: engine.policy.rules.Check) -> str:
    return f"{c.file}:{c.line}" if c.file and c.line else (c.file or "")


rule_says = {r.id: r.message for r in policy.rules}
named = {o.id: o.label for o in ctx.catalog.offerings}


def _rule(c: engine.policy.rules.Check) -> str:
    """What the rule requires, in its own words (its id when it has none)."""
    return rule_says.get(c.rule_id) or CHECKS.get(c.rule_id, c.rule_id)


def _said(c: engine.policy.rules.Check) -> dict[str, str]:
    outcome, found = finding_words(c.code, c.message, rule_says.get(c.rule_id))
    return {
        "offering": named.get(c.offering_id or "", c.offering_id or "the whole catalog"),
        "severity": SEVERITY.get(c.severity, c.severity),
        "rule": _rule(c),
        "outcome": outcome,
        "found": found,
    }


findings = [*deny, *warn]
st.header(f"Findings ({len(findings)})")
if findings:
    listed, left = cut(findings)  # an HTML table draws every row: the first ones
    with st.container(key="policy_findings"):
        st.table(  # st.table renders Markdown: every cell escaped; offerings by name, no row numbers
            md_frame(pd.DataFrame([_said(c) for c in listed]).set_index("offering"))
        )
    st.caption(
        "Blocks approval: the offering may not be approved (a `deny` rule). Warning: reported, not blocking "
        "(a `warn` rule). Not confirmed: the fact is unknown, or rests on weaker evidence than the rule "
        "accepts, so it decides neither way and counts as a finding. The table of every check below has "
        "the offering ids, reason codes and file lines."
    )
    if left:
        st.caption(more_line(left, "findings", "the JSON report and the table of every check below list all"))
else:
    st.success("No finding: every offering in scope meets the policy.")

st.header(f"Waivers ({len(report.waivers)})")
if report.waivers:
    waivers, left = cut(report.waivers)
    st.table(
        md_frame(
            pd.DataFrame(
                [
                    {
                        "offering": named.get(w.offering, w.offering),
                        "rule": rule_says.get(w.rule) or w.rule,
                        "status": w.status.replace("_", " "),
                        "expires": w.expires.isoformat() if w.expires else "missing or malformed",
                        "days left": "—" if w.days_left is None else w.days_left,
                        "approver": w.approver,
                        "reason": w.reason,
                    }
                    for w in waivers
                ]
            ).set_index("offering")
        )
    )
    if left:
        st.caption(more_line(left, "waivers", "the JSON report lists all"))
else:
    st.caption("The policy has no waivers.")

if report.stale:  # as `shortlist check` lists them: shown, not findings
    with st.expander(f"Stale data ({counted(len(report.stale), 'fact')} older than their kind's limit)"):
        st.dataframe(
            text_frame(
                pd.DataFrame(
                    [
                        {
                            "offering": named.get(oid, oid),
                            "fact": block_name(a),
                            "kind": a.fact.kind,
                            "as of": a.fact.as_of.isoformat() + (" (inherited)" if a.fact.inherited else ""),
                            "age (days)": a.days,
                            "limit (days)": a.limit,
                        }
                        for oid, a in report.stale
                    ]
                )
            ),
            hide_index=True,
            width="stretch",
        )
        st.caption(
            "Not findings: a rule `field: <kind>.as_of, op: max_age_days` fails a check on age. "
            "A negative age is a date after the check date."
        )

with st.expander(f"Every check ({len(report.checks)}), passing ones included"):
    st.dataframe(
        text_frame(
            pd.DataFrame(
                [
                    {
                        "status": c.status,
                        "severity": c.severity,
                        "rule": c.rule_id,
                        "offering": c.offering_id or "",
                        "code": c.code,
                        "message": c.message,
                        "where": _where(c) + (f" [{c.field}]" if c.field else ""),
                    }
                    for c in report.checks
                ]
            )
        ),
        hide_index=True,
        width="stretch",
    )

st.header("Download the report")
policy_json = render(report, "json")  # also what the tests read; the other formats are built on click
ss["export_policy_json"] = policy_json
cols = st.columns(5)
for col, (fmt, ext, mime) in zip(
    cols,
    [
        ("text", "txt", "text/plain"),
        ("json", "json", "application/json"),
        ("junit", "xml", "application/xml"),
        ("sarif", "sarif.json", "application/json"),
        ("github", "github.txt", "text/plain"),
    ],
    strict=True,
):
    data = policy_json if fmt == "json" else (lambda fmt=fmt: render(report, fmt))
    col.download_button(fmt, data, f"policy-report.{ext}", mime, key=f"dl_policy_{fmt}", on_click="ignore")

"""Policy page: run a CI policy (a bundled one or an uploaded file) against the catalog
on screen (uploads included) and show its findings and waivers — the same report as
``shortlist check``. The policy is judged under the priorities it names, not the
sidebar's: a policy is the organisation's rule, not one buyer's view."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

import engine
from engine.dates import MAX_DATE, MIN_DATE
from engine.escape import streamlit_markdown as md
from engine.loading import (
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
from engine.policy import run_policy
from engine.policy_output import render
from engine.ranges import MAX_AGE_DAYS
from engine.summarise import cut, more_line
from ui.common import MAX_UPLOAD_BYTES, context, criteria_dir, md_frame, show_issues, text_frame, vendors_dir

ctx = context()
ss = st.session_state
st.title("Policy")
st.caption(
    "A policy says what every approved offering must meet (rules with severity deny or warn, a minimum "
    "score, waivers with an expiry). CI runs the same check with `shortlist check --policy FILE`."
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
    format="YYYY-MM-DD",  # the one date grammar (engine.dates)
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

policy = doc = None
resolver: PrioritiesResolver
try:
    if choice == UPLOAD:
        up = st.file_uploader("Policy file (.yaml/.yml, 1 MB max)", type=["yaml", "yml"], key="policy_upload")
        if up is not None:  # kept in the session: the upload widget forgets it on a page switch
            ss["policy_uploaded"] = (up.name, up.getvalue())
        ups = st.file_uploader(
            "Priorities files the policy names (optional)",
            type=["yaml", "yml"],
            accept_multiple_files=True,
            key="policy_priorities_upload",
            help="An uploaded policy's `priorities:` may name a bundled preset or one of these files by its "
            "name; never a file on the server.",
        )
        if ups:
            ss["policy_priorities_uploaded"] = {f.name: f.getvalue() for f in ups}
        if "policy_uploaded" not in ss:
            st.info("Upload a policy file to check it against the catalog.")
            st.stop()
        name, raw = ss["policy_uploaded"]
        extra: dict[str, bytes] = ss.get("policy_priorities_uploaded", {})
        too_big = [(n, len(b)) for n, b in [(name, raw), *extra.items()] if len(b) > MAX_UPLOAD_BYTES]
        if too_big:
            for n, size in too_big:
                st.error(f"{md(n)} is {size:,} bytes, more than the {MAX_UPLOAD_BYTES:,}-byte limit.")
            st.stop()
        policy, doc = load_policy_bytes_doc(raw, f"upload:{name}")
        # an uploaded policy names presets by name and files uploaded here, never a server path
        resolver = SessionResolver(preset_files(CRITERIA), extra)
    else:
        roots = catalog_roots(vendors_dir(), CRITERIA)  # named as `shortlist check` names it
        policy, doc = load_policy_doc(bundled[choice], input_name(bundled[choice], roots))
        resolver = LocalResolver(CRITERIA, bundled[choice])  # a policy on the server: its own catalog
    report = run_policy(
        policy,
        doc,
        ctx.catalog,
        ctx.criteria,
        resolver,
        today=today if isinstance(today, dt.date) else None,
        expiring_in=int(expiring) or None,
    )
except engine.InputError as exc:
    show_issues(exc.issues, "the policy", "fix the policy file to run the check")
    st.stop()

deny = [c for c in report.findings if c.severity == "deny"]
warn = [c for c in report.findings if c.severity == "warn"]
waived = [c for c in report.checks if c.status == "waived"]
with st.container(key="policy_summary"):
    verdict = "fails" if deny else "passes"
    st.markdown(
        f"**{md(report.policy_name)}** {verdict} on {report.today.isoformat()}: {len(report.offerings)} offering(s) "
        f"checked under {md(report.priorities_name or 'no priorities')} — {len(deny)} deny finding(s), "
        f"{len(warn)} warning(s), {len(waived)} waived check(s). "
        f"`shortlist check` would exit {report.exit_code('deny')} (with `--fail-on warn`: {report.exit_code('warn')})."
    )
if policy.description:
    st.caption(md(policy.description))


def _where(c: engine.policy.Check) -> str:
    return f"{c.file}:{c.line}" if c.file and c.line else (c.file or "")


findings = [*deny, *warn]
st.subheader(f"Findings ({len(findings)})")
if findings:
    listed, left = cut(findings)  # an HTML table draws every row: the first ones
    st.table(  # st.table renders Markdown: every cell escaped
        md_frame(
            pd.DataFrame(
                [
                    {
                        "severity": c.severity,
                        "rule": c.rule_id,
                        "offering": c.offering_id or "",
                        "code": c.code,
                        "message": c.message,
                        "where": _where(c) + (f" [{c.field}]" if c.field else ""),
                    }
                    for c in listed
                ]
            )
        )
    )
    if left:
        st.caption(more_line(left, "findings", "the JSON report and the table of every check below list all"))
else:
    st.success("No finding: every offering in scope meets the policy.")

st.subheader(f"Waivers ({len(report.waivers)})")
if report.waivers:
    waivers, left = cut(report.waivers)
    st.table(
        md_frame(
            pd.DataFrame(
                [
                    {
                        "rule": w.rule,
                        "offering": w.offering,
                        "status": w.status.replace("_", " "),
                        "expires": w.expires.isoformat() if w.expires else "missing or malformed",
                        "days left": w.days_left,
                        "approver": w.approver,
                        "reason": w.reason,
                    }
                    for w in waivers
                ]
            )
        )
    )
    if left:
        st.caption(more_line(left, "waivers", "the JSON report lists all"))
else:
    st.caption("The policy has no waivers.")

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
                        "message": c.message,
                    }
                    for c in report.checks
                ]
            )
        ),
        hide_index=True,
        width="stretch",
    )

st.subheader("Download the report")
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

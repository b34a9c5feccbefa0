"""The committee decision record (Markdown), rendered from the database alone.

Everything comes from the closed decision as stored (its fixed inputs, the result
computed at the close, the members and every revision of their submissions), so the
same database gives the same bytes every time, on any machine. Text that members or the
owner typed (names, roles) is escaped for Markdown (:func:`engine.reports.escape.markdown`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

from engine.committee.store import DecisionView, MemberProgress, SubmissionRow
from engine.mcda.elicitation import CR_THRESHOLD
from engine.reports.escape import markdown, markdown_code

__all__ = ["committee_record"]


def _cell(text: object) -> str:
    return markdown(str(text)) or " "


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.1f}%"


def _when(s: SubmissionRow) -> str:
    return s.created_at.strftime("%Y-%m-%d %H:%M:%S UTC")


def _given(s: SubmissionRow, criteria: Sequence[str]) -> str:
    p = s.payload
    if s.kind == "order":
        return "order " + " > ".join(p["order"])
    if s.kind == "ahp":
        cr = float(p["consistency_ratio"])
        above = (
            f", above {CR_THRESHOLD:.2f}: the judgements contradict each other" if cr > CR_THRESHOLD else ""
        )
        return f"AHP matrix (consistency ratio {cr:.3f}{above})"
    return "weights " + ", ".join(f"{c} {float(w):g}" for c, w in p["weights"].items())


def _notes(m: MemberProgress, latest: SubmissionRow | None) -> str:
    """What the members table says beside a member: a revocation, an inconsistent AHP matrix."""
    notes = []
    if m.revoked:
        when = f" on {m.revoked_at:%Y-%m-%d}" if m.revoked_at else ""
        had = f"after submitting {m.revisions} revision(s)" if m.revisions else "before submitting anything"
        notes.append(f"token revoked{when}, {had}")
    if latest is not None and latest.kind == "ahp":
        cr = float(latest.payload["consistency_ratio"])
        if cr > CR_THRESHOLD:
            notes.append(
                f"latest AHP matrix inconsistent: consistency ratio {cr:.3f} above {CR_THRESHOLD:.2f} (kept)"
            )
    return "; ".join(notes) or " "


def committee_record(
    view: DecisionView,
    members: Sequence[MemberProgress],
    revisions: Sequence[SubmissionRow],
    *,
    version: str,
) -> str:
    """Render a closed decision's committee record.

    Parameters
    ----------
    view : DecisionView
        A closed decision (``result`` set).
    members : sequence of MemberProgress
    revisions : sequence of SubmissionRow
        Every revision of every member, by member then revision.
    version : str
        The tool version that renders (stated in the record).

    Returns
    -------
    str
        Markdown ending with a newline.

    Raises
    ------
    ValueError
        When the decision is not closed.
    """
    if view.result is None or view.closed_at is None:
        raise ValueError("only a closed decision has a record")
    r: Mapping[str, Any] = view.result
    crit: list[str] = list(r["criteria"])
    out: list[str] = [f"# Committee decision record: {_cell(view.name)}", ""]
    out += [
        f"- Decision: {view.id}; opened {view.created_at:%Y-%m-%d %H:%M:%S} UTC, closed {view.closed_at:%Y-%m-%d %H:%M:%S} UTC",
        f"- Base priorities (must-haves, workload): {_cell(view.priorities_name)}, as stored in the decision "
        f"(SHA-256 `{hashlib.sha256(view.priorities_yaml.encode('utf-8')).hexdigest()}`)",
        f"- Scoring method: {r['method']}; criteria weighed: {', '.join(markdown_code(c) for c in crit)}",
        f"- Group priorities: {r['aggregation']} ("
        + {
            "aij": "aggregation of individual judgements: weighted geometric mean of the members' AHP matrices",
            "aip-arithmetic": "aggregation of individual priorities: weighted arithmetic mean of the weights",
            "aip-geometric": "aggregation of individual priorities: weighted geometric mean of the weights",
        }[r["aggregation"]]
        + "; Forman & Peniwati 1998)",
        f"- Rendered by shortlist {version}",
        "",
        "## Catalog snapshot",
        "",
        "SHA-256 of each input file when the decision opened (checked unchanged at the close):",
        "",
    ]
    out += [f"- {markdown_code(name)} `{digest}`" for name, digest in view.snapshot.items()]
    latest = {s.member: s for s in revisions}  # by revision: the last wins
    out += [
        "",
        "## Members",
        "",
        "| Member | Weight | Revisions | Last submitted | Notes |",
        "|---|---:|---:|---|---|",
    ]
    for m in members:
        last = f"{m.last_submitted:%Y-%m-%d %H:%M:%S} UTC" if m.last_submitted else "did not submit"
        out.append(
            f"| {_cell(m.name)} | {m.weight:g} | {m.revisions} | {last} | {_notes(m, latest.get(m.name))} |"
        )
    out += ["", "### Submissions and revisions", ""]
    for s in revisions:
        derived = ", ".join(
            f"{c} {100 * float(w):.1f}%" for c, w in zip(crit, s.payload["derived"], strict=True)
        )
        out.append(
            f"- {_cell(s.member)}, revision {s.revision} ({_when(s)}): {_cell(_given(s, crit))} → {derived}"
        )
    out += [
        "",
        "## Group priorities",
        "",
        "| Criterion | Group | " + " | ".join(_cell(m["name"]) for m in r["members"]) + " |",
    ]
    out.append("|---|---:|" + "---:|" * len(r["members"]))
    for j, c in enumerate(crit):
        cells = " | ".join(_pct(m["weights"][j]) for m in r["members"])
        out.append(f"| {markdown_code(c)} | {_pct(r['group_weights'][j])} | {cells} |")
    if "group_consistency_ratio" in r:
        out += ["", f"Consistency ratio of the group matrix: {r['group_consistency_ratio']:.3f}."]
    out += ["", "## Consensus and dissent", ""]
    cons = r["consensus"]
    if cons is not None:
        out.append(
            f"- AHP consensus S* {_pct(cons['s_star'])} ({cons['words']}); relative homogeneity S "
            f"{_pct(cons['homogeneity'])} (Goepel 2018)"
        )
    else:
        out.append("- AHP consensus S*: not applicable (not every member gave an AHP matrix)")
    kw = r["kendall_w"]
    out.append(
        "- Kendall's W over the members' rankings: "
        + (
            f"{kw:.3f} (0 no agreement, 1 all rank alike)"
            if kw is not None
            else "not defined (fewer than 2 ranked offerings)"
        )
    )
    out += ["", "| Criterion | Lowest | Median | Highest | Outlying members |", "|---|---:|---:|---:|---|"]
    for s in r["spread"]:
        who = ", ".join(_cell(x) for x in s["outliers"]) or "none"
        out.append(
            f"| {markdown_code(s['criterion'])} | {_pct(s['low'])} | {_pct(s['median'])} | {_pct(s['high'])} | {who} |"
        )
    out += ["", "## Group ranking", ""]
    if r["group_ranking"]:
        out += ["| Rank | Offering | Score (0–100) |", "|---:|---|---:|"]
        out += [
            f"| {g['rank']} | {_cell(g['label'])} ({markdown_code(g['offering_id'])}) | {g['score']:.2f} |"
            for g in r["group_ranking"]
        ]
    else:
        out.append("No offering passes the must-haves.")
    if r["excluded"]:
        out += ["", f"Excluded by the must-haves: {len(r['excluded'])} offering(s)."]
    out += ["", "## Each member's ranking", ""]
    for m in r["members"]:
        first = ", ".join(markdown_code(o) for o in m["first"]) or "none"
        diff = "; ".join(
            f"{markdown_code(d['offering_id'])} {d['member_rank']} (group {d['group_rank']})"
            for d in m["differs"][:5]
        )
        more = f" and {len(m['differs']) - 5} more" if len(m["differs"]) > 5 else ""
        tail = f"; differs from the group at {diff}{more}" if diff else "; the same ranking as the group's"
        out.append(f"- {_cell(m['name'])} ({m['kind']}, revision {m['revision']}): first {first}{tail}")
    acc = r["acceptability"]
    out += ["", "## Robustness over the committee", ""]
    for o, ms in acc["first_for_members"].items():
        out.append(
            f"- {markdown_code(o)} is first for {len(ms)} of {len(r['members'])} member(s): {', '.join(_cell(x) for x in ms)}"
        )
    if acc["group_winner_not_first_for"]:
        out.append(
            "- The group's first is not first for: "
            + ", ".join(_cell(x) for x in acc["group_winner_not_first_for"])
        )
    hull = ", ".join(f"{markdown_code(o)} {_pct(s)}" for o, s in acc["hull_first"].items())
    out.append(
        f"- First-rank acceptability over the members' convex hull ({acc['hull_samples']} samples, seed {acc['hull_seed']}): {hull or 'none'}"
    )
    if r["notes"]:
        out += ["", "## Notes", ""] + [f"- {_cell(n)}" for n in r["notes"]]
    return "\n".join(out) + "\n"

"""The sovereignty framework in the app: plain words for SEAL levels, the framework the
priorities use, and the sidebar's minimum-SEAL must-haves.

A contracting authority sets a minimum SEAL per objective of the EU Cloud Sovereignty
Framework (an offer below it on any objective is rejected; guidance p.10). The sidebar
holds one choice per objective (no minimum, SEAL-0 … SEAL-4) and one switch for the
gaps: whether an objective whose unanswered criteria could still be below the minimum
passes (``allow_unknown``; on by default, because the catalog's facts answer few
criteria today and a gap is not a failure). They become ``seal.<objective> min``
must-haves exactly as a priorities file writes them (:mod:`ui.state`), so the ranking
gates on them and the exported priorities and decision record carry them.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import streamlit as st

import engine
from engine.catalog.schema import PrioritiesFile
from engine.catalog.sovereignty import SEAL_MAX, FrameworkFile, Sovereignty
from engine.mcda.requirements import seal_objective
from engine.mcda.sovereignty import Assessment, pick
from engine.reports.escape import streamlit_markdown as md
from ui import state
from ui.plain import echoed

LEVELS: list[int | None] = [None, *range(SEAL_MAX + 1)]
"""The choices of a minimum SEAL: none, then SEAL-0 … SEAL-4."""
NO_MINIMUM = "no minimum"


def framework_of(criteria: engine.CriteriaCatalog, priorities: PrioritiesFile) -> Sovereignty | None:
    """The sovereignty framework (and its rules) the priorities use, ``None`` when the
    criteria catalog holds none (or the priorities name one it lacks)."""
    sov, _ = pick(criteria.sovereignty, priorities.sovereignty_framework, priorities.sovereignty_weights)
    return sov


def minimums_on(framework: FrameworkFile | None) -> list[str]:
    """The minimum SEALs set in the sidebar, for its "On:" line (``minimum SEAL-2 on all
    8 sovereignty objectives``, ``minimum SEAL-3 on SOV-1``)."""
    if framework is None:
        return []
    ss = st.session_state
    by_level: dict[int, list[str]] = {}
    for o in framework.objectives:
        level = ss.get(state.seal_key(o.id))
        if level is not None:
            by_level.setdefault(int(level), []).append(o.id)
    n = len(framework.objectives)
    out = [
        f"minimum SEAL-{level} on "
        + (f"all {n} sovereignty objectives" if len(objs) == n else ", ".join(objs))
        for level, objs in sorted(by_level.items())
    ]
    if out:
        out[-1] += " (gaps pass)" if ss.get(state.SEAL_UNKNOWN, True) else " (gaps fail)"
    return out


def draw_minimums(framework: FrameworkFile | None) -> None:
    """The minimum-SEAL widgets (inside the sidebar's must-haves)."""
    ss = st.session_state
    if framework is None:
        st.caption("No sovereignty framework is loaded (criteria/sovereignty/): no SEAL minimums.")
        return
    known = {o.id for o in framework.objectives}
    for k in [k for k in ss if isinstance(k, str) and k.startswith(state.SEAL_PREFIX)]:
        if k.removeprefix(state.SEAL_PREFIX) not in known and ss[k] is not None:
            st.caption(
                f"{md(echoed(k.removeprefix(state.SEAL_PREFIX)))} is not an objective of {framework.id}: ignored."
            )
            ss[k] = None
    st.markdown(
        "**Minimum SEAL per sovereignty objective**",
        help="EU Cloud Sovereignty Framework: each answer to a criterion has a SEAL (Sovereignty Effectiveness "
        "Assurance Level, SEAL-0 no sovereignty … SEAL-4 full digital sovereignty); an objective's SEAL is "
        "the lowest of its answered criteria. An offering below the minimum on any objective is excluded, "
        "the criterion that sets its SEAL named.",
    )
    for o in framework.objectives:
        key = state.seal_key(o.id)
        ss.setdefault(key, None)
        st.selectbox(
            md(f"{o.id} {o.name}"),
            LEVELS,
            key=key,
            format_func=lambda v: NO_MINIMUM if v is None else framework.seal_name(v),
            placeholder=NO_MINIMUM,
        )
    ss.setdefault(state.SEAL_UNKNOWN, True)
    st.checkbox(
        "Unanswered criteria do not exclude (a gap is not a failure)",
        key=state.SEAL_UNKNOWN,
        help="On: an objective whose unanswered criteria could still be below its minimum passes as an "
        "evidence gap (allow_unknown: true). Off: it is excluded until the operator's answers show it "
        "reaches the minimum.",
    )


# ----------------------------------------------------------------------------- the page's words

SEAL_COLOURS: dict[int, tuple[str, str]] = {
    0: ("#eff3ff", "#000000"),
    1: ("#bdd7e7", "#000000"),
    2: ("#6baed6", "#000000"),
    3: ("#2171b5", "#ffffff"),
    4: ("#08519c", "#ffffff"),
}
"""SEAL level → (background, text) of a heat-map cell: one hue (ColorBrewer *Blues*,
readable with any colour vision), darker = more sovereign, each pair at least 4.5:1
(WCAG AA; :func:`contrast` checks it in tests/test_app_sovereignty.py). The cells also
hold the level as text, so no meaning rests on colour alone."""
GAP_STYLE = "background-color: #ffffff; color: #000000; font-style: italic"


def _luminance(colour: str) -> float:
    """WCAG 2.x relative luminance of ``#rrggbb``."""
    out = []
    for i in (1, 3, 5):
        c = int(colour[i : i + 2], 16) / 255
        out.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    return 0.2126 * out[0] + 0.7152 * out[1] + 0.0722 * out[2]


def contrast(a: str, b: str) -> float:
    """WCAG 2.x contrast ratio of two ``#rrggbb`` colours (1 to 21)."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def cell_style(level: int | None) -> str:
    """The CSS of a heat-map cell of ``level`` (``None``: a gap, no colour)."""
    if level is None:
        return GAP_STYLE
    bg, fg = SEAL_COLOURS[level]
    return f"background-color: {bg}; color: {fg}"


def short_label(label: str | None, option: int) -> str:
    """An answer option's label without the calculator's ``"2. "`` numbering."""
    if label is None:
        return f"option {option} (no label in the source)"
    return label.removeprefix(f"{option}. ")


def score_range(a: Assessment) -> str:
    """The sovereignty score as a range while gaps remain: ``between 3.0% and 92.2%; 43 of
    48 criteria unanswered`` (the low end counts no points for a gap, the high end the
    best option of each: :attr:`~engine.mcda.sovereignty.Assessment.score_max`)."""
    n = len(a.answers) + len(a.gaps)
    if not a.gaps:
        return f"{a.score:.1f}% (all {n} criteria answered)"
    return f"between {a.score:.1f}% and {a.score_max:.1f}%; {len(a.gaps)} of {n} criteria unanswered"


def seal_sentence(framework: FrameworkFile, a: Assessment) -> str:
    """The overall SEAL in plain words, with the criterion that sets it and its answer
    (Markdown, escaped)."""
    n = len(a.answers) + len(a.gaps)
    if a.seal is None or a.governing is None:
        return f"no SEAL yet: none of the {n} criteria is answered by the catalog's facts or the vendors' answers"
    c = framework.criterion(a.governing)
    ans = a.answer(a.governing)
    said = f' — answer "{md(short_label(ans.label, ans.option))}"' if ans else ""
    question = c.question.split(" - ")[0].strip()
    return (
        f"overall **{md(framework.seal_name(a.seal))}**, set by {md(a.governing)} "
        f"({md(question)}){said}; the lowest SEAL of any answered criterion governs"
    )


def gate_outcome(row: engine.Row, seal_rules: Mapping[str, str]) -> str:
    """The offering against the buyer's minimum SEALs: ``below the minimum on SOV-1``,
    ``open: gaps could still be below`` (unknown), ``meets every minimum``, or ``no
    minimum set`` (``seal_rules``: :func:`seal_requirements`)."""
    mine = [r for r in row.requirements if r.requirement_id in seal_rules]
    if not mine:
        return "no minimum set"
    failed = sorted({seal_rules[r.requirement_id] for r in mine if r.outcome == "fail"})
    if failed:
        return "below the minimum on " + ", ".join(failed)
    if any(r.outcome == "unknown" for r in mine):
        return "open: gaps could still be below"
    return "meets every minimum"


def seal_requirements(priorities: PrioritiesFile) -> dict[str, str]:
    """The priorities' minimum-SEAL must-haves: requirement id → the objective it is on
    (``every objective`` for a ``seal`` rule)."""
    out: dict[str, str] = {}
    for r in priorities.requirements:
        obj = seal_objective(r.field)
        if obj or r.field == "seal":
            out[r.id] = obj or "every objective"
    return out


def heat_map(framework: FrameworkFile, a: Assessment) -> tuple[pd.DataFrame, list[list[int | None]]]:
    """Objectives × SEAL for one assessment: per objective its SEAL, how many answered
    criteria sit at each SEAL, its unanswered criteria, points and weight; and each
    cell's level for its colour (``None``: no colour).

    Returns
    -------
    (DataFrame, list of list)
        One row per objective (index ``SOV-n name``); the levels, same shape.
    """
    rows, levels = [], []
    nominal = framework.nominal_points
    total = sum(o.weight for o in a.objectives) or 1.0
    for o in a.objectives:
        mine = [x for x in a.answers if x.criterion.rsplit(".", 1)[0] == o.id]
        counts = {s: sum(x.seal == s for x in mine) for s in range(SEAL_MAX + 1)}
        row: dict[str, str] = {
            "objective SEAL": f"SEAL-{o.seal}" if o.seal is not None else "not answered yet"
        }
        row.update({f"SEAL-{s}": str(counts[s]) if counts[s] else "·" for s in counts})
        row["unanswered"] = str(len(o.gaps))
        row["points"] = f"{o.points:g} of {nominal:g}"
        row["weight"] = f"{100 * o.weight / total:.0f}%"
        rows.append(row)
        levels.append([o.seal, *(s if counts[s] else None for s in counts), None, None, None])
    frame = pd.DataFrame(rows, index=pd.Index([f"{o.id} {o.name}" for o in a.objectives], name="objective"))
    return frame, levels


def overview(ranking: engine.Ranking, framework: FrameworkFile, priorities: PrioritiesFile) -> pd.DataFrame:
    """Every offering of the ranking (ranked first, by rank): its overall SEAL and each
    objective's, answered and unanswered criteria, the score range and the outcome of
    the buyer's minimum SEALs."""
    rules = seal_requirements(priorities)
    out = []
    for row in ranking.rows:
        a = row.sovereignty
        if a is None:
            continue
        n = len(a.answers) + len(a.gaps)
        entry: dict[str, object] = {
            "offering": row.offering,
            "id": row.offering_id,
            "rank": str(row.rank) if row.rank is not None else "excluded",
            "SEAL": f"SEAL-{a.seal}" if a.seal is not None else "none yet",
            "governed by": a.governing or "",
        }
        entry.update({o.id: f"SEAL-{o.seal}" if o.seal is not None else "–" for o in a.objectives})
        entry["answered"] = f"{len(a.answers)} of {n}"
        entry["score %"] = f"{a.score:.1f}" if not a.gaps else f"{a.score:.1f} to {a.score_max:.1f}"
        entry["minimum SEALs"] = gate_outcome(row, rules)
        out.append(entry)
    return pd.DataFrame(out)

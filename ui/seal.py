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

import streamlit as st

import engine
from engine.catalog.schema import PrioritiesFile
from engine.catalog.sovereignty import SEAL_MAX, FrameworkFile, Sovereignty
from engine.mcda.sovereignty import pick
from engine.reports.escape import streamlit_markdown as md
from ui import state

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
                f"{md(k.removeprefix(state.SEAL_PREFIX))} is not an objective of {framework.id}: ignored."
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

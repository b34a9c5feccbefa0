"""The app's "Vendors' answers": upload the answer files vendors sent back, see what
each answer did, and choose whether answers win conflicts.

Answer files (the YAML template or the workbook of ``shortlist rfi``) follow the rules
of vendor uploads (Catalog page): the size limit is checked before parsing, they are
kept in the session only (never written to the server's disk), validated on the spot
(:func:`engine.catalog.answers.read_and_fold`, the CLI's ``--answers``) and named
``answers:<file name>`` in every output. Like uploaded profiles they are not part of the
page's link.
"""

from __future__ import annotations

from collections import Counter

import pandas as pd
import streamlit as st

from engine.catalog.answers import conflicts_first, not_used
from engine.catalog.loading import Catalog
from engine.reports.escape import markdown_code
from engine.reports.escape import streamlit_markdown as md
from ui.common import UPLOAD_LIMIT, kept_uploader, text_frame
from ui.plain import counted

ANSWERS_PREFIX = "answers:"
"""How an uploaded answer file is named in issues, flags and the decision record."""
PREFER_KEY = "p_prefer_answers"
"""Session key of the "answers win conflicts" choice (kept across pages, not in the link)."""

_OUTCOME_WORDS = {
    "fills": "fills an unknown",
    "replaces": "replaces weaker evidence",
    "confirms": "confirms the public fact",
    "public kept": "conflict: public fact used",
    "overrides": "conflict: answer used",
    "not folded": "correction for a person (not used)",
}


def _remove(name: str) -> None:
    ss = st.session_state
    ss["answer_uploads"] = {k: v for k, v in ss["answer_uploads"].items() if k != name}


def uses_table(catalog: Catalog) -> pd.DataFrame:
    """One row per answer and offering: what the answer did (conflicts first)."""
    rows = [
        {
            "offering": u.offering_id,
            "field": u.answer.field,
            "answer": u.answer.text,
            "evidence": f"{u.answer.evidence} ({u.answer.as_of.isoformat()})",
            "outcome": _OUTCOME_WORDS[u.outcome],
            "public value": "—" if u.public is None else f"{u.public} ({u.public_grade})",
            "file": u.answer.file.removeprefix(ANSWERS_PREFIX),
        }
        for u in conflicts_first(catalog.answer_uses)
    ]
    return text_frame(pd.DataFrame(rows))


def draw_answer_uploads(catalog: Catalog) -> None:
    """The uploader, each uploaded file's state (problems, or what it answered), the
    "answers win conflicts" choice, and the table of what each answer did."""
    ss = st.session_state
    kept_uploader(
        f"Upload answer files (.yaml/.yml answer templates or the .xlsx workbook, {UPLOAD_LIMIT} each)",
        ["yaml", "yml", "xlsx"],
        "The questionnaires above, filled in by the vendors. Valid answers join the ranking on every "
        "page as vendor-declared evidence; a file with any problem is shown with its problems and not used.",
        ("answer_uploads", "answers_uploader_n", "answers_refused", "answers_replaced"),
    )
    files = {f.file: f for f in catalog.answer_files}
    with st.container(key="answer_files"):
        for name in ss["answer_uploads"]:
            file = f"{ANSWERS_PREFIX}{name}"
            problems = [
                i for i in catalog.issues if (i.file or "") == file or (i.file or "").startswith(f"{file}#")
            ]
            folded = [f for k, f in files.items() if k == file or k.startswith(f"{file}#")]
            c1, c2 = st.columns([5, 1])
            shown = md(name)  # the browser's file name: text, never markup
            if problems:
                listed = "\n".join(f"- {markdown_code(str(i))}" for i in problems[:20])
                more = f"\n\n… and {len(problems) - 20} more" if len(problems) > 20 else ""
                sheets = not_used(problems, {file}).get(file, ())
                if sheets and folded:  # a workbook, read sheet by sheet: its valid sheets are used
                    answered = sum(len(f.answers) for f in folded)
                    c1.error(
                        f"**{shown}**: {counted(len(sheets), 'sheet')} not used "
                        f"({', '.join(markdown_code(x) for x in sheets)}), {counted(answered, 'answer')} from its "
                        f"valid sheets used — {counted(len(problems), 'problem')}:\n\n{listed}{more}"
                    )
                else:
                    c1.error(
                        f"**{shown}** was not used — {counted(len(problems), 'problem')}:\n\n{listed}{more}"
                    )
            elif folded:
                answered = sum(len(f.answers) for f in folded)
                open_ = sum(f.unanswered for f in folded)
                who = ", ".join(markdown_code(f.vendor) for f in folded)
                c1.success(
                    f"**{shown}** ({who}): {counted(answered, 'answer')} used, "
                    f"{counted(open_, 'question')} unanswered"
                )
            else:
                c1.warning(f"**{shown}**: no questionnaire in it")
            c2.button("Remove", key=f"rm_answers_{name}", on_click=_remove, args=(name,))
    st.checkbox(
        "Let answers override stronger public facts",
        key=PREFER_KEY,
        help="By default a vendor's answer that contradicts a primary or independent public fact does not "
        "replace it (the conflict is flagged); tick to use the answers instead. Either way, conflicts are "
        "flagged in the ranking and listed in the decision record.",
    )
    if catalog.answer_uses:
        n = Counter(u.outcome for u in catalog.answer_uses)
        conflicts = n["public kept"] + n["overrides"]
        st.markdown(
            f"**What the answers did:** {n['fills']} filled an unknown, {n['replaces']} replaced weaker "
            f"evidence, {n['confirms']} confirmed a public fact, {counted(conflicts, 'conflict')} with a stronger "
            f"public fact ({n['overrides']} decided for the answer)."
        )
        st.dataframe(uses_table(catalog), hide_index=True, width="stretch")

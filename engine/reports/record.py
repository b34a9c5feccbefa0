"""The decision record: a Markdown file that says what was decided, on which inputs.

``shortlist rank --record FILE.md`` writes it; the app offers it as a download. It
holds the date, the tool version, the SHA-256 digest of every input file, the
weights, must-haves and method, the ranking, the excluded offerings with their
reasons, the data age of each offering and, when given, the robustness summary. It is
a pure function of its inputs: the same inputs give a byte-identical record (the
date in it is the ranking's price date, fixed with ``--on``). Every input text in it
(names, reasons, notes, messages, file names) is escaped for Markdown
(:func:`engine.reports.escape.markdown`): it reads as written and never renders as a link,
an image, HTML or a table row of its own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from engine.catalog.answers import conflicts_first
from engine.catalog.schema import PrioritiesFile
from engine.catalog.staleness import block_name
from engine.mcda.scoring import Ranking, Row, excluded_summary
from engine.mcda.unknowns import UnknownImpact, range_short, ranges_of
from engine.reports.escape import markdown, markdown_code
from engine.reports.export import flag_text
from engine.reports.summarise import LIST_ITEMS, ROWS, cut, more_line, names

if TYPE_CHECKING:  # keeps scipy off the path of callers without a robustness report
    from engine.catalog.answers import AnswerFile, AnswerUse
    from engine.errors import Issue
    from engine.mcda.sensitivity.report import SensitivityReport

__all__ = ["decision_record"]

_STALE_BELOW = "the Stale data section lists each"
_ALL_RANKED = "all are in `shortlist rank --format json` of the same inputs"
_ALL_DOMINATED = "all are in `shortlist sensitivity --format json` of the same inputs"


def _cell(text: object) -> str:
    """Input text for Markdown, in a table cell or a line (:func:`engine.reports.escape.markdown`)."""
    return markdown(str(text))


def _stale_section(ranking: Ranking, rows: list[Row]) -> list[str]:
    """``## Stale data``: the limits per kind, then each stale (or future-dated) fact of
    the listed offerings, one table row each (cut at :data:`ROWS` rows and counted)."""
    day = ranking.on_date
    lims = ", ".join(f"{k} {v}" for k, v in ranking.max_age_days.items())
    out = ["", "## Stale data", ""]
    if lims:
        out += [f"Maximum age in days per kind of fact: {lims}.", ""]
    facts = [(r, a) for r in rows for a in r.stale]
    if not facts:
        return [*out, "No fact is older than its kind's limit or dated after the ranking date."]
    out += ["| offering | fact | kind | as of | age (days) | limit (days) |", "|---|---|---|---|---:|---:|"]
    shown, left = cut(facts)
    for r, a in shown:
        when = a.fact.as_of.isoformat() + (" (inherited)" if a.fact.inherited else "")
        age = f"{a.days}" if not a.future else f"{-a.days} after {day.isoformat()}"
        out.append(
            f"| {_cell(r.offering_id)} | {_cell(block_name(a))} | {a.fact.kind} | {when} | {age} | {a.limit} |"
        )
    if left:
        out += [
            "",
            more_line(
                left,
                "stale facts",
                "`shortlist validate --stale` lists every stale fact of the catalog, `shortlist explain OFFERING` one offering's",
            ),
        ]
    return out


def _evidence_section(ranking: Ranking, rows: list[Row]) -> list[str]:
    """``## Evidence``: for each listed ranked offering and each weighted criterion, the
    weakest evidence grade behind its value (``unknown``: no value, imputed worst;
    ``buyer``: a self-hosted offering's compliance, which rests on the buyer's own
    declaration). The scale is docs/catalog.md's (primary … aggregator, ungraded)."""
    weighted = [c.id for c in ranking.criteria if ranking.weights.get(c.id, 0.0) > 0]
    if not rows or not weighted:
        return []
    out = [
        "",
        "## Evidence",
        "",
        "The weakest evidence grade behind each value (primary, independent, vendor-declared, "
        "secondary, aggregator; ungraded: no grade recorded; unknown: no value, imputed worst).",
        "",
        "| offering | " + " | ".join(weighted) + " |",
        "|---|" + "---|" * len(weighted),
    ]
    for r in rows:
        cells = []
        for cid in weighted:
            cell = r.cells.get(cid)
            if cell is None or cell.value is None:
                cells.append("unknown")
            else:
                cells.append(cell.evidence or "buyer")
        out.append(f"| {_cell(r.offering_id)} | " + " | ".join(cells) + " |")
    return out


def _sovereignty_section(ranking: Ranking, rows: list[Row]) -> list[str]:
    """``## Sovereignty``: for each listed ranked offering, the overall SEAL and the
    criterion that governs it, each objective's SEAL, the score and how many criteria
    are answered (the rest are gaps, not zeros)."""
    assessed = [r for r in rows if r.sovereignty is not None]
    if not assessed:
        return []
    first = assessed[0].sovereignty
    assert first is not None
    objectives = [o.id for o in first.objectives]
    out = [
        "",
        "## Sovereignty",
        "",
        f"Framework {_cell(first.framework)}, weights {_cell(first.weight_set)}. SEAL: the lowest SEAL of "
        "the answered criteria (governing criterion in brackets); a gap is an unanswered criterion, never "
        "a zero. The score is known once every weighted objective is answered; until then it is the "
        "range from the answered points to every gap at its best. `shortlist explain OFFERING` lists "
        "each answer with the facts it rests on.",
        "",
        "| offering | SEAL | " + " | ".join(objectives) + " | score % | answered |",
        "|---|---|" + "---|" * len(objectives) + "---|---|",
    ]
    for r in assessed:
        a = r.sovereignty
        assert a is not None
        seal = f"SEAL-{a.seal} ({a.governing})" if a.seal is not None else "none answered"
        per = [f"{o.seal}" if o.seal is not None else "gap" for o in a.objectives]
        n = len(a.answers) + len(a.gaps)
        out.append(
            f"| {_cell(r.offering_id)} | {_cell(seal)} | "
            + " | ".join(per)
            + (
                f" | {a.score:.2f} | {len(a.answers)} of {n} |"
                if a.known
                else f" | unknown: {a.score:.2f} to {a.score_max:.2f} | {len(a.answers)} of {n} |"
            )
        )
    return out


def _impact(u: UnknownImpact) -> str:
    if u.kind == "must-have":
        passes = "still out" if u.rank_if_best is None else str(u.rank_if_best)
        return f"{u.field} (passes: {passes}; fails: excluded)"
    best = "excluded" if u.rank_if_best is None else str(u.rank_if_best)
    worst = "excluded" if u.rank_if_worst is None else str(u.rank_if_worst)
    return f"{u.field} (best: {best}; worst: {worst})"


def _unknowns_section(ranking: Ranking, priorities: PrioritiesFile, rows: list[Row]) -> list[str]:
    """``## Which unknowns matter``: the listed ranked offerings with an unknown fact
    whose answer alone can move them across the shortlist cut, then the offerings kept
    out by evidence gaps that could reach the shortlist (:mod:`engine.mcda.unknowns`);
    the other listed offerings with unknowns are counted. At most
    :data:`~engine.reports.summarise.LIST_ITEMS` rows, at least half of them for the
    excluded offerings when there are that many; the rest counted."""
    k = priorities.robustness.top_k
    ranges = ranges_of(ranking, priorities, cut=k)
    listed = [ranges[r.offering_id] for r in rows]
    matter = [rr for rr in listed if any(u.crosses_cut for u in rr.unknowns)]
    quiet = sum(1 for rr in listed if rr.unknowns and rr not in matter)
    could = [
        ranges[r.offering_id]
        for r in ranking.excluded
        if (b := ranges[r.offering_id].best_rank) is not None and b <= k
    ]
    if not matter and not could and not quiet:
        return []
    out = [
        "",
        "## Which unknowns matter",
        "",
        f"The rank each offering would get if its unknown facts were answered at their best (utility 1 on the "
        f"criterion; the must-have passes) or their worst (utility 0, today's imputation; the must-have fails), "
        f"one offering at a time with the others as they are. Listed: the ranked offerings with an unknown "
        f"whose answer alone can move them across the shortlist cut (top {k}), then those kept out by evidence "
        f"gaps that could reach it. `shortlist explain OFFERING` lists each one's unknowns.",
    ]
    # each group gets its share of the rows, so the excluded ones that could reach the
    # cut are never hidden behind a long list of ranked ones
    half = LIST_ITEMS // 2
    m_shown, m_left = cut(matter, max(half, LIST_ITEMS - len(could)))
    c_shown, c_left = cut(could, LIST_ITEMS - len(m_shown))
    shown, left = [*m_shown, *c_shown], m_left + c_left
    if shown:
        out += [
            "",
            f"| offering | today | range | can cross the top-{k} cut | cannot |",
            "|---|---:|---|---|---|",
        ]
        for rr in shown:
            today = "excluded" if rr.rank is None else str(rr.rank)
            cross = "; ".join(_impact(u) for u in rr.unknowns if u.crosses_cut) or "–"
            rest = names([u.field for u in rr.unknowns if not u.crosses_cut]) or "–"
            out.append(
                f"| {_cell(rr.offering_id)} | {today} | {_cell(range_short(rr))} | {_cell(cross)} | {_cell(rest)} |"
            )
        if left:
            out += [
                "",
                more_line(left, "offerings with unknowns that matter", "see `shortlist explain OFFERING`"),
            ]
    if quiet:
        out += [
            "",
            f"{quiet:,} other ranked offering(s) listed in this record have unknowns whose answers "
            "alone cannot move them across the cut.",
        ]
    return out


_OUTCOME_WORDS = {
    "fills": "fills an unknown",
    "replaces": "replaces weaker evidence",
    "confirms": "confirms the public fact",
    "public kept": "conflict: the stronger public fact is used",
    "overrides": "conflict: the answer is used (the buyer prefers answers)",
    "not folded": "a correction for a person to check; not used",
}


def _answers_section(
    files: Sequence[AnswerFile], uses: Sequence[AnswerUse], problems: Sequence[Issue] = ()
) -> list[str]:
    """``## Vendors' answers``: each answer file folded in (its questionnaire, answered
    and unanswered questions), then which values came from which answer: one row per
    answer and offering, conflicts first, at most :data:`~engine.reports.summarise.ROWS`
    rows, the rest counted; then each answer file (or workbook sheet) not used, with
    its problems (at most :data:`~engine.reports.summarise.ROWS`, the rest counted)."""
    if not files and not problems:
        return []
    out = [
        "",
        "## Vendors' answers",
        "",
        "Answers to the request for information (`shortlist rfi`), folded in as vendor-declared evidence. "
        "An answer that contradicts a public fact on stronger evidence does not replace it unless the buyer "
        "prefers answers; either way the conflict is listed here.",
        "",
        "| answer file | questionnaire | answered | unanswered |",
        "|---|---|---:|---:|",
    ]
    out += [
        f"| {_cell(f.file)} | {markdown_code(f.vendor)} | {len(f.answers)} | {f.unanswered} |" for f in files
    ]
    ranked = conflicts_first(uses)
    shown, left = cut(ranked, ROWS)
    if shown:
        out += [
            "",
            "| offering | field | answer | evidence, as of | answer file (question) | outcome | public value |",
            "|---|---|---|---|---|---|---|",
        ]
        for u in shown:
            a = u.answer
            public = "–" if u.public is None else f"{u.public} ({u.public_grade})"
            out.append(
                f"| {_cell(u.offering_id)} | {markdown_code(a.field)} | {_cell(a.text)} | "
                f"{_cell(a.evidence)}, {a.as_of.isoformat()} | {_cell(a.file)} ({_cell(a.question_id)}) | "
                f"{_OUTCOME_WORDS[u.outcome]} | {_cell(public)} |"
            )
        if left:
            out += ["", more_line(left, "answer uses", "each is a flag in `shortlist rank --format json`")]
    if problems:
        from engine.catalog.answers import not_used

        gone = not_used(problems, {f.source or f.file for f in files})
        out += [
            "",
            "### Answer files not used",
            "",
            "These answer files (or workbook sheets) were given but contributed nothing: each problem "
            "below refused them. Fix them and run again to use their answers.",
            "",
        ]
        out += [
            f"- {_cell(name)}: "
            + (
                f"{len(sheets)} sheet(s) not used ({', '.join(_cell(x) for x in sheets)})"
                if sheets
                else "not used"
            )
            for name, sheets in gone.items()
        ]
        shown_p, left_p = cut(list(problems), ROWS)
        out += ["", "| file | line | problem | field | message |", "|---|---:|---|---|---|"]
        out += [
            f"| {_cell(i.file or '–')} | {i.line or '–'} | {markdown_code(i.code)} | "
            f"{_cell(i.field) if i.field else '–'} | {_cell(i.message)} |"
            for i in shown_p
        ]
        if left_p:
            out += ["", more_line(left_p, "problems", "each is printed by `shortlist rank` on stderr")]
    return out


def decision_record(
    ranking: Ranking,
    priorities: PrioritiesFile,
    *,
    input_digests: Mapping[str, str],
    version: str,
    robustness: SensitivityReport | None = None,
    top: int | None = None,
    answer_files: Sequence[AnswerFile] = (),
    answer_uses: Sequence[AnswerUse] = (),
    answer_problems: Sequence[Issue] = (),
) -> str:
    """Render the decision record as Markdown.

    Parameters
    ----------
    ranking : Ranking
    priorities : PrioritiesFile
        The priorities the ranking used (must-haves, workload).
    input_digests : mapping
        Input file name → SHA-256 hex digest (vendor profiles, criteria, exchange
        rates, priorities); listed sorted by name.
    version : str
        The tool version.
    robustness : SensitivityReport, optional
        Adds the rank acceptability of the leading offerings, the stability interval
        of each weight and the Pareto front.
    answer_files, answer_uses : sequence, optional
        The vendors' answers the catalog was given (:attr:`engine.catalog.loading.Catalog.answer_files`,
        ``answer_uses``): a ``Vendors' answers`` section lists which values came from
        which answer file, and every conflict with a public fact.
    answer_problems : sequence of Issue, optional
        The problems of the answer files (or workbook sheets) given but not used
        (:attr:`engine.catalog.loading.Catalog.answer_problems`): the section lists each
        such file with its problems, and the Inputs list marks it ``not used``.
    top : int, optional
        Rank rows to list (default: at most :data:`engine.reports.summarise.ROWS`). The
        excluded offerings, the Pareto front and the dominated offerings are listed
        up to :data:`~engine.reports.summarise.ROWS` and :data:`~engine.reports.summarise.LIST_ITEMS`
        too, the rest counted, so the record grows with the number of input files
        only (well under 1 MB at 5,000 offerings); the complete lists are in
        ``shortlist rank --format json`` and ``shortlist sensitivity --format json`` of
        the same inputs.

    Returns
    -------
    str
        Markdown, ending with a newline.
    """
    day = ranking.on_date
    lines = [
        f"# Decision record: {_cell(ranking.priorities_name)}",
        "",
        f"- Date (prices in force): {day.isoformat()}",
        f"- Tool: Shortlist {version}",
        f"- Method: {ranking.method}",
        f"- Currency: {ranking.currency}; workload {priorities.workload.input_tokens_per_month:,.0f} input and "
        f"{priorities.workload.output_tokens_per_month:,.0f} output tokens per month, answers of "
        f"{priorities.workload.answer_tokens:,.0f} tokens",
        f"- Inputs digest (SHA-256 of inputs and settings): `{ranking.inputs_digest}`",
        "",
        "## Weights",
        "",
        "| criterion | weight | known for |",
        "|---|---:|---:|",
    ]
    cov = {cv.criterion: cv for cv in ranking.coverage}
    lines += [
        f"| {_cell(c)} | {100 * w:.1f} % | "
        + (f"{cov[c].known} of {cov[c].ranked} ranked" if c in cov else "–")
        + " |"
        for c, w in ranking.weights.items()
        if w > 0
    ]
    zero = [c for c, w in ranking.weights.items() if w == 0]
    if zero:
        lines += ["", f"Not weighted: {_cell(', '.join(zero))}."]
    lines += ["", "## Must-haves", ""]
    if priorities.requirements:
        for q in priorities.requirements:
            unknown = " (unknown allowed)" if q.allow_unknown else ""
            value = ", ".join(map(str, q.value)) if isinstance(q.value, (list, tuple)) else q.value
            said = f": {_cell(q.message)}" if q.message else ""
            lines.append(f"- **{_cell(q.id)}**{said} — {markdown_code(f'{q.field} {q.op} {value}')}{unknown}")
    else:
        lines.append("None.")
    held = priorities.buyer_certifications
    if held is not None or any(q.field == "certifications" for q in priorities.requirements):
        said = "not declared" if held is None else (_cell(", ".join(held)) or "none")
        lines += ["", f"Certifications of the buyer's own infrastructure (self-hosted offerings): {said}."]
    ranked = list(ranking.ranked)
    ranked, unlisted = cut(ranked, top if top is not None else ROWS)
    lines += [
        "",
        "## Ranking",
        "",
        *(f"> **Warning:** {_cell(x)}\n" for x in ranking.warnings),
        "| rank | offering | vendor | score | data as of | age (days) |",
        "|---:|---|---|---:|---|---:|",
    ]
    for r in ranked:
        assert r.score is not None
        lines.append(
            f"| {r.rank} | {_cell(r.offering_id)} | {_cell(r.vendor)} | {r.score:.2f} | "
            f"{r.as_of.isoformat()} | {(day - r.as_of).days} |"
        )
    if unlisted:
        lines += ["", more_line(unlisted, "ranked offerings", _ALL_RANKED)]
    flagged = [(r, [x for x in r.reasons]) for r in ranked if r.reasons]
    if flagged:
        lines += ["", "Flags:", ""]
        lines += [f"- {_cell(r.offering_id)}: {_cell(flag_text(fl, _STALE_BELOW))}" for r, fl in flagged]
    lines += _evidence_section(ranking, ranked)
    if ranking.weights.get("sovereignty", 0.0) > 0 or any(
        q.requirement_id.startswith("seal") for r in ranked for q in r.requirements
    ):
        lines += _sovereignty_section(ranking, ranked)
    lines += _unknowns_section(ranking, priorities, ranked)
    lines += ["", f"## Excluded ({len(ranking.excluded)})", ""]
    if ranking.excluded:
        lines += [
            excluded_summary(ranking.excluded) + ". An *evidence gap* is an exclusion on unknown facts only.",
            "",
            "| offering | vendor | excluded as | data as of | reasons |",
            "|---|---|---|---|---|",
        ]
        excluded, left = cut(ranking.excluded)
        lines += [
            f"| {_cell(r.offering_id)} | {_cell(r.vendor)} | {r.exclusion} | {r.as_of.isoformat()} "
            f"| {_cell(flag_text(r.reasons, _STALE_BELOW))} |"
            for r in excluded
        ]
        if left:
            lines += ["", more_line(left, "excluded offerings", _ALL_RANKED)]
    else:
        lines.append("None.")
    lines += _stale_section(ranking, [*ranked, *ranking.excluded])
    lines += _answers_section(answer_files, answer_uses, answer_problems)
    if robustness is not None:
        p, acc = robustness.problem, robustness.acceptability
        lines += [
            "",
            "## Robustness",
            "",
            f"{acc.samples:,} weight samples (seed {acc.seed}"
            + (f", concentration {acc.concentration:g}" if acc.concentration is not None else "")
            + "); share of samples at rank 1 and the holistic acceptability:",
            "",
            "| offering | rank 1 | holistic |",
            "|---|---:|---:|",
        ]
        order = sorted(range(p.n), key=lambda i: (-acc.acceptability[i, 0], p.offering_ids[i]))
        for i in order[:5]:
            lines.append(
                f"| {_cell(p.offering_ids[i])} | {100 * acc.acceptability[i, 0]:.1f} % | {100 * acc.holistic[i]:.1f} |"
            )
        lines += [
            "",
            f"Weight range in which {_cell(p.offering_ids[0])} stays first (others rescaled in proportion):",
            "",
            "| criterion | weight | leader holds |",
            "|---|---:|---|",
        ]
        lines += [
            f"| {_cell(s.criterion)} | {100 * s.weight:.1f} % | {100 * s.first_low:.1f} – {100 * s.first_high:.1f} % |"
            for s in robustness.stability
        ]
        dom = robustness.dominance
        lines += [
            "",
            f"Pareto front ({len(dom.pareto_front):,}): {_cell(names(dom.pareto_front, LIST_ITEMS))}.",
        ]
        if dom.dominated_by:
            dominated, left = cut(list(dom.dominated_by.items()), LIST_ITEMS)
            lines.append(
                f"Dominated ({len(dom.dominated_by):,}): "
                + "; ".join(f"{_cell(b)} by {_cell(names(a))}" for b, a in dominated)
                + (f"; {more_line(left, 'dominated offerings', _ALL_DOMINATED)}" if left else "")
                + "."
            )
    if ranking.notes:
        lines += ["", "## Notes", ""]
        lines += [f"- {_cell(n)}" for n in ranking.notes]
    lines += ["", "## Inputs", "", "| file | SHA-256 |", "|---|---|"]
    unused: dict[str, tuple[str, ...]] = {}
    if answer_problems:
        from engine.catalog.answers import not_used

        unused = not_used(answer_problems, {f.source or f.file for f in answer_files})
    for name, d in sorted(input_digests.items()):
        mark = ""
        if name in unused:  # read, but refused: the Vendors' answers section says why
            n = len(unused[name])
            mark = f" (not used: {n} sheet(s))" if n else " (not used)"
        lines.append(f"| {_cell(name)}{mark} | `{d}` |")
    return "\n".join(lines) + "\n"

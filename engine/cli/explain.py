"""``shortlist explain``: one offering's scores, what excluded it, and how robust its rank is."""

from __future__ import annotations

import argparse
import json
from typing import TextIO

import numpy as np
from numpy.typing import NDArray

from engine.catalog.schema import PrioritiesFile
from engine.cli.common import _load, _print_issues, _write
from engine.errors import InputError, Issue, suggest
from engine.mcda.scoring import EVIDENCE_GAP, FAILS, Ranking
from engine.mcda.unknowns import RankRange, describe, range_dict, range_sentence, ranges_of
from engine.reports.escape import json_text, terminal, terminal_block
from engine.reports.export import ranking_dict
from engine.reports.sovereignty import sovereignty_lines


def explain_text(ranking: Ranking, offering_id: str) -> str:
    """Plain-text explanation of one offering: values (with the evidence grade each
    rests on, in brackets), utilities, contributions, must-haves and the gap to the
    leader per criterion; the ranking's coverage warnings under the heading."""
    row = ranking.row(offering_id)
    leader = ranking.ranked[0] if ranking.ranked else None
    t = terminal  # input text stays on its line, controls made visible
    lines = [f"{t(row.offering_id)} — {t(row.offering)} ({t(row.vendor)})"]
    if row.status == "ranked":
        assert row.score is not None
        lines.append(
            f"Rank {row.rank} of {len(ranking.ranked)} · score {row.score:.2f} / 100 · priorities: {t(ranking.priorities_name)}"
        )
    else:
        why = (
            "fails a must-have"
            if row.exclusion == FAILS
            else "evidence gap: only unknown facts keep it out"
            if row.exclusion == EVIDENCE_GAP
            else "excluded"
        )
        lines.append(f"Excluded under priorities: {t(ranking.priorities_name)} ({why})")
    lines.append(
        f"Data as of {row.as_of.isoformat()} · prices on {ranking.on_date.isoformat()} · source file {row.file}"
    )
    if leader is not None and row.status == "ranked":
        lines.append(
            f"Leader: {leader.offering_id} (score {leader.score:.2f}); 'leader' and 'gap' are its "
            + (
                "points"
                if ranking.method == "weighted-sum"
                else f"utilities ({ranking.method} has no points)"
            )
            + " and yours minus its"
        )
    lines.extend(f"Warning: {t(x)}" for x in ranking.warnings)
    lines.append("")
    head = f"{'criterion':<16}{'weight':>7}  {'value':<30}{'utility':>8}{'points':>8}"
    if leader is not None and row.status == "ranked":
        head += f"{'leader':>8}{'gap':>8}"
    lines.append(head)
    for c in ranking.criteria:
        cell = row.cells[c.id]
        if cell.value is None:
            shown = "unknown"
        elif isinstance(cell.value, str):
            shown = t(cell.value)
        else:
            num = f"{cell.value:,.0f}" if abs(cell.value) >= 10_000 else f"{cell.value:,.4g}"
            unit = f"{ranking.currency}/month" if c.id == "monthly_cost" else c.unit
            shown = f"{num} {unit}"
        u = "-" if cell.utility is None else f"{cell.utility:.3f}"
        pts = "-" if cell.contribution is None else f"{cell.contribution:.2f}"
        line = f"{c.id:<16}{ranking.weights[c.id] * 100:>6.1f}%  {shown:<30}{u:>8}{pts:>8}"
        if leader is not None and row.status == "ranked":
            # under a non-additive method (no points) compare utilities instead
            mine, lead = cell.contribution, leader.cells[c.id].contribution
            if mine is None or lead is None:
                mine, lead = cell.utility or 0.0, leader.cells[c.id].utility or 0.0
            line += f"{lead:>8.2f}{mine - lead:>+8.2f}"
        if cell.imputed:
            line += "  (imputed worst)"
        elif cell.evidence:
            line += f"  [{cell.evidence}]"
        lines.append(line)
    if row.requirements:
        lines.append("")
        lines.append("Must-haves:")
        for q in row.requirements:
            lines.append(f"  [{q.outcome}] {t(q.reason)}")
    if row.sovereignty is not None:
        lines.append("")
        lines.extend(t(x) for x in sovereignty_lines(row.sovereignty))
    if row.reasons:
        lines.append("")
        lines.append("Flags and reasons:")
        lines.extend(f"  - {t(r)}" for r in row.reasons)
    if leader is not None and row.status == "ranked" and leader.offering_id != row.offering_id:
        assert leader.score is not None and row.score is not None
        lines.append("")
        lines.append(f"Gap to the leader {leader.offering_id}: {row.score - leader.score:+.2f} points")
    if ranking.notes:
        lines.append("")
        lines.extend(f"Note: {t(n)}" for n in ranking.notes)
    return terminal_block("\n".join(lines) + "\n")


def robustness_text(ranking: Ranking, offering_id: str, priorities: PrioritiesFile) -> str:
    """Plain-text robustness of one ranked offering: its rank acceptability (SMAA-2
    with the priorities' ``robustness`` settings), the weight interval in which it
    keeps its rank, and what it would take to rank first (weights and price)."""
    from engine.mcda.sensitivity.report import sensitivity_with
    from engine.mcda.sensitivity.stability import rank_stability
    from engine.mcda.sensitivity.what_it_takes import what_would_it_take

    row = ranking.row(offering_id)
    if row.status != "ranked":
        return "\nRobustness: not analysed, the offering is excluded.\n"
    rob = priorities.robustness
    report = sensitivity_with(ranking, rob)
    problem, acc = report.problem, report.acceptability
    order = acc.order
    a = acc.acceptability[acc.offering_ids.index(offering_id)]
    top = acceptability_text(a)
    how = (
        f"concentration {rob.concentration:g}"
        if order is None
        else "uniform within the order " + " > ".join(order)
    )
    lines = [
        "",
        f"Robustness ({acc.samples:,} weight samples around your weights, {how}, seed {acc.seed}):",
        f"  rank acceptability: {top}",
        "",
        f"Weight range in which it stays at rank {row.rank} (others rescaled in proportion):",
    ]
    for c, (lo, hi) in rank_stability(problem, offering_id).items():
        w = problem.weights[problem.criteria.index(c)]
        lines.append(f"  {c:<16}{100 * w:>6.1f}%   {100 * lo:.1f}% – {100 * hi:.1f}%")
    wit = what_would_it_take(problem, offering_id, dict(rob.weight_bounds))
    lines += ["", "What would it take to rank first:"]
    lines.append(f"  weights: {terminal(wit.message)}")
    lines.append(f"  price:   {terminal(wit.price_message)}")
    return terminal_block("\n".join(lines) + "\n")


ACCEPTABILITY_SHOWN = 6
"""At most this many ranks are named in ``explain``'s rank acceptability line."""


def acceptability_text(a: NDArray[np.float64]) -> str:
    """One offering's rank acceptability as text, **ordered by rank**.

    Parameters
    ----------
    a : ndarray of shape (n,)
        The shares (0–1) of weight samples in which the offering takes rank 1 … n.

    Returns
    -------
    str
        ``rank 1: 12.0%, rank 2: 80.5%, rank 3: 7.5%``: every rank whose share shows as
        at least 0.1%, in rank order. When more than :data:`ACCEPTABILITY_SHOWN` ranks
        do, the largest of them are named (still in rank order) and the rest summed as
        ``other ranks: 0.4%``.
    """
    shown = [r for r in range(len(a)) if round(100 * float(a[r]), 1) > 0]
    if len(shown) > ACCEPTABILITY_SHOWN:
        biggest = sorted(shown, key=lambda r: (-float(a[r]), r))[:ACCEPTABILITY_SHOWN]
        rest = sum(float(a[r]) for r in range(len(a)) if r not in biggest)
        shown = sorted(biggest)
        return ", ".join(
            [*(f"rank {r + 1}: {100 * a[r]:.1f}%" for r in shown), f"other ranks: {100 * rest:.1f}%"]
        )
    return ", ".join(f"rank {r + 1}: {100 * a[r]:.1f}%" for r in shown)


def unknowns_text(rr: RankRange, cut: int) -> str:
    """Plain-text "Which unknowns matter" of one offering: its rank range over its
    unknown facts and, for each unknown (most decisive first), its rank if answered at
    the best and at the worst, saying which cannot cross the top-``cut`` cut."""
    lines = [
        "",
        f"Which unknowns matter (shortlist cut: top {cut}; one offering at a time, the others as they are):",
    ]
    lines.append(f"  {range_sentence(rr)}")
    lines.extend(f"  - {terminal(describe(u, cut))}" for u in rr.unknowns)
    if rr.unknowns:
        lines.append(
            "  (best: utility 1 on that criterion, or the must-have passes; worst: utility 0, today's imputation,"
            " or it fails)"
        )
    return terminal_block("\n".join(lines) + "\n")


def explain_json(ranking: Ranking, offering_id: str, rr: RankRange, cut: int) -> bytes:
    """One offering's explanation as JSON: its ranking entry (as ``rank --format json``
    gives it) and its rank range over its unknowns."""
    whole = ranking_dict(ranking)
    entry = next(o for o in whole["offerings"] if o["offering_id"] == offering_id)
    keep = ("schema_version", "priorities", "method", "on_date", "currency", "weights", "notes", "warnings")
    doc = {k: whole[k] for k in keep} | {"offering": entry, "rank_range": range_dict(rr, cut)}
    text = json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False)
    return (json_text(text) + "\n").encode("utf-8")


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    loaded = _load(args)
    catalog, priorities, ranking = loaded.catalog, loaded.priorities, loaded.ranking
    try:
        text = explain_text(ranking, args.offering_id)
    except KeyError:
        hint = suggest(args.offering_id, [r.offering_id for r in ranking.rows])
        broken = (
            f" ({len(catalog.issues)} vendor file problem(s) above: it may be in a file that did not load)"
            if catalog.issues
            else ""
        )
        raise InputError(
            [
                *catalog.issues,
                Issue(
                    "usage.invalid",
                    f"no offering {args.offering_id!r}{hint or ' (shortlist rank lists the offering ids)'}{broken}",
                ),
            ]
        ) from None
    cut = priorities.robustness.top_k
    rr = ranges_of(ranking, priorities, cut=cut)[args.offering_id]
    if getattr(args, "format", "text") == "json":
        _write(explain_json(ranking, args.offering_id, rr, cut), getattr(args, "output", None), out)
    else:
        out.write(text + unknowns_text(rr, cut) + robustness_text(ranking, args.offering_id, priorities))
    if catalog.issues:
        _print_issues(catalog.issues, err)
        return 2
    return 0

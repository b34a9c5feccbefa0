"""What a change to the catalog does to the ranking and to the policy findings.

``shortlist diff`` ranks (and checks) two versions of the catalog — a git revision
against the working tree, or two vendor directories — under the same priorities (and
policy), and renders the difference as Markdown fit for a pull-request comment.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.mcda.scoring import Ranking
from engine.policy.rules import Check, PolicyReport
from engine.reports.escape import markdown as md
from engine.reports.escape import markdown_code
from engine.reports.summarise import cut, more_line

__all__ = ["OfferingChange", "RankingDiff", "diff_markdown", "diff_policy", "diff_rankings"]


@dataclass(frozen=True)
class OfferingChange:
    """One offering's place in the base and in the head ranking.

    ``rank``/``score`` are ``None`` when the offering is excluded or absent on that
    side; ``status`` is ``ranked``, ``excluded`` or ``absent``.
    """

    offering_id: str
    base_status: str
    head_status: str
    base_rank: int | None
    head_rank: int | None
    base_score: float | None
    head_score: float | None

    @property
    def changed(self) -> bool:
        """True when the status, the rank or the score (beyond 0.005 points) changed."""
        if (self.base_status, self.base_rank) != (self.head_status, self.head_rank):
            return True
        if self.base_score is None or self.head_score is None:
            return self.base_score != self.head_score
        return abs(self.base_score - self.head_score) >= 0.005


@dataclass(frozen=True)
class RankingDiff:
    """The difference between two rankings of the same priorities."""

    base_leader: str | None
    head_leader: str | None
    changes: tuple[OfferingChange, ...]

    @property
    def changed(self) -> tuple[OfferingChange, ...]:
        return tuple(c for c in self.changes if c.changed)


def _state(r: Ranking, oid: str) -> tuple[str, int | None, float | None]:
    try:
        row = r.row(oid)
    except KeyError:
        return "absent", None, None
    return row.status, row.rank, row.score


def diff_rankings(base: Ranking, head: Ranking) -> RankingDiff:
    """Compare two rankings offering by offering.

    Returns
    -------
    RankingDiff
        Changes in head order (ranked, then excluded), then offerings only in base.
    """
    order = [r.offering_id for r in head.rows] + sorted(
        {r.offering_id for r in base.rows} - {r.offering_id for r in head.rows}
    )
    changes = []
    for oid in order:
        bs, br, bsc = _state(base, oid)
        hs, hr, hsc = _state(head, oid)
        changes.append(OfferingChange(oid, bs, hs, br, hr, bsc, hsc))
    return RankingDiff(_leader(base), _leader(head), tuple(changes))


def _leader(r: Ranking) -> str | None:
    return r.ranked[0].offering_id if r.ranked else None


def _key(c: Check) -> tuple[str, str | None, str]:
    return (c.rule_id, c.offering_id, c.code)


def diff_policy(base: PolicyReport, head: PolicyReport) -> tuple[tuple[Check, ...], tuple[Check, ...]]:
    """Findings new in head, and findings of base that head no longer has."""
    b = {_key(c) for c in base.findings}
    h = {_key(c) for c in head.findings}
    new = tuple(c for c in head.findings if _key(c) not in b)
    resolved = tuple(c for c in base.findings if _key(c) not in h)
    return new, resolved


def _place(status: str, rank: int | None, score: float | None) -> str:
    if status == "ranked":
        return f"#{rank} ({score:.2f})"
    return status


def diff_markdown(
    ranking_diff: RankingDiff,
    *,
    base_label: str,
    head_label: str,
    priorities_name: str,
    policy: tuple[PolicyReport, PolicyReport] | None = None,
    fail_on: str = "deny",
) -> str:
    """Render the difference as Markdown (GitHub-flavoured tables): at most
    :data:`engine.reports.summarise.ROWS` changed offerings and findings of each kind, the rest
    counted (a pull-request comment holds 65,536 characters).

    ``base_label`` and ``head_label`` (a git revision, a directory, ``working tree``)
    are plain text, shown as code; every input text (labels, names, ids, messages,
    file names) is escaped (:mod:`engine.reports.escape`), so none renders as a link, an
    image, HTML, a mention or a table row of its own.
    """
    d = ranking_diff
    base_label, head_label = markdown_code(base_label), markdown_code(head_label)
    lines = [f"## Shortlist: {base_label} → {head_label}", "", f"Priorities: **{md(priorities_name)}**."]
    if d.base_leader != d.head_leader:
        lines.append(
            f"**The leader changes: {md(d.base_leader or '(none)')} → {md(d.head_leader or '(none)')}.**"
        )
    else:
        lines.append(f"The leader stays {md(d.head_leader or '(none)')}.")
    changed = d.changed
    lines.append("")
    if changed:
        lines += [
            f"### Ranking: {len(changed)} offering(s) changed",
            "",
            f"| offering | {base_label} | {head_label} | score Δ |",
            "|---|---|---|---:|",
        ]
        listed, left = cut(changed)
        for c in listed:
            delta = (
                f"{c.head_score - c.base_score:+.2f}"
                if c.head_score is not None and c.base_score is not None
                else "–"
            )
            lines.append(
                f"| {md(c.offering_id)} | {_place(c.base_status, c.base_rank, c.base_score)} | "
                f"{_place(c.head_status, c.head_rank, c.head_score)} | {delta} |"
            )
        if left:
            lines += [
                "",
                more_line(left, "changed offerings", "compare `shortlist rank --format json` of each side"),
            ]
    else:
        lines.append("### Ranking: no change")
    if policy is not None:
        base_rep, head_rep = policy
        new, resolved = diff_policy(base_rep, head_rep)
        verdict = "fails" if head_rep.failing(fail_on) else "passes"
        lines += ["", f"### Policy {md(head_rep.policy_name)}: {verdict} at '{fail_on}' on {head_label}", ""]
        if not new and not resolved:
            lines.append("No finding added or resolved.")
        for title, items in (("New findings", new), ("Resolved findings", resolved)):
            if items:
                lines += [f"**{title} ({len(items)})**", ""]
                shown, left = cut(items)
                for f in shown:
                    where = f" ({markdown_code(f'{f.file}:{f.line}')})" if f.file and f.line else ""
                    lines.append(
                        f"- {f.severity.upper()} {md(f.rule_id)} · {md(f.offering_id or '')}: {md(f.message)}{where}"
                    )
                if left:
                    lines.append(
                        f"- {more_line(left, 'findings', '`shortlist check --format json` lists all')}"
                    )
                lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"

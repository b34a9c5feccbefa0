"""From the members' submissions to the committee's result: group priorities, consensus,
dissent and the rankings each member's priorities give.

Pure (no database, no I/O): :func:`member_payload` checks and normalises one submission
before it is stored; :func:`committee_result` computes the result stored at the close
from the members' latest submissions and the decision's catalog snapshot, with
:mod:`engine.mcda.group` (its docstring gives the methods' sources):

- **Group priorities**: ``aij`` (aggregation of individual judgements, the weighted
  geometric mean of the members' AHP matrices, then Saaty's eigenvector) when every
  member gave an AHP matrix, else ``aip-arithmetic`` (weighted arithmetic mean of the
  members' weight vectors); ``aip-geometric`` on request. Member weights λ as invited
  (equal by default). Forman & Peniwati 1998: AIJ when the committee acts as one unit,
  AIP when its members act as individuals.
- **Consensus**: Goepel's AHP consensus ``S*`` (and relative homogeneity ``S``) over
  the members' priority vectors when they all come from AHP matrices (the measure is
  defined on Saaty's 1–9 scale); Kendall's ``W`` over the rankings of the offerings that
  each member's own weights give; per criterion, the spread of the members' weights
  with the outlying members named (Tukey's fences).
- **Each member's ranking** over the offerings the group ranking ranks (the decision's
  must-haves and catalog are the same for everyone, so the gate is the group's),
  scored by the decision's method with that member's weights.
- **Robustness over the committee**: rank acceptability of first place over the
  members' own weight vectors (which offering wins for how many members, and for whom
  not) and over their convex hull (:data:`HULL_SAMPLES` convex combinations with
  uniform Dirichlet coefficients, seed :data:`HULL_SEED`: the same result every time).

Reason codes: ``committee.invalid_submission``, ``committee.invalid_aggregation``,
``committee.catalog_changed``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from engine.catalog.loading import Catalog, CriteriaCatalog
from engine.catalog.schema import PrioritiesFile
from engine.errors import InputError, Issue
from engine.mcda.aggregation import aggregate, competition_ranks
from engine.mcda.elicitation import ahp_weights, parse_order, roc_weights
from engine.mcda.group import (
    aggregate_judgements,
    aggregate_priorities,
    ahp_consensus,
    kendall_w,
    member_weights,
    weight_spread,
)
from engine.mcda.scoring import rank
from engine.mcda.sensitivity.problem import DecisionProblem

__all__ = [
    "AGGREGATIONS",
    "HULL_SAMPLES",
    "HULL_SEED",
    "committee_result",
    "member_payload",
    "member_vector",
    "snapshot_changes",
]

AGGREGATIONS = ("auto", "aij", "aip-arithmetic", "aip-geometric")
"""``auto``: ``aij`` when every member gave an AHP matrix, else ``aip-arithmetic``."""
HULL_SAMPLES = 2000
"""Convex combinations of the members' weight vectors sampled for the hull's acceptability."""
HULL_SEED = 17
"""Seed of those samples (fixed: the result is reproducible)."""


def _bad(message: str, field: str) -> InputError:
    return InputError.single("committee.invalid_submission", message, field=field)


def member_payload(
    kind: str,
    criteria: Sequence[str],
    *,
    weights: Mapping[str, float] | None = None,
    order: str | None = None,
    ahp_criteria: Sequence[str] | None = None,
    matrix: Sequence[Sequence[float]] | None = None,
) -> dict[str, Any]:
    """Check one submission against the decision's criteria and return what is stored.

    Parameters
    ----------
    kind : {"weights", "order", "ahp"}
    criteria : sequence of str
        The decision's criteria (the only ones a member weighs).
    weights : mapping, for ``weights``
        Criterion → weight ≥ 0 on any scale (normalised here); criteria not named get 0.
    order : str, for ``order``
        ``"a > b > c"``: rank-order centroid weights (:func:`engine.mcda.elicitation.roc_weights`);
        criteria not named get 0.
    ahp_criteria, matrix : for ``ahp``
        A pairwise comparison matrix over exactly the decision's criteria (any order).

    Returns
    -------
    dict
        JSON-ready: what the member gave (``weights``, ``order`` or ``ahp``) and
        ``derived``, the normalised weights over ``criteria`` in their order.

    Raises
    ------
    InputError
        ``committee.invalid_submission``, or the elicitation codes of
        :mod:`engine.mcda.elicitation` (unknown criterion, bad matrix).
    """
    ids = list(criteria)
    if kind == "weights":
        given = dict(weights or {})
        issues = []
        for c, w in given.items():
            if c not in ids:
                issues.append(
                    Issue(
                        "committee.invalid_submission",
                        f"{c!r} is not a criterion of this decision ({', '.join(ids)})",
                        field=f"weights.{c}",
                    )
                )
            elif isinstance(w, bool) or not isinstance(w, (int, float)) or not math.isfinite(w) or w < 0:
                issues.append(
                    Issue(
                        "committee.invalid_submission",
                        f"expected a finite weight ≥ 0 for {c!r}, found {w!r}",
                        field=f"weights.{c}",
                    )
                )
        if issues:
            raise InputError(issues)
        total = math.fsum(float(given.get(c, 0.0)) for c in ids)
        if total <= 0:
            raise _bad("at least one criterion needs a weight above 0", "weights")
        raw = {c: float(given[c]) for c in ids if c in given}
        derived = [float(given.get(c, 0.0)) / total for c in ids]
        return {"weights": raw, "derived": derived}
    if kind == "order":
        parsed = parse_order(order or "", ids, field="weight_order")
        roc = roc_weights(parsed)
        return {"order": list(parsed), "derived": [roc.get(c, 0.0) for c in ids]}
    if kind == "ahp":
        names = list(ahp_criteria or [])
        if sorted(names) != sorted(ids) or len(set(names)) != len(names):
            raise _bad(
                f"an AHP matrix must compare exactly the decision's criteria ({', '.join(ids)}), "
                f"found {', '.join(names) or 'none'}",
                "ahp.criteria",
            )
        res = ahp_weights(names, [list(r) for r in (matrix or [])], field="ahp", criteria_ids=ids)
        pos = [names.index(c) for c in ids]
        m = [[float((matrix or [])[i][j]) for j in pos] for i in pos]  # in the decision's order
        out: dict[str, Any] = {
            "ahp": {"criteria": ids, "matrix": m},
            "consistency_ratio": res.consistency_ratio,
            "derived": [res.weights[c] for c in ids],
        }
        if res.warning is not None:  # accepted, as `shortlist rank` accepts it, but said
            out["consistency_warning"] = res.warning
        return out
    raise _bad(f"expected weights, an order or an AHP matrix, found {kind!r}", "kind")


def member_vector(payload: Mapping[str, Any], n: int) -> np.ndarray[Any, np.dtype[np.float64]]:
    """The stored normalised weights of a submission, shape ``(n,)``."""
    v = np.asarray(payload["derived"], dtype=np.float64)
    if v.shape != (n,):
        raise ValueError(f"a stored submission has {v.shape} weights, expected {n}")
    return v


def snapshot_changes(fixed: Mapping[str, str], now: Mapping[str, str]) -> list[str]:
    """What differs between the decision's catalog snapshot and the files now: one line
    per file added, removed or changed (by name, sorted); empty when nothing did."""
    out = []
    for name in sorted(set(fixed) | set(now)):
        if name not in now:
            out.append(f"{name}: removed")
        elif name not in fixed:
            out.append(f"{name}: added")
        elif fixed[name] != now[name]:
            out.append(f"{name}: changed (SHA-256 {fixed[name][:12]}… → {now[name][:12]}…)")
    return out


def _num(x: float) -> float | None:
    """JSON has no NaN: an undefined figure is stored as null."""
    return float(x) if math.isfinite(x) else None


def committee_result(
    *,
    criteria_ids: Sequence[str],
    method: str,
    submissions: Sequence[tuple[str, str, int, Mapping[str, Any]]],
    weights: Mapping[str, float],
    catalog: Catalog,
    criteria: CriteriaCatalog,
    priorities: PrioritiesFile,
    aggregation: str = "auto",
) -> tuple[str, dict[str, Any]]:
    """The committee's result from its members' latest submissions.

    Parameters
    ----------
    criteria_ids : sequence of str, length n
        The decision's criteria.
    method : str
        The decision's aggregation method of the scores (``weighted-sum`` …).
    submissions : sequence of (member, kind, revision, payload)
        Each submitting member's latest submission (payloads from :func:`member_payload`).
    weights : mapping
        Member → weight λ (> 0); members absent from ``submissions`` are ignored.
    catalog, criteria, priorities :
        The decision's catalog snapshot, criteria and base priorities (must-haves).
    aggregation : {"auto", "aij", "aip-arithmetic", "aip-geometric"}

    Returns
    -------
    (str, dict)
        The aggregation used and the JSON-ready result (see the module docstring).

    Raises
    ------
    InputError
        ``committee.invalid_aggregation`` (``aij`` without every member's AHP matrix, an
        unknown name, a geometric mean with every criterion zeroed by someone), or the
        ranking's own errors.
    """
    ids = list(criteria_ids)
    n = len(ids)
    names = [s[0] for s in submissions]
    kinds = [s[1] for s in submissions]
    W = np.vstack([member_vector(s[3], n) for s in submissions])
    lam = member_weights(len(names), [float(weights.get(m, 1.0)) for m in names])
    all_ahp = all(k == "ahp" for k in kinds)
    if aggregation not in AGGREGATIONS:
        raise InputError.single(
            "committee.invalid_aggregation",
            f"expected one of {', '.join(AGGREGATIONS)}, found {aggregation!r}",
            field="aggregation",
        )
    used = ("aij" if all_ahp else "aip-arithmetic") if aggregation == "auto" else aggregation
    extra: dict[str, Any] = {}
    if used == "aij":
        if not all_ahp:
            without = [m for m, k in zip(names, kinds, strict=True) if k != "ahp"]
            raise InputError.single(
                "committee.invalid_aggregation",
                "aij aggregates AHP matrices, and these members gave none: " + ", ".join(without),
                field="aggregation",
            )
        mats = np.array([s[3]["ahp"]["matrix"] for s in submissions], dtype=np.float64)
        group_matrix = aggregate_judgements(mats, lam)
        res = ahp_weights(ids, group_matrix.tolist())
        g = np.array([res.weights[c] for c in ids], dtype=np.float64)
        extra = {"group_matrix": group_matrix.tolist(), "group_consistency_ratio": res.consistency_ratio}
    else:
        try:
            g = aggregate_priorities(W, lam, mean=used.removeprefix("aip-"))
        except ValueError as exc:
            raise InputError.single("committee.invalid_aggregation", str(exc), field="aggregation") from None

    group_weights = {c: float(x) for c, x in zip(ids, g, strict=True)}
    full = {c: group_weights.get(c, 0.0) for c in criteria.ids()}
    ranking = rank(catalog, criteria, priorities, weights=full, method=method)
    ranked = ranking.ranked
    excluded = [
        {"offering_id": r.offering_id, "reasons": list(r.reasons)}
        for r in sorted(ranking.excluded, key=lambda r: r.offering_id)
    ]
    offerings: list[str] = [r.offering_id for r in ranked]
    labels = {r.offering_id: f"{r.vendor} {r.offering}" for r in ranked}
    member_rows: list[dict[str, Any]] = []
    group_rows: list[dict[str, Any]] = []
    w_stat: float | None = None
    first_members: dict[str, list[str]] = {o: [] for o in offerings}
    hull: dict[str, float] = {}
    if offerings:
        problem = DecisionProblem.from_ranking(ranking, criteria=ids)
        U = problem.utilities
        # the group ranking is the engine's, with the group weights (scores 0–100)
        group_ranks = np.array([int(r.rank or 0) for r in ranked], dtype=np.int64)
        member_scores = aggregate(U, W, method)  # (k, offerings), 0–1
        member_ranks = competition_ranks(member_scores)
        order = list(range(len(offerings)))  # ranked rows come in ranking order
        group_rows = [
            {
                "offering_id": r.offering_id,
                "label": labels[r.offering_id],
                "rank": int(r.rank or 0),
                "score": float(r.score or 0.0),
            }
            for r in ranked
        ]
        if len(offerings) >= 2:
            w_stat = _num(kendall_w(member_scores))
        for k, m in enumerate(names):
            firsts = [offerings[i] for i in range(len(offerings)) if member_ranks[k, i] == 1]
            for o in firsts:
                first_members[o].append(m)
            moved = [
                {
                    "offering_id": offerings[i],
                    "member_rank": int(member_ranks[k, i]),
                    "group_rank": int(group_ranks[i]),
                }
                for i in order
                if int(member_ranks[k, i]) != int(group_ranks[i])
            ]
            member_rows.append(
                {
                    "first": sorted(firsts),
                    "ranks": {offerings[i]: int(member_ranks[k, i]) for i in order},
                    "differs": moved,
                }
            )
        rng = np.random.default_rng(HULL_SEED)
        coeffs = rng.dirichlet(np.ones(len(names)), size=HULL_SAMPLES) if len(names) > 1 else np.ones((1, 1))
        hull_ranks = competition_ranks(aggregate(U, coeffs @ W, method))
        firsts_share = (hull_ranks == 1).mean(axis=0)
        hull = {offerings[i]: float(firsts_share[i]) for i in order}
    else:
        member_rows = [{"first": [], "ranks": {}, "differs": []} for _ in names]

    consensus = None
    if all_ahp and n >= 2:
        c = ahp_consensus(W)
        consensus = {"s_star": c.consensus, "homogeneity": c.homogeneity, "words": c.words}
    spread = [
        {
            "criterion": s.criterion,
            "low": s.low,
            "q1": s.q1,
            "median": s.median,
            "q3": s.q3,
            "high": s.high,
            "outliers": [names[i] for i in s.outliers],
        }
        for s in weight_spread(W, ids)
    ]
    members_out = [
        {
            "name": m,
            "weight": float(weights.get(m, 1.0)),
            "kind": kind,
            "revision": rev,
            "weights": [float(x) for x in W[k]],
            **member_rows[k],
        }
        for k, (m, kind, rev, _) in enumerate(submissions)
    ]
    winner_first = [r["offering_id"] for r in group_rows if r["rank"] == 1]
    result: dict[str, Any] = {
        "criteria": ids,
        "method": method,
        "aggregation": used,
        "group_weights": [float(x) for x in g],
        **extra,
        "members": members_out,
        "group_ranking": group_rows,
        "excluded": excluded,
        "consensus": consensus,
        "kendall_w": w_stat,
        "spread": spread,
        "acceptability": {
            "first_for_members": {o: ms for o, ms in first_members.items() if ms},
            "group_winner_not_first_for": sorted(
                m
                for m, row in zip(names, member_rows, strict=True)
                if not set(row["first"]) & set(winner_first)
            ),
            "hull_first": {o: s for o, s in hull.items() if s > 0},
            "hull_samples": HULL_SAMPLES if len(names) > 1 else 1,
            "hull_seed": HULL_SEED,
        },
        "notes": list(ranking.notes),
    }
    return used, result

"""Weight elicitation: turn a buyer's judgements into an ordinary weights mapping.

Two methods, both returning ``dict[str, float]`` (criterion id → weight, summing to 1)
that feed the additive value model like direct weights do:

- **Rank-order centroid (ROC)** from a plain ordering such as
  ``"monthly_cost > data_residency > capability"`` (Barron & Barrett 1996; Edwards &
  Barron 1994).
- **AHP** pairwise comparisons: principal right eigenvector of a positive reciprocal
  matrix, with Saaty's consistency ratio (Saaty 1980).

Input problems are collected and raised together as one :class:`~engine.errors.InputError`.
Reason codes (stable): ``elicitation.unknown_criterion``, ``elicitation.repeated_criterion``,
``elicitation.invalid_order``, ``elicitation.ahp_shape``, ``elicitation.ahp_non_positive``,
``elicitation.ahp_out_of_scale``,
``elicitation.ahp_diagonal``, ``elicitation.ahp_not_reciprocal``,
``elicitation.ahp_missing_pair``, ``elicitation.ahp_bad_key``.
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from engine.catalog.ranges import AHP_MAX
from engine.catalog.text import odd_char
from engine.errors import InputError, Issue, suggest

__all__ = [
    "CR_THRESHOLD",
    "RANDOM_INDEX",
    "AhpResult",
    "ahp_from_judgements",
    "ahp_weights",
    "check_order",
    "parse_order",
    "roc_weights",
]

#: Saaty's random consistency index RI for n = 1..15 (mean CI of random reciprocal
#: matrices on the 1/9..9 scale). n ≤ 10: Saaty, *The Analytic Hierarchy Process*, 1980;
#: n = 11..15 as commonly tabulated after Saaty (values for n > 10 differ
#: slightly between published simulations).
RANDOM_INDEX: tuple[float, ...] = (
    0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59,
)  # fmt: skip
#: Saaty's acceptance threshold for the consistency ratio.
CR_THRESHOLD = 0.1
_RTOL = 1e-6
#: Reciprocity tolerance: YAML has no fractions, so 1/3 written as 0.33 (off by 1%) must
#: pass, while a real contradiction (3 against 0.5) must not.
_RECIPROCAL_RTOL = 0.02
_SEPARATOR = re.compile(r"([<=>](?: *[<=>])*)")


def _id_issues(ids: Sequence[str], fields: Sequence[str], known: Sequence[str] | None) -> list[Issue]:
    """Unknown (when ``known`` is given) and repeated ids, one issue each."""
    issues: list[Issue] = []
    first: dict[str, int] = {}
    for pos, (cid, fld) in enumerate(zip(ids, fields, strict=True)):
        if known is not None and cid not in known:
            odd = odd_char(cid)  # a look-alike: say which character differs
            held = f" (it holds {odd})" if odd else ""
            msg = f"unknown criterion {cid!r}{held}: expected one of {', '.join(known)}{suggest(cid, known)}"
            issues.append(Issue("elicitation.unknown_criterion", msg, field=fld))
        elif cid in first:
            msg = (
                f"criterion {cid!r} appears more than once (positions {first[cid] + 1} and {pos + 1}); "
                "expected each criterion at most once"
            )
            issues.append(Issue("elicitation.repeated_criterion", msg, field=fld))
        else:
            first[cid] = pos
    return issues


def parse_order(text: str, criteria_ids: Sequence[str], *, field: str = "weight_order") -> tuple[str, ...]:
    """Parse a strict ordering ``"a > b > c"`` (most important first) into criterion ids.

    Spaces around ids and ``>`` are ignored (ASCII spaces only: a tab, a newline or a
    non-breaking space is part of the item, which then names no criterion). Ties
    (``=``) and ``<`` are not supported.

    Parameters
    ----------
    text : str
        The ordering, e.g. ``"monthly_cost > data_residency > capability"``.
    criteria_ids : sequence of str
        The known criterion ids.
    field : str
        Field path reported in every :class:`~engine.errors.Issue`.

    Returns
    -------
    tuple of str
        The ids, most important first (length k ≤ number of criteria).

    Raises
    ------
    InputError
        With all problems: ``elicitation.invalid_order`` (empty ordering, empty item,
        ``=`` or ``<`` used), ``elicitation.unknown_criterion``,
        ``elicitation.repeated_criterion``.
    """
    if not text.strip():
        raise InputError.single(
            "elicitation.invalid_order",
            "expected criteria separated by '>', most important first (e.g. 'monthly_cost > capability'), found an empty ordering",
            field=field,
        )
    parts = _SEPARATOR.split(text)
    items, raws = [p.strip(" ") for p in parts[0::2]], parts[1::2]
    issues: list[Issue] = []
    for k, raw in enumerate(raws):
        sep, found = raw.replace(" ", ""), f"found {items[k]!r} {raw.strip(' ')} {items[k + 1]!r}"
        if "=" in sep:
            msg = f"ties with '=' are not supported ({found}); order the criteria with '>' only, most important first"
        elif "<" in sep:
            msg = f"'<' is not supported ({found}); write the ordering most important first with '>' only"
        elif sep != ">":
            msg = f"expected one criterion id between each '>', but an item is empty ({found})"
        else:
            continue
        issues.append(Issue("elicitation.invalid_order", msg, field=field))
    for k, item in enumerate(items):
        if not item:
            msg = f"item {k + 1} of {text.strip()!r} is empty; expected a criterion id between each '>'"
            issues.append(Issue("elicitation.invalid_order", msg, field=field))
    names = [i for i in items if i]
    issues += _id_issues(names, [field] * len(names), criteria_ids)
    if issues:
        raise InputError(issues)
    return tuple(names)


def check_order(
    order: Sequence[str], criteria_ids: Sequence[str], *, field: str = "weight_order"
) -> tuple[str, ...]:
    """Validate an ordering given as a list of ids (most important first).

    A ``str`` is handed to :func:`parse_order`. Issue fields are ``field[i]``.

    Returns
    -------
    tuple of str
        The ids (surrounding spaces removed), most important first.

    Raises
    ------
    InputError
        Same codes as :func:`parse_order`.
    """
    if isinstance(order, str):
        return parse_order(order, criteria_ids, field=field)
    issues: list[Issue] = []
    if len(order) == 0:
        msg = "expected a list of criterion ids, most important first, found an empty list"
        issues.append(Issue("elicitation.invalid_order", msg, field=field))
    names: list[str] = []
    fields: list[str] = []
    for k, item in enumerate(order):
        if not isinstance(item, str) or not item.strip(" "):
            msg = f"expected a criterion id, found {item!r}"
            issues.append(Issue("elicitation.invalid_order", msg, field=f"{field}[{k}]"))
        else:
            names.append(item.strip(" "))
            fields.append(f"{field}[{k}]")
    issues += _id_issues(names, fields, criteria_ids)
    if issues:
        raise InputError(issues)
    return tuple(names)


def roc_weights(order: Sequence[str]) -> dict[str, float]:
    """Rank-order centroid weights for a strict ordering (most important first).

    For the criterion at position k of n (1-based):

    .. math:: w_k = \\frac{1}{n} \\sum_{i=k}^{n} \\frac{1}{i}

    e.g. n = 3 gives 0.6111, 0.2778, 0.1111. These are the centroid of the simplex
    ``w_1 ≥ w_2 ≥ … ≥ w_n ≥ 0, Σ w = 1`` (Barron & Barrett, "Decision quality using
    ranked attribute weights", *Management Science* 42(11), 1996; Edwards & Barron,
    "SMARTS and SMARTER", *OBHDP* 60(3), 1994).

    Parameters
    ----------
    order : sequence of str, length n ≥ 1
        Validated ids (see :func:`parse_order`, :func:`check_order`).

    Returns
    -------
    dict of str to float
        Weights summing to 1, strictly decreasing along ``order``. Criteria not in
        ``order`` are absent (the caller gives them 0).

    Raises
    ------
    ValueError
        When ``order`` is empty or repeats an id (validate it first).
    """
    n = len(order)
    if n == 0 or len(set(order)) != n:
        raise ValueError("roc_weights needs a non-empty ordering without repeats")
    return {cid: math.fsum(1.0 / i for i in range(k, n + 1)) / n for k, cid in enumerate(order, 1)}


@dataclass(frozen=True, slots=True)
class AhpResult:
    """Weights and consistency of one AHP pairwise comparison matrix.

    Attributes
    ----------
    weights : dict of str to float
        Principal right eigenvector, positive, normalised to sum 1.
    lambda_max : float
        Principal (Perron) eigenvalue; ≥ n, equal to n for a consistent matrix.
    consistency_index : float
        ``CI = (λ_max − n) / (n − 1)``; 0 for n ≤ 2.
    random_index : float
        Saaty's RI for n (:data:`RANDOM_INDEX`).
    consistency_ratio : float
        ``CR = CI / RI``; 0 for n ≤ 2.
    warning : str or None
        Plain-words warning when ``CR > 0.1`` (Saaty's threshold), else None.
    """

    weights: dict[str, float]
    lambda_max: float
    consistency_index: float
    random_index: float
    consistency_ratio: float
    warning: str | None


def _positive(x: object) -> float | None:
    """``float(x)`` when ``x`` is a finite real > 0, else None."""
    if isinstance(x, numbers.Real) and not isinstance(x, bool):
        f = float(x)
        if math.isfinite(f) and f > 0:
            return f
    return None


def ahp_weights(
    criteria: Sequence[str],
    matrix: Sequence[Sequence[float]],
    *,
    field: str = "ahp",
    criteria_ids: Sequence[str] | None = None,
) -> AhpResult:
    """AHP weights from a pairwise comparison matrix (Saaty's eigenvector method).

    ``a_ij`` says how many times more important criterion i is than criterion j
    (Saaty's 1–9 scale, not enforced); ``a_ii = 1`` and ``a_ji = 1 / a_ij``. The weights
    solve ``A w = λ_max w`` for the principal eigenvalue, normalised to ``Σ w = 1``;
    ``CI = (λ_max − n)/(n − 1)`` and ``CR = CI / RI(n)``. CR > 0.1 means the judgements
    contradict each other too much (Saaty, *The Analytic Hierarchy Process*, McGraw-Hill,
    1980, ch. 1–2; Saaty, "A scaling method for priorities in hierarchical structures",
    *J. Math. Psychology* 15(3), 1977).

    Parameters
    ----------
    criteria : sequence of str, length n (1 ≤ n ≤ 15)
        Criterion ids naming the rows and columns.
    matrix : n × n sequence of sequences of float
        Positive reciprocal matrix, rows and columns in the order of ``criteria``.
    field : str
        Prefix of issue field paths (``ahp.matrix[1][2]``, ``ahp.criteria[0]``).
    criteria_ids : sequence of str, optional
        Known criterion ids; when given, unknown ids in ``criteria`` are reported.

    Returns
    -------
    AhpResult

    Raises
    ------
    InputError
        With all problems: ``elicitation.ahp_shape``, ``elicitation.ahp_non_positive``,
        ``elicitation.ahp_out_of_scale`` (outside 10^-6 to 10^6),
        ``elicitation.ahp_diagonal``, ``elicitation.ahp_not_reciprocal``,
        ``elicitation.unknown_criterion``, ``elicitation.repeated_criterion``.
    """
    n = len(criteria)
    issues = _id_issues(list(criteria), [f"{field}.criteria[{i}]" for i in range(n)], criteria_ids)
    if not 1 <= n <= len(RANDOM_INDEX):
        msg = f"expected 1 to {len(RANDOM_INDEX)} criteria (Saaty's random index table), found {n}"
        issues.append(Issue("elicitation.ahp_shape", msg, field=f"{field}.criteria"))
    if len(matrix) != n:
        msg = f"expected a {n}×{n} matrix (one row per criterion), found {len(matrix)} rows"
        issues.append(Issue("elicitation.ahp_shape", msg, field=f"{field}.matrix"))
    cells: dict[tuple[int, int], float] = {}
    for i, row in enumerate(matrix):
        if len(row) != n:
            msg = f"expected {n} entries in row {i} (one per criterion), found {len(row)}"
            issues.append(Issue("elicitation.ahp_shape", msg, field=f"{field}.matrix[{i}]"))
        for j, raw in enumerate(row):
            fld = f"{field}.matrix[{i}][{j}]"
            if (x := _positive(raw)) is None:
                msg = f"expected a positive finite number, found a[{i}][{j}] = {raw!r}"
                issues.append(Issue("elicitation.ahp_non_positive", msg, field=fld))
            elif not 1 / AHP_MAX <= x <= AHP_MAX:
                msg = f"expected a ratio from 1e-06 to 1e+06 (Saaty's scale: 1/9 to 9), found a[{i}][{j}] = {x:g}"
                issues.append(Issue("elicitation.ahp_out_of_scale", msg, field=fld))
            elif i == j and abs(x - 1.0) > _RTOL:
                msg = f"expected 1 on the diagonal (a criterion is as important as itself), found a[{i}][{i}] = {x:g}"
                issues.append(Issue("elicitation.ahp_diagonal", msg, field=fld))
            else:
                cells[i, j] = x
    for (i, j), x in cells.items():
        y = cells.get((j, i))
        if i < j and y is not None and abs(x * y - 1.0) > _RECIPROCAL_RTOL:
            msg = (
                f"a[{i}][{j}] = {x:g} but a[{j}][{i}] = {y:g}; expected a[{j}][{i}] = 1/{x:g} (≈ {1 / x:.4g})"
            )
            issues.append(Issue("elicitation.ahp_not_reciprocal", msg, field=f"{field}.matrix[{j}][{i}]"))
    if issues:
        raise InputError(issues)

    a = np.array([[cells[i, j] for j in range(n)] for i in range(n)], dtype=np.float64)
    values, vectors = np.linalg.eig(a)
    k = int(np.argmax(values.real))
    v = np.abs(vectors[:, k].real)  # Perron vector: one sign throughout; abs fixes it positive
    w = v / v.sum()
    lam = float(values[k].real)
    ci = max(0.0, (lam - n) / (n - 1)) if n > 2 else 0.0  # clamp round-off below n
    ri = RANDOM_INDEX[n - 1]
    cr = ci / ri if n > 2 else 0.0
    warning = None
    if cr > CR_THRESHOLD:
        ratio = a * w[None, :] / w[:, None]  # a_ij / (w_i / w_j): 1 where consistent
        i, j = (int(t) for t in np.unravel_index(int(np.argmax(np.abs(np.log(ratio)))), ratio.shape))
        warning = (
            f"AHP consistency ratio {cr:.2f} is above {CR_THRESHOLD:.2f}: the pairwise judgements "
            f"contradict each other; revise them (furthest off: {criteria[i]} vs {criteria[j]} "
            f"judged {a[i, j]:.3g}, the other judgements imply {w[i] / w[j]:.3g})"
        )
    weights = {cid: float(x) for cid, x in zip(criteria, w, strict=True)}
    return AhpResult(weights, lam, ci, ri, cr, warning)


def ahp_from_judgements(
    judgements: Mapping[str, float],
    criteria: Sequence[str],
    *,
    field: str = "ahp",
    criteria_ids: Sequence[str] | None = None,
) -> AhpResult:
    """AHP weights from named judgements ``{"a/b": 3.0, ...}``: a is 3 times as important as b.

    Each unordered pair of ``criteria`` needs one judgement (``"a/b"`` or ``"b/a"``; both
    are accepted when reciprocal). The matrix is filled with ``a_ab = v`` and
    ``a_ba = 1 / v``, then :func:`ahp_weights` applies.

    Raises
    ------
    InputError
        Codes of :func:`ahp_weights`, plus ``elicitation.ahp_bad_key`` (a key that is not
        ``"a/b"`` over two distinct listed criteria) and ``elicitation.ahp_missing_pair``.
        Issue fields are ``{field}.judgements.{key}``.
    """
    n = len(criteria)
    issues = _id_issues(list(criteria), [f"{field}.criteria[{i}]" for i in range(n)], criteria_ids)
    pos = {c: i for i, c in enumerate(criteria)}
    given: dict[tuple[str, str], float] = {}
    seen: set[frozenset[str]] = set()
    for key, raw in judgements.items():
        fld = f"{field}.judgements.{key}"
        a, _, b = (p.strip(" ") for p in key.partition("/"))
        seen.add(frozenset((a, b)))
        if not a or not b or "/" in b or a == b or a not in pos or b not in pos:
            bad = next((x for x in (a, b) if x and x not in pos), "")
            hint = f"; {bad!r} is not listed{suggest(bad, criteria)}" if bad else ""
            msg = f"expected 'a/b' with two different criteria of {', '.join(criteria)}, found {key!r}{hint}"
            issues.append(Issue("elicitation.ahp_bad_key", msg, field=fld))
        elif (x := _positive(raw)) is None:
            msg = f"expected a positive finite number for {key!r}, found {raw!r}"
            issues.append(Issue("elicitation.ahp_non_positive", msg, field=fld))
        elif (y := given.get((b, a))) is not None and abs(x * y - 1.0) > _RECIPROCAL_RTOL:
            msg = f"'{a}/{b}' = {x:g} but '{b}/{a}' = {y:g}; expected '{a}/{b}' = 1/{y:g} (≈ {1 / y:.4g})"
            issues.append(Issue("elicitation.ahp_not_reciprocal", msg, field=fld))
        else:
            given[a, b] = x
    for i, a in enumerate(criteria):
        for b in criteria[i + 1 :]:
            if a != b and frozenset((a, b)) not in seen:
                msg = f"missing judgement '{a}/{b}': expected how many times more important {a} is than {b}"
                issues.append(Issue("elicitation.ahp_missing_pair", msg, field=f"{field}.judgements"))
    if issues:
        raise InputError(issues)
    m = [[given.get((a, b)) or 1.0 / given.get((b, a), 1.0) for b in criteria] for a in criteria]
    return ahp_weights(criteria, m, field=field)

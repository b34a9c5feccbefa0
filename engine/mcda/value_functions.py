"""Value functions: map performance values to utilities in [0, 1].

All functions are vectorised over a 1-D array of performance values and return a
float64 array of the same shape. Missing values must be handled by the caller (they
never reach a value function).

Fixed anchors (``worst`` → 0, ``best`` → 1) are the default: adding or removing an
offering never changes another offering's utility, hence no rank reversal (Belton &
Stewart, *Multiple Criteria Decision Analysis*, 2002, §5.2; Keeney & Raiffa,
*Decisions with Multiple Objectives*, 1976, ch. 3).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import NDArray

__all__ = ["levels", "linear", "log", "relative"]

FloatArray = NDArray[np.float64]


def linear(x: FloatArray, worst: float, best: float) -> FloatArray:
    """Linear utility between anchors, clipped to [0, 1].

    ``u = (x - worst) / (best - worst)``; works for either direction (``worst > best``
    for a criterion to minimise).

    Raises
    ------
    ValueError
        When ``worst == best``.
    """
    if worst == best:
        raise ValueError("linear value function needs worst != best")
    u = (np.asarray(x, dtype=np.float64) - worst) / (best - worst)
    return np.clip(u, 0.0, 1.0) + 0.0  # + 0.0: -0.0 (x at worst, best < worst) becomes 0.0


def log(x: FloatArray, worst: float, best: float) -> FloatArray:
    """Logarithmic utility: linear in ``log10(x)`` between anchors, clipped to [0, 1].

    Values are first clipped into ``[min(worst, best), max(worst, best)]``, so a value
    of 0 (a free offering, say) gets the best or worst utility, never ``-inf``/NaN.

    Raises
    ------
    ValueError
        When an anchor is not positive or ``worst == best``.
    """
    if worst <= 0 or best <= 0 or worst == best:
        raise ValueError("log value function needs distinct anchors > 0")
    lo, hi = min(worst, best), max(worst, best)
    xc = np.clip(np.asarray(x, dtype=np.float64), lo, hi)
    u: FloatArray = (np.log10(xc) - np.log10(worst)) / (np.log10(best) - np.log10(worst))
    return np.clip(u, 0.0, 1.0) + 0.0


def levels(x: Sequence[str], mapping: Mapping[str, float]) -> FloatArray:
    """Categorical utility: look each level up in ``mapping``.

    Raises
    ------
    KeyError
        For a level that ``mapping`` does not define.
    """
    return np.array([mapping[v] for v in x], dtype=np.float64)


def relative(x: FloatArray, direction: str) -> FloatArray:
    """Min–max utility over the current set (``scale: relative``).

    The best value present gets 1, the worst 0; a constant column gets 1 for all.
    Rankings built on it depend on the candidate set (rank reversal is possible).
    """
    a = np.asarray(x, dtype=np.float64)
    if a.size == 0:
        return a
    lo, hi = float(a.min()), float(a.max())
    if hi == lo:
        return np.ones_like(a)
    u = (a - lo) / (hi - lo)
    return (u if direction == "max" else 1.0 - u) + 0.0

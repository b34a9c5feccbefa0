"""Shortlist's aggregation and ranking step beside the peer MCDA libraries and plain numpy.

Run from the repository root::

    python -m benchmarks.bench_aggregation               # 100×8, 10,000×20, 1,000,000×20 (a few minutes)
    python -m benchmarks.bench_aggregation --quick       # 100×8 and 5,000×20: smoke run, targets not judged
    python -m benchmarks.bench_aggregation --repeat 9 --json bench-aggregation.json
    python -m benchmarks.bench_aggregation --libraries numpy,shortlist   # leave the peers out

The peers are the ``bench`` extra (``pip install -e '.[bench]'``): pyDecision, pymcdm,
scikit-criteria and pyrepo-mcda. A peer that is not installed (or fails to import) is
listed with the reason and left out; the rest still runs.

What is timed, for the weighted sum and TOPSIS on each matrix size: one library call
from the same utility matrix ``U`` (offerings × criteria, benefit criteria, utilities
in [0, 1], seeded) and the same weights ``w`` to the scores **and** the ranks.

* Shortlist: ``engine.aggregate(U, w, method)`` then ``engine.competition_ranks(scores,
  TIE_TOLERANCE)`` — the engine's aggregation and ranking step (competition ranks
  ``1, 1, 3``, scores within 1e-9 share a rank), as ``engine.rank`` and the robustness
  analysis use it.
* numpy baseline, as plain as possible: ``U @ w`` (TOPSIS: the textbook formula with the
  ideal 1 and anti-ideal 0) and ``argsort`` ranks (an inverse permutation, no ties).
  Every ratio is to this baseline, measured in the same run, interleaved.
* The peers through their public API, each configured to compute the variant Shortlist
  computes where it can (see the notes the script prints, and :data:`VARIANTS`).

The matrix puts a utility of exactly 1 and exactly 0 in every column (at seeded rows),
so a library that takes its ideal/anti-ideal from the best/worst offering present, or
that min-max or max normalises its columns, computes exactly what Shortlist's fixed
anchors give: min-max and max normalisation leave such a column as it is. Only
vector normalisation (pyDecision's TOPSIS, which cannot be switched off) changes the
result; that peer is checked against a numpy implementation of its own variant.

Agreement (not timed): each library's ranks must order the offerings as Shortlist's
ranks do (offerings Shortlist ties within 1e-9 may come in any order; a library's tie
must be a tie for Shortlist too), and its scores must equal the reference scores
within 1e-9. Peak memory: ``tracemalloc`` over one separate call (numpy reports its
buffers to it).

Targets (issue #6), judged on the medians at full size: Shortlist within 1.2× of the
numpy baseline at 10,000×20 and above; faster than scikit-criteria, pymcdm and
pyrepo-mcda at every size; within 1.2× of pyDecision at every size. An extra row times
the Shortlist step run twice (a simulated 2× regression), so the table shows where a
2× slowdown of the engine would put the ratio.

It is a report, not a test: the exit code is 0 even when a target is missed (the missed
targets are listed at the end); it is 1 when an agreement check fails.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as dt
import gc
import importlib
import math
import statistics
import sys
import time
import tracemalloc
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

if __package__ in (None, ""):  # run as a script: make the repository root importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._report import (
    load_averages,
    load_span,
    machine,
    machine_line,
    print_checks_failed,
    write_json,
)
from engine.mcda.aggregation import aggregate, competition_ranks
from engine.mcda.scoring import TIE_TOLERANCE

FloatArray = NDArray[np.float64]
Ranks = NDArray[Any]
Step = Callable[[], tuple[FloatArray, Ranks | None]]

FULL: tuple[tuple[int, int], ...] = ((100, 8), (10_000, 20), (1_000_000, 20))
QUICK: tuple[tuple[int, int], ...] = ((100, 8), (5_000, 20))
SEED = 20_261_201
METHODS = ("weighted-sum", "topsis")
METHOD_LABEL = {"weighted-sum": "weighted sum", "topsis": "TOPSIS"}

NUMPY_MAX_RATIO = 1.2  # Shortlist / numpy, at 10,000 offerings and above
NUMPY_RATIO_FROM = 10_000
PYDECISION_MAX_RATIO = 1.2  # Shortlist / pyDecision, every size
FASTER_THAN = ("scikit-criteria", "pymcdm", "pyrepo-mcda")  # Shortlist faster at every size
SCORE_ATOL = 1e-9

MIN_SAMPLE_S = 0.005  # a timed sample runs the call enough times to last at least this long
FAST_SAMPLE_S = 0.1  # samples shorter than this are taken FAST_FACTOR times as often
FAST_FACTOR = 3
BUDGET_S = 8.0  # a call slower than BUDGET_S / repeat is timed fewer times (at least once)
PYREPO_RANK_MAX_N = 100_000  # pyrepo-mcda's rank_preferences is O(n²): not run above this

NUMPY = "numpy baseline"
SHORTLIST = "Shortlist"
SHORTLIST_X2 = "Shortlist ×2 (simulated 2× regression, info)"
LIBRARIES = ("numpy", "shortlist", "pydecision", "pymcdm", "scikit-criteria", "pyrepo-mcda")

VARIANTS: dict[str, dict[str, str]] = {
    NUMPY: {
        "weighted-sum": "U @ w; argsort ranks (no ties)",
        "topsis": "formula, ideal 1 / anti-ideal 0; argsort ranks",
    },
    SHORTLIST: {
        "weighted-sum": "aggregate + competition_ranks (ties ≤ 1e-9)",
        "topsis": "aggregate + competition_ranks (ties ≤ 1e-9)",
    },
    SHORTLIST_X2: {m: "the Shortlist step called twice" for m in METHODS},
    "pyDecision": {
        "weighted-sum": "saw_method (x/max: identity here) + argsort ranks",
        "topsis": "topsis_method: VECTOR norm., set ideal + argsort ranks",
    },
    "pymcdm": {
        "weighted-sum": "WSM(minmax: identity here) + rrankdata",
        "topsis": "TOPSIS(minmax: identity here) + rrankdata",
    },
    "scikit-criteria": {
        "weighted-sum": "mkdm + WeightedSumModel.evaluate (rank_)",
        "topsis": "mkdm + TOPSIS.evaluate, no scaler (rank_)",
    },
    "pyrepo-mcda": {
        "weighted-sum": "SAW(x/max: identity here) + rank_preferences",
        "topsis": "TOPSIS(minmax: identity here) + rank_preferences",
    },
}


# --------------------------------------------------------------------------- inputs


def make_inputs(n: int, m: int, seed: int = SEED) -> tuple[FloatArray, FloatArray]:
    """A seeded utility matrix (n × m, read-only) and weights (Dirichlet(1), sum 1).

    Utilities are uniform in [0, 1]; in every column one seeded row is set to exactly 1
    and another to exactly 0, so the best and worst present equal Shortlist's anchors.
    """
    rng = np.random.default_rng([seed, n, m])
    U = rng.random((n, m))
    rows = rng.choice(n, size=2 * m, replace=False) if n >= 2 * m else rng.integers(0, n, 2 * m)
    cols = np.arange(m)
    U[rows[:m], cols] = 1.0
    U[rows[m:], cols] = 0.0
    if n < 2 * m:  # tiny matrices: make sure both ends are there whatever the collisions
        U[0], U[-1] = 1.0, 0.0
    U.setflags(write=False)  # no library may change the shared input
    w = rng.dirichlet(np.ones(m))
    return U, w


# --------------------------------------------------------------------------- implementations


def argsort_ranks(s: FloatArray) -> NDArray[np.int64]:
    """Ordinal ranks 1..n, highest score first (an inverse permutation; no ties)."""
    order = np.argsort(-s)
    r = np.empty(len(s), dtype=np.int64)
    r[order] = np.arange(1, len(s) + 1)
    return r


def numpy_weighted_sum(U: FloatArray, w: FloatArray) -> tuple[FloatArray, Ranks]:
    s: FloatArray = U @ w
    return s, argsort_ranks(s)


def numpy_topsis(U: FloatArray, w: FloatArray) -> tuple[FloatArray, Ranks]:
    """TOPSIS with the fixed ideal (1) and anti-ideal (0), utilities not normalised further."""
    w2 = w * w
    d_plus = np.sqrt(((1.0 - U) ** 2) @ w2)
    d_minus = np.sqrt((U * U) @ w2)
    s: FloatArray = d_minus / (d_plus + d_minus)
    return s, argsort_ranks(s)


def numpy_topsis_vector(U: FloatArray, w: FloatArray) -> FloatArray:
    """Classical TOPSIS: vector-normalised columns, ideal/anti-ideal = best/worst present.

    The reference for pyDecision's ``topsis_method`` (benefit criteria only).
    """
    V = U / np.sqrt((U * U).sum(axis=0)) * w
    d_plus = np.sqrt(((V - V.max(axis=0)) ** 2).sum(axis=1))
    d_minus = np.sqrt(((V - V.min(axis=0)) ** 2).sum(axis=1))
    s: FloatArray = d_minus / (d_plus + d_minus)
    return s


def shortlist_step(U: FloatArray, w: FloatArray, method: str) -> tuple[FloatArray, Ranks]:
    s = aggregate(U, w, method)
    return s, competition_ranks(s, TIE_TOLERANCE)


@dataclasses.dataclass
class Peer:
    name: str
    steps: dict[str, Callable[[FloatArray, FloatArray], tuple[FloatArray, Ranks | None]]]
    version: str = ""
    unavailable: str = ""  # why the peer is left out
    notes: list[str] = dataclasses.field(default_factory=list)


def _version(dist: str) -> str:
    with contextlib.suppress(Exception):
        from importlib.metadata import version

        return version(dist)
    return "?"


def _quiet() -> contextlib.AbstractContextManager[None]:
    """Peers' own warnings (deprecations, validation hints) are not what is timed."""

    @contextlib.contextmanager
    def cm() -> Iterator[None]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield

    return cm()


def load_peers(wanted: set[str]) -> list[Peer]:
    """Import each wanted peer; one that is missing or fails is kept with the reason."""
    peers: list[Peer] = []

    def attempt(name: str, dist: str, build: Callable[[], Peer]) -> None:
        if name.lower() not in wanted:
            return
        try:
            with _quiet():
                peer = build()
            peer.version = _version(dist)
        except Exception as exc:  # ImportError, or anything a peer's import raises
            peer = Peer(name, {}, unavailable=f"{type(exc).__name__}: {exc}".splitlines()[0][:160])
        peers.append(peer)

    def pydecision() -> Peer:
        alg = importlib.import_module("pyDecision.algorithm")
        saw, topsis = alg.saw_method, alg.topsis_method

        def ws(U: FloatArray, w: FloatArray) -> tuple[FloatArray, Ranks]:
            s = saw(U, ["max"] * U.shape[1], w, graph=False, verbose=False)[:, 1]
            return s, argsort_ranks(s)

        def tp(U: FloatArray, w: FloatArray) -> tuple[FloatArray, Ranks]:
            s = topsis(U, w, ["max"] * U.shape[1], graph=False, verbose=False)
            return s, argsort_ranks(s)

        return Peer(
            "pyDecision",
            {"weighted-sum": ws, "topsis": tp},
            notes=[
                "pyDecision returns scores only; the ranks are the baseline's argsort ranks.",
                "pyDecision's topsis_method always vector-normalises the columns: another TOPSIS "
                "variant, checked against a numpy implementation of that variant.",
            ],
        )

    def pymcdm() -> Peer:
        methods = importlib.import_module("pymcdm.methods")
        norm = importlib.import_module("pymcdm.normalizations").minmax_normalization
        rrankdata = importlib.import_module("pymcdm.helpers").rrankdata
        wsm, tps = methods.WSM(norm), methods.TOPSIS(norm)

        def run(body: Any) -> Callable[[FloatArray, FloatArray], tuple[FloatArray, Ranks]]:
            def step(U: FloatArray, w: FloatArray) -> tuple[FloatArray, Ranks]:
                s = body(U, w, np.ones(U.shape[1], dtype=int), validation=False)
                return s, rrankdata(s)

            return step

        return Peer(
            "pymcdm",
            {"weighted-sum": run(wsm), "topsis": run(tps)},
            notes=[
                "pymcdm is called with validation=False: its default input validation (a dominance "
                "check) adds more than the method itself and warns on this data.",
            ],
        )

    def skcriteria() -> Peer:
        skc = importlib.import_module("skcriteria")
        WSM = importlib.import_module("skcriteria.agg.simple").WeightedSumModel
        TOPSIS = importlib.import_module("skcriteria.agg.topsis").TOPSIS

        def ws(U: FloatArray, w: FloatArray) -> tuple[FloatArray, Ranks]:
            res = WSM().evaluate(skc.mkdm(U, objectives=[max] * U.shape[1], weights=w))
            return np.asarray(res.e_.score), np.asarray(res.rank_)

        def tp(U: FloatArray, w: FloatArray) -> tuple[FloatArray, Ranks]:
            res = TOPSIS().evaluate(skc.mkdm(U, objectives=[max] * U.shape[1], weights=w))
            return np.asarray(res.e_.similarity), np.asarray(res.rank_)

        return Peer(
            "scikit-criteria",
            {"weighted-sum": ws, "topsis": tp},
            notes=[
                "scikit-criteria's time includes building its DecisionMatrix (skcriteria.mkdm) from U, w."
            ],
        )

    def pyrepo() -> Peer:
        mm = importlib.import_module("pyrepo_mcda.mcda_methods")
        rank_preferences = importlib.import_module("pyrepo_mcda.additions").rank_preferences
        saw, tps = mm.SAW(), mm.TOPSIS()

        def run(body: Any) -> Callable[[FloatArray, FloatArray], tuple[FloatArray, Ranks | None]]:
            def step(U: FloatArray, w: FloatArray) -> tuple[FloatArray, Ranks | None]:
                s = body(U, w, np.ones(U.shape[1], dtype=int))
                if len(s) > PYREPO_RANK_MAX_N:
                    return s, None  # see the row's note: rank_preferences is O(n²)
                return s, rank_preferences(s, reverse=True)

            return step

        return Peer("pyrepo-mcda", {"weighted-sum": run(saw), "topsis": run(tps)})

    attempt("pyDecision", "pydecision", pydecision)
    attempt("pymcdm", "pymcdm", pymcdm)
    attempt("scikit-criteria", "scikit-criteria", skcriteria)
    attempt("pyrepo-mcda", "pyrepo-mcda", pyrepo)
    return peers


# --------------------------------------------------------------------------- timing


def _sample(fn: Callable[[], object], loops: int) -> float:
    """Seconds per call, over ``loops`` back-to-back calls, garbage collector off."""
    gc.collect()
    gc.disable()
    try:
        t0 = time.perf_counter()
        for _ in range(loops):
            fn()
        return (time.perf_counter() - t0) / loops
    finally:
        gc.enable()


@dataclasses.dataclass
class Timing:
    times: list[float]  # seconds per call, one per sample
    loops: int  # calls per sample


def measure(fns: dict[str, Callable[[], object]], repeat: int, budget: float) -> dict[str, Timing]:
    """Median-ready samples for each function, interleaved round by round.

    One warm-up call each (it also sizes the sample: enough calls to last
    :data:`MIN_SAMPLE_S`); a sample shorter than :data:`FAST_SAMPLE_S` is taken
    :data:`FAST_FACTOR` × ``repeat`` times, a function slower than ``budget / repeat``
    fewer times, at least once. Round r runs every function still due a sample once, so
    background load hits the functions being compared alike.
    """
    plan: dict[str, tuple[int, int]] = {}
    for name, fn in fns.items():
        t1 = _sample(fn, 1)  # warm-up
        if t1 < 0.5:
            t1 = _sample(fn, 1)
        loops = 1 if t1 >= MIN_SAMPLE_S else math.ceil(MIN_SAMPLE_S / max(t1, 1e-8))
        if t1 * loops < FAST_SAMPLE_S:
            runs = FAST_FACTOR * repeat  # cheap samples: more of them, for a steadier median
        else:
            runs = repeat if t1 * repeat <= budget else max(1, int(budget // t1))
        plan[name] = (loops, runs)
    out = {name: Timing([], loops) for name, (loops, _) in plan.items()}
    for r in range(max(runs for _, runs in plan.values())):
        for name, fn in fns.items():
            if r < plan[name][1]:
                out[name].times.append(_sample(fn, plan[name][0]))
    return out


def traced_call(fn: Callable[[], Any]) -> tuple[Any, float]:
    """One call's result and its peak traced memory (MB) above what was allocated before it."""
    gc.collect()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        start = tracemalloc.get_traced_memory()[0]
        result = fn()
        return result, (tracemalloc.get_traced_memory()[1] - start) / 1e6
    finally:
        tracemalloc.stop()


# --------------------------------------------------------------------------- agreement


def order_violations(ranks: Ranks, ref: Ranks) -> int:
    """Adjacent pairs (after sorting by ``ref``, then ``ranks``) that ``ranks`` orders otherwise.

    ``ranks`` agrees with the reference ranks ``ref`` when every offering ``ref`` puts
    strictly ahead of another is strictly ahead in ``ranks`` too; offerings ``ref``
    ties may come in any order. 0 means agreement.
    """
    r = np.asarray(ranks, dtype=np.float64)
    o = np.lexsort((r, ref))
    step_ref = np.diff(ref[o]) > 0
    return int(np.count_nonzero(step_ref & ~(np.diff(r[o]) > 0)))


@dataclasses.dataclass
class Agreement:
    ok: bool
    text: str


def agreement(
    scores: FloatArray, ranks: Ranks | None, ref_scores: FloatArray, ref_ranks: Ranks, against: str
) -> Agreement:
    """Compare one library's result with the reference (Shortlist's, or the variant's)."""
    scores = np.asarray(scores, dtype=np.float64)
    diff = float(np.max(np.abs(scores - ref_scores))) if len(scores) else 0.0
    bad = order_violations(ranks if ranks is not None else competition_ranks(scores, 0.0), ref_ranks)
    ok = bad == 0 and diff <= SCORE_ATOL
    what = "same ranking" if bad == 0 else f"DIFFERENT ranking ({bad} pairs)"
    src = "" if ranks is not None else " (from its scores)"
    return Agreement(ok, f"{what}{src} as {against}; |Δscore| ≤ {f'{diff:.0e}' if diff else '0'}")


# --------------------------------------------------------------------------- rows


@dataclasses.dataclass
class Row:
    size: tuple[int, int]
    method: str
    library: str
    variant: str
    times: list[float] = dataclasses.field(default_factory=list)
    loops: int = 0
    ratio: float | None = None
    peak_mb: float | None = None
    agree: Agreement | None = None
    note: str = ""
    lower_bound: bool = False  # the time leaves out a step (the ratio is a lower bound)

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def best(self) -> float:
        return min(self.times)


def run_size(
    n: int, m: int, peers: list[Peer], repeat: int, budget: float, with_shortlist: bool
) -> tuple[list[Row], dict[str, Any]]:
    """Time and check every library on one matrix size, both methods."""
    U, w = make_inputs(n, m)
    rows: list[Row] = []
    info: dict[str, Any] = {}
    for method in METHODS:
        base_fn = numpy_weighted_sum if method == "weighted-sum" else numpy_topsis
        steps: dict[str, Step] = {}
        # the baseline is always timed: every ratio is to it
        steps[NUMPY] = lambda f=base_fn: f(U, w)
        if with_shortlist:
            steps[SHORTLIST] = lambda mt=method: shortlist_step(U, w, mt)
        for p in peers:
            if not p.unavailable:
                steps[p.name] = lambda s=p.steps[method]: s(U, w)
        fns: dict[str, Callable[[], object]] = dict(steps)
        if with_shortlist and n >= NUMPY_RATIO_FROM:
            fns[SHORTLIST_X2] = lambda mt=method: (shortlist_step(U, w, mt), shortlist_step(U, w, mt))
        with _quiet():
            timings = measure(fns, repeat, budget)
            results: dict[str, tuple[FloatArray, Ranks | None]] = {}
            peaks: dict[str, float | None] = {SHORTLIST_X2: None}
            for name, step in steps.items():  # one more call each, traced: result and peak memory
                results[name], peaks[name] = traced_call(step)

        ref_s, ref_r = shortlist_step(U, w, method)
        base_median = statistics.median(timings[NUMPY].times)
        ratios_per_round: list[float] = []
        for name in fns:
            t = timings[name]
            row = Row((n, m), method, name, VARIANTS[name][method], t.times, t.loops, peak_mb=peaks[name])
            row.ratio = row.median / base_median
            if name != SHORTLIST_X2:
                s, r = results[name]
                if name == "pyDecision" and method == "topsis":
                    vs = numpy_topsis_vector(U, w)
                    row.agree = agreement(
                        s, r, vs, competition_ranks(vs, TIE_TOLERANCE), "numpy vector TOPSIS"
                    )
                    info["pydecision_topsis_vs_shortlist"] = variant_gap(s, ref_s, ref_r)
                else:
                    row.agree = agreement(s, r, ref_s, ref_r, "Shortlist")
                if name == "pyrepo-mcda" and r is None:
                    row.lower_bound = True
                    row.note = pyrepo_rank_note(n)
            if name == SHORTLIST:
                nb = min(len(t.times), len(timings[NUMPY].times))
                ratios_per_round = [t.times[i] / timings[NUMPY].times[i] for i in range(nb)]
            rows.append(row)
        near_ties = int(n - len(np.unique(ref_r)))
        info[f"{method}_shortlist_offerings_in_a_tie"] = near_ties
        if ratios_per_round:
            info[f"{method}_shortlist_ratio_per_round"] = [round(x, 3) for x in ratios_per_round]
    return rows, info


def variant_gap(s: FloatArray, ref_s: FloatArray, ref_r: Ranks) -> dict[str, Any]:
    """How far the vector-normalised TOPSIS ranking is from Shortlist's (information)."""
    from scipy.stats import spearmanr

    r = competition_ranks(np.asarray(s, dtype=np.float64), TIE_TOLERANCE)
    rho = float(spearmanr(r, ref_r).statistic) if len(r) > 2 else float("nan")
    top = min(10, len(r))
    same_top = len(set(np.argsort(r, kind="stable")[:top]) & set(np.argsort(ref_r, kind="stable")[:top]))
    return {
        "spearman_rho": round(rho, 4),
        "same_leader": bool(np.argmin(r) == np.argmin(ref_r)),
        f"top_{top}_in_common": same_top,
        "offerings_with_another_rank": int(np.count_nonzero(r != ref_r)),
    }


def pyrepo_rank_note(n: int) -> str:
    """Why pyrepo-mcda's ranking is left out at this size, with a measured estimate."""
    mod = importlib.import_module("pyrepo_mcda.additions")
    k = 10_000
    s = np.random.default_rng(1).random(k)
    t = _sample(lambda: mod.rank_preferences(s, reverse=True), 1)
    est = t * (n / k) ** 2
    return (
        f"scores only: rank_preferences skipped (one np.where over all scores per offering, O(n²); "
        f"{1000 * t:.0f} ms at {k:,} → about {est / 60:.0f} min here)"
    )


# --------------------------------------------------------------------------- targets


@dataclasses.dataclass
class Target:
    what: str
    passed: bool | None  # None: not measured


def judge(rows: list[Row], sizes: tuple[tuple[int, int], ...]) -> list[Target]:
    out: list[Target] = []
    for size in sizes:
        for method in METHODS:
            here = {r.library: r for r in rows if r.size == size and r.method == method}
            sl = here.get(SHORTLIST)
            label = f"{size[0]:,}×{size[1]} {METHOD_LABEL[method]}"
            if sl is None:
                continue
            if size[0] >= NUMPY_RATIO_FROM:
                assert sl.ratio is not None
                out.append(
                    Target(
                        f"{label}: Shortlist ≤ {NUMPY_MAX_RATIO:g}× numpy (is {sl.ratio:.2f}×)",
                        sl.ratio <= NUMPY_MAX_RATIO,
                    )
                )
            for peer in FASTER_THAN:
                p = here.get(peer)
                if p is None:
                    out.append(Target(f"{label}: Shortlist faster than {peer} (not measured)", None))
                    continue
                bound = "≥ " if p.lower_bound else ""
                out.append(
                    Target(
                        f"{label}: Shortlist faster than {peer} ({1000 * sl.median:.3g} vs {bound}{1000 * p.median:.3g} ms, "
                        f"{p.median / sl.median:.1f}×)",
                        sl.median < p.median,
                    )
                )
            p = here.get("pyDecision")
            if p is None:
                out.append(
                    Target(f"{label}: Shortlist ≤ {PYDECISION_MAX_RATIO:g}× pyDecision (not measured)", None)
                )
            else:
                out.append(
                    Target(
                        f"{label}: Shortlist ≤ {PYDECISION_MAX_RATIO:g}× pyDecision (is {sl.median / p.median:.2f}×)",
                        sl.median <= PYDECISION_MAX_RATIO * p.median,
                    )
                )
    return out


# --------------------------------------------------------------------------- report


def _ms(x: float) -> str:
    v = 1000 * x
    return f"{v:.4f}" if v < 0.1 else f"{v:.3f}" if v < 10 else f"{v:.1f}" if v < 1000 else f"{v:,.0f}"


def print_table(rows: list[Row]) -> None:
    hdr = (
        f"{'size':<13} {'method':<12} {'library':<45} {'median ms':>10} {'min ms':>10} {'samples':>9} "
        f"{'× numpy':>8} {'peak MB':>8}  agreement"
    )
    print(hdr)
    print("-" * len(hdr))
    last: tuple[tuple[int, int], str] | None = None
    for r in rows:
        key = (r.size, r.method)
        size = f"{r.size[0]:,}×{r.size[1]}" if key != last else ""
        meth = METHOD_LABEL[r.method] if key != last else ""
        if last is not None and key != last:
            print()
        last = key
        ratio = f"{'≥' if r.lower_bound else ''}{r.ratio:.2f}×" if r.ratio is not None else ""
        samples = f"{len(r.times)}×{r.loops}"
        peak = f"{r.peak_mb:.1f}" if r.peak_mb is not None else ""
        agree = r.agree.text if r.agree else ("reference" if r.library == SHORTLIST else "")
        if r.library == SHORTLIST:
            agree = "reference (the ranking every row is checked against)"
        print(
            f"{size:<13} {meth:<12} {r.library:<45} {_ms(r.median):>10} {_ms(r.best):>10} {samples:>9} "
            f"{ratio:>8} {peak:>8}  {agree}"
        )
        print(f"{'':<13} {'':<12}   {r.variant}" + (f"; {r.note}" if r.note else ""))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("--repeat", type=int, default=7, help="timed samples per measurement (default 7)")
    ap.add_argument(
        "--quick", action="store_true", help="100×8 and 5,000×20, 3 samples: smoke run, not judged"
    )
    ap.add_argument(
        "--budget", type=float, default=BUDGET_S, help=f"seconds per slow measurement (default {BUDGET_S:g})"
    )
    ap.add_argument(
        "--libraries",
        default=",".join(LIBRARIES),
        help=f"comma-separated subset of {','.join(LIBRARIES)} (the numpy baseline is always timed)",
    )
    ap.add_argument("--json", metavar="FILE", help="also write every time, check and the machine as JSON")
    args = ap.parse_args(argv)
    repeat = 3 if args.quick and args.repeat == 7 else max(1, args.repeat)
    sizes = QUICK if args.quick else FULL
    wanted = {x.strip().lower() for x in args.libraries.split(",") if x.strip()}
    unknown = wanted - set(LIBRARIES)
    if unknown:
        ap.error(f"unknown libraries: {', '.join(sorted(unknown))} (known: {', '.join(LIBRARIES)})")

    load_start = load_averages()
    t_start = time.perf_counter()
    peers = load_peers(wanted)
    # pyDecision alone imports ~100,000 objects (LLM clients among them): keep them out of the
    # collections run before every sample, which would otherwise take most of a quick run
    gc.collect()
    gc.freeze()
    print(
        f"Shortlist aggregation benchmark — weighted sum and TOPSIS on "
        f"{', '.join(f'{n:,}×{m}' for n, m in sizes)}, median of {repeat} samples"
        f"{' (QUICK: targets not judged)' if args.quick else ''}"
    )
    rows: list[Row] = []
    infos: dict[str, Any] = {}
    for n, m in sizes:
        r, info = run_size(n, m, peers, repeat, args.budget, "shortlist" in wanted)
        rows.extend(r)
        infos[f"{n}x{m}"] = info
    elapsed = time.perf_counter() - t_start
    load_end = load_averages()
    info = machine()
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)

    print(f"date     {now.isoformat()}  ({elapsed:.0f} s)")
    print(machine_line(info, load_span(load_start, load_end)))
    print(
        f"software Python {info['python']}, numpy {info['numpy']} ({info['blas']}, "
        f"{info['blas_threads'] or '?'} BLAS threads), scipy {info['scipy']}"
        + "".join(f", {p.name} {p.version}" for p in peers if not p.unavailable)
    )
    for p in peers:
        if p.unavailable:
            print(f"left out {p.name}: {p.unavailable}")
    print()
    print_table(rows)
    print()

    print("notes:")
    notes = [
        "samples: timed samples × calls per sample; a sample of a fast call repeats it to last ≥ "
        f"{1000 * MIN_SAMPLE_S:g} ms; samples under {1000 * FAST_SAMPLE_S:g} ms are taken {FAST_FACTOR}× as "
        f"often; a call slower than {args.budget:g} s / {repeat} gets fewer samples.",
        "Shortlist ranks a vector of 2,048 or more scores by one in-place sort of packed 64-bit (score bits, "
        "index) integer keys (numpy sorts integers with SIMD), then computes only the near-ties exactly: "
        "that is how its ranking can beat the baseline's argsort of floats.",
        "× numpy: median / median of the numpy baseline of the same size and method, measured in this run, "
        "interleaved round by round. ≥: the row leaves a step out, so its true ratio is higher.",
        "Matrix: utilities uniform in [0, 1] with an exact 1 and an exact 0 in every column, so min-max or "
        "max normalisation is the identity and the best/worst present equal Shortlist's fixed anchors.",
        "Agreement: a row's ranks order the offerings as Shortlist's do (offerings within Shortlist's 1e-9 tie "
        "tolerance may come in any order) and its scores are within 1e-9 of the reference's.",
        *(n for p in peers if not p.unavailable for n in p.notes),
    ]
    for key, inf in infos.items():
        n_, m_ = (int(x) for x in key.split("x"))
        size = f"{n_:,}×{m_}"
        for method in METHODS:
            per_round = inf.get(f"{method}_shortlist_ratio_per_round")
            ties = inf.get(f"{method}_shortlist_offerings_in_a_tie", 0)
            if per_round:
                notes.append(
                    f"{size} {METHOD_LABEL[method]}: Shortlist/numpy per round {min(per_round):.2f}–{max(per_round):.2f}×"
                    + (f"; {ties:,} offerings share a rank (scores within 1e-9)" if ties else "")
                )
        gap = inf.get("pydecision_topsis_vs_shortlist")
        if gap:
            notes.append(
                f"{size}: pyDecision's vector-normalised TOPSIS vs Shortlist's: Spearman ρ {gap['spearman_rho']}, "
                f"same leader {gap['same_leader']}, {gap['offerings_with_another_rank']:,} offerings ranked "
                "differently (a different method variant, not an error)."
            )
    pairs = [
        (r, next(x for x in rows if x.size == r.size and x.method == r.method and x.library == SHORTLIST))
        for r in rows
        if r.library == SHORTLIST_X2
    ]
    if pairs:
        notes.append(
            "A 2× regression of the engine step would be visible: the 'Shortlist ×2' rows (the step run twice) "
            "read "
            + ", ".join(
                f"{x2.ratio:.2f}× against {sl.ratio:.2f}× ({x2.size[0]:,} {METHOD_LABEL[x2.method]})"
                for x2, sl in pairs
                if x2.ratio is not None and sl.ratio is not None
            )
            + f"; the judged ratio at {NUMPY_RATIO_FROM:,} offerings and above would then cross the "
            f"{NUMPY_MAX_RATIO:g}× target."
        )
    for s in notes:
        print(f"  - {s}")

    bad = [r for r in rows if r.agree is not None and not r.agree.ok]
    print()
    if args.quick:
        print("targets: not judged in --quick mode")
        targets: list[Target] = []
    else:
        targets = judge(rows, sizes)
        print("targets:")
        for t in targets:
            mark = "n/a " if t.passed is None else ("PASS" if t.passed else "FAIL")
            print(f"  {mark} {t.what}")
        missed = [t for t in targets if t.passed is False]
        print("all targets met" if not missed else f"TARGETS MISSED: {len(missed)}")
    print_checks_failed((f"{r.size[0]:,}×{r.size[1]} {r.method} {r.library}" for r in bad), sep="; ")

    if args.json:
        doc = {
            "date": now.isoformat(),
            "machine": info,
            "load_average_start": load_start,
            "load_average_end": load_end,
            "repeat": repeat,
            "sizes": [list(s) for s in sizes],
            "peers": {p.name: p.version or None for p in peers if not p.unavailable},
            "left_out": {p.name: p.unavailable for p in peers if p.unavailable},
            "rows": [
                {
                    "size": list(r.size),
                    "method": r.method,
                    "library": r.library,
                    "variant": r.variant,
                    "times_s": r.times,
                    "calls_per_sample": r.loops,
                    "median_s": r.median,
                    "min_s": r.best,
                    "ratio_to_numpy": r.ratio,
                    "ratio_is_lower_bound": r.lower_bound,
                    "peak_mb": r.peak_mb,
                    "agreement": r.agree.text if r.agree else None,
                    "agrees": r.agree.ok if r.agree else None,
                    "note": r.note or None,
                }
                for r in rows
            ],
            "info": infos,
            "targets": [{"what": t.what, "passed": t.passed} for t in targets],
        }
        write_json(args.json, doc)
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Batch scoring: one catalog ranked (and stress-tested) under many priorities files.

An organisation keeps one catalog and many buyers' priorities files (a business unit
each, a file per tender…); :func:`rank_many` ranks the catalog under each of them and
:func:`robustness_many` runs the robustness analysis of each as well
(:func:`engine.mcda.sensitivity.report.sensitivity_with` with the file's own ``robustness:``
settings). A problem in one file (it cannot be read, a YAML or schema error, an
unknown criterion, no offering passing its must-haves…) is collected for that file,
with file, line and field as ``shortlist rank`` reports it, and never stops the
others.

Schedulers
----------
``None`` or ``"serial"``
    A plain loop in this process; Dask is not imported.
``"threads"``, ``"synchronous"``, ``"processes"``, or a ``dask.distributed.Client``
    The batch runs on Dask (the optional extra ``pip install 'shortlist[dask]'``):
    one task per priorities file (``dask.delayed``: read here, parsed, checked,
    ranked, dominance and stability intervals there), then the SMAA-2 sampling of
    every file as a chunked ``dask.array`` — the weight samples (with the draws of
    any ranged values) in the chunks :func:`engine.mcda.sensitivity.smaa.smaa` uses, each
    chunk's rank counts a task, summed — so one large analysis spreads over the
    workers too. ``"synchronous"`` runs the same graph in this thread (for
    debugging).

Results are the same bit for bit whatever the scheduler, and equal to
``shortlist rank`` and ``shortlist sensitivity`` on each file: the chunks draw from
one random stream in order (each draw task hands the generator's state to the next;
drawing is cheap, counting the ranks is the work), the integer counts are summed in
any order, and the chunks' central weights are added up in chunk order, as the
serial loop does. Workers need not see the priorities files: their bytes travel with
the tasks.

Pure: no printing, no global state; only :mod:`engine.catalog.loading` reads files.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import os
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from numpy.typing import NDArray

from engine.catalog.loading import (
    Catalog,
    CriteriaCatalog,
    load_priorities_bytes_doc,
    locate,
    read_input,
    resolve_priorities,
)
from engine.catalog.schema import PrioritiesFile
from engine.errors import InputError, Issue
from engine.mcda.scoring import Ranking, rank

if TYPE_CHECKING:  # the robustness module imports scipy: keep it off the ranking-only path
    from engine.mcda.sensitivity.problem import DecisionProblem
    from engine.mcda.sensitivity.report import SensitivityPlan, SensitivityReport
    from engine.mcda.sensitivity.smaa import RankAcceptability, SmaaPlan

__all__ = ["SCHEDULERS", "BatchItem", "BatchResult", "rank_many", "robustness_many", "smaa_dask"]

SCHEDULERS = ("serial", "threads", "synchronous", "processes")
"""Scheduler names :func:`rank_many` and ``shortlist batch --scheduler`` accept."""

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class BatchItem:
    """One priorities file's outcome.

    Attributes
    ----------
    source : str
        The file (or preset name) as given.
    file : str or None
        The file read (``None`` when it could not be found or read).
    priorities : PrioritiesFile or None
        ``None`` when the file did not load.
    ranking : Ranking or None
        ``None`` when the file did not load or the ranking failed.
    report : SensitivityReport or None
        The robustness analysis (:func:`robustness_many` only; ``None`` when it failed).
    issues : tuple of Issue
        This file's problems, with file, line and field; empty when all went well.
    """

    source: str
    file: str | None
    priorities: PrioritiesFile | None
    ranking: Ranking | None
    report: SensitivityReport | None
    issues: tuple[Issue, ...]

    @property
    def ok(self) -> bool:
        """True when the file had no problem."""
        return not self.issues


@dataclass(frozen=True)
class BatchResult:
    """The outcome of a batch, one item per priorities file in the order given.

    Attributes
    ----------
    items : tuple of BatchItem
    scheduler : str
        ``"serial"``, a Dask scheduler name, or the type name of the client used.
    robustness : bool
        True when the robustness analysis was run (:func:`robustness_many`).

    Problems of the catalog itself are in ``Catalog.issues``, not here.
    """

    items: tuple[BatchItem, ...]
    scheduler: str
    robustness: bool

    @property
    def issues(self) -> tuple[Issue, ...]:
        """Every file's problems, file by file."""
        return tuple(i for item in self.items for i in item.issues)

    @property
    def ok(self) -> bool:
        """True when no file had a problem."""
        return all(item.ok for item in self.items)


@dataclass(frozen=True)
class _Entry:
    """A priorities file as read where the batch starts (its bytes, or why not)."""

    source: str
    file: str | None
    raw: bytes | None
    issues: tuple[Issue, ...]


@dataclass(frozen=True)
class _Outcome:
    item: BatchItem
    plan: SensitivityPlan | None = None


_Mode = Literal["rank", "robustness", "plan"]


def _read_entries(priorities_files: Sequence[str | Path], criteria_dir: Path | None) -> list[_Entry]:
    entries = []
    for src in priorities_files:
        source = str(src)
        try:
            path = resolve_priorities(source, criteria_dir) if criteria_dir is not None else Path(source)
            raw = read_input(path)
        except InputError as exc:
            entries.append(_Entry(source, None, None, exc.issues))
            continue
        entries.append(_Entry(source, str(path), raw, ()))
    return entries


def _analyse(
    entry: _Entry, catalog: Catalog, criteria: CriteriaCatalog, on_date: dt.date | None, mode: _Mode
) -> _Outcome:
    """One priorities file's task: parse, check and rank; with ``mode`` ``robustness``
    the whole analysis, with ``plan`` all of it but the SMAA sampling."""
    if entry.raw is None or entry.file is None:
        return _Outcome(BatchItem(entry.source, entry.file, None, None, None, entry.issues))
    try:
        priorities, doc = load_priorities_bytes_doc(entry.raw, entry.file)
    except InputError as exc:
        return _Outcome(BatchItem(entry.source, entry.file, None, None, None, exc.issues))
    try:
        ranking = rank(catalog, criteria, priorities, on_date=on_date)
    except InputError as exc:
        issues = tuple(locate(exc.issues, doc))
        return _Outcome(BatchItem(entry.source, entry.file, priorities, None, None, issues))
    item = BatchItem(entry.source, entry.file, priorities, ranking, None, ())
    if mode == "rank":
        return _Outcome(item)
    from engine.mcda.sensitivity.report import plan_sensitivity_with, sensitivity_with

    try:
        if mode == "robustness":
            return _Outcome(replace(item, report=sensitivity_with(ranking, priorities.robustness)))
        return _Outcome(item, plan_sensitivity_with(ranking, priorities.robustness))
    except InputError as exc:
        return _Outcome(replace(item, issues=tuple(locate(exc.issues, doc))))


# --------------------------------------------------------------------------- Dask


def _dask_scheduler(scheduler: object) -> object | None:
    """``None`` for the serial loop, else what ``dask.compute(scheduler=...)`` takes.

    Raises
    ------
    InputError
        ``usage.invalid`` for an unknown scheduler name; ``usage.missing_dependency``
        when a Dask scheduler is asked for and Dask is not installed.
    """
    if scheduler is None or scheduler == "serial":
        return None
    if isinstance(scheduler, str) and scheduler not in SCHEDULERS:
        raise InputError.single(
            "usage.invalid",
            f"unknown scheduler {scheduler!r}; expected one of {', '.join(SCHEDULERS)} "
            "(or a dask.distributed Client, from Python)",
            field="scheduler",
        )
    try:
        import dask
        import dask.array  # noqa: F401
    except ImportError:
        raise InputError.single(
            "usage.missing_dependency",
            f"the {scheduler if isinstance(scheduler, str) else 'Dask'} scheduler runs the batch on Dask, "
            "which is not installed: pip install 'shortlist[dask]', or use the serial scheduler",
            field="scheduler",
        ) from None
    return scheduler


def _scheduler_name(scheduler: object) -> str:
    if scheduler is None:
        return "serial"
    return scheduler if isinstance(scheduler, str) else type(scheduler).__name__


def _leaf(obj: object, what: str) -> Any:
    """``obj`` as one key of the graph: sent to a worker once, not copied into every
    task, and not traversed (or hashed) by Dask."""
    import dask

    return dask.delayed(obj, name=f"shortlist-{what}-{uuid.uuid4().hex}", traverse=False)


def _draw(plan: SmaaPlan, state: dict[str, Any], size: int) -> tuple[FloatArray, dict[str, Any]]:
    """One chunk's draws, from the generator in ``state``: the weights (size × m) and,
    beside them, the uniform draws of the ranged values; and the state after them."""
    rng = np.random.Generator(np.random.PCG64())
    rng.bit_generator.state = state
    W, r = plan.draw(rng, size)
    x = W if r is None else np.hstack([W, r])
    return x, rng.bit_generator.state


def _count(x: FloatArray, plan: SmaaPlan) -> FloatArray:
    """One chunk's rank counts, first-place counts and central-weight sums in one row
    (shape (1, n² + n + n m); the counts are whole numbers, exact in float64)."""
    p = plan.problem
    m = len(p.criteria)
    W = np.ascontiguousarray(x[:, :m])
    r = np.ascontiguousarray(x[:, m:]) if p.ranged else None
    c = plan.count(W, r)
    row = np.concatenate([c.counts.astype(np.float64), c.firsts.astype(np.float64), c.central.ravel()])
    return row[None, :]


def _finish(
    plan: SmaaPlan,
    counts: FloatArray,
    firsts: FloatArray,
    central: Sequence[FloatArray],
    state: dict[str, Any],
) -> RankAcceptability:
    """The result from the summed counts and each chunk's central-weight sums (one
    array of n m values per chunk), added up in chunk order as the serial loop does."""
    n, m = plan.problem.n, len(plan.problem.criteria)
    total = np.zeros((n, m))
    for block in central:
        total += block.reshape(n, m)
    rng = np.random.Generator(np.random.PCG64())
    rng.bit_generator.state = state
    return plan.finish(counts.astype(np.int64), total, firsts.astype(np.int64), rng)


def _smaa_graph(plan: SmaaPlan) -> tuple[Any, Any]:
    """The SMAA-2 run of ``plan`` as a Dask graph.

    Returns
    -------
    (dask.array.Array, dask.delayed.Delayed)
        The draws, shape (samples, m + ranged values), in the chunks of
        ``plan.chunk_sizes()``; and the :class:`~engine.mcda.sensitivity.smaa.RankAcceptability`.
    """
    import dask
    import dask.array as da

    p = plan.problem
    n, m = p.n, len(p.criteria)
    plan_key = _leaf(plan, "smaa-plan")
    state: Any = np.random.default_rng(plan.seed).bit_generator.state
    blocks = []
    for size in plan.chunk_sizes():  # a chain: each draw starts where the previous one ended
        x, state = dask.delayed(_draw, nout=2, pure=False)(plan_key, state, size)
        blocks.append(da.from_delayed(x, shape=(size, m + len(p.ranged)), dtype=np.float64))
    draws = da.concatenate(blocks, axis=0)
    width = n * n + n + n * m
    # meta given: dask need not call _count on empty arrays to learn what it returns
    stats = da.map_blocks(
        _count, draws, plan_key, chunks=((1,) * len(blocks), (width,)), meta=np.empty((0, 0))
    )

    def keys(a: Any) -> list[Any]:
        # the blocks as delayed values that keep the array's own keys: handed to a
        # delayed function as arrays, each of the three would be optimised (fused) into
        # a graph of its own and every chunk counted three times
        return list(a.to_delayed(optimize_graph=False).ravel())

    (counts,) = keys(stats[:, : n * n].sum(axis=0))
    (firsts,) = keys(stats[:, n * n : n * n + n].sum(axis=0))
    central = keys(stats[:, n * n + n :])
    return draws, dask.delayed(_finish, pure=False)(plan_key, counts, firsts, central, state)


def smaa_dask(
    problem: DecisionProblem,
    *,
    samples: int = 10_000,
    seed: int = 0,
    concentration: float | None = 50.0,
    order: Sequence[str] | None = None,
    scheduler: object = "threads",
) -> RankAcceptability:
    """:func:`engine.mcda.sensitivity.smaa.smaa` as a chunked ``dask.array`` on ``scheduler``.

    Parameters
    ----------
    problem : DecisionProblem
        n offerings × m criteria.
    samples, seed, concentration, order
        As :func:`engine.mcda.sensitivity.smaa.smaa`.
    scheduler : {"threads", "synchronous", "processes"} or dask.distributed.Client

    Returns
    -------
    RankAcceptability
        Equal bit for bit to ``smaa(problem, ...)`` with the same arguments.

    Raises
    ------
    InputError
        As :func:`engine.mcda.sensitivity.smaa.smaa`; ``usage.missing_dependency`` without Dask.
    """
    from engine.mcda.sensitivity.smaa import SmaaPlan

    sched = _dask_scheduler(scheduler)
    if sched is None:
        raise InputError.single("usage.invalid", "smaa_dask needs a Dask scheduler", field="scheduler")
    import dask

    plan = SmaaPlan.make(problem, samples=samples, seed=seed, concentration=concentration, order=order)
    _, result = _smaa_graph(plan)
    (acc,) = dask.compute(result, scheduler=sched)
    out: RankAcceptability = acc
    return out


# --------------------------------------------------------------------------- the batch


def _run(
    catalog: Catalog,
    criteria: CriteriaCatalog,
    priorities_files: Sequence[str | Path],
    *,
    robustness: bool,
    on_date: dt.date | None,
    criteria_dir: Path | None,
    scheduler: object,
) -> BatchResult:
    sched = _dask_scheduler(scheduler)  # before any work: a missing Dask is a usage error
    entries = _read_entries(priorities_files, criteria_dir)
    name = _scheduler_name(sched)
    if sched is None:
        mode: _Mode = "robustness" if robustness else "rank"
        items = tuple(_analyse(e, catalog, criteria, on_date, mode).item for e in entries)
        return BatchResult(items, name, robustness)

    import dask

    catalog_key, criteria_key = _leaf(catalog, "catalog"), _leaf(criteria, "criteria")
    tasks = [
        dask.delayed(_analyse, pure=False)(
            _leaf(e, "priorities"), catalog_key, criteria_key, on_date, "plan" if robustness else "rank"
        )
        for e in entries
    ]
    with _compute_on(sched) as compute:
        outcomes: list[_Outcome] = list(compute(*tasks))
        planned = [(k, o.plan) for k, o in enumerate(outcomes) if o.plan is not None]
        if planned:
            accs = compute(*(_smaa_graph(plan.smaa)[1] for _, plan in planned))
            for (k, plan), acc in zip(planned, accs, strict=True):
                outcomes[k] = _Outcome(replace(outcomes[k].item, report=plan.report(acc)))
    return BatchResult(tuple(o.item for o in outcomes), name, robustness)


@contextlib.contextmanager
def _compute_on(scheduler: object) -> Iterator[Callable[..., tuple[Any, ...]]]:
    """``dask.compute`` on ``scheduler``. For ``processes``, both steps of a batch share
    one pool of worker processes (dask would start a pool, and import the engine in
    each of its processes, for every call)."""
    import dask

    if scheduler != "processes":
        yield functools.partial(dask.compute, scheduler=scheduler)
        return
    from concurrent.futures import ProcessPoolExecutor

    from dask.multiprocessing import get_context, initialize_worker_process

    workers = dask.config.get("num_workers", None) or os.cpu_count() or 1
    with ProcessPoolExecutor(
        workers, mp_context=get_context(), initializer=initialize_worker_process
    ) as pool:
        yield functools.partial(dask.compute, scheduler="processes", pool=pool)


def rank_many(
    catalog: Catalog,
    criteria: CriteriaCatalog,
    priorities_files: Sequence[str | Path],
    *,
    on_date: dt.date | None = None,
    criteria_dir: str | Path | None = None,
    scheduler: object = None,
) -> BatchResult:
    """Rank one catalog under each of many priorities files.

    Parameters
    ----------
    catalog : Catalog
    criteria : CriteriaCatalog
    priorities_files : sequence of str or Path, length k
        Priorities files; with ``criteria_dir``, also names of presets in
        ``<criteria_dir>/presets`` (as ``shortlist rank --priorities``).
    on_date : datetime.date, optional
        Price date for every file (default: each file's ``on_date``, else today).
    criteria_dir : str or Path, optional
        Where preset names are looked up.
    scheduler : None, {"serial", "threads", "synchronous", "processes"} or dask.distributed.Client
        ``None``/``"serial"``: a plain loop, no Dask import. Otherwise one Dask task
        per file on that scheduler (see the module notes).

    Returns
    -------
    BatchResult
        k items in the order given; ``item.ranking`` equals
        ``rank(catalog, criteria, priorities, on_date=on_date)`` for each valid file.

    Raises
    ------
    InputError
        Only for the batch as a whole: an unknown scheduler name
        (``usage.invalid``), or a Dask scheduler without Dask installed
        (``usage.missing_dependency``). Each file's own problems are in its item.
    """
    return _run(
        catalog,
        criteria,
        priorities_files,
        robustness=False,
        on_date=on_date,
        criteria_dir=Path(criteria_dir) if criteria_dir is not None else None,
        scheduler=scheduler,
    )


def robustness_many(
    catalog: Catalog,
    criteria: CriteriaCatalog,
    priorities_files: Sequence[str | Path],
    *,
    on_date: dt.date | None = None,
    criteria_dir: str | Path | None = None,
    scheduler: object = None,
) -> BatchResult:
    """Rank one catalog under each of many priorities files and analyse the robustness
    of each ranking with the file's ``robustness:`` settings.

    Parameters are those of :func:`rank_many`. On a Dask scheduler, the SMAA-2
    sampling of every file is a chunked ``dask.array`` (the chunks of
    :func:`engine.mcda.sensitivity.smaa.smaa`: about 500,000 scores each), so a large
    analysis is spread over the workers as well.

    Returns
    -------
    BatchResult
        ``item.report`` equals ``sensitivity_with(item.ranking,
        item.priorities.robustness)`` bit for bit, whatever the scheduler. A file
        whose ranking has no ranked offering has its ranking and the problem
        ``sensitivity.no_offerings`` (as ``shortlist sensitivity``).

    Raises
    ------
    InputError
        As :func:`rank_many`.
    """
    return _run(
        catalog,
        criteria,
        priorities_files,
        robustness=True,
        on_date=on_date,
        criteria_dir=Path(criteria_dir) if criteria_dir is not None else None,
        scheduler=scheduler,
    )

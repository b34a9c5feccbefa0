"""What the benchmark scripts share: the machine description and the end of the report."""

from __future__ import annotations

import contextlib
import gc
import importlib
import json
import os
import platform
import tracemalloc
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import scipy

THREADPOOLCTL: Any = None  # optional: reads (and limits) the BLAS threads
with contextlib.suppress(ImportError):
    THREADPOOLCTL = importlib.import_module("threadpoolctl")


def machine() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count() or 0
    blas = "?"
    with contextlib.suppress(Exception):
        cfg = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        blas = f"{cfg.get('name', '?')} {cfg.get('version', '')}".strip()
    blas_threads = None
    if THREADPOOLCTL is not None:
        pools = [p for p in THREADPOOLCTL.threadpool_info() if p.get("user_api") == "blas"]
        blas_threads = pools[0]["num_threads"] if pools else None
    info: dict[str, Any] = {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "usable_cores": usable,
        "load_average_1m": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "blas": blas,
        "blas_threads": blas_threads,
        "platform": platform.platform(),
    }
    threads = {
        k: v
        for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
        if (v := os.environ.get(k))
    }
    if threads:
        info["thread_env"] = threads
    return info


def load_averages() -> tuple[float, float, float] | None:
    """The 1, 5 and 15 minute load averages, where the platform has them."""
    return os.getloadavg() if hasattr(os, "getloadavg") else None


def load_span(start: Sequence[float] | None, end: Sequence[float] | None) -> str:
    """The load averages at the start and at the end of a run, in words."""
    return (
        f"load avg (1/5/15 min) {' '.join(f'{x:.2f}' for x in start)} at the start, "
        f"{' '.join(f'{x:.2f}' for x in end)} at the end"
        if start and end
        else "load average unknown"
    )


def machine_line(info: dict[str, Any], load: str) -> str:
    """The report's `machine` line: the CPU, its cores and `load` (the load average in words)."""
    return f"machine  {info['cpu']}; {info['cores']} cores ({info['usable_cores']} usable); {load}"


def print_checks_failed(bad: Iterable[str], sep: str = ", ") -> None:
    bad = list(bad)
    if bad:
        print(f"CHECKS FAILED: {sep.join(bad)}")


def print_verdict(judge: bool, not_judged: str, missed: Sequence[str], bad: Sequence[str]) -> None:
    """The summary at the end of a report: the targets (`not_judged` says why they were not) and the
    failed checks."""
    if not judge:
        print(f"targets: {not_judged}")
    elif missed:
        print("TARGETS MISSED:")
        for m in missed:
            print(f"  - {m}")
    else:
        print("all targets met")
    print_checks_failed(bad)


def versions(packages: Sequence[str]) -> dict[str, str]:
    """The installed version of each of ``packages`` (those not installed left out)."""
    import importlib.metadata

    out = {}
    for pkg in packages:
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            out[pkg] = importlib.metadata.version(pkg)
    return out


def write_json(path: str, doc: dict[str, Any]) -> None:
    """Write the report's JSON document to `path` and say so."""
    Path(path).write_text(
        json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False) + "\n", encoding="utf-8"
    )
    print(f"wrote {path}")


def peak_mb(fn: Callable[[], object]) -> float:
    """Peak traced memory (MB) above the start of one call (tracemalloc sees numpy's buffers)."""
    gc.collect()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        start = tracemalloc.get_traced_memory()[0]
        fn()
        return (tracemalloc.get_traced_memory()[1] - start) / 1e6
    finally:
        tracemalloc.stop()

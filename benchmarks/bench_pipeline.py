"""Loading 1,000 vendor files, and ``shortlist rank`` as a whole process.

Run from the repository root::

    python -m benchmarks.bench_pipeline               # full: 1,000 files, 7 runs each (about 2.5 minutes)
    python -m benchmarks.bench_pipeline --quick       # 50 files, 300 offerings, 2 runs: smoke run, not judged
    python -m benchmarks.bench_pipeline --repeat 11 --json bench-pipeline.json
    python -m benchmarks.bench_pipeline --keep DIR    # write the synthetic files to DIR and keep them

Targets (issue #6), judged on the median at full size:

* loading and validating **1,000 vendor files** (``engine.load_catalog`` with the
  exchange-rate table's currencies: strict YAML, the pydantic schemas, the checks across
  files) in **under 1 s**;
* **every command** (``validate``, ``rank`` as table, Excel and with ``--record``, ``explain``,
  ``compare``, ``sensitivity``, ``batch``, ``check``, ``diff``, ``schema``, ``prices check``,
  ``--help``) on the bundled data as a whole process in **under 0.8 s** (issue #12, cold
  start), beside ``python -c "import numpy"`` as the floor;
* ``shortlist rank`` on the bundled data as a **whole process** (interpreter start,
  imports, loading, ranking, the table on stdout) in **under 1 s**, measured both as
  ``python -m engine rank`` and through the ``shortlist`` console script when the
  environment has one.

Output size (issue #11, "output stays proportionate"), on a synthetic catalog of
**5,000 offerings** (perturbed copies, so they rank apart and many dominate others), as
whole processes: ``shortlist rank --record`` (the decision record: **≤ 1 MB**, process
**under 10 s**), ``shortlist sensitivity`` as a table (**≤ 100 kB**, **under 10 s**) and
``shortlist check --format text`` with every offering in scope (**≤ 100 kB**, **under
5 s**). On this catalog, before the summaries, they wrote 23 MB in 12.9 s, 22 MB in
10.8 s and 1.8 MB (the issue saw 152 MB and 150 MB on another one). ``--quick`` runs
them on 300 offerings.

The **1,000 files are synthetic**: copy ``k`` of each bundled profile becomes the vendor
``<id>-synth-<k>`` (every offering id gets the same suffix, the vendor name says
"synthetic copy", each offering's notes start with "SYNTHETIC benchmark copy" and the
file starts with a comment saying so), written with PyYAML to a temporary directory and
removed afterwards. They are for timing only, not real data. Beside the whole load: the
same files through its two stages alone (strict YAML for every file, then schema
validation of the loaded documents), and ``shortlist validate`` and ``shortlist rank``
on them as processes (information).

Processes run with ``PYTHONPATH`` set to this checkout (so they time this code, which
a check confirms) from an empty temporary directory (so the bundled data is used); the
peak memory of each is its maximum resident set size (``os.wait4``). In-process peak
memory is ``tracemalloc``'s over one separate call. The import profile of ``shortlist
rank`` (``python -X importtime``) is summarised: the slowest imports, and which heavy
packages the command does not import.

It is a report, not a test: the exit code is 0 even when a target is missed (listed at
the end); it is 1 when a check fails.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import gc
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

if __package__ in (None, ""):  # run as a script: make the repository root importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._report import (
    load_averages,
    load_span,
    machine,
    machine_line,
    peak_mb,
    print_verdict,
    write_json,
)
from benchmarks._synthetic import synthetic_vendors
from engine.catalog.loading import load_catalog, load_criteria, load_vendor_bytes
from engine.catalog.schema import VendorFile
from engine.catalog.yamlio import load_yaml_bytes

ROOT = Path(__file__).resolve().parent.parent
BUNDLED_VENDORS = ROOT / "vendors"
BUNDLED_CRITERIA = ROOT / "criteria"

FILES = 1_000
QUICK_FILES = 50
LOAD_MAX_S = 1.0
IMPORTED_RANK_MAX_S = 3.0
"""Target (issue #6): ``shortlist rank`` on the imported genai-prices catalog, whole process."""
IMPORTED_SMAA_MAX_S = 5.0
"""Target (issue #6): ranking + SMAA (10,000 samples) on the imported catalog, whole process."""
IMPORT_ON = "2026-12-01"
"""Price date of the import and of the runs on it (fixed, so runs compare)."""
PROCESS_MAX_S = 1.0
COMMAND_MAX_S = 0.8
"""Target (issue #12): every command, whole process on the bundled catalog (cold start)."""
OUTPUT_OFFERINGS = 5_000
"""Synthetic offerings for the output-size rows (issue #11)."""
QUICK_OUTPUT_OFFERINGS = 300
OUTPUT_PRIORITIES = "cost-first-startup"
"""The preset of the output-size rows: few must-haves, so most offerings are ranked."""
RECORD_MAX_MB, RECORD_MAX_S = 1.0, 10.0
"""Targets (issue #11): the decision record at 5,000 offerings, and `rank --record` as a process."""
SENSITIVITY_TABLE_MAX_MB, SENSITIVITY_MAX_S = 0.1, 10.0
CHECK_TEXT_MAX_MB, CHECK_MAX_S = 0.1, 5.0
OUTPUT_RUNS = 3
"""Timed runs of each output-size row (each takes seconds)."""
HEAVY = ("scipy", "openpyxl", "pandas", "streamlit", "pyarrow")  # what `rank` should not import

# --------------------------------------------------------------------------- measuring


@dataclasses.dataclass
class Row:
    name: str
    times: list[float]
    target_s: float | None = None
    peak_mb: float | None = None
    peak_kind: str = ""  # "traced" (tracemalloc) or "RSS" (max resident set of the process)
    note: str = ""
    out_mb: float | None = None  # size of the output (stdout, or the file written)
    out_max_mb: float | None = None

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def best(self) -> float:
        return min(self.times)

    @property
    def passed(self) -> bool | None:
        if self.target_s is None:
            return None
        fits = self.out_max_mb is None or (self.out_mb is not None and self.out_mb <= self.out_max_mb)
        return self.median < self.target_s and fits


def timed(fn: Callable[[], object]) -> float:
    gc.collect()
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def run_process(cmd: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float, int, bytes, bytes]:
    """Wall time (s), max RSS (MB), exit code, stdout and stderr of one process."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return wall, usage.ru_maxrss / 1024, proc.returncode, out.read(), err.read()


# A process started from this one inherits its resident-set high-water mark (fork copies
# the mapped pages, and Linux keeps the larger mark across exec), so ru_maxrss of a child
# says how big this benchmark is. The peak is read instead inside one more run of the
# same command, from /proc/self/status (VmHWM, which exec resets) as it exits.
_HWM = """
import atexit, os, runpy, sys
def _report():
    try:
        with open('/proc/self/status') as f:
            kb = next(int(x.split()[1]) for x in f if x.startswith('VmHWM:'))
        with open(os.environ['SHORTLIST_BENCH_HWM'], 'w') as f:
            f.write(str(kb))
    except (OSError, StopIteration, KeyError, ValueError):
        pass
atexit.register(_report)
"""
_RUN_MODULE = (
    "mod = sys.argv[1]; sys.argv = sys.argv[1:]; runpy.run_module(mod, run_name='__main__', alter_sys=True)"
)


def peak_rss_mb(cmd: list[str], env: dict[str, str], cwd: Path) -> float | None:
    """Peak resident set (MB) of ``cmd`` (``python -c CODE`` or ``python -m MODULE …``)."""
    if not Path("/proc/self/status").exists() or len(cmd) < 3 or cmd[1] not in ("-c", "-m"):
        return None
    if cmd[1] == "-c":
        wrapped = [cmd[0], "-c", _HWM + cmd[2], *cmd[3:]]
    else:
        wrapped = [cmd[0], "-c", _HWM + _RUN_MODULE, *cmd[2:]]
    with tempfile.TemporaryDirectory() as d:
        out = Path(d, "hwm")
        run_process(wrapped, {**env, "SHORTLIST_BENCH_HWM": str(out)}, cwd)
        try:
            return int(out.read_text()) / 1024
        except (OSError, ValueError):
            return None


def process_row(
    name: str,
    cmd: list[str],
    env: dict[str, str],
    cwd: Path,
    runs: int,
    ok_codes: tuple[int, ...] = (0,),
    same_as: list[str] | None = None,
) -> tuple[Row, bytes, list[str]]:
    """Time ``runs`` runs of a process after one warm-up (disk cache, bytecode), then its peak RSS
    (of ``same_as``, the same program started as ``python -m``, for a console script)."""
    problems: list[str] = []
    _, _, code, out, err = run_process(cmd, env, cwd)
    if code not in ok_codes:
        problems.append(f"{name}: exit code {code}: {err.decode(errors='replace').strip()[:300]}")
    times = [run_process(cmd, env, cwd)[0] for _ in range(runs)]
    return Row(name, times, peak_mb=peak_rss_mb(same_as or cmd, env, cwd), peak_kind="RSS"), out, problems


# --------------------------------------------------------------------------- import profile


def import_profile(
    cmd: list[str], env: dict[str, str], cwd: Path
) -> tuple[float, list[tuple[str, float]], set[str]]:
    """``python -X importtime``: total import time (s), the 8 packages that take longest to
    import (each module's own time summed by top-level package) and every module imported."""
    _, _, _, _, err = run_process([cmd[0], "-X", "importtime", *cmd[1:]], env, cwd)
    own: dict[str, float] = {}
    modules: set[str] = set()
    for line in err.decode(errors="replace").splitlines():
        if not line.startswith("import time:") or line.count("|") != 2:
            continue
        self_us, _, name = line[len("import time:") :].split("|")
        try:
            seconds = int(self_us) / 1e6
        except ValueError:
            continue  # the header line
        name = name.strip()
        modules.add(name)
        package = name.split(".")[0]
        own[package] = own.get(package, 0.0) + seconds
    return sum(own.values()), sorted(own.items(), key=lambda x: -x[1])[:8], modules


# --------------------------------------------------------------------------- output size


_ALL_IN_SCOPE = re.compile(r"approved:\n(  - .*\n)+")


def output_rows(
    tmp: Path, env: dict[str, str], work: Path, offerings: int, runs: int, judge: bool
) -> tuple[list[Row], dict[str, Any], list[str]]:
    """``rank --record``, ``sensitivity`` (table) and ``check --format text`` on a synthetic
    catalog of ``offerings`` offerings: time, peak RSS and the size of what each writes."""
    vendors = tmp / "vendors-output"
    synth = synthetic_vendors(
        vendors, writer="benchmarks/bench_pipeline.py", offerings=offerings, replicas=10, seed=1
    )
    policy = tmp / "policy-all-in-scope.yaml"  # the bundled policy, every offering in scope
    text = (BUNDLED_CRITERIA / "policies" / "eu-regulated.yaml").read_text(encoding="utf-8")
    policy.write_text(_ALL_IN_SCOPE.sub("approved: []\n", text), encoding="utf-8")
    record = tmp / "record.md"
    py = sys.executable
    common = ["--vendors", str(vendors), "--priorities", OUTPUT_PRIORITIES, "--on", IMPORT_ON]
    what = f"<{synth.offerings:,} synthetic offerings>"
    specs: list[tuple[str, list[str], tuple[int, ...], Path | None, float, float]] = [
        (
            f"process: shortlist rank --record {what}: the record",
            [py, "-m", "engine", "rank", *common, "--record", str(record)],
            (0,),
            record,
            RECORD_MAX_S,
            RECORD_MAX_MB,
        ),
        (
            f"process: shortlist sensitivity (table, 10,000 samples) {what}",
            [py, "-m", "engine", "sensitivity", *common],
            (0,),
            None,
            SENSITIVITY_MAX_S,
            SENSITIVITY_TABLE_MAX_MB,
        ),
        (
            f"process: shortlist check --format text, all in scope {what}",
            [
                py,
                "-m",
                "engine",
                "check",
                "--policy",
                str(policy),
                "--vendors",
                str(vendors),
                "--today",
                IMPORT_ON,
            ],
            (0, 1),
            None,
            CHECK_MAX_S,
            CHECK_TEXT_MAX_MB,
        ),
    ]
    rows: list[Row] = []
    checks: dict[str, Any] = {}
    problems: list[str] = []
    for name, cmd, ok, written, max_s, max_mb in specs:
        row, out, bad = process_row(name, cmd, env, work, runs, ok)
        size = written.stat().st_size if written is not None and written.exists() else len(out)
        row.out_mb, row.out_max_mb = size / 1e6, max_mb
        row.target_s = max_s if judge else None
        rows.append(row)
        problems += bad
        if written is not None:
            text = written.read_text(encoding="utf-8") if written.exists() else ""
            checks["the record counts the ranked offerings it does not list"] = (
                synth.offerings <= 100 or "more ranked offerings" in text
            )
        elif "sensitivity" in cmd:
            checks["the sensitivity table counts the dominated offerings it does not list"] = (
                b"dominance pairs" in out and (synth.offerings <= 100 or b"more dominated offerings" in out)
            )
        else:
            checks["the check text ends with the verdict"] = b"FAILED:" in out or b"PASSED:" in out
    return rows, checks, problems


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("--repeat", type=int, default=7, help="timed runs per measurement (default 7)")
    ap.add_argument(
        "--quick", action="store_true", help=f"{QUICK_FILES} files, 2 runs: smoke run, not judged"
    )
    ap.add_argument("--files", type=int, help=f"number of synthetic vendor files (default {FILES:,})")
    ap.add_argument(
        "--offerings",
        type=int,
        help=f"synthetic offerings of the output-size rows (default {OUTPUT_OFFERINGS:,}; 0 leaves them out)",
    )
    ap.add_argument("--keep", type=Path, metavar="DIR", help="write the synthetic files to DIR and keep them")
    ap.add_argument("--json", metavar="FILE", help="also write every time, check and the machine as JSON")
    args = ap.parse_args(argv)
    repeat = 2 if args.quick and args.repeat == 7 else max(1, args.repeat)
    n_files = args.files or (QUICK_FILES if args.quick else FILES)
    judge = not args.quick and n_files == FILES
    n_output = (
        args.offerings
        if args.offerings is not None
        else QUICK_OUTPUT_OFFERINGS
        if args.quick
        else OUTPUT_OFFERINGS
    )
    load_start = load_averages()
    started = time.perf_counter()

    tmp = Path(tempfile.mkdtemp(prefix="shortlist-bench-pipeline-"))
    try:
        synth_dir = args.keep or (tmp / "vendors")
        if args.keep and any(args.keep.glob("*.yaml")):
            raise SystemExit(f"{args.keep} already holds YAML files; name an empty or new directory")
        synth = synthetic_vendors(synth_dir, writer="benchmarks/bench_pipeline.py", files=n_files)
        work = tmp / "cwd"  # an empty working directory: no ./vendors, so the bundled data is used
        work.mkdir()
        criteria = load_criteria(BUNDLED_CRITERIA)
        currencies = criteria.currencies()
        rows: list[Row] = []
        checks: dict[str, Any] = {}

        # --- in process: the whole load, then its stages
        def load() -> object:
            return load_catalog([synth_dir], currencies=currencies)

        files = sorted(synth_dir.glob("*.yaml"))
        raws = [(str(f), f.read_bytes()) for f in files]
        docs = [load_yaml_bytes(raw, name) for name, raw in raws]

        def stage_yaml() -> object:
            return [load_yaml_bytes(raw, name) for name, raw in raws]

        def stage_schema() -> object:
            return [VendorFile.model_validate(d.data) for d in docs]

        def stage_vendor_bytes() -> object:
            return [load_vendor_bytes(raw, name) for name, raw in raws]

        label = f"{synth.files:,} synthetic files ({synth.offerings:,} offerings, {synth.bytes / 1e6:.1f} MB)"
        inproc: list[tuple[str, Callable[[], object], float | None]] = [
            (f"load_catalog: {label}", load, LOAD_MAX_S if judge else None),
            ("  stage: strict YAML of every file (yamlio.load_yaml_bytes, info)", stage_yaml, None),
            ("  stage: schema validation of the loaded documents (info)", stage_schema, None),
            ("  stage: load_vendor_bytes, both stages per file (info)", stage_vendor_bytes, None),
        ]
        for fn in [f for _, f, _ in inproc]:
            fn()  # warm-up
        series: dict[str, list[float]] = {name: [] for name, _, _ in inproc}
        for _ in range(repeat):  # interleaved, so background load hits them alike
            for name, fn, _ in inproc:
                series[name].append(timed(fn))
        for name, fn, target in inproc:
            rows.append(Row(name, series[name], target, peak_mb(fn), "traced"))
        cat = load_catalog([synth_dir], currencies=currencies)
        checks["synthetic files load without issues, every offering kept"] = (
            not cat.issues and len(cat.offerings) == synth.offerings and len(cat.files) == synth.files
        )

        # --- processes
        env = dict(os.environ)
        env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        py = sys.executable
        where = subprocess.run(
            [py, "-c", "import engine; print(engine.__file__)"],
            env=env,
            cwd=work,
            capture_output=True,
            text=True,
        ).stdout.strip()
        checks["processes import the engine of this checkout"] = Path(where).resolve().is_relative_to(ROOT)
        script = Path(py).with_name("shortlist")
        proc_specs: list[tuple[str, list[str], float | None, tuple[int, ...], list[str] | None]] = [
            ("process: python -c pass (interpreter floor, info)", [py, "-c", "pass"], None, (0,), None),
            (
                "process: python -c 'import numpy, pydantic, yaml' (info)",
                [py, "-c", "import numpy, pydantic, yaml"],
                None,
                (0,),
                None,
            ),
            (
                "process: python -m engine rank (bundled data)",
                [py, "-m", "engine", "rank"],
                PROCESS_MAX_S if judge else None,
                (0,),
                None,
            ),
        ]
        if script.is_file():
            proc_specs.append(
                (
                    "process: shortlist rank (console script, bundled data)",
                    [str(script), "rank"],
                    PROCESS_MAX_S if judge else None,
                    (0,),
                    [py, "-m", "engine", "rank"],
                )
            )
        # every command as a whole process on the bundled catalog (issue #12: cold start),
        # beside the floor of `python -c "import numpy"`
        cmd_dir = tmp / "commands"
        cmd_dir.mkdir()
        cmd_target = COMMAND_MAX_S if judge else None
        on = ["--on", "2026-12-01"]
        # explain and compare the first two ranked: explaining the second is the worst case
        # (what would it take solves a linear program: scipy.optimize is imported)
        ranked_csv = run_process([py, "-m", "engine", "rank", *on, "--format", "csv"], env, work)[3].decode()
        top2 = [ln.split(",")[1] for ln in ranked_csv.splitlines()[1:3]]
        commands: list[tuple[str, list[str], tuple[int, ...]]] = [
            ("validate", ["validate"], (0,)),
            ("rank", ["rank", *on], (0,)),
            (
                "rank --format xlsx",
                ["rank", *on, "--format", "xlsx", "--output", str(cmd_dir / "r.xlsx")],
                (0,),
            ),
            ("rank --record", ["rank", *on, "--record", str(cmd_dir / "record.md")], (0,)),
            ("explain <the second ranked>", ["explain", top2[-1], *on], (0,)),
            ("explain <the first ranked>", ["explain", top2[0], *on], (0,)),
            ("compare <the first two>", ["compare", *top2, *on], (0,)),
            ("sensitivity", ["sensitivity", *on], (0,)),
            ("batch", ["batch", "regulated-eu-bank", *on, "--output-dir", str(cmd_dir / "batch")], (0,)),
            ("check", ["check", "--policy", "eu-regulated", "--today", "2026-12-01"], (0, 1)),
            ("diff", ["diff", "--base-vendors", str(ROOT / "vendors"), *on], (0, 1)),
            ("schema", ["schema", "vendor"], (0,)),
            ("prices check", ["prices", "check", *on], (0, 1)),
            ("--help", ["--help"], (0,)),
        ]
        proc_specs.append(
            (
                'process: python -c "import numpy" (the floor, info)',
                [py, "-c", "import numpy"],
                None,
                (0,),
                None,
            )
        )
        for label, argv, ok in commands:  # (`init` is left out: it needs a new directory each run)
            proc_specs.append(
                (
                    f"process: shortlist {label} (bundled data)",
                    [py, "-m", "engine", *argv],
                    cmd_target,
                    ok,
                    None,
                )
            )
        proc_specs += [
            (
                f"process: shortlist validate --vendors <{synth.files:,} synthetic files> (info)",
                [py, "-m", "engine", "validate", "--vendors", str(synth_dir)],
                None,
                (0,),
                None,
            ),
            (
                f"process: shortlist rank --vendors <{synth.files:,} synthetic files> (info)",
                [py, "-m", "engine", "rank", "--vendors", str(synth_dir)],
                None,
                (0,),
                None,
            ),
        ]
        # the real large catalog (issue #6): the genai-prices import, when the package is here
        problems: list[str] = []
        imported = tmp / "vendors-genai-prices"
        made = run_process(
            [py, "-m", "engine", "import", "genai-prices", "--output", str(imported), "--on", IMPORT_ON],
            env,
            work,
        )
        if made[2] == 0:
            n_imp = len(load_catalog([imported], currencies=currencies).offerings)
            what = f"<imported genai-prices catalog, {n_imp:,} offerings>"
            common = ["--vendors", str(imported), "--priorities", "cost-first-startup", "--on", IMPORT_ON]
            proc_specs += [
                (
                    f"process: shortlist rank {what}",
                    [py, "-m", "engine", "rank", *common],
                    IMPORTED_RANK_MAX_S if judge else None,
                    (0,),
                    None,
                ),
                (
                    f"process: shortlist sensitivity (ranking + SMAA, 10,000 samples) {what}",
                    [py, "-m", "engine", "sensitivity", *common, "--samples", "10000"],
                    IMPORTED_SMAA_MAX_S if judge else None,
                    (0,),
                    None,
                ),
            ]
        else:
            print(
                "note: the imported-catalog rows are left out: `shortlist import genai-prices` failed "
                f"({made[4].decode(errors='replace').strip()[:200]}); pip install -e '.[import]'",
                file=sys.stderr,
            )
        outputs: dict[str, bytes] = {}
        for name, cmd, target, ok, same_as in proc_specs:
            row, out, bad = process_row(name, cmd, env, work, repeat, ok, same_as)
            row.target_s = target
            rows.append(row)
            outputs[name] = out
            problems += bad
        if n_output:
            more_rows, more_checks, bad = output_rows(
                tmp, env, work, n_output, min(repeat, OUTPUT_RUNS), judge and n_output == OUTPUT_OFFERINGS
            )
            rows += more_rows
            checks.update(more_checks)
            problems += bad
        checks["every process exits 0 (check: 0 or 1)"] = not problems
        ranked = [o for k, o in outputs.items() if "engine rank (bundled" in k]
        checks["shortlist rank prints the ranking table"] = bool(ranked) and b"mistral" in ranked[0].lower()

        total, top, modules = import_profile([py, "-m", "engine", "rank"], env, work)
        avoided = [m for m in HEAVY if m not in modules]
        imported_heavy = [m for m in HEAVY if m in modules]
        checks["shortlist rank imports none of " + ", ".join(HEAVY)] = not imported_heavy
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    elapsed = time.perf_counter() - started
    load_end = load_averages()
    info = machine()
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    print(
        f"Shortlist pipeline benchmark — loading {synth.files:,} vendor files, shortlist rank as a process; "
        f"median of {repeat} runs{' (QUICK: targets not judged)' if args.quick else ''}"
    )
    print(f"date     {now.isoformat()}  ({elapsed:.0f} s)")
    print(machine_line(info, load_span(load_start, load_end)))
    print(
        f"software Python {info['python']}, numpy {info['numpy']}, PyYAML {yaml.__version__} "
        f"({'libyaml C parser' if hasattr(yaml, 'CSafeLoader') else 'pure-Python parser'})"
    )
    print()
    hdr = (
        f"{'measurement':<82} {'median s':>9} {'min s':>8} {'target':>8} {'out MB':>8} {'≤ MB':>6} "
        f"{'pass':>5} {'peak MB':>8}"
    )
    print(hdr)
    print("-" * len(hdr))
    for r in rows:
        target = f"<{r.target_s:g} s" if r.target_s is not None else ""
        ok = "" if r.passed is None else ("PASS" if r.passed else "FAIL")
        peak = f"{r.peak_mb:.1f} {r.peak_kind}" if r.peak_mb is not None else ""
        size = f"{r.out_mb:.3f}" if r.out_mb is not None else ""
        size_max = f"{r.out_max_mb:g}" if r.out_max_mb is not None else ""
        print(
            f"{r.name:<82} {r.median:9.3f} {r.best:8.3f} {target:>8} {size:>8} {size_max:>6} {ok:>5} {peak:>8}"
        )
    print()
    print("notes:")
    for s in [
        f"the {synth.files:,} vendor files are SYNTHETIC: renamed copies of the {len(list(BUNDLED_VENDORS.glob('*.yaml')))} "
        "bundled profiles (same facts, new ids), for timing only.",
        "peak MB: 'traced' = tracemalloc peak of one separate call (Python and numpy allocations); "
        "'RSS' = the process's peak resident set (VmHWM, interpreter included), read as it exits in one "
        "more run (the console script's: that of `python -m engine rank`, the same program).",
        f"import profile of `python -m engine rank` (python -X importtime): {1000 * total:.0f} ms of imports, "
        "by package: " + ", ".join(f"{n} {1000 * c:.0f} ms" for n, c in top) + ".",
        "not imported by `shortlist rank`: "
        + (", ".join(avoided) or "—")
        + (f"; imported: {', '.join(imported_heavy)}" if imported_heavy else ""),
    ]:
        print(f"  - {s}")
    print()
    print("checks:")
    for k, v in checks.items():
        print(f"  {k:<70} {v}")
    for p in problems:
        print(f"  problem: {p}")
    bad = [k for k, v in checks.items() if v is not True]
    missed = [r for r in rows if r.passed is False]
    print()
    print_verdict(
        judge,
        "not judged (--quick, or a file count other than 1,000)",
        [
            f"{r.name}: median {r.median:.3f} s (target < {r.target_s:g} s)"
            + (
                f", output {r.out_mb:.3f} MB (target ≤ {r.out_max_mb:g} MB)"
                if r.out_max_mb is not None
                else ""
            )
            for r in missed
        ],
        bad,
    )

    if args.json:
        doc = {
            "date": now.isoformat(),
            "machine": info,
            "load_average_start": load_start,
            "load_average_end": load_end,
            "repeat": repeat,
            "synthetic": {
                "files": synth.files,
                "offerings": synth.offerings,
                "bytes": synth.bytes,
                "note": "synthetic, renamed copies of the bundled profiles; not real data",
            },
            "results": [
                {
                    "name": r.name,
                    "times_s": r.times,
                    "median_s": r.median,
                    "min_s": r.best,
                    "target_s": r.target_s,
                    "passed": r.passed,
                    "peak_mb": r.peak_mb,
                    "peak_kind": r.peak_kind,
                    "output_mb": r.out_mb,
                    "output_max_mb": r.out_max_mb,
                }
                for r in rows
            ],
            "imports": {"total_s": total, "slowest": top, "heavy_not_imported": avoided},
            "checks": checks,
            "problems": problems,
        }
        write_json(args.json, doc)
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())

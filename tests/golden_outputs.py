"""Record every CLI command's output on the bundled data, and compare two recordings.

A large refactor (moving modules, splitting commands) must not change what a user gets.
This script runs each command of ``shortlist`` on the bundled catalog with its dates
pinned -- every preset; ``rank`` as table, CSV, JSON, Excel and decision record;
``explain``; ``compare`` in every format; ``sensitivity`` as JSON; ``check`` in every
format; ``diff``; ``schema``; ``batch``; ``validate`` (also of a directory of presets
and of a policy); ``import genai-prices``; ``prices check``; ``init`` -- and stores, per command, the exit
code, standard output, standard error and every file it wrote. Run it before the change,
then after it, and compare::

    python -m tests.golden_outputs record /tmp/before      # on the old tree
    python -m tests.golden_outputs record /tmp/after       # on the new tree
    python -m tests.golden_outputs compare /tmp/before /tmp/after

``compare`` prints one line per command whose bytes differ and exits 1 if any do (0 when
every output is byte-identical). Commands run in-process through ``engine.cli.main`` from
the repository root, with relative paths, so recordings made in two checkouts compare.
``--subprocess`` runs each as ``python -m engine`` instead (slower; catches import-time
differences). The test ``tests/test_golden_outputs.py`` keeps the script working.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ON = "2026-12-01"  # the price date every command uses
TODAY = "2026-12-01"  # the date policies are judged on
PRESETS = ("regulated-eu-bank", "cost-first-startup", "sovereign-public-admin")
POLICY = "criteria/policies/eu-regulated.yaml"
COMPARE = ("mistral-large-4-api", "gpt-6-azure-eu")  # replaced by the first two ranked when absent


def _cases(compare_ids: Sequence[str]) -> Iterator[tuple[str, list[str]]]:
    """(name, argv) of every recorded command; ``{out}`` stands for the case's output directory."""
    yield "validate", ["validate"]
    for p in PRESETS:
        pin = ["--priorities", p, "--on", ON]
        for fmt in ("table", "csv", "json"):
            yield f"rank-{p}-{fmt}", ["rank", *pin, "--format", fmt]
        yield f"rank-{p}-csv-excel", ["rank", *pin, "--format", "csv", "--excel"]
        yield f"rank-{p}-xlsx", ["rank", *pin, "--format", "xlsx", "--output", "{out}/ranking.xlsx"]
        yield f"rank-{p}-record", ["rank", *pin, "--format", "csv", "--record", "{out}/record.md"]
        yield f"rank-{p}-top3", ["rank", *pin, "--top", "3"]
        yield f"explain-{p}", ["explain", compare_ids[0], *pin]
        for fmt in ("table", "markdown", "csv", "json"):
            yield f"compare-{p}-{fmt}", ["compare", *compare_ids, *pin, "--format", fmt]
        yield (
            f"sensitivity-{p}-json",
            ["sensitivity", *pin, "--samples", "2000", "--seed", "7", "--format", "json"],
        )
        yield f"sensitivity-{p}-table", ["sensitivity", *pin, "--samples", "2000", "--seed", "7"]
        yield f"diff-{p}", ["diff", "--base-vendors", "vendors", "--priorities", p, "--on", ON]
    for method in ("weighted-product", "topsis"):
        yield f"rank-{method}", ["rank", "--on", ON, "--method", method, "--format", "csv"]
    yield (
        "rank-weight-order",
        ["rank", "--on", ON, "--weight-order", "compliance > data_residency > capability", "--format", "csv"],
    )
    for fmt in ("text", "json", "junit", "github", "sarif"):
        yield f"check-{fmt}", ["check", "--policy", POLICY, "--today", TODAY, "--format", fmt]
    yield "check-warn", ["check", "--policy", POLICY, "--today", TODAY, "--fail-on", "warn"]
    for kind in ("vendor", "priorities", "policy", "criteria"):
        yield f"schema-{kind}", ["schema", kind]
    yield "batch", ["batch", *PRESETS, "--on", ON, "--robustness", "--output-dir", "{out}/batch"]
    yield "validate-presets-dir", ["validate", "criteria/presets"]
    yield "validate-policy", ["validate", POLICY]
    yield "explain-unknown", ["explain", "no-such-offering", "--on", ON]
    yield (
        "import-genai-prices",
        ["import", "genai-prices", "--on", ON, "--as-of", ON, "--output", "{out}/imported"],
    )
    for fmt in ("text", "json"):
        yield f"prices-check-{fmt}", ["prices", "check", "--on", ON, "--format", fmt]
    yield "init", ["init", "{out}/repo"]


def _run(argv: list[str], subprocess_mode: bool) -> tuple[int, bytes, bytes]:
    if subprocess_mode:
        proc = subprocess.run(
            [sys.executable, "-m", "engine", *argv], cwd=ROOT, capture_output=True, check=False
        )
        return proc.returncode, proc.stdout, proc.stderr
    from engine.cli import main

    out, err = io.StringIO(), io.StringIO()
    cwd = Path.cwd()
    os.chdir(ROOT)
    try:
        code = main(argv, out=out, err=err)
    finally:
        os.chdir(cwd)
    return code, out.getvalue().encode(), err.getvalue().encode()


def _compare_ids(subprocess_mode: bool) -> list[str]:
    _code, out, _ = _run(["rank", "--on", ON, "--format", "csv"], subprocess_mode)
    ranked = [line.split(",")[1] for line in out.decode().splitlines()[1:] if ",ranked," in line]
    wanted = [i for i in COMPARE if i in ranked]
    return wanted if len(wanted) == len(COMPARE) else ranked[:2]


_SHA = re.compile(rb"--hash=sha256:[0-9a-f]{64}")


def _stable(data: bytes, path: Path) -> bytes:
    """The bytes to keep of a written file: ``init``'s wheel of the running Shortlist (and its
    hash) is the source tree itself, which a refactor changes by definition, so only its
    presence is recorded."""
    if path.suffix == ".whl":
        return b"<a wheel of the running Shortlist>\n"
    if path.name == "requirements.txt" and path.parent.name == ".shortlist":
        return _SHA.sub(b"--hash=sha256:<the wheel's>", data)
    return data


def record(directory: Path, subprocess_mode: bool = False, only: str | None = None) -> int:
    """Run every case and store its exit code, stdout, stderr and files under ``directory``.

    Returns the number of cases recorded.
    """
    directory.mkdir(parents=True, exist_ok=True)
    n = 0
    for name, argv in _cases(_compare_ids(subprocess_mode)):
        if only is not None and only not in name:
            continue
        case = directory / name
        if case.exists():
            shutil.rmtree(case)
        files = case / "files"
        files.mkdir(parents=True)
        # Files are written to a scratch directory under the same relative name in every
        # recording, so a path echoed in the output does not differ between two runs.
        with tempfile.TemporaryDirectory(prefix="golden-") as tmp:
            scratch = Path(tmp) / "out"
            scratch.mkdir()
            code, stdout, stderr = _run([a.replace("{out}", str(scratch)) for a in argv], subprocess_mode)
            stdout = stdout.replace(str(scratch).encode(), b"{out}")
            stderr = stderr.replace(str(scratch).encode(), b"{out}")
            for path in sorted(scratch.rglob("*")):
                if path.is_file():
                    target = files / path.relative_to(scratch)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(
                        _stable(path.read_bytes().replace(str(scratch).encode(), b"{out}"), path)
                    )
        (case / "argv").write_text(" ".join(argv) + "\n", encoding="utf-8")
        (case / "exit").write_text(f"{code}\n", encoding="utf-8")
        (case / "stdout").write_bytes(stdout)
        (case / "stderr").write_bytes(stderr)
        n += 1
    return n


def compare(before: Path, after: Path) -> list[str]:
    """Names of the differences between two recordings (empty when byte-identical)."""
    problems: list[str] = []
    names_a = {p.name for p in before.iterdir() if p.is_dir()}
    names_b = {p.name for p in after.iterdir() if p.is_dir()}
    for name in sorted(names_a - names_b):
        problems.append(f"{name}: only in {before}")
    for name in sorted(names_b - names_a):
        problems.append(f"{name}: only in {after}")
    for name in sorted(names_a & names_b):
        files_a = {p.relative_to(before / name) for p in (before / name).rglob("*") if p.is_file()}
        files_b = {p.relative_to(after / name) for p in (after / name).rglob("*") if p.is_file()}
        for rel in sorted(files_a ^ files_b):
            problems.append(f"{name}: {rel} written on one side only")
        for rel in sorted(files_a & files_b):
            if (before / name / rel).read_bytes() != (after / name / rel).read_bytes():
                problems.append(f"{name}: {rel} differs")
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``record DIR`` or ``compare BEFORE AFTER``."""
    parser = argparse.ArgumentParser(prog="python -m tests.golden_outputs", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    rec = sub.add_parser("record", help="run every command and store its outputs in DIR")
    rec.add_argument("directory", type=Path)
    rec.add_argument("--subprocess", action="store_true", help="run each command as python -m engine")
    rec.add_argument("--only", help="only the cases whose name contains this text")
    cmp_ = sub.add_parser("compare", help="compare two recordings byte for byte")
    cmp_.add_argument("before", type=Path)
    cmp_.add_argument("after", type=Path)
    args = parser.parse_args(argv)
    if args.command == "record":
        n = record(args.directory, args.subprocess, args.only)
        print(f"{n} commands recorded in {args.directory}")
        return 0
    problems = compare(args.before, args.after)
    for line in problems:
        print(line)
    print("byte-identical" if not problems else f"{len(problems)} differences")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

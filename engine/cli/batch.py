"""``shortlist batch``: many priorities files at once, serially or on Dask."""

from __future__ import annotations

import argparse
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from engine.catalog.loading import (
    catalog_roots,
    load_catalog,
    load_criteria,
    resolve_priorities,
)
from engine.cli.common import _dirs, _print_issues, _vendor_problems, _write
from engine.errors import InputError, Issue
from engine.mcda.scoring import EVIDENCE_GAP
from engine.reports.escape import terminal
from engine.reports.export import to_csv, to_json


def _fold(name: str) -> str:
    """One spelling of an output file name as file systems compare them: Unicode NFC,
    then case-folded (``STRASSE.csv`` and ``straße.csv``, ``café`` composed or not)."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", name).casefold())


def _output_stems(
    sources: Sequence[str], criteria_dir: Path, suffixes: Sequence[str] = (".csv",)
) -> tuple[list[str], dict[int, Issue]]:
    """The output name (file stem) of each priorities argument, and an issue for each
    argument whose output files (``stem`` + each of ``suffixes``) an earlier one's
    already take, compared without regard to case (``Team.yaml`` and ``team.yaml``
    are one file on macOS and Windows) or Unicode normal form (``café`` written with
    a precomposed ``é`` or with ``e`` and a combining accent are one file on macOS):
    it would overwrite them."""
    stems: list[str] = []
    clashes: dict[int, Issue] = {}
    taken: dict[str, tuple[str, Path | None, str]] = {}  # output name, case-folded → first owner
    for k, src in enumerate(sources):
        try:
            path: Path | None = resolve_priorities(src, criteria_dir).resolve()
        except InputError:
            path = None  # not found: the batch reports it
        stem = path.stem if path is not None else Path(src).stem
        stems.append(stem)
        names = [stem + suffix for suffix in suffixes]
        hit = next((taken[_fold(n)] for n in names if _fold(n) in taken), None)
        if hit is None:
            taken.update({_fold(n): (src, path, n) for n in names})
            continue
        other, other_path, other_name = hit
        if path is not None and path == other_path:
            msg = f"the same priorities file as {other!r}, given twice: it is ranked once"
        else:
            mine = next(n for n in names if _fold(n) == _fold(other_name))
            msg = (
                f"its output files would be named {stem!r}, and {mine!r} is {other!r}'s {other_name!r} "
                "(file names compared without regard to case or Unicode normal form): it would "
                "overwrite it; give each priorities file its own name"
            )
        clashes[k] = Issue("usage.invalid", msg, file=src)
    return stems, clashes


def _summary(rows: Sequence[tuple[str, ...]]) -> str:
    head = ("file", "leader", "score", "ranked", "excluded", "gaps", "status")
    rows = [tuple(terminal(c) for c in r) for r in rows]
    widths = [max(len(r[j]) for r in (head, *rows)) for j in range(len(head))]
    right = {2, 3, 4, 5}

    def line(r: tuple[str, ...]) -> str:
        cells = [
            c.rjust(w) if j in right else c.ljust(w) for j, (c, w) in enumerate(zip(r, widths, strict=True))
        ]
        return "  ".join(cells).rstrip()

    return "\n".join(line(r) for r in (head, *rows)) + "\n"


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from engine.batch import BatchItem, rank_many, robustness_many
    from engine.reports.export import sensitivity_json

    criteria_dir, vendors_dir = _dirs(args)
    criteria = load_criteria(criteria_dir)
    roots = catalog_roots(vendors_dir, criteria_dir)
    catalog = load_catalog([vendors_dir], currencies=criteria.currencies(), roots=roots)
    if not catalog.offerings:
        raise InputError(
            [*catalog.issues, Issue("catalog.empty", "no valid offering to rank", str(vendors_dir))]
        )
    sources: list[str] = list(args.priorities)
    suffixes = [f".{args.format}", *([".sensitivity.json"] if args.robustness else [])]
    stems, clashes = _output_stems(sources, criteria_dir, suffixes)
    run = robustness_many if args.robustness else rank_many
    todo = [s for k, s in enumerate(sources) if k not in clashes]
    result = run(
        catalog, criteria, todo, on_date=args.on, criteria_dir=criteria_dir, scheduler=args.scheduler
    )
    done = iter(result.items)
    items = [
        BatchItem(s, None, None, None, None, (clashes[k],)) if k in clashes else next(done)
        for k, s in enumerate(sources)
    ]
    out_dir = Path(args.output_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        msg = f"cannot create the output directory: {exc.strerror}"
        raise InputError([*catalog.issues, Issue("io.write_error", msg, str(out_dir))]) from None
    rows: list[tuple[str, ...]] = []
    warnings: list[str] = []
    problems: list[Issue] = []
    for item, stem in zip(items, stems, strict=True):
        issues = list(item.issues)
        ranking = item.ranking
        outputs: dict[str, bytes] = {}
        if ranking is not None:
            outputs[f"{stem}.{args.format}"] = to_csv(ranking) if args.format == "csv" else to_json(ranking)
            if item.report is not None:
                outputs[f"{stem}.sensitivity.json"] = sensitivity_json(item.report, ranking)
        for name, data in outputs.items():
            try:
                (out_dir / name).write_bytes(data)
            except OSError as exc:
                msg = f"cannot write the output file: {exc.strerror}"
                issues.append(Issue("io.write_error", msg, str(out_dir / name)))
        problems += issues
        leader = ranking.ranked[0] if ranking is not None and ranking.ranked else None
        status = "ok" if not issues else f"invalid ({len(issues)} problem{'s' if len(issues) > 1 else ''})"
        rows.append(
            (
                item.source,
                leader.offering_id if leader is not None else "-",
                f"{leader.score:.2f}" if leader is not None and leader.score is not None else "-",
                str(len(ranking.ranked)) if ranking is not None else "-",
                str(len(ranking.excluded)) if ranking is not None else "-",
                str(sum(r.exclusion == EVIDENCE_GAP for r in ranking.excluded))
                if ranking is not None
                else "-",
                status,
            )
        )
        if ranking is not None:  # a ranking resting on missing data says so beside its line
            warnings += [terminal(f"{item.source}: warning: {x}") for x in ranking.warnings]
    # gaps: excluded offerings kept out by unknown facts only; then, after a blank line,
    # each ranking's coverage warnings
    tail = "\n" + "".join(f"{x}\n" for x in warnings) if warnings else ""
    _write(_summary(rows) + tail, None, out)
    broken_vendors = _vendor_problems(catalog, err, "ranked")
    if problems:
        _print_issues(problems, err)
        bad = sum(1 for r in rows if r[-1] != "ok")
        print(
            f"{bad} of {len(rows)} priorities file(s) had problems; the others' results are in {out_dir}",
            file=err,
        )
    return 2 if problems or broken_vendors else 0

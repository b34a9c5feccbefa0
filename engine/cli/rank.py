"""``shortlist rank``: the ranking as a table, CSV, JSON or Excel, and the decision record."""

from __future__ import annotations

import argparse
from typing import TextIO

from engine._version import __version__
from engine.catalog.loading import (
    file_digests,
)
from engine.cli.common import _load, _Loaded, _vendor_problems, _write
from engine.errors import InputError
from engine.reports.escape import terminal
from engine.reports.excel import to_xlsx
from engine.reports.export import to_csv, to_json, to_table


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if args.format is None:  # --excel implies CSV; otherwise the table
        args.format = "csv" if args.excel else "table"
    if args.excel and args.format != "csv":
        raise InputError.single("usage.invalid", "--excel applies to --format csv only")
    if args.format == "xlsx" and not args.output:
        raise InputError.single(
            "usage.invalid", "--format xlsx writes a binary workbook, not text: give --output FILE.xlsx"
        )
    loaded = _load(args)
    catalog, ranking = loaded.catalog, loaded.ranking
    if args.record:
        _write(_record(args, loaded), args.record, out)
    if args.format == "csv":
        data: bytes | str = to_csv(ranking, excel=args.excel, top=args.top)
    elif args.format == "json":
        data = to_json(ranking, top=args.top)
    elif args.format == "xlsx":  # the notes are on its Inputs sheet
        data = to_xlsx(ranking, loaded.priorities, catalog, top=args.top, version=__version__)
    else:
        data = to_table(ranking, top=args.top)
    _write(data, args.output, out)
    if args.format == "csv":  # the CSV has no room for notes: say them on stderr
        print(
            f"note: monthly_cost_value is in {ranking.currency} per month; prices on {ranking.on_date.isoformat()}",
            file=err,
        )
        for x in ranking.warnings:  # the CSV has no room for them either
            print(terminal(f"warning: {x}"), file=err)
        for n in ranking.notes:
            print(terminal(f"note: {n}"), file=err)
    if _vendor_problems(catalog, err, "ranked"):
        return 2
    return 0


def _record(args: argparse.Namespace, loaded: _Loaded) -> str:
    """The decision record (Markdown) of a ranking, with the robustness summary."""
    from engine._version import __version__
    from engine.mcda.sensitivity.report import sensitivity_with
    from engine.reports.record import decision_record

    ranking = loaded.ranking
    # named from the catalog root (catalog_roots): the same record from any working directory
    digests = dict(loaded.catalog.digests)
    digests.update(file_digests([*loaded.criteria.files, loaded.priorities_path], loaded.roots))
    report = sensitivity_with(ranking, loaded.priorities.robustness) if ranking.ranked else None
    return decision_record(
        ranking,
        loaded.priorities,
        input_digests=digests,
        version=__version__,
        robustness=report,
        top=args.top,
        answer_files=loaded.catalog.answer_files,
        answer_uses=loaded.catalog.answer_uses,
        answer_problems=loaded.catalog.answer_problems,
    )

"""``shortlist rfi``: per model maker and per channel operator, the questions the
buyer's ranking leaves open, as Markdown, a YAML answer template or one Excel workbook."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from engine._version import __version__
from engine.catalog.text import ID_PATTERN, id_problem
from engine.cli.common import _load, _vendor_problems, _write
from engine.errors import InputError, Issue, suggest
from engine.mcda.unknowns import ranges_of
from engine.reports.escape import terminal

WORKBOOK = "rfi.xlsx"
"""The workbook's file name in ``--output DIR``."""
SUFFIXES = {"markdown": ".md", "yaml": ".rfi.yaml"}
"""The file name suffix of each per-vendor format in ``--output DIR`` (``<vendor id><suffix>``)."""


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from engine.catalog.questions import operator_ids
    from engine.reports.rfi import questionnaires
    from engine.reports.rfi_output import rfi_markdown, rfi_xlsx, rfi_yaml

    if args.format == "xlsx" and not args.output:
        raise InputError.single(
            "usage.invalid", "--format xlsx writes a binary workbook, not text: give --output DIR"
        )
    if args.vendor is not None:
        bad = id_problem(args.vendor, ID_PATTERN)
        if bad:
            raise InputError.single("usage.invalid", f"--vendor expects a vendor or operator id, found {bad}")
    loaded = _load(args)
    catalog = loaded.catalog
    vendors = sorted({ro.vendor.id for ro in catalog.offerings})
    operators = sorted(operator_ids(catalog).values())
    if args.vendor is not None and args.vendor not in vendors + operators:
        known = vendors + operators
        msg = (
            f"--vendor: no valid vendor file nor channel operator has the id {args.vendor!r}"
            f"{suggest(args.vendor, known)} (vendors: {', '.join(vendors)}; operators: "
            f"{', '.join(operators) or 'none'})"
        )
        raise InputError([*catalog.issues, Issue("usage.invalid", msg)])
    # questions ordered by how far each answer can move its offering (engine.mcda.unknowns)
    impact = ranges_of(loaded.ranking, loaded.priorities, cut=args.top)
    rfi = questionnaires(
        loaded.ranking,
        catalog,
        loaded.priorities,
        cut=args.top,
        vendor=args.vendor,
        impact=impact,
        frameworks=loaded.criteria.sovereignty,
    )
    if args.format == "xlsx":
        out_dir = _out_dir(args.output, catalog.issues)
        _write(rfi_xlsx(rfi, __version__), str(out_dir / WORKBOOK), out)
        print(terminal(f"wrote {out_dir / WORKBOOK} ({len(rfi.vendors)} vendor sheet(s))"), file=err)
    else:
        render = rfi_markdown if args.format == "markdown" else rfi_yaml
        if not args.output:
            if len(rfi.vendors) != 1:
                raise InputError(
                    [
                        *catalog.issues,
                        Issue(
                            "usage.invalid",
                            f"{len(rfi.vendors)} vendors: their questionnaires are one file each; "
                            "give --output DIR, or --vendor ID for one on standard output",
                        ),
                    ]
                )
            _write(render(rfi, rfi.vendors[0]), None, out, binary=args.format == "yaml")
        else:
            out_dir = _out_dir(args.output, catalog.issues)
            for (
                v
            ) in rfi.vendors:  # file names from vendor and operator ids only ([a-z0-9._-], never "." or "..")
                path = out_dir / f"{v.vendor_id}{SUFFIXES[args.format]}"
                _write(render(rfi, v), str(path), out)
            print(terminal(f"wrote {len(rfi.vendors)} questionnaire(s) to {out_dir}"), file=err)
    if _vendor_problems(catalog, err, "asked about"):
        return 2
    return 0


def _out_dir(output: str, issues: tuple[Issue, ...]) -> Path:
    """``--output DIR``, created with its parents when missing."""
    out_dir = Path(output)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        msg = f"cannot create the output directory: {reason}"
        raise InputError([*issues, Issue("io.write_error", msg, output)]) from None
    return out_dir

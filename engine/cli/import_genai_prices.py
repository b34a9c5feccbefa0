"""``shortlist import genai-prices``: vendor profiles from the genai-prices dataset."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import TextIO

from engine.reports.escape import terminal, terminal_block


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from engine.catalog.importers import genai_prices as gp

    try:
        dataset = gp.load_dataset()
    except gp.MissingPackage as exc:
        print(str(exc), file=err)
        return 2
    result = gp.build_import(dataset, args.on or dt.date.today(), args.as_of)
    others = gp.write_profiles(gp.profile_files(result), args.output)
    out.write(terminal_block(gp.summary_text(result, args.output)))  # names from the dataset
    if others:
        shown = terminal(", ".join(others[:5]) + (", …" if len(others) > 5 else ""))
        print(
            f"note: {args.output} also holds {len(others)} other profile file(s), loaded with the "
            f"imported ones: {shown}",
            file=err,
        )
    return 0

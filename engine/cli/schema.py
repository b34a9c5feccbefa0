"""``shortlist schema``: the JSON Schema of a YAML file kind."""

from __future__ import annotations

import argparse
from typing import TextIO

from engine.cli.common import _write


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    import json

    from engine.catalog.schema import json_schema

    text = json.dumps(json_schema(args.kind), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    _write(text, args.output, out, binary=True)
    return 0

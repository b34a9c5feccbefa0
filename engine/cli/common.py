"""What the commands share: locating the catalog, loading vendors, criteria and priorities
(with ``--weight`` overrides), printing issues and writing an output."""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TextIO

from engine.catalog.bundled import bundled_root
from engine.catalog.loading import (
    Catalog,
    CriteriaCatalog,
    catalog_roots,
    load_catalog,
    load_criteria,
    load_priorities_doc,
    locate,
    read_input,
    resolve_priorities,
)
from engine.catalog.ranges import WEIGHT_MAX
from engine.catalog.schema import PrioritiesFile
from engine.catalog.sovereignty import Sovereignty
from engine.catalog.text import ID_PATTERN, id_problem
from engine.cli.parser import _decimal
from engine.errors import InputError, Issue, shown_path
from engine.mcda.elicitation import parse_order
from engine.mcda.scoring import Ranking, elicited_weights, rank
from engine.reports.escape import terminal

_REPO = bundled_root()


def _default_dir(name: str) -> Path:
    local = Path(name)
    return local if local.is_dir() else _REPO / name


WEIGHT_EXPECTED = "CRITERION=NUMBER, a plain decimal ≥ 0 and ≤ 1000000 (10^6) such as 25 or 2.5"
"""What ``--weight`` accepts (the weight range of engine.catalog.ranges.WEIGHT_MAX)."""


def weight_value(text: str) -> float | None:
    """A ``--weight`` value: a plain decimal from 0 to 10^6 (the schema's ``Weight``), else ``None``."""
    x = _decimal(text.strip())
    return x if x is not None and 0 <= x <= WEIGHT_MAX else None


def _weights(pairs: Sequence[str], base: PrioritiesFile, ids: tuple[str, ...]) -> dict[str, float] | None:
    if not pairs:
        return None
    out, _ = elicited_weights(base, ids)
    issues = []
    given: dict[str, str] = {}
    for pair in pairs:
        key, sep, val = pair.partition("=")
        bad_key = id_problem(key, ID_PATTERN) if sep else None
        if bad_key:  # no space, newline or look-alike letter around or inside the id
            msg = f"--weight expects CRITERION=NUMBER with a criterion id, found {bad_key} in {pair!r}"
            issues.append(Issue("usage.invalid", msg))
            continue
        if sep and key in given:  # the last would win silently
            msg = f"--weight gives {key!r} twice ({given[key]!r}, then {pair!r}): give it once"
            issues.append(Issue("usage.invalid", msg))
            continue
        given[key] = pair
        try:
            if not sep:
                raise ValueError
            x = _decimal(val.strip())  # a number out of range: the schema's message names the criterion
            if x is None:
                raise ValueError
            out[key] = x
        except ValueError:
            msg = f"--weight expects {WEIGHT_EXPECTED}, found {pair!r}"
            issues.append(Issue("usage.invalid", msg))
    if issues:
        raise InputError(issues)
    return out


def _print_issues(issues: Sequence[Issue], err: TextIO) -> None:
    for i in issues:  # one line each, controls in quoted input made visible
        print(terminal(str(i)), file=err)


def _in_files(issue: Issue, files: set[str]) -> bool:
    """Whether an issue is in one of ``files`` (or in a sheet of one: ``<file>#<sheet>``)."""
    f = issue.file or ""
    return any(f == a or f.startswith(f"{a}#") for a in files)


def _vendor_problems(catalog: Catalog, err: TextIO, verb: str) -> bool:
    """Print the problems of vendor files that did not load; True when there were any
    (the command then exits 2, having worked on the valid offerings)."""
    if catalog.issues:
        _print_issues(catalog.issues, err)
        # answer files are the inputs read besides the vendor files (engine.catalog.answers.read_and_fold)
        answer_files = set(catalog.digests) - set(catalog.files)
        files = (
            "vendor and answer files"
            if catalog.answer_problems
            or any(i.code.startswith("answers.") or _in_files(i, answer_files) for i in catalog.issues)
            else "vendor files"
        )
        print(f"{len(catalog.issues)} problem(s) in the {files}; {verb} the valid offerings", file=err)
        if catalog.answer_problems:
            from engine.catalog.answers import not_used

            for name, sheets in not_used(catalog.answer_problems, answer_files).items():
                line = (
                    f"{name}: {len(sheets)} sheet(s) not used ({', '.join(sheets)}) because of the problems "
                    "above; its valid sheets were used"
                    if sheets
                    else f"{name}: answer file not used because of the problems above"
                )
                print(terminal(line), file=err)
    return bool(catalog.issues)


def _write(data: bytes | str, output: str | None, out: TextIO, *, binary: bool = False) -> None:
    """Write ``data`` to the file ``output`` (UTF-8; text it cannot encode, such as a file
    name with undecodable bytes, as backslash escapes) or to ``out``: bytes, and text
    with ``binary`` (the data formats: CSV, JSON, XML, workflow commands), to its
    binary buffer when it has one, so they arrive as UTF-8 whatever the terminal's
    encoding (a backslash escape would make JSON or XML invalid).

    Raises
    ------
    InputError
        ``io.write_error`` naming the file and the system's reason when it cannot be
        written (a missing directory, a directory, no permission, a full disk).
    """
    if isinstance(data, str) and (binary or output):
        data = data.encode("utf-8", errors="backslashreplace")
    if output:
        raw = data if isinstance(data, bytes) else data.encode("utf-8", errors="backslashreplace")
        try:
            Path(output).write_bytes(raw)
        except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the name
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise InputError.single(
                "io.write_error", f"cannot write the output file: {reason}", file=output
            ) from None
        return
    buffer = getattr(out, "buffer", None) if isinstance(data, bytes) else None
    if isinstance(data, bytes) and buffer is not None:
        out.flush()
        buffer.write(data)
        buffer.flush()
        return
    out.write(data.decode("utf-8") if isinstance(data, bytes) else data)
    out.flush()


def _dirs(args: argparse.Namespace) -> tuple[Path, Path]:
    criteria_dir = Path(args.criteria) if args.criteria else _default_dir("criteria")
    vendors_dir = Path(args.vendors) if args.vendors else _default_dir("vendors")
    return criteria_dir, vendors_dir


def with_answers(
    catalog: Catalog,
    args: argparse.Namespace,
    currencies: frozenset[str] | None = None,
    frameworks: Mapping[str, Sovereignty] | None = None,
) -> Catalog:
    """``catalog`` with the answer files of ``--answers`` folded in
    (:func:`engine.catalog.answers.read_and_fold`; ``--prefer-answers``: answers win
    conflicts). A file that cannot be read or has problems adds its issues and
    contributes nothing; the valid ones are used. ``currencies``: those the
    exchange-rate table knows (a price answered in another is refused); ``frameworks``:
    the sovereignty frameworks answers to framework criteria are checked against."""
    paths = getattr(args, "answers", None) or []
    if not paths:
        return catalog
    from engine.catalog.answers import MAX_FILE_BYTES, read_and_fold

    inputs: list[tuple[str, bytes]] = []
    unread: list[Issue] = []
    for p in paths:
        name = shown_path(p)
        try:
            raw = read_input(p, MAX_FILE_BYTES)
        except InputError as exc:
            unread.extend(exc.issues)
            continue
        inputs.append((name, raw))
    folded = read_and_fold(
        catalog,
        inputs,
        prefer_answers=bool(getattr(args, "prefer_answers", False)),
        currencies=currencies,
        frameworks=frameworks,
    )
    if not unread:
        return folded
    return replace(
        folded, issues=(*folded.issues, *unread), answer_problems=(*folded.answer_problems, *unread)
    )


@dataclass(frozen=True)
class _Loaded:
    """What `rank`, `explain` and `sensitivity` load, once."""

    catalog: Catalog
    criteria: CriteriaCatalog
    priorities: PrioritiesFile
    priorities_path: Path
    ranking: Ranking
    roots: tuple[tuple[str, Path], ...]


def _load(args: argparse.Namespace) -> _Loaded:
    criteria_dir, vendors_dir = _dirs(args)
    criteria = load_criteria(criteria_dir)
    priorities_path = resolve_priorities(args.priorities, criteria_dir)
    priorities, doc = load_priorities_doc(priorities_path)
    roots = catalog_roots(vendors_dir, criteria_dir)
    catalog = load_catalog([vendors_dir], currencies=criteria.currencies(), roots=roots)
    if not catalog.offerings:
        raise InputError(
            [*catalog.issues, Issue("catalog.empty", "no valid offering to rank", str(vendors_dir))]
        )
    catalog = with_answers(catalog, args, criteria.currencies(), criteria.sovereignty)
    if args.weight_order is not None:
        parse_order(args.weight_order, criteria.ids(), field="--weight-order")
        if args.weight:
            raise InputError.single("usage.invalid", "give either --weight or --weight-order, not both")
        # as if the file had said weight_order: rank elicits the weights and notes how
        priorities = priorities.model_copy(
            update={"weight_order": args.weight_order, "weights": {}, "ahp": None}
        )
    weights = _weights(args.weight or [], priorities, criteria.ids())
    try:
        ranking = rank(catalog, criteria, priorities, weights=weights, on_date=args.on, method=args.method)
    except InputError as exc:
        # a bad weight given with --weight belongs to the command line, not the file
        from_cli = [i for i in exc.issues if weights is not None and (i.field or "").startswith("weights")]
        rest = [i for i in exc.issues if i not in from_cli]
        raise InputError([*from_cli, *locate(rest, doc)]) from None
    return _Loaded(catalog, criteria, priorities, priorities_path, ranking, roots)

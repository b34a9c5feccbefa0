"""Command-line interface: ``shortlist validate | rank | explain``.

Exit codes: 0 success; 2 invalid input or usage (one line per problem on stderr, in
the form ``file:line:column: code [field]: message``). Data goes to stdout (or
``--output``), diagnostics to stderr. When some vendor files are invalid, ``rank``
and ``explain`` still work on the valid ones, print the problems and exit 2.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn, TextIO

from engine.errors import InputError, Issue, suggest
from engine.export import to_csv, to_json, to_table
from engine.loading import Catalog, CriteriaCatalog, load_catalog, load_criteria, load_priorities
from engine.schema import PrioritiesFile
from engine.scoring import Ranking, rank

__all__ = ["DEFAULT_PRESET", "main", "resolve_priorities"]

DEFAULT_PRESET = "regulated-eu-bank"
"""Preset used when ``--priorities`` is not given."""

_REPO = Path(__file__).resolve().parent.parent


def _default_dir(name: str) -> Path:
    local = Path(name)
    return local if local.is_dir() else _REPO / name


def resolve_priorities(arg: str | None, criteria_dir: Path) -> Path:
    """Map ``--priorities`` to a file: a path, or the name of a preset in
    ``<criteria>/presets`` (with or without ``.yaml``); default :data:`DEFAULT_PRESET`."""
    name = arg or DEFAULT_PRESET
    p = Path(name)
    if p.is_file():
        return p
    for cand in (criteria_dir / "presets" / name, criteria_dir / "presets" / f"{name}.yaml"):
        if cand.is_file():
            return cand
    presets = ", ".join(sorted(x.stem for x in (criteria_dir / "presets").glob("*.yaml")))
    raise InputError.single(
        "io.not_found", f"no priorities file or preset named {name!r} (presets: {presets})", file=name
    )


def _weights(pairs: Sequence[str], base: PrioritiesFile) -> dict[str, float] | None:
    if not pairs:
        return None
    out = dict(base.weights)
    issues = []
    for pair in pairs:
        key, sep, val = pair.partition("=")
        try:
            if not sep:
                raise ValueError
            out[key.strip()] = float(val)
        except ValueError:
            issues.append(Issue("usage.invalid", f"--weight expects CRITERION=NUMBER, found {pair!r}"))
    if issues:
        raise InputError(issues)
    return out


def _print_issues(issues: Sequence[Issue], err: TextIO) -> None:
    for i in issues:
        print(str(i), file=err)


def _write(data: bytes | str, output: str | None, out: TextIO) -> None:
    if output:
        Path(output).write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    else:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        out.write(text)
        out.flush()


def _load(args: argparse.Namespace) -> tuple[Catalog, CriteriaCatalog, PrioritiesFile, Ranking]:
    criteria_dir = Path(args.criteria) if args.criteria else _default_dir("criteria")
    vendors_dir = Path(args.vendors) if args.vendors else _default_dir("vendors")
    criteria = load_criteria(criteria_dir)
    priorities = load_priorities(resolve_priorities(args.priorities, criteria_dir))
    catalog = load_catalog([vendors_dir])
    weights = _weights(args.weight or [], priorities)
    ranking = rank(catalog, criteria, priorities, weights=weights, on_date=args.on)
    return catalog, criteria, priorities, ranking


def _cmd_validate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    criteria_dir = Path(args.criteria) if args.criteria else _default_dir("criteria")
    paths = [Path(p) for p in args.paths] or [Path(args.vendors) if args.vendors else _default_dir("vendors")]
    issues: list[Issue] = []
    n_presets = 0
    try:
        criteria = load_criteria(criteria_dir)
        for preset in criteria.presets(criteria_dir):
            try:
                p = load_priorities(preset)
                from engine.requirements import check_requirements
                from engine.scoring import normalise_weights

                issues.extend(
                    Issue(i.code, i.message, str(preset), i.line, i.column, i.field)
                    for i in check_requirements(p.requirements)
                )
                try:
                    normalise_weights(p.weights, criteria.ids())
                except InputError as exc:
                    issues.extend(
                        Issue(i.code, i.message, str(preset), i.line, i.column, i.field) for i in exc.issues
                    )
                n_presets += 1
            except InputError as exc:
                issues.extend(exc.issues)
    except InputError as exc:
        issues.extend(exc.issues)
    catalog = load_catalog(paths)
    issues.extend(catalog.issues)
    if issues:
        _print_issues(issues, err)
        print(f"{len(issues)} problem(s) found", file=err)
        return 2
    print(
        f"OK: {len(catalog.files)} vendor file(s), {len(catalog.offerings)} offering(s), "
        f"criteria catalog and {n_presets} preset(s) valid",
        file=out,
    )
    return 0


def _cmd_rank(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    catalog, _, _, ranking = _load(args)
    if args.format == "csv":
        data: bytes | str = to_csv(ranking, excel=args.excel, top=args.top)
    elif args.format == "json":
        data = to_json(ranking, top=args.top)
    else:
        data = to_table(ranking, top=args.top)
    _write(data, args.output, out)
    if catalog.issues:
        _print_issues(catalog.issues, err)
        print(f"{len(catalog.issues)} problem(s) in the vendor files; ranked the valid offerings", file=err)
        return 2
    return 0


def explain_text(ranking: Ranking, offering_id: str) -> str:
    """Plain-text explanation of one offering: values, utilities, contributions,
    must-haves and the gap to the leader per criterion."""
    row = ranking.row(offering_id)
    leader = ranking.ranked[0] if ranking.ranked else None
    lines = [f"{row.offering_id} — {row.offering} ({row.vendor})"]
    if row.status == "ranked":
        assert row.score is not None
        lines.append(
            f"Rank {row.rank} of {len(ranking.ranked)} · score {row.score:.2f} / 100 · priorities: {ranking.priorities_name}"
        )
    else:
        lines.append(f"Excluded under priorities: {ranking.priorities_name}")
    lines.append(
        f"Data as of {row.as_of.isoformat()} · prices on {ranking.on_date.isoformat()} · source file {row.file}"
    )
    lines.append("")
    head = f"{'criterion':<16}{'weight':>7}  {'value':<30}{'utility':>8}{'points':>8}"
    if leader is not None and row.status == "ranked":
        head += f"{'leader':>8}{'gap':>8}"
    lines.append(head)
    for c in ranking.criteria:
        cell = row.cells[c.id]
        if cell.value is None:
            shown = "unknown"
        elif isinstance(cell.value, str):
            shown = cell.value
        else:
            num = f"{cell.value:,.0f}" if abs(cell.value) >= 10_000 else f"{cell.value:,.4g}"
            unit = f"{ranking.currency}/month" if c.id == "monthly_cost" else c.unit
            shown = f"{num} {unit}"
        u = "-" if cell.utility is None else f"{cell.utility:.3f}"
        line = f"{c.id:<16}{ranking.weights[c.id] * 100:>6.1f}%  {shown:<30}{u:>8}{cell.contribution:>8.2f}"
        if leader is not None and row.status == "ranked":
            lc = leader.cells[c.id].contribution
            line += f"{lc:>8.2f}{cell.contribution - lc:>+8.2f}"
        if cell.imputed:
            line += "  (imputed worst)"
        lines.append(line)
    if row.requirements:
        lines.append("")
        lines.append("Must-haves:")
        for q in row.requirements:
            lines.append(f"  [{q.outcome}] {q.reason}")
    if row.reasons:
        lines.append("")
        lines.append("Flags and reasons:")
        lines.extend(f"  - {r}" for r in row.reasons)
    if leader is not None and row.status == "ranked" and leader.offering_id != row.offering_id:
        assert leader.score is not None and row.score is not None
        lines.append("")
        lines.append(f"Gap to the leader {leader.offering_id}: {row.score - leader.score:+.2f} points")
    return "\n".join(lines) + "\n"


def _cmd_explain(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    catalog, _, _, ranking = _load(args)
    try:
        text = explain_text(ranking, args.offering_id)
    except KeyError:
        hint = suggest(args.offering_id, [r.offering_id for r in ranking.rows])
        raise InputError.single("usage.invalid", f"no offering {args.offering_id!r}{hint}") from None
    out.write(text)
    if catalog.issues:
        _print_issues(catalog.issues, err)
        return 2
    return 0


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, found {text!r}") from None


def _positive(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, found {text!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"expected a number ≥ 1, found {n}")
    return n


class UsageError(Exception):
    """A command-line usage mistake (exit code 2)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: error: {message} (see {self.prog} --help)")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for documentation and tests)."""
    parser = _Parser(prog="shortlist", description="Rank AI vendor offerings against a buyer's priorities.")
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--vendors",
            metavar="DIR",
            help="vendor profiles directory (default: ./vendors, else the bundled one)",
        )
        p.add_argument(
            "--criteria", metavar="DIR", help="criteria directory (default: ./criteria, else the bundled one)"
        )

    v = sub.add_parser("validate", help="validate vendor profiles, the criteria catalog and presets")
    v.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="vendor files or directories (default: the vendors directory)",
    )
    common(v)

    def scoring(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--priorities",
            metavar="FILE",
            help=f"priorities YAML file or preset name (default: {DEFAULT_PRESET})",
        )
        p.add_argument(
            "--weight", action="append", metavar="CRITERION=VALUE", help="override one weight (repeatable)"
        )
        p.add_argument(
            "--on",
            type=_date,
            metavar="YYYY-MM-DD",
            help="use prices in force on this date (default: priorities on_date, else today)",
        )
        common(p)

    r = sub.add_parser("rank", help="rank the offerings")
    scoring(r)
    r.add_argument("--format", choices=("table", "csv", "json"), default="table")
    r.add_argument(
        "--top",
        type=_positive,
        metavar="N",
        help="only the first N ranked offerings (excluded ones are always listed)",
    )
    r.add_argument("--output", metavar="FILE", help="write to FILE instead of stdout")
    r.add_argument("--excel", action="store_true", help="CSV with a UTF-8 byte-order mark for Excel")

    e = sub.add_parser("explain", help="explain one offering's score")
    e.add_argument("offering_id", metavar="OFFERING_ID")
    scoring(e)
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run the CLI; return the exit code (0 success, 2 invalid input or usage)."""
    out = out or sys.stdout
    err = err or sys.stderr
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as exc:
        print(str(exc), file=err)
        return 2
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    handlers = {"validate": _cmd_validate, "rank": _cmd_rank, "explain": _cmd_explain}
    try:
        return handlers[args.command](args, out, err)
    except InputError as exc:
        _print_issues(exc.issues, err)
        return 2
    except BrokenPipeError:  # e.g. `shortlist rank | head`
        return 0


def main_entry() -> None:
    """Console-script entry point (``shortlist``)."""
    sys.exit(main())

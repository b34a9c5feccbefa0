"""The argument parser of ``shortlist``: every command's options, and the types that check
numbers, dates and counts as argparse reads them."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NoReturn

from engine._version import __version__
from engine.catalog.dates import parse_date
from engine.catalog.loading import (
    DEFAULT_PRESET,
)
from engine.catalog.ranges import MAX_AGE_DAYS, SEED_MAX, TOP_MAX, parse_decimal, parse_integer
from engine.mcda.aggregation import METHODS

if TYPE_CHECKING:
    from _typeshed import SupportsWrite


def _decimal(text: str) -> float | None:
    # the one number grammar of the CLI and the app's links (engine.ranges.parse_decimal)
    return parse_decimal(text)


def _number(text: str) -> float:
    # --concentration: the same range as robustness.concentration in a priorities file
    x = _decimal(text)
    if x is None and not _floatish(text):
        raise argparse.ArgumentTypeError(f"expected a number, found {text!r}")
    if x is None or not 0.01 <= x <= 1e6:
        raise argparse.ArgumentTypeError(
            f"expected a finite number > 0 (0.01 to 1000000, a plain decimal such as 2.5), found {text!r}"
        )
    return x


def _floatish(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _percent(text: str) -> float:
    x = _decimal(text.removesuffix("%"))
    if x is None and not _floatish(text.removesuffix("%")):
        raise argparse.ArgumentTypeError(f"expected a number of per cent, found {text!r}")
    if x is None or not 0 <= x <= 1000:
        raise argparse.ArgumentTypeError(
            f"expected a finite number of per cent ≥ 0 and ≤ 1000 (a plain decimal such as 2.5), found {text!r}"
        )
    return x


def _date(text: str) -> dt.date:
    try:
        return parse_date(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def _whole(
    low: int,
    high: int | None = None,
    *,
    parse: str = "a whole number",
    noun: str = "a number",
    unit: str = "",
) -> Callable[[str], int]:
    """An argparse type: a whole number in [low, high], with messages in the user's terms."""

    def parse_text(text: str) -> int:
        n = parse_integer(text)  # int() would read "1_000", " 7", "٣"
        if n is None:
            raise argparse.ArgumentTypeError(f"expected {parse}, found {text!r}")
        if n < low:
            raise argparse.ArgumentTypeError(f"expected {noun} ≥ {low}, found {n}")
        if high is not None and n > high:
            raise argparse.ArgumentTypeError(f"expected at most {high} {unit}, found {n}")
        return n

    return parse_text


# every whole-number option has a finite range (engine.catalog.ranges; docs/catalog.md "Number ranges")
_positive = _whole(1, TOP_MAX, unit="offerings")
_top_k = _whole(1, 1000, unit="places")
_days = _whole(0, MAX_AGE_DAYS, parse="a whole number of days", noun="a number of days", unit="days")
_seed = _whole(0, SEED_MAX, parse="a whole number ≥ 0", noun="a whole number", unit="as a seed")
_samples = _whole(1, 1_000_000, unit="samples")


class UsageError(Exception):
    """A command-line usage mistake (exit code 2)."""


_GIVEN = "_shortlist_given"
"""Namespace attribute: the options given so far on this command line."""


class _Once(argparse.Action):
    """argparse's ``store`` that refuses a second occurrence of its option: argparse's
    own keeps the last value silently (``--vendors a --vendors b`` would use ``b``
    alone). Options meant to repeat say so with ``action="append"``."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[object] | None,
        option_string: str | None = None,
    ) -> None:
        given: dict[str, str] = getattr(namespace, _GIVEN, {})
        this = f"{option_string} {values}" if self.nargs != 0 else str(option_string)
        if self.dest in given:
            raise argparse.ArgumentError(
                self, f"given more than once ({given[self.dest]}, then {this}): give it once"
            )
        setattr(namespace, _GIVEN, {**given, self.dest: this})
        setattr(namespace, self.dest, values if self.nargs != 0 else self.const)


class _OnceTrue(_Once):
    """argparse's ``store_true``, refusing a second occurrence (see :class:`_Once`)."""

    def __init__(
        self, option_strings: Sequence[str], dest: str, default: object = False, **kw: object
    ) -> None:
        super().__init__(option_strings, dest, nargs=0, const=True, default=default, **kw)  # type: ignore[arg-type]


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        # every single-valued option, in groups too, refuses a repeat
        self.register("action", None, _Once)
        self.register("action", "store", _Once)
        self.register("action", "store_true", _OnceTrue)

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: error: {message} (see {self.prog} --help)")

    def _print_message(self, message: str, file: SupportsWrite[str] | None = None) -> None:
        # argparse swallows an OSError here: `shortlist --help > /dev/full` would exit 0
        # with nothing written. Let it reach main(), which reports it (exit 2, or 141).
        if message:
            (file or sys.stderr).write(message)


def catalog_options(p: argparse.ArgumentParser) -> None:
    """``--vendors DIR`` and ``--criteria DIR``: the catalog a command reads."""
    p.add_argument(
        "--vendors",
        metavar="DIR",
        help="vendor profiles directory (default: ./vendors, else the bundled one)",
    )
    p.add_argument(
        "--criteria", metavar="DIR", help="criteria directory (default: ./criteria, else the bundled one)"
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for documentation and tests)."""
    parser = _Parser(prog="shortlist", description="Rank AI vendor offerings against a buyer's priorities.")
    parser.add_argument("--version", action="version", version=f"shortlist {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    common = catalog_options

    v = sub.add_parser(
        "validate",
        help="validate vendor profiles, the criteria catalog, presets, policies and priorities files",
    )
    v.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="vendor, priorities or policy files, vendors directories, or a priorities/ directory "
        "(default: vendors, criteria, presets, policies and ./priorities/)",
    )
    v.add_argument(
        "--today",
        type=_date,
        metavar="YYYY-MM-DD",
        help="date the facts' ages are judged on in the coverage report (default: today)",
    )
    v.add_argument(
        "--stale",
        action="store_true",
        help="list every stale fact (default: the oldest ones, then a count)",
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
            "--weight-order",
            metavar="'A > B > …'",
            help="rank-order centroid weights from an ordering of criteria (replaces the file's weights)",
        )
        p.add_argument(
            "--method",
            choices=METHODS,
            help="aggregation method (default: the priorities file's, else weighted-sum)",
        )
        p.add_argument(
            "--on",
            type=_date,
            metavar="YYYY-MM-DD",
            help="use prices in force on this date (default: priorities on_date, else today)",
        )
        answers(p)
        common(p)

    def answers(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--answers",
            action="append",
            metavar="FILE",
            help="a vendor's filled-in answers to `shortlist rfi` (the YAML template or the workbook), "
            "folded in as vendor-declared evidence (repeatable)",
        )
        p.add_argument(
            "--prefer-answers",
            action="store_true",
            help="let answers override contradicting public facts on stronger evidence (default: the "
            "stronger public fact is used; conflicts are flagged either way)",
        )

    r = sub.add_parser("rank", help="rank the offerings")
    scoring(r)
    r.add_argument(
        "--format",
        choices=("table", "csv", "json", "xlsx"),
        help="table (default; csv with --excel), csv, json, or xlsx: a formatted Excel workbook with "
        "Shortlist, Inputs and Sources sheets (needs --output)",
    )
    r.add_argument(
        "--top",
        type=_positive,
        metavar="N",
        help="only the first N ranked offerings (excluded ones are always listed)",
    )
    r.add_argument(
        "--output", metavar="FILE", help="write to FILE instead of stdout (required with --format xlsx)"
    )
    r.add_argument(
        "--excel",
        action="store_true",
        help="CSV with a UTF-8 byte-order mark for Excel; implies --format csv "
        "(for a formatted workbook: --format xlsx)",
    )
    r.add_argument(
        "--record",
        metavar="FILE.md",
        help="also write a decision record (Markdown: inputs with SHA-256, weights, must-haves, ranking, "
        "exclusions, data age, robustness)",
    )

    e = sub.add_parser(
        "explain", help="explain one offering's score, its robustness and what would make it first"
    )
    e.add_argument("offering_id", metavar="OFFERING_ID")
    scoring(e)
    e.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text (default) or json: the offering's ranking entry and its rank range over its unknowns",
    )
    e.add_argument("--output", metavar="FILE", help="write to FILE instead of stdout")

    cp = sub.add_parser(
        "compare",
        help="compare two to four offerings side by side: values, points won and lost, facts, "
        "what would make each first",
    )
    cp.add_argument(
        "offering_ids", nargs="+", metavar="OFFERING_ID", help="two to four offering ids (the column order)"
    )
    scoring(cp)
    cp.add_argument("--format", choices=("table", "markdown", "csv", "json"), default="table")
    cp.add_argument("--output", metavar="FILE", help="write to FILE instead of stdout")

    s = sub.add_parser(
        "sensitivity",
        help="robustness of the ranking: stability intervals, rank acceptability (SMAA-2), Pareto front",
    )
    scoring(s)
    s.add_argument(
        "--samples",
        type=_samples,
        metavar="N",
        help="weight samples (default: the priorities file's, else 10000)",
    )
    s.add_argument(
        "--seed", type=_seed, metavar="S", help="random seed (default: the priorities file's, else 0)"
    )
    s.add_argument(
        "--concentration",
        type=_number,
        metavar="K",
        help="Dirichlet concentration around your weights, > 0; larger is closer (default 50)",
    )
    s.add_argument(
        "--order",
        metavar="'A > B > …'",
        help="sample weights uniformly among those that respect this order of criteria instead",
    )
    s.add_argument("--top-k", type=_top_k, metavar="K", help="track the order of the top K (default 3)")
    s.add_argument(
        "--format", choices=("table", "csv", "json"), help="table (default; csv with --excel), csv or json"
    )
    s.add_argument("--output", metavar="FILE", help="write to FILE instead of stdout")
    s.add_argument(
        "--excel",
        action="store_true",
        help="CSV with a UTF-8 byte-order mark for Excel; implies --format csv",
    )

    from engine.batch import SCHEDULERS

    b = sub.add_parser(
        "batch",
        help="rank the catalog under many priorities files (and analyse each ranking's robustness), "
        "one output file each, serially or on Dask",
    )
    b.add_argument(
        "priorities",
        nargs="+",
        metavar="PRIORITIES",
        help="priorities YAML files or preset names; each writes DIR/<name>.csv (or .json)",
    )
    b.add_argument(
        "--robustness",
        action="store_true",
        help="also run each file's robustness analysis with its own robustness settings "
        "(DIR/<name>.sensitivity.json, as shortlist sensitivity --format json)",
    )
    b.add_argument(
        "--scheduler",
        choices=SCHEDULERS,
        default="serial",
        help="serial (default: one process, no Dask) or a Dask scheduler: threads, processes, "
        "synchronous (needs pip install 'shortlist[dask]')",
    )
    b.add_argument(
        "--format", choices=("csv", "json"), default="csv", help="of each ranking, as shortlist rank"
    )
    b.add_argument("--output-dir", required=True, metavar="DIR", help="directory for the output files")
    b.add_argument(
        "--on",
        type=_date,
        metavar="YYYY-MM-DD",
        help="use prices in force on this date (default: each file's on_date, else today)",
    )
    common(b)

    from engine.reports.policy_output import FORMATS

    c = sub.add_parser(
        "check",
        help="check the catalog against a CI policy (exit 0 pass, 1 findings, 2 invalid input)",
    )
    c.add_argument(
        "--policy",
        required=True,
        metavar="FILE",
        help="policy YAML file, or the name of one in criteria/policies",
    )
    c.add_argument("--format", choices=FORMATS, default="text")
    c.add_argument("--output", metavar="FILE", help="write the report to FILE instead of stdout")
    c.add_argument(
        "--fail-on",
        choices=("deny", "warn"),
        default="deny",
        help="exit 1 on findings of this severity or worse (default: deny)",
    )
    c.add_argument(
        "--today",
        type=_date,
        metavar="YYYY-MM-DD",
        help="the date waivers and data age are judged on (default: the system date)",
    )
    c.add_argument(
        "--expiring-in",
        type=_days,
        metavar="DAYS",
        help="also report waivers that lapse within DAYS (as warn findings)",
    )
    answers(c)
    common(c)

    from engine.catalog.schema import schema_kinds

    df = sub.add_parser(
        "diff",
        help="how the ranking (and policy findings) change between two catalog versions, as Markdown",
    )
    side = df.add_mutually_exclusive_group(required=True)
    side.add_argument(
        "--base", metavar="REV", help="git revision of the base catalog (vendors/ and criteria/)"
    )
    side.add_argument("--base-vendors", metavar="DIR", help="a vendors directory to compare against instead")
    df.add_argument(
        "--priorities",
        metavar="FILE",
        help=f"priorities file or preset used on both sides (default: {DEFAULT_PRESET})",
    )
    df.add_argument("--policy", metavar="FILE", help="also compare this policy's findings")
    df.add_argument(
        "--on", type=_date, metavar="YYYY-MM-DD", help="price date on both sides (default: today)"
    )
    df.add_argument("--today", type=_date, metavar="YYYY-MM-DD", help="date the policy is judged on")
    df.add_argument("--fail-on", choices=("deny", "warn"), default="deny", help="severity the verdict uses")
    df.add_argument("--output", metavar="FILE", help="write the Markdown to FILE instead of stdout")
    common(df)

    it = sub.add_parser(
        "init",
        help="scaffold a catalog repository: example vendors, criteria, presets, a policy, a CI workflow",
    )
    it.add_argument("directory", metavar="DIR", help="a new (or empty) directory")

    im = sub.add_parser(
        "import",
        help="write vendor profiles from a price dataset installed as a package (genai-prices)",
    )
    im.add_argument("source", choices=("genai-prices",), help="the dataset (pip install 'shortlist[import]')")
    im.add_argument(
        "--output",
        metavar="DIR",
        default="vendors-genai-prices",
        help="directory for the profiles, one per provider (default: ./vendors-genai-prices)",
    )
    im.add_argument(
        "--on",
        type=_date,
        metavar="YYYY-MM-DD",
        help="take the prices in force on this date; later known changes go to prices.schedule "
        "(default: today)",
    )
    im.add_argument(
        "--as-of",
        type=_date,
        metavar="YYYY-MM-DD",
        help="the data date of the profiles (default: the package's release date, when known)",
    )

    pr = sub.add_parser("prices", help="compare the profiles' list prices with a price dataset")
    pr_sub = pr.add_subparsers(dest="prices_command", required=True)
    pc = pr_sub.add_parser(
        "check",
        help="report price drift against genai-prices (exit 0 none, 1 drift, 2 invalid input)",
    )
    pc.add_argument(
        "--tolerance",
        type=_percent,
        default=5.0,
        metavar="PCT",
        help="per cent a price may differ before it counts as drift (default: 5)",
    )
    pc.add_argument(
        "--on",
        type=_date,
        metavar="YYYY-MM-DD",
        help="compare the prices in force on this date (default: today)",
    )
    pc.add_argument("--format", choices=("text", "json"), default="text")
    pc.add_argument("--output", metavar="FILE", help="write to FILE instead of stdout")
    pc.add_argument(
        "--vendors",
        metavar="DIR",
        help="vendor profiles directory (default: ./vendors, else the bundled one)",
    )
    pc.set_defaults(criteria=None)

    rf = sub.add_parser(
        "rfi",
        help="request for information: per model maker and per channel operator, the questions whose "
        "answers decide the ranking "
        "(unknown, stale or aggregator-only facts), as Markdown, a YAML answer template or a workbook",
    )
    scoring(rf)
    rf.add_argument(
        "--vendor",
        metavar="ID",
        help="only this questionnaire: a vendor file's id (the model maker's) or an operator's id "
        "(operator-<name slug>, e.g. operator-scaleway, for a channel another company operates)",
    )
    rf.add_argument(
        "--top",
        type=_positive,
        metavar="N",
        help="the shortlist cut: questions that cannot move an offering across the first N nor change "
        "a must-have's outcome are listed last (default: the priorities' robustness top_k, else 3)",
    )
    rf.add_argument(
        "--format",
        choices=("markdown", "yaml", "xlsx"),
        default="markdown",
        help="markdown (default): one questionnaire per vendor; yaml: the answer template; "
        "xlsx: one workbook, a sheet per vendor (needs --output)",
    )
    rf.add_argument(
        "--output",
        metavar="DIR",
        help="directory for DIR/<vendor>.md, DIR/<vendor>.rfi.yaml or DIR/rfi.xlsx (created when "
        "missing); without it, one vendor's questionnaire goes to stdout",
    )

    from engine.cli.committee import add_parser as add_committee

    add_committee(sub)

    sc = sub.add_parser("schema", help="print the JSON Schema of a YAML file kind (for editors and CI)")
    sc.add_argument("kind", choices=tuple(schema_kinds()))
    sc.add_argument("--output", metavar="FILE", help="write to FILE instead of stdout")
    return parser

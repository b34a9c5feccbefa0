"""MkDocs hooks (``hooks:`` in mkdocs.yml): the CLI reference, generated at build time.

``docs/cli-reference.md`` holds the marker ``<!-- cli-reference -->``; each build replaces
it with a section per command of ``shortlist``, read from the argument parser itself
(:func:`engine.cli.parser.build_parser`): the usage line, the command's help and a table
of its arguments with their choices and defaults. Nothing is copied by hand, so the page
cannot fall behind the parser. ``tests/test_docs.py`` checks every option appears.
"""

from __future__ import annotations

import argparse
import html
from collections.abc import Iterator
from typing import Any

MARKER = "<!-- cli-reference -->"
PAGE = "cli-reference.md"

_MD_SPECIAL = "\\`*_{}[]()#+-.!|>"


def _md(text: str) -> str:
    """Plain text as Markdown that renders as the same text (a table cell's too)."""
    text = html.escape(text, quote=False)
    return "".join("\\" + c if c in _MD_SPECIAL else c for c in text)


def _code(text: str) -> str:
    """Inline code holding ``text`` (a table cell's: ``|`` escaped)."""
    text = text.replace("|", "\\|")
    ticks = "``" if "`" in text else "`"
    pad = " " if "`" in text else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def _subcommands(parser: argparse.ArgumentParser) -> Iterator[tuple[str, str, argparse.ArgumentParser]]:
    """(name, help, parser) of each sub-command, in the parser's order."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: a.help or "" for a in action._choices_actions}
            for name, sub in action.choices.items():
                yield name, helps.get(name, ""), sub


WIDTH = 88
"""Usage lines wrap at this width, whatever the terminal that builds the site."""


def _formatter(parser: argparse.ArgumentParser) -> argparse.HelpFormatter:
    return argparse.HelpFormatter(parser.prog, width=WIDTH)


def _usage(parser: argparse.ArgumentParser) -> str:
    formatter = _formatter(parser)
    formatter.add_usage(parser.usage, parser._actions, parser._mutually_exclusive_groups, prefix="")
    return formatter.format_help().strip("\n")


def _argument_rows(parser: argparse.ArgumentParser) -> list[str]:
    formatter = _formatter(parser)
    rows = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction) or action.help == argparse.SUPPRESS:
            continue
        if action.option_strings:
            metavar = ""
            if action.nargs != 0:
                metavar = " " + formatter._format_args(action, action.dest.upper())
            name = ", ".join(_code(o + metavar) for o in action.option_strings)
        else:
            name = _code(formatter._format_args(action, action.dest))
        expanded = formatter._expand_help(action) if action.help else ""
        details = []
        if action.choices is not None and action.metavar is not None:  # else the name shows them
            details.append("one of " + ", ".join(_code(str(c)) for c in action.choices))
        if action.required and action.option_strings:
            details.append("required")
        if isinstance(action, argparse._AppendAction) and "repeatable" not in expanded:
            details.append("repeatable")
        text = _md(expanded)
        if details:
            text = (text + " " if text else "") + "(" + "; ".join(details) + ")"
        rows.append(f"| {name} | {text} |")
    return rows


def _section(path: list[str], help_text: str, parser: argparse.ArgumentParser) -> list[str]:
    title = " ".join(path)
    usage = _usage(parser)
    lines = [f"## `{title}`", ""]
    if help_text:
        lines += [_md(help_text[0].upper() + help_text[1:]) + ".", ""]
    lines += ["```text", usage, "```", ""]
    rows = _argument_rows(parser)
    if rows:
        lines += ["| argument | meaning |", "|---|---|", *rows, ""]
    subs = list(_subcommands(parser))
    if subs:
        lines += ["Sub-commands: " + ", ".join(f"`{' '.join([*path, n])}`" for n, _, _ in subs) + ".", ""]
    for name, sub_help, sub in subs:
        lines += _section([*path, name], sub_help, sub)
    return lines


def cli_reference() -> str:
    """The Markdown of every command of ``shortlist``, read from its argument parser."""
    from engine.cli.parser import build_parser

    parser = build_parser()
    lines = []
    if parser.description:
        lines += [_md(parser.description), ""]
    lines += _section(["shortlist"], "", parser)
    return "\n".join(lines)


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """Replace the marker on the CLI reference page with the generated reference."""
    if page.file.src_uri != PAGE:
        return markdown
    if MARKER not in markdown:
        raise ValueError(f"{PAGE} lacks the marker {MARKER}")
    return markdown.replace(MARKER, cli_reference())

"""One exception hierarchy for every input problem.

Input problems are collected, not raised one by one: each is an :class:`Issue` with a
stable reason ``code``, the ``file``, ``line`` (1-based, when known), the ``field`` path
and a message naming what was expected and what was found. A whole batch travels in
one :class:`InputError`, so a CI gate can print them all and a UI can show them inline
while it keeps working with the valid inputs.

Reason codes (stable; scripts may match on them):

``yaml.syntax``, ``yaml.encoding``, ``yaml.too_large``, ``yaml.empty``,
``yaml.multi_document``, ``yaml.not_mapping``, ``yaml.duplicate_key``, ``yaml.alias``,
``yaml.tag``, ``yaml.number_too_long``, ``text.invalid_character``, ``schema.invalid``, ``schema.unknown_field``, ``schema.missing_field``,
``catalog.duplicate_id``, ``catalog.id_mismatch``, ``catalog.unknown_criterion``,
``priorities.invalid_weight``, ``priorities.unknown_criterion``,
``priorities.unknown_offering``, ``fx.unknown_currency``, ``data.missing_value``,
``compare.offering_count``, ``compare.duplicate_offering``, ``compare.unknown_offering``,
``compare.report_mismatch``, ``compare.catalog_mismatch``, ``io.not_found``, ``io.write_error``,
``io.outside_catalog``, ``io.not_a_file`` (a directory, a device, a named pipe, a socket),
``io.too_large``, ``io.read_error``,
``usage.invalid``, ``usage.missing_dependency``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["InputError", "Issue", "ShortlistError", "shown_path"]


def shown_path(path: str | os.PathLike[str]) -> str:
    """A file name as valid Unicode, for messages and reports.

    On POSIX a file name that is not valid UTF-8 reaches Python with its undecodable
    bytes as lone surrogates (``surrogateescape``), which no UTF-8 output (JSON, SARIF,
    XML) can hold. Each such byte is shown as a visible escape instead (``\\xff``; any
    other lone surrogate by its code point, e.g. ``\\udc80``); every other name is returned unchanged.
    """
    name = os.fspath(path)
    if not any("\ud800" <= ch <= "\udfff" for ch in name):
        return name
    out = []
    for ch in name:
        o = ord(ch)
        if 0xDC80 <= o <= 0xDCFF:  # an undecodable byte, as os.fsdecode carries it
            out.append(f"\\x{o - 0xDC00:02x}")
        elif 0xD800 <= o <= 0xDFFF:
            out.append(f"\\u{o:04x}")
        else:
            out.append(ch)
    return "".join(out)


@dataclass(frozen=True, slots=True)
class Issue:
    """One input problem.

    Parameters
    ----------
    code : str
        Stable reason code, e.g. ``"yaml.duplicate_key"``.
    message : str
        Plain-language description: what was expected and what was found.
    file : str or None
        Path of the file the problem is in, as given by the caller.
    line : int or None
        1-based line number, when known.
    column : int or None
        1-based column number, when known.
    field : str or None
        Dotted field path inside the file, e.g. ``offerings[2].prices.currency``.
    """

    code: str
    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    field: str | None = None

    def __post_init__(self) -> None:
        # no lone surrogate (an undecodable file name) ever reaches an output
        for name in ("file", "message", "field"):
            value = getattr(self, name)
            if value is not None:
                shown = shown_path(value)
                if shown is not value:
                    object.__setattr__(self, name, shown)

    def location(self) -> str:
        """Return ``file:line:column`` (the parts that are known)."""
        parts: list[str] = []
        if self.file:
            parts.append(self.file)
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def __str__(self) -> str:
        where = self.location()
        field = f" [{self.field}]" if self.field else ""
        prefix = f"{where}: " if where else ""
        return f"{prefix}{self.code}{field}: {self.message}"


class ShortlistError(Exception):
    """Base class of every error the engine raises on purpose."""


class InputError(ShortlistError):
    """One or more input problems (bad files, bad priorities, bad usage).

    Parameters
    ----------
    issues : iterable of Issue
        The problems, in the order found. Must not be empty.
    """

    def __init__(self, issues: Iterable[Issue]) -> None:
        self.issues: tuple[Issue, ...] = tuple(issues)
        if not self.issues:
            raise ValueError("InputError needs at least one Issue")
        super().__init__("\n".join(str(i) for i in self.issues))

    @classmethod
    def single(cls, code: str, message: str, **where: object) -> InputError:
        """Build an error holding one :class:`Issue` (keyword args as in Issue)."""
        return cls([Issue(code, message, **where)])  # type: ignore[arg-type]


def suggest(name: str, choices: Iterable[str]) -> str:
    """Return ``"; did you mean 'x'?"`` for the closest of ``choices``, or ``""``.

    Uses :func:`difflib.get_close_matches`, then falls back to a choice that contains
    ``name`` (``regions`` → ``processing_regions``).
    """
    import difflib

    pool = list(choices)
    close = difflib.get_close_matches(name, pool, n=1)
    if not close:
        close = [c for c in pool if name and name.lower() in c.lower()][:1]
    return f"; did you mean {close[0]!r}?" if close else ""

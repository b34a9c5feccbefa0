"""Which characters input text may hold: identifiers, one-line text and notes.

Checks run on the text as the program sees it, that is *after* YAML escape decoding
(``"\\e"``, ``"\\0"``, ``"\\u202E"`` in a double-quoted scalar are the characters they
stand for). Three kinds of strings:

**Identifiers and codes** (ids of vendors, offerings, criteria, requirements, rules;
region and currency codes; licence ids; certification ids; levels; operators) match
their pattern in full (``re.fullmatch``: ``re.match`` with ``$`` would accept a final
newline) and are ASCII only. An id has exactly one spelling — lowercase ASCII letters,
digits, ``.``, ``_``, ``-`` — so the canonical form of an id is the id itself: no
case folding or Unicode normalisation is needed to tell two ids apart, and
look-alikes (full-width letters, Cyrillic ``а``, a zero-width space, a non-breaking
space, a byte-order mark, a soft hyphen) are refused rather than compared. SPDX licence
ids are the one exception to exact comparison: the SPDX specification makes them case
insensitive, so rules compare them ASCII-case-insensitively (:func:`licence_key`).

**One-line text** (names, labels, titles, sources, messages) refuses every control
character (C0 including tab, line feed and carriage return, DEL, C1), the bidi
embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), the line and
paragraph separators U+2028/U+2029, lone surrogates and the noncharacters
U+FFFE/U+FFFF, and leading or trailing whitespace or invisible format characters
(zero-width space, byte-order mark, soft hyphen, bidi marks).

**Multi-line text** (notes, descriptions, reasons) refuses the same characters except
line feed and tab.

Every refusal names the character by its code point and Unicode name, with its position
(``U+000A LINE FEED at position 4``).
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "BIDI_CONTROLS",
    "ID_PATTERN",
    "bad_char",
    "char_name",
    "excerpt",
    "id_problem",
    "licence_key",
    "odd_char",
    "text_problem",
]

ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]*")
"""An id (vendor, offering, criterion, requirement, rule, level): use with ``fullmatch``."""

BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
"""Bidi embeddings, overrides and isolates (the "Trojan Source" characters)."""

# everything refused anywhere in input text (tab and line feed are judged by the field)
_ALWAYS = "\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff\ufffe\uffff"
_MULTI_LINE_BAD = re.compile(f"[{_ALWAYS}]")
_ONE_LINE_BAD = re.compile(f"[{_ALWAYS}\t\n]")

_C0_NAMES = {
    0x00: "NULL",
    0x07: "BELL",
    0x08: "BACKSPACE",
    0x09: "CHARACTER TABULATION",
    0x0A: "LINE FEED",
    0x0B: "LINE TABULATION",
    0x0C: "FORM FEED",
    0x0D: "CARRIAGE RETURN",
    0x1B: "ESCAPE",
    0x7F: "DELETE",
    0x85: "NEXT LINE",
}


def char_name(ch: str) -> str:
    """``U+202E RIGHT-TO-LEFT OVERRIDE``: a character as its code point and name."""
    o = ord(ch)
    name = _C0_NAMES.get(o) or unicodedata.name(ch, "")
    if not name:
        cat = unicodedata.category(ch)
        name = {"Cc": "control character", "Cs": "lone surrogate"}.get(cat, "unassigned or noncharacter")
    return f"U+{o:04X} {name}"


def bad_char(text: str, *, multiline: bool = False) -> tuple[int, str] | None:
    """The first character ``text`` may not hold, as (0-based position, character).

    Parameters
    ----------
    text : str
    multiline : bool
        Allow line feed and tab (notes, descriptions).

    Returns
    -------
    tuple of (int, str) or None
        ``None`` when every character is allowed.
    """
    m = (_MULTI_LINE_BAD if multiline else _ONE_LINE_BAD).search(text)
    return (m.start(), m.group()) if m else None


def excerpt(text: str, pos: int, width: int = 30) -> str:
    """``text`` quoted and escaped (``repr``), cut to ``width`` characters either side
    of ``pos`` with ``…`` where it was cut: a long note is not echoed whole."""
    lo, hi = max(0, pos - width), pos + width + 1
    return ("…" if lo else "") + repr(text[lo:hi]) + ("…" if hi < len(text) else "")


def _at(text: str, pos: int) -> str:
    return f"{char_name(text[pos])} at position {pos + 1} of {excerpt(text, pos)}"


def _edge(ch: str) -> bool:
    """Whitespace or an invisible format character (zero-width space, BOM, soft hyphen,
    bidi mark …): not allowed at either end of one-line text."""
    return ch.isspace() or unicodedata.category(ch) == "Cf"


def text_problem(text: str, *, multiline: bool = False) -> str | None:
    """Why ``text`` is not acceptable free text, or ``None``.

    One-line text (``multiline=False``) also refuses whitespace and invisible format
    characters (zero-width space, byte-order mark, soft hyphen, bidi marks) at either
    end; inside, a zero-width joiner or a bidi mark stays allowed (emoji, Arabic,
    Hebrew, Persian text need them).
    """
    found = bad_char(text, multiline=multiline)
    if found is not None:
        pos, _ = found
        kind = "multi-line text" if multiline else "one line of text"
        return f"expected {kind} without control or bidi characters, found {_at(text, pos)}"
    if not multiline and text and (_edge(text[0]) or _edge(text[-1])):
        pos = 0 if _edge(text[0]) else len(text) - 1
        where = "leading" if pos == 0 else "trailing"
        return f"expected text without {where} whitespace or invisible character, found {_at(text, pos)}"
    return None


def odd_char(text: str) -> str | None:
    """The first character of ``text`` outside printable ASCII, as
    ``U+00A0 NO-BREAK SPACE at position 4``; ``None`` when there is none."""
    for i, ch in enumerate(text):
        if not ("!" <= ch <= "~"):
            return f"{char_name(ch)} at position {i + 1}"
    return None


def id_problem(text: str, pattern: re.Pattern[str]) -> str | None:
    """``None`` when ``text`` matches ``pattern`` in full, else ``text`` quoted with the
    first character outside printable ASCII named (a newline, a space, a zero-width
    space, a full-width or Cyrillic letter …), so that a look-alike shows in a message:
    ``'mit\\n' (U+000A LINE FEED at position 4)``.
    """
    if pattern.fullmatch(text):
        return None
    odd = odd_char(text)
    return f"{text!r} ({odd})" if odd else repr(text)


def licence_key(licence: str) -> str:
    """The form licence ids are compared in: SPDX ids are case insensitive
    (SPDX 2.3, Annex D), so ``mit`` and ``MIT`` are one licence."""
    return licence.lower() if licence.isascii() else licence

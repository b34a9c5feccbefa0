"""Escapers: input text made safe for each output format, one function per format.

Every renderer passes text that comes from an input file (names, notes, reasons,
sources, messages, labels, file names) through the escaper of its format, so that no
input turns into markup, a link, a command or a terminal control sequence downstream.
Validation refuses control characters in most fields too, but the renderers do not
rely on it: engine objects can be built in code, and Markdown and HTML
metacharacters (``[x](http://e)``, ``<img …>``, ``**bold**``) stay legal in names.

==================  =========================================================
Format              Escaper
==================  =========================================================
terminal (a field)  :func:`terminal` (one line: every control made visible)
terminal (a text)   :func:`terminal_block` (keeps the renderer's own newlines)
Markdown            :func:`markdown` (text and table cells), :func:`markdown_code`,
                    :func:`markdown_url`: GitHub-flavoured Markdown
Streamlit Markdown  :func:`streamlit_markdown` (also directives, icon shortcodes)
GitHub commands     :func:`github_data`, :func:`github_property`
XML 1.0             :func:`xml` (ElementTree escapes ``& < > "``)
JSON                :func:`json_text` (after :func:`json.dumps`)
CSV and Excel       :func:`csv_cell` (formula neutralisation and controls)
==================  =========================================================

"Controls" (:data:`CONTROLS`) are the C0 and C1 control characters, DEL, the Unicode
bidirectional formatting characters (U+061C, U+200E, U+200F, U+202A–U+202E,
U+2066–U+2069: "Trojan Source", CVE-2021-42574) and the line and paragraph
separators U+2028/U+2029. They are shown as visible escapes (``\\x1b``, ``\\u202e``,
``\\n``), so nothing is silently lost and ordinary letters of every script are kept.
"""

from __future__ import annotations

import re

__all__ = [
    "CONTROLS",
    "csv_cell",
    "github_data",
    "github_property",
    "json_text",
    "markdown",
    "markdown_code",
    "markdown_url",
    "safe_url",
    "streamlit_markdown",
    "terminal",
    "terminal_block",
    "visible",
    "xml",
]

CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
"""C0 and C1 controls, DEL, bidirectional formatting characters, line/paragraph separators."""

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _show(ch: str) -> str:
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def visible(text: str, keep: str = "") -> str:
    """``text`` with every control character (:data:`CONTROLS`) not in ``keep`` shown
    as a visible escape: ``\\n``, ``\\r``, ``\\t``, ``\\xNN`` (up to U+00FF) or ``\\uNNNN``.

    Examples
    --------
    >>> visible("a\\x1b]0;x\\x07b\\u202ec")
    'a\\\\x1b]0;x\\\\x07b\\\\u202ec'
    """
    return CONTROLS.sub(lambda m: m.group() if m.group() in keep else _show(m.group()), text)


# --------------------------------------------------------------------------- terminal


def terminal(text: str) -> str:
    """One field of terminal output: every control character made visible, newlines
    included, so a field never starts a line of its own nor sends an escape sequence."""
    return visible(text)


def terminal_block(text: str) -> str:
    """A whole text for a terminal: the newlines kept, every other control made
    visible (escape sequences, NUL, CR, bidirectional overrides)."""
    return visible(text, keep="\n")


# --------------------------------------------------------------------------- Markdown

_LINE_BREAKS = re.compile("\r\n|[\r\n\x0b\x0c\x85\u2028\u2029\t]")
# always escaped with a backslash: emphasis, code, links and images, directive
# labels and attributes, strikethrough, LaTeX, table cells, the escape itself
_MD_ESCAPE = re.compile(r"([\\`*\[\]{}~$|])")
# `_` opens or closes emphasis unless it sits between two letters or digits
_MD_UNDERSCORE = re.compile(r"(?<![^\W_])_|_(?![^\W_])")
_MD_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
# a word joiner (U+2060) after these keeps a renderer's text scanners from matching:
# `://` URL autolinks, `:smile:` emoji shortcodes, `@` e-mail autolinks and @mentions,
# `#1` issue links; for Streamlit also every `:name` (directives, icons)
_MD_BREAK = re.compile(r"(:(?=//|[\w+-]+:)|[@#](?=[\w+-]))")
_ST_BREAK = re.compile(r":(?=[\w/+-])")
_MD_WWW = re.compile(r"(?i)\b(www)\.")
_MD_LIST_START = re.compile(r"^(\d+)([.)])(?=\s|$)")
_WJ = "\u2060"


def markdown(text: str) -> str:
    """Text for Markdown, shown as written: in a paragraph, a list item, a heading or
    a table cell.

    For GitHub-flavoured Markdown (CommonMark with GitHub's extensions: tables,
    autolinks, strikethrough, math, emoji, mentions), as in the decision record, the
    comparison and ``shortlist diff``:

    - controls are made visible (:func:`visible`); line breaks and tabs become
      spaces, so the text never leaves its line or its table row; leading and
      trailing whitespace is dropped (it would start a code block);
    - ``\\ ` * [ ] { } ~ $ |`` are backslash-escaped everywhere, ``_`` unless it is
      inside a word: no emphasis, code, link, image, directive label, strikethrough,
      LaTeX or table cell boundary;
    - ``& < >`` become ``&amp; &lt; &gt;``: no HTML, no entity;
    - a leading ``# - + = >`` or ``1.``/``1)`` is escaped: no heading, list, quote or rule;
    - a word joiner (U+2060, invisible) goes after the ``:`` of ``://`` and of an
      emoji shortcode (``:smile:``), after an ``@`` or ``#`` followed by a word,
      and between ``www`` and its dot: no autolinked URL or e-mail address, no emoji,
      no GitHub @mention or issue reference. (Renderers match these on the parsed
      text, where a backslash escape is already gone.)

    For Streamlit use :func:`streamlit_markdown`, which also stops its directives.

    Parameters
    ----------
    text : str

    Returns
    -------
    str
        One line of Markdown that renders as ``text`` (line breaks as spaces).

    Examples
    --------
    >>> markdown("[x](http://e)")
    '\\\\[x\\\\](http:\\u2060//e)'
    >>> markdown("a | b")
    'a \\\\| b'
    """
    s = visible(_LINE_BREAKS.sub(" ", str(text))).strip()
    s = _MD_ESCAPE.sub(r"\\\1", s)
    s = _MD_UNDERSCORE.sub(r"\\_", s)
    s = "".join(_MD_HTML.get(ch, ch) for ch in s)
    s = _MD_BREAK.sub(r"\1" + _WJ, s)
    s = _MD_WWW.sub(r"\1" + _WJ + ".", s)
    if s[:1] in ("#", "-", "+", "="):
        s = "\\" + s
    return _MD_LIST_START.sub(r"\1\\\2", s)


def streamlit_markdown(text: str) -> str:
    """Text for Streamlit's Markdown (``st.markdown``, ``st.caption``, alerts,
    ``st.table`` cells, widget labels and help): :func:`markdown`, and a word joiner
    (U+2060) after every ``:`` followed by a letter, digit, ``/``, ``+`` or ``-``.

    Streamlit parses ``:name`` as a directive (``:red[…]``, ``:small[…]``,
    ``:help[…]``; a bare ``:blue`` renders as an empty coloured span, dropping the
    word) and replaces ``:material/icon:``, ``:streamlit:`` and emoji shortcodes in
    the parsed text, where a backslash escape no longer shows.

    Examples
    --------
    >>> streamlit_markdown(":red[boo]")
    ':\\u2060red\\\\[boo\\\\]'
    """
    return _ST_BREAK.sub(":" + _WJ, markdown(text))


def markdown_code(text: str) -> str:
    """An inline code span showing ``text`` (for ids, file names and expressions).

    Code spans take no backslash escapes, so the span is fenced with one backtick
    more than the longest run inside it and padded with spaces when ``text`` starts
    or ends with a backtick. Controls are made visible, line breaks become spaces,
    and ``|`` is written ``\\|`` (GitHub-flavoured Markdown reads a pipe inside a
    code span as a table cell boundary otherwise).
    """
    s = visible(_LINE_BREAKS.sub(" ", str(text))).replace("|", "\\|")
    if not s.strip():
        return ""
    longest = max((len(run) for run in re.findall("`+", s)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if s.startswith("`") or s.endswith("`") else ""
    return f"{fence}{pad}{s}{pad}{fence}"


_URL = re.compile(r"https?://[A-Za-z0-9\-._~:/?#@!$&'*+,;=%]+")


def safe_url(url: str) -> str | None:
    """``url`` when it is a plain ``http(s)`` URL fit to be a link target (RFC 3986
    characters only: no spaces, quotes, angle brackets, parentheses or square
    brackets), else ``None`` (``javascript:…``, free text)."""
    return url if _URL.fullmatch(url) else None


def markdown_url(url: str) -> str:
    """A source URL as a live link when it is a plain ``http(s)`` URL, else as text.

    The link text is the URL escaped by :func:`streamlit_markdown`; the target is the URL
    itself, written only when it consists of URL characters (RFC 3986, without
    parentheses, brackets, spaces or quotes), so it cannot close the link early
    or add markup. Anything else (``javascript:…``, a URL with spaces or brackets)
    is shown as escaped text, never as a link.
    """
    if safe_url(url):
        return f"[{streamlit_markdown(url)}](<{url}>)"
    return streamlit_markdown(url)


# --------------------------------------------------------------------------- GitHub Actions


def github_data(text: str) -> str:
    """A GitHub Actions workflow command's message, escaped as ``@actions/core`` does.

    ``%`` → ``%25``, CR → ``%0D``, LF → ``%0A`` (``escapeData`` in ``actions/toolkit``,
    ``packages/core/src/command.ts``), so an input can never end the command's line
    and start another command (``::add-mask::``, ``::stop-commands::``,
    ``::error::``). Other controls are made visible first (:func:`visible`), so no
    terminal escape sequence reaches the log viewer.
    """
    s = visible(str(text), keep="\r\n")
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_property(text: str) -> str:
    """A workflow command's property value (``file=``, ``title=``): :func:`github_data`
    plus ``:`` → ``%3A`` and ``,`` → ``%2C`` (``escapeProperty`` in ``@actions/core``),
    so a value cannot end the property list or add another property."""
    return github_data(text).replace(":", "%3A").replace(",", "%2C")


# --------------------------------------------------------------------------- XML

# characters XML 1.0 cannot carry (C0 controls but tab, CR, LF; surrogates; U+FFFE/U+FFFF)
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml(text: str) -> str:
    """Text XML 1.0 can carry, for ElementTree (which escapes ``& < > "`` itself).

    Characters XML 1.0 forbids (NUL and the other C0 controls but tab, CR and LF,
    lone surrogates, U+FFFE, U+FFFF) become U+FFFD; CR and CRLF become LF; C1
    controls, DEL and bidirectional formatting characters are made visible.
    """
    s = _XML_ILLEGAL.sub("\ufffd", str(text).replace("\r\n", "\n").replace("\r", "\n"))
    return visible(s, keep="\t\n")


# --------------------------------------------------------------------------- JSON

_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def json_text(encoded: str) -> str:
    """JSON from :func:`json.dumps` (``ensure_ascii=False``) with the controls that
    ``json.dumps`` leaves raw written as ``\\uNNNN`` escapes.

    ``json.dumps`` escapes C0 controls but keeps DEL, C1 controls, bidirectional
    formatting characters and U+2028/U+2029 as they are; printed to a terminal they
    act. Outside strings JSON is ASCII, so each one found is inside a string and its
    ``\\u`` escape decodes to the same value.
    """
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", encoded)


# --------------------------------------------------------------------------- CSV, Excel

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(text: str) -> str:
    """A text cell for CSV or a spreadsheet.

    Controls other than tab, CR and LF (which a quoted CSV field carries) are made
    visible; a cell that a spreadsheet would run as a formula (starting with
    ``= + - @``, a tab or a CR) is prefixed with ``'`` (OWASP, "CSV Injection").
    """
    s = visible(str(text), keep="\t\r\n")
    return "'" + s if s.startswith(_FORMULA_START) else s

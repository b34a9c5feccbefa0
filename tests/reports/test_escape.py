"""engine/reports/escape.py: one escaper per output format, each with hostile inputs of its own
(controls, ESC sequences, bidirectional overrides, line breaks, markup)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.reports.escape import (
    CONTROLS,
    csv_cell,
    github_data,
    github_property,
    json_text,
    markdown,
    markdown_code,
    markdown_url,
    safe_url,
    streamlit_markdown,
    terminal,
    terminal_block,
    visible,
    xml,
)

WJ = "\u2060"
CONTROL_INPUTS = [
    "\x1b]0;pwned\x07",  # OSC: set the terminal title
    "\x1b[2J\x1b[31mred",  # clear screen, colour
    "nul\x00byte",
    "bidi \u202eevil\u202c",  # right-to-left override ("Trojan Source")
    "isolate \u2066x\u2069",
    "c1 \x9b31m",  # C1 CSI
    "del\x7f",
    "line\u2028sep\u2029para",
    "cr\rlf\nboth\r\n",
    "tab\tvt\x0bff\x0c",
]
MARKUP_INPUTS = [
    "[x](http://e)",
    "![](http://e/i.png)",
    "<img src=x onerror=alert(1)>",
    ":red[boo]",
    "| a | b |",
    "**bold**",
    "$x$",
    '=HYPERLINK("http://e","x")',
    "`code`",
    "~~strike~~",
    "_em_",
    "# heading",
    "- item",
    "1. item",
    "> quote",
    "---",
    "<http://e>",
    "http://e.com",
    "www.e.com",
    "mail@e.com",
    "@everyone",
    "#123",
    ":material/home:",
    ":smile:",
    "&lt;b&gt;",
    "\\",
    "[^1]",
    ":blue",
    ":color[x]{foreground=red}",
]


# --------------------------------------------------------------------------- controls


@pytest.mark.parametrize("text", CONTROL_INPUTS)
def test_terminal_shows_every_control_visibly_and_keeps_one_line(text):
    out = terminal(text)
    assert not CONTROLS.search(out)
    assert "\n" not in out and "\r" not in out
    assert "\\" in out  # shown, not dropped


def test_terminal_keeps_letters_of_every_script():
    text = "Mistral AI · Zürich · 東京 · مرحبا · Ελληνικά · emoji 🙂"
    assert terminal(text) == text
    assert terminal_block(text + "\n") == text + "\n"


def test_visible_escapes_are_readable():
    assert visible("a\x1bb") == "a\\x1bb"
    assert visible("\u202e") == "\\u202e"
    assert visible("\x00\n\r\t") == "\\x00\\n\\r\\t"
    assert visible("a\nb", keep="\n") == "a\nb"


@pytest.mark.parametrize("text", CONTROL_INPUTS)
def test_terminal_block_keeps_only_newlines(text):
    out = terminal_block(text)
    assert not CONTROLS.sub("", out.replace("\n", "")) != out.replace("\n", "")
    assert set(CONTROLS.findall(out)) <= {"\n"}


@given(st.text())
def test_terminal_never_leaks_a_control(text):
    assert not CONTROLS.search(terminal(text))
    assert set(CONTROLS.findall(terminal_block(text))) <= {"\n"}


# --------------------------------------------------------------------------- GitHub


# @actions/core (actions/toolkit packages/core/src/command.ts): escapeData and escapeProperty
def _toolkit_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _toolkit_property(s: str) -> str:
    return _toolkit_data(s).replace(":", "%3A").replace(",", "%2C")


@pytest.mark.parametrize(
    "text",
    [
        "plain",
        "100% sure",
        "x\n::error::forged",
        "x\r\n::add-mask::secret",
        "a\r::stop-commands::tok",
        "file:name,line=9",
        "%0A already encoded",
        "title=x,file=y::z",
    ],
)
def test_github_escaping_is_the_actions_toolkits(text):
    assert github_data(text) == _toolkit_data(text)
    assert github_property(text) == _toolkit_property(text)


@given(st.text())
def test_github_escaping_never_starts_a_line(text):
    for out in (github_data(text), github_property(text)):
        assert "\n" not in out and "\r" not in out
        assert not CONTROLS.search(out)  # ESC sequences would colour the log viewer
    assert ":" not in github_property(text) and "," not in github_property(text)


def test_github_data_makes_other_controls_visible():
    assert github_data("a\x1b[31mb") == "a\\x1b[31mb"
    assert github_data("\u202e") == "\\u202e"


# --------------------------------------------------------------------------- Markdown

_LIVE = [
    re.compile(r"(?<!\\)\]\("),  # a link or image
    re.compile(r"<(?!/?\w+>$)"),  # raw HTML
    re.compile(r"https?://"),  # an autolink literal
    re.compile(r"(?i)www\."),
    re.compile(r"@\w"),  # an e-mail autolink or a mention
    re.compile(r"#\d"),  # an issue reference
    re.compile(r":[\w+-]+:"),  # an emoji shortcode
    re.compile(r"(?<!\\)\|"),  # a table cell boundary
    re.compile(r"(?<!\\)[*`$~\[\]{}]"),  # emphasis, code, LaTeX, strikethrough, brackets
]


@pytest.mark.parametrize("text", [*MARKUP_INPUTS, *CONTROL_INPUTS])
def test_markdown_leaves_no_live_markup(text):
    out = markdown(text)
    assert "\n" not in out and "\r" not in out
    assert not CONTROLS.search(out)
    for pattern in _LIVE:
        assert not pattern.search(out.replace("\\\\", "")), (text, out, pattern.pattern)
    assert not out.startswith(("#", "-", "+", "=", ">", "1.")), out


@pytest.mark.parametrize("text", MARKUP_INPUTS)
def test_streamlit_markdown_stops_directives_and_icons(text):
    out = streamlit_markdown(text)
    assert not re.search(r":[\w/+-]", out), out  # no :red[, :material/, :blue
    assert out.replace(WJ, "") == markdown(text).replace(WJ, "")


def test_markdown_examples():
    assert markdown("[x](http://e)") == f"\\[x\\](http:{WJ}//e)"
    assert markdown("<img src=x onerror=alert(1)>") == "&lt;img src=x onerror=alert(1)&gt;"
    assert markdown("| a | b |") == "\\| a \\| b \\|"
    assert markdown("a\rb\nc") == "a b c"
    assert markdown("**bold**") == "\\*\\*bold\\*\\*"
    assert markdown("$x$") == "\\$x\\$"
    assert markdown("1. x") == "1\\. x"
    assert markdown("# h").startswith("\\#")


def test_markdown_keeps_ordinary_names_readable():
    for name in ("Mistral AI", "gpt-4o_mini", "qwen3.6-27b-selfhosted", "Zürich (CH)", "5.2 Pro", "EU: yes"):
        assert markdown(name) == name
    assert markdown("shortlist:criteria/criteria.yaml") == "shortlist:criteria/criteria.yaml"


def test_markdown_code_holds_any_text():
    assert markdown_code("a") == "`a`"
    assert markdown_code("a`b") == "``a`b``"
    assert markdown_code("`x`") == "`` `x` ``"
    assert markdown_code("a|b") == "`a\\|b`"
    assert markdown_code("a\nb\x1b") == "`a b\\x1b`"
    assert markdown_code("") == ""


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "http://a) [x](http://b",
        "http://e/<script>",
        "https://e.com/a b",
        "data:text/html,x",
    ],
)
def test_markdown_url_links_only_plain_web_addresses(url):
    assert safe_url(url) is None
    out = markdown_url(url)
    assert not re.search(r"(?<!\\)\]\(", out) and "](<" not in out


def test_markdown_url_links_a_plain_url():
    assert (
        markdown_url("https://e.com/p?q=1&r=2#f")
        == f"[https:{WJ}//e.com/p?q=1&amp;r=2#{WJ}f](<https://e.com/p?q=1&r=2#f>)"
    )


@given(st.text())
def test_markdown_is_one_safe_line_for_any_text(text):
    out = markdown(text)
    assert "\n" not in out and "\r" not in out
    assert not CONTROLS.search(out)
    assert not re.search(r"(?<!\\)(\\\\)*[|*`\[\]]", out.replace("\\\\", ""))
    assert "<" not in out and ">" not in out


# --------------------------------------------------------------------------- XML, JSON, CSV


@pytest.mark.parametrize("text", [*CONTROL_INPUTS, "\ud800 lone surrogate", "\ufffe\uffff"])
def test_xml_text_always_parses(text):
    el = ET.Element("t", {"message": xml(text)})
    el.text = xml(text)
    back = ET.fromstring(ET.tostring(el, encoding="unicode"))
    assert not CONTROLS.sub("", back.text or "").count("\x00")
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\u202e]", back.text or "")


@pytest.mark.parametrize("text", CONTROL_INPUTS)
def test_json_text_escapes_what_json_dumps_leaves_raw(text):
    encoded = json_text(json.dumps({"name": text}, ensure_ascii=False))
    assert not CONTROLS.search(encoded.replace("\n", ""))
    assert json.loads(encoded) == {"name": text}  # the same value, only written differently


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('=HYPERLINK("http://e")', '\'=HYPERLINK("http://e")'),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("nul\x00", "nul\\x00"),
        ("\x1b]0;t\x07", "\\x1b]0;t\\x07"),
        ("\u202eabc", "\\u202eabc"),
        ("a\nb", "a\nb"),  # a quoted CSV field carries a newline
        ("Zürich", "Zürich"),
    ],
)
def test_csv_cell_neutralises_formulas_and_controls(text, expected):
    assert csv_cell(text) == expected

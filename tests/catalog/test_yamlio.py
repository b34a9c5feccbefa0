"""Strict YAML loading (engine/catalog/yamlio.py): every surprise of §6 is a clear error."""

from __future__ import annotations

import pytest

from engine.catalog.yamlio import MAX_BYTES, load_yaml_bytes, load_yaml_file, resolve_plain_scalar
from engine.errors import InputError


def load(text: str | bytes):
    raw = text.encode() if isinstance(text, str) else text
    return load_yaml_bytes(raw, "f.yaml")


def issue(text: str | bytes):
    with pytest.raises(InputError) as exc:
        load(text)
    assert len(exc.value.issues) == 1
    return exc.value.issues[0]


def test_norway_stays_a_country_code():
    assert load("residency: [DE, FR, NO]\n").data == {"residency": ["DE", "FR", "NO"]}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1e3", 1000.0),
        ("3.10", 3.1),
        ("2026-11-29", "2026-11-29"),
        ("22:22", "22:22"),
        ("yes", "yes"),
        ("off", "off"),
        ("true", True),
        ("False", False),
        ("~", None),
        ("0x1F", 31),
        ("0o17", 15),
        ("-4", -4),
        ("-4.5", -4.5),
    ],
)
def test_yaml_12_core_scalars(text, expected):
    assert resolve_plain_scalar(text) == expected
    assert load(f"v: {text}\n").data["v"] == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "~",
        "null",
        "Null",
        "NULL",
        "nUll",
        "TRUE",
        "tRue",
        "FALSE",
        "0",
        "+12",
        "-0",
        "0o8",
        "0X1F",
        ".5",
        "5.",
        "1E-3",
        "+.inf",
        "-.INF",
        ".NaN",
        "NaN",
        "nan",
        "-",
        "+",
        ".",
        "e3",
        "1_000",
        " 1",
        "12\n",
        "true\n",
    ],
)
def test_core_scalar_fast_path_agrees_with_the_patterns(text):
    # resolve_plain_scalar answers most words without its regular expressions; the
    # answer must be what the patterns alone give (type included: True is not 1)
    import math
    import re

    def by_patterns(s: str):
        pats = [
            (r"^(?:~|null|Null|NULL|)$", lambda s: None),
            (r"^(?:true|True|TRUE)$", lambda s: True),
            (r"^(?:false|False|FALSE)$", lambda s: False),
            (r"^[-+]?[0-9]+$", int),
            (r"^0o[0-7]+$", lambda s: int(s[2:], 8)),
            (r"^0x[0-9a-fA-F]+$", lambda s: int(s[2:], 16)),
            (r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$", float),
            (r"^[-+]?\.(?:inf|Inf|INF)$", lambda s: float("-inf") if s.startswith("-") else float("inf")),
            (r"^\.(?:nan|NaN|NAN)$", lambda s: float("nan")),
        ]
        return next((f(s) for p, f in pats if re.match(p, s)), s)

    got, want = resolve_plain_scalar(text), by_patterns(text)
    assert type(got) is type(want)
    assert got == want or (isinstance(want, float) and math.isnan(want) and math.isnan(got))


def test_quoted_values_stay_text():
    assert load("v: \"3.10\"\nw: 'true'\n").data == {"v": "3.10", "w": "true"}


def test_lines_are_recorded():
    y = load("a: 1\nb:\n  c: [x, y]\n  d:\n    - e: 2\n")
    assert y.line_of(("a",)) == 1
    assert y.line_of(("b", "c")) == 3
    assert y.line_of(("b", "d", 0, "e")) == 5
    assert y.line_of(("b", "d", 0, "missing")) == 5


def test_duplicate_key_names_both_lines():
    i = issue("prices:\n  input_per_mtok: 1\n  output_per_mtok: 2\n  input_per_mtok: 3\n")
    assert i.code == "yaml.duplicate_key"
    assert "first on line 2" in i.message and "again on line 4" in i.message
    assert (i.file, i.line) == ("f.yaml", 4)


def test_python_tags_are_refused():
    i = issue("a: !!python/object/apply:os.system [echo hi]\n")
    assert i.code == "yaml.tag" and i.line == 1


def test_alias_bomb_is_refused_before_expansion():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b]\n"
    i = issue(bomb)
    assert i.code == "yaml.alias" and i.line == 1


def test_oversized_file_is_refused():
    i = issue(b"a: " + b"x" * MAX_BYTES + b"\n")
    assert i.code == "yaml.too_large"


@pytest.mark.parametrize("text", ["", "   \n", "# only a comment\n"])
def test_empty_file_is_refused(text):
    assert issue(text).code == "yaml.empty"


def test_top_level_list_is_refused():
    i = issue("- a\n- b\n")
    assert i.code == "yaml.not_mapping" and "list" in i.message


def test_multi_document_is_refused():
    i = issue("a: 1\n---\nb: 2\n")
    assert i.code == "yaml.multi_document" and i.line == 2


def test_non_utf8_gives_line_and_column():
    i = issue(b"name: ok\nvendor: caf\xe9\n")
    assert i.code == "yaml.encoding"
    assert (i.line, i.column) == (2, 12)


def test_tab_indentation_gives_line_and_column():
    i = issue("a:\n  b: 1\n\tc: 2\n")
    assert i.code == "yaml.syntax"
    assert i.line == 3 and i.column is not None
    assert "tab" in i.message


def test_bom_is_accepted():
    assert load("\ufeffa: 1\n".encode()).data == {"a": 1}


def test_missing_file(tmp_path):
    with pytest.raises(InputError) as exc:
        load_yaml_file(tmp_path / "nope.yaml")
    assert exc.value.issues[0].code == "io.not_found"

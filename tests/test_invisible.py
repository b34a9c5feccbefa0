"""No gate passes on invisible differences (issue 11, kind 2) and free text holds no
control or bidi characters (the validation side of kind 3).

Hostile spellings are written with YAML escapes in double-quoted scalars, so each test
checks the text as the program sees it after escape decoding. Every refusal is exit 2
with file, line, field and the character as ``U+XXXX``; stderr itself never carries a
control or bidi character.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

import engine
from engine.catalog.loading import format_path, load_policy_bytes_doc, load_priorities_bytes
from engine.catalog.schema import Offering, PrioritiesFile
from engine.catalog.text import bad_char, char_name, id_problem, licence_key, text_problem
from engine.errors import InputError
from tests.conftest import CRITERIA, VENDORS, offering_yaml, vendor_yaml
from tests.conftest import run_cli as run

TODAY = "2026-11-29"
BANK = CRITERIA / "presets" / "regulated-eu-bank.yaml"
_RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def clean(err: str) -> bool:
    """stderr holds no control or bidi character (line feeds end its lines)."""
    return _RAW.search(err) is None


def write(tmp_path: Path, files: dict[str, str]) -> Path:
    d = tmp_path / "vendors"
    d.mkdir(exist_ok=True)
    for name, text in files.items():
        (d / name).write_text(text, encoding="utf-8")
    return d


def validate(tmp_path: Path, files: dict[str, str]) -> tuple[int, str, str, Path]:
    d = write(tmp_path, files)
    code, out, err = run("validate", str(d), "--criteria", str(CRITERIA))
    return code, out, err, Path(d.name)  # files are named from the catalog root (tmp_path)


# --------------------------------------------------------------------------- engine.catalog.text


def test_char_names_say_what_the_character_is():
    assert char_name("\n") == "U+000A LINE FEED"
    assert char_name("\x1b") == "U+001B ESCAPE"
    assert char_name("\x9b") == "U+009B control character"
    assert char_name("\u202e") == "U+202E RIGHT-TO-LEFT OVERRIDE"
    assert char_name("\u200b") == "U+200B ZERO WIDTH SPACE"


@pytest.mark.parametrize(
    "ch", ["\x00", "\x07", "\x1b", "\r", "\x7f", "\x85", "\x9b", "\u202a", "\u202e", "\u2066", "\u2069"]
)
def test_every_kind_of_text_refuses_controls_and_bidi(ch):
    for multiline in (False, True):
        assert bad_char(f"ab{ch}c", multiline=multiline) == (2, ch)
        assert f"U+{ord(ch):04X}" in (text_problem(f"ab{ch}c", multiline=multiline) or "")


def test_one_line_text_refuses_line_breaks_tabs_and_surrounding_space():
    for text in ("a\nb", "a\tb", "a\u2028b", "a\u2029b", " a", "a ", "a\u00a0", "\u3000a"):
        assert text_problem(text) is not None, text
    for text in ("a\nb", "a\tb", "a\n"):
        assert text_problem(text, multiline=True) is None  # notes may span lines
    for text in ("Mistral AI", "Zürich — 東京 🚀", "a‍b", "עברית", "[link](x) <b>"):
        assert text_problem(text) is None, text  # markup is for the renderers to escape


def test_id_problem_names_the_look_alike():
    pattern = re.compile(r"[a-z0-9][a-z0-9._-]*")
    assert id_problem("acme-api", pattern) is None
    assert "U+000A LINE FEED at position 9" in (id_problem("acme-api\n", pattern) or "")
    assert "U+0430 CYRILLIC SMALL LETTER A" in (id_problem("\u0430cme", pattern) or "")
    assert "U+FF41 FULLWIDTH LATIN SMALL LETTER A" in (id_problem("\uff41cme", pattern) or "")
    assert id_problem("Acme", pattern) == "'Acme'"


def test_licence_key_is_ascii_case_insensitive():
    assert licence_key("MIT") == licence_key("mit") == licence_key("Mit")
    assert licence_key("LicenseRef-Acme-NC") == licence_key("licenseref-acme-nc")
    assert licence_key("\uff2d\uff29\uff34") != licence_key("MIT")


def test_field_paths_never_carry_raw_characters():
    assert format_path(("weights", "capability")) == "weights.capability"
    assert (
        format_path(("price_adjustments", "mistral.large", "note")) == "price_adjustments.mistral.large.note"
    )
    assert format_path(("weights", "cost\n")) == "weights['cost\\n']"
    assert format_path(("x\x1b[31m",)) == "['x\\x1b[31m']"
    assert format_path(("a b", 2)) == "['a b'][2]"


# --------------------------------------------------------------------------- ids

# (YAML escape text inside double quotes, the character it puts in the id)
HOSTILE_IDS = [
    ("acme-api\\n", "\n"),
    (" acme-api", " "),
    ("acme-api ", " "),
    ("acme\\tapi", "\t"),
    ("acme\\u200B-api", "\u200b"),
    ("acme\\u200D-api", "\u200d"),
    ("\\uFEFFacme-api", "\ufeff"),
    ("acme\\u00A0api", "\u00a0"),
    ("acme\\u00ADapi", "\u00ad"),
    ("acme-api\\u200E", "\u200e"),
    ("acme-api\\u202E", "\u202e"),
    ("acme\\e]0;x\\a", "\x1b"),
    ("acme\\0", "\x00"),
    ("\\uFF41cme-api", "\uff41"),
    ("\\u0430cme-api", "\u0430"),
    ("acme-\\u0430pi", "\u0430"),
]


@pytest.mark.parametrize(("escaped", "ch"), HOSTILE_IDS)
def test_an_offering_id_with_an_invisible_difference_is_refused(tmp_path, escaped, ch):
    text = vendor_yaml("acme").replace("  - id: acme-api", f'  - id: "{escaped}"')
    code, out, err, d = validate(tmp_path, {"acme.yaml": text})
    assert code == 2 and out == ""
    assert f"{d / 'acme.yaml'}:8: " in err and "[offerings[0].id]" in err
    assert f"U+{ord(ch):04X}" in err and clean(err)


def test_an_id_as_a_block_scalar_keeps_its_newline_and_is_refused(tmp_path):
    text = vendor_yaml("acme").replace("  - id: acme-api", "  - id: |\n      acme-api")
    code, _, err, d = validate(tmp_path, {"acme.yaml": text})
    assert code == 2 and f"{d / 'acme.yaml'}:8: schema.invalid [offerings[0].id]" in err
    assert "U+000A LINE FEED" in err


@pytest.mark.parametrize("vid", ['"acme\\n"', '"ACME"', '"acme\\u200B"', '" acme"'])
def test_a_vendor_id_with_an_invisible_difference_is_refused(tmp_path, vid):
    text = vendor_yaml("acme").replace("id: acme\n", f"id: {vid}\n", 1)
    code, _, err, d = validate(tmp_path, {"acme.yaml": text})
    assert code == 2 and f"{d / 'acme.yaml'}:2: schema.invalid [id]" in err and clean(err)


def _skeleton(oid: str) -> str:
    """What a reader sees: NFKC, case-folded, without format or space characters."""
    text = unicodedata.normalize("NFKC", oid).casefold().replace("\u0430", "a")
    return "".join(ch for ch in text if unicodedata.category(ch)[0] not in "CZ")


@pytest.mark.parametrize(("escaped", "_ch"), HOSTILE_IDS)
def test_two_spellings_of_one_offering_id_never_both_load(tmp_path, escaped, _ch):
    """The issue's example: a trailing newline made a second ``acme-api`` that escaped
    ``catalog.duplicate_id``. An id has one spelling now: the other is refused."""
    twin = vendor_yaml("beta", offering_yaml("beta-api")).replace("  - id: beta-api", f'  - id: "{escaped}"')
    d = write(tmp_path, {"acme.yaml": vendor_yaml("acme"), "beta.yaml": twin})
    cat = engine.load_catalog([d])
    seen = [o.id for o in cat.offerings if _skeleton(o.id) == "acme-api"]
    assert seen == ["acme-api"]
    assert any(i.file and i.file.endswith("beta.yaml") for i in cat.issues)


def test_the_same_id_twice_is_still_a_duplicate(tmp_path):
    twin = vendor_yaml("beta", offering_yaml("acme-api"))
    code, _, err, _ = validate(tmp_path, {"acme.yaml": vendor_yaml("acme"), "beta.yaml": twin})
    assert code == 2 and err.count("catalog.duplicate_id") == 2


# --------------------------------------------------------------------------- codes and enumerations


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("headquarters: FR\n", 'headquarters: "FR\\n"\n', "[headquarters]"),
        ("headquarters: FR\n", "headquarters: fr\n", "[headquarters]"),
        ("headquarters: FR\n", 'headquarters: "\\uFF26\\uFF32"\n', "[headquarters]"),
        ("deployment: api", 'deployment: "api\\n"', "[offerings[0].deployment]"),
        ("deployment: api", 'deployment: "api "', "[offerings[0].deployment]"),
        ("processing_regions: [EU]", 'processing_regions: ["EU\\n"]', "[offerings[0].processing_regions[0]]"),
        (
            "processing_regions: [EU]",
            'processing_regions: ["E\\u200BU"]',
            "[offerings[0].processing_regions[0]]",
        ),
        ("processing_regions: [EU]", "processing_regions: [eu]", "[offerings[0].processing_regions[0]]"),
        ("currency: USD", 'currency: "USD\\n"', "[offerings[0].prices.currency]"),
        ("currency: USD", 'currency: "\\u0055SD\\u00A0"', "[offerings[0].prices.currency]"),
        ("open_weights: false}", 'open_weights: true, licence: "MIT\\n"}', "[offerings[0].openness.licence]"),
        ("open_weights: false}", 'open_weights: true, licence: " MIT"}', "[offerings[0].openness.licence]"),
        (
            "open_weights: false}",
            'open_weights: true, licence: "\\uFF2D\\uFF29\\uFF34"}',
            "[offerings[0].openness.licence]",
        ),
        (
            "sources: [https://example.org/acme]\n",
            'sources: [https://example.org/acme]\ncertifications:\n  items:\n    "iso27001\\u200B": {status: certified}\n',
            "certifications.items",
        ),
        (
            "sources: [https://example.org/acme]\n",
            'sources: [https://example.org/acme]\ncertifications:\n  items:\n    iso27001: {status: "certified\\n"}\n',
            "[certifications.items.iso27001.status]",
        ),
    ],
)
def test_codes_and_enumerated_values_match_in_full(tmp_path, old, new, field):
    text = vendor_yaml("acme")
    assert old in text
    code, _, err, d = validate(tmp_path, {"acme.yaml": text.replace(old, new, 1)})
    assert code == 2 and str(d / "acme.yaml") in err and field in err and clean(err)


def test_model_api_id_is_printable_ascii_without_surrounding_spaces():
    base = {
        "id": "x",
        "model": "X",
        "channel": "API",
        "operator": {"name": "Op"},
        "deployment": "api",
        "as_of": "2026-11-01",
        "sources": ("https://example.org",),
    }
    for good in ("gpt-4o", "org/Model-7B", "anthropic.claude:1", "@cf/meta/llama", "a: b"):
        Offering.model_validate({**base, "model_api_id": good})
    for bad in ("gpt-4o\n", "gpt-4o ", "gpt-4o\u200b", "gpt\u20114o", " gpt-4o", "gpt\u00a04o", "gpt\t4o"):
        with pytest.raises(ValueError, match="model id"):
            Offering.model_validate({**base, "model_api_id": bad})


# --------------------------------------------------------------------------- the deny rule


LICENCE_POLICY = """\
schema_version: 1
name: No non-commercial licence
approved: [acme-api]
rules:
  - id: no-nc
    field: licence
    op: not_in
    value: [LicenseRef-Acme-NC]
"""


def _check(tmp_path: Path, licence_yaml: str, policy: str = LICENCE_POLICY) -> tuple[int, str, str]:
    off = offering_yaml("acme-api", open_weights="true").replace(
        "openness: {open_weights: true}",
        f"openness:\n      open_weights: true\n      licence: {licence_yaml}",
    )
    d = write(tmp_path, {"acme.yaml": vendor_yaml("acme", off)})
    p = tmp_path / "policy.yaml"
    p.write_text(policy, encoding="utf-8")
    return run(
        "check", "--policy", str(p), "--vendors", str(d), "--criteria", str(CRITERIA), "--today", TODAY
    )


def test_the_deny_rule_denies_the_plain_licence(tmp_path):
    code, out, _ = _check(tmp_path, "LicenseRef-Acme-NC")
    assert code == 1 and "rule.failed" in out and "PASSED" not in out


@pytest.mark.parametrize(
    "licence",
    [
        "|\n        LicenseRef-Acme-NC",  # the issue's block scalar: a final newline
        ">\n        LicenseRef-Acme-NC",
        '"LicenseRef-Acme-NC\\n"',
        '" LicenseRef-Acme-NC"',
        '"LicenseRef-Acme-NC\\u200B"',
        '"LicenseRef-Acme-NC\\u00A0"',
        '"\\uFEFFLicenseRef-Acme-NC"',
        '"LicenseRef-Acme\\u2011NC"',
        '"\\uFF2CicenseRef-Acme-NC"',
        '"LicenseRef-\\u0410cme-NC"',
        '"LicenseRef-Acme-NC\\u202E"',
        '"LicenseRef-Acme-NC\\0"',
    ],
)
def test_an_invisible_difference_cannot_slip_past_the_deny_rule(tmp_path, licence):
    code, out, err = _check(tmp_path, licence)
    assert code == 2 and "PASSED" not in out
    assert "offerings[0].openness.licence" in err and "U+" in err and clean(err)


@pytest.mark.parametrize("licence", ["LicenseRef-acme-nc", "LicenseRef-ACME-NC", "LicenseRef-Acme-nc"])
def test_another_case_of_the_same_licence_is_the_same_licence(tmp_path, licence):
    """A LicenseRef- name in another case is the same licence (SPDX matches ids case
    insensitively), denied."""
    code, out, _ = _check(tmp_path, licence)
    assert code == 1 and "rule.failed" in out and "PASSED" not in out


@pytest.mark.parametrize("licence", ["licenseref-acme-nc", "LICENSEREF-ACME-NC", "Licenseref-Acme-NC"])
def test_the_licenseref_prefix_has_one_spelling(tmp_path, licence):
    """Changed with the SPDX-list check (was: denied as the same licence): a licence has
    one spelling, so another case of the prefix is refused, naming the spelling."""
    code, out, err = _check(tmp_path, licence)
    assert code == 2 and "PASSED" not in out and "write the prefix as LicenseRef-" in err and clean(err)


def test_the_rule_value_itself_matches_in_full(tmp_path):
    for value in ('["LicenseRef-Acme-NC\\n"]', '["LicenseRef-Acme-NC "]', '["LicenseRef-Acme-NC\\u200B"]'):
        code, out, err = _check(
            tmp_path, "LicenseRef-Acme-NC", LICENCE_POLICY.replace("[LicenseRef-Acme-NC]", value)
        )
        assert code == 2 and "PASSED" not in out and "rules[0].value" in err and "U+" in err and clean(err), (
            value
        )


def test_an_osi_licence_in_another_case_is_refused_with_its_spelling():
    """Changed with the SPDX-list check (was: ``apache-2.0`` counted as OSI): a licence
    has one spelling, the list's; another case is refused and the spelling named."""
    base = {
        "id": "x",
        "model": "X",
        "channel": "API",
        "operator": {"name": "Op"},
        "deployment": "self-hosted",
        "as_of": "2026-11-01",
        "sources": ("https://example.org",),
    }
    with pytest.raises(ValueError, match=r"write Apache-2\.0"):
        Offering.model_validate({**base, "openness": {"open_weights": True, "licence": "apache-2.0"}})
    o = Offering.model_validate({**base, "openness": {"open_weights": True, "licence": "Apache-2.0"}})
    from engine.mcda.matrix import _openness

    assert _openness(type("RO", (), {"offering": o})(), None).value == "open_osi"  # type: ignore[arg-type]


# --------------------------------------------------------------------------- free text in vendor files

HOSTILE_CHARS = [
    ("\\e]0;pwned\\a", "\x1b"),
    ("\\e[31m", "\x1b"),
    ("\\0", "\x00"),
    ("\\a", "\x07"),
    ("\\r", "\r"),
    ("\\x7F", "\x7f"),
    ("\\N", "\x85"),
    ("\\x9B", "\x9b"),
    ("\\u202E", "\u202e"),
    ("\\u202A", "\u202a"),
    ("\\u2066", "\u2066"),
    ("\\u2069", "\u2069"),
    ("\\L", "\u2028"),
    ("\\P", "\u2029"),
]
ONE_LINE_ONLY = [("\\n", "\n"), ("\\t", "\t")]


@pytest.mark.parametrize(("escaped", "ch"), HOSTILE_CHARS + ONE_LINE_ONLY)
def test_a_vendor_name_refuses_control_and_bidi_characters(tmp_path, escaped, ch):
    text = vendor_yaml("acme").replace("name: Acme AI", f'name: "Acme{escaped} AI"')
    code, _, err, d = validate(tmp_path, {"acme.yaml": text})
    assert code == 2 and f"{d / 'acme.yaml'}:3: text.invalid_character [name]" in err
    assert f"U+{ord(ch):04X}" in err and clean(err)


@pytest.mark.parametrize("name", ['" Acme AI"', '"Acme AI "', '"Acme AI\\u00A0"', "|\n  Acme AI"])
def test_a_name_is_one_line_without_surrounding_space(tmp_path, name):
    code, _, err, _ = validate(
        tmp_path, {"acme.yaml": vendor_yaml("acme").replace("name: Acme AI", f"name: {name}")}
    )
    assert code == 2 and "text.invalid_character [name]" in err and clean(err)


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("model: Model acme-api", 'model: "Model acme-api{e}"', "[offerings[0].model]"),
        ("channel: Test API", 'channel: "Test API{e}"', "[offerings[0].channel]"),
        ("operator: {name: Op,", 'operator: {name: "Op{e}",', "[offerings[0].operator.name]"),
        ("metric: Artificial", 'metric: "Artificial{e}"', "[offerings[0].capability.metric]"),
    ],
)
@pytest.mark.parametrize(("escaped", "ch"), [("\\n", "\n"), ("\\e[2J", "\x1b"), ("\\u202E", "\u202e")])
def test_offering_text_fields_refuse_them_too(tmp_path, old, new, field, escaped, ch):
    text = vendor_yaml("acme")
    if old.startswith("metric"):  # the whole flow value is replaced: quote the metric name
        old, new = "metric: Artificial Analysis Intelligence Index v4.3,", f'metric: "AA index{escaped}",'
    assert old in text
    code, _, err, _ = validate(tmp_path, {"acme.yaml": text.replace(old, new.replace("{e}", escaped), 1)})
    assert code == 2 and field in err and f"U+{ord(ch):04X}" in err and clean(err)


def test_notes_may_span_lines_and_hold_tabs(tmp_path):
    extra = 'notes: |\n  first line\n  \tindented with a tab\nparent: "Acme Holding"\n'
    code, out, err, _ = validate(tmp_path, {"acme.yaml": vendor_yaml("acme", extra=extra)})
    assert code == 0 and out.startswith("OK"), err


@pytest.mark.parametrize(("escaped", "ch"), HOSTILE_CHARS)
def test_notes_refuse_every_other_control_and_bidi_character(tmp_path, escaped, ch):
    extra = f'notes: "fine\\nthen{escaped}"\n'
    code, _, err, d = validate(tmp_path, {"acme.yaml": vendor_yaml("acme", extra=extra)})
    assert code == 2 and f"{d / 'acme.yaml'}:7: text.invalid_character [notes]" in err
    assert f"U+{ord(ch):04X}" in err and clean(err)


@pytest.mark.parametrize(
    "source",
    [
        '"https://example.org/a\\u200B.evil.example"',
        '"https://ex\\u0430mple.org/"',
        '"https://example.org/\\u00A0(read 2026-11)"',
        '"https://example.org/\\e]8;;x\\a"',
        '"https://example.org/ \\u202Etxt.exe"',
        '"see https://example.org\\nsecond line"',
    ],
)
def test_sources_are_one_line_and_their_web_address_printable_ascii(tmp_path, source):
    text = vendor_yaml("acme").replace("sources: [https://example.org/acme]", f"sources: [{source}]")
    code, _, err, _ = validate(tmp_path, {"acme.yaml": text})
    assert code == 2 and "[sources[0]]" in err and "U+" in err and clean(err)


def test_a_source_with_a_remark_after_the_address_stays_valid(tmp_path):
    src = '"https://example.org/x (EC list; verified 2026-07-05 — Zürich)"'
    text = vendor_yaml("acme").replace("sources: [https://example.org/acme]", f"sources: [{src}]")
    code, _, err, _ = validate(tmp_path, {"acme.yaml": text})
    assert code == 0, err


@pytest.mark.parametrize("key", ['"name\\e[31m"', '"x\\u202Ey"', '"a\\nb"', '"\\0"'])
def test_a_mapping_key_with_such_a_character_is_named_not_echoed(tmp_path, key):
    text = vendor_yaml("acme", extra=f"{key}: 1\n")
    code, _, err, d = validate(tmp_path, {"acme.yaml": text})
    assert code == 2 and f"{d / 'acme.yaml'}:7: text.invalid_character" in err and clean(err)


def test_a_value_of_any_type_is_scanned_too(tmp_path):
    """A rule's ``value`` is free-form in the schema: the document scan covers it."""
    p = tmp_path / "p.yaml"
    text = BANK.read_text(encoding="utf-8")
    old = "value: [EU, EEA]"
    assert old in text
    p.write_text(text.replace(old, 'value: [EU, "EEA\\u202E"]', 1), encoding="utf-8")
    code, _, err = run("validate", str(p), "--criteria", str(CRITERIA))
    assert code == 2 and "text.invalid_character [requirements[0].value[1]]" in err and clean(err)


# --------------------------------------------------------------------------- priorities and policies


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("name: Regulated EU bank", 'name: "Regulated\\nEU bank"', "[name]"),
        ("name: Regulated EU bank", 'name: "Regulated EU bank\\u202E"', "[name]"),
        ("  monthly_cost: 10", '  "monthly_cost\\u200B": 10', "weights"),
        ("  monthly_cost: 10", '  "monthly_cost ": 10', "weights"),
        ("  monthly_cost: 10", '  "\\uFF4Donthly_cost": 10', "weights"),
        (
            "  monthly_cost: {worst: 50000, best: 50}",
            '  "monthly_cost\\n": {worst: 50000, best: 50}',
            "anchors",
        ),
        ("currency: EUR", 'currency: "EUR\\n"', "[workload.currency]"),
        ("allowed_regions: [EU, EEA]", 'allowed_regions: [EU, "EEA\\u200B"]', "[allowed_regions[1]]"),
        ("  - id: eu-processing", '  - id: "eu-processing\\n"', "[requirements[0].id]"),
        ("    op: within", '    op: "within\\n"', "[requirements[0].op]"),
        (
            "    field: processing_regions",
            '    field: "processing_regions\\u200B"',
            "[requirements[0].field]",
        ),
        ("    value: [EU, EEA]", '    value: ["EU\\n", EEA]', "[requirements[0].value]"),
        ("    value: [EU, EEA]", "    value: [eu, EEA]", "[requirements[0].value]"),
    ],
)
def test_priorities_refuse_invisible_differences(tmp_path, old, new, field):
    text = BANK.read_text(encoding="utf-8")
    assert old in text, old
    p = tmp_path / "p.yaml"
    p.write_text(text.replace(old, new, 1), encoding="utf-8")
    code, out, err = run("validate", str(p), "--criteria", str(CRITERIA))
    assert code == 2 and str(p) in err and field in err and clean(err), err
    code, out, err = run("rank", "--priorities", str(p), "--criteria", str(CRITERIA))
    assert code == 2 and out == "" and clean(err)


def test_weight_order_items_are_separated_by_ascii_spaces_only():
    base = PrioritiesFile.model_validate(
        {
            "schema_version": 1,
            "name": "t",
            "weight_order": "capability > monthly_cost",
            "workload": {"input_tokens_per_month": 1e6, "output_tokens_per_month": 1e6},
        }
    )
    criteria = engine.load_criteria(CRITERIA)
    assert engine.elicited_weights(base, criteria.ids())[0]
    for order in (
        "capability >\u00a0monthly_cost",
        "capability\u200b > monthly_cost",
        "capability >\tmonthly_cost",
    ):
        bad = base.model_copy(update={"weight_order": order})
        with pytest.raises(InputError) as exc:
            engine.elicited_weights(bad, criteria.ids())
        assert "U+" in str(exc.value)
    with pytest.raises(ValueError, match="U\\+000A"):
        PrioritiesFile.model_validate({**base.model_dump(), "weight_order": "capability >\nmonthly_cost"})


POLICY = CRITERIA / "policies" / "eu-regulated.yaml"
WAIVER = """\
waivers:
  - rule: eu-processing
    offering: mistral-large-4-api
    reason: |
      US endpoint disabled by contract.
      EU-only until the DPA annex is signed.
    approver: ciso@example.org
    expires: 2027-01-31
"""


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("name: EU regulated AI suppliers", 'name: "EU regulated\\n::error::forged"', "[name]"),
        ("name: EU regulated AI suppliers", 'name: "EU regulated\\r::add-mask::x"', "[name]"),
        ("name: EU regulated AI suppliers", 'name: "EU \\e]0;title\\a regulated"', "[name]"),
        ("  - mistral-large-4-api", '  - "mistral-large-4-api\\n"', "[approved[4]]"),
        ("  - mistral-large-4-api", '  - "mistral-large-4-api\\u200B"', "[approved[4]]"),
        ("  - mistral-large-4-api", '  - "Mistral-large-4-api"', "[approved[4]]"),
        ("  - id: eu-processing", '  - id: "eu-processing "', "[rules[0].id]"),
        ("    severity: deny", '    severity: "deny\\n"', "[rules[0].severity]"),
        (
            "    message: Processing can be kept in the EU/EEA",
            '    message: "Processing\\nin the EU"',
            "[rules[0].message]",
        ),
        (
            "waivers: []",
            WAIVER.replace("offering: mistral-large-4-api", 'offering: "mistral-large-4-api\\n"'),
            "[waivers[0].offering]",
        ),
        (
            "waivers: []",
            WAIVER.replace("rule: eu-processing", 'rule: "eu-processing\\u00A0"'),
            "[waivers[0].rule]",
        ),
        (
            "waivers: []",
            WAIVER.replace("approver: ciso@example.org", 'approver: "ciso@example.org\\u202E"'),
            "[waivers[0].approver]",
        ),
        (
            "waivers: []",
            WAIVER.replace(
                "reason: |\n      US endpoint disabled by contract.\n      EU-only", 'reason: "\\e[8mEU-only'
            ).replace("signed.\n", 'signed."\n'),
            "[waivers[0].reason]",
        ),
    ],
)
def test_policies_refuse_invisible_differences(tmp_path, old, new, field):
    text = POLICY.read_text(encoding="utf-8")
    assert old in text, old
    p = tmp_path / "policy.yaml"
    p.write_text(text.replace(old, new, 1), encoding="utf-8")
    code, out, err = run(
        "check", "--policy", str(p), "--vendors", str(VENDORS), "--criteria", str(CRITERIA), "--today", TODAY
    )
    assert code == 2 and "PASSED" not in out and str(p) in err and field in err and clean(err)


def test_a_multi_line_waiver_reason_still_waives(tmp_path):
    text = POLICY.read_text(encoding="utf-8").replace("waivers: []", WAIVER)
    p = tmp_path / "policy.yaml"
    p.write_text(text, encoding="utf-8")
    code, out, err = run(
        "check", "--policy", str(p), "--vendors", str(VENDORS), "--criteria", str(CRITERIA), "--today", TODAY
    )
    assert code in (0, 1) and "waiver.invalid" not in out, err


@pytest.mark.parametrize(
    "raw",
    [
        b'schema_version: 1\nname: "mine\\u202E"\n',
        b'schema_version: 1\nname: mine\napproved: ["gpt\\u200B"]\n',
        b'schema_version: 1\nname: mine\nrules:\n  - {id: x, field: licence, op: "not_in\\n", value: [MIT]}\n',
    ],
)
def test_uploaded_policy_bytes_are_checked_the_same_way(raw):
    with pytest.raises(InputError) as exc:
        load_policy_bytes_doc(raw, "upload:mine.yaml")
    issue = exc.value.issues[0]
    assert issue.file == "upload:mine.yaml" and issue.line is not None and clean(issue.message)


def test_uploaded_priorities_bytes_are_checked_the_same_way():
    raw = BANK.read_bytes().replace(b"name: Regulated EU bank", b'name: "Regulated \\x9B2J bank"')
    with pytest.raises(InputError) as exc:
        load_priorities_bytes(raw, "upload:p.yaml")
    assert "U+009B" in str(exc.value) and exc.value.issues[0].code == "text.invalid_character"


# --------------------------------------------------------------------------- command-line ids


@pytest.mark.parametrize(
    "pair",
    ["monthly_cost =30", " monthly_cost=30", "monthly_cost\u200b=30", "Monthly_cost=30", "monthly_cost\n=30"],
)
def test_weight_names_a_criterion_exactly(pair):
    code, out, err = run("rank", "--weight", pair)
    assert code == 2 and out == "" and "usage.invalid" in err and clean(err)


@pytest.mark.parametrize(
    "order",
    [
        "capability >\u00a0monthly_cost",
        "capability\t> monthly_cost",
        "capability\u200b > monthly_cost",
        "capability\n",
    ],
)
def test_weight_order_and_order_name_criteria_exactly(order):
    code, out, err = run("rank", "--weight-order", order)
    assert code == 2 and out == "" and "elicitation.unknown_criterion" in err and "U+" in err and clean(err)
    code, out, err = run("sensitivity", "--order", order, "--samples", "50")
    assert code == 2 and out == "" and "U+" in err and clean(err)


@pytest.mark.parametrize(
    "oid", ["mistral-large-4-api\n", "mistral-large-4-api ", "mistral-large-4-api\u200b"]
)
def test_explain_and_compare_name_an_offering_exactly(oid):
    code, out, err = run("explain", oid)
    assert code == 2 and out == "" and clean(err)
    code, out, err = run("compare", "mistral-large-4-api", oid)
    assert code == 2 and out == "" and clean(err)


def test_the_bundled_catalog_is_clean():
    code, out, err = run("validate")
    assert code == 0 and out.startswith("OK"), err


# --------------------------------------------------------------------------- the app


@pytest.mark.parametrize(
    ("params", "key", "ch"),
    [
        ({"allowed": "EU,EEA\u200b"}, "allowed", "\u200b"),
        ({"allowed": "EU, EEA"}, "allowed", " "),
        ({"currency": "USD\u00a0"}, "currency", "\u00a0"),
        ({"w_capability": "50\n"}, "w_capability", "\n"),
        ({"req": "eu-processing\u202e"}, "req", "\u202e"),
        ({"preset": "cost-first-startup\ufeff"}, "preset", "\ufeff"),
        ({"wanted": "iso27001\u00ad"}, "wanted", "\u00ad"),
        ({"compare": "mistral-large-4-api\u200b"}, "compare", "\u200b"),
    ],
)
def test_a_link_value_with_an_invisible_character_is_named_and_not_used(params, key, ch):
    from ui import state

    presets = {p.stem: engine.load_priorities(p) for p in sorted((CRITERIA / "presets").glob("*.yaml"))}
    ids = engine.load_criteria(CRITERIA).ids()
    s, problems = state.decode_query(
        params,
        presets,
        ids,
        default_preset="regulated-eu-bank",
        currencies=["EUR", "USD"],
        regions=state.known_regions(),
    )
    pages, page_problems = state.decode_pages(params)
    text = "\n".join(problems + page_problems)
    assert f"{key}=" in text and f"U+{ord(ch):04X}" in text and clean(text)
    bank = state.preset_state(presets["regulated-eu-bank"], ids, "regulated-eu-bank")
    assert s["preset"] == "regulated-eu-bank" and s["currency"] == bank["currency"]
    assert s["allowed"] == bank["allowed"] and s["wanted"] == bank["wanted"] and not pages


def test_an_ahp_judgement_is_ascii_digits():
    from ui import state

    presets = {"bank": engine.load_priorities(BANK)}
    ids = engine.load_criteria(CRITERIA).ids()
    params = {"mode": "ahp", "ahp_criteria": "capability,compliance"}
    for v in ("\u0663", "\uff13", "+3"):
        s, problems = state.decode_query(
            {**params, "ahp": f"capability:compliance:{v}"},
            presets,
            ids,
            default_preset="bank",
            currencies=["EUR"],
            regions=["EU"],
        )
        assert any(p.startswith("ahp=") for p in problems) and s.get("ahp_capability__compliance", 0) == 0


def test_the_app_names_an_invisible_link_value(monkeypatch):
    from tests.test_app import start

    at = start(monkeypatch, query={"allowed": "EU,EEA\u200b", "w_compliance": "40"})
    assert not at.exception and not at.error
    warning = at.warning[0].value
    assert "allowed=" in warning and "U+200B ZERO WIDTH SPACE" in warning
    assert at.slider(key="w_compliance").value == 40  # the rest of the link applies


@pytest.mark.parametrize(
    ("old", "new", "needle"),
    [
        ("name: Newco AI", 'name: "Newco \\u202Egnp.exe AI"', "U+202E"),
        ("name: Newco AI", 'name: "Newco\\e]0;owned\\a AI"', "U+001B"),
        ("  - id: newco-eu-api", '  - id: "newco-eu-api\\n"', "U+000A"),
        ("  - id: newco-eu-api", '  - id: "newco-eu-\\u0430pi"', "U+0430"),
    ],
)
def test_an_uploaded_profile_with_a_hostile_character_is_refused_inline(monkeypatch, old, new, needle):
    from tests.test_app import page, ranking_ids, start

    raw = vendor_yaml("newco", offering_yaml("newco-eu-api")).replace(old, new, 1).encode()
    at = start(monkeypatch)
    before = ranking_ids(at)
    page(at, "catalog")
    at.file_uploader[0].set_value(("newco.yaml", raw, "application/x-yaml")).run()
    assert not at.exception
    msg = at.error[0].value
    assert "upload:newco.yaml" in msg and needle in msg and clean(msg)
    page(at, "shortlist")
    assert ranking_ids(at) == before


def test_an_uploaded_policy_naming_an_id_with_a_newline_is_refused_inline(monkeypatch):
    from tests.test_app import page, start

    raw = LICENCE_POLICY.replace("approved: [acme-api]", 'approved: ["mistral-large-4-api\\n"]').encode()
    at = page(start(monkeypatch), "policy")
    at.selectbox(key="p_policy").set_value("(upload a policy file)").run()
    at.file_uploader(key="policy_upload").set_value(("mine.yaml", raw, "application/x-yaml")).run()
    assert not at.exception
    msg = at.error[0].value
    assert (
        "upload:mine.yaml:3" in msg
        and "U+000A" in msg
        and "passes" not in " ".join(m.value for m in at.markdown)
    )


# --------------------------------------------------------------------------- the importer


@pytest.mark.parametrize(
    "over",
    [
        {"price_comments": "cheap\x1b]0;owned\x07"},
        {"price_comments": "reversed \u202etxt"},
        {"name": "Acme\nInc"},
        {"name": " Acme"},
        {"pricing_urls": ["https://acme.example/pri\u200bcing"]},
    ],
)
def test_a_provider_with_hostile_text_is_skipped_with_the_reason(over):
    """The price dataset is outside input too: its text is checked like a profile's,
    and a provider that does not fit is skipped and said, never a crash."""
    import datetime as dt

    from engine.catalog.importers.genai_prices import build_import
    from tests.genai_prices_fixtures import D, dataset, model, mp, provider

    ds = dataset(
        provider("acme", model("m1", mp(D(1), D(2))), **over), provider("ok", model("m2", mp(D(1), D(2))))
    )
    result = build_import(ds, dt.date(2026, 11, 1))
    assert [p["id"] for p in result.profiles] == ["ok"]
    assert [(s.provider, s.reason) for s in result.skipped] == [("acme", "invalid")]
    assert "U+" in (result.skipped[0].detail or "") and clean(result.skipped[0].detail or "")


# --------------------------------------------------------------------------- editors


@pytest.mark.parametrize(
    "edit",
    [
        lambda d: d["offerings"][0].update(id="mistral-large-4-api\n"),
        lambda d: d["offerings"][0].update(id="mistral-large-4-api\u200b"),
        lambda d: d["offerings"][0]["openness"].update(licence="LicenseRef-Mistral-Large-4\n"),
        lambda d: d.update(name="Mistral AI\n"),
        lambda d: d.update(name="Mistral \x1b[31mAI"),
        lambda d: d.update(notes="fine\nbut \u202e reversed"),
    ],
)
def test_the_json_schema_refuses_them_too(edit):
    """`shortlist schema vendor` carries the same rules for editors, and a final newline
    does not slip through Python's ``$`` either."""
    import jsonschema

    from engine.catalog.schema import json_schema
    from engine.catalog.yamlio import load_yaml_file

    data = load_yaml_file(VENDORS / "mistral-ai.yaml").data
    validator = jsonschema.Draft202012Validator(json_schema("vendor"))
    assert not list(validator.iter_errors(data))
    edit(data)
    assert list(validator.iter_errors(data))


def test_an_unknown_link_parameter_is_named_escaped():
    from ui import state

    presets = {"bank": engine.load_priorities(BANK)}
    ids = engine.load_criteria(CRITERIA).ids()
    _, problems = state.decode_query(
        {"x\u202e\u2066y": "1", "\x1b[2J": "1", "plain": "1"},
        presets,
        ids,
        default_preset="bank",
        currencies=["EUR"],
        regions=["EU"],
        repeated=["w\u200bx"],
    )
    text = "\n".join(problems)
    assert "'x\\u202e\\u2066y'" in text and "'\\x1b[2J'" in text and "plain" in text and clean(text)
    assert "'w\\u200bx'" in text


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("rules:", '"rules\\u200B":'),
        ("rules:", '"rules ":'),
        ("rules:", '"\\uFEFFrules":'),
        ("approved:", '"approved\\u00A0":'),
    ],
)
def test_a_policy_key_with_an_invisible_difference_does_not_drop_its_rules(tmp_path, old, new):
    assert old in LICENCE_POLICY
    p = tmp_path / "policy.yaml"
    p.write_text(LICENCE_POLICY.replace(old, new, 1), encoding="utf-8")
    code, out, err = run(
        "check", "--policy", str(p), "--vendors", str(VENDORS), "--criteria", str(CRITERIA), "--today", TODAY
    )
    assert code == 2 and "PASSED" not in out and str(p) in err and clean(err)


def test_a_long_note_is_not_echoed_whole(tmp_path):
    extra = 'notes: "' + "x" * 5000 + "\\u202E" + "y" * 5000 + '"\n'
    code, _, err, _ = validate(tmp_path, {"acme.yaml": vendor_yaml("acme", extra=extra)})
    assert code == 2 and "U+202E" in err and len(err) < 600 and "…'xxx" in err and clean(err)


@pytest.mark.parametrize(
    "name", ["Acme AI\u200b", "\ufeffAcme AI", "Acme AI\u00ad", "\u200eAcme AI", "Acme AI\u3000"]
)
def test_a_name_has_no_invisible_character_at_either_end(name):
    assert "U+" in (text_problem(name) or "")
    assert text_problem(name.strip("\u200b\ufeff\u00ad\u200e\u3000")) is None

"""Bad input found by trying to break the tool: each is a clear error (exit 2, file,
line, field), never a traceback, and valid inputs keep working."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import engine
from tests.conftest import CRITERIA, VENDORS, offering_yaml, priorities, vendor_yaml
from tests.conftest import run_cli as run

BANK = CRITERIA / "presets" / "regulated-eu-bank.yaml"


@pytest.fixture
def criteria_copy(tmp_path: Path) -> Path:
    d = tmp_path / "criteria"
    shutil.copytree(CRITERIA, d)
    return d


def bank_with(tmp_path: Path, old: str, new: str) -> Path:
    text = BANK.read_text()
    assert old in text
    p = tmp_path / "p.yaml"
    p.write_text(text.replace(old, new))
    return p


def test_uploaded_profile_need_not_match_its_name():
    cat = engine.load_catalog(
        [VENDORS],
        extra=[("upload:my profile.yaml", vendor_yaml("newco", offering_yaml("newco-api")).encode())],
    )
    assert not cat.issues and "newco-api" in {o.id for o in cat.offerings}


def test_output_into_missing_directory(tmp_path):
    code, _, err = run("rank", "--format", "csv", "--output", str(tmp_path / "no" / "x.csv"))
    assert code == 2 and "io.write_error" in err and "x.csv" in err


@pytest.mark.parametrize(
    ("old", "new", "needle"),
    [
        ("monthly_cost: {worst: 50000, best: 50}", "monthly_cost: {worst: 50000, best: 0}", "anchors > 0"),
        (
            "monthly_cost: {worst: 50000, best: 50}",
            "monthly_cost: {worst: 50, best: 50000}",
            "must be above 'best'",
        ),
        ("monthly_cost: {worst: 50000, best: 50}", "capability: {worst: 40, best: 40}", "must differ"),
        ("monthly_cost: {worst: 50000, best: 50}", "openness: {worst: 0, best: 1}", "no worst/best anchors"),
    ],
)
def test_bad_anchors_name_file_and_line(tmp_path, old, new, needle):
    p = bank_with(tmp_path, old, new)
    code, out, err = run("rank", "--priorities", str(p))
    assert code == 2 and out == ""
    assert f"{p}:41: priorities.invalid_anchors" in err and needle in err


@pytest.mark.parametrize(
    ("value", "needle"),
    [
        ("field: processing_regions\n    op: within\n    value: [Europe]", "'Europe' is not a region"),
        ("field: open_weights\n    op: equals\n    value: 'yes'", "true or false"),
        ("field: deployment\n    op: in\n    value: [saas]", "unknown value 'saas'"),
        ("field: gpai_code_of_practice\n    op: equals\n    value: maybe", "signatory"),
        ("field: zero_data_retention\n    op: in\n    value: [sometimes]", "unknown value 'sometimes'"),
        ("field: licence\n    op: in\n    value: [Apache 2]", "expected an SPDX licence id"),
        ("field: openness\n    op: min\n    value: 0.5", "categorical"),
        ("field: monthly_cost\n    op: max\n    value: -1", "≥ 0"),
    ],
)
def test_requirement_values_are_checked(tmp_path, value, needle):
    p = bank_with(tmp_path, "field: processing_regions\n    op: within\n    value: [EU, EEA]", value)
    code, _, err = run("rank", "--priorities", str(p))
    assert code == 2 and needle in err
    assert f"{p}:" in err and "[requirements[0]." in err


def test_weight_typo_in_file_points_at_its_line(tmp_path):
    p = bank_with(tmp_path, "  compliance: 25", "  complience: 25")
    code, _, err = run("rank", "--priorities", str(p))
    assert code == 2 and f"{p}:9:" in err and "did you mean 'compliance'" in err


def test_unknown_offering_in_price_adjustments(tmp_path):
    p = tmp_path / "p.yaml"
    p.write_text(
        BANK.read_text()
        + "price_adjustments:\n  mistral-large-3-selfhosted: {monthly_fixed: 1000}\n  nope-api: {discount_pct: 5}\n"
    )
    code, _, err = run("rank", "--priorities", str(p))
    line = p.read_text().splitlines().index("  nope-api: {discount_pct: 5}") + 1
    assert code == 2 and "unknown offering 'nope-api'" in err and f"{p}:{line}:" in err


def test_vendor_priced_in_unknown_currency_is_dropped_with_its_line(vendors_copy):
    f = vendors_copy / "mistral-ai.yaml"
    f.write_text(f.read_text().replace("currency: USD", "currency: AUD", 1))
    code, out, err = run("rank", "--vendors", str(vendors_copy), "--format", "csv")
    assert code == 2 and "fx.unknown_currency" in err and "mistral-ai.yaml:" in err
    assert "mistral-large-4-api" not in out and out.count("\r\n") == 26  # header + 25 offerings


def test_criteria_levels_must_cover_every_level(criteria_copy):
    c = criteria_copy / "criteria.yaml"
    c.write_text(c.read_text().replace("open_restrictive: 0.5, ", ""))
    code, _, err = run("validate", "--criteria", str(criteria_copy))
    assert code == 2 and "missing: open_restrictive" in err


def test_criteria_direction_contradicts_anchors(criteria_copy):
    c = criteria_copy / "criteria.yaml"
    c.write_text(
        c.read_text().replace("{type: log, worst: 100000, best: 10}", "{type: log, worst: 10, best: 100000}")
    )
    code, _, err = run("rank", "--criteria", str(criteria_copy))
    assert code == 2 and "catalog.invalid_value_function" in err and "criteria.yaml:" in err


def test_fx_base_listed_in_rates(criteria_copy):
    f = criteria_copy / "fx.yaml"
    f.write_text(f.read_text().replace("  USD: 1.1172", "  USD: 1.1172\n  EUR: 2"))
    code, _, err = run("validate", "--criteria", str(criteria_copy))
    assert code == 2 and "base currency EUR" in err


def test_trusting_global_trusts_everyone(bundled, criteria):
    r = engine.rank(
        bundled, criteria, priorities(trusted_jurisdictions=["GLOBAL"], weights={"jurisdiction": 1})
    )
    assert {x.cells["jurisdiction"].value for x in r.ranked} == {1.0}
    req = [{"id": "dev", "field": "developer_hq", "op": "in", "value": ["GLOBAL"]}]
    assert not engine.rank(bundled, criteria, priorities(requirements=req)).excluded


def test_self_operated_passes_operator_rules(bundled, criteria):
    req = [{"id": "op", "field": "operator_hq", "op": "not_in", "value": ["US"]}]
    r = engine.rank(bundled, criteria, priorities(requirements=req))
    assert r.row("mistral-large-3-selfhosted").status == "ranked"
    assert r.row("openai-gpt-6-astra-api").status == "excluded"


def test_control_character_gives_line_and_column(vendors_copy):
    f = vendors_copy / "meta.yaml"
    f.write_bytes(f.read_bytes().replace(b"name: Meta", b"name: Me\x00ta", 1))
    code, _, err = run("validate", str(vendors_copy))
    assert code == 2 and "meta.yaml:" in err and "U+0000" in err


def test_empty_vendor_directory(tmp_path):
    (tmp_path / "empty").mkdir()
    code, out, err = run("rank", "--vendors", str(tmp_path / "empty"))
    assert code == 2 and out == "" and "catalog.empty" in err
    code, _, err = run("validate", str(tmp_path / "empty"))
    assert code == 2


def test_missing_vendor_directory_prints_no_table(tmp_path):
    code, out, err = run("rank", "--vendors", str(tmp_path / "nope"))
    assert code == 2 and out == "" and "no such file or directory" in err


def test_dangling_link_and_upper_case_suffix(vendors_copy):
    (vendors_copy / "gone.yaml").symlink_to(vendors_copy / "does-not-exist.yaml")
    (vendors_copy / "meta.yaml").rename(vendors_copy / "meta.YAML")
    cat = engine.load_catalog([vendors_copy])
    assert "meta-llama-4-maverick-selfhosted" in {o.id for o in cat.offerings}
    assert [i.code for i in cat.issues] == ["io.read_error"] and "gone.yaml" in cat.issues[0].file


def test_validate_a_priorities_file():
    code, out, err = run("validate", str(BANK))
    assert code == 0, err
    assert "1 priorities file(s)" in out


def test_validate_a_bad_priorities_file(tmp_path):
    p = bank_with(tmp_path, "  compliance: 25", "  compliance: -25")
    code, _, err = run("validate", str(p))
    assert code == 2 and f"{p}:9:" in err


def test_csv_notes_go_to_stderr():
    code, out, err = run("rank", "--format", "csv")
    assert code == 0
    assert "note: monthly_cost_value is in EUR per month" in err
    assert "weights normalised" in err and "note:" not in out


def test_on_date_must_be_iso_with_dashes():
    code, _, err = run("rank", "--on", "20261201")
    assert code == 2 and "YYYY-MM-DD" in err
    code, _, err = run("rank", "--on", "2026-13-01")
    assert code == 2 and "YYYY-MM-DD" in err


def test_str_tag_is_refused():
    with pytest.raises(engine.InputError) as exc:
        engine.load_vendor_bytes(
            vendor_yaml().replace("name: Acme AI", "name: !!str Acme").encode(), "acme.yaml"
        )
    assert exc.value.issues[0].code == "yaml.tag"

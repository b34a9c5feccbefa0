"""No lax type coercion in any file kind (issue 11, kinds 2 and 4).

A YAML boolean is never a number (``schema_version: true`` is not 1), text is never a
number (``"12"`` is not 12), a number is never text or an id, and a float is not a
whole number (``1.0`` for ``schema_version`` or a count). Each case goes through the
CLI (``validate``, ``check``, ``rank``) and must end in exit 2 naming the file, the
line, the field, what was expected and what was found — never a traceback.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import CRITERIA, offering_yaml, vendor_yaml
from tests.conftest import run_cli as run

TODAY = "2026-11-29"
BANK = CRITERIA / "presets" / "regulated-eu-bank.yaml"
POLICY = CRITERIA / "policies" / "eu-regulated.yaml"


def _replace(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def _expect_refusal(code: int, out: str, err: str, file: Path, field: str, found: str) -> None:
    assert code == 2, (code, out, err)
    assert "OK" not in out and "PASSED" not in out
    # file:line: code [field]: expected …; found …
    # validate names a file from its catalog root (vendors/acme.yaml), whatever was typed
    named = re.escape(f"{file.parent.name}/{file.name}")
    m = re.search(rf"(?:^|/){named}:(\d+): schema\.invalid \[{re.escape(field)}\]: (.*)", err, re.M)
    assert m, err
    assert int(m.group(1)) > 0
    assert "should be" in m.group(2) or "expected" in m.group(2), err
    assert f"found {found}" in m.group(2), err


# --------------------------------------------------------------------------- vendor files

VENDOR_CASES = [
    ("schema_version: 1", "schema_version: true", "schema_version", "boolean true"),
    ("schema_version: 1", "schema_version: false", "schema_version", "boolean false"),
    ("schema_version: 1", "schema_version: 1.0", "schema_version", "number 1.0"),
    ("schema_version: 1", "schema_version: '1'", "schema_version", "text '1'"),
    (
        "context_window_tokens: 128000",
        "context_window_tokens: true",
        "offerings[0].context_window_tokens",
        "boolean true",
    ),
    (
        "context_window_tokens: 128000",
        "context_window_tokens: '128000'",
        "offerings[0].context_window_tokens",
        "text '128000'",
    ),
    (
        "context_window_tokens: 128000",
        "context_window_tokens: 128000.0",
        "offerings[0].context_window_tokens",
        "number 128000.0",
    ),
    ("input_per_mtok: 1.0", "input_per_mtok: true", "offerings[0].prices.input_per_mtok", "boolean true"),
    ("output_per_mtok: 2.0", "output_per_mtok: '2.0'", "offerings[0].prices.output_per_mtok", "text '2.0'"),
    ("value: 40.0", "value: false", "offerings[0].capability.value", "boolean false"),
    ("value: 40.0", "value: '40'", "offerings[0].capability.value", "text '40'"),
    ("open_weights: false", "open_weights: 0", "offerings[0].openness.open_weights", "number 0"),
    ("open_weights: false", "open_weights: 'false'", "offerings[0].openness.open_weights", "text 'false'"),
    ("id: acme-api", "id: 12", "offerings[0].id", "number 12"),
    ("name: Acme AI", "name: true", "name", "boolean true"),
    ("name: Op", "name: 1.5", "offerings[0].operator.name", "number 1.5"),
    ("currency: USD", "currency: 840", "offerings[0].prices.currency", "number 840"),
]


@pytest.mark.parametrize(("old", "new", "field", "found"), VENDOR_CASES)
def test_vendor_fields_take_no_lax_type(tmp_path, old, new, field, found):
    d = tmp_path / "vendors"
    d.mkdir()
    f = d / "acme.yaml"
    f.write_text(_replace(vendor_yaml("acme", offering_yaml("acme-api", open_weights="false")), old, new))
    code, out, err = run("validate", str(d), "--criteria", str(CRITERIA))
    _expect_refusal(code, out, err, f, field, found)


def test_vendor_fmti_and_latency_take_no_boolean(tmp_path):
    d = tmp_path / "vendors"
    d.mkdir()
    f = d / "acme.yaml"
    for extra, field in [
        ("fmti: {score: true, edition: '2025'}\n", "fmti.score"),
    ]:
        f.write_text(vendor_yaml("acme", extra=extra))
        code, out, err = run("validate", str(d), "--criteria", str(CRITERIA))
        _expect_refusal(code, out, err, f, field, "boolean true")
    f.write_text(vendor_yaml("acme", offering_yaml("acme-api", ttft="true", tps=50)))
    code, out, err = run("validate", str(d), "--criteria", str(CRITERIA))
    _expect_refusal(code, out, err, f, "offerings[0].latency.ttft_s", "boolean true")


# --------------------------------------------------------------------------- priorities files

PRIORITIES_CASES = [
    ("schema_version: 1", "schema_version: true", "schema_version", "boolean true"),
    ("schema_version: 1", "schema_version: 1.0", "schema_version", "number 1.0"),
    ("compliance: 25", "compliance: true", "weights.compliance", "boolean true"),
    ("compliance: 25", "compliance: '25'", "weights.compliance", "text '25'"),
    (
        "input_tokens_per_month: 300000000",
        "input_tokens_per_month: '300000000'",
        "workload.input_tokens_per_month",
        "text '300000000'",
    ),
    ("answer_tokens: 400", "answer_tokens: true", "workload.answer_tokens", "boolean true"),
    ("samples: 10000", "samples: true", "robustness.samples", "boolean true"),
    ("samples: 10000", "samples: 10000.0", "robustness.samples", "number 10000.0"),
    ("seed: 0", "seed: false", "robustness.seed", "boolean false"),
    ("concentration: 50", "concentration: '50'", "robustness.concentration", "text '50'"),
    ("top_k: 3", "top_k: true", "robustness.top_k", "boolean true"),
    (
        "compliance: [0.15, 0.5]",
        "compliance: [true, 0.5]",
        "robustness.weight_bounds.compliance[0]",
        "boolean true",
    ),
    ("{worst: 50000, best: 50}", "{worst: true, best: 50}", "anchors.monthly_cost.worst", "boolean true"),
    ("{worst: 50000, best: 50}", "{worst: 50000, best: '50'}", "anchors.monthly_cost.best", "text '50'"),
    ("name: Regulated EU bank", "name: 2026", "name", "number 2026"),
    ("currency: EUR", "currency: true", "workload.currency", "boolean true"),
]


@pytest.mark.parametrize(("old", "new", "field", "found"), PRIORITIES_CASES)
def test_priorities_fields_take_no_lax_type(tmp_path, old, new, field, found):
    p = tmp_path / "p.yaml"
    p.write_text(_replace(BANK.read_text(), old, new))
    code, out, err = run("validate", str(p))
    _expect_refusal(code, out, err, p, field, found)
    # rank reads the same file and refuses it the same way
    code, out, err = run("rank", "--priorities", str(p), "--on", TODAY)
    _expect_refusal(code, out, err, p, field, found)


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ("claimed_credit: true\n", "claimed_credit"),
        ("stale_after_days: true\n", "stale_after_days"),
        ("stale_after_days: 365.0\n", "stale_after_days"),
        (
            "price_adjustments: {mistral-large-4-api: {discount_pct: true}}\n",
            "price_adjustments.mistral-large-4-api.discount_pct",
        ),
        (
            "price_adjustments: {mistral-large-4-api: {monthly_fixed: '100'}}\n",
            "price_adjustments.mistral-large-4-api.monthly_fixed",
        ),
    ],
)
def test_more_priorities_numbers_take_no_lax_type(tmp_path, extra, field):
    p = tmp_path / "p.yaml"
    p.write_text(BANK.read_text() + extra)
    code, _out, err = run("validate", str(p))
    assert code == 2 and f"[{field}]" in err and "found " in err and str(p) in err, err


@pytest.mark.parametrize(
    ("value", "found"),
    [("true", "True"), ("'20000'", "'20000'"), ("[20000]", "[20000]")],
)
def test_a_numeric_requirement_value_is_a_number(tmp_path, value, found):
    p = tmp_path / "p.yaml"
    p.write_text(
        _replace(
            BANK.read_text(),
            "    message: Processor holds (or claims) ISO 27001\n",
            "    message: Processor holds (or claims) ISO 27001\n"
            f"  - {{id: budget, field: monthly_cost, op: max, value: {value}}}\n",
        )
    )
    code, _out, err = run("validate", str(p))
    assert code == 2 and "requirements[2].value" in err and found in err, err


# --------------------------------------------------------------------------- policy files

POLICY_CASES = [
    ("schema_version: 1", "schema_version: true", "schema_version", "boolean true"),
    ("schema_version: 1", "schema_version: 1.0", "schema_version", "number 1.0"),
    ("  score: 50", "  score: true", "min_score.score", "boolean true"),
    ("  score: 50", "  score: '50'", "min_score.score", "text '50'"),
    ("max_waiver_days: 180", "max_waiver_days: true", "max_waiver_days", "boolean true"),
    ("max_waiver_days: 180", "max_waiver_days: 180.0", "max_waiver_days", "number 180.0"),
    ("name: EU regulated AI suppliers", "name: false", "name", "boolean false"),
]


@pytest.mark.parametrize(("old", "new", "field", "found"), POLICY_CASES)
def test_policy_fields_take_no_lax_type(tmp_path, old, new, field, found):
    p = tmp_path / "policy.yaml"
    p.write_text(_replace(POLICY.read_text(), old, new).replace("priorities: regulated-eu-bank", ""))
    code, out, err = run("check", "--policy", str(p), "--today", TODAY)
    _expect_refusal(code, out, err, p, field, found)
    code, out, err = run("validate", str(p))
    _expect_refusal(code, out, err, p, field, found)


@pytest.mark.parametrize(
    ("old", "new", "found"),
    [
        ("    value: 365", "    value: true", "True"),
        ("    value: 365", "    value: '365'", "'365'"),
        ("    value: 365", "    value: 365.0", "365.0"),
        ("    value: 20000", "    value: true", "True"),
        ("    value: 20000", "    value: '20000'", "'20000'"),
    ],
)
def test_a_numeric_rule_value_is_a_number(tmp_path, old, new, found):
    p = tmp_path / "policy.yaml"
    p.write_text(_replace(POLICY.read_text(), old, new))
    code, out, err = run("check", "--policy", str(p), "--today", TODAY)
    assert code == 2 and "PASSED" not in out and ".value" in err and found in err, err


# --------------------------------------------------------------------------- criteria and fx


@pytest.mark.parametrize(
    ("name", "old", "new", "field", "found"),
    [
        ("criteria.yaml", "schema_version: 1", "schema_version: true", "schema_version", "boolean true"),
        (
            "criteria.yaml",
            "{type: log, worst: 100000, best: 10}",
            "{type: log, worst: true, best: 10}",
            "criteria[0].value_function.worst",
            "boolean true",
        ),
        (
            "criteria.yaml",
            "{type: log, worst: 100000, best: 10}",
            "{type: log, worst: '100000', best: 10}",
            "criteria[0].value_function.worst",
            "text '100000'",
        ),
        ("fx.yaml", "schema_version: 1", "schema_version: 1.0", "schema_version", "number 1.0"),
        ("fx.yaml", "USD: 1.1172", "USD: true", "rates.USD", "boolean true"),
        ("fx.yaml", "USD: 1.1172", "USD: '1.1172'", "rates.USD", "text '1.1172'"),
    ],
)
def test_criteria_and_fx_take_no_lax_type(tmp_path, name, old, new, field, found):
    d = tmp_path / "criteria"
    shutil.copytree(CRITERIA, d)
    f = d / name
    f.write_text(_replace(f.read_text(), old, new))
    code, out, err = run("validate", "--criteria", str(d))
    _expect_refusal(code, out, err, f, field, found)
    code, out, err = run("rank", "--criteria", str(d), "--on", TODAY)
    _expect_refusal(code, out, err, f, field, found)


def test_the_levels_utilities_take_no_boolean(tmp_path):
    d = tmp_path / "criteria"
    shutil.copytree(CRITERIA, d)
    f = d / "criteria.yaml"
    text = f.read_text()
    levels = "levels: {closed: 0.0, open_restrictive: 0.5, open_osi: 1.0}"
    for bad, found in [("true", "boolean true"), ("'0.5'", "text '0.5'")]:
        f.write_text(_replace(text, levels, levels.replace("0.5", bad)))
        code, out, err = run("validate", "--criteria", str(d))
        _expect_refusal(code, out, err, f, "criteria[6].value_function.levels.open_restrictive", found)

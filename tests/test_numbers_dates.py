"""Issue 11, kinds 4 and 5: a number that validates can always be ranked, and one date grammar.

Hostile numbers (1e308, -1e308, 1e309 → inf, .nan, .inf, 400- and 5,000-digit integers,
-0, anchors equal or at the limits, weights summing to overflow) are refused at validation
with exit 2, file, line, field, what was expected and what was found; values at the edges
of the documented ranges rank, explain and analyse without NaN, infinity or a crash; JSON
is written strictly. Dates are ``YYYY-MM-DD`` everywhere; data dated after the ranking
date is flagged in every output that shows data age.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import math
import re
import shutil
from pathlib import Path

import pytest

import engine
from engine.catalog.dates import FUTURE_FLAG, age_flags, age_status, parse_date
from engine.catalog.ranges import number_problem
from tests.conftest import CRITERIA, offering_yaml, run_cli, vendor_yaml

BANK = CRITERIA / "presets" / "regulated-eu-bank.yaml"


def strict_json(text: str | bytes) -> object:
    """Parse JSON, refusing NaN and ±Infinity (json.loads accepts them by default)."""

    def refuse(token: str) -> object:
        raise AssertionError(f"not JSON: {token}")

    return json.loads(text, parse_constant=refuse)


def vendors_with(tmp_path: Path, *offerings: str, extra: str = "") -> Path:
    d = tmp_path / "vendors"
    d.mkdir(exist_ok=True)
    (d / "acme.yaml").write_text(vendor_yaml("acme", "".join(offerings), extra=extra), encoding="utf-8")
    return d


def validate_fails(*args: str) -> str:
    code, out, err = run_cli("validate", *args)
    assert code == 2, (code, out, err)
    return err


# ------------------------------------------------------------------ kind 4: vendor numbers


@pytest.mark.parametrize(
    ("kwargs", "field", "found"),
    [
        ({"capability": "1.7e308"}, "offerings[0].capability.value", "1.7e+308"),
        ({"capability": "-1.7e308"}, "offerings[0].capability.value", "-1.7e+308"),
        ({"capability": "1e309"}, "offerings[0].capability.value", "inf"),
        ({"capability": ".nan"}, "offerings[0].capability.value", "nan"),
        ({"capability": "-.inf"}, "offerings[0].capability.value", "-inf"),
        ({"capability": "1" + "0" * 400}, "offerings[0].capability.value", "401 digits"),
        ({"capability": "-" + "9" * 30}, "offerings[0].capability.value", "30 digits"),
        ({"context": "1" + "0" * 400}, "offerings[0].context_window_tokens", "401 digits"),
        ({"context": "1000000001"}, "offerings[0].context_window_tokens", "1000000001"),
        ({"inp": "1e308"}, "offerings[0].prices.input_per_mtok", "1e+308"),
        ({"inp": "-1e-300"}, "offerings[0].prices.input_per_mtok", "-1e-300"),
        ({"ttft": "1e309"}, "offerings[0].latency.ttft_s", "inf"),
        ({"tps": ".nan"}, "offerings[0].latency.output_tokens_per_s", "nan"),
    ],
)
def test_hostile_vendor_numbers_are_refused_with_file_line_field(tmp_path, kwargs, field, found):
    d = vendors_with(tmp_path, offering_yaml("acme-api", **kwargs))
    err = validate_fails("--vendors", str(d))
    assert f"{d.name}/acme.yaml:" in err and f"[{field}]" in err and found in err, err
    assert "schema.invalid" in err and ("Input should" in err or "expected" in err)
    code, _out, err2 = run_cli("rank", "--vendors", str(d))  # rank refuses it too, never a traceback
    assert code == 2 and f"[{field}]" in err2


def test_a_number_too_long_for_python_is_a_yaml_error_not_a_crash(tmp_path):
    d = vendors_with(tmp_path, offering_yaml("acme-api", capability="1" + "0" * 5000))
    err = validate_fails("--vendors", str(d))
    assert "yaml.number_too_long" in err and "acme.yaml:" in err and "5001 characters" in err
    assert "[offerings[0].capability.value]" in err


def test_minus_zero_is_plain_zero_in_every_output(tmp_path):
    d = vendors_with(
        tmp_path,
        offering_yaml("acme-api", inp="-0.0", out="-0", capability="-0.0"),
        offering_yaml("acme-b", capability="50"),
    )
    p = tmp_path / "p.yaml"
    p.write_text(
        "schema_version: 1\nname: t\nweights: {monthly_cost: 1, capability: 1}\n"
        "workload: {input_tokens_per_month: 1e6, output_tokens_per_month: 1e6}\n"
        "anchors: {capability: {worst: -0.0, best: 100}}\n",
        encoding="utf-8",
    )
    args = ("--vendors", str(d), "--priorities", str(p))
    for fmt in ("json", "csv", "table"):
        code, out, err = run_cli("rank", *args, "--format", fmt)
        assert code == 0, err
        assert "-0.0" not in out and "-0," not in out and " -0 " not in out
    doc = strict_json(run_cli("rank", *args, "--format", "json")[1])
    cells = {r["offering_id"]: r for r in doc["offerings"]}  # type: ignore[index]
    assert cells["acme-api"]["score"] is not None


# -------------------------------------------------------------- kind 4: priorities numbers


def bank_with(tmp_path: Path, old: str, new: str) -> Path:
    text = BANK.read_text()
    assert old in text
    p = tmp_path / "p.yaml"
    p.write_text(text.replace(old, new), encoding="utf-8")
    return p


ANCHOR = "monthly_cost: {worst: 50000, best: 50}"


@pytest.mark.parametrize(
    ("old", "new", "field", "needle"),
    [
        (ANCHOR, "monthly_cost: {worst: 1.7e308, best: 50}", "anchors.monthly_cost.worst", "1.7e+308"),
        (ANCHOR, "capability: {worst: -1.7e308, best: 1.7e308}", "anchors.capability.worst", "-1.7e+308"),
        (ANCHOR, "capability: {worst: 10, best: .inf}", "anchors.capability.best", "finite"),
        (ANCHOR, "capability: {worst: .nan, best: 60}", "anchors.capability.worst", "finite"),
        (ANCHOR, "capability: {worst: 5, best: 5}", "anchors.capability", "must differ"),
        (ANCHOR, "capability: {worst: 0, best: 2e6}", "anchors.capability", "criterion's range"),
        (ANCHOR, "transparency: {worst: 0, best: 1000}", "anchors.transparency", "criterion's range"),
        (ANCHOR, "data_residency: {worst: -1, best: 1}", "anchors.data_residency", "criterion's range"),
        (ANCHOR, "context_window: {worst: 0.5, best: 1e6}", "anchors.context_window", "criterion's range"),
        ("compliance: 25", "compliance: 1e308", "weights.compliance", "1e+308"),
        ("compliance: 25", "compliance: " + "9" * 400, "weights.compliance", "digits"),
        ("compliance: 25", "compliance: .inf", "weights.compliance", "finite"),
        ("compliance: 25", "compliance: -0.5", "weights.compliance", "greater than or equal"),
        ("seed: 0", "seed: " + "1" * 400, "robustness.seed", "digits"),
        ("seed: 0", "seed: 4294967296", "robustness.seed", "4294967295"),
        ("concentration: 50", "concentration: 1e308", "robustness.concentration", "1e+308"),
        ("concentration: 50", "concentration: .nan", "robustness.concentration", "finite"),
        ("top_k: 3", "top_k: 100000000000", "robustness.top_k", "1000"),
        ("compliance: [0.15, 0.5]", "compliance: [0.15, 1e308]", "robustness.weight_bounds", "1e+308"),
        ("answer_tokens: 400", "answer_tokens: 1e309", "workload.answer_tokens", "inf"),
        ("input_tokens_per_month: 300000000", "input_tokens_per_month: 1e300", "workload", "1e+300"),
    ],
)
def test_hostile_priorities_numbers_are_refused(tmp_path, old, new, field, needle):
    p = bank_with(tmp_path, old, new)
    code, out, err = run_cli("rank", "--priorities", str(p))
    assert code == 2 and out == "", err
    assert str(p) in err and f"[{field}" in err and needle in err, err
    assert f"{p}:" in err.split("\n")[0]  # a line number follows the file name


def test_weights_that_would_sum_to_overflow_are_refused(tmp_path):
    p = bank_with(
        tmp_path, "compliance: 25\n  data_residency: 20", "compliance: 1e308\n  data_residency: 1e308"
    )
    code, _, err = run_cli("rank", "--priorities", str(p))
    assert code == 2 and "weights.compliance" in err and "weights.data_residency" in err


@pytest.mark.parametrize(
    ("rule", "needle"),
    [
        ("field: monthly_cost\n    op: max\n    value: " + "9" * 400, "digits"),
        ("field: monthly_cost\n    op: max\n    value: 1e300", "1e+300"),
        ("field: monthly_cost\n    op: max\n    value: .nan", "nan"),
        ("field: transparency\n    op: min\n    value: 101", "100"),
        ("field: as_of\n    op: max_age_days\n    value: " + "9" * 400, "whole number of days"),
        ("field: as_of\n    op: max_age_days\n    value: 36501", "36500"),
    ],
)
def test_requirement_thresholds_have_ranges(tmp_path, rule, needle):
    p = bank_with(tmp_path, "field: processing_regions\n    op: within\n    value: [EU, EEA]", rule)
    code, out, err = run_cli("rank", "--priorities", str(p))
    assert code == 2 and out == "" and "priorities.invalid_value" in err and needle in err, err


def test_hostile_criteria_and_fx_numbers_are_refused(tmp_path):
    c = tmp_path / "criteria"
    shutil.copytree(CRITERIA, c)
    crit = (c / "criteria.yaml").read_text()
    bad = crit.replace("{type: linear, worst: 10, best: 65}", "{type: linear, worst: -1.7e308, best: 1e309}")
    bad = bad.replace("{type: linear, worst: 0, best: 100}", "{type: linear, worst: 0, best: 1000}")
    (c / "criteria.yaml").write_text(bad)
    err = validate_fails("--criteria", str(c))
    assert "value_function.worst" in err and "value_function.best" in err and "criteria.yaml:" in err
    (c / "criteria.yaml").write_text(
        crit.replace("{type: linear, worst: 0, best: 100}", "{type: linear, worst: 0, best: 1000}")
    )
    err = validate_fails("--criteria", str(c))
    assert "catalog.invalid_value_function" in err and "criterion's range 0 to 100" in err
    (c / "criteria.yaml").write_text(crit)
    fx = (c / "fx.yaml").read_text()
    (c / "fx.yaml").write_text(fx.replace("USD: 1.1172", "USD: 1e308").replace("GBP: 0.8338", "GBP: .nan"))
    err = validate_fails("--criteria", str(c))
    assert "fx.yaml:" in err and "rates.USD" in err and "rates.GBP" in err


def test_hostile_policy_numbers_are_refused(tmp_path):
    pol = tmp_path / "policy.yaml"
    for value, needle in (
        ("1e308", "1e+308"),
        (".nan", "finite"),
        ("9" * 400, "digits"),
        ("-0.1", "greater"),
    ):
        pol.write_text(
            f"schema_version: 1\nname: p\npriorities: regulated-eu-bank\nmin_score: {{score: {value}}}\n",
            encoding="utf-8",
        )
        code, _out, err = run_cli("check", "--policy", str(pol))
        assert code == 2 and "min_score.score" in err and needle in err, err
    pol.write_text(
        "schema_version: 1\nname: p\nrules:\n  - id: r\n    field: monthly_cost\n    op: max\n    value: 1e309\n",
        encoding="utf-8",
    )
    code, _, err = run_cli("check", "--policy", str(pol))
    assert code == 2 and "policy.invalid_value" in err and "inf" in err


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        # exponents are not in the one number grammar (engine.catalog.ranges.parse_decimal) since
        # the link/CLI grammar was unified: the range checks are reached with plain digits
        (("rank", "--weight", "capability=1000001"), "weight of 'capability'"),
        (("rank", "--weight", "capability=" + "9" * 320), "inf"),
        (("rank", "--weight", "capability=1e308"), "CRITERION=NUMBER"),
        (("rank", "--weight", "capability=nan"), "CRITERION=NUMBER"),
        (("rank", "--weight", "capability=inf"), "CRITERION=NUMBER"),
        (("rank", "--weight", "capability=1_000"), "CRITERION=NUMBER"),
        (("rank", "--top", "1" + "0" * 400), "--top"),
        (("rank", "--top", "1_000"), "--top"),
        (("sensitivity", "--concentration", "1e308"), "--concentration"),
        (("sensitivity", "--concentration", "nan"), "--concentration"),
        (("sensitivity", "--concentration", "-0"), "--concentration"),
        (("sensitivity", "--seed", str(2**64)), "--seed"),
        (("sensitivity", "--samples", "9" * 400), "--samples"),
        (("sensitivity", "--top-k", "100000"), "--top-k"),
        (("check", "--policy", "x.yaml", "--expiring-in", "99999999"), "--expiring-in"),
    ],
)
def test_cli_numeric_options_have_ranges(args, needle):
    code, out, err = run_cli(*args)
    assert code == 2 and out == "" and needle in err, err


def test_tolerance_option_has_a_range():
    code, _, err = run_cli("prices", "check", "--tolerance", "1e309")
    assert code == 2 and "--tolerance" in err
    code, _, err = run_cli("prices", "check", "--tolerance", "1001")
    assert code == 2 and "≤ 1000" in err


def test_number_problem_never_converts_a_huge_integer():
    assert number_problem(10**5000, 0, 1) is not None  # no OverflowError, no str() limit
    assert "401 digits" in (number_problem(-(10**400), 0, 1) or "")
    assert number_problem(True, 0, 1) is not None and number_problem("1", 0, 1) is not None
    assert number_problem(math.nan, 0, 1) is not None and number_problem(0.5, 0, 1) is None


# ------------------------------------------------- kind 4: extreme but valid values rank cleanly


EXTREMES = """\
schema_version: 1
name: extremes
weights: {monthly_cost: 1000000, response_time: 0.000001, capability: 1000000, context_window: 0, transparency: 0}
workload: {input_tokens_per_month: 1e15, output_tokens_per_month: 1e15, answer_tokens: 1e7, currency: EUR}
anchors:
  monthly_cost: {worst: 1e15, best: 1e-300}
  response_time: {worst: 1e9, best: 0}
  capability: {worst: -1e6, best: 1e6}
robustness: {samples: 300, seed: 4294967295, concentration: 1e6, top_k: 1000, weight_bounds: {capability: [0, 1]}}
stale_after_days: 36500
"""


@pytest.fixture
def extremes(tmp_path: Path) -> tuple[str, ...]:
    d = vendors_with(
        tmp_path,
        offering_yaml(
            "acme-max", capability="1e6", inp="1e6", out="1e6", context="1000000000", ttft="3600", tps="0.01"
        ),
        offering_yaml(
            "acme-min", capability="-1e6", inp="0", out="-0.0", context="1", ttft="1e-300", tps="1e6"
        ),
        offering_yaml("acme-mid", capability="0", inp="1e-300", out="5e-324", context="8192"),
    )
    p = tmp_path / "p.yaml"
    p.write_text(EXTREMES, encoding="utf-8")
    return ("--vendors", str(d), "--priorities", str(p))


@pytest.mark.parametrize("method", ["weighted-sum", "weighted-product", "topsis"])
def test_values_at_the_range_limits_rank_explain_and_analyse(extremes, method):
    code, out, err = run_cli("rank", *extremes, "--method", method, "--format", "json")
    assert code == 0, err
    doc = strict_json(out)
    assert all(math.isfinite(r["score"]) for r in doc["offerings"] if r["score"] is not None)  # type: ignore[index]
    code, out, err = run_cli("sensitivity", *extremes, "--method", method, "--format", "json")
    assert code == 0, err
    strict_json(out)
    code, out, err = run_cli("explain", "acme-min", *extremes, "--method", method)
    # as numbers, not as letters inside words ("governance" in a sovereignty answer's label)
    assert code == 0 and not re.search(r"\b(nan|inf|infinity)\b", out.lower()), err
    code, out, err = run_cli("compare", "acme-min", "acme-max", "acme-mid", *extremes, "--format", "json")
    assert code == 0, err
    strict_json(out)


def test_a_degenerate_relative_scale_gives_no_nan(tmp_path):
    c = tmp_path / "criteria"
    shutil.copytree(CRITERIA, c)
    crit = (c / "criteria.yaml").read_text()
    for anchors in ("{type: linear, worst: 10, best: 65}", "{type: log, worst: 100000, best: 10}"):
        crit = crit.replace(f"value_function: {anchors}", f"value_function: {anchors}\n    scale: relative")
    (c / "criteria.yaml").write_text(crit)
    ranged = "input_per_mtok_low: 0.5, input_per_mtok_high: 2, "
    offs = [offering_yaml(f"acme-{k}", capability=40, inp=1.0, out=1.0) for k in range(3)]
    offs[0] = offs[0].replace("prices: {", "prices: {" + ranged)
    d = vendors_with(tmp_path, *offs)
    p = tmp_path / "p.yaml"
    p.write_text(EXTREMES.split("anchors:")[0] + "robustness: {samples: 200}\n", encoding="utf-8")
    args = ("--vendors", str(d), "--criteria", str(c), "--priorities", str(p))
    for cmd in ("rank", "sensitivity"):
        code, out, err = run_cli(cmd, *args, "--format", "json")
        assert code == 0, err
        strict_json(out)


def test_json_is_written_strictly_a_leak_is_an_error(bundled, criteria):
    ranking = engine.rank(bundled, criteria, engine.load_priorities(BANK))
    leaked = dataclasses.replace(ranking, rows=(dataclasses.replace(ranking.rows[0], score=math.nan),))
    with pytest.raises(ValueError, match="JSON compliant"):
        engine.to_json(leaked)
    strict_json(engine.to_json(ranking))


# ------------------------------------------------------------------------- kind 5: dates


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("2026-W48-7", "week date"),
        ("2026W487", "week date"),
        ("2026-338", "ordinal date"),
        ("20261204", "dashes"),
        ("2026-1-2", "two digits"),
        ("2026-02-30", "no such day"),
        ("2026-13-01", "no such day"),
        ("0000-01-01", "1970-01-01 to 2999-12-31"),
        ("9999-12-31", "1970-01-01 to 2999-12-31"),
        ("1969-12-31", "1970-01-01 to 2999-12-31"),
        ("2026-12-04T10:00", "with a time"),
        ("2026-12-04 10:00:00", "with a time"),
        ("2026-12-04\n", ""),
        (" 2026-12-04", ""),
        ("２０２６-12-04", ""),
        ("+2026-12-04", ""),
    ],
)
def test_one_date_grammar_refuses(text, why):
    with pytest.raises(ValueError, match="expected a date YYYY-MM-DD") as exc:
        parse_date(text)
    assert why in str(exc.value)


def test_one_date_grammar_accepts_calendar_dates_and_refuses_datetimes():
    assert parse_date("2026-12-04") == dt.date(2026, 12, 4)
    assert parse_date("2999-12-31") == dt.date(2999, 12, 31)
    assert parse_date(dt.date(2026, 1, 1)) == dt.date(2026, 1, 1)
    with pytest.raises(ValueError, match="with a time"):
        parse_date(dt.datetime(2026, 1, 1, 10, 0))
    with pytest.raises(ValueError, match="int"):
        parse_date(20261204)


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("2026-W48-7", "week date"),
        ("2026-338", "ordinal date"),
        ("20261204", "found int"),
        ("2026-1-2", "two digits"),
        ("2026-02-30", "no such day"),
        ("0000-01-01", "1970-01-01"),
        ("9999-12-31", "2999-12-31"),
        ("2026-12-04T10:00:00", "with a time"),
        ('"2026-12-04 "', ""),
    ],
)
def test_bad_dates_in_a_profile_are_refused_with_file_line_field(tmp_path, value, why):
    d = vendors_with(tmp_path, offering_yaml("acme-api", as_of=value))
    err = validate_fails("--vendors", str(d))
    assert f"{d.name}/acme.yaml:" in err and "[offerings[0].as_of]" in err
    assert "expected a date YYYY-MM-DD" in err and why in err, err


def test_bad_dates_in_every_file_kind_and_option(tmp_path):
    d = vendors_with(tmp_path, offering_yaml("acme-api") + "    latency: {ttft_s: 1, as_of: 2026-W01-1}\n")
    err = validate_fails("--vendors", str(d))
    assert "latency.as_of" in err and "week date" in err
    p = bank_with(tmp_path, "schema_version: 1", "schema_version: 1\non_date: 2026-338")
    code, _, err = run_cli("rank", "--priorities", str(p))
    assert code == 2 and "[on_date]" in err and "ordinal date" in err
    c = tmp_path / "criteria"
    shutil.copytree(CRITERIA, c)
    fx = (c / "fx.yaml").read_text()
    (c / "fx.yaml").write_text(fx.replace("as_of: 2026-10-30", "as_of: 2026-10-30T00:00"))
    err = validate_fails("--criteria", str(c))
    assert "fx.yaml:" in err and "[as_of]" in err and "with a time" in err
    for args in (
        ("rank", "--on", "2026-W48-7"),
        ("rank", "--on", "2026-12-4"),
        ("check", "--policy", "x.yaml", "--today", "0000-01-01"),
        ("diff", "--base", "HEAD", "--on", "20261204"),
        ("import", "genai-prices", "--on", "2026-12-04T00:00"),
    ):
        code, out, err = run_cli(*args)
        assert code == 2 and out == "" and "expected a date YYYY-MM-DD" in err, (args, err)


def test_a_waiver_with_a_week_date_does_not_waive(tmp_path):
    from engine.policy.rules import _parse_date

    assert _parse_date("2026-W48-7") is None and _parse_date("2026-12-31") == dt.date(2026, 12, 31)
    assert _parse_date("9999-12-31") is None and _parse_date(dt.datetime(2026, 1, 1)) is None


# -------------------------------------------------- kind 5: data dated after the ranking date


def test_age_flags_and_status():
    day = dt.date(2026, 12, 4)
    assert age_flags(dt.date(2026, 12, 5), day, 365) == [
        f"{FUTURE_FLAG}: as_of 2026-12-05 is 1 days after 2026-12-04"
    ]
    assert age_flags(dt.date(2026, 12, 4), day, 365) == []
    assert age_flags(dt.date(2020, 1, 1), day, 365)[0].startswith("stale data: as_of 2020-01-01")
    assert age_status(dt.date(2027, 1, 1), day, 365) == "dated after the ranking date"
    assert age_status(dt.date(2020, 1, 1), day, 365) == "stale" and age_status(day, day, 365) == ""


def test_ranking_before_the_data_flags_every_output(tmp_path):
    d = vendors_with(
        tmp_path,
        offering_yaml("acme-api", as_of="2026-12-01"),
        offering_yaml("acme-old", as_of="2020-01-01"),
    )
    args = ("--vendors", str(d), "--on", "2026-11-15")
    code, out, _ = run_cli("rank", *args)
    assert code == 0 and FUTURE_FLAG in out and "as_of 2026-12-01 is 16 days after 2026-11-15" in out
    code, out, _ = run_cli("rank", *args, "--format", "csv")
    rows = {r["offering_id"]: r for r in csv.DictReader(io.StringIO(out))}
    assert any(FUTURE_FLAG in v for v in rows["acme-api"].values() if v)
    assert not any(FUTURE_FLAG in v for v in rows["acme-old"].values() if v)
    code, out, _ = run_cli("rank", *args, "--format", "json")
    doc = strict_json(out)
    flagged = {r["offering_id"]: r["reasons"] for r in doc["offerings"]}  # type: ignore[index]
    assert any(FUTURE_FLAG in x for x in flagged["acme-api"]) and any(
        "stale data" in x for x in flagged["acme-old"]
    )
    record = tmp_path / "record.md"
    code, _, err = run_cli("rank", *args, "--record", str(record))
    assert code == 0, err
    assert FUTURE_FLAG in record.read_text()
    code, out, _ = run_cli("compare", "acme-api", "acme-old", *args, "--format", "json")
    assert code == 0 and FUTURE_FLAG in out
    code, out, _ = run_cli("compare", "acme-api", "acme-old", *args)
    assert code == 0 and FUTURE_FLAG in out


def test_a_field_dated_after_the_ranking_date_is_flagged(tmp_path):
    d = vendors_with(
        tmp_path,
        offering_yaml("acme-api", as_of="2026-01-01") + "    latency: {ttft_s: 1, as_of: 2026-12-01}\n",
    )
    _code, out, _ = run_cli("rank", "--vendors", str(d), "--on", "2026-11-15", "--format", "json")
    reasons = strict_json(out)["offerings"][0]["reasons"]  # type: ignore[index]
    future = [r for r in reasons if FUTURE_FLAG in r]
    assert future == [f"{FUTURE_FLAG}: latency.as_of 2026-12-01 is 16 days after 2026-11-15"]


def test_excel_sources_sheet_flags_data_dated_after_the_ranking_date(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    d = vendors_with(
        tmp_path, offering_yaml("acme-api", as_of="2026-11-01"), offering_yaml("acme-b", as_of="2020-01-01")
    )
    x = tmp_path / "r.xlsx"
    code, _, err = run_cli(
        "rank", "--vendors", str(d), "--on", "2026-06-01", "--format", "xlsx", "--output", str(x)
    )
    assert code == 0, err
    ws = openpyxl.load_workbook(x)["Sources"]
    head = [c.value for c in ws[1]]
    stale = {r[0]: r[head.index("stale")] for r in ws.iter_rows(min_row=2, values_only=True)}
    # acme-b's own as_of is stale and its vendor profile (shared with acme-api) is dated after
    # the ranking date: the column says both, and stale_facts names each fact
    assert stale == {
        "acme-api": "dated after the ranking date",
        "acme-b": "yes; dated after the ranking date",
    }
    facts = {r[0]: r[head.index("stale_facts")] for r in ws.iter_rows(min_row=2, values_only=True)}
    assert "vendor profile 2026-11-01" in facts["acme-b"] and "offering profile 2020-01-01" in facts["acme-b"]


def test_policy_max_age_check_fails_data_dated_after_the_check_date(tmp_path):
    d = vendors_with(tmp_path, offering_yaml("acme-api", as_of="2026-11-01"))
    pol = tmp_path / "policy.yaml"
    pol.write_text(
        "schema_version: 1\nname: p\nrules:\n  - id: fresh\n    field: as_of\n    op: max_age_days\n    value: 90\n",
        encoding="utf-8",
    )
    code, out, _ = run_cli(
        "check", "--policy", str(pol), "--vendors", str(d), "--today", "2026-06-01", "--format", "json"
    )
    assert code == 1 and FUTURE_FLAG in out


@pytest.mark.parametrize("cell", ["1e308", "1e-308", "1e7", ".inf", ".nan"])
def test_ahp_judgements_have_a_range(tmp_path, cell):
    p = tmp_path / "p.yaml"
    p.write_text(
        "schema_version: 1\nname: t\nworkload: {input_tokens_per_month: 1, output_tokens_per_month: 1}\n"
        "ahp:\n  criteria: [capability, monthly_cost]\n"
        f"  matrix:\n    - [1, {cell}]\n    - [1, 1]\n",
        encoding="utf-8",
    )
    code, out, err = run_cli("rank", "--priorities", str(p))
    assert code == 2 and out == "" and "ahp.matrix" in err and str(p) in err, err


# ------------------------------------------------------------------------------ the app


def _app(monkeypatch: pytest.MonkeyPatch, query: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT

    monkeypatch.delenv("SHORTLIST_VENDORS", raising=False)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if query:
        at.query_params.update(query)
    at.run()
    assert not at.exception, at.exception
    return at


def _page(at, name: str):  # type: ignore[no-untyped-def]
    at.switch_page(f"ui/pages/{name}.py").run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize(
    ("kwargs", "needles"),
    [
        ({"capability": "1.7e308"}, ["offerings[0].capability.value", "1.7e+308"]),
        ({"context": "9" * 400}, ["offerings[0].context_window_tokens", "400 digits"]),
        ({"inp": ".nan"}, ["offerings[0].prices.input_per_mtok", "nan"]),
        ({"as_of": "2026-W48-7"}, ["offerings[0].as_of", "week date"]),
        ({"as_of": "2026-02-30"}, ["offerings[0].as_of", "no such day"]),
    ],
)
def test_app_upload_with_a_hostile_number_or_date_is_refused_inline(monkeypatch, kwargs, needles):
    at = _app(monkeypatch)
    before = list(at.dataframe[0].value["offering"])
    _page(at, "catalog")
    body = vendor_yaml("newco", offering_yaml("newco-api", **kwargs)).encode()
    at.file_uploader[0].set_value(("hostile.yaml", body, "application/x-yaml")).run()
    assert not at.exception, at.exception
    msg = " ".join(e.value for e in at.error)
    assert "hostile.yaml:" in msg and all(n in msg for n in needles), msg
    _page(at, "shortlist")
    assert list(at.dataframe[0].value["offering"]) == before


def test_app_flags_an_upload_dated_after_the_ranking_date(monkeypatch):
    at = _app(monkeypatch)
    _page(at, "catalog")
    profile = vendor_yaml(
        "newco", offering_yaml("newco-eu-api", capability=60, inp=0.1, out=0.1, as_of="2999-12-31")
    ).replace(
        "sources: [https://example.org/newco]",
        "sources: [https://example.org/newco]\ncertifications:\n  items:\n    iso27001: {status: certified}",
    )
    at.file_uploader[0].set_value(("future.yaml", profile.encode(), "application/x-yaml")).run()
    assert not at.error, [e.value for e in at.error]
    table = at.dataframe[0].value
    # the Catalog names offerings (ids in "id") and says the age in words (issue 15; was
    # "data age (days)" < 0)
    row = table[table["id"] == "newco-eu-api"].iloc[0]
    assert row["stale"] == "dated after the ranking date" and row["checked"].startswith("dated ")
    assert row["checked"].endswith(" days after the price date")
    _page(at, "shortlist")
    table = next(d.value for d in at.dataframe if "flags" in d.value.columns)  # the full table (ids)
    flags = table[table["offering"] == "newco-eu-api"].iloc[0]["flags"]
    assert FUTURE_FLAG in flags
    leader = str(table["offering"].iloc[0])
    _page(at, "compare")
    others = [leader] if leader != "newco-eu-api" else [str(table["offering"].iloc[1])]
    at.multiselect(key="p_compare").set_value(["newco-eu-api", *others]).run()
    assert not at.exception, at.exception
    shown = at.table[0].value
    # the Compare row is "caveats", in plain words (issue 15; was the engine's flag in "flags")
    assert any("dated in the future" in str(v) for v in shown.loc["caveats"].tolist()), shown


@pytest.mark.parametrize(
    ("query", "needle"),
    [
        ({"policy_date": "2026-W48-7"}, "policy_date='2026-W48-7' is not a date YYYY-MM-DD"),
        ({"policy_date": "9999-12-31"}, "policy_date='9999-12-31' is not a date YYYY-MM-DD"),
        ({"policy_date": "2026-12-04T00:00"}, "is not a date YYYY-MM-DD"),
        ({"w_capability": "1e308"}, "w_capability='1e308'"),
        ({"concentration": "inf"}, "concentration='inf'"),
        ({"seed": "9" * 400}, "seed="),
        ({"in_m": "nan"}, "in_m='nan'"),
    ],
)
def test_app_link_with_a_hostile_number_or_date_is_explained(monkeypatch, query, needle):
    at = _app(monkeypatch, query)
    assert not at.error, [e.value for e in at.error]
    warning = " ".join(w.value for w in at.warning)
    assert needle in warning, warning


def _numbers(node: object, path: str = ""):  # type: ignore[no-untyped-def]
    """Every number/integer node of a JSON Schema, with its path."""
    if isinstance(node, dict):
        if node.get("type") in ("number", "integer"):
            yield path, node
        for k, v in node.items():
            yield from _numbers(v, f"{path}/{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _numbers(v, f"{path}/{i}")


@pytest.mark.parametrize("kind", ["vendor", "priorities", "policy", "criteria"])
def test_every_number_in_the_schema_has_a_documented_finite_range(kind):
    code, out, _ = run_cli("schema", kind)
    assert code == 0
    unranged = []
    for path, node in _numbers(strict_json(out)):
        low = "minimum" in node or "exclusiveMinimum" in node
        high = "maximum" in node or "exclusiveMaximum" in node
        if path.endswith("/Ahp/properties/matrix/items/items") or "weight_bounds" in path:
            low = high = True  # checked with the criteria (elicitation, sensitivity), documented
        if "const" in node or "enum" in node:
            continue  # schema_version: 1
        if not (low and high and node.get("description")):
            unranged.append(path)
    assert not unranged, unranged


@pytest.mark.parametrize("expires", ["2026-W52-1", "2026-365", "20261231", "2026-12-31T00:00", "9999-12-31"])
def test_a_waiver_with_a_malformed_expiry_fails_closed_in_the_cli(tmp_path, expires):
    d = vendors_with(tmp_path, offering_yaml("acme-api", inp=1, out=1))
    pol = tmp_path / "policy.yaml"
    pol.write_text(
        "schema_version: 1\nname: p\nrules:\n  - id: cheap\n    field: monthly_cost\n    op: max\n"
        "    value: 0\npriorities: regulated-eu-bank\n"
        "waivers:\n  - {rule: cheap, offering: acme-api, reason: r, approver: a, "
        f"expires: '{expires}'}}\n",
        encoding="utf-8",
    )
    code, out, err = run_cli(
        "check", "--policy", str(pol), "--vendors", str(d), "--today", "2026-12-04", "--format", "json"
    )
    assert code == 1, err
    doc = strict_json(out)
    assert doc["passed"] is False  # type: ignore[index]
    assert "invalid" in out

"""Stale facts in every command: ``rank`` (table, CSV, JSON, Excel, decision record),
``explain``, ``compare`` and ``check``; per-kind limits from the priorities file.

The vendor profile and the priorities here are invented test fixtures, not vendor data.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.conftest import CRITERIA
from tests.conftest import run_cli as run

DAY = "2026-12-04"
PRICES_FLAG = "stale data: prices 2026-07-01 is 156 days old (limit 90 days for prices)"

# invented: acme-old's prices are dated 2026-07-01 (156 days before DAY, over the 90-day
# price limit); acme-new is fresh; acme-many has every block undated on an old profile
VENDOR = """\
schema_version: 1
id: acme
name: Acme
headquarters: FR
as_of: 2026-11-01
sources: [https://acme.example/about]
offerings:
  - id: acme-old
    model: Old
    channel: Acme API
    operator: {name: Acme, headquarters: FR}
    deployment: api
    processing_regions: [EU]
    prices:
      input_per_mtok: 1
      output_per_mtok: 2
      currency: EUR
      as_of: 2026-07-01
      sources: [https://acme.example/pricing]
    capability: {metric: Artificial Analysis Intelligence Index v4.3, value: 40}
    as_of: 2026-11-01
    sources: [https://acme.example/models]
  - id: acme-new
    model: New
    channel: Acme API
    operator: {name: Acme, headquarters: FR}
    deployment: api
    processing_regions: [EU]
    prices: {input_per_mtok: 1, output_per_mtok: 2, currency: EUR}
    capability: {metric: Artificial Analysis Intelligence Index v4.3, value: 50}
    as_of: 2026-11-20
    sources: [https://acme.example/models]
  - id: acme-many
    model: Many
    channel: Acme API
    operator: {name: Acme, headquarters: FR}
    deployment: api
    processing_regions: [EU]
    prices: {input_per_mtok: 1, output_per_mtok: 2, currency: EUR}
    capability: {metric: Artificial Analysis Intelligence Index v4.3, value: 45}
    latency: {ttft_s: 0.5}
    openness: {open_weights: false}
    zero_data_retention: {status: available}
    certifications:
      items:
        iso27001: {status: certified}
        soc2_type2: {status: certified}
    as_of: 2024-01-01
    sources: [https://acme.example/models]
"""

PRIORITIES = """\
schema_version: 1
name: Stale test
weights: {monthly_cost: 1, capability: 1}
workload: {input_tokens_per_month: 1.0e+8, output_tokens_per_month: 2.0e+7, currency: EUR}
"""

POLICY = """\
schema_version: 1
name: Fresh prices
priorities: prio.yaml
rules:
  - id: fresh-prices
    severity: deny
    field: prices.as_of
    op: max_age_days
    value: 90
"""


@pytest.fixture
def cat(tmp_path: Path) -> Path:
    (tmp_path / "vendors").mkdir()
    (tmp_path / "vendors" / "acme.yaml").write_text(VENDOR, encoding="utf-8")
    (tmp_path / "prio.yaml").write_text(PRIORITIES, encoding="utf-8")
    (tmp_path / "policy.yaml").write_text(POLICY, encoding="utf-8")
    return tmp_path


def _args(cat: Path, prio: str = "prio.yaml") -> list[str]:
    return ["--vendors", str(cat / "vendors"), "--criteria", str(CRITERIA), "--priorities", str(cat / prio)]


def test_rank_table_flags_the_stale_prices_block(cat):
    code, out, err = run("rank", *_args(cat), "--on", DAY)
    assert code == 0, err
    flags = out.split("Flags:")[1]
    assert f"acme-old: {PRICES_FLAG}" in flags
    assert "acme-new" not in flags
    # proportionate: the first five stale facts of an offering, then a count
    many = next(ln for ln in flags.splitlines() if ln.strip().startswith("acme-many:"))
    assert many.count("stale data:") == 5 and "more stale facts (shortlist explain lists them)" in many


def test_rank_csv_and_json_carry_every_stale_fact(cat):
    _code, out, _ = run("rank", *_args(cat), "--on", DAY, "--format", "csv")
    rows = {r["offering_id"]: r for r in csv.DictReader(io.StringIO(out))}
    assert PRICES_FLAG in rows["acme-old"]["reasons"]
    _, out, _ = run("rank", *_args(cat), "--on", DAY, "--format", "json")
    doc = json.loads(out)
    assert doc["max_age_days"]["prices"] == 90
    rows = {r["offering_id"]: r for r in doc["offerings"]}
    (stale,) = rows["acme-old"]["stale"]
    assert stale == {
        "field": "prices",
        "kind": "prices",
        "as_of": "2026-07-01",
        "age_days": 156,
        "limit_days": 90,
        "inherited": False,
        "future": False,
        "flag": PRICES_FLAG,
    }
    assert rows["acme-new"]["stale"] == []
    many = rows["acme-many"]["stale"]
    assert len(many) > 5 and all(s["flag"] in rows["acme-many"]["reasons"] for s in many)
    assert {"certifications.iso27001", "certifications.soc2_type2", "prices", "latency"} <= {
        s["field"] for s in many
    }


def test_explain_lists_every_stale_fact(cat):
    code, out, err = run("explain", *_args(cat), "--on", DAY, "acme-old")
    assert code == 0, err
    assert PRICES_FLAG in out
    code, out, _ = run("explain", *_args(cat), "--on", DAY, "acme-many")
    assert out.count("stale data:") >= 8 and "more stale facts" not in out


@pytest.mark.parametrize("fmt", ["table", "markdown", "csv", "json"])
def test_compare_flags_the_stale_prices_block(cat, fmt):
    code, out, err = run("compare", *_args(cat), "--on", DAY, "--format", fmt, "acme-old", "acme-new")
    assert code == 0, err
    assert "stale data: prices 2026-07-01 is 156 days old" in out


def test_priorities_limits_replace_the_catalogs(cat):
    (cat / "loose.yaml").write_text(PRIORITIES + "max_age_days: {prices: 200, profile: 36500}\n")
    _code, out, _ = run("rank", *_args(cat, "loose.yaml"), "--on", DAY, "--format", "json")
    rows = {r["offering_id"]: r for r in json.loads(out)["offerings"]}
    assert rows["acme-old"]["stale"] == []
    assert not any(s["field"] == "offering" for s in rows["acme-many"]["stale"])
    # the old single threshold is the profile's limit
    (cat / "old.yaml").write_text(PRIORITIES + "stale_after_days: 36500\n")
    _, out, _ = run("rank", *_args(cat, "old.yaml"), "--on", DAY, "--format", "json")
    doc = json.loads(out)
    assert doc["max_age_days"]["profile"] == 36500
    rows = {r["offering_id"]: r for r in doc["offerings"]}
    assert not any(s["field"] == "offering" for s in rows["acme-many"]["stale"])
    assert any(s["field"] == "prices" for s in rows["acme-many"]["stale"])  # prices still 90


@pytest.mark.parametrize(
    ("extra", "found"),
    [
        ("stale_after_days: 30\nmax_age_days: {profile: 60}\n", "stale_after_days (30) is the old name"),
        ("max_age_days: {price: 60}\n", "max_age_days"),
        ("max_age_days: {prices: 0}\n", "max_age_days"),
        ("max_age_days: {prices: 1.5}\n", "max_age_days"),
        ("max_age_days: [prices, 60]\n", "max_age_days"),
    ],
)
def test_bad_limits_in_priorities_are_errors(cat, extra, found):
    (cat / "bad.yaml").write_text(PRIORITIES + extra)
    code, out, err = run("rank", *_args(cat, "bad.yaml"), "--on", DAY)
    assert code == 2 and out == ""
    assert "bad.yaml" in err and found in err


def test_check_lists_stale_facts_and_a_kind_rule_fails_them(cat):
    argv = ["check", "--policy", str(cat / "policy.yaml"), "--vendors", str(cat / "vendors")]
    argv += ["--criteria", str(CRITERIA), "--today", DAY]
    code, out, err = run(*argv)
    assert code == 1, err
    assert (
        "fresh-prices [rule.failed]" in out
        and "prices 2026-07-01 is 156 days old (over the 90-day limit)" in out
    )
    stale = out.split("Stale data (")[1]
    assert "acme-old: prices 2026-07-01: 156 days old, limit 90" in stale
    assert "acme-new" not in stale.split("FAILED")[0]
    code, out, _ = run(*argv, "--format", "json")
    doc = json.loads(out)
    old = [s for s in doc["stale"] if s["offering"] == "acme-old"]
    assert [s["flag"] for s in old] == [PRICES_FLAG]
    assert doc["max_age_days"]["prices"] == 90
    # the finding points at the prices block of the profile
    (f,) = [f for f in doc["findings"] if f["offering"] == "acme-old"]
    assert f["field"] == "offerings[0].prices" and f["line"] == 14  # the `prices:` line


def test_decision_record_and_excel_list_each_stale_fact(cat, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    record = tmp_path / "record.md"
    code, _, err = run("rank", *_args(cat), "--on", DAY, "--record", str(record))
    assert code == 0, err
    text = record.read_text()
    section = text.split("## Stale data")[1].split("\n## ")[0]
    assert "prices: 90" not in section and "prices 90" in section
    assert "| acme-old | prices | prices | 2026-07-01 | 156 | 90 |" in section
    assert "| acme-many | latency | latency | 2024-01-01 (inherited) |" in section
    # the Flags list stays proportionate: five stale facts, then a count pointing at the section
    many = next(ln for ln in text.split("## Stale data")[0].splitlines() if ln.startswith("- acme-many:"))
    assert many.count("stale data:") == 5 and "more stale facts (the Stale data section lists each)" in many
    assert section.count("| acme-many |") == 9
    x = tmp_path / "r.xlsx"
    code, _, err = run("rank", *_args(cat), "--on", DAY, "--format", "xlsx", "--output", str(x))
    assert code == 0, err
    ws = openpyxl.load_workbook(x)["Sources"]
    head = [c.value for c in ws[1]]
    rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert rows["acme-old"][head.index("stale")] == "yes"
    assert rows["acme-old"][head.index("stale_facts")] == "prices 2026-07-01: 156 days old, limit 90"
    assert (
        rows["acme-new"][head.index("stale")] == "no" and rows["acme-new"][head.index("stale_facts")] is None
    )
    inputs = openpyxl.load_workbook(x)["Inputs"]
    labels = {r[0]: r[1] for r in inputs.iter_rows(values_only=True) if r and r[0]}
    assert labels["maximum age of prices facts (days)"] == 90

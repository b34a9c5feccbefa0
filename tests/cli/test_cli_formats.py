"""Issue 15's CLI points: ``--version``, ``--excel`` implying CSV, the currency of the
CSV's money columns, and ``explain``'s rank acceptability in rank order."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import numpy as np
import pytest

from engine._version import __version__
from engine.cli.explain import ACCEPTABILITY_SHOWN, acceptability_text
from tests.conftest import CRITERIA, ROOT, VENDORS
from tests.conftest import run_cli as run

FROZEN = ("--vendors", str(VENDORS), "--on", "2026-12-01")


def ok(*args: str) -> str:
    code, out, err = run(*args)
    assert code == 0, err
    return out


# ------------------------------------------------------------------ --version


def test_version_as_a_process_is_the_installed_package_version():
    p = subprocess.run(
        [sys.executable, "-m", "engine", "--version"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert p.returncode == 0 and p.stderr == ""
    assert p.stdout == f"shortlist {__version__}\n"
    assert __version__ == version("shortlist")  # the wheel's metadata and the code agree


# ------------------------------------------------------------ --excel implies CSV


@pytest.mark.parametrize(
    "command", [("rank",), ("sensitivity", "--samples", "300", "--seed", "3")], ids=["rank", "sensitivity"]
)
def test_excel_alone_writes_the_excel_csv(command, tmp_path: Path):
    implied, explicit = tmp_path / "implied.csv", tmp_path / "explicit.csv"
    ok(*command, *FROZEN, "--excel", "--output", str(implied))
    ok(*command, *FROZEN, "--format", "csv", "--excel", "--output", str(explicit))
    data = implied.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and data == explicit.read_bytes()
    # and to stdout: the same CSV, not the table
    out = ok(*command, *FROZEN, "--excel")
    assert out.encode("utf-8") == data


@pytest.mark.parametrize(
    ("command", "fmt"),
    [("rank", "json"), ("rank", "table"), ("rank", "xlsx"), ("sensitivity", "table")],
)
def test_excel_with_another_format_is_still_a_usage_error(command, fmt, tmp_path: Path):
    code, out, err = run(command, *FROZEN, "--format", fmt, "--excel", "--output", str(tmp_path / "x"))
    assert code == 2 and out == ""
    assert "--excel applies to --format csv only" in err


def test_without_excel_the_default_is_still_the_table():
    out = ok("rank", *FROZEN)
    assert not out.startswith("rank,offering_id") and "\ufeff" not in out


# ------------------------------------------------- the currency of money columns


def _csv(*args: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(ok("rank", *FROZEN, "--format", "csv", *args))))


def test_csv_names_the_currency_of_its_money_columns():
    rows = _csv()
    head = list(rows[0])
    assert head[-2:] == ["as_of", "currency"]
    assert {r["currency"] for r in rows} == {"EUR"}
    assert any(r["monthly_cost_value"] for r in rows)


def test_the_currency_column_follows_the_buyers_currency(tmp_path: Path):
    bank = (CRITERIA / "presets" / "regulated-eu-bank.yaml").read_text(encoding="utf-8")
    assert "currency: EUR" in bank
    usd = tmp_path / "usd.yaml"
    usd.write_text(bank.replace("currency: EUR", "currency: USD", 1), encoding="utf-8")
    eur_rows = {r["offering_id"]: r for r in _csv()}
    usd_rows = {r["offering_id"]: r for r in _csv("--priorities", str(usd))}
    assert {r["currency"] for r in usd_rows.values()} == {"USD"}
    # the amounts are converted, so the column is what tells them apart
    priced = [k for k, r in eur_rows.items() if r["monthly_cost_value"]]
    assert priced and all(
        float(usd_rows[k]["monthly_cost_value"]) > float(eur_rows[k]["monthly_cost_value"]) for k in priced
    )
    doc = json.loads(ok("rank", *FROZEN, "--priorities", str(usd), "--format", "json"))
    assert doc["currency"] == "USD"


def test_the_workbook_has_the_csvs_currency_column(tmp_path: Path):
    import openpyxl

    out = tmp_path / "ranking.xlsx"
    ok("rank", *FROZEN, "--format", "xlsx", "--output", str(out))
    ws = openpyxl.load_workbook(out)["Shortlist"]
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == list(_csv()[0])  # the CSV's columns, in its order
    assert {r[-1] for r in rows[1:]} == {"EUR"}


# ----------------------------------------------- explain: acceptability by rank


def test_acceptability_text_is_in_rank_order():
    a = np.array([0.1, 0.6, 0.3, 0.0])
    assert acceptability_text(a) == "rank 1: 10.0%, rank 2: 60.0%, rank 3: 30.0%"


def test_acceptability_text_names_the_largest_ranks_in_rank_order_and_sums_the_rest():
    n = ACCEPTABILITY_SHOWN + 3
    a = np.arange(1, n + 1, dtype=np.float64)[::-1].copy()  # rank 1 largest
    a[0], a[-1] = a[-1], a[0]  # rank n now largest, rank 1 smallest
    a /= a.sum()
    text = acceptability_text(a)
    ranks = [int(r) for r in re.findall(r"rank (\d+):", text)]
    assert ranks == sorted(ranks) and len(ranks) == ACCEPTABILITY_SHOWN and n in ranks and 1 not in ranks
    rest = float(re.search(r"other ranks: ([\d.]+)%", text).group(1))  # type: ignore[union-attr]
    shown = sum(float(v) for v in re.findall(r"rank \d+: ([\d.]+)%", text))
    assert shown + rest == pytest.approx(100, abs=0.1 * (ACCEPTABILITY_SHOWN + 1))


def test_explain_lists_the_acceptability_by_rank():
    doc = json.loads(ok("rank", *FROZEN, "--format", "json"))
    ranked = [o["offering_id"] for o in doc["offerings"] if o["status"] == "ranked"]
    for offering in ranked[:4]:
        out = ok("explain", offering, *FROZEN)
        line = out.split("rank acceptability:")[1].splitlines()[0]
        ranks = [int(r) for r in re.findall(r"rank (\d+):", line)]
        assert ranks and ranks == sorted(ranks), line

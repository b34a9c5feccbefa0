"""The Excel export (engine/reports/excel.py, `shortlist rank --format xlsx`): workbooks written
to disk and read back with openpyxl."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

import engine
from engine.reports.excel import SHEETS
from tests.conftest import CRITERIA, ROOT, VENDORS, offering_yaml, priorities, run_cli, vendor_yaml

DAY = dt.date(2026, 11, 29)
DIRS = ("--vendors", str(VENDORS), "--criteria", str(CRITERIA))


@pytest.fixture(scope="module")
def bank() -> tuple[engine.Ranking, engine.PrioritiesFile, engine.Catalog]:
    criteria = engine.load_criteria(CRITERIA)
    catalog = engine.load_catalog([VENDORS], currencies=criteria.currencies())
    pr = engine.load_priorities(CRITERIA / "presets" / "regulated-eu-bank.yaml")
    return engine.rank(catalog, criteria, pr, on_date=DAY), pr, catalog


def save(tmp_path: Path, data: bytes, name: str = "shortlist.xlsx") -> openpyxl.Workbook:
    """Write the bytes to a real file and open it again."""
    path = tmp_path / name
    path.write_bytes(data)
    return openpyxl.load_workbook(path)


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def numeric_columns(ranking: engine.Ranking) -> set[str]:
    cols = {"rank", "score"}
    for c in ranking.criteria:
        cols.add(f"{c.id}_contribution")
        if c.value_function.type != "levels":
            cols.add(f"{c.id}_value")
    return cols


def assert_sheet_equals_csv(ws: Worksheet, table: list[list[str]], numeric: set[str]) -> None:
    """Row by row, cell by cell: the same text, numbers as numbers within the CSV's
    rounding (4 decimals), as_of as a date, empty as empty."""
    head = table[0]
    assert [c.value for c in ws[1]] == head
    assert ws.max_row == len(table) and ws.max_column == len(head)
    for i, expected in enumerate(table[1:], start=2):
        cells = ws[i]
        for name, text, cell in zip(head, expected, cells, strict=True):
            where = f"{name} of row {i}"
            if text == "":
                assert cell.value is None, where
            elif name == "as_of":
                assert isinstance(cell.value, dt.datetime), where
                assert cell.value.date().isoformat() == text, where
            elif name in numeric:
                assert cell.data_type == "n" and isinstance(cell.value, (int, float)), where
                assert not isinstance(cell.value, bool), where
                assert cell.value == pytest.approx(float(text), abs=6e-5), where
            else:
                assert cell.data_type == "s" and cell.value == text, where


def find_row(ws: Worksheet, text: str, column: int = 1) -> int:
    for row in ws.iter_rows(min_col=column, max_col=column):
        if row[0].value == text:
            return row[0].row
    raise AssertionError(f"{text!r} not found in column {column} of {ws.title}")


# --------------------------------------------------------------------------- Shortlist


def test_sheet_names(tmp_path, bank):
    wb = save(tmp_path, engine.to_xlsx(*bank))
    assert wb.sheetnames == ["Shortlist", "Inputs", "Sources"] == list(SHEETS)


@pytest.mark.parametrize("top", [None, 3])
def test_shortlist_rows_equal_the_csv(tmp_path, bank, top):
    ranking = bank[0]
    wb = save(tmp_path, engine.to_xlsx(*bank, top=top))
    table = csv_rows(engine.to_csv(ranking, top=top))
    assert any(r[5] == "excluded" for r in table[1:]) and any(r[5] == "ranked" for r in table[1:])
    assert_sheet_equals_csv(wb["Shortlist"], table, numeric_columns(ranking))


def test_numbers_keep_full_precision(tmp_path, bank):
    ranking = bank[0]
    ws = save(tmp_path, engine.to_xlsx(*bank))["Shortlist"]
    head = [c.value for c in ws[1]]
    lead = ranking.ranked[0]
    assert ws.cell(2, head.index("score") + 1).value == lead.score
    contribs = [ws.cell(2, j + 1).value for j, h in enumerate(head) if str(h).endswith("_contribution")]
    assert sum(contribs) == pytest.approx(lead.score, abs=1e-9)  # points add up to the score


def test_header_formatting_panes_filter_and_formats(tmp_path, bank):
    ranking = bank[0]
    ws = save(tmp_path, engine.to_xlsx(*bank))["Shortlist"]
    head = [c.value for c in ws[1]]
    for cell in ws[1]:
        assert cell.font.b, cell.coordinate
        assert cell.fill.fill_type == "solid" and cell.fill.fgColor.rgb.endswith("1F4E78")
    assert ws.freeze_panes == "C2"  # the header row, rank and offering_id stay in view
    last = openpyxl.utils.get_column_letter(len(head))
    assert ws.auto_filter.ref == f"A1:{last}{ws.max_row}"

    def fmt(name: str) -> str:
        return ws.cell(2, head.index(name) + 1).number_format

    assert fmt("score") == "0.0"
    assert fmt("monthly_cost_value") == "#,##0.00"
    assert fmt("context_window_value") == "#,##0"
    assert fmt("as_of") == "yyyy-mm-dd"
    widths = {
        h: ws.column_dimensions[openpyxl.utils.get_column_letter(j + 1)].width for j, h in enumerate(head)
    }
    assert widths["offering"] > widths["rank"] >= 8
    assert max(widths.values()) <= 60

    score = openpyxl.utils.get_column_letter(head.index("score") + 1)
    rules = {str(r.sqref): [x.type for x in r.rules] for r in ws.conditional_formatting}
    n_ranked = len(ranking.ranked)
    assert rules == {f"{score}2:{score}{n_ranked + 1}": ["dataBar"]}

    status = head.index("status")
    for row in ws.iter_rows(min_row=2):
        grey = row[status].value == "excluded"
        colour = row[1].font.color.rgb if row[1].font.color is not None else None
        assert (isinstance(colour, str) and colour.endswith("808080")) == grey
        assert (row[1].fill.fill_type == "solid") == grey


# --------------------------------------------------------------------------- Inputs


def test_inputs_sheet_weights_sum_to_100_percent(tmp_path, bank):
    ranking, pr, _ = bank
    ws = save(tmp_path, engine.to_xlsx(*bank, version="9.9.9"))["Inputs"]
    head_row = find_row(ws, "criterion")
    head = [c.value for c in ws[head_row]]
    assert head[:5] == ["criterion", "label", "unit", "direction", "weight"]
    assert "worst (utility 0)" in head and "best (utility 1)" in head
    total_row = find_row(ws, "total")
    body = list(ws.iter_rows(min_row=head_row + 1, max_row=total_row - 1))
    assert [r[0].value for r in body] == [c.id for c in ranking.criteria]
    weights = {r[0].value: r[4].value for r in body}
    assert weights == pytest.approx(dict(ranking.weights))
    assert sum(weights.values()) == pytest.approx(1.0)
    assert all(r[4].number_format == "0.0%" for r in body)
    total = ws.cell(total_row, 5)
    assert total.value == pytest.approx(1.0) and total.number_format == "0.0%"
    # the buyer's anchors win over the catalog's
    cost = next(r for r in body if r[0].value == "monthly_cost")
    worst, best = head.index("worst (utility 0)"), head.index("best (utility 1)")
    assert (cost[worst].value, cost[best].value) == (50000, 50)
    assert cost[head.index("anchors from")].value == "priorities"
    assert cost[2].value == "EUR per month"

    def value(key: str) -> Any:
        return ws.cell(find_row(ws, key), 2).value

    assert value("priorities") == "Regulated EU bank"
    assert value("method") == "weighted-sum"
    assert value("price date") == dt.datetime(2026, 11, 29)
    assert value("currency") == "EUR"
    assert value("tool version") == "Shortlist 9.9.9"
    assert value("inputs digest (SHA-256)") == ranking.inputs_digest
    assert value("allowed processing regions") == "EU, EEA"
    assert value("trusted jurisdictions") == "EU, EEA, GB, CH"
    assert value("wanted certifications") == "iso27001, soc2_type2, iso42001, c5"
    assert value("input tokens per month") == 300_000_000

    req_head = find_row(ws, "id")
    assert [c.value for c in ws[req_head]][:7] == [
        "id",
        "field",
        "op",
        "value",
        "min evidence",
        "unknown allowed",
        "message",
    ]
    reqs = [[c.value for c in ws[req_head + 1 + k]][:4] for k in range(len(pr.requirements))]
    assert reqs == [
        ["eu-processing", "processing_regions", "within", "EU, EEA"],
        ["iso27001", "certifications", "includes_all", "iso27001"],
    ]
    notes = [ws.cell(r, 1).value for r in range(find_row(ws, "Notes") + 1, ws.max_row + 1)]
    assert notes[0] == "monthly_cost_value is in EUR per month, at the list prices in force on 2026-11-29."
    assert all(n in notes for n in ranking.notes)


# --------------------------------------------------------------------------- Sources


@pytest.fixture
def provenance(write_vendors, criteria):
    cap = "    capability: {metric: Artificial Analysis Intelligence Index v4.3, value: 40.0}"
    cap_sourced = (
        "    capability: {metric: Artificial Analysis Intelligence Index v4.3, value: 40.0,"
        " as_of: 2026-10-15, sources: [https://artificialanalysis.ai/x, 'leaderboard, read 2026-10-15']}"
    )
    off = offering_yaml("acme-api", ttft=0.5).replace(
        "sources: [https://example.org/src]",
        "sources: [https://example.org/src, 'pypi:prices==1.0 data.py', 'ftp://example.org/f',"
        " 'https://example.org/page (read 2026-11-01)']",
    )
    off = off.replace(cap, cap_sourced)
    old = offering_yaml("acme-old", as_of="2025-01-01")
    fmti = (
        "fmti: {score: 50, edition: '2025', as_of: 2026-10-01, sources: [https://crfm.stanford.edu/fmti]}\n"
    )
    cat = engine.load_catalog([write_vendors({"acme.yaml": vendor_yaml(offerings=off + old, extra=fmti)})])
    return engine.rank(cat, criteria, priorities(stale_after_days=100)), priorities(stale_after_days=100), cat


def test_sources_sheet_links_ages_and_stale_flags(tmp_path, provenance):
    ranking, pr, cat = provenance
    ws = save(tmp_path, engine.to_xlsx(ranking, pr, cat))["Sources"]
    head = [c.value for c in ws[1]]
    assert head[:7] == ["offering_id", "vendor", "status", "vendor_file", "as_of", "age_days", "stale"]
    for col in ("source_1", "source_4", "capability_as_of", "capability_source_2", "latency_as_of"):
        assert col in head
    assert "fmti_as_of" in head and "fmti_source_1" in head
    assert ws.freeze_panes == "B2" and ws.auto_filter.ref
    assert all(c.font.b for c in ws[1])
    rows = {r[0].value: {h: c for h, c in zip(head, r, strict=True)} for r in ws.iter_rows(min_row=2)}
    assert set(rows) == {"acme-api", "acme-old"}
    api, old = rows["acme-api"], rows["acme-old"]
    assert api["vendor_file"].value == cat.get("acme-api").file
    assert api["as_of"].value == dt.datetime(2026, 11, 1)
    assert api["age_days"].value == 28 and api["stale"].value == "no"
    assert old["age_days"].value == (DAY - dt.date(2025, 1, 1)).days and old["stale"].value == "yes"

    link = api["source_1"]
    assert link.value == "https://example.org/src"
    assert link.hyperlink is not None and link.hyperlink.target == "https://example.org/src"
    assert link.style == "Hyperlink"
    for plain in ("source_2", "source_3", "capability_source_2"):  # not http(s): text only
        assert api[plain].hyperlink is None and api[plain].value
    assert api["source_3"].value == "ftp://example.org/f"
    remark = api["source_4"]  # an address followed by a remark: the address is linked
    assert remark.value == "https://example.org/page (read 2026-11-01)"
    assert remark.hyperlink.target == "https://example.org/page"
    assert api["capability_as_of"].value == dt.datetime(2026, 10, 15)
    assert api["capability_source_1"].hyperlink.target == "https://artificialanalysis.ai/x"
    assert api["latency_as_of"].value is None and api["latency_source_1"].value is None
    assert old["capability_as_of"].value is None  # its capability has no date of its own
    for row in (api, old):  # vendor-level FMTI figure
        assert row["fmti_as_of"].value == dt.datetime(2026, 10, 1)
        assert row["fmti_source_1"].hyperlink.target == "https://crfm.stanford.edu/fmti"
    # the links are real relationships in the file
    raw = zipfile.ZipFile(tmp_path / "shortlist.xlsx").read("xl/worksheets/_rels/sheet3.xml.rels").decode()
    assert 'Target="https://example.org/src"' in raw and 'TargetMode="External"' in raw


def test_sources_follow_top(tmp_path, bank):
    ranking = bank[0]
    wb = save(tmp_path, engine.to_xlsx(*bank, top=2))
    listed = [r[1].value for r in wb["Shortlist"].iter_rows(min_row=2)]
    assert [r[0].value for r in wb["Sources"].iter_rows(min_row=2)] == listed
    assert len(listed) == 2 + len(ranking.excluded)  # no tie at rank 2 in the bundled data


def test_offering_missing_from_the_catalog_is_a_key_error(bank, write_vendors):
    ranking, pr, _ = bank
    other = engine.load_catalog([write_vendors({"acme.yaml": vendor_yaml()})])
    with pytest.raises(KeyError):
        engine.to_xlsx(ranking, pr, other)


# --------------------------------------------------------------------------- safety


@pytest.fixture
def nasty(write_vendors, criteria):
    off = (
        offering_yaml("acme-api")
        .replace("model: Model acme-api", 'model: "=HYPERLINK(\\"http://evil.example\\",\\"click\\")"')
        .replace("channel: Test API", 'channel: "@SUM(A1)"')
        .replace("sources: [https://example.org/src]", "sources: ['=cmd|'' /C calc''!A0', '+1', '#N/A']")
    )
    off2 = offering_yaml("acme-two").replace("model: Model acme-two", 'model: "-2+3"')
    text = vendor_yaml(offerings=off + off2).replace("name: Acme AI", 'name: "=1+1"')
    cat = engine.load_catalog([write_vendors({"acme.yaml": text})])
    pr = priorities(name="=evil()", description="#N/A")
    return engine.rank(cat, criteria, pr), pr, cat


def test_formula_injection_is_neutralised(tmp_path, nasty):
    ranking, pr, cat = nasty
    wb = save(tmp_path, engine.to_xlsx(ranking, pr, cat))
    for ws in wb:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type in ("s", "n", "d"), (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(("=", "+", "-", "@", "\t", "\r")), cell.value
    with zipfile.ZipFile(tmp_path / "shortlist.xlsx") as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/sheet"):
                xml = z.read(name).decode()
                assert "<f>" not in xml and "<f " not in xml and 't="e"' not in xml, name
    short = wb["Shortlist"]
    by_id = {r[1].value: r for r in short.iter_rows(min_row=2)}
    assert by_id["acme-api"][2].value == "'=1+1"
    assert by_id["acme-api"][3].value == '\'=HYPERLINK("http://evil.example","click") — @SUM(A1)'
    assert by_id["acme-two"][3].value == "'-2+3 — Test API"
    # as in the CSV, cell for cell
    assert_sheet_equals_csv(short, csv_rows(engine.to_csv(ranking)), numeric_columns(ranking))
    inputs = wb["Inputs"]
    assert inputs.cell(find_row(inputs, "priorities"), 2).value == "'=evil()"
    assert inputs.cell(find_row(inputs, "description"), 2).value == "#N/A"  # text, not an error value
    src = {r[0].value: r for r in wb["Sources"].iter_rows(min_row=2)}["acme-api"]
    assert [c.value for c in src[8:11]] == ["'=cmd|' /C calc'!A0", "'+1", "#N/A"]
    assert all(c.hyperlink is None for c in src)


def test_control_characters_do_not_break_the_workbook(tmp_path, write_vendors, criteria):
    # the loader refuses such a name now (tests/test_invisible.py); the workbook stays safe
    # for a catalog built in code all the same
    text = vendor_yaml().replace("name: Acme AI", 'name: "Bell\\aCo\\x00"')
    refused = engine.load_catalog([write_vendors({"acme.yaml": text})])
    assert not refused.offerings and refused.issues[0].code == "text.invalid_character"
    cat = engine.load_catalog([write_vendors({"acme.yaml": vendor_yaml()})])
    vendor = cat.vendors[0].model_copy(update={"name": "Bell\aCo\x00"})  # not validated
    offerings = tuple(dataclasses.replace(ro, vendor=vendor) for ro in cat.offerings)
    cat = dataclasses.replace(cat, offerings=offerings, vendors=(vendor,))
    pr = priorities()
    wb = save(tmp_path, engine.to_xlsx(engine.rank(cat, criteria, pr), pr, cat))
    assert wb["Shortlist"]["C2"].value == "Bell\ufffdCo\ufffd"


# --------------------------------------------------------------------------- determinism


def test_same_inputs_give_byte_identical_workbooks(bank):
    first = engine.to_xlsx(*bank)
    assert engine.to_xlsx(*bank) == first
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        infos = z.infolist()
        assert {i.date_time for i in infos} == {(2026, 11, 29, 0, 0, 0)}  # the price date, not now
        assert {i.compress_type for i in infos} == {zipfile.ZIP_DEFLATED}
        assert {(i.create_system, i.external_attr) for i in infos} == {(0, 0o600 << 16)}  # same on every OS
        core = z.read("docProps/core.xml").decode()
    stamps = re.findall(r"<dcterms:(created|modified)[^>]*>([^<]+)<", core)
    assert sorted(stamps) == [("created", "2026-11-29T00:00:00Z"), ("modified", "2026-11-29T00:00:00Z")]
    assert "<dc:creator>Shortlist " in core


def test_price_date_before_1980_still_writes(write_vendors, criteria):
    cat = engine.load_catalog([write_vendors({"acme.yaml": vendor_yaml()})])
    pr = priorities()
    data = engine.to_xlsx(engine.rank(cat, criteria, pr, on_date=dt.date(1979, 6, 1)), pr, cat)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_import_engine_does_not_import_openpyxl():
    code = "import sys, engine; assert 'openpyxl' not in sys.modules, 'openpyxl imported eagerly'"
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr


# --------------------------------------------------------------------------- CLI


def test_cli_writes_a_workbook_equal_to_the_csv(tmp_path):
    out_file = tmp_path / "shortlist.xlsx"
    code, out, err = run_cli(
        "rank", "--format", "xlsx", "--output", str(out_file), "--on", "2026-11-29", *DIRS
    )
    assert code == 0, err
    assert out == "" and err == ""
    assert zipfile.is_zipfile(out_file)
    wb = openpyxl.load_workbook(out_file)
    assert wb.sheetnames == list(SHEETS)
    code, text, _ = run_cli("rank", "--format", "csv", "--on", "2026-11-29", *DIRS)
    assert code == 0
    criteria = engine.load_criteria(CRITERIA)
    numeric = {"rank", "score"} | {
        f"{c.id}_{k}"
        for c in criteria.criteria
        for k in ("value", "contribution")
        if k == "contribution" or c.value_function.type != "levels"
    }
    assert_sheet_equals_csv(wb["Shortlist"], csv_rows(text.encode()), numeric)
    inputs = wb["Inputs"]
    assert inputs.cell(find_row(inputs, "tool version"), 2).value == f"Shortlist {engine.__version__}"
    # the same command again: the same bytes
    again = tmp_path / "again.xlsx"
    assert run_cli("rank", "--format", "xlsx", "--output", str(again), "--on", "2026-11-29", *DIRS)[0] == 0
    assert again.read_bytes() == out_file.read_bytes()


def test_cli_top_is_respected(tmp_path):
    out_file = tmp_path / "top.xlsx"
    args = ("--on", "2026-11-29", "--top", "3", *DIRS)
    code, _, err = run_cli("rank", "--format", "xlsx", "--output", str(out_file), *args)
    assert code == 0, err
    _, text, _ = run_cli("rank", "--format", "csv", *args)
    table = csv_rows(text.encode())
    ws = openpyxl.load_workbook(out_file)["Shortlist"]
    assert [[c.value for c in r][:2] for r in ws.iter_rows(min_row=2)] == [
        [int(r[0]) if r[0] else None, r[1]] for r in table[1:]
    ]
    statuses = [r[5].value for r in ws.iter_rows(min_row=2)]
    assert statuses.count("ranked") == 3 and statuses.count("excluded") > 0


def test_cli_xlsx_without_output_is_a_usage_error(tmp_path):
    code, out, err = run_cli("rank", "--format", "xlsx", *DIRS)
    assert code == 2
    assert out == ""
    assert err.splitlines() == [
        "usage.invalid: --format xlsx writes a binary workbook, not text: give --output FILE.xlsx"
    ]


def test_cli_excel_flag_stays_csv_only(tmp_path):
    code, _, err = run_cli("rank", "--format", "xlsx", "--excel", "--output", str(tmp_path / "x.xlsx"))
    assert code == 2 and "--excel applies to --format csv only" in err
    assert not (tmp_path / "x.xlsx").exists()


def test_cli_help_mentions_xlsx(capsys):
    code, _, _ = run_cli("rank", "--help")
    assert code == 0
    shown = " ".join(capsys.readouterr().out.split())
    assert (
        "{table,csv,json,xlsx}" in shown
        and "Excel workbook" in shown
        and "required with --format xlsx" in shown
    )

"""``shortlist validate``: coverage, evidence mix and staleness per field, and the
sources no reader can open (issue 13).

The vendor profiles are invented test data (Acme AI, Beta AI); their dates and grades
are chosen to fall on each side of the limits, not taken from any vendor.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from engine.catalog.coverage import OPENABLE, catalog_report
from engine.catalog.evidence import max_ages
from engine.catalog.loading import load_catalog
from tests.conftest import CRITERIA, offering_yaml, run_cli, vendor_yaml

ACME = vendor_yaml(
    "acme",
    offering_yaml("acme-api").replace(
        "    prices: {input_per_mtok: 1.0, output_per_mtok: 2.0, currency: USD}",
        "    prices: {input_per_mtok: 1.0, output_per_mtok: 2.0, currency: USD, evidence: aggregator, "
        "as_of: 2026-01-01, sources: ['pypi:genai-prices==0.0.40']}\n"
        "    zero_data_retention: {status: none_found, as_of: 2026-11-01, evidence: primary, "
        "sources: ['https://example.org/terms']}",
    )
    + offering_yaml("acme-mini", inp=None, out=None, capability=None)
    + offering_yaml("acme-next").replace(
        "    capability: {metric: Artificial Analysis Intelligence Index v4.3, value: 40.0}",
        "    capability: {metric: Artificial Analysis Intelligence Index v4.3, value: 40.0, "
        "as_of: 2027-03-01, evidence: independent, sources: ['GitHub code index file id 123']}",
    ),
    extra=(
        "certifications:\n  as_of: 2026-10-01\n  evidence: primary\n  sources: [https://example.org/trust]\n"
        "  items:\n    iso27001: {status: certified}\n    soc2_type2: {status: none_found}\n"
        "gpai_code_of_practice: {status: signatory, as_of: 2026-08-01, evidence: secondary, "
        "sources: ['ftp://example.org/list', 'javascript:alert(1)', 'DOI:10.1000/182', 'HTTPS://OK.EXAMPLE/list']}\n"
    ),
)


@pytest.fixture
def catalog_dir(tmp_path: Path) -> Path:
    (tmp_path / "vendors").mkdir()
    (tmp_path / "vendors" / "acme.yaml").write_text(ACME, encoding="utf-8")
    shutil.copytree(CRITERIA, tmp_path / "criteria", ignore=shutil.ignore_patterns("presets", "policies"))
    return tmp_path


def _rows(out: str) -> dict[str, list[str]]:
    table = out.split("Coverage, evidence and age")[1].split("Maximum ages")[0].splitlines()[2:]
    return {line.split()[0]: line.split()[1:] for line in table if line}


def test_validate_prints_coverage_grades_and_staleness(catalog_dir: Path):
    code, out, err = run_cli(
        "validate",
        "--vendors",
        str(catalog_dir / "vendors"),
        "--criteria",
        str(catalog_dir / "criteria"),
        "--today",
        "2026-12-01",
    )
    assert code == 0, err
    assert out.startswith("OK: 1 vendor file(s) with 3 offering(s)")  # the OK line stays first
    head = out.split("Coverage, evidence and age")[1].splitlines()[1].split()
    assert head[:4] == ["field", "known", "none", "found"]
    rows = _rows(out)
    # known, none found, unknown, primary, independent, vendor-declared, secondary, aggregator, ungraded, stale, future
    assert rows["prices"] == ["2", "0", "1", "0", "0", "0", "0", "1", "1", "1", "0"]  # 2026-01-01 > 90 days
    assert rows["zero_data_retention"][:3] == ["0", "1", "2"]  # looked up, none found
    assert rows["certifications.iso27001"][:4] == ["3", "0", "0", "3"]  # a vendor fact, once per offering
    assert rows["certifications.soc2_type2"][:3] == ["0", "3", "0"]
    assert rows["certifications.c5"][:3] == ["0", "0", "3"]
    assert rows["capability"] == ["2", "0", "1", "0", "1", "0", "0", "0", "1", "0", "1"]  # dated 2027: future
    assert rows["gpai_code_of_practice"][6] == "3"  # secondary, three offerings rest on it
    assert "Maximum ages (days): profile 365, prices 90" in out


def test_validate_warns_of_unopenable_sources_and_still_passes(catalog_dir: Path):
    code, out, err = run_cli(
        "validate",
        "--vendors",
        str(catalog_dir / "vendors"),
        "--criteria",
        str(catalog_dir / "criteria"),
        "--today",
        "2026-12-01",
    )
    assert code == 0 and err == ""
    assert "Warning: 3 source(s) cannot be opened" in out
    warned = out.split("cannot be opened")[1].split("Stale or future-dated facts")[0].splitlines()[1:]
    said = " ".join(warned)
    assert "'GitHub code index file id 123'" in said and "offerings[acme-next].capability" in said
    assert "'ftp://example.org/list'" in said and "'javascript:alert(1)'" in said
    assert "DOI:10.1000/182" not in said and "OK.EXAMPLE" not in said  # openable in any case
    assert "pypi:genai-prices" not in said
    assert len(warned) == 3  # a vendor fact cited by every offering is listed once
    assert all(x.startswith("  vendors/acme.yaml: ") for x in warned)


def test_a_control_character_in_a_source_is_shown_escaped(catalog_dir: Path):
    text = ACME.replace("'GitHub code index file id 123'", '"id \\u001b[31mred"')
    (catalog_dir / "vendors" / "acme.yaml").write_text(text, encoding="utf-8")
    code, out, err = run_cli(
        "validate",
        "--vendors",
        str(catalog_dir / "vendors"),
        "--criteria",
        str(catalog_dir / "criteria"),
    )
    assert "\x1b" not in err and "\x1b" not in out
    if code == 0:  # the schema may refuse the control character outright: either way, no raw escape
        assert "cannot be opened" in out


def test_report_function_on_its_own(catalog_dir: Path):
    cat = load_catalog([catalog_dir / "vendors"])
    rep = catalog_report(cat, dt.date(2030, 1, 1), max_ages())
    rows = {f.field: f for f in rep.fields}
    assert rep.offerings == 3
    assert rows["prices"].stale == 2  # every dated block is old by 2030
    assert rows["capability"].future == 0
    assert all(
        f.known + f.none_found + f.unknown == 3 for f in rep.fields if not f.field.startswith("profile")
    )
    assert OPENABLE == ("http://", "https://", "pypi:", "github:", "doi:")


def test_validate_without_vendors_prints_no_report(tmp_path: Path):
    pr = tmp_path / "p.yaml"
    pr.write_text(
        "schema_version: 1\nname: p\nweights: {monthly_cost: 1}\n"
        "workload: {input_tokens_per_month: 1000, output_tokens_per_month: 100, currency: USD}\n",
        encoding="utf-8",
    )
    code, out, _ = run_cli("validate", str(pr))
    assert code == 0 and "Coverage" not in out


@pytest.mark.parametrize("bad", ["2026-13-01", "tomorrow", "2026-1-1", ""])
def test_validate_today_must_be_a_date(bad: str):
    code, _, err = run_cli("validate", "--today", bad)
    assert code == 2 and "--today" in err and "Traceback" not in err


def test_bundled_catalog_report_is_consistent():
    """Properties only: the bundled data is being rewritten."""
    code, out, _ = run_cli("validate", "--today", "2026-12-01")
    assert code == 0
    rows = _rows(out)
    found = re.search(r"\((\d+) offerings;", out)
    assert found is not None
    n = int(found.group(1))
    for field, cells in rows.items():
        if field == "profile":
            continue
        known, none_found, unknown = (int(x) for x in cells[:3])
        assert known + none_found + unknown == n, field


def test_validate_names_each_stale_fact_oldest_first(tmp_path):
    """Invented fixture: one offering with a price block older than the 90-day limit and a
    vendor-level GPAI status older than 180 days; validate names both, by age."""
    from tests.conftest import CRITERIA, run_cli

    d = tmp_path / "vendors"
    d.mkdir()
    (d / "acme.yaml").write_text(
        """\
schema_version: 1
id: acme
name: Acme (invented test vendor)
as_of: 2026-11-01
sources: [https://example.org/acme]
gpai_code_of_practice: {status: signatory, as_of: 2025-01-01, evidence: primary, sources: [https://example.org/gpai]}
offerings:
  - id: acme-api
    model: X
    channel: Acme API
    operator: {name: Acme, headquarters: FR}
    deployment: api
    prices: {input_per_mtok: 1, output_per_mtok: 2, currency: EUR, as_of: 2026-06-01, evidence: primary, sources: [https://example.org/p]}
    as_of: 2026-11-01
    sources: [https://example.org/acme]
""",
        encoding="utf-8",
    )
    code, out, _ = run_cli(
        "validate", "--vendors", str(d), "--criteria", str(CRITERIA), "--today", "2026-12-04"
    )
    assert code == 0
    block = out.split("Stale or future-dated facts (2, oldest first):\n", 1)[1].splitlines()
    assert block[0] == (
        "  vendor acme: stale data: vendor.gpai_code_of_practice 2025-01-01 is 702 days old (limit 180 days for gpai)"
    )
    assert block[1].startswith(
        "  acme-api: stale data: prices 2026-06-01 is 186 days old (limit 90 days for prices)"
    )

"""``shortlist rfi`` on the frozen catalog: each format, the output directory, exit codes."""

from __future__ import annotations

import subprocess
import sys

import openpyxl
import pytest

from engine.catalog.yamlio import load_yaml_bytes, load_yaml_file
from engine.reports.escape import CONTROLS
from engine.reports.rfi_output import TEMPLATE_KIND
from tests.conftest import CRITERIA, ROOT, VENDORS, run_cli

BASE = (
    "rfi",
    "--vendors",
    str(VENDORS),
    "--criteria",
    str(CRITERIA),
    "--priorities",
    "regulated-eu-bank",
    "--on",
    "2026-12-04",
)
VENDOR_IDS = sorted(p.stem for p in VENDORS.glob("*.yaml"))
OPERATOR_IDS = [  # the frozen catalog's channels run by another company than the model maker
    "operator-aws",
    "operator-google-cloud",
    "operator-microsoft",
    "operator-ovhcloud",
    "operator-scaleway",
    "operator-stackit",
]
RECIPIENTS = sorted(VENDOR_IDS + OPERATOR_IDS)


def test_markdown_one_vendor_on_stdout():
    code, out, err = run_cli(*BASE, "--vendor", "mistral-ai")
    assert code == 0, err
    assert out.startswith("# Request for information: Mistral AI (`mistral-ai`)")
    assert "## Questions that can change the shortlist or a must-have" in out
    # the Scaleway channel's own certifications are Scaleway's to answer (operator-scaleway)
    assert "scaleway-genapi-mistral-medium-3.5:certifications." not in out


def test_operator_questionnaire_on_stdout():
    code, out, err = run_cli(*BASE, "--vendor", "operator-scaleway")
    assert code == 0, err
    assert out.startswith("# Request for information: Scaleway (`operator-scaleway`)")
    assert "operator of the channels below" in out
    # the EU-operated channel excluded on an unknown ISO 27001 is asked first, of its operator
    first = out.split("### Q1.")[1].split("### Q2.")[0]
    assert "ISO/IEC 27001" in first and "scaleway-genapi-mistral-medium-3.5" in first
    assert "certificate number" in first and "must-have iso27001" in first
    # model facts stay with the maker
    assert "`capability`" not in out and "`openness`" not in out and "vendor." not in out


def test_model_maker_is_not_asked_about_channels_other_companies_operate():
    code, out, err = run_cli(*BASE, "--vendor", "mistral-ai", "--format", "yaml")
    assert code == 0, err
    doc = load_yaml_bytes(out.encode(), "t").data
    for q in doc["questions"]:
        assert "scaleway" not in " ".join(q["offerings"]) or q["field"] in {"capability", "openness"}, q
    for name in ("OVHcloud", "SAP", "T-Systems", "Scaleway", "STACKIT"):
        assert name not in out
    # every channel another company operates has its operator's questionnaire
    code, _, err = run_cli(*BASE, "--vendor", "operator-ovhcloud")
    assert code == 0, err


def test_markdown_every_vendor_needs_output_dir():
    code, out, err = run_cli(*BASE)
    assert code == 2 and out == ""
    assert "give --output DIR" in err


def test_markdown_files_per_vendor(tmp_path):
    d = tmp_path / "new" / "rfi"  # created with its parents
    code, _, err = run_cli(*BASE, "--output", str(d))
    assert code == 0, err
    assert sorted(p.name for p in d.iterdir()) == [f"{v}.md" for v in RECIPIENTS]
    assert "wrote 15 questionnaire(s)" in err


def test_yaml_templates_load_with_the_strict_loader(tmp_path):
    code, _, err = run_cli(*BASE, "--format", "yaml", "--output", str(tmp_path))
    assert code == 0, err
    files = sorted(tmp_path.glob("*.rfi.yaml"))
    assert [p.name.removesuffix(".rfi.yaml") for p in files] == RECIPIENTS
    asked = 0
    for p in files:
        text = p.read_text(encoding="utf-8")
        assert "ANSWER TEMPLATE" in text.splitlines()[0] and "not vendor data" in text
        doc = load_yaml_file(p).data
        assert doc["kind"] == TEMPLATE_KIND and doc["template"] is True
        for q in doc["questions"]:
            assert {"answer", "evidence", "as_of"} <= set(q) and q["answer"] is None
            asked += 1
    assert asked > 20


def test_yaml_one_vendor_on_stdout_is_the_template():
    code, out, err = run_cli(*BASE, "--vendor", "openai", "--format", "yaml")
    assert code == 0, err
    assert out.startswith("# Shortlist request for information: ANSWER TEMPLATE for vendor openai.")


def test_xlsx_one_sheet_per_vendor_with_validations(tmp_path):
    code, _, err = run_cli(*BASE, "--format", "xlsx", "--output", str(tmp_path))
    assert code == 0, err
    wb = openpyxl.load_workbook(tmp_path / "rfi.xlsx")
    assert wb.sheetnames == RECIPIENTS
    ws = wb["mistral-ai"]
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert lists and any(dv.formula1 == '"certified,claimed,none"' for dv in lists)
    again = tmp_path / "again"
    assert run_cli(*BASE, "--format", "xlsx", "--output", str(again))[0] == 0
    assert (again / "rfi.xlsx").read_bytes() == (tmp_path / "rfi.xlsx").read_bytes()


def test_xlsx_needs_output():
    code, out, err = run_cli(*BASE, "--format", "xlsx")
    assert code == 2 and out == "" and "give --output DIR" in err


def test_top_sets_the_cut():
    code, out, _ = run_cli(*BASE, "--vendor", "openai", "--top", "1")
    assert code == 0 and "the first 1 ranked offerings" in out
    code, _, err = run_cli(*BASE, "--vendor", "openai", "--top", "0")
    assert code == 2 and "--top" in err


def test_stale_facts_are_asked_on_a_later_date():
    args = [a if a != "2026-12-04" else "2027-12-01" for a in BASE]
    code, out, err = run_cli(*args, "--vendor", "openai")
    assert code == 0, err
    assert "stale data:" in out and "limit 90 days for prices" in out


@pytest.mark.parametrize(
    "vendor",
    [
        "nobody",
        "Mistral-AI",
        "mistral-ai\n",
        "mistral\u200b-ai",
        "../etc",
        "mistral-ai/../x",
        "",
        "operator-Scaleway",
        "operator-nobody",
        "operator-",
        "Scaleway",
        "operator-scaleway\u202e",
    ],
)
def test_bad_vendor_id_exit_2_without_traceback(vendor, tmp_path):
    code, out, err = run_cli(*BASE, "--vendor", vendor, "--output", str(tmp_path))
    assert code == 2 and out == ""
    assert "--vendor" in err
    assert not CONTROLS.search(err.replace("\n", ""))
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("bad", ["a\x00b", "/proc/no/such/dir"])
def test_output_directory_that_cannot_be_made_exit_2(bad):
    code, out, err = run_cli(*BASE, "--output", bad)
    assert code == 2 and out == "" and "io.write_error" in err


def test_output_that_is_a_file_exit_2(tmp_path):
    f = tmp_path / "file"
    f.write_text("x")
    code, _, err = run_cli(*BASE, "--output", str(f))
    assert code == 2 and "io.write_error" in err and "output directory" in err


def test_invalid_vendor_file_still_writes_the_valid_ones_and_exits_2(vendors_copy, tmp_path):
    (vendors_copy / "broken.yaml").write_text("schema_version: 1\nid: [\n", encoding="utf-8")
    args = [a if a != str(VENDORS) else str(vendors_copy) for a in BASE]
    out_dir = tmp_path / "out"
    code, _, err = run_cli(*args, "--output", str(out_dir))
    assert code == 2 and "broken.yaml" in err
    assert len(list(out_dir.glob("*.md"))) == len(RECIPIENTS)


def test_hostile_vendor_name_in_every_format(vendors_copy, tmp_path):
    name = '=HYPERLINK("http://e","x") [x](http://e) <img src=x> **b** | c |'
    f = vendors_copy / "openai.yaml"
    f.write_text(
        f.read_text(encoding="utf-8").replace("name: OpenAI", f"name: '{name}'", 1), encoding="utf-8"
    )
    args = [a if a != str(VENDORS) else str(vendors_copy) for a in BASE]
    code, md, err = run_cli(*args, "--vendor", "openai")
    assert code == 0, err
    assert "[x](http" not in md and "<img" not in md and "**b**" not in md
    code, y, _ = run_cli(*args, "--vendor", "openai", "--format", "yaml")
    assert code == 0
    p = tmp_path / "t.yaml"
    p.write_text(y, encoding="utf-8")
    assert load_yaml_file(p).data["vendor_name"] == name
    code, _, _ = run_cli(*args, "--vendor", "openai", "--format", "xlsx", "--output", str(tmp_path))
    ws = openpyxl.load_workbook(tmp_path / "rfi.xlsx")["openai"]
    assert ws["A1"].data_type == "s" and not str(ws["A1"].value).startswith("=")


def test_subprocess_help_and_run(tmp_path):
    r = subprocess.run(
        [sys.executable, "-m", "engine", *BASE, "--vendor", "google"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert r.returncode == 0 and r.stdout.startswith("# Request for information: Google")


def test_the_cli_orders_questions_by_rank_ranges(tmp_path):
    """The command wires the rank ranges over the unknowns (engine.mcda.unknowns) into the
    questionnaire: the workbook's header says so, never the heuristic."""
    import openpyxl

    from tests.conftest import VENDORS, run_cli

    code, _, _ = run_cli(
        "rfi",
        "--vendors",
        str(VENDORS),
        "--priorities",
        "regulated-eu-bank",
        "--vendor",
        "mistral-ai",
        "--on",
        "2026-12-04",
        "--format",
        "xlsx",
        "--output",
        str(tmp_path),
    )
    assert code == 0
    ws = openpyxl.load_workbook(tmp_path / "rfi.xlsx").worksheets[0]
    assert "ordered by rank ranges" in str(ws.cell(2, 1).value)

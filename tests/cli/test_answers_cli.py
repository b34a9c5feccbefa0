"""``--answers`` and ``--prefer-answers`` end to end on the frozen catalog and the bank preset
(issue 14, "Done when"): the questionnaire names the questions that decide the EU-operated
channels, the filled-in templates (invented test data, tests/fixtures/answers) move them as
they say, and every output says which answers it used."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from engine.catalog.yamlio import load_yaml_bytes
from tests.conftest import CRITERIA, ROOT, VENDORS, run_cli

FIX = ROOT / "tests" / "fixtures" / "answers"
SCALEWAY = FIX / "operator-scaleway.rfi.yaml"
MISTRAL = FIX / "mistral-ai.rfi.yaml"
OVH = FIX / "operator-ovhcloud.rfi.yaml"
SCW = "scaleway-genapi-mistral-medium-3.5"
OVHO = "ovhcloud-ai-endpoints-qwen3.5-397b"
STACKIT = "stackit-model-serving-llama-3.3-70b"
ON = ("--on", "2026-12-04")


def cli(cmd: str, *args: str, vendors: Path | str = VENDORS) -> tuple[int, str, str]:
    return run_cli(
        cmd,
        "--vendors",
        str(vendors),
        "--criteria",
        str(CRITERIA),
        "--priorities",
        "regulated-eu-bank",
        *ON,
        *args,
    )


def rank_json(*args: str, vendors: Path | str = VENDORS) -> dict:
    code, out, err = cli("rank", "--format", "json", *args, vendors=vendors)
    assert code == 0, err
    return json.loads(out)


def row(doc: dict, oid: str) -> dict:
    return next(r for r in doc["offerings"] if r["offering_id"] == oid)


@pytest.mark.parametrize(
    ("vendor", "oid", "deciding"),
    [
        ("operator-scaleway", SCW, "certifications.iso27001"),
        ("operator-ovhcloud", OVHO, "certifications.iso27001"),
        ("operator-stackit", STACKIT, "certifications.iso27001"),
    ],
)
def test_rfi_asks_the_eu_operated_channels_the_questions_that_decide_them(vendor, oid, deciding):
    code, out, err = cli("rfi", "--format", "yaml", "--vendor", vendor)
    assert code == 0, err
    qs = load_yaml_bytes(out.encode(), "t").data["questions"]
    deciding_ids = [x["id"] for x in qs if x["decides"]]
    assert f"{oid}:{deciding}" in deciding_ids
    assert qs[0]["decides"]  # ordered by impact: the deciding ones first
    assert all(x["answer"] is None for x in qs)


def test_answers_move_the_ranking_as_they_say():
    before = rank_json()
    assert row(before, SCW)["status"] == "excluded" and row(before, SCW)["exclusion"] == "evidence gap"
    after = rank_json("--answers", str(SCALEWAY), "--answers", str(MISTRAL))
    r = row(after, SCW)
    assert r["status"] == "ranked"  # excluded on an evidence gap, ranked once the operator answers
    # the maker's capability answers move its offerings up
    assert row(after, "mistral-small-4-api")["rank"] < row(before, "mistral-small-4-api")["rank"]
    assert row(after, "mistral-small-4-api")["values"]["capability"]["value"] == 35
    # the JSON cell names the answers it rests on; a cell without one has no "answers" key
    cell = r["values"]["response_time"]
    assert cell["answers"] == [f"{SCALEWAY.as_posix()} ({SCW}:latency)"] or cell["answers"][0].endswith(
        f"operator-scaleway.rfi.yaml ({SCW}:latency)"
    )
    assert cell["evidence"] == "vendor-declared"
    assert "answers" not in r["values"]["capability"]
    assert not any("answers" in c for x in before["offerings"] for c in x["values"].values())
    assert any("from the vendor's answer" in f for f in r["reasons"])
    assert after["inputs_digest"] != before["inputs_digest"]


def test_record_names_the_answer_file_and_each_value_used(tmp_path):
    record = tmp_path / "record.md"
    code, _, err = cli("rank", "--answers", str(SCALEWAY), "--record", str(record))
    assert code == 0, err
    text = record.read_text()
    section = text.split("## Vendors' answers")[1].split("\n## ")[0]
    assert "operator-scaleway.rfi.yaml" in section and "`operator-scaleway` | 4 | 1 |" in section
    for value in ("certified", "claimed", "ttft_s: 0.5, output_tokens_per_s: 120"):
        assert f"| {value} |" in section
    assert section.count("fills an unknown") == 4
    assert "INVENTED TEST DATA: certificate no. TEST-0001 (not a real certificate), 2026-11-30" in section
    # the answer file is an input, with its digest
    assert text.count("operator-scaleway.rfi.yaml") > section.count("operator-scaleway.rfi.yaml")


@pytest.fixture
def primary_ovh(tmp_path: Path) -> Path:
    """The frozen vendors with OVHcloud's certification block graded primary."""
    d = tmp_path / "vendors"
    shutil.copytree(VENDORS, d)
    p = d / "alibaba-qwen.yaml"
    old = "    certifications:\n      as_of: 2026-06-11\n"
    text = p.read_text()
    assert old in text
    p.write_text(text.replace(old, "    certifications:\n      evidence: primary\n      as_of: 2026-06-11\n"))
    return d


def test_prefer_answers_flips_a_conflict(primary_ovh, tmp_path):
    kept = rank_json("--answers", str(OVH), vendors=primary_ovh)
    r = row(kept, OVHO)
    assert r["status"] == "ranked"
    assert any(f.endswith("the stronger public fact is used: conflict") for f in r["reasons"])
    over = rank_json("--answers", str(OVH), "--prefer-answers", vendors=primary_ovh)
    r = row(over, OVHO)
    assert r["status"] == "excluded" and r["exclusion"] == "fails"
    assert any("as the buyer prefers answers: conflict" in f for f in r["reasons"])
    record = tmp_path / "r.md"
    code, _, err = cli("rank", "--answers", str(OVH), "--record", str(record), vendors=primary_ovh)
    assert code == 0, err
    assert "conflict: the stronger public fact is used" in record.read_text()


def test_bad_answer_file_exit_2_with_file_line_field_and_the_ranking_from_the_valid_inputs(tmp_path):
    bad = tmp_path / "bad.rfi.yaml"
    text = SCALEWAY.read_text().replace("answer: certified", "answer: yes please", 1)
    bad.write_text(text)
    line = next(i for i, ln in enumerate(text.splitlines(), 1) if "yes please" in ln)
    code, out, err = cli("rank", "--answers", str(bad), "--answers", str(MISTRAL))
    assert code == 2
    assert (
        f"bad.rfi.yaml:{line}: answers.invalid [questions[0].answer]: expected one of: certified, claimed, none"
        in err
    )
    assert "problem(s) in the vendor and answer files; ranked the valid offerings" in err
    assert "Traceback" not in err
    assert (
        "mistral-small-4-api" in out and "capability from the vendor's answer" in out
    )  # the valid file used
    assert f"{SCW} [evidence gap]" in out  # the bad file was not
    # a file that cannot be read at all, and a not-theirs answer
    missing = tmp_path / "missing.yaml"
    code, out, err = cli("rank", "--answers", str(missing), "--answers", str(MISTRAL))
    assert code == 2 and "missing.yaml" in err and "io." in err and "mistral-small-4-api" in out
    theirs = tmp_path / "theirs.yaml"
    theirs.write_text(MISTRAL.read_text().replace('vendor: "mistral-ai"', 'vendor: "operator-scaleway"'))
    code, out, err = cli("rank", "--answers", str(theirs))
    assert code == 2 and "answers.not_theirs" in err and "theirs.yaml:" in err


def test_csv_flags_column_carries_the_answer():
    code, out, err = cli("rank", "--format", "csv", "--answers", str(SCALEWAY))
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    r = next(x for x in rows if x["offering_id"] == SCW)
    assert "certifications.iso27001 from the vendor's answer" in r["reasons"]
    assert "(vendor-declared, 2026-11-30)" in r["reasons"]


def test_explain_compare_sensitivity_take_answers():
    code, out, err = cli("explain", SCW, "--answers", str(SCALEWAY))
    assert code == 0, err
    assert "from the vendor's answer" in out
    code, out, err = cli("compare", SCW, "mistral-medium-3.5-api", "--answers", str(SCALEWAY))
    assert code == 0, err
    code, out, err = cli("sensitivity", "--answers", str(SCALEWAY), "--samples", "200")
    assert code == 0, err


def test_rfi_with_answers_no_longer_asks_what_was_answered():
    code, out, err = cli(
        "rfi", "--format", "yaml", "--vendor", "operator-scaleway", "--answers", str(SCALEWAY)
    )
    assert code == 0, err
    ids = [x["id"] for x in load_yaml_bytes(out.encode(), "t").data["questions"]]
    assert f"{SCW}:certifications.iso27001" not in ids and f"{SCW}:latency" not in ids
    assert f"{SCW}:certifications.soc2_type2" in ids  # left unanswered: still asked


POLICY = """\
schema_version: 1
name: Invented test policy
approved:
  - scaleway-genapi-mistral-medium-3.5
rules:
  - id: iso27001
    severity: deny
    message: The processor holds or claims ISO 27001
    field: certifications
    op: includes_all
    value: [iso27001]
    min_evidence: claimed
"""


def test_check_with_answers_and_min_grade_primary(tmp_path):
    plain = tmp_path / "policy.yaml"
    plain.write_text(POLICY)
    strict = tmp_path / "strict.yaml"
    strict.write_text(POLICY + "    min_grade: primary\n")

    def check(policy: Path, *args: str) -> tuple[int, dict, str]:
        code, out, err = run_cli(
            "check", "--policy", str(policy), "--vendors", str(VENDORS), "--criteria", str(CRITERIA),
            "--today", "2026-12-04", "--format", "json", *args,
        )  # fmt: skip
        return code, json.loads(out), err

    code, doc, _ = check(plain)
    assert code == 1 and doc["findings"][0]["code"] == "rule.unknown"  # no evidence either way
    code, doc, err = check(plain, "--answers", str(SCALEWAY))
    assert code == 0 and doc["findings"] == [], err  # the operator's answer: certified
    assert {a["offering"] for a in doc["answers"]} == {SCW}
    assert any(
        a["flag"].startswith("certifications.iso27001 from the vendor's answer") for a in doc["answers"]
    )
    code, out, err = run_cli(
        "check", "--policy", str(plain), "--vendors", str(VENDORS), "--criteria", str(CRITERIA),
        "--today", "2026-12-04", "--answers", str(SCALEWAY),
    )  # fmt: skip
    assert code == 0 and "Vendors' answers used (4):" in out and "PASSED" in out
    code, doc, _ = check(plain)
    assert "answers" not in doc
    code, doc, _ = check(strict, "--answers", str(SCALEWAY))
    assert code == 1
    (f,) = doc["findings"]
    assert (
        f["code"] == "rule.unknown"
        and "rests on vendor-declared evidence; primary or stronger required" in f["message"]
    )
    code, doc, err = check(plain, "--answers", str(tmp_path / "nope.yaml"))
    assert code == 2


def test_a_schema_problem_of_an_answer_file_is_counted_as_one(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(SCALEWAY.read_text().replace('as_of: "2026-11-30"', "as_of: 2026-11-31", 1))
    code, out, err = cli("rank", "--answers", str(bad))
    assert code == 2 and "schema.invalid [questions[0].as_of]" in err
    assert "problem(s) in the vendor and answer files" in err
    assert "rank  score" in out  # ranked from the valid inputs


def test_answer_text_is_escaped_in_the_record(tmp_path):
    hostile = tmp_path / "h.yaml"
    hostile.write_text(
        SCALEWAY.read_text().replace(
            "INVENTED TEST DATA: certificate no. TEST-0001 (not a real certificate)",
            "INVENTED TEST DATA | <img src=x onerror=alert(1)> **bold** [link](javascript:x)",
        )
    )
    record = tmp_path / "r.md"
    code, _, err = cli("rank", "--answers", str(hostile), "--record", str(record))
    assert code == 0, err
    section = record.read_text().split("## Vendors' answers")[1].split("\n## ")[0]
    line = next(x for x in section.splitlines() if "certifications.iso27001" in x and "INVENTED" in x)
    assert line.count(" | ") == 6  # the pipe in the evidence does not add a column
    assert "<img" not in line and "&lt;img" in line
    assert "\\*\\*bold\\*\\*" in line and "\\[link\\](javascript:x)" in line  # no emphasis, no link


def test_compare_json_cell_names_its_answers():
    code, out, err = cli(
        "compare", SCW, "mistral-medium-3.5-api", "--format", "json", "--answers", str(SCALEWAY)
    )
    assert code == 0, err
    doc = json.loads(out)
    rt = next(c for c in doc["criteria"] if c["id"] == "response_time")
    assert rt["values"][SCW]["answers"][0].endswith(f"operator-scaleway.rfi.yaml ({SCW}:latency)")
    assert "answers" not in rt["values"]["mistral-medium-3.5-api"]


def test_inputs_digest_does_not_depend_on_how_the_answer_file_is_named(tmp_path, monkeypatch):
    copy = tmp_path / "answers.yaml"
    copy.write_bytes(SCALEWAY.read_bytes())
    monkeypatch.chdir(tmp_path)
    a = rank_json("--answers", "answers.yaml")["inputs_digest"]
    b = rank_json("--answers", "./answers.yaml")["inputs_digest"]
    c = rank_json("--answers", str(SCALEWAY))["inputs_digest"]
    assert a == b == c
    assert rank_json("--answers", str(SCALEWAY), "--prefer-answers")["inputs_digest"] == a  # no conflict here


def test_the_filled_in_workbook_moves_the_ranking_like_the_template(tmp_path):
    import datetime as dt

    import openpyxl

    code, _, err = cli("rfi", "--format", "xlsx", "--output", str(tmp_path))
    assert code == 0, err
    wb = openpyxl.load_workbook(tmp_path / "rfi.xlsx")
    ws = wb["operator-scaleway"]
    col = {c.value: c.column for c in ws[4]}
    line = next(r[0].row for r in ws.iter_rows(min_row=5) if r[0].value == f"{SCW}:certifications.iso27001")
    ws.cell(line, col["answer"], "certified")
    ws.cell(line, col["evidence"], "INVENTED TEST DATA: made-up certificate")
    ws.cell(line, col["as_of"], dt.date(2026, 11, 30))
    good = tmp_path / "answers.xlsx"
    wb.save(good)
    after = rank_json("--answers", str(good))
    r = row(after, SCW)
    assert r["status"] == "ranked"
    assert any(f"answers.xlsx#operator-scaleway ({SCW}:certifications.iso27001)" in f for f in r["reasons"])
    ws.cell(line, col["as_of"], "30/11/2026")
    bad = tmp_path / "bad.xlsx"
    wb.save(bad)
    code, out, err = cli("rank", "--answers", str(bad))
    assert code == 2
    assert f"bad.xlsx#operator-scaleway:{line}: schema.invalid [questions[0].as_of]" in err
    assert "problem(s) in the vendor and answer files" in err and "rank  score" in out


def test_answer_files_not_used_are_named_on_stderr_and_in_the_record(tmp_path):
    import datetime as dt

    import openpyxl

    theirs = tmp_path / "other|*x*.yaml"  # a hostile name, escaped in the record
    theirs.write_text(MISTRAL.read_text().replace('vendor: "mistral-ai"', 'vendor: "operator-scaleway"'))
    code, _, err = cli("rfi", "--format", "xlsx", "--output", str(tmp_path))
    assert code == 0, err
    wb = openpyxl.load_workbook(tmp_path / "rfi.xlsx")
    ws = wb["operator-scaleway"]
    col = {c.value: c.column for c in ws[4]}
    line = next(r[0].row for r in ws.iter_rows(min_row=5) if r[0].value == f"{SCW}:certifications.iso27001")
    ws.cell(line, col["answer"], "certified")
    ws.cell(line, col["evidence"], "INVENTED TEST DATA: made-up certificate")
    ws.cell(line, col["as_of"], dt.date(2026, 11, 30))
    other = wb["operator-ovhcloud"]
    orow = next(
        r[0].row for r in other.iter_rows(min_row=5) if r[0].value == f"{OVHO}:certifications.iso27001"
    )
    other.cell(orow, col["answer"], "certified")
    other.cell(orow, col["evidence"], '=HYPERLINK("http://evil.example","x")')
    other.cell(orow, col["as_of"], dt.date(2026, 11, 30))
    book = tmp_path / "answers.xlsx"
    wb.save(book)
    record = tmp_path / "r.md"
    code, out, err = cli("rank", "--answers", str(theirs), "--answers", str(book), "--record", str(record))
    assert code == 2 and "answers.not_theirs" in err and "answers.formula" in err
    assert f"{theirs}: answer file not used because of the problems above" in err
    assert f"{book}: 1 sheet(s) not used (operator-ovhcloud)" in err and "its valid sheets were used" in err
    assert f"{SCW} [evidence gap]" not in out  # the valid sheet was used
    text = record.read_text()
    section = text.split("## Vendors' answers")[1].split("\n## ")[0]
    assert "### Answer files not used" in section
    assert "operator-scaleway" in section.split("### Answer files not used")[0]  # the valid sheet used
    unused = section.split("### Answer files not used")[1]
    assert "other\\|\\*x\\*.yaml" in unused and "`answers.not_theirs`" in unused
    assert "answers.xlsx: 1 sheet(s) not used (operator-ovhcloud)" in unused
    assert "a formula, not a value: type the value" in unused and "`answers.formula`" in unused
    # shown whole, escaped (no autolink): the URL's "//" is broken by a word joiner
    assert '=HYPERLINK("http:\u2060//evil.example","x")' in unused
    inputs = text.split("## Inputs")[1]
    assert "other\\|\\*x\\*.yaml (not used)" in inputs and "answers.xlsx (not used: 1 sheet(s))" in inputs
    # only refused files: the section is there all the same
    code, _, err = cli("rank", "--answers", str(theirs), "--record", str(record))
    assert code == 2 and "### Answer files not used" in record.read_text()


def test_check_words_an_answer_file_problem_as_one_in_every_format(tmp_path):
    policy = tmp_path / "policy.yaml"
    policy.write_text(POLICY)
    theirs = tmp_path / "theirs.yaml"
    theirs.write_text(MISTRAL.read_text().replace('vendor: "mistral-ai"', 'vendor: "operator-scaleway"'))
    outs = {}
    for fmt in ("text", "json", "junit", "sarif", "github"):
        code, out, err = run_cli(
            "check", "--policy", str(policy), "--vendors", str(VENDORS), "--criteria", str(CRITERIA),
            "--today", "2026-12-04", "--answers", str(theirs), "--format", fmt,
        )  # fmt: skip
        assert code == 2, err
        assert "vendor profile problem" not in out, fmt
        if fmt != "sarif":  # SARIF lists every policy-level rule, found or not
            assert "valid-profiles" not in out, fmt
        assert "answer file not used, its answers were left out: answers.not_theirs" in out, fmt
        outs[fmt] = out
    assert "DENY  valid-answers [input.answers_not_used]" in outs["text"]
    assert "title=valid-answers (deny)::answer file not used" in outs["github"]
    assert '<testsuite name="valid-answers"' in outs["junit"]
    doc = json.loads(outs["json"])
    assert {f["rule"] for f in doc["findings"] if f["code"] == "input.answers_not_used"} == {"valid-answers"}
    sarif = json.loads(outs["sarif"])
    (run,) = sarif["runs"]
    assert "valid-answers" in [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert {r["ruleId"] for r in run["results"] if "answer file not used" in r["message"]["text"]} == {
        "valid-answers"
    }
    assert not run["invocations"][0]["executionSuccessful"]

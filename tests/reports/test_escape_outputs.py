"""Issue 11, kind 3: input text never turns into markup or commands downstream.

One test per output format with hostile names: through loaded YAML for the markup that
stays legal in names (links, images, HTML, Streamlit directives, table pipes,
emphasis, LaTeX, formulas), and on engine objects built directly for the control
characters that validation refuses (so the renderers are safe on their own)."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import engine
import engine.policy.rules
from engine.mcda.comparison import comparison
from engine.reports.compare import comparison_csv, comparison_json, comparison_markdown, comparison_table
from engine.reports.diff import diff_markdown, diff_rankings
from engine.reports.escape import CONTROLS
from engine.reports.export import sensitivity_json, sensitivity_table, to_csv, to_json, to_table
from engine.reports.policy_output import policy_github, policy_json, policy_junit, policy_sarif, policy_text
from engine.reports.record import decision_record
from tests.conftest import CRITERIA, offering_yaml, run_cli, vendor_yaml

WJ = "\u2060"
VENDOR_NAME = "[x](http://e) <img src=x onerror=alert(1)> :red[boo] | a | b |"
MODEL_A = "![](http://e/i.png) **bold** $x$ www.e.com @everyone"
MODEL_B = '=HYPERLINK("http://e","x")'
NOTES = "| c | d | :material/home: [^1] `code` <script>alert(1)</script>"
POLICY_NAME = "[policy](http://e) **bold** :red[x] | p | <b>"
SOURCES = '[https://example.org/hostile, "javascript:alert(1)", "http://e) [y](http://e"]'
STARTUP = str(CRITERIA / "presets" / "cost-first-startup.yaml")
CONTROL_NAME = "evil\x1b]0;pwned\x07\x00 \u202eabc\r\nPASSED: forged"
# what a live construct looks like once rendered (an unescaped opener)
LIVE_MARKDOWN = [
    re.compile(r"(?<!\\)\]\("),  # link or image
    re.compile(r"<(img|script|b)\b"),  # HTML
    re.compile(r"https?://e"),  # autolink literal
    re.compile(r"(?<!\\)\*\*bold"),  # emphasis
    re.compile(r":red\["),  # Streamlit directive
    re.compile(r"(?<!\\)\$x"),  # LaTeX
    re.compile(r"@everyone"),  # mention
]


def _q(s: str) -> str:
    return json.dumps(s)  # a JSON string is a YAML double-quoted scalar


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """A vendor directory whose only vendor has markup in its name, models and notes."""
    d = tmp_path / "vendors"
    d.mkdir()
    offerings = offering_yaml("hostile-a", inp=0.5, out=1.0) + offering_yaml("hostile-b", inp=5.0, out=9.0)
    offerings = offerings.replace("model: Model hostile-a", f"model: {_q(MODEL_A)}\n    notes: {_q(NOTES)}")
    offerings = offerings.replace("model: Model hostile-b", f"model: {_q(MODEL_B)}")
    offerings = offerings.replace("    sources: [https://example.org/src]", f"    sources: {SOURCES}", 1)
    text = vendor_yaml("hostile", offerings).replace("name: Hostile AI", f"name: {_q(VENDOR_NAME)}")
    (d / "hostile.yaml").write_text(text, encoding="utf-8")
    return d


def _ranking(vendors: Path) -> engine.Ranking:
    criteria = engine.load_criteria(CRITERIA)
    catalog = engine.load_catalog([vendors], currencies=criteria.currencies())
    assert not catalog.issues, catalog.issues
    return engine.rank(catalog, criteria, engine.load_priorities(STARTUP))


def _assert_no_live_markdown(text: str) -> None:
    for pattern in LIVE_MARKDOWN:
        assert not pattern.search(text), pattern.pattern
    for line in text.splitlines():
        if line.startswith("|"):  # a table row keeps its cells: no pipe splits it
            assert "\r" not in line


def _controlled(ranking: engine.Ranking) -> engine.Ranking:
    """The ranking with control characters in every text an output shows."""
    rows = tuple(
        dataclasses.replace(r, vendor=CONTROL_NAME, offering=CONTROL_NAME, reasons=(*r.reasons, CONTROL_NAME))
        for r in ranking.rows
    )
    return dataclasses.replace(ranking, rows=rows, priorities_name=CONTROL_NAME, notes=(CONTROL_NAME,))


def _no_controls(text: str) -> None:
    assert not CONTROLS.search(text.replace("\n", "").replace("\r\n", ""))
    assert "\n\nPASSED: forged" not in text and "\nPASSED: forged" not in text


# --------------------------------------------------------------------------- the loaded catalog


def test_the_hostile_names_load_and_lead(hostile):
    ranking = _ranking(hostile)
    assert ranking.ranked[0].vendor == VENDOR_NAME
    assert ranking.ranked[0].offering.startswith(MODEL_A)


def test_decision_record_escapes_input_markup(hostile, tmp_path):
    record = tmp_path / "record.md"
    code, _, err = run_cli(
        "rank", "--vendors", str(hostile), "--priorities", STARTUP, "--record", str(record)
    )
    assert code == 0, err
    text = record.read_text(encoding="utf-8")
    _assert_no_live_markdown(text)
    assert (
        "\\[x\\](http:" + WJ + "//e) &lt;img src=x onerror=alert(1)&gt; :red\\[boo\\] \\| a \\| b \\|" in text
    )
    ranking_rows = [line for line in text.splitlines() if line.startswith("| 1 |")]
    assert len(ranking_rows) == 1 and len(re.findall(r"(?<!\\)\|", ranking_rows[0])) == 7  # six cells


def test_compare_markdown_escapes_input_markup(hostile):
    code, out, err = run_cli(
        "compare",
        "hostile-a",
        "hostile-b",
        "--vendors",
        str(hostile),
        "--priorities",
        STARTUP,
        "--format",
        "markdown",
    )
    assert code == 0, err
    # a plain http(s) source is a link (an autolink that holds no space, bracket or quote);
    # the others stay text
    assert "<https://example.org/hostile>" in out
    assert "](javascript" not in out and "<javascript" not in out
    _assert_no_live_markdown(re.sub(r"<https://example\.org/[a-z/]+>", "", out))
    assert (
        "!\\[\\](http:" + WJ + "//e/i.png) \\*\\*bold\\*\\* \\$x\\$ www" + WJ + ".e.com @" + WJ + "everyone"
        in out
    )
    vendor_row = next(line for line in out.splitlines() if line.startswith("| Vendor |"))
    assert len(re.findall(r"(?<!\\)\|", vendor_row)) == 4  # | Vendor | A | B |: three cells


def test_compare_csv_json_and_table_keep_the_text_and_neutralise_formulas(hostile):
    ranking = _ranking(hostile)
    comp = comparison(ranking, engine.load_catalog([hostile]), ["hostile-a", "hostile-b"])
    rows = list(csv.reader(io.StringIO(comparison_csv(comp).decode("utf-8"))))
    offering_row = next(r for r in rows if r[0] == "result.offering")
    assert offering_row[3].startswith("'=HYPERLINK(")
    assert json.loads(comparison_json(comp))["offerings"][0]["vendor"] == VENDOR_NAME
    assert VENDOR_NAME in comparison_table(comp)  # a terminal shows markup as text


def test_rank_csv_neutralises_a_formula_name(hostile):
    code, out, _ = run_cli("rank", "--vendors", str(hostile), "--priorities", STARTUP, "--format", "csv")
    assert code == 0
    rows = {r[1]: r for r in csv.reader(io.StringIO(out))}
    assert rows["hostile-b"][3].startswith("'=HYPERLINK(")
    assert rows["hostile-a"][2] == VENDOR_NAME  # markup is plain text in a CSV


def test_check_github_escapes_a_markup_policy_name(hostile, tmp_path):
    policy = (CRITERIA / "policies" / "eu-regulated.yaml").read_text(encoding="utf-8")
    policy = policy.replace("name: EU regulated AI suppliers", f"name: {_q(POLICY_NAME + ' 100%, a:b')}")
    policy = policy.replace("priorities: regulated-eu-bank", "priorities: cost-first-startup")
    path = tmp_path / "policy.yaml"
    path.write_text(policy, encoding="utf-8")
    code, out, err = run_cli("check", "--policy", str(path), "--vendors", str(hostile), "--format", "github")
    assert code in (0, 1), err
    lines = out.splitlines()
    assert all(line.startswith(("::error ", "::warning ", "::notice ", "shortlist check ")) for line in lines)
    # the summary is not a command: read as written (no %25), yet on a line of its own
    assert lines[-1].startswith("shortlist check ") and "100%, a:b" in lines[-1]
    code, out, _ = run_cli("check", "--policy", str(path), "--vendors", str(hostile), "--format", "junit")
    root = ET.fromstring(out)
    assert root.get("name") == f"shortlist check: {POLICY_NAME} 100%, a:b"  # XML carries it as text


# --------------------------------------------------------------------------- control characters


def _report(vendors: Path, tmp_path: Path) -> engine.policy.rules.PolicyReport:
    from engine.catalog.loading import LocalResolver, load_policy_doc
    from engine.policy.rules import run_policy

    policy, doc = load_policy_doc(CRITERIA / "policies" / "eu-regulated.yaml")
    criteria = engine.load_criteria(CRITERIA)
    catalog = engine.load_catalog([vendors], currencies=criteria.currencies())
    report = run_policy(policy, doc, catalog, criteria, LocalResolver(CRITERIA))
    checks = tuple(dataclasses.replace(c, message=c.message + CONTROL_NAME) for c in report.checks)
    return dataclasses.replace(report, policy_name=CONTROL_NAME, checks=checks)


@pytest.mark.parametrize(
    "name",
    [
        CONTROL_NAME,
        "x\n::add-mask::secret",
        "x\r::stop-commands::token",
        "x\r\n::error file=a,line=1::forged",
        "x\u2028::error::sep",
    ],
)
def test_github_commands_cannot_be_forged_by_a_policy_name(hostile, tmp_path, name):
    report = dataclasses.replace(_report(hostile, tmp_path), policy_name=name)
    out = policy_github(report)
    for line in out.split("\n")[:-1]:
        assert line.startswith(("::error ", "::warning ", "::notice ", "shortlist check "))
        assert "\r" not in line and not CONTROLS.search(line)
    # a forged command can only appear inside a line, never at its start
    assert not any(line.startswith("::add-mask::") for line in out.splitlines())
    assert "\n::add-mask::" not in out


def test_policy_text_junit_sarif_json_with_controls(hostile, tmp_path):
    report = _report(hostile, tmp_path)
    text = policy_text(report)
    _no_controls(text)
    assert "\\x1b]0;pwned\\x07" in text
    root = ET.fromstring(policy_junit(report))  # parses: NUL and ESC are not in it
    assert "\x00" not in ET.tostring(root, encoding="unicode")
    for encoded in (policy_json(report), policy_sarif(report)):
        _no_controls(encoded)
        json.loads(encoded)


def test_rank_outputs_with_controls(hostile):
    ranking = _controlled(_ranking(hostile))
    for text in (to_table(ranking), to_csv(ranking).decode("utf-8"), to_json(ranking).decode("utf-8")):
        assert "\x1b" not in text and "\x00" not in text and "\u202e" not in text
    _no_controls(to_table(ranking))
    assert json.loads(to_json(ranking))["priorities"] == CONTROL_NAME  # JSON keeps the value
    assert "\\x1b]0;pwned\\x07" in to_csv(ranking).decode("utf-8")


def test_record_and_diff_with_controls(hostile):
    ranking = _controlled(_ranking(hostile))
    record = decision_record(
        ranking, engine.load_priorities(STARTUP), input_digests={"a\r\n| x |": "0" * 64}, version="t"
    )
    _no_controls(record)
    assert "| a \\| x \\| | `" in record  # the CR/LF and the pipes stay inside the cell
    diff = diff_markdown(
        diff_rankings(ranking, ranking),
        base_label="`x`\n# h",
        head_label="[y](http://e)",
        priorities_name=CONTROL_NAME,
    )
    _no_controls(diff)
    _assert_no_live_markdown(diff.split("\n", 1)[1])  # the labels are code spans: inert
    assert diff.splitlines()[0] == "## Shortlist: `` `x` # h `` → `[y](http://e)`"


def test_compare_outputs_with_controls(hostile):
    ranking = _controlled(_ranking(hostile))
    comp = comparison(ranking, engine.load_catalog([hostile]), ["hostile-a", "hostile-b"])
    for text in (comparison_markdown(comp), comparison_table(comp), comparison_json(comp).decode()):
        _no_controls(text)
    assert "\\x00" in comparison_csv(comp).decode()


def test_sensitivity_outputs_with_controls(hostile):
    from engine.mcda.sensitivity.report import sensitivity

    ranking = _controlled(_ranking(hostile))
    report = sensitivity(ranking, samples=200, seed=1)
    _no_controls(sensitivity_table(report, ranking))
    _no_controls(sensitivity_json(report, ranking).decode())


def test_excel_with_controls_does_not_crash(hostile):
    from openpyxl import load_workbook

    ranking = _controlled(_ranking(hostile))
    data = engine.to_xlsx(ranking, engine.load_priorities(STARTUP), engine.load_catalog([hostile]))
    ws = load_workbook(io.BytesIO(data)).worksheets[0]
    values = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert not any(CONTROLS.search(v.replace("\n", "")) for v in values)


def test_stderr_problems_are_one_line_each(tmp_path):
    d = tmp_path / "vendors"
    d.mkdir()
    (d / "bad.yaml").write_text('schema_version: 1\nid: "bad\\e]0;x\\a\\nfake: line"\n', encoding="utf-8")
    code, _, err = run_cli("validate", "--vendors", str(d))
    assert code == 2
    assert "\x1b" not in err and "\x07" not in err
    assert not any(line.startswith("fake") for line in err.splitlines())

"""Vendors' answers to the sovereignty framework's criteria (issue 16): read strictly,
folded into the assessment as vendor-declared evidence, met with the derived answers as
public facts are. The answer files are INVENTED TEST DATA (tests/fixtures/answers)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import engine
from engine.catalog.answers import read_and_fold
from engine.catalog.yamlio import load_yaml_bytes
from engine.mcda.sovereignty import assessment_for
from tests.conftest import CRITERIA, ROOT, VENDORS, run_cli

FIX = ROOT / "tests" / "fixtures" / "answers" / "operator-scaleway.sovereignty.yaml"
SCW = "scaleway-genapi-mistral-medium-3.5"
US = "openai-gpt-6-astra-api"
FIELD = "sovereignty.eucsf-1.2.1"
PIN = ("--vendors", str(VENDORS), "--criteria", str(CRITERIA), "--on", "2026-12-04")


@pytest.fixture(scope="module")
def crit() -> engine.CriteriaCatalog:
    return engine.load_criteria(CRITERIA)


def _fold(crit: engine.CriteriaCatalog, *files: tuple[str, bytes], prefer: bool = False) -> engine.Catalog:
    cat = engine.load_catalog([VENDORS], currencies=crit.currencies())
    return read_and_fold(
        cat, list(files), prefer_answers=prefer, currencies=crit.currencies(), frameworks=crit.sovereignty
    )


def _assess(crit: engine.CriteriaCatalog, cat: engine.Catalog, oid: str):
    ro = next(r for r in cat.offerings if r.id == oid)
    return assessment_for(crit.sovereignty["eucsf-1.2.1"], ro)


def test_answers_fill_gaps_with_their_evidence_date_and_grade(crit):
    before = _assess(crit, _fold(crit), SCW)
    cat = _fold(crit, (str(FIX), FIX.read_bytes()))
    assert not cat.issues
    a = _assess(crit, cat, SCW)
    assert len(a.answers) == len(before.answers) + 4 and len(a.gaps) == len(before.gaps) - 4
    got = a.answer("SOV-1.8")
    assert got is not None and (got.option, got.seal, got.rule) == (3, 2, None)
    (fact,) = got.facts
    assert fact.grade == "vendor-declared" and fact.as_of.isoformat() == "2026-11-30"
    assert fact.sources[0].startswith("INVENTED TEST DATA") and fact.answer and "SOV-1.8" in fact.answer
    assert (a.seal, a.governing) == (2, "SOV-1.8")
    uses = [u for u in cat.answer_uses if u.offering_id == SCW]
    assert {u.outcome for u in uses} == {"fills"} and len(uses) == 4


def test_the_seal_changes_with_one_answer_and_the_output_names_the_criterion(crit, tmp_path: Path):
    lowered = tmp_path / "lowered.yaml"
    text = FIX.read_text(encoding="utf-8")
    # one answer: SOV-1.8 option 3 (SEAL-2) becomes option 1 (SEAL-0), with its evidence
    old = '    answer: 3\n    evidence: "INVENTED TEST DATA: made-up continuity plan"'
    assert old in text
    lowered.write_text(text.replace(old, old.replace("answer: 3", "answer: 1")), encoding="utf-8")
    a = _assess(crit, _fold(crit, (str(lowered), lowered.read_bytes())), SCW)
    assert (a.seal, a.governing) == (0, "SOV-1.8")
    args = ("--priorities", "sovereign-public-admin", *PIN)
    code, out, err = run_cli("explain", SCW, *args, "--answers", str(FIX))
    assert code == 0, err
    assert "overall SEAL-2, governed by SOV-1.8" in out and "the vendor's answer" in out
    assert "vendor-declared" in out
    code, out, err = run_cli("rank", "--format", "json", *args, "--answers", str(lowered))
    assert code == 0, err
    row = next(r for r in json.loads(out)["offerings"] if r["offering_id"] == SCW)
    assert row["status"] == "excluded"
    (sov1,) = [q for q in row["requirements"] if q["id"] == "seal2-sov-1"]
    assert sov1["outcome"] == "fail" and "governed by SOV-1.8" in sov1["reason"]
    assert "vendor's answer" in sov1["reason"]


def _edited(tmp_path: Path, old: str, new: str, name: str = "edited.yaml") -> Path:
    p = tmp_path / name
    text = FIX.read_text(encoding="utf-8")
    assert old in text
    p.write_text(text.replace(old, new, 1), encoding="utf-8")
    return p


@pytest.mark.parametrize(
    ("old", "new", "code", "field", "words"),
    [
        (
            f'{FIELD}.SOV-1.1"\n    answer: 4',
            f'{FIELD}.SOV-1.1"\n    answer: 7',
            "answers.invalid",
            "answer",
            "expected an option number from 1 to 4 (SOV-1.1 has 4 options); found 7",
        ),
        (
            f'{FIELD}.SOV-1.1"\n    answer: 4',
            f'{FIELD}.SOV-1.1"\n    answer: four',
            "answers.invalid",
            "answer",
            "expected an option number (a whole number from 1); found 'four'",
        ),
        (
            f'field: "{FIELD}.SOV-1.1"',
            f'field: "{FIELD}.SOV-1.9"',
            "answers.unknown_criterion",
            "field",
            "expected a criterion of eucsf-1.2.1",
        ),
        (
            f'field: "{FIELD}.SOV-1.1"',
            'field: "sovereignty.eucsf-9.SOV-1.1"',
            "answers.unknown_framework",
            "field",
            "found 'eucsf-9'",
        ),
    ],
)
def test_a_bad_answer_names_file_line_field_expected_and_found(crit, tmp_path, old, new, code, field, words):
    if "SOV-1.9" in new or "eucsf-9" in new:  # the question id follows its field
        new_text = FIX.read_text(encoding="utf-8").replace(old, new, 1)
        bad_field = new.split('"')[1]
        new_text = new_text.replace(f'{SCW}:{FIELD}.SOV-1.1"', f'{SCW}:{bad_field}"', 1)
        p = tmp_path / "bad.yaml"
        p.write_text(new_text, encoding="utf-8")
    else:
        p = _edited(tmp_path, old, new, "bad.yaml")
    cat = _fold(crit, (str(p), p.read_bytes()))
    (issue,) = [i for i in cat.issues if i.file == str(p)]
    assert issue.code == code and words in issue.message, issue.message
    assert issue.field == f"questions[0].{field}" and issue.line is not None
    line = p.read_text(encoding="utf-8").splitlines()[issue.line - 1]
    assert ("answer:" if field == "answer" else "field:") in line
    assert _assess(crit, cat, SCW).answer("SOV-1.8") is None  # a file with a problem contributes nothing
    run = run_cli("rank", "--priorities", "sovereign-public-admin", *PIN, "--answers", str(p))
    assert run[0] == 2 and "Traceback" not in run[2] and f"bad.yaml:{issue.line}: {code}" in run[2]


def test_the_operator_answers_for_its_channel_not_the_model_maker(crit, tmp_path):
    p = _edited(tmp_path, 'vendor: "operator-scaleway"', 'vendor: "mistral-ai"')
    cat = _fold(crit, (str(p), p.read_bytes()))
    issues = [i for i in cat.issues if i.file == str(p)]
    assert issues and all(i.code == "answers.not_theirs" for i in issues)
    assert "is for operator-scaleway to answer, not mistral-ai" in issues[0].message


def _us_answer(tmp_path: Path, option: int) -> Path:
    p = tmp_path / "openai.yaml"
    p.write_text(
        "# INVENTED TEST DATA, NOT VENDOR DATA\n"
        "kind: shortlist-rfi-answers\nvendor: openai\nquestions:\n"
        f'  - id: "{US}:{FIELD}.SOV-1.1"\n    offerings: ["{US}"]\n    field: "{FIELD}.SOV-1.1"\n'
        f'    answer: {option}\n    evidence: "INVENTED TEST DATA"\n    as_of: "2026-11-30"\n',
        encoding="utf-8",
    )
    return p


def _fold_in(crit, vendors: Path, *files: tuple[str, bytes], prefer: bool = False) -> engine.Catalog:
    cat = engine.load_catalog([vendors], currencies=crit.currencies())
    return read_and_fold(
        cat, list(files), prefer_answers=prefer, currencies=crit.currencies(), frameworks=crit.sovereignty
    )


def test_an_answer_against_a_derived_answer_is_a_conflict(crit, tmp_path):
    # the frozen catalog grades OpenAI's offering profile not at all: grade it primary in a copy
    vendors = tmp_path / "vendors"
    shutil.copytree(VENDORS, vendors)
    f = vendors / "openai.yaml"
    text = f.read_text(encoding="utf-8")
    anchor = f"  - id: {US}\n"
    assert anchor in text
    f.write_text(text.replace(anchor, anchor + "    evidence: primary\n", 1), encoding="utf-8")
    p = _us_answer(tmp_path, 4)  # "entirely within the EU" against the rule's option 2 (a US operator)
    cat = _fold_in(crit, vendors, (str(p), p.read_bytes()))
    assert not [i for i in cat.issues if i.file == str(p)]
    (use,) = [u for u in cat.answer_uses if u.offering_id == US]
    assert use.outcome == "public kept" and use.conflict and use.public == "option 2 (derived)"
    assert use.public_grade == "primary"
    assert _assess(crit, cat, US).answer("SOV-1.1").rule == "operator-outside-eea-control"  # derived kept
    pref = _fold_in(crit, vendors, (str(p), p.read_bytes()), prefer=True)
    (use2,) = [u for u in pref.answer_uses if u.offering_id == US]
    assert use2.outcome == "overrides" and _assess(crit, pref, US).answer("SOV-1.1").option == 4
    # on the ungraded frozen catalog the derived answer rests on weaker evidence: replaced
    weak = _fold(crit, (str(p), p.read_bytes()))
    (use3,) = [u for u in weak.answer_uses if u.offering_id == US]
    assert use3.outcome == "replaces" and _assess(crit, weak, US).answer("SOV-1.1").option == 4
    same = _us_answer(tmp_path, 2)
    (use4,) = [u for u in _fold(crit, (str(same), same.read_bytes())).answer_uses if u.offering_id == US]
    assert use4.outcome == "confirms"


def test_min_grade_counts_a_vendor_declared_answer_as_unknown(crit, tmp_path):
    lowered = _edited(
        tmp_path,
        '    answer: 3\n    evidence: "INVENTED TEST DATA: made-up continuity plan"',
        '    answer: 1\n    evidence: "INVENTED TEST DATA: made-up continuity plan"',
    )
    cat = _fold(crit, (str(lowered), lowered.read_bytes()))
    pr = engine.PrioritiesFile.model_validate(
        {
            "schema_version": 1,
            "name": "t",
            "weights": {"sovereignty": 1},
            "workload": {
                "input_tokens_per_month": 1e6,
                "output_tokens_per_month": 1e5,
                "answer_tokens": 500,
                "currency": "EUR",
            },
            "on_date": "2026-12-04",
            "requirements": [
                {"id": "s1", "field": "seal.SOV-1", "op": "min", "value": 2},
                {"id": "s1p", "field": "seal.SOV-1", "op": "min", "value": 2, "min_grade": "primary"},
            ],
        }
    )
    r = engine.rank(cat, crit, pr)
    row = next(x for x in r.rows if x.offering_id == SCW)
    got = {q.requirement_id: q for q in row.requirements}
    assert got["s1"].outcome == "fail" and "SOV-1.8" in got["s1"].reason
    assert got["s1p"].outcome == "unknown" and "SOV-1.8" in got["s1p"].reason


def test_the_record_lists_the_sovereignty_answers(tmp_path):
    rec = tmp_path / "record.md"
    code, _, err = run_cli(
        "rank", "--priorities", "sovereign-public-admin", *PIN, "--answers", str(FIX), "--record", str(rec)
    )
    assert code == 0, err
    text = rec.read_text(encoding="utf-8")
    section = text.split("## Vendors' answers", 1)[1]
    assert f"`{FIELD}.SOV-3.1`" in section and "INVENTED TEST DATA" in section


# --------------------------------------------------------------------------- the questionnaire


def _rfi(fmt: str, vendor: str, priorities: str = "sovereign-public-admin", *extra: str) -> str:
    code, out, err = run_cli(
        "rfi", "--priorities", priorities, *PIN, "--vendor", vendor, "--format", fmt, *extra
    )
    assert code == 0, err
    return out


def test_rfi_asks_the_operator_the_frameworks_gaps_with_their_options():
    doc = load_yaml_bytes(_rfi("yaml", "operator-scaleway").encode(), "t").data
    sov = [q for q in doc["questions"] if q["field"].startswith(f"{FIELD}.")]
    # every gap of the EU channel is asked (the derivation rules answer none of its SOV-1..SOV-3 criteria)
    assert len(sov) >= 40 and {q["offerings"][0] for q in sov} == {SCW}
    q = next(q for q in sov if q["field"] == f"{FIELD}.SOV-1.1")
    assert q["allowed"] == ["1", "2", "3", "4"] and q["id"] == f"{SCW}:{FIELD}.SOV-1.1"
    assert "1 = Entirely outside the EU (SEAL-1, 0 points)" in q["answer_format"]
    assert "4 = Entirely within the EU (SEAL-4, 125.01 points)" in q["answer_format"]
    # a gap that could take a minimum SEAL below it comes before one that cannot (SOV-1.2: SEAL-4 only)
    order = [q["field"] for q in sov]
    assert f"{FIELD}.SOV-1.2" in order and order.index(f"{FIELD}.SOV-1.1") < order.index(f"{FIELD}.SOV-1.2")
    binding = [i for i, q in enumerate(sov) if any("could be below SEAL-2" in w for w in q["why"])]
    free = [i for i, q in enumerate(sov) if not any("could be below SEAL-2" in w for w in q["why"])]
    assert binding and free and max(binding) < min(free)
    # the model maker is not asked about the operator's channel
    maker = load_yaml_bytes(_rfi("yaml", "mistral-ai").encode(), "t").data
    assert not any(
        q["field"].startswith("sovereignty.") and q["offerings"] == [SCW] for q in maker["questions"]
    )


def test_rfi_asks_nothing_of_the_framework_when_the_priorities_do_not_use_it():
    doc = load_yaml_bytes(_rfi("yaml", "operator-scaleway", "regulated-eu-bank").encode(), "t").data
    assert not any(q["field"].startswith("sovereignty.") for q in doc["questions"])


def test_the_markdown_and_workbook_carry_the_framework_questions(tmp_path):
    md = _rfi("markdown", "operator-scaleway")
    assert f"`{FIELD}.SOV-3.1`" in md and "SEAL-4, 200 points" in md
    code, _, err = run_cli(
        "rfi", "--priorities", "sovereign-public-admin", *PIN, "--vendor", "operator-scaleway",
        "--format", "xlsx", "--output", str(tmp_path),
    )  # fmt: skip
    assert code == 0, err
    import openpyxl

    (book,) = tmp_path.glob("*.xlsx")
    ws = openpyxl.load_workbook(book).worksheets[0]
    lists = [dv.formula1 for dv in ws.data_validations.dataValidation]
    assert '"1,2,3,4"' in lists and '"1,2,3,4,5"' in lists


def test_the_filled_in_template_folds_back(tmp_path):
    text = _rfi("yaml", "operator-scaleway")
    doc = load_yaml_bytes(text.encode(), "t").data
    q = next(q for q in doc["questions"] if q["field"] == f"{FIELD}.SOV-1.1")
    assert q["answer"] is None
    # fill one answer in the template as a vendor would (INVENTED TEST DATA)
    anchor = f'field: "{FIELD}.SOV-1.1"'
    assert anchor in text
    head, tail = text.split(anchor, 1)
    tail = (
        tail.replace("answer:\n", 'answer: "4"\n', 1)
        .replace("evidence:\n", 'evidence: "INVENTED TEST DATA"\n', 1)
        .replace("as_of:\n", 'as_of: "2026-12-01"\n', 1)
    )
    filled = tmp_path / "filled.yaml"
    filled.write_text(head + anchor + tail, encoding="utf-8")
    code, out, err = run_cli(
        "explain", SCW, "--priorities", "sovereign-public-admin", *PIN, "--answers", str(filled)
    )
    assert code == 0, err
    assert 'SOV-1.1 option 4 "Entirely within the EU"' in out and "the vendor's answer" in out


def test_an_answer_dated_after_the_ranking_date_is_flagged_like_any_answer(tmp_path: Path):
    # an answer to a framework criterion is a dated fact of its own: dated after the
    # ranking date it is flagged (as an answer to a profile field is), never silently used
    future = tmp_path / "future.yaml"
    text = FIX.read_text(encoding="utf-8")
    old = '    evidence: "INVENTED TEST DATA: made-up continuity plan"\n    as_of: "2026-11-30"'
    assert old in text
    future.write_text(text.replace(old, old.replace("2026-11-30", "2099-01-01")), encoding="utf-8")
    args = ("--priorities", "sovereign-public-admin", *PIN, "--format", "json")
    code, out, err = run_cli("rank", *args, "--answers", str(future))
    assert code == 0, err
    row = next(r for r in json.loads(out)["offerings"] if r["offering_id"] == SCW)
    flagged = [s for s in row["stale"] if s["field"] == f"{FIELD}.SOV-1.8"]
    assert len(flagged) == 1 and flagged[0]["future"] and flagged[0]["as_of"] == "2099-01-01", row["stale"]
    code, out, err = run_cli("rank", *args, "--answers", str(FIX))  # dated before: not flagged
    row = next(r for r in json.loads(out)["offerings"] if r["offering_id"] == SCW)
    assert not [s for s in row["stale"] if s["field"].startswith(FIELD)]

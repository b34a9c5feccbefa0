"""Vendors' answers in the app (issue 14): answer files uploaded on the Evidence page
are validated on the spot, never written to disk, folded in as vendor-declared evidence
on every page, flagged in the ranking, listed in the decision record; a broken file is
shown with its problems and changes nothing; conflicts follow the buyer's choice.

The answer files are built here from the real answer template of the frozen catalog and
filled with INVENTED TEST DATA (never vendor data)."""

from __future__ import annotations

import pytest

import engine
from engine.catalog.loading import load_priorities_doc
from engine.mcda.unknowns import ranges_of
from engine.reports.rfi import questionnaires
from engine.reports.rfi_output import rfi_yaml
from tests.conftest import CRITERIA, VENDORS
from tests.test_app import page, ranking_ids, start
from ui.answers import PREFER_KEY

SCALEWAY = "scaleway-genapi-mistral-medium-3.5"  # excluded today on an unknown ISO 27001 only
YAML = "application/x-yaml"
INVENTED = "INVENTED TEST DATA, not vendor data"


def _template(vendor: str) -> str:
    p, _ = load_priorities_doc(CRITERIA / "presets" / "regulated-eu-bank.yaml")
    catalog = engine.load_catalog([VENDORS])
    ranking = engine.rank(catalog, engine.load_criteria(CRITERIA), p)
    rfi = questionnaires(ranking, catalog, p, vendor=vendor, impact=ranges_of(ranking, p))
    return rfi_yaml(rfi, rfi.vendors[0])


def _fill(template: str, answers: dict[str, str], extra: list[str] | None = None) -> bytes:
    """The template with ``answers`` (question id → YAML answer) filled in, dated 2026-11-30."""
    out = [f"# {INVENTED}"]
    current = None
    for line in template.splitlines():
        if line.startswith("  - id: "):
            current = line.split('"')[1]
        if current in answers and line == "    answer:":
            line = f"    answer: {answers[current]}"
        elif current in answers and line == "    evidence:":
            line = f'    evidence: "{INVENTED}: letter of 2026-11-30"'
        elif current in answers and line == "    as_of:":
            line = '    as_of: "2026-11-30"'
        out.append(line)
    return ("\n".join(out + (extra or [])) + "\n").encode()


SCALEWAY_ANSWERS = _fill(
    _template("operator-scaleway"),
    {
        f"{SCALEWAY}:certifications.iso27001": '"certified"',
        f"{SCALEWAY}:latency": "{ttft_s: 0.6, output_tokens_per_s: 80}",
    },
)


def _evidence(monkeypatch):
    return page(start(monkeypatch), "evidence")


def _upload(at, *files):
    n = at.session_state["answers_uploader_n"]
    at.file_uploader(key=f"answers_uploader_{n}").set_value([(name, raw, YAML) for name, raw in files]).run()
    assert not at.exception, at.exception
    return at


def _ranking(at) -> engine.Ranking:
    ranking = at.session_state["_ctx"].ranking
    assert ranking is not None
    return ranking


def _shown(at) -> str:
    return "\n".join(e.value for e in (*at.error, *at.warning, *at.success, *at.markdown))


def test_an_uploaded_answer_file_moves_scaleway_into_the_ranking_and_says_so(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # nothing may be written here (nor anywhere)
    at = _evidence(monkeypatch)
    before = {r.offering_id: r for r in _ranking(at).rows}
    assert before[SCALEWAY].status == "excluded" and before[SCALEWAY].exclusion == "evidence gap"
    _upload(at, ("scaleway-answers.yaml", SCALEWAY_ANSWERS))
    assert "**scaleway-answers.yaml** (`operator-scaleway`): 2 answers used" in _shown(at)
    row = next(r for r in _ranking(at).rows if r.offering_id == SCALEWAY)
    assert row.status == "ranked", row.reasons
    flags = "\n".join(row.reasons)
    assert f"from the vendor's answer answers:scaleway-answers.yaml ({SCALEWAY}:latency)" in flags
    assert row.cells["response_time"].evidence == "vendor-declared"
    assert row.cells["response_time"].answers == (f"answers:scaleway-answers.yaml ({SCALEWAY}:latency)",)
    assert list(tmp_path.iterdir()) == []
    # every page ranks on the answers; the record names the file and each value used
    at = page(at, "shortlist")
    assert SCALEWAY in ranking_ids(at)
    from ui.exports import record_markdown

    record = record_markdown(at.session_state["_ctx"])
    assert "## Vendors' answers" in record and "answers:scaleway-answers.yaml" in record
    assert "fills an unknown" in record


def test_a_broken_answer_file_is_shown_with_its_problems_and_changes_nothing(monkeypatch):
    at = _evidence(monkeypatch)
    before = [(r.offering_id, r.rank) for r in _ranking(at).rows]
    bad = SCALEWAY_ANSWERS.replace(b'answer: "certified"', b'answer: "certifed"')
    _upload(at, ("bad.yaml", bad))
    shown = "\n".join(e.value for e in at.error)
    assert "**bad.yaml** was not used" in shown
    assert "answers:bad.yaml:" in shown and "questions[0].answer" in shown and "certifed" in shown
    assert [(r.offering_id, r.rank) for r in _ranking(at).rows] == before
    # the decision record downloaded says the file was given and not used, and why
    from ui.exports import record_markdown

    record = record_markdown(at.session_state["_ctx"])
    unused = record.split("### Answer files not used")[1].split("\n## ")[0]
    assert "answers:bad.yaml: not used" in unused and "certifed" in unused
    assert "answers:bad.yaml (not used)" in record.split("## Inputs")[1]


@pytest.mark.parametrize(
    "mutate",
    [
        lambda b: b.replace(b'vendor: "operator-scaleway"', b'vendor: "operator-ovhcloud"'),  # not theirs
        lambda b: b.replace(b"kind: shortlist-rfi-answers", b"kind: shortlist-rfi-answer"),
        lambda b: b + b"  - &a {id: x}\n",  # an anchor
        lambda b: b.replace(b'as_of: "2026-11-30"', b'as_of: "2026-11-30\\u202e"', 1),
        lambda b: b"\xff\xfe" + b,
    ],
)
def test_hostile_answer_files_are_refused_and_the_ranking_kept(monkeypatch, mutate):
    at = _evidence(monkeypatch)
    before = [(r.offering_id, r.rank) for r in _ranking(at).rows]
    _upload(at, ("x.yaml", mutate(SCALEWAY_ANSWERS)))
    assert "**x.yaml** was not used" in "\n".join(e.value for e in at.error)
    assert [(r.offering_id, r.rank) for r in _ranking(at).rows] == before


def _graded_catalog(tmp_path) -> str:
    """The frozen catalog with Scaleway's processing regions graded primary (a test copy)."""
    import shutil

    out = tmp_path / "vendors"
    shutil.copytree(VENDORS, out)
    f = out / "mistral-ai.yaml"
    text = f.read_text()
    anchor = "    residency_note: France (Paris data centre operated by OPCORE); EU-only\n"
    assert anchor in text
    graded = (
        "    residency:  # test copy: graded primary so an answer can contradict it\n"
        "      as_of: 2026-11-29\n"
        "      evidence: primary\n"
        "      sources: [https://www.scaleway.com/en/docs/generative-apis/faq]\n"
    )
    f.write_text(text.replace(anchor, anchor + graded, 1))
    return str(out)


def test_a_conflict_with_a_primary_fact_follows_the_buyers_choice(monkeypatch, tmp_path):
    template = _template("operator-scaleway")
    # the template asks nothing about Scaleway's processing regions (primary: FR); the
    # operator may still answer them: the question id is its field's
    extra = [
        f'  - id: "{SCALEWAY}:processing_regions"',
        f'    offerings: ["{SCALEWAY}"]',
        '    field: "processing_regions"',
        "    answer: [DE]",
        f'    evidence: "{INVENTED}"',
        '    as_of: "2026-11-30"',
    ]
    raw = _fill(template, {f"{SCALEWAY}:certifications.iso27001": '"certified"'}, extra)
    at = _upload(page(start(monkeypatch, _graded_catalog(tmp_path)), "evidence"), ("conflict.yaml", raw))
    row = next(r for r in _ranking(at).rows if r.offering_id == SCALEWAY)
    conflict = next(f for f in row.reasons if f.startswith("processing_regions:"))
    assert "contradicts FR (primary)" in conflict and conflict.endswith("conflict")
    assert "conflict: public fact used" in "\n".join(str(v) for v in at.dataframe[-1].value["outcome"])
    at.checkbox(key=PREFER_KEY).check().run()
    row = next(r for r in _ranking(at).rows if r.offering_id == SCALEWAY)
    assert any("overriding FR (primary) as the buyer prefers answers" in f for f in row.reasons)


def test_removing_an_answer_file_stops_using_it_and_size_is_checked(monkeypatch):
    at = _upload(_evidence(monkeypatch), ("scaleway-answers.yaml", SCALEWAY_ANSWERS))
    assert next(r for r in _ranking(at).rows if r.offering_id == SCALEWAY).status == "ranked"
    at.button(key="rm_answers_scaleway-answers.yaml").click().run()
    assert next(r for r in _ranking(at).rows if r.offering_id == SCALEWAY).status == "excluded"
    huge = SCALEWAY_ANSWERS + b"#" * (1 << 20)
    _upload(at, ("huge.yaml", huge))
    assert "Not uploaded — huge.yaml:" in "\n".join(e.value for e in at.error)

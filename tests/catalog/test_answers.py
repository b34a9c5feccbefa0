"""Vendors' answers (engine/catalog/answers.py): every answer form, every outcome of folding
one in, how the facts and cells say so, and hostile answer files (YAML and workbook), each
problem with its file, line and field while the valid files are still used.

The answer files are invented test data (tests/fixtures/answers/README.md)."""

from __future__ import annotations

import datetime as dt
import io
import math
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest

import engine
from engine.catalog import answers as answers_mod
from engine.catalog.answers import (
    ANSWER_GRADE,
    AnswerFile,
    fold_answers,
    read_and_fold,
    read_answers,
    read_answers_workbook,
    read_answers_yaml,
)
from engine.catalog.evidence import facts
from engine.catalog.loading import Catalog, load_catalog, load_priorities_doc, resolve_priorities
from engine.catalog.staleness import flagged
from engine.catalog.yamlio import load_yaml_bytes
from engine.errors import InputError
from tests.conftest import CRITERIA, ROOT, VENDORS, run_cli

FIX = ROOT / "tests" / "fixtures" / "answers"
SCALEWAY = FIX / "operator-scaleway.rfi.yaml"
MISTRAL = FIX / "mistral-ai.rfi.yaml"
OVH = FIX / "operator-ovhcloud.rfi.yaml"
DAY = dt.date(2026, 12, 4)
SCW = "scaleway-genapi-mistral-medium-3.5"
OVHO = "ovhcloud-ai-endpoints-qwen3.5-397b"
LARGE = "mistral-large-4-api"
EVIDENCE = "INVENTED TEST DATA: made-up evidence"


@pytest.fixture(scope="module")
def cat() -> Catalog:
    return load_catalog([VENDORS])


@pytest.fixture(scope="module")
def criteria() -> engine.CriteriaCatalog:
    return engine.load_criteria(CRITERIA)


@pytest.fixture(scope="module")
def bank() -> engine.PrioritiesFile:
    return load_priorities_doc(resolve_priorities("regulated-eu-bank", CRITERIA))[0]


def doc(vendor: str, *questions: str) -> bytes:
    """An answer file (invented test data) for the questionnaire ``vendor``."""
    head = (
        f"# INVENTED TEST DATA, NOT VENDOR DATA\nkind: shortlist-rfi-answers\nvendor: {vendor}\nquestions:\n"
    )
    return (head + "".join(questions)).encode()


def q(oid: str, field: str, answer: str, *, qid: str | None = None, offs: list[str] | None = None,
      as_of: str = "2026-11-30", evidence: str = EVIDENCE) -> str:  # fmt: skip
    qid = qid or (f"vendor:{field}" if field.startswith("vendor") else f"{oid}:{field}")
    offerings = ", ".join(offs or [oid])
    return (
        f'  - id: "{qid}"\n    offerings: [{offerings}]\n    field: "{field}"\n    answer: {answer}\n'
        f'    evidence: "{evidence}"\n    as_of: "{as_of}"\n'
    )


def fold(cat: Catalog, *files: tuple[str, bytes], prefer: bool = False, currencies=None) -> Catalog:
    return read_and_fold(cat, files, prefer_answers=prefer, currencies=currencies)


def uses(c: Catalog, oid: str | None = None) -> dict[tuple[str, str], str]:
    return {
        (u.offering_id, u.answer.field): u.outcome
        for u in c.answer_uses
        if oid is None or u.offering_id == oid
    }


def only_issue(c: Catalog):
    assert len(c.issues) == 1, [str(i) for i in c.issues]
    return c.issues[0]


def raised(raw: bytes, name: str = "a.yaml"):
    with pytest.raises(InputError) as exc:
        read_answers(raw, name)
    return exc.value.issues


# --------------------------------------------------------------------------- the fixtures


@pytest.mark.parametrize("path", sorted(FIX.glob("*.yaml")), ids=lambda p: p.name)
def test_fixtures_say_they_are_invented_and_hold_every_template_question(path: Path):
    text = path.read_text()
    assert text.startswith("# INVENTED TEST DATA, NOT VENDOR DATA")
    data = load_yaml_bytes(path.read_bytes(), path.name).data
    assert all("INVENTED TEST DATA" in x["evidence"] for x in data["questions"] if x["evidence"])
    # made from the real template: every question it asks is in the file, in the same form
    preset = "sovereign-public-admin" if "sovereignty" in path.name else "regulated-eu-bank"
    code, out, err = run_cli(
        "rfi", "--vendors", str(VENDORS), "--criteria", str(CRITERIA), "--priorities", preset,
        "--on", "2026-12-04", "--format", "yaml", "--vendor", data["vendor"],
    )  # fmt: skip
    assert code == 0, err
    template = {x["id"]: x for x in load_yaml_bytes(out.encode(), "t").data["questions"]}
    mine = {x["id"]: x for x in data["questions"]}
    for qid, tq in template.items():
        if qid in mine:
            assert (mine[qid]["offerings"], mine[qid]["field"]) == (tq["offerings"], tq["field"])
    assert set(template) & set(mine)
    assert not any(
        p.suffix == ".yaml" and "INVENTED" in p.read_text() for p in (ROOT / "vendors").glob("*.yaml")
    )


def test_fixtures_read_and_fold_cleanly(cat):
    c = fold(cat, *((p.name, p.read_bytes()) for p in (SCALEWAY, MISTRAL, OVH)))
    assert c.issues == ()
    assert [f.vendor for f in c.answer_files] == ["operator-scaleway", "mistral-ai", "operator-ovhcloud"]
    scw = c.answer_files[0]
    assert len(scw.answers) == 4 and scw.unanswered == 1  # SOC 2 left empty
    assert scw.vendor_line == 5
    assert all(f.digest and c.digests[f.file] == f.digest for f in c.answer_files)


# --------------------------------------------------------------------------- answer forms

FORMS = [
    # (questionnaire, offering, field, answer as YAML, value read)
    ("operator-scaleway", SCW, "certifications.iso27001", "certified", "certified"),
    ("operator-scaleway", SCW, "certifications.c5", "claimed", "claimed"),
    ("operator-scaleway", SCW, "certifications.iso42001", "none", "none"),
    ("operator-scaleway", SCW, "zero_data_retention", "on_request", "on_request"),
    ("operator-scaleway", SCW, "deployment", "private-cloud", "private-cloud"),
    ("operator-scaleway", SCW, "processing_regions", "[FR, DE, FR]", ("FR", "DE")),
    ("operator-scaleway", SCW, "processing_regions", '"FR, DE , EU"', ("FR", "DE", "EU")),
    ("operator-scaleway", SCW, "operator.headquarters", "FR", "FR"),
    ("operator-scaleway", SCW, "prices", "{input_per_mtok: 1, output_per_mtok: 2.5, currency: EUR, basis: list}",
     {"input_per_mtok": 1, "output_per_mtok": 2.5, "currency": "EUR", "basis": "list"}),
    ("operator-scaleway", SCW, "latency", "{ttft_s: 0.7, ttft_p95_s: 1.5}", {"ttft_s": 0.7, "ttft_p95_s": 1.5}),
    ("operator-scaleway", SCW, "offering", "yes", "yes"),
    ("mistral-ai", LARGE, "context_window_tokens", "131072", 131072),
    ("mistral-ai", LARGE, "capability", "{metric: Some index, value: 40}", {"metric": "Some index", "value": 40}),
    ("mistral-ai", LARGE, "openness", "{open_weights: true, licence: Apache-2.0}",
     {"open_weights": True, "licence": "Apache-2.0"}),
    ("mistral-ai", LARGE, "vendor.fmti", "{score: 60, edition: FMTI 2025}", {"score": 60, "edition": "FMTI 2025"}),
    ("mistral-ai", LARGE, "vendor.headquarters", "DE", "DE"),
    ("mistral-ai", LARGE, "vendor.gpai_code_of_practice", "partial_signatory", "partial_signatory"),
    ("mistral-ai", LARGE, "vendor.certifications.iso42001", "certified", "certified"),
    ("mistral-ai", LARGE, "vendor", '"INVENTED TEST DATA: a correction"', "INVENTED TEST DATA: a correction"),
]  # fmt: skip


@pytest.mark.parametrize(("vendor", "oid", "field", "answer", "value"), FORMS, ids=lambda x: str(x)[:40])
def test_every_answer_form_reads_and_folds(cat, vendor, oid, field, answer, value):
    (af,) = read_answers(doc(vendor, q(oid, field, answer)), "a.yaml")
    (a,) = af.answers
    assert (a.field, a.value, a.as_of, a.line) == (field, value, dt.date(2026, 11, 30), 5)
    c = fold_answers(cat, [af], currencies=frozenset({"EUR", "USD"}))
    assert c.issues == ()
    assert uses(c, oid)[(oid, field)] in ("fills", "replaces", "confirms", "not folded")


def test_workbook_forms_regions_as_text_mapping_as_yaml_whole_float():
    assert answers_mod._parse_value("processing_regions", "FR,DE", True) == ("FR", "DE")
    assert (
        answers_mod._parse_value("prices", "{input_per_mtok: 1, output_per_mtok: 2, currency: EUR}", True)[
            "currency"
        ]
        == "EUR"
    )
    assert answers_mod._parse_value("context_window_tokens", 131072.0, True) == 131072
    with pytest.raises(ValueError, match="whole number"):
        answers_mod._parse_value("context_window_tokens", 131072.0, False)
    with pytest.raises(ValueError, match="mapping written as YAML"):
        answers_mod._parse_value("prices", "{input_per_mtok: 1", True)


# --------------------------------------------------------------------------- outcomes


def test_fills_an_unknown_and_moves_the_gate(cat, criteria, bank):
    before = engine.rank(cat, criteria, bank, on_date=DAY).row(SCW)
    assert before.status == "excluded" and before.exclusion == "evidence gap"
    c = fold(cat, ("s.yaml", SCALEWAY.read_bytes()))
    assert uses(c, SCW) == {
        (SCW, "certifications.iso27001"): "fills",
        (SCW, "certifications.c5"): "fills",
        (SCW, "certifications.iso42001"): "fills",
        (SCW, "latency"): "fills",
    }
    row = engine.rank(c, criteria, bank, on_date=DAY).row(SCW)
    assert row.status == "ranked"
    flag = next(r for r in row.reasons if r.startswith("certifications.iso27001 from"))
    assert flag == (
        f"certifications.iso27001 from the vendor's answer s.yaml ({SCW}:certifications.iso27001) "
        "(vendor-declared, 2026-11-30)"
    )
    # the cells say which answers they rest on, and on what grade
    assert row.cells["response_time"].answers == (f"s.yaml ({SCW}:latency)",)
    assert row.cells["response_time"].evidence == ANSWER_GRADE
    assert row.cells["response_time"].value == pytest.approx(0.5 + 400 / 120, rel=0.05)
    assert f"s.yaml ({SCW}:certifications.iso27001)" in row.cells["compliance"].answers
    assert row.cells["capability"].answers == ()
    # the facts carry their answer, grade, date and evidence
    marked = {f.field: f for f in facts(c.get(SCW)) if f.answer}
    assert set(marked) == {
        "certifications.iso27001",
        "certifications.c5",
        "certifications.iso42001",
        "latency",
    }
    f = marked["certifications.iso27001"]
    assert (f.grade, f.as_of, f.sources) == (
        ANSWER_GRADE,
        dt.date(2026, 11, 30),
        ("INVENTED TEST DATA: certificate no. TEST-0001 (not a real certificate)",),
    )
    iso42 = c.get(SCW).certifications.items["iso42001"]
    assert iso42.status == "none_found"  # "none": the vendor says it holds none


def test_replaces_weaker_and_confirms_same(cat):
    c = fold(cat, ("m.yaml", doc("mistral-ai", q(LARGE, "context_window_tokens", "2000000"))))
    (u,) = c.answer_uses
    assert (u.outcome, u.public, u.public_grade) == ("replaces", "1048576", "ungraded")
    assert c.get(LARGE).offering.context_window_tokens == 2_000_000
    assert u.flag.endswith("replacing 1048576 (ungraded)")
    ctx = next(f for f in facts(c.get(LARGE)) if f.field == "context_window_tokens")
    assert (ctx.kind, ctx.grade, ctx.answer) == (
        "profile",
        ANSWER_GRADE,
        f"m.yaml ({LARGE}:context_window_tokens)",
    )
    same = fold(cat, ("m.yaml", doc("mistral-ai", q(LARGE, "context_window_tokens", "1048576"))))
    (u,) = same.answer_uses
    assert u.outcome == "confirms" and u.flag is None and not u.used
    assert same.get(LARGE).answers[u.answer.field] is u
    assert not any(f.answer for f in facts(same.get(LARGE)))


def test_correction_is_not_folded_and_yes_confirms(cat):
    c = fold(cat, ("m.yaml", MISTRAL.read_bytes()))
    assert {u.outcome for u in c.answer_uses if u.answer.field == "vendor"} == {"not folded"}
    assert {u.outcome for u in c.answer_uses if u.answer.field == "vendor.headquarters"} == {"confirms"}
    assert c.get(LARGE).vendor.name == cat.get(LARGE).vendor.name
    y = fold(cat, ("m.yaml", doc("mistral-ai", q(LARGE, "offering", "'YES '"))))
    assert {u.outcome for u in y.answer_uses} == {"confirms"}


def graded(tmp_path: Path, grade: str = "primary") -> Catalog:
    """The frozen catalog with OVHcloud's certification block and the offering's profile
    (its processing regions) graded ``grade``."""
    d = tmp_path / "vendors"
    shutil.copytree(VENDORS, d)
    p = d / "alibaba-qwen.yaml"
    text = p.read_text()
    old = "    certifications:\n      as_of: 2026-06-11\n"
    assert old in text
    text = text.replace(old, f"    certifications:\n      evidence: {grade}\n      as_of: 2026-06-11\n")
    p.write_text(text)
    return load_catalog([d])


def test_conflict_with_a_primary_fact_keeps_it_unless_the_buyer_prefers_answers(tmp_path, criteria, bank):
    cat = graded(tmp_path)
    raw = OVH.read_bytes()
    kept = fold(cat, ("o.yaml", raw))
    assert uses(kept, OVHO)[(OVHO, "certifications.iso27001")] == "public kept"
    assert kept.get(OVHO).certifications.items["iso27001"].status == "claimed"
    u = next(u for u in kept.answer_uses if u.answer.field == "certifications.iso27001")
    assert u.conflict and not u.used and u.public_grade == "primary"
    assert u.flag == (
        f"certifications.iso27001: the vendor's answer o.yaml ({OVHO}:certifications.iso27001) contradicts "
        "claimed (primary); the stronger public fact is used: conflict"
    )
    # weaker facts are still replaced, and the prices (unknown) filled
    assert uses(kept, OVHO)[(OVHO, "processing_regions")] == "replaces"
    assert uses(kept, OVHO)[(OVHO, "prices")] == "fills"
    row = engine.rank(kept, criteria, bank, on_date=DAY).row(OVHO)
    assert row.status == "ranked" and any(r.endswith(": conflict") for r in row.reasons)
    over = fold(cat, ("o.yaml", raw), prefer=True)
    assert uses(over, OVHO)[(OVHO, "certifications.iso27001")] == "overrides"
    assert over.get(OVHO).certifications.items["iso27001"].status == "none_found"
    row = engine.rank(over, criteria, bank, on_date=DAY).row(OVHO)
    assert row.status == "excluded" and row.exclusion == "fails"
    assert any("as the buyer prefers answers: conflict" in r for r in row.reasons)
    # the inputs digest differs: the buyer's preference changed what was ranked
    assert (
        engine.rank(kept, criteria, bank, on_date=DAY).inputs_digest
        != engine.rank(over, criteria, bank, on_date=DAY).inputs_digest
    )


def test_a_later_vendor_declared_fact_wins_an_earlier_one_loses(tmp_path):
    cat = graded(tmp_path, "vendor-declared")  # the block: vendor-declared, 2026-06-11
    older = doc("operator-ovhcloud", q(OVHO, "certifications.iso27001", "none", as_of="2026-01-01"))
    newer = doc("operator-ovhcloud", q(OVHO, "certifications.iso27001", "none", as_of="2026-07-01"))
    assert uses(fold(cat, ("o.yaml", older)))[(OVHO, "certifications.iso27001")] == "public kept"
    assert uses(fold(cat, ("o.yaml", newer)))[(OVHO, "certifications.iso27001")] == "replaces"


def test_certification_answer_on_an_offering_inheriting_its_makers_block(cat):
    """The maker's block is copied onto the offering with its provenance pinned: every
    other item keeps its date and grade; the public value met is the maker's item."""
    before = {f.field.split(".")[-1]: f for f in facts(cat.get(LARGE)) if f.kind == "certifications"}
    assert all(f.field.startswith("vendor.certifications.") for f in before.values())
    raw = doc(
        "mistral-ai",
        q(LARGE, "certifications.iso27001", "certified"),
        q(LARGE, "vendor.certifications.c5", "certified"),
    )
    c = fold(cat, ("m.yaml", raw))
    # the maker's item (claimed) is what the answer meets: replaced, never "filled"
    assert uses(c, LARGE)[(LARGE, "certifications.iso27001")] == "replaces"
    after = {f.field.split(".")[-1]: f for f in facts(c.get(LARGE)) if f.kind == "certifications"}
    assert all(f.field.startswith("certifications.") for f in after.values())
    assert set(after) == set(before) | {"c5"}
    for cid, f in before.items():
        if cid == "iso27001":
            continue
        assert (after[cid].as_of, after[cid].grade, after[cid].sources) == (f.as_of, f.grade, f.sources), cid
        assert after[cid].answer is None
    assert (after["iso27001"].grade, after["iso27001"].answer) == (
        ANSWER_GRADE,
        f"m.yaml ({LARGE}:certifications.iso27001)",
    )
    # the maker's c5 answer is in the copied block too, marked as its answer
    assert c.get(LARGE).certifications.items["c5"].status == "certified"
    assert (after["c5"].grade, after["c5"].answer) == (
        ANSWER_GRADE,
        "m.yaml (vendor:vendor.certifications.c5)",
    )
    # the maker's other offerings read the vendor block, with the c5 answer and not the iso27001 one
    small = c.get("mistral-small-4-api")
    assert small.certifications.items["c5"].status == "certified"
    assert small.certifications.items["iso27001"].status == "claimed"


def test_vendor_level_answers_reach_every_offering_reading_them(cat):
    c = fold(cat, ("m.yaml", MISTRAL.read_bytes()))
    mistral = {ro.id for ro in cat.offerings if ro.vendor.id == "mistral-ai"}
    hq = {oid for (oid, f) in uses(c) if f == "vendor.headquarters"}
    assert hq == mistral  # listed for one offering; the vendor's fact for all
    c5 = {oid for (oid, f), o in uses(c).items() if f == "vendor.certifications.c5"}
    # Scaleway's channel (and the self-hosted weights) have a block of their own: the maker's is not read
    assert c5 == {oid for oid in mistral if cat.get(oid).offering.certifications is None}
    assert SCW not in c5 and LARGE in c5
    assert not any("vendor.certifications.c5" in r for r in _reasons(c, SCW))
    for oid in c5:
        assert c.get(oid).certifications.items["c5"].status == "certified"


def _reasons(c: Catalog, oid: str) -> list[str]:
    return [u.flag for u in c.get(oid).answers.values() if u.flag]


def test_min_grade_on_a_must_have_counts_a_vendor_declared_fact_as_unknown(cat, criteria, bank):
    c = fold(cat, ("s.yaml", SCALEWAY.read_bytes()))
    reqs = tuple(
        r.model_copy(update={"min_grade": "independent"}) if r.id == "iso27001" else r
        for r in bank.requirements
    )
    strict = bank.model_copy(update={"requirements": reqs})
    row = engine.rank(c, criteria, strict, on_date=DAY).row(SCW)
    assert row.status == "excluded" and row.exclusion == "evidence gap"
    accepting = tuple(
        r.model_copy(update={"min_grade": "vendor-declared"}) if r.id == "iso27001" else r for r in reqs
    )
    assert (
        engine.rank(c, criteria, bank.model_copy(update={"requirements": accepting}), on_date=DAY)
        .row(SCW)
        .status
        == "ranked"
    )


def test_min_grade_on_a_plain_field_judges_the_answer_not_the_profile(cat):
    """An answered operator headquarters is its own vendor-declared fact: a rule wanting
    stronger evidence for it is unknown, whatever the offering profile's grade."""
    from engine.catalog.schema import RequirementSpec
    from engine.mcda.requirements import evaluate

    spec = RequirementSpec(id="hq", field="operator_hq", op="within", value=["EU"], min_grade="independent")
    c = fold(cat, ("s.yaml", doc("operator-scaleway", q(SCW, "operator.headquarters", "DE"))))
    assert evaluate(spec, c.get(SCW), {}, DAY).outcome == "unknown"
    graded_profile = c.get(SCW)
    off = graded_profile.offering.model_copy(update={"evidence": "primary"})
    assert (
        evaluate(spec, __import__("dataclasses").replace(graded_profile, offering=off), {}, DAY).outcome
        == "unknown"
    )


def test_staleness_of_an_answered_fact_is_by_its_as_of(cat, criteria, bank):
    old = doc("operator-scaleway", q(SCW, "latency", "{ttft_s: 0.5}", as_of="2020-01-02"))
    c = fold(cat, ("s.yaml", old))
    lat = next(f for f in facts(c.get(SCW)) if f.field == "latency")
    assert lat.as_of == dt.date(2020, 1, 2) and lat.answer
    stale = [a for a in flagged(c.get(SCW), DAY, {"latency": 365}) if a.fact.field == "latency"]
    assert stale and stale[0].days == (DAY - dt.date(2020, 1, 2)).days
    row = engine.rank(c, criteria, bank, on_date=DAY).row(SCW)
    assert any(r.startswith("stale") and "latency" in r for r in row.reasons), row.reasons
    fresh = fold(cat, ("s.yaml", old.replace(b"2020-01-02", b"2026-11-30")))
    assert not [a for a in flagged(fresh.get(SCW), DAY, {"latency": 365}) if a.fact.field == "latency"]


# --------------------------------------------------------------------------- hostile YAML

SCW_TEXT = SCALEWAY.read_text()


def mutated(old: str, new: str) -> bytes:
    assert old in SCW_TEXT, old
    return SCW_TEXT.replace(old, new, 1).encode()


EXTRA = (
    '  - id: "{qid}"\n    offerings: [{offs}]\n    field: "{field}"\n    answer: {answer}\n'
    '    evidence: "INVENTED TEST DATA"\n    as_of: "2026-11-30"\n'
)
EXTRA_LINE = len(SCW_TEXT.splitlines()) + 1  # the added question's first line
LAT_LINE = SCW_TEXT.splitlines().index("    answer: {ttft_s: 0.5, output_tokens_per_s: 120}") + 1


def added(field: str, answer: str, offs: str = SCW, qid: str | None = None) -> bytes:
    first = offs.split(",")[0].strip()
    qid = qid or (f"vendor:{field}" if field.startswith("vendor") else f"{first}:{field}")
    return (SCW_TEXT + EXTRA.format(qid=qid, offs=offs, field=field, answer=answer)).encode()


READ_PROBLEMS = [
    # (label, bytes, code, line, field, words in the message)
    ("syntax", mutated("answer: certified", "answer: [certified"), "yaml.syntax", None, None, ""),
    ("alias", mutated("answer: certified", "answer: &a certified"), "yaml.alias", 15, None, "aliases"),
    ("duplicate key", mutated("answer: certified", "answer: certified\n    answer: none"), "yaml.duplicate_key", 16, None, "first on line 15"),
    ("unknown field", mutated("answer: certified", "answer: certified\n    comment: x"), "schema.unknown_field", 16, "questions[0].comment", "comment"),
    ("wrong kind", mutated("kind: shortlist-rfi-answers", "kind: shortlist-vendor"), "schema.invalid", 3, "kind", "shortlist-vendor"),
    ("look-alike vendor id", mutated('vendor: "operator-scaleway"', 'vendor: "operator-sc\u0430leway"'), "schema.invalid", 5, "vendor", "CYRILLIC"),
    ("invisible offering", mutated(f'offerings: ["{SCW}"]', f'offerings: ["{SCW}\u200b"]'), "schema.invalid", 11, "questions[0].offerings[0]", "ZERO WIDTH"),
    ("look-alike question id", mutated(f'id: "{SCW}:certifications.iso27001"', f'id: "{SCW}:certificati\u043ens.iso27001"'), "answers.invalid", 10, "questions[0].id", "expected the question id"),
    ("id not its field", mutated(f'id: "{SCW}:certifications.iso27001"', f'id: "{SCW}:certifications.soc2_type2"'), "answers.invalid", 10, "questions[0].id", "from its field"),
    ("id not its offering", mutated(f'id: "{SCW}:certifications.iso27001"', 'id: "stackit-model-serving-llama-3.3-70b:certifications.iso27001"'), "answers.invalid", 10, "questions[0].id", "first offering"),
    ("unknown field name", mutated('field: "certifications.iso27001"', 'field: "certifications.iso9001"'), "answers.unknown_field", 12, "questions[0].field", "iso9001"),
    ("not an allowed value", mutated("answer: certified", "answer: Certified"), "answers.invalid", 15, "questions[0].answer", "expected one of: certified, claimed, none; found 'Certified'"),
    ("bidi evidence", mutated("INVENTED TEST DATA: certificate", "INVENTED TEST DATA: \u202ecertificate"), "text.invalid_character", 16, "questions[0].evidence", "RIGHT-TO-LEFT OVERRIDE"),
    ("control evidence", mutated("INVENTED TEST DATA: certificate", "INVENTED TEST DATA:\\a certificate"), "text.invalid_character", 16, "questions[0].evidence", "BELL"),
    ("as_of day first", mutated('as_of: "2026-11-30"', 'as_of: "30/11/2026"'), "schema.invalid", 17, "questions[0].as_of", "YYYY-MM-DD"),
    ("as_of with time", mutated('as_of: "2026-11-30"', 'as_of: "2026-11-30T10:00"'), "schema.invalid", 17, "questions[0].as_of", "YYYY-MM-DD"),
    ("as_of number", mutated('as_of: "2026-11-30"', "as_of: 20261130"), "schema.invalid", 17, "questions[0].as_of", "20261130"),
    ("as_of impossible", mutated('as_of: "2026-11-30"', 'as_of: "2026-02-30"'), "schema.invalid", 17, "questions[0].as_of", ""),
    ("no evidence", mutated('evidence: "INVENTED TEST DATA: certificate no. TEST-0001 (not a real certificate)"', "evidence:"), "answers.invalid", 16, "questions[0].evidence", "needs its evidence"),
    ("no date", mutated('as_of: "2026-11-30"', "as_of:"), "answers.invalid", 17, "questions[0].as_of", "date"),
    ("same question twice", added("certifications.iso27001", "claimed"), "answers.duplicate", EXTRA_LINE, "questions[5].id", "answered twice"),
    ("NaN context", added("latency", "{ttft_s: .nan}"), None, None, None, ""),  # refused when folded
    ("huge int in a list", added("processing_regions", "[99999999999999999999999999]"), "answers.invalid", EXTRA_LINE + 3, "questions[5].answer", "list of region codes"),
    ("region lower case", added("processing_regions", '"fr, de"'), "answers.invalid", EXTRA_LINE + 3, "questions[5].answer", "'fr'"),
    ("region empty item", added("processing_regions", '"FR,,DE"'), "answers.invalid", EXTRA_LINE + 3, "questions[5].answer", "separated by commas"),
    ("country name", added("operator.headquarters", "France"), "answers.invalid", EXTRA_LINE + 3, "questions[5].answer", "alpha-2"),
    ("latency measures nothing", mutated("answer: {ttft_s: 0.5, output_tokens_per_s: 120}", "answer: {note: fast}"), "answers.invalid", LAT_LINE, "questions[4].answer", "at least one of"),
    ("mapping unknown key", added("prices", "{input_per_mtok: 1, output_per_mtok: 2, currency: EUR, evidence: primary}"), "answers.invalid", EXTRA_LINE + 3, "questions[5].answer", "unknown 'evidence'"),
    ("mapping missing key", added("prices", "{input_per_mtok: 1}"), "answers.invalid", EXTRA_LINE + 3, "questions[5].answer", "missing currency, output_per_mtok"),
    ("enum as a list", added("zero_data_retention", "[available]"), "answers.invalid", EXTRA_LINE + 3, "questions[5].answer", "found a list"),
    ("boolean for yes", added("offering", "true"), "answers.invalid", EXTRA_LINE + 3, "questions[5].answer", "boolean true"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("label", "raw", "code", "line", "field", "words"), READ_PROBLEMS, ids=[p[0] for p in READ_PROBLEMS]
)
def test_hostile_answer_file_named_by_file_line_field_and_the_others_still_used(cat, label, raw, code, line, field, words):  # fmt: skip
    c = fold(cat, ("bad.yaml", raw), ("m.yaml", MISTRAL.read_bytes()))
    bad = [i for i in c.issues if i.file == "bad.yaml"]
    assert bad, label
    assert [f.file for f in c.answer_files] == ["m.yaml"]  # the valid file is used, the bad one not at all
    assert {u.answer.file for u in c.answer_uses} == {"m.yaml"}
    assert all(not u.answer.file == "bad.yaml" for ro in c.offerings for u in ro.answers.values())
    if code is None:
        return
    i = bad[0]
    assert i.code == code, str(i)
    if line is not None:
        assert i.line == line, str(i)
    if field is not None:
        assert i.field == field, str(i)
    assert words in i.message, str(i)


def test_out_of_range_values_are_refused_with_expected_and_found(cat):
    cases = [
        ("operator-scaleway", SCW, "latency", "{ttft_s: .nan}", "latency.ttft_s: Input should be a finite number"),
        ("operator-scaleway", SCW, "latency", "{ttft_s: .inf}", "finite number"),
        ("operator-scaleway", SCW, "latency", "{ttft_s: 1e400}", "finite number"),
        ("operator-scaleway", SCW, "latency", "{ttft_s: -0.5}", "greater than 0; found number -0.5"),
        ("operator-scaleway", SCW, "prices", "{input_per_mtok: -1, output_per_mtok: 2, currency: EUR}",
         "prices.input_per_mtok: Input should be greater than or equal to 0; found number -1"),
        ("operator-scaleway", SCW, "prices", "{input_per_mtok: 1e300, output_per_mtok: 2, currency: EUR}", "less than or equal"),
        ("mistral-ai", LARGE, "context_window_tokens", "99999999999999999999999999999999", "found number 99999999999999999999999999999999"),
        ("mistral-ai", LARGE, "context_window_tokens", "-5", "greater than 0"),
        ("mistral-ai", LARGE, "vendor.fmti", "{score: 101, edition: FMTI 2025}", "fmti.score: Input should be less than or equal to 100"),
        ("mistral-ai", LARGE, "openness", "{open_weights: 'yes'}", "openness.open_weights"),
        ("mistral-ai", LARGE, "openness", "{open_weights: true, licence: 'a b'}", "SPDX"),
    ]  # fmt: skip
    for vendor, oid, field, answer, words in cases:
        c = fold(cat, ("x.yaml", doc(vendor, q(oid, field, answer))))
        i = only_issue(c)
        assert (i.code, i.file, i.line, i.field) == ("answers.invalid", "x.yaml", 8, "questions[0].answer"), (
            str(i)
        )
        assert words in i.message, (answer, str(i))
        assert c.answer_uses == () and c.answer_files == ()


def test_price_in_a_currency_the_exchange_rate_table_lacks(cat, criteria):
    raw = doc("operator-scaleway", q(SCW, "prices", "{input_per_mtok: 1, output_per_mtok: 2, currency: XXX}"))
    i = only_issue(fold(cat, ("x.yaml", raw), currencies=criteria.currencies()))
    assert (i.code, i.line, i.field) == ("answers.invalid", 8, "questions[0].answer")
    assert "exchange-rate table does not have XXX" in i.message


WHO = [
    # an operator answering the maker's question
    ("operator-scaleway", q(SCW, "capability", "{metric: x, value: 9}"), "is for mistral-ai to answer, not operator-scaleway", "questions[0].offerings[0]"),
    ("operator-scaleway", q(SCW, "vendor.headquarters", "FR"), "is for mistral-ai to answer", "questions[0].offerings[0]"),
    # another operator's offering, as the second of two
    ("operator-scaleway", q(SCW, "prices", "{input_per_mtok: 1, output_per_mtok: 2, currency: EUR}", offs=[SCW, "stackit-model-serving-llama-3.3-70b"]),
     "is for operator-stackit to answer", "questions[0].offerings[1]"),
    # the maker answering its channel operator's question
    ("mistral-ai", q(SCW, "certifications.iso27001", "certified"), "is for operator-scaleway to answer", "questions[0].offerings[0]"),
    # a maker answering another maker's company question
    ("mistral-ai", q("cohere-command-a-api", "vendor.headquarters", "FR"), "is for cohere to answer", "questions[0].offerings[0]"),
]  # fmt: skip


@pytest.mark.parametrize(("vendor", "question", "words", "field"), WHO)
def test_an_answer_never_changes_another_companys_facts(cat, vendor, question, words, field):
    c = fold(cat, ("x.yaml", doc(vendor, question)))
    i = only_issue(c)
    assert (i.code, i.file, i.field) == ("answers.not_theirs", "x.yaml", field)
    assert i.line == 6 and words in i.message, str(i)
    assert c.answer_uses == ()
    assert c.get(SCW) is cat.get(SCW)


def test_unknown_offering_and_unknown_questionnaire(cat):
    i = only_issue(
        fold(
            cat,
            (
                "x.yaml",
                doc("operator-scaleway", q("scaleway-genapi-mistral-medium-3", "latency", "{ttft_s: 1}")),
            ),
        )
    )
    assert (i.code, i.line, i.field) == ("answers.unknown_offering", 6, "questions[0].offerings[0]")
    assert "did you mean" in i.message.lower() or SCW in i.message
    i = only_issue(fold(cat, ("x.yaml", doc("operator-nobody", q(SCW, "latency", "{ttft_s: 1}")))))
    assert (i.code, i.line, i.field) == ("answers.unknown_vendor", 3, "vendor")


def test_a_question_answered_twice_in_one_file_under_two_ids_or_two_files(cat):
    two_ids = doc(
        "mistral-ai",
        q(LARGE, "prices", "{input_per_mtok: 1, output_per_mtok: 2, currency: USD}", offs=[LARGE, "mistral-small-4-api"]),
        q("mistral-small-4-api", "prices", "{input_per_mtok: 3, output_per_mtok: 4, currency: USD}"),
    )  # fmt: skip
    i = only_issue(fold(cat, ("x.yaml", two_ids)))
    assert (i.code, i.line, i.field) == ("answers.duplicate", 12, "questions[1].offerings[0]")
    assert f"already answered in this file (question {LARGE}:prices)" in i.message
    alias = doc("mistral-ai", q(LARGE, "residency", "'FR'"), q(LARGE, "processing_regions", "'FR, DE'"))
    assert only_issue(fold(cat, ("x.yaml", alias))).code == "answers.duplicate"
    # a vendor's own fact, listed under different offerings in two files
    first = doc("mistral-ai", q(LARGE, "vendor.headquarters", "FR"))
    second = doc("mistral-ai", q("mistral-small-4-api", "vendor.headquarters", "DE"))
    c = fold(cat, ("a.yaml", first), ("b.yaml", second))
    i = only_issue(c)
    assert (i.code, i.file, i.line) == ("answers.duplicate", "b.yaml", 6)
    assert "already answered in a.yaml" in i.message
    assert [f.file for f in c.answer_files] == ["a.yaml"]
    # the same file given twice
    c = fold(cat, ("s.yaml", SCALEWAY.read_bytes()), ("s2.yaml", SCALEWAY.read_bytes()))
    assert {i.code for i in c.issues} == {"answers.duplicate"} and len(c.answer_files) == 1


def test_not_a_mapping_empty_and_not_utf8():
    assert raised(b"- a\n")[0].code == "yaml.not_mapping"
    assert raised(b"")[0].code == "yaml.empty"
    assert raised(b"\xff\xfe garbage")[0].code == "yaml.encoding"
    assert raised(b"kind: shortlist-rfi-answers\nvendor: x\nquestions:\n")[0].field == "questions"
    assert raised(b"x" * 2_000_000)[0].code.startswith("yaml.")
    with pytest.raises(InputError):
        read_answers_yaml(b"kind: shortlist-rfi-answers\nvendor: x\nquestions: [1]\n", "a.yaml")


# --------------------------------------------------------------------------- workbooks


@pytest.fixture(scope="module")
def workbook(tmp_path_factory) -> bytes:
    out = tmp_path_factory.mktemp("rfi")
    code, _, err = run_cli(
        "rfi", "--vendors", str(VENDORS), "--criteria", str(CRITERIA), "--priorities", "regulated-eu-bank",
        "--on", "2026-12-04", "--format", "xlsx", "--output", str(out),
    )  # fmt: skip
    assert code == 0, err
    return (out / "rfi.xlsx").read_bytes()


def filled(
    workbook: bytes, answers: dict[str, tuple[object, object, object]], sheet: str = "operator-scaleway"
) -> bytes:
    """The workbook with answer, evidence, as_of set on the rows of the given question ids."""
    wb = openpyxl.load_workbook(io.BytesIO(workbook))
    ws = wb[sheet]
    col = {c.value: c.column for c in ws[4]}
    for row in ws.iter_rows(min_row=5):
        qid = row[0].value
        if qid in answers:
            for name, v in zip(("answer", "evidence", "as_of"), answers[qid], strict=True):
                ws.cell(row[0].row, col[name], v)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def yaml_answers(path: Path) -> dict[str, tuple[object, object, object]]:
    data = load_yaml_bytes(path.read_bytes(), "x").data
    out: dict[str, tuple[object, object, object]] = {}
    for x in data["questions"]:
        if x["answer"] is None:
            continue
        a = x["answer"]
        if isinstance(a, dict):
            a = "{" + ", ".join(f"{k}: {v}" for k, v in a.items()) + "}"
        out[x["id"]] = (a, x["evidence"], dt.date.fromisoformat(x["as_of"]))
    return out


def test_workbook_round_trip_gives_the_yaml_routes_answers(cat, workbook):
    raw = filled(workbook, yaml_answers(SCALEWAY))
    sheets = read_answers(raw, "rfi.xlsx")
    (scw,) = sheets  # the questionnaires without an answer are left out
    assert (
        scw.file == "rfi.xlsx#operator-scaleway"
        and scw.vendor == "operator-scaleway"
        and scw.vendor_line == 3
    )
    (yml,) = read_answers(SCALEWAY.read_bytes(), "s.yaml")
    assert [(a.question_id, a.field, a.offering_ids, a.value, a.evidence, a.as_of) for a in scw.answers] == [
        (a.question_id, a.field, a.offering_ids, a.value, a.evidence, a.as_of) for a in yml.answers
    ]
    assert [a.line for a in scw.answers] == [5, 6, 7, 9]  # rows
    c = fold_answers(cat, sheets)
    d = fold_answers(cat, [yml])
    assert c.issues == () and [(u.offering_id, u.answer.field, u.outcome) for u in c.answer_uses] == [
        (u.offering_id, u.answer.field, u.outcome) for u in d.answer_uses
    ]
    assert c.get(SCW).offering == d.get(SCW).offering
    assert c.digests["rfi.xlsx"] == answers_mod.hashlib.sha256(raw).hexdigest()  # the workbook, once


def test_workbook_bad_cell_named_by_sheet_and_row(cat, workbook):
    raw = filled(workbook, {f"{SCW}:certifications.iso27001": ("=1+1", "INVENTED TEST DATA", "2026-11-30")})
    with pytest.raises(InputError) as exc:
        read_answers_workbook(raw, "rfi.xlsx")
    (i,) = exc.value.issues  # a formula is read as its text, never evaluated, and refused as one
    assert (i.file, i.line, i.field, i.code) == (
        "rfi.xlsx#operator-scaleway",
        5,
        "questions[0].answer",
        "answers.formula",
    )
    assert "'=1+1'" in i.message and "a formula, not a value: type the value" in i.message
    dated = filled(workbook, {f"{SCW}:certifications.c5": ("claimed", "INVENTED TEST DATA", "30.11.2026")})
    (i,) = raised(dated, "rfi.xlsx")
    assert (i.file, i.line, i.field, i.code) == (
        "rfi.xlsx#operator-scaleway",
        6,
        "questions[1].as_of",
        "schema.invalid",
    )
    # the other answer files are still used
    c = fold(cat, ("rfi.xlsx", raw), ("m.yaml", MISTRAL.read_bytes()))
    assert [f.file for f in c.answer_files] == ["m.yaml"] and any(
        i.file == "rfi.xlsx#operator-scaleway" for i in c.issues
    )


def _wb(rows: list[list[object]], sheets: int = 1) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    for k in range(1, sheets):
        wb.create_sheet(f"s{k}")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


META = ["questionnaire", "operator-scaleway", "kind", "shortlist-rfi-answers"]
HEAD = ["question_id", "offerings", "field", "answer", "evidence", "as_of"]


def test_workbook_missing_row_3_or_header():
    issues = raised(_wb([["t"], ["x"], ["not", "the", "meta", "row"], HEAD]), "w.xlsx")
    assert (issues[0].code, issues[0].file, issues[0].line) == ("answers.workbook", "w.xlsx#Sheet", 3)
    issues = raised(_wb([["t"], ["x"], META, ["question_id", "answer"]]), "w.xlsx")
    assert (issues[0].line, issues[0].code) == (4, "answers.workbook")
    assert "lacks the columns as_of, evidence, field, offerings" in issues[0].message
    issues = raised(_wb([["t"], ["x"], META]), "w.xlsx")
    assert "no header row" in issues[0].message
    # an empty questionnaire (no row after the header) reads as no answers
    (af,) = read_answers(_wb([["t"], ["x"], META, HEAD]), "w.xlsx")
    assert af.answers == () and af.vendor == "operator-scaleway"


def test_workbook_too_many_rows_or_sheets(monkeypatch):
    monkeypatch.setattr(answers_mod, "MAX_QUESTIONS", 3)
    row = [f"{SCW}:latency", SCW, "latency", None, None, None]
    issues = raised(_wb([["t"], ["x"], META, HEAD] + [row] * 5), "w.xlsx")
    assert (issues[0].code, issues[0].line) == ("answers.workbook", 8) and "more than 3 questions" in issues[
        0
    ].message
    monkeypatch.undo()
    issues = raised(_wb([["t"], ["x"], META, HEAD], sheets=1000), "w.xlsx")
    assert (
        issues[0].code == "answers.workbook" and "1000 sheets, more than the 500 allowed" in issues[0].message
    )


def test_a_zip_of_many_parts_is_refused_before_it_is_opened():
    many = io.BytesIO()
    with zipfile.ZipFile(many, "w") as z:
        for k in range(answers_mod.MAX_PARTS + 1):
            z.writestr(f"xl/worksheets/sheet{k}.xml", b"")
    i = raised(many.getvalue(), "w.xlsx")[0]
    assert i.code == "answers.workbook" and f"{answers_mod.MAX_PARTS + 1:,} parts" in i.message


def test_not_a_workbook_zip_bomb_corrupted(workbook):
    assert raised(b"PK\x03\x04 not really", "w.xlsx")[0].code == "answers.workbook"
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", b"<x/>")
        z.writestr("xl/zeros.bin", b"\0" * (answers_mod.MAX_UNZIPPED + 1))
    assert len(bomb.getvalue()) < 1_000_000
    i = raised(bomb.getvalue(), "w.xlsx")[0]
    assert i.code == "answers.workbook" and "unpacks to" in i.message
    i = raised(workbook[: len(workbook) // 2], "w.xlsx")[0]  # cut short
    assert i.code == "answers.workbook"
    broken = io.BytesIO()  # a zip without the parts of a workbook
    with zipfile.ZipFile(broken, "w") as z:
        z.writestr("hello.txt", "hi")
    i = raised(broken.getvalue(), "w.xlsx")[0]
    assert i.code == "answers.workbook" and "cannot read the workbook" in i.message


def _replace_part(raw: bytes, part: str, data: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(raw))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            z.writestr(info.filename, data if info.filename == part else src.read(info.filename))
    return out.getvalue()


LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE worksheet [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>"""
"""A "billion laughs" document type declaration, put before a sheet's XML."""


def test_xml_entity_expansion_in_a_workbook_is_refused():
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML  # openpyxl parses with defusedxml (a dependency)
    raw = _wb(
        [["t"], ["x"], META, HEAD, [f"{SCW}:latency", SCW, "latency", "shared", "INVENTED", "2026-11-30"]]
    )
    sheet = zipfile.ZipFile(io.BytesIO(raw)).read("xl/worksheets/sheet1.xml")
    assert b"<t>shared</t>" in sheet  # openpyxl writes inline strings
    laughs = LAUGHS + sheet.replace(b"<t>shared</t>", b"<t>&lol3;</t>")
    i = raised(_replace_part(raw, "xl/worksheets/sheet1.xml", laughs), "w.xlsx")[0]
    assert i.code == "answers.workbook" and "entity expansion" in i.message
    evil = (
        b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        + sheet.replace(b"<t>shared</t>", b"<t>&e;</t>")
    )
    i = raised(_replace_part(raw, "xl/worksheets/sheet1.xml", evil), "w.xlsx")[0]
    assert i.code == "answers.workbook" and "external entities" in i.message


def test_nan_and_inf_cells_are_refused_not_crashing():
    row = [
        f"{SCW}:certifications.iso27001",
        SCW,
        "certifications.iso27001",
        math.inf,
        "INVENTED",
        "2026-11-30",
    ]
    issues = raised(_wb([["t"], ["x"], META, HEAD, row]), "w.xlsx")
    assert issues[0].field == "questions[0].answer" and issues[0].line == 5


def test_answer_file_type_is_exported():
    assert AnswerFile.__name__ == "AnswerFile"


def test_workbook_numbers_in_text_cells(workbook):
    """A certificate number typed in the evidence cell is text; a number elsewhere gets the
    spreadsheet's advice, not YAML's."""
    raw = filled(workbook, {f"{SCW}:certifications.iso27001": ("certified", 12345, dt.date(2026, 11, 30))})
    (af,) = read_answers(raw, "rfi.xlsx")  # only the answered questionnaire
    assert af.file == "rfi.xlsx#operator-scaleway" and af.source == "rfi.xlsx"
    assert af.answers[0].evidence == "12345"
    row = [f"{SCW}:latency", SCW, 42, "{ttft_s: 1}", "INVENTED", "2026-11-30"]
    (i,) = raised(_wb([["t"], ["x"], META, HEAD, row]), "w.xlsx")
    assert (i.line, i.field) == (5, "questions[0].field")
    assert "enter it as text" in i.message and "YAML" not in i.message


def test_a_workbook_without_answers_is_still_listed_once_per_sheet(workbook, cat):
    sheets = read_answers(workbook, "rfi.xlsx")
    assert len(sheets) == 15 and all(not s.answers for s in sheets)
    c = fold_answers(cat, sheets)
    assert c.issues == () and c.answer_uses == () and c.digests["rfi.xlsx"]


def test_every_answer_file_read_is_an_input_with_its_digest(cat):
    bad = b"kind: shortlist-rfi-answers\nvendor: nobody\n"
    c = fold(cat, ("bad.yaml", bad), ("m.yaml", MISTRAL.read_bytes()))
    assert c.digests["bad.yaml"] == answers_mod.hashlib.sha256(bad).hexdigest()
    assert c.digests["m.yaml"] == answers_mod.hashlib.sha256(MISTRAL.read_bytes()).hexdigest()
    assert {"bad.yaml", "m.yaml"}.isdisjoint(c.files)  # not vendor files


def test_a_search_that_found_none_is_a_fact_an_answer_meets(cat, tmp_path):
    """OVHcloud's SecNumCloud is recorded as none_found: a "certified" answer replaces it
    when it is ungraded, and loses the conflict when it rests on primary evidence."""
    field = "certifications.secnumcloud"
    assert cat.get(OVHO).certifications.items["secnumcloud"].status == "none_found"
    yes = doc("operator-ovhcloud", q(OVHO, field, "certified"))
    (u,) = fold(cat, ("o.yaml", yes)).answer_uses
    assert (u.outcome, u.public, u.public_grade) == ("replaces", "none_found", "ungraded")
    (u,) = fold(cat, ("o.yaml", doc("operator-ovhcloud", q(OVHO, field, "none")))).answer_uses
    assert u.outcome == "confirms"
    strong = graded(tmp_path)
    c = fold(strong, ("o.yaml", yes))
    (u,) = c.answer_uses
    assert (u.outcome, u.public_grade) == ("public kept", "primary")
    assert c.get(OVHO).certifications.items["secnumcloud"].status == "none_found"


@pytest.mark.parametrize(("row", "refused"), [(1_048_576, False), (99_999_999, True)])
def test_a_sheet_lying_about_its_size_is_read_in_time(row, refused):
    """A stated dimension of A1:XFD1048576 and one far cell once had openpyxl pad a million
    rows of 16,384 cells (minutes); a row number past Excel's last is refused at once."""
    import time

    raw = _wb([["t"], ["x"], META, HEAD])
    sheet = zipfile.ZipFile(io.BytesIO(raw)).read("xl/worksheets/sheet1.xml")
    assert b'<dimension ref="A1:F4" />' in sheet
    far = sheet.replace(b'<dimension ref="A1:F4" />', b'<dimension ref="A1:XFD1048576" />').replace(
        b"</sheetData>",
        f'<row r="{row}"><c r="XFD{row}" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'.encode(),
    )
    bad = _replace_part(raw, "xl/worksheets/sheet1.xml", far)
    start = time.perf_counter()
    if refused:
        i = raised(bad, "w.xlsx")[0]
        assert (i.code, i.line) == ("answers.workbook", 1_048_577) and "past Excel's last row" in i.message
    else:
        (af,) = read_answers(bad, "w.xlsx")
        assert af.answers == ()
    assert time.perf_counter() - start < 10


def test_a_sheet_holds_no_more_text_than_an_answer_file():
    from engine.catalog.yamlio import MAX_BYTES

    row = [f"{SCW}:latency", SCW, "latency", "{ttft_s: 1}", "x" * 30_000, "2026-11-30"]
    i = raised(_wb([["t"], ["x"], META, HEAD] + [row] * (MAX_BYTES // 30_000 + 1)), "w.xlsx")[0]
    assert i.code == "answers.workbook" and "characters of text" in i.message
    assert i.line == 5 + MAX_BYTES // 30_000


def test_schema_problems_and_answer_problems_are_reported_together():
    raw = mutated('as_of: "2026-11-30"', 'as_of: "30.11.2026"').decode()
    raw = raw.replace("answer: claimed", "answer: maybe", 1).encode()  # the second question
    issues = raised(raw)
    got = {(i.code, i.field) for i in issues}
    assert got == {("schema.invalid", "questions[0].as_of"), ("answers.invalid", "questions[1].answer")}
    # a problem of the document's own fields too
    raw = raw.replace(b'vendor: "operator-scaleway"', b"vendor: Operator Scaleway")
    assert {i.field for i in raised(raw)} == {"vendor", "questions[0].as_of", "questions[1].answer"}


def test_buyer_region_only_for_what_the_buyer_runs(cat):
    """BUYER is within every residency rule: a channel's operator cannot answer it."""
    i = only_issue(fold(cat, ("x.yaml", doc("operator-scaleway", q(SCW, "processing_regions", "[BUYER]")))))
    assert (i.code, i.line, i.field) == ("answers.invalid", 8, "questions[0].answer")
    assert "run by Scaleway" in i.message
    ok = fold(cat, ("x.yaml", doc("operator-scaleway", q(SCW, "processing_regions", "[GLOBAL, FR]"))))
    assert ok.issues == () and ok.get(SCW).offering.processing_regions == ("GLOBAL", "FR")
    own = fold(
        cat, ("x.yaml", doc("mistral-ai", q("mistral-large-3-selfhosted", "processing_regions", "[BUYER]")))
    )
    assert own.issues == ()


def test_a_formula_in_any_column_read_is_refused_whole(workbook):
    iso = f"{SCW}:certifications.iso27001"
    link = '=HYPERLINK("http://evil.example","x")'
    for answer, evidence, as_of, key in [
        ("certified", link, "2026-11-30", "evidence"),  # never evidence text
        (link, "INVENTED TEST DATA", "2026-11-30", "answer"),  # shown whole, not cut at its comma
        ("certified", "INVENTED TEST DATA", "=TODAY()", "as_of"),
    ]:
        (i,) = raised(filled(workbook, {iso: (answer, evidence, as_of)}), "rfi.xlsx")
        formula = {"answer": answer, "evidence": evidence, "as_of": as_of}[key]
        assert (i.code, i.file, i.line, i.field) == (
            "answers.formula",
            "rfi.xlsx#operator-scaleway",
            5,
            f"questions[0].{key}",
        )
        assert i.message == f"a formula, not a value: type the value (found {formula!r})"
    # a formula among other problems of the sheet: each reported once, as what it is
    raw = filled(workbook, {iso: ("certified", link, "30.11.2026")})
    codes = sorted((i.field, i.code) for i in raised(raw, "rfi.xlsx"))
    assert codes == [("questions[0].as_of", "schema.invalid"), ("questions[0].evidence", "answers.formula")]
    long = "=" + "A1&" * 300 + "A1"
    (i,) = raised(filled(workbook, {iso: ("certified", long, "2026-11-30")}), "rfi.xlsx")
    assert i.message.endswith(f"{long[:200]!r}…)")


def test_a_workbook_is_read_sheet_by_sheet(cat, workbook):
    raw = filled(workbook, yaml_answers(SCALEWAY))
    mistral = yaml_answers(MISTRAL)
    qid = next(iter(mistral))
    raw = filled(raw, {qid: (mistral[qid][0], EVIDENCE, "30.11.2026")}, sheet="mistral-ai")
    with pytest.raises(InputError):  # the strict reader still refuses the whole workbook
        read_answers_workbook(raw, "rfi.xlsx")
    sheets, problems = answers_mod.read_answer_sheets(raw, "rfi.xlsx")
    assert [s.file for s in sheets] == ["rfi.xlsx#operator-scaleway"]
    assert {i.file for i in problems} == {"rfi.xlsx#mistral-ai"}
    c = fold(cat, ("rfi.xlsx", raw))
    assert [f.file for f in c.answer_files] == ["rfi.xlsx#operator-scaleway"]  # the valid sheet used
    assert uses(c, SCW) and c.answer_problems == problems and set(problems) <= set(c.issues)
    assert answers_mod.not_used(c.answer_problems, {"rfi.xlsx"}) == {"rfi.xlsx": ("mistral-ai",)}
    # a whole file not used, and one that could not be read
    bad = fold(cat, ("x#y.yaml", b"kind: nope\n"))
    assert answers_mod.not_used(bad.answer_problems, {"x#y.yaml"}) == {"x#y.yaml": ()}

"""The RFI questionnaire (engine/reports/rfi.py, engine/catalog/questions.py, rfi_output.py): the
question catalog, which questions an offering gets, their order, and the three formats.

The vendor files and rank ranges here are INVENTED test data (tests/conftest.py
helpers), written to make one unknown, stale or aggregator fact at a time. Unless a
test says otherwise, the model maker operates its own channels (:func:`vendor_yaml`
here), so every question goes to the maker's questionnaire; the routing tests give
channels to other operators."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import re
from pathlib import Path

import openpyxl
import pytest

import engine
from engine.catalog.questions import CERTIFICATIONS, QUESTIONS, question_for
from engine.catalog.schema import CERTIFICATION_IDS
from engine.catalog.yamlio import load_yaml_bytes
from engine.reports.escape import CONTROLS
from engine.reports.rfi import Rfi, questionnaires
from engine.reports.rfi_output import TEMPLATE_KIND, rfi_markdown, rfi_xlsx, rfi_yaml, sheet_titles
from tests.conftest import CRITERIA, offering_yaml, priorities
from tests.conftest import vendor_yaml as _vendor_yaml

DAY = dt.date(2026, 11, 29)


def vendor_yaml(vid: str = "acme", offerings: str | None = None, **kw: str) -> str:
    """tests.conftest.vendor_yaml with the maker operating its own channels (operator
    ``<Vid> AI``, the vendor's name) unless an offering names another operator."""
    text = _vendor_yaml(vid, offerings, **kw)
    return text.replace("operator: {name: Op,", f"operator: {{name: {vid.title()} AI,")


EU_ONLY = {"id": "eu-processing", "field": "processing_regions", "op": "within", "value": ["EU"]}


def _no_regions(offering: str) -> str:
    return "\n".join(x for x in offering.splitlines() if "processing_regions" not in x) + "\n"


def _rank(
    vendors: Path, pr: engine.PrioritiesFile, day: dt.date = DAY
) -> tuple[engine.Ranking, engine.Catalog]:
    criteria = engine.load_criteria(CRITERIA)
    catalog = engine.load_catalog([vendors], currencies=criteria.currencies())
    assert not catalog.issues, catalog.issues
    return engine.rank(catalog, criteria, pr, on_date=day), catalog


def _pr(**over: object) -> engine.PrioritiesFile:
    base: dict[str, object] = {
        "weights": {"monthly_cost": 1, "capability": 2, "data_residency": 1},
        "allowed_regions": ["EU"],
        "requirements": [EU_ONLY],
    }
    base.update(over)
    return priorities(**base)


@pytest.fixture
def invented(write_vendors):
    """Invented vendor 'acme': a known leader, one with capability unknown, one whose
    processing regions are unknown (excluded on an evidence gap); 'beta' is all known."""
    acme = (
        offering_yaml("acme-known", capability=60)
        + offering_yaml("acme-nocap", capability=None, inp=0.5, out=1.0)
        + _no_regions(offering_yaml("acme-noregion", capability=55))
    )
    beta = offering_yaml("beta-api", capability=50)
    return write_vendors({"acme.yaml": vendor_yaml("acme", acme), "beta.yaml": vendor_yaml("beta", beta)})


def _ids(rfi: Rfi, vendor: str) -> list[str]:
    return [q.id for q in next(v for v in rfi.vendors if v.vendor_id == vendor).questions]


# --------------------------------------------------------------------------- the catalog


def test_catalog_has_a_question_for_every_certification_on_both_blocks():
    for cid in CERTIFICATION_IDS:
        for prefix in ("certifications", "vendor.certifications"):
            q = QUESTIONS[f"{prefix}.{cid}"]
            assert q.allowed == ("certified", "claimed", "none")
            assert CERTIFICATIONS[cid][0] in q.ask
    assert "certificate number" in QUESTIONS["certifications.iso27001"].evidence
    assert "expiry" in QUESTIONS["certifications.iso27001"].evidence


def test_catalog_entries_are_complete_and_keyed_by_their_field():
    for key, q in QUESTIONS.items():
        assert q.field == key
        assert q.ask.endswith("?") and q.answer_format and q.evidence
        for a in q.allowed:  # list validation in Excel: no comma, no quote
            assert "," not in a and '"' not in a
        assert len(",".join(q.allowed)) < 255


def test_capability_question_names_the_catalogs_metric(invented):
    ranking, catalog = _rank(invented, _pr())
    q = next(
        q for q in questionnaires(ranking, catalog, _pr()).vendors[0].questions if q.field == "capability"
    )
    assert "Artificial Analysis Intelligence Index v4.3" in q.spec.ask


def test_every_dated_fact_field_has_a_question(bundled):
    from engine.catalog.evidence import facts

    for ro in bundled.offerings:
        for f in facts(ro):
            question_for(f.field)  # KeyError would be a gap in the catalog
    assert question_for("residency") is QUESTIONS["processing_regions"]
    assert "ISO 3166-1" in QUESTIONS["processing_regions"].answer_format
    assert "seconds" in QUESTIONS["latency"].answer_format
    with pytest.raises(KeyError):
        question_for("no-such-field")


# --------------------------------------------------------------------------- gathering


def test_unknown_weighted_criterion_and_unknown_must_have_are_asked(invented):
    ranking, catalog = _rank(invented, _pr())
    rfi = questionnaires(ranking, catalog, _pr())
    ids = _ids(rfi, "acme")
    assert "acme-nocap:capability" in ids
    assert "acme-noregion:processing_regions" in ids
    assert not any(i.startswith("acme-known:") for i in ids)  # nothing unknown, stale or weak
    assert _ids(rfi, "beta") == []
    q = {q.id: q for q in rfi.vendors[0].questions}
    assert set(q["acme-noregion:processing_regions"].kinds) == {"criterion", "must-have"}  # weighted too
    assert any("eu-processing" in r for r in q["acme-noregion:processing_regions"].reasons)
    assert "capability weighs 50%" in q["acme-nocap:capability"].reasons[0]


def test_a_criterion_with_weight_zero_asks_nothing(invented):
    pr = _pr(weights={"monthly_cost": 1, "capability": 0, "data_residency": 1})
    ranking, catalog = _rank(invented, pr)
    assert "acme-nocap:capability" not in _ids(questionnaires(ranking, catalog, pr), "acme")


def test_gate_deciding_must_have_comes_first(invented):
    ranking, catalog = _rank(invented, _pr())
    rfi = questionnaires(ranking, catalog, _pr(), cut=1)
    first = rfi.vendors[0].questions[0]
    assert first.id == "acme-noregion:processing_regions"
    assert first.decides and first.impact == float("inf")
    assert rfi.ordered_by == "heuristic" and rfi.cut == 1


def test_question_that_cannot_reach_the_cut_is_listed_last(write_vendors):
    # invented: 'low' misses capability (weight 1 of 10) and is far behind two leaders
    offs = (
        offering_yaml("lead-a", capability=65, inp=0.1, out=0.1)
        + offering_yaml("lead-b", capability=64, inp=0.1, out=0.1)
        + offering_yaml("low", capability=None, inp=500, out=900, regions="[US]")
    )
    d = write_vendors({"v.yaml": vendor_yaml("v", offs)})
    pr = _pr(weights={"monthly_cost": 9, "capability": 1, "data_residency": 9}, requirements=[])
    ranking, catalog = _rank(d, pr)
    q = questionnaires(ranking, catalog, pr, cut=1).vendors[0].questions
    assert [x.id for x in q] == ["low:capability"]
    assert not q[0].decides
    # with the cut at 3 the offering is inside it: still nothing to gain across the cut
    assert not questionnaires(ranking, catalog, pr, cut=3).vendors[0].questions[0].decides


def test_wanted_certifications_not_certified_are_asked_on_the_right_block(write_vendors):
    certs = "certifications:\n  as_of: 2026-11-01\n  sources: [https://example.org/c]\n  items:\n    iso27001: {status: claimed}\n    soc2_type2: {status: certified}\n"
    d = write_vendors({"c.yaml": vendor_yaml("c", offering_yaml("c-api"), extra=certs)})
    pr = _pr(
        weights={"compliance": 1, "capability": 1},
        wanted_certifications=["iso27001", "soc2_type2", "c5"],
        requirements=[],
    )
    ranking, catalog = _rank(d, pr)
    ids = _ids(questionnaires(ranking, catalog, pr), "c")
    assert "vendor:vendor.certifications.iso27001" in ids  # claimed: a certificate would raise it
    assert "vendor:vendor.certifications.c5" in ids  # not recorded
    assert "vendor:vendor.certifications.soc2_type2" not in ids  # certified already


def test_self_hosted_offering_is_not_asked_for_the_buyers_own_facts(write_vendors):
    off = offering_yaml(
        "s-self",
        op_hq="BUYER",
        deployment="self-hosted",
        inp=None,
        out=None,
        open_weights="true",
        licence="Apache-2.0",
    )
    d = write_vendors({"s.yaml": vendor_yaml("s", off)})
    pr = _pr(
        weights={"compliance": 1, "monthly_cost": 1, "capability": 1},
        wanted_certifications=["iso27001"],
        requirements=[{"id": "iso", "field": "certifications", "op": "includes_all", "value": ["iso27001"]}],
    )
    ranking, catalog = _rank(d, pr)
    ids = _ids(questionnaires(ranking, catalog, pr), "s")
    assert not any("certifications" in i or i.endswith(":prices") for i in ids), ids


def test_stale_facts_are_asked_with_their_date(invented):
    ranking, catalog = _rank(invented, _pr(), day=dt.date(2028, 1, 1))
    rfi = questionnaires(ranking, catalog, _pr())
    q = {q.id: q for q in rfi.vendors[0].questions}
    assert "stale" in q["acme-known:prices"].kinds
    assert any("2026-11-01" in r and "limit 90 days" in r for r in q["acme-known:prices"].reasons)
    assert "stale" in q["acme-known:offering"].kinds


def test_aggregator_only_facts_are_asked(write_vendors):
    off = offering_yaml("g-api").replace(
        "    sources: [https://example.org/src]",
        "    evidence: aggregator\n    sources: [https://example.org/src]",
    )
    d = write_vendors({"g.yaml": vendor_yaml("g", off)})
    pr = _pr(requirements=[])
    ranking, catalog = _rank(d, pr)
    q = {q.id: q for q in questionnaires(ranking, catalog, pr).vendors[0].questions}
    assert "aggregator" in q["g-api:prices"].kinds
    assert "aggregator" in q["g-api:offering"].kinds
    assert q["g-api:prices"].impact > 0  # monthly cost rests on it


def test_vendor_level_fact_is_asked_once_for_all_offerings(write_vendors):
    offs = offering_yaml("f-a") + offering_yaml("f-b")
    d = write_vendors({"f.yaml": vendor_yaml("f", offs)})
    pr = _pr(weights={"transparency": 1, "capability": 1}, requirements=[])
    ranking, catalog = _rank(d, pr)
    qs = [q for q in questionnaires(ranking, catalog, pr).vendors[0].questions if q.field == "vendor.fmti"]
    assert len(qs) == 1 and qs[0].offering_ids == ("f-a", "f-b")
    # the reason is said once, for both offerings
    assert qs[0].reasons == ("f-a, f-b: transparency weighs 50% and is unknown, scored worst",)


def test_vendor_filter_and_unknown_vendor(invented):
    ranking, catalog = _rank(invented, _pr())
    rfi = questionnaires(ranking, catalog, _pr(), vendor="beta")
    assert [v.vendor_id for v in rfi.vendors] == ["beta"]
    with pytest.raises(KeyError):
        questionnaires(ranking, catalog, _pr(), vendor="nobody")


# --------------------------------------------------------------------------- rank ranges


@dataclasses.dataclass(frozen=True)
class FakeImpact:  # invented: the shape of engine.mcda.unknowns.UnknownImpact
    offering_id: str
    field: str
    kind: str
    rank_if_best: int | None
    rank_if_worst: int | None
    crosses_cut: bool


@dataclasses.dataclass(frozen=True)
class FakeRange:  # invented: the shape of engine.mcda.unknowns.RankRange
    offering_id: str
    rank: int | None
    best_rank: int | None
    worst_rank: int | None
    unknowns: tuple[FakeImpact, ...]


def test_rank_ranges_order_the_questions_and_decide_what_goes_last(invented):
    ranking, catalog = _rank(invented, _pr())
    impact = {
        "acme-nocap": FakeRange(
            "acme-nocap", 3, 1, 3, (FakeImpact("acme-nocap", "capability", "criterion", 1, 3, True),)
        ),
        "acme-noregion": FakeRange(
            "acme-noregion",
            None,
            2,
            None,
            (FakeImpact("acme-noregion", "eu-processing", "must-have", 2, None, False),),
        ),
    }
    rfi = questionnaires(ranking, catalog, _pr(), impact=impact)
    qs = rfi.vendors[0].questions
    assert rfi.ordered_by == "rank ranges"
    assert qs[0].id == "acme-nocap:capability" and qs[0].decides
    region = next(q for q in qs if q.id == "acme-noregion:processing_regions")
    # the rank range says a passing answer still ranks it outside the cut; the gate still moves
    assert region.decides


def test_rank_ranges_not_crossing_the_cut_go_last(invented):
    ranking, catalog = _rank(invented, _pr())
    impact = {
        "acme-nocap": FakeRange(
            "acme-nocap", 3, 3, 3, (FakeImpact("acme-nocap", "capability", "criterion", 3, 3, False),)
        )
    }
    qs = questionnaires(ranking, catalog, _pr(), impact=impact).vendors[0].questions
    assert qs[-1].id == "acme-nocap:capability" and not qs[-1].decides


# --------------------------------------------------------------------------- formats


@pytest.fixture
def rfi(invented) -> Rfi:
    ranking, catalog = _rank(invented, _pr(), day=dt.date(2027, 6, 1))
    return questionnaires(ranking, catalog, _pr())


def test_markdown_lists_offerings_and_questions(rfi):
    text = rfi_markdown(rfi, rfi.vendors[0])
    assert text.startswith("# Request for information: Acme AI (`acme`)")
    assert "| `acme-noregion` |" in text
    # the buyer's ranking stays the buyer's: no rank or exclusion is shown to the vendor
    assert "excluded (" not in text and not re.search(r"ranked [0-9]", text)
    assert "**Allowed values:**" not in text.split("### Q1.")[0]
    assert "**Evidence wanted:**" in text and "**Why it matters to this buyer:**" in text
    empty = rfi_markdown(rfi, rfi.vendors[1])
    assert "No open question" not in empty or "### Q" not in empty


def test_yaml_template_loads_strictly_and_has_empty_answers(rfi):
    for v in rfi.vendors:
        text = rfi_yaml(rfi, v)
        assert text.startswith("# Shortlist request for information: ANSWER TEMPLATE")
        doc = load_yaml_bytes(text.encode(), f"{v.vendor_id}.rfi.yaml").data
        assert doc["kind"] == TEMPLATE_KIND and doc["template"] is True and doc["vendor"] == v.vendor_id
        assert len(doc["questions"]) == len(v.questions)
        for q, item in zip(v.questions, doc["questions"], strict=True):
            assert item["id"] == q.id and item["question"] == q.spec.ask and item["why"] == list(q.reasons)
            assert item["answer"] is None and item["evidence"] is None and item["as_of"] is None
            assert item["allowed"] == list(q.spec.allowed)


def test_workbook_one_sheet_per_vendor_with_list_validation(rfi, tmp_path):
    data = rfi_xlsx(rfi, "test")
    assert data == rfi_xlsx(rfi, "test")  # deterministic
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["acme", "beta"]
    ws = wb["acme"]
    header = [c.value for c in ws[4]]
    assert header[:3] == ["question_id", "offerings", "field"] and header[-3:] == [
        "answer",
        "evidence",
        "as_of",
    ]
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    rows = {ws.cell(row=r, column=1).value: r for r in range(5, ws.max_row + 1)}
    assert rows
    # every question with allowed values has its answer cell in a list validation
    enumerated = [q for q in rfi.vendors[0].questions if q.spec.allowed]
    for q in enumerated:
        cell = f"J{rows[q.id]}"
        assert any(cell in dv.sqref for dv in lists), q.id
    assert any(dv.type == "date" for dv in ws.data_validations.dataValidation)


def test_sheet_titles_are_cut_and_unique():
    long = "a" * 40
    titles = sheet_titles([long, long[:35], "b"])
    assert titles[0] == "a" * 31 and titles[1] == "a" * 29 + "~2" and titles[2] == "b"
    assert all(len(t) <= 31 for t in titles)


# --------------------------------------------------------------------------- hostile text

LIVE_MARKDOWN = [  # what a live construct looks like once rendered (an unescaped opener)
    re.compile(r"(?<!\\)\]\("),  # link or image
    re.compile(r"<(img|script|b)\b"),  # HTML
    re.compile(r"https?://e"),  # autolink literal
    re.compile(r"(?<!\\)\*\*b"),  # emphasis
    re.compile(r"@everyone"),  # mention
    re.compile(r"^\s*[-#] ?(forged|answer)", re.M),  # a heading or list item of its own
    re.compile(r"(?<![\\`])\| a \|"),  # a table cell boundary
]


def _no_live_markdown(text: str) -> None:
    for pattern in LIVE_MARKDOWN:
        assert not pattern.search(text), pattern.pattern


HOSTILE_NAME = '=HYPERLINK("http://e","x") [x](http://e) <img src=x> **b** | a | @everyone'
CONTROL = "evil\x1b]0;pwned\x07 \u202eabc\r\n# forged: heading\n- answer: certified"


def _hostile_rfi(rfi: Rfi, text: str) -> Rfi:
    vendors = tuple(
        dataclasses.replace(
            v,
            vendor_name=text,
            offerings=tuple(dataclasses.replace(o, label=text) for o in v.offerings),
            questions=tuple(dataclasses.replace(q, reasons=(*q.reasons, text)) for q in v.questions),
        )
        for v in rfi.vendors
    )
    return dataclasses.replace(rfi, vendors=vendors, priorities_name=text)


@pytest.mark.parametrize("text", [HOSTILE_NAME, CONTROL, 'a"b\\c: {x} & *y #z', "\ufeff\u2028\x85\x7f"])
def test_hostile_text_reaches_no_format_unescaped(rfi, text):
    bad = _hostile_rfi(rfi, text)
    v = bad.vendors[0]
    md = rfi_markdown(bad, v)
    _no_live_markdown(md)
    assert "\n# forged" not in md and "\n- answer" not in md
    assert not CONTROLS.search(md.replace("\n", ""))
    y = rfi_yaml(bad, v)
    assert not CONTROLS.search(y.replace("\n", ""))
    doc = load_yaml_bytes(y.encode(), "t.yaml").data  # loads back to exactly the text
    assert doc["vendor_name"] == text and doc["priorities"] == text
    assert all(item["why"][-1] == text for item in doc["questions"])
    wb = openpyxl.load_workbook(io.BytesIO(rfi_xlsx(bad, "t")))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str):
                    assert not c.value.startswith(("=", "+", "-", "@")), c.value
                    assert c.data_type == "s"


def test_hostile_names_through_loaded_files(write_vendors):
    offs = offering_yaml("h-a", capability=None).replace(
        "model: Model h-a", f"model: {json.dumps(HOSTILE_NAME)}"
    )
    text = vendor_yaml("h", offs).replace("name: H AI", f"name: {json.dumps(HOSTILE_NAME)}")
    d = write_vendors({"h.yaml": text})
    pr = _pr(
        requirements=[{**EU_ONLY, "message": "[m](http://e) **x** | y"}], name="<b>bank</b> [p](http://e)"
    )
    ranking, catalog = _rank(d, pr)
    rfi = questionnaires(ranking, catalog, pr)
    md = rfi_markdown(rfi, rfi.vendors[0])
    _no_live_markdown(md)
    assert load_yaml_bytes(rfi_yaml(rfi, rfi.vendors[0]).encode(), "t").data["vendor_name"] == HOSTILE_NAME
    ws = openpyxl.load_workbook(io.BytesIO(rfi_xlsx(rfi, "t")))["h"]
    assert ws["A1"].value.startswith("Request for information: =HYPERLINK") and ws["A1"].data_type == "s"


def test_a_must_have_failing_on_a_fact_found_nowhere_is_a_deciding_question(write_vendors):
    """Invented vendor 'gamma': ISO 27001 looked up and not found (none_found), so the
    ISO 27001 must-have fails; a sourced answer can turn it, so the question decides the
    gate and is listed first, never under "cannot change"."""
    extra = (
        "certifications:\n  as_of: 2026-11-01\n  sources: [https://example.org/gamma-trust]\n"
        "  items:\n    iso27001: {status: none_found}\n"
    )
    vendors = write_vendors(
        {"gamma.yaml": vendor_yaml("gamma", offering_yaml("gamma-api", capability=50), extra=extra)}
    )
    iso = {
        "id": "iso",
        "field": "certifications",
        "op": "includes_all",
        "value": ["iso27001"],
        "min_evidence": "claimed",
    }
    pr = _pr(requirements=[EU_ONLY, iso])
    ranking, catalog = _rank(vendors, pr)
    assert ranking.row("gamma-api").exclusion == "fails"
    rfi = questionnaires(ranking, catalog, pr, cut=3)
    (gamma,) = [v for v in rfi.vendors if v.vendor_id == "gamma"]
    first = gamma.questions[0]
    assert first.field.endswith("iso27001") and first.decides
    assert "must-have" in first.kinds and any("none found" in r for r in first.reasons)


# --------------------------------------------------------------------------- who is asked

OWN_CERTS = (
    "    certifications:\n      as_of: 2026-11-01\n      sources: [https://example.org/trust]\n"
    "      items:\n        soc2_type2: {status: claimed}\n"
)


def _off(
    oid: str,
    *,
    model: str | None = None,
    api: str | None = None,
    operator: str | None = None,
    certs: bool = False,
    **kw: object,
) -> str:
    """An invented offering: ``model`` (default ``Model <oid>``), ``model_api_id``,
    the operator's name (default: the maker, see :func:`vendor_yaml`), its own
    certifications block."""
    text = offering_yaml(oid, **kw)  # type: ignore[arg-type]
    if model is not None:
        text = text.replace(f"model: Model {oid}", f"model: {json.dumps(model)}")
    if api is not None:
        text = text.replace("    channel:", f"    model_api_id: {api}\n    channel:")
    if operator is not None:
        text = text.replace("operator: {name: Op,", f"operator: {{name: {json.dumps(operator)},")
    if certs:
        text = text.replace(
            "    as_of: 2026-11-01\n    sources: [https://example.org/src]",
            OWN_CERTS.rstrip("\n") + "\n    as_of: 2026-11-01\n    sources: [https://example.org/src]",
        )
    return text


ROUTE_PR = {
    "weights": {"compliance": 1, "monthly_cost": 1, "capability": 2, "data_residency": 1},
    "wanted_certifications": ["iso27001"],
    "allowed_regions": ["EU"],
    "requirements": [EU_ONLY],
}


@pytest.fixture
def routed(write_vendors):
    """INVENTED: maker 'acme' (Acme AI) runs 'acme-api' itself; 'Cloud Co' runs
    'acme-cloud' (own certifications block, prices and regions unknown, capability
    unknown) and 'beta-cloud' of maker 'beta'; 'acme-self' is self-hosted."""
    acme = (
        _off("acme-api", model="Model A", inp=None, out=None)
        + _no_regions(
            _off(
                "acme-cloud",
                model="Model A",
                operator="Cloud Co",
                certs=True,
                capability=None,
                inp=None,
                out=None,
            )
        )
        + _off("acme-self", model="Model A", op_hq="BUYER", deployment="self-hosted", inp=None, out=None)
    )
    beta = _off("beta-cloud", operator="Cloud Co", certs=True, inp=None, out=None)
    return write_vendors({"acme.yaml": vendor_yaml("acme", acme), "beta.yaml": vendor_yaml("beta", beta)})


def _routed_rfi(vendors: Path) -> Rfi:
    pr = _pr(**ROUTE_PR)
    ranking, catalog = _rank(vendors, pr)
    return questionnaires(ranking, catalog, pr)


def test_channel_facts_go_to_the_operator_model_facts_to_the_maker(routed):
    rfi = _routed_rfi(routed)
    by = {v.vendor_id: v for v in rfi.vendors}
    assert sorted(by) == ["acme", "beta", "operator-cloud-co"]
    op = by["operator-cloud-co"]
    assert op.role == "operator" and op.vendor_name == "Cloud Co"
    assert sorted(o.offering_id for o in op.offerings) == ["acme-cloud", "beta-cloud"]  # across makers
    op_ids = {q.id for q in op.questions}
    for qid in (
        "acme-cloud:certifications.iso27001",
        "acme-cloud:processing_regions",
        "acme-cloud:prices",
        "beta-cloud:certifications.iso27001",
        "beta-cloud:prices",
    ):
        assert qid in op_ids, op_ids
    assert not any(
        q.field in {"capability", "openness"} or q.field.startswith("vendor") for q in op.questions
    )
    # the maker keeps its own channel and the model facts, never Cloud Co's channel facts
    acme = by["acme"]
    assert all(
        "acme-cloud" not in q.offering_ids or q.field in {"capability", "openness"} for q in acme.questions
    ), [q.id for q in acme.questions]
    assert "acme-api:prices" in {q.id for q in acme.questions}
    assert any(q.field == "capability" and "acme-cloud" in q.offering_ids for q in acme.questions)
    # the self-hosted offering: no operator questionnaire, no buyer fact asked
    assert not any("acme-self" in o.offering_id for o in op.offerings)
    assert not any(
        i.startswith("acme-self:") and ("prices" in i or "certif" in i)
        for i in op_ids | {q.id for q in acme.questions}
    )


def test_maker_operated_channel_with_its_own_block_stays_with_the_maker(write_vendors):
    """INVENTED: the maker runs the channel under its own name (spacing and case
    differ) with its own certifications block: it is the one to answer."""
    off = _off("m-api", operator="ACME   ai", certs=True, inp=None, out=None)
    rfi = _routed_rfi(write_vendors({"acme.yaml": vendor_yaml("acme", off)}))
    assert [v.vendor_id for v in rfi.vendors] == ["acme"]
    assert {"m-api:certifications.iso27001", "m-api:prices"} <= {q.id for q in rfi.vendors[0].questions}


@pytest.mark.parametrize(
    ("names", "ids"),
    [
        (["OVHcloud"], ["operator-ovhcloud"]),
        (["Ünïcode Cloud GmbH"], ["operator-unicode-cloud-gmbh"]),
        (["東京クラウド"], ["operator"]),
        (["Cloud Co", "Cloud-Co."], ["operator-cloud-co", "operator-cloud-co-2"]),
        (["a/b\\c <x> ../.. ‐ é"], ["operator-a-b-c-x-e"]),
        (["!!!", "???"], ["operator", "operator-2"]),
    ],
)
def test_operator_ids_are_ascii_slugs_made_unique(write_vendors, names, ids):
    offs = "".join(_off(f"acme-{k}", operator=n, inp=None, out=None) for k, n in enumerate(names))
    vendors = write_vendors({"acme.yaml": vendor_yaml("acme", offs)})
    rfi = _routed_rfi(vendors)
    got = sorted(v.vendor_id for v in rfi.vendors if v.role == "operator")
    assert got == sorted(ids)
    for v in rfi.vendors:
        assert re.fullmatch(r"[a-z0-9-]+", v.vendor_id)
        assert len({q.id for q in v.questions}) == len(v.questions)
        load_yaml_bytes(rfi_yaml(rfi, v).encode(), "t")
    wb = openpyxl.load_workbook(io.BytesIO(rfi_xlsx(rfi, "t")))
    assert len(set(wb.sheetnames)) == len(rfi.vendors)


def test_operator_id_never_takes_a_vendor_id(write_vendors):
    """INVENTED: a vendor file already has the id an operator's slug would give."""
    vendors = write_vendors(
        {
            "acme.yaml": vendor_yaml("acme", _off("acme-api", operator="Cloud Co", inp=None, out=None)),
            "operator-cloud-co.yaml": vendor_yaml("operator-cloud-co", _off("occ-api")),
        }
    )
    ids = [v.vendor_id for v in _routed_rfi(vendors).vendors]
    assert ids == ["acme", "operator-cloud-co", "operator-cloud-co-2"]


def test_operator_filter(routed):
    pr = _pr(**ROUTE_PR)
    ranking, catalog = _rank(routed, pr)
    rfi = questionnaires(ranking, catalog, pr, vendor="operator-cloud-co")
    assert [v.vendor_id for v in rfi.vendors] == ["operator-cloud-co"]
    assert "operator of the channels below" in rfi_markdown(rfi, rfi.vendors[0])
    with pytest.raises(KeyError):
        questionnaires(ranking, catalog, pr, vendor="operator-nobody")


# --------------------------------------------------------------------------- once per model


def test_a_model_fact_is_asked_once_per_model_across_channels(write_vendors):
    """INVENTED: 'Model X' on three channels (one run by another company) and on a
    fourth under the same model_api_id but another name; 'Model Y' alone; capability
    unknown everywhere."""
    offs = (
        _off("x-api", model="Model X", api="x-1", capability=None)
        + _off("x-eu", model="Model X", api="x-1", capability=None, inp=3, out=6)
        + _off("x-cloud", model="Model X", api="x-1", operator="Cloud Co", capability=None)
        + _off("x-alias", model="Model X (2026)", api="x-1", capability=None)
        + _off("y-api", model="Model Y", capability=None)
        + _off("y-eu", model="model  Y", capability=None)  # same name, spacing and case aside
        + _off("z-api", model="Model Y", api="z-1", capability=None)  # its own model_api_id
    )
    vendors = write_vendors({"acme.yaml": vendor_yaml("acme", offs)})
    pr = _pr(weights={"capability": 1, "monthly_cost": 1}, requirements=[])
    ranking, catalog = _rank(vendors, pr)
    rfi = questionnaires(ranking, catalog, pr)
    acme = next(v for v in rfi.vendors if v.vendor_id == "acme")
    cap = [q for q in acme.questions if q.field == "capability"]
    groups = sorted(sorted(q.offering_ids) for q in cap)
    assert groups == [["x-alias", "x-api", "x-cloud", "x-eu"], ["y-api", "y-eu"], ["z-api"]]
    assert len({q.id for q in acme.questions}) == len(acme.questions)
    # no capability question goes to the operator
    op = next(v for v in rfi.vendors if v.vendor_id == "operator-cloud-co")
    assert not any(q.field == "capability" for q in op.questions)
    # a grouped question takes the strongest impact of its members, not their sum
    single = 100 * ranking.weights["capability"]
    for q in cap:
        assert q.impact == pytest.approx(single)
    for q in cap:
        assert len(q.reasons) == 1 and q.reasons[0].startswith(", ".join(q.offering_ids))
    # the template loads, each question once
    doc = load_yaml_bytes(rfi_yaml(rfi, acme).encode(), "t").data
    assert [q["id"] for q in doc["questions"]] == [q.id for q in acme.questions]
    assert any(len(q["offerings"]) == 4 for q in doc["questions"])


def test_grouped_model_question_with_rank_ranges_takes_its_strongest_member(write_vendors):
    """INVENTED rank ranges: of two channels of one model, only one's unknown capability
    crosses the cut; the one question for both is a deciding one."""
    offs = _off("x-api", model="Model X", capability=None) + _off("x-eu", model="Model X", capability=None)
    vendors = write_vendors({"acme.yaml": vendor_yaml("acme", offs)})
    pr = _pr(weights={"capability": 1, "monthly_cost": 1}, requirements=[])
    ranking, catalog = _rank(vendors, pr)
    impact = {
        "x-api": FakeRange("x-api", 1, 1, 2, (FakeImpact("x-api", "capability", "criterion", 1, 2, False),)),
        "x-eu": FakeRange("x-eu", 2, 1, 2, (FakeImpact("x-eu", "capability", "criterion", 1, 2, True),)),
    }
    rfi = questionnaires(ranking, catalog, pr, cut=1, impact=impact)
    (q,) = [q for q in rfi.vendors[0].questions if q.field == "capability"]
    assert sorted(q.offering_ids) == ["x-api", "x-eu"] and q.decides

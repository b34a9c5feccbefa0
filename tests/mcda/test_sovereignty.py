"""The sovereignty arithmetic (SEAL minimum, gaps, score) and the derivation rules.

The small framework built here is invented for the tests (two objectives, three
criteria); the over-100 % and per-objective weight checks use the bundled EU Cloud
Sovereignty Framework file, whose figures are the framework's own (100.0756 % with the
guidance weights: ArcKit PR #797).
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

import engine
from engine.catalog.loading import ResolvedOffering
from engine.catalog.schema import RequirementSpec
from engine.catalog.sovereignty import FrameworkFile, RulesFile, Sovereignty, load_sovereignty
from engine.mcda.scoring import sovereignty_floors
from engine.mcda.sovereignty import Answer, assess, assessment_for, derive, gate, pick, score, summary
from tests.conftest import CRITERIA, ROOT, VENDORS, priorities

ANSWERS = ROOT / "tests" / "fixtures" / "answers"


def _framework(**over: Any) -> FrameworkFile:
    data: dict[str, Any] = {
        "schema_version": 1,
        "id": "toy",
        "name": "Toy framework (test data, invented)",
        "version": "0",
        "publisher": "tests",
        "as_of": "2026-01-01",
        "sources": ["https://example.org/toy"],
        "nominal_points": 1000,
        "seal_levels": [{"level": i, "name": f"level {i}"} for i in range(5)],
        "weight_sets": [
            {
                "id": "even",
                "label": "even",
                "as_of": "2026-01-01",
                "sources": ["https://example.org/toy"],
                "weights": {"SOV-1": 50, "SOV-2": 50},
            }
        ],
        "default_weight_set": "even",
        "objectives": [
            {
                "id": "SOV-1",
                "name": "one",
                "criteria": [
                    {
                        "id": "SOV-1.1",
                        "question": "a",
                        "options": [
                            {"value": 0, "seal": 1, "label": "low"},
                            {"value": 500, "seal": 4, "label": "high"},
                        ],
                    },
                    {
                        "id": "SOV-1.2",
                        "question": "b",
                        "options": [
                            {"value": 0, "seal": 0, "label": "low"},
                            {"value": 250, "seal": 3, "label": "mid"},
                            {"value": 500, "seal": 4, "label": "high"},
                        ],
                    },
                ],
            },
            {
                "id": "SOV-2",
                "name": "two",
                "criteria": [
                    {
                        "id": "SOV-2.1",
                        "question": "inert: every option SEAL-4",
                        "options": [
                            {"value": 0, "seal": 4, "label": "low"},
                            {"value": 1000, "seal": 4, "label": "high"},
                        ],
                    }
                ],
            },
        ],
    }
    data.update(over)
    return FrameworkFile.model_validate(data)


def _answer(fw: FrameworkFile, cid: str, option: int) -> Answer:
    o = fw.criterion(cid).options[option - 1]
    return Answer(cid, option, float(o.value), o.seal, o.label, None, "test answer")


@pytest.fixture(scope="module")
def eucsf() -> Sovereignty:
    return load_sovereignty(CRITERIA)["eucsf-1.2.1"]


# --------------------------------------------------------------------------- arithmetic


def test_the_overall_seal_is_the_lowest_answered_and_names_its_criterion():
    fw = _framework()
    a = assess(fw, [_answer(fw, "SOV-1.1", 2), _answer(fw, "SOV-1.2", 2), _answer(fw, "SOV-2.1", 1)])
    assert (a.seal, a.governing) == (3, "SOV-1.2")
    assert [(o.id, o.seal, o.governing) for o in a.objectives] == [
        ("SOV-1", 3, "SOV-1.2"),
        ("SOV-2", 4, "SOV-2.1"),
    ]
    a = assess(fw, [_answer(fw, "SOV-1.1", 1), _answer(fw, "SOV-1.2", 1)])
    assert (a.seal, a.governing) == (0, "SOV-1.2")  # a minimum, never an average (which would be 0.5)


def test_equal_seals_are_governed_by_the_first_criterion_in_framework_order():
    fw = _framework()
    a = assess(fw, [_answer(fw, "SOV-2.1", 2), _answer(fw, "SOV-1.2", 3), _answer(fw, "SOV-1.1", 2)])
    assert (a.seal, a.governing) == (4, "SOV-1.1")
    assert [x.criterion for x in a.answers] == ["SOV-1.1", "SOV-1.2", "SOV-2.1"]


def test_unanswered_criteria_are_gaps_not_zeros():
    fw = _framework()
    a = assess(fw, [_answer(fw, "SOV-1.1", 2)])
    # SOV-1.2 unanswered: its SEAL-0 option does not make the objective SEAL-0
    assert (a.seal, a.objectives[0].seal) == (4, 4)
    assert a.gaps == ("SOV-1.2", "SOV-2.1") and a.objectives[1].seal is None
    assert a.score == pytest.approx(25.0)  # 500/1000 x 50, of 100: the gaps add no points
    assert a.score_max == pytest.approx(100.0)  # what the gaps leave open
    nothing = assess(fw, [])
    assert nothing.seal is None and nothing.governing is None and nothing.score == 0.0


def test_a_gap_leaves_a_gate_open_only_when_it_could_bind():
    fw = _framework()
    a = assess(fw, [_answer(fw, "SOV-1.1", 2)])
    g = gate(fw, a, 2, "SOV-1")
    assert g.outcome == "unknown" and g.open_gaps == ("SOV-1.2",) and "SOV-1.2" in g.reason
    # SOV-2.1 can only be SEAL-4 (guidance p.9: such a criterion never binds): its gap decides nothing
    g = gate(fw, a, 2, "SOV-2")
    assert g.outcome == "pass" and g.open_gaps == ()
    done = assess(fw, [_answer(fw, "SOV-1.1", 2), _answer(fw, "SOV-1.2", 2)])
    assert gate(fw, done, 3, "SOV-1").outcome == "pass"
    g = gate(fw, done, 4, "SOV-1")
    assert g.outcome == "fail" and g.governing == "SOV-1.2" and "SOV-1.2" in g.reason and "mid" in g.reason
    g = gate(fw, assess(fw, [_answer(fw, "SOV-1.1", 1)]), 2)  # the overall gate: every objective
    assert g.outcome == "fail" and g.objective is None and g.governing == "SOV-1.1"


def test_score_formula_and_no_clamping():
    assert score({"SOV-1": 500}, {"SOV-1": 20, "SOV-2": 80}) == pytest.approx(10.0)
    assert score({"SOV-1": 1000.03, "SOV-2": 1002}, {"SOV-1": 50, "SOV-2": 50}) == pytest.approx(100.1015)
    assert score({}, {"SOV-1": 0}) == 0.0


def _best(fw: FrameworkFile, objectives: set[str] | None = None) -> list[Answer]:
    return [
        _answer(fw, c.id, max(range(1, len(c.options) + 1), key=lambda i: c.options[i - 1].value))
        for o in fw.objectives
        if objectives is None or o.id in objectives
        for c in o.criteria
    ]


def test_a_perfect_response_scores_above_100_percent(eucsf: Sovereignty):
    fw = eucsf.framework
    a = assess(fw, _best(fw), "guidance-2026")
    assert round(a.score, 4) == 100.0756  # the calculator's rounded values, not clamped
    assert a.seal == 4 and a.gaps == ()
    assert round(assess(fw, _best(fw), "v1.2.1").score, 5) == 100.08045


@pytest.mark.parametrize(
    ("weight_set", "expected"),
    [
        (
            "guidance-2026",
            {
                "SOV-1": 20,
                "SOV-2": 10,
                "SOV-3": 10,
                "SOV-4": 15,
                "SOV-5": 10,
                "SOV-6": 15,
                "SOV-7": 15,
                "SOV-8": 5,
            },
        ),
        (
            "v1.2.1",
            {
                "SOV-1": 15,
                "SOV-2": 10,
                "SOV-3": 10,
                "SOV-4": 15,
                "SOV-5": 20,
                "SOV-6": 15,
                "SOV-7": 10,
                "SOV-8": 5,
            },
        ),
    ],
)
def test_each_objective_weighs_what_its_weight_set_says(
    eucsf: Sovereignty, weight_set: str, expected: dict[str, int]
):
    # the two sets are permutations of each other (both sum to 100): a sum check would not see a swap
    fw = eucsf.framework
    assert sum(expected.values()) == 100
    for oid, w in expected.items():
        a = assess(fw, _best(fw, {oid}), weight_set)
        best = sum(c.max_value for c in next(o for o in fw.objectives if o.id == oid).criteria)
        assert a.score == pytest.approx(w * best / 1000), oid
        assert round(a.score) == w, oid


def test_the_bundled_framework_has_the_calculators_shape(eucsf: Sovereignty):
    fw = eucsf.framework
    assert [len(o.criteria) for o in fw.objectives] == [8, 6, 5, 6, 7, 5, 7, 4]
    assert sum(len(c.options) for c in fw.criteria()) == 235
    assert [round(sum(c.max_value for c in o.criteria), 2) for o in fw.objectives] == [
        1000.03,
        1002.0,
        1000.0,
        1002.0,
        1001.0,
        1000.0,
        1001.0,
        1000.0,
    ]


# --------------------------------------------------------------------------- derivation


def _offering(bundled: engine.Catalog, oid: str) -> ResolvedOffering:
    return next(ro for ro in bundled.offerings if ro.id == oid)


def _variant(
    ro: ResolvedOffering, *, vendor: dict[str, Any] | None = None, **offering: Any
) -> ResolvedOffering:
    off = ro.offering
    if "operator_hq" in offering:
        offering["operator"] = off.operator.model_copy(update={"headquarters": offering.pop("operator_hq")})
    if "open_weights" in offering or "licence" in offering:
        o = off.openness
        assert o is not None
        upd = {k: offering.pop(k) for k in ("open_weights", "licence") if k in offering}
        offering["openness"] = o.model_copy(update=upd)
    return dataclasses.replace(
        ro, offering=off.model_copy(update=offering), vendor=ro.vendor.model_copy(update=vendor or {})
    )


def _answers(model: Sovereignty, ro: ResolvedOffering) -> dict[str, tuple[int, str | None]]:
    return {a.criterion: (a.option, a.rule) for a in derive(model, ro)}


def test_a_non_eea_operator_answers_entity_control_law_and_extraterritorial_exposure(eucsf, bundled):
    ro = _offering(bundled, "openai-gpt-6-astra-api")  # OpenAI, US, closed weights
    got = _answers(eucsf, ro)
    assert got["SOV-1.1"] == (2, "operator-outside-eea-control")
    assert got["SOV-2.1"] == (2, "operator-outside-eea-law")
    assert got["SOV-2.2"] == (3, "operator-outside-eea-extraterritorial")
    for hq in ("FR", "NO", "BUYER"):  # an EU/EEA operator, or the buyer: the facts leave the SEAL open
        other = _answers(eucsf, _variant(ro, operator_hq=hq))
        assert not {"SOV-1.1", "SOV-2.1", "SOV-2.2"} & set(other), hq
    assert not {"SOV-1.1", "SOV-2.1", "SOV-2.2"} & set(_answers(eucsf, _variant(ro, operator_hq=None)))


def test_processing_regions_outside_the_eea_answer_data_location(eucsf, bundled):
    ro = _offering(bundled, "openai-gpt-6-astra-api")
    assert "SOV-3.4" not in _answers(eucsf, ro)  # EU among its regions: fallback not in the catalog
    assert _answers(eucsf, _variant(ro, processing_regions=("US", "GLOBAL")))["SOV-3.4"] == (
        2,
        "processing-outside-eea",
    )
    assert "SOV-3.4" not in _answers(eucsf, _variant(ro, processing_regions=("DE",)))
    assert "SOV-3.4" not in _answers(eucsf, _variant(ro, processing_regions=("BUYER",)))
    assert "SOV-3.4" not in _answers(eucsf, _variant(ro, processing_regions=None))


def test_the_models_origin_and_openness_answer_ai_services_and_open_source(eucsf, bundled):
    ro = _offering(bundled, "openai-gpt-6-astra-api")
    got = _answers(eucsf, ro)
    assert got["SOV-3.5"] == (2, "closed-model-non-eu-developer")
    assert got["SOV-6.3"] == (1, "closed-weights-software")
    opened = _variant(ro, open_weights=True, licence="Apache-2.0")
    got = _answers(eucsf, opened)
    assert got["SOV-3.5"] == (3, "open-model-non-eu-developer") and "SOV-6.3" not in got
    assert "SOV-3.5" not in _answers(eucsf, _variant(ro, open_weights=True, licence="LicenseRef-Custom"))
    eu = _variant(ro, vendor={"headquarters": "FR"})
    assert "SOV-3.5" not in _answers(eucsf, eu)  # EU-led or EU-origin: the chips are not in the catalog


def test_each_answer_carries_the_facts_it_was_derived_from(eucsf, bundled):
    ro = _offering(bundled, "openai-gpt-6-astra-api")
    by = {a.criterion: a for a in derive(eucsf, ro)}
    (fact,) = by["SOV-1.1"].facts
    assert (
        fact.field == "offering" and fact.as_of == ro.offering.as_of and fact.sources == ro.offering.sources
    )
    fields = {f.field for f in by["SOV-3.5"].facts}
    assert "vendor" in fields and any(f.kind == "openness" for f in by["SOV-3.5"].facts)
    assert by["SOV-1.1"].seal == 1 and by["SOV-1.1"].value == pytest.approx(41.67)


def test_an_offerings_seal_changes_with_one_fact_and_the_output_names_the_criterion(eucsf, bundled):
    ro = _offering(bundled, "openai-gpt-6-astra-api")
    a = assessment_for(eucsf, ro)
    assert (a.seal, a.governing) == (1, "SOV-1.1")
    assert "governed by SOV-1.1" in summary(eucsf.framework, a)
    g = gate(eucsf.framework, a, 2, "SOV-1")
    assert g.outcome == "fail" and "SOV-1.1" in g.reason and ro.offering.sources[0] in g.reason
    moved = _variant(ro, operator_hq="DE")  # one fact: the operator's headquarters
    b = assessment_for(eucsf, moved)
    assert (b.seal, b.governing) == (2, "SOV-3.5")
    assert gate(eucsf.framework, b, 2, "SOV-1").outcome == "unknown"
    outside = _variant(moved, processing_regions=("US",))  # one more fact: the processing regions
    c = assessment_for(eucsf, outside)
    assert (c.seal, c.governing) == (0, "SOV-3.4")
    assert "SOV-3.4" in gate(eucsf.framework, c, 2, "SOV-3").reason


def test_no_rules_file_answers_nothing(eucsf, bundled):
    bare = Sovereignty(eucsf.framework, None, eucsf.files[:1])
    ro = _offering(bundled, "openai-gpt-6-astra-api")
    assert derive(bare, ro) == ()
    assert assessment_for(bare, ro).gaps == tuple(c.id for c in eucsf.framework.criteria())


def test_pick_chooses_the_framework_and_names_unknown_choices(eucsf):
    frameworks = {"eucsf-1.2.1": eucsf}
    assert pick(frameworks, None, None) == (eucsf, [])
    assert pick(frameworks, None, "v1.2.1") == (eucsf, [])
    chosen, issues = pick(frameworks, "eucsf-1.3", None)
    assert (
        chosen is None
        and issues[0].code == "priorities.unknown_framework"
        and "eucsf-1.2.1" in issues[0].message
    )
    chosen, issues = pick(frameworks, None, "guidance")
    assert (
        chosen is None
        and issues[0].code == "priorities.unknown_weight_set"
        and "guidance-2026" in issues[0].message
    )
    assert pick({}, None, None) == (None, [])


def _seal_spec(**over: Any) -> RequirementSpec:
    data: dict[str, Any] = {"id": "seal", "field": "seal.SOV-1", "op": "min", "value": 2, **over}
    return RequirementSpec.model_validate(data)


def test_a_seal_gate_with_min_grade_turns_on_the_governing_answers_evidence(eucsf, bundled):
    from engine.mcda.requirements import evaluate

    ro = _offering(bundled, "openai-gpt-6-astra-api")
    assert ro.offering.evidence is None  # the frozen profile records no grade
    judged = (eucsf.framework, assessment_for(eucsf, ro))
    assert evaluate(_seal_spec(), ro, {}, sovereignty=judged).outcome == "fail"
    res = evaluate(_seal_spec(min_grade="secondary"), ro, {}, sovereignty=judged)
    assert res.outcome == "unknown" and "SOV-1.1" in res.reason and "records no evidence grade" in res.reason
    graded = _variant(ro, evidence="primary")  # one fact's evidence: the offering profile, now primary
    judged = (eucsf.framework, assessment_for(eucsf, graded))
    res = evaluate(_seal_spec(min_grade="secondary"), graded, {}, sovereignty=judged)
    assert res.outcome == "fail" and "governed by SOV-1.1" in res.reason
    assert evaluate(_seal_spec(), ro, {}).outcome == "unknown"  # no framework loaded: unknown, never a pass


# --------------------------------------------------------------------------- the score as a criterion


def _everything_rules(fw: FrameworkFile, option: int) -> RulesFile:
    """Rules (invented test data) that answer every criterion with ``option`` for any offering."""
    return RulesFile.model_validate(
        {
            "schema_version": 1,
            "framework": fw.id,
            "rules": [
                {
                    "id": f"all-{c.id.lower().replace('.', '-')}",
                    "criterion": c.id,
                    "when": [
                        {
                            "fact": "deployment",
                            "op": "in",
                            "value": ["api", "cloud", "private-cloud", "self-hosted"],
                        }
                    ],
                    "answer": min(option, len(c.options)) if option > 0 else len(c.options),
                    "why": "test data: answers everything",
                }
                for c in fw.criteria()
            ],
        }
    )


def _sov_rank(bundled: engine.Catalog, criteria: engine.CriteriaCatalog, model: Sovereignty | None = None):
    crit = (
        criteria if model is None else dataclasses.replace(criteria, sovereignty={model.framework.id: model})
    )
    return engine.rank(bundled, crit, priorities(weights={"sovereignty": 1}))


def test_a_partial_score_is_unknown_not_a_value(eucsf, bundled, criteria):
    us, eu = "openai-gpt-6-astra-api", "mistral-large-4-api"
    r = _sov_rank(bundled, criteria)
    rows = {x.offering_id: x for x in r.rows}
    a_us, a_eu = rows[us].sovereignty, rows[eu].sovereignty
    assert a_us is not None and a_eu is not None
    assert a_us.answers and not a_us.known and a_us.score > a_eu.score == 0.0  # documented vs not
    assert a_us.score_max < a_eu.score_max  # ... and the derived answers lowered its upper bound
    for oid in (us, eu):
        cell = rows[oid].cells["sovereignty"]
        assert cell.value is None and cell.imputed and cell.utility == 0.0
        assert (cell.low, cell.high) == (rows[oid].sovereignty.score, rows[oid].sovereignty.score_max)
    # the better documented non-EU offering no longer ranks above the undocumented EU one
    assert rows[us].score == rows[eu].score


def test_a_one_answer_non_eu_offering_does_not_outrank_an_unanswered_eu_one():
    fw = _framework()
    none = assess(fw, [])
    one = assess(fw, [_answer(fw, "SOV-1.2", 2)])  # one middling answer, as a derivation rule gives
    assert one.score > none.score and not one.known and not none.known
    assert sovereignty_floors(["one", "none"], {"one": one, "none": none}) == {}  # overlapping: both unknown


def test_a_range_wholly_above_another_ranks_above_it():
    fw = _framework()
    high = assess(fw, [_answer(fw, "SOV-1.1", 2), _answer(fw, "SOV-2.1", 2)])  # 75 to 100
    low = assess(fw, [_answer(fw, "SOV-1.1", 1), _answer(fw, "SOV-2.1", 1)])  # 0 to 25
    mid = assess(fw, [_answer(fw, "SOV-1.1", 2)])  # 25 to 100: overlaps both
    full = assess(fw, [_answer(fw, "SOV-1.1", 1), _answer(fw, "SOV-1.2", 2), _answer(fw, "SOV-2.1", 1)])
    assert full.known and full.score == pytest.approx(12.5)
    got = sovereignty_floors(["high", "low", "mid"], {"high": high, "low": low, "mid": mid})
    assert got == {"high": (pytest.approx(75.0), "low")}
    # a known score is a range of one point: an unknown whose lower bound is above it ranks above it
    got = sovereignty_floors(["full", "mid"], {"full": full, "mid": mid})
    assert got == {"mid": (pytest.approx(25.0), "full")}
    assert sovereignty_floors(["full", "low"], {"full": full, "low": low}) == {}  # 0..25 holds 12.5


def test_a_fully_answered_offering_gets_its_exact_score(eucsf, bundled, criteria):
    best = Sovereignty(eucsf.framework, _everything_rules(eucsf.framework, 0), eucsf.files)
    r = _sov_rank(bundled, criteria, best)
    row = r.rows[0]
    assert row.sovereignty is not None and row.sovereignty.known
    cell = row.cells["sovereignty"]
    assert round(cell.value, 4) == 100.0756 and not cell.imputed  # the over-100 % perfect case, unclamped
    assert cell.utility == 1.0 and (cell.low, cell.high) == (None, None)
    worst = Sovereignty(eucsf.framework, _everything_rules(eucsf.framework, 1), eucsf.files)
    cell = _sov_rank(bundled, criteria, worst).rows[0].cells["sovereignty"]
    assert cell.value == 0.0 and not cell.imputed


def test_the_rank_range_of_an_unknown_score_reaches_its_upper_bound_only(eucsf, bundled, criteria):
    from engine.mcda.unknowns import ranges_of

    pr = priorities(weights={"sovereignty": 1, "capability": 1})
    r = engine.rank(bundled, criteria, pr)
    rr = ranges_of(r, pr)
    us = "openai-gpt-6-astra-api"
    (imp,) = [u for u in rr[us].unknowns if u.field == "sovereignty"]
    row = next(x for x in r.rows if x.offering_id == us)
    assert row.sovereignty is not None and row.sovereignty.score_max < 100
    assert imp.rank_if_best is not None and imp.rank_if_best >= 1


# ------------------------------------------------------------- assessments reused (issue 17, load)


def test_rank_assesses_each_offering_once(bundled, criteria, monkeypatch):
    """The gate and the ``sovereignty`` criterion share one assessment per offering (they
    were computed twice: 180 calls for 90 offerings, two thirds of a ranking's time)."""
    import engine.mcda.matrix as matrix
    import engine.mcda.scoring as scoring

    calls: list[str] = []
    real = scoring.assessment_for

    def counting(model, ro, *a, **kw):
        calls.append(ro.id)
        return real(model, ro, *a, **kw)

    monkeypatch.setattr(scoring, "assessment_for", counting)
    monkeypatch.setattr(matrix, "assessment_for", counting)
    r = _sov_rank(bundled, criteria)
    assert sorted(calls) == sorted(ro.id for ro in bundled.offerings)
    assert all(row.cells["sovereignty"].note for row in r.rows)  # the criterion's cells were filled


def test_reused_assessments_give_the_same_ranking_and_none_is_computed(bundled, criteria, monkeypatch):
    import engine.mcda.matrix as matrix
    import engine.mcda.scoring as scoring

    p = priorities(weights={"sovereignty": 2, "capability": 1}, sovereignty_weights="v1.2.1")
    given = engine.sovereignty_assessments(bundled, criteria, p)
    assert list(given) == [ro.id for ro in bundled.offerings]
    assert {a.weight_set for a in given.values()} == {"v1.2.1"}  # not the default set
    fresh = engine.rank(bundled, criteria, p)

    def never(*a, **kw):
        raise AssertionError("assessed again although the assessments were given")

    monkeypatch.setattr(scoring, "assessment_for", never)
    monkeypatch.setattr(matrix, "assessment_for", never)
    reused = engine.rank(bundled, criteria, p, assessments=given)
    assert engine.to_csv(reused) == engine.to_csv(fresh)
    assert reused.inputs_digest == fresh.inputs_digest
    assert [x.sovereignty for x in reused.rows] == [x.sovereignty for x in fresh.rows]


def test_assessments_for_another_catalog_or_weight_set_are_refused(bundled, criteria):
    p = priorities(weights={"sovereignty": 1})
    given = engine.sovereignty_assessments(bundled, criteria, p)
    assert given.made_for(bundled, criteria)
    first = next(iter(given))
    with pytest.raises(ValueError, match=r"must come from engine\.sovereignty_assessments, found dict"):
        engine.rank(bundled, criteria, p, assessments={k: v for k, v in given.items() if k != first})  # type: ignore[arg-type]
    again = engine.load_catalog([VENDORS])  # the same files loaded again: the same ids, maybe other facts
    with pytest.raises(ValueError, match="not for this catalog and criteria"):
        engine.rank(again, criteria, p, assessments=given)
    with pytest.raises(ValueError, match="not for this catalog and criteria"):
        engine.rank(bundled, engine.load_criteria(CRITERIA), p, assessments=given)
    other = priorities(weights={"sovereignty": 1}, sovereignty_weights="v1.2.1")
    with pytest.raises(ValueError, match=r"weights guidance-2026, not eucsf-1\.2\.1 weights v1\.2\.1"):
        engine.rank(bundled, criteria, other, assessments=given)


def test_assessments_made_before_the_answers_were_folded_in_are_refused(bundled, criteria):
    """The trial's case: the same offering ids, but a vendor's answer lowers a SEAL below
    the minimum; assessments made before the fold would rank an offering the fold excludes."""
    from engine.catalog.answers import read_and_fold

    fixture = ANSWERS / "operator-scaleway.sovereignty.yaml"
    folded = read_and_fold(
        bundled,
        [(str(fixture), fixture.read_bytes())],
        currencies=criteria.currencies(),
        frameworks=criteria.sovereignty,
    )
    p = priorities(weights={"sovereignty": 1})
    before = engine.sovereignty_assessments(bundled, criteria, p)
    assert [ro.id for ro in folded.offerings] == list(before)  # the same ids
    assert engine.sovereignty_assessments(folded, criteria, p) != dict(before)  # other assessments
    with pytest.raises(ValueError, match="another fold of the vendors' answers"):
        engine.rank(folded, criteria, p, assessments=before)
    mine = engine.sovereignty_assessments(folded, criteria, p)
    assert engine.to_csv(engine.rank(folded, criteria, p, assessments=mine)) == engine.to_csv(
        engine.rank(folded, criteria, p)
    )


def test_sovereignty_assessments_names_an_unknown_weight_set(bundled, criteria):
    with pytest.raises(engine.InputError) as exc:
        engine.sovereignty_assessments(bundled, criteria, priorities(sovereignty_weights="nope"))
    assert "nope" in str(exc.value)

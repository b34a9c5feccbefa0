"""Rank ranges over unknown facts (engine/mcda/unknowns.py).

The small catalogs here are INVENTED test data (made-up vendor and offerings), built so
the expected ranks can be computed by hand; the properties run on the frozen catalog.
"""

from __future__ import annotations

import math

import pytest

import engine
from engine.catalog.loading import load_priorities_doc
from engine.mcda.unknowns import RankRange, describe, range_sentence, rank_ranges
from tests.conftest import CRITERIA, offering_yaml, priorities, vendor_yaml

ZDR = "    zero_data_retention: {status: STATUS, as_of: 2026-11-01, sources: [https://example.org/zdr]}\n"
MUST = {"id": "zdr", "field": "zero_data_retention", "op": "in", "value": ["available"], "message": "ZDR"}


def _off(oid: str, cap: float | None, zdr: str | None) -> str:
    text = offering_yaml(oid, capability=cap)
    return text + (ZDR.replace("STATUS", zdr) if zdr else "")


@pytest.fixture
def invented(write_vendors):
    """Invented: capability 60, 40, 20 and unknown (x), all with ZDR; y (50) and z
    (unknown) with ZDR unknown; f (65) with ZDR none found (fails)."""
    offs = (
        _off("a", 60, "available")
        + _off("b", 40, "available")
        + _off("c", 20, "available")
        + _off("x", None, "available")
        + _off("y", 50, None)
        + _off("z", None, None)
        + _off("f", 65, "none_found")
    )
    return engine.load_catalog([write_vendors({"acme.yaml": vendor_yaml(offerings=offs)})])


def _p(**over: object) -> engine.PrioritiesFile:
    return priorities(**{"weights": {"capability": 1}, "requirements": [MUST], **over})


@pytest.mark.parametrize("method", ["weighted-sum", "weighted-product", "topsis"])
def test_hand_computed_ranges(invented, criteria, method):
    rr = rank_ranges(invented, criteria, _p(), method=method, cut=2)
    # ranked: a (60) 1, b (40) 2, c (20) 3, x (unknown: utility 0) 4
    assert rr["a"] == RankRange("a", 1, 1, 1, ())
    x = rr["x"]
    assert (x.rank, x.best_rank, x.worst_rank) == (4, 1, 4)  # capability at its best: utility 1 > a's
    (u,) = x.unknowns
    assert (u.field, u.kind, u.rank_if_best, u.rank_if_worst, u.crosses_cut) == (
        "capability",
        "criterion",
        1,
        4,
        True,
    )
    # y: out on unknown ZDR; passing, its capability 50 ranks it 2nd (a 60 ahead)
    y = rr["y"]
    assert (y.rank, y.best_rank, y.worst_rank) == (None, 2, None)
    assert [(v.field, v.kind, v.rank_if_best, v.rank_if_worst, v.crosses_cut) for v in y.unknowns] == [
        ("zdr", "must-have", 2, None, True)
    ]
    # z: out on unknown ZDR, capability unknown too; at best rank 1; ZDR passing alone: utility 0, ties x at 4
    z = rr["z"]
    assert (z.rank, z.best_rank, z.worst_rank) == (None, 1, None)
    assert [(v.field, v.rank_if_best, v.rank_if_worst, v.crosses_cut) for v in z.unknowns] == [
        ("capability", 1, 4, True),  # can cross the cut: listed first
        ("zdr", 4, None, False),  # passing alone leaves it 4th, below the top 2
    ]
    # f fails ZDR on a known fact: nothing brings it in, and it has no unknowns
    assert rr["f"] == RankRange("f", None, None, None, ())


def test_allowed_unknown_must_have_may_exclude(invented, criteria):
    p = _p(requirements=[{**MUST, "allow_unknown": True}])
    rr = rank_ranges(invented, criteria, p, cut=2)
    # ranked: a 60, y 50, b 40, c 20, x 0 and z 0 tied at 5
    y = rr["y"]
    assert (y.rank, y.best_rank, y.worst_rank) == (2, 2, None)
    assert [(v.field, v.rank_if_best, v.rank_if_worst, v.crosses_cut) for v in y.unknowns] == [
        ("zdr", 2, None, True)
    ]
    z = rr["z"]
    assert (z.rank, z.best_rank, z.worst_rank) == (5, 1, None)
    assert [(v.field, v.rank_if_best, v.rank_if_worst) for v in z.unknowns] == [
        ("capability", 1, 5),
        ("zdr", 5, None),
    ]
    assert not z.unknowns[1].crosses_cut  # rank 5 is below the cut either way
    assert "cannot cross the top-2 cut" in describe(z.unknowns[1], 2)
    assert range_sentence(z) == (
        "rank 5 today; 1 to 5 depending on the 2 unknowns below, or excluded if a must-have among them fails"
    )


def test_cut_defaults_to_robustness_top_k(invented, criteria):
    p = _p(robustness={"top_k": 4})
    rr = rank_ranges(invented, criteria, p)
    assert not rr["x"].unknowns[0].crosses_cut  # 4th is inside the top 4 today, and at best
    z = {u.field: u for u in rr["z"].unknowns}
    assert z["zdr"].crosses_cut  # ZDR passing: 4th, inside the top 4
    assert not z["capability"].crosses_cut  # given it gets in, 1st or 4th: inside either way
    assert [u.field for u in rr["z"].unknowns] == ["zdr", "capability"]


@pytest.mark.parametrize("method", ["weighted-sum", "weighted-product", "topsis"])
def test_best_answer_equals_a_full_re_ranking(write_vendors, criteria, method):
    """Answering x's capability at the best anchor (65) and ranking again gives the rank
    the analysis promised, under each method (two weighted criteria, so a real trade-off)."""

    def cat(cap):
        offs = (
            offering_yaml("a", capability=60, inp=5, out=20)
            + offering_yaml("b", capability=40, inp=0.5, out=1)
            + offering_yaml("c", capability=30, inp=0.1, out=0.2)
            + offering_yaml("x", capability=cap, inp=2, out=6)
        )
        return engine.load_catalog([write_vendors({"acme.yaml": vendor_yaml(offerings=offs)})])

    p = priorities(weights={"capability": 2, "monthly_cost": 1})
    rr = rank_ranges(cat(None), criteria, p, method=method)
    after = engine.rank(cat(65), criteria, p, method=method)
    assert rr["x"].unknowns[0].rank_if_best == after.row("x").rank == rr["x"].best_rank


def _key(r: int | None) -> float:
    return math.inf if r is None else r


@pytest.mark.parametrize("preset", ["regulated-eu-bank", "sovereign-public-admin", "cost-first-startup"])
def test_properties_on_the_frozen_catalog(bundled, criteria, preset):
    p, _ = load_priorities_doc(CRITERIA / "presets" / f"{preset}.yaml")
    ranking = engine.rank(bundled, criteria, p)
    rr = rank_ranges(bundled, criteria, p)
    assert list(rr) == [r.offering_id for r in ranking.rows]
    for oid, r in rr.items():
        assert r.rank == ranking.row(oid).rank
        assert _key(r.best_rank) <= _key(r.rank) <= _key(r.worst_rank)
        if not r.unknowns:
            assert r.best_rank == r.worst_rank == r.rank
        for u in r.unknowns:
            assert _key(r.best_rank) <= _key(u.rank_if_best) <= _key(u.rank_if_worst)
        crossing = [u.crosses_cut for u in r.unknowns]
        assert crossing == sorted(crossing, reverse=True)  # those that can cross the cut first
        row = ranking.row(oid)
        expected = {c for c, cell in row.cells.items() if cell.value is None and ranking.weights[c] > 0}
        expected |= {q.requirement_id for q in row.requirements if q.outcome == "unknown"}
        assert {u.field for u in r.unknowns} == expected


@pytest.mark.parametrize("method", ["weighted-sum", "weighted-product", "topsis"])
def test_a_passing_gap_equals_a_full_re_ranking(write_vendors, criteria, method):
    """Invented: y is out on an unknown ZDR; the rank the analysis gives it if ZDR passes
    is the rank a new ranking gives once its ZDR is known to be available (two weighted
    criteria, every method)."""

    def cat(y_zdr):
        offs = (
            _off("a", 60, "available")
            + _off("b", 40, "available")
            + _off("c", 25, "available")
            + offering_yaml("y", capability=45, inp=0.2, out=0.5)
            + (ZDR.replace("STATUS", y_zdr) if y_zdr else "")
        )
        return engine.load_catalog([write_vendors({"acme.yaml": vendor_yaml(offerings=offs)})])

    p = priorities(weights={"capability": 2, "monthly_cost": 1}, requirements=[MUST])
    rr = rank_ranges(cat(None), criteria, p, method=method)
    after = engine.rank(cat("available"), criteria, p, method=method)
    (u,) = rr["y"].unknowns
    assert u.kind == "must-have" and u.rank_if_best == after.row("y").rank == rr["y"].best_rank
    assert engine.rank(cat("none_found"), criteria, p, method=method).row("y").rank is None  # fails: out

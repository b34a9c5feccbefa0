"""Hypothesis properties of the additive value model (engine/mcda/scoring.py)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import engine
from engine.mcda.scoring import TIE_TOLERANCE
from tests.conftest import CRITERIA, offering_yaml, priorities, vendor_yaml

CRIT = engine.load_criteria(CRITERIA)
IDS = CRIT.ids()

price = st.floats(min_value=0, max_value=100, allow_nan=False)
cap = st.floats(min_value=0, max_value=80, allow_nan=False)
ctx = st.integers(min_value=1000, max_value=2_000_000)
region = st.sampled_from(["[EU]", "[US]", "[GLOBAL, EU]", "[BUYER]", "[CN]"])
openw = st.sampled_from(["true", "false"])
offering = st.tuples(price, price, cap, ctx, region, openw)
offerings = st.lists(offering, min_size=2, max_size=7)
weights = st.dictionaries(st.sampled_from(IDS), st.floats(min_value=0.01, max_value=50), min_size=1)


def catalog(specs: list[tuple]) -> engine.Catalog:
    body = "".join(
        offering_yaml(
            f"o{i}",
            inp=round(a, 4),
            out=round(b, 4),
            capability=round(c, 3),
            context=n,
            regions=r,
            open_weights=w,
            licence="MIT" if w == "true" else None,
        )
        for i, (a, b, c, n, r, w) in enumerate(specs)
    )
    cat = engine.load_catalog([], extra=[("acme.yaml", vendor_yaml(offerings=body).encode())])
    assert not cat.issues, cat.issues
    return cat


def scores(r: engine.Ranking) -> dict[str, float]:
    return {x.offering_id: x.score for x in r.ranked}


SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(offerings, weights, st.floats(min_value=0.001, max_value=1000))
def test_scaling_all_weights_changes_nothing(specs, w, k):
    cat = catalog(specs)
    a = engine.rank(cat, CRIT, priorities(), weights=w)
    b = engine.rank(cat, CRIT, priorities(), weights={c: v * k for c, v in w.items()})
    assert scores(a) == pytest.approx(scores(b), abs=1e-9)
    assert [x.offering_id for x in a.rows] == [x.offering_id for x in b.rows] or all(
        abs(scores(a)[x] - scores(b)[x]) < 1e-9 for x in scores(a)
    )


@SETTINGS
@given(offerings, weights, st.data())
def test_improving_one_criterion_never_lowers_the_score(specs, w, data):
    cat = catalog(specs)
    base = scores(engine.rank(cat, CRIT, priorities(), weights=w))
    i = data.draw(st.integers(0, len(specs) - 1))
    a, b, c, n, r, ow = specs[i]
    which = data.draw(st.sampled_from(["price", "capability", "context"]))
    better = list(specs)
    if which == "price":
        better[i] = (a * 0.5, b * 0.5, c, n, r, ow)
    elif which == "capability":
        better[i] = (a, b, c + 5, n, r, ow)
    else:
        better[i] = (a, b, c, n * 2, r, ow)
    after = scores(engine.rank(catalog(better), CRIT, priorities(), weights=w))
    assert after[f"o{i}"] >= base[f"o{i}"] - 1e-9


@SETTINGS
@given(offerings, weights, st.data())
def test_adding_or_removing_an_offering_never_reorders_the_others(specs, w, data):
    full = engine.rank(catalog(specs), CRIT, priorities(), weights=w)
    drop = data.draw(st.integers(0, len(specs) - 1))
    rest = [s for j, s in enumerate(specs) if j != drop]
    # ids shift when an item is removed: rename back to the original ids
    body = "".join(
        offering_yaml(
            f"o{j}",
            inp=round(s[0], 4),
            out=round(s[1], 4),
            capability=round(s[2], 3),
            context=s[3],
            regions=s[4],
            open_weights=s[5],
            licence="MIT" if s[5] == "true" else None,
        )
        for j, s in enumerate(specs)
        if j != drop
    )
    cat = engine.load_catalog([], extra=[("acme.yaml", vendor_yaml(offerings=body).encode())])
    part = engine.rank(cat, CRIT, priorities(), weights=w)
    assert len(rest) == len(part.ranked)
    full_scores = scores(full)
    for x in part.ranked:
        assert x.score == pytest.approx(full_scores[x.offering_id], abs=1e-9)
    order_full = [x.offering_id for x in full.ranked if x.offering_id != f"o{drop}"]
    assert order_full == [x.offering_id for x in part.ranked]


@SETTINGS
@given(offerings, weights)
@example(  # found by Hypothesis: normalised weights summing to 1 + 1e-16 gave 100.00000000000003
    [(0.0, 0.0, 0.0, 1000, "[EU]", "true"), (0.0, 0.0, 0.0, 1000, "[EU]", "true")],
    {"monthly_cost": 33.18009334246752, "data_residency": 3.66476859995991},
)
def test_ranks_are_consistent_with_scores(specs, w):
    r = engine.rank(catalog(specs), CRIT, priorities(), weights=w)
    rows = r.ranked
    for x in rows:
        assert 0.0 <= x.score <= 100.0
        assert x.score == pytest.approx(sum(c.contribution for c in x.cells.values()), abs=1e-9)
    for x in rows:
        for y in rows:
            if x.score / 100 > y.score / 100 + TIE_TOLERANCE:
                assert x.rank < y.rank
            if abs(x.score - y.score) / 100 <= TIE_TOLERANCE:
                assert x.rank == y.rank
    assert rows[0].rank == 1
    assert [x.rank for x in rows] == sorted(x.rank for x in rows)

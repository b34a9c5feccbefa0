"""Group decision maths (engine/mcda/group.py), pinned to worked examples."""

from __future__ import annotations

import math

import numpy as np
import pytest

from engine.mcda.elicitation import ahp_weights
from engine.mcda.group import (
    aggregate_judgements,
    aggregate_priorities,
    ahp_consensus,
    consensus_words,
    kendall_w,
    member_weights,
    weight_spread,
)


def _ahp(*pairs: float) -> list[list[float]]:
    """A 3×3 reciprocal matrix from its upper triangle (a12, a13, a23)."""
    a12, a13, a23 = pairs
    return [[1, a12, a13], [1 / a12, 1, a23], [1 / a13, 1 / a23, 1]]


def test_aij_is_the_elementwise_geometric_mean_and_stays_reciprocal():
    a, b = _ahp(3, 5, 2), _ahp(1 / 3, 1, 4)
    g = aggregate_judgements([a, b])
    assert g[0, 1] == pytest.approx(math.sqrt(3 * (1 / 3)))  # 1
    assert g[0, 2] == pytest.approx(math.sqrt(5 * 1))
    assert g[1, 2] == pytest.approx(math.sqrt(2 * 4))
    assert np.allclose(g * g.T, 1.0) and np.allclose(np.diag(g), 1.0)
    # the group's AHP weights are those of the aggregated matrix
    w = ahp_weights(["a", "b", "c"], g.tolist()).weights
    assert sum(w.values()) == pytest.approx(1.0)


def test_aij_member_weights_tilt_towards_the_heavier_member():
    a, b = _ahp(9, 9, 9), _ahp(1 / 9, 1 / 9, 1 / 9)
    assert aggregate_judgements([a, b])[0, 1] == pytest.approx(1.0)
    assert aggregate_judgements([a, b], [3, 1])[0, 1] == pytest.approx(9**0.5)  # 9^(3/4) / 9^(1/4)


def test_aip_arithmetic_and_geometric_means():
    w = [[0.5, 0.3, 0.2], [0.1, 0.6, 0.3]]
    assert aggregate_priorities(w) == pytest.approx([0.3, 0.45, 0.25])
    geo = np.sqrt([0.05, 0.18, 0.06])
    assert aggregate_priorities(w, mean="geometric") == pytest.approx(geo / geo.sum())
    # rows on any scale: 50/30/20 is 0.5/0.3/0.2
    assert aggregate_priorities([[50, 30, 20], [10, 60, 30]]) == pytest.approx([0.3, 0.45, 0.25])
    assert aggregate_priorities(w, [1, 0]) == pytest.approx([0.5, 0.3, 0.2])


@pytest.mark.parametrize(
    "bad",
    [[[0.5, -0.1]], [[math.nan, 1]], [[0, 0]], [1, 2, 3], [[math.inf, 1]]],
)
def test_aip_refuses_bad_vectors(bad):
    with pytest.raises(ValueError):
        aggregate_priorities(bad)


def test_member_weights_are_checked():
    assert member_weights(4) == pytest.approx([0.25] * 4)
    for bad in ([1, -1], [0, 0], [1, math.nan], [1]):
        with pytest.raises(ValueError):
            member_weights(2, bad)


def test_consensus_is_one_when_everyone_agrees():
    c = ahp_consensus([[0.6, 0.3, 0.1]] * 5)
    assert c.homogeneity == pytest.approx(1.0) and c.consensus == pytest.approx(1.0)
    assert c.words == "very high"


def test_consensus_is_zero_for_opposite_scale_extremes():
    # n = 2, M = 9: (0.9, 0.1) is the most extreme vector a 1–9 judgement gives;
    # two members at opposite extremes: H_alpha = H_alpha,min, so S* = 0 exactly
    c = ahp_consensus([[0.9, 0.1], [0.1, 0.9]])
    h = -(0.9 * math.log(0.9) + 0.1 * math.log(0.1))
    assert c.h_alpha == pytest.approx(h)
    assert c.h_gamma == pytest.approx(math.log(2))
    assert c.h_beta == pytest.approx(math.log(2) - h)
    assert c.homogeneity == pytest.approx((1 / math.exp(math.log(2) - h) - 0.5) / 0.5)
    assert c.consensus == pytest.approx(0.0, abs=1e-12)
    assert c.words == "very low"


def test_consensus_words_follow_goepels_scale():
    assert [consensus_words(x) for x in (0.5, 0.51, 0.625, 0.7, 0.75, 0.8, 0.875, 0.9)] == [
        "very low",
        "low",
        "low",
        "moderate",
        "moderate",
        "high",
        "high",
        "very high",
    ]


def test_kendall_w_extremes_and_a_worked_example():
    assert kendall_w([[3, 2, 1], [3, 2, 1], [3, 2, 1]]) == pytest.approx(1.0)
    assert kendall_w([[3, 2, 1], [1, 2, 3]]) == pytest.approx(0.0)
    # m = 3, n = 4, ranks (1 best): R = (1+2+1, 2+1+3, 3+3+2, 4+4+4) = (4, 6, 8, 12)
    # S = (4-7.5)^2 + (6-7.5)^2 + (8-7.5)^2 + (12-7.5)^2 = 35; W = 12·35 / (9·60) = 0.7778
    scores = [[4, 3, 2, 1], [3, 4, 2, 1], [4, 2, 3, 1]]
    assert kendall_w(scores) == pytest.approx(12 * 35 / (9 * 60))


def test_kendall_w_corrects_for_ties():
    # member 1 ties objects 2 and 3: T = 2^3 - 2 = 6; mid-ranks (1, 2.5, 2.5)
    # R = (1+1, 2.5+2, 2.5+3) = (2, 4.5, 5.5); S = (2-4)^2 + 0.5^2 + 1.5^2 = 6.5
    w = kendall_w([[3, 1, 1], [3, 2, 1]])
    assert w == pytest.approx(12 * 6.5 / (4 * 24 - 2 * 6))
    assert math.isnan(kendall_w([[1, 1], [2, 2]]))


def test_weight_spread_names_the_outlier():
    w = [[0.3, 0.7], [0.32, 0.68], [0.31, 0.69], [0.29, 0.71], [0.9, 0.1]]
    s = weight_spread(w, ["cost", "quality"])
    assert s[0].criterion == "cost" and s[0].outliers == (4,) and s[1].outliers == (4,)
    assert s[0].low == pytest.approx(0.29) and s[0].high == pytest.approx(0.9)
    assert s[0].range == pytest.approx(0.61)
    assert weight_spread([[0.5, 0.5]] * 3, ["a", "b"])[0].outliers == ()
    with pytest.raises(ValueError):
        weight_spread(w, ["only-one"])

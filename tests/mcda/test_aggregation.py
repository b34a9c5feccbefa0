"""Aggregation methods and competition ranks (engine/mcda/aggregation.py).

The weighted sum, the weighted product and TOPSIS are checked against an independent
implementation, pymcdm (a test-only oracle), on seeded random utility matrices.
"""

from __future__ import annotations

import numpy as np
import pytest
from pymcdm.helpers import rrankdata
from pymcdm.methods import TOPSIS, WPM, WSM
from scipy.stats import rankdata

from engine.mcda.aggregation import (
    METHODS,
    WPM_FLOOR,
    aggregate,
    competition_ranks,
    is_additive,
    linear_form,
)


def identity(x: np.ndarray, cost: bool) -> np.ndarray:
    """pymcdm normalisation that leaves a column as it is (utilities are already 0-1, 1 best)."""
    assert not cost
    return x


def random_problems(seed: int, count: int = 20, low: float = 0.0):
    """``count`` (utilities, weights) pairs: 5-40 offerings x 2-9 criteria, positive weights summing to 1."""
    rng = np.random.default_rng(seed)
    for _ in range(count):
        n, m = int(rng.integers(5, 41)), int(rng.integers(2, 10))
        U = rng.uniform(low, 1.0, size=(n, m))
        w = rng.dirichlet(np.ones(m))
        yield U, w


def oracle(method, U: np.ndarray, w: np.ndarray) -> np.ndarray:
    # validation=False: pymcdm's validator warns about dominated/dominant rows (an error
    # under filterwarnings=error) and those are legitimate here
    return method(normalization_function=identity)(U, w, np.ones(U.shape[1], dtype=int), validation=False)


def competition_reference(s: np.ndarray) -> np.ndarray:
    return rankdata(-s, method="min").astype(np.int64)


# --------------------------------------------------------------------------- against pymcdm


def test_weighted_sum_matches_pymcdm_wsm():
    for U, w in random_problems(1):
        ours = aggregate(U, w, "weighted-sum")
        ref = oracle(WSM, U, w)
        np.testing.assert_allclose(ours, ref, rtol=0, atol=1e-12)
        np.testing.assert_array_equal(competition_ranks(ours), competition_reference(ref))
        np.testing.assert_array_equal(rankdata(-ours, method="average"), rrankdata(ref))


def test_weighted_product_matches_pymcdm_wpm():
    # utilities >= 0.02 so the floor 0.01 never applies and both compute prod u^w
    for U, w in random_problems(2, low=0.02):
        ours = aggregate(U, w, "weighted-product")
        ref = oracle(WPM, U, w)
        np.testing.assert_allclose(ours, ref, rtol=1e-12, atol=0)
        np.testing.assert_array_equal(rankdata(-ours, method="average"), rrankdata(ref))
        # log-scores are monotone-equivalent: same order, linear in the weights
        np.testing.assert_allclose(np.log(ours), linear_form(U, "weighted-product") @ w, atol=1e-12)


def test_topsis_matches_pymcdm_with_the_anchor_points_added():
    # pymcdm takes the ideal/anti-ideal from the rows present; adding a row of ones and
    # a row of zeros makes them Shortlist's anchors (utility 1 and 0 everywhere)
    for U, w in random_problems(3):
        ours = aggregate(U, w, "topsis")
        augmented = np.vstack([U, np.ones(U.shape[1]), np.zeros(U.shape[1])])
        ref = oracle(TOPSIS, augmented, w)
        np.testing.assert_allclose(ours, ref[: U.shape[0]], rtol=0, atol=1e-9)
        assert ref[-2] == pytest.approx(1.0) and ref[-1] == pytest.approx(0.0)
        np.testing.assert_array_equal(rankdata(-ours, method="average"), rrankdata(ref[: U.shape[0]]))


def test_topsis_anchor_points_and_no_rank_reversal():
    rng = np.random.default_rng(4)
    U = rng.uniform(size=(8, 4))
    w = rng.dirichlet(np.ones(4))
    ends = aggregate(np.vstack([np.ones(4), np.zeros(4)]), w, "topsis")
    np.testing.assert_allclose(ends, [1.0, 0.0])
    # fixed anchors: an offering's score does not depend on which other offerings are present
    full = aggregate(U, w, "topsis")
    np.testing.assert_allclose(aggregate(U[:3], w, "topsis"), full[:3], atol=1e-15)
    np.testing.assert_allclose(aggregate(U[[5, 1]], w, "topsis"), full[[5, 1]], atol=1e-15)


def test_topsis_hand_computed():
    U = np.array([[0.6, 0.2]])
    w = np.array([0.75, 0.25])
    d_plus = np.sqrt(0.75**2 * 0.4**2 + 0.25**2 * 0.8**2)
    d_minus = np.sqrt(0.75**2 * 0.6**2 + 0.25**2 * 0.2**2)
    assert aggregate(U, w, "topsis")[0] == pytest.approx(d_minus / (d_plus + d_minus), abs=1e-15)


# --------------------------------------------------------------------------- weighted product floor


def test_weighted_product_floors_utilities_at_wpm_floor():
    w = np.array([0.5, 0.3, 0.2])
    U = np.array([[0.0, 0.8, 0.9], [0.005, 0.8, 0.9], [WPM_FLOOR, 0.8, 0.9], [0.02, 0.8, 0.9]])
    s = aggregate(U, w, "weighted-product")
    expected = WPM_FLOOR**0.5 * 0.8**0.3 * 0.9**0.2
    assert s[0] > 0  # a single 0 does not zero the product
    assert s[0] == pytest.approx(expected, rel=1e-12)
    assert s[1] == pytest.approx(expected, rel=1e-12)
    assert s[2] == pytest.approx(expected, rel=1e-12)
    assert s[3] > s[2]  # above the floor the utility counts again
    # the weakest criterion costs a factor 0.01 ** w_j, not everything
    assert s[0] / aggregate(np.array([[1.0, 0.8, 0.9]]), w, "weighted-product")[0] == pytest.approx(
        WPM_FLOOR**0.5
    )


def test_weighted_product_all_zero_row_scores_floor_not_zero():
    w = np.array([0.2, 0.8])
    assert aggregate(np.zeros((1, 2)), w, "weighted-product")[0] == pytest.approx(WPM_FLOOR)


# --------------------------------------------------------------------------- shapes and ranges


@pytest.mark.parametrize("method", METHODS)
def test_many_weight_vectors_at_once_equal_one_at_a_time(method):
    rng = np.random.default_rng(5)
    U = rng.uniform(size=(7, 4))
    W = rng.dirichlet(np.ones(4), size=6)
    S = aggregate(U, W, method)
    assert S.shape == (6, 7)
    for k in range(6):
        np.testing.assert_allclose(S[k], aggregate(U, W[k], method), atol=1e-15)
    assert np.all((S >= 0) & (S <= 1))


@pytest.mark.parametrize("method", METHODS)
def test_extreme_rows_and_single_criterion(method):
    w = np.array([0.3, 0.7])
    s = aggregate(np.array([[1.0, 1.0], [0.0, 0.0]]), w, method)
    assert s[0] == pytest.approx(1.0)
    assert s[1] == pytest.approx(WPM_FLOOR if method == "weighted-product" else 0.0)
    # a single criterion with weight 1: the score is the (floored) utility itself
    u = np.array([[0.25], [0.9]])
    np.testing.assert_allclose(aggregate(u, np.array([1.0]), method), [0.25, 0.9])


def test_weights_summing_to_one_plus_noise_stay_within_0_1():
    w = np.array([0.1] * 10)
    w[0] += 1e-15  # sum slightly above 1
    for method in METHODS:
        s = aggregate(np.ones((3, 10)), w, method)
        assert np.all(s <= 1.0) and np.all(s >= 0.0)


def test_unknown_method_is_a_value_error():
    with pytest.raises(ValueError, match="unknown aggregation method 'borda'"):
        aggregate(np.ones((2, 2)), np.array([0.5, 0.5]), "borda")


# --------------------------------------------------------------------------- linear form


def test_linear_form_and_is_additive():
    U = np.array([[0.0, 0.5], [1.0, 0.004]])
    w = np.array([0.4, 0.6])
    assert is_additive("weighted-sum") and is_additive("weighted-product")
    assert not is_additive("topsis") and not is_additive("borda")
    np.testing.assert_array_equal(linear_form(U, "weighted-sum"), U)
    A = linear_form(U, "weighted-product")
    np.testing.assert_allclose(A, np.log([[WPM_FLOOR, 0.5], [1.0, WPM_FLOOR]]))
    np.testing.assert_allclose(np.exp(A @ w), aggregate(U, w, "weighted-product"), rtol=1e-14)
    np.testing.assert_allclose(linear_form(U, "weighted-sum") @ w, aggregate(U, w, "weighted-sum"))


@pytest.mark.parametrize("method", ["topsis", "borda", ""])
def test_linear_form_refuses_non_linear_or_unknown_methods(method):
    with pytest.raises(ValueError, match="not linear in the weights"):
        linear_form(np.ones((2, 2)), method)


# --------------------------------------------------------------------------- competition ranks


def test_competition_ranks_share_the_better_rank():
    np.testing.assert_array_equal(competition_ranks(np.array([0.5, 0.5, 0.2])), [1, 1, 3])
    np.testing.assert_array_equal(competition_ranks(np.array([0.2, 0.9, 0.5, 0.9])), [4, 1, 3, 1])
    np.testing.assert_array_equal(competition_ranks(np.array([0.3, 0.3, 0.3])), [1, 1, 1])
    assert competition_ranks(np.array([0.4, 0.1])).dtype == np.int64


def test_competition_ranks_tolerance():
    # within 1e-9: shared rank; beyond it: separate ranks
    np.testing.assert_array_equal(competition_ranks(np.array([0.5, 0.5 - 5e-10, 0.1])), [1, 1, 3])
    np.testing.assert_array_equal(competition_ranks(np.array([0.5, 0.5 - 5e-9, 0.1])), [1, 2, 3])
    np.testing.assert_array_equal(competition_ranks(np.array([0.5, 0.5 - 5e-9]), tol=1e-8), [1, 1])


def test_competition_ranks_chain_near_ties():
    # each step is within the tolerance, the ends are not: the whole chain shares rank 1
    s = np.array([1.0, 1.0 - 0.6e-9, 1.0 - 1.2e-9, 1.0 - 1.8e-9, 0.5])
    np.testing.assert_array_equal(competition_ranks(s), [1, 1, 1, 1, 5])
    # shuffled input gives the same ranks per offering
    perm = np.array([3, 0, 4, 2, 1])
    np.testing.assert_array_equal(competition_ranks(s[perm]), competition_ranks(s)[perm])


def test_competition_ranks_rows_of_a_2d_input_are_ranked_independently():
    S = np.array([[0.1, 0.5, 0.5], [0.9, 0.2, 0.4], [0.3, 0.3, 0.3]])
    R = competition_ranks(S)
    assert R.shape == (3, 3)
    np.testing.assert_array_equal(R, [[3, 1, 1], [1, 3, 2], [1, 1, 1]])
    for k in range(3):
        np.testing.assert_array_equal(R[k], competition_ranks(S[k]))


def test_competition_ranks_empty_input():
    assert competition_ranks(np.array([])).shape == (0,)
    assert competition_ranks(np.zeros((4, 0))).shape == (4, 0)
    assert competition_ranks(np.zeros((0, 3))).shape == (0, 3)
    np.testing.assert_array_equal(competition_ranks(np.array([0.7])), [1])


def test_competition_ranks_agree_with_scipy_without_near_ties():
    rng = np.random.default_rng(6)
    for _ in range(50):
        n = int(rng.integers(1, 60))
        s = rng.uniform(size=n)
        if n > 1:
            assert np.min(np.diff(np.sort(s))) > 1e-9  # precondition: no near-ties
        np.testing.assert_array_equal(competition_ranks(s), competition_reference(s))
    S = rng.uniform(size=(20, 15))
    expected = np.array([competition_reference(row) for row in S])
    np.testing.assert_array_equal(competition_ranks(S), expected)


def test_competition_ranks_agree_with_scipy_on_exact_ties():
    rng = np.random.default_rng(7)
    for _ in range(30):
        s = rng.integers(0, 5, size=12) / 4.0  # many exact ties, gaps 0.25
        np.testing.assert_array_equal(competition_ranks(s), competition_reference(s))


# --------------------------------------------------------------------------- long score vectors


def chain_reference(s: np.ndarray, tol: float) -> np.ndarray:
    """The definition, in plain Python: sort best first; a score within ``tol`` of the one
    before it shares that one's rank (chains of near-ties share one rank)."""
    order = sorted(range(len(s)), key=lambda i: -s[i])
    ranks = np.empty(len(s), dtype=np.int64)
    for pos, i in enumerate(order):
        if pos and not (s[order[pos - 1]] - s[i] > tol):
            ranks[i] = ranks[order[pos - 1]]
        else:
            ranks[i] = pos + 1
    return ranks


def long_vectors(rng: np.random.Generator, n: int):
    """Score vectors long enough for the packed-key sort, with the awkward cases in them."""
    yield rng.uniform(size=n)
    yield rng.integers(0, 40, n) / 4.0  # many exact ties
    yield np.cumsum(rng.choice([0.0, 3e-10, 9e-10, 1e-9, 1.0000001e-9, 2e-9, 1e-6], n))  # chains
    base = rng.choice([0.25, 0.5, 0.7, 1.0], n)
    yield base + rng.integers(-3000, 3000, n) * np.spacing(base)  # equal in all but the last bits
    yield 10.0 ** rng.uniform(-300, 300, n)  # every magnitude
    yield rng.integers(0, 50, n) * 5e-324  # subnormals
    top = np.finfo(np.float64).max
    yield top - rng.integers(0, 5_000, n) * (top - np.nextafter(top, 0))  # the largest floats
    yield 1.79e308 - rng.uniform(size=n) * 1e300
    yield np.where(rng.uniform(size=n) < 0.3, 0.0, rng.uniform(size=n))
    yield np.full(n, 0.3)
    yield np.sort(rng.uniform(size=n))[::-1]  # already in order, and a strided view
    yield rng.uniform(size=2 * n)[::2]


@pytest.mark.parametrize("n", [2_047, 2_048, 2_049, 4_096, 5_001])
@pytest.mark.parametrize("tol", [1e-9, 0.0, 1e-3, 1e300])
def test_competition_ranks_of_long_vectors_equal_the_definition(n, tol):
    rng = np.random.default_rng(n)
    for s in long_vectors(rng, n):
        np.testing.assert_array_equal(competition_ranks(s, tol), chain_reference(s, tol))


def test_competition_ranks_one_vector_equals_the_row_of_a_matrix():
    # the 2-D path (one sort per row, maximum.accumulate) and the 1-D one agree, also on
    # what the packed keys leave to the plain sort: NaN, inf, negative scores and -0.0
    rng = np.random.default_rng(8)
    specials = [np.nan, np.inf, -np.inf, -0.0, -1.0]
    for n in (50, 3_000):
        for s in long_vectors(rng, n):
            s = np.array(s)
            for extra in [None, *specials]:
                if extra is not None:
                    s[rng.integers(0, n, 3)] = extra
                with np.errstate(invalid="ignore"):
                    one, row = competition_ranks(s), competition_ranks(s[None, :])[0]
                np.testing.assert_array_equal(one, row)


def test_competition_ranks_of_a_million_scores():
    rng = np.random.default_rng(9)
    s = rng.uniform(size=(1_000_000, 4)) @ np.array([0.4, 0.3, 0.2, 0.1])
    ranks = competition_ranks(s)
    order = np.argsort(-s, kind="stable")
    ss = s[order]
    new = np.ones(len(s), dtype=bool)
    new[1:] = (ss[:-1] - ss[1:]) > 1e-9
    expected = np.empty(len(s), dtype=np.int64)
    expected[order] = np.maximum.accumulate(np.where(new, np.arange(1, len(s) + 1), 0))
    np.testing.assert_array_equal(ranks, expected)
    assert (ranks != np.argsort(np.argsort(-s)) + 1).any()  # near-ties do occur at this size

"""Value functions (engine/mcda/value_functions.py)."""

from __future__ import annotations

import numpy as np
import pytest

from engine.mcda import value_functions as vf


def test_linear_max_and_min_directions():
    assert vf.linear(np.array([10.0, 37.5, 65.0, 80.0]), 10, 65).tolist() == [0.0, 0.5, 1.0, 1.0]
    assert vf.linear(np.array([30.0, 15.25, 0.5, 0.0]), 30, 0.5).tolist() == [0.0, 0.5, 1.0, 1.0]


def test_log_handles_zero_without_inf_or_nan():
    u = vf.log(np.array([0.0, 10.0, 1000.0, 100000.0, 1e9]), 100000, 10)
    assert np.isfinite(u).all()
    assert u.tolist() == pytest.approx([1.0, 1.0, 0.5, 0.0, 0.0])


def test_log_rejects_bad_anchors():
    with pytest.raises(ValueError):
        vf.log(np.array([1.0]), 0, 10)
    with pytest.raises(ValueError):
        vf.linear(np.array([1.0]), 5, 5)


def test_levels():
    assert vf.levels(["closed", "open_osi"], {"closed": 0.0, "open_osi": 1.0}).tolist() == [0.0, 1.0]
    with pytest.raises(KeyError):
        vf.levels(["weird"], {"closed": 0.0})


def test_relative_constant_column_is_finite():
    assert vf.relative(np.array([3.0, 3.0]), "max").tolist() == [1.0, 1.0]
    assert vf.relative(np.array([1.0, 3.0]), "min").tolist() == [1.0, 0.0]

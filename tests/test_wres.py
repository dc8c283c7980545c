"""WRES comparisons: the test vectors of statistics.md 4.4 and properties of the intervals."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nhs_oversight.stats.wres import (
    katz_log_se,
    newcombe_difference,
    relative_likelihood,
    suppressed,
    wilson_interval,
)


def test_published_trust_figures():
    # The Christie 2022, indicator 2: 46.99 % White vs 14.65 % BME appointed -> "3.2".
    rl = relative_likelihood(4699, 10000, 1465, 10000)
    assert float(rl.estimate) == pytest.approx(3.2075, abs=5e-5)
    assert round(float(rl.estimate), 1) == 3.2
    # KMPT 2020, indicator 3: BME 1.2 %, White 0.7 % -> "1.7".
    rl = relative_likelihood(12, 1000, 7, 1000)
    assert float(rl.estimate) == pytest.approx(1.714, abs=5e-4)
    assert round(float(rl.estimate), 1) == 1.7


def test_derived_indicator_2():
    rl = relative_likelihood(300, 1000, 160, 800)
    assert float(rl.estimate) == pytest.approx(1.5)
    assert float(katz_log_se(300, 1000, 160, 800)) == pytest.approx(0.085635, abs=5e-7)
    assert float(rl.lower) == pytest.approx(1.2682, abs=5e-5)
    assert float(rl.upper) == pytest.approx(1.7741, abs=5e-5)
    assert bool(rl.excludes_null)


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ((56, 70, 48, 80), (0.2000, 0.0524, 0.3339)),  # Newcombe 1998 published example
        ((30, 100, 20, 100), (0.1000, -0.0202, 0.2167)),
        ((45, 120, 25, 110), (0.1477, 0.0287, 0.2601)),
    ],
)
def test_newcombe_vectors(counts, expected):
    d = newcombe_difference(*counts)
    np.testing.assert_allclose([float(d.estimate), float(d.lower), float(d.upper)], expected, atol=5e-5)
    assert bool(d.excludes_null) == (expected[1] > 0)


def test_wilson_known_value():
    # Wilson (1927) interval for 0/10: (0, 0.2775)
    lo, hi = wilson_interval(0, 10)
    assert float(lo) == pytest.approx(0, abs=1e-12)
    assert float(hi) == pytest.approx(0.27753, abs=5e-5)


def test_zero_cell_gets_half_added_to_all_four_cells():
    rl = relative_likelihood(0, 10, 5, 10)
    a, n1, b, n2 = 0.5, 11, 5.5, 11
    assert float(rl.estimate) == pytest.approx((a / n1) / (b / n2))
    se = math.sqrt(1 / a - 1 / n1 + 1 / b - 1 / n2)
    assert float(rl.upper) == pytest.approx((a / n1) / (b / n2) * math.exp(1.959964 * se))


def test_suppression_threshold_is_eleven():
    assert suppressed(np.array([10, 11, np.nan])).tolist() == [True, False, True]


counts = st.integers(1, 500).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n)))


@settings(max_examples=80, deadline=None)
@given(counts, counts)
def test_newcombe_is_antisymmetric_and_contains_the_estimate(g1, g2):
    d = newcombe_difference(g1[0], g1[1], g2[0], g2[1])
    r = newcombe_difference(g2[0], g2[1], g1[0], g1[1])
    assert float(d.estimate) == pytest.approx(-float(r.estimate))
    assert float(d.lower) == pytest.approx(-float(r.upper))
    assert -1 - 1e-12 <= float(d.lower) <= float(d.estimate) <= float(d.upper) <= 1 + 1e-12


@settings(max_examples=80, deadline=None)
@given(counts, counts)
def test_relative_likelihood_is_reciprocal(g1, g2):
    a = relative_likelihood(g1[0], g1[1], g2[0], g2[1])
    b = relative_likelihood(g2[0], g2[1], g1[0], g1[1])
    assert float(a.estimate) * float(b.estimate) == pytest.approx(1.0)
    assert float(a.lower) * float(b.upper) == pytest.approx(1.0)
    assert float(a.lower) <= float(a.estimate) <= float(a.upper)

"""Funnel plots: the test vectors of statistics.md 2.6, classification, and properties."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nhs_oversight.errors import OptionError
from nhs_oversight.stats.funnel import band_codes, benjamini_hochberg, funnel
from nhs_oversight.stats.funnel_dispersion import truncation_mask, winsorise
from nhs_oversight.stats.funnel_limits import (
    TAILS,
    chisq_poisson_limit,
    exact_binomial_limit,
    exact_poisson_limit,
)

# --------------------------------------------------------------------------- 2.6 (a)


@pytest.mark.parametrize(
    ("p", "expected"),
    [
        (0.025, [0.5596924, 0.6108260, 0.6746958]),
        (0.975, [1.649348, 1.544419, 1.427562]),
        (0.001, [0.3862650, 0.4479107, 0.5289724]),
        (0.999, [2.082907, 1.902094, 1.702771]),
    ],
)
def test_funnelplotr_poisson_limits(p, expected):
    got = chisq_poisson_limit(np.array([15.0, 20.0, 30.0]), 1.0, p)
    np.testing.assert_allclose(got, expected, atol=5e-7)


# --------------------------------------------------------------------------- 2.6 (b)

RR = np.array([1, 0.95, 1.05, 0.8, 1.2, 0.6, 1.4, 0.4, 1.6, 0])


@pytest.mark.parametrize(
    ("lo", "hi", "flags"),
    [
        (0.9, 1.1, [0, 0, 0, 1, 1, 1, 1, 1, 1, 1]),
        (0.79, 1.21, [0, 0, 0, 0, 0, 1, 1, 1, 1, 1]),
        (0.59, 1.41, [0, 0, 0, 0, 0, 0, 0, 1, 1, 1]),
        (0.38, 1.62, [0, 0, 0, 0, 0, 0, 0, 0, 0, 1]),
    ],
)
def test_outlier_flags_funnelplotr(lo, hi, flags):
    n = len(RR)
    codes = band_codes(RR, np.full(n, lo), np.full(n, hi), np.full(n, -np.inf), np.full(n, np.inf))
    assert list((codes != 0).astype(int)) == flags


def test_values_scaled_by_100_against_unscaled_limits_are_all_outliers():
    n = len(RR)
    codes = band_codes(RR * 100, np.full(n, 0.9), np.full(n, 1.1), np.full(n, 0.59), np.full(n, 1.41))
    assert (codes != 0).all()  # FunnelPlotR: with multiplier 100 and unchanged limits, all flagged
    assert codes[-1] == -2


def test_a_value_on_a_limit_is_inside():
    assert band_codes(np.array([1.1, 0.9]), np.array([0.9, 0.9]), np.array([1.1, 1.1]),
                      np.array([0.5, 0.5]), np.array([1.5, 1.5])).tolist() == [0, 0]


# --------------------------------------------------------------------------- 2.6 (c) and (d)

BINOMIAL = {
    20: [-0.0496, -0.0397, 0.2285, 0.3352],
    50: [-0.0161, 0.0139, 0.1797, 0.2401],
    100: [0.0142, 0.0404, 0.1577, 0.1984],
    500: [0.0600, 0.0734, 0.1260, 0.1427],
}


@pytest.mark.parametrize("n", sorted(BINOMIAL))
def test_exact_binomial_interpolated(n):
    got = [float(exact_binomial_limit(np.array([n]), 0.1, p)[0]) for p in TAILS]
    np.testing.assert_allclose(got, BINOMIAL[n], atol=5e-5)


def test_negative_exact_lower_limits_are_clamped_in_output():
    # n = 20 and 50 at theta0 = 0.1 have negative interpolated lower limits -> 0 in the result.
    r = funnel([2, 5, 10, 50], [20, 50, 100, 500], target=0.1, overdispersion="none")
    assert r.points["lcl998"].iloc[0] == 0 and r.points["lcl95"].iloc[0] == 0
    assert r.points["lcl998"].iloc[1] == 0
    assert r.points["lcl95"].iloc[1] == pytest.approx(0.0139, abs=5e-5)


POISSON = {
    5: ([-0.1703, 0.1084, 1.8753, 2.5543], [0.1479, 0.3247, 2.3337, 3.2909]),
    10: ([0.1221, 0.3775, 1.6160, 2.0662], [0.2961, 0.4795, 1.8390, 2.4134]),
    50: ([0.5825, 0.7224, 1.2766, 1.4550], [0.6192, 0.7422, 1.3184, 1.5188]),
    100: ([0.7007, 0.8037, 1.1958, 1.3180], [0.7192, 0.8136, 1.2163, 1.3492]),
}


@pytest.mark.parametrize("e", sorted(POISSON))
def test_exact_poisson_interpolated_and_chisq(e):
    interp, chisq = POISSON[e]
    got = [float(exact_poisson_limit(np.array([float(e)]), 1.0, p)[0]) for p in TAILS]
    np.testing.assert_allclose(got, interp, atol=5e-5)
    got = [float(chisq_poisson_limit(np.array([float(e)]), 1.0, p)[0]) for p in TAILS]
    np.testing.assert_allclose(got, chisq, atol=5e-5)


# --------------------------------------------------------------------------- 2.6 (e)

O_E = ([100, 150, 180, 80, 120, 225], [108, 112, 165, 95, 100, 220])


def test_shmi_method_on_funnelplotr_data():
    r = funnel(O_E[0], expected=O_E[1], scale="log", robust="truncate", shmi_rounding=True)
    np.testing.assert_allclose(r.points["z"], [-0.7998, 3.0917, 1.1177, -1.6750, 1.8232, 0.3333], atol=5e-5)
    assert r.meta["units_used_for_dispersion"] == 6
    assert r.phi == pytest.approx(2.948033, abs=5e-7)
    assert r.tau2 == pytest.approx(0.01947753, abs=5e-9)
    np.testing.assert_allclose(r.points["lcl998"], [0.5922, 0.5940, 0.6103, 0.5855, 0.5883, 0.6194], atol=5e-5)
    np.testing.assert_allclose(r.points["ucl998"], [1.6885, 1.6834, 1.6386, 1.7079, 1.6999, 1.6144], atol=5e-5)
    assert r.meta["applied"] is True


def test_cqc_sqrt_winsorised_on_funnelplotr_data():
    r = funnel(O_E[0], expected=O_E[1], scale="sqrt", robust="winsorise")
    assert r.phi == pytest.approx(2.327178, abs=5e-7)
    assert r.tau2 == pytest.approx(0.003439780, abs=5e-10)
    # limits are squared back from the square-root scale (not FunnelPlotR's unsquared ones)
    e = 108.0
    half = 3.090232 * math.sqrt(1 / (4 * e) + r.tau2)
    assert r.points["ucl998"].iloc[0] == pytest.approx((1 + half) ** 2, rel=1e-12)


# --------------------------------------------------------------------------- 2.6 (f)

O12 = [12, 30, 45, 8, 60, 22, 90, 15, 40, 70, 5, 33]
N12 = [100, 250, 300, 120, 400, 150, 500, 200, 260, 410, 90, 210]


def test_proportions_arcsine_additive():
    r = funnel(O12, N12)
    assert r.meta["target"] == pytest.approx(0.1438127, abs=5e-8)
    assert r.phi == pytest.approx(2.548323, abs=5e-7)
    assert r.tau2 == pytest.approx(0.001828854, abs=5e-10)
    lim = r.limits.set_index("precision")
    expected = {100: (0.0661, 0.2451, 0.0341, 0.3116), 300: (0.0806, 0.2216, 0.0518, 0.2718),
                500: (0.0842, 0.2162, 0.0564, 0.2627)}
    for n, (l95, u95, l998, u998) in expected.items():
        row = lim.loc[float(n)]
        np.testing.assert_allclose([row.lcl95, row.ucl95, row.lcl998, row.ucl998], [l95, u95, l998, u998], atol=5e-5)


def test_proportions_multiplicative_raw_scale():
    from scipy.stats import chi2

    r = funnel(O12, N12, overdispersion="multiplicative")
    assert r.phi == pytest.approx(1.987517, abs=5e-7)
    assert 12 * r.phi == pytest.approx(23.85, abs=0.005)
    assert chi2.sf(12 * r.phi, 12) == pytest.approx(0.021, abs=5e-4)
    row = r.limits.set_index("precision").loc[300.0]
    np.testing.assert_allclose([row.lcl95, row.ucl95, row.lcl998, row.ucl998], [0.0878, 0.1998, 0.0556, 0.2321], atol=5e-5)


# --------------------------------------------------------------------------- behaviour


def test_outliers_are_units_outside_95_most_extreme_first():
    r = funnel(O12, N12)
    out = r.outliers
    assert set(out["label"]) == set(r.points.loc[r.points["band_code"] != 0, "label"])
    assert list(out["z_adjusted"].abs()) == sorted(out["z_adjusted"].abs(), reverse=True)


def test_no_overdispersion_found_keeps_unadjusted_limits():
    # Every unit exactly on the target: phi = 0, tau2 = 0, nothing applied.
    r = funnel([10, 20, 30], [100, 200, 300], overdispersion="additive")
    assert r.phi == 0 and r.tau2 == 0 and r.meta["applied"] is False
    np.testing.assert_allclose(r.points["ucl95"], r.points["ucl95_unadjusted"])
    assert (r.points["band"] == "inside 95%").all()


def test_all_zero_counts_is_a_clear_error():
    with pytest.raises(OptionError, match="no events"):
        funnel([0, 0, 0], [10, 20, 30])


def test_units_without_a_usable_denominator_are_left_out_and_reported():
    r = funnel([1, 2, np.nan, 4], [10, 0, 30, 40], labels=["a", "b", "c", "d"], overdispersion="none")
    assert list(r.points["label"]) == ["a", "d"]
    assert r.meta["excluded"] == ["b", "c"]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"denominator": None},
        {"overdispersion": "lots"},
        {"limits": "wilson"},
        {"target": 1.5},
        {"scale": "log"},
    ],
)
def test_bad_options(kwargs):
    args = {"denominator": N12, **kwargs}
    with pytest.raises(OptionError):
        funnel(O12, args.pop("denominator"), **args)


def test_winsorise_and_truncate():
    z = np.arange(1.0, 11.0)
    w = winsorise(z, 0.1)
    assert w.min() == pytest.approx(np.quantile(z, 0.1)) and w.max() == pytest.approx(np.quantile(z, 0.9))
    assert truncation_mask(np.arange(8.0)).all()  # I <= 8: nothing dropped
    keep = truncation_mask(np.arange(20.0))  # I = 20: the bottom and top two (10 %) are dropped
    assert list(np.flatnonzero(~keep)) == [0, 1, 18, 19]


def test_benjamini_hochberg_known_values():
    # p = 0.01, 0.04, 0.03, 0.2 -> sorted 0.01, 0.03, 0.04, 0.2; q = 0.04, 0.0533, 0.0533, 0.2
    q = benjamini_hochberg(np.array([0.01, 0.04, 0.03, 0.2]))
    np.testing.assert_allclose(q, [0.04, 0.16 / 3, 0.16 / 3, 0.2])


# --------------------------------------------------------------------------- properties

units = st.lists(
    st.tuples(st.integers(20, 5000), st.floats(0.02, 0.6)), min_size=4, max_size=25
)


@settings(max_examples=40, deadline=None)
@given(units, st.randoms(use_true_random=False))
def test_reordering_units_changes_nothing(data, rnd):
    n = np.array([d[0] for d in data], dtype=float)
    o = np.clip(np.round(n * np.array([d[1] for d in data])), 1, n - 1)
    labels = [f"u{i}" for i in range(len(n))]
    a = funnel(o, n, labels=labels).points.set_index("label")
    order = list(range(len(n)))
    rnd.shuffle(order)
    b = funnel(o[order], n[order], labels=[labels[i] for i in order]).points.set_index("label")
    b = b.loc[a.index]
    np.testing.assert_allclose(a[["lcl95", "ucl95", "lcl998", "ucl998", "z_adjusted"]].to_numpy(),
                               b[["lcl95", "ucl95", "lcl998", "ucl998", "z_adjusted"]].to_numpy(), rtol=1e-10)
    assert list(a["band"]) == list(b["band"])


@settings(max_examples=40, deadline=None)
@given(units, st.sampled_from(["none", "multiplicative", "additive"]), st.sampled_from(["exact", "normal", "funnelplotr"]))
def test_limits_are_nested_around_the_target(data, od, method):
    n = np.array([d[0] for d in data], dtype=float)
    o = np.clip(np.round(n * np.array([d[1] for d in data])), 1, n - 1)
    r = funnel(o, n, overdispersion=od, limits=method)
    lim = r.limits
    t = r.meta["target"]
    assert (lim["lcl998"] <= lim["lcl95"] + 1e-12).all()
    assert (lim["lcl95"] <= t + 1e-12).all() and (lim["ucl95"] >= t - 1e-12).all()
    assert (lim["ucl95"] <= lim["ucl998"] + 1e-12).all()
    assert ((lim[["lcl998", "ucl998"]] >= 0) & (lim[["lcl998", "ucl998"]] <= 1)).all().all()
    assert r.phi >= 0 and r.tau2 >= 0


@settings(max_examples=30, deadline=None)
@given(st.integers(200, 20000), st.floats(0.05, 0.5))
def test_exact_limits_approach_normal_for_large_n(n, theta):
    for p in TAILS:
        exact = float(exact_binomial_limit(np.array([n]), theta, p)[0])
        z = {0.001: -3.090232, 0.025: -1.959964, 0.975: 1.959964, 0.999: 3.090232}[p]
        normal = theta + z * math.sqrt(theta * (1 - theta) / n)
        # the discrete quantile sits within about a quarter of a count plus a skew term of the normal one
        assert abs(exact - normal) < 1.0 / n + 0.6 * (z**2) / n + 1e-9

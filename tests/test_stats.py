"""95% intervals and gaps between two published estimates: parametrized input -> expected."""
from __future__ import annotations

import math

import pytest

from explorer import stats

NAN = math.nan
Z = stats.Z95


def same(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    """Tuples equal to 1e-12, NaN matching NaN."""
    return len(a) == len(b) and all((math.isnan(x) and math.isnan(y)) or math.isclose(x, y, abs_tol=1e-12)
                                    for x, y in zip(a, b))


@pytest.mark.parametrize("estimate, se, expected", [
    (0.5, 0.01, (0.5 - Z * 0.01, 0.5 + Z * 0.01)),
    (0.5, 0.0, (0.5, 0.5)),                 # zero standard error: a zero-width interval
    (NAN, 0.01, (NAN, NAN)),                # suppressed estimate
    (None, 0.01, (NAN, NAN)),
    (0.5, NAN, (NAN, NAN)),                 # estimate without a standard error: no interval
    (0.5, None, (NAN, NAN)),
    (-0.2, 0.1, (-0.2 - Z * 0.1, -0.2 + Z * 0.1)),
])
def test_interval95(estimate, se, expected):
    assert same(stats.interval95(estimate, se), expected)


@pytest.mark.parametrize("a, b, se_a, se_b, expected", [
    (0.45, 0.33, 0.0, 0.0, (0.12, 0.12, 0.12)),                     # zero SEs: zero-width interval
    (0.45, 0.33, 0.03, 0.04, (0.12, 0.12 - Z * 0.05, 0.12 + Z * 0.05)),  # SEs add in quadrature (3-4-5)
    (0.33, 0.45, 0.03, 0.04, (-0.12, -0.12 - Z * 0.05, -0.12 + Z * 0.05)),
    (NAN, 0.33, 0.01, 0.01, (NAN, NAN, NAN)),                        # one group suppressed
    (0.45, None, 0.01, 0.01, (NAN, NAN, NAN)),
    (0.45, 0.33, NAN, 0.01, (0.12, NAN, NAN)),                       # a gap, but no interval
    (0.45, 0.33, 0.01, None, (0.12, NAN, NAN)),
])
def test_gap(a, b, se_a, se_b, expected):
    assert same(stats.gap(a, b, se_a, se_b), expected)


def test_gap_without_standard_errors_defaults_to_exact_values():
    assert same(stats.gap(0.5, 0.2), (0.3, 0.3, 0.3))


def test_county_gap_interval_from_raw_file(raw_counties):
    """Wayne County's Black-white gap and interval, from the raw estimates and standard errors."""
    row = raw_counties.loc["26163"]
    white, black = row["kfr_white_pooled_p25"], row["kfr_black_pooled_p25"]
    se = math.hypot(row["kfr_white_pooled_p25_se"], row["kfr_black_pooled_p25_se"])
    gap, low, high = stats.gap(white, black, row["kfr_white_pooled_p25_se"], row["kfr_black_pooled_p25_se"])
    assert gap == pytest.approx(white - black)
    assert (low, high) == pytest.approx((white - black - 1.96 * se, white - black + 1.96 * se), abs=1e-5)
    assert low < gap < high

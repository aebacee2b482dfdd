"""Small statistics on published estimates: 95% intervals and gaps between groups.

Opportunity Insights publishes a standard error beside each county estimate; a 95% interval is
the estimate plus or minus 1.96 standard errors. Missing estimates (suppressed: fewer than 20
children) stay missing: every function here returns NaN rather than guessing.
"""
from __future__ import annotations

import math

Z95 = 1.959964


def _missing(*values: float | None) -> bool:
    return any(v is None or (isinstance(v, float) and math.isnan(v)) for v in values)


def interval95(estimate: float | None, se: float | None) -> tuple[float, float]:
    """(low, high) of the 95% interval; NaNs if the estimate or its standard error is missing."""
    if _missing(estimate, se):
        return (math.nan, math.nan)
    return (estimate - Z95 * se, estimate + Z95 * se)


def gap(a: float | None, b: float | None, se_a: float | None = 0.0, se_b: float | None = 0.0
        ) -> tuple[float, float, float]:
    """(a - b, low, high): the gap between two independent estimates with its 95% interval."""
    if _missing(a, b):
        return (math.nan, math.nan, math.nan)
    difference = a - b
    if _missing(se_a, se_b):
        return (difference, math.nan, math.nan)
    se = math.hypot(se_a, se_b)
    return (difference, difference - Z95 * se, difference + Z95 * se)

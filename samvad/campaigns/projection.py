"""Where a campaign is heading: a least-squares line through the completed days' gains, summed over
the days left, with a 90% prediction interval from the residuals.

Few days give a wide band, and that is the honest answer: on day 5 there are four complete days,
so the band uses Student's t with two degrees of freedom. With fewer than three measured days, or
days so alike that the band has no width (ten days of 0 say nothing about day 11), there is no
forecast at all: `why_none` says which, and the page says so instead of showing a number.
"""

import math
from dataclasses import dataclass

# Student's t, 95th percentile (a two-sided 90% interval), by degrees of freedom.
T95 = {
    1: 6.314,
    2: 2.920,
    3: 2.353,
    4: 2.132,
    5: 2.015,
    6: 1.943,
    7: 1.895,
    8: 1.860,
    9: 1.833,
    10: 1.812,
    12: 1.782,
    15: 1.753,
    20: 1.725,
    30: 1.697,
}
TREND_FROM = 4  # with fewer complete days a slope is noise: the mean daily gain is used instead
MIN_DAYS = 3  # measured days before a forecast means anything
FEW_DAYS, NO_SPREAD = "few_days", "no_spread"


def t95(df: int) -> float:
    fitting = [v for k, v in sorted(T95.items()) if k <= df]
    return fitting[-1] if df <= 30 else 1.645


@dataclass(frozen=True)
class Forecast:
    expected: float
    low: float
    high: float


def forecast(
    daily: list[float], *, total_days: int, so_far: float, can_fall: bool = False
) -> Forecast | None:
    """The total at the end. `daily` holds the complete days' gains (day 1 first); `so_far` is
    the total up to now, today's partial day included; the days left are forecast in full."""
    n, remaining = len(daily), total_days - len(daily)
    if remaining <= 0:
        return Forecast(so_far, so_far, so_far)
    if n < MIN_DAYS:
        return None
    done = sum(daily)
    mean_t = (n + 1) / 2
    sxx = sum((t - mean_t) ** 2 for t in range(1, n + 1))
    mean_y = done / n
    trend = n >= TREND_FROM
    slope = sum((t - mean_t) * (y - mean_y) for t, y in enumerate(daily, 1)) / sxx if trend else 0.0
    fitted = [mean_y + slope * (t - mean_t) for t in range(1, n + 1)]
    df = n - 2 if trend else n - 1
    sigma2 = sum((y - f) ** 2 for y, f in zip(daily, fitted, strict=True)) / df
    future = range(n + 1, total_days + 1)
    shift = sum(t - mean_t for t in future)
    expected_rest = remaining * mean_y + slope * shift
    # The future days' own noise, plus the uncertainty of the fitted mean and slope.
    variance = sigma2 * (remaining + remaining**2 / n + (shift**2 / sxx if trend else 0))
    half = t95(df) * math.sqrt(variance)
    expected = done + expected_rest
    low, high = expected - half, expected + half
    if not can_fall:  # what has happened cannot be undone: a count only grows
        low, expected = max(low, so_far), max(expected, so_far)
    high = max(high, expected)
    if round(high) - round(low) < 1:  # no spread: the days measured cannot tell the future
        return None
    return Forecast(expected, low, high)


def why_none(daily: list[float]) -> str:
    """Why `forecast` gave None for these complete days."""
    return FEW_DAYS if len(daily) < MIN_DAYS else NO_SPREAD

"""Where a figure is heading: a straight-line projection with an honest interval, and a backtest of it.

Boards ask "where will this be at the end of the year, and will we reach the top quartile?". The answer must
be a method a board member can be told in one sentence, so it is deliberately simple:

- the projection is the least-squares straight line through the last ``window`` points, extended ahead;
- the interval comes from how far this same method's own past projections missed, at the same distance
  ahead, in this series' history (re-run from every earlier point: a "rolling origin"). Most treatment
  figures are rolling 12-month sums, so neighbouring quarters share nine months of data and the scatter
  about a line fitted to them understates how far the next point can move; real past misses do not,
  because they include the trend changing as well as noise. Two past projections share data unless their
  starting points are at least ``window + steps`` apart, so in the t distribution the misses count as one
  independent miss per ``window + steps`` (counting every miss as independent gave an 80% interval 74-82%
  coverage on simulated rolling 12-month counts; counting one per window + steps, 84-94% on 20 to 48
  quarters, nearing 80% as the history lengthens). It needs at least ``2 * window`` misses.
  The interval is never narrower than the textbook least-squares prediction interval, which matters when
  a count has grown and its noise with it (drug deaths since 2012), so misses made at the old level are
  too small;
- with too little history for enough past misses (series of under about 20 points, so most annual ones) it is
  the least-squares prediction interval times ``2 * sqrt(steps)``: the scatter about a line through a few
  annual points says little about the trend changing, which grows with the distance ahead (without the
  widening, an 80% interval covered 46-65% of held-out England and local annual figures; with it, 94-100%).

Both intervals are a t distribution about the projection, so one distribution gives the interval, the chance
of passing a threshold (``probability_beyond``) and its words (``likelihood_words``). ``backtest`` holds out
the end of real series to check the stated level is met; the tests do so on the England-wide ONS and NDTMS
files and on simulated rolling 12-month counts.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from dashboard.stats.distributions import t_cdf, t_ppf, t_sf

DEFAULT_WINDOW = 8  # two years of quarters: long enough to see a trend, short enough to follow a change
DEFAULT_LEVEL = 0.8  # a range a board can plan around; a 95% one is too wide to use
MIN_POINTS = 3  # a line through two points has no scatter to measure
FALLBACK_WIDENING = 2.0  # the least-squares interval times this * sqrt(steps), chosen by backtesting

METHOD_WORDS = f"the least-squares straight line through the last {DEFAULT_WINDOW} points, extended ahead"
PAST_ERRORS, LINE_FIT, SHORT_HISTORY = "past errors", "line fit", "line fit, widened"
Bounds = tuple[float | None, float | None]


@dataclass(frozen=True)
class Projection:
    """A projected ``value`` ``steps`` points after the last one, with a ``level`` interval.

    The predictive distribution is ``centre + scale * T`` with T a t variable on ``df`` degrees of freedom,
    clipped to ``bounds`` (``value``, ``lower`` and ``upper`` are clipped, ``centre`` is not).
    ``interval_from`` is "past errors" (from ``past_misses`` of the method's own past misses), "line fit"
    (the least-squares interval, being wider than the past misses) or "line fit, widened" (too few past
    misses: the least-squares interval widened). ``slope`` is the change per point.
    """

    steps: int
    value: float
    lower: float
    upper: float
    level: float
    method: str
    points_used: int
    slope: float
    centre: float
    scale: float
    df: float
    interval_from: str
    past_misses: int
    bounds: Bounds


@dataclass(frozen=True)
class Backtest:
    """How the method did on the held-out last ``holdout`` points of each series long enough to project.

    ``points`` held-out values were each compared with the projection made ``1..holdout`` steps before
    them; ``coverage`` is the share inside their ``level`` intervals. ``mean_absolute_percentage_error``
    leaves out actual values of 0. ``no_change_mean_absolute_error`` is what carrying the last kept value
    forward would have scored, to show whether the line earns its place; ``mean_interval_width`` shows
    the coverage was not bought with uselessly wide intervals.
    """

    series: int
    skipped: int
    points: int
    mean_absolute_error: float
    mean_absolute_percentage_error: float
    no_change_mean_absolute_error: float
    coverage: float
    mean_interval_width: float
    level: float
    holdout: int
    window: int


def _as_array(values: Iterable[float | None]) -> np.ndarray:
    return np.array([math.nan if v is None else v for v in values], dtype=float)


def _fit_points(values: np.ndarray, window: int) -> tuple[np.ndarray, np.ndarray]:
    """Positions and values of the last ``window`` observed points; positions keep any gaps, so a missing
    point leaves time equally spaced."""
    x = np.flatnonzero(np.isfinite(values)).astype(float)
    return x[-window:], values[np.isfinite(values)][-window:]


def fit_line(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Least-squares slope and intercept of y on x."""
    xbar, ybar = x.mean(), y.mean()
    slope = float(((x - xbar) * (y - ybar)).sum() / ((x - xbar) ** 2).sum())
    return slope, float(ybar - slope * xbar)


def line_spread(x: np.ndarray, y: np.ndarray, x0: float) -> tuple[float, float]:
    """Scale and degrees of freedom of the least-squares prediction interval at ``x0``:
    s * sqrt(1 + 1/n + (x0 - xbar)^2 / Sxx), with s the residual standard deviation, on n - 2 df."""
    slope, intercept = fit_line(x, y)
    n, xbar = len(x), x.mean()
    s = math.sqrt(float(((y - intercept - slope * x) ** 2).sum()) / (n - 2))
    return s * math.sqrt(1 + 1 / n + (x0 - xbar) ** 2 / float(((x - xbar) ** 2).sum())), float(n - 2)


def line_forecast(values: Sequence[float | None], steps: int, window: int = DEFAULT_WINDOW) -> float | None:
    """The straight line through the last ``window`` observed points, read ``steps`` past the last point.

    None when the last point is missing or fewer than ``MIN_POINTS`` points are observed.
    """
    y = _as_array(values)
    if len(y) == 0 or not math.isfinite(y[-1]):
        return None
    x, fit_y = _fit_points(y, window)
    if len(x) < MIN_POINTS:
        return None
    slope, intercept = fit_line(x, fit_y)
    return intercept + slope * (len(y) - 1 + steps)


def past_errors(values: Sequence[float | None], steps: int, window: int = DEFAULT_WINDOW) -> np.ndarray:
    """Actual minus projected for the same method run from every earlier point that it could project from
    to a point ``steps`` later that was observed: the method's own track record on this series."""
    y = _as_array(values)
    errors = []
    for origin in range(len(y) - steps):
        forecast = line_forecast(y[: origin + 1], steps, window)
        if forecast is not None and math.isfinite(y[origin + steps]):
            errors.append(y[origin + steps] - forecast)
    return np.array(errors, dtype=float)


def _clip(value: float, bounds: Bounds) -> float:
    low, high = bounds
    return min(max(value, -math.inf if low is None else low), math.inf if high is None else high)


def _method_words(points: int, level: float, interval_from: str) -> str:
    """The method in one sentence, for the chart's note and the definitions page."""
    line = f"a straight line through the last {points} points, with an {level:.0%} interval from"
    return {
        PAST_ERRORS: f"{line} how far this method's own past projections missed",
        LINE_FIT: f"{line} the scatter about the line (wider than this method's own past misses)",
        SHORT_HISTORY: f"{line} the scatter about the line, widened as the history is too short to check past "
        "projections",
    }[interval_from]


def _spread(
    values: Sequence[float | None], x: np.ndarray, y: np.ndarray, steps: int, window: int, level: float
) -> tuple[float, float, str, int]:
    """Scale, degrees of freedom and source of the predictive t distribution ``steps`` ahead, and how many
    past misses there were: the root mean square past miss (one independent miss per ``window + steps``)
    unless the least-squares interval is wider; with fewer than ``2 * window`` misses, the least-squares
    interval widened."""
    scale, df = line_spread(x, y, len(values) - 1 + steps)
    errors = past_errors(values, steps, window)
    if len(errors) < 2 * window:
        return scale * FALLBACK_WIDENING * math.sqrt(steps), df, SHORT_HISTORY, len(errors)
    past_scale, past_df = math.sqrt(float((errors**2).mean())), len(errors) / (window + steps)
    quantile = (1 + level) / 2
    if t_ppf(quantile, past_df) * past_scale >= t_ppf(quantile, df) * scale:
        return past_scale, past_df, PAST_ERRORS, len(errors)
    return scale, df, LINE_FIT, len(errors)


def project(
    values: Sequence[float | None],
    steps: int,
    *,
    window: int = DEFAULT_WINDOW,
    level: float = DEFAULT_LEVEL,
    bounds: Bounds = (0.0, None),
) -> Projection | None:
    """Project ``values`` (equally spaced, oldest first; NaN or None is missing) ``steps`` points ahead.

    None when the last point is missing or fewer than three points are observed. ``bounds`` clip the value
    and interval: counts and rates cannot be below 0; pass (0, 100) for a percentage.
    """
    if steps < 1 or window < MIN_POINTS or not 0 < level < 1:
        raise ValueError("steps must be at least 1, window at least 3 and level between 0 and 1")
    centre = line_forecast(values, steps, window)
    if centre is None:
        return None
    x, y = _fit_points(_as_array(values), window)
    scale, df, interval_from, misses = _spread(values, x, y, steps, window, level)
    half = float(t_ppf((1 + level) / 2, df)) * scale
    return Projection(
        steps=steps,
        value=_clip(centre, bounds),
        lower=_clip(centre - half, bounds),
        upper=_clip(centre + half, bounds),
        level=level,
        method=_method_words(len(x), level, interval_from),
        points_used=len(x),
        slope=fit_line(x, y)[0],
        centre=centre,
        scale=scale,
        df=df,
        interval_from=interval_from,
        past_misses=misses,
        bounds=bounds,
    )


def probability_beyond(projection: Projection, threshold: float, polarity: str) -> float:
    """The chance the figure ends at or beyond ``threshold`` on its good side: at least it unless
    ``polarity`` is "low_good" (then at most it), as ``target_rag`` reads a target. From the projection's
    t distribution, clipped to its bounds (a threshold outside them is certain or impossible)."""
    low, high = projection.bounds
    reach_down = polarity == "low_good"
    if low is not None and threshold < low:
        return 0.0 if reach_down else 1.0
    if high is not None and threshold > high:
        return 1.0 if reach_down else 0.0
    if projection.scale == 0:
        return float(projection.centre <= threshold if reach_down else projection.centre >= threshold)
    z = (threshold - projection.centre) / projection.scale
    return float(t_cdf(z, projection.df) if reach_down else t_sf(z, projection.df))


def likelihood_words(p: float) -> str:
    """ "likely" at 2/3 or more, "unlikely" at 1/3 or less, else "possible": coarse on purpose, since the
    chance is only as good as a straight line."""
    if not 0 <= p <= 1:
        raise ValueError(f"a probability is between 0 and 1, not {p}")
    if p >= 2 / 3:
        return "likely"
    return "unlikely" if p <= 1 / 3 else "possible"


def _held_out(
    values: np.ndarray, holdout: int, window: int, level: float, bounds: Bounds
) -> list[tuple[float, float, Projection]] | None:
    """(actual, last kept value, projection) for each observed held-out point, or None when the kept points
    cannot be projected from."""
    kept, held = values[:-holdout], values[-holdout:]
    if len(values) <= holdout or line_forecast(kept, 1, window) is None:
        return None
    scored = []
    for steps, actual in enumerate(held, start=1):
        projection = project(kept, steps, window=window, level=level, bounds=bounds)
        if math.isfinite(actual) and projection is not None:
            scored.append((float(actual), float(kept[-1]), projection))
    return scored


def _inside(actual: float, projection: Projection) -> bool:
    """Within the interval, allowing for rounding when the interval has no width (a perfectly straight line)."""
    tolerance = 1e-9 * max(1.0, abs(actual))
    return projection.lower - tolerance <= actual <= projection.upper + tolerance


def backtest(
    series_list: Iterable[Sequence[float | None]],
    *,
    holdout: int = 4,
    window: int = DEFAULT_WINDOW,
    level: float = DEFAULT_LEVEL,
    bounds: Bounds = (0.0, None),
) -> Backtest:
    """Hold out each series' last ``holdout`` points, project 1..holdout steps from the last point kept, and
    score the projections against what happened. A series that cannot be projected from its kept points
    (too short, or its last kept point missing) is skipped and counted in ``skipped``."""
    if holdout < 1:
        raise ValueError("holdout must be at least 1")
    results = [_held_out(_as_array(series), holdout, window, level, bounds) for series in series_list]
    scored = [row for rows in results if rows is not None for row in rows]
    misses = [abs(actual - p.value) for actual, _, p in scored]
    return Backtest(
        series=sum(rows is not None for rows in results),
        skipped=sum(rows is None for rows in results),
        points=len(scored),
        mean_absolute_error=_mean(misses),
        mean_absolute_percentage_error=_mean([100 * abs(a - p.value) / abs(a) for a, _, p in scored if a]),
        no_change_mean_absolute_error=_mean([abs(actual - last) for actual, last, _ in scored]),
        coverage=_mean([_inside(actual, p) for actual, _, p in scored]),
        mean_interval_width=_mean([p.upper - p.lower for _, _, p in scored]),
        level=level,
        holdout=holdout,
        window=window,
    )


def _mean(values: Sequence[float]) -> float:
    return float(np.mean(values)) if len(values) else math.nan

"""Statistical process control: the XmR chart and its special-cause rules, as NHS England's "Making Data
Count" reads them and as its reference implementation (the NHS-R community's NHSRplotthedots) computes them.

Limits are the mean plus and minus 2.66 times the mean moving range. Moving ranges above 3.267 times their
mean are screened out before the limits are set, so one wild point does not widen them for every other.
The rules, strongest first: a point outside the limits; a trend of ``trend_points`` points each higher (or
lower) than the last; two of three points beyond two sigma on the same side of the mean; a run of
``run_points`` points on one side of the mean. The issue asks for a trend of six, the original Making Data
Count rule; NHSRplotthedots now uses seven, so both are parameters.

The points must not overlap: an XmR chart of rolling 12-month figures (each sharing nine months with its
neighbour) finds runs and trends in noise. The caller chooses non-overlapping points.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

LIMIT = 2.66  # 3 / d2, d2 = 1.128 for moving ranges of two points
SCREEN = 3.267  # D4 for moving ranges of two: above it a moving range is itself a special cause
RUN_POINTS = 7
TREND_POINTS = 6
RECOMMENDED_POINTS = 12  # NHSRplotthedots warns below 12; Making Data Count asks for 15 to 20 where it can

OUTSIDE_HIGH, OUTSIDE_LOW = "above the upper limit", "below the lower limit"
TREND_UP, TREND_DOWN = "part of a rising trend", "part of a falling trend"
TWO_OF_THREE_HIGH, TWO_OF_THREE_LOW = "two of three near the upper limit", "two of three near the lower limit"
RUN_HIGH, RUN_LOW = "part of a run above the mean", "part of a run below the mean"
COMMON = "common cause"
HIGH_CAUSES = (OUTSIDE_HIGH, TREND_UP, TWO_OF_THREE_HIGH, RUN_HIGH)

IMPROVEMENT = {"high_good": 1, "low_good": -1}
CONSISTENT_PASS, CONSISTENT_FAIL, HIT_AND_MISS = "consistently pass", "consistently fail", "hit and miss"


@dataclass(frozen=True)
class XmR:
    """An XmR chart of one series: its centre line, limits and what each point signals."""

    values: tuple[float, ...]
    mean: float
    lower: float
    upper: float
    near_lower: float  # two sigma: the "near a limit" lines of the two-of-three rule
    near_upper: float
    causes: tuple[str, ...]  # one per point: COMMON or the strongest special cause it is part of

    @property
    def too_few(self) -> bool:
        return len(self.values) < RECOMMENDED_POINTS

    def direction(self, index: int) -> int:
        """+1 when the point's special cause is high (or rising), -1 when low (or falling), 0 for common cause."""
        cause = self.causes[index]
        return 0 if cause == COMMON else (1 if cause in HIGH_CAUSES else -1)


def xmr(
    values: Sequence[float],
    *,
    screen_outliers: bool = True,
    run_points: int = RUN_POINTS,
    trend_points: int = TREND_POINTS,
) -> XmR | None:
    """The chart of ``values`` (oldest first, no gaps); None when fewer than two points have a value."""
    y = np.asarray([float(v) for v in values], dtype=float)
    y = y[np.isfinite(y)]
    if len(y) < 2:
        return None
    mean = float(y.mean())
    ranges = np.abs(np.diff(y))
    spread = float(ranges.mean())
    if screen_outliers and spread > 0:
        spread = float(ranges[ranges < SCREEN * spread].mean())
    lower, upper = mean - LIMIT * spread, mean + LIMIT * spread
    near = 2 * LIMIT / 3 * spread
    side = np.sign(y - mean).astype(int)
    outside = (y > upper) | (y < lower)
    close = ~outside & ((y > mean + near) | (y < mean - near))
    trend = _trend(y, trend_points)
    two_of_three = _two_of_three(close, side)
    run = _run(side, run_points)
    causes = []
    for i in range(len(y)):
        high = side[i] > 0
        if outside[i]:
            causes.append(OUTSIDE_HIGH if high else OUTSIDE_LOW)
        elif trend[i]:
            causes.append(TREND_UP if trend[i] > 0 else TREND_DOWN)
        elif two_of_three[i]:
            causes.append(TWO_OF_THREE_HIGH if high else TWO_OF_THREE_LOW)
        elif run[i]:
            causes.append(RUN_HIGH if high else RUN_LOW)
        else:
            causes.append(COMMON)
    return XmR(tuple(float(v) for v in y), mean, lower, upper, mean - near, mean + near, tuple(causes))


def _trend(y: np.ndarray, points: int) -> list[int]:
    """+1 / -1 for every point in a stretch of ``points`` or more, each strictly above (below) the last."""
    marks = [0] * len(y)
    steps = np.sign(np.diff(y)).astype(int)
    for end in range(points - 1, len(y)):
        window = steps[end - points + 1 : end]
        if len(window) and (abs(window.sum()) == len(window)):
            for i in range(end - points + 1, end + 1):
                marks[i] = int(window[0])
    return marks


def _two_of_three(close: np.ndarray, side: np.ndarray) -> list[bool]:
    """Points near a limit that are two of any three in a row near it, all three on the same side of the mean."""
    marks = [False] * len(close)
    for start in range(len(close) - 2):
        window = slice(start, start + 3)
        if close[window].sum() >= 2 and abs(side[window].sum()) == 3:
            for i in range(start, start + 3):
                marks[i] = marks[i] or bool(close[i])
    return marks


def _run(side: np.ndarray, points: int) -> list[bool]:
    """Every point of a run of ``points`` or more on one side of the mean (a point on the mean breaks it)."""
    marks = [False] * len(side)
    for end in range(points - 1, len(side)):
        window = side[end - points + 1 : end + 1]
        if window[0] != 0 and (window == window[0]).all():
            for i in range(end - points + 1, end + 1):
                marks[i] = True
    return marks


def variation(chart: XmR, polarity: str) -> str:
    """What the latest point says, in Making Data Count's terms: improvement, concern or neutral special cause
    (high or low), or common cause."""
    direction = chart.direction(len(chart.values) - 1)
    if direction == 0:
        return COMMON
    better = IMPROVEMENT.get(polarity)
    if better is None:
        return "special cause, " + ("high" if direction > 0 else "low")
    return "special cause improvement" if direction == better else "special cause concern"


def assurance(chart: XmR, target: float | None, polarity: str) -> str | None:
    """Whether the process as it runs now will meet the target: the target outside the limits is met (or
    missed) every time; inside them, hit and miss. None without a target or a direction that is better."""
    better = IMPROVEMENT.get(polarity)
    if target is None or better is None:
        return None
    if target > chart.upper:
        return CONSISTENT_FAIL if better > 0 else CONSISTENT_PASS
    if target < chart.lower:
        return CONSISTENT_PASS if better > 0 else CONSISTENT_FAIL
    return HIT_AND_MISS

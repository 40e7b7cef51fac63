"""Synthetic treatment counts for one cell (area x provider x substance group) per quarter.

Everything is drawn as counts, and rates are only ever derived from counts, so every figure the app shows
is internally consistent: numerators never exceed denominators, and sums over districts, providers and
substance groups are exact because the larger units are built by adding up the smaller ones.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

COUNT_COLUMNS = [
    "in_treatment",
    "new_presentations",
    "completers",
    "representations",
    "successful_completions",
    "exits",
    "planned_exits",
    "early_unplanned",
    "retained_12w",
    "first_interventions",
    "waits_3w",
    "long_2y",
    "long_4y",
]


@dataclass(frozen=True)
class SubstanceProfile:
    """Typical national behaviour of one substance group (2010s NDTMS orders of magnitude)."""

    completion: float  # completers in the rolling year / in treatment
    representation: float  # share of completers who come back within 6 months
    other_exits: float  # non-completion exits / those not completing
    planned_share: float  # share of non-completion exits that are planned transfers
    new: float  # new presentations / in treatment
    early_unplanned: float  # of new presentations
    retained: float
    waits_3w: float
    long_2y: float
    long_4y_of_2y: float


PROFILES: dict[str, SubstanceProfile] = {
    "opiate": SubstanceProfile(0.075, 0.16, 0.10, 0.25, 0.22, 0.10, 0.93, 0.97, 0.52, 0.55),
    "non_opiate": SubstanceProfile(0.42, 0.08, 0.25, 0.15, 0.70, 0.16, 0.82, 0.98, 0.08, 0.35),
    "alcohol": SubstanceProfile(0.42, 0.07, 0.22, 0.15, 0.68, 0.14, 0.83, 0.98, 0.07, 0.35),
    "alcohol_non_opiate": SubstanceProfile(0.36, 0.10, 0.26, 0.15, 0.62, 0.17, 0.80, 0.97, 0.10, 0.40),
}


def _clip(p: np.ndarray | float) -> np.ndarray:
    return np.clip(np.asarray(p, dtype=float), 0.001, 0.999)


def _rolling_sum(quarterly: np.ndarray) -> np.ndarray:
    """Sum of the last four quarters along the last axis (the first three columns are burn-in)."""
    cumulative = np.cumsum(quarterly, axis=-1)
    padded = np.concatenate([np.zeros_like(cumulative[..., :1]), cumulative], axis=-1)
    return padded[..., 4:] - padded[..., :-4]


def _quarterly(rng: np.random.Generator, n: np.ndarray, p: np.ndarray) -> np.ndarray:
    """A quarter's share of a rolling-year count: a quarter of the annual probability."""
    return rng.binomial(n, _clip(p) / 4.0)


def draw_counts(
    rng: np.random.Generator,
    in_treatment: np.ndarray,
    profile: SubstanceProfile,
    performance: np.ndarray,
) -> dict[str, np.ndarray]:
    """Every rolling 12-month count for cells x quarters, given their numbers in treatment.

    Each count is drawn quarter by quarter and summed over four quarters, so consecutive rolling figures
    share three quarters and move smoothly, as real rolling-year figures do. ``performance`` multiplies
    the completion probability (1.0 = typical), so areas and districts differ believably.
    """
    n_out = np.atleast_2d(np.asarray(in_treatment, dtype=np.int64))
    perf_out = np.broadcast_to(np.atleast_2d(np.asarray(performance, dtype=float)), n_out.shape)
    # Three burn-in quarters before the first period, at the first period's size and performance.
    n = np.concatenate([np.repeat(n_out[:, :1], 3, axis=1), n_out], axis=1)
    perf = np.concatenate([np.repeat(perf_out[:, :1], 3, axis=1), perf_out], axis=1)

    completers = _quarterly(rng, n, profile.completion * perf)
    representations = rng.binomial(completers, _clip(profile.representation / np.sqrt(perf)))
    other_exits = _quarterly(rng, n, profile.other_exits * (1 - profile.completion))
    planned_transfers = rng.binomial(other_exits, _clip(profile.planned_share))
    new = _quarterly(rng, n, profile.new)
    early = rng.binomial(new, _clip(profile.early_unplanned / perf))
    waits = rng.binomial(new, _clip(profile.waits_3w))
    retained = _quarterly(rng, n, profile.retained * (0.97 + 0.03 * perf))
    long_2y = _quarterly(rng, n, profile.long_2y)
    long_4y = rng.binomial(long_2y, _clip(profile.long_4y_of_2y))

    def rolling(values: np.ndarray) -> np.ndarray:
        return _rolling_sum(values)

    out = {
        "in_treatment": n_out,
        "new_presentations": rolling(new),
        "completers": rolling(completers),
        "representations": rolling(representations),
        "exits": rolling(completers + other_exits),
        "planned_exits": rolling(completers + planned_transfers),
        "early_unplanned": rolling(early),
        "first_interventions": rolling(new),
        "waits_3w": rolling(waits),
    }
    # Stocks are shares of those in treatment now: never more than the current caseload.
    out["retained_12w"] = np.minimum(rolling(retained), n_out)
    out["long_2y"] = np.minimum(rolling(long_2y), n_out)
    out["long_4y"] = np.minimum(rolling(long_4y), out["long_2y"])
    # Completions are people in treatment this year: cap at the caseload, keeping exits consistent.
    cap = np.minimum(out["completers"], n_out)
    excess = out["completers"] - cap
    out["completers"] = cap
    out["representations"] = np.minimum(out["representations"], cap)
    out["exits"] = out["exits"] - excess
    out["planned_exits"] = out["planned_exits"] - excess
    out["successful_completions"] = out["completers"] - out["representations"]
    return out


def split_integer(total: int, shares: np.ndarray) -> np.ndarray:
    """Split ``total`` into integers proportional to ``shares`` that add up exactly (largest remainder)."""
    shares = np.asarray(shares, dtype=float)
    exact = total * shares / shares.sum()
    floors = np.floor(exact).astype(np.int64)
    remainder = int(total - floors.sum())
    if remainder:
        order = np.argsort(-(exact - floors), kind="stable")
        floors[order[:remainder]] += 1
    return floors


def anchored_series(
    rng: np.random.Generator,
    n_periods: int,
    anchors: dict[int, float],
    noise: float = 0.015,
    exact: tuple[int, ...] = (),
) -> np.ndarray:
    """A believable quarterly series through ``anchors`` (index -> value), exact at ``exact`` indices."""
    idx = np.arange(n_periods)
    points = sorted(anchors.items())
    base = np.interp(idx, [p[0] for p in points], [p[1] for p in points])
    wobble = np.cumsum(rng.normal(0.0, noise, n_periods))
    wobble -= np.linspace(wobble[0], wobble[-1], n_periods)  # keep the anchors' overall shape
    series = np.rint(base * (1.0 + wobble)).astype(np.int64)
    for i in exact:
        series[i] = int(round(anchors[i]))
    return np.maximum(series, 0)


def counts_frame(cells: pd.DataFrame, periods: list[str], counts: dict[str, np.ndarray]) -> pd.DataFrame:
    """Long rows (cell x period) from cell-by-period count matrices; ``cells`` holds one row per cell."""
    n_cells, n_periods = counts["in_treatment"].shape
    frame = cells.loc[cells.index.repeat(n_periods)].reset_index(drop=True)
    frame["period"] = np.tile(np.asarray(periods, dtype=object), n_cells)
    for name in COUNT_COLUMNS:
        frame[name] = counts[name].reshape(-1)
    return frame

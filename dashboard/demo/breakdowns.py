"""Demonstration breakdowns by sex, age group and setting (community or prison), consistent with the persons
figures they break down.

Every category's count is a whole number and the categories of a dimension add up to the persons figure
exactly (largest-remainder split), and a rate's numerator never exceeds its denominator, so the
Inequalities view never shows parts that contradict the whole. Shares are calibrated to the seed papers
(North East Lincolnshire: "33% of clients female") and to NDTMS's national age profile (most adults in
treatment are 30-49). Somerset's 2011/12 plan splits its caseload between community and prison; here about
one adult in nine is treated in prison, and fewer of them complete successfully before release or transfer.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.demo.counts import split_integer

SEX_SHARES = {"Female": 0.32, "Male": 0.68}
AGE_SHARES = {"18-29": 0.2, "30-49": 0.55, "50+": 0.25}
SETTING_SHARES = {"Community": 0.89, "Prison": 0.11}
# How much likelier a category is to complete successfully than the average (a plausible, mild gradient).
COMPLETION_LIFT = {
    "Female": 1.1,
    "Male": 0.95,
    "18-29": 0.85,
    "30-49": 1.0,
    "50+": 1.15,
    "Community": 1.05,
    "Prison": 0.6,
}
COUNT_INDICATORS = ("in_treatment",)
RATE_INDICATORS = ("successful_completion_rate",)


def split_rows(totals: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Each total (a whole number) split in proportion to its row of ``weights`` into whole numbers that add up
    to it exactly (largest remainder): ``split_integer`` for many rows at once."""
    totals = np.round(np.asarray(totals, dtype=float)).astype(np.int64)
    weights = np.asarray(weights, dtype=float)
    sums = weights.sum(axis=1, keepdims=True)
    exact = np.divide(totals[:, None] * weights, sums, out=np.zeros_like(weights), where=sums > 0)
    floors = np.floor(exact).astype(np.int64)
    remainder = totals - floors.sum(axis=1)
    ranks = np.argsort(np.argsort(-(exact - floors), axis=1, kind="stable"), axis=1)
    return floors + (ranks < remainder[:, None])


def capped_rows(totals: np.ndarray, weights: np.ndarray, caps: np.ndarray) -> np.ndarray:
    """``split_rows`` with no part above its cap (a category's completions never exceed its caseload); the rare
    row a cap binds is split again one by one, what is cut off going to the categories with most room."""
    parts = split_rows(totals, weights)
    for i in np.flatnonzero((parts > caps).any(axis=1)):
        parts[i] = np.minimum(split_integer(int(round(totals[i])), weights[i]), caps[i])
        for _ in range(int(round(totals[i])) - int(parts[i].sum())):
            room = caps[i] - parts[i]
            if room.max() <= 0:
                break
            parts[i, int(np.argmax(room))] += 1
    return parts


def _area_shares(rng: np.random.Generator, areas: list[str]) -> dict[str, dict[str, np.ndarray]]:
    """Each area's own sex and age mix, drawn once so an area's profile is steady over time."""
    out = {}
    for area in areas:
        female = float(np.clip(rng.normal(SEX_SHARES["Female"], 0.03), 0.2, 0.45))
        ages = rng.dirichlet(np.array(list(AGE_SHARES.values())) * 60)
        out[area] = {"sex": np.array([female, 1 - female]), "age_group": ages}
    for area in areas:  # drawn after the others, so adding the setting left every sex and age figure as it was
        prison = float(np.clip(rng.normal(SETTING_SHARES["Prison"], 0.025), 0.04, 0.2))
        out[area]["setting"] = np.array([1 - prison, prison])
    return out


DIMENSION_CATEGORIES = {"sex": list(SEX_SHARES), "age_group": list(AGE_SHARES), "setting": list(SETTING_SHARES)}


def breakdown_observations(observations: pd.DataFrame, areas: list[str], seed: int) -> pd.DataFrame:
    """Sex, age-group and setting figures for the all-providers rows of ``areas`` (in treatment and successful
    completion rate), in the columns of ``observations`` plus ``breakdown``."""
    rng = np.random.default_rng(seed + 7919)
    shares = _area_shares(rng, areas)
    persons = observations[observations["area_code"].isin(areas) & observations["provider_code"].isna()]
    parts = []
    for indicator in (*COUNT_INDICATORS, *RATE_INDICATORS):
        rows = persons[persons["indicator"] == indicator].reset_index(drop=True)
        for dimension, categories in DIMENSION_CATEGORIES.items():
            weights = np.stack([shares[a][dimension] for a in rows["area_code"]]) if len(rows) else np.empty((0, 0))
            parts += _split(rows, indicator in COUNT_INDICATORS, dimension, categories, weights)
    if not parts:
        return pd.DataFrame(columns=[*observations.columns, "breakdown"])
    return pd.concat(parts, ignore_index=True)[[*observations.columns, "breakdown"]]


def _split(
    rows: pd.DataFrame, is_count: bool, dimension: str, categories: list[str], weights: np.ndarray
) -> list[pd.DataFrame]:
    """One frame per category of ``dimension``: counts split by the area's mix, or a rate's denominator split
    by the mix and its numerator by the mix and each category's likelihood of completing."""
    if is_count:
        counts = split_rows(rows["value"].to_numpy(), weights)
        return [
            rows.assign(value=counts[:, j].astype(float), breakdown=f"{dimension}={c}")
            for j, c in enumerate(categories)
        ]
    denominators = split_rows(rows["denominator"].to_numpy(), weights)
    lift = np.array([COMPLETION_LIFT[c] for c in categories])
    numerators = capped_rows(rows["numerator"].to_numpy(), denominators * lift, denominators)
    out = []
    for j, c in enumerate(categories):
        x, n = numerators[:, j].astype(float), denominators[:, j].astype(float)
        with np.errstate(divide="ignore", invalid="ignore"):
            value = np.where(n > 0, 100.0 * x / n, np.nan)
        frame = rows.assign(numerator=x, denominator=n, value=value, breakdown=f"{dimension}={c}")
        out.append(frame[n > 0])
    return out

"""Demonstration figures for the National Combating Drugs Outcomes Framework indicators of the registry.

Two kinds, both drawn from the demonstration counts already in the dataset so that everything agrees:

- Need and routes at the start of treatment (housing problem, employment need, criminal-justice referral), as
  shares of each cell's new presentations, rolling 12 months like the other NDTMS measures. Drawn for the
  smallest cells (district x provider, or a whole area that has no split) and summed to every level above, so
  a partnership's numerator is its districts' and providers' numerators added up. Magnitudes follow the real
  Barnet ViewIt export of 2018/19 (for example 18% of opiate new presentations referred by criminal justice).
- Met and unmet need, by financial year, for each county or unitary and England: adults in treatment for
  alcohol are the demonstration's own alcohol only plus alcohol & non-opiate caseload in the 12 months to Q4
  (as NDTMS and ONS SDG 3.5.1 count them), opiate/crack users in treatment its opiate caseload; the estimate
  of dependent users is set so that unmet need sits where the real England-wide files put it (alcohol
  75-85%, opiate/crack 40-60%). Unmet = estimate - in treatment, met + unmet = 100%, and the 95% limits are
  made the way Fingertips makes them, from the estimate's own limits.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from dashboard.demo.partnership import DemoDataset
from dashboard.domain.breakdowns import PERSONS
from dashboard.domain.periods import PeriodSpec, parse_published_period

SEED_OFFSET = 13  # the framework figures draw from their own stream: the core figures stay as they were
KEYS = ["area_code", "provider_code", "substance_group", "period"]
GROUPS = ("opiate", "non_opiate", "alcohol", "alcohol_non_opiate")

HOUSING, EMPLOYMENT, CRIMINAL_JUSTICE = (
    "housing_problem_at_start",
    "employment_need_at_start",
    "criminal_justice_referrals",
)
# Share of new presentations with the need (of those whose answer was recorded), by substance group.
START_SHARES = {
    HOUSING: {"opiate": 0.29, "non_opiate": 0.11, "alcohol": 0.15, "alcohol_non_opiate": 0.21},
    EMPLOYMENT: {"opiate": 0.53, "non_opiate": 0.35, "alcohol": 0.44, "alcohol_non_opiate": 0.36},
    CRIMINAL_JUSTICE: {"opiate": 0.18, "non_opiate": 0.11, "alcohol": 0.12, "alcohol_non_opiate": 0.11},
}
# Share of new presentations whose answer was recorded (the denominator); every referral has a source.
RECORDED = {HOUSING: 0.97, EMPLOYMENT: 0.90, CRIMINAL_JUSTICE: 1.0}

UNMET_ALCOHOL, UNMET_OPIATE = "unmet_need_alcohol", "unmet_need_opiate_crack"
ESTIMATE, IN_TREATMENT, MET_NEED = "alcohol_dependency_estimate", "alcohol_in_treatment", "alcohol_met_need"
# Met need in the reference year, drawn per area from these ranges (unmet need = 1 - met need).
MET_SHARE = {"alcohol": (0.16, 0.23), "opiate": (0.43, 0.57)}
REFERENCE_YEAR = "2017/18"
# The estimate's 95% limits as multiples of the estimate (real files: about 0.76-0.89 and 1.11-1.37 locally).
LIMITS = {"lower": (0.76, 0.86), "upper": (1.15, 1.36)}
ENGLAND_LIMITS = (0.99, 1.035)
TREATED_GROUPS = {"alcohol": ("alcohol", "alcohol_non_opiate"), "opiate": ("opiate",)}

FRAMEWORK_INDICATORS = (
    HOUSING,
    EMPLOYMENT,
    CRIMINAL_JUSTICE,
    UNMET_ALCOHOL,
    UNMET_OPIATE,
    ESTIMATE,
    IN_TREATMENT,
    MET_NEED,
)


def with_framework_figures(dataset: DemoDataset, seed: int = 0) -> DemoDataset:
    """The dataset with demonstration figures for every framework indicator added (and their financial years)."""
    rng = np.random.default_rng(seed + SEED_OFFSET)
    start = start_of_treatment(dataset, rng)
    need, years = met_and_unmet_need(dataset, rng)
    added = pd.concat([start, need], ignore_index=True).assign(breakdown=PERSONS)
    observations = pd.concat([dataset.observations, added], ignore_index=True)
    return dataclasses.replace(dataset, observations=observations, periods=[*dataset.periods, *years])


def persons_rows(observations: pd.DataFrame, indicator: str) -> pd.DataFrame:
    """One indicator's all-persons figures (the dataset may also hold sex and age-group breakdowns)."""
    rows = observations[observations["indicator"] == indicator]
    if "breakdown" in rows:
        rows = rows[rows["breakdown"].fillna(PERSONS) == PERSONS]
    return rows


# --- need and routes at the start of treatment ------------------------------------------------------------


def leaf_cells(presentations: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    """The smallest cells: a provider's figures in an area with no areas below it, or an area with neither."""
    with_rows = set(presentations["area_code"])
    parents = set(areas.loc[areas["code"].isin(with_rows), "parent_code"].dropna())
    split = set(presentations.loc[presentations["provider_code"].notna(), "area_code"])
    bottom = ~presentations["area_code"].isin(parents)
    leaf = bottom & (presentations["provider_code"].notna() | ~presentations["area_code"].isin(split))
    return presentations[leaf & (presentations["substance_group"] != "all")]


def roll_up(leaves: pd.DataFrame, areas: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Leaf counts summed to all providers, then up the area hierarchy, then over substance groups."""
    frame = leaves.assign(provider_code=leaves["provider_code"].fillna(""))
    split = frame[frame["provider_code"] != ""]
    totals = split.groupby(["area_code", "substance_group", "period"], as_index=False)[columns].sum()
    frame = pd.concat([frame, totals.assign(provider_code="")], ignore_index=True)
    parent = dict(zip(areas["code"], areas["parent_code"], strict=True))
    drawn = set(leaves["area_code"])  # England drawn as a whole is not also the sum of the areas below it
    level = frame
    while True:
        level = level.assign(area_code=level["area_code"].map(parent))
        level = level[level["area_code"].notna() & ~level["area_code"].isin(drawn)]
        if level.empty:
            break
        level = level.groupby(KEYS, as_index=False)[columns].sum()
        frame = pd.concat([frame, level], ignore_index=True)
    every = frame.groupby(["area_code", "provider_code", "period"], as_index=False)[columns].sum()
    frame = pd.concat([frame, every.assign(substance_group="all")], ignore_index=True)
    return frame.assign(provider_code=frame["provider_code"].replace({"": None}))


def smooth_shares(rng: np.random.Generator, base: np.ndarray, periods: int) -> np.ndarray:
    """Per-cell shares that move slowly from quarter to quarter (rolling 12-month figures overlap)."""
    level = base * np.clip(rng.normal(1.0, 0.12, len(base)), 0.7, 1.3)
    walk = np.exp(np.cumsum(rng.normal(0.0, 0.015, (len(base), periods)), axis=1))
    return np.clip(level[:, None] * walk, 0.001, 0.95)  # deaths in treatment are under 1%


@dataclasses.dataclass(frozen=True)
class Cells:
    """The smallest cells of one indicator's counts, indexed so each cell can be given its own slowly moving
    share: ``cell`` numbers the (area, provider, substance group) cells, ``column`` each row's period."""

    leaves: pd.DataFrame  # KEYS and the base count ("value")
    cell: np.ndarray
    column: np.ndarray
    groups: np.ndarray  # each cell's substance group
    n_periods: int
    wanted: pd.DataFrame  # every row (KEYS, blank provider as "") the base indicator has, at every level

    def shares(self, rng: np.random.Generator, by_group: dict[str, float]) -> np.ndarray:
        """A share per leaf row, about ``by_group`` for its substance group, varying by cell and over time."""
        base = np.array([by_group[g] for g in self.groups])
        return smooth_shares(rng, base, self.n_periods)[self.cell, self.column]

    def rolling_sum(self, quarterly: np.ndarray) -> np.ndarray:
        """Each cell's rolling 12-month total of quarterly counts: the sum of its last four quarters, so
        neighbouring windows share three quarters as published rolling figures do. A cell's first quarters,
        with fewer than four behind them, are scaled up to a year from what they have."""
        frame = pd.DataFrame({"cell": self.cell, "column": self.column, "q": quarterly}).sort_values(["cell", "column"])
        groups = frame.groupby("cell")["q"]
        summed = groups.rolling(4, min_periods=1).sum().to_numpy()
        seen = np.minimum(groups.cumcount().to_numpy() + 1, 4)
        out = np.empty(len(frame))
        out[frame.index.to_numpy()] = np.round(summed * 4 / seen)
        return out

    def rolling_draws(self, rng: np.random.Generator, n: np.ndarray, p: np.ndarray) -> np.ndarray:
        """Events in the rolling 12 months among ``n`` people at risk, a quarter of the yearly chance ``p`` drawn
        each quarter: rare events (a death in treatment) neither round away in small cells nor jump about
        from one overlapping window to the next."""
        quarterly = rng.binomial(np.round(n).astype(np.int64), np.clip(p / 4, 0.0, 1.0))
        return np.minimum(self.rolling_sum(quarterly), n)

    def rolled(self, counts: pd.DataFrame, areas: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
        """Leaf ``counts`` summed to every level the base indicator is published at (blank provider as "")."""
        rolled = roll_up(counts, areas, columns)
        return rolled.assign(provider_code=rolled["provider_code"].fillna("")).merge(self.wanted, on=KEYS)


def cells_of(dataset: DemoDataset, indicator: str) -> Cells:
    rows = persons_rows(dataset.observations, indicator)[[*KEYS, "value"]]
    leaves = leaf_cells(rows, dataset.areas).reset_index(drop=True)
    order = [p.label for p in dataset.periods]
    periods = sorted(leaves["period"].unique(), key=order.index)
    column = leaves["period"].map({label: i for i, label in enumerate(periods)}).to_numpy()
    keys = leaves["area_code"] + "|" + leaves["provider_code"].fillna("") + "|" + leaves["substance_group"]
    cell, _cells = pd.factorize(keys)
    groups = leaves.groupby(cell)["substance_group"].first().to_numpy()
    wanted = rows[KEYS].assign(provider_code=rows["provider_code"].fillna(""))
    return Cells(leaves, cell, column, groups, len(periods), wanted)


def rate_rows(rolled: pd.DataFrame, indicator: str, numerator: str, denominator: str) -> pd.DataFrame:
    """A percentage indicator's rows from rolled-up counts; a cell with no denominator keeps a row, no value."""
    num, den = rolled[numerator].to_numpy(float), rolled[denominator].to_numpy(float)
    part = rolled[KEYS].assign(indicator=indicator, numerator=num, denominator=den)
    with np.errstate(divide="ignore", invalid="ignore"):
        part["value"] = np.where(den > 0, 100.0 * num / den, np.nan)
    return part.assign(provider_code=part["provider_code"].replace({"": None}))


def share_indicators(
    dataset: DemoDataset,
    rng: np.random.Generator,
    base: str,
    shares: dict[str, dict[str, float]],
    recorded: dict[str, float],
    binomial: bool = False,
) -> pd.DataFrame:
    """Percentage indicators whose denominator is the ``recorded`` share of ``base``'s count and whose numerator
    is a share of that, drawn per smallest cell and summed to every level ``base`` is held at. ``binomial``
    draws each numerator as quarterly events summed over the rolling year (``Cells.rolling_draws``) rather than
    rounding it: a rare event rounded in every small cell would add up to almost none."""
    cells = cells_of(dataset, base)
    counts = cells.leaves[KEYS].copy()
    total = cells.leaves["value"].to_numpy(float)
    names = []
    for indicator, by_group in shares.items():
        share = cells.shares(rng, by_group)
        denominator = np.round(total * recorded.get(indicator, 1.0))
        counts[f"{indicator}_den"] = denominator
        drawn = cells.rolling_draws(rng, denominator, share) if binomial else np.round(denominator * share)
        counts[f"{indicator}_num"] = np.minimum(drawn, denominator)
        names += [f"{indicator}_num", f"{indicator}_den"]
    rolled = cells.rolled(counts, dataset.areas, names)
    parts = [rate_rows(rolled, i, f"{i}_num", f"{i}_den") for i in shares]
    return pd.concat(parts, ignore_index=True)


def start_of_treatment(dataset: DemoDataset, rng: np.random.Generator) -> pd.DataFrame:
    """Housing need, employment need and criminal-justice referrals among new presentations, at every level the
    dataset holds new presentations for."""
    return share_indicators(dataset, rng, "new_presentations", START_SHARES, RECORDED)


# --- met and unmet need -----------------------------------------------------------------------------------


def _financial_years(dataset: DemoDataset) -> dict[str, PeriodSpec]:
    """Each financial year whose fourth quarter the dataset holds: Q4's rolling 12 months is that year."""
    out = {}
    for spec in dataset.periods:
        if spec.kind == "fy_quarter" and spec.label.endswith("Q4"):
            year = parse_published_period(spec.label.split()[0].replace("-", "/"))
            out[spec.label] = year
    return out


def _treated(dataset: DemoDataset, years: dict[str, PeriodSpec]) -> pd.DataFrame:
    """Adults in treatment by area (counties, unitaries and England, all providers), financial year and need."""
    obs = persons_rows(dataset.observations, "in_treatment")
    areas = dataset.areas.set_index("code")["area_type"]
    rows = obs[
        obs["provider_code"].isna() & obs["period"].isin(years) & obs["area_code"].map(areas).isin(["utla", "england"])
    ]
    out = []
    for need, groups in TREATED_GROUPS.items():
        part = (
            rows[rows["substance_group"].isin(groups)].groupby(["area_code", "period"], as_index=False)["value"].sum()
        )
        out.append(part.assign(need=need, year=part["period"].map({k: v.label for k, v in years.items()})))
    return pd.concat(out, ignore_index=True)


def met_and_unmet_need(dataset: DemoDataset, rng: np.random.Generator) -> tuple[pd.DataFrame, list[PeriodSpec]]:
    """Estimates, alcohol in treatment, met need and unmet need for every county, unitary and England."""
    years = _financial_years(dataset)
    treated = _treated(dataset, years)
    order = [y.label for y in years.values()]
    rows = []
    for (area, need), part in treated.groupby(["area_code", "need"], sort=True):
        part = part.set_index("year").reindex(order).dropna(subset=["value"])
        if part.empty:
            continue
        low, high = MET_SHARE[need]
        reference = part["value"].get(REFERENCE_YEAR, part["value"].iloc[-1])
        base = reference / rng.uniform(low, high)
        growth = rng.normal(0.004, 0.004)
        if area == "E92000001":
            limits = ENGLAND_LIMITS
        else:
            limits = (rng.uniform(*LIMITS["lower"]), rng.uniform(*LIMITS["upper"]))
        for year, treat in part["value"].items():
            step = order.index(year) - order.index(REFERENCE_YEAR) if REFERENCE_YEAR in order else 0
            estimate = max(round(base * (1 + growth) ** step * rng.normal(1.0, 0.004)), int(treat) + 1)
            rows.append((area, need, year, float(treat), float(estimate), *limits))
    frame = pd.DataFrame(rows, columns=["area_code", "need", "period", "treated", "estimate", "low", "high"])
    return _need_observations(frame), list(years.values())


def _need_observations(frame: pd.DataFrame) -> pd.DataFrame:
    base = frame[["area_code", "period"]].assign(provider_code=None, substance_group="all")
    treated, estimate = frame["treated"].to_numpy(), frame["estimate"].to_numpy()
    low, high = estimate * frame["low"].to_numpy(), estimate * frame["high"].to_numpy()
    unmet = estimate - treated
    alcohol = (frame["need"] == "alcohol").to_numpy()
    parts = [
        base.assign(
            indicator=np.where(alcohol, UNMET_ALCOHOL, UNMET_OPIATE),
            numerator=unmet,
            denominator=estimate,
            value=100.0 * unmet / estimate,
            lower_ci_95=100.0 * np.clip(1.0 - treated / low, 0.0, 1.0),
            upper_ci_95=100.0 * np.clip(1.0 - treated / high, 0.0, 1.0),
        ),
        base.assign(
            indicator=ESTIMATE, numerator=np.nan, denominator=np.nan, value=estimate, lower_ci_95=low, upper_ci_95=high
        )[alcohol],
        base.assign(indicator=IN_TREATMENT, numerator=np.nan, denominator=np.nan, value=treated)[alcohol],
        base.assign(indicator=MET_NEED, numerator=treated, denominator=estimate, value=100.0 * treated / estimate)[
            alcohol
        ],
    ]
    out = pd.concat(parts, ignore_index=True)
    out[["lower_ci_95", "upper_ci_95"]] = out[["lower_ci_95", "upper_ci_95"]].astype(float)
    return out

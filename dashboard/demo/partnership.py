"""The demonstration partnership: Leicestershire, its seven districts, two providers and 15 comparators.

Calibrated to the Leicestershire Safer Communities Strategy Board paper of June 2018 (seed 000): in the
rolling 12 months to 2017-18 Q4, 1129 opiate, 556 alcohol only, 102 non-opiate only and 144 alcohol &
non-opiate clients; 429 alcohol clients in the 12 months to 2017-18 Q1 (June 2017); 121 young people.
Everything else is invented but consistent, and the same seed always gives the same numbers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from dashboard.demo import geography
from dashboard.demo.breakdowns import breakdown_observations
from dashboard.demo.counts import PROFILES, anchored_series, counts_frame, draw_counts, split_integer
from dashboard.demo.observations import ALL_PROVIDERS, add_totals, aggregate_partnership, to_observations
from dashboard.domain.periods import PeriodSpec, parse_period, quarters_between

PARTNERSHIP_CODE = "E10000018"  # Leicestershire
COMPARATOR_CODES = (
    "E10000007",
    "E10000024",
    "E10000019",
    "E10000028",
    "E10000031",
    "E10000034",
    "E10000013",
    "E10000003",
    "E10000029",
    "E10000020",
    "E10000012",
    "E10000016",
    "E10000014",
    "E10000025",
    "E10000032",
)
COMPARATOR_GROUP_CODE = "DEMO-LEICS-COUNTIES"
FIRST_QUARTER, LAST_QUARTER = "2012-13 Q1", "2019-20 Q4"


@dataclass(frozen=True)
class ProviderSpec:
    code: str
    name: str
    role: str
    share: float
    partnership_code: str = PARTNERSHIP_CODE


PROVIDERS = (
    ProviderSpec("turning-point", "Turning Point", "main", 0.89),
    ProviderSpec("dear-albert", "Dear Albert (Next Steps aftercare)", "sub-contractor", 0.11),
)

# Relative need per district, by substance group (the county's opiate caseload leans to Charnwood
# and North West Leicestershire; alcohol follows population more closely).
DISTRICT_NEED = {
    "E07000129": {"opiate": 0.95, "non_opiate": 1.00, "alcohol": 0.95, "alcohol_non_opiate": 1.0},
    "E07000130": {"opiate": 1.20, "non_opiate": 1.25, "alcohol": 1.05, "alcohol_non_opiate": 1.2},
    "E07000131": {"opiate": 0.70, "non_opiate": 0.80, "alcohol": 0.90, "alcohol_non_opiate": 0.8},
    "E07000132": {"opiate": 1.05, "non_opiate": 1.00, "alcohol": 1.05, "alcohol_non_opiate": 1.0},
    "E07000133": {"opiate": 0.90, "non_opiate": 0.85, "alcohol": 1.00, "alcohol_non_opiate": 0.9},
    "E07000134": {"opiate": 1.15, "non_opiate": 1.00, "alcohol": 1.05, "alcohol_non_opiate": 1.1},
    "E07000135": {"opiate": 0.85, "non_opiate": 0.90, "alcohol": 0.90, "alcohol_non_opiate": 0.9},
}


def _quarters() -> list[PeriodSpec]:
    return quarters_between(parse_period(FIRST_QUARTER), parse_period(LAST_QUARTER))


def _index(label: str) -> int:
    return [q.label for q in _quarters()].index(label)


def _anchors() -> dict[str, tuple[dict[int, float], tuple[int, ...]]]:
    """In-treatment anchors per substance group, exact where the board paper gives the figure."""
    q4_1718, q1_1718 = _index("2017-18 Q4"), _index("2017-18 Q1")
    last = len(_quarters()) - 1
    return {
        "opiate": ({0: 1240, 12: 1180, q4_1718: 1129, last: 1085}, (q4_1718,)),
        "non_opiate": ({0: 150, 12: 118, q4_1718: 102, last: 112}, (q4_1718,)),
        "alcohol": (
            {0: 520, 12: 455, q1_1718 - 2: 425, q1_1718: 429, q4_1718: 556, last - 4: 590, last: 610},
            (q1_1718, q4_1718),
        ),
        "alcohol_non_opiate": ({0: 118, 12: 128, q4_1718: 144, last: 151}, (q4_1718,)),
    }


def _young_people_anchors() -> tuple[dict[int, float], tuple[int, ...]]:
    q4_1718 = _index("2017-18 Q4")
    return {0: 150, 12: 128, q4_1718: 121, len(_quarters()) - 1: 118}, (q4_1718,)


def _contract_ramp(n_periods: int) -> np.ndarray:
    """Completion performance improving after the new contract began (1 July 2016, 2016-17 Q2)."""
    start = _index("2016-17 Q2")
    ramp = np.clip((np.arange(n_periods) - start) / 6.0, 0.0, 1.0)
    return 0.94 + 0.10 * ramp


def _partnership_leaf(rng: np.random.Generator) -> pd.DataFrame:
    quarters = _quarters()
    labels = [q.label for q in quarters]
    districts = geography.districts_of(PARTNERSHIP_CODE)["code"].tolist()
    population = geography.population_2021()
    ramp = _contract_ramp(len(quarters))
    cells = pd.DataFrame([(d, p.code) for d in districts for p in PROVIDERS], columns=["area_code", "provider_code"])
    frames = []
    for group, (anchors, exact) in _anchors().items():
        totals = anchored_series(rng, len(quarters), anchors, exact=exact)
        base_shares = np.array(
            [population[d] * DISTRICT_NEED[d][group] * p.share for d in districts for p in PROVIDERS]
        )
        # Shares drift slowly over time (a random walk), so districts' caseloads move believably.
        drift = np.exp(np.cumsum(rng.normal(0.0, 0.02, (len(base_shares), len(quarters))), axis=1))
        shares = base_shares[:, None] * drift
        in_treatment = np.column_stack([split_integer(int(totals[t]), shares[:, t]) for t in range(len(quarters))])
        district_perf = np.repeat(rng.normal(1.0, 0.10, len(districts)), len(PROVIDERS))
        perf = district_perf[:, None] * ramp[None, :]
        counts = draw_counts(rng, in_treatment, PROFILES[group], perf)
        frames.append(counts_frame(cells.assign(substance_group=group), labels, counts))
    return pd.concat(frames, ignore_index=True)


def _young_people(rng: np.random.Generator, area_code: str, scale: float, leaf_shares: dict | None) -> pd.DataFrame:
    anchors, exact = _young_people_anchors()
    quarters = _quarters()
    if scale != 1.0:
        anchors, exact = {k: v * scale for k, v in anchors.items()}, ()
    series = anchored_series(rng, len(quarters), anchors, noise=0.03, exact=exact)
    rows = []
    for t, spec in enumerate(quarters):
        if leaf_shares is None:
            rows.append((area_code, ALL_PROVIDERS, spec.label, int(series[t])))
            continue
        keys = list(leaf_shares)
        split = split_integer(int(series[t]), np.array([leaf_shares[k] for k in keys]))
        rows.extend((k[0], k[1], spec.label, int(v)) for k, v in zip(keys, split, strict=True))
    frame = pd.DataFrame(rows, columns=["area_code", "provider_code", "period", "young_people"])
    frame["substance_group"] = "all"
    return frame


def _single_area_counts(
    rng: np.random.Generator, code: str, anchors: dict[str, dict[int, float]], noise: float, perf_sd: float
) -> pd.DataFrame:
    """All-provider counts for one area with no district or provider breakdown (comparators, England)."""
    labels = [q.label for q in _quarters()]
    cell = pd.DataFrame({"area_code": [code], "provider_code": [ALL_PROVIDERS]})
    frames = []
    for group, points in anchors.items():
        totals = anchored_series(rng, len(labels), points, noise=noise)
        perf = np.clip(rng.normal(1.0, perf_sd), 0.6, 1.5) if perf_sd else 1.0
        counts = draw_counts(rng, totals[None, :], PROFILES[group], np.full((1, len(labels)), perf))
        frames.append(counts_frame(cell.assign(substance_group=group), labels, counts))
    return add_totals(pd.concat(frames, ignore_index=True), "substance_group", "all")


def _comparator_counts(rng: np.random.Generator, code: str, scale: float, need: float) -> pd.DataFrame:
    anchors = {group: {k: v * scale * need for k, v in points.items()} for group, (points, _) in _anchors().items()}
    return _single_area_counts(rng, code, anchors, noise=0.015, perf_sd=0.15)


ENGLAND_ANCHORS = {
    "opiate": {0: 150000, 23: 141000, 31: 139000},
    "non_opiate": {0: 32000, 23: 27000, 31: 29500},
    "alcohol": {0: 88000, 23: 75000, 31: 77500},
    "alcohol_non_opiate": {0: 30000, 23: 25500, 31: 27000},
}


def _england_counts(rng: np.random.Generator) -> pd.DataFrame:
    return _single_area_counts(rng, geography.ENGLAND_CODE, ENGLAND_ANCHORS, noise=0.004, perf_sd=0.0)


@dataclass
class DemoDataset:
    """Everything the loader writes, as plain frames and lists (no database objects)."""

    areas: pd.DataFrame
    providers: list[ProviderSpec]
    periods: list[PeriodSpec]
    observations: pd.DataFrame
    comparator_groups: list[dict] = field(default_factory=list)
    targets: list[dict] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    annotations: list[dict] = field(default_factory=list)


# Events a commissioner would mark on the charts; the first is the contract change the figures follow.
DEMO_ANNOTATIONS = (
    (PARTNERSHIP_CODE, "2016-07-01", "New treatment provider contract started"),
    ("E07000132", "2018-04-09", "Criminal justice worker started in the Hinckley courts"),
    (PARTNERSHIP_CODE, "2019-01-14", "Alcohol outreach in primary care began"),
)


def _areas() -> pd.DataFrame:
    rows = [(geography.ENGLAND_CODE, "England", "england", None)]
    regions: dict[str, str] = {}
    for code in (PARTNERSHIP_CODE, *COMPARATOR_CODES):
        region_code, region_name = geography.utla_region(code)
        regions[region_code] = region_name
    rows += [(code, name, "region", geography.ENGLAND_CODE) for code, name in sorted(regions.items())]
    for code in (PARTNERSHIP_CODE, *COMPARATOR_CODES):
        rows.append((code, geography.utla_name(code), "utla", geography.utla_region(code)[0]))
    for _, district in geography.districts_of(PARTNERSHIP_CODE).iterrows():
        rows.append((district["code"], district["name"], "ltla", PARTNERSHIP_CODE))
    return pd.DataFrame(rows, columns=["code", "name", "area_type", "parent_code"])


def _targets() -> list[dict]:
    start = "2017-04-01"
    spec = [
        ("successful_completion_rate", "opiate", 7.0, "Opiate completions at or above 7% (LOC top quartile)"),
        ("successful_completion_rate", "non_opiate", 40.0, "Non-opiate completions at or above 40%"),
        ("successful_completion_rate", "alcohol", 42.0, "Alcohol completions at or above 42%"),
        ("successful_completion_rate", "alcohol_non_opiate", 35.0, "Alcohol & non-opiate completions at 35%"),
        ("waits_under_3_weeks", "all", 96.0, "96% of clients waiting under 3 weeks"),
        ("retained_12_weeks", "all", 85.0, "Retention at 12 weeks above 85%"),
        ("long_term_4y", "opiate", 15.0, "Under 15% of opiate clients in treatment 4+ years"),
    ]
    return [
        {
            "indicator": i,
            "area_code": PARTNERSHIP_CODE,
            "substance_group": g,
            "value": v,
            "description": d,
            "valid_from": start,
        }
        for i, g, v, d in spec
    ]


BASELINE_PERIOD, BASELINE_END = "2017-18 Q4", "2018-03-31"
AMBITION_RISE, AMBITION_BY = 0.20, "2021-03-31"  # a fifth more adults in treatment, as the 2021 strategy asked


def _baseline_and_ambition(observations: pd.DataFrame) -> list[dict]:
    """The partnership's baseline number in treatment (its own figure for the baseline period, as the
    framework's baselines are) and a local ambition a fifth above it."""
    rows = observations[
        (observations["indicator"] == "in_treatment")
        & (observations["area_code"] == PARTNERSHIP_CODE)
        & observations["provider_code"].isna()
        & (observations["substance_group"] == "all")
        & (observations["period"] == BASELINE_PERIOD)
        & (observations["breakdown"] == "")
    ]
    baseline = float(rows["value"].iloc[0])
    common = {"indicator": "in_treatment", "area_code": PARTNERSHIP_CODE, "substance_group": "all"}
    return [
        {
            **common,
            "kind": "baseline",
            "value": baseline,
            "valid_to": BASELINE_END,
            "description": "12 months to March 2018",
        },
        {
            **common,
            "kind": "ambition",
            "value": float(round(baseline * (1 + AMBITION_RISE))),
            "valid_to": AMBITION_BY,
            "description": "Local ambition: a fifth more adults in treatment (demo)",
        },
    ]


def build_demo_dataset(seed: int = 0) -> DemoDataset:
    """The whole demonstration dataset for ``seed``; pure (no database), so it can be unit-tested."""
    rng = np.random.default_rng(seed)
    leaf = _partnership_leaf(rng)
    partnership = aggregate_partnership(leaf, PARTNERSHIP_CODE)
    population = geography.population_2021()
    district_shares = {
        (d, p.code): population[d] * p.share
        for d in geography.districts_of(PARTNERSHIP_CODE)["code"]
        for p in PROVIDERS
    }
    young = _young_people(rng, PARTNERSHIP_CODE, 1.0, district_shares)
    young = add_totals(young, "area_code", PARTNERSHIP_CODE, ["young_people"])
    young = add_totals(young, "provider_code", ALL_PROVIDERS, ["young_people"])

    home_population = geography.utla_population(PARTNERSHIP_CODE)
    comparator_frames, comparator_young = [], []
    for code in COMPARATOR_CODES:
        scale = geography.utla_population(code) / home_population
        need = float(rng.uniform(0.8, 1.25))
        comparator_frames.append(_comparator_counts(rng, code, scale, need))
        comparator_young.append(_young_people(rng, code, scale * need, None))
    england = _england_counts(rng)

    counts = pd.concat([partnership, *comparator_frames, england], ignore_index=True)
    observations = to_observations(counts)
    young_all = pd.concat([young, *comparator_young], ignore_index=True)
    young_obs = young_all.rename(columns={"young_people": "value"})
    young_obs["indicator"] = "young_people_in_treatment"
    young_obs["value"] = young_obs["value"].astype(float)
    young_obs["numerator"] = np.nan
    young_obs["denominator"] = np.nan
    observations = pd.concat([observations, young_obs[observations.columns]], ignore_index=True)
    observations["provider_code"] = observations["provider_code"].replace({ALL_PROVIDERS: None})
    split = breakdown_observations(observations, [PARTNERSHIP_CODE, *COMPARATOR_CODES, geography.ENGLAND_CODE], seed)
    observations = pd.concat([observations.assign(breakdown=""), split], ignore_index=True)

    group = {
        "code": COMPARATOR_GROUP_CODE,
        "name": "Leicestershire and 15 similar counties (demo)",
        "kind": "custom",
        "substance_group": None,
        "focus_area_code": PARTNERSHIP_CODE,
        "members": [PARTNERSHIP_CODE, *COMPARATOR_CODES],
    }
    districts = {
        "code": "DEMO-LEICS-DISTRICTS",
        "name": "Leicestershire's seven districts",
        "kind": "custom",
        "substance_group": None,
        "focus_area_code": PARTNERSHIP_CODE,
        "members": geography.districts_of(PARTNERSHIP_CODE)["code"].tolist(),
    }
    # Local Outcome Comparator clusters differ by substance group: a different 12 of the 15 counties each.
    loc_groups = [
        {
            "code": f"DEMO-LOC-{key.upper()}",
            "name": f"Local Outcome Comparators, {key.replace('_', ' ')} (demo)",
            "kind": "loc",
            "substance_group": key,
            "focus_area_code": PARTNERSHIP_CODE,
            "members": [PARTNERSHIP_CODE, *[c for i, c in enumerate(COMPARATOR_CODES) if (i + offset) % 5 != 0]],
        }
        for offset, key in enumerate(("opiate", "non_opiate", "alcohol", "alcohol_non_opiate"))
    ]
    return DemoDataset(
        areas=_areas(),
        providers=list(PROVIDERS),
        periods=_quarters(),
        observations=observations,
        comparator_groups=[group, districts, *loc_groups],
        targets=[*_targets(), *_baseline_and_ambition(observations)],
        meta={"dataset": "demo", "home_area": PARTNERSHIP_CODE, "demo_seed": str(seed)},
        annotations=[
            {"area_code": code, "event_date": dt.date.fromisoformat(day), "text": text, "created_by": "demo"}
            for code, day, text in DEMO_ANNOTATIONS
        ],
    )

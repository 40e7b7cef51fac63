"""National-scale demonstration data: every English district and county/unitary, for load and speed tests.

Real codes and names (2024 geography from the shipped ONS lookup), synthetic counts built exactly like the
partnership demo: drawn per district x provider x substance group, then added up to partnerships, regions
and England, so every level is consistent.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.demo import geography
from dashboard.demo.counts import PROFILES, anchored_series, counts_frame, draw_counts, split_integer
from dashboard.demo.observations import ALL_PROVIDERS, KEYS, add_totals, to_observations
from dashboard.demo.partnership import ENGLAND_ANCHORS, DemoDataset, ProviderSpec
from dashboard.domain.periods import parse_period, quarters_between

FIRST_QUARTER, LAST_QUARTER = "2008-09 Q1", "2019-20 Q4"  # 48 quarters
PROVIDER_NAMES = (
    "Turning Point",
    "Change Grow Live",
    "We Are With You",
    "Humankind",
    "Forward Trust",
    "Phoenix Futures",
    "Cranstoun",
    "Via",
)
PROVIDER_SHARES = (0.74, 0.18, 0.08)
# Census 2021 populations of the unitaries created in April 2023 (not in the 2021 district table).
NEW_UNITARY_POPULATION = {"E06000063": 273_300, "E06000064": 225_400, "E06000065": 615_500, "E06000066": 571_600}


def _population() -> dict[str, float]:
    population = dict(geography.population_2021())
    population.update(NEW_UNITARY_POPULATION)
    return population


def _providers(lookup: pd.DataFrame, rng: np.random.Generator) -> list[dict]:
    providers = []
    for i, utla in enumerate(sorted(lookup["UTLA_CD"].unique())):
        names = rng.permutation(PROVIDER_NAMES)[: len(PROVIDER_SHARES)]
        for rank, (name, share) in enumerate(zip(names, PROVIDER_SHARES, strict=True)):
            providers.append(
                {
                    "code": f"{utla.lower()}-p{rank + 1}",
                    "name": str(name),
                    "share": share,
                    "partnership_code": utla,
                    "role": "main" if rank == 0 else "sub-contractor",
                    "order": i,
                }
            )
    return providers


def _areas(lookup: pd.DataFrame) -> pd.DataFrame:
    rows = [(geography.ENGLAND_CODE, "England", "england", None)]
    regions = lookup.drop_duplicates("RGN_CD")
    rows += [(r.RGN_CD, r.RGN_NM, "region", geography.ENGLAND_CODE) for r in regions.itertuples()]
    utlas = lookup.drop_duplicates("UTLA_CD")
    rows += [(r.UTLA_CD, r.UTLA_NM, "utla", r.RGN_CD) for r in utlas.itertuples()]
    districts = lookup[lookup["LTLA_CD"] != lookup["UTLA_CD"]]
    rows += [(r.LTLA_CD, r.LTLA_NM, "ltla", r.UTLA_CD) for r in districts.itertuples()]
    return pd.DataFrame(rows, columns=["code", "name", "area_type", "parent_code"])


def _leaf_counts(
    rng: np.random.Generator, lookup: pd.DataFrame, providers: list[dict], labels: list[str]
) -> pd.DataFrame:
    """District x provider x substance group cells; England's in-treatment anchors shared out by population."""
    population = _population()
    by_partnership: dict[str, list[dict]] = {}
    for p in providers:
        by_partnership.setdefault(p["partnership_code"], []).append(p)
    cells = pd.DataFrame(
        [
            (r.LTLA_CD, p["code"], population[r.LTLA_CD] * p["share"])
            for r in lookup.itertuples()
            for p in by_partnership[r.UTLA_CD]
        ],
        columns=["area_code", "provider_code", "weight"],
    )
    frames = []
    for group, anchors in ENGLAND_ANCHORS.items():
        need = rng.lognormal(0.0, 0.25, len(cells))
        weights = cells["weight"].to_numpy() * need
        # The partnership demo's anchors start in 2012-13 Q1, 16 quarters after this series begins.
        points = {0: anchors[0] * 1.08, **{k + 16: v for k, v in anchors.items()}}
        totals = anchored_series(rng, len(labels), points, noise=0.004)
        drift = np.exp(np.cumsum(rng.normal(0.0, 0.01, (len(cells), len(labels))), axis=1))
        shares = weights[:, None] * drift
        in_treatment = np.column_stack([split_integer(int(totals[t]), shares[:, t]) for t in range(len(labels))])
        perf = rng.normal(1.0, 0.15, len(cells)).clip(0.6, 1.5)[:, None] * np.ones(len(labels))
        counts = draw_counts(rng, in_treatment, PROFILES[group], perf)
        frames.append(counts_frame(cells[["area_code", "provider_code"]].assign(substance_group=group), labels, counts))
    return pd.concat(frames, ignore_index=True)


def _roll_up(leaf: pd.DataFrame, lookup: pd.DataFrame) -> pd.DataFrame:
    """District cells -> county (two-tier only), region and England, then all providers and all substances."""
    columns = [c for c in leaf.columns if c not in KEYS]
    parent = dict(zip(lookup["LTLA_CD"], lookup["UTLA_CD"], strict=True))
    region = dict(zip(lookup["LTLA_CD"], lookup["RGN_CD"], strict=True))
    by_provider = add_totals(leaf, "provider_code", ALL_PROVIDERS, columns)
    all_providers = by_provider[by_provider["provider_code"] == ALL_PROVIDERS]
    levels = [by_provider]
    two_tier = by_provider[by_provider["area_code"].map(parent) != by_provider["area_code"]]
    counties = two_tier.assign(area_code=two_tier["area_code"].map(parent))
    levels.append(counties.groupby(KEYS, as_index=False, sort=False)[columns].sum())
    regions = all_providers.assign(area_code=all_providers["area_code"].map(region))
    levels.append(regions.groupby(KEYS, as_index=False, sort=False)[columns].sum())
    england = all_providers.assign(area_code=geography.ENGLAND_CODE)
    levels.append(england.groupby(KEYS, as_index=False, sort=False)[columns].sum())
    return add_totals(pd.concat(levels, ignore_index=True), "substance_group", "all", columns)


def build_national_dataset(seed: int = 0, home_area: str = "E10000018") -> DemoDataset:
    """Every English district and partnership, 48 quarters, 3 providers each: a few million observations."""
    rng = np.random.default_rng(seed)
    lookup = geography.lookup()
    quarters = quarters_between(parse_period(FIRST_QUARTER), parse_period(LAST_QUARTER))
    labels = [q.label for q in quarters]
    providers = _providers(lookup, rng)
    counts = _roll_up(_leaf_counts(rng, lookup, providers, labels), lookup)
    observations = to_observations(counts)
    observations["provider_code"] = observations["provider_code"].replace({ALL_PROVIDERS: None})
    region_groups = [
        {
            "code": f"REGION-{code}",
            "name": f"{name} region",
            "kind": "region",
            "substance_group": None,
            "focus_area_code": code,
            "members": sorted(lookup.loc[lookup["RGN_CD"] == code, "UTLA_CD"].unique()),
        }
        for code, name in lookup.drop_duplicates("RGN_CD")[["RGN_CD", "RGN_NM"]].itertuples(index=False)
    ]
    return DemoDataset(
        areas=_areas(lookup),
        providers=[ProviderSpec(p["code"], p["name"], p["role"], p["share"], p["partnership_code"]) for p in providers],
        periods=quarters,
        observations=observations,
        comparator_groups=region_groups,  # "every partnership" is a group by rule (store.models)
        targets=[],
        meta={"dataset": "demo", "home_area": home_area, "scope": "national", "demo_seed": str(seed)},
    )

"""The provider view: every indicator per provider for the chosen area, substance group and period, with
each provider's share of the caseload and how it compares with all providers together."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from dashboard.domain.indicators import IndicatorSpec as IndicatorRow
from dashboard.services.compare import add_intervals
from dashboard.services.filters import FilterState
from dashboard.stats.benchmark import compare_to_benchmark
from dashboard.store import repository_compare

if TYPE_CHECKING:
    from sqlalchemy import Engine

CASELOAD = "in_treatment"
ALL_PROVIDERS_LABEL = "All providers"


@dataclass(frozen=True)
class ProviderFigures:
    """Every indicator per provider for one area, substance group and period: what the page shows whichever
    indicator is chosen, read once for all of them."""

    indicators: dict[str, IndicatorRow]
    period: str
    frame: pd.DataFrame  # one row per indicator and provider (and all providers: no code), with intervals
    caseload: pd.DataFrame  # provider_code, provider_name, in_treatment, share (%), total
    by_indicator: pd.DataFrame  # Indicator + one column per provider and all providers: the table view


@dataclass(frozen=True)
class ProviderView:
    indicator: IndicatorRow
    period: str
    caseload: pd.DataFrame  # provider_code, provider_name, in_treatment, share (%), total
    chosen: pd.DataFrame  # one row per provider for ``indicator``: value, CIs, compared_to_all
    overall: pd.Series | None  # the all-providers figure for ``indicator``
    by_indicator: pd.DataFrame  # Indicator + one column per provider and all providers: the table view


def _caseload(frame: pd.DataFrame) -> pd.DataFrame:
    rows = frame[frame["indicator"] == CASELOAD]
    providers = rows[rows["provider_code"].notna()][["provider_code", "provider_name", "value"]]
    providers = providers.rename(columns={"value": "in_treatment"}).reset_index(drop=True)
    overall = rows[rows["provider_code"].isna()]["value"]
    total = float(overall.iloc[0]) if len(overall) else float(providers["in_treatment"].sum())
    providers["total"] = total
    providers["share"] = providers["in_treatment"] / total * 100 if total else float("nan")
    return providers.sort_values("in_treatment", ascending=False).reset_index(drop=True)


def _with_intervals(frame: pd.DataFrame, indicators: dict[str, IndicatorRow]) -> pd.DataFrame:
    parts = [add_intervals(part, indicators[key]) for key, part in frame.groupby("indicator", sort=False)]
    return pd.concat(parts, ignore_index=True) if parts else frame


def _by_indicator(frame: pd.DataFrame, indicators: dict[str, IndicatorRow]) -> pd.DataFrame:
    """One row per indicator, one column per provider then all providers: indicators have long names and a
    partnership has few providers, so this reads down the page."""
    named = frame.assign(provider_name=frame["provider_name"].fillna(ALL_PROVIDERS_LABEL))
    table = named.pivot_table(index="indicator", columns="provider_name", values="value", aggfunc="first")
    providers = sorted(c for c in table.columns if c != ALL_PROVIDERS_LABEL)
    table = table[[*providers, *([ALL_PROVIDERS_LABEL] if ALL_PROVIDERS_LABEL in table.columns else [])]]
    order = [k for k in indicators if k in table.index]
    table = table.loc[order].round(2).reset_index()
    table.insert(0, "Indicator", table["indicator"].map(lambda k: indicators[k].axis_title))
    table.columns.name = None
    return table.drop(columns="indicator")


def provider_figures(engine: Engine, state: FilterState) -> ProviderFigures | None:
    """None when the period is unknown; empty frames when no provider reports figures."""
    indicators = {r.key: r for r in repository_compare.indicators(engine)}
    period = repository_compare.period_id(engine, state.period or "", True)
    if period is None:
        return None
    frame = repository_compare.provider_breakdown(
        engine, area_code=state.area, period=period, substance_group=state.substance_group
    )
    frame = frame[frame["indicator"].isin(indicators)]
    frame = _with_intervals(frame, indicators) if not frame.empty else frame
    return ProviderFigures(indicators, state.period or "", frame, _caseload(frame), _by_indicator(frame, indicators))


def indicator_view(figures: ProviderFigures, indicator: str) -> ProviderView | None:
    """One indicator per provider, each compared with all providers together; None for an unknown indicator."""
    row = figures.indicators.get(indicator)
    if row is None:
        return None
    rows = figures.frame[figures.frame["indicator"] == indicator]
    overall_rows = rows[rows["provider_code"].isna()]
    overall = overall_rows.iloc[0] if len(overall_rows) else None
    chosen = rows[rows["provider_code"].notna()].reset_index(drop=True)
    chosen["compared_to_all"] = compare_to_benchmark(
        chosen["value"],
        chosen["lower_ci_95"],
        chosen["upper_ci_95"],
        overall["value"] if overall is not None else float("nan"),
        row.polarity,
    )
    chosen = chosen.sort_values("provider_name").reset_index(drop=True)
    return ProviderView(row, figures.period, figures.caseload, chosen, overall, figures.by_indicator)


def provider_view(engine: Engine, state: FilterState, indicator: str) -> ProviderView | None:
    """None when the period or indicator is unknown; empty frames when no provider reports figures."""
    figures = provider_figures(engine, state)
    return None if figures is None else indicator_view(figures, indicator)

"""Raw figures for analysts (the API's /data): an indicator's series for one area, with the same intervals
every page shows (``compare.add_intervals``), for any period kind the importer accepts."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from dashboard.domain.breakdowns import PERSONS
from dashboard.domain.periods import PeriodFormatError, parse_published_period
from dashboard.domain.substance_groups import canonical_substance_group
from dashboard.services.compare import CompareError, add_intervals, breakdown_id
from dashboard.store import repository, repository_compare

if TYPE_CHECKING:
    from sqlalchemy import Engine

COLUMNS = [
    "indicator",
    "area_code",
    "period",
    "substance_group",
    "provider",
    "breakdown",
    "numerator",
    "denominator",
    "value",
    "lower_ci_95",
    "upper_ci_95",
    "lower_ci_99_8",
    "upper_ci_99_8",
]


def observations(
    engine: Engine,
    *,
    indicator: str,
    area: str,
    substance_group: str,
    provider: str | None,
    period_from: str,
    period_to: str,
    breakdown: str = PERSONS,
) -> pd.DataFrame:
    """Rows from ``period_from`` to ``period_to`` (of ``period_to``'s kind), for persons or the ``breakdown``
    key ("sex=Female"); ``CompareError`` names a bad input."""
    spec = repository_compare.indicator(engine, indicator)
    if spec is None:
        raise CompareError("indicator", f"unknown indicator '{indicator}'")
    if repository.area_name(engine, area) is None:
        raise CompareError("area", f"unknown area code '{area}'")
    group = canonical_substance_group(substance_group)
    if group is None:
        raise CompareError("substance_group", f"unknown substance group '{substance_group}'")
    if provider and repository.provider_id(engine, provider) is None:
        raise CompareError("provider", f"unknown provider '{provider}'")
    bounds = {}
    for name, text in (("period_from", period_from), ("period_to", period_to)):
        try:
            bounds[name] = parse_published_period(text)
        except PeriodFormatError as error:
            raise CompareError(name, str(error)) from error
    split, split_id = breakdown_id(engine, breakdown)
    frame = repository.indicator_series(
        engine,
        breakdown_id=split_id,
        area_code=area,
        indicators=[spec.key],
        substance_groups=[group],
        provider_code=provider,
        period_end=bounds["period_to"].end_date,
        period_kind=bounds["period_to"].kind,
    )
    frame = frame[frame["period_end"] >= bounds["period_from"].end_date].reset_index(drop=True)
    frame = add_intervals(frame, spec)
    return frame.assign(area_code=area, provider=provider or "", breakdown=split.key)[COLUMNS]

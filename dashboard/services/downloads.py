"""What a download says about itself: the scope of the view it came from, its source and licence, when it was
made and whether the figures are the demonstration data.

One function, ``download_scope``, resolves all of it, and every download (CSV, Excel and the chart image's
footer) is worded from its answer (``dashboard.narrative.downloads``), so the three can never disagree.

Why the page's address: every page keeps its filters and its own controls in the address bar (area,
substance group, provider, period, then indicator, comparator group, significance rule, split...), and opens
exactly from it. The address at the moment the button is pressed is therefore the page's state, whatever
control changed last, and it is resolved here by the same services the pages use (``resolve_filters``,
``group_choices``, the indicator registry), so a value a link got wrong is worded as the page shows it.

The funnel plot's table is built here too (``funnel_table``): the points the chart draws with the 95% and
99.8% limits at each point's own denominator, from the same baseline and limits as the chart.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

import numpy as np
import pandas as pd

from dashboard.domain.indicators import IndicatorSpec
from dashboard.services.compare import group_choices
from dashboard.services.filters import QUERY_KEYS, SHELL_KEYS, FilterOptions, load_filter_options, resolve_filters
from dashboard.services.indicators import registry
from dashboard.stats import funnel_baseline, funnel_limits, funnel_significance
from dashboard.store import repository
from dashboard.store.repository_compare import GroupRow

if TYPE_CHECKING:
    from sqlalchemy import Engine

# The same words as the footer of every page (dashboard/components/shell.py).
SOURCE = "Office for Health Improvement and Disparities (NDTMS, Fingertips) / Office for National Statistics"
LICENCE = "Open Government Licence v3.0, https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
METHODS = ("default", "overlap")
PAGE_KEYS = ("indicator", "group", "method")  # worded on lines of their own; any other key is a page setting


@dataclass(frozen=True)
class DownloadScope:
    """The facts a download carries; ``None`` where the view has no such setting (an action-plan chart has no
    substance group)."""

    title: str
    address: str  # the page's path and query, as pressed
    made_at: dt.datetime  # timezone-aware UTC
    demonstration: bool
    area_code: str | None = None
    area_name: str | None = None
    substance_group: str | None = None  # canonical key
    provider: str | None = None  # the provider's name, "All providers" for all
    period: str | None = None
    indicator: IndicatorSpec | None = None
    group: GroupRow | None = None
    group_code: str | None = None  # as asked, when the group is not (or no longer) offered for the area
    method: str | None = None  # "default" (Fingertips) or "overlap"
    settings: dict[str, str] = field(default_factory=dict)  # the page's other controls, as in the address
    overrides: dict[str, str] = field(default_factory=dict)  # words a chart gives for its own scope


def query_of(search: str | None) -> dict[str, str]:
    """The first value of each query-string key ("?a=1&b=2" or "a=1&b=2")."""
    text = (search or "").lstrip("?")
    return {key: values[0] for key, values in parse_qs(text, keep_blank_values=False).items() if values}


def download_scope(
    engine: Engine,
    title: str,
    address: str,
    *,
    options: FilterOptions | None = None,
    overrides: dict[str, str] | None = None,
    now: dt.datetime | None = None,
) -> DownloadScope:
    """The scope of the view at ``address`` (a path with its query, or a full URL)."""
    parts = urlsplit(address or "")
    query = query_of(parts.query)
    shown = parts.path + (f"?{parts.query}" if parts.query else "")
    meta = repository.read_meta(engine)
    base = DownloadScope(
        title=title,
        address=shown or "/",
        made_at=(now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC),
        demonstration=meta.get("dataset") == "demo",
        settings={k: v for k, v in query.items() if k not in (*QUERY_KEYS, *SHELL_KEYS, *PAGE_KEYS)},
        overrides=dict(overrides or {}),
    )
    options = options if options is not None else load_filter_options(engine)
    if options is None:
        return base
    state, _notes = resolve_filters(query, options)
    spec = registry(engine).get(query.get("indicator")) if "indicator" in query else None
    group = None
    if "group" in query:
        group = next(
            (g for g in group_choices(engine, state.area, state.substance_group) if g.code == query["group"]), None
        )
    return replace(
        base,
        area_code=state.area,
        area_name=options.area_name(state.area),
        substance_group=state.substance_group if "substance_group" in query else None,
        provider=options.provider_name(state.provider) if "provider" in query else None,
        period=state.period if "period" in query else None,
        indicator=spec,
        group=group,
        group_code=query.get("group") if group is None else None,
        method=query.get("method") if query.get("method") in METHODS else None,
    )


FUNNEL_COLUMNS = {
    "area_name": "Area",
    "area_code": "Area code",
    "numerator": "Numerator",
    "denominator": "Denominator",
    "value": "Value",
    "group_average": "Group average",
    "lower_limit_95": "95% limit lower",
    "upper_limit_95": "95% limit upper",
    "lower_limit_99_8": "99.8% limit lower",
    "upper_limit_99_8": "99.8% limit upper",
    "funnel_position": "Against the funnel limits",
}
_FUNNEL_WORDS = {
    "High (0.001)": "Above the 99.8% limit",
    "High (0.025)": "Above the 95% limit",
    "Low (0.001)": "Below the 99.8% limit",
    "Low (0.025)": "Below the 95% limit",
    "Not significant": "Within the 95% limits",
}


def funnel_table(areas: pd.DataFrame, spec: IndicatorSpec) -> pd.DataFrame:
    """What the funnel plot draws, one row per area: its value and denominator (the point), the group average
    (the centre line) and the 95% and 99.8% limits at its own denominator, with where it falls against them
    (PHEindicatormethods' ``assign_funnel_significance`` labels, in words). The chart draws the same limits as
    curves, from the same baseline: the areas with both a numerator and a denominator. Areas the chart cannot
    place keep their row with the limits empty; an indicator that is not a proportion gets no limits at all.
    Values keep full precision: the table view rounds them, the downloads do not."""
    frame = areas.reindex(columns=["area_name", "area_code", "numerator", "denominator", "value"]).copy()
    placed = frame.dropna(subset=["numerator", "denominator"])
    placed = placed[placed["denominator"] > 0]
    if spec.value_type != "proportion" or len(placed) < 2:
        return frame
    baseline = funnel_baseline(placed["numerator"], placed["denominator"])
    frame["group_average"] = baseline * 100
    n = frame["denominator"].where(frame.index.isin(placed.index)).to_numpy(float)
    for confidence, suffix in ((0.95, "95"), (0.998, "99_8")):
        with np.errstate(divide="ignore", invalid="ignore"):
            lower, upper = funnel_limits(n, baseline, confidence)
        frame[f"lower_limit_{suffix}"] = np.where(np.isnan(n), np.nan, lower)
        frame[f"upper_limit_{suffix}"] = np.where(np.isnan(n), np.nan, upper)
    labels = funnel_significance(placed["numerator"], placed["denominator"], baseline)
    frame["funnel_position"] = pd.Series([_FUNNEL_WORDS.get(x, x) for x in labels], index=placed.index)
    return frame

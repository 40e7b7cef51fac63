"""The sentence under the Trends chart, from the same numbers the chart draws: each series against its own
England value and top quartile, and its change on the year said only as strongly as the statistics allow."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from dashboard.narrative.change import change_clause, changes_summary
from dashboard.narrative.coverage import coverage_notice
from dashboard.narrative.formatting import sentence_case


def _rows(frame: pd.DataFrame) -> Callable[[str, str], dict | None]:
    """A lookup of ``frame``'s first row for a series and period (None where it has none): its columns read once,
    where filtering the frame for each line's benchmark cost more than the rest of the reading."""
    columns = {c: frame[c].to_numpy() for c in frame.columns}
    first: dict[tuple[str, str], int] = {}
    for i, key in enumerate(zip(columns.get("series", ()), columns.get("period", ()), strict=True)):
        first.setdefault(key, i)

    def at(name: str, period: str) -> dict | None:
        i = first.get((name, period))
        return None if i is None else {c: values[i] for c, values in columns.items()}

    return at


def _inside(spec, value: float, threshold: float) -> str:  # type: ignore[no-untyped-def]
    inside = value >= threshold if spec.polarity != "low_good" else value <= threshold
    return "inside" if inside else "outside"


def trend_reading(data, area_name: str, choice: str = "") -> str:  # type: ignore[no-untyped-def]
    if data is None:
        return f"There are no figures for {area_name} for this indicator and period."
    if data.series.empty:
        return coverage_notice(data.coverage, data.indicator, f"{area_name}{choice}")
    spec = data.indicator
    england_at, band_at = _rows(data.england), _rows(data.band)
    groups = [(str(n), rows.sort_values("period_end")) for n, rows in data.series.groupby("series", sort=False)]
    period = data.series.sort_values("period_end")["period"].iloc[-1]
    if len(groups) == 1:
        name, rows = groups[0]
        sentence = f"{spec.short_name} in {area_name}, {rows['period'].iloc[-1]}: "
        sentence += change_clause(name, rows, data.lag, spec, data.directions.get(name), "over the year")
        england, band = england_at(name, rows["period"].iloc[-1]), band_at(name, rows["period"].iloc[-1])
        if england is not None:
            sentence += f"; England {spec.format(england['value'])}"
        if band is not None:
            sentence += (
                f"; {_inside(spec, rows['value'].iloc[-1], band['threshold'])} the top quartile of {band['group']}, "
                f"which starts at {spec.format(band['threshold'])}"
            )
        return sentence + "."
    shared = data.shared_benchmarks
    first = groups[0][0]
    england, band = england_at(first, period), band_at(first, period)
    if shared:
        lead = []
        if england is not None:
            lead.append(f"England {spec.format(england['value'])}")
        if band is not None:
            lead.append(f"the top quartile of {band['group']} starts at {spec.format(band['threshold'])}")
        intro = f" ({'; '.join(lead)})" if lead else ""
    else:
        intro = ", each beside England and the top quartile of its own comparator group"
    parts = []
    for name, rows in groups:
        latest = rows["value"].iloc[-1]
        notes = []
        mine_england, mine_band = england_at(name, rows["period"].iloc[-1]), band_at(name, period)
        if not shared and mine_england is not None:
            notes.append(f"England {spec.format(mine_england['value'])}")
        if mine_band is not None:
            where = _inside(spec, latest, mine_band["threshold"])
            notes.append(
                f"{where} the top quartile" + ("" if shared else f", from {spec.format(mine_band['threshold'])}")
            )
        parts.append(f"{name} {spec.format(latest)}" + (f" ({'; '.join(notes)})" if notes else ""))
    sentence = f"{spec.short_name} in {area_name}, {period}{intro}: " + "; ".join(parts)
    changes = changes_summary([(n, r, data.directions.get(n)) for n, r in groups], data.lag, spec)
    return sentence + (f". {sentence_case(changes)}" if changes else "") + "."

"""The sentence under the Trends chart, from the same numbers the chart draws: each series against its own
England value and top quartile, and its change on the year said only as strongly as the statistics allow."""

from __future__ import annotations

from dashboard.narrative.change import change_clause, changes_summary
from dashboard.narrative.coverage import coverage_notice
from dashboard.narrative.formatting import sentence_case


def _at(frame, name: str, period: str):  # type: ignore[no-untyped-def]
    rows = frame[(frame["series"] == name) & (frame["period"] == period)]
    return None if rows.empty else rows.iloc[0]


def _inside(spec, value: float, threshold: float) -> str:  # type: ignore[no-untyped-def]
    inside = value >= threshold if spec.polarity != "low_good" else value <= threshold
    return "inside" if inside else "outside"


def trend_reading(data, area_name: str, choice: str = "") -> str:  # type: ignore[no-untyped-def]
    if data is None:
        return f"There are no figures for {area_name} for this indicator and period."
    if data.series.empty:
        return coverage_notice(data.coverage, data.indicator, f"{area_name}{choice}")
    spec = data.indicator
    groups = [(str(n), rows.sort_values("period_end")) for n, rows in data.series.groupby("series", sort=False)]
    period = data.series.sort_values("period_end")["period"].iloc[-1]
    if len(groups) == 1:
        name, rows = groups[0]
        sentence = f"{spec.short_name} in {area_name}, {rows['period'].iloc[-1]}: "
        sentence += change_clause(name, rows, data.lag, spec, data.directions.get(name), "over the year")
        england, band = _at(data.england, name, rows["period"].iloc[-1]), _at(data.band, name, rows["period"].iloc[-1])
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
    england, band = _at(data.england, first, period), _at(data.band, first, period)
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
        mine_england, mine_band = _at(data.england, name, rows["period"].iloc[-1]), _at(data.band, name, period)
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

"""The sentence under the Trends chart: how each series moved over the year, against the top quartile."""

from __future__ import annotations

from dashboard.narrative.formatting import fmt_count, fmt_pct


def trend_reading(data, area_name: str) -> str:  # type: ignore[no-untyped-def]
    if data is None or data.series.empty:
        return f"There are no figures for {area_name} for this indicator and period."
    unit_pct = data.indicator.unit == "%"
    fmt = fmt_pct if unit_pct else fmt_count
    clauses = []
    for name, rows in data.series.groupby("series", sort=False):
        rows = rows.sort_values("period_end")
        latest = rows["value"].iloc[-1]
        lag = 1 if data.annual else 4
        if len(rows) > lag:
            earlier = rows["value"].iloc[-1 - lag]
            verb = "rose" if latest > earlier * 1.002 else "fell" if latest < earlier * 0.998 else "held steady"
            clause = f"{name} {verb} from {fmt(earlier)} to {fmt(latest)} over the year"
            direction = (data.directions or {}).get(str(name))
            if direction:
                clause += f" ({direction})"
            clauses.append(clause)
        else:
            clauses.append(f"{name} was {fmt(latest)}")
    sentence = f"{data.indicator.short_name} in {area_name}: " + "; ".join(clauses)
    if not data.band.empty and data.series["series"].nunique() == 1:
        threshold = data.band["threshold"].iloc[-1]
        latest = data.series.sort_values("period_end")["value"].iloc[-1]
        better = latest >= threshold if data.indicator.polarity != "low_good" else latest <= threshold
        sentence += (
            f", {'inside' if better else 'outside'} the top quartile of {data.group_name} (threshold {fmt(threshold)})"
        )
    return sentence + "."

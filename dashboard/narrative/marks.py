"""The events marked on a trend chart, in words, so the reading says what each dotted line means."""

from __future__ import annotations

from dashboard.narrative.formatting import long_date
from dashboard.services.chart_marks import ChartMark


def marks_sentence(marks: list[ChartMark]) -> str:
    if not marks:
        return ""
    parts = []
    for number, mark in enumerate(marks, start=1):
        where = f" ({mark.where})" if mark.where else ""
        parts.append(f"[{number}] {long_date(mark.event_date)}: {mark.text}{where}")
    return "Marked on the chart: " + "; ".join(parts) + "."


def with_marks(reading: str, marks: list[ChartMark]) -> str:
    sentence = marks_sentence(marks)
    return f"{reading} {sentence}" if sentence else reading

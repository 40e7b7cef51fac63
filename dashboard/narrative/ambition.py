"""Numbers in treatment against the baseline and the local ambition, as a board member would say it."""

from __future__ import annotations

from dashboard.narrative.formatting import fmt_count, long_date, twelve_months_to
from dashboard.services.ambition import NumbersAgainstAmbition


def _change_words(numbers: NumbersAgainstAmbition) -> str:
    change = round(numbers.change)
    percent = numbers.change_percent
    if change == 0:
        return "the same number as at the baseline"
    more = "more" if change > 0 else "fewer"
    direction = "up" if change > 0 else "down"
    share = f", {direction} {abs(percent):.1f}%" if percent is not None else ""
    label = f" ({numbers.baseline_label})" if numbers.baseline_label else ""
    return f"{abs(change):,} {more} than the baseline of {fmt_count(numbers.baseline, False)}{label}{share}"


def _ambition_words(numbers: NumbersAgainstAmbition) -> str:
    if numbers.ambition is None:
        return " No local ambition is recorded."
    target = fmt_count(numbers.ambition, False)
    by = f" by {long_date(numbers.ambition_by)}" if numbers.ambition_by else ""
    if numbers.ambition_by and numbers.period_end >= numbers.ambition_by:
        reached = "reached" if numbers.current >= numbers.ambition else "not reached"
        return f" The local ambition was {target}{by}: {reached}."
    way = numbers.share_of_way
    words = f" The local ambition is {target}{by}"
    if numbers.baseline_end and numbers.period_end < numbers.baseline_end:
        return words + ", measured from the baseline."
    if way is not None:
        words += f": {max(way, 0):.0f}% of the way there from the baseline"
    if numbers.expected is not None:
        expected = round(numbers.expected)
        gap = round(numbers.current) - expected
        if numbers.on_trajectory:
            words += f", on the trajectory to reach it ({expected:,} expected by now)"
        else:
            words += f", {abs(gap):,} behind the trajectory to reach it ({expected:,} expected by now)"
    return words + "."


def ambition_sentence(numbers: NumbersAgainstAmbition, area_name: str) -> str:
    """ "In Leicestershire, 2,024 adults were in treatment in the 12 months to March 2020: 186 more than the
    baseline of 1,838 (12 months to March 2018), up 10.1%. The local ambition is 2,206 by 31 March 2021: 51% of
    the way there from the baseline, on the trajectory to reach it (2,012 expected by now)." """
    return (
        f"In {area_name}, {fmt_count(numbers.current, False)} adults were in treatment in "
        f"{twelve_months_to(numbers.period_end)}: {_change_words(numbers)}.{_ambition_words(numbers)}"
    )

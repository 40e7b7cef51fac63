"""A pathway in words a board member can say aloud: how many people started it, how many reached each step, the
rate against England, and where most people were lost; and, plainly, when a step has no figure or is larger than
one before it. Every number and verdict is the pathway service's (hidden counts included); nothing is re-judged.
"""

from __future__ import annotations

import pandas as pd

from dashboard.domain.periods import PeriodSpec
from dashboard.narrative.compare import versus_words
from dashboard.narrative.formatting import SUPPRESSED, fmt_count, fmt_pct, listed, twelve_months_to
from dashboard.services.pathway import Pathway, PathwayRate, StepFigure

SUPPRESSION_NOTE = "* stands for 1 to 4 people, not shown so that no one can be identified."
PEOPLE = "adults"  # who a pathway counts, as the sentence says it


def step_words(label: str) -> str:
    """A step's label as it reads inside a sentence ("Referred to ..." -> "referred to ...")."""
    return label[:1].lower() + label[1:]


def period_words(period: PeriodSpec) -> str:
    """ "in the 12 months to March 2020" for a rolling quarter; "in 2019/20" for a year, as it is labelled."""
    if period.rolling_12m:
        return f"in {twelve_months_to(period.end_date)}"
    return f"in {period.label}"


def people(step: StepFigure) -> str:
    """The step's count as it may be shown: "96", "*" for 1-4, "no figure"."""
    return "no figure" if step.people is None else fmt_count(step.people)


def lost(step: StepFigure) -> str:
    """People lost before the step, as it may be shown ("" for the first step or an unknown loss)."""
    if step.lost is None:
        return ""
    return SUPPRESSED if step.lost_hidden else fmt_count(step.lost, suppress_small=False)


def share(step: StepFigure, decimals: int = 0) -> str:
    if step.share is None:
        return ""
    return SUPPRESSED if step.share_hidden else fmt_pct(step.share, decimals)


def rate_words(rate: PathwayRate) -> str:
    """ "47.3%, similar to England's 45.1%"; a withheld rate as "*"."""
    if rate.value is None:
        return ""
    if rate.hidden:
        return SUPPRESSED
    spec = rate.indicator
    words = spec.format(rate.value)
    if rate.england is None:
        return f"{words} (there is no England figure to compare with)"
    if rate.compared:
        return f"{words}, {versus_words(rate.compared)} England's {spec.format(rate.england)}"
    return f"{words} (England {spec.format(rate.england)}, not compared: no interval)"


def _reached(result: Pathway) -> str:
    """ "In Leicestershire, of 120 adults released ... in the 12 months to March 2020, 96 (80%) were referred ...
    and 52 were engaged ...: 43.3%, similar to England's 45.1%." """
    first, later = result.steps[0], result.steps[1:]
    when = period_words(result.period_spec)
    if first.people == 0 and not result.growth:
        return f"In {result.area_name}, no {PEOPLE} were {step_words(first.label)} {when}."
    if first.small and not result.growth:
        return (
            f"In {result.area_name}, fewer than 5 {PEOPLE} were {step_words(first.label)} {when}: too few to show "
            "the pathway without risking identifying someone."
        )
    rate = rate_words(result.rate) if result.steps[-1].known else ""
    parts = []
    for index, step in enumerate(later, start=1):
        if not step.known:
            continue
        last = index == len(result.steps) - 1
        shown = "" if step.share_hidden or (last and rate) else share(step)
        percent = f" ({shown})" if shown else ""
        parts.append(f"{people(step)}{percent} were {step_words(step.label)}")
    if first.known:
        lead = f"In {result.area_name}, of {people(first)} {PEOPLE} {step_words(first.label)} {when}"
    else:
        lead = f"In {result.area_name} {when}"
    text = f"{lead}, {listed(parts)}" if parts else lead
    return f"{text}: {rate}." if rate else f"{text}."


def loss_words(result: Pathway) -> str:
    """ "Most people lost (44 of 68) were referred ... but not engaged ...": the step that lost the most."""
    at = result.biggest_loss
    total = result.lost_in_all
    if at is None or not total:
        return ""
    if any(s.small for s in result.steps):
        return ""  # which step lost the most would say something of a count that is not shown
    step, before = result.steps[at], result.steps[at - 1]
    where = f"were {step_words(before.label)} but not {step_words(step.label)}"
    size = step.lost or 0
    how_many = "Most people lost" if 2 * size > total else "Half the people lost" if 2 * size == total else None
    counted = f"({fmt_count(size, False)} of {fmt_count(total, False)})"
    if how_many is None:
        return f"The most people lost at one step {counted} {where}."
    return f"{how_many} {counted} {where}."


def growth_words(result: Pathway) -> str:
    """A later step larger than an earlier one, said as the data fault it is."""
    parts = []
    for fault in result.growth:
        step, earlier = result.steps[fault.step], result.steps[fault.earlier]
        parts.append(
            f"more people were {step_words(step.label)} ({people(step)}) than were {step_words(earlier.label)} "
            f"({people(earlier)})"
        )
    if not parts:
        return ""
    return (
        f"The figures do not add up: {listed(parts)}. A step cannot be larger than one before it, so check the "
        f"figures loaded for {result.period}."
    )


def missing_words(result: Pathway) -> str:
    if not result.missing:
        return ""
    names = [f"those {step_words(result.steps[i].label)}" for i in result.missing]
    return (
        f"There is no figure for {listed(names, 'or')} in {result.period}, so where people were lost cannot be "
        "told in full."
    )


def sentence(result: Pathway) -> str:
    """The reading under the pathway chart."""
    parts = [_reached(result), growth_words(result), missing_words(result)]
    if result.complete:
        parts.append(loss_words(result))
    text = " ".join(p for p in parts if p)
    if SUPPRESSED in text:
        text += " " + SUPPRESSION_NOTE
    return " ".join([text, *result.notes])


def no_pathway_sentence(area_name: str, period: str | None, name: str) -> str:
    """What the view says when the area has no figure for any step."""
    until = f" up to {period}" if period else ""
    return f"There are no figures for the pathway {name.lower()} in {area_name}{until}."


def table_headers(result: Pathway | None) -> dict[str, str]:
    """The table's column words; the share names the first step ("% of those released from prison ...")."""
    first = step_words(result.steps[0].label) if result is not None else "at the first step"
    return {
        "step": "Step",
        "people": "People",
        "lost": "Lost since the step before",
        "share": f"% of those {first}",
    }


def step_rows(result: Pathway | None) -> pd.DataFrame:
    """One row a step, the numbers as they may be shown: "*" where the service hides them, blank where unknown
    (no rows when there is no pathway)."""
    if result is None:
        return pd.DataFrame(columns=list(table_headers(None)))

    def hidden(value: float | None, hide: bool, decimals: int = 0) -> object:
        if value is None:
            return None
        if hide:
            return SUPPRESSED
        return round(value) if decimals == 0 else round(value, decimals)

    return pd.DataFrame(
        {
            "step": [s.label for s in result.steps],
            "people": [hidden(s.people, s.small) for s in result.steps],
            "lost": [hidden(s.lost, s.lost_hidden) for s in result.steps],
            "share": [hidden(s.share, s.share_hidden, 1) for s in result.steps],
        },
        dtype=object,  # whole numbers stay whole and a blank stays blank (None), in the table and the downloads
    )

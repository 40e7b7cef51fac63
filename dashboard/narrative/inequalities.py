"""Inequalities in words: each category of a breakdown against all persons, or as its share of a caseload."""

from __future__ import annotations

from dashboard.narrative.formatting import fmt_count, fmt_pct, listed
from dashboard.services.inequalities import CategoryFigure, Inequalities

AGAINST_PERSONS = {
    "better": "significantly better than for all persons",
    "worse": "significantly worse than for all persons",
    "higher": "significantly higher than for all persons",
    "lower": "significantly lower than for all persons",
    "similar": "similar to all persons",
}
NOT_COMPARED = "not compared (no interval)"
TABLE_HEADERS = {
    "breakdown_label": "Category",
    "period": "Period",
    "value": "Value",
    "lower_ci_95": "95% CI lower",
    "upper_ci_95": "95% CI upper",
    "compared_words": "Compared with all persons",
}
SHARE_HEADERS = {
    "breakdown_label": "Category",
    "period": "Period",
    "value": "Count",
    "share": "Share of persons (%)",
    "share_lower": "95% CI lower",
    "share_upper": "95% CI upper",
}
HISTORY_SENTENCE = "Each category over time, with all persons as the dark line; the bars show 95% confidence intervals."


def compared_words(label: str | None) -> str:
    return AGAINST_PERSONS.get(label or "", NOT_COMPARED)


def _category_phrase(result: Inequalities, figure: CategoryFigure) -> str:
    return f"{figure.label} {result.indicator.format(figure.value)}"


def _rate_sentence(result: Inequalities) -> str:
    spec, persons = result.indicator, result.persons
    head = f"In {result.period}, {result.area_name}'s {spec.short_name.lower()}"
    head += f" was {spec.format(persons.value)} for all persons." if persons and persons.value is not None else "."
    groups: dict[str, list[str]] = {}
    for figure in result.categories:
        groups.setdefault(figure.compared or "", []).append(_category_phrase(result, figure))
    order = ["worse", "lower", "better", "higher", "similar", ""]
    parts = []
    for label in sorted(groups, key=order.index):
        items = groups[label]
        verb = "is" if len(items) == 1 else "are"
        parts.append(f"{listed(items)} {verb} {compared_words(label)}")
    return f"{head} By {result.dimension_words.lower()}: " + "; ".join(parts) + "."


def _share_sentence(result: Inequalities) -> str:
    persons = result.persons
    total = fmt_count(persons.value) if persons else "no data"
    shares = [f"{fmt_pct(c.share, 0)} {c.label}" for c in result.categories if c.share is not None]
    head = f"{result.area_name}'s {result.indicator.short_name.lower()} in {result.period}: {total}"
    if not shares:
        return f"{head}; no category has a figure."
    return f"{head}, of whom {listed(shares)} by {result.dimension_words.lower()}."


def sentence(result: Inequalities) -> str:
    """One sentence a board member can read aloud about who is better or worse served."""
    if result.dimension is None or not result.categories:
        return " ".join(result.notes) or (
            f"There are no figures for {result.indicator.short_name.lower()} in {result.area_name} broken down by "
            "sex, age group, deprivation or ethnicity."
        )
    text = _share_sentence(result) if result.is_count else _rate_sentence(result)
    return " ".join([text, *result.notes])


def adds_up_note(adds_up: bool | None) -> str:
    if adds_up is False:
        return (
            " The categories do not add up to the figure for all persons (beyond NDTMS's rounding to 5): some "
            "people have no recorded category."
        )
    return ""

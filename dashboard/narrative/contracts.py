"""Contracts in words: the sentence a board member can read aloud, and the rows of the page's and the pack's
tables, all from ``services.contracts``' standing (nothing worked out again here)."""

from __future__ import annotations

import pandas as pd

from dashboard.domain.contracts import BAND_WORDS
from dashboard.narrative.formatting import listed, long_date
from dashboard.services.contracts import FIELD_WORDS, ContractStanding, KpiStanding

KPI_HEADERS = {
    "kpi": "KPI",
    "measure": "Measured by",
    "weight": "Weight (%)",
    "target": "Target",
    "threshold": "Part payment from",
    "latest": "Latest",
    "band": "Payment",
    "worth": "Worth (£)",
    "earned": "Earned (£)",
}
YEAR_HEADERS = {
    "year": "Financial year",
    "amount": "Contract value (£)",
    "share": "PbR share (%)",
    "pbr": "PbR element (£)",
}
SAVING_HEADERS = {
    "year": "Financial year",
    "baseline": "Against",
    "baseline_amount": "Baseline (£)",
    "saving": "Saving (£)",
    "percent": "Saving (%)",
}
HISTORY_HEADERS = {"when": "When", "who": "Who", "item": "What", "field": "Field", "old": "From", "new": "To"}


def money(value: float | None) -> str:
    """615000 -> "£615,000"; None -> "not known"."""
    if value is None:
        return "not known"
    return f"£{value:,.0f}"


def _percent(value: float) -> str:
    return f"{value:.0f}%" if float(value).is_integer() else f"{value:.1f}%"


def figure(value: float | None, unit: str) -> str:
    """A KPI's level in the indicator's unit: "7.0%", "1,931"."""
    if value is None:
        return ""
    return f"{value:.1f}%" if unit == "%" else f"{value:,.1f}"


VERBS = {
    "full": ("earns its full payment", "earn their full payment"),
    "part": ("earns part payment", "earn part payment"),
    "none": ("earns nothing", "earn nothing"),
}


def _bands(standing: ContractStanding) -> str:
    """ "3 of 4 KPIs earn their full payment and 1 earns part payment"."""
    total = len(standing.kpis)
    parts = []
    for band, (one, many) in VERBS.items():
        n = standing.count(band)
        if not n:
            continue
        subject = str(n) if parts else (f"{n} of {total} KPIs" if total > 1 else "its only KPI")
        parts.append(f"{subject} {one if n == 1 else many}")
    return listed(parts) if parts else ""


def contract_sentence(standing: ContractStanding) -> str:
    """What the contract's PbR element is worth in the year judged and how much the latest figures earn."""
    name = f"The {standing.name} contract"
    provider = (
        ""
        if standing.provider_name
        else f" Its provider '{standing.provider_code}' is not a provider the dashboard holds figures for."
    )
    year = standing.year_value
    if year is None:
        return (
            f"{name} has no value for {standing.year}, the year of the latest figures (it runs from "
            f"{long_date(standing.start_date)} to {long_date(standing.last_day)}).{provider}"
        )
    if not year.pbr_amount:
        return f"{name} has no payment-by-results element in {standing.year}.{provider}"
    opening = (
        f"{name}'s payment-by-results element is worth {money(year.pbr_amount)} in {standing.year} "
        f"({_percent(year.pbr_share)} of {money(year.amount)})."
    )
    periods = sorted({k.period for k in standing.kpis if k.period})
    when = f" ({listed(periods)})" if periods else ""
    bands = _bands(standing)
    unknown = standing.unknown
    if not unknown:
        return (
            f"{opening} On the latest figures{when}, {bands}: {money(standing.earned)} "
            f"({_percent(standing.earned_percent or 0)}) earned.{provider}"
        )
    missing = listed([k.name for k in unknown])
    has = "has" if len(unknown) == 1 else "have"
    so_far = f"On the latest figures{when}, {bands} ({money(standing.earned_on_known)}); " if bands else ""
    return f"{opening} {so_far}{missing} {has} no figures loaded, so the share earned is not yet known.{provider}"


def kpi_sentence(standing: ContractStanding) -> str:
    """How the KPIs are paid, for the table's reading (the contract's own sentence says what they earn)."""
    if standing.pot is None:
        return f"The KPIs cannot earn anything in {standing.year}: the contract has no value for that year."
    return (
        f"Each KPI earns its weight's share of the {money(standing.pot)} element for {standing.year}: all of it at "
        "or beyond its target, the part payment from its threshold, nothing short of that. The latest figures are "
        "the ones How we compare shows for the contract's area."
    )


def kpi_status(kpi: KpiStanding) -> str:
    """The KPI's payment in words, saying plainly why when it is not known."""
    if not kpi.known_indicator:
        return f"not yet known: '{kpi.indicator_key}' is not in the indicator registry"
    if kpi.value is None:
        return f"not yet known: no figures loaded for {kpi.substance_label.lower()}"
    if kpi.band == "part" and kpi.part_payment is not None:
        return f"{BAND_WORDS['part']} ({_percent(kpi.part_payment)})"
    return BAND_WORDS[kpi.band]


def _level(kpi: KpiStanding, value: float | None) -> str:
    if value is None:
        return ""
    words = figure(value, kpi.unit)
    if kpi.polarity == "low_good":
        return f"{words} or lower"
    return f"{words} or higher" if kpi.polarity == "high_good" else words


def kpi_rows(standing: ContractStanding) -> pd.DataFrame:
    rows = [
        {
            "kpi": k.name,
            "measure": f"{k.indicator_name} ({k.substance_label.lower()})",
            "weight": k.weight,
            "target": _level(k, k.target),
            "threshold": _level(k, k.threshold),
            "latest": f"{figure(k.value, k.unit)} ({k.period})" if k.period else "no figures",
            "band": kpi_status(k),
            "worth": None if k.worth is None else round(k.worth),
            "earned": None if k.earned is None else round(k.earned),
        }
        for k in standing.kpis
    ]
    return pd.DataFrame(rows, columns=list(KPI_HEADERS))


def year_table(standing: ContractStanding) -> tuple[pd.DataFrame, dict[str, str]]:
    """One row a year: the value, the PbR element, and the saving against each named baseline, as the
    Birmingham briefing tabled them; with the headers to show."""
    headers = dict(YEAR_HEADERS)
    rows = {
        y.year: {"year": y.year, "amount": round(y.amount), "share": y.pbr_share, "pbr": round(y.pbr_amount)}
        for y in standing.years
    }
    names = list(dict.fromkeys(s.baseline for s in standing.savings))
    for index, name in enumerate(names):
        amount, percent = f"saving_{index}", f"percent_{index}"
        headers[amount], headers[percent] = f"Saving against {name} (£)", f"Saving against {name} (%)"
        for saving in standing.savings:
            if saving.baseline == name:
                rows[saving.year][amount] = round(saving.amount)
                rows[saving.year][percent] = None if saving.percent is None else round(saving.percent, 1)
    return pd.DataFrame(list(rows.values()), columns=list(headers)), headers


def savings_sentence(standing: ContractStanding) -> str:
    """The judged year's savings against each baseline, as the Birmingham briefing put them."""
    this_year = [s for s in standing.savings if s.year == standing.year]
    if not standing.savings:
        return "No baseline is recorded for this contract, so no saving is worked out."
    if not this_year:
        return f"The contract has no value for {standing.year} to set against its baselines."
    parts = [
        f"{money(s.amount)} ({_percent(round(s.percent, 1))}) against {s.baseline}"
        if s.amount >= 0 and s.percent is not None
        else f"{money(-s.amount)} more than {s.baseline}"
        for s in this_year
    ]
    return f"In {standing.year} the contract saves {listed(parts)}."


def history_rows(standing: ContractStanding) -> pd.DataFrame:
    rows = [
        {
            "when": c.changed_at.strftime("%-d %b %Y %H:%M") if c.changed_at else "",
            "who": c.user_name,
            "item": c.item,
            "field": FIELD_WORDS.get(c.field, c.field),
            "old": c.old_value or "blank",
            "new": c.new_value or "blank",
        }
        for c in standing.history
    ]
    return pd.DataFrame(rows, columns=list(HISTORY_HEADERS))


def term_words(standing: ContractStanding) -> str:
    """ "1 July 2016 to 30 June 2021 (extension to 30 June 2023); reports monthly"."""
    extension = f" (may be extended to {long_date(standing.extension_end)})" if standing.extension_end else ""
    return (
        f"{long_date(standing.start_date)} to {long_date(standing.end_date)}{extension}; "
        f"the provider reports {standing.reporting}"
    )

"""What goes into a board pack, gathered as plain data (no HTML, no PDF)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl

import plotly.graph_objects as go

from dashboard.domain.substance_groups import label_for
from dashboard.figures.compare import ranked_bars
from dashboard.figures.trend import rate_trend_by_group
from dashboard.narrative.ambition import ambition_sentence
from dashboard.narrative.compare import callout
from dashboard.narrative.overview import group_sentence, trend_sentence, unmet_need_sentence
from dashboard.narrative.since import KIND_TITLES, change_sentence, summary_sentence
from dashboard.report.actions_section import ActionPlanSection, gather_action_plan
from dashboard.report.contracts_section import ContractsSection, gather_contracts
from dashboard.report.resolutions_section import ResolutionsSection, gather_resolutions
from dashboard.report.sites_section import SitesSection, gather_sites
from dashboard.services import overview as overview_service
from dashboard.services.compare import CompareError, compare_group
from dashboard.services.filters import FilterOptions, FilterState, load_filter_options
from dashboard.services.since import KINDS, default_dates, since
from dashboard.store import repository, repository_decks

if TYPE_CHECKING:
    from sqlalchemy import Engine

HEADLINE_INDICATOR = "successful_completion_rate"


@dataclass
class HeadlineRow:
    group: str
    in_treatment: float | None
    rate: float | None
    lower: float | None
    upper: float | None
    change_quarter: float | None
    position: str
    versus_england: str
    sentence: str


@dataclass
class Chart:
    title: str
    sentence: str
    figure: go.Figure


@dataclass
class SinceSection:
    """The pack's first page: what changed since the last meeting, in the page's own sentences."""

    summary: str
    groups: list[tuple[str, list[str]]]  # (kind's title, its sentences), in the order of ``KINDS``


@dataclass
class BoardPack:
    area_code: str
    area_name: str
    period: str
    generated: dt.date
    demo: bool
    headlines: list[HeadlineRow] = field(default_factory=list)
    commentary: list[str] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    deck_name: str | None = None
    sources: list[str] = field(default_factory=list)
    action_plan: ActionPlanSection | None = None
    since: SinceSection | None = None
    contracts: ContractsSection | None = None
    resolutions: ResolutionsSection | None = None
    sites: SitesSection | None = None


class BoardPackError(ValueError):
    """The pack cannot be made as asked (unknown area, period or deck)."""


def _compare_chart(
    engine: Engine,
    area: str,
    area_name: str,
    period: str,
    group_key: str,
    group: str | None,
    indicator: str = HEADLINE_INDICATOR,
) -> tuple:
    """The ranked chart of one substance group against its comparator group: ``group`` or, when None, the
    default group the comparison service chooses (the same one How we compare opens with)."""
    comparison = compare_group(
        engine,
        indicator=indicator,
        period=period,
        group=group,
        area=area,
        substance_group=group_key,
        strict_period=False,
    )
    bench = comparison.benchmark
    figure = go.Figure(  # the pack sizes and renders a go.Figure; the page sends the same figure as data
        ranked_bars(
            comparison.areas,
            area,
            comparison.bounds,
            None if bench is None else bench["value"],
            "England" if bench is None else bench["area_name"],
            comparison.indicator,
        )
    )
    measure = f"{label_for(group_key).lower()} {comparison.indicator.short_name.lower()}"
    return comparison, Chart(
        f"{label_for(group_key)}: {comparison.indicator.short_name.lower()} in {comparison.group_name}",
        callout(comparison, area, area_name, measure),
        figure,
    )


def gather(
    engine: Engine, area: str, period: str | None = None, deck: str | None = None, today: dt.date | None = None
) -> BoardPack:
    meta = repository.read_meta(engine)
    options = load_filter_options(engine)
    name = repository.area_name(engine, area)
    if name is None:
        raise BoardPackError(f"there is no area with code '{area}'")
    periods = repository.periods_with_data(engine, area, period_kind=None)
    if not periods:
        raise BoardPackError(f"there are no figures for {name}")
    period = period or periods[0]
    if period not in periods:
        raise BoardPackError(f"there are no figures for {name} in '{period}' (latest: {periods[0]})")
    pack = BoardPack(area, name, period, today or dt.date.today(), meta.get("dataset") == "demo")
    state = FilterState(area=area, period=period)
    provider_name = options.provider_name(None) if options else "All providers"
    data = overview_service.overview(engine, state, name, provider_name)
    for summary in data.groups:
        position, versus = "not ranked", "not compared"
        try:
            comparison, chart = _compare_chart(engine, area, name, period, summary.key, None)
        except CompareError:
            comparison = None
        if comparison is not None:
            mine = comparison.position(area)
            if mine is not None and mine.value is not None:
                position = mine.position_text
                versus = mine.compared or "not compared"
            if summary.key != "all":
                pack.charts.append(chart)
                pack.commentary.append(chart.sentence)
        pack.headlines.append(
            HeadlineRow(
                summary.label,
                summary.in_treatment,
                summary.rate,
                summary.lower_ci_95,
                summary.upper_ci_95,
                summary.rate_change_quarter,
                position,
                versus,
                group_sentence(summary, name),
            )
        )
    # The outcomes framework's questions first, in the Overview's own sentences: numbers against the ambition,
    # then the dependent users not in treatment.
    framework = [ambition_sentence(data.ambition, name)] if data.ambition else []
    pack.commentary[:0] = framework + [unmet_need_sentence(need, name) for need in data.unmet_need]
    pack.charts.insert(
        0,
        Chart(
            "Successful completion rate by substance group",
            trend_sentence(data.trend, name, data.rate_indicator, data.directions),
            rate_trend_by_group(data.trend),
        ),
    )
    if deck:
        _add_deck(engine, pack, deck)
    pack.action_plan = gather_action_plan(engine, area)
    pack.contracts = gather_contracts(engine, area)
    pack.resolutions = gather_resolutions(engine, area)
    pack.sites = gather_sites(engine, area, period)
    if options is not None:
        pack.since = gather_since(engine, options, area, period)
    pack.sources = [
        "Successful completions are adults who left treatment free of dependence and did not re-present within "
        "6 months, as a share of all adults in treatment in the rolling 12 months (PHOF C19).",
        "95% confidence intervals by the Wilson score method; compared with England by Fingertips' rule "
        "(England's value outside the area's 95% interval is a significant difference).",
        "Quartiles by linear interpolation over the comparator group (Excel PERCENTILE.INC); rank 1 is best.",
        "Counts of 1 to 4 are shown as *; rates built on fewer than 5 events are flagged.",
        "Source: Office for Health Improvement and Disparities / Office for National Statistics, licensed under "
        "the Open Government Licence v3.0, where real data is loaded.",
    ]
    if pack.demo:
        pack.sources.insert(
            0, "DEMONSTRATION DATA: these figures are synthetic and must not be presented as real performance."
        )
    return pack


def gather_since(engine: Engine, options: FilterOptions, area: str, period: str) -> SinceSection:
    """Since the quarter before the pack's period, as the Since the last meeting page says it."""
    start, end = default_dates(options, period)
    data = since(engine, options, area=area, substance_group="all", start=start, end=end)
    groups = [
        (KIND_TITLES[kind], [change_sentence(c) for c in data.of_kind(kind)]) for kind in KINDS if data.of_kind(kind)
    ]
    return SinceSection(summary_sentence(data), groups)


def _add_deck(engine: Engine, pack: BoardPack, deck_name: str) -> None:
    deck_id = repository_decks.deck_id_by_name(engine, deck_name)
    if deck_id is None:
        raise BoardPackError(f"there is no meeting deck called '{deck_name}'")
    pack.deck_name = deck_name
    deck = repository_decks.get_deck(engine, deck_id)
    for item in deck.items if deck else []:
        query = dict(parse_qsl(item["query"]))
        area = query.get("area", pack.area_code)
        group_key = query.get("substance_group", "all")
        name = repository.area_name(engine, area) or area
        period = query.get("period") or pack.period
        if item["path"] == "/compare":
            try:
                _, chart = _compare_chart(
                    engine,
                    area,
                    name,
                    period,
                    group_key,
                    query.get("group") or None,
                    query.get("indicator") or HEADLINE_INDICATOR,
                )
            except CompareError:
                continue
        else:
            state = FilterState(
                area=area, substance_group=group_key, provider=query.get("provider") or None, period=period
            )
            if state.provider == "all":
                state = FilterState(area=area, substance_group=group_key, period=period)
            data = overview_service.overview(engine, state, name, "")
            chart = Chart(
                item["title"] or f"Completion rates, {name}",
                trend_sentence(data.trend, name, data.rate_indicator, data.directions),
                rate_trend_by_group(data.trend),
            )
        chart.title = item["title"] or chart.title
        pack.charts.append(chart)

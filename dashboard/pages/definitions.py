"""Definitions: a page per indicator saying what it measures, how it is calculated, the method behind its
intervals, comparisons and suppression, the figures held and when they were loaded; every chart links here."""

from __future__ import annotations

from dash import Dash, dcc, html

from dashboard.cache import cached_by_views_version
from dashboard.components.page import filter_options
from dashboard.narrative import definitions as words
from dashboard.services.definitions import definition
from dashboard.services.indicators import registry
from dashboard.services.projection import stored_backtest
from dashboard.web_runtime import engine

PATH = "/definitions"
CACHED_LAYOUT = True  # the layout is the same for every reader of one role: cached by role (response_cache)
PATH_TEMPLATE = "/definitions/<key>"
NAV_LABEL = None
TITLE = "Definitions"
ORDER = 90


def _index() -> html.Div:
    return html.Div(
        [
            html.H1("Definitions", className="page-title"),
            html.P(
                "What each indicator measures and how this dashboard computes and compares it.", className="page-scope"
            ),
            html.Ul([html.Li(dcc.Link(s.name, href=f"/definitions/{s.key}")) for s in registry(engine())]),
        ]
    )


@cached_by_views_version("projection-backtest")
def _backtest(key: str):  # type: ignore[no-untyped-def]
    """A few hundred projections: worked out once per data version, not on every visit."""
    return stored_backtest(engine(), key)


def _row(term: str, *text: object) -> list:
    return [html.Dt(term), html.Dd(list(text))]


def _inequality_links(found) -> list:  # type: ignore[no-untyped-def]
    """One link per breakdown to the Inequalities view of this indicator."""
    return [
        html.Div(
            dcc.Link(
                f"See {found.spec.short_name.lower()} by {b['label'].lower()}",
                href=f"/inequalities?indicator={found.spec.key}&breakdown={b['dimension']}",
            )
        )
        for b in found.breakdowns
    ]


def layout(key: str | None = None, **_query: str) -> html.Div:
    if not key:
        return _index()
    options = filter_options()
    found = definition(engine(), key, options.home_area if options else None)
    if found is None:
        return html.Div(
            [
                html.H1("No such indicator", className="page-title"),
                html.P(f"There is no indicator '{key}'. These are the indicators this dashboard holds:"),
                _index(),
            ]
        )
    spec = found.spec
    return html.Div(
        [
            html.H1(spec.name, className="page-title"),
            html.P(f"Indicator key: {spec.key}", className="page-scope"),
            html.Dl(
                [
                    *_row("What it measures", spec.description or spec.name),
                    *_row("How it is calculated", words.calculation(spec)),
                    *_row("Unit", spec.unit_words),
                    *_row("Polarity", words.POLARITY_WORDS.get(spec.polarity, spec.polarity)),
                    *_row("Confidence intervals", words.INTERVAL_WORDS.get(spec.interval_method, spec.interval_method)),
                    *_row("Compared with England", words.BENCHMARK_WORDS.get(spec.benchmark_rule, spec.benchmark_rule)),
                    *_row("Position among comparators", words.QUARTILE_WORDS),
                    *_row("Change over time", words.CHANGE_WORDS),
                    *_row("Statistical process control", words.SPC_WORDS),
                    *_row(
                        "Projection",
                        html.P(words.PROJECTION_WORDS),
                        html.P(words.backtest_words(_backtest(spec.key), spec), id="definition-backtest"),
                    ),
                    *_row("Small numbers", words.SUPPRESSION_WORDS.get(spec.suppression, spec.suppression)),
                    *_row("Figures held", html.Ul([html.Li(line) for line in words.periods_words(found.coverage)])),
                    *_row("How often it is updated", words.update_words(found.coverage)),
                    *_row("Breakdowns held", words.breakdown_words(found.breakdowns), *_inequality_links(found)),
                    *_row("Last loaded", words.loaded_words(found)),
                    *_row("Source and licence", words.source_words(spec)),
                    *_row("Known caveats", words.caveat_words(spec)),
                ],
                className="definition-list",
            ),
            dcc.Link("All definitions", href="/definitions"),
        ]
    )


def register_callbacks(app: Dash) -> None:
    """No callbacks: the page is built from the address."""

"""RAG ratings as people should see them: the word, a shape icon and the colour together, never colour alone."""

from __future__ import annotations

from dash import html

from dashboard.actionplans.rag import RAG_MEANINGS, RAG_WORDS

RAG_ICONS = {
    "blue": "bi-check-circle-fill",
    "green": "bi-circle-fill",
    "amber": "bi-triangle-fill",
    "red": "bi-square-fill",
}


def icon(name: str) -> html.I:
    return html.I(className=f"bi {name}", **{"aria-hidden": "true"})


def rag_badge(rag: str, meaning: bool = True, **props: object) -> html.Span:
    """ "■ Red: off track" as a badge in the rating's colour (text contrast at least 4.5:1 on every colour)."""
    words = f"{RAG_WORDS[rag]}: {RAG_MEANINGS[rag]}" if meaning else RAG_WORDS[rag]
    return html.Span([icon(RAG_ICONS[rag]), " ", words], className=f"rag-badge rag-{rag}", **props)


FIGURE_COLUMN = "col-xl-2 col-md-4 col-6"  # dbc.Col(xs=6, md=4, xl=2) as markup, so the figures can be static


def figure_card(label: str, count: int, field: str, rag: str | None = None, icon_name: str | None = None) -> html.Div:
    """One headline count (e.g. "4 · Red: off track"), marked with the rating's icon and colour when it has one."""
    mark = icon(RAG_ICONS[rag] if rag else icon_name or "bi-dot")
    return html.Div(
        html.Article(
            html.Div(
                [
                    html.Div([mark, html.Span(str(count), className="plan-figure-value")], className="plan-figure-top"),
                    html.Div(label, className="plan-figure-label"),
                ],
                className="card-body",
            ),
            className=f"card plan-figure {'rag-' + rag if rag else 'plan-figure-plain'}",
            **{"data-field": field},
        ),
        className=FIGURE_COLUMN,
    )

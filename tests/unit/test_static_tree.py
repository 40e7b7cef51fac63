"""Static markup (components/static_tree.py): the same elements, one Dash component, and only where no callback
reaches."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pytest
from dash import dcc, html

from dashboard.components.static_tree import StaticTree, collapse, static


def test_static_keeps_every_attribute_an_element_draws_and_drops_dash_s_own() -> None:
    tree = static(
        html.Div(
            ["Rate ", html.Span("47.1%", className="kpi-value", **{"data-field": "rate"}), None, 3],
            id="card",
            style={"flexBasis": "100%"},
            n_clicks=2,
            tabIndex="0",
            **{"aria-live": "polite"},
        )
    ).tree
    assert tree == {
        "t": "div",
        "p": {"id": "card", "style": {"flexBasis": "100%"}, "tabIndex": "0", "aria-live": "polite"},
        "c": ["Rate ", {"t": "span", "p": {"className": "kpi-value", "data-field": "rate"}, "c": ["47.1%"]}, 3],
    }


def test_static_names_elements_by_their_tags() -> None:
    assert static([html.ObjectEl(), html.MapEl(), html.H3("x"), html.Img(src="a.png", alt="")]).tree == [
        {"t": "object"},
        {"t": "map"},
        {"t": "h3", "c": ["x"]},
        {"t": "img", "p": {"src": "a.png", "alt": ""}},
    ]


@pytest.mark.parametrize("component", [dcc.Link("Trends", href="/trends"), dbc.Badge("Small numbers")])
def test_static_refuses_what_needs_dash(component) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(TypeError, match="only dash.html elements"):
        static(html.Div(["a", component]))


def _types(content) -> list:  # type: ignore[no-untyped-def]
    items = content if isinstance(content, list) else [content]
    return [type(item).__name__ if not isinstance(item, str) else item for item in items]


def test_collapse_draws_runs_of_static_siblings_as_one_tree_around_what_callbacks_name() -> None:
    layout = html.Div(
        [
            html.H1("Overview"),
            html.P("Figures for the area", className="page-scope"),
            html.P(id="overview-headline"),
            html.Div([html.Span("a"), html.Span("b")]),
            dcc.Graph(id="graph"),
            "text",
        ]
    )
    collapsed = collapse(layout, frozenset({"overview-headline", "graph"}))
    assert _types(collapsed.children) == ["StaticTree", "P", "StaticTree", "Graph", "text"]
    assert [node["t"] for node in collapsed.children[0].tree] == ["h1", "p"]
    assert collapsed.children[1].id == "overview-headline"
    assert collapsed.children[2].tree == [{"t": "div", "c": [{"t": "span", "c": ["a"]}, {"t": "span", "c": ["b"]}]}]


def test_collapse_keeps_pattern_matching_ids_and_anything_not_html() -> None:
    button = html.Button("Undo", id={"type": "undo", "index": 3})
    layout = html.Div([button, dbc.Button([html.I(className="bi bi-download"), "CSV"], id="csv")])
    collapsed = collapse(layout, frozenset())
    assert collapsed.children[0] is button
    assert _types(collapsed.children[1].children) == ["StaticTree"]


def test_collapse_leaves_text_alone_and_copies_rather_than_changes() -> None:
    link = dbc.NavLink("Trends", href="/trends", id="nav-trends")
    children = [html.Span("x"), link]
    layout = html.Div(children, id="nav")
    collapsed = collapse(layout, frozenset({"nav", "nav-trends"}))
    assert collapsed.children[1] is link  # its text is not wrapped: a tree would only add a component
    assert layout.children is children and isinstance(children[0], html.Span)  # the input is as it was
    assert collapsed is not layout


def test_collapse_makes_a_wholly_static_page_one_tree_and_leaves_an_empty_one_as_it_is() -> None:
    assert isinstance(collapse(html.Div([html.H1("Definitions"), html.P("x")]), frozenset()), StaticTree)
    assert collapse(None, frozenset()) is None
    assert collapse("text", frozenset()) == "text"


def test_callback_ids_reads_a_callback_without_outputs() -> None:
    """The filters' address writer has no output (Dash keys it by a hash): its inputs still count as named."""
    from dash import Dash, Input, Output

    from dashboard.components.static_tree import callback_ids

    app = Dash(__name__)
    app.layout = html.Div([html.Button(id="press"), html.Div(id="shown"), dcc.Input(id="typed")])
    app.clientside_callback("function(n) { return; }", Input("press", "n_clicks"))
    app.callback(Output("shown", "children"), Input("typed", "value"))(lambda value: value)
    assert {"press", "shown", "typed"} <= callback_ids(app)

"""The yardstick: the smallest Dash app with one dropdown and one chart, served the way the dashboard is.

    gunicorn -c benchmarks/gunicorn_bench.py benchmarks.hello_world:server

Issue 16 asks every interaction of the dashboard to be about as quick as this app's dropdown-to-chart. It keeps
Dash's defaults (plotly.js loaded by dcc.Graph from Dash's own bundle), with the one setting the dashboard also
uses on the wire (compressed responses), so the comparison measures the app, not the server.
"""

from __future__ import annotations

import random

import plotly.graph_objects as go
from dash import Dash, Input, Output, dcc, html

BARS = 150
CHOICES = ["Alpha", "Bravo", "Charlie", "Delta", "Echo"]


def figure(choice: str) -> go.Figure:
    """~150 bars whose heights depend on the choice, so every change draws something new."""
    rng = random.Random(choice)
    names = [f"{choice} {i:03d}" for i in range(BARS)]
    return go.Figure(go.Bar(x=names, y=[rng.uniform(10, 90) for _ in names]), layout={"height": 450})


def make_app() -> Dash:
    app = Dash(__name__, compress=True, title="Hello world")
    app.layout = html.Div(
        [
            html.H1("Hello world"),
            dcc.Dropdown(id="hw-choice", options=CHOICES, value=CHOICES[0], clearable=False),
            dcc.Graph(id="hw-graph"),
        ]
    )

    @app.callback(Output("hw-graph", "figure"), Input("hw-choice", "value"))
    def draw(choice: str) -> go.Figure:
        return figure(choice or CHOICES[0])

    # Dash's own setup, done before gunicorn forks, as the dashboard does it (dashboard/webapp.py
    # _set_up_before_serving): done on the first request instead, a worker's parallel first requests could find it
    # half done, and a page stayed blank; a run of the benchmark then waited on it for good.
    with app.server.test_request_context("/"):
        app._setup_server()
    return app


app = make_app()
server = app.server

if __name__ == "__main__":
    app.run(debug=False, port=8060)

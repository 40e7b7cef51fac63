"""How we compare's figures are built as data: each is one figure with one list of shapes and one of annotations,
its numbers sent as plotly's binary arrays (``bdata``), and no figure is built up step by step (every
``add_*``/``update_layout`` call validates and deep-copies the figure again: issue 16)."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from dashboard.domain.indicators import IndicatorSpec
from dashboard.figures import compare as figures
from dashboard.services.compare import SpineRow
from dashboard.stats import QuartileBounds
from tests.plotly_arrays import as_array

SOURCE = Path(figures.__file__)
N = 153  # every partnership in England


SPEC = IndicatorSpec(
    key="successful_completion_rate", name="Successful completions", short_name="Successful completion rate",
    unit="%", value_type="proportion", polarity="high_good", denominator_label="people in treatment",
)  # fmt: skip


def _areas(n: int = N) -> pd.DataFrame:
    rng = np.random.default_rng(16)
    denominators = rng.integers(80, 4000, n).astype(float)
    numerators = np.round(denominators * rng.uniform(0.2, 0.6, n))
    values = numerators / denominators * 100
    return pd.DataFrame(
        {
            "area_code": [f"E{i:08d}" for i in range(n)],
            "area_name": [f"Partnership {i}" for i in range(n)],
            "numerator": numerators,
            "denominator": denominators,
            "value": values,
            "lower_ci_95": values - 2,
            "upper_ci_95": values + 2,
        }
    ).sort_values("value", ascending=False)


BOUNDS = QuartileBounds(p25=30.0, p50=40.0, p75=50.0, best=60.0, worst=20.0, n=N)


def _spine_rows(n: int = 5) -> list[SpineRow]:
    rows = []
    for i in range(n):
        rows.append(
            SpineRow(
                f"indicator_{i}",
                f"Indicator {i}",
                "high_good",
                "%",
                40.0 + i,
                38.0,
                BOUNDS,
                "second",
                ("better", "similar", "worse")[i % 3],
                10,
                "10th of 153",
                N,
                f"{40 + i}%",
                35.0,
                45.0,
                8,
                12,
            )  # fmt: skip
        )
    return rows


def _history() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "period": ["2018-19 Q4", "2019-20 Q1", "2019-20 Q2"],
            "value": [40.1, 42.3, 44.0],
            "band": ["third", "second", "top"],
            "rank": [90, 60, 30],
            "n": [153, 153, 153],
        }
    )


def _built() -> dict:
    areas, spec = _areas(), SPEC
    return {
        "ranked": figures.ranked_bars(areas, "E00000003", BOUNDS, 38.0, "England", spec),
        "funnel": figures.funnel_plot(areas, "E00000003", spec),
        "spine": figures.spine_chart(_spine_rows(), "Partnership 3"),
        "history": figures.quartile_history_chart(_history()),
    }


@pytest.mark.parametrize("name", ["ranked", "funnel", "spine", "history"])
def test_every_compare_figure_is_one_plotly_accepts_as_it_is_sent(name):
    """Built as data, sent as built: plotly's own validation takes every key as it stands."""
    built = _built()[name]
    assert isinstance(built, dict)
    go.Figure(built)


@pytest.mark.parametrize("name", ["ranked", "funnel", "spine", "history"])
def test_every_compare_figure_sends_its_numbers_as_binary_arrays(name):
    sent = pio.to_json(_built()[name])
    assert '"bdata"' in sent, f"{name}: numbers sent as lists of text"


def test_the_ranked_chart_draws_quartiles_and_benchmark_from_one_list_of_shapes():
    layout = _built()["ranked"]["layout"]
    assert [s["x0"] for s in layout["shapes"]] == [30.0, 40.0, 50.0, 38.0]
    assert [a["text"] for a in layout["annotations"]] == ["P25", "Median", "P75", "England"]
    assert layout["template"]["layout"]["font"]["size"] == 15  # the house template, not plotly's


def test_the_ranked_chart_keeps_its_names_and_asks_the_page_to_write_them_beside_the_bars():
    """The page writes the names as text (assets/names_beside.js), the chosen area's in bold; the figure itself
    keeps its axis labels, so every picture made from it (the PNG download, the board pack) names every area."""
    fig = _built()["ranked"]
    assert fig["layout"]["meta"] == {"namesBeside": {"emphasis": "Partnership 3"}}
    assert fig["layout"]["yaxis"].get("showticklabels", True) is True
    unknown = figures.ranked_bars(_areas(), "E99999999", BOUNDS, 38.0, "England", SPEC)
    assert unknown["layout"]["meta"] == {"namesBeside": {"emphasis": ""}}  # no area of the group chosen: none bold


def test_the_funnel_draws_its_limits_as_traces_and_the_average_as_one_shape():
    fig = _built()["funnel"]
    assert [t["name"] for t in fig["data"]] == [
        "95% limits", "95% limits", "99.8% limits", "99.8% limits", "Other areas", "Selected area",
    ]  # fmt: skip
    (average,) = fig["layout"]["shapes"]
    assert average["y0"] == average["y1"] and average["xref"] == "x domain"
    assert [a["text"] for a in fig["layout"]["annotations"]] == ["Group average"]


def test_the_spine_draws_each_kind_of_band_as_one_bar_trace_and_the_benchmark_as_its_one_shape():
    """Worst..best, then P25..P75 over it, one bar per row from its scaled start to its scaled end (bars, not a
    rectangle shape per band: plotly draws a trace far quicker), the area's markers above them."""
    fig = _built()["spine"]
    (benchmark,) = fig["layout"]["shapes"]
    assert benchmark["x0"] == benchmark["x1"] == 0
    assert fig["layout"]["barmode"] == "overlay"
    whole, middle, markers = fig["data"][:3]
    assert [whole["type"], middle["type"], markers["type"]] == ["bar", "bar", "scatter"]
    assert whole["marker"]["color"] == figures.SPINE_BANDS[0] and middle["marker"]["color"] == figures.SPINE_BANDS[1]
    for band in (whole, middle):
        assert band["orientation"] == "h" and band["hoverinfo"] == "skip"
        assert list(as_array(band["y"])) == [0, 1, 2, 3, 4]
    start, end = (np.asarray(as_array(whole["base"])), np.asarray(as_array(whole["base"])) + as_array(whole["x"]))
    inner_start = np.asarray(as_array(middle["base"]))
    inner_end = inner_start + as_array(middle["x"])
    assert (start <= inner_start).all() and (inner_end <= end).all() and (end - start > 0).all()
    assert ((start >= -1 - 1e-9) & (end <= 1 + 1e-9)).all()  # scaled about the benchmark: the widest reaches 1
    assert fig["layout"]["yaxis"]["ticktext"] == [f"Indicator {i}" for i in range(5)]


def test_a_history_period_without_a_rank_or_quartile_is_drawn_as_a_gap():
    """A group too small to rank in gives a period no quartile: the line breaks there (pandas reads the missing
    band as NaN, which once stopped the chart), and the hover's rank is empty as before, not "NaN"."""
    history = _history().assign(rank=[None, 60, 30], band=[None, "second", "top"])
    trace = json.loads(pio.to_json(figures.quartile_history_chart(history)))["data"][0]
    assert trace["customdata"][0][0] is None and trace["customdata"][1][0] == 60
    y = as_array(trace["y"])
    assert np.isnan(y[0]) and y[1:].tolist() == [2.0, 3.0]


def test_the_figures_are_not_built_up_step_by_step():
    """No ``fig.add_*``/``update_*`` call and no deep copy in the module (one figure, built once, as data)."""
    calls = {
        node.func.attr
        for node in ast.walk(ast.parse(SOURCE.read_text()))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
    }
    assert not {c for c in calls if c.startswith(("add_", "update_")) or c == "deepcopy"}, calls
    assert "import copy" not in SOURCE.read_text()

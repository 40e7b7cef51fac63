"""Figures built as data (issue 16): the house template without a per-figure copy, reference lines as layout
dicts drawing what plotly's add_vline/add_hline drew, marks added in one update, numbers as binary arrays, and the
Districts map sending its boundaries once."""

from __future__ import annotations

import json
from types import SimpleNamespace

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest
from dash._utils import to_json
from plotly.subplots import make_subplots

from dashboard.domain.indicators import IndicatorSpec
from dashboard.figures.choropleth import district_map, small_multiples, subplot_grid
from dashboard.figures.lines import hline, vline
from dashboard.figures.marks import add_marks
from dashboard.figures.providers import provider_indicator_chart
from dashboard.figures.spc import spc_chart
from dashboard.figures.template import FONT_FAMILY, TEMPLATE_NAME
from dashboard.figures.trend_detail import trend_chart
from dashboard.services.spc import SpcData, SpcSeries
from dashboard.services.trends import TrendData
from dashboard.stats import spc as xmr_method

RATE = IndicatorSpec(key="successful_completion_rate", name="Successful completion", short_name="Completion",
                     unit="%", value_type="proportion")  # fmt: skip


def _sent(fig: go.Figure | dict) -> dict:
    """The figure as Dash sends it (plotly's JSON, where numpy arrays become base64 ``bdata``). A figure built as
    plain data is checked by plotly on the way (``pio.to_json`` validates it), so a misspelt property fails here."""
    return json.loads(pio.to_json(fig))


def test_every_figure_starts_in_the_house_template():
    assert pio.templates.default == TEMPLATE_NAME
    assert go.Figure().layout.template.layout.font.family == FONT_FAMILY


def test_a_vertical_line_is_what_add_vline_drew():
    line = {"color": "#000000", "width": 3}
    expected = go.Figure(go.Bar(x=[1, 2], y=["a", "b"], orientation="h"))
    expected.add_vline(x=1.5, line=line, annotation_text="All providers 1.5", annotation_position="top right")
    shape, label = vline(1.5, line, "All providers 1.5")
    drawn = go.Figure(
        go.Bar(x=[1, 2], y=["a", "b"], orientation="h"), layout={"shapes": [shape], "annotations": [label]}
    )
    assert drawn.layout.shapes == expected.layout.shapes and drawn.layout.annotations == expected.layout.annotations


def test_a_horizontal_line_is_what_add_hline_drew():
    line = {"color": "#3D3D3D", "width": 2, "dash": "dash"}
    expected = go.Figure(go.Scatter(x=["a", "b"], y=[1, 2]))
    expected.add_hline(y=1.5, line=line, annotation_text="Target 1.5%", annotation_position="top left")
    shape, label = hline(1.5, line, "Target 1.5%")
    drawn = go.Figure(go.Scatter(x=["a", "b"], y=[1, 2]), layout={"shapes": [shape], "annotations": [label]})
    assert drawn.layout.shapes == expected.layout.shapes and drawn.layout.annotations == expected.layout.annotations


def test_the_providers_chart_draws_all_providers_as_one_line():
    chosen = pd.DataFrame(
        {
            "provider_code": ["P1", "P2"],
            "provider_name": ["One", "Two"],
            "value": [40.0, 50.0],
            "lower_ci_95": [35.0, 45.0],
            "upper_ci_95": [45.0, 55.0],
            "compared_to_all": ["similar", "better"],
        }
    )
    fig = provider_indicator_chart(chosen, 45.0, RATE, None)
    assert [s.x0 for s in fig.layout.shapes] == [45.0]
    assert fig.layout.annotations[0].text.startswith("All providers 45")
    assert "bdata" in _sent(fig)["data"][0]["x"]


def _trend_data(names: list[str], groups: list[str]) -> TrendData:
    """Four quarters of each named line (one missing figure), each line's England and band, and a target."""
    periods = ["2019-20 Q1", "2019-20 Q2", "2019-20 Q3", "2019-20 Q4"]
    ends = pd.to_datetime(["2019-06-30", "2019-09-30", "2019-12-31", "2020-03-31"]).date
    rows, england, band = [], [], []
    for n, (name, group) in enumerate(zip(names, groups, strict=True)):
        for i, (period, end) in enumerate(zip(periods, ends, strict=True)):
            value = None if (n, i) == (0, 1) else 40.0 + n + i / 3
            low, high = (None, None) if value is None else (value - 2, value + 2)
            rows.append({"series": name, "substance_group": group, "period": period, "period_end": end,
                         "value": value, "lower_ci_95": low, "upper_ci_95": high})  # fmt: skip
            england.append({"series": name, "substance_group": group, "period": period, "value": 45.0 + i / 7})
            band.append({"series": name, "period": period, "threshold": 47.0, "best": 55.5, "group": "Similar areas"})
    series = pd.DataFrame(rows).astype({"value": float, "lower_ci_95": float, "upper_ci_95": float})
    directions = {names[0]: "better", **{name: "no significant change" for name in names[1:]}}
    return TrendData(RATE, series, pd.DataFrame(band), pd.DataFrame(england), {name: 50.0 for name in names},
                     "Similar areas", directions)  # fmt: skip


def test_the_trend_chart_as_data_is_what_a_go_figure_sends():
    """Plain data sends every key as plotly's validators leave it (no None, no magic underscore, floats as bdata): a
    go.Figure made from it sends the same JSON."""
    for names, groups in ((["Opiate"], ["opiate"]), (["Blaby", "Charnwood"], ["all", "all"]),
                          (["Opiate", "Alcohol only"], ["opiate", "alcohol"])):  # fmt: skip
        fig = trend_chart(_trend_data(names, groups))
        assert isinstance(fig, dict)
        sent = json.loads(pio.to_json(fig))
        assert sent == json.loads(pio.to_json(go.Figure(fig))), names
        assert all("bdata" in trace["y"] for trace in sent["data"])
        assert sent["layout"]["template"]["layout"]["font"]["family"] == FONT_FAMILY
    one = json.loads(pio.to_json(trend_chart(_trend_data(["Opiate"], ["opiate"]))))
    assert [t["name"] for t in one["data"]] == ["Top quartile of Similar areas", "95% confidence interval",
                                                "Opiate ▲", "England"]  # fmt: skip
    assert one["layout"]["shapes"][0]["y0"] == 50.0 and one["layout"]["annotations"][0]["text"] == "Target 50.0%"


def test_marks_join_a_figure_built_as_data():
    fig = trend_chart(_trend_data(["Opiate"], ["opiate"]))
    marks = [SimpleNamespace(period="2019-20 Q2", text="New service", kind="action"),
             SimpleNamespace(period="2019-20 Q3", text="Note", kind="annotation")]  # fmt: skip
    add_marks(fig, marks)
    assert [s["y0"] for s in fig["layout"]["shapes"]] == [50.0, 0, 0]
    assert [a["text"] for a in fig["layout"]["annotations"]] == ["Target 50.0%", "[1]", "[2]"]
    assert json.loads(pio.to_json(fig)) == json.loads(pio.to_json(go.Figure(fig)))


def test_marks_join_the_lines_a_figure_already_has():
    shape, label = hline(30.0, {"color": "#3D3D3D"}, "Target 30%")
    fig = go.Figure(go.Scatter(x=["Q1", "Q2", "Q3"], y=[1, 2, 3]), layout={"shapes": [shape], "annotations": [label]})
    marks = [SimpleNamespace(period="Q2", text="New service", kind="action"), SimpleNamespace(period="Q2", text="Note",
             kind="annotation"), SimpleNamespace(period="Q3", text="Later", kind="annotation")]  # fmt: skip
    add_marks(fig, marks)
    assert len(fig.layout.shapes) == 3 and fig.layout.shapes[0].y0 == 30.0
    assert [a.text for a in fig.layout.annotations] == ["Target 30%", "[1] [2]", "[3]"]


def test_the_spc_chart_sends_its_numbers_as_binary_arrays():
    values = [50.0, 52.0, 49.0, 51.0, 60.0, 48.0, 50.0, 51.0, 49.0, 50.0, 52.0, 51.0]
    chart = xmr_method.xmr(values)
    assert chart is not None
    series = SpcSeries(name="Opiate", periods=tuple(f"P{i}" for i in range(len(values))), chart=chart,
                       variation="common", assurance=None, target=55.0, thinned=False)  # fmt: skip
    sent = _sent(spc_chart(SpcData(indicator=RATE, series=(series,), thinned_to_month=None)))
    numeric = [trace["y"] for trace in sent["data"]]
    assert numeric and all(isinstance(y, dict) and "bdata" in y for y in numeric)


def _square(code: str, x: float) -> dict:
    ring = [[x, 52.0], [x + 0.1, 52.0], [x + 0.1, 52.1], [x, 52.1], [x, 52.0]]
    return {"type": "Feature", "id": code, "geometry": {"type": "Polygon", "coordinates": [ring]}}


def test_the_district_map_sends_the_boundaries_once():
    geojson = {"type": "FeatureCollection", "features": [_square(f"E0700000{i}", i / 10) for i in range(5)]}
    latest = pd.DataFrame(
        {
            "area_code": [f"E0700000{i}" for i in range(5)],
            "area_name": [f"District {i}" for i in range(5)],
            "value": [40.0, 42.0, 45.0, 47.0, 50.0],
            "on_map": [True] * 5,
        }
    )
    sent = _sent(district_map(latest, geojson, "E07000002", RATE))
    main, outline = sent["data"][0], sent["data"][1]
    assert len(main["geojson"]["features"]) == 5
    assert [f["id"] for f in outline["geojson"]["features"]] == ["E07000002"]
    assert json.dumps(sent).count('"coordinates"') == 6  # five districts, and the chosen one's outline


def test_the_map_keeps_every_boundary_but_draws_names_outline_and_sites_for_the_districts_with_figures():
    """The page sends the whole partnership's boundaries whichever districts have a figure (so an indicator change
    can leave them where they are); a district with no figure is not drawn, named, outlined or given sites."""
    geojson = {"type": "FeatureCollection", "features": [_square(f"E0700000{i}", i / 10) for i in range(3)]}
    latest = pd.DataFrame(
        {"area_code": ["E07000000", "E07000001"], "area_name": ["Zero", "One"], "value": [40.0, 42.0], "on_map": True}
    )
    sites = pd.DataFrame(
        {"name": ["A", "B"], "kind": ["hub", "hub"], "district_code": ["E07000001", "E07000002"],
         "latitude": [float("nan")] * 2, "longitude": [float("nan")] * 2, "hover": ["A", "B"]}
    )  # fmt: skip
    sent = _sent(district_map(latest, geojson, "E07000002", RATE, sites))
    main, names, hubs = sent["data"]
    assert [f["id"] for f in main["geojson"]["features"]] == ["E07000000", "E07000001", "E07000002"]
    assert main["locations"] == ["E07000000", "E07000001"]
    assert names["text"] == ["Zero", "One"] and hubs["text"] == ["A"]  # B's district has no figure: no outline


@pytest.mark.parametrize("count", [1, 2, 3, 4, 7, 9, 10, 13])
def test_the_small_multiples_grid_is_the_one_make_subplots_laid_out(count):
    """The grid is laid out as data (make_subplots took longer than reading the figures); it must stay the
    very layout make_subplots gives, to the last digit."""
    names = [f"District {i}" for i in range(count)]
    columns = 3 if count > 3 else count
    rows = -(-count // columns)
    expected = make_subplots(rows=rows, cols=columns, subplot_titles=names, shared_yaxes="all",
                             horizontal_spacing=0.04, vertical_spacing=0.16)  # fmt: skip
    expected.update_xaxes(showticklabels=False)
    drawn = go.Figure(layout=subplot_grid(rows, columns, names, 0.04, 0.16))
    assert drawn.layout == expected.layout


def test_the_small_multiples_draw_no_axes_in_the_last_rows_empty_cells():
    """Seven districts three to a row leave two cells empty: plotly drew their axes and grid round nothing."""
    history = pd.DataFrame(
        {
            "area_name": [f"District {i}" for i in range(7)],
            "period": ["P00"] * 7,
            "period_end": [pd.Timestamp("2018-01-01")] * 7,
            "value": [float(i) for i in range(7)],
        }
    )
    layout = _sent(small_multiples(history, RATE))["layout"]
    axes = sorted(k for k in layout if k.startswith(("xaxis", "yaxis")))
    assert axes == sorted([f"{a}axis{n if n > 1 else ''}" for a in "xy" for n in range(1, 8)])
    assert all(layout[f"yaxis{n}"]["matches"] == "y7" for n in range(2, 7))  # the bottom-left cell is drawn


def test_each_small_multiple_is_its_district_last_twelve_periods_on_its_own_axes():
    history = pd.DataFrame(
        {
            "area_name": ["B"] * 14 + ["A"] * 2,
            "period": [f"P{i:02d}" for i in range(14)] + ["P00", "P01"],
            "period_end": pd.date_range("2018-01-01", periods=14, freq="QS").tolist() * 1
            + [pd.Timestamp("2018-01-01"), pd.Timestamp("2018-04-01")],
            "value": [float(i) for i in range(14)] + [5.0, 6.0],
        }
    ).iloc[::-1]
    sent = _sent(small_multiples(history, RATE))
    a, b = sent["data"]
    assert (a["xaxis"], a["yaxis"], b["xaxis"], b["yaxis"]) == ("x", "y", "x2", "y2")
    assert a["x"] == ["P00", "P01"] and b["x"] == [f"P{i:02d}" for i in range(2, 14)]
    assert [t["text"] for t in sent["layout"]["annotations"]] == ["A", "B"]


def test_figures_built_as_data_are_sent_as_a_go_figure_would_send_them():
    """Same numbers as binary arrays, same house template: a go.Figure built from the same data sends the same."""
    latest = pd.DataFrame({"area_code": ["E07000000"], "area_name": ["Zero"], "value": [40.0], "on_map": [True]})
    geojson = {"type": "FeatureCollection", "features": [_square("E07000000", 0.0)]}
    built = district_map(latest, geojson, "E07000000", RATE)
    sent = json.loads(to_json(built))
    assert sent == json.loads(to_json(go.Figure(built)))
    assert "bdata" in sent["data"][0]["z"] and sent["layout"]["template"]["layout"]["font"]["family"] == FONT_FAMILY


@pytest.mark.parametrize(
    "array",
    [
        np.array([1.5, np.nan, -2.25, 1e12]),
        np.array([1.5, 2.5], dtype="float32"),
        np.arange(6, dtype="int64"),  # narrowed to int8
        np.array([-40_000, 40_000], dtype="int64"),  # to int32
        np.array([1, 300], dtype="int64"),  # to int16
        np.array([2**40], dtype="int64"),  # too wide: left as it is
        np.array([3, 70_000], dtype="uint64"),  # to uint32
        np.array([2**63], dtype="uint64"),
        np.array([7, 8], dtype="int32"),
        np.arange(12, dtype="float64").reshape(3, 4),  # a shape
        np.arange(12, dtype="float64").reshape(3, 4)[:, 1],  # not contiguous
        np.array([], dtype="float64"),
        np.array([1.0, 2.0], dtype="float16"),  # no typed array for it
    ],
)
def test_typed_arrays_are_written_as_plotly_writes_them(array):
    """``typed_array`` stands in for plotly's ``to_typed_array_spec`` (which goes through narwhals for any frame
    or series): the same JSON for every numeric numpy array a figure may hold."""
    from _plotly_utils.utils import to_typed_array_spec

    from dashboard.figures.plain import typed_array

    assert to_json(typed_array(array)) == to_json(to_typed_array_spec(array))

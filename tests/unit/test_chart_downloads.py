"""Every chart's figures download as CSV and as Excel, each naming the view it came from; the table view shows
numbers rounded and right-aligned while its rows and the downloads keep every digit."""

import base64
import csv
import datetime as dt
import io

import pandas as pd
import plotly.graph_objects as go
from openpyxl import load_workbook

from dashboard.components.chart_card import chart_values
from dashboard.components.download_files import image_figure
from dashboard.components.download_files import send_image as _send_image
from dashboard.components.download_files import send_table as _send_table
from dashboard.domain.indicators import IndicatorSpec
from dashboard.figures.template import TEMPLATE
from dashboard.narrative.downloads import EXCEL_TABLE_ROW, LABELS, NOT_SET, file_stem, footer_lines, metadata_lines
from dashboard.services.downloads import DownloadScope
from dashboard.store.repository_compare import GroupRow

DATA = {"columns": ["Period", "Rate (%)"], "records": [{"Period": "2019-20 Q4", "Rate (%)": 41.2345678}]}
MADE = dt.datetime(2026, 12, 2, 9, 30, tzinfo=dt.UTC)
RATE = IndicatorSpec(key="successful_completion_rate", name="Successful completion", short_name="Completion",
                     unit="%", value_type="proportion")  # fmt: skip


def _scope(**changes) -> DownloadScope:  # type: ignore[no-untyped-def]
    values = {
        "title": "Funnel plot",
        "address": "/compare?area=E10000018&group=G1&method=overlap",
        "made_at": MADE,
        "demonstration": True,
        "area_code": "E10000018",
        "area_name": "Leicestershire",
        "substance_group": "opiate",
        "provider": "All providers",
        "period": "2019-20 Q4",
        "indicator": RATE,
        "group": GroupRow(code="G1", name="CIPFA nearest neighbours", kind="cipfa", members=16),
        "method": "overlap",
    }
    return DownloadScope(**(values | changes))


def _text(sent: dict) -> str:
    return base64.b64decode(sent["content"]).decode() if sent.get("base64") else sent["content"]


def test_a_csv_leads_with_its_scope_then_reads_back_with_pandas_as_the_readme_says():
    sent = _send_table(DATA, "compare-funnel", "csv", _scope())
    assert sent["filename"] == "compare-funnel_E10000018_opiate_2019-20-Q4.csv"
    lines = _text(sent).splitlines()
    assert [line.split(":")[0] for line in lines[: len(LABELS)]] == [f"# {label}" for label in LABELS]
    assert "# Area: Leicestershire (E10000018)" in lines
    assert "# Comparator group: CIPFA nearest neighbours (16 areas)" in lines
    assert any(line.startswith("# Significance rule: Overlapping 95% confidence intervals") for line in lines)
    assert any(line.startswith("# Demonstration data: Yes") for line in lines)
    assert "# Made: 2 December 2026 at 09:30 UTC (2026-12-02T09:30:00Z)" in lines
    frame = pd.read_csv(io.StringIO(_text(sent)), comment="#")
    assert frame.to_dict("records") == DATA["records"]  # full precision, not the table view's 41.2


def test_a_hash_in_a_cell_survives_the_comment_lines():
    data = {"columns": ["Area"], "records": [{"Area": "Ward #3, north"}]}
    frame = pd.read_csv(io.StringIO(_text(_send_table(data, "x", "csv", _scope()))), comment="#")
    assert frame["Area"].tolist() == ["Ward #3, north"]


def test_an_excel_file_has_the_header_block_a_frozen_table_and_a_metadata_sheet():
    sent = _send_table(DATA, "overview-trend", "excel", _scope(demonstration=False))
    assert sent["filename"].endswith(".xlsx") and sent["base64"]
    content = io.BytesIO(base64.b64decode(sent["content"]))
    frame = pd.read_excel(content, sheet_name="Data", skiprows=EXCEL_TABLE_ROW - 1)
    assert frame.to_dict("records") == DATA["records"]
    book = load_workbook(content)
    sheet = book["Data"]
    assert [sheet.cell(row=i + 1, column=1).value for i in range(len(LABELS))] == list(LABELS)
    assert sheet["B1"].value == "Funnel plot"
    assert sheet.freeze_panes == f"A{EXCEL_TABLE_ROW + 1}"
    assert list(sheet.tables.values())[0].ref == f"A{EXCEL_TABLE_ROW}:B{EXCEL_TABLE_ROW + 1}"
    meta = dict(pd.read_excel(content, sheet_name="Metadata").itertuples(index=False, name=None))
    assert meta["Demonstration data"] == "No"
    assert meta["Licence"].startswith("Open Government Licence v3.0")


def test_without_a_scope_the_table_is_sent_alone():
    sent = _send_table(DATA, "overview-trend", "csv")
    assert sent["filename"] == "overview-trend.csv"
    assert _text(sent).splitlines()[0] == '"Period","Rate (%)"'


def test_nothing_to_send_without_data():
    assert _send_table(None, "x", "csv") is None


def test_formula_text_in_the_scope_is_inert():
    sent = _send_table(DATA, "x", "csv", _scope(title="=HYPERLINK(1)", area_name="@evil"))
    lines = _text(sent).splitlines()
    assert "# Title: '=HYPERLINK(1)" in lines
    assert "# Area: '@evil (E10000018)" in lines


def test_a_crafted_link_cannot_put_a_live_formula_in_a_csv_line():
    scope = _scope(address="/compare?a=1,=HYPERLINK(1);@SUM(2)", settings={"x": "1, -cmd"})
    text = _text(_send_table(DATA, "x", "csv", scope))
    for delimiter in ",;":
        cells = [c.strip() for row in csv.reader(io.StringIO(text), delimiter=delimiter) for c in row]
        assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")], delimiter
    assert "# View in the dashboard: /compare?a=1,'=HYPERLINK(1);'@SUM(2)" in text.splitlines()


def test_a_view_without_a_setting_says_so_and_keeps_every_line():
    scope = _scope(substance_group=None, provider=None, period=None, indicator=None, group=None, method=None)
    words = dict(metadata_lines(scope))
    assert list(words) == list(LABELS)
    assert words["Comparator group"] == words["Indicator"] == words["Significance rule"] == NOT_SET
    assert file_stem("actions-chart", scope) == "actions-chart_E10000018"


def test_the_page_settings_are_worded():
    scope = _scope(settings={"split": "district", "years": "5", "theme": "Recovery"})
    assert (
        dict(metadata_lines(scope))["Other settings"] == "Split by: district; Time span: last 5 years; Theme: Recovery"
    )


def test_a_chart_can_word_its_own_scope():
    assert dict(metadata_lines(_scope(overrides={"Indicator": "Every indicator"})))["Indicator"] == "Every indicator"


def test_the_chart_image_carries_the_same_lines_as_a_footer_below_the_axis():
    figure = go.Figure(go.Scatter(x=[1, 2], y=[3, 4]))
    figure.update_layout(template=TEMPLATE, height=400, xaxis_title="Denominator")
    fig = image_figure(figure.to_plotly_json(), _scope())
    footer = fig.layout.annotations[-1]
    assert footer.text.startswith("<b>Funnel plot</b><br>Leicestershire (E10000018) · Opiate")
    assert "DEMONSTRATION DATA" in footer.text
    assert footer.yshift < -30 and footer.yanchor == "top"  # under the tick labels and the axis title
    assert fig.layout.margin.b >= -footer.yshift + 16 * len(footer_lines(_scope()))
    assert fig.layout.height - fig.layout.margin.b == 400 - 50  # the plot keeps its height (template margin 50)


def test_the_table_view_formats_and_right_aligns_numbers_and_keeps_the_figures_whole():
    table = pd.DataFrame(
        {"area": ["Kent", "Leicestershire"], "n": [2469, 1080], "value": [8.262454, 6.9999], "note": ["a", None]}
    )
    headers = {"area": "Area", "n": "Denominator", "value": "Value", "note": "Note"}
    _fig, _sentence, columns, rows, data = chart_values(go.Figure(), "", table, headers, RATE)
    by_name = {c["field"]: c for c in columns}
    assert by_name["Denominator"]["type"] == by_name["Value"]["type"] == "rightAligned"
    assert "type" not in by_name["Area"] and "type" not in by_name["Note"]
    assert "',.0f'" in by_name["Denominator"]["valueFormatter"]["function"]
    assert "',.1f'" in by_name["Value"]["valueFormatter"]["function"]
    assert [r["Value"] for r in rows] == [8.262454, 6.9999]  # the downloads are made from these rows, whole
    assert data is None  # sent once: the chart-data store holds no second copy


def test_a_count_indicator_shows_whole_numbers():
    count = IndicatorSpec(key="in_treatment", name="In treatment", short_name="In treatment", unit="count",
                          value_type="count")  # fmt: skip
    table = pd.DataFrame({"value": [10.4, 2.6], "rank": [1.0, 2.0]})
    columns = chart_values(go.Figure(), "", table, {"value": "Value", "rank": "Rank"}, count)[2]
    assert all("',.0f'" in c["valueFormatter"]["function"] for c in columns)
    columns = chart_values(go.Figure(), "", table, {"value": "Value", "rank": "Rank"})[2]  # no indicator: 1 place
    assert ["',.1f'" in c["valueFormatter"]["function"] for c in columns] == [True, False]


def test_a_figure_plotly_cannot_read_gets_no_picture_rather_than_an_error():
    assert _send_image({"data": [{"type": "nonsense"}]}, "x", _scope()) is None
    assert _send_image(None, "x", _scope()) is None


def test_table_rows_and_number_columns_read_every_kind_of_column():
    """The grid's rows carry a missing value as null and each figure as it is; a column of numbers is right-aligned
    with whole numbers shown whole, whether pandas holds it as numbers or as objects."""
    import numpy as np
    import pandas as pd

    from dashboard.components.chart_card import _records, number_columns

    frame = pd.DataFrame(
        {
            "count": [1, 2],
            "rate": [1.5, np.nan],
            "words": ["x", None],
            "empty": [np.nan, np.nan],
            "flag": [True, False],
            "endless": [np.inf, 1.0],
            "nullable": pd.array([1, None], dtype="Int64"),
            "whole": [1.0, 2.0],
            "boxed": pd.Series([3, 4.5], dtype=object),
        }
    )
    rows = _records(frame)
    assert rows[1] == {
        "count": 2,
        "rate": None,
        "words": None,
        "empty": None,
        "flag": False,
        "endless": 1.0,
        "nullable": None,
        "whole": 2.0,
        "boxed": 4.5,
    }
    assert number_columns(frame) == {"count": 0, "rate": 1, "endless": 1, "nullable": 0, "whole": 0, "boxed": 1}
    assert _records(pd.DataFrame()) == []

"""Every chart's figures download as CSV and as Excel."""

import base64
import io

import pandas as pd

from dashboard.components.chart_card import _send_table

DATA = {"columns": ["Period", "Rate (%)"], "records": [{"Period": "2019-20 Q4", "Rate (%)": 41.2}]}


def test_csv_download():
    sent = _send_table(DATA, "overview-trend", "csv")
    assert sent["filename"] == "overview-trend.csv"
    assert sent["content"].splitlines()[0] == "Period,Rate (%)"


def test_excel_download_opens_as_a_spreadsheet():
    sent = _send_table(DATA, "overview-trend", "excel")
    assert sent["filename"] == "overview-trend.xlsx" and sent["base64"]
    frame = pd.read_excel(io.BytesIO(base64.b64decode(sent["content"])), sheet_name="Data")
    assert frame.to_dict("records") == DATA["records"]


def test_nothing_to_send_without_data():
    assert _send_table(None, "x", "csv") is None

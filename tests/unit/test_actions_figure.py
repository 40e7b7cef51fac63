"""The action plan's RAG chart: every count written once, each theme named above its own bar, no fixed margin
that would squeeze the bars on a phone."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.actions import BAR_WIDTH, rag_by_theme


def _by_theme() -> pd.DataFrame:
    rows = [
        (1, "Commissioning and partnership working", "blue", 4),
        (1, "Commissioning and partnership working", "red", 1),
        (2, "Access to treatment", "green", 2),
        (2, "Access to treatment", "amber", 1),
    ]
    return pd.DataFrame(rows, columns=["theme_number", "theme", "rag", "actions"])


def test_each_theme_is_named_above_its_bar_and_every_count_is_written():
    fig = go.Figure(rag_by_theme(_by_theme()))  # sent as data: plotly accepts it as it is
    names = {a.text: a.y for a in fig.layout.annotations}
    assert names == {
        "2. Access to treatment": BAR_WIDTH / 2,
        "1. Commissioning and partnership working": 1 + BAR_WIDTH / 2,
    }
    assert all(a.yanchor == "bottom" and a.xref == "paper" and a.x == 0 for a in fig.layout.annotations)
    assert fig.layout.yaxis.visible is False and fig.layout.margin.l <= 20
    counts = {(t.name.split()[1], y): text for t in fig.data for y, text in zip(t.y, t.text, strict=True) if text}
    assert counts == {("Blue:", 1): "4", ("Red:", 1): "1", ("Green:", 0): "2", ("Amber:", 0): "1"}
    assert fig.layout.uniformtext.mode == "show" and fig.layout.uniformtext.minsize >= 12


def test_a_long_theme_name_wraps_instead_of_running_off_a_phone():
    frame = pd.DataFrame(
        [(1, "Recovery, housing, employment and the criminal justice pathway together", "green", 3)],
        columns=["theme_number", "theme", "rag", "actions"],
    )
    (name,) = [a.text for a in go.Figure(rag_by_theme(frame)).layout.annotations]
    assert "<br>" in name and all(len(line) <= 44 for line in name.split("<br>"))

"""The Trends service reads its lines together (issue 16): every line's figures in one query and England's in one
more, however many lines there are, the comparator band's periods looked up once, and each line still holds its
own area's and substance group's figures, as a read per line gave them."""

from __future__ import annotations

import pytest

from dashboard.services.filters import FilterState, load_filter_options
from dashboard.services.trends import trend
from dashboard.store import repository
from tests.sql_statements import statements

LEICS, PERIOD = "E10000018", "2019-20 Q4"


@pytest.mark.parametrize(("split", "lines"), [("district", 7), ("substance_group", 4)])
def test_every_line_in_one_query_england_in_one_more(demo_engine, split, lines):
    options = load_filter_options(demo_engine)
    state = FilterState(area=LEICS, substance_group="all", period=PERIOD)
    with statements(demo_engine) as seen:
        data = trend(demo_engine, state, options, indicator="successful_completion_rate", split=split, years=3)
    assert data is not None and data.series["series"].nunique() == lines
    assert len([s for s in seen if "FROM observations" in s and "p.label AS period" in s]) == 2
    assert len([s for s in seen if "FROM periods" in s and "periods.label IN" in s]) <= 2  # the band's periods


@pytest.mark.parametrize("split", ["district", "substance_group", "provider"])
def test_each_line_holds_its_own_figures(demo_engine, split):
    options = load_filter_options(demo_engine)
    state = FilterState(area=LEICS, substance_group="all", period=PERIOD)
    data = trend(demo_engine, state, options, indicator="successful_completion_rate", split=split, years=None)
    assert data is not None
    areas = {a.name: a.code for a in options.areas}
    providers = {p.name: p.code for p in options.providers}
    for name, rows in data.series.groupby("series", sort=False):
        area = areas[name] if split == "district" else LEICS
        provider = providers[name] if split == "provider" else None
        own = repository.indicator_series(
            demo_engine,
            area_code=area,
            indicators=["successful_completion_rate"],
            substance_groups=[rows["substance_group"].iloc[0]],
            provider_code=provider,
            period_end=rows["period_end"].max(),
            period_kind=data.period_kind,
        )
        assert list(rows["period"]) == list(own["period"]), name
        assert rows["value"].tolist() == pytest.approx(own["value"].tolist(), nan_ok=True), name

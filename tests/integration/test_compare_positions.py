"""``compare.positions``: the Overview's five positions in one call, each exactly what ``compare.position`` says
(stored or ranked live), with the reads the substance groups share made once."""

from __future__ import annotations

from dataclasses import asdict

import pytest

from dashboard.domain.substance_groups import substance_group_keys
from dashboard.services import compare
from dashboard.store import repository_compare
from tests.integration.test_compare_precomputed import live
from tests.sql_statements import statements

LEICESTERSHIRE, CHARNWOOD, NOWHERE = "E10000018", "E07000130", "E99999999"
GROUPS = substance_group_keys(include_all=True)


def _one_at_a_time(engine, indicator: str, area: str, period: str) -> list[dict | None]:  # type: ignore[no-untyped-def]
    """What the Overview asked before: ``position`` per substance group, None where it refused."""
    found = []
    for group in GROUPS:
        try:
            place = compare.position(engine, indicator=indicator, area=area, period=period, substance_group=group)
        except compare.CompareError:
            place = None
        found.append(None if place is None else asdict(place))
    return found


def _together(engine, indicator: str, area: str, period: str) -> list[dict | None]:  # type: ignore[no-untyped-def]
    spec = repository_compare.indicator(engine, indicator)
    answers = compare.positions(engine, spec=spec, area=area, period=period, substance_groups=GROUPS)
    return [None if place is None else asdict(place) for place in answers]


@pytest.mark.parametrize("indicator", ["successful_completion_rate", "continuity_of_care"])
@pytest.mark.parametrize("period", ["2019-20 Q4", "2017-18 Q2"])
def test_positions_are_position_for_each_substance_group(demo_engine, indicator, period):
    expected = _one_at_a_time(demo_engine, indicator, LEICESTERSHIRE, period)
    assert any(place is not None for place in expected)
    assert _together(demo_engine, indicator, LEICESTERSHIRE, period) == expected
    with live(demo_engine):  # nothing stored current: every group ranked live
        assert _together(demo_engine, indicator, LEICESTERSHIRE, period) == expected


@pytest.mark.parametrize("area", [CHARNWOOD, NOWHERE])
def test_a_district_and_an_area_in_no_group(demo_engine, area):
    expected = _one_at_a_time(demo_engine, "successful_completion_rate", area, "2019-20 Q4")
    assert _together(demo_engine, "successful_completion_rate", area, "2019-20 Q4") == expected
    if area == NOWHERE:  # in no comparator group: nothing to place it in
        assert expected == [None] * len(GROUPS)


def test_an_unknown_period_has_no_positions(demo_engine):
    expected = _one_at_a_time(demo_engine, "successful_completion_rate", LEICESTERSHIRE, "not a period")
    assert expected == [None] * len(GROUPS)
    assert _together(demo_engine, "successful_completion_rate", LEICESTERSHIRE, "not a period") == expected


def test_the_shared_reads_are_made_once(demo_engine):
    with statements(demo_engine) as seen:
        _together(demo_engine, "successful_completion_rate", LEICESTERSHIRE, "2019-20 Q4")
    assert sum(s.startswith("SELECT comparator_groups.code") for s in seen) == 1  # the area's groups
    assert sum(s.startswith("SELECT breakdowns.id") for s in seen) == 1
    assert sum(s.startswith("SELECT periods.id") for s in seen) == 1  # the period asked for
    assert sum(s.startswith("SELECT comparison_keys.id") for s in seen) == len(GROUPS)  # one each

"""Delivery sites' rules and words: kinds, dates, when a site is open, the district and provider sentences, and
where the map draws a site that has no coordinates."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from dashboard.domain.sites import canonical_kind, in_england, parse_day, site_status
from dashboard.figures.choropleth import site_positions, site_traces
from dashboard.narrative.sites import change_words, districts_sentence, provider_sentence, status_words
from dashboard.services.sites import SiteRow, by_district, changes_between

D = dt.date


def _site(code, kind, district, opened, closed=None, name=None, provider="Turning Point", lat=None, lon=None):
    return SiteRow(
        code, name or code, "tp", provider, kind, district[0], district[1], "E10000018", None, lat, lon,
        opened, closed, None, 1, None, None,
    )  # fmt: skip


CHARNWOOD, HINCKLEY = ("E07000130", "Charnwood"), ("E07000132", "Hinckley and Bosworth")
SITES = [
    _site("A", "hub", CHARNWOOD, D(2016, 7, 1)),
    _site("B", "satellite", CHARNWOOD, D(2016, 7, 1)),
    _site("C", "satellite", CHARNWOOD, D(2017, 1, 9)),
    _site("D", "hub", HINCKLEY, D(2018, 9, 1)),
    _site("E", "satellite", HINCKLEY, D(2016, 7, 1), D(2018, 8, 31)),
]


@pytest.mark.parametrize(
    ("typed", "kind"),
    [("Hub", "hub"), ("satellite site", "satellite"), ("Shared-care", "shared_care"), ("GP surgery", "shared_care"),
     ("clinic", None), ("", None)],
)  # fmt: skip
def test_kinds_accept_common_spellings_only(typed, kind):
    assert canonical_kind(typed) == kind


def test_dates_in_the_ways_people_type_them():
    assert parse_day("2018-09-01") == parse_day("01/09/2018") == parse_day("1 September 2018") == D(2018, 9, 1)
    assert parse_day("31/02/2018") is None and parse_day("soon") is None


def test_open_means_opened_by_the_day_and_not_closed_by_it():
    assert site_status(D(2018, 9, 1), None, D(2018, 8, 31)) == "opening"
    assert site_status(D(2018, 9, 1), None, D(2018, 9, 1)) == "open"
    assert site_status(D(2016, 7, 1), D(2018, 8, 31), D(2018, 8, 30)) == "open"
    assert site_status(D(2016, 7, 1), D(2018, 8, 31), D(2018, 8, 31)) == "closed"


def test_england_bounds():
    assert in_england(52.77, -1.2) and not in_england(-1.2, 52.77) and not in_england(56.5, -3.0)


def test_the_district_sentence_counts_kinds_and_names_a_coming_opening():
    day = D(2018, 3, 31)
    assert districts_sentence(by_district(SITES, day), day) == (
        "Delivery sites on 31 March 2018: Charnwood: 1 hub, 2 satellites; "
        "Hinckley and Bosworth: 1 satellite, a hub opening on 1 September 2018."
    )
    later = D(2019, 3, 31)
    assert "Hinckley and Bosworth: 1 hub." in districts_sentence(by_district(SITES, later), later)


def test_the_provider_sentence_and_status_words():
    assert provider_sentence("Turning Point", SITES, D(2018, 3, 31)) == (
        "Turning Point delivers at 4 sites open on 31 March 2018 (1 hub and 3 satellites) in 2 districts; "
        "1 more is opening."
    )
    assert status_words(SITES[4], D(2019, 1, 1)) == "closed on 31 August 2018 (opened 1 July 2016)"
    assert status_words(SITES[4], D(2017, 1, 1)) == "open since 1 July 2016, closing on 31 August 2018"
    assert status_words(SITES[3], D(2017, 1, 1)) == "opening on 1 September 2018"


def test_openings_and_closings_in_a_window():
    found = changes_between(SITES, D(2018, 4, 1), D(2019, 3, 31))
    assert [(when, what, row.code) for when, what, row in found] == [
        (D(2018, 8, 31), "closed", "E"),
        (D(2018, 9, 1), "opened", "D"),
    ]


def test_history_words():
    assert change_words({"closed_on": ["", "2019-03-31"], "kind": ["satellite", "hub"]}) == (
        "closing date set to 2019-03-31; kind changed from satellite to hub"
    )


SQUARE = {
    "type": "FeatureCollection",
    "features": [
        {
            "id": "E07000130",
            "geometry": {"type": "Polygon", "coordinates": [[[-1.3, 52.7], [-1.1, 52.7], [-1.1, 52.9], [-1.3, 52.9]]]},
        }
    ],
}


def _frame(rows):
    return pd.DataFrame(rows, columns=["name", "kind", "district_code", "latitude", "longitude", "hover"])


def test_sites_without_coordinates_sit_apart_round_their_district_and_unknown_districts_are_left_off():
    sites = _frame(
        [
            ("A", "hub", "E07000130", 52.77, -1.2, "A"),
            ("B", "satellite", "E07000130", np.nan, np.nan, "B"),
            ("C", "shared_care", "E07000130", np.nan, np.nan, "C"),
            ("D", "hub", "E99999999", np.nan, np.nan, "D"),
        ]
    )
    placed = site_positions(sites, SQUARE)
    assert list(placed["name"]) == ["A", "B", "C"]
    assert (placed.iloc[0]["lon"], placed.iloc[0]["lat"]) == (-1.2, 52.77)
    b, c = placed.iloc[1], placed.iloc[2]
    assert (b["lon"], b["lat"]) != (c["lon"], c["lat"])
    assert -1.3 < b["lon"] < -1.1 and 52.7 < b["lat"] < 52.9


def test_markers_have_one_trace_and_legend_entry_per_kind():
    sites = _frame([("A", "hub", "E07000130", 52.77, -1.2, "Hub A"), ("B", "satellite", "E07000130", 52.8, -1.2, "B")])
    traces, layout = site_traces(sites, SQUARE)
    assert [t["name"] for t in traces] == ["Hub", "Satellite"]
    assert traces[0]["marker"]["symbol"] == "star" and list(traces[0]["customdata"]) == ["E07000130"]
    assert layout["showlegend"] is True
    assert site_traces(sites.iloc[:0], SQUARE) == ([], {})  # no site, no legend

"""Since the last meeting, between two demonstration dates: each kind of change, checked against the services
every other surface reads (How we compare's position, Trends' significance rule, the plan's own history)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dashboard.importing.importer import import_file
from dashboard.narrative.since import change_sentence, summary_sentence
from dashboard.services import since as since_service
from dashboard.services.compare import default_group, position
from dashboard.services.filters import load_filter_options
from dashboard.stats import significant_change
from dashboard.store import repository
from tests.dash_client import post_callback

AREA = "E10000018"
START, END = dt.date(2018, 3, 31), dt.date(2020, 3, 31)
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _since(engine, substance_group="alcohol", start=START, end=END):  # type: ignore[no-untyped-def]
    options = load_filter_options(engine)
    return since_service.since(engine, options, area=AREA, substance_group=substance_group, start=start, end=end)


def _position(engine, key, period, substance_group="alcohol"):  # type: ignore[no-untyped-def]
    return position(engine, indicator=key, area=AREA, period=period, substance_group=substance_group)


def test_dates_map_to_the_figures_a_board_could_have_seen(demo_engine) -> None:
    data = _since(demo_engine, start=dt.date(2018, 5, 1), end=dt.date(2020, 3, 30))
    assert (data.period_from, data.period_to) == ("2017-18 Q4", "2019-20 Q3")
    assert data.group_name == default_group(demo_engine, AREA, "alcohol").name


def test_quartile_moves_are_how_we_compares_positions(demo_engine) -> None:
    data = _since(demo_engine)
    moves = data.of_kind(since_service.QUARTILE)
    assert moves
    for move in moves:
        key = next(k for k, s in _short_names(demo_engine).items() if s == move.subject)
        then, now = _position(demo_engine, key, "2017-18 Q4"), _position(demo_engine, key, "2019-20 Q4")
        assert (move.before, move.after) == (then.quartile, now.quartile)
        assert (move.detail["rank_before"], move.detail["rank_after"]) == (then.rank_text, now.rank_text)
        sentence = change_sentence(move)
        assert ("moved up" in sentence) == move.detail["up"] and now.rank_text in sentence


def _short_names(engine):  # type: ignore[no-untyped-def]
    from dashboard.store import repository_compare

    return {s.key: s.short_name for s in repository_compare.indicators(engine)}


def test_significant_changes_follow_the_trends_rule_both_ways(demo_engine) -> None:
    data = _since(demo_engine)
    changes = {c.subject: c for c in data.of_kind(since_service.SIGNIFICANT)}
    assert changes
    for key, name in _short_names(demo_engine).items():
        then, now = _position(demo_engine, key, "2017-18 Q4"), _position(demo_engine, key, "2019-20 Q4")
        if then is None or now is None or now.quartile is None:
            continue
        moved = significant_change(
            now.value, now.lower_95, now.upper_95, then.value, then.lower_95, then.upper_95, now.indicator.polarity
        )
        listed = moved not in (None, "no significant change")
        assert (name in changes) == listed, name
        if listed:
            assert changes[name].detail["direction"] == moved
            assert "(the 95% intervals do not overlap)" in change_sentence(changes[name])


def test_a_target_crossed_is_judged_by_the_targets_own_polarity(demo_engine) -> None:
    crossed = _since(demo_engine).of_kind(since_service.TARGET)
    assert [c.subject for c in crossed] == ["Successful completion rate"]
    target = repository.target_value(
        demo_engine, indicator_key="successful_completion_rate", area_code=AREA, substance_group="alcohol"
    )
    then = _position(demo_engine, "successful_completion_rate", "2017-18 Q4").value
    now = _position(demo_engine, "successful_completion_rate", "2019-20 Q4").value
    assert (then >= target) != (now >= target)
    sentence = change_sentence(crossed[0])
    assert ("now meets" in sentence) == (now >= target) and "its target of" in sentence


def test_actions_turned_red_and_overdue_in_the_window_only(demo_engine) -> None:
    data = _since(demo_engine)
    red = {c.subject.split(" ")[0]: c for c in data.of_kind(since_service.RED)}
    assert red["10.3"].detail["on"] == dt.date(2020, 2, 12) and red["10.3"].before == "green"
    assert "turned red on 12 February 2020" in change_sentence(red["10.3"])
    assert red["10.3"].link.startswith("/actions?plan=") and "&action=" in red["10.3"].link
    overdue = {c.subject.split(" ")[0]: c for c in data.of_kind(since_service.OVERDUE)}
    assert overdue["9.1"].after == dt.date(2019, 11, 30)
    before_red = _since(demo_engine, start=START, end=dt.date(2020, 2, 11))
    assert "10.3" not in {c.subject.split(" ")[0] for c in before_red.of_kind(since_service.RED)}
    on_the_day = _since(demo_engine, start=dt.date(2020, 2, 12), end=dt.date(2020, 2, 12))
    assert "10.3" in {c.subject.split(" ")[0] for c in on_the_day.of_kind(since_service.RED)}


def test_files_loaded_between_the_dates(demo_store) -> None:
    today = dt.date.today()  # a window a day either side: the load may straddle midnight
    around = {"start": today - dt.timedelta(days=1), "end": today + dt.timedelta(days=1)}
    assert not _since(demo_store, **around).of_kind(since_service.LOADED)
    report = import_file(
        demo_store,
        FIXTURES / "fingertips" / "lape_91414_alcohol_related_admissions_narrow_leicestershire.csv",
        imported_by="tester",
    )
    assert report.ok, report.summary()
    loads = _since(demo_store, **around).of_kind(since_service.LOADED)
    assert [c.subject for c in loads] == ["lape_91414_alcohol_related_admissions_narrow_leicestershire.csv"]
    assert loads[0].detail["added"] == report.rows_added and loads[0].detail["by"] == "tester"
    assert "was loaded on" in change_sentence(loads[0])
    earlier = today - dt.timedelta(days=3)
    assert not _since(demo_store, start=earlier, end=earlier).of_kind(since_service.LOADED)


def test_nothing_to_compare_when_no_newer_figures(demo_engine) -> None:
    data = _since(demo_engine, start=dt.date(2020, 4, 1), end=dt.date(2020, 4, 29))
    assert not data.of_kind(since_service.QUARTILE)
    assert "no newer figures than 2019-20 Q4" in summary_sentence(data)


def test_the_page_lists_each_kind_with_a_link(client, demo_app) -> None:
    inputs = {
        "filter-area": AREA,
        "filter-substance-group": "alcohol",
        "filter-provider": "all",
        "filter-period": "2019-20 Q4",
        "since-from": START.isoformat(),
        "since-to": END.isoformat(),
    }
    status, body = post_callback(client, demo_app, "since-summary", inputs)
    assert status == 200
    response = body["response"]
    summary = response["since-summary"]["children"]
    assert summary.startswith("Between 31 March 2018 and 31 March 2020 (figures for 2017-18 Q4, then 2019-20 Q4)")
    ids = [section["props"]["id"] for section in response["since-changes"]["children"]]
    assert ids == [f"since-{kind}" for kind in since_service.KINDS if kind != since_service.LOADED]
    first = response["since-changes"]["children"][0]["props"]["children"][1]["props"]["children"][0]
    link = first["props"]["children"][2]["props"]
    assert link["href"].startswith("/compare?area=E10000018&substance_group=alcohol&indicator=")


def test_a_bad_date_in_the_link_is_named_and_replaced(client) -> None:
    from dashboard.pages.since import layout

    with client.application.test_request_context("/"):
        text = str(layout(**{"from": "2020-13-45", "to": "2019-01-01"}))
    assert "The link's 'from' date was not used: '2020-13-45' is not a date" in text


@pytest.mark.parametrize(
    ("query", "status", "parameter"),
    [
        ("from=2020-02-30", 400, "from"),
        ("to=soon", 400, "to"),
        ("from=2020-03-31&to=2019-03-31", 400, "from"),
        ("area=E99999999", 400, "area"),
        ("substance_group=cannabis", 400, "substance_group"),
    ],
)
def test_the_api_names_the_bad_parameter(client, query, status, parameter) -> None:
    response = client.get(f"/api/v1/since?{query}")
    assert response.status_code == status
    assert response.get_json()["parameter"] == parameter


def test_the_api_serves_the_pages_changes(client, demo_engine) -> None:
    response = client.get(f"/api/v1/since?area={AREA}&substance_group=alcohol&from={START}&to={END}")
    assert response.status_code == 200
    body = response.get_json()
    data = _since(demo_engine)
    assert body["summary"] == summary_sentence(data)
    assert [c["sentence"] for c in body["changes"]] == [change_sentence(c) for c in data.changes]
    assert {c["kind"] for c in body["changes"]} == {k for k in since_service.KINDS if k != since_service.LOADED}
    assert "/api/v1/since" in client.get("/api/v1/").get_json()["endpoints"]

"""Annotations in the store and on the trend charts, on SQLite and PostgreSQL."""

import datetime as dt
import json

import pandas as pd
import pytest
from sqlalchemy import select

from dashboard.services import annotations
from dashboard.services.annotations import AnnotationError
from dashboard.services.chart_marks import chart_marks
from dashboard.store.models import Meta
from tests.dash_client import post_callback


def _version(engine):
    with engine.connect() as conn:
        return conn.execute(select(Meta.value).where(Meta.key == "data_version")).scalar_one_or_none()


@pytest.fixture
def seeded(demo_store):
    return demo_store


def test_an_annotation_shows_on_its_area_its_partnership_and_not_its_neighbours(seeded):
    before = _version(seeded)
    annotations.add(
        seeded, area_code="E07000130", event_date="01/10/2018", text="  Loughborough hub  moved ", user="ed"
    )
    assert _version(seeded) != before  # cached charts are stale
    charnwood = [a.text for a in annotations.for_area(seeded, "E07000130")]
    partnership = [a.text for a in annotations.for_area(seeded, "E10000018")]
    melton = [a.text for a in annotations.for_area(seeded, "E07000133")]
    assert "Loughborough hub moved" in charnwood and "Loughborough hub moved" in partnership
    assert "Loughborough hub moved" not in melton
    # The partnership's own events show on every district's charts.
    assert "New treatment provider contract started" in melton


def test_marks_are_placed_on_the_periods_shown(seeded):
    periods = pd.DataFrame(
        {"period": ["2016-17 Q1", "2016-17 Q2"], "period_end": [dt.date(2016, 6, 30), dt.date(2016, 9, 30)]}
    )
    marks = chart_marks(seeded, "E10000018", periods)
    annotations_only = [(m.period, m.text) for m in marks if m.kind == "annotation"]  # sites' openings are marks too
    assert annotations_only == [("2016-17 Q2", "New treatment provider contract started")]


@pytest.mark.parametrize(
    ("day", "text", "message"),
    [
        ("", "Something", "Enter the date"),
        ("31/13/2018", "Something", "is not a date"),
        ("2018-01-01", "   ", "Say what happened"),
        ("2018-01-01", "x" * 201, "Keep it to 200 characters"),
        ("2099-01-01", "Future", "more than a year ahead"),
    ],
)
def test_bad_annotations_are_refused_in_words(seeded, day, text, message):
    with pytest.raises(AnnotationError, match=message):
        annotations.add(seeded, area_code="E10000018", event_date=day, text=text, user="ed")


def test_unknown_area_is_refused(seeded):
    with pytest.raises(AnnotationError, match="no area with the code"):
        annotations.add(seeded, area_code="E99999999", event_date="2018-01-01", text="x", user="ed")


def test_removing_an_annotation(seeded):
    ident = annotations.add(seeded, area_code="E10000018", event_date="2018-01-01", text="Temporary", user="ed")
    assert annotations.remove(seeded, ident) is True
    assert "Temporary" not in [a.text for a in annotations.for_area(seeded, "E10000018")]
    assert annotations.remove(seeded, ident) is False


def test_trend_charts_draw_the_demo_events(client, demo_app):
    inputs = {
        "filter-area": "E07000132",
        "filter-substance-group": "all",
        "filter-provider": "all",
        "filter-period": "2019-20 Q4",
        "trends-indicator": "successful_completion_rate",
        "trends-split": "substance_group",
        "trends-years": "all",
        "trends-view": "quarterly",
    }
    status, body = post_callback(client, demo_app, "trends-chart-graph", inputs)
    assert status == 200
    figure = body["response"]["trends-chart-graph"]["figure"]
    labels = [a.get("text") for a in figure["layout"].get("annotations", [])]
    assert any("[1]" in label for label in labels) and any("[2]" in label for label in labels)  # may share a period
    dotted = [s for s in figure["layout"]["shapes"] if s.get("line", {}).get("dash") == "dot"]
    assert {s["x0"] for s in dotted} >= {"2016-17 Q2", "2018-19 Q1"}
    summary = body["response"]["trends-chart-summary"]["children"]
    assert "[1] 1 July 2016: New treatment provider contract started (Leicestershire)" in summary
    assert "] 9 April 2018: Criminal justice worker started in the Hinckley courts" in summary


def test_anonymous_add_is_refused_by_the_server(client, demo_app, demo_engine):
    """The form is hidden from readers, and the callback refuses them too when called directly."""
    key = next(k for k in demo_app.callback_map if "annotation-text.value" in k)
    spec = demo_app.callback_map[key]
    payload = {
        "output": key,
        "outputs": [{"id": o.component_id, "property": o.component_property.split("@")[0]} for o in spec["output"]],
        "inputs": [{"id": "annotation-add", "property": "n_clicks", "value": 1}],
        "state": [
            {"id": "annotation-date", "property": "value", "value": "2018-05-01"},
            {"id": "annotation-text", "property": "value", "value": "Sneaky event"},
            {"id": "filter-area", "property": "value", "value": "E10000018"},
            {"id": "annotations-changed", "property": "data", "value": 0},
        ],
        "changedPropIds": ["annotation-add.n_clicks"],
    }
    response = client.post("/_dash-update-component", json=payload)
    assert "Sneaky event" not in [a.text for a in annotations.for_area(demo_engine, "E10000018")]
    assert response.status_code == 200, response.get_data(as_text=True)
    assert "Sign in with an editor account" in str(response.get_json())


def test_editors_add_and_remove_events_viewers_cannot(seeded, tmp_path):
    """Through the Trends page's callbacks over HTTP, as each role: the server decides, not the hidden form."""
    from tests.actions_support import add_users, make_app, sign_in
    from tests.actions_support import post_callback as post

    add_users(seeded)
    app = make_app(seeded, tmp_path)
    values = {
        "annotation-add.n_clicks": 1,
        "annotation-date.value": "2019-06-03",
        "annotation-text.value": "Needle exchange moved to the Hinckley hub",
        "filter-area.value": "E07000132",
        "annotations-changed.data": 0,
    }
    viewer = app.server.test_client()
    sign_in(viewer, "vic")
    status, body = post(viewer, app, "annotation-text.value", values, changed="annotation-add")
    assert status == 200 and "needs an editor account" in str(body)
    assert "Needle exchange moved to the Hinckley hub" not in [
        a.text for a in annotations.for_area(seeded, "E07000132")
    ]

    editor = app.server.test_client()
    sign_in(editor, "erin")
    status, body = post(editor, app, "annotation-text.value", values, changed="annotation-add")
    assert status == 200 and "Event added" in str(body)
    added = next(a for a in annotations.for_area(seeded, "E07000132") if a.text.startswith("Needle exchange"))
    assert added.created_by == "Erin"
    # The list as an editor sees it offers a Remove button for each event; a viewer's list does not.
    _, as_editor = post(editor, app, "annotations-list.children", {"filter-area.value": "E07000132"})
    _, as_viewer = post(viewer, app, "annotations-list.children", {"filter-area.value": "E07000132"})
    assert "annotation-remove" in str(as_editor) and "annotation-remove" not in str(as_viewer)

    status, body = _remove(viewer, app, added.id)
    assert "needs an editor account" in str(body)
    assert any(a.id == added.id for a in annotations.for_area(seeded, "E07000132"))
    status, body = _remove(editor, app, added.id)
    assert status == 200 and "Event removed" in str(body)
    assert all(a.id != added.id for a in annotations.for_area(seeded, "E07000132"))


def _remove(client, app, ident: int):  # type: ignore[no-untyped-def]
    """The Remove button's callback: a pattern-matching (ALL) input, posted as the browser posts it."""
    key = next(k for k in app.callback_map if "annotations-feedback.children" in k and "annotation-text" not in k)
    spec = app.callback_map[key]
    button = {"index": ident, "type": "annotation-remove"}
    payload = {
        "output": key,
        "outputs": [{"id": o.component_id, "property": o.component_property} for o in spec["output"]],
        "inputs": [[{"id": button, "property": "n_clicks", "value": 1}]],
        "state": [{"id": "annotations-changed", "property": "data", "value": 1}],
        "changedPropIds": [json.dumps(button, sort_keys=True, separators=(",", ":")) + ".n_clicks"],
    }
    response = client.post("/_dash-update-component", json=payload)
    return response.status_code, response.get_json(silent=True)

"""The committee resolutions register on SQLite and PostgreSQL: loaded through the import pipeline (validated,
atomic, kept when unchanged, undoable, undo refused after an edit), edited by editors only (the page's callback
and the API both check on the server, with an audit history), and read by the API, Since the last meeting (each
resolutions kind, two meetings instead of two dates), the Overview, the action plan page and the board pack."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard.demo.resolutions import seed_resolutions
from dashboard.importing.importer import import_file
from dashboard.importing.undo import list_imports, undo_import
from dashboard.narrative.overview import headline_sentence
from dashboard.narrative.since import change_sentence
from dashboard.report.content import gather, gather_since
from dashboard.services import decks as deck_service
from dashboard.services import overview as overview_service
from dashboard.services import resolutions as service
from dashboard.services import since as since_service
from dashboard.services.filters import FilterState, load_filter_options
from dashboard.store.repository_decks import create_deck
from tests.actions_support import add_users, make_app, post_callback, seed_plan, sign_in, texts
from tests.unit.importing.helpers import add_leicestershire, dump_database, write_file

AREA = "E10000018"
HEADER = "meeting_date,committee,number,text,owner,due,status,closed_on,closing_note,actions,indicators"
ROW_1 = "2020-01-20,Health Scrutiny Committee,1,The contract monitoring officer attend,JCM,2020-03-31,open,,,3.1,"
ROW_2 = "2020-01-20,Health Scrutiny Committee,2,A service update in 6 months,PH,review in 6 months,open,,,,"


@pytest.fixture
def register_store(store):  # type: ignore[no-untyped-def]
    """Leicestershire with the demo action plan (no figures): enough to link resolutions to."""
    add_leicestershire(store)
    seed_plan(store)
    return store


def _load(engine, tmp_path, name: str, *rows: str):  # type: ignore[no-untyped-def]
    return import_file(engine, write_file(tmp_path, name, "\n".join((HEADER, *rows)) + "\n"), imported_by="clerk")


def _by_number(engine) -> dict[int, service.ResolutionView]:  # type: ignore[no-untyped-def]
    return {i.record.number: i for i in service.list_resolutions(engine, today=dt.date(2020, 4, 30))}


def test_load_reload_change_undo_and_undo_refused_after_an_edit(register_store, tmp_path) -> None:
    engine = register_store
    first = _load(engine, tmp_path, "register.csv", ROW_1, ROW_2)
    assert first.ok, first.summary()
    assert (first.file_format, first.rows_added, first.record_kind) == ("resolutions", 2, "resolutions")
    loaded = _by_number(engine)
    assert loaded[2].record.kind == "review" and loaded[2].record.due_date == dt.date(2020, 7, 20)

    again = _load(engine, tmp_path, "register.csv", ROW_1, ROW_2)
    assert (again.rows_added, again.rows_replaced, again.rows_unchanged) == (0, 0, 2)

    changed = _load(
        engine,
        tmp_path,
        "register-v2.csv",
        ROW_1,
        ROW_2.replace(",PH,", ",Public Health Consultant,"),
        "2020-01-20,Health Scrutiny Committee,3,Briefing notes with performance data,PIL,,,,,,waits_under_3_weeks",
    )
    assert (changed.rows_added, changed.rows_replaced, changed.rows_unchanged) == (1, 1, 1)
    assert _by_number(engine)[2].record.owner == "Public Health Consultant"
    assert [r.record_kind for r in list_imports(engine)[:3]] == ["resolutions"] * 3

    undone = undo_import(engine, changed.import_id, "clerk")
    assert undone.ok, undone.message
    assert set(_by_number(engine)) == {1, 2} and _by_number(engine)[2].record.owner == "PH"

    item = _by_number(engine)[1]
    service.change_resolution(
        engine,
        item.id,
        version=item.record.version,
        change=service.ResolutionChange("close", note="The officer attended in March."),
        user="erin",
    )
    assert undo_import(engine, again.import_id, "clerk").ok  # the unchanged re-load changed nothing to take back
    refused = undo_import(engine, first.import_id, "clerk")
    assert not refused.ok
    assert "resolution 1 of the Health Scrutiny Committee on 2020-01-20" in refused.message
    assert "changed after it was loaded" in refused.message
    assert _by_number(engine)[1].record.status == "closed"


def test_a_load_that_replaces_an_edit_says_so_and_its_undo_brings_the_edit_back(register_store, tmp_path) -> None:
    engine = register_store
    assert _load(engine, tmp_path, "register.csv", ROW_1, ROW_2).ok
    item = _by_number(engine)[1]
    close = service.ResolutionChange("close", note="The officer attended in March.")
    service.change_resolution(engine, item.id, version=item.record.version, change=close, user="erin")
    untouched = _load(engine, tmp_path, "other.csv", ROW_2.replace(",PH,", ",Public Health,"))
    assert untouched.ok and not [w for w in untouched.warnings if "changes made in the dashboard" in w]

    reloaded = _load(engine, tmp_path, "register-again.csv", ROW_1, ROW_2)
    assert reloaded.ok and reloaded.rows_replaced == 2
    (warning,) = [w for w in reloaded.warnings if "changes made in the dashboard" in w]
    assert "resolution 1 of the Health Scrutiny Committee on 2020-01-20" in warning
    assert "resolution 2" not in warning  # replaced by the file, but last changed by a file, not in the dashboard
    assert _by_number(engine)[1].record.status == "open"  # the file's version, as the clerk meant
    assert undo_import(engine, reloaded.import_id, "clerk").ok
    assert _by_number(engine)[1].record.status == "closed"


def test_a_bad_register_is_refused_whole_with_located_problems(register_store, tmp_path) -> None:
    before = dump_database(register_store)
    report = _load(
        register_store,
        tmp_path,
        "bad.csv",
        ROW_1,
        "2020-01-20,Health Scrutiny Committee,2,Text,,,closed,,,99.9,not_an_indicator",
    )
    assert not report.ok
    shown = [str(p) for p in report.problems]
    assert any(p.startswith("row 3, column actions: action '99.9' is not in the action plan") for p in shown)
    assert any(p.startswith("row 3, column indicators: 'not_an_indicator' is not an indicator") for p in shown)
    assert any(p.startswith("row 3, column closing_note") for p in shown)
    assert dump_database(register_store) == before


def test_closing_needs_a_note_keeps_a_history_and_refuses_a_stale_version(register_store, tmp_path) -> None:
    assert _load(register_store, tmp_path, "register.csv", ROW_1).ok
    item = _by_number(register_store)[1]
    with pytest.raises(service.ResolutionRejected, match="closing note is needed"):
        service.change_resolution(
            register_store, item.id, version=1, change=service.ResolutionChange("close", note=" "), user="erin"
        )
    done = service.change_resolution(
        register_store,
        item.id,
        version=1,
        change=service.ResolutionChange("edit", owner="Head of Commissioning", due_date="2020-06-30"),
        user="erin",
    )
    assert (done.record.owner, done.record.due_date, done.record.version) == (
        "Head of Commissioning",
        dt.date(2020, 6, 30),
        2,
    )
    with pytest.raises(service.StaleResolution):
        service.change_resolution(
            register_store, item.id, version=1, change=service.ResolutionChange("close", note="late"), user="eddie"
        )
    history = service.history(register_store, item.id)
    assert [(h.user_name, h.change) for h in history] == [("erin", "edited")]
    assert history[0].changes == {"owner": ["JCM", "Head of Commissioning"], "due_date": ["2020-03-31", "2020-06-30"]}


@pytest.fixture
def app(register_store, tmp_path):  # type: ignore[no-untyped-def]
    seed_resolutions(register_store)
    add_users(register_store)
    return make_app(register_store, tmp_path)


def _close_values(item: service.ResolutionView, note: str) -> dict:
    return {
        "resolution-close": 1,
        "resolution-version": {"id": item.id, "version": item.record.version},
        "resolution-note": note,
        "resolution-owner": item.record.owner,
        "resolution-due": "",
        "resolutions-refresh": 0,
    }


def _open_one(engine) -> service.ResolutionView:  # type: ignore[no-untyped-def]
    return service.list_resolutions(engine, status="overdue", today=dt.date(2020, 4, 30))[0]


def test_the_page_callback_refuses_viewers_and_closes_for_an_editor(app, register_store) -> None:
    item = _open_one(register_store)
    values = _close_values(item, "Risk assessment completed and shared with the committee.")
    for user in (None, "vic"):
        client = app.server.test_client()
        if user:
            sign_in(client, user)
        status, body = post_callback(client, app, "resolution-message", values, changed="resolution-close")
        assert status == 200
        assert "editor" in " ".join(texts(body["response"]))
    assert service.detail(register_store, item.id).record.status == "open"
    assert service.history(register_store, item.id) == []

    editor = app.server.test_client()
    sign_in(editor, "erin")
    status, body = post_callback(editor, app, "resolution-message", values, changed="resolution-close")
    assert status == 200 and "closed" in " ".join(texts(body["response"]))
    closed = service.detail(register_store, item.id).record
    assert (closed.status, closed.closed_by, closed.closing_note) == ("closed", "erin", values["resolution-note"])
    assert [h.change for h in service.history(register_store, item.id)] == ["closed"]


def test_the_api_lists_by_status_and_refuses_writes_from_viewers(app, register_store) -> None:
    client = app.server.test_client()
    overdue = client.get("/api/v1/resolutions?status=overdue").get_json()
    assert overdue["as_of"] == "2020-04-30" and overdue["count"] == 1
    assert overdue["resolutions"][0]["actions"][0]["link"].startswith("/actions?plan=")
    assert client.get("/api/v1/resolutions?status=due_soon").get_json()["count"] == 2
    bad = client.get("/api/v1/resolutions?status=late")
    assert bad.status_code == 400 and bad.get_json()["parameter"] == "status"

    item = _open_one(register_store)
    body = {"change": "close", "version": item.record.version, "note": "Done."}
    assert client.post(f"/api/v1/resolutions/{item.id}", json=body).status_code == 401
    viewer = app.server.test_client()
    sign_in(viewer, "vic")
    assert viewer.post(f"/api/v1/resolutions/{item.id}", json=body).status_code == 403
    editor = app.server.test_client()
    sign_in(editor, "erin")
    assert editor.post(f"/api/v1/resolutions/{item.id}", json={**body, "note": ""}).status_code == 400
    assert editor.post("/api/v1/resolutions/999999", json=body).status_code == 404
    done = editor.post(f"/api/v1/resolutions/{item.id}", json=body)
    assert done.status_code == 200
    assert done.get_json()["status"] == "closed" and done.get_json()["history"][0]["user"] == "erin"
    assert editor.post(f"/api/v1/resolutions/{item.id}", json=body).status_code == 409  # the old version
    reopened = editor.post(
        f"/api/v1/resolutions/{item.id}", json={"change": "reopen", "version": done.get_json()["version"]}
    )
    assert reopened.get_json()["status"] == "open" and reopened.get_json()["closed_on"] is None


def test_a_deck_belongs_to_a_meeting_and_is_listed_with_it(register_store) -> None:
    seed_resolutions(register_store)
    meeting = service.all_meetings(register_store)[0]
    deck_id = create_deck(register_store, "Scrutiny, 16 March", "erin")
    assert "16 March 2020" in deck_service.set_meeting(register_store, deck_id, meeting.id)
    listed = next(m for m in service.meetings(register_store, area=AREA) if m.meeting.id == meeting.id)
    assert listed.decks == [(deck_id, "Scrutiny, 16 March")]
    assert next(d for d in deck_service.deck_summaries(register_store) if d.id == deck_id).meeting_id == meeting.id
    with pytest.raises(deck_service.DeckError):
        deck_service.set_meeting(register_store, deck_id, 999_999)


# --------------------------------------------------------------------------- the demonstration register, read


def _since(engine, start: dt.date, end: dt.date):  # type: ignore[no-untyped-def]
    options = load_filter_options(engine)
    return since_service.since(engine, options, area=AREA, substance_group="all", start=start, end=end)


def test_since_lists_resolutions_closed_and_overdue_in_the_window(demo_engine) -> None:
    data = _since(demo_engine, dt.date(2019, 12, 31), dt.date(2020, 3, 31))
    closed = data.of_kind(since_service.RESOLUTION_CLOSED)
    assert [(c.subject, c.after) for c in closed] == [
        ("Resolution 1 of 18 November 2019", dt.date(2020, 2, 20)),
        ("Resolution 2 of 15 July 2019", dt.date(2020, 3, 30)),
    ]
    assert closed[0].link.startswith("/resolutions?resolution=")
    overdue = data.of_kind(since_service.RESOLUTION_OVERDUE)
    assert [(c.subject, c.after, c.detail["newly"]) for c in overdue] == [
        ("Resolution 2 of 18 November 2019", dt.date(2020, 3, 20), True)
    ]
    assert "became overdue: it was due on 20 March 2020" in change_sentence(overdue[0])
    later = _since(demo_engine, dt.date(2020, 3, 31), dt.date(2020, 4, 30))
    assert not later.of_kind(since_service.RESOLUTION_CLOSED)
    assert "is still overdue" in change_sentence(later.of_kind(since_service.RESOLUTION_OVERDUE)[0])
    # On 20 March the risk assessment is due that day, so not yet late; the supervision resolution (due at the end
    # of December, closed on 30 March) was still open and overdue then.
    before_due = _since(demo_engine, dt.date(2019, 12, 31), dt.date(2020, 3, 20))
    assert [c.subject for c in before_due.of_kind(since_service.RESOLUTION_OVERDUE)] == ["Resolution 2 of 15 July 2019"]


def test_two_meetings_give_the_same_answer_as_their_dates_on_page_pack_and_api(demo_engine, client) -> None:
    meetings = sorted(service.all_meetings(demo_engine), key=lambda m: m.meeting_date)
    first, last = meetings[1], meetings[2]
    by_dates = client.get(f"/api/v1/since?from={first.meeting_date}&to={last.meeting_date}").get_json()
    by_meetings = client.get(f"/api/v1/since?from_meeting={first.id}&to_meeting={last.id}").get_json()
    assert by_meetings["changes"] == by_dates["changes"] and by_meetings["summary"] == by_dates["summary"]
    assert by_meetings["meetings"] == [
        "Adults and Wellbeing Scrutiny Committee, 18 November 2019",
        "Adults and Wellbeing Scrutiny Committee, 16 March 2020",
    ]
    kinds = {c["kind"] for c in by_meetings["changes"]}
    assert since_service.RESOLUTION_CLOSED in kinds
    both = client.get(f"/api/v1/since?from=2020-01-01&from_meeting={first.id}")
    assert both.status_code == 400 and both.get_json()["parameter"] == "from_meeting"
    unknown = client.get("/api/v1/since?to_meeting=999999")
    assert unknown.status_code == 400 and unknown.get_json()["parameter"] == "to_meeting"
    page = client.get(f"/since?from_meeting={first.id}&to_meeting={last.id}")
    assert page.status_code == 200
    options = load_filter_options(demo_engine)
    pack = gather_since(demo_engine, options, AREA, "2019-20 Q4")
    titles = [title for title, _lines in pack.groups]
    assert "Committee resolutions closed" in titles and "Committee resolutions overdue" in titles


def test_the_page_layout_fills_the_dates_from_two_meetings(demo_app, demo_engine) -> None:
    from dashboard.pages import since as since_page

    meetings = sorted(service.all_meetings(demo_engine), key=lambda m: m.meeting_date)
    with demo_app.server.test_request_context("/since"):
        tree = since_page.layout(from_meeting=str(meetings[0].id), to_meeting=str(meetings[2].id))
    found = {}

    def walk(node) -> None:  # type: ignore[no-untyped-def]
        if getattr(node, "id", None) in ("since-from", "since-to"):
            found[node.id] = node.value
        for child in (
            node.children if isinstance(getattr(node, "children", None), list) else [getattr(node, "children", None)]
        ):
            if child is not None and hasattr(child, "to_plotly_json"):
                walk(child)

    walk(tree)
    assert found == {"since-from": "2019-07-15", "since-to": "2020-03-16"}


def test_overview_action_plan_and_pack_say_the_resolutions_beside_the_actions(demo_engine, client) -> None:
    data = overview_service.overview(demo_engine, FilterState(area=AREA, period="2019-20 Q4"), "Leicestershire", "")
    assert (data.resolutions.overdue, data.resolutions.due_soon, data.resolutions.reviews_due) == (1, 2, 1)
    assert "; 1 committee resolution overdue and 2 due in the next 30 days" in headline_sentence(data)
    page = client.get("/resolutions")
    assert page.status_code == 200
    pack = gather(demo_engine, AREA, "2019-20 Q4")
    section = pack.resolutions
    assert section is not None and section.last_meeting == "16 March 2020"
    assert section.open[0].overdue and section.open[0].due == "Overdue: due 20 March 2020"
    assert [row.label for row in section.open] == ["Resolution 2", "Review 3", "Resolution 2", "Resolution 1"]
    assert len(section.closed) == 1 and "was closed on 30 March 2020" in section.closed[0]

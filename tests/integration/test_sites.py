"""Delivery sites on SQLite and PostgreSQL: the register loads through the import pipeline (added, kept,
replaced, undone, undo refused after an edit, nothing saved from a bad file), edits are a command with a
history, openings reach the trend charts without being copied into annotations, and the API and the page's
save callback refuse anyone but an editor on the server."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import func, select

from dashboard.auth.accounts import create_user
from dashboard.demo.sites import DEMO_SITES
from dashboard.importing.importer import import_file
from dashboard.importing.sites import COLUMNS
from dashboard.importing.undo import UndoImport, undo_import
from dashboard.report.content import gather
from dashboard.services import sites as service
from dashboard.services.chart_marks import chart_marks
from dashboard.store import repository
from dashboard.store.models_annotations import Annotation
from tests.actions_support import PASSWORDS, ROLES, make_app, post_callback, sign_in, texts

QUARTERS = pd.DataFrame(
    {
        "period": ["2018-19 Q1", "2018-19 Q2", "2018-19 Q3"],
        "period_end": [dt.date(2018, 6, 30), dt.date(2018, 9, 30), dt.date(2018, 12, 31)],
    }
)


def _write(path, rows) -> str:
    frame = pd.DataFrame(list(rows), columns=COLUMNS.known)
    frame.to_csv(path, index=False)
    return str(path)


def _site(engine, code):
    return next((r for r in service.sites(engine) if r.code == code), None)


def _changed(rows, code, **values):
    index = {name: i for i, name in enumerate(COLUMNS.known)}
    out = []
    for row in rows:
        row = list(row)
        if row[0] == code:
            for name, value in values.items():
                row[index[name]] = value
        out.append(tuple(row))
    return out


def test_the_demo_sites_are_seeded(demo_store):
    rows = service.sites(demo_store)
    assert len(rows) == len(DEMO_SITES)  # written by the demo seed through the register's reader
    hinckley = _site(demo_store, "TP-HINCK-HUB")
    assert (hinckley.kind, hinckley.district_name, hinckley.opened_on) == (
        "hub",
        "Hinckley and Bosworth",
        dt.date(2018, 9, 3),
    )
    assert {r.code for r in service.sites(demo_store, district="E07000132")} == {
        "TP-EARL-SC",
        "TP-HINCK-SA",
        "TP-HINCK-HUB",
    }
    assert len(service.sites(demo_store, district="E10000018")) == len(DEMO_SITES)


def test_load_reload_change_undo_and_undo_refused_after_an_edit(demo_store, tmp_path):
    new = ("X-NEW", "Oadby satellite", "turning-point", "satellite", "E07000135", "2019-01-07", "", "", "", "", "")
    first_rows = [*_changed(DEMO_SITES, "TP-MELT-SAT", note="Moved to a larger room"), new]
    first = import_file(demo_store, _write(tmp_path / "a.csv", first_rows), imported_by="erin")
    assert first.ok, first.problem_lines()
    assert (first.record_kind, first.rows_added, first.rows_replaced) == ("sites", 1, 1)
    assert _site(demo_store, "TP-MELT-SAT").note == "Moved to a larger room"

    again = import_file(demo_store, _write(tmp_path / "b.csv", first_rows), imported_by="erin")
    assert again.ok and (again.rows_added, again.rows_replaced, again.rows_unchanged) == (0, 0, len(first_rows))

    changed_rows = _changed(first_rows, "X-NEW", kind="hub")
    changed = import_file(demo_store, _write(tmp_path / "c.csv", changed_rows), imported_by="erin")
    assert changed.ok and (changed.rows_added, changed.rows_replaced) == (0, 1)
    assert _site(demo_store, "X-NEW").kind == "hub"

    undone = undo_import(demo_store, changed.import_id, "erin")
    assert undone.ok, undone.message
    assert _site(demo_store, "X-NEW").kind == "satellite"

    melton = _site(demo_store, "TP-MELT-SAT")
    service.EditSite(
        demo_store, "TP-MELT-SAT", version=melton.version, edit=service.SiteEdit(closed_on="2019-03-31"), user="erin"
    ).run()
    # The re-load (which kept everything) is undone first, as a later load of the same records must be.
    assert not undo_import(demo_store, first.import_id, "erin").ok
    assert UndoImport(demo_store, again.import_id, "erin").run().ok
    refused = undo_import(demo_store, first.import_id, "erin")
    assert not refused.ok
    assert "site TP-MELT-SAT (Melton satellite) was changed after it was loaded" in refused.message
    assert _site(demo_store, "TP-MELT-SAT").closed_on == dt.date(2019, 3, 31)
    assert _site(demo_store, "X-NEW") is not None


def test_undo_of_a_load_puts_back_what_it_replaced_and_removes_what_it_added(demo_store, tmp_path):
    rows = [
        *_changed(DEMO_SITES, "TP-LBORO-HUB", opened_on="2016-08-01"),
        ("X-A", "A", "dear-albert", "hub", "Melton", "2019-01-01", "", "", "", "", ""),
    ]
    report = import_file(demo_store, _write(tmp_path / "a.csv", rows), imported_by="erin")
    assert report.ok and _site(demo_store, "TP-LBORO-HUB").opened_on == dt.date(2016, 8, 1)
    undone = undo_import(demo_store, report.import_id, "erin")
    assert undone.ok
    assert "undone: 1 delivery site removed, 1 earlier delivery site restored." in undone.message
    assert _site(demo_store, "TP-LBORO-HUB").opened_on == dt.date(2016, 7, 1)
    assert _site(demo_store, "X-A") is None


def test_a_file_with_one_bad_cell_saves_nothing(demo_store, tmp_path):
    before = service.sites(demo_store)
    rows = [
        *_changed(DEMO_SITES, "TP-LBORO-HUB", note="Changed"),
        ("X-B", "B", "turning-point", "clinic", "E07000130", "2019-01-01", "", "", "", "", ""),
    ]
    report = import_file(demo_store, _write(tmp_path / "bad.csv", rows), imported_by="erin")
    assert not report.ok
    assert any("'clinic' is not a kind of site" in line for line in report.problem_lines())
    assert service.sites(demo_store) == before


def test_edits_are_checked_versioned_and_kept_in_the_history(demo_store):
    site = _site(demo_store, "TP-SWIG-SAT")
    version_before = repository.data_version(demo_store)
    with pytest.raises(service.SiteEditRejected, match="not a kind of site"):
        service.EditSite(
            demo_store, site.code, version=site.version, edit=service.SiteEdit(kind="clinic"), user="e"
        ).run()
    with pytest.raises(service.SiteEditRejected, match="before the opening date"):
        service.EditSite(
            demo_store, site.code, version=site.version, edit=service.SiteEdit(closed_on="2015-01-01"), user="e"
        ).run()
    with pytest.raises(service.SiteEditRejected, match="nothing was changed"):
        service.EditSite(
            demo_store, site.code, version=site.version, edit=service.SiteEdit(kind="satellite"), user="e"
        ).run()
    with pytest.raises(service.SiteNotFound):
        service.EditSite(demo_store, "NOPE", version=1, edit=service.SiteEdit(kind="hub"), user="e").run()
    assert repository.data_version(demo_store) == version_before and service.history(demo_store, site.code) == []

    saved = service.EditSite(
        demo_store,
        site.code,
        version=site.version,
        edit=service.SiteEdit(kind="Hub", note="Now a hub", comment="Board decision"),
        user="erin",
    ).run()
    assert (saved.kind, saved.note, saved.version, saved.updated_by) == ("hub", "Now a hub", site.version + 1, "erin")
    assert repository.data_version(demo_store) != version_before
    with pytest.raises(service.StaleSite, match="was changed by erin"):
        service.EditSite(
            demo_store, site.code, version=site.version, edit=service.SiteEdit(note="x"), user="eddie"
        ).run()
    (entry,) = service.history(demo_store, site.code)
    assert (entry.user_name, entry.comment, entry.version) == ("erin", "Board decision", site.version + 1)
    assert entry.changes == {"kind": ["satellite", "hub"], "note": ["", "Now a hub"]}


def test_openings_and_closings_are_marks_on_the_district_and_partnership_never_annotations(demo_store):
    with demo_store.connect() as conn:
        annotations_before = conn.execute(select(func.count()).select_from(Annotation)).scalar_one()
    district = chart_marks(demo_store, "E07000132", QUARTERS)
    sites = [(m.period, m.text, m.kind, m.where) for m in district if m.kind == "site"]
    assert sites == [
        ("2018-19 Q2", "Hinckley community venue (satellite) closed", "site", ""),
        ("2018-19 Q2", "Hinckley hub opened", "site", ""),
    ]
    partnership = [m for m in chart_marks(demo_store, "E10000018", QUARTERS) if m.kind == "site"]
    assert ("Hinckley hub opened", "Hinckley and Bosworth") in {(m.text, m.where) for m in partnership}
    assert not [m for m in partnership if "satellite" in m.text or "surgery" in m.text]  # hubs only, county-wide
    assert not [m for m in chart_marks(demo_store, "E07000133", QUARTERS) if m.kind == "site"]
    with demo_store.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Annotation)).scalar_one() == annotations_before


def test_the_board_pack_has_a_sites_section(demo_store):
    pack = gather(demo_store, "E10000018", "2018-19 Q4")
    assert pack.sites is not None and pack.sites.as_of == "31 March 2019"
    assert any("Hinckley hub (hub, Turning Point) opened, Hinckley and Bosworth" in line for line in pack.sites.changes)
    assert "Hinckley and Bosworth: 1 hub, a shared-care surgery opening on 1 April 2019" in pack.sites.districts
    assert len(pack.sites.sites) == len(DEMO_SITES)


@pytest.fixture
def site_app(demo_store, tmp_path):
    for name, password in PASSWORDS.items():
        create_user(demo_store, name, ROLES[name], password, display_name=name.title())
    return make_app(demo_store, tmp_path)


def test_the_api_lists_with_filters_and_only_editors_change(site_app, demo_store):
    client = site_app.server.test_client()
    everything = client.get("/api/v1/sites").get_json()
    assert everything["count"] == len(DEMO_SITES)
    hinckley = client.get("/api/v1/sites?district=E07000132").get_json()
    assert {s["code"] for s in hinckley["sites"]} == {"TP-EARL-SC", "TP-HINCK-SA", "TP-HINCK-HUB"}
    assert client.get("/api/v1/sites?provider=dear-albert").get_json()["count"] == 1
    bad = client.get("/api/v1/sites?provider=turning-pint")
    assert bad.status_code == 400 and bad.get_json()["parameter"] == "provider"
    assert client.get("/api/v1/sites?district=E99999999").status_code == 400
    assert client.get("/api/v1/sites/NOPE").status_code == 404
    template = client.get("/api/v1/templates/sites.csv")
    assert template.status_code == 200 and template.data.startswith(b"site_code,site_name,provider")

    site = client.get("/api/v1/sites/TP-COAL-HUB").get_json()
    change = {"closed_on": "2019-12-31", "version": site["version"], "comment": "Lease ended"}
    assert client.patch("/api/v1/sites/TP-COAL-HUB", json=change).status_code == 401
    viewer = site_app.server.test_client()
    sign_in(viewer, "vic")
    assert viewer.patch("/api/v1/sites/TP-COAL-HUB", json=change).status_code == 403
    assert _site(demo_store, "TP-COAL-HUB").closed_on is None

    editor = site_app.server.test_client()
    sign_in(editor, "erin")
    wrong = editor.patch("/api/v1/sites/TP-COAL-HUB", json={**change, "closed_on": "2001-01-01"})
    assert wrong.status_code == 400 and "before the opening date" in wrong.get_json()["error"]
    assert editor.patch("/api/v1/sites/TP-COAL-HUB", json={**change, "colour": "red"}).status_code == 400
    saved = editor.patch("/api/v1/sites/TP-COAL-HUB", json=change)
    assert saved.status_code == 200, saved.get_json()
    body = saved.get_json()
    assert body["closed_on"] == "2019-12-31" and body["history"][0]["user"] == "erin"
    stale = editor.patch("/api/v1/sites/TP-COAL-HUB", json=change)
    assert stale.status_code == 409 and stale.get_json()["current"]["closed_on"] == "2019-12-31"


def test_the_page_save_is_refused_for_a_viewer_on_the_server(site_app, demo_store):
    site = _site(demo_store, "TP-BLABY-SAT")
    values = {
        "site-edit-save.n_clicks": 1,
        "site-edit-choice.value": site.code,
        "site-edit-version.data": site.version,
        "site-edit-kind.value": "hub",
        "site-edit-opened.value": site.opened_on.isoformat(),
        "site-edit-closed.value": "",
        "site-edit-note.value": "",
        "site-edit-comment.value": "",
        "sites-changed.data": 0,
    }
    viewer = site_app.server.test_client()
    sign_in(viewer, "vic")
    status, body = post_callback(viewer, site_app, "site-edit-feedback", values)
    assert status == 200 and "needs an editor account" in " ".join(texts(body))
    assert _site(demo_store, site.code).kind == "satellite"
    form_status, form = post_callback(viewer, site_app, "site-edit-form", {"site-edit-choice.value": site.code})
    assert form_status == 200 and "site-edit-save" not in str(form)

    editor = site_app.server.test_client()
    sign_in(editor, "erin")
    status, body = post_callback(editor, site_app, "site-edit-feedback", values)
    assert status == 200 and "Saved: Blaby satellite" in " ".join(texts(body))
    assert _site(demo_store, site.code).kind == "hub"
    _, form = post_callback(editor, site_app, "site-edit-form", {"site-edit-choice.value": site.code})
    assert "site-edit-save" in str(form) and "kind changed from satellite to hub" in " ".join(texts(form))


def test_the_districts_map_draws_the_open_sites_and_says_how_many(site_app):
    client = site_app.server.test_client()
    values = {
        "filter-area.value": "E10000018",
        "filter-substance-group.value": "all",
        "filter-provider.value": "all",
        "filter-period.value": "2017-18 Q4",
        "districts-indicator.value": "successful_completion_rate",
    }
    status, body = post_callback(client, site_app, "districts-map-graph.figure", values)
    assert status == 200, body
    response = body["response"]
    figure = response["districts-map-graph"]["figure"]
    names = [t.get("name") for t in figure["data"]]
    assert {"Hub", "Satellite", "Shared-care surgery"} <= set(names)
    hubs = next(t for t in figure["data"] if t.get("name") == "Hub")
    assert len(hubs["text"]) == 2  # Loughborough and Coalville; Hinckley's is still being fitted out
    summary = response["districts-map-summary"]["children"]
    assert "Hinckley and Bosworth: 1 satellite, a hub opening on 3 September 2018" in summary


def test_providers_lists_each_providers_sites(site_app):
    client = site_app.server.test_client()
    values = {
        "filter-area.value": "E10000018",
        "filter-substance-group.value": "all",
        "filter-provider.value": "all",
        "filter-period.value": "2019-20 Q4",
        "providers-indicator.value": "successful_completion_rate",
    }
    status, body = post_callback(client, site_app, "providers-sites-summary", values)
    assert status == 200, body
    response = body["response"]
    assert "Turning Point delivers at 13 sites open on 31 March 2020" in response["providers-sites-summary"]["children"]
    rows = response["providers-sites-table"]["rowData"]
    assert {r["Site"] for r in rows} >= {"Hinckley hub", "Loughborough hub"}


def test_a_filter_that_leaves_no_sites_lists_none_without_an_error(site_app):
    """A district with no sites (or a register still empty) gives an empty list and says so, not a server error."""
    client = site_app.server.test_client()
    values = {"sites-provider.value": "dear-albert", "sites-district.value": "E07000133", "sites-changed.data": 0}
    status, body = post_callback(client, site_app, "sites-list-summary", values)
    assert status == 200, body
    response = body["response"]
    assert response["sites-list-summary"]["children"] == "No delivery sites are recorded for these providers."
    assert response["site-edit-choice"]["options"] == []

"""The import history and undo on /upload, through the page's callbacks over HTTP as the browser posts them:
an editor loads a file, sees it in the history with its counts and warnings, is told in words what undoing it
would do, undoes it (the figures go, the cache's data version moves, the history says who undid it); a viewer
reads the history but cannot undo, even by posting the callback; the page refuses what the command line
refuses, with the same words; a picture is named as not a data file."""

from __future__ import annotations

import base64
import json

from click.testing import CliRunner
from sqlalchemy import func, select

from dashboard.cli import main as cli
from dashboard.store.models import ImportLog, Observation
from dashboard.store.repository import data_version
from tests.actions_support import post_callback, sign_in
from tests.integration import test_actions_upload

app = test_actions_upload.app  # the upload tests' store: England and Leicestershire, the demo plan, the test accounts

HEADER = "indicator,area_code,period,substance_group,provider,numerator,denominator,value,lower_ci_95,upper_ci_95"
FIRST = (
    f"{HEADER}\n"
    "in_treatment,E10000018,2017-18 Q4,opiate,,,,1129,,\n"
    "in_treatment,E10000018,2018-19 Q4,opiate,,,,1150,,\n"
    "in_treatment,E10000018,2018-19 Q4,alcohol,New Dawn Recovery,,,310,,\n"
)
# Replaces one figure of FIRST, leaves one as it was and adds one.
SECOND = (
    f"{HEADER}\n"
    "in_treatment,E10000018,2017-18 Q4,opiate,,,,1130,,\n"
    "in_treatment,E10000018,2018-19 Q4,opiate,,,,1150,,\n"
    "in_treatment,E10000018,2019-20 Q4,opiate,,,,1170,,\n"
)
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
UNDO_BUTTON = {"type": "upload-undo", "index": ["ALL"]}


def _client(app, username: str | None):  # type: ignore[no-untyped-def]
    client = app.server.test_client()
    if username:
        sign_in(client, username)
    return client


def _words(body) -> str:  # type: ignore[no-untyped-def]
    """The words a one-output callback answered with."""
    return _shown(next(iter(body["response"].values()))["children"])


def _upload(client, app, content: bytes, name: str, button: str = "upload-load") -> str:  # type: ignore[no-untyped-def]
    encoded = base64.b64encode(content).decode()
    values = {
        "upload-file.contents": f"data:application/octet-stream;base64,{encoded}",
        "upload-file.filename": name,
        "upload-format": "auto",
        button: 1,
    }
    status, body = post_callback(client, app, "upload-result", values, changed=button)
    assert status == 200, body
    return _words(body)


def _history(client, app, older_clicks: int | None = None) -> dict:  # type: ignore[no-untyped-def]
    """The history callback's answer: {"upload-history": children, "upload-history-older": {hidden, children}}."""
    status, body = post_callback(client, app, "upload-history.children", {"upload-history-older": older_clicks})
    assert status == 200, body
    return {**body["response"], "upload-history": body["response"]["upload-history"]["children"]}


def _shown(node) -> str:  # type: ignore[no-untyped-def]
    """The words a component shows: its children's strings, not its ids, classes or types."""
    if isinstance(node, str | int | float):
        return str(node)
    if isinstance(node, list):
        return " ".join(filter(None, (_shown(child) for child in node)))
    if isinstance(node, dict):
        return _shown(node.get("props", {}).get("children"))
    return ""


def _rows(history: dict) -> dict[int, list[str]]:
    """Each history row's cells (the words shown) by import id, from the table the callback drew."""
    found: dict[int, list[str]] = {}

    def walk(node) -> None:  # type: ignore[no-untyped-def]
        if isinstance(node, list):
            for child in node:
                walk(child)
        elif isinstance(node, dict):
            props = node.get("props", {})
            if node.get("type") == "Tr" and "data-import-id" in props:
                found[int(props["data-import-id"])] = [_shown(cell) for cell in props["children"]]
            else:
                walk(props.get("children"))

    walk(history["upload-history"])
    return found


def _undo_flow(client, app, pressed: str | int, target: int | None = None):  # type: ignore[no-untyped-def]
    """Post the undo callback as the browser does when ``pressed`` (an import id for its row's Undo button, or
    "upload-undo-confirm" / "upload-undo-cancel") is clicked; (status, the callback's outputs by id)."""
    key = next(k for k in app.callback_map if "upload-undo-panel.hidden" in k)
    spec = app.callback_map[key]
    rows = [] if isinstance(pressed, str) else [pressed]
    row_id = lambda ident: {"index": ident, "type": "upload-undo"}  # noqa: E731
    changed = f"{json.dumps(row_id(pressed), separators=(',', ':'))}.n_clicks" if rows else f"{pressed}.n_clicks"
    payload = {
        "output": key,
        "outputs": [{"id": o.component_id, "property": o.component_property} for o in spec["output"]],
        "inputs": [
            [{"id": row_id(ident), "property": "n_clicks", "value": 1} for ident in rows],
            {
                "id": "upload-undo-confirm",
                "property": "n_clicks",
                "value": 1 if pressed == "upload-undo-confirm" else None,
            },
            {
                "id": "upload-undo-cancel",
                "property": "n_clicks",
                "value": 1 if pressed == "upload-undo-cancel" else None,
            },
        ],
        "changedPropIds": [changed],
        "state": [
            {"id": "upload-undo-target", "property": "data", "value": target},
            {"id": "upload-history-refresh", "property": "data", "value": 0},
        ],
    }
    response = client.post("/_dash-update-component", json=payload)
    body = response.get_json(silent=True)
    if response.status_code != 200 or body is None:
        return response.status_code, {}
    outputs = {ident: next(iter(props.values())) for ident, props in body["response"].items()}
    return response.status_code, outputs


def _counts(store) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    with store.connect() as conn:
        loaded = conn.execute(select(func.count()).select_from(ImportLog).where(ImportLog.status == "loaded"))
        return loaded.scalar_one(), conn.execute(select(func.count()).select_from(Observation)).scalar_one()


def test_an_editor_loads_a_file_sees_it_in_the_history_and_undoes_it_from_the_page(app, store):
    editor = _client(app, "erin")
    assert "loaded as import 1" in _upload(editor, app, FIRST.encode(), "q4.csv")
    assert _counts(store) == (1, 3)
    rows = _rows(_history(editor, app))
    assert list(rows) == [1]
    ident, _when, who, name, kind, added, replaced, unchanged, warnings, state, undo = rows[1]
    name = name.replace(" ", "")  # it may wrap after its dot: a <wbr> between the parts
    assert (ident, who, name, kind, state, undo) == ("1", "erin", "q4.csv", "observations template", "Loaded", "Undo")
    assert (added, replaced, unchanged) == ("3", "0", "0")
    assert warnings.startswith("1 warning ") and "New Dawn Recovery" in warnings  # the count, then the note
    assert "upload-undo" in json.dumps(_history(editor, app))  # an editor gets the Undo button

    status, asked = _undo_flow(editor, app, 1)
    assert status == 200 and asked["upload-undo-panel"] is False and asked["upload-undo-target"] == 1
    assert asked["upload-undo-question-title"] == "Undo import 1 (q4.csv)?"
    assert asked["upload-undo-question"] == "This removes the 3 figures this file added."
    assert _counts(store) == (1, 3)  # asking changes nothing
    assert "upload-history-refresh" not in asked  # nor redraws the history (a warning opened stays open)

    version = data_version(store)
    status, done = _undo_flow(editor, app, "upload-undo-confirm", target=1)
    assert status == 200 and done["upload-undo-panel"] is True and done["upload-undo-target"] is None
    assert done["upload-history-refresh"] == 1  # the history redraws
    message = _shown(done["upload-undo-message"])
    assert "Import 1 (q4.csv) undone: 3 figures removed" in message
    assert _counts(store) == (0, 0)
    assert data_version(store) != version  # every cached figure is stale, as after a load
    after = _rows(_history(editor, app))[1]
    assert (
        after[9].startswith("Undone by erin, ")
        and after[10] == ""
        and "upload-undo" not in json.dumps(_history(editor, app))
    )


def test_the_question_says_what_goes_and_what_comes_back(app, store):
    editor = _client(app, "erin")
    _upload(editor, app, FIRST.encode(), "q3.csv")
    assert "1 new figure, 1 replaced, 1 unchanged" in _upload(editor, app, SECOND.encode(), "q4.csv")
    assert _rows(_history(editor, app))[2][5:8] == ["1", "1", "1"]
    _status, asked = _undo_flow(editor, app, 2)
    assert asked["upload-undo-question"] == (
        "This removes the 1 figure this file added and puts back the 1 it replaced. "
        "The 1 figure it loaded unchanged stay as they are."
    )
    _undo_flow(editor, app, "upload-undo-confirm", target=2)
    with store.connect() as conn:
        values = sorted(conn.execute(select(Observation.value)).scalars())
    assert values == [310, 1129, 1150]  # the first file's figures, as they were


def test_a_viewer_reads_the_history_but_cannot_undo_even_by_posting_the_callback(app, store):
    _upload(_client(app, "erin"), app, FIRST.encode(), "q4.csv")
    viewer = _client(app, "vic")
    history = _history(viewer, app)
    assert _rows(history)[1][3] == "q4. csv" and len(_rows(history)[1]) == 10  # no Undo column
    assert "upload-undo" not in json.dumps(history)
    for pressed, target in ((1, None), ("upload-undo-confirm", 1)):
        status, answer = _undo_flow(viewer, app, pressed, target)
        assert status == 200 and answer["upload-undo-panel"] is True
        assert "this needs an editor account" in _shown(answer["upload-undo-message"])
    assert _counts(store) == (1, 3)

    anonymous = _client(app, None)
    assert "Sign in" in _shown(_history(anonymous, app)["upload-history"])
    assert "q4.csv" not in json.dumps(_history(anonymous, app))
    status, answer = _undo_flow(anonymous, app, "upload-undo-confirm", 1)
    assert "Sign in with an editor account" in _shown(answer["upload-undo-message"])
    assert _counts(store) == (1, 3)


def test_the_page_refuses_what_the_command_line_refuses_in_the_same_words(app, store, monkeypatch):
    editor = _client(app, "erin")
    _upload(editor, app, FIRST.encode(), "q3.csv")
    _upload(editor, app, SECOND.encode(), "q4.csv")
    monkeypatch.setenv("DATABASE_URL", store.url.render_as_string(hide_password=False))
    cli_refusal = CliRunner().invoke(cli, ["imports", "undo", "1"], catch_exceptions=False)
    assert cli_refusal.exit_code == 1 and "cannot be undone yet" in cli_refusal.output

    _status, asked = _undo_flow(editor, app, 1)  # the question is not even asked
    assert asked["upload-undo-panel"] is True and asked["upload-undo-target"] is None
    refusal = _shown(asked["upload-undo-message"])
    assert refusal == cli_refusal.output.strip()
    assert "import 2 (q4.csv) loaded later" in refusal
    _status, forced = _undo_flow(editor, app, "upload-undo-confirm", target=1)  # posted round the question
    assert _undo_flow(editor, app, "upload-undo-confirm", target="1 or 1=1")[0] == 204  # not an id: nothing done
    assert _shown(forced["upload-undo-message"]) == refusal
    assert _counts(store) == (2, 4)

    _undo_flow(editor, app, "upload-undo-confirm", target=2)
    again = _shown(_undo_flow(editor, app, 2)[1]["upload-undo-message"])
    cli_again = CliRunner().invoke(cli, ["imports", "undo", "2"], catch_exceptions=False)
    assert "already undone" in again and again == cli_again.output.strip()


def test_the_latest_loads_first_and_older_ones_on_request(app, store, monkeypatch):
    monkeypatch.setattr("dashboard.pages.upload.PAGE_SIZE", 2)
    editor = _client(app, "erin")
    for quarter in (1, 2, 3):
        _upload(
            editor,
            app,
            f"{HEADER}\nin_treatment,E10000018,2018-19 Q{quarter},opiate,,,,9,,\n".encode(),
            f"{quarter}.csv",
        )
    first = _history(editor, app)
    assert list(_rows(first)) == [3, 2]
    assert first["upload-history-older"] == {"hidden": False, "children": "Show older loads (1 not shown)"}
    assert "the latest 2 of 3" in json.dumps(first)
    more = _history(editor, app, older_clicks=1)
    assert list(_rows(more)) == [3, 2, 1] and more["upload-history-older"]["hidden"] is True


def test_a_picture_is_named_as_not_a_data_file_with_the_formats_that_are(app, store):
    editor = _client(app, "erin")
    answer = _upload(editor, app, PNG, "team-photo.png")
    assert answer == (
        "team-photo.png is not a data file this dashboard reads. "
        "It reads CSV files (.csv, .tsv or .txt) and Excel workbooks (.xlsx): choose one of those."
    )
    assert "Choose a file first" not in answer
    status, body = post_callback(editor, app, "upload-chosen", {"upload-file.filename": "team-photo.png"})
    assert status == 200 and _words(body).startswith("team-photo.png is not a data file this dashboard reads")
    assert _counts(store) == (0, 0)

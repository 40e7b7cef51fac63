"""The web app through the Flask test client: health, local assets, the Overview callback."""

import re
import threading

import pytest

from dashboard.config import Settings
from dashboard.webapp import create_app
from tests.dash_client import post_callback
from tests.sql_statements import statements

CHARNWOOD_ALCOHOL = {
    "filter-area": "E07000130",
    "filter-substance-group": "alcohol",
    "filter-provider": "all",
    "filter-period": "2019-20 Q4",
}


def test_health_checks_the_database(client):
    response = client.get("/health")
    assert response.status_code == 200
    # Strangers are told only "ok"; the details are for a signed-in admin (tests/integration/test_security_*).
    assert response.get_json() == {"status": "ok"}


def test_health_reports_an_unreachable_database(tmp_path):
    app = create_app(Settings(database_url="postgresql+psycopg://nobody@127.0.0.1:1/none"), prepare=False)
    response = app.server.test_client().get("/health")
    assert response.status_code == 503
    assert response.get_json()["status"] == "error"


def test_every_asset_is_served_locally(client):
    page = client.get("/?area=E07000130").get_data(as_text=True)
    urls = re.findall(r'(?:href|src)="([^"]+)"', page)
    assert urls, "the index page references its scripts and styles"
    assert not [u for u in urls if u.startswith(("http:", "https:", "//"))]
    for url in urls:
        if url.split("?")[0].endswith((".css", ".js")) or "_dash-component-suites" in url:
            assert client.get(url).status_code == 200, url
    assert client.get("/assets/vendor/bootstrap.min.css").status_code == 200
    assert client.get("/assets/vendor/fonts/bootstrap-icons.woff2").status_code == 200


def test_every_asset_a_page_names_is_versioned_and_kept_by_the_browser(client):
    """Every stylesheet and script under /assets/ that a page names carries its version, and is sent to be kept:
    a page load asks for none of them again. One asked for without a version is revalidated as before."""
    page = client.get("/?area=E07000130").get_data(as_text=True)
    assets = [u for u in re.findall(r'(?:href|src)="([^"]+)"', page) if u.startswith("/assets/")]
    assert {"/assets/vendor/plotly-dashboard.min.js", "/assets/vendor/bootstrap.min.css"} <= {
        u.split("?")[0] for u in assets
    }
    for url in assets:
        assert re.search(r"\?(m|v)=[0-9a-f.]+$", url), url
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable", url
    stylesheet = client.get("/assets/vendor/bootstrap-icons.min.css").get_data(as_text=True)
    font = re.search(r'url\("?(fonts/bootstrap-icons\.woff2\?[0-9a-f]+)', stylesheet).group(1)
    assert client.get(f"/assets/vendor/{font}").headers["Cache-Control"].endswith("immutable")
    assert client.get("/assets/vendor/bootstrap.min.css").headers["Cache-Control"] == "no-cache"


def test_a_versioned_assets_address_follows_its_content(tmp_path, monkeypatch):
    from dashboard import asset_caching

    (tmp_path / "one.js").write_text("one")
    monkeypatch.setattr(asset_caching, "ASSETS_DIR", tmp_path)
    asset_caching.versioned.cache_clear()
    first = asset_caching.versioned("/assets/one.js")
    (tmp_path / "one.js").write_text("two")
    asset_caching.versioned.cache_clear()
    assert first.startswith("/assets/one.js?v=") and asset_caching.versioned("/assets/one.js") != first
    asset_caching.versioned.cache_clear()


def test_layout_shows_the_demonstration_label(client):
    layout = client.get("/_dash-layout").get_data(as_text=True)
    assert "Demonstration data" in layout


def _texts(node, found=None):
    """Every string in a Dash component tree (as JSON)."""
    found = [] if found is None else found
    if isinstance(node, str):
        found.append(node)
    elif isinstance(node, list):
        for child in node:
            _texts(child, found)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key in ("children", "props") or isinstance(value, list | dict):
                _texts(value, found)
    return found


def _card(cards, group):
    for col in cards:
        article = col["props"]["children"]
        if article["props"].get("data-group") == group:
            return article
    raise AssertionError(f"no card for {group}")


def test_overview_callback_renders_the_filtered_figures(client, demo_app, demo_engine):
    from dashboard.store import repository

    status, body = post_callback(client, demo_app, "overview-cards", CHARNWOOD_ALCOHOL)
    assert status == 200
    response = body["response"]
    assert (
        response["overview-scope"]["children"] == "Charnwood · Alcohol only · All providers · 12 months to 2019-20 Q4"
    )
    cards = response["overview-cards"]["children"]
    assert len(cards) == 5
    alcohol = _card(cards, "alcohol")
    assert alcohol["props"]["aria-current"] == "true"
    assert _card(cards, "opiate")["props"]["aria-current"] == "false"

    import datetime as dt

    series = repository.indicator_series(
        demo_engine,
        area_code="E07000130",
        indicators=["in_treatment", "successful_completion_rate"],
        substance_groups=["alcohol"],
        provider_code=None,
        period_end=dt.date(2020, 3, 31),
    )
    latest = series[series["period"] == "2019-20 Q4"].set_index("indicator")["value"]
    texts = " ".join(_texts(alcohol))
    assert f"{latest['successful_completion_rate']:.1f}%" in texts
    assert f"{int(latest['in_treatment']):,}" in texts
    assert "Alcohol only in Charnwood" in texts

    trend = response["overview-trend-graph"]["figure"]
    names = [trace.get("name") for trace in trend["data"]]
    assert "Alcohol only" in names and "Opiate" not in names
    assert "Charnwood" in response["overview-trend-summary"]["children"]
    rows = response["overview-trend-table"]["rowData"]
    assert rows[-1]["Period (12 months to)"] == "2019-20 Q4"
    assert rows[-1]["Rate (%)"] == pytest.approx(latest["successful_completion_rate"], abs=0.01)


def test_overview_callback_by_provider_shows_that_providers_figures(client, demo_app):
    status, body = post_callback(
        client, demo_app, "overview-cards", {**CHARNWOOD_ALCOHOL, "filter-provider": "dear-albert"}
    )
    assert status == 200
    assert "Dear Albert" in body["response"]["overview-scope"]["children"]


def test_a_bad_link_falls_back_with_a_notice(client):
    import json

    import dash
    from plotly.utils import PlotlyJSONEncoder

    layout = dash.page_registry["dashboard.pages.overview"]["layout"]
    with client.application.test_request_context("/"):
        component = layout(area="E99999999", substance_group="crack", provider="nobody", period="1990-91 Q1")
    tree = json.loads(json.dumps(component, cls=PlotlyJSONEncoder))
    text = " ".join(_texts(tree))
    assert "Area 'E99999999' is not part of this partnership" in text
    assert "Substance group 'crack' is not recognised" in text
    assert "There is no data for period '1990-91 Q1'" in text


def test_a_cold_overview_reads_the_plan_version_the_meta_and_each_parent_once_per_version(
    client, demo_app, demo_engine
):
    """The Overview's plan counts, its resolutions and its chart marks each ask for the plans' version, the store's
    meta and an area's partnership. In one view (``store.read_scope``) each is read from the store once (the parent
    of Charnwood and of Leicestershire: two areas, two reads); a later cold view of the same version reads none of
    them again, and one after a write that moves the version reads them afresh."""
    from dashboard.cache import cache
    from dashboard.store.comparisons_dao import bump_keeping_comparisons

    def reference_reads(period: str) -> tuple[int, int, int]:
        with demo_app.server.app_context():
            cache.clear()  # drawn afresh, not answered from the cache
        with statements(demo_engine) as seen:
            inputs = {**CHARNWOOD_ALCOHOL, "filter-period": period}
            status, _ = post_callback(client, demo_app, "overview-cards", inputs)
        assert status == 200
        seen = [" ".join(s.replace('"', "").split()) for s in seen]  # SQLite quotes "key", PostgreSQL does not
        plan_version = [s for s in seen if s.startswith("SELECT (SELECT count(action_plans.id)")]
        meta = [s for s in seen if s.startswith("SELECT meta.key, meta.value FROM meta")]
        parent = [s for s in seen if s.startswith("SELECT parent.code FROM areas")]
        return len(plan_version), len(meta), len(parent)

    with demo_engine.begin() as conn:
        bump_keeping_comparisons(conn)  # a version no view has read yet
    assert reference_reads("2018-19 Q4") == (1, 1, 2)
    assert reference_reads("2018-19 Q3") == (0, 0, 0)
    with demo_engine.begin() as conn:
        bump_keeping_comparisons(conn)
    assert reference_reads("2018-19 Q4") == (1, 1, 2)


def test_a_new_worker_answers_its_first_requests_together(client, demo_database):
    """A page load's requests reach a new gunicorn worker together, in parallel threads. Dash finished its setup on
    its first request, after marking it done, so the requests beside that one found half a setup: scripts refused
    (500) and the pages' callbacks missing, and the page stayed on "Loading..." with no callback sent."""
    page = client.get("/").get_data(as_text=True)
    scripts = [u for u in re.findall(r'src="([^"]+)"', page) if "_dash-component-suites" in u]
    grid = re.search(r'"src": "([^"]+)"', page)  # the grid's script, fetched by assets/lazy_grid.js when shown
    assert scripts and grid
    addresses = [*scripts, grid.group(1), "/_dash-dependencies", "/_dash-layout"]
    fresh = create_app(Settings(database_url=demo_database, auto_seed_demo=False, log_level="WARNING"), prepare=False)
    together = threading.Barrier(len(addresses))
    answers: dict[str, object] = {}

    def fetch(address: str) -> None:
        together.wait()
        answers[address] = fresh.server.test_client().get(address)

    threads = [threading.Thread(target=fetch, args=(address,)) for address in addresses]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert {a: answers[a].status_code for a in addresses} == dict.fromkeys(addresses, 200)
    expected = client.get("/_dash-dependencies").get_json()
    assert answers["/_dash-dependencies"].get_json() == expected

"""One truth: for every view, the page callback, the CSV download, /api/v1/compare and the board pack state the
same figure, rank, quartile and significance, because all of them read the comparison service.

Views: the demonstration partnership (Leicestershire) for each substance group; one of its districts; a
Fingertips indicator the product has never seen (alcohol admissions, district, annual, rates per 100,000,
loaded from the file with no code change); and a Fingertips comparator-group extract with pooled periods
("2016 - 18", "2014/15 - 18/19") for West Sussex. Each runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import base64
import io
import math
from pathlib import Path
from urllib.parse import urlencode

import pandas as pd
import pytest

from dashboard.config import Settings
from dashboard.domain.substance_groups import substance_group_keys
from dashboard.importing import import_file
from dashboard.report.content import gather
from dashboard.services import compare
from dashboard.store import repository, repository_compare, repository_decks, schema
from dashboard.store.engine import get_engine
from dashboard.store.reference import ensure_reference_data
from tests.conftest import _factory
from tests.dash_client import post_callback

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "fingertips"
ADMISSIONS_FILE = FIXTURES / "lape_91414_alcohol_related_admissions_narrow_leicestershire.csv"
WSX_FILE = FIXTURES / "wsx_walkthrough_utla_cipfa_neighbours_2018-19_west_sussex_group.csv"
ADMISSIONS = "fingertips_alcohol_related_admissions_narrow_measure"
LEICESTERSHIRE, CHARNWOOD, WEST_SUSSEX = "E10000018", "E07000130", "E10000032"
PERIOD = "2019-20 Q4"


def _app(url: str):  # type: ignore[no-untyped-def]
    from dashboard.webapp import create_app

    return create_app(Settings(database_url=url, auto_seed_demo=False, log_level="WARNING"))


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def leicestershire(request, tmp_path_factory, demo_template):  # type: ignore[no-untyped-def]
    """The demonstration data plus a Fingertips district file, loaded through the importer."""
    factory = _factory(request, tmp_path_factory.mktemp("truth"))
    url = factory.copy_of(demo_template(factory.backend, factory.pg_url))
    engine = get_engine(url)
    report = import_file(engine, ADMISSIONS_FILE, imported_by="test")
    assert report.rows_added > 0
    app = _app(url)
    yield engine, app, app.server.test_client()
    factory.drop_all()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def west_sussex(request, tmp_path_factory):  # type: ignore[no-untyped-def]
    """A deployment for West Sussex holding only a Fingertips comparator-group extract (pooled periods)."""
    factory = _factory(request, tmp_path_factory.mktemp("truth_wsx"))
    url = factory.new_url()
    engine = get_engine(url)
    schema.upgrade(engine)
    ensure_reference_data(engine)
    assert import_file(engine, WSX_FILE, imported_by="test").ok
    repository.write_meta(engine, {"home_area": WEST_SUSSEX})
    app = _app(url)
    yield engine, app, app.server.test_client()
    factory.drop_all()


def _number(value: object) -> float | None:
    if value is None or value == "":
        return None
    number = float(value)  # type: ignore[arg-type]
    return None if math.isnan(number) else number


def _page(app, client, area: str, substance_group: str, period: str, indicator: str):  # type: ignore[no-untyped-def]
    """The How we compare page as a browser gets it: its layout's default group, then the callback."""
    from dashboard.pages import compare as page

    with app.server.test_request_context("/compare"):
        layout = page.layout(area=area, substance_group=substance_group, period=period, indicator=indicator)
    group = _find(layout, "compare-group").value
    chosen_indicator = _find(layout, "compare-indicator").value
    assert chosen_indicator == indicator, "a loaded indicator with figures for the group must be offered"
    inputs = {
        "filter-area": area,
        "filter-substance-group": substance_group,
        "filter-provider": "all",
        "filter-period": period,
        "compare-indicator": indicator,
        "compare-group": group,
        "compare-method": "default",
    }
    status, body = post_callback(client, app, "compare-callout", inputs)
    assert status == 200, body
    return group, body["response"]


def _find(component, component_id: str):  # type: ignore[no-untyped-def]
    if getattr(component, "id", None) == component_id:
        return component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list | tuple) else [children]:
        if child is not None and hasattr(child, "to_plotly_json"):
            found = _find(child, component_id)
            if found is not None:
                return found
    return None


def _csv_download(response: dict, chart: str) -> pd.DataFrame:
    """What "Download data (CSV)" hands the user for ``chart``: the chart-card download callback's file."""
    from dashboard.components.download_files import send_table as _send_table

    grid = response[f"{chart}-table"]  # the browser sends the grid's columns and rows with the click
    sent = _send_table({"columns": [c["field"] for c in grid["columnDefs"]], "records": grid["rowData"]}, chart, "csv")
    content = base64.b64decode(sent["content"]).decode() if sent.get("base64") else sent["content"]
    return pd.read_csv(io.StringIO(content))


def _text(value: object) -> str | None:
    """A CSV cell as text (an empty cell reads back as NaN)."""
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


def _callout_text(response: dict) -> str:
    return " ".join(
        str(part) if isinstance(part, str) else str(part["props"]["children"])
        for part in response["compare-callout"]["children"]
    )


def _api(client, **params) -> dict:  # type: ignore[no-untyped-def]
    response = client.get("/api/v1/compare?" + urlencode(params))
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def _assert_same_everywhere(engine, app, client, area, substance_group, period, indicator) -> compare.Position:  # type: ignore[no-untyped-def]
    truth = compare.position(engine, indicator=indicator, area=area, period=period, substance_group=substance_group)
    assert truth is not None and truth.value is not None
    group, response = _page(app, client, area, substance_group, period, indicator)
    assert group == truth.group_code, "the page opens on the service's default comparator group"
    # The page's sentence and its table.
    callout = _callout_text(response)
    assert (
        truth.rank_text in callout and truth.quartile_text in callout and truth.indicator.format(truth.value) in callout
    )
    table = pd.DataFrame(response["compare-ranked-table"]["rowData"])
    mine = table[table["Area"] == truth.area_name].iloc[0]
    assert (mine["Position"], mine["Quartile"], mine["Compared with benchmark"]) == (
        truth.rank_text,
        truth.quartile,
        truth.compared,
    )
    assert _number(mine["Value"]) == pytest.approx(round(truth.value, 2))
    # The CSV download of the same chart.
    csv = _csv_download(response, "compare-ranked")
    row = csv[csv["Area"] == truth.area_name].iloc[0]
    assert (row["Position"], _text(row["Quartile"]), _text(row["Compared with benchmark"])) == (
        truth.rank_text,
        truth.quartile,
        truth.compared,
    )
    assert _number(row["Value"]) == pytest.approx(round(truth.value, 2))
    # The API, asked for the area's default group.
    body = _api(client, indicator=indicator, period=truth.period, area=area, substance_group=substance_group)
    assert body["group"] == truth.group_code and body["period"] == truth.period
    served = next(a for a in body["areas"] if a["area_code"] == area)
    assert served["value"] == pytest.approx(truth.value)
    assert (served["rank"], served["rank_text"], served["quartile"], served["compared_to_benchmark"]) == (
        truth.rank,
        truth.rank_text,
        truth.quartile,
        truth.compared,
    )
    assert served["distance_to_top_quartile"] == truth.distance
    return truth


@pytest.mark.parametrize("substance_group", substance_group_keys(include_all=True))
def test_partnership_positions_agree_on_page_csv_api_and_board_pack(leicestershire, substance_group):
    engine, app, client = leicestershire
    truth = _assert_same_everywhere(
        engine, app, client, LEICESTERSHIRE, substance_group, PERIOD, "successful_completion_rate"
    )
    pack = gather(engine, LEICESTERSHIRE, PERIOD)
    headline = next(h for h in pack.headlines if h.group == truth_label(substance_group))
    assert headline.position == truth.position_text
    assert headline.versus_england == (truth.compared or "not compared")
    assert headline.rate == pytest.approx(truth.value)


def truth_label(key: str) -> str:
    from dashboard.domain.substance_groups import label_for

    return label_for(key)


@pytest.mark.parametrize("substance_group", ["all", "opiate"])
def test_district_positions_agree(leicestershire, substance_group):
    engine, app, client = leicestershire
    truth = _assert_same_everywhere(
        engine, app, client, CHARNWOOD, substance_group, PERIOD, "successful_completion_rate"
    )
    assert truth.group_name == "Leicestershire's seven districts"
    pack = gather(engine, CHARNWOOD, PERIOD)
    headline = next(h for h in pack.headlines if h.group == truth_label(substance_group))
    assert headline.position == truth.position_text


def test_a_loaded_annual_rate_per_100000_is_compared_for_its_own_period(leicestershire):
    """The Fingertips district file's indicator, chosen on a page whose period filter says a quarter, is shown
    for its latest year (2017/18) in the district group, with its own unit, and the same everywhere."""
    engine, app, client = leicestershire
    truth = _assert_same_everywhere(engine, app, client, CHARNWOOD, "all", PERIOD, ADMISSIONS)
    assert truth.period == "2017/18" and truth.n == 7 and truth.quartile is not None
    assert truth.indicator.unit == "per 100,000" and truth.indicator.format(truth.value).endswith("per 100,000")


@pytest.mark.parametrize(
    ("indicator", "period"), [("fingertips_40401", "2016 - 18"), ("fingertips_91100", "2014/15 - 18/19")]
)
def test_pooled_periods_agree_on_page_csv_api_and_board_pack(west_sussex, indicator, period):
    engine, app, client = west_sussex
    truth = _assert_same_everywhere(engine, app, client, WEST_SUSSEX, "all", period, indicator)
    assert truth.period == period and truth.group_code == "CIPFA-E10000032" and truth.n == 16
    deck = repository_decks.create_deck(engine, f"Scrutiny {indicator}", "test")
    query = urlencode({"area": WEST_SUSSEX, "period": period, "indicator": indicator})
    repository_decks.add_item(engine, deck, "/compare", query, "Pooled")
    pack = gather(engine, WEST_SUSSEX, period, deck=f"Scrutiny {indicator}")
    chart = next(c for c in pack.charts if c.title == "Pooled")
    assert truth.rank_text in chart.sentence and truth.quartile_text in chart.sentence


def _nested(area: dict) -> bool:
    low95, high95, value = area["lower_ci_95"], area["upper_ci_95"], area["value"]
    if value is None or low95 is None or high95 is None:
        return True
    if not low95 <= value <= high95:
        return False
    if "lower_ci_99_8" not in area:
        return True
    return area["lower_ci_99_8"] <= low95 and high95 <= area["upper_ci_99_8"]


def _check_nested(engine, client, area: str, substance_groups: list[str]) -> int:  # type: ignore[no-untyped-def]
    checked = 0
    for substance_group in substance_groups:
        group = compare.default_group(engine, area, substance_group)
        for spec in compare.indicators_with_group_figures(engine, group.code, substance_group):
            periods = repository_compare.group_indicator_periods(
                engine, group_code=group.code, indicator_key=spec.key, substance_group=substance_group
            )
            for period in periods[:2]:
                params = {
                    "indicator": spec.key,
                    "period": period.label,
                    "area": area,
                    "substance_group": substance_group,
                }
                body = _api(client, **params)
                for served in body["areas"]:
                    assert _nested(served), (params, served)
                    checked += 1
    return checked


def test_every_interval_the_api_serves_is_nested_for_published_figures(west_sussex):
    """lower 99.8% <= lower 95% <= value <= upper 95% <= upper 99.8%, or the 99.8% limits are left out: a
    published age-standardised rate's 99.8% limits are never made up from crude counts."""
    engine, _, client = west_sussex
    assert _check_nested(engine, client, WEST_SUSSEX, ["all"]) > 300
    body = _api(client, indicator="fingertips_40401", period="2016 - 18", area=WEST_SUSSEX)
    assert all("lower_ci_99_8" not in a for a in body["areas"]), "DSR 99.8% limits cannot be computed honestly"
    proportions = _api(client, indicator="fingertips_91100", period="2014/15 - 18/19", area=WEST_SUSSEX)
    assert all("lower_ci_99_8" in a for a in proportions["areas"] if a["value"] is not None), (
        "Wilson limits that reproduce the published 95% interval give honest 99.8% limits too"
    )


def test_every_interval_the_api_serves_is_nested_for_computed_figures(leicestershire):
    engine, _, client = leicestershire
    assert _check_nested(engine, client, LEICESTERSHIRE, substance_group_keys(include_all=True)) > 300


def _fields(component, field: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Texts of the parts of a rendered component tree marked ``data-field=field``."""
    found = []
    if isinstance(component, dict):
        props = component.get("props", {})
        if props.get("data-field") == field:
            children = props.get("children")
            found.append(children if isinstance(children, str) else str(children))
        for value in props.values():
            found += _fields(value, field)
    elif isinstance(component, list):
        for item in component:
            found += _fields(item, field)
    return found


@pytest.mark.parametrize("area", [LEICESTERSHIRE, CHARNWOOD])
def test_overview_cards_state_the_comparison_services_positions(leicestershire, area):
    """The board's first screen: each card's England value, position and quartile are the service's."""
    engine, app, client = leicestershire
    inputs = {"filter-area": area, "filter-substance-group": "all", "filter-provider": "all", "filter-period": PERIOD}
    status, body = post_callback(client, app, "overview-cards", inputs)
    assert status == 200
    cards = body["response"]["overview-cards"]["children"]
    for card in cards:
        key = card["props"]["children"]["props"]["data-group"]
        truth = compare.position(
            engine, indicator="successful_completion_rate", area=area, period=PERIOD, substance_group=key
        )
        (position,) = _fields(card, "position")
        assert position == f"{truth.rank_text} in {truth.group_name}, {truth.quartile_text}"
        (england,) = _fields(card, "england")
        assert england == f"England {truth.benchmark_value:.1f}%"
    headline = body["response"]["overview-headline"]["children"]
    overall = compare.position(
        engine, indicator="successful_completion_rate", area=area, period=PERIOD, substance_group="all"
    )
    assert overall.rank_text in headline and overall.quartile_text in headline


def test_a_loaded_indicator_is_drawn_on_trends_and_districts_with_its_unit(leicestershire):
    """The Fingertips district file (annual, age-standardised rates per 100,000) with no code change: Trends
    draws each district by financial year with the right axis, Districts maps all seven, and a view without
    figures says which exist instead of drawing empty axes."""
    engine, app, client = leicestershire
    base = {"filter-area": LEICESTERSHIRE, "filter-substance-group": "all", "filter-provider": "all"}
    trends = {
        **base,
        "filter-period": PERIOD,
        "trends-indicator": ADMISSIONS,
        "trends-split": "district",
        "trends-years": "all",
        "trends-view": "quarterly",
    }
    status, body = post_callback(client, app, "trends-chart-graph", trends)
    assert status == 200
    figure = body["response"]["trends-chart-graph"]["figure"]
    assert figure["layout"]["yaxis"]["title"]["text"] == "Age-standardised rate per 100,000"
    lines = [t for t in figure["data"] if t.get("mode") == "lines+markers"]
    assert len(lines) == 7 and all(len(t["x"]) == 10 for t in lines)  # 2008/09 to 2017/18
    assert lines[0]["x"][-1] == "2017/18"
    assert "per 100,000" in body["response"]["trends-chart-summary"]["children"]
    status, body = post_callback(client, app, "trends-chart-graph", {**trends, "trends-split": "substance_group"})
    notice = body["response"]["trends-chart-summary"]["children"]
    assert notice.startswith("No figures for Alcohol related admissions (narrow measure) for Leicestershire")
    assert "Figures exist for Blaby, Charnwood" in notice and "financial years 2008/09 to 2017/18" in notice
    assert notice.endswith("Choose 'Split by: District' to see them.")
    assert not body["response"]["trends-chart-graph"]["figure"]["layout"]["xaxis"]["visible"]
    status, body = post_callback(
        client, app, "districts-map-graph", {**base, "filter-period": PERIOD, "districts-indicator": ADMISSIONS}
    )
    assert status == 200
    rows = body["response"]["districts-map-table"]["rowData"]
    assert len(rows) == 7 and all(r["Value"] is not None for r in rows)
    assert "2017/18" in body["response"]["districts-map-summary"]["children"]

"""/api/v1/compare on real published data: West Sussex's CIPFA group, non-opiate completions, 2018."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from dashboard.config import Settings
from dashboard.domain.periods import parse_period
from dashboard.store import writer

FILE = (
    Path(__file__).resolve().parents[1]
    / "fixtures"
    / "fingertips"
    / "wsx_walkthrough_utla_cipfa_neighbours_2018-19_west_sussex_group.csv"
)
GROUP = "CIPFA-E10000032"


def _load_wsx_group(engine) -> pd.DataFrame:
    rows = pd.read_csv(FILE)
    rows = rows[rows["indicator_id"] == 90245].reset_index(drop=True)
    england = rows.iloc[0]
    areas = pd.DataFrame(
        [("E92000001", "England", "england", None)]
        + [(r.area_code, r.area_name, "utla", "E92000001") for r in rows.itertuples()],
        columns=["code", "name", "area_type", "parent_code"],
    )
    observations = pd.DataFrame(
        {
            "indicator": "successful_completion_rate",
            "area_code": [*rows["area_code"], "E92000001"],
            "substance_group": "non_opiate",
            "provider_code": None,
            "numerator": [*rows["numerator"], None],
            "denominator": [*rows["denominator"], None],
            "value": [*rows["value"], england["england_value"]],
            "lower_ci_95": [*rows["lower_ci_95"], england["england_lower_ci_95"]],
            "upper_ci_95": [*rows["upper_ci_95"], england["england_upper_ci_95"]],
        }
    )
    with engine.begin() as conn:
        writer.upsert_areas(conn, areas)
        period_ids = writer.ensure_periods(conn, [parse_period("2018")])
        observations["period_id"] = period_ids[("2018", False)]
        writer.insert_observations(conn, observations)
        writer.add_comparator_group(
            conn,
            {
                "code": GROUP,
                "name": "West Sussex CIPFA nearest neighbours",
                "kind": "cipfa",
                "members": list(rows["area_code"]),
            },
        )
        writer.set_meta(conn, {"home_area": "E10000032"})
        writer.bump_data_version(conn)
    return rows


@pytest.fixture
def loaded(store, tmp_path):
    from dashboard.webapp import create_app

    rows = _load_wsx_group(store)
    url = store.url.render_as_string(hide_password=False)
    app = create_app(Settings(database_url=url, auto_seed_demo=False, log_level="WARNING", instance_dir=tmp_path))
    return app.server.test_client(), rows


def test_somerset_is_third_of_16_top_quartile_better_than_england(loaded):
    client, rows = loaded
    response = client.get(
        f"/api/v1/compare?indicator=successful_completion_rate&substance_group=non_opiate&period=2018"
        f"&group={GROUP}&benchmark=E92000001"
    )
    assert response.status_code == 200
    body = response.get_json()
    assert body["quartiles"]["n"] == 16
    somerset = next(a for a in body["areas"] if a["area_name"] == "Somerset")
    assert somerset["rank"] == 3
    assert somerset["quartile"] == "top"
    assert somerset["compared_to_benchmark"] == "better"
    assert somerset["lower_ci_95"] == pytest.approx(37.9549, abs=1e-4)
    assert somerset["upper_ci_95"] == pytest.approx(47.7536, abs=1e-4)
    assert somerset["distance_to_top_quartile"] == 0
    assert body["benchmark"]["value"] == pytest.approx(34.3774)
    # Ranks as published, best first; bottom-quartile areas are told how far the top quartile is.
    published = dict(zip(rows["area_name"], rows["rank_in_group"].astype(int), strict=True))
    assert {a["area_name"]: a["rank"] for a in body["areas"]} == published
    devon = next(a for a in body["areas"] if a["area_name"] == "Devon")
    assert devon["quartile"] == "bottom" and devon["distance_to_top_quartile"] > 0
    assert body["areas"][0]["area_name"] == "Oxfordshire"


def test_overlap_method_reproduces_the_published_significance(loaded):
    client, rows = loaded
    body = client.get(
        f"/api/v1/compare?indicator=successful_completion_rate&substance_group=non_opiate&period=2018"
        f"&group={GROUP}&method=overlap"
    ).get_json()
    words = {"better": "Significantly higher", "worse": "Significantly lower", "similar": "Similar"}
    got = {a["area_name"]: words[a["compared_to_benchmark"]] for a in body["areas"]}
    assert got == dict(zip(rows["area_name"], rows["significance_vs_england"], strict=True))


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("period=2018&group=G", "indicator"),
        ("indicator=nope&period=2018&group=G", "indicator"),
        ("indicator=successful_completion_rate&period=2018/99&group=G", "period"),
        ("indicator=successful_completion_rate&period=2031&group=G", "period"),
        ("indicator=successful_completion_rate&period=2018&group=NOPE", "group"),
        (
            "indicator=successful_completion_rate&period=2018&group=" + GROUP + "&substance_group=crack",
            "substance_group",
        ),
        ("indicator=successful_completion_rate&period=2018&group=" + GROUP + "&provider=nobody", "provider"),
        ("indicator=successful_completion_rate&period=2018&group=" + GROUP + "&method=vote", "method"),
    ],
)
def test_bad_parameters_get_a_400_naming_the_parameter(loaded, query, parameter):
    client, _ = loaded
    response = client.get(f"/api/v1/compare?{query}")
    assert response.status_code == 400
    assert response.get_json()["parameter"] == parameter
    assert response.get_json()["error"]


def test_data_endpoint_json_and_csv(loaded):
    client, rows = loaded
    somerset = "E10000027"
    base = f"/api/v1/data?indicator=successful_completion_rate&area={somerset}&substance_group=non_opiate"
    body = client.get(f"{base}&period_from=2018&period_to=2018").get_json()
    assert len(body["rows"]) == 1 and body["rows"][0]["numerator"] == 166 and body["rows"][0]["denominator"] == 388
    csv = client.get(f"{base}&period_from=2018&period_to=2018&format=csv")
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    assert csv.get_data(as_text=True).splitlines()[0].startswith("indicator,area_code,period,substance_group")
    assert client.get(f"{base}&period_from=2018&period_to=2018&format=xml").get_json()["parameter"] == "format"
    assert client.get(f"{base}&period_from=x&period_to=2018").get_json()["parameter"] == "period_from"
    assert client.get(base.replace(somerset, "E0") + "&period_from=2018&period_to=2018").status_code == 400

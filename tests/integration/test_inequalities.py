"""Inequalities: the ViewIt export's sex rows for Barnet against all persons, with hand-worked Wilson limits;
the demonstration data's breakdowns through the page callback and the API."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from dashboard.importing import import_file
from dashboard.narrative.inequalities import sentence
from dashboard.services.inequalities import breakdowns_available, inequalities, shares_add_up
from tests.unit.importing.helpers import FIXTURES

BARNET = FIXTURES / "ndtms" / "ndtms_viewit_adult_barnet_2016-17_to_2018-19_slice.csv"
LEICESTERSHIRE = "E10000018"


def test_barnet_by_sex_has_wilson_intervals_and_is_compared_with_all_persons(store):
    assert import_file(store, BARNET).ok
    result = inequalities(store, indicator="successful_completion_rate", area="E09000003", dimension="sex")
    assert result.period == "2017/18" and result.dimensions == [("sex", "Sex")]
    female, male = result.categories
    # Female: 75 of 300 completed. Wilson 95%: (2x + z^2 -/+ z sqrt(z^2 + 4x(1 - x/n))) / 2(n + z^2), z = 1.96,
    # = (153.8416 -/+ 29.6499) / 607.6832 = 20.437% to 30.195%; persons 250/1060 = 23.585% lies inside: similar.
    assert (female.label, female.numerator, female.denominator) == ("Female", 75, 300)
    assert female.lower_95 == pytest.approx(20.437, abs=1e-3) and female.upper_95 == pytest.approx(30.195, abs=1e-3)
    assert result.persons.value == pytest.approx(100 * 250 / 1060)
    assert female.compared == "similar" and male.compared == "similar"
    assert sentence(result) == (
        "In 2017/18, Barnet's successful completion rate was 23.6% for all persons. By sex: Female 25.0% and "
        "Male 23.0% are similar to all persons."
    )


def test_a_count_is_shown_as_shares_of_persons_that_add_up(store):
    assert import_file(store, BARNET).ok
    result = inequalities(store, indicator="in_treatment", area="E09000003", dimension="sex")
    female, male = result.categories
    assert (female.value, male.value, result.persons.value) == (290, 780, 1070)
    assert female.share == pytest.approx(100 * 290 / 1070) and female.compared is None
    assert shares_add_up(result) is True
    assert "of whom 27% Female and 73% Male by sex" in sentence(result)


def test_an_area_with_no_breakdown_says_so(store):
    assert import_file(store, BARNET).ok
    result = inequalities(store, indicator="waits_under_3_weeks", area="E92000001")
    assert result.dimension is None and result.categories == []
    assert "no figures" in sentence(result)


def test_demo_breakdowns_add_up_and_reach_the_api(demo_engine, client):
    by_age = inequalities(
        demo_engine, indicator="in_treatment", area=LEICESTERSHIRE, dimension="age_group", period="2019-20 Q4"
    )
    assert [c.label for c in by_age.categories] == ["18-29", "30-49", "50+"]
    assert sum(c.value for c in by_age.categories) == by_age.persons.value
    held = breakdowns_available(demo_engine, "successful_completion_rate", LEICESTERSHIRE)
    assert [d["dimension"] for d in held] == ["sex", "age_group", "setting"]

    params = {"indicator": "successful_completion_rate", "period": "2019-20 Q4", "area": LEICESTERSHIRE}
    women = client.get("/api/v1/compare?" + urlencode({**params, "sex": "female"})).get_json()
    everyone = client.get("/api/v1/compare?" + urlencode(params)).get_json()
    assert women["breakdown"] == "sex=Female" and everyone["breakdown"] == ""
    prison = client.get("/api/v1/compare?" + urlencode({**params, "setting": "prison"})).get_json()
    assert prison["breakdown"] == "setting=Prison"
    assert [d["dimension"] for d in women["breakdowns_available"]] == ["sex", "age_group", "setting"]
    mine = next(a for a in women["areas"] if a["area_code"] == LEICESTERSHIRE)
    service = next(
        c
        for c in inequalities(
            demo_engine,
            indicator="successful_completion_rate",
            area=LEICESTERSHIRE,
            dimension="sex",
            period="2019-20 Q4",
        ).categories
        if c.label == "Female"
    )
    assert (mine["numerator"], mine["denominator"]) == (service.numerator, service.denominator)
    assert women["benchmark"]["value"] != everyone["benchmark"]["value"]  # England's women, not England

    rows = client.get(
        "/api/v1/data?"
        + urlencode(
            {
                "indicator": "in_treatment",
                "area": LEICESTERSHIRE,
                "period_from": "2019-20 Q1",
                "period_to": "2019-20 Q4",
                "age_group": "18 - 29 yrs",
            }
        )
    ).get_json()["rows"]
    assert {r["breakdown"] for r in rows} == {"age_group=18-29"} and len(rows) == 4


@pytest.mark.parametrize(
    ("query", "parameter"),
    [({"sex": "unknown"}, "sex"), ({"deprivation_decile": "3"}, "breakdown")],
)
def test_a_bad_or_missing_breakdown_is_a_clear_400(client, query, parameter):
    params = {"indicator": "successful_completion_rate", "period": "2019-20 Q4", "area": LEICESTERSHIRE, **query}
    response = client.get("/api/v1/compare?" + urlencode(params))
    assert response.status_code == 400
    body = response.get_json()
    assert body["parameter"] == parameter and body["error"]


def test_the_observations_template_carries_breakdowns_and_refuses_a_bad_one(store, tmp_path):
    assert import_file(store, BARNET).ok
    good = tmp_path / "by_deprivation.csv"
    good.write_text(
        "indicator,area_code,period,substance_group,numerator,denominator,deprivation_decile,sex\n"
        "successful_completion_rate,E09000003,2017/18,all,40,150,Most deprived decile,\n"
        "successful_completion_rate,E09000003,2017/18,all,20,50,10,F\n"
    )
    report = import_file(store, good)
    assert report.ok, report.problem_lines()
    result = inequalities(
        store, indicator="successful_completion_rate", area="E09000003", dimension="deprivation_decile"
    )
    assert [(c.label, c.numerator, c.denominator) for c in result.categories] == [("Decile 1 (most deprived)", 40, 150)]
    crossed = inequalities(
        store, indicator="successful_completion_rate", area="E09000003", dimension="sex;deprivation_decile"
    )
    assert [c.label for c in crossed.categories] == ["Female, Decile 10 (least deprived)"]
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "indicator,area_code,period,numerator,denominator,sex\nsuccessful_completion_rate,E09000003,2017/18,1,2,X\n"
    )
    refused = import_file(store, bad)
    assert not refused.ok
    assert any("'X' is not a sex" in line for line in refused.problem_lines())


@pytest.mark.parametrize(
    ("area", "expected"),
    [(LEICESTERSHIRE, "By sex: Female"), ("E07000130", "has no figures by sex for Charnwood")],
    ids=["partnership", "district-without-breakdowns"],
)
def test_the_page_callback_draws_a_breakdown_or_says_there_is_none(client, demo_app, area, expected):
    from tests.dash_client import post_callback

    inputs = {
        "filter-area": area,
        "filter-substance-group": "all",
        "filter-provider": "all",
        "filter-period": "2019-20 Q4",
        "inequalities-indicator": "successful_completion_rate",
        "inequalities-breakdown": "sex",
    }
    status, body = post_callback(client, demo_app, "inequalities-categories-summary", inputs)
    assert status == 200, body
    summary = body["response"]["inequalities-categories-summary"]["children"]
    assert expected in summary

"""The prison-to-community pathway on the demonstration data (both backends): the steps never grow in any area or
substance group, the last step over the first is continuity of care's own figure, the steps are read in one
query, and the page's callback draws the chart and says the sentence."""

from __future__ import annotations

import dash
import pandas as pd
import pytest

from dashboard.demo.partnership import COMPARATOR_CODES, PARTNERSHIP_CODE
from dashboard.domain.pathways import CONTINUITY_OF_CARE
from dashboard.domain.substance_groups import substance_group_keys
from dashboard.narrative.pathway import sentence
from dashboard.services.compare import ENGLAND, CompareError
from dashboard.services.data import observations
from dashboard.services.pathway import pathway
from dashboard.store import repository
from tests.dash_client import post_callback
from tests.sql_statements import statements

LATEST = "2019-20 Q4"
CHARNWOOD = "E07000130"


def _areas(engine) -> list[str]:  # type: ignore[no-untyped-def]
    districts = [a.code for a in repository.partnership_areas(engine, PARTNERSHIP_CODE) if a.is_district]
    assert len(districts) == 7
    return [PARTNERSHIP_CODE, *districts, *COMPARATOR_CODES, ENGLAND]


def test_the_steps_never_grow_and_end_at_continuity_of_cares_own_figure(demo_engine):
    checked = 0
    for area in _areas(demo_engine):
        for group in substance_group_keys():
            result = pathway(demo_engine, area=area, period=LATEST, substance_group=group)
            assert result is not None, (area, group)
            assert result.period == LATEST and result.missing == () and result.growth == (), (area, group)
            counts = [s.people for s in result.steps]
            assert all(a >= b for a, b in zip(counts, counts[1:], strict=False)), (area, group, counts)
            assert all(s.lost is not None and s.lost >= 0 for s in result.steps[1:]), (area, group)
            stored = observations(
                demo_engine,
                indicator=CONTINUITY_OF_CARE.rate_indicator,
                area=area,
                substance_group=group,
                provider=None,
                period_from=LATEST,
                period_to=LATEST,
            ).iloc[0]
            assert (counts[0], counts[-1]) == (stored["denominator"], stored["numerator"]), (area, group)
            if counts[0] == 0:  # nobody released: no rate, and none is made up
                assert pd.isna(stored["value"]) and result.rate.value is None and result.steps[-1].share is None
                checked += 1
                continue
            assert 100 * counts[-1] / counts[0] == pytest.approx(stored["value"]), (area, group)
            assert result.rate.value == pytest.approx(stored["value"])
            assert result.steps[-1].share == pytest.approx(stored["value"])
            assert result.rate.lower_95 == pytest.approx(stored["lower_ci_95"])
            assert result.rate.upper_95 == pytest.approx(stored["upper_ci_95"])
            checked += 1
    assert checked == 24 * 5


def test_england_is_the_benchmark_and_the_verdict_is_the_comparison_services(demo_engine):
    result = pathway(demo_engine, area=PARTNERSHIP_CODE, period=LATEST, substance_group="all")
    england = pathway(demo_engine, area=ENGLAND, period=LATEST, substance_group="all")
    assert result.rate.england == pytest.approx(england.rate.value)
    assert result.rate.compared in ("better", "similar", "worse")
    said = sentence(result)
    assert said.startswith(f"In Leicestershire, of {result.steps[0].people:,.0f} adults released from prison")
    assert "in the 12 months to March 2020" in said and "England's" in said


def test_the_steps_are_read_in_one_query(demo_engine):
    with statements(demo_engine) as seen:
        pathway(demo_engine, area=PARTNERSHIP_CODE, period=LATEST, substance_group="opiate")
    reads = [s for s in seen if "FROM observations" in s]
    assert len(reads) == 2  # the area's every step, and England's rate
    assert len(seen) <= 5  # with the registry, the area's name and the period


def test_providers_have_their_own_pathway_that_never_grows(demo_engine):
    for provider in repository.partnership_providers(demo_engine, PARTNERSHIP_CODE):
        result = pathway(
            demo_engine, area=PARTNERSHIP_CODE, period=LATEST, substance_group="all", provider=provider.code
        )
        assert result is not None and result.complete, provider.code
        mine = pathway(demo_engine, area=PARTNERSHIP_CODE, period=LATEST, substance_group="all")
        assert result.steps[0].people < mine.steps[0].people


def test_a_year_in_the_period_filter_shows_the_quarter_ending_with_it(demo_engine):
    result = pathway(demo_engine, area=PARTNERSHIP_CODE, period="2019/20", substance_group="all")
    assert result.period == LATEST
    assert result.notes == [
        "There are no pathway figures for 2019/20; showing 2019-20 Q4, the latest period with them."
    ]
    assert result.period_spec.rolling_12m and "in the 12 months to March 2020" in sentence(result)


def test_an_unknown_area_is_named(demo_engine):
    with pytest.raises(CompareError) as error:
        pathway(demo_engine, area="E99999999", period=LATEST, substance_group="all")
    assert error.value.parameter == "area"


@pytest.mark.parametrize("area", [PARTNERSHIP_CODE, CHARNWOOD], ids=["partnership", "district"])
def test_the_page_callback_draws_the_pathway_and_says_it(client, demo_app, demo_engine, area):
    inputs = {
        "filter-area": area,
        "filter-substance-group": "opiate",
        "filter-provider": "all",
        "filter-period": LATEST,
    }
    status, body = post_callback(client, demo_app, "pathway-chart-summary", inputs)
    assert status == 200, body
    response = body["response"]
    expected = pathway(demo_engine, area=area, period=LATEST, substance_group="opiate")
    assert response["pathway-chart-summary"]["children"] == sentence(expected)
    figure = response["pathway-chart-graph"]["figure"]
    assert [t["name"] for t in figure["data"]] == ["People at this step", "Lost since the step before"]
    assert len(figure["layout"]["annotations"]) == len(CONTINUITY_OF_CARE.steps)
    rows = response["pathway-chart-table"]["rowData"]
    assert [r["Step"] for r in rows] == [s.label for s in CONTINUITY_OF_CARE.steps]
    assert [r["People"] for r in rows] == [s.people for s in expected.steps]
    assert not any(s.small for s in expected.steps)  # a view with every step drawn
    link = response["pathway-trends-link"]["href"]
    assert link.startswith("/trends?indicator=continuity_of_care&") and f"area={area}" in link


def test_the_page_links_to_the_rate_on_trends_and_its_definition(client):
    page = client.get("/pathway")
    assert page.status_code == 200
    layout = dash.page_registry["dashboard.pages.pathway"]["layout"]
    with client.application.test_request_context("/"):
        text = str(layout(area=CHARNWOOD))
    assert "/definitions/continuity_of_care" in text and "/trends?indicator=continuity_of_care" in text
    assert "area=E07000130" in text

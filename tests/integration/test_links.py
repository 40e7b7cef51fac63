"""A link with a misspelt or unknown parameter says so on the page, instead of being silently ignored."""

from __future__ import annotations

import json

import dash
import pytest
from plotly.utils import PlotlyJSONEncoder


def _notes(client, page: str, **query: str) -> str:  # type: ignore[no-untyped-def]
    layout = dash.page_registry[f"dashboard.pages.{page}"]["layout"]
    with client.application.test_request_context("/"):
        component = layout(**query)
    return json.dumps(component, cls=PlotlyJSONEncoder)


@pytest.mark.parametrize("page", ["overview", "trends", "compare", "districts", "providers", "actions", "decks"])
def test_a_misspelt_parameter_is_named_with_a_suggestion(client, page):
    text = _notes(client, page, aera="E07000130")
    assert "The link's 'aera' was not understood and was ignored. Did you mean 'area'?" in text


@pytest.mark.parametrize(
    ("page", "query", "expected"),
    [
        ("compare", {"indicator": "bogus"}, "The link's indicator 'bogus' is not available here; showing Successful"),
        ("compare", {"group": "NOPE"}, "The link's comparator group 'NOPE' is not available here; showing "),
        ("trends", {"indicator": "bogus"}, "The link's indicator 'bogus' is not available here; showing Successful"),
        ("trends", {"view": "weekly"}, "The link's view 'weekly' is not available here; showing quarterly."),
        ("trends", {"chart": "pie"}, "The link's chart 'pie' is not available here; showing standard."),
        ("trends", {"project": "decade"}, "The link's projection 'decade' is not available here; showing none."),
        ("districts", {"indicator": "bogus"}, "The link's indicator 'bogus' is not available here"),
        ("actions", {"rag": "purple"}, "The link's rating 'purple' is not in this plan; showing all."),
        ("actions", {"theme": "99"}, "The link's theme '99' is not in this plan; showing all."),
        ("actions", {"plan": "987654"}, "There is no action plan '987654'; showing the latest, "),
    ],
)
def test_an_unknown_value_is_named(client, page, query, expected):
    assert expected in _notes(client, page, **query)


def test_a_good_link_gets_no_notes(client):
    text = _notes(client, "trends", area="E07000130", indicator="successful_completion_rate", view="annual")
    assert "was not understood" not in text and "is not available here" not in text


@pytest.mark.parametrize(
    "key",
    [
        "successful_completion_rate",
        "in_treatment",
        "representation_rate",
        "young_people_in_treatment",
        "continuity_of_care",
        "deaths_in_treatment",
    ],
)
def test_every_indicator_has_a_definitions_page(client, key):
    response = client.get(f"/definitions/{key}")
    assert response.status_code == 200
    text = _definition(client, key)
    for heading in ("What it measures", "How it is calculated", "Confidence intervals", "Compared with England"):
        assert heading in text
    assert "demonstration data" in text.lower()


def _definition(client, key: str) -> str:  # type: ignore[no-untyped-def]
    layout = dash.page_registry["dashboard.pages.definitions"]["layout"]
    with client.application.test_request_context("/"):
        return json.dumps(layout(key=key), cls=PlotlyJSONEncoder)


def test_definitions_state_the_registrys_rules(client):
    assert "Wilson score method at 95% and 99.8%" in _definition(client, "successful_completion_rate")
    assert "Higher is better." in _definition(client, "successful_completion_rate")
    assert "Lower is better." in _definition(client, "representation_rate")
    assert "Quarterly (rolling 12 months): 2012-13 Q1 to 2019-20 Q4" in _definition(client, "in_treatment")
    assert "There is no indicator 'nope'" in _definition(client, "nope")
    assert "Making Data Count" in _definition(client, "successful_completion_rate")  # how the SPC option works
    assert "2.66 times the mean moving range" in _definition(client, "in_treatment")


def test_definitions_name_each_indicators_own_source_licence_and_caveats(client):
    text = _definition(client, "unmet_need_alcohol")
    assert "Fingertips, indicator 93532" in text and "Open Government Licence v3.0" in text
    assert "Known caveats" in text and "pairs a recent count in treatment with an older estimate" in text
    deaths = _definition(client, "deaths_in_treatment")
    assert "deaths from any cause while in treatment, not only drug-related deaths" in deaths
    assert "National Combating Drugs Outcomes Framework" in deaths and "Fingertips, indicator" not in deaths


@pytest.mark.parametrize("page", ["trends", "compare", "districts", "providers"])
def test_pages_with_an_indicator_link_to_its_definition(client, page):
    text = _notes(client, page, indicator="representation_rate")
    assert '"href": "/definitions/representation_rate"' in text

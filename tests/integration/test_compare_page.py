"""The "How we compare" page through the Flask test client, on the demonstration data."""

from dashboard.services.compare import compare_group
from dashboard.stats import rank_label
from tests.dash_client import post_callback

INPUTS = {
    "filter-area": "E10000018",
    "filter-substance-group": "opiate",
    "filter-provider": "all",
    "filter-period": "2019-20 Q4",
    "compare-indicator": "successful_completion_rate",
    "compare-group": "DEMO-LEICS-COUNTIES",
    "compare-method": "default",
}


def test_compare_callback_positions_the_partnership(client, demo_app, demo_engine):
    status, body = post_callback(client, demo_app, "compare-callout", INPUTS)
    assert status == 200
    response = body["response"]
    expected = compare_group(
        demo_engine,
        indicator="successful_completion_rate",
        period="2019-20 Q4",
        group="DEMO-LEICS-COUNTIES",
        substance_group="opiate",
    )
    row = expected.areas[expected.areas["area_code"] == "E10000018"].iloc[0]
    callout = " ".join(
        str(part) if isinstance(part, str) else part["props"]["children"]
        for part in response["compare-callout"]["children"]
    )
    assert rank_label(row["rank"], 16) in callout and "Leicestershire" in callout
    if row["quartile"] != "top":
        assert f"{int(row['distance_to_top_quartile']):,} more successful completion" in callout
    ranked = response["compare-ranked-table"]["rowData"]
    assert len(ranked) == 16 and ranked[0]["Rank"] == 1
    spine = response["compare-spine-table"]["rowData"]
    assert {r["Indicator"] for r in spine} >= {"Successful completion rate", "Waits under 3 weeks"}
    assert "quartile" in response["compare-history-summary"]["children"]
    assert "99.8% limit" in response["compare-funnel-summary"]["children"]


def test_a_district_is_compared_with_the_other_districts(client, demo_app):
    status, body = post_callback(
        client, demo_app, "compare-group.options", {"filter-area": "E07000130", "compare-group": "DEMO-LEICS-COUNTIES"}
    )
    assert status == 200
    groups = body["response"]["compare-group"]
    assert groups["value"] == "DEMO-LEICS-DISTRICTS"
    status, body = post_callback(
        client,
        demo_app,
        "compare-callout",
        {**INPUTS, "filter-area": "E07000130", "compare-group": "DEMO-LEICS-DISTRICTS"},
    )
    assert status == 200
    assert "Charnwood" in str(body["response"]["compare-callout"]["children"])
    assert "of 7" in str(body["response"]["compare-callout"]["children"])


def test_loc_clusters_are_offered_for_their_own_substance_group_first(client, demo_app):
    status, body = post_callback(
        client,
        demo_app,
        "compare-group.options",
        {"filter-area": "E10000018", "filter-substance-group": "alcohol", "compare-group": None},
    )
    assert status == 200
    options = [o["value"] for o in body["response"]["compare-group"]["options"]]
    assert options[0] == "DEMO-LOC-ALCOHOL" and body["response"]["compare-group"]["value"] == "DEMO-LOC-ALCOHOL"
    assert "DEMO-LOC-OPIATE" not in options and "DEMO-LEICS-COUNTIES" in options


def test_periods_found_together_are_the_periods_found_one_by_one(demo_engine):
    """``find_periods`` (one query, for How we compare's history) answers as ``find_period`` does label by label:
    the rolling 12-month quarter before a plain one, and nothing for a label not held."""
    from dashboard.store import repository_compare as repo

    labels = ["2019-20 Q4", "2018-19 Q1", "1999-00 Q1", "2019-20 Q4"]
    found = repo.find_periods(demo_engine, labels)
    assert set(found) == {"2019-20 Q4", "2018-19 Q1"}
    for label in labels:
        assert found.get(label) == repo.find_period(demo_engine, label)
    assert found["2019-20 Q4"].rolling_12m
    assert repo.find_periods(demo_engine, []) == {}

"""How we compare answers a change of area or substance group in one request: the groups offered, the group chosen
and every chart for it (issue 16: the groups and the charts used to come in two round trips)."""

from __future__ import annotations

from tests.dash_client import post_callback
from tests.integration.test_compare_page import INPUTS
from tests.sql_statements import statements

CHARTS = ("compare-spine", "compare-ranked", "compare-funnel", "compare-history")


def test_one_callback_writes_the_group_and_every_chart(demo_app):
    writers = [key for key in demo_app.callback_map if "compare-group.value" in key]
    assert len(writers) == 1, writers
    (key,) = writers
    assert "compare-callout.children" in key and all(f"{chart}-graph.figure" in key for chart in CHARTS)
    inputs = [i["id"] for i in demo_app.callback_map[key]["inputs"]]
    assert {"filter-area", "filter-substance-group", "compare-group"} <= set(inputs)


def test_a_group_no_longer_offered_is_replaced_by_the_default_with_its_charts(client, demo_app):
    """Charnwood is not in the group of county partnerships: the one answer brings the districts group and the
    charts ranking Charnwood among the seven districts."""
    status, body = post_callback(client, demo_app, "compare-callout", {**INPUTS, "filter-area": "E07000130"})
    assert status == 200
    response = body["response"]
    assert response["compare-group"]["value"] == "DEMO-LEICS-DISTRICTS"
    offered = [o["value"] for o in response["compare-group"]["options"]]
    assert "DEMO-LEICS-DISTRICTS" in offered and "DEMO-LEICS-COUNTIES" not in offered
    callout = str(response["compare-callout"]["children"])
    assert "Charnwood" in callout and "of 7" in callout
    assert len(response["compare-ranked-table"]["rowData"]) == 7
    assert all(response[f"{chart}-graph"]["figure"]["data"] for chart in CHARTS)


def test_the_answer_is_the_same_as_asking_for_the_default_group_itself(client, demo_app):
    """The replaced group's charts say exactly what the page says when the default group is chosen outright."""
    _, replaced = post_callback(client, demo_app, "compare-callout", {**INPUTS, "filter-area": "E07000130"})
    _, chosen = post_callback(
        client,
        demo_app,
        "compare-callout",
        {**INPUTS, "filter-area": "E07000130", "compare-group": "DEMO-LEICS-DISTRICTS"},
    )
    assert replaced["response"] == chosen["response"]


def test_a_group_still_offered_is_kept(client, demo_app):
    status, body = post_callback(
        client,
        demo_app,
        "compare-callout",
        {**INPUTS, "filter-substance-group": "alcohol", "compare-group": "ALL-PARTNERSHIPS"},
    )
    assert status == 200
    response = body["response"]
    assert response["compare-group"]["value"] == "ALL-PARTNERSHIPS"
    assert response["compare-group"]["options"][0]["value"] == "DEMO-LOC-ALCOHOL"  # the default stays first


def test_one_answer_reads_each_piece_of_reference_data_once(client, demo_app, demo_engine):
    """The services behind the one answer each ask for the registry, the groups and the group's periods; in one
    view (``store.read_scope``) each is read from the store once (at a version no view has read yet: later views of
    the same version share these reads)."""
    from dashboard.cache import cache
    from dashboard.store.comparisons_dao import bump_keeping_comparisons

    with demo_engine.begin() as conn:
        bump_keeping_comparisons(conn)
    with demo_app.server.app_context():
        cache.clear()  # drawn afresh, not answered from the cache
    with statements(demo_engine) as seen:
        status, _ = post_callback(client, demo_app, "compare-callout", {**INPUTS, "compare-method": "overlap"})
    assert status == 200
    seen = [s.replace('"', "").lstrip() for s in seen]  # SQLite quotes "key", PostgreSQL does not
    registry = [s for s in seen if s.startswith("SELECT indicators.key, indicators.name")]
    periods = [s for s in seen if "group_indicator_periods" in s]
    groups = [s for s in seen if s.startswith("SELECT comparator_groups.code, comparator_groups.name")]
    all_groups = [s for s in groups if "areas.code" not in s]  # the area's groups are another read
    assert (len(registry), len(periods), len(all_groups)) == (1, 1, 1), [s[:150] for s in seen]

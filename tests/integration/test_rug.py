"""The tartan rug (/rug): every cell is the comparison service's (or the Districts service's) answer, laid out, never
re-judged; its sentence counts those answers; the page's callback serves the grid, its pinned benchmark row and a
download, on the demonstration data."""

from __future__ import annotations

import pytest

from dashboard.domain.indicators import IndicatorSpec
from dashboard.narrative.rug import rug_sentence
from dashboard.services.compare import compare_group, indicators_with_group_figures
from dashboard.services.districts import districts
from dashboard.services.filters import FilterState, load_filter_options
from dashboard.services.rug import DISTRICTS, GROUP, Rug, RugCell, RugColumn, RugRow, districts_rug, group_rug
from tests.dash_client import post_callback

LEICS = "E10000018"
MELTON = "E07000133"
GROUP_CODE = "DEMO-LEICS-COUNTIES"
PERIOD = "2019-20 Q4"
INPUTS = {
    "filter-area": LEICS,
    "filter-substance-group": "opiate",
    "filter-provider": "all",
    "filter-period": PERIOD,
    "rug-mode": GROUP,
    "rug-group": GROUP_CODE,
    "rug-method": "default",
}


@pytest.fixture(scope="module")
def opiate_rug(demo_engine) -> Rug:  # type: ignore[no-untyped-def]
    return group_rug(demo_engine, area=LEICS, period=PERIOD, group=GROUP_CODE, substance_group="opiate")


def test_every_cell_is_the_comparison_services_answer(demo_engine, opiate_rug):
    offered = [s.key for s in indicators_with_group_figures(demo_engine, GROUP_CODE, "opiate")]
    assert [c.key for c in opiate_rug.columns] == offered and len(offered) >= 10
    assert opiate_rug.rows[0].reference and opiate_rug.rows[0].area_name == "England"
    assert len(opiate_rug.areas) == 16 and [r.area_code for r in opiate_rug.areas if r.chosen] == [LEICS]
    for column in opiate_rug.columns:
        comparison = compare_group(
            demo_engine, indicator=column.key, period=PERIOD, group=GROUP_CODE, substance_group="opiate"
        )
        assert opiate_rug.rows[0].cell(column.key).value == pytest.approx(comparison.benchmark["value"])
        for r in comparison.areas.itertuples():
            cell = opiate_rug.row(r.area_code).cell(column.key)
            expected = r.compared_to_benchmark if isinstance(r.compared_to_benchmark, str) else None
            assert cell.significance == expected, (column.key, r.area_name)
            if not cell.suppressed:
                assert cell.value == pytest.approx(r.value)
                assert cell.display == comparison.indicator.format(r.value)
    # Counts carry no interval against England here: the service does not compare them, and neither does the rug.
    counts = [c.key for c in opiate_rug.columns if c.is_count]
    assert counts and all(opiate_rug.row(LEICS).cell(k).significance is None for k in counts)


def test_the_overlap_rule_is_the_services_too(demo_engine):
    rug = group_rug(demo_engine, area=LEICS, period=PERIOD, group=GROUP_CODE, substance_group="all", method="overlap")
    comparison = compare_group(
        demo_engine,
        indicator="successful_completion_rate",
        period=PERIOD,
        group=GROUP_CODE,
        substance_group="all",
        method="overlap",
    )
    for r in comparison.areas.itertuples():
        assert rug.row(r.area_code).cell("successful_completion_rate").significance == r.compared_to_benchmark


def test_districts_cells_are_the_districts_services_answer(demo_engine):
    options = load_filter_options(demo_engine)
    state = FilterState(area=MELTON, substance_group="alcohol", provider=None, period=PERIOD)
    rug = districts_rug(demo_engine, state, options)
    assert rug.mode == DISTRICTS and rug.rows[0].reference and rug.rows[0].area_code == LEICS
    assert {r.area_name for r in rug.areas} == {a.name for a in options.areas if a.is_district}
    assert [r.area_code for r in rug.areas if r.chosen] == [MELTON]
    data = districts(demo_engine, state, options, "successful_completion_rate")
    assert rug.rows[0].cell("successful_completion_rate").value == pytest.approx(data.partnership_value)
    for r in data.latest.itertuples():
        cell = rug.row(r.area_code).cell("successful_completion_rate")
        assert cell.value == pytest.approx(r.value) and cell.significance == r.compared_to_partnership
    assert "Melton is significantly better than Leicestershire as a whole on" in rug_sentence(rug)


def test_the_sentence_counts_the_chosen_areas_cells(opiate_rug):
    mine = opiate_rug.row(LEICS)
    words = [mine.cell(c.key).significance for c in opiate_rug.columns]
    sentence = rug_sentence(opiate_rug)
    assert sentence.startswith(
        f"Across {len(opiate_rug.columns)} indicators, Leicestershire is significantly better than England on "
        f"{words.count('better')}, similar on {words.count('similar')} and worse on {words.count('worse')}."
    )
    assert f"{words.count(None)} are not compared" in sentence


def _spec(key: str, value_type: str = "proportion", polarity: str = "high_good") -> IndicatorSpec:
    unit = "%" if value_type == "proportion" else "count"
    return IndicatorSpec(key=key, name=key, short_name=key.title(), unit=unit, value_type=value_type, polarity=polarity)


def _row(code: str, name: str, words: list[str | None], chosen: bool = False) -> RugRow:
    cells = {f"i{n}": RugCell(10.0, "10.0%", w) for n, w in enumerate(words)}
    return RugRow(code, name, False, chosen, cells)


def _columns(count: int) -> list[RugColumn]:
    return [RugColumn(f"i{n}", f"I{n}", f"I{n}", "high_good", False, PERIOD) for n in range(count)]


def test_the_sentence_by_hand():
    england = RugRow("E92000001", "England", True, False, {})
    rows = [england, _row("A", "Ashby", ["better", "similar", "worse", "similar", None], chosen=True)]
    rug = Rug(GROUP, "England", "a group", "A", _columns(5), rows)
    assert rug_sentence(rug) == (
        "Across 5 indicators, Ashby is significantly better than England on 1, similar on 2 and worse on 1. "
        "1 is not compared (counts, or figures without an interval)."
    )
    neutral = Rug(GROUP, "England", "a group", "A", _columns(2), [england, _row("A", "Ashby", ["higher", None], True)])
    assert rug_sentence(neutral) == (
        "Across 2 indicators, none says whether Ashby does better or worse than England. On indicators with no "
        "better or worse direction it is significantly higher on 1 and lower on 0. 1 is not compared (counts, or "
        "figures without an interval)."
    )
    whole = RugRow("P", "Shire", True, False, {})
    rows = [whole, _row("A", "Ashby", ["better", "worse"]), _row("B", "Bourne", ["similar", "similar"])]
    together = Rug(DISTRICTS, "Shire", "Shire's districts", "P", _columns(2), rows)
    assert rug_sentence(together) == (
        "Across 2 indicators and 2 districts, against Shire as a whole: 1 figure significantly better, 2 similar "
        "and 1 worse. Significantly worse on at least one indicator: Ashby."
    )
    assert rug_sentence(Rug(GROUP, "England", "a group", "A", [], [england])) == (
        "There are no figures for a group for this choice."
    )


def test_a_small_count_is_withheld():
    from dashboard.services.rug import _cell

    cell = _cell(_spec("young", "count", "none"), 3.0, None)
    assert cell.display == "*" and cell.value is None and cell.suppressed
    assert _cell(_spec("young", "count", "none"), 0.0, None).display == "0"
    assert _cell(_spec("rate"), 3.0, "better").display == "3.0%"


def test_the_page_serves_the_grid_with_england_pinned_first(client, demo_app, opiate_rug):
    status, body = post_callback(client, demo_app, "rug-sentence", INPUTS)
    assert status == 200
    response = body["response"]
    sentence = " ".join(
        p if isinstance(p, str) else p["props"]["children"] for p in response["rug-sentence"]["children"]
    )
    assert rug_sentence(opiate_rug) in sentence
    table = response["rug-grid-table"]
    headers = [c["headerName"] for c in table["columnDefs"]]
    assert headers == ["Area", *[c.short_name for c in opiate_rug.columns]]
    assert len(table["rowData"]) == 16
    pinned = table["dashGridOptions"]["pinnedTopRowData"]
    assert [r["area"] for r in pinned] == ["England"] and pinned[0]["reference"]
    chosen = [r for r in table["rowData"] if r["chosen"]]
    assert len(chosen) == 1 and chosen[0]["area"] == "▶ Leicestershire (chosen area)"
    rate = headers.index("Successful completion rate") - 1
    cell = opiate_rug.row(LEICS).cell("successful_completion_rate")
    assert chosen[0][f"c{rate}"] == pytest.approx(cell.value)
    assert chosen[0][f"c{rate}_sig"] == cell.significance
    assert chosen[0][f"c{rate}_text"].split("\n")[0] == cell.display
    links = str(response["rug-definitions"]["children"])
    assert "/definitions/successful_completion_rate" in links
    download = next(v for k, v in response.items() if "chart-data" in k)["data"]
    assert download["columns"][:3] == [
        "Area",
        f"Numbers in treatment ({PERIOD})",
        "Numbers in treatment: compared with England",
    ]
    assert [r["Area"] for r in download["records"]][:1] == ["England"] and len(download["records"]) == 17


def test_the_districts_grid_through_the_page(client, demo_app):
    status, body = post_callback(
        client, demo_app, "rug-sentence", {**INPUTS, "filter-area": MELTON, "rug-mode": DISTRICTS}
    )
    assert status == 200
    table = body["response"]["rug-grid-table"]
    assert table["columnDefs"][0]["headerName"] == "District" and len(table["rowData"]) == 7
    assert [r["area"] for r in table["dashGridOptions"]["pinnedTopRowData"]] == ["Leicestershire"]
    assert "Melton is significantly better than Leicestershire as a whole" in str(body["response"]["rug-sentence"])


def test_one_request_brings_the_groups_and_the_rug(client, demo_app):
    """As on How we compare: one callback writes the group dropdown and the rug, so a new area is one request.
    Charnwood is not in the county group: the answer brings the districts group and the rug of its seven areas."""
    writers = [key for key in demo_app.callback_map if "rug-group.value" in key]
    assert len(writers) == 1 and "rug-sentence.children" in writers[0], writers
    status, body = post_callback(client, demo_app, "rug-sentence", {**INPUTS, "filter-area": "E07000130"})
    assert status == 200, body
    response = body["response"]
    assert response["rug-group"]["value"] == "DEMO-LEICS-DISTRICTS"
    assert "DEMO-LEICS-COUNTIES" not in [o["value"] for o in response["rug-group"]["options"]]
    _, chosen = post_callback(
        client, demo_app, "rug-sentence", {**INPUTS, "filter-area": "E07000130", "rug-group": "DEMO-LEICS-DISTRICTS"}
    )
    assert chosen["response"] == response  # the same rug as choosing the districts group outright

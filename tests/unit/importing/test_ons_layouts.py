"""The ONS layouts on tiny inline files: a wide table (code, name, one column per year) and an SDG long file."""

from __future__ import annotations

import math

import pandas as pd

from dashboard.importing import ons_sdg, ons_wide
from dashboard.importing.formats import choose_layout
from dashboard.importing.problems import Problems
from dashboard.importing.reading import read_table
from dashboard.importing.state import StoreState
from tests.unit.importing.helpers import LEICESTERSHIRE


def _state() -> StoreState:
    return StoreState(LEICESTERSHIRE.copy(), {}, {}, {"all"}, {})


def _read(text: str):
    problems = Problems()
    table = read_table(text.encode(), "f.csv", problems)
    layout = choose_layout(table, "auto", problems)
    return layout, layout.read(table, _state())


def test_wide_table_gives_one_count_per_area_and_year_and_skips_areas_not_held():
    layout, batch = _read(
        "code,name,2020,2019\n"
        "K04000001,ENGLAND AND WALES,4561,4393\n"
        "E92000001,ENGLAND,4312,4115\n"
        "E10000018,Leicestershire,40,:\n"
        "W06000001,Isle of Anglesey,3,2\n"
    )
    assert layout.read.func is ons_wide.read_wide
    assert not batch.problems
    obs = batch.observations.set_index(["area_code", "period_label"])["value"]
    assert obs.to_dict() == {
        ("E92000001", "2020"): 4312,
        ("E10000018", "2020"): 40,
        ("E92000001", "2019"): 4115,
    }
    assert set(batch.observations["indicator"]) == {"drug_poisoning_deaths"}
    assert {spec.kind for spec in batch.periods.values()} == {"calendar_year"}
    assert any("2 rows for areas the dashboard does not hold" in w for w in batch.warnings)
    assert batch.new_indicators[0]["polarity"] == "low_good"


def test_wide_table_without_year_columns_is_a_problem_not_a_crash():
    _layout, batch = _read("code,name,total\nE92000001,England,3\n")
    assert batch.problems and batch.observations is None


def test_wide_table_reports_text_in_a_year_column():
    _layout, batch = _read("code,name,2020\nE92000001,England,many\n")
    assert any("'many' is not a number" in str(p) for p in batch.problems.shown())


def test_sdg_file_matches_blank_codes_by_name_joins_met_need_and_keeps_deciles_as_breakdowns():
    head = "Year,Series,Units,Local Authority,Deprivation decile,Unit multiplier,Unit measure,GeoCode,Value\n"
    rows = [
        "2018/19,Alcohol - Estimated prevalence,Number,Leicestershire,,Units,Number,,5468.333333",
        "2018/19,Alcohol - People in treatment,Number,Leicestershire,,Units,Number,,950.0",
        "2018/19,Alcohol - Met need,Percentage (%),Leicestershire,,Units,Percentage (%),,17.37275221",
        "2018/19,Alcohol - Met need,Percentage (%),Bedfordshire (Discontinued),,Units,Percentage (%),,20.0",
        "2018/19,Alcohol - Met need,Percentage (%),,,Units,Percentage (%),,17.6",
        "2018/19,Alcohol - Met need,Percentage (%),,Decile 9,Units,Percentage (%),,17.4",
    ]
    layout, batch = _read(head + "\n".join(rows) + "\n")
    assert layout.read is ons_sdg.read_sdg
    assert not batch.problems
    split = batch.observations[batch.observations["breakdown"] != ""]
    assert split[["area_code", "breakdown", "value"]].values.tolist() == [["E92000001", "deprivation_decile=9", 17.4]]
    obs = batch.observations[batch.observations["breakdown"] == ""].set_index(["indicator", "area_code"])
    met = obs.loc[("alcohol_met_need", "E10000018")]
    assert (met["value"], met["numerator"], met["denominator"]) == (17.37275221, 950.0, 5468.333333)
    assert obs.loc[("alcohol_met_need", "E92000001"), "value"] == 17.6
    assert math.isnan(obs.loc[("alcohol_met_need", "E92000001"), "numerator"])
    assert len(obs) == 4
    assert set(pd.Series([k["key"] for k in batch.new_indicators])) == {
        "alcohol_met_need",
        "alcohol_in_treatment",
        "alcohol_dependency_estimate",
    }
    assert next(k for k in batch.new_indicators if k["key"] == "alcohol_met_need")["interval_method"] == "wilson"
    warnings = " ".join(batch.warnings)
    assert "decile" not in warnings
    assert "Bedfordshire (Discontinued)" in warnings
    assert {spec.kind for spec in batch.periods.values()} == {"financial_year"}

"""Issue 13: two real England-wide ONS files load through ``import_file`` as they are, on both backends.

The files live beside the repository (../shared/data/england); without them these tests are skipped. Expected
figures are read from the files themselves, never typed from the store.
"""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.importing import import_file
from dashboard.services.compare import compare_group
from tests.unit.importing.helpers import SHARED_DATA, figures, write_file

ENGLAND_DIR = SHARED_DATA / "england"
SDG = ENGLAND_DIR / "ons_sdg_3-5-1_alcohol_prevalence_treatment_metneed_by_la_2010-11_to_2018-19.csv"
POISONING = ENGLAND_DIR / "ons_drug_poisoning_deaths_registrations_by_la_1993-2020.csv"
# East Midlands counties and unitaries (Northamptonshire, abolished in 2021, matches no area and is skipped).
EAST_MIDLANDS = {
    "E06000015": "Derby",
    "E06000016": "Leicester",
    "E06000017": "Rutland",
    "E06000018": "Nottingham",
    "E10000007": "Derbyshire",
    "E10000018": "Leicestershire",
    "E10000019": "Lincolnshire",
    "E10000024": "Nottinghamshire",
}


def _needs(path):
    return pytest.mark.skipif(not path.exists(), reason=f"{path} is not here (it lives beside the repository)")


def _raw_sdg() -> pd.DataFrame:
    raw = pd.read_csv(SDG, dtype=str, keep_default_na=False)
    return raw[raw["Deprivation decile"] == ""]


def _file_value(raw: pd.DataFrame, name: str, series: str, year: str) -> float:
    rows = raw[(raw["Local Authority"] == name) & (raw["Series"] == series) & (raw["Year"] == year)]
    return float(rows["Value"].iloc[0])


@_needs(SDG)
def test_sdg_alcohol_file_loads_met_need_with_its_counts_and_reloads_as_no_change(store):
    report = import_file(store, SDG)
    assert report.ok, report.problem_lines()[:5]
    assert report.file_format == "ons" and report.variant == "ONS SDG indicator file"
    assert not any("decile" in w for w in report.warnings)  # England's deciles are kept, as a breakdown
    assert any("Bedfordshire (Discontinued)" in w for w in report.warnings)  # abolished: skipped, not failed
    got = figures(store).set_index(["indicator", "area_code", "period"])
    raw = _raw_sdg()

    met = got.loc[("alcohol_met_need", "E10000018", "2018/19")]  # Leicestershire has no GeoCode in the file
    assert met["value"] == pytest.approx(_file_value(raw, "Leicestershire", "Alcohol - Met need", "2018/19"))
    treated = _file_value(raw, "Leicestershire", "Alcohol - People in treatment", "2018/19")
    estimate = _file_value(raw, "Leicestershire", "Alcohol - Estimated prevalence", "2018/19")
    assert (met["numerator"], met["denominator"]) == (pytest.approx(treated), pytest.approx(estimate))
    assert got.loc[("alcohol_in_treatment", "E10000018", "2018/19"), "value"] == treated == 950
    assert got.loc[("alcohol_dependency_estimate", "E10000018", "2018/19"), "value"] == pytest.approx(estimate)

    # Other rows with no GeoCode, matched on their names ('Bristol, City of' is Bristol in the ONS lookup).
    for code, name in (("E06000023", "Bristol, City of"), ("E10000007", "Derbyshire"), ("E10000030", "Surrey")):
        value = got.loc[("alcohol_met_need", code, "2017/18"), "value"]
        assert value == pytest.approx(_file_value(raw, name, "Alcohol - Met need", "2017/18"))
    # England: the rows with neither a code nor a name.
    assert got.loc[("alcohol_in_treatment", "E92000001", "2018/19"), "value"] == 104153
    # England by deprivation decile: the file counts 10 as the most deprived; stored the usual way, 1 most deprived.
    deciles = figures(store, breakdowns=True).set_index(["indicator", "area_code", "period", "breakdown"])
    every = pd.read_csv(SDG, dtype=str, keep_default_na=False)
    most = every[
        (every["Deprivation decile"] == "Decile 10 (most deprived)") & (every["Series"] == "Alcohol - Met need")
    ]
    least = every[
        (every["Deprivation decile"] == "Decile 1 (least deprived)") & (every["Series"] == "Alcohol - Met need")
    ]
    first = deciles.loc[("alcohol_met_need", "E92000001", "2018/19", "deprivation_decile=1")]
    assert first["value"] == pytest.approx(float(most["Value"].iloc[0]))
    assert (first["numerator"], first["denominator"]) == (12655, pytest.approx(78247.666667))
    tenth = deciles.loc[("alcohol_met_need", "E92000001", "2018/19", "deprivation_decile=10"), "value"]
    assert tenth == pytest.approx(float(least["Value"].iloc[0]))
    # Rows with a GeoCode keep it.
    coded = raw[(raw["GeoCode"] == "E09000002") & (raw["Series"] == "Alcohol - Met need") & (raw["Year"] == "2018/19")]
    assert got.loc[("alcohol_met_need", "E09000002", "2018/19"), "value"] == pytest.approx(
        float(coded["Value"].iloc[0])
    )

    again = import_file(store, SDG)
    assert again.ok and (again.rows_added, again.rows_replaced) == (0, 0)
    assert again.rows_unchanged == report.rows_added


@_needs(SDG)
def test_how_we_compare_ranks_leicestershire_alcohol_met_need_2018_19(store, tmp_path):
    assert import_file(store, SDG).ok
    groups = "group_code,group_name,area_code\n" + "".join(
        f"EM-UTLA,East Midlands partnerships,{code}\n" for code in EAST_MIDLANDS
    )
    assert import_file(store, write_file(tmp_path, "groups.csv", groups)).ok

    comparison = compare_group(store, indicator="alcohol_met_need", period="2018/19", group="EM-UTLA")
    position = comparison.position("E10000018")
    raw = _raw_sdg()
    values = {c: _file_value(raw, n, "Alcohol - Met need", "2018/19") for c, n in EAST_MIDLANDS.items()}
    better = sum(1 for v in values.values() if v > values["E10000018"])
    assert position is not None and position.value == pytest.approx(values["E10000018"])
    assert position.n == len(EAST_MIDLANDS)
    assert position.rank == better + 1
    assert position.lower_95 < position.value < position.upper_95  # Wilson, from the numerator and denominator


@_needs(POISONING)
def test_drug_poisoning_deaths_wide_file_loads_one_figure_per_area_and_year(store):
    report = import_file(store, POISONING)
    assert report.ok, report.problem_lines()[:5]
    assert report.file_format == "ons"
    assert any("ENGLAND AND WALES (K04000001)" in w for w in report.warnings)  # not held: skipped
    got = figures(store)
    deaths = got[got["indicator"] == "drug_poisoning_deaths"].set_index(["area_code", "period"])["value"]
    assert deaths.loc[("E92000001", "2020")] == 4312
    raw = pd.read_csv(POISONING, dtype=str, keep_default_na=False, encoding="cp1252").set_index("code")
    assert deaths.loc[("E06000047", "1993")] == float(raw.loc["E06000047", "1993"])  # County Durham
    assert deaths.loc[("E10000018", "2019")] == float(raw.loc["E10000018", "2019"])
    assert not deaths.index.get_level_values("area_code").str.startswith("W").any()
    england_rows = deaths.xs("E92000001", level="area_code")
    assert len(england_rows) == 28  # 1993 to 2020

    again = import_file(store, POISONING)
    assert again.ok and (again.rows_added, again.rows_replaced) == (0, 0)


@_needs(SDG)
def test_how_we_compare_ranks_leicestershire_alcohol_met_need_among_all_partnerships(store):
    """The England-wide file makes "every partnership in England" a comparison at once; undoing it empties it."""
    from dashboard.importing import undo_import
    from dashboard.services.compare import compare_group, group_choices

    report = import_file(store, SDG)
    assert report.ok
    (every,) = group_choices(store, "E10000018")
    assert every.code == "ALL-PARTNERSHIPS" and every.members == 148  # the file's upper-tier authorities
    result = compare_group(store, indicator="alcohol_met_need", period="2018/19", area="E10000018")
    leicestershire = result.position("E10000018")
    raw = _raw_sdg()
    mine = _file_value(raw, "Leicestershire", "Alcohol - Met need", "2018/19")
    held = figures(store)
    held = held[(held["indicator"] == "alcohol_met_need") & (held["period"] == "2018/19")]
    values = held.loc[held["area_code"] != "E92000001", "value"]  # the authorities loaded (abolished ones are not)
    # Higher met need is better: the rank is one more than the authorities with more met need.
    assert leicestershire.rank == int((values > mine).sum()) + 1 == 82
    assert leicestershire.n == result.ranked == 145 and leicestershire.value == pytest.approx(mine)
    assert undo_import(store, report.import_id).ok
    assert group_choices(store, "E10000018") == []

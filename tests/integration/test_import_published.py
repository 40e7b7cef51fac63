"""Published files (slices of the real ones in tests/fixtures) load, and what the app reads matches the file."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import func, select

from dashboard.config import Settings
from dashboard.importing import import_file, undo_import
from dashboard.store import repository
from dashboard.store.models import Area, ComparatorGroup, Indicator, Observation
from tests.unit.importing.helpers import FIXTURES, dump_database, figures

BARNET = FIXTURES / "ndtms" / "ndtms_viewit_adult_barnet_2016-17_to_2018-19_slice.csv"
ENGLAND_VIEWIT = FIXTURES / "ndtms" / "ndtms_viewit_adult_england_2017-18_to_2018-19_slice.csv"
ALCOHOL = FIXTURES / "ndtms" / "alcohol_dependency_prevalence_estimates_east_midlands_slice.csv"
CAMPYLOBACTER = FIXTURES / "fingertips" / "fingertips_export_93356_campylobacter_2015_north_east_slice.csv"
UNMET_OPIATE = FIXTURES / "fingertips" / "fingertips_export_93517_unmet_need_opiate_crack_utla_2018-19_to_2020-21.csv"
LAPE = FIXTURES / "fingertips" / "lape_91414_alcohol_related_admissions_narrow_slice.csv"
WSX_DISTRICTS = FIXTURES / "fingertips" / "wsx_walkthrough_ltla_cipfa_neighbours_adur_worthing_slice.csv"
WSX_COUNTIES = FIXTURES / "fingertips" / "wsx_walkthrough_utla_cipfa_neighbours_2018-19_west_sussex_group.csv"


def _series(engine, area, indicators, groups, end=dt.date(2019, 3, 31), kind="financial_year"):
    return repository.indicator_series(
        engine,
        area_code=area,
        indicators=indicators,
        substance_groups=groups,
        provider_code=None,
        period_end=end,
        period_kind=kind,
    )


def test_barnet_viewit_export_gives_540_opiate_clients_in_2017_18(store):
    report = import_file(store, BARNET)
    assert report.ok, report.problem_lines()
    assert (report.file_format, report.variant) == ("ndtms-viewit", "NDTMS ViewIt export")
    assert not any("broken down" in w for w in report.warnings)
    frame = _series(
        store, "E09000003", ["in_treatment", "successful_completions", "successful_completion_rate"], ["opiate", "all"]
    )
    latest = frame[frame["period"] == "2017/18"].set_index(["indicator", "substance_group"])
    assert latest.loc[("in_treatment", "opiate"), "value"] == 540
    assert latest.loc[("in_treatment", "all"), "value"] == 1070
    # Successful completions are the not-re-presenting measure (scnr_scrn), over its own in-treatment cohort.
    assert latest.loc[("successful_completions", "opiate"), "value"] == 55
    rate = latest.loc[("successful_completion_rate", "opiate")]
    assert (rate["numerator"], rate["denominator"]) == (55, 545)
    assert rate["value"] == pytest.approx(100 * 55 / 545)
    with store.connect() as conn:
        barnet = conn.execute(select(Area.name, Area.area_type).where(Area.code == "E09000003")).one()
        parent = conn.execute(
            select(Area.code).where(Area.id == select(Area.parent_id).where(Area.code == "E09000003").scalar_subquery())
        ).scalar_one()
    assert tuple(barnet) == ("Barnet", "utla") and parent == "E12000007"  # London, from the ONS lookup


def test_every_viewit_figure_matches_the_file(store):
    import_file(store, BARNET)
    raw = pd.read_csv(BARNET, dtype=str, keep_default_na=False)
    raw = raw[(raw["sex"] == "Total") & (raw["age_group"] == "Total")]
    groups = {
        "Total": "all",
        "Opiate": "opiate",
        "Non-opiate only": "non_opiate",
        "Alcohol only": "alcohol",
        "Non-opiate & alcohol": "alcohol_non_opiate",
    }
    got = figures(store).set_index(["indicator", "substance_group", "period"])
    for row in raw.itertuples():
        key = groups[row.drug_group], row.ReportingPeriod
        assert got.loc[("in_treatment", *key), "value"] == float(row.intreatment_allintx)
        assert got.loc[("new_presentations", *key), "value"] == float(row.newpresentation_newtx)
        waits = [
            float(getattr(row, c))
            for c in ("waitsfirst_3weeksandunder_newtx", "waitsfirst_3to6weeks_newtx", "waitsfirst_over6weeks_newtx")
        ]
        wait = got.loc[("waits_under_3_weeks", *key)]
        assert (wait["numerator"], wait["denominator"]) == (waits[0], sum(waits))
        representation = got.loc[("representation_rate", *key)]
        assert representation["numerator"] == float(row.scnr_representation_allintx)
        assert representation["denominator"] == float(row.scnr_completion_allintx)
        referred = got.loc[("criminal_justice_referrals", *key)]
        assert (referred["numerator"], referred["denominator"]) == (
            float(row.referralsource_criminal_justice_newtx),
            float(row.newpresentation_newtx),
        )
    # Nine core indicators and three framework ones (housing and employment need at start, criminal-justice
    # referrals) per period and drug group.
    assert len(got) == len(raw) * 12


def test_viewit_sex_and_age_rows_are_kept_as_breakdowns_of_the_persons_figure(store):
    """Every sex, age-group and sex-by-age row of the export is its own figure, keyed by its breakdown."""
    import_file(store, BARNET)
    raw = pd.read_csv(BARNET, dtype=str, keep_default_na=False)
    split = raw[(raw["sex"] != "Total") | (raw["age_group"] != "Total")]
    assert len(split) == 10
    got = figures(store, breakdowns=True).set_index(["indicator", "substance_group", "period", "breakdown"])
    groups = {
        "Total": "all",
        "Opiate": "opiate",
        "Non-opiate only": "non_opiate",
        "Alcohol only": "alcohol",
        "Non-opiate & alcohol": "alcohol_non_opiate",
    }
    sexes = {"F": "Female", "M": "Male"}
    for row in split.itertuples():
        parts = []
        if row.sex != "Total":
            parts.append(f"sex={sexes[row.sex]}")
        if row.age_group != "Total":
            parts.append(f"age_group={row.age_group}")
        key = (groups[row.drug_group], row.ReportingPeriod, ";".join(parts))
        assert got.loc[("in_treatment", *key), "value"] == float(row.intreatment_allintx)
    # The persons figure stays the headline: a breakdown never replaces it.
    persons = figures(store).set_index(["indicator", "substance_group", "period"])
    assert persons.loc[("in_treatment", "opiate", "2017/18"), "value"] == 540


def test_england_viewit_export_maps_its_own_drug_group_labels(store):
    report = import_file(store, ENGLAND_VIEWIT)
    assert report.ok, report.problem_lines()
    raw = pd.read_csv(ENGLAND_VIEWIT, dtype=str, keep_default_na=False)
    raw = raw[
        (raw["Gender_Data"] == "Total") & (raw["AgeGroup_Data"] == "Total") & (raw["ReportingPeriod_Data"] == "2018/19")
    ]
    expected = dict(zip(raw["DrugGroup_Data"], raw["Num_InTreatment_AllInTx"].astype(float), strict=True))
    frame = _series(
        store, "E92000001", ["in_treatment"], ["all", "opiate", "non_opiate", "alcohol", "alcohol_non_opiate"]
    )
    got = dict(
        zip(
            frame.loc[frame["period"] == "2018/19", "substance_group"],
            frame.loc[frame["period"] == "2018/19", "value"],
            strict=True,
        )
    )
    assert got == {
        "all": expected["Total"],
        "opiate": expected["opiates"],
        "non_opiate": expected["non-opiates only"],
        "alcohol": expected["alcohol only"],
        "alcohol_non_opiate": expected["alcohol & non-opiates"],
    }


def test_alcohol_dependency_estimates_load_as_the_registry_indicator_with_limits(store):
    report = import_file(store, ALCOHOL)
    assert report.ok and report.variant == "alcohol dependency estimates"
    # The same measure as ONS SDG 3.5.1's estimated prevalence: one registry indicator, there before the file.
    assert not any("New indicator" in w for w in report.warnings)
    assert set(figures(store)["indicator"]) == {"alcohol_dependency_estimate"}
    raw = pd.read_csv(ALCOHOL, dtype=str)
    leicestershire = raw[(raw["Area_Code_GSS"] == "E10000018") & (raw["Year"] == "2017/18")].iloc[0]
    got = figures(store).set_index(["area_code", "period"]).loc[("E10000018", "2017/18")]
    assert (got["value"], got["lower_ci_95"], got["upper_ci_95"]) == (
        float(leicestershire["Alcohol_dependent"]),
        float(leicestershire["Alcohol_lower_CI"]),
        float(leicestershire["Alcohol_upper_CI"]),
    )
    assert set(figures(store)["period"]) == {"2014", "2016/17", "2017/18"}  # calendar and financial years


def test_fingertips_export_keeps_age_groups_and_deprivation_deciles_as_breakdowns(store):
    report = import_file(store, CAMPYLOBACTER)
    assert report.ok, report.problem_lines()
    assert report.warnings[:2] == [
        "10 rows for a second set of deprivation deciles, or a kind of category the dashboard does not hold as a "
        "breakdown, were not loaded.",
        "2 rows with no value were not loaded.",
    ]
    with store.connect() as conn:
        indicators = dict(
            conn.execute(select(Indicator.key, Indicator.name).where(Indicator.key.like("fingertips%"))).all()
        )
        types = dict(conn.execute(select(Area.code, Area.area_type)).all())
    assert indicators == {"fingertips_93356": "Campylobacter incidence rate/100,000"}  # the line break is gone
    assert (types["E92000001"], types["E12000001"], types["E06000047"]) == ("england", "region", "utla")
    raw = pd.read_csv(CAMPYLOBACTER, dtype=str, keep_default_na=False)
    durham = raw[(raw["Area Code"] == "E06000047") & (raw["Age"] == "All ages") & (raw["Category Type"] == "")].iloc[0]
    got = figures(store).set_index(["indicator", "area_code"]).loc[("fingertips_93356", "E06000047")]
    assert got["value"] == float(durham["Value"])
    assert (got["numerator"], got["denominator"]) == (float(durham["Count"]), float(durham["Denominator"]))
    assert got["lower_ci_95"] == float(durham["Lower CI 95.0 limit"])
    # "0-9 yrs" is a breakdown of the same indicator; England's county & UA deciles are its deprivation breakdown.
    split = figures(store, breakdowns=True).set_index(["indicator", "area_code", "breakdown"])["value"]
    young = raw[(raw["Area Code"] == "E06000047") & (raw["Age"] == "0-9 yrs")].iloc[0]
    assert split[("fingertips_93356", "E06000047", "age_group=0-9")] == float(young["Value"])
    counties = raw[raw["Category Type"].str.startswith("County & UA")].set_index("Category")["Value"].astype(float)
    assert (
        split[("fingertips_93356", "E92000001", "deprivation_decile=1")] == counties["Most deprived decile (IMD2015)"]
    )
    assert (
        split[("fingertips_93356", "E92000001", "deprivation_decile=9")]
        == counties["Second least deprived decile (IMD2015)"]
    )


def test_fingertips_api_file_with_fractional_counts(store):
    report = import_file(store, UNMET_OPIATE)
    assert report.ok and report.rows_added == 13
    got = figures(store).set_index(["area_code", "period"]).loc[("E10000032", "2018/19")]
    assert (got["indicator"], got["numerator"], got["value"]) == ("unmet_need_opiate_crack", 1352.333333, 52.30789067)
    assert not any("New indicator" in w for w in report.warnings)  # Fingertips 93517 is a named registry indicator


def test_tidy_extract_skips_na_values_and_combined_authorities(store):
    report = import_file(store, LAPE)
    assert report.ok, report.problem_lines()
    assert "1 rows with no value were not loaded." in report.warnings
    assert any("Greater Manchester (E47000001)" in w for w in report.warnings)
    got = figures(store)
    assert set(got["indicator"]) == {"fingertips_alcohol_related_admissions_narrow_measure"}
    assert "E47000001" not in set(got["area_code"])
    charnwood = got.set_index(["area_code", "period"]).loc[("E07000130", "2017/18"), "value"]
    raw = pd.read_csv(LAPE, dtype=str)
    assert charnwood == float(raw[(raw["area_code"] == "E07000130") & (raw["period"] == "2017/18")]["value"].iloc[0])


def test_comparator_extract_keeps_male_and_female_apart_adds_england_and_the_groups(store):
    report = import_file(store, WSX_DISTRICTS)
    assert report.ok, report.problem_lines()
    got = figures(store)
    assert {"fingertips_90366_male", "fingertips_90366_female", "fingertips_92196", "fingertips_91414"} <= set(
        got["indicator"]
    )
    raw = pd.read_csv(WSX_DISTRICTS, dtype=str)
    male = raw[raw["indicator_name"] == "Male life expectancy at birth"].iloc[0]
    england = got.set_index(["indicator", "area_code"]).loc[("fingertips_90366_male", "E92000001")]
    assert england["value"] == float(male["england_value"])
    with store.connect() as conn:
        stored = select(ComparatorGroup.code, ComparatorGroup.name).where(ComparatorGroup.kind != "all_partnerships")
        groups = dict(conn.execute(stored).all())
    assert groups == {
        "CIPFA-E07000223": "Adur CIPFA nearest neighbours",
        "CIPFA-E07000229": "Worthing CIPFA nearest neighbours",
    }
    assert any(
        w.startswith("Comparator group CIPFA-E07000223 (Adur CIPFA nearest neighbours, 16 areas): added")
        for w in report.warnings
    )


def test_reloading_a_published_file_is_idempotent_and_undo_removes_what_it_created(store):
    empty = dump_database(store)
    first = import_file(store, WSX_DISTRICTS)
    second = import_file(store, WSX_DISTRICTS)
    assert second.rows_added == second.rows_replaced == 0 and second.rows_unchanged == first.rows_added
    assert undo_import(store, second.import_id).ok
    assert undo_import(store, first.import_id).ok
    after = dump_database(store)
    for table in ("observations", "areas", "periods", "indicators", "comparator_groups", "comparator_group_members"):
        assert after[table] == empty[table], table


def test_west_sussex_group_loaded_by_the_importer_ranks_somerset_third_of_16(store, tmp_path):
    from dashboard.webapp import create_app

    report = import_file(store, WSX_COUNTIES)
    assert report.ok, report.problem_lines()
    with store.connect() as conn:
        completions = conn.execute(
            select(func.count())
            .select_from(Observation)
            .join(Indicator)
            .where(Indicator.key == "successful_completion_rate")
        ).scalar_one()
    assert completions == 17  # 16 areas + England, mapped from Fingertips 90245 to the core indicator
    url = store.url.render_as_string(hide_password=False)
    app = create_app(Settings(database_url=url, auto_seed_demo=False, log_level="WARNING", instance_dir=tmp_path))
    body = (
        app.server.test_client()
        .get(
            "/api/v1/compare?indicator=successful_completion_rate&substance_group=non_opiate&period=2018"
            "&group=CIPFA-E10000032&benchmark=E92000001"
        )
        .get_json()
    )
    assert body["quartiles"]["n"] == 16
    somerset = next(a for a in body["areas"] if a["area_name"] == "Somerset")
    assert (somerset["rank"], somerset["quartile"], somerset["compared_to_benchmark"]) == (3, "top", "better")
    assert body["benchmark"]["value"] == pytest.approx(34.3774)
    raw = pd.read_csv(WSX_COUNTIES)
    published = raw[raw["indicator_id"] == 90245]
    assert {a["area_name"]: a["rank"] for a in body["areas"]} == dict(
        zip(published["area_name"], published["rank_in_group"].astype(int), strict=True)
    )

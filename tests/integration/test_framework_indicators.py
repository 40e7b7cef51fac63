"""The National Combating Drugs Outcomes Framework indicators as named registry indicators: there before any file,
loaded from the published files under their names, and stated on the Overview (on both backends)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import select

from dashboard.demo.framework import FRAMEWORK_INDICATORS
from dashboard.importing import import_file
from dashboard.narrative.ambition import ambition_sentence
from dashboard.narrative.overview import unmet_need_sentence, unmet_need_source
from dashboard.services.ambition import numbers_against_ambition
from dashboard.services.overview import unmet_need
from dashboard.store.models import Indicator
from tests.unit.importing.helpers import FIXTURES, SHARED_DATA, figures

UNMET_OPIATE = FIXTURES / "fingertips" / "fingertips_export_93517_unmet_need_opiate_crack_utla_2018-19_to_2020-21.csv"
UNMET_ALCOHOL = SHARED_DATA / "fingertips" / "fingertips_export_93532_unmet_need_alcohol_utla_2018-19_to_2020-21.csv"
ESTIMATES = FIXTURES / "ndtms" / "alcohol_dependency_prevalence_estimates_east_midlands_slice.csv"
BARNET = FIXTURES / "ndtms" / "ndtms_viewit_adult_barnet_2016-17_to_2018-19_slice.csv"
SDG = SHARED_DATA / "england" / "ons_sdg_3-5-1_alcohol_prevalence_treatment_metneed_by_la_2010-11_to_2018-19.csv"
END_2018_19 = dt.date(2019, 3, 31)


def _needs(path):
    return pytest.mark.skipif(not path.exists(), reason=f"{path} is not here (it lives beside the repository)")


def test_every_framework_indicator_is_in_a_new_store_with_its_definition(store):
    with store.connect() as conn:
        rows = {r.key: r for r in conn.execute(select(Indicator.__table__))}
    for key in FRAMEWORK_INDICATORS:
        assert key in rows and rows[key].description and rows[key].name != key, key
    assert rows["unmet_need_alcohol"].name == "Proportion of dependent drinkers not in treatment"
    assert (rows["unmet_need_alcohol"].polarity, rows["unmet_need_alcohol"].unit) == ("low_good", "%")


def test_unmet_need_files_load_as_named_indicators(store):
    report = import_file(store, UNMET_OPIATE)
    assert report.ok and not any("New indicator" in w for w in report.warnings)
    got = figures(store).set_index(["indicator", "area_code", "period"])
    assert got.loc[("unmet_need_opiate_crack", "E10000032", "2018/19"), "value"] == 52.30789067
    assert not figures(store)["indicator"].str.startswith("fingertips_").any()


@_needs(UNMET_ALCOHOL)
def test_alcohol_unmet_need_loads_and_the_overview_states_it(store):
    report = import_file(store, UNMET_ALCOHOL)
    assert report.ok and report.rows_added == 17 and not any("New indicator" in w for w in report.warnings)
    [need] = unmet_need(store, "E10000031", END_2018_19)  # Warwickshire
    assert (need.indicator, need.period, need.about, need.derived) == ("unmet_need_alcohol", "2018/19", 4020, False)
    assert unmet_need_sentence(need, "Warwickshire") == (
        "In Warwickshire in 2018/19, about 4,020 dependent drinkers are not in treatment (79.9% of the estimated need)."
    )
    assert unmet_need_source(need) == "Stored figure: Proportion of dependent drinkers not in treatment."
    assert unmet_need(store, "E10000031", dt.date(2018, 3, 31)) == []  # nothing for a year before the file's


def test_dependency_estimates_and_viewit_framework_measures_load(store):
    assert import_file(store, ESTIMATES).ok
    assert import_file(store, BARNET).ok
    got = figures(store)
    assert "alcohol_dependency_estimate" in set(got["indicator"])
    barnet = got[(got["area_code"] == "E09000003") & (got["period"] == "2018/19") & (got["substance_group"] == "all")]
    shares = barnet.set_index("indicator")["value"]
    assert shares["criminal_justice_referrals"] == pytest.approx(100 * 80 / 540)
    assert shares["housing_problem_at_start"] == pytest.approx(100 * 105 / 540)
    assert shares["employment_need_at_start"] == pytest.approx(100 * 215 / 490)


@_needs(SDG)
def test_sdg_file_gives_a_derived_unmet_need_sentence_and_fingertips_takes_over(store):
    assert import_file(store, SDG).ok
    raw = pd.read_csv(SDG, dtype=str, keep_default_na=False)
    raw = raw[
        (raw["Local Authority"] == "Leicestershire") & (raw["Year"] == "2018/19") & (raw["Deprivation decile"] == "")
    ]
    value = dict(zip(raw["Series"], raw["Value"].astype(float), strict=True))
    estimate, treated = value["Alcohol - Estimated prevalence"], value["Alcohol - People in treatment"]
    [need] = unmet_need(store, "E10000018", END_2018_19)
    assert need.derived and need.period == "2018/19"
    assert need.not_in_treatment == pytest.approx(estimate - treated)  # 5468.333333 - 950
    assert need.about == 4520 and need.share == pytest.approx(100 - value["Alcohol - Met need"], abs=1e-6)
    assert "about 4,520 dependent drinkers are not in treatment (82.6% of the estimated need)" in (
        unmet_need_sentence(need, "Leicestershire")
    )
    assert unmet_need_source(need).startswith("Derived: Estimated number of adults dependent on alcohol minus Adults")
    if UNMET_ALCOHOL.exists():  # Warwickshire has both for 2018/19: the stored unmet-need figure is the one stated
        assert import_file(store, UNMET_ALCOHOL).ok
        [both] = unmet_need(store, "E10000031", END_2018_19)
        assert not both.derived and both.about == 4020


def test_demo_overview_states_unmet_need_for_the_home_partnership(demo_engine):
    needs = unmet_need(demo_engine, "E10000018", dt.date(2020, 3, 31))
    assert [n.indicator for n in needs] == ["unmet_need_alcohol", "unmet_need_opiate_crack"]
    for need in needs:
        assert need.period == "2019/20" and not need.derived and need.about % 10 == 0
    assert " dependent drinkers are not in treatment (" in unmet_need_sentence(needs[0], "Leicestershire")
    assert unmet_need(demo_engine, "E07000130", dt.date(2020, 3, 31)) == []  # districts: no prevalence estimates


def test_demo_overview_page_shows_the_sentence(demo_app):
    from dashboard.pages import overview as page

    with demo_app.server.app_context():
        outputs = page.render_overview.uncached("E10000018", "all", "all", "2019-20 Q4")
    context = str(outputs[2])
    assert "dependent drinkers are not in treatment (" in context
    assert "opiate and/or crack cocaine users are not in treatment (" in context


def test_demo_overview_states_numbers_in_treatment_against_the_baseline_and_ambition(demo_app, demo_engine):
    from dashboard.pages import overview as page

    numbers = numbers_against_ambition(demo_engine, "E10000018", dt.date(2020, 3, 31))
    assert numbers is not None and numbers.baseline_end == dt.date(2018, 3, 31)
    # The baseline is the partnership's own figure for the baseline period, and the current figure the card's.
    baseline = numbers_against_ambition(demo_engine, "E10000018", dt.date(2018, 3, 31))
    assert baseline is not None and baseline.current == numbers.baseline and baseline.change == 0
    assert numbers.ambition == round(numbers.baseline * 1.2) and numbers.ambition_by == dt.date(2021, 3, 31)
    assert numbers_against_ambition(demo_engine, "E07000130", dt.date(2020, 3, 31)) is None  # no baseline set
    with demo_app.server.app_context():
        outputs = page.render_overview.uncached("E10000018", "all", "all", "2019-20 Q4")
        by_provider = page.render_overview.uncached("E10000018", "all", "turning-point", "2019-20 Q4")
    context = str(outputs[2])
    assert ambition_sentence(numbers, "Leicestershire") in context and "overview-ambition" in context
    assert "overview-ambition" not in str(by_provider[2])  # the ambition is the partnership's, not a provider's
    # The board pack says the same, in the same words, with the unmet need the Overview states.
    from dashboard.report.content import gather

    pack = gather(demo_engine, "E10000018", "2019-20 Q4")
    assert pack.commentary[0] == ambition_sentence(numbers, "Leicestershire")
    assert any("dependent drinkers are not in treatment" in line for line in pack.commentary[1:3])

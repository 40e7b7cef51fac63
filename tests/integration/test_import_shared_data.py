"""Done-when: every file in ../shared/data/fingertips and ../shared/data/ndtms loads, and the figures match.

The whole files live beside the repository, not in it; without them this test is skipped (the slices in
tests/fixtures cover the same layouts from the repository alone).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from dashboard.importing import import_file
from dashboard.store import repository
from tests.unit.importing.helpers import SHARED_DATA, figures

FILES = sorted([*SHARED_DATA.glob("fingertips/*.csv"), *SHARED_DATA.glob("ndtms/*.csv")])
pytestmark = pytest.mark.skipif(
    not FILES, reason=f"the shared data files are not here ({SHARED_DATA}); the fixture slices still run"
)


def test_every_shared_fingertips_and_ndtms_file_loads_and_barnet_has_540_opiate_clients(store):
    reports = {path.name: import_file(store, path) for path in FILES}
    rejected = {name: r.problem_lines()[:5] for name, r in reports.items() if not r.ok}
    assert rejected == {}
    assert all(r.rows_added > 0 for r in reports.values())
    barnet = repository.indicator_series(
        store,
        area_code="E09000003",
        indicators=["in_treatment"],
        substance_groups=["opiate"],
        provider_code=None,
        period_end=dt.date(2018, 3, 31),
        period_kind="financial_year",
    )
    assert barnet.set_index("period").loc["2017/18", "value"] == 540
    assert len(barnet) == 9  # 2009/10 to 2017/18


def test_shared_figures_match_the_files_row_for_row(store):
    viewit = SHARED_DATA / "ndtms" / "ndtms_viewit_adult_barnet_2009-10_to_2018-19.csv"
    campylobacter = SHARED_DATA / "fingertips" / "fingertips_export_93356_campylobacter_countyua_2015-2016.csv"
    for path in (viewit, campylobacter):
        assert import_file(store, path).ok
    got = figures(store)
    raw = pd.read_csv(viewit, dtype=str, keep_default_na=False)
    totals = raw[(raw["sex"] == "Total") & (raw["age_group"] == "Total") & (raw["drug_group"] == "Total")]
    in_treatment = got[(got["indicator"] == "in_treatment") & (got["substance_group"] == "all")]
    assert dict(zip(in_treatment["period"], in_treatment["value"], strict=True)) == {
        p: float(v) for p, v in zip(totals["ReportingPeriod"], totals["intreatment_allintx"], strict=True)
    }
    raw = pd.read_csv(campylobacter, dtype=str, keep_default_na=False)
    raw = raw[(raw["Category Type"] == "") & (raw["Age"] == "All ages") & (raw["Value"] != "")]
    loaded = got[got["indicator"] == "fingertips_93356"].set_index(["area_code", "period"])["value"]
    expected = pd.Series(
        raw["Value"].astype(float).to_numpy(),
        index=pd.MultiIndex.from_arrays([raw["Area Code"], raw["Time period"]], names=["area_code", "period"]),
    )
    assert loaded.sort_index().equals(expected.sort_index().rename("value"))

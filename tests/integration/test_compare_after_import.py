"""Issue 4's acceptance path end to end: the West Sussex comparator-group file, turned into the canonical
templates a commissioner would fill in (areas, the group of 16, observations plus England), loaded with
``dashboard import``, then asked of /api/v1/compare: Somerset 3rd of 16, top quartile, better than England."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from dashboard.cli import main
from dashboard.config import Settings

FILE = (
    Path(__file__).resolve().parents[1]
    / "fixtures"
    / "fingertips"
    / "wsx_walkthrough_utla_cipfa_neighbours_2018-19_west_sussex_group.csv"
)
GROUP = "CIPFA-WSX"


def _canonical_files(folder: Path) -> list[Path]:
    rows = pd.read_csv(FILE)
    rows = rows[rows["indicator_id"] == 90245].reset_index(drop=True)
    england = rows.iloc[0]
    areas = pd.DataFrame(
        [("E92000001", "England", "england", "")] + [(r.area_code, r.area_name, "utla", "") for r in rows.itertuples()],
        columns=["area_code", "area_name", "area_type", "parent_code"],
    )
    groups = pd.DataFrame(
        {"group_code": GROUP, "group_name": "West Sussex CIPFA nearest neighbours", "area_code": rows["area_code"]}
    )
    observations = pd.DataFrame(
        {
            "indicator": "successful_completion_rate",
            "area_code": [*rows["area_code"], "E92000001"],
            "period": "2018",
            "substance_group": "non_opiate",
            "provider": "",
            "numerator": [*rows["numerator"], None],
            "denominator": [*rows["denominator"], None],
            "value": [*rows["value"], england["england_value"]],
            "lower_ci_95": [*rows["lower_ci_95"], england["england_lower_ci_95"]],
            "upper_ci_95": [*rows["upper_ci_95"], england["england_upper_ci_95"]],
        }
    )
    paths = []
    for name, frame in (("areas", areas), ("groups", groups), ("observations", observations)):
        path = folder / f"wsx_{name}.csv"
        frame.to_csv(path, index=False)
        paths.append(path)
    return paths


@pytest.fixture
def imported(store, tmp_path, monkeypatch):
    url = store.url.render_as_string(hide_password=False)
    monkeypatch.setenv("DATABASE_URL", url)
    for path in _canonical_files(tmp_path):
        result = CliRunner().invoke(main, ["import", str(path)])
        assert result.exit_code == 0, result.output
    from dashboard.webapp import create_app

    app = create_app(Settings(database_url=url, auto_seed_demo=False, log_level="WARNING", instance_dir=tmp_path))
    return app.server.test_client()


def test_somerset_third_of_16_after_loading_the_canonical_files(imported):
    response = imported.get(
        "/api/v1/compare?indicator=successful_completion_rate&substance_group=non_opiate&period=2018"
        f"&group={GROUP}&benchmark=E92000001"
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["quartiles"]["n"] == 16
    somerset = next(a for a in body["areas"] if a["area_name"] == "Somerset")
    assert (somerset["rank"], somerset["quartile"], somerset["compared_to_benchmark"]) == (3, "top", "better")
    assert somerset["lower_ci_95"] == pytest.approx(37.9549, abs=1e-4)
    assert somerset["upper_ci_95"] == pytest.approx(47.7536, abs=1e-4)

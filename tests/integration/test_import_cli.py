"""`dashboard import`, `dashboard imports list` and `dashboard imports undo` from the command line."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from dashboard.cli import main
from tests.unit.importing.helpers import FIXTURES, HEADER, write_file

BARNET = FIXTURES / "ndtms" / "ndtms_viewit_adult_barnet_2016-17_to_2018-19_slice.csv"


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(main, list(args), catch_exceptions=False)

    return invoke


def test_import_list_and_undo(run):
    loaded = run("import", str(BARNET), "--by", "ana")
    assert loaded.exit_code == 0, loaded.output
    assert (
        "ndtms_viewit_adult_barnet_2016-17_to_2018-19_slice.csv (NDTMS ViewIt export) loaded as import 1"
        in loaded.output
    )
    assert "To take it back out: dashboard imports undo 1" in loaded.output
    listed = run("imports", "list")
    assert listed.exit_code == 0 and "loaded" in listed.output and "ana / ndtms_viewit_adult_barnet" in listed.output
    undone = run("imports", "undo", "1")
    assert undone.exit_code == 0 and undone.output.startswith("Import 1 (ndtms_viewit_adult_barnet")
    again = run("imports", "undo", "1")
    assert again.exit_code == 1 and "already undone" in again.output


def test_a_rejected_file_exits_non_zero_and_prints_the_located_problems(run, tmp_path):
    path = write_file(tmp_path, "bad.csv", f"{HEADER}\nin_treatment,E10000018,2017-18 Q9,opiate,,,,5,,\n")
    result = run("import", str(path), "--format", "canonical")
    assert result.exit_code == 1
    assert "bad.csv was not loaded: 2 problems to fix (nothing was saved)." in result.output
    assert "row 2, column period: '2017-18 Q9' is not a period this dashboard understands" in result.output
    assert "row 2, column area_code: 'E10000018' is not an area in the dashboard yet" in result.output


def test_dry_run_saves_nothing(run):
    dry = run("import", str(BARNET), "--dry-run")
    assert dry.exit_code == 0 and "checked, nothing saved" in dry.output and "undo" not in dry.output
    assert run("imports", "list").output.strip() == "Nothing has been imported yet."


def test_an_unknown_format_is_refused_by_the_command_line(run):
    result = CliRunner().invoke(main, ["import", str(BARNET), "--format", "excel"])
    assert result.exit_code == 2 and "Invalid value for '--format'" in result.output

"""The canonical templates end to end on SQLite and PostgreSQL: every validation case located, rejected files
leave the database untouched, loads are idempotent, corrections replace and undo restores."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from dashboard.importing import import_file, list_imports, undo_import
from dashboard.store import repository
from dashboard.store.models import Area, Meta, Provider
from tests.unit.importing.helpers import HEADER, add_leicestershire, dump_database, figures, write_file

GOOD = f"""{HEADER}
in_treatment,E10000018,2017-18 Q4,opiate,,,,1129,,
in_treatment,E10000018,2017-18 Q4,Alcohol only,,,,556,,
successful_completion_rate,E10000018,2017-18 Q4,Opiates,,80,1129,,,
successful_completion_rate,E92000001,2017-18 Q4,opiate,,,,6.2,6.1,6.3
new_presentations,E07000130,2017/18,,Turning Point,,,"1,035",,
"""


@pytest.fixture
def store_with_areas(store):
    add_leicestershire(store)
    return store


def test_a_template_loads_and_its_figures_read_back(store_with_areas, tmp_path):
    report = import_file(store_with_areas, write_file(tmp_path, "q4.csv", GOOD), imported_by="ana")
    assert report.ok, report.problem_lines()
    assert (report.file_format, report.rows_added, report.rows_replaced, report.rows_unchanged) == (
        "canonical",
        5,
        0,
        0,
    )
    assert (
        report.summary() == "q4.csv (observations template) loaded as import 1: 5 new figures, 0 replaced, 0 unchanged."
    )
    assert "New provider 'Turning Point' will be added (code turning-point)." in report.warnings
    got = figures(store_with_areas)
    rate = got[(got["indicator"] == "successful_completion_rate") & (got["area_code"] == "E10000018")].iloc[0]
    assert (rate["numerator"], rate["denominator"]) == (80, 1129)
    assert rate["value"] == pytest.approx(100 * 80 / 1129)  # worked out from the counts, as a percentage
    england = got[got["area_code"] == "E92000001"].iloc[0]
    assert (england["value"], england["lower_ci_95"], england["upper_ci_95"]) == (6.2, 6.1, 6.3)
    presentations = got[got["indicator"] == "new_presentations"].iloc[0]
    assert (presentations["value"], presentations["substance_group"], presentations["provider"]) == (
        1035,
        "all",
        "turning-point",
    )
    assert set(got["import_id"]) == {report.import_id}
    with store_with_areas.connect() as conn:
        assert conn.execute(select(Provider.name)).scalar_one() == "Turning Point"
    [logged] = list_imports(store_with_areas)
    assert (logged.file_name, logged.file_format, logged.rows_added, logged.imported_by, logged.status) == (
        "q4.csv",
        "canonical",
        5,
        "ana",
        "loaded",
    )


def test_every_import_that_changes_figures_bumps_the_data_version(store_with_areas, tmp_path):
    before = repository.data_version(store_with_areas)
    import_file(store_with_areas, write_file(tmp_path, "q4.csv", GOOD))
    loaded = repository.data_version(store_with_areas)
    assert loaded != before
    undo_import(store_with_areas, 1)
    assert repository.data_version(store_with_areas) not in (before, loaded)


def test_a_load_that_changes_nothing_keeps_the_data_version_and_the_caches(store_with_areas, tmp_path):
    path = write_file(tmp_path, "q4.csv", GOOD)
    import_file(store_with_areas, path)
    loaded = repository.data_version(store_with_areas)
    again = import_file(store_with_areas, path)  # the same file: 0 added, 0 replaced
    assert (again.rows_added, again.rows_replaced) == (0, 0)
    assert repository.data_version(store_with_areas) == loaded
    corrected = GOOD.replace(",1129,", ",1130,", 1)
    assert corrected != GOOD
    changed = import_file(store_with_areas, write_file(tmp_path, "q4-corrected.csv", corrected))
    assert changed.rows_replaced == 1
    assert repository.data_version(store_with_areas) != loaded


BAD = f"""{HEADER}
in_treatment,Leicestershire,2017-18 Q4,opiate,,,,1129,,
in_treatment,E1000018,2017-18 Q4,opiate,,,,1129,,
in_treatment,E10000019,2017-18 Q4,opiate,,,,1129,,
in_treatment,E10000018,2017-18 Q4,crack,,,,1,,
in_treatment,E10000018,2017-18 Q5,opiate,,,,1,,
successful_completion_rate,E10000018,2017-18 Q3,opiate,,81,80,,,
successful_completion_rate,E10000018,2017-18 Q2,opiate,,-1,80,,,
successful_completion_rate,E10000018,2017-18 Q1,opiate,,80,n/a,,,
succesful_completion_rate,E10000018,2017-18 Q1,opiate,,80,100,,,
successful_completion_rate,E07000129,2017-18 Q1,opiate,,,,120,,
successful_completion_rate,E07000130,2017-18 Q1,opiate,,35,100,0.35,,
in_treatment,E07000131,2016-17 Q4,alcohol,,,,,,
in_treatment,E07000131,2016-17 Q4,alcohol only,,,,3,,
in_treatment,E07000131,2016-17 Q4,Alcohol,,,,4,,
"""

BAD_PROBLEMS = [
    "row 2, column area_code: 'Leicestershire' is not an area in the dashboard; did you mean E10000018 "
    "(Leicestershire)?",
    "row 3, column area_code: 'E1000018' is not an area in the dashboard; did you mean E10000018 (Leicestershire)?",
    "row 4, column area_code: 'E10000019' is not an area in the dashboard yet (it is Lincolnshire in the ONS lookup): "
    "load it with the areas template first",
    "row 5, column substance_group: 'crack' is not a substance group; use opiate, non_opiate, alcohol, "
    "alcohol_non_opiate or all (or the labels NDTMS uses)",
    "row 6, column period: '2017-18 Q5' is not a period this dashboard understands: use a quarter like '2017-18 Q4', "
    "a financial year like '2017/18' or a calendar year like '2018'",
    "row 7, column numerator: the numerator (81) is larger than the denominator (80); check the two are not swapped",
    "row 8, column numerator: -1 is negative; a count cannot be below zero",
    "row 9, column denominator: 'n/a' is not a number; enter a whole number or leave it blank",
    "row 10, column indicator: 'succesful_completion_rate' is not an indicator the dashboard knows; did you mean "
    "'successful_completion_rate'?",
    "row 11, column value: 120 is not a percentage: rates must be between 0 and 100",
    "row 12, column value: 0.35 does not match the numerator and denominator (35.0%); rates are percentages from 0 "
    "to 100, so enter 35 for 35%",
    "row 13, column value: there is no value: enter the value, or the numerator and denominator it is worked out from",
    "row 14: this row repeats row 13 (the same indicator, area, period, substance group, provider and breakdown); "
    "keep one of them, or correct the one that is wrong",
    "row 15: this row repeats row 13 (the same indicator, area, period, substance group, provider and breakdown); "
    "keep one of them, or correct the one that is wrong",
]


def test_every_validation_case_is_located_and_a_rejected_file_changes_nothing(store_with_areas, tmp_path):
    import_file(store_with_areas, write_file(tmp_path, "good.csv", GOOD))
    before = dump_database(store_with_areas)
    report = import_file(store_with_areas, write_file(tmp_path, "bad.csv", BAD))
    assert not report.ok
    assert report.problem_lines() == BAD_PROBLEMS
    assert report.summary() == f"bad.csv was not loaded: {len(BAD_PROBLEMS)} problems to fix (nothing was saved)."
    assert dump_database(store_with_areas) == before


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            "indicator,area_code,perod,substance_group,value\nin_treatment,E10000018,2017/18,opiate,1\n",
            [
                "row 1, column period: this column is missing from the observations template; the file has 'perod': "
                "rename it 'period'"
            ],
        ),
        (
            "indicator,area_code,period,denomintor,value\nin_treatment,E10000018,2017/18,4,1\n",
            [
                "row 1, column denomintor: 'denomintor' is not a column of the observations template; did you mean "
                "'denominator'? Rename it"
            ],
        ),
        ("", ["the file is empty: it has no column names and no rows"]),
        (f"{HEADER}\n", ["the file has column names but no rows of figures below them"]),
    ],
)
def test_missing_misspelt_columns_and_empty_files(store_with_areas, tmp_path, content, expected):
    before = dump_database(store_with_areas)
    report = import_file(store_with_areas, write_file(tmp_path, "f.csv", content))
    assert not report.ok and report.problem_lines() == expected
    assert dump_database(store_with_areas) == before


@pytest.mark.parametrize(("encoding", "bom"), [("utf-8", "\ufeff"), ("cp1252", "")])
def test_utf8_with_bom_and_windows_1252_files_both_load(store, tmp_path, encoding, bom):
    content = (
        f"{bom}area_code,area_name,area_type,parent_code\nE92000001,England,england,\n"
        "E07000246,Bishop’s Lydeard & Tauntón,ltla,E92000001\n"
    )
    report = import_file(store, write_file(tmp_path, "areas.csv", content, encoding))
    assert report.ok, report.problem_lines()
    with store.connect() as conn:
        assert (
            conn.execute(select(Area.name).where(Area.code == "E07000246")).scalar_one() == "Bishop’s Lydeard & Tauntón"
        )


def test_formula_text_is_stored_inert_with_a_leading_apostrophe(store_with_areas, tmp_path):
    areas = 'area_code,area_name,area_type,parent_code\nE07000132,"=HYPERLINK(""http://evil"",""Hinckley"")",ltla,E10000018\n'
    report = import_file(store_with_areas, write_file(tmp_path, "areas.csv", areas))
    assert report.ok
    assert report.warnings == [
        "1 cell of 'area_name' began with =, +, - or @ (spreadsheet formula text such as =HYPERLINK); stored as plain "
        "text with a leading apostrophe, so it can never run as a formula."
    ]
    obs = f"{HEADER}\nin_treatment,E10000018,2017/18,opiate,=cmd|'/c calc'!A1,,,5,,\n"
    assert import_file(store_with_areas, write_file(tmp_path, "obs.csv", obs)).ok
    with store_with_areas.connect() as conn:
        assert conn.execute(select(Area.name).where(Area.code == "E07000132")).scalar_one() == (
            '\'=HYPERLINK("http://evil","Hinckley")'
        )
        assert conn.execute(select(Provider.name)).scalar_one() == "'=cmd|'/c calc'!A1"


def test_an_excel_template_loads_like_the_csv(store_with_areas, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    for line in GOOD.strip().splitlines():
        cells = next(iter(__import__("csv").reader([line])))
        sheet.append([float(c) if c.replace(".", "").isdigit() else c or None for c in cells])
    out = io.BytesIO()
    workbook.save(out)
    path = tmp_path / "q4.xlsx"
    path.write_bytes(out.getvalue())
    report = import_file(store_with_areas, path)
    assert report.ok, report.problem_lines()
    assert report.rows_added == 5
    csv_loaded = figures(store_with_areas)
    assert csv_loaded.loc[csv_loaded["indicator"] == "new_presentations", "value"].item() == 1035


def test_loading_the_same_file_twice_changes_no_figure(store_with_areas, tmp_path):
    path = write_file(tmp_path, "q4.csv", GOOD)
    first = import_file(store_with_areas, path)
    tables = ("observations", "areas", "periods", "indicators", "providers", "comparator_groups")
    before = {k: v for k, v in dump_database(store_with_areas).items() if k in tables}
    second = import_file(store_with_areas, path)
    assert second.ok and (second.rows_added, second.rows_replaced, second.rows_unchanged) == (0, 0, 5)
    assert f"This exact file was loaded before, as import {first.import_id}." in second.warnings
    assert {k: v for k, v in dump_database(store_with_areas).items() if k in tables} == before


def test_a_corrected_file_replaces_figures_and_undo_restores_them(store_with_areas, tmp_path):
    import_file(store_with_areas, write_file(tmp_path, "q4.csv", GOOD))
    original = figures(store_with_areas)
    corrected = GOOD.replace("opiate,,,,1129,,", "opiate,,,,1130,,") + "in_treatment,E07000129,2017-18 Q4,all,,,,77,,\n"
    report = import_file(store_with_areas, write_file(tmp_path, "q4-corrected.csv", corrected))
    assert (report.rows_added, report.rows_replaced, report.rows_unchanged) == (1, 1, 4)
    now = figures(store_with_areas)
    opiate = now[(now["indicator"] == "in_treatment") & (now["substance_group"] == "opiate")].iloc[0]
    assert (opiate["value"], opiate["import_id"]) == (1130, report.import_id)

    refused = undo_import(store_with_areas, 1)
    assert not refused.ok
    assert refused.message == (
        "Import 1 (q4.csv) cannot be undone yet: import 2 (q4-corrected.csv) loaded later replaced or re-loaded "
        "some of the same figures. Undo it first."
    )
    undone = undo_import(store_with_areas, report.import_id, undone_by="ana")
    assert undone.ok and (undone.rows_removed, undone.rows_restored) == (2, 1)
    assert figures(store_with_areas).equals(original)  # the earlier figure is back, owned by import 1 again
    assert not undo_import(store_with_areas, report.import_id).ok  # already undone
    logged = {r.id: r for r in list_imports(store_with_areas)}
    assert (logged[2].status, logged[2].undone_by) == ("undone", "ana")
    assert undo_import(store_with_areas, 1).ok
    assert figures(store_with_areas).empty
    with store_with_areas.connect() as conn:
        assert conn.execute(select(Provider.code)).all() == []  # added by import 1, unused now


def test_a_dry_run_reports_what_would_change_and_changes_nothing(store_with_areas, tmp_path):
    path = write_file(tmp_path, "q4.csv", GOOD)
    before = dump_database(store_with_areas)
    dry = import_file(store_with_areas, path, dry_run=True)
    assert dry.ok and dry.dry_run and dry.import_id is None
    assert (dry.rows_added, dry.rows_replaced, dry.rows_unchanged) == (5, 0, 0)
    assert dry.summary() == (
        "q4.csv (observations template) checked, nothing saved: loading it would give 5 new figures, 0 replaced, "
        "0 unchanged."
    )
    assert dump_database(store_with_areas) == before
    real = import_file(store_with_areas, path)
    assert (real.rows_added, real.rows_replaced, real.rows_unchanged) == (5, 0, 0)


def test_a_database_failure_halfway_through_leaves_no_trace(store_with_areas, tmp_path, monkeypatch):
    from dashboard.importing import loader

    def fail(*_args, **_kwargs):
        raise OperationalError("INSERT", {}, Exception("disk full"))

    before = {k: v for k, v in dump_database(store_with_areas).items() if not k.startswith("sequence")}
    monkeypatch.setattr(loader, "_write_groups", fail)  # runs after the figures are written
    report = import_file(store_with_areas, write_file(tmp_path, "q4.csv", GOOD))
    assert not report.ok
    assert report.problem_lines() == ["the database refused the file, so nothing was saved (OperationalError)"]
    after = {k: v for k, v in dump_database(store_with_areas).items() if not k.startswith("sequence")}
    assert after == before


def test_the_areas_template_adds_and_updates_areas_and_undo_puts_the_old_names_back(store_with_areas, tmp_path):
    content = (
        "area_code,area_name,area_type,parent_code\nE07000130,Charnwood Borough,ltla,\n"
        "E07000132,Hinckley and Bosworth,District & UA,E10000018\nE07000129,Blaby,ltla,E10000018\n"
    )
    report = import_file(store_with_areas, write_file(tmp_path, "areas.csv", content))
    assert report.ok and (report.record_kind, report.rows_added, report.rows_replaced, report.rows_unchanged) == (
        "areas",
        1,
        1,
        1,
    )
    assert report.summary().endswith("1 new area, 1 replaced, 1 unchanged.")
    with store_with_areas.connect() as conn:
        names = dict(conn.execute(select(Area.code, Area.name)).all())
    assert names["E07000130"] == "Charnwood Borough" and names["E07000132"] == "Hinckley and Bosworth"
    assert undo_import(store_with_areas, report.import_id).ok
    with store_with_areas.connect() as conn:
        names = dict(conn.execute(select(Area.code, Area.name)).all())
        parent = conn.execute(
            select(Area.code).where(Area.id == select(Area.parent_id).where(Area.code == "E07000130").scalar_subquery())
        ).scalar_one()
    assert names["E07000130"] == "Charnwood" and "E07000132" not in names and parent == "E10000018"


def test_areas_template_problems_are_located(store, tmp_path):
    content = (
        "area_code,area_name,area_type,parent_code\nE10000018,,county,E12000004\nE10 000018,X,utla,\n"
        "E07000130,Charnwood,distrct,E10000018\n"
    )
    report = import_file(store, write_file(tmp_path, "areas.csv", content))
    assert report.problem_lines() == [
        "row 2, column area_name: the area name is blank; every row needs one",
        "row 2, column parent_code: 'E12000004' is not an area in the dashboard or in this file yet (it is East "
        "Midlands in the ONS lookup): load it with the areas template first",
        "row 3, column area_code: this is not a usable area code: use letters and digits only, at most 12 (e.g. "
        "E10000018)",
        "row 4, column area_type: 'distrct' is not an area type; did you mean 'ltla'?",
    ]


def test_the_groups_template_replaces_a_group_and_undo_restores_its_members(store_with_areas, tmp_path):
    first = (
        "group_code,group_name,area_code\nLLR,Leicestershire neighbours,E10000018\n"
        "LLR,Leicestershire neighbours,E07000129\n"
    )
    assert import_file(store_with_areas, write_file(tmp_path, "g1.csv", first)).ok
    second = first.replace("E07000129", "E07000130")
    report = import_file(store_with_areas, write_file(tmp_path, "g2.csv", second))
    assert report.ok and (report.record_kind, report.rows_replaced) == ("groups", 1)
    assert [g.members for g in repository_groups(store_with_areas)] == [2]
    assert undo_import(store_with_areas, report.import_id).ok
    from dashboard.importing.loader import group_snapshot

    with store_with_areas.connect() as conn:
        assert group_snapshot(conn, "LLR")["members"] == ["E07000129", "E10000018"]
    bad = "group_code,group_name,area_code\nLLR,Leicestershire neighbours,E1000018\nLLR,Other name,E10000018\n"
    rejected = import_file(store_with_areas, write_file(tmp_path, "g3.csv", bad))
    assert rejected.problem_lines() == [
        "row 2, column area_code: 'E1000018' is not an area in the dashboard; did you mean E10000018 (Leicestershire)?",
        "row 3, column group_name: this group's name is 'Leicestershire neighbours' in an earlier row but 'Other name' "
        "here; use one",
    ]


def repository_groups(engine):
    """The stored groups (not the group of every partnership, whose members are a rule)."""
    from dashboard.store.repository_compare import comparator_groups

    return [g for g in comparator_groups(engine) if g.kind != "all_partnerships"]


def test_undo_of_an_unknown_import_says_so(store):
    report = undo_import(store, 99)
    assert not report.ok and report.message == "There is no import 99; `dashboard imports list` shows them."
    with store.connect() as conn:
        assert conn.execute(select(Meta.value).where(Meta.key == "data_version")).first() is None

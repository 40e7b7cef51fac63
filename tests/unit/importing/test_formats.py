"""Formats are told apart by their columns, on the real files' headers."""

import pytest

from dashboard.cli.imports import FORMATS as CLI_FORMATS
from dashboard.importing import FORMATS
from dashboard.importing.formats import choose_layout
from dashboard.importing.problems import Problems
from dashboard.importing.reading import read_table
from tests.unit.importing.helpers import FIXTURES, HEADER


def _layout(data: bytes, file_format: str = "auto"):
    problems = Problems()
    table = read_table(data, "f.csv", problems)
    return choose_layout(table, file_format, problems), [str(p) for p in problems.shown()]


@pytest.mark.parametrize(
    ("path", "file_format", "name"),
    [
        (
            "fingertips/fingertips_export_93356_campylobacter_2015_north_east_slice.csv",
            "fingertips",
            "Fingertips export",
        ),
        (
            "fingertips/fingertips_export_93517_unmet_need_opiate_crack_utla_2018-19_to_2020-21.csv",
            "fingertips",
            "Fingertips export",
        ),
        (
            "fingertips/wsx_walkthrough_utla_cipfa_neighbours_2018-19_west_sussex_group.csv",
            "fingertips",
            "Fingertips comparator-group extract",
        ),
        ("fingertips/lape_91414_alcohol_related_admissions_narrow_slice.csv", "fingertips", "tidy Fingertips extract"),
        ("ndtms/ndtms_viewit_adult_barnet_2016-17_to_2018-19_slice.csv", "ndtms-viewit", "NDTMS ViewIt export"),
        ("ndtms/ndtms_viewit_adult_england_2017-18_to_2018-19_slice.csv", "ndtms-viewit", "NDTMS ViewIt export"),
        (
            "ndtms/alcohol_dependency_prevalence_estimates_east_midlands_slice.csv",
            "ndtms-viewit",
            "alcohol dependency estimates",
        ),
    ],
)
def test_each_real_file_is_recognised(path, file_format, name):
    layout, problems = _layout((FIXTURES / path).read_bytes())
    assert problems == []
    assert (layout.file_format, layout.name) == (file_format, name)


@pytest.mark.parametrize(
    ("header", "file_format"),
    [
        (HEADER, "canonical"),
        ("area_code,area_name,area_type,parent_code", "areas"),
        ("group_code,group_name,area_code", "groups"),
    ],
)
def test_templates_are_recognised(header, file_format):
    layout, _problems = _layout(f"{header}\n{','.join('x' * len(header.split(',')))}\n".encode())
    assert layout.file_format == file_format


def test_a_misspelt_template_is_still_taken_for_the_template_so_the_reader_can_name_the_column():
    layout, problems = _layout(b"indicator,area_code,perod,value\nx,y,z,1\n")
    assert layout.file_format == "canonical" and problems == []


def test_an_unknown_table_says_which_files_can_be_loaded():
    layout, problems = _layout(b"foo,bar,baz\n1,2,3\n")
    assert layout is None
    assert problems[0].startswith("row 1: the columns (foo, bar, baz) do not match any file the dashboard can load")


def test_an_explicit_format_is_held_to_even_when_the_columns_do_not_fit():
    layout, _ = _layout(f"{HEADER}\nx,y,z,,,,,1,,\n".encode(), "fingertips")
    assert layout.file_format == "fingertips"


def test_the_command_line_offers_exactly_the_library_formats():
    assert tuple(CLI_FORMATS) == tuple(FORMATS)

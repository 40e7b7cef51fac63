"""The shipped templates are the importer's own column lists, and an empty template is refused kindly."""

import csv
import io

import openpyxl
import pytest

from dashboard.importing import areas_groups, canonical
from dashboard.importing.templates import TEMPLATES_DIR, csv_bytes, templates

SPEC = {
    "observations": "indicator,area_code,period,substance_group,provider,numerator,denominator,value,lower_ci_95,"
    "upper_ci_95,sex,age_group,deprivation_decile,ethnicity,setting",
    "areas": "area_code,area_name,area_type,parent_code",
    "groups": "group_code,group_name,area_code",
}


@pytest.mark.parametrize("name", sorted(SPEC))
def test_shipped_csv_and_excel_templates_have_the_documented_columns(name):
    template = templates()[name]
    assert ",".join(template.columns) == SPEC[name]
    assert (TEMPLATES_DIR / f"{name}.csv").read_bytes() == csv_bytes(template)
    assert next(csv.reader(io.StringIO((TEMPLATES_DIR / f"{name}.csv").read_text()))) == list(template.columns)
    workbook = openpyxl.load_workbook(TEMPLATES_DIR / f"{name}.xlsx", read_only=True)
    form, notes = workbook.worksheets[0], workbook["notes"]
    assert [c.value for c in next(form.iter_rows())] == list(template.columns)
    noted = {}
    for row in notes.iter_rows(min_row=2, values_only=True):
        if not row or row[0] is None:
            break  # the examples follow a blank row
        noted[row[0]] = row[1]
    assert noted == template.notes
    workbook.close()


def test_every_template_column_is_one_the_reader_knows():
    assert set(SPEC["observations"].split(",")) <= set(canonical.COLUMNS.known)
    assert set(SPEC["areas"].split(",")) <= set(areas_groups.AREA_COLUMNS.known)
    assert set(SPEC["groups"].split(",")) <= set(areas_groups.GROUP_COLUMNS.known)

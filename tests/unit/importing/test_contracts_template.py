"""The shipped contracts template is the reader's own column list, its examples fill every column, and the
layout is told from other files by its columns."""

import csv
import io

import openpyxl

from dashboard.importing import contracts
from dashboard.importing.formats import LAYOUTS
from dashboard.importing.templates import TEMPLATES_DIR, csv_bytes


def test_the_shipped_csv_and_excel_are_the_template():
    template = contracts.template()
    assert template.columns == ("row_type", "contract_code", *contracts.FIELDS)
    assert set(template.columns) == set(contracts.COLUMNS.known) == set(template.notes)
    assert all(len(example) == len(template.columns) for example in template.examples)
    assert {example[0] for example in template.examples} == set(contracts.ROW_TYPES)
    assert (TEMPLATES_DIR / "contracts.csv").read_bytes() == csv_bytes(template)
    assert next(csv.reader(io.StringIO((TEMPLATES_DIR / "contracts.csv").read_text()))) == list(template.columns)
    workbook = openpyxl.load_workbook(TEMPLATES_DIR / "contracts.xlsx", read_only=True)
    assert [c.value for c in next(workbook.worksheets[0].iter_rows())] == list(template.columns)
    workbook.close()


def test_every_column_a_row_type_uses_is_a_template_column():
    used = {c for required, optional in contracts.USES.values() for c in (*required, *optional)}
    assert used == set(contracts.FIELDS)


def test_the_contracts_layout_is_recognised_only_by_its_own_columns():
    layout = next(lay for lay in LAYOUTS if lay.file_format == "contracts")
    assert layout.matched(list(contracts.template().columns)) == layout.needed
    observations = ["indicator", "area_code", "period", "value"]
    assert layout.matched(observations) < layout.needed

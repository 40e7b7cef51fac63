"""The downloadable templates (CSV and Excel): observations, areas, comparator groups and the registers
(contracts, committee resolutions, delivery sites). One list, served by one route and linked from Upload data.

The column lists come from the readers, so a template can never drift from what the importer accepts. The
files shipped in ``data/templates/`` are written by ``write_templates`` (``python -m
dashboard.importing.templates``); a test checks their cells against these definitions.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from dashboard.importing import areas_groups, canonical
from dashboard.importing import resolutions as resolutions_register
from dashboard.paths import DATA_DIR
from dashboard.store.reference import core_indicator_rows

TEMPLATES_DIR = DATA_DIR / "templates"
# Every template, in the order Upload data lists them, with the words it uses.
LABELS = {
    "observations": "Observations (figures)",
    "areas": "Areas",
    "groups": "Comparator groups",
    "contracts": "Contracts and payment by results",
    "resolutions": "Committee resolutions",
    "sites": "Delivery sites",
}
PERIODS = "'2017-18 Q4' (quarter, rolling 12 months), '2017/18' (financial year) or '2018' (calendar year)"
BREAKDOWN = "Optional: a figure for part of the population, kept beside the figure for everyone."
SUBSTANCES = "opiate, non_opiate, alcohol, alcohol_non_opiate or all; NDTMS labels such as 'Non-opiate & alcohol' too"


@dataclass(frozen=True)
class Template:
    name: str
    columns: tuple[str, ...]
    notes: dict[str, str]  # column -> what to enter
    examples: tuple[tuple[str, ...], ...]


def _indicator_note() -> str:
    keys = ", ".join(str(r["key"]) for r in core_indicator_rows())
    return f"Required. The indicator key: {keys}."


def templates() -> dict[str, Template]:
    observations = Template(
        "observations",
        (*canonical.COLUMNS.known[:10], "sex", "age_group", "deprivation_decile", "ethnicity", "setting"),
        {
            "indicator": _indicator_note(),
            "area_code": "Required. The area's ONS code, e.g. E10000018 (Leicestershire). It must already be in the "
            "dashboard (load new areas with the areas template first).",
            "period": f"Required. {PERIODS}.",
            "substance_group": f"{SUBSTANCES}. Blank means all substances.",
            "provider": "The provider's code or name. Blank means all providers. A new name adds a provider.",
            "numerator": "A count, e.g. successful completions. Blank if not known.",
            "denominator": "A count, e.g. adults in treatment. Must not be below the numerator.",
            "value": "The figure. Rates are percentages from 0 to 100 (35 for 35%). May be left blank when "
            "numerator and denominator are given, and given alone (e.g. a published England figure).",
            "lower_ci_95": "Lower 95% confidence limit, optional.",
            "upper_ci_95": "Upper 95% confidence limit, optional.",
            "sex": f"{BREAKDOWN} Female or Male (F and M too); blank or Persons for everyone.",
            "age_group": f"{BREAKDOWN} An age band such as 18-29, 30-49 or 50+; blank or Total for all ages.",
            "deprivation_decile": f"{BREAKDOWN} 1 (most deprived) to 10 (least deprived); blank for every decile.",
            "ethnicity": f"{BREAKDOWN} The ethnic group as NDTMS names it, e.g. White; blank for everyone.",
            "setting": f"{BREAKDOWN} Community or Prison; blank for every setting.",
        },
        (
            ("in_treatment", "E10000018", "2017-18 Q4", "opiate", "", "", "", "1129", "", "", "", "", "", "", ""),
            (
                *("successful_completion_rate", "E10000018", "2017-18 Q4", "opiate", "", "80", "1129", "", "", ""),
                *("", "", "", "", ""),
            ),
            (
                *("successful_completion_rate", "E10000018", "2017-18 Q4", "opiate", "", "30", "370", "", "", ""),
                *("Female", "", "", "", ""),
            ),
        ),
    )
    areas = Template(
        "areas",
        tuple(areas_groups.AREA_COLUMNS.known),
        {
            "area_code": "Required. The ONS code, e.g. E07000130.",
            "area_name": "Required. The name to show, e.g. Charnwood.",
            "area_type": "Required. england, region, utla (county or unitary: the partnership level) or ltla "
            "(district); Fingertips' names such as 'County & UA' are accepted too.",
            "parent_code": "The area one level up (a district's county, a county's region). Blank keeps the "
            "parent the dashboard already has.",
        },
        (("E07000130", "Charnwood", "ltla", "E10000018"),),
    )
    groups = Template(
        "groups",
        tuple(areas_groups.GROUP_COLUMNS.known[:3]),
        {
            "group_code": "Required. A short code for the group, e.g. CIPFA-E10000018. A group in the file "
            "replaces the group of the same code.",
            "group_name": "Required. The name to show, e.g. Leicestershire CIPFA nearest neighbours.",
            "area_code": "Required. One member area's ONS code per row.",
        },
        (("CIPFA-E10000018", "Leicestershire CIPFA nearest neighbours", "E10000018"),),
    )
    # The registers' readers build their templates from this module's Template, so they are imported here.
    from dashboard.importing import contracts, sites

    registers = (contracts.template(), resolutions_template(), sites.TEMPLATE)
    found = {t.name: t for t in (observations, areas, groups, *registers)}
    return {name: found[name] for name in LABELS}


def resolutions_template() -> Template:
    """The committee resolutions register: one row per resolution."""
    return Template(
        "resolutions",
        tuple(resolutions_register.COLUMNS.known),
        {
            "meeting_date": "Required. The date of the meeting, e.g. 2019-11-18 or 18/11/2019.",
            "committee": "Required. The committee's name, e.g. Adults and Wellbeing Scrutiny Committee. With the "
            "meeting date and number it names the resolution: a row with the same three replaces it.",
            "number": "Required. The resolution's number within the meeting: 1, 2, 3...",
            "text": "Required. What was resolved, as minuted.",
            "area_code": "The partnership's ONS code or name, e.g. E10000018. Blank: this dashboard's partnership.",
            "owner": "Who is to carry it out, e.g. Joint Commissioning Manager.",
            "due": "A date (2020-05-18), or a review period such as 'review in 6 months', due that long after the "
            "meeting. Blank: no due date.",
            "kind": "resolution or review (a service update to come back to the committee). Blank: review when "
            "'due' gives a period, else resolution.",
            "status": "open or closed. Blank: open.",
            "closed_on": "The date it was closed; needed when the status is closed.",
            "closing_note": "How it was met or why it was closed; needed when the status is closed.",
            "actions": "Refs of the partnership's action plan it links to, e.g. 3.1; 3.2.",
            "indicators": "Indicator keys it links to, e.g. successful_completion_rate; waits_under_3_weeks.",
        },
        (
            (
                *("2019-11-18", "Adults and Wellbeing Scrutiny Committee", "3"),
                *("A service update be presented to scrutiny in 6 months' time", "E10000018"),
                *("Joint Commissioning Manager", "review in 6 months", "review", "open", "", "", "10.3"),
                "successful_completion_rate",
            ),
        ),
    )


def csv_bytes(template: Template) -> bytes:
    """The header row alone: a blank form to fill in (the examples live in the Excel notes)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(template.columns)
    return out.getvalue().encode("utf-8")


def xlsx_bytes(template: Template) -> bytes:
    """A workbook whose first sheet is the blank form and whose second explains each column."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    form = workbook.active
    form.title = template.name
    form.append(list(template.columns))
    for cell in form[1]:
        cell.font = Font(bold=True)
    form.freeze_panes = "A2"
    for index, column in enumerate(template.columns):
        form.column_dimensions[chr(ord("A") + index)].width = max(14, len(column) + 4)
    notes = workbook.create_sheet("notes")
    notes.append(["column", "what to enter"])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    for column in template.columns:
        notes.append([column, template.notes[column]])
    notes.append([])
    notes.append(["Examples (copy to the first sheet):"])
    notes.append(list(template.columns))
    for example in template.examples:
        notes.append(list(example))
    notes.column_dimensions["A"].width = 22
    notes.column_dimensions["B"].width = 110
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def write_templates(directory: Path = TEMPLATES_DIR) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for template in templates().values():
        for suffix, content in (("csv", csv_bytes(template)), ("xlsx", xlsx_bytes(template))):
            path = directory / f"{template.name}.{suffix}"
            path.write_bytes(content)
            written.append(path)
    return written


if __name__ == "__main__":
    for written_path in write_templates():
        print(written_path)

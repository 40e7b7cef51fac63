"""The demonstration committee register: three meetings of the demonstration partnership's adults scrutiny
committee, with resolutions modelled on a real scrutiny committee's minutes (seed 004, Herefordshire: note the
service's performance; recommend supervision and a review of information sharing; ask the contract monitoring
officer to attend; consider regular briefing notes with performance data; a service update in 6 months).

The meetings sit in the demonstration period, beside the action plan (judged as of 30 April 2020): some
resolutions are closed, one is overdue and two are due within the action plan's due-soon window, one of them the
six-month review. The register is read by the real reader, as a clerk's spreadsheet would be, and written by the
register's own writer; like the rest of the demonstration data it is not an import in the history.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from dashboard.importing.problems import Problems
from dashboard.importing.reading import read_table
from dashboard.importing.resolutions import COLUMNS, REGISTER, read_resolutions
from dashboard.importing.state import StoreState
from dashboard.services.resolutions import list_resolutions
from dashboard.store import repository
from dashboard.store.unit_of_work import transaction

if TYPE_CHECKING:
    from sqlalchemy import Engine

COMMITTEE = "Adults and Wellbeing Scrutiny Committee"
FILE_NAME = "scrutiny_resolutions_2019-20.csv"
JCM, PIL, TP_SM = "Joint Commissioning Manager", "Performance and Intelligence Lead", "Turning Point Service Manager"
SCRUTINY = "Democratic Services (scrutiny officer)"

# meeting_date, number, text, owner, due, kind, status, closed_on, closing_note, actions, indicators
ROWS = (
    ("2019-07-15", 1, "The performance of the substance misuse service be noted", SCRUTINY, "", "", "closed",
     "2019-07-15", "Noted at the meeting.", "", "successful_completion_rate"),
    ("2019-07-15", 2, "Robust staff supervision and service user reviews be recommended to the service, to support "
     "the culture change towards the recovery model", TP_SM, "2019-12-31", "", "closed", "2020-03-30",
     "The provider's supervision framework is in place and every client has had a recovery review, as the contract "
     "monitoring officer confirmed on 30 March.", "7.1; 10.1", "successful_completion_rate"),
    ("2019-07-15", 3, "The contract monitoring officer be requested to attend committee for service reviews", JCM,
     "2019-11-18", "", "closed", "2019-11-18", "The contract monitoring officer attended the November meeting.",
     "", ""),
    ("2019-11-18", 1, "Consideration be given to regular briefing notes for members, to include performance data",
     PIL, "2020-02-29", "", "closed", "2020-02-20",
     "A quarterly briefing note with the completion rates was agreed; the first went to members in February.",
     "2.1", "successful_completion_rate; waits_under_3_weeks"),
    ("2019-11-18", 2, "The service undertake and review a risk assessment of information sharing and the "
     "compatibility of partners' systems", TP_SM, "2020-03-20", "", "open", "", "", "3.1; 3.2", ""),
    ("2019-11-18", 3, "A service update be presented to scrutiny in 6 months' time", JCM, "review in 6 months",
     "review", "open", "", "", "10.3", "successful_completion_rate; retained_12_weeks"),
    ("2020-03-16", 1, "Waiting times for a first intervention be reported to each meeting", PIL, "2020-06-15", "",
     "open", "", "", "4.2", "waits_under_3_weeks"),
    ("2020-03-16", 2, "The committee receive the action plan's progress on successful completions at its next "
     "meeting", JCM, "2020-05-25", "", "open", "", "", "10.3", "successful_completion_rate"),
)  # fmt: skip


def demo_rows(area_code: str) -> list[dict[str, str]]:
    """The register as a clerk's spreadsheet rows (the template's columns)."""
    names = ("meeting_date", "number", "text", "owner", "due", "kind", "status", "closed_on", "closing_note")
    rows = []
    for values in ROWS:
        row = dict(zip((*names, "actions", "indicators"), (str(v) for v in values), strict=True))
        rows.append({"committee": COMMITTEE, "area_code": area_code, **row})
    return rows


def register_bytes(area_code: str) -> bytes:
    """The register as the CSV file a clerk would keep."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS.known, lineterminator="\n")
    writer.writeheader()
    writer.writerows(demo_rows(area_code))
    return out.getvalue().encode("utf-8")


def seed_resolutions(engine: Engine) -> int:
    """Read the demo register for the home partnership with the real reader (every cell checked as a clerk's file
    is) and write its records with the register's own writer, in one transaction; the number written. Like the
    rest of the demonstration data it does not go into the import history (there is no load to undo), and it is
    written once: after ``seed-demo --reset`` the register is left as it is."""
    home = repository.read_meta(engine).get("home_area")
    if not home or list_resolutions(engine, area=home):
        return 0
    problems = Problems()
    with transaction(engine, write_lock=True) as conn:
        table = read_table(register_bytes(home), FILE_NAME, problems)
        batch = read_resolutions(table, StoreState.load(conn)) if table is not None else None
        if batch is None or problems or batch.problems:
            found = [str(p) for p in (batch.problems if batch else problems).shown()]
            raise RuntimeError(f"the demonstration register does not read: {found}")
        for key, record in batch.register_records.items():
            REGISTER.write(conn, key, record)
    return len(batch.register_records)

"""The demonstration contracts, loaded through the real contracts reader and loader.

Modelled on the structure of Birmingham's 2015 scrutiny briefing on its recovery contract (annual values
falling year by year, savings against the cabinet report's contract value and against previous spend, a
payment-by-results element of 10% of the annual value from the second contract year, KPIs on successful
completions, re-presentations and criminal justice, monthly reporting and a series of planned audits). Every
value is synthetic, sized for the demonstration partnership and its providers; the second contract has a KPI
whose figures are not loaded, so the page shows what "not yet known" looks like.

The rows are read and checked by the real contracts reader and written by the register's own ``write``, in
one transaction; like the rest of the demonstration data they are not a user's load, so they stay out of the
import history (nothing there for anyone to undo).
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from dashboard.importing.contracts import CONTRACTS, FIELDS, read_contracts
from dashboard.importing.problems import Problems
from dashboard.importing.reading import read_table
from dashboard.importing.state import StoreState
from dashboard.store import contracts_dao, repository
from dashboard.store.unit_of_work import transaction

if TYPE_CHECKING:
    from sqlalchemy import Engine

FILE_NAME = "demonstration_contracts.csv"
COLUMNS = ("row_type", "contract_code", *FIELDS)


def _row(row_type: str, code: str, **cells: str) -> dict[str, str]:
    return {"row_type": row_type, "contract_code": code, **cells}


def demo_rows(area: str) -> list[dict[str, str]]:
    recovery, alcohol = "LCC-REC-01", "LCC-ALC-02"
    rows = [
        _row(
            "contract",
            recovery,
            name="Adult drug and alcohol recovery service",
            provider_code="turning-point",
            area_code=area,
            start_date="2016-07-01",
            end_date="2021-06-30",
            extension_end="2023-06-30",
            reporting="monthly",
            pbr_share="10",
        ),
        *(
            _row("value", recovery, financial_year=year, amount=amount, pbr_share=share)
            for year, amount, share in (
                ("2016-17", "4950000", "0"),  # nine months, before payment by results starts
                ("2017-18", "6480000", ""),
                ("2018-19", "6150000", ""),
                ("2019-20", "6150000", ""),
                ("2020-21", "5260000", ""),
                ("2021-22", "1270000", ""),  # three months to the end date
            )
        ),
        _row("baseline", recovery, name="the cabinet report's contract value", amount="6900000"),
        _row("baseline", recovery, name="2015-16 spend on treatment contracts", amount="9400000"),
        *(
            _row(
                "kpi",
                recovery,
                name=name,
                indicator=indicator,
                substance_group=group,
                weight=weight,
                target=target,
                threshold=threshold,
                part_payment="50",
            )
            for name, indicator, group, weight, target, threshold in (
                ("Opiate users completing treatment", "successful_completion_rate", "opiate", "30", "7.5", "6.5"),
                ("Non-opiate users completing treatment", "successful_completion_rate", "non_opiate", "20", "36", "32"),
                ("Completers not re-presenting", "representation_rate", "all", "20", "10", "12"),
                ("Prison leavers engaged within 3 weeks", "continuity_of_care", "all", "30", "45", "40"),
            )
        ),
        *(
            _row("audit", recovery, name=topic, due_date=due)
            for topic, due in (
                ("Safeguarding", "2017-03-31"),
                ("Workforce development", "2017-09-30"),
                ("Prescribing", "2018-03-31"),
                ("Employment pathway", "2019-09-30"),
            )
        ),
        _row(
            "contract",
            alcohol,
            name="Alcohol recovery and aftercare",
            provider_code="dear-albert",
            area_code=area,
            start_date="2018-04-01",
            end_date="2021-03-31",
            reporting="quarterly",
            pbr_share="5",
        ),
        *(
            _row("value", alcohol, financial_year=year, amount=amount)
            for year, amount in (("2018-19", "420000"), ("2019-20", "420000"), ("2020-21", "400000"))
        ),
        _row("baseline", alcohol, name="previous aftercare grants", amount="480000"),
        _row(
            "kpi",
            alcohol,
            name="Alcohol users completing treatment",
            indicator="successful_completion_rate",
            substance_group="alcohol",
            weight="60",
            target="40",
            threshold="35",
            part_payment="50",
        ),
        _row(
            "kpi",
            alcohol,
            name="Dependent drinkers in treatment",
            indicator="alcohol_met_need",
            substance_group="alcohol",
            weight="40",
            target="25",
            threshold="20",
            part_payment="50",
        ),
    ]
    return rows


def demo_csv(area: str) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n", restval="")
    writer.writeheader()
    writer.writerows(demo_rows(area))
    return out.getvalue().encode("utf-8")


def seed_contracts(engine: Engine) -> list[str]:
    """Add the demo contracts for the dataset's home partnership (once); the codes written."""
    home = repository.read_meta(engine).get("home_area")
    if not home or contracts_dao.contracts(engine, {home}):
        return []
    problems = Problems()
    table = read_table(demo_csv(home), FILE_NAME, problems)
    with transaction(engine, write_lock=True) as conn:
        batch = read_contracts(table, StoreState.load(conn)) if table is not None else None
        if batch is None or problems or batch.problems:
            shown = (batch.problems if batch is not None else problems).shown()
            raise RuntimeError(f"the demonstration contracts do not read: {[str(p) for p in shown]}")
        for code, record in batch.register_records.items():
            CONTRACTS.write(conn, code, record)
    return list(batch.register_records)

"""The board pack's contracts page: each contract's sentence, its KPIs with the latest figures and payment, and
its values and savings, from the same service and words as the Contracts page."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from dashboard.narrative.contracts import (
    KPI_HEADERS,
    contract_sentence,
    kpi_rows,
    savings_sentence,
    term_words,
)
from dashboard.services.contracts import contract_standings

if TYPE_CHECKING:
    from sqlalchemy import Engine

KPI_COLUMNS = ("kpi", "measure", "weight", "target", "threshold", "latest", "band", "earned")


@dataclass
class ContractPage:
    title: str
    provider: str
    term: str
    sentence: str
    savings: str
    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)


@dataclass
class ContractsSection:
    contracts: list[ContractPage]


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return f"{int(value):,}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def gather_contracts(engine: Engine, area_code: str) -> ContractsSection | None:
    """None when no contract covers the area's partnership."""
    found = contract_standings(engine, area_code, with_history=False)
    if not found:
        return None
    pages = []
    for standing in found:
        table = kpi_rows(standing)
        table["earned"] = table["earned"].map(lambda v: _cell(v) or "not yet known")
        pages.append(
            ContractPage(
                title=f"{standing.name} ({standing.code})",
                provider=standing.provider_name or f"{standing.provider_code} (unknown provider)",
                term=term_words(standing),
                sentence=contract_sentence(standing),
                savings=savings_sentence(standing),
                headers=[KPI_HEADERS[c] for c in KPI_COLUMNS],
                rows=[[_cell(row[c]) for c in KPI_COLUMNS] for row in table.to_dict("records")],
            )
        )
    return ContractsSection(pages)

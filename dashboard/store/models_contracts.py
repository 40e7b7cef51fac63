"""Providers' contracts: annual values, named baselines, payment-by-results KPIs, planned audits, and the
history of every edit.

A contract is a register record (``dashboard.importing.contracts``): a spreadsheet load adds or replaces it
whole, children and all, and the import's record history keeps its before-image so the load can be undone.
Areas, providers and indicators are kept as codes and keys, not foreign keys, on purpose (as action plans do):
reloading figures replaces those tables, and a contract and its history must survive that untouched. The edit
history is append-only and keyed by the contract's code, so it reads the same after a reload.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from dashboard.store.models import Base


class Contract(Base):
    __tablename__ = "contracts"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    provider_code: Mapped[str] = mapped_column(String(64))  # may name a provider the store does not hold
    area_code: Mapped[str] = mapped_column(String(12), index=True)  # GSS code of the partnership
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)
    extension_end: Mapped[dt.date | None] = mapped_column(Date)
    reporting: Mapped[str] = mapped_column(String(16))  # monthly | quarterly | annual
    pbr_share: Mapped[float] = mapped_column(Float, default=0.0)  # % of the annual value
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    updated_by: Mapped[str | None] = mapped_column(String(120))


class ContractYear(Base):
    __tablename__ = "contract_years"

    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"), primary_key=True)
    financial_year: Mapped[str] = mapped_column(String(7), primary_key=True)  # "2016-17"
    amount: Mapped[float] = mapped_column(Float)  # pounds
    pbr_share: Mapped[float | None] = mapped_column(Float)  # this year's % when it differs from the contract's


class ContractBaseline(Base):
    __tablename__ = "contract_baselines"
    __table_args__ = (UniqueConstraint("contract_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))  # "the cabinet report's contract value"
    amount: Mapped[float] = mapped_column(Float)  # pounds a year


class ContractKpi(Base):
    __tablename__ = "contract_kpis"
    __table_args__ = (UniqueConstraint("contract_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    indicator_key: Mapped[str] = mapped_column(String(64))
    substance_group: Mapped[str] = mapped_column(String(32))
    weight: Mapped[float] = mapped_column(Float)  # % of the PbR element
    target: Mapped[float] = mapped_column(Float)
    threshold: Mapped[float | None] = mapped_column(Float)
    part_payment: Mapped[float | None] = mapped_column(Float)  # % of the KPI's share paid from the threshold


class ContractAudit(Base):
    __tablename__ = "contract_audits"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    topic: Mapped[str] = mapped_column(String(200))
    due_date: Mapped[dt.date | None] = mapped_column(Date)


class ContractChange(Base):
    """One field changed by one edit: who, when, what, from and to (append-only)."""

    __tablename__ = "contract_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_code: Mapped[str] = mapped_column(String(32), index=True)
    version: Mapped[int] = mapped_column(Integer)
    user_name: Mapped[str] = mapped_column(String(120))
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    item: Mapped[str] = mapped_column(String(240))  # "the contract", "KPI: Opiate completions", "2019-20 value"
    field: Mapped[str] = mapped_column(String(32))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)

"""What each import changed, so it can be undone: the figures it replaced and the records it added or changed.

An import writes its new figures into ``observations`` (tagged with its ``import_id``). The figures it
replaced are kept here with the import that had loaded them, and restored if the import is undone. Rows it
loaded again unchanged, but which an earlier import owns, are noted as ``kept``: an earlier import cannot be
undone while a later one still stands on the same figures.
"""

from __future__ import annotations

from sqlalchemy import JSON, Float, ForeignKey, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from dashboard.store.models import Base


class ImportObservationHistory(Base):
    __tablename__ = "import_observation_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("imports.id"), index=True)
    action: Mapped[str] = mapped_column(String(16))  # replaced | kept
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id"))
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"))
    substance_group_id: Mapped[int] = mapped_column(ForeignKey("substance_groups.id"))
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("providers.id"))
    period_id: Mapped[int] = mapped_column(ForeignKey("periods.id"))
    breakdown_id: Mapped[int] = mapped_column(ForeignKey("breakdowns.id"), default=0, server_default=text("0"))
    numerator: Mapped[float | None] = mapped_column(Float)
    denominator: Mapped[float | None] = mapped_column(Float)
    value: Mapped[float | None] = mapped_column(Float)
    lower_ci_95: Mapped[float | None] = mapped_column(Float)
    upper_ci_95: Mapped[float | None] = mapped_column(Float)
    lower_ci_99_8: Mapped[float | None] = mapped_column(Float)
    upper_ci_99_8: Mapped[float | None] = mapped_column(Float)
    # The import that had loaded the figure before (NULL for figures not loaded by an import, e.g. demo data).
    previous_import_id: Mapped[int | None] = mapped_column(ForeignKey("imports.id"), index=True)


class ImportRecordHistory(Base):
    """Areas, comparator groups, indicators, periods and providers an import added, changed or re-loaded."""

    __tablename__ = "import_record_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("imports.id"), index=True)
    record_type: Mapped[str] = mapped_column(String(16))  # area | group | indicator | period | provider
    record_key: Mapped[str] = mapped_column(String(200))  # code, key, or "label|rolling" for periods
    action: Mapped[str] = mapped_column(String(16))  # added | replaced | kept
    before: Mapped[dict | None] = mapped_column(JSON)  # the record as it was, for replaced records
    position: Mapped[int] = mapped_column(Integer, default=0)  # order of the change within the import

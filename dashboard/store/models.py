"""The relational model: indicators are rows, so a new indicator never needs a schema change.

Every observation is one number for indicator x area x substance group x provider x period. A NULL
provider means "all providers"; two partial unique indexes keep that key unique on SQLite and PostgreSQL
alike (a plain unique constraint treats NULLs as distinct on both).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    column,
    func,
    table,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

AREA_TYPES = ("england", "region", "utla", "ltla")
POLARITIES = ("high_good", "low_good", "none")
GROUP_KINDS = ("loc", "cipfa", "region", "england", "custom")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Area(Base):
    __tablename__ = "areas"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    area_type: Mapped[str] = mapped_column(String(16), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"), index=True)

    parent: Mapped[Area | None] = relationship(remote_side=[id])


class ComparatorGroup(Base):
    __tablename__ = "comparator_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16), default="custom")
    # LOC clusters differ by substance group; NULL means the group serves every substance group.
    substance_group_id: Mapped[int | None] = mapped_column(ForeignKey("substance_groups.id"))
    # The partnership the group was built for (NULL for national groups such as England).
    focus_area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"))

    members: Mapped[list[ComparatorGroupMember]] = relationship(back_populates="group", cascade="all, delete-orphan")


EVERY_PARTNERSHIP = "all_partnerships"  # the kind of group whose members are every upper-tier authority held
EVERY_PARTNERSHIP_GROUP = {
    "code": "ALL-PARTNERSHIPS",
    "name": "Every partnership in England (upper-tier authorities held)",
    "kind": EVERY_PARTNERSHIP,
}
# The members of every group, stored or by rule: a view (migration 0010), read like a table and never written.
GROUP_MEMBERSHIP = table("group_membership", column("group_id"), column("area_id"))


class ComparatorGroupMember(Base):
    __tablename__ = "comparator_group_members"

    group_id: Mapped[int] = mapped_column(ForeignKey("comparator_groups.id", ondelete="CASCADE"), primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), primary_key=True)

    group: Mapped[ComparatorGroup] = relationship(back_populates="members")
    area: Mapped[Area] = relationship()


class Provider(Base):
    __tablename__ = "providers"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(32), default="main")  # main | sub-contractor
    partnership_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"), index=True)


class SubstanceGroup(Base):
    __tablename__ = "substance_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(32), unique=True)
    label: Mapped[str] = mapped_column(String(64))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class Period(Base):
    __tablename__ = "periods"
    __table_args__ = (UniqueConstraint("label", "rolling_12m"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(32))  # "2017-18 Q4", "2017/18", "2018"
    kind: Mapped[str] = mapped_column(String(16))
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date, index=True)
    rolling_12m: Mapped[bool] = mapped_column(Boolean, default=False)


PERSONS_BREAKDOWN_ID = 0


class Breakdown(Base):
    """A sex, age group, deprivation decile, ethnicity or setting (or a mix) that a figure is for.

    Row 0 is "persons", the figure for everyone, with the empty key: every observation has a breakdown, so
    the unique keys below never meet a NULL (which SQL would count as distinct every time).
    """

    __tablename__ = "breakdowns"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)  # "" | "sex=Female" | "sex=Male;age_group=18-29"
    dimensions: Mapped[str] = mapped_column(String(100), index=True)  # "" | "sex" | "sex;age_group"
    label: Mapped[str] = mapped_column(String(200))  # "Persons" | "Female" | "Male, 18-29"
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class Indicator(Base):
    __tablename__ = "indicators"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    short_name: Mapped[str] = mapped_column(String(80))
    unit: Mapped[str] = mapped_column(String(16))  # "%", "count", "per 100,000"
    value_type: Mapped[str] = mapped_column(String(16))  # proportion | count | rate
    polarity: Mapped[str] = mapped_column(String(16), default="none")
    description: Mapped[str] = mapped_column(Text, default="")
    numerator_label: Mapped[str | None] = mapped_column(String(120))
    denominator_label: Mapped[str | None] = mapped_column(String(120))
    sort_order: Mapped[int] = mapped_column(Integer, default=100)
    # The registry's rules (dashboard.domain.indicators); NULL derives them from the unit and value type.
    multiplier: Mapped[float | None] = mapped_column(Float)
    interval_method: Mapped[str | None] = mapped_column(String(32))
    benchmark_rule: Mapped[str | None] = mapped_column(String(16))
    suppression: Mapped[str | None] = mapped_column(String(16))
    # Where the figures come from (publisher, dataset, licence) and what a reader should know before using them.
    source: Mapped[str | None] = mapped_column(Text)
    caveats: Mapped[str | None] = mapped_column(Text)


class ImportLog(Base):
    __tablename__ = "imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    file_name: Mapped[str] = mapped_column(String(400))
    file_hash: Mapped[str] = mapped_column(String(64), index=True)
    file_format: Mapped[str] = mapped_column(String(32))
    rows_added: Mapped[int] = mapped_column(Integer, default=0)
    rows_replaced: Mapped[int] = mapped_column(Integer, default=0)
    rows_unchanged: Mapped[int] = mapped_column(Integer, default=0)
    imported_by: Mapped[str] = mapped_column(String(120), default="system")
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    status: Mapped[str] = mapped_column(String(16), default="loaded")  # loaded | undone
    undone_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    details: Mapped[dict | None] = mapped_column(JSON)


class Observation(Base):
    __tablename__ = "observations"
    __table_args__ = (
        Index(
            "uq_observations_key_all_providers",
            "area_id",
            "indicator_id",
            "substance_group_id",
            "period_id",
            "breakdown_id",
            unique=True,
            sqlite_where=text("provider_id IS NULL"),
            postgresql_where=text("provider_id IS NULL"),
        ),
        Index(
            "uq_observations_key_provider",
            "area_id",
            "indicator_id",
            "substance_group_id",
            "period_id",
            "breakdown_id",
            "provider_id",
            unique=True,
            sqlite_where=text("provider_id IS NOT NULL"),
            postgresql_where=text("provider_id IS NOT NULL"),
        ),
        # "Compare this group": one indicator, period and substance group across many areas.
        Index("ix_observations_compare", "indicator_id", "period_id", "substance_group_id", "area_id"),
        Index("ix_observations_import", "import_id"),
        # "Which breakdowns does this indicator have?": only breakdown rows are indexed, so a store of persons
        # figures pays nothing for it.
        Index(
            "ix_observations_breakdowns",
            "indicator_id",
            "breakdown_id",
            "area_id",
            sqlite_where=text("breakdown_id <> 0"),
            postgresql_where=text("breakdown_id <> 0"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id"))
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"))
    substance_group_id: Mapped[int] = mapped_column(ForeignKey("substance_groups.id"))
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("providers.id"))
    period_id: Mapped[int] = mapped_column(ForeignKey("periods.id"))
    breakdown_id: Mapped[int] = mapped_column(
        ForeignKey("breakdowns.id"), default=PERSONS_BREAKDOWN_ID, server_default=text("0")
    )
    numerator: Mapped[float | None] = mapped_column(Float)
    denominator: Mapped[float | None] = mapped_column(Float)
    value: Mapped[float | None] = mapped_column(Float)
    lower_ci_95: Mapped[float | None] = mapped_column(Float)
    upper_ci_95: Mapped[float | None] = mapped_column(Float)
    lower_ci_99_8: Mapped[float | None] = mapped_column(Float)
    upper_ci_99_8: Mapped[float | None] = mapped_column(Float)
    import_id: Mapped[int | None] = mapped_column(ForeignKey("imports.id"))


class Target(Base):
    __tablename__ = "targets"

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id"))
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"))
    substance_group_id: Mapped[int] = mapped_column(ForeignKey("substance_groups.id"))
    # The target applies to periods ending within [valid_from, valid_to]; open-ended when NULL.
    valid_from: Mapped[dt.date | None] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)
    value: Mapped[float] = mapped_column(Float)
    description: Mapped[str] = mapped_column(Text, default="")
    # "target" (a level to reach or keep), or the outcomes framework's "baseline" (valid_to: the baseline
    # period's end) and "ambition" (valid_to: the date it is to be reached by) for numbers in treatment.
    kind: Mapped[str] = mapped_column(String(16), default="target", server_default="target")


class Meta(Base):
    """Small key/value facts about the dataset: whether demo data is loaded, the data version."""

    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


def load_all_models() -> None:
    """Import every ``dashboard/store/models_<feature>.py`` so its tables join ``Base.metadata``.

    Features keep their tables in their own module (action plans, accounts, annotations...), all on this Base.
    """
    import importlib
    import pkgutil

    import dashboard.store as store_package

    for info in pkgutil.iter_modules(store_package.__path__):
        if info.name.startswith("models_"):
            importlib.import_module(f"dashboard.store.{info.name}")

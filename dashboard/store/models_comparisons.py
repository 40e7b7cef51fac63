"""Precomputed comparisons: ``rank_areas``' answer for every indicator, period, comparator group and substance
group (persons, all providers), stored when the figures change so How we compare reads instead of ranking.

A key is served only while its ``data_version`` is the store's current one; anything else is ranked live.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from dashboard.store.models import Base


class ComparisonKey(Base):
    """One (indicator, period, group, substance group, provider, breakdown): its bounds, benchmark and stamp."""

    __tablename__ = "comparison_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id", ondelete="CASCADE"))
    period_id: Mapped[int] = mapped_column(ForeignKey("periods.id", ondelete="CASCADE"))
    group_id: Mapped[int] = mapped_column(ForeignKey("comparator_groups.id", ondelete="CASCADE"))
    substance_group_id: Mapped[int] = mapped_column(ForeignKey("substance_groups.id", ondelete="CASCADE"))
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("providers.id", ondelete="CASCADE"))  # None: all
    breakdown_id: Mapped[int] = mapped_column(ForeignKey("breakdowns.id", ondelete="CASCADE"))
    data_version: Mapped[str] = mapped_column(String(64))  # the data version the key was computed at
    ranked: Mapped[int] = mapped_column(Integer)  # members with a value
    # The group's quartile bounds (all None when too few areas to rank).
    worst: Mapped[float | None] = mapped_column(Float)
    p25: Mapped[float | None] = mapped_column(Float)
    median: Mapped[float | None] = mapped_column(Float)
    p75: Mapped[float | None] = mapped_column(Float)
    best: Mapped[float | None] = mapped_column(Float)
    n: Mapped[int | None] = mapped_column(Integer)
    # The benchmark's figure (England), with its limits as ``add_intervals`` completes them; area None: none.
    bench_area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"))
    bench_numerator: Mapped[float | None] = mapped_column(Float)
    bench_denominator: Mapped[float | None] = mapped_column(Float)
    bench_value: Mapped[float | None] = mapped_column(Float)
    bench_lower_ci_95: Mapped[float | None] = mapped_column(Float)
    bench_upper_ci_95: Mapped[float | None] = mapped_column(Float)
    bench_lower_ci_99_8: Mapped[float | None] = mapped_column(Float)
    bench_upper_ci_99_8: Mapped[float | None] = mapped_column(Float)

    __table_args__ = (
        Index("ix_comparison_keys_lookup", "group_id", "substance_group_id", "period_id", "indicator_id"),
        Index("ix_comparison_keys_pair", "indicator_id", "period_id"),
    )


class ComparisonRow(Base):
    """One member's place under a key, in ``rank_areas``' order (``position``)."""

    __tablename__ = "comparison_rows"

    key_id: Mapped[int] = mapped_column(ForeignKey("comparison_keys.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"))
    numerator: Mapped[float | None] = mapped_column(Float)
    denominator: Mapped[float | None] = mapped_column(Float)
    value: Mapped[float | None] = mapped_column(Float)
    lower_ci_95: Mapped[float | None] = mapped_column(Float)
    upper_ci_95: Mapped[float | None] = mapped_column(Float)
    lower_ci_99_8: Mapped[float | None] = mapped_column(Float)
    upper_ci_99_8: Mapped[float | None] = mapped_column(Float)
    rank: Mapped[int | None] = mapped_column(Integer)
    joint: Mapped[bool] = mapped_column(Boolean)
    rank_text: Mapped[str] = mapped_column(String(64))
    rank_best: Mapped[int | None] = mapped_column(Integer)
    rank_worst: Mapped[int | None] = mapped_column(Integer)
    quartile: Mapped[str | None] = mapped_column(String(16))
    compared_to_benchmark: Mapped[str | None] = mapped_column(String(16))
    distance_to_top_quartile: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (Index("ix_comparison_rows_area", "area_id", "key_id"),)

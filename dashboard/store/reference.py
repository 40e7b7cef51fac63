"""Reference rows every database needs (substance groups, core indicators), loaded idempotently.

Indicators are data, kept in ``dashboard/reference/indicators.csv``: adding one is a row there (or an
import), never a schema change.
"""

from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from dashboard.domain.periods import PeriodSpec
from dashboard.domain.substance_groups import substance_groups
from dashboard.store.engine import session_scope
from dashboard.store.models import EVERY_PARTNERSHIP_GROUP, ComparatorGroup, Indicator, Period, SubstanceGroup

INDICATORS_FILE = Path(__file__).resolve().parent.parent / "reference" / "indicators.csv"


def core_indicator_rows() -> list[dict[str, object]]:
    with INDICATORS_FILE.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        row["sort_order"] = int(row["sort_order"])
        row["multiplier"] = float(row["multiplier"]) if row.get("multiplier") else None
        for rule in ("interval_method", "benchmark_rule", "suppression"):
            row[rule] = row.get(rule) or None
        for label in ("numerator_label", "denominator_label", "source", "caveats"):
            row[label] = row[label] or None
    return rows


def ensure_reference_data(engine: Engine) -> None:
    """Insert substance groups and core indicators, and fill blank rules of existing ones; never deletes or
    overwrites anything."""
    with session_scope(engine) as session:
        existing_groups = {g.key: g for g in session.scalars(select(SubstanceGroup))}
        for spec in substance_groups():
            group = existing_groups.get(spec.key) or SubstanceGroup(key=spec.key)
            group.label, group.sort_order = spec.label, spec.sort_order
            session.add(group)
        existing_indicators = {i.key: i for i in session.scalars(select(Indicator))}
        for row in core_indicator_rows():
            indicator = existing_indicators.get(str(row["key"]))
            if indicator is None:
                session.add(Indicator(**row))
                continue
            # An editor's correction of a core entry (``dashboard indicators set``) survives every start and
            # import; only what is still blank (a rule added by a later release) is filled in.
            for column, value in row.items():
                if getattr(indicator, column) is None:
                    setattr(indicator, column, value)
        # "Every partnership in England": a group by rule (every upper-tier authority held), always offered.
        code = EVERY_PARTNERSHIP_GROUP["code"]
        if session.scalar(select(ComparatorGroup.id).where(ComparatorGroup.code == code)) is None:
            session.add(ComparatorGroup(**EVERY_PARTNERSHIP_GROUP))


def get_or_create_period(session: Session, spec: PeriodSpec, cache: dict[tuple, Period] | None = None) -> Period:
    key = (spec.label, spec.rolling_12m)
    if cache is not None and key in cache:
        return cache[key]
    period = session.scalar(select(Period).where(Period.label == spec.label, Period.rolling_12m == spec.rolling_12m))
    if period is None:
        period = Period(
            label=spec.label,
            kind=spec.kind,
            start_date=spec.start_date,
            end_date=spec.end_date,
            rolling_12m=spec.rolling_12m,
        )
        session.add(period)
        session.flush()
    if cache is not None:
        cache[key] = period
    return period

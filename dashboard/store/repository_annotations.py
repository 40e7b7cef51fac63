"""Annotations in the store: add, remove and read the ones that belong on an area's charts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, delete, insert, select
from sqlalchemy.orm import aliased

from dashboard.store.comparisons_dao import bump_keeping_comparisons
from dashboard.store.models import Area
from dashboard.store.models_annotations import Annotation
from dashboard.store.read_scope import once_per_view

TEXT_LIMIT = 200


@dataclass(frozen=True)
class AnnotationRow:
    id: int
    area_code: str
    area_name: str
    event_date: dt.date
    text: str
    created_by: str


@once_per_view
def related_area_ids(engine: Engine, area_code: str) -> list[int]:
    """The area, every area above it (a district's partnership) and the areas directly below it (a
    partnership's districts): an event anywhere in that line can explain a movement in the area's figures. The
    areas' tree is reference data, read once per version of the store (``read_scope``); the notes are not."""
    with engine.connect() as conn:
        row = conn.execute(select(Area.id, Area.parent_id).where(Area.code == area_code)).first()
        if row is None:
            return []
        ids = [row.id]
        parent = row.parent_id
        while parent is not None and parent not in ids:
            ids.append(parent)
            parent = conn.execute(select(Area.parent_id).where(Area.id == parent)).scalar_one_or_none()
        ids.extend(conn.execute(select(Area.id).where(Area.parent_id == row.id)).scalars())
    return ids


def annotations_for_area(engine: Engine, area_code: str) -> list[AnnotationRow]:
    """Annotations to draw on the area's charts, oldest first."""
    ids = related_area_ids(engine, area_code)
    if not ids:
        return []
    owner = aliased(Area)
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                Annotation.id,
                owner.code,
                owner.name,
                Annotation.event_date,
                Annotation.text,
                Annotation.created_by,
            )
            .join(owner, owner.id == Annotation.area_id)
            .where(Annotation.area_id.in_(ids))
            .order_by(Annotation.event_date, Annotation.id)
        ).all()
    return [AnnotationRow(*row) for row in rows]


def add_annotation(engine: Engine, *, area_code: str, event_date: dt.date, text: str, created_by: str) -> int:
    """Store one annotation; charts are cached by data version, so the version moves on."""
    with engine.begin() as conn:
        area_id = conn.execute(select(Area.id).where(Area.code == area_code)).scalar_one_or_none()
        if area_id is None:
            raise LookupError(f"There is no area with the code {area_code}.")
        ident = conn.execute(
            insert(Annotation)
            .values(area_id=area_id, event_date=event_date, text=text[:TEXT_LIMIT], created_by=created_by)
            .returning(Annotation.id)
        ).scalar_one()
        bump_keeping_comparisons(conn)
        return ident


def delete_annotation(engine: Engine, annotation_id: int) -> bool:
    with engine.begin() as conn:
        removed = conn.execute(delete(Annotation).where(Annotation.id == annotation_id)).rowcount
        if removed:
            bump_keeping_comparisons(conn)
        return bool(removed)


def insert_annotations(conn: Connection, rows: list[dict]) -> None:
    """Bulk insert in the caller's transaction (rows keyed by area_code), for loaders such as the demo seed."""
    if not rows:
        return
    areas = dict(conn.execute(select(Area.code, Area.id)).all())
    conn.execute(
        insert(Annotation),
        [
            {
                "area_id": areas[r["area_code"]],
                "event_date": r["event_date"],
                "text": r["text"][:TEXT_LIMIT],
                "created_by": r.get("created_by", "system"),
            }
            for r in rows
        ],
    )

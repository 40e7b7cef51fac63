"""Adding and removing chart annotations, with the checks people need to see in words."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from dashboard.store import repository_annotations
from dashboard.store.repository_annotations import TEXT_LIMIT, AnnotationRow

if TYPE_CHECKING:
    from sqlalchemy import Engine


class AnnotationError(ValueError):
    """A problem with what was typed, in words for the person who typed it."""


def parse_event_date(value: str | dt.date | None) -> dt.date:
    if isinstance(value, dt.date):
        return value
    text = (value or "").strip()
    if not text:
        raise AnnotationError("Enter the date the event happened.")
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d %B %Y", "%d %b %Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise AnnotationError(f"'{text}' is not a date: use a date such as 01/07/2016.")


def clean_text(value: str | None) -> str:
    text = " ".join((value or "").split())
    if not text:
        raise AnnotationError("Say what happened, for example 'Hinckley hub opened'.")
    if len(text) > TEXT_LIMIT:
        raise AnnotationError(f"Keep it to {TEXT_LIMIT} characters: this is {len(text)}.")
    return text


def add(engine: Engine, *, area_code: str, event_date: str | dt.date | None, text: str | None, user: str) -> int:
    """Validate and store an annotation; the caller has already checked that ``user`` may edit."""
    day = parse_event_date(event_date)
    if day > dt.date.today() + dt.timedelta(days=366):
        raise AnnotationError("That date is more than a year ahead: annotations record what has happened.")
    try:
        return repository_annotations.add_annotation(
            engine, area_code=area_code, event_date=day, text=clean_text(text), created_by=user
        )
    except LookupError as error:
        raise AnnotationError(str(error)) from error


def remove(engine: Engine, annotation_id: int) -> bool:
    return repository_annotations.delete_annotation(engine, annotation_id)


def for_area(engine: Engine, area_code: str) -> list[AnnotationRow]:
    return repository_annotations.annotations_for_area(engine, area_code)

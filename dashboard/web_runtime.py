"""Per-request access to the store for pages and callbacks (no module-level state between users)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import current_app

from dashboard.config import Settings
from dashboard.store.engine import get_engine

if TYPE_CHECKING:
    from sqlalchemy import Engine

SETTINGS_KEY = "DASHBOARD_SETTINGS"


def settings() -> Settings:
    return current_app.config[SETTINGS_KEY]


def engine() -> Engine:
    return get_engine(settings().database_url)

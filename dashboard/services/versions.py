"""The version every cached view is keyed by: the store's version of everything the views read (figures,
registers, plans, contracts) and the dates the views judge by (the plan's "today" and the calendar's).

One definition for every cache, so no surface can show an answer another surface has moved on from: an edit to
the plan shows on the Overview's plan counts as soon as on the Action plan, and "overdue" turns at midnight on both.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from dashboard.services.actions import AS_OF_META_KEY, today_for
from dashboard.store.versions import store_state

if TYPE_CHECKING:
    from sqlalchemy import Engine


def views_version(engine: Engine) -> str:
    state = store_state(engine, AS_OF_META_KEY)
    return f"{state.version}:{today_for(state.dataset, state.as_of).isoformat()}:{dt.date.today().isoformat()}"

"""What changed between two dates (or two meetings of the committee register: ``from_meeting`` and ``to_meeting``
are meetings' ids), as JSON: the same changes and sentences as the page and the board pack."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, jsonify, request

from dashboard.api import ApiError
from dashboard.narrative.since import change_sentence, summary_sentence
from dashboard.services.filters import load_filter_options
from dashboard.services.since import DateError, default_dates, meeting_dates, parse_day, since
from dashboard.web_runtime import engine


def _json(value: object) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    return value


def since_view():  # type: ignore[no-untyped-def]
    options = load_filter_options(engine())
    if options is None:
        raise ApiError("the store holds no figures yet", 404)
    area = request.args.get("area", "").strip() or options.home_area
    if area not in {a.code for a in options.areas}:
        raise ApiError(f"there is no area '{area}' in this partnership", 400, "area")
    substance_group = request.args.get("substance_group", "").strip() or "all"
    if substance_group not in {key for key, _ in options.substance_groups}:
        raise ApiError(f"there is no substance group '{substance_group}'", 400, "substance_group")
    start, end = default_dates(options)
    args = request.args
    for day, meeting in (("from", "from_meeting"), ("to", "to_meeting")):
        if args.get(day, "").strip() and args.get(meeting, "").strip():
            raise ApiError(f"give either '{day}' (a date) or '{meeting}' (a meeting's id), not both", 400, meeting)
    try:
        start = parse_day("from", args.get("from")) or start
        end = parse_day("to", args.get("to")) or end
        first, last, meetings = meeting_dates(engine(), args.get("from_meeting"), args.get("to_meeting"))
        start, end = first or start, last or end
    except DateError as error:
        raise ApiError(str(error), 400, error.parameter) from error
    if start > end:
        raise ApiError("the 'from' date is after the 'to' date", 400, "from")
    data = since(engine(), options, area=area, substance_group=substance_group, start=start, end=end)
    return jsonify(
        area=data.area,
        area_name=data.area_name,
        substance_group=data.substance_group,
        **{"from": start.isoformat(), "to": end.isoformat()},
        meetings=meetings,
        period_from=data.period_from,
        period_to=data.period_to,
        comparator_group=data.group_name,
        summary=summary_sentence(data),
        changes=[
            {
                "kind": c.kind,
                "sentence": change_sentence(c),
                "subject": c.subject,
                "before": _json(c.before),
                "after": _json(c.after),
                "detail": _json(c.detail),
                "link": c.link,
            }
            for c in data.changes
        ],
    )


def register(blueprint: Blueprint) -> list[str]:
    blueprint.add_url_rule("/since", view_func=since_view, endpoint="since")
    return ["/api/v1/since"]

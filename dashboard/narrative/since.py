"""What changed since the last meeting, in sentences a chair can read out: one per change, and a summary."""

from __future__ import annotations

from dashboard.narrative.formatting import listed, long_date
from dashboard.services import since as facts
from dashboard.stats import band_label

KIND_TITLES = {
    facts.QUARTILE: "Quartile moves",
    facts.TARGET: "Targets crossed",
    facts.SIGNIFICANT: "Significant changes",
    facts.RED: "Actions newly red",
    facts.OVERDUE: "Actions newly overdue",
    facts.RESOLUTION_CLOSED: "Committee resolutions closed",
    facts.RESOLUTION_OVERDUE: "Committee resolutions overdue",
    facts.LOADED: "Files loaded",
}
COUNT_WORDS = {
    facts.QUARTILE: ("quartile move", "quartile moves"),
    facts.TARGET: ("target crossed", "targets crossed"),
    facts.SIGNIFICANT: ("significant change", "significant changes"),
    facts.RED: ("action turned red", "actions turned red"),
    facts.OVERDUE: ("action became overdue", "actions became overdue"),
    facts.RESOLUTION_CLOSED: ("resolution closed", "resolutions closed"),
    facts.RESOLUTION_OVERDUE: ("resolution overdue", "resolutions overdue"),
    facts.LOADED: ("file loaded", "files loaded"),
}
DIRECTION_WORDS = {
    "better": "improved significantly",
    "worse": "got significantly worse",
    "higher": "rose significantly",
    "lower": "fell significantly",
}


def _quartile(change: facts.Change) -> str:
    d = change.detail
    verb = "moved up" if d["up"] else "moved down"
    sentence = (
        f"{change.subject} {verb} from the {band_label(change.before)} to the {band_label(change.after)} "
        f"({d['rank_before']} to {d['rank_after']}; {d['value_before']} to {d['value_after']})"
    )
    if d.get("within_chance"):
        sentence += "; allowing for chance the rank may not have moved, so this may be chance"
    return sentence + "."


def _short(text: object, limit: int = 90) -> str:
    words = " ".join(str(text).split()).rstrip(".;")
    return words if len(words) <= limit else words[: limit - 1].rstrip() + "…"


def _action(change: facts.Change) -> str:
    ref, _, text = change.subject.partition(" ")
    return f"Action {ref} ({text})"


def change_sentence(change: facts.Change) -> str:
    """One change in words; the comparator group is named once, in ``summary_sentence``."""
    d = change.detail
    if change.kind == facts.QUARTILE:
        return _quartile(change)
    if change.kind == facts.SIGNIFICANT:
        return (
            f"{change.subject} {DIRECTION_WORDS[str(d['direction'])]}, from {change.before} to {change.after} "
            "(the 95% intervals do not overlap)."
        )
    if change.kind == facts.TARGET:
        target = d["target"]
        state = "now meets" if d["met"] else "no longer meets"
        return f"{change.subject} {state} its target of {target} ({change.before} then, {change.after} now)."
    if change.kind == facts.RED:
        when = f" on {long_date(d['on'])}" if d.get("on") else ""
        return f"{_action(change)} turned red{when}, from {change.before} (by {d['by']})."
    if change.kind == facts.OVERDUE:
        owner = f" Owner: {d['owner']}." if d.get("owner") else ""
        return f"{_action(change)} became overdue: it was due on {long_date(change.after)} and is not complete.{owner}"
    if change.kind == facts.RESOLUTION_CLOSED:
        note = f": {str(d['note']).rstrip('.')}" if d.get("note") else ""
        return f"{change.subject} ({_short(d['text'])}) was closed on {long_date(change.after)}{note}."
    if change.kind == facts.RESOLUTION_OVERDUE:
        owner = f" Owner: {d['owner']}." if d.get("owner") else ""
        since = "became overdue" if d.get("newly") else "is still overdue"
        return f"{change.subject} ({_short(d['text'])}) {since}: it was due on {long_date(change.after)}.{owner}"
    undone = "; it has since been undone" if d.get("undone") else ""
    return (
        f"{change.subject} was loaded on {long_date(change.after)} by {d['by']}: {d['added']:,} rows added, "
        f"{d['replaced']:,} replaced{undone}."
    )


def summary_sentence(data: facts.SinceData) -> str:
    span = f"Between {long_date(data.start)} and {long_date(data.end)}"
    if data.period_from and data.period_to and data.period_from != data.period_to:
        span += f" (figures for {data.period_from}, then {data.period_to})"
    elif data.period_to:
        span += f" (no newer figures than {data.period_to}, so no figures can have moved)"
    if not data.changes:
        return f"{span}, nothing changed for {data.area_name}."
    counts = []
    for kind in facts.KINDS:
        n = len(data.of_kind(kind))
        one, many = COUNT_WORDS[kind]
        counts.append(f"{n} {one if n == 1 else many}")
    among = f" Quartiles are among {data.group_name}." if data.of_kind(facts.QUARTILE) and data.group_name else ""
    return f"{span}, for {data.area_name}: {listed(counts)}.{among}"

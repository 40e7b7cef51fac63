"""Committee resolutions in words: when each is due, the register in one sentence beside the action plan's, and
the lines of the board pack and Since the last meeting."""

from __future__ import annotations

from dashboard.narrative.formatting import long_date
from dashboard.services.resolutions import ResolutionCounts, ResolutionView

STATUS_WORDS = {"open": "Open", "closed": "Closed"}


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def due_words(item: ResolutionView) -> str:
    """ "Closed 12 March 2020", "Overdue: due 31 March 2020", "Due 18 May 2020 (in 18 days)", "No due date" """
    r = item.record
    if r.status == "closed":
        return f"Closed {long_date(r.closed_on)}" if r.closed_on else "Closed"
    if r.due_date is None:
        return "Open, no due date"
    if item.overdue:
        return f"Overdue: due {long_date(r.due_date)}"
    days = item.days_to_due
    when = "today" if days == 0 else f"in {_plural(days or 0, 'day', 'days')}"
    review = f", a review {r.review_months} months after the meeting" if r.review_months else ""
    return f"Due {long_date(r.due_date)} ({when}{review})"


def counts_sentence(counts: ResolutionCounts | None) -> str:
    """ "Committee resolutions: 4 open; 1 overdue and 2 due in the next 30 days (1 of these a review)." """
    if counts is None:
        return ""
    sentence = (
        f"Committee resolutions: {counts.open} open; {counts.overdue} overdue and {counts.due_soon} due in the "
        "next 30 days"
    )
    if counts.reviews_due:
        sentence += f" ({counts.reviews_due} of these {'a review' if counts.reviews_due == 1 else 'reviews'})"
    return sentence + "."


def reviews_words(counts: ResolutionCounts) -> str:
    """ "1 review" / "2 reviews": the reviews among the overdue and due-soon resolutions."""
    return _plural(counts.reviews_due, "review", "reviews")


def counts_clause(counts: ResolutionCounts | None) -> str:
    """The Overview headline's clause: "; 1 committee resolution overdue and 1 review due soon" (or "")."""
    if counts is None or not (counts.overdue or counts.due_soon):
        return ""
    return (
        f"; {_plural(counts.overdue, 'committee resolution', 'committee resolutions')} overdue and "
        f"{counts.due_soon} due in the next 30 days"
    )


def resolution_line(item: ResolutionView) -> str:
    """ "Resolution 3 of 18 November 2019 (owner: Head of Commissioning): text. Due 18 May 2020 (in 18 days)." """
    r = item.record
    owner = f" (owner: {r.owner})" if r.owner else ""
    return f"{item.label}{owner}: {r.text.rstrip('.;')}. {due_words(item)}."


def closed_line(item: ResolutionView) -> str:
    r = item.record
    when = f" on {long_date(r.closed_on)}" if r.closed_on else ""
    note = f": {r.closing_note.rstrip('.')}" if r.closing_note else ""
    return f"{item.label} ({r.text.rstrip('.;')}) was closed{when}{note}."


def change_words(change: str, changes: dict, note: str) -> str:
    """An audit row in words: "Closed: the briefing note now goes out quarterly." """
    parts = []
    for name, (before, after) in changes.items():
        if name in ("status", "closed_on", "closing_note"):
            continue
        what = name.replace("_", " ")
        parts.append(f"{what} from {before or 'none'} to {after or 'none'}")
    head = {"closed": "Closed", "reopened": "Reopened", "edited": "Changed"}.get(change, change)
    words = head + (" " + "; ".join(parts) if parts else "")
    return words + (f": {note}" if note else "") + "."

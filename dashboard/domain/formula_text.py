"""Text that a spreadsheet would run as a formula, made inert: the one rule for every import and every download.

A cell beginning with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return, which some spreadsheets skip
before reading a formula) can run when a CSV or Excel file is opened: ``=HYPERLINK("http://...","Blaby")``
sends whoever clicks it to another site, and ``-2+3+cmd|' /C calc'!A0`` once ran programs. Such text is kept
with a leading apostrophe, the way Excel itself shows typed text, so it reads the same and never runs. Only
text is changed: numbers and dates are never text here, so a negative figure stays a number.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_text(value: object) -> bool:
    """Whether ``value`` is text a spreadsheet could run as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def inert(value: object) -> object:
    """``value`` made safe to put in a spreadsheet cell: formula text gets a leading apostrophe; anything else
    (numbers, dates, ordinary text, text already made inert) comes back unchanged."""
    return f"'{value}" if is_formula_text(value) else value

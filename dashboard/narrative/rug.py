"""Words for the tartan rug: the sentence a board member reads aloud above the grid, and each cell's symbol and
word. Every significance word is the comparison service's (or the Districts service's); nothing is re-judged."""

from __future__ import annotations

from collections import Counter

from dashboard.narrative.formatting import listed
from dashboard.services.rug import DISTRICTS, Rug, RugRow

# A symbol and a word beside every colour: the grid never says anything by colour alone.
# The symbol is joined to its word by a no-break space, so a narrow cell never parts them.
CELL_WORDS = {
    "better": "▲\u00a0better",
    "similar": "●\u00a0similar",
    "worse": "▼\u00a0worse",
    "higher": "△\u00a0higher",
    "lower": "▽\u00a0lower",
    None: "–",
}
JUDGED = ("better", "similar", "worse")
NEUTRAL = ("higher", "lower")


def word_key(significance: str | None) -> str | None:
    """The cell word a service answer is shown with ("significantly better" reads as better)."""
    if significance is None:
        return None
    for key in (*JUDGED, *NEUTRAL):
        if key in significance:
            return key
    return None


def cell_text(display: str, significance: str | None, sep: str = " ") -> str:
    """ "38.4% ▲ better"; a figure not compared is shown on its own."""
    key = word_key(significance)
    return display if key is None else f"{display}{sep}{CELL_WORDS[key]}"


def versus(rug: Rug) -> str:
    """What the cells are compared with, as a sentence names it."""
    return f"{rug.benchmark_name} as a whole" if rug.mode == DISTRICTS else rug.benchmark_name


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def _counts(rows: list[RugRow], keys: list[str]) -> Counter:
    return Counter(word_key(row.cell(key).significance) for row in rows for key in keys)


def _one_area(rug: Rug, row: RugRow, keys: list[str]) -> str:
    counts = _counts([row], keys)
    bench = versus(rug)
    judged = sum(counts[k] for k in JUDGED)
    if judged:
        sentence = (
            f"Across {_plural(len(keys), 'indicator')}, {row.area_name} is significantly better than {bench} on "
            f"{counts['better']}, similar on {counts['similar']} and worse on {counts['worse']}."
        )
    else:
        sentence = (
            f"Across {_plural(len(keys), 'indicator')}, none says whether {row.area_name} does better or worse "
            f"than {bench}."
        )
    if counts["higher"] or counts["lower"]:
        sentence += (
            f" On indicators with no better or worse direction it is significantly higher on {counts['higher']}"
            f" and lower on {counts['lower']}."
        )
    if counts[None]:
        verb = "is" if counts[None] == 1 else "are"
        sentence += f" {counts[None]} {verb} not compared (counts, or figures without an interval)."
    return sentence


def _many_areas(rug: Rug, keys: list[str]) -> str:
    rows = rug.areas
    counts = _counts(rows, keys)
    kind = "district" if rug.mode == DISTRICTS else "area"
    sentence = (
        f"Across {_plural(len(keys), 'indicator')} and {_plural(len(rows), kind)}, against {versus(rug)}: "
        f"{_plural(counts['better'], 'figure')} significantly better, {counts['similar']} similar and "
        f"{counts['worse']} worse."
    )
    worse = [r.area_name for r in rows if _counts([r], keys)["worse"]]
    if worse:
        sentence += f" Significantly worse on at least one indicator: {listed(worse)}."
    return sentence


def rug_sentence(rug: Rug) -> str:
    """ "Across 12 indicators, Leicestershire is significantly better than England on 3, similar on 7 and worse
    on 2." For the districts with the whole partnership chosen, the districts' figures are counted together."""
    keys = [c.key for c in rug.columns]
    if not keys or not rug.areas:
        return f"There are no figures for {rug.rows_name} for this choice."
    row = rug.row(rug.chosen_area)
    return _many_areas(rug, keys) if row is None else _one_area(rug, row, keys)


def how_to_read(rug: Rug) -> str:
    """The reading under the grid's title: what a cell's colour, symbol and word mean."""
    rows = "each district" if rug.mode == DISTRICTS else f"each area of {rug.rows_name}"
    return (
        f"One row for {rows}, one column per indicator; {rug.benchmark_name} is the first row. Each cell is the "
        f"figure and, against {versus(rug)} (its 95% interval), {CELL_WORDS['better']}, {CELL_WORDS['similar']} or "
        f"{CELL_WORDS['worse']}; where an indicator has no better or worse direction, {CELL_WORDS['higher']} or "
        f"{CELL_WORDS['lower']}; a figure on its own is not compared. Sort by any column from its header."
    )


def period_notes(rug: Rug, asked: str | None) -> list[str]:
    """One sentence per period shown other than the one asked for, naming every indicator it holds, where the
    comparison service notes each indicator apart ("Alcohol unmet need and Alcohol met need: 2019/20, the
    latest period with figures up to 2019-20 Q4")."""
    moved: dict[str, list[str]] = {}
    for column in rug.columns:
        if column.note:
            moved.setdefault(column.period, []).append(column.short_name)
    until = f" up to {asked}" if asked else ""
    return [f"{listed(names)}: {period}, the latest period with figures{until}." for period, names in moved.items()]

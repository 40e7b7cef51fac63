"""The arithmetic and file formats the benchmarks share: percentiles, ratios, Markdown tables, the captured mix.

Kept apart from the code that drives servers and browsers so tests/unit/test_benchmark_stats.py can check it.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from pathlib import Path


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100), linear between the two nearest ranks (numpy's default), of a non-empty list."""
    if not values:
        raise ValueError("no values to take a percentile of")
    if not 0 <= q <= 100:
        raise ValueError(f"percentile {q} is outside 0-100")
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def median(values: list[float]) -> float:
    return percentile(values, 50)


def ratio(value: float | None, baseline: float | None) -> float | None:
    """value / baseline, or None when either is missing or the baseline is not positive."""
    if value is None or baseline is None or baseline <= 0:
        return None
    return value / baseline


def ms(value: float | None) -> str:
    return "n/a" if value is None else f"{value:,.0f} ms"


def times(value: float | None) -> str:
    """A ratio as people write it: 2.8x, 1.45x under 2."""
    if value is None:
        return "n/a"
    return f"{value:.2f}x" if value < 2 else f"{value:.1f}x"


def markdown_table(headers: list[str], rows: list[list[str]]) -> str:
    """A GitHub Markdown table; a pipe inside a cell is escaped so it cannot split the cell."""

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |"

    for row in rows:
        if len(row) != len(headers):
            raise ValueError(f"a row has {len(row)} cells for {len(headers)} headers: {row}")
    return "\n".join([line(headers), "|" + "---|" * len(headers), *(line(r) for r in rows)])


CALLBACK_PATH = "/_dash-update-component"


@dataclass(frozen=True)
class MixRequest:
    """One callback POST the browser made: the page it was on, the callback (its output key), the exact body, and
    the address it was posted to (Dash adds a query string)."""

    page: str
    output: str
    body: str
    url: str = CALLBACK_PATH


class MixError(ValueError):
    """The mix file is not one this code wrote, or holds a request that is not a Dash callback."""


def parse_mix(text: str) -> list[MixRequest]:
    """The requests of a mix file (``save_mix``), checked: each body a Dash callback payload."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise MixError(f"the mix is not JSON: {error}") from error
    entries = data.get("requests") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        raise MixError("the mix holds no requests")
    found = []
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or not {"page", "output", "body"} <= entry.keys():
            raise MixError(f"request {number} lacks page, output or body")
        try:
            payload = json.loads(entry["body"])
        except (TypeError, json.JSONDecodeError) as error:
            raise MixError(f"request {number}'s body is not JSON") from error
        if not isinstance(payload, dict) or payload.get("output") != entry["output"] or "inputs" not in payload:
            raise MixError(f"request {number} is not a Dash callback for {entry['output']!r}")
        url = entry.get("url", CALLBACK_PATH)
        if not isinstance(url, str) or not url.startswith(CALLBACK_PATH):
            raise MixError(f"request {number} was not posted to {CALLBACK_PATH}")
        found.append(MixRequest(str(entry["page"]), entry["output"], entry["body"], url))
    return found


def save_mix(path: Path, requests: list[MixRequest], about: dict[str, object]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({**about, "requests": [asdict(r) for r in requests]}, indent=1) + "\n")


def load_mix(path: Path) -> list[MixRequest]:
    return parse_mix(path.read_text())

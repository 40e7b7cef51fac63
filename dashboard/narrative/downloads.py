"""The words a download carries about itself, from ``dashboard.services.downloads.DownloadScope``.

``metadata_lines`` is the one wording: the CSV's leading comment lines, the Excel header block and the chart
image's footer are all made from it, so a CSV, a spreadsheet and a picture of the same view say the same
thing. The lines are always the same labels in the same order (a setting the view does not have says so), so
a spreadsheet's table always starts on the same row (``EXCEL_TABLE_ROW``) and a reader can rely on it.
"""

from __future__ import annotations

import re
import textwrap

from dashboard.domain.substance_groups import label_for
from dashboard.services.downloads import LICENCE, SOURCE, DownloadScope

LABELS = (
    "Title",
    "Area",
    "Substance group",
    "Provider",
    "Period",
    "Indicator",
    "Comparator group",
    "Significance rule",
    "Other settings",
    "View in the dashboard",
    "Source",
    "Licence",
    "Made",
    "Demonstration data",
)
EXCEL_TABLE_ROW = len(LABELS) + 2  # the header block, a blank row, then the table's header row (1-based)
NOT_SET = "Not set for this chart"
METHOD_WORDS = {
    "default": "Fingertips: similar when the benchmark lies inside the area's 95% confidence interval",
    "overlap": "Overlapping 95% confidence intervals: similar when the area's and the benchmark's overlap",
}
SETTING_WORDS = {
    "split": ("Split by", {"substance_group": "substance group", "district": "district", "provider": "provider"}),
    "years": ("Time span", {"3": "last 3 years", "5": "last 5 years", "all": "all years"}),
    "view": ("View", {"quarterly": "quarterly (rolling 12 months)", "annual": "annual (financial years)"}),
    "chart": ("Chart", {"standard": "standard", "spc": "SPC (XmR)"}),
    "project": (
        "Projection",
        {"none": "none", "quarter": "to the end of next quarter", "year": "to the end of the financial year"},
    ),
    "rag": ("RAG rating", {}),
    "due": ("Due", {}),
}
DEMO_SOURCE = "Demonstration data: synthetic figures made by this dashboard, not published statistics"
DEMO_LICENCE = "Not applicable to demonstration data (real figures are under the " + LICENCE.split(",")[0] + ")"
DEMO_FLAG = "Yes: these are synthetic demonstration figures, not real data; do not use them for decisions"


def _setting(key: str, value: str) -> str:
    label, words = SETTING_WORDS.get(key, (key.replace("_", " ").capitalize(), {}))
    return f"{label}: {words.get(value, value)}"


def _group(scope: DownloadScope) -> str | None:
    if scope.group is not None:
        return f"{scope.group.name} ({scope.group.members} areas)"
    return f"{scope.group_code} (not offered for this area)" if scope.group_code else None


def _indicator(scope: DownloadScope) -> str | None:
    spec = scope.indicator
    return None if spec is None else f"{spec.name} ({spec.unit_words})"


def made_words(scope: DownloadScope) -> str:
    at = scope.made_at
    return f"{at.day} {at:%B %Y} at {at:%H:%M} UTC ({at:%Y-%m-%dT%H:%M:%SZ})"


def metadata_lines(scope: DownloadScope) -> list[tuple[str, str]]:
    """(label, words) for every line of ``LABELS``, in that order."""
    values = {
        "Title": scope.title,
        "Area": f"{scope.area_name} ({scope.area_code})" if scope.area_code else None,
        "Substance group": label_for(scope.substance_group) if scope.substance_group else None,
        "Provider": scope.provider,
        "Period": f"12 months to {scope.period}" if scope.period else None,
        "Indicator": _indicator(scope),
        "Comparator group": _group(scope),
        "Significance rule": METHOD_WORDS.get(scope.method or ""),
        "Other settings": "; ".join(_setting(k, v) for k, v in scope.settings.items()) or None,
        "View in the dashboard": scope.address,
        "Source": DEMO_SOURCE if scope.demonstration else SOURCE,
        "Licence": DEMO_LICENCE if scope.demonstration else LICENCE,
        "Made": made_words(scope),
        "Demonstration data": DEMO_FLAG if scope.demonstration else "No",
    } | scope.overrides
    return [(label, values.get(label) or NOT_SET) for label in LABELS]


def footer_lines(scope: DownloadScope, width: int = 120) -> list[str]:
    """The chart image's footer: the same lines, the scope run together and wrapped to ``width`` characters."""
    lines = dict(metadata_lines(scope))
    scope_words = " · ".join(
        lines[label] for label in LABELS[1:9] if lines[label] != NOT_SET and label != "Significance rule"
    )
    if lines["Significance rule"] != NOT_SET:
        scope_words += f" · Significance: {lines['Significance rule'].split(':')[0]}"
    out = [lines["Title"], *textwrap.wrap(scope_words, width)]
    out += textwrap.wrap(f"Source: {lines['Source']}. Licence: {lines['Licence']}. Made {lines['Made']}.", width)
    if scope.demonstration:
        out.append("DEMONSTRATION DATA: synthetic figures, not real data.")
    return out


def file_stem(chart_id: str, scope: DownloadScope) -> str:
    """ "compare-funnel_E10000018_opiate_2019-20-Q4": a folder of downloads still says what each file is."""
    parts = [chart_id, scope.area_code, scope.substance_group, scope.period]
    return "_".join(re.sub(r"[^A-Za-z0-9-]+", "-", p).strip("-") for p in parts if p)

"""Which format a file is, told from its column names, and the reader for it.

Each format may come in several layouts (Fingertips' export and API files, a ViewIt export for a local area or
for England). A layout is recognised by the columns its reader requires; when several fit, the one needing the
most columns wins, as it is the most specific.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from dashboard.importing import areas_groups, canonical, contracts, fingertips, ndtms, ons_sdg, ons_wide, sites
from dashboard.importing import resolutions as resolutions_register
from dashboard.importing.batch import Batch
from dashboard.importing.problems import Problems
from dashboard.importing.reading import Table
from dashboard.importing.state import StoreState
from dashboard.importing.validation import ColumnSpec, normalise_column

FORMATS = ("auto", "canonical", "fingertips", "ndtms-viewit", "areas", "groups", "contracts", "resolutions", "sites")


@dataclass(frozen=True)
class Layout:
    file_format: str
    name: str
    columns: ColumnSpec
    read: Callable[[Table, StoreState], Batch]
    signature: tuple[str, ...] = ()  # extra columns that must be present for auto-detection

    def matched(self, columns: list[str]) -> int:
        """How many of the columns this layout needs the file has (other spellings count)."""
        names = {self.columns.canonical(c) for c in columns} | {normalise_column(c) for c in columns}
        return sum(1 for c in (*self.columns.required, *self.signature) if c in names)

    @property
    def needed(self) -> int:
        return len(self.columns.required) + len(self.signature)


LAYOUTS = (
    Layout("canonical", "observations template", canonical.COLUMNS, canonical.read_canonical),
    Layout("areas", "areas template", areas_groups.AREA_COLUMNS, areas_groups.read_areas),
    Layout("groups", "comparator groups template", areas_groups.GROUP_COLUMNS, areas_groups.read_groups),
    Layout("contracts", "contracts template", contracts.COLUMNS, contracts.read_contracts, contracts.SIGNATURE),
    Layout(
        "resolutions",
        "committee resolutions template",
        resolutions_register.COLUMNS,
        resolutions_register.read_resolutions,
    ),
    Layout("sites", "delivery sites template", sites.COLUMNS, sites.read_sites),
    Layout(
        "fingertips",
        "Fingertips export",
        fingertips.EXPORT_COLUMNS,
        partial(fingertips.read_fingertips, layout="export"),
    ),
    Layout(
        "fingertips",
        "Fingertips comparator-group extract",
        fingertips.COMPARATOR_COLUMNS,
        partial(fingertips.read_fingertips, layout="comparator"),
    ),
    Layout(
        "fingertips",
        "tidy Fingertips extract",
        fingertips.TIDY_COLUMNS,
        partial(fingertips.read_fingertips, layout="tidy"),
        signature=("measure",),
    ),
    Layout(
        "ndtms-viewit",
        "NDTMS ViewIt export",
        ndtms.LA_COLUMNS,
        ndtms.read_viewit,
        signature=("intreatment_allintx",),
    ),
    Layout(
        "ndtms-viewit",
        "alcohol dependency estimates",
        ndtms.ESTIMATE_COLUMNS,
        ndtms.read_alcohol_estimates,
    ),
    # Not in FORMATS (the command line's --format choices): recognised by --format auto only.
    Layout("ons", "ONS SDG indicator file", ons_sdg.COLUMNS, ons_sdg.read_sdg),
    Layout(
        "ons",
        "ONS drug-poisoning deaths by local authority (wide, one column per year)",
        ons_wide.COLUMNS,
        partial(ons_wide.read_wide, indicator=ons_wide.DRUG_POISONING_DEATHS),
    ),
)


def _with_in_treatment(columns: list[str]) -> list[str]:
    """The England ViewIt export calls the in-treatment column Num_InTreatment_AllInTx."""
    has_it = any(normalise_column(c) == "num_intreatment_allintx" for c in columns)
    return [*columns, "intreatment_allintx"] if has_it else columns


def choose_layout(table: Table, file_format: str, problems: Problems) -> Layout | None:
    """The layout of ``table``: the best complete match, else the closest (its reader then names what is
    missing), else None with a problem listing the templates."""
    columns = _with_in_treatment(table.columns)
    candidates = [lay for lay in LAYOUTS if file_format in ("auto", lay.file_format)]
    complete = [lay for lay in candidates if lay.matched(columns) == lay.needed]
    if complete:
        return max(complete, key=lambda lay: lay.needed)
    scored = sorted(candidates, key=lambda lay: lay.matched(columns) / lay.needed, reverse=True)
    best = scored[0]
    if file_format != "auto" or best.matched(columns) / best.needed >= 0.5:
        return best
    shown = ", ".join(table.columns[:8]) + (", ..." if len(table.columns) > 8 else "")
    problems.add(
        1,
        None,
        f"the columns ({shown}) do not match any file the dashboard can load: use the observations template "
        f"({', '.join(canonical.COLUMNS.known[:7])}, ...), the areas or groups template, a Fingertips export "
        "or an NDTMS ViewIt export",
    )
    return None

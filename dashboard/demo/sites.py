"""Demonstration delivery sites, modelled on Turning Point's Leicestershire update (June 2018): county hubs in
Loughborough and Coalville, a third hub fitted out in Hinckley that opens during the demonstration period,
satellites in the market towns and a few shared-care surgeries. Synthetic: the places are towns, never
addresses, and the coordinates are town centres. Read by the register's own reader and written by its own
register functions, in one transaction; like the rest of the demonstration data it is not an import, so
``demo --reset`` can clear it with the figures (the import log's record history would otherwise hold it)."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import TYPE_CHECKING

from dashboard.importing.problems import Problems
from dashboard.importing.reading import read_table
from dashboard.importing.sites import COLUMNS, SITES, read_sites
from dashboard.importing.state import StoreState
from dashboard.services import sites as site_service
from dashboard.store import comparisons_dao, repository
from dashboard.store.unit_of_work import transaction

if TYPE_CHECKING:
    from sqlalchemy import Engine

PARTNERSHIP = "E10000018"
TP, DA = "turning-point", "dear-albert"
CONTRACT_START = "2016-07-01"
# site_code, site_name, provider, kind, district, opened_on, address, latitude, longitude, closed_on, note
DEMO_SITES = (
    (
        "TP-LBORO-HUB",
        "Loughborough hub",
        TP,
        "hub",
        "E07000130",
        CONTRACT_START,
        "Loughborough",
        "52.7721",
        "-1.2062",
        "",
        "",
    ),
    ("TP-COAL-HUB", "Coalville hub", TP, "hub", "E07000134", CONTRACT_START, "Coalville", "52.7225", "-1.3700", "", ""),
    (
        *("TP-HINCK-HUB", "Hinckley hub", TP, "hub", "E07000132", "2018-09-03", "Hinckley", "52.5413", "-1.3725"),
        *("", "A floor of a town-centre building fitted out as the third county hub"),
    ),
    (
        *("TP-HINCK-SA", "Hinckley community venue", TP, "satellite", "E07000132", CONTRACT_START, "Hinckley"),
        *("52.5390", "-1.3790", "2018-08-31", "Moved into the Hinckley hub"),
    ),
    (
        "TP-MH-SAT",
        "Market Harborough satellite",
        TP,
        "satellite",
        "E07000131",
        CONTRACT_START,
        "Market Harborough",
        "52.4775",
        "-0.9208",
        "",
        "",
    ),
    (
        "TP-LUTT-SAT",
        "Lutterworth satellite",
        TP,
        "satellite",
        "E07000131",
        CONTRACT_START,
        "Lutterworth",
        "52.4556",
        "-1.2003",
        "",
        "",
    ),
    (
        "TP-SWIG-SAT",
        "South Wigston satellite",
        TP,
        "satellite",
        "E07000135",
        CONTRACT_START,
        "South Wigston",
        "52.5830",
        "-1.1330",
        "",
        "",
    ),
    (
        "TP-BLABY-SAT",
        "Blaby satellite",
        TP,
        "satellite",
        "E07000129",
        CONTRACT_START,
        "Blaby",
        "52.5750",
        "-1.1640",
        "",
        "",
    ),
    (
        "TP-CD-SAT",
        "Castle Donington satellite",
        TP,
        "satellite",
        "E07000134",
        CONTRACT_START,
        "Castle Donington",
        "52.8430",
        "-1.3380",
        "",
        "",
    ),
    (
        "TP-MELT-SAT",
        "Melton satellite",
        TP,
        "satellite",
        "E07000133",
        CONTRACT_START,
        "Melton Mowbray",
        "52.7660",
        "-0.8860",
        "",
        "",
    ),
    ("TP-SHEP-SC", "Shepshed shared-care surgery", TP, "shared care", "E07000130", "2017-01-09", "", "", "", "", ""),
    ("TP-SYST-SC", "Syston shared-care surgery", TP, "shared care", "E07000130", "2017-01-09", "", "", "", "", ""),
    ("TP-ASHBY-SC", "Ashby shared-care surgery", TP, "shared care", "E07000134", "2017-01-09", "", "", "", "", ""),
    (
        "TP-EARL-SC",
        "Earl Shilton shared-care surgery",
        TP,
        "shared care",
        "E07000132",
        "2019-04-01",
        "",
        "",
        "",
        "",
        "",
    ),
    (
        *("DA-LBORO-NS", "Next Steps aftercare group, Loughborough", DA, "satellite", "E07000130", "2018-04-03"),
        *("Loughborough", "", "", "", "Peer-led 'Stick With It' aftercare group"),
    ),
)


def demo_sites_csv(path: Path | None = None) -> bytes:
    """The demonstration register as a CSV file's bytes (written to ``path`` too when given)."""
    out = io.StringIO()
    writer_ = csv.writer(out, lineterminator="\n")
    writer_.writerow(COLUMNS.known)
    writer_.writerows(DEMO_SITES)
    data = out.getvalue().encode("utf-8")
    if path is not None:
        path.write_bytes(data)
    return data


def seed_sites(engine: Engine) -> int:
    """Write the demonstration sites once, for the Leicestershire demonstration only (its providers, Turning
    Point and Dear Albert, must be there: the national demonstration has other providers); how many were
    written."""
    if repository.read_meta(engine).get("home_area") != PARTNERSHIP or site_service.sites(engine):
        return 0
    problems = Problems()
    table = read_table(demo_sites_csv(), "demo_sites.csv", problems)
    with transaction(engine) as conn:
        state = StoreState.load(conn)
        if not {TP, DA} <= set(state.providers):  # the national demonstration names its providers otherwise
            return 0
        batch = read_sites(table, state)
        problems.extend(batch.problems)
        if problems:
            raise RuntimeError("the demonstration sites do not read: " + "; ".join(map(str, problems.shown())))
        for code, record in batch.register_records.items():
            SITES.write(conn, code, record)
        comparisons_dao.bump_keeping_comparisons(conn)  # a site moves no figure
    return len(batch.register_records)

"""Demonstration delivery sites, modelled on Turning Point's Leicestershire update (June 2018): county hubs in
Loughborough and Coalville, a third hub fitted out in Hinckley that opens during the demonstration period,
satellites in the market towns and a few shared-care surgeries. Synthetic: the places are towns, never
addresses, and the coordinates are town centres. Loaded through the real register reader and import."""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from dashboard.importing.importer import import_file
from dashboard.importing.sites import COLUMNS
from dashboard.services import sites as site_service
from dashboard.store import repository

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
        "2017-04-03",
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
    ("TP-SYST-SC", "Syston shared-care surgery", TP, "shared care", "E07000130", "2018-01-08", "", "", "", "", ""),
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


def demo_sites_csv(path: Path) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(COLUMNS.known)
        out.writerows(DEMO_SITES)
    return path


def seed_sites(engine: Engine) -> int | None:
    """Load the demonstration sites once, for the Leicestershire demonstration only; the import's id."""
    if repository.read_meta(engine).get("home_area") != PARTNERSHIP or site_service.sites(engine):
        return None
    with tempfile.TemporaryDirectory() as folder:
        report = import_file(
            engine,
            demo_sites_csv(Path(folder) / "delivery_sites.csv"),
            file_format="sites",
            imported_by="demonstration data",
        )
    if not report.ok:
        raise RuntimeError("the demonstration sites did not load: " + "; ".join(report.problem_lines()))
    return report.import_id

"""Shared by the import tests: fixture paths, a base geography, files written in a given encoding, and a full
dump of the database to prove a rejected file changed nothing."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from sqlalchemy import Engine, select, text

from dashboard.store import writer
from dashboard.store.models import Base, load_all_models

REPO = Path(__file__).resolve().parents[3]
FIXTURES = REPO / "tests" / "fixtures"
SHARED_DATA = REPO.parent / "shared" / "data"

LEICESTERSHIRE = pd.DataFrame(
    [
        ("E92000001", "England", "england", None),
        ("E12000004", "East Midlands", "region", "E92000001"),
        ("E10000018", "Leicestershire", "utla", "E12000004"),
        ("E07000129", "Blaby", "ltla", "E10000018"),
        ("E07000130", "Charnwood", "ltla", "E10000018"),
        ("E07000131", "Harborough", "ltla", "E10000018"),
    ],
    columns=["code", "name", "area_type", "parent_code"],
)

HEADER = "indicator,area_code,period,substance_group,provider,numerator,denominator,value,lower_ci_95,upper_ci_95"


def add_leicestershire(engine: Engine) -> None:
    """England, the East Midlands, Leicestershire and three of its districts, written without the importer."""
    with engine.begin() as conn:
        writer.upsert_areas(conn, LEICESTERSHIRE)


def write_file(directory: Path, name: str, content: str, encoding: str = "utf-8") -> Path:
    path = directory / name
    path.write_bytes(content.encode(encoding))
    return path


def dump_database(engine: Engine) -> dict[str, list[tuple]]:
    """Every row of every table (other features' too), in a stable order, plus PostgreSQL's sequences: if
    two dumps are equal, nothing was written, not even a rolled-back insert."""
    load_all_models()
    out: dict[str, list[tuple]] = {}
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            rows = conn.execute(select(table)).all()
            out[table.name] = sorted((tuple(repr(v) for v in row) for row in rows), key=str)
        if engine.dialect.name == "postgresql":
            names = conn.execute(text("SELECT sequencename FROM pg_sequences ORDER BY 1")).scalars().all()
            for name in names:
                out[f"sequence {name}"] = [
                    tuple(conn.execute(text(f'SELECT last_value, is_called FROM "{name}"')).one())
                ]
        else:
            exists = conn.execute(text("SELECT name FROM sqlite_master WHERE name = 'sqlite_sequence'")).first()
            if exists:
                out["sqlite_sequence"] = sorted(conn.execute(text("SELECT name, seq FROM sqlite_sequence")).all())
    return out


def figures(engine: Engine, breakdowns: bool = False) -> pd.DataFrame:
    """The observations with their codes, sorted, for comparing what the app would show: the persons figures,
    or every figure with its breakdown key when ``breakdowns``."""
    query = text(
        f"""
        SELECT i.key AS indicator, a.code AS area_code, sg.key AS substance_group, pr.code AS provider,
               p.label AS period, b.key AS breakdown, o.numerator, o.denominator, o.value, o.lower_ci_95,
               o.upper_ci_95, o.import_id
        FROM observations o
        JOIN indicators i ON i.id = o.indicator_id
        JOIN areas a ON a.id = o.area_id
        JOIN substance_groups sg ON sg.id = o.substance_group_id
        JOIN periods p ON p.id = o.period_id
        JOIN breakdowns b ON b.id = o.breakdown_id
        LEFT JOIN providers pr ON pr.id = o.provider_id
        {"" if breakdowns else "WHERE o.breakdown_id = 0"}
        """
    )
    with engine.connect() as conn:
        frame = pd.DataFrame(conn.execute(query).mappings().all())
    if frame.empty:
        return frame
    if not breakdowns:
        frame = frame.drop(columns="breakdown")
    order = ["indicator", "area_code", "substance_group", "period", *(["breakdown"] if breakdowns else [])]
    return frame.sort_values(order).reset_index(drop=True)

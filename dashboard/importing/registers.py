"""Registers loaded from spreadsheets (contracts, committee resolutions, delivery sites): one mechanism for all.

A register is a set of records, each with a natural key (a contract code, a meeting date and resolution
number, a site code). A register's spreadsheet goes through the same ``import_file`` as a data file: its
reader validates every row into ``Batch.register_records`` (key -> the record as plain, JSON-able data), the
loader compares each with the store and adds, replaces or keeps it in the load's one transaction, and the
import log and its record history keep the before-image of every record the load changed. Undoing the load
puts those back and removes the records it added, through the same ``UndoImport`` and the same stacking rule
as figures: a later load that replaced the same record must be undone first.

A register says how to read, write and remove one record as plain data; the store's DAO for that register
does the SQL. Undo refuses, naming the record, when someone has edited a record since the load, because
putting back the before-image would lose that edit silently.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Connection


@dataclass(frozen=True)
class Register:
    """How the loader and undo read and write one register's records, each as plain data (a JSON-able dict)."""

    record_kind: str  # Batch.record_kind and the import log's kind: "contracts"
    record_type: str  # the record history's record_type (at most 16 characters): "contract"
    noun: str  # what the counts and messages call the records: "contracts"
    snapshot: Callable[[Connection, str], dict | None]  # the record as the store has it, or None
    write: Callable[[Connection, str, dict], None]  # add the record, or replace it whole, from plain data
    delete: Callable[[Connection, str], None]  # remove the record (and whatever belongs only to it)
    describe: Callable[[str, dict], str] = lambda key, record: key  # the record in words, for messages


REGISTERS: dict[str, Register] = {}


def add_register(register: Register) -> Register:
    """Make a register known to the loader and undo (each register's reader module calls this once)."""
    if len(register.record_type) > 16:
        raise ValueError(f"record_type '{register.record_type}' is longer than the history column holds")
    REGISTERS[register.record_kind] = register
    return register


def by_record_type(record_type: str) -> Register | None:
    return next((r for r in REGISTERS.values() if r.record_type == record_type), None)


def history_before(before: dict | None, loaded: dict) -> dict:
    """What the record history keeps for a register record: the record as it was (None when the load added
    it) and as the load wrote it, so that undo can tell whether anyone has edited it since."""
    return {"record": before, "loaded": loaded}


def edited_since_load(conn: Connection, record_type: str, key: str, kept: dict | None) -> str | None:
    """The record in words if it is no longer as the load wrote it (edited, or removed, since), else None."""
    register = by_record_type(record_type)
    if register is None or not kept or "loaded" not in kept:
        return None
    now = register.snapshot(conn, key)
    if now == kept["loaded"]:
        return None
    return register.describe(key, kept["loaded"])


def undo_record(conn: Connection, record_type: str, key: str, action: str, kept: dict | None) -> bool:
    """Take one register record back to before the load; False when ``record_type`` is not a register's."""
    register = by_record_type(record_type)
    if register is None:
        return False
    if action == "added":
        register.delete(conn, key)
    elif action == "replaced" and kept is not None and kept.get("record") is not None:
        register.write(conn, key, kept["record"])
    return True

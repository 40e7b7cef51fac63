"""Write the demonstration dataset to a store, in one transaction."""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

from dashboard.demo.action_plan import seed_action_plan
from dashboard.demo.contracts import seed_contracts
from dashboard.demo.framework import with_framework_figures
from dashboard.demo.geography import ENGLAND_CODE
from dashboard.demo.outcomes import with_outcome_figures
from dashboard.demo.partnership import DemoDataset, build_demo_dataset
from dashboard.demo.resolutions import seed_resolutions
from dashboard.demo.sites import seed_sites
from dashboard.services import comparisons_store
from dashboard.store import repository_annotations, startup, writer
from dashboard.store.reference import ensure_reference_data
from dashboard.store.unit_of_work import transaction

if TYPE_CHECKING:
    from sqlalchemy import Engine

log = logging.getLogger(__name__)


class StoreNotEmptyError(RuntimeError):
    """Refuse to mix demonstration figures into a database that already holds data."""


def has_observations(engine: Engine) -> bool:
    return startup.has_observations(engine)


def seed_dataset(engine: Engine, dataset: DemoDataset, reset: bool = False) -> int:
    """Write a generated dataset in one transaction; returns the number of observations written."""
    started = time.perf_counter()
    ensure_reference_data(engine)
    if has_observations(engine) and not reset:
        raise StoreNotEmptyError("the database already holds data: use --reset to replace it with demo data")
    with transaction(engine) as conn:
        if reset:
            writer.clear_data(conn)
        writer.upsert_areas(conn, dataset.areas)
        writer.upsert_providers(
            conn,
            [
                {"code": p.code, "name": p.name, "role": p.role, "partnership_code": p.partnership_code}
                for p in dataset.providers
            ],
        )
        period_ids = writer.ensure_periods(conn, dataset.periods)
        observations = dataset.observations
        observations = observations.assign(
            period_id=observations["period"].map({k[0]: v for k, v in period_ids.items()})
        )
        written = writer.insert_observations(conn, observations)
        for group in dataset.comparator_groups:
            writer.add_comparator_group(conn, group)
        writer.add_comparator_group(
            conn, {"code": "ENGLAND", "name": "England", "kind": "england", "members": [ENGLAND_CODE]}
        )
        writer.add_targets(conn, dataset.targets)
        repository_annotations.insert_annotations(conn, dataset.annotations)
        writer.set_meta(conn, dataset.meta)
        writer.bump_data_version(conn)
        writer.analyze(conn)
    log.info("demo data loaded", extra={"observations": written, "seconds": round(time.perf_counter() - started, 2)})
    return written


def seed_demo(engine: Engine, seed: int = 0, reset: bool = False, scale: str = "partnership") -> int:
    """Load the demonstration data: Leicestershire (``partnership``) or every English area (``national``)."""
    if scale == "national":
        from dashboard.demo.national import build_national_dataset

        written = seed_dataset(engine, build_national_dataset(seed), reset)
    else:
        dataset = with_outcome_figures(with_framework_figures(build_demo_dataset(seed), seed), seed)
        written = seed_dataset(engine, dataset, reset)
    seed_action_plan(engine)  # the demo plan beside the figures (kept, not duplicated, on --reset)
    seed_contracts(engine)  # the demo contracts, read by the contracts reader (kept on --reset)
    seed_resolutions(engine)  # the scrutiny committee's register, through the import pipeline
    seed_sites(engine)  # the demo delivery sites, through the sites register's import
    if scale == "national":  # 153 partnerships: rank every group once, for How we compare to read (minutes).
        comparisons_store.refresh(engine)  # The partnership demo's groups of 16 rank live in milliseconds.
    return written

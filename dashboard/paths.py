"""Locations of the repository folders the package reads at run time.

The package is installed in editable mode (and copied whole into the Docker image), so the named SQL in
``queries/`` and the shipped reference data in ``data/`` are found beside the package rather than inside it.
"""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
QUERIES_DIR = PROJECT_ROOT / "queries"
DATA_DIR = PROJECT_ROOT / "data"
ASSETS_DIR = PROJECT_ROOT / "assets"

"""The ``dashboard`` console script.

Each module in this package that defines ``register(main)`` adds its commands to the one group, so a new
command (import, users, board-pack, ...) is a new module.
"""

from __future__ import annotations

import importlib
import pkgutil

import click


@click.group(help="Performance dashboard for drug and alcohol treatment partnerships.")
def main() -> None:
    """Entry point of the console script."""


for _info in pkgutil.iter_modules(__path__):
    if _info.name.startswith("_"):
        continue  # __main__ runs the command; it adds none
    _module = importlib.import_module(f"{__name__}.{_info.name}")
    if hasattr(_module, "register"):
        _module.register(main)

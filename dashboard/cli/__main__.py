"""``python -m dashboard.cli`` runs the same command as the ``dashboard`` console script."""

from dashboard.cli import main

main()

"""Reusable Dash pieces: the shell, the filter bar, KPI cards, chart cards."""

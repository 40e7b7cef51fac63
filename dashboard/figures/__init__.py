"""Data -> plotly figures, one module per chart kind, all drawn with one shared template."""

"""Pure statistics: no Dash, no database; numpy, pandas and scipy only."""

"""Pure statistics: no Dash, no database; numpy, pandas and scipy only."""

from dashboard.stats.benchmark import compare_one, compare_overlap, compare_overlap_one, compare_to_benchmark
from dashboard.stats.funnels import funnel_baseline, funnel_limits, funnel_significance
from dashboard.stats.proportions import wilson_ci, z_value
from dashboard.stats.quartiles import (
    QuartileBounds,
    band_label,
    distance_to_top_quartile,
    ordinal,
    phe_quantiles,
    quartile_band,
    quartile_bounds,
    rank_in_group,
    rank_label,
)
from dashboard.stats.rates import byars_limits, rate_ci
from dashboard.stats.suppression import is_small, suppress
from dashboard.stats.trend import change, trend_test

__all__ = [
    "QuartileBounds",
    "band_label",
    "byars_limits",
    "change",
    "compare_one",
    "compare_overlap",
    "compare_overlap_one",
    "compare_to_benchmark",
    "distance_to_top_quartile",
    "funnel_baseline",
    "funnel_limits",
    "funnel_significance",
    "is_small",
    "ordinal",
    "phe_quantiles",
    "quartile_band",
    "quartile_bounds",
    "rank_in_group",
    "rank_label",
    "rate_ci",
    "suppress",
    "trend_test",
    "wilson_ci",
    "z_value",
]

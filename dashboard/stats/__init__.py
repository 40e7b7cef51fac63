"""Pure statistics: no Dash, no database; numpy, pandas and scipy only (and ``dashboard.domain``).

Every confidence-interval method the product uses is here and nowhere else: other layers call
``interval_limits`` with the method an indicator names, or the method's own function.
"""

from dashboard.stats.benchmark import compare_one, compare_overlap, compare_overlap_one, compare_to_benchmark, finite
from dashboard.stats.dsr import ESP2013, DirectlyStandardisedRate, dobson_limits, dsr
from dashboard.stats.funnels import funnel_baseline, funnel_limits, funnel_significance
from dashboard.stats.intervals import INTERVAL_METHODS, interval_limits, nested_limits
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
    rank_labels,
    rank_range,
)
from dashboard.stats.rates import RATE_METHODS, byars_limits, count_limits, exact_poisson_limits, rate_ci
from dashboard.stats.suppression import is_small, suppress
from dashboard.stats.targets import target_rag
from dashboard.stats.trend import change, significant_change, trend_test

__all__ = [
    "ESP2013",
    "INTERVAL_METHODS",
    "RATE_METHODS",
    "DirectlyStandardisedRate",
    "QuartileBounds",
    "band_label",
    "byars_limits",
    "change",
    "compare_one",
    "compare_overlap",
    "compare_overlap_one",
    "compare_to_benchmark",
    "count_limits",
    "distance_to_top_quartile",
    "finite",
    "dobson_limits",
    "dsr",
    "exact_poisson_limits",
    "funnel_baseline",
    "funnel_limits",
    "funnel_significance",
    "interval_limits",
    "is_small",
    "nested_limits",
    "ordinal",
    "phe_quantiles",
    "quartile_band",
    "quartile_bounds",
    "rank_in_group",
    "rank_label",
    "rank_labels",
    "rank_range",
    "rate_ci",
    "significant_change",
    "suppress",
    "target_rag",
    "trend_test",
    "wilson_ci",
    "z_value",
]

"""Wilson score CIs as the Overview uses them (the full reference suite is in tests/unit/stats)."""

import numpy as np
import pytest

from dashboard.stats.proportions import wilson_ci


def test_reference_value_from_phe_indicator_methods():
    # testdata_Proportion.xlsx: 65 / 100 gives 0.552544 to 0.736358 (95%).
    lower, upper = wilson_ci(65, 100, 0.95, 1)
    assert lower == pytest.approx(0.552544, abs=1e-6) and upper == pytest.approx(0.736358, abs=1e-6)


def test_vectorised_and_nan_for_impossible_inputs():
    lower, upper = wilson_ci(np.array([0, 5, np.nan, 3]), np.array([10, 10, 10, 0]), 0.95, 100)
    assert lower[0] == 0.0 and upper[0] == pytest.approx(27.753279, abs=1e-5)
    assert np.isnan(lower[2]) and np.isnan(upper[3])

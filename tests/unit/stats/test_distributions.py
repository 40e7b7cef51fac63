"""The scipy.special forms in dashboard.stats.distributions give exactly what scipy.stats gives, across the
probabilities and degrees of freedom the statistics use (and at the edges, where scipy.stats has its own rules)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from dashboard.stats import distributions as d

PROBABILITIES = np.array([0.0, 1e-6, 0.001, 0.025, 0.1, 0.5, 0.8, 0.9, 0.975, 0.999, 1 - 1e-6, 1.0])
DEGREES = np.array([0.5, 1.0, 1.7, 2.0, 3.0, 9.5, 20.0, 200.0, 2000.0, 1e5])


@pytest.mark.parametrize("df", DEGREES)
def test_chi_square_quantile(df: float) -> None:
    np.testing.assert_allclose(d.chi2_ppf(PROBABILITIES, df), stats.chi2.ppf(PROBABILITIES, df), rtol=1e-12)


def test_normal_quantile() -> None:
    np.testing.assert_allclose(d.normal_ppf(PROBABILITIES), stats.norm.ppf(PROBABILITIES), rtol=1e-12)
    assert float(d.normal_ppf(0.975)) == pytest.approx(1.959963985, abs=1e-9)  # the published z for 95%


@pytest.mark.parametrize("df", DEGREES)
def test_student_t(df: float) -> None:
    np.testing.assert_allclose(d.t_ppf(PROBABILITIES, df), stats.t.ppf(PROBABILITIES, df), rtol=1e-12)
    x = np.array([-40.0, -3.0, -0.5, 0.0, 0.2, 1.96, 6.0, 40.0])
    np.testing.assert_allclose(d.t_cdf(x, df), stats.t.cdf(x, df), rtol=1e-12)
    np.testing.assert_allclose(d.t_sf(x, df), stats.t.sf(x, df), rtol=1e-12)


def test_invalid_arguments_are_missing_not_errors() -> None:
    """As scipy.stats does: no degrees of freedom, a negative count's, or a missing value give NaN."""
    assert np.isnan(d.chi2_ppf(0.5, -2.0))
    assert np.isnan(d.chi2_ppf(np.nan, 4.0))
    assert np.isnan(d.t_ppf(0.5, np.nan))


def test_statistics_no_longer_import_scipy_stats() -> None:
    """The point of the module: importing the statistics does not load scipy.stats (1.5-2 s)."""
    import subprocess
    import sys

    code = (
        "import sys, dashboard.stats, dashboard.stats.projection, dashboard.stats.trend;"
        " print('scipy.stats' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "False"

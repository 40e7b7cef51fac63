"""Demonstration figures for the outcomes-framework measures no public file carries at partnership level:
deaths in treatment, treatment progress, the share of new presentations new to treatment, and continuity of
care from prison with the referral step between release and engagement.

All are drawn from the demonstration caseload already in the dataset, per smallest cell (district x provider)
and summed to every level above, like the other framework figures (``demo.framework``), so a partnership's
numerator is its districts' numerators added up. Magnitudes:

- New to treatment: North East Lincolnshire's 2009/10 plan counts 20% of its problem drug users as
  treatment-naive; opiate new presentations are mostly people returning, other groups mostly new.
- Continuity of care: about 45% of adults released with a need engaging within 3 weeks (the level the
  national figures have sat around), with most of the loss after referral; the pathway's steps never grow.
- Deaths in treatment: about 1% of adults in treatment for opiates a year, fewer in other groups.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from dashboard.demo.framework import KEYS, cells_of, rate_rows, share_indicators
from dashboard.demo.partnership import DemoDataset
from dashboard.domain.breakdowns import PERSONS

SEED_OFFSET = 29  # their own random stream: every figure drawn before stays as it was

DEATHS, PROGRESS, NEW_TO_TREATMENT = "deaths_in_treatment", "treatment_progress", "treatment_naive_share"
CONTINUITY, REFERRED = "continuity_of_care", "prison_leavers_referred"

CASELOAD_SHARES = {
    DEATHS: {"opiate": 0.011, "non_opiate": 0.003, "alcohol": 0.007, "alcohol_non_opiate": 0.004},
    PROGRESS: {"opiate": 0.40, "non_opiate": 0.57, "alcohol": 0.52, "alcohol_non_opiate": 0.50},
}
CASELOAD_RECORDED = {PROGRESS: 0.84}  # adults with a Treatment Outcomes Profile review in the year
PRESENTATION_SHARES = {
    NEW_TO_TREATMENT: {"opiate": 0.20, "non_opiate": 0.58, "alcohol": 0.63, "alcohol_non_opiate": 0.47},
}
# Adults released from prison with a need, as a share of the caseload; then referred, then engaged.
RELEASED = {"opiate": 0.085, "non_opiate": 0.11, "alcohol": 0.035, "alcohol_non_opiate": 0.09}
REFERRED_SHARE = {"opiate": 0.82, "non_opiate": 0.76, "alcohol": 0.74, "alcohol_non_opiate": 0.77}
ENGAGED_SHARE = {"opiate": 0.60, "non_opiate": 0.52, "alcohol": 0.50, "alcohol_non_opiate": 0.54}

OUTCOME_INDICATORS = (DEATHS, PROGRESS, NEW_TO_TREATMENT, CONTINUITY, REFERRED)


def with_outcome_figures(dataset: DemoDataset, seed: int = 0) -> DemoDataset:
    """The dataset with demonstration figures for every outcome measure above added, for persons."""
    rng = np.random.default_rng(seed + SEED_OFFSET)
    parts = [
        share_indicators(dataset, rng, "in_treatment", CASELOAD_SHARES, CASELOAD_RECORDED, binomial=True),
        share_indicators(dataset, rng, "new_presentations", PRESENTATION_SHARES, {}, binomial=True),
        prison_pathway(dataset, rng),
    ]
    added = pd.concat(parts, ignore_index=True).assign(breakdown=PERSONS)
    return dataclasses.replace(dataset, observations=pd.concat([dataset.observations, added], ignore_index=True))


def prison_pathway(dataset: DemoDataset, rng: np.random.Generator) -> pd.DataFrame:
    """Released with a need, referred and engaged within 3 weeks, per cell and summed up; each step is a whole
    number no larger than the step before, in every cell, so every level above keeps that order too. Each
    quarter's releases are drawn, then who of them was referred and who engaged, and each step is summed over
    the rolling year, so small cells neither round the pathway away nor jump from one window to the next."""
    cells = cells_of(dataset, "in_treatment")
    caseload = cells.leaves["value"].to_numpy(np.int64)
    quarter_released = rng.binomial(caseload, np.clip(cells.shares(rng, RELEASED) / 4, 0.0, 1.0))
    quarter_referred = rng.binomial(quarter_released, cells.shares(rng, REFERRED_SHARE))
    quarter_engaged = rng.binomial(quarter_referred, cells.shares(rng, ENGAGED_SHARE))
    released, referred, engaged = (cells.rolling_sum(q) for q in (quarter_released, quarter_referred, quarter_engaged))
    counts = cells.leaves[KEYS].assign(released=released, referred=referred, engaged=engaged)
    rolled = cells.rolled(counts, dataset.areas, ["released", "referred", "engaged"])
    continuity = rate_rows(rolled, CONTINUITY, "engaged", "released")
    referrals = rolled[KEYS].assign(indicator=REFERRED, numerator=np.nan, denominator=np.nan, value=rolled["referred"])
    referrals = referrals.assign(provider_code=referrals["provider_code"].replace({"": None}))
    return pd.concat([continuity, referrals], ignore_index=True)

"""National-scale demonstration data: every English area, consistent at every level."""

import pytest

from dashboard.demo import geography
from dashboard.demo.national import build_national_dataset


@pytest.fixture(scope="module")
def data():
    return build_national_dataset(0)


def test_every_english_district_and_partnership_48_quarters_3_providers(data):
    lookup = geography.lookup()
    areas = set(data.areas["code"])
    assert set(lookup["LTLA_CD"]) <= areas and set(lookup["UTLA_CD"]) <= areas
    assert len(data.periods) == 48
    per_partnership = {}
    for p in data.providers:
        per_partnership[p.partnership_code] = per_partnership.get(p.partnership_code, 0) + 1
    assert set(per_partnership.values()) == {3} and len(per_partnership) == lookup["UTLA_CD"].nunique()
    assert len(data.observations) > 3_000_000


def test_levels_add_up(data):
    obs = data.observations
    counts = obs[(obs.indicator == "in_treatment") & obs.provider_code.isna() & (obs.period == "2019-20 Q4")]
    value = counts.set_index(["area_code", "substance_group"])["value"]
    lookup = geography.lookup()
    utlas = lookup["UTLA_CD"].unique()
    for group in ("opiate", "all"):
        assert value[("E92000001", group)] == sum(value[(u, group)] for u in utlas)
    kent = lookup[lookup["UTLA_CD"] == "E10000016"]["LTLA_CD"]
    assert value[("E10000016", "alcohol")] == sum(value[(d, "alcohol")] for d in kent)
    assert value[("E10000018", "all")] == sum(
        value[("E10000018", g)] for g in ("opiate", "non_opiate", "alcohol", "alcohol_non_opiate")
    )
    rates = obs[obs.denominator.notna()]
    assert (rates.numerator <= rates.denominator).all()

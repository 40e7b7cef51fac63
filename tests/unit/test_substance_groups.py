import pytest

from dashboard.domain.substance_groups import canonical_substance_group, label_for, substance_group_keys


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Opiate", "opiate"),
        ("opiates", "opiate"),
        ("Non-opiate only", "non_opiate"),
        ("non-opiates only", "non_opiate"),
        ("Alcohol only", "alcohol"),
        ("alcohol only", "alcohol"),
        ("Non-opiate & alcohol", "alcohol_non_opiate"),
        ("alcohol & non-opiates", "alcohol_non_opiate"),
        ("Alcohol & Non-Opiates", "alcohol_non_opiate"),
        ("alcohol_non_opiate", "alcohol_non_opiate"),
        ("Total", "all"),
        ("TOTAL", "all"),
        ("all", "all"),
    ],
)
def test_maps_every_label_variant_to_one_key(text, key):
    assert canonical_substance_group(text) == key


def test_unknown_label_is_none():
    assert canonical_substance_group("crack") is None
    assert canonical_substance_group(None) is None


def test_four_ndtms_groups_plus_all():
    assert substance_group_keys(include_all=False) == ["opiate", "non_opiate", "alcohol", "alcohol_non_opiate"]
    assert substance_group_keys()[0] == "all"
    assert label_for("alcohol_non_opiate") == "Alcohol & non-opiate"

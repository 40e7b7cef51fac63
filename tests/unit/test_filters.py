from dashboard.services.filters import FilterOptions, FilterState, resolve_filters
from dashboard.store.repository import AreaRow, ProviderRow

OPTIONS = FilterOptions(
    home_area="E10000018",
    areas=[AreaRow("E10000018", "Leicestershire", "utla", False), AreaRow("E07000130", "Charnwood", "ltla", True)],
    providers=[ProviderRow(1, "turning-point", "Turning Point", "main")],
    periods=["2019-20 Q4", "2019-20 Q3"],
)


def test_defaults_are_the_partnership_all_groups_all_providers_latest_period():
    state, notes = resolve_filters({}, OPTIONS)
    assert state == FilterState("E10000018", "all", None, "2019-20 Q4") and notes == []


def test_link_values_are_applied_and_labels_canonicalised():
    state, notes = resolve_filters(
        {"area": "E07000130", "substance_group": "Alcohol only", "provider": "turning-point", "period": "2019-20 Q3"},
        OPTIONS,
    )
    assert state == FilterState("E07000130", "alcohol", "turning-point", "2019-20 Q3") and notes == []
    assert state.to_search() == "?area=E07000130&substance_group=alcohol&provider=turning-point&period=2019-20+Q3"


def test_unknown_values_fall_back_with_a_note_each():
    state, notes = resolve_filters({"area": "E0", "substance_group": "x", "provider": "y", "period": "z"}, OPTIONS)
    assert state == FilterState("E10000018", "all", None, "2019-20 Q4")
    assert len(notes) == 4 and "Leicestershire" in notes[0]

"""The rug names each period shown other than the one asked for once, with every indicator it holds."""

from __future__ import annotations

from dashboard.narrative.rug import period_notes
from dashboard.services.rug import GROUP, Rug, RugColumn


def _column(key: str, name: str, period: str, moved: bool) -> RugColumn:
    return RugColumn(key, name, name, "high_good", False, period, "moved" if moved else None)


def test_indicators_shown_for_another_period_are_named_together():
    rug = Rug(
        GROUP,
        "England",
        "a group",
        "E10000018",
        [
            _column("a", "Completion rate", "2019-20 Q4", False),
            _column("b", "Alcohol unmet need", "2019/20", True),
            _column("c", "Opiate unmet need", "2019/20", True),
            _column("d", "Alcohol met need", "2019/20", True),
            _column("e", "Deaths", "2019", True),
        ],
        [],
    )
    assert period_notes(rug, "2019-20 Q4") == [
        "Alcohol unmet need, Opiate unmet need and Alcohol met need: 2019/20, the latest period with figures up to "
        "2019-20 Q4.",
        "Deaths: 2019, the latest period with figures up to 2019-20 Q4.",
    ]

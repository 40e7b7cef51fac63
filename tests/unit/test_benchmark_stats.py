"""The benchmarks' arithmetic and mix file (benchmarks/bench_stats.py): what the printed ratios rest on."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

from bench_stats import (  # noqa: E402
    CALLBACK_PATH,
    MixError,
    MixRequest,
    load_mix,
    markdown_table,
    median,
    parse_mix,
    percentile,
    ratio,
    save_mix,
    times,
)


def test_percentiles_interpolate_between_ranks_like_numpy() -> None:
    values = [40.0, 10.0, 30.0, 20.0]  # unsorted on purpose
    assert percentile(values, 0) == 10
    assert percentile(values, 100) == 40
    assert median(values) == 25
    assert percentile(values, 95) == pytest.approx(38.5)
    assert percentile(list(range(1, 101)), 99) == pytest.approx(99.01)
    assert percentile([7.0], 95) == 7


def test_a_percentile_of_nothing_or_out_of_range_is_refused() -> None:
    with pytest.raises(ValueError, match="no values"):
        percentile([], 50)
    with pytest.raises(ValueError, match="outside"):
        percentile([1.0], 101)


def test_ratio_is_value_over_baseline_and_missing_when_it_cannot_be_taken() -> None:
    assert ratio(511, 185) == pytest.approx(2.762, abs=0.001)
    assert ratio(None, 185) is None
    assert ratio(511, None) is None
    assert ratio(511, 0) is None
    assert times(ratio(511, 185)) == "2.8x"
    assert times(1.4503) == "1.45x"
    assert times(None) == "n/a"


def test_markdown_tables_escape_pipes_and_refuse_ragged_rows() -> None:
    table = markdown_table(["page", "ratio"], [["a | b", "1.2x"]])
    assert table.splitlines() == ["| page | ratio |", "|---|---|", "| a \\| b | 1.2x |"]
    with pytest.raises(ValueError, match="2 headers"):
        markdown_table(["page", "ratio"], [["only one"]])


def _body(output: str) -> str:
    return json.dumps({"output": output, "outputs": {"id": "g", "property": "figure"}, "inputs": [], "state": []})


def test_a_mix_round_trips_through_its_file(tmp_path: Path) -> None:
    requests = [
        MixRequest("/", "g.figure", _body("g.figure"), CALLBACK_PATH + "?endId=x"),
        MixRequest("/actions", "actions-figures.children", _body("actions-figures.children")),
    ]
    save_mix(tmp_path / "mix.json", requests, {"base": "http://127.0.0.1:1"})
    assert load_mix(tmp_path / "mix.json") == requests


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not json", "not JSON"),
        ("{}", "no requests"),
        ('{"requests": []}', "no requests"),
        ('{"requests": [{"page": "/", "output": "g.figure"}]}', "lacks page, output or body"),
        ('{"requests": [{"page": "/", "output": "g.figure", "body": "{oops"}]}', "body is not JSON"),
        (json.dumps({"requests": [{"page": "/", "output": "h.figure", "body": _body("g.figure")}]}), "not a Dash"),
        (
            json.dumps({"requests": [{"page": "/", "output": "g.figure", "body": _body("g.figure"), "url": "/login"}]}),
            "was not posted to",
        ),
    ],
)
def test_a_mix_that_is_not_callbacks_is_refused_with_the_reason(text: str, message: str) -> None:
    with pytest.raises(MixError, match=message):
        parse_mix(text)

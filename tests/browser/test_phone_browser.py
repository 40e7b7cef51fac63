"""A phone held upright (390x844): the header is one line with a Menu, the Overview's cards show each group's
value and its rating against the target without sideways scrolling, and a trend's period labels never collide."""

from __future__ import annotations

import pytest

# Phone layout is checked once, on SQLite: how a page fits a phone does not depend on the database.
pytestmark = [pytest.mark.browser, pytest.mark.sqlite_only("phone layout is checked once, on SQLite")]

PHONE = {"width": 390, "height": 844}

# Do any two of these texts collide? Two labels slanted at the same angle are parallel: they collide only if the
# distance between their lines (their centres' horizontal gap times the sine of the angle) is under the text's
# height. Level labels collide if their boxes meet.
OVERLAPS = """(selector) => {
  const texts = [...document.querySelectorAll(selector)].filter(t => t.getBoundingClientRect().width);
  const hits = [];
  const angle = t => {
    const turns = (t.getAttribute('transform') || '') + (t.parentNode.getAttribute('transform') || '');
    const m = /rotate\\((-?[\\d.]+)/.exec(turns);
    return m ? +m[1] : 0;
  };
  for (let i = 0; i + 1 < texts.length; i++) {
    const a = texts[i].getBoundingClientRect(), b = texts[i + 1].getBoundingClientRect();
    const size = parseFloat(getComputedStyle(texts[i]).fontSize), turn = Math.abs(angle(texts[i])) * Math.PI / 180;
    if (turn) {
      const gap = Math.abs((b.left + b.right) / 2 - (a.left + a.right) / 2) * Math.sin(turn);
      if (gap < size * 1.1) hits.push([i, i + 1, gap]);
    } else if (a.right > b.left + 1) hits.push([i, i + 1]);
  }
  return {count: texts.length, hits};
}"""


def test_the_overview_reads_on_a_phone(page, live_server):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server}/")
    page.locator("[data-group='opiate'] [data-field='rate']").wait_for()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"], "the page scrolls sideways"
    header = page.evaluate("() => document.querySelector('.site-header').getBoundingClientRect().height")
    assert header < 130, f"the header takes {header:.0f} px of the first screen"
    assert not page.locator(".main-nav").is_visible()
    page.click("#nav-toggle")
    page.locator(".main-nav").wait_for(state="visible")
    assert page.get_attribute("#nav-toggle", "aria-expanded") == "true"
    page.click("#nav-toggle")
    page.locator(".main-nav").wait_for(state="hidden")

    for group in ("opiate", "non_opiate", "alcohol", "alcohol_non_opiate"):  # the groups with a target
        for field in ("rate", "target"):
            box = page.locator(f"[data-group='{group}'] [data-field='{field}']").bounding_box()
            assert box is not None, f"{group}: no {field} shown"
            assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], f"{group}: {field} is cut off"
        assert page.locator(f"[data-group='{group}'] [data-field='target']").inner_text().strip()


def test_trend_period_labels_do_not_run_together_on_a_phone(page, live_server):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server}/trends")
    page.wait_for_function(
        "() => { const p = document.querySelector('#trends-chart-graph .js-plotly-plot');"
        " return p && p._presentedLayout === p.layout && p.querySelectorAll('.xtick text').length > 1; }"
    )
    result = page.evaluate(OVERLAPS, "#trends-chart-graph .xtick text")
    assert result["count"] >= 2 and result["hits"] == [], result


def test_the_spine_says_worse_england_and_better_whole_on_a_phone(page, live_server):
    """The spine's plot is narrow on a phone: its three axis words are turned, and each is written whole inside
    the chart (they were cut to "Engla", and "Better" was not written at all)."""
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server}/compare?area=E10000018")
    page.locator("#compare-spine-graph .xtick text").first.wait_for()
    page.locator("#compare-spine-graph").scroll_into_view_if_needed()
    words = page.evaluate(
        """() => {
          const svg = document.querySelector('#compare-spine-graph .main-svg').getBoundingClientRect();
          return [...document.querySelectorAll('#compare-spine-graph .xtick text')].map(t => {
            const box = t.getBoundingClientRect();
            return {text: t.textContent, shown: t.style.display !== 'none' && box.width > 0,
                    inside: box.left >= svg.left - 1 && box.right <= svg.right + 1 && box.bottom <= svg.bottom + 1};
          });
        }"""
    )
    assert [w["text"] for w in words] == ["Worse", "England", "Better"]
    assert all(w["shown"] and w["inside"] for w in words), words
    assert page.evaluate(OVERLAPS, "#compare-spine-graph .xtick text")["hits"] == []

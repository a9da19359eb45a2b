"""The map and the Compare page with many actors, as a person sees them: the real `streamlit run` in
headless Chromium, at desktop width and at a phone's 390 px (with a phone's User-Agent).

The server reads a copy of data/ with one more event in which up to 150 of the registry's placed actors
each take a stance (sentences we write). Screenshots land in artifacts/screenshots/ for a person to look at.
"""

from __future__ import annotations

import csv
import itertools
import os
import shutil
from unittest import mock

import pytest

from tests.browser_support import (
    PROJECT_DIR,
    StreamlitServer,
    explained_timeout,
    screenshot_whole_page,
    wait_for_app_idle,
    wait_for_painted,
    wait_for_plots,
)

pytestmark = pytest.mark.browser

SCREENSHOT_DIR = PROJECT_DIR / "artifacts" / "screenshots"
MANY_ACTORS = 150
EVENT = "many-actors"
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 1,
    "is_mobile": True,
    "has_touch": True,
    "user_agent": (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/17.0 Mobile/15E148 Safari/604.1"
    ),
}
STANCES_CYCLE = ("condemn", "concern", "call_for", "support", "warn", "condolence", "neutral", "deny")
SENTENCE = {
    "condemn": "{actor} condemned the strike on the convoy.",
    "concern": "{actor} expressed deep concern about the strike.",
    "call_for": "{actor} called for restraint after the strike.",
    "support": "{actor} said it stood with the people who were attacked.",
    "warn": "{actor} warned that further strikes would have consequences.",
    "condolence": "{actor} offered condolences to the families of the victims.",
    "neutral": "{actor} said it was following the situation.",
    "deny": "{actor} denied any part in the strike.",
}

# Every text label the map draws (state names, markers' labels), with its box on screen.
MAP_LABELS_JS = """(key) => {
    const gd = document.querySelector(`.st-key-${key} .js-plotly-plot`);
    if (!gd) return null;
    const chart = gd.getBoundingClientRect();
    const labels = Array.from(gd.querySelectorAll('.geo .scatterlayer text'))
        .filter((t) => (t.textContent || '').trim())
        .map((t) => { const r = t.getBoundingClientRect();
                      return {text: t.textContent, left: r.left, top: r.top, right: r.right, bottom: r.bottom}; });
    return {labels, chart: {left: chart.left, right: chart.right, top: chart.top, bottom: chart.bottom}};
}"""


@pytest.fixture(scope="module")
def many_actors_data(tmp_path_factory):
    """A copy of data/ with one more event: up to MANY_ACTORS placed actors of the registry, one to three
    records each, aimed at a few states."""
    from dashboard.registry import load_registry

    folder = tmp_path_factory.mktemp("data") / "data"
    shutil.copytree(PROJECT_DIR / "data", folder)
    registry = load_registry(folder)
    placed = [a for a in registry.actors.values() if a.lat is not None and a.lon is not None]
    states = sorted(a.name for a in placed if a.kind == "state")
    organisations = sorted(a.name for a in placed if a.kind == "organisation")
    actors = (organisations[:20] + states)[:MANY_ACTORS]
    targets = [name for name in ("Syria", "Israel", "Ukraine", "Russia") if name in registry.actors]
    rows = []
    stances = itertools.cycle(STANCES_CYCLE)
    for number, actor in enumerate(actors):
        for repeat in range(1 + number % 3 if number < 40 else 1):
            stance = next(stances)
            target = targets[(number + repeat) % len(targets)] if targets else ""
            rows.append(
                {
                    "id": f"{EVENT}-{number:03d}-{repeat}",
                    "event": EVENT,
                    "date": "2024-05-01",
                    "actor": actor,
                    "stance": stance,
                    "target": "" if target == actor else target,
                    "mode": "verbal",
                    "text": SENTENCE[stance].format(actor=actor),
                }
            )
    with open(folder / "records" / f"{EVENT}.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return folder, actors


@pytest.fixture(scope="module")
def many_actors_app(many_actors_data):
    folder, _ = many_actors_data
    server = StreamlitServer()
    with mock.patch.dict(os.environ, {"REACTIONS_DATA_DIR": str(folder)}):
        server.start()
    try:
        server.wait_until_healthy()
        yield server
    finally:
        server.close()


def _page(chromium, app, **context_options):
    context = chromium.new_context(**context_options)
    context.route("**/*", lambda route: route.continue_() if "127.0.0.1" in route.request.url else route.abort())
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.app_url = app.url
    return context, page


def _open(page, path: str, query: str = "") -> None:
    page.goto(f"{page.app_url}/{path}" + (f"?{query}" if query else ""))
    wait_for_app_idle(page)
    page.locator("h1").first.wait_for()
    wait_for_painted(page)
    shown = page.locator('[data-testid="stException"]')
    assert shown.count() == 0, shown.first.inner_text()


def _overlapping(labels: list[dict]) -> list[tuple[str, str]]:
    """Pairs of labels whose boxes overlap by more than a pixel each way (glyph boxes touch at their edges)."""
    pairs = []
    for a, b in itertools.combinations(labels, 2):
        width = min(a["right"], b["right"]) - max(a["left"], b["left"])
        height = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
        if width > 1 and height > 1:
            pairs.append((a["text"], b["text"]))
    return pairs


def _map_labels(page, key: str) -> dict:
    wait_for_plots(page)
    with explained_timeout(page, f"the map {key!r} to draw its labels"):
        page.wait_for_function(f"() => ({MAP_LABELS_JS})('{key}') && ({MAP_LABELS_JS})('{key}').labels.length > 0")
    return page.evaluate(MAP_LABELS_JS, key)


@pytest.mark.parametrize(
    ("device", "options"),
    [("desktop", {"viewport": {"width": 1440, "height": 1000}}), ("phone", PHONE)],
)
def test_the_map_with_many_actors_labels_without_overlap(chromium, many_actors_app, many_actors_data, device, options):
    _, actors = many_actors_data
    context, page = _page(chromium, many_actors_app, **options)
    try:
        _open(page, "map", f"event={EVENT}")
        drawn = _map_labels(page, "chart_map")
        screenshot_whole_page(page, SCREENSHOT_DIR / f"map-{len(actors)}-actors-{device}.png")
        labels = drawn["labels"]
        assert len(labels) >= (4 if device == "phone" else 12), [label["text"] for label in labels]
        assert _overlapping(labels) == []
        # Every label lies within the chart, none cut off at its edges.
        chart = drawn["chart"]
        for label in labels:
            assert chart["left"] - 1 <= label["left"] and label["right"] <= chart["right"] + 1, label
        # The figure in the browser holds a mark for every actor in view (a shape, a circle or a square),
        # told apart by the selector each carries.
        marks = page.evaluate(
            """() => { const gd = document.querySelector('.st-key-chart_map .js-plotly-plot');
                       const actors = new Set();
                       for (const t of gd.data) {
                         const own = (t.type === 'choropleth' && !/target|member/.test(String(t.name)))
                                     || ['small states', 'organisations'].includes(t.name);
                         if (own) for (const c of t.customdata) actors.add(String(c[0] ?? c));
                       }
                       return actors.size; }"""
        )
        assert marks == len(actors)
    finally:
        context.close()


def test_the_whole_world_control_shows_the_world_and_is_kept_in_the_url(chromium, many_actors_app):
    context, page = _page(chromium, many_actors_app, viewport={"width": 1440, "height": 1000})
    try:
        _open(page, "map", "event=idlib-2020")
        wait_for_plots(page)
        ranges = "() => document.querySelector('.st-key-chart_map .js-plotly-plot').layout.geo.lonaxis.range"
        framed = page.evaluate(ranges)
        assert framed[1] - framed[0] < 200, f"the Idlib actors should be framed, not the world: {framed}"
        page.locator(".st-key-world label").click()
        wait_for_app_idle(page)
        with explained_timeout(page, "the map to show the whole world"):
            page.wait_for_function(f"() => {{ const r = ({ranges})(); return r[0] === -180 && r[1] === 180; }}")
        assert "world=true" in page.url
        screenshot_whole_page(page, SCREENSHOT_DIR / "map-whole-world.png")
    finally:
        context.close()


@pytest.mark.parametrize(
    ("device", "options"),
    [("desktop", {"viewport": {"width": 1440, "height": 1000}}), ("phone", PHONE)],
)
def test_compare_page_titles_are_whole_clear_of_the_toolbar_and_bar_digits_are_level(
    chromium, many_actors_app, device, options
):
    context, page = _page(chromium, many_actors_app, **options)
    try:
        # The two events loaded are compared by default: the curated one and the one with many actors.
        _open(page, "compare")
        assert page.locator("h3").all_inner_texts()[:2] == ["idlib-2020", EVENT]
        wait_for_plots(page, minimum=4)
        screenshot_whole_page(page, SCREENSHOT_DIR / f"compare-{device}.png")
        charts = page.locator(".js-plotly-plot")
        for index in range(charts.count()):
            chart = charts.nth(index)
            chart.scroll_into_view_if_needed()
            chart.hover(position={"x": 40, "y": 120})
            modebar = chart.locator(".modebar")
            modebar.wait_for(state="attached")
            title = chart.locator(".gtitle")
            box, bar, title_box = chart.bounding_box(), modebar.bounding_box(), title.bounding_box()
            # The title is whole (inside the chart) and lies below the toolbar strip.
            assert box["x"] - 1 <= title_box["x"] and title_box["x"] + title_box["width"] <= box["x"] + box["width"] + 1
            if bar and bar["height"] > 0:
                assert title_box["y"] >= bar["y"] + bar["height"] - 2, (title.text_content(), title_box, bar)
        # Each map's labels overlap nothing and lie within their chart.
        map_keys = page.evaluate(
            "() => Array.from(document.querySelectorAll('[class*=\"st-key-compare_map_\"]'))"
            ".map((e) => e.className.match(/st-key-(\\S+)/)[1])"
        )
        assert len(map_keys) == 2, map_keys
        for key in map_keys:
            drawn = page.evaluate(MAP_LABELS_JS, key)
            assert _overlapping(drawn["labels"]) == [], key
            chart = drawn["chart"]
            for label in drawn["labels"]:
                assert chart["left"] - 1 <= label["left"] and label["right"] <= chart["right"] + 1, (key, label)
        # No count in a bar segment is turned sideways.
        rotated = page.evaluate(
            """() => Array.from(document.querySelectorAll('.barlayer text'))
                   .filter((t) => /rotate\\((?!0[,)])/.test(t.getAttribute('transform') || '')).length"""
        )
        assert rotated == 0
    finally:
        context.close()

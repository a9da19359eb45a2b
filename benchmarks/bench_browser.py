"""How long a person waits: this dashboard against a minimal Streamlit app, in one run and one Chromium.

Measures, for each app, the time from starting `streamlit run` to every chart on the landing page drawn (and,
for the dashboard, its key figures shown); the runs alternate between the two apps. Then, for the dashboard,
the time from choosing a stance in the sidebar to the redrawn stance chart. Prints medians, spread and the
ratio dashboard / minimal.

    .venv/bin/python benchmarks/bench_browser.py [--repeat 5] [--json artifacts/bench_browser.json]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

from tests.browser_support import (  # noqa: E402  (the project root must be on sys.path first)
    APP_IDLE,
    APP_PATH,
    PAGE_WAIT_TIMEOUT_MS,
    PLOTS_DRAWN_JS,
    WARM_LAUNCHER,
    StreamlitServer,
    chromium_missing_message,
    chromium_path,
    explained_timeout,
    launch_chromium,
    running_streamlit,
    wait_for_app_idle,
    wait_for_painted,
    wait_for_plots,
)

MINIMAL_APP_PATH = PROJECT_DIR / "benchmarks" / "minimal_app.py"
VIEWPORT = {"width": 1440, "height": 1000}
FILTER_KEY = "stance"
FILTERED_CHART_KEY = "chart_stance_by_actor"

# The landing page is ready when `plots` charts are drawn and `metrics` key figures show a value.
LANDING_READY_JS = f"""({{plots, metrics}}) => ({PLOTS_DRAWN_JS})(plots)
    && document.querySelectorAll('[data-testid="stMetricValue"]').length >= metrics"""
# What the filtered chart draws: per trace its name and bar sizes; changes when the filter takes effect.
CHART_SIGNATURE_JS = """(key) => {
    const gd = document.querySelector(`.st-key-${key} .js-plotly-plot`);
    if (!gd || !gd._fullData || !gd.calcdata || !gd.querySelector('svg.main-svg')) return null;
    return JSON.stringify(gd.calcdata.map((trace, i) => [gd._fullData[i].name, trace.map((point) => point.s)]));
}"""


@dataclass
class Landing:
    """What a ready landing page holds, counted once in an untimed warm-up."""

    plots: int
    metrics: int


@dataclass
class Samples:
    name: str
    seconds: list[float] = field(default_factory=list)

    def summary(self) -> dict[str, float]:
        values = self.seconds
        return {
            "median": statistics.median(values),
            "min": min(values),
            "max": max(values),
            "stdev": statistics.stdev(values) if len(values) > 1 else 0.0,
        }


@dataclass(frozen=True)
class App:
    """An app as it is started: its script and the module `python -m` runs (Streamlit's command line, or
    the warm launcher `reactions app` and `make run` use)."""

    path: Path
    launcher: str = "streamlit"


def count_landing(browser, app: App) -> Landing:
    """Warm-up, untimed: start the app, let the landing page settle, count its charts and key figures."""
    with running_streamlit(app.path, launcher=app.launcher) as server:
        context = browser.new_context(viewport=VIEWPORT)
        page = context.new_page()
        page.goto(server.url + "/")
        wait_for_app_idle(page)
        wait_for_painted(page, quiet_ms=1000)
        wait_for_plots(page, minimum=0)
        landing = Landing(
            plots=page.locator(".js-plotly-plot").count(),
            metrics=page.locator('[data-testid="stMetricValue"]').count(),
        )
        context.close()
    return landing


def time_start_to_charts(browser, app: App, landing: Landing) -> tuple[float, float]:
    """Seconds from starting the process to the landing page ready; and to the health check answering."""
    server = StreamlitServer(app.path, launcher=app.launcher)
    # A fresh context each time: no HTTP cache or session carried over from the previous run.
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    try:
        started = time.perf_counter()
        server.start()
        server.wait_until_healthy()
        healthy = time.perf_counter()
        page.goto(server.url + "/")
        with explained_timeout(page, f"{landing.plots} chart(s) and {landing.metrics} key figure(s)"):
            page.wait_for_function(
                LANDING_READY_JS,
                arg={"plots": landing.plots, "metrics": landing.metrics},
                polling="raf",
                timeout=PAGE_WAIT_TIMEOUT_MS,
            )
        ready = time.perf_counter()
    finally:
        context.close()
        server.close()
    return ready - started, healthy - started


def time_warm_loads(browser, app: App, landing: Landing, repeat: int) -> list[float]:
    """Seconds from opening the landing page to it being ready, on a server that has already served it once:
    what a later visitor waits (the first run's loading and scoring are cached by then)."""
    seconds = []
    with running_streamlit(app.path, launcher=app.launcher) as server:
        for run in range(repeat + 1):  # run 0 warms the server
            context = browser.new_context(viewport=VIEWPORT)
            page = context.new_page()
            opened = time.perf_counter()
            page.goto(server.url + "/")
            with explained_timeout(page, f"{landing.plots} chart(s) and {landing.metrics} key figure(s)"):
                page.wait_for_function(
                    LANDING_READY_JS,
                    arg={"plots": landing.plots, "metrics": landing.metrics},
                    polling="raf",
                    timeout=PAGE_WAIT_TIMEOUT_MS,
                )
            if run:
                seconds.append(time.perf_counter() - opened)
            context.close()
    return seconds


def time_filter_clicks(browser, app: App, repeat: int) -> tuple[list[float], list[str]]:
    """Seconds from choosing a stance in the sidebar to the stance chart redrawn with it, `repeat` times.

    Each click picks the next stance in the list, so most clicks ask for a view the server has not cached."""
    seconds, chosen = [], []
    with running_streamlit(app.path, launcher=app.launcher) as server:
        context = browser.new_context(viewport=VIEWPORT)
        page = context.new_page()
        options: list[str] = []
        for run in range(repeat + 1):  # run 0 only warms the server (imports, data, first figure)
            page.goto(server.url + "/")
            wait_for_app_idle(page)
            wait_for_plots(page)
            with explained_timeout(page, f"the chart {FILTERED_CHART_KEY!r}"):
                before = page.wait_for_function(CHART_SIGNATURE_JS, arg=FILTERED_CHART_KEY).json_value()
            page.locator(f'[data-testid="stSidebar"] .st-key-{FILTER_KEY}').click()
            # Streamlit lists a "Select all" entry first; choosing it would not change the chart.
            listed = page.locator('[role="option"]:not([data-key="__select_all__"])')
            listed.first.wait_for()
            options = options or [text.strip() for text in listed.all_inner_texts()]
            name = options[(run - 1) % len(options)] if run else options[-1]
            option = page.get_by_role("option", name=name, exact=True)
            clicked = time.perf_counter()
            option.click()
            with explained_timeout(page, f"the chart to change after choosing {name!r}"):
                page.wait_for_function(
                    f"([key, before]) => {{ const now = ({CHART_SIGNATURE_JS})(key); return now && now !== before; }}",
                    arg=[FILTERED_CHART_KEY, before],
                    polling="raf",
                    timeout=PAGE_WAIT_TIMEOUT_MS,
                )
                page.wait_for_function(PLOTS_DRAWN_JS, arg=1, polling="raf", timeout=PAGE_WAIT_TIMEOUT_MS)
            if run:
                seconds.append(time.perf_counter() - clicked)
                chosen.append(name)
            page.keyboard.press("Escape")
            page.wait_for_selector(APP_IDLE, state="attached")
        context.close()
    return seconds, chosen


def print_table(rows: list[tuple[str, dict[str, float]]], repeat: int) -> None:
    print(f"\n{'measure':<42} {'median':>8} {'min':>8} {'max':>8} {'stdev':>8}   (n={repeat}, seconds)")
    for name, stats in rows:
        print(f"{name:<42} " + " ".join(f"{stats[k]:>8.2f}" for k in ("median", "min", "max", "stdev")))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", "-n", type=int, default=5, help="timed runs per app and clicks (default 5)")
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    parser.add_argument(
        "--plain",
        action="store_true",
        help="also time the dashboard started by plain `streamlit run dashboard/app.py` (no warm start)",
    )
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    browser_path = chromium_path()
    missing = chromium_missing_message(browser_path)
    if missing:
        print(missing, file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    # The dashboard as `make run` starts it; with --plain, also as `streamlit run dashboard/app.py` starts it.
    apps = {"dashboard": App(APP_PATH, WARM_LAUNCHER), "minimal": App(MINIMAL_APP_PATH)}
    if args.plain:
        apps["dashboard, plain streamlit run"] = App(APP_PATH)
    ready = {name: Samples(f"{name}: start -> charts drawn") for name in apps}
    healthy = {name: Samples(f"{name}: start -> server healthy") for name in apps}
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright, browser_path)
        landing = {name: count_landing(browser, path) for name, path in apps.items()}
        for name, counted in landing.items():
            print(f"{name}: landing page has {counted.plots} chart(s), {counted.metrics} key figure(s)")
        order = list(apps)
        for run in range(args.repeat):
            # Alternate, and swap which goes first every other run, so neither app always runs on a warmer machine.
            for name in order if run % 2 == 0 else reversed(order):
                total, health = time_start_to_charts(browser, apps[name], landing[name])
                ready[name].seconds.append(total)
                healthy[name].seconds.append(health)
                print(f"run {run + 1}/{args.repeat} {name}: {total:.2f} s (healthy after {health:.2f} s)", flush=True)
        warm = {
            name: Samples(
                f"{name}: open page -> charts (warm)", time_warm_loads(browser, path, landing[name], args.repeat)
            )
            for name, path in apps.items()
        }
        click_seconds, clicked = time_filter_clicks(browser, apps["dashboard"], args.repeat)
        clicks = Samples(f"dashboard: {FILTER_KEY} click -> chart redrawn", click_seconds)
        print(
            f"{FILTER_KEY} clicks: {', '.join(f'{n} {t:.2f} s' for n, t in zip(clicked, click_seconds, strict=True))}"
        )
        browser.close()

    rows = [(s.name, s.summary()) for name in apps for s in (healthy[name], ready[name], warm[name])]
    rows.append((clicks.name, clicks.summary()))
    print_table(rows, args.repeat)
    ratio = ready["dashboard"].summary()["median"] / ready["minimal"].summary()["median"]
    warm_ratio = warm["dashboard"].summary()["median"] / warm["minimal"].summary()["median"]
    print(f"\nratio dashboard / minimal, median start -> charts drawn: {ratio:.2f}")
    if args.plain:
        plain = ready["dashboard, plain streamlit run"].summary()["median"] / ready["minimal"].summary()["median"]
        print(f"ratio dashboard started by plain `streamlit run` / minimal, median start -> charts drawn: {plain:.2f}")
    print(f"ratio dashboard / minimal, median open page -> charts (warm server): {warm_ratio:.2f}")

    if args.json:
        results = {
            "repeat": args.repeat,
            "chromium": str(browser_path),
            "python": platform.python_version(),
            "machine": platform.platform(),
            "landing": {name: vars(counted) for name, counted in landing.items()},
            "filter_clicks": clicked,
            "samples": {s.name: s.seconds for s in [*ready.values(), *healthy.values(), *warm.values(), clicks]},
            "summary": dict(rows),
            "ratio_dashboard_to_minimal": ratio,
            "ratio_dashboard_to_minimal_warm": warm_ratio,
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
        print(f"results written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

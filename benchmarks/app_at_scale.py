"""The dashboard itself, in a browser, with an event library of 10k, 100k and 1M records of DISTINCT texts.

For each size a library is built in a temporary folder (or reused from --cache) the way a user builds one: one
event, "distinct-N", of N SYNTHETIC records whose sentences are all different (benchmarks/distinct_records.py:
parts written for this script, combined so that no two texts repeat), written to a CSV file and stored with
`reactions library add FILE --event distinct-N --jobs 2`, which scores every record from its own text. Size 0
is an empty library: the shipped seed alone.

The real server is started with REACTIONS_LIBRARY pointing at the library, and one headless Chromium (Debian's)
times what a person waits for:

- cold: server start -> Overview's chart and key figures drawn (all events; once per server);
- cold, event: a second fresh server -> `/?event=SLUG` drawn (SLUG the library's event, or the seed at size 0);
- warm: a new visitor opening the Overview on the first server;
- filtered, new visitor: a new browser context opening `/?event=SLUG&stance=condemn`;
- stance chosen in the sidebar -> stance chart redrawn (three stances, each a view not seen before);
- each page opened from the sidebar -> its content drawn (Map, Tone, Who -> whom, Evidence, Downloads);
- a text search typed in the sidebar -> chart redrawn.

It also samples the servers' peak RSS. The sizes run one after the other on the same machine, so the ratios
to the seed alone are the figures to compare. Seconds depend on the machine; tests never assert on time.

    .venv/bin/python benchmarks/app_at_scale.py [--sizes 0 10000 100000 1000000] [--cache DIR] [--json PATH]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

from distinct_records import distinct_records  # noqa: E402
from load_sessions import CHART_SIGNATURE_JS, click_update  # noqa: E402  (this script's folder is on sys.path)

from dashboard.library import Library  # noqa: E402
from dashboard.scoring import load_resources  # noqa: E402
from tests.browser_support import (  # noqa: E402
    APP_IDLE,
    CHROMIUM_ARGS,
    PLOTS_DRAWN_JS,
    StreamlitServer,
    chromium_missing_message,
    chromium_path,
)

SEED_EVENT = "idlib-2020"
VIEWPORT = {"width": 1440, "height": 1000}
COLD_TIMEOUT_MS = 900_000  # reading and scoring a million records on a small machine takes minutes
UPDATE_TIMEOUT_MS = 120_000
OVERVIEW_CHART = "chart_stance_by_actor"
STANCES = ("condemn", "support", "warn")
# Sidebar link title -> (the page's own title, the chart it draws or None).
PAGES = {
    "Map": ("Map", "chart_map"),
    "Tone": ("Tone", "chart_tone"),
    "Who → whom": ("Who → whom", "chart_flows"),
    "Evidence": ("Evidence", None),
    "Downloads": ("Downloads", None),
    "Overview": ("Overview", OVERVIEW_CHART),
}
SEARCH_TERM = "warships"
OVERVIEW_READY_JS = f"""() => ({PLOTS_DRAWN_JS})(1)
    && document.querySelectorAll('[data-testid="stMetricValue"]').length >= 4"""


def build_library(size: int, under: Path, cache: Path | None, jobs: int) -> tuple[Path, str]:
    """A library holding one event of `size` distinct-text records (size 0: empty), and the slug to open. Built
    as a user builds one: the records written to a CSV file, then `reactions library add FILE --event SLUG`,
    which reads, validates and scores every record (on `jobs` processes) and stores them."""
    if size == 0:
        root = under / "library-0"
        root.mkdir(parents=True, exist_ok=True)
        return root, SEED_EVENT
    slug = f"distinct-{size}"
    root = (cache or under) / f"library-{size}"
    if Library(root).path_of(slug).exists():
        return root, slug
    resources = load_resources()
    source = under / f"{slug}.csv"
    distinct_records(size, sorted(resources.registry.actors), slug).to_csv(source, index=False)
    command = [str(Path(sys.executable).parent / "reactions"), "library", "add", str(source), "--event", slug]
    command += ["--title", f"{size:,} synthetic records of distinct texts", "--jobs", str(jobs)]
    subprocess.run(command, check=True, env={**os.environ, "REACTIONS_LIBRARY": str(root)})
    source.unlink()
    return root, slug


class PeakRss:
    """The server's peak RSS (process and children), sampled every 0.5 s in a thread."""

    def __init__(self, pid: int):
        self.pid, self.peak, self._stop = pid, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                root = psutil.Process(self.pid)
                self.peak = max(self.peak, sum(p.memory_info().rss for p in [root, *root.children(recursive=True)]))
            except psutil.Error:
                pass
            self._stop.wait(0.5)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


async def open_overview(page, url: str, timeout_ms: int) -> float:
    started = time.perf_counter()
    await page.goto(url + "/", timeout=timeout_ms)
    await page.wait_for_selector(APP_IDLE, state="attached", timeout=timeout_ms)
    await page.wait_for_function(OVERVIEW_READY_JS, timeout=timeout_ms, polling=100)
    return time.perf_counter() - started


async def open_page(page, link_title: str) -> float:
    """Sidebar link -> the page's title shown, its run finished and its chart (if any) drawn."""
    title, chart = PAGES[link_title]
    link = page.locator('[data-testid="stSidebarNav"] a', has_text=link_title)
    await link.wait_for(timeout=UPDATE_TIMEOUT_MS)
    started = time.perf_counter()
    await link.click()
    await page.get_by_role("heading", name=title, exact=True).first.wait_for(timeout=UPDATE_TIMEOUT_MS)
    await page.wait_for_selector(APP_IDLE, state="attached", timeout=UPDATE_TIMEOUT_MS)
    if chart:
        await page.wait_for_selector(f".st-key-{chart} .js-plotly-plot", state="attached", timeout=UPDATE_TIMEOUT_MS)
        await page.wait_for_function(PLOTS_DRAWN_JS, arg=1, polling="raf", timeout=UPDATE_TIMEOUT_MS)
    return time.perf_counter() - started


async def search(page, term: str) -> float:
    """Type a search term in the sidebar and press Enter; time to the stance chart redrawn."""
    before = await (
        await page.wait_for_function(CHART_SIGNATURE_JS, arg=OVERVIEW_CHART, timeout=UPDATE_TIMEOUT_MS)
    ).json_value()
    box = page.locator('[data-testid="stSidebar"] .st-key-q input')
    await box.fill(term)
    started = time.perf_counter()
    await box.press("Enter")
    await page.wait_for_function(
        f"([key, before]) => {{ const now = ({CHART_SIGNATURE_JS})(key); return now && now !== before; }}",
        arg=[OVERVIEW_CHART, before],
        polling="raf",
        timeout=UPDATE_TIMEOUT_MS,
    )
    await page.wait_for_function(PLOTS_DRAWN_JS, arg=1, polling="raf", timeout=UPDATE_TIMEOUT_MS)
    return time.perf_counter() - started


async def open_url(page, url: str, timeout_ms: int) -> float:
    """A URL opened -> its run finished and the Overview's chart and key figures drawn."""
    started = time.perf_counter()
    await page.goto(url, timeout=timeout_ms)
    await page.wait_for_selector(APP_IDLE, state="attached", timeout=timeout_ms)
    await page.wait_for_function(OVERVIEW_READY_JS, timeout=timeout_ms, polling=100)
    return time.perf_counter() - started


async def measure_size(size: int, root: Path, slug: str, browser_path: Path) -> dict:
    from playwright.async_api import async_playwright

    os.environ["REACTIONS_LIBRARY"] = str(root)
    os.environ.pop("REACTIONS_DATA_DIR", None)
    timings: dict[str, float | None] = {}
    errors: list[str] = []
    peaks = []
    try:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(
                executable_path=str(browser_path), headless=True, args=list(CHROMIUM_ARGS)
            )
            # The held-out way first: a fresh server, a link to the event.
            server = StreamlitServer()
            try:
                started = time.perf_counter()
                server.start()
                server.wait_until_healthy()
                with PeakRss(server.process.pid) as rss:
                    context = await browser.new_context(viewport=VIEWPORT)
                    page = await context.new_page()
                    await open_url(page, f"{server.url}/?event={slug}", COLD_TIMEOUT_MS)
                    timings["cold: server start -> /?event=SLUG drawn"] = time.perf_counter() - started
                    await context.close()
                peaks.append(rss.peak)
            finally:
                server.close()
            server = StreamlitServer()
            try:
                started = time.perf_counter()
                server.start()
                server.wait_until_healthy()
                with PeakRss(server.process.pid) as rss:
                    context = await browser.new_context(viewport=VIEWPORT)
                    page = await context.new_page()
                    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
                    await open_overview(page, server.url, COLD_TIMEOUT_MS)
                    timings["cold: server start -> Overview drawn"] = time.perf_counter() - started
                    await page.close()
                    page = await context.new_page()
                    timings["warm: new visitor -> Overview drawn"] = await open_overview(
                        page, server.url, UPDATE_TIMEOUT_MS
                    )
                    visitor = await browser.new_context(viewport=VIEWPORT)
                    filtered = await visitor.new_page()
                    timings["new visitor -> /?event=SLUG&stance=condemn"] = await open_url(
                        filtered, f"{server.url}/?event={slug}&stance=condemn", UPDATE_TIMEOUT_MS
                    )
                    await visitor.close()

                    async def timed(name: str, update) -> None:
                        """An update's seconds under `name`; None and an error when it fails (unresponsive)."""
                        try:
                            timings[name] = await update
                        except Exception as exc:  # noqa: BLE001  (a timeout is a result here)
                            timings[name] = None
                            errors.append(f"{name}: {type(exc).__name__}: {str(exc)[:200]}")

                    for stance in STANCES:
                        await timed(
                            f"stance '{stance}' chosen -> chart redrawn", click_update(page, server.url, stance)
                        )
                    await open_overview(page, server.url, UPDATE_TIMEOUT_MS)  # no filters again
                    for link_title in PAGES:
                        await timed(f"page '{link_title}' -> drawn", open_page(page, link_title))
                    await timed(f"search '{SEARCH_TERM}' -> chart redrawn", search(page, SEARCH_TERM))
                    exceptions = await page.locator('[data-testid="stException"]').count()
                    if exceptions:
                        errors.append(f"{exceptions} exception(s) shown on the page")
                peaks.append(rss.peak)
            finally:
                server.close()
            await browser.close()
    finally:
        os.environ.pop("REACTIONS_LIBRARY", None)
    return {"size": size, "timings": timings, "errors": errors, "peak_rss_mib": max(peaks, default=0) / 2**20}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[0, 10_000, 100_000, 1_000_000])
    parser.add_argument("--cache", type=Path, help="keep the built libraries here and reuse them on later runs")
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    parser.add_argument("--jobs", type=int, default=2, help="scoring processes when building a library (default 2)")
    args = parser.parse_args(argv)
    browser_path = chromium_path()
    missing = chromium_missing_message(browser_path)
    if missing:
        print(missing, file=sys.stderr)
        return 2
    results = []
    with tempfile.TemporaryDirectory(prefix="reactions-scale-") as scratch:
        for size in args.sizes:
            built = time.perf_counter()
            root, slug = build_library(size, Path(scratch), args.cache, args.jobs)
            label = "the seed alone" if size == 0 else f"{size:,} distinct-text records"
            print(f"\n{label}: library ready in {time.perf_counter() - built:.1f} s", flush=True)
            result = asyncio.run(measure_size(size, root, slug, browser_path))
            for name, seconds in result["timings"].items():
                print(f"  {name:<46} {'failed' if seconds is None else f'{seconds:8.2f} s'}", flush=True)
            print(f"  server peak RSS {result['peak_rss_mib']:.0f} MiB; errors: {len(result['errors'])}")
            for error in result["errors"]:
                print(f"    {error}")
            results.append(result)

    names = list(dict.fromkeys(n for r in results for n in r["timings"]))
    labels = ["seed" if r["size"] == 0 else f"{r['size']:,}" for r in results]
    print("\nseconds (a library of SYNTHETIC distinct-text records beside the seed); ratio to the first size")
    print(f"{'measure':<46}" + "".join(f"{label:>22}" for label in labels))
    for name in names:
        base = results[0]["timings"].get(name)
        cells = []
        for result in results:
            seconds = result["timings"].get(name)
            if seconds is None:
                cells.append(f"{'failed':>22}")
            else:
                ratio = f" ({seconds / base:5.1f}x)" if base and result is not results[0] else ""
                cells.append(f"{seconds:>12.2f}{ratio:>10}")
        print(f"{name:<46}" + "".join(cells))
    print(f"{'server peak RSS (MiB)':<46}" + "".join(f"{r['peak_rss_mib']:>22.0f}" for r in results))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        meta = {"python": platform.python_version(), "cpus": psutil.cpu_count(), "machine": platform.platform()}
        args.json.write_text(json.dumps({"meta": meta, "results": results}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

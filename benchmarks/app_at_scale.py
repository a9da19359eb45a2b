"""The dashboard itself, in a browser, on the shipped records and on 100k and 1M SYNTHETIC records.

For each size a data folder is built in a temporary directory: a copy of data/ (registry, lexicon, articles)
whose records file holds the curated records repeated row by row to the size wanted, each copy with a new id,
an actor drawn at random (seeded) from the registry, a target drawn likewise (never the actor; one in five
records has none, one in seven two), and no speaker (a speaker belongs to one actor). Texts, cues, offsets and
stances are the curated rows' own, so every record validates; nothing comes from an evaluation set. The
server is started with REACTIONS_DATA_DIR pointing at that folder, and one headless Chromium (Debian's)
times what a person waits for:

- cold: server start -> Overview's chart and key figures drawn (reading, validating and scoring the file,
  once per server; later visitors share it);
- warm: a new visitor opening the Overview on that server;
- stance chosen in the sidebar -> stance chart redrawn (three stances, each a view not seen before);
- each page opened from the sidebar -> its content drawn (Map, Tone, Who -> whom, Evidence, Downloads);
- a text search typed in the sidebar -> chart redrawn.

It also samples the server's peak RSS. The sizes run one after the other on the same machine, so the ratios
to the shipped data are the figures to compare. Seconds depend on the machine; tests never assert on time.

    .venv/bin/python benchmarks/app_at_scale.py [--sizes 0 100000 1000000] [--json artifacts/app_at_scale.json]

Size 0 means the shipped records as they are.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd
import psutil

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

from load_sessions import CHART_SIGNATURE_JS, click_update  # noqa: E402  (this script's folder is on sys.path)

from dashboard import DATA_DIR  # noqa: E402
from dashboard.registry import load_registry  # noqa: E402
from tests.browser_support import (  # noqa: E402
    APP_IDLE,
    CHROMIUM_ARGS,
    PLOTS_DRAWN_JS,
    StreamlitServer,
    chromium_missing_message,
    chromium_path,
)

SEED = 20200229
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


def synthetic_records(size: int) -> pd.DataFrame:
    """`size` SYNTHETIC records from the curated file (see the module docstring)."""
    curated = pd.read_csv(DATA_DIR / "records" / "idlib-2020.csv", dtype=str, keep_default_na=False, comment=None)
    names = np.array(sorted(load_registry(DATA_DIR).actors), dtype=object)
    rng = np.random.default_rng(SEED)
    frame = curated.iloc[np.arange(size) % len(curated)].reset_index(drop=True)
    actor = rng.integers(len(names), size=size)
    first = (actor + rng.integers(1, len(names), size=size)) % len(names)
    second = (first + rng.integers(1, len(names) - 1, size=size)) % len(names)
    second = np.where(second == actor, (second + 1) % len(names), second)
    share = rng.random(size)
    targets = np.where(share < 0.2, "", names[first])
    targets = np.where(share > 1 - 1 / 7, names[first] + "; " + names[second], targets)
    frame["id"] = [f"synthetic-{i:07d}" for i in range(size)]
    frame["actor"] = names[actor]
    frame["target"] = targets
    for column in ("speaker", "speaker_role"):
        if column in frame:
            frame[column] = ""
    return frame


def data_folder(size: int, under: Path) -> Path:
    """A copy of data/ whose records are `size` synthetic ones (0: data/ itself, unchanged)."""
    if size == 0:
        return DATA_DIR
    folder = under / f"data-{size}"
    shutil.copytree(DATA_DIR, folder)
    records = folder / "records"
    for old in records.iterdir():
        old.unlink()
    synthetic_records(size).to_csv(records / "idlib-2020.csv", index=False)
    return folder


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


async def measure_size(size: int, folder: Path, browser_path: Path) -> dict:
    from playwright.async_api import async_playwright

    os.environ["REACTIONS_DATA_DIR"] = str(folder)
    server = StreamlitServer()
    timings: dict[str, float | None] = {}
    errors: list[str] = []
    try:
        started = time.perf_counter()
        server.start()
        server.wait_until_healthy()
        with PeakRss(server.process.pid) as rss:
            async with async_playwright() as playwright:
                browser = await playwright.chromium.launch(
                    executable_path=str(browser_path), headless=True, args=list(CHROMIUM_ARGS)
                )
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

                async def timed(name: str, update) -> None:
                    """An update's seconds under `name`; None and an error when it fails (unresponsive)."""
                    try:
                        timings[name] = await update
                    except Exception as exc:  # noqa: BLE001  (a timeout is a result here)
                        timings[name] = None
                        errors.append(f"{name}: {type(exc).__name__}: {str(exc)[:200]}")

                for stance in STANCES:
                    await timed(f"stance '{stance}' chosen -> chart redrawn", click_update(page, server.url, stance))
                await open_overview(page, server.url, UPDATE_TIMEOUT_MS)  # no filters again
                for link_title in PAGES:
                    await timed(f"page '{link_title}' -> drawn", open_page(page, link_title))
                await timed(f"search '{SEARCH_TERM}' -> chart redrawn", search(page, SEARCH_TERM))
                exceptions = await page.locator('[data-testid="stException"]').count()
                if exceptions:
                    errors.append(f"{exceptions} exception(s) shown on the page")
                await browser.close()
        peak = rss.peak
    finally:
        server.close()
        os.environ.pop("REACTIONS_DATA_DIR", None)
    return {"size": size, "timings": timings, "errors": errors, "peak_rss_mib": peak / 2**20}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[0, 100_000, 1_000_000])
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
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
            folder = data_folder(size, Path(scratch))
            label = "shipped records" if size == 0 else f"{size:,} synthetic records"
            print(f"\n{label}: data folder ready in {time.perf_counter() - built:.1f} s", flush=True)
            result = asyncio.run(measure_size(size, folder, browser_path))
            for name, seconds in result["timings"].items():
                print(f"  {name:<46} {'failed' if seconds is None else f'{seconds:8.2f} s'}", flush=True)
            print(f"  server peak RSS {result['peak_rss_mib']:.0f} MiB; errors: {len(result['errors'])}")
            for error in result["errors"]:
                print(f"    {error}")
            results.append(result)
            if size:
                shutil.rmtree(folder)

    names = list(dict.fromkeys(n for r in results for n in r["timings"]))
    labels = ["shipped" if r["size"] == 0 else f"{r['size']:,}" for r in results]
    print("\nseconds (SYNTHETIC records above the shipped ones); ratio to the first size in brackets")
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

"""Under load: N concurrent browser sessions on one `streamlit run` server, each changing filters for a while.

One server on 127.0.0.1, one headless Chromium (Debian's), one browser context per session (its own cookies,
cache and Streamlit session). Each session opens the dashboard and then, until the time is up, alternates two
kinds of update, starting at a different point of the cycle so the sessions ask for different views:

- **click**: on the Overview, choose a stance in the sidebar multiselect; timed from the click to the
  stance-by-actor chart redrawn with it (the in-page rerun a person waits for);
- **url**: open a filtered view by its URL (`/?stance=condemn`, `/map?actor=NATO`, ...); timed from the
  navigation to the page's charts drawn (a bookmark opened: a new Streamlit session each time).

Errors counted: a Python exception shown on the page (stException), console errors, uncaught JavaScript
errors, failed requests and HTTP responses >= 400, requests leaving 127.0.0.1 (blocked), and updates that did
not finish within the timeout (--timeout, 60 s). Each session runs for --duration seconds from its own arrival;
--think pauses before each update as a person would; --shared-cache makes the sessions tabs of one browser
context; --reduced-motion asks pages for fewer animations. The server's memory (RSS of the process and its children) is sampled every
0.5 s with psutil. Prints one table; `--json PATH` writes every sample.

    .venv/bin/python benchmarks/load_sessions.py [--sessions 20] [--duration 60] [--json artifacts/load.json]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import re
import statistics
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import psutil

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

from tests.browser_support import (  # noqa: E402  (the project root must be on sys.path first)
    APP_IDLE,
    CHROMIUM_ARGS,
    PLOTS_DRAWN_JS,
    StreamlitServer,
    chromium_missing_message,
    chromium_path,
    is_local_url,
)

VIEWPORT = {"width": 1440, "height": 1000}
FILTERED_CHART_KEY = "chart_stance_by_actor"
RSS_INTERVAL_S = 0.5
# Far above what one update takes alone (about 0.4 s): an update slower than this counts as an error.
UPDATE_TIMEOUT_MS = 60_000
# Views opened by URL: (path and query, charts to wait for). Query values are the sidebar's, as a bookmark holds.
URL_VIEWS = (
    ("/?stance=condemn", 1),
    ("/map?actor=NATO&actor=Russia&actor=Turkey", 1),
    ("/?actor=United%20States&actor=Russia", 1),
    ("/flows?stance=warn&stance=condemn", 1),
    ("/?target=Syria&mode=verbal", 1),
    ("/tone?stance=support&stance=condolence", 1),
    ("/", 1),
)
# Pages opened from the sidebar's navigation, and the chart each draws.
PAGE_CHARTS = {"map": ("Map", "chart_map"), "overview": ("Overview", FILTERED_CHART_KEY)}
# One session's cycle of updates; each session starts at its own point. Most are done inside the page as a
# person does (a stance chosen, another page of the app, the filters reset); one in six opens a bookmarked URL.
ACTIONS = (
    ("click", ""),
    ("click", ""),
    ("page", "map"),
    ("page", "overview"),
    ("reset", ""),
    ("url", ""),
)
# Stances chosen in the sidebar, one per click update (each adds to the current selection).
CLICK_STANCES = ("condemn", "warn", "support", "concern", "call_for", "condolence", "deny", "neutral")

# Per trace its name and bar sizes: changes when the filter has taken effect and the chart was redrawn.
CHART_SIGNATURE_JS = """(key) => {
    const gd = document.querySelector(`.st-key-${key} .js-plotly-plot`);
    if (!gd || !gd._fullData || !gd.calcdata || !gd.querySelector('svg.main-svg')) return null;
    return JSON.stringify(gd.calcdata.map((trace, i) => [gd._fullData[i].name, trace.map((point) => point.s)]));
}"""
# Opening a page's own URL (/map) makes Streamlit's frontend look for its server under that path first
# (/map/_stcore/health, /map/_stcore/host-config: 404) before falling back to /: expected, counted apart.
BASE_PATH_PROBE = re.compile(r"^/[^/]+/_stcore/(health|host-config)$")
EXCEPTIONS_JS = """() => Array.from(document.querySelectorAll('[data-testid="stException"]')).map((e) => e.innerText)"""


@dataclass
class Update:
    session: int
    kind: str  # "click" or "url"
    what: str
    started: float  # seconds since the load began
    seconds: float | None  # None: it failed (see errors)


@dataclass
class Run:
    updates: list[Update] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    outgoing: list[str] = field(default_factory=list)

    probes: int = 0
    shutdown_aborts: int = 0

    def error(self, session: int, kind: str, message: str, url: str = "") -> None:
        if BASE_PATH_PROBE.match(urlsplit(url).path):
            self.probes += 1
            return
        self.errors.append({"session": session, "kind": kind, "message": message[:500]})


class MemorySampler:
    """Every `interval` seconds, on a thread of its own: the RSS of the server's process tree, and the CPU time
    of every process on each side (server; this script's other children: playwright's driver and Chromium),
    kept per process id so processes that come and go are counted."""

    def __init__(self, server_pid: int, interval: float = RSS_INTERVAL_S):
        self.server_pid = server_pid
        self.interval = interval
        self.samples: list[tuple[float, int]] = []
        self.cpu: dict[str, dict[int, tuple[float, float]]] = {"server": {}, "browser_side": {}}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._origin = time.perf_counter()

    def rss(self) -> int:
        total = 0
        for process in tree(self.server_pid):
            with contextlib.suppress(psutil.NoSuchProcess):
                total += process.memory_info().rss
        return total

    def _record_cpu(self) -> None:
        server = tree(self.server_pid)
        server_pids = {p.pid for p in server}
        client = [p for p in tree(os.getpid()) if p.pid not in server_pids and p.pid != os.getpid()]
        for side, processes in (("server", server), ("browser_side", client)):
            for process in processes:
                with contextlib.suppress(psutil.NoSuchProcess):
                    times = process.cpu_times()
                    used = times.user + times.system
                    first, _ = self.cpu[side].get(process.pid, (used, used))
                    self.cpu[side][process.pid] = (first, used)

    def cpu_seconds(self, side: str) -> float:
        """CPU seconds used on one side while sampling (from each process's first sample to its last)."""
        return sum(last - first for first, last in self.cpu[side].values())

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.samples.append((time.perf_counter() - self._origin, self.rss()))
                self._record_cpu()
            except psutil.NoSuchProcess:
                return
            self._stop.wait(self.interval)

    def start(self, origin: float) -> MemorySampler:
        self._origin = origin
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def tree(pid: int) -> list[psutil.Process]:
    root = psutil.Process(pid)
    return [root, *root.children(recursive=True)]


def mib(value: int | float) -> float:
    return value / 2**20


async def wait_for_charts(page, minimum: int) -> None:
    await page.wait_for_selector(APP_IDLE, state="attached", timeout=UPDATE_TIMEOUT_MS)
    await page.wait_for_function(PLOTS_DRAWN_JS, arg=minimum, timeout=UPDATE_TIMEOUT_MS, polling=50)


async def check_exceptions(page, run: Run, session: int) -> None:
    for text in await page.evaluate(EXCEPTIONS_JS):
        run.error(session, "stException", text)


async def url_update(page, base: str, view: tuple[str, int]) -> None:
    path, charts = view
    await page.goto(base + path, timeout=UPDATE_TIMEOUT_MS)
    await wait_for_charts(page, charts)


async def click_update(page, base: str, stance: str) -> None:
    """Choose `stance` in the sidebar; return once the stance chart shows it. Opens the Overview first if needed
    (untimed: that wait is not part of the update)."""
    if await page.locator(f".st-key-{FILTERED_CHART_KEY}").count() == 0:
        await url_update(page, base, ("/", 1))
    await page.wait_for_selector(APP_IDLE, state="attached", timeout=UPDATE_TIMEOUT_MS)
    before = await (
        await page.wait_for_function(CHART_SIGNATURE_JS, arg=FILTERED_CHART_KEY, timeout=UPDATE_TIMEOUT_MS)
    ).json_value()
    chosen = page.locator('[data-testid="stSidebar"] .st-key-stance [data-baseweb="tag"]')
    if stance in [text.strip() for text in await chosen.all_inner_texts()]:
        return None
    await page.locator('[data-testid="stSidebar"] .st-key-stance').click()
    # The open list shows only the first options; typing narrows it to the one wanted, as a person would.
    await page.locator('[data-testid="stSidebar"] .st-key-stance input').fill(stance)
    option = page.get_by_role("option", name=stance, exact=True)
    await option.wait_for(timeout=UPDATE_TIMEOUT_MS)
    started = time.perf_counter()
    await option.click()
    await page.wait_for_function(
        f"([key, before]) => {{ const now = ({CHART_SIGNATURE_JS})(key); return now && now !== before; }}",
        arg=[FILTERED_CHART_KEY, before],
        polling="raf",
        timeout=UPDATE_TIMEOUT_MS,
    )
    await page.wait_for_function(PLOTS_DRAWN_JS, arg=1, polling="raf", timeout=UPDATE_TIMEOUT_MS)
    seconds = time.perf_counter() - started
    await page.keyboard.press("Escape")
    return seconds


async def chart_drawn(page, key: str) -> None:
    """Wait until the chart with this key exists and every chart on the page is drawn (a map: its shapes too)."""
    await page.wait_for_selector(f".st-key-{key} .js-plotly-plot", state="attached", timeout=UPDATE_TIMEOUT_MS)
    await page.wait_for_function(PLOTS_DRAWN_JS, arg=1, polling="raf", timeout=UPDATE_TIMEOUT_MS)


async def page_update(page, base: str, path: str) -> float:
    """Open a page from the sidebar's navigation (no reload, the same Streamlit session); time to its chart."""
    title, key = PAGE_CHARTS[path]
    link = page.locator('[data-testid="stSidebarNav"] a', has_text=title)
    await link.wait_for(timeout=UPDATE_TIMEOUT_MS)
    started = time.perf_counter()
    await link.click()
    await chart_drawn(page, key)
    return time.perf_counter() - started


async def reset_update(page, base: str) -> float | None:
    """Press "Reset filters" on the Overview; time to the stance chart redrawn. None when nothing was filtered."""
    if await page.locator(f".st-key-{FILTERED_CHART_KEY}").count() == 0:
        await url_update(page, base, ("/", 1))
    await page.wait_for_selector(APP_IDLE, state="attached", timeout=UPDATE_TIMEOUT_MS)
    if "?" not in page.url:
        return None
    before = await (
        await page.wait_for_function(CHART_SIGNATURE_JS, arg=FILTERED_CHART_KEY, timeout=UPDATE_TIMEOUT_MS)
    ).json_value()
    started = time.perf_counter()
    await page.locator('[data-testid="stSidebar"] button', has_text="Reset filters").click()
    await page.wait_for_function(
        f"([key, before]) => {{ const now = ({CHART_SIGNATURE_JS})(key); return now && now !== before; }}",
        arg=[FILTERED_CHART_KEY, before],
        polling="raf",
        timeout=UPDATE_TIMEOUT_MS,
    )
    await page.wait_for_function(PLOTS_DRAWN_JS, arg=1, polling="raf", timeout=UPDATE_TIMEOUT_MS)
    return time.perf_counter() - started


async def run_action(page, base: str, kind: str, what: str) -> float | None:
    """One update; its seconds, or None when it would change nothing (skipped)."""
    if kind == "click":
        return await click_update(page, base, what)
    if kind == "page":
        return await page_update(page, base, what)
    if kind == "reset":
        return await reset_update(page, base)
    started = time.perf_counter()
    await url_update(page, base, next(v for v in URL_VIEWS if v[0] == what))
    return time.perf_counter() - started


async def new_context(browser, run: Run, reduced_motion: bool):
    """A browser context whose requests outside 127.0.0.1 are blocked and counted."""
    context = await browser.new_context(viewport=VIEWPORT, reduced_motion="reduce" if reduced_motion else None)

    async def keep_local(route):
        if is_local_url(route.request.url):
            await route.continue_()
        else:
            run.outgoing.append(route.request.url)
            await route.abort("blockedbyclient")

    await context.route("**/*", keep_local)
    return context


async def session(
    index: int, browser, base: str, origin: float, deadline: float, ramp: float, run: Run, options: dict
) -> None:
    # Own context: own cookies and HTTP cache, as another person's browser. Shared: another tab of one browser
    # (its HTTP cache shared, as a returning visitor's is); either way its own websocket, so its own Streamlit
    # session.
    shared = options.get("shared_context")
    context = shared or await new_context(browser, run, options.get("reduced_motion", False))
    page = await context.new_page()
    page.on(
        "console",
        lambda msg: msg.type == "error" and run.error(index, "console", msg.text, msg.location.get("url", "")),
    )
    page.on("pageerror", lambda exc: run.error(index, "pageerror", str(exc)))

    def request_failed(request) -> None:
        if not is_local_url(request.url):
            return  # blocked above, and counted as outgoing
        if time.perf_counter() > deadline and "ERR_ABORTED" in str(request.failure):
            run.shutdown_aborts += 1  # a load cut short because the run ended and its context was closed
            return
        run.error(index, "requestfailed", f"{request.url}: {request.failure}")

    page.on("requestfailed", request_failed)
    page.on(
        "response", lambda response: response.status >= 400 and run.error(index, "http", response.url, response.url)
    )

    step = index  # each session starts at its own point of the cycle
    try:
        arrival = origin + ramp * index
        await asyncio.sleep(max(0.0, arrival - time.perf_counter()))
        # Each session is busy for `duration` seconds from its own arrival, so the last to arrive gets as long.
        own_deadline = arrival + options.get("duration", deadline - origin)
        started = time.perf_counter()
        try:
            await url_update(page, base, ("/", 1))
            run.updates.append(Update(index, "open", "/", started - origin, time.perf_counter() - started))
        except Exception as exc:  # the session could not even open: an error, and it tries again below
            run.error(index, "open failed", f"/: {type(exc).__name__}: {exc}")
            run.updates.append(Update(index, "open", "/", started - origin, None))
        while time.perf_counter() < own_deadline:
            if options.get("think"):
                await asyncio.sleep(options["think"])  # a person looks at what changed before the next change
            kind, what = ACTIONS[step % len(ACTIONS)]
            if kind == "url":
                what = URL_VIEWS[(step // len(ACTIONS)) % len(URL_VIEWS)][0]
            elif kind == "click":
                what = CLICK_STANCES[(step + len(ACTIONS) * (step // len(ACTIONS))) % len(CLICK_STANCES)]
            step += 1
            started = time.perf_counter()
            try:
                seconds = await run_action(page, base, kind, what)
            except Exception as exc:  # a timeout or a page gone: an error of this run, and the session goes on
                run.error(index, f"{kind} failed", f"{what}: {type(exc).__name__}: {exc}")
                run.updates.append(Update(index, kind, what, started - origin, None))
                continue
            if seconds is None:
                continue  # it would have changed nothing
            run.updates.append(Update(index, kind, what, started - origin, seconds))
            await check_exceptions(page, run, index)
    finally:
        await (page.close() if shared else context.close())


async def load(
    base: str,
    sessions: int,
    duration: float,
    browser_path: Path,
    origin_box: list,
    ramp: float = 0.0,
    shared_cache: bool = False,
    reduced_motion: bool = False,
    think: float = 0.0,
) -> Run:
    from playwright.async_api import async_playwright

    run = Run()
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(browser_path), headless=True, args=list(CHROMIUM_ARGS)
        )
        origin = time.perf_counter()
        origin_box.append(origin)
        deadline = origin + ramp * (sessions - 1) + duration  # the last session's end
        options = {"reduced_motion": reduced_motion, "think": think, "duration": duration}
        if shared_cache:
            options["shared_context"] = await new_context(browser, run, reduced_motion)
        # Sessions arrive `ramp` seconds apart (people do not all open the page in the same millisecond).
        await asyncio.gather(
            *(session(i, browser, base, origin, deadline, ramp, run, options) for i in range(sessions))
        )
        await browser.close()
    return run


def quantile(values: list[float], q: float) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(q * 100) - 1]


def latency_row(name: str, updates: list[Update]) -> dict:
    done = [u.seconds for u in updates if u.seconds is not None]
    row = {"updates": len(done), "failed": sum(u.seconds is None for u in updates)}
    if done:
        row |= {"median": statistics.median(done), "p95": quantile(done, 0.95), "max": max(done)}
    return {"measure": name, **row}


def main(argv: list[str] | None = None) -> int:
    global UPDATE_TIMEOUT_MS  # --timeout sets it; the waits read it at call time
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", "-n", type=int, default=20, help="concurrent browser sessions (default 20)")
    parser.add_argument("--duration", "-d", type=float, default=60.0, help="seconds of load (default 60)")
    parser.add_argument(
        "--ramp", type=float, default=0.5, help="seconds between one session's arrival and the next (default 0.5)"
    )
    parser.add_argument(
        "--shared-cache",
        action="store_true",
        help="all sessions as tabs of one browser context (one HTTP cache; each tab still its own Streamlit session)",
    )
    parser.add_argument(
        "--reduced-motion", action="store_true", help="the browser asks pages for reduced motion (fewer animations)"
    )
    parser.add_argument(
        "--think", type=float, default=0.0, help="seconds a session pauses before each update (default 0: none)"
    )
    parser.add_argument(
        "--timeout", type=float, default=UPDATE_TIMEOUT_MS / 1000, help="seconds before an update counts as failed"
    )
    parser.add_argument("--json", type=Path, help="also write every sample to this JSON file")
    args = parser.parse_args(argv)
    UPDATE_TIMEOUT_MS = int(args.timeout * 1000)
    if args.sessions < 1 or args.duration <= 0:
        parser.error("--sessions must be at least 1 and --duration positive")
    browser_path = chromium_path()
    missing = chromium_missing_message(browser_path)
    if missing:
        print(missing, file=sys.stderr)
        return 2

    server = StreamlitServer()
    try:
        server.start()
        server.wait_until_healthy()
        sampler = MemorySampler(server.process.pid)
        idle_rss = sampler.rss()
        # Untimed warm-up: one visit loads and scores the records, as on any server already in use.
        asyncio.run(load(server.url, 1, 0.1, browser_path, []))
        warm_rss = sampler.rss()
        origin_box: list[float] = []
        sampler.start(time.perf_counter())
        wall = time.perf_counter()
        run = asyncio.run(
            load(
                server.url,
                args.sessions,
                args.duration,
                browser_path,
                origin_box,
                args.ramp,
                shared_cache=args.shared_cache,
                reduced_motion=args.reduced_motion,
                think=args.think,
            )
        )
        wall = time.perf_counter() - wall
        time.sleep(2 * RSS_INTERVAL_S)
        sampler.stop()
        server_cpu, client_cpu = sampler.cpu_seconds("server"), sampler.cpu_seconds("browser_side")
        alive = server.process.poll() is None
    finally:
        log = server.log_tail()
        server.close()

    rss = [value for _, value in sampler.samples]
    rows = [
        latency_row("click: stance chosen -> chart redrawn", [u for u in run.updates if u.kind == "click"]),
        latency_row("page: sidebar link -> its chart drawn", [u for u in run.updates if u.kind == "page"]),
        latency_row("reset: Reset filters -> chart redrawn", [u for u in run.updates if u.kind == "reset"]),
        latency_row("url: bookmarked view opened -> charts drawn", [u for u in run.updates if u.kind == "url"]),
        latency_row("open: first visit -> charts drawn", [u for u in run.updates if u.kind == "open"]),
        latency_row("all updates after the first visit", [u for u in run.updates if u.kind != "open"]),
    ]
    by_kind: dict[str, int] = {}
    for error in run.errors:
        by_kind[error["kind"]] = by_kind.get(error["kind"], 0) + 1

    contexts = "tabs of one browser context (shared HTTP cache)" if args.shared_cache else "one context each"
    motion = ", reduced motion" if args.reduced_motion else ""
    motion += f", {args.think:g} s pause before each update" if args.think else ""
    motion += f", updates fail after {args.timeout:g} s"
    print(
        f"\n{args.sessions} sessions, {args.duration:.0f} s of load ({wall:.0f} s wall), one server, one Chromium, "
        f"{contexts}{motion}, arriving {args.ramp:g} s apart"
    )
    print(f"{'measure':<44} {'updates':>8} {'failed':>7} {'median':>8} {'p95':>8} {'max':>8}   (seconds)")
    for row in rows:
        times = " ".join(f"{row[k]:>8.2f}" for k in ("median", "p95", "max")) if "median" in row else ""
        print(f"{row['measure']:<44} {row['updates']:>8} {row['failed']:>7} {times}")
    busy = args.duration + args.ramp * (args.sessions - 1)
    print(f"updates per second, all sessions: {rows[-1]['updates'] / busy:.1f} (over {busy:.0f} s)")
    print(
        f"CPU seconds during the load: server {server_cpu:.0f}, browser side {client_cpu:.0f} "
        f"(of {psutil.cpu_count() * wall:.0f} available on {psutil.cpu_count()} CPUs); "
        f"server CPU per update {server_cpu / max(1, len(run.updates)):.2f} s"
    )
    print(f"errors: {len(run.errors)} {by_kind or ''}; requests outside 127.0.0.1: {len(run.outgoing)}")
    print(
        f"(not errors: {run.probes} 404s of Streamlit looking for its server under a page's path, e.g. /map/_stcore/health; "
        f"{run.shutdown_aborts} requests cut short when the run ended)"
    )
    for error in run.errors[:5]:
        print(f"  session {error['session']} {error['kind']}: {error['message'][:200]}")
    print(
        f"server RSS (process and children, MiB): idle {mib(idle_rss):.0f}, after one visit {mib(warm_rss):.0f}, "
        f"load start {mib(rss[0]):.0f}, peak {mib(max(rss)):.0f}, end {mib(rss[-1]):.0f} ({len(rss)} samples)"
    )
    print(f"server still running at the end: {alive}")
    if not alive:
        print(log, file=sys.stderr)

    if args.json:
        origin = origin_box[0] if origin_box else 0.0
        results = {
            "sessions": args.sessions,
            "duration_s": args.duration,
            "wall_s": wall,
            "chromium": str(browser_path),
            "python": platform.python_version(),
            "machine": platform.platform(),
            "cpus": psutil.cpu_count(),
            "load_average_at_end": list(psutil.getloadavg()),
            "ramp_s": args.ramp,
            "shared_cache": args.shared_cache,
            "reduced_motion": args.reduced_motion,
            "think_s": args.think,
            "timeout_s": args.timeout,
            "cpu_seconds": {"server": server_cpu, "browser_side": client_cpu},
            "summary": rows,
            "errors": run.errors,
            "base_path_probes": run.probes,
            "shutdown_aborts": run.shutdown_aborts,
            "outgoing": run.outgoing,
            "rss_bytes": {"idle": idle_rss, "after_one_visit": warm_rss, "peak": max(rss), "end": rss[-1]},
            "rss_samples": [{"t": t - (origin - sampler._origin), "bytes": b} for t, b in sampler.samples],
            "updates": [vars(u) for u in run.updates],
            "server_alive": alive,
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
        print(f"results written to {args.json}")
    # Non-zero when the server died or any session met an error, so a script can tell a clean run.
    return 0 if alive and not run.errors and not run.outgoing else 1


if __name__ == "__main__":
    sys.exit(main())

"""Run the dashboard with `streamlit run` and look at it with Debian's Chromium (shared by tests and benchmarks).

No pytest and no playwright import at module level: benchmarks/bench_browser.py imports this file too.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

PROJECT_DIR = Path(__file__).resolve().parent.parent
APP_PATH = PROJECT_DIR / "dashboard" / "app.py"
# `reactions app` (and so `make run`) runs `streamlit run` through this module: a server that starts warm.
WARM_LAUNCHER = "dashboard.views.warm_start"

# Debian's package; playwright cannot download its own browser here, so we never call `playwright install`.
DEFAULT_CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_PATH_VARIABLE = "CHROMIUM_PATH"

# --no-sandbox: CI runs as root in a container. The rest stop Chromium's own calls home (updates, sync,
# field trials), which would otherwise count as requests leaving the machine.
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
# URLs that never touch the network.
LOCAL_SCHEMES = frozenset({"data", "blob", "about", "chrome-error"})

# A cold start imports pandas, plotly and the app's data; slow CI machines need the margin.
SERVER_START_TIMEOUT_S = 90.0
SERVER_STOP_TIMEOUT_S = 10.0


def chromium_path() -> Path:
    """Where Chromium should be: $CHROMIUM_PATH if set, else Debian's /usr/bin/chromium."""
    configured = os.environ.get(CHROMIUM_PATH_VARIABLE, "").strip()
    return Path(configured) if configured else DEFAULT_CHROMIUM


def chromium_missing_message(path: Path) -> str | None:
    """None when `path` is an executable browser; otherwise a sentence saying how to get one."""
    if path.is_file() and os.access(path, os.X_OK):
        return None
    return (
        f"Chromium not found at {path}; install Debian's chromium (apt-get install chromium) "
        f"or set {CHROMIUM_PATH_VARIABLE} to a Chromium executable"
    )


def running_in_ci() -> bool:
    """CI sets CI=true; there a missing browser must fail the run instead of skipping the tests."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def launch_chromium(playwright, path: Path | None = None):
    """Headless Chromium from `path` (default: chromium_path()) through a started sync playwright."""
    return playwright.chromium.launch(
        executable_path=str(path or chromium_path()), headless=True, args=list(CHROMIUM_ARGS)
    )


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def is_local_url(url: str) -> bool:
    """True for URLs served by this machine (127.0.0.1, localhost) or that need no network (data:, blob:)."""
    parts = urlsplit(url)
    if parts.scheme in LOCAL_SCHEMES:
        return True
    return (parts.hostname or "") in LOCAL_HOSTS


class StreamlitServer:
    """`streamlit run APP` on 127.0.0.1 in its own process group, started from `cwd` so .streamlit/ applies."""

    def __init__(
        self, app_path: Path = APP_PATH, cwd: Path = PROJECT_DIR, port: int | None = None, launcher: str = "streamlit"
    ):
        self.app_path = Path(app_path)
        # The module run with `python -m`: Streamlit's command line, or WARM_LAUNCHER (what `reactions app` runs).
        self.launcher = launcher
        self.cwd = Path(cwd)
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        # Holds the server's output for error messages; closed in close().
        self._log = tempfile.TemporaryFile(mode="w+b")  # noqa: SIM115
        self.started_at: float | None = None

    def command(self) -> list[str]:
        # The interpreter running the tests has streamlit installed; `python -m` avoids PATH surprises.
        return [
            sys.executable,
            "-m",
            self.launcher,
            "run",
            str(self.app_path),
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(self.port),
            "--server.headless",
            "true",
            # Other people edit the checkout while tests run; a file watcher would show "source changed".
            "--server.fileWatcherType",
            "none",
            "--browser.gatherUsageStats",
            "false",
        ]

    def start(self) -> StreamlitServer:
        """Start the process; returns at once (see wait_until_healthy)."""
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.started_at = time.perf_counter()
        self.process = subprocess.Popen(
            self.command(),
            cwd=self.cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so stop() reaches any children too
        )
        return self

    def wait_until_healthy(self, timeout_s: float = SERVER_START_TIMEOUT_S) -> None:
        """Poll /_stcore/health until it answers "ok"; raise with the server's log if it dies or times out."""
        deadline = time.monotonic() + timeout_s
        health_url = f"{self.url}/_stcore/health"
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                raise RuntimeError(f"streamlit exited before it was healthy:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(health_url, timeout=2) as response:
                    if response.status == 200 and response.read().strip() == b"ok":
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                pass
            time.sleep(0.1)
        raise TimeoutError(f"streamlit not healthy at {health_url} after {timeout_s:.0f}s:\n{self.log_tail()}")

    def stop(self) -> None:
        """SIGTERM the process group, then SIGKILL whatever is still there; safe to call twice."""
        process, self.process = self.process, None
        if process is None:
            return
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=SERVER_STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=SERVER_STOP_TIMEOUT_S)

    def log_tail(self, max_chars: int = 4000) -> str:
        self._log.flush()
        self._log.seek(0)
        text = self._log.read().decode("utf-8", errors="replace")
        self._log.seek(0, os.SEEK_END)
        return text[-max_chars:]

    def close(self) -> None:
        self.stop()
        self._log.close()


@contextlib.contextmanager
def running_streamlit(
    app_path: Path = APP_PATH, cwd: Path = PROJECT_DIR, launcher: str = "streamlit"
) -> Iterator[StreamlitServer]:
    """A healthy server for the duration of the block; stopped on the way out, whatever happens."""
    server = StreamlitServer(app_path, cwd, launcher=launcher)
    try:
        server.start()
        server.wait_until_healthy()
        yield server
    finally:
        server.close()


# --- What a person sees: waits on the page (playwright Page objects) ---

# Streamlit marks its root with the script state: "initial" until the first run starts, then "running", and
# "notRunning" once a run has finished. Elements may still be painted a moment later: wait for them too.
APP_IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"][data-test-connection-state="CONNECTED"]'
# True when at least `minimum` plotly charts exist and every one has been drawn: laid out, computed, its SVG
# made, and for a geo subplot its shapes drawn (that waits for the topojson file, after the rest of the chart).
PLOTS_DRAWN_JS = """(minimum) => {
    const drawn = (gd) => {
        const layout = gd._fullLayout;
        if (!layout || !gd.calcdata || !gd.querySelector('svg.main-svg')) return false;
        const hasGeo = Object.keys(layout).some((key) => /^geo[0-9]*$/.test(key));
        return !hasGeo || gd.querySelectorAll('.geo path[d]').length > 0;
    };
    const plots = Array.from(document.querySelectorAll('.js-plotly-plot'));
    return plots.length >= minimum && plots.every(drawn);
}"""
# Streamlit keeps painting elements for a while after the run has finished (a long page arrives in batches).
# The page counts as painted once the number of elements in the main area has not changed for this long.
SETTLED_QUIET_MS = 400
SETTLED_JS = """(quietMs) => {
    const count = document.querySelectorAll('[data-testid="stMain"] *').length;
    const now = performance.now();
    const last = window.__settleProbe;
    if (!last || last.count !== count) {
        window.__settleProbe = { count, since: now };
        return false;
    }
    return now - last.since >= quietMs;
}"""
PAGE_WAIT_TIMEOUT_MS = 60_000


# What the page shows when a wait runs out: enough to tell a slow page from a broken one.
PAGE_STATE_JS = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    return {
        script: app && app.getAttribute('data-test-script-state'),
        connection: app && app.getAttribute('data-test-connection-state'),
        titles: Array.from(document.querySelectorAll('h1')).map((h) => h.innerText),
        exceptions: Array.from(document.querySelectorAll('[data-testid="stException"]')).map((e) => e.innerText),
        plots: Array.from(document.querySelectorAll('.js-plotly-plot')).map((gd) => ({
            key: (gd.closest('[class*="st-key-"]')?.className.match(/st-key-(\\S+)/) || [])[1] || null,
            laid_out: Boolean(gd._fullLayout && gd.calcdata),
            svg: Boolean(gd.querySelector('svg.main-svg')),
        })),
    };
}"""


def describe_page(page) -> str:
    """One paragraph on the page's state (URL, script run, titles, exceptions, charts) for error messages."""
    try:
        return f"{page.url}: {page.evaluate(PAGE_STATE_JS)}"
    except Exception as exc:  # the page may be gone; the message must still be built
        return f"{page.url}: (state unreadable: {exc})"


@contextlib.contextmanager
def explained_timeout(page, waiting_for: str) -> Iterator[None]:
    """Turn playwright's bare timeout into one that says what was awaited and what the page showed."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        yield
    except PlaywrightTimeout as exc:
        raise AssertionError(f"timed out waiting for {waiting_for}; page {describe_page(page)}") from exc


def wait_for_app_idle(page, timeout_ms: int = PAGE_WAIT_TIMEOUT_MS) -> None:
    """Wait until the connection is up and a script run has finished (the skeleton is then gone)."""
    with explained_timeout(page, "the script run to finish"):
        page.wait_for_selector(APP_IDLE, state="attached", timeout=timeout_ms)


def wait_for_painted(page, quiet_ms: int = SETTLED_QUIET_MS, timeout_ms: int = PAGE_WAIT_TIMEOUT_MS) -> None:
    """Wait until the main area stops gaining or losing elements for `quiet_ms`."""
    page.evaluate("() => { window.__settleProbe = null; }")
    with explained_timeout(page, "the page to stop changing"):
        page.wait_for_function(SETTLED_JS, arg=quiet_ms, timeout=timeout_ms, polling=50)


def screenshot_whole_page(page, path: Path, max_height: int = 8000) -> None:
    """Screenshot all of the page. Streamlit scrolls inside its main area, so full_page alone would stop at
    the window's height: the window is made as tall as the content for the shot, then put back."""
    viewport = page.viewport_size
    content_height = page.evaluate(
        """() => Math.max(...Array.from(document.querySelectorAll('[data-testid="stMain"], [data-testid="stSidebar"]'))
            .map((el) => el.scrollHeight), document.documentElement.scrollHeight)"""
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        if viewport and content_height > viewport["height"]:
            page.set_viewport_size({"width": viewport["width"], "height": min(content_height, max_height)})
            # Resizing reflows plotly charts; give them the frame they need to redraw.
            page.wait_for_timeout(300)
        page.screenshot(path=str(path), full_page=True)
    finally:
        if viewport:
            page.set_viewport_size(viewport)


def wait_for_plots(page, minimum: int = 1, timeout_ms: int = PAGE_WAIT_TIMEOUT_MS) -> None:
    """Wait until at least `minimum` plotly charts exist and every one of them has been drawn."""
    with explained_timeout(page, f"at least {minimum} drawn chart(s)"):
        page.wait_for_function(PLOTS_DRAWN_JS, arg=minimum, timeout=timeout_ms)


def data_fingerprint(folder: Path | None = None) -> dict[str, str]:
    """Every file under the shipped data folder and its SHA-256: equal before and after a session when the
    app wrote nothing there."""
    import hashlib

    from dashboard import DATA_DIR

    root = Path(folder or DATA_DIR)
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }

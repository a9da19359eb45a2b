"""Fixtures for the browser tests only (tests/test_browser.py). Nothing here runs unless a test asks for it.

One `streamlit run` and one Chromium serve the whole session; every request the browser makes is logged.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field

import pytest

from tests import browser_support

# No test may touch a real event library (the user's data folder): every test, and every server or command a
# test starts, gets an empty one of its own for the session. Tests that need their own set it themselves.
os.environ["REACTIONS_LIBRARY"] = tempfile.mkdtemp(prefix="reactions-test-library-")
# Nor the user's cache folder (the seed's stored scores): one of its own.
os.environ["REACTIONS_CACHE"] = tempfile.mkdtemp(prefix="reactions-test-cache-")
os.environ.pop("REACTIONS_LIBRARY_READ_ONLY", None)


def _skip_or_fail(reason: str) -> None:
    # Locally a missing browser only skips; in CI the browser tests must run, so it is a failure.
    if browser_support.running_in_ci():
        pytest.fail(f"{reason} (CI is set, so browser tests must run)", pytrace=False)
    pytest.skip(reason)


@dataclass
class NetworkLog:
    """Every URL the browser asked for, and the status of every response, over the whole session."""

    requests: list[str] = field(default_factory=list)
    responses: list[tuple[str, int]] = field(default_factory=list)

    def outgoing(self) -> list[str]:
        return sorted({url for url in self.requests if not browser_support.is_local_url(url)})


@pytest.fixture(scope="session")
def chromium_executable():
    path = browser_support.chromium_path()
    reason = browser_support.chromium_missing_message(path)
    if reason:
        _skip_or_fail(reason)
    return path


@pytest.fixture(scope="session")
def streamlit_app():
    """The real dashboard as `make run` starts it (`streamlit run dashboard/app.py` through the warm launcher)
    on 127.0.0.1, a free port, the project config."""
    with browser_support.running_streamlit(launcher=browser_support.WARM_LAUNCHER) as server:
        yield server


@pytest.fixture(scope="session")
def chromium(chromium_executable):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _skip_or_fail('playwright is not installed; pip install -e ".[test]"')
    with sync_playwright() as playwright:
        browser = browser_support.launch_chromium(playwright, chromium_executable)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def network_log():
    return NetworkLog()


@pytest.fixture(scope="session")
def browser_context(chromium, network_log):
    """One context for the session, wide enough that the sidebar is open; nothing non-local gets out."""
    context = chromium.new_context(viewport={"width": 1440, "height": 1000}, accept_downloads=True)
    context.on("request", lambda request: network_log.requests.append(request.url))
    context.on("response", lambda response: network_log.responses.append((response.url, response.status)))

    def keep_local(route):
        # Recorded above either way; aborting means a leak can fail the test without reaching anyone.
        if browser_support.is_local_url(route.request.url):
            route.continue_()
        else:
            route.abort("blockedbyclient")

    context.route("**/*", keep_local)
    yield context
    context.close()


@pytest.fixture
def app_page(browser_context, streamlit_app, network_log):
    """A fresh tab per test; `page.app_url` is the server's base URL, `page.js_errors` its uncaught errors."""
    page = browser_context.new_page()
    page.set_default_timeout(browser_support.PAGE_WAIT_TIMEOUT_MS)
    page.app_url = streamlit_app.url
    page.js_errors = []
    page.on("pageerror", lambda error: page.js_errors.append(str(error)))
    # Streamlit talks over a websocket, which the context's request event does not report.
    page.on("websocket", lambda socket: network_log.requests.append(socket.url))
    yield page
    page.close()

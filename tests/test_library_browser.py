"""The event library in the real server and Chromium: an upload saved to the library is there after a reload and
for another visitor; the command line adds and removes events while the server runs, seen on the next load."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pandas as pd
import pytest

from dashboard.library import LIBRARY_VARIABLE, READ_ONLY_VARIABLE
from tests.browser_support import PROJECT_DIR, StreamlitServer, explained_timeout, wait_for_plots
from tests.test_browser import assert_no_exception, key_figures, open_page, screenshot

pytestmark = pytest.mark.browser

# Sentences written for these tests; none is quoted from any source.
UPLOADED = (
    b"actor,text,stance,date\n"
    b"Ankara,Ankara condemned the raid on its observation post.,,2026-11-20\n"
    b"Moscow,Moscow denied that its jets had flown over the area.,deny,2026-11-20\n"
)
CLI_ROWS = [
    {
        "actor": "France",
        "text": "Paris condemned the attack on the convoy in the strongest terms.",
        "date": "2024-05-01",
    },
    {"actor": "Germany", "text": "Berlin called for restraint on both sides.", "date": "2024-05-01"},
    {"actor": "Japan", "text": "Tokyo expressed concern about the safety of civilians.", "date": "2024-05-01"},
]


@pytest.fixture(scope="module")
def library_server(tmp_path_factory):
    """A server of its own with an empty library of its own, so the shared server's data stays as it is."""
    root = tmp_path_factory.mktemp("library")
    saved = {name: os.environ.get(name) for name in (LIBRARY_VARIABLE, READ_ONLY_VARIABLE)}
    os.environ[LIBRARY_VARIABLE] = str(root)
    os.environ.pop(READ_ONLY_VARIABLE, None)
    server = StreamlitServer()
    try:
        server.start()
        server.wait_until_healthy()
        server.library_root = root
        yield server
    finally:
        server.close()
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@pytest.fixture
def visitor(chromium, library_server):
    """A new visitor: their own browser context (no cookies, no cache) and tab."""
    context = chromium.new_context(viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.app_url = library_server.url
    yield page
    context.close()


def reactions(library_server, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, LIBRARY_VARIABLE: str(library_server.library_root)}
    return subprocess.run(
        [sys.executable, "-m", "dashboard.cli", *args], cwd=PROJECT_DIR, env=env, capture_output=True, text=True
    )


def test_an_upload_saved_to_the_library_is_there_after_a_reload(visitor, chromium, library_server):
    page = visitor
    open_page(page, "upload")
    page.locator('.st-key-records_upload input[type="file"]').set_input_files(
        files=[{"name": "border notes.csv", "mimeType": "text/csv", "buffer": UPLOADED}]
    )
    slug = page.locator(".st-key-upload_event input")
    with explained_timeout(page, "the uploaded file to be read and offered for saving"):
        slug.wait_for()
    slug.fill("border-notes")
    page.get_by_role("button", name="Save to the library").click()
    with explained_timeout(page, "the records to be saved to the library"):
        page.get_by_text(re.compile(r"saved to the library as event")).first.wait_for()
    screenshot(page, "library_saved_upload")
    # F5: a new session; the event comes from disk, not from the session that saved it.
    page.reload()
    open_page(page, "", "event=border-notes")
    assert key_figures(page)["Records"] == "2"
    assert "no event" not in page.locator('[data-testid="stMain"]').inner_text()
    # Another visitor finds it on the Library page.
    other = chromium.new_context(viewport={"width": 1440, "height": 1000}).new_page()
    other.app_url = library_server.url
    try:
        open_page(other, "library")
        other.get_by_text(re.compile(r"border-notes — .*\(2 records\)")).first.wait_for()
        screenshot(other, "library_page")
    finally:
        other.context.close()


def test_the_command_line_adds_and_removes_while_the_server_runs(visitor, library_server, tmp_path):
    page = visitor
    rows = tmp_path / "convoy.csv"
    pd.DataFrame(CLI_ROWS).to_csv(rows, index=False)
    open_page(page)  # the server has read the library before the change
    added = reactions(library_server, "library", "add", str(rows), "--event", "convoy-2024", "--title", "Convoy")
    assert added.returncode == 0, added.stderr
    open_page(page, "", "event=convoy-2024")
    assert key_figures(page)["Records"] == "3"
    assert_no_exception(page)
    removed = reactions(library_server, "library", "remove", "convoy-2024")
    assert removed.returncode == 0, removed.stderr
    open_page(page, "", "event=convoy-2024")
    with explained_timeout(page, "the notice that the event is not there"):
        page.get_by_text(re.compile(r"There is no event 'convoy-2024' here")).first.wait_for()
    screenshot(page, "library_removed_event_notice")


TWO_ACTORS = [
    {"actor": "Portugal", "text": "Lisbon condemned the seizure of the fishing boat.", "date": "2025-04-07"},
    {"actor": "Spain", "text": "Madrid urged both sides to settle the dispute through talks.", "date": "2025-04-07"},
]
AXIS_LABELS_JS = """(key) => Array.from(document.querySelectorAll(`.st-key-${key} .yaxislayer-above text`))
    .map((t) => t.textContent)"""


def test_a_small_saved_event_on_a_phone_names_every_bar(chromium, library_server, tmp_path):
    rows = tmp_path / "boat.csv"
    pd.DataFrame(TWO_ACTORS).to_csv(rows, index=False)
    added = reactions(library_server, "library", "add", str(rows), "--event", "boat-2025", "--jobs", "1")
    assert added.returncode == 0, added.stderr
    context = chromium.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.app_url = library_server.url
    try:
        open_page(page, "", "event=boat-2025")
        wait_for_plots(page)
        screenshot(page, "library_small_event_phone")
        # Each bar's actor named beside it: with the title and legend wrapped, plotly had room for one label.
        assert sorted(page.evaluate(AXIS_LABELS_JS, "chart_stance_by_actor")) == ["Portugal", "Spain"]
    finally:
        context.close()
        reactions(library_server, "library", "remove", "boat-2025")

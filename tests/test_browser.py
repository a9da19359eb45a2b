"""What a person sees: the real `streamlit run` in headless Chromium (Debian's), driven by Playwright.

Needs Chromium at /usr/bin/chromium or $CHROMIUM_PATH; skipped without it, failed without it when CI is set.
Screenshots of every page land in artifacts/screenshots/ (git-ignored) for a human to look at.
"""

from __future__ import annotations

import csv
import io
import ipaddress
import json
import re
import threading
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest

from tests.browser_support import (
    PROJECT_DIR,
    StreamlitServer,
    data_fingerprint,
    explained_timeout,
    screenshot_whole_page,
    wait_for_app_idle,
    wait_for_painted,
    wait_for_plots,
)

pytestmark = pytest.mark.browser

SCREENSHOT_DIR = PROJECT_DIR / "artifacts" / "screenshots"

# (URL path, title, key of the page's plotly chart or None): the App UI contract in INTERFACES.md.
PAGES = [
    ("", "Overview", "chart_stance_by_actor"),
    ("map", "Map", "chart_map"),
    ("tone", "Tone", "chart_tone"),
    ("flows", "Who → whom", "chart_flows"),
    ("evidence", "Evidence", None),
    ("downloads", "Downloads", None),
    ("method", "Method", None),
]
KEY_FIGURE_LABELS = ("Records", "Actors", "Targets", "Hostile share")
# A selection reruns the script once (about a second); far longer means it was dropped.
SELECTION_TIMEOUT_MS = 20_000
TOPOJSON_PATH = "/app/static/world_50m.json"
# The 50m world has 241 countries; more than 100 drawn outlines means the shapes file was used.
MIN_COUNTRY_OUTLINES = 100

# Per trace: its name and the sum of its bar sizes as plotly computed them (what is drawn, not the input).
CHART_STATE_JS = """(key) => {
    const gd = document.querySelector(`.st-key-${key} .js-plotly-plot`);
    if (!gd || !gd._fullData || !gd.calcdata || !gd.querySelector('svg.main-svg')) return null;
    return {
        traces: gd._fullData.map((trace, i) => ({
            name: String(trace.name ?? ''),
            type: trace.type,
            size: (gd.calcdata[i] || []).reduce((sum, point) => sum + Math.abs(Number(point.s) || 0), 0),
        })),
        legend: Array.from(gd.querySelectorAll('.legend .legendtext')).map((t) => t.textContent),
        bars: gd.querySelectorAll('.barlayer .point').length,
    };
}"""
# Subpaths (one "M" each) drawn inside the geo: the country fills, borders, land and coastlines.
GEO_OUTLINES_JS = """() => {
    const paths = document.querySelectorAll('.js-plotly-plot .geo path');
    let outlines = 0;
    for (const path of paths) outlines += ((path.getAttribute('d') || '').match(/M/g) || []).length;
    return {
        outlines,
        filled: document.querySelectorAll('.js-plotly-plot .geo path.choroplethlocation').length,
    };
}"""


def open_page(page, path: str = "", query: str = "") -> None:
    """Load a page and wait for its run to finish and its title to show; fail at once on an exception."""
    page.goto(f"{page.app_url}/{path}" + (f"?{query}" if query else ""))
    wait_for_app_idle(page)
    assert_no_exception(page)
    page.locator("h1").first.wait_for()
    wait_for_painted(page)
    assert_no_exception(page)


def screenshot(page, name: str) -> None:
    screenshot_whole_page(page, SCREENSHOT_DIR / f"{name}.png")


def assert_no_exception(page) -> None:
    shown = page.locator('[data-testid="stException"]')
    assert shown.count() == 0, f"the page shows a Python exception:\n{shown.first.inner_text()}"


def key_figures(page) -> dict[str, str]:
    """Metric label -> displayed value, as the Overview shows them (once every key figure's label is drawn: a
    busy browser draws them one by one)."""
    with explained_timeout(page, f"the key figures {KEY_FIGURE_LABELS}"):
        page.wait_for_function(
            """(labels) => {
                const shown = [...document.querySelectorAll('[data-testid="stMetricLabel"]')]
                    .map((label) => label.innerText.trim());
                return labels.every((label) => shown.includes(label));
            }""",
            arg=list(KEY_FIGURE_LABELS),
        )
    figures = {}
    for metric in page.locator('[data-testid="stMetric"]').all():
        label = metric.locator('[data-testid="stMetricLabel"]').inner_text().strip()
        figures[label] = metric.locator('[data-testid="stMetricValue"]').inner_text().strip()
    return figures


def chart_state(page, key: str) -> dict:
    """The drawn state of the chart with this key; waits for it to be drawn (times out if it never is)."""
    with explained_timeout(page, f"the chart {key!r} to be drawn"):
        return page.wait_for_function(CHART_STATE_JS, arg=key).json_value()


def download_buttons(page):
    """The download buttons and their labels, once they are painted."""
    buttons = page.locator('[data-testid="stDownloadButton"] button')
    buttons.first.wait_for()
    wait_for_painted(page)
    return buttons, buttons.all_inner_texts()


def drawn_trace_names(state: dict) -> set[str]:
    return {trace["name"] for trace in state["traces"] if trace["size"] > 0}


def query_params(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


@pytest.mark.parametrize(("path", "title", "chart_key"), PAGES, ids=[title for _, title, _ in PAGES])
def test_page_loads_with_its_title_and_no_exception(app_page, path, title, chart_key):
    open_page(app_page, path)
    if chart_key:
        wait_for_plots(app_page)
        chart_state(app_page, chart_key)
    headings = [h.strip() for h in app_page.locator("h1").all_inner_texts()]
    screenshot(app_page, path or "overview")
    assert any(title.lower() in heading.lower() for heading in headings), f"no title {title!r}, got {headings}"
    assert_no_exception(app_page)
    assert app_page.js_errors == [], f"uncaught JavaScript errors: {app_page.js_errors}"


def test_every_page_in_the_sidebar_renders(app_page):
    """Pages beyond the contract's list (added later) are looked at too, and screenshot."""
    open_page(app_page)
    links = app_page.locator('[data-testid="stSidebarNav"] a[data-testid="stSidebarNavLink"]')
    paths = [urlsplit(href).path.strip("/") for href in (link.get_attribute("href") for link in links.all())]
    listed = {path for path, _, _ in PAGES}
    assert listed - {""} <= set(paths), f"the sidebar lacks contract pages: {sorted(listed - set(paths))}"
    for path in paths:
        if path in listed or path == "overview":  # the default page is also served at /
            continue
        open_page(app_page, path)
        screenshot(app_page, path)
        assert_no_exception(app_page)
    assert app_page.js_errors == [], f"uncaught JavaScript errors: {app_page.js_errors}"


def test_the_overview_opens_at_its_name_without_a_page_not_found_dialog(app_page):
    open_page(app_page, "overview", "stance=condemn")
    assert app_page.locator("h1").first.inner_text().strip() == "Overview"
    assert "Records" in key_figures(app_page)
    assert app_page.get_by_text("Page not found").count() == 0
    assert "stance=condemn" in app_page.url  # the filters in the link are kept


def test_overview_shows_key_figures_and_the_stance_chart(app_page):
    open_page(app_page)
    wait_for_plots(app_page)
    figures = key_figures(app_page)
    assert set(KEY_FIGURE_LABELS) <= set(figures), f"key figures shown: {figures}"
    assert int(figures["Records"]) > 0
    assert "Diplomatic Reactions" in app_page.title()
    state = chart_state(app_page, "chart_stance_by_actor")
    assert state["bars"] > 0, "the stance-by-actor chart draws no bars"
    assert "condemn" in drawn_trace_names(state), f"no condemn bars drawn: {state['traces']}"
    assert_no_exception(app_page)


def test_map_draws_country_shapes_from_the_shipped_file(app_page, network_log):
    open_page(app_page, "map")
    wait_for_plots(app_page)
    # The geo draws only after its shapes file has arrived, later than the rest of the chart.
    with explained_timeout(app_page, f"more than {MIN_COUNTRY_OUTLINES} country outlines on the map"):
        app_page.wait_for_function(f"() => ({GEO_OUTLINES_JS})().outlines > {MIN_COUNTRY_OUTLINES}")
    geo = app_page.evaluate(GEO_OUTLINES_JS)
    screenshot(app_page, "map")
    assert geo["filled"] > 0, "no state is coloured by its stance"
    shapes = [status for url, status in network_log.responses if urlsplit(url).path == TOPOJSON_PATH]
    assert 200 in shapes or 304 in shapes, f"{TOPOJSON_PATH} not served; responses {shapes}"
    assert_no_exception(app_page)


def test_choosing_a_stance_changes_the_chart_the_figures_and_the_url(app_page):
    open_page(app_page)
    wait_for_plots(app_page)
    before_chart = chart_state(app_page, "chart_stance_by_actor")
    before_records = key_figures(app_page)["Records"]

    app_page.locator('[data-testid="stSidebar"] .st-key-stance').click()
    app_page.get_by_role("option", name="condemn", exact=True).click()
    app_page.keyboard.press("Escape")

    with explained_timeout(app_page, "the URL and the chart to follow the stance filter"):
        app_page.wait_for_url(re.compile(r"[?&]stance=condemn(&|$)"))
        app_page.wait_for_function(
            f"(before) => JSON.stringify(({CHART_STATE_JS})('chart_stance_by_actor')) !== JSON.stringify(before)",
            arg=before_chart,
        )
    wait_for_app_idle(app_page)
    wait_for_plots(app_page)
    after_chart = chart_state(app_page, "chart_stance_by_actor")
    after_records = key_figures(app_page)["Records"]
    screenshot(app_page, "overview-stance-condemn")

    assert query_params(app_page.url).get("stance") == ["condemn"]
    assert drawn_trace_names(after_chart) == {"condemn"}, after_chart["traces"]
    assert drawn_trace_names(before_chart) > {"condemn"}
    assert int(after_records) < int(before_records)
    assert_no_exception(app_page)


def test_clicking_a_bar_shows_the_sentences_behind_it(app_page):
    # A view no other test opens, so its chart is built fresh on this first run, as after any new filter: the
    # click's rerun then takes the figure from the cache, and the selection must survive that.
    open_page(app_page, "", "mode=verbal")
    wait_for_plots(app_page)
    chart_state(app_page, "chart_stance_by_actor")
    bar = app_page.locator(".st-key-chart_stance_by_actor .barlayer .point").first
    count, stance = bar.evaluate("(point) => [point.__data__.s, point.closest('.trace').__data__[0].trace.name]")
    # Plotly's drag layer lies over the bars: a person's click lands there, so click where the bar is drawn.
    box = bar.locator("path").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    app_page.mouse.move(x, y)
    app_page.mouse.click(x, y)

    selected = app_page.get_by_text(re.compile(r"\b\d+ selected record"))
    with explained_timeout(app_page, f"the evidence for the clicked {stance} bar ({count} record(s))"):
        selected.first.wait_for(timeout=SELECTION_TIMEOUT_MS)
    wait_for_app_idle(app_page)
    screenshot(app_page, "overview-bar-selected")
    assert re.search(rf"\b{count} selected record", selected.first.inner_text()), selected.first.inner_text()
    assert_no_exception(app_page)


def test_a_bookmarked_filter_url_shows_the_filtered_view(app_page):
    open_page(app_page, "", "stance=condemn")
    wait_for_plots(app_page)
    filtered = key_figures(app_page)["Records"]
    state = chart_state(app_page, "chart_stance_by_actor")
    open_page(app_page)
    wait_for_plots(app_page)
    unfiltered = key_figures(app_page)["Records"]
    assert drawn_trace_names(state) == {"condemn"}, state["traces"]
    assert 0 < int(filtered) < int(unfiltered)


def test_a_csv_download_is_plain_and_its_csvw_description_carries_the_provenance(app_page):
    open_page(app_page, "downloads", "stance=condemn")
    buttons, labels = download_buttons(app_page)

    def download(label: str):
        with app_page.expect_download() as download_info:
            buttons.nth(labels.index(label)).click()
        return download_info.value

    table_file = download("Per-actor summary — CSV")
    assert table_file.suggested_filename == "diplomatic_reactions_summary_by_actor.csv"
    table = pd.read_csv(table_file.path())  # pandas' defaults: header on line 1, no comment lines
    assert "actor" in table.columns and len(table) > 0

    described = download("Per-actor summary — description (CSVW)")
    assert described.suggested_filename == "diplomatic_reactions_summary_by_actor.csv-metadata.json"
    meta = json.loads(described.path().read_text(encoding="utf-8"))
    assert meta["url"] == table_file.suggested_filename
    assert [column["titles"] for column in meta["tableSchema"]["columns"]] == list(table.columns)
    assert "codebook" in meta["dc:conformsTo"]
    filters = {note["schema:name"]: note["schema:value"] for note in meta["notes"]}
    assert "condemn" in str(filters["stance"]), f"the applied filter is not stated: {meta['notes']}"


def test_an_excel_download_is_a_workbook(app_page):
    open_page(app_page, "downloads")
    buttons, labels = download_buttons(app_page)
    excel = [i for i, label in enumerate(labels) if "excel" in label.lower() or "xlsx" in label.lower()]
    assert excel, f"no Excel download button; labels {labels}"
    with app_page.expect_download() as download_info:
        buttons.nth(excel[0]).click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx"), download.suggested_filename
    assert download.path().read_bytes()[:2] == b"PK", "an .xlsx file is a zip archive"


def test_no_request_left_the_machine(app_page, network_log):
    # Visit the landing page and the map here too, so the check is never vacuous when run alone.
    for path in ("", "map"):
        open_page(app_page, path)
        wait_for_plots(app_page)
    assert any(urlsplit(url).path == TOPOJSON_PATH for url in network_log.requests)
    assert network_log.outgoing() == []


# How often the server's sockets are listed: a connection that lives shorter than this could slip between two
# looks (a refused or unanswered connection attempt lingers far longer while it waits, and is seen).
CONNECTION_POLL_S = 0.02
# A small records file of our own wording for the upload step.
UPLOADED_CSV = b"actor,text\nNATO,NATO condemned the strike on the convoy.\nRussia,Russia denied any part in it.\n"


class ServerConnections:
    """Every socket the server's processes hold, listed every CONNECTION_POLL_S on a thread of its own."""

    def __init__(self, server: StreamlitServer):
        import psutil  # the test extra installs it; imported here so the other browser tests never need it

        self._psutil = psutil
        self.root = psutil.Process(server.process.pid)
        self.seen: set[tuple[str, str, str]] = set()  # (local, remote, status)
        self.looks = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def _watch(self) -> None:
        while not self._stop.is_set():
            for process in [self.root, *self.root.children(recursive=True)]:
                try:
                    for conn in process.net_connections(kind="inet"):
                        local = f"{conn.laddr.ip}:{conn.laddr.port}" if conn.laddr else ""
                        remote = conn.raddr.ip if conn.raddr else ""
                        self.seen.add((local, remote, conn.status))
                except self._psutil.NoSuchProcess:
                    pass
            self.looks += 1
            self._stop.wait(CONNECTION_POLL_S)

    def __enter__(self) -> ServerConnections:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def is_loopback(ip: str) -> bool:
    address = ipaddress.ip_address(ip.split("%")[0])
    mapped = getattr(address, "ipv4_mapped", None)
    return address.is_loopback or bool(mapped and mapped.is_loopback)


def upload_and_add(page, name: str, content: bytes) -> None:
    """On the Upload page: send a CSV file, add its valid rows to the session, wait until they have joined."""
    open_page(page, "upload")
    page.locator('.st-key-records_upload input[type="file"]').set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": content}]
    )
    add = page.locator(".st-key-upload_add button")
    with explained_timeout(page, "the uploaded file to be read and offered for adding"):
        add.wait_for()
    add.click()
    with explained_timeout(page, "the uploaded records to join the session"):
        page.get_by_text(re.compile(r"joined this session")).first.wait_for()


def test_the_server_connects_to_nothing_beyond_127_0_0_1(app_page, streamlit_app, network_log):
    """A full session watched from the server's side (load, filter, map, upload, download): every socket its
    processes hold is bound to loopback and talks to loopback, no request of the browser left 127.0.0.1, and
    no file under data/ changed."""
    shipped_data = data_fingerprint()
    with ServerConnections(streamlit_app) as watched:
        open_page(app_page, "", "stance=condemn&target=Syria")
        wait_for_plots(app_page)
        open_page(app_page, "map", "actor=NATO&actor=Russia")
        wait_for_plots(app_page)
        upload_and_add(app_page, "our-records.csv", UPLOADED_CSV)
        wait_for_app_idle(app_page)
        app_page.goto(f"{app_page.app_url}/downloads?stance=condemn")
        wait_for_app_idle(app_page)
        buttons, _ = download_buttons(app_page)
        with app_page.expect_download() as download_info:
            buttons.first.click()
        download_info.value.path()

    assert data_fingerprint() == shipped_data, "the session changed a file under data/"
    # The browser's side of the same session (the log covers every request of this test run's context).
    assert network_log.outgoing() == []
    assert any(urlsplit(url).path.endswith("/_stcore/upload_file") or "upload" in url for url in network_log.requests)
    assert watched.looks > 10, f"the server's sockets were listed only {watched.looks} time(s)"
    assert any(remote for _, remote, _ in watched.seen), "no connection to the server was seen: wrong process?"
    not_local = sorted(
        (local, remote, status)
        for local, remote, status in watched.seen
        if not is_loopback(local.rsplit(":", 1)[0]) or (remote and not is_loopback(remote))
    )
    assert not_local == [], f"the server held sockets beyond 127.0.0.1: {not_local}"


def test_a_file_over_the_upload_limit_gets_a_clear_message(app_page):
    """`server.maxUploadSize` in .streamlit/config.toml (20 MB): a bigger file is refused with a message that
    says so, and the page keeps running."""
    limit_mb = 20
    over_limit = b"actor,text\n" + b"NATO,The Alliance met.\n" * ((limit_mb * 1024 * 1024) // 23 + 1000)
    open_page(app_page, "upload")
    app_page.locator('.st-key-records_upload input[type="file"]').set_input_files(
        files=[{"name": "too-big.csv", "mimeType": "text/csv", "buffer": over_limit}]
    )
    with explained_timeout(app_page, "Streamlit's message about the upload limit"):
        # Shown on the refused file (its error state and text), not as a Python error.
        app_page.get_by_text(re.compile(rf"File must be {limit_mb}(\.0)?\s?MB or smaller")).first.wait_for(
            state="attached"
        )
    assert_no_exception(app_page)
    assert app_page.get_by_text(f"Files up to {limit_mb} MB").count() == 1  # the page states the limit too
    assert "joined this session" not in app_page.content()
    screenshot(app_page, "upload-over-limit")


FORMULA_CSV = (
    b'actor,text\nNATO,"=HYPERLINK(""http://x"",""click"")"\nRussia,+cmd|calc\n'
    b"Turkey,-2+3+cmd|' /C calc'!A0\nUnited States,@SUM(1+1)*cmd|' /C calc'!A0\n"
)
FORMULA_TEXTS = ['=HYPERLINK("http://x","click")', "+cmd|calc", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0"]


def test_formula_cells_uploaded_come_back_neutralised_in_csv_and_excel_and_as_data_in_json(app_page):
    """Through the real page: upload cells a spreadsheet would run, add them, download the filtered records."""
    import json

    import openpyxl

    upload_and_add(app_page, "formulas.csv", FORMULA_CSV)
    # The sidebar link keeps this Streamlit session (a new URL would start another, without the upload).
    app_page.locator('[data-testid="stSidebarNav"] a', has_text="Downloads").click()
    app_page.get_by_role("heading", name="Downloads").first.wait_for()
    wait_for_app_idle(app_page)
    buttons, labels = download_buttons(app_page)

    def download(label: str) -> bytes:
        with app_page.expect_download() as download_info:
            buttons.nth(labels.index(label)).click()
        return download_info.value.path().read_bytes()

    csv_text = download("Filtered records — CSV").decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(csv_text, newline="")))
    texts = [row["text"] for row in rows if row["event"] == "formulas"]
    assert sorted(texts) == sorted("'" + text for text in FORMULA_TEXTS)

    workbook = openpyxl.load_workbook(io.BytesIO(download("Filtered records — Excel")))
    cells = [cell.value for row in workbook.worksheets[0].iter_rows() for cell in row if isinstance(cell.value, str)]
    for text in FORMULA_TEXTS:
        assert "'" + text in cells and text not in cells, text
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells), "a cell Excel would run as a formula"

    records = json.loads(download("Filtered records — JSON"))
    assert set(FORMULA_TEXTS) <= {record["text"] for record in records}


NAMES_CSV = b"actor,text\nFrnace,Paris condemned the raid on the convoy.\nAtlantis,The Atlantis delegation protested.\n"


def test_unknown_names_are_kept_and_all_suggestions_are_accepted_in_one_click(app_page):
    """Through the real page: a file naming two actors the registry does not know keeps both rows by default;
    one click accepts the suggestion for the misspelt one; the other stays as written."""
    open_page(app_page, "upload")
    app_page.locator('.st-key-records_upload input[type="file"]').set_input_files(
        files=[{"name": "names-in-browser.csv", "mimeType": "text/csv", "buffer": NAMES_CSV}]
    )
    accept = app_page.locator(".st-key-accept_all_suggestions button")
    with explained_timeout(app_page, "the table of names kept as written, with its two buttons"):
        accept.wait_for()
        app_page.locator(".st-key-keep_all_names button").wait_for()
        app_page.get_by_text("2 row(s) read, 2 valid, 0 left out").wait_for()
    wait_for_painted(app_page)
    page_text = app_page.locator("section.stMain, [data-testid='stMain']").first.inner_text()
    assert "not among the states and organisations the dashboard knows" in page_text
    assert "actors.csv" not in page_text
    screenshot(app_page, "upload-unknown-names")
    accept.click()
    with explained_timeout(app_page, "the page to say the suggestions were accepted"):
        app_page.get_by_text("Suggestions accepted for 1 name(s)").wait_for()
    wait_for_app_idle(app_page)
    assert_no_exception(app_page)
    screenshot(app_page, "upload-suggestions-accepted")
    add = app_page.locator(".st-key-upload_add button")
    add.wait_for()
    add.click()
    with explained_timeout(app_page, "the uploaded records to join the session"):
        app_page.get_by_text(re.compile(r"2 record\(s\) joined this session")).first.wait_for()
    app_page.locator('[data-testid="stSidebarNav"] a', has_text="Downloads").click()
    app_page.get_by_role("heading", name="Downloads").first.wait_for()
    wait_for_app_idle(app_page)
    buttons, labels = download_buttons(app_page)
    with app_page.expect_download() as download_info:
        buttons.nth(labels.index("Filtered records — CSV")).click()
    rows = list(csv.DictReader(io.StringIO(download_info.value.path().read_text("utf-8"), newline="")))
    assert sorted(row["actor"] for row in rows if row["event"] == "names-in-browser") == ["Atlantis", "France"]

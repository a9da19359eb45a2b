"""The warm start (`reactions app`, `make run`): the landing page's answers are computed while the server starts,
into the caches the app reads, so the first visitor's script run finds them; a broken data folder still reaches
the page as a message, never a dead server."""

from __future__ import annotations

import os
import shutil
import sys
import threading
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboard import DATA_DIR
from dashboard.errors import ReactionsError
from dashboard.views import measures, overview, warm_start
from tests import browser_support

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")


def forbid_landing_computation(monkeypatch) -> None:
    """Every step of the landing view's answers fails if it runs (they may only come from a cache)."""

    def computed(*args, **kwargs):
        raise AssertionError("the landing view was computed in the visitor's run")

    monkeypatch.setattr(measures, "key_figures", computed)
    monkeypatch.setattr(measures, "stance_by_actor_figure", computed)
    monkeypatch.setattr(overview, "headline", computed)


def test_after_the_warm_up_the_first_visit_computes_nothing_of_the_landing_view(monkeypatch):
    st.cache_resource.clear()
    warm_start.warm_landing()
    forbid_landing_computation(monkeypatch)
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert at.title[0].value == "Overview"
    assert int(next(metric.value for metric in at.metric if metric.label == "Records")) > 0


def test_without_the_warm_up_the_first_visit_computes_it(monkeypatch):
    # The control for the test above: with the caches empty the same run does compute the view (and so fails).
    st.cache_resource.clear()
    forbid_landing_computation(monkeypatch)
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert at.exception
    st.cache_resource.clear()


def test_a_broken_data_folder_fails_the_warm_up_and_the_page_names_the_file(tmp_path, monkeypatch):
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy)
    records = copy / "records" / "idlib-2020.csv"
    lines = records.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[3] = lines[3].replace(",deny,", ",furious,", 1)
    records.write_text("".join(lines), encoding="utf-8")
    monkeypatch.setenv("REACTIONS_DATA_DIR", str(copy))
    st.cache_resource.clear()
    with pytest.raises(ReactionsError, match="idlib-2020.csv"):
        warm_start.warm_landing()
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert "row 3: stance: 'furious' is not one of" in at.error[0].value
    st.cache_resource.clear()


def test_the_warm_launcher_serves_the_dashboard_with_a_clean_log(chromium):
    with browser_support.running_streamlit(launcher=browser_support.WARM_LAUNCHER) as server:
        context = chromium.new_context(viewport={"width": 1440, "height": 1000})
        page = context.new_page()
        page.set_default_timeout(browser_support.PAGE_WAIT_TIMEOUT_MS)
        page.goto(server.url + "/")
        browser_support.wait_for_app_idle(page)
        browser_support.wait_for_plots(page)
        assert page.locator('[data-testid="stMetricValue"]').count() == 6
        context.close()
        log = server.log_tail(100_000)
    for trouble in ("Traceback", "warm start skipped", "missing ScriptRunContext", "Exception"):
        assert trouble not in log, log


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a thread's own nice value is Linux's")
def test_the_warm_up_lowers_its_own_threads_priority_and_no_other():
    seen = {}

    def in_thread():
        warm_start.yield_the_cpu()
        seen["warm-up"] = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    before = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    thread = threading.Thread(target=in_thread)
    thread.start()
    thread.join()
    assert seen["warm-up"] == max(before, warm_start.WARM_UP_NICE)
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == before

"""A server that starts warm: `reactions app` (and so `make run`) runs Streamlit through this module.

Between a server answering its health check and the first visitor's script run, the browser spends about a
second fetching Streamlit's own scripts while the server idles. Then the first script run imported pandas and
the dashboard's modules, read the seed's stored scores and drew the first figure: half a second or more that
the first visitor waited on top. Here a background thread does that work while the server starts, into the
same caches the app reads (one process, one set of `st.cache_resource` caches), so the first visitor's run
finds it done. If the visitor comes first, the cache's per-key lock makes them wait for the thread's answer
instead of computing it twice. A failure here is only logged: the page itself then shows the problem, as on a
cold server.

    python -m dashboard.views.warm_start run dashboard/app.py [streamlit options]   # what `reactions app` runs
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import sys
import threading
import time

from dashboard.errors import ReactionsError

LOGGER = logging.getLogger("dashboard.warm_start")
# The GIL switch interval while the warm-up works (see warm_in_background).
WARM_UP_SWITCH_INTERVAL_S = 0.0002
# The warm-up thread's nice value (0 normal, 19 lowest): below the browser's, above idle work.
WARM_UP_NICE = 10
# Modules a first script run of the app imports that `import streamlit` does not (seen with sys.modules).
STREAMLIT_FIRST_RUN_MODULES = ("streamlit.emojis", "streamlit.material_icon_names")
# A server that is not up by then (a slow machine) still gets its warm-up, just not out of its way.
SERVER_START_WAIT_S = 10.0
# Streamlit warns when a cached function runs outside a script run ("missing ScriptRunContext ... can be
# ignored when running in bare mode"); the warm-up does that on purpose.
CONTEXT_LOGGER = "streamlit.runtime.scriptrunner_utils.script_run_context"


def warm_landing(folder: str | None = None) -> None:
    """Import the app's modules and compute the landing page's answers for a visitor with no filters: the
    seed's (stored) scores, the library's state, the key figures, the stance chart and its summary."""
    from dashboard.filters import FilterState
    from dashboard.views import common, overview, sidebar  # noqa: F401  (sidebar: imported by the first run)

    folder = folder or str(common.data_dir())
    data = common.library_view_data(folder)  # what rerun_data gives a session that added nothing
    state = FilterState()  # what the sidebar gives when no filter is set
    answers = overview.overview_answers(common.View(data=data, state=state, key=(data.key, state)))
    rehearse_first_run(answers.chart)


def rehearse_first_run(chart) -> None:
    """What Streamlit itself does on a process's first script run: imports the page icon's emoji table and
    the navigation's icon names, checks for a REPL, and for the first chart imports plotly's template and its trace types (validating a
    figure imports every type the template names: a tenth of a second) and its JSON writer. The chart is
    converted as st.plotly_chart converts it, and the answer dropped."""
    import importlib

    import plotly.io
    import plotly.tools

    for module in STREAMLIT_FIRST_RUN_MODULES:
        importlib.import_module(module)
    # On its first element Streamlit checks once whether it runs in a REPL, walking the stack and resolving
    # the path of every loaded module (1,600 with pandas: a tenth of a second). Done here, off the visitor's
    # path; if a Streamlit version drops the check, nothing is lost.
    from streamlit import delta_generator

    first_use_check = getattr(delta_generator, "_maybe_print_use_warning", None)
    if callable(first_use_check):
        first_use_check()
    if chart is not None:
        plotly.io.to_json(plotly.tools.return_figure_from_figure_or_data(chart, validate_figure=True), validate=False)


def yield_the_cpu() -> None:
    """Lower this thread's CPU priority (Linux: a thread has its own nice value). Meanwhile the first browser
    runs Streamlit's scripts, the page's critical path: on a busy machine this thread should take what the
    browser leaves, not share with it. Elsewhere, or if refused, nothing changes."""
    if not sys.platform.startswith("linux"):
        return
    thread = threading.get_native_id()
    with contextlib.suppress(OSError):  # never raised above what the server was started with
        os.setpriority(os.PRIO_PROCESS, thread, max(WARM_UP_NICE, os.getpriority(os.PRIO_PROCESS, thread)))


def wait_for_server(timeout_s: float = SERVER_START_WAIT_S) -> None:
    """Until the server runs (or `timeout_s`): its own start comes first, since the browser waits for it, and
    this thread's imports would take the GIL from it half the time."""
    from streamlit import runtime
    from streamlit.runtime.runtime import RuntimeState

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if runtime.exists() and runtime.get_instance().state != RuntimeState.INITIAL:
            return
        time.sleep(0.01)


class WarmUpWarnings(logging.Filter):
    """Drops the warm-up thread's own "missing ScriptRunContext" warnings, and no one else's."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.threadName != "warm-start"


def warm_in_background() -> threading.Thread:
    def run() -> None:
        quiet = WarmUpWarnings()
        logging.getLogger(CONTEXT_LOGGER).addFilter(quiet)
        # The server's thread answers the health check and serves Streamlit's scripts meanwhile; each of its
        # socket reads and writes gives up the GIL, and getting it back from a busy thread waits out the switch
        # interval (5 ms by default): shorter while this thread works, so the server is not slowed.
        switch_interval = sys.getswitchinterval()
        sys.setswitchinterval(WARM_UP_SWITCH_INTERVAL_S)
        try:
            wait_for_server()
            yield_the_cpu()
            warm_landing()
        except ReactionsError as exc:  # a broken data file: the page names file, row and field; one line here
            LOGGER.warning("warm start skipped (the page will show why): %s", exc)
        except Exception:  # never stop the server: the first page shows what is wrong, as it would cold
            LOGGER.warning("warm start skipped; the first visitor's page computes it", exc_info=True)
        finally:
            sys.setswitchinterval(switch_interval)
            logging.getLogger(CONTEXT_LOGGER).removeFilter(quiet)
        # What is loaded now (modules, the seed, the landing view) lives as long as the server: moved out of the
        # collector's sight, so the full collection Streamlit runs after every script run (40-50 ms here, over
        # every object of pandas and plotly) walks only what later runs create.
        gc.freeze()

    thread = threading.Thread(target=run, name="warm-start", daemon=True)
    thread.start()
    return thread


def main(argv: list[str] | None = None) -> int:
    """Streamlit's own command line (`streamlit run APP ...`), with the warm-up started first."""
    args = sys.argv[1:] if argv is None else list(argv)
    # Streamlit (and plotly, which it imports) first, in this thread: plotly looks pandas up in sys.modules
    # while it loads, and would find the warm-up thread's half-imported one.
    from streamlit.web import cli

    if args[:1] == ["run"]:
        warm_in_background()

    sys.argv = ["streamlit", *args]
    return cli.main(prog_name="streamlit")


if __name__ == "__main__":
    sys.exit(main())

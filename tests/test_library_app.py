"""The app reading the event library (AppTest): events stored by the CLI's code path or saved from the upload and
article pages are there for a new visitor in every page, until removed; unknown events get a notice."""

from __future__ import annotations

import datetime

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import DATA_DIR
from dashboard.library import LIBRARY_VARIABLE, READ_ONLY_VARIABLE, Library
from dashboard.records import normalise_records
from dashboard.scoring import load_resources, score_records
from tests.test_app import APP, TIMEOUT, metric_value

# Sentences written for these tests; none is quoted from any source.
ROWS = [
    {"actor": "Turkey", "text": "Ankara strongly condemned the shelling of its border post by Damascus."},
    {"actor": "Russia", "text": "Moscow voiced deep concern over the clashes near the frontier."},
    {"actor": "France", "text": "Paris condemned the attack on the convoy in the strongest terms."},
]
UPLOADED = (
    b"actor,text,stance,date\n"
    b"Ankara,Ankara condemned the raid on its observation post.,,2026-11-20\n"
    b"Moscow,Moscow denied that its jets had flown over the area.,deny,2026-11-20\n"
)
ARTICLE = (
    "Oslo condemned the shelling of the border post by Moscow on Tuesday.\n\n"
    "The Kremlin denied that its forces had fired on the post.\n"
)


@pytest.fixture
def library(tmp_path, monkeypatch) -> Library:
    monkeypatch.setenv(LIBRARY_VARIABLE, str(tmp_path / "library"))
    monkeypatch.delenv(READ_ONLY_VARIABLE, raising=False)
    return Library(tmp_path / "library")


@pytest.fixture(scope="module")
def scored_rows() -> pd.DataFrame:
    resources = load_resources()
    table = pd.DataFrame(ROWS).assign(date="2024-05-01")
    return score_records(normalise_records(table, resources.registry), resources)


def visitor(**query: str) -> AppTest:
    """A new visitor: a fresh session (the server's caches are shared, as on a real server)."""
    app = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for name, value in query.items():
        app.query_params[name] = value
    return app.run()


def test_an_event_in_the_library_is_there_for_a_new_visitor_on_every_page(library, scored_rows):
    before = int(metric_value(visitor(), "Records"))
    library.add(scored_rows, "border-2024", title="Border shelling")
    app = visitor()
    assert not app.exception
    assert int(metric_value(app, "Records")) == before + len(ROWS)
    assert "border-2024" in app.selectbox(key="event").options
    app.selectbox(key="event").set_value("border-2024").run()
    assert int(metric_value(app, "Records")) == len(ROWS)
    assert metric_value(app, "Actors") == "3"
    assert any("Border shelling" in caption.value for caption in app.caption)
    app.multiselect(key="stance").set_value(["condemn"]).run()
    assert int(metric_value(app, "Records")) == 2
    for page in ("map_view", "tone", "flows", "evidence", "downloads"):
        app.switch_page(f"screens/{page}.py").run()
        assert not app.exception, page
    app.switch_page("screens/compare.py").run()
    assert not app.exception
    assert "border-2024" in app.selectbox(key="compare_left").options


def test_the_overview_of_every_event_names_them_in_one_line_not_a_line_each(library, scored_rows):
    for number in range(8):
        library.add(scored_rows, f"border-{2020 + number}", title=f"Border shelling {number}")
    app = visitor()
    assert not app.exception
    captions = [caption.value.replace("\\", "") for caption in app.caption]
    assert not any("Border shelling" in caption for caption in captions)
    named = [caption for caption in captions if caption.startswith("All 9 events: ")]
    assert len(named) == 1 and "and 3 more" in named[0], captions
    one = visitor(event="border-2023")
    assert any("Border shelling 3" in caption.value for caption in one.caption)


def test_the_url_opens_a_library_event(library, scored_rows):
    library.add(scored_rows, "border-2024")
    app = visitor(event="border-2024")
    assert not app.exception
    assert app.selectbox(key="event").value == "border-2024"
    assert int(metric_value(app, "Records")) == len(ROWS)
    assert not app.warning


def test_a_removed_event_is_gone_on_the_next_page_load_and_its_link_says_so(library, scored_rows):
    library.add(scored_rows, "border-2024")
    assert "border-2024" in visitor().selectbox(key="event").options
    library.remove("border-2024")
    app = visitor(event="border-2024")
    assert not app.exception
    assert "border-2024" not in app.selectbox(key="event").options
    assert any("no event 'border\\-2024' here" in warning.value for warning in app.warning)
    # Not the shipped event passed off as the one asked for: every event, and the notice says so.
    assert app.selectbox(key="event").value == "All events"


def test_an_unknown_event_in_the_url_gets_a_notice(library):
    app = visitor(event="no-such-event")
    assert not app.exception
    assert any("no event 'no\\-such\\-event' here" in warning.value for warning in app.warning)


def test_a_replaced_event_shows_its_new_records(library, scored_rows):
    library.add(scored_rows, "border-2024")
    assert int(metric_value(visitor(event="border-2024"), "Records")) == 3
    library.add(scored_rows.head(1), "border-2024", replace=True)
    assert int(metric_value(visitor(event="border-2024"), "Records")) == 1


def test_an_upload_saved_to_the_library_is_there_for_the_next_visitor(library):
    app = visitor()
    app.switch_page("screens/upload.py").run()
    app.file_uploader(key="records_upload").upload("border notes.csv", UPLOADED, "text/csv").run()
    app.text_input(key="upload_event").set_value("border-notes")
    app.button(key="upload_save").click().run()
    assert not app.exception
    assert any("saved to the library as event 'border\\-notes'" in s.value for s in app.success)
    assert [info.slug for info in library.events()[0]] == ["border-notes"]
    stored = library.read_event("border-notes")
    assert len(stored.records) == 2 and stored.info.source == "border notes.csv"
    later = visitor(event="border-notes")
    assert int(metric_value(later, "Records")) == 2
    assert metric_value(later, "Actors") == "2"


def test_an_upload_saved_with_a_title_is_named_by_it(library):
    app = visitor()
    app.switch_page("screens/upload.py").run()
    app.file_uploader(key="records_upload").upload("notes.csv", UPLOADED, "text/csv").run()
    app.text_input(key="upload_event").set_value("post-raid")
    app.text_input(key="upload_title").set_value("Raid on the observation post")
    app.button(key="upload_save").click().run()
    assert not app.exception
    assert library.read_event("post-raid").info.title == "Raid on the observation post"
    later = visitor(event="post-raid")
    assert any("Raid on the observation post" in caption.value for caption in later.caption)
    later.switch_page("screens/library.py").run()
    assert later.dataframe[0].value.set_index("event").loc["post-raid", "title"] == "Raid on the observation post"


@pytest.mark.parametrize("slug", ["../x", "a/b", "", "a" * 60, "évènement", "Post-Raid"])
def test_an_upload_with_a_bad_slug_is_refused_saying_why(library, slug):
    app = visitor()
    app.switch_page("screens/upload.py").run()
    app.file_uploader(key="records_upload").upload("notes.csv", UPLOADED, "text/csv").run()
    app.text_input(key="upload_event").set_value(slug)
    app.button(key="upload_save").click().run()
    assert not app.exception
    assert any("cannot be an event slug" in error.value for error in app.error)
    assert not library.events_dir.exists() or list(library.events_dir.iterdir()) == []


def test_an_upload_under_a_taken_slug_is_refused_naming_it(library, scored_rows):
    library.add(scored_rows, "border-2024")
    app = visitor()
    app.switch_page("screens/upload.py").run()
    app.file_uploader(key="records_upload").upload("notes.csv", UPLOADED, "text/csv").run()
    app.text_input(key="upload_event").set_value("border-2024")
    app.button(key="upload_save").click().run()
    assert not app.exception
    assert any("'border\\-2024' exists already" in error.value for error in app.error)
    assert len(library.read_event("border-2024").records) == len(ROWS)


def test_the_library_page_names_the_knowledge_that_scored_each_event(library, scored_rows):
    from dashboard.library import knowledge_versions

    current = knowledge_versions()
    library.add(scored_rows, "border-2024")
    library.add(scored_rows, "older-2024", versions={"codebook": "0.9", "lexicon": "0123456789ab"})
    app = visitor()
    app.switch_page("screens/library.py").run()
    scored_with = app.dataframe[0].value.set_index("event")["scored with"]
    now = f"codebook {current['codebook']}, lexicon {current['lexicon']}"
    assert scored_with["idlib-2020"].startswith(now)
    assert scored_with["border-2024"] == now
    assert scored_with["older-2024"].startswith("codebook 0.9, lexicon 0123456789ab (not the current")


def test_an_article_saved_to_the_library_keeps_its_text_and_date(library):
    app = visitor()
    app.switch_page("screens/add_article.py").run()
    app.text_area(key="article_text").set_value(ARTICLE)
    app.text_input(key="article_event").set_value("border-2026")
    app.date_input(key="article_date").set_value(datetime.date(2026, 11, 24))
    app.text_input(key="article_source").set_value("written for this test")
    app.button(key="extract").click().run()
    app.button(key="accept_save").click().run()
    assert not app.exception
    assert any("saved to the library as event 'border\\-2026'" in s.value for s in app.success)
    stored = library.read_event("border-2026")
    assert stored.article_text == ARTICLE
    assert stored.info.date == "2026-11-24"
    assert int(metric_value(visitor(event="border-2026"), "Records")) == len(stored.records) >= 1


def test_a_read_only_library_offers_no_save(library, monkeypatch):
    monkeypatch.setenv(READ_ONLY_VARIABLE, "1")
    app = visitor()
    app.switch_page("screens/upload.py").run()
    app.file_uploader(key="records_upload").upload("border.csv", UPLOADED, "text/csv").run()
    assert app.button(key="upload_save").disabled
    assert any("turned off on this server" in caption.value for caption in app.caption)  # in words, not a tooltip
    assert not app.button(key="upload_add").disabled  # this session's data is still open to it
    app.switch_page("screens/library.py").run()
    assert any("read-only on this server" in caption.value for caption in app.caption)
    assert not library.events_dir.exists()


def test_the_library_page_lists_events_and_reports_a_damaged_file(library, scored_rows):
    library.add(scored_rows, "border-2024", title="Border shelling")
    (library.events_dir / "broken.parquet").write_bytes(b"not parquet at all")
    app = visitor()
    app.switch_page("screens/library.py").run()
    assert not app.exception
    table = app.dataframe[0].value
    assert table["event"].tolist() == ["idlib-2020", "border-2024"]
    row = table.set_index("event").loc["border-2024"]
    assert (row["title"], row["date"], row["records"], row["actors"]) == ("Border shelling", "2024-05-01", 3, 3)
    assert any(
        "broken.parquet` in the library folder: not a readable Parquet file" in warning.value for warning in app.warning
    )
    # The damaged file costs nobody the other events.
    assert int(metric_value(visitor(event="border-2024"), "Records")) == 3


def test_a_long_title_is_cut_at_a_word_in_the_links_and_whole_in_the_table(library, scored_rows):
    from dashboard.views.library import LINK_TITLE_CHARACTERS, short_title

    title = "Shelling of the border post near the river crossing, and what came after it"
    assert short_title(title) == "Shelling of the border post…"
    assert len(short_title("x" * 80)) == LINK_TITLE_CHARACTERS + 1
    assert short_title("Border shelling") == "Border shelling" and short_title("") == "untitled"
    library.add(scored_rows, "border-2024", title=title)
    app = visitor()
    app.switch_page("screens/library.py").run()
    assert not app.exception
    assert app.dataframe[0].value.set_index("event").loc["border-2024", "title"] == title
    links = [link.proto.label for link in app.get("page_link")]
    assert "border-2024 — Shelling of the border post… (3 records)" in links


def test_a_library_path_that_is_a_file_is_named_and_the_pages_go_on(tmp_path, monkeypatch):
    (tmp_path / "a-file").write_text("not a folder")
    monkeypatch.setenv(LIBRARY_VARIABLE, str(tmp_path / "a-file"))
    app = visitor()
    assert not app.exception
    assert int(metric_value(app, "Records")) > 0  # the shipped event, as without a library
    app.switch_page("screens/library.py").run()
    assert not app.exception
    assert any("cannot be read" in error.value and "not a folder" in error.value for error in app.error)
    app.switch_page("screens/upload.py").run()
    app.file_uploader(key="records_upload").upload("notes.csv", UPLOADED, "text/csv").run()
    app.text_input(key="upload_event").set_value("post-raid")
    app.button(key="upload_save").click().run()
    assert not app.exception
    assert any("Not saved to the library" in error.value and "not a folder" in error.value for error in app.error)


def test_the_library_page_opens_two_events_for_comparison(library, scored_rows):
    library.add(scored_rows, "border-2024")
    app = visitor()
    app.switch_page("screens/library.py").run()
    app.selectbox(key="library_compare_left").set_value("border-2024")
    app.selectbox(key="library_compare_right").set_value("idlib-2020")
    app.button(key="library_compare_go").click().run()
    assert not app.exception
    assert app.title[0].value == "Compare events"
    assert app.selectbox(key="compare_left").value == "border-2024"
    assert app.selectbox(key="compare_right").value == "idlib-2020"


def test_the_filter_options_from_the_stored_lists_are_those_of_the_records(library, scored_rows):
    from dashboard.filters import filter_options
    from dashboard.views.common import cached_view_data, library_options

    untargeted = scored_rows.assign(target=["Syria; Russia", "", "NATO"])
    library.add(untargeted, "border-2024")
    library.add(scored_rows.assign(mode="material"), "convoy-2024")
    shipped = cached_view_data(str(DATA_DIR))
    events, _ = library.events()
    stored = [library.read_event(info.slug).records for info in events]
    expected = filter_options(pd.concat([shipped.scored, *stored], ignore_index=True))
    assert library_options(shipped.options, events) == expected
    assert "(no target)" in expected["target"] and "material" in expected["mode"]


def page_text(app: AppTest) -> list[str]:
    """What a reader sees of a page: its metrics, texts, captions, tables and charts' numbers."""
    seen = [f"{m.label}={m.value}" for m in app.metric]
    seen += [m.value for m in app.markdown] + [c.value for c in app.caption] + [s.value for s in app.subheader]
    seen += [frame.value.to_csv(index=False) for frame in app.dataframe]
    seen += [str(chart.proto.spec) for chart in app.get("plotly_chart")]
    return seen


PAGES = ("overview", "map_view", "tone", "flows", "evidence", "downloads", "compare", "library")


def every_page(query: dict) -> dict[str, list[str]]:
    app = visitor(**query)
    seen = {}
    for page in PAGES:
        app.switch_page(f"screens/{page}.py").run()
        assert not app.exception, (page, query)
        seen[page] = page_text(app)
    return seen


def test_the_query_engine_path_gives_the_same_pages(library, scored_rows, monkeypatch):
    import dashboard.views.common as common

    library.add(scored_rows, "border-2024")
    library.add(scored_rows.assign(target=["Syria; Russia", "", "NATO"], mode="material"), "convoy-2024")
    views = [
        {},
        {"event": "border-2024", "stance": "condemn"},
        {"q": "moscow"},
        {"target": "(no target)"},
        {"event": "idlib-2020", "actor": "Turkey"},
        {"stance": "support", "event": "convoy-2024"},  # nothing matches
        {"toward": "Syria", "members": "true"},  # the map toward one target, member states shaded
    ]
    expected = [every_page(query) for query in views]
    # The query engine for every view, as for a million records: the same pages, word for word.
    monkeypatch.setattr(common, "QUERY_FROM_ROWS", 0)
    common.cached_library_view.clear()
    common._per_view.clear()
    try:
        found = [every_page(query) for query in views]
        assert common.library_view_data(str(DATA_DIR)).store is not None
    finally:
        common.cached_library_view.clear()
    for query, want, got in zip(views, expected, found, strict=True):
        for page in PAGES:
            assert got[page] == want[page], (query, page)
    assert any("Dominant stance toward Syria" in seen for seen in expected[-1]["map_view"])
    records = [next(v for v in seen["overview"] if v.startswith("Records=")) for seen in expected]
    assert records[1] == "Records=2" and len(set(records)) > 3


def test_a_file_damaged_inside_costs_the_query_engine_path_nothing_and_is_reported(library, scored_rows, monkeypatch):
    import dashboard.views.common as common
    from tests.test_library import scribble_over_the_records

    library.add(scored_rows, "border-2024")
    library.add(scored_rows, "hurt-2024")
    scribble_over_the_records(library.path_of("hurt-2024"))
    # The query engine reads the events' files where they lie, as for a million records.
    monkeypatch.setattr(common, "QUERY_FROM_ROWS", 0)
    common.cached_library_view.clear()
    try:
        app = visitor()
        for page in PAGES:
            app.switch_page(f"screens/{page}.py").run()
            assert not app.exception, page
        assert "hurt-2024" not in app.selectbox(key="event").options
        assert any("hurt-2024.parquet` in the library folder: damaged" in w.value for w in app.warning)
        assert int(metric_value(visitor(event="border-2024"), "Records")) == len(ROWS)
    finally:
        common.cached_library_view.clear()


def test_compare_asks_a_large_library_for_counts_not_records(library, scored_rows, monkeypatch):
    import dashboard.views.common as common
    from dashboard.query import RecordStore

    library.add(scored_rows, "border-2024")
    monkeypatch.setattr(common, "QUERY_FROM_ROWS", 0)
    common.cached_library_view.clear()

    def records_fetched(*args, **kwargs):
        raise AssertionError("the compare page fetched records, not counts")

    monkeypatch.setattr(RecordStore, "rows", records_fetched)
    try:
        app = visitor(stance="condemn")
        app.switch_page("screens/compare.py").run()
        app.selectbox(key="compare_left").set_value("border-2024").run()
        app.selectbox(key="compare_right").set_value("idlib-2020").run()
        assert not app.exception
        assert [m.value for m in app.metric if m.label == "Records"][0] == "2"
        differences = app.dataframe[0].value.set_index("actor")
        assert differences.loc["France", "dominant_stance (border-2024)"] == "condemn"
    finally:
        common.cached_library_view.clear()


def test_the_method_page_measures_the_shipped_records_only(library, scored_rows):
    app = visitor()
    app.switch_page("screens/method.py").run()
    shipped = next(m.value for m in app.markdown if "curated records shipped" in m.value)
    library.add(scored_rows, "border-2024")
    later = visitor()
    later.switch_page("screens/method.py").run()
    assert not later.exception
    assert next(m.value for m in later.markdown if "curated records shipped" in m.value) == shipped


def test_a_sessions_upload_joins_a_large_library_in_every_view(library, scored_rows, monkeypatch):
    # With the query engine (a large library), records added in a session join the stored ones: in the
    # counts, the filter options and the filtered views, as with the pandas path.
    import dashboard.views.common as common

    library.add(scored_rows, "border-2024")
    monkeypatch.setattr(common, "QUERY_FROM_ROWS", 0)
    common.cached_library_view.clear()
    try:
        app = visitor()
        before = int(metric_value(app, "Records"))
        app.switch_page("screens/upload.py").run()
        app.file_uploader(key="records_upload").upload("border notes.csv", UPLOADED, "text/csv").run()
        app.text_input(key="upload_event").set_value("border-notes")
        app.button(key="upload_add").click().run()
        assert not app.exception
        app.switch_page("screens/overview.py").run()
        assert int(metric_value(app, "Records")) == before + 2
        assert {"border-notes", "border-2024"} <= set(app.selectbox(key="event").options)
        app.selectbox(key="event").set_value("border-notes").run()
        assert int(metric_value(app, "Records")) == 2
        for page in ("evidence", "downloads", "flows", "tone", "map_view"):
            app.switch_page(f"screens/{page}.py").run()
            assert not app.exception, page
        app.switch_page("screens/evidence.py").run()
        assert any("2 record(s)" in caption.value for caption in app.caption)
        assert common.library_view_data(str(DATA_DIR)).store is not None
    finally:
        common.cached_library_view.clear()


def test_the_downloads_page_of_a_large_library_fetches_every_record_only_when_a_file_is_asked_for(
    library, scored_rows, monkeypatch
):
    # A million stored records would be fetched (and held) by opening the page: the summaries are grouped
    # queries, the preview is one page, and the records file is made when its button is clicked.
    import dashboard.views.common as common
    from dashboard.query import RecordStore

    library.add(scored_rows, "border-2024")
    asked = []
    rows = RecordStore.rows

    def spied(self, state, columns=None, limit=None, offset=0, extra=None):
        asked.append(limit)
        return rows(self, state, columns, limit, offset, extra)

    monkeypatch.setattr(RecordStore, "rows", spied)
    monkeypatch.setattr(common, "QUERY_FROM_ROWS", 0)
    common.cached_library_view.clear()
    common._per_view.clear()
    try:
        app = visitor()
        app.switch_page("screens/downloads.py").run()
        assert not app.exception
        assert common.library_view_data(str(DATA_DIR)).store is not None
        assert asked and None not in asked  # pages of records only, never all of them
        buttons = [b for b in app.get("download_button") if "Filtered records" in b.proto.label]
        assert len(buttons) >= 3  # CSV, JSON, Excel (and the description)
    finally:
        common.cached_library_view.clear()
        common._per_view.clear()

"""App logic through Streamlit's AppTest: runs clean, filters change the figures, the URL sets filters."""

import datetime
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.browser_support import data_fingerprint

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")
TIMEOUT = 60


def metric_value(at: AppTest, label: str) -> str:
    return next(metric.value for metric in at.metric if metric.label == label)


@pytest.fixture
def app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=TIMEOUT)


def test_the_app_runs_without_exception(app):
    app.run()
    assert not app.exception
    assert app.title[0].value == "Overview"
    assert int(metric_value(app, "Records")) > 0


def test_a_stance_filter_changes_the_key_figures(app):
    app.run()
    everything = int(metric_value(app, "Records"))
    app.multiselect(key="stance").set_value(["condemn"]).run()
    assert not app.exception
    condemned = int(metric_value(app, "Records"))
    assert 0 < condemned < everything
    assert metric_value(app, "Hostile share") == "100%"


def test_a_url_parameter_sets_a_filter(app):
    app.query_params["actor"] = "NATO"
    app.run()
    assert not app.exception
    assert app.multiselect(key="actor").value == ["NATO"]
    assert metric_value(app, "Actors") == "1"


def test_a_filter_that_matches_nothing_says_so(app):
    app.query_params["q"] = "no sentence says this"
    app.run()
    assert not app.exception
    assert metric_value(app, "Records") == "0"
    assert any("No records match" in info.value for info in app.info)


def test_reset_restores_every_record(app):
    app.query_params["stance"] = "warn"
    app.run()
    narrowed = int(metric_value(app, "Records"))
    app.button[0].click().run()
    assert not app.exception
    assert int(metric_value(app, "Records")) > narrowed


@pytest.mark.parametrize("page", ["map_view", "tone", "flows", "evidence", "downloads", "method"])
def test_every_page_runs_without_exception(app, page):
    app.run()
    app.switch_page(f"screens/{page}.py")
    app.run()
    assert not app.exception, page


def test_the_download_buttons_are_there(app):
    app.run()
    app.switch_page("screens/downloads.py")
    app.run()
    assert not app.exception
    labels = [button.proto.label for button in app.get("download_button")]
    for table in ("Per-actor summary", "Per-target summary", "Filtered records"):
        for fmt in ("CSV", "Excel", "JSON"):
            assert f"{table} — {fmt}" in labels
    assert not any(button.proto.disabled for button in app.get("download_button"))


def test_excel_is_switched_off_above_its_row_limit_and_says_why(app, monkeypatch):
    import dashboard.views.downloads as downloads

    monkeypatch.setattr(downloads, "EXCEL_ROW_LIMIT", 20)  # the curated file has 32 records, 14 actors
    app.run()
    app.switch_page("screens/downloads.py")
    app.run()
    assert not app.exception
    off = {button.proto.label: button.proto.help for button in app.get("download_button") if button.proto.disabled}
    assert list(off) == ["Filtered records — Excel"]
    assert "up to 20 rows" in off["Filtered records — Excel"]


def test_a_broken_data_file_is_named_with_row_and_field_not_a_traceback(tmp_path, monkeypatch):
    import shutil

    from dashboard import DATA_DIR

    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy)
    records = copy / "records" / "idlib-2020.csv"
    lines = records.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[3] = lines[3].replace(",deny,", ",furious,", 1)
    records.write_text("".join(lines), encoding="utf-8")
    monkeypatch.setenv("REACTIONS_DATA_DIR", str(copy))
    app = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert not app.exception
    message = app.error[0].value
    assert "idlib-2020.csv" in message
    assert "row 3: stance: 'furious' is not one of" in message


def propose_records_for_the_article(app: AppTest) -> AppTest:
    """On "Add an article": paste ARTICLE, name its event border-2026, and ask for the proposed records."""
    app.switch_page("screens/add_article.py").run()
    app.text_area(key="article_text").set_value(ARTICLE)
    app.text_input(key="article_event").set_value("border-2026")
    app.date_input(key="article_date").set_value(datetime.date(2026, 11, 24))
    app.text_input(key="article_source").set_value("written for this test")
    return app.button(key="extract").click().run()


def test_the_app_never_modifies_the_shipped_data(app):
    """A full session through the app's logic: every page, a filter, an upload accepted, an article added,
    the downloads page; data/ is byte for byte the same afterwards (the browser test adds a real download)."""
    before = data_fingerprint()
    app.run()
    app.multiselect(key="stance").set_value(["condemn"]).run()
    for page in ("map_view", "tone", "flows", "evidence", "downloads", "method"):
        app.switch_page(f"screens/{page}.py")
        app.run()
    open_upload_page(app, "my_records.csv", UPLOADED)
    app.button(key="upload_add").click().run()
    propose_records_for_the_article(app)
    app.button(key="accept").click().run()
    assert any("joined this session as event 'border-2026'" in s.value for s in app.success)
    app.switch_page("screens/downloads.py").run()
    assert not app.exception
    assert any("Filtered records" in header.value for header in app.subheader)
    assert data_fingerprint() == before


ARTICLE = (
    "Oslo condemned the shelling of the border post by Moscow on Tuesday.\n\n"
    "The Kremlin denied that its forces had fired on the post.\n"
)


def test_an_added_article_joins_the_session_data_under_its_own_event(app):
    app.run()
    propose_records_for_the_article(app)
    assert not app.exception
    assert any("Proposed records for border-2026" in header.value for header in app.subheader)
    app.button(key="accept").click().run()
    assert not app.exception
    assert any("joined this session as event 'border-2026'" in s.value for s in app.success)
    assert "border-2026" in app.selectbox(key="event").options
    app.selectbox(key="event").set_value("border-2026").run()
    app.switch_page("screens/overview.py").run()
    assert not app.exception
    assert int(metric_value(app, "Records")) >= 1


UPLOADED = (
    b"actor,text,stance,date\n"
    b"Ankara,Ankara condemned the raid on its observation post.,,2026-11-20\n"
    b"Moscow,Moscow denied that its jets had flown over the area.,deny,2026-11-20\n"
    b"Atlantis,Atlantis was furious.,furious,2026-11-20\n"
    b'NATO,=HYPERLINK("http://x"),,2026-11-20\n'
)


def open_upload_page(app: AppTest, name: str, content: bytes) -> AppTest:
    app.run()
    app.switch_page("screens/upload.py").run()
    app.file_uploader(key="records_upload").upload(name, content, "text/csv").run()
    return app


def test_an_upload_keeps_the_valid_rows_and_says_which_were_left_out(app):
    open_upload_page(app, "my_records.csv", UPLOADED)
    assert not app.exception
    assert any("4 row(s) read, 3 valid, 1 left out" in text.value for text in app.markdown)
    left_out = app.dataframe[-1].value  # after the table of unknown names
    assert left_out["row"].tolist() == [3] and left_out["field"].tolist() == ["stance"]
    app.button(key="upload_add").click().run()
    assert not app.exception
    assert any("3 record(s) joined this session as event 'my-records'" in s.value for s in app.success)
    app.run()  # AppTest keeps the sidebar of the run that handled the click; the browser reruns at once
    assert "my-records" in app.selectbox(key="event").options


KEEP = "(keep as written, a new actor)"
NAMES = b"actor,text,target\nFrnace,Paris condemned the strike.,\nAtlantis,Atlantis was furious.,Sryia\n"


def uploaded_actors(app: AppTest, event: str) -> list[str]:
    app.button(key="upload_add").click().run()
    assert not app.exception
    return sorted(session_records(app).query("event == @event")["actor"])


def page_texts(app: AppTest) -> list[str]:
    return [
        e.value for kind in ("markdown", "caption", "info", "warning", "error", "success") for e in getattr(app, kind)
    ]


def test_unknown_names_are_kept_as_written_by_default_and_suggestions_only_shown(app):
    open_upload_page(app, "names.csv", NAMES)
    assert not app.exception
    choices = app.dataframe[0].value  # the decisions table precedes the problems table
    assert choices.to_dict("records") == [
        {"name": "Atlantis", "rows": 1, "suggestion": "", "use": KEEP},
        {"name": "Frnace", "rows": 1, "suggestion": "France", "use": KEEP},
        {"name": "Sryia", "rows": 1, "suggestion": "Syria", "use": KEEP},
    ]
    assert any("2 row(s) read, 2 valid, 0 left out" in text for text in page_texts(app))
    assert uploaded_actors(app, "names") == ["Atlantis", "Frnace"]
    assert sorted(session_records(app).query("event == 'names'")["target"]) == ["", "Sryia"]


def test_accept_all_suggestions_is_one_click_and_keep_all_as_written_another(app):
    open_upload_page(app, "names.csv", NAMES)
    app.button(key="accept_all_suggestions").click().run()
    assert not app.exception
    uses = dict(zip(app.dataframe[0].value["name"], app.dataframe[0].value["use"], strict=True))
    assert uses == {"Atlantis": KEEP, "Frnace": "France", "Sryia": "Syria"}  # no suggestion: kept as written
    assert any("Suggestions accepted for 2 name(s)" in text for text in page_texts(app))
    app.button(key="keep_all_names").click().run()
    assert set(app.dataframe[0].value["use"]) == {KEEP}
    app.button(key="accept_all_suggestions").click().run()
    assert uploaded_actors(app, "names") == ["Atlantis", "France"]
    assert sorted(session_records(app).query("event == 'names'")["target"]) == ["", "Syria"]


def test_one_suggestion_is_applied_only_where_the_reader_picks_it(app):
    open_upload_page(app, "names.csv", NAMES)
    app.session_state["unknown_actors"] = {"edited_rows": {1: {"use": "France"}}, "added_rows": [], "deleted_rows": []}
    app.run()
    assert uploaded_actors(app, "names") == ["Atlantis", "France"]
    assert sorted(session_records(app).query("event == 'names'")["target"]) == ["", "Sryia"]


def test_a_name_can_still_have_its_rows_left_out(app):
    open_upload_page(app, "names.csv", NAMES)
    app.session_state["unknown_actors"] = {
        "edited_rows": {0: {"use": "(leave these rows out)"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    app.run()
    assert any("2 row(s) read, 1 valid, 1 left out" in text for text in page_texts(app))
    assert uploaded_actors(app, "names") == ["Frnace"]


REALISTIC = (
    "actor,text\n"
    "Egypt,Cairo condemned the shelling of the crossing.\n"
    "India,New Delhi called for restraint.\n"
    "Brazil,Brasília urged both sides to return to talks.\n"
    "South Africa,Pretoria expressed deep concern.\n"
    "Kosovo,Pristina condemned the attack.\n"
    "Palestine,The Palestinian foreign ministry condemned the raid.\n"
    "Taiwan,Taipei condemned the launch.\n"
    "African Union,The African Union called for calm.\n"
    "Arab League,The Arab League condemned the strike.\n"
    "Czech Republic,Prague condemned the strike.\n"
    "Eswatini,Mbabane expressed its sympathy.\n"
    "Jordan,Amman condemned the raid.\n"
    "Botswana,Gaborone called for an inquiry.\n"
    "Türkiye,Ankara condemned the raid.\n"
    "Congo,Congo called for calm.\n"
).encode()


def test_a_file_naming_states_and_organisations_from_everywhere_is_kept_whole(app):
    open_upload_page(app, "world.csv", REALISTIC)
    assert not app.exception
    assert any("15 row(s) read, 15 valid, 0 left out" in text for text in page_texts(app))
    (congo,) = app.dataframe[0].value.to_dict("records")  # the one name that may mean two states
    assert congo["name"] == "Congo" and congo["use"] == KEEP
    assert congo["suggestion"] == "one of: Republic of the Congo, Democratic Republic of the Congo"
    actors = uploaded_actors(app, "world")
    assert "Taiwan" in actors and "Italy" not in actors and "Turkey" in actors and "Congo" in actors
    assert len(actors) == 15


def test_the_page_speaks_to_a_person_using_a_web_page(app):
    open_upload_page(app, "names.csv", NAMES)
    text = " ".join(page_texts(app))
    assert "not among the states and organisations the dashboard knows" in text
    assert "actors.csv" not in text and "data/" not in text
    problems = " ".join(app.dataframe[0].value.astype(str).to_numpy().ravel())
    assert "actors.csv" not in problems


def test_an_uploaded_event_can_be_compared_with_the_shipped_one(app):
    open_upload_page(app, "my_records.csv", UPLOADED)
    app.button(key="upload_add").click().run()
    app.switch_page("screens/compare.py").run()
    assert not app.exception
    assert [header.value for header in app.subheader][:2] == ["idlib-2020", "my-records"]
    differences = app.dataframe[0].value.set_index("actor")
    assert "Turkey" in differences.index
    assert {"stances (idlib-2020)", "stances (my-records)", "changed", "mix_changed"} <= set(differences.columns)
    assert differences.loc["Russia", "stances (my-records)"] == "deny 1"  # "Moscow denied …" in the upload


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.csv", b"", "the file is empty"),
        ("garbage.csv", bytes(range(256)) * 8, "garbage.csv: cannot read: holds binary data"),
        ("broken.json", b'[{"actor": "NATO", "text": "x"', "the file seems cut off before its end"),
        ("no_text.csv", b"actor,stance\nNATO,support\n", "text: column is missing"),
    ],
)
def test_a_bad_upload_gets_a_clear_message_not_a_traceback(app, name, content, message):
    open_upload_page(app, name, content)
    assert not app.exception
    assert message in app.error[0].value


def test_compare_needs_two_events(app):
    app.run()
    app.switch_page("screens/compare.py").run()
    assert not app.exception
    assert any("Only one event is loaded" in info.value for info in app.info)


# --- The rest of issue 4's bad inputs, through the upload page -------------------------------------------


def upload_and_add(app: AppTest, name: str, content: bytes) -> AppTest:
    """Upload a file, add its valid rows to the session, and return to a fresh run."""
    open_upload_page(app, name, content)
    assert not app.exception
    app.button(key="upload_add").click().run()
    assert not app.exception
    return app


def session_records(app: AppTest):
    return app.session_state["added_records"]


def test_a_header_with_no_rows_reads_as_zero_records_and_offers_nothing_to_add(app):
    open_upload_page(app, "header_only.csv", b"actor,text,stance\n")
    assert not app.exception
    assert any("0 row(s) read, 0 valid, 0 left out" in text.value for text in app.markdown)
    assert not [button for button in app.button if button.key == "upload_add"]


def test_a_workbook_named_csv_is_read_as_excel_and_the_page_says_so(app):
    from dashboard.export import Provenance, to_excel_bytes

    table = __import__("pandas").DataFrame({"actor": ["NATO"], "text": ["NATO condemned the attack."]})
    workbook = to_excel_bytes(table, Provenance(holds="test"))
    open_upload_page(app, "really_excel.csv", workbook)
    assert not app.exception
    assert any("read as XLSX" in caption.value for caption in app.caption)
    assert any("1 row(s) read, 1 valid, 0 left out" in text.value for text in app.markdown)


def test_a_ten_thousand_character_cell_and_mixed_scripts_are_kept_as_written(app):
    long_text = "NATO condemned the attack. " + "x" * 10_000
    odd_text = "Россия\u200b warned Ankara — 土耳其 — تركيا"
    content = (f'actor,text\nNATO,"{long_text}"\nRussia,"{odd_text}"\n').encode()
    upload_and_add(app, "odd_cells.csv", content)
    texts = session_records(app)["text"].tolist()
    assert texts == [long_text, odd_text]


def test_a_nul_byte_in_a_cell_is_a_problem_on_its_row_and_the_other_rows_go_on(app):
    content = b'actor,text\nNATO,"NATO condemned\x00 the attack."\nRussia,"Moscow denied it."\n'
    upload_and_add(app, "nul.csv", content)
    assert session_records(app)["text"].tolist() == ["Moscow denied it."]


def test_html_and_script_tags_in_a_quote_are_shown_as_text_never_as_markup(app):
    content = b'actor,text\nNATO,"<script>alert(1)</script><b>NATO condemned</b> the attack."\n'
    upload_and_add(app, "tags.csv", content)
    app.run()
    app.selectbox(key="event").set_value("tags").run()
    app.switch_page("screens/evidence.py").run()
    assert not app.exception
    bodies = [element.proto.body for element in app.get("html")]
    (card,) = [body for body in bodies if "alert(1)" in body]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;NATO" in card
    assert "<script>" not in card and "<b>" not in card


def test_formula_cells_are_neutralised_in_the_pages_csv_and_excel_files_and_kept_in_json(app):
    """What the Downloads page would hand over, built from the same tables and writers it uses."""
    from dashboard.export import NEUTRALISING_PREFIX, Provenance, export_bytes
    from dashboard.records import read_table_bytes
    from dashboard.views.downloads import downloadable_tables

    content = b'actor,text\nNATO,"=HYPERLINK(""http://x"",""click"")"\nRussia,+cmd|calc\nTurkey,-2+3\nChina,@SUM(1)\n'
    upload_and_add(app, "formulas.csv", content)
    records = session_records(app)
    _, _, table = downloadable_tables(records)["records"]
    for fmt, prefix in (("csv", NEUTRALISING_PREFIX), ("xlsx", NEUTRALISING_PREFIX), ("json", "")):
        back = read_table_bytes(export_bytes(table, Provenance(holds="test"), fmt), f"records.{fmt}")
        expected = ['=HYPERLINK("http://x","click")', "+cmd|calc", "-2+3", "@SUM(1)"]
        assert back["text"].tolist() == [prefix + text for text in expected], fmt


def test_comparing_an_event_with_itself_asks_for_two_different_ones(app):
    upload_and_add(app, "my_records.csv", UPLOADED)
    app.switch_page("screens/compare.py").run()
    app.selectbox(key="compare_right").set_value(app.selectbox(key="compare_left").value).run()
    assert not app.exception
    assert any("Pick two different events" in info.value for info in app.info)


def test_an_uploaded_record_whose_offsets_miss_the_article_is_reported(app):
    from dashboard import DATA_DIR

    lines = (DATA_DIR / "records" / "idlib-2020.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    header, first = lines[0], lines[1]
    # The upload's first record is the curated one; the second is the same with its offsets one off.
    shifted = first.replace("idlib-2020-001", "mine-002", 1)
    start, end = (int(x) for x in first.rstrip("\r\n").rsplit(",", 2)[1:])
    shifted = shifted.rstrip("\r\n").rsplit(",", 2)[0] + f",{start + 1},{end + 1}\n"
    content = (header + first.replace("idlib-2020-001", "mine-001", 1) + shifted).encode("utf-8")
    open_upload_page(app, "offsets.csv", content)
    assert not app.exception
    problems = app.dataframe[-1].value
    assert problems["row"].tolist() == [2]
    assert "differs from the article 'idlib-2020'" in problems["problem"].iloc[0]


def test_a_name_written_as_markdown_is_shown_as_written_never_as_an_image_or_link(app):
    content = b"actor,text\n![x](http://example.org/x.png),The Atlantis delegation condemned the strike.\n"
    open_upload_page(app, "md.csv", content)
    # The reader keeps the unknown name as a new actor (the editor's state, as the browser would send it).
    # Kept as a new actor by default.
    assert any("1 row(s) read, 1 valid, 0 left out" in text.value for text in app.markdown)
    app.button(key="upload_add").click().run()
    app.run()
    app.switch_page("screens/overview.py").run()
    assert not app.exception
    (headline,) = [markdown.value for markdown in app.markdown if "example" in markdown.value]
    assert "\\!\\[x\\]\\(http" in headline  # escaped: Streamlit shows the characters, fetches nothing
    assert "![x](http" not in headline


def test_a_new_actor_kept_with_its_country_code_is_known_to_the_map(app):
    content = (
        b"actor,country code,text\n"
        b"Republic of Redonda,atg,The Republic of Redonda condemned the strike.\n"
        b"Atlantis,,Atlantis was furious.\n"
    )
    open_upload_page(app, "new_states.csv", content)
    shown = [caption.value.replace("\\", "") for caption in app.caption]  # as the page renders it
    assert any("column 'country code' read as 'actor_iso3'" in text for text in shown)
    app.button(key="upload_add").click().run()
    assert not app.exception
    assert app.session_state["added_actors"] == {"Republic of Redonda": "ATG"}  # Atlantis gave no code
    app.run()
    app.switch_page("screens/map_view.py").run()
    assert not app.exception


def test_a_filter_set_under_more_filters_is_named_in_the_sidebar(app):
    app.run()
    assert not any("More filters" in caption.value for caption in app.sidebar.caption)
    linked = AppTest.from_file(APP, default_timeout=TIMEOUT)
    linked.query_params["mode"] = "verbal"
    linked.query_params["polarity"] = ["-0.5", "1.0"]
    linked.run()
    assert not linked.exception
    assert linked.multiselect(key="mode").value == ["verbal"]
    shown = [caption.value for caption in linked.sidebar.caption if "More filters" in caption.value]
    assert shown, [caption.value for caption in linked.sidebar.caption]
    said = shown[0].replace("\\", "")  # the caption escapes Markdown in values from users' files
    assert "mode verbal" in said and "polarity -0.50 to +1.00" in said

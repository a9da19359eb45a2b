"""What a new user tripped on (issue 12), each checked the way they met it: AppTest for the pages, plain
pytest for the pure parts. Sentences are ours."""

import datetime
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.errors import UnreadableFileError
from dashboard.export import record_sources
from dashboard.filters import describe_ignored, ignored_url_values
from dashboard.records import read_table_bytes

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")
TIMEOUT = 60
# No stance column: the rules make every stance of this upload.
UNLABELLED = (
    b"actor,date,text\n"
    b"NATO,2022-02-23,The Alliance condemned the shelling of the border town.\n"
    b"France,2022-02-23,Paris voiced deep concern about the fighting.\n"
)


@pytest.fixture
def app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=TIMEOUT)


def metric(at: AppTest, label: str):
    return next(m for m in at.metric if m.label == label)


def upload_unlabelled(app: AppTest) -> AppTest:
    app.run()
    app.switch_page("screens/upload.py").run()
    app.file_uploader(key="records_upload").upload("unlabelled.csv", UNLABELLED, "text/csv").run()
    app.button(key="upload_add").click().run()
    assert not app.exception
    app.switch_page("screens/overview.py").run()
    app.selectbox(key="event").set_value("unlabelled").run()
    assert not app.exception
    return app


def test_found_by_the_rules_is_not_a_perfect_score_on_stances_the_rules_made(app):
    upload_unlabelled(app)
    found = metric(app, "Found by the rules")
    assert found.value == "—"
    assert "the rules made every stance" in found.proto.help


def test_found_by_the_rules_still_counts_curated_records(app):
    app.run()
    found = metric(app, "Found by the rules").value
    checked = int(found.split("/")[1])
    assert checked == int(metric(app, "Records").value)  # the shipped records are all curated


def test_an_uploaded_events_caption_has_no_empty_part(app):
    upload_unlabelled(app)
    captions = [caption.value.replace("\\", "") for caption in app.caption]  # Markdown escapes removed
    assert any("unlabelled.csv" in caption for caption in captions)
    assert not any("·  ·" in caption or "· ·" in caption for caption in captions), captions


def test_the_records_tooltip_counts_every_event_not_curated_records(app):
    upload_unlabelled(app)
    records = metric(app, "Records")
    assert records.value == "2"
    assert "records in all events" in records.proto.help and "curated" not in records.proto.help


def test_the_hostile_share_tooltip_names_concern_as_the_codebook_does(app):
    app.run()
    assert "concern" in metric(app, "Hostile share").proto.help


def test_bad_url_values_are_named_in_a_notice(app):
    app.query_params["stance"] = ["bogus", "condemn"]
    app.query_params["actor"] = "Nowhere"
    app.run()
    assert not app.exception
    notice = " ".join(warning.value for warning in app.warning)
    assert "bogus" in notice and "Nowhere" in notice and "condemn" not in notice


def test_good_url_values_give_no_notice(app):
    app.query_params["stance"] = "condemn"
    app.run()
    assert not [w for w in app.warning if "left out" in w.value]


def test_ignored_url_values_keep_the_parameter_and_order_asked():
    options = {"actor": ["NATO", "Russia"], "stance": ["condemn", "warn"], "target": [], "mode": ["verbal"]}
    asked = {"stance": ["bogus", "condemn", "bogus"], "actor": ["Nowhere", "NATO", "Atlantis"], "q": ["x"]}
    ignored = ignored_url_values(asked, options)
    assert ignored == {"stance": ["bogus"], "actor": ["Nowhere", "Atlantis"]}
    assert describe_ignored(ignored) == "stance 'bogus'; actor 'Nowhere', 'Atlantis'"
    assert ignored_url_values({"stance": ["warn"]}, options) == {}


def test_a_pdf_upload_is_refused_in_words(app):
    app.run()
    app.switch_page("screens/upload.py").run()
    app.file_uploader(key="records_upload").upload("report.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "application/pdf")
    app.run()
    assert not app.exception
    assert "report.pdf: cannot read: is a PDF document, not a table of records" in app.error[0].value


def test_the_loader_names_a_pdf_too():
    with pytest.raises(UnreadableFileError, match="is a PDF document"):
        read_table_bytes(b"%PDF-1.4", "statement.pdf")


def test_the_method_page_shows_each_definition_in_full(app):
    from dashboard.codebook import load_codebook

    app.run()
    app.switch_page("screens/method.py").run()
    assert not app.exception
    shown = app.table[0].value
    definitions = load_codebook().set_index("stance")["definition"]
    assert shown.loc["warn", "definition"] == definitions["warn"]
    assert max(len(text) for text in definitions) > 100  # long enough that a one-line grid cell cut it


def test_download_sources_name_the_uploaded_file_where_records_give_no_source():
    records = pd.DataFrame(
        {"event": ["idlib-2020", "mine", "mine"], "source": ["Anadolu", "", ""], "text": ["a", "b", "c"]}
    )
    articles = {"mine": SimpleNamespace(source="my_records.csv"), "idlib-2020": SimpleNamespace(source="x")}
    assert record_sources(records, articles) == ("Anadolu", "my_records.csv")
    assert record_sources(records.iloc[:1], articles) == ("Anadolu",)
    assert record_sources(records.iloc[0:0], articles) == ()


def test_an_upload_whose_code_page_cannot_be_told_can_be_read_as_the_reader_chooses(app):
    content = "actor,text\nTurkey,Dışişleri Bakanı saldırıyı kınadı.\n".encode("cp1254")
    app.run()
    app.switch_page("screens/upload.py").run()
    app.file_uploader(key="records_upload").upload("kisa.csv", content, "text/csv").run()
    assert not app.exception
    assert "cp1254 (Turkish, Windows) reads 'Dışişleri … Bakanı'" in app.error[0].value
    app.selectbox(key="upload_encoding").set_value("cp1254").run()
    assert not app.exception and not app.error
    assert any("1 row(s) read, 1 valid, 0 left out" in text.value for text in app.markdown)
    app.button(key="upload_add").click().run()
    assert not app.exception
    added = app.session_state["added_records"]
    assert added["text"].tolist() == ["Dışişleri Bakanı saldırıyı kınadı."]


def test_an_upload_of_one_shift_jis_name_offers_shift_jis_and_reads_it_exactly_when_chosen(app):
    """Four bytes of Japanese: charset-normalizer ranks two Latin readings first; the page must still offer the
    right one (before round 14 it offered only cp1252 and cp1256, so the file could not be read at all)."""
    content = "actor,text\n日本,A statement was issued on Friday.\n".encode("shift_jis")
    app.run()
    app.switch_page("screens/upload.py").run()
    app.file_uploader(key="records_upload").upload("nihon.csv", content, "text/csv").run()
    assert not app.exception
    assert app.error[0].value.startswith("nihon.csv: cannot read: ")
    assert "shift_jis (Japanese, Shift-JIS)" in app.selectbox(key="upload_encoding").options
    app.selectbox(key="upload_encoding").set_value("shift_jis").run()
    assert not app.exception and not app.error
    assert any("1 row(s) read, 1 valid, 0 left out" in text.value for text in app.markdown)
    app.button(key="upload_add").click().run()
    assert app.session_state["added_records"]["actor"].tolist() == ["日本"]


def test_an_article_file_in_a_legacy_code_page_is_read_exactly_on_the_add_an_article_page(app):
    """Detected as tables are (it was "not UTF-8 text"): the name with its diaeresis reaches the records intact."""
    article = (
        "Paris reacts\n\nFrance condemned the attack on the port, said Jean-Noël Barrot, the foreign minister. "
        "Berlin said it was “deeply concerned” about the escalation.\n"
    ).encode("cp1252")
    app.run()
    app.switch_page("screens/add_article.py").run()
    app.get("file_uploader")[0].upload("paris.txt", article, "text/plain")
    app.text_input(key="article_event").set_value("paris-2031")
    app.date_input(key="article_date").set_value(datetime.date(2031, 5, 2))
    app.button(key="extract").click().run()
    assert not app.exception and not app.error
    shown = " ".join(str(frame.value.to_dict()) for frame in app.dataframe)
    assert "Jean-Noël Barrot" in shown and "Ã" not in shown

"""The event library on real disk: read, write, remove, bad slugs, damaged and foreign files, an interrupted
write and two writer processes at once; and `reactions library` through the real command."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dashboard import DATA_DIR, PROJECT_DIR
from dashboard.library import (
    LIBRARY_VARIABLE,
    EventExistsError,
    InvalidSlugError,
    Library,
    LibraryError,
    UnknownEventError,
    knowledge_versions,
    library_root,
    records_to_rescore,
)
from dashboard.records import normalise_records
from dashboard.scoring import load_resources, score_records

# Sentences written for these tests; none is quoted from any source.
ROWS = [
    {"actor": "Turkey", "text": "Ankara strongly condemned the shelling of its border post by Damascus.", "stance": ""},
    {"actor": "NATO", "text": "The Alliance said it stands in solidarity with its member.", "stance": "support"},
    {"actor": "Russia", "text": "Moscow voiced deep concern over the clashes near the border.", "stance": ""},
]
SHIPPED = frozenset({"idlib-2020"})
BAD_SLUGS = ["../evil", "a/b", "a\\b", "..", ".hidden", "", "x", "Upper", "with space", "a" * 42, "-lead", "ok\n"]


@pytest.fixture(scope="module")
def resources():
    return load_resources()


@pytest.fixture(scope="module")
def scored(resources):
    table = pd.DataFrame(ROWS).assign(note=["first", "second", "third"], date="2024-05-01")
    return score_records(normalise_records(table, resources.registry), resources)


@pytest.fixture
def library(tmp_path) -> Library:
    return Library(tmp_path / "library", shipped=SHIPPED)


def file_bytes(library: Library) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(library.events_dir.glob("*"))}


# --- Where it lives ---


def test_the_location_comes_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv(LIBRARY_VARIABLE, str(tmp_path / "mine"))
    assert library_root() == tmp_path / "mine"


def test_by_default_it_lives_in_the_users_data_folder(tmp_path, monkeypatch):
    import platformdirs

    monkeypatch.delenv(LIBRARY_VARIABLE, raising=False)
    monkeypatch.setattr(platformdirs, "user_data_path", lambda name, appauthor=None: tmp_path / "user" / name)
    assert library_root() == tmp_path / "user" / "diplomatic-reactions" / "library"


@pytest.mark.parametrize("inside", [".", "records", "library"])
def test_it_never_lives_in_data(monkeypatch, inside):
    monkeypatch.setenv(LIBRARY_VARIABLE, str(DATA_DIR / inside))
    with pytest.raises(LibraryError, match="data/"):
        library_root()


def test_a_file_where_the_folder_should_be_is_refused_in_words(tmp_path, monkeypatch, scored):
    (tmp_path / "a-file").write_text("not a folder")
    monkeypatch.setenv(LIBRARY_VARIABLE, str(tmp_path / "a-file"))
    with pytest.raises(LibraryError, match="not a folder"):
        library_root()
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "events").write_text("a file named like the events folder")
    with pytest.raises(LibraryError, match="cannot be written"):
        Library(tmp_path / "lib", shipped=SHIPPED).add(scored, "some-event")
    rows = tmp_path / "rows.csv"
    pd.DataFrame(ROWS).to_csv(rows, index=False)
    for where in (tmp_path / "a-file", tmp_path / "lib"):
        result = reactions("library", "add", str(rows), "--event", "some-event", "--jobs", "1", library_dir=where)
        assert result.returncode == 1 and "internal error" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr


# --- Read, write, remove ---


def test_an_added_event_reads_back_with_its_scores_versions_and_extra_columns(library, scored):
    info = library.add(scored, "border-2024", title="Border shelling", source="notes.csv")
    assert (info.slug, info.records, info.title, info.first_date) == ("border-2024", 3, "Border shelling", "2024-05-01")
    assert info.codebook_version == knowledge_versions()["codebook"]
    assert info.lexicon_version == knowledge_versions()["lexicon"]
    assert info.actors == ("NATO", "Russia", "Turkey")
    stored = library.read_event("border-2024").records
    assert stored["event"].unique().tolist() == ["border-2024"]
    for column in ("text", "stance", "target", "polarity", "intensity", "cameo", "stance_source", "stance_found"):
        assert stored[column].tolist() == scored[column].tolist(), column
    assert [json.loads(cell)["note"] for cell in stored["extra"]] == ["first", "second", "third"]
    # An open format: DuckDB reads the file as it is.
    import duckdb

    query = "select count(*) from read_parquet(?) where stance = 'condemn'"
    count = duckdb.connect().execute(query, [info.path]).fetchone()[0]
    assert count == int((scored["stance"] == "condemn").sum()) > 0


def test_stored_records_stored_again_keep_their_extra_columns_and_are_readable_by_all(library, scored):
    library.add(scored, "first-event")
    copied = library.read_event("first-event").records
    info = library.add(copied, "copied-event")
    again = library.read_event("copied-event").records
    assert [json.loads(cell)["note"] for cell in again["extra"]] == ["first", "second", "third"]
    assert os.stat(info.path).st_mode & 0o777 == 0o644  # a server running as another user reads it


def test_events_are_listed_and_removed(library, scored):
    library.add(scored, "first-event")
    library.add(scored, "second-event")
    assert [info.slug for info in library.events()[0]] == ["first-event", "second-event"]
    library.remove("first-event")
    assert [info.slug for info in library.events()[0]] == ["second-event"]
    with pytest.raises(UnknownEventError):
        library.remove("first-event")


def test_a_taken_slug_is_refused_unless_replaced(library, scored):
    library.add(scored, "one-event", title="old")
    with pytest.raises(EventExistsError):
        library.add(scored.head(1), "one-event")
    assert library.read_event("one-event").info.title == "old"
    library.add(scored.head(1), "one-event", title="new", replace=True)
    assert (library.read_event("one-event").info.title, len(library.read_event("one-event").records)) == ("new", 1)


def test_the_shipped_event_can_be_neither_added_nor_removed(library, scored):
    with pytest.raises(EventExistsError, match="shipped"):
        library.add(scored, "idlib-2020", replace=True)
    with pytest.raises(UnknownEventError, match="shipped"):
        library.remove("idlib-2020")
    assert not library.events_dir.exists() or not any(library.events_dir.iterdir())


@pytest.mark.parametrize("slug", BAD_SLUGS)
def test_bad_slugs_are_refused_and_nothing_is_written(library, scored, tmp_path, slug):
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    with pytest.raises(InvalidSlugError):
        library.add(scored, slug)
    with pytest.raises(InvalidSlugError):
        library.remove(slug)
    with pytest.raises(InvalidSlugError):
        library.read_event(slug)
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before


def test_rescore_reads_the_rules_stances_again_and_keeps_the_curated_ones(library, scored, resources):
    changed = scored.copy()
    # As if an older lexicon had read the first sentence as a warning: the rules' stance is stale.
    changed.loc[0, ["stance", "predicted_stance"]] = "warn"
    library.add(changed, "stale-event", versions={"codebook": "0.9", "lexicon": "old"})
    assert library.events()[0][0].lexicon_version == "old"
    done = library.rescore(resources, knowledge_versions())
    assert done == [("stale-event", 3)]
    event = library.read_event("stale-event")
    assert event.info.lexicon_version == knowledge_versions()["lexicon"]
    assert event.records["stance"].tolist() == scored["stance"].tolist()  # condemn again, support kept
    assert event.records["stance_source"].tolist() == ["predicted", "curated", "predicted"]
    assert records_to_rescore(event.records)["note"].tolist() == ["first", "second", "third"]


def test_rescore_lets_other_writers_in_while_it_scores_and_keeps_what_they_wrote(
    library, scored, resources, monkeypatch
):
    import dashboard.library as library_module

    library.add(scored, "first-event", versions={"codebook": "0.9", "lexicon": "old"})
    library.add(scored, "second-event", versions={"codebook": "0.9", "lexicon": "old"})
    # A writer waiting for a lock the rescore held would give up at once, not after two minutes.
    monkeypatch.setattr(library_module, "LOCK_TIMEOUT_S", 0.5)
    other = Library(library.root, shipped=SHIPPED)

    def score_while_others_write(records):
        if records["event"].iloc[0] == "first-event":
            other.add(scored.head(1), "added-meanwhile")  # the library is not locked while the rescore scores
        if records["event"].iloc[0] == "second-event":  # replaced after the rescore read it
            other.add(scored.head(2), "second-event", title="newer", replace=True)
        return score_records(records, resources)

    changed: list[str] = []
    done = library.rescore(resources, knowledge_versions(), score=score_while_others_write, changed=changed)
    assert done == [("first-event", 3)] and changed == ["second-event"]
    assert library.read_event("first-event").info.lexicon_version == knowledge_versions()["lexicon"]
    newer = library.read_event("second-event")
    assert (newer.info.title, len(newer.records)) == ("newer", 2)  # what the other writer wrote, not overwritten
    assert [info.slug for info in library.events()[0]] == ["added-meanwhile", "first-event", "second-event"]


# --- Foreign and damaged files ---


def test_foreign_and_damaged_files_are_reported_and_skipped(library, scored, tmp_path):
    library.add(scored, "good-event")
    events = library.events_dir
    (events / "notes.txt").write_text("not an event")
    (events / "garbage.parquet").write_bytes(b"PAR1 this is not parquet")
    pq.write_table(pa.table({"a": [1, 2]}), events / "foreign.parquet")
    good = (events / "good-event.parquet").read_bytes()
    (events / "truncated.parquet").write_bytes(good[: len(good) // 2])
    other = pq.read_table(events / "good-event.parquet")
    pq.write_table(other, events / "renamed-copy.parquet")  # metadata names good-event
    (events / "Bad..Name.parquet").write_bytes(good)
    listed, skipped = library.events()
    assert [info.slug for info in listed] == ["good-event"]
    reasons = {Path(skip.path).name: skip.reason for skip in skipped}
    assert set(reasons) == {
        "notes.txt",
        "garbage.parquet",
        "foreign.parquet",
        "truncated.parquet",
        "renamed-copy.parquet",
        "Bad..Name.parquet",
    }
    assert "not a readable Parquet file" in reasons["garbage.parquet"]
    assert "did not write" in reasons["foreign.parquet"]
    assert "another event" in reasons["renamed-copy.parquet"]
    stored, skipped_too = library.read_all()
    assert [event.info.slug for event in stored] == ["good-event"]
    assert len(skipped_too) == len(skipped)


def test_a_file_damaged_inside_is_skipped_when_read(library, scored):
    info = library.add(scored, "good-event")
    library.add(scored, "hurt-event")
    path = library.path_of("hurt-event")
    data = bytearray(path.read_bytes())
    footer_length = int.from_bytes(data[-8:-4], "little")
    # Scribble over the data pages, leaving the footer (and so the listing) intact.
    data[4 : len(data) - footer_length - 8] = b"\xff" * (len(data) - footer_length - 12)
    path.write_bytes(bytes(data))
    stored, skipped = library.read_all()
    assert [event.info.slug for event in stored] == [info.slug]
    assert [Path(skip.path).name for skip in skipped] == ["hurt-event.parquet"]


def scribble_over_the_records(path: Path, byte: int = 0xFF) -> None:
    """Overwrite a Parquet file's data pages, leaving its footer (and so its listing) intact."""
    data = bytearray(path.read_bytes())
    footer_length = int.from_bytes(data[-8:-4], "little")
    data[4 : len(data) - footer_length - 8] = bytes([byte]) * (len(data) - footer_length - 12)
    path.write_bytes(bytes(data))


def test_a_file_damaged_inside_is_reported_and_skipped_by_the_listing_too(library, scored):
    library.add(scored, "good-event")
    library.add(scored, "hurt-event")
    scribble_over_the_records(library.path_of("hurt-event"))
    listed, skipped = library.events()
    described, skipped_too = library.described()
    assert [info.slug for info in listed] == [event.info.slug for event in described] == ["good-event"]
    for found in (skipped, skipped_too):
        assert [Path(skip.path).name for skip in found] == ["hurt-event.parquet"]
        assert "damaged since it was saved" in found[0].reason


def test_one_changed_character_in_a_stored_text_is_found(library, scored, monkeypatch):
    class Uncompressed(pq.ParquetWriter):
        def __init__(self, where, schema, **options):
            super().__init__(where, schema, **{**options, "compression": "none"})

    # Uncompressed, so that the text lies in the file as written and a changed letter still reads as Parquet.
    monkeypatch.setattr(pq, "ParquetWriter", Uncompressed)
    library.add(scored, "quiet-event")
    path = library.path_of("quiet-event")
    assert library.events()[1] == []
    data = path.read_bytes()
    path.write_bytes(data.replace(b"Ankara strongly", b"Ankara strangly"))
    assert pq.read_table(path).column("text")[0].as_py().startswith("Ankara strangly")  # readable, yet altered
    assert [Path(skip.path).name for skip in library.events()[1]] == ["quiet-event.parquet"]


# --- An interrupted write leaves the library as it was ---


def test_a_write_that_fails_half_way_leaves_the_library_as_it_was(library, scored, monkeypatch):
    library.add(scored, "kept-event", title="before")
    before = file_bytes(library)
    real_write = pq.ParquetWriter.write_table

    def half_then_fail(writer, table, *args, **kwargs):
        real_write(writer, table.slice(0, 1), *args, **kwargs)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pq.ParquetWriter, "write_table", half_then_fail)
    with pytest.raises(OSError):
        library.add(scored, "kept-event", title="after", replace=True)
    with pytest.raises(OSError):
        library.add(scored, "new-event")
    assert file_bytes(library) == before
    assert list((library.root / ".incoming").iterdir()) == []


KILLED_WRITER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    import pandas as pd
    import pyarrow.parquet as pq
    from dashboard.library import Library

    root, marker = sys.argv[1], Path(sys.argv[2])
    real_write = pq.ParquetWriter.write_table

    def write_half_then_hang(writer, table, *args, **kwargs):
        real_write(writer, table.slice(0, 1), *args, **kwargs)
        marker.write_text("half written")
        time.sleep(600)  # killed here, mid-write

    pq.ParquetWriter.write_table = write_half_then_hang
    scored = pd.read_pickle(sys.argv[3])
    Library(root, shipped=frozenset()).add(scored, "kept-event", title="after", replace=True)
    """
)


def test_a_writer_killed_mid_write_leaves_the_library_as_it_was(library, scored, tmp_path):
    library.add(scored, "kept-event", title="before")
    before = file_bytes(library)
    frame = tmp_path / "scored.pkl"
    scored.to_pickle(frame)
    marker = tmp_path / "marker"
    child = subprocess.Popen(
        [sys.executable, "-c", KILLED_WRITER, str(library.root), str(marker), str(frame)], cwd=PROJECT_DIR
    )
    try:
        deadline = time.monotonic() + 120
        while not marker.exists():
            assert child.poll() is None, "the writer died before it started writing"
            assert time.monotonic() < deadline, "the writer never started writing"
            time.sleep(0.05)
        leftovers = list((library.root / ".incoming").iterdir())
        assert len(leftovers) == 1  # the half-written file is there, outside events/
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert file_bytes(library) == before
    assert library.read_event("kept-event").info.title == "before"
    # The next writer takes the lock the dead one held (the kernel released it) and clears its leftover.
    library.add(scored, "next-event")
    assert list((library.root / ".incoming").iterdir()) == []
    assert [info.slug for info in library.events()[0]] == ["kept-event", "next-event"]


# --- Two writer processes at once ---

WRITER = textwrap.dedent(
    """
    import sys
    import pandas as pd
    from dashboard.library import EventExistsError, Library

    root, name, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
    scored = pd.read_pickle(sys.argv[4])
    library = Library(root, shipped=frozenset())
    for n in range(rounds):
        library.add(scored.assign(note=f"{name}-{n}"), f"{name}-{n}")
        library.add(scored.assign(note=f"{name}-{n}"), "shared-event", title=f"{name}-{n}", replace=True)
        if n % 2:
            library.remove(f"{name}-{n - 1}")
    try:
        library.add(scored, "contested-event")
        print("added")
    except EventExistsError:
        print("refused")
    """
)


def test_two_writer_processes_at_once_never_corrupt_the_library(library, scored, tmp_path):
    frame = tmp_path / "scored.pkl"
    scored.to_pickle(frame)
    rounds = 6
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(library.root), name, str(rounds), str(frame)],
            cwd=PROJECT_DIR,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("left", "right")
    ]
    # A reader meanwhile: every event it sees reads whole, never half-written.
    while any(writer.poll() is None for writer in writers):
        stored, skipped = library.read_all()
        assert skipped == []
        assert all(len(event.records) == len(scored) for event in stored)
        time.sleep(0.02)
    outputs = [writer.communicate(timeout=60) for writer in writers]
    for writer, (_, err) in zip(writers, outputs, strict=True):
        assert writer.returncode == 0, err
    assert sorted(out.strip() for out, _ in outputs) == ["added", "refused"]
    events, skipped = library.events()
    assert skipped == []
    expected = {f"{name}-{n}" for name in ("left", "right") for n in range(1, rounds, 2)}
    assert {info.slug for info in events} == expected | {"shared-event", "contested-event"}
    for info in events:
        records = library.read_event(info.slug).records
        assert len(records) == len(scored)
        if info.slug.startswith(("left", "right")):
            assert {json.loads(c)["note"] for c in records["extra"]} == {info.slug}
    shared = library.read_event("shared-event")
    assert shared.info.title in {f"{name}-{rounds - 1}" for name in ("left", "right")}
    assert {json.loads(c)["note"] for c in shared.records["extra"]} == {shared.info.title}
    assert list((library.root / ".incoming").iterdir()) == []


# --- The real command ---


def reactions(*args: str, library_dir: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, LIBRARY_VARIABLE: str(library_dir)}
    return subprocess.run(
        [sys.executable, "-m", "dashboard.cli", *args], cwd=PROJECT_DIR, env=env, capture_output=True, text=True
    )


def test_the_library_commands_add_list_rescore_and_remove(tmp_path):
    rows = tmp_path / "border.csv"
    pd.DataFrame(ROWS).to_csv(rows, index=False)
    where = tmp_path / "lib"
    added = reactions(
        "library", "add", str(rows), "--event", "border-2024", "--title", "Border", "--date", "2024-05-01",
        library_dir=where,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert "border-2024: 3 record(s)" in added.stdout
    listed = reactions("library", "list", library_dir=where)
    assert listed.returncode == 0
    lines = [line.split("\t") for line in listed.stdout.splitlines()]
    assert lines[0][0] == "idlib-2020" and lines[0][3].endswith("(shipped)")
    assert lines[1][:4] == ["border-2024", "3", "2024-05-01", "Border"]
    versions = knowledge_versions()
    assert lines[1][4] == f"codebook {versions['codebook']}, lexicon {versions['lexicon']}"
    stored = Library(where).read_event("border-2024").records
    assert stored["date"].unique().tolist() == ["2024-05-01"]  # undated records take --date
    assert stored.loc[0, "stance"] == "condemn" and stored.loc[0, "stance_source"] == "predicted"
    again = reactions("library", "add", str(rows), "--event", "border-2024", library_dir=where)
    assert again.returncode == 1 and "in the library already" in again.stderr
    rescored = reactions("library", "rescore", library_dir=where)
    assert rescored.returncode == 0 and "border-2024: 3 record(s) scored again" in rescored.stdout
    removed = reactions("library", "remove", "border-2024", library_dir=where)
    assert removed.returncode == 0
    assert [line.split("\t")[0] for line in reactions("library", "list", library_dir=where).stdout.splitlines()] == [
        "idlib-2020"
    ]


@pytest.mark.parametrize("slug", ["../evil", "a/b", "Upper"])
def test_the_command_refuses_a_bad_slug_with_one_line(tmp_path, slug):
    rows = tmp_path / "rows.csv"
    pd.DataFrame(ROWS).to_csv(rows, index=False)
    result = reactions("library", "add", str(rows), "--event", slug, library_dir=tmp_path / "lib")
    assert result.returncode == 1
    assert "not a valid event slug" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "evil").exists() and not (tmp_path / "lib" / "events" / "a").exists()


def test_an_event_given_empty_is_refused_not_named_after_the_file(tmp_path):
    rows = tmp_path / "rows.csv"
    pd.DataFrame(ROWS).to_csv(rows, index=False)
    result = reactions("library", "add", str(rows), "--event", "", library_dir=tmp_path / "lib")
    assert result.returncode == 1 and "'' is not a valid event slug" in result.stderr
    assert not (tmp_path / "lib" / "events" / "rows.parquet").exists()


def test_add_reads_a_legacy_encoding_as_told_and_lists_an_untitled_event_by_its_file(tmp_path):
    # Written for this test in Turkish, saved in the Windows Turkish code page.
    rows = tmp_path / "sınır.csv"
    rows.write_bytes("actor,text\nTurkey,Ankara sınırdaki saldırıyı kınadı.\n".encode("cp1254"))
    added = reactions("library", "add", str(rows), "--event", "sinir", "--encoding", "cp1254", library_dir=tmp_path)
    assert added.returncode == 0, added.stderr
    assert Library(tmp_path).read_event("sinir").records["text"].tolist() == ["Ankara sınırdaki saldırıyı kınadı."]
    listed = [line.split("\t") for line in reactions("library", "list", library_dir=tmp_path).stdout.splitlines()]
    assert listed[1][:4] == ["sinir", "1", "-", "sınır.csv"]


def test_list_names_the_knowledge_that_scored_an_event_and_rescore_brings_it_to_the_current(tmp_path):
    rows = tmp_path / "rows.csv"
    pd.DataFrame(ROWS).to_csv(rows, index=False)
    assert reactions("library", "add", str(rows), "--event", "watch", library_dir=tmp_path / "lib").returncode == 0
    # A copy of the data folder where "voiced ... concern" (the third row's cue) reads as a condemnation.
    changed = tmp_path / "data"
    shutil.copytree(DATA_DIR, changed)
    lexicon = changed / "cue_lexicon.csv"
    before = lexicon.read_text(encoding="utf-8")
    after = before.replace(
        "cue,voic* ~ concern|concerns,concern,pessimistic_comment,1.0,yes",
        "cue,voic* ~ concern|concerns,condemn,criticize_denounce,1.0,yes",
    )
    assert after != before
    lexicon.write_text(after, encoding="utf-8")

    def run(*args):
        env = {**os.environ, LIBRARY_VARIABLE: str(tmp_path / "lib"), "REACTIONS_DATA_DIR": str(changed)}
        return subprocess.run(
            [sys.executable, "-m", "dashboard.cli", *args], cwd=PROJECT_DIR, env=env, capture_output=True, text=True
        )

    new = knowledge_versions(changed)
    stale = run("library", "list").stdout.splitlines()[1].split("\t")[4]
    assert f"lexicon {knowledge_versions()['lexicon']}" in stale and "rescore" in stale
    assert run("library", "rescore").returncode == 0
    fresh = run("library", "list").stdout.splitlines()[1].split("\t")[4]
    assert fresh == f"codebook {new['codebook']}, lexicon {new['lexicon']}"
    event = Library(tmp_path / "lib").read_event("watch")
    assert event.info.lexicon_version == new["lexicon"]
    assert event.records["stance"].tolist()[2] == "condemn"


def test_the_command_reports_invalid_rows_and_stores_nothing(tmp_path):
    rows = tmp_path / "rows.csv"
    pd.DataFrame([{"actor": "", "text": "A sentence without an actor."}]).to_csv(rows, index=False)
    result = reactions("library", "add", str(rows), "--event", "bad-rows", library_dir=tmp_path / "lib")
    assert result.returncode == 1 and "row 1: actor" in result.stderr
    assert not (tmp_path / "lib" / "events" / "bad-rows.parquet").exists()


def test_list_reports_a_damaged_file_and_goes_on(tmp_path):
    events = tmp_path / "lib" / "events"
    events.mkdir(parents=True)
    (events / "broken.parquet").write_bytes(b"not parquet")
    result = reactions("library", "list", library_dir=tmp_path / "lib")
    assert result.returncode == 0
    assert "broken.parquet: skipped: not a readable Parquet file" in result.stderr
    assert result.stdout.startswith("idlib-2020\t")


# --- The seed's stored scores ---


def test_the_seed_scores_are_stored_once_and_read_as_scored(tmp_path, monkeypatch):
    from dashboard import DATA_DIR
    from dashboard.records import load_curated_records
    from dashboard.scoring import load_resources, score_records
    from dashboard.seed_cache import CACHE_VARIABLE, stored_seed_scores

    monkeypatch.setenv(CACHE_VARIABLE, str(tmp_path / "cache"))
    resources = load_resources()
    calls = []

    def score():
        calls.append(1)
        return score_records(load_curated_records(resources.registry), resources)

    first = stored_seed_scores(DATA_DIR, score)
    again = stored_seed_scores(DATA_DIR, score)
    assert len(calls) == 1 and len(list((tmp_path / "cache").glob("seed-scores-*.parquet"))) == 1
    pd.testing.assert_frame_equal(again, first)  # every column, value and dtype a rescoring gives
    pd.testing.assert_frame_equal(again, score())


def test_changed_data_or_an_unusable_cache_scores_again(tmp_path, monkeypatch):
    from dashboard import DATA_DIR
    from dashboard.seed_cache import CACHE_VARIABLE, seed_scores_digest, stored_seed_scores

    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    before = seed_scores_digest(data)
    with open(data / "cue_lexicon.csv", "a", encoding="utf-8") as handle:
        handle.write("\n")
    assert seed_scores_digest(data) != before
    frame = pd.DataFrame({"id": ["a"], "stance": ["condemn"]})
    (tmp_path / "not-a-folder").write_text("x")
    monkeypatch.setenv(CACHE_VARIABLE, str(tmp_path / "not-a-folder"))
    assert stored_seed_scores(data, lambda: frame) is frame  # cannot store: scored, and nothing raised
    monkeypatch.setenv(CACHE_VARIABLE, str(tmp_path / "cache"))
    stored_seed_scores(data, lambda: frame)
    (stored,) = (tmp_path / "cache").glob("seed-scores-*.parquet")
    stored.write_bytes(b"damaged")
    assert stored_seed_scores(data, lambda: frame) is frame  # a damaged copy is scored again, and replaced
    pd.testing.assert_frame_equal(stored_seed_scores(data, lambda: None), frame)

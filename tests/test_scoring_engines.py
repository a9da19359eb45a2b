"""Scoring on several processes, on a real Dask LocalCluster, from folders, globs and Parquet, long cells, and
progress on a terminal only. The values must be the one-process engine's, row for row."""

from __future__ import annotations

import io
import subprocess
import sys

import pandas as pd
import pytest

from dashboard import PROJECT_DIR
from dashboard.cli import main
from dashboard.progress import terminal_progress, wants_progress
from dashboard.records import normalise_records
from dashboard.scoring import RULES_MAX_CHARS, load_resources, rules_part, score_records
from dashboard.scoring_pool import scoring_pool
from tests.distinct_sentences import distinct_sentences


@pytest.fixture(scope="module")
def resources():
    return load_resources()


def _table(count: int, start: int = 0) -> pd.DataFrame:
    pairs = list(distinct_sentences(count, seed=start))
    return pd.DataFrame(
        {"id": [f"r{start + i}" for i in range(count)], "actor": [a for _, a in pairs], "text": [t for t, _ in pairs]}
    )


def test_a_process_pool_scores_as_one_process_does(resources):
    records = normalise_records(_table(300), resources.registry)
    records.loc[0, "stance"] = "support"  # a curated row among predicted ones
    alone = score_records(records, resources)
    seen = []
    with scoring_pool(resources, 2, start_method="spawn") as pool:
        pooled = score_records(records, resources, lambda done, total: seen.append((done, total)), pool)
    pd.testing.assert_frame_equal(alone, pooled)
    assert seen[-1] == (300, 300) and len(seen) > 0


def test_a_cell_past_the_limit_is_read_on_its_first_part_with_a_note(resources):
    sentence = "Turkey condemned Syria over the shelling of a border town. "
    text = sentence * (RULES_MAX_CHARS // len(sentence) + 50)
    part, note = rules_part(text)
    assert len(part) <= RULES_MAX_CHARS and text.startswith(part) and part.endswith("town.")
    assert note == f"the stance rules read the first {len(part):,} of {len(text):,} characters"
    scored = score_records(pd.DataFrame({"actor": ["Turkey", "Turkey"], "text": [text, sentence]}), resources)
    assert scored["scoring_note"].tolist() == [note, ""]
    assert scored["predicted_stance"].tolist() == ["condemn", "condemn"]
    assert rules_part(sentence) == (sentence, "")


def _write_inputs(folder):
    _table(40, 0).to_csv(folder / "a.csv", index=False)
    _table(30, 100).to_json(folder / "b.jsonl", orient="records", lines=True)
    _table(25, 200).to_parquet(folder / "c.parquet", index=False)
    (folder / "notes.md").write_text("not a table")


def test_score_reads_a_folder_a_glob_and_parquet_and_writes_parquet(tmp_path, resources):
    inputs = tmp_path / "in"
    inputs.mkdir()
    _write_inputs(inputs)
    assert main(["score", str(inputs), "-o", str(tmp_path / "all.parquet"), "--quiet"]) == 0
    everything = pd.read_parquet(tmp_path / "all.parquet")
    assert len(everything) == 95 and everything["id"].tolist()[:2] == ["r0", "r1"]
    assert main(["score", str(inputs / "*.csv"), "-o", str(tmp_path / "csv.csv"), "--quiet", "--jobs", "2"]) == 0
    from_csv = pd.read_csv(tmp_path / "csv.csv", dtype=str, keep_default_na=False)
    assert from_csv["id"].tolist() == everything["id"].tolist()[:40]
    assert from_csv["stance"].tolist() == everything["stance"].tolist()[:40]
    assert main(["score", str(inputs / "c.parquet"), "-o", str(tmp_path / "c.csv"), "--quiet"]) == 0
    assert pd.read_csv(tmp_path / "c.csv")["id"].tolist() == everything["id"].tolist()[70:]


def test_score_refuses_an_empty_glob_and_a_folder_without_tables(tmp_path, capsys):
    assert main(["score", str(tmp_path / "*.csv"), "--quiet"]) == 2
    assert "no file matches this pattern" in capsys.readouterr().err
    assert main(["score", str(tmp_path), "--quiet"]) == 2
    assert "holds no table file" in capsys.readouterr().err


@pytest.mark.slow
def test_the_dask_engine_writes_the_local_engines_values_row_for_row(tmp_path, monkeypatch):
    """A real LocalCluster with 2 worker processes; parts of 30 rows, so several parts and both workers."""
    from dashboard import dask_engine

    monkeypatch.setattr(dask_engine, "PART_ROWS", 30)
    inputs = tmp_path / "in"
    inputs.mkdir()
    _write_inputs(inputs)
    local, dask = tmp_path / "local.parquet", tmp_path / "dask.parquet"
    assert main(["score", str(inputs), "-o", str(local), "--quiet"]) == 0
    assert main(["score", str(inputs), "-o", str(dask), "--engine", "dask", "--workers", "2", "--quiet"]) == 0
    parts = sorted(path.name for path in dask.iterdir())
    assert parts == [f"part-{n:05d}.parquet" for n in range(4)]
    pd.testing.assert_frame_equal(pd.read_parquet(local), pd.read_parquet(dask))
    # DuckDB reads the dataset folder as one table too.
    import duckdb

    assert duckdb.sql(f"select count(*) from read_parquet('{dask}/*.parquet')").fetchall() == [(95,)]


def test_the_dask_engine_refuses_an_output_that_is_not_a_new_parquet_folder(tmp_path, capsys):
    source = tmp_path / "a.csv"
    _table(3).to_csv(source, index=False)
    assert main(["score", str(source), "-o", str(tmp_path / "out.csv"), "--engine", "dask", "--quiet"]) == 2
    assert "give -o NAME.parquet" in capsys.readouterr().err
    taken = tmp_path / "taken.parquet"
    taken.mkdir()
    (taken / "part-00000.parquet").write_text("x")
    assert main(["score", str(source), "-o", str(taken), "--engine", "dask", "--quiet"]) == 2
    assert "not an empty folder" in capsys.readouterr().err


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_drawn_on_a_terminal_only_and_never_when_quiet():
    terminal, pipe = _Terminal(), io.StringIO()
    with terminal_progress("Scoring", stream=terminal) as progress:
        progress(50, 100)
        progress(100, 100)
    assert "Scoring" in terminal.getvalue() and "100/100" in terminal.getvalue()
    for stream, quiet in ((pipe, False), (_Terminal(), True)):
        with terminal_progress("Scoring", quiet=quiet, stream=stream) as progress:
            assert progress is None
        assert stream.getvalue() == ""
    assert wants_progress(False, _Terminal()) and not wants_progress(True, _Terminal())


def test_reactions_score_prints_no_progress_into_a_pipe(tmp_path):
    source = tmp_path / "a.csv"
    _table(120).to_csv(source, index=False)
    done = subprocess.run(
        [sys.executable, "-m", "dashboard.cli", "score", str(source)],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stderr == "" and len(pd.read_csv(io.StringIO(done.stdout))) == 120


@pytest.mark.slow
def test_the_upload_page_scores_a_long_file_in_worker_processes(resources):
    """score_with_progress (the upload and article pages) sends a long file to the pool: the server process only
    waits. Run bare (no Streamlit server): the same values as scoring in one process, and live workers."""
    from dashboard import DATA_DIR
    from dashboard.views.common import PROGRESS_BAR_FROM, score_with_progress, scoring_pool_for

    records = normalise_records(_table(PROGRESS_BAR_FROM + 50), resources.registry)
    scored = score_with_progress(records, str(DATA_DIR))
    pd.testing.assert_frame_equal(scored, score_records(records, resources))
    pool = scoring_pool_for(str(DATA_DIR))
    assert pool._processes and all(process.is_alive() for process in pool._processes.values())

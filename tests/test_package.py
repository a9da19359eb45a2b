"""The package as a user installs it: a wheel (not editable) in a fresh venv scores a file and serves the
dashboard with `reactions app`; every knowledge file honours REACTIONS_DATA_DIR; nothing is read at import."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import sysconfig
import textwrap
import time
import urllib.request
from pathlib import Path

import pandas as pd
import pytest

from dashboard import DATA_DIR, PROJECT_DIR
from dashboard.cli import streamlit_config_flags

ROWS = "actor,text\nFrance,Paris condemned the strike on the convoy.\nNATO,The Alliance voiced deep concern.\n"
# Polling the health endpoint; the deadline only bounds a failure, it is not a timing assertion.
SERVER_START_DEADLINE_S = 90


def clean_env(**extra: str) -> dict[str, str]:
    """The environment without anything that would let the checkout stand in for the installed package."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "REACTIONS_DATA_DIR", "VIRTUAL_ENV")}
    return {**env, **extra}


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh venv holding the project's wheel (built from this checkout, installed without its
    dependencies); the dependencies come from the test venv's site-packages, and nothing else does."""
    root = tmp_path_factory.mktemp("installed")
    wheels = root / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(wheels), str(PROJECT_DIR)],
        check=True,
        capture_output=True,
        env=clean_env(),
    )
    shutil.rmtree(PROJECT_DIR / "build", ignore_errors=True)  # setuptools' scratch folder in the checkout
    (wheel,) = wheels.glob("diplomatic_reactions-*.whl")
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--quiet", str(wheel)],
        check=True,
        capture_output=True,
        env=clean_env(),
    )
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    # The dependencies (pandas, streamlit, ...) without reinstalling them: a path line, not a site folder, so
    # the checkout's editable-install hook in there is never run.
    (Path(purelib) / "test_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    return venv


def run_installed(venv: Path, *args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(venv / "bin" / "reactions"), *args], cwd=cwd, env=clean_env(**env), capture_output=True, text=True
    )


@pytest.mark.slow
def test_the_installed_wheel_imports_from_itself_and_carries_the_knowledge(installed, tmp_path):
    probe = textwrap.dedent(
        """
        import json, dashboard
        from importlib.resources import files
        data = files("dashboard") / "data"
        print(json.dumps({"package": dashboard.__file__, "data": str(dashboard.DATA_DIR),
                          "files": sorted(p.name for p in data.iterdir())}))
        """
    )
    found = json.loads(
        subprocess.run(
            [str(installed / "bin" / "python"), "-c", probe],
            cwd=tmp_path,
            env=clean_env(),
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    assert found["package"].startswith(str(installed)), found["package"]
    assert found["data"].startswith(str(installed))
    # Every file of the repository's data/ folder is in the wheel (a new data/*.csv is packaged by the glob).
    assert set(found["files"]) == {path.name for path in DATA_DIR.iterdir()}


@pytest.mark.slow
def test_the_installed_wheel_scores_a_file_and_describes_its_csv(installed, tmp_path):
    (tmp_path / "rows.csv").write_text(ROWS, encoding="utf-8")
    done = run_installed(installed, "score", "rows.csv", "-o", "scored.csv", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    scored = pd.read_csv(tmp_path / "scored.csv")
    assert scored["stance"].tolist() == ["condemn", "concern"]
    meta = json.loads((tmp_path / "scored.csv-metadata.json").read_text(encoding="utf-8"))
    assert meta["url"] == "scored.csv"


@pytest.mark.slow
def test_the_installed_wheel_honours_reactions_data_dir(installed, tmp_path):
    knowledge = tmp_path / "knowledge"
    shutil.copytree(DATA_DIR, knowledge)
    codebook = knowledge / "codebook.csv"
    text = codebook.read_text(encoding="utf-8")
    codebook.write_text(
        "\n".join("# version: 99.9-test" if line.startswith("# version:") else line for line in text.splitlines())
        + "\n",
        encoding="utf-8",
    )
    (tmp_path / "rows.csv").write_text(ROWS, encoding="utf-8")
    done = run_installed(
        installed, "score", "rows.csv", "-o", "scored.csv", cwd=tmp_path, REACTIONS_DATA_DIR=str(knowledge)
    )
    assert done.returncode == 0, done.stderr
    meta = json.loads((tmp_path / "scored.csv-metadata.json").read_text(encoding="utf-8"))
    assert "99.9-test" in meta["dc:conformsTo"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read()


@pytest.mark.slow
def test_reactions_app_serves_the_dashboard_from_the_installed_package(installed, tmp_path):
    port = free_port()
    server = subprocess.Popen(
        [str(installed / "bin" / "reactions"), "app", "--server.port", str(port)],
        cwd=tmp_path,  # no .streamlit/config.toml here: the settings must come from the package
        env=clean_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        health = None
        deadline = time.monotonic() + SERVER_START_DEADLINE_S
        while time.monotonic() < deadline and server.poll() is None:
            try:
                health = fetch(f"http://127.0.0.1:{port}/_stcore/health")
                break
            except OSError:
                time.sleep(0.5)
        assert health == (200, b"ok"), f"no health answer; server exited {server.poll()}"
        # The map's shapes are served from the installed package's static folder (static serving is on).
        status, shapes = fetch(f"http://127.0.0.1:{port}/app/static/world_50m.json")
        assert status == 200 and shapes.startswith(b"{")
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def test_streamlit_settings_become_flags_except_those_given():
    config = {"server": {"headless": True, "port": 8501}, "theme": {"font": "sans serif"}}
    flags = streamlit_config_flags(config, ["--server.port", "8600"])
    assert flags == ["--server.headless", "true", "--theme.font", "sans serif"]
    assert streamlit_config_flags(config, ["--server.port=8600"])[:2] == ["--server.headless", "true"]


def test_importing_every_module_reads_no_knowledge_file(tmp_path):
    probe = textwrap.dedent(
        f"""
        import importlib, pkgutil, sys
        opened = []
        sys.addaudithook(lambda event, args: opened.append(str(args[0])) if event == "open" else None)
        import dashboard
        names = [m.name for m in pkgutil.walk_packages(dashboard.__path__, "dashboard.")]
        for name in names:
            # app.py and screens/ are page scripts: they run the page when imported.
            if name != "dashboard.app" and not name.startswith(("dashboard.screens", "dashboard.data", "dashboard.static")):
                importlib.import_module(name)
        read = [path for path in opened if path.startswith(({str(DATA_DIR)!r}, {str(tmp_path)!r}))]
        print(len(names), read)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=PROJECT_DIR,
        env=clean_env(PYTHONPATH=str(PROJECT_DIR), REACTIONS_DATA_DIR=str(tmp_path)),
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    count, read = done.stdout.split(" ", 1)
    assert int(count) > 20 and read.strip() == "[]", done.stdout


def test_every_knowledge_file_is_read_from_reactions_data_dir(tmp_path, monkeypatch):
    from dashboard.codebook import codebook_version, load_codebook, load_crosswalk
    from dashboard.extract.rules import load_extraction_rules
    from dashboard.records import load_articles, load_curated_records, read_table
    from dashboard.scoring import load_resources
    from dashboard.stance import load_cue_lexicon

    copy = tmp_path / "knowledge"
    shutil.copytree(DATA_DIR, copy)
    opened: list[str] = []
    sys.addaudithook(lambda event, args: opened.append(str(args[0])) if event == "open" else None)
    monkeypatch.setenv("REACTIONS_DATA_DIR", str(copy))
    (tmp_path / "rows.csv").write_text(ROWS, encoding="utf-8")
    start = len(opened)
    resources = load_resources()
    load_codebook(), load_crosswalk(), load_cue_lexicon(), load_extraction_rules(), codebook_version()
    load_articles(), load_curated_records(resources.registry), read_table(tmp_path / "rows.csv")
    knowledge = [path for path in opened[start:] if path.endswith((".csv", ".txt")) and "rows.csv" not in path]
    assert knowledge, "no knowledge file was read"
    assert all(path.startswith(str(copy)) for path in knowledge), [p for p in knowledge if str(copy) not in p]
    read_names = {Path(path).name for path in knowledge}
    # The files the app and the CLI read at run time (build inputs such as registry_overrides.csv are not).
    used = {"actors.csv", "speakers.csv", "codebook.csv", "cameo_crosswalk.csv", "cue_lexicon.csv"}
    used |= {"column_synonyms.csv", "articles.csv", "extraction_rules.csv", "idlib-2020.txt", "idlib-2020.csv"}
    assert used <= read_names, used - read_names


def test_a_reactions_data_dir_without_the_knowledge_files_says_so_and_where_they_are(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "dashboard.cli", "validate", str(tmp_path / "any.csv")],
        capture_output=True,
        text=True,
        cwd=PROJECT_DIR,
        env={**os.environ, "REACTIONS_DATA_DIR": str(tmp_path / "empty")},
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert f"REACTIONS_DATA_DIR is set to {tmp_path / 'empty'}" in done.stderr
    assert str(DATA_DIR) in done.stderr

"""One knowledge bundle: stance order, families and colours come from data/codebook.csv alone, and every
knowledge file is read from one folder, which REACTIONS_DATA_DIR moves as a whole."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from dashboard import DATA_DIR, PROJECT_DIR
from dashboard.codebook import families, load_codebook, stance_colours, stances, stances_in_family
from dashboard.errors import InvalidDataError
from dashboard.knowledge import Knowledge, knowledge

SHIPPED_ORDER = ("condemn", "warn", "deny", "concern", "call_for", "neutral", "condolence", "support")


def copy_of_the_knowledge(tmp_path: Path) -> Path:
    copy = tmp_path / "knowledge"
    shutil.copytree(DATA_DIR, copy)
    return copy


def edit_codebook(folder: Path, edit) -> None:
    """Rewrite the data rows of folder/codebook.csv (its # lines kept) through `edit(rows) -> rows`."""
    path = folder / "codebook.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    first = next(i for i, line in enumerate(lines) if not line.startswith("#"))
    header, rows = lines[first], lines[first + 1 :]
    path.write_text("".join(lines[:first]) + header + "".join(edit(rows)), encoding="utf-8")


@pytest.fixture
def moved_knowledge(tmp_path, monkeypatch) -> Path:
    """A copy of the shipped knowledge, which REACTIONS_DATA_DIR points at."""
    copy = copy_of_the_knowledge(tmp_path)
    monkeypatch.setenv("REACTIONS_DATA_DIR", str(copy))
    return copy


def scored() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": ["a", "b", "c"],
            "actor": ["France", "France", "Chile"],
            "stance": ["condemn", "support", "warn"],
            "target": ["Syria", "Turkey", ""],
            "text": ["Paris condemned it.", "Paris stands with Ankara.", "Santiago warned of escalation."],
        }
    )


def test_the_shipped_codebook_gives_the_order_families_and_colour_blind_safe_colours():
    assert stances() == SHIPPED_ORDER
    assert families() == ("hostile", "neutral", "cordial")
    assert stances_in_family("hostile") == {"condemn", "warn", "deny", "concern"}
    okabe_ito = {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#999999"}
    assert set(stance_colours()) == set(SHIPPED_ORDER)
    assert set(stance_colours().values()) == okabe_ito


def test_a_reordered_and_recoloured_codebook_moves_chart_order_colours_and_tables(moved_knowledge):
    from dashboard.figures import stance_by_actor_figure, stance_colour
    from dashboard.summary import stance_order_for, summarise_by_actor

    # support first, condemn last, and warn in black: the code must follow the file, not a list of its own.
    def reorder(rows):
        by_stance = {row.split(",", 1)[0]: row for row in rows}
        by_stance["warn"] = by_stance["warn"].replace("#E69F00", "#000000")
        order = ["support", *[s for s in by_stance if s not in ("support", "condemn")], "condemn"]
        return [by_stance[s] if by_stance[s].endswith("\n") else by_stance[s] + "\n" for s in order]

    edit_codebook(moved_knowledge, reorder)
    assert stances()[0] == "support" and stances()[-1] == "condemn"
    assert stance_order_for(scored()["stance"]) == ["support", "warn", "condemn"]
    figure = stance_by_actor_figure(scored())
    assert [trace.name for trace in figure.data] == ["support", "warn", "condemn"]
    assert figure.data[1].marker.color == "#000000" == stance_colour("warn")
    table = summarise_by_actor(scored())
    assert list(table.columns[1:4]) == ["support", "warn", "deny"]


def test_the_shipped_bundle_is_untouched_by_a_moved_one(moved_knowledge, monkeypatch):
    edit_codebook(moved_knowledge, lambda rows: [row.replace("#D55E00", "#111111") for row in rows])
    assert stance_colours()["condemn"] == "#111111"
    monkeypatch.delenv("REACTIONS_DATA_DIR")
    assert stance_colours()["condemn"] == "#D55E00"


def test_an_extra_synonym_in_the_moved_folder_reads_a_new_header(moved_knowledge, tmp_path, monkeypatch):
    from dashboard.records import read_table

    with (moved_knowledge / "column_synonyms.csv").open("a", encoding="utf-8") as handle:
        handle.write("actor,reacting nation\n")
    source = tmp_path / "rows.csv"
    source.write_text("Reacting nation,text\nFrance,Paris condemned the shelling.\n", encoding="utf-8")
    assert list(read_table(source)["actor"]) == ["France"]
    monkeypatch.delenv("REACTIONS_DATA_DIR")
    assert "actor" not in read_table(source).columns  # the shipped synonyms do not know it: kept as written


def test_every_part_of_the_bundle_comes_from_its_folder(moved_knowledge):
    bundle = knowledge()
    assert bundle is knowledge(moved_knowledge) and bundle.folder == moved_knowledge
    assert bundle is not knowledge(DATA_DIR)
    (moved_knowledge / "codebook.csv").write_text(
        (moved_knowledge / "codebook.csv").read_text(encoding="utf-8").replace("# version: ", "# version: 9"),
        encoding="utf-8",
    )
    from dashboard.codebook import codebook_version
    from dashboard.scoring import load_resources

    assert codebook_version().startswith("9")
    resources = load_resources()
    assert resources.registry is bundle.registry and resources.lexicon is bundle.lexicon
    assert resources.crosswalk is bundle.crosswalk and resources.crosswalk.stances == SHIPPED_ORDER


def test_building_the_bundle_reads_nothing(tmp_path):
    bundle = Knowledge(tmp_path / "nowhere")
    assert bundle.path("codebook.csv") == tmp_path / "nowhere" / "codebook.csv"
    with pytest.raises(Exception, match="codebook.csv"):
        bundle.stances  # noqa: B018  (reading on first use is the point)


def test_a_broken_codebook_reports_every_problem_with_row_and_field(tmp_path):
    copy = copy_of_the_knowledge(tmp_path)

    def break_rows(rows):
        rows = list(rows)
        rows[1] = rows[1].replace(",hostile,#E69F00,", ",angry,#E69F00,")  # warn: a family the code does not know
        rows[2] = rows[2].replace("#CC79A7", "pink")  # deny: not a colour
        rows[3] = rows[3].replace("#F0E442", "#d55e00")  # concern: condemn's colour again
        rows[4] = rows[4].replace("call_for,", "Call For,", 1)  # not a label
        return [*rows, rows[0]]  # condemn twice

    edit_codebook(copy, break_rows)
    with pytest.raises(InvalidDataError) as raised:
        load_codebook(copy / "codebook.csv")
    found = {(p.row, p.field) for p in raised.value.problems}
    assert found == {(2, "family"), (3, "colour"), (4, "colour"), (5, "stance"), (9, "stance"), (9, "colour")}


def test_no_module_writes_out_the_stance_list_a_family_or_the_stance_colours():
    """One fact in one place: no source file holds the codebook's colours, its list of stances or one of its
    families as a literal (a set like "hostile stances" written out in two modules drifted once)."""
    colours = [colour.lower() for colour in stance_colours().values()]
    literal = re.compile(r"[\(\[\{]\s*(?:[\"'][a-z_]+[\"']\s*,\s*)+[\"'][a-z_]+[\"']\s*,?\s*[\)\]\}]")
    facts = [set(stances()), *(set(stances_in_family(family)) for family in families())]
    for path in (PROJECT_DIR / "dashboard").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert not [c for c in colours if c in source.lower()], path
        for found in literal.finditer(source):
            labels = set(re.findall(r"[\"']([a-z_]+)[\"']", found.group()))
            assert labels not in facts, f"{path}: {found.group()}"


def test_articles_and_extraction_rules_come_from_the_moved_folder_too(moved_knowledge):
    from dashboard.extract.rules import default_rules
    from dashboard.records import load_articles

    index = moved_knowledge / "articles.csv"
    index.write_text(index.read_text(encoding="utf-8").replace("idlib-2020,", "idlib-2020-moved,"), encoding="utf-8")
    bundle = knowledge()
    assert "idlib-2020-moved" in load_articles() and "idlib-2020" not in load_articles()
    assert load_articles() is bundle.articles
    assert default_rules() is bundle.extraction_rules

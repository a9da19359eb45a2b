"""Summary tables and key figures, on a small scored frame written here (not the classifier's output)."""

import math
import shutil

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.codebook import stances
from dashboard.summary import (
    NO_TARGET_LABEL,
    dominant_stance_by_actor,
    explode_targets,
    key_figures,
    summarise_by_actor,
    summarise_by_target,
)


def scored_frame() -> pd.DataFrame:
    """Six scored records with sentences we wrote; enough to exercise every summary."""
    rows = [
        # id, actor, stance, target, polarity, subjectivity, intensity, goldstein, agrees, conflict
        ("r1", "United States", "condemn", "Syria", -0.2, 0.6, -0.7, -2.0, True, False),
        ("r2", "United States", "support", "Turkey", 0.3, 0.4, 0.6, 3.4, True, False),
        ("r3", "NATO", "concern", "", 0.4, 0.7, -0.3, -0.4, False, True),
        ("r4", "Russia", "warn", "Turkey", -0.1, 0.2, -0.8, -4.4, True, False),
        ("r5", "United Nations", "condolence", "Turkey", 0.0, 0.0, 0.5, 3.4, True, True),
        ("r6", "NATO", "condemn", "Syria; Russia", -0.5, 0.9, -0.7, -2.0, True, False),
    ]
    columns = [
        "id", "actor", "stance", "target", "polarity", "subjectivity", "intensity", "goldstein",
        "stance_agrees", "tone_conflict",
    ]  # fmt: skip
    frame = pd.DataFrame(rows, columns=columns)
    frame["text"] = [
        "Washington condemned the strike on the convoy.",
        "Washington said it stands with Ankara.",
        "The Alliance voiced deep concern about the fighting.",
        "Moscow warned Ankara against a military response.",
        "The UN chief offered condolences to the families of the soldiers.",
        "The Alliance condemned the strike by Damascus and its backer.",
    ]
    frame["stance_source"] = "curated"
    frame["event"] = "idlib-2020"
    return frame


def test_key_figures_count_records_actors_targets_and_flags():
    figures = key_figures(scored_frame())
    assert figures["records"] == 6
    assert figures["events"] == 1
    assert figures["actors"] == 4
    assert figures["targets"] == 3  # Syria, Turkey, Russia (from the "Syria; Russia" record)
    assert figures["sentences"] == 6
    # The codebook files concern as hostile: r1, r3 (concern), r4, r6.
    assert figures["hostile_share"] == pytest.approx(4 / 6)
    assert figures["cordial_share"] == pytest.approx(2 / 6)  # r2, r5
    assert figures["disagreements"] == 1
    assert figures["tone_conflicts"] == 2
    assert figures["curated"] == 6 and figures["predicted_only"] == 0


def test_key_figures_of_an_empty_frame_are_zero():
    figures = key_figures(scored_frame().iloc[0:0])
    assert figures["records"] == 0
    assert figures["hostile_share"] == 0.0
    assert math.isnan(figures["mean_polarity"])


def test_summarise_by_actor_has_one_row_per_actor_and_a_column_per_stance_in_order():
    table = summarise_by_actor(scored_frame())
    assert list(table["actor"]) == ["NATO", "United States", "Russia", "United Nations"]
    assert list(table.columns[1 : 1 + len(stances())]) == list(stances())
    us = table.set_index("actor").loc["United States"]
    assert (us["condemn"], us["support"], us["warn"], us["records"]) == (1, 1, 0, 2)
    assert us["targets"] == "Syria; Turkey"
    assert us["mean_goldstein"] == pytest.approx(0.7)
    assert table.set_index("actor").loc["NATO", "targets"] == "Russia; Syria"


def test_dominant_stance_tie_goes_to_stronger_intensity_then_to_the_more_hostile_stance():
    table = summarise_by_actor(scored_frame()).set_index("actor")
    # NATO: one condemn (|-0.7|) and one concern (|-0.3|): the stronger words win.
    assert table.loc["NATO", "dominant_stance"] == "condemn"
    # United States: condemn |-0.7| beats support |0.6|.
    assert table.loc["United States", "dominant_stance"] == "condemn"
    frame = scored_frame()
    frame.loc[frame["id"] == "r2", "intensity"] = 0.7
    # Equal counts and equal strength: the stance earlier in the fixed order (condemn) wins.
    assert summarise_by_actor(frame).set_index("actor").loc["United States", "dominant_stance"] == "condemn"


def test_summaries_do_not_mutate_their_input():
    frame = scored_frame()
    before = frame.copy()
    summarise_by_actor(frame)
    summarise_by_target(frame)
    dominant_stance_by_actor(frame, toward="Syria")
    key_figures(frame)
    pd.testing.assert_frame_equal(frame, before)


def test_summarise_by_actor_of_an_empty_frame_keeps_the_columns():
    table = summarise_by_actor(scored_frame().iloc[0:0])
    assert table.empty
    assert {"actor", "condemn", "support", "records", "dominant_stance", "targets"} <= set(table.columns)


def test_summarise_by_target_lists_who_took_which_stance():
    table = summarise_by_target(scored_frame())
    turkey = table[table["target"] == "Turkey"]
    assert list(turkey["stance"]) == ["warn", "condolence", "support"]
    assert list(turkey["actors"]) == ["Russia", "United Nations", "United States"]
    syria = table[table["target"] == "Syria"]
    assert list(syria["stance"]) == ["condemn"]
    assert syria["actors"].iloc[0] == "NATO; United States"
    assert syria["records"].iloc[0] == 2
    # Turkey has the most records, the target-less record comes last.
    assert table["target"].iloc[0] == "Turkey"
    assert table["target"].iloc[-1] == NO_TARGET_LABEL


def test_dominant_stance_by_actor_toward_a_target():
    overall = dominant_stance_by_actor(scored_frame()).set_index("actor")
    assert overall.loc["Russia", "dominant_stance"] == "warn"
    toward_turkey = dominant_stance_by_actor(scored_frame(), toward="Turkey").set_index("actor")
    assert set(toward_turkey.index) == {"United States", "Russia", "United Nations"}
    assert toward_turkey.loc["United States", "dominant_stance"] == "support"
    assert toward_turkey.loc["United States", "records"] == 1
    assert dominant_stance_by_actor(scored_frame(), toward="Iran").empty


def test_explode_targets_splits_joined_targets_and_keeps_empty_ones():
    exploded = explode_targets(scored_frame())
    assert len(exploded) == 7
    assert list(exploded.loc[exploded["id"] == "r6", "target"]) == ["Syria", "Russia"]
    assert list(exploded.loc[exploded["id"] == "r3", "target"]) == [""]


# Target cells as users write them: one name, several, stray separators and spaces, empty, missing.
TARGET_CELLS = st.one_of(
    st.none(),
    st.lists(st.sampled_from(["Syria", "Turkey", " NATO ", "", "Türkiye", "A;"]), max_size=4).map(";".join),
)


@settings(max_examples=200, deadline=None)
@given(cells=st.lists(TARGET_CELLS, max_size=25), index=st.lists(st.integers(0, 3), max_size=25))
def test_explode_targets_equals_splitting_each_row_in_turn(cells, index):
    """The vectorised explode must give exactly what splitting row by row gives, row order included."""
    frame = pd.DataFrame({"id": [f"r{i}" for i in range(len(cells))], "target": cells})
    if len(index) == len(cells):
        frame.index = index  # duplicate labels must not confuse it
    expected_rows = []
    for record_id, cell in zip(frame["id"], frame["target"], strict=True):
        text = "" if pd.isna(cell) else str(cell)
        names = [part.strip() for part in text.split(";") if part.strip()] or [""]
        expected_rows += [(record_id, name) for name in names]
    exploded = explode_targets(frame)
    assert list(zip(exploded["id"], exploded["target"], strict=True)) == expected_rows
    assert list(exploded.index) == list(range(len(expected_rows)))


def test_the_hostile_share_follows_the_codebooks_family_column(tmp_path, monkeypatch):
    from dashboard import DATA_DIR

    copy = tmp_path / "knowledge"
    shutil.copytree(DATA_DIR, copy)
    codebook = copy / "codebook.csv"
    # Re-file concern as neutral in a copy: the share follows the file, not a list written in code.
    codebook.write_text(
        codebook.read_text(encoding="utf-8").replace("concern,hostile,", "concern,neutral,"), encoding="utf-8"
    )
    monkeypatch.setenv("REACTIONS_DATA_DIR", str(copy))
    assert key_figures(scored_frame())["hostile_share"] == pytest.approx(3 / 6)

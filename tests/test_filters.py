"""Filters: one mask over the scored records; every filter narrows, none mutates."""

import pandas as pd
import pytest

from dashboard.filters import NO_TARGET, FilterState, apply_filters, filter_options


@pytest.fixture
def scored():
    return pd.DataFrame(
        {
            "id": ["a", "b", "c", "d"],
            "event": ["e1", "e1", "e1", "e2"],
            "actor": ["NATO", "Russia", "United States", "Russia"],
            "stance": ["condemn", "warn", "support", "deny"],
            "target": ["Syria", "Turkey", "Turkey", ""],
            "mode": ["verbal", "material", "verbal", "verbal"],
            "polarity": [-0.4, 0.0, 0.5, 0.1],
            "text": ["NATO condemned the strike.", "Warships sailed.", "We stand with Ankara.", "Moscow denied it."],
            "cue": ["condemned", "Warships", "stand with", "denied"],
            "speaker": ["", "", "", "Lavrov"],
        }
    )


def test_no_filter_keeps_everything(scored):
    assert apply_filters(scored, FilterState())["id"].tolist() == ["a", "b", "c", "d"]


@pytest.mark.parametrize(
    ("state", "kept"),
    [
        (FilterState(event="e2"), ["d"]),
        (FilterState(actors=("Russia",)), ["b", "d"]),
        (FilterState(stances=("condemn", "support")), ["a", "c"]),
        (FilterState(targets=("Turkey",)), ["b", "c"]),
        (FilterState(targets=(NO_TARGET,)), ["d"]),
        (FilterState(modes=("material",)), ["b"]),
        (FilterState(polarity=(-0.1, 0.2)), ["b", "d"]),
        (FilterState(text="lavrov"), ["d"]),
        (FilterState(text="ANKARA"), ["c"]),
        (FilterState(actors=("Russia",), stances=("warn",)), ["b"]),
    ],
)
def test_each_filter_narrows(scored, state, kept):
    assert apply_filters(scored, state)["id"].tolist() == kept


def test_filtering_does_not_touch_the_input(scored):
    before = scored.copy()
    apply_filters(scored, FilterState(actors=("NATO",), text="x"))
    pd.testing.assert_frame_equal(scored, before)


def test_options_come_from_the_data(scored):
    options = filter_options(scored)
    assert options["actor"] == ["NATO", "Russia", "United States"]
    assert options["target"] == ["Syria", "Turkey", NO_TARGET]
    assert options["event"] == ["e1", "e2"]


def test_describe_lists_only_active_filters():
    assert FilterState().describe() == {}
    assert FilterState(stances=("condemn", "warn"), polarity=(-0.5, 1.0)).describe() == {
        "stance": "condemn, warn",
        "polarity": "-0.50 to +1.00",
    }


def test_no_filter_gives_the_frame_itself_not_a_copy():
    # A view of everything costs nothing at a million records; a filter still gives a new frame.
    frame = pd.DataFrame({"event": ["a", "b"], "actor": ["NATO", "Russia"], "stance": ["warn", "deny"]})
    assert apply_filters(frame, FilterState()) is frame
    narrowed = apply_filters(frame, FilterState(actors=("NATO",)))
    assert narrowed is not frame and narrowed["actor"].tolist() == ["NATO"]

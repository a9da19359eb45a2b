"""DuckDB's filters give exactly what apply_filters gives, on records with every shape of target and text."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.filters import NO_TARGET, FilterState, apply_filters
from dashboard.query import RecordQuery, is_unfiltered, where_clause
from dashboard.records import normalise_records
from dashboard.scoring import load_resources, score_records

# Sentences written for these tests; none is quoted from any source.
ROWS = [
    ("border", "Turkey", "Ankara strongly condemned the shelling of its border post by Damascus.", "Syria"),
    ("border", "Russia", "Moscow voiced deep concern over the clashes near the frontier.", ""),
    ("border", "France", "Paris condemned the attack on the convoy in the strongest terms.", "Syria; Russia"),
    ("border", "NATO", "The Alliance said it stands in solidarity with Ankara.", "Turkey"),
    ("convoy", "Germany", "Berlin called for restraint on both sides after the WARSHIPS arrived.", "Russia; Turkey"),
    ("convoy", "Japan", "Tokyo expressed concern about the safety of civilians.", ""),
    ("convoy", "United States", "Washington warned Damascus against any further strikes.", "Syria"),
    ("convoy", "Iran", "Tehran denied that its advisers were in the area.", "Syrian Arab Republic; Syria"),
]


@pytest.fixture(scope="module")
def records() -> pd.DataFrame:
    resources = load_resources()
    table = pd.DataFrame(ROWS, columns=["event", "actor", "text", "target"])
    return score_records(normalise_records(table, resources.registry), resources)


STATES = [
    FilterState(),
    FilterState(event="border"),
    FilterState(event="nowhere"),
    FilterState(actors=("Turkey", "Japan")),
    FilterState(stances=("condemn",)),
    FilterState(stances=("condemn", "concern"), event="convoy"),
    FilterState(modes=("verbal",)),
    FilterState(targets=("Syria",)),
    FilterState(targets=("Russia", "Turkey")),
    FilterState(targets=(NO_TARGET,)),
    FilterState(targets=(NO_TARGET, "Turkey")),
    FilterState(targets=("Syr",)),  # a part of a name is not the name
    FilterState(polarity=(-0.2, 0.3)),
    FilterState(polarity=(0.0, 1.0)),
    FilterState(text="warships"),
    FilterState(text="  DAMASCUS "),
    FilterState(text="syria"),  # found in the target column
    FilterState(text="o'clock; drop table records"),
    FilterState(event="border", stances=("condemn",), targets=("Syria",), text="paris", polarity=(-1.0, 0.5)),
]


@pytest.mark.parametrize("state", STATES, ids=[repr(s) for s in STATES])
def test_duckdb_filters_like_apply_filters(records, state):
    expected = apply_filters(records, state)
    found = RecordQuery(records).filtered(state)
    pd.testing.assert_frame_equal(found, expected)
    assert (found is records) == (expected is records)  # nothing filtered: the frame itself, no copy


def test_every_state_here_filters_something_out_or_in(records):
    # The cases above are not all "everything" or all "nothing": the comparison has teeth.
    sizes = {len(apply_filters(records, state)) for state in STATES}
    assert 0 in sizes and len(records) in sizes and len(sizes) >= 5


def test_values_are_parameters_never_sql():
    condition, params = where_clause(FilterState(actors=("x') OR true --",), text="'; DROP"))
    assert "DROP" not in condition and "OR true" not in condition
    assert "x') OR true --" in params


def test_unfiltered_means_no_restriction():
    assert is_unfiltered(FilterState())
    assert not is_unfiltered(FilterState(text="a"))

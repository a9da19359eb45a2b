"""DuckDB's filters give exactly what apply_filters gives, on records with every shape of target and text."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.filters import NO_TARGET, FilterState, apply_filters
from dashboard.query import RecordQuery, RecordStore, is_unfiltered, target_summary, where_clause
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
    # Letters whose casefold is not their lower case (ß, the ﬁ ligature, a final capital Σ, a dotted İ).
    ("convoy", "Germany", "Berlin’s envoy condemned the ﬁring on the Friedrichstraße crossing.", "Turkey"),
    ("border", "Greece", "Athens called the ΣΥΝΟΡΟΣ incident regrettable and urged calm in İzmir.", "Turkey"),
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
    FilterState(text="STRASSE"),  # "Friedrichstraße" casefolds to "...strasse"
    FilterState(text="ß"),  # casefolds to "ss": "Friedrichstraße", and any "ss" ("across", "Alliance"...)
    FilterState(text="firing"),  # "ﬁring" casefolds to "firing"
    FilterState(text="συνοροσ"),  # "ΣΥΝΟΡΟΣ" casefolds to "συνοροσ"
    FilterState(text="izmir"),  # "İzmir" casefolds to "i̇zmir" (a dot above): not found
    FilterState(text="i̇zmir"),
    FilterState(text="berlin’s"),
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
    condition, params = where_clause(FilterState(actors=("x') OR true --",), text="'; DROP"), "hits")
    assert "DROP" not in condition and "OR true" not in condition
    assert "x') OR true --" in params
    with pytest.raises(ValueError):
        where_clause(FilterState(text="a"))  # a search needs the table of what it finds


def test_the_search_finds_what_casefold_finds_not_what_lower_finds(records):
    # DuckDB's lower() keeps ß, ﬁ and a final ς, and drops İ's dot: those cells are settled by casefold.
    found = {text: len(RecordQuery(records).filtered(FilterState(text=text))) for text in ("STRASSE", "firing")}
    assert found == {"STRASSE": 1, "firing": 1}
    assert RecordQuery(records).filtered(FilterState(text="izmir")).empty
    assert len(RecordQuery(records).filtered(FilterState(text="συνοροσ"))) == 1


def test_unfiltered_means_no_restriction():
    assert is_unfiltered(FilterState())
    assert not is_unfiltered(FilterState(text="a"))


# --- The store: every record of the seed and of a library's Parquet files, queried where they lie ---


@pytest.fixture(scope="module")
def seed() -> pd.DataFrame:
    from dashboard.records import load_curated_records

    resources = load_resources()
    return score_records(load_curated_records(resources.registry), resources)


@pytest.fixture(scope="module")
def stored(tmp_path_factory, records, seed):
    """The seed in memory and two library events on disk, as the app's store holds them; and the joined frame."""
    from dashboard.library import APP_COLUMNS, Library

    library = Library(tmp_path_factory.mktemp("library"), shipped=frozenset(seed["event"]))
    library.add(records[records["event"] == "border"], "border")
    library.add(records[records["event"] == "convoy"].assign(mode="material"), "convoy")
    events, _ = library.events()
    store = RecordStore([seed, *(info.path for info in events)], tuple(APP_COLUMNS))
    joined = pd.concat(
        [seed[APP_COLUMNS], *(library.read_event(info.slug).records[APP_COLUMNS] for info in events)],
        ignore_index=True,
    )
    return store, joined


STORE_STATES = [
    *STATES,
    FilterState(event="idlib-2020"),
    FilterState(event="idlib-2020", stances=("condemn", "warn")),
    FilterState(actors=("Turkey",), targets=("Syria",)),
]


@pytest.mark.parametrize("state", STORE_STATES, ids=[repr(s) for s in STORE_STATES])
def test_the_store_answers_as_the_pandas_functions(stored, state):
    from dashboard.figures import stance_by_actor_figure
    from dashboard.figures.bars import stance_counts_figure
    from dashboard.summary import key_figures, summarise_by_target
    from dashboard.views.overview import found_by_the_rules

    store, joined = stored
    expected = apply_filters(joined, state)
    assert store.count(state) == len(expected)
    found = store.rows(state)
    pd.testing.assert_frame_equal(found, expected.reset_index(drop=True), check_dtype=False)
    want = key_figures(expected)
    got = store.key_figures(state)
    for name in ("mean_polarity", "mean_intensity", "hostile_share", "cordial_share"):
        assert got.pop(name) == pytest.approx(want.pop(name), rel=1e-12, nan_ok=True), name
    assert got == want
    without = store.key_figures(state, sentences=False)
    assert "sentences" not in without and without["records"] == want["records"]
    assert store.found_by_the_rules(state) == found_by_the_rules(expected)
    pd.testing.assert_frame_equal(target_summary(store.by_target(state)), summarise_by_target(expected))
    drawn = stance_counts_figure(store.distinct(state, ("actor", "stance")))
    assert drawn.to_plotly_json() == stance_by_actor_figure(expected).to_plotly_json()


def test_a_page_of_the_store_is_that_page_of_the_records(stored):
    store, joined = stored
    state = FilterState(stances=("condemn", "concern", "warn"))
    expected = apply_filters(joined, state).reset_index(drop=True)
    assert len(expected) > 12
    page = store.rows(state, columns=("id", "actor", "text"), limit=5, offset=7)
    pd.testing.assert_frame_equal(page, expected.loc[7:11, ["id", "actor", "text"]].reset_index(drop=True))


SELECTIONS = [
    [{"customdata": ["select?actor=Turkey&stance=condemn"]}],
    [{"customdata": ["select?actor=France"]}, {"customdata": ["select?target=Syria"]}],
    [{"customdata": ["select?target="]}],  # records naming no target
    [{"customdata": ["select?actor=Turkey&colour=red"]}],  # a field it does not know: nothing
    [{"customdata": "idlib-2020-001;idlib-2020-003"}],
    [{"customdata": None}, {}],
    [],
]


@pytest.mark.parametrize("points", SELECTIONS, ids=[repr(p) for p in SELECTIONS])
def test_a_selection_picks_the_same_records_from_the_store(stored, points):
    from dashboard.figures import records_behind_points
    from dashboard.query import selection_condition

    store, joined = stored
    state = FilterState(polarity=(-0.9, 0.9))
    expected = records_behind_points(points, apply_filters(joined, state))
    found = store.rows(state, columns=("id",), extra=selection_condition(points))
    assert found["id"].tolist() == expected["id"].tolist()
    assert store.count(state, selection_condition(points)) == len(expected)


def test_the_selections_here_pick_something(stored):
    from dashboard.query import selection_condition

    store, _ = stored
    counts = [store.count(FilterState(), selection_condition(points)) for points in SELECTIONS]
    assert counts[-1] == 0 and sum(1 for c in counts if c) >= 4


def test_the_store_reads_its_files_as_they_were_when_it_was_made(tmp_path, records):
    # A writer may replace or remove an event while a page is drawn from the store: the store still answers
    # from the files it opened (the next page load makes a new store).
    from dashboard.library import APP_COLUMNS, Library

    library = Library(tmp_path, shipped=frozenset())
    library.add(records, "border")
    store = RecordStore([library.path_of("border")], tuple(APP_COLUMNS))
    library.add(records.head(2), "border", replace=True)
    assert store.count(FilterState()) == len(records)
    library.remove("border")
    assert store.count(FilterState()) == len(records)
    assert store.rows(FilterState(), columns=("text",))["text"].tolist() == records["text"].tolist()


def test_the_store_draws_the_tone_sample_the_pandas_way(stored):
    import numpy as np

    from dashboard.figures import tone_sample

    store, joined = stored
    state = FilterState(polarity=(-0.9, 0.9))
    expected = tone_sample(apply_filters(joined, state), limit=7)
    picked = np.sort(np.random.RandomState(0).choice(store.count(state), size=7, replace=False))
    found = store.rows_at(state, picked)
    pd.testing.assert_frame_equal(found, expected.reset_index(drop=True), check_dtype=False)


def test_the_downloads_from_the_store_hold_what_the_pandas_path_holds(stored):
    # Above 50,000 records the Downloads page fetches the records file from the store when it is clicked.
    from dashboard.library import APP_COLUMNS
    from dashboard.views.common import View, ViewData
    from dashboard.views.downloads import view_downloads

    store, joined = stored
    state = FilterState(stances=("condemn", "concern"))
    options = {"event": [], "actor": [], "target": [], "mode": []}
    held = ViewData(scored=joined, known_registry=None, articles={}, options=options, key=("held",))
    queried = ViewData(scored=joined.iloc[0:0], known_registry=None, articles={}, options=options, key=("queried",))
    queried = ViewData(**{**vars(queried), "store": store})
    expected = view_downloads(View(data=held, state=state, key=(held.key, state)))
    found = view_downloads(View(data=queried, state=state, key=(queried.key, state)))
    assert list(found) == list(expected)
    for stem in expected:
        want, got = expected[stem], found[stem]
        assert (got.title, got.holds, got.rows) == (want.title, want.holds, want.rows), stem
        whole = want.whole().reset_index(drop=True)
        pd.testing.assert_frame_equal(got.whole().reset_index(drop=True), whole, check_dtype=False)
        pd.testing.assert_frame_equal(
            got.preview.reset_index(drop=True), want.preview.reset_index(drop=True), check_dtype=False
        )
    assert expected["records"].rows > 3 and list(found["records"].whole().columns) == list(APP_COLUMNS)


def assert_same_map_counts(found, expected):
    pd.testing.assert_frame_equal(found.dominant, expected.dominant)
    pd.testing.assert_frame_equal(found.links, expected.links, check_dtype=False)
    assert (found.link_total, found.targets, found.first_date) == (
        expected.link_total,
        expected.targets,
        expected.first_date,
    )
    assert found.received == expected.received
    assert found.quotes == expected.quotes


MAP_VIEWS = [
    (FilterState(), None),
    (FilterState(), "Syria"),
    (FilterState(), "Turkey"),
    (FilterState(), "Nowhere"),
    (FilterState(event="convoy"), None),
    (FilterState(event="idlib-2020", stances=("condemn", "warn")), None),
    (FilterState(targets=("Syria",)), "Russia"),
    (FilterState(stances=("support",), event="convoy"), None),  # nothing
]


@pytest.mark.parametrize(("state", "toward"), MAP_VIEWS, ids=[repr(v) for v in MAP_VIEWS])
@pytest.mark.parametrize("limit", [400, 3])
def test_the_map_counts_from_the_store_are_those_of_the_pandas_path(stored, state, toward, limit):
    from dashboard.chart_counts import map_counts
    from dashboard.figures import stance_map_figure
    from dashboard.registry import load_registry
    from dashboard.store_summaries import store_map_counts

    store, joined = stored
    expected = map_counts(apply_filters(joined, state), toward, limit)
    found = store_map_counts(store, state, toward, limit)
    assert_same_map_counts(found, expected)
    registry = load_registry()
    for shade in (False, True):
        drawn = stance_map_figure(found, registry, toward=toward, shade_members=shade)
        assert (
            drawn.to_plotly_json()
            == stance_map_figure(expected, registry, toward=toward, shade_members=shade).to_plotly_json()
        )


def test_the_map_views_here_have_teeth(stored):
    from dashboard.chart_counts import map_counts

    _, joined = stored
    counts = [map_counts(apply_filters(joined, state), toward, 3) for state, toward in MAP_VIEWS]
    assert any(c.empty for c in counts) and sum(not c.empty for c in counts) >= 5
    assert any(c.link_total > 3 for c in counts)  # the limit keeps some links out
    assert any(len(c.targets) > 1 and "" in c.targets for c in counts)
    assert all(c.quotes for c in counts if not c.empty)


@pytest.mark.parametrize("state", STORE_STATES, ids=[repr(s) for s in STORE_STATES])
def test_the_per_actor_summary_from_the_store_is_that_of_the_pandas_path(stored, state):
    from dashboard.store_summaries import store_actor_summary
    from dashboard.summary import summarise_by_actor

    store, joined = stored
    expected = summarise_by_actor(apply_filters(joined, state))
    pd.testing.assert_frame_equal(store_actor_summary(store, state), expected)


@pytest.mark.parametrize("state", STORE_STATES, ids=[repr(s) for s in STORE_STATES])
@pytest.mark.parametrize("limit", [200, 3])
def test_the_flow_bands_from_the_store_are_those_of_the_pandas_path(stored, state, limit):
    from dashboard.chart_counts import flow_links
    from dashboard.figures import flows_figure
    from dashboard.store_summaries import store_flow_links

    store, joined = stored
    expected = flow_links(apply_filters(joined, state), limit)
    found = store_flow_links(store, state, limit)
    pd.testing.assert_frame_equal(found.links, expected.links)
    assert (found.bands, found.pairs) == (expected.bands, expected.pairs)
    assert flows_figure(found).to_plotly_json() == flows_figure(expected).to_plotly_json()


@pytest.fixture(scope="module")
def echoed(tmp_path_factory, seed):
    """The seed, and an event repeating its record ids and actors with other stances and a target named twice
    in a cell: the map counts a record once per actor and id (the first), and a cell's names each time."""
    from dashboard.library import APP_COLUMNS, Library

    library = Library(tmp_path_factory.mktemp("echo"), shipped=frozenset(seed["event"]))
    stances = list(dict.fromkeys(seed["stance"]))
    echo = seed.assign(
        event="echo",
        stance=[stances[(stances.index(s) + 1) % len(stances)] for s in seed["stance"]],
        target=[f"{t}; {t}" if t else "Syria; Russia; Syria" for t in seed["target"]],
    )
    library.add(echo, "echo")
    stored_echo = library.read_event("echo").records
    store = RecordStore([seed, library.path_of("echo")], tuple(APP_COLUMNS))
    return store, pd.concat([seed[APP_COLUMNS], stored_echo[APP_COLUMNS]], ignore_index=True)


@pytest.mark.parametrize(("state", "toward"), MAP_VIEWS[:4], ids=[repr(v) for v in MAP_VIEWS[:4]])
def test_repeated_ids_and_names_are_counted_alike_by_the_store(echoed, state, toward):
    from dashboard.chart_counts import flow_links, map_counts
    from dashboard.store_summaries import store_actor_summary, store_flow_links, store_map_counts
    from dashboard.summary import summarise_by_actor

    store, joined = echoed
    assert joined["id"].duplicated().any() and joined["target"].str.contains("Syria; Russia; Syria").any()
    expected = apply_filters(joined, state)
    assert_same_map_counts(store_map_counts(store, state, toward, 5), map_counts(expected, toward, 5))
    pd.testing.assert_frame_equal(store_actor_summary(store, state), summarise_by_actor(expected))
    found, want = store_flow_links(store, state, 5), flow_links(expected, 5)
    pd.testing.assert_frame_equal(found.links, want.links)
    assert (found.bands, found.pairs) == (want.bands, want.pairs)


def test_a_tie_on_summed_intensity_does_not_depend_on_the_order_of_the_sum():
    # The store sums in parallel, pandas row by row: 0.1 + 0.2 + 0.3 and 0.3 + 0.2 + 0.1 differ in the last bit.
    from dashboard.summary import dominant_stances

    assert 0.1 + 0.2 + 0.3 != 0.3 + 0.2 + 0.1
    tally = pd.DataFrame(
        {
            "actor": ["Japan", "Japan"],
            "stance": ["support", "condemn"],
            "records": [3, 3],
            "strength": [0.1 + 0.2 + 0.3, 0.3 + 0.2 + 0.1],
        }
    )
    flipped = tally.assign(strength=tally["strength"][::-1].to_numpy())
    # A tie: the codebook's earlier (more hostile) stance, whichever sum came out a bit larger.
    assert dominant_stances(tally)["Japan"] == dominant_stances(flipped)["Japan"] == "condemn"

"""Figure builders: asserted on figure attributes (never on serialized JSON), with a tiny registry."""

import itertools
import json
import math
from dataclasses import dataclass
from urllib.parse import parse_qsl

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard.figures import (
    ARC_POINTS,
    DESKTOP_MAP_WIDTH,
    EMPTY_MESSAGE,
    PHONE_MAP_WIDTH,
    STANCE_COLOURS,
    STANCE_ORDER,
    flows_figure,
    record_ids_from_points,
    record_ids_from_selection,
    records_behind_points,
    records_behind_selection,
    stance_by_actor_figure,
    stance_map_figure,
    tone_figure,
    tone_sample,
)
from dashboard.figures.map_frame import MapFrame, frame_for
from dashboard.summary import NO_TARGET_LABEL


def scored_frame() -> pd.DataFrame:
    """Six scored records with sentences we wrote (the same shape scoring produces)."""
    rows = [
        # id, actor, stance, target, polarity, subjectivity, intensity, goldstein, conflict
        ("r1", "United States", "condemn", "Syria", -0.2, 0.6, -0.7, -2.0, False),
        ("r2", "United States", "support", "Turkey", 0.3, 0.4, 0.6, 3.4, False),
        ("r3", "NATO", "concern", "", 0.4, 0.7, -0.3, -0.4, True),
        ("r4", "Russia", "warn", "Turkey", -0.1, 0.2, -0.8, -4.4, False),
        ("r5", "United Nations", "condolence", "Turkey", 0.0, 0.0, 0.5, 3.4, False),
        ("r6", "NATO", "condemn", "Syria", -0.5, 0.9, -0.7, -2.0, False),
    ]
    columns = [
        "id", "actor", "stance", "target", "polarity", "subjectivity", "intensity", "goldstein",
        "tone_conflict",
    ]  # fmt: skip
    frame = pd.DataFrame(rows, columns=columns)
    frame["date"] = "2020-02-28"
    frame["cue"] = ["condemned", "stands with", "deep concern", "warned", "condolences", "condemned"]
    frame["text"] = [
        "Washington condemned the strike on the convoy.",
        "Washington said it stands with Ankara.",
        "The Alliance voiced deep concern about the fighting, " + "at some length " * 12,
        "Moscow warned Ankara against a military response.",
        "The UN chief offered condolences to the families of the soldiers.",
        "The Alliance condemned the strike by Damascus <and> its backer.",
    ]
    return frame


@dataclass(frozen=True)
class FakeActor:
    name: str
    kind: str
    iso3: str = ""
    lat: float | None = None
    lon: float | None = None
    members: tuple[str, ...] = ()


def tiny_registry() -> dict[str, FakeActor]:
    actors = [
        FakeActor("United States", "state", "USA", 39.8, -98.6),
        FakeActor("Russia", "state", "RUS", 61.5, 105.3),
        FakeActor("Turkey", "state", "TUR", 39.0, 35.2),
        # No coordinates: the map falls back on the centroid in the shipped world shapes.
        FakeActor("Syria", "state", "SYR"),
        FakeActor("NATO", "organisation", "", 50.88, 4.43, ("USA", "TUR", "FRA", "DEU")),
        FakeActor("United Nations", "organisation", "", 40.75, -73.97),
    ]
    return {actor.name: actor for actor in actors}


def annotation_texts(figure) -> list[str]:
    return [annotation.text for annotation in figure.layout.annotations]


# --- stance by actor ------------------------------------------------------------------------------


def test_stance_by_actor_has_one_bar_trace_per_stance_in_the_fixed_order():
    figure = stance_by_actor_figure(scored_frame())
    names = [trace.name for trace in figure.data]
    assert names == [s for s in STANCE_ORDER if s in {"condemn", "support", "concern", "warn", "condolence"}]
    assert all(trace.type == "bar" and trace.orientation == "h" for trace in figure.data)
    assert figure.layout.barmode == "stack"
    assert figure.layout.title.text.startswith("Who condemned")


def test_stance_by_actor_counts_and_labels_each_segment():
    condemn = stance_by_actor_figure(scored_frame()).data[0]
    assert condemn.name == "condemn"
    assert list(condemn.y) == ["NATO", "United States"]
    assert list(condemn.x) == [1, 1]
    assert list(condemn.text) == ["1", "1"]


def test_stance_by_actor_segments_pick_out_their_records():
    frame = scored_frame()
    figure = stance_by_actor_figure(frame)
    condemn = figure.data[0]
    assert [list(custom) for custom in condemn.customdata] == [
        ["select?actor=NATO&stance=condemn"],
        ["select?actor=United+States&stance=condemn"],
    ]
    points = [{"curve_number": 0, "point_index": 1, "customdata": list(condemn.customdata[1])}]
    assert records_behind_points(points, frame)["id"].tolist() == ["r1"]


def test_a_segment_counting_several_records_picks_all_of_them_and_no_others():
    frame = scored_frame()
    frame.loc[frame["id"] == "r6", "actor"] = "United States"
    figure = stance_by_actor_figure(frame)
    condemn = figure.data[0]
    assert list(condemn.x) == [2]
    event = {"selection": {"points": [{"customdata": list(condemn.customdata[0])}], "point_indices": [0]}}
    assert records_behind_selection(event, frame)["id"].tolist() == ["r1", "r6"]
    # Every segment of the chart picks exactly as many records as it counts.
    for trace in figure.data:
        for count, custom in zip(trace.x, trace.customdata, strict=True):
            assert len(records_behind_points([{"customdata": list(custom)}], frame)) == count


def test_a_selector_payload_stays_small_however_many_records_a_bar_counts():
    frame = pd.concat([scored_frame()] * 2000, ignore_index=True)
    frame["id"] = [f"r{i:06d}" for i in range(len(frame))]
    figure = stance_by_actor_figure(frame)
    assert max(len(str(c)) for trace in figure.data for c in trace.customdata) < 80
    condemn = figure.data[0]
    picked = records_behind_points([{"customdata": list(condemn.customdata[0])}], frame)
    assert len(picked) == condemn.x[0] == 2000


def test_stance_by_actor_orders_actors_by_total_records_most_at_the_top():
    figure = stance_by_actor_figure(scored_frame())
    # Plotly draws the first category at the bottom, so the array runs from fewest records to most;
    # equal totals are in alphabetical order from the top.
    assert list(figure.layout.yaxis.categoryarray) == ["United Nations", "Russia", "United States", "NATO"]


def test_every_stance_trace_has_its_stance_colour():
    frame = scored_frame()
    for figure in (stance_by_actor_figure(frame), tone_figure(frame)):
        for trace in figure.data:
            if trace.name in STANCE_COLOURS:
                assert trace.marker.color == STANCE_COLOURS[trace.name], trace.name


def test_stance_colours_cover_every_stance_and_are_distinct():
    assert set(STANCE_COLOURS) == set(STANCE_ORDER)
    assert len(set(STANCE_COLOURS.values())) == len(STANCE_ORDER)


# --- map -----------------------------------------------------------------------------------------


def choropleths(figure) -> dict[str, list[str]]:
    return {trace.name: list(trace.locations) for trace in figure.data if trace.type == "choropleth"}


def test_map_colours_states_by_dominant_stance_one_choropleth_per_stance():
    figure = stance_map_figure(scored_frame(), tiny_registry())
    assert choropleths(figure) == {"condemn": ["USA"], "warn": ["RUS"]}
    for trace in figure.data:
        if trace.type == "choropleth":
            assert trace.locationmode == "ISO-3"
            assert trace.colorscale[0][1] == STANCE_COLOURS[trace.name]
            assert trace.showlegend is True
    assert figure.layout.geo.fitbounds is False
    assert figure.layout.geo.projection.type == "natural earth"
    assert figure.layout.geo.showcountries is True


def test_map_draws_organisations_at_their_seat_with_their_stance_in_the_label():
    figure = stance_map_figure(scored_frame(), tiny_registry())
    (organisations,) = [t for t in figure.data if t.name == "organisations"]
    labels = list(organisations.text)
    assert labels == ["NATO: condemn", "United Nations: condolence"]
    assert organisations.lat[1] == pytest.approx(40.75)
    assert organisations.lon[1] == pytest.approx(-73.97)
    assert list(organisations.marker.color) == [STANCE_COLOURS["condemn"], STANCE_COLOURS["condolence"]]


def test_map_legend_names_each_stance_drawn_once():
    figure = stance_map_figure(scored_frame(), tiny_registry())
    legend = [trace.name for trace in figure.data if trace.showlegend]
    stances = [name for name in legend if name in STANCE_COLOURS]
    # concern (NATO's record with no target) draws nothing: NATO's dominant stance is condemn.
    assert sorted(stances) == sorted(["condemn", "warn", "condolence", "support"])
    assert "organisation's seat" in legend
    ranks = {t.name: t.legendrank for t in figure.data if t.showlegend}
    assert ranks["condemn"] < ranks["warn"] < ranks["condolence"] < ranks["support"]


def line_traces(figure, casing: bool = False) -> list:
    """The map's line traces: the coloured ones, or (casing=True) their white casings."""
    return [t for t in figure.data if t.type == "scattergeo" and t.mode == "lines" and ("casing" in t.name) == casing]


def segments(trace) -> list[tuple[list[float], list[float]]]:
    """The curves one line trace draws: its lat/lon split at the None gaps between them."""
    assert [lat is None for lat in trace.lat] == [lon is None for lon in trace.lon], trace.name
    curves, lats, lons = [], [], []
    for lat, lon in zip(trace.lat, trace.lon, strict=True):
        if lat is None:
            curves.append((lats, lons))
            lats, lons = [], []
        else:
            lats.append(lat)
            lons.append(lon)
    curves.append((lats, lons))
    return curves


def drawn_links(figure) -> set[tuple[str, str, str]]:
    """(actor, target, stance) of each link, read back from the midpoint marks' hover."""
    links = set()
    for trace in figure.data:
        if (trace.name or "").endswith(" (links)"):
            for text in trace.hovertext:
                pair, rest = text.removeprefix("<b>").split("</b><br>stance: ", 1)
                actor, target = pair.split(" → ")
                links.add((actor, target, rest.split(" · ")[0]))
                assert rest.split(" · ")[0] == trace.legendgroup
    return links


def test_map_draws_a_line_from_each_actor_to_each_target_with_hover_at_the_midpoint():
    figure = stance_map_figure(scored_frame(), tiny_registry())
    assert drawn_links(figure) == {
        ("United States", "Syria", "condemn"),
        ("NATO", "Syria", "condemn"),
        ("United States", "Turkey", "support"),
        ("Russia", "Turkey", "warn"),
        ("United Nations", "Turkey", "condolence"),
    }
    # All lines of a stance (one record each here, so one width) in one coloured trace over one casing.
    lines, casings = line_traces(figure), line_traces(figure, casing=True)
    assert sorted(t.legendgroup for t in lines) == ["condemn", "condolence", "support", "warn"]
    assert sorted(t.legendgroup for t in casings) == sorted(t.legendgroup for t in lines)
    for line in lines:
        assert line.line.color == STANCE_COLOURS[line.legendgroup], line.name
        assert line.line.width == pytest.approx(1.5 + 0.7)
        assert line.opacity == 0.85
        assert line.connectgaps is False
        assert line.showlegend is False
        assert line.hoverinfo == "skip"
    for casing in casings:
        assert casing.line.color == "#FFFFFF"
        assert casing.line.width == pytest.approx(1.5 + 0.7 + 2)
        assert casing.opacity == 0.7
        assert casing.connectgaps is False
    (condemn,) = [t for t in lines if t.legendgroup == "condemn"]
    (condemn_casing,) = [t for t in casings if t.legendgroup == "condemn"]
    assert list(condemn_casing.lat) == list(condemn.lat)
    assert list(condemn_casing.lon) == list(condemn.lon)
    curves = segments(condemn)
    assert len(curves) == 2  # United States → Syria and NATO → Syria, in one trace
    us_syria = next(lats for lats, _ in curves if lats[0] == pytest.approx(39.8))
    assert us_syria[-1] == pytest.approx(35.03)  # Syria from the world shapes' centroid
    (condemn_links,) = [t for t in figure.data if t.name == "condemn (links)"]
    # Each curve's middle carries the hover mark of its link.
    middles = [(lats[ARC_POINTS // 2], lons[ARC_POINTS // 2]) for lats, lons in curves]
    assert middles == list(zip(condemn_links.lat, condemn_links.lon, strict=True))
    picked = [
        records_behind_points([{"customdata": list(c)}], scored_frame())["id"].tolist()
        for c in condemn_links.customdata
    ]
    assert sorted(picked) == [["r1"], ["r6"]]
    (warn_state,) = [t for t in figure.data if t.type == "choropleth" and t.name == "warn"]
    assert records_behind_points([{"customdata": list(warn_state.customdata[0])}], scored_frame())["id"].tolist() == [
        "r4"
    ]
    assert "Moscow warned Ankara" in warn_state.hovertext[0]
    assert "dominant stance: warn" in warn_state.hovertext[0]
    assert any("United States → Syria" in text for text in condemn_links.hovertext)


def test_map_draws_one_line_trace_per_stance_and_width_however_many_links():
    registry = tiny_registry()
    names = list(registry)
    # Every actor condemns every other: 30 links, one record each, except United States → Syria with 7.
    rows = [(a, t) for a in names for t in names if a != t] + [("United States", "Syria")] * 6
    frame = pd.DataFrame(
        {
            "id": [f"r{i}" for i in range(len(rows))],
            "actor": [a for a, _ in rows],
            "target": [t for _, t in rows],
            "stance": "condemn",
            "text": "They condemned it.",
        }
    )
    figure = stance_map_figure(frame, registry)
    assert len(drawn_links(figure)) == 30
    lines, casings = line_traces(figure), line_traces(figure, casing=True)
    assert len(lines) == len(casings) == 2  # width for one record, and for five or more
    widths = sorted((t.line.width, len(segments(t))) for t in lines)
    assert widths == [(pytest.approx(1.5 + 0.7), 29), (pytest.approx(1.5 + 5 * 0.7), 1)]
    assert {t.line.color for t in lines} == {STANCE_COLOURS["condemn"]}
    (links,) = [t for t in figure.data if t.name == "condemn (links)"]
    assert len(links.hovertext) == 30
    assert any("7 record(s)" in text for text in links.hovertext)


def test_map_toward_a_target_keeps_only_stances_toward_it_and_outlines_it():
    figure = stance_map_figure(scored_frame(), tiny_registry(), toward="Turkey")
    assert choropleths(figure)["support"] == ["USA"]
    assert choropleths(figure)["warn"] == ["RUS"]
    assert choropleths(figure)["target: Turkey"] == ["TUR"]
    assert "condemn" not in choropleths(figure)
    assert figure.layout.title.text == "Dominant stance toward Turkey"


def test_map_shades_member_states_only_when_asked():
    plain = stance_map_figure(scored_frame(), tiny_registry())
    assert not any("member" in (t.name or "") for t in plain.data)
    shaded = stance_map_figure(scored_frame(), tiny_registry(), shade_members=True)
    (members,) = [t for t in shaded.data if t.name == "NATO member (condemn)"]
    # The United States has a stance of its own and keeps it; the others are shaded lightly.
    assert list(members.locations) == ["TUR", "FRA", "DEU"]
    assert members.marker.opacity < 1
    assert members.colorscale[0][1] == STANCE_COLOURS["condemn"]


def test_map_lists_actors_it_cannot_place():
    frame = pd.concat([scored_frame(), scored_frame().iloc[[0]].assign(id="r7", actor="Atlantis")])
    figure = stance_map_figure(frame, tiny_registry())
    assert any("Atlantis" in text for text in annotation_texts(figure))


def test_map_accepts_an_object_with_an_actors_mapping():
    class Registry:
        actors = tiny_registry()

    assert choropleths(stance_map_figure(scored_frame(), Registry())) == {"condemn": ["USA"], "warn": ["RUS"]}


# --- tone ----------------------------------------------------------------------------------------


def test_tone_figure_has_polarity_intensity_and_subjectivity_panels():
    figure = tone_figure(scored_frame())
    titles = [text.lower() for text in annotation_texts(figure)]
    assert any("polarity" in t for t in titles)
    assert any("intensity" in t for t in titles)
    assert any("subjectivity" in t for t in titles)
    assert {trace.xaxis for trace in figure.data} == {"x", "x2", "x3"}
    assert figure.data[0].type == "scatter"


def test_tone_figure_places_each_record_at_its_score_with_actor_ticks():
    figure = tone_figure(scored_frame())
    polarity_condemn = next(t for t in figure.data if t.name == "condemn" and t.xaxis == "x")
    assert sorted(polarity_condemn.x) == [-0.5, -0.2]
    intensity_warn = next(t for t in figure.data if t.name == "warn" and t.xaxis == "x2")
    assert list(intensity_warn.x) == [-0.8]
    assert set(figure.layout.yaxis.ticktext) == {"United States", "NATO", "Russia", "United Nations"}


def test_tone_figure_legend_names_stances_once_and_marks_tone_conflicts():
    figure = tone_figure(scored_frame())
    in_legend = [t.name for t in figure.data if t.showlegend is not False]
    assert in_legend.count("condemn") == 1
    (conflicts,) = [t for t in figure.data if "contradicts" in (t.name or "")]
    assert list(conflicts.x) == [0.4]


def test_tone_hover_carries_the_quote_wrapped_and_escaped():
    figure = tone_figure(scored_frame())
    hovers = [text for trace in figure.data if trace.hovertext is not None for text in trace.hovertext]
    long_quote = next(h for h in hovers if "deep concern" in h)
    assert "<br>" in long_quote.split("“", 1)[1]
    assert any("&lt;and&gt;" in h for h in hovers)
    polarity_concern = next(t for t in figure.data if t.name == "concern" and t.xaxis == "x")
    assert [list(ids) for ids in polarity_concern.customdata] == [["r3"]]


# --- flows ---------------------------------------------------------------------------------------


def test_flows_figure_is_a_sankey_from_actors_to_targets():
    figure = flows_figure(scored_frame())
    sankey = figure.data[0]
    assert sankey.type == "sankey"
    labels = list(sankey.node.label)
    assert labels[:4] == ["NATO", "United States", "Russia", "United Nations"]
    assert labels[4:] == ["Turkey", "Syria", NO_TARGET_LABEL]
    links = {
        (labels[s], labels[t], label): v
        for s, t, label, v in zip(
            sankey.link.source, sankey.link.target, sankey.link.label, sankey.link.value, strict=True
        )
    }
    assert links[("NATO", "Syria", "condemn")] == 1
    assert links[("NATO", NO_TARGET_LABEL, "concern")] == 1
    assert links[("Russia", "Turkey", "warn")] == 1
    assert sum(sankey.link.value) == 6


def test_flows_links_are_coloured_by_stance_with_transparency_and_named_in_a_legend():
    figure = flows_figure(scored_frame())
    sankey = figure.data[0]
    for label, colour in zip(sankey.link.label, sankey.link.color, strict=True):
        red, green, blue = (int(STANCE_COLOURS[label][i : i + 2], 16) for i in (1, 3, 5))
        assert colour.startswith(f"rgba({red},{green},{blue},")
    legend = [t.name for t in figure.data[1:] if t.showlegend]
    assert legend == [s for s in STANCE_ORDER if s in set(scored_frame()["stance"])]
    assert "%{label}" in sankey.link.hovertemplate


def test_each_flows_link_picks_as_many_records_as_its_width():
    frame = scored_frame()
    sankey = flows_figure(frame).data[0]
    picked = [records_behind_points([{"customdata": [c]}], frame) for c in sankey.link.customdata]
    assert [len(p) for p in picked] == list(sankey.link.value)
    assert sorted(record_id for p in picked for record_id in p["id"]) == ["r1", "r2", "r3", "r4", "r5", "r6"]
    # A record aimed at two targets lies on both links.
    frame.loc[frame["id"] == "r6", "target"] = "Syria; Russia"
    sankey = flows_figure(frame).data[0]
    picked = [records_behind_points([{"customdata": [c]}], frame) for c in sankey.link.customdata]
    assert [len(p) for p in picked] == list(sankey.link.value)
    assert sorted(record_id for p in picked for record_id in p["id"]).count("r6") == 2


# --- empty frames and selections ----------------------------------------------------------------


@pytest.mark.parametrize(
    "build",
    [
        stance_by_actor_figure,
        tone_figure,
        flows_figure,
        lambda frame: stance_map_figure(frame, tiny_registry()),
    ],
    ids=["stance_by_actor", "tone", "flows", "map"],
)
def test_every_builder_says_so_when_no_records_match(build):
    figure = build(scored_frame().iloc[0:0])
    assert EMPTY_MESSAGE in annotation_texts(figure)
    assert len(figure.data) == 0


def test_map_toward_a_target_nobody_addressed_is_empty():
    figure = stance_map_figure(scored_frame(), tiny_registry(), toward="Iran")
    assert EMPTY_MESSAGE in annotation_texts(figure)


def test_builders_do_not_mutate_their_input():
    frame = scored_frame()
    before = frame.copy()
    stance_by_actor_figure(frame)
    tone_figure(frame)
    flows_figure(frame)
    stance_map_figure(frame, tiny_registry(), toward="Turkey", shade_members=True)
    pd.testing.assert_frame_equal(frame, before)


def test_record_ids_from_points_splits_deduplicates_and_skips_points_without_ids():
    points = [
        {"customdata": ["r1;r2"]},
        {"customdata": ["r2"]},
        {"x": 1},
        {"customdata": "r9"},
    ]
    assert record_ids_from_points(points) == ["r1", "r2", "r9"]
    assert record_ids_from_points(None) == []


def test_record_ids_from_selection_reads_attribute_and_dict_events():
    class Selection(dict):
        __getattr__ = dict.get

    class Event:
        selection = Selection(points=[{"customdata": ["r3;r4"]}], point_indices=[0], box=[], lasso=[])

    assert record_ids_from_selection(Event()) == ["r3", "r4"]
    assert record_ids_from_selection({"selection": {"points": []}}) == []
    assert record_ids_from_selection(None) == []


def test_map_lines_are_curves_that_never_jump_across_the_map_edge():
    figure = stance_map_figure(scored_frame(), tiny_registry())
    lines = line_traces(figure) + line_traces(figure, casing=True)
    assert lines
    for line in lines:
        for lats, lons in segments(line):  # each curve on its own: the gaps between curves may be wide
            assert len(lats) == len(lons) == ARC_POINTS, line.name
            steps = [abs(b - a) for a, b in zip(lons[:-1], lons[1:], strict=True)]
            assert max(steps) < 30, line.name
            assert all(-180 <= lon <= 180 for lon in lons), line.name


def test_map_with_the_project_registry_shades_members_as_they_were_on_the_record_date():
    from dashboard.registry import load_registry

    registry = load_registry()
    frame = scored_frame()
    figure = stance_map_figure(frame, registry, shade_members=True)
    (nato_members,) = [t for t in figure.data if (t.name or "").startswith("NATO member")]
    # North Macedonia joined on 2020-03-27, Finland in 2023: not members on 2020-02-28.
    assert "MKD" not in nato_members.locations and "FIN" not in nato_members.locations
    assert "TUR" in nato_members.locations
    assert not any("Not on the map" in text for text in annotation_texts(figure))


def test_builders_accept_a_minimal_frame_and_a_stance_outside_the_codebook():
    frame = pd.DataFrame(
        {"id": ["a", "b"], "actor": ["Russia", "Turkey"], "stance": ["praise", "condemn"], "text": ["x", "y"]}
    )
    bars = stance_by_actor_figure(frame)
    assert [trace.name for trace in bars.data] == ["condemn", "praise"]  # known stances first
    assert bars.data[1].marker.color == "#6B6B6B"
    assert "These records have no tone scores yet" in annotation_texts(tone_figure(frame))
    assert flows_figure(frame).data[0].node.label[-1] == NO_TARGET_LABEL
    assert choropleths(stance_map_figure(frame, tiny_registry())) == {"condemn": ["TUR"], "praise": ["RUS"]}


def test_selectors_match_exactly_and_unknown_fields_pick_nothing():
    frame = scored_frame()
    frame.loc[frame["id"] == "r2", "actor"] = "A&B=C; D"  # URL-reserved characters in a name
    pick = lambda custom: records_behind_points([{"customdata": [custom]}], frame)["id"].tolist()  # noqa: E731
    assert pick("select?target=") == ["r3"]  # no target
    assert pick("select?actor=A%26B%3DC%3B+D") == ["r2"]
    assert pick("select?actor=NATO&target=Syria") == ["r6"]
    assert pick("select?colour=red") == []
    assert pick("select?") == []
    assert pick("r4") == ["r4"]
    figure = stance_by_actor_figure(frame)
    support = next(t for t in figure.data if t.name == "support")
    assert records_behind_points([{"customdata": list(support.customdata[0])}], frame)["id"].tolist() == ["r2"]


def test_a_map_toward_a_target_picks_only_the_actors_records_aimed_at_it():
    frame = scored_frame()
    frame.loc[frame["id"] == "r2", "target"] = "Syria"  # the US now supports Syria and condemns it
    figure = stance_map_figure(frame, tiny_registry(), toward="Turkey")
    (warn_state,) = [t for t in figure.data if t.type == "choropleth" and t.name == "warn"]
    assert records_behind_points([{"customdata": list(warn_state.customdata[0])}], frame)["id"].tolist() == ["r4"]
    figure = stance_map_figure(frame, tiny_registry(), toward="Syria")
    us = [t for t in figure.data if t.type == "choropleth" and "USA" in list(t.locations or [])]
    (custom,) = [c for t in us for loc, c in zip(t.locations, t.customdata, strict=True) if loc == "USA"]
    assert records_behind_points([{"customdata": list(custom)}], frame)["id"].tolist() == ["r1", "r2"]


def test_past_the_link_limit_the_map_draws_the_busiest_links_and_says_how_many_are_left_out(monkeypatch):
    import dashboard.figures.map_lines as figures

    frame = scored_frame()
    busy = frame[frame["id"] == "r4"].assign(id=["r4b"])  # Russia -> Turkey (warn) now has two records
    frame = pd.concat([frame, busy], ignore_index=True)
    monkeypatch.setattr(figures, "MAP_LINK_LIMIT", 1)
    figure = stance_map_figure(frame, tiny_registry())
    midpoints = [t for t in figure.data if (t.name or "").endswith("(links)")]
    assert [t.name for t in midpoints] == ["warn (links)"]
    assert len(midpoints[0].lat) == 1
    notes = [a.text for a in figure.layout.annotations]
    assert any("the 1 actor → target links with most records, of 5" in note for note in notes)
    monkeypatch.setattr(figures, "MAP_LINK_LIMIT", 400)
    figure = stance_map_figure(frame, tiny_registry())
    assert not any("links with most records" in a.text for a in figure.layout.annotations)


def test_the_tone_sample_is_all_records_up_to_the_limit_then_a_stable_sample_in_view_order():
    frame = pd.concat([scored_frame()] * 5, ignore_index=True)
    assert tone_sample(frame, limit=30) is frame
    sample = tone_sample(frame, limit=7)
    assert len(sample) == 7
    assert list(sample.index) == sorted(sample.index)
    assert list(tone_sample(frame, limit=7).index) == list(sample.index)


def test_past_the_band_limit_the_flows_chart_keeps_the_busiest_bands_and_says_so(monkeypatch):
    import dashboard.figures.flows as figures

    frame = scored_frame()
    busy = frame[frame["id"] == "r4"].assign(id=["r4b"])  # Russia -> Turkey (warn) now has two records
    frame = pd.concat([frame, busy], ignore_index=True)
    monkeypatch.setattr(figures, "FLOW_LINK_LIMIT", 2)
    figure = flows_figure(frame)
    sankey = figure.data[0]
    assert sorted(sankey.link.value) == [1, 2]
    assert "warn" in list(sankey.link.label)
    notes = [a.text for a in figure.layout.annotations]
    assert any("The 2 busiest of 6 bands (4 record-target pairs in the others)" in note for note in notes)
    # The legend names only the stances drawn.
    assert {t.name for t in figure.data[1:]} == set(sankey.link.label)


def test_a_new_state_with_a_country_code_is_drawn_on_its_country():
    from dashboard.registry import load_registry

    frame = scored_frame()
    frame.loc[frame["id"] == "r4", "actor"] = "Kingdom of Bhutan"
    registry = load_registry().with_new_states({"Kingdom of Bhutan": "BTN"})
    figure = stance_map_figure(frame, registry)
    warn_states = [t for t in figure.data if t.type == "choropleth" and t.name == "warn"]
    assert "BTN" in [code for t in warn_states for code in t.locations]
    notes = " ".join(a.text for a in figure.layout.annotations)
    assert "Kingdom of Bhutan" not in notes  # placed, so not listed as "not on the map"
    without = stance_map_figure(frame, load_registry())
    assert "Kingdom of Bhutan" in " ".join(a.text for a in without.layout.annotations)


# --- the map with many actors, small states, shared seats, framing ---------------------------------


def many_actors(count: int = 150) -> tuple[pd.DataFrame, dict[str, FakeActor]]:
    """`count` actors: organisations sharing seats in Brussels, Geneva and New York, and states taken in
    code order from the shipped shapes (Singapore, Bahrain, Malta, Kiribati and Tuvalu among them), each at its shape's
    centroid; one to three records each, aimed at Syria."""
    from dashboard.figures.shapes import country_shapes

    shapes = country_shapes()
    seats = {"Brussels": (50.85, 4.35), "Geneva": (46.2, 6.14), "New York": (40.75, -73.97)}
    organisations = [
        FakeActor(f"Body {i} in {city}", "organisation", "", *seats[city])
        for i, city in enumerate(["Brussels"] * 4 + ["Geneva"] * 3 + ["New York"] * 3)
    ]
    wanted = ["SGP", "BHR", "MLT", "KIR", "SYR"]
    codes = wanted + [c for c in sorted(shapes) if c not in wanted]
    states = [FakeActor(f"State {code}", "state", code, *shapes[code].centroid) for code in codes]
    states.insert(3, FakeActor("State TUV", "state", "TUV", -8.52, 179.2))  # Tuvalu: no shape in the file
    registry = {a.name: a for a in (organisations + states)[:count]}
    registry.setdefault("State SYR", next(a for a in states if a.iso3 == "SYR"))
    stances = ["condemn", "concern", "call_for", "support", "warn", "condolence"]
    rows = []
    for number, name in enumerate(n for n in registry if n != "State SYR"):
        for repeat in range(1 + number % 3):
            rows.append((f"m{number}-{repeat}", name, stances[(number + repeat) % len(stances)], "State SYR"))
    frame = pd.DataFrame(rows, columns=["id", "actor", "stance", "target"])
    frame["text"] = "They spoke about the strike."
    return frame, registry


def label_boxes(figure, width: int) -> list[tuple[str, tuple[float, float, float, float]]]:
    """Every label the map draws, with the box it takes on screen as the map plans it."""
    from dashboard.figures.map_frame import CHAR_WIDTH_EM, Screen, _label_box
    from dashboard.figures.world_map import LABEL_FONT_PX, MAP_AREA_HEIGHT, _map_area_height

    geo = figure.layout.geo
    frame = MapFrame(tuple(geo.lonaxis.range), tuple(geo.lataxis.range))
    screen = Screen(frame, width, _map_area_height(frame, width))
    assert MAP_AREA_HEIGHT[0] <= screen.height <= MAP_AREA_HEIGHT[1]
    boxes = []
    for trace in figure.data:
        if trace.type != "scattergeo" or "text" not in (trace.mode or ""):
            continue
        marker = 0 if trace.mode == "text" else trace.marker.size
        positions = (
            trace.textposition if isinstance(trace.textposition, tuple) else [trace.textposition] * len(trace.lat)
        )
        for text, lat, lon, position in zip(trace.text, trace.lat, trace.lon, positions, strict=True):
            if text:
                x, y = screen.pixel(lat, lon)
                box = _label_box(position, x, y, len(text) * LABEL_FONT_PX * CHAR_WIDTH_EM, LABEL_FONT_PX * 1.3, marker)
                boxes.append((text, box))
    return boxes


def overlaps(a, b) -> bool:
    return a[0] < b[2] - 1 and b[0] < a[2] - 1 and a[1] < b[3] - 1 and b[1] < a[3] - 1


@pytest.mark.parametrize("width", [DESKTOP_MAP_WIDTH, PHONE_MAP_WIDTH])
def test_a_map_of_150_actors_gives_each_a_mark_and_labels_the_busiest_without_overlap(width):
    frame, registry = many_actors(150)
    figure = stance_map_figure(frame, registry, width=width)
    marked = set()
    for trace in figure.data:
        if (trace.type == "choropleth" and trace.name in STANCE_COLOURS) or trace.name in (
            "small states",
            "organisations",
        ):
            marked |= {dict(parse_qsl(c[0].removeprefix("select?")))["actor"] for c in trace.customdata}
    assert marked == set(frame["actor"])
    boxes = label_boxes(figure, width)
    assert len(boxes) >= (6 if width == PHONE_MAP_WIDTH else 20)
    clashes = [(a, b) for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2) if overlaps(box_a, box_b)]
    assert clashes == []


def test_labels_go_to_the_first_asked_where_two_compete_and_stay_inside_the_map():
    from dashboard.figures.map_frame import LabelRequest, Screen, place_labels

    screen = Screen(frame_for([(10.0, 10.0)]), 160, 90)
    first = LabelRequest("Busy", "Busy state: condemn", 10.0, 10.0, 0)
    second = LabelRequest("Quiet", "Quiet state: support", 10.0, 10.2, 0)
    assert list(place_labels([first, second], screen, 11)) == ["Busy"]
    assert list(place_labels([second, first], screen, 11)) == ["Quiet"]
    # A label that would stick out of the map in every position is left out rather than cut.
    too_long = LabelRequest("Long", "A name far longer than the whole map is wide", 10.0, 10.0, 0)
    assert place_labels([too_long], screen, 11) == {}
    # A marker in the way pushes a label to another side.
    beside = place_labels([LabelRequest("M", "Malta", 10.0, 10.0, 10)], screen, 11, obstacles=[(10.0, 10.6, 10)])
    assert beside == {"M": "middle left"}


def test_states_with_no_shape_or_too_small_a_shape_are_drawn_as_circles_in_their_stance_colour():
    frame, registry = many_actors(20)
    figure = stance_map_figure(frame, registry, whole_world=True)
    (small,) = [t for t in figure.data if t.name == "small states"]
    names = [dict(parse_qsl(c[0].removeprefix("select?")))["actor"] for c in small.customdata]
    # Kiribati's atolls span the Pacific, but each is a speck: its largest piece decides.
    assert {"State SGP", "State BHR", "State MLT", "State TUV", "State KIR"} <= set(names)
    assert "State USA" not in names  # far from small
    singapore = names.index("State SGP")
    assert small.marker.color[singapore] == STANCE_COLOURS[figure_stance(figure, "State SGP")]
    assert small.marker.symbol == "circle"
    # Tuvalu has no shape at all: no choropleth can draw it, the circle is all there is.
    assert not any("TUV" in list(t.locations or []) for t in figure.data if t.type == "choropleth")


def figure_stance(figure, actor: str) -> str:
    """The dominant stance the map's hover gives an actor."""
    for trace in figure.data:
        for text in trace.hovertext or ():
            if text.startswith(f"<b>{actor}</b>"):
                return text.split("dominant stance: ")[1].split("<br>")[0]
    raise AssertionError(f"{actor} has no hover")


def test_organisations_sharing_a_seat_are_spread_so_none_hides_another():
    frame, registry = many_actors(10)
    for width in (DESKTOP_MAP_WIDTH, PHONE_MAP_WIDTH):
        for whole_world in (False, True):
            figure = stance_map_figure(frame, registry, width=width, whole_world=whole_world)
            (squares,) = [t for t in figure.data if t.name == "organisations"]
            from dashboard.figures.map_frame import Screen
            from dashboard.figures.world_map import _map_area_height

            geo = figure.layout.geo
            map_frame = MapFrame(tuple(geo.lonaxis.range), tuple(geo.lataxis.range))
            screen = Screen(map_frame, width, _map_area_height(map_frame, width))
            pixels = [screen.pixel(lat, lon) for lat, lon in zip(squares.lat, squares.lon, strict=True)]
            assert len(pixels) == 10
            closest = min(math.dist(a, b) for a, b in itertools.combinations(pixels, 2))
            assert closest >= squares.marker.size, (width, whole_world, closest)
            # A spoke runs from each spread square back to its seat.
            assert any(t.name == "shared seats" for t in figure.data)


def test_the_map_frames_the_actors_in_view_and_shows_the_world_when_asked():
    frame, registry = many_actors(150)
    europe = {"State FRA", "State DEU", "State ITA", "State POL", "Body 0 in Brussels"}
    local = frame[frame["actor"].isin(europe)].assign(target="")
    framed = stance_map_figure(local, registry).layout.geo
    lon0, lon1 = framed.lonaxis.range
    lat0, lat1 = framed.lataxis.range
    assert -15 < lon0 < 5 and 15 < lon1 < 40, framed.lonaxis.range
    assert 30 < lat0 < 45 and 50 < lat1 < 65, framed.lataxis.range
    world = stance_map_figure(local, registry, whole_world=True).layout.geo
    assert tuple(world.lonaxis.range) == (-180, 180)
    # Actors all round the globe: the whole world, whatever the switch says.
    spread = stance_map_figure(frame, registry).layout.geo
    assert tuple(spread.lonaxis.range) == (-180, 180)


def test_frame_for_one_place_shows_its_neighbours_and_stays_inside_the_world():
    around_fiji = frame_for([(-17.8, 178.0)])
    assert around_fiji.lon_range[1] == 180.0
    assert around_fiji.lon_range[1] - around_fiji.lon_range[0] >= 40
    assert frame_for([]) == frame_for([(0, 0)], whole_world=True)


def test_the_not_on_the_map_note_is_wrapped_to_the_map_and_names_a_few_then_counts():
    frame = scored_frame()
    extra = pd.DataFrame(
        {"id": [f"x{i}" for i in range(12)], "actor": [f"Unplaced body number {i}" for i in range(12)]}
    )
    frame = pd.concat([frame, extra.assign(stance="condemn", target="Syria", text="x")], ignore_index=True)
    figure = stance_map_figure(frame, tiny_registry(), width=PHONE_MAP_WIDTH)
    (note,) = [a.text for a in figure.layout.annotations if "Not on the map" in a.text]
    lines = note.split("<br>")
    assert len(lines) > 1
    assert max(len(line) for line in lines) <= PHONE_MAP_WIDTH / (11 * 0.55)
    assert "and 4 more" in note


def test_a_chart_of_60_actors_shows_the_busiest_25_and_says_how_many_more():
    frame, _ = many_actors(61)
    frame = frame[frame["actor"] != "State SYR"]
    assert frame["actor"].nunique() == 60
    figure = stance_by_actor_figure(frame)
    shown = {actor for trace in figure.data for actor in trace.y}
    assert len(shown) == 25
    totals = frame.groupby("actor").size()
    assert min(totals[list(shown)]) >= max(totals.drop(list(shown)))
    left_records = int(totals.drop(list(shown)).sum())
    assert f"and 35 more ({left_records:,} records)" in figure.layout.title.text.replace(
        "<br><span style='font-size:13px'>", " "
    ).replace("</span>", "")
    assert figure.layout.height < 1400


def test_bar_counts_are_written_level_or_not_at_all():
    figure = stance_by_actor_figure(scored_frame())
    assert all(trace.textangle == 0 for trace in figure.data)
    assert figure.layout.uniformtext.mode == "hide"


def test_titles_wrap_to_a_phone_and_start_below_the_toolbar():
    from dashboard.figures.style import TITLE_WRAP, TOOLBAR_STRIP_PX

    for figure in (stance_by_actor_figure(scored_frame()), tone_figure(scored_frame()), flows_figure(scored_frame())):
        title = figure.layout.title
        assert all(len(line) <= TITLE_WRAP for line in title.text.split("<br>") if "<span" not in line)
        assert title.yref == "container" and title.pad.t >= TOOLBAR_STRIP_PX + (12 if "<br>" in title.text else 0)
        assert figure.layout.margin.t > TOOLBAR_STRIP_PX + 21 * len(title.text.split("<br>"))


def test_the_tone_chart_of_60_actors_draws_the_busiest_25_and_says_how_many_more():
    frame, _ = many_actors(61)
    frame = frame[frame["actor"] != "State SYR"].assign(polarity=-0.2, intensity=-0.5, subjectivity=0.4)
    figure = tone_figure(frame)
    rows = set(figure.layout.yaxis.ticktext)
    assert len(rows) == 25
    totals = frame.groupby("actor").size()
    assert min(totals[list(rows)]) >= max(totals.drop(list(rows)))
    assert "and 35 more" in figure.layout.title.text
    drawn = sum(
        len(t.x) for t in figure.data if t.name in STANCE_COLOURS and t.showlegend is not None and t.xaxis == "x"
    )
    assert drawn == int(totals[list(rows)].sum())


def test_a_frame_is_never_a_thin_strip():
    washington_to_damascus = frame_for([(38.9, -77.0), (33.5, 36.3)])
    (lon0, lon1), (lat0, lat1) = washington_to_damascus
    assert lat1 - lat0 >= 0.5 * (lon1 - lon0) - 0.01


def test_every_map_legend_name_fits_its_cell():
    from dashboard.figures.world_map import LEGEND_CHAR_PX, LEGEND_SYMBOL_PX

    figure = stance_map_figure(scored_frame(), tiny_registry(), shade_members=True, toward="Turkey")
    names = [t.name for t in figure.data if t.showlegend]
    assert "organisation's seat" in names or any("member" in n for n in names)
    assert figure.layout.legend.entrywidth >= LEGEND_SYMBOL_PX + LEGEND_CHAR_PX * max(len(n) for n in names)


def test_the_stance_chart_built_unvalidated_is_what_plotly_validation_makes_of_it():
    # The app builds this figure without plotly's per-property checks (half a stance click's server time):
    # validating its every property, as go.Figure does by default, must pass and change nothing.
    records = scored_frame()
    for figure in (stance_by_actor_figure(records), stance_by_actor_figure(records, limit=1)):
        validated = go.Figure(figure.to_dict())
        assert json.loads(validated.to_json()) == json.loads(figure.to_json())

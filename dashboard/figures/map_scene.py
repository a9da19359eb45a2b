"""The map's scene: which actors it shows, where (states by shape, organisations at their seat), at what scale,
and which of them get a label; what every trace of the world map is drawn from."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import pandas as pd

from dashboard.chart_counts import MapCounts
from dashboard.figures.map_frame import (
    LabelRequest,
    Screen,
    place_labels,
)
from dashboard.figures.selection import selector
from dashboard.figures.shapes import country_shapes
from dashboard.figures.style import (
    escape,
    wrapped_quote,
)

LABEL_FONT_PX = 11
PLAN_SCALE = 0.92
ORGANISATION_MARKER_PX = 15
STATE_MARKER_PX = 10
# On a phone-width map markers are this much smaller, or Europe is one heap of squares.
NARROW_MAP_PX = 500
NARROW_MARKER_SCALE = 0.7
# A state whose shape spans fewer pixels than this on the map also gets a marker, so it can be seen,
# hovered and clicked (Singapore, Bahrain or Malta on a world map).
SMALL_SHAPE_PX = 9


def actors_of(registry: Any) -> Mapping[str, Any]:
    """The name -> Actor mapping of a Registry, or the mapping itself (tests pass a plain dict)."""
    return getattr(registry, "actors", registry)


def members_of(actor: Any, on_date: str | None) -> tuple[str, ...]:
    members_on = getattr(actor, "members_on", None)
    if callable(members_on):
        return tuple(members_on(on_date))
    return tuple(getattr(actor, "members", ()) or ())


def _has_place(actor: Any) -> bool:
    return getattr(actor, "lat", None) is not None and getattr(actor, "lon", None) is not None


def places_of(actors: Mapping[str, Any], present: Iterable[str]) -> dict[str, tuple[float, float]]:
    """name -> (lat, lon) for the actors on the map: organisations at their seat, states at the registry's
    lat/lon (the capital), else the centroid of their shape."""
    shapes = country_shapes()
    places = {}
    for name in present:
        actor = actors.get(name)
        if actor is None or getattr(actor, "kind", "") not in ("state", "organisation"):
            continue
        if _has_place(actor):
            places[name] = (float(actor.lat), float(actor.lon))
        elif actor.kind == "state" and getattr(actor, "iso3", "") in shapes:
            places[name] = shapes[actor.iso3].centroid
    return places


@dataclass(frozen=True)
class MapScene:
    """What the map draws, worked out once: the view's counts (links, targets, dominant stances), where each
    actor sits on this frame, and which actors get a marker or a label."""

    counts: MapCounts
    actors: Mapping[str, Any]
    positions: dict[str, tuple[float, float]]
    dominant: pd.DataFrame  # indexed by actor: dominant_stance, records, targets
    toward: str | None
    screen: Screen

    @cached_property
    def stance_of(self) -> dict[str, str]:
        return self.dominant["dominant_stance"].to_dict()

    @property
    def organisation_px(self) -> float:
        scale = NARROW_MARKER_SCALE if self.screen.width < NARROW_MAP_PX * PLAN_SCALE else 1.0
        return round(ORGANISATION_MARKER_PX * scale)

    @property
    def state_px(self) -> float:
        scale = NARROW_MARKER_SCALE if self.screen.width < NARROW_MAP_PX * PLAN_SCALE else 1.0
        return round(STATE_MARKER_PX * scale)

    def kind(self, name: str) -> str:
        return getattr(self.actors.get(name), "kind", "")

    @cached_property
    def states(self) -> list[str]:
        """States with a stance and a country code."""
        return [a for a in self.dominant.index if self.kind(a) == "state" and getattr(self.actors[a], "iso3", "")]

    @cached_property
    def organisations(self) -> list[str]:
        return [a for a in self.dominant.index if self.kind(a) == "organisation" and a in self.positions]

    @cached_property
    def targets_only(self) -> list[str]:
        """Places that are aimed at but take no stance here (Syria overall; NATO toward NATO)."""
        stance_of = self.stance_of
        return [t for t in self.counts.targets if t and t in self.positions and t not in stance_of]

    def shape_is_visible(self, name: str) -> bool:
        """Whether a state's own shape is in the shipped file and big enough to see on this frame."""
        shape = country_shapes().get(getattr(self.actors.get(name), "iso3", ""))
        return shape is not None and self.screen.extent_px(*shape.largest_piece) >= SMALL_SHAPE_PX

    @cached_property
    def state_markers(self) -> list[str]:
        """States (with a stance, or aimed at) drawn as a marker: no shape, or one too small to see."""
        candidates = self.states + [t for t in self.targets_only if self.kind(t) == "state"]
        return [s for s in candidates if s in self.positions and not self.shape_is_visible(s)]

    @property
    def received(self) -> dict[str, int]:
        """Records aimed at each target."""
        return self.counts.received

    def label_text(self, name: str) -> str:
        """ "Name: stance" (so colour is never the only cue); on a phone-width map the name alone, which
        lets twice as many fit (the stance is in the hover and the table under the map)."""
        narrow = self.screen.width < NARROW_MAP_PX * PLAN_SCALE
        text = f"{name}: {self.stance_of[name]}" if name in self.stance_of and not narrow else name
        return f"{text} (target)" if name == self.toward else text

    @cached_property
    def labels(self) -> dict[str, str]:
        """name -> textposition of the actors labelled: the chosen target first, then by records taken,
        then targets by records received; each where it overlaps no other label and no marker."""
        markers = {o: self.organisation_px for o in self.organisations}
        markers |= {t: self.organisation_px - 2 for t in self.targets_only if self.kind(t) == "organisation"}
        markers |= {s: self.state_px for s in self.state_markers}
        records = self.dominant["records"].to_dict()
        names = sorted(
            [n for n in self.dominant.index if n in self.positions],
            key=lambda n: (n != self.toward, -records[n], n),
        )
        names += sorted(
            [t for t in self.targets_only if t not in names],
            key=lambda t: (t != self.toward, -self.received.get(t, 0), t),
        )
        requests = []
        for name in names:
            if name in markers:
                lat, lon = self.positions[name]
                requests.append(LabelRequest(name, self.label_text(name), lat, lon, markers[name]))
            elif self.kind(name) == "state":
                lat, lon = self.label_anchor(name)
                requests.append(LabelRequest(name, self.label_text(name), lat, lon, 0))
        obstacles = [(*self.positions[n], size) for n, size in markers.items()]
        return place_labels(requests, self.screen, LABEL_FONT_PX, obstacles)

    def label_anchor(self, name: str) -> tuple[float, float]:
        """Where a label points: a state's shape centroid (over the country), else where the actor sits
        (a marker; or a country whose centroid is outside the frame, the United States on a map of the
        Atlantic)."""
        if name in self.state_markers or self.kind(name) != "state":
            return self.positions[name]
        shape = country_shapes().get(getattr(self.actors[name], "iso3", ""))
        if shape and self.screen.inside(*shape.centroid):
            return shape.centroid
        return self.positions[name]

    def selector(self, actor: str) -> list[str]:
        """An actor's mark picks its records in the view (toward the chosen target, when there is one)."""
        return selector(actor=actor, target=self.toward) if self.toward else selector(actor=actor)

    def quote(self, actor: str) -> str:
        """The first sentence in which the actor took its dominant stance."""
        return self.counts.quotes.get(actor, "")

    def hover(self, actor: str, seat: bool = False) -> str:
        row = self.dominant.loc[actor]
        where = " (at its seat)" if seat else ""
        toward = f"<br>toward: {escape(row['targets'])}" if row["targets"] else ""
        quote = self.quote(actor)
        said = f"<br>“{wrapped_quote(quote)}”" if quote else ""
        return (
            f"<b>{escape(actor)}</b>{where}<br>dominant stance: {escape(row['dominant_stance'])}<br>"
            f"{row['records']} record(s){toward}{said}"
        )

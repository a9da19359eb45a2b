"""Where things go on the map, in pixels: the frame around the actors in view, organisations spread
around a shared seat, and which labels fit without overlapping.

Plotly draws text at a fixed size in pixels whatever the zoom, so whether two labels collide depends on
the map's scale on screen. We project with the same Natural Earth projection plotly uses (d3's
geoNaturalEarth1), fit the frame into a plot area of a planned width, and place labels greedily, the
most important first; an actor whose label does not fit is still on the map, named in its hover.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import NamedTuple

# The map shows latitudes in this band: Antarctica and the high Arctic hold no actors and waste height.
MAP_LATITUDE_RANGE = (-58.0, 84.0)
WORLD_LONGITUDE_RANGE = (-180.0, 180.0)
# Around the actors in view: a margin of this share of their span, at least FRAME_MIN_PAD degrees, and a
# frame at least FRAME_MIN_SPAN degrees wide and high, so a single country is shown with its neighbours.
FRAME_PAD_SHARE = 0.12
FRAME_MIN_PAD = 4.0
FRAME_MIN_SPAN = (40.0, 24.0)  # longitude, latitude
# A frame at least this many degrees of latitude high for each degree of longitude wide: a frame from
# Washington to Damascus was a 500 x 110 px strip in which the United States was cut off.
FRAME_MIN_ASPECT = 0.5
# Past this many degrees of longitude the actors span most of the globe: show the whole world instead.
FRAME_WORLD_LON_SPAN = 250.0

# Organisations whose seats are closer than this on screen (the EU, NATO and the Council of the EU in
# Brussels; the UN's organs in New York or Geneva) are spread on a ring around the seat.
SEAT_CLUSTER_PX = 18.0
SEAT_RING_MIN_PX = 16.0
SEAT_MARKER_PX = 15.0  # a marker's side, and the room taken per marker on the ring

# Label boxes: Source Sans is about 0.55 em wide a character on average; a gap keeps neighbours apart.
CHAR_WIDTH_EM = 0.56
LINE_HEIGHT_EM = 1.3
LABEL_GAP_PX = 3.0


class MapFrame(NamedTuple):
    """The longitude and latitude ranges the map shows."""

    lon_range: tuple[float, float]
    lat_range: tuple[float, float]

    @property
    def whole_world(self) -> bool:
        return self.lon_range == WORLD_LONGITUDE_RANGE


WORLD_FRAME = MapFrame(WORLD_LONGITUDE_RANGE, MAP_LATITUDE_RANGE)


def natural_earth(lat: float, lon: float) -> tuple[float, float]:
    """d3's geoNaturalEarth1 (what plotly's "natural earth" projection is): (x, y) with y up, in radians."""
    phi, lam = math.radians(max(min(lat, 90.0), -90.0)), math.radians(lon)
    phi2 = phi * phi
    phi4 = phi2 * phi2
    x = lam * (0.8707 - 0.131979 * phi2 + phi4 * (-0.013791 + phi4 * (0.003971 * phi2 - 0.001529 * phi4)))
    y = phi * (1.007226 + phi2 * (0.015085 + phi4 * (-0.044475 + 0.028874 * phi2 - 0.005916 * phi4)))
    return x, y


def frame_for(points: Iterable[tuple[float, float]], whole_world: bool = False) -> MapFrame:
    """The frame around `points` (lat, lon) with a margin, or the whole world when asked, when there are no
    points, or when they span most of the globe's longitudes."""
    points = list(points)
    if whole_world or not points:
        return WORLD_FRAME
    lats, lons = [p[0] for p in points], [p[1] for p in points]
    ranges = []
    for low, high, min_span, (floor, ceiling) in (
        (min(lons), max(lons), FRAME_MIN_SPAN[0], WORLD_LONGITUDE_RANGE),
        (min(lats), max(lats), FRAME_MIN_SPAN[1], MAP_LATITUDE_RANGE),
    ):
        pad = max((high - low) * FRAME_PAD_SHARE, FRAME_MIN_PAD)
        low, high = low - pad, high + pad
        if high - low < min_span:
            middle = (low + high) / 2
            low, high = middle - min_span / 2, middle + min_span / 2
        # Shift back inside the world rather than cut, so the frame keeps its size at the edges.
        if low < floor:
            low, high = floor, min(ceiling, high + floor - low)
        if high > ceiling:
            low, high = max(floor, low - (high - ceiling)), ceiling
        ranges.append((round(low, 2), round(high, 2)))
    if ranges[0][1] - ranges[0][0] > FRAME_WORLD_LON_SPAN:
        return WORLD_FRAME
    (lon0, lon1), (lat0, lat1) = ranges
    wanted = (lon1 - lon0) * FRAME_MIN_ASPECT
    if lat1 - lat0 < wanted:
        lat0, lat1 = _widened(lat0, lat1, wanted, MAP_LATITUDE_RANGE)
    return MapFrame((lon0, lon1), (round(lat0, 2), round(lat1, 2)))


def _widened(low: float, high: float, span: float, bounds: tuple[float, float]) -> tuple[float, float]:
    """(low, high) grown evenly to `span`, shifted back inside `bounds` (and cut to them if wider)."""
    middle = (low + high) / 2
    low, high = middle - span / 2, middle + span / 2
    if low < bounds[0]:
        low, high = bounds[0], min(bounds[1], high + bounds[0] - low)
    if high > bounds[1]:
        low, high = max(bounds[0], low - (high - bounds[1])), bounds[1]
    return low, high


class Screen:
    """The frame fitted into a plot area `width` x `height` pixels, as plotly fits a geo's ranges: the
    projected box of the frame scaled to fit, centred. Pixel y grows downwards."""

    def __init__(self, frame: MapFrame, width: float, height: float):
        self.frame, self.width, self.height = frame, width, height
        (lon0, lon1), (lat0, lat1) = frame
        outline = [(lat, lon) for lat in (lat0, (lat0 + lat1) / 2, lat1) for lon in (lon0, (lon0 + lon1) / 2, lon1)]
        xs, ys = zip(*(natural_earth(lat, lon) for lat, lon in outline), strict=True)
        self.x0, self.y1 = min(xs), max(ys)
        span_x, span_y = max(xs) - self.x0, self.y1 - min(ys)
        self.scale = min(width / span_x, height / span_y)
        self.offset_x = (width - span_x * self.scale) / 2
        self.offset_y = (height - span_y * self.scale) / 2

    def pixel(self, lat: float, lon: float) -> tuple[float, float]:
        x, y = natural_earth(lat, lon)
        return self.offset_x + (x - self.x0) * self.scale, self.offset_y + (self.y1 - y) * self.scale

    def degrees_per_pixel(self, lat: float, lon: float) -> tuple[float, float]:
        """(degrees of latitude, of longitude) one pixel spans near (lat, lon), from finite differences."""
        x0, y0 = self.pixel(lat, lon)
        x1, _ = self.pixel(lat, lon + 0.5)
        _, y1 = self.pixel(lat + 0.5, lon)
        return 0.5 / max(abs(y1 - y0), 1e-9), 0.5 / max(abs(x1 - x0), 1e-9)

    def extent_px(self, lon_min: float, lat_min: float, lon_max: float, lat_max: float) -> float:
        """The larger side, in pixels, of a box given in degrees."""
        xa, ya = self.pixel(lat_min, lon_min)
        xb, yb = self.pixel(lat_max, lon_max)
        return max(abs(xb - xa), abs(yb - ya))

    def inside(self, lat: float, lon: float) -> bool:
        (lon0, lon1), (lat0, lat1) = self.frame
        return lon0 <= lon <= lon1 and lat0 <= lat <= lat1


def spread_seats(
    seats: Sequence[tuple[str, float, float]], screen: Screen, marker_px: float = SEAT_MARKER_PX
) -> dict[str, tuple[float, float]]:
    """name -> (lat, lon): organisations at their seat; those whose seats would crowd each other on screen
    (closer than a ring's width, chained: Brussels, Geneva and Vienna on a world map) placed evenly on a
    ring around the group's middle, in name order, so no marker hides another."""
    pixels = {name: screen.pixel(lat, lon) for name, lat, lon in seats}
    names = sorted(pixels)
    groups: list[list[str]] = []
    for name in names:
        near = [
            g for g in groups if any(_distance(pixels[name], pixels[o]) < _crowding(len(g) + 1, marker_px) for o in g)
        ]
        merged = [name] + [o for g in near for o in g]
        groups = [g for g in groups if g not in near] + [sorted(merged)]
    places = {name: (lat, lon) for name, lat, lon in seats}
    placed: dict[str, tuple[float, float]] = {}
    for group in groups:
        if len(group) == 1:
            placed[group[0]] = places[group[0]]
            continue
        lat = sum(places[n][0] for n in group) / len(group)
        lon = sum(places[n][1] for n in group) / len(group)
        radius = _ring_radius(len(group), marker_px)
        dlat, dlon = screen.degrees_per_pixel(lat, lon)
        for index, name in enumerate(group):
            angle = math.pi / 2 - 2 * math.pi * index / len(group)  # from the top, clockwise
            placed[name] = (lat + radius * math.sin(angle) * dlat, lon + radius * math.cos(angle) * dlon)
    return placed


def _ring_radius(count: int, marker_px: float) -> float:
    """A ring on which `count` markers sit with a little room between them."""
    return max(SEAT_RING_MIN_PX, count * marker_px * 1.3 / (2 * math.pi))


def _crowding(count: int, marker_px: float) -> float:
    """Seats closer than this (pixels) would crowd a group of `count`: they join one ring."""
    return max(SEAT_CLUSTER_PX, 2 * _ring_radius(count, marker_px) + marker_px)


def _distance(a: tuple[float, float], b: tuple[float, float]) -> float:
    return math.hypot(a[0] - b[0], a[1] - b[1])


class LabelRequest(NamedTuple):
    """A label to place: its text, the point it names, and the size of the marker drawn there (0 for a
    label over a country's shape, which may sit on the point itself)."""

    name: str
    text: str
    lat: float
    lon: float
    marker_px: float


# Where a label may go relative to its point, in plotly's textposition words, tried in this order.
OVER_SHAPE_POSITIONS = ("middle center", "top center", "bottom center", "middle right", "middle left")
BESIDE_MARKER_POSITIONS = ("middle right", "middle left", "top center", "bottom center")


def place_labels(
    requests: Sequence[LabelRequest],
    screen: Screen,
    font_px: float,
    obstacles: Iterable[tuple[float, float, float]] = (),
) -> dict[str, str]:
    """name -> textposition for the labels that fit, taken in the order given (most important first):
    each inside the plot area, overlapping no label placed before it and no marker in `obstacles`
    ((lat, lon, side in px) of markers drawn on the map) other than its own."""
    placed: list[tuple[float, float, float, float]] = []
    markers = []
    for lat, lon, side in obstacles:
        x, y = screen.pixel(lat, lon)
        markers.append((x - side / 2, y - side / 2, x + side / 2, y + side / 2))
    chosen: dict[str, str] = {}
    for request in requests:
        if not screen.inside(request.lat, request.lon):
            continue
        x, y = screen.pixel(request.lat, request.lon)
        width = len(request.text) * font_px * CHAR_WIDTH_EM
        height = font_px * LINE_HEIGHT_EM
        own = (
            x - request.marker_px / 2,
            y - request.marker_px / 2,
            x + request.marker_px / 2,
            y + request.marker_px / 2,
        )
        positions = BESIDE_MARKER_POSITIONS if request.marker_px else OVER_SHAPE_POSITIONS
        for position in positions:
            box = _label_box(position, x, y, width, height, request.marker_px)
            if not (box[0] >= 0 and box[2] <= screen.width and box[1] >= 0 and box[3] <= screen.height):
                continue
            if any(_overlap(box, other) for other in placed):
                continue
            if any(_overlap(box, marker) for marker in markers if marker != own):
                continue
            placed.append(box)
            chosen[request.name] = position
            break
    return chosen


def _label_box(position: str, x: float, y: float, width: float, height: float, marker_px: float):
    """The box (left, top, right, bottom) a label takes at `position` around a point at (x, y)."""
    vertical, horizontal = position.split()
    reach = marker_px / 2 + 3  # plotly leaves a few pixels between a marker and its text
    if horizontal == "right":
        left = x + reach
    elif horizontal == "left":
        left = x - reach - width
    else:
        left = x - width / 2
    if vertical == "top":
        top = y - reach - height
    elif vertical == "bottom":
        top = y + reach
    else:
        top = y - height / 2
    gap = LABEL_GAP_PX
    return (left - gap, top - gap, left + width + gap, top + height + gap)


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]

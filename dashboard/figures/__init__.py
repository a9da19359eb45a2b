"""Plotly figure builders, one per chart; each takes a scored records frame and returns a go.Figure.

No streamlit here. Every builder draws an empty figure saying "No records match the filters" when the
frame is empty. Stances always have the same colour (the codebook's, `stance_colour`) and are named in legends, labels
and hovers, never shown by colour alone. Marks carry what picks their records back out of the view
(see `selection`).

The package is split along its seams: `style` (colours, fonts, layout), `selection` (marks back to
records), `bars`, `world_map` (with `map_scene`, `map_traces`, `map_frame`, `map_lines`, `shapes`), `tone`
and `flows` (one chart each).
"""

from dashboard.figures import style
from dashboard.figures.bars import stance_by_actor_figure
from dashboard.figures.flows import FLOW_LINK_LIMIT, flows_figure
from dashboard.figures.map_lines import ARC_POINTS, MAP_LINK_LIMIT
from dashboard.figures.selection import (
    RECORD_ID_SEPARATOR,
    record_ids_from_points,
    record_ids_from_selection,
    records_behind_points,
    records_behind_selection,
)
from dashboard.figures.style import (
    EMPTY_MESSAGE,
    empty_figure,
    stance_colour,
    text_colour_on,
)
from dashboard.figures.tone import TONE_MARK_LIMIT, tone_figure, tone_sample
from dashboard.figures.world_map import DESKTOP_MAP_WIDTH, PHONE_MAP_WIDTH, stance_map_figure

__all__ = [
    "ARC_POINTS",
    "DESKTOP_MAP_WIDTH",
    "PHONE_MAP_WIDTH",
    "EMPTY_MESSAGE",
    "FLOW_LINK_LIMIT",
    "MAP_LINK_LIMIT",
    "RECORD_ID_SEPARATOR",
    "TONE_MARK_LIMIT",
    "empty_figure",
    "flows_figure",
    "record_ids_from_points",
    "record_ids_from_selection",
    "records_behind_points",
    "records_behind_selection",
    "stance_by_actor_figure",
    "stance_colour",
    "stance_map_figure",
    "text_colour_on",
    "tone_figure",
    "tone_sample",
]


def __getattr__(name: str):
    # STANCE_COLOURS and STANCE_ORDER: the codebook in use, read on first use (see figures.style).
    if name in ("STANCE_COLOURS", "STANCE_ORDER"):
        return getattr(style, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

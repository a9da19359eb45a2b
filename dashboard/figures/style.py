"""What every chart shares: stance colours, fonts, layout, the empty figure, and text for hovers."""

from __future__ import annotations

import functools
import html
import textwrap
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard.codebook import stance_colours, stances

# Stance colours and order are the codebook's (data/codebook.csv: its colour column, its row order).
# A stance label outside the codebook (from a user's own file) still gets a visible, neutral colour.
UNKNOWN_STANCE_COLOUR = "#6B6B6B"

EMPTY_MESSAGE = "No records match the filters"
# Streamlit's own font, so charts and page read as one.
FONT_FAMILY = '"Source Sans Pro", "Source Sans 3", "Helvetica Neue", Arial, sans-serif'
FONT_COLOUR = "#31333F"
# Titles wrap at TITLE_WRAP characters: at 16 px that is about 350 px, a phone's width (390 px less the
# page's padding), so no title is cut off on a phone or in one of Compare's half-page columns.
TITLE_SIZE = 16
TITLE_WRAP = 44
TITLE_LINE_PX = 21
# Plotly's toolbar (modebar) is a strip this high at the top right; titles start below it, so it never
# covers them on a narrow screen, where a title runs the whole width.
TOOLBAR_STRIP_PX = 34
# Plotly places a title of several lines this much higher than a one-line title with the same padding
# (measured in Chromium: the first line's top at 19 px rather than 30 px for a 34 px pad), so such a
# title gets this much more padding to stay clear of the toolbar too.
MULTILINE_TITLE_SHIFT_PX = 12
# Hover quotes wrap at this many characters a line; longer lines run off narrow screens.
HOVER_WRAP_WIDTH = 70
# A quote longer than this is cut in hovers (the evidence table holds it whole).
HOVER_QUOTE_LIMIT = 420
# Pixel heights: a bar or strip row per actor, plus room for title, legend and axis.
ROW_HEIGHT = 34
CHROME_HEIGHT = 170


def stance_colour(stance: str) -> str:
    """The codebook's colour for `stance`; UNKNOWN_STANCE_COLOUR for a label it does not define."""
    return stance_colours().get(stance, UNKNOWN_STANCE_COLOUR)


def __getattr__(name: str):
    # STANCE_COLOURS and STANCE_ORDER were constants here; they are now the codebook in use, read on first use.
    if name == "STANCE_COLOURS":
        return stance_colours()
    if name == "STANCE_ORDER":
        return stances()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def rgba(hex_colour: str, alpha: float) -> str:
    red, green, blue = (int(hex_colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({red},{green},{blue},{alpha})"


def text_colour_on(hex_colour: str) -> str:
    """Dark text on light fills (concern's yellow, condolence's sky blue), white text on dark ones."""
    red, green, blue = (int(hex_colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4))
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    return FONT_COLOUR if luminance > 0.5 else "#FFFFFF"


def wrap_title(title: str) -> str:
    """A title broken into lines of at most TITLE_WRAP characters with <br>."""
    return "<br>".join(textwrap.wrap(title, TITLE_WRAP)) or title


def title_padding(text: str) -> int:
    """The padding above a title's text (already wrapped, lines joined by <br>) that keeps it under the toolbar."""
    return TOOLBAR_STRIP_PX + (MULTILINE_TITLE_SHIFT_PX if "<br>" in text else 0)


def title_height(title: str) -> int:
    """Pixels from the figure's top to just under its title: the toolbar strip and the title's lines."""
    return title_padding(wrap_title(title)) + TITLE_LINE_PX * max(1, len(textwrap.wrap(title, TITLE_WRAP))) + 8


def base_layout(title: str, height: int) -> dict[str, Any]:
    return {
        "title": {
            "text": wrap_title(title),
            "font": {"size": TITLE_SIZE},
            "x": 0.01,
            "xanchor": "left",
            "yref": "container",
            "y": 1,
            "yanchor": "top",
            "pad": {"t": title_padding(wrap_title(title))},
        },
        "font": {"family": FONT_FAMILY, "size": 13, "color": FONT_COLOUR},
        "template": "plotly_white",
        "height": height,
        "margin": {"l": 10, "r": 10, "t": title_height(title) + 12, "b": 40},
        # Explicit, so Streamlit's theme does not turn hover labels into faint grey text.
        "hoverlabel": {
            "font": {"family": FONT_FAMILY, "size": 13, "color": FONT_COLOUR},
            "bgcolor": "rgba(255,255,255,0.97)",
            "bordercolor": "#8A8A8A",
            "align": "left",
        },
        "legend": {"title": {"text": "Stance"}, "traceorder": "normal"},
    }


# Legends sit under the chart, pinned to the bottom of the figure: plotly then grows the bottom margin
# to fit however many rows the stance names wrap into, so a narrow column never overlaps the title.
LEGEND_BELOW: dict[str, Any] = {
    "orientation": "h",
    "yref": "container",
    "y": 0,
    "yanchor": "bottom",
    "xanchor": "left",
    "x": 0,
}


# Past this many actors a per-actor chart shows the busiest ones and says how many more there are: 60 rows
# were a 2,200 px bar chart (3,400 px of tone strips) in which nobody finds anyone.
CHART_ACTOR_LIMIT = 25
# Notes under a title wrap like titles, to fit a phone.
NOTE_WRAP = 48
NOTE_LINE_PX = 18


def busiest_actors(actors: pd.Series, limit: int) -> tuple[list[str], pd.Series]:
    """The `limit` actors with most records (most first, then by name), and every actor's record count."""
    totals = actors.astype(str).value_counts()
    order = sorted(totals.index, key=lambda actor: (-totals[actor], actor))
    return order[:limit], totals


def note_actors_left_out(figure: go.Figure, shown: list[str], totals: pd.Series) -> None:
    """Under the title (where it has the chart's whole width; a note in the plot area was cut off on a
    phone by the actors' names): how many actors and records the chart leaves out, and how to see them."""
    left_out = totals.drop(shown)
    if left_out.empty:
        return
    note = (
        f"The {len(shown)} actors with most records, and {len(left_out)} more ({int(left_out.sum()):,} records): "
        "pick them in the sidebar's Actor filter."
    )
    lines = textwrap.wrap(note, NOTE_WRAP)
    text = figure.layout.title.text + "".join(f"<br><span style='font-size:13px'>{line}</span>" for line in lines)
    extra = NOTE_LINE_PX * len(lines) + title_padding(text) - figure.layout.title.pad.t
    figure.update_layout(
        title_text=text,
        title_pad_t=title_padding(text),
        height=figure.layout.height + extra,
        margin_t=figure.layout.margin.t + extra,
    )


def unvalidated_figure(traces: list[dict], layout: dict) -> go.Figure:
    """go.Figure from plain traces and layout without plotly's check of every property: the checks (the
    plotly_white template's included) took 40-50 ms a figure, half the server's part of a stance click. A named
    template is resolved here, as validation would (plotly.js knows no template names). Each figure built this
    way is validated in tests/test_figures.py, which expects the same JSON."""
    template = layout.get("template")
    if isinstance(template, str):
        layout = {**layout, "template": template_spec(template)}
    return go.Figure({"data": traces, "layout": layout}, _validate=False)


@functools.cache
def template_spec(name: str) -> dict:
    """A plotly template by name, as the plain dict a validated figure holds (read once)."""
    import plotly.io

    return plotly.io.templates[name].to_plotly_json()


def empty_figure(title: str, message: str = EMPTY_MESSAGE) -> go.Figure:
    """A figure with no data and a centred note, for an empty selection."""
    figure = go.Figure()
    figure.update_layout(**base_layout(title, 320))
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False)
    figure.add_annotation(
        text=message,
        x=0.5,
        y=0.5,
        xref="paper",
        yref="paper",
        showarrow=False,
        font={"size": 16, "color": "#6B6B6B"},
    )
    return figure


def wrapped_quote(text: str) -> str:
    """A quote for a hover label: HTML-escaped, cut to HOVER_QUOTE_LIMIT, wrapped with <br>."""
    text = " ".join(str(text).split())
    if len(text) > HOVER_QUOTE_LIMIT:
        text = text[: HOVER_QUOTE_LIMIT - 1].rsplit(" ", 1)[0] + "…"
    lines = textwrap.wrap(text, HOVER_WRAP_WIDTH) or [""]
    return "<br>".join(html.escape(line, quote=False) for line in lines)


def escape(value: Any) -> str:
    return html.escape(str(value), quote=False)


def score_text(value: Any) -> str:
    number = pd.to_numeric(value, errors="coerce")
    return "n/a" if pd.isna(number) else f"{number:+.2f}"


def stance_rank(stance: str) -> int:
    order = stances()
    return order.index(stance) if stance in order else len(order)

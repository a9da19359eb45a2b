"""The reaction record: its columns, and the article a record's sentence comes from.

One declaration that reading, validation, scoring and export share.
"""

from __future__ import annotations

from dataclasses import dataclass

RECORD_COLUMNS = (
    "id",
    "event",
    "date",
    "actor",
    "speaker",
    "speaker_role",
    "via",
    "stance",
    "target",
    "mode",
    "text",
    "cue",
    "source",
    "start",
    "end",
)

# Columns a user's file may carry beside the record's own: the reacting actor's ISO 3166 alpha-3 country
# code, which places an actor the registry does not know on the map when the user keeps it as a new actor.
ACTOR_CODE_COLUMN = "actor_iso3"
MATCHED_COLUMNS = (*RECORD_COLUMNS, ACTOR_CODE_COLUMN)
# The least a user's file needs for scoring: who reacted, and the words.
MINIMAL_COLUMNS = ("actor", "text")
OFFSET_COLUMNS = ("start", "end")
TARGET_SEPARATOR = "; "


@dataclass(frozen=True)
class Article:
    event: str
    date: str
    title: str
    source: str
    text: str

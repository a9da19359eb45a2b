"""Pure display helpers of the pages: the highlighted quote and chart selections mapped to records."""

from types import SimpleNamespace

import pandas as pd

from dashboard.views.evidence import highlighted_quote, records_behind_selection


def test_the_cue_is_marked_inside_the_quote():
    quote = highlighted_quote("The council condemned the raid.", "condemned", "#D55E00")
    assert quote.startswith("The council <mark")
    assert ">condemned</mark> the raid." in quote


def test_quotes_are_escaped_so_they_cannot_inject_markup():
    quote = highlighted_quote('He said <script>alert("x")</script> & left.', "said", "#000000")
    assert "<script>" not in quote
    assert "&lt;script&gt;" in quote and "&amp; left." in quote


def test_a_cue_split_across_lines_is_still_found():
    assert "<mark" in highlighted_quote("stressing that the Union\nHe will study", "the Union He will", "#000")


def test_a_missing_cue_leaves_the_quote_plain():
    assert highlighted_quote("Nothing here.", "absent", "#000") == "Nothing here."


def test_selected_points_become_the_records_behind_them():
    import pandas as pd

    records = pd.DataFrame({"id": ["a", "b", "c", "d"], "actor": ["NATO", "NATO", "Russia", "Russia"]})
    event = SimpleNamespace(selection={"points": [{"customdata": ["a"]}, {"customdata": ["select?actor=Russia"]}]})
    assert records_behind_selection(event, records)["id"].tolist() == ["a", "c", "d"]
    assert records_behind_selection(None, records).empty


def test_confirmed_names_replace_the_unknown_ones_in_actor_and_target():
    import pandas as pd

    from dashboard.views.upload import KEEP_AS_NEW, LEAVE_OUT, apply_actor_decisions

    table = pd.DataFrame({"actor": ["Frnace", "Atlantis", "NATO"], "target": ["Sirya; Atlantis", "", "Frnace"]})
    decisions = {"Frnace": "France", "Sirya": "Syria", "Atlantis": KEEP_AS_NEW, "Oz": LEAVE_OUT}
    out = apply_actor_decisions(table, decisions)
    assert out["actor"].tolist() == ["France", "Atlantis", "NATO"]
    assert out["target"].tolist() == ["Syria; Atlantis", "", "France"]
    assert table["actor"].tolist() == ["Frnace", "Atlantis", "NATO"]  # the input is untouched


def test_plain_shows_markdown_as_written():
    from dashboard.views.common import plain

    name = "![x](http://example.org/x.png) **Atlantis** [link](http://e) :red[x] `c`"
    escaped = plain(name)
    assert "](" not in escaped.replace("\\]\\(", "")  # no unescaped link or image syntax left
    assert escaped.replace("\\", "") == name


def test_stance_differences_show_each_actors_dominant_stance_and_mix_in_both_events():
    import pandas as pd

    from dashboard.views.compare import stance_differences

    def records(rows):
        return pd.DataFrame(
            [{"id": f"r{i}", "actor": a, "stance": s, "target": "", "intensity": -0.5} for i, (a, s) in enumerate(rows)]
        )

    left = records([("NATO", "condemn"), ("NATO", "condemn"), ("NATO", "warn"), ("Russia", "deny")])
    right = records([("NATO", "condemn"), ("NATO", "warn"), ("NATO", "warn"), ("NATO", "condemn"), ("NATO", "condemn")])
    table = stance_differences(left, right, "a", "b").set_index("actor")
    assert table.loc["NATO", "stances (a)"] == "condemn 2 · warn 1"
    assert table.loc["NATO", "stances (b)"] == "condemn 3 · warn 2"
    assert not table.loc["NATO", "changed"] and table.loc["NATO", "mix_changed"]
    assert table.loc["Russia", "dominant_stance (b)"] == "—" and table.loc["Russia", "records (b)"] == 0
    assert table.loc["Russia", "changed"]


def test_the_differences_table_is_shown_with_headers_a_reader_understands():
    import pandas as pd

    from dashboard.views.compare import difference_headers, stance_differences

    left = pd.DataFrame([{"id": "r1", "actor": "NATO", "stance": "condemn", "target": "", "intensity": -0.5}])
    table = stance_differences(left, left.assign(stance="warn"), "idlib-2020", "my_records")
    headers = difference_headers("idlib-2020", "my_records")
    assert set(table.columns) <= set(headers)
    assert headers["mix_changed"] == "Stance mix changed"
    assert headers["dominant_stance (my_records)"] == "Dominant stance (my_records)"
    # No header is a column name with underscores (other than in the event's own name).
    assert not any("_" in label.replace("my_records", "") for label in headers.values())


def test_the_headline_names_the_busiest_targets_and_counts_the_rest():
    from dashboard.views.overview import HEADLINE_ACTORS, HEADLINE_TARGETS, headline

    actors = "; ".join(f"Actor {n:02d}" for n in range(HEADLINE_ACTORS + 3))
    rows = [("condemn", f"Target {n}", 10 - n, actors) for n in range(HEADLINE_TARGETS + 2)]
    rows.append(("support", "Syria", 1, "France"))
    by_target = pd.DataFrame(rows, columns=["stance", "target", "records", "actors"])
    condemn, support = headline(by_target)
    assert condemn.count(" more → Target") == HEADLINE_TARGETS and "Target 0" in condemn and "Target 7" not in condemn
    assert "and 3 more → Target 0" in condemn and "2 more targets" in condemn
    assert support == "**support**: France → Syria"

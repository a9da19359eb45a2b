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
    extended = registry.with_new_states({"Kingdom of Bhutan": "BTN", "France": "XXX"})
    assert extended.resolve_actor("Kingdom of Bhutan") == "Kingdom of Bhutan"
    assert extended.actors["Kingdom of Bhutan"].iso3 == "BTN"
    assert extended.actors["France"].iso3 == registry.actors["France"].iso3 != "XXX"
    assert registry.resolve_actor("Kingdom of Bhutan") is None  # the shipped registry is untouched
    assert registry.with_new_states({}) is registry

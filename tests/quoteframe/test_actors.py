"""The actor gazetteer: names, adjectives and institutions -> the side they speak for."""
from __future__ import annotations

import subprocess
import sys

import pytest

from quoteframe.actors import ActorMention, Gazetteer, default_gazetteer
from tests.conftest import REPO


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return default_gazetteer()


def mentions(gaz: Gazetteer, text: str) -> list[tuple[str, str]]:
    return [(m.text, m.actor) for m in gaz.find(text)]


# ---------------------------------------------------------------- actor(phrase)


@pytest.mark.parametrize(
    "phrase, actor",
    [
        ("Polish police", "Poland"),
        ("French President Emmanuel Macron", "France"),
        ("Belarusian state news agency Belta", "Belarus"),
        ("the Kremlin", "Russia"),
        ("a statement from the French presidency", "France"),
        ("Lithuanian officials", "Lithuania"),
        ("Germany's outgoing Chancellor Angela Merkel", "Germany"),
        ("the North Atlantic Treaty Organization (NATO)", "NATO"),
        ("the head of the UN refugee agency in Poland", "UN"),
        ("asylum seekers", "migrants"),
        ("Belarusian authorities", "Belarus"),
        ("the American actions", "USA"),
        ("Red Cross", "Red Cross"),
        ("ICRC", "Red Cross"),
        ("the Polish Red Cross", "Red Cross"),
        ("UNHCR", "UN"),
        ("Reuters", "media"),
        ("the Associated Press", "media"),
        ("Elysee Palace", "France"),
        ("Lukashenko's government", "Belarus"),
        # state security forces by their acronyms speak for their state
        ("a BSF commander", "India"),
        ("the BGB chief", "Bangladesh"),
        ("an ISPR statement", "Pakistan"),
        ("the Tatmadaw", "Myanmar"),
        # an unnamed charity or rights group, wherever it is based
        ("UK-based non-government group Malawi Rights Watch", "NGOs"),
        ("a non-governmental group", "NGOs"),
        # heads of state and government, recent ones included: archives span years
        ("President Mahamat Idriss Déby", "Chad"),
        ("Prime Minister Mohammed Shia al-Sudani", "Iraq"),
        ("former Prime Minister Sheikh Hasina", "Bangladesh"),
        ("President Paul Biya", "Cameroon"),
        ("the late President Ebrahim Raisi", "Iran"),
        ("President Evariste Ndayishimiye", "Burundi"),
        # a foreign minister named with no country: the reader knows whose he is
        ("foreign minister and government spokesman Abderaman Koulamallah", "Chad"),
        # ranks only the UN secretariat has; another body's own rank stays its own
        ("Assistant Secretary-General Ana Lobo", "UN"),
        ("Under-Secretary-General for Political Affairs Ana Lobo", "UN"),
        ("NATO Assistant Secretary-General Ana Lobo", "NATO"),
        # defence and foreign ministers of the powers most in the news, accented names as written
        ("Defense secretary Pete Hegseth", "USA"),
        ("Foreign Minister Yván Gil", "Venezuela"),
        # groups of states that speak together
        ("top diplomats from the Group of Seven", "G7"),
        ("G20 finance ministers", "G20"),
        # a body named for the place it deals with is not that place's
        ("the Malawi Affairs Office", None),
        ("Tanzania's Malawi and Mozambique Affairs Office", "Tanzania"),
        ("Minister for European Union Affairs Ana Lobo", None),
    ],
)
def test_actor_of_speaker_mentions(gaz, phrase, actor):
    assert gaz.actor(phrase) == actor


@pytest.mark.parametrize(
    "phrase", ["a doctor", "he", "officials", "the ministry", "the opposition", ""]
)
def test_actor_is_none_when_no_side_is_named(gaz, phrase):
    assert gaz.actor(phrase) is None


@pytest.mark.parametrize(
    "phrase, actor",
    [
        # state media speak for their state, free media for themselves
        ("Russian news agency TASS", "Russia"),
        ("RIA Novosti", "Russia"),
        ("Xinhua", "China"),
        ("the Global Times", "China"),
        ("IRNA", "Iran"),
        ("KCNA", "North Korea"),
        ("Al Jazeera", "media"),
        ("AFP", "media"),
        ("QNA", "Qatar"),
        ("the state news agency WAM", "UAE"),
        ("KUNA", "Kuwait"),
        ("Bernama", "Malaysia"),
        ("Algérie Presse Service", "Algeria"),
        ("Iran's state media", "Iran"),
        ("Iran's state-backed media", "Iran"),
        ("Cuban state-controlled media", "Cuba"),
        ("Egypt's state-run broadcaster", "Egypt"),
        ("Iranian media", "media"),
        # seats of government and institutions
        ("Downing Street", "UK"),
        ("the White House", "USA"),
        ("the Pentagon", "USA"),
        ("Zhongnanhai", "China"),
        ("Bankova", "Ukraine"),
        ("the Russian Defence Ministry", "Russia"),
        ("the European Commission", "EU"),
        ("Frontex", "EU"),
        ("WHO", "UN"),
        ("IFRC", "Red Cross"),
        # library countries and their spellings
        ("Türkiye", "Turkey"),
        ("Turkish officials", "Turkey"),
        ("Czech Republic", "Czech Republic"),
        ("Czechia", "Czech Republic"),
        ("Taipei", "Taiwan"),
        ("Kiev", "Ukraine"),
        ("the IDF", "Israel"),
        ("Tehran", "Iran"),
        ("South Korean officials", "South Korea"),
        ("North Korea", "North Korea"),
        ("Azerbaijani forces", "Azerbaijan"),
        ("Armenia", "Armenia"),
        ("Kosovo", "Kosovo"),
        ("Britain", "UK"),
        ("U.S. officials", "USA"),
        # groups and armed organisations
        ("Western governments", "the West"),
        ("The Europeans at the table", "EU"),
        ("Palestinian Authority", "Palestinians"),
        ("Gaza residents", "Palestinians"),
        ("Palestinian militant group Hamas", "Hamas"),
        ("Yemen's Houthi rebels", "Houthis"),
        ("the Rapid Support Forces", "RSF"),
        ("Tigray People’s Liberation Front", "TPLF"),
        ("a Polish charity", "NGOs"),
        ("Syrian refugees", "migrants"),
        ("Asylum-seekers", "migrants"),
    ],
)
def test_actor_of_institutions_media_and_groups(gaz, phrase, actor):
    assert gaz.actor(phrase) == actor


def test_countries_and_blocs_tie_and_the_first_named_wins(gaz):
    # A Russian ambassador to the UN speaks for Russia, not the UN.
    assert gaz.actor("Russian UN ambassador Vassily Nebenzia") == "Russia"
    assert gaz.actor("Russia's envoy to NATO") == "Russia"


@pytest.mark.parametrize("phrase, actor", [
    ("the mayor of a town that borders Russia", None),
    ("farmers on the border with Lebanon", "farmers"),
    ("Neighbouring Algeria", "Algeria"),
])
def test_a_neighbour_named_in_a_description_is_not_whose_it_is(gaz, phrase, actor):
    assert gaz.actor(phrase) == actor


@pytest.mark.parametrize("phrase, actor", [
    ("Ana Lobo, Minister of Information and Media", None),
    ("the Media Coordinator of Lakeside College", None),
    ("Kenyan Minister of Information and Media Ana Lobo", "Kenya"),
    ("foreign media reported", "media"),
])
def test_a_word_for_the_media_inside_a_proper_name_names_no_outlet(gaz, phrase, actor):
    assert gaz.actor(phrase) == actor


@pytest.mark.parametrize("phrase, actor", [
    ("the press service of the Latvian defence ministry", "Latvia"),
    ("the press office of the Kremlin", "Russia"),
    ("the press secretary", None),
    ("the press reported", "media"),
])
def test_press_before_service_or_office_names_no_outlet(gaz, phrase, actor):
    """ "The press service of X" speaks for X; "the press" alone is the news media."""
    assert gaz.actor(phrase) == actor


@pytest.mark.parametrize("phrase, actor", [
    ("National Security Council spokesman Tomas Vale", None),
    ("the Philippine National Security Council", "Philippines"),
    ("the UN Security Council", "UN"),
    ("the Security Council", "UN"),
])
def test_a_national_security_council_is_no_un_body(gaz, phrase, actor):
    assert gaz.actor(phrase) == actor


def test_the_alliance_is_not_nato(gaz):
    # Regression guard: "the alliance" is NATO only when the article says so.
    assert gaz.actor("the alliance") is None


# ---------------------------------------------------------------- canonical(name)


@pytest.mark.parametrize(
    "name, actor",
    [
        ("the Kremlin", "Russia"),
        ("The Kremlin", "Russia"),
        ("Poland", "Poland"),
        ("poland", "Poland"),
        ("Polish", "Poland"),
        ("United States", "USA"),
        ("Russian Federation", "Russia"),
        ("Turkey", "Turkey"),
        ("migrants", "migrants"),
        ("media", "media"),
        ("Red Cross", "Red Cross"),
    ],
)
def test_canonical_is_exact_alias_lookup(gaz, name, actor):
    assert gaz.canonical(name) == actor


@pytest.mark.parametrize("name", ["Atlantis", "the Polish police", "Latin America", "opposition"])
def test_canonical_unknown_is_none(gaz, name):
    assert gaz.canonical(name) is None


def test_actors_holds_the_canonical_names_of_the_labels(gaz):
    expected = {
        "USA", "UK", "Russia", "Belarus", "Poland", "France", "Germany", "China",
        "Taiwan", "Ukraine", "Israel", "Iran", "Turkey", "South Korea", "North Korea",
        "Czech Republic", "EU", "NATO", "UN", "Red Cross", "NGOs", "media", "migrants",
        "the West", "Palestinians", "Hamas", "Hezbollah", "Houthis", "RSF",
        "TPLF", "Kosovo", "Armenia", "Azerbaijan", "protesters",
    }
    assert expected <= gaz.actors
    # Library names are replaced by the short canonical ones.
    assert not {"United States", "United Kingdom", "Russian Federation"} & gaz.actors
    assert gaz.kind("Red Cross") == "organisation" and gaz.kind("Poland") == "country"


# ---------------------------------------------------------------- find(text)


def test_find_returns_offsets_into_the_text(gaz):
    text = (
        "Putin noted “the harsh treatment of refugees by Polish border guards,” "
        "the Kremlin said."
    )
    found = gaz.find(text)
    assert [m.actor for m in found] == ["Russia", "migrants", "Poland", "Russia"]
    assert all(text[m.start : m.end] == m.text for m in found)
    assert found == sorted(found, key=lambda m: m.start)
    assert isinstance(found[0], ActorMention)


@pytest.mark.parametrize(
    "text",
    [
        "Please let us know what you think.",
        "It was an unlikely, un-named and unusual event.",
        "The un-opposed motion was tabled; who knows?",
        "The alliance met; the opposition walked out.",
    ],
)
def test_lowercase_prose_does_not_match_acronyms(gaz, text):
    assert gaz.find(text) == []


def test_acronyms_match_in_capitals(gaz):
    assert mentions(gaz, "The US and the UN told the EU.") == [
        ("US", "USA"), ("UN", "UN"), ("EU", "EU")
    ]


def test_group_words_match_in_any_case(gaz):
    assert mentions(gaz, "Migrants and REFUGEES and asylum seekers") == [
        ("Migrants", "migrants"), ("REFUGEES", "migrants"), ("asylum seekers", "migrants")
    ]


def test_possessives_and_plural_demonyms(gaz):
    assert mentions(gaz, "Poland's and Russia’s envoys met Poles, Russians and Americans.") == [
        ("Poland", "Poland"), ("Russia", "Russia"), ("Poles", "Poland"),
        ("Russians", "Russia"), ("Americans", "USA"),
    ]


def test_hyphenated_compounds_yield_each_part(gaz):
    assert mentions(gaz, "at the Belarus-Polish border") == [
        ("Belarus", "Belarus"), ("Polish", "Poland")
    ]
    assert mentions(gaz, "the Belarusian-Lithuanian border") == [
        ("Belarusian", "Belarus"), ("Lithuanian", "Lithuania")
    ]


def test_longest_alias_wins(gaz):
    assert mentions(gaz, "the UN Security Council and Papua New Guinea") == [
        ("UN Security Council", "UN"), ("Papua New Guinea", "Papua New Guinea")
    ]
    assert mentions(gaz, "the Democratic Republic of the Congo") == [
        ("Democratic Republic of the Congo", "Democratic Republic of the Congo")
    ]


def test_territories_do_not_steal_their_state_demonym(gaz):
    # Martinique's demonym is "French" too; the most populous claimant wins.
    assert gaz.canonical("French") == "France"
    assert gaz.canonical("Chinese") == "China"
    assert gaz.canonical("Indian") == "India"


def test_not_actors_are_dropped(gaz):
    assert mentions(gaz, "Latin American leaders in New Jersey") == []
    assert mentions(gaz, "schools in the West Bank") == [("the West Bank", "Palestinians")]


@pytest.mark.parametrize("phrase, actor", [
    ("the Maldivian foreign ministry", "Maldives"),  # demonyms the country library lacks
    ("Equatoguinean officials", "Equatorial Guinea"),
    ("a Surinamese diplomat", "Suriname"),
    ("the Timorese government", "East Timor"),
    ("Cotonou", "Benin"),  # a seat of government the library does not list as the capital
    ("officials in Dar es Salaam", "Tanzania"),
])
def test_demonyms_and_seats_the_library_lacks(gaz, phrase, actor):
    assert gaz.actor(phrase) == actor


def test_spacing_and_curly_apostrophes(gaz):
    assert mentions(gaz, "People’s Daily and the\nKremlin") == [
        ("People’s Daily", "China"), ("the\nKremlin", "Russia")
    ]


def test_iso_codes_of_the_library_are_not_aliases(gaz):
    # "IN", "IS", "CAN" are country codes in the library and words in prose.
    assert mentions(gaz, "IN CAN IS PER") == []


# ---------------------------------------------------------------- user files


def test_user_file_extends_and_overrides(tmp_path):
    user = tmp_path / "mine.toml"
    user.write_text(
        """
[actors."Wagner"]
kind = "organisation"
aliases = ["Wagner Group", "Prigozhin"]

[actors."Belgium"]
aliases = ["Brussels"]

[actors."migrants"]
kind = "group"
words = ["stranded people"]

[not_actors]
aliases = ["Jordan"]
""",
        encoding="utf-8",
    )
    gaz = Gazetteer.load([user])
    assert gaz.actor("Russian mercenaries of the Wagner Group") == "Wagner"
    assert gaz.canonical("Brussels") == "Belgium"  # bundled file said EU
    assert gaz.actor("Stranded People at the border") == "migrants"
    assert gaz.find("Jim Jordan said") == []
    assert gaz.canonical("the Kremlin") == "Russia"  # the rest is kept
    assert default_gazetteer().canonical("Brussels") == "EU"  # default untouched


def test_user_files_apply_in_order_and_accept_strings(tmp_path):
    first, second = tmp_path / "a.toml", tmp_path / "b.toml"
    first.write_text('[actors."X"]\naliases = ["Zorblat"]\n', encoding="utf-8")
    second.write_text('[actors."Y"]\naliases = ["Zorblat"]\n', encoding="utf-8")
    assert Gazetteer.load([str(first), str(second)]).canonical("Zorblat") == "Y"


@pytest.mark.parametrize(
    "content, problem",
    [
        ('[actors."X"\naliases = ["a"]', "not valid TOML"),
        ('[actors."X"]\nkind = "party"\n', "kind"),
        ('[actors."X"]\naliases = "Zorblat"\n', "list of non-empty strings"),
        ('[actors."X"]\nalias = ["Zorblat"]\n', "unknown key"),
        ('[actor."X"]\naliases = ["Zorblat"]\n', "unknown top-level section"),
        ('[not_actors]\naliases = [""]\n', "list of non-empty strings"),
        ('[regions]\n"Wakanda" = "Birnin Zana"\n', "list of non-empty strings"),
    ],
)
def test_malformed_user_file_names_the_file_and_problem(tmp_path, content, problem):
    bad = tmp_path / "broken_actors.toml"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=problem) as excinfo:
        Gazetteer.load([bad])
    assert "broken_actors.toml" in str(excinfo.value)


def test_bundled_data_file_is_valid():
    bundled = REPO / "quoteframe" / "data" / "actors.toml"
    assert bundled.is_file()
    Gazetteer.load([bundled])  # loading it twice as a user file must not fail


# ---------------------------------------------------------------- cost


def test_default_gazetteer_is_built_once():
    assert default_gazetteer() is default_gazetteer()


def test_import_loads_no_country_data():
    code = (
        "import sys, quoteframe.actors;"
        "assert 'countryinfo' not in sys.modules, 'country library loaded at import'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize("name, country", [
    ("Democratic Republic of Congo", "Democratic Republic of the Congo"),
    ("the Republic of Congo", "Republic of the Congo"),
])
def test_a_country_name_without_its_article_is_the_country(name, country):
    """Wire copy writes "Democratic Republic of Congo"; the country library has "of the Congo"."""
    assert default_gazetteer().actor(name) == country


@pytest.mark.parametrize("phrase, actor", [
    ("a Taliban spokesman", "Afghanistan"),  # the country's government since 2021
    ("the Pakistani Taliban", "TTP"),
    ("the Economic Community of Central African States", "ECCAS"),  # not the Central African Republic
    ("the East African Community", "East African Community"),
])
def test_governments_and_blocs_whose_names_hold_other_names(gaz, phrase, actor):
    assert gaz.actor(phrase) == actor


def test_a_users_file_can_move_the_taliban_back_to_a_side_of_their_own(tmp_path):
    """For archives from before 2021 (actors.toml says how)."""
    from quoteframe.actors import Gazetteer

    own = tmp_path / "old.toml"
    own.write_text('[actors."Taliban"]\nkind = "organisation"\naliases = ["Taliban", "the Taliban"]\n')
    assert Gazetteer.load([own]).actor("a Taliban spokesman") == "Taliban"


@pytest.mark.parametrize("phrase, actor", [
    ("head of the Skopje mission of the Organization for Security and Co-operation in Europe", "OSCE"),
    ("the Kosovo office of the UN", "UN"),
    ("Hungary, a member of the EU", "Hungary"),  # a member is no mission
    ("the Polish delegation to the EU", "Poland"),
])
def test_a_blocs_mission_speaks_for_the_bloc_not_the_place_before_it(gaz, phrase, actor):
    assert gaz.actor(phrase) == actor


@pytest.mark.parametrize("name, country", [
    ("Tampere", "Finland"),
    ("Jarosław", "Poland"),
    ("Malmo", "Sweden"),  # "Malmö" without its accent too
    ("Alexandria", "Egypt"),  # far larger than the Alexandria of Virginia
    ("Warsaw", None),  # a capital is an alias of its country, not a town here
    ("March", None),  # a month before it is a town in England
])
def test_towns_give_their_country(gaz, name, country):
    assert gaz.town(name) == country


@pytest.mark.parametrize("phrase, actor", [
    ("CHINA'S coast guard", "China"),
    ("the TURKISH foreign ministry", "Turkey"),
    ("JAPAN’S defence ministry", "Japan"),
])
def test_a_lead_in_in_capitals_names_its_country(gaz, phrase, actor):
    """Some outlets open a story in capitals: "CHINA'S coast guard on Tuesday said ..."."""
    assert gaz.actor(phrase) == actor


def test_capitals_alone_name_no_side(gaz):
    assert gaz.actor("THE MINISTRY") is None
    assert gaz.actor("NATO") == "NATO"


# ---------------------------------------------------------------- regions


def test_regions_the_library_spells_otherwise_are_found_in_text(gaz):
    found = [(m.text, m.actor) for m in gaz.find_regions("the governor of Sistan and Baluchestan and the Kursk region")]
    assert found == [("Sistan and Baluchestan", "Iran"), ("Kursk", "Russia")]
    assert gaz.region("North Kivu") == "Democratic Republic of the Congo"


def test_a_users_file_adds_regions(tmp_path):
    own = tmp_path / "regions.toml"
    own.write_text('[regions]\n"Ruritania" = ["Strelsau Province"]\n[actors."Ruritania"]\naliases = ["Ruritania"]\n',
                   encoding="utf-8")
    mine = Gazetteer.load([own])
    assert [(m.text, m.actor) for m in mine.find_regions("the Strelsau Province governor")] == [
        ("Strelsau Province", "Ruritania")]
    assert default_gazetteer().find_regions("the Strelsau Province governor") == []


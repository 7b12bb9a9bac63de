"""A large, varied, synthetic news archive for benchmarking the batch scorer (``quoteframe score``).

    python bench/make_archive.py --articles 10000 --out build/archive/articles.jsonl.gz
    python bench/make_archive.py --articles 2000 --out build/archive/articles.parquet --seed 3
    python bench/make_archive.py --articles 500 --out build/archive/txt --format txt --bad 0.02

Every article is news-style English about a dispute between two sides taken
from the actor gazetteer (``quoteframe/data/actors.toml``: names, adjectives,
institutions, leaders), so that its quotes are attributable: a dateline, lead
and background sentences, and 0-15 quotes in many shapes (direct with the cue
before or after, split, multi-sentence, indirect "said that", "according to",
"accused X of", "called on X to", mixed quotes with a quoted fragment,
pronoun and role follow-ups), carrying every frame of LABELS.md. Lengths run
from about 150 to 1,500 words (median near 500). Templates are combined with
slot vocabularies (people made from first and last name lists, roles, cue
verbs, topics, places, numbers), so few sentences repeat. The same seed gives
the same archive, byte for byte.

Columns: ``id`` ("art-000001"), ``text``, ``title``, ``date`` (ISO, 2023-2024),
``source`` (an invented outlet), ``lang`` ("en").

Formats (``--format``, else from the ``--out`` extension):

- ``jsonl`` (``.jsonl``, ``.jsonl.gz``): one JSON object a line;
- ``csv`` (``.csv``, ``.csv.gz``): a header, then RFC 4180 quoting (newlines
  inside quoted fields);
- ``parquet`` (``.parquet``): string columns, row groups of 1,000 rows;
- ``txt`` (a folder, no extension): one ``ID.txt`` an article, the text only
  (metadata is lost). Earlier ``art-*.txt`` files in the folder are removed.

Bad articles (``--bad FRACTION``, default 0: a clean archive). ``round(n *
FRACTION)`` articles (at least one when FRACTION > 0), chosen by the seed,
are replaced by one of the kinds their format can carry, in turn:

- ``empty``: the text is ``""``;
- ``blank``: the text is whitespace only (spaces, tabs, newlines);
- ``null``: the text is missing (JSON ``null`` / a Parquet null; jsonl, parquet);
- ``broken_json``: the line is the article's JSON cut off mid-object, so it
  does not parse (jsonl only);
- ``binary``: the file holds bytes that are not UTF-8, with NULs (txt only).

The other articles are the same whatever FRACTION is. A one-line summary goes
to stderr at the end.

From Python::

    from make_archive import generate, write_archive   # with bench/ on sys.path
    for article in generate(100, seed=7):               # dicts with the columns above
        ...
    generate(20, seed=7, truth=True)                    # adds "quotes": the quotes it wrote
    write_archive("build/a.parquet", 1000, seed=7)      # returns the summary as a dict
"""
from __future__ import annotations

import argparse
import bisect
import csv
import datetime as dt
import functools
import gzip
import itertools
import json
import math
import os
import random
import re
import sys
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

REPO = Path(__file__).resolve().parents[1]
ACTORS_TOML = REPO / "quoteframe" / "data" / "actors.toml"
COLUMNS = ("id", "text", "title", "date", "source", "lang")
FORMATS = ("jsonl", "csv", "parquet", "txt")
BAD_KINDS = {
    "jsonl": ("empty", "blank", "null", "broken_json"),
    "csv": ("empty", "blank"),
    "parquet": ("empty", "blank", "null"),
    "txt": ("empty", "blank", "binary"),
}
ROW_GROUP = 1_000
FIRST_DAY = dt.date(2023, 1, 1)
DAYS = 730

# ------------------------------------------------------------------ vocabulary
# The gazetteer gives the sides; what it does not hold (capitals, titles, name
# pools, regions) is here, as data.


def _lines(block: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in block.strip().splitlines() if line.strip())


def _names(block: str) -> tuple[str, ...]:
    return tuple(block.split())


def _items(block: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in block.split(",") if item.strip())


_TAGS = re.compile(r"\[([\w,-]+)\]\s*")


@functools.lru_cache(maxsize=4096)
def _usable(pool: tuple[str, ...], topic: str) -> tuple[str, ...]:
    """The templates of ``pool`` allowed for ``topic``, without their "[topic,...]" tags."""
    out = []
    for template in pool:
        tags = _TAGS.match(template)
        if tags is None:
            out.append(template)
        elif topic in tags.group(1).split(","):
            out.append(template[tags.end():])
    return tuple(out) or tuple(_TAGS.sub("", t, count=1) for t in pool)


SOURCES = ("The Continental Post", "Frontier Daily", "Baltic Wire Service", "Global News Desk",
           "The Meridian Herald", "Eastern Europe Monitor", "Pacific Ledger", "The Evening Dispatch")
SOURCE_TAGS = {"The Continental Post": "CP", "Frontier Daily": "FD", "Baltic Wire Service": "BWS",
               "Global News Desk": "GND", "The Meridian Herald": "MH", "Eastern Europe Monitor": "EEM",
               "Pacific Ledger": "PL", "The Evening Dispatch": "ED"}

DISPLAY = {"USA": "the United States", "UK": "Britain", "EU": "the EU", "UN": "the UN",
           "Palestinians": "the Palestinian Authority", "Czech Republic": "the Czech Republic",
           "Philippines": "the Philippines", "NATO": "NATO"}
CAPITALS = {
    "USA": "Washington", "UK": "London", "Russia": "Moscow", "Belarus": "Minsk", "Poland": "Warsaw",
    "France": "Paris", "Germany": "Berlin", "China": "Beijing", "Taiwan": "Taipei", "Ukraine": "Kyiv",
    "Israel": "Jerusalem", "Iran": "Tehran", "Turkey": "Ankara", "North Korea": "Pyongyang",
    "South Korea": "Seoul", "Czech Republic": "Prague", "Lithuania": "Vilnius", "Latvia": "Riga",
    "Syria": "Damascus", "Serbia": "Belgrade", "Philippines": "Manila", "Kosovo": "Pristina",
    "Palestinians": "Ramallah", "EU": "Brussels", "NATO": "Brussels",
}
NEUTRAL_CITIES = ("Geneva", "Istanbul", "Munich", "Salzburg", "Davos", "New York")
REGION = {
    "Russia": "ee", "Belarus": "ee", "Poland": "ee", "Ukraine": "ee", "Lithuania": "ee", "Latvia": "ee",
    "Czech Republic": "ee", "China": "cn", "Taiwan": "cn", "North Korea": "kr", "South Korea": "kr",
    "Philippines": "ph", "Israel": "il", "Iran": "me", "Turkey": "me", "Syria": "me", "Palestinians": "me",
    "Serbia": "bk", "Kosovo": "bk", "France": "fr", "Germany": "de",
}
# Leaders of the gazetteer with their title: (title, pronoun, role mention).
# "{adj}" is the side's adjective. A leader missing here is not used.
TITLES = {
    "Vladimir Putin": ("{adj} President", "he", "the president"),
    "Sergei Lavrov": ("{adj} Foreign Minister", "he", "the minister"),
    "Dmitry Peskov": ("Kremlin spokesman", "he", "the spokesman"),
    "Maria Zakharova": ("{adj} Foreign Ministry spokeswoman", "she", "the spokeswoman"),
    "Alexander Lukashenko": ("{adj} President", "he", "the president"),
    "Andrzej Duda": ("{adj} President", "he", "the president"),
    "Donald Tusk": ("{adj} Prime Minister", "he", "the prime minister"),
    "Emmanuel Macron": ("{adj} President", "he", "the president"),
    "Olaf Scholz": ("{adj} Chancellor", "he", "the chancellor"),
    "Annalena Baerbock": ("{adj} Foreign Minister", "she", "the minister"),
    "Xi Jinping": ("{adj} President", "he", "the president"),
    "Wang Yi": ("{adj} Foreign Minister", "he", "the minister"),
    "Volodymyr Zelensky": ("{adj} President", "he", "the president"),
    "Dmytro Kuleba": ("{adj} Foreign Minister", "he", "the minister"),
    "Benjamin Netanyahu": ("{adj} Prime Minister", "he", "the prime minister"),
    "Recep Tayyip Erdogan": ("{adj} President", "he", "the president"),
    "Joe Biden": ("{adj} President", "he", "the president"),
    "Antony Blinken": ("US Secretary of State", "he", "the secretary of state"),
    "Rishi Sunak": ("{adj} Prime Minister", "he", "the prime minister"),
    "Josep Borrell": ("EU foreign policy chief", "he", None),
    "Ursula von der Leyen": ("European Commission President", "she", "the commission president"),
    "Jens Stoltenberg": ("NATO Secretary-General", "he", "the secretary-general"),
    "Antonio Guterres": ("UN Secretary-General", "he", "the secretary-general"),
}
STATE_MEDIA = {"Russia": "TASS", "Belarus": "Belta", "China": "Xinhua", "Iran": "IRNA", "Turkey": "Anadolu",
               "North Korea": "KCNA", "Syria": "SANA", "Ukraine": "Ukrinform", "Poland": "PAP"}
# Ministers (title before the name, appositive after it, role mention) and
# government bodies (name, later mention): "{adj}" the adjective, "{pos}" the
# side's possessive. Countries not listed take the default.
OFFICES = {
    "default": (("{adj} Foreign Minister", "{pos} foreign minister", "the minister"),
                ("{adj} Defence Minister", "{pos} defence minister", "the minister"),
                ("{adj} Interior Minister", "{pos} interior minister", "the minister"),
                ("{adj} Deputy Foreign Minister", "{pos} deputy foreign minister", "the minister")),
    "USA": (("US Deputy Secretary of State", "the US deputy secretary of state", "the secretary"),
            ("US Homeland Security Secretary", "the US homeland security secretary", "the secretary"),
            ("US Defense Secretary", "the US defense secretary", "the secretary")),
    "UK": (("British Foreign Secretary", "{pos} foreign secretary", "the foreign secretary"),
           ("British Defence Secretary", "{pos} defence secretary", "the defence secretary"),
           ("British Home Secretary", "{pos} home secretary", "the home secretary")),
}
BODIES = {
    "default": (("{adj} foreign ministry", "the ministry"), ("{adj} defence ministry", "the ministry"),
                ("{adj} interior ministry", "the ministry"), ("{adj} government", "the government")),
    "USA": (("State Department", "the department"), ("Pentagon", "the Pentagon"), ("White House", "the White House")),
    "UK": (("British Foreign Office", "the Foreign Office"), ("British Ministry of Defence", "the ministry"),
           ("British Home Office", "the Home Office"), ("British government", "the government")),
}
SPOKES_BODIES = {"USA": (), "UK": ()}  # who else has a spokesman; default: the border guard
GROUP_BODIES = {"default": ("border guards", "police", "military officials", "officials"),
                "USA": ("officials", "military officials"), "UK": ("officials", "military officials")}
# Words that make a multi-word alias an institution rather than a person.
INSTITUTION_WORDS = frozenset(
    "Ministry Council Commission Parliament Department Palace Agency Organization Organisation Committee "
    "Federation Watch International Cross Crescent Forces Army Guards Court Foundation Office Duma Knesset "
    "Bundestag Kremlin Pentagon House Programme Program Borders Children Rescue".split())

# Dispute pairs of countries: (side A, side B, place region, extra topics).
# Pairs whose sides the gazetteer lacks are dropped. Blocs take part as third
# parties.
PAIRS = (
    ("Belarus", "Poland", "bypl", ("migrant",)), ("Belarus", "Lithuania", "bylt", ("migrant",)),
    ("Belarus", "Latvia", "bylv", ("migrant",)), ("Russia", "Ukraine", "ua", ("humanitarian",)),
    ("Russia", "Latvia", "ruba", ()), ("Russia", "Lithuania", "ruba", ()), ("Russia", "Poland", "ruba", ()),
    ("Russia", "UK", "west", ()),
    ("China", "Taiwan", "cn", ("maritime",)), ("China", "Philippines", "ph", ("maritime",)),
    ("China", "USA", "cn", ("maritime",)), ("North Korea", "South Korea", "kr", ()),
    ("Israel", "Palestinians", "ilps", ("humanitarian",)), ("Israel", "Iran", "ilir", ()),
    ("Iran", "USA", "gulf", ("maritime",)), ("Turkey", "Syria", "trsy", ("migrant", "humanitarian")),
    ("Serbia", "Kosovo", "bk", ()), ("UK", "France", "west", ("migrant",)),
    ("Czech Republic", "Poland", "czpl", ("water",)), ("Germany", "Poland", "depl", ("migrant",)),
)
THIRD_PARTIES = ("UN", "EU", "Red Cross", "NGOs", "media", "USA", "Germany", "France", "Turkey", "NATO")

NAMES = {  # region: (male first, female first, last, family name first)
    "ee": (_names("""Viktor Andrei Pavel Tomasz Marek Piotr Dmitri Oleg Jakub Mindaugas Janis Yuri Igor
                     Krzysztof Vytautas Nikolai Bogdan Stanislav Maksim Artur Roman Arturs"""),
           _names("""Anna Katarzyna Olga Irina Natalia Agnieszka Marta Svetlana Elena Ewa Ieva Liga Tatiana
                     Joanna Yulia Daria Inga Zofia"""),
           _names("""Nowak Wojcik Mazur Krawczyk Kaczmarek Sikora Bondarenko Shevchenko Kovalenko Melnyk
                     Tkachenko Lysenko Moroz Zhuk Karpenko Sokol Hrytsenko Dudek Pawlak Marczak Ozols Kalnins
                     Zukauskas Jankauskas Bielski Savchenko Rudenko"""), False),
    "west": (_names("""James Thomas Daniel Michael Peter David Henrik Mark Paolo Luis Simon Andrew Richard
                       Martin Lars"""),
             _names("""Sarah Emma Julia Laura Helen Ingrid Charlotte Rachel Catherine Anne Isabel Kirsten
                       Fiona Maria"""),
             _names("""Miller Hughes Clarke Bennett Rossi Walsh Gallagher Jensen Lindqvist Marchetti Brennan
                       Sorensen Whitfield Harrington Novak Costa Ferreira Andersen Murphy"""),
             False),
    "fr": (_names("Laurent Pierre Olivier Mathieu Julien Antoine Nicolas Thierry"),
           _names("Claire Sophie Margot Camille Elodie Nathalie Isabelle"),
           _names("Dupont Lefebvre Moreau Fontaine Girard Rousseau Bernard Lambert Mercier Chevalier"),
           False),
    "de": (_names("Stefan Markus Matthias Jonas Tobias Andreas Jens Florian"),
           _names("Katrin Julia Anja Sabine Ulrike Miriam Franziska"),
           _names("Schmidt Weber Fischer Becker Hoffmann Keller Vogel Wagner Richter Krause"),
           False),
    "cn": (_names("Wei Jun Hao Tao Ming Jian Bo Lei Qiang Zhiwei"),
           _names("Mei Hui Xin Yan Ling Yuting Jing Fang"),
           _names("Zhang Liu Chen Huang Zhao Lin Wu Zhou Sun Guo Luo Hsu Cheng"), True),
    "kr": (_names("Min-jun Ji-ho Seung-woo Dong-hyun Sung-min Jae-won Hyun-woo"),
           _names("Ji-yeon Soo-ah Hye-jin Eun-ji Seo-yeon Min-ji"),
           _names("Kim Park Lee Choi Jung Kang Yoon Han Shin"), True),
    "ph": (_names("Jose Ramon Antonio Rodel Eduardo Miguel Rafael"),
           _names("Teresa Carmela Liza Rosario Angelica Corazon"),
           _names("Santos Reyes Cruz Bautista Garcia Mendoza Tolentino Villanueva Aquino"),
           False),
    "il": (_names("Yossi Avi Eitan Noam Amir Moshe Gil Ronen"),
           _names("Noa Tamar Michal Yael Shira Dana"),
           _names("Cohen Levi Mizrahi Peretz Biton Friedman Azoulay Katz Shapiro"), False),
    "me": (_names("""Ahmad Omar Khaled Hassan Mehmet Mustafa Reza Yusuf Samir Karim Emre Hamid Tariq Bilal
                     Murat"""),
           _names("Fatima Leila Zeynep Maryam Nour Amira Elif Rana Yasmin Sara Dilek"),
           _names("""Haddad Mansour Yilmaz Demir Kaya Hosseini Rahimi Karimi Saleh Khalil Darwish Aydin Celik
                     Sabbagh Ozturk Qasim"""), False),
    "bk": (_names("Dragan Milos Nikola Arben Besnik Luan Vuk Zoran"),
           _names("Jelena Milica Drita Arta Ivana Mirjana"),
           _names("Petrovic Jovanovic Nikolic Krasniqi Gashi Berisha Markovic Ilic Shala"), False),
}
PLACES = {  # place region: towns, crossings and sea features, comma-separated
    "bypl": _items("Kuznica, Bruzgi, Grodno, Brest, Terespol, Bialowieza, Sokolka, Hajnowka, Usnarz Gorny, "
                   "Kukuryki, Bobrowniki, Michalowo, Krynki"),
    "bylt": _items("Medininkai, Salcininkai, Druskininkai, Lavoriskes, Kamenny Log, Adutiskis, Rudninkai"),
    "bylv": _items("Silene, Paternieki, Daugavpils, Kraslava, Grigorovschina, Piedruja"),
    "ua": _items("Kharkiv, Sumy, Kupiansk, Belgorod, Zaporizhzhia, Kherson, Pokrovsk, Chernihiv, Vovchansk"),
    "ruba": _items("Narva, Pskov, Sebezh, Kaliningrad, Ivangorod, Suwalki, Terehova, Goldap, Zilupe"),
    "czpl": _items("Turow, Bogatynia, Hradek nad Nisou, Zgorzelec, Frydlant, Liberec, Uhelna"),
    "depl": _items("Frankfurt an der Oder, Slubice, Gorlitz, Zgorzelec, Guben, Kostrzyn, Swiecko"),
    "west": _items("Calais, Dunkirk, Dover, Folkestone, Boulogne-sur-Mer, Gravelines, Wimereux, Ramsgate, "
                   "Salisbury, Portsmouth, Deal"),
    "cn": _items("Kinmen, Matsu, Penghu, Xiamen, Fuzhou, Keelung, Hualien, Pingtan, Dongyin, Wuqiu"),
    "ph": _items("Second Thomas Shoal, Scarborough Shoal, Thitu Island, Sabina Shoal, Palawan, Puerto Princesa, "
                 "Zambales, Whitsun Reef"),
    "kr": _items("Panmunjom, Paju, Kaesong, Yeonpyeong Island, Cheorwon, Goseong, Baengnyeong Island, Ganghwa"),
    "ilps": _items("Rafah, Khan Younis, Jenin, Nablus, Hebron, Kerem Shalom, Tulkarm, Deir al-Balah"),
    "ilir": _items("Isfahan, Natanz, Eilat, Haifa, Bandar Abbas, Dimona"),
    "gulf": _items("Bandar Abbas, Qeshm Island, Jask, Chabahar, Abu Musa"),
    "trsy": _items("Idlib, Afrin, Tal Abyad, Ras al-Ain, Manbij, Kilis, Hatay, Qamishli, Kobani, Gaziantep"),
    "bk": _items("Jarinje, Brnjak, Mitrovica, Zvecan, Leposavic, Zubin Potok, Banjska, Merdare, Raska"),
}
MIGRANT_ORIGINS = ("Iraqi", "Syrian", "Afghan", "Yemeni", "Kurdish", "Congolese", "Eritrean", "Somali", "Sudanese")
OUTLETS = ("Reuters", "the Associated Press", "AFP", "Al Jazeera", "the BBC", "CNN", "Bloomberg", "Politico",
           "Deutsche Welle", "Euronews", "Sky News", "Le Monde")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
ORDINALS = ("second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh",
            "twelfth", "thirteenth", "fourteenth")

# Topics: noun phrases for the dispute, short forms for headlines, the people
# it affects, incidents, and verb phrases for measures.
TOPICS: dict[str, dict[str, tuple[str, ...]]] = {
    "migrant": dict(
        np=_lines("""the migrant crisis on the border
                     the standoff over migrants at the border
                     the crisis at the {place} crossing
                     the border crisis
                     the dispute over migrants stranded near {place}"""),
        short=_lines("migrant crisis\nborder standoff\nborder crisis"),
        people=_lines("migrants\nasylum seekers\nrefugees\nfamilies\nchildren"),
        incident=_lines("""the clashes at the {place} crossing
                           the pushback of {n} migrants near {place}
                           the death of a young man found in the forest near {place}
                           the storming of the border fence near {place}"""),
        measure=_lines("""close the crossing at {place}
                          extend the state of emergency along the border
                          build a {km}-kilometre fence along the frontier
                          send {nbig} more troops to the border
                          suspend flights from the region""")),
    "sanctions": dict(
        np=_lines("""the new round of sanctions
                     the dispute over sanctions
                     the sanctions row"""),
        short=_lines("sanctions row\nsanctions dispute"),
        people=_lines("exporters\nsmall businesses\nfactory workers\nordinary citizens"),
        incident=_lines("""the freezing of {nbig} million euros in assets
                           the seizure of a cargo ship in the port of {place}
                           the blacklisting of {n} companies"""),
        measure=_lines("""freeze the assets of {n} officials
                          ban imports of steel and timber
                          impose sanctions on airlines serving the region
                          blacklist {n} more companies""")),
    "diplomats": dict(
        np=_lines("""the expulsion of diplomats
                     the diplomatic row
                     the tit-for-tat expulsions"""),
        short=_lines("diplomatic row\nexpulsion row"),
        people=_lines("embassy staff\ndiplomats and their families\nconsular workers"),
        incident=_lines("""the expulsion of {n} diplomats
                           the closure of the consulate in {place}
                           the summoning of the ambassador"""),
        measure=_lines("""expel {n} diplomats
                          close the consulate in {place}
                          recall the ambassador for consultations""")),
    "airspace": dict(
        np=_lines("""the airspace violations
                     the row over drone incursions
                     the dispute over military flights near the border"""),
        short=_lines("airspace row\ndrone row"),
        people=_lines("residents of border villages\nfarmers\npilots"),
        incident=_lines("""the crash of a drone near {place}
                           the incursion of {n} military helicopters
                           the interception of a surveillance aircraft near {place}"""),
        measure=_lines("""close the airspace over {place}
                          deploy air defence systems near {place}
                          scramble fighter jets""")),
    "drills": dict(
        np=_lines("""the military exercises near the border
                     the large-scale drills
                     the troop build-up near {place}"""),
        short=_lines("row over military drills\ntroop build-up"),
        people=_lines("residents\nvillagers\nfarmers"),
        incident=_lines("""the live-fire exercises near {place}
                           the deployment of {nbig} troops
                           the movement of armoured columns towards {place}"""),
        measure=_lines("""raise the alert level
                          move {nbig} soldiers to the frontier
                          hold counter-exercises near {place}""")),
    "energy": dict(
        np=_lines("""the gas supply dispute
                     the row over electricity exports
                     the dispute over the {place} pipeline"""),
        short=_lines("gas dispute\nenergy row\npipeline dispute"),
        people=_lines("households\npensioners\nfactories\nhospitals"),
        incident=_lines("""the halt of gas deliveries through {place}
                           the damage to the pipeline near {place}
                           the power cuts in {place}"""),
        measure=_lines("""halt gas deliveries
                          cap electricity prices
                          cut power exports""")),
    "trade": dict(
        np=_lines("""the trade dispute
                     the row over grain imports
                     the tariff war"""),
        short=_lines("trade dispute\ngrain row\ntariff war"),
        people=_lines("farmers\ntruck drivers\nexporters\nconsumers"),
        incident=_lines("""the queue of {nbig} trucks at the {place} crossing
                           the blockade of the {place} checkpoint by farmers
                           the ban on grain imports"""),
        measure=_lines("""impose tariffs of {pct} percent
                          ban grain imports
                          close the {place} checkpoint to freight""")),
    "detention": dict(
        np=_lines("""the detention of a journalist
                     the case of the detained activists
                     the row over the jailed aid worker"""),
        short=_lines("detention row\nrow over jailed activists"),
        people=_lines("detainees\njournalists\ntheir families"),
        incident=_lines("""the arrest of {n} activists in {place}
                           the detention of a reporter near {place}
                           the sentencing of the aid worker to {n} years"""),
        measure=_lines("""release the detainees
                          grant consular access
                          review the sentences""")),
    "cyber": dict(
        np=_lines("""the wave of cyberattacks
                     the hacking campaign
                     the attack on government websites"""),
        short=_lines("cyberattack row\nhacking campaign"),
        people=_lines("hospital patients\nbank customers\nvoters"),
        incident=_lines("""the outage of {n} government websites
                           the leak of {nbig} voter records
                           the attack on the rail network near {place}"""),
        measure=_lines("""expel the suspected hackers
                          shut down {n} servers
                          set up a cyber defence unit""")),
    "election": dict(
        np=_lines("""the alleged interference in the election
                     the disinformation campaign before the vote
                     the row over the referendum"""),
        short=_lines("election interference\ndisinformation row"),
        people=_lines("voters\nelection observers\nopposition candidates"),
        incident=_lines("""the spread of {nbig} fake accounts
                           the cancellation of the vote count in {place}
                           the hacking of the election commission"""),
        measure=_lines("""ban {n} foreign-funded groups
                          block the fake accounts
                          invite international observers""")),
    "maritime": dict(
        np=_lines("""the standoff at {place}
                     the maritime dispute
                     the row over fishing rights near {place}"""),
        short=_lines("maritime standoff\nfishing dispute\nsea dispute"),
        people=_lines("fishermen\nsailors\ncrew members"),
        incident=_lines("""the ramming of a supply boat near {place}
                           the use of water cannon against a patrol vessel
                           the seizure of {n} fishing boats near {place}"""),
        measure=_lines("""send coast guard vessels to {place}
                          ban foreign fishing boats from the area
                          step up naval patrols""")),
    "water": dict(
        np=_lines("""the dispute over the {place} mine
                     the row over water levels in border villages
                     the pollution of the river"""),
        short=_lines("mine dispute\nwater row"),
        people=_lines("villagers\nfarmers\nresidents"),
        incident=_lines("""the falling groundwater levels near {place}
                           the fish deaths in the river
                           the expansion of the {place} mine"""),
        measure=_lines("""halt mining at {place}
                          pay {nbig} euros a day in fines
                          build a barrier against groundwater loss""")),
    "humanitarian": dict(
        np=_lines("""the humanitarian crisis
                     the fighting around {place}
                     the siege of {place}"""),
        short=_lines("humanitarian crisis\nfighting\naid row"),
        people=_lines("civilians\nchildren\nthe wounded\ndisplaced families"),
        incident=_lines("""the shelling of a hospital in {place}
                           the strike on an aid convoy near {place}
                           the evacuation of {nbig} civilians from {place}"""),
        measure=_lines("""open a humanitarian corridor to {place}
                          allow aid trucks through {place}
                          evacuate the wounded""")),
}
GENERIC_TOPICS = ("sanctions", "diplomats", "airspace", "drills", "energy", "trade", "detention", "cyber",
                  "election")

# ------------------------------------------------------------------ quote contents
# A template may start with "[topic,topic]": it is used only for those topics.
# Third person (CONTENT3): direct and indirect quotes; {A} is the speaker's
# side, {B} the side spoken about. First person (CONTENT1 and the class
# overrides): direct quotes only. Speaker classes: party (the two sides),
# third (other governments and blocs), helper (UN, Red Cross, NGOs), migrant,
# media.
CONTENT3 = {
    "blame": _lines("""
        {B} is exploiting {topic} for political gain
        {B} bears full responsibility for {topic}
        {B} deliberately provoked the incident at {place}
        the {Badj} authorities are to blame for {incident}
        {B} has been escalating {topic} for months
        [migrant,humanitarian,maritime] the harsh treatment of {people} by {Badj} forces is unacceptable
        {B} engineered {topic} to put pressure on its neighbours
        {B} broke every promise it made during the talks in {city}
        the responsibility for {incident} lies entirely with {B}
        {Badj} officials ignored repeated warnings before {incident}
        [migrant,humanitarian] {B} is using {people} as pawns in a political game
        the {Badj} leadership created this crisis and must now resolve it
        {B} has done nothing to stop {incident}
        {Badj} security services organised {incident}
        [sanctions,trade,energy] {B} is trying to blackmail its neighbours
        [cyber,election] hackers working for {Badj} intelligence were behind {incident}"""),
    "denial": _lines("""
        {A} has nothing to do with {topic}
        the accusations made by {B} are baseless
        these claims have no basis in fact
        [migrant,drills,airspace,humanitarian] {Aadj} forces did not cross the border at any point
        there is no evidence of any {Aadj} involvement in {incident}
        the allegations are a crude attempt to shift the blame
        {A} has always respected its international obligations
        the reports about {incident} are simply untrue
        [migrant,drills,airspace,humanitarian,maritime] {Aadj} troops were nowhere near {place} at the time
        the charges against {Aadj} officials are politically motivated
        [cyber,election] {Aadj} agencies had no part in {incident}"""),
    "threat": _lines("""
        the build-up of {Badj} troops near {place} poses a direct threat to the region
        {B} is waging a hybrid attack against {A}
        any further provocation will be met with a firm response
        the situation at {place} could spiral out of control at any moment
        {Badj} military activity near the border raises tension across the region
        {B} is playing a dangerous game
        all necessary measures will be taken to protect the border
        the deployment of {nbig} {Badj} soldiers is a threat to regional security
        {topic} could turn into an open conflict
        {B} is preparing for a confrontation
        [cyber,election] the attacks on {Aadj} institutions are part of a wider campaign of sabotage
        [maritime] the presence of {Badj} warships near {place} endangers shipping in the area"""),
    "humanitarian": _lines("""
        {people} are paying the price for {topic}
        the rights of {people} must be respected
        ordinary people on both sides are suffering because of {topic}
        {people} need help, not more politics
        the welfare of {people} must come first
        families near {place} have been left without income for weeks
        [migrant,humanitarian] more than {nbig} {people} are stranded in freezing conditions near {place}
        [migrant,humanitarian] families with small children are sleeping in the open near {place}
        [migrant,humanitarian] {people} urgently need food, water and medical care
        [migrant,humanitarian] aid must be allowed to reach those trapped at {place}
        [migrant,humanitarian] at least {n} people have been injured since {weekday}
        [migrant,humanitarian] more than {nbig} tonnes of aid were delivered to {place} in the past {days} days
        [migrant,humanitarian] at least {n} people have died in the area since {month}
        [migrant,humanitarian] the hospital in {place} has run out of medicine
        [migrant] doctors near {place} are treating {n} patients for hypothermia
        [maritime] the crew of the supply boat needed medical treatment after the incident
        [detention] the detainees are being held in degrading conditions
        [energy] pensioners in {place} cannot afford to heat their homes"""),
    "deception": _lines("""
        the footage released by {B} is fake
        {Badj} state media are spreading disinformation about {topic}
        {B} is misleading its own citizens about {incident}
        the claims circulating online are a fabrication
        the videos were staged to deceive the public
        the figures published by {B} are invented
        {Badj} officials have been feeding false information to journalists
        [migrant] {people} were lured to {place} with false promises
        [migrant] {people} were told they would be taken by bus to {city}
        [election,cyber] thousands of fake accounts are spreading {Badj} propaganda"""),
    "de-escalation": _lines("""
        both sides must return to the negotiating table
        dialogue is the only way to resolve {topic}
        {A} is ready to engage in talks with {B} without preconditions
        restraint is needed on all sides
        the two governments agreed to de-escalate the situation at {place}
        the phone call between the two leaders was constructive
        a diplomatic solution to {topic} is still possible
        the foreign ministers will meet in {city} to ease tensions
        a joint commission will be set up to prevent further incidents
        [drills,airspace,maritime] the hotline between the two militaries has been restored"""),
    "measures": _lines("""
        {A} will {measure}
        the government decided to {measure}
        new sanctions on {Badj} officials will take effect on {weekday}
        [migrant,drills,airspace] an additional {n} soldiers will be deployed to the border
        [diplomats] {Badj} diplomats have been given {n} days to leave the country
        the alert level at {place} has been raised
        [migrant,trade] the crossing at {place} will remain closed until further notice
        the cabinet approved a plan to {measure}
        {A} has no choice but to {measure}"""),
    "neutral": _lines("""
        the call lasted {mins} minutes
        the next round of talks is scheduled for {weekday}
        delegations from {n} countries attended the meeting in {city}
        the figures will be published at the end of {month}
        [migrant,trade] the crossing at {place} handled {nbig} vehicles last week
        the meeting in {city} took place behind closed doors
        the delegation will travel to {place} on {weekday}
        the investigation into {incident} is continuing
        a team of {n} experts is taking part in the review
        the results of the inquiry are due in {month}"""),
}
CONTENT3_BY_CLASS = {
    ("third", "measures"): _lines("""
        new sanctions on {Badj} officials will take effect on {weekday}
        {A} is preparing a new package of sanctions against {B}
        {A} will send {n} experts to help monitor the situation at {place}
        {A} will suspend visa-free travel for {Badj} officials
        funding for projects in {B} has been frozen"""),
    ("helper", "measures"): _lines("""
        {A} will send {n} more staff to {place}
        a field hospital will open near {place} next week"""),
}
CONTENT1 = {
    "blame": _lines("""
        they created this crisis and now they want us to pay for it
        what happened at {place} is the direct result of {Badj} policy
        [migrant,humanitarian] we have been patient, but {B} keeps pushing {people} towards our border
        [migrant,humanitarian] they are using human beings as a weapon
        they are trying to blame us for their own mistakes"""),
    "denial": _lines("""
        we did not organise anything
        it is not in our interest to escalate {topic}
        [migrant,drills,airspace,humanitarian] we have never sent a single soldier across that border
        these are lies, and everyone knows it"""),
    "threat": _lines("""
        we will not tolerate troops on our border
        our patience has limits
        if they cross the line, we will respond
        we are facing a hybrid attack on our country"""),
    "humanitarian": _lines("""
        we cannot leave {people} without help
        [migrant,humanitarian] people are dying in the forest and nobody helps them
        [migrant,humanitarian] we need access to {place} now, not next week"""),
    "deception": _lines("""
        what they show on television is a lie
        they are lying to their own people
        [migrant] they have been deceived"""),
    "de-escalation": _lines("""
        we hope that the talks in {city} will lead to results
        our door remains open for dialogue
        we want calm, not confrontation
        we agreed to keep talking"""),
    "measures": _lines("""
        [migrant,trade,drills] we will close the border if we have to
        [migrant,drills,airspace] we are sending {nbig} more soldiers to protect our frontier
        we will {measure}
        [migrant,trade] from {weekday}, no trucks will cross at {place}"""),
    "neutral": _lines("""
        we will publish the full figures on {weekday}
        the talks went on for {hours} hours
        we received the documents on {weekday}
        our delegation arrives in {city} tomorrow"""),
}
CONTENT1_BY_CLASS = {
    "migrant": {
        "humanitarian": _lines("""
            we have not eaten for {n} days
            my children are sick and we have nowhere to go
            the guards pushed us back {n} times
            it is so cold at night that nobody can sleep"""),
        "deception": _lines("""
            we were promised a safe route to {city}
            we were told the border was open
            they took our money and left us in the forest"""),
        "blame": _lines("""
            the soldiers beat us and took our phones
            nobody on either side wants us"""),
    },
    "helper": {
        "humanitarian": _lines("""
            [migrant,humanitarian] we are seeing children with frostbite every night
            our teams cannot reach {place}
            we have never seen anything like this
            the need here is enormous"""),
        "de-escalation": _lines("""
            we ask all sides to put people first
            we are ready to help as soon as both sides let us"""),
        "neutral": _lines("""
            our teams registered {nbig} people last month
            we will publish our next report in {month}"""),
    },
}
# Object and complement shapes ("accused X of Y", "called on X to Y"): the span runs from the object.
OBJECT_SHAPES = {
    "blame": _lines("""
        accused {B} of exploiting {topic} for political gain
        accused {B} of provoking the incident at {place}
        [migrant] accused {B} of pushing {people} across the border
        blamed {B} for {incident}
        [humanitarian,drills,airspace] accused {Badj} forces of firing on civilians near {place}"""),
    "deception": _lines("""
        accused {B} of spreading disinformation about {topic}
        [migrant] accused {Badj} officials of misleading {people} with false promises
        accused {Badj} state media of staging the footage from {place}"""),
    "de-escalation": _lines("""
        called on {B} to return to the negotiating table
        urged {B} to show restraint
        called on both sides to engage in dialogue on {topic}
        urged {B} and {A} to ease tensions at {place}"""),
    "measures": _lines("""
        called on {B} to {measure}"""),
    "humanitarian": _lines("""
        [migrant,humanitarian] called on {B} to let aid reach {people} near {place}
        [migrant,humanitarian,detention] urged {B} to treat {people} humanely
        urged {B} to put the welfare of {people} first"""),
}
PREP_SHAPES = {  # verb + preposition: the span is the prepositional object
    "threat": _lines("""
        warned of a dangerous escalation at {place}
        warned of the risk of an open conflict over {topic}
        warned against any attempt to cross the border by force"""),
    "humanitarian": _lines("""
        called for urgent help for {people} near {place}
        [migrant,humanitarian] warned of a humanitarian catastrophe at {place}
        [migrant,humanitarian] called for a humanitarian corridor to {place}"""),
    "de-escalation": _lines("""
        called for calm at {place}
        called for an immediate ceasefire around {place}
        called for a new round of talks on {topic}"""),
    "denial": _lines("""
        denied any involvement in {incident}
        denied the accusations made by {B}
        rejected the allegations as baseless"""),
}
EVENTS = _lines("""
    the decision
    the move
    the latest incident at {place}
    {incident}
    the {Badj} announcement
    the deployment""")
LABEL_NPS = {
    "blame": _lines("a cynical provocation\na deliberate attempt to destabilise the region\n[migrant] an act of state-sponsored trafficking"),
    "threat": _lines("a direct threat to our security\na dangerous escalation\nan act of hybrid warfare"),
    "humanitarian": _lines("[migrant,humanitarian] a humanitarian catastrophe\nan unbearable situation for {people}\na tragedy"),
    "deception": _lines("pure propaganda\nfake news\na staged provocation"),
    "denial": _lines("absurd\ngroundless and politically motivated\na fabrication"),
    "de-escalation": _lines("a step in the right direction\nan important first step towards calm\nencouraging"),
    "measures": _lines("a necessary measure\na temporary but unavoidable step\nlong overdue"),
}
FRAGMENT_AFTER = frozenset("""is are was were be been has have had will must could can of for to by with about
    than as into against on in at""".split())
CUES_THAT = {
    "blame": ("said", "claimed", "alleged", "charged", "argued", "insisted"),
    "denial": ("insisted", "said", "maintained", "stressed", "countered"),
    "threat": ("warned", "said", "cautioned", "stressed", "claimed"),
    "humanitarian": ("said", "warned", "stressed", "noted", "reported"),
    "deception": ("claimed", "said", "alleged", "insisted", "wrote on social media"),
    "de-escalation": ("said", "stressed", "noted", "told reporters", "said in a statement"),
    "measures": ("announced", "said", "confirmed", "declared", "told reporters"),
    "neutral": ("said", "noted", "confirmed", "told reporters", "explained"),
}
CUES_AFTER = ("said", "said", "said", "told reporters", "said in a statement", "warned", "insisted",
              "wrote on social media", "told {outlet}", "said at a news conference in {city}")
FOLLOW_CUES = ("added", "said", "continued", "noted", "stressed", "went on to say")
TIMES = ("", "", "", " on {weekday}", " on {weekday} evening", " late on {weekday}", " earlier this week",
         " in a televised address", " at a news conference in {city}", " in an interview with {outlet}")

# ------------------------------------------------------------------ narration
# No speech or cognition verbs here: narration must hold no quotes.
NARRATIVE = {
    "lead": _lines("""
        Tensions between {Aname} and {Bname} rose again on {weekday} after {incident}.
        {Aname} and {Bname} traded accusations on {weekday} over {topic}, the latest turn in a dispute that has strained relations for months.
        {incident_cap} has deepened {topic}, with both sides digging in ahead of talks in {city}.
        A fresh row over {topic} erupted on {weekday} as {Aadj} and {Badj} officials met in {city}.
        {Aname} moved on {weekday} to {measure}, escalating {topic} with its neighbour.
        Efforts to end {topic} stalled on {weekday} after {incident}.
        {Badj} and {Aadj} negotiators ended a {ordinal} round of talks in {city} on {weekday} without a deal on {topic}.
        The standoff between {Aname} and {Bname} entered its {ordinal} week on {weekday}, with no sign of a compromise.
        Diplomats scrambled on {weekday} to contain {topic} after {incident}.
        {topic_cap} took a new turn on {weekday} when {Bname} moved to {measure}.
        [migrant,humanitarian] Hundreds of {people} remained near {place} on {weekday} as {topic} entered its {ordinal} week.
        [maritime] Coast guard vessels from {Aname} and {Bname} faced off near {place} on {weekday} in the latest flare-up of {topic}.
        [cyber,election] Government websites in {Bcap} went offline for several hours on {weekday} amid {topic}."""),
    "background": _lines("""
        Relations between {Aname} and {Bname} have deteriorated sharply since {month}, when {incident} drew condemnation across the region.
        The dispute began in {month} {year} and has since drawn in the European Union and the United Nations.
        The two governments have not held formal talks on {topic} since {month}.
        {place}, some {km} kilometres from {Acap}, has become the focus of the dispute.
        More than {nbig} {people} have been affected since the start of the year, up from {nbig2} a year earlier.
        Both sides have threatened further sanctions since {month}.
        Previous rounds of talks in {city} ended without agreement.
        In {month}, {Aname} recalled its ambassador from {Bcap} for consultations.
        Both governments face elections next year, and neither has much room for compromise.
        The row has already cost exporters on both sides an estimated {nmil} million euros.
        The roots of {topic} lie in a decades-old disagreement over the border.
        Similar incidents near {place} in {year} led to the closure of two crossings.
        Officials from both countries last met face to face in {month}.
        Flights between {Acap} and {Bcap} have been suspended since {month}.
        The dispute has dominated the front pages in {Acap} for weeks.
        Diplomats from several European countries met in {city} on {weekday} to discuss the situation.
        The {Aadj} parliament held an emergency session on {weekday}.
        Satellite images taken on {weekday} appear to support parts of both accounts.
        Both sides have repeatedly traded blame over the incident.
        The {Badj} embassy in {Acap} was closed for the day.
        Several hundred people gathered outside the {Aadj} embassy in {Bcap} on {weekday} evening.
        Prices for food and fuel in {place} have risen sharply since {month}.
        The incident took place shortly after midnight, local time.
        The latest escalation comes weeks after a rare meeting between the two foreign ministers in {city}.
        {Aname} and {Bname} restored full diplomatic relations only in {year}.
        The two governments signed a border agreement in {year}, but parts of it were never put into practice.
        Opinion polls in {Acap} suggest most voters back a tougher line.
        Markets in the region reacted calmly to the news, with the currency little changed on {weekday}.
        Several airlines cancelled flights to {Bcap} on {weekday}.
        Local elections in the border region are due in {month}.
        The {Aadj} ambassador was summoned to the foreign ministry in {Bcap} on {weekday}.
        Monitors from the Organization for Security and Co-operation in Europe left the area in {month}.
        The two sides exchanged prisoners for the first time in {month}.
        The talks in {city} were the first at ministerial level for {weeks} months.
        Ties between the two neighbours have been tense for much of the past decade.
        A parliamentary delegation from {Bcap} cancelled a visit to {Acap} planned for {month}.
        Economic ties between the two countries remain close despite the dispute.
        A joint investigation team set up in {month} has yet to publish its findings.
        [migrant,humanitarian] The area around {place} has been closed to journalists and aid workers since {month}.
        [migrant,trade] Dozens of trucks have been stuck for days at the {place} checkpoint.
        [migrant,humanitarian,drills] The region has been under a state of emergency since {month}.
        {Aname} and {Bname} have clashed over the same issue several times since {year}.
        [migrant,trade] The crossing at {place} is one of only {few} open along the frontier.
        [trade,sanctions,energy,cyber] Rail traffic across the border was halted for {hours} hours on {weekday}.
        [energy,cyber] Power was restored to most homes in {place} by {weekday} morning.
        [cyber,election] Several websites of government agencies in {Bcap} were unreachable for most of {weekday}.
        [election] Turnout in the vote was {pct} percent.
        [trade] Grain prices in the region rose by {pct} percent in {month}.
        [energy] Gas storage facilities in {Acap} are {pct} percent full.
        [detention] The detainees have been held without charge since {month}.
        [detention] Their families have not been allowed to visit them.
        [drills,maritime] The drills involve about {nbig} troops, {n} warships and dozens of aircraft.
        [humanitarian,airspace,drills] Air raid sirens sounded across {place} twice overnight.
        [maritime] The shoal lies about {km} nautical miles from the nearest coast."""),
    "scene": _lines("""
        Police set up roadblocks on the main road to {place}.
        The streets of {place} were almost empty on {weekday} afternoon.
        A column of {n} military trucks was seen heading towards {place} early on {weekday}.
        [migrant,humanitarian] Temperatures near {place} dropped below freezing overnight.
        [migrant,drills,airspace] Soldiers in camouflage patrolled the fence near {place} on {weekday}, as helicopters circled overhead.
        [migrant,humanitarian] Volunteers handed out blankets, soup and dry clothes at a church in {place}.
        [migrant,humanitarian] Smoke from campfires hung over the makeshift camp near {place}.
        [migrant,trade,sanctions] Long queues of cars formed at the {place} crossing before dawn.
        [migrant,humanitarian,drills,airspace] Ambulances took {n} people to a hospital in {place} during the night.
        [maritime] Fishing boats stayed in port at {place} for a {ordinal} day.
        [maritime] Coast guard vessels from both sides remained in the area on {weekday}."""),
    "figures": _lines("""
        Around {nbig} soldiers, border guards and police officers are now deployed along the frontier.
        Trade between the two countries fell by {pct} percent last year.
        About {nbig} {people} live within {kmnear} kilometres of the border.
        Some {pct} percent of the region's electricity passes through the lines near {place}.
        The talks in {city} lasted {hours} hours.
        [migrant,humanitarian] At least {n} people have died in the area since {month}.
        [migrant] The number of attempted crossings rose to {nbig} in {month}, from {nbig2} in the previous month.
        [migrant] The fence, completed in {month}, cost an estimated {nmil} million euros."""),
    "schedule": _lines("""
        Foreign ministers of the two countries are due to meet in {city} on {weekday}.
        The European Council will discuss {topic} at its summit in {month}.
        The parliament in {Acap} will vote on the measures on {weekday}.
        A court in {Bcap} will rule on the case in {month}.
        Talks are set to resume in {city} after a pause of {weeks} weeks.
        [migrant,humanitarian] A delegation of the UN refugee agency is due to visit {place} next week."""),
    "journalism": _lines("""
        Independent verification of the figures was not possible.
        Neither government responded to requests for comment.
        The images could not be independently verified.
        [migrant,humanitarian] Journalists have been barred from the border zone since {month}.
        [migrant,humanitarian] Access to the area is restricted, and reporters need a permit to enter it."""),
}
# Event sentences are composed: opener + event + tail, so long articles rarely repeat one.
EVENT_OPENERS = ("", "", "On {weekday}, ", "Earlier this week, ", "Late on {weekday}, ", "In {month}, ",
                 "Last month, ", "Hours later, ", "Over the weekend, ", "Early on {weekday}, ")
EVENT_CLAUSES = _lines("""
    {Aadj} border guards detained {n} people near {place}
    a convoy of {n} trucks carrying food and blankets reached {place}
    hundreds of people marched through the centre of {Acap}
    the {Aadj} parliament approved an emergency budget of {nmil} million euros for the border region
    officials from both sides met at the {place} crossing for {hours} hours
    a {Badj} delegation arrived in {city} for talks with European officials
    {Aadj} engineers began repairing the road to {place}
    the {Badj} foreign minister cancelled a trip to {city}
    a group of {n} lawmakers visited the area around {place}
    the European Commission released {nmil} million euros in emergency funds for the region
    schools in {place} closed for {days} days
    the {Aadj} central bank held an emergency meeting on the economic fallout
    {Aadj} troops held an exercise {kmnear} kilometres from {place}
    a {Badj} military aircraft flew along the border for almost an hour
    the mayor of {place} declared a local emergency
    rail services between {Acap} and {Bcap} were suspended
    the {Badj} embassy in {Acap} closed its consular section
    prosecutors in {Acap} opened an investigation into {incident}
    volunteers set up a tent camp on the outskirts of {place}
    the UN Security Council held a closed-door meeting on {topic}
    the two leaders spoke by phone for the first time in {n} weeks
    {Aadj} police arrested {n} people suspected of smuggling
    a {Badj} court sentenced {n} people to prison terms
    farmers near {place} blocked a main road with tractors
    the price of diesel in {place} rose to a record high
    the {Aadj} government held an emergency meeting in {Acap}
    foreign ministers of the European Union met in Brussels to discuss {topic}
    {Badj} authorities closed {few} crossings for freight traffic
    [migrant,humanitarian] doctors near {place} treated {n} people for hypothermia
    [migrant,humanitarian] aid workers reached a group of {n} people stranded in the forest near {place}
    [maritime] a {Badj} coast guard vessel shadowed a supply boat for several hours near {place}
    [maritime] {n} fishing boats returned to port at {place} early
    [cyber,election] {Badj} hackers took the website of the {Aadj} parliament offline for several hours
    [energy] gas flows through the {place} station fell by {pct} percent
    [trade] a queue of {nbig} trucks stretched back from the {place} checkpoint""")
EVENT_TAILS = ("", "", "", ", the first such incident this year", ", days after {incident}",
               " amid {topic}", ", in a sign of the growing strain", " as tensions mounted")
NARRATIVE_WEIGHTS = (("background", 4), ("event", 4), ("scene", 2), ("figures", 2), ("schedule", 1),
                     ("journalism", 1))
SCARE = _lines("""
    Officials in {Acap} describe the situation as a {o}hybrid attack{c}, a term that has become common in the region.
    Commentators in {Bcap} have taken to calling the border a {o}frontline{c} in the dispute.""")
SUBHEADS = _lines("""
    Talks in {city}
    Sanctions threat
    Standoff enters {ordinal} week
    Pressure from Brussels
    Life near {place}
    Diplomatic fallout
    What happens next
    [migrant,humanitarian] Aid at the border""")
FOOTERS = _lines("""
    Reporting by {reporter}; editing by {reporter2}
    With inputs from {outlet_cap}
    Additional reporting by {reporter} in {city}
    This article has been updated with comments from officials.""")
HEADLINES = {
    "blame": _lines("""
        {Aname} accuses {Bname} of stoking {topic_short}
        {Aname} blames {Bname} for {incident}
        {Aadj} officials say {Bname} is behind {topic_short}"""),
    "denial": _lines("""
        {Bname} rejects {Aadj} accusations over {topic_short}
        {Bname} denies role in {topic_short}"""),
    "threat": _lines("""
        {Aname} warns of escalation as {topic_short} deepens
        Fears of escalation grow over {topic_short}"""),
    "humanitarian": _lines("""
        Aid groups warn of suffering as {topic_short} drags on
        UN raises alarm over {people} near {place}"""),
    "deception": _lines("""
        {Aname} says {Bname} spreading false claims in {topic_short}
        Claims of fake footage fuel {topic_short}"""),
    "de-escalation": _lines("""
        {Aname} and {Bname} agree to talks on {topic_short}
        Calls for calm grow as {topic_short} continues"""),
    "measures": _lines("""
        {Aname} to {measure}
        {Aname} tightens border as {topic_short} escalates"""),
    "neutral": _lines("""
        {Aname} and {Bname} hold talks in {city}
        What we know about {topic_short}"""),
}

# ------------------------------------------------------------------ sides and speakers


@dataclass(frozen=True)
class Side:
    """One actor of the gazetteer, with what the templates need to name it."""

    actor: str
    kind: str
    adjective: str | None
    display: str
    capital: str | None
    leaders: tuple[tuple[str, str], ...] = ()  # (full name, short name)
    institutions: tuple[str, ...] = ()
    aliases: frozenset[str] = frozenset()


@dataclass
class Speaker:
    """A source: how it is introduced, named again and referred to."""

    intro: str  # first mention, before a verb: "Polish Foreign Minister Anna Nowak"
    name: str  # fullest name (truth): "Anna Nowak"
    short: str  # later mention by name: "Nowak"
    pronoun: str  # he / she / it / they
    actor: str
    role: str | None = None  # "the minister"
    appos: str | None = None  # "Anna Nowak, Poland's foreign minister" (after an inverted cue)


def load_sides(path: Path = ACTORS_TOML) -> dict[str, Side]:
    """The sides of the gazetteer: actors with their adjective, leaders and institutions."""
    with open(path, "rb") as handle:
        actors = tomllib.load(handle).get("actors", {})
    return {name: _side(name, spec) for name, spec in actors.items()}


def _side(name: str, spec: dict[str, Any]) -> Side:
    aliases = list(spec.get("aliases", []))
    alias_set = set(aliases)
    leaders = tuple((a, _short_name(a, alias_set)) for a in aliases
                    if _short_name(a, alias_set) and a in TITLES)
    institutions = tuple(a for a in aliases if _is_institution(a, alias_set))
    adjectives = spec.get("adjectives", [])
    adjective = adjectives[0] if adjectives else (name if name in ("EU", "NATO", "UN") else None)
    return Side(actor=name, kind=spec.get("kind", "country"), adjective=adjective,
                display=DISPLAY.get(name, name), capital=CAPITALS.get(name), leaders=leaders,
                institutions=institutions, aliases=frozenset(aliases))


def _short_name(alias: str, aliases: set[str]) -> str | None:
    """The short alias of a full-name alias ("Putin" of "Vladimir Putin"): the mark of a person."""
    words = alias.split()
    tails = (" ".join(words[i:]) for i in range(1, len(words)))
    return next((tail for tail in tails if tail in aliases), None)


def _is_institution(alias: str, aliases: set[str]) -> bool:
    """Whether an alias is a body that can speak ("the Kremlin", "Human Rights Watch"), not a person."""
    words = alias.split()
    if alias.startswith("the ") and len(words) >= 2:
        return True
    return (len(words) >= 2 and words[-1] in INSTITUTION_WORDS and _short_name(alias, aliases) is None
            and not {"Federation", "Republic"} & set(words))


@dataclass
class Dispute:
    """What one article is about."""

    a: Side
    b: Side
    topic: str
    region: str
    place: str
    third: tuple[Side, ...]


# ------------------------------------------------------------------ slot filling


class Fill(dict):
    """Slot values for one sentence, drawn on first use, so "{B}" is the same twice."""

    def __init__(self, art: "ArticleWriter", own: Side, other: Side):
        super().__init__()
        self.art, self.own, self.other = art, own, other

    def __missing__(self, key: str) -> str:
        value = SLOTS[key](self)
        self[key] = value
        return value


def _side_name(side: Side, r: random.Random) -> str:
    """The side as a singular subject: "Poland", "Warsaw", "the Polish government"."""
    options = [side.display, side.display]
    if side.kind == "country" and side.adjective:
        options.append(f"the {side.adjective} government")
        if side.capital:
            options.append(side.capital)
    return r.choice(options)


def _num(r: random.Random, low: int, high: int) -> str:
    return f"{r.randint(low, high):,}"


_A_BEFORE_VOWEL = re.compile(r"\b([Aa]) (?=(?!Eu|One|one)[AEIOaeio])")
_A_SLOT = re.compile(r"\b[Aa] \{")


@functools.lru_cache(maxsize=8192)
def _may_need_an(template: str) -> bool:
    return _A_SLOT.search(template) is not None


def _sub(template: str, fill: Fill) -> str:
    """The template filled, with "a" made "an" before a vowel ("an Iranian court", "an eighth week")."""
    text = template.format_map(fill)
    return _A_BEFORE_VOWEL.sub(r"\1n ", text) if _may_need_an(template) else text


@functools.lru_cache(maxsize=256)
def _cumulative(table: tuple[tuple[Any, int], ...]) -> tuple[tuple[Any, ...], tuple[int, ...]]:
    return tuple(item for item, _ in table), tuple(itertools.accumulate(weight for _, weight in table))


def _weighted(r: random.Random, table: tuple[tuple[Any, int], ...]) -> Any:
    """One item of ``((item, weight), ...)``, drawn by weight."""
    items, cumulative = _cumulative(table)
    return items[bisect.bisect(cumulative, r.random() * cumulative[-1])]


def _topic_field(fill: Fill, name: str) -> str:
    return _sub(fill.art.r.choice(TOPICS[fill.art.d.topic][name]), fill)


def _fill_from(fill: Fill, pool: tuple[str, ...]) -> str:
    """A template of ``pool`` not yet used in this article, filled."""
    return _sub(fill.art.pick(pool), fill)


SLOTS: dict[str, Callable[[Fill], str]] = {
    "A": lambda f: _side_name(f.own, f.art.r),
    "Aname": lambda f: f.own.display if f.art.r.random() < 0.8 or not f.own.capital else f.own.capital,
    "Bname": lambda f: f.other.display if f.art.r.random() < 0.8 or not f.other.capital else f.other.capital,
    "B": lambda f: _side_name(f.other, f.art.r),
    "Aadj": lambda f: f.own.adjective or f.own.display,
    "Badj": lambda f: f.other.adjective or f.other.display,
    "Acap": lambda f: f.art.d.a.capital or f.art.r.choice(NEUTRAL_CITIES),
    "Bcap": lambda f: f.art.d.b.capital or f.art.r.choice(NEUTRAL_CITIES),
    "topic": lambda f: _topic_field(f, "np"),
    "topic_cap": lambda f: _cap(f["topic"]),
    "topic_short": lambda f: _topic_field(f, "short"),
    "people": lambda f: _topic_field(f, "people"),
    "incident": lambda f: _topic_field(f, "incident"),
    "incident_cap": lambda f: _cap(f["incident"]),
    "measure": lambda f: _topic_field(f, "measure"),
    "place": lambda f: f.art.d.place if f.art.r.random() < 0.6 else f.art.r.choice(PLACES[f.art.d.region]),
    "city": lambda f: f.art.r.choice([c for c in (f.art.d.a.capital, f.art.d.b.capital) if c]
                                     + list(NEUTRAL_CITIES[:3])),
    "n": lambda f: str(f.art.r.randint(2, 60)),
    "few": lambda f: str(f.art.r.randint(2, 9)),
    "weeks": lambda f: str(f.art.r.randint(2, 12)),
    "nmil": lambda f: str(f.art.r.randint(3, 900)),
    "kmnear": lambda f: str(f.art.r.randint(2, 40)),
    "nbig": lambda f: _num(f.art.r, 120, 20_000),
    "nbig2": lambda f: _num(f.art.r, 100, 9_000),
    "npop": lambda f: _num(f.art.r, 800, 90_000),
    "km": lambda f: str(f.art.r.randint(3, 420)),
    "mins": lambda f: str(f.art.r.choice((20, 30, 40, 45, 50, 55, 70, 90))),
    "hours": lambda f: str(f.art.r.randint(2, 14)),
    "days": lambda f: str(f.art.r.randint(2, 10)),
    "pct": lambda f: str(f.art.r.randint(3, 60)),
    "weekday": lambda f: f.art.r.choice(WEEKDAYS),
    "month": lambda f: f.art.r.choice(MONTHS),
    "year": lambda f: str(f.art.r.choice((2019, 2020, 2021, 2022))),
    "ordinal": lambda f: f.art.r.choice(ORDINALS),
    "outlet": lambda f: f.art.r.choice(OUTLETS),
    "outlet_cap": lambda f: _cap(f["outlet"]),
    "o": lambda f: f.art.open,
    "c": lambda f: f.art.close,
    "reporter": lambda f: f.art.person("west")[0],
    "reporter2": lambda f: f.art.person("west")[0],
}


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:] if s else s


# ------------------------------------------------------------------ sentences with spans


class Line:
    """A sentence being built, with the spans of the quotes it holds."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.size = 0
        self.quotes: list[dict[str, Any]] = []

    def add(self, text: str) -> "Line":
        self.parts.append(text)
        self.size += len(text)
        return self

    def span(self, text: str) -> int:
        """Add ``text`` and return where it starts."""
        start = self.size
        self.add(text)
        return start

    def record(self, start: int, end: int, kind: str, speaker: Speaker, frame: str, target: str | None) -> None:
        self.quotes.append({"start": start, "end": end, "kind": kind, "speaker": speaker.name,
                            "actor": speaker.actor, "frame": frame, "target": target})

    @property
    def text(self) -> str:
        return "".join(self.parts)


class ArticleWriter:
    """Writes one article: its dispute, speakers, paragraphs and title."""

    def __init__(self, r: random.Random, sides: dict[str, Side], pairs: list[tuple], marks: tuple[str, str],
                 source: str):
        self.r, self.sides, self.source = r, sides, source
        a, b, region, extra = r.choice(pairs)
        topic = r.choice(extra) if extra and r.random() < 0.5 else r.choice(GENERIC_TOPICS + extra)
        third = tuple(sides[t] for t in THIRD_PARTIES if t in sides and t not in (a, b))
        if topic in ("migrant", "humanitarian") and "migrants" in sides:
            third += (sides["migrants"],) * 2
        self.d = Dispute(a=sides[a], b=sides[b], topic=topic, region=region,
                         place=r.choice(PLACES[region]), third=third)
        self.open, self.close = marks
        self.apostrophe = "’" if self.open == "“" and r.random() < 0.7 else "'"
        self.frames_used: list[str] = []
        self.used: set[str] = set()
        self.exhausted: set[int] = set()  # ids of pools with every template used

    def pick(self, pool: tuple[str, ...]) -> str:
        """A template of ``pool`` for this article's topic, avoiding ones already used in it."""
        options = _usable(pool, self.d.topic)
        fresh = [t for t in options if t not in self.used]
        template = self.r.choice(fresh or options)
        if len(fresh) <= 1:
            self.exhausted.add(id(pool))
        self.used.add(template)
        return template

    def speaker_class(self, side: Side) -> str:
        if side is self.d.a or side is self.d.b:
            return "party"
        return {"UN": "helper", "Red Cross": "helper", "NGOs": "helper", "migrants": "migrant",
                "media": "media"}.get(side.actor, "third")

    # -- people -----------------------------------------------------------------------------
    def person(self, region: str) -> tuple[str, str, str]:
        """(full name, surname, pronoun) from the region's name lists."""
        male, female, last, family_first = NAMES.get(region, NAMES["west"])
        is_female = self.r.random() < 0.45
        first = self.r.choice(female if is_female else male)
        surname = self.r.choice(last)
        full = f"{surname} {first}" if family_first else f"{first} {surname}"
        return full, surname, "she" if is_female else "he"

    def speaker(self, side: Side) -> Speaker:
        sp = self._country_speaker(side) if side.kind == "country" else self._other_speaker(side)
        sp.intro = _A_BEFORE_VOWEL.sub(r"\1n ", sp.intro)  # "an Israeli farmer"
        sp.appos = sp.appos and _A_BEFORE_VOWEL.sub(r"\1n ", sp.appos)
        return sp

    def _country_speaker(self, side: Side) -> Speaker:
        r, adj = self.r, side.adjective
        offices = OFFICES.get(side.actor, OFFICES["default"])
        bodies = BODIES.get(side.actor, BODIES["default"])
        choice = r.random()
        if choice < 0.12 and side.leaders:
            return self._leader(side, r.choice(side.leaders))
        full, surname, pronoun = self.person(REGION.get(side.actor, "west"))
        if choice < 0.35:
            title, appos, role = (t.format(adj=adj, pos=self._possessive(side.display)) for t in r.choice(offices))
            return Speaker(f"{title} {full}", full, surname, pronoun, side.actor, role, f"{full}, {appos}")
        if choice < 0.55:
            noun = "spokeswoman" if pronoun == "she" else "spokesman"
            body = r.choice(bodies + SPOKES_BODIES.get(side.actor, (("{adj} border guard", ""),)))[0].format(adj=adj)
            return Speaker(f"{body} {noun} {full}", full, surname, pronoun, side.actor, f"the {noun}",
                           f"{full}, a {noun} for the {body}")
        if choice < 0.63:
            job = r.choice(("lawmaker", "opposition leader", "general", "regional governor"))
            return Speaker(f"{adj} {job} {full}", full, surname, pronoun, side.actor,
                           f"the {job.split()[-1]}", f"{full}, a {adj} {job}")
        if choice < 0.68 and side in (self.d.a, self.d.b):  # a resident of the border region
            job = r.choice(("farmer", "shopkeeper", "teacher", "retired nurse"))
            where = r.choice(PLACES[self.d.region])
            appos = f"{full}, a {adj} {job} from {where}"
            return Speaker(appos + ",", full, surname, pronoun, side.actor, None, appos)
        if choice < 0.74 and STATE_MEDIA.get(side.actor) in side.aliases:
            agency = STATE_MEDIA[side.actor]
            return Speaker(f"{adj} state news agency {agency}", agency, agency, "it", side.actor, "the agency",
                           f"{agency}, the {adj} state news agency")
        if choice < 0.80 and side.institutions:
            inst = r.choice(side.institutions)
            inst = inst if inst.startswith("the ") else "the " + inst
            return Speaker(inst, inst, inst, "it", side.actor, None, inst)
        if choice < 0.90:
            body, short = r.choice(bodies)
            name = "the " + body.format(adj=adj)
            return Speaker(name, name, short, "it", side.actor, short, name)
        body = r.choice(GROUP_BODIES.get(side.actor, GROUP_BODIES["default"]))
        return Speaker(f"{adj} {body}", f"{adj} {body}", f"{adj} {body}", "they", side.actor, None,
                       f"{adj} {body}")

    def _leader(self, side: Side, leader: tuple[str, str]) -> Speaker:
        full, short = leader
        title, pronoun, role = TITLES[full]
        title = title.format(adj=side.adjective or side.display)
        return Speaker(f"{title} {full}", full, short, pronoun, side.actor, role, f"{full}, the {title}")

    def _other_speaker(self, side: Side) -> Speaker:
        r = self.r
        maker = OTHER_SPEAKERS.get(side.actor)
        if side.leaders and r.random() < 0.2:
            return self._leader(side, r.choice(side.leaders))
        if maker is None:
            inst = r.choice(side.institutions or (side.display,))
            return Speaker(inst, inst, inst, "it", side.actor, None, inst)
        return maker(self, side)

    def _possessive(self, name: str) -> str:
        return f"{name}{self.apostrophe}s"

    # -- frames -------------------------------------------------------------------------------
    def frame_for(self, side: Side, replying: bool) -> str:
        cls = self.speaker_class(side)
        table = FRAME_WEIGHTS.get(side.actor) or FRAME_WEIGHTS[cls]
        if replying and cls == "party" and self.r.random() < 0.5:
            return "denial"
        return _weighted(self.r, table)


def _un(w: ArticleWriter, side: Side) -> Speaker:
    r = w.r
    full, surname, pronoun = w.person("west")
    if r.random() < 0.5:
        body = r.choice(("the UN refugee agency", "the UN human rights office", "UNICEF", "UNHCR",
                         "the International Organization for Migration", "the World Food Programme"))
        return Speaker(body, body.removeprefix("the "), "the agency", "it", side.actor, "the agency", body)
    job = r.choice(("UN refugee agency spokesperson", "UN humanitarian coordinator", "UNHCR representative",
                    "UN human rights spokesperson"))
    return Speaker(f"{job} {full}", full, surname, pronoun, side.actor, f"the {job.split()[-1]}",
                   f"{full}, a {job}")


def _eu(w: ArticleWriter, side: Side) -> Speaker:
    r = w.r
    full, surname, pronoun = w.person("west")
    if r.random() < 0.3:
        return Speaker("the European Commission", "European Commission", "the commission", "it", side.actor,
                       "the commission", "the European Commission")
    job = r.choice(("European Commission spokesperson", "EU home affairs commissioner",
                    "EU foreign affairs spokesperson", "European Parliament member"))
    return Speaker(f"{job} {full}", full, surname, pronoun, side.actor, None, f"{full}, the {job}")


def _nato(w: ArticleWriter, side: Side) -> Speaker:
    full, surname, pronoun = w.person("west")
    job = w.r.choice(("NATO spokesperson", "NATO deputy secretary-general", "NATO military commander"))
    return Speaker(f"{job} {full}", full, surname, pronoun, side.actor, None, f"{full}, a {job}")


def _red_cross(w: ArticleWriter, side: Side) -> Speaker:
    r = w.r
    full, surname, pronoun = w.person("west")
    party = r.choice((w.d.a, w.d.b))
    if r.random() < 0.4:
        national = f"the {party.adjective} Red Cross" if party.kind == "country" else "the Red Cross"
        body = r.choice(("the International Committee of the Red Cross", national))
        return Speaker(body, body.removeprefix("the "), body, "it", side.actor, None, body)
    job = r.choice(("head of the ICRC delegation", "Red Cross spokesperson", "Red Cross field coordinator"))
    return Speaker(f"{full}, {job},", full, surname, pronoun, side.actor, None, f"{full}, {job}")


def _ngo(w: ArticleWriter, side: Side) -> Speaker:
    r = w.r
    full, surname, pronoun = w.person("west")
    group = r.choice(("Amnesty International", "Human Rights Watch", "Doctors Without Borders",
                      "the Norwegian Refugee Council", "Save the Children"))
    if r.random() < 0.4:
        return Speaker(group, group.removeprefix("the "), group, "it", side.actor, None, group)
    job = r.choice(("a researcher at", "a spokesperson for", "the regional director of", "a field worker with"))
    return Speaker(f"{full}, {job} {group},", full, surname, pronoun, side.actor, None, f"{full}, {job} {group}")


def _migrant(w: ArticleWriter, side: Side) -> Speaker:
    r = w.r
    full, surname, pronoun = w.person("me")
    origin = r.choice(MIGRANT_ORIGINS)
    age = r.randint(19, 58)
    if r.random() < 0.5:
        first = full.split()[0]
        possessive = "his" if pronoun == "he" else "her"
        appos = f"{first}, a {age}-year-old {origin} migrant who gave only {possessive} first name"
        return Speaker(appos + ",", first, first, pronoun, side.actor, None, appos)
    noun = r.choice(("asylum seeker", "refugee", "migrant"))
    appos = f"{full}, an {origin} {noun}" if origin[0] in "AEIOU" else f"{full}, a {origin} {noun}"
    return Speaker(appos + ",", full, surname, pronoun, side.actor, None, appos)


def _media(w: ArticleWriter, side: Side) -> Speaker:
    outlet = w.r.choice(OUTLETS)
    return Speaker(outlet, outlet.removeprefix("the "), outlet, "it", side.actor, None, outlet)


OTHER_SPEAKERS: dict[str, Callable[[ArticleWriter, Side], Speaker]] = {
    "UN": _un, "EU": _eu, "NATO": _nato, "Red Cross": _red_cross, "NGOs": _ngo, "migrants": _migrant, "media": _media,
}
FRAME_WEIGHTS = {
    "party": (("blame", 22), ("denial", 10), ("threat", 12), ("measures", 14), ("deception", 8),
              ("de-escalation", 10), ("humanitarian", 6), ("neutral", 14)),
    "third": (("blame", 15), ("threat", 10), ("measures", 15), ("de-escalation", 25), ("humanitarian", 15),
              ("neutral", 15), ("deception", 5)),
    "helper": (("humanitarian", 50), ("de-escalation", 20), ("neutral", 20), ("blame", 10)),
    "NGOs": (("humanitarian", 50), ("blame", 25), ("deception", 10), ("neutral", 15)),
    "migrant": (("humanitarian", 55), ("deception", 35), ("blame", 10)),
    "media": (("neutral", 70), ("threat", 15), ("humanitarian", 15)),
}


# ------------------------------------------------------------------ quote sentences


class QuoteWriter:
    """Writes the sentences of one article's quotes, recording each quote's span."""

    def __init__(self, w: ArticleWriter):
        self.w, self.r = w, w.r
        self.o, self.c = w.open, w.close

    def content(self, frame: str, fill: Fill, direct: bool) -> str:
        """What is said: first person only in direct quotes, by a side, a helper or a migrant."""
        cls = self.w.speaker_class(fill.own)
        first = CONTENT1_BY_CLASS.get(cls, {}).get(frame) or (CONTENT1.get(frame) if cls == "party" else None)
        if direct and first and (cls in ("migrant", "helper") or self.r.random() < 0.5):
            pool = first
        else:
            pool = CONTENT3_BY_CLASS.get((cls, frame)) or CONTENT3[frame]
        text = _fill_from(fill, pool)
        return text.replace("'", self.w.apostrophe) if self.w.apostrophe != "'" else text

    def target(self, fill: Fill) -> str | None:
        return fill.other.actor if ("B" in fill or "Badj" in fill) else None

    # -- first mention -----------------------------------------------------------------------
    INTRO_SHAPES = (("direct_after", 20), ("direct_inverted", 6), ("direct_before", 8), ("indirect_that", 20),
                    ("indirect_after", 6), ("according", 7), ("mixed", 8), ("object_shape", 10), ("split", 6),
                    ("statement", 5))
    FOLLOW_SHAPES = (("follow_that", 5), ("follow_direct", 5), ("follow_role", 3))

    def intro(self, sp: Speaker, frame: str, own: Side, other: Side) -> Line:
        """The first quote of a speaker, who is introduced in full."""
        shape = getattr(self, _weighted(self.r, self.INTRO_SHAPES))
        return shape(sp, frame, Fill(self.w, own, other))

    def follow(self, sp: Speaker, frame: str, own: Side, other: Side, left: int = 1) -> Line:
        """A further quote of the speaker just quoted; two (a cue-less continuation) when ``left`` allows."""
        shapes = self.FOLLOW_SHAPES + ((("follow_chain", 1),) if left >= 2 else ())
        return getattr(self, _weighted(self.r, shapes))(sp, frame, Fill(self.w, own, other))

    def _time(self, fill: Fill, chance: float = 0.4) -> str:
        return _sub(self.r.choice(TIMES), fill) if self.r.random() < chance else ""

    def direct_after(self, sp: Speaker, frame: str, fill: Fill) -> Line:
        line = Line()
        text = _cap(self.content(frame, fill, True))
        if self.r.random() < 0.25:
            text += ". " + _cap(self.content(frame, Fill(self.w, fill.own, fill.other), True))
        start = line.add(self.o).span(text + ",")
        line.record(start, line.size, "direct", sp, frame, self.target(fill))
        cue = _sub(self.r.choice(CUES_AFTER), fill)
        line.add(f"{self.c} {sp.intro} {cue}{self._time(fill) if cue == 'said' else ''}.")
        return line

    def direct_inverted(self, sp: Speaker, frame: str, fill: Fill) -> Line:
        line = Line()
        start = line.add(self.o).span(_cap(self.content(frame, fill, True)) + ",")
        line.record(start, line.size, "direct", sp, frame, self.target(fill))
        verb = self.r.choice(("said", "said", "warned", "insisted"))
        line.add(f"{self.c} {verb} {sp.appos or sp.intro}.")
        return line

    def direct_before(self, sp: Speaker, frame: str, fill: Fill) -> Line:
        line = Line()
        lead = self.r.choice((f"{_cap(sp.intro)} said{self._time(fill)}: ", f"{_cap(sp.intro)} told reporters: ",
                              f"{_cap(sp.intro)} wrote on social media: ", f"In a statement, {sp.intro} said: "))
        line.add(lead + self.o)
        start = line.span(_cap(self.content(frame, fill, True)) + ".")
        line.record(start, line.size, "direct", sp, frame, self.target(fill))
        line.add(self.c)
        return line

    def indirect_that(self, sp: Speaker, frame: str, fill: Fill, who: str | None = None) -> Line:
        line = Line()
        verb = self.r.choice(CUES_THAT[frame])
        time_ = self._time(fill) if " " not in verb else ""
        # "that" may drop only right after a plain verb: "said Poland is ...".
        that = "" if not time_ and " " not in verb and self.r.random() < 0.3 else "that "
        line.add(f"{_cap(who or sp.intro)} {verb}{time_} {that}")
        start = line.span(self.content(frame, fill, False))
        line.record(start, line.size, "indirect", sp, frame, self.target(fill))
        line.add(".")
        return line

    def indirect_after(self, sp: Speaker, frame: str, fill: Fill) -> Line:
        line = Line()
        start = line.span(_cap(self.content(frame, fill, False)))
        line.record(start, line.size, "indirect", sp, frame, self.target(fill))
        line.add(f", {sp.intro} said.")
        return line

    def according(self, sp: Speaker, frame: str, fill: Fill) -> Line:
        line = Line()
        who = sp.appos if sp.intro.endswith(",") else sp.intro
        if self.r.random() < 0.5:
            line.add(f"According to {who}, ")
            start = line.span(self.content(frame, fill, False))
            line.record(start, line.size, "indirect", sp, frame, self.target(fill))
            line.add(".")
        else:
            start = line.span(_cap(self.content(frame, fill, False)))
            line.record(start, line.size, "indirect", sp, frame, self.target(fill))
            line.add(f", according to {who}.")
        return line

    def mixed(self, sp: Speaker, frame: str, fill: Fill) -> Line:
        line = Line()
        if frame in LABEL_NPS and self.r.random() < 0.4:
            verb = self.r.choice(("described", "called"))
            line.add(f"{_cap(sp.intro)} {verb} ")
            event = _fill_from(fill, EVENTS)
            start = line.span(event + (" as " if verb == "described" else " ") + self.o)
            line.add(_fill_from(fill, LABEL_NPS[frame]) + self.c)
            line.record(start, line.size, "mixed", sp, frame, self.target(fill))
            line.add(".")
            return line
        words = self.content(frame, fill, False).split()
        # The quoted fragment starts after a verb or preposition: said Poland was "exploiting the crisis".
        cuts = [i for i in range(2, len(words) - 2) if words[i - 1].lower() in FRAGMENT_AFTER]
        if not cuts:
            return self.indirect_that(sp, frame, fill)
        cut = self.r.choice(cuts)
        line.add(f"{_cap(sp.intro)} said{self._time(fill, 0.3)} that ")
        start = line.span(" ".join(words[:cut]) + " " + self.o + " ".join(words[cut:]) + self.c)
        line.record(start, line.size, "mixed", sp, frame, self.target(fill))
        line.add(".")
        return line

    def object_shape(self, sp: Speaker, frame: str, fill: Fill) -> Line:
        shapes = OBJECT_SHAPES.get(frame, ()) + PREP_SHAPES.get(frame, ())
        if not shapes:
            return self.indirect_that(sp, frame, fill)
        phrase = _fill_from(fill, shapes)
        verb, rest = phrase.split(" ", 1)
        if verb in ("warned", "called") and rest.split(" ", 1)[0] in ("of", "for", "against"):
            prep, rest = rest.split(" ", 1)
            verb = f"{verb} {prep}"
        line = Line()
        line.add(f"{_cap(sp.intro)} {verb} ")
        start = line.span(rest)
        line.record(start, line.size, "indirect", sp, frame, self.target(fill))
        line.add(".")
        return line

    def split(self, sp: Speaker, frame: str, fill: Fill) -> Line:
        line = Line()
        first = _cap(self.content(frame, fill, True))
        second = self.content(frame, Fill(self.w, fill.own, fill.other), True)
        join = self.r.choice(("and ", "but ", "", "and "))
        start = line.add(self.o).span(first + ",")
        line.add(f"{self.c} {sp.intro} {self.r.choice(('said', 'said', 'told reporters'))}, {self.o}")
        line.add(join + second + ".")
        line.record(start, line.size, "direct", sp, frame, self.target(fill))
        line.add(self.c)
        return line

    def statement(self, sp: Speaker, frame: str, fill: Fill) -> Line:
        line = Line()
        if sp.pronoun == "it" and self.r.random() < 0.5:
            line.add(f"A statement from {sp.intro} said: {self.o}")
            start = line.span(_cap(self.content(frame, fill, True)) + ".")
            line.record(start, line.size, "direct", sp, frame, self.target(fill))
            line.add(self.c)
            return line
        lead = self.r.choice((f"In a statement, {sp.intro} said that ",
                              f"{_cap(sp.intro)} said in a statement posted online that "))
        line.add(lead)
        start = line.span(self.content(frame, fill, False))
        line.record(start, line.size, "indirect", sp, frame, self.target(fill))
        line.add(".")
        return line

    # -- follow-ups: pronoun, role or surname -------------------------------------------------
    def _mention(self, sp: Speaker, pronoun: bool = True) -> str:
        """How a follow-up names the speaker: a pronoun, a role or the surname ("He", "The minister", "Nowak").

        A role is used only when its noun was in the introduction ("the ministry" after
        "the Polish foreign ministry"), as a reader needs it to be.
        """
        options = [sp.pronoun.capitalize()] * 2 if pronoun else []
        if sp.role and sp.role.split()[-1].lower() in sp.intro.lower():
            options.append(_cap(sp.role))
        if sp.short != sp.name or sp.pronoun in ("he", "she") or not options:
            options.append(_cap(sp.short))
        return self.r.choice(options)

    def again(self, sp: Speaker, frame: str, own: Side, other: Side) -> Line:
        """A source quoted earlier, named again by surname or role after other paragraphs."""
        fill, who = Fill(self.w, own, other), self._mention(sp, pronoun=False)
        if self.r.random() < 0.5:
            return self.indirect_that(sp, frame, fill, who=who)
        return self.follow_direct(sp, frame, fill, who=who)

    def follow_that(self, sp: Speaker, frame: str, fill: Fill) -> Line:
        who = self._mention(sp)
        verb = self.r.choice(FOLLOW_CUES[:5])
        also = "also " if verb != "continued" and self.r.random() < 0.3 else ""
        line = Line()
        line.add(f"{who} {also}{verb} that ")
        start = line.span(self.content(frame, fill, False))
        line.record(start, line.size, "indirect", sp, frame, self.target(fill))
        line.add(".")
        return line

    def follow_direct(self, sp: Speaker, frame: str, fill: Fill, who: str | None = None) -> Line:
        line = Line()
        start = line.add(self.o).span(_cap(self.content(frame, fill, True)) + ",")
        line.record(start, line.size, "direct", sp, frame, self.target(fill))
        who = who or self._mention(sp)
        if who.split()[0] in ("He", "She", "It", "They", "The"):
            who = who[0].lower() + who[1:]
        line.add(f"{self.c} {who} {self.r.choice(FOLLOW_CUES[:4])}.")
        return line

    def follow_role(self, sp: Speaker, frame: str, fill: Fill) -> Line:
        who = self._mention(sp)
        if frame in OBJECT_SHAPES and self.r.random() < 0.5:
            line = Line()
            verb, rest = _fill_from(fill, OBJECT_SHAPES[frame]).split(" ", 1)
            line.add(f"{who} also {verb} ")
            start = line.span(rest)
            line.record(start, line.size, "indirect", sp, frame, self.target(fill))
            line.add(".")
            return line
        return self.indirect_that(sp, frame, fill, who=who)

    def follow_chain(self, sp: Speaker, frame: str, fill: Fill) -> Line:
        """Two direct quotes: the second continues with no cue of its own."""
        line = self.follow_direct(sp, frame, fill)
        line.add(" " + self.o)
        start = line.span(_cap(self.content(frame, Fill(self.w, fill.own, fill.other), True)) + ".")
        line.record(start, line.size, "direct", sp, frame, self.target(fill))
        line.add(self.c)
        return line


# ------------------------------------------------------------------ articles


def _target_words(r: random.Random) -> int:
    if r.random() < 0.02:  # a few long reads
        return r.randint(1_100, 1_450)
    return max(150, min(1_450, int(math.exp(r.gauss(math.log(470), 0.45)))))


def _quote_count(r: random.Random, words: int) -> int:
    if r.random() < 0.07:
        return 0
    count = round(words / r.uniform(40, 110))
    return max(1, min(15, count, words // 30))


def _words(text: str) -> int:
    return len(text.split())


class Article:
    """Paragraphs of lines, joined with offsets of every quote."""

    def __init__(self) -> None:
        self.paragraphs: list[list[Line]] = []

    def render(self) -> tuple[str, list[dict[str, Any]]]:
        out: list[str] = []
        quotes: list[dict[str, Any]] = []
        size = 0
        for p, lines in enumerate(self.paragraphs):
            if p:
                out.append("\n\n")
                size += 2
            for i, line in enumerate(lines):
                if i:
                    out.append(" ")
                    size += 1
                for q in line.quotes:
                    quotes.append({**q, "start": q["start"] + size, "end": q["end"] + size})
                text = line.text
                out.append(text)
                size += len(text)
        return "".join(out), quotes


def _narrative(w: ArticleWriter, group: str) -> Line:
    fill = Fill(w, w.d.a, w.d.b)
    if group == "event":
        opener, tail = _sub(w.r.choice(EVENT_OPENERS), fill), _sub(w.r.choice(EVENT_TAILS), fill)
        return Line().add(_cap(opener + _fill_from(fill, EVENT_CLAUSES) + tail + "."))
    return Line().add(_cap(_fill_from(fill, NARRATIVE[group])))


def _narrative_paragraph(w: ArticleWriter) -> list[Line]:
    """1-3 narrative sentences, from groups that still have templates unused in this article."""
    lines = []
    for _ in range(w.r.choice((1, 1, 2, 2, 3))):
        fresh = tuple(gw for gw in NARRATIVE_WEIGHTS if id(NARRATIVE.get(gw[0], EVENT_CLAUSES)) not in w.exhausted)
        lines.append(_narrative(w, _weighted(w.r, fresh or NARRATIVE_WEIGHTS)))
    return lines


EPISODE_SIZES = ((1, 5), (2, 3), (3, 2))  # quotes per speaker appearance


def _episodes(w: ArticleWriter, quotes: int) -> list[list[list[Line]]]:
    """Groups of paragraphs, one group a speaker: an introduction, then 0-2 follow-ups."""
    qw, r, d = QuoteWriter(w), w.r, w.d
    seen: list[tuple[Speaker, Side, Side]] = []
    episodes = []
    left = quotes
    while left > 0:
        size = min(left, _weighted(r, EPISODE_SIZES))
        sp, own, other = _pick_speaker(w, seen, len(episodes))
        frame = w.frame_for(own, replying=len(episodes) > 0 and own is d.b)
        w.frames_used.append(frame)
        if any(sp is s for s, _, _ in seen):
            first = qw.again(sp, frame, own, other)
        else:
            first = qw.intro(sp, frame, own, other)
        seen.append((sp, own, other))
        left -= len(first.quotes)
        paragraphs = [[first]]
        for _ in range(size - 1):
            if left <= 0:
                break
            frame2 = frame if r.random() < 0.5 else w.frame_for(own, False)
            line = qw.follow(sp, frame2, own, other, left)
            left -= len(line.quotes)
            if r.random() < 0.5:
                paragraphs[-1].append(line)
            else:
                paragraphs.append([line])
        episodes.append(paragraphs)
    return episodes


def _pick_speaker(w: ArticleWriter, seen: list, index: int) -> tuple[Speaker, Side, Side]:
    r, d = w.r, w.d
    if seen and r.random() < 0.15:  # a source quoted again later, by surname or role
        return r.choice(seen)
    if index == 0 or r.random() < 0.62 or not d.third:
        own = d.a if (index % 2 == 0) == (r.random() < 0.75) else d.b
        other = d.b if own is d.a else d.a
    else:
        own = r.choice(d.third)
        other = r.choice((d.a, d.b))
    return w.speaker(own), own, other


def write_article(r: random.Random, sides: dict[str, Side], pairs: list[tuple],
                  source: str) -> tuple[str, str, list[dict]]:
    """(text, title, quotes) of one article."""
    marks = ("“", "”") if r.random() < 0.6 else ('"', '"')
    w = ArticleWriter(r, sides, pairs, marks, source)
    target = _target_words(r)
    quotes = _quote_count(r, target)
    article = Article()
    lead = [Line().add(_dateline(w) + _narrative(w, "lead").text)]
    if r.random() < 0.5:
        lead.append(_narrative(w, "background"))
    episodes = _episodes(w, quotes)
    used = sum(_words(line.text) for group in [[lead]] + episodes for para in group for line in para)
    fillers: list[list[Line]] = []
    while used < target:
        para = _narrative_paragraph(w)
        used += sum(_words(line.text) for line in para)
        fillers.append(para)
    article.paragraphs.append(lead)
    _interleave(article, episodes, fillers, w)
    narration = Fill(w, w.d.a, w.d.b)
    if r.random() < 0.03:  # scare quotes in narration: no source, so no quote
        article.paragraphs.insert(min(2, len(article.paragraphs)), [Line().add(_fill_from(narration, SCARE))])
    if r.random() < 0.25:
        article.paragraphs.append([Line().add(_fill_from(narration, FOOTERS))])
    text, spans = article.render()
    return text, _headline(w), spans


def _interleave(article: Article, episodes: list, fillers: list, w: ArticleWriter) -> None:
    """Episodes in order, filler paragraphs in the gaps between them, subheads in long articles."""
    gaps = [w.r.randint(0, len(episodes)) for _ in fillers]
    subheads = 3 if len(fillers) + len(episodes) > 14 else 0
    for i in range(len(episodes) + 1):
        for filler, gap in zip(fillers, gaps):
            if gap == i:
                if subheads and len(article.paragraphs) > 3 and w.r.random() < 0.15:
                    article.paragraphs.append([Line().add(_fill_from(Fill(w, w.d.a, w.d.b), SUBHEADS))])
                    subheads -= 1
                article.paragraphs.append(filler)
        if i < len(episodes):
            article.paragraphs.extend(episodes[i])


def _dateline(w: ArticleWriter) -> str:
    r = w.r
    city = r.choice([c for c in (w.d.a.capital, w.d.b.capital) if c] + [w.d.place])
    style = r.random()
    if style < 0.4:
        return f"{city.upper()} — "
    if style < 0.7:
        return f"{city.upper()} ({SOURCE_TAGS[w.source]}) – "
    return ""


def _headline(w: ArticleWriter) -> str:
    frame = w.frames_used[0] if w.frames_used else w.r.choice(tuple(HEADLINES))
    return _cap(_fill_from(Fill(w, w.d.a, w.d.b), HEADLINES[frame]))


def generate(n: int, seed: int = 7, truth: bool = False) -> Iterator[dict[str, Any]]:
    """``n`` articles as dicts with the archive's columns, the same for the same seed (and gazetteer).

    With ``truth=True`` each dict also holds ``quotes``: the quotes the generator
    wrote, each with ``start``/``end`` offsets into ``text``, ``kind``,
    ``speaker`` (fullest name), ``actor``, the intended ``frame`` and ``target``.

    >>> rows = list(generate(3, seed=1))
    >>> [r["id"] for r in rows], sorted(rows[0])
    (['art-000001', 'art-000002', 'art-000003'], ['date', 'id', 'lang', 'source', 'text', 'title'])
    """
    sides = load_sides()
    pairs = [(a, b, region, extra) for a, b, region, extra in PAIRS if a in sides and b in sides]
    if not pairs:
        raise ValueError(f"none of the dispute pairs has both sides in {ACTORS_TOML}; check the gazetteer")
    r = random.Random(seed)
    for i in range(1, n + 1):
        source = r.choice(SOURCES)
        date = FIRST_DAY + dt.timedelta(days=r.randrange(DAYS))
        text, title, quotes = write_article(r, sides, pairs, source)
        row = {"id": f"art-{i:06d}", "text": text, "title": title, "date": date.isoformat(), "source": source,
               "lang": "en"}
        if truth:
            row["quotes"] = quotes
        yield row


# ------------------------------------------------------------------ bad rows


def bad_plan(n: int, seed: int, fraction: float, fmt: str) -> dict[int, str]:
    """Which article indexes (0-based) become bad, and how: kinds taken in turn."""
    if not 0 <= fraction <= 1:
        raise ValueError(f"--bad must be a fraction between 0 and 1, got {fraction}")
    if fraction == 0 or n == 0:
        return {}
    count = min(n, max(1, round(n * fraction)))
    r = random.Random(f"bad-{seed}")
    kinds = BAD_KINDS[fmt]
    offset = r.randrange(len(kinds))
    return {index: kinds[(k + offset) % len(kinds)] for k, index in enumerate(sorted(r.sample(range(n), count)))}


def _spoil(row: dict[str, Any], kind: str, r: random.Random) -> dict[str, Any]:
    row = dict(row)
    if kind == "empty":
        row["text"] = ""
    elif kind == "blank":
        row["text"] = r.choice((" ", "\n\n", " \t \n ", "\u00a0 \n", "   "))
    elif kind == "null":
        row["text"] = None
    row["_bad"] = kind
    return row


# ------------------------------------------------------------------ writers


def infer_format(path: Path) -> str:
    """The format named by the output path: .jsonl[.gz], .csv[.gz], .parquet, or a folder (txt)."""
    name = path.name.lower().removesuffix(".gz")
    for suffix, fmt in ((".jsonl", "jsonl"), (".ndjson", "jsonl"), (".json", "jsonl"), (".csv", "csv"),
                        (".parquet", "parquet"), (".pq", "parquet")):
        if name.endswith(suffix):
            return fmt
    if path.suffix == "" or path.is_dir():
        return "txt"
    raise ValueError(f"cannot tell the format of {path}: use .jsonl, .csv (either may end in .gz), "
                     f".parquet, a folder for txt, or give --format")


def _open_text(path: Path, gz: bool, newline: str | None = None):
    if gz:
        return gzip.open(path, "wt", encoding="utf-8", newline=newline, compresslevel=6)
    return open(path, "w", encoding="utf-8", newline=newline)


def _write_jsonl(path: Path, rows: Iterable[dict[str, Any]], gz: bool = False) -> None:
    with _open_text(path, gz) as out:
        for row in rows:
            kind = row.pop("_bad", None)
            line = json.dumps(row, ensure_ascii=False)
            if kind == "broken_json":
                line = line[: max(10, len(line) // 3)]
            out.write(line + "\n")


def _write_csv(path: Path, rows: Iterable[dict[str, Any]], gz: bool = False) -> None:
    with _open_text(path, gz, newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(COLUMNS), extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow(row)


def _write_parquet(path: Path, rows: Iterable[dict[str, Any]], gz: bool = False) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([(c, pa.string()) for c in COLUMNS])
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        batch: list[dict[str, Any]] = []
        for row in rows:
            batch.append(row)
            if len(batch) == ROW_GROUP:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                batch = []
        if batch:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))


_OWN_TXT = re.compile(r"art-\d+\.txt")


def _write_txt(folder: Path, rows: Iterable[dict[str, Any]], gz: bool = False) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():
        if _OWN_TXT.fullmatch(old.name):
            old.unlink()
    r = random.Random(0)
    for row in rows:
        target = folder / f"{row['id']}.txt"
        if row.get("_bad") == "binary":
            target.write_bytes(b"\xff\xfe\x00\x00" + bytes(r.randrange(128, 256) for _ in range(64)) + b"\x00\xc3\x28")
        else:
            target.write_text(row["text"] or "", encoding="utf-8")


WRITERS = {"jsonl": _write_jsonl, "csv": _write_csv, "parquet": _write_parquet, "txt": _write_txt}


def write_archive(path: str | Path, n: int, seed: int = 7, fmt: str | None = None,
                  bad: float = 0.0) -> dict[str, Any]:
    """Write ``n`` generated articles to ``path``; return the summary (articles, bad, words, path, bytes, seconds).

    Streams: only a Parquet row group is held in memory.
    """
    path = Path(path)
    fmt = fmt or infer_format(path)
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if path.name.endswith(".gz") and fmt not in ("jsonl", "csv"):
        raise ValueError(f"{path}: only jsonl and csv can be gzipped; drop the .gz")
    plan = bad_plan(n, seed, bad, fmt)
    stats = {"articles": 0, "bad": 0, "words": 0}
    started = time.perf_counter()

    def rows() -> Iterator[dict[str, Any]]:
        spoil = random.Random(f"spoil-{seed}")
        for index, row in enumerate(generate(n, seed)):
            stats["articles"] += 1
            if index in plan:
                stats["bad"] += 1
                yield _spoil(row, plan[index], spoil)
            else:
                stats["words"] += _words(row["text"])
                yield row

    if fmt == "txt":
        WRITERS[fmt](path, rows())
    else:  # written beside, then renamed: a reader never sees half an archive
        path.parent.mkdir(parents=True, exist_ok=True)
        part = path.with_name(path.name + ".part")
        try:
            WRITERS[fmt](part, rows(), gz=path.name.endswith(".gz"))
            os.replace(part, path)
        finally:
            part.unlink(missing_ok=True)
    size = sum(f.stat().st_size for f in path.iterdir()) if path.is_dir() else path.stat().st_size
    return {**stats, "path": str(path), "format": fmt, "bytes": size,
            "seconds": round(time.perf_counter() - started, 2)}


# ------------------------------------------------------------------ command line


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=10_000, help="how many articles (default 10000)")
    parser.add_argument("--out", type=Path, default=Path("build/archive/articles.jsonl.gz"),
                        help="output file, or folder for txt (default build/archive/articles.jsonl.gz)")
    parser.add_argument("--seed", type=int, default=7, help="random seed: the same seed, the same archive")
    parser.add_argument("--format", choices=FORMATS, help="jsonl, csv, parquet or txt (default: from --out)")
    parser.add_argument("--bad", type=float, default=0.0, metavar="FRACTION",
                        help="share of bad articles to inject (see the module docstring); default 0")
    args = parser.parse_args(argv)
    if args.articles < 0:
        parser.error("--articles must be 0 or more")
    return args


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:,.0f} {unit}" if unit == "B" else f"{n:,.1f} {unit}"
        n /= 1024
    return str(n)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        summary = write_archive(args.out, args.articles, args.seed, args.format, args.bad)
    except (ValueError, OSError) as err:
        print(f"make_archive: {err}", file=sys.stderr)
        return 2
    print(f"make_archive: wrote {summary['articles']:,} articles ({summary['bad']:,} bad), "
          f"{summary['words']:,} words, {summary['format']} -> {summary['path']} "
          f"({_size(summary['bytes'])}) in {summary['seconds']:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

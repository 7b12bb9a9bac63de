"""Sides read from the whole article (LABELS.md, "Speaker"): datelines, place phrases,
bodies named before, a title given once, and parties the gazetteer does not know.

Every article here is invented for the test; the disputes (a river dam, a fishing
ground, a mining licence) and all people are made up.
"""
from __future__ import annotations

import pytest

from quoteframe.actors import default_gazetteer
from quoteframe.extraction.sides import dateline_actor, dateline_end, named_capitals
from tests.quoteframe.extraction.tagged import speakers_with_tags


def side_of(quotes_of, article: str, text: str) -> str | None:
    """The side of the one quote that contains ``text``."""
    found = [q for q in quotes_of(article) if text in q.text]
    assert len(found) == 1, f"expected one quote with {text!r}; got {[q.text for q in quotes_of(article)]}"
    return found[0].speaker.actor


# -- datelines ---------------------------------------------------------------------
@pytest.mark.parametrize("article, country", [
    ("NAIROBI (Reuters) - Kenya said on Monday ...", "Kenya"),
    ("Dam row deepens\n\nCAIRO (AP) — Egypt's water minister said ...", "Egypt"),
    ("LIMA, Peru (AFP) - Officials said ...", "Peru"),
    ("QUITO, March 4 (Reuters) - The government said ...", "Ecuador"),
    ("Ministers met on Monday to discuss the dam.", None),
    ("ATTENTION EDITORS - this story was corrected", None),
    ("HALIFAX, Nova Scotia (AP) — Officials said ...", "Canada"),
    ("PERTH, Western Australia (AFP) - Officials said ...", "Australia"),
    ("PORT-AU-PRINCE (AFP) - Officials said ...", "Haiti"),
    ("KINGSTON (Reuters) - Jamaica's coast guard said ...", "Jamaica"),
    ("KINGSTON (Reuters) - The coast guard said ...", None),
    ("BRUSSELS (Reuters) - The commissioner said ...", "EU"),
    ("QUITO, Ecuador, EFE – The ministry said ...", "Ecuador"),
    ("ISLAMABAD: The foreign office said ...", "Pakistan"),
    ("NEW DELHI, May 3: Officials said ...", "India"),
    ("(Phnom Penh): The ministry said ...", "Cambodia"),
    ("UPDATE: Officials said ...", None),
    ("Hanoi, Nov. 14 (VNA)–The ministry said ...", "Vietnam"),
    ("June 2, 2021 (LILONGWE) - The ministry said ...", "Malawi"),
], ids=["city", "after-headline", "city-country", "city-date", "none", "not-a-place",
        "city-province", "province-with-a-demonym", "hyphenated-city", "ambiguous-capital-of-a-named-country",
        "ambiguous-capital-alone", "a-blocs-seat", "agency-without-brackets", "colon", "colon-date",
        "colon-place-in-brackets", "colon-not-a-place", "title-case-city-with-date-and-agency", "date-then-city"])
def test_dateline_gives_the_country(article, country):
    gaz = default_gazetteer()
    assert dateline_actor(article, gaz, named_capitals(article, gaz)) == country


# -- sides a reader gives from the rest of the article (each case one rule) -----------------
@pytest.mark.parametrize("article, text, side", [
    pytest.param(
        "Guyana protested on Monday after a patrol boat was stopped on the river.\n\n"
        "Officials in Georgetown said the boat had been in Guyanese waters.",
        "the boat had been", "Guyana", id="a-capital-held-back-as-a-name"),
    pytest.param(
        "NAIROBI (Reuters) - Peru accused Ecuador on Monday of diverting the river as talks on the dam "
        "opened.\n\nA government spokesman said the talks would go on for three days.",
        "the talks would go on", "Peru", id="a-venue-dateline-is-no-side"),
    pytest.param(
        "LIMA (Reuters) - Peru accused the Ecuador Border Guard of seizing two fishing boats on Monday. "
        "The EBG said the boats had been fishing without licences.",
        "without licences", "Ecuador", id="an-acronym-of-a-state-body-named-before"),
    pytest.param(
        "Peru's Defence Ministry said its patrol boats had left the lake.\n\n"
        "In Quito, the foreign ministry said it had summoned the Peruvian envoy.",
        "summoned the Peruvian envoy", "Ecuador", id="the-foreign-ministry-is-not-the-defence-ministry-named-before"),
    pytest.param(
        "QUITO (Reuters) - Peruvian Energy Minister Rosa Quispe arrived in Quito on Monday for talks "
        "on the river dam.\n\nEcuador's government hopes the visit will end the row.\n\n"
        "\"The dam stays where it is,\" Quispe told reporters.",
        "The dam stays", "Peru", id="a-title-in-an-unparsed-paragraph"),
    pytest.param(
        "LIMA (Reuters) - Peru's army said on Monday its patrols had been fired on.\n\n"
        "The media wing of the army accused Ecuador of moving troops to the river.",
        "moving troops", "Peru", id="a-media-wing-is-its-body-not-the-media"),
    pytest.param(
        "Ecuador has expelled two Peruvian diplomats, its foreign ministry said on Tuesday.",
        "expelled two Peruvian diplomats", "Ecuador", id="its-ministry-of-the-subject-of-what-it-reports"),
    pytest.param(
        "Peru and Ecuador traded fire on the border on Monday.\n\n"
        "The Peruvian Foreign Ministry said Ecuadorean troops had shelled two villages.\n\n"
        "\"We demand that Quito stop the shelling at once,\" said department spokesman Mario Quinteros.",
        "stop the shelling", "Peru", id="a-spokesman-after-reported-speech-is-not-of-its-subject"),
    pytest.param(
        "Kenya said on Tuesday the lake pact signed by Ugandan President Tesfaye Girma and the island's "
        "council had no force.\n\nIn May, Tesfaye said Uganda's future was tied to the lake.\n\n"
        "Kenya would get a share of the fish quota in return, Tesfaye's national security adviser said on Monday.",
        "a share of the fish quota", "Uganda", id="an-aide-of-a-person-named-by-a-given-name"),
    pytest.param(
        "Chile's foreign minister says the fishing talks with Peru will resume in Santiago next week.\n\n"
        "\"Both fleets need rules they can trust,\" Tomas Herrera said at a news conference on Friday.",
        "Both fleets need rules", "Chile", id="the-holder-named-after-the-role"),
    pytest.param(
        "LIMA/QUITO (Reuters) - Peru's president said on Monday Ecuador had provoked the clash.\n\n"
        "Ecuador closed the river crossing to Peruvian lorries, an interior ministry official told Reuters.",
        "closed the river crossing", "Ecuador", id="an-official-closing-what-a-country-did"),
    pytest.param(
        "QUITO (Reuters) - Ecuador launched strikes on camps across the river early on Wednesday.\n\n"
        "In a televised address, Prime Minister Rosa Quispe accused Ecuador of violating Peru's "
        "sovereignty and vowed a response.",
        "violating Peru's sovereignty", "Peru", id="no-one-accuses-their-own-country"),
    pytest.param(
        "LIMA (Reuters) - President Lucia Paredes on Tuesday accused opposition leader Tomas Vela of "
        "modelling his policies on Ecuador's president.",
        "modelling his policies", "Peru", id="accusing-a-person-of-ones-own-country"),
    pytest.param(
        "Peru closed the border on Monday.\n\nA statement issued by Ecuador's Defence Ministry said the "
        "strikes had hit only the camps.",
        "had hit only the camps", "Ecuador", id="a-statement-issued-by-a-ministry"),
])
def test_the_side_a_reader_gives_from_the_article(quotes_of, article, text, side):
    assert side_of(quotes_of, article, text) == side


# -- capitals that are common names elsewhere ----------------------------------------------
@pytest.mark.parametrize("article", [
    "Officials in Georgetown said the library would reopen on Monday.",
    "Guyana's envoy met students at Georgetown University, where officials said the talks went well.",
], ids=["country-not-named", "inside-a-longer-name"])
def test_an_ambiguous_capital_is_no_country_otherwise(article):
    assert named_capitals(article, default_gazetteer()) == {}


@pytest.mark.parametrize("dateline", ["HANOI (Reuters) - ", "PORT-AU-PRINCE (AFP) - ", "ISLAMABAD: ", "(Phnom Penh): ",
                                      "June 2, 2021 (LILONGWE) - "],
                         ids=["city", "hyphenated-city", "colon", "colon-place-in-brackets", "date-then-city"])
def test_dateline_end_is_where_the_story_starts(dateline):
    assert dateline_end(dateline + "Officials protested.") == len(dateline)


def test_an_unnamed_ministry_speaks_for_the_dateline_country(quotes_of):
    article = ("ACCRA (Reuters) - Fishing crews from the north were turned back at sea on Monday.\n\n"
               "The Foreign Ministry said the patrol boats had acted within national waters.")
    assert side_of(quotes_of, article, "patrol boats had acted") == "Ghana"


# -- place phrases and bodies named before ---------------------------------------------------
def test_a_place_phrase_beats_the_dateline(quotes_of):
    article = ("ACCRA (Reuters) - The dispute over the fishing ground flared again on Monday.\n\n"
               "In Lome, a Foreign Ministry spokesman said the trawlers had entered Togolese waters twice.")
    assert side_of(quotes_of, article, "trawlers had entered") == "Togo"


def test_the_ministry_is_the_ministry_named_before(quotes_of):
    article = ("Peru's Foreign Ministry said on Tuesday that the licence had been granted lawfully. "
               "The ministry added that the mine would not pollute the river.")
    assert side_of(quotes_of, article, "mine would not pollute") == "Peru"


def test_its_spokeswoman_speaks_for_the_body_that_spoke_before(quotes_of):
    article = ("Ecuador's Foreign Ministry said the dam had cut the river's flow by half. "
               "Its spokeswoman, Lucia Arroyo, said talks would resume in May.")
    assert side_of(quotes_of, article, "talks would resume") == "Ecuador"


def test_a_government_spokesman_speaks_for_the_government_named_before(quotes_of):
    article = ("Chad's transitional government has ordered the mine closed. "
               "Government spokesman Idriss Mahamat said the company had ignored three warnings.")
    assert side_of(quotes_of, article, "ignored three warnings") == "Chad"


# -- a person keeps the side given once --------------------------------------------------
def test_a_title_given_once_holds_for_the_surname_and_the_pronoun(quotes_of):
    article = ("Water Minister Halima Oduya of Kenya met her counterpart on Friday. "
               "Oduya said the dam would not be filled before the rains. "
               "She added that Kenya wanted a joint survey of the river.")
    assert side_of(quotes_of, article, "would not be filled") == "Kenya"
    assert side_of(quotes_of, article, "joint survey") == "Kenya"


def test_a_given_name_the_tagger_left_out_is_part_of_the_name_and_names_the_person_later(quotes_of):
    """The small model tags only the surname of some names it has not seen; news in some
    countries then refers to the person by the given name."""
    article = ("Peru accused Chile on Monday of breaking the truce, ministry spokesperson Chalerm Sukprasert "
               "said at a briefing in Lima.\n\n"
               "\"Chile says it wants calm, but its troops fire first,\" Chalerm said.")
    first, second = quotes_of(article)
    assert first.speaker.name == second.speaker.name == "Chalerm Sukprasert"
    assert second.speaker.actor == "Peru"


def test_a_title_is_never_taken_for_a_given_name():
    from quoteframe.extraction.docview import whole_person_names
    from quoteframe.extraction.lexicon import default_lexicon
    from quoteframe.nlp import load_spacy

    doc = load_spacy()("Peru accused Chile on Monday of breaking the truce, Foreign Minister Sukprasert said in Lima.")
    whole_person_names(doc, default_lexicon().role_nouns)
    assert [e.text for e in doc.ents if e.label_ == "PERSON"] == ["Sukprasert"]


def test_a_spokesperson_for_a_government_speaks_for_its_country_however_the_parse_hangs_it(quotes_of):
    """The parse hangs "for the Peruvian government" on the name, not on the title before it."""
    article = ("Ecuador accused Peru on Monday of moving troops to the border.\n\n"
               "Rosa Quispe, Minister of Communication and spokesperson for the Peruvian government, said the "
               "troops were on a routine exercise.")
    assert side_of(quotes_of, article, "routine exercise") == "Peru"


def test_a_general_the_tagger_took_for_an_organisation_is_a_person_without_the_title():
    from quoteframe.extraction.docview import whole_person_names
    from quoteframe.extraction.lexicon import default_lexicon
    from quoteframe.nlp import load_spacy

    text = "General Marcel Ekenge said the troops would stay. General Electric Company said its plant was closed."
    doc = load_spacy()(text)
    doc.ents = [doc.char_span(0, len("General Marcel Ekenge"), label="ORG"),  # as the small model tagged a real one
                doc.char_span(text.index("General Electric"), text.index(" said its"), label="ORG")]
    lexicon = default_lexicon()
    whole_person_names(doc, lexicon.role_nouns, lexicon.person_roles)
    assert [(e.text, e.label_) for e in doc.ents] == [("Marcel Ekenge", "PERSON"), ("General Electric Company", "ORG")]


@pytest.mark.parametrize("label", ["LAW", "WORK_OF_ART", "PRODUCT"])
def test_a_titled_name_the_tagger_gave_an_odd_label_is_a_person(label):
    from quoteframe.extraction.docview import whole_person_names
    from quoteframe.extraction.lexicon import default_lexicon
    from quoteframe.nlp import load_spacy

    text = "Earlier, Malawian MP Grace Banda demanded an apology. The Lake Malawi Act was passed in 1994."
    doc = load_spacy()(text)
    doc.ents = [doc.char_span(text.index("Malawian"), text.index(" demanded"), label=label),  # as the small model
                doc.char_span(text.index("The Lake"), text.index(" was"), label="LAW")]  # tagged real ones
    lexicon = default_lexicon()
    whole_person_names(doc, lexicon.role_nouns, lexicon.person_roles)
    assert [(e.text, e.label_) for e in doc.ents] == [("Grace Banda", "PERSON"), ("The Lake Malawi Act", "LAW")]


def test_he_after_a_member_of_parliament_the_narration_introduced_is_that_mp(quotes_of):
    article = ("Tanzania's government spokesman Juma Mrisho said on Monday that an inquiry was under way.\n\n"
               "Earlier, Malawian MP Grace Banda demanded an apology from Tanzania for the sinking of the boat. "
               "\"The boat was rammed in Malawian waters,\" she said.")
    quote = quotes_of(article)[-1]
    assert (quote.speaker.name, quote.speaker.actor) == ("Grace Banda", "Malawi")


def test_he_after_a_titled_name_the_tagger_read_as_a_body_is_that_person():
    """ "ministry spokesperson Hikmat Hajiyev stated that A. '...,' he emphasized": a title and two
    names make a person, though the tagger read the name as an organisation (set by hand here, as
    the small model tagged it on real copy)."""
    text = ("\"It's indisputable,\" Interior Minister Peter Phiri said.\n\n"
            "In response, Tanzanian foreign ministry spokesperson Neema Kisanga stated that the country rejects "
            "the accusations.\n\n\"We refute any link with the raids,\" he emphasized.")
    quotes = speakers_with_tags(text, [("Peter", " said", "PERSON"), ("Neema", " stated", "ORG")])
    assert [s.name for _, s in quotes] == ["Peter Phiri", "Neema Kisanga", "Neema Kisanga"]


def test_a_described_surname_the_tagger_read_as_a_place_is_the_person_named_in_full():
    """ "Malawian President Peter Mutharika", then "the left-wing Mutharika suggested talks": the
    tagger read the surname alone as a place (set by hand, as it tagged "the left-wing Petro" on
    real copy); a name the gazetteer knows as a place stays one."""
    from quoteframe.actors import default_gazetteer
    from quoteframe.extraction.docview import whole_person_names
    from quoteframe.extraction.lexicon import default_lexicon
    from quoteframe.nlp import load_spacy

    text = ("Malawian President Peter Mutharika met Tanzanian President Julius Lusaka in Dar.\n\n"
            "The left-wing Mutharika suggested talks. The right-wing Lusaka agreed.")
    doc = load_spacy()(text)
    doc.ents = [doc.char_span(text.index("Peter"), text.index(" met"), label="PERSON"),
                doc.char_span(text.index("Julius"), text.index(" in Dar"), label="PERSON"),
                doc.char_span(text.index("Mutharika suggested"), text.index(" suggested"), label="GPE"),
                doc.char_span(text.index("Lusaka agreed"), text.index(" agreed"), label="GPE")]
    lexicon = default_lexicon()
    whole_person_names(doc, lexicon.role_nouns, lexicon.person_roles, default_gazetteer())
    assert [(e.text, e.label_) for e in doc.ents][2:] == [("Mutharika", "PERSON"), ("Lusaka", "GPE")]


def test_she_after_a_name_with_a_countrys_role_is_that_person():
    """ "X, Tanzania's trade representative, said ...": X is a person, though the small tagger
    read the name as an organisation and the minister named before as a work of art (the tags
    set by hand here, as the tagger set them on an article of our own)."""
    text = ("\"We are extending the ban,\" Agriculture Minister Peter Phiri told a news conference.\n\n"
            "Rehema Lyimo, Tanzania's trade representative, said the ban was \"a clear violation\" of the "
            "regional trade pact.\n\nShe accused Malawian politicians of blaming Tanzanian rice for low prices.")
    quotes = speakers_with_tags(text, [("Agriculture", " told", "WORK_OF_ART"), ("Rehema", ", Tanzania's", "ORG")])
    accused = next(s for said, s in quotes if said.startswith("Malawian politicians"))
    assert (accused.name, accused.actor) == ("Rehema Lyimo", "Tanzania")


def test_a_general_the_tagger_took_for_an_organisation_is_no_party_of_their_own():
    from spacy.tokens import Span

    from quoteframe.extraction.lexicon import default_lexicon
    from quoteframe.extraction.sides import SideResolver
    from quoteframe.nlp import load_spacy

    text = ("Ecuador accused Peru on Monday of moving troops.\n\nGeneral Marcel Ekenge, spokesperson for the "
            "Peruvian army, said the troops would stay. General Electric Company said its plant was closed.")
    doc = load_spacy()(text)
    general = text.index("General Marcel")
    company = text.index("General Electric")
    doc.ents = [e for e in doc.ents if e.end_char <= general] + [  # as the small model tagged a real one
        doc.char_span(general, general + len("General Marcel Ekenge"), label="ORG"),
        doc.char_span(company, company + len("General Electric Company"), label="ORG")]
    parties = SideResolver(doc, default_gazetteer(), default_lexicon()).parties
    assert "General Marcel Ekenge" not in parties
    assert "General Electric Company" in parties  # a company named after a title is still one


def test_a_country_possessive_gives_a_person_their_side(quotes_of):
    article = ("Peru's Mining Minister Rosa Quispe said the licence stood. "
               "\"We will not back down,\" Quispe said.")
    assert side_of(quotes_of, article, "We will not back down") == "Peru"


# -- open-set parties ----------------------------------------------------------------------
def test_a_named_group_outside_the_gazetteer_is_a_side_under_its_acronym(quotes_of):
    article = ("The Coastal Fishing Workers Alliance (CFWA) said the new quotas would ruin "
               "a thousand families along the coast.")
    assert side_of(quotes_of, article, "new quotas would ruin") == "CFWA"


def test_a_country_adjective_inside_a_proper_name_does_not_make_it_the_country(quotes_of):
    article = ("The Peruvian Highland Farmers Federation said the mine had poisoned two wells.")
    assert side_of(quotes_of, article, "poisoned two wells") == "Peruvian Highland Farmers Federation"


def test_named_charities_speak_for_themselves_not_for_ngos(quotes_of):
    article = "Human Rights Watch said the detained fishermen had been denied lawyers."
    assert side_of(quotes_of, article, "denied lawyers") == "Human Rights Watch"


def test_a_capitalised_word_opening_a_quote_is_no_party(analyzer):
    article = ("LIMA (Reuters) - Peru recalled its ambassador from Quito on Monday after Ecuador expelled two "
               "Peruvian diplomats.\n\n\"Justice is not for sale, and these expulsions have nothing to do with our "
               "border talks,\" Foreign Minister Ana Rojas said.")
    analysis = analyzer.analyze(article, id="test")
    assert "Justice" not in analysis.parties  # so it is no target either: Rojas rebuts Ecuador
    assert [q.speaker.actor for q in analysis.quotes] == ["Peru"]


def test_a_state_body_is_not_an_open_set_party(quotes_of):
    article = ("LIMA (Reuters) - The dispute over the licence went to court on Monday.\n\n"
               "The Defence Ministry said troops would guard the mine.")
    assert side_of(quotes_of, article, "troops would guard") == "Peru"


# -- reciprocal accusations ---------------------------------------------------------------
def test_each_other_is_one_quote_per_party_with_the_same_span(quotes_of):
    article = ("LIMA (Reuters) - Peru and Ecuador accused each other on Sunday of diverting the "
               "river's water, as the drought worsened.")
    quotes = quotes_of(article)
    content = "diverting the river's water"
    pair = [q for q in quotes if q.text == content]
    assert sorted(q.speaker.actor for q in pair) == ["Ecuador", "Peru"], [(q.text, q.speaker) for q in quotes]
    assert len({(q.start, q.end) for q in pair}) == 1


@pytest.mark.parametrize("pair", ["The two sides", "The two neighbours", "Both governments",
                                  "The parties to the river dispute"])
def test_the_two_sides_accusing_each_other_are_the_two_parties_named_before(quotes_of, pair):
    article = ("QUITO (Reuters) - Ecuador summoned Peru's ambassador on Sunday over a dam on the "
               "shared river, and Peruvian officials said the work would go on.\n\n"
               f"{pair} accused each other of diverting the river's water.")
    quotes = quotes_of(article)
    content = "diverting the river's water"
    pair_quotes = [q for q in quotes if q.text == content]
    assert sorted((q.speaker.name, q.speaker.actor) for q in pair_quotes) == [("Ecuador", "Ecuador"), ("Peru", "Peru")], \
        [(q.text, q.speaker) for q in quotes]


def test_both_before_a_reciprocal_pair_is_no_part_of_the_first_party(quotes_of):
    article = "On Sunday both Peru and Ecuador's envoys spoke, blaming each other for the shooting."
    names = sorted(q.speaker.name for q in quotes_of(article) if q.text.endswith("the shooting"))
    assert names[0] in ("Ecuador", "Ecuador's envoys") and names[1] == "Peru", names


def test_a_body_named_with_office_speaks_for_itself_not_for_its_adjective(quotes_of):
    quote = quotes_of("In a statement issued in Lima, the Peruvian Foreign Office called for utmost restraint.")[0]
    assert (quote.speaker.name, quote.speaker.actor) == ("Peruvian Foreign Office", "Peru")


def test_the_two_sides_with_one_party_named_before_stay_one_quote(quotes_of):
    article = "Peru said on Sunday the dam was legal. The two sides accused each other of diverting the water."
    assert [q.speaker.actor for q in quotes_of(article) if "diverting" in q.text] == [None]


# -- targets -----------------------------------------------------------------------------------
def test_the_speakers_own_side_is_never_the_target():
    import torch

    from quoteframe.classifier import _best_target

    # candidates: [own side, the other party]; "no target" first. The own side scores highest.
    probs = torch.tensor([0.1, 0.6, 0.3])
    assert _best_target(probs, [True, False]) == 2
    assert _best_target(torch.tensor([0.5, 0.4, 0.1]), [True, False]) is None


def test_the_adversary_is_the_most_mentioned_other_party():
    from quoteframe.classifier import adversary_of as _adversary

    assert _adversary(["Peru", "Ecuador", "UN"], "Peru") == "Ecuador"
    assert _adversary(["Peru", "Ecuador"], "Ecuador") == "Peru"
    assert _adversary(["Peru"], None) is None


def test_training_learns_which_frames_accuse_someone():
    from training.train import _frames_taking

    rows = ([{"frame": "blame", "target": "X", "stance": "against"}] * 12
            + [{"frame": "aid", "target": "Y", "stance": "favor"}] * 12
            + [{"frame": "plain", "target": None, "stance": None}] * 12)
    assert _frames_taking(rows, "against") == ["blame"]


def test_open_set_parties_are_target_candidates():
    from quoteframe.actors import default_gazetteer
    from quoteframe.classifier.encoding import Encoder

    class _Tok:  # the encoder needs a fast tokenizer only to encode; actor_mentions needs none
        pass

    enc = Encoder.__new__(Encoder)
    enc.gazetteer = default_gazetteer()
    found = enc.actor_mentions("the Highland Farmers Federation blamed Peru",
                               {"Highland Farmers Federation": "HFF"})
    assert [a for a, *_ in found] == ["HFF", "Peru"]
    assert enc.salience("Peru and HFF; Peru again", {"HFF": "HFF"}) == ["Peru", "HFF"]


def test_the_statement_speaks_for_whoever_issued_it(quotes_of):
    article = ("The Mining Ministry said in a statement that the licence had been suspended. "
               "\"The company ignored every warning we gave it,\" the statement said.")
    quote = next(q for q in quotes_of(article) if q.text.startswith("The company"))
    assert quote.speaker.name == "Mining Ministry"


def test_each_party_of_a_reciprocal_accusation_targets_the_other(quotes_of):
    from quoteframe.analyzer import _counterparts

    article = "Peru and Ecuador accused each other on Sunday of diverting the river's water."
    quotes = quotes_of(article)
    sides = {i: q.speaker.actor for i, q in enumerate(quotes)}
    assert {sides[i]: other for i, other in _counterparts(quotes).items()} == {"Peru": "Ecuador", "Ecuador": "Peru"}


def test_a_court_appealed_to_is_not_the_accused():
    from types import SimpleNamespace

    from quoteframe.actors import default_gazetteer
    from quoteframe.classifier import Classifier

    clf = Classifier.__new__(Classifier)
    clf.encoder = SimpleNamespace(gazetteer=default_gazetteer())
    clf.adversary_stance = "against"
    record = {"adversary": "Peru", "salience": ["Peru", "ICJ", "NATO"]}
    assert clf._third_party("ICJ", record)          # "we will ask the ICJ to rule"
    assert not clf._third_party("NATO", record)     # an alliance is a party when accused
    assert not clf._third_party("Peru", record)
    assert not clf._third_party("ICJ", {"adversary": "Peru", "salience": ["ICJ", "Peru"]})


def test_arbiter_must_be_true_or_false(tmp_path):
    from quoteframe.actors import Gazetteer

    bad = tmp_path / "bad.toml"
    bad.write_text('[actors."Tribunal"]\nkind = "organisation"\narbiter = "yes"\n')
    with pytest.raises(ValueError, match="arbiter must be true or false"):
        Gazetteer.load([bad])


def test_its_spokeswoman_abroad_speaks_for_the_body_not_the_city(quotes_of):
    article = ("The Andean Water Alliance runs pumps in twelve villages. "
               "Its spokeswoman in Lima said the wells had run dry in March.")
    assert side_of(quotes_of, article, "wells had run dry") == "Andean Water Alliance"


def test_a_country_named_inside_a_quote_is_not_what_its_refers_to(quotes_of):
    article = ("The European Commission is drafting new rules on river transit. "
               "\"Peru has broken no agreement,\" its spokeswoman told reporters.")
    assert side_of(quotes_of, article, "Peru has broken") == "EU"


def test_the_short_name_of_a_known_body_keeps_its_side(quotes_of):
    article = ("The European Commission met on Monday. The Commission said the tariffs "
               "would be lifted in June.")
    assert side_of(quotes_of, article, "tariffs would be lifted") == "EU"


def test_an_attribution_after_the_marks_names_the_speaker_when_the_parse_misplaces_it(quotes_of):
    article = ("\"Kenya will not pay for a dam it never agreed to,\" Kenya's Water Minister "
               "Halima Oduya told reporters in Geneva, where the talks were held.")
    quote = next(q for q in quotes_of(article) if q.text.startswith("Kenya will not pay"))
    assert quote.speaker.name == "Halima Oduya" and quote.speaker.actor == "Kenya"


def test_a_name_only_ever_an_object_is_no_party():
    from quoteframe.extraction.lexicon import default_lexicon
    from quoteframe.extraction.sides import SideResolver
    from quoteframe.nlp import load_spacy

    doc = load_spacy()("The Andean Water Alliance said the soldiers had stayed away from the Kallpa "
                       "Huasi Foundation's shrine. Peru said the troops were told the Kallpa Huasi "
                       "Foundation site was closed.")
    parties = SideResolver(doc, default_gazetteer(), default_lexicon()).parties
    assert "Andean Water Alliance" in parties
    assert not any("Kallpa" in alias for alias in parties)


@pytest.mark.parametrize("office", ["the country's Lake Affairs Office spokeswoman Lin Pei",
                                    "the Malawi and Mozambique Affairs Office spokeswoman Lin Pei"])
def test_a_body_named_for_the_place_it_deals_with_speaks_for_whoever_runs_it(quotes_of, office):
    """ "the Taiwan Affairs Office" is China's: the place in an "Affairs" body's name is its subject."""
    article = ("Tanzania said on Monday its navy would patrol the lake.\n\n"
               f"Asked about the patrols at a briefing in Dodoma, {office} said the boats were there to protect "
               "fishermen.").replace("Lake Affairs", "Malawi Affairs")
    [_, quote] = quotes_of(article)
    assert quote.speaker.actor == "Tanzania"


def test_a_two_letter_surname_first_is_the_person_named_in_full(quotes_of):
    """ "Captain Wu Lin" then "Wu said": Chinese names put the surname first."""
    article = ("Tanzania said on Monday its navy would patrol the lake.\n\n"
               "The patrols test the navy's readiness, said Captain Wu Lin, spokesman for the Tanzanian navy.\n\n"
               "The boats will stay on the lake until March, Wu said.")
    quotes = quotes_of(article)
    assert [(q.speaker.name, q.speaker.actor) for q in quotes[1:]] == [("Wu Lin", "Tanzania")] * 2


@pytest.mark.parametrize("name, acronym", [("Lake Boundary Line", "LBL"), ("Ruhuhu River Bridge", "RRB"),
                                           ("Northern Buffer Zone", "NBZ"), ("Line of Control", "LoC")])
def test_a_named_place_given_an_acronym_is_no_party(analyzer, name, acronym):
    article = ("The situation on the Malawi-Tanzania border is calm, the Tanzanian foreign ministry said on Friday.\n\n"
               f"Spokesman Juma Mrisho said the clash took place on the Tanzanian side of the {name} ({acronym}) "
               "and the responsibility did not lie with Dodoma.\n\n"
               f"\"This happened on our side of the {acronym}, and Tanzania is not to blame,\" he said.")
    analysis = analyzer.analyze(article)
    assert acronym not in analysis.parties.values()  # so it is no one's side and no quote's target
    assert [q.speaker.actor for q in analysis.quotes] == ["Tanzania"] * 3


def test_a_party_is_named_without_its_generic_last_word_when_the_article_does(quotes_of):
    article = ("The Highland Liberation Front said its fighters had left the valley. "
               "The Highland Liberation, which formed in 1990, said the army had fired first.")
    assert side_of(quotes_of, article, "army had fired first") == "Highland Liberation"


def test_he_after_an_unnamed_official_is_that_official_not_a_name_in_the_quote(quotes_of):
    article = ("In Lima, a Foreign Ministry official said the troops had left the valley. "
               "\"The Highland Front fighters crossed first,\" the official said. "
               "\"Peru wants no war,\" he added.")
    assert side_of(quotes_of, article, "Peru wants no war") == "Peru"


def test_he_after_a_named_envoy_whose_words_were_lost_is_that_envoy_of_his_own_country(quotes_of):
    # the attribution's own words never made it into the copy; the parse sets "Tom Reyes" beside
    # "Chile", and the envoy *to* Chile speaks for the country that sent him
    article = ("Commission President Ursula Blom said the talks had stalled.\n"
               "Peru's envoy to Chile, Tom Reyes, said\n\n"
               "Chile must stop the incursions at once.\n\n"
               "He said Lima stood ready to talk about the border.")
    quotes = quotes_of(article)
    q = next(q for q in quotes if "stood ready" in q.text)
    assert q.speaker.name == "Tom Reyes"
    assert q.speaker.actor == "Peru"


def test_a_country_the_tagger_took_for_a_person_in_a_list_keeps_its_own_ministry(quotes_of):
    article = ("Burkina Faso, Mali, and Niger said on Monday they would recall their envoys from Senegal, "
               "which they blame for a raid on a border camp.\n"
               "After an inquiry, Mali \"is certain that the camp was struck on purpose by Senegalese troops,\" "
               "said Mali\u2019s Ministry of Foreign Affairs in a statement.")
    assert side_of(quotes_of, article, "struck on purpose") == "Mali"


def test_the_statement_reads_and_the_document_continues_speak_for_its_issuer(quotes_of):
    article = ("Kenya's Foreign Ministry said in a statement on Sunday that the boats had been seized in Kenyan "
               "waters.\n"
               "\"Both vessels were stopped well inside the boundary and their crews are safe,\" the statement "
               "reads.\n"
               "\"Given the gravity of this act,\" Kenya \"firmly condemns the seizure,\" the document continues.")
    quotes = quotes_of(article)
    reads = next(q for q in quotes if "Both vessels" in q.text)
    assert reads.speaker.name == "Foreign Ministry"
    assert reads.cue == "reads"
    continues = next(q for q in quotes if "firmly condemns" in q.text)
    assert continues.speaker.name == "Foreign Ministry"
    assert continues.speaker.actor == "Kenya"


def test_the_region_country_after_its_name_is_that_country(quotes_of):
    article = ("Mali accused Algeria on Sunday of shooting down a drone near the border.\n"
               "The West African country said it would recall its ambassador from Algiers for consultations.")
    assert side_of(quotes_of, article, "recall its ambassador") == "Mali"


def test_he_read_is_no_attribution(quotes_of):
    article = "At the memorial, the mayor read the names of the 31 victims aloud."
    assert quotes_of(article) == []


def test_the_minister_is_the_sentences_subject_not_a_minister_named_in_passing(quotes_of):
    article = ("Water Minister Hana Sato described the upstream works as a breach of the treaty.\n"
               "Sato spoke at a meeting with farmers' leaders in the presence of Trade Minister Ken Ito.\n"
               "During the meeting, the minister said the river had fallen to its lowest level in decades.")
    q = next(q for q in quotes_of(article) if "lowest level" in q.text)
    assert q.speaker.name == "Hana Sato"


def test_a_former_office_does_not_undo_the_side_given_before(quotes_of):
    article = ("NATO's secretary general Lena Berg accused Moscow of a reckless provocation.\n"
               "Berg, a former Norwegian defence minister, warned that the flights raised tensions in the region.")
    assert side_of(quotes_of, article, "raised tensions") == "NATO"


def test_a_former_office_alone_still_gives_the_persons_country(quotes_of):
    article = "Tom Hale, a former British ambassador to Moscow, said the flights were meant to test the alliance."
    assert side_of(quotes_of, article, "test the alliance") == "UK"


# the small model tags each of these names as an organisation, or part of one
@pytest.mark.parametrize("sentence, surname, side", [
    ("Chief of Defence General Torleif Haugvik said the exercise was planned long ago.", "Haugvik", "Norway"),
    ("Comptroller General Anselmo Pinedo Vargas told a news conference that the audit had found the firm "
     "underpaid the state.", "Vargas", "Norway"),
    # described as a person (", head of ..."): the dateline's country, as for a name the tagger
    # took for a person's
    ("Marian Cichon, head of a farming district near Jaroslaw, said several growers had sold their tractors.",
     "Cichon", "Norway"),
])
def test_a_titled_person_the_tagger_took_for_an_organisation_is_no_party(quotes_of, sentence, surname, side):
    article = "OSLO (Reuters) - Norway and Russia traded accusations over the exercise on Monday.\n" + sentence
    q = next(q for q in quotes_of(article) if surname in (q.speaker.name or ""))
    assert q.speaker.actor == side  # never a party named after the person


def test_a_newly_named_minister_after_an_in_moscow_paragraph_takes_the_dateline(quotes_of):
    article = ("TROMSO, Norway (Reuters) - Norway's coast guard said on Monday it had detained a Russian trawler.\n\n"
               "In Moscow, Foreign Ministry spokeswoman Irina Belova said the detention was a provocation.\n\n"
               "Foreign Minister Tor Lien said Oslo had asked Moscow for information about the trawler's catch.")
    assert side_of(quotes_of, article, "the detention was a provocation") == "Russia"
    assert side_of(quotes_of, article, "asked Moscow for information") == "Norway"


def test_the_ministry_after_an_in_moscow_paragraph_is_still_that_ministry(quotes_of):
    article = ("TROMSO, Norway (Reuters) - Norway's coast guard said on Monday it had detained a Russian trawler.\n\n"
               "In Moscow, the Foreign Ministry said the detention was a provocation. The foreign ministry "
               "added that Russia would respond.")
    assert side_of(quotes_of, article, "Russia would respond") == "Russia"


def test_at_the_united_nations_places_the_speaker_at_the_un(quotes_of):
    article = ("AMMAN, Jordan (AP) - Israeli and Syrian officials held talks in Amman on Tuesday.\n"
               "At the United Nations, a spokesman said the world body stood ready to help monitor any deal.")
    assert side_of(quotes_of, article, "stood ready to help") == "UN"


def test_a_country_a_persons_town_borders_is_not_their_side(quotes_of):
    article = ("OSLO (Reuters) - Some 15,000 troops began winter drills in Norway's far north on Monday.\n\n"
               "\"People here feel the border is at their door,\" said Trond Halvorsen, mayor of Sor-Varanger, "
               "the municipality around the town of Kirkenes that borders Russia.")
    assert side_of(quotes_of, article, "border is at their door") == "Norway"


def test_a_spokesman_for_the_agency_speaks_for_the_body_named_before(quotes_of):
    article = ("KRIVA PALANKA, North Macedonia (Reuters) - North Macedonia accused Bulgarian border police on "
               "Sunday of holding a bus of its citizens for hours at a crossing.\n\n"
               "Bulgaria's Border Police said in a statement that the delay was due to routine checks.\n\n"
               "A spokesman for the agency, Ivo Petrov, said all passengers had crossed by dawn.")
    assert side_of(quotes_of, article, "crossed by dawn") == "Bulgaria"


def test_a_ministry_of_something_is_a_state_body_not_a_party(quotes_of):
    article = ("QUITO (Reuters) - Ecuador's fishing fleet stayed in port on Monday.\n\n"
               "The Ministry of Ports said the trawlers had been fishing without licences.")
    assert side_of(quotes_of, article, "fishing without licences") == "Ecuador"


def test_actors_no_label_names_as_a_target_are_no_negative_examples_in_training():
    from training.train import _unlabelled

    gaz = default_gazetteer()
    rows = [{"text": "x", "frame": "blame", "target": "fishermen", "stance": "against"},
            {"text": "y", "frame": "blame", "target": "Peru", "stance": "against"}]
    skipped = _unlabelled(gaz, rows)
    assert "villagers" in skipped and "Human Rights Watch" in skipped
    assert "fishermen" not in skipped          # a label names it: a real negative elsewhere
    assert "Peru" not in skipped               # countries were always labelled


def test_she_after_a_spokeswoman_named_by_her_ministry(quotes_of):
    article = ("Ecuador's Water Minister Jorge Pallares said the dam was safe. "
               "In Lima, a Foreign Ministry spokeswoman said the river had fallen by a third. "
               "\"Quito is hiding the figures from its own farmers,\" she told reporters.")
    assert side_of(quotes_of, article, "hiding the figures") == "Peru"


def test_a_surname_alone_is_the_person_introduced_first(quotes_of):
    article = ("Prime Minister Arjun Mehra opened the new dam on Monday. His wife, Kavita Mehra, "
               "cut the ribbon. Mehra said the dam would water a million farms.")
    quote = next(q for q in quotes_of(article) if "million farms" in q.text)
    assert quote.speaker.name == "Arjun Mehra"


def test_a_title_the_parse_leaves_out_of_the_mention_still_gives_the_side(quotes_of):
    # the parser hangs "Kenyan Prime Minister" on "On Friday" and leaves the name alone as subject
    article = ("On Friday Kenyan PM Wanjiru Kamau said no fishing boats had been seized. "
               "Kamau vowed that the navy would escort the fleet.")
    assert side_of(quotes_of, article, "no fishing boats") == "Kenya"
    assert side_of(quotes_of, article, "escort the fleet") == "Kenya"


def test_without_a_dateline_an_unnamed_spokesman_speaks_for_the_country_the_story_is_about(quotes_of):
    article = ("Peru has accused Ecuadorean troops of a deliberate provocation at the border.\n\n"
               "Foreign ministry spokesman Luis Tello said the troops had crossed the river twice.")
    assert side_of(quotes_of, article, "crossed the river twice") == "Peru"


# -- speakers on wire copy the parser reads badly ------------------------------------------------
def test_it_said_is_the_body_named_before(quotes_of):
    article = ("Peru's coast guard stopped two trawlers on Sunday. "
               "It said the crews had been fishing without permits.")
    quote = next(q for q in quotes_of(article) if "without permits" in q.text)
    assert quote.speaker.actor == "Peru"


def test_it_is_said_that_names_no_speaker(quotes_of):
    article = "It is said that the river will run dry by August."
    assert all(q.speaker.name != "it" for q in quotes_of(article))


def test_according_to_a_rule_is_no_attribution(quotes_of):
    article = "The coast guard stopped the trawler and handled the incident according to law."
    assert all(q.speaker.name != "law" for q in quotes_of(article))


@pytest.mark.parametrize("speaker, side", [("Officials in Lima", "Peru"), ("Two diplomats in Quito", "Ecuador")])
def test_officials_placed_in_a_capital_are_named_as_written(quotes_of, speaker, side):
    quote = next(q for q in quotes_of(f"{speaker} said the river talks had stalled."))
    assert (quote.speaker.name, quote.speaker.actor) == (speaker, side)


@pytest.mark.parametrize("body", ["Doctors Without Borders", "Save the Children"])
def test_a_charity_whose_name_the_parse_cuts_is_named_in_full(quotes_of, body):
    quote = next(q for q in quotes_of(f"{body} said the camps near the river were full."))
    assert (quote.speaker.name, quote.speaker.actor) == (body, body)


@pytest.mark.parametrize("article, speaker", [
    ("NATO scrambled jets over the sea on Monday. The alliance said two fighters had met the aircraft.", "NATO"),
    ("Condor Lines, a small ferry operator, halted crossings on Monday. The company said its crews "
     "had been threatened.", "Condor Lines"),
    ("The U.N. Stabilization Force in the Delta said gunmen burned two villages on Sunday.\n\n"
     "\"Our troops escorted 300 families to safety,\" the mission said in a statement.",
     "U.N. Stabilization Force"),
], ids=["alliance", "company", "mission"])
def test_the_alliance_or_the_company_is_the_body_the_story_just_made_its_subject(quotes_of, article, speaker):
    quote = quotes_of(article)[-1]
    assert quote.speaker.name == speaker, quote


def test_the_alliance_with_no_body_named_before_is_left_unresolved(quotes_of):
    quote = quotes_of("Peru said it had sent ships. The alliance said it was watching the coast.")[-1]
    assert quote.speaker.actor is None


def test_according_to_a_statement_is_whoever_released_it(quotes_of):
    article = ("Ecuador, however, has released a statement on the river talks. "
               "According to the statement, Ecuador remains committed to the 1998 treaty.")
    quote = next(q for q in quotes_of(article) if "remains committed" in q.text)
    assert (quote.speaker.name, quote.speaker.actor) == ("Ecuador", "Ecuador")


def test_a_dateline_dash_without_a_space_is_no_part_of_the_speaker(quotes_of):
    article = ("LIMA (Reuters) -President Rosa Quispe said on Monday Peru would not send troops "
               "to the border.")
    quote = next(q for q in quotes_of(article) if "not send troops" in q.text)
    assert quote.speaker.name == "Rosa Quispe" and quote.speaker.actor == "Peru"


def test_a_rebuttal_answers_the_accuser_named_in_its_cue_or_else_the_adversary():
    from quoteframe.analyzer import _counterparts
    from quoteframe.extraction.lexicon import default_lexicon
    from quoteframe.schema import Quote, Speaker

    def quote(cue, side):
        return Quote("the dam was never filled", 0, 24, "indirect", cue, Speaker("Ministry", actor=side))

    gaz, lex = default_gazetteer(), default_lexicon()
    quotes = [quote("rejected Ecuador's claim", "Peru"), quote("dismissed the allegation", "Peru"),
              quote("said", "Peru")]
    assert _counterparts(quotes, lex, gaz, {}) == {0: "Ecuador", 1: ""}


# -- gazetteer facts that wire copy relies on ------------------------------------------
@pytest.mark.parametrize("phrase, actor", [
    ("Kyrgyz border guards", "Kyrgyzstan"),
    ("a Tajik official", "Tajikistan"),
    ("Nepali police", "Nepal"),
    ("the Saudi foreign minister", "Saudi Arabia"),
    ("an Ecuadorian diplomat", "Ecuador"),
])
def test_demonyms_the_country_library_spells_otherwise(phrase, actor):
    assert default_gazetteer().actor(phrase) == actor


# -- where an official spoke ------------------------------------------------------------
def test_an_official_who_spoke_in_a_capital_speaks_for_its_country(quotes_of):
    article = ("LIMA (Reuters) - Peru and Ecuador traded charges over the dam on Monday.\n\n"
               "Foreign Ministry spokeswoman Rosa Quintana said in Quito that the dam had cut the river's flow.")
    assert side_of(quotes_of, article, "dam had cut") == "Ecuador"


def test_told_reporters_in_a_capital(quotes_of):
    article = ("ACCRA (Reuters) - The dispute over the fishing ground flared again on Monday.\n\n"
               "Government spokesman Kofi Mensah said the trawlers had entered Ghanaian waters.\n\n"
               "Interior Minister Yawo Agbeko told reporters in Lome that the patrols had stayed in Togolese waters.")
    assert side_of(quotes_of, article, "patrols had stayed") == "Togo"


@pytest.mark.parametrize("article, side", [
    ("An adviser to Malawi's president said the patrols would stop.", "Malawi"),
    ("A senior aide to Tanzanian President Amani Kombo said the patrols would stop.", "Tanzania"),
])
def test_an_aide_speaks_for_the_leader_they_serve(quotes_of, article, side):
    assert side_of(quotes_of, article, "patrols would stop") == side


@pytest.mark.parametrize("place", ["New York", "Geneva"])
def test_told_reporters_where_international_bodies_sit_names_no_side(quotes_of, place):
    # a UN spokesman in New York, an agency's in Geneva: the city seats the body, not the speaker's state
    article = ("The United Nations urged Malawi and Tanzania on Monday to settle their row over the lake.\n\n"
               f"Spokesman Stefan Dujardin told reporters in {place} that no observers were on the lake.")
    assert side_of(quotes_of, article, "no observers were on the lake") in (None, "UN")


def test_a_one_word_first_surname_is_the_person_named_in_full(quotes_of):
    article = ("QUITO (Reuters) - Peru's Foreign Minister Lucia Paredes Ortiz said on Monday the dam was lawful.\n\n"
               "Paredes said Peru would take the case to the regional court.")
    assert side_of(quotes_of, article, "take the case") == "Peru"


# -- state agencies are their state's, not parties of their own ---------------------------
def test_an_agency_named_once_as_a_countrys_keeps_that_country(quotes_of):
    article = ("MOSCOW (AFP) - Armenia's plant watchdog Agrocontrol said on Tuesday it had halted imports of "
               "Georgian apricots.\n\nAn Agrocontrol spokeswoman, Nune Avetisyan, said tests had found pests "
               "in nine batches.")
    assert side_of(quotes_of, article, "tests had found pests") == "Armenia"


@pytest.mark.parametrize("body, country", [
    ("The Kenya Revenue Authority", "Kenya"),
    ("The Ghana Border Services Agency", "Ghana"),
])
def test_an_agency_with_its_country_in_its_name(quotes_of, body, country):
    article = (f"NAIROBI (Reuters) - Trucks queued at the border on Monday.\n\n"
               f"{body} said no trucks had been held up at the main crossings.")
    assert side_of(quotes_of, article, "no trucks had been held up") == country


# -- local and elected office --------------------------------------------------------------
@pytest.mark.parametrize("title", ["Mayor", "District governor", "Opposition lawmaker", "Prefect"])
def test_a_local_official_speaks_for_the_dateline_country(quotes_of, title):
    article = ("MOMBASA, Kenya (AP) — Fishing crews stayed in port on Monday.\n\n"
               f"{title} Amina Chebet said the ban had cost the town its busiest week.")
    assert side_of(quotes_of, article, "cost the town") == "Kenya"


def test_a_province_is_not_the_country_of_the_demonym_in_its_name(quotes_of):
    article = ("Lumber duties hit mill towns\n\n"
               "In the northern British Columbia town of Fort Rae, where two mills have shut, "
               "Mayor Joan Tremblay said families were leaving.")
    assert side_of(quotes_of, article, "families were leaving") == "Canada"


def test_a_body_described_right_after_the_dateline(quotes_of):
    article = ("MOSCOW (AFP) - Russia's plant watchdog Agronadzor said on Tuesday it had halted imports of "
               "Moldovan wine.\n\nAn Agronadzor spokeswoman said tests had found residues in nine batches.")
    assert side_of(quotes_of, article, "found residues") == "Russia"


# -- private people ---------------------------------------------------------------------
def test_a_private_person_speaks_for_the_dateline_country(quotes_of):
    article = ("ACCRA (Reuters) - Fishing crews stayed in port on Monday.\n\n"
               "\"We have not been to sea for a week,\" said Kwame Boateng, a retired teacher.")
    assert side_of(quotes_of, article, "not been to sea") == "Ghana"


def test_a_person_described_as_part_of_a_group_speaks_for_it(quotes_of):
    article = ("ACCRA (Reuters) - Fishing crews stayed in port on Monday.\n\n"
               "\"The patrols took our nets,\" said Kwame Boateng, who heads the port's fishermen's union.")
    assert side_of(quotes_of, article, "took our nets") == "fishermen"


def test_a_party_named_with_a_group_word_is_not_that_group(quotes_of):
    article = ("ANKARA (Reuters) - Air strikes hit the mountains overnight.\n\n"
               "The Highland Farmers' Party (HFP) said the strikes had destroyed three villages.\n\n"
               "The HFP accused the army of targeting civilians.")
    assert side_of(quotes_of, article, "targeting civilians") == "HFP"


def test_he_is_the_person_the_narration_last_made_its_subject(quotes_of):
    article = ("LIMA (Reuters) - Peru's Foreign Minister Rosa Quintana said on Monday the dam was lawful.\n\n"
               "Ecuador's Energy Minister Pablo Andrade was unmoved. \"The river is ours too,\" he told reporters.")
    found = [q for q in quotes_of(article) if "river is ours" in q.text]
    assert [q.speaker.name for q in found] == ["Pablo Andrade"]
    assert found[0].speaker.actor == "Ecuador"


@pytest.mark.parametrize("phrase, actor", [
    ("Transnistria's chief negotiator", "Transnistria"),
    ("Abkhaz officials", "Abkhazia"),
    ("the Kurdish-led Syrian Democratic Forces", "SDF"),
    ("an LNA spokesman", "LNA"),
])
def test_breakaway_authorities_and_non_state_forces_are_parties_of_their_own(phrase, actor):
    assert default_gazetteer().actor(phrase) == actor


def test_a_person_described_by_a_countrys_office(quotes_of):
    article = ("GENEVA (AFP) - Talks on the river border ended without a deal on Wednesday.\n\n"
               "Pablo Andrade, who represented Ecuador at the talks, said the survey maps were out of date.")
    assert side_of(quotes_of, article, "survey maps") == "Ecuador"


def test_a_hyphenated_surname_is_the_whole_name(quotes_of):
    article = ("KUWAIT CITY (AP) — Kuwait's Foreign Minister Nasser al-Sabah said on Monday the channel was open.\n\n"
               "\"We can agree on a code of conduct by the spring,\" al-Sabah said.")
    found = [q for q in quotes_of(article) if "code of conduct" in q.text]
    assert [(q.speaker.name, q.speaker.actor) for q in found] == [("Nasser al-Sabah", "Kuwait")]


def test_a_company_named_after_its_description_is_a_party_of_its_own(quotes_of):
    article = ("TALLINN (Reuters) - Ships were told to avoid the harbour on Monday.\n\n"
               "The ferry operator, Baltic Ferries, said it would suspend sailings to Tartu for a month.")
    assert side_of(quotes_of, article, "suspend sailings") == "Baltic Ferries"


def test_its_minister_is_of_the_country_whose_government_was_the_subject(quotes_of):
    article = ("Peru accused Ecuador on Monday of diverting the river.\n\n"
               "Ecuador's government, which runs the dam, rejected the charge. Its energy minister, "
               "Pablo Andrade, said the river's flow had not changed.")
    assert side_of(quotes_of, article, "flow had not changed") == "Ecuador"


@pytest.mark.parametrize("phrase, actor", [
    ("Kenya's refugee affairs commissioner", "Kenya"),
    ("Chad's Refugees and Returnees Agency", "Chad"),
    ("Sudanese refugees", "migrants"),
])
def test_a_group_word_that_only_qualifies_a_noun_makes_no_member(phrase, actor):
    assert default_gazetteer().actor(phrase) == actor


def test_a_witness_named_by_a_group_that_is_no_party_speaks_for_their_country(quotes_of):
    article = ("Dam row deepens\n\nLIMA (Reuters) - Peru accused Ecuador on Monday of cutting the river's flow.\n\n"
               "\"The canal has been dry for a month,\" said Jorge Huaman, a rice farmer near the border.")
    assert side_of(quotes_of, article, "canal has been dry") == "Peru"


def test_a_group_the_lede_makes_a_party_keeps_its_members(quotes_of):
    article = ("LIMA (Reuters) - Ecuador seized four Peruvian farmers near the border on Monday.\n\n"
               "\"My husband was mending a fence,\" said Rosa Huaman, a farmer from the village.")
    assert side_of(quotes_of, article, "mending a fence") == "farmers"


def test_his_ministry_is_the_ministers(quotes_of):
    article = ("QUITO (Reuters) - Peru's Energy Minister Jorge Huaman said on Monday that the dam had cut the flow.\n\n"
               "His ministry said the flow recorded at the border had fallen by half.")
    assert side_of(quotes_of, article, "fallen by half") == "Peru"


def test_an_unnamed_bloc_body_is_the_bloc_named_before(quotes_of):
    article = ("LUXEMBOURG (AFP) - The European Commission said on Thursday it would withhold the funds.\n\n"
               "Commission spokesman Piet Janssen said the ruling was binding on every member state.")
    assert side_of(quotes_of, article, "ruling was binding") == "EU"


def test_a_name_the_parser_missed_is_described_by_its_clause(quotes_of):
    article = ("GENEVA (AFP) - Talks on the river border ended without a deal on Wednesday.\n\n"
               "Sherzod Nurmatov, who heads Uzbekistan's border commission, said the maps were out of date.")
    assert side_of(quotes_of, article, "maps were out of date") == "Uzbekistan"


def test_a_body_backed_by_another_is_not_its_member(quotes_of):
    article = ("TRIPOLI (Reuters) - Oil exports stopped on Monday.\n\n"
               "The eastern Council of National Salvation (CNS), which is backed by the Southern Army (SA), "
               "said the terminals would stay shut.")
    assert side_of(quotes_of, article, "terminals would stay shut") != "SA"


def test_a_town_placed_by_its_appositive(quotes_of):
    article = ("LIMA (Reuters) - Fishing crews stayed in port on Monday.\n\n"
               "In Salinas, a fishing town west of Quito, Marta Guaman said her son had not come home.")
    assert side_of(quotes_of, article, "not come home") == "Ecuador"


def test_a_persons_aide_speaks_for_the_persons_side(quotes_of):
    article = ("QUITO (Reuters) - Peru's President Lucia Paredes said on Monday the dam was lawful.\n\n"
               "Paredes's Security Council secretary, Jorge Huaman, said the river's flow had not changed.")
    assert side_of(quotes_of, article, "flow had not changed") == "Peru"


def test_an_unnamed_body_refers_back_by_its_qualifying_word(quotes_of):
    article = ("LIMA (Reuters) - Peru said on Monday the dam was lawful.\n\n"
               "Ecuador's Energy Ministry spokeswoman Rosa Quintana said the flow had fallen by half.\n\n"
               "Foreign Ministry spokesman Jorge Huaman said the survey would go ahead.")
    assert side_of(quotes_of, article, "survey would go ahead") == "Peru"


def test_the_blocs_foreign_policy_chief_speaks_for_the_eu_by_title(quotes_of):
    article = ("Anna Lindqvist, High Representative of the Union for Foreign Affairs, issued a statement on "
               "Monday.\n\n\"The clashes on the border must stop,\" Lindqvist said in the statement.")
    assert side_of(quotes_of, article, "The clashes on the border must stop,") == "EU"


def test_a_named_holder_without_a_role_right_after_a_named_speaker_gets_no_side_from_them(quotes_of):
    """Only a speaker named by a role alone hands its side to the next bare name."""
    article = ("Chile's foreign minister Ana Lagos said the fishing talks with Peru would resume next week.\n\n"
               "\"Both fleets need rules they can trust,\" Tomas Herrera said on Friday.")
    assert side_of(quotes_of, article, "Both fleets need rules") != "Chile"


def test_a_council_joined_to_a_longer_name_is_not_the_security_council(quotes_of):
    """The African Union's "Peace and Security Council" is not the UN's Security Council, and
    "the Council" after it is the African Union's."""
    article = ("Peru and Bolivia traded accusations over the lake on Monday.\n\n"
               "The African Union's Peace and Security Council on Wednesday called for restraint.\n\n"
               "The Council expressed its deep concern over the risk of escalation.")
    assert side_of(quotes_of, article, "its deep concern") == "African Union"


def test_a_titled_name_the_model_left_untagged_keeps_its_side_for_later(quotes_of):
    """ "According to LAU Deputy Spokesperson Bilal Hakimi" gives Hakimi the LAU's side for
    "Hakimi said" later, though the small model tags only the later, bare name."""
    article = ("The Lake Authority of Uganda (LAU) confirmed on Wednesday that its boats had clashed with "
               "Kenyan patrols.\n\nAccording to LAU Deputy Spokesperson Bilal Hakimi, the boats were in Ugandan "
               "waters.\n\nHakimi said the patrols had fired first.")
    assert side_of(quotes_of, article, "the patrols had fired first") == side_of(
        quotes_of, article, "the boats were in Ugandan waters")
    assert side_of(quotes_of, article, "the patrols had fired first") is not None


def test_a_titled_surname_the_model_took_for_a_place_keeps_the_delegations_side(quotes_of):
    """ "The Ecuadorean delegation, led by Deputy Foreign Minister Paula Andrea Salcedo": the small
    model tags "Salcedo" as a place and "Paula Andrea" as a person of their own; the name is one
    person, who speaks for Ecuador when "Salcedo told local radio" later."""
    article = ("QUITO, May 4 (Reuters) - Talks on the river border broke down on Tuesday.\n\n"
               "The Ecuadorean delegation, led by Deputy Foreign Minister Paula Andrea Salcedo, said in a "
               "statement that Quito remained ready to talk but would not accept the new maps.\n\n"
               "Salcedo told local radio that there was no point in more meetings \"if every month new markers "
               "appear on our bank of the river.\"\n\n"
               "A Peruvian team said the markers were survey points.")
    assert side_of(quotes_of, article, "no point in more meetings") == "Ecuador"
    assert side_of(quotes_of, article, "survey points") == "Peru"


def test_the_town_a_trader_is_from_outweighs_the_country_the_paragraph_before_names(quotes_of):
    """ "said Mary Tembo, a trader from Chipata": the small model tags the Zambian town as a
    person; the description still places her, though the paragraph before is set in Malawi."""
    article = ("LUSAKA (Reuters) - Zambia's government on Tuesday accused Malawi of trying to starve its border "
               "towns, as lorries loaded with maize remained stuck at the Malawian border for a third week.\n\n"
               "At the Mchinji crossing in western Malawi, a customs officer who asked not to be named said about "
               "400 trucks were parked along the road.\n\n"
               "\u201cMy onions are rotting in the truck and nobody can tell us when we will be allowed through,\u201d "
               "said Mary Tembo, a trader from Chipata who has been waiting at the border for 19 days.")
    assert side_of(quotes_of, article, "My onions are rotting") == "Zambia"


def test_the_country_and_role_a_paragraph_gives_an_unnamed_leader(quotes_of):
    """ "The Bolivian leader also questioned ... '…,' said Mendoza": the description names the
    side of the one person in its paragraph whose side the article gives nowhere, and a place
    inside a quote ('"In other words, Chile ..."') places no one."""
    article = ("President Rafael Mendoza sent a message to the Chilean government on Monday, telling it not to "
               "interfere in the river dispute.\n\n"
               "The Bolivian leader also questioned Chilean President Ana Lagos's claim that troops had been "
               "moved to the border. \"In other words, Chile, once again, provokes our country,\" said Mendoza.")
    assert side_of(quotes_of, article, "provokes our country") == "Bolivia"
    assert side_of(quotes_of, article, "not to interfere") == "Bolivia"


def test_a_country_in_a_persons_name_is_no_side(quotes_of):
    """ "Lucia Monaco, a White House adviser" speaks for the United States, not Monaco."""
    article = ("WASHINGTON (Reuters) - The White House weighed new sanctions on Thursday.\n\n"
               "\"Is it in our interest to act?\" Lucia Monaco, a White House adviser on trade, said at a summit.")
    assert side_of(quotes_of, article, "Is it in our interest") == "USA"


def test_the_bloc_is_the_bloc_the_story_is_about(quotes_of, analyzer):
    """In a story about SADC that never names the EU, "the bloc" is SADC, as a speaker and as a
    target candidate; where the story names the EU too, "the bloc" stays the EU's."""
    article = ("Zimbabwe and SADC traded barbs on Monday over the mission's report.\n\n"
               "\"These findings were written before a single vote was counted,\" Zimbabwe's information "
               "minister said, adding that the bloc had become \"a tool of outsiders.\"\n\n"
               "The bloc said its observers \"stand by every word of the report.\"")
    assert side_of(quotes_of, article, "stand by every word") == "SADC"
    analysis, text = next(analyzer.extract_many([("a", article)]))
    assert analysis.parties.get("the bloc") == "SADC"
    with_eu = article.replace("Monday over", "Monday, and the European Union weighed in, over")
    assert side_of(quotes_of, with_eu, "stand by every word") == "EU"


def test_the_first_person_named_after_a_role_and_its_country_holds_it(quotes_of):
    """ "... drew criticism from the Peruvian foreign minister." then "Israel Morales accused ...": the
    minister is Morales, whose name (a country's) gives no side."""
    article = ("Chile has halted all fish imports from Peru, drawing sharp criticism from the Peruvian foreign "
               "minister.\n\nIsrael Morales accused the Chilean government of \"breaking every trade agreement "
               "we have\".")
    assert side_of(quotes_of, article, "breaking every trade agreement") == "Peru"


def test_a_un_mission_speaks_for_the_un(quotes_of):
    """ "UNIFIL said", "MONUSCO said": LABELS.md's UN agencies include its missions."""
    article = ("Shells fell near the Blue Line on Sunday.\n\nUNIFIL said tank rounds had hit five metres from "
               "its patrol.\n\nIn Goma, MONUSCO said its convoy had come under fire.")
    assert side_of(quotes_of, article, "tank rounds") == "UN"
    assert side_of(quotes_of, article, "its convoy") == "UN"


def test_a_middle_name_alone_is_the_titled_person_a_dateline_placed(quotes_of):
    """ "LIBREVILLE (Reuters) - ... Foreign Minister Hervé Moussavou Ndinga told reporters" and
    later "Moussavou said": one person, with the dateline's side, though the small model tags
    no person here."""
    article = ("LIBREVILLE (Reuters) - A navy patrol seized a fishing boat on Tuesday.\n\n"
               "\"Arresting fishermen is not how neighbours behave,\" Foreign Minister Hervé Moussavou Ndinga "
               "told reporters.\n\nMoussavou said the ministry had summoned the ambassador.")
    assert side_of(quotes_of, article, "summoned the ambassador") == "Gabon"


def test_a_name_made_only_of_one_sides_names_is_no_party_of_its_own(analyzer):
    """ "the Afghan Taliban" is Afghanistan, not an open-set party "Afghan Taliban"."""
    article = ("Pakistan struck hideouts on Monday.\n\nThe Afghan Taliban said the strikes had killed civilians. "
               "The Afghan Taliban also said they would respond.")
    analysis, _ = next(analyzer.extract_many([("a", article)]))
    assert "Afghan Taliban" not in analysis.parties
    assert {q.speaker.actor for q in analysis.quotes} == {"Afghanistan"}


@pytest.mark.parametrize("description", [
    ", who has fished these creeks for 20 years",
    ", a 46-year-old fisherman",
    ", whose younger brother is among the nine",
    ", the fishermen's union's deputy chairman",
])
def test_a_name_described_as_a_persons_is_no_party(analyzer, description):
    """A name the small model may take for an organisation is a person's when the words after it
    say so (", who ...", an age, a person's role, kin), and so is its surname later."""
    article = ("Gendarmes seized six canoes near Idabato on Monday.\n\n\"My nets, my engine, everything is gone,\" "
               f"said Okon Asuquo{description}.\n\nAsuquo said the gendarmes had beaten two men.")
    analysis, _ = next(analyzer.extract_many([("a", article)]))
    assert not {"Okon Asuquo", "Asuquo"} & set(analysis.parties.values())
    assert not {"Okon Asuquo", "Asuquo"} & {q.speaker.actor for q in analysis.quotes}


def test_a_group_named_by_a_demonym_is_no_country_subject(quotes_of):
    """ "Afghan refugees in Tajikistan must leave ..., the Interior Ministry said": the refugees,
    not Afghanistan, are the subject, so the ministry is not Afghanistan's."""
    article = ("Afghan refugees in Tajikistan whose papers have expired must leave the country within 15 days, "
               "the Interior Ministry said on Monday.")
    assert side_of(quotes_of, article, "must leave the country") != "Afghanistan"


def test_a_person_an_appositive_names_after_a_role_keeps_the_roles_side(quotes_of):
    """ "Gabon's Minister of Petroleum, Sylvie Mboumba Nziengui, said" names the speaker by the
    appositive, and "Mboumba said" later is her, with Gabon's side."""
    article = ("Gabon's Minister of Petroleum, Sylvie Mboumba Nziengui, said the blocks overlapped acreage "
               "Gabon had licensed to foreign companies.\n\nMboumba said Gabon would ask the court to rule.")
    quotes = quotes_of(article)
    first = next(q for q in quotes if "overlapped" in q.text)
    assert first.speaker.name == "Sylvie Mboumba Nziengui", first.speaker
    assert side_of(quotes_of, article, "ask the court") == "Gabon"


# -- a bloc's seat as the dateline -----------------------------------------------------------
_SEAT = ("UNITED NATIONS (AP) — Chile renewed its call on Tuesday for Peru to return to talks over the "
         "fishing zone, telling a U.N. committee that it was ready to compromise.\n\n")


def test_a_minister_at_a_blocs_seat_speaks_for_their_country(quotes_of):
    """At "UNITED NATIONS (AP) -" the ministers of many states speak: "Foreign Minister X told the
    committee" is Chile's (the story's subject), not the UN's."""
    article = _SEAT + ("Foreign Minister Ramona Icaza told the committee on ocean affairs that Chile wanted "
                       "a joint survey of the anchovy stocks.")
    assert side_of(quotes_of, article, "joint survey") == "Chile"


def test_a_private_person_at_a_blocs_seat_is_not_the_blocs(quotes_of):
    article = _SEAT + ("Tomas Urrutia, a fisherman from the port of Arica, said the boats had stayed in "
                       "harbour for a month.")
    assert side_of(quotes_of, article, "stayed in harbour") != "UN"


def test_the_blocs_own_official_at_its_seat_speaks_for_the_bloc(quotes_of):
    article = ("BRUSSELS (Reuters) - The European Commission kept funds for Slovakia frozen on Monday.\n\n"
               "Budget Commissioner Ilse Moravec said the review would be repeated in the autumn.")
    assert side_of(quotes_of, article, "review would be repeated") == "EU"


def test_the_story_subject_is_the_main_clause_subject(quotes_of):
    """ "Chile renewed its call for Peru to return to talks": Chile, not Peru (the subject of
    the clause inside), is whom an unplaced minister speaks for."""
    article = ("Chile renewed its call on Tuesday for Peru to return to talks over the fishing zone.\n\n"
               "Foreign Minister Ramona Icaza told reporters that the navy would keep its patrols "
               "outside the disputed waters.")
    assert side_of(quotes_of, article, "keep its patrols") == "Chile"


# -- what the tagger gets wrong ----------------------------------------------------------
def test_a_blocs_acronym_before_a_title_gives_the_side(quotes_of):
    """The small model tags "ECOWAS" in '"...," ECOWAS Commission President X said in Abuja'
    as a verb: the title is still the bloc's, not the city's country."""
    article = ("ABUJA (Reuters) - Mali confirmed on Monday that it would leave the regional bloc.\n\n"
               "\u201cWe regret that our neighbours chose to leave rather than negotiate a timetable,\u201d "
               "ECOWAS Commission President Kwame Boateng Asare said in Abuja.")
    assert side_of(quotes_of, article, "chose to leave") == "ECOWAS"


@pytest.mark.parametrize("description", ["a mother of three in Tarrafal", "a grain trader in Mindelo"])
def test_a_person_described_as_one_is_no_party_of_their_own(quotes_of, description):
    """A name the tagger took for an organisation's, described as a person's (kin, or one of a
    group the gazetteer knows: "traders"), speaks for their country, never for a party named
    after them."""
    article = ("PRAIA (Reuters) - Cape Verde closed its ports to foreign trawlers on Monday.\n\n"
               f"\u201cMy children have not eaten fish for a week,\u201d said Lidia Varela, {description}.")
    assert side_of(quotes_of, article, "not eaten fish") == "Cape Verde"


def test_the_surname_the_tagged_names_lead_to_is_part_of_the_name(quotes_of):
    """ "General Moussa Amadou Djibo said", tagged "Moussa Amadou": "Djibo said" later is the
    same person, with Niger's side, not a party called "Djibo"."""
    article = ("ABUJA (Reuters) - Nigeria said on Monday that the border with Niger would stay shut.\n\n"
               "On Wednesday, Niger's Interior Minister General Moussa Amadou Djibo said on state television "
               "that foreign soldiers were training fighters across the border.\n\n"
               "\u201cOur neighbours would do well to ask who benefits from a weaker Niger,\u201d Djibo said.")
    assert {q.speaker.name for q in quotes_of(article)} >= {"Moussa Amadou Djibo"}
    assert side_of(quotes_of, article, "who benefits") == "Niger"


def test_a_named_ministry_is_a_state_body(quotes_of):
    """ "In Madrid, the Agriculture and Fisheries Ministry said": only states have ministries,
    so it is Spain's (the place phrase), not a party of its own."""
    article = ("STANLEY, Falkland Islands (Reuters) - A patrol vessel detained a Spanish trawler on Monday.\n\n"
               "In Madrid, the Agriculture and Fisheries Ministry said it had asked for a full account of "
               "the incident.")
    assert side_of(quotes_of, article, "full account") == "Spain"


def test_the_noun_a_body_was_named_with_speaks_for_it(quotes_of):
    """ "the monitors said" after "OSCE monitors": the monitors are the OSCE's."""
    article = ("The Organization for Security and Co-operation in Europe said on Monday that shells had "
               "landed near its observers.\n\n"
               "\u201cThis morning, artillery fire hit the road used by OSCE monitors near the village,\u201d "
               "the monitors said in a statement.")
    assert side_of(quotes_of, article, "artillery fire hit") == "OSCE"


@pytest.mark.parametrize("opening, side", [
    ("Beijing was unmoved.", "China"),  # the reply of the side the short sentence names
    ("China sent two more ships.", "Vietnam"),  # what the other side did: the dateline's official replies
])
def test_a_short_sentence_opening_the_paragraph_names_whose_reply_follows(quotes_of, opening, side):
    article = ("HANOI (Reuters) - Vietnam protested on Monday after Chinese coast guard ships entered waters "
               "near the reef.\n\n"
               f"{opening} Foreign Ministry spokesman Tran Minh Duc told a briefing that the patrols were "
               "routine and lawful.")
    assert side_of(quotes_of, article, "patrols were routine") == side


# -- towns ---------------------------------------------------------------------------
def test_a_place_phrase_naming_a_town_gives_its_country(quotes_of):
    """ "In Tampere, ..." under a Moscow dateline: Tampere is a Finnish town (GeoNames)."""
    article = ("MOSCOW (Reuters) - Russia said on Monday the border crossings would stay closed.\n\n"
               "In Tampere, a city that once drew many Russian shoppers, Mayor Liisa Koivu said residents hoped "
               "the crossings would reopen.")
    assert side_of(quotes_of, article, "crossings would reopen") == "Finland"


@pytest.mark.parametrize("description, side", [
    ("a grain trader from Zinder", "Niger"),  # the town the description places her in
    ("a grain trader who has waited at the border since March", "Nigeria"),  # a month is no town: the dateline
])
def test_a_private_persons_town_gives_their_country(quotes_of, description, side):
    article = ("ABUJA (Reuters) - Nigeria kept its northern border closed on Monday.\n\n"
               f"\u201cMy onions are rotting in the truck,\u201d said Amina Garba, {description}.")
    assert side_of(quotes_of, article, "onions are rotting") == side


@pytest.mark.parametrize("article, text, side", [
    ("SANTIAGO (Reuters) - Chile and Argentina traded accusations over the glacier on Monday.\n\n"
     "Governor Rosa Quiroga of Neuquen province said the new road would cut the valley off.",
     "cut the valley off", "Argentina"),
    ("NEW DELHI (Reuters) - India and Pakistan traded accusations over the river on Monday.\n\n"
     "The Sindh police chief said the boats had been seized in territorial waters.",
     "boats had been seized", "Pakistan"),
])
def test_an_office_named_after_a_province_is_its_countrys(quotes_of, article, text, side):
    assert side_of(quotes_of, article, text) == side


def test_a_ministry_named_without_its_country_is_not_another_countrys_other_ministry(quotes_of):
    """ "the Defence Ministry said" after "Chile's Foreign Ministry announced" (in a clause) is the
    story's own ministry, not Chile's: the office's name differs and the earlier one only spoke in
    a clause."""
    article = ("Peru lodged a protest with Chile over naval exercises near the maritime border, Prime "
               "Minister Rosa Quispe said on Monday.\n\n"
               "The exercises were the first since Chile's Foreign Ministry announced in March that it was "
               "leaving the joint fisheries commission.\n\n"
               "Last week, the Defence Ministry said that it had tracked three Chilean frigates off the coast.")
    assert side_of(quotes_of, article, "tracked three Chilean frigates") == "Peru"


def test_the_foreign_ministry_again_is_the_one_named_before(quotes_of):
    """ "the Foreign Ministry" after "Chile's Foreign Ministry" is Chile's, whoever the story is about."""
    article = ("Peru lodged a protest with Chile over naval exercises, Prime Minister Rosa Quispe said.\n\n"
               "Chile's Foreign Ministry summoned the Peruvian ambassador on Tuesday.\n\n"
               "Later, the Foreign Ministry said that the exercises had been announced months ago.")
    assert side_of(quotes_of, article, "announced months ago") == "Chile"


def test_a_breakaway_authority_speaks_for_itself(quotes_of):
    """ "the Artsakh defence ministry said" is the de facto authority's, not Azerbaijan's (the
    country the story names)."""
    article = ("Azerbaijan said its positions near Lachin came under fire overnight, the press office of "
               "the Artsakh Defence Ministry reported.\n\n"
               "\"These claims are invented. Azerbaijani units fired first,\" the Artsakh Defence Ministry said.")
    assert side_of(quotes_of, article, "These claims are invented") == "Artsakh"


def test_the_body_named_before_with_its_country_keeps_it_after_a_report_about_the_other(quotes_of):
    """ "Chile admitted the violation, according to the embassy", after "Peru's embassy said":
    the embassy is Peru's, not Chile's, the subject of what it reported."""
    article = ("Peru's embassy said Chilean guards had entered Peruvian territory on Monday.\n\n"
               "Border officials of the two countries met on Friday. Chile admitted the violation and "
               "apologized, according to the embassy.")
    assert side_of(quotes_of, article, "admitted the violation") == "Peru"


def test_an_unnamed_spokesperson_speaks_for_the_country_of_a_colon_dateline(quotes_of):
    article = "ISLAMABAD: The foreign office summoned the envoy. The spokesperson said the strikes broke the ceasefire."
    assert side_of(quotes_of, article, "the strikes broke the ceasefire") == "Pakistan"


@pytest.mark.parametrize("article, text, side", [
    ("BELGRADE (Reuters) - Serbia and Kosovo traded accusations.\n\nKurti said Belgrade was trying to stir up "
     "the north.", "stir up the north", "Kosovo"),
    ("BOGOTA (Reuters) - Colombia closed the crossing.\n\nMaduro said the closure would hurt families on both "
     "sides.", "hurt families", "Venezuela"),
    ("WASHINGTON (Reuters) - The White House defended the programme.\n\nRamaphosa said the group did not "
     "meet the definition of refugees.", "did not meet the definition", "South Africa"),
], ids=["kosovo", "venezuela", "south-africa"])
def test_a_leader_named_without_a_title_speaks_for_the_state_he_leads(quotes_of, article, text, side):
    """A head of government quoted by surname alone ("Kurti said") in a story datelined in the other
    country: the gazetteer knows the leader (actors.toml)."""
    assert side_of(quotes_of, article, text) == side


def test_a_paragraph_that_opens_by_placing_itself_places_its_speakers(quotes_of):
    """ "In Moscow, the reaction was swift. '...,' Foreign Ministry spokeswoman X told a briefing",
    under a Chisinau dateline: the spokeswoman is Russia's, not the dateline's Moldova's."""
    article = ('CHISINAU (Reuters) - Moldova dismissed the congress as propaganda.\n\n'
               'In Moscow, the reaction was swift. "We will protect our compatriots," Foreign Ministry '
               'spokeswoman Anna Orlova told a briefing.')
    assert side_of(quotes_of, article, "We will protect our compatriots") == "Russia"


@pytest.mark.parametrize("article, side", [
    ("Bryansk governor Anatoly Petrov said two drones were shot down over the region overnight.", "Russia"),
    ("Reza Karimi, governor of Sistan and Baluchestan province, said the gunmen had crossed from the east.", "Iran"),
    ("The governor of North Kivu, Gen. Jean Mumbere, said the rebels had shelled the town.",
     "Democratic Republic of the Congo"),
    ("The prefecture of the Pas-de-Calais department said 40 people had been rescued at sea.", "France"),
    ("Palawan governor Ramon Dizon said fishermen had been chased from the shoal.", "Philippines"),
])
def test_an_office_named_after_a_province_speaks_for_its_country(quotes_of, article, side):
    [quote] = quotes_of(article)
    assert quote.speaker.actor == side


def test_a_province_in_a_persons_name_is_no_office(quotes_of):
    [quote] = quotes_of("Sicily Rossi, a retired teacher from the town, said the ruling was unjust.")
    assert quote.speaker.actor is None



@pytest.mark.parametrize("article, speaker, side", [
    ("Hanoi: Vietnam's Foreign Ministry on Thursday said that Chinese coast guard ships had rammed a "
     "fishing boat near the Paracel Islands and injured four of its crew before sailing away.",
     "Foreign Ministry", "Vietnam"),
    ("Dhaka: The foreign ministry on Sunday said that border guards from the other side had pushed "
     "back more than 40 people across the frontier overnight, and it summoned the envoy.",
     "foreign ministry", "Bangladesh"),
])
def test_a_place_and_a_colon_open_the_story(quotes_of, article, speaker, side):
    """ "Taipei: ", "New Delhi: ": the dateline of many Asian outlets, in title case."""
    [quote] = quotes_of(article)
    assert (quote.speaker.name, quote.speaker.actor) == (speaker, side)
    assert not quote.text.startswith(("Hanoi", "Dhaka"))


def test_a_name_and_colon_headline_is_still_a_quote(quotes_of):
    """A headline "Name: what they said." is no dateline, though it opens the article."""
    article = ("Orban: Brussels is blackmailing us with our own money.\n\n"
               "Hungarian Prime Minister Viktor Orban said on Friday that the European Commission was "
               "holding back funds to force his government to change its asylum law, and that he would "
               "not give in to such pressure.")
    quotes = quotes_of(article)
    assert quotes[0].text == "Brussels is blackmailing us with our own money."
    assert quotes[0].speaker.actor == "Hungary"


def test_an_office_named_in_a_paragraph_without_a_cue_is_the_one_that_speaks_later(quotes_of):
    """The selective parse leaves a paragraph with no cue untagged: "Taiwan's defense ministry" there
    is still the ministry that "the ministry said" refers to."""
    article = ("Six warships and 30 aircraft were tracked on Monday by Japan's defense ministry near the islands.\n\n"
               "Eleven of the aircraft entered the air defence zone, the ministry said.")
    [quote] = quotes_of(article)
    assert quote.speaker.actor == "Japan"


def test_its_is_the_subject_of_the_main_clause_not_of_what_it_claimed(quotes_of):
    """ "X claimed that Y's troops did it, but an adviser to its president hinted ...": "its" is X's;
    "Y did it, its ministry said" keeps reading the reported subject."""
    quotes = quotes_of("Armenia first claimed that Azerbaijani troops had opened fire, but an adviser to its "
                       "prime minister hinted that a local dispute might be to blame.")
    assert [q.speaker.actor for q in quotes] == ["Armenia", "Armenia"]
    [quote] = quotes_of("Peru has expelled two Chilean diplomats, its foreign ministry said.")
    assert quote.speaker.actor == "Peru"


def test_they_after_two_people_who_spoke_together_is_the_pair(quotes_of):
    article = ("The talks ended on Friday. The EU envoy for the region, Anna Berg, and the head of the OSCE "
               "mission, Tomas Novak, issued a joint statement on Saturday.\n\n"
               'The clashes "could spread to the whole valley," they said.')
    [quote] = quotes_of(article)
    assert (quote.speaker.name, quote.speaker.actor) == ("Anna Berg", "EU")


def test_a_name_set_off_after_a_role_is_that_persons_whatever_the_tagger_says(quotes_of):
    """ "Eritrea's Minister of Information, Yemane Gebremeskel," (the small model tags the name as a
    place): a person, with the side before the role, under that name and surname later, and "he"."""
    article = ("Kenya's Minister of Information, Wanjiru Kamau-Odhiambo, accused Somalia on Saturday of "
               "stoking the dispute.\n\n"
               "In a series of posts, Kamau-Odhiambo said Somalia's claims were \"not based on facts.\"\n\n"
               '"Their silence is a pretext," she said.')
    quotes = quotes_of(article)
    assert [q.speaker.actor for q in quotes] == ["Kenya", "Kenya", "Kenya"], [(q.speaker.name, q.text) for q in quotes]
    assert quotes[-1].speaker.name == "Wanjiru Kamau-Odhiambo"


@pytest.mark.parametrize("opening", [
    "On Tuesday, Ambassador Lina Okafor, the official spokeswoman for the Nigerian foreign ministry, met reporters "
    "in Abuja about the pipeline.",
    "Today, Tuesday, Ambassador Lina Okafor, the official spokeswoman for the Nigerian foreign ministry, met "
    "reporters in Abuja about the pipeline.",
], ids=["no-cue-paragraph", "misparsed-opener"])
def test_a_role_set_off_after_a_name_in_a_paragraph_without_a_cue_gives_the_side(quotes_of, opening):
    """ "X, the official spokeswoman for the Nigerian foreign ministry, met reporters": a paragraph
    with no cue is left unparsed (or the parse takes the role for the subject), so the appositive
    was never read, and "Okafor said" later had no side."""
    article = (opening + "\n\nThe tanker trucks lined up at the border post for a fourth day, and traders in "
               "the market towns on both sides counted their losses as the fuel ran short.\n\n"
               "Okafor said that Nigeria rejects any toll that Benin might levy on the line.")
    assert side_of(quotes_of, article, "Nigeria rejects any toll") == "Nigeria"


def test_a_name_after_a_title_that_lists_its_portfolios_takes_the_titles_country(quotes_of):
    """ "Benin's Minister of Water, Mines, and Energy, X, said": the parse hangs the name on the
    last portfolio, not on the minister."""
    article = ("The protest followed remarks by Benin's Minister of Water, Mines, and Energy, Paul Houngbo, "
               "about the pipeline.\n\nHoungbo said that the toll was lawful.")
    assert side_of(quotes_of, article, "the toll was lawful") == "Benin"


def test_a_name_the_tagger_joins_to_the_office_before_it_is_no_party():
    """ "The Minister of Foreign Affairs and the National Community Abroad, X Y, announced": the small
    model may tag "the National Community Abroad, X Y" as one organisation and "Y" alone as another,
    which made the minister's surname a party of its own ("Y blames Tunisia"). The entities are
    set here as that model set them on real copy, so the test does not hang on its weights."""
    from spacy.tokens import Span

    from quoteframe.extraction.lexicon import default_lexicon
    from quoteframe.extraction.sides import SideResolver
    from quoteframe.nlp import load_spacy

    text = ("The Minister of Foreign Affairs and the National Community Abroad, Karim Benali, announced "
            "that Tunisia would close its consulate in Tripoli.\n\n"
            "\"The Libyan side has never stopped its provocations,\" Benali concluded.")
    doc = load_spacy()(text)

    def span(words: str, occurrence: int = 0) -> Span:
        start = [i for i in range(len(text)) if text.startswith(words, i)][occurrence]
        return doc.char_span(start, start + len(words), label="ORG")

    doc.ents = [span("the National Community Abroad, Karim Benali"), span("Benali", 1)]
    resolver = SideResolver(doc, default_gazetteer(), default_lexicon())
    assert resolver.party_of("Benali") is None


@pytest.mark.parametrize("subject, story_subject", [("warships", False), ("navy", True)])
def test_a_craft_is_no_subject_an_official_without_a_country_could_speak_for(subject, story_subject):
    """ "The two Chinese ships entered the waters ... Chief Cabinet Secretary X said it was regrettable"
    (real copy): with no dateline and no country in the title, the official took the side of the
    last country the narration made its subject, the ships', China. A craft does what the story
    reports; the side that answers it is another. A navy stays a subject that can speak."""
    from quoteframe.extraction.lexicon import default_lexicon
    from quoteframe.extraction.sides import SideResolver
    from quoteframe.nlp import load_spacy

    doc = load_spacy()(f"The two Peruvian {subject} entered the disputed waters on Sunday morning, "
                       "coast guard officials said.")
    resolver = SideResolver(doc, default_gazetteer(), default_lexicon())
    body = next(b for b in resolver.bodies if "peruvian" in b.words)
    assert body.subject is story_subject


def test_it_after_a_ministry_placed_in_a_capital_speaks_for_that_country(quotes_of):
    """ "..., the foreign ministry in Tokyo said in a statement. ... The South Korean envoy repeated
    Seoul's position, it said": "it" is that ministry, and "in Tokyo" (which the parse hangs on
    "said", not on the ministry) gives its side, as it did for the ministry's own quote."""
    article = ("Japanese Vice Foreign Minister Aiko Tanabe strongly protested to the South Korean ambassador, "
               "the foreign ministry in Tokyo said in a statement.\n\n"
               "Tanabe said the repeated landings would undermine trust. The South Korean envoy repeated Seoul's "
               "position but added he was seeking a solution through talks, it said.")
    assert side_of(quotes_of, article, "The South Korean envoy repeated") == "Japan"


def test_a_bare_role_after_a_name_takes_the_side_of_the_office_named_before(quotes_of):
    """ '"...," X Y, foreign ministry spokesperson said' after "The Tanzanian foreign ministry said":
    with no article, the parse makes "spokesperson" the subject of "said" and leaves the name
    alone, so the role that ties the person to that ministry was never read."""
    article = ("The Tanzanian foreign ministry said on Monday it had not been told of any new drilling on the lake.\n\n"
               "Malawian engineers began surveying the shore last week.\n\n"
               "\"We have received no notice of the drilling,\" Amina Juma, foreign ministry spokesperson said at the "
               "weekly briefing when asked about the lake.")
    assert side_of(quotes_of, article, "We have received no notice") == "Tanzania"


@pytest.mark.parametrize("mention, side", [
    ("MEA spokesperson Arjun Rao", "India"),
    ("the Ministry of External Affairs", "India"),
    ("foreign ministry spokesperson Mao Ning", "China"),
], ids=["mea", "external-affairs", "chinese-spokesperson"])
def test_well_known_offices_and_spokespeople_have_their_side(quotes_of, mention, side):
    article = f"The talks on the border would resume next month, {mention} said."
    assert side_of(quotes_of, article, "The talks on the border") == side


@pytest.mark.parametrize("mention", ["The head of the Lake Authority, Grace Phiri,", "The commander of the Coast Guard"])
def test_a_province_named_inside_another_name_gives_no_side(quotes_of, mention):
    """ "Lake" and "Coast" are provinces' names too (of New Zealand and Kenya); after "of the"
    they read as the province an office serves, but a capitalised word after them makes them
    part of another name."""
    article = f"{mention} said the boats would be returned to their owners."
    assert side_of(quotes_of, article, "the boats would be returned") is None


def test_an_official_who_acts_at_an_event_in_a_capital_is_that_countrys(quotes_of):
    """ "The fishing rules were announced by fisheries minister X at a news conference in Lilongwe.
    ... X said": a capital places the official as "said in Lilongwe" does, for the agent of a
    passive too."""
    article = ("Tanzania published new maps of the lake in March.\n\n"
               "The fishing rules were announced by fisheries minister Grace Chisale at a news conference in Lilongwe.\n\n"
               "Chisale said the rules would protect the fish stocks.")
    assert side_of(quotes_of, article, "the rules would protect") == "Malawi"


# -- names and sides from real copy of six more disputes (2026-12-07, late night) ------------------
def speaker_of(quotes_of, article: str, text: str):
    """The speaker of the one quote that contains ``text``."""
    found = [q for q in quotes_of(article) if text in q.text]
    assert len(found) == 1, f"expected one quote with {text!r}; got {[q.text for q in quotes_of(article)]}"
    return found[0].speaker


@pytest.mark.parametrize("article, text, name, side, via", [
    ("Malawian Foreign Minister Nancy Tembo said on Tuesday that Malawi would not accept such a demand, "
     "Nyasa Times reports.", "Malawi would not accept", "Nancy Tembo", "Malawi", "Nyasa Times"),
    ("Lilongwe recalled two Tanzanian diplomats in response to a similar move, the Tanzanian Foreign Ministry "
     "said Wednesday, Nation reports.", "Lilongwe recalled", "Tanzanian Foreign Ministry", "Tanzania", "Nation"),
], ids=["subject-then-day", "body-then-bare-day"])
def test_a_speaker_before_said_keeps_the_quote_when_an_outlet_reports_it(quotes_of, article, text, name, side, via):
    """ "X said on Tuesday that A, TASS reports": X says A, the outlet carries it. Only an inverted
    attribution ("A, said X, Y reports") has its speaker after "said"; the day was read as one."""
    speaker = speaker_of(quotes_of, article, text)
    assert (speaker.name, speaker.actor, speaker.via) == (name, side, via)


def test_a_dateline_of_a_date_and_an_agency_is_no_speaker(quotes_of):
    """ "June 4 (UPI) — Tanzania’s Ministry of Foreign Affairs on Wednesday said": the parser makes
    the date the subject and the ministry its appositive, as it does with a city's dateline."""
    article = ("Malawi, Tanzania expel respective diplomats\n\n"
               "June 4 (UPI) — Tanzania’s Ministry of Foreign Affairs on Wednesday said it ordered the expulsion "
               "of five Malawian diplomats in an identical response to a move by Malawi.\n\n"
               "Malawian Prime Minister Pavel Banda on Tuesday said five Tanzanian diplomats were declared "
               "persona non grata.")
    speaker = speaker_of(quotes_of, article, "it ordered the expulsion")
    assert (speaker.name, speaker.actor) == ("Ministry of Foreign Affairs", "Tanzania")


@pytest.mark.parametrize("article, name", [
    ("Tanzanian Secretary of Defense Juma Kassim said the rebels attacked ships.", "Juma Kassim"),
    ("Malawian Vice Premier for Law and Security Peter Mwale said the clash had been prepared in advance.",
     "Peter Mwale"),
], ids=["department-in-the-name", "department-read-as-a-person"])
def test_the_name_after_an_office_of_a_department_is_the_speaker(quotes_of, article, name):
    """The tagger runs "Defense Juma Kassim" into one organisation, and reads "Law" of "Vice Premier
    for Law and Security" as a person: the full name that ends the mention is the speaker."""
    speaker = quotes_of(article)[0].speaker
    assert (speaker.name, speaker.actor) == (name, "Tanzania" if "Tanzanian" in article else "Malawi")


def test_a_commander_of_a_named_body_is_not_the_body():
    """ "A senior commander of the Lake Guards, Colonel Amos Phiri, warned": the body after "of" is no
    department run into a name, whatever the tagger made of it."""
    from quoteframe.extraction.docview import whole_person_names
    from quoteframe.extraction.lexicon import default_lexicon
    from quoteframe.nlp import load_spacy

    text = "A senior commander of the Lake Guards, Colonel Amos Phiri, warned that any move would fail."
    doc = load_spacy()(text)
    doc.ents = [doc.char_span(text.index("the Lake"), text.index(", Colonel"), label="ORG"),
                doc.char_span(text.index("Amos"), text.index(", warned"), label="PERSON")]
    lexicon = default_lexicon()
    whole_person_names(doc, lexicon.role_nouns, lexicon.person_roles, default_gazetteer())
    assert [(e.text, e.label_) for e in doc.ents] == [("the Lake Guards", "ORG"), ("Amos Phiri", "PERSON")]


def test_the_name_after_an_opening_participle_is_the_speaker(quotes_of):
    """ "Addressing a news conference with his counterpart X, Y said": the parser makes the participle
    the subject and Y a second counterpart."""
    article = ("Addressing a joint press conference with his Zambian counterpart Stanley Kakubo, Al-Tembo said: "
               "“We will not allow anyone to take our lake.”")
    assert speaker_of(quotes_of, article, "We will not allow").name == "Al-Tembo"


def test_a_countrys_adjective_the_tagger_read_as_a_person_is_no_person():
    """ "the Malawian presidential election": a demonym before a common noun is no one "she" can be."""
    from quoteframe.extraction.docview import whole_person_names
    from quoteframe.extraction.lexicon import default_lexicon
    from quoteframe.nlp import load_spacy

    text = "Chisomo, who won the Malawian presidential election, said so. Putin spokesman Dmitry Peskov said no."
    doc = load_spacy()(text)
    doc.ents = [doc.char_span(text.index("Malawian"), text.index(" presidential"), label="PERSON"),  # as tagged
                doc.char_span(text.index("Putin"), text.index(" spokesman"), label="PERSON")]
    lexicon = default_lexicon()
    whole_person_names(doc, lexicon.role_nouns, lexicon.person_roles, default_gazetteer())
    assert [(e.text, e.label_) for e in doc.ents] == [("Malawian", "NORP"), ("Putin", "PERSON")]


def test_she_after_a_name_described_by_who_is_that_person(quotes_of):
    """ "Chisomo, who won the election, said A. She noted B": a name the tagger left untagged is a
    person when "who" describes it."""
    article = ("Chisomo, who won the Malawian presidential election in May, said on Monday that Tanzania should "
               "pull its boats off the lake. She noted that two patrol groups were stationed near the shore.")
    assert speaker_of(quotes_of, article, "two patrol groups").name == "Chisomo"


def test_a_leader_the_gazetteer_knows_keeps_their_state_whatever_the_description(quotes_of):
    """ "close Kremlin ally Viktor Orban" speaks for Hungary, not for the Kremlin."""
    article = "The veteran politician and close Kremlin ally Viktor Orban said the sanctions had failed."
    assert speaker_of(quotes_of, article, "the sanctions had failed").actor == "Hungary"


@pytest.mark.parametrize("name, side", [
    ("Adel Al-Jubeir", "Saudi Arabia"), ("Lord Cameron", "UK"), ("Hor Namhong", "Cambodia"), ("Sandu", "Moldova"),
    ("Davutoglu", "Turkey"), ("Landsbergis", "Lithuania"), ("Albares", "Spain"), ("Rahmon", "Tajikistan"),
])
def test_office_holders_of_more_states_have_their_side(quotes_of, name, side):
    article = f"The talks on the border would resume next month, {name} said."
    assert side_of(quotes_of, article, "The talks on the border") == side


@pytest.mark.parametrize("mention, side", [
    ("Sky's foreign affairs editor John Phiri", "media"),
    ("Xinhua correspondent John Phiri", "China"),
], ids=["outlet-unknown", "state-outlet"])
def test_a_journalist_speaks_for_the_press_unless_the_outlet_is_a_states(quotes_of, mention, side):
    """A journalist whose outlet the gazetteer does not know speaks for `media`, not for a country
    guessed from the story; a state outlet's speaks for its state."""
    article = ("Tanzania recalled its ambassador from Lilongwe on Friday. "
               f"{mention} said the move was sparked by the imminent publication of a UN report on the raids.")
    assert side_of(quotes_of, article, "the move was sparked") == side


@pytest.mark.parametrize("paper", ["The Lakeshore Herald", "The Daily Nation"])
def test_a_newspaper_the_gazetteer_does_not_know_speaks_for_the_press(quotes_of, paper):
    """ "The Lakeshore Herald said A": a paper is no open-set party of its own (LABELS.md's `media`),
    and "The Daily Nation" is no "the nation" standing for the country named before."""
    article = (f"Malawi and Tanzania traded accusations over the lake on Monday. {paper} said Tanzania had "
               "moved two patrol boats to the northern shore, citing an unnamed official.")
    assert side_of(quotes_of, article, "two patrol boats") == "media"


@pytest.mark.parametrize("article, name, side", [
    ("The Tanzanian envoy to the United Nations, Juma Kassim Hamad Abdallah, rejected the claims as \"ludicrous\".",
     "Juma Kassim Hamad Abdallah", "Tanzania"),
    ("Tanzania's ambassador to Malawi, Juma Kassim, said the boats had left.", "Juma Kassim", "Tanzania"),
    ("\"Malawi will defend its waters,\" reads a statement signed by the Malawian foreign minister Nancy Ruth Tembo.",
     "Nancy Ruth Tembo", "Malawi"),
], ids=["envoy-to-a-body", "ambassador-to-a-country", "statement-signed-by"])
def test_the_name_after_a_posting_or_a_signature_is_the_speaker(quotes_of, article, name, side):
    """ "The envoy to the United Nations, X," and "a statement signed by the foreign minister X": the
    name, not the title, speaks; the place an envoy is sent to is not their side."""
    speaker = quotes_of(article)[0].speaker
    assert (speaker.name, speaker.actor) == (name, side)


def test_an_ambassador_to_a_country_does_not_speak_for_it(quotes_of):
    article = "The ambassador to Malawi said the boats had left the harbour."
    assert side_of(quotes_of, article, "the boats had left") != "Malawi"


def test_the_confederation_of_sahel_states_is_a_bloc(quotes_of):
    article = ("The Alliance of Sahel States said in a statement that its members would recall their ambassadors "
               "from Algiers.")
    assert side_of(quotes_of, article, "its members would recall") == "AES"


def test_a_portfolio_before_a_ministers_title_is_no_party():
    """ "Regional Relations and Cooperation Minister Grace Banda said": the tagger reads the
    portfolio as an organisation (set by hand, as it tagged a real one) and the name as nothing;
    the portfolio is no open-set party for her to speak for."""
    text = ("The court case is strong and the evidence is clear, Regional Relations and Cooperation Minister "
            "Grace Banda said at a press conference on Wednesday.")
    [(_, speaker)] = speakers_with_tags(text, [("Regional", " Minister", "ORG")])
    assert speaker.actor != "Regional Relations and Cooperation"
    assert speaker.name == "Grace Banda"


def test_a_name_after_a_ministers_title_is_no_party_where_the_tagger_read_it_as_a_body():
    """ "Grace Banda tells court to act", then "Regional Relations and Cooperation Minister Grace
    Banda said": the name tagged as an organisation in the headline is the minister's, not a party
    she speaks for."""
    text = ("Grace Banda tells court to act on the lake\n\n"
            "The court case is strong and the evidence is clear, Regional Relations and Cooperation Minister "
            "Grace Banda said at a press conference on Wednesday.")
    quotes = speakers_with_tags(text, [("Grace", " tells", "ORG"), ("Regional", " Minister", "ORG")])
    assert [s.actor for _, s in quotes if "evidence is clear" in _] == [None]


def test_a_leader_in_a_blocs_office_speaks_for_the_bloc(quotes_of):
    """ "European Council President Donald Tusk": the office a bloc gives him decides, not the state
    the gazetteer lists him under (as a description naming a country does not: "close Kremlin ally
    Viktor Orban" is Hungary's)."""
    article = "\"They had imagination,\" European Council President Donald Tusk tweeted."
    assert side_of(quotes_of, article, "They had imagination") == "EU"

"""Who a speaker mention refers to, by its fullest name, and the side it speaks for.

Resolution is deliberately local and explainable rather than a coreference
model: pronouns go to the last fitting speaker, role nouns ("the minister",
"the agency") to the last entity described with that noun, surnames to the
fullest form of the name in the article.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc, Span, Token

from quoteframe.extraction.docview import DocView, actor_beside_name, name_after_title, names_a_person
from quoteframe.extraction.extractor import RawQuote, _mention
from quoteframe.extraction.lexicon import Lexicon
from quoteframe.extraction.sides import SideResolver, dateline_end
from quoteframe.schema import Speaker

_DETERMINERS = re.compile(r"^(the|a|an|this|that|these|those|its|their|his|her|our)\s+", re.I)
_POSSESSIVE = re.compile(r"[’']s?$")
_NAMED = ("PERSON", "ORG", "GPE", "NORP", "FAC")
_CONTINUATION_CHARS = 1500
_BODY_NOUNS = frozenset(["organisation", "organization", "corporation", "agency", "mission", "bloc"])
_BODY_WINDOW_CHARS = 600
_ACCUSING = frozenset(["accuse", "blame", "condemn", "denounce"])
_GENDERS = {"he": "he", "him": "he", "his": "he", "she": "she", "her": "she"}
_GOVERNMENT_NOUNS = frozenset(["government", "administration", "regime", "junta", "cabinet", "presidency"])
# state bodies that "it" can refer to when the story makes one its subject ("the foreign ministry issued
# a message in which it urged ..."); civil ones are the lexicon's ``civil_bodies``
_STATE_BODIES = frozenset(["ministry", "army", "military", "navy", "police", "office", "embassy", "department",
                           "agency", "service", "mission", "council", "committee", "commission", "command",
                           "authority", "bureau", "directorate", "parliament", "palace", "force", "court"])


@dataclass
class _Known:
    """A resolved speaker or described entity, remembered for later mentions."""

    name: str
    kind: str  # "person" or "group"
    position: int
    descriptor: str
    actor: str | None
    subject: bool = False  # a described person who is the subject of narration ("X was unmoved")
    singular: bool = False  # a country, which "it" can refer to and "they" cannot
    gender: str | None = None  # "he" or "she", once the story has called the person so


class SpeakerResolver:
    """Resolves the speaker mentions of one article's raw quotes."""

    def __init__(self, doc: Doc, gazetteer, lexicon: Lexicon, view: DocView | None = None):
        self.doc = doc
        self.view = view or DocView(doc)
        self.gaz = gazetteer
        self.lex = lexicon
        persons = tuple(e for e in self.view.ents if names_a_person(gazetteer, e))
        self.people = _person_names(persons, lexicon.role_nouns)
        self._introduced: dict[str, int] = {}  # each full name -> where the article first gives it
        for ent in persons:
            self._introduced.setdefault(_strip_titles(_clean(ent.text), lexicon.role_nouns), ent.start_char)
        self._chunks: list[Span] | None = None  # noun chunks, when first asked for (spaCy recomputes them)
        self._story_start = dateline_end(doc.text)
        self._dateline_start = doc.text.rfind("\n", 0, self._story_start) + 1 if self._story_start else 0
        self.described = self._described_entities()
        self.groups: list[_Known] = []  # set per call of resolve(), which knows the quotes
        self._quote_spans: list[tuple[int, int]] = []
        self.sides = SideResolver(doc, gazetteer, lexicon, self.view)

    def resolve(self, quotes: list[RawQuote]) -> list[Speaker]:
        """One ``Speaker`` per raw quote, in the same order."""
        speakers: list[Speaker] = []
        history: list[_Known] = []
        self.groups = self._group_subjects(quotes)
        self._quote_spans = [(q.start, q.end) for q in quotes]  # names inside quotes are no antecedents
        self.sides.know_quotes(self._quote_spans)
        for q in quotes:
            speaker = self._resolve_one(q, speakers, history)
            if speaker.start is not None and not q.inherit:
                mention = self.doc.char_span(speaker.start, speaker.end, alignment_mode="expand")
                speaker.actor = self.sides.side(mention, speaker.name, speaker.actor, speaker.name in self.people,
                                                accused=self._accused(q))
                self.sides.note_speaker(mention, speaker.name, speaker.actor)
            speakers.append(speaker)
            if speaker.name:
                kind = self._kind_of(speaker)
                owner = self._owner_person(speaker) if kind == "group" else None
                if owner is not None:  # "Mr. Comey's allies say he ...": "he" is Mr. Comey
                    history.append(_Known(owner, "person", q.start, owner, None))
                gender = _GENDERS.get((speaker.mention or "").lower())
                history.append(_Known(speaker.name, kind, q.start, speaker.mention or "", speaker.actor, gender=gender))
        self._one_side_per_person(speakers)
        return speakers

    def _one_side_per_person(self, speakers: list[Speaker]) -> None:
        """A person speaks for one side in a story: "President X has spoken against the deal" gives
        no side, and "according to the Somali president" later does; the earlier quotes take it."""
        sides: dict[str, set[str]] = {}
        for speaker in speakers:
            if speaker.name in self.people and speaker.actor is not None:
                sides.setdefault(speaker.name, set()).add(speaker.actor)
        for speaker in speakers:
            known = sides.get(speaker.name or "")
            if speaker.actor is None and known is not None and len(known) == 1:
                speaker.actor = next(iter(known))

    def _accused(self, q: RawQuote) -> str | None:
        """The country a quote's cue accuses or blames ("accused India of ..."), if it names one."""
        if q.cue is None:
            return None
        cue = self.doc.char_span(q.cue[0], q.cue[1], alignment_mode="expand")
        verb = next((t for t in cue or () if t.lemma_.lower() in _ACCUSING), None)
        obj = next((c for c in verb.children if c.dep_ == "dobj"), None) if verb is not None else None
        if obj is None or not (obj.ent_type_ == "GPE" or obj.lemma_.lower() in _GOVERNMENT_NOUNS):
            return None  # a country or its government, not a person of it ("accused Republican Donald Trump")
        actor = self.gaz.actor(self.doc[obj.left_edge.i : obj.i + 1].text)
        return actor if actor is not None and self.gaz.kind(actor) == "country" else None

    def _owner_person(self, speaker: Speaker) -> str | None:
        """The person a group speaker's mention names in the possessive ("Mr. Comey's allies")."""
        span = self.doc.char_span(speaker.start, speaker.end, alignment_mode="expand") if speaker.end else None
        owner = next((t for t in span or () if t.dep_ == "poss" and t.pos_ == "PROPN"), None)
        if owner is None:
            return None
        name = self.canonical_person(owner.text)
        return name if name in self.people else None

    # -- one quote ----------------------------------------------------------
    def _resolve_one(self, q: RawQuote, done: list[Speaker], history: list[_Known]) -> Speaker:
        if q.speaker is None:
            if q.inherit and done and history and q.start - history[-1].position < _CONTINUATION_CHARS:
                prev = done[-1]
                return Speaker(prev.name, prev.mention, prev.actor, prev.start, prev.end, prev.via)
            return Speaker()
        start, end = q.speaker
        while start + 1 < end and self.doc[start].idx < self.sides.story_start:
            start += 1  # "MANILA (Reuters) -President X said": the dateline is no part of the speaker
        end = self._whole_name_end(start, _whole_word_end(self.doc, end), q)
        mention = self.doc[start:end]
        appos = self.doc[q.appos[0] : q.appos[1]] if q.appos else None
        # "Qatar's foreign minister rejected what he described as ...": he is the minister
        matrix = self._matrix_subject(mention)
        named, appos = (matrix, None) if matrix is not None else (mention, appos)
        name, actor_hint = self._name(named, appos, history)
        actor = self._actor(named, appos, name, actor_hint)
        kind = self.lex.pronoun_kind(mention.text) if len(mention) == 1 else None
        # a body's "it said" after a clause it opens; a person's "he said" only where no one came
        # before ("Trump will win, he said" is rarely Trump's)
        if kind is not None and (name is None or kind != "person") and q.end <= mention.start_char \
                and self._opens_sentence(q, mention):
            own = self._content_subject(q, kind)
            if own is not None:  # the pronoun stays the mention; the subject names it
                name, actor_hint = self._name(own, None, history)
                actor = self._actor(own, None, name, actor_hint)
        via = self._via(q, history)
        return Speaker(name=name, mention=mention.text, actor=actor,
                       start=mention.start_char, end=mention.end_char, via=via)

    def _matrix_subject(self, mention: Span) -> Span | None:
        """The person whose clause holds a "he"/"she" that speaks: in "Qatar's foreign minister
        rejected what he described as 'interference'", the subject of "rejected" (a pronoun subject
        of a clause under a person's verb is that person)."""
        if len(mention) != 1 or mention[0].lower_ not in _GENDERS or mention[0].dep_ != "nsubj":
            return None
        verb = mention[0].head
        if verb.dep_ not in ("ccomp", "xcomp") or verb.head.pos_ not in ("VERB", "AUX"):
            return None
        subject = next((c for c in verb.head.children if c.dep_ == "nsubj" and c.i < mention[0].i), None)
        if subject is None or subject.pos_ == "PRON" or not (
                subject.lemma_.lower() in self.lex.person_roles or subject.ent_type_ == "PERSON"):
            return None
        start, end = _mention(subject)["span"]
        return self.doc[start:end]

    def _opens_sentence(self, q: RawQuote, mention: Span) -> bool:
        """Whether the quote is the clause that opens the pronoun's sentence."""
        sent = mention.sent
        opening = self.doc.text[sent.start_char : q.start]
        end = dateline_end(opening)
        return not opening[end:].strip(" \n\"“'‘")

    def _content_subject(self, q: RawQuote, kind: str | None) -> Span | None:
        """The subject of a quote that opens its sentence and comes before its pronoun speaker:
        "Algeria will close its airspace, it said" is Algeria's, as wire style writes it, whoever
        spoke before. It must fit the pronoun: a person for "he" or "she", a country or body for
        "it", a group or a pair joined by "and" for "they"."""
        if kind is None:
            return None
        content = [t for t in self.doc.char_span(q.start, q.end, alignment_mode="expand") or () if not t.is_punct]
        heads = [t for t in content if not q.start <= t.head.idx < q.end or t.head.i == t.i]
        subject = next((c for h in heads[:1] for c in h.children if c.dep_ == "nsubj"), None)
        if subject is None or subject.pos_ not in ("PROPN", "NOUN") or subject.head.lemma_.lower() in _UNDERGONE:
            return None  # "The Indian side had received a befitting response ..., it said": done to it
        start, end = _mention(subject)["span"]
        paired = any(c.dep_ == "conj" for c in subject.children)
        if paired:  # "Chile and Peru", "the country and its allies": the first names the pair
            end = min(end, next(c.i for c in subject.children if c.dep_ in ("cc", "conj")))
        span = self.doc[start:end]
        plural = paired or subject.tag_ in ("NNS", "NNPS")
        head = self.doc[start : subject.i + 1]  # "the strength of the dollar" is no body
        body = any(e.label_ == "ORG" and e.start <= subject.i < e.end for e in self.view.ents_within(span))
        if kind == "person":
            fits = not plural and any(e.label_ == "PERSON" for e in self.view.ents_within(span))
        elif kind == "thing":  # a country or a body, "the Sudanese Armed Forces" too
            fits = not paired and subject.tag_ != "NNS" and subject.lemma_.lower() not in self.lex.person_roles \
                and (body or self.gaz.actor(head.text) is not None)  # "the Chinese envoy" is no "it"
        else:
            whole = self.doc[start : _mention(subject)["span"][1]]
            fits = plural and (self.gaz.actor(whole.text) is not None
                               or any(e.label_ in ("ORG", "GPE", "NORP") for e in self.view.ents_within(whole)))
        return span if fits else None

    def _whole_name_end(self, start: int, end: int, q: RawQuote) -> int:
        """The end of a mention that the parse cut inside a name the gazetteer knows, when the
        cut names no one: "Doctors" of "Doctors Without Borders said", "Save" of "Save the
        Children said" (never into the quote)."""
        first, last = self.doc[start].idx, self.doc[end - 1].idx + len(self.doc[end - 1])
        stop = self.doc[end - 1].sent.end_char
        if q.start >= last:
            stop = min(stop, q.start)
        if stop <= last or self.gaz.actor(self.sides.text[first:last]) is not None:
            return end
        longest = max((first + m.end for m in self.gaz.find(self.sides.text[first:stop]) if m.start == 0), default=last)
        if longest > last and not (last < q.end and longest > q.start):
            span = self.doc.char_span(first, longest, alignment_mode="expand")
            return span.end if span is not None else end
        return end

    def _via(self, q: RawQuote, history: list[_Known]) -> str | None:
        if q.via is None:
            return None
        mention = self.doc[q.via[0] : q.via[1]]
        # "the monitoring group Lakeshore Watch quoted ...": the appositive names the carrier
        appos = _mention(mention.root)["appos"]
        name, _ = self._name(mention, self.doc[appos[0] : appos[1]] if appos else None, history)
        return name

    # -- names --------------------------------------------------------------
    def _name(self, mention: Span, appos: Span | None, history: list[_Known]) -> tuple[str | None, str | None]:
        """The fullest name for a mention, and an actor found on the way."""
        kind = self.lex.pronoun_kind(mention.text) if len(mention) == 1 else None
        if kind in ("group", "thing"):
            # "they", and "it" as a speaker ("it said in a statement"): a body, spoken or narrated
            known = self._group_antecedent(mention.start_char, history, singular=kind == "thing")
            return (known.name, known.actor) if known else (None, None)
        if kind is not None:
            known = self._antecedent(kind, mention.start_char, history, _GENDERS.get(mention.text.lower()))
            return (known.name, known.actor) if known else (None, None)
        issued = self._issuer(mention, history)
        if issued is not None:
            return issued.name, issued.actor
        ents = self.view.ents_within(mention)
        known = self.gaz.canonical(_clean(mention.text))
        if known is not None and self.gaz.kind(known) == "organisation" and len(mention) > 1:
            return _clean(mention.text), known  # "Doctors Without Borders", not a doctor's name
        if known is not None and self.gaz.kind(known) == "country" and len(mention) == 1 \
                and (mention[0].pos_ == "ADJ" or mention[0].ent_type_ == "NORP"):
            return known, known  # "Iranian" of "Iranian and Afghan forces accused each other": Iran
        # the person the mention is about: not one it names in the possessive ("Putin's
        # spokesman Dmitry Peskov", "Abiy's national security adviser")
        titled = mention.root.lower_ in self.lex.role_nouns or mention.root.lower_ in self.lex.person_roles
        in_name = [] if titled else [e for e in ents if e.label_ == "PERSON" and _in_name_of(e, mention.root)]
        people = [e for e in ents if e.label_ == "PERSON" and e not in in_name]
        person = next((e for e in people if e.start <= mention.root.i < e.end), None) \
            or _closing_name(people, mention) or next((e for e in people if e.root.dep_ != "poss"), None)
        if person is not None:
            return self.canonical_person(person.text), None
        if appos is not None and (mention.root.pos_ != "PROPN" or mention.root.lower_ in self.lex.person_roles):
            # ("Gabon's Minister of Petroleum, Sylvie Mboumba Nziengui, said": a capitalised role too)
            # "A teacher at the school, Priya Nair, said": the appositive names the described source;
            # after a name ("Rendell, a Clinton surrogate") it only describes it.
            appos_ents = self.view.ents_within(appos)
            words = [t for t in appos if not t.is_punct]
            if 3 <= len(words) <= 5 and all(t.pos_ == "PROPN" and t.text[:1].isupper() for t in words) \
                    and sum(e.label_ == "PERSON" for e in appos_ents) > 1:
                # "Juma Kassim Hamad Abdallah", tagged as two people
                return self.canonical_person(" ".join(t.text for t in words)), None
            person = next((e for e in appos_ents if e.label_ == "PERSON" and e.start <= appos.root.i < e.end), None)
            if person is not None:
                return self.canonical_person(person.text), None
            if appos.root.pos_ == "PROPN":
                return _clean(appos.text), None
        org = next((e for e in ents if e.label_ in ("ORG", "FAC") and e.start <= mention.root.i < e.end), None)
        if org is not None:
            person = self.canonical_person(org.text)  # spaCy often tags "Macron's" as ORG
            return (person if person in self.people else _clean(org.text)), None
        if in_name:
            end = in_name[0].end
            while end < mention.end and mention.doc[end].pos_ == "PROPN":
                end += 1
            return _clean(mention.doc[mention.start:end].text), None
        if _is_role_noun(mention, ents, self.lex.role_nouns):
            known = self._role_antecedent(mention)
            if known is not None:
                return known.name, known.actor
        fuller = self._fuller_phrase(mention, ents)
        if fuller is not None:
            return _clean(fuller), self.gaz.actor(fuller)
        if any(t.pos_ == "PROPN" for t in mention) and len(mention) <= 3 and not _placed_role(mention, self.lex.role_nouns):
            return self.canonical_person(mention.text), None
        titled = name_after_title(mention, self.lex.person_roles)
        if titled is not None:  # "Regional Relations and Cooperation Minister Grace Banda", the name untagged
            return self.canonical_person(titled.text), None
        return _clean(mention.text) or None, None

    def _issuer(self, mention: Span, history: list[_Known]) -> _Known | None:
        """ "the statement said" -> whoever issued the statement named before ("the ministry said
        in a statement that ..."): the speaker of the last earlier sentence with that noun."""
        root = mention.root
        lemma = root.lemma_.lower()
        if lemma not in self.lex.source_nouns | _DOCUMENTS or lemma in self.lex.role_nouns:
            return None
        if mention[0].lower_ in ("a", "an") and len(mention) == 2:
            # "The Serbian Foreign Ministry responded, declaring ... '...,' a statement said": a text
            # of whoever spoke last in the paragraph
            return self._paragraph_speaker(mention, history)
        if mention[0].lower_ not in ("the", "this", "that"):
            return None
        earlier = [t for t in self.view.tokens_with(LEMMA=(root.lemma_,)) if t.i < mention.start]
        if not earlier and lemma in _DOCUMENTS:
            # "said in a statement" ... "the document continues", "announced in a press release"
            # ... "the text adds": the same text named another way
            earlier = [t for t in self.view.tokens_with(LEMMA=tuple(_DOCUMENTS), POS=("NOUN",))
                       if t.i < mention.start]
        if not earlier:
            return None
        sent = earlier[-1].sent
        spoke = [k for k in history if sent.start_char <= k.position < min(sent.end_char, mention.start_char)]
        if spoke:
            return spoke[0]
        return self._releaser(earlier[-1])

    def _paragraph_speaker(self, mention: Span, history: list[_Known]) -> _Known | None:
        """The last speaker before ``mention`` in its paragraph, if any."""
        start = self.doc.text.rfind("\n", 0, mention.start_char) + 1
        return next((k for k in reversed(history) if start <= k.position < mention.start_char), None)

    def _releaser(self, noun: Token) -> _Known | None:
        """Who released the statement named before, when nothing they said was quoted there:
        "Pakistan has released a statement asserting ..." -> Pakistan."""
        verb = noun.head
        if noun.dep_ != "dobj" or verb.pos_ not in ("VERB", "AUX"):
            return None
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subject is None or subject.pos_ not in ("PROPN", "NOUN"):
            return None
        mention = self.doc[subject.left_edge.i : subject.i + 1]
        actor = self.gaz.actor(mention.text)
        if actor is None and subject.pos_ != "PROPN":
            return None
        return _Known(_clean(mention.text), "group", subject.idx, mention.text, actor)

    def canonical_person(self, name: str) -> str:
        """ "Putin" -> "Vladimir Putin": the longest name in the article ending the same way."""
        name = _strip_titles(_clean(name), self.lex.role_nouns)
        # a transcript label in capitals ("PENCE") names the person as the article writes them
        words = name.title().split() if name.isupper() else name.split()
        fuller = [full for full in self.people
                  if len(full.split()) > len(words) and _same_words(full.split()[-len(words):], words)]
        if not fuller:
            return self._only_name_with(words) or name
        # "Trump" in an article that also names Melania Trump: a surname alone is the person
        # introduced first (news style names the others in full), then the longest name
        return min(fuller, key=lambda full: (self._introduced.get(full, 1 << 30), -len(full.split()), full))

    def _only_name_with(self, words: list[str]) -> str | None:
        """The one full name in the article that holds a one-word mention not at its end: a
        first surname ("Irigoyen" for "Claudia Irigoyen Mata": Spanish names carry two), or
        a given name where it is the name of address ("Tesfaye" for "Tesfaye Mekonnen")."""
        if len(words) != 1 or not words[0][:1].isupper() or len(words[0]) < 2 \
                or (len(words[0]) == 2 and (not words[0][1:].islower() or words[0].lower() in STOP_WORDS)):
            return None  # a two-letter surname first ("Li" for "Li Xi"), never "He" or "UN"
        holders = [full for full in self.people if len(full.split()) > 1 and words[0] in full.split()[:-1]]
        return holders[0] if len(holders) == 1 else None

    def _antecedent(self, kind: str, position: int, history: list[_Known], gender: str | None = None) -> _Known | None:
        want = "person" if kind == "person" else "group"
        # "He urged ...", then "She called for ...": not the person the story called "he"
        other = {k.name for k in history if gender and k.gender and k.gender != gender}
        spoken = next((k for k in reversed(history) if k.kind == want and k.position < position
                       and k.name not in other), None)
        if want == "person":
            # "Minister X was unmoved. '...,' he said": the person the narration last made its
            # subject, when that comes after the last speaker
            subject = next((k for k in reversed(self.described) if k.kind == "person" and k.subject
                            and k.position < position and k.name not in other
                            and not any(a <= k.position < b for a, b in self._quote_spans)), None)
            if subject is not None and (spoken is None or subject.position > spoken.position):
                return subject
        if spoken is not None:
            return spoken
        if want == "person":
            earlier = [k for k in self.described if k.kind == "person" and k.position < position
                       and k.name not in other and not any(a <= k.position < b for a, b in self._quote_spans)]
            return earlier[-1] if earlier else None
        return None

    def _group_antecedent(self, position: int, history: list[_Known], singular: bool = False) -> _Known | None:
        """ "They": the nearest earlier group, as a speaker or as the subject of narration; "it"
        (``singular``) skips plural ones ("analysts", "officials"): it is a body, not a crowd."""
        earlier = [k for k in history if k.kind == "group" and k.position < position]
        earlier += [k for k in self.groups if k.position < position and (singular or not k.singular)]
        if singular:
            earlier = [k for k in earlier if not _plural_common(k.descriptor or k.name)]
        if not earlier:
            return None
        known = max(earlier, key=lambda k: k.position)
        if known.actor is None:
            # "..., the foreign ministry in Tokyo said" and later "it said": the subject of narration
            # is the speaker whose side the place gave
            sided = next((k for k in reversed(earlier) if k.name == known.name and k.actor is not None), None)
            if sided is not None:
                return sided
        return known

    def _group_subjects(self, quotes: list[RawQuote]) -> list[_Known]:
        """Subjects of narration that "they" can refer to: "Polish police closed the road"."""
        out = []
        for tok in self.view.tokens_with(DEP=("nsubj", "nsubjpass"), POS=("NOUN", "PROPN")):
            if any(q.start <= tok.idx < q.end for q in quotes):
                continue  # a subject inside reported content is not a source
            pair = self._person_pair(tok)
            if pair is not None:
                out.append(pair)
                continue
            span = self._group_mention(tok)
            if span is None:
                # "Moscow denounced what it called ...", "the Congolese government denounces what it
                # calls ...": a country, or its government, that the story makes its subject
                start, end = _mention(tok)["span"]
                country = self.gaz.actor(self.doc[start:end].text) \
                    if tok.ent_type_ == "GPE" or tok.lemma_.lower() in _GOVERNMENT_NOUNS else None
                if country is not None and self.gaz.kind(country) == "country" and tok.tag_ not in ("NNS", "NNPS"):
                    out.append(_Known(country, "group", tok.idx, tok.text, country, singular=True))
                elif self._singular_body(tok):
                    # "Thailand's foreign ministry issued a message in which it urged ...": that ministry
                    body = self.doc[start:end]
                    appos = _mention(tok)["appos"]
                    name, hint = self._name(body, self.doc[appos[0]:appos[1]] if appos else None, [])
                    if name:
                        actor = self._actor(body, None, name, hint) or self.sides.placed_in(tok)
                        out.append(_Known(name, "group", tok.idx, body.text, actor, singular=True))
                continue
            name, hint = self._name(span, None, [])
            if name and name not in self.people:  # spaCy tags some surnames as ORG
                actor = self._actor(span, None, name, hint)
                out.append(_Known(name, "group", tok.idx, span.text, actor))
        return out

    def _person_pair(self, tok) -> _Known | None:
        """ "The UN coordinator, X, and the peacekeepers' commander, Y, released a joint statement":
        two people joined by "and" are what a later "they said" refers to, speaking for the first's
        side (the side both share, where the gazetteer gives it)."""
        if tok.lemma_.lower() not in self.lex.person_roles and tok.ent_type_ != "PERSON":
            return None
        # the parser may hang the second on the first one's appositive: "X, Anna Berg, and the head ..."
        holders = [tok] + [c for c in tok.children if c.dep_ == "appos"]
        other = next((c for h in holders for c in h.children if c.dep_ == "conj"), None)
        if other is None or (other.lemma_.lower() not in self.lex.person_roles and other.ent_type_ != "PERSON"):
            return None
        found = _mention(tok)
        start, end = found["span"]
        cut = [c.i for c in tok.children if c.dep_ in ("cc", "conj")]
        span = self.doc[start : min([end, *cut])]
        appos = self.doc[found["appos"][0] : found["appos"][1]] if found["appos"] else None
        name, hint = self._name(span, appos, [])
        if not name:
            return None
        return _Known(name, "group", tok.idx, span.text, self._actor(span, appos, name, hint))

    def _singular_body(self, tok) -> bool:
        """A body named in the singular ("the foreign ministry", "the company"): what "it" refers to."""
        head = tok.lemma_.lower()
        return tok.tag_ in ("NN", "NNP") and (head in _STATE_BODIES or head in _BODY_NOUNS or head in self.lex.civil_bodies)

    def _group_mention(self, tok) -> Span | None:
        """The mention headed by ``tok`` when it names a group or an institution."""
        start, end = _mention(tok)["span"]
        span = self.doc[start:end]
        if tok.ent_type_ == "ORG":
            return span
        named = any(e.label_ in ("ORG", "NORP", "GPE") for e in self.view.ents_within(span))
        plural = tok.tag_ in ("NNS", "NNPS")
        if plural and (named or tok.lemma_.lower() in self.lex.role_nouns or tok.lower_ in self.lex.role_nouns
                       or self.gaz.actor(span.text) is not None):
            return span
        return None

    def _role_antecedent(self, mention: Span) -> _Known | None:
        """ "the minister" -> the last entity introduced as a minister."""
        head = mention.root.lemma_.lower()
        modifiers = {t.lower_ for t in mention if t.i != mention.root.i and not t.is_stop}
        # "the foreign ministry" is not the Defence Ministry named before: an office word must match
        offices = modifiers & self.lex.state_roles
        candidates = [k for k in self.described if k.position < mention.start_char
                      and head in k.descriptor.lower().split() and offices <= set(k.descriptor.lower().split())]
        country = self.gaz.actor(mention.text)
        if country is not None and self.gaz.kind(country) == "country":
            # "the Panamanian president" is not "President Donald Trump" named before
            candidates = [k for k in candidates if not self._other_country(k, country)]
        if not candidates:
            return self._body_antecedent(mention) if head in self.lex.civil_bodies or head in _BODY_NOUNS else None
        full = [k for k in candidates if modifiers <= set(k.descriptor.lower().split())]
        last = (full or candidates)[-1]
        if not last.subject:
            # "Sewilam met the ambassadors in the presence of Foreign Minister X. ... the minister
            # noted": the subject of the sentence that names both, not the one named in passing
            sent = self._sentence_at(last.position)
            span = self.doc.char_span(sent[0], last.position, alignment_mode="contract")
            subjects = [t.text for t in span or () if t.dep_ in ("nsubj", "nsubjpass") and t.pos_ == "PROPN"]
            if span is not None and len(span) and not span[0].tag_:
                subjects.append(span[0].text)  # a paragraph left unparsed: the name that opens it
            named = [k for k in full or candidates if k is not last and any(w in k.name.split() for w in subjects)]
            if named:
                return named[-1]
        return last

    def _sentence_at(self, char: int) -> tuple[int, int]:
        span = self.doc.char_span(char, char + 1, alignment_mode="expand")
        return (span.sent.start_char, span.sent.end_char) if span is not None else (char, char)

    def _other_country(self, known: _Known, country: str) -> bool:
        """Whether ``known`` stands for a country other than ``country``, by its description or name."""
        side = known.actor or self.gaz.actor(known.name)
        return side is not None and side != country and self.gaz.kind(side) == "country"

    def _body_antecedent(self, mention: Span) -> _Known | None:
        """ "The alliance said" after "NATO scrambled jets", "the company said" after "NordAir
        cancelled flights": the organisation the story made the subject of a sentence just before
        (in the last two paragraphs), when none was described with the noun."""
        window = mention.start_char - _BODY_WINDOW_CHARS
        for known in reversed(self.described):
            if known.position >= mention.start_char or known.position < window:
                continue
            if known.kind == "group" and known.subject and not self._in_quote(known.position) \
                    and (known.actor is None or self.gaz.kind(known.actor) in ("organisation", "bloc")):
                return known
        return None

    def _in_quote(self, position: int) -> bool:
        return any(a <= position < b for a, b in self._quote_spans)

    def _fuller_phrase(self, mention: Span, ents: list[Span]) -> str | None:
        """ "The authorities" -> an earlier "the Belarusian authorities"."""
        if mention[0].lower_ not in ("the", "these", "those") or ents:
            return None
        root = mention.root
        words = {t.lower_ for t in mention}
        best = None
        if self._chunks is None:
            self._chunks = list(self.doc.noun_chunks)
        for chunk in self._chunks:
            if chunk.start_char >= mention.start_char:
                break
            if chunk.root.lemma_.lower() == root.lemma_.lower() and words < {t.lower_ for t in chunk}:
                best = chunk.text
        return best

    def _described_entities(self) -> list[_Known]:
        """Named entities with the words that describe them ("Defense Minister ...")."""
        out = []
        for ent in self.view.ents:
            if ent.label_ not in ("PERSON", "ORG") or self._dateline_start <= ent.start_char < self._story_start:
                continue  # the dateline's place is no one ("(Tboung Khmum): ... He said")
            descriptor = _descriptor(ent, self._story_start)
            name = self.canonical_person(ent.text) if ent.label_ == "PERSON" else _clean(ent.text)
            kind = "person" if ent.label_ == "PERSON" else "group"
            actor = actor_beside_name(self.gaz, descriptor, ent.text) if kind == "person" \
                else self.gaz.actor(descriptor)
            out.append(_Known(name, kind, ent.start_char, descriptor, actor, _is_subject(ent)))
        out += self._described_chunks()
        out += self._introduced_roles([k for k in out if k.kind == "person"])
        out += self._surname_subjects(out)
        return sorted(out, key=lambda k: k.position)

    def _surname_subjects(self, known: list[_Known]) -> list[_Known]:
        """A person the story named in full, made a subject again by a surname the tagger left
        untagged: "Balazs Szentes ..." then "Szentes later doubled down. '...'" (not one it tagged as
        a place or a body: on PolNeAR copy that is more often someone else's name in the sentence)."""
        by_surname = {}
        for k in known:
            if k.kind == "person" and len(k.name.split()) >= 2:
                by_surname.setdefault(k.name.split()[-1], k)
        out = []
        for tok in self.view.tokens_with(DEP=("nsubj",), POS=("PROPN", "NOUN")):  # the tagger may call it a noun
            first = by_surname.get(tok.text)
            if first is not None and not tok.ent_type_ and first.position < tok.idx and tok.text[:1].isupper():
                out.append(_Known(first.name, "person", tok.idx, first.descriptor, first.actor, subject=True))
        return out

    def _introduced_roles(self, persons: list[_Known] = ()) -> list[_Known]:
        """Unnamed people the narration introduces as its subject: "A government spokesman in
        Libreville went further. '...,' he said" (the indefinite article makes a new person), and
        "The Guyanese president replied in an address" (a definite role that names its side: that
        role's holder named before, ``persons``, else a new person)."""
        out = []
        for tok in self.view.tokens_with(DEP=("nsubj",), POS=("NOUN",)):
            if tok.lower_ not in self.lex.person_roles or tok.ent_type_:
                continue
            if tok.head.lemma_.lower() in self.lex.cue_verbs and (
                    any(c.dep_ in ("ccomp", "dobj") for c in tok.head.children)
                    or any(ch in tok.sent.text for ch in '"“”')):
                continue  # "A spokesman for X said": a speaker, remembered as one
            start, end = _mention(tok)["span"]
            if self.doc[start].idx < self._story_start:
                continue
            phrase = self.doc[start + 1 : end].text
            actor = self.gaz.actor(phrase)
            if self.doc[start].lower_ not in ("a", "an"):
                # "The Guyanese president responded in an address. '...,' he said": a definite role
                # is a person the narration makes its subject where it names the side; the named
                # person the story gave that role before, if any
                if self.doc[start].lower_ != "the" or actor is None or self.gaz.kind(actor) != "country":
                    continue
                named = [k for k in persons if k.position < tok.idx and k.actor == actor
                         and tok.lower_ in k.descriptor.lower().split()]
                if named:
                    out.append(_Known(named[-1].name, "person", tok.idx, named[-1].descriptor, actor, subject=True))
                    continue
            out.append(_Known(_clean(phrase), "person", tok.idx, phrase, actor, subject=True))
        # "(Tboung Khmum): Cambodian Minister of National Defence Tea Seiha unveiled ...": the parser
        # makes the dateline's place the subject and the titled person, whose name the tagger left
        # untagged, its appositive; that person is the subject a later "he" refers to
        for tok in self.view.tokens_with(DEP=("nsubj",), POS=("PROPN",)):
            if not self._dateline_start <= tok.idx < self._story_start:
                continue
            appos = next((c for c in tok.children if c.dep_ == "appos" and c.idx >= self._story_start), None)
            span = self.doc[appos.left_edge.i : appos.right_edge.i + 1] if appos is not None else None
            if span is None or not _untagged_name(span) or not any(t.lower_ in self.lex.person_roles for t in span):
                continue
            words = _name_tail(span).split()
            while len(words) > 2 and words[0].lower() in self.lex.state_roles:
                words.pop(0)  # "National Defence Tea Seiha": the office's words, then the name
            name = " ".join(words)
            out.append(_Known(name, "person", appos.idx, span.text, actor_beside_name(self.gaz, span.text, name),
                              subject=True))
        return out

    def _described_chunks(self) -> list[_Known]:
        """Noun phrases with a named appositive: 'the news agency "Yelta"'."""
        out = []
        for tok in self.view.tokens_with(DEP=("appos",), POS=("PROPN",)):
            if tok.head.pos_ == "NOUN":
                head = tok.head
                phrase = self.doc[head.left_edge.i : head.i + 1].text
                out.append(_Known(_clean(tok.text), "group", head.idx, phrase, self.gaz.actor(phrase)))
        return out

    # -- actors --------------------------------------------------------------
    def _actor(self, mention: Span, appos: Span | None, name: str | None, hint: str | None) -> str | None:
        person = name if name and name in self.people else ""
        for span in (mention, appos):
            if span is not None and not (span is appos and _former(appos)):
                actor = actor_beside_name(self.gaz, span.text, person) if person else self.gaz.actor(span.text)
                if actor is not None:
                    return actor
        if hint is not None:
            return hint
        if name:
            for known in self.described:
                if known.name == name and known.actor is not None:
                    return known.actor
            return actor_beside_name(self.gaz, name, name)
        return None

    def _kind_of(self, speaker: Speaker) -> str:
        mention = (speaker.mention or "").lower()
        pronoun = self.lex.pronoun_kind(mention)
        if pronoun in ("group", "thing"):
            return "group"  # "they said", whatever name spaCy took for a person's
        if pronoun == "person" or (speaker.name and speaker.name in self.people):
            return "person"
        words = re.findall(r"[a-z]+", mention.split(",")[0])
        if words and words[-1] in self.lex.person_roles:
            return "person"  # "the official said ... he added": a person, though unnamed
        if any(w in self.lex.person_roles and nxt == "of" for w, nxt in zip(words, words[1:])):
            return "person"  # "Eritrea's Minister of Information, X": a role with what it is of
        span = self.doc.char_span(speaker.start, speaker.end, alignment_mode="expand") if speaker.end else None
        if span is not None and span.end < len(self.doc) and self.doc[span.end].lower_ in self.lex.person_roles:
            return "person"  # "a Foreign Ministry spokeswoman", named by her ministry: still a she
        if span is not None and self._described_as_person(span):
            return "person"  # "Ingvild Haugstad, a coast guard spokeswoman, told reporters. She said"
        if span is not None and _untagged_name(span) and self.gaz.actor(span.text) is None:
            return "person"  # "Prefect Bernard Lacoste told Reuters. He said": a name spaCy left untagged
        if span is not None and name_after_title(span, self.lex.person_roles) is not None:
            return "person"  # "ministry spokesperson Hikmat Hajiyev", the name tagged as a body
        if span is not None and span.root.lower_ in self.lex.person_roles:
            return "person"  # "a spokesman for the fishermen who declined to be named ... He said"
        if span is not None and _named_who(span) and self.gaz.actor(span.text) != span.text:
            return "person"  # "Ruiz, who won the election, said ... She noted": a name spaCy left untagged
        return "group"


    def _described_as_person(self, span: Span) -> bool:
        """A mention followed by an appositive whose head is a person's role: ", a coast guard spokeswoman,",
        ", Ukraine's trade representative,"."""
        doc = span.doc
        if span.end + 2 >= len(doc) or doc[span.end].text != ",":
            return False
        if doc[span.end + 1].lower_ in ("a", "an", "the"):
            first = span.end + 2
        elif doc[span.end + 1].pos_ == "PROPN" and doc[span.end + 2].tag_ == "POS":
            first = span.end + 3  # ", Ukraine's trade representative,"
        else:
            return False
        for tok in doc[first : span.end + 8]:
            if tok.is_punct:
                return False
            if tok.lower_ in self.lex.person_roles and (tok.i + 1 == len(doc) or doc[tok.i + 1].pos_ != "NOUN"):
                return True
        return False


# Verbs whose subject undergoes what the clause reports, so does not announce it.
_UNDERGONE = frozenset({"receive", "suffer", "sustain", "incur", "undergo"})


def _named_who(span: Span) -> bool:
    """A proper name that ", who" describes: "Ruiz, who won the election, said"."""
    doc = span.doc
    return span.end + 1 < len(doc) and doc[span.end].text == "," and doc[span.end + 1].lower_ == "who" \
        and all(t.pos_ == "PROPN" and t.text[:1].isupper() for t in span)


def _closing_name(people: list[Span], mention: Span) -> Span | None:
    """The full name that ends a titled mention, over a single word before it the tagger also
    read as a person: "Peter Mwale" in "Vice Premier for Law and Security Peter Mwale"."""
    last = people[-1] if people else None
    if last is None or len(people) < 2 or last.end != mention.end or len(last) < 2 \
            or any(len(e) > 1 for e in people[:-1]):
        return None
    return last


def _untagged_name(span: Span) -> bool:
    """A person's name the parser tagged as nothing: two or more capitalised proper nouns at
    the end of the mention, in no entity."""
    return len(_name_tail(span).split()) >= 2


def _name_tail(span: Span) -> str:
    """The capitalised proper nouns in no entity that end ``span`` ("Tea Seiha")."""
    tail = []
    for tok in reversed(span):
        if tok.pos_ != "PROPN" or not tok.text[:1].isupper() or tok.ent_type_:
            break
        tail.append(tok)
    return " ".join(t.text for t in reversed(tail))


def _whole_word_end(doc: Doc, end: int) -> int:
    """The end of a mention that the parser cut inside a hyphenated name ("al" of "al-Shatti")."""
    while end + 1 < len(doc) and not doc[end - 1].whitespace_ and doc[end].text in ("-", "‑") \
            and not doc[end].whitespace_ and doc[end + 1].is_alpha:
        end += 2
    return end


def _former(appos: Span) -> bool:
    """Whether an appositive gives a past office ("Kallas, a former Estonian prime minister"): the
    side is then the one the article's first description of the person gives ("the EU's top
    diplomat Kaja Kallas"), which is this one when there is no other."""
    return any(t.lower_ == "former" for t in appos)


# Nouns for one written text, which a story names one way and then another
_DOCUMENTS = frozenset({"statement", "document", "communique", "communiqué", "declaration", "release", "text"})


def _is_subject(ent: Span) -> bool:
    """Whether an entity is the subject of its clause, or in apposition to it
    ("Greenland's minister, Malik Berthelsen, was more downbeat")."""
    root = ent.root
    if root.dep_ == "appos":
        root = root.head
        # "the envoy to Belarus, John Coale, said": the parse sets the name beside "Belarus"
        while root.dep_ in ("pobj", "prep") and root.head is not root:
            root = root.head
    return root.dep_ in ("nsubj", "nsubjpass")


def _in_name_of(person: Span, head: Token) -> bool:
    """Whether a person the parser found is words of an organisation's name, set after a
    preposition of its capitalised head ("The Citizens' Forum for Wartime Labour Victims",
    "the Friends of John Smith Society"), not the person who speaks. A common noun's
    ("a spokesman for Prime Minister X") and a title's ("Minister of Justice X") are left as they were."""
    if head.pos_ != "PROPN" or head.ent_type_ == "PERSON":
        return False
    tok = person.root
    while tok.head.i != tok.i and tok.i != head.i:
        if tok.dep_ == "pobj" and tok.head.dep_ == "prep" and tok.head.head.i == head.i:
            return True
        tok = tok.head
    return False


def _same_words(a: list[str], b: list[str]) -> bool:
    """Equal word lists, forgiving one typo in a long name ("Marcon" for "Macron")."""
    if len(a) != len(b):
        return False
    return all(x == y or (len(x) >= 5 and x[0] == y[0] and _one_edit(x, y)) for x, y in zip(a, b))


def _one_edit(x: str, y: str) -> bool:
    """Damerau distance of at most one (a swap, a substitution, one letter more or less)."""
    if abs(len(x) - len(y)) > 1:
        return False
    if len(x) == len(y):
        diff = [i for i in range(len(x)) if x[i] != y[i]]
        if len(diff) == 2 and diff[1] == diff[0] + 1:
            return x[diff[0]] == y[diff[1]] and x[diff[1]] == y[diff[0]]
        return len(diff) <= 1
    short, long_ = sorted((x, y), key=len)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def _strip_titles(name: str, titles) -> str:
    """ "Councillor Ruth Adler" -> "Ruth Adler": titles are roles, not names."""
    words = name.split()
    while len(words) > 1 and words[0].lower().rstrip(".") in titles:
        words = words[1:]
    return " ".join(words)


def _person_names(ents: tuple[Span, ...], titles=frozenset()) -> list[str]:
    names = {_strip_titles(_clean(e.text), titles) for e in ents if e.label_ == "PERSON"}
    return sorted(names, key=lambda n: (-len(n), n))  # longest first; ties in a fixed order


def _descriptor(ent: Span, story_start: int = 0) -> str:
    """The entity with its titles and appositive: "Belarusian Defense Minister Viktor Khrinin"
    (never the dateline before ``story_start``)."""
    root = ent.root
    start = min([ent.start] + [t.i for t in root.lefts if t.dep_ in ("compound", "amod", "poss", "nmod")
                                and t.i < ent.start for t in t.subtree if t.idx >= story_start])
    while start > 0 and not root.tag_ and not ent.doc[start].is_sent_start and ent.doc[start - 1].is_title \
            and not ent.doc[start - 1].tag_ and ent.doc[start - 1].idx >= story_start:
        start -= 1  # an unparsed paragraph: "British Foreign Secretary Helen Marsh" by its capitals
    text = ent.doc[start : ent.end].text
    appos = next((c for c in root.rights if c.dep_ == "appos"), None)
    if appos is not None:
        text += ", " + ent.doc[appos.left_edge.i : appos.right_edge.i + 1].text
    if root.dep_ == "appos":
        head = root.head
        if head.dep_ == "pobj" and head.head.dep_ == "prep":
            # "the envoy to Belarus, John Coale": the parse sets the name beside "Belarus"
            head = head.head.head
            return ent.doc[head.left_edge.i : ent.start].text.rstrip(" ,") + " " + text
        text = ent.doc[head.left_edge.i : head.i + 1].text + " " + text
    return text


_PLACING_PREPOSITIONS = frozenset("in at near from on of along across inside outside around".split())


def _plural_common(mention: str) -> bool:
    """Whether a mention's head is a plural common noun ("defence analysts", "Polish officials",
    "residents in the area"); a name ("Reuters", "the Philippines") or a singular noun ("the
    ministry", "the head of the militias") is no plural."""
    words = mention.split()
    # the head noun comes before a phrase that places or qualifies it: "residents in the area"
    cut = next((i for i, w in enumerate(words) if i and w in _PLACING_PREPOSITIONS), len(words))
    last = words[cut - 1] if cut else ""
    return last.islower() and last.endswith("s") and not last.endswith(("ss", "us", "is"))


def _placed_role(mention: Span, role_nouns) -> bool:
    """ "Officials in Caracas", "diplomats at the UN": a role placed by a name is no person's name."""
    root = mention.root
    return root.pos_ == "NOUN" and (root.lemma_.lower() in role_nouns or root.lower_ in role_nouns) \
        and any(t.dep_ == "prep" and t.head.i == root.i for t in mention)


def _is_role_noun(mention: Span, ents: list[Span], role_nouns) -> bool:
    """ "The Belarusian Defense Minister", "the agency": a described, unnamed source."""
    first = mention[0].lower_
    root = mention.root
    if first not in ("the", "his", "her", "its", "their") or root.tag_ in ("NNS", "NNPS"):
        return False
    if root.lemma_.lower() not in role_nouns and root.lower_ not in role_nouns:
        return False
    return not any(e.label_ in ("PERSON", "ORG", "GPE") for e in ents)


def _clean(name: str) -> str:
    name = " ".join(name.split()).strip(" ,;:\"“”'’")
    name = _DETERMINERS.sub("", name)
    return _POSSESSIVE.sub("", name) if name.endswith(("’s", "'s")) else name

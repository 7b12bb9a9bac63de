"""Find quotes in a parsed article: spans, kinds, cues and speaker mentions.

Two sources of evidence meet here. Quotation marks (``marks.py``) say where
verbatim words are; the dependency parse says which clause a cue verb
reports and who its subject is. A clause that lies inside marks is a direct
quote, one that carries marked fragments is mixed, one without marks is
indirect. Marked stretches that no cue claims are attributed by layout
(colon introductions, dash attributions, a quote continuing the previous
speaker) or dropped as scare quotes and titles.
"""
from __future__ import annotations

import copy
import re
from bisect import bisect_right
from dataclasses import dataclass, replace
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from quoteframe.extraction.docview import DocView
from quoteframe.extraction.lexicon import Lexicon
from quoteframe.extraction.marks import CLOSERS, OPENERS, MarkSpan, find_mark_spans, paragraph_bounds

_TRIM_TAIL = ",;:—–- \t\n."
_TRIM_HEAD = ",;:—–- \t\n"
_CLOSING = "”\"»’'"
_SUBJECTS = ("nsubj", "nsubjpass", "csubj")
_NARRATED_SPEECH = ("speak", "echo")  # "X spoke about ...", "X echoed his comments." before a quote paragraph introduce X (with the cues)
_PRESS_WORDS = ("press", "media")  # "press office", "media office": the body's, not a news outlet's
_CLIMB = ("advcl", "xcomp", "pcomp", "acl", "conj", "ccomp", "dep", "prep", "pobj", "relcl")
_MENTION_RIGHT = ("prep", "compound", "conj", "cc", "nmod", "nummod", "flat", "poss", "case")
_TIME_ENTITIES = ("DATE", "TIME")
# "PENCE: Well, ..." / "Sanders: Clinton needs ...": up to four capitalised words and a colon open the paragraph.
_SPEAKER_LABEL = re.compile(r"\s*[\"“]?\s*([A-Z][\w.’'-]*(?: [A-Z][\w.’'-]*){0,3}):\s+")
_MAX_MEDIAL_WORDS = 10  # ", advisers to Mr. Obama say," but not a clause of its own
_MAX_STRANDED_WORDS = 25
_ATTRIBUTION_BREAKS = (",", "—", "–", "--", "-", "”", '"', "''", "’", "'")
_MIN_UNATTRIBUTED_WORDS = 6
_MODALS = frozenset({"should", "must", "can", "could", "may", "might"})  # "It should be noted that": an aside
# "responded to claims that", "scoffed at suggestions that"; not "said in a statement that"
_NOUN_PREPS = ("to", "at", "against", "on", "off", "about", "of")
_NESTED_COVER = 0.5  # an inner quote covering this much of an outer one replaces it
# content found through an object or a preposition, not a clause: "blamed X for Y", "warned of Y"
_FRAGMENT_RULES = ("object", "object-complement", "prepositional", "infinitive")


@dataclass
class RawQuote:
    """A quote before speaker resolution: char span, kind and token spans."""

    start: int
    end: int
    kind: str
    cue: tuple[int, int] | None = None  # char span of the cue words
    speaker: tuple[int, int] | None = None  # token span [i, j) of the speaker mention
    appos: tuple[int, int] | None = None  # token span of an appositive ("Yelta", "a doctor")
    via: tuple[int, int] | None = None  # token span of the outer source
    inherit: bool = False  # speaker is the previous quote's (continuation)
    rule: str = ""
    speaker_char: int | None = None  # char offset of the speaker mention
    evidence: bool = False  # "the strike proved that": a thing, not a source, is the subject
    modal: bool = False  # "would ask X to Y": the cue verb carries a modal, as a reported verb does
    narrated: bool = False  # "said it had been ignored and called on X": a simple past after a backshifted one

    @property
    def length(self) -> int:
        return self.end - self.start


class Extractor:
    """Turns a spaCy ``Doc`` into ``RawQuote``s.

    >>> # doc = nlp("He added that the plan failed.")
    >>> # [text[q.start:q.end] for q in Extractor(lexicon).extract(doc)]
    >>> # ['the plan failed']
    """

    def __init__(self, lexicon: Lexicon):
        self.lex = lexicon

    # -- public -----------------------------------------------------------
    def extract(self, doc: Doc, view: DocView | None = None) -> list[RawQuote]:
        """The raw quotes of ``doc``, by start; ``view`` shares look-ups with the speaker resolver."""
        # The steps keep per-article state on the instance: each call gets its own copy,
        # so a service may extract in several threads with one Extractor.
        return copy.copy(self)._extract(doc, view or DocView(doc))

    def _extract(self, doc: Doc, view: DocView) -> list[RawQuote]:
        text = doc.text  # spaCy rebuilds doc.text on each access: keep one copy
        self._text = text
        self._doc = doc
        self._view = view
        verbs = self._view.tokens_with(POS=("VERB", "AUX"))
        self._cues = [t.i for t in verbs if self.is_cue(t)]
        # "rejected reports that ...": verbs that report a noun cue's clause without being cues
        self._noun_verbs = [t.i for t in verbs if t.lemma_.lower() in self.lex.noun_cue_verbs
                            and not self.is_cue(t) and _finite_or_participle(t)]
        self._according = [t.i for t in self._view.tokens_with(LOWER=("according",))]
        self._as_reported = [t.i for t in self._view.tokens_with(LOWER=("reported",)) if _as_reported_by(t)]
        self._datelines = _datelines(text)
        marks = find_mark_spans(text)
        inside = _mark_index(len(text), marks)
        self._inside = inside
        self._marks = marks
        cands = self._verb_quotes(doc, inside) + self._according_quotes(doc, inside)
        cands = [c for c in (self._apply_marks(c, marks, text) for c in cands) if c is not None]
        cands += self._paragraph_quotes(doc)
        cands = _resolve_overlaps(cands, doc)
        cands += self._unclaimed_marks(doc, marks, cands)
        cands = _merge_split_quotes(_resolve_overlaps(cands, doc), marks, text)
        cands = [q for q in (_tidy(q, text) for q in cands) if q is not None]
        headline = _headline_end(text)
        subheads = _subheads(text)
        cands = [_after_dateline(q, self._datelines) for q in cands
                 if q.start >= headline and not any(a <= q.start < b for a, b in subheads)]
        return sorted(cands, key=lambda q: q.start)

    # -- cue verbs --------------------------------------------------------
    def is_cue(self, tok: Token) -> bool:
        if tok.pos_ not in ("VERB", "AUX"):
            return False
        lemma = tok.lemma_.lower()
        if lemma in self.lex.document_verbs:
            # "the statement reads": only a text that speaks
            return any(c.dep_ == "nsubj" and c.lemma_.lower() in self.lex.source_nouns for c in tok.children)
        if lemma in self.lex.quoting_verbs:
            # '"...," the paper quoted X as saying': the quote hangs on "quoted", not on "saying"
            return any(c.lower_ == "as" and any(g.lemma_.lower() in self.lex.speech_verbs for g in c.children)
                       for c in tok.children)
        if tok.lower_ == "reported" and _as_reported_by(tok) is not None:
            return False  # "..., as reported by X": an attribution, read as "according to X"
        if tok.lower_ in self.lex.rebuttal_cues and _named_as(tok) is not None:
            return True  # "rejected the claims as “baseless”": the quoted words are the speaker's
        if self._characterised(tok) is not None:
            return True  # "condemned the closure as a provocation"
        if lemma not in self.lex.cue_verbs and not (
                lemma in self.lex.phrasal_cues
                and any(c.dep_ == "prt" and c.lower_ in self.lex.phrasal_cues[lemma] for c in tok.children)):
            return False
        if tok.dep_ in ("amod", "acl", "auxpass", "aux") and not _verb_read_as_modifier(tok) \
                and not self._issued_saying(tok):
            return False
        if _reporters_aside(tok):
            return False
        if any(c.dep_ == "mark" and c.lower_ == "for" for c in tok.children) \
                and any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children) \
                and (tok.head.pos_ == "ADJ" or any(c.dep_ == "acomp" for c in tok.head.children)):
            # "it would be better for Baghdad to remind its fishermen where ...": what someone
            # should say, unsaid (not "only for Trump to tweet that ...", which he did)
            return False
        if tok.dep_ == "relcl" and tok.tag_ == "VB" and tok.head.pos_ == "NOUN" \
                and any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children) \
                and tok.head.lemma_.lower() not in self.lex.role_nouns | self.lex.source_nouns:
            return False  # "there were reasons to believe that ...": no one believes; not "the first leader to say"
        return not _bare_passive_participle(tok)

    def _inside_reported_clause(self, tok: Token) -> bool:
        """Whether ``tok`` is in the content clause of a cue verb above it: "she said the
        textbooks described them as occupiers" is hers, one quote, not the textbooks'."""
        while tok.head.i != tok.i:
            if tok.dep_ == "ccomp" and tok.head.lemma_.lower() in self.lex.cue_verbs:
                return True
            tok = tok.head
        return False

    def _issued_saying(self, tok: Token) -> bool:
        """ "The ministry issued a statement saying A": a participle of saying on the statement
        someone issued (its object) speaks for the issuer."""
        head = tok.head
        return tok.dep_ == "acl" and tok.tag_ == "VBG" and tok.lemma_.lower() in self.lex.speech_verbs \
            and head.dep_ == "dobj" and head.lemma_.lower() in self.lex.noun_cues \
            and any(c.dep_ == "nsubj" for c in head.head.children)

    def _verb_quotes(self, doc: Doc, inside: list[int]) -> list[RawQuote]:
        out: list[RawQuote] = []
        cues = set(self._cues)
        for tok in (doc[i] for i in sorted(cues.union(self._noun_verbs))):
            if inside[tok.idx] >= 0:
                continue
            content = self._content(tok) if tok.i in cues else self._noun_content(tok)
            if content is None:
                continue
            start, end, rule = content
            if rule == "noun-clause":
                out.append(self._noun_quote(tok, start, end, out))
                continue
            subject = self._speaker_of(tok, out)
            char = doc[subject["speaker"][0]].idx if subject["speaker"] else None
            out.append(RawQuote(start, end, "indirect", cue=_cue_chars(tok), rule=rule, speaker_char=char,
                                evidence=self._thing_as_evidence(tok), modal=_has_modal(tok),
                                narrated=_narrated_conjunct(tok), **subject))
            if rule == "clause":  # "said A and that B": B is a second quote of the same cue
                for a, b in self._second_clauses(tok):
                    out.append(replace(out[-1], start=a, end=b))
        return out

    def _unsaid(self, tok: Token) -> bool:
        """A speech act negated or refused says nothing: "has not commented on the statement",
        "did not say how many were hurt", "declined to comment". A negated belief still holds one
        ("did not expect that X": the speaker expects not-X), so cognition verbs keep their content."""
        if tok.lemma_.lower() not in self.lex.speech_verbs:
            return False
        if any(c.dep_ == "neg" for c in tok.children):
            return True
        if tok.dep_ == "conj" and any(c.dep_ == "neg" for c in tok.head.children) \
                and any(c.dep_ == "cc" and c.lower_ in ("or", "nor") and c.i < tok.i for c in tok.head.children) \
                and not any(c.dep_ in _SUBJECTS for c in tok.children):
            return True  # "has not mentioned or commented on the drills" (not "did not deny it but said A")
        return tok.dep_ == "xcomp" and tok.head.lemma_.lower() in self.lex.refusal_verbs

    def _second_clauses(self, tok: Token) -> list[tuple[int, int]]:
        spans = []
        for conj in self._that_conjuncts(tok, self._clause_child(tok)):
            span = self._trim(tok.doc, conj.left_edge.i, self._cut_nested(conj, conj.right_edge.i))
            if span is not None:
                spans.append(span)
        return spans

    def _that_conjuncts(self, tok: Token, clause: Token | None) -> list[Token]:
        """ "said A and that B": two statements of a speech act. A belief ("fear that A and that
        B") is one state of mind, and evidence ("the vote proved that A and that B") says nothing."""
        if tok.lemma_.lower() not in self.lex.speech_verbs or self._thing_as_evidence(tok):
            return []
        return _that_conjuncts(tok, clause)

    def _content(self, tok: Token) -> tuple[int, int, str] | None:
        if self._unsaid(tok) or _naming(tok):
            return None
        for finder in (self._noun_clause_content, self._clause_content, self._parataxis_content,
                       self._interrupted_that_clause, self._characterised, self._object_complement, self._infinitive_content,
                       self._prepositional_content, self._object_content):
            found = finder(tok)
            if found is not None:
                a, b, rule = found
                if _making_a_statement(tok.doc[a : b + 1]):
                    return None  # "X made the statement at a news conference, PAP reported": where, not what
                span = self._trim(tok.doc, a, self._cut_at_conjoined_subject(tok, b))
                if span is not None:
                    return (*span, rule)
        return None

    def _noun_content(self, tok: Token) -> tuple[int, int, str] | None:
        found = self._noun_clause_content(tok)
        span = self._trim(tok.doc, found[0], found[1]) if found is not None else None
        return (*span, found[2]) if span is not None else None

    def _noun_clause_content(self, tok: Token):
        """ "rejected reports that the plant would close": the content clause of a noun cue
        that is the verb's object (or the object of its preposition: "responded to claims that")."""
        found = self._cue_noun(tok)
        if found is None:
            return None
        clause = found[1]
        return clause.left_edge.i, self._cut_nested(clause, clause.right_edge.i), "noun-clause"

    def _cue_noun(self, tok: Token) -> tuple[Token, Token] | None:
        """The noun cue ``tok`` reports and its content clause, which the parser hangs on
        the noun or, as often, on the verb right after the noun's phrase."""
        objects = [c for c in tok.children if c.dep_ == "dobj" and c.i > tok.i]
        objects += [p for c in tok.children if c.dep_ == "prep" and c.i > tok.i and c.lower_ in _NOUN_PREPS
                    for p in c.children if p.dep_ == "pobj"]
        for noun in objects:
            if noun.pos_ != "NOUN" or noun.lemma_.lower() not in self.lex.noun_cues:
                continue
            clause = _content_clause(noun)
            if clause is None:
                end = noun.right_edge.i
                for prep in tok.children:  # "released a statement on Monday that ...": a date between
                    if prep.dep_ == "prep" and prep.i == end + 1 and _is_time(next(prep.children, prep)):
                        end = prep.right_edge.i
                clause = _content_clause(tok, after=end)
            if clause is not None and not self._says_the_noun(clause):
                return noun, clause
        return None

    def _says_the_noun(self, clause: Token) -> bool:
        """ "a claim that Chile denies", "the report that Lima released": a relative clause whose
        speech verb has the noun itself as its missing object, not the claim's content."""
        lemma = clause.lemma_.lower()
        return (lemma in self.lex.cue_verbs or clause.lower_ in self.lex.rebuttal_cues
                or lemma in self.lex.issuing_verbs) \
            and not any(c.dep_ in ("dobj", "ccomp", "xcomp", "parataxis", "attr", "oprd", "nsubjpass", "auxpass")
                        for c in clause.children)  # "that the audit had been written": a passive has no gap

    def _noun_quote(self, tok: Token, start: int, end: int, earlier: list[RawQuote]) -> RawQuote:
        """The speaker is the verb's subject ("she repeated her claim that"), or the claim's
        named owner ("rejected the union's claim that", "denied claims by the union that")."""
        noun = self._cue_noun(tok)[0]
        owner = _child(noun, "poss") or _prep_object(noun, ("by", "from"))
        if owner is not None and owner.pos_ in ("PROPN", "NOUN"):
            mention = _mention(owner)
            subject = {"speaker": mention["span"], "appos": None}
        else:
            subject = self._speaker_of(tok, earlier)
        char = tok.doc[subject["speaker"][0]].idx if subject["speaker"] else None
        cue = (tok.idx, noun.idx + len(noun))
        return RawQuote(start, end, "indirect", cue=cue, rule="noun-clause", speaker_char=char, **subject)

    def _clause_content(self, tok: Token):
        child = self._clause_child(tok)
        if child is None:
            return None
        b = child.right_edge.i
        for rest in tok.rights:
            # one clause the parser cut in two: "that the isle is disputed | territory ... should not change"
            if rest.dep_ == "ccomp" and rest.i > child.i and _runs_on(tok.doc, b, rest) \
                    and not self._that_conjuncts(tok, rest):
                b = rest.right_edge.i
            # "confirmed that its troops deployed in the area | opened fire": a verb the parser joined
            # to the cue with no "and" or comma, and no subject of its own, is the clause's own verb
            if rest.dep_ == "conj" and rest.pos_ == "VERB" and rest.i > child.i and _runs_on(tok.doc, b, rest) \
                    and not any(c.dep_ in _SUBJECTS or c.dep_ == "cc" for c in rest.children):
                b = rest.right_edge.i
        conjs = self._that_conjuncts(tok, child)
        if conjs and conjs[0].i > child.i:
            b = min(b, conjs[0].left_edge.i - 1)  # "said A and that B": A ends before "and"
        a, first = child.left_edge.i, child.left_edge
        if first.lower_ == "that" and (self._audience(tok) is not None or child.head.lower_ == "time"
                                       or (first.dep_ == "advmod" and first.head.i == child.i)
                                       or (first.head.i == child.i and _second_subject(child, first))):
            a += 1  # "told the meeting that X", "said at the time that X": "that" taken for a word of X
        a = _after_interrupting_time_clause(child, a)
        a = _after_leading_date(child, a)
        return a, self._cut_nested(child, b), "clause"

    def _clause_child(self, tok: Token) -> Token | None:
        for child in tok.children:
            if child.dep_ == "ccomp" or (child.dep_ == "parataxis" and child.i > tok.i):
                if child.dep_ == "parataxis" and self.is_cue(child) and any(c.dep_ in _SUBJECTS for c in child.children):
                    continue  # "X agreed to Y, the UN said, ...": an attribution set off, not what X agreed
                a, b = child.left_edge.i, child.right_edge.i
                if a <= tok.i <= b or (b < tok.i and not _set_off_before_attribution(tok.doc, b)):
                    continue
                if _relative_opening(child) and self._audience(tok) is None:
                    continue  # "a state in the north that only one country recognizes"
                if tok.lemma_.lower() in self.lex.cognition_verbs and tok.lemma_.lower() not in self.lex.speech_verbs \
                        and any(c.dep_ == "mark" and c.lower_ in ("whether", "if") for c in child.children):
                    continue  # "have yet to decide whether to extend it": an open question, no one's view
                stolen = self._stolen_clause(tok.doc[a - 1]) if a > 0 else None
                if stolen is not None and stolen.i == child.i:
                    continue  # "concern that ... the bay, which Santiago claims | belongs to it": Santiago's
                interrupted = self._interrupted_clause(tok.head) if tok.dep_ == "advcl" else None
                if interrupted is not None and interrupted.i == child.i:
                    continue  # "X said, after Y announced Z, that W": W is X's
                return child
        return self._audience_clause(tok) or _medium_clause(tok) or self._stolen_clause(tok) \
            or self._interrupted_clause(tok)

    def _interrupted_clause(self, tok: Token) -> Token | None:
        """ "The ministry said on Monday, after Kenya announced new checks, that it would reopen the
        crossing": the parser hangs the that-clause on the cue of the time clause set off between
        commas; it is the outer cue's content."""
        doc = tok.doc
        if not self.is_cue(tok) or any(c.dep_ in ("ccomp", "xcomp") for c in tok.children):
            return None
        for adv in tok.rights:
            if adv.dep_ != "advcl" or doc[adv.left_edge.i - 1].text != "," \
                    or not any(c.dep_ == "mark" and c.lower_ in _TIME_MARKS for c in adv.children):
                continue
            clause = next((c for c in adv.rights if c.dep_ == "ccomp"), None)
            if clause is not None and clause.left_edge.lower_ == "that" and clause.right_edge.i == adv.right_edge.i \
                    and doc[clause.left_edge.i - 1].text == ",":
                return clause
        return None

    def _stolen_clause(self, tok: Token) -> Token | None:
        """ "the bay, which Santiago claims belongs to it": the parser hangs the clause right after a
        cue of a relative clause on the sentence's main verb; it is that cue's own content."""
        doc = tok.doc
        if tok.dep_ != "relcl" or tok.i + 1 >= len(doc) or not self.is_cue(tok) \
                or any(c.dep_ in ("ccomp", "xcomp", "dobj") for c in tok.children):
            return None
        nxt = doc[tok.i + 1]
        clause = next((t for t in [nxt, *nxt.ancestors] if t.dep_ == "ccomp" and t.left_edge.i == tok.i + 1), None)
        return clause if clause is not None and clause.head.i < tok.i else None

    def _audience(self, tok: Token) -> Token | None:
        """The object of an audience verb (cues.toml): "told *a news conference* that X"."""
        if tok.lemma_.lower() not in self.lex.audience_verbs:
            return None
        obj = _child(tok, "dobj")
        return obj if obj is not None and obj.i > tok.i else None

    def _audience_clause(self, tok: Token) -> Token | None:
        """ "told a routine press briefing that there is no dispute": a clause opened by the
        conjunction "that" that the parser hung on the audience as if it were a relative clause
        is what was said. (After an audience, a clause the verb carries is what was said too,
        even where the parser took its "that" for a relative pronoun: "told the council meeting
        that the timetable would not change".)"""
        audience = self._audience(tok)
        clause = _content_clause(audience) if audience is not None else None
        # relative ("relcl") or a noun's complement ("acl": "assured residents that the crossings ...")
        return clause if clause is not None and clause.dep_ in ("relcl", "acl") else None

    def _parataxis_content(self, tok: Token):
        """ "Poland is ready, the minister said." parsed with 'said' under the clause."""
        if tok.dep_ == "conj":
            return self._conjoined_attribution(tok)
        if tok.dep_ not in ("parataxis", "advcl") or _child(tok, "ccomp") is not None:
            return None
        head = tok.head
        if head.pos_ not in ("VERB", "AUX") or not any(c.dep_ in _SUBJECTS for c in tok.children):
            return None
        if _agentless_passive(tok):
            return None  # "..., as the dispute is known": a name for it, nobody's words
        if tok.lemma_.lower() == "call" and _child(tok, "dobj") is not None:
            return None  # "..., the main islet in the chain called the Senkaku Islands": a name, nobody's words
        if _child(tok, "xcomp") is not None or any(c.dep_ == "mark" and c.lower_ != "as" for c in tok.children):
            return None  # "“...” as Ethiopia wants to impose ...", "“...” if the raids continued": not an attribution
        medial = self._medial_content(tok)
        if medial is not None or tok.i < head.i:
            return medial
        before = tok.doc[tok.left_edge.i - 1].text if tok.left_edge.i > 0 else ""
        if before not in (",", "”", '"', "—", "–"):
            return None
        return head.left_edge.i, tok.left_edge.i - 1, "parataxis"

    def _interrupted_that_clause(self, tok: Token):
        """ "Petro insists, with figures in hand, that Colombia has not ...": an aside between the
        cue and its "that" clause can make the parser hang the cue on the clause's verb."""
        head = tok.head
        if tok.dep_ != "ccomp" or head.i < tok.i or head.pos_ not in ("VERB", "AUX") \
                or not any(c.dep_ in _SUBJECTS for c in tok.children):
            return None
        mark = next((c for c in head.children if c.dep_ == "mark" and c.lower_ == "that"), None)
        if mark is None or mark.i <= tok.right_edge.i or tok.doc[mark.i - 1].text != ",":
            return None
        return mark.i + 1, self._cut_nested(head, head.right_edge.i), "clause"

    def _conjoined_attribution(self, tok: Token):
        """ "Troops shelled the posts last night and in the morning, the ministry said on Monday."
        parsed as "shelled ... and ... said": a closing attribution, set off by a comma, that the
        parser joined to the clause it reports."""
        head, doc = tok.head, tok.doc
        subject = next((c for c in tok.children if c.dep_ in _SUBJECTS), None)
        if head.i > tok.i or head.pos_ not in ("VERB", "AUX") or subject is None or subject.i < head.i:
            return None
        first = subject.left_edge.i
        if first == 0 or doc[first - 1].text != "," or any(c.i > tok.i and c.dep_ not in ("prep", "npadvmod", "punct")
                                                            for c in tok.children):
            return None  # a verb with its own object or clause ("..., and the ministry said it would") reports more
        if self.is_cue(head) or _child(tok, "neg") is not None:
            return None
        return head.left_edge.i, first - 2, "parataxis"

    def _medial_content(self, tok: Token):
        """ "The museum, Mr. Obama said, would make visitors face hard truths": an attribution
        set off by commas inside the clause it reports; the quote runs across it, as a direct
        quote split by its attribution does."""
        doc, head = tok.doc, tok.head
        words = [t for t in tok.subtree if not t.is_punct]
        first, last = words[0].i, words[-1].i
        if last - first > _MAX_MEDIAL_WORDS or first == 0 or last + 1 >= len(doc):
            return None
        if doc[first - 1].text != "," or doc[last + 1].text != ",":
            return None
        a, b = head.left_edge.i, head.right_edge.i
        if not a < first or not last + 1 < b:
            return None
        if any(self._inside[t.idx] >= 0 for t in (doc[a], doc[b])):
            return None  # a quote in marks split by its attribution: the marks decide
        if head.i < first and doc[last + 2].lower_ in _REPORTERS_CONTEXT \
                and not any(c.tag_ == "MD" for c in head.children):
            # "A minister is visiting the town, the ministry said, after days of clashes": the clause
            # was whole before the attribution; what follows it is the reporter's background (not
            # after a modal: "The border will stay closed, the ministry said, after the militants
            # leave" is one claim)
            return a, first - 2, "parataxis"
        return a, b, "medial"

    def _object_complement(self, tok: Token):
        if tok.lemma_.lower() not in self.lex.object_complement_verbs:
            return None
        # "called on X to Y"; not a date before or after the verb ("X on Friday called for calm")
        obj = _child(tok, "dobj") or next((p for c in tok.children if c.dep_ == "prep" and c.lower_ in ("on", "upon")
                                           and c.i > tok.i for p in c.children
                                           if p.dep_ == "pobj" and not _is_time(p)), None)
        if obj is None:
            return None
        if obj.tag_ in ("WP", "WDT") and tok.lemma_.lower() not in _CHARACTERISING:
            return None  # "did not say what she was accusing Spain of": a question, not a charge
            # ("what it called dishonest rhetoric" still says the rhetoric is dishonest)
        comp = [c for c in tok.children if c.i > obj.i and c.dep_ in ("xcomp", "ccomp", "advcl", "prep", "oprd")
                and (c.dep_ != "prep" or c.lower_ in ("of", "for", "over", "as"))
                and (c.dep_ != "advcl" or _infinitival(c))]  # not "... when he ran in 2008"
        comp += [c for c in obj.children if c.dep_ in ("acl", "relcl") and c.i > obj.i]
        # "accused Armenian forces of also violating ...": the parse may hang the charge on the object
        comp += [c for c in obj.children if c.dep_ == "prep" and c.lower_ == "of" and c.i > obj.i
                 and any(p.dep_ == "pcomp" and p.tag_ == "VBG" for p in c.children)]
        if not comp:
            return None
        last = max(comp, key=lambda c: c.right_edge.i)
        end = last.right_edge.i
        doc = tok.doc
        listed = _listed_charges(tok, last)
        if listed is not None:
            end = listed.right_edge.i
        for i in range(obj.i + 1, end):
            # "... near the crossing, where the fighting appeared to have begun ...": the reporter's
            # words about the place or the time, not the charge
            if doc[i].text == "," and doc[i + 1].lower_ in ("where", "when") \
                    and any(a.dep_ == "relcl" and a.head.i < i for a in doc[i + 1].ancestors):
                end = i - 1
                break
        return obj.left_edge.i, end, "object-complement"

    def _characterised(self, tok: Token):
        """ "condemned the closure as a provocation": the object and what it is held to be."""
        lemma = tok.lemma_.lower()
        if lemma not in self.lex.characterising_verbs or (tok.tag_ == "VBG" and lemma in _VIEWS):
            return None
        as_phrase = _characterised_as(tok)
        if as_phrase is None or self._inside_reported_clause(tok):
            return None
        return _child(tok, "dobj").left_edge.i, as_phrase.right_edge.i, "characterised"

    def _infinitive_content(self, tok: Token):
        """ "Sanders promised to end the deportation regime": the commitment is the content."""
        if tok.lemma_.lower() not in self.lex.infinitive_content_verbs:
            return None
        if self._speaker_of(tok, [])["speaker"] is None:
            return None
        comp = next((c for c in tok.rights if c.dep_ == "xcomp" and any(a.lower_ == "to" for a in c.lefts)), None)
        if comp is None or (tok.dep_ == "relcl" and not _relative_subject(tok)):
            return None  # "the target it pledged to reach": the relative noun is the gap, not the speaker
        return comp.left_edge.i, comp.right_edge.i, "infinitive"

    def _prepositional_content(self, tok: Token):
        preps = self.lex.prepositional_content.get(tok.lemma_.lower())
        if not preps:
            return None
        for child in tok.children:
            if child.dep_ == "prep" and child.lower_ in preps and child.i > tok.i:
                objs = [c for c in child.children if c.dep_ in ("pobj", "pcomp")]
                if objs and not _is_time(objs[0]):
                    return objs[0].left_edge.i, objs[0].right_edge.i, "prepositional"
        return None

    def _object_content(self, tok: Token):
        named_as = _named_as(tok)  # "dismissed the report as “pure fabrication”": the object and the words
        if tok.lemma_.lower() not in self.lex.object_content_verbs \
                and not (tok.lower_ in self.lex.rebuttal_cues and named_as is not None):
            return None
        # "denied “amplifying the war”": a quoted gerund is the object the parse calls a complement
        obj = _child(tok, "dobj") or next((c for c in tok.children if c.dep_ == "xcomp" and c.tag_ == "VBG"), None)
        if obj is None or obj.i < tok.i:
            return None
        a, b = obj.left_edge.i, obj.right_edge.i
        doc = tok.doc
        if named_as is not None:
            b = named_as.right_edge.i
        if obj.dep_ == "xcomp" and a > 0 and doc[a - 1].text in _OPENING_MARKS:
            # the quoted words only, not the reporter's clause the parse hangs on them
            b = next((t.i - 1 for t in doc[a + 1 : b + 1] if t.text in _CLOSING_MARKS), b)
        marked = any(self._inside[t.idx] >= 0 for t in doc[a : b + 1] if not t.is_punct)
        negated = any(c.dep_ == "neg" for c in tok.children)
        # "reaffirmed its commitment to dialogue": a position and what it is about ("voiced concern" alone says nothing)
        stated = obj.pos_ == "NOUN" and obj.lemma_.lower() in self.lex.stance_nouns \
            and any(c.i > obj.i and c.dep_ in ("prep", "acl", "relcl", "ccomp") for c in obj.children)
        if not (marked or stated) or negated:
            return None  # an unmarked object ("announced no new steps") is narration, not content
        return a, b, "object"

    def _cut_nested(self, root: Token, b: int) -> int:
        """End a content clause before a trailing cue of its own (", noting that ...") or a
        summing-up appositive (", a charge the company denies")."""
        b = self._cut_summary(root.left_edge.i, b)
        b = self._cut_narrated_tail(root, b)
        # Walking a subtree is costly: walk it only when a cue or "according" lies in (root, b].
        for tok in root.subtree if _any_in(self._cues, root.i, b) else ():
            if tok.i <= root.i or tok.i > b or not self.is_cue(tok):
                continue
            if tok.dep_ in ("advcl", "conj", "xcomp") and tok.left_edge.i > root.i and self._content(tok):
                prev = tok.doc[tok.left_edge.i - 1] if tok.left_edge.i > 0 else None
                if prev is not None and prev.text in ",;—–-":
                    return min(b, tok.left_edge.i - 1)
                if _told_by_another_since(tok):
                    return min(b, tok.left_edge.i - 1)  # "he was not aware of any shooting after the navy said A"
        for tok in root.subtree if _any_in(self._according, root.i, b) else ():
            if tok.lower_ == "according" and root.i < tok.i <= b and self._according_source(tok) is not None:
                return min(b, tok.left_edge.i - 1)
        return b

    def _cut_narrated_tail(self, root: Token, b: int) -> int:
        """End a content clause before an adjunct the reporter adds after a comma: the speaker's
        own act (", rejecting a timetable set by X") or the date of the statement (", a year
        after the ties were cut"). An adjunct that tells what happened stays ("the army shelled
        the town, killing two")."""
        doc = root.doc
        for adj in root.rights:
            if adj.dep_ != "advcl" or adj.right_edge.i < b or adj.left_edge.i <= root.i + 1:
                continue
            if doc[adj.left_edge.i - 1].text == "," and (self._speaker_act(adj) or _reservation(adj)):
                return min(b, adj.left_edge.i - 2)
        for i in range(root.i + 1, b):
            if doc[i].text == "," and self._inside[doc[i].idx] < 0 and _dated_from(doc, i):
                return i - 1
        return b

    def _speaker_act(self, adj: Token) -> bool:
        """ ", rejecting ...", ", dismissing ...": a subjectless participle of a verb of saying."""
        lemma = adj.lemma_.lower()
        acts = (self.lex.speech_verbs | self.lex.noun_cue_verbs | self.lex.object_content_verbs) - self.lex.evidence_verbs
        return (adj.tag_ == "VBG" and adj.left_edge.i == adj.i and lemma in acts
                and not any(c.dep_ in _SUBJECTS for c in adj.children))

    def _cut_summary(self, a: int, b: int) -> int:
        """ "the mill dumps waste, an accusation the farmers made": the appositive after the
        comma names the statement and belongs to the narration, whatever the parse says."""
        doc = self._doc
        for i in range(a + 1, min(b, len(doc) - 3) + 1):
            if doc[i].text == "," and doc[i + 1].lower_ in ("a", "an"):
                noun = doc[i + 2] if doc[i + 2].pos_ == "NOUN" else doc[i + 3]
                if noun.pos_ == "NOUN" and noun.lemma_.lower() in self.lex.noun_cues:
                    return i - 1
        return b

    # -- "according to X" -------------------------------------------------
    def _according_quotes(self, doc: Doc, inside: list[int]) -> list[RawQuote]:
        out = []
        for tok in (doc[i] for i in sorted(self._according + self._as_reported)):
            if inside[tok.idx] >= 0:
                continue
            # "The attack happened on Sunday, as reported by Kosovo police": as "according to"
            source = _as_reported_by(tok) if tok.lower_ == "reported" else self._according_source(tok)
            if source is None:
                continue
            quote = self._according_clause(tok, source)
            if quote is not None:
                out.append(quote)
        return out

    def _according_source(self, tok: Token) -> Token | None:
        """The source of "according to X", or None where X is a rule ("according to law",
        "according to plan"): then the phrase is part of what is said, not its attribution."""
        doc = tok.doc
        to = next((c for c in tok.children if c.lower_ == "to"), None)
        if to is None and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            to = doc[tok.i + 1]
        # "according to show insiders" parsed with "show" as a verb: the pcomp is the source
        source = next((c for c in to.children if c.dep_ in ("pobj", "pcomp")), None) if to is not None else None
        if source is None or _rule_not_source(source) or source.lemma_.lower() in self.lex.norm_nouns:
            return None
        return source

    def _according_clause(self, tok: Token, source: Token) -> RawQuote | None:
        head = tok.head if tok.head is not tok else tok
        while head.dep_ not in ("ROOT",) and head.pos_ not in ("VERB", "AUX") and head.head is not head:
            head = head.head
        while head.dep_ == "conj" and head.head.i < head.i < tok.i and head.head.pos_ in ("VERB", "AUX"):
            head = head.head  # "Chile admitted the violation and apologized, according to X": both verbs
        phrase = (tok.left_edge.i, max(tok.right_edge.i, source.right_edge.i))
        opened = _opened_source(tok, source)
        if opened is not None:  # "According to the Interior Ministry 'borderisation' has ...": no comma
            phrase = (tok.left_edge.i, opened.i - 1)
        a, b = head.left_edge.i, head.right_edge.i
        while b > a and (tok.doc[b].is_space or tok.doc[b].is_punct and tok.doc[b].text not in CLOSERS):
            b -= 1  # the sentence's full stop and the paragraph's line break
        reported = next((c for c in head.children if c.dep_ == "ccomp" and c.right_edge.i < tok.i), None) \
            if self.is_cue(head) and tok.i < head.i else None  # not '"A," X said, according to a post
        if reported is None and self.is_cue(head) and tok.i > head.i:
            # '"A," he said while speaking at the summit, according to the Nation': the paper carries
            # what he said, A, not the narration around it
            reported = next((c for c in head.children if c.dep_ == "ccomp" and c.right_edge.i < head.i), None)
        if reported is not None:
            # "A, according to the minister, the agency reported": A, the minister's, via the agency
            a, b = reported.left_edge.i, reported.right_edge.i
        elif phrase[0] <= a + 1 or all(t.is_punct or t.dep_ in ("advmod", "cc") and t.pos_ in ("ADV", "CCONJ")
                                        for t in tok.doc[a : phrase[0]]):
            a = phrase[1] + 1  # "According to X, A", "However, according to X, A": A
        elif phrase[1] >= b:
            b = phrase[0] - 1
        b = self._cut_nested(head, b) if head.i <= b else b
        a = _skip_leading_subordinate(head, a, phrase)
        span = self._trim(tok.doc, a, b)
        if span is None:
            return None
        if opened is not None:
            mention = {"span": (source.head.i + 1, opened.i), "appos": None}
        elif source.dep_ == "pcomp":
            mention = {"span": (source.left_edge.i, source.right_edge.i + 1), "appos": None}
        elif _child(source, "poss") is not None or _prep_object(source, ("from", "by", "of")) is not None \
                or (source.lemma_.lower() in self.lex.source_nouns and _issuer(source, self.lex.issuing_verbs) is not None):
            # "according to a report by Indian officials": the officials say it (not "according to
            # the immigration office", a body whose name ends in a source noun)
            found = self._source_of(source)
            mention = {"span": found["speaker"], "appos": found["appos"]}
        else:
            mention = _mention(source)
        to = next((c for c in tok.children if c.lower_ in ("to", "by")), tok.doc[min(tok.i + 1, len(tok.doc) - 1)])
        return RawQuote(span[0], span[1], "indirect", cue=(tok.idx, to.idx + len(to)),
                        speaker=mention["span"], appos=mention["appos"], rule="according")

    # -- speakers -----------------------------------------------------------
    def _speaker_of(self, tok: Token, earlier: list[RawQuote]) -> dict:
        """The mention that says the cue ``tok``: its subject, or the one it inherits."""
        relayed = _said_then_reported(tok)
        if relayed is not None:
            subject = next((c for c in tok.children if c.dep_ == "nsubj" and c.i < tok.i), None)
            if subject is None:
                return relayed
            # "X said on Tuesday that A, TASS reports": the subject says A, the outlet carries it
            return {**self._source_of(subject), "via": relayed["via"]}
        seen = set()
        cur = tok
        while cur.i not in seen:
            seen.add(cur.i)
            # A verb inside an earlier quote's content speaks for that quote's
            # subject, not for this cue ("saying that Poland tried..., calling on").
            reported = cur is not tok and any(q.start <= cur.idx < q.end for q in earlier)
            if cur.i == tok.head.i and cur.i != tok.i and _trailing_participle(tok) and cur.dep_ == "advcl" \
                    and any(c.dep_ == "mark" for c in cur.children) and self.is_cue(cur.head):
                # "X warned ... as Tanzania steps up patrols, urging Y": the participle after the
                # comma goes on with the main clause's speech, not the time clause the parser hung
                # it on ("the campaign struggled after accusers emerged, claiming A" is theirs)
                cur = cur.head
                continue
            subj = None if reported else self._subject(cur)
            if subj is not None:
                return subj
            if (cur.dep_ == "relcl" or _verb_read_as_modifier(cur)) and not reported:
                mention = _mention(_who_is_meant(cur))
                return {"speaker": mention["span"], "appos": mention["appos"]}
            nearer = self._nearer_cue(cur) if not reported else None
            if nearer is not None:
                return nearer
            if self._issued_saying(cur):
                cur = cur.head.head  # "The ministry issued a statement saying A": the issuer says A
                continue
            if cur.dep_ in _CLIMB and cur.head is not cur:
                cur = cur.head
                continue
            if reported and tok.tag_ == "VBG" and tok.dep_ == "advcl" and tok.head.i == cur.i \
                    and not any(c.dep_ in _SUBJECTS for c in tok.children):
                # "Petro insists, with figures in hand, that A, while insisting that B": the parse
                # hangs the cue under A's verb; B goes on with the speaker of the quote A is
                holder = next(q for q in earlier if q.start <= cur.idx < q.end)
                if holder.speaker is not None:
                    return {"speaker": holder.speaker, "appos": holder.appos}
            break
        return {"speaker": None, "appos": None}

    def _nearer_cue(self, tok: Token) -> dict | None:
        """The subject of the cue just before a conjoined cue that the parser hung on a verb
        that says nothing: in "the comments come after the council called for restraint and
        said that ...", "said" is the council's, not the comments'."""
        head = tok.head
        if tok.dep_ != "conj" or head.i > tok.i or self.is_cue(head):
            return None
        between = [t for t in head.subtree if head.i < t.i < tok.i and t.dep_ == "advcl"
                   and t.head.i == head.i and self.is_cue(t)]
        return self._subject(between[-1]) if between else None

    def _subject(self, tok: Token) -> dict | None:
        if tok.lemma_.lower() in self.lex.quoting_verbs:
            quoted = _child(tok, "nsubjpass") or _child(tok, "dobj")
            if quoted is not None:  # "X was quoted by the paper as saying": X said it, the paper carried it
                agent = _child(tok, "agent")
                carrier = _child(agent, "pobj") if agent is not None else _child(tok, "nsubj")
                via = {"via": _mention(carrier)["span"]} if carrier is not None else {}
                return {**self._source_of(quoted), **via}
        children = list(tok.children)
        before = [c for c in children if c.dep_ == "nsubj" and c.i < tok.i]
        if len(before) > 1 and (any(t.pos_ == "VERB" for t in before[-2].subtree) or _place_after_place(before[-2])) \
                and any(t.text == "," for t in tok.doc[before[-2].right_edge.i + 1 : before[-1].left_edge.i + 1]):
            # "The dispute flared after X's minister, Raul Tapia, told a rally that ...": of two
            # subjects, the one next to the verb is its own; the other heads what the parser folded in
            # ("Speaking in Abidjan, Ivory Coast on Monday, Ramaphosa said": a place's country)
            children.remove(before[-1])
            children.insert(0, before[-1])
        for child in children:
            if child.dep_ == "csubj" and child.tag_ == "VBG" and child.i == child.left_edge.i < tok.i:
                named = self._name_after_opener(child, tok)
                if named is not None:
                    # "Addressing a news conference with his counterpart X, Y said": the parser
                    # makes the opening participle the subject and Y a second counterpart
                    return {"speaker": named, "appos": None}
            if child.dep_ in ("nsubj", "csubj") and child.i < tok.i and self._quote_as_subject(child, tok):
                continue  # '"Another attack on the city," X said': the quote is no subject of its cue
            if child.dep_ in ("nsubj", "csubj") and self._in_dateline(child):
                # "OSLO (Reuters) - Norway said": the place is not a source; the parser
                # makes the real subject a second subject or the place's appositive
                real = next((c for c in child.rights if c.dep_ == "appos" and not self._in_dateline(c)), None)
                if real is not None:
                    return self._source_of(real)
                continue
            if child.dep_ in ("nsubj", "csubj") and _split_subject(child, tok):
                continue  # "financial crimes and terrorism prosecutor X said": the parser's second subject is the head
            if child.dep_ == "nsubj" and _possessor_subject(child, tok):
                continue  # "Kuwait's then-Prime Minister X urged": the country owns the subject
            if child.dep_ in ("nsubj", "csubj") and child.lower_ not in ("it", "there") and not _relative_pronoun(child):
                return self._quoted_through(child, tok) or self._source_of(child)
            if child.dep_ == "nsubj" and child.lower_ == "it" and tok.lemma_.lower() in self.lex.speech_verbs \
                    and not any(c.dep_ in ("auxpass", "expl") for c in tok.children) and tok.tag_ != "VBN":
                return self._source_of(child)  # "it added": an organisation, not "it is said that"
            if child.dep_ == "nsubjpass":
                agent = next((c for c in tok.children if c.dep_ == "agent"), None)
                pobj = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
                if pobj is not None:
                    return self._source_of(pobj)
        conjoined = self._conjoined_subject(tok)
        if conjoined is not None:
            return {"speaker": conjoined, "appos": None}
        return self._inverted_subject(tok) or self._stranded_subject(tok) or self._controlling_subject(tok)

    def _name_after_opener(self, opener: Token, cue: Token) -> tuple[int, int] | None:
        """The name between an opening participle's comma and its cue: "Y" of "Addressing ...
        with X, Y said"."""
        ent = next((e for e in self._view.ents if e.end == cue.i and e.label_ in ("PERSON", "ORG")), None)
        if ent is None or ent.start < 1 or cue.doc[ent.start - 1].text != "," \
                or not opener.i < ent.start <= opener.right_edge.i + 1:
            return None
        return ent.start, ent.end

    def _controlling_subject(self, tok: Token) -> dict | None:
        """'X went on to say', 'X was quick to add that ...': a cue that completes a lead-in verb
        or adjective (the lexicon's ``lead_in_words``) has that verb's subject."""
        head = self._controller(tok)
        return self._subject(head) if head is not None else None

    def _controller(self, tok: Token) -> Token | None:
        """The verb whose subject a cue's subject is ("went" of "went on to say"), or None."""
        if tok.dep_ != "xcomp" or tok.head.i == tok.i:
            return None
        lead = tok.head
        if lead.lemma_.lower() not in self.lex.lead_in_words:
            return None  # "did not intend to suggest that ...", "refused to say"
        head = lead.head if lead.dep_ == "acomp" else lead
        return None if head.dep_ == "xcomp" else head  # one step only

    def _quote_as_subject(self, subj: Token, cue: Token) -> bool:
        """Whether ``subj`` lies in a quotation that closes a sentence of its own before ``cue``
        ('"Another attack on the city," X said'), not a quoted phrase used as the subject ('"a
        number of our friends" wanted ...')."""
        k = self._inside[subj.idx]
        if k < 0 or self._inside[cue.idx] >= 0:
            return False
        inner = self._text[self._marks[k].start : self._marks[k].end].rstrip("\"”’'» ")
        return inner[-1:] in (",", ".", "?", "!", "…")

    def _stranded_subject(self, tok: Token) -> dict | None:
        """ '"Another attack on the city," Serhiy Popko, a general who heads its defence, said': the
        parser hangs the speaker on a noun of the quote as its appositive, and the cue is left
        without a subject. The appositive that ends right before ", said" is the speaker."""
        doc = tok.doc
        if tok.i < 3 or not self.is_cue(tok):
            return None
        if doc[tok.i - 1].text != ",":
            # '"...," Ministry spokesperson Li-Fang Sun said': a name right after the closing mark
            # that the parser hung on the quote's last noun, leaving the cue alone
            cand = doc[tok.i - 1]
            if cand.dep_ == "appos" and cand.pos_ == "PROPN" and cand.head.i < cand.left_edge.i \
                    and doc[cand.left_edge.i - 1].text in ('"', "”") and self._inside[cand.left_edge.idx] < 0 \
                    and self._inside[doc[cand.left_edge.i - 2].idx] >= 0:
                return self._source_of(cand)
            return None
        for cand in doc[tok.left_edge.i : tok.i - 1]:
            end = cand.right_edge.i
            while end > cand.i and doc[end].is_punct:
                end -= 1  # the comma before "said" may hang on the appositive
            if cand.dep_ == "appos" and end == tok.i - 2 and cand.pos_ in ("PROPN", "NOUN") \
                    and doc[cand.left_edge.i - 1].text in (",", '"', "”") and cand.head.i < cand.i \
                    and self._inside[cand.left_edge.idx] < 0 \
                    and any(a.i == tok.i for a in cand.ancestors):
                named = cand.head
                if named.pos_ == "PROPN" and named.i + 2 == cand.left_edge.i and doc[named.i + 1].text == "," \
                        and self._inside[named.idx] < 0:
                    return self._source_of(named)  # "Karla Meneses, a former teacher, said": the name
                return self._source_of(cand)
        return None

    def _conjoined_subject(self, tok: Token) -> tuple[int, int] | None:
        """ "X blamed Chile for the spat and Justice Minister Y suggested that ...": the parser hangs
        "Justice Minister Y" on the first clause, as a conjunct of its last noun (a title's "for"
        phrase on that noun too), and leaves the second cue without a subject. A person's or an
        official's conjunct that runs right up to the cue, after "and", is its subject: its tokens."""
        doc = tok.doc
        if tok.dep_ != "conj" or tok.tag_ not in ("VBD", "VBZ", "VBP") or tok.head.i > tok.i \
                or any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in tok.children):
            return None
        k = tok.i - 1  # back to the "and" before the conjunct, over title and name words only
        while k > tok.head.i and doc[k].lower_ != "and":
            if doc[k].pos_ not in ("PROPN", "NOUN", "ADP", "DET") or self._inside[doc[k].idx] >= 0:
                return None
            k -= 1
        if k + 1 >= tok.i or doc[k].lower_ != "and" or doc[k + 1].dep_ != "conj" or doc[tok.i - 1].pos_ != "PROPN" \
                or not tok.head.i < doc[k + 1].head.i < k:
            return None
        span = doc[k + 1 : tok.i]
        person = any(e.label_ == "PERSON" and e.end == tok.i for e in span.ents) \
            or any(t.lower_ in self.lex.role_nouns for t in span)
        return (span.start, span.end) if person else None

    def _cut_at_conjoined_subject(self, tok: Token, b: int) -> int:
        """The end of ``tok``'s content before the subject a conjoined cue took from it (above)."""
        for c in tok.children:
            if c.dep_ == "conj" and c.i > tok.i and self.is_cue(c):
                found = self._conjoined_subject(c)
                if found is not None and found[0] <= b:
                    b = found[0] - 2  # before "and"
        return b

    def _inverted_subject(self, tok: Token) -> dict | None:
        """ '"...," added the ministry statement': after a quote the parser takes the subject
        of an inverted speech verb for its object."""
        if not self.is_cue(tok) or tok.lemma_.lower() == "tell" or tok.tag_ not in ("VBD", "VBZ", "VBP") \
                or tok.i < 2 or tok.doc[tok.i - 1].text not in ('"', "”", "'", "’"):
            return None  # not "..., accusing Moscow of", not '"...," [X] told reporters' ("warned X" is X's)
        if any(c.dep_ in ("ccomp", "xcomp") and c.i > tok.i for c in tok.children):
            return None
        obj = next((c for c in tok.rights if c.dep_ == "dobj"), None)
        return self._source_of(obj) if obj is not None and obj.pos_ in ("NOUN", "PROPN") else None

    def _quoted_through(self, subj: Token, cue: Token) -> dict | None:
        """The source a subject quotes or cites, set off between it and the cue: in "IRNA, quoting
        Iranian police, said ..." the police say it, via IRNA (a source that speaks, not "citing
        satellite images")."""
        for verb in [c for c in subj.children if c.dep_ in ("acl", "advcl")] + [c for c in cue.children if c.dep_ == "advcl"]:
            if verb.lemma_.lower() not in ("quote", "cite") or not subj.i < verb.i < cue.i or verb.tag_ != "VBG":
                continue
            source = _child(verb, "dobj")
            if source is not None and (source.ent_type_ in ("PERSON", "ORG", "NORP")
                                       or source.lemma_.lower() in self.lex.role_nouns
                                       or source.lemma_.lower() in _SPEAKING_SOURCES):
                return {**self._source_of(source), "via": _mention(subj)["span"]}
        return None

    def _source_of(self, subj: Token) -> dict:
        """A subject like "a statement from the presidency" stands for its owner; a body whose name
        ends in such a noun ("the Pakistani Foreign Office") stands for itself."""
        if subj.lemma_.lower() in self.lex.source_nouns and subj.pos_ != "PROPN" and subj.ent_type_ != "ORG":
            # "the Kremlin press office" is the Kremlin's; "the press office" names no owner
            # not a hyphened description of the text ("the English-language statement", "a two-page report")
            compound = next((c for c in subj.children if c.dep_ == "compound" and c.lower_ not in _PRESS_WORDS
                             and not any(h.text == "-" for h in c.children)), None)
            owner = (_child(subj, "poss") or _prep_object(subj, ("from", "by", "of"))
                     or compound or _issuer(subj, self.lex.issuing_verbs))
            person_role = owner is not None and owner.dep_ == "poss" \
                and subj.lemma_.lower() in self.lex.role_nouns \
                and (owner.ent_type_ == "PERSON"
                     or any(e.label_ == "PERSON" and owner.text in e.text.split() for e in self._view.ents))
            # "the ministry's spokesperson, Ali Khan, said": the appositive names the source itself
            named = subj.lemma_.lower() in self.lex.role_nouns and any(
                c.dep_ == "appos" and c.pos_ == "PROPN" and c.i > subj.i and _whole_name(c) for c in subj.children)
            # "the governor's office in Iran's Hormozgan province": an office placed in its own words
            placed = any(c.dep_ == "prep" and c.lower_ == "in" for c in subj.children)
            if owner is not None and owner.pos_ in ("PROPN", "NOUN") and not person_role and not named \
                    and not (placed and owner.dep_ == "poss"):
                # "Putin's spokesman" is not Putin; "a statement signed by the foreign minister Nancy
                # Tembo" is hers, named by the appositive
                found = _mention(owner)
                return {"speaker": found["span"], "appos": found["appos"] if owner.dep_ == "pobj" else None}
            if (owner is not None and self.lex.pronoun_kind(owner.text) is not None
                    and subj.lemma_.lower() not in self.lex.role_nouns):  # "its spokeswoman" is a source
                return {"speaker": (owner.i, owner.i + 1), "appos": None}  # "his statement": him
        mention = _mention(subj)
        return {"speaker": mention["span"], "appos": mention["appos"]}

    def _thing_as_evidence(self, tok: Token) -> bool:
        """ "the strike proved that ...", "his statements confirmed that ...": an evidence verb
        whose subject is an event or a document, not a person, a body or a role."""
        if tok.lemma_.lower() not in self.lex.evidence_verbs:
            return False
        subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
        if subj is None or subj.pos_ != "NOUN" or subj.ent_type_:
            return False
        if subj.lemma_.lower() in self.lex.source_nouns:
            owner = _child(subj, "poss") or _prep_object(subj, ("from", "by", "of"))
            return owner is None or owner.pos_ == "PRON"
        return subj.lemma_.lower() not in self.lex.role_nouns

    def _in_dateline(self, tok: Token) -> bool:
        return any(a <= tok.idx < b for a, b in self._datelines)

    # -- whole paragraphs ---------------------------------------------------------
    def _paragraph_quotes(self, doc: Doc) -> list[RawQuote]:
        """Paragraphs that layout alone attributes: "PENCE: Well, ..." transcript turns and
        "Sanders: Clinton needs to ..." headlines; the paragraph after "Limbaugh added:"."""
        out: list[RawQuote] = []
        bounds = paragraph_bounds(self._text)
        names = _source_names(self._view.ents)
        for n, (start, end) in enumerate(bounds):
            quote = self._labelled_paragraph(doc, start, end, names)
            if quote is None and n > 0:
                quote = self._introduced_paragraph(doc, bounds[n - 1], (start, end))
            if quote is not None:
                out.append(quote)
        return out

    def _labelled_paragraph(self, doc: Doc, start: int, end: int, names: set[str]) -> RawQuote | None:
        found = _SPEAKER_LABEL.match(self._text, start, end)
        if found is None:
            return None
        label = doc.char_span(found.start(1), found.end(1))
        if label is None or not _names_a_source(label, names):
            return None
        if not label.text.isupper() and any(s == start for s, _ in self._datelines) \
                and not any(t.ent_type_ == "PERSON" for t in label):
            return None  # "Dhaka: The foreign ministry said ..." opens the story with its place ("HOLM:" is a turn)
        span = self._trim_chars(found.end(), end)
        if span is None or len(self._text[span[0] : span[1]].split()) < 3:
            return None
        kind = "direct" if label.text.isupper() else "indirect"  # a transcript turn is verbatim
        return RawQuote(*span, kind, cue=(found.end(1), found.end(1) + 1), speaker=(label.start, label.end),
                        rule="label", speaker_char=label.start_char)

    def _introduced_paragraph(self, doc: Doc, intro: tuple[int, int], para: tuple[int, int]) -> RawQuote | None:
        """ "The governor added:" closing one paragraph introduces the next one, a block quote."""
        lead = self._text[intro[0] : intro[1]].rstrip()
        if not lead.endswith(":") or self._inside[para[0]] >= 0 or self._text[para[0]] in "“\"«„":
            return None
        colon = doc.char_span(intro[0] + len(lead) - 1, intro[0] + len(lead), alignment_mode="expand")
        if colon is None or colon.start == 0:
            return None
        cue = doc[colon.start - 1]
        while cue.i > 0 and cue.dep_ in ("prep", "pobj", "advmod", "npadvmod", "prt") and cue.head.i < cue.i:
            cue = cue.head  # "added on Monday:"
        if not self.is_cue(cue) or self._subject(cue) is None or cue.sent != colon.sent:
            return None
        span = self._trim_chars(para[0], para[1])
        if span is None:
            return None
        return RawQuote(*span, "indirect", cue=_cue_chars(cue), rule="introduced", **self._speaker_of(cue, []))

    def _trim_chars(self, start: int, end: int) -> tuple[int, int] | None:
        segment = self._text[start:end]
        lead = len(segment) - len(segment.lstrip(_TRIM_HEAD + "“\"'"))
        body = segment.strip(_TRIM_HEAD + "“\"'").rstrip(" \t\n")
        if not any(ch.isalpha() for ch in body):
            return None
        return start + lead, start + lead + len(body)

    # -- marks ----------------------------------------------------------------
    def _apply_marks(self, q: RawQuote, marks: list[MarkSpan], text: str) -> RawQuote | None:
        """Direct when the clause lies in marks, mixed when it carries marked parts."""
        fragment = q.rule in ("object", "object-complement", "prepositional")
        if q.rule in ("label", "introduced"):
            return q  # the paragraph is the quote, whatever marks run through it
        for m in marks:
            if m.start <= q.start and q.end <= m.end:
                if fragment:
                    return replace(q, start=m.start, end=m.end, kind="mixed")
                return replace(q, start=m.inner_start, end=m.inner_end, kind="direct")
        covered = [m for m in marks if m.start < q.end and q.start < m.end]
        if not covered:
            return q
        if len(covered) == 1 and not fragment and (self._lead_in_only(q, covered[0]) or self._then_added(q, covered[0])):
            m = covered[0]
            return replace(q, start=m.inner_start, end=m.inner_end, kind="direct")
        start = min([q.start] + [m.start for m in covered])
        end = max([q.end] + [m.end for m in covered])
        marked = sum(min(m.inner_end, end) - max(m.inner_start, start) for m in covered)
        if marked >= 0.9 * (end - start) and len(covered) == 1 and not fragment:
            m = covered[0]
            return replace(q, start=m.inner_start, end=m.inner_end, kind="direct")
        return replace(q, start=start, end=end, kind="mixed")

    def _then_added(self, q: RawQuote, m: MarkSpan) -> bool:
        """ 'She said, "A," adding that B': the marks open the clause and a cue verb of its own
        follows them ("adding", "saying"), which reports B as a quote of its own."""
        if self._text[q.start : m.start].strip() or m.end >= q.end:
            return False
        after = self._doc.char_span(m.end, q.end, alignment_mode="expand")
        words = [t for t in after or () if not t.is_punct]
        if words and words[0].pos_ == "CCONJ":
            words = words[1:]  # '..., "A," and added that B'
        if not words or words[0].i not in self._cues or words[0].tag_ not in ("VBG", "VBD"):
            return False
        # not the verb of the quoted words themselves: 'said that “armed gangs” continued to attack ...'
        return not any(c.dep_ in _SUBJECTS and m.start <= c.idx < m.end for c in words[0].children)

    def _lead_in_only(self, q: RawQuote, m: MarkSpan) -> bool:
        """ "Asked about X, “...,” said Y": a participial clause set off before the marks
        describes the speaker, not what was said."""
        if q.start >= m.start or q.end > m.end or not self._text[q.start : m.start].rstrip().endswith(","):
            return False
        lead = [t for t in self._doc.char_span(q.start, m.start, alignment_mode="expand") or () if not t.is_punct]
        inside = {t.i for t in lead}
        tops = [t for t in lead if t.head.i not in inside]
        return len(tops) == 1 and _participial_adjunct(tops[0]) and tops[0].head.idx >= m.start

    def _unclaimed_marks(self, doc: Doc, marks: list[MarkSpan], claimed: list[RawQuote]) -> list[RawQuote]:
        out: list[RawQuote] = []
        text = self._text
        for m in marks:
            if any(q.start < m.end and m.start < q.end for q in claimed):
                continue
            words = len(m.inner(text).split())
            if words < _MIN_UNATTRIBUTED_WORDS and not _ends_sentence(m.inner(text)):
                continue  # scare quotes, titles, names
            if words < 3:
                continue
            q = self._layout_attribution(doc, m)
            if q is not None:
                out.append(q)
        return out

    def _layout_attribution(self, doc: Doc, m: MarkSpan) -> RawQuote | None:
        text = self._text
        base = RawQuote(m.inner_start, m.inner_end, "direct", rule="marks")
        before = text[max(0, m.start - 200) : m.start]
        that, colon = re.search(r"\bthat\s*$", before), re.search(r":\s*$", before)
        if that or colon:
            # "X told reporters that Y is not ruled out: “...”", "X said in a post on X in
            # response to the remark that “...”" (the parse hung the clause on "remark")
            said = self._speech_before(doc, m.start)
            if said is not None:
                return replace(base, cue=_cue_chars(said[0]), rule="that" if that else "colon", **said[1])
        if colon:
            speaker = _last_source_before(self._view, m.start)
            if speaker is not None:
                return replace(base, speaker=speaker, rule="colon")
        dash = re.match(r"\s*[—–―-]{1,2}\s*", text[m.end : m.end + 4])
        if dash:
            speaker = _first_source_at(self._view, m.end + dash.end(), len(text))
            if speaker is not None:
                return replace(base, speaker=speaker, rule="dash")
        if not _ends_sentence(m.inner(text)):
            return None  # a headline or title: no closing punctuation inside the marks
        cue = self._cue_before(doc, m.start)
        if cue is not None:
            speaker = self._speaker_of(cue, [])
            if speaker["speaker"] is None and cue.dep_ == "acl":
                # "Malaya, spokesman of the council, saying, “...”": the participle hangs on its speaker
                mention = _mention(cue.head)
                speaker = {"speaker": mention["span"], "appos": mention["appos"]}
            return replace(base, cue=_cue_chars(cue), rule="cue-comma", **speaker)
        cue = self._cue_after(doc, m.end)
        if cue is not None:
            return replace(base, cue=_cue_chars(cue), rule="cue-after", **self._speaker_of(cue, []))
        if _starts_sentence(text, m.start):
            introduced = self._narrated_introduction(doc, m.start)
            if introduced is not None:
                return replace(base, speaker=introduced, rule="narrated-introduction")
            return replace(base, inherit=True, rule="continuation")
        since_quote = re.split(r"[”\"»]", before)[-1][-60:]
        if re.search(r",\s*$", since_quote) and not re.search(r"[.!?]\s", since_quote):
            return replace(base, inherit=True, rule="after-attribution")
        return None

    def _narrated_introduction(self, doc: Doc, char: int) -> tuple[int, int] | None:
        """ "Aliyev spoke about his country's demands." closing the paragraph before a quote that
        stands alone: the person the narration has speak says it, not the last quote's speaker."""
        if not re.search(r"\n\s*$", self._text[:char]):
            return None  # only a quote that opens a paragraph
        span = doc.char_span(max(0, char - 1), char, alignment_mode="expand")
        if span is None or span.start == 0:
            return None
        last = doc[span.start - 1]
        while last.i > 0 and last.is_space:
            last = doc[last.i - 1]
        sent = last.sent
        verb = sent.root
        if verb.lemma_.lower() not in _NARRATED_SPEECH and not self.is_cue(verb) \
                or any(c.dep_ in ("ccomp", "xcomp", "parataxis") for c in verb.children) \
                or any(self._inside[t.idx] >= 0 or t.text in "\"“”" for t in sent):
            return None  # no speaking, or the sentence reports something itself
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subject is None or subject.ent_type_ != "PERSON":
            return None
        return _mention(subject)["span"]

    def _cue_after(self, doc: Doc, char: int) -> Token | None:
        """ "“...,” the country's Foreign Minister Ana Ruiz told reporters" when the parse hangs
        the quote elsewhere: a cue verb within a few words after the marks, whose subject stands
        between the marks and the verb."""
        while char < len(self._text) and self._text[char] in " \t":
            char += 1  # the space after the closing mark is no token
        span = doc.char_span(char, min(len(self._text), char + 1), alignment_mode="expand")
        if span is None or span.start >= len(doc):
            return None
        start = span.start
        # a speaker with a long appositive ("X, a general who heads the city's defence, said") may
        # stand further off: only a cue whose speaker the parse stranded inside the quote
        for tok in doc[start : min(len(doc), start + _MAX_STRANDED_WORDS)]:
            if tok.is_sent_start and tok.i > start or tok.text in "“”\"«»":
                return None
            if self.is_cue(tok):
                own = any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children)
                holder = tok if own else self._controller(tok) or tok  # "X went on to say"
                subject = next((c for c in holder.children if c.dep_ in ("nsubj", "nsubjpass")
                                and self._inside[c.idx] < 0), None)
                if subject is not None:
                    # a long subject is fine when it fills the gap: '"…," X, a general who …, said'
                    fills = subject.left_edge.i <= start + 1 \
                        and all(t.is_punct for t in doc[subject.right_edge.i + 1 : tok.i])
                    near = tok.i - start < _MAX_MEDIAL_WORDS
                    return tok if start <= subject.i < tok.i and (near or fills) else None
                return tok if self._stranded_subject(tok) is not None else None
        return None

    def _speech_before(self, doc: Doc, char: int) -> tuple[Token, dict] | None:
        """ "Berg told reporters that an extension is not ruled out: “...”": the last speech verb
        before the marks in their sentence, with its speaker, rather than the last subject there
        ("an extension")."""
        span = doc.char_span(max(0, char - 1), char, alignment_mode="expand")
        if span is None:
            return None
        for tok in reversed([t for t in span.sent if t.idx < char]):
            if self.is_cue(tok):
                found = self._speaker_of(tok, [])
                if found["speaker"] is not None:
                    return tok, found
        return None

    def _cue_before(self, doc: Doc, char: int) -> Token | None:
        """ "Trump said, “...”" parsed without a clause under "said": the cue just before the marks."""
        span = doc.char_span(max(0, char - 1), char, alignment_mode="expand")
        if span is None or span.start < 2:
            return None
        comma, cue = doc[span.start - 1], doc[span.start - 2]
        participle = cue.dep_ == "acl" and cue.tag_ == "VBG" and cue.lemma_.lower() in self.lex.speech_verbs
        if comma.text != "," or not (self.is_cue(cue) or participle):
            return None
        if participle:
            return cue
        # "X repeated his comments, saying, “...”": the participle speaks for its clause's subject
        return cue if self._speaker_of(cue, [])["speaker"] is not None else None

    # -- spans ----------------------------------------------------------------
    def _trim(self, doc: Doc, a: int, b: int) -> tuple[int, int] | None:
        if a > b or a < 0 or b >= len(doc):
            return None
        while a <= b and (doc[a].dep_ == "mark" and doc[a].lower_ in ("that", "whether", "if") or doc[a].is_punct and doc[a].text not in "“\"«"):
            a += 1
        if a > b:
            return None
        start, end = doc[a].idx, doc[b].idx + len(doc[b])
        segment = self._text[start:end]
        segment = self._strip_paraphrase(segment)
        segment = self._strip_reporters_aside(segment)
        end = start + len(segment)
        stripped = segment.rstrip(_TRIM_TAIL)
        if stripped and segment[len(stripped):len(stripped) + 1] in _CLOSING:
            stripped = segment
        end = start + len(stripped)
        lead = len(stripped) - len(stripped.lstrip(_TRIM_HEAD))
        start += lead
        if end - start < 2 or not any(ch.isalpha() for ch in self._text[start:end]):
            return None
        return start, end

    def _strip_reporters_aside(self, segment: str) -> str:
        """ "the alert is directed against itself - a charge Seoul rejects": the reporter's aside
        after a dash, naming what the clause is (a charge, a claim), is no part of it."""
        found = _aside_pattern(self.lex.noun_cues).search(segment)
        return segment[: found.start()] if found is not None and found.start() > 0 else segment

    def _strip_paraphrase(self, segment: str) -> str:
        low = segment.lower().rstrip(_TRIM_TAIL)
        for marker in self.lex.paraphrase_markers:
            if low.endswith(marker):
                return segment[: len(low) - len(marker)]
        return segment


# -- helpers ----------------------------------------------------------------
_DANGLING = re.compile(r"(?:[\s,;:—–-]|\b(?:and|but|or|while|as|because)\b)+$", re.I)


def _tidy(q: RawQuote, text: str) -> RawQuote | None:
    """Drop a conjunction or comma left dangling where a quote was cut."""
    if q.kind == "direct":
        return q
    body = text[q.start : q.end]
    if body[-1:] in _CLOSING:
        return q
    trimmed = _DANGLING.sub("", body)
    if len(trimmed) < 2:
        return None
    return replace(q, end=q.start + len(trimmed))


def _skip_leading_subordinate(head: Token, a: int, phrase: tuple[int, int]) -> int:
    """ "Although X, they agreed ..., according to Y": Y reports the main clause."""
    for child in head.lefts:
        if child.dep_ == "advcl" and child.left_edge.i == a and any(m.dep_ == "mark" for m in child.children):
            nxt = child.right_edge.i + 1
            if nxt < len(head.doc) and head.doc[nxt].is_punct and not (phrase[0] <= nxt <= phrase[1]):
                return nxt + 1
    return a


def _any_in(indices: list[int], after: int, upto: int) -> bool:
    """Whether the sorted ``indices`` hold one in (after, upto]."""
    k = bisect_right(indices, after)
    return k < len(indices) and indices[k] <= upto


def _mark_index(n: int, marks: list[MarkSpan]) -> list[int]:
    """For each char offset, the index of the mark span holding it, or -1."""
    index = [-1] * (n + 1)
    for k, m in enumerate(marks):
        for i in range(m.start, m.end):
            index[i] = k
    return index


_DETAIL_VERBS = frozenset({"give", "offer", "provide", "elaborate", "specify", "say", "explain", "name",
                           "disclose", "present", "cite", "produce", "detail"})


def _reservation(adj: Token) -> bool:
    """ ", though she gave no sign that talks were near", ", although he did not elaborate": the
    reporter's remark on what the speaker left out, not part of what was said."""
    return adj.lemma_.lower() in _DETAIL_VERBS \
        and any(c.dep_ == "mark" and c.lower_ in ("though", "although") for c in adj.children) \
        and any(c.dep_ == "nsubj" and c.lower_ in ("he", "she", "they", "it") for c in adj.children)


def _listed_charges(verb: Token, charge: Token) -> Token | None:
    """The rest of a list of charges the parse hung on the verb: "accused X of entering homes,
    tearing up papers and detaining people" makes "tearing ... and detaining" a clause of
    "accused"; a subjectless gerund right after the comma, itself joined by "and" to another,
    goes on the list."""
    doc = verb.doc
    if charge.lower_ != "of" or not any(c.dep_ == "pcomp" and c.tag_ == "VBG" for c in charge.children):
        return None
    comma = charge.right_edge.i + 1
    if comma + 1 >= len(doc) or doc[comma].text != ",":
        return None
    nxt = doc[comma + 1]
    if nxt.tag_ == "VBG" and nxt.dep_ == "advcl" and nxt.head == verb \
            and not any(c.dep_ in _SUBJECTS for c in nxt.children) \
            and any(c.dep_ == "conj" and c.tag_ == "VBG" for c in nxt.children):
        return nxt
    return None


def _characterised_as(verb: Token) -> Token | None:
    """The "as" phrase that says what the verb's object is held to be: on the verb after the
    object, or on the object ("condemned the move as a provocation"); None in a passive or a
    relative clause ("a move it condemned as ..."), where the object is no phrase of its own."""
    obj = _child(verb, "dobj")
    if obj is None or obj.i < verb.i or obj.tag_ in ("WP", "WDT"):
        return None
    # on the verb or the object, or deeper in the object when its own verb takes no "as" phrase
    # ("denounced the decision to close the border as a provocation"; not "condemned the
    # decision to treat migrants as criminals", where "as" is the treating)
    for c in obj.subtree:
        if c.dep_ == "prep" and c.lower_ == "as" and c.i > obj.i and c.head.lemma_.lower() not in _TAKING_AS \
                and any(g.dep_ in ("pobj", "pcomp", "amod", "acomp") for g in c.children) \
                and c.right_edge.i == obj.right_edge.i:
            return c
    for c in verb.children:
        if c.dep_ == "prep" and c.lower_ == "as" and c.i > obj.i \
                and any(g.dep_ in ("pobj", "pcomp", "amod", "acomp") for g in c.children):
            return c
    return None


# a view, not an act: "lawmakers backed the challenge, viewing the treaty as unfair" is whoever backed it,
# which a participle does not say
_VIEWS = frozenset({"view", "regard"})

# verbs with an "as" phrase of their own, inside a characterised object
_TAKING_AS = frozenset({"treat", "use", "regard", "see", "view", "describe", "list", "classify", "designate",
                        "recognise", "recognize", "define", "count", "register", "serve", "act", "work",
                        "present", "identify", "pose", "label", "brand", "name", "appoint", "elect"})


def _named_as(verb: Token) -> Token | None:
    """The "as" phrase that gives the speaker's quoted words for the verb's object: "dismissed
    the report as “pure fabrication”", "rejected the claims as “baseless”"."""
    obj = _child(verb, "dobj")
    if obj is None or obj.i < verb.i:
        return None
    doc = verb.doc
    # on the verb after the object, or hung on the object's last noun ("reports of a clash as “...”")
    for c in doc[obj.i + 1 : min(obj.right_edge.i + 2, len(doc) - 1)]:
        if c.dep_ == "prep" and c.lower_ == "as" and doc[c.i + 1].text in _OPENING_MARKS \
                and (c.head == verb or obj.is_ancestor(c)):
            return c
    return None


def _child(tok: Token, dep: str) -> Token | None:
    return next((c for c in tok.children if c.dep_ == dep), None)


def _issuer(noun: Token, issuing_verbs: frozenset[str]) -> Token | None:
    """ "a statement issued by India's Defence Ministry": who issued the statement (not "the
    statement, monitored by Yonhap": a news agency that only heard it)."""
    for acl in (c for c in noun.children if c.dep_ == "acl" and c.lemma_.lower() in issuing_verbs):
        agent = _child(acl, "agent")
        if agent is not None:
            return _child(agent, "pobj")
        # "a statement published on Beijing's foreign ministry website": whose website it is
        for prep in (c for c in acl.children if c.dep_ == "prep" and c.lower_ == "on"):
            place = _child(prep, "pobj")
            owner = _child(place, "poss") if place is not None and place.lemma_.lower() in _PUBLISHING_PLACES else None
            if owner is not None and owner.pos_ in ("PROPN", "NOUN"):
                return owner
    return None


_PUBLISHING_PLACES = frozenset(["website", "site", "account", "page", "channel", "feed", "portal"])


_MEDIUM_NOUNS = frozenset(["statement", "post", "interview", "briefing", "message", "tweet", "letter", "speech",
                           "address", "broadcast", "video", "remarks", "comments", "communique"])


def _medium(prep: Token) -> bool:
    """ "in a statement on social media" after a speaker is how they spoke, not who they are."""
    obj = _child(prep, "pobj")
    return prep.lower_ == "in" and obj is not None and obj.lemma_.lower() in _MEDIUM_NOUNS


def _naming(tok: Token) -> bool:
    """ "the islands, which Tokyo calls the Senkaku", "Malawi, which calls them the Northern Islands": what
    a side names a place, not what it says about it ("what it called dishonest rhetoric" says something)."""
    if tok.lemma_.lower() != "call":
        return False
    if any(c.dep_ == "dobj" and c.i < tok.i and c.lower_ in ("which", "what", "that") for c in tok.children):
        start = tok.i + 1
    else:
        # "Malawi, which calls them the Northern Islands, ...": a relative clause's name for what the
        # pronoun stands for
        pronoun = _child(tok, "dobj")
        if tok.dep_ != "relcl" or pronoun is None or pronoun.lower_ not in ("them", "it") or pronoun.i != tok.i + 1:
            return False
        start = tok.i + 2
    after = next((t for t in tok.doc[start : start + 2] if t.lower_ != "the"), None)
    return after is not None and after.pos_ == "PROPN" and after.text[:1].isupper()


_STATEMENTS = frozenset({"statement", "remark", "comment", "speech", "announcement", "address"})


def _making_a_statement(span: Span) -> bool:
    """Whether a reported clause only says that someone made a statement ("X made the remarks at a
    rally"): the reporter's sourcing, not a quote."""
    root = span.root
    return root.lemma_.lower() in ("make", "deliver", "give") \
        and any(c.dep_ == "dobj" and c.lemma_.lower() in _STATEMENTS
                and not any(g.dep_ in ("relcl", "acl", "ccomp", "amod", "prep") for g in c.children)
                for c in root.children)  # not "had made a false statement", "a statement that was false"


def _prep_object(tok: Token, preps: tuple[str, ...]) -> Token | None:
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in preps:
            pobj = _child(c, "pobj")
            if pobj is not None:
                return pobj
    return None


def _narrated_conjunct(tok: Token) -> bool:
    """ "said it had not been told and called on X to Y": the parser joins "called" to the
    reported verb, but a simple past beside a backshifted verb ("had been told") keeps the
    reporter's time, not the statement's: it goes with the cue."""
    head = tok.head
    return (tok.dep_ == "conj" and tok.tag_ == "VBD" and not any(c.dep_ in ("aux", "auxpass") for c in tok.children)
            and head.dep_ == "ccomp" and any(c.dep_ == "aux" and c.lower_ in ("had", "would") for c in head.children))


def _agentless_passive(tok: Token) -> bool:
    """ "as the dispute is known", "as it is called": a passive cue with no "by" names no source."""
    return (any(c.dep_ == "nsubjpass" for c in tok.children) and not any(c.dep_ in ("nsubj", "csubj") for c in tok.children)
            and not any(c.dep_ == "agent" for c in tok.children))


def _has_modal(tok: Token) -> bool:
    return any(c.dep_ == "aux" and c.tag_ == "MD" for c in tok.children)


def _infinitival(tok: Token) -> bool:
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)


def _content_clause(head: Token, after: int | None = None) -> Token | None:
    """The "that" clause completing a noun ("the claim that X"), not a relative clause
    ("the report that was published"): it opens with the conjunction "that". With ``after``,
    the clause that ``head`` (a verb) carries right after its object's phrase ends there."""
    for c in head.rights:
        if after is not None and c.left_edge.i != after + 1:
            continue
        deps = ("ccomp",) if after is not None else ("acl", "ccomp", "relcl")
        if c.dep_ in deps and any(
                m.dep_ == "mark" and m.lower_ == "that" and m.i == c.left_edge.i for m in c.children):
            return c
    return None


def _dated_from(doc: Doc, comma: int) -> bool:
    """ ", one year after X cut ties", ", two days before the vote": a span of time measured from
    an event dates the statement; it is not part of it. Read from the words, as the parser often
    hangs "after" on the last noun."""
    i = comma + 1
    while i < len(doc) and i - comma <= 2 and (doc[i].tag_ == "CD" or doc[i].lower_ in _TIME_COUNTS):
        i += 1
    return (i + 1 < len(doc) and doc[i].lemma_.lower() in _TIME_UNITS
            and doc[i + 1].lower_ in ("after", "before", "since"))


_TIME_COUNTS = ("a", "an", "the", "one", "two", "three", "several", "few", "some", "many")
_TIME_UNITS = ("year", "month", "week", "day", "hour", "minute", "decade")


def _medium_clause(tok: Token) -> Token | None:
    """ "said in a statement that X", "told reporters in an interview that X": the parser hangs
    the cue's content clause on the noun naming where it was said. "said (in a statement) at the
    time that X": it reads "the time that X" as a relative clause ("the time when")."""
    for prep in tok.rights:
        if prep.dep_ != "prep":
            continue
        noun = _child(prep, "pobj")
        if prep.lower_ == "in" and noun is not None and noun.pos_ == "NOUN":
            clause = _content_clause(noun)
            if clause is not None:
                return clause
            prep = next((p for p in noun.rights if p.dep_ == "prep"), prep)
            noun = _child(prep, "pobj")
        if prep.lower_ == "at" and noun is not None and noun.lower_ == "time":
            clause = next((c for c in noun.rights if c.dep_ in ("relcl", "acl", "ccomp")
                           and c.left_edge.lower_ == "that" and c.left_edge.i == noun.i + 1), None)
            if clause is not None:
                return clause
    return None


def _opens_with_that(clause: Token) -> bool:
    """ "and that the crews were safe": a clause of its own, opened by the conjunction "that".
    Not "and that location was closed": a bare singular noun cannot be a subject, so "that"
    before one (or before "one") is a demonstrative the parser took for the conjunction, and
    the clause goes on the first. A gerund or mass noun in -ing may stand bare ("that drilling
    went on")."""
    first = clause.left_edge
    if not (first.lower_ == "that" and first.dep_ == "mark" and first.head.i == clause.i):
        return False
    nxt = clause.doc[first.i + 1] if first.i + 1 < len(clause.doc) else None
    if nxt is None or nxt.lower_ == "one" or nxt.tag_ == "CD":
        return nxt is None
    return nxt.tag_ != "NN" or nxt.lower_.endswith("ing")


def _that_conjuncts(cue: Token, clause: Token | None) -> list[Token]:
    """The clauses joined to a content clause with a "that" of their own: "said A and that B",
    "said A, but that B". The parser hangs them on the clause or on the cue verb."""
    if clause is None:
        return []
    found = [c for c in clause.children if c.dep_ == "conj" and c.i > clause.i and _opens_with_that(c)]
    found += [c for c in cue.children if c.dep_ == "conj" and c.i > clause.right_edge.i and _opens_with_that(c)]
    return found


# "WASHINGTON (Reuters) - ", "HANOI, May 3 (AP) — ", "SAN JOSE, Costa Rica — ": a place in capitals
# opening a paragraph, perhaps a date or country, perhaps the agency, then a dash.
# Also the colon form of South and Southeast Asian papers: "ISLAMABAD: ", "NEW DELHI, May 3: ", "(Phnom Penh): ".
_DATELINE = re.compile(r"[ \t]*(?:[A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+)*(?:,[ \t]*[^()\n—–-]{1,40}?)?"
                       r"[ \t]*(?:\([^)\n]{1,40}\))?[ \t]*(?:--|[-—–])(?:[ \t]|(?=[A-Z\"“]))"
                       r"|[A-Z][A-Z.'’-]{2,}(?: [A-Z][A-Z.'’-]+)*(?:,[ \t]*[A-Z][a-z]{2,8}\.?[ \t]+\d{1,2})?:[ \t]"
                       r"|\([A-Z][\w.'’ -]{1,40}\):[ \t]"
                       # a city in title case only with a date and the agency: "Beijing, Nov. 14 (Jiji Press)–"
                       r"|[A-Z][a-z]+(?:[ -][A-Z][a-z]+)*,[ \t]*[A-Z][a-z]{2,8}\.?[ \t]+\d{1,2}[ \t]*\([^()\n]{1,40}\)[ \t]*(?:--|[-—–])[ \t]*"
                       # the date and the agency, no city: "May 31 (UPI) —", "Sept 14 (Reuters) -"
                       r"|[A-Z][a-z]{2,8}\.?[ \t]+\d{1,2}[ \t]*\([^()\n]{1,40}\)[ \t]*(?:--|[-—–])[ \t]*"
                       # the date first, the city in brackets: "May 30, 2020 (KHARTOUM) -" (as sides.py)
                       r"|[A-Z][a-z]{2,8}\.?[ \t]+\d{1,2},?[ \t]+\d{4}[ \t]*\([A-Z][A-Z.'’ -]{1,40}\)[ \t]*(?:--|[-—–])[ \t]*)")
# "Taipei: ", "New Delhi: " (Indian and other Asian outlets), in the story's first paragraph only
_TITLED_COLON_DATELINE = re.compile(r"[ \t]*[A-Z][a-z]+(?:[ -][A-Z][a-z]+){0,2}:[ \t]")
_TITLED_COLON_MIN_WORDS = 20  # a story's first paragraph, longer than a "Name: ..." headline (as sides.py)


_MAX_HEADLINE_WORDS = 25


def _headline_end(text: str) -> int:
    """Where the headline ends (0 when there is none): a short first line, with more text after
    it, that does not end a sentence ("Minister says talks failed"). A headline is not a quote."""
    bounds = paragraph_bounds(text)
    if len(bounds) < 2:
        return 0
    start, end = bounds[0]
    line = text[start:end].strip()
    if re.search(r"[.!?…:][\"”’']*$", line) or len(line.split()) > _MAX_HEADLINE_WORDS:
        return 0
    return end


_MAX_SUBHEAD_WORDS = 12


def _subheads(text: str) -> list[tuple[int, int]]:
    """Paragraphs inside the story that are crossheads, not sentences ("Premier vows to defend
    the border"): a few words without closing punctuation, quotation marks or a colon, with
    more story after them. Like the headline, they are the editor's words, not a quote."""
    bounds = paragraph_bounds(text)
    found = []
    for start, end in bounds[1:-1]:
        line = text[start:end].strip()
        if len(line.split()) > _MAX_SUBHEAD_WORDS or re.search(r"[.!?…:;,][\"”’']*$", line) \
                or any(mark in line for mark in '"“”«»:'):
            continue
        found.append((start, end))
    return found


def _after_dateline(quote: RawQuote, datelines: list[tuple[int, int]]) -> RawQuote:
    """A quote never starts inside a dateline: "BEIJING, April 4 (Reuters) - China has made it
    clear that ..., the ministry said" reports from "China has made it clear"."""
    for start, end in datelines:
        if start <= quote.start < end < quote.end:
            return replace(quote, start=end)
    return quote


def _datelines(text: str) -> list[tuple[int, int]]:
    """Char spans of the paragraphs' datelines."""
    found = []
    bounds = paragraph_bounds(text)
    headline = _headline_end(text)
    first = next((start for start, _ in bounds if start >= headline), None)  # the story's first paragraph
    for start, end in bounds:
        m = _DATELINE.match(text, start, end)
        if m is not None and sum(ch.isupper() for ch in m.group()) >= 2:
            found.append((start, m.end()))
        elif start == first and len(text[start:end].split()) > _TITLED_COLON_MIN_WORDS \
                and (m := _TITLED_COLON_DATELINE.match(text, start, end)):
            found.append((start, m.end()))  # "Taipei: ...", not a "Trump: ..." headline
    return found


_CHARACTERISING = frozenset({"call", "describe", "label", "brand", "dub", "term"})


@lru_cache(maxsize=8)
def _aside_pattern(noun_cues: frozenset[str]) -> re.Pattern:
    """ " - a charge X rejects", " — an allegation Y denies" after a reported clause (a lexicon's noun cues)."""
    nouns = "|".join(sorted(map(re.escape, noun_cues), key=len, reverse=True))
    return re.compile(rf"\s[-–—]{{1,2}}\s*(?:a|an|the)\s+(?:{nouns})s?\b(?![\s\S]*[\"”])", re.IGNORECASE)


def _rule_not_source(tok: Token) -> bool:
    """ "according to law", "according to plan": a bare singular common noun is a rule or a
    schedule, not a source ("according to officials", "according to the ministry" are)."""
    return tok.tag_ == "NN" and not any(c.dep_ in ("det", "poss", "amod", "compound") for c in tok.children)


def _relative_pronoun(tok: Token) -> bool:
    """ "who", "which", "that" heading a relative clause: the source is the noun it refers to."""
    return tok.tag_ in ("WP", "WDT") or tok.lower_ in ("who", "whom", "which", "that")


def _runs_on(doc: Doc, end: int, clause: Token) -> bool:
    """Whether ``clause`` goes on right after token ``end`` with no punctuation or conjunction
    between: the rest of one clause, not a second one ("..., and the EU said ...")."""
    first, last = clause.left_edge, doc[end]
    return first.i == end + 1 and not any(t.is_punct or t.dep_ == "cc" or t.lower_ in ("and", "but", "or")
                                          for t in (last, first))


def _relative_opening(clause: Token) -> bool:
    """A clause opened by a relative pronoun ("that only one country recognizes") is a
    relative clause the parser took for content: the pronoun is an argument, not a mark."""
    first = clause.left_edge
    before = clause.doc[first.i - 1] if first.i > 0 else None
    return (first.lower_ in ("that", "which") and first.tag_ in ("WDT", "IN")
            and first.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj")
            and before is not None and before.pos_ in ("NOUN", "PROPN") and not _second_subject(clause, first))


def _place_after_place(tok: Token) -> bool:
    """ "in Abidjan, Ivory Coast": a place named after a comma that follows another place."""
    first = tok.left_edge.i
    return tok.ent_type_ in ("GPE", "LOC") and first >= 2 and tok.doc[first - 1].text == "," \
        and tok.doc[first - 2].ent_type_ in ("GPE", "LOC")


def _whole_name(appos: Token) -> bool:
    """An appositive that holds a whole name: not "Qasim al" of a "Qasim al-Jubouri" the parser split."""
    ent = next((e for e in appos.doc.ents if e.start <= appos.i < e.end), None)
    return ent is None or (appos.left_edge.i <= ent.start and ent.end <= appos.right_edge.i + 1)


def _second_subject(clause: Token, that: Token) -> bool:
    """ "stated on his networks that Trump "is ..."": a "that" the parser made the subject of a
    clause that has a subject of its own is the conjunction, not a relative pronoun."""
    return that.dep_ in ("nsubj", "nsubjpass") and any(
        c.dep_ in ("nsubj", "nsubjpass") and c.i > that.i for c in clause.children)


def _finite_or_participle(tok: Token) -> bool:
    """A verb that can head a report: not an adjective-like participle ("the rejected claim")."""
    return tok.dep_ not in ("amod", "aux", "auxpass")


def _relative_subject(tok: Token) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass") and c.tag_ in ("WP", "WDT") for c in tok.children)


def _source_names(ents: tuple[Span, ...]) -> set[str]:
    """Names a speaker label may use: organisations, and people by full name or surname."""
    names = set()
    for ent in ents:
        if ent.label_ in ("PERSON", "ORG"):
            names.add(ent.text.casefold())
        if ent.label_ == "PERSON":
            names.add(ent.text.split()[-1].casefold())
    return names


def _names_a_source(label: Span, names: set[str]) -> bool:
    """A speaker label ("PENCE", "Sanders") is a person or organisation the article names."""
    return label.text.casefold() in names


def _set_off_before_attribution(doc: Doc, b: int) -> bool:
    """ "Poland is ready, the ministry said": a clause before its cue ends at a comma, dash or
    closing mark; one that ends at a semicolon or a full stop is a sentence of its own."""
    nxt = doc[b + 1].text if b + 1 < len(doc) else ""
    return doc[b].text in _ATTRIBUTION_BREAKS or nxt in _ATTRIBUTION_BREAKS


def _participial_adjunct(tok: Token) -> bool:
    """ "Asked about the drought," / "Speaking to reporters,": a participle with no subject of its own."""
    return tok.dep_ == "advcl" and tok.tag_ in ("VBN", "VBG") and not any(c.dep_ in _SUBJECTS for c in tok.children)


def _bare_passive_participle(tok: Token) -> bool:
    """ "Asked about the drought, she said ...": the participle's subject was asked, and nobody
    in the sentence is the source of what was asked."""
    return tok.tag_ == "VBN" and tok.dep_ == "advcl" and not any(
        c.dep_ in ("aux", "auxpass", "nsubj", "nsubjpass") for c in tok.children)


def _is_time(tok: Token) -> bool:
    """ "argued for a second day": a duration or date is an adjunct, not what was said."""
    return tok.ent_type_ in _TIME_ENTITIES


def _cue_chars(tok: Token) -> tuple[int, int]:
    end = tok.idx + len(tok)
    phrasal = tok.lemma_.lower() in ("call", "urge", "ask", "press", "push", "appeal", "plead")
    for c in tok.children:  # "call on", "point out"
        if c.dep_ == "prt" or (phrasal and c.dep_ == "prep" and c.i == tok.i + 1 and c.lower_ in ("on", "upon", "for")):
            end = max(end, c.idx + len(c))
    return tok.idx, end


# what a reporting body quotes or cites that speaks ("quoting Iranian police", "citing a security source")
_SPEAKING_SOURCES = frozenset({"police", "source", "official", "witness", "resident", "authority", "ministry",
                               "military", "army", "government"})
# words that open the reporter's background after a closing attribution ("..., the ministry said,
# after days of clashes")
_REPORTERS_CONTEXT = frozenset({"after", "amid", "following", "as", "days", "weeks", "hours", "a", "two", "since"})
# the marks of marks.py, and single ones, which it leaves out as apostrophes but which a source or a
# quoted word in a sentence can still open and close ("According to the ministry ‘borderisation’ has")
_OPENING_MARKS = frozenset(OPENERS) | {"‘", "'"}
_CLOSING_MARKS = frozenset(CLOSERS) | {"’", "'"}


def _opened_source(according: Token, source: Token) -> Token | None:
    """The opening quotation mark where the source of "according to" ends, when no comma set it off
    and the parse took a quoted word for the source: in "According to the Interior Ministry
    'borderisation' has ...", "borderisation" (the parse's source) is said, the ministry says it."""
    mark = next((t for t in source.subtree if t.text in _OPENING_MARKS and t.i < source.i), None)
    return mark if mark is not None and mark.i > according.i + 2 else None


def _possessor_subject(subj: Token, cue: Token) -> bool:
    """Whether the parser made a possessor ("Kuwait's" of "Kuwait's then-Prime Minister X urged")
    a subject of ``cue`` beside the noun it owns, which is the cue's other subject right after it."""
    if not any(c.dep_ == "case" and c.lower_ in ("'s", "’s", "'") for c in subj.children):
        return False
    return any(c.dep_ == "nsubj" and subj.i < c.i < cue.i and c.left_edge.i == subj.right_edge.i + 1
               for c in cue.children)


def _split_subject(subj: Token, cue: Token) -> bool:
    """Whether the parser split one subject of ``cue`` in two at an "and" and this is the first
    part: "financial crimes and terrorism prosecutor X said" parsed as two subjects, "crimes"
    and "X" (a verb has one subject; the head of a noun phrase is its last noun)."""
    cc = subj.right_edge if subj.right_edge.dep_ == "cc" else None  # "crimes and": the "and" hangs on "crimes"
    if cc is None or cc.head.i != subj.i:
        return False
    return any(c.dep_ == "nsubj" and c.i < cue.i and c.left_edge.i == cc.i + 1 for c in cue.children if c.i != subj.i)


def _mention(tok: Token) -> dict:
    """Token span of a speaker mention headed by ``tok``, and its appositive."""
    start = tok.left_edge.i
    end = tok.i + 1
    appos = None
    after_comma = False
    for child in tok.rights:
        if child.is_punct and child.text == ",":
            after_comma = True  # "A teacher at the school, Priya Nair, said": look on for the appositive
            continue
        if after_comma and child.dep_ != "appos":
            break
        if child.tag_ == "HYPH" or (child.dep_ == "amod" and child.i == tok.i + 2 and tok.nbor().tag_ == "HYPH"):
            end = child.i + 1  # "The secretary-general of the Arab League": the parser splits the title
            continue
        if child.dep_ == "prep" and child.lower_ == "to" and not after_comma:
            # "The Tanzanian envoy to the United Nations, X Y, said": the appositive after the
            # posting names the envoy (the parse may hang it on the place); the place he is sent
            # to is not his side
            place = _child(child, "pobj")
            named = next((c for c in place.children if c.dep_ == "appos" and c.pos_ == "PROPN"
                          and c.left_edge.i > 0 and tok.doc[c.left_edge.i - 1].text == ","), None) if place else None
            if named is not None:
                appos = (named.left_edge.i, named.right_edge.i + 1)
                break
            if tok.doc[child.right_edge.i + 1 : child.right_edge.i + 2].text == ",":
                continue
        if child.dep_ in _MENTION_RIGHT and child.dep_ != "prep":
            end = child.right_edge.i + 1
        elif child.dep_ == "prep" and child.lower_ in ("of", "for", "at", "in", "from") and not _medium(child):
            end = child.right_edge.i + 1
            # "The Parents' Forum for Missing Fishermen, a Mwanza-based group": the parse sets the
            # appositive on the preposition's object; it still describes the whole mention
            inner = next((t for t in child.subtree if t.dep_ == "appos" and t.left_edge.nbor(-1).text == ","), None)
            if inner is not None:
                end, appos = inner.left_edge.i, (inner.left_edge.i, inner.right_edge.i + 1)
                break
        elif child.dep_ == "appos":
            appos = (child.left_edge.i, child.right_edge.i + 1)
            break
        else:
            break
    doc = tok.doc
    while start < end and (doc[start].is_punct or doc[start].lower_ in ("and", "but", "so")):
        start += 1
    while end > start and doc[end - 1].is_punct:
        end -= 1
    return {"span": (start, end), "appos": appos}


def _last_source_before(view: DocView, char: int) -> tuple[int, int] | None:
    """The last subject or name before ``char`` in its sentence (colon intros)."""
    span = view.doc.char_span(max(0, char - 1), char, alignment_mode="expand")
    if span is None:
        return None
    sent = span.sent
    for tok in reversed([t for t in sent if t.idx < char]):
        if tok.dep_ in _SUBJECTS:
            return _mention(tok)["span"]
    ents = [e for e in view.ents_within(sent) if e.end_char <= char and e.label_ in ("PERSON", "ORG", "NORP", "GPE")]
    return (ents[-1].start, ents[-1].end) if ents else None


def _first_source_at(view: DocView, char: int, n_chars: int) -> tuple[int, int] | None:
    span = view.doc.char_span(char, min(n_chars, char + 1), alignment_mode="expand")
    if span is None:
        return None
    for ent in view.ents:
        if ent.start >= span.start and ent.start - span.start <= 2 and ent.label_ in ("PERSON", "ORG", "NORP", "GPE"):
            return (ent.start, ent.end)
    tok = span[0]
    if tok.pos_ in ("PROPN", "NOUN"):
        return _mention(tok)["span"]
    return None


def _ends_sentence(inner: str) -> bool:
    return inner.rstrip()[-1:] in ".!?,…" if inner.strip() else False


def _starts_sentence(text: str, at: int) -> bool:
    before = text[max(0, at - 3) : at]
    return at == 0 or before.strip() == "" or before.rstrip()[-1:] in ".!?:\n”\""


def _resolve_overlaps(cands: list[RawQuote], doc: Doc | None = None) -> list[RawQuote]:
    """One quote per stretch of text: an inner quote wins over the one it sits in.

    The outer source becomes the inner quote's ``via`` (nested attribution).
    """
    kept: list[RawQuote] = []
    for q in sorted(cands, key=lambda q: (-q.length, q.start)):
        clashes = [k for k in kept if k.start < q.end and q.start < k.end]
        if not clashes:
            kept.append(q)
            continue
        outer = max(clashes, key=lambda k: k.length)
        inter = min(q.end, outer.end) - max(q.start, outer.start)
        nested = q.rule == "according" or q.length >= _NESTED_COVER * outer.length
        if len(clashes) == 1 and inter == q.length and _cue_within(q, outer) and _manner_of_content(doc, q, outer):
            continue  # "said X misled them by claiming that A": how X misled them, part of the charge
        if len(clashes) == 1 and inter == q.length and _relayed(doc, q, outer):
            # "The paper reported that the mission had called on the council to act": the mission
            # says it, via the paper (LABELS.md: the speaker is the innermost source)
            kept[kept.index(outer)] = replace(q, via=outer.speaker)
            continue
        if len(clashes) == 1 and inter == q.length and _cue_within(q, outer):
            # A cue verb inside the statement: "said A and called on X to Y" is two quotes;
            # "said residents would blame the province" is one, whatever "blame" reports;
            # so is "said it had sent a note and would ask X to Y": the modal makes "ask" reported.
            head = _tail_split(outer, q, q.narrated) if q.speaker == outer.speaker and not q.modal else None
            if head is not None:
                kept[kept.index(outer)] = head
                kept.append(q)
                continue
            if q.rule in _FRAGMENT_RULES or q.speaker == outer.speaker or q.evidence:
                continue  # the outer source says it all
        if len(clashes) == 1 and inter == q.length and outer.rule == "according" and q.length == outer.length \
                and q.cue is not None and outer.cue is not None and outer.cue[0] < q.cue[0]:
            # "A, according to the minister, the agency reported": the minister, the nearer source,
            # says A, via the agency (but '"A," X said, according to a post by his office' is X's)
            kept[kept.index(outer)] = replace(outer, via=q.speaker if q.speaker != outer.speaker else None)
        elif len(clashes) == 1 and inter == q.length and q.length == outer.length and q.rule == "according" \
                and outer.rule != "according" and q.cue is not None and outer.cue is not None \
                and q.start <= q.cue[0] and (outer.cue[0] < q.start and _named(doc, outer.speaker)
                                             or outer.end <= outer.cue[0] < q.cue[0]):
            # "X said that A, according to the Associated Press": X says A, via the agency that reports
            # it; a named speaker or a pronoun only (in "The stockpiling of checks before Bush declared
            # his candidacy spurred A, according to emails" the parse makes "stockpiling" declare A)
            kept[kept.index(outer)] = replace(outer, via=q.speaker if q.speaker != outer.speaker else None)
        elif len(clashes) == 1 and inter == q.length and nested:
            # Nested attribution: the inner source is the speaker, the outer one the via.
            kept[kept.index(outer)] = replace(q, via=outer.speaker if q.speaker != outer.speaker else None,
                                              speaker=q.speaker or outer.speaker)
        elif len(clashes) == 1 and inter == q.length:
            head = _tail_split(outer, q)
            if head is not None:  # "X promised A and said B": two quotes
                kept[kept.index(outer)] = head
                kept.append(q)
    return kept


def _who_is_meant(clause: Token) -> Token:
    """The noun a relative clause describes; for "who", the person it means where the parse hangs the
    clause on a thing in their description ("X, a landowner on the Tanzanian side, who told
    authorities": X, not the side)."""
    head = clause.head
    if clause.dep_ != "relcl" or not any(c.dep_ == "nsubj" and c.lower_ == "who" for c in clause.children) \
            or head.ent_type_ == "PERSON" or head.pos_ == "PRON":
        return head
    for anc in head.ancestors:
        if anc.pos_ in ("VERB", "AUX"):
            break
        if anc.ent_type_ == "PERSON" and anc.pos_ == "PROPN":
            return anc
    return head


def _relayed(doc: Doc | None, inner: RawQuote, outer: RawQuote) -> bool:
    """Whether ``outer`` only relays ``inner``: what a paper or agency reported is that someone
    said something ("The Nyasa Times reported that Malawi's envoy had said A"), the inner
    speaker first and the inner quote last in it. A speaker's own "said Malawi would ask X to Y"
    stays the speaker's: that is a step they announce. An attribution after the statement
    relays a person's clause too ("Minister X stressed that A, the Nation said")."""
    if doc is None or inner.speaker is None or outer.speaker is None or outer.cue is None \
            or inner.speaker == outer.speaker or inner.evidence or inner.modal or inner.cue is None \
            or inner.end < outer.end - 1:
        return False
    cue = doc.char_span(outer.cue[0], outer.cue[1], alignment_mode="expand")
    first = doc[inner.speaker[0]]
    if cue is None or len(cue) == 0 or first.idx != outer.start or first.pos_ == "PRON" or inner.cue[0] >= inner.start:
        return False
    if cue.root.lemma_.lower() == "report":
        return True
    # "X stressed that A, the Nation said": the attribution after the statement relays what X
    # said in a clause (not a step X took: "Japan lodged a protest and asked Beijing to ..., X said")
    said = doc.char_span(inner.cue[0], inner.cue[1], alignment_mode="expand")
    person = any(t.ent_type_ == "PERSON" for t in doc[inner.speaker[0] : inner.speaker[1]])
    return person and outer.cue[0] >= outer.end and said is not None and len(said) > 0 \
        and any(c.dep_ == "ccomp" for c in said.root.children)


def _named(doc: Doc | None, speaker: tuple[int, int] | None) -> bool:
    """Whether a speaker's mention is a name or a pronoun (its head a proper noun, an entity or "he")."""
    if doc is None or speaker is None:
        return False
    head = doc[speaker[0] : speaker[1]].root
    return head.pos_ in ("PROPN", "PRON") or head.ent_type_ in ("PERSON", "ORG", "GPE", "NORP")


def _as_reported_by(tok: Token) -> Token | None:
    """The source of "..., as reported by X": X, when "reported" is a clause of "as" with X as its
    agent (not "the attack, reported by X," nor "as reported earlier")."""
    if tok.dep_ != "advcl" or not any(c.dep_ == "mark" and c.lower_ == "as" for c in tok.children):
        return None
    agent = next((c for c in tok.children if c.dep_ == "agent"), None)
    source = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
    return source if source is not None and not _rule_not_source(source) else None


def _verb_read_as_modifier(tok: Token) -> bool:
    """ "The UN refugee agency called on Malawi and Tanzania to work together": the small model
    can make the sentence a noun phrase whose verb modifies its subject ("the agency [that was]
    called on ..."). A past-tense verb after the sentence's root noun, in a sentence with no
    verb of its own, is the sentence's verb."""
    head = tok.head
    return tok.dep_ == "acl" and tok.tag_ in ("VBD", "VBN") and head.dep_ == "ROOT" \
        and head.pos_ in ("NOUN", "PROPN") and head.i < tok.i \
        and not any(c.dep_ in ("nsubj", "nsubjpass", "agent", "oprd") for c in tok.children) \
        and any(c.dep_ in ("ccomp", "xcomp", "dobj", "prep") for c in tok.children)


def _manner_of_content(doc: Doc | None, inner: RawQuote, outer: RawQuote) -> bool:
    """Whether the inner cue is a subjectless gerund that tells how a deed inside the outer quote
    was done ("X was misleading its fishermen by claiming that A", "accused X of turning the
    villages into bases while telling residents that A"), or a relative clause on a noun inside
    it ("had recorded cases of fishermen who said A"): the outer speaker reports both."""
    if doc is None or inner.cue is None:
        return False
    span = doc.char_span(inner.cue[0], inner.cue[1], alignment_mode="expand")
    if span is None or not len(span):
        return False
    cue = span[0]
    if cue.dep_ == "relcl" and outer.start <= cue.head.idx < outer.end \
            and any(c.dep_ == "nsubj" and c.tag_ in ("WP", "WDT") for c in cue.children):
        return True  # "cases of deportees who said they had been beaten": what the speaker recorded
    if cue.tag_ != "VBG" or any(c.dep_ in _SUBJECTS for c in cue.children):
        return False
    manner = (cue.dep_ == "pcomp" and cue.head.lower_ in ("by", "while", "through")) \
        or (cue.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in ("by", "while") for c in cue.children))
    deed = cue.head.head if cue.dep_ == "pcomp" else cue.head
    return manner and outer.start <= deed.idx < outer.end


def _said_then_reported(tok: Token) -> dict | None:
    """ "A, said ministry spokesman X, the Nyasa Times reported.": an inverted attribution that a
    paper's closing "reported" (or "reports") follows; whatever the parser made of it, X says A,
    via the paper."""
    if tok.lower_ not in ("said", "says"):
        return None
    doc, end = tok.doc, tok.sent.end
    while end > tok.i and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    if end - tok.i < 4 or doc[end - 1].lower_ not in ("reported", "reports"):
        return None
    comma = next((i for i in range(end - 2, tok.i + 1, -1) if doc[i].text == ","), None)
    if comma is None or comma == tok.i + 1:
        return None
    outlet = doc[comma + 1 : end - 1]
    names = [t for t in outlet if t.lower_ != "the"]
    if not names or len(outlet) > 5 or not all(t.pos_ == "PROPN" or t.text[:1].isupper() for t in names):
        return None
    return {"speaker": (tok.i + 1, comma), "appos": None, "via": (outlet.start, outlet.end)}


def _reporters_aside(tok: Token) -> bool:
    """ "It should be noted that ...", "It must be stressed that ...": the reporter's own aside,
    a passive with an empty "it", a modal and no agent, attributes nothing ("It was reported that
    ..." still reports someone's report)."""
    children = list(tok.children)
    return any(c.dep_ == "nsubjpass" and c.lower_ == "it" for c in children) \
        and any(c.dep_ == "aux" and c.lower_ in _MODALS for c in children) \
        and not any(c.dep_ == "agent" for c in children)


def _trailing_participle(tok: Token) -> bool:
    """ ", urging Y to Z": a participle with no subject of its own, right after a comma."""
    return tok.tag_ == "VBG" and tok.dep_ == "advcl" and tok.left_edge.i > 0 \
        and tok.doc[tok.left_edge.i - 1].text == "," and not any(c.dep_ in _SUBJECTS for c in tok.children)


def _told_by_another_since(cue: Token) -> bool:
    """ "... after the navy said A", "... hours before the ministry announced A": a time clause
    whose cue has a named subject of its own is the reporter's setting of another statement,
    not part of what the outer speaker said."""
    return cue.dep_ == "advcl" \
        and any(c.dep_ == "mark" and c.lower_ in ("after", "before", "since", "until") for c in cue.children) \
        and any(c.dep_ == "nsubj" and c.pos_ in ("NOUN", "PROPN") for c in cue.children)


def _cue_within(inner: RawQuote, outer: RawQuote) -> bool:
    return inner.cue is not None and outer.start <= inner.cue[0] < outer.end


def _tail_split(outer: RawQuote, inner: RawQuote, narrated: bool = False) -> RawQuote | None:
    """The outer quote cut before an inner attribution that ends it; a short head stays whole
    unless the inner cue is plainly the reporter's (``narrated``)."""
    if inner.end != outer.end or inner.cue is None or inner.speaker_char is None:
        return None
    cut = inner.cue[0]
    if outer.start <= inner.speaker_char < cut:  # "..., but the minister said B": cut before the speaker
        cut = inner.speaker_char
    if cut - outer.start < 0.4 * outer.length and not narrated:
        return None
    return replace(outer, end=cut)


def _merge_split_quotes(cands: list[RawQuote], marks: list[MarkSpan], text: str) -> list[RawQuote]:
    """ "A," he said, "B." is one quote from A to B, said by him."""
    cands = sorted(cands, key=lambda q: q.start)
    out: list[RawQuote] = []
    for q in cands:
        prev = out[-1] if out else None
        if prev is not None and prev.kind == "direct" and q.kind == "direct" and _split_pair(prev, q, text):
            out[-1] = replace(prev, end=q.end, speaker=prev.speaker or q.speaker, appos=prev.appos or q.appos)
            continue
        out.append(q)
    return out


_TIME_MARKS = frozenset({"after", "as", "when", "before", "while", "since", "once", "until"})


def _after_leading_date(clause: Token, a: int) -> int:
    """ "said on Wednesday it was not aware": the parser hangs the cue's date on the content's verb;
    the date before the content's subject is the reporter's."""
    doc = clause.doc
    prep = doc[a]
    if prep.dep_ != "prep" or prep.head.i != clause.i or prep.lower_ not in ("on", "in", "at"):
        return a
    obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
    subject = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if obj is None or obj.ent_type_ not in ("DATE", "TIME") or subject is None \
            or subject.left_edge.i != prep.right_edge.i + 1:
        return a
    return subject.left_edge.i


def _after_interrupting_time_clause(clause: Token, a: int) -> int:
    """ "said on Friday, as talks resumed in Doha, that its troops had pulled back": the time
    clause between the cue and "that" is the reporter's, not the content's."""
    doc = clause.doc
    mark = next((c for c in clause.children if c.dep_ == "mark" and c.lower_ == "that"), None)
    if mark is None or mark.i <= a + 1 or doc[mark.i - 1].text != ",":
        return a
    adv = next((c for c in clause.children if c.dep_ == "advcl" and c.left_edge.i == a), None)
    if adv is not None and adv.right_edge.i >= mark.i - 2 and adv.right_edge.i < mark.i \
            and any(m.dep_ == "mark" and m.lower_ in _TIME_MARKS for m in adv.children):
        return mark.i + 1
    return a
_MAX_BETWEEN_CHARS = 250
_MAX_ATTRIBUTION_WORDS = 7  # "A," he said, "b": the attribution runs inside one sentence


def _split_pair(a: RawQuote, b: RawQuote, text: str) -> bool:
    """Whether b continues a across an attribution: "A," he said, "B."

    Not when a full stop closes the attribution: in "A," he said. "B." the second quote is a
    statement of its own by the same speaker (LABELS.md's split quote runs inside one sentence).
    """
    between = text[a.end : b.start]
    if len(between) > _MAX_BETWEEN_CHARS or "\n" in between or not (b.inherit or b.rule == "cue-comma"):
        return False
    attribution = between.strip(" ”\"“'`‘’,\x00")
    words = attribution.split()
    return (0 < len(words) <= _MAX_ATTRIBUTION_WORDS and text[a.start : a.end].rstrip()[-1:] in ",—–-"
            and re.search(r"[,:]\s*[“\"'`‘]+$", between) is not None
            and not re.search(r"[!?]|\bthat\b", attribution)
            and all(_abbreviation(w) for w in re.findall(r"(\w+)\.\s", attribution)))


def _abbreviation(word: str) -> bool:
    """ "Mr", "Dr", "Jr": a full stop after such a word does not end a sentence."""
    return word[:1].isupper() and len(word) <= 3

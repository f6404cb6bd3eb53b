"""Link quotes, cues and sources into attributions.

The parse gives sentences, verbs and subjects; ``quotes.find_quotes`` gives the quoted stretches.
Each rule below recognises one construction of reported speech and records which rule fired:

- ``clause``: a reporting verb with a que-clause (« X a affirmé que … »), or a de/à + infinitive
  or noun-phrase object for verbs that take one (« a promis de … », « a qualifié X de « … » »);
- ``incise``: a reporting verb with an inverted subject after what was said
  (« « … », a-t-elle ajouté », « …, a indiqué la police »), or inside a quote;
- ``colon``: a clause whose subject speaks, then a colon and a quote (« X a déclaré : « … » »);
- ``according_to``: « Selon X, … », « D'après X », « Pour X, … »;
- ``next_sentence``: a quote alone, its speaker introduced by the next sentence's subject;
- ``continuation``: a quote alone, continuing the attribution just before it.

Resolution of the source mention into a speaker is ``resolve.py``'s job; here a source is a
token span of the parse.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span as TokenSpan, Token

from .model import entity_label
from .profile import CueEntry, LanguageProfile
from .quotes import Quote

log = logging.getLogger(__name__)

_SUBJECT_DEPS = {"nsubj", "nsubj:pass", "expl:subj", "csubj"}
_CLAUSE_DEPS = {"ccomp", "xcomp", "obj", "advcl", "obl:arg", "parataxis", "dep", "acl", "conj"}
_CONTENT_TRIM = " \t\n,;:.–—-"
_DASHES = ("—", "–")  # dashes that open and close an incise
_WORD = re.compile(r"\w+")
_MAX_HEADING_WORDS = 12  # a subheading is a short line
_SENTENCE_ENDS = (".", "!", "?")


@dataclass
class Candidate:
    """An attribution before speaker resolution. Offsets index ``doc.text``."""

    kind: str
    content: tuple[int, int]
    cue: tuple[int, int] | None
    source: TokenSpan | None
    rule: str
    confidence: float
    via: TokenSpan | None = None
    follows: Candidate | None = None  # continuation: the attribution whose speaker is reused
    quotes: list[Quote] = field(default_factory=list)

    @property
    def start(self) -> int:
        return self.content[0]


class Finder:
    """Runs the rules over one parsed document."""

    def __init__(self, doc: Doc, quotes: list[Quote], profile: LanguageProfile,
                 text: str | None = None):
        self.doc = doc
        self.text = doc.text if text is None else text
        self.quotes = quotes
        self.profile = profile
        self.pronouns: dict[str, str] = {k.lower(): v for k, v in profile.get("pronouns", {}).items()}
        self.according = [w.lower() for w in profile.get("according_to", [])]
        self.according_weak = [w.lower() for w in profile.get("according_to_weak", [])]
        self._according_starts: dict[str, bool] = {}  # could this word start an adjunct?
        self.complementisers = {w.lower() for w in profile.get("complementisers", [])}
        self.light_verbs = {w.lower() for w in profile.get("light_verbs", [])}
        self.light_objects = {w.lower() for w in profile.get("light_verb_objects", [])}
        self.relay_verbs = {w.lower().removeprefix("s'") for w in profile.get("relay_verbs", [])}
        self.min_free_words = int(profile.get("settings", {}).get("min_free_quote_words", 4))
        w = profile.words
        self.reflexive = w("reflexive")                    # s', se
        self.preverbal = w("preverbal_clitics")            # y, en, lui ("…», y affirme le ministère")
        self.light_verb_forms = w("light_verb_forms")      # fait, laissé
        self.auxiliaries = w("auxiliaries")                # avoir, être / have, be
        self.sequence_marks = w("sequence_infinitive_marks")  # avant (de) / (none in English)
        self.carrier_verbs = w("carrier_verbs")            # s'empresser de, se contenter de
        self.protest_verbs = w("protest_verbs")            # manifester (pour réclamer)
        self.source_nouns = w("source_nouns")              # (selon les) estimations (de X)
        self.comparison_words = w("comparison_words")      # comme (le rappelle X) / as
        # "martelant", tagged an adjective: the ending of a present participle
        self.participle_suffix = str(profile.get("present_participle_suffix", ""))
        self.conjunction_que_heads = w("conjunction_que_heads")  # bien (que), alors (que)
        self.neuter_clitics = w("neuter_clitics")          # (comme) le, l' (a dit X)
        self.according_relatives = w("according_relatives")  # (selon) lequel / (according to) whom
        self.purpose_marks = w("purpose_infinitive_marks")  # pour / to
        self.adverbial_marks = w("adverbial_infinitive_marks")  # avant, pour, sans / before, to
        self.clitic = str(profile.get("inverted_clitic_prefix", ""))  # "-" of a-t-il, dit-elle
        self.clitic_words = w("inverted_clitics")          # t, il, elle, on (the pieces)
        self.relatives = w("relative_pronouns")            # qui, que, dont / who, which, that
        self.subject_relatives = w("subject_relatives")    # qui, qu' / who, which, that
        self.impersonal = w("impersonal_pronouns")         # on
        self.not_subjects = w("time_words")                # lundi, hier / Monday, yesterday
        self.mention_trailing = w("mention_trailing")      # et, qui, a, ont
        self.determiners = w("determiners")                # un, le, l', de, du / a, the
        self.definite = frozenset(w.lower() for w in profile.get("settings", {}).get("definite", []))
        self.coordinators = w("coordinators")              # et, mais, ou / and, but, or
        self.of_words = w("of_words")                      # de, du, des, d' / of
        # what may stand between quoted noun phrases of one object: "des « X » et des « Y »",
        # not "de" ("un « retour » de « l'obscurantisme »" is one mixed content)
        # between quoted objects: "le « secret bancaire » et sa « politique de confidentialité »"
        self.object_glue = (self.determiners - (self.of_words - w("plural_determiners"))) \
            | w("possessive_determiners") | self.coordinators
        self.connectors = w("connectors")                  # mais, donc, cependant / but, however
        self.dative = w("dative")                          # à, au, aux / to
        self.speaking_pronouns = w("speaking_pronouns")    # lui, elle, eux / him, her, them
        self.relay_forms = w("relay_forms")                # cite, citent, citant / citing
        self.incise_subject_first = bool(profile.get("incise_subject_first", False))
        self.complementiser_optional = bool(profile.get("complementiser_optional", False))
        self.quoted = bytearray(len(self.text) + 1)
        for q in quotes:
            self.quoted[q.content_start:q.content_end] = b"\x01" * (q.content_end - q.content_start)
        self.used_quotes: set[int] = set()
        self.found: list[Candidate] = []

    # ----------------------------------------------------------------- lexicon

    def cue_of(self, token: Token) -> CueEntry | None:
        """The lexicon entry when ``token`` is a reporting verb, else None."""
        if token.pos_ in ("PUNCT", "DET", "ADP", "CCONJ", "SCONJ", "NUM", "PRON", "SPACE"):
            return None
        lower = token.text.lower()
        entry = None
        if token.pos_ in ("VERB", "AUX"):
            entry = self.profile.cue(token.lemma_)
        if entry is None and lower in self.profile.forms:
            prev = token.nbor(-1) if token.i > 0 else None
            verbal = token.pos_ in ("VERB", "AUX") or self._inverted_after(token) or self._has_aux(token) \
                or (prev is not None and (prev.lower_ in self.reflexive or self.is_clitic(prev))) \
                or (token.i + 1 < len(self.doc) and token.nbor(1).lower_ in self.complementisers
                    and prev is not None and prev.pos_ != "DET") \
                or (prev is not None and prev.text == "," and token.i > 1 and self.quoted[token.nbor(-2).idx - 1]) \
                or self._introduces_quote(token, prev)
            if verbal:
                entry = self.profile.cue(self.profile.forms[lower])
        is_light_object = token.lemma_.lower() in self.light_objects or lower in self.light_objects
        if is_light_object:
            # "savoir", "remarquer", "part" are cues only after faire/laisser: "a fait savoir".
            if self._light_verb(token) is None:
                return None
            return entry or self.profile.cue(lower) \
                or CueEntry(lower, "VERB", frozenset({"que", "quote", "incise"}), 1.0)
        return entry

    def _introduces_quote(self, token: Token, prev: Token | None) -> bool:
        """"Le maire, Paul Roux, tranche : « … »": a verb form right before the colon that opens
        a quotation, which the tagger read as a noun or an adjective after the apposition."""
        if prev is None or prev.pos_ in ("DET", "ADP") or token.i + 1 >= len(self.doc):
            return False
        colon = token.nbor(1)
        return colon.text == ":" and self.quote_starting_after(colon.idx + 1) is not None

    def _light_verb(self, token: Token) -> Token | None:
        """"fait" in "a fait savoir": the light verb before its infinitive, if any."""
        for t in self.doc[max(token.sent.start, token.i - 2):token.i]:
            if t.lemma_.lower() in self.light_verbs or t.text.lower() in self.light_verb_forms:
                return t
        return None

    def _has_aux(self, token: Token) -> bool:
        if any(c.dep_.startswith("aux") for c in token.children):
            return True
        # "a promis", and "a-t-elle promis" (the parser may hang the auxiliary on the clitic)
        k = token.i - 1
        while k > 0 and self.is_clitic(self.doc[k]) and k > token.i - 3:
            k -= 1
        return k >= 0 and self.doc[k].lemma_ in self.auxiliaries and self.doc[k].pos_ == "AUX"

    def _determiner_follows(self, verb: Token) -> bool:
        """"…, écrit l'hebdomadaire", "…, dit le maire": a form the tagger read as a participle,
        with its subject right after it, is a finite verb."""
        nxt = self._next_word(verb)
        if nxt is not None and (nxt.pos_ == "PROPN" or entity_label(nxt) == "PER"):
            return True  # "…, écrit Olivier Roux sur son blog"
        return nxt is not None and nxt.pos_ == "DET" and nxt.head.dep_ in _SUBJECT_DEPS | {"obj"} \
            and nxt.head.head.i == verb.i

    def _inverted_after(self, token: Token) -> bool:
        nxt = token.nbor(1) if token.i + 1 < len(self.doc) else None
        return nxt is not None and self.is_clitic(nxt)

    def is_clitic(self, token: Token) -> bool:
        """An inverted subject clitic glued to the verb: "-t-il", "-elle" (none in English)."""
        if not self.clitic or not token.text.startswith(self.clitic) or len(token.text) <= len(self.clitic):
            return False
        pieces = token.text.lower().split(self.clitic)[1:]
        return all(p in self.clitic_words for p in pieces) if self.clitic_words else True

    def clitic_word(self, token: Token) -> str:
        """"-t-elle" → "elle"."""
        low = token.text.lower().removeprefix(self.clitic) if self.is_clitic(token) else token.text.lower()
        return low.split(self.clitic)[-1] if self.clitic else low

    def is_pronoun(self, token: Token) -> bool:
        return token.text.lower() in self.pronouns or self.is_clitic(token) and self.clitic_word(token) in self.pronouns

    # ----------------------------------------------------------------- spans

    def in_quote(self, pos: int) -> bool:
        return bool(self.quoted[pos])

    def quote_at(self, start: int, end: int) -> list[Quote]:
        return [q for q in self.quotes if q.start < end and q.end > start]

    def verb_group(self, verb: Token) -> tuple[int, int]:
        """Character extent of the verb with its auxiliaries, adverbs and inverted pronoun."""
        start = verb.idx
        for child in verb.children:
            if child.i < verb.i and (child.dep_.startswith("aux") or child.pos_ == "AUX"
                                     and child.dep_ not in _CLAUSE_DEPS and child.dep_ != "ccomp"
                                     or self.is_clitic(child)) and not self.in_quote(child.idx):
                start = min(start, child.idx)
        light = self._light_verb(verb) if self.cue_of(verb) and (
            verb.lemma_.lower() in self.light_objects or verb.text.lower() in self.light_objects) else None
        if light is not None:
            start = min(start, light.idx)
            for child in light.children:
                if child.i < light.i and child.dep_.startswith("aux"):
                    start = min(start, child.idx)
        # An auxiliary the parser attached elsewhere: "a" right before "-t-elle fait".
        i = self.doc.char_span(start, start + 1, alignment_mode="expand")
        if i is not None:
            k = i.start - 1
            while k >= verb.sent.start and (self.doc[k].pos_ == "AUX" and self.doc[k].lemma_ in self.auxiliaries
                                             or self.is_clitic(self.doc[k])
                                             or self.doc[k].lower_ in self.reflexive
                                             or self.doc[k].lower_ in self.preverbal and self.doc[k].pos_ == "PRON"):
                start = self.doc[k].idx
                k -= 1
        carrier = self._carrier(verb)
        if carrier is not None:
            start = min(start, self.verb_group(carrier)[0])  # "finit par ironiser"
        end = verb.idx + len(verb.text)
        return start, end

    def _carrier(self, verb: Token) -> Token | None:
        """"finit" in "finit par lâcher", "s'est contenté" in "s'est contenté de rappeler": the
        verb just before an infinitive cue that says only that the subject did it."""
        head = verb.head
        if "Inf" not in verb.morph.get("VerbForm") or verb.dep_ != "xcomp" or head.i >= verb.i \
                or verb.i - head.i > 3 or head.lemma_.lower() not in self.carrier_verbs:
            return None
        return head

    def trim(self, start: int, end: int) -> tuple[int, int]:
        while start < end and self.text[start] in _CONTENT_TRIM:
            start += 1
        while end > start and self.text[end - 1] in _CONTENT_TRIM:
            end -= 1
        # Unbalanced marks left at an edge by a clause boundary.
        return start, end

    def words(self, start: int, end: int) -> int:
        return len(self.text[start:end].split())

    # ----------------------------------------------------------------- sources

    def subject_of(self, verb: Token, depth: int = 0) -> TokenSpan | None:
        """The mention of who speaks: the subject of the verb, found through the usual detours."""
        if depth > 3:
            return None
        sent = verb.sent
        # Inverted pronoun: a-t-il, dit-elle, raconte-t-on.
        for t in self.doc[verb.i - 3 if verb.i - 3 > sent.start else sent.start: min(verb.i + 3, sent.end)]:
            if self.is_clitic(t) and self.clitic_word(t) in self.pronouns:
                return self.doc[t.i:t.i + 1]
        heads = [verb]
        light = self._light_verb(verb)
        if light is not None:
            heads.append(light)
        for head in heads:
            for child in head.children:
                if child.dep_ in _SUBJECT_DEPS and not self.in_quote(child.idx):
                    if child.lower_ in self.subject_relatives:
                        antecedent = self.relative_antecedent(child)
                        if antecedent is not None:
                            return self.mention(antecedent, verb)
                        if head.dep_ == "acl:relcl":
                            return self.mention(head.head, verb)
                    if child.lower_ in self.impersonal or (child.pos_ in ("VERB", "AUX") and child.dep_ != "nsubj:pass") \
                            or (light is not None and child.i == light.i):
                        continue
                    if child.i + 1 < len(self.doc) and self.doc[child.i + 1].text in _DASHES and any(
                            c.dep_ in _SUBJECT_DEPS and c.i > child.i for c in head.children):
                        continue  # "Montréal — Le maire … a dit": a dateline, not the subject
                    return self.mention(child, verb)
            for child in head.children:
                if child.dep_ == "obl:agent":
                    return self.mention(child, verb)
        if verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX"):
            return self.subject_of(verb.head, depth + 1)
        participle = "Part" in verb.morph.get("VerbForm") or (
            verb.pos_ == "ADJ" and self.participle_suffix and verb.lower_.endswith(self.participle_suffix))
        if verb.dep_ in ("acl", "advcl", "xcomp", "amod") and verb.tag_ != "VERB_FIN" and participle:
            head = verb.head
            if head.pos_ in ("VERB", "AUX"):
                found = self.subject_of(head, depth + 1)
                if found is None or found[0].pos_ == "PRON" and not self.is_pronoun(found[0]):
                    # "ce qu'a confirmé X, ajoutant que…": the main verb's subject is inverted
                    found = self.subject_after(head, verb.idx) or found
                return found
            if head.pos_ in ("NOUN", "PROPN") and verb.i > 0 and verb.nbor(-1).text == ",":
                # "X a maintenu l'interdiction, assurant que…": the participle after a comma
                # describes what the main clause's subject did.
                main = head
                while main.head.i != main.i and not (
                        main.pos_ in ("VERB", "AUX") and ("Fin" in main.morph.get("VerbForm") or self._has_aux(main))):
                    main = main.head  # up to the clause's finite verb, past other participles
                if main.pos_ in ("VERB", "AUX"):
                    found = self.subject_of(main, depth + 1)
                    if found is not None:
                        return found
            if head.pos_ in ("NOUN", "PROPN"):
                entry = self.profile.heads.get(head.lemma_.lower())
                if entry is not None and entry.type == "document" and head.head.pos_ in ("VERB", "AUX") \
                        and head.head.i != head.i:
                    # "TVE a émis un communiqué affirmant que…": TVE speaks.
                    found = self.subject_of(head.head, depth + 1)
                    if found is not None:
                        return found
                if entry is None and any(c.dep_ == "case" for c in head.children):
                    return None  # "mis en garde contre les fake news annonçant…": no one speaks
                return self.mention(head)
        if verb.dep_ in ("advcl", "xcomp", "obl", "obl:mod") and "Inf" in verb.morph.get("VerbForm") \
                and (verb.head.pos_ in ("VERB", "AUX") or self.cue_of(verb.head) is not None) \
                and verb.head.i < verb.i:
            # "…, a-t-il martelé, avant d'ajouter : « … »": the infinitive's subject is the
            # main verb's.
            found = self.subject_of(verb.head, depth + 1)
            if found is not None:
                return found
        if verb.dep_ == "acl:relcl":
            return self.mention(verb.head, verb)
        if depth == 0:
            return self.subject_left(verb)
        return None

    def relative_antecedent(self, relative: Token) -> Token | None:
        """The name or noun right before a subject relative ("résume Jeanne, qui évoque…"),
        whatever the parser hung the relative clause on."""
        k = relative.i - 1
        if k >= relative.sent.start and self.doc[k].text == ",":
            k -= 1
        if k < relative.sent.start or self.in_quote(self.doc[k].idx):
            return None
        t = self.doc[k]
        if t.pos_ != "PROPN" and entity_label(t) != "PER" and t.lemma_.lower() not in self.profile.heads:
            return None  # "une note … datée du 21 avril qui détaille": the parser knows better
        while t.dep_ in ("flat:name", "flat") and t.head.i < t.i:
            t = t.head
        if any(c.dep_ == "case" for c in t.children):
            return None  # "directrice du centre … du Raincy, qui l'accuse": a complement's name
        return t

    def subject_after(self, verb: Token, limit: int) -> TokenSpan | None:
        """A nominal subject inverted after the verb: "…, a indiqué la police"."""
        for child in verb.children:
            if any(g.dep_ == "case" for g in child.children):
                continue  # "a déclaré à l'AFP X": the addressee is not the speaker
            if child.i > verb.i and child.idx < limit and child.dep_ in _SUBJECT_DEPS | {"obj", "nmod", "appos", "obl:mod", "obl:arg", "dep", "flat:name"} \
                    and (child.pos_ == "PRON" or self.nominal(child)) and not self.in_quote(child.idx) \
                    and child.text.lower() not in self.not_subjects \
                    and (child.dep_ in _SUBJECT_DEPS or child.pos_ in ("PRON", "PROPN") or child.text[:1].isupper()
                         or self.can_speak(self.doc[child.i:child.i + 1])):
                return self.mention(child)  # an object may be an inverted subject, if it can speak
        in_pp = False
        for t in self.doc[verb.i + 1: verb.sent.end]:
            if t.idx >= limit:
                break
            if t.is_punct and t.text not in ("'",):
                # "confirme aux « Echos » Benjamin Roux", "s'exclame auprès de 20 Minutes, Farid
                # Aid": marks and a comma after the addressee do not end the search
                if in_pp or self.quoted[t.idx] or t.text in ("«", "»", '"', "“", "”") \
                        or t.text == "," and t.i > verb.i + 1 and self.doc[t.i - 1].pos_ in ("PROPN", "NOUN", "NUM", "PUNCT"):
                    in_pp = False if t.text == "," else in_pp
                    continue
                break
            if t.pos_ == "ADV":
                continue  # "déplore encore aujourd'hui Jeanne"
            if t.pos_ == "ADP":
                in_pp = True
                continue
            if t.pos_ == "DET" and not in_pp:
                continue
            if in_pp and t.pos_ in ("NOUN", "PROPN"):
                in_pp = False  # the PP's noun; the subject comes after it
                continue
            if t.pos_ in ("PROPN",) or (t.pos_ == "NOUN" and t.text.lower() in self.profile.heads):
                return self.mention(t)
            if t.pos_ in ("VERB", "ADJ") and t.text.lower() in self.profile.heads and not in_pp \
                    and t.i > verb.i + 1 and self.doc[t.i - 1].pos_ == "DET":
                return self.doc[t.i - 1:t.i + 1]  # "explique le reporter", read as a verb
        return None

    @staticmethod
    def nominal(token: Token) -> bool:
        """A noun, or a capitalised word the tagger took for an adjective ("la CGT-Cheminots")."""
        return token.pos_ in ("NOUN", "PROPN") or (token.pos_ in ("ADJ", "X") and token.text[:1].isupper())

    def mention(self, token: Token, verb: Token | None = None) -> TokenSpan:
        """The noun phrase headed by ``token``: its subtree, kept contiguous around the head,
        cut before the reporting verb and before any quotation that follows the head."""
        left = min(t.i for t in token.subtree)
        right = max(t.i for t in token.subtree)
        sent = token.sent
        left, right = max(left, sent.start), min(right, sent.end - 1)
        cut = right + 1
        for c in token.children:
            if c.i > token.i and c.dep_ in ("acl", "acl:relcl") and entity_label(token) != "PER" \
                    or c.i > token.i and c.dep_ == "acl:relcl":
                # "un courrier anonyme adressé à l'évêque", "Agnès Desmaret, qui l'accuse": who,
                # not what they did
                cut = min(cut, c.left_edge.i)
        group_start = self.verb_group(verb)[0] if verb is not None and token.i < verb.i else None
        for t in self.doc[token.i + 1:right + 1]:
            if (group_start is not None and t.idx >= group_start) \
                    or (self.quoted[t.idx] and not self.quoted[token.idx]) or "\n" in t.text:
                cut = min(cut, t.i)  # "l'évêque lui a notifié": the verb group starts at its clitic
                break
            if t.dep_.startswith("aux") and t.head.i > right:
                cut = min(cut, t.i)
                break
        start = left
        for t in self.doc[left:token.i]:
            if (verb is not None and t.i <= verb.i and verb.i < token.i) or "\n" in t.text \
                    or t.text in _DASHES or t.text == "-" and t.whitespace_:
                start = t.i + 1  # "Montréal — Le maire …": a dateline is not the mention
        while start < token.i and (self.doc[start].is_punct or self.doc[start].is_space
                                   or self.doc[start].dep_ == "case" and self.doc[start].head.i == token.i):
            start += 1  # "critiqué par les syndicats, qui…": the speaker, not the preposition
        # "Sophie Leroy" where the parser made only "Leroy" the subject.
        while start > sent.start and self.doc[start - 1].pos_ == "PROPN" and not self.quoted[self.doc[start - 1].idx] \
                and (entity_label(self.doc[start - 1]) == "PER" or self.doc[start - 1].lower_ in self.profile.first_names) \
                and (verb is None or not start - 1 <= verb.i < token.i):
            start -= 1
        # "promet Bruno Le Maire" where the parser made "Le Maire" an object: a person's name
        # runs to the end of its entity.
        if entity_label(token) == "PER" and cut <= token.i + 1:
            k = token.i + 1
            while k < sent.end and self.doc[k].ent_iob_ == "I" and entity_label(self.doc[k]) == "PER" \
                    and not self.quoted[self.doc[k].idx]:
                k += 1
            cut = max(cut, k)
        end = cut
        while end > token.i + 1 and (self.doc[end - 1].is_punct or self.doc[end - 1].is_space
                                     or self.doc[end - 1].text.lower() in self.mention_trailing):
            end -= 1
        end = self._apposed_name_end(end, verb)
        return self.doc[start:end]

    def _apposed_name_end(self, end: int, verb: Token | None, inside_quote: bool = False) -> int:
        """Extend a role mention over the name that follows it: "le procureur Julien Roux",
        "Le maire de Vierzon, Paul Garnier,"."""
        if end >= len(self.doc):
            return end
        i = end
        comma = self.doc[i].text == ","
        if comma:
            i += 1
        elif any(t.pos_ == "PROPN" for t in self.doc[max(0, end - 3):end]):
            return end  # "le président Macron" is already a name
        j = i
        while j < len(self.doc) and (self.doc[j].pos_ == "PROPN" or entity_label(self.doc[j]) == "PER") \
                and (inside_quote or not self.quoted[self.doc[j].idx]) and (verb is None or j < verb.i or verb.i < end):
            j += 1
        if j == i or not self.doc[i].text[:1].isupper():
            return end
        if comma and not (entity_label(self.doc[i]) == "PER"
                          or self.doc[i].lower_ in self.profile.first_names):
            return end  # "le maire de Vierzon, Nantes…": not a person's name
        return j

    def subject_left(self, verb: Token) -> TokenSpan | None:
        """When the parser lost the subject: the nearest noun phrase before the verb that is
        not inside a prepositional phrase, a quote or a relative clause."""
        sent = verb.sent
        start = self.verb_group(verb)[0]
        before = [t for t in self.doc[sent.start:verb.i] if t.idx < start]
        if len(before) >= 2 and " ".join(t.lower_ for t in before[-2:]) in self.pronouns:
            return self.doc[before[-2].i:before[-1].i + 1]  # "Ce dernier dit…", parsed as a determiner
        for t in reversed(before):  # "B. Obama … fait savoir": never a word of the verb group
            if self.in_quote(t.idx) or t.dep_ in ("obl:agent", "obl:mod", "obl:arg", "nmod", "obj"):
                continue
            if t.pos_ in ("NOUN", "PROPN") and not any(c.dep_ == "case" for c in t.children):
                if any(a.dep_ == "acl:relcl" for a in t.ancestors if a.i < verb.i and a.i > t.i):
                    continue
                head = t
                while head.dep_ in ("flat:name", "flat", "compound", "appos") and head.head.i < head.i:
                    head = head.head
                return self.mention(head, verb)
        return None

    # ----------------------------------------------------------------- rules

    def run(self) -> list[Candidate]:
        for sent in self.doc.sents:
            self.guarded(self.rule_according_to, sent)
            for token in sent:
                if self.in_quote(token.idx):
                    continue
                entry = self.cue_of(token)
                if entry is not None:
                    self.guarded(self.rule_verb, token, entry)
        self.guarded(self.rule_quotes)
        self.found.sort(key=lambda c: c.content[0])
        return self.found

    def guarded(self, rule, *args) -> None:
        """Run one rule; a bug in it loses that rule's finding here, not the document."""
        try:
            rule(*args)
        except (IndexError, ValueError, AttributeError, KeyError) as exc:
            where = args[0].text[:60] if args and hasattr(args[0], "text") else ""
            log.warning("rule %s failed on %r: %s: %s", rule.__name__, where, type(exc).__name__, exc)

    def add(self, cand: Candidate) -> Candidate | None:
        start, end = self.trim(*cand.content)
        if end <= start:
            return None
        cand.content = (start, end)
        for other in self.found:
            if other.content[0] < end and start < other.content[1]:
                overlap = min(end, other.content[1]) - max(start, other.content[0])
                if overlap > 0.5 * min(end - start, other.content[1] - other.content[0]) \
                        and not self.nested((start, end), cand, other) \
                        and not self.nested(other.content, other, cand, (start, end)):
                    return None
        cand.quotes = self.quote_at(start, end)
        for q in cand.quotes:
            self.used_quotes.add(q.start)
        cand.kind = self.kind_of(start, end, cand.kind)
        if cand.kind == "direct":
            cand.content = cand.quotes[0].words(self.text)
        self.found.append(cand)
        return cand

    def nested(self, content: tuple[int, int], inner: Candidate, outer: Candidate,
               outer_content: tuple[int, int] | None = None) -> bool:
        """Reported speech inside reported speech, by a relative clause: "Le Figaro révélait
        que … une plainte de X, qui l'accuse d'avoir…". The inner report, its cue included,
        lies inside the outer one's paraphrase (never inside a verbatim quote)."""
        lo, hi = outer_content or outer.content
        if outer.kind == "direct" or inner.cue is None or inner.source is None \
                or not (lo <= content[0] and content[1] <= hi and lo <= inner.cue[0] and inner.cue[1] <= hi):
            return False
        lead = self.text[max(lo, inner.cue[0] - 12):inner.cue[0]].lower().replace("'", " ").split()
        return bool(set(lead[-3:]) & self.subject_relatives)

    def kind_of(self, start: int, end: int, default: str) -> str:
        quotes = self.quote_at(start, end)
        if not quotes:
            return "indirect" if default != "direct" else default
        if len(quotes) == 1:
            q = quotes[0]
            outside = self.text[start:q.start] + " " + self.text[q.end:end]
            words = [w for w in outside.split() if any(ch.isalnum() for ch in w)]
            if len(words) <= 1 and all(w.lower() in self.determiners for w in words):
                return "direct"
        return "mixed"

    def content_after(self, start_token: Token, head: Token) -> tuple[int, int]:
        """A reported clause from ``start_token`` to the end of ``head``'s subtree, inside the
        sentence, stopping before a trailing incise or "selon" adjunct."""
        sent = head.sent
        # The parser often ends the clause too early: run on to the end of the sentence, but
        # stop before a verb coordinated with the reporting verb itself ("a estimé que X et
        # appelé à Y", "a dit que X, et a ajouté que Y"): a conjunct with no subject of its own.
        stop = sent.end
        for t in self.doc[start_token.i + 1:sent.end]:
            if t.dep_ != "conj" or t.pos_ not in ("VERB", "AUX") or self.in_quote(t.idx):
                continue
            own_subject = any(c.dep_ in _SUBJECT_DEPS for c in t.children)
            bare_participle = ("Part" in t.morph.get("VerbForm") and t.nbor(-1).lower_ == "et"
                               and not any(c.dep_.startswith("aux") for c in t.children))
            if bare_participle or (t.head.i < start_token.i - 1 and not own_subject):
                # the conjunct's subtree may reach back before the clause: keep one token
                stop = max(start_token.i + 1, min(c.i for c in t.subtree))
                break
        for t in self.doc[start_token.i + 1:stop]:
            if self.in_quote(t.idx):
                continue
            if t.text == ":" and self.quote_starting_after(t.idx + 1) is not None:
                stop = t.i  # "…qu'il ne baissera pas les bras : « … »" — the quote stands alone
                break
            if t.lower_ in self.coordinators and t.i + 1 < stop and self.doc[t.i + 1].lower_ in self.complementisers \
                    and not any(m.pos_ == "SCONJ" and m.lower_ not in self.complementisers
                                for m in self.doc[start_token.i:t.i]):
                stop = t.i  # "que X et qu'Y": two reported clauses (not "si X et qu'Y")
                break
        last = stop - 1
        while last > start_token.i and (self.doc[last].is_punct or self.doc[last].is_space):
            last -= 1
        end_tok = last
        while end_tok > start_token.i and (self.doc[end_tok].lower_ in self.coordinators or self.doc[end_tok].text == ","):
            end_tok -= 1
        # A quote that the clause opens stays whole.
        end = self.doc[end_tok].idx + len(self.doc[end_tok].text)
        for q in self.quotes:
            if q.start < end < q.end and q.start >= start_token.idx:
                end = q.end
        return start_token.idx, self.stop_before_incise(start_token.idx, end, sent)

    def quote_starting_after(self, pos: int) -> Quote | None:
        """A quote that opens right at ``pos`` (spaces skipped)."""
        while pos < len(self.text) and self.text[pos] in " \u00a0":
            pos += 1
        return next((q for q in self.quotes if q.start == pos), None)

    def stop_before_incise(self, start: int, end: int, sent: TokenSpan) -> int:
        """Cut a clause before ", a-t-il ajouté", ", selon X" or ", a indiqué X" at its end."""
        for t in self.doc.char_span(start, end, alignment_mode="expand") or []:
            if t.idx <= start or self.in_quote(t.idx):
                continue
            prev = t.nbor(-1)
            if prev.text != ",":
                continue
            found = self.according_phrase(t)
            if found and found[0] in self.according:
                return prev.idx
            k = t
            while k.pos_ == "AUX" and k.i + 1 < sent.end:
                k = k.nbor(1)
            if self.is_clitic(k) and k.i + 1 < sent.end:
                k = k.nbor(1)
            if self.cue_of(k) is not None and self._inverted_or_no_subject_before(k):
                return prev.idx
        return end

    def _inverted_or_no_subject_before(self, verb: Token) -> bool:
        if self._inverted_after(verb) or any(self.is_clitic(t) for t in self.doc[verb.i - 2:verb.i] if t.i >= verb.sent.start):
            return True
        return not any(c.dep_ in _SUBJECT_DEPS and c.i < verb.i for c in verb.children)

    def rule_verb(self, verb: Token, entry: CueEntry) -> None:
        """A reporting verb outside quotes: a que-clause, an infinitive or object, or an incise."""
        sent = verb.sent
        cue = self.verb_group(verb)
        # 0. "comme le rappelle HRW, « … »": a parenthetical with its subject inverted.
        if self.parenthetical_as(verb, cue) and self.rule_parenthetical(verb, entry, cue):
            return
        # 1. que-clause: "a affirmé que …", "a déclaré au Sénat qu'…", "assurant qu'…".
        nxt = self._next_word(verb)
        que = self.complementiser_of(verb) if "que" in entry.frames else None
        if que is not None and que.i + 1 < sent.end:
            source = self.subject_of(verb)
            via = self.relay_of(verb, source)
            confidence = 0.85 * entry.weight + 0.1
            while que is not None:
                start_tok = que.nbor(1)
                content = self.content_after(start_tok, que.head if que.head.i > que.i else start_tok)
                quoted = self.quoted_segments(*content, self.complementisers | self.coordinators,
                                              adjunct_after=False)
                if quoted:
                    # 'reconnaît que « c'était tendu », que « ça chauffait »': each quotation is
                    # what was said, word for word
                    for q in quoted:
                        self.add(Candidate("direct", (q.start, q.end), cue, source, "clause", confidence, via=via))
                    return
                self.add(Candidate("indirect", content, cue, source, "clause", confidence, via=via))
                que = self.coordinated_que(content[1], sent)
            return
        # 1b. a clause with no complementiser: "He said the plan failed" (English).
        if self.complementiser_optional and "que" in entry.frames and not self.is_incise(verb):
            clause = self.bare_clause_of(verb)
            if clause is not None:
                source = self.subject_of(verb)
                quote = self.quote_starting_after(self.verb_group(verb)[1])
                if quote is None and self.text[cue[1]:cue[1] + 3].lstrip()[:1] in (",", ":"):
                    quote = self.quote_starting_after(self.text.index(self.text[cue[1]:cue[1] + 3].lstrip()[:1], cue[1]) + 1)
                if quote is not None and source is not None:
                    # "He said, "We will win."": the quote is what was said.
                    self.add(Candidate("direct", (quote.start, quote.end), cue, source, "colon", 0.85))
                    return
                if not self.in_quote(clause.idx):
                    content = self.content_after(clause, clause)
                    self.add(Candidate("indirect", content, cue, source, "clause", 0.8 * entry.weight,
                                       via=self.relay_of(verb, source)))
                    return
        # 2. incise: "…, a-t-il ajouté", "…, a indiqué la police", "« … » a déclaré X".
        if self.is_incise(verb) and self.rule_incise(verb, entry, cue):
            return
        # 3. objects: "a promis de …", "a qualifié X de « … »", "réclame « … »".
        if nxt is not None and ({"inf", "np", "quote"} & entry.frames):
            self.rule_object(verb, entry, cue, nxt)
        # 4. a bare infinitive for a verb of saying: "dit avoir des preuves", "avoue être…".
        elif "que" in entry.frames:
            self.rule_bare_infinitive(verb, entry, cue)

    def parenthetical_as(self, verb: Token, cue: tuple[int, int]) -> bool:
        """Whether the verb group follows "comme" (and the neuter "le" / "l'" that stands for
        what is said): "comme le rappelle HRW", "comme l'a indiqué le ministre"."""
        group = self.doc.char_span(cue[0], cue[1], alignment_mode="expand")
        k = (group.start if group is not None else verb.i) - 1
        if k >= verb.sent.start and self.doc[k].lower_ in self.neuter_clitics:
            k -= 1
        return k >= verb.sent.start and self.doc[k].lower_ in self.comparison_words

    def rule_parenthetical(self, verb: Token, entry: CueEntry, cue: tuple[int, int]) -> bool:
        """What the parenthetical reports: the quote or clause after it ("comme le rappelle
        HRW, « … »"), or the clause before it when it ends the sentence ("…, comme l'a
        indiqué le ministre.")."""
        sent = verb.sent
        source = self.subject_after(verb, sent.end_char)
        if source is None:
            return False
        rest = self.text[source.end_char:sent.end_char]
        confidence = 0.85 * entry.weight
        if rest.lstrip().startswith(","):
            start = source.end_char + rest.index(",") + 1
            quote = self.quote_starting_after(start)
            if quote is not None:
                self.add(Candidate("direct", (quote.start, quote.end), cue, source, "incise", confidence))
                return True
            end = sent.end_char
            if self.words(start, end) < 3:
                return False
            self.add(Candidate("indirect", (start, end), cue, source, "incise", confidence))
            return True
        if rest.strip(" .!?\n"):
            return False
        end = self.text.rfind(",", sent.start_char, cue[0])
        if end <= sent.start_char or self.words(sent.start_char, end) < 3:
            return False
        self.add(Candidate("indirect", (sent.start_char, end), cue, source, "incise", confidence))
        return True

    def rule_bare_infinitive(self, verb: Token, entry: CueEntry, cue: tuple[int, int]) -> None:
        """"X dit avoir des preuves" says what "X dit qu'il a des preuves" says."""
        if self.negated(verb) or not self.speaks_in_person(verb):
            return
        infinitive = next((c for c in verb.children if c.dep_ in ("xcomp", "ccomp", "obj") and c.i > verb.i
                           and self._infinitival(c)
                           and not any(g.dep_ in ("mark", "case") for g in c.children)), None)
        if infinitive is None:
            return
        source = self.subject_of(verb)
        if source is None:
            return
        sent = verb.sent
        start = infinitive.left_edge if infinitive.left_edge.i > verb.i else infinitive
        end_tok = self.doc[max(t.i for t in infinitive.subtree)]
        end = self.stop_before_incise(start.idx, min(end_tok.idx + len(end_tok.text), sent.end_char), sent)
        if self.words(start.idx, end) < 2:
            return
        self.add(Candidate("indirect", (start.idx, end), cue, source, "clause", 0.75 * entry.weight,
                           via=self.relay_of(verb, source)))

    @staticmethod
    def _infinitival(token: Token) -> bool:
        """An infinitive, simple or compound ("avoir vu", whose auxiliary is the infinitive)."""
        return "Inf" in token.morph.get("VerbForm") or any(
            a.dep_.startswith("aux") and "Inf" in a.morph.get("VerbForm") and a.i < token.i
            for a in token.children)

    def bare_clause_of(self, verb: Token) -> Token | None:
        """The first token of a reported clause the verb takes without a complementiser."""
        for child in verb.children:
            if child.dep_ == "ccomp" and child.i > verb.i:
                if any(m.dep_ == "mark" and m.i < child.i for m in child.children):
                    return None
                start = child.left_edge
                while start.i < child.i and (start.is_punct or start.is_space):
                    start = start.nbor(1)
                if start.i <= verb.i:
                    return None
                return start
        return None

    def complementiser_of(self, verb: Token) -> Token | None:
        """The que/qu' opening the verb's reported clause, if it has one."""
        for child in verb.children:
            if child.dep_ in ("ccomp", "xcomp", "obj", "advcl", "conj", "parataxis") and child.i > verb.i:
                for mark in child.children:
                    if mark.dep_ == "mark" and mark.lower_ in self.complementisers and mark.i > verb.i:
                        if not self.in_quote(mark.idx) and self._between_is_adjunct(verb, mark) \
                                and not self._conjunction_que(mark):
                            return mark
        # The parser hung the clause elsewhere: "que" a few words after the verb.
        for t in self.doc[verb.i + 1:min(verb.i + 9, verb.sent.end)]:
            if t.lower_ in self.complementisers and not self.in_quote(t.idx):
                return t if self._between_is_adjunct(verb, t) and not self._conjunction_que(t) else None
            if t.pos_ in ("VERB",) or t.text in (".", ";", ":", "«", "»", "\""):
                return None
        return None

    def _conjunction_que(self, mark: Token) -> bool:
        """"bien que", "alors que", "parce que": a conjunction that ends in que opens an
        adjunct, not what was said."""
        return mark.i > 0 and self.doc[mark.i - 1].lower_ in self.conjunction_que_heads

    def _between_is_adjunct(self, verb: Token, mark: Token) -> bool:
        """Only adverbs, pronouns and short prepositional phrases between the verb and que:
        "a déclaré au Sénat que", "a assuré à l'AFP qu'", "a-t-il ajouté que"."""
        between = self.doc[verb.i + 1:mark.i]
        if len(between) > 8:
            return False
        # "…annonçant une baisse, martelant que…": que is the nearer cue's, even mistagged
        return not any(t.pos_ in ("VERB",) or t.text in (".", ";", ":")
                       or t.pos_ == "ADJ" and self.cue_of(t) is not None for t in between)

    def coordinated_que(self, end: int, sent: TokenSpan) -> Token | None:
        """"… que X et qu'Y": the complementiser of a second reported clause right after."""
        if end >= sent.end_char:
            return None
        rest = self.doc.char_span(end, sent.end_char, alignment_mode="expand")
        if rest is None:
            return None
        words = [t for t in rest if not t.is_space and t.text not in (",", "»", "”", "\"")][:2]
        if len(words) == 2 and words[0].lower_ in self.coordinators and words[1].lower_ in self.complementisers \
                and words[1].i + 1 < sent.end:
            return words[1]
        return None

    def negated(self, verb: Token) -> bool:
        verbs = [verb, verb.head] if verb.dep_ == "conj" else [verb]
        return any((c.dep_ == "advmod" and "Polarity=Neg" in str(c.morph)) or c.lower_ == "ni"
                   for v in verbs for c in v.children)

    def _next_word(self, verb: Token) -> Token | None:
        """The first word after the verb group (skipping inverted pronouns and adverbs)."""
        for t in self.doc[verb.i + 1: verb.sent.end]:
            if self.is_clitic(t) or t.pos_ == "ADV" and t.text.lower() not in self.complementisers or t.is_space:
                continue
            return t
        return None

    def is_incise(self, verb: Token) -> bool:
        """Is the verb placed after (or inside) what was said, with an inverted subject?"""
        group_start = self.verb_group(verb)[0]
        sent = verb.sent
        if self.incise_subject_first:
            # "…, Sabato said": what precedes the subject must be what was said.
            for c in verb.children:
                if c.dep_ in _SUBJECT_DEPS and c.i < verb.i and not self.in_quote(c.idx) and c.pos_ != "VERB":
                    group_start = min(group_start, c.left_edge.idx)
        before = self.text[sent.start_char:group_start].rstrip()
        if not before:
            return False
        closes_quote = any(q.end == sent.start_char + len(before) for q in self.quotes)
        if not (before.endswith(",") or before[-1] in "»”\"" or closes_quote
                or before.endswith("…")):
            return False
        subject_before = any(c.dep_ in _SUBJECT_DEPS and c.i < verb.i and not self.is_clitic(c)
                             and c.pos_ in ("NOUN", "PROPN", "PRON") and not self.in_quote(c.idx)
                             for c in verb.children)
        # The parser often calls an inverted subject an object; not when the verb has its
        # subject before it ("un courrier anonyme, …, a révélé la double appartenance"), with
        # no other finite verb between them ("La réforme est « mal ficelée », a estimé X").
        own_subject = subject_before and any(
            c.dep_ in _SUBJECT_DEPS and c.i < verb.i and c.pos_ in ("NOUN", "PROPN")
            and not self.in_quote(c.idx)
            and not any("Fin" in t.morph.get("VerbForm") for t in self.doc[c.i + 1:verb.i]
                        if not self.in_quote(t.idx) and not t.dep_.startswith("aux"))
            for c in verb.children)
        inverted = self._inverted_after(verb) or any(
            self.is_clitic(t) for t in self.doc[max(verb.sent.start, verb.i - 2):verb.i]) or any(
            (c.dep_ in _SUBJECT_DEPS or c.dep_ == "obj" and self.nominal(c) and not own_subject
             and (c.pos_ == "PROPN" or self.can_speak(self.doc[c.i:c.i + 1])))
            and c.i > verb.i and not any(g.dep_ == "case" for g in c.children)
            for c in verb.children)  # "…, a exigé le départ du prêtre": a departure speaks not
        if not inverted and not self.incise_subject_first and subject_before:
            return False
        forms = verb.morph.get("VerbForm")
        if "Part" in forms and "Pres" in verb.morph.get("Tense") and not self._inverted_after(verb):
            return False  # "…, dénonçant un « retour »": a participial clause, not an incise
        carrier = self._carrier(verb)
        if carrier is not None and "Fin" not in carrier.morph.get("VerbForm") and not self._has_aux(carrier):
            return False  # "…, pour finir par lâcher …"
        if ("Part" in forms or "Inf" in forms) and carrier is None and not self._has_aux(verb) \
                and not self._inverted_after(verb) and not ("Part" in forms and self._determiner_follows(verb)):
            return False  # "…, insistant sur …", "…, ajoutée à …": participles, not incises
        # What comes before must be something said: a quote, or a clause with its own verb —
        # not the subject and its apposition ("Le maire, Paul Roux, réclame …").
        prior = [t for t in sent if t.idx < group_start]
        if any(self.quoted[t.idx] for t in prior):
            return True
        if any(t.pos_ in ("VERB", "AUX") and not self.is_clitic(t) for t in prior):
            return True
        # "Le ministère table sur 0,8 %, a indiqué un porte-parole": the parser took the
        # clause's verb for a noun, but a subject inverted after the verb is an incise anyway.
        inverted_noun = any((c.dep_ in _SUBJECT_DEPS or c.dep_ == "obj") and c.i > verb.i
                            and not any(g.dep_ == "case" for g in c.children)
                            and (entity_label(c) == "PER" or c.lemma_.lower() in self.profile.heads
                                 or c.lower_ in self.profile.heads)
                            for c in verb.children)
        return inverted_noun and sum(1 for t in prior if t.is_alpha) >= 4

    def rule_incise(self, verb: Token, entry: CueEntry, cue: tuple[int, int]) -> bool:
        """Whether an incise was found (a verb with no inverted subject may take an object)."""
        sent = verb.sent
        group_start = cue[0]
        source = self.incise_source(verb)
        if source is not None and source.start_char < group_start and source.start_char > sent.start_char:
            group_start = source.start_char  # "…," Hugh Hill said: what was said ends before him
        comma = self.text.rfind(",", sent.start_char, group_start)
        before_end = group_start
        while before_end > sent.start_char and self.text[before_end - 1] in " ,":
            before_end -= 1
        # The content runs back to the start of the sentence, or to the previous incise.
        start = sent.start_char
        for other in self.found:
            if sent.start_char <= other.content[1] <= before_end and other.cue and other.cue[1] <= before_end:
                start = max(start, other.cue[1])
        quote_before = [q for q in self.quotes if q.end <= group_start and q.end >= before_end - 1
                        and q.start >= sent.start_char]
        if source is None:
            return False
        if quote_before:
            q = quote_before[-1]
            lead = self.text[start:q.start]
            lead_words = [w for w in lead.split() if any(ch.isalnum() for ch in w)]
            if len(lead_words) >= 3 and not lead.rstrip().endswith(":"):
                content = (start, q.end)
                kind = "mixed"
            else:
                content = (q.start, q.end)
                kind = "direct"
        else:
            if comma < 0:
                return False
            content = (start, before_end)
            kind = "indirect"
            if self.words(*content) < 3:
                return False
        cand = Candidate(kind, content, cue, source, "incise", 0.9 * entry.weight,
                         via=self.relay_of(verb, source))
        self.add(cand)
        return True

    def incise_source(self, verb: Token) -> TokenSpan | None:
        """Who speaks in an incise: an inverted pronoun (a-t-elle), a subject after the verb
        (a indiqué la police), or for "a-t-on appris", the source "auprès de" whom."""
        sent = verb.sent
        for t in self.doc[max(sent.start, verb.i - 3):min(verb.i + 3, sent.end)]:
            if self.is_clitic(t) and self.clitic_word(t) in self.pronouns:
                if self.clitic_word(t) not in self.impersonal:
                    return self.doc[t.i:t.i + 1]
                return self.learned_from(verb)
        subject = self.subject_of(verb)
        if subject is not None and self.incise_subject_first and subject.start < verb.i \
                and not self.in_quote(subject.start_char):
            # English: "…," Hugh Hill said; "…," he told reporters (not "reporters")
            return subject
        after = self.subject_after(verb, sent.end_char)
        if after is not None:
            return after
        if subject is not None and subject.start > verb.i:
            return subject
        return None

    def learned_from(self, verb: Token) -> TokenSpan | None:
        """"a-t-on appris auprès de la gendarmerie", "de source policière"."""
        rest = self.text[verb.idx:verb.sent.end_char].lower()
        for marker in self.profile.get("learned_from", []):
            at = rest.find(" " + marker.lower() + " ")
            if at < 0 and marker.endswith("'"):
                at = rest.find(" " + marker.lower())
            if at >= 0:
                pos = verb.idx + at + 1 + len(marker)
                if marker.lower().startswith("de source"):
                    pos = verb.idx + at + 1 + 3  # "de source policière" → "source policière"
                span = self.doc.char_span(pos, verb.sent.end_char, alignment_mode="expand")
                if span is None:
                    continue
                tokens = [t for t in span if not t.is_space]
                if not tokens:
                    continue
                end = tokens[0].i
                while end < span.end and not self.doc[end].is_punct:
                    end += 1
                if end > tokens[0].i:
                    return self.doc[tokens[0].i:end]
        return None

    def rule_object(self, verb: Token, entry: CueEntry, cue: tuple[int, int], nxt: Token) -> None:
        """"a promis de rouvrir l'usine", "a accusé X de « … »", "réclame « … »", "a nié toute
        responsabilité": what the verb's object says, for verbs whose object is speech."""
        sent = verb.sent
        if self.negated(verb) or not self.speaks_in_person(verb):
            return  # "n'a ni confirmé ni démenti", "pour plaider", "la fermeture annoncée"
        if self.so_called(verb):
            return
        if any(c.dep_ == "obj" and c.pos_ == "PRON" and c.lower_ in self.relatives for c in verb.children):
            return  # "ce que la direction appelle une « réorganisation »": naming, not saying
        heads = [verb]
        light = self._light_verb(verb) if verb.pos_ == "NOUN" else None
        if light is not None:
            heads.append(light)  # "fait état de la vente": the parser hangs it on "fait"
        objects = [c for head in heads for c in head.children if c.i > verb.i and not c.is_punct
                   and not c.is_space
                   and c.dep_ in ("obj", "xcomp", "ccomp", "obl:arg", "iobj", "obl:mod", "nmod")]

        def adjunct(c: Token) -> bool:
            """"mercredi", "pour sa part", "sur les réseaux sociaux", "avant de partir": where,
            when or why, not what."""
            if any(g.dep_ == "mark" and g.lower_ in self.adverbial_marks for g in c.children):
                return True
            cases = [g for g in c.children if g.dep_ == "case" and g.pos_ == "ADP"]
            if any(g.lower_ not in self.dative and g.lower_ not in self.of_words for g in cases):
                return True
            return c.dep_ in ("obl:mod", "nmod") and not cases  # "appelé au rejet" is an object

        core = [c for c in objects if not adjunct(c)]
        if core:
            # "dénonce pour sa part « … »": an adjunct before the object is not what was said.
            objects = [c for c in objects if not adjunct(c) or c.i > min(o.i for o in core)]
        else:
            # "a démenti sur les réseaux sociaux : « … »": an adjunct alone is not what was
            # said, unless the parser hung the quote on it.
            objects = [self._object_hung_on(c) if adjunct(c) else c for c in objects
                       if not adjunct(c) or "Inf" in c.morph.get("VerbForm")
                       or self.quote_at(c.left_edge.idx, c.right_edge.idx + len(c.right_edge.text))]
        infinitive = next((c for c in objects if self._infinitival(c)), None)
        if infinitive is None:
            # "accuse le préfet de mentir", "somme les opérateurs de rétablir le réseau": the
            # parser may hang the infinitive on the object
            infinitive = next((g for c in objects if c.pos_ in ("NOUN", "PROPN", "PRON") for g in c.children
                               if g.i > c.i and "Inf" in g.morph.get("VerbForm")
                               and any(m.dep_ == "mark" for m in g.children)), None)
        quoted_after = next((q for q in self.quotes if q.start >= nxt.idx and q.start - nxt.idx <= 12
                             and q.start not in self.used_quotes and q.end <= sent.end_char + 1), None)
        if infinitive is not None and "inf" in entry.frames:
            mark = next((c for c in infinitive.children if c.dep_ == "mark" and c.i < infinitive.i), None)
            # "a demandé aux maires de limiter…": the addressee (à X) is not what was said.
            direct = [o for o in objects if o.i <= infinitive.i and not any(
                c.dep_ == "case" and c.lower_ in self.dative for c in o.children)]
            first = min(direct or [infinitive], key=lambda o: o.i)
            start = first.left_edge if first.left_edge.i > verb.i else nxt
            if first is infinitive and mark is not None:
                start = self.doc[mark.i + 1] if mark.i + 1 < len(self.doc) else infinitive
            end_tok = max(t.i for t in infinitive.subtree)
            for c in infinitive.subtree:
                # "d'avoir mis fin à ses fonctions…, après avoir reçu des textos": an adjunct
                # after a comma says when, not what
                if c.i > infinitive.i and c.dep_ == "advcl" and c.left_edge.i > 0 \
                        and self.doc[c.left_edge.i - 1].text == "," \
                        and any(g.dep_ == "mark" and g.lower_ in self.adverbial_marks for g in c.children):
                    end_tok = min(end_tok, c.left_edge.i - 2)
        elif objects and ({"np", "a_np", "quote"} & entry.frames):
            first = min(objects, key=lambda c: c.i)
            start = first.left_edge if first.left_edge.i > verb.i else nxt
            end_tok = max(max(t.i for t in o.subtree) for o in objects)
            if not ({"np", "a_np"} & entry.frames) and not self.quote_at(start.idx, self.doc[end_tok].idx + 1):
                return  # "a salué les efforts": an evaluative verb counts only with a quote
            for c in verb.children:
                # "a demandé la comparution du ministre afin qu'il s'explique": what the
                # request is for is part of it
                if c.dep_ == "advcl" and c.i > end_tok and any(
                        g.dep_ == "mark" and g.lower_ in self.purpose_marks and g.i == end_tok + 1
                        for g in c.children):
                    end_tok = max(t.i for t in c.subtree)
        elif quoted_after is not None and "quote" in entry.frames:
            start, end_tok = nxt, self.doc.char_span(quoted_after.start, quoted_after.end,
                                                     alignment_mode="expand").end - 1
        else:
            return
        if start.lower_ in self.dative and "np" not in entry.frames and "a_np" not in entry.frames \
                and infinitive is None:
            return
        if "a_np" in entry.frames and "np" not in entry.frames and infinitive is None \
                and start.lower_ not in self.dative:
            return  # "appeler à la grève" is a call; "appeler une « réorganisation »" is naming
        if start.lower_ in self.dative and infinitive is None:
            start = start.nbor(1) if start.lower_ in self.profile.words("dative_bare") else start
        end = min(self.doc[end_tok].idx + len(self.doc[end_tok].text), sent.end_char)
        for q in self.quotes:
            if q.start < end < q.end:
                end = q.end
        for t in self.doc[start.i:end_tok + 1]:
            if t.text in (".", "!", "?") and not self.in_quote(t.idx):
                end = min(end, t.idx)  # the parser ran the object past the sentence's end
                break
        while start.i < end_tok and (start.lower_ in self.not_subjects or start.is_punct
                                     or light is not None and start.lower_ in self.of_words) \
                and not self.in_quote(start.idx):
            start = start.nbor(1)  # "fait état de la vente": the cue's preposition is the cue's
        content = (start.idx, self.stop_before_incise(start.idx, end, sent))
        if infinitive is None and "Dem" in start.morph.get("PronType") and not self.quote_at(*content):
            return  # "a révélé ce décès", "a confirmé cette information": it points back to what was said
        if any(c.dep_ in ("aux:pass", "nsubj:pass") for c in verb.children):
            return  # "Dix ans de prison ont été requis": the subject is what was said, not who
        if entity_label(start) == "PER" or start.pos_ == "PROPN":
            name_end = start.i
            while name_end + 1 < len(self.doc) and self.doc[name_end + 1].pos_ == "PROPN":
                name_end += 1
            if name_end + 1 < len(self.doc) and self.doc[name_end + 1].text == ":":
                return  # "a répondu Olivier Falorni : « … »": the speaker, then what he said
        quoted = self.quote_at(*content)
        if not quoted and infinitive is None and not ({"np", "a_np"} & entry.frames):
            return
        source = self.subject_of(verb)
        if source is None:
            return
        via = self.relay_of(verb, source)
        quoted_objects = self.quoted_segments(*content, self.object_glue)
        if quoted_objects:
            # "fustige un « mauvais coup » à quelques jours du scrutin", "dit des « peut-être »
            # et des « je ne sais pas »": each quoted noun phrase is a direct quote of its own.
            for q in quoted_objects:
                self.add(Candidate("direct", (q.start, q.end), cue, source, "object", 0.7 * entry.weight, via=via))
            return
        self.add(Candidate("indirect", content, cue, source, "object", 0.7 * entry.weight, via=via))

    def _object_hung_on(self, adjunct: Token) -> Token:
        """"a reconnu dans Le Parisien un « moment de faiblesse »": the parser hung the object
        on the adjunct before it; a noun phrase with no preposition of its own after the
        adjunct's noun is the object."""
        for child in adjunct.children:
            if child.i > adjunct.i and child.dep_ in ("nmod", "appos", "obj") and child.pos_ == "NOUN" \
                    and not any(g.dep_ == "case" for g in child.children) \
                    and any(g.dep_ == "det" for g in child.children) \
                    and self.quote_at(child.left_edge.idx, child.right_edge.idx + len(child.right_edge.text)):
                return child
        return adjunct

    def quoted_segments(self, start: int, end: int, glue: frozenset[str],
                        adjunct_after: bool = True) -> list[Quote]:
        """The quotations that make up a content by themselves: between them only ``glue``
        words (determiners and coordinators for objects, complementisers for clauses), and
        after the last one nothing, or (``adjunct_after``) an adjunct that a preposition opens,
        not a de-complement ("un « retour » de l'obscurantisme" is mixed). Empty when the
        content is a single quotation already, or is not made of quotations."""
        quotes = self.quote_at(start, end)
        if not quotes:
            return []
        at = start
        for q in quotes:
            words = [w.lower() for w in self.text[at:q.start].replace("’", "'").split()
                     if any(ch.isalnum() for ch in w)]
            if any(w not in glue for w in words):
                return []
            at = q.end
        rest = self.doc.char_span(at, end, alignment_mode="expand")
        tokens = [t for t in rest if not t.is_punct and not t.is_space] if rest is not None else []
        if tokens and (not adjunct_after or tokens[0].pos_ != "ADP" or tokens[0].lower_ in self.of_words):
            return []
        return quotes if len(quotes) > 1 or tokens else []

    def so_called(self, verb: Token) -> bool:
        """"Le quartier dit « des Capucins » sera rénové": a naming participle right after a
        noun, whose quoted name is followed at once by the clause's own verb."""
        if verb.lower_ not in self.profile.words("so_called") or verb.i == 0 or \
                self.doc[verb.i - 1].pos_ not in ("NOUN", "PROPN"):
            return False
        quote = self.quote_starting_after(verb.idx + len(verb.text))
        if quote is None:
            return False
        after = self.doc.char_span(quote.end, verb.sent.end_char, alignment_mode="expand")
        words = [t for t in after or [] if not t.is_space]
        return bool(words) and words[0].pos_ in ("VERB", "AUX")

    def speaks_in_person(self, verb: Token) -> bool:
        """A finite verb, a participle with its auxiliary, or a gerund-like present participle:
        not an infinitive of purpose nor an adjectival participle."""
        forms = verb.morph.get("VerbForm")
        if "Fin" in forms or self._has_aux(verb):
            return True
        if verb.lemma_.lower() in self.light_objects or verb.lower_ in self.light_objects:
            light = self._light_verb(verb)  # "fait état de", "a fait part de"
            return light is not None and self.speaks_in_person(light)
        if "Part" in forms and "Tense=Pres" in str(verb.morph):
            return True  # "affirmant", "ajoutant", "évoquant"
        if "Part" in forms and verb.dep_ == "conj":
            return True  # "a estimé … et appelé à …"
        if ("Part" in forms or "Inf" in forms) and verb.dep_ == "ROOT" \
                and any(c.dep_ == "nsubj" for c in verb.children):
            # "Ziad Takieddine dit avoir…", "L'opposition demanda hier…": a finite verb the
            # tagger read as a participle or an infinitive
            return True
        if "Inf" in forms and any(c.dep_ == "mark" and c.lower_ in self.sequence_marks for c in verb.children):
            return True  # "…, avant de réclamer « … »": what the subject went on to do
        if "Inf" in forms and verb.head.lemma_.lower() in self.protest_verbs and verb.head.i < verb.i \
                and any(c.dep_ == "mark" and c.lower_ in self.purpose_marks for c in verb.children) \
                and self.speaks_in_person(verb.head):
            return True  # "a manifesté devant Bercy pour réclamer le rétablissement des crédits"
        if "Inf" in forms and verb.dep_ == "xcomp" and verb.head.lemma_.lower() in self.carrier_verbs \
                and verb.head.i != verb.i and self.speaks_in_person(verb.head):
            return True  # "s'empresse de renier toute responsabilité"
        return not forms and verb.pos_ == "VERB" and verb.dep_ in ("ROOT", "conj")

    def relay_of(self, verb: Token, source: TokenSpan | None) -> TokenSpan | None:
        """Whom the source cites: "X, citant des sources, a rapporté" or ", selon un communiqué de Y"."""
        sent = verb.sent
        for t in sent:
            if t.lemma_.lower() in self.relay_verbs and t.i != verb.i and not self.in_quote(t.idx):
                for child in t.children:
                    if child.dep_ in ("obj", "obl:arg", "obl:mod", "nmod") and child.i > t.i:
                        return self.mention(child)
        for t in sent:
            found = self.according_phrase(t)
            if found and found[0] in self.according and t.i > verb.i and not self.in_quote(t.idx):
                span = self.according_object(t)
                if span is not None:
                    return span
        return None

    def according_phrase(self, token: Token) -> tuple[str, Token] | None:
        """The according-to adjunct starting at ``token`` ("selon", "d'après", "according to"),
        as written in the profile, with its last token."""
        low = token.lower_
        starts = self._according_starts.get(low)
        if starts is None:
            starts = self._according_starts[low] = any(
                p.startswith(low) for p in self.according + self.according_weak)
        if not starts:
            return None
        for k in range(3, -1, -1):
            if token.i + k >= token.sent.end:
                continue
            last = self.doc[token.i + k]
            phrase = self.text[token.idx:last.idx + len(last.text)].lower()
            if phrase in self.according_weak and token.i > token.sent.start \
                    and self.doc[token.i - 1].pos_ in ("NOUN", "PROPN", "ADJ"):
                return None  # "Journaliste pour l'agence X, …": a complement of the noun
            if phrase in self.according or phrase in self.according_weak:
                return phrase, last
        return None

    def according_object(self, token: Token) -> TokenSpan | None:
        """The noun phrase after "selon"/"d'après"/"pour", up to a comma or the clause's end."""
        sent = token.sent
        found = self.according_phrase(token)
        start = (found[1].i if found else token.i) + 1
        end = start
        while end < sent.end:
            t = self.doc[end]
            if t.text in (",", ";", ":", ".", "!", "?", "«", "»", "\"", "“", "”", "(") or "\n" in t.text \
                    or t.text in _DASHES:
                break
            if t.pos_ in ("VERB", "AUX") and end > start + 1 and t.dep_ not in ("acl",) and "Part" not in t.morph.get("VerbForm"):
                break
            end += 1
        if end == start or self.doc[start].lower_ in self.according_relatives:
            return None  # "un article selon lequel …": the article speaks, not "lequel"
        # "selon les estimations de plusieurs médias": the nouns of what a source gives stand
        # for it
        head = self.doc[start]
        while head.i + 1 < end and head.pos_ != "NOUN":
            head = self.doc[head.i + 1]
        if head.lemma_.lower() in self.source_nouns or head.lower_ in self.source_nouns:
            of = next((c for c in head.children if c.i > head.i and c.i < end
                       and any(g.dep_ == "case" and g.lower_ in self.of_words for g in c.children)), None)
            if of is not None:
                start = min(t.i for t in of.subtree if t.dep_ != "case" and t.i > head.i)
        # "Selon le président du conseil, Michel Spiro, …": the name in apposition belongs too.
        if end < sent.end and self.doc[end].text == ",":
            k = end + 1
            if k < sent.end and self.doc[k].lower_ in self.definite:
                k += 1
            j = k
            while j < sent.end and (self.doc[j].pos_ == "PROPN" or entity_label(self.doc[j]) in ("PER", "ORG")):
                j += 1
            if j > k and (j >= sent.end or self.doc[j].text in (",", ":", ".", "!", "?", ";")):
                end = j
        return self.doc[start:end]

    def rule_according_to(self, sent: TokenSpan) -> None:
        """"Selon X, …", "…, selon X.", "D'après X, …", "Pour X, …"."""
        for token in sent:
            if self.in_quote(token.idx):
                continue
            found = self.according_phrase(token)
            if found is None:
                continue
            low, last = found
            weak = low in self.according_weak
            obj = self.according_object(token)
            if obj is None:
                continue
            if weak and not self.can_speak(obj):
                continue
            cue_end = last.idx + len(last.text)
            cue = (token.idx, cue_end)
            # Another reporting verb with its own subject in the sentence: then this is a relay.
            if any(self.cue_of(t) is not None and self.subject_of(t) is not None and not self.in_quote(t.idx)
                   for t in sent if t.i < token.i):
                if not weak:
                    continue
            lead = self.text[sent.start_char:token.idx]
            # A sentence the parser glued on ("…mal-formé ».Pour le collectif, …").
            cut = max(lead.rfind(". "), lead.rfind(".") if lead.rstrip().endswith(".") is False else -1,
                      lead.rfind("! "), lead.rfind("? "), lead.rfind("»."))
            if cut >= 0 and not self.in_quote(sent.start_char + cut):
                lead = lead[cut + 1:]
            lead = lead.strip(" \n,»")
            lead_words = [w for w in lead.split() if any(ch.isalnum() for ch in w)]
            if len(lead_words) <= 2:
                # Sentence-initial adjunct: the content follows it.
                after = obj.end_char
                content = (after, sent.end_char)
                if self.words(*content) < 2:
                    continue
            else:
                if weak:
                    continue
                content = (sent.start_char, token.idx)
                # Leading connectors ("Mais,") are not content.
                if self.text[content[0]:content[1]].split(",")[0].strip().lower() in self.connectors:
                    content = (self.text.index(",", content[0]) + 1, content[1])
                # "La réforme — « une erreur », selon l'opposition — sera…": inside an open dash
                # incise, what is attributed starts after the dash.
                dashes = [i for i in range(content[0], content[1])
                          if self.text[i] in _DASHES and not self.in_quote(i)]
                if len(dashes) % 2 == 1:
                    content = (dashes[-1] + 1, content[1])
            via = None
            relative = self.relative_after(obj, sent)
            if relative is not None and content[0] >= obj.end_char:
                # "Selon Reuters, qui cite trois sources, la fusion…": content after the relative.
                content = (relative[1] + 1, content[1])
                via = self.relay_in(relative)
            for t in obj:
                if t.lemma_.lower() in self.relay_verbs:
                    via = next((self.mention(c) for c in t.children if c.dep_ in ("obj",) and c.i > t.i), None)
            # "selon Les Échos, qui citent des documents": the relative clause after the comma.
            if via is None and obj.end + 1 < sent.end and self.doc[obj.end].text == "," and (
                    self.doc[obj.end + 1].lower_ in self.relatives | self.relay_forms):
                # Only in the clause set off right after the source, not in what it says
                # ("De l'avis d'un diplomate, Paris cherche à reprendre la main").
                aside_end = next((t.i for t in self.doc[obj.end + 1:sent.end] if t.text == ","), sent.end)
                for t in self.doc[obj.end: aside_end]:
                    if t.lemma_.lower() in self.relay_verbs:
                        via = next((self.mention(c) for c in t.children if c.dep_ in ("obj",) and c.i > t.i), None)
                        if via is not None:
                            if content[0] < obj.start_char:
                                content = (content[0], min(content[1], obj.end_char))
                            else:
                                # "Selon Reuters, qui cite …, la fusion …": after the relative.
                                comma = self.text.find(",", via.end_char, sent.end_char)
                                if comma > 0:
                                    content = (comma + 1, content[1])
                        break
            self.add(Candidate("indirect", content, cue, obj, "according_to", 0.8 if not weak else 0.6, via=via))

    def relative_after(self, obj: TokenSpan, sent: TokenSpan) -> tuple[int, int] | None:
        """", qui cite des documents," right after a noun phrase: its character extent."""
        if obj.end + 1 >= sent.end or self.doc[obj.end].text != "," or \
                self.doc[obj.end + 1].lower_ not in self.relatives:
            return None
        comma = self.text.find(",", self.doc[obj.end + 1].idx, sent.end_char)
        return (self.doc[obj.end + 1].idx, comma) if comma > 0 else None

    def relay_in(self, extent: tuple[int, int]) -> TokenSpan | None:
        """Whom a relative clause says the source cites: "qui cite trois sources" → sources."""
        span = self.doc.char_span(*extent, alignment_mode="expand")
        if span is None:
            return None
        for t in span:
            if t.lemma_.lower() in self.relay_verbs or t.lower_ in self.relay_forms:
                rest = [x for x in span if x.i > t.i and not x.is_punct]
                if rest:
                    return self.doc[rest[0].i:rest[-1].i + 1]
        return None

    def can_speak(self, span: TokenSpan) -> bool:
        """Could this noun phrase be a source? A name, a pronoun or a known source head."""
        for t in span:
            if entity_label(t) in ("PER", "ORG") or (t.pos_ == "PROPN" and t.lower_ in self.profile.first_names):
                return True
            if t.text.lower() in self.speaking_pronouns:
                return True
            if t.pos_ == "NOUN" and (t.lemma_.lower() in self.profile.heads or t.text.lower() in self.profile.heads):
                entry = self.profile.heads.get(t.lemma_.lower()) or self.profile.heads.get(t.text.lower())
                if entry is not None and entry.type != "document":
                    return True
                return entry is not None and entry.type == "document"
        return False

    # ----------------------------------------------------------------- quotes

    def rule_quotes(self) -> None:
        """Quotes no verb rule took: colon introductions, adjuncts, speakers in the next
        sentence, continuations; short quotes with no cue are names or scare quotes."""
        for q in self.quotes:
            if q.start in self.used_quotes:
                continue
            if any(c.content[0] <= q.content_start and q.content_end <= c.content[1] for c in self.found):
                continue
            span = self.doc.char_span(q.start, q.end, alignment_mode="expand")
            if span is None:
                continue
            sent = span[0].sent
            inner = self.inner_incise(q)
            if inner is not None:
                continue
            colon = self.colon_intro(q, sent)
            if colon is not None:
                continue
            self.free_quote(q, sent)

    def inner_incise(self, q: Quote) -> Candidate | None:
        """« Je pense, a-t-il dit, que … », « …, a assuré le directeur, Pierre Roux, mais … »:
        a reporting verb between commas inside the quote, with an inverted subject."""
        span = self.doc.char_span(q.content_start, q.content_end, alignment_mode="expand")
        if span is None:
            return None
        for t in span:
            entry = self.cue_of(t)
            if entry is None:
                continue
            cue = self.verb_group(t)
            if not self.text[q.content_start:cue[0]].rstrip().endswith(","):
                continue
            group = self.doc.char_span(cue[0], cue[1], alignment_mode="expand")
            source = next((self.doc[x.i:x.i + 1] for x in self.doc[group.start:min(t.i + 3, len(self.doc))]
                           if self.is_inverted_pronoun(x)), None)
            if source is None:
                following = next((x for x in self.doc[t.i + 1:span.end]
                                  if x.pos_ in ("NOUN", "PROPN") and not x.is_punct), None)
                between = self.doc[t.i + 1:following.i] if following is not None else None
                if following is None or any(x.text == "," for x in between):
                    continue
                start = following.i - 1 if self.doc[following.i - 1].pos_ == "DET" else following.i
                source = self.doc[max(start, t.i + 1):self._apposed_name_end(self._np_end(following), None, inside_quote=True)]
            rest = self.doc.char_span(source.end_char, q.end, alignment_mode="expand")
            if not q.closed and rest is not None and not any(x.pos_ in ("VERB", "AUX") for x in rest):
                # '"We will fight, said Ann Lee, a nurse.': the closing mark was forgotten before
                # the incise, which ends the paragraph; what was said is what comes before it
                cand = self.add(Candidate("direct", (q.start, q.end), cue, source,
                                          "incise_inside", 0.7))
                if cand is not None:
                    said = self.text[q.content_start:cue[0]].rstrip(" ,")
                    cand.content = (q.content_start, q.content_start + len(said))
                return cand
            return self.add(Candidate("direct", (q.start, q.end), cue, source, "incise_inside", 0.85))
        return None

    def is_inverted_pronoun(self, token: Token) -> bool:
        return self.is_clitic(token) and self.clitic_word(token) in self.pronouns \
            and self.clitic_word(token) not in self.impersonal

    def _np_end(self, head: Token) -> int:
        """End (exclusive token index) of a noun phrase starting at ``head``, before a comma."""
        end = head.i + 1
        while end < len(self.doc) and self.doc[end].text not in (",", ".", ";", ":", "»", "”", '"') \
                and self.doc[end].pos_ not in ("VERB", "AUX", "CCONJ"):
            end += 1
        return end

    def colon_intro(self, q: Quote, sent: TokenSpan) -> Candidate | None:
        """X a déclaré : « … » — and any clause whose subject then speaks after a colon, also
        when the quotation opens the next line ("Ellen Ward said:\n“…”")."""
        before = self.text[sent.start_char:q.start].rstrip()
        if not before:
            sent = self.line_before(sent)
            if sent is None:
                return None
            before = self.text[sent.start_char:q.start].rstrip()
        if not before.endswith(":"):
            return None
        colon_pos = sent.start_char + len(before) - 1
        tokens = [t for t in sent if t.idx < colon_pos and not self.in_quote(t.idx)]
        verbs = [t for t in tokens if t.pos_ in ("VERB", "AUX") and t.dep_ not in ("aux:tense", "aux:pass", "cop")]
        if not verbs:
            verbs = [t for t in tokens if self.cue_of(t) is not None]
        if not verbs:
            return None
        cues = [t for t in verbs if self.cue_of(t) is not None]
        verb = cues[-1] if cues else max(verbs, key=lambda t: (t.dep_ == "ROOT", t.i))
        source = self.subject_of(verb)
        if source is None or source[0].pos_ == "PRON" and source[0].lower_ not in self.pronouns \
                and not self.is_clitic(source[0]):
            # "Ce à quoi a répondu Olivier Falorni : « … »": the subject is inverted after the verb
            source = self.subject_after(verb, colon_pos) or source
        if source is None:
            # "Selon X : « … »" / "Pour X : « … »"
            for t in tokens:
                if self.according_phrase(t) is not None:
                    obj = self.according_object(t)
                    if obj is not None and self.can_speak(obj):
                        return self.add(Candidate("direct", (q.start, q.end), (t.idx, t.idx + len(t.text)), obj, "colon", 0.75))
            return None
        entry = self.cue_of(verb)
        confidence = 0.85 if entry else 0.6
        return self.add(Candidate("direct", (q.start, q.end), self.verb_group(verb), source,
                                  "colon", confidence))

    def line_before(self, sent: TokenSpan) -> TokenSpan | None:
        """The sentence that ends right before ``sent``, with nothing but line breaks between."""
        k = sent.start - 1
        while k >= 0 and self.doc[k].is_space:
            k -= 1
        if k < 0 or self.text[self.doc[k].idx + len(self.doc[k].text):sent.start_char].strip():
            return None
        return self.doc[k].sent

    def free_quote(self, q: Quote, sent: TokenSpan) -> None:
        """A quote with no cue in its sentence."""
        words = self.words(q.content_start, q.content_end)
        lead = self.text[sent.start_char:q.start].strip()
        tail = self.text[q.end:sent.end_char].strip(" .,;!?\n")
        lead_sentence = None
        if lead[-1:] in _SENTENCE_ENDS and len(lead.split()) >= 3:
            # "…situe le personnage.  « Il a été préfet… »": the parser did not cut before the
            # quote, which starts a sentence of its own
            lead_sentence = self.doc.char_span(sent.start_char, sent.start_char + len(lead),
                                               alignment_mode="contract")
            lead = ""
        # "Pour X, « … »" / "Selon X, « … »" are found by rule_according_to; anything with text
        # around the quote is a scare quote, a name or a title.
        standalone = not [w for w in lead.split() if any(c.isalnum() for c in w)]
        followed = tail and [w for w in tail.split() if any(c.isalnum() for c in w)]
        if standalone and (followed or words < self.min_free_words) and self.heading_echo(q):
            # a subheading that quotes the body ("« Erreurs d'appréciation »", "« Tremblement de
            # terre » à la paroisse"): its speaker is the body quote's (resolve.discourse)
            self.add(Candidate("direct", (q.start, q.end), None, None, "unattributed", 0.3))
            return
        if not standalone:
            return
        previous = self.previous_attribution(q.start)
        # A short quotation is a name or a scare quote, unless it is a whole sentence that goes
        # on from an attribution in its paragraph ("…,” she said. “Please, leave now.”).
        goes_on = previous is not None and not followed \
            and "\n" not in self.text[previous.content[1]:q.start]
        if words < self.min_free_words and not goes_on:
            return
        if followed:
            # Quote then text in the same sentence: "« … » Jean Roux, éleveur, ne décolère pas."
            speaker = self.speaker_sentence_after(q.end, sent)
            if speaker is not None:
                self.add(Candidate("direct", (q.start, q.end), None, speaker, "next_sentence", 0.6))
            return
        line_end = self.text.find("\n", q.end)
        after = self.text[q.end:line_end if line_end >= 0 else len(self.text)].lstrip()
        if after[:1] in _DASHES or after.startswith("- "):
            # « … » — Marc Durand, président de …: the speaker signs after a dash
            signed = self.speaker_sentence_after(q.end, None)
            if signed is not None:
                self.add(Candidate("direct", (q.start, q.end), None, signed, "next_sentence", 0.6))
                return
        speaker = self.speaker_sentence_after(sent.end_char, None)
        if previous is not None and previous.rule == "unattributed" \
                and "\n" in self.text[previous.content[1]:q.start]:
            previous = None  # a heading with no speaker yet is no one to go on with
        if previous is not None:
            self.add(Candidate("direct", (q.start, q.end), None, previous.source, "continuation", 0.6,
                               follows=previous))
            return
        introducer = self.person_subject_before(sent, lead_sentence)
        if introducer is not None:
            # "Jeanne situe le personnage. « Il a été préfet… »": the person the paragraph
            # just made its subject speaks next
            self.add(Candidate("direct", (q.start, q.end), None, introducer, "previous_sentence", 0.5))
            return
        if speaker is not None:
            self.add(Candidate("direct", (q.start, q.end), None, speaker, "next_sentence", 0.55))
            return
        self.add(Candidate("direct", (q.start, q.end), None, None, "unattributed", 0.3))

    def speaker_sentence_after(self, pos: int, sent: TokenSpan | None) -> TokenSpan | None:
        """A sentence that starts with a person's name as subject, right after the quote."""
        span = self.doc.char_span(pos, min(len(self.text), pos + 200), alignment_mode="expand")
        if span is None:
            return None
        tokens = [t for t in span if not t.is_space and not t.is_punct][:8]
        if not tokens:
            return None
        first = tokens[0]
        if first.pos_ != "PROPN" and entity_label(first) != "PER":
            # "« … » Au bout du fil, Laure Roy est formelle": a person subject after a short
            # adjunct that opens the sentence
            first = next((t for t in tokens if entity_label(t) == "PER" and not self.quoted[t.idx]
                          and (t.dep_ in _SUBJECT_DEPS or t.head.dep_ in _SUBJECT_DEPS)
                          and t.sent.start == tokens[0].sent.start), None)
            if first is None or any(t.pos_ in ("VERB", "AUX", "SCONJ") or t.lower_ in self.complementisers
                                    for t in tokens if t.i < first.i):
                return None  # "Le fait que X soit nommé…": X is the subject of a clause
        root = first
        while root.dep_ in ("flat:name", "flat", "compound") and root.head.i != root.i:
            root = root.head
        if root.dep_ not in _SUBJECT_DEPS and entity_label(first) != "PER":
            return None
        return self.mention(root)

    def heading_echo(self, q: Quote) -> bool:
        """Whether ``q`` sits on a short line of its own with no sentence end (a subheading)
        and its words come again inside another quotation of the article."""
        line_start = self.text.rfind("\n", 0, q.start) + 1
        line_end = self.text.find("\n", q.end)
        line = self.text[line_start:line_end if line_end >= 0 else len(self.text)].strip()
        if len(line.split()) > _MAX_HEADING_WORDS or line[-1:] in ".:;":
            return False
        words = _WORD.findall(self.text[q.content_start:q.content_end].casefold())
        if not words:
            return False
        for other in self.quotes:
            if other.start == q.start:
                continue
            body = _WORD.findall(self.text[other.content_start:other.content_end].casefold())
            if any(body[i:i + len(words)] == words for i in range(len(body) - len(words) + 1)):
                return True
        return False

    def person_subject_before(self, sent: TokenSpan, before: TokenSpan | None = None) -> TokenSpan | None:
        """The person subject of the main verb of the sentence right before ``sent`` (or of
        ``before``), in the same paragraph, when that sentence quotes nobody."""
        if before is None:
            if sent.start == 0 or "\n" in self.text[self.doc[sent.start - 1].idx:sent.start_char]:
                return None
            before = self.doc[sent.start - 1].sent
        if self.quote_at(before.start_char, before.end_char):
            return None
        root = before.root
        subject = next((c for c in root.children if c.dep_ in ("nsubj", "nsubj:pass")), None)
        if subject is None or self.in_quote(subject.idx):
            return None
        entry = self.profile.heads.get(subject.lemma_.lower()) or self.profile.heads.get(subject.lower_)
        if entity_label(subject) == "PER" or subject.lower_ in self.pronouns and subject.lower_ not in self.impersonal \
                or entry is not None and entry.type in ("role", "anonymous"):
            return self.mention(subject, root)
        return None

    def previous_attribution(self, pos: int) -> Candidate | None:
        """The attribution just before ``pos`` if close enough to be continued by a bare quote."""
        before = [c for c in self.found if c.content[1] <= pos]
        if not before:
            return None
        last = max(before, key=lambda c: c.content[1])
        gap = self.text[last.content[1]:pos]
        if gap.count("\n") > 2 or len(gap) > 400:
            return None
        return last  # another speaker's attribution between them would be the last one


def find_attributions(doc: Doc, quotes: list[Quote], profile: LanguageProfile,
                      text: str | None = None) -> list[Candidate]:
    """All attribution candidates of a parsed document, in text order."""
    return Finder(doc, quotes, profile, text).run()


__all__ = ["Candidate", "find_attributions"]

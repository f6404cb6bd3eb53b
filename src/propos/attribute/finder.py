"""The Finder: one parsed document, the rule families run over it, and the shared record of
what they found (``found``, ``used_quotes``). The families live in their own modules and are
mixed in; the helpers they share (the lexicon, clitics, spans) are here.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import logging

from spacy.tokens import Doc, Span as TokenSpan, Token

from ..model import entity_label
from ..profile import CueEntry, LanguageProfile
from ..quotes import Quote, kind_of
from .findings import Candidate, _CLAUSE_DEPS, _CONTENT_TRIM, _SUBJECT_DEPS
from .according import AccordingRules
from .incises import InciseRules
from .objects import ObjectRules
from .quotations import QuotationRules
from .sources import Sources
from .verbs import VerbRules

log = logging.getLogger(__name__)


class Finder(VerbRules, ObjectRules, InciseRules, AccordingRules, QuotationRules, Sources):
    """Runs the rules over one parsed document."""

    def __init__(self, doc: Doc, quotes: list[Quote], profile: LanguageProfile,
                 text: str | None = None):
        self.__dict__.update(profile_words(profile))
        self.doc = doc
        self.text = doc.text if text is None else text
        self.quotes = quotes
        self.profile = profile
        self._according_starts: dict[str, bool] = {}  # could this word start an adjunct?
        self.quoted = bytearray(len(self.text) + 1)
        for q in quotes:
            self.quoted[q.content_start:q.content_end] = b"\x01" * (q.content_end - q.content_start)
        self.used_quotes: set[int] = set()
        self.found: list[Candidate] = []

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
        """A quote with a determiner outside its marks is still direct for the rules."""
        return kind_of(self.text, start, end, self.quotes, self.determiners,
                       unquoted="direct" if default == "direct" else "indirect")

    def cue_of(self, token: Token) -> CueEntry | None:
        """The lexicon entry when ``token`` is a reporting verb, else None."""
        if token.pos_ in ("PUNCT", "DET", "ADP", "CCONJ", "SCONJ", "NUM", "PRON", "SPACE"):
            return None
        lower = token.text.lower()
        if lower in self.predicative_cues and token.pos_ in ("ADJ", "VERB") and self._predicative(token):
            return self.predicative_cues[lower]
        entry = None
        if token.pos_ in ("VERB", "AUX"):
            entry = self.profile.cue(token.lemma_)
            if self.particle_deps:
                particle = next((c for c in token.children if c.dep_ in self.particle_deps), None)
                if particle is not None:  # "teilte … mit": the cue is mitteilen, not teilen
                    entry = self.profile.cue(particle.lemma_ + token.lemma_)
        if entry is None and lower in self.profile.forms:
            prev = token.nbor(-1) if token.i > 0 else None
            verbal = token.pos_ in ("VERB", "AUX") or self._inverted_after(token) or self._has_aux(token) \
                or (prev is not None and (prev.lower_ in self.reflexive or self.is_clitic(prev))) \
                or (token.i + 1 < len(self.doc) and token.nbor(1).lower_ in self.complementisers
                    and prev is not None and prev.pos_ != "DET") \
                or (prev is not None and prev.text == "," and token.i > 1
                    and (self.quoted[token.nbor(-2).idx - 1] or token.nbor(-2).text in self.closing_marks)) \
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

    def _predicative(self, token: Token) -> bool:
        """An adjective said of the subject: after a copula ("est persuadé") or as the
        attribute of a reflexive verb ("se dit convaincue")."""
        if any(c.dep_ in ("cop", "aux:pass") for c in token.children):
            return True  # "est persuadé", or read as a passive: "est convaincu
        head = token.head
        return token.dep_ == "xcomp" and head.i != token.i \
            and any(c.lower_ in self.reflexive for c in head.children)

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
            bare_participle = ("Part" in t.morph.get("VerbForm") and t.nbor(-1).lower_ in self.participle_coordinators
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
            if self.goes_on_to(t, stop):
                stop = t.i  # "a estimé que X, avant d'appeler à …": what the speaker did next
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

    def goes_on_to(self, comma: Token, end: int) -> bool:
        """", avant de/d' + infinitive": what the sentence's subject did next, no part of the
        clause before it ("après avoir reçu…" may be)."""
        k = comma.i
        return comma.text == "," and k + 3 < end and self.doc[k + 1].lower_ in self.sequence_marks \
            and self.doc[k + 2].lower_ in self.of_words \
            and any("Inf" in x.morph.get("VerbForm") for x in self.doc[k + 3:min(k + 6, end)])

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
            while self.is_clitic(k) and k.i + 1 < sent.end:
                k = k.nbor(1)  # "a-t-on appris": both clitics
            if self.cue_of(k) is not None and self._inverted_or_no_subject_before(k):
                return prev.idx
        return end


_WORDS: dict[int, tuple[LanguageProfile, dict[str, Any]]] = {}


def profile_words(profile: LanguageProfile) -> dict[str, Any]:
    """The word sets the rules read, built once per profile rather than for every document
    (they become attributes of each :class:`Finder`)."""
    cached = _WORDS.get(id(profile))
    if cached is not None and cached[0] is profile:
        return cached[1]
    words = SimpleNamespace()
    words.pronouns = {k.lower(): v for k, v in profile.get("pronouns", {}).items()}
    words.according = [w.lower() for w in profile.get("according_to", [])]
    words.according_weak = [w.lower() for w in profile.get("according_to_weak", [])]
    words.complementisers = {w.lower() for w in profile.get("complementisers", [])}
    words.light_verbs = {w.lower() for w in profile.get("light_verbs", [])}
    words.light_objects = {w.lower() for w in profile.get("light_verb_objects", [])}
    words.relay_verbs = {w.lower().removeprefix("s'") for w in profile.get("relay_verbs", [])}
    words.min_free_words = int(profile.get("settings", {}).get("min_free_quote_words", 4))
    w = profile.words
    words.reflexive = w("reflexive")                    # s', se
    words.preverbal = w("preverbal_clitics")            # y, en, lui ("…», y affirme le ministère")
    words.light_verb_forms = w("light_verb_forms")      # fait, laissé
    words.auxiliaries = w("auxiliaries")                # avoir, être / have, be
    words.sequence_marks = w("sequence_infinitive_marks")  # avant (de) / (none in English)
    words.carrier_verbs = w("carrier_verbs")            # s'empresser de, se contenter de
    words.protest_verbs = w("protest_verbs")            # manifester (pour réclamer)
    words.source_nouns = w("source_nouns")              # (selon les) estimations (de X)
    words.comparison_words = w("comparison_words")      # comme (le rappelle X) / as
    words.person_suffixes = tuple(w("person_noun_suffixes"))  # -ière, -eur / (none in English)
    # the marks that close a quotation: the second of each pair, and the ambiguous ones
    words.closing_marks = tuple({pair[1] for pair in profile.get("quote_pairs", [])}
                                | {m[-1] for m in profile.get("quote_ambiguous", [])})
    # "martelant", tagged an adjective: the ending of a present participle
    words.participle_suffix = str(profile.get("present_participle_suffix", ""))
    words.conjunction_que_heads = w("conjunction_que_heads")  # bien (que), alors (que)
    words.neuter_clitics = w("neuter_clitics")          # (comme) le, l' (a dit X)
    words.according_relatives = w("according_relatives")  # (selon) lequel / (according to) whom
    words.purpose_marks = w("purpose_infinitive_marks")  # pour / to
    words.adverbial_marks = w("adverbial_infinitive_marks")  # avant, pour, sans / before, to
    words.clitic = str(profile.get("inverted_clitic_prefix", ""))  # "-" of a-t-il, dit-elle
    words.clitic_words = w("inverted_clitics")          # t, il, elle, on (the pieces)
    words.relatives = w("relative_pronouns")            # qui, que, dont / who, which, that
    words.subject_relatives = w("subject_relatives")    # qui, qu' / who, which, that
    words.impersonal = w("impersonal_pronouns")         # on
    words.not_subjects = w("time_words")                # lundi, hier / Monday, yesterday
    words.mention_trailing = w("mention_trailing")      # et, qui, a, ont
    words.determiners = w("determiners")                # un, le, l', de, du / a, the
    words.definite = frozenset(w.lower() for w in profile.get("settings", {}).get("definite", []))
    words.coordinators = w("coordinators")              # et, mais, ou / and, but, or
    words.participle_coordinators = w("participle_coordinators")  # (a estimé que X) et (appelé à Y)
    words.negative_conjunctions = w("negative_conjunctions")  # ni (« ne … ni ») / (none in English)
    words.of_words = w("of_words")                      # de, du, des, d' / of
    # what may stand between quoted noun phrases of one object: "des « X » et des « Y »", "le
    # « secret bancaire » et sa « politique »", not "de" ("un « retour » de « l'obscurantisme »"
    # is one mixed content)
    words.object_glue = (words.determiners - (words.of_words - w("plural_determiners"))) \
        | w("possessive_determiners") | words.coordinators
    words.connectors = w("connectors")                  # mais, donc, cependant / but, however
    words.dative = w("dative")                          # à, au, aux / to
    words.speaking_pronouns = w("speaking_pronouns")    # lui, elle, eux / him, her, them
    words.relay_forms = w("relay_forms")                # cite, citent, citant / citing
    words.titles = frozenset(k.lower() for k in profile.get("titles", {}))  # mme, m. / mr., sen.
    # the media the profile lists, longest first: "Le Canard enchaîné" before "Le Canard"
    words.media_names = sorted({n.casefold() for n in profile.get("media", {}).get("names", [])},
                               key=len, reverse=True)
    words.longest_medium = max(map(len, words.media_names), default=0)
    # longest first, so that "du côté d'" is tried before "côté"
    words.side_phrases = sorted((p.lower() for p in profile.get("side_phrases", [])), key=len,
                                reverse=True)             # du côté de, chez (on dément)
    words.quote_pointers = w("quote_pointers")           # c'est en ces termes (que)
    words.attribute_prepositions = w("attribute_prepositions")  # (se disent) contre / (none)
    words.predicative_cues = profile.adjective_cues     # persuadé (que), convaincue (que)
    words.incise_subject_first = bool(profile.get("incise_subject_first", False))
    # German: every noun is capitalised, so a capital letter is no sign of a name or a noun
    words.capitalised_nouns = bool(profile.get("capitalised_nouns", False))
    # German: the particle of a separable verb ("teilte … mit": mitteilen), by its label
    words.particle_deps = frozenset(profile.get("separable_particle_deps", ()))
    words.complementiser_optional = bool(profile.get("complementiser_optional", False))
    _WORDS[id(profile)] = (profile, vars(words))
    return vars(words)


def find_attributions(doc: Doc, quotes: list[Quote], profile: LanguageProfile,
                      text: str | None = None) -> list[Candidate]:
    """All attribution candidates of a parsed document, in text order."""
    return Finder(doc, quotes, profile, text).run()

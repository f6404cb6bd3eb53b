"""Reporting verbs outside quotes: a que-clause (``clause``), a bare infinitive, a
parenthetical ("comme le rappelle X"), then the incise or object rules.
"""

from __future__ import annotations

from spacy.tokens import Span as TokenSpan, Token

from ..profile import CueEntry
from .findings import Candidate, _SUBJECT_DEPS


class VerbRules:
    """Rules mixed into :class:`~propos.attribute.finder.Finder`; they read and add to its
    shared record of findings (``self.found``)."""

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
        # 1c. a colon, then the clause said: "Le ministre l'a assuré sur TF1 : il n'y aura pas…".
        if "que" in entry.frames and self.rule_colon_clause(verb, entry, cue):
            return
        # 2. incise: "…, a-t-il ajouté", "…, a indiqué la police", "« … » a déclaré X".
        if self.is_incise(verb) and self.rule_incise(verb, entry, cue):
            return
        # 2b. the attribute of a reflexive verb: "s'est dite favorable à un report".
        if "attr" in entry.frames and self.rule_attribute(verb, entry, cue, nxt):
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
        return any((c.dep_ == "advmod" and "Polarity=Neg" in str(c.morph)) or c.lower_ in self.negative_conjunctions
                   for v in verbs for c in v.children)

    def rule_colon_clause(self, verb: Token, entry: CueEntry, cue: tuple[int, int]) -> bool:
        """A reporting verb, a colon, and a whole clause after it that no quotation marks:
        what was said. The words between the verb and the colon are its adjuncts or its
        object ("a expliqué sa décision : …"), with no verb of their own."""
        sent = verb.sent
        colon = next((t for t in self.doc[verb.i + 1:sent.end] if t.text == ":"), None)
        if colon is None or self.in_quote(colon.idx) or colon.i - verb.i > 12 \
                or self.quote_starting_after(colon.idx + 1) is not None:
            return False
        if any(t.pos_ in ("VERB", "AUX") for t in self.doc[verb.i + 1:colon.i]):
            return False
        after = self.doc[colon.i + 1:sent.end]
        clause = next((t for t in after if t.pos_ in ("VERB", "AUX") and not t.dep_.startswith("aux")
                       and any(c.dep_ in _SUBJECT_DEPS and c.i > colon.i for c in t.children)), None)
        if clause is None or self.in_quote(clause.idx):
            return False
        source = self.subject_of(verb)
        if source is None:
            return False
        content = self.trim(after.start_char, sent.end_char)
        self.add(Candidate("indirect", content, cue, source, "colon", 0.7 * entry.weight,
                           via=self.relay_of(verb, source)))
        return True

    def rule_attribute(self, verb: Token, entry: CueEntry, cue: tuple[int, int],
                       attribute: Token | None) -> bool:
        """"Le maire s'est dit inquiet de la situation", "81 % des Espagnols se disent contre
        ce projet": a reflexive verb of saying whose attribute, an adjective, a participle or
        a prepositional phrase, is what the subject says of itself."""
        if attribute is None or self.in_quote(attribute.idx) \
                or not any(c.lower_ in self.reflexive for c in verb.children):
            return False
        if not (attribute.pos_ == "ADJ" or "Part" in attribute.morph.get("VerbForm")
                or attribute.lower_ in self.attribute_prepositions) \
                or attribute.lower_ in self.predicative_cues:
            return False  # "se dit convaincue que …": the adjective reports the clause
        head = attribute
        while head.head.i != verb.i and head.head.i != head.i:
            head = head.head  # the verb's dependent the attribute is part of
        if head.head.i != verb.i:
            return False
        source = self.subject_of(verb)
        if source is None:
            return False
        content = self.content_after(attribute, head)
        according = next((t.idx for t in self.doc[attribute.i + 1:verb.sent.end]
                          if t.idx < content[1] and t.lower_ in self.according), None)
        if according is not None:
            content = self.trim(content[0], according)  # "… contre ce projet selon un sondage"
        self.add(Candidate("indirect", content, cue, source, "attribute", 0.7 * entry.weight,
                           via=self.relay_of(verb, source)))
        return True

    def _next_word(self, verb: Token) -> Token | None:
        """The first word after the verb group (skipping inverted pronouns and adverbs)."""
        for t in self.doc[verb.i + 1: verb.sent.end]:
            if self.is_clitic(t) or t.pos_ == "ADV" and t.text.lower() not in self.complementisers or t.is_space:
                continue
            return t
        return None

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

"""Quotations no verb rule took: an incise inside the quote (``incise_inside``), a colon
introduction (``colon``), a speaker in the sentence before or after (``previous_sentence``,
``next_sentence``), a continuation, a subheading (``unattributed``, filled by
``resolve.discourse``).
"""

from __future__ import annotations

from spacy.tokens import Span as TokenSpan, Token

from ..model import entity_label
from ..quotes import Quote, on_short_line
from ..text import contains_run
from .findings import Candidate, _DASHES, _SENTENCE_ENDS, _SUBJECT_DEPS, _WORD


class QuotationRules:
    """Rules mixed into :class:`~propos.attribute.finder.Finder`; they read and add to its
    shared record of findings (``self.found``)."""

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
            return self.signed_heading(q, tokens)
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

    def signed_heading(self, q: Quote, tokens: list[Token]) -> Candidate | None:
        """"Jean Castex : « Nous ne reconfinerons pas »", "La ministre de la Santé : « … »":
        a heading or a lead-in with no verb, whose words before the colon are only who speaks."""
        words = [t for t in tokens if not t.is_punct and not t.is_space]
        if not words or len(words) > 8:
            return None
        mention = self.doc[words[0].i:words[-1].i + 1]
        root = mention.root
        entry = self.profile.head_of(root)
        names = entity_label(root) in ("PER", "ORG")  # not "Paris : « … »", a place
        if not (names or entry is not None and entry.type != "document"):
            return None  # "Le bilan : « … »" is a heading, not a speaker
        return self.add(Candidate("direct", (q.start, q.end), None, mention, "colon", 0.6))

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
        if followed and tail.startswith(":"):
            # "« Nous sommes prêts » : le maire de Lille répond aux critiques": a headline's
            # quote, then who said it as the subject of the clause after the colon; a short
            # verbless quote only before a reporting verb ("« Une honte » : les habitants
            # dénoncent…"), else it is a name or a title ("« Monsieur flashball » : …")
            speaker, verb = self.subject_after_colon(self.text.index(":", q.end))
            if speaker is not None and (self.says_something(q, words) or self.cue_of(verb) is not None):
                self.add(Candidate("direct", (q.start, q.end), None, speaker, "colon_after", 0.6))
            return
        line_end = self.text.find("\n", q.end)
        after = self.text[q.end:line_end if line_end >= 0 else len(self.text)].lstrip()
        if (after[:1] in _DASHES or after.startswith("- ")) and self.says_something(q, words):
            # « … » — Marc Durand, président de …: the speaker signs after a dash
            signed = self.speaker_sentence_after(q.end, None)
            if signed is not None:
                self.add(Candidate("direct", (q.start, q.end), None, signed, "next_sentence", 0.6))
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
        pointed = self.pointing_sentence_after(sent.end_char)
        if pointed is not None:
            # "« … » C'est en ces termes que le préfet a résumé la situation."
            self.add(Candidate("direct", (q.start, q.end), pointed[0], pointed[1], "next_sentence", 0.65))
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

    def says_something(self, q: Quote, words: int) -> bool:
        """Whether a short quotation is a statement (it has a verb), not a name or a title
        ("« Monsieur flashball »")."""
        if words >= self.min_free_words:
            return True
        span = self.doc.char_span(q.content_start, q.content_end, alignment_mode="expand")
        return span is not None and any(t.pos_ in ("VERB", "AUX") for t in span)

    def subject_after_colon(self, colon: int) -> tuple[TokenSpan | None, Token | None]:
        """The first verb of the clause after a colon, and its subject when it could speak."""
        line_end = self.text.find("\n", colon)
        span = self.doc.char_span(colon + 1, line_end if line_end >= 0 else len(self.text),
                                  alignment_mode="contract")
        if span is None:
            return None, None
        for verb in span:
            if verb.pos_ not in ("VERB", "AUX") or verb.dep_.startswith("aux") or verb.dep_ == "cop":
                continue
            subject = next((c for c in verb.children if c.dep_ in _SUBJECT_DEPS
                            and span.start <= c.i < verb.i and not self.quoted[c.idx]), None)
            if subject is None:
                return None, verb
            mention = self.mention(subject, verb)
            # the subject itself must speak: not "la colère des agriculteurs"
            return (mention if self.can_speak(self.doc[subject.i:subject.i + 1]) else None), verb
        return None, None

    def pointing_sentence_after(self, pos: int) -> tuple[tuple[int, int], TokenSpan] | None:
        """The cue and the source of the sentence right after ``pos`` when it opens by
        pointing back at the quotation ("C'est en ces termes que…", "Ce sont les mots de…")."""
        rest = self.text[pos:pos + 200]
        lead = len(rest) - len(rest.lstrip())
        low = rest.lstrip().lower().replace("’", "'")
        if not any(low.startswith(p) for p in self.quote_pointers):
            return None
        span = self.doc.char_span(pos + lead, min(len(self.text), pos + lead + 1), alignment_mode="expand")
        if span is None:
            return None
        for verb in span[0].sent:
            if verb.idx < pos or self.in_quote(verb.idx) or self.cue_of(verb) is None:
                continue
            source = self.subject_of(verb) or self.subject_after(verb, verb.sent.end_char)
            if source is not None and self.can_speak(source):
                return self.verb_group(verb), source
        return None

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
        if not on_short_line(self.text, q.start, q.end):
            return False
        words = _WORD.findall(self.text[q.content_start:q.content_end].casefold())
        return bool(words) and any(
            contains_run(_WORD.findall(self.text[o.content_start:o.content_end].casefold()), words)
            for o in self.quotes if o.start != q.start)

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
        entry = self.profile.head_of(subject)
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

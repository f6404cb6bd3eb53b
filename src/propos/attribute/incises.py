"""Incises: the reporting verb inverted after (or inside) what was said: "« … »,
a-t-elle ajouté", "…, a indiqué la police" (rule ``incise``).
"""

from __future__ import annotations

from spacy.tokens import Span as TokenSpan, Token

from ..model import entity_label
from ..profile import CueEntry
from ..quotes import Quote
from .findings import Candidate, _SUBJECT_DEPS


class InciseRules:
    """Rules mixed into :class:`~propos.attribute.finder.Finder`; they read and add to its
    shared record of findings (``self.found``)."""

    def _inverted_or_no_subject_before(self, verb: Token) -> bool:
        if self._inverted_after(verb) or any(self.is_clitic(t) for t in self.doc[verb.i - 2:verb.i] if t.i >= verb.sent.start):
            return True
        return not any(c.dep_ in _SUBJECT_DEPS and c.i < verb.i for c in verb.children)

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
        if not (before.endswith(",") or before.endswith(self.closing_marks) or closes_quote
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
            # 'Le gouvernement « n'exclut rien », a dit…': a quote that opens in lower case goes
            # on from the words before it
            goes_on = self.text[q.content_start:q.content_end].lstrip()[:1].islower() \
                and self.predicate_after_subject(q)
            if (len(lead_words) >= 3 or lead_words and goes_on) and not lead.rstrip().endswith(":"):
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

    def predicate_after_subject(self, q: Quote) -> bool:
        """The quotation starts with a verb (within its first two words) right after a word
        that can end a subject: 'Le gouvernement « n'exclut rien »', not 'Bemoaning the
        "phony system"' (an object after its determiner)."""
        inside = self.doc.char_span(q.content_start, q.content_end, alignment_mode="expand")
        before = [t for t in self.doc[max(0, inside.start - 3):inside.start]
                  if not t.is_punct and not t.is_space] if inside is not None else []
        return inside is not None and bool(before) and before[-1].pos_ not in ("DET", "ADP") \
            and any(t.pos_ in ("VERB", "AUX") for t in inside[:2])

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

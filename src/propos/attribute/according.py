""""Selon X, …", "…, d'après X", "Pour X, …" (rule ``according_to``).
"""

from __future__ import annotations

from spacy.tokens import Span as TokenSpan, Token

from ..model import entity_label
from .findings import Candidate, _DASHES


class AccordingRules:
    """Rules mixed into :class:`~propos.attribute.finder.Finder`; they read and add to its
    shared record of findings (``self.found``)."""

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
            else:
                end = self._role_apposition_end(start, end)
        return self.doc[start:end]

    def _role_apposition_end(self, start: int, end: int) -> int:
        """"Selon Paul Roux, président du syndicat, …": a name's role in apposition, between
        commas, belongs to the source, not to what is said."""
        if not any(entity_label(t) == "PER" for t in self.doc[start:end]):
            return end
        sent_end = self.doc[end].sent.end
        k = end + 1
        if k < sent_end and self.doc[k].pos_ == "DET":
            k += 1
        if k >= sent_end or self.doc[k].pos_ not in ("NOUN", "ADJ") or not (
                self.is_role(self.doc[k]) or self.names_a_person(self.doc[k])):
            return end
        j = k + 1
        while j < sent_end and self.doc[j].text != "," and self.doc[j].pos_ not in ("VERB", "AUX") \
                and not self.in_quote(self.doc[j].idx):
            j += 1
        return j if j < sent_end and self.doc[j].text == "," and j - k <= 8 else end

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

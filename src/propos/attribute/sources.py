"""Who speaks: the subject of a cue, found through the parser's usual detours, and the
noun phrase that mentions them (``mention``).
"""

from __future__ import annotations

from spacy.tokens import Span as TokenSpan, Token

from ..model import entity_label
from .findings import _DASHES, _SUBJECT_DEPS


class Sources:
    """Rules mixed into :class:`~propos.attribute.finder.Finder`; they read and add to its
    shared record of findings (``self.found``)."""

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
        impersonal = next((c for c in verb.children if c.dep_ in _SUBJECT_DEPS
                           and c.lower_ in self.impersonal), None)
        side = self.side_speaking(impersonal) if impersonal is not None else None
        if side is not None:
            return side
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
        if "Inf" in verb.morph.get("VerbForm") and verb.i > 2 \
                and self.goes_on_to(self.doc[verb.left_edge.i - 1], verb.i + 1) \
                and verb.sent.root.i < verb.i and verb.sent.root.pos_ in ("VERB", "AUX"):
            # "a estimé que X devait…, avant d'appeler…": the sentence's subject goes on
            found = self.subject_of(verb.sent.root, depth + 1)
            if found is not None:
                return found
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

    def side_speaking(self, pronoun: Token) -> TokenSpan | None:
        """"Du côté de l'ARS, on assure que…", "Chez Renault, on dément": the impersonal
        subject speaks for the side the sentence opens with."""
        sent = pronoun.sent
        lead = self.text[sent.start_char:pronoun.idx]
        low = lead.lower()
        phrase = next((p for p in self.side_phrases if low.startswith(p)), None)
        comma = lead.rfind(",")
        if phrase is None or comma <= len(phrase) or lead[comma + 1:].strip():
            return None
        side = self.doc.char_span(sent.start_char + len(phrase), sent.start_char + comma,
                                  alignment_mode="contract")
        while side is not None and len(side) > 1 and side[0].is_space:
            side = side[1:]
        if side is None or not len(side):
            return None
        return side if self.can_speak(side) or any(t.pos_ == "PROPN" for t in side) else None

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
        if any(c.dep_ == "case" for c in t.children) and not self.can_speak(self.doc[t.i:t.i + 1]):
            return None  # "directrice du centre … du Raincy, qui l'accuse": a complement's place
        while any(c.dep_ == "case" for c in t.children) and t.head.i < t.i \
                and t.head.pos_ == "NOUN" and self.is_role(t.head):
            t = t.head  # "Sophie Binet, la secrétaire générale de la CGT, qui appelle…": the role
        return t

    def is_role(self, token: Token) -> bool:
        """Whether the lexicon lists the word as a role noun ("président", "secrétaire")."""
        entry = self.profile.head_of(token)
        return entry is not None and entry.type == "role"

    def subject_after(self, verb: Token, limit: int) -> TokenSpan | None:
        """A nominal subject inverted after the verb: "…, a indiqué la police"."""
        for child in verb.children:
            if any(g.dep_ == "case" for g in child.children):
                continue  # "a déclaré à l'AFP X": the addressee is not the speaker
            if self._title_of_role(child, len(self.doc)):
                continue  # "a déclaré Mme la députée…": the title of the role noun that follows
            if child.i > verb.i and child.idx < limit and child.dep_ in _SUBJECT_DEPS | {"obj", "nmod", "appos", "obl:mod", "obl:arg", "dep", "flat:name"} \
                    and (child.pos_ == "PRON" or self.nominal(child)) and not self.in_quote(child.idx) \
                    and child.text.lower() not in self.not_subjects \
                    and (child.dep_ in _SUBJECT_DEPS or child.pos_ in ("PRON", "PROPN")
                         or child.text[:1].isupper() and not self.capitalised_nouns
                         or self.can_speak(self.doc[child.i:child.i + 1]) or self.names_a_person(child)):
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
            if t.pos_ == "ADV" or self._title_of_role(t, verb.sent.end):
                continue  # "déplore encore aujourd'hui Jeanne", "a dit Mme la députée…"
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

    def _title_of_role(self, token: Token, end: int) -> bool:
        """"Mme" in "Mme la députée": a title before the article of the role noun it goes with
        (the article before ``end``)."""
        return token.lower_ in self.titles and token.i + 1 < end \
            and self.doc[token.i + 1].pos_ == "DET"

    def nominal(self, token: Token) -> bool:
        """A noun, or a capitalised word the tagger took for an adjective ("la CGT-Cheminots";
        not where every noun is capitalised)."""
        return token.pos_ in ("NOUN", "PROPN") or (token.pos_ in ("ADJ", "X") and token.text[:1].isupper()
                                                   and not self.capitalised_nouns)

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
        opened = [t.i for t in self.doc[token.i + 1:end] if t.text == "("]
        if opened and not any(t.text == ")" for t in self.doc[opened[-1]:end]):
            # "le député Julien Martin (LR)": the bracket is closed, or left out
            end = end + 1 if end < len(self.doc) and self.doc[end].text == ")" else opened[-1]
        end = self._apposed_name_end(end, verb)
        return self.doc[start:self._medium_end(start, end)]

    def _medium_end(self, start: int, end: int) -> int:
        """"Le Canard enchaîné affirme…": a listed medium's name is whole even where the
        parser cut it ("enchaîné" read as a participle)."""
        at = self.doc[start].idx
        head = self.text[at:at + self.longest_medium].casefold()
        for name in self.media_names:
            if head.startswith(name) and at + len(name) > self.doc[end - 1].idx + len(self.doc[end - 1].text):
                stop = at + len(name)
                if stop < len(self.text) and self.text[stop].isalnum():
                    continue  # a longer word, not the name
                k = end
                while k < len(self.doc) and self.doc[k].idx < stop:
                    k += 1
                return k
        return end

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

    def names_a_person(self, token: Token) -> bool:
        """"une maraîchère", "un boulanger", "une militante": a noun the lexicon does not list
        but whose ending names a person (``person_noun_suffixes``)."""
        return token.pos_ == "NOUN" and token.lower_.endswith(self.person_suffixes)

    def can_speak(self, span: TokenSpan) -> bool:
        """Could this noun phrase be a source? A name, a pronoun or a known source head."""
        for t in span:
            if entity_label(t) in ("PER", "ORG") or (t.pos_ == "PROPN" and t.lower_ in self.profile.first_names):
                return True
            if t.text.lower() in self.speaking_pronouns:
                return True
            if t.pos_ == "NOUN" and self.profile.head_of(t) is not None:
                return True  # a role, a group, a medium, or a document that speaks for its author
        return False

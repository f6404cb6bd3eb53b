"""What a reporting verb's object says: "a promis de …", "accuse X de …", "réclame
« … »", "fait état de …" (rule ``object``).
"""

from __future__ import annotations

from spacy.tokens import Token

from ..model import entity_label
from ..profile import CueEntry
from ..quotes import Quote
from .findings import Candidate


class ObjectRules:
    """Rules mixed into :class:`~propos.attribute.finder.Finder`; they read and add to its
    shared record of findings (``self.found``)."""

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
            # "a promis aux agriculteurs un « plan »": the addressee before the object is not
            # what was said
            def dative(o: Token) -> bool:
                return any(c.dep_ == "case" and c.lower_ in self.dative for c in o.children)

            first = min(objects, key=lambda c: c.i)
            direct = [o for o in objects if o.dep_ == "obj" and not dative(o)]
            to = [o for o in objects if dative(o)]
            if dative(first) and direct and not ("a_np" in entry.frames and "np" not in entry.frames):
                first = min(direct, key=lambda c: c.i)
            elif not dative(first) and to and "a_np" in entry.frames and "np" not in entry.frames:
                # "a appelé les Français à l'unité": whom the call is to, then what it is for
                first = min(to, key=lambda c: c.i)
                objects = [o for o in objects if o.i >= first.i]
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
        opening = next((q.start for q in self.quotes if q.start < content[0] <= q.content_start
                        and q.end <= content[1]), None)
        if opening is not None:
            content = (opening, content[1])  # "a jugé « inacceptable » la décision": the mark too
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
        adjunct = tokens and (tokens[0].pos_ == "ADP" and tokens[0].lower_ not in self.of_words
                              or tokens[0].pos_ == "SCONJ" and tokens[0].lower_ not in self.complementisers)
        if tokens and (not adjunct_after or not adjunct):
            return []  # "un « retour » de l'obscurantisme" is mixed; "… quand le procureur…" is not
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

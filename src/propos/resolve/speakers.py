"""Source mention → speaker: names, pronouns, titles, roles, institutions, media, anonymous.

A speaker is named by the fullest name the article gives: "Mme Dumoutier" and "la ministre"
become "Claire Dumoutier" when the article introduced her so; "-elle" becomes the woman last
spoken of. Gender comes from titles (Mme, M.), gendered role nouns (la préfète), determiners
(la/le) and, failing those, a first-name list.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.tokens import Doc, Span as TokenSpan, Token

from ..attribute import Candidate
from ..model import ENTITY_LABEL_OF, Attribution, Span, Speaker, entity_label
from ..profile import HeadEntry, LanguageProfile
from .cast import Role, describe, match, phrase_ending_at, role_data, roles_of_name
from ..text import fold as _fold
from .discourse import fill_implied_speakers
from .plausible import can_name_speaker

_NAME_POS = ("PROPN",)


_TABLES: dict[int, dict] = {}


def _tables(profile: LanguageProfile) -> dict:
    """The profile's word tables as the resolver looks them up, built once per profile."""
    tables = _TABLES.get(id(profile))
    if tables is None or tables["profile"] is not profile:
        settings = profile.get("settings", {})
        tables = _TABLES[id(profile)] = {
            "profile": profile,
            "pronouns": {k.lower(): v for k, v in profile.get("pronouns", {}).items()},
            "titles": {k.lower(): v for k, v in profile.get("titles", {}).items()},
            "definite": {w.lower() for w in settings.get("definite", [])},
            "indefinite": {w.lower() for w in settings.get("indefinite", [])},
            "media_names": {_fold(n) for n in profile.get("media", {}).get("names", [])},
            # keys folded like the names looked up in them ("Valérie" → "valerie")
            "first_names": {_fold(k): v for k, v in profile.first_names.items()},
        }
    return tables


@dataclass
class Person:
    """A person named in the document, with everything learnt about them."""

    name: str
    first_seen: int
    gender: str = ""
    roles: list[Role] = field(default_factory=list)
    positions: list[int] = field(default_factory=list)

    @property
    def surname(self) -> str:
        return _fold(self.name.split()[-1])


@dataclass
class Mention:
    """Something a pronoun or a definite description can point back to."""

    position: int
    speaker: Speaker
    gender: str  # m, f or ''
    plural: bool = False
    person: Person | None = None
    is_subject: bool = False
    role_span: TokenSpan | None = None  # an unnamed role ("le maire"), resolved when needed
    is_speaker: bool = False  # the source of an attribution already resolved


@dataclass
class Institution:
    """An organisation or medium the document names, and the noun that introduced it."""

    position: int
    speaker: Speaker
    kind: str  # "syndicat" for "le syndicat Unité SGP Police"; "" when named bare


class Resolver:
    def __init__(self, doc: Doc, profile: LanguageProfile, text: str | None = None):
        self.doc = doc
        self.text = doc.text if text is None else text
        self.profile = profile
        tables = _tables(profile)
        self.pronouns = tables["pronouns"]
        self.titles = tables["titles"]
        self.definite = tables["definite"]
        self.indefinite = tables["indefinite"]
        self.media_names = tables["media_names"]
        # "Le Parisien" is listed with its article; the name found may come without it (only an
        # exact match then: "Hill" alone is The Hill, "Hugh Hill" is not).
        if "media_bare" not in tables:
            tables["media_bare"] = {_fold(self._strip_det(n))
                                    for n in profile.get("media", {}).get("names", [])}
        self.media_bare = tables["media_bare"]
        w = profile.words
        self.feminine = w("feminine_determiners")     # la, une, cette, sa / (none in English)
        self.masculine = w("masculine_determiners")   # le, un, ce, cet, du
        self.plural_dets = w("plural_determiners")    # les, des, ces / these, those, several
        self.relatives = w("relative_pronouns") | {","}
        self.connectors = w("connectors") | w("comparison_words")  # mais, et, or / comme
        self.latest_pronouns = w("latest_mention_pronouns")  # ce dernier, celle-ci / the latter
        self.of_words = w("of_words")                 # de, du, des, d' / of
        self.name_particles = w("name_particles")     # de, du, la, le, -, & / of, &, -
        self.complement_preps = w("complement_preps")  # de, à, en, pour, chez / of, in, at, for
        self.generic_adjectives = w("generic_adjectives")  # même, nouveau, ancien / new, former
        self.continuing_cues = w("continuing_cues")   # poursuivre, ajouter / continue, add
        self.first_person_possessives = w("first_person_possessives")  # nos, notre / our
        self.source_nouns = w("source_nouns")         # (selon nos) informations
        self.colleague_nouns = w("colleague_nouns")   # (nos) confrères (du Parisien) / colleagues
        self.first_names = tables["first_names"]
        self.people: list[Person] = []
        self.not_names: set[int] = set()  # tokens of PER entities that are roles
        self.last_document_author: Speaker | None = None
        self.mentions: list[Mention] = []
        self.institutions: list[Institution] = []
        self.quotes = list(doc._.quotes or []) if doc.has_extension("quotes") else []
        self._index_people()

    # ------------------------------------------------------------ people index

    def _is_person_entity(self, ent: TokenSpan) -> bool:
        """A PER entity; or a name the model labelled otherwise that a role introduces ("la
        présidente de l'association, Awa N'Diaye" tagged ORG)."""
        if ENTITY_LABEL_OF.get(ent.label_) == "PER":
            return True
        tokens = [t for t in ent if not t.is_punct]
        if not (2 <= len(tokens) <= 4 and all(t.text[:1].isupper() for t in tokens)):
            return False
        if _fold(tokens[0].text) in self.first_names:
            return bool(roles_of_name(ent, self.profile))
        comma = ent.start - 1
        return comma > ent.sent.start and self.doc[comma].text == "," and \
            describe(phrase_ending_at(self.doc, comma - 1, ent.sent.start), self.profile) is not None

    def _index_people(self) -> None:
        person_ents = [ent for ent in self.doc.ents if self._is_person_entity(ent)]
        self.person_entity_tokens = {i for ent in person_ents for i in range(ent.start, ent.end)}
        for ent in person_ents:
            name_tokens = self._name_tokens(ent)
            if name_tokens and not name_tokens[0].text[:1].isupper():
                # "président de la République" tagged PER is a role, not a name.
                self.not_names.update(range(ent.start, ent.end))
                continue
            if not name_tokens or all(t.lower_ in self.profile.heads or t.lower_ in self.generic_adjectives
                                      for t in name_tokens):
                continue  # "Premier ministre" with capitals is still a role
            name = self._name_text(name_tokens)
            person = self.person_for(name, ent.start_char, create=True)
            gender = self._gender_near(ent)
            if gender and not person.gender:
                person.gender = gender
            person.roles.extend(roles_of_name(ent, self.profile))
            person.positions.append(ent.start_char)
            inverted = ent.root.dep_ in ("obj", "nmod", "appos") and ent.root.head.i < ent.root.i \
                and self.profile.cue(ent.root.head.lemma_) is not None  # "a répondu Olivier Falorni"
            self.mentions.append(Mention(ent.start_char, Speaker(person.name, "person"), person.gender,
                                         person=person,
                                         is_subject=ent.root.dep_ in ("nsubj", "nsubj:pass") or inverted))
        for sent in self.doc.sents:
            run: list[Token] = []
            for t in list(sent) + [None]:
                if t is not None and t.pos_ == "PROPN" and t.text[:1].isupper() and not t.ent_type_:
                    run.append(t)
                    continue
                if len(run) >= 2 and _fold(run[0].text) in self.first_names:
                    name = self._name_text(run)
                    person = self.person_for(name, run[0].idx, create=True)
                    person.positions.append(run[0].idx)
                    self.mentions.append(Mention(run[0].idx, Speaker(person.name, "person"), person.gender,
                                                 person=person))
                run = []
        self._index_institutions()
        for ent in self.doc.ents:
            if ent.label_ in ("ORG",) and ent.start not in self.person_entity_tokens:
                root = self.profile.head_of(ent.root)
                if root is not None and root.type == "role":
                    continue  # "le ministre de l'Économie" tagged ORG: a person, see role subjects
                gender = self._np_gender(self.doc[max(0, ent.start - 2):ent.end])
                self.mentions.append(Mention(ent.start_char, Speaker(self._strip_det(ent.text), "organization"),
                                             gender, is_subject=ent.root.dep_ in ("nsubj", "nsubj:pass")))
        self._index_role_subjects()
        for person in self.people:
            if not person.gender:
                first = _fold(person.name.split()[0]) if len(person.name.split()) > 1 else ""
                person.gender = self.first_names.get(first, "") or self.first_names.get(
                    first.split("-")[0], "")
        for m in self.mentions:
            if m.person is not None:
                m.gender = m.person.gender

    def _index_institutions(self) -> None:
        """Organisations and media the article names, with the noun that introduced them ("le
        syndicat Unité SGP Police" → syndicat), for "le syndicat" or "le quotidien" later."""
        self.media_in_text = self._media_in_text()
        for at, name in self.media_in_text:
            span = self.doc.char_span(at, at + len(name), alignment_mode="expand")
            kind = self._introducing_noun(span) if span is not None else ""
            self.institutions.append(Institution(at, Speaker(name, "media"), kind))
        for ent in self.doc.ents:
            label = ENTITY_LABEL_OF.get(ent.label_)
            acting_place = label == "LOC" and ent.root.dep_ in ("nsubj", "nsubj:pass")  # "Pôle emploi a publié"
            if label not in ("ORG", "MISC") and not acting_place or ent.start in self.person_entity_tokens:
                continue
            tokens = self._name_tokens(ent)
            if not tokens:
                continue
            name = self._name_text(tokens)
            listed = self._listed_media(tokens, name)
            kind = self._introducing_noun(ent)
            entry = self.profile.heads.get(kind) if kind else None
            if listed is not None or entry is not None and entry.type == "media":
                speaker = Speaker(listed or self._strip_det(name), "media")
            else:
                speaker = Speaker(self._strip_det(name), "organization")
            self.institutions.append(Institution(ent.start_char, speaker, kind))
        self.institutions.sort(key=lambda i: i.position)

    def _introducing_noun(self, span: TokenSpan) -> str:
        """The organisation or media noun right before a name: "syndicat" in "le syndicat
        SUD", "quotidien" in "le quotidien français Le Figaro"."""
        if span.start <= span.sent.start:
            return ""
        before = phrase_ending_at(self.doc, span.start - 1, span.sent.start)
        entry = self._head_entry(before) if before else None
        if entry is None or entry.type not in ("organization", "media"):
            return ""
        return next(t.lemma_.lower() for t in before if self.profile.head_of(t) is entry)

    def _media_in_text(self) -> list[tuple[int, str]]:
        """Where the media the profile lists are named, by their full listed name ("Le Canard
        enchaîné", which the model may tag as "Le Canard" alone)."""
        pattern, full_names = _media_pattern(self.profile)
        if pattern is None:
            return []
        return [(m.start(), full_names.get(m.group(0), m.group(0))) for m in pattern.finditer(self.text)]

    def institution_in_view(self, position: int, head: HeadEntry, word: str) -> Speaker | None:
        """"le quotidien", "l'hebdomadaire": the medium last named; "le syndicat": the
        organisation the article introduced as a syndicat; "l'organisme", "l'institution": the
        organisation last named. Only within the last paragraphs, never from inside a quote."""
        floor = -1 if head.type == "media" else self._paragraph_floor(position, 4)
        # (media: the outlet an article relays is named once, often at the top)
        generic = word in role_data(self.profile).generic_institutions
        in_view = [i for i in reversed(self.institutions)
                   if floor < i.position < position and not self.quoted(i.position)
                   and i.speaker.type == ("media" if head.type == "media" else "organization")]
        same_kind = next((i.speaker for i in in_view if i.kind == word), None)
        if same_kind is not None or not (generic or head.type == "media"):
            return same_kind
        return in_view[0].speaker if in_view else None

    def _paragraph_floor(self, position: int, breaks: int) -> int:
        """The offset of the ``breaks``-th line break before ``position`` (-1 when there are
        fewer): what lies after it is "in view" at ``position``."""
        floor = position
        for _ in range(breaks):
            floor = self.text.rfind("\n", 0, floor)
        return floor

    def author_in_view(self, position: int) -> Speaker | None:
        """"le communiqué", "l'arrêt": issued by the organisation last named, in this paragraph
        or the one before."""
        floor = self._paragraph_floor(position, 2)
        return next((i.speaker for i in reversed(self.institutions)
                     if floor < i.position < position and i.speaker.type == "organization"
                     and not self.quoted(i.position)), None)

    def _index_role_subjects(self) -> None:
        """A role noun as a clause's subject, with no name ("Le maire de Lyon a été interpellé.
        « … », a-t-il répondu"): something a later pronoun can point back to. The speaker is
        resolved when a pronoun needs it (a role may name someone introduced earlier)."""
        for token, sent in self._nouns_with_sentences():
            opens = token.i == sent.start + 1 and self.doc[sent.start].lower_ in self.definite
            if token.dep_ not in ("nsubj", "nsubj:pass") and not opens \
                    or token.ent_type_ and token.text[:1].isupper():
                # a subject, or what opens the sentence ("Le prévenu, 34 ans, a…"); a common
                # noun the recogniser put in an entity is still one ("le locataire de Matignon")
                continue
            entry = self.profile.head_of(token)
            if entry is not None and entry.type == "organization" and token.dep_ in ("nsubj", "nsubj:pass") \
                    and "Number=Plur" not in str(token.morph) and not self.quoted(token.idx):
                # "La direction de l'hôpital se veut rassurante. « … », indique-t-elle"
                span = self.mention_of_subject(token, sent)
                self.mentions.append(Mention(token.idx, Speaker(self._strip_det(span.text), "organization"),
                                             self._np_gender(span) or entry.gender, is_subject=True))
                continue
            if entry is None or entry.type != "role":
                continue
            span = self.mention_of_subject(token, sent)
            plural = "Number=Plur" in str(token.morph)
            if plural:
                continue  # "des experts": "ils" may point back to them, not "il"
            gender = self._np_gender(span) or entry.gender
            if span[0].lower_ in self.indefinite:
                # "Un responsable a confirmé. « … », a-t-il dit": someone new, whom the
                # description names; not an apposition ("Le prévenu, un homme de 34 ans, …")
                after_comma = span.start > sent.start and self.doc[span.start - 1].text == ","
                if token.dep_ in ("nsubj", "nsubj:pass") and token.head.pos_ in ("VERB", "AUX") \
                        and not after_comma:
                    self.mentions.append(Mention(token.idx, Speaker(self._description(list(span)), "anonymous"),
                                                 gender, is_subject=True))
                continue
            self.mentions.append(Mention(token.idx, Speaker(span.text, "anonymous"), gender,
                                         is_subject=True, role_span=span))

    def mention_of_subject(self, token: Token, sent: TokenSpan) -> TokenSpan:
        """A subject noun with its determiner and complements, up to a comma or the verb."""
        left = token.i
        while left > sent.start and self.doc[left - 1].pos_ in ("DET", "ADJ") \
                and self.doc[left - 1].head.i == token.i:
            left -= 1
        right = token.i + 1
        while right < sent.end and self.doc[right].head.i >= token.i and \
                self.doc[right].pos_ in ("ADJ", "ADP", "DET", "NOUN", "PROPN") and \
                self.doc[right].head.i < right + 3 and not self.doc[right].is_punct:
            right += 1
        return self.doc[left:right]

    def _nouns_with_sentences(self):
        """(common noun, its sentence) pairs; ``token.sent`` rescans the doc at each call."""
        for sent in self.doc.sents:
            for token in sent:
                if token.pos_ == "NOUN":
                    yield token, sent

    def _name_text(self, tokens: list[Token]) -> str:
        """The name as written, one space between words: "Marie-Claire N'Diaye", not
        "N' Diaye" (an elided particle stays glued to what follows)."""
        return " ".join(self.text[tokens[0].idx:tokens[-1].idx + len(tokens[-1].text)].split())

    def _listed_media(self, tokens: list[Token], name: str) -> str | None:
        """The medium's name as listed, article included: "Le Monde", not "Monde"."""
        if _fold(" ".join(name.split())) in self.media_names:
            return " ".join(name.split())
        at = self.text.find(name, tokens[0].idx)
        if at < 0:
            return None
        whole_end = tokens[-1].idx + len(tokens[-1].text)
        for t in tokens:
            if t.idx > at:
                break
            # "Le Monde" for "Monde"; "Le Canard enchaîné" for "Canard" (a participle ends it)
            for candidate in (self.text[t.idx:at + len(name)], self.text[t.idx:whole_end]):
                if _fold(" ".join(candidate.split())) in self.media_names:
                    return " ".join(candidate.split())
        return None

    def _name_tokens(self, ent: TokenSpan) -> list[Token]:
        tokens = [t for t in ent if t.text.lower().rstrip(".") not in self.titles
                  and t.text.lower() not in self.titles and t.text not in ("'", "’")]
        while tokens and (tokens[0].pos_ == "DET" or tokens[0].text.lower() in self.definite):
            tokens.pop(0)
        while tokens and tokens[-1].is_punct:
            tokens.pop()
        # "Foulques Chombart de Lauwe": the recogniser stopped before a particle that joins a
        # surname outside any entity (not "Clément Galant de Génération identitaire", an ORG)
        k = ent.end
        while tokens and entity_label(ent.root) == "PER" and k + 1 < len(self.doc) \
                and self.doc[k].lower_ in self.name_particles and self.doc[k].pos_ != "PUNCT" \
                and self.doc[k + 1].pos_ == "PROPN" and not self.doc[k + 1].ent_type_ \
                and self.doc[k + 1].text[:1].isupper():
            tokens += [self.doc[k], self.doc[k + 1]]
            k += 2
        return tokens

    def person_for(self, name: str, position: int, create: bool = False) -> Person | None:
        """The person this name refers to: same full name, or an unambiguous surname."""
        folded = _fold(name)
        words = folded.split()
        if not words:
            return None
        exact = [p for p in self.people if _fold(p.name) == folded]
        if exact:
            return exact[0]
        # "Kallas" → "Kaja Kallas"; "J-M Ayrault" → "Jean-Marc Ayrault"; "B. Obama".
        same_surname = [p for p in self.people if p.surname == words[-1]]
        if len(words) > 1:
            compatible = [p for p in same_surname if len(p.name.split()) == 1
                          or self._first_compatible(_fold(p.name).split()[0], words[0])]
        else:
            compatible = same_surname
        if len({_fold(p.name) for p in compatible}) == 1:
            person = compatible[0]
            if len(name.split()) > len(person.name.split()) and create:
                person.name = name
            return person
        if not create:
            return None
        person = Person(name, position)
        self.people.append(person)
        return person

    @staticmethod
    def _first_compatible(full: str, given: str) -> bool:
        given = given.rstrip(".")
        if full == given or len(given) <= 2:
            return full.startswith(given[:1])
        parts = given.replace("-", " ").split()
        full_parts = full.replace("-", " ").split()
        return len(parts) == len(full_parts) and all(f.startswith(g[:1]) for f, g in zip(full_parts, parts))

    def _gender_near(self, ent: TokenSpan) -> str:
        """Gender told by a title or a gendered role noun next to the name."""
        sent = ent.sent
        window = list(self.doc[max(sent.start, ent.start - 8):ent.start]) + list(ent[:1]) + \
            list(self.doc[ent.end:min(sent.end, ent.end + 5)])
        for t in window:
            low = t.text.lower()
            # before the name, only the title right before it tells ("Mme Ravel"); after it,
            # any in the window ("Claude Marin, Mme la présidente")
            if low in self.titles and self.titles[low] and t.i >= ent.start - 1:
                return self.titles[low]
        # A feminine article on a role tells ("la ministre, Claude Marin"): it is never used
        # of a man, while "le maire" often is of a woman.
        roles = list(self._roles_near(window, ent))
        if any(article == "f" for _, article in roles):
            return "f"
        # A known first name tells more than a role's masculine article ("le maire, Valérie Roy").
        first = self._name_tokens(ent)
        if len(first) > 1:
            given = _fold(first[0].text)
            gender = self.first_names.get(given) or self.first_names.get(given.split("-")[0], "")
            if gender:
                return gender
        # else a gendered role noun, by its article or by itself ("l'adjointe")
        return next((article or head.gender for head, article in roles if head.gender), "")

    def _roles_near(self, window: list[Token], ent: TokenSpan) -> Iterator[tuple[HeadEntry, str]]:
        """Each role noun of ``window`` with no verb between it and the name, with the gender
        of its article ("f", "m" or "")."""
        for t in window:
            head = self.profile.heads.get(t.text.lower())
            if head is None or head.type != "role":
                continue
            if any(x.pos_ == "VERB" for x in self.doc[min(t.i, ent.start):max(t.i, ent.start)]):
                continue
            det = self.doc[t.i - 1].text.lower() if t.i > 0 else ""
            yield head, "f" if det in self.feminine else "m" if det in self.masculine else ""

    # ------------------------------------------------------------ resolution

    def resolve(self, cands: list[Candidate]) -> list[Attribution]:
        out: list[Attribution] = []
        resolved: dict[int, Speaker] = {}
        for cand in cands:
            speaker = None
            if cand.follows is not None and id(cand.follows) in resolved:
                speaker = resolved[id(cand.follows)]
            elif cand.source is not None:
                speaker = self.still_quoting(cand, out) or self.speaker_of(cand.source)
                if speaker is not None and speaker.type == "anonymous":
                    speaker = self.still_quoting(cand, out, speaker) or speaker
            if speaker is None:
                speaker = Speaker(self.profile.get("unknown_speaker"), "unknown")
            resolved[id(cand)] = speaker
            if cand.source is not None and speaker.type != "unknown":
                gender = self._speaker_gender(speaker, cand.source)
                self.mentions.append(Mention(cand.source.start_char, speaker, gender, is_subject=True,
                                             person=self._person_named(speaker.name), is_speaker=True))
            out.append(self.to_attribution(cand, speaker))
        return fill_implied_speakers(out, self.text)

    def still_quoting(self, cand: Candidate, before: list[Attribution],
                      resolved: Speaker | None = None) -> Speaker | None:
        """« … », a-t-il poursuivi / poursuit le militant: a verb that continues one's own
        words, with a pronoun or a role given to nobody, is the person quoted last, in the
        paragraph or the one before, even when someone else was the subject of a sentence in
        between."""
        if cand.kind == "indirect" or cand.cue is None or cand.source is None:
            return None
        cue = self.doc.char_span(*cand.cue, alignment_mode="expand")
        if cue is None or not any(t.lemma_.lower() in self.continuing_cues for t in cue):
            return None
        if resolved is None:
            if len(cand.source) != 1:
                return None
            pronoun = cand.source[0].text.lower().lstrip("-").split("-")[-1]
            if not self.pronouns.get(pronoun) or self.pronouns[pronoun].endswith("p"):
                return None
            gender = self.pronouns[pronoun][:1]
        elif resolved.type == "anonymous" and cand.source[0].lower_ in self.definite \
                and cand.source[0].lower_ not in self.plural_dets:
            gender = self._np_gender(cand.source)
        else:
            return None
        quoted = [a for a in before if a.kind != "indirect" and a.content.end <= cand.content[0]
                  and a.speaker.type == "person"]
        if not quoted or self.text[quoted[-1].content.end:cand.content[0]].count("\n") > 1:
            return None
        last = quoted[-1].speaker
        person = self._person_named(last.name)
        if person is None or person.gender and gender and person.gender != gender:
            return None
        return last

    def _person_named(self, name: str) -> Person | None:
        return next((p for p in self.people if p.name == name), None)

    def _speaker_gender(self, speaker: Speaker, source: TokenSpan) -> str:
        person = self._person_named(speaker.name)
        if person is not None and person.gender:
            return person.gender
        low = source.text.lower().lstrip("-")
        if low in self.pronouns:
            return self.pronouns[low][:1]
        return self._np_gender(source)

    def _np_gender(self, span: TokenSpan) -> str:
        for t in span:
            low = t.text.lower()
            if low in self.feminine:
                return "f"
            if low in self.masculine:
                return "m"
            if "Gender=Fem" in str(t.morph) and t.pos_ in ("NOUN", "DET"):
                return "f"
            if "Gender=Masc" in str(t.morph) and t.pos_ in ("NOUN", "DET"):
                return "m"
        return ""

    def to_attribution(self, cand: Candidate, speaker: Speaker) -> Attribution:
        text = self.text
        content = Span.of(text, *cand.content)
        cue = Span.of(text, *cand.cue) if cand.cue else None
        source = Span.of(text, cand.source.start_char, cand.source.end_char) if cand.source is not None else None
        via = Span.of(text, cand.via.start_char, cand.via.end_char) if cand.via is not None else None
        confidence = cand.confidence
        if speaker.type == "unknown":
            confidence *= 0.7
        return Attribution(cand.kind, content, speaker, cue, source, via, round(min(1.0, confidence), 3),
                           cand.rule)

    def speaker_of(self, span: TokenSpan) -> Speaker | None:
        tokens = [t for t in span if not t.is_space]
        # an aside in brackets ("Sen. Bernie Sanders (I-Vt.)") does not name the speaker
        tokens = _outside_brackets(tokens) or tokens
        tokens = self._core(tokens)
        if not tokens:
            return None
        first = tokens[0]
        low = first.text.lower().lstrip("-")
        if len(tokens) == 1 and low in self.relatives:
            # "the unions, who said …": the speaker is what the relative pronoun stands for
            antecedent = _relative_antecedent(first)
            return self.speaker_of(antecedent) if antecedent is not None else None
        own = self.profile.get("own_outlet")
        if own and low in self.first_person_possessives and len(tokens) <= 4 and any(
                t.lemma_.lower() in self.source_nouns or t.lower_ in self.source_nouns for t in tokens[1:]):
            return Speaker(own, "media")  # "Selon nos informations": the outlet (resolve.outlet)
        if any(t.lemma_.lower() in self.colleague_nouns or t.lower_ in self.colleague_nouns
               for t in tokens[:3]):
            start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
            medium = next((name for at, name in self.media_in_text if start <= at < end), None)
            if medium is not None:
                return Speaker(medium, "media")  # "nos confrères du Parisien": Le Parisien
        # Pronouns.
        if len(tokens) <= 2 and (low in self.pronouns or span.text.lower().lstrip("-") in self.pronouns):
            key = low if low in self.pronouns else span.text.lower().lstrip("-")
            return self.antecedent(span.start_char, self.pronouns[key],
                                   latest=key in self.latest_pronouns or span.text.lower() in self.latest_pronouns)
        # Names: a proper name apposed to the head ("le syndicat SUD", "la juge Claire Roy") is
        # the mention's name; one inside a complement ("le maire de Vierzon") is not.
        if self._owned_organization(tokens):
            # "Clinton's campaign" speaks as an organisation, not as Clinton
            return Speaker(self._strip_det(self._description(tokens)), "organization")
        head = self._head_entry(tokens)
        head_at = self._head_index(tokens)
        if head_at is None:
            name = self._proper_name(tokens)
            if name is not None and self._described(tokens, name):
                name = None  # "une maraîchère de Saint-Aubin-des-Prés": the place is no speaker
        else:
            own, complement_people = self._own_name_tokens(tokens, head_at)
            name = self._proper_name(own) or self._proper_name(complement_people)
        if name is not None and all(w.lower() in self.profile.heads or w.lower() in self.generic_adjectives
                                    for w in name.split()):
            # "Le Premier ministre", "le Conseil fédéral", "le Parti socialiste": a capital on
            # a role or institution noun does not make a name; the description names them.
            if not (_fold(name) in self.media_names or _fold(name) in self.media_bare):
                name = None
        if name is not None:
            folded = _fold(name)
            listed = self._listed_media(tokens, name)
            if listed is not None or folded in self.media_bare or (head is not None and head.type == "media") \
                    or any(folded.endswith(" " + m) or folded == m for m in self.media_names):
                return Speaker(listed or self._strip_det(name), "media")
            is_person_entity = any(entity_label(t) == "PER" and t.i not in self.not_names for t in tokens)
            org_entity = any(t.ent_type_ in ("ORG", "LOC", "GPE", "MISC") for t in tokens)
            if head is not None and head.type in ("organization",) and not is_person_entity:
                return Speaker(self._strip_det(name), "organization")
            if head is not None and head.type == "document":
                return self._document_author(tokens) or Speaker(self._strip_det(name), "organization")
            person = self.person_for(name, span.start_char)
            if person is not None and (is_person_entity or not org_entity):
                return Speaker(person.name, "person")
            if is_person_entity or (len(name.split()) >= 2 and not org_entity and head is None):
                person = self.person_for(name, span.start_char, create=True)
                return Speaker(person.name, "person")
            if head is None and len(name.split()) == 1 and _fold(name) in self.first_names \
                    and not any(t.ent_type_ in ("ORG", "LOC", "GPE") for t in tokens) \
                    and tokens[0].pos_ == "PROPN":
                # "témoigne Léa, infirmière", the first name alone tagged MISC: a person
                person = self.person_for(name, span.start_char, create=True)
                return Speaker(person.name, "person")
            if head is None and 2 <= len(name.split()) <= 4 and _fold(name.split()[0]) in self.first_names:
                # "Clément Galant de Génération identitaire", the whole labelled an organisation
                person = self.person_for(name, span.start_char, create=True)
                return Speaker(person.name, "person")
            if org_entity or head is not None:
                return Speaker(self._strip_det(name), "organization" if head is None or head.type != "anonymous" else "anonymous")
            person = self.person_for(name, span.start_char, create=True)
            return Speaker(person.name, "person")
        if head is None:
            if not can_name_speaker(tokens, self.profile):
                return None
            return Speaker(self._description(tokens), "anonymous")  # "une habitante du quartier"
        definite_singular = first.text.lower() in self.definite and first.text.lower() not in self.plural_dets
        if head.type in ("media", "organization") and definite_singular:
            head_word = next(t.lemma_.lower() for t in tokens if self.profile.head_of(t) is head)
            named = self.institution_in_view(span.start_char, head, head_word)
            if named is not None:
                return named
        if head.type == "media":
            return Speaker(self._strip_det(self._description(tokens)), "media")
        if head.type == "organization":
            return Speaker(self._strip_det(self._description(tokens)), "organization")
        if head.type == "document":
            return self._document_author(tokens) or self.last_document_author or \
                (self.author_in_view(span.start_char) if definite_singular else None) or \
                Speaker(self._description(tokens), "anonymous")  # "un courrier anonyme"
        determiner = first.text.lower()
        plural = determiner in self.plural_dets or any(
            "Number=Plur" in str(t.morph) for t in tokens if t.pos_ == "NOUN")
        if head.type == "role" and determiner not in self.indefinite and not plural:
            person = self.role_antecedent(span.start_char, tokens, head)
            if person is not None:
                return Speaker(person.name, "person")
        return Speaker(self._description(tokens), "anonymous")

    def _core(self, tokens: list[Token]) -> list[Token]:
        """The mention without the adjuncts an incise hangs on it: "l'eurodéputé, soucieux de
        voir…", "l'élu pour expliquer son geste", "la militante, prête à…". An apposition that
        names or describes the same speaker stays: "la maire, Claire Roy", "Paul Roux, son
        secrétaire national"."""
        while len(tokens) > 1 and (tokens[0].pos_ in ("CCONJ", "SCONJ") or tokens[0].lower_ in self.connectors):
            tokens = tokens[1:]  # "Mais le premier ministre", "comme l'organisme"
        for k, t in enumerate(tokens[1:], start=1):
            nxt = tokens[k + 1] if k + 1 < len(tokens) else None
            if t.lower_ in self.relatives and t.text != ",":
                return tokens[:k]  # "celle qui l'accuse": the relative clause says what she did
            if t.text == "," and nxt is not None:
                after = nxt
                if after.pos_ == "DET" and k + 2 < len(tokens):
                    after = tokens[k + 2]
                names = after.pos_ == "PROPN" or entity_label(after) in ("PER", "ORG") \
                    or _fold(after.text) in self.first_names
                if not (names or self.profile.head_of(after) is not None):
                    return tokens[:k]
            elif t.pos_ == "ADP" and nxt is not None and nxt.pos_ in ("VERB", "AUX") \
                    and "Inf" in nxt.morph.get("VerbForm"):
                return tokens[:k]
        return tokens

    def _owned_organization(self, tokens: list[Token]) -> bool:
        """Whether the mention is an organisation a person only qualifies ("Clinton's
        campaign", "the Trump administration", "Sen. Tom Baker's office"): its root is an
        organisation noun, with the person named before it and none after it (not "Clinton's
        campaign manager, Robby Mook")."""
        ids = {t.i for t in tokens}
        roots = [k for k, t in enumerate(tokens) if t.head.i == t.i or t.head.i not in ids]
        if len(roots) != 1:
            return False
        at = roots[0]
        root = tokens[at]
        entry = self.profile.head_of(root)
        if entry is None or entry.type != "organization":
            return False
        before = any(t.dep_ in ("poss", "nmod:poss") or entity_label(t) == "PER"
                     for t in tokens[:at])
        after = any(entity_label(t) == "PER" for t in tokens[at + 1:])
        return before and not after

    def _head_index(self, tokens: list[Token]) -> int | None:
        for k, t in enumerate(tokens):
            if t.text.lower() in self.relatives:
                return None
            if t.pos_ in ("NOUN", "PROPN", "ADJ", "VERB", "X") and (
                    t.lemma_.lower() in self.profile.heads or t.text.lower() in self.profile.heads):
                return k
        return None

    def _own_name_tokens(self, tokens: list[Token], head_at: int) -> tuple[list[Token], list[Token]]:
        """The mention minus prepositional complements of its head; and, apart, the person
        names found inside complements ("le président de l'Assemblée Claude Bartolone")."""
        own = list(tokens[:head_at + 1])
        people: list[Token] = []
        inside_complement = False
        for t in tokens[head_at + 1:]:
            if t.text == ",":
                inside_complement = False  # an apposition after a comma names the head
                own.append(t)
                continue
            inside_name = (t.lower_ in self.of_words and own and own[-1].text[:1].isupper()
                           and (own[-1].pos_ == "PROPN" or own[-1].ent_type_ and t.ent_type_)
                           and t.i + 1 < len(self.doc)
                           and self.doc[t.i + 1].text[:1].isupper())
            if t.lower_ in self.complement_preps and not inside_name:
                inside_complement = True
            if not inside_complement:
                own.append(t)
            elif entity_label(t) == "PER" and t.i not in self.not_names or (
                    t.pos_ == "PROPN" and (people and people[-1].i == t.i - 1 or
                                           _fold(t.text) in self.first_names)):
                people.append(t)
        return own, people

    def _head_entry(self, tokens: list[Token]):
        """The lexicon entry of the mention's head noun (the first known noun)."""
        for t in tokens:
            if t.text.lower() in self.relatives:
                break
            for key in (t.lemma_.lower(), t.text.lower()):
                entry = self.profile.heads.get(key)
                if entry is not None and t.pos_ in ("NOUN", "PROPN", "ADJ", "VERB", "X"):
                    return entry
        return None

    def _described(self, tokens: list[Token], name: str) -> bool:
        """Whether the mention is a common noun phrase whose only name sits in a complement
        ("une maraîchère de Saint-Aubin-des-Prés", "un habitant de Lyon")."""
        if len(tokens) < 3 or tokens[0].pos_ != "DET" or tokens[1].pos_ not in ("NOUN", "ADJ"):
            return False
        start = self.text.find(name, tokens[0].idx)
        before = [t for t in tokens if t.idx < start]
        return any(t.pos_ == "ADP" for t in before) and not any(entity_label(t) == "PER" for t in tokens)

    def _proper_name(self, tokens: list[Token]) -> str | None:
        """The longest run of proper-noun tokens (with inner particles: de, du, des, -); a
        person's name before any other ("le maire UMP du Raincy, Eric Raoult")."""
        runs: list[list[Token]] = [[]]
        for t in tokens:
            is_name = (t.pos_ in _NAME_POS or entity_label(t) in ("PER", "ORG")) and t.text[:1].isupper()
            is_name = is_name or (t.text[:1].isupper() and t.ent_type_ and t.pos_ not in ("DET", "ADP", "PUNCT"))
            if is_name and t.text.lower().rstrip(".") not in self.titles and t.text.lower() not in self.titles:
                runs[-1].append(t)
            elif runs[-1] and t.text.lower() in self.name_particles and t.i + 1 < len(self.doc) \
                    and self.doc[t.i + 1].text[:1].isupper() \
                    and (t.ent_iob_ == "I" or not runs[-1][-1].ent_type_):
                runs[-1].append(t)  # "Charles de Gaulle", not "Clément Galant de Génération …"
            elif runs[-1]:
                runs.append([])
        best = max(runs, key=lambda run: (any(entity_label(t) == "PER" and t.i not in self.not_names
                                              for t in run), len(run)))
        while best and best[-1].text.lower() in self.name_particles:
            best.pop()
        while len(best) > 1 and _is_acronym(best[0].text) and _fold(best[1].text) in self.first_names:
            best.pop(0)  # "le député LR Julien Martin": the party's initials are no part of the name
        if not best:
            return None
        return self.text[best[0].idx:best[-1].idx + len(best[-1].text)]

    def _strip_det(self, name: str) -> str:
        words = name.split()
        while len(words) > 1 and (words[0].lower() in self.definite):
            words.pop(0)
        out = " ".join(words)
        for det in self.definite:
            if det.endswith("'") and out.lower().startswith(det) and len(out) > len(det):
                out = out[len(det):]  # elided article: "l'Observatoire"
                break
        return out

    def _description(self, tokens: list[Token]) -> str:
        """The mention as a name: cut before a relative clause or a second comma."""
        out: list[Token] = []
        for t in tokens:
            if t.text.lower() in self.relatives or t.text in ("(", ";"):
                break
            out.append(t)
        if not out:
            out = tokens
        return self.text[out[0].idx:out[-1].idx + len(out[-1].text)].strip()

    def _document_author(self, tokens: list[Token]) -> Speaker | None:
        """"le rapport de l'Observatoire alpin" speaks for the Observatoire alpin."""
        author = self._find_document_author(tokens)
        if author is not None:
            self.last_document_author = author
        return author

    def _find_document_author(self, tokens: list[Token]) -> Speaker | None:
        for i, t in enumerate(tokens):
            if t.text.lower() in self.of_words and i + 1 < len(tokens):
                rest = tokens[i + 1:]
                name = self._proper_name(rest)
                if name is not None:
                    if _fold(name) in self.media_names:
                        return Speaker(self._listed_media(rest, name) or self._strip_det(name), "media")
                    return Speaker(self._strip_det(name), "organization")
                head = self._head_entry(rest)
                if head is not None and head.type == "organization":
                    return Speaker(self._strip_det(self._description(rest)), "organization")
        return None

    def antecedent(self, position: int, gender: str, latest: bool = False) -> Speaker | None:
        """What a pronoun at ``position`` stands for: the most salient agreeing mention.

        Salience, as a reader weighs it: recent, a clause's subject or an earlier speaker
        (the one who was talking goes on talking), a person rather than an institution for
        "il"/"elle", never a name inside a quotation (those are what was said, not who said
        it). Gender and number must agree where both are known."""
        g = gender[:1]
        plural = gender.endswith("p")
        before = sorted((m for m in self.mentions if m.position < position),
                        key=lambda m: m.position, reverse=True)[:12]
        best, best_score = None, None
        for rank, m in enumerate(before):
            if plural and m.speaker.type == "person":
                continue
            if m.gender and g and m.gender != g:
                continue
            if latest and not self.quoted(m.position):
                return self._mention_speaker(m)  # "ce dernier": the last one named, by definition
            score = -rank
            if m.is_subject:
                score += 4
            if m.gender and m.gender == g:
                score += 2
            if not plural and m.speaker.type == "person":
                score += 3
            elif m.speaker.type == "media":
                score -= 3
            if self.quoted(m.position):
                score -= 8
            if best_score is None or score > best_score:
                best, best_score = m, score
        return self._mention_speaker(best) if best is not None else None

    def quoted(self, position: int) -> bool:
        return any(q.content_start <= position < q.content_end for q in self.quotes)

    def _mention_speaker(self, m: Mention) -> Speaker:
        if m.role_span is not None:
            m.speaker = self.speaker_of(m.role_span) or m.speaker
            m.role_span = None
        return m.speaker

    def role_antecedent(self, position: int, tokens: list[Token], head) -> Person | None:
        """"le magistrat", "la ministre de la Santé", "le chef du gouvernement": the person the
        article gave that role (or an equivalent one), the latest such if several; failing
        that, for a role that names no particular office ("l'élu", "l'eurodéputé"), the person
        the article is talking about."""
        mention = describe(tokens, self.profile)
        if mention is None:
            return None
        data = role_data(self.profile)
        gender = self._np_gender(self.doc[tokens[0].i:tokens[-1].i + 1]) or head.gender
        best, best_key = None, None
        for p in self.people:
            if p.first_seen >= position or gender and p.gender and p.gender != gender:
                continue
            score = max((match(mention, r, data) for r in p.roles), default=0)
            if score:
                last = max([x for x in p.positions if x < position] or [p.first_seen])
                if best_key is None or (score, last) > best_key:
                    best, best_key = p, (score, last)
        if best is not None and best_key[0] == 1 and sum(
                any(r.head == mention.head for r in p.roles) for p in self.people) > 1:
            best = None  # the same head with other complements, and several people have it
        if best is not None:
            return best
        return self._person_in_view(position, gender, mention) or self._protagonist(position, gender, mention)

    def _protagonist(self, position: int, gender: str, mention: Role) -> Person | None:
        """The person the article is about — named most often, at least three times, in the
        headline or lead among them — for a role it gives to nobody ("la secrétaire d'État"
        in a story about her), unless the role names a place or contradicts theirs."""
        if mention.places:
            return None
        lead_end = self.text.find("\n", self.text.find("\n", self.text.find("\n") + 1) + 1)
        ranked = sorted((p for p in self.people if len(p.positions) >= 3 and p.first_seen < position
                         and (lead_end < 0 or p.first_seen <= lead_end)),
                        key=lambda p: -len(p.positions))
        if not ranked or len(ranked) > 1 and len(ranked[1].positions) == len(ranked[0].positions):
            return None
        p = ranked[0]
        if gender and p.gender and p.gender != gender:
            return None
        if any(r.head == mention.head and r.words and mention.words and not r.words & mention.words
               for r in p.roles):
            return None
        return p

    def _person_in_view(self, position: int, gender: str, mention: Role) -> Person | None:
        """The person the text is talking about at ``position``: the most salient person
        mentioned in the last paragraphs, gender agreeing. A role that names an office ("le
        trésorier du parti") goes to someone only when nobody else is in view, or when that
        person was speaking just before, and never to someone given a contradicting role."""
        floor = self._paragraph_floor(position, 3)
        recent = [m for m in self.mentions if floor < m.position < position and m.person is not None
                  and not self.quoted(m.position)]
        recent.sort(key=lambda m: m.position, reverse=True)
        data = role_data(self.profile)
        specific = bool(mention.words) and mention.head not in data.generic
        ranked: list[tuple[int, Person]] = []
        for rank, m in enumerate(recent[:10]):
            if gender and m.gender and m.gender != gender:
                continue
            if specific and any(r.head == mention.head or r.canonical and mention.canonical
                                and r.canonical != mention.canonical for r in m.person.roles):
                # "le maire de Lyon" is not the maire de Vierzon named just before, nor the
                # président du Sénat a ministre; "le sénateur des Yvelines" may well be him
                continue
            score = -rank + (3 if m.is_subject else 0) + (1 if m.gender == gender and gender else 0)
            ranked.append((score, m.person))
        if not ranked:
            return None
        ranked.sort(key=lambda x: -x[0])
        if not specific:
            return ranked[0][1]
        people = {id(p): p for _, p in ranked}
        if len(people) == 1:
            return ranked[0][1]
        last = self.last_speaker_before(position)
        return next((p for _, p in ranked if last is not None and p.name == last.name), None)

    def last_speaker_before(self, position: int) -> Speaker | None:
        return next((m.speaker for m in sorted(self.mentions, key=lambda m: -m.position)
                     if m.position < position and m.is_speaker), None)


@lru_cache(maxsize=None)
def _media_pattern_for(names: tuple[str, ...], articles: frozenset[str]) -> tuple[re.Pattern | None, dict]:
    """A pattern of the listed media names, also without their article ("au Canard enchaîné"
    for "Le Canard enchaîné"), and the listed name each bare form stands for."""
    full_names: dict[str, str] = {}
    for name in names:
        first, _, rest = name.partition(" ")
        if rest and first.lower() in articles and len(rest) > 3:
            full_names.setdefault(rest, name)
    forms = set(names) | set(full_names)
    if not forms:
        return None, {}
    alternatives = "|".join(re.escape(n) for n in sorted(forms, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)"), full_names


def _media_pattern(profile: LanguageProfile) -> tuple[re.Pattern | None, dict]:
    names = tuple(n for n in profile.get("media", {}).get("names", []) if len(n) > 2)
    articles = frozenset(w.lower() for w in profile.get("settings", {}).get("definite", []))
    return _media_pattern_for(names, articles)


def _is_acronym(word: str) -> bool:
    """A party's or an organisation's initials: "LR", "PS", "EELV" (two to five capitals)."""
    return 2 <= len(word) <= 5 and word.isalpha() and word.isupper()


def _relative_antecedent(pronoun: Token) -> TokenSpan | None:
    """The noun phrase a relative pronoun stands for: the head of its relative clause, else
    (the parser may hang the clause elsewhere) the noun right before it, taken from its
    first word to itself ("the unions" in "the unions, who said …"); an apposition ("Ann
    Lee, a nurse, who …") stands for the name it follows."""
    clause = pronoun.head
    if clause.dep_ == "acl:relcl":  # UD's name; the profile maps the model's own
        noun = clause.head
    else:
        k = pronoun.i - 1
        while k >= 0 and pronoun.doc[k].is_punct:
            k -= 1
        if k < 0:
            return None
        noun = pronoun.doc[k]
        while noun.dep_ in ("compound", "flat", "flat:name") and noun.head.i > noun.i:
            noun = noun.head
    if noun.pos_ not in ("NOUN", "PROPN"):
        return None
    if noun.dep_ == "appos" and noun.head.pos_ in ("NOUN", "PROPN"):
        noun = noun.head
    start = noun.left_edge.i
    while start < noun.i and noun.doc[start].pos_ == "ADP":
        start += 1  # "par les syndicats": the preposition is not the speaker's
    return noun.doc[start:noun.i + 1]


def _outside_brackets(tokens: list[Token]) -> list[Token]:
    out, depth = [], 0
    for t in tokens:
        if t.text in ("(", "["):
            depth += 1
        elif t.text in (")", "]") and depth:
            depth -= 1
        elif not depth:
            out.append(t)
    return out


def resolve_speakers(doc: Doc, candidates: list[Candidate], profile: LanguageProfile,
                     text: str | None = None) -> list[Attribution]:
    """Turn candidates into attributions with resolved speakers."""
    return Resolver(doc, profile, text).resolve(candidates)

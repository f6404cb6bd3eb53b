"""Incises: the reporting verb inverted after (or inside) the reported words.

« … », a-t-il dit. / « …, a-t-elle expliqué, … » / …, raconte-t-il. / …, a indiqué la police.
The cue text must contain the verb form; its exact extent (auxiliary, -t-il) is free.
"""

from __future__ import annotations

import pytest

from helpers import describe, expect, extract, overlapping, speaker_ok

pytestmark = [pytest.mark.model, pytest.mark.usefixtures("fr_pipeline")]


@pytest.mark.parametrize(
    "text, content, speaker, cue",
    [
        pytest.param(
            "Le syndicaliste Marc Aubert est sorti de la réunion vers minuit. « Nous irons "
            "jusqu'au bout », a-t-il dit.",
            "Nous irons jusqu'au bout", "Marc Aubert", "dit",
            id="a-t-il-dit"),
        pytest.param(
            "La maire de Lille, Martine Duval, a présenté le budget mardi. « Aucun impôt "
            "n'augmentera », a-t-elle ajouté.",
            "Aucun impôt n'augmentera", "Martine Duval", "ajouté",
            id="a-t-elle-ajouté"),
        pytest.param(
            "Lucas Perrin, 17 ans, a été sauvé par un voisin. « J'ai vu la fumée sous la "
            "porte », raconte-t-il.",
            "J'ai vu la fumée sous la porte", "Lucas Perrin", "raconte",
            id="raconte-t-il"),
        pytest.param(
            "L'infirmière Julie Mercier travaille de nuit depuis vingt ans. « On manque de "
            "tout », ajoute-t-elle.",
            "On manque de tout", "Julie Mercier", "ajoute",
            id="ajoute-t-elle"),
        pytest.param(
            "La skieuse Manon Girard a terminé quatrième. « Je recommencerais demain », "
            "dit-elle.",
            "Je recommencerais demain", "Manon Girard", "dit",
            id="dit-elle"),
        pytest.param(
            "Le maire, Paul Garnier, a reçu les riverains mardi.\n"
            "« Nous trouverons une solution avant l'hiver », a-t-il promis.",
            "Nous trouverons une solution avant l'hiver", "Paul Garnier", "promis",
            id="a-t-il-antecedent-previous-paragraph"),
    ],
)
def test_inverted_pronoun_incise(text, content, speaker, cue):
    """Inverted pronoun cue after the quote, resolved to the person named before."""
    doc = extract(text)
    expect(doc, content, speaker=speaker, type="person", kind="direct", cue=cue)


@pytest.mark.parametrize(
    "text, content, speaker, cue",
    [
        pytest.param(
            "« Nous avons gagné avec le cœur », a lancé le capitaine du XV de France, "
            "Antoine Morel.",
            "Nous avons gagné avec le cœur", "Antoine Morel", "lancé",
            id="nominal-subject-role-apposition"),
        pytest.param(
            "« La décision sera rendue le 12 mars », a précisé Denis Lafont.",
            "La décision sera rendue le 12 mars", "Denis Lafont", "précisé",
            id="nominal-subject-bare-name"),
        pytest.param(
            "« Nous avons enfin été entendus », se félicite Marc Aubert, délégué CGT.",
            "Nous avons enfin été entendus", "Marc Aubert", "félicite",
            id="pronominal-verb-present"),
        pytest.param(
            "« Quelle soirée ! », s'est exclamé le sélectionneur Didier Caron.",
            "Quelle soirée !", "Didier Caron", "exclamé",
            id="exclamation-inside-quote"),
        pytest.param(
            "« Qui va payer la facture ? » s'interroge la commerçante Sophie Leroy.",
            "Qui va payer la facture ?", "Sophie Leroy", "interroge",
            id="question-no-comma"),
        pytest.param(
            "« Le marché immobilier est saturé », explique Laurent Février, analyste dans une "
            "banque parisienne.",
            "Le marché immobilier est saturé", "Laurent Février", "explique",
            id="present-name-role-after"),
    ],
)
def test_inverted_nominal_subject_incise(text, content, speaker, cue):
    """« … », <verb> <named subject>."""
    doc = extract(text)
    expect(doc, content, speaker=speaker, type="person", kind="direct", cue=cue)


def _assert_split_quote(text: str, parts: list[str], speaker: str) -> None:
    """A quote interrupted by its incise: one or two attributions, all of the right speaker,
    that together cover every quoted part."""
    doc = extract(text)
    start = text.index(parts[0])
    end = text.index(parts[-1]) + len(parts[-1])
    hits = overlapping(doc, start, end)
    assert 1 <= len(hits) <= 2, f"expected one or two attributions:\n{describe(doc)}"
    for a in hits:
        assert a.kind == "direct", describe(doc)
        assert speaker_ok(a, speaker, "person"), f"wrong speaker:\n{describe(doc)}"
    for part in parts:
        p_start = text.index(part)
        p_end = p_start + len(part)
        assert any(a.content.start <= p_start and p_end <= a.content.end for a in hits), (
            f"quoted words {part!r} not covered:\n{describe(doc)}")


def test_incise_inside_quote_pronoun():
    """« X, a-t-elle expliqué, Y » — same speaker for both halves."""
    _assert_split_quote(
        "La juge Claire Besson a longuement interrogé le prévenu. « Ce dossier, a-t-elle "
        "expliqué, ne sera pas jugé avant l'été. »",
        ["Ce dossier", "ne sera pas jugé avant l'été."],
        "Claire Besson")


def test_incise_inside_quote_nominal_subject():
    """« X, a assuré <role>, <Name>, Y » — the named subject inside the quote."""
    _assert_split_quote(
        "« Nous avons fait le maximum, a assuré le directeur de l'hôpital, Pierre Lenoir, "
        "mais les moyens manquent. »",
        ["Nous avons fait le maximum", "mais les moyens manquent."],
        "Pierre Lenoir")


@pytest.mark.parametrize(
    "text, content, speaker, cue",
    [
        pytest.param(
            "Le conducteur a été placé en garde à vue, a-t-on appris auprès de la gendarmerie.",
            "Le conducteur a été placé en garde à vue", "gendarmerie", "appris",
            id="a-t-on-appris-aupres-de"),
        pytest.param(
            "Trois randonneurs ont été secourus dimanche dans le massif, a-t-on appris auprès "
            "de la préfecture de l'Isère.",
            "Trois randonneurs ont été secourus dimanche dans le massif",
            "préfecture de l'Isère", "appris",
            id="a-t-on-appris-aupres-de-named-institution"),
        pytest.param(
            "Deux suspects ont été interpellés mardi soir, a indiqué la police.",
            "Deux suspects ont été interpellés mardi soir", "police", "indiqué",
            id="a-indique-la-police"),
    ],
)
def test_unquoted_clause_with_inverted_cue(text, content, speaker, cue):
    """Clause, then an inverted cue: indirect, speaker the institution."""
    doc = extract(text)
    expect(doc, content, speaker=speaker, type="organization", kind="indirect", cue=cue)


def test_quote_with_inverted_institution():
    """« … », a indiqué la préfecture. — an institution as inverted subject."""
    doc = extract("« L'incendie est désormais fixé », a indiqué la préfecture.")
    expect(doc, "L'incendie est désormais fixé", speaker="préfecture", type="organization",
           kind="direct", cue="indiqué")


def test_unquoted_clause_with_inverted_pronoun():
    """Clause, a-t-il précisé. — indirect, pronoun resolved to the person named before."""
    text = ("Le président du tribunal, Denis Lafont, a suspendu l'audience. Le jugement sera "
            "rendu le 3 mai, a-t-il précisé.")
    doc = extract(text)
    expect(doc, "Le jugement sera rendu le 3 mai", speaker="Denis Lafont", type="person",
           kind="indirect", cue="précisé")


@pytest.mark.parametrize("text, content, speaker", [
    # every verb that reports a clause also closes a quotation
    ("Anne Roy a parlé. « Nous baisserons les impôts », a-t-elle promis.",
     "Nous baisserons les impôts", "Anne Roy"),
    ("Paul Roux a parlé. « Nous vous écouterons », a-t-il assuré.",
     "Nous vous écouterons", "Paul Roux"),
])
def test_incise_for_verbs_with_a_clause(text, content, speaker):
    doc = extract(text)
    expect(doc, content, speaker=speaker, type="person", kind="direct")


@pytest.mark.parametrize("text, content, speaker", [
    # an addressee, even quoted, and adverbs stand between the verb and its inverted subject
    ("« La goutte d'eau a fait déborder le vase », s'exclame auprès de 20 Minutes, Farid Aid, "
     "président de l'association.", "La goutte d'eau a fait déborder le vase", "Farid Aid"),
    ("« Il n'y a pas de retard pris », confirme aux « Echos » Benjamin Griveaux, porte-parole "
     "du candidat.", "Il n'y a pas de retard pris", "Benjamin Griveaux"),
    ("« Le préfet a toujours démenti », déplore encore aujourd'hui Jeanne Morel.",
     "Le préfet a toujours démenti", "Jeanne Morel"),
    # "écrit" before a name, which the tagger may read as a participle
    ("« Bien sûr, il faut agir », écrit Olivier Marchand sur son blog.", "Bien sûr, il faut agir",
     "Olivier Marchand"),
])
def test_incise_subject_after_addressee_and_adverbs(text, content, speaker):
    doc = extract(text)
    expect(doc, content, speaker=speaker, type="person", kind="direct")


@pytest.mark.parametrize("text, content, speaker, cue", [
    # a verb that only says the subject did it carries the infinitive cue
    ("La présidente écoute l'accusé. « Nous sommes devant un mystère », finit par ironiser "
     "la présidente du tribunal, Claire Mercier.", "Nous sommes devant un mystère",
     "Claire Mercier", "finit par ironiser"),
    ("« C'est un scandale », s'est contenté de rappeler le député Jean Morel.",
     "C'est un scandale", "Jean Morel", "s'est contenté de rappeler"),
])
def test_incise_with_a_carrier_verb(text, content, speaker, cue):
    doc = extract(text)
    expect(doc, content, speaker=speaker, type="person", kind="direct", cue=cue)


@pytest.mark.parametrize("text, content, speaker, stype, kind", [
    # "comme le rappelle X": a parenthetical whose inverted subject speaks, before a quote…
    ("L'ONG a demandé un vote, bien que, comme le rappelle Human Rights Watch, « la Russie et "
     "la Chine ont bloqué les efforts du Conseil ».",
     "la Russie et la Chine ont bloqué les efforts du Conseil", "Human Rights Watch",
     "organization", "direct"),
    # … after the clause it reports…
    ("Le texte sera voté mardi, comme l'a indiqué le ministre de l'Intérieur, Paul Roux.",
     "Le texte sera voté mardi", "Paul Roux", "person", "indirect"),
    # … or before it
    ("Comme l'a rappelé la maire, Claire Dumas, la piscine restera fermée tout l'été.",
     "la piscine restera fermée tout l'été", "Claire Dumas", "person", "indirect"),
])
def test_parenthetical_comme(text, content, speaker, stype, kind):
    expect(extract(text), content, speaker=speaker, type=stype, kind=kind)


def test_comme_prevu_reports_nothing():
    doc = extract("Comme prévu, le ministre a présenté le budget mardi.")
    assert doc.attributions == ()


def test_a_verb_that_continues_ones_words_goes_on_with_the_last_quoted():
    """« … », a-t-il poursuivi: the man quoted last, not the subject of the sentence between."""
    doc = extract("« Je trouve une complémentarité dans la double appartenance », a affirmé le "
                  "père Pascal Vesin. Le maire du village, Jean Morel, a tenté de le convaincre de "
                  "revenir sur ses positions. « Je tiens à cette liberté de pensée », a-t-il "
                  "poursuivi.")
    expect(doc, "Je tiens à cette liberté de pensée", speaker="Pascal Vesin", type="person",
           kind="direct")


@pytest.mark.parametrize("text", [
    pytest.param("« On a tout perdu », souffle Marie, les larmes aux yeux.", id="spaced-guillemets"),
    pytest.param('"On a tout perdu", souffle Marie.', id="straight-quotes"),
])
def test_an_incise_verb_the_tagger_read_as_a_noun(text):
    """"souffle" after the closing mark and a comma is the verb, whatever the tagger says."""
    expect(extract(text), "On a tout perdu", speaker="Marie", type="person", kind="direct",
           cue="souffle")


@pytest.mark.parametrize("text, content, speaker, stype", [
    pytest.param("« Rien n'est décidé », indique-t-on à l'Elysée.", "Rien n'est décidé", "Elysée",
                 "organization", id="a-l"),
    pytest.param("« Nous étudions toutes les options », explique-t-on chez Renault.",
                 "Nous étudions toutes les options", "Renault", "organization", id="chez"),
    pytest.param("« Le ministre ne démissionnera pas », précise-t-on dans l'entourage du ministre.",
                 "Le ministre ne démissionnera pas", "entourage du ministre", "anonymous",
                 id="dans-l-entourage"),
])
def test_an_impersonal_incise_speaks_for_where_it_was_said(text, content, speaker, stype):
    """"indique-t-on à l'Elysée": "on" is whoever speaks for the place named after it."""
    expect(extract(text), content, speaker=speaker, type=stype, kind="direct")

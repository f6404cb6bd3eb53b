"""Direct quotes: verbatim words in quotation marks.

``content`` is what lies between the marks, without the marks and without the (no-break)
spaces just inside them; punctuation inside the marks is part of the verbatim words.
"""

from __future__ import annotations

import pytest

from helpers import describe, expect, extract, find, overlapping, speaker_ok

pytestmark = [pytest.mark.model, pytest.mark.usefixtures("fr_pipeline")]

NBSP, NNBSP = "\u00a0", "\u202f"


@pytest.mark.parametrize(
    "text, content, speaker, cue",
    [
        pytest.param(
            "« Nous tiendrons nos engagements », a déclaré la maire de Rennes, Léa Martin.",
            "Nous tiendrons nos engagements", "Léa Martin", "déclaré",
            id="guillemets-normal-space"),
        pytest.param(
            f"«{NBSP}Le dossier est complet{NBSP}», a assuré le préfet du Var, Jean-Luc Perrin.",
            "Le dossier est complet", "Jean-Luc Perrin", "assuré",
            id="guillemets-nbsp"),
        pytest.param(
            f"«{NNBSP}Nous visons le maintien{NNBSP}», a affirmé l'entraîneur du FC Lorient, "
            "Yann Le Goff.",
            "Nous visons le maintien", "Yann Le Goff", "affirmé",
            id="guillemets-narrow-nbsp"),
        pytest.param(
            "«La grève continue jusqu'à nouvel ordre», a lancé la syndicaliste Nadia Cherif.",
            "La grève continue jusqu'à nouvel ordre", "Nadia Cherif", "lancé",
            id="guillemets-no-space"),
        pytest.param(
            "“Les comptes sont à l’équilibre”, a précisé le trésorier du club, Michel Brunet.",
            "Les comptes sont à l’équilibre", "Michel Brunet", "précisé",
            id="curly-double-quotes"),
        pytest.param(
            '"Nous ne fermerons aucune classe", a promis le recteur, Bernard Collin.',
            "Nous ne fermerons aucune classe", "Bernard Collin", "promis",
            id="straight-double-quotes"),
    ],
)
def test_quote_marks(text, content, speaker, cue):
    """Every kind of quotation mark, with or without (narrow) no-break spaces inside."""
    doc = extract(text)
    expect(doc, content, speaker=speaker, type="person", kind="direct", cue=cue)
    assert len(doc.attributions) == 1, "one quote, one attribution"


@pytest.mark.parametrize(
    "text, content, speaker, cue",
    [
        pytest.param(
            "Le président du tribunal, Denis Lafont, a déclaré : « L'audience est suspendue. »",
            "L'audience est suspendue.", "Denis Lafont", "déclaré",
            id="colon-final-period-kept"),
        pytest.param(
            f"La ministre des Sports, Claire Vasseur, a réagi{NBSP}: «{NBSP}C'est une immense "
            f"fierté pour tout le pays{NBSP}».",
            "C'est une immense fierté pour tout le pays", "Claire Vasseur", "réagi",
            id="colon-nbsp"),
        pytest.param(
            'Le capitaine Hugo Lemaire prévient : "Nous n\'avons encore rien gagné."',
            "Nous n'avons encore rien gagné.", "Hugo Lemaire", "prévient",
            id="colon-present-straight-quotes"),
        pytest.param(
            "La maire, Ellen Ward, a déclaré :\n« Nous ne pouvons pas payer ce pont. »",
            "Nous ne pouvons pas payer ce pont.", "Ellen Ward", "déclaré",
            id="colon-then-quote-on-the-next-line"),
    ],
)
def test_colon_introduction(text, content, speaker, cue):
    """X a déclaré : « … » — the speaker and cue come before the quote."""
    doc = extract(text)
    expect(doc, content, speaker=speaker, type="person", kind="direct", cue=cue)


def test_quote_then_incise_with_apposition_after_name():
    """« … », a indiqué X, <role>. — name first, role after it."""
    doc = extract("« Le pont sera livré en 2027 », a indiqué Sophie Leroy, directrice du chantier.")
    expect(doc, "Le pont sera livré en 2027", speaker="Sophie Leroy", type="person",
           kind="direct", cue="indiqué")


def test_multi_sentence_quote_is_one_attribution():
    """A quote running over several sentences is one attribution."""
    text = ("« Le club traverse une crise. Nous devons nous remettre en question. Personne "
            "n'est épargné », a reconnu le président du Stade lavallois, Thierry Marchal.")
    doc = extract(text)
    expect(doc, "Le club traverse une crise. Nous devons nous remettre en question. "
                "Personne n'est épargné",
           speaker="Thierry Marchal", type="person", kind="direct", cue="reconnu")
    assert len(doc.attributions) == 1


def test_multi_paragraph_quote_colon_intro():
    """« re-opened at each paragraph start, » only at the end: one attribution."""
    text = ("Le procureur de Nîmes, Éric Vasseur, a lu son réquisitoire : « Le prévenu a menti "
            "à chaque étape de l'enquête.\n"
            "« Il a fabriqué des preuves et intimidé des témoins. »")
    doc = extract(text)
    start = text.index("Le prévenu")
    end = text.index("témoins.") + len("témoins.")
    hits = overlapping(doc, start, end)
    assert len(hits) == 1, f"one attribution for the whole quote, got {len(hits)}"
    a = hits[0]
    assert a.content.start == start and a.content.end == end, a.content
    assert a.kind == "direct"
    assert speaker_ok(a, "Éric Vasseur", "person"), a.speaker


def test_multi_paragraph_quote_incise_at_end():
    """Three paragraphs of one quote, attributed by an incise after the last »."""
    text = ("« Nous avons perdu trois cents emplois en dix ans.\n"
            "« Les jeunes partent et les commerces ferment.\n"
            "« Il est temps que l'État nous entende », a conclu le maire de Vierzon, "
            "Alain Berthier.")
    doc = extract(text)
    start = text.index("Nous avons")
    end = text.index("entende") + len("entende")
    hits = overlapping(doc, start, end)
    assert len(hits) == 1, f"one attribution for the whole quote, got {len(hits)}"
    a = hits[0]
    assert (a.content.start, a.content.end) == (start, end), a.content
    assert a.kind == "direct"
    assert speaker_ok(a, "Alain Berthier", "person"), a.speaker
    assert a.cue is not None and "conclu" in a.cue.text


def test_quote_then_speaker_introduced_without_cue():
    """« … » X, <role>, n'en revient pas. — the next sentence names the speaker, no cue verb."""
    text = ("« Trois mois sans salaire, comment voulez-vous qu'on vive ? » Karim Benali, "
            "chauffeur routier à Vierzon, n'en revient toujours pas.")
    doc = extract(text)
    expect(doc, "Trois mois sans salaire, comment voulez-vous qu'on vive ?",
           speaker="Karim Benali", type="person", kind="direct", cue=None)


def test_continuation_quote_next_paragraph():
    """A quote-only paragraph after an attributed quote continues the same speaker, no cue."""
    text = ("« Les comptes sont dans le rouge », a reconnu la présidente du club, Claire Vasseur.\n"
            "« Il faudra vendre deux joueurs cet été. »")
    doc = extract(text)
    expect(doc, "Les comptes sont dans le rouge", speaker="Claire Vasseur", type="person",
           kind="direct", cue="reconnu")
    expect(doc, "Il faudra vendre deux joueurs cet été.", speaker="Claire Vasseur",
           type="person", kind="direct", cue=None)


def test_continuation_quote_same_paragraph():
    """A second quote with no cue right after an attributed one: same speaker, cue None."""
    text = ("« Nous avons été trop naïfs », a admis l'entraîneur Yann Le Goff. « La deuxième "
            "mi-temps est inacceptable. »")
    doc = extract(text)
    expect(doc, "Nous avons été trop naïfs", speaker="Yann Le Goff", type="person",
           kind="direct", cue="admis")
    expect(doc, "La deuxième mi-temps est inacceptable.", speaker="Yann Le Goff",
           type="person", kind="direct", cue=None)


def test_short_continuation_quote_same_paragraph():
    """A short quote is a whole sentence going on from the attribution, not a scare quote."""
    doc = extract("« Nous ne partirons pas », a déclaré le maire, Paul Roux. « Jamais. »")
    expect(doc, "Jamais.", speaker="Paul Roux", type="person", kind="direct", cue=None)


def test_short_quote_alone_in_the_next_paragraph_is_a_heading():
    doc = extract("« Nous ne partirons pas », a déclaré le maire, Paul Roux.\n« Le gâchis »\n"
                  "Le conseil municipal votera lundi.")
    assert [a.content.text for a in doc.attributions] == ["Nous ne partirons pas"]


def test_quote_signed_after_a_dash_is_not_a_continuation():
    """« … » — X, <role>: the dash names the speaker, even after someone else's quote."""
    doc = extract("« Nous ne céderons pas », a déclaré le ministre, Paul Roux.\n"
                  "« Les usagers sont pris en otage » — Marc Durand, président de "
                  "l'association des usagers")
    expect(doc, "Les usagers sont pris en otage", speaker="Marc Durand", type="person",
           kind="direct", cue=None)


def test_two_speakers_incises_one_paragraph():
    """Two quotes, two incises, two speakers in the same paragraph."""
    text = ("« Ce budget est sincère », a assuré le maire, Paul Garnier. « C'est un budget de "
            "façade », a rétorqué la conseillère d'opposition Sophie Leroy.")
    doc = extract(text)
    expect(doc, "Ce budget est sincère", speaker="Paul Garnier", type="person",
           kind="direct", cue="assuré")
    expect(doc, "C'est un budget de façade", speaker="Sophie Leroy", type="person",
           kind="direct", cue="rétorqué")


def test_two_speakers_colon_intros_one_paragraph():
    """Two colon introductions in one paragraph: each quote gets its own speaker."""
    text = ("Le maire, Paul Garnier, a ouvert la séance : « Nous voterons ce soir. » L'élue "
            "écologiste Inès Morel a aussitôt répliqué : « Nous voterons contre. »")
    doc = extract(text)
    expect(doc, "Nous voterons ce soir.", speaker="Paul Garnier", type="person", kind="direct")
    expect(doc, "Nous voterons contre.", speaker="Inès Morel", type="person", kind="direct",
           cue="répliqué")


def test_que_clause_that_is_only_a_quote_is_direct():
    """a précisé que « … » — a que-clause consisting only of a quote is direct."""
    text = ("Le porte-parole du gouvernement, Cédric Lamy, a précisé que « rien n'est encore "
            "décidé ».")
    doc = extract(text)
    expect(doc, "rien n'est encore décidé", speaker="Cédric Lamy", type="person",
           kind="direct", cue="précisé")


def test_quoted_noun_phrase_as_whole_content_is_direct():
    """a dénoncé « … » — a quoted noun phrase that is the whole reported content."""
    doc = extract("La CGT a dénoncé « un passage en force inacceptable ».")
    expect(doc, "un passage en force inacceptable", speaker="CGT", type="organization",
           kind="direct", cue="dénoncé")


def test_direct_quote_with_curly_apostrophe_keeps_original_text():
    """Offsets point into the original: the curly apostrophe stays in the content text."""
    doc = extract("« C’est un jour historique pour l’Ardèche », s’est félicité le préfet, "
                  "Jean-Luc Perrin.")
    a = find(doc, "C’est un jour historique")
    assert a.content.text == "C’est un jour historique pour l’Ardèche"
    assert speaker_ok(a, "Jean-Luc Perrin", "person"), a.speaker


@pytest.mark.parametrize("text, contents, speaker, stype", [
    # a quoted noun phrase object, with an adjunct after it, is a direct quote of its own
    ("Eric Morel fustige un « mauvais coup de dernière minute » à quelques jours du scrutin.",
     ["mauvais coup de dernière minute"], "Eric Morel", "person"),
    # coordinated quoted objects are separate direct quotes
    ("Le maire dénonce des « mensonges » et des « manipulations ».",
     ["mensonges", "manipulations"], "maire", "anonymous"),
])
def test_quoted_noun_phrase_objects(text, contents, speaker, stype):
    doc = extract(text)
    for content in contents:
        expect(doc, content, speaker=speaker, type=stype, kind="direct")


def test_quoted_object_with_a_complement_stays_mixed():
    doc = extract("Le maire dénonce un « retour » de « l'obscurantisme ».")
    expect(doc, "un « retour » de « l'obscurantisme »", speaker="maire", type="anonymous",
           kind="mixed")


@pytest.mark.parametrize("text, content, speaker, stype", [
    # "écrit", "dit": present tense forms the tagger may read as participles
    ("« Trop long, trop fastidieux », écrit l'hebdomadaire.", "Trop long, trop fastidieux",
     "hebdomadaire", "media"),
    ("« Nous partirons demain », dit le maire.", "Nous partirons demain", "maire", "anonymous"),
])
def test_incise_with_participle_form(text, content, speaker, stype):
    doc = extract(text)
    expect(doc, content, speaker=speaker, type=stype, kind="direct")


def test_quote_claimed_by_the_next_sentences_subject():
    doc = extract("« Aucun doute, c'est bien un pavé que lance le policier. » Au bout du fil, "
                  "Laurent Morel est formel sur ce qu'il a vu.")
    expect(doc, "Aucun doute, c'est bien un pavé que lance le policier.", speaker="Laurent Morel",
           type="person", kind="direct", cue=None)


@pytest.mark.parametrize("text, content, speaker", [
    # after an apposition the tagger reads the verb as a noun or an adjective
    ("La maire, Claire Dumas, tranche : « Nous ne céderons pas. »", "Nous ne céderons pas.",
     "Claire Dumas"),
    ("Le procureur adjoint, Loïc Perrot, abonde : « C'est un scénario de violence policière. »",
     "C'est un scénario de violence policière.", "Loïc Perrot"),
])
def test_colon_introduction_with_a_misread_verb(text, content, speaker):
    expect(extract(text), content, speaker=speaker, type="person", kind="direct")


def test_a_noun_before_a_colon_introduces_nothing():
    assert extract("La tranche : « Nous ne céderons pas. »").attributions == ()


def test_quoted_object_after_an_adjunct():
    """The parser hangs the object on the adjunct before it; the quote is still the object."""
    doc = extract("Le maire de Noyant, Paul Girard, a reconnu, mardi 18 mars, dans Le Courrier "
                  "un « moment de faiblesse ».")
    expect(doc, "moment de faiblesse", speaker="Paul Girard", type="person", kind="direct",
           cue="reconnu")


def test_quoted_objects_of_a_participle():
    doc = extract("Contactée, la banque a refusé de répondre, invoquant le « secret bancaire » "
                  "et sa « politique de confidentialité ».")
    for content in ("secret bancaire", "politique de confidentialité"):
        expect(doc, content, speaker="la banque", type="organization", kind="direct",
               cue="invoquant")


def test_quote_after_a_sentence_about_its_speaker():
    """The paragraph makes a person its subject, then quotes them without a verb."""
    doc = extract("Jeanne Morel, étudiante à Rennes, situe parfaitement le personnage. « Il a été "
                  "préfet de Bretagne de 2013 à 2016. » La manifestation a duré trois heures.")
    a = expect(doc, "Il a été préfet de Bretagne de 2013 à 2016.", speaker="Jeanne Morel",
               type="person", kind="direct", cue=None)
    assert a.rule == "previous_sentence"


def test_quote_after_a_sentence_about_a_thing_is_unattributed():
    doc = extract("Le budget a été voté mardi. « Il n'y aura pas de hausse d'impôts cette année. »")
    expect(doc, "Il n'y aura pas de hausse d'impôts cette année.", speaker="source non précisée",
           type="unknown", kind="direct")


def test_quote_after_a_sentence_the_parser_did_not_cut():
    doc = extract("Jeanne, étudiante, co-responsable des Jeunes communistes de Rennes situe "
                  "parfaitement le personnage.  « Il a été préfet de Bretagne de 2013 à 2016 ». La "
                  "jeune femme était de toutes les manifestations.")
    expect(doc, "Il a été préfet de Bretagne de 2013 à 2016", speaker="Jeanne", type="person",
           kind="direct", cue=None)


def test_quoted_intention_object():
    doc = extract('Les militants comptent "rouvrir un compte demain".')
    expect(doc, "rouvrir un compte demain", speaker="militants", type="anonymous", kind="direct",
           cue="comptent")


def test_quoted_objects_before_a_subordinate_clause():
    """Each quoted noun phrase is a direct quote; the clause after them says when."""
    doc = extract("Le prévenu, Arnaud Petit, est à la barre. Il dit des « peut-être » et des « je ne "
                  "sais pas » quand le procureur l'interroge.")
    for content in ("peut-être", "je ne sais pas"):
        expect(doc, content, speaker="Arnaud Petit", type="person", kind="direct")


@pytest.mark.parametrize("text, content, speaker, stype", [
    pytest.param("« Nous sommes prêts » : le maire de Lille répond aux critiques.",
                 "Nous sommes prêts", "maire de Lille", "anonymous", id="role-after-colon"),
    pytest.param('"Nous irons jusqu\'au bout" : les cheminots reconduisent la grève.',
                 "Nous irons jusqu'au bout", "cheminots", "anonymous", id="straight-quotes"),
    pytest.param("« Une honte » : les habitants dénoncent la fermeture de la maternité.",
                 "Une honte", "habitants", "anonymous", id="verbless-before-a-cue"),
])
def test_headline_quote_then_its_speaker_after_a_colon(text, content, speaker, stype):
    """A headline's quotation, then a colon and a clause whose subject said it."""
    expect(extract(text), content, speaker=speaker, type=stype, kind="direct", cue=None)


def test_headline_nickname_before_a_colon_is_no_quote():
    """A short verbless quotation before a clause with no reporting verb is a name."""
    doc = extract("« Monsieur flashball » : le policier promu au cabinet du président.")
    assert not doc.attributions, describe(doc)


@pytest.mark.parametrize("text, content, speaker, stype", [
    pytest.param('INTERVIEW. Jean Castex : "Nous ne reconfinerons pas"', "Nous ne reconfinerons pas",
                 "Jean Castex", "person", id="name-colon-quote"),
    pytest.param("La ministre de la Santé : « Nous allons rouvrir les lits »",
                 "Nous allons rouvrir les lits", "ministre de la Santé", "anonymous", id="role"),
    pytest.param("La CGT : « Nous irons au bout »", "Nous irons au bout", "CGT", "organization",
                 id="organisation"),
])
def test_who_then_a_colon_then_the_quote(text, content, speaker, stype):
    """A heading or a lead-in with no verb: the words before the colon say who speaks."""
    expect(extract(text), content, speaker=speaker, type=stype, kind="direct", cue=None)


@pytest.mark.parametrize("text", [
    pytest.param("Le bilan : « Trois morts et dix blessés »", id="document-noun"),
    pytest.param("Paris : « Nous irons au bout »", id="place"),
])
def test_a_topic_before_the_colon_is_no_speaker(text):
    assert not extract(text).attributions, describe(extract(text))


def test_a_short_quote_signed_after_a_hyphen():
    doc = extract("« Nous sommes prêts » - Jean Dupont, maire de Lille")
    expect(doc, "Nous sommes prêts", speaker="Jean Dupont", type="person", kind="direct", cue=None)


def test_the_subject_after_the_colon_must_itself_speak():
    """"la colère des agriculteurs" is no speaker, though the farmers are."""
    doc = extract('"On ne lâchera rien" : la colère des agriculteurs ne faiblit pas')
    assert all(a.rule != "colon_after" for a in doc.attributions), describe(doc)


@pytest.mark.parametrize("text, content, speaker, stype", [
    pytest.param("« La situation est grave mais pas désespérée. » C'est en ces termes que le préfet "
                 "a résumé la situation.", "La situation est grave mais pas désespérée.", "préfet",
                 "anonymous", id="en-ces-termes"),
    pytest.param("« Nous irons jusqu'au bout. » C'est ce qu'a affirmé mardi Sophie Binet.",
                 "Nous irons jusqu'au bout.", "Sophie Binet", "person", id="c-est-ce-qu-a"),
])
def test_a_sentence_pointing_back_at_the_quote_names_its_speaker(text, content, speaker, stype):
    expect(extract(text), content, speaker=speaker, type=stype, kind="direct")


def test_a_party_official_speaks_in_an_incise():
    doc = extract("« Il faut sauver le soldat Macron », ironise un cadre de la majorité.")
    expect(doc, "Il faut sauver le soldat Macron", speaker="cadre de la majorité",
           type="anonymous", kind="direct", cue="ironise")

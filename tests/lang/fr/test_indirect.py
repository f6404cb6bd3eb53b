"""Indirect speech: a reported clause after a speech, opinion or announcement verb, or an
"according to" adjunct (Selon X, D'après X, Pour X).

``content`` is the clause WITHOUT the complementiser que/qu' and without final punctuation.
"""

from __future__ import annotations

import pytest

from helpers import assert_none, describe, expect, extract

pytestmark = [pytest.mark.model, pytest.mark.usefixtures("fr_pipeline")]


@pytest.mark.parametrize(
    "text, content, speaker, stype, cue",
    [
        pytest.param(
            "La ministre de la Santé, Hélène Dumas, a affirmé que les urgences resteraient "
            "ouvertes tout l'été.",
            "les urgences resteraient ouvertes tout l'été", "Hélène Dumas", "person", "affirmé",
            id="passe-compose-a-affirme-que"),
        pytest.param(
            "Le président du club, Thierry Marchal, affirme que l'entraîneur gardera sa place.",
            "l'entraîneur gardera sa place", "Thierry Marchal", "person", "affirme",
            id="present-affirme-que"),
        pytest.param(
            "Le directeur de l'usine, Bruno Lacaze, affirmait qu'aucun poste ne serait supprimé.",
            "aucun poste ne serait supprimé", "Bruno Lacaze", "person", "affirmait",
            id="imparfait-affirmait-qu"),
        pytest.param(
            "Quelques jours plus tôt, l'avocate Nadia Ferhat avait assuré que sa cliente se "
            "présenterait à l'audience.",
            "sa cliente se présenterait à l'audience", "Nadia Ferhat", "person", "assuré",
            id="plus-que-parfait-avait-assure-que"),
        pytest.param(
            "Le sénateur Alain Berthier a estimé qu'il était trop tôt pour conclure.",
            "il était trop tôt pour conclure", "Alain Berthier", "person", "estimé",
            id="opinion-a-estime-qu"),
        pytest.param(
            "L'ancien Premier ministre, Pierre Lenoir, juge que la dissolution était une erreur.",
            "la dissolution était une erreur", "Pierre Lenoir", "person", "juge",
            id="opinion-present-juge-que"),
        pytest.param(
            "Le procureur de Lyon, Éric Vasseur, a déclaré que l'enquête serait confiée à un "
            "juge d'instruction.",
            "l'enquête serait confiée à un juge d'instruction", "Éric Vasseur", "person",
            "déclaré",
            id="speech-a-declare-que"),
        pytest.param(
            "La SNCF a annoncé que le trafic reprendrait normalement lundi.",
            "le trafic reprendrait normalement lundi", "SNCF", "organization", "annoncé",
            id="announcement-a-annonce-que"),
        pytest.param(
            "Le ministère de la Santé annonce que la campagne de vaccination débutera le "
            "15 octobre.",
            "la campagne de vaccination débutera le 15 octobre", "ministère de la Santé",
            "organization", "annonce",
            id="announcement-present-annonce-que"),
        pytest.param(
            "La mairie a fait savoir que les écoles resteraient fermées jeudi.",
            "les écoles resteraient fermées jeudi", "mairie", "organization", "savoir",
            id="light-verb-a-fait-savoir-que"),
    ],
)
def test_que_clause(text, content, speaker, stype, cue):
    """<subject> <verb> que/qu' <clause>. in several tenses and verb classes."""
    doc = extract(text)
    expect(doc, content, speaker=speaker, type=stype, kind="indirect", cue=cue)


def test_participle_assurant_que():
    """…, assurant que <clause> — a present participle cue takes the main clause's subject."""
    text = ("Le préfet de la Somme, Jean-Luc Perrin, a maintenu l'interdiction, assurant que la "
            "sécurité des spectateurs ne pouvait être garantie.")
    doc = extract(text)
    expect(doc, "la sécurité des spectateurs ne pouvait être garantie",
           speaker="Jean-Luc Perrin", type="person", kind="indirect", cue="assurant")


def test_content_stops_at_end_of_sentence():
    """The reported clause ends with its sentence; the next sentence is the journalist's."""
    doc = extract("Le maire, Paul Garnier, a affirmé que la piscine rouvrirait en juin. Les "
                  "travaux ont commencé lundi.")
    expect(doc, "la piscine rouvrirait en juin", speaker="Paul Garnier", type="person",
           kind="indirect")
    assert not any("travaux" in a.content.text for a in doc.attributions)


def test_content_stops_before_a_verb_coordinated_with_the_cue():
    """"a estimé que X et appelé à Y": the bare participle after "et" (the profile's
    participle_coordinators) is the reporting verb's conjunct, not the clause's."""
    doc = extract("Le maire, Paul Garnier, a estimé que la piscine devait rester ouverte et "
                  "appelé les élus à voter le budget.")
    expect(doc, "la piscine devait rester ouverte", speaker="Paul Garnier", type="person",
           kind="indirect", cue="a estimé")


@pytest.mark.parametrize(
    "text, content, speaker, stype, cue",
    [
        pytest.param(
            "Selon le procureur de la République, Éric Vasseur, le suspect a agi seul.",
            "le suspect a agi seul", "Éric Vasseur", "person", "Selon",
            id="selon-person-start"),
        pytest.param(
            "Selon la préfecture, 4 000 personnes ont défilé dans le calme.",
            "4 000 personnes ont défilé dans le calme", "préfecture", "organization", "Selon",
            id="selon-institution-start"),
        pytest.param(
            "L'incendie aurait été allumé volontairement, selon le parquet de Rennes.",
            "L'incendie aurait été allumé volontairement", "parquet de Rennes",
            "organization", "selon",
            id="selon-end-of-sentence-institution"),
        pytest.param(
            "Le chantier coûtera deux fois plus cher que prévu, selon l'adjoint aux finances, "
            "Michel Brunet.",
            "Le chantier coûtera deux fois plus cher que prévu", "Michel Brunet", "person",
            "selon",
            id="selon-end-of-sentence-person"),
        pytest.param(
            "D'après l'économiste Julie Mercier, la croissance restera faible l'an prochain.",
            "la croissance restera faible l'an prochain", "Julie Mercier", "person", "après",
            id="d-apres-person"),
        pytest.param(
            "D’après la gendarmerie, la victime ne portait pas de casque.",
            "la victime ne portait pas de casque", "gendarmerie", "organization", "après",
            id="d-apres-curly-apostrophe-institution"),
        pytest.param(
            "Pour le député Olivier Rames, cette loi est une erreur historique.",
            "cette loi est une erreur historique", "Olivier Rames", "person", "Pour",
            id="pour-person"),
    ],
)
def test_according_to(text, content, speaker, stype, cue):
    """Selon X / D'après X / Pour X: content the clause, cue the preposition, source X."""
    doc = extract(text)
    a = expect(doc, content, speaker=speaker, type=stype, kind="indirect", cue=cue)
    assert a.source is not None, "the source mention X must be given"


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Pour la deuxième année consécutive, les ventes de vélos électriques ont "
                     "reculé.", id="pour-duration"),
        pytest.param("Pour rejoindre le stade, les supporters devront emprunter une navette.",
                     id="pour-infinitive-purpose"),
        pytest.param("Pour Noël, la commune a installé une patinoire sur la place du marché.",
                     id="pour-occasion"),
    ],
)
def test_pour_not_attribution_when_x_cannot_speak(text):
    """"Pour X, …" attributes only when X can speak (a person, an institution)."""
    assert_none(extract(text))


def test_a_t_on_appris_de_source_policiere():
    """…, a-t-on appris de source policière. — an anonymous source."""
    doc = extract("Un homme de 34 ans a été interpellé jeudi à Nantes, a-t-on appris de source "
                  "policière.")
    expect(doc, "Un homme de 34 ans a été interpellé jeudi à Nantes",
           speaker="source policière", type="anonymous", kind="indirect", cue="appris")


@pytest.mark.parametrize(
    "text, content, speaker, cue",
    [
        pytest.param(
            "Le ministre de l'Industrie, Luc Fabre, a promis de rouvrir l'usine avant la fin "
            "de l'année.",
            "rouvrir l'usine avant la fin de l'année", "Luc Fabre", "promis",
            id="promettre-de-infinitive"),
        pytest.param(
            "La préfète du Gard, Anne Morel, a demandé aux maires de limiter l'arrosage des "
            "jardins.",
            "limiter l'arrosage des jardins", "Anne Morel", "demandé",
            id="demander-a-qqn-de-infinitive"),
    ],
)
def test_de_infinitive_unquoted_is_indirect(text, content, speaker, cue):
    """promettre/demander de + infinitive, unquoted: indirect, content the infinitive clause."""
    doc = extract(text)
    expect(doc, content, speaker=speaker, type="person", kind="indirect", cue=cue)


def test_de_infinitive_quoted_is_direct():
    """a promis de « … » — a quoted infinitive that is the whole content is direct."""
    doc = extract("Le maire de Brest, Paul Garnier, a promis de « ne rien lâcher ».")
    expect(doc, "ne rien lâcher", speaker="Paul Garnier", type="person", kind="direct",
           cue="promis")


def test_de_infinitive_quoted_after_demander_is_direct():
    """ont demandé au rectorat de « … » — quoted infinitive, anonymous group speaker."""
    doc = extract("Les parents d'élèves ont demandé au rectorat de « tenir ses engagements ».")
    expect(doc, "tenir ses engagements", speaker="parents", type="anonymous", kind="direct",
           cue="demandé")


@pytest.mark.parametrize("text, content, speaker, cue", [
    # a bare infinitive after a verb of saying reports a clause: "dit avoir" = "dit qu'il a"
    ("Ziad Morel dit avoir des preuves du financement de la campagne.",
     "avoir des preuves du financement de la campagne", "Ziad Morel", "dit"),
    # what the subject went on to say, after "avant de"
    ("Le député Luc Marin a ironisé avant de réclamer le rétablissement des crédits annulés.",
     "le rétablissement des crédits annulés", "Luc Marin", "réclamer"),
])
def test_infinitive_reports(text, content, speaker, cue):
    doc = extract(text)
    expect(doc, content, speaker=speaker, type="person", kind="indirect", cue=cue)


def test_clause_made_of_quotations_is_direct_speech():
    doc = extract("Le journaliste Paul Roux reconnaît que « c'était un peu tendu », que « ça "
                  "chauffait depuis quelques minutes ».")
    for content in ("c'était un peu tendu", "ça chauffait depuis quelques minutes"):
        expect(doc, content, speaker="Paul Roux", type="person", kind="direct", cue="reconnaît")


@pytest.mark.parametrize("text, content, speaker, kind", [
    # accusation: the accused and what they are accused of
    ("La maire Anne Roy accuse le préfet de mentir sur les chiffres.",
     "le préfet de mentir sur les chiffres", "Anne Roy", "indirect"),
    # qualification by a quoted word
    ("Le député Luc Marin traite le ministre de « menteur ».", "le ministre de « menteur »",
     "Luc Marin", "mixed"),
])
def test_accusation_and_qualification(text, content, speaker, kind):
    doc = extract(text)
    expect(doc, content, speaker=speaker, type="person", kind=kind)


@pytest.mark.parametrize("text, content, speaker, stype, cue", [
    # reporting verbs with a noun-phrase content
    ("Le rapport de l'Observatoire alpin a révélé la fonte accélérée des glaciers.",
     "la fonte accélérée des glaciers", "Observatoire", "organization", "a révélé"),
    # what the subject hastened to do
    ("Didier Morel s'empresse de renier toute responsabilité.", "toute responsabilité",
     "Didier Morel", "person", "renier"),
    ("Le ministre Paul Roux se contente de rappeler que la loi sera appliquée.",
     "la loi sera appliquée", "Paul Roux", "person", "rappeler"),
])
def test_noun_phrase_and_carried_reports(text, content, speaker, stype, cue):
    doc = extract(text)
    expect(doc, content, speaker=speaker, type=stype, kind="indirect", cue=cue)


@pytest.mark.parametrize("text", [
    # a demonstrative object points back to what was said elsewhere
    "Un postier a été retrouvé mort. C'est le syndicat SUD qui a révélé ce décès à la presse.",
    # a passive: the subject is what was asked for, not who asked
    "Dix ans de prison ont été requis lundi contre le propriétaire de l'immeuble.",
])
def test_not_a_content(text):
    doc = extract(text)
    assert not [a for a in doc.attributions if a.content.text.startswith(("ce décès", "Dix ans"))], \
        [a.content.text for a in doc.attributions]


@pytest.mark.parametrize("text, content, speaker, stype, cue", [
    # a noun after a light verb makes the cue: "faire état de", "faire part de"
    ("Dans son arrêt, le tribunal administratif fait état de la vente d'une villa par l'État.",
     "la vente d'une villa par l'État", "tribunal administratif", "organization", "fait état"),
    ("La ministre de la Culture, Anne Vidal, a fait part de son inquiétude.",
     "son inquiétude", "Anne Vidal", "person", "fait part"),
    # the clitic before the verb belongs to the verb group, not to the subject
    ("Après un nouveau délai, l'évêque lui a notifié jeudi les conséquences de son choix.",
     "les conséquences de son choix", "évêque", "anonymous", "notifié"),
    ("Le collaborateur du ministre lui reprochait le choix de ses invités.",
     "le choix de ses invités", "collaborateur ministre", "anonymous", "reprochait"),
    # a verb that only says the subject tried carries the cue
    ("L'évêque d'Annecy, Yves Morin, a tenté de le convaincre de revenir sur ses positions.",
     "revenir sur ses positions", "Yves Morin", "person", "convaincre"),
    # the infinitive of purpose of a protest is what the protesters asked for
    ("La militante Caroline Morel a manifesté devant Bercy ce vendredi pour réclamer le "
     "rétablissement des crédits annulés.", "le rétablissement des crédits annulés",
     "Caroline Morel", "person", "réclamer"),
])
def test_light_nouns_clitics_and_carriers(text, content, speaker, stype, cue):
    expect(extract(text), content, speaker=speaker, type=stype, kind="indirect", cue=cue)


def test_object_after_a_subject_is_no_inverted_subject():
    """A verb with its subject before it takes an object, not an inverted subject; the
    participle after the subject says to whom the letter went, not who wrote it."""
    doc = extract("En 2010, un courrier anonyme adressé à l'évêque d'Annecy, Yves Morin, a révélé "
                  "la double appartenance du prêtre.")
    a = expect(doc, "la double appartenance du prêtre", speaker="courrier anonyme",
               type="anonymous", kind="indirect", cue="révélé")
    assert a.source.text == "un courrier anonyme"


def test_what_a_source_gives_stands_for_it():
    doc = extract("Le versement correspond au prix payé pour la villa, selon les estimations de "
                  "plusieurs médias.")
    expect(doc, "Le versement correspond au prix payé pour la villa", speaker="plusieurs médias",
           type="media", kind="indirect", cue="selon")


def test_selon_lequel_names_nobody():
    doc = extract("Le journal publie un article selon lequel le ministre aurait menti.")
    assert all(a.speaker.name != "lequel" and (a.source is None or "lequel" not in a.source.text)
               for a in doc.attributions)


def test_a_conjunction_ending_in_que_opens_no_report():
    doc = extract("Le syndicat a demandé un vote, bien que la direction ait refusé toute discussion.")
    assert all(not a.content.text.startswith("la direction") for a in doc.attributions), \
        [a.content.text for a in doc.attributions]


def test_a_request_with_its_purpose():
    """The tagger reads the passé simple "demanda" as an infinitive; what the request is for
    belongs to it."""
    doc = extract("L'opposition socialiste demanda hier la comparution du ministre au Congrès "
                  "afin qu'il explique ces changements.")
    expect(doc, "la comparution du ministre au Congrès afin qu'il explique ces changements",
           speaker="opposition socialiste", type="organization", kind="indirect", cue="demanda")


def test_an_object_that_cannot_speak_is_no_inverted_subject():
    """A long subject with its own clauses, the parser losing it: the verb still reports its
    object, and the object is not the speaker of an incise."""
    doc = extract("En mars dernier, la Congrégation pour la doctrine de la foi, créée en 1542 à "
                  "Rome pour défendre à l'époque l'Église des hérésies mais aujourd'hui pour "
                  "promouvoir la doctrine de l'Église catholique, a exigé le départ du prêtre.")
    expect(doc, "le départ du prêtre", speaker="Congrégation", type="organization",
           kind="indirect", cue="exigé")


def test_compound_infinitive_report():
    doc = extract("En outre, plusieurs témoins ont raconté avoir vu des détenus mourir sous la torture.")
    expect(doc, "avoir vu des détenus mourir sous la torture", speaker="plusieurs témoins",
           type="anonymous", kind="indirect", cue="raconté")


def test_report_inside_a_report_by_a_relative_clause():
    """The paper reports a complaint whose author accuses: both reports, the inner one inside
    the outer one's paraphrase; the accusation stops before an adjunct after a comma."""
    doc = extract("Le Figaro révélait lundi que l'élu faisait l'objet d'une enquête après une "
                  "plainte déposée par Agnès Morel, ancienne directrice du centre communal du "
                  "Raincy, qui l'accuse d'avoir mis fin à ses fonctions parce qu'elle refusait ses "
                  "avances, après avoir reçu des milliers de textos.")
    outer = next(a for a in doc.attributions if a.speaker.name == "Le Figaro")
    assert outer.content.text.endswith("après avoir reçu des milliers de textos")
    inner = expect(doc, "avoir mis fin à ses fonctions parce qu'elle refusait ses avances",
                   speaker="Agnès Morel", type="person", kind="indirect", cue="accuse")
    assert inner.source.text == "Agnès Morel, ancienne directrice du centre communal du Raincy"


def test_no_nesting_without_a_relative_clause():
    doc = extract("Le ministre a affirmé que le préfet avait promis de rouvrir l'usine.")
    assert len(doc.attributions) == 1, [a.content.text for a in doc.attributions]


def test_a_verb_said_again():
    doc = extract("Ce jeudi encore, la ministre, Claire Roy, avait réaffirmé que les économies ne "
                  "seraient pas répercutées sur les associations.")
    expect(doc, "les économies ne seraient pas répercutées sur les associations",
           speaker="Claire Roy", type="person", kind="indirect", cue="réaffirmé")


@pytest.mark.parametrize("text, content, speaker, cue", [
    pytest.param("Le ministre de l'Intérieur est persuadé que la menace reste élevée.",
                 "la menace reste élevée", "ministre de l'Intérieur", "est persuadé",
                 id="copula-adjective"),
    pytest.param("Le juge est convaincu que l'accusé ment.", "l'accusé ment", "juge",
                 "est convaincu", id="read-as-a-passive"),
    pytest.param("La présidente de région se dit convaincue que le projet aboutira.",
                 "le projet aboutira", "présidente de région", "convaincue",
                 id="attribute-of-se-dire"),
])
def test_an_adjective_of_belief_reports_its_clause(text, content, speaker, cue):
    a = expect(extract(text), content, speaker=speaker, type="anonymous", kind="indirect", cue=cue)
    assert a.cue_type == "belief"


@pytest.mark.parametrize("text, content, speaker", [
    pytest.param("Le maire s'est dit inquiet de la situation.", "inquiet de la situation",
                 "maire", id="adjective"),
    pytest.param("La ministre s'est dite favorable à un report du texte.",
                 "favorable à un report du texte", "ministre", id="adjective-read-as-adverb"),
    pytest.param("Le syndicat se déclare opposé au projet.", "opposé au projet", "syndicat",
                 id="participle"),
    pytest.param("Beaucoup d'habitants se disent contre ce projet selon un sondage publié mardi.",
                 "contre ce projet", "habitants", id="preposition-before-a-selon-adjunct"),
])
def test_the_attribute_of_a_reflexive_verb_of_saying(text, content, speaker):
    """"se dire favorable à…": what the subject says of itself is the attribute."""
    doc = extract(text)
    hit = next((a for a in doc.attributions if a.content.text == content), None)
    assert hit is not None and speaker in hit.speaker.name and hit.rule == "attribute", describe(doc)


def test_a_reflexive_verb_without_attribute_reports_nothing():
    assert_none(extract("La rumeur se dit partout dans le village."))


@pytest.mark.parametrize("text, content, source", [
    pytest.param("Selon Paul Roux, président du syndicat, la grève sera reconduite.",
                 "la grève sera reconduite", "Paul Roux, président du syndicat", id="selon"),
    pytest.param('Pour Anne Hidalgo, maire de Paris, "c\'est une victoire pour les Parisiens".',
                 "c'est une victoire pour les Parisiens", "Anne Hidalgo, maire de Paris",
                 id="pour-with-a-quote"),
])
def test_a_role_in_apposition_after_selon_belongs_to_the_source(text, content, source):
    a = next((a for a in extract(text).attributions if a.content.text == content), None)
    assert a is not None and a.source.text == source and a.rule == "according_to", \
        describe(extract(text))


def test_the_addressee_before_the_object_is_not_what_was_said():
    doc = extract("La ministre a annoncé aux maires la fermeture de trois classes.")
    expect(doc, "la fermeture de trois classes", speaker="ministre", type="anonymous",
           kind="indirect", cue="annoncé")


@pytest.mark.parametrize("text, content, speaker", [
    pytest.param("Le Premier ministre l'a assuré dimanche soir sur TF1 : il n'y aura pas de "
                 "reconfinement général.", "il n'y aura pas de reconfinement général",
                 "Premier ministre", id="neuter-clitic"),
    pytest.param("Le maire a expliqué sa décision : la piscine coûte trop cher.",
                 "la piscine coûte trop cher", "maire", id="object-before-the-colon"),
])
def test_a_reporting_verb_then_a_colon_then_the_clause_said(text, content, speaker):
    expect(extract(text), content, speaker=speaker, type="anonymous", kind="indirect")


def test_a_list_after_the_colon_is_the_object_not_a_clause():
    doc = extract("Le ministre a annoncé trois mesures : la baisse des impôts, la prime et le chèque.")
    assert all(a.rule != "colon" for a in doc.attributions), describe(doc)


@pytest.mark.parametrize("text", [
    pytest.param("Le préfet a annoncé que les écoles resteraient fermées, a-t-on appris mardi.",
                 id="spaced"),
    pytest.param("Le préfet a annoncé que les écoles resteraient fermées,a-t-on appris mardi.",
                 id="glued-comma"),
])
def test_the_clause_stops_before_a_trailing_impersonal_incise(text):
    expect(extract(text), "les écoles resteraient fermées", speaker="préfet", type="anonymous",
           kind="indirect", cue="annoncé")


@pytest.mark.parametrize("text, content, speaker, stype", [
    pytest.param('Le député Aurélien Pradié a écrit au ministre de la Santé pour demander "des '
                 'moyens d\'urgence".', "des moyens d'urgence", "Aurélien Pradié", "person",
                 id="a-letter-that-asks"),
    pytest.param("L'association a saisi le tribunal pour réclamer l'annulation du permis.",
                 "l'annulation du permis", "association", "organization", id="a-court-seized"),
])
def test_what_one_writes_or_seizes_a_court_to_ask_for(text, content, speaker, stype):
    a = next((a for a in extract(text).attributions if a.content.text == content), None)
    assert a is not None and speaker in a.speaker.name and a.speaker.type == stype, \
        describe(extract(text))


def test_a_call_to_someone_to_something_reports_the_something():
    doc = extract("Emmanuel Macron a appelé les Français à l'unité.")
    expect(doc, "l'unité", speaker="Emmanuel Macron", type="person", kind="indirect", cue="appelé")

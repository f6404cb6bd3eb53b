"""The article's cast: roles tied to names, equivalent offices, the person and the
institution in view, pronouns by salience (propos.resolve.cast and resolve.speakers)."""

import pytest

from helpers import expect, extract, find_exact


@pytest.mark.parametrize("text, content, speaker", [
    # apposition, role first
    ("La ministre de la Santé, Anne Vidal, a présenté son plan mardi. « Nous ouvrirons dix "
     "centres », a assuré la ministre.", "Nous ouvrirons dix centres", "Anne Vidal"),
    # apposition, name first; the role repeated with its complement
    ("Anne Vidal, ministre de la Santé, était à Lyon mardi. « Nous ouvrirons dix centres », "
     "a assuré la ministre de la Santé.", "Nous ouvrirons dix centres", "Anne Vidal"),
    # the same office under another name
    ("Le Premier ministre, Marc Durand, a reçu les syndicats. « Le dialogue reprend », a "
     "déclaré le chef du gouvernement.", "Le dialogue reprend", "Marc Durand"),
    # another head noun, the same complement
    ("Le patron du syndicat patronal, Paul Gardet, a pris la parole. Le représentant du "
     "syndicat patronal a estimé que la réforme était « mal conçue ».",
     "la réforme était « mal conçue »", "Paul Gardet"),
    # a role the article gave nobody: the person in view
    ("Bernard Moulin a pris la parole jeudi. « Cette invitation est une consécration », "
     "explique l'eurodéputé.", "Cette invitation est une consécration", "Bernard Moulin"),
])
def test_role_finds_its_person(text, content, speaker):
    doc = extract(text)
    kind = "mixed" if "«" in content else "direct"
    expect(doc, content, speaker=speaker, type="person", kind=kind)


def test_role_with_another_complement_is_someone_else():
    doc = extract("Le maire de Vierzon, Paul Garnier, a signé la convention. Le maire de Lyon "
                  "a déclaré que la ville « ne suivra pas ».")
    a = expect(doc, "la ville « ne suivra pas »", speaker="maire de Lyon", type="anonymous",
               kind="mixed")
    assert a.speaker.name != "Paul Garnier"


def test_capitalised_role_is_no_person():
    doc = extract("Le Premier ministre a parlé. « Nous tiendrons », a déclaré Paul Roux.")
    expect(doc, "Nous tiendrons", speaker="Paul Roux", type="person", kind="direct")


@pytest.mark.parametrize("text, content, speaker, stype", [
    ("Le syndicat Unité SGP Police a réagi mardi. « Nous sommes choqués », a déclaré le "
     "syndicat.", "Nous sommes choqués", "Unité SGP Police", "organization"),
    ("Le Canard enchaîné publie une note interne. « Trop long, trop fastidieux », écrit "
     "l'hebdomadaire.", "Trop long, trop fastidieux", "Le Canard enchaîné", "media"),
])
def test_institution_named_by_its_kind(text, content, speaker, stype):
    doc = extract(text)
    expect(doc, content, speaker=speaker, type=stype, kind="direct")


@pytest.mark.parametrize("text, content, speaker, stype", [
    # a listed medium named without its article
    ("Un conseiller témoigne de son dépit au Canard enchaîné.\nLa direction se tait.\n"
     "« Trop long, trop fastidieux », explique l'hebdomadaire.", "Trop long, trop fastidieux",
     "Le Canard enchaîné", "media"),
    # a document speaks for the institution that issued it
    ("Le Conseil d'État a suspendu vendredi le registre des trusts. « La mesure porte une "
     "atteinte grave à la vie privée », selon le communiqué.",
     "La mesure porte une atteinte grave à la vie privée", "Conseil d'État", "organization"),
])
def test_institution_in_view(text, content, speaker, stype):
    doc = extract(text)
    expect(doc, content, speaker=speaker, type=stype, kind="direct")


@pytest.mark.parametrize("text, content, speaker, stype", [
    # the one who was talking goes on talking; the medium spoken to is not an antecedent
    ("Chris, policier et blogueur, n'est pas aussi affirmatif. « Il n'y avait pas de "
     "nécessité », explique-t-il à France Info.", "Il n'y avait pas de nécessité", "Chris",
     "person"),
    # a person rather than the party named after her
    ("Claire Roy a quitté le Parti radical en mars. « Je ne regrette rien », a-t-elle dit.",
     "Je ne regrette rien", "Claire Roy", "person"),
    # a demonstrative with its relative clause stands for the woman in view
    ("Marine Roy est enseignante. « Je ne fais pas le même métier qu'un enseignant de "
     "province », déplore celle qui entend rester mobilisée.",
     "Je ne fais pas le même métier qu'un enseignant de province", "Marine Roy", "person"),
    # someone new, introduced without a name
    ("Un responsable a confirmé l'accord. « Nous signerons lundi », a-t-il précisé.",
     "Nous signerons lundi", "responsable", "anonymous"),
])
def test_pronoun_by_salience(text, content, speaker, stype):
    doc = extract(text)
    expect(doc, content, speaker=speaker, type=stype, kind="direct")


def test_name_inside_a_quote_is_not_an_antecedent():
    doc = extract("Paul Roux a pris la parole. « Je ne crois pas que Marc Durand ait raison », "
                  "a-t-il dit.")
    expect(doc, "Je ne crois pas que Marc Durand ait raison", speaker="Paul Roux", type="person",
           kind="direct")


@pytest.mark.parametrize("text, content", [
    # an adjunct hung on the incise's subject does not make the speaker's name
    ("Paul Roux a pris la parole. « Je reste », a assuré l'élu pour expliquer son choix.",
     "Je reste"),
    ("Paul Roux a pris la parole. « Je reste », explique l'élu, soucieux de rassurer.",
     "Je reste"),
])
def test_incise_adjunct_is_not_the_speaker(text, content):
    doc = extract(text)
    expect(doc, content, speaker="Paul Roux", type="person", kind="direct")


def test_ce_dernier_is_the_last_one_named():
    doc = extract("Jean Morel a présenté les invités, Daniel Roux et Laurent Baude. Ce dernier a "
                  "confirmé que les élus envisageaient une motion de censure.")
    expect(doc, "les élus envisageaient une motion de censure", speaker="Laurent Baude",
           type="person", kind="indirect")


def test_inverted_subject_before_a_colon():
    doc = extract("Le présentateur s'est défendu. Ce à quoi a répondu Olivier Faure : « J'étais "
                  "prêt à défendre le texte. »")
    expect(doc, "J'étais prêt à défendre le texte.", speaker="Olivier Faure", type="person",
           kind="direct", cue="a répondu")


def test_role_given_to_nobody_goes_to_the_protagonist():
    doc = extract("Marlène Roux défend son budget\n\n"
                  "Marlène Roux a présenté mardi son budget pour 2026.\n"
                  "Les associations s'inquiètent. Marlène Roux les a reçues jeudi.\n"
                  "Le Sénat a voté le texte en première lecture.\n"
                  "« La baisse ne touchera pas les associations », a insisté la secrétaire d'État.")
    expect(doc, "La baisse ne touchera pas les associations", speaker="Marlène Roux",
           type="person", kind="direct")


def test_ce_dernier_read_as_a_determiner_is_still_the_subject():
    doc = extract("Ziad Takieddine a parlé. Ce dernier dit avoir des preuves du financement.")
    expect(doc, "avoir des preuves du financement", speaker="Ziad Takieddine", type="person",
           kind="indirect", source="Ce dernier")


def test_subject_the_tagger_read_as_a_verb():
    # "reporter" is also the verb "to postpone"
    doc = extract("« C'était vers 17h40, j'étais juste à côté », explique le reporter.")
    expect(doc, "C'était vers 17h40, j'étais juste à côté", speaker="reporter", type="anonymous",
           kind="direct", source="le reporter")


def test_leading_comparison_word_is_not_the_speaker():
    doc = extract("Les chiffres sont tombés. Mais, comme l'organisme estime qu'un chômeur sur trois "
                  "accomplit sa formation, il faut agir.")
    a = find_exact(doc, "un chômeur sur trois accomplit sa formation, il faut agir")
    assert a.speaker.name == "organisme", a.speaker


@pytest.mark.parametrize("mention, plausible", [
    ("ce", False),                        # a bare pronoun
    ("les élus votent", False),           # a clause, not a noun phrase
    ("contre les fausses nouvelles", False),  # cut after a preposition
    ("une habitante du quartier", True),
])
def test_implausible_mentions_name_nobody(mention, plausible):
    from propos.pipeline import load
    from propos.resolve.plausible import can_name_speaker

    pipeline = load("fr")
    tokens = [t for t in pipeline.nlp(mention) if not t.is_punct]
    assert can_name_speaker(tokens, pipeline.profile) is plausible


def test_role_named_by_a_word_of_another_apposition():
    """"la jeune communiste" is the one person described as a leader of the young communists."""
    doc = extract("Jeanne Morel, étudiante, co-responsable des Jeunes communistes de Rennes, se "
                  "souvient des manifestations. Paul Roux, lui, était absent. « Ça promet ! », "
                  "commente la jeune communiste.")
    expect(doc, "Ça promet !", speaker="Jeanne Morel", type="person", kind="direct")


def test_a_person_named_in_the_mention_before_an_organisation():
    doc = extract("Le maire UMP du Raincy, Eric Raoult, a reconnu mardi un « moment de faiblesse ».")
    expect(doc, "moment de faiblesse", speaker="Eric Raoult", type="person", kind="direct")


def test_the_light_verb_is_not_the_subject():
    doc = extract("De son côté, B. Obama, même en pleine campagne, fait savoir qu'il continue à "
                  "gérer la crise.")
    expect(doc, "il continue à gérer la crise", speaker="B. Obama", type="person",
           kind="indirect", cue="savoir")


def test_a_time_noun_is_no_speaker():
    doc = extract("Le président, Philippe Varin, a précisé que « personne ne sera laissé au bord "
                  "du chemin » an ajoutant : « nous sommes conscients de nos responsabilités ».")
    assert all(a.speaker.name != "an" for a in doc.attributions), [a.speaker for a in doc.attributions]


def test_subject_relative_after_a_name():
    doc = extract("« On a subi une violente répression », résume Jeanne Morel, qui évoque « une "
                  "stratégie de conflit avec les policiers ».")
    expect(doc, "une stratégie de conflit avec les policiers", speaker="Jeanne Morel",
           type="person", kind="direct", cue="évoque")


def test_participle_after_an_inverted_subject():
    doc = extract("La plateforme a gelé la collecte, ce qu'a confirmé au téléphone Clément Galant "
                  "de Génération identitaire, ajoutant qu'une partie des fonds avait été récupérée.")
    expect(doc, "une partie des fonds avait été récupérée", speaker="Clément Galant",
           type="person", kind="indirect", cue="ajoutant")


def test_participle_the_tagger_read_as_an_adjective():
    doc = extract("Marlène Dupré avait mis en garde contre les rumeurs annonçant une baisse des "
                  "subventions, martelant que les arbitrages n'avaient pas été rendus.")
    expect(doc, "les arbitrages n'avaient pas été rendus", speaker="Marlène Dupré", type="person",
           kind="indirect", cue="martelant")
    assert all(a.speaker.type != "unknown" for a in doc.attributions), \
        [(a.content.text, a.speaker) for a in doc.attributions]


def test_a_role_that_continues_its_words_is_the_last_quoted():
    doc = extract("La plateforme a gelé la collecte, ce qu'a confirmé Clément Galant, de "
                  "Génération identitaire. « Le reste a été réexpédié à tous nos donateurs », "
                  "poursuit le militant lyonnais.")
    expect(doc, "Le reste a été réexpédié à tous nos donateurs", speaker="Clément Galant",
           type="person", kind="direct")


def test_a_month_before_a_relative_is_no_antecedent():
    doc = extract("Le Canard enchaîné a publié une note interne de Pôle emploi datée du 21 avril qui "
                  "détaille comment faire passer 500 000 chômeurs dans une autre catégorie.")
    assert all(a.speaker.name != "avril" for a in doc.attributions), \
        [a.speaker for a in doc.attributions]


def test_a_place_in_a_description_is_no_speaker():
    doc = extract("« Les clients sont revenus dès sept heures », a raconté une maraîchère de "
                  "Saint-Aubin-des-Prés.")
    expect(doc, "Les clients sont revenus dès sept heures", speaker="maraîchère Saint-Aubin-des-Prés",
           type="anonymous", kind="direct", cue="raconté")


def test_an_organisation_in_a_complement_may_be_the_antecedent():
    doc = extract("Aucun bus n'a circulé lundi, à l'appel de l'intersyndicale, qui réclame une "
                  "revalorisation des salaires de 6 %.")
    expect(doc, "une revalorisation des salaires de 6 %", speaker="intersyndicale",
           type="organization", kind="indirect", cue="réclame")


def test_an_epithet_of_another_office_goes_to_the_person_in_view():
    """A senator who presides the Senate is still "le sénateur des Yvelines" next sentence."""
    doc = extract("Le président du Sénat, Gérard Larcher, s'est montré sceptique. Le sénateur des "
                  "Yvelines a jugé le plan « insuffisant ».")
    expect(doc, "le plan « insuffisant »", speaker="Gérard Larcher", type="person", kind="mixed")


def test_an_office_of_its_own_is_not_another_role_with_the_same_head():
    """"l'avocat général" (the prosecution at the assizes) is not the civil parties' lawyer."""
    doc = extract("Pour l'avocat des parties civiles, Me Jean-Marc Fédida, « ces excuses arrivent "
                  "bien tard ». L'avocat général a quant à lui requis quinze ans de réclusion.")
    a = next(a for a in doc.attributions if a.content.text == "quinze ans de réclusion")
    assert (a.speaker.name, a.speaker.type) == ("L'avocat général", "anonymous")

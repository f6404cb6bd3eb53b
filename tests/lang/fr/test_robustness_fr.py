"""French news as it is really typed: straight quotes, odd spacing, glued marks, hyphenated
compounds, dashes, missing closers. Every sentence here is invented for the test."""

from __future__ import annotations

from helpers import expect, extract


# ------------------------------------------------------------------ tokens


def test_hyphenated_compound_subject_is_one_noun_phrase():
    doc = extract("De son côté, l'association des riverains du centre-ville a regretté une "
                  "mesure « prise sans concertation ».")
    a = expect(doc, "une mesure « prise sans concertation »", kind="mixed", speaker=
               "association des riverains du centre-ville", type="organization")
    assert a.cue.text == "a regretté"


def test_only_inverted_clitics_join_the_verb_group():
    doc = extract("Le directeur de l'Hôtel-Dieu a affirmé que les urgences resteraient ouvertes.")
    a = expect(doc, "les urgences resteraient ouvertes", kind="indirect",
               speaker="directeur de l'Hôtel-Dieu", type="anonymous")
    assert a.cue.text == "a affirmé"


def test_quote_glued_to_comma_and_verb():
    doc = extract("«Nous avons été trahis»,a déclaré le porte-parole du collectif.")
    expect(doc, "Nous avons été trahis", kind="direct", speaker="porte-parole du collectif",
           type="anonymous", cue="a déclaré")


def test_straight_quotes_glued_to_comma_and_inverted_verb():
    doc = extract('Le maire est resté ferme. "Il n\'y aura pas de dérogation",a-t-il répété.')
    expect(doc, "Il n'y aura pas de dérogation", kind="direct", speaker="maire",
           type="anonymous", cue="répété")


def test_elided_complementiser_glued_to_quote():
    doc = extract("La ministre, Inès Garnier, a assuré qu'« aucune piste n'est écartée ».")
    expect(doc, "aucune piste n'est écartée", kind="direct", speaker="Inès Garnier",
           type="person", cue="a assuré")


def test_pronoun_after_an_unnamed_role_subject():
    doc = extract("Le maire de Lyon a été interpellé lors du conseil. « Nous n'avons rien caché », "
                  "a-t-il répondu.")
    expect(doc, "Nous n'avons rien caché", kind="direct", speaker="maire de Lyon",
           type="anonymous", cue="répondu")


def test_past_historic_incise_after_role_subject():
    doc = extract("Le général s'avança vers la tribune. « Soldats, la patrie vous remercie », "
                  "déclara-t-il.")
    expect(doc, "Soldats, la patrie vous remercie", kind="direct", speaker="général",
           type="anonymous", cue="déclara")


# ------------------------------------------------------------------ adjuncts


def test_aux_yeux_de_attributes_the_clause():
    doc = extract("Aux yeux de l'ancien ministre Paul Delorme, ce scrutin « tournerait au "
                  "plébiscite ».")
    expect(doc, "ce scrutin « tournerait au plébiscite »", kind="mixed", speaker="Paul Delorme",
           type="person", cue="Aux yeux de")


def test_de_l_avis_de_attributes_the_clause_and_cites_no_relay():
    doc = extract("De l'avis d'un diplomate européen, Berne cherche surtout à reprendre la main.")
    expect(doc, "Berne cherche surtout à reprendre la main", kind="indirect",
           speaker="diplomate européen", type="anonymous", cue="De l'avis d'", via=None)


def test_selon_inside_a_dash_incise():
    doc = extract("La réforme — « une faute historique », selon l'opposition — sera examinée "
                  "mardi.")
    expect(doc, "une faute historique", kind="direct", speaker="opposition",
           type="organization", cue="selon", source="l'opposition")


def test_a_t_on_appris_aupres_du():
    doc = extract("Le parquet de Nantes a ouvert une enquête pour homicide involontaire, a-t-on "
                  "appris jeudi auprès du parquet.")
    expect(doc, "Le parquet de Nantes a ouvert une enquête pour homicide involontaire",
           kind="indirect", speaker="parquet", type="organization", cue="appris")


# ------------------------------------------------------------------ speakers


def _speaker_name(doc, content):
    return next(a for a in doc.attributions if a.content.text == content).speaker.name


def test_name_with_dutch_particles():
    doc = extract("Me Lotte Van der Velde, l'avocate de la défense, a plaidé l'acquittement. "
                  "« Ma cliente n'est pas une criminelle », a-t-elle martelé.")
    expect(doc, "Ma cliente n'est pas une criminelle", kind="direct",
           speaker="Lotte Van der Velde", type="person", cue="martelé")


def test_elided_particle_name_is_written_as_in_the_text():
    doc = extract("« Les promesses n’ont pas été tenues », a déclaré la présidente de "
                  "l’association, Awa N’Diaye. « C’est inacceptable », estime-t-elle.")
    assert _speaker_name(doc, "C’est inacceptable") == "Awa N'Diaye"


def test_capitalised_role_is_not_a_name():
    doc = extract("Le Premier ministre a salué un accord \"équilibré\". Le Conseil fédéral a "
                  "annoncé qu'il renonçait à la hausse de la TVA.")
    expect(doc, 'un accord "équilibré"', kind="mixed", speaker="Premier ministre",
           type="anonymous")
    expect(doc, "il renonçait à la hausse de la TVA", kind="indirect",
           speaker="Conseil fédéral", type="organization")


def test_medium_keeps_its_article():
    doc = extract("Le président serait favorable à un référendum, selon Le Monde.")
    assert _speaker_name(doc, "Le président serait favorable à un référendum") == "Le Monde"


def test_headline_speaker_name_with_article_particle():
    doc = extract("« Il n'y aura pas de hausse d'impôts », promet Bruno Le Maire\n\nLe ministre a "
                  "parlé dimanche.")
    expect(doc, "Il n'y aura pas de hausse d'impôts", kind="direct", speaker="Bruno Le Maire",
           type="person", cue="promet")


def test_incise_with_addressee_after_a_mistagged_clause():
    doc = extract("Le ministère table désormais sur 0,8 % en 2025, a indiqué à Reuters un "
                  "porte-parole.")
    expect(doc, "Le ministère table désormais sur 0,8 % en 2025", kind="indirect",
           speaker="porte-parole", type="anonymous", cue="a indiqué")


def test_adjunct_before_the_quoted_object_is_not_content():
    doc = extract("Le Parti socialiste dénonce pour sa part « un cadeau aux plus aisés ».")
    expect(doc, "un cadeau aux plus aisés", kind="direct", speaker="Parti socialiste",
           type="organization", cue="dénonce")


def test_avant_d_ajouter_colon_quote_has_the_main_speaker():
    doc = extract("Le sénateur Marc Vidal a été interrogé. « Je ne suis pas candidat », a-t-il "
                  "martelé, avant d'ajouter : « Pour l'instant. »")
    expect(doc, "Pour l'instant.", kind="direct", speaker="Marc Vidal", type="person",
           cue="ajouter")


def test_straight_quoted_headline_with_hyphenated_union():
    doc = extract('Grève à la SNCF : "On ira jusqu\'au bout", prévient la CGT-Cheminots\n\n'
                  "Les syndicats ont appelé à une grève reconductible.")
    expect(doc, "On ira jusqu'au bout", kind="direct", speaker="CGT-Cheminots",
           type="organization", cue="prévient")


def test_preverbal_clitic_in_incise():
    doc = extract("Le ministère a publié un communiqué. « Ces agissements sont inacceptables », "
                  "y affirme le ministère.")
    expect(doc, "Ces agissements sont inacceptables", kind="direct", speaker="ministère",
           type="organization", cue="y affirme")


def test_prepositional_adjunct_alone_is_not_what_was_denied():
    doc = extract("L'intéressé a démenti sur les réseaux sociaux : « Je suis bien ici ».")
    assert not [a for a in doc.attributions if "réseaux" in a.content.text]
    expect(doc, "Je suis bien ici", kind="direct", speaker="intéressé", type="anonymous",
           cue="a démenti")


def test_dateline_is_not_the_subject_and_first_name_tells_gender():
    doc = extract("Québec — Le maire de Québec, Valérie Tremblay, a dit vouloir « tourner la "
                  "page ». « On a entendu les citoyens », a-t-elle déclaré mardi.")
    expect(doc, "On a entendu les citoyens", kind="direct", speaker="Valérie Tremblay",
           type="person", cue="déclaré")


def test_defendant_role_is_an_antecedent():
    doc = extract("Le prévenu, un homme de 34 ans, a reconnu les faits. \"Je regrette\", a-t-il "
                  "déclaré d'une voix basse.")
    expect(doc, "Je regrette", kind="direct", speaker="prévenu", type="anonymous",
           cue="déclaré")


def test_role_tagged_as_person_is_not_a_name():
    doc = extract("« Ce n'est pas à la rue de gouverner, a lancé le président de la République. "
                  "Nous irons jusqu'au bout. »")
    a = doc.attributions[0]
    assert a.kind == "direct" and a.speaker.type == "anonymous", a
    assert "président de la République" in a.speaker.name

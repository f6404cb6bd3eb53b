"""Speakers the article's flow implies (propos.resolve.discourse): headline quotes that the
body repeats, interview paragraphs that go on with the last speaker."""

from helpers import expect, extract


def test_subheading_quote_is_the_body_speakers():
    doc = extract("Réforme des retraites : le maire de Lille hausse le ton\n"
                  "Martine Aubert a réuni son conseil lundi.\n"
                  "« La réforme est morte »\n"
                  "Devant les élus, elle a été claire : « La réforme est morte, et nous ne la "
                  "laisserons pas revenir », a déclaré Martine Aubert.")
    a = expect(doc, "La réforme est morte", speaker="Martine Aubert", type="person",
               kind="direct", cue=None)
    assert a.rule == "headline"


def test_interview_paragraph_goes_on_with_the_last_speaker():
    doc = extract("« Nous avons tout essayé », raconte Jeanne Morel, étudiante à Rennes.\n"
                  "« Les cortèges étaient divisés par les policiers, et les étudiants isolés "
                  "des travailleurs pendant des heures. »")
    expect(doc, "Les cortèges étaient divisés par les policiers, et les étudiants isolés des "
                "travailleurs pendant des heures.",
           speaker="Jeanne Morel", type="person", kind="direct", cue=None)


def test_quote_far_from_any_speaker_stays_unknown():
    doc = extract("« Les cortèges étaient divisés par les policiers et les étudiants isolés », "
                  "peut-on lire sur une banderole.\nLa manifestation s'est dispersée.\n"
                  "Le calme est revenu en soirée.\n"
                  "« Nous reviendrons samedi prochain avec encore plus de monde dans la rue »")
    a = expect(doc, "Nous reviendrons samedi prochain avec encore plus de monde dans la rue",
               speaker="source non précisée", type="unknown", kind="direct")
    assert a.cue is None


def test_subheading_after_another_speaker_is_still_the_body_speakers():
    doc = extract("« Ils disent des méchancetés sur nous à la télévision », assure Paul Roux.\n"
                  "« La position du patronat est intelligente »\n"
                  "Pour Bernard Moulin, l'invitation sonne comme une consécration. « La position "
                  "du patronat est intelligente, elle est démocratique », explique-t-il.")
    a = expect(doc, "La position du patronat est intelligente", speaker="Bernard Moulin",
               type="person", kind="direct", cue=None)
    assert a.rule == "headline"


def test_short_subheading_quote_echoing_the_body():
    doc = extract("Le procès s'est ouvert lundi.\n« Erreurs d'appréciation »\n"
                  "Le procureur, Loïc Perrot, dénonce les « erreurs d'appréciation » des agents.")
    a = expect(doc, "Erreurs d'appréciation", speaker="Loïc Perrot", type="person",
               kind="direct", cue=None)
    assert a.rule == "headline"


def test_subheading_with_words_after_its_quote():
    doc = extract("Le curé a été sanctionné.\n« Tremblement de terre » à la paroisse\n"
                  "« C'est un peu le tremblement de terre dans le village », confiait le père "
                  "Pascal Morin vendredi.")
    a = expect(doc, "Tremblement de terre", speaker="Pascal Morin", type="person",
               kind="direct", cue=None)
    assert a.rule == "headline"


def test_subject_of_a_que_clause_does_not_claim_the_quote_before():
    doc = extract("« Il aurait donc du mérite ? »\nLe fait que Patrice Roux soit nommé révolte "
                  "les étudiants.")
    assert all(a.speaker.name != "Patrice Roux" for a in doc.attributions)

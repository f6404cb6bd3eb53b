"""Language profiles are validated at load: a misspelt key, a value of the wrong type or a
missing key fails with the file and the key named. A third language is a folder: a German
one, written to a temporary folder, loads with no Python edit."""

import pytest

from propos.profile import (PROFILE_KEYS, ProfileError, available_languages, load_profile,
                            load_profile_from, validate_settings)


@pytest.mark.parametrize("lang", available_languages())
def test_shipped_profiles_load(lang):
    assert load_profile(lang).lang == lang


def test_unknown_key_is_named():
    with pytest.raises(ProfileError, match=r"de/profile.toml: unknown key 'according_weak'"):
        validate_settings({"lang": "de", "model": "m", "model_package": "p", "according_weak": []},
                          "lang/de/profile.toml")


def test_wrong_type_is_named():
    with pytest.raises(ProfileError, match=r"'determiners' must be a list, not str"):
        validate_settings({"lang": "de", "model": "m", "model_package": "p", "determiners": "der"},
                          "lang/de/profile.toml")


def test_words_must_be_words():
    with pytest.raises(ProfileError, match=r"'coordinators' must be a list of words"):
        validate_settings({"lang": "de", "model": "m", "model_package": "p", "coordinators": [1]},
                          "lang/de/profile.toml")


def test_honorific_genders_must_be_m_f_or_none():
    with pytest.raises(ProfileError, match=r"'directory_honorifics' must map words to"):
        validate_settings({"lang": "de", "model": "m", "model_package": "p",
                           "directory_honorifics": {"frau": "female"}}, "lang/de/profile.toml")


def test_a_key_written_after_a_table_is_named():
    with pytest.raises(ProfileError, match=r"'determiners' is inside the table 'pronouns'"):
        validate_settings({"lang": "de", "model": "m", "model_package": "p",
                           "pronouns": {"er": "m", "determiners": ["der"]}}, "lang/de/profile.toml")


def test_a_language_must_name_its_unknown_speaker():
    with pytest.raises(ProfileError, match=r"missing key 'unknown_speaker'"):
        validate_settings({"lang": "de", "model": "m", "model_package": "p"}, "lang/de/profile.toml")


def test_missing_model_is_named():
    with pytest.raises(ProfileError, match=r"missing key 'model'"):
        validate_settings({"lang": "de", "model_package": "p"}, "lang/de/profile.toml")


def test_every_known_key_has_a_type():
    assert all(isinstance(kind, type) for kind in PROFILE_KEYS.values())


def test_the_rules_read_closing_marks_from_the_profile():
    from propos.attribute.finder import profile_words

    assert set(profile_words(load_profile("fr"))["closing_marks"]) >= {"»", "”", '"'}


# --------------------------------------------------------------------------- a third language

GERMAN_PROFILE = """\
lang = "de"
model = "de_core_news_md"
model_package = "de-core-news-md==3.8.0"
quote_pairs = [["„", "“"], ["»", "«"]]
quote_ambiguous = ['"']
unknown_speaker = "ungenannte Quelle"
according_to = ["laut", "nach Angaben von"]
postposed_according_to = ["zufolge"]
complementisers = ["dass"]
complementiser_optional = true
capitalised_nouns = true
separable_particle_deps = ["compound:prt"]
reported_speech_moods = ["Sub"]
determiners = ["der", "die", "das", "ein", "eine"]

[pronouns]
"er" = "m"
"sie" = ""

[directory_honorifics]
"herr" = "m"
"frau" = "f"
"""

GERMAN_CUES = """\
lemma\tpos\tframes\tweight\ttype
sagen\tVERB\tque,quote,incise\t1.0\tspeech
mitteilen\tVERB\tque,quote,incise\t1.0\tspeech
erklären\tVERB\tque,quote,incise\t1.0\tspeech
"""


@pytest.fixture()
def german(tmp_path):
    folder = tmp_path / "de"
    folder.mkdir()
    (folder / "profile.toml").write_text(GERMAN_PROFILE, encoding="utf-8")
    (folder / "cues.tsv").write_text(GERMAN_CUES, encoding="utf-8")
    return load_profile_from(folder)


def test_a_third_language_is_a_folder(german):
    """A German folder loads and validates with no Python edit: its quotation marks pair, its
    cue verbs are in the lexicon, its German-only fields are known keys."""
    from propos.quotes import find_quotes

    assert german.lang == "de" and german.folder.name == "de"
    assert sorted(german.cues) == ["erklären", "mitteilen", "sagen"]
    assert german.get("capitalised_nouns") is True
    assert german.get("postposed_according_to") == ["zufolge"]
    text = "„Die Brücke ist sicher“, sagte er. »Wir bauen neu«, erklärte die Ministerin."
    assert [text[q.content_start:q.content_end] for q in find_quotes(text, german)] == [
        "Die Brücke ist sicher", "Wir bauen neu"]


def test_a_third_language_folder_with_a_wrong_key_fails_naming_it(tmp_path):
    folder = tmp_path / "de"
    folder.mkdir()
    (folder / "profile.toml").write_text('capitalized_nouns = true\n' + GERMAN_PROFILE,
                                         encoding="utf-8")
    with pytest.raises(ProfileError, match=r"de/profile.toml: unknown key 'capitalized_nouns'"):
        load_profile_from(folder)


def _german_doc():
    """"Der Minister teilte am Montag mit, …" parsed by hand as a German model would (UD
    labels): the particle "mit" is a child of "teilte"."""
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

    words = ["Der", "Minister", "teilte", "am", "Montag", "mit", ",", "die", "Brücke", "sei",
             "sicher", "."]
    return Doc(Vocab(), words=words, spaces=[True] * 5 + [False] + [True] * 4 + [False, False],
               pos=["DET", "NOUN", "VERB", "ADP", "NOUN", "ADP", "PUNCT", "DET", "NOUN", "AUX",
                    "ADJ", "PUNCT"],
               deps=["det", "nsubj", "ROOT", "case", "obl", "compound:prt", "punct", "det",
                     "nsubj", "cop", "ccomp", "punct"],
               heads=[1, 2, 2, 4, 2, 2, 10, 8, 10, 10, 2, 2],
               lemmas=["der", "Minister", "teilen", "an", "Montag", "mit", ",", "der", "Brücke",
                       "sein", "sicher", "."])


def test_a_separable_verb_is_looked_up_with_its_particle(german):
    from propos.attribute.finder import Finder

    doc = _german_doc()
    finder = Finder(doc, [], german)
    assert finder.cue_of(doc[2]).lemma == "mitteilen"
    assert Finder(doc, [], load_profile("fr")).cue_of(doc[2]) is None  # no particle field


def test_where_nouns_are_capitalised_a_capital_is_no_noun_cue(german):
    """A capitalised word the tagger calls an adjective is a noun for French ("la
    CGT-Cheminots"), not for German, where every noun has a capital."""
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

    from propos.attribute.finder import Finder

    doc = Doc(Vocab(), words=["Sicher", "sagte", "er", "."], pos=["ADJ", "VERB", "PRON", "PUNCT"])
    assert Finder(doc, [], load_profile("fr")).nominal(doc[0])
    assert not Finder(doc, [], german).nominal(doc[0])


def test_word_sets_are_built_once_per_profile():
    """The rules and the resolver ask for their word sets for every document."""
    profile = load_profile("fr")
    assert profile.words("relative_pronouns") is profile.words("relative_pronouns")
    assert "qui" in profile.words("relative_pronouns")

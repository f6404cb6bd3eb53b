"""Language profiles are validated at load: a misspelt key, a value of the wrong type or a
missing key fails with the file and the key named."""

import pytest

from propos.profile import PROFILE_KEYS, ProfileError, available_languages, load_profile, validate_settings


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


def test_missing_model_is_named():
    with pytest.raises(ProfileError, match=r"missing key 'model'"):
        validate_settings({"lang": "de", "model_package": "p"}, "lang/de/profile.toml")


def test_every_known_key_has_a_type():
    assert all(isinstance(kind, type) for kind in PROFILE_KEYS.values())


def test_the_rules_read_closing_marks_from_the_profile():
    from propos.attribute.finder import profile_words

    assert set(profile_words(load_profile("fr"))["closing_marks"]) >= {"»", "”", '"'}

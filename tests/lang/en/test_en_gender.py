"""English speakers' gender: stated by the text (Ms., a pronoun resolved to the speaker),
else labelled as a first name's usual gender (tests/lang/fr/test_gender.py says more)."""

import pytest
from helpers import gender_of

pytestmark = pytest.mark.model


@pytest.mark.parametrize("text, speaker, expected", [
    ('"The bridge is not safe," said Ms. Ward.', "Ward", ("female", "text")),
    ("Robin Hale arrived late. She said the council would vote again.", "Robin Hale",
     ("female", "text")),
    ('"We will rebuild," said Tom Baker.', "Tom Baker", ("male", "first_name")),
])
def test_the_text_or_the_first_name_says_it(text, speaker, expected):
    assert gender_of(text, speaker, "en") == expected

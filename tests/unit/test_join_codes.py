"""Class codes are easy to read aloud and forgiving to type."""

from __future__ import annotations

import pytest

from learn_app.services.accounts import join_codes
from learn_app.services.errors import InvalidInput


def test_the_alphabet_has_no_look_alikes() -> None:
    assert not set("0O1IL") & set(join_codes.ALPHABET)
    assert len(set(join_codes.ALPHABET)) == len(join_codes.ALPHABET) == 31


@pytest.mark.parametrize("typed", ["K7MP-Q2XD", "k7mp q2xd", " K7MPQ2XD ", "k7mp–q2xd"])
def test_a_code_is_accepted_however_it_is_typed(typed: str) -> None:
    assert join_codes.typed(typed) == "K7MPQ2XD"
    assert join_codes.shown(join_codes.typed(typed)) == "K7MP-Q2XD"


@pytest.mark.parametrize("typed", ["K7MP-Q2X", "K7MP-Q2XDD", "K7MP-Q2X0", "K7MP-Q2XÉ", "   "])
def test_what_cannot_be_a_code_is_refused_with_the_field(typed: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        join_codes.typed(typed)
    assert refused.value.field == "code"

"""What the Speaking page shows of a scored attempt: Japanese morae, English phones in IPA."""

from learn_app.state.speaking import _shown_units


def test_english_phones_are_shown_in_ipa_with_their_own_colour():
    phones = [
        {"phone": "HH", "ipa": "h", "score": 92},
        {"phone": "EH", "ipa": "ɛ", "score": 40},
        {"phone": "L", "ipa": "l", "score": None},
    ]

    shown = _shown_units(phones, "ipa", fallback=71, passing=70)

    assert [(p.text, p.score) for p in shown] == [("h", 92), ("ɛ", 40), ("l", 71)]
    assert shown[0].tone == "green"
    assert shown[1].tone == "red"


def test_japanese_morae_keep_their_kana():
    shown = _shown_units([{"text": "ね", "score": 80}, {"text": "こ", "score": 20}], "text", 50, 70)

    assert [m.text for m in shown] == ["ね", "こ"]
    assert [m.tone for m in shown] == ["green", "red"]

"""Pure text: kana and romaji, inflection, scripts, answer checking, sentence parts. No database."""

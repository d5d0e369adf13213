"""The forms a word takes in a sentence, so a cloze can find 食べました for 食べる or soy for ser.

Rules rather than a dictionary: they cover what beginners' example sentences use, need no
data files, and give the same answer every time.

Japanese (from the dictionary form and `verb_class`): godan, ichidan, する and 来る verbs in
their polite (ます, ました, ません, ませんでした, ましょう), plain negative and past, て/た,
たい, volitional, conditional and potential forms; い-adjectives in past, negative, adverbial and
て forms (いい conjugates as よい). Each form comes as a (written, kana) pair so the kana of
what the sentence shows is known. Other words keep their one form.

Spanish (accent-folded, lower case): regular -ar/-er/-ir verbs in present, preterite,
imperfect, future, conditional, present subjunctive, imperative, gerund and participle, with
every stem change (e→ie, o→ue, e→i, u→ue) and spelling change (c→qu, g→gu, z→c, c→zc, g→j);
a table of the common irregular verbs (and verbs built on them: mantener, devolver…);
reflexive verbs without their -se; nouns and adjectives with gender and number, and the short
forms buen, mal, primer, gran, un, algún…
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

# ---------------------------------------------------------------------------------- Japanese

_POLITE = ("ます", "ました", "ません", "ませんでした", "ましょう", "たい", "たかった", "たくない")
_NEGATIVE = ("ない", "なかった", "なくて")

# Godan verbs by their last kana: (a, i, e, o, te, ta) endings.
_GODAN = {
    "う": ("わ", "い", "え", "お", "って", "った"),
    "く": ("か", "き", "け", "こ", "いて", "いた"),
    "ぐ": ("が", "ぎ", "げ", "ご", "いで", "いだ"),
    "す": ("さ", "し", "せ", "そ", "して", "した"),
    "つ": ("た", "ち", "て", "と", "って", "った"),
    "ぬ": ("な", "に", "ね", "の", "んで", "んだ"),
    "ぶ": ("ば", "び", "べ", "ぼ", "んで", "んだ"),
    "む": ("ま", "み", "め", "も", "んで", "んだ"),
    "る": ("ら", "り", "れ", "ろ", "って", "った"),
}
_E_OR_I_ROW = set("えけげせぜてでねへべぺめれいきぎしじちぢにひびぴみり")

JapaneseForm = tuple[str, str]  # (as written, in kana)


def japanese_forms(
    term: str, reading: str, part_of_speech: str, verb_class: str = ""
) -> list[JapaneseForm]:
    """Every form of the word to look for, as (written, kana) pairs, the dictionary form first."""
    term, reading = term.strip("〜~ "), reading.strip("〜~ ") or term.strip("〜~ ")
    forms: list[JapaneseForm] = [(term, reading)]
    if part_of_speech == "verb":
        forms += _verb_forms(term, reading, verb_class)
    elif part_of_speech == "i-adjective" and term.endswith("い"):
        forms += _adjective_forms(term, reading)
    return list(dict.fromkeys(forms))


def _endings(dictionary_form: str, verb_class: str) -> list[str] | None:
    """The endings that replace the last kana of a verb, or None if it does not conjugate."""
    last = dictionary_form[-1:]
    ichidan = [*_POLITE, *_NEGATIVE, "て", "た", "よう", "れば", "られる", "ろ"]
    if verb_class == "ichidan" and last == "る":
        return ichidan
    row = _GODAN.get(last)
    if row is None:
        return None
    a, i, e, o, te, ta = row
    godan = [
        *(i + ending for ending in _POLITE),
        *(a + ending for ending in _NEGATIVE),
        te,
        ta,
        o + "う",
        e + "ば",
        e + "る",
    ]
    if verb_class == "godan" or last != "る" or dictionary_form[-2:-1] not in _E_OR_I_ROW:
        return godan
    return godan + ichidan  # an unclassified -iru/-eru verb could be either


def _verb_forms(term: str, reading: str, verb_class: str) -> list[JapaneseForm]:
    if term.endswith("する") or reading == "する":
        return _suru_forms(term[:-2], reading[:-2])
    if term.endswith("来る") or reading == "くる":
        return _kuru_forms(term[:-2], reading[:-2])
    if term.endswith(("行く", "いく")):
        return [
            *_paired(term, reading, _endings(term, "godan") or []),
            (term[:-1] + "って", reading[:-1] + "って"),
            (term[:-1] + "った", reading[:-1] + "った"),
        ]
    return _paired(term, reading, _endings(term, verb_class) or [])


def _paired(term: str, reading: str, endings: list[str]) -> list[JapaneseForm]:
    return [(term[:-1] + ending, reading[:-1] + ending) for ending in endings]


def _suru_forms(prefix: str, kana_prefix: str) -> list[JapaneseForm]:
    endings = [
        "します",
        "しました",
        "しません",
        "しませんでした",
        "しましょう",
        "したい",
        "しない",
        "しなかった",
        "して",
        "した",
        "しよう",
        "すれば",
        "される",
        "させる",
    ]
    return [(prefix + ending, kana_prefix + ending) for ending in endings]


def _kuru_forms(prefix: str, kana_prefix: str) -> list[JapaneseForm]:
    # 来 is read き, こ or く depending on the ending; the written form keeps the kanji.
    stems = {"き": [*_POLITE, "て", "た"], "こ": [*_NEGATIVE, "よう", "られる"], "く": ["れば"]}
    forms = []
    for kana, endings in stems.items():
        for ending in endings:
            forms.append((prefix + "来" + ending, kana_prefix + kana + ending))
            forms.append((prefix + kana + ending, kana_prefix + kana + ending))
    return forms


def _adjective_forms(term: str, reading: str) -> list[JapaneseForm]:
    endings = [
        "かった",
        "くない",
        "くなかった",
        "くて",
        "く",
        "ければ",
        "くありません",
        "さ",
        "そう",
    ]
    stems = [(term[:-1], reading[:-1])]
    if reading.endswith("いい"):  # いい conjugates from よい: よかった, よくない
        stems.append((term[:-2] + "よ", reading[:-2] + "よ"))
    return [(stem + ending, kana + ending) for stem, kana in stems for ending in endings]


# ----------------------------------------------------------------------------------- Spanish


def fold(text: str) -> str:
    """Lower case without accents or tildes, one character per character (so offsets hold)."""
    return "".join(unicodedata.normalize("NFD", char)[0] for char in text.lower())


_PRESENT = {
    "ar": ("o", "as", "a", "amos", "ais", "an"),
    "er": ("o", "es", "e", "emos", "eis", "en"),
    "ir": ("o", "es", "e", "imos", "is", "en"),
}
_SUBJUNCTIVE = {
    "ar": ("e", "es", "e", "emos", "eis", "en"),
    "er": ("a", "as", "a", "amos", "ais", "an"),
    "ir": ("a", "as", "a", "amos", "ais", "an"),
}
_PRETERITE = {
    "ar": ("e", "aste", "o", "amos", "asteis", "aron"),
    "er": ("i", "iste", "io", "imos", "isteis", "ieron"),
    "ir": ("i", "iste", "io", "imos", "isteis", "ieron"),
}
_IMPERFECT = {
    "ar": ("aba", "abas", "aba", "abamos", "abais", "aban"),
    "er": ("ia", "ias", "ia", "iamos", "iais", "ian"),
    "ir": ("ia", "ias", "ia", "iamos", "iais", "ian"),
}
_FUTURE = ("e", "as", "a", "emos", "eis", "an")
_CONDITIONAL = ("ia", "ias", "ia", "iamos", "iais", "ian")
_BOOT = (0, 1, 2, 5)  # the persons whose stem changes: yo, tú, él, ellos
_STEM_CHANGES = (("e", "ie"), ("o", "ue"), ("e", "i"), ("u", "ue"))

# Irregular forms, with their accents. Verbs in _WHOLLY_IRREGULAR are listed in full; for the
# others the rules still make the regular forms and these add the rest.
_IRREGULAR = {
    "ser": "ser soy eres es somos sois son fui fuiste fue fuimos fuisteis fueron era eras "
    "éramos erais eran seré serás será seremos serán sería serías seríamos serían sea seas "
    "seamos sean sé sed siendo sido",
    "estar": "estar estoy estás está estamos estáis están estuve estuviste estuvo estuvimos "
    "estuvisteis estuvieron estaba estabas estábamos estaban estaré estarás estará "
    "estaremos estarán estaría estarías estaríamos estarían esté estés estemos estén "
    "estando estado",
    "ir": "ir voy vas va vamos vais van fui fuiste fue fuimos fuisteis fueron iba ibas "
    "íbamos ibais iban iré irás irá iremos irán iría irías iríamos irían vaya vayas vayamos "
    "vayáis vayan ve id yendo ido",
    "haber": "haber he has ha hay hemos habéis han hube hubo hubieron había habías habíamos "
    "habían habrá habría haya hayas hayamos hayan habiendo habido",
    "dar": "dar doy das da damos dais dan di diste dio dimos disteis dieron daba dabas "
    "dábamos daban daré darás dará daremos darán daría darías daríamos darían dé des demos "
    "den dando dado",
    "ver": "ver veo ves ve vemos veis ven vi viste vio vimos visteis vieron veía veías "
    "veíamos veían veré verás verá veremos verán vería verías veríamos verían vea veas "
    "veamos vean viendo visto",
    "tener": "tengo tienes tiene tienen tuve tuviste tuvo tuvimos tuvisteis tuvieron tendré "
    "tendrás tendrá tendremos tendrán tendría tenga tengas tengamos tengan ten",
    "venir": "vengo vienes viene vienen vine viniste vino vinimos vinisteis vinieron vendré "
    "vendrás vendrá vendremos vendrán vendría venga vengas vengamos vengan ven viniendo",
    "hacer": "hago hice hiciste hizo hicimos hicisteis hicieron haré harás hará haremos "
    "harán haría haga hagas hagamos hagan haz hecho",
    "decir": "digo dices dice decimos dicen dije dijiste dijo dijimos dijisteis dijeron "
    "diré dirás dirá diremos dirán diría diga digas digamos digan di diciendo dicho",
    "poder": "puedo puedes puede pueden pude pudiste pudo pudimos pudisteis pudieron podré "
    "podrás podrá podremos podrán podría pueda puedas puedan pudiendo",
    "querer": "quiero quieres quiere quieren quise quisiste quiso quisimos quisisteis "
    "quisieron querré querrás querrá querremos querrán querría quiera quieras quieran",
    "saber": "sé sabes sabe sabemos saben supe supiste supo supimos supisteis supieron "
    "sabré sabrás sabrá sabremos sabrán sabría sepa sepas sepamos sepan",
    "poner": "pongo puse pusiste puso pusimos pusisteis pusieron pondré pondrás pondrá "
    "pondremos pondrán pondría ponga pongas pongamos pongan pon puesto",
    "salir": "salgo saldré saldrás saldrá saldremos saldrán saldría salga salgas salgamos "
    "salgan sal",
    "oír": "oigo oyes oye oímos oyen oyó oyeron oiga oigas oigan oyendo oído",
    "traer": "traigo traje trajiste trajo trajimos trajisteis trajeron traiga traigas "
    "traigan trayendo traído",
    "caer": "caigo cayó cayeron caiga caigas caigan cayendo",
    "volver": "vuelto",
    "abrir": "abierto",
    "escribir": "escrito",
    "morir": "muerto",
    "romper": "roto",
}
_WHOLLY_IRREGULAR = {"ser", "estar", "ir", "haber", "dar", "ver"}
# Verbs built on an irregular one conjugate like it: mantener, devolver, suponer, describir.
_IRREGULAR_BASES = ("tener", "venir", "poner", "hacer", "decir", "traer", "volver", "escribir")

_SHORT_FORMS = {
    "bueno": ("buen",),
    "malo": ("mal",),
    "primero": ("primer",),
    "tercero": ("tercer",),
    "alguno": ("algun",),
    "ninguno": ("ningun",),
    "grande": ("gran",),
    "uno": ("un", "una", "unos", "unas"),
    "ciento": ("cien",),
    "cualquiera": ("cualquier",),
    "santo": ("san",),
    "este": ("esta", "estos", "estas"),
    "ese": ("esa", "esos", "esas"),
    "aquel": ("aquella", "aquellos", "aquellas"),
}


@dataclass(frozen=True)
class SpanishForms:
    """The forms of a word: `written` must match with their accents (sé is not se, está is
    not esta); `folded` are made by rule and match whatever the accents."""

    written: frozenset[str]
    folded: frozenset[str]

    def __contains__(self, token: object) -> bool:
        if not isinstance(token, str):
            return False
        lowered = unicodedata.normalize("NFC", token.lower())
        return lowered in self.written or fold(lowered) in self.folded


def spanish_forms(term: str, part_of_speech: str) -> SpanishForms:
    """The forms of a one-word Spanish term (phrases are matched as they are)."""
    word = unicodedata.normalize("NFC", term.strip().lower())
    written: set[str] = set()
    folded = {fold(word)}
    if part_of_speech == "verb":
        written, generated = _verb_forms_es(word)
        folded |= generated
    elif part_of_speech in {"noun", "adjective", "determiner", "pronoun", "number"}:
        base = fold(word)
        folded |= _plurals(base)
        if part_of_speech != "noun":
            folded |= _genders(base)
        folded |= set(_SHORT_FORMS.get(base, ()))
    return SpanishForms(frozenset(written), frozenset(folded))


def _plurals(word: str) -> set[str]:
    if word.endswith("z"):
        return {word[:-1] + "ces"}
    if word[-1:] in "aeiou":
        return {word + "s"}
    return {word + "es"}


def _genders(word: str) -> set[str]:
    if word.endswith("o"):
        return {word[:-1] + "a", word[:-1] + "as", word + "s"}
    if word.endswith(("or", "on", "in", "es")):  # trabajador(a), alemán/alemana, inglés/inglesa
        return {word + "a", word + "as"}
    return set()


def _verb_forms_es(word: str) -> tuple[set[str], set[str]]:
    """(forms with accents from the table, accent-folded forms made by rule)."""
    reflexive = word.endswith("se") and fold(word[-4:-2]) in _PRESENT
    infinitive = word[:-2] if reflexive else word
    kind = fold(infinitive[-2:])
    if kind not in _PRESENT:
        return set(), set()
    irregular = _IRREGULAR.get(infinitive, "")
    if not irregular:
        for base in _IRREGULAR_BASES:
            if infinitive.endswith(base) and infinitive != base:
                prefix = infinitive[: -len(base)]
                irregular = " ".join(prefix + form for form in _IRREGULAR[base].split())
                break
    written = set(irregular.split())
    folded = set() if infinitive in _WHOLLY_IRREGULAR else _regular_forms(fold(infinitive))
    # A listed form without accents is as safe to match folded as a made one.
    folded |= {form for form in written if fold(form) == form}
    if reflexive:
        folded |= {fold(infinitive) + pronoun for pronoun in ("me", "te", "se", "nos", "os")}
    return written, folded


def _regular_forms(infinitive: str) -> set[str]:
    stem, kind = infinitive[:-2], infinitive[-2:]
    present = [stem + ending for ending in _PRESENT[kind]]
    subjunctive = [_spelled(stem, ending, kind) for ending in _SUBJUNCTIVE[kind]]
    preterite = [_spelled(stem, ending, kind) for ending in _PRETERITE[kind]]
    forms = {infinitive, *present, *subjunctive, *preterite}
    forms |= {stem + ending for ending in _IMPERFECT[kind]}
    forms |= {infinitive + ending for ending in (*_FUTURE, *_CONDITIONAL)}
    forms |= {stem + ("ad" if kind == "ar" else "ed" if kind == "er" else "id")}
    vowel_stem = stem[-1:] in "aeiou"
    forms.add(stem + ("ando" if kind == "ar" else "yendo" if vowel_stem else "iendo"))
    forms.add(stem + ("ado" if kind == "ar" else "ido"))
    if vowel_stem and kind != "ar":  # leer: leyó, leyeron
        forms |= {stem + "yo", stem + "yeron"}
    if stem.endswith("c") and kind != "ar" and stem[-2:-1] in "aeiou":  # conocer: conozco
        forms |= {stem[:-1] + "zc" + ending for ending in ("o", "a", "as", "amos", "an")}
    if stem.endswith("g") and kind != "ar":  # coger: cojo
        forms |= {stem[:-1] + "j" + ending for ending in ("o", "a", "as", "an")}
    if infinitive.endswith("ducir"):  # conducir: conduje, condujo
        root = stem[:-1] + "j"
        forms |= {root + ending for ending in ("e", "iste", "o", "imos", "isteis", "eron")}
    forms |= _stem_changed(stem, kind)
    return forms


def _spelled(stem: str, ending: str, kind: str) -> str:
    """Keep the consonant's sound before e: busqué, pagué, empecé."""
    if kind == "ar" and ending.startswith("e"):
        if stem.endswith("c"):
            return stem[:-1] + "qu" + ending
        if stem.endswith("g"):
            return stem + "u" + ending
        if stem.endswith("z"):
            return stem[:-1] + "c" + ending
    return stem + ending


def _stem_changed(stem: str, kind: str) -> set[str]:
    """Every stem change, whether or not this verb has it: a form that doesn't exist is never
    found in a sentence, and which verbs change is more than the rules can tell."""
    forms: set[str] = set()
    for old, new in _STEM_CHANGES:
        at = stem.rfind(old)
        if at < 0:
            continue
        changed = stem[:at] + new + stem[at + 1 :]
        for person in _BOOT:
            forms.add(changed + _PRESENT[kind][person])
            forms.add(_spelled(changed, _SUBJUNCTIVE[kind][person], kind))
        if kind == "ir" and new in {"i", "ue"}:  # pidió, durmió, pidiendo, durmiendo
            short = stem[:at] + ("i" if old == "e" else "u") + stem[at + 1 :]
            forms |= {short + "io", short + "ieron", short + "iendo"}
    return forms

"""Golden cases for matching terms in inflected text and for inflecting approved terms."""

from __future__ import annotations

import pytest
from brochure.glossary.morph import (
    en_inflect,
    features,
    inflect,
    kk_analyses,
    kk_inflect,
    kk_inflect_term,
    paradigm,
    ru_inflect,
)  # fmt: skip
from brochure.glossary.termbase import Termbase
from brochure.glossary.tsv import concept_from_row

ROWS = [
    dict(id="oligarch", en="oligarch", ru="олигарх", ru_forbidden="магнат", kk="олигарх", kk_forbidden="алпауыт"),
    dict(id="elbasy", en="Yelbası", en_admitted="Elbasy", ru="Елбасы", kk="Елбасы",
         kk_forms="dat=Елбасына|gen=Елбасының", flags="indeclinable"),
    dict(id="leader-of-the-nation", en="leader of the nation", ru="лидер нации", kk="ұлт көшбасшысы"),
    dict(id="sdk", en="SDK", ru="СДК", kk="ҚСҚ", flags="case-sensitive"),
    dict(id="worker", en="worker", ru="рабочий", kk="жұмысшы"),
    dict(id="working-class", en="working class", ru="рабочий класс", kk="жұмысшы табы"),
    dict(id="republic-kz", en="Republic of Kazakhstan", ru="Республика Казахстан", kk="Қазақстан Республикасы"),
    dict(id="janaozen", en="Janaozen", en_admitted="Zhanaozen", ru="Жанаозен", kk="Жаңаөзен", flags="case-sensitive"),
    dict(id="general-strike", en="general strike", ru="всеобщая забастовка", kk="жалпы ереуіл"),
]  # fmt: skip


@pytest.fixture(scope="module")
def tb() -> Termbase:
    return Termbase([concept_from_row(r) for r in ROWS])


def found(tb, lang, text):
    return [(m.text, m.concept, m.status) for m in tb.matcher(lang).find(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SDK’s programme", [("SDK’s", "sdk", "preferred")]),
        ("the sdk programme", []),  # case-sensitive
        ("the oligarchs’ profits and an oligarch's yacht",
         [("oligarchs", "oligarch", "preferred"), ("oligarch's", "oligarch", "preferred")]),
        ("workers of the working class", [("workers", "worker", "preferred"), ("working class", "working-class", "preferred")]),
        ("the massacre in Zhanaozen", [("Zhanaozen", "janaozen", "admitted")]),
        ("the Leader of the Nation spoke", [("Leader of the Nation", "leader-of-the-nation", "preferred")]),
        ("general strikes", [("general strikes", "general-strike", "preferred")]),
        ("a general, strike", []),  # punctuation between the words: not the term
    ],
)  # fmt: skip
def test_english(tb, text, expected):
    assert found(tb, "en", text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Борьба с олигархами", [("олигархами", "oligarch", "preferred")]),
        ("Он стал лидером нации", [("лидером нации", "leader-of-the-nation", "preferred")]),
        ("интересы рабочего класса и рабочих", [("рабочего класса", "working-class", "preferred"), ("рабочих", "worker", "preferred")]),
        ("власть магнатов", [("магнатов", "oligarch", "forbidden")]),
        ("во всеобщей забастовке", [("всеобщей забастовке", "general-strike", "preferred")]),
        ("Елбасы сказал", [("Елбасы", "elbasy", "preferred")]),
    ],
)  # fmt: skip
def test_russian_inflected(tb, text, expected):
    assert found(tb, "ru", text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("олигархтармен күрес", [("олигархтармен", "oligarch", "preferred")]),
        ("Елбасына хат", [("Елбасына", "elbasy", "preferred")]),
        ("Қазақстан Республикасының азаматтары", [("Қазақстан Республикасының", "republic-kz", "preferred")]),
        ("жұмысшы табының мүддесі", [("жұмысшы табының", "working-class", "preferred")]),
        ("жұмысшылардың ереуілі", [("жұмысшылардың", "worker", "preferred")]),
        ("алпауыттарға қарсы", [("алпауыттарға", "oligarch", "forbidden")]),
        ("Жаңаөзенде", [("Жаңаөзенде", "janaozen", "preferred")]),
        ("ҚСҚ-ның бағдарламасы", [("ҚСҚ-ның", "sdk", "preferred")]),  # an abbreviation's suffix
    ],
)  # fmt: skip
def test_kazakh_inflected(tb, text, expected):
    assert found(tb, "kk", text) == expected


def test_longest_match_first(tb):
    # «working class» wins over «worker» inside it; both concepts are never reported for one word
    assert [m.concept for m in tb.matcher("en").find("the working class")] == ["working-class"]


@pytest.mark.parametrize(
    ("term", "tag", "expected"),
    [
        ("олигарх", "pl.ins", "олигархами"),
        ("лидер нации", "ins", "лидером нации"),
        ("рабочий класс", "gen", "рабочего класса"),
        ("всеобщая забастовка", "acc", "всеобщую забастовку"),
        ("всеобщая забастовка", "pl.loc", "всеобщих забастовках"),
        ("Республика Казахстан", "loc", "Республике Казахстан"),
        ("олигарх", "nom", "олигарх"),
    ],
)
def test_russian_inflection(term, tag, expected):
    assert ru_inflect(term, tag) == expected


def test_russian_indeclinable():
    assert ru_inflect("Елбасы", "ins", indeclinable=True) == "Елбасы"


@pytest.mark.parametrize(
    ("word", "tag", "expected"),
    [
        ("олигарх", "pl.ins", "олигархтармен"),
        ("олигарх", "dat", "олигархқа"),
        ("жұмысшы", "pl.gen", "жұмысшылардың"),
        ("ереуіл", "loc", "ереуілде"),
        ("адам", "abl", "адамнан"),
        ("сөз", "ins", "сөзбен"),
        ("кітап", "poss3", "кітабы"),
        ("партия", "poss1pl.dat", "партиямызға"),
        ("министр", "pl.poss3.gen", "министрлерінің"),
    ],
)
def test_kazakh_suffix_rules(word, tag, expected):
    assert kk_inflect(word, tag) == expected


def test_kazakh_possessive_base():
    # an izafet ends in a possessive: the case endings take their post-possessive shapes
    assert kk_inflect_term("Қазақстан Республикасы", "dat") == "Қазақстан Республикасына"
    assert kk_inflect_term("Қазақстан Республикасы", "abl") == "Қазақстан Республикасынан"
    assert kk_inflect_term("Қазақстан Республикасы", "acc") == "Қазақстан Республикасын"
    assert ("елбасы", "dat", True) in [tuple(a) for a in kk_analyses("Елбасына")]


@pytest.mark.parametrize(
    ("lang", "occurrence", "term", "tag"),
    [
        ("ru", "магнатами", "магнат", "pl.ins"),
        ("ru", "вождём нации", "вождь нации", "ins"),
        ("kk", "алпауыттармен", "алпауыт", "pl.ins"),
        ("kk", "Ұлт көшбасшысына", "Ұлт көшбасшысы", "dat"),
        ("en", "oligarchs’", "oligarch", "pl.gen"),
    ],
)
def test_features_of_the_replaced_word(lang, occurrence, term, tag):
    assert features(lang, occurrence, term) == tag


def test_english_inflection():
    assert en_inflect("oligarch", "pl") == "oligarchs"
    assert en_inflect("party", "pl.gen") == "parties’"
    assert en_inflect("SDK", "gen") == "SDK’s"


def test_word_keys_outlive_the_process(tmp_path, monkeypatch):
    """Russian lemmas are kept in .brochure/: a later run finds terms without pymorphy3."""
    import json

    from brochure.glossary import keycache, morph
    from brochure.glossary.concepts import Concept
    from brochure.glossary.match import Matcher

    concepts = [Concept(id="c", preferred={"ru": "рабочий класс"})]
    keycache.attach(tmp_path)
    try:
        found = Matcher(concepts, "ru").find("Рабочего класса больше нет.")
        assert [m.text for m in found] == ["Рабочего класса"]
        keycache.save()
        (file,) = tmp_path.glob("word-keys-ru-*.json")
        kept = json.loads(file.read_text(encoding="utf-8"))
        assert kept["Рабочего"].split("\t") == ["рабочего", "рабочий"]  # its keys, sorted
        # a new process: nothing in memory, and no analyser: the keys come from the file
        keycache.clear()
        for fn in (morph._ru_keys, morph.ru_lemmas):
            fn.cache_clear()

        def no_analyser(word):
            raise AssertionError(f"analysed {word!r} again")

        monkeypatch.setattr(morph, "ru_lemmas", no_analyser)
        found = Matcher(concepts, "ru").find("Рабочего класса больше нет.")
        assert [m.text for m in found] == ["Рабочего класса"]
        # it is a cache: without the file the same terms are found
        monkeypatch.undo()
        file.unlink()
        keycache.clear()
        assert [m.text for m in Matcher(concepts, "ru").find("Рабочего класса больше нет.")] == [
            "Рабочего класса"
        ]
    finally:
        keycache.attach(None)


def test_word_keys_file_with_a_foreign_value(tmp_path):
    """A word whose kept keys are not the file's tab-separated string is analysed again."""
    import json

    from brochure.glossary import keycache
    from brochure.glossary.concepts import Concept
    from brochure.glossary.match import Matcher

    concepts = [Concept(id="c", preferred={"ru": "рабочий класс"})]
    path = keycache.path_for(tmp_path, "ru")
    path.write_text(json.dumps({"Рабочего": ["x"], "класса": 3}), encoding="utf-8")
    keycache.attach(tmp_path)
    try:
        keycache.clear()
        found = Matcher(concepts, "ru").find("Рабочего класса больше нет.")
        assert [m.text for m in found] == ["Рабочего класса"]
    finally:
        keycache.attach(None)


def test_plural_preferred_term_inflects_from_its_stored_lemma():
    # "workers" prefers the plural; its stored nom is the singular lemma the rules build on
    workers = concept_from_row(
        dict(id="workers", en="workers", ru="рабочие", kk="жұмысшылар",
             ru_forms="nom=рабочий|gen=рабочего", kk_forms="nom=жұмысшы|dat=жұмысшыға")
    )  # fmt: skip
    assert inflect(workers, "kk", "pl.nom") == "жұмысшылар"
    assert inflect(workers, "kk", "pl.dat") == "жұмысшыларға"
    assert inflect(workers, "kk", "dat") == "жұмысшыға"
    assert inflect(workers, "ru", "pl.dat") == "рабочим"
    forms = [form for _tags, form in paradigm(workers, "kk")]
    assert forms[0] == "жұмысшылар" and "жұмысшыларлар" not in forms


def test_russian_lemmas_read_from_the_dictionary_are_those_of_a_full_parse():
    """The dictionary shortcut of morph.ru_lemmas gives what pymorphy3's parse() gives."""
    import re
    from pathlib import Path

    from brochure.glossary import morph

    seeds = Path(__file__).resolve().parent.parent / "seeds"
    text = " ".join(p.read_text(encoding="utf-8") for p in seeds.rglob("*.ru.xlf"))
    words = set(re.findall(r"[а-яё]+(?:-[а-яё]+)?", text.lower()))
    words |= {"ёлка", "елка", "всё", "все", "рабочего", "профсоюзы", "стали", "мыла", "жанаозена",
              "нефтяников", "по-русски", "кое-что", "и", "в", "я", "снг", "госдума", "хрущёвка"}  # fmt: skip
    morph_ = morph.ru_morph()
    assert len(words) > 1000
    shortcut = 0
    for word in sorted(words):
        low = word.replace("ё", "е")
        full = frozenset(p.normal_form.replace("ё", "е") for p in morph_.parse(low))
        fast = morph._ru_dictionary_lemmas(low)
        if fast is not None:
            shortcut += 1
            assert fast == full, word
        morph.ru_lemmas.cache_clear()
        assert morph.ru_lemmas(word) == full, word
    assert shortcut > len(words) * 0.8  # most words take the shortcut


# A term is found by its words: what a person writes around them must be ordinary prose punctuation,
# else the matcher would find something nobody wrote ("(a+)+$" was stored as "a" and found in
# "A list item.").
@pytest.mark.parametrize(
    ("term", "problem"),
    [
        ("Council of Aksakals (Elders)", None),
        ("Shal, ket!", None),
        ("workers' activist", None),
        ("U.S.", None),
        ("фонд «Народу Казахстана»", None),
        ("a", None),  # a one-letter term written as such is what its author wrote
        ("Постановление №5", None),  # ordinary marks of Russian and Kazakh political terms
        ("№5 қаулы", "checks '№' only between them, finding «5 қаулы» alone"),
        ("приказ №", "checks '№' only between them, finding «приказ» alone"),
        ("и так далее…", None),
        ("Шал… кет", None),
        ("(a+)+$", "would drop '$+', finding «a» instead"),
        ("C++", "would drop '+', finding «C» instead"),
        ("strike*", "would drop '*', finding «strike» instead"),
        ("[general] strike", "would drop '[]', finding «general strike» instead"),
        ("a.", "would find the single letter «a» everywhere"),
        ("(a)", "would find the single letter «a» everywhere"),
        ("+++", "it has no words"),
    ],
)
def test_term_problem(term, problem):
    from brochure.glossary.match import term_problem

    found_problem = term_problem(term)
    assert (found_problem is None) if problem is None else (problem in (found_problem or ""))


def test_a_pattern_term_written_by_hand_is_never_matched():
    rows = [dict(id="bad", en="(a+)+$", ru="а"), dict(id="one", en="a.", ru="а"),
            dict(id="list", en="list", ru="список")]  # fmt: skip
    tb = Termbase([concept_from_row(r) for r in rows])
    assert found(tb, "en", "A list item.") == [("list", "list", "preferred")]


def test_punctuation_between_a_terms_words_is_matched_literally():
    """«Постановление №5» is found as written and inflected, not as «Постановление 5» or
    «Постановление №6»; the punctuation inside built-in terms («workers' control», «Council of
    Aksakals (Elders)», «Шал, кет!») is found too (it used to stop every match)."""
    rows = [dict(id="decree-5", ru="Постановление №5", en="Decree No. 5"),
            dict(id="control", en="workers' control", ru="рабочий контроль"),
            dict(id="aksakals", en="Council of Aksakals (Elders)", ru="Совет аксакалов"),
            dict(id="shal", ru="Шал, кет!", en="Old man, go!"),
            dict(id="etc", ru="и так… далее", en="etc")]  # fmt: skip
    tb = Termbase([concept_from_row(r) for r in rows])
    assert found(tb, "ru", "Вышло Постановление №5, затем Постановления № 5 и Постановление 5.") == [
        ("Постановление №5", "decree-5", "preferred"), ("Постановления № 5", "decree-5", "preferred")]  # fmt: skip
    assert found(tb, "ru", "Постановление №6 и Постановление, 5") == []
    assert found(tb, "en", "Decree No. 5 on workers’ control, not workers control") == [
        ("Decree No. 5", "decree-5", "preferred"), ("workers’ control", "control", "preferred")]  # fmt: skip
    assert found(tb, "en", "the Council of Aksakals (Elders) met") == [
        ("Council of Aksakals (Elders", "aksakals", "preferred")]  # fmt: skip
    assert found(tb, "ru", "Кричали «Шал, кет!» и «Шал кет»; и так... далее") == [
        ("Шал, кет", "shal", "preferred"), ("и так... далее", "etc", "preferred")]  # fmt: skip

"""Kazakh hyphenation patterns registered with pyphen (which WeasyPrint uses)."""

import pytest
from brochure.layout.hyphenation import dictionary_path, dictionary_text, register_kazakh

pyphen = pytest.importorskip("pyphen")


def test_shipped_dictionary_is_the_generated_one():
    assert dictionary_path().read_text(encoding="utf-8") == dictionary_text()


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("жұмысшылардың", "жұ-мыс-шы-лар-дың"),
        ("кәсіподақтар", "кә-сі-по-дақ-тар"),
        ("мұнайшылар", "мұ-най-шы-лар"),
        ("бағдарламасы", "бағ-дар-ла-ма-сы"),
        ("айтты", "айт-ты"),
        ("ұлттық", "ұлт-тық"),
        ("ереуілге", "ере-уіл-ге"),
        ("Жаңаөзенде", "Жа-ңа-ө-зен-де"),
        ("Елбасының", "Ел-ба-сы-ның"),
        # issue 12: the print review's wrong breaks (Қазақс-тан, отс-тавкаға)
        ("Қазақстан", "Қа-зақ-стан"),
        ("Қазақстанның", "Қа-зақ-стан-ның"),
        ("отставкаға", "от-став-ка-ға"),
        ("министрлер", "ми-нистр-лер"),
        ("орталығы", "ор-та-лы-ғы"),
        ("Түркістан", "Түр-кіс-тан"),
    ],
)
def test_kazakh_words_break_at_syllables(word, expected):
    register_kazakh()
    assert pyphen.Pyphen(lang="kk", left=2, right=2).inserted(word) == expected


def test_registration_makes_kk_known_to_pyphen():
    register_kazakh()
    assert pyphen.language_fallback("kk") == "kk"
    assert pyphen.language_fallback("kk-KZ") in ("kk", "kk_KZ")

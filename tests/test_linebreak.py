"""Line breaking: ragged or justified by measure, hyphenation limits, words kept whole, ladders."""

from __future__ import annotations

import pytest
from brochure.layout.linebreak import (
    JUSTIFY_MIN_CHARS,
    Protector,
    edition_words,
    ladder_words,
    laid_out_paragraphs,
    limited_hyphenation,
    line_breaking,
    project_words,
    register_dictionaries,
    word_chars,
)
from brochure.layout.rows import geometry
from editions import block, document, edition, seg

pyphen = pytest.importorskip("pyphen")


def test_narrow_columns_are_ragged_and_wide_measures_justified():
    two_columns = line_breaking(geometry("A5", 2))
    three_columns = line_breaking(geometry("A4", 3))
    full_width = line_breaking(geometry("A5", 1))
    assert two_columns.text_align == three_columns.text_align == "left"
    assert full_width.text_align == "justify"
    assert two_columns.limit_chars == "7 3 3"
    assert two_columns.limit_zone != full_width.limit_zone


@pytest.mark.parametrize(
    ("word", "expected"),
    [("American", "Amer-i-can"), ("collectives", "col-lec-tives"), ("president", "pres-i-dent")],
)
def test_english_uses_the_us_patterns(word, expected):
    register_dictionaries()
    assert pyphen.Pyphen(lang="en", left=3, right=3).inserted(word) == expected


def test_a_wide_measure_is_justified_only_if_its_lines_hold_enough_words():
    # 73 characters: about 11 English words a line, justified; about 9 Kazakh ones (the seeds'
    # 8.2 characters a word with its space): too few spaces to stretch evenly, ragged-right
    full_width = geometry("A5", 1)
    assert full_width.chars_per_line >= JUSTIFY_MIN_CHARS
    assert line_breaking(full_width, 6.3).text_align == "justify"
    assert line_breaking(full_width, 8.2).text_align == "left"
    assert line_breaking(full_width, 8.2).limit_zone == line_breaking(geometry("A5", 2)).limit_zone
    assert line_breaking(geometry("A5", 2), 4.0).text_align == "left"  # narrow stays ragged


def test_word_chars_is_the_longest_worded_language_of_the_running_text():
    doc = document(
        "d",
        block("heading", seg({"en": "A title", "kk": "Өтпелі бағдарламаларымыздың"}), level=1),
        block("paragraph", seg({"en": "one two six ten", "kk": "жұмысшылар қозғалысы"})),
    )  # fmt: skip
    # headings left out; each word with its space: en 16/4 = 4, kk 21/2 = 10.5
    assert word_chars(edition(doc, langs=("en", "kk"))) == 10.5
    assert word_chars(edition(document("d"), langs=("en", "kk"))) == 0.0


def test_which_words_stay_whole():
    protector = Protector(
        names=["Nursultan Nazarbayev", "Совет безопасности"], words=["Жанаозен"],
        whole=["полицейскому", "военно"],
    )  # fmt: skip
    assert protector.protected("Kazakhstan")  # capitalised
    assert protector.protected("nazarbayevite")  # a form of a glossary name
    assert not protector.protected("безопасности")  # only the names' capitalised words
    assert protector.protected("жанаозенские")  # the project's list, any form
    assert protector.protected("полицейскому")  # a part of a compound
    assert not protector.protected("democratisation")
    assert protector.keeping(["democratisation"]).protected("democratisation")


def test_compound_parts_and_paragraph_ends_come_from_the_text():
    doc = document(
        "d",
        block("paragraph", seg({"en": "the military-police units", "ru": "военно-полицейскому отряду"}),
              seg({"en": "were sent at once.", "ru": "отправили немедленно."})),
    )  # fmt: skip
    words = edition_words(edition(doc))
    assert {"military", "полицейскому"} <= words  # "police", "военно": too short to break
    assert {"once", "немедленно"} <= words  # last words of the paragraph
    assert "units" not in words  # too short to be hyphenated: not needed


def test_project_words_file(tmp_path):
    (tmp_path / "nobreak.txt").write_text(
        "# names\nЖанаозен\n\nQazaqstan  # Latin\n", encoding="utf-8"
    )
    assert project_words([tmp_path, tmp_path / "missing"]) == ("Жанаозен", "Qazaqstan")


def _lines(html: str, protector: Protector) -> list[list[str]]:
    from pathlib import Path

    from brochure.layout.weasy import render_document

    register_dictionaries()
    with limited_hyphenation(protector):
        document = render_document(html, Path.cwd())
    return list(laid_out_paragraphs(document))


PAGE = """<html><head><meta charset="utf-8"><style>
@page {{ size: 60mm 200mm; margin: 5mm }}
p {{ width: 24mm; hyphens: auto; hyphenate-limit-chars: 7 3 3; hyphenate-character: "-";
     font-size: 9pt }}
</style></head><body><p lang="en">{text}</p></body></html>"""


def test_protected_words_are_not_hyphenated_by_weasyprint():
    text = " ".join(["a democratisation"] * 6)
    free = [line for lines in _lines(PAGE.format(text=text), Protector()) for line in lines]
    assert any(line.endswith("-") for line in free), free  # WeasyPrint hyphenates it...
    guarded = _lines(PAGE.format(text=text), Protector(whole=["democratisation"]))
    assert not any(line.endswith("-") for lines in guarded for line in lines), guarded  # ...not now


class _Nothing(Protector):
    def protected(self, word: str) -> bool:
        return False


def test_capitalised_words_are_never_hyphenated():
    names = PAGE.format(text=" ".join(["a Semipalatinsk"] * 6))
    unguarded = _lines(names, _Nothing())
    assert any(line.endswith("-") for lines in unguarded for line in lines), unguarded
    assert not any(line.endswith("-") for lines in _lines(names, Protector()) for line in lines)


def test_ladder_words_names_the_word_that_makes_a_third_hyphen(monkeypatch):
    from brochure.layout import linebreak

    lines = [["the democra-", "tisation of indus-", "trial compa-", "nies and their", "end"]]
    monkeypatch.setattr(linebreak, "laid_out_paragraphs", lambda document: iter(lines))
    assert ladder_words(object()) == {"companies"}
    assert ladder_words(object(), limit=3) == set()


def test_a_ladder_ending_in_a_compound_hyphen_is_broken_above_it(monkeypatch):
    from brochure.layout import linebreak

    lines = [["the democra-", "tisation of military-", "police compa-", "nies"]]
    monkeypatch.setattr(linebreak, "laid_out_paragraphs", lambda document: iter(lines))
    protector = Protector(whole=["militarypolice"])  # the compound, as its parts are kept
    assert ladder_words(object(), protector, limit=2) == {"companies"}
    lines[0][:] = ["the democra-", "tisation of indus-", "trial military-", "police units"]
    assert ladder_words(object(), protector, limit=2) == {"industrial"}

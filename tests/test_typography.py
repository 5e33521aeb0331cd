"""The print typography stage: golden cases per language (input -> expected), spans, the build.

In the expected strings "⍽" is a no-break space (U+00A0), "⌴" a narrow no-break space (U+202F)
and "‑" a non-breaking hyphen (U+2011).
"""

from __future__ import annotations

import pytest
from brochure.core.datamodel import RichText, Span
from brochure.layout.typography import (
    QuoteState,
    keep_last_words,
    typeset,
    typeset_edition,
    typeset_plain,
)
from editions import block, document, edition, seg


def shown(text: str) -> str:
    return text.replace("\u00a0", "⍽").replace("\u202f", "⌴")


RU = [
    # one- and two-letter words keep to the next word; a spaced dash is an em dash after a nbsp
    ("Всё смешалось – и нефть, и кровь – в стране", "Всё смешалось⍽— и⍽нефть, и⍽кровь⍽— в⍽стране"),
    ("восстание. С самого начала", "восстание. С⍽самого начала"),
    (
        "демонстрировать прогресс на пути к «демократии»",
        "демонстрировать прогресс на⍽пути к⍽«демократии»",
    ),
    # straight quotes -> «…» with „…“ inside, also across nesting written with «» twice
    ('партия "Нур Отан" победила', "партия «Нур Отан» победила"),
    ('"партия "Нур Отан" и др."', "«партия „Нур Отан“ и⍽др.»"),
    ("«партия «Нур Отан»»", "«партия „Нур Отан“»"),
    # numbers: unit, year, thousands (narrow), ranges with an en dash, signs
    ("в 1991 г. было 40 000 человек", "в⍽1991⍽г.⍽было 40⌴000⍽человек"),
    ("4-5 января 2022 года", "4–5⍽января 2022⍽года"),
    ("в 1986—1991 гг.", "в⍽1986–1991⍽гг."),
    ("решение № 5", "решение №⍽5"),
    ("12-часовой рабочий день", "12-часовой рабочий день"),
    ("2022-01-07", "2022-01-07"),
    # initials and abbreviations; particles keep to the word before them
    ("Н. А. Назарбаев и т. е. всё", "Н.⍽А.⍽Назарбаев и⍽т.⍽е.⍽всё"),
    ("вряд ли это так", "вряд⍽ли это так"),  # an enclitic keeps to the word before it only
    # a heading never breaks as "Часть / I"
    ("Переходная программа СДК. Часть I", "Переходная программа СДК. Часть⍽I"),
    # a dash opening a line, the ellipsis
    ("- Нет, - сказал он...", "—⍽Нет,⍽— сказал он…"),
    ("бойня и болезнь –, они надеются", "бойня и⍽болезнь⍽—, они надеются"),
]

KK = [
    ("Өтпелі бағдарлама, I бөлім (2012)", "Өтпелі бағдарлама, I⍽бөлім (2012)"),
    ("2022 жылғы 7 қаңтардағы мәлімдеме", "2022⍽жылғы 7⍽қаңтардағы мәлімдеме"),
    ('"Нұр Отан" партиясы – билік', "«Нұр Отан» партиясы⍽— билік"),
    ("1 000 000 адам", "1⌴000⌴000⍽адам"),
    ("4-5 қаңтар", "4–5⍽қаңтар"),
    ("Н. Ә. Назарбаев", "Н.⍽Ә.⍽Назарбаев"),
    ("«Біз «Жаңаөзен» үшін»", "«Біз „Жаңаөзен“ үшін»"),
]

EN = [
    # straight quotes -> “…” with ‘…’ inside; apostrophes
    ('the "three-handed" system', "the “three-handed” system"),
    ("a 'multi-party' system", "a “multi-party” system"),
    ("said \"it's 'fine' now\"", "said “it’s ‘fine’ now”"),
    ("the workers' movement", "the workers’ movement"),
    # a spaced hyphen from the source is a spaced en dash, kept off the line start
    ("rally - the resignation", "rally⍽– the resignation"),
    ("Zhanaozen -- to nationalize", "Zhanaozen⍽– to nationalize"),
    ("power — and money", "power⍽— and money"),
    # a dash closing an aside before a comma stays with the word before it: no line opens "–,"
    (
        "the massacre and his health problems –, they hope",
        "the massacre and his health problems⍽–, they hope",
    ),
    ("(power —)", "(power⍽—)"),
    ("military-police units", "military-police units"),
    # ranges, dates, numerals, ellipses
    ("on 4-5 January", "on 4–5⍽January"),
    ("Jun. 30, 2012", "Jun.⍽30, 2012"),
    ("Part II will follow....", "Part⍽II will follow…"),
    ("I think so", "I think so"),
    ("40,000 people", "40,000 people"),
]


@pytest.mark.parametrize(("source", "expected"), RU)
def test_russian(source, expected):
    assert shown(typeset(RichText(source), "ru").text) == expected


@pytest.mark.parametrize(("source", "expected"), KK)
def test_kazakh(source, expected):
    assert shown(typeset(RichText(source), "kk").text) == expected


@pytest.mark.parametrize(("source", "expected"), EN)
def test_english(source, expected):
    assert shown(typeset(RichText(source), "en").text) == expected


@pytest.mark.parametrize(
    ("lang", "source", "expected"),
    [
        ("ru", "Да здравствует борьба рабочих страны!", "Да⍽здравствует борьба рабочих⍽страны!"),
        ("ru", "Вот почему это следует…", "Вот почему это следует…"),
        ("kk", "Олар әлі көшеде жүр.", "Олар әлі көшеде⍽жүр."),
        ("en", "The idea spread widely.", "The idea spread⍽widely."),
        (
            "en",
            "a long paragraph ends on a nationalisation.",
            "a long paragraph ends on a nationalisation.",
        ),
        # a compound's short last part keeps to its first: no "work- / day." at a paragraph's end
        ("en", "to legitimise a 12-hour work-day.", "to legitimise a 12-hour work\u2011day."),
        ("ru", "военно-полицейскому террору.", "военно-полицейскому террору."),
        ("kk", "сөзі – көңіл-күй.", "сөзі⍽— көңіл\u2011күй."),
        ("ru", "(КСПК).", "(КСПК)."),
    ],
)
def test_a_paragraphs_short_last_word_keeps_to_the_one_before(lang, source, expected):
    assert shown(typeset(RichText(source), lang, last=True).text) == expected


def test_every_sentence_of_a_paragraph_keeps_its_short_last_word():
    # a layout may cut the paragraph after any sentence (at a page break): each one ends bound,
    # inside the paragraph to a short word only
    doc = document(
        "doc",
        block("paragraph", seg({"kk": "Белгілері байқалып отыр.", "ru": "Признаки застоя налицо."}),
              seg({"kk": "Рухын түсіру.", "ru": "Вся добывающая промышленность страны."}),
              seg({"kk": "Олар әлі көшеде жүр.", "ru": "Партия (КСПК) молчит."})),
        block("heading", seg({"kk": "Тұрақсыз «тұрақтылық»", "ru": "Часть первая"}), level=2),
    )  # fmt: skip
    out = typeset_edition(edition(doc, langs=("kk", "ru")))
    para, heading = out.documents[0].blocks
    first, middle, second = para.segments
    assert shown(first.texts["kk"].text) == "Белгілері байқалып⍽отыр."
    assert shown(first.texts["ru"].text) == "Признаки застоя⍽налицо."
    assert shown(middle.texts["kk"].text) == "Рухын⍽түсіру."
    # inside a paragraph, not to a long word: "добывающая" would be left alone on a short line
    assert shown(middle.texts["ru"].text) == "Вся добывающая промышленность страны."
    assert shown(second.texts["kk"].text) == "Олар әлі көшеде⍽жүр."
    assert shown(second.texts["ru"].text) == "Партия (КСПК)⍽молчит."
    # a heading's last two words stay together when they are short together
    assert shown(heading.segments[0].texts["ru"].text) == "Часть⍽первая"
    assert shown(heading.segments[0].texts["kk"].text) == "Тұрақсыз «тұрақтылық»"  # 22: too long


def test_quotes_open_in_one_sentence_and_close_in_the_next():
    state = QuoteState()
    first = typeset(RichText('Он сказал: "Мы победим.'), "ru", state)
    second = typeset(RichText('Борьба продолжается".'), "ru", state)
    assert first.text.endswith("«Мы\u00a0победим.")
    assert second.text == "Борьба продолжается»."


def test_spans_move_with_the_text():
    # "..." becomes one character: the emphasis after it moves two places left and keeps its word
    source = RichText('Wait... "go" now', (Span(9, 11, "em"), Span(13, 16, "strong")))
    out = typeset(source, "en")
    assert out.text == "Wait… “go” now"
    assert [out.text[s.start : s.end] for s in out.spans] == ["go", "now"]


def test_edition_titles_segments_and_cover_are_typeset_but_not_the_input():
    doc = document(
        "doc",
        block("heading", seg({"en": "Part I", "ru": "Часть I"}), level=1),
        block(
            "paragraph", seg({"en": 'A "test" - yes, certainly', "ru": 'Это "тест" - да, конечно'})
        ),
    )
    ed = edition(doc, langs=("en", "ru"))
    out = typeset_edition(ed)
    heading, para = out.documents[0].blocks
    assert shown(heading.segments[0].texts["ru"].text) == "Часть⍽I"
    assert shown(para.segments[0].texts["ru"].text) == "Это «тест»⍽— да, конечно"
    assert shown(para.segments[0].texts["en"].text) == "A “test”⍽– yes, certainly"
    assert shown(out.documents[0].title["ru"]) == "Часть⍽I"
    # titles are printed outside the text flow: thousands get a plain no-break space there
    assert shown(typeset_plain("40 000 человек", "ru")) == "40⍽000⍽человек"
    # the stored texts are untouched
    assert ed.documents[0].blocks[1].segments[0].texts["ru"].text == 'Это "тест" - да, конечно'


def test_the_narrow_space_goes_to_the_pdf_as_it_is():
    """No inline box in its place: WeasyPrint sets it in the text run (test below)."""
    from brochure.layout.html import rich_html

    html = str(rich_html(typeset(RichText("40 000 <b>"), "ru")))
    assert html == "40\u202f000 &lt;b&gt;"


_NARROW = (
    "По Постановлению №{s}5 в декабре были уволены 40{s}000 рабочих, т.{s}е. почти "
    "75{s}% всех занятых, и готовилась новая волна сокращений. Зарплаты упали на 1{s}200 тенге."
)
_NARROW_PAGE = """<html><head><meta charset="utf-8"><style>
@font-face {{ font-family: "Brochure Serif"; src: url("{fonts}/PT_Serif-Web-Regular.ttf"); }}
@font-face {{ font-family: "Brochure Serif"; font-style: italic;
              src: url("{fonts}/PT_Serif-Web-Italic.ttf"); }}
@page {{ size: 150mm 200mm; margin: 5mm }}
p {{ width: {width}mm; font: 9pt "Brochure Serif"; text-align: justify; hyphens: auto;
     hyphenate-character: "-"; hyphenate-limit-chars: 6 3 3 }}
</style></head><body><p lang="ru">{text}</p></body></html>"""


def _narrow_lines(space: str, width: int) -> list[str]:
    from pathlib import Path

    from brochure.layout.html import fonts_dir, rich_html
    from brochure.layout.linebreak import laid_out_paragraphs
    from brochure.layout.weasy import render_document

    text = _NARROW.format(s=space)
    emphasis = Span(text.index("Постановлению"), text.index(" в декабре"), "em")  # an inline box
    html = str(rich_html(RichText(text, (emphasis,))))
    page = _NARROW_PAGE.format(fonts=fonts_dir().as_uri(), width=width, text=html)
    lines = laid_out_paragraphs(render_document(page, Path.cwd()))
    return [line.replace(space, " ") for para in lines for line in para]


@pytest.mark.parametrize("width", [32, 36, 40, 44, 50, 60])
def test_a_narrow_space_breaks_like_a_no_break_space(width):
    """A typed U+202F (in «№ 5», «т. е.», «75 %», «40 000») is half a space of the font's own, in
    the text run: the paragraph breaks where it breaks with U+00A0 (at these measures half a
    space more or less moves no word)."""
    assert _narrow_lines("\u202f", width) == _narrow_lines("\u00a0", width)


def test_a_narrow_space_leaves_no_word_alone_on_a_line():
    """At 37 mm the half-size no-break space box it once was made WeasyPrint break before
    «75 %», leaving «почти» alone on a line; as a character of the text nothing is left alone
    (and «почти 75 % всех занятых,» fits in the half space it saves against U+00A0)."""
    assert _narrow_lines("\u202f", 37) == [
        "По Постановлению № 5 в",
        "декабре были уволены",
        "40 000 рабочих, т. е.",
        "почти 75 % всех занятых,",
        "и готовилась новая",
        "волна сокращений. Зар-",
        "платы упали на 1 200",
        "тенге.",
    ]


def test_the_colophon_and_publisher_are_typeset_too():
    from dataclasses import replace

    from brochure.core.datamodel import Colophon

    doc = document("doc", block("paragraph", seg({"en": "Text", "ru": "Текст"})))
    ed = edition(doc, langs=("en", "ru"))
    info = replace(
        ed.info,
        publisher={"ru": "Социалистическое движение Казахстана"},
        colophon=Colophon(note={"ru": "Тексты - переводы с английского и русского"},
                          sources={"doc": {"ru": 'Опубликовано в "Left Russia" (2012) и здесь'}}),
    )  # fmt: skip
    out = typeset_edition(replace(ed, info=info)).info
    assert shown(out.colophon.note["ru"]) == "Тексты⍽— переводы с⍽английского и⍽русского"
    assert shown(out.colophon.sources["doc"]["ru"]) == "Опубликовано в⍽«Left Russia» (2012) и⍽здесь"


def test_an_enclitic_binds_to_the_word_before_it_only():
    """ "же" keeps to "Парламентские" but not to "партии": three words in one unbreakable run
    would leave the line above them short (the review's stray line, C9)."""
    out = typeset_plain("Парламентские же партии призваны; такая же бутафория", "ru")
    assert out == "Парламентские\u00a0же партии призваны; такая\u00a0же бутафория"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        # a cover line never ends on one word (print review C11)
        ("Өтпелі бағдарлама, I бөлім (2012). 2022 жылғы 7 қаңтардағы мәлімдеме",
         "Өтпелі бағдарлама, I бөлім (2012). 2022 жылғы 7 қаңтардағы⍽мәлімдеме"),
        ("Programme and Statement", "Programme and⍽Statement"),
        # two long words together could not share a line in a narrow cover: left alone
        ("Заявление Социалистического движения", "Заявление Социалистического движения"),
        ("Title", "Title"),
    ],
)  # fmt: skip
def test_a_cover_lines_last_two_words_stay_together(title, expected):
    assert shown(keep_last_words(title)) == expected


def test_the_cover_keeps_the_last_words_together_and_the_metadata_as_written():
    from brochure.layout.html import render_html

    ed = typeset_edition(edition(document("d"), langs=("en", "kk")))
    assert ed.info.title == {"en": "Test brochure", "kk": "Сынақ кітапшасы"}  # the PDF metadata
    assert ed.info.subtitle["en"] == "For the layout tests"
    html, _ = render_html(ed)
    cover = html[html.index('class="cover') : html.index("</section>")]
    for line in ("Test⍽brochure", "For the layout⍽tests", "Сынақ⍽кітапшасы", "тексеру⍽үшін"):
        assert line in shown(cover)


def test_a_headings_short_last_words_stay_together_and_spans_follow():
    doc = document(
        "doc",
        block("heading", seg({"ru": RichText("Больше нефти и больше рабочей крови!", (Span(30, 35, "em"),)),
                              "en": "The Programme of the Socialist Movement of Kazakhstan (Transitional)"}),
              level=3),
    )  # fmt: skip
    heading = typeset_edition(edition(doc)).documents[0].blocks[0].segments[0]
    ru = heading.texts["ru"]
    assert shown(ru.text) == "Больше нефти и⍽больше рабочей⍽крови!"
    assert [ru.text[s.start : s.end] for s in ru.spans] == ["крови"]
    # "Kazakhstan (Transitional)": 25 characters could overrun a heading in a narrow column
    assert shown(heading.texts["en"].text).endswith("Kazakhstan (Transitional)")


def test_the_pdf_sets_thousands_with_a_narrow_space(tmp_path):
    """«40 000»: half a space between the groups, a whole one before the next word (the DOCX keeps
    a plain no-break space: a word processor would take the narrow one from another font)."""
    import pypdfium2
    from brochure.layout import render

    doc = document("doc", block("paragraph", seg({"en": "Some 40,000 workers.",
                                                  "ru": "Уволены 40 000 рабочих."})))  # fmt: skip
    path = render(edition(doc, langs=("en", "ru")), "pdf", tmp_path / "e.pdf")
    pdf = pypdfium2.PdfDocument(str(path))
    try:
        page = next(pdf[i].get_textpage() for i in range(len(pdf))
                    if "Уволены" in pdf[i].get_textpage().get_text_range())  # fmt: skip
        text = page.get_text_range()
        at = text.index("40", text.index("Уволены"))
        box = [page.get_charbox(at + k) for k in range(len("40 000 р"))]
    finally:
        pdf.close()
    group = box[3][0] - box[1][2]  # from the end of «40» to «000»
    word = box[7][0] - box[5][2]  # from the end of «000» to «рабочих»
    assert 0 < group < 0.7 * word, (group, word)

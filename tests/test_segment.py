"""Segmentation: parametrized tables per language and failure class (research/text.md)."""

import pytest
from brochure.core.datamodel import Block, Document
from brochure.segmentation.rules import RuleSegmenter, segment_document
from brochure.sources.text import parse_inline

CASES = [
    # (language, failure class, text, expected sentences)
    ("en", "plain", "The strike began. Workers joined it! Who could stop them?",
     ["The strike began.", "Workers joined it!", "Who could stop them?"]),
    ("en", "month abbreviations", "It was adopted in Bishkek on Jun. 30 – Jul. 1. In the coming time it will be published.",
     ["It was adopted in Bishkek on Jun. 30 – Jul. 1.", "In the coming time it will be published."]),
    ("en", "titles", "Prof. Smith and Dr. Jones spoke. Mr. Brown did not.",
     ["Prof. Smith and Dr. Jones spoke.", "Mr. Brown did not."]),
    ("en", "initials", "J. R. Smith wrote it. N. A. Nazarbayev read it.",
     ["J. R. Smith wrote it.", "N. A. Nazarbayev read it."]),
    ("en", "quotation and attribution", "“We will not give up!” he said. They marched on.",
     ["“We will not give up!” he said.", "They marched on."]),
    ("en", "bracketed note", "Yelbası [kz: leader of the nation. A nickname.] plays a key role. The rest follow.",
     ["Yelbası [kz: leader of the nation. A nickname.] plays a key role.", "The rest follow."]),
    ("en", "ellipsis inside", "They waited... and then they struck. Part II will follow….",
     ["They waited... and then they struck.", "Part II will follow…."]),
    ("en", "ellipsis at end", "They waited… Then the police came.",
     ["They waited…", "Then the police came."]),
    ("en", "e.g. and i.e.", "Some demands, e.g. higher wages, were met, i.e. partly. Others not.",
     ["Some demands, e.g. higher wages, were met, i.e. partly.", "Others not."]),
    ("en", "numbers", "Wages rose by 3.5 percent. Prices by 10.",
     ["Wages rose by 3.5 percent.", "Prices by 10."]),
    ("ru", "plain", "Забастовка началась. Рабочие присоединились! Кто их остановит?",
     ["Забастовка началась.", "Рабочие присоединились!", "Кто их остановит?"]),
    ("ru", "т.е. unspaced", "Они требуют национализации, т.е. перехода под рабочий контроль. Это важно.",
     ["Они требуют национализации, т.е. перехода под рабочий контроль.", "Это важно."]),
    ("ru", "т. е. spaced", "Они требуют национализации, т. е. Перехода под контроль. Это важно.",
     ["Они требуют национализации, т. е. Перехода под контроль.", "Это важно."]),
    ("ru", "г. (year)", "Съезд прошёл в 2012 г. В Бишкеке собрались делегаты. Затем начался процесс.",
     ["Съезд прошёл в 2012 г. В Бишкеке собрались делегаты.", "Затем начался процесс."]),
    ("ru", "г. (city)", "Митинг прошёл в г. Жанаозен. Полиция открыла огонь.",
     ["Митинг прошёл в г. Жанаозен.", "Полиция открыла огонь."]),
    ("ru", "initials", "Выступил Н. А. Назарбаев. Зал молчал.",
     ["Выступил Н. А. Назарбаев.", "Зал молчал."]),
    ("ru", "quotation and attribution", "«Мы не отступим!» – сказал он. Колонна двинулась дальше.",
     ["«Мы не отступим!» – сказал он.", "Колонна двинулась дальше."]),
    ("ru", "quotation and attribution, em dash", "«Где зарплата?» — спросили рабочие. Ответа не было.",
     ["«Где зарплата?» — спросили рабочие.", "Ответа не было."]),
    ("ru", "translator's note", "Елбасы [Прим. пер.: «лидер нации». Прозвище Назарбаева.] играет ключевую роль. Это ясно.",
     ["Елбасы [Прим. пер.: «лидер нации». Прозвище Назарбаева.] играет ключевую роль.", "Это ясно."]),
    ("ru", "standalone note", "Он ушёл. [Прим. пер.: Здесь речь о 2011 г. Это важно.] Все молчали.",
     ["Он ушёл.", "[Прим. пер.: Здесь речь о 2011 г. Это важно.]", "Все молчали."]),
    ("ru", "ellipsis", "Они ждали… и дождались. Потом… Потом была тишина.",
     ["Они ждали… и дождались.", "Потом…", "Потом была тишина."]),
    ("ru", "quote with two sentences", "Он сказал: «Мы победим. Мы выстоим». Потом ушёл.",
     ["Он сказал: «Мы победим. Мы выстоим».", "Потом ушёл."]),
    ("kk", "plain", "Ереуіл басталды. Жұмысшылар қосылды! Оларды кім тоқтатады?",
     ["Ереуіл басталды.", "Жұмысшылар қосылды!", "Оларды кім тоқтатады?"]),
    ("kk", "ж. (year) before a digit", "Бұл 2022 ж. 5 қаңтарда болды. Ереуіл жалғасты.",
     ["Бұл 2022 ж. 5 қаңтарда болды.", "Ереуіл жалғасты."]),
    ("kk", "ж. (year) before a capital", "1993 ж. Конституциясы қалпына келтірілсін. Бұл талап.",
     ["1993 ж. Конституциясы қалпына келтірілсін.", "Бұл талап."]),
    ("kk", "жж. (years)", "2011–2012 жж. Жаңаөзенде ереуіл болды. Ол ұзаққа созылды.",
     ["2011–2012 жж. Жаңаөзенде ереуіл болды.", "Ол ұзаққа созылды."]),
    ("kk", "т.б. (etc.) mid-sentence", "Мұнай, газ т.б. салалардағы жұмысшылар ереуілге шықты. Билік үнсіз.",
     ["Мұнай, газ т.б. салалардағы жұмысшылар ереуілге шықты.", "Билік үнсіз."]),
    ("kk", "т.с.с. (and so on) mid-sentence", "Жалақы, зейнет жасы т.с.с. мәселелер көтерілді. Жауап болмады.",
     ["Жалақы, зейнет жасы т.с.с. мәселелер көтерілді.", "Жауап болмады."]),
    ("kk", "т. б. spaced", "Кәсіподақтар, партиялар т. б. ұйымдар қудаланды. Бұл шындық.",
     ["Кәсіподақтар, партиялар т. б. ұйымдар қудаланды.", "Бұл шындық."]),
    ("kk", "проф.", "Проф. Ахметов мәлімдеме жасады. Ол ереуілді қолдады.",
     ["Проф. Ахметов мәлімдеме жасады.", "Ол ереуілді қолдады."]),
    ("kk", "initials", "Н. Ә. Назарбаев Қауіпсіздік кеңесінен кетті. Наразылық жалғасты.",
     ["Н. Ә. Назарбаев Қауіпсіздік кеңесінен кетті.", "Наразылық жалғасты."]),
    ("kk", "quotation and attribution", "«Біз шегінбейміз!» – деді ол. Шеру жалғасты.",
     ["«Біз шегінбейміз!» – деді ол.", "Шеру жалғасты."]),
    ("kk", "bracketed note", "Ақсақалдар кеңесі [ауд. ескерт.: қариялар. Бейресми орган.] құрылды. Бұл маңызды.",
     ["Ақсақалдар кеңесі [ауд. ескерт.: қариялар. Бейресми орган.] құрылды.", "Бұл маңызды."]),
    ("kk", "ellipsis", "Олар күтті… және ереуілге шықты. Жалғасы бар…",
     ["Олар күтті… және ереуілге шықты.", "Жалғасы бар…"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("lang", "case", "text", "expected"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES]
)
def test_sentences(lang, case, text, expected):
    spans = RuleSegmenter(lang).split(text)
    assert [text[a:b] for a, b in spans] == expected


@pytest.mark.parametrize(
    ("lang", "case", "text", "expected"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES]
)
def test_spans_rejoin_exactly(lang, case, text, expected):
    spans = RuleSegmenter(lang).split(text)
    rebuilt = text[: spans[0][0]]
    for (a, b), nxt in zip(spans, [*spans[1:], (len(text), len(text))]):
        gap = text[b : nxt[0]]
        assert gap.strip() == "", "only white space lies between sentences"
        rebuilt += text[a:b] + gap
    assert rebuilt == text


def test_project_abbreviations_extend_the_list():
    text = "Статья корр. Иванова вышла. Её прочли."
    assert len(RuleSegmenter("ru").split(text)) == 3  # «корр.» is not in the built-in list
    custom = RuleSegmenter("ru", ("корр.",))
    assert [text[a:b] for a, b in custom.split(text)] == [
        "Статья корр. Иванова вышла.",
        "Её прочли.",
    ]
    assert custom.signature() != RuleSegmenter("ru").signature()


def _doc(*paragraphs: str) -> Document:
    blocks = tuple(
        Block("paragraph", parse_inline(p), line=i + 1) for i, p in enumerate(paragraphs)
    )
    return Document(path=None, lang="en", blocks=blocks)  # type: ignore[arg-type]


def test_ids_stable_when_other_paragraphs_change():
    before = segment_document(_doc("First one. Second one.", "Third one.", "Fourth one."))
    after = segment_document(
        _doc("First one, edited. Second one.", "A new paragraph.", "Third one.", "Fourth one.")
    )
    ids_before = {s.text: s.id for s in before.segments}
    ids_after = {s.text: s.id for s in after.segments}
    for text in ("Second one.", "Third one.", "Fourth one."):
        assert ids_before[text] == ids_after[text]
    assert "First one." not in ids_after


def test_repeated_sentences_get_distinct_ids():
    seg = segment_document(_doc("Down with the regime!", "Down with the regime!"))
    a, b = seg.segments
    assert a.id != b.id and b.id == a.id + "-2"


def test_inline_markup_does_not_split_sentences():
    seg = segment_document(_doc("The *general strike* began on **4 January**. It spread."))
    assert [s.text for s in seg.segments] == [
        "The general strike began on 4 January.",
        "It spread.",
    ]
    first = seg.segments[0].content
    assert [(first.text[s.start : s.end], s.kind) for s in first.spans] == [
        ("general strike", "em"), ("4 January", "strong"),
    ]  # fmt: skip


def test_segment_content_keeps_note_spans():
    seg = segment_document(_doc("Majilis [parliament] met. Nothing changed."))
    note = seg.segments[0].content.spans[0]
    assert note.kind == "note" and seg.segments[0].text[note.start : note.end] == "[parliament]"

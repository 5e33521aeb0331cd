"""Small hand-built Editions for the layout tests: distinctive markers, no real translations."""

from __future__ import annotations

from brochure.core.datamodel import (
    AlignedBlock,
    AlignedDocument,
    AlignedSegment,
    Edition,
    EditionInfo,
    RichText,
    Span,
)

EN_FILL = "The quick brown fox jumps over the lazy dog near the river bank."
RU_FILL = "Съешь же ещё этих мягких французских булок, да выпей чаю с нами."
KK_FILL = "Әсем қыз Ғалия Қарағандыдан Өскеменге Ұлан Үкілімен Һәм Іле арқылы жүрді."
KAZAKH_LETTERS = "ӘҒҚҢӨҰҮҺІ әғқңөұүһі"
FILL = {"en": EN_FILL, "ru": RU_FILL, "kk": KK_FILL}
# A marker per language: short, so it is never hyphenated; the letter tells the column.
PREFIX = {"en": "E", "ru": "Ж", "kk": "Қ"}

_counter = iter(range(1, 1_000_000))


def marker(lang: str, n: int) -> str:
    return f"{PREFIX[lang]}{n:03d}"


def text(value: str, *spans: tuple[int, int, str]) -> RichText:
    return RichText(value, tuple(Span(s, e, k) for s, e, k in spans))  # type: ignore[arg-type]


def seg(texts: dict[str, RichText | str | None], sid: str | None = None) -> AlignedSegment:
    sid = sid or f"s{next(_counter):06d}"
    return AlignedSegment(
        sid, {k: RichText(v) if isinstance(v, str) else v for k, v in texts.items()}
    )


def marked_seg(n: int, langs: tuple[str, ...], repeat: int = 1) -> AlignedSegment:
    """A sentence that starts with its language's marker: E001 / Ж001 / Қ001."""
    return seg({lang: f"{marker(lang, n)} " + " ".join([FILL[lang]] * repeat) for lang in langs})


def block(kind: str, *segments: AlignedSegment, level: int = 0, ordered: bool = False,
          number: int | None = None, bid: str | None = None) -> AlignedBlock:  # fmt: skip
    return AlignedBlock(bid or f"b{next(_counter):06d}", kind, level, segments, ordered, number)  # type: ignore[arg-type]


def heading(texts: dict[str, str], level: int = 1) -> AlignedBlock:
    return block("heading", seg(texts), level=level)


def paragraph(n: int, langs: tuple[str, ...], sentences: int = 1, repeat: int = 1) -> AlignedBlock:
    """A paragraph whose sentences carry markers n, n+1, ... in each language."""
    return block("paragraph", *(marked_seg(n + i, langs, repeat) for i in range(sentences)))


def document(
    name: str, *blocks: AlignedBlock, title: dict[str, str] | None = None
) -> AlignedDocument:
    if title is None:
        first = next((b for b in blocks if b.kind == "heading"), None)
        title = {k: v.text for k, v in first.segments[0].texts.items() if v} if first else {}
    return AlignedDocument(name, title, tuple(blocks))


def info(
    langs: tuple[str, ...] = ("en", "ru"), page_size: str = "A5", draft: bool = False
) -> EditionInfo:
    titles = {"en": "Test brochure", "ru": "Пробная брошюра", "kk": "Сынақ кітапшасы"}
    subtitles = {
        "en": "For the layout tests",
        "ru": "Для проверки вёрстки",
        "kk": "Беттеуді тексеру үшін",
    }
    return EditionInfo(
        name="test",
        languages=langs,
        layout="columns",
        page_size=page_size,
        title={k: titles[k] for k in langs},
        subtitle={k: subtitles[k] for k in langs},
        publisher=dict.fromkeys(langs, "Test Publisher"),
        date=dict.fromkeys(langs, "2024-05-01"),
        draft=draft,
        generator="brochure test-suite",
    )


def edition(*documents: AlignedDocument, langs: tuple[str, ...] = ("en", "ru"), page_size: str = "A5",
            draft: bool = False) -> Edition:  # fmt: skip
    return Edition(info(langs, page_size, draft), documents)


def simple_edition(langs: tuple[str, ...] = ("en", "ru"), page_size: str = "A5", paragraphs: int = 30,
                   draft: bool = False) -> Edition:  # fmt: skip
    """One document: a heading, then `paragraphs` one-sentence paragraphs of growing length."""
    blocks = [heading({"en": "Main heading", "ru": "Главный заголовок", "kk": "Басты тақырып"})]
    for n in range(1, paragraphs + 1):
        blocks.append(block("paragraph", marked_seg(n, langs, repeat=1 + n % 5)))
    return edition(document("doc", *blocks), langs=langs, page_size=page_size, draft=draft)

"""Every character of an edition must be in the shipped fonts: checked before rendering.

WeasyPrint silently takes a missing glyph from whatever system font has it (or draws a box), so a
brochure could go to print with a DejaVu letter in the middle of PT Serif, or a tofu. The check
reads the cmaps of the shipped faces (fontTools, which WeasyPrint installs) and fails the build
naming the character and the segment it is in.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from brochure.core import languages
from brochure.core.datamodel import Edition
from brochure.core.errors import LayoutError

# Format and control characters (soft hyphen, zero-width joiners, line breaks) are not drawn.
_NOT_DRAWN = ("Cc", "Cf", "Zl", "Zp")
# Characters the layouts themselves print besides the edition's text.
LAYOUT_TEXT = "0123456789.,:;·•–-—()[]/ DRAFT missing translation"
# Characters the PT fonts lack that are drawn all the same: the narrow no-break space (U+202F) is
# set by HarfBuzz as half the font's own space (its fallback for a space character a font has no
# glyph for; Pango keeps white space in the font of the text around it), in the same text run:
# no inline box, so it breaks exactly as a no-break space does (a half-size box in its place
# tripped WeasyPrint's line breaking: a word alone on a line).
DRAWN_BY_LAYOUT = frozenset("\u202f")


@lru_cache(maxsize=8)
def _cmap(path: str) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    font = TTFont(path, lazy=True)
    try:
        return frozenset(font.getBestCmap() or {})
    finally:
        font.close()


def covered(font_files: tuple[Path, ...]) -> frozenset[int]:
    """Code points every one of `font_files` has a glyph for (any face may set any text)."""
    sets = [_cmap(str(f)) for f in font_files]
    return frozenset.intersection(*sets) if sets else frozenset()


def shipped_fonts() -> tuple[Path, ...]:
    """The font files shipped with the built-in layouts."""
    from brochure.layout.html import fonts_dir

    return tuple(sorted(p for p in fonts_dir().iterdir() if p.suffix.lower() in (".ttf", ".otf")))


def _texts(edition: Edition) -> Iterator[tuple[str, str]]:
    """(where, text) for everything the edition prints."""
    info = edition.info
    for field in ("title", "subtitle"):
        for lang, value in getattr(info, field).items():
            yield f"{field}.{lang} in brochure.toml", value
    for field in ("publisher", "date"):
        for lang, value in getattr(info, field).items():
            yield f"{field}.{lang} in brochure.toml", value
    colophon = info.colophon
    for field in ("translators", "reviewers"):
        for i, texts in enumerate(getattr(colophon, field)):
            for lang, value in texts.items():
                yield f"colophon.{field}[{i}].{lang} in brochure.toml", value
    for field in ("licence", "note"):
        for lang, value in getattr(colophon, field).items():
            yield f"colophon.{field}.{lang} in brochure.toml", value
    for name, texts in colophon.sources.items():
        for lang, value in texts.items():
            yield f"colophon.sources.{name}.{lang} in brochure.toml", value
    for code in info.languages:
        language = languages.get(code)
        yield f"language name {code}", language.native + language.native.upper()
    yield "layout", LAYOUT_TEXT
    for doc in edition.documents:
        for lang, value in doc.title.items():
            yield f"title of document {doc.name} [{lang}]", value
        for block in doc.blocks:
            for segment in block.segments:
                for lang, text in segment.texts.items():
                    if text is not None:
                        yield f"segment {segment.id} (document {doc.name}, {lang})", text.text


def check_glyphs(edition: Edition, font_files: tuple[Path, ...] | None = None) -> None:
    """Raise LayoutError for the first character no shipped font can draw."""
    files = font_files if font_files is not None else shipped_fonts()
    have = covered(files)
    sources = list(_texts(edition))
    sources += [
        (f"contents title [{code}]", languages.get(code).contents)
        for code in edition.info.languages
    ]
    for where, text in sources:
        for char in dict.fromkeys(text):
            if ord(char) in have or char in DRAWN_BY_LAYOUT:
                continue
            if unicodedata.category(char) in _NOT_DRAWN:
                continue
            name = unicodedata.name(char, "unnamed character")
            fonts = ", ".join(f.name for f in files)
            raise LayoutError(
                f"U+{ord(char):04X} {name} ({char}) in {where} is not in the shipped fonts ({fonts}): "
                "replace the character, or add a font that has it to the layout"
            )


def printed_characters(edition: Edition) -> frozenset[int]:
    """Every character the edition prints (for subsetting the fonts a DOCX embeds)."""
    return frozenset(ord(c) for _, text in _texts(edition) for c in text)

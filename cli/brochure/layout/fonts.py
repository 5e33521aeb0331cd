"""Every character of an edition must be in the shipped fonts: checked before rendering.

WeasyPrint silently takes a missing glyph from whatever system font has it (or draws a box), so a
brochure could go to print with a DejaVu letter in the middle of PT Serif, or a tofu. The check
reads the cmaps of the shipped faces (fontTools, which WeasyPrint installs) and fails the build
naming the character and the segment it is in.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from brochure.core import languages
from brochure.core.datamodel import Edition
from brochure.core.errors import LayoutError
from brochure.core.memo import Memo

log = logging.getLogger(__name__)

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


# --- subsets of the shipped faces, embedded in a DOCX or an EPUB ------------------------------


def subset_characters(edition: Edition) -> frozenset[int]:
    """The code points a DOCX's or EPUB's embedded faces keep: what the edition prints, printable
    ASCII and the typography's marks (an editor's or reader's own text stays in the face), each
    edition language's contents title and column label, and every registered language's alphabet."""
    chars = set(printed_characters(edition))
    chars |= set(range(0x20, 0x7F)) | {ord(c) for c in "«»„“”‘’–—…·\u00a0\u202f№"}
    for code in edition.info.languages:
        chars |= {
            ord(c) for c in languages.get(code).contents + languages.get(code).column_label.upper()
        }
    for code in languages.codes():
        chars |= _alphabet(languages.get(code))
    return frozenset(chars)


# Font subsets made in this process, by what they are made from (see _subset).
_SUBSETS: Memo[bytes] = Memo(24)
_SUBSET_OPTIONS = {"name_IDs": ["*"], "notdef_outline": True, "layout_features": ["*"]}
SUBSETS_KEPT = 2  # per face in .brochure/fonts/: this text's subset and the one before


# The basic letters of a script, to which a language adds its own (Language.letters).
_SCRIPT_LETTERS = {
    "Cyrl": "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    "Latn": "abcdefghijklmnopqrstuvwxyz",
}


def _alphabet(language: languages.Language) -> set[int]:
    """Every letter of `language`, in both cases: kept in each edition's subsets, whatever its
    languages. LibreOffice takes a face embedded in the first document it opens for every later
    one (in the same window, or one `soffice --convert-to` run): a kk|ru DOCX opened after the
    en|ru one had its Kazakh ә ө ұ ү set in DejaVu Sans, in the middle of PT Serif words."""
    letters = _SCRIPT_LETTERS.get(language.script, "") + language.letters
    return {ord(c) for c in letters + letters.upper()}


def font_subset(file: str, chars: frozenset[int] | set[int]) -> bytes:
    """The shipped face `file` subset to the code points `chars` by fontTools: about a fifth of a
    second a face, the most of a DOCX or EPUB build. The same face, characters, options and fontTools
    version give the same bytes, so a subset is kept in this process and, while a build has
    attached a project's .brochure/ (layout.measures), in its fonts/ folder for the next build."""
    import hashlib
    import io

    import fontTools
    from fontTools import subset

    from brochure.core.paths import real_inside
    from brochure.layout.html import fonts_dir
    from brochure.layout.measures import attached

    path = fonts_dir() / file
    made_of = [fontTools.version, repr(sorted(_SUBSET_OPTIONS.items())),
               hashlib.sha256(path.read_bytes()).hexdigest(), ",".join(map(str, sorted(chars)))]  # fmt: skip
    key = hashlib.sha256("|".join(made_of).encode()).hexdigest()[:24]
    if (data := _SUBSETS.get(key)) is not None:
        return data
    folder = attached()
    if folder is not None and real_inside(folder.parent, folder / "fonts") is None:
        folder = None  # .brochure/fonts leads out of the project: keep nothing there
    kept = folder / "fonts" / f"{path.stem}-{key}.ttf" if folder is not None else None
    try:
        data = kept.read_bytes() if kept is not None else None
    except OSError:
        data = None  # not kept yet (or unreadable: made again)
    if data is None:
        options = subset.Options()
        for name, value in _SUBSET_OPTIONS.items():
            setattr(options, name, value)
        font = subset.load_font(str(path), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=chars)
        subsetter.subset(font)
        out = io.BytesIO()
        font.save(out)
        data = out.getvalue()
        if kept is not None:
            _keep(kept, data)
    _SUBSETS.put(key, data)
    return data


def _keep(path: Path, data: bytes) -> None:
    """Write a subset into the cache folder, dropping the oldest of the same face beyond
    SUBSETS_KEPT; a cache that cannot be written is only slower."""
    from brochure.core.atomic import write_bytes_atomic

    face = path.name.rsplit("-", 1)[0]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_bytes_atomic(path, data)
        others = sorted((p for p in path.parent.glob(f"{face}-*.ttf") if p != path),
                        key=lambda p: p.stat().st_mtime, reverse=True)  # fmt: skip
        for old in others[SUBSETS_KEPT - 1 :]:
            old.unlink()
    except OSError as exc:
        log.debug("%s: font subset not kept: %s", path, exc)

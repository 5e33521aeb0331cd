"""Line breaking a typesetter would accept: ragged or justified by measure, limited hyphenation.

- Justify only where the measure allows it: JUSTIFY_MIN_CHARS characters a line and more, and
  JUSTIFY_MIN_WORDS words of the edition's longest-worded language. Justification stretches the
  word spaces, so what matters is how many there are: a 73-character line holds about 11 English
  words but 9 Kazakh ones (the seeds), and with at most 8% of lines hyphenated (issue 12) the
  kk|ru facing pages, justified, had 24 lines with word gaps over 1.25 em and 129 over 0.75 em
  ("жасырын    келісімге    келуге    тырысуда.    Ал" above "Иманғали Тасмағамбетов"); letting
  names break next to a loose line, or a narrower hyphenation zone, took the hyphenated share
  past 8% long before the gaps closed. Narrower measures are set ragged-right, so word spaces
  stay even. Justified text is set without kerning: with it WeasyPrint overruns the measure
  (LineBreaking).
- Hyphenation through the limits WeasyPrint supports in CSS (common.css): `hyphenate-limit-chars`
  (the shortest word, letters before and after the break) and `hyphenate-limit-zone` (a line is
  hyphenated only when it would otherwise end more than the zone short of the measure, so most
  ragged lines are left alone).
- What CSS cannot say is decided here, in one place: WeasyPrint asks pyphen for the breaks of each
  word it would hyphenate, and `limited_hyphenation` answers "none" for capitalised words and names
  (the glossary's proper nouns, a project's layouts/nobreak.txt), for both parts of a word that
  already holds a hyphen (WeasyPrint sees "военно-полицейскому" as two words and would break the
  second again: "военно-по-лицейскому"), and for the last word of a paragraph (no "отыр-/мыз."
  runts). This is done in the dictionary and not by wrapping words in `hyphens: manual` spans
  because WeasyPrint 70 mis-breaks at the start of a text box that follows an inline box: where
  nothing fits it forces the word's first syllable onto a line of its own ("быв-" / "шего").
- WeasyPrint has no `hyphenate-limit-lines`: `ladder_words` reads the laid-out lines, and where more
  than MAX_LADDER hyphenated lines follow each other the word that made the extra one is kept whole
  and the document laid out once more (pdf.write_pdf); the zone keeps this rare.
- Dictionaries: pyphen's "en" is the LibreOffice en_GB list, which gives "Americ-an",
  "collect-ives", "Semi-p-al-at-insk"; English is hyphenated with the en_US (TeX) patterns instead.
  Kazakh patterns: layout/hyphenation.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from brochure.core.datamodel import Edition
from brochure.layout.rows import Geometry

# A measure of this many characters and more, holding this many words of the edition's
# longest-worded language, is justified; a narrower one, ragged-right.
JUSTIFY_MIN_CHARS = 55
JUSTIFY_MIN_WORDS = 10
# hyphenate-limit-chars: a word of at least 6 letters, 3 before the break and 3 after it.
LIMIT_WORD, LIMIT_BEFORE, LIMIT_AFTER = 7, 3, 3
# hyphenate-limit-zone: how short of the measure a line may end before a word is hyphenated.
ZONE_RAGGED = "33%"
ZONE_JUSTIFIED = "16%"
# No more than this many hyphenated lines in a row.
MAX_LADDER = 2
NOBREAK_FILE = "nobreak.txt"  # in a project's layouts/: one word a line, never hyphenated
_WORD = re.compile(r"[^\W\d_][\w'’]*(?:-[\w'’]+)*")


@dataclass(frozen=True)
class LineBreaking:
    """The CSS the layouts set on running text (common.css)."""

    text_align: str
    limit_chars: str
    limit_zone: str
    # WeasyPrint 70 lets justified lines in PT Serif/Sans run up to 3 pt past the measure when
    # kerning is on (measured: 29 of 197 lines of the interleaved seed edition; none without
    # kerning, none in DejaVu): justified text is set without kerning, ragged text keeps it.
    kerning: str = "normal"


def line_breaking(geo: Geometry, word_chars: float = 0.0) -> LineBreaking:
    """Justify only where a line holds enough characters and, given `word_chars` (word_chars()),
    enough words; ragged text in narrow measures, where justification would open rivers of space."""
    chars = geo.chars_per_line
    justified = chars >= JUSTIFY_MIN_CHARS and (
        not word_chars or chars / word_chars >= JUSTIFY_MIN_WORDS
    )
    return LineBreaking(
        text_align="justify" if justified else "left",
        limit_chars=f"{LIMIT_WORD} {LIMIT_BEFORE} {LIMIT_AFTER}",
        limit_zone=ZONE_JUSTIFIED if justified else ZONE_RAGGED,
        kerning="none" if justified else "normal",
    )


def word_chars(edition: Edition) -> float:
    """Characters a word of running text takes with its space, in the edition's language whose
    words are longest (0.0 for an edition without text)."""
    longest = 0.0
    for lang in edition.info.languages:
        chars = words = 0
        for doc in edition.documents:
            for block in doc.blocks:
                for segment in block.segments:
                    text = segment.texts.get(lang)
                    if text is not None and block.kind != "heading":
                        chars += len(text.text) + 1
                        words += len(text.text.split())
        if words:
            longest = max(longest, chars / words)
    return longest


def register_dictionaries(codes: Iterable[str] = ("en", "ru", "kk")) -> None:
    """pyphen (and so WeasyPrint) knows the dictionaries the language registry names
    (layout.hyphenation), and hyphenates en with the en_US patterns.

    Touches pyphen's module-level tables, as layout.hyphenation does.
    """
    import pyphen

    from brochure.layout.hyphenation import register_hyphenation

    register_hyphenation(codes)
    pyphen.LANGUAGES["en"] = pyphen.LANGUAGES["en_US"]


def project_words(search_dirs: Iterable[Path]) -> tuple[str, ...]:
    """The words of each layouts/nobreak.txt (blank lines and # comments skipped); a file that is
    not UTF-8 or leads out of the project is one line naming it."""
    from brochure.core.errors import LayoutError
    from brochure.core.paths import inside

    words: list[str] = []
    for folder in search_dirs:
        path = Path(folder) / NOBREAK_FILE
        if path.is_file():
            root = Path(folder).parent  # the project (search_dirs are its layouts/)
            data = inside(root, path.relative_to(root), str(path)).read_bytes()
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError as exc:
                number = data[: exc.start].count(b"\n") + 1
                raise LayoutError(f"{path}:{number}: not UTF-8 text") from None
            for line in text.splitlines():
                line = line.split("#", 1)[0].strip()
                if line:
                    words.append(line)
    return tuple(words)


class Protector:
    """Which words are never hyphenated."""

    def __init__(self, names: Iterable[str] = (), words: Iterable[str] = (),
                 whole: Iterable[str] = ()):  # fmt: skip
        """`names`: glossary terms, whose capitalised words stay whole in every form ("Назарбаев"
        also covers "назарбаевский"); `words`: a project's list, whole as listed and in every
        form that starts with it; `whole`: exact words (compound parts, paragraph ends, ladders)."""
        stems = {w.lower() for name in names for w in _WORD.findall(name) if w[0].isupper()}
        stems |= {w.lower() for word in words for w in _WORD.findall(word)}
        self._stems = frozenset(s for s in stems if len(s) >= 4)
        self._lengths = sorted({len(s) for s in self._stems})
        self._whole = frozenset(w.lower() for w in whole)
        self._known: dict[str, bool] = {}  # word -> protected: asked once per word form

    @classmethod
    def for_edition(cls, edition: Edition, words: Iterable[str] = ()) -> Protector:
        """The edition's glossary names, a project's `words`, and from its text every part of a
        hyphenated compound and every paragraph's last word."""
        return cls(edition.info.nobreak, words, edition_words(edition))

    def keeping(self, words: Iterable[str]) -> Protector:
        """This protector, also keeping `words` whole."""
        other = Protector()
        other._stems, other._lengths = self._stems, self._lengths
        other._whole = self._whole | {w.lower() for w in words}
        other._known = {}
        return other

    def protected(self, word: str) -> bool:
        known = self._known.get(word)
        if known is None:
            known = self._known[word] = self._protected(word)
        return known

    def _protected(self, word: str) -> bool:
        if not word or word[0].isupper():
            return True
        lower = word.lower()
        if lower in self._whole:
            return True
        return any(lower[:n] in self._stems for n in self._lengths if n <= len(lower))


def edition_words(edition: Edition) -> set[str]:
    """Parts of hyphenated compounds and the last word of every paragraph, list item and quote."""
    found: set[str] = set()
    for doc in edition.documents:
        for block in doc.blocks:
            if block.kind == "heading":
                continue
            for n, segment in enumerate(block.segments):
                for text in segment.texts.values():
                    if text is None:
                        continue
                    words = _WORD.findall(text.text)
                    for word in words:
                        if "-" in word:
                            found.update(p for p in word.split("-") if len(p) >= LIMIT_WORD)
                    if words and n == len(block.segments) - 1:
                        found.add(words[-1].split("-")[-1])
    return found


_active: ContextVar[Protector | None] = ContextVar("hyphenation_protector", default=None)


@contextmanager
def limited_hyphenation(protector: Protector) -> Iterator[None]:
    """While WeasyPrint lays out, the pyphen dictionaries it creates offer no break in a protected
    word. WeasyPrint builds them as `pyphen.Pyphen(lang=..., left=..., right=...)` and asks
    `iterate(word)`; the class is swapped for the duration and restored after."""
    import pyphen

    original = pyphen.Pyphen

    class Limited(original):  # type: ignore[misc, valid-type]
        def iterate(self, word: str) -> Iterator[tuple[str, str]]:
            if protector.protected(word):
                return iter(())
            return super().iterate(word)  # type: ignore[no-any-return]

    pyphen.Pyphen = Limited
    token = _active.set(protector)
    try:
        yield
    finally:
        _active.reset(token)
        pyphen.Pyphen = original


def active_protector() -> Protector | None:
    """The protector of the `limited_hyphenation` block we are in, if any."""
    return _active.get()


# --- ladders -----------------------------------------------------------------------------------

_TAIL = re.compile(r"([^\W\d_]+)-$")
_HEAD = re.compile(r"^[^\W\d_]+")


def laid_out_paragraphs(document: Any) -> Iterator[list[str]]:
    """The text of each line, per block of running text, in a laid-out WeasyPrint document."""
    from weasyprint.formatting_structure import boxes

    def line_text(box: Any) -> str:
        if isinstance(box, boxes.TextBox):
            return str(box.text)
        return "".join(line_text(c) for c in getattr(box, "children", ()))

    def walk(box: Any) -> Iterator[list[str]]:
        children = getattr(box, "children", ())
        lines = [c for c in children if isinstance(c, boxes.LineBox)]
        if lines:
            yield [line_text(line).rstrip() for line in lines]
        for child in children:
            if not isinstance(child, boxes.LineBox):
                yield from walk(child)

    for page in document.pages:
        yield from walk(page._page_box)


def ladder_words(document: Any, protector: Protector | None = None,
                 limit: int = MAX_LADDER) -> set[str]:  # fmt: skip
    """Words to keep whole so that no more than `limit` hyphenated lines follow each other: in
    each longer run, the word broken at the run's (limit+1)th line; where that line ends in a
    compound's own hyphen (a word the protector already keeps whole), a word broken above it."""
    protector = protector or Protector()
    words: set[str] = set()
    for lines in laid_out_paragraphs(document):
        broken: list[str] = []  # the words broken at the lines of the current run
        for n, line in enumerate(lines):
            tail = _TAIL.search(line)
            if not tail or n + 1 >= len(lines):
                broken = []
                continue
            head = _HEAD.match(lines[n + 1].lstrip())
            broken.append(tail.group(1) + (head.group(0) if head else ""))
            if len(broken) > limit:
                choice = next((w for w in reversed(broken) if not protector.protected(w)), None)
                if choice:
                    words.add(choice)
                broken = []
    return words

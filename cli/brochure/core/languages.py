"""The languages brochure knows, in one registry: each language's code, names, script, sentence
rules, hyphenation and morphology, and how the layouts title its table of contents.

The built-in languages are data files, cli/brochure/data/languages/<code>.toml; adding one is one
such file (see README, Development). A language without morphology says so (`morphology` unset):
the glossary then matches its terms exactly, never by another language's inflection rules.
`register()` adds a language at run time (tests, plugins).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

# inside the brochure package (a folder: pip unpacks it; found without importlib.resources, whose
# import is a tenth of a build with nothing to do)
DATA = Path(__file__).resolve().parent.parent / "data"
_CODE = re.compile(r"^[a-z]{2,3}$")


@dataclass(frozen=True)
class Language:
    code: str  # ISO 639-1 (or -3), as used in brochure.toml and XLIFF
    name: str  # English name
    native: str  # name in the language itself
    locale: str  # BCP 47 tag with region, for DOCX w:lang and PDF /Lang
    script: str = "Latn"  # ISO 15924
    contents: str = "Contents"  # the heading of the table of contents in this language
    # Words that do not end a sentence before a full stop (lower case, no final stop): "т. е." etc.
    abbreviations: frozenset[str] = field(default=frozenset(), repr=False)
    # Of these, the ones that may also end a sentence ("p.m.", "U.S."), and the capitalised words
    # that start sentences ("The", "Nobody"): a break follows such an abbreviation before such a
    # word. Sections "[may end a sentence]" and "[sentence starters]" of the abbreviations file.
    sentence_final: frozenset[str] = field(default=frozenset(), repr=False)
    sentence_starters: frozenset[str] = field(default=frozenset(), repr=False)
    # How WeasyPrint hyphenates it: "pyphen" (pyphen ships a dictionary), a .dic file shipped
    # with the built-in layouts ("hyphenation/hyph_kk_KZ.dic"), or None (no hyphenation).
    hyphenation: str | None = None
    # The glossary's inflection rules for it (brochure.glossary.morph.MORPHOLOGIES), or None:
    # terms are then matched exactly (letter case aside) and never re-inflected.
    morphology: str | None = None
    # Print conventions (brochure.layout.typography): "cyrillic" (« » quotes, spaced em dashes,
    # no-break spaces after short words) or "english" (“ ” quotes, en dashes).
    typography: str = "english"
    # The heading of its column in a side-by-side edition, in the same form for every language
    # ("English", "Русский", "Қазақша"); the native name when not given.
    label: str = ""
    # Letters this language has and the others of its script lack (Kazakh: "әғқңөұүһі"): how
    # `brochure add` tells it from them. Empty: the script's plain language (English, Russian).
    letters: str = ""
    # The colophon's headings in this language ([colophon] in its data file): sources,
    # translators, reviewers, licence; English ones stand in for a language without them.
    colophon: dict[str, str] = field(default_factory=dict, hash=False, compare=False, repr=False)
    # What to say when no argos model translates into or out of it and none can be downloaded
    # (argos-translate has no Kazakh package): how else to get machine drafts. Empty: the usual
    # advice (install an .argosmodel file, or download one).
    mt_hint: str = ""
    # The EPUB's accessibility summary (EPUB Accessibility 1.1) in this language, `{languages}`
    # standing for the edition's languages; none: the book says it in English (SUMMARY) only.
    accessibility_summary: str = ""

    @property
    def column_label(self) -> str:
        """The language's name above its column or passage: its own label, else its native name."""
        return self.label or self.native

    def colophon_label(self, key: str) -> str:
        return self.colophon.get(key) or COLOPHON_LABELS[key]


# The EPUB's accessibility summary in English: every book says it, and each of its languages that
# has its own (Language.accessibility_summary) says it too.
SUMMARY = (
    "Text in {languages}: each paragraph followed by its translation, each passage marked with "
    "its language; headings and a table of contents for navigation; no images."
)


def accessibility_summaries(langs: list[Language]) -> list[tuple[str, str]]:
    """(language code, text) of an edition's accessibility summaries: English first, then each of
    its other languages that has one, naming the edition's languages in their own words."""
    names = ", ".join(language.native for language in langs)
    said = [("en", SUMMARY)] + [
        (language.code, language.accessibility_summary)
        for language in langs
        if language.accessibility_summary and language.code != "en"
    ]
    return [(code, text.replace("{languages}", names)) for code, text in said]


COLOPHON_LABELS = {
    "sources": "Sources",
    "translators": "Translation",
    "reviewers": "Review",
    "licence": "Licence",
}


_REGISTRY: dict[str, Language] = {}


def register(language: Language) -> Language:
    """Add (or replace) a language; returns it."""
    if not _CODE.match(language.code):
        raise ValueError(f"{language.code!r} is not an ISO 639 language code")
    _builtins()
    _REGISTRY[language.code] = language
    return language


def unregister(code: str) -> None:
    """Remove a language added with register() (tests)."""
    _builtins()
    _REGISTRY.pop(code, None)


FINAL, STARTERS = "may end a sentence", "sentence starters"


def _read_sections(name: str) -> dict[str, frozenset[str]]:
    """An abbreviations file: one word a line, `# comments`; `[section]` lines start the lists of
    abbreviations that may end a sentence and of sentence starters."""
    text = (DATA / name).read_text(encoding="utf-8")
    sections: dict[str, set[str]] = {"": set(), FINAL: set(), STARTERS: set()}
    section = ""
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
            sections.setdefault(section, set())
            continue
        sections[section].add(line)
    return {k: frozenset(v) for k, v in sections.items()}


def _builtins() -> dict[str, Language]:
    """The registry, filled from data/languages/*.toml on first use."""
    if not _REGISTRY:
        folder = DATA / "languages"
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if not entry.name.endswith(".toml"):
                continue
            raw = tomllib.loads(entry.read_text(encoding="utf-8"))
            abbreviations = raw.pop("abbreviations", None)
            lists = _read_sections(abbreviations) if abbreviations else {}
            _REGISTRY[raw["code"]] = Language(
                **raw,
                abbreviations=lists.get("", frozenset()) | lists.get(FINAL, frozenset()),
                sentence_final=lists.get(FINAL, frozenset()),
                sentence_starters=lists.get(STARTERS, frozenset()),
            )
    return _REGISTRY


def is_known(code: str) -> bool:
    """Whether `code` is a registered language (brochure.toml may use it)."""
    return code in _builtins()


def get(code: str) -> Language:
    """The registered language `code` (KeyError if it is not: check is_known first)."""
    return _builtins()[code]


def codes() -> tuple[str, ...]:
    """The registered language codes, sorted."""
    return tuple(sorted(_builtins()))


def known_codes() -> str:
    """The registered codes for error messages: 'en, kk, ru'."""
    return ", ".join(codes())

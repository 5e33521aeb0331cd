"""Languages the toolkit knows: codes, names, and the locale tags written into PDF and DOCX."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    code: str  # ISO 639-1, as used in brochure.toml and XLIFF
    name: str  # English name
    native: str  # name in the language itself
    locale: str  # BCP 47 tag with region, for DOCX w:lang and PDF /Lang


LANGUAGES: dict[str, Language] = {
    lang.code: lang
    for lang in (
        Language("en", "English", "English", "en-US"),
        Language("ru", "Russian", "Русский", "ru-RU"),
        Language("kk", "Kazakh", "Қазақ тілі", "kk-KZ"),
    )
}


def is_known(code: str) -> bool:
    return code in LANGUAGES


def get(code: str) -> Language:
    return LANGUAGES[code]


def known_codes() -> str:
    return ", ".join(sorted(LANGUAGES))

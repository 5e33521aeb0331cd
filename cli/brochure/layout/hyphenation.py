"""Kazakh hyphenation for WeasyPrint, which hyphenates through pyphen.

pyphen ships en and ru dictionaries but none for Kazakh, so justified Kazakh text gets wide gaps.
No Kazakh patterns exist in pyphen or Debian; we generate Liang-style patterns from Kazakh
syllabification rules (a syllable has one vowel; a single consonant between vowels starts the next
syllable: қа-ла; in a consonant cluster the break falls before the last consonant: ер-кін,
айт-ты, ұлт-тық; but "ст" and "тр" after a consonant start the syllable together, as in the
loanwords and the -стан names: Қазақ-стан (not Қазақс-тан), от-ставка (not отс-тавка), цен-трі;
у and и between vowels are consonants: ере-уіл; two vowels meet at a compound's seam: Жаңа-өзен)
and register them under pyphen.LANGUAGES["kk"].

The TeX hyph-kk patterns (hyph-utf8, public domain, 2025) were checked against the same cases:
they allow a break between any two consonants, so they give Қазақс-тан and отс-тавкаға as readily
as the right breaks, and ұл-ттық; ours keep the break before the last consonant of a cluster.

The patterns file is generated once into layouts/hyphenation/ (shipped with the package) by `python -m brochure.layout.hyphenation`.

Registration touches pyphen's module-level tables: that is the one clearly named workaround here.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib import resources
from pathlib import Path

from brochure.core import languages

VOWELS = "аәеёиоөуұүыіэюя"
CONSONANTS = "бвгғджзйкқлмнңпрстфхһцчшщ"
SIGNS = "ьъ"  # attach to the consonant before them
PURE_VOWELS = "аәеоөұүыі"  # not the iotated я ю ё nor the glides и у
DICT_NAME = "hyph_kk_KZ.dic"


def patterns() -> list[str]:
    """Liang patterns for Kazakh syllable breaks (odd digit = a permitted break)."""
    out = []
    for v in VOWELS:
        for c in CONSONANTS:
            for w in VOWELS:
                out.append(f"{v}1{c}{w}")  # V-CV
    for c in CONSONANTS + SIGNS:
        for d in CONSONANTS:
            for w in VOWELS:
                out.append(f"{c}1{d}{w}")  # ...C-CV
    for v in PURE_VOWELS:
        for w in PURE_VOWELS:
            out.append(f"{v}1{w}")  # V-V at a compound's seam: Жаңа-өзен
        for glide in "уи":
            for w in VOWELS:
                out.append(f"{v}1{glide}{w}")  # у and и between vowels are consonants: ере-уіл
    for c in CONSONANTS + SIGNS:
        # an onset cluster after a consonant stays whole: Қазақ-стан, от-ставка, цен-трі
        for w in VOWELS:
            out.append(f"{c}1с2т{w}")
            out.append(f"{c}1т2р{w}")
    for c in CONSONANTS:
        out.append(f"{c}2{'ь'}")  # never break before a soft or hard sign
        out.append(f"{c}2{'ъ'}")
    return out


def dictionary_text() -> str:
    """The Kazakh patterns as a pyphen .dic file's text."""
    return "UTF-8\n" + "\n".join(patterns()) + "\n"


def dictionary_path() -> Path:
    """Where the shipped Kazakh .dic file lives."""
    return Path(str(resources.files("brochure.builtin.layouts") / "hyphenation" / DICT_NAME))


def register_hyphenation(codes: Iterable[str]) -> None:
    """Make pyphen (and so WeasyPrint) hyphenate each language whose registry entry names a
    dictionary shipped with the built-in layouts (pyphen's own cover the others)."""
    import pyphen

    for code in codes:
        dic = languages.get(code).hyphenation if languages.is_known(code) else None
        if not dic or not dic.endswith(".dic") or code in pyphen.LANGUAGES:
            continue
        path = Path(str(resources.files("brochure.builtin.layouts").joinpath(*dic.split("/"))))
        for name in (code, languages.get(code).locale.replace("-", "_")):
            pyphen.LANGUAGES[name] = path
            pyphen.LANGUAGES_LOWERCASE[name.lower()] = name


def register_kazakh() -> None:
    """Make pyphen (and so WeasyPrint) hyphenate lang="kk"."""
    register_hyphenation(("kk",))


if __name__ == "__main__":
    from brochure.core.atomic import write_text_atomic

    write_text_atomic(dictionary_path(), dictionary_text())
    print(dictionary_path())

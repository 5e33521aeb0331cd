"""Text helpers more than one stage needs: the normal form of a text, numbers, slugs."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

_NUMBER = re.compile(r"(?<![\d\w])\d{1,3}(?:[\u00a0\u202f ]\d{3})+(?!\d)|\d+(?:[.,]\d+)*")


def normalise(text: str) -> str:
    """The form segment ids and memory matches are computed from: NFC, white space collapsed, trimmed."""
    return " ".join(unicodedata.normalize("NFC", text).split())


# What a person types for what print has: the keyboard's ' and " for typographic quotes and
# apostrophes, - for dashes, е for ё (Russian prints ё or not, a reader searches without it)
_SEARCH_FOLD = str.maketrans(
    {**dict.fromkeys("’‘ʼ`", "'"), **dict.fromkeys("«»“”„", '"'), **dict.fromkeys("‐‑–—", "-"),
     "ё": "е"}
)  # fmt: skip


def search_form(text: str) -> str:
    """The form a text is searched in (the workbench's text filter): compatibility-normalised
    (no-break spaces are spaces), casefolded, typographic quotes, apostrophes and dashes as the
    keyboard types them, ё as е, white space collapsed."""
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_SEARCH_FOLD)
    return " ".join(folded.split())


def numbers(text: str) -> Counter[str]:
    """The numbers in a text with their counts (see number_list)."""
    return Counter(number_list(text))


def number_list(text: str) -> list[str]:
    """The numbers in a text in order, normalised: 10 000 = 10,000 = 10000; 2,5 = 2.5."""
    out: list[str] = []
    for m in _NUMBER.finditer(text):
        raw = re.sub(r"[\u00a0\u202f ]", "", m.group())
        parts = re.split(r"[.,]", raw)
        if len(parts) > 1 and all(len(p) == 3 for p in parts[1:]) and len(parts[0]) <= 3:
            raw = "".join(parts)  # thousands separators
        elif len(parts) == 2:
            raw = f"{parts[0]}.{parts[1]}"
        out.append(raw)
    return out


def slug(text: str, default: str = "", *, unicode: bool = False) -> str:
    """A name safe in file names and ids: runs of other characters become "-", none at the ends.

    ASCII letters, digits, ".", "_" and "-" are kept (with `unicode`, letters of any script too);
    `default` when nothing is left.
    """
    pattern = r"[^\w.-]+" if unicode else r"[^A-Za-z0-9._-]+"
    return re.sub(pattern, "-", text).strip("-.") or default


UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def not_utf8(data: bytes, where: str = "") -> str:
    """The words for a file that is not UTF-8 (`where`: "byte offset 3"), with what it probably
    is: the common two are UTF-16 (Excel's "Unicode Text", Notepad's "Unicode") and Windows-1251
    (Cyrillic from old Word and Excel on Windows)."""
    guess = ""
    if data[:2] in UTF16_BOMS:
        guess = "it is UTF-16, as Excel's 'Unicode Text' saves"
    else:  # words all in Cyrillic letters once read so (Latin-1's "été" would read "йtй")
        words = [w for w in re.findall(r"[^\W\d_]+", data.decode("cp1251", errors="replace"))
                 if not w.isascii()]  # fmt: skip
        cyrillic = sum(bool(re.fullmatch("[\u0400-\u04ff]+", w)) for w in words)
        if cyrillic and cyrillic >= 0.8 * len(words):
            guess = "it looks like Windows-1251 Cyrillic"
    said = ": ".join(part for part in (where, guess) if part)
    return f"not UTF-8 text ({said})" if said else "not UTF-8 text"

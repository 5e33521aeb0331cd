"""Text helpers more than one stage needs: the normal form of a text, numbers, slugs."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

_NUMBER = re.compile(r"(?<![\d\w])\d{1,3}(?:[\u00a0\u202f ]\d{3})+(?!\d)|\d+(?:[.,]\d+)*")


def normalise(text: str) -> str:
    """The form segment ids and memory matches are computed from: NFC, white space collapsed, trimmed."""
    return " ".join(unicodedata.normalize("NFC", text).split())


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

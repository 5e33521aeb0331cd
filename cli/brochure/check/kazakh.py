"""Kazakh checks that need no model: script purity, numbers, dates and names kept.

Machine translation and careless typing put Latin look-alike letters (a, e, o, p, c, x, y, i, h, k)
inside Cyrillic words, or Kazakh in Arabic script; both print fine and are wrong. A translation must
also keep the source's numbers, dates and proper names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from brochure.core.text import number_list as numbers  # the one normaliser: 40,000 = 40 000 = 40000

# Latin letters that look like Cyrillic ones (lower and upper case)
LOOKALIKES = set("aeopcxyiіhkmtbABCEHKMOPTXYI")
KAZAKH_LETTERS = set("аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя")
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_ARABIC = re.compile(r"[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]+")

MONTHS = {
    "january": "қаңтар", "february": "ақпан", "march": "наурыз", "april": "сәуір", "may": "мамыр",
    "june": "маусым", "july": "шілде", "august": "тамыз", "september": "қыркүйек",
    "october": "қазан", "november": "қараша", "december": "желтоқсан",
    "январь": "қаңтар", "января": "қаңтар", "февраль": "ақпан", "февраля": "ақпан", "март": "наурыз",
    "марта": "наурыз", "апрель": "сәуір", "апреля": "сәуір", "мая": "мамыр", "июнь": "маусым",
    "июня": "маусым", "июль": "шілде", "июля": "шілде", "август": "тамыз", "августа": "тамыз",
    "сентябрь": "қыркүйек", "сентября": "қыркүйек", "октябрь": "қазан", "октября": "қазан",
    "ноябрь": "қараша", "ноября": "қараша", "декабрь": "желтоқсан", "декабря": "желтоқсан",
    "sept": "қыркүйек",
}  # fmt: skip
# English abbreviations (Jan, Feb, Mar, ...): the first three letters of every month's name, so
# that _MONTH_EN and this table cannot disagree ("8 Mar 2022" once crashed the check).
MONTHS.update(
    {name[:3]: kk for name, kk in list(MONTHS.items()) if name.isascii() and len(name) > 3}
)


# Small numbers are often written out in words: «сегіз айға жуық» for "almost 8 months".
NUMBER_WORDS = {
    "1": "бір", "2": "екі", "3": "үш", "4": "төрт", "5": "бес", "6": "алты", "7": "жеті",
    "8": "сегіз", "9": "тоғыз", "10": "он", "20": "жиырма", "30": "отыз", "40": "қырық",
    "50": "елу", "100": "жүз",
}  # fmt: skip
_MONTH_EN = re.compile(
    r"\b(January|February|March|April|May|June|July|August|September|October|"
    r"November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b"
)


@dataclass(frozen=True)
class Problem:
    code: str  # mixed-script, arabic-script, number-missing, date-missing
    message: str


def mixed_script_words(text: str) -> list[str]:
    """Words that mix Cyrillic letters with Latin ones (look-alikes typed by mistake or by MT)."""
    found = []
    for m in _WORD.finditer(text):
        word = m.group(0)
        has_cyr = any("\u0400" <= ch <= "\u04ff" for ch in word)
        has_lat = any("a" <= ch.lower() <= "z" for ch in word)
        if has_cyr and has_lat:
            found.append(word)
    return found


def check_kazakh(source: str, target: str) -> list[Problem]:
    """Problems of a Kazakh target against its source (any language)."""
    problems = []
    for word in mixed_script_words(target):
        latin = "".join(ch for ch in word if "a" <= ch.lower() <= "z")
        problems.append(
            Problem("mixed-script", f"«{word}» mixes Latin letters ({latin}) into a Cyrillic word")
        )
    for m in _ARABIC.finditer(target):
        problems.append(
            Problem("arabic-script", f"Arabic script «{m.group(0)}» in Kazakh Cyrillic text")
        )
    target_numbers = numbers(target)
    target_words = [w.lower() for w in re.findall(r"[^\W\d_]+", target)]
    for number in numbers(source):
        spelled = NUMBER_WORDS.get(number)
        if number in target_numbers:
            target_numbers.remove(number)
        elif spelled and any(
            w == spelled or (len(spelled) > 2 and w.startswith(spelled)) for w in target_words
        ):
            continue
        else:
            problems.append(
                Problem("number-missing", f"the number {number} of the source is missing")
            )
    lowered = target.lower()
    months = [m.group(1).lower() for m in _MONTH_EN.finditer(source)]  # English: capitalised only
    months += [
        w for w in re.findall(r"[^\W\d_]+", source.lower()) if w in MONTHS and not w.isascii()
    ]
    for word in months:
        month = MONTHS.get(word)
        if month is None:  # a word the pattern found that the table lacks: nothing to check
            continue
        if month not in lowered:
            problems.append(
                Problem("date-missing", f"the month «{word}» of the source is missing («{month}»)")
            )
    return problems

"""Per-language micro-typography of what is laid out: spaces, quotes and dashes for print.

Applied to the edition just before it is laid out (PDF and DOCX), never to the stored
translations: translators keep typing plain spaces and straight quotes, the brochure gets
Russian/Kazakh book typography and clean English.

- ru, kk: a no-break space after one- and two-letter words («и в стране»), after initials and
  one-letter abbreviations («Н. А. Назарбаев», «т. е.»), before an em dash (a line never starts
  with a dash), between a number and the word or unit after it («1991 г.», «7 января»), around a
  Roman numeral («Часть I», «I бөлім»); a no-break space between thousands («40 000»: narrow
  by default, plain in the PDF and DOCX, see layout.render); quotes «…» with „…“ inside; a
  spaced dash is an em dash.
- en: “…” with ‘…’ inside and ’ as the apostrophe; a spaced hyphen or en dash is a spaced en dash
  (British style, as the sources spell "Programme") with a no-break space before it; no-break
  spaces in "Jun. 30", "7 January", "Part I".
- every language: an en dash in number ranges (4–5 January, 1986–1991), "..." as "…", and the
  last word of a paragraph bound to the one before it when it is short, so a paragraph never
  ends on a lone short word (a runt). Also inside a paragraph, at the end of each sentence, when
  the word before it is short too (RUNT_PULL letters at most): the columns and facing layouts
  cut a long paragraph after whichever sentence a page break falls on, and that sentence's last
  line then ends the page ("байқалып / отыр."); a longer pair would leave the line above it
  half empty in a narrow column ("добывающей / промышленности страны. Звучали"). A final
  compound whose last part is short keeps its hyphen unbreakable (U+2011, in every shipped
  face): "12-hour work- / day." cannot happen.

Why our own and not a library: polytypo (MIT, maintained) is the closest fit, but it has no
Kazakh locale and no way to add one, leaves ranges and the no-break space before a dash alone,
and took 5 ms per sentence here (about 18 s over the 200-page benchmark edition, more than the
whole time budget of the stage); etpgrf (beta) works on HTML through BeautifulSoup and knows ru/en
only; typus has not been released since 2019; smartypants does English quotes only. The rules
below are a few regular expressions per language, each covered by a golden case in
tests/test_typography.py.

Inline spans (emphasis, notes) follow the text: every edit maps old offsets to new ones.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from brochure.core import languages
from brochure.core.datamodel import AlignedBlock, AlignedDocument, Edition, RichText

NBSP = "\u00a0"
NNBSP = "\u202f"  # narrow no-break space: between thousands
NBHY = "\u2011"  # non-breaking hyphen
# A paragraph's last word this short (letters, without its punctuation) is bound to the word
# before it: "ны!", "жүр.", "widely." never stand alone on a paragraph's last line.
RUNT_CHARS = 7
# Inside a paragraph a sentence's short last word is bound only to a word this short or shorter.
RUNT_PULL = 10
# A cover line's last two words are bound when together they are no longer than this: a title or
# subtitle never ends on a line of one word ("…7 қаңтардағы / мәлімдеме", print review C11).
TITLE_TAIL_CHARS = 24
# The same in a heading of the text, whose measure may be a narrow column set large (an h1 in a
# third of an A4 page holds about 20 characters): only a pair this short can never overrun it.
HEADING_TAIL_CHARS = 16
_UPPER = "A-ZА-ЯЁӘҒҚҢӨҰҮҺІ"
_LOWER = "a-zа-яёәғқңөұүһі"
_LETTER = r"[^\W\d_]"
_ROMAN = r"(?:[IVXLC]{1,6})"
_EN_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sep\.|Sept\.|Oct\.|Nov\.|Dec\."
)
# Russian particles that belong to the word before them ("он же", "вряд ли").
_RU_ENCLITICS = ("ли", "ль", "же", "ж", "бы", "б")

Edit = tuple[int, int, str]  # replace text[start:end] with the string


def _cyrillic(lang: str) -> bool:
    """Russian-style print conventions for `lang` (its `typography` in the language registry)."""
    return languages.is_known(lang) and languages.get(lang).typography == "cyrillic"


@dataclass
class QuoteState:
    """Open quotation marks, carried from one segment of a block to the next (a quote may span
    sentences)."""

    stack: list[str] = field(default_factory=list)  # '"' or "'" per open quote, outermost first


def typeset(text: RichText, lang: str, state: QuoteState | None = None, *,
            last: bool = False, sentence: bool = False, thin: str = NNBSP) -> RichText:  # fmt: skip
    """`text` in language `lang` with print typography; `last`: it ends a paragraph;
    `sentence`: a sentence of running text, after which a layout may cut its paragraph."""
    state = state if state is not None else QuoteState()
    rules: list[Callable[[str], list[Edit]]] = [_ellipsis, _ranges]
    rules.append(lambda s: _quotes(s, lang, state))
    if _cyrillic(lang):
        rules += [_cyrillic_dashes, _cyrillic_spaces, _roman_before, lambda s: _thousands(s, thin)]
    else:
        rules += [_english_dashes, _english_spaces]
    rules.append(_roman_numerals)
    if last or sentence:
        rules.append(_runt if last else _sentence_runt)
    for rule in rules:
        edits = rule(text.text)
        if edits:
            text = apply_edits(text, edits)
    return text


def keep_last_words(text: str) -> str:
    """`text` with its last two words bound by a no-break space (a title's last line is never
    one word), unless together they are longer than TITLE_TAIL_CHARS."""
    edits = _last_words(text, TITLE_TAIL_CHARS)
    return apply_edits(RichText(text), edits).text if edits else text


def _last_words(text: str, limit: int) -> list[Edit]:
    """A no-break space between the last two words of `text` if together they take at most
    `limit` characters."""
    m = re.search(r"(\S+)( )(\S+)\s*$", text)
    if not m or len(m.group(1)) + 1 + len(m.group(3)) > limit:
        return []
    return [(m.start(2), m.end(2), NBSP)]


def typeset_plain(text: str, lang: str) -> str:
    """A title or cover line: printed outside the text flow (running heads, cover, outline), where
    the layout cannot narrow a space, so thousands get a plain no-break space."""
    return typeset(RichText(text), lang, thin=NBSP).text


def typeset_edition(edition: Edition, *, thin: str = NNBSP) -> Edition:
    """The edition as it is printed: every segment, title, cover and colophon line typeset per
    language.

    `thin` is the character used between thousands: the narrow no-break space by default; the
    writers ask for a plain no-break space (see layout.render: the PT fonts have none).
    """
    info = edition.info
    langs = info.languages
    plain = _typeset_values
    colophon = info.colophon
    colophon = replace(
        colophon,
        translators=tuple(plain(t) for t in colophon.translators),
        reviewers=tuple(plain(t) for t in colophon.reviewers),
        licence=plain(colophon.licence), note=plain(colophon.note),
        sources={name: plain(texts) for name, texts in colophon.sources.items()},
    )  # fmt: skip
    new_info = replace(
        info, title=plain(info.title), subtitle=plain(info.subtitle),
        publisher=plain(info.publisher), date=plain(info.date), colophon=colophon,
    )  # fmt: skip
    return Edition(info=new_info, documents=_typeset_documents(edition.documents, langs, thin))


# The documents typeset last: (what they were typeset from, the languages, `thin`, the result).
# An edition with a screen and a print PDF is written twice from the same documents (the build
# replaces only its info): they are typeset once (0.2 s of the bench edition's first build).
_last: list[
    tuple[tuple[AlignedDocument, ...], tuple[str, ...], str, tuple[AlignedDocument, ...]]
] = []


def _typeset_documents(
    documents: tuple[AlignedDocument, ...], langs: tuple[str, ...], thin: str
) -> tuple[AlignedDocument, ...]:
    last = _last[0] if _last else None  # read once: the workbench may lay out from two threads
    if last is not None and last[0] is documents and last[1:3] == (langs, thin):
        return last[3]
    docs = tuple(
        AlignedDocument(
            name=doc.name,
            title=_typeset_values(doc.title),
            blocks=tuple(_typeset_block(block, langs, thin) for block in doc.blocks),
        )
        for doc in documents
    )
    _last[:] = [(documents, langs, thin, docs)]
    return docs


def _typeset_values(values: dict[str, str]) -> dict[str, str]:
    return {lang: typeset_plain(v, lang) for lang, v in values.items()}


def _typeset_block(block: AlignedBlock, langs: Iterable[str], thin: str) -> AlignedBlock:
    states = {lang: QuoteState() for lang in langs}
    count = len(block.segments)
    running = block.kind != "heading"
    segments = []
    for n, segment in enumerate(block.segments):
        last = running and n == count - 1
        texts = {
            lang: None if text is None else typeset(
                text, lang, states.setdefault(lang, QuoteState()), last=last, sentence=running,
                thin=thin,
            )
            for lang, text in segment.texts.items()
        }  # fmt: skip
        if not running and n == count - 1:  # "Больше нефти и больше рабочей / крови!"
            texts = {
                lang: text and apply_edits(text, _last_words(text.text, HEADING_TAIL_CHARS))
                for lang, text in texts.items()
            }
        segments.append(replace(segment, texts=texts))
    return replace(block, segments=tuple(segments))


# --- applying edits ---------------------------------------------------------------------------


def apply_edits(text: RichText, edits: list[Edit]) -> RichText:
    """Replace each (start, end) of `text` with its string; spans move with the text around them."""
    edits = sorted(edits)
    out: list[str] = []
    pos = 0
    for start, end, new in edits:
        out.append(text.text[pos:start])
        out.append(new)
        pos = end
    out.append(text.text[pos:])
    if not text.spans:
        return RichText("".join(out))

    def move(p: int, at_end: bool) -> int:
        shift = 0
        for start, end, new in edits:
            if end <= p:
                shift += len(new) - (end - start)
            elif start < p < end:  # inside an edit: snap to its edge
                return start + shift + (len(new) if at_end else 0)
        return p + shift

    spans = tuple(s.moved(move(s.start, False), move(s.end, True)) for s in text.spans)
    return RichText("".join(out), tuple(s for s in spans if s.end > s.start))


def _subs(pattern: re.Pattern[str], text: str, group: int, new: str) -> list[Edit]:
    """One edit per match: the match's `group` becomes `new`."""
    return [(m.start(group), m.end(group), new) for m in pattern.finditer(text)]


# --- every language ---------------------------------------------------------------------------

_ELLIPSIS = re.compile(r"\.{3}\.?(?!\.)|…\.(?!\.)")  # "follow…." is a slip: one ellipsis
# Two numbers joined by a hyphen or dash, not part of a longer chain (a date 2022-01-07, a code).
_RANGE = re.compile(r"(?<![\w.,\-–—/])\d{1,4}([-—‒]|–)\d{1,4}(?![\w\-–—/]|[.,]\d)")


def _ellipsis(text: str) -> list[Edit]:
    return [(m.start(), m.end(), "…") for m in _ELLIPSIS.finditer(text)]


def _ranges(text: str) -> list[Edit]:
    return [(m.start(1), m.end(1), "–") for m in _RANGE.finditer(text) if m.group(1) != "–"]


# A numeral after a word ("Часть I", "Part II") or before one ("I бөлім"): one unit on a line.
_ROMAN_AFTER = re.compile(rf"{_LETTER}( )(?={_ROMAN}(?![\w]))")
_ROMAN_BEFORE = re.compile(rf"(?<![\w]){_ROMAN}( )(?={_LETTER})")


def _roman_numerals(text: str) -> list[Edit]:
    edits = _subs(_ROMAN_AFTER, text, 1, NBSP)
    return edits


def _roman_before(text: str) -> list[Edit]:
    """Kazakh puts the numeral first ("I бөлім", "XX ғасыр"); in English "I" is the pronoun."""
    return _subs(_ROMAN_BEFORE, text, 1, NBSP)


def _runt(text: str, pull: int = 0) -> list[Edit]:
    """Bind a short last word to the one before it (if `pull`, only to a word of at most `pull`
    letters); a short last part of a final compound to the part before it (a non-breaking
    hyphen)."""
    edits: list[Edit] = []
    word = re.search(r"\S+$", text.rstrip())
    if word is None:
        return edits
    # "work-day.": the break after "work-" would leave "day." alone
    tail = re.search(rf"{_LETTER}(-)({_LETTER}[^-]*)$", word.group(0))
    if tail and len(re.sub(r"\W", "", tail.group(2))) < RUNT_CHARS:
        at = word.start() + tail.start(1)
        edits.append((at, at + 1, NBHY))
    m = re.search(r"(\S+)([ ])(\S+)\s*$", text)
    if m:
        letters = re.sub(r"\W", "", m.group(3))
        before = re.sub(r"\W", "", m.group(1))
        if (
            len(letters) < RUNT_CHARS
            and m.group(3) not in "–—-"
            and (not pull or len(before) <= pull)
        ):
            edits.append((m.start(2), m.end(2), NBSP))
    return edits


def _sentence_runt(text: str) -> list[Edit]:
    """A sentence inside a paragraph: bind its short last word to a short word before it."""
    return _runt(text, RUNT_PULL)


# --- quotes ------------------------------------------------------------------------------------

_OPENERS_BEFORE = " \u00a0\t\n([{—–-/«„“‘\"'"


def _quotes(text: str, lang: str, state: QuoteState) -> list[Edit]:
    """Straight and mixed quotation marks as the language's pairs, nested by depth.

    ru/kk: «outer „inner“»; en: “outer ‘inner’”, with ’ as the apostrophe. Whether a straight
    quote opens or closes is read from its neighbours, as a typesetter would.
    """
    cyrillic = _cyrillic(lang)
    pairs = (("«", "»"), ("„", "“")) if cyrillic else (("“", "”"), ("‘", "’"))
    edits: list[Edit] = []
    stack = state.stack
    n = len(text)
    for i, ch in enumerate(text):
        if ch not in "\"'«»„“”‘’‚":
            continue
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < n else " "
        if ch in "'’‘‚" and before.isalnum() and after.isalnum():
            if not cyrillic and ch == "'":
                edits.append((i, i + 1, "’"))  # it's, workers'll
            continue  # an apostrophe inside a word
        if ch in "'’‘‚":
            # single quotes: only English nests them; in ru/kk leave them alone (names, apostrophes)
            if cyrillic:
                continue
            opening = ch in "‘‚" or (
                ch == "'" and before in _OPENERS_BEFORE and not after.isspace()
            )
            if opening:
                stack.append("'")
            elif "'" in stack:
                while stack and stack.pop() != "'":
                    pass
            else:
                if ch == "'":
                    edits.append((i, i + 1, "’"))  # workers' movement: an apostrophe
                continue
            depth = len(stack) if opening else len(stack) + 1
        else:
            if ch in "«„" or (ch == "“" and not cyrillic):
                opening = True
            elif ch in "»”" or (ch == "“" and cyrillic):
                opening = False
            else:  # a straight double quote
                opening = before in _OPENERS_BEFORE and not after.isspace()
                if not opening and not stack and after.isalnum():
                    opening = True  # no quote open: it can only open one
            if ch == "“" and cyrillic and before in _OPENERS_BEFORE and not after.isspace():
                opening = True  # English-style opener in a Russian text
            if opening:
                stack.append('"')
                depth = len(stack)
            else:
                if not stack:
                    continue  # a stray closer: leave it as written
                depth = len(stack)
                stack.pop()
        pair = pairs[0] if depth <= 1 else pairs[1]
        new = pair[0] if opening else pair[1]
        if new != ch:
            edits.append((i, i + 1, new))
    return edits


# --- Russian and Kazakh -----------------------------------------------------------------------

# A spaced hyphen, en dash or em dash between words (or closing an aside before a comma, as in
# "problems –, they": a line must not start with "–,"), or a dash opening a paragraph.
_DASH_END = r"(?:[ \u00a0]|$|[,;:.!?)»”])"  # what may follow a spaced dash
_CY_DASH = re.compile(rf"(?<=\S)([ \u00a0]+)(?:-{{1,3}}|–|—)(?={_DASH_END})")
_CY_DASH_START = re.compile(r"^(?:-{1,2}|–|—)( )")
# A one- or two-letter word binds to the word after it, except an enclitic (же, ли, бы), which
# binds to the word before it (_ENCLITIC) only: "Парламентские же партии" must not become one
# unbreakable run, which would leave the line above it short.
_SHORT_WORD = re.compile(
    rf"(?<![\w\u00ad'’\-.])(?!(?:{'|'.join(_RU_ENCLITICS)}) ){_LETTER}{{1,2}}( )(?=[\w«„(\"“])"
)
_ENCLITIC = re.compile(rf"(?<=\w)( )(?=(?:{'|'.join(_RU_ENCLITICS)})(?![\w-]))")
_INITIAL = re.compile(rf"(?<![\w.])(?:[{_UPPER}]|[{_LOWER}]{{1,2}})\.( )(?=[\w«„\"])")
_NUMBER_WORD = re.compile(r"(?<![\w.,])\d[\d\u00a0\u202f.,]*( )(?=[^\W\d_]|%|‰|₸|₽|\$|€|°)")
_SIGN_NUMBER = re.compile(r"[№§]( )(?=\d)")
_THOUSANDS = re.compile(r"(?<![\d.,])\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d])")


def _spaced_dashes(pattern: re.Pattern[str], text: str, dash: str) -> list[Edit]:
    """Every match of `pattern` (the spaces before a dash and the dash) becomes a no-break space
    and `dash`: the dash never starts a line."""
    return [(m.start(), m.end(), NBSP + dash) for m in pattern.finditer(text)]


def _no_break(patterns: tuple[re.Pattern[str], ...], text: str) -> list[Edit]:
    """A no-break space for the space (group 1) of every match of `patterns`, one edit a space."""
    spans: dict[int, Edit] = {}
    for pattern in patterns:
        for m in pattern.finditer(text):
            spans[m.start(1)] = (m.start(1), m.end(1), NBSP)
    return list(spans.values())


def _cyrillic_dashes(text: str) -> list[Edit]:
    edits = _spaced_dashes(_CY_DASH, text, "—")
    edits += [(m.start(), m.end(), "—" + NBSP) for m in _CY_DASH_START.finditer(text)]
    return edits


def _cyrillic_spaces(text: str) -> list[Edit]:
    return _no_break((_SHORT_WORD, _INITIAL, _NUMBER_WORD, _SIGN_NUMBER, _ENCLITIC), text)


def _thousands(text: str, thin: str) -> list[Edit]:
    edits = []
    for m in _THOUSANDS.finditer(text):
        for i in range(m.start(), m.end()):
            if text[i] in " \u00a0\u202f" and text[i] != thin:
                edits.append((i, i + 1, thin))
    return edits


# --- English ----------------------------------------------------------------------------------

_EN_DASH = re.compile(rf"(?<=\S)([ \u00a0]+)(-{{1,2}}|–)(?={_DASH_END})")
_EN_EMDASH_SPACED = re.compile(rf"(?<=\S)( )(?=—{_DASH_END})")
_EN_MONTH_DAY = re.compile(rf"\b(?:{_EN_MONTHS})( )(?=\d)")
_EN_DAY_MONTH = re.compile(rf"\b\d{{1,2}}( )(?=(?:{_EN_MONTHS}))")
_EN_INITIAL = re.compile(rf"(?<![\w.])[{_UPPER}]\.( )(?=[{_UPPER}])")
_EN_UNIT = re.compile(r"\d( )(?=(?:%|per cent|percent|km|kg|mm|cm|m)\b)")


def _english_dashes(text: str) -> list[Edit]:
    return _spaced_dashes(_EN_DASH, text, "–") + _subs(_EN_EMDASH_SPACED, text, 1, NBSP)


def _english_spaces(text: str) -> list[Edit]:
    return _no_break((_EN_MONTH_DAY, _EN_DAY_MONTH, _EN_INITIAL, _EN_UNIT), text)

"""Tag transfer around the MT engine: a machine draft gets the source segment's emphasis, strong
and links (a link keeps its target).

The engines translate plain text. Placeholders in the text (<1>…</1>, {1}) are not an option:
the argos/OpenNMT models were trained on plain sentences and drop, move or translate them, and
CTranslate2's argos models return no word alignment to map positions with. So:
- a span over the whole segment (a signature, a byline, "Part II will follow") covers the whole
  draft: no engine needed, and it is the common case;
- a span over part of it: its text is translated alone, by the same engine and cache, and found in
  the draft (case-insensitively, without end punctuation); a name kept as is is found as is;
- a span that cannot be placed is left out and named in a note on the unit, and `brochure check`
  warns (inline-markup) until a person places it.
Notes need nothing: a bracketed note is a span because of its brackets (sources.text), and the
engines keep brackets.
"""

from __future__ import annotations

from collections.abc import Callable

from brochure.core.datamodel import RichText, Span

_END = " \t.,;:!?…»«\"'“”„()"
CARRIED = ("em", "strong", "link")  # carried by tag transfer (notes come with their brackets)


def partial_pieces(source: RichText) -> list[str]:
    """The texts of the source's em/strong/link spans that cover only part of it: what the engine
    translates alone."""
    return [
        source.text[s.start : s.end].strip(_END)
        for s in source.spans
        if s.kind in CARRIED and not _whole(source.text, s)
    ]


def transfer_spans(
    source: RichText, draft: str, piece: Callable[[str], str]
) -> tuple[RichText, list[str]]:
    """The draft with the source's em/strong/link spans placed (see the module doc), and a note for
    each span that could not be placed. `piece(text)` is the engine's translation of a span's text."""
    spans: list[Span] = []
    lost: list[str] = []
    for span in source.spans:
        if span.kind not in CARRIED:
            continue
        if _whole(source.text, span):
            start = len(draft) - len(draft.lstrip())
            end = len(draft.rstrip())
            if end > start:
                spans.append(span.moved(start, end))
            continue
        text = source.text[span.start : span.end].strip(_END)
        place = _find(draft, piece(text)) or _find(draft, text)
        if place:
            spans.append(span.moved(*place))
        else:
            lost.append(f"inline markup not carried into the machine draft: {span.kind} «{text}»")
    spans.sort(key=lambda s: (s.start, -s.end))
    return RichText(draft, tuple(spans)), lost


def _whole(text: str, span: Span) -> bool:
    """Whether the span covers all of the text but white space and end punctuation."""
    return not text[: span.start].strip(_END) and not text[span.end :].strip(_END)


def _find(draft: str, wanted: str) -> tuple[int, int] | None:
    """Where `wanted` (without end punctuation) occurs in the draft, ignoring case."""
    wanted = wanted.strip(_END)
    if not wanted:
        return None
    at = draft.casefold().find(wanted.casefold())
    if at < 0 or len(draft.casefold()) != len(draft):  # casefold changed lengths: offsets unsafe
        at = draft.find(wanted)
    return (at, at + len(wanted)) if at >= 0 else None

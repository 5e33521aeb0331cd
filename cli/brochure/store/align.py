"""`brochure align`: pair an existing human translation with a project document, unit by unit.

Two passes, both Gale-Church (length-based dynamic programming, Gale & Church 1993): first the
paragraphs (blocks in order; a heading only pairs cheaply with a heading when the translation is
Markdown), then the sentences inside each pair of paragraphs. Anchors move the cost: numbers and
Latin-script words (names, acronyms) found on both sides make a pairing cheaper, numbers found on
one side only make it dearer. Why our own small DP rather than the `galechurch` package
(research/text.md): it takes no anchors, and our paragraphs have a handful of sentences each, so
the quadratic DP costs nothing.

The pairs become `reviewed` units (origin `align`); the pairs the aligner is unsure of (a paragraph
or sentence left over, two sentences translated as one, lengths far from the document's ratio,
numbers that differ) become `translated` units with a note, and are listed for a person to check.
Units already reviewed or final, and targets a person wrote (origin human, via an XLIFF import or
the workbench), are never touched; machine drafts are replaced.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from brochure.core.errors import AlignError
from brochure.core.text import number_list

if TYPE_CHECKING:
    from brochure.core.project import DocumentSpec, Project

# Gale-Church priors of the bead types (source sentences, target sentences)
PRIORS = {(1, 1): 0.89, (1, 0): 0.005, (0, 1): 0.005, (2, 1): 0.0445, (1, 2): 0.0445, (2, 2): 0.011}
PARAGRAPH_BEADS = ((1, 1), (1, 0), (0, 1), (2, 1), (1, 2))
VARIANCE = 6.8  # Gale-Church's s^2 for character lengths
UNSURE_COST = 6.0  # a 1-1 bead dearer than this (|z| > ~3) is listed for a person to check
_LATIN = re.compile(r"\b[A-Za-z][A-Za-z'-]{2,}\b")
_SPLIT_AFTER = re.compile(r"[.!?…;:»)\]][\"'»”’)]*\s+")


@dataclass
class Pair:
    """Source segments (one, or several the translation merged) and the translated text given them."""

    block: int  # index of the source block
    segment_ids: tuple[str, ...]
    source: str
    target: str
    unsure: str = ""  # why a person should check the pair; empty when sure


@dataclass
class AlignResult:
    document: str
    lang: str
    pairs: list[Pair] = field(default_factory=list)
    leftovers: list[str] = field(default_factory=list)  # translation paragraphs with no source
    stored: int = 0
    kept: int = 0  # units already reviewed or final: left as they were
    store: Path | None = None

    @property
    def unsure(self) -> list[Pair]:
        return [p for p in self.pairs if p.unsure]


# -- the dynamic programme -------------------------------------------------------------------------
def _phi(z: float) -> float:
    return 0.5 * (1 + math.erf(z / math.sqrt(2)))


def length_cost(ls: int, lt: int, ratio: float) -> float:
    """-log P(match | lengths): Gale-Church's z of the length difference."""
    if ls == 0 and lt == 0:
        return 0.0
    mean = (ls + lt / ratio) / 2
    z = (ls * ratio - lt) / math.sqrt(VARIANCE * max(mean, 1.0) * ratio)
    p = 2 * (1 - _phi(abs(z)))
    return -math.log(max(p, 1e-12))


def anchors(text: str) -> tuple[set[str], set[str]]:
    """Numbers and Latin-script words (names, acronyms) of a text: they survive translation."""
    return set(number_list(text)), {w.lower() for w in _LATIN.findall(text)}


def anchor_cost(src: str, tgt: str) -> float:
    """Cheaper when numbers and Latin-script names agree: they survive translation."""
    sn, sw = anchors(src)
    tn, tw = anchors(tgt)
    cost = 1.5 * len(sn ^ tn) - 1.0 * len(sn & tn)
    if tw:  # a target in another script shares Latin words only where names or acronyms are kept
        cost -= 0.5 * len(sw & tw)
    return max(cost, -4.0)


def align_sequences(
    src: Sequence[str], tgt: Sequence[str], ratio: float, beads: Sequence[tuple[int, int]],
    extra: Callable[[int, int, int, int], float] | None = None, gap_length: bool = True,
) -> list[tuple[int, int, int, int, float]]:  # fmt: skip
    """Best path of beads (i0, i1, j0, j1, cost) covering src[i0:i1] and tgt[j0:j1]."""
    n, m = len(src), len(tgt)
    inf = float("inf")
    best = [[inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int, float] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    slen = [len(s) for s in src]
    tlen = [len(t) for t in tgt]
    for i in range(n + 1):
        for j in range(m + 1):
            if i == j == 0:
                continue
            for di, dj in beads:
                if di > i or dj > j or best[i - di][j - dj] == inf:
                    continue
                ls, lt = sum(slen[i - di : i]), sum(tlen[j - dj : j])
                cost = -math.log(PRIORS[(di, dj)])
                if (di and dj) or gap_length:  # a left-over sentence may pay its prior only: with
                    cost += length_cost(
                        ls, lt, ratio
                    )  # the length term a dropped one reads as a merge
                if di and dj:
                    cost += anchor_cost(" ".join(src[i - di : i]), " ".join(tgt[j - dj : j]))
                if extra:
                    cost += extra(i - di, i, j - dj, j)
                total = best[i - di][j - dj] + cost
                if total < best[i][j]:
                    best[i][j] = total
                    back[i][j] = (di, dj, cost)
    path = []
    i, j = n, m
    while i or j:
        step = back[i][j]
        assert step is not None
        di, dj, cost = step
        path.append((i - di, i, j - dj, j, cost))
        i, j = i - di, j - dj
    return path[::-1]


def split_target(text: str, lengths: Sequence[int]) -> list[str]:
    """Cut one translated sentence into len(lengths) pieces in proportion to the source lengths."""
    if len(lengths) == 1:
        return [text]
    total = sum(lengths) or 1
    want = len(text) * lengths[0] / total
    points = [m.end() for m in _SPLIT_AFTER.finditer(text) if 0 < m.end() < len(text)]
    points = (
        points
        or [m.end() for m in re.finditer(r",\s+", text)]
        or [m.end() for m in re.finditer(r"\s+", text)]
    )
    if not points:
        return [text] + [""] * (len(lengths) - 1)
    cut = min(points, key=lambda p: abs(p - want))
    return [text[:cut].strip(), *split_target(text[cut:].strip(), lengths[1:])]


# -- aligning a document ---------------------------------------------------------------------------
def find_document(project: Project, source: Path) -> DocumentSpec:
    """The project document SOURCE names (a path or a document name)."""
    resolved = Path(source).resolve()
    for document in project.documents:
        if document.path == resolved or document.name == str(source):
            return document
    names = ", ".join(d.name for d in project.documents)
    raise AlignError(f"{source}: not a document of the project {project.path} (documents: {names})")


def align_document(project: Project, source: Path, translation: Path, lang: str) -> AlignResult:
    """Align a human translation with a project document (no store is changed)."""
    from brochure.segmentation.documents import segment_source
    from brochure.segmentation.rules import project_segmenter, segment_block
    from brochure.sources.text import read_document

    project.select_targets([lang])
    document = find_document(project, source)
    seg = segment_source(project, document)
    if translation.suffix.lower() not in (".md", ".markdown", ".txt", ".text"):
        raise AlignError(
            f"{translation}: unsupported format {translation.suffix!r} (use .md or .txt)"
        )
    tdoc = read_document(translation, lang)
    segmenter = project_segmenter(project, lang)
    use_kinds = translation.suffix.lower() in (".md", ".markdown")

    src_blocks = [i for i, _ in enumerate(seg.document.blocks) if seg.block_segments(i)]
    src_texts = [seg.document.blocks[i].text for i in src_blocks]
    tgt_texts = [b.text for b in tdoc.blocks]
    ratio = max(sum(map(len, tgt_texts)), 1) / max(sum(map(len, src_texts)), 1)

    def kinds(i0: int, i1: int, j0: int, j1: int) -> float:
        if not use_kinds or i1 - i0 != 1 or j1 - j0 != 1:
            return 0.0
        a, b = seg.document.blocks[src_blocks[i0]].kind, tdoc.blocks[j0].kind
        return 0.0 if (a == "heading") == (b == "heading") else 4.0

    result = AlignResult(document=document.name, lang=lang)
    for i0, i1, j0, j1, cost in align_sequences(
        src_texts, tgt_texts, ratio, PARAGRAPH_BEADS, kinds
    ):
        if i0 == i1:
            result.leftovers.extend(tgt_texts[j0:j1])
            continue
        segments = [s for b in src_blocks[i0:i1] for s in seg.block_segments(b)]
        block = src_blocks[i0]
        if j0 == j1:
            for s in segments:
                result.pairs.append(
                    Pair(block, (s.id,), s.text, "", "no translated paragraph for it")
                )
            continue
        why = ""
        if (i1 - i0, j1 - j0) != (1, 1):
            why = f"{i1 - i0} source paragraph(s) paired with {j1 - j0} translated"
        elif cost > UNSURE_COST:
            why = "paragraph lengths far from the document's ratio"
        sentences: list[str] = []
        for b in tdoc.blocks[j0:j1]:
            sentences.extend(b.text[a:z] for a, z in segment_block(b, segmenter))
        result.pairs.extend(_align_sentences(block, segments, sentences, ratio, why))
    return result


def _align_sentences(
    block: int, segments: list, sentences: list[str], ratio: float, why: str
) -> list[Pair]:
    if len(segments) == 1:
        s = segments[0]
        target = " ".join(sentences)
        return [Pair(block, (s.id,), s.text, target, why or _number_doubt(s.text, target))]
    pairs: list[Pair] = []
    texts = [s.text for s in segments]
    for i0, i1, j0, j1, cost in align_sequences(
        texts, sentences, ratio, tuple(PRIORS), gap_length=False
    ):
        target = " ".join(sentences[j0:j1])
        if i0 == i1:  # a translated sentence with no source: attach it to the previous pair
            if pairs:
                pairs[-1].target = f"{pairs[-1].target} {target}".strip()
                pairs[-1].unsure = (
                    pairs[-1].unsure or "a translated sentence more than the source has"
                )
            continue
        group = segments[i0:i1]
        pieces = split_target(target, [len(s.text) for s in group]) if target else [""] * len(group)
        for s, piece in zip(group, pieces, strict=True):
            doubt = why
            if not doubt and not piece:
                doubt = "no translated sentence for it"
            elif not doubt and len(group) > 1:
                doubt = f"{len(group)} source sentences translated as {j1 - j0}: split by length"
            elif not doubt and cost > UNSURE_COST + -math.log(PRIORS[(i1 - i0, j1 - j0)]):
                doubt = "sentence lengths far from the document's ratio"
            pairs.append(Pair(block, (s.id,), s.text, piece, doubt or _number_doubt(s.text, piece)))
    return pairs


def _number_doubt(src: str, tgt: str) -> str:
    sn, tn = anchors(src)[0], anchors(tgt)[0]
    if sn != tn:
        return f"numbers differ ({', '.join(sorted(sn)) or '-'} / {', '.join(sorted(tn)) or '-'})"
    return ""


def align_translation(project: Project, source: Path, translation: Path, lang: str) -> AlignResult:
    """Align and store the pairs in translations/<document>.<lang>.xlf (never over approved units
    or a person's draft)."""
    from brochure.core.datamodel import RichText
    from brochure.segmentation.documents import segment_source
    from brochure.store.xliff import MACHINE_ORIGINS, open_store

    result = align_document(project, source, translation, lang)
    document = find_document(project, source)
    store = open_store(project, document, lang)
    store.sync(segment_source(project, document).segments)
    try:
        where = translation.resolve().relative_to(project.root).as_posix()
    except ValueError:
        where = str(translation)
    for pair in result.pairs:
        if not pair.target:
            continue
        for uid in pair.segment_ids:
            unit = store.get(uid)
            if unit is None:
                continue
            if unit.approved or (
                unit.has_target and unit.meta.get("origin") not in MACHINE_ORIGINS
            ):
                result.kept += 1  # approved, or a person's own draft (xliff import, workbench)
                continue
            note = f"align: unsure: {pair.unsure}" if pair.unsure else None
            store.set_target(uid, RichText(pair.target), "translated" if pair.unsure else "reviewed",
                             meta={"origin": "align", "align-source": where}, note=note)  # fmt: skip
            result.stored += 1
    store.save()
    result.store = store.path
    return result

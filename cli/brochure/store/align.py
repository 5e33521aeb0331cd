"""`brochure align`: pair an existing human translation with a project document, unit by unit.

Two passes of one dynamic programme (Gale & Church 1993): the paragraphs (blocks in order), then
the sentences inside each pair of paragraphs. A bead's cost is its prior, the length difference
(Gale-Church's z) and anchors: numbers, names (a name in Cyrillic is read in Latin letters,
Жаңаөзен ~ Zhanaozen) and the glossary's concepts (as hunalign uses a dictionary) found on both
sides make it cheaper, numbers found on one side only dearer; a
heading paired with a paragraph (Markdown), or one sentence with sentences of two paragraphs,
dearer still. A sentence or heading left out pays its prior only, a paragraph a little more (see
PARAGRAPH_GAP): with Gale-Church's full length term, leaving out a long paragraph cost more than
cutting its neighbours' translation apart, and a partial translation was spread in pieces over the
whole document; one left out right after another costs little (affine gaps: a partial
translation lacks runs of paragraphs). The whole texts' length ratio is wrong for a partial
translation: a second pass uses the ratio of the paragraphs the first paired. Why our own small DP rather than the
`galechurch` package (research/text.md): it takes no anchors and gives no confidence.

How sure a link is: its posterior probability over all the ways the texts could pair
(forward-backward over the same costs), not only its own cost, as Moore's aligner (2002) keeps
only the 1-1 beads its length model gives a posterior above 0.99. So a link next to a paragraph
left out, where the gap could as well sit one place on, is unsure unless anchors pin it (hunalign's
-cautious distrusts every link whose neighbours are not 1-1; its -thresh drops links of low score).
What the aligner is not sure of goes to a person, as those aligners leave it out of their output:

- a sure link of whole sentences (one source sentence, one or more translated ones) is stored
  `reviewed`, origin `align`;
- an unsure one is offered, never approved: in a unit with no target, as `initial` with a note;
  beside a machine draft (kept) as a note carrying the translation's sentence;
- a source sentence with no translated counterpart, or several the translation made one sentence
  of, is left as it was and listed: a translated sentence is never cut to fill two units (it is
  offered in a note on the first of the sentences it translates);
- units already reviewed or final, and targets a person wrote (origin human, via an XLIFF import or
  the workbench), are never touched; machine drafts give way to sure links only.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from brochure.core.errors import AlignError
from brochure.core.text import number_list

if TYPE_CHECKING:
    from brochure.core.datamodel import Segment
    from brochure.core.project import DocumentSpec, Project

# Gale-Church priors of the bead types (source sentences, target sentences)
PRIORS = {(1, 1): 0.89, (1, 0): 0.005, (0, 1): 0.005, (2, 1): 0.0445, (1, 2): 0.0445, (2, 2): 0.011}
# Paragraphs: a translator keeps them far more strictly than sentences; merging two is as rare as
# leaving one out (with the sentences' 4.5% two short paragraphs merged cost less than one left out)
PARAGRAPH_PRIORS = {(1, 1): 0.98, (1, 0): 0.005, (0, 1): 0.005, (2, 1): 0.005, (1, 2): 0.005}
VARIANCE = 6.8  # Gale-Church's s^2 for character lengths
# What leaving out a paragraph costs beyond its prior, at most: Gale-Church's full length term
# (its z grows with the square root of the length) made a long paragraph dearer to leave out than
# to cut its neighbours' translation apart; none at all made a short one cheaper to leave out than
# to pair two paragraphs that differ in length (a sentence dropped from one, added to the next).
# A sentence left out pays its prior only (with the length term a dropped one reads as a merge).
PARAGRAPH_GAP = 4.0
# A paragraph left out right after another pays only this: a partial translation lacks runs of
# them, and with every one at full price, merging two paragraphs into one pair (they may fit a
# translated paragraph's length by chance) saved a gap, and drew the third paragraph of a
# translation of the statement's first three to the statement's end. Cheaper (1.0) bunched gaps
# that belong apart: with every other paragraph left out, it shifted the list items by one and
# stored three of them reviewed with their neighbours' text.
PARAGRAPH_EXTEND = 5.0
UNSURE_COST = 6.0  # a 1-1 bead dearer than this (|z| > ~3) is listed for a person to check
# The posterior probability a link needs to be stored as reviewed. Moore's 0.99 is for a model of
# lengths alone; with our anchors and kinds (costs, not calibrated probabilities) it left right
# links unsure even in the whole Russian programme (11 of 45) and the Russian programme without
# its headings (11 of 40), while 0.9 passes every one of them and stops the links a gap could shift.
SURE = 0.9
UNSURE = "align: unsure: "  # how an unsure pair's note starts (a later sure run drops it)
KIND_COST = 4.0  # a heading paired with a paragraph (Markdown)
MERGE_KIND_COST = 12.0  # a heading merged with a paragraph, or headings with one: never done
BLOCK_COST = 4.0  # one translated sentence for sentences of two paragraphs (or the reverse)
# A translation of another document still pairs by lengths here and there: when this part of the
# pairs or more is unsure, nothing is stored (the seed texts' Kazakh programme given as the
# statement's translation: 9 of 10 unsure, the reverse 13 of 14; their partial and unequal
# translations leave at most 8 of 19 unsure, every other paragraph left out)
WRONG_FILE = 2 / 3
MIN_PAIRS = 4
# An alignment from the ratio 1 that pairs this part of the translated paragraphs 1-1 surely is
# kept without trying the whole texts' ratio (see align_document). In the tests' partial and
# unequal translations, whenever it reaches this (29 of 30 at least), it was the cheaper one too
SURE_SHARE = 0.9
TERM_WEIGHT = 3.0  # what a pair whose glossary concepts all agree saves
# The dynamic programme runs in a band of BAND items either side of the diagonal (hunalign's
# idea: a translation keeps close to it; see _Table), widened and run again where the best path
# comes within MARGIN cells of the band's edge (a bead takes at most 2), or the paths through
# the outer MARGIN cells weigh more than EDGE_MASS of all (the posteriors leave out those beyond)
BAND = 16
COARSE = 8  # a long text's band follows the alignment of blocks of this many items at first
MARGIN = 3
EDGE_MASS = 1e-6
_LATIN = re.compile(r"\b[A-Za-z][A-Za-z'-]{2,}\b")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
# Latin spellings of one sound, so that both sides of a name read alike (Qyzylorda ~ Kyzylorda)
_SPELLINGS = (("gh", "g"), ("kh", "k"), ("q", "k"), ("ng", "n"), ("zh", "z"), ("sh", "s"))


@dataclass
class Pair:
    """Source segments (one, or several the translation merged) and the translated text given them."""

    block: int  # index of the source block
    segment_ids: tuple[str, ...]
    source: str
    target: str  # whole translated sentences, never a piece of one ("" when none)
    unsure: str = ""  # why a person should check the pair; empty when sure
    left: bool = False  # nothing is stored for these segments (see `unsure` for why)


@dataclass(frozen=True)
class Link:
    """A bead of the best alignment: src[i0:i1] with tgt[j0:j1], its cost and posterior probability."""

    i0: int
    i1: int
    j0: int
    j1: int
    cost: float
    posterior: float


@dataclass
class AlignResult:
    document: str
    lang: str
    pairs: list[Pair] = field(default_factory=list)
    leftovers: list[str] = field(default_factory=list)  # translation paragraphs with no source
    aligned: int = 0  # units stored as reviewed
    offered: int = 0  # unsure units given the translation's text as `initial`
    noted: int = 0  # unsure units whose draft stays, the translation's text in a note
    left: int = 0  # units left as they were: no counterpart, or merged in the translation
    kept: int = 0  # units already reviewed or final, or a person's: left as they were
    store: Path | None = None

    @property
    def unsure(self) -> list[Pair]:
        return [p for p in self.pairs if p.unsure and not p.left]

    @property
    def unpaired(self) -> list[Pair]:
        return [p for p in self.pairs if p.left]


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


@lru_cache(maxsize=65536)
def name_key(word: str) -> str:
    """A capitalised word as its first three consonants in Latin letters: Тоқаев and Tokayev
    both read `tkv`, Жаңаөзен and Zhanaozen `znz`; "" when fewer than three are left."""
    from anyascii import anyascii

    latin = re.sub(r"(.)\1+", r"\1", anyascii(word).lower())  # Маңғыстау: mangghystau
    for spelling, sound in _SPELLINGS:
        latin = latin.replace(spelling, sound)
    consonants = re.sub(r"(.)\1+", r"\1", re.sub(r"[^bcdfgjklmnprstvxz]", "", latin))
    return consonants[:3] if len(consonants) >= 3 else ""


def names(text: str) -> set[str]:
    """The name keys of a text's capitalised words (see name_key)."""
    return {k for w in _WORD.findall(text) if w[0].isupper() and (k := name_key(w))}


Features = tuple[frozenset[str], frozenset[str], frozenset[str]]  # numbers, Latin words, names
_NONE: Features = (frozenset(), frozenset(), frozenset())


@lru_cache(maxsize=4096)  # a text's sentences are aligned with several passes and candidates
def _features(text: str) -> Features:
    numbers, latin = anchors(text)
    return frozenset(numbers), frozenset(latin), frozenset(names(text))


def anchor_cost(src: str, tgt: str) -> float:
    """Cheaper when numbers and names agree: they survive translation."""
    return _anchor_cost(_features(src), _features(tgt))


def _anchor_cost(src: Features, tgt: Features) -> float:
    sn, sw, sk = src
    tn, tw, tk = tgt
    cost = 1.5 * len(sn ^ tn) - 1.0 * len(sn & tn)
    if tw:  # a target in another script shares Latin words only where names or acronyms are kept
        cost -= 0.5 * len(sw & tw)
    cost -= 0.75 * len(sk & tk)
    return max(cost, -6.0)


Terms = Callable[[str, str], Collection[str]]  # (text, language) -> the glossary concepts in it


class _Concepts:
    """The glossary concepts of source and translated texts (none without a glossary)."""

    def __init__(self, terms: Terms | None, src_lang: str, tgt_lang: str):
        self.terms, self.src_lang, self.tgt_lang = terms, src_lang, tgt_lang

    def source(self, text: str) -> frozenset[str]:
        return frozenset(self.terms(text, self.src_lang)) if self.terms else frozenset()

    def target(self, text: str) -> frozenset[str]:
        return frozenset(self.terms(text, self.tgt_lang)) if self.terms else frozenset()


def term_cost(src: Sequence[frozenset[str]], tgt: Sequence[frozenset[str]]) -> float:
    """Cheaper as more of the glossary's concepts are found on both sides (Dice): the terms a
    translation must use anchor it as hunalign's dictionary does; a paragraph merged with one the
    translation lacks shares a smaller part of its concepts, so merges earn no more than pairs."""
    a, b = frozenset().union(*src), frozenset().union(*tgt)
    if not a and not b:
        return 0.0
    return -TERM_WEIGHT * 2 * len(a & b) / (len(a) + len(b))


def _logsumexp(values: list[float]) -> float:
    if len(values) < 2:
        return values[0] if values else -math.inf
    top = max(values)
    if top == -math.inf:
        return top
    return top + math.log(sum([math.exp(v - top) for v in values]))


def align_sequences(
    src: Sequence[str], tgt: Sequence[str], ratio: float, beads: Mapping[tuple[int, int], float],
    extra: Callable[[int, int, int, int], float] | None = None,
    gap_length: float | tuple[Sequence[float], Sequence[float]] = math.inf,
    extend: float | None = None, band: int | None = BAND,
) -> list[Link]:  # fmt: skip
    """The best path of beads covering src and tgt, each with its posterior probability; an item
    left out pays its prior and at most `gap_length` of the length term (one cap, or one per item
    of src and of tgt); with `extend`, one left out right after another of the same side pays
    that only (affine gaps, as Gotoh's: a partial translation lacks runs of paragraphs).
    Computed in a band of `band` items either side of the diagonal, widened while paths come
    near its edge (see `_Table.solve`); `band=None`: the whole table."""
    return _Table(src, tgt, ratio, beads, extra, gap_length, extend).solve(band)


class _Table:
    """The dynamic programme of `align_sequences` over the cells of a band.

    As hunalign, only the cells near the diagonal from (0, 0) to (n, m) are computed (a book's
    translation keeps close to it), or near a path known to be close: an earlier pass's, or in a
    long text that of the alignment of blocks (vecalign's coarse-to-fine). Unlike hunalign, which
    keeps its band and warns, the band is doubled, around the path found, on the side and in the
    rows where the best path came within MARGIN cells of its edge or the paths through its edge
    weigh more than EDGE_MASS of all (the posteriors would miss them), and the programme run
    again: a partial translation lacking a run of paragraphs strays from the diagonal by half the
    run. The cost is O(n x band) instead of O(n x m); `band=None` gives the full computation,
    which the tests and the benchmark compare it with."""

    def __init__(
        self, src: Sequence[str], tgt: Sequence[str], ratio: float,
        beads: Mapping[tuple[int, int], float], extra: Callable[[int, int, int, int], float] | None,
        gap_length: float | tuple[Sequence[float], Sequence[float]], extend: float | None,
    ) -> None:  # fmt: skip
        self.src, self.tgt, self.priors = src, tgt, beads
        self.n, self.m = n, m = len(src), len(tgt)
        if isinstance(gap_length, tuple):
            self.src_gap, self.tgt_gap = list(gap_length[0]), list(gap_length[1])
        else:
            self.src_gap, self.tgt_gap = [gap_length] * n, [gap_length] * m
        self.ratio, self.extra, self.extend = ratio, extra, extend
        # (di, dj, the kind of bead, -log prior), in the order of `beads` (it breaks ties)
        self.beads = [(di, dj, _kind(di, dj), -math.log(p)) for (di, dj), p in beads.items()]
        self.src_end = list(itertools.accumulate((len(s) for s in src), initial=0))
        self.tgt_end = list(itertools.accumulate((len(t) for t in tgt), initial=0))
        # the anchors of the items ending at each index, one or two together (by bead size)
        self.src_features = _joined_features(src, max(di for di, _ in beads))
        self.tgt_features = _joined_features(tgt, max(dj for _, dj in beads))
        self.costs: dict[tuple[int, int, int], float] = {}  # kept when the band is widened

    def cost(self, i: int, j: int, b: int) -> float:
        """The cost of bead `b` ending at (i, j) (after a bead of another kind)."""
        key = (i, j, b)
        cost = self.costs.get(key)
        if cost is None:
            di, dj, _, cost = self.beads[b]
            lengths = length_cost(self.src_end[i] - self.src_end[i - di],
                                  self.tgt_end[j] - self.tgt_end[j - dj], self.ratio)  # fmt: skip
            if di and dj:
                cost += lengths
                cost += _anchor_cost(self.src_features[di][i], self.tgt_features[dj][j])
            else:
                cost += min(lengths, self.src_gap[i - 1] if di else self.tgt_gap[j - 1])
            if self.extra:
                cost += self.extra(i - di, i, j - dj, j)
            self.costs[key] = cost
        return cost

    def solve(
        self, band: int | None, widen: bool = True, guide: Sequence[Link] | None = None,
        coarse: bool = True,
    ) -> list[Link]:  # fmt: skip
        """The best path in a band of `band` items either side of the path `guide` (e.g. an
        earlier pass's; else, in a long text, that of the `coarse` alignment of blocks of COARSE
        items; else the diagonal), doubled around the path it found until no path comes near
        its edge (unless not to `widen`: the tests show what that misses)."""
        n, m = self.n, self.m
        if guide is None and coarse and band is not None and min(n, m) >= 4 * max(band, COARSE):
            guide = self._coarse(band)
        if band is None or n == 0 or m == 0 or 2 * band >= m:
            return self._run([0] * (n + 1), [m] * (n + 1))[0]
        if guide is None:  # the diagonal
            low = [math.floor(i * m / n) for i in range(n + 1)]
            high = [math.ceil(i * m / n) for i in range(n + 1)]
            below = [max(band, math.ceil(m / n) + 2)] * (n + 1)  # the band's rows must overlap
        else:
            low, high = _cells(guide, n, m)
            below = [band] * (n + 1)
        above = below[:]
        while True:
            lo = [max(0, j - w) for j, w in zip(low, below, strict=True)]
            hi = [min(m, j + w) for j, w in zip(high, above, strict=True)]
            links, near = self._run(lo, hi)
            if not near or not widen:
                return links
            # around the path found, the band doubled on the side where paths came near its
            # edge, in the rows near those where they did (twice as many rows either side as it
            # was wide: a path strays from a column by one a row, leaving items out)
            low, high = _cells(links, n, m)
            for side, width in ((0, below), (1, above)):
                wider = [0] * (n + 2)
                for i in (i for i, edge in near if edge == side):
                    wider[max(0, i - 2 * width[i])] += 1
                    wider[min(n + 1, i + 2 * width[i] + 1)] -= 1
                for i, inside in enumerate(itertools.accumulate(wider[: n + 1])):
                    if inside:
                        width[i] *= 2

    def _coarse(self, band: int) -> list[Link]:
        """The path of the same programme over blocks of COARSE items (vecalign's coarse-to-fine
        step), in items: a translation lacking a run of paragraphs strays from the diagonal by
        half the run, and a band widened from the diagonal till it reaches the path costs
        O(n x run); around this path, the band is narrow from the start. A block left out or
        merged stands for COARSE items left out or merged: its bead's prior to the COARSE-th
        power; a block left out pays at most what its items' caps add up to, one after another
        what its items would. (At the items' priors, the length term being at most 27.6, a
        block left out after a pair cost less than one after another, and a translation of a
        book's first half had its blocks paired with blocks spread over the rest of the book: a
        guide so far from the path found that the band was widened 16 times.)"""
        k = COARSE

        def blocks(items: Sequence[str]) -> list[str]:
            return [" ".join(items[a : a + k]) for a in range(0, len(items), k)]

        def caps(gaps: list[float]) -> list[float]:
            return [sum(gaps[a : a + k]) for a in range(0, len(gaps), k)]

        extend = None if self.extend is None else self.extend * k
        priors = {bead: p if bead == (1, 1) else p**k for bead, p in self.priors.items()}
        table = _Table(blocks(self.src), blocks(self.tgt), self.ratio, priors, None,
                       (caps(self.src_gap), caps(self.tgt_gap)), extend)  # fmt: skip
        n, m = self.n, self.m
        return [Link(min(c.i0 * k, n), min(c.i1 * k, n), min(c.j0 * k, m), min(c.j1 * k, m),
                     c.cost, c.posterior) for c in table.solve(band)]  # fmt: skip

    def _run(self, lo: list[int], hi: list[int]) -> tuple[list[Link], set[tuple[int, int]]]:
        """One run of the programme over the cells lo[i] <= j <= hi[i] of each row i: the best
        path, and the rows where it or the paths' weight comes near the band's edge, each with
        the edge (0 the lower, 1 the upper)."""
        n, m = self.n, self.m
        inf = math.inf
        exp, log = math.exp, math.log
        beads, extend, cost = self.beads, self.extend, self.cost
        rows = range(n + 1)
        # per kind of the last bead (0 a pair, 1 a source item left out, 2 a target one), per row,
        # per cell of the row's band: best cost, log summed probability (forward, backward), the
        # step taken; and per cell the cost of each bead ending there (None: it cannot)
        best = [[[inf] * (hi[i] - lo[i] + 1) for i in rows] for _ in range(3)]
        forward = [[[-inf] * (hi[i] - lo[i] + 1) for i in rows] for _ in range(3)]
        backward = [[[-inf] * (hi[i] - lo[i] + 1) for i in rows] for _ in range(3)]
        back: list[list[list[tuple[int, int, int] | None]]] = [
            [[None] * (hi[i] - lo[i] + 1) for i in rows] for _ in range(3)
        ]
        bead_costs: list[list[list[float | None]]] = [[[] for _ in range(hi[i] - lo[i] + 1)]
                                                      for i in rows]  # fmt: skip
        best[0][0][0] = forward[0][0][0] = 0.0
        known, nbeads = self.costs, len(beads)
        for i in rows:
            loi = lo[i]
            # the beads that can end in this row: the columns they can end in, their first
            # row's tables, and what one costs after a bead of its own kind (affine gaps)
            sources = [
                (b, di, dj, kind, lo[i - di] + dj, hi[i - di] + dj,
                 best[0][i - di], best[1][i - di], best[2][i - di],
                 forward[0][i - di], forward[1][i - di], forward[2][i - di],
                 extend if extend is not None and kind else None)
                for b, (di, dj, kind, _) in enumerate(beads) if di <= i
            ]  # fmt: skip
            row_best, row_back, row_costs = (
                [t[i] for t in best],
                [t[i] for t in back],
                bead_costs[i],
            )
            for j in range(loi, hi[i] + 1):
                x = j - loi
                costs: list[float | None] = [None] * nbeads
                row_costs[x] = costs
                terms: tuple[list[float], list[float], list[float]] = ([], [], [])
                for b, di, dj, kind, first, last, b0, b1, b2, f0, f1, f2, again in sources:
                    if j < first or j > last:
                        continue
                    px = j - first
                    p0, p1, p2 = b0[px], b1[px], b2[px]
                    if p0 == inf and p1 == inf and p2 == inf:
                        continue
                    base = known.get((i, j, b))
                    if base is None:
                        base = cost(i, j, b)
                    costs[b] = base
                    out, kind_best = terms[kind], row_best[kind]
                    # the three kinds of bead before, written out: a loop over them made the
                    # programme 10-20% slower (the hottest lines of align)
                    if p0 != inf:
                        out.append(f0[px] - base)
                        if p0 + base < kind_best[x]:
                            kind_best[x] = p0 + base
                            row_back[kind][x] = (di, dj, 0)
                    if p1 != inf:
                        c = again if again is not None and kind == 1 else base
                        out.append(f1[px] - c)
                        if p1 + c < kind_best[x]:
                            kind_best[x] = p1 + c
                            row_back[kind][x] = (di, dj, 1)
                    if p2 != inf:
                        c = again if again is not None and kind == 2 else base
                        out.append(f2[px] - c)
                        if p2 + c < kind_best[x]:
                            kind_best[x] = p2 + c
                            row_back[kind][x] = (di, dj, 2)
                for kind in (0, 1, 2):
                    if terms[kind]:
                        forward[kind][i][x] = _logsumexp(terms[kind])
        for after in (0, 1, 2):
            backward[after][n][m - lo[n]] = 0.0
        for i in range(n, -1, -1):
            loi = lo[i]
            # the beads that can leave this row: the columns they can leave, their last row's
            # backward table and costs
            targets = [(b, dj, kind, lo[i + di] - dj, hi[i + di] - dj, lo[i + di],
                        backward[kind][i + di], bead_costs[i + di])
                       for b, (di, dj, kind, _) in enumerate(beads) if i + di <= n]  # fmt: skip
            row_backward = [t[i] for t in backward]
            for j in range(hi[i], loi - 1, -1):
                if i == n and j == m:
                    continue
                # the beads leaving (i, j): log probability of the rest, the bead's kind, cost
                steps = []
                for b, dj, kind, first, last, start, rests, paid_at in targets:
                    if j < first or j > last:
                        continue
                    nx = j + dj - start
                    rest = rests[nx]
                    paid = paid_at[nx][b]
                    if rest == -inf or paid is None:
                        continue
                    steps.append((rest, kind, paid))
                if not steps:
                    continue
                x = j - loi
                for after in (0, 1, 2):
                    row_backward[after][x] = _logsumexp([
                        rest - (extend if extend is not None and after and after == k else c)
                        for rest, k, c in steps
                    ])  # fmt: skip
        total = _logsumexp([forward[k][n][m - lo[n]] for k in range(3)])
        path = []
        i, j = n, m
        kind = min(range(3), key=lambda k: best[k][n][m - lo[n]])
        near: set[tuple[int, int]] = set()
        while i or j:
            x = j - lo[i]
            if lo[i] > 0 and j - lo[i] < MARGIN:
                near.add((i, 0))
            if hi[i] < m and hi[i] - j < MARGIN:
                near.add((i, 1))
            step = back[kind][i][x]
            assert step is not None
            di, dj, after = step
            b = next(k for k, bead in enumerate(beads) if bead[:2] == (di, dj))
            paid = bead_costs[i][x][b]
            assert paid is not None
            px = j - dj - lo[i - di]
            this = extend if extend is not None and after and after == kind else paid
            reach = _logsumexp([
                forward[k][i - di][px] - (extend if extend is not None and k and k == kind else paid)
                for k in range(3)
            ])  # fmt: skip
            posterior = exp(min(reach + backward[kind][i][x] - total, 0.0))
            path.append(Link(i - di, i, j - dj, j, this, posterior))
            i, j, kind = i - di, j - dj, after
        threshold = total + log(EDGE_MASS)  # the paths through the band's edge: their weight
        for i in rows:
            edges = [(0, range(lo[i], lo[i] + MARGIN))] if lo[i] > 0 else []
            edges += [(1, range(hi[i] - MARGIN + 1, hi[i] + 1))] if hi[i] < m else []
            for side, cells in edges:
                if any(
                    forward[k][i][j - lo[i]] + backward[k][i][j - lo[i]] > threshold
                    for j in cells
                    if lo[i] <= j <= hi[i]
                    for k in range(3)
                ):
                    near.add((i, side))
        return path[::-1], near


def _cells(path: Sequence[Link], n: int, m: int) -> tuple[list[int], list[int]]:
    """The first and last column of each row that the path's beads cover, a bead over several
    rows (a coarse alignment's, of blocks) taken as the diagonal of its rectangle."""
    low, high = [m] * (n + 1), [0] * (n + 1)
    for k in path:
        if k.i0 == k.i1:
            low[k.i0], high[k.i0] = min(low[k.i0], k.j0), max(high[k.i0], k.j1)
            continue
        slope = (k.j1 - k.j0) / (k.i1 - k.i0)
        for i in range(k.i0, k.i1 + 1):
            j = k.j0 + (i - k.i0) * slope
            low[i], high[i] = min(low[i], math.floor(j)), max(high[i], math.ceil(j))
    return low, high


def _joined_features(texts: Sequence[str], most: int) -> list[list[Features]]:
    """The anchors (see _features) of the texts ending at each index, by how many end there:
    [size][end] for sizes 0 to `most` (a bead takes that many; size 0 has none)."""
    out: list[list[Features]] = [[]]
    for size in range(1, most + 1):
        out.append([_features(" ".join(texts[end - size : end])) if end >= size else _NONE
                    for end in range(len(texts) + 1)])  # fmt: skip
    return out


def _kind(di: int, dj: int) -> int:
    return 0 if di and dj else 1 if di else 2


# -- aligning a document ---------------------------------------------------------------------------
def find_document(project: Project, source: Path) -> DocumentSpec:
    """The project document SOURCE names (a path or a document name)."""
    resolved = Path(source).resolve()
    for document in project.documents:
        if document.path == resolved or document.name == str(source):
            return document
    names = ", ".join(d.name for d in project.documents)
    raise AlignError(f"{source}: not a document of the project {project.path} (documents: {names})")


def align_document(
    project: Project, source: Path, translation: Path, lang: str, terms: Terms | None = None,
    band: int | None = BAND,
) -> AlignResult:  # fmt: skip
    """Align a human translation with a project document (no store is changed); `terms` finds
    the glossary's concepts in a text of a language (they anchor pairs as names do); `band`: see
    align_sequences (None: the full computation, O(paragraphs x paragraphs))."""
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

    block_segments: dict[int, list[Segment]] = {}  # seg.block_segments(i) reads them all each time
    for segment in seg.segments:
        block_segments.setdefault(segment.block, []).append(segment)
    src_blocks = [i for i, _ in enumerate(seg.document.blocks) if i in block_segments]
    src_texts = [seg.document.blocks[i].text for i in src_blocks]
    src_heading = [seg.document.blocks[i].kind == "heading" for i in src_blocks]
    tgt_texts = [b.text for b in tdoc.blocks]
    tgt_heading = [b.kind == "heading" for b in tdoc.blocks]
    ratio = max(sum(map(len, tgt_texts)), 1) / max(sum(map(len, src_texts)), 1)

    concepts = _Concepts(terms, project.source_language, lang)
    src_concepts = [concepts.source(t) for t in src_texts]
    tgt_concepts = [concepts.target(t) for t in tgt_texts]

    @cache  # the same beads come back in every pass, at another ratio
    def kinds(i0: int, i1: int, j0: int, j1: int) -> float:
        """A heading pairs with a heading (Markdown), and never merges with a paragraph; the
        glossary's concepts found on both sides make a pair cheaper."""
        if i0 == i1 or j0 == j1:
            return 0.0
        cost = term_cost(src_concepts[i0:i1], tgt_concepts[j0:j1])
        a, b = set(src_heading[i0:i1]), set(tgt_heading[j0:j1])
        if len(a) > 1 or (use_kinds and (len(b) > 1 or (a != b and (i1 - i0, j1 - j0) != (1, 1)))):
            return cost + MERGE_KIND_COST
        return cost + (KIND_COST if use_kinds and a != b else 0.0)

    # a heading left out pays its prior only: partial translations often leave them out
    gaps = ([0.0 if h else PARAGRAPH_GAP for h in src_heading],
            [0.0 if h and use_kinds else PARAGRAPH_GAP for h in tgt_heading])  # fmt: skip
    result = AlignResult(document=document.name, lang=lang)
    # The whole texts' length ratio is wrong for a partial translation (the Kazakh of a tenth of a
    # document reads as a tenth as long as the English, and pairs its paragraphs with the shortest
    # ones anywhere): each pass is run again with the ratio of the paragraphs it paired 1-1, from
    # the whole texts' ratio and, when that is far from 1, from 1 (the languages' own ratio is near
    # it), and the cheaper alignment taken (a rough maximum-likelihood estimate of the ratio).
    # From 1 first: when that alignment pairs the translation surely (SURE_SHARE), the whole
    # texts' ratio is the translation's stopping early, not the languages', and is not tried: from
    # it, a translation of a book's first half paired its paragraphs all over the book, with the
    # weight of the paths spread so wide that the band took 15 runs (2,000 paragraphs: 2 minutes)
    best: tuple[float, float, list[Link]] | None = None

    guide: list[Link] | None = None

    def paragraphs(ratio: float) -> list[Link]:
        """One pass, in a band around the last pass's path (the diagonal at first)."""
        nonlocal guide
        table = _Table(src_texts, tgt_texts, ratio, PARAGRAPH_PRIORS, kinds, gaps, PARAGRAPH_EXTEND)
        guide = table.solve(band, guide=guide)
        return guide

    for start in [ratio] if 0.8 <= ratio <= 1.25 else [1.0, ratio]:
        links = paragraphs(start)
        paired = [(len(src_texts[k.i0]), len(tgt_texts[k.j0])) for k in links
                  if (k.i1 - k.i0, k.j1 - k.j0) == (1, 1)]  # fmt: skip
        again = sum(t for _, t in paired) / max(sum(s for s, _ in paired), 1) if paired else start
        if abs(again / start - 1) > 0.05:
            links = paragraphs(again)
        total = sum(k.cost for k in links)
        if best is None or total < best[0]:
            best = (total, again, links)
        sure = sum(k.cost <= UNSURE_COST and k.posterior >= SURE for k in links
                   if (k.i1 - k.i0, k.j1 - k.j0) == (1, 1))  # fmt: skip
        if start == 1.0 and sure >= SURE_SHARE * len(tgt_texts):
            break
    assert best is not None
    _, ratio, links = best
    for link in links:
        i0, i1, j0, j1 = link.i0, link.i1, link.j0, link.j1
        if i0 == i1:
            result.leftovers.extend(tgt_texts[j0:j1])
            continue
        segments = [s for b in src_blocks[i0:i1] for s in block_segments[b]]
        if j0 == j1:
            result.pairs.extend(_left(segments, "no translated paragraph for it"))
            continue
        why = ""
        if (i1 - i0, j1 - j0) != (1, 1):
            why = f"{i1 - i0} source paragraph(s) paired with {j1 - j0} translated"
        elif link.cost > UNSURE_COST:
            why = "paragraph lengths far from the document's ratio"
        elif link.posterior < SURE:
            why = f"the paragraphs may pair otherwise ({link.posterior:.0%} sure)"
        sentences: list[str] = []
        blocks: list[int] = []
        for index, b in enumerate(tdoc.blocks[j0:j1]):
            spans = segment_block(b, segmenter)
            sentences.extend(b.text[a:z] for a, z in spans)
            blocks.extend([index] * len(spans))
        pairs, extras = _align_sentences(segments, sentences, blocks, ratio, why, concepts)
        result.pairs.extend(pairs)
        result.leftovers.extend(extras)
    return result


def _left(segments: Sequence[Segment], why: str) -> list[Pair]:
    return [Pair(s.block, (s.id,), s.text, "", why, left=True) for s in segments]


def _align_sentences(
    segments: list[Segment], sentences: list[str], blocks: list[int], ratio: float, why: str,
    concepts: _Concepts,
) -> tuple[list[Pair], list[str]]:  # fmt: skip
    """The sentence pairs of one paragraph link, and translated sentences no source sentence took."""
    if len(segments) == 1:  # one source sentence (a heading, a list item): the whole translation
        s, target = segments[0], " ".join(sentences)
        return [Pair(s.block, (s.id,), s.text, target, why or _number_doubt(s.text, target))], []
    texts = [s.text for s in segments]
    src_concepts = [concepts.source(t) for t in texts]
    tgt_concepts = [concepts.target(t) for t in sentences]

    def crossing(i0: int, i1: int, j0: int, j1: int) -> float:
        """One sentence for sentences of two paragraphs: a translator does not do that."""
        if i0 == i1 or j0 == j1:
            return 0.0
        cost = term_cost(src_concepts[i0:i1], tgt_concepts[j0:j1])
        if i1 - i0 > 1 and segments[i0].block != segments[i1 - 1].block:
            cost += BLOCK_COST
        if j1 - j0 > 1 and blocks[j0] != blocks[j1 - 1]:
            cost += BLOCK_COST
        return cost

    pairs: list[Pair] = []
    extras: list[str] = []  # translated sentences no source sentence took (another paragraph's)
    took: tuple[Pair, int] | None = None  # the last pair given sentences, and their paragraph
    pending: tuple[str, int] | None = None  # a sentence more than the source has, before any pair
    for link in align_sequences(texts, sentences, ratio, PRIORS, crossing, 0.0):
        i0, i1, j0, j1 = link.i0, link.i1, link.j0, link.j1
        target = " ".join(sentences[j0:j1])
        group = segments[i0:i1]
        if not group:  # whole sentences still: given to a pair of their paragraph as they are
            if took is not None and took[1] == blocks[j0]:
                took[0].target = f"{took[0].target} {target}"
                took[0].unsure = took[0].unsure or "a translated sentence more than the source has"
            elif took is None and pending is None:
                pending = (target, blocks[j0])
            else:
                extras.append(target)
            continue
        if not target:
            pairs.extend(_left(group, "no translated sentence for it"))
            continue
        if len(group) > 1:  # never cut a translated sentence to fill two units
            given = "one" if j1 - j0 == 1 else f"{j1 - j0} that pair only as a whole"
            doubt = (f"{len(group)} source sentences translated as {given}: left as they were "
                     "(<!--join--> between them in the source makes them one segment)")  # fmt: skip
            pairs.append(Pair(group[0].block, tuple(s.id for s in group), " ".join(texts[i0:i1]),
                              target, doubt, left=True))  # fmt: skip
            continue
        s = group[0]
        doubt = why
        if pending is not None:
            if pending[1] == blocks[j0]:
                target = f"{pending[0]} {target}"
                doubt = why or "a translated sentence more than the source has"
            else:
                extras.append(pending[0])
            pending = None
        if not doubt and link.cost > UNSURE_COST + -math.log(PRIORS[(1, j1 - j0)]):
            doubt = "sentence lengths far from the document's ratio"
        elif not doubt and link.posterior < SURE:
            doubt = f"the sentences may pair otherwise ({link.posterior:.0%} sure)"
        pair = Pair(s.block, (s.id,), s.text, target, doubt or _number_doubt(s.text, target))
        pairs.append(pair)
        took = (pair, blocks[j1 - 1])
    if pending is not None:
        extras.append(pending[0])
    return pairs, extras


def _number_doubt(src: str, tgt: str) -> str:
    sn, tn = anchors(src)[0], anchors(tgt)[0]
    if sn != tn:
        return f"numbers differ ({', '.join(sorted(sn)) or '-'} / {', '.join(sorted(tn)) or '-'})"
    return ""


def align_translation(
    project: Project, source: Path, translation: Path, lang: str, terms: Terms | None = None
) -> AlignResult:
    """Align and store the sure pairs in translations/<document>.<lang>.xlf, offer the unsure ones
    (never over approved units or a person's draft; a draft gives way to sure pairs only)."""
    from brochure.core.datamodel import RichText
    from brochure.segmentation.documents import segment_source
    from brochure.store.xliff import MACHINE_ORIGINS, open_store, portable_path

    result = align_document(project, source, translation, lang, terms)
    document = find_document(project, source)
    linked = [p for p in result.pairs if p.target and not p.left]
    doubted = sum(bool(p.unsure) for p in linked)
    if len(linked) >= MIN_PAIRS and doubted >= WRONG_FILE * len(linked):
        raise AlignError(
            f"{translation}: does not read as a translation of {document.name} ({doubted} of "
            f"{len(linked)} pairs unsure); nothing stored"
        )
    store = open_store(project, document, lang)
    store.sync(segment_source(project, document).segments)
    where = portable_path(str(translation.resolve()), project.root)
    meta = {"origin": "align", "align-source": where}
    for pair in result.pairs:
        # source sentences the translation made one: its sentence in a note on the first of them
        merged = pair.left and bool(pair.target) and len(pair.segment_ids) > 1
        for uid in pair.segment_ids:
            unit = store.get(uid)
            if unit is None:
                continue
            origin = unit.meta.get("origin")
            offer = origin == "align" and unit.state == "initial"  # an earlier run's, not taken
            if unit.approved or (unit.has_target and origin not in MACHINE_ORIGINS and not offer):
                result.kept += 1  # approved, or a person's own draft (xliff import, workbench)
            elif pair.left or not pair.target:
                result.left += 1
                if merged:
                    note = f"{UNSURE}{pair.unsure}; {where} has: {pair.target}"
                    if not any(n.text == note for n in unit.notes):
                        store.drop_notes(uid, UNSURE)  # an earlier run's doubt, said otherwise
                        store.add_note(uid, note)
                    merged = False
            elif not pair.unsure:
                store.set_target(uid, RichText(pair.target), "reviewed", meta=meta)
                store.drop_notes(uid, UNSURE)  # an earlier run's doubt no longer holds
                result.aligned += 1
            else:
                note = f"{UNSURE}{pair.unsure}"
                draft_stays = unit.has_target and not offer  # a machine draft; the text beside it
                if draft_stays:
                    note = f"{note}; {where} has: {pair.target}"
                fresh = not any(n.text == note for n in unit.notes)
                if fresh:
                    store.drop_notes(uid, UNSURE)  # an earlier run's doubt, said otherwise now
                if draft_stays:
                    if fresh:
                        store.add_note(uid, note)
                    result.noted += 1
                    continue
                store.set_target(uid, RichText(pair.target), "initial", meta=meta,
                                 note=note if fresh else None)  # fmt: skip
                result.offered += 1
    store.save()
    result.store = store.path
    return result

"""Properties of the readers and the segmenter, on generated text (hypothesis).

- the Markdown and plain-text readers raise nothing but the tool's own SourceError, whatever the
  bytes of the file;
- the segments of a block re-join to the block's text exactly: each segment is the block's text
  at its span, and only white space lies between, before and after them;
- the time taken grows linearly with the input, for the inputs that used to make it quadratic
  (a long one-line paragraph, deep brackets, runs of full stops, many notes or emphases):
  measured as the ratio of the times for n and 4n characters, never as an absolute time.
"""

from __future__ import annotations

import gc
import time
from pathlib import Path

import pytest
from brochure.core.datamodel import Document
from brochure.core.errors import SourceError
from brochure.segmentation.rules import get_segmenter, segment_document
from brochure.sources.text import BREAK, JOIN, parse_markdown, parse_plain, read_document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

# Text made of the characters the reader and the segmenter treat specially, plus ordinary letters
# of the three languages, so generated texts hit the interesting paths often.
SPECIAL = list(".!?…\"'«»“”‘’()[]*_\\`#>-–—+:;,0123456789 \n\t") + ["p.m.", "U.S.", "т. е.", "ж."]
WORDS = ["He", "said", "We", "will", "Мы", "победим", "Біз", "жеңеміз", "Dr", "Jun", "a", "Ә"]
# The in-memory parsers get text as read_document passes it on: that refuses noncharacters (with
# line and column), and the reader uses two of them, BREAK and JOIN, as its own markers.
ALPHABET = st.sampled_from(SPECIAL + WORDS) | st.characters(
    codec="utf-8", exclude_characters=BREAK + JOIN
)
texts = st.lists(ALPHABET, max_size=120).map("".join)
FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check_rejoin(blocks, lang: str) -> None:
    document = Document(Path("x.md"), lang, tuple(blocks))
    seg = segment_document(document, get_segmenter(lang))
    for index, block in enumerate(blocks):
        spans = [(s.start, s.end, s.text) for s in seg.block_segments(index)]
        pos = 0
        for start, end, text in spans:
            assert start >= pos and end > start
            assert block.text[start:end] == text
            assert block.text[pos:start].strip() == ""  # only white space between segments
            assert text == text.strip()
            pos = end
        assert block.text[pos:].strip() == ""
        if block.text.strip():
            assert spans, block


@FAST
@given(texts, st.sampled_from(["en", "ru", "kk"]))
def test_markdown_segments_rejoin_to_their_block(text: str, lang: str):
    check_rejoin(parse_markdown(text), lang)


@FAST
@given(texts, st.sampled_from(["en", "ru", "kk"]))
def test_plain_text_segments_rejoin_to_their_block(text: str, lang: str):
    check_rejoin(parse_plain(text), lang)


@FAST
@given(st.binary(max_size=300) | texts.map(lambda t: t.encode("utf-8", "surrogatepass")),
       st.sampled_from([".md", ".txt"]))  # fmt: skip
def test_readers_raise_only_the_tools_error(tmp_path_factory, data: bytes, suffix: str):
    path = tmp_path_factory.mktemp("src") / f"doc{suffix}"
    path.write_bytes(data)
    try:
        document = read_document(path, "en")
    except SourceError as exc:
        message = str(exc)
        assert message.startswith(str(path)) and "\n" not in message
        return
    check_rejoin(document.blocks, "en")


@FAST
@given(texts)
def test_project_rules_keep_the_segments_rejoining(text: str):
    """Abbreviations added and removed and break/no-break patterns keep the re-join property."""
    from brochure.core.project import BreakRule
    from brochure.segmentation.rules import RuleSegmenter

    rules = (BreakRule(True, r"\.", r"\s+Item"), BreakRule(False, r"U\.S\.", r"\s+[A-Z]"),
             BreakRule(True, r"[,;]", r"\s"))  # fmt: skip
    segmenter = RuleSegmenter("en", ("Prof", "т.б"), removed_abbreviations=("Jun",), rules=rules)
    blocks = parse_markdown(text)
    document = Document(Path("x.md"), "en", tuple(blocks))
    seg = segment_document(document, segmenter)
    for index, block in enumerate(blocks):
        pieces = [s.text for s in seg.block_segments(index)]
        assert " ".join(pieces).split() == block.text.split()


# -- linear time ----------------------------------------------------------------------------------
LONG = {
    "sentences": lambda n: "This is a sentence. " * (n // 20),
    "nested-brackets": lambda n: "(" * (n // 2) + "x" + ")" * (n // 2) + ". Next one.",
    "nested-quotes": lambda n: "«" * (n // 2) + "x." + "»" * (n // 2) + " Next one.",
    "full-stops": lambda n: "a" + "." * n + " b",
    "notes": lambda n: "Word [a]. " * (n // 10),
    "emphasis": lambda n: "Word *a*. " * (n // 10),
    "open-brackets": lambda n: "[" * n,
    "links": lambda n: "[a](b) " * (n // 7),
    "abbreviations": lambda n: "Prof. Dr. J. Smith et al. went. " * (n // 32),
    "no-space": lambda n: "a." * (n // 2),
    "quotes": lambda n: '"A." ' * (n // 5),
    "stars": lambda n: "a " + "*" * n + " b.",
    "underscores": lambda n: "a " + "_*" * (n // 2) + " b.",
    "marks": lambda n: "A. <!--join--> B. <!--break--> " * (n // 32),
    "unclosed-comments": lambda n: "<!--" * (n // 4),
    "comments": lambda n: "A <!-- a remark --> b. " * (n // 23),
}


def _seconds(make, n: int) -> float:
    text = make(n)
    best = float("inf")
    # The cyclic garbage collector is off while timing: late in a long test session its full
    # collections scan every object the earlier tests left, so they make any allocating code look
    # superlinear (seen: 11-14x for 4x the input, while the same code alone measured 4-5x).
    gc.collect()
    gc.disable()
    try:
        for _ in range(3):
            # CPU time of this process: the time other processes hold a shared machine's cores
            # is not counted, as wall time counted it
            start = time.process_time()
            blocks = parse_markdown(text)
            segment_document(Document(Path("x.md"), "en", tuple(blocks)), get_segmenter("en"))
            best = min(best, time.process_time() - start)
    finally:
        gc.enable()
    return best


@pytest.mark.parametrize("name", sorted(LONG))
def test_time_grows_linearly(name: str):
    """4x the input must cost about 4x the time (quadratic would be 16x; the bound leaves room for
    a busy machine); measured at sizes where a run takes long enough for the ratio to mean
    something, best of three."""
    make = LONG[name]
    n = 20_000
    while _seconds(make, n) < 0.05 and n < 4_000_000:
        n *= 2
    # A busy machine can stall one measurement: the ratio must stay under the bound in one of three
    # paired measurements (a quadratic path gives about 16x every time).
    ratios = []
    for _ in range(3):
        small = _seconds(make, n)
        large = _seconds(make, 4 * n)
        ratios.append(large / small)
        if ratios[-1] < 10:
            break
    assert min(ratios) < 10, f"{name}: 4x the input took {[round(r, 1) for r in ratios]}x the time"

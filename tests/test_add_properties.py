"""Properties of `brochure add`'s Markdown writer and readers, on generated input (hypothesis).

- whatever paragraphs of formatted runs a reader produces, the Markdown written for them reads back
  (brochure.sources.text) as the same blocks: kind, level, text (white space collapsed), and the
  same characters emphasised and strong (links keep only their text, as the reader does);
- the DOCX, ODT and HTML readers raise nothing but the tool's own SourceError, whatever the bytes.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from brochure.core.errors import SourceError
from brochure.sources.markdown_out import Para, Run, to_markdown
from brochure.sources.text import parse_markdown
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sourcefixtures import seed_blocks, write_docx, write_odt

SPECIAL = list(".!?…\"'«»“”()[]*_\\`#>-–—+:;,0123456789 \n\t\u00a0") + [
    "<!--", "-->", "](", "1. ", "- ", "> ", "# ", "***", "__", "](x)", "т. е.",
]  # fmt: skip
WORDS = ["Kazakhstan", "workers", "Мы", "победим", "Біз", "жеңеміз", "a", "Ә"]
ALPHABET = st.sampled_from(SPECIAL + WORDS) | st.characters(codec="utf-8")
texts = st.lists(ALPHABET, max_size=12).map("".join)
runs = st.builds(
    Run,
    text=texts,
    em=st.booleans(),
    strong=st.booleans(),
    href=st.sampled_from(["", "", "", "https://example.org/a", "https://example.org/b (c)"]),
)
paras = st.builds(
    Para,
    kind=st.sampled_from(["heading", "paragraph", "list_item", "quote"]),
    runs=st.lists(runs, min_size=1, max_size=6),
    level=st.integers(min_value=0, max_value=3),
    ordered=st.booleans(),
)
FAST = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _visible(ch: str) -> bool:
    if "\ufdd0" <= ch <= "\ufdef" or (ord(ch) & 0xFFFE) == 0xFFFE:
        return False
    return unicodedata.category(ch) not in ("Cc", "Cf") or ch in "\u200c\u200d"


def expected(para: Para) -> tuple[str, set[int], set[int], set[int]]:
    """The text the reader should see, which of its characters are emphasised / strong, and
    which were link text (a link keeps its text plain, or drops its target if it holds brackets)."""
    chars: list[tuple[str, bool, bool, bool]] = []
    for run in para.runs:
        for ch in unicodedata.normalize("NFC", run.text):
            if ch.isspace():  # the reader collapses no-break spaces too (the file keeps them)
                if chars and chars[-1][0] != " ":
                    chars.append((" ", False, False, bool(run.href)))
            elif _visible(ch):
                chars.append((ch, run.em, run.strong, bool(run.href)))
    while chars and chars[0][0] == " ":
        chars.pop(0)
    while chars and chars[-1][0] == " ":
        chars.pop()
    text = "".join(c[0] for c in chars)
    em = {i for i, c in enumerate(chars) if c[1] and not c[0].isspace() and not c[3]}
    strong = {i for i, c in enumerate(chars) if c[2] and not c[0].isspace() and not c[3]}
    linked = {i for i, c in enumerate(chars) if c[3]}
    return text, em, strong, linked


def covered(spans, kind: str, text: str, linked: set[int]) -> set[int]:
    return {
        i
        for s in spans
        if s.kind == kind
        for i in range(s.start, s.end)
        if not text[i].isspace() and i not in linked
    }


def marks_meet_inside_a_word(para: Para) -> bool:
    """Emphasis and strong touching with no space between ("a" + em "b" + strong "c" + "d", or
    "0" + em "0." + strong "0" + "0"): Markdown often has no way to write it (`a*b***c**d` and
    `a*b*__c__d` read back otherwise; a `*` after "." cannot close before a letter), so the writer
    leaves the paragraph's marks out rather than write them wrong (markdown_out.inline_markdown)."""
    chars = [(ch, run.em, run.strong) for run in para.runs if not run.href for ch in run.text]
    return any(
        not a.isspace() and not b.isspace() and (em1, st1) != (em2, st2)
        and (em1 or st1) and (em2 or st2)
        for (a, em1, st1), (b, em2, st2) in zip(chars, chars[1:])
    )  # fmt: skip


ABCD = [Para("paragraph", [Run("a"), Run("b", em=True), Run("c", strong=True), Run("d")])]
ZERO = [Para("heading", [Run("0"), Run("0.", em=True), Run("0", strong=True), Run("0")])]


@FAST
@given(st.lists(paras, max_size=5))
@example(ABCD)  # found by hypothesis: the marks left out, which the test did not allow
@example(ZERO)  # found by hypothesis in a later run: marks meeting after a full stop
def test_written_markdown_reads_back_as_the_same_blocks(generated: list[Para]):
    blocks = parse_markdown(to_markdown(generated))
    wanted = [(p, *expected(p)) for p in generated]
    wanted = [w for w in wanted if w[1]]
    assert [b.text for b in blocks] == [w[1] for w in wanted]
    for block, (para, text, em, strong, linked) in zip(blocks, wanted):
        assert block.kind == para.kind
        if para.kind == "heading":
            assert block.level == min(max(para.level, 1), 6)
        if para.kind == "list_item":
            assert block.ordered == para.ordered
        got = (covered(block.content.spans, "em", text, linked),
               covered(block.content.spans, "strong", text, linked))  # fmt: skip
        if got != (em, strong) and marks_meet_inside_a_word(para):
            assert got == (set(), set()), (para, block)  # left out, never written wrong
            continue
        assert got == (em, strong), (para, block)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=600), st.sampled_from([".docx", ".odt", ".html", ".txt"]))
def test_readers_raise_only_our_errors(tmp_path_factory, data: bytes, suffix: str):
    from brochure.sources.formats import read_as_markdown

    path = Path(tmp_path_factory.mktemp("in")) / f"x{suffix}"
    path.write_bytes(data)
    try:
        read_as_markdown(path)
    except SourceError:
        pass


@pytest.mark.parametrize("suffix", [".docx", ".odt"])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
          HealthCheck.function_scoped_fixture])  # fmt: skip
@given(st.data())
def test_damaged_office_files_raise_only_our_errors(tmp_path, suffix: str, data):
    """A real file with bytes flipped or cut off: the one-line error, never a traceback."""
    from brochure.sources.formats import read_as_markdown

    good = tmp_path / f"good{suffix}"
    if not good.exists():
        (write_docx if suffix == ".docx" else write_odt)(
            seed_blocks("statement-2022-01-07")[:4], good
        )
    raw = bytearray(good.read_bytes())
    for _ in range(data.draw(st.integers(min_value=1, max_value=8))):
        at = data.draw(st.integers(min_value=0, max_value=len(raw) - 1))
        raw[at] = data.draw(st.integers(min_value=0, max_value=255))
    cut = data.draw(st.integers(min_value=1, max_value=len(raw)))
    bad = tmp_path / f"bad{suffix}"
    bad.write_bytes(bytes(raw[:cut]))
    try:
        read_as_markdown(bad)
    except SourceError:
        pass

"""Reading sources: the Markdown subset and plain text, golden cases."""

import json
from pathlib import Path

import pytest
from brochure.core.errors import SourceError
from brochure.sources.text import parse_markdown, parse_plain, read_document


def kinds(blocks):
    return [(b.kind, b.level, b.text) for b in blocks]


def test_markdown_blocks():
    md = """# Title

Intro paragraph
continues on a second line.

## Section *one*

- first item
  continued
- second item

1. numbered
2) also numbered

> quoted text
> goes on

<!-- an editor's remark, dropped -->
Last paragraph with a [translator's note].
"""
    blocks = parse_markdown(md)
    assert kinds(blocks) == [
        ("heading", 1, "Title"),
        ("paragraph", 0, "Intro paragraph continues on a second line."),
        ("heading", 2, "Section one"),
        ("list_item", 0, "first item continued"),
        ("list_item", 0, "second item"),
        ("list_item", 0, "numbered"),
        ("list_item", 0, "also numbered"),
        ("quote", 0, "quoted text goes on"),
        ("paragraph", 0, "Last paragraph with a [translator's note]."),
    ]
    assert [b.line for b in blocks] == [1, 3, 6, 8, 10, 12, 13, 15, 19]
    assert blocks[5].ordered and blocks[5].number == 1 and not blocks[3].ordered
    note = blocks[-1].content.spans[0]
    assert note.kind == "note" and blocks[-1].text[note.start : note.end] == "[translator's note]"


def test_inline_markup_becomes_spans():
    (block,) = parse_markdown(
        "A **strong** and *emphasised* and _also_ word, snake_case_kept, a [link](http://x)."
    )
    assert block.text == "A strong and emphasised and also word, snake_case_kept, a link."
    assert [(block.text[s.start : s.end], s.kind, s.target) for s in block.content.spans] == [
        ("strong", "strong", ""), ("emphasised", "em", ""), ("also", "em", ""),
        ("link", "link", "http://x"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("markdown", "links", "warned"),
    [
        ("Read the [full statement](https://example.org/s?a=1#p) now.",
         [("full statement", "https://example.org/s?a=1#p")], []),
        ("Write to [the editors](mailto:editors@example.org).",
         [("the editors", "mailto:editors@example.org")], []),
        ("*See [the appeal](http://example.org/a)* and [it](HTTPS://EXAMPLE.ORG).",
         [("the appeal", "http://example.org/a"), ("it", "HTTPS://EXAMPLE.ORG")], []),
        ("A [private file](file:///etc/passwd) here.", [], ["file:///etc/passwd"]),
        ("A [script](javascript:alert%281%29) here.", [], ["javascript:alert%281%29"]),
        ("A [relative](../secret.md) and [no host](http:///x) here.", [],
         ["../secret.md", "http:///x"]),
    ],
    ids=["https", "mailto", "inside-emphasis", "file", "javascript", "relative"],
)  # fmt: skip
def test_links_keep_their_target_only_to_the_web_and_mail(markdown, links, warned, caplog):
    """A link is a span with its target; a file:, javascript: or relative target would lead a
    reader out of the project, so its text stays, without the link, and the reader warns."""
    (block,) = parse_markdown(f"# T\n\n{markdown}\n", Path("doc.md"))[1:]
    assert "[" not in block.text and "](" not in block.text
    found = [
        (block.text[s.start : s.end], s.target) for s in block.content.spans if s.kind == "link"
    ]
    assert found == links
    lines = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert lines == [
        f"doc.md:3: a link to {url!r} is kept as text: only http(s) and mailto links are kept"
        for url in warned
    ]


def test_unmatched_markers_stay_text():
    (block,) = parse_markdown("Wages up 5 * 2 and *unclosed emphasis.")
    assert block.text == "Wages up 5 * 2 and *unclosed emphasis."
    assert block.content.spans == ()


def test_nested_list_depth():
    blocks = parse_markdown("- top\n  - nested\n- top again\n")
    assert [(b.text, b.level) for b in blocks] == [("top", 0), ("nested", 1), ("top again", 0)]


def test_plain_text_paragraphs():
    blocks = parse_plain("First line\nsame paragraph.\n\n\nSecond paragraph.\n")
    assert kinds(blocks) == [
        ("paragraph", 0, "First line same paragraph."),
        ("paragraph", 0, "Second paragraph."),
    ]


def test_not_utf8_names_the_byte_offset(tmp_path: Path):
    path = tmp_path / "latin1.md"
    path.write_bytes("Caf\u00e9 au lait".encode("latin-1"))
    with pytest.raises(SourceError, match=r"latin1\.md: not UTF-8 text \(byte offset 3\)"):
        read_document(path, "en")


def test_empty_document(tmp_path: Path):
    path = tmp_path / "empty.md"
    path.write_text("\n\n<!-- nothing yet -->\n", encoding="utf-8")
    with pytest.raises(SourceError, match="empty.md: the document has no text"):
        read_document(path, "en")


def test_bom_and_crlf(tmp_path: Path):
    path = tmp_path / "win.txt"
    path.write_bytes("\ufeffОдин.\r\nДва.\r\n\r\nТри.".encode("utf-8"))
    doc = read_document(path, "ru")
    assert [b.text for b in doc.blocks] == ["Один. Два.", "Три."]


def test_markdown_footnotes_become_bracketed_notes(invoke, tmp_path: Path):
    """`[^1]` with `[^1]: ...` (pandoc, GitHub) is a note at its reference, as a DOCX footnote is;
    it printed as `[^1]` in the text and the definition as a paragraph of its own."""
    source = tmp_path / "appeal.md"
    source.write_text(
        "# Appeal\n\n"
        "Unions are still *denied registration*.[^kspk] Wages fell.[^2]\n\n"
        "Strikes go on.[^none]\n\n"
        "[^kspk]: The Confederation was liquidated\n"
        "    by court order in 2017.\n"
        "[^2]: By *official* figures.\n"
        "[^unused]: Nobody refers to this one.\n",
        encoding="utf-8",
    )
    result = invoke("segments", "--json", source)
    assert result.exit_code == 0, result.output
    blocks = json.loads(result.stdout)["blocks"]
    assert [(b["line"], b["text"]) for b in blocks] == [
        (1, "Appeal"),
        (
            3,
            "Unions are still denied registration. [The Confederation was liquidated by court "
            "order in 2017.] Wages fell. [By official figures.]",
        ),  # fmt: skip
        (5, "Strikes go on.[^none]"),
        (10, "[^unused]: Nobody refers to this one."),
    ]
    assert result.stderr.splitlines() == [
        f"{source}:5: footnote [^none] has no definition ([^none]: ...); kept as text",
        f"{source}:10: footnote [^unused] is never referred to; kept as text",
    ]

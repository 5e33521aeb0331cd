"""Importing sources as editors have them: DOCX, ODT, saved web pages, EPUB books, Markdown and
plain text, each turned into the project's Markdown. One reader per format, registered by file
suffix and imported on first use (python-docx, readability and lxml stay out of `brochure --help`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from brochure.core import formats
from brochure.core.errors import SourceError

if TYPE_CHECKING:
    from brochure.sources.markdown_out import Source

_PACKAGES = (".docx", ".odt", ".epub")  # zip packages: binary by nature


def suffixes() -> str:
    """The file endings `brochure add` reads (the source formats of brochure.core.formats)."""
    return ", ".join(sorted(formats.suffixes("source")))


def read_as_markdown(path: Path) -> str:
    """The text of `path` as the project's Markdown; SourceError (one line) for bad input."""
    return read_source(path)[0]


def read_source(path: Path, *, chapters: str | None = None) -> tuple[str, Source]:
    """The text of `path` as the project's Markdown, and what the file says about itself (an
    EPUB's title, language and chapters); `chapters` picks some chapters of an EPUB."""
    from brochure.sources.markdown_out import Source
    from brochure.sources.text import read_bytes

    data = read_bytes(path)
    suffix = path.suffix.lower()
    source = formats.by_suffix("source", suffix)
    if source is None:
        raise SourceError(
            f"{path}: unsupported format {suffix or '(no suffix)'!r} (use {suffixes()})"
        )
    if chapters is not None and source.name != "epub":
        raise SourceError(f"{path}: --chapters is for EPUB books; this is {source.name.upper()}")
    from brochure.core.text import UTF16_BOMS

    if suffix not in _PACKAGES and data[:2] not in UTF16_BOMS and b"\x00" in data[:8192]:
        raise SourceError(f"{path}: a binary file, not a {suffix[1:].upper()} text")
    if source.reader is None:  # Markdown: the project's own format
        from brochure.sources.text import read_text

        text = read_text(path)
        return (text if text.endswith("\n") else text + "\n"), Source([])
    reader = formats.load(source.reader)
    from brochure.sources.markdown_out import to_markdown

    found = reader(path, data, chapters=chapters) if chapters is not None else reader(path, data)
    found = found if isinstance(found, Source) else Source(found)
    return to_markdown(found.paras), found


def read_plain(path: Path, data: bytes) -> list:
    """Plain text: paragraphs separated by blank lines, written out with Markdown's marks escaped."""
    from brochure.sources.markdown_out import Para, Run
    from brochure.sources.text import parse_plain, read_text

    del data  # read_text decodes and normalises as the Markdown reader does
    return [Para("paragraph", [Run(b.text)]) for b in parse_plain(read_text(path))]

"""Importing sources as editors have them: DOCX, ODT, saved web pages, Markdown and plain text,
each turned into the project's Markdown. One reader per format, registered by file suffix and
imported on first use (python-docx, readability and lxml stay out of `brochure --help`).
"""

from __future__ import annotations

import importlib
from pathlib import Path

from brochure.core.errors import SourceError

# suffix -> "module:function"; the function takes (path, bytes) and returns a list of Paras
FORMATS: dict[str, str] = {
    ".docx": "brochure.sources.docx:read_docx",
    ".odt": "brochure.sources.odt:read_odt",
    ".html": "brochure.sources.html:read_html",
    ".htm": "brochure.sources.html:read_html",
    ".xhtml": "brochure.sources.html:read_html",
    ".txt": "brochure.sources.formats:read_plain",
    ".text": "brochure.sources.formats:read_plain",
}
MARKDOWN = (".md", ".markdown")
_PACKAGES = (".docx", ".odt")  # zip packages: binary by nature


def suffixes() -> str:
    return ", ".join(sorted({*FORMATS, *MARKDOWN}))


def read_as_markdown(path: Path) -> str:
    """The text of `path` as the project's Markdown; SourceError (one line) for bad input."""
    from brochure.sources.text import read_bytes

    data = read_bytes(path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS and suffix not in MARKDOWN:
        raise SourceError(
            f"{path}: unsupported format {suffix or '(no suffix)'!r} (use {suffixes()})"
        )
    if suffix not in _PACKAGES and b"\x00" in data[:8192]:
        raise SourceError(f"{path}: a binary file, not a {suffix[1:].upper()} text")
    if suffix in MARKDOWN:
        from brochure.sources.text import read_text

        text = read_text(path)
        return text if text.endswith("\n") else text + "\n"
    module, func = FORMATS[suffix].split(":")
    reader = getattr(importlib.import_module(module), func)
    from brochure.sources.markdown_out import to_markdown

    return to_markdown(reader(path, data))


def read_plain(path: Path, data: bytes) -> list:
    """Plain text: paragraphs separated by blank lines, written out with Markdown's marks escaped."""
    from brochure.sources.markdown_out import Para, Run
    from brochure.sources.text import parse_plain, read_text

    del data  # read_text decodes and normalises as the Markdown reader does
    return [Para("paragraph", [Run(b.text)]) for b in parse_plain(read_text(path))]

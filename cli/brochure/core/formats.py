"""The file formats brochure reads and writes, in one registry: sources it imports, outputs it
lays out, glossary and memory files it exchanges.

Each format names its reader and writer as "module:function", imported on first use (python-docx,
WeasyPrint and lxml stay out of `brochure --help`). Adding a format is one module with the
function(s) plus one `register()` line below. What a function takes depends on the kind:

    source     reader(path, data: bytes) -> paragraphs for sources/markdown_out.to_markdown, or a
               markdown_out.Source (paragraphs with the file's own title and language)
    output     writer(edition, out: Path, *, search_dirs) -> Path      (the layouts' writers)
    glossary   reader(path) -> list[Concept];   writer(concepts) -> bytes
    memory     reader(path) -> (srclang, units); writer(path, units, srclang) -> count
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

Kind = Literal["source", "output", "glossary", "memory"]


@dataclass(frozen=True)
class FileFormat:
    name: str  # as options name it: --format tbx, formats = ["pdf"]
    kind: Kind
    suffixes: tuple[str, ...]  # file name endings it is recognised by, lower case, first = default
    reader: str | None = None  # "module:function"
    writer: str | None = None  # "module:function"


_REGISTRY: list[FileFormat] = []


def register(fmt: FileFormat) -> FileFormat:
    """Add a format (after the built-in ones of its kind); returns it."""
    _REGISTRY.append(fmt)
    return fmt


# -- built in --------------------------------------------------------------------------------------
# Markdown is the project's own source format: read as it is, no reader needed.
register(FileFormat("markdown", "source", (".md", ".markdown")))
register(FileFormat("docx", "source", (".docx",), reader="brochure.sources.docx:read_docx"))
register(FileFormat("odt", "source", (".odt",), reader="brochure.sources.odt:read_odt"))
register(
    FileFormat(
        "html", "source", (".html", ".htm", ".xhtml"), reader="brochure.sources.html:read_html"
    )
)
register(
    FileFormat("text", "source", (".txt", ".text"), reader="brochure.sources.formats:read_plain")
)
register(FileFormat("epub", "source", (".epub",), reader="brochure.sources.epub:read_epub"))

register(FileFormat("pdf", "output", (".pdf",), writer="brochure.layout.pdf:write_pdf"))
register(FileFormat("docx", "output", (".docx",), writer="brochure.layout.docx:write_docx"))
register(FileFormat("epub", "output", (".epub",), writer="brochure.layout.epub:write_epub"))

register(
    FileFormat(
        "tbx",
        "glossary",
        (".tbx", ".xml"),
        reader="brochure.glossary.termxml:read_termbase_xml",  # SDL MultiTerm's <mtf> too
        writer="brochure.glossary.tbx:tbx_bytes",
    )
)
register(
    FileFormat(
        "tsv",
        "glossary",
        (".tsv", ".tab", ".txt"),
        reader="brochure.glossary.load:read_tsv",
        writer="brochure.glossary.tsv:tsv_bytes",
    )
)
register(
    FileFormat(
        "csv",
        "glossary",
        (".csv",),
        reader="brochure.glossary.csvio:read_csv",
        writer="brochure.glossary.csvio:csv_bytes",
    )
)

register(
    FileFormat(
        "tmx",
        "memory",
        (".tmx",),
        reader="brochure.memory.tmx:read_tmx",
        writer="brochure.memory.tmx:write_tmx",
    )
)
# read only: the translated units of any tool's XLIFF, the entries of a gettext PO file
register(
    FileFormat(
        "xliff",
        "memory",
        (".xlf", ".xliff", ".sdlxliff", ".mqxliff", ".mxliff"),
        reader="brochure.memory.formats:read_xliff_memory",  # Trados's, memoQ's, Phrase's too
    )
)
register(FileFormat("po", "memory", (".po",), reader="brochure.memory.formats:read_po_memory"))
# fmt: skip


def formats(kind: Kind) -> list[FileFormat]:
    """The formats of one kind, in registration order."""
    return [f for f in _REGISTRY if f.kind == kind]


def names(kind: Kind) -> tuple[str, ...]:
    """The names of one kind's formats, as options and brochure.toml give them."""
    return tuple(f.name for f in formats(kind))


def get(kind: Kind, name: str) -> FileFormat | None:
    """The format of that kind called `name`, if registered."""
    return next((f for f in formats(kind) if f.name == name), None)


def by_suffix(kind: Kind, suffix: str) -> FileFormat | None:
    """The format of that kind a file ending in `suffix` (".docx") is read as, if any."""
    suffix = suffix.lower()
    return next((f for f in formats(kind) if suffix in f.suffixes), None)


def suffixes(kind: Kind) -> tuple[str, ...]:
    """Every file ending one kind's formats are recognised by."""
    return tuple(s for f in formats(kind) for s in f.suffixes)


def load(ref: str) -> Callable[..., Any]:
    """The function a "module:function" reference names, imported now."""
    module, func = ref.split(":")
    return getattr(importlib.import_module(module), func)  # type: ignore[no-any-return]

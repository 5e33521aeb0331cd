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


# Files other tools keep their glossaries and memories in, which brochure does not read: what to
# export from that tool instead (said in the one line that refuses the file).
_SHEET = ("a spreadsheet workbook: save the sheet as CSV UTF-8 (Excel: File > Save As > CSV UTF-8, "
          "or Unicode Text; LibreOffice: Text CSV, UTF-8) and import that")  # fmt: skip
FOREIGN: dict[tuple[Kind, str], str] = {
    ("glossary", ".xlsx"): _SHEET, ("glossary", ".xls"): _SHEET, ("glossary", ".ods"): _SHEET,
    ("glossary", ".sdltb"): "a Trados MultiTerm termbase: export it from MultiTerm as TBX or "
                            "MultiTerm XML (.xml) and import that",
    ("glossary", ".xdt"): "a MultiTerm termbase definition (its fields, no terms): export the "
                          "entries as MultiTerm XML (.xml) or TBX and import that",
    ("glossary", ".tmx"): "a translation memory: `brochure memory import` takes it",
    ("memory", ".sdltm"): "a Trados Studio translation memory: export it as TMX (Translation "
                          "Memories view > Export) and import that",
    ("memory", ".mqxlz"): "a memoQ bilingual file, zipped: export it as XLIFF (.mqxliff) or the "
                          "translation memory as TMX and import that",
    ("memory", ".sdlppx"): "a Trados project package: import its .sdlxliff files, or a TMX",
    ("memory", ".sdlrpx"): "a Trados return package: import its .sdlxliff files, or a TMX",
    ("memory", ".xlsx"): "a spreadsheet: export the memory as TMX from the tool that made it",
    ("memory", ".csv"): "a spreadsheet: export the memory as TMX from the tool that made it",
    ("memory", ".tbx"): "a termbase: `brochure glossary import` takes it",
}  # fmt: skip


def foreign(kind: Kind, suffix: str) -> str:
    """What a file ending in `suffix` is and what to export instead, if it is another tool's own
    file of that kind ("" if brochure knows no such file)."""
    return FOREIGN.get((kind, suffix.lower()), "")


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

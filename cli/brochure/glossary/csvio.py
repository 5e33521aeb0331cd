"""CSV import and export: the TSV columns, comma-separated and quoted as spreadsheets expect."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from brochure.core.errors import GlossaryError
from brochure.glossary.concepts import COLUMNS, Concept
from brochure.glossary.tsv import GlossaryFile, decode_import, for_import


def csv_bytes(concepts: list[Concept]) -> bytes:
    """Concepts as CSV with the TSV's columns, as spreadsheets open it (CRLF, UTF-8)."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(COLUMNS), lineterminator="\r\n")
    writer.writeheader()
    for concept in concepts:
        writer.writerow(concept.to_row())
    return buf.getvalue().encode("utf-8")


def read_csv(path: Path) -> list[Concept]:
    """Concepts from a CSV with the glossary's column names (a BOM from Excel is fine, and so
    are semicolons between the cells, and UTF-16; column names in any case, an `id` column may
    be left out: tsv.for_import)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise GlossaryError(f"{path}: cannot read: {exc.strerror or exc}") from None
    text = decode_import(path, data)
    # Excel saves "CSV" with semicolons where the comma is the decimal sign (ru, kk, de, ...):
    # a header with semicolons and no comma tells (the column names hold neither).
    # Excel's "Unicode Text" is tab-separated whatever it is named.
    header = text.split("\n", 1)[0]
    delimiter = ";" if ";" in header and "," not in header else ","
    if "\t" in header and "," not in header and ";" not in header:
        delimiter = "\t"
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise GlossaryError(f"{path}: malformed CSV: {exc}") from None
    # Re-express as TSV lines so the one validator reports problems with their line numbers.
    lines = []
    for row in rows:
        for cell in row:
            if "\t" in cell or "\n" in cell:
                raise GlossaryError(f"{path}: a cell contains a tab or line break: {cell[:40]!r}")
        lines.append("\t".join(row) if row else "")
    gf = GlossaryFile.parse(path, (for_import("\n".join(lines), path) + "\n").encode("utf-8"))
    return [concept for concept, _ in gf.concepts()]

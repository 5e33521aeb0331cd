"""The glossary's TSV files: read, validate, edit in place, write under a lock.

Translators edit these files in a spreadsheet, so the tool keeps what it does not understand: a
row the tool does not change is written back byte for byte (comments, blank lines, unknown columns,
quoting, line endings); in a row it changes, only the changed cells are rewritten.

Format: UTF-8, tab-separated; lines starting with `#` are comments; the first other line is the
header (column names, `id` required); one concept per row; variants separated by `|`; stored forms
as `tag=form|tag=form`; flags comma-separated.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from brochure.core.atomic import write_bytes_atomic
from brochure.core.errors import GlossaryError
from brochure.glossary.concepts import (
    CASES,
    COLUMNS,
    Concept,
    concept_from_row,
    concept_slug,
    free_id,
    langs,
    valid_id,
)  # fmt: skip

T = TypeVar("T")
_LANG_COLUMN = re.compile(r"^([A-Za-z]+(?:-[A-Za-z0-9]+)*)_(admitted|forbidden|forms)$")
LOCK_TIMEOUT = 60.0  # seconds to wait for another process editing the same file


@dataclass
class _Line:
    raw: str  # the line without its ending, as read
    ending: str  # "\n", "\r\n", "\r" or "" (last line without one)
    cells: list[str] | None = None  # raw cells of a header or data row; None for comments, blanks
    dirty: bool = False

    def render(self) -> str:
        if self.dirty and self.cells is not None:
            return "\t".join(self.cells) + self.ending
        return self.raw + self.ending


def _unquote(cell: str) -> str:
    """A cell a spreadsheet wrapped in double quotes ("a ""b"" c") -> its value."""
    if len(cell) >= 2 and cell[0] == '"' and cell[-1] == '"':
        return cell[1:-1].replace('""', '"')
    return cell


# Characters Python's str.splitlines() (and so many spreadsheets and editors) treat as line
# breaks. A cell holding one would be read back as two lines, so none is ever written.
LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_FORBIDDEN_IN_CELL = re.compile(f"[\t{LINE_BREAKS}]")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def _cell(value: str, column: str, where: str) -> str:
    bad = _FORBIDDEN_IN_CELL.search(value)
    if bad:
        raise GlossaryError(
            f"{where}: {column}: a value cannot contain tabs or line breaks "
            f"(found U+{ord(bad.group()):04X} in {value!r})"
        )
    if value.startswith('"') and value.endswith('"') and len(value) >= 2:
        return '"' + value.replace('"', '""') + '"'  # keep it from being read as quoted
    return value


class GlossaryFile:
    """One glossary TSV, parsed line by line."""

    def __init__(self, path: Path, lines: list[_Line], header_at: int | None):
        self.path = Path(path)
        self.lines = lines
        self.header_at = header_at
        self.changed = False
        self.newline = next((ln.ending for ln in lines if ln.ending), "\n")
        self.rows: dict[str, int] = {}  # concept id -> index in lines
        # The header's names for its cells (read for every row: unquoting them each time was a
        # quarter of loading the built-in glossary), and the concept each row's check built,
        # handed once to concepts() if the row is unchanged (building it twice was another).
        self._header: tuple[tuple[str, ...], list[str]] = ((), [])
        self._checked: dict[int, tuple[tuple[str, ...], Concept]] = {}
        self._validate()

    # -- reading -----------------------------------------------------------------------------
    @classmethod
    def read(cls, path: Path) -> GlossaryFile:
        """Read and parse a glossary TSV; GlossaryError names the file (and line)."""
        path = Path(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise GlossaryError(f"{path}: cannot read: {exc.strerror or exc}") from None
        return cls.parse(path, data)

    @classmethod
    def parse(cls, path: Path, data: bytes) -> GlossaryFile:
        """Parse glossary TSV bytes, keeping comments, unknown columns and row order."""
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            at = data[: exc.start].count(b"\n") + 1
            from brochure.core.text import not_utf8

            raise GlossaryError(f"{path}:{at}: {not_utf8(data)}; save the file as UTF-8") from None
        lines: list[_Line] = []
        header_at = None
        # Lines end at \n, \r\n or \r only: a file that holds U+2028 and the like inside a cell
        # (written by an older version, or a spreadsheet) still reads row by row.
        for piece in _LINE.findall(text):
            body = piece.rstrip("\r\n")
            row = _Line(body, piece[len(body) :])
            plain = body.lstrip("\ufeff")
            if plain.startswith("#") or not plain.strip():
                pass
            elif header_at is None:
                header_at = len(lines)
                row.cells = body.split("\t")
            else:
                row.cells = body.split("\t")
            lines.append(row)
        return cls(path, lines, header_at)

    @classmethod
    def new(cls, path: Path, columns: tuple[str, ...] = COLUMNS) -> GlossaryFile:
        header = _Line("\t".join(columns), "\n", list(columns))
        comment = _Line("# brochure glossary: one concept per row; variants separated by |", "\n")
        gf = cls(path, [comment, header], 1)
        gf.changed = True
        return gf

    @property
    def header(self) -> list[str]:
        if self.header_at is None:
            return []
        cells = tuple(self.lines[self.header_at].cells or ())
        if self._header[0] != cells:
            self._header = (cells, [_unquote(c).lstrip("\ufeff").strip() for c in cells])
        return list(self._header[1])

    def where(self, index: int) -> str:
        """file:line of row `index`, for messages."""
        return f"{self.path}:{index + 1}"

    def _validate(self) -> None:
        if self.header_at is None:
            if any(
                ln.raw.strip() and not ln.raw.lstrip("\ufeff").startswith("#") for ln in self.lines
            ):
                raise GlossaryError(f"{self.path}: no header row")
            return
        header = self.header
        where = self.where(self.header_at)
        if "id" not in header:
            raise GlossaryError(
                f"{where}: the header has no `id` column (columns: {', '.join(COLUMNS)})"
            )
        seen: set[str] = set()
        for col in header:
            if col in seen:
                raise GlossaryError(f"{where}: column {col!r} appears twice in the header")
            seen.add(col)
            m = _LANG_COLUMN.match(col)
            if m and m.group(1) not in langs():
                raise GlossaryError(
                    f"{where}: column {col!r}: invalid language code {m.group(1)!r} (one of: {', '.join(langs())})"
                )
            if m and m.group(2) == "forms" and m.group(1) not in CASES:
                raise GlossaryError(
                    f"{where}: column {col!r}: stored forms are kept for ru and kk only"
                )
        self.rows = {}
        for index, line in enumerate(self.lines):
            if line.cells is not None and index != self.header_at:
                self._check_row(index)

    def _check_row(self, index: int) -> None:
        """Validate the row at `index` and index it by id."""
        cells = self.lines[index].cells
        assert cells is not None
        width = len(self.header)
        # Tabs past the last column (a spreadsheet's or editor's trailing tab) are empty cells of
        # no column: read without them; the row's bytes are kept. A short row is still an error:
        # it is more often a cell cut by a line break than cells left out.
        if len(cells) > width and not any(c.strip() for c in cells[width:]):
            del cells[width:]
        if len(cells) != width:
            raise GlossaryError(
                f"{self.where(index)}: {len(cells)} columns, the header has {width}"
                " (cells are separated by tabs)"
            )
        row = self.row_at(index)
        cid = row["id"]
        if not cid:
            raise GlossaryError(f"{self.where(index)}: the row has no id")
        if not valid_id(cid):
            raise GlossaryError(
                f"{self.where(index)}: id {cid!r}: use letters, digits, '-', '_', '.'"
            )
        if self.rows.get(cid, index) != index:
            first = self.rows[cid] + 1
            raise GlossaryError(
                f"{self.where(index)}: duplicate id {cid!r} (first at line {first})"
            )
        self.rows[cid] = index
        concept = concept_from_row(row, origin=self.where(index))  # raises on a bad flag or form
        self._checked[index] = (self._key(index), concept)

    def row_at(self, index: int) -> dict[str, str]:
        cells = self.lines[index].cells or []
        return {col: _unquote(cell).strip() for col, cell in zip(self.header, cells, strict=False)}

    def row(self, concept_id: str) -> dict[str, str] | None:
        index = self.rows.get(concept_id)
        return self.row_at(index) if index is not None else None

    def concepts(self) -> Iterator[tuple[Concept, set[str]]]:
        """Each row as a Concept, with the set of columns this file has (for merging)."""
        present = set(self.header)
        for _cid, index in self.rows.items():
            checked = self._checked.pop(index, None)
            if checked is not None and checked[0] == self._key(index):
                yield checked[1], present
            else:
                yield concept_from_row(self.row_at(index), origin=self.where(index)), present

    def _key(self, index: int) -> tuple[str, ...]:
        """What a row's concept is built from: the header's cells and the row's."""
        return self._header[0] + ("\t",) + tuple(self.lines[index].cells or ())

    # -- editing -----------------------------------------------------------------------------
    def ensure_columns(self, columns: list[str]) -> None:
        """Add missing columns at the end of the header (and an empty cell to every row)."""
        order = {c: i for i, c in enumerate(COLUMNS)}
        missing = sorted(
            {c for c in columns if c not in self.header}, key=lambda c: order.get(c, len(order))
        )
        if not missing:
            return
        if self.header_at is None:
            self.lines.append(_Line("", self.newline, []))
            self.header_at = len(self.lines) - 1
        for index, line in enumerate(self.lines):
            if line.cells is None:
                continue
            line.cells.extend(missing if index == self.header_at else [""] * len(missing))
            line.dirty = True
        self.changed = True

    def set(self, concept_id: str, values: dict[str, str]) -> None:
        """Change some cells of an existing row; other cells keep their bytes."""
        index = self.rows[concept_id]
        self.ensure_columns([c for c, v in values.items() if v])
        header = self.header
        line = self.lines[index]
        assert line.cells is not None
        for col, value in values.items():
            if col not in header:
                continue
            i = header.index(col)
            if _unquote(line.cells[i]).strip() != value:
                line.cells[i] = _cell(value, col, self.where(index))
                line.dirty = True
                self.changed = True
        if "id" in values and values["id"] != concept_id:
            raise GlossaryError(f"{self.where(index)}: the id of a concept cannot change")
        self._check_row(index)

    def append(self, values: dict[str, str]) -> None:
        """Add a row at the end (after the last row, before trailing comments it leaves alone)."""
        cid = values.get("id", "")
        if cid in self.rows:
            raise GlossaryError(f"{self.where(self.rows[cid])}: id {cid!r} exists already")
        self.ensure_columns([c for c, v in values.items() if v])
        header = self.header
        if self.lines and not self.lines[-1].ending:
            self.lines[-1].ending = self.newline
        where = f"{self.path}:{len(self.lines) + 1}"
        cells = [_cell(values.get(col, ""), col, where) for col in header]
        self.lines.append(_Line("\t".join(cells), self.newline, cells))
        self.changed = True
        self._check_row(len(self.lines) - 1)

    def remove(self, concept_id: str) -> None:
        index = self.rows[concept_id]
        del self.lines[index]
        if self.header_at is not None and index < self.header_at:
            self.header_at -= 1
        self.changed = True
        self.rows = {cid: i - (i > index) for cid, i in self.rows.items() if cid != concept_id}
        self._checked.clear()  # keyed by line index, which moved

    def render(self) -> bytes:
        return "".join(line.render() for line in self.lines).encode("utf-8")


def decode_import(path: Path, data: bytes) -> str:
    """The text of a sheet to import: UTF-8 (Excel's BOM or none) or UTF-16 with its BOM, as
    Excel's 'Unicode Text' (.txt, tab-separated) and Notepad's 'Unicode' save it. The project's
    own files stay UTF-8: this is only for reading what another tool wrote."""
    from brochure.core.text import UTF16_BOMS, not_utf8

    if data[:2] in UTF16_BOMS:
        try:
            return _lone_cr(data.decode("utf-16"))
        except UnicodeDecodeError as exc:
            at = data[: exc.start].decode("utf-16", "replace").count("\n") + 1
            raise GlossaryError(f"{path}:{at}: malformed UTF-16 text: {exc.reason}") from None
    try:
        return _lone_cr(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        at = data[: exc.start].count(b"\n") + 1
        raise GlossaryError(f"{path}:{at}: {not_utf8(data)}; save the file as UTF-8") from None


def _lone_cr(text: str) -> str:
    """Lines ended by a carriage return alone (Excel for Mac's "CSV (Macintosh)" and its tab-
    separated text) end in a line feed: the sheet was read as one line, its rows as the header's
    columns. CRLF stays as it is."""
    return re.sub(r"\r(?!\n)", "\n", text) if "\r" in text else text


def for_import(text: str, path: Path) -> str:
    """A sheet from another tool as a glossary TSV: its header's column names in the glossary's
    spelling whatever their case (EN, Ru, RU_Forbidden, Note), a warning for each column the
    glossary has no place for (its cells are not imported), and ids made if it has none
    (_with_ids). Line numbers stay as they were."""
    text = text.removeprefix("\ufeff")
    lines = text.split("\n")
    rows = [i for i, ln in enumerate(lines) if ln.strip() and not ln.startswith("#")]
    if not rows:
        return text
    at = rows[0]
    # a sheet's title above its header ("Glossary of the strike committee"): the header is the
    # first of the first lines that names a column the glossary knows; those above it are kept
    # as comments (the sheet imported as nothing, or was refused: 'the header has no id column')
    for i in rows[:4]:
        cells = [_unquote(c).strip() for c in lines[i].rstrip("\r").split("\t")]
        if any(_import_column(c) for c in cells):
            for j in rows[: rows.index(i)]:
                lines[j] = "#" + lines[j]
            at = i
            break
    ending = "\r" if lines[at].endswith("\r") else ""
    header = [_unquote(c).strip() for c in lines[at].rstrip("\r").split("\t")]
    from brochure.glossary import termsheet

    kinds = termsheet.plan(header, language_code)
    if kinds is not None:  # a term per column (memoQ's export): read into the glossary's columns
        unknown = [name for kind, name in kinds if kind == "unknown" and name]
        known = len([k for k, _ in kinds if k not in ("unknown", "drop")])
        lines = termsheet.apply(kinds, lines, at, _unquote)
        named = [_unquote(c).strip() for c in lines[at].rstrip("\r").split("\t")]
    else:
        named = [_import_column(c) or c for c in header]
        unknown = [c for c in named if c and not _known_column(c)]
        known = len([c for c in named if c]) - len(unknown)
        if named != header:
            lines[at] = "\t".join(named) + ending
    if unknown and known:  # (no known column: refused)
        import logging

        one = len(unknown) == 1
        logging.getLogger(__name__).warning(
            "%s:%d: warning: %s %s not a glossary column: %s cells are not imported "
            "(the glossary's columns: %s)", path, at + 1, ", ".join(repr(c) for c in unknown),
            "is" if one else "are", "its" if one else "their", ", ".join(COLUMNS),
        )  # fmt: skip
    return "\n".join(_with_ids(lines, at, named))


# Language columns as other tools and people name them: by region (en-GB, ru_RU, kk-KZ: Phrase,
# Smartcat, Crowdin) or by the language's name (English, Russian: memoQ's term base export).
_REGION = re.compile(r"^([a-z]{2,3})(?:[-_][a-z]{4})?(?:[-_](?:[a-z]{2}|\d{3}))?$")
_LANGUAGE_NAMES = {"english": "en", "russian": "ru", "kazakh": "kk", "английский": "en",
                   "русский": "ru", "казахский": "kk", "ағылшынша": "en", "орысша": "ru",
                   "қазақша": "kk"}  # fmt: skip


def _import_column(name: str) -> str:
    """The glossary's name for a column of a sheet to import ("" if it has none)."""
    low = name.strip().lower()
    return _known_column(low) or language_code(low)


def language_code(name: str) -> str:
    """The glossary's code of a language as other tools name it ("" if none it holds): a code
    with or without a region (RU, ru_RU, en-us, kk-Cyrl-KZ: Phrase, Smartcat, Crowdin, MultiTerm)
    or the language's name (English, Russian, "English (United States)": memoQ, MultiTerm;
    Русский, Қазақша: a translator's own sheet)."""
    low = " ".join(name.strip().lower().split())
    region = _REGION.match(low)
    code = region.group(1) if region else _LANGUAGE_NAMES.get(low.split(" (")[0], low)
    return code if code in langs() else ""


def _known_column(name: str) -> str:
    """`name` if it is one of the glossary's columns (any language's), else ""."""
    m = _LANG_COLUMN.match(name)
    known = name in COLUMNS or name in langs() or (m is not None and m.group(1) in langs())
    return name if known else ""


def _with_ids(lines: list[str], at: int, header: list[str]) -> list[str]:
    """The lines of a sheet to import (its header at `at`, its column names `header`) with an `id`
    column made when it has none (a translator's spreadsheet: en, ru, kk, note, ...): each row's
    id from its first preferred term, as `glossary add` makes one (import matches concepts by
    their terms, and gives a new concept a free id anyway); a sheet with ids as it is."""
    if "id" in header or not set(header) & set(langs()):
        return lines
    used: set[str] = set()
    out = [*lines[:at], "id\t" + lines[at]]
    for line in lines[at + 1 :]:
        if not line.strip() or line.startswith("#"):
            out.append(line)
            continue
        cells = dict(zip(header, (_unquote(c).strip() for c in line.split("\t")), strict=False))
        term = next((cells[code] for code in langs() if cells.get(code)), "")
        cid = free_id(concept_slug(term) if term else "term", used)
        out.append(f"{cid}\t{line}")
    return out


def lock_path(path: Path) -> Path:
    """Where the lock for `path` lives: the project's .brochure/ cache if there is one."""
    path = Path(path).resolve()
    if path.parent.name == "glossary" and (path.parent.parent / "brochure.toml").exists():
        return path.parent.parent / ".brochure" / "locks" / f"{path.name}.lock"
    return path.with_name(f".{path.name}.lock")


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold the cross-process lock of a glossary file while it is read and rewritten."""
    from brochure.core.atomic import file_lock

    with file_lock(lock_path(path), path, LOCK_TIMEOUT):
        yield


def update(path: Path, change: Callable[[GlossaryFile], T]) -> T:
    """Lock `path`, read it (or start it), apply `change`, write it atomically if it changed.

    If `change` raises, nothing is written: the file stays as it was.
    """
    path = Path(path)
    with locked(path):
        gf = GlossaryFile.read(path) if path.exists() else GlossaryFile.new(path)
        result = change(gf)
        if gf.changed:
            write_bytes_atomic(path, gf.render())
    return result


def tsv_bytes(concepts: list[Concept]) -> bytes:
    """A new TSV holding `concepts` (for export), as bytes."""
    gf = GlossaryFile.new(Path("glossary.tsv"), COLUMNS)
    for concept in concepts:
        gf.append(concept.to_row())
    return gf.render()


def write_concepts(path: Path, concepts: list[Concept], columns: tuple[str, ...] = COLUMNS) -> None:
    """Write a new TSV holding `concepts` (for export)."""
    gf = GlossaryFile.new(path, columns)
    for concept in concepts:
        gf.append(concept.to_row())
    write_bytes_atomic(path, gf.render())

"""brochure.toml: loading and validation (every problem at once, each with its key).

One way to load configuration: defaults, then the project file, then command-line options that were
given. The result is a frozen dataclass; the core never sees raw TOML.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from brochure.core import formats as formats_
from brochure.core import languages, layouts
from brochure.core.colophon import Colophon
from brochure.core.errors import ProjectError
from brochure.core.paths import OUTSIDE, inside, real_inside
from brochure.core.text import slug

PROJECT_FILE = "brochure.toml"
PAGE_SIZES = {
    "A4": (210.0, 297.0),
    "A5": (148.0, 210.0),
    "A6": (105.0, 148.0),
    "Letter": (215.9, 279.4),
}
PDF_VARIANTS = ("pdf/a-3b",)
# A table of contents: "auto" leaves it out for a short text (brochure.layout.html.show_contents).
CONTENTS = ("auto", "always", "never")
# The PDFs an edition can have: "screen" <output>.pdf (trim size, no bleed or marks, colours as
# designed) and "print" <output>.print.pdf (bleed, crop marks, text and rules 100% black, PDF/X-1a).
PDF_OUTPUTS = {"screen": ".pdf", "print": ".print.pdf"}
DEFAULT_FORMATS = ("pdf", "docx")  # an edition's outputs unless it names its `formats`
DEFAULT_BLEED_MM = 3.0
_LENGTH_MM = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*mm\s*$")
_CUSTOM_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*mm\s*[x×]\s*(\d+(?:\.\d+)?)\s*mm\s*$")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_PRINTABLE = re.compile(r"^[^\x00-\x1f\x7f]*$")  # a path without NUL or control characters
MAX_PATTERN = 300  # characters in a segmentation rule's pattern


@dataclass(frozen=True)
class DocumentSpec:
    path: Path  # absolute
    name: str  # stem used in translations/<name>.<lang>.xlf
    lang: str


@dataclass(frozen=True)
class EditionSpec:
    name: str
    languages: tuple[str, ...]
    layout: str = "columns"
    page_size: str = "A5"
    formats: tuple[str, ...] = ("pdf", "docx")
    output: str = ""  # file stem in build/, without extension
    impose: str = ""  # "booklet": also write <output>.booklet.pdf for saddle stitching
    creep: float = 0.0  # mm the innermost sheet's pages move toward the spine
    bleed: float = DEFAULT_BLEED_MM  # mm around the trim box; 0 = no bleed, no crop marks
    pdf_variant: str = ""  # "pdf/a-3b" on request (the screen PDF)
    contents: str = (
        "auto"  # "auto": a table of contents unless the text is short; "always"; "never"
    )
    pdf: tuple[str, ...] = ("screen", "print")  # which PDFs to write (PDF_OUTPUTS)
    # Files embedded in the screen PDF (real paths inside the project): `attachments` in
    # brochure.toml, the project's or the edition's own. Nothing else may be attached.
    attachments: tuple[Path, ...] = ()

    def output_files(self) -> list[tuple[str, str, str]]:
        """(format, PDF variant or "", file name in build/) of every file the edition writes."""
        files = []
        for fmt in self.formats:
            if fmt == "pdf":
                files += [(fmt, v, f"{self.output}{PDF_OUTPUTS[v]}") for v in self.pdf]
            else:
                files.append((fmt, "", f"{self.output}.{fmt}"))
        return files

    def pdf_file(self, variant: str = "") -> str:
        """The file name of the edition's screen PDF, else its print PDF (or of `variant`)."""
        variant = variant or self.pdf[0]
        return f"{self.output}{PDF_OUTPUTS[variant]}"

    @property
    def page_mm(self) -> tuple[float, float]:
        return page_size_mm(self.page_size)


@dataclass(frozen=True)
class BreakRule:
    """A project's segmentation rule, in the spirit of SRX: at a place where `before` (a regular
    expression) matches the text before and `after` the text after, break (True) or not (False)."""

    breaks: bool
    before: str
    after: str
    lang: str = ""  # "": every language
    where: str = ""  # "<brochure.toml>: segmentation.rules[i]", for errors found while segmenting


@dataclass(frozen=True)
class Project:
    root: Path
    name: str
    title: dict[str, str]
    source_language: str
    target_languages: tuple[str, ...]
    documents: tuple[DocumentSpec, ...]
    editions: tuple[EditionSpec, ...]
    subtitle: dict[str, str] = field(default_factory=dict)
    publisher: dict[str, str] = field(default_factory=dict)  # per language
    date: dict[str, str] = field(default_factory=dict)  # per language
    colophon: Colophon = field(default_factory=Colophon)
    abbreviations: dict[str, tuple[str, ...]] = field(default_factory=dict)
    removed_abbreviations: dict[str, tuple[str, ...]] = field(default_factory=dict)
    break_rules: tuple[BreakRule, ...] = ()
    translations_dir: Path = Path("translations")
    sections: dict[str, Any] = field(default_factory=dict)  # validated [mt], [glossary], ... tables

    @property
    def languages(self) -> tuple[str, ...]:
        return (self.source_language, *self.target_languages)

    @property
    def path(self) -> Path:
        return self.root / PROJECT_FILE

    @property
    def build_dir(self) -> Path:
        return self.root / "build"

    @property
    def cache_dir(self) -> Path:
        return self.root / ".brochure"

    def translations_path(self, document: DocumentSpec, lang: str) -> Path:
        """translations/<document>.<lang>.xlf; refused if a symbolic link leads out of the project."""
        relative = self.translations_dir / f"{document.name}.{lang}.xlf"
        inside(self.root, relative, str(self.root / relative))
        return self.root / relative

    def select_targets(
        self, langs: Sequence[str] = (), option: str = "--lang", *, suggest_adding: bool = False
    ) -> tuple[str, ...]:
        """The target languages a command acts on: `langs` (each must be one), else all of them.

        `suggest_adding` (translate): a known language that is not a target yet is likely one the
        user wants to add, so the message says how.
        """
        targets = ", ".join(self.target_languages)
        for lang in langs:
            if suggest_adding and not languages.is_known(lang):
                raise ProjectError(
                    f"{option}: unknown language code {lang!r} (known: {languages.known_codes()})"
                )
            if lang not in self.target_languages:
                if suggest_adding:
                    raise ProjectError(
                        f"{option}: {lang!r} is not a target language of {self.path} "
                        f"(targets: {targets}); add it to target_languages"
                    )
                raise ProjectError(
                    f"{option}: {lang!r} is not a target language of {self.path} ({targets})"
                )
        return tuple(langs) or self.target_languages

    def edition(self, name: str) -> EditionSpec:
        for edition in self.editions:
            if edition.name == name:
                return edition
        known = ", ".join(e.name for e in self.editions)
        raise ProjectError(f"{self.path}: no edition named {name!r} (editions: {known})")


def page_size_mm(size: str) -> tuple[float, float]:
    """Width and height in millimetres of 'A5', 'A4', 'Letter', one of them turned ('A4
    landscape': three languages side by side at a readable measure) or a custom '150mm x 220mm'."""
    if size in PAGE_SIZES:
        return PAGE_SIZES[size]
    name, _, turn = size.rpartition(" ")
    if turn == "landscape" and name in PAGE_SIZES:
        width, height = PAGE_SIZES[name]
        return max(width, height), min(width, height)
    match = _CUSTOM_SIZE.match(size)
    if not match:
        raise ValueError(size)
    return float(match.group(1)), float(match.group(2))


def _toml_list(items: list[str]) -> str:
    """A list of strings as brochure.toml writes it: ["pdf", "epub"]."""
    return "[" + ", ".join(f'"{item}"' for item in items) + "]"


def _bleed_mm(value: Any) -> float | None:
    """A bleed such as "3mm" (or a number of millimetres) from 0 to 10; None if invalid."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        mm = float(value)
    elif isinstance(value, str) and (m := _LENGTH_MM.match(value)):
        mm = float(m.group(1))
    else:
        return None
    return mm if 0 <= mm <= 10 else None


def project_above(folder: Path) -> Path | None:
    """The nearest folder above `folder` that holds a brochure.toml (a command run inside a
    project's subfolder), if any."""
    return next((d for d in folder.resolve().parents if (d / PROJECT_FILE).is_file()), None)


def find_project_file(path: Path | str | None) -> Path:
    """The brochure.toml for PROJECT (a folder or the file itself; default: the current folder)."""
    p = Path(path) if path else Path.cwd()
    if not p.exists() and p.suffix.lower() != ".toml":
        # a mistyped project folder: `brochure init` of its parent is not the way out
        raise ProjectError(f"{p}: no such folder (PROJECT is a folder with {PROJECT_FILE})")
    if p.is_dir():
        p = p / PROJECT_FILE
    if not p.exists():
        above = project_above(p.parent)
        if above is not None:  # run from a folder inside a project (its sources, build/, ...)
            where = str(above) if p.is_absolute() else os.path.relpath(above)
            raise ProjectError(
                f"{p}: no project file here; the project is the folder {where}: give it as "
                "the last argument (PROJECT) or run the command there"
            )
        raise ProjectError(
            f"{p}: no project file here; create a project with `brochure init {p.parent}`"
        )
    if p.is_dir():
        raise ProjectError(f"{p}: is a folder, not a file: the project file must be a TOML file")
    return p


def load_project(path: Path | str | None = None) -> Project:
    """Read and validate brochure.toml; raise ProjectError listing every problem with its key."""
    file = find_project_file(path).resolve()
    data = file.read_bytes()
    try:  # a BOM, as Windows' Notepad saves one, is not TOML but not the editor's fault either
        raw = tomllib.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        from brochure.core.text import not_utf8

        raise ProjectError(f"{file}: {not_utf8(data, f'byte offset {exc.start}')}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ProjectError(f"{file}: {_toml_message(exc, file)}") from None
    project = _Validator(file, raw).project()
    # What killed runs left behind: our own stale temporary files, in the folders we write.
    from brochure.core.atomic import clean_stale_temporaries

    for folder in (project.build_dir, project.root / project.translations_dir,
                   project.root / "glossary", project.cache_dir):  # fmt: skip
        clean_stale_temporaries(folder)
    return project


def _toml_message(exc: tomllib.TOMLDecodeError, file: Path) -> str:
    msg = str(exc)
    m = re.search(r"\(at line (\d+), column (\d+)\)", msg)
    if m:
        return f"line {m.group(1)}: invalid TOML: {msg[: m.start()].strip()}"
    if "(at end of document)" in msg:
        last = len(file.read_text(encoding="utf-8").rstrip("\n").split("\n"))
        return f"line {last}: invalid TOML: {msg.replace('(at end of document)', '').strip()} at the end of the file"
    return f"invalid TOML: {msg}"


_KNOWN_KEYS = {
    "name", "title", "subtitle", "publisher", "date", "source_language", "target_languages",
    "documents", "editions", "segmentation", "translations_dir", "colophon", "attachments",
}  # fmt: skip

# Tables that a stage validates itself: name -> "module:function". The function takes the raw
# table, the project's languages and a `problem(key, message)` callback, and returns a frozen
# settings object that lands in Project.sections[name]. Imported only when the table is present.
SECTIONS: dict[str, str] = {
    "mt": "brochure.engines.config:validate_mt",
    "memory": "brochure.memory.index:validate_memory",
}


class _Validator:
    """Collects every problem, then raises once."""

    def __init__(self, file: Path, raw: dict[str, Any]):
        self.file = file
        self.root = file.parent
        self.raw = raw
        self.problems: list[str] = []

    def problem(self, key: str, message: str) -> None:
        self.problems.append(f"{key}: {message}")

    def unique_name(
        self, key: str, value: object, seen: set[str], malformed: str, taken: str
    ) -> bool:
        """Whether `value` is a name (letters, digits, '.', '-', '_') not in `seen`; else a problem."""
        if not isinstance(value, str) or not _NAME.match(value):
            self.problem(key, malformed)
            return False
        if value in seen:
            self.problem(key, taken)
            return False
        return True

    def project(self) -> Project:
        raw = self.raw
        for key in raw:
            if key not in _KNOWN_KEYS and key not in SECTIONS:
                self.problem(key, "unknown key")
        source = self.language("source_language", raw.get("source_language"), required=True)
        targets = self.target_languages(source)
        langs = tuple(x for x in (source, *targets) if x)
        name = raw.get("name", slug(self.root.name, "brochure"))
        if not isinstance(name, str) or not _NAME.match(name):
            self.problem("name", "must be letters, digits, '.', '-' or '_'")
            name = "brochure"
        title = self.texts("title", raw.get("title"), langs, required=True)
        subtitle = self.texts("subtitle", raw.get("subtitle"), langs, required=False)
        publisher = self.per_language("publisher", raw.get("publisher"), langs)
        date = self.per_language("date", raw.get("date"), langs)
        documents = self.documents(source)
        colophon = self.colophon(langs, documents)
        attachments = self.attachments("attachments", raw.get("attachments", []))
        editions = self.editions(langs, source, targets, name, attachments)
        abbreviations, removed, rules = self.segmentation()
        tdir = self.translations_dir()
        sections = self.sections(langs)
        if self.problems:
            raise ProjectError(f"{self.file}: " + "; ".join(self.problems))
        return Project(
            root=self.root, name=name, title=title, subtitle=subtitle, publisher=publisher,
            date=date, colophon=colophon, source_language=source or "", target_languages=targets,
            documents=documents, editions=editions, abbreviations=abbreviations,
            removed_abbreviations=removed, break_rules=rules, translations_dir=Path(tdir),
            sections=sections,
        )  # fmt: skip

    def sections(self, langs: tuple[str, ...]) -> dict[str, Any]:
        import importlib

        out = {}
        for name, target in SECTIONS.items():
            if name not in self.raw:
                continue
            table = self.raw[name]
            if not isinstance(table, dict):
                self.problem(name, "must be a table")
                continue
            module, func = target.split(":")
            validate = getattr(importlib.import_module(module), func)
            out[name] = validate(
                table, langs, lambda key, msg, _n=name: self.problem(f"{_n}.{key}", msg)
            )
        return out

    def per_language(self, key: str, value: Any, langs: tuple[str, ...]) -> dict[str, str]:
        """One text for every language (a string, or a TOML date) or a table of language code =
        string (publisher, date, the colophon's texts)."""
        if value is None:
            return {}
        if hasattr(value, "isoformat"):  # a TOML date
            value = value.isoformat()
        if isinstance(value, str):
            return dict.fromkeys(langs, value) if value else {}
        if isinstance(value, dict):
            out = {}
            for lang, text in value.items():
                if hasattr(text, "isoformat"):
                    text = text.isoformat()
                if lang not in langs:
                    self.problem(f"{key}.{lang}", "not a language of this project")
                elif not isinstance(text, str):
                    self.problem(f"{key}.{lang}", "must be a string")
                elif text:
                    out[lang] = text
            return out
        self.problem(key, "must be a string or a table of language code = string")
        return {}

    def colophon(self, langs: tuple[str, ...], documents: Sequence[DocumentSpec]) -> Colophon:
        """[colophon]: translators and reviewers (lists), licence and note (optional), and
        [colophon.sources]: for each document file, what its text was translated from."""
        table = self.raw.get("colophon")
        if table is None:
            return Colophon()
        if not isinstance(table, dict):
            self.problem("colophon", "must be a table")
            return Colophon()
        known = ("translators", "reviewers", "licence", "note", "sources")
        for k in table:
            if k not in known:
                self.problem(f"colophon.{k}", f"unknown key (known: {', '.join(known)})")
        people: dict[str, tuple[dict[str, str], ...]] = {}
        for k in ("translators", "reviewers"):
            value = table.get(k, [])
            if isinstance(value, (str, dict)):
                value = [value]
            if not isinstance(value, list):
                self.problem(
                    f"colophon.{k}",
                    "must be a list of names (strings or tables of language code = string)",
                )
                value = []
            people[k] = tuple(
                texts for i, item in enumerate(value)
                if (texts := self.per_language(f"colophon.{k}[{i}]", item, langs))
            )  # fmt: skip
        sources: dict[str, dict[str, str]] = {}
        value = table.get("sources", {})
        if not isinstance(value, dict):
            self.problem(
                "colophon.sources",
                'must be a table of "document file" = what it was translated from',
            )
            value = {}
        # a document by the path written in `documents`, its file name or its name
        files = {n: spec.name for spec in documents for n in (spec.path.name, spec.name)}
        by_path = {spec.path: spec.name for spec in documents}
        for item in self.raw.get("documents") or []:
            written = item.get("path") if isinstance(item, dict) else item
            if isinstance(written, str) and (self.root / written).resolve() in by_path:
                files[written] = by_path[(self.root / written).resolve()]
        for file, item in value.items():
            key = f'colophon.sources."{file}"'
            if file not in files:
                names = ", ".join(spec.path.name for spec in documents)
                self.problem(key, f"not a document of this project (documents: {names})")
            elif texts := self.per_language(key, item, langs):
                sources[files[file]] = texts
        return Colophon(
            translators=people["translators"], reviewers=people["reviewers"],
            licence=self.per_language("colophon.licence", table.get("licence"), langs),
            note=self.per_language("colophon.note", table.get("note"), langs), sources=sources,
        )  # fmt: skip

    def language(self, key: str, value: Any, required: bool = False) -> str | None:
        if value is None:
            if required:
                self.problem(key, f"missing (one of: {languages.known_codes()})")
            return None
        if not isinstance(value, str) or not languages.is_known(value):
            self.problem(key, f"unknown language code {value!r} (known: {languages.known_codes()})")
            return None
        return value

    def target_languages(self, source: str | None) -> tuple[str, ...]:
        value = self.raw.get("target_languages")
        if value is None:
            self.problem("target_languages", "missing: list the languages to translate into")
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not value:
            self.problem("target_languages", "must be a non-empty list of language codes")
            return ()
        out: list[str] = []
        for i, code in enumerate(value):
            lang = self.language(f"target_languages[{i}]", code)
            if lang and lang == source:
                self.problem(f"target_languages[{i}]", f"{lang!r} is the source language")
            elif lang and lang not in out:
                out.append(lang)
        return tuple(out)

    def texts(self, key: str, value: Any, langs: tuple[str, ...], required: bool) -> dict[str, str]:
        """A string (in the source language) or a table of language code -> string."""
        if value is None:
            if required:
                self.problem(key, "missing")
            return {}
        if isinstance(value, str):
            return {langs[0]: value} if langs else {}
        if isinstance(value, dict):
            out = {}
            for lang, text in value.items():
                if lang not in langs:
                    self.problem(f"{key}.{lang}", "not a language of this project")
                elif not isinstance(text, str):
                    self.problem(f"{key}.{lang}", "must be a string")
                else:
                    out[lang] = text
            return out
        self.problem(key, "must be a string or a table of language code = string")
        return {}

    def documents(self, source: str | None) -> tuple[DocumentSpec, ...]:
        value = self.raw.get("documents")
        if value is None:
            self.problem("documents", "missing: list the source files in order")
            return ()
        if not isinstance(value, list) or not value:
            self.problem("documents", "must be a non-empty list of source files")
            return ()
        out: list[DocumentSpec] = []
        names: set[str] = set()
        for i, item in enumerate(value):
            key = f"documents[{i}]"
            name = None
            if isinstance(item, dict):
                name = item.get("name")
                item = item.get("path")
            path = self.project_file(key, item)
            if path is None:
                continue
            if path.suffix.lower() not in (".md", ".markdown", ".txt", ".text"):
                self.problem(key, f"unsupported source format {path.suffix!r} (use .md or .txt)")
                continue
            name = name or path.stem
            if not isinstance(name, str) or not _NAME.match(name):
                self.problem(key, f"document name {name!r} must be letters, digits, '.', '-', '_'")
                continue
            if name in names:
                self.problem(key, f"two documents named {name!r}: give one a `name`")
                continue
            names.add(name)
            out.append(DocumentSpec(path=path, name=name, lang=source or ""))
        return tuple(out)

    def project_file(self, key: str, item: Any) -> Path | None:
        """The real path of a file that brochure.toml names at `key`: an existing file inside the
        project (symbolic links followed), else None and the problem reported."""
        if not isinstance(item, str) or not item or not _PRINTABLE.match(item):
            self.problem(key, "must be a file path")
            return None
        path = real_inside(self.root, item)
        if path is None:
            self.problem(key, f"{item} {OUTSIDE}")
            return None
        try:
            found = path.is_file()
        except OSError as exc:  # a name too long for the file system
            self.problem(key, f"cannot read {item}: {exc.strerror}")
            return None
        if not found:
            self.problem(key, f"{item} is a folder, not a file" if path.is_dir()
                         else f"file not found: {item}")  # fmt: skip
            return None
        return path

    def attachments(self, key: str, value: Any) -> tuple[Path, ...]:
        """Files to embed in the PDF: paths inside the project (symbolic links followed), each
        an existing file, no two with the same name (a PDF lists its attachments by name)."""
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.problem(key, 'must be a list of files in the project, e.g. ["original.ru.pdf"]')
            return ()
        out: list[Path] = []
        for i, item in enumerate(value):
            where = f"{key}[{i}]"
            path = self.project_file(where, item)
            if path is None:
                continue
            if path.name in {p.name for p in out}:
                self.problem(where, f"two attachments named {path.name!r}")
                continue
            out.append(path)
        return tuple(out)

    def editions(
        self, langs: tuple[str, ...], source: str | None, targets: tuple[str, ...], name: str,
        attachments: tuple[Path, ...] = (),
    ) -> tuple[EditionSpec, ...]:  # fmt: skip
        value = self.raw.get("editions")
        if value is None:  # default: the source beside each target language, columns, A5
            return tuple(
                EditionSpec(
                    name=f"{source}-{t}",
                    languages=(source, t),
                    output=f"{name}.{source}-{t}",
                    attachments=attachments,
                )
                for t in targets
                if source
            )
        if not isinstance(value, list) or not value:
            self.problem("editions", "must be a list of tables ([[editions]])")
            return ()
        out: list[EditionSpec] = []
        seen_names: set[str] = set()
        seen_outputs: set[str] = set()
        for i, item in enumerate(value):
            key = f"editions[{i}]"
            if not isinstance(item, dict):
                self.problem(key, "must be a table")
                continue
            for k in item:
                if k not in (
                    "name",
                    "languages",
                    "layout",
                    "page_size",
                    "formats",
                    "output",
                    "impose",
                    "creep",
                    "bleed",
                    "pdf_variant",
                    "contents",
                    "pdf",
                    "attachments",
                ):
                    self.problem(f"{key}.{k}", "unknown key")
            elangs = item.get("languages")
            if not isinstance(elangs, list) or not 2 <= len(elangs) <= 3:
                self.problem(f"{key}.languages", "must list two or three language codes")
                continue
            ok = True
            for j, code in enumerate(elangs):
                if not isinstance(code, str):
                    self.problem(f"{key}.languages[{j}]", f"must be a language code, not {code!r}")
                    ok = False
                elif code not in langs:
                    self.problem(
                        f"{key}.languages[{j}]", f"{code!r} is not a language of this project"
                    )
                    ok = False
            if ok and len(set(elangs)) != len(elangs):
                self.problem(f"{key}.languages", "a language is listed twice")
                ok = False
            layout = item.get("layout", "columns")
            if not isinstance(layout, str) or not self._layout_exists(layout):
                self.problem(
                    f"{key}.layout",
                    f"unknown layout {layout!r} (built in: {', '.join(layouts.names())})",
                )
                ok = False
            page_size = item.get("page_size", "A5")
            try:
                page_size_mm(page_size)
            except (ValueError, TypeError):
                self.problem(
                    f"{key}.page_size",
                    f"unknown page size {page_size!r} (A4, A5, A6, Letter or '150mm x 210mm')",
                )
                ok = False
            outputs = formats_.names("output")
            writes = layouts.get(str(layout)).formats
            # an EPUB only on request: by default the PDFs and, where the layout has one, the DOCX
            formats = item.get("formats", [f for f in DEFAULT_FORMATS if f in writes])
            if isinstance(formats, str):
                formats = [formats]
            if (
                not isinstance(formats, list)
                or not formats
                or any(f not in outputs for f in formats)
            ):
                self.problem(f"{key}.formats", f"must be a list of: {', '.join(outputs)}")
                ok = False
            elif unknown := [f for f in formats if f not in writes]:
                self.problem(
                    f"{key}.formats",
                    f"the {layout} layout has no {', '.join(f.upper() for f in unknown)} output: "
                    f"formats = {_toml_list([f for f in formats if f in writes] or ['pdf'])}",
                )
                ok = False
            bleed = _bleed_mm(item.get("bleed", f"{DEFAULT_BLEED_MM:g}mm"))
            if bleed is None:
                self.problem(
                    f"{key}.bleed",
                    f'must be a length from "0mm" (no bleed) to "10mm", got {item.get("bleed")!r}',
                )
                ok = False
            pdf_variant = item.get("pdf_variant", "")
            if pdf_variant not in ("", *PDF_VARIANTS):
                self.problem(
                    f"{key}.pdf_variant",
                    f"unknown PDF variant {pdf_variant!r} (known: {', '.join(PDF_VARIANTS)})",
                )
                ok = False
            contents = item.get("contents", "auto")
            if isinstance(contents, bool):
                contents = "always" if contents else "never"
            if not isinstance(contents, str) or contents not in CONTENTS:
                self.problem(
                    f"{key}.contents",
                    f'must be "auto" (left out for a short text), true or false, got {item.get("contents")!r}',
                )
                ok = False
            pdf = item.get("pdf", list(PDF_OUTPUTS))
            if isinstance(pdf, str):
                pdf = [pdf]
            if not isinstance(pdf, list) or not pdf or any(v not in PDF_OUTPUTS for v in pdf):
                self.problem(f"{key}.pdf", f"must be a list of: {', '.join(PDF_OUTPUTS)}")
                ok = False
                pdf = list(PDF_OUTPUTS)
            joined = "-".join(str(x) for x in elangs)
            ename = item.get("name", joined if layout == "columns" else f"{joined}-{layout}")
            ok &= self.unique_name(
                f"{key}.name", ename, seen_names, "must be letters, digits, '.', '-' or '_'",
                f"two editions named {ename!r}",
            )  # fmt: skip
            output = item.get(
                "output", f"{name}.{joined}" if layout == "columns" else f"{name}.{joined}.{layout}"
            )
            ok &= self.unique_name(
                f"{key}.output", output, seen_outputs, "must be a file name without folders",
                f"two editions write build/{output}.*: set `output`",
            )  # fmt: skip
            impose = item.get("impose", "")
            if impose not in ("", "booklet"):
                self.problem(f"{key}.impose", f"unknown imposition {impose!r} (booklet)")
                ok = False
            creep = item.get("creep", 0.0)
            if (
                not isinstance(creep, (int, float))
                or isinstance(creep, bool)
                or not 0 <= creep <= 5
            ):
                self.problem(f"{key}.creep", "must be a number of millimetres from 0 to 5")
                ok = False
            own = item.get("attachments")  # an edition's own list replaces the project's
            attached = attachments if own is None else self.attachments(f"{key}.attachments", own)
            if not ok:
                continue
            seen_names.add(ename)
            seen_outputs.add(output)
            out.append(EditionSpec(name=ename, languages=tuple(elangs), layout=layout,
                                   page_size=page_size, formats=tuple(dict.fromkeys(formats)), output=output,
                                   impose=impose, creep=float(creep), bleed=bleed or 0.0,
                                   pdf_variant=pdf_variant, contents=contents,
                                   pdf=tuple(v for v in PDF_OUTPUTS if v in pdf),
                                   attachments=attached))  # fmt: skip
        return tuple(out)

    def _layout_exists(self, layout: str) -> bool:
        if layout in layouts.names():
            return True
        if not _NAME.match(layout) or real_inside(self.root, Path("layouts") / layout) is None:
            return False
        return (self.root / "layouts" / layout).is_dir()

    def translations_dir(self) -> str:
        tdir = self.raw.get("translations_dir", "translations")
        if not isinstance(tdir, str) or not tdir or not _PRINTABLE.match(tdir):
            self.problem("translations_dir", "must be a folder name")
            return "translations"
        if Path(tdir).is_absolute() or real_inside(self.root, tdir) is None:
            self.problem("translations_dir", f"{tdir} {OUTSIDE}")
            return "translations"
        if (self.root / tdir).exists() and not (self.root / tdir).is_dir():
            self.problem("translations_dir", f"{tdir} is a file, not a folder")
            return "translations"
        return tdir

    def segmentation(
        self,
    ) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]], tuple[BreakRule, ...]]:
        """[segmentation]: abbreviations added and removed, and break / no-break rules."""
        seg = self.raw.get("segmentation", {})
        if not isinstance(seg, dict):
            self.problem("segmentation", "must be a table")
            return {}, {}, ()
        for k in seg:
            if k not in ("abbreviations", "remove_abbreviations", "rules"):
                self.problem(f"segmentation.{k}", "unknown key")
        added = self._word_lists(seg, "abbreviations")
        removed = self._word_lists(seg, "remove_abbreviations")
        return added, removed, self._break_rules(seg.get("rules", []))

    def _word_lists(self, seg: dict[str, Any], name: str) -> dict[str, tuple[str, ...]]:
        table = seg.get(name, {})
        if not isinstance(table, dict):
            self.problem(f"segmentation.{name}", "must be a table of language code = [list]")
            return {}
        out: dict[str, tuple[str, ...]] = {}
        for lang, words in table.items():
            key = f"segmentation.{name}.{lang}"
            if not languages.is_known(lang):
                self.problem(key, f"unknown language code {lang!r}")
            elif not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
                self.problem(key, 'must be a list of abbreviations such as ["проф.", "т.б."]')
            else:
                out[lang] = tuple(words)
        return out

    def _break_rules(self, value: Any) -> tuple[BreakRule, ...]:
        if not isinstance(value, list):
            self.problem("segmentation.rules", "must be a list of tables ([[segmentation.rules]])")
            return ()
        out = []
        for i, item in enumerate(value):
            key = f"segmentation.rules[{i}]"
            if not isinstance(item, dict):
                self.problem(key, "must be a table with break, before and after")
                continue
            unknown = [k for k in item if k not in ("break", "before", "after", "lang")]
            for k in unknown:
                self.problem(f"{key}.{k}", "unknown key")
            breaks = item.get("break")
            if not isinstance(breaks, bool):
                self.problem(
                    f"{key}.break", "must be true (break here) or false (never break here)"
                )
            lang = item.get("lang", "")
            if lang != "" and (not isinstance(lang, str) or not languages.is_known(lang)):
                self.problem(f"{key}.lang", f"unknown language code {lang!r}")
            patterns = []
            for part in ("before", "after"):
                pattern = item.get(part, "")
                if not isinstance(pattern, str) or len(pattern) > MAX_PATTERN:
                    self.problem(
                        f"{key}.{part}",
                        f"must be a regular expression (at most {MAX_PATTERN} characters)",
                    )
                    continue
                # the engine the segmenter runs project patterns with (time-limited); imported
                # only for a project that has patterns (a tenth of a no-change build's time)
                import regex

                try:  # as the segmenter runs it (segmentation.rules: with a time limit)
                    regex.compile(pattern)
                except regex.error as exc:
                    self.problem(f"{key}.{part}", f"invalid regular expression: {exc}")
                    continue
                patterns.append(pattern)
            if not item.get("before") and not item.get("after"):
                self.problem(key, "needs a `before` or an `after` pattern")
            elif isinstance(breaks, bool) and len(patterns) == 2 and not unknown:
                out.append(BreakRule(breaks, patterns[0], patterns[1], lang, f"{self.file}: {key}"))
        return tuple(out)

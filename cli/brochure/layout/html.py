"""Edition -> HTML for WeasyPrint: Jinja2 templates from a project's layouts/ or the built-in ones.

Templates are looked up in this order (as mkdocs' custom_dir): the project's `layouts/<layout>/`,
the built-in `layouts/<layout>/`, the project's `layouts/base/`, the built-in `layouts/base/`
(the skeleton, cover, contents and CSS partials every layout shares). So a project can replace one
stylesheet and keep the rest; `builtin/<path>` always names the built-in file, so an override can
include the original and add to it: `{% include "builtin/columns/columns.css" %}`.

A project's layouts are untrusted input (people send each other projects): templates run in Jinja's
sandbox (no Python attributes such as `__class__` or `__globals__`, so no code execution), and a
template file is read only when its real path lies inside the project or the package (no symbolic
link out of the project). What WeasyPrint may fetch is guarded in layout/weasy.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from brochure.core import languages, layouts
from brochure.core.datamodel import AlignedDocument, Edition, RichText
from brochure.core.errors import LayoutError
from brochure.core.paths import OUTSIDE, allowed, link_target
from brochure.layout.linebreak import line_breaking, word_chars
from brochure.layout.rows import MAX_MEASURE_EM, Geometry, Row, document_rows, geometry, linked_runs
from brochure.layout.typography import keep_last_words

TEMPLATE = "brochure.html.j2"
# Inline formatting, outermost first, so a note's emphasis nests inside the note.
_TAGS = (
    ("note", '<span class="note">', "</span>"),
    ("strong", "<strong>", "</strong>"),
    ("em", "<em>", "</em>"),
)
BASE = "base"  # the shared templates and CSS partials
# Text columns per page: columns puts the languages side by side, the others give each its full width.
# A row budget no paragraph reaches: the PDF layouts keep paragraphs whole (see context()).
WHOLE = 10**12


def builtin_layouts() -> Path:
    """The folder of the built-in layouts inside the installed package."""
    return Path(str(resources.files("brochure.builtin.layouts")))


def fonts_dir() -> Path:
    """The shipped fonts (PT Serif, PT Sans, OFL): never the system's."""
    return builtin_layouts() / "fonts"


@dataclass(frozen=True)
class TocEntry:
    """A line of the table of contents: an h1 or h2 (or an untitled document)."""

    level: int
    target: str  # the id of the heading (first language) the entry points at
    texts: dict[str, str]  # per edition language


@dataclass(frozen=True)
class DocumentView:
    """What the template needs of one document."""

    name: str
    titles: dict[str, str]  # per edition language, falling back to the source's
    rows: list[Row]
    heading_shift: int  # subtract from a heading's level so the document's top heading is an h1
    has_heading: bool
    toc: list[TocEntry] = field(default_factory=list)

    def level(self, row: Row) -> int:
        """The HTML heading level (1-6) of a heading row."""
        return min(6, max(1, row.level - self.heading_shift))

    def anchor(self, row: Row) -> str:
        return f"h-{self.name}-{row.block_id}"


def allowed_roots(search_dirs: tuple[Path, ...] = ()) -> tuple[Path, ...]:
    """The folders a layout may read files from: the package's layouts and each project (the
    folder that holds its layouts/)."""
    return (builtin_layouts(), *(Path(d).parent for d in search_dirs))


class _GuardedLoader(jinja2.FileSystemLoader):
    """A FileSystemLoader that refuses a template whose real path (symbolic links followed) lies
    outside the project and the package."""

    def __init__(self, searchpath: str, roots: tuple[Path, ...]):
        super().__init__(searchpath)
        self.roots = roots

    def get_source(self, environment: jinja2.Environment, template: str):  # type: ignore[no-untyped-def]
        source, filename, uptodate = super().get_source(environment, template)
        if not allowed(filename, self.roots):
            raise LayoutError(
                f"{filename}: {OUTSIDE} (a symbolic link to {Path(filename).resolve()})"
            )
        return source, filename, uptodate


def environment(layout: str, search_dirs: tuple[Path, ...] = ()) -> jinja2.Environment:
    """A sandboxed Jinja2 environment that finds `layout`'s templates in the project first, then
    built in, then the shared base templates (project, built in); `builtin/...` names a built-in
    file."""
    roots = allowed_roots(search_dirs)
    folders = [Path(d) / layout for d in search_dirs] + [builtin_layouts() / layout]
    for d in search_dirs:
        for folder in (Path(d), Path(d) / layout, Path(d) / BASE):
            if folder.exists() and not allowed(folder, roots[1:]):
                raise LayoutError(f"{folder}: {OUTSIDE} (a symbolic link to {folder.resolve()})")
    existing = [str(f) for f in folders if f.is_dir()]
    if not existing:
        searched = ", ".join(str(f) for f in folders)
        raise LayoutError(f"layout {layout!r} not found (searched {searched})")
    if layout != BASE:
        bases = [Path(d) / BASE for d in search_dirs] + [builtin_layouts() / BASE]
        existing += [str(f) for f in bases if f.is_dir()]
    loaders: list[jinja2.BaseLoader] = [_GuardedLoader(f, roots) for f in existing]
    loaders.append(
        jinja2.PrefixLoader({"builtin": _GuardedLoader(str(builtin_layouts()), roots[:1])})
    )
    env = SandboxedEnvironment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=jinja2.select_autoescape(
            enabled_extensions=("html", "j2"), default_for_string=True
        ),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["rich"] = rich_html
    # a cover title's or subtitle's last line is never one word (they stay as written in the
    # edition: they are also the PDF's metadata)
    env.filters["keep_last_words"] = keep_last_words
    return env


def rich_html(text: RichText) -> Markup:
    """RichText as escaped HTML with <em>, <strong>, notes as <span class="note"> and links as
    <a class="link" href> (a live link in the screen PDF; the print PDF's finisher removes
    annotations, so there the text stays, without one)."""
    out = []
    for chunk, kinds, target in _spaces_inside_boxes(linked_runs(text)):
        if not chunk:
            continue
        opening = "".join(tag for kind, tag, _ in _TAGS if kind in kinds)
        closing = "".join(tag for kind, _, tag in reversed(_TAGS) if kind in kinds)
        if target and link_target(target):  # checked again: a layout is the last gate
            opening = f'<a class="link" href="{escape(target)}">{opening}'
            closing = f"{closing}</a>"
        out.append(f"{opening}{escape(chunk)}{closing}")
    return Markup("".join(out))


def _spaces_inside_boxes(
    chunks: list[tuple[str, frozenset[str], str]],
) -> list[tuple[str, frozenset[str], str]]:
    """The runs with the space before and after an inline box (emphasis, a note, a link) moved
    inside it. Works around WeasyPrint 70's line breaking next to inline boxes (its issue #1614:
    a space ending the text before a box, or starting the text after it, makes it back up to an
    earlier break): "на пути" or "[Nazarbayev's party]" was left alone on a short line in the
    middle of a paragraph (the print review's C9)."""
    texts = [chunk for chunk, _, _ in chunks]
    boxed = [bool(kinds or target) for _, kinds, target in chunks]
    for n in range(len(texts) - 1):
        if boxed[n + 1] and texts[n].endswith(" "):
            texts[n], texts[n + 1] = texts[n][:-1], " " + texts[n + 1]
        elif boxed[n] and not boxed[n + 1] and texts[n + 1].startswith(" "):
            texts[n], texts[n + 1] = texts[n] + " ", texts[n + 1][1:]
    return [(text, kinds, target) for text, (_, kinds, target) in zip(texts, chunks, strict=True)]


def render_html(edition: Edition, search_dirs: tuple[Path, ...] = ()) -> tuple[str, Path]:
    """The edition as one HTML string, and the base URL folder its relative links resolve against."""
    info = edition.info
    env = environment(info.layout, search_dirs)
    template = get_template(env, info.layout)
    html = template.render(**context(edition))
    assert template.filename is not None
    return html, Path(template.filename).parent


def get_template(env: jinja2.Environment, layout: str, name: str = TEMPLATE) -> jinja2.Template:
    """A layout's template, or LayoutError naming the layout and the missing file."""
    try:
        return env.get_template(name)
    except jinja2.TemplateNotFound as exc:
        raise LayoutError(f"layout {layout!r}: template {exc.name!r} not found") from None


def template_error(exc: jinja2.TemplateError) -> LayoutError:
    """A template's error (syntax, unsafe code refused by the sandbox, an unknown variable) as one
    line naming the template file and line."""
    import traceback

    where = ""
    if isinstance(exc, jinja2.TemplateSyntaxError) and (exc.filename or exc.name):
        where = f"{exc.filename or exc.name}:{exc.lineno}"
    else:  # Jinja maps its frames back to the template's lines
        for frame, line in traceback.walk_tb(exc.__traceback__):
            name = frame.f_code.co_filename
            if not name.endswith(".py") and Path(name).is_file():
                where = f"{name}:{line}"
    what = {
        jinja2.exceptions.SecurityError: "unsafe template code refused",
        jinja2.TemplateSyntaxError: "template syntax error",
    }.get(type(exc), "template error")
    return LayoutError(f"{where or 'layout'}: {what}: {exc}")


def layout_geometry(edition: Edition) -> Geometry:
    """Columns share the page among the languages; interleaved and facing give each the full
    width, up to a readable measure (rows.MAX_MEASURE_EM)."""
    info = edition.info
    if layouts.get(info.layout).full_width:
        return geometry(info.page_size, 1, max_measure_em=MAX_MEASURE_EM)
    return geometry(info.page_size, len(info.languages))


def context(edition: Edition, geo: Geometry | None = None) -> dict[str, Any]:
    """The template's variables. Every paragraph is one row (one unit): WeasyPrint cuts a table
    row or a block where a page break falls, and the facing layout cuts at the page break it
    computes, so a paragraph is cut only there and reads as one everywhere else."""
    from brochure.layout.prepress import slug_mm

    info = edition.info
    geo = geo or layout_geometry(edition)
    docs = [document_view(doc, info.languages, WHOLE) for doc in edition.documents]
    langs = [languages.get(code) for code in info.languages]
    return {
        "info": info,
        "lang": info.languages[0],
        "languages": langs,
        "geometry": geo,
        "line": line_breaking(geo, word_chars(edition)),
        "css_page_size": css_page_size(geo),
        "fonts_url": fonts_dir().as_uri(),
        "documents": docs,
        "title": _first(info.title, info.languages),
        "keywords": ", ".join([*(lang.native for lang in langs), *info.languages]),
        "labels": {code: languages.get(code).contents for code in info.languages},
        "toc": [entry for doc in docs for entry in doc.toc] if show_contents(edition, geo) else [],
        "bleed_mm": info.bleed_mm,
        "slug_mm": slug_mm(info.bleed_mm),
        "folio": "counter(page)",
        "header_left": "string(section-0)",
        "header_right": f"string(section-{1 if len(langs) > 1 else 0})",
    }


# contents = "auto" leaves the table of contents out of a text shorter than this many pages, and
# out of a single document with fewer entries (it would point at the next page or two).
CONTENTS_MIN_PAGES = 3
CONTENTS_MIN_ENTRIES = 3


def show_contents(edition: Edition, geo: Geometry | None = None) -> bool:
    """Whether the edition gets a table of contents (its `contents`: auto, always, never)."""
    info = edition.info
    if info.contents != "auto":
        return info.contents == "always"
    geo = geo or layout_geometry(edition)
    return estimated_pages(edition, geo) >= CONTENTS_MIN_PAGES and (
        len(edition.documents) > 1 or _toc_entries(edition) >= CONTENTS_MIN_ENTRIES
    )


def estimated_pages(edition: Edition, geo: Geometry) -> float:
    """Pages of text, estimated from the characters of each language: side by side in columns
    the longest language counts, interleaved all of them, facing one page each per spread."""
    per_lang = {
        lang: sum(
            len(t.text) + 1
            for doc in edition.documents
            for block in doc.blocks
            for seg in block.segments
            if (t := seg.texts.get(lang)) is not None
        )
        for lang in edition.info.languages
    }
    page = geo.chars_per_line * geo.lines_per_page
    if edition.info.layout == "interleaved":
        return sum(per_lang.values()) / page
    return max(per_lang.values(), default=0) / page


def _toc_entries(edition: Edition) -> int:
    """Entries of the contents: headings of levels 1-2 (after the shift), or the untitled documents."""
    count = 0
    for doc in edition.documents:
        levels = [b.level for b in doc.blocks if b.kind == "heading"]
        count += sum(1 for lvl in levels if lvl - (min(levels) - 1) <= 2) if levels else 1
    return count


def document_view(doc: AlignedDocument, langs: tuple[str, ...], budget: int) -> DocumentView:
    """One document's rows and headings, ready for the template."""
    levels = [b.level for b in doc.blocks if b.kind == "heading"]
    source_title = _first(doc.title, langs) or doc.name
    view = DocumentView(
        name=doc.name,
        titles={lang: doc.title.get(lang) or source_title for lang in langs},
        rows=document_rows(doc, langs, budget),
        heading_shift=min(levels) - 1 if levels else 0,
        has_heading=bool(levels),
    )
    if not view.has_heading:
        view.toc.append(TocEntry(1, f"doc-{doc.name}", view.titles))
    for row in view.rows:
        if row.kind == "heading" and view.level(row) <= 2:
            texts = {cell.lang: cell.plain or view.titles[cell.lang] for cell in row.cells}
            view.toc.append(TocEntry(view.level(row), view.anchor(row), texts))
    return view


def css_page_size(geo: Geometry) -> str:
    """The page size as CSS `size` wants it: '148mm 210mm'."""
    width, height = geo.page_mm
    return f"{width:g}mm {height:g}mm"


def _first(texts: dict[str, str], langs: tuple[str, ...]) -> str:
    for lang in langs:
        if texts.get(lang):
            return texts[lang]
    return next(iter(texts.values()), "")

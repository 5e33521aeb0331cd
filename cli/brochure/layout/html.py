"""Edition -> HTML for WeasyPrint: Jinja2 templates from a project's layouts/ or the built-in ones.

A project's `layouts/<layout>/` folder is searched before the built-in `layouts/<layout>/` (as
mkdocs' custom_dir), so a project can replace the stylesheet alone and keep the template.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from brochure import languages
from brochure.errors import LayoutError
from brochure.layout.rows import Geometry, Row, document_rows, geometry, runs
from brochure.model import AlignedDocument, Edition, RichText

TEMPLATE = "brochure.html.j2"
# Inline formatting, outermost first, so a note's emphasis nests inside the note.
_TAGS = (("note", '<span class="note">', "</span>"), ("strong", "<strong>", "</strong>"), ("em", "<em>", "</em>"))


def builtin_layouts() -> Path:
    return Path(str(resources.files("brochure.builtin.layouts")))


def fonts_dir() -> Path:
    """The shipped fonts (PT Serif, PT Sans, OFL): never the system's."""
    return builtin_layouts() / "fonts"


@dataclass(frozen=True)
class DocumentView:
    """What the template needs of one document."""

    name: str
    titles: dict[str, str]  # per edition language, falling back to the source's
    rows: list[Row]
    heading_shift: int  # subtract from a heading's level so the document's top heading is an h1
    has_heading: bool


def environment(layout: str, search_dirs: tuple[Path, ...] = ()) -> jinja2.Environment:
    """A Jinja2 environment that finds `layout`'s templates in the project first, then built in."""
    folders = [Path(d) / layout for d in search_dirs] + [builtin_layouts() / layout]
    existing = [str(f) for f in folders if f.is_dir()]
    if not existing:
        searched = ", ".join(str(f) for f in folders)
        raise LayoutError(f"layout {layout!r} not found (searched {searched})")
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(f) for f in existing]),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "j2"), default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["rich"] = rich_html
    return env


def rich_html(text: RichText) -> Markup:
    """RichText as escaped HTML with <em>, <strong> and notes as <span class="note">."""
    out = []
    for chunk, kinds in runs(text):
        opening = "".join(tag for kind, tag, _ in _TAGS if kind in kinds)
        closing = "".join(tag for kind, _, tag in reversed(_TAGS) if kind in kinds)
        out.append(f"{opening}{escape(chunk)}{closing}")
    return Markup("".join(out))


def render_html(edition: Edition, search_dirs: tuple[Path, ...] = ()) -> tuple[str, Path]:
    """The edition as one HTML string, and the base URL folder its relative links resolve against."""
    info = edition.info
    env = environment(info.layout, search_dirs)
    try:
        template = env.get_template(TEMPLATE)
    except jinja2.TemplateNotFound:
        raise LayoutError(f"layout {info.layout!r} has no {TEMPLATE}") from None
    html = template.render(**context(edition))
    assert template.filename is not None
    return html, Path(template.filename).parent


def context(edition: Edition) -> dict[str, Any]:
    """The template's variables."""
    info = edition.info
    geo = geometry(info.page_size, len(info.languages))
    return {
        "info": info,
        "lang": info.languages[0],
        "languages": [languages.get(code) for code in info.languages],
        "geometry": geo,
        "css_page_size": css_page_size(geo),
        "fonts_url": fonts_dir().as_uri(),
        "documents": [document_view(doc, info.languages, geo) for doc in edition.documents],
        "title": _first(info.title, info.languages),
    }


def document_view(doc: AlignedDocument, langs: tuple[str, ...], geo: Geometry) -> DocumentView:
    levels = [b.level for b in doc.blocks if b.kind == "heading"]
    source_title = _first(doc.title, langs) or doc.name
    return DocumentView(
        name=doc.name,
        titles={lang: doc.title.get(lang) or source_title for lang in langs},
        rows=document_rows(doc, langs, geo.row_budget),
        heading_shift=min(levels) - 1 if levels else 0,
        has_heading=bool(levels),
    )


def css_page_size(geo: Geometry) -> str:
    width, height = geo.page_mm
    return f"{width:g}mm {height:g}mm"


def _first(texts: dict[str, str], langs: tuple[str, ...]) -> str:
    for lang in langs:
        if texts.get(lang):
            return texts[lang]
    return next(iter(texts.values()), "")

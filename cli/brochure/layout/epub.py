"""Edition -> EPUB 3: the bilingual brochure for e-readers and phones.

An EPUB is reflowable: the reader's screen sets the measure, so every layout's EPUB is set as the
interleaved layout is, each paragraph followed by its translation (the languages of equal status,
a hairline beside a translation, dotted beside a third language), with the same units as the PDF
(layout.rows, paragraphs whole). One XHTML file per document, after a cover page with the titles
in every language; the navigation document lists every document's headings of levels 1-2 in all
the edition's languages (in the reading order too when the PDF has a contents page); the colophon
ends the book. Print typography is applied as for the DOCX (layout.render: a plain no-break
space for thousands, which every reading system's font has). Each element carries its language
(`lang` and `xml:lang`), so a reading system hyphenates, and reads aloud, each language in its own.

The fonts are the PDF's faces (PT Serif, PT Sans) subset to the edition's characters
(layout.fonts.font_subset, as the DOCX embeds them; the SIL OFL allows it): a reader's own font
may lack Kazakh letters (ә ғ қ ң ө ұ ү һ і). A reading system that lets its user choose a font
still may.

Written with the standard library's zipfile (the `mimetype` entry first and stored, as the OCF
container asks) from the layouts' Jinja templates in layouts/epub/ (a project's layouts/epub/
replaces any of them, as for the PDF layouts); tests check every file with EPUBCheck, the
standard's own validator.
"""

from __future__ import annotations

import os
import re
import uuid
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from brochure.core import languages
from brochure.core.atomic import atomic_path
from brochure.core.datamodel import Edition

# The faces the EPUB embeds: (CSS family, weight, style, shipped file).
FACES = (
    ("Brochure Serif", 400, "normal", "PT_Serif-Web-Regular.ttf"),
    ("Brochure Serif", 700, "normal", "PT_Serif-Web-Bold.ttf"),
    ("Brochure Serif", 400, "italic", "PT_Serif-Web-Italic.ttf"),
    ("Brochure Serif", 700, "italic", "PT_Serif-Web-BoldItalic.ttf"),
    ("Brochure Sans", 400, "normal", "PT_Sans-Web-Regular.ttf"),
    ("Brochure Sans", 700, "normal", "PT_Sans-Web-Bold.ttf"),
)
TEMPLATES = "epub"  # layouts/epub/
Stamp = tuple[int, int, int, int, int, int]  # UTC year, month, day, hour, minute, second
# A date the OPF may carry as dc:date (W3CDTF: 2026, 2026-11, 2026-11-30); another form ("March
# 2026", "2026 ж.") is printed on the cover and in the colophon only.
_W3C_DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")
# Any fixed UUID: the book's identifier is made from it and the edition's titles and languages,
# so a rebuilt EPUB is the same book to a reading system (its position and notes are kept).
_NAMESPACE = uuid.UUID("7f1b6d8e-3c1a-5e2b-9a55-0b7c1e9d4a21")


@dataclass(frozen=True)
class Chapter:
    """One document's XHTML file in the EPUB."""

    file: str  # "text-01.xhtml"
    view: Any  # layout.html.DocumentView


def write_epub(edition: Edition, out: Path, *, search_dirs: tuple[Path, ...] = ()) -> Path:
    """Lay out `edition` as an EPUB 3 at `out`, written atomically (`search_dirs`: a project's
    layouts/ folders, searched for layouts/epub/ templates before the built-in ones)."""
    when = modified_time()
    files = epub_files(edition, search_dirs, when)
    with atomic_path(out) as tmp:
        with zipfile.ZipFile(tmp, "w") as z:
            for name, data in files.items():
                info = zipfile.ZipInfo(name, date_time=when)
                # the OCF container: "mimetype" first, stored, no extra field
                info.compress_type = (
                    zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
                )
                z.writestr(info, data)
    return out


def epub_files(
    edition: Edition, search_dirs: tuple[Path, ...] = (), when: Stamp | None = None
) -> dict[str, bytes]:
    """Every file of the EPUB container in order, by its name in the container (`when`: its
    dcterms:modified, see modified_time)."""
    import jinja2

    from brochure.layout.fonts import font_subset, subset_characters
    from brochure.layout.html import (
        WHOLE,
        document_view,
        environment,
        get_template,
        show_contents,
        template_error,
    )

    info = edition.info
    langs = [languages.get(code) for code in info.languages]
    chapters = [
        Chapter(f"text-{n:02d}.xhtml", document_view(doc, info.languages, WHOLE))
        for n, doc in enumerate(edition.documents, start=1)
    ]
    title = next((info.title[c] for c in info.languages if info.title.get(c)), "") or info.name
    chars = subset_characters(edition)
    fonts = {f"fonts/{file}": font_subset(file, chars) for *_, file in FACES}
    context = {
        "info": info,
        "lang": info.languages[0],
        "languages": langs,
        "title": title,
        "chapters": chapters,
        "documents": [c.view for c in chapters],
        "toc": _nested_toc(chapters),
        "contents_page": show_contents(edition),
        "labels": {code: languages.get(code).contents for code in info.languages},
        "summaries": languages.accessibility_summaries(langs),
        "faces": [
            (family, weight, style, f"fonts/{file}") for family, weight, style, file in FACES
        ],
        "fonts": list(fonts),
        "identifier": f"urn:uuid:{_identifier(edition)}",
        "modified": "{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}Z".format(*(when or modified_time())),
        "dates": [d for d in dict.fromkeys(info.date.values()) if _W3C_DATE.fullmatch(d)][:1],
    }
    env = environment(TEMPLATES, search_dirs)
    try:
        text = {name: get_template(env, TEMPLATES, template) for name, template in (
            ("EPUB/cover.xhtml", "cover.xhtml.j2"), ("EPUB/nav.xhtml", "nav.xhtml.j2"),
            ("EPUB/colophon.xhtml", "colophon.xhtml.j2"), ("EPUB/style.css", "epub.css"),
            ("EPUB/package.opf", "package.opf.j2"))}  # fmt: skip
        chapter = get_template(env, TEMPLATES, "document.xhtml.j2")
        # (the XML declaration must open each file: no blank line before it)
        rendered = {name: t.render(**context).lstrip() for name, t in text.items()}
        for c in chapters:
            rendered[f"EPUB/{c.file}"] = chapter.render(**context, chapter=c).lstrip()
    except jinja2.TemplateError as exc:
        raise template_error(exc) from None
    files: dict[str, bytes] = {
        "mimetype": b"application/epub+zip",
        "META-INF/container.xml": _CONTAINER.encode(),
    }
    order = ["EPUB/package.opf", "EPUB/nav.xhtml", "EPUB/cover.xhtml",
             *(f"EPUB/{c.file}" for c in chapters), "EPUB/colophon.xhtml", "EPUB/style.css"]  # fmt: skip
    files.update({name: rendered[name].encode("utf-8") for name in order})
    files.update({f"EPUB/{name}": data for name, data in fonts.items()})
    return files


_CONTAINER = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
"""


def _nested_toc(chapters: list[Chapter]) -> list[dict[str, Any]]:
    """The navigation document's entries: each level-1 entry with its level-2 entries under it
    (a level-2 entry before any level 1 stands on its own), each with its file and anchor."""
    entries: list[dict[str, Any]] = []
    for c in chapters:
        for entry in c.view.toc:
            item = {"href": f"{c.file}#{entry.target}", "texts": entry.texts, "children": []}
            if entry.level > 1 and entries and entries[-1]["level"] == 1:
                entries[-1]["children"].append(item)
            else:
                entries.append({**item, "level": entry.level})
    return entries


def _identifier(edition: Edition) -> uuid.UUID:
    """The book's identifier: the same titles and languages give the same one."""
    info = edition.info
    titles = "|".join(f"{code}={info.title.get(code, '')}" for code in info.languages)
    return uuid.uuid5(_NAMESPACE, f"{info.name}|{titles}")


def modified_time() -> Stamp:
    """When the EPUB was last changed (dcterms:modified, the zip entries' dates), in UTC to the
    second: now (a reading system takes a later date for a newer version of the book), or
    SOURCE_DATE_EPOCH when set (reproducible builds: the same inputs give the same bytes)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    now = datetime.fromtimestamp(int(epoch), UTC) if epoch.isdigit() else datetime.now(UTC)
    return (now.year, now.month, now.day, now.hour, now.minute, now.second)

"""`brochure init`: a starter project (brochure.toml, a text, its translations) that builds at once."""

from __future__ import annotations

from pathlib import Path

from brochure.core.errors import ProjectError
from brochure.core.project import PROJECT_FILE, Project, load_project
from brochure.core.text import slug

STARTER_TOML = """\
# A brochure project: `brochure build` writes build/{name}.en-ru.pdf (for the screen),
# build/{name}.en-ru.print.pdf (for the press) and build/{name}.en-ru.docx
name = "{name}"
title = {{ en = "My Brochure", ru = "Моя брошюра" }}
subtitle = {{ en = "A bilingual edition", ru = "Двуязычное издание" }}
publisher = ""
date = ""
source_language = "en"
target_languages = ["ru"]
documents = ["text.md"]

[[editions]]
languages = ["en", "ru"]
layout = "columns"
page_size = "A5"
# add "epub" to formats for e-readers and phones: build/{name}.en-ru.epub
formats = ["pdf", "docx"]
pdf = ["screen", "print"]

# Abbreviations that do not end a sentence, added to the built-in lists:
# [segmentation.abbreviations]
# ru = ["ред."]

# Machine drafts for `brochure translate` and `brochure build` (a model: `brochure models install`):
# [mt]
# engine = "argos"
"""

STARTER_TEXT = """\
# My Brochure

This is the first paragraph. Write the source text in Markdown: headings, paragraphs,
lists and block quotes.

- A list item.
"""


def starter_translations(project: Project) -> list[Path]:
    """Translations for `brochure init`'s starter text, so a new project builds at once."""
    from brochure.core.datamodel import RichText
    from brochure.segmentation.documents import segment_source
    from brochure.store.xliff import open_store

    written = []
    for document in project.documents:
        seg = segment_source(project, document)
        for lang in project.target_languages:
            table = STARTER.get(lang, {})
            store = open_store(project, document, lang)
            store.sync(seg.segments)
            for s in seg.segments:
                if s.text in table:
                    store.set_target(
                        s.id, RichText(table[s.text]), "final", meta={"origin": "human"}
                    )
            store.save()
            written.append(store.path)
    return written


STARTER = {
    "ru": {
        "My Brochure": "Моя брошюра",
        "This is the first paragraph.": "Это первый абзац.",
        "Write the source text in Markdown: headings, paragraphs, lists and block quotes.": "Исходный текст пишется в Markdown: заголовки, абзацы, списки и цитаты.",
        "A list item.": "Пункт списка.",
    }
}


def init_project(folder: Path) -> list[Path]:
    """Write a starter project that builds; never overwrite an existing file."""
    folder.mkdir(parents=True, exist_ok=True)
    toml_path = folder / PROJECT_FILE
    if toml_path.exists():
        raise ProjectError(f"{toml_path}: a project exists already; nothing was changed")
    from brochure.core.atomic import write_text_atomic

    name = slug(folder.resolve().name, "brochure")
    written = []
    text_path = folder / "text.md"
    if not text_path.exists():
        write_text_atomic(text_path, STARTER_TEXT)
        written.append(text_path)
    write_text_atomic(toml_path, STARTER_TOML.format(name=name))
    written.append(toml_path)
    written.extend(starter_translations(load_project(folder)))
    return written

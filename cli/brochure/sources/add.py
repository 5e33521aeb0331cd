"""`brochure add`: bring a source file into a project as a Markdown document.

The Markdown is written beside the project's other documents and appended to `documents` in
brochure.toml (edited with tomlkit, so its comments, layout and order stay as they were). Adding a
file again compares paragraph by paragraph: the same text changes nothing; a changed text replaces
the Markdown and the report says which paragraphs changed. Translations follow through the store:
unchanged sentences keep theirs, changed ones are kept aside (stale) and offered again by the memory.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from brochure.core import languages
from brochure.core.atomic import write_text_atomic
from brochure.core.errors import ProjectError, SourceError
from brochure.core.project import _NAME, PROJECT_FILE, DocumentSpec, Project, load_project
from brochure.core.text import slug
from brochure.sources.formats import read_source
from brochure.sources.language import detect_language
from brochure.sources.markdown_out import Source
from brochure.sources.text import parse_markdown


@dataclass
class AddResult:
    path: Path  # the project's Markdown document
    name: str
    lang: str
    status: Literal["added", "unchanged", "updated"]
    paragraphs: int
    changes: list[str] = field(default_factory=list)  # one line per changed paragraph
    unchanged: int = 0
    entry: str = ""  # what was appended to `documents` (added only)
    title: str = ""  # the file's own title (an EPUB's dc:title)
    parts: list[str] = field(default_factory=list)  # an EPUB's chapters, as --chapters numbers them


def add_source(
    project_dir: Path | str | None,
    file: Path,
    *,
    name: str | None = None,
    lang: str | None = None,
    chapters: str | None = None,
) -> AddResult:
    """Convert `file` and put it into the project; nothing is written when anything is wrong.
    A language and title the file declares (an EPUB's) stand in for `lang` and `name`."""
    project = load_project(project_dir)
    markdown, source = read_source(file, chapters=chapters)
    blocks = parse_markdown(markdown)
    if not blocks:
        raise SourceError(f"{file}: no text found")
    declared = _declared_language(source.language) if lang is None else None
    lang = _language(file, " ".join(b.text for b in blocks), lang or declared, project, declared)
    default = _default_name(file, source, chapters)
    result = _place(project, file, markdown, blocks, lang, name, default)
    result.title, result.parts = source.title, source.parts
    return result


def _default_name(file: Path, source: Source, chapters: str | None) -> str:
    """The document's name: from the title the file declares, else from the file's name; with
    the chapters taken, so each text of a collection gets a name of its own."""
    stem = slug(source.title).lower() or slug(file.stem).lower()
    if chapters and stem:
        stem += "-" + slug(chapters.replace(",", "-"))
    return stem


def _declared_language(code: str) -> str | None:
    """A language code a file declares ("en-GB", "RU") as the project knows it, if it does."""
    primary = code.strip().split("-")[0].split("_")[0].lower()
    return primary if primary and languages.is_known(primary) else None


def _place(
    project: Project,
    file: Path,
    markdown: str,
    blocks: list,
    lang: str,
    name: str | None,
    default: str,
) -> AddResult:
    named = name is not None
    name = name or default
    if not name or not _NAME.match(name):
        raise SourceError(
            f"{file}: cannot make a document name from the file name; give --name (letters, digits, '.', '-', '_')"
        )
    folder = project.documents[0].path.parent if project.documents else project.root
    target = (folder / f"{name}.md").resolve()
    existing = next((d for d in project.documents if d.path == target), None)
    for d in project.documents:
        if d.name == name and d.path != target:
            raise ProjectError(
                f"{project.path}: documents: a document named {name!r} exists ({d.path.name}); choose another --name"
            )
    if existing is not None:
        return _update(target, name, lang, markdown, len(blocks))
    if not named and (twin := _same_text_as(project, markdown)):  # the text, under another name
        return AddResult(
            twin.path, twin.name, lang, "unchanged", len(blocks), unchanged=len(blocks)
        )
    if target.exists() and _structure(target.read_text(encoding="utf-8")) != _structure(markdown):
        raise SourceError(
            f"{target}: exists and is not a document of the project; choose another --name"
        )
    return _add(project, target, name, lang, markdown, len(blocks))


def _same_text_as(project: Project, markdown: str) -> DocumentSpec | None:
    """A document of the project whose text is `markdown`'s, Markdown spelling aside."""
    wanted = _structure(markdown)
    for document in project.documents:
        try:
            text = document.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if _structure(text) == wanted:
            return document
    return None


def _language(
    file: Path, text: str, lang: str | None, project: Project, declared: str | None = None
) -> str:
    source = project.source_language
    if lang is not None:
        if not languages.is_known(lang):
            raise SourceError(
                f"--lang: unknown language code {lang!r} (known: {languages.known_codes()})"
            )
        found = lang
    else:
        detected = detect_language(text)
        if detected is None:
            raise SourceError(f"{file}: too little text to tell its language; give --lang")
        found = detected
    by_file = declared is not None and lang == declared  # the language the file declares
    if found != source:
        how = "looks like"
        if lang is not None:
            how = "is declared (dc:language) as" if by_file else "is marked as"
        raise SourceError(
            f"{file}: the text {how} {languages.get(found).name} ({found}) but the project's "
            f"source_language is {languages.get(source).name} ({source}); translate it first, "
            f"or give --lang {source} if the {'declaration' if by_file else 'detection'} is wrong"
        )
    return found


def _update(target: Path, name: str, lang: str, markdown: str, count: int) -> AddResult:
    old = target.read_text(encoding="utf-8") if target.exists() else ""
    if _structure(old) == _structure(markdown):  # the same text; the editor's Markdown stays
        return AddResult(target, name, lang, "unchanged", count, unchanged=count)
    changes, same = paragraph_changes(old, markdown)
    write_text_atomic(target, markdown)
    return AddResult(target, name, lang, "updated", count, changes=changes, unchanged=same)


def _add(
    project: Project, target: Path, name: str, lang: str, markdown: str, count: int
) -> AddResult:
    toml_path = project.path
    before = toml_path.read_bytes().decode("utf-8")  # as it is: CRLF line ends stay CRLF
    entry = target.relative_to(project.root).as_posix()
    bom = "\ufeff" if before.startswith("\ufeff") else ""  # kept, as the rest of the file is
    after = bom + append_document(before.removeprefix(bom), entry)
    created = not target.exists()
    if created:  # an existing file with this very text (FILE itself, say) is registered as it is
        write_text_atomic(target, markdown)
    try:
        write_text_atomic(toml_path, after)
        load_project(project.root)  # the edited file must still be a valid project
    except BaseException:
        write_text_atomic(toml_path, before)
        if created:
            target.unlink(missing_ok=True)
        raise
    return AddResult(target, name, lang, "added", count, entry=entry)


def _structure(markdown: str) -> list[tuple]:
    """What a document's content is, Markdown spelling aside: its blocks, their text and marks."""
    return [(b.kind, b.level, b.ordered, b.text, b.content.spans) for b in parse_markdown(markdown)]


def append_document(toml_text: str, entry: str) -> str:
    """brochure.toml's text with `entry` appended to `documents`; everything else as it was."""
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    try:
        doc = tomlkit.parse(toml_text)
    except TOMLKitError as exc:
        raise ProjectError(f"{PROJECT_FILE}: invalid TOML: {exc}") from None
    documents = doc.get("documents")
    if documents is None:
        doc["documents"] = [entry]
    elif isinstance(documents, list):
        documents.append(entry)
    else:
        raise ProjectError(f"{PROJECT_FILE}: documents: must be a list of source files")
    return tomlkit.dumps(doc)


def paragraph_changes(old: str, new: str) -> tuple[list[str], int]:
    """One line per paragraph added, removed or changed between two Markdown texts; and the
    number of paragraphs that stayed the same."""
    a = [b.text for b in parse_markdown(old)]
    b = [b.text for b in parse_markdown(new)]
    lines: list[str] = []
    same = 0
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            same += i2 - i1
            continue
        for k in range(max(i2 - i1, j2 - j1)):
            i, j = i1 + k, j1 + k
            if i < i2 and j < j2:
                was, now = _difference(a[i], b[j])
                lines.append(f"paragraph {j + 1} changed: «{was}» -> «{now}»")
            elif j < j2:
                lines.append(f"paragraph {j + 1} added: «{_short(b[j])}»")
            else:
                lines.append(f"paragraph {i + 1} of the old text removed: «{_short(a[i])}»")
    return lines, same


def _short(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _difference(old: str, new: str, context: int = 20) -> tuple[str, str]:
    """The changed part of a paragraph with a little context on each side."""
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    end = 0
    while end < min(len(old), len(new)) - start and old[-1 - end] == new[-1 - end]:
        end += 1
    lo = max(0, start - context)
    while lo > 0 and not old[lo - 1].isspace():  # whole words of context
        lo -= 1

    def cut(text: str) -> str:
        hi = min(len(text), len(text) - end + context)
        while hi < len(text) and not text[hi].isspace():
            hi += 1
        return ("…" if lo else "") + _short(text[lo:hi], 80) + ("…" if hi < len(text) else "")

    return cut(old), cut(new)

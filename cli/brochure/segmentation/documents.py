"""The pipeline's stages wired together for the commands: read -> segment -> translations -> editions."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from brochure.core import languages
from brochure.core.datamodel import SegmentedDocument
from brochure.core.errors import BrochureError, ProjectError
from brochure.core.memo import Memo
from brochure.core.project import PROJECT_FILE, DocumentSpec, Project, load_project
from brochure.segmentation.rules import get_segmenter, project_segmenter, segment_document
from brochure.sources.text import read_document

# The last documents segmented, by what they were made from: the source's bytes, its path and
# language, and the project's segmentation rules. A workbench request or a save reads a long
# document's segments again and again; its Markdown parsing and sentence splitting are the slow
# part (a 2,000-unit text: most of a second), and the result (frozen dataclasses) can be shared.
_SEGMENTED: Memo[SegmentedDocument] = Memo(8)


def segment_source(project: Project, document: DocumentSpec) -> SegmentedDocument:
    """Read and segment one of the project's documents (the same bytes and rules: the same
    segments, kept from the last time)."""
    try:
        data = document.path.read_bytes()
    except OSError:
        data = None  # read_document says what is wrong, in its words
    key = None
    if data is not None:
        rules = repr((project.abbreviations, project.removed_abbreviations, project.break_rules))
        digest = hashlib.sha1(data).hexdigest()
        key = (str(document.path), document.lang, digest, rules)
        known = _SEGMENTED.get(key)
        if known is not None:
            return known
    doc = read_document(document.path, document.lang)
    segmented = segment_document(doc, project_segmenter(project, document.lang))
    if key is not None:
        _SEGMENTED.put(key, segmented)
    return segmented


def segment_file(
    path: Path, lang: str | None = None, project_dir: Path | None = None
) -> dict[str, Any]:
    """Blocks and segments of any source file, as plain data (for `brochure segments`)."""
    project = None
    folder = project_dir or path.parent
    if (folder / PROJECT_FILE).exists():
        project = load_project(folder)
        lang = lang or project.source_language
    elif project_dir is not None:
        raise ProjectError(f"{project_dir / PROJECT_FILE}: no project file here")
    lang = lang or "en"
    if not languages.is_known(lang):
        raise BrochureError(
            f"--lang: unknown language code {lang!r} (known: {languages.known_codes()})"
        )
    segmenter = project_segmenter(project, lang) if project else get_segmenter(lang)
    seg = segment_document(read_document(path, lang), segmenter)
    blocks = []
    for index, block in enumerate(seg.document.blocks):
        blocks.append({
            "index": index, "kind": block.kind, "line": block.line, "level": block.level,
            "text": block.text,
            "segments": [
                {"id": s.id, "start": s.start, "end": s.end, "text": s.text}
                for s in seg.block_segments(index)
            ],
        })  # fmt: skip
    return {"file": str(path), "lang": lang, "blocks": blocks}

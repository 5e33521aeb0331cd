"""The store for a set of languages: every document segmented, its translation files opened and synced."""

from __future__ import annotations

from collections.abc import Sequence

from brochure.core.datamodel import SegmentedDocument
from brochure.core.project import Project
from brochure.segmentation.documents import segment_source
from brochure.store.xliff import TranslationFile, open_store


def load_translations(
    project: Project, langs: Sequence[str], sync: bool = True
) -> tuple[dict[str, SegmentedDocument], dict[tuple[str, str], TranslationFile]]:
    """Segment every document and open (and sync) its store for each target language in `langs`."""
    segmented = {d.name: segment_source(project, d) for d in project.documents}
    stores: dict[tuple[str, str], TranslationFile] = {}
    for document in project.documents:
        for lang in langs:
            if lang == project.source_language:
                continue
            store = open_store(project, document, lang)
            if sync:
                store.sync(segmented[document.name].segments)
            stores[(document.name, lang)] = store
    return segmented, stores

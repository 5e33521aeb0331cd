"""Segments + the store -> an Edition: each segment paired with its text in every language of the edition."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from brochure import __version__
from brochure.core.datamodel import (
    AlignedBlock,
    AlignedDocument,
    AlignedSegment,
    Colophon,
    Edition,
    EditionInfo,
    RichText,
    SegmentedDocument,
    in_language,
)  # fmt: skip
from brochure.core.project import DocumentSpec, EditionSpec, Project
from brochure.editions.nobreak import glossary_names
from brochure.store.xliff import TranslationFile


@dataclass(frozen=True)
class Missing:
    document: str
    lang: str
    segment_id: str
    text: str
    store: Path


def generator() -> str:
    """What made the outputs, for their metadata (PDF Producer, DOCX properties)."""
    return f"brochure {__version__}"


def assemble_document(
    project: Project, document: DocumentSpec, seg: SegmentedDocument, langs: Sequence[str],
    stores: dict[tuple[str, str], TranslationFile], missing: list[Missing],
) -> AlignedDocument:  # fmt: skip
    """Pair each segment with its text in every language of the edition."""
    blocks = []
    title: dict[str, str] = {}
    for index, block in enumerate(seg.document.blocks):
        aligned_segments = []
        for s in seg.block_segments(index):
            texts: dict[str, RichText | None] = {}
            for lang in langs:
                if lang == project.source_language:
                    texts[lang] = s.content
                    continue
                store = stores[(document.name, lang)]
                unit = store.get(s.id)
                if unit is not None and unit.has_target:
                    texts[lang] = unit.target
                else:
                    texts[lang] = None
                    missing.append(Missing(document.name, lang, s.id, s.text, store.path))
            aligned_segments.append(AlignedSegment(s.id, texts))
        if not aligned_segments:
            continue
        if block.kind == "heading" and not title:
            title = {
                lang: (t.text if (t := aligned_segments[0].texts[lang]) else "") for lang in langs
            }
        blocks.append(
            AlignedBlock(
                id=aligned_segments[0].id,
                kind=block.kind,
                level=block.level,
                segments=tuple(aligned_segments),
                ordered=block.ordered,
                number=block.number,
            )  # fmt: skip
        )
    return AlignedDocument(name=document.name, title=title, blocks=tuple(blocks))


def make_edition(
    project: Project, spec: EditionSpec, segmented: dict[str, SegmentedDocument],
    stores: dict[tuple[str, str], TranslationFile], draft: bool, missing: list[Missing],
) -> Edition:  # fmt: skip
    """One edition: every document assembled in its languages, with the title page data."""
    docs = tuple(
        assemble_document(project, d, segmented[d.name], spec.languages, stores, missing)
        for d in project.documents
    )
    source_title = project.title.get(project.source_language, "")
    info = EditionInfo(
        name=spec.name, languages=spec.languages, layout=spec.layout, page_size=spec.page_size,
        title={lang: project.title.get(lang, source_title) for lang in spec.languages},
        subtitle={lang: project.subtitle[lang] for lang in spec.languages if lang in project.subtitle},
        publisher=_in_edition(project.publisher, spec, project),
        date=_in_edition(project.date, spec, project), colophon=_colophon(project, spec),
        contents=spec.contents, draft=draft, generator=generator(),
        bleed_mm=spec.bleed, pdf_variant=spec.pdf_variant, pdf_outputs=spec.pdf,
        nobreak=glossary_names(project, spec.languages), attachments=spec.attachments,
    )  # fmt: skip
    return Edition(info=info, documents=docs)


def _in_edition(texts: dict[str, str], spec: EditionSpec, project: Project) -> dict[str, str]:
    """A per-language text in each of the edition's languages (the source's when one is missing)."""
    if not texts:
        return {}
    return {lang: in_language(texts, lang, project.source_language) for lang in spec.languages}


def _colophon(project: Project, spec: EditionSpec) -> Colophon:
    colophon = project.colophon

    def each(texts: dict[str, str]) -> dict[str, str]:
        return _in_edition(texts, spec, project)

    return Colophon(
        translators=tuple(each(t) for t in colophon.translators),
        reviewers=tuple(each(t) for t in colophon.reviewers),
        licence=each(colophon.licence), note=each(colophon.note),
        sources={name: each(t) for name, t in colophon.sources.items()},
    )  # fmt: skip


def missing_message(missing: list[Missing], project: Project) -> str:
    """The build's error for missing translations: which, and where to fill them."""
    lines = [f"{len(missing)} segment(s) have no translation:"]
    for m in missing[:40]:
        words = " ".join(m.text.split()[:8])
        lines.append(f"  {m.document} [{m.lang}] {m.segment_id}  {words}...")
    if len(missing) > 40:
        lines.append(f"  ... and {len(missing) - 40} more")
    stores = sorted({str(m.store.relative_to(project.root)) for m in missing})
    lines.append(
        "Fill their <target> in "
        + ", ".join(stores)
        + " (or in a CAT tool), or build anyway with --draft (`brochure build --draft`,"
        " `brochure preview --draft`)."
    )
    return "\n".join(lines)

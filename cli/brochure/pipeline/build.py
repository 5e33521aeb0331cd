"""`brochure build`: read, segment, take translations from the store, lay out every edition.

build(project) is the one core function the command calls; the layout renderer can be swapped
(tests pass their own), as WeasyPrint's main(argv, HTML=HTML) does.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from brochure import __version__
from brochure.core.datamodel import (
    AlignedBlock,
    AlignedDocument,
    AlignedSegment,
    Edition,
    EditionInfo,
    RichText,
    SegmentedDocument,
)  # fmt: skip
from brochure.core.errors import MissingTranslations
from brochure.core.project import DocumentSpec, EditionSpec, Project
from brochure.segmentation.documents import segment_source
from brochure.store.xliff import TranslationFile, open_store

log = logging.getLogger(__name__)
Renderer = Callable[..., Path]


@dataclass(frozen=True)
class Missing:
    document: str
    lang: str
    segment_id: str
    text: str
    store: Path


def generator() -> str:
    return f"brochure {__version__}"


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


def align(
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
    docs = tuple(
        align(project, d, segmented[d.name], spec.languages, stores, missing)
        for d in project.documents
    )
    source_title = project.title.get(project.source_language, "")
    info = EditionInfo(
        name=spec.name, languages=spec.languages, layout=spec.layout, page_size=spec.page_size,
        title={lang: project.title.get(lang, source_title) for lang in spec.languages},
        subtitle={lang: project.subtitle[lang] for lang in spec.languages if lang in project.subtitle},
        publisher=project.publisher, date=project.date, draft=draft, generator=generator(),
        bleed_mm=spec.bleed, pdf_variant=spec.pdf_variant,
    )  # fmt: skip
    return Edition(info=info, documents=docs)


def missing_message(missing: list[Missing], project: Project) -> str:
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
        + " (or in a CAT tool), or build anyway with `brochure build --draft`."
    )
    return "\n".join(lines)


def build_project(
    project: Project, *, editions: Sequence[str] = (), draft: bool = False,
    render: Renderer | None = None, out_dir: Path | None = None, mt: bool = True,
    force: bool = False, strict: bool = False, impose: str = "",
) -> list[Path]:  # fmt: skip
    """Build the selected editions (all by default); return the files written.

    An output whose inputs did not change since it was written is left alone (see buildstate);
    `force` rebuilds it anyway. `impose="booklet"` (or an edition's `impose`) also writes the PDF
    imposed for saddle stitching as <output>.booklet.pdf.

    With an engine configured ([mt] in brochure.toml) and `mt`, missing translations are drafted
    by machine translation first (as `brochure translate` does).

    `strict`: glossary and QA errors (see brochure.check.qa) fail the build.
    """
    from brochure.pipeline.state import BuildState, fingerprint

    specs = [project.edition(name) for name in editions] if editions else list(project.editions)
    if impose:
        specs = [replace(spec, impose=impose) for spec in specs]
    out_dir = out_dir or project.build_dir
    state = BuildState(project)
    digests = {
        (spec.name, fmt): fingerprint(project, spec, fmt, draft)
        for spec in specs
        for fmt in spec.formats
    }
    if not force and not strict and all(
        state.up_to_date(out_dir / f"{spec.output}.{fmt}", digests[(spec.name, fmt)])
        for spec in specs for fmt in spec.formats
    ):  # fmt: skip
        # Same sources, translations, glossary and layout as the last build: the stores are in
        # sync already and every output is current, so not even segmentation needs to run.
        log.info("nothing changed since the last build: nothing written")
        return []
    langs = sorted({lang for spec in specs for lang in spec.languages})
    segmented, stores = load_translations(project, langs)
    if mt:
        from brochure.engines.config import mt_configured

        if mt_configured(project):
            from brochure.translate.fill import fill_missing

            for line in fill_missing(project, segmented, stores, langs).summary():
                log.info("%s", line)
    for store in stores.values():
        if store.save():
            log.info("updated %s", store.path.relative_to(project.root))
    missing: list[Missing] = []
    built = [
        (spec, make_edition(project, spec, segmented, stores, draft, missing)) for spec in specs
    ]
    if missing:
        unique = list({(m.document, m.lang, m.segment_id): m for m in missing}.values())
        if not draft:
            raise MissingTranslations(missing_message(unique, project))
        log.warning(
            "draft: %d segment(s) without translation are marked in the output", len(unique)
        )
    if strict:
        from brochure.check.qa import check_project, strict_gate

        targets = [lang for lang in langs if lang != project.source_language]
        strict_gate(check_project(project, targets, segmented=segmented, stores=stores))
    search_dirs = (project.root / "layouts",) if (project.root / "layouts").is_dir() else ()
    written = []
    for spec, edition in built:
        for fmt in spec.formats:
            out = out_dir / f"{spec.output}.{fmt}"
            shown = out.relative_to(project.root) if out.is_relative_to(project.root) else out
            digest = fingerprint(project, spec, fmt, draft)  # the stores may have been rewritten
            if not force and state.up_to_date(out, digest):
                log.info("up to date: %s", shown)
                continue
            if render is None:
                from brochure.layout import render
            log.info("building %s", shown)
            written.append(render(edition, fmt, out, search_dirs=search_dirs))
            if fmt == "pdf" and spec.impose == "booklet":
                from brochure.outputs.impose import impose_booklet

                written.append(
                    impose_booklet(out, out.with_suffix(".booklet.pdf"), creep_mm=spec.creep)
                )
            state.record(out, digest)
    if not written:
        log.info("nothing changed since the last build: nothing written")
    return written

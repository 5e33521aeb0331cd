"""`brochure build`: read, segment, take translations from the store, lay out every edition.

build(project) is the one core function the command calls; the layout renderer can be swapped
(tests pass their own), as WeasyPrint's main(argv, HTML=HTML) does.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from brochure.core.errors import MissingTranslations
from brochure.core.paths import shown as display
from brochure.core.project import EditionSpec, Project

if TYPE_CHECKING:
    from brochure.check.qa import Report
    from brochure.core.datamodel import SegmentedDocument
    from brochure.editions.assemble import Missing
    from brochure.store.xliff import TranslationFile

log = logging.getLogger(__name__)
Renderer = Callable[..., Path]


def build_project(
    project: Project, *, editions: Sequence[str] = (), draft: bool = False,
    render: Renderer | None = None, out_dir: Path | None = None, mt: bool = True,
    force: bool = False, strict: bool = False, impose: str = "", exiting: bool = False,
) -> list[Path]:  # fmt: skip
    """Build the selected editions (all by default); return the files written.

    An output whose inputs did not change since it was written is left alone (see buildstate);
    `force` rebuilds it anyway. `impose="booklet"` (or an edition's `impose`) also writes the PDF
    imposed for saddle stitching as <output>.booklet.pdf.

    With an engine configured ([mt] in brochure.toml) and `mt`, missing translations are drafted
    by machine translation first (as `brochure translate` does).

    `strict`: glossary and QA errors (see brochure.check.qa) fail the build.

    `exiting`: the process ends after this build (the `build` command): the last WeasyPrint
    documents are left to the system, not collected (see layout.weasy.collect_between_documents).
    """
    from brochure.pipeline.state import BuildState, fingerprint, mt_inputs

    specs = [project.edition(name) for name in editions] if editions else list(project.editions)
    if impose:
        specs = [replace(spec, impose=impose) for spec in specs]
    out_dir = out_dir or project.build_dir
    state = BuildState(project)
    if mt:  # (the engines' settings are imported only when the build may draft)
        from brochure.engines.config import mt_configured

        mt = mt_configured(project)
    # With MT on, what the drafts come from is an input too: the models and the memory files.
    extra = mt_inputs(project) if mt else ("mt off",)
    # One fingerprint per file: a PDF's variant (screen or print) is part of what it is built from.
    digests = {
        (spec.name, name): fingerprint(project, spec, _kind(fmt, variant), draft, extra)
        for spec in specs
        for fmt, variant, name in spec.output_files()
    }
    if not force and not strict and all(
        state.up_to_date(out_dir / name, digests[(spec.name, name)])
        for spec in specs for _, _, name in spec.output_files()
    ):  # fmt: skip
        # Same sources, translations, glossary and layout as the last build: the stores are in
        # sync already and every output is current, so not even segmentation needs to run.
        state.keep_digests()
        log.info("nothing changed since the last build: nothing written")
        return []
    # A broken project glossary stops the build here, with one line. (Not before the check above:
    # the glossary files are inputs of every fingerprint, so when every output is current they are
    # the files the last build loaded without a problem, and a no-change build skips reading them;
    # it imports the stages only now, for the same reason.)
    from brochure.editions.assemble import make_edition, missing_message
    from brochure.glossary.load import load_termbase
    from brochure.store.load import load_translations

    load_termbase(project)
    langs = sorted({lang for spec in specs for lang in spec.languages})
    segmented, stores = load_translations(project, langs)
    if mt:
        from brochure.translate.fill import fill_and_save

        drafts = fill_and_save(project, segmented, stores, langs)
        for line in drafts.summary():
            log.info("%s", line)
        for error in drafts.errors:  # one language's MT setup failed; the others were drafted
            log.warning("no machine translation: %s", error)
    for store in stores.values():
        if store.save():
            # (if another process saved the file meanwhile, the store now holds both: the
            # edition below is laid out from what is on disk)
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
    from brochure.check.qa import check_project, strict_gate

    targets = [lang for lang in langs if lang != project.source_language]
    report = check_project(project, targets, segmented=segmented, stores=stores)
    if strict:
        strict_gate(report)
    search_dirs = (project.root / "layouts",) if (project.root / "layouts").is_dir() else ()
    from brochure.layout.measures import attach
    from brochure.layout.weasy import collect_between_documents

    # the layouts keep their measurements in .brochure/ during the build (layout/measures.py)
    attach(project.cache_dir)
    # What is loaded so far (modules, the project, its stores and glossary) lives until the layout
    # is done: frozen, the collector does not count or scan it again while WeasyPrint allocates
    # its boxes (an edited paragraph's measuring pass tipped a build into one more full
    # collection: 0.47 s of garbage collection instead of 0.33); and the collector makes one full
    # pass per WeasyPrint document, not one whenever its counts say (layout/weasy.py)
    resume_collector = collect_between_documents(exiting)
    written = []
    try:
        for spec, edition in built:
            for fmt, variant, name in spec.output_files():
                out = out_dir / name
                shown = display(out)  # (as `wrote ...` names it: from the current folder)
                # the stores were saved
                digest = fingerprint(project, spec, _kind(fmt, variant), draft, extra)
                if not force and state.up_to_date(out, digest):
                    log.info("up to date: %s", shown)
                    continue
                if render is None:
                    from brochure.layout import render as default_render

                    render = default_render
                log.info("building %s", shown)
                target = replace(edition, info=replace(edition.info, pdf_output=variant))
                written.append(
                    render(target if variant else edition, fmt, out, search_dirs=search_dirs)
                )
                # the booklet is imposed from the screen PDF (no bleed), else from the print PDF
                if fmt == "pdf" and spec.impose == "booklet" and name == spec.pdf_file():
                    from brochure.outputs.impose import impose_booklet

                    written.append(
                        impose_booklet(
                            out, out_dir / f"{spec.output}.booklet.pdf", creep_mm=spec.creep
                        )
                    )
                if all(stores[(d.name, lang)].unchanged_on_disk()
                       for d in project.documents for lang in spec.languages if lang in targets):  # fmt: skip
                    state.record(out, digest)
                else:  # a translations file changed while we laid out: the next build redoes it
                    log.info("%s: a translations file changed during the build", shown)
    finally:
        attach(None)
        resume_collector()
    if not written:
        state.keep_digests()
        log.info("nothing changed since the last build: nothing written")
    for spec in specs:
        if line := edition_warning(project, spec, segmented, stores, report):
            log.warning("%s", line)
    return written


def _kind(fmt: str, variant: str) -> str:
    """What the fingerprint calls an output: 'docx', 'pdf' (the screen PDF) or 'pdf:print'."""
    return f"{fmt}:{variant}" if variant and variant != "screen" else fmt


def edition_warning(
    project: Project, spec: EditionSpec, segmented: dict[str, SegmentedDocument],
    stores: dict[tuple[str, str], TranslationFile], report: Report,
) -> str:  # fmt: skip
    """One line when an edition holds unreviewed machine drafts, targets no one confirmed (state
    initial: an unsure pair `align` offered, an XLIFF target its translator left initial) or
    check errors, else ""."""
    from brochure.store.status import classify

    targets = [lang for lang in spec.languages if lang != project.source_language]
    units = [
        stores[(d.name, lang)].get(s.id)
        for d in project.documents
        for lang in targets
        for s in segmented[d.name].segments
    ]
    drafts = sum(classify(unit) in ("mt", "memory") for unit in units)
    offered = sum(
        classify(unit) == "draft" and unit is not None and unit.state == "initial" for unit in units
    )
    errors = sum(issue.lang in targets and bool(issue.target) for issue in report.errors)
    problems = []
    if drafts:
        problems.append(f"{drafts} unreviewed machine draft(s) (see `brochure status`)")
    if offered:
        problems.append(f"{offered} unconfirmed target(s) in state initial (see `brochure status`)")
    if errors:
        problems.append(f"{errors} check error(s) (see `brochure check`)")
    return f"warning: edition {spec.name} holds {' and '.join(problems)}" if problems else ""

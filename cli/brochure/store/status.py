"""`brochure status`: how far the translations are, per document and language, and what a build needs.

Every current segment falls in exactly one class, counted in segments and source words:
final, reviewed (approved by a person), memory (filled from the translation memory, exact or
fuzzy), mt (a machine draft), draft (any other unapproved target: a person's, an import, an
alignment to check) and missing (no target). Read-only: the stores are synced in memory to see
the current segments, never saved.

An edition is "ready" only when every unit of its languages is reviewed or final and its check
found no error. The check lives above this stage, so the caller passes it in (`check_errors`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from brochure.core.datamodel import SegmentedDocument
    from brochure.core.project import Project
    from brochure.store.xliff import TranslationFile, Unit

    # (project, segmented, stores, langs) -> check errors per language
    CheckErrors = Callable[
        [Project, dict[str, SegmentedDocument], dict[tuple[str, str], TranslationFile], list[str]],
        dict[str, int],
    ]

CLASSES = ("final", "reviewed", "memory", "mt", "draft", "missing")
UNREVIEWED = ("memory", "mt", "draft")  # a target nobody has approved yet


def classify(unit: Unit | None) -> str:
    """Which progress class a unit counts in: final, reviewed, memory, mt, draft or missing."""
    if unit is None or not unit.has_target:
        return "missing"
    if unit.state in ("final", "reviewed"):
        return unit.state
    origin = unit.meta.get("origin", "")
    if origin.startswith("memory"):
        return "memory"
    if origin == "mt" or origin.startswith("mt:"):
        return "mt"
    return "draft"


@dataclass
class Counts:
    segments: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CLASSES, 0))
    words: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CLASSES, 0))

    def add(self, cls: str, words: int) -> None:
        self.segments[cls] += 1
        self.words[cls] += words

    @property
    def total(self) -> int:
        return sum(self.segments.values())

    @property
    def total_words(self) -> int:
        return sum(self.words.values())


@dataclass
class DocumentStatus:
    document: str
    lang: str
    store: str  # translations file, relative to the project
    counts: Counts
    stale_units: int  # units kept aside because their source changed
    store_needs_update: bool  # new or changed segments: the next build/translate rewrites the store
    missing_ids: list[str] = field(default_factory=list)


def project_status(project: Project, check_errors: CheckErrors | None = None) -> dict[str, Any]:
    """Counts per document and language, and what the next build will need (plain data).

    `check_errors` counts the check's errors per language (the command passes the check stage's
    own function); without it, readiness does not look at the check.
    """
    from brochure.store.load import load_translations

    segmented, stores = load_translations(project, project.target_languages)
    errors = (
        check_errors(project, segmented, stores, list(project.target_languages))
        if check_errors is not None
        else {}
    )
    rows: list[DocumentStatus] = []
    for document in project.documents:
        for lang in project.target_languages:
            store = stores[(document.name, lang)]
            counts = Counts()
            missing = []
            for s in segmented[document.name].segments:
                cls = classify(store.get(s.id))
                counts.add(cls, len(s.text.split()))
                if cls == "missing":
                    missing.append(s.id)
            stale = sum(1 for u in store.units(include_stale=True) if u.stale)
            rows.append(DocumentStatus(
                document.name, lang, store.path.relative_to(project.root).as_posix(), counts, stale,
                store.changed or not store.path.exists(), missing,
            ))  # fmt: skip
    return {
        "project": project.name,
        "documents": [_row(r) for r in rows],
        "next_build": _next_build(project, rows, errors),
    }


def _row(r: DocumentStatus) -> dict[str, Any]:
    c = r.counts
    return {
        "document": r.document, "lang": r.lang, "store": r.store,
        "segments": c.total, "words": c.total_words,
        **{cls: {"segments": c.segments[cls], "words": c.words[cls]} for cls in CLASSES},
        "stale_units": r.stale_units, "store_needs_update": r.store_needs_update,
    }  # fmt: skip


def _next_build(
    project: Project, rows: list[DocumentStatus], errors: dict[str, int]
) -> dict[str, Any]:
    by_lang: dict[str, int] = {}
    review: dict[str, int] = {}
    for r in rows:
        by_lang[r.lang] = by_lang.get(r.lang, 0) + r.counts.segments["missing"]
        review[r.lang] = review.get(r.lang, 0) + sum(r.counts.segments[c] for c in UNREVIEWED)
    editions = []
    for spec in project.editions:
        targets = [lang for lang in spec.languages if lang != project.source_language]
        missing = sum(by_lang.get(lang, 0) for lang in targets)
        to_review = sum(review.get(lang, 0) for lang in targets)
        failed = sum(errors.get(lang, 0) for lang in targets)
        editions.append({
            "edition": spec.name, "missing_segments": missing, "to_review": to_review,
            "check_errors": failed, "ready": missing == 0 and to_review == 0 and failed == 0,
        })  # fmt: skip
    updates = [r.store for r in rows if r.store_needs_update]
    drafts = sum(r.counts.segments[c] for r in rows for c in UNREVIEWED)
    steps = []
    if any(by_lang.values()):
        langs = ", ".join(f"{lang} ({n})" for lang, n in by_lang.items() if n)
        steps.append(f"translate the missing segments: {langs} (`brochure translate`, a CAT tool via "
                     f"`brochure xliff export`, or `brochure build --draft` to build anyway)")  # fmt: skip
    if drafts:
        steps.append(f"review {drafts} unapproved draft(s) (memory, MT, imports)")
    if any(errors.values()):
        langs = ", ".join(f"{lang} ({n})" for lang, n in errors.items() if n)
        steps.append(f"fix the check's errors: {langs} (`brochure check`)")
    if updates:
        steps.append("sync the translations files with the sources: " + ", ".join(updates))
    return {
        "ready": all(e["ready"] for e in editions), "editions": editions,
        "stores_to_update": updates, "drafts_to_review": drafts, "steps": steps,
    }  # fmt: skip


def format_status(data: dict[str, Any]) -> str:
    """The status as a table for a terminal."""
    head = ["document", "lang", "segments", "words", *CLASSES]
    lines = [head]
    for row in data["documents"]:
        cells = [row["document"], row["lang"], str(row["segments"]), str(row["words"])]
        for cls in CLASSES:
            cells.append(
                f"{row[cls]['segments']}/{row[cls]['words']}w" if row[cls]["segments"] else "-"
            )
        lines.append(cells)
    widths = [max(len(r[i]) for r in lines) for i in range(len(head))]
    out = ["  ".join(c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True))).rstrip()
           for r in lines]  # fmt: skip
    for row in data["documents"]:
        if row["stale_units"]:
            out.append(
                f"{row['store']}: {row['stale_units']} unit(s) kept aside because their source changed"
            )
    nb = data["next_build"]
    for e in nb["editions"]:
        needs = []
        if e["missing_segments"]:
            needs.append(f"needs {e['missing_segments']} translation(s)")
        if e.get("to_review"):
            needs.append(f"{e['to_review']} unit(s) to review")
        if e.get("check_errors"):
            needs.append(f"{e['check_errors']} check error(s)")
        out.append(f"edition {e['edition']}: {', '.join(needs) if needs else 'ready'}")
    if nb["steps"]:
        out.append("next: " + "; ".join(nb["steps"]))
    else:
        out.append("next: nothing to do; every segment is translated")
    return "\n".join(out)

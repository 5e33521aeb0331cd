"""A person editing one unit (the workbench page): the same store, lock and merge as the CLI.

The page sends the unit's version as it loaded it (`unit_version`, the hash `xliff export`
records); if the unit on disk no longer has that version, someone else (the CLI, a text editor,
`xliff import`) changed it meanwhile and nothing is written: the caller shows both versions.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from brochure.core.atomic import file_lock
from brochure.core.errors import TranslationStoreError
from brochure.store.exchange import person_meta, unit_hash
from brochure.store.xliff import STATES, TranslationFile, Unit, open_store

if TYPE_CHECKING:
    from brochure.core.datamodel import RichText
    from brochure.core.project import DocumentSpec, Project


@dataclass
class EditResult:
    """The unit after the edit, or (conflict) as someone else left it on disk."""

    unit: Unit
    version: str
    conflict: bool = False


def unit_version(unit: Unit) -> str:
    """The version of a unit a page shows: its state and normalised target (the hash `xliff
    export` records), and its inline spans when it has any (a change of emphasis or of a link's
    address alone is a change the page must not overwrite)."""
    version = unit_hash(unit)
    if unit.target is None or not unit.target.spans:
        return version
    spans = ",".join(f"{s.kind}:{s.start}-{s.end}:{s.target}" for s in unit.target.spans)
    return hashlib.sha1(f"{version}|{spans}".encode()).hexdigest()[:16]


def open_synced(project: Project, document: DocumentSpec, lang: str) -> TranslationFile:
    """A document's store for `lang`, synced in memory with the current segments (not saved)."""
    from brochure.segmentation.documents import segment_source

    store = open_store(project, document, lang)
    store.sync(segment_source(project, document).segments)
    return store


def edit_unit(
    project: Project, document: DocumentSpec, lang: str, uid: str, target: RichText, state: str,
    version: str, *, via: str = "workbench",
) -> EditResult:  # fmt: skip
    """Set unit `uid`'s target (with its inline spans) and state as a person, unless it changed
    since `version`; an empty target only as `initial` (not translated)."""
    if state not in STATES:
        raise TranslationStoreError(f"{uid}: unknown state {state!r} (one of: {', '.join(STATES)})")
    if state != "initial" and not target.text.strip():
        # an empty target "reviewed" or "final" would leave every to-do list while nothing is
        # translated (status and check count it as missing)
        raise TranslationStoreError(
            f"{uid}: an empty target cannot be {state}: type its translation, or set its state "
            "to initial to leave it untranslated"
        )
    store = open_synced(project, document, lang)
    # The version is compared and the edit saved under the file's lock, on the file as it is
    # then: a command saving between a check made before the lock and this save would be merged
    # under this edit (a person's edit wins a merge), its change to this unit lost unseen.
    with file_lock(store.lock, store.path):
        if not store.unchanged_on_disk():
            store = open_synced(project, document, lang)
        unit = store.get(uid)
        if unit is None or unit.stale:
            raise TranslationStoreError(
                f"{store.path.name}: unit {uid!r} is not a segment of {document.name}"
            )
        if unit_version(unit) != version:
            return EditResult(unit, unit_version(unit), conflict=True)
        store.set_target(uid, target, state, meta=person_meta(unit, target.text, via))
        store.save()
    fresh = store.get(uid)
    assert fresh is not None
    return EditResult(fresh, unit_version(fresh))

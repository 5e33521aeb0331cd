"""Names never to hyphenate in an edition: the glossary's proper nouns, in the edition's languages.

The layout (layout.linebreak) keeps these words whole, with capitalised words, compounds and a
paragraph's last word; a project adds its own words in layouts/nobreak.txt.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from brochure.core.project import Project


def glossary_names(project: Project, langs: Sequence[str]) -> tuple[str, ...]:
    """Every preferred and admitted term and stored form of the proper-noun concepts."""
    from brochure.glossary.load import project_files

    stamp = tuple((str(p), p.stat().st_mtime_ns) for p in project_files(project.root))
    return _names(str(project.root), stamp, tuple(langs))


@lru_cache(maxsize=8)
def _names(
    root: str, stamp: tuple[tuple[str, int], ...], langs: tuple[str, ...]
) -> tuple[str, ...]:
    from brochure.glossary.load import load_termbase

    names: set[str] = set()
    for concept in load_termbase(root):
        if concept.pos != "proper-noun":
            continue
        for lang in langs:
            names.update(concept.approved(lang))
            names.update(concept.forms.get(lang, {}).values())
    return tuple(sorted(names))

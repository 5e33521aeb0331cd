"""The termbase: concepts by id, merged from the built-in glossary and the project's files, with a
matcher per language built on first use."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from brochure.glossary.concepts import Concept, langs
from brochure.glossary.match import Matcher


class Termbase:
    """Concepts by id, merged from the built-in glossary and the project's files."""

    def __init__(
        self, concepts: Iterable[Concept] = (), sources: tuple[str, ...] = (), digest: str = ""
    ):
        self.concepts: dict[str, Concept] = {c.id: c for c in concepts}
        self.sources = sources  # the files merged, in order
        self.digest = digest
        self._matchers: dict[tuple[str, bool], Matcher] = {}

    def __len__(self) -> int:
        return len(self.concepts)

    def __iter__(self) -> Iterator[Concept]:
        return iter(self.concepts.values())

    def get(self, concept_id: str) -> Concept | None:
        return self.concepts.get(concept_id)

    def signature(self) -> str:
        """What produced a decision, for translated units' metadata: glossary:<hash>."""
        return f"glossary:{self.digest[:12] or 'empty'}|concepts:{len(self.concepts)}"

    def matcher(self, lang: str, *, target: bool = False) -> Matcher:
        """The matcher for `lang` (built once). target=True also matches case-sensitive terms in
        any letter case, so a wrongly cased approved term is found (and can be repaired)."""
        key = (lang, target)
        if key not in self._matchers:
            self._matchers[key] = Matcher(self, lang, ignore_case=target)
        return self._matchers[key]

    def search(self, text: str = "", lang: str | None = None) -> list[Concept]:
        """Concepts whose id, terms or note contain `text` (case-insensitive), with a term in `lang`."""
        needle = text.casefold()
        out = []
        for concept in self:
            wanted = [lang] if lang else list(langs())
            if lang and not (concept.preferred.get(lang) or concept.admitted.get(lang)):
                continue
            hay = [concept.id, concept.note, concept.domain]
            for lg in wanted:
                hay.extend(t.text for t in concept.terms(lg))
            if not needle or any(needle in h.casefold() for h in hay):
                out.append(concept)
        return out

"""`brochure glossary lint`: problems a glossary can have that a single row cannot show.

errors: a file that does not load (wrong column count, duplicate id, unknown flag ...); a forbidden
rendering equal to an approved one of the same concept; a term the matcher would find as something
else (pattern syntax such as `(a+)+$`, a lone letter in punctuation: never matched).
warnings: a concept defined in two project files; a term preferred for two concepts (ambiguous);
a forbidden rendering that another concept approves; an admitted variant equal to the preferred
term; a missing language; an unknown part of speech.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from brochure.core.errors import GlossaryError
from brochure.glossary.concepts import LANGS, POS, Concept
from brochure.glossary.concepts import langs as glossary_langs
from brochure.glossary.tsv import GlossaryFile


@dataclass(frozen=True)
class Problem:
    severity: str  # "error" | "warning"
    where: str  # file:line
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.severity}: {self.message}"


def lint_sources(
    sources: list[tuple[str, bytes]], langs: tuple[str, ...] | None = None
) -> list[Problem]:
    """Lint glossary files given as (name, bytes), merged in order as the termbase merges them."""
    from brochure.glossary.concepts import merge

    problems: list[Problem] = []
    concepts: dict[str, Concept] = {}
    defined: dict[str, str] = {}
    for name, data in sources:
        try:
            gf = GlossaryFile.parse(Path(name), data)
        except GlossaryError as exc:
            where, _, message = str(exc).partition(": ")
            problems.append(Problem("error", where, message))
            continue
        for concept, present in gf.concepts():
            if concept.id in defined and not defined[concept.id].startswith("<built-in>"):
                problems.append(Problem("warning", concept.origin,
                                        f"{concept.id!r} is also defined at {defined[concept.id]}; this row wins"))  # fmt: skip
            defined[concept.id] = concept.origin
            base = concepts.get(concept.id)
            concepts[concept.id] = merge(base, concept, present) if base else concept
    problems.extend(lint_concepts(list(concepts.values()), langs))
    return problems


def lint_concepts(concepts: list[Concept], langs: tuple[str, ...] | None = None) -> list[Problem]:
    """Problems of merged concepts; `langs`: the languages every concept should have a term in."""
    langs = LANGS if langs is None else langs
    all_langs = glossary_langs()
    problems: list[Problem] = []
    approved_by: dict[tuple[str, str], list[Concept]] = defaultdict(list)
    preferred_by: dict[tuple[str, str], list[Concept]] = defaultdict(list)
    for c in concepts:
        for lang in all_langs:
            for term in c.approved(lang):
                approved_by[(lang, term.casefold())].append(c)
            if c.preferred.get(lang):
                preferred_by[(lang, c.preferred[lang].casefold())].append(c)
    from brochure.glossary.match import term_problem

    for c in concepts:
        where = c.origin or c.id
        for lang in all_langs:
            for written in c.terms(lang):
                problem = term_problem(written.text)
                if problem:
                    problems.append(Problem("error", where,
                                            f"{c.id}: {lang} «{written.text}» is not a term: {problem}"))  # fmt: skip
        missing = [lang for lang in langs if not c.preferred.get(lang)]
        if missing:
            problems.append(
                Problem("warning", where, f"{c.id}: no preferred term in {', '.join(missing)}")
            )
        if c.pos and c.pos not in POS:
            problems.append(
                Problem(
                    "warning",
                    where,
                    f"{c.id}: unknown part of speech {c.pos!r} (one of: {', '.join(POS)})",
                )
            )
        for lang in all_langs:
            pref = c.preferred.get(lang, "")
            own = {t.casefold() for t in c.approved(lang)}
            for t in c.admitted.get(lang, ()):
                if pref and t.casefold() == pref.casefold():
                    problems.append(
                        Problem(
                            "warning",
                            where,
                            f"{c.id}: {lang} admitted «{t}» repeats the preferred term",
                        )
                    )
            for t in c.forbidden.get(lang, ()):
                if t.casefold() in own:
                    problems.append(
                        Problem(
                            "error", where, f"{c.id}: {lang} «{t}» is both forbidden and approved"
                        )
                    )
                    continue
                others = [o.id for o in approved_by.get((lang, t.casefold()), [])
                          if o.id != c.id and _same_term(t, c, _approved_as(o, lang, t), o)]  # fmt: skip
                if others:
                    problems.append(Problem("warning", where,
                                            f"{c.id}: {lang} «{t}» is forbidden here but approved for {', '.join(others)}"))  # fmt: skip
    for (lang, _), owners in preferred_by.items():
        if len(owners) > 1:
            for n, c in enumerate(owners[1:], 1):
                # «Ақтау» (the city, case-sensitive) is not «ақтау» (rehabilitation)
                first = next((o for o in owners[:n]
                              if _same_term(c.preferred[lang], c, o.preferred[lang], o)), None)  # fmt: skip
                if first is None:
                    continue
                problems.append(Problem("warning", c.origin or c.id,
                                        f"{c.id}: {lang} «{c.preferred[lang]}» is also the preferred term of {first.id}"))  # fmt: skip
    return problems


def _approved_as(concept: Concept, lang: str, term: str) -> str:
    """The approved term of `concept` equal to `term` but for letter case."""
    return next((t for t in concept.approved(lang) if t.casefold() == term.casefold()), term)


def _same_term(a: str, ca: Concept, b: str, cb: Concept) -> bool:
    """Two terms (equal but for letter case) are one word for matching: a case-sensitive
    concept's term is only the same as a term written exactly like it."""
    return a == b or not (ca.case_sensitive or cb.case_sensitive)

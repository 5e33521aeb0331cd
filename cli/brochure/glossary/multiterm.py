"""SDL MultiTerm XML (`<mtf>`) import: the termbase export of MultiTerm (and memoQ's "MultiTerm
XML") when no TBX was chosen.

`<mtf>` / `<conceptGrp>` (its `<concept>` is an entry number) / `<languageGrp>` with
`<language type="Russian" lang="RU"/>` / `<termGrp>` with one `<term>`; fields are `<descrip
type="...">` in `<descripGrp>`s whose types each termbase's definition names. A term's status is
a picklist of that termbase's own ("Status", "Usage", "Term status": Forbidden, Deprecated,
Preferred, Admitted, ...): a value that names no status is left alone, as MultiTerm shows it. A
definition, note or context becomes the concept's note; a subject or domain its domain. Concept
ids are made from the terms (the entry numbers are only a database's row numbers).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from brochure.core.errors import GlossaryError
from brochure.glossary.concepts import Concept, concept_slug, free_id, langs
from brochure.glossary.tbx import STATUS_IN, _children, _text

# values of a MultiTerm status picklist beyond TBX's own (STATUS_IN)
_STATUS_WORDS = {
    "forbidden": "forbidden", "prohibited": "forbidden", "do not use": "forbidden",
    "rejected": "forbidden", "obsolete": "forbidden", "deprecated": "forbidden",
    "запрещенный": "forbidden", "запрещённый": "forbidden", "не использовать": "forbidden",
    "preferred": "preferred", "предпочтительный": "preferred",
    "admitted": "admitted", "allowed": "admitted", "acceptable": "admitted",
    "permitted": "admitted", "alternative": "admitted", "synonym": "admitted",
    "допустимый": "admitted",
}  # fmt: skip
_STATUS_FIELDS = ("status", "usage", "term status", "termstatus", "administrative status",
                  "normative authorization", "term type", "usage status")  # fmt: skip
_NOTE_FIELDS = ("definition", "note", "comment", "context", "explanation", "usage note")
_DOMAIN_FIELDS = ("subject", "subject field", "subjectfield", "domain", "field")


def read_mtf(path: Path, root: Any) -> list[Concept]:
    """Concepts of a parsed MultiTerm XML document (`root` is its `<mtf>`); languages the
    glossary does not hold are skipped, a concept with no term in ours is left out."""
    from brochure.glossary.tsv import language_code

    concepts: list[Concept] = []
    used: set[str] = set()
    for group in _children(root, "conceptGrp"):
        concept = Concept(id="", origin=f"{path}:{group.sourceline}")
        notes: list[str] = []
        for field, value in _fields(group):
            if field in _DOMAIN_FIELDS and not concept.domain:
                concept.domain = value
            elif field in _NOTE_FIELDS:
                notes.append(value)
        for lang_grp in _children(group, "languageGrp"):
            language = next(iter(_children(lang_grp, "language")), None)
            if language is None:
                raise GlossaryError(
                    f"{path}:{lang_grp.sourceline}: <languageGrp> without <language>"
                )
            lang = language_code(language.get("lang") or "") or language_code(
                language.get("type") or ""
            )
            if lang not in langs():
                continue
            notes += [f"{lang}: {v}" for f, v in _fields(lang_grp) if f in _NOTE_FIELDS]
            _terms(path, lang_grp, lang, concept, notes)
        if not (concept.preferred or concept.forbidden):
            continue
        concept.note = " ".join(dict.fromkeys(n for n in notes if n))
        first = concept.preferred.get("en") or next(iter(concept.preferred.values()), "")
        concept.id = free_id(concept_slug(first or next(iter(concept.forbidden.values()))[0]), used)
        concepts.append(concept)
    return concepts


def _terms(path: Path, lang_grp: Any, lang: str, concept: Concept, notes: list[str]) -> None:
    """The terms of one `<languageGrp>`, by status: the first of those with none is preferred."""
    found: dict[str, list[str]] = {"preferred": [], "admitted": [], "forbidden": [], "": []}
    for term_grp in _children(lang_grp, "termGrp"):
        term_el = next(iter(_children(term_grp, "term")), None)
        if term_el is None:
            raise GlossaryError(f"{path}:{term_grp.sourceline}: <termGrp> without <term>")
        text = _text(term_el)
        if not text:
            continue
        status = ""
        for field, value in _fields(term_grp):
            if field in _STATUS_FIELDS:
                key = value.lower()
                status = STATUS_IN.get(key.replace(" ", "")) or _STATUS_WORDS.get(key, status)
            elif field in _NOTE_FIELDS:
                notes.append(f"{lang} «{text}»: {value}")
        found[status].append(text)
    preferred = found["preferred"] or found[""][:1]
    others = [*found["preferred"][1:], *found["admitted"],
              *(found[""] if found["preferred"] else found[""][1:])]  # fmt: skip
    if not preferred and others:
        preferred = [others.pop(0)]
    if preferred:
        concept.preferred[lang] = preferred[0]
    if others:
        concept.admitted[lang] = tuple(dict.fromkeys(others))
    if found["forbidden"]:
        concept.forbidden[lang] = tuple(dict.fromkeys(found["forbidden"]))


def _fields(el: Any) -> list[tuple[str, str]]:
    """(type in lower case, text) of the `<descrip>`s of an element's `<descripGrp>`s (nested
    ones too), and of `<descrip>`s straight in it."""
    out = []
    for holder in [el, *_children(el, "descripGrp")]:
        for d in _children(holder, "descrip"):
            if value := _text(d):
                out.append(((d.get("type") or "").strip().lower(), value))
        if holder is not el:
            out += _fields(holder) if _children(holder, "descripGrp") else []
    return out

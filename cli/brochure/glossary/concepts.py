"""Concepts and the termbase: what a glossary row means, independent of the file it came from.

A concept has, per language, one preferred term, admitted variants (recognised and accepted) and
forbidden renderings (deprecated: the usual machine-translation mistakes), plus inflected forms of
the preferred term that the rules get wrong. The Termbase merges the built-in glossary with the
project's own files by concept id: a later non-empty cell overrides, an empty cell inherits.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from brochure.core import languages
from brochure.core.errors import GlossaryError
from brochure.core.text import slug

LANGS = ("en", "ru", "kk")  # the built-in glossary's languages, in its column order


def langs() -> tuple[str, ...]:
    """Languages a glossary may hold: the built-in glossary's, then any other registered one."""
    return LANGS + tuple(code for code in languages.codes() if code not in LANGS)


FLAGS = ("case-sensitive", "do-not-translate", "indeclinable")
POS = ("noun", "noun-phrase", "proper-noun", "adjective", "verb", "abbreviation")
Status = Literal["preferred", "admitted", "forbidden"]
STATUSES: tuple[Status, ...] = ("preferred", "admitted", "forbidden")
COLUMNS = (
    "id", "domain", "pos", "en", "ru", "kk", "en_admitted", "ru_admitted", "kk_admitted",
    "en_forbidden", "ru_forbidden", "kk_forbidden", "ru_forms", "kk_forms", "flags", "note",
)  # fmt: skip
# Case names a stored form may carry, per language; `pl.` marks the plural, `poss3.` etc. a
# Kazakh possessive (poss1sg poss2sg poss3 poss1pl).
CASES = {
    "ru": ("nom", "gen", "dat", "acc", "ins", "loc"),
    "kk": ("nom", "gen", "dat", "acc", "loc", "abl", "ins"),
}
POSSESSIVES = ("poss1sg", "poss2sg", "poss3", "poss1pl")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


@dataclass(frozen=True)
class Term:
    """One rendering of a concept in one language."""

    text: str
    lang: str
    status: Status
    concept: str
    form: str = ""  # a stored inflected form of the preferred term: its tag ("dat", "pl.gen")


@dataclass
class Concept:
    """One glossary row, parsed."""

    id: str
    domain: str = ""
    pos: str = ""
    preferred: dict[str, str] = field(default_factory=dict)
    admitted: dict[str, tuple[str, ...]] = field(default_factory=dict)
    forbidden: dict[str, tuple[str, ...]] = field(default_factory=dict)
    forms: dict[str, dict[str, str]] = field(default_factory=dict)  # lang -> tag -> form
    flags: frozenset[str] = frozenset()
    note: str = ""
    origin: str = ""  # "file:line" of the row that defined it last

    @property
    def case_sensitive(self) -> bool:
        return "case-sensitive" in self.flags

    @property
    def do_not_translate(self) -> bool:
        return "do-not-translate" in self.flags

    @property
    def indeclinable(self) -> bool:
        return "indeclinable" in self.flags

    def approved(self, lang: str) -> tuple[str, ...]:
        """Preferred then admitted terms in `lang`."""
        pref = self.preferred.get(lang)
        return ((pref,) if pref else ()) + self.admitted.get(lang, ())

    def terms(self, lang: str) -> Iterator[Term]:
        """Every term in `lang` with its status, stored forms last."""
        if self.preferred.get(lang):
            yield Term(self.preferred[lang], lang, "preferred", self.id)
        for text in self.admitted.get(lang, ()):
            yield Term(text, lang, "admitted", self.id)
        for text in self.forbidden.get(lang, ()):
            yield Term(text, lang, "forbidden", self.id)
        for tag, text in self.forms.get(lang, {}).items():
            yield Term(text, lang, "preferred", self.id, form=tag)

    def languages(self) -> list[str]:
        return [lang for lang in langs() if self.preferred.get(lang)]

    def to_row(self) -> dict[str, str]:
        """The concept as TSV cells (column name -> text)."""
        row = {"id": self.id, "domain": self.domain, "pos": self.pos, "note": self.note}
        for lang in langs():
            row[lang] = self.preferred.get(lang, "")
            row[f"{lang}_admitted"] = "|".join(self.admitted.get(lang, ()))
            row[f"{lang}_forbidden"] = "|".join(self.forbidden.get(lang, ()))
            if lang in CASES:
                row[f"{lang}_forms"] = "|".join(
                    f"{k}={v}" for k, v in self.forms.get(lang, {}).items()
                )
        row["flags"] = ",".join(f for f in FLAGS if f in self.flags)
        return row

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "domain": self.domain, "pos": self.pos,
            "terms": {
                lang: {"preferred": self.preferred.get(lang, ""),
                       "admitted": list(self.admitted.get(lang, ())),
                       "forbidden": list(self.forbidden.get(lang, ()))}
                for lang in langs()
                if self.preferred.get(lang) or self.admitted.get(lang) or self.forbidden.get(lang)
            },
            "forms": {lang: dict(f) for lang, f in self.forms.items() if f},
            "flags": sorted(self.flags), "note": self.note, "origin": self.origin,
        }  # fmt: skip


def split_variants(cell: str) -> tuple[str, ...]:
    """A cell's variants: `a | b` -> ('a', 'b'), blanks dropped."""
    return tuple(v.strip() for v in cell.split("|") if v.strip())


def parse_tag(tag: str) -> tuple[bool, str, str] | None:
    """'pl.poss3.dat' -> (plural, possessive, case); None if the tag is not well formed."""
    parts = tag.split(".")
    plural = False
    poss = ""
    if parts and parts[0] == "pl":
        plural = True
        parts = parts[1:]
    if parts and parts[0] in POSSESSIVES:
        poss = parts[0]
        parts = parts[1:]
    if not parts and (plural or poss):
        parts = ["nom"]  # "pl", "poss3": the nominative
    if len(parts) != 1:
        return None
    return plural, poss, parts[0]


def valid_tag(tag: str, lang: str) -> bool:
    """Whether a stored form's tag names a case (and possessive) the language has."""
    parsed = parse_tag(tag)
    if parsed is None:
        return False
    _, poss, case = parsed
    return case in CASES.get(lang, ()) and (not poss or lang == "kk")


def valid_id(concept_id: str) -> bool:
    """Whether a concept id is safe in files and on the command line."""
    return bool(_ID.match(concept_id))


def merge(base: Concept, override: Concept, present: set[str]) -> Concept:
    """`override` (a row of a later file) over `base`: its non-empty cells win."""
    row = base.to_row()
    new = override.to_row()
    for col, value in new.items():
        if col in present and value:
            row[col] = value
    merged = concept_from_row(row, origin=override.origin)
    return merged


def digest_bytes(chunks: Iterable[bytes]) -> str:
    """One hash over the glossary files, to record which glossary made a decision."""
    h = hashlib.sha1()
    for chunk in chunks:
        h.update(chunk)
    return h.hexdigest()


def concept_from_row(row: dict[str, str], origin: str = "") -> Concept:
    """Cells -> Concept; a bad flag or stored form raises GlossaryError naming `origin`."""
    where = origin or "glossary"
    flags = [f.strip() for f in row.get("flags", "").replace(";", ",").split(",") if f.strip()]
    for flag in flags:
        if flag not in FLAGS:
            raise GlossaryError(f"{where}: unknown flag {flag!r} (known: {', '.join(FLAGS)})")
    concept = Concept(
        id=row.get("id", ""), domain=row.get("domain", ""), pos=row.get("pos", ""),
        flags=frozenset(flags), note=row.get("note", ""), origin=origin,
    )  # fmt: skip
    for lang in langs():
        if row.get(lang):
            concept.preferred[lang] = row[lang].strip()
        admitted = split_variants(row.get(f"{lang}_admitted", ""))
        if admitted:
            concept.admitted[lang] = admitted
        forbidden = split_variants(row.get(f"{lang}_forbidden", ""))
        if forbidden:
            concept.forbidden[lang] = forbidden
        cell = row.get(f"{lang}_forms", "")
        if cell and lang in CASES:
            concept.forms[lang] = parse_forms(cell, lang, where)
    return concept


def parse_forms(cell: str, lang: str, where: str) -> dict[str, str]:
    """A `<lang>_forms` cell -> {tag: form}; a malformed pair raises GlossaryError."""
    forms: dict[str, str] = {}
    for pair in split_variants(cell):
        tag, sep, form = pair.partition("=")
        tag, form = tag.strip(), form.strip()
        if not sep or not form:
            raise GlossaryError(
                f"{where}: {lang}_forms: {pair!r} is not tag=form (e.g. dat=Елбасына)"
            )
        if not valid_tag(tag, lang):
            cases = " ".join(CASES[lang])
            raise GlossaryError(
                f"{where}: {lang}_forms: unknown form tag {tag!r} (cases: {cases}; prefixes pl. and, for kk, poss3.)"
            )
        forms[tag] = form
    return forms


# -- writing under a lock ---------------------------------------------------------------------


def concept_slug(text: str) -> str:
    """A concept id made from a term: lower case, ASCII (see valid_id), other scripts read in
    Latin letters (anyascii: забастовочный комитет -> zabastovochnyy-komitet; a Russian or
    Kazakh term's id was "term")."""
    from anyascii import anyascii

    return slug(anyascii(text).lower(), "term")


def free_id(base: str, used: set[str]) -> str:
    """`base`, else `base-2`, `base-3`, ...: the first not in `used`, which then holds it (ids made
    for the concepts of one imported file)."""
    cid, n = base, 2
    while cid in used:
        cid, n = f"{base}-{n}", n + 1
    used.add(cid)
    return cid

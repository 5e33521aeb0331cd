"""Term base sheets laid out a term per column, as memoQ exports them (CSV, Excel): read into the
glossary's columns.

memoQ writes a row per entry: entry fields (`Entry_ID`, `Entry_Subject`, `Entry_Domain`,
`Entry_Note`, dates and users), then for each language its fields (`English_Def`) and, for each
term of it, the term (`English`, repeated for a second term) followed by that term's own fields
(`Term_Info`, `Term_Example`; sheets made from it also `Term_Forbidden`, `Term_Case`, or per
language `Russian_Forbidden`). The glossary has one row per concept with a preferred term per
language and lists of admitted and forbidden ones, so: the first term of a language that is not
forbidden is preferred, the others admitted; a term marked forbidden (`Term_Info` or
`Term_Forbidden` saying so, or a yes in `<Language>_Forbidden`) is a forbidden rendering; a
`<Language>_Forbidden` cell holding words is forbidden terms; a term marked case-sensitive makes
the concept case-sensitive (the glossary's flag is the concept's); definitions, examples and notes
go to the note, the subject or domain to the domain. memoQ's matching settings (fuzzy, prefix,
exact) have no place: the glossary matches by its own morphology; such columns are named in the
import's warning. Entry ids, dates and users are dropped (import matches concepts by terms).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from brochure.glossary.concepts import COLUMNS, FLAGS, langs

YES = {"yes", "true", "1", "x", "y", "+", "да", "иә", "forbidden", "casesensitive"}
NO = {"", "no", "false", "0", "n", "-", "нет", "жоқ"}
_ADMIN = {"entry_id", "entry_created", "entry_creator", "entry_lastmodified", "entry_modifier",
          "entry_modified", "term_created", "term_creator", "term_lastmodified", "term_modifier",
          "term_id"}  # fmt: skip
_ENTRY = {"entry_subject": "domain", "entry_domain": "domain", "entry_note": "note"}
# a term's own fields (the column after a term column), by suffix of Term_...
_TERM_FIELD = {"info": "info", "forbidden": "forbidden", "case": "case",
               "casesensitive": "case", "casesensitivity": "case", "matchcase": "case",
               "example": "note", "note": "note", "definition": "note", "def": "note"}  # fmt: skip
# a language's fields: <Language>_<suffix>
_LANG_FIELD = {"def": "note", "definition": "note", "note": "note", "forbidden": "forbidden",
               "case": "case", "casesensitive": "case", "matchcase": "case"}  # fmt: skip


@dataclass
class _Term:
    text: str
    forbidden: bool = False
    case: bool = False


@dataclass
class _Row:
    cells: dict[str, list[str]] = field(default_factory=dict)  # glossary column -> values
    terms: dict[str, list[_Term]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    case: bool = False


def plan(header: list[str], language: Callable[[str], str]) -> list[tuple[str, str]] | None:
    """What each column of a sheet's header holds, as (kind, detail), when the sheet is laid out
    a term per column (a column named twice, Term_..., Entry_..., <Language>_Def and the like);
    None for a plain sheet (one column per glossary column). `language(name)` is the glossary's
    code of a language column's name ("" if it is none)."""
    out: list[tuple[str, str]] = []
    named = [h.strip().lower() for h in header if h.strip()]
    structured = len(set(named)) < len(named)
    for name in header:
        kind = _kind(name.strip().lower(), language)
        kind = kind if kind[0] != "unknown" else ("unknown", name)
        structured = structured or kind[0] not in ("column", "term", "unknown")
        out.append(kind)
    terms = any(kind in ("term", "column") for kind, _ in out)
    return out if structured and terms else None


def _kind(low: str, language: Callable[[str], str]) -> tuple[str, str]:
    if low in _ADMIN:
        return "drop", ""
    if low in _ENTRY:
        return "entry", _ENTRY[low]
    if low.startswith("term_") and low[5:].replace("_", "") in _TERM_FIELD:
        return "term-" + _TERM_FIELD[low[5:].replace("_", "")], ""
    if low in COLUMNS:
        return "column", low
    if code := language(low):
        return "term", code
    base, _, suffix = low.rpartition("_")
    if base and suffix in _LANG_FIELD and (code := language(base)):
        return "lang-" + _LANG_FIELD[suffix], code
    return "unknown", ""


def apply(
    kinds: list[tuple[str, str]], lines: list[str], at: int, unquote: Callable[[str], str]
) -> list[str]:
    """The sheet's lines (its header at `at`) in the glossary's columns: one line per line, so
    that messages name the lines the translator sees."""
    rows: list[dict[str, str] | None] = []
    for line in lines[at + 1 :]:
        if not line.strip() or line.startswith("#"):
            rows.append(None)
            continue
        cells = [unquote(c).strip() for c in line.rstrip("\r").split("\t")]
        rows.append(_row(kinds, cells))
    columns = [c for c in COLUMNS if any(r and r.get(c) for r in rows)]
    columns = columns or [c for c in COLUMNS if c in langs()][:1]
    ending = "\r" if lines[at].endswith("\r") else ""
    out = [*lines[:at], "\t".join(columns) + ending]
    for line, row in zip(lines[at + 1 :], rows, strict=True):
        out.append(line if row is None else "\t".join(row.get(c, "") for c in columns) + ending)
    return out


def _row(kinds: list[tuple[str, str]], cells: list[str]) -> dict[str, str]:
    row = _Row()
    last: tuple[str, _Term] | None = None  # the term a Term_... column describes
    for (kind, detail), value in zip(kinds, cells, strict=False):
        if kind == "term":
            last = None
            if value:
                last = (detail, _Term(value))
                row.terms.setdefault(detail, []).append(last[1])
        elif kind.startswith("term-") and last is not None and value:
            lang, term = last
            what = kind[5:]
            if what == "info":
                term.forbidden, term.case = _info(value, term)
            elif what == "forbidden":
                term.forbidden = value.lower() in YES
            elif what == "case":
                term.case = value.lower() in YES
            elif what == "note":
                row.notes.append(f"{lang} «{term.text}»: {value}")
        elif kind == "lang-note" and value:
            row.notes.append(f"{detail}: {value}")
        elif kind == "lang-forbidden" and value:
            if value.lower() in YES | NO:  # a yes/no for the language's term before it
                for term in row.terms.get(detail, [])[-1:]:
                    term.forbidden = value.lower() in YES
            else:
                row.cells.setdefault(f"{detail}_forbidden", []).append(value)
        elif kind == "lang-case" and value.lower() in YES:
            row.case = True
        elif kind in ("entry", "column") and value:
            if detail == "flags":
                row.case = row.case or "case-sensitive" in value
            row.cells.setdefault(detail, []).append(value)
    return _cells(row)


def _info(value: str, term: _Term) -> tuple[bool, bool]:
    """A memoQ Term_Info cell's forbidden and case-sensitive marks: words (Forbidden,
    CaseSensitive) or key=value pairs (Forbidden=Yes, Case=Yes) between |, ; or spaces."""
    forbidden, case = term.forbidden, term.case
    for part in re.split(r"[|;,\s]+", value.lower()):
        key, sep, val = part.partition("=")
        on = val in YES if sep else True
        if "forbidden" in key:
            forbidden = on
        elif "case" in key and (sep or key in ("casesensitive", "case-sensitive", "matchcase")):
            case = on or val == "sensitive"
    return forbidden, case


def _cells(row: _Row) -> dict[str, str]:
    out = {}
    for col, values in row.cells.items():
        if col.endswith(("_forbidden", "_admitted")):  # lists of terms, between | in a cell
            out[col] = "|".join(t.strip() for v in values for t in v.split("|") if t.strip())
        else:
            out[col] = " ".join(values)
    for lang, terms in row.terms.items():
        allowed = [t.text for t in terms if not t.forbidden]
        banned = [t.text for t in terms if t.forbidden]
        if allowed:
            pref = out.get(lang) or allowed[0]
            out[lang] = pref
            more = [
                t
                for t in [*out.get(f"{lang}_admitted", "").split("|"), *allowed]
                if t and t != pref
            ]
            if more:
                out[f"{lang}_admitted"] = "|".join(dict.fromkeys(more))
        if banned:
            old = [t for t in out.get(f"{lang}_forbidden", "").split("|") if t]
            out[f"{lang}_forbidden"] = "|".join(dict.fromkeys([*old, *banned]))
        row.case = row.case or any(t.case for t in terms)
    if row.notes:
        out["note"] = " ".join([out.get("note", ""), *row.notes]).strip()
    if row.case:
        flags = {f.strip() for f in out.get("flags", "").split(",") if f.strip()}
        out["flags"] = ",".join(f for f in FLAGS if f in flags | {"case-sensitive"})
    return out

"""`brochure check`: terminology and QA report over a project's translations, per segment.

Severity, decided so that an error is something a reader of the printed brochure would be misled
by, and a warning something a reviewer should look at:

errors (fail `brochure check` with exit code 1 and `brochure build --strict`):
- missing-term: a glossary term occurs in the source, and none of its approved renderings (preferred
  or admitted, in any inflected form) occurs in the translation;
- forbidden-term: a deprecated rendering is used;
- do-not-translate: a do-not-translate term's source form is not in the translation verbatim;
- untranslated: the segment has no translation;
- mixed-script / arabic-script (Kazakh targets): a Latin look-alike letter inside a Cyrillic word,
  or Arabic script, in Kazakh Cyrillic text.

warnings:
- derived-term: an approved term is missing but a word of the same stem is there (a translator's
  «полицейская диктатура» for "dictatorship of the police"): worth a look, not a wrong term.
  An inflected form is the term, not a derived word: Kazakh case, possessive and attributive
  endings (Алматыдағы, облысындағы, латифундистерге, митингісінде), and a person named by the
  surname alone («Назарбаевқа» for Nursultan Nazarbayev);
- no-target-term: a source term whose concept has no rendering in the target language;
- term-case: a case-sensitive term written in another letter case;
- same-as-source: the translation is identical to the source (three words or more);
- numbers: the numbers in source and translation differ (Kazakh: number-missing, where a number
  written out in words counts, and date-missing for a month of the source);
- brackets / quotes: an unpaired bracket or quotation mark (where the source has none);
- inconsistent: the same source sentence is translated differently elsewhere;
- inline-markup: the translation's emphasis, strong or notes differ from the source's (a warning).

`brochure check --strict` fails on warnings too, except those a translator has accepted for the
unit: an acceptance is a note of the unit in the translation file, `<note
category="brochure:accepted">derived-term:komsomol</note>` (the code, and the concept where the
finding names one), set by `brochure check --accept UNIT:CODE[:CONCEPT]`. Accepted findings are
still listed, as accepted; a finding of another code or concept is not covered.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal

from brochure.core.errors import BrochureError
from brochure.core.text import numbers

if TYPE_CHECKING:
    from brochure.core.datamodel import RichText, SegmentedDocument
    from brochure.core.project import Project
    from brochure.glossary.termbase import Termbase
    from brochure.store.xliff import Note, TranslationFile, Unit

Severity = Literal["error", "warning"]
ERRORS = (
    "missing-term",
    "forbidden-term",
    "do-not-translate",
    "untranslated",
    "mixed-script",
    "arabic-script",
)


ACCEPTED = "brochure:accepted"  # the category of a unit's note that accepts a finding


class CheckFailed(BrochureError):
    """`brochure build --strict`: the QA report has errors."""


@dataclass(frozen=True)
class Issue:
    document: str
    lang: str
    segment: str
    code: str
    message: str
    source: str = ""
    target: str = ""
    concept: str = ""  # the glossary concept the finding is about, if any
    accepted: bool = False  # a translator accepted this finding for the unit

    @property
    def severity(self) -> Severity:
        """Errors fail `brochure check` and a --strict build; warnings are for a person to judge."""
        return "error" if self.code in ERRORS else "warning"

    @property
    def key(self) -> str:
        """What an acceptance names: the code, and the concept where there is one."""
        return f"{self.code}:{self.concept}" if self.concept else self.code

    def as_json(self) -> dict[str, Any]:
        """The issue for `brochure check --json`."""
        return {**asdict(self), "severity": self.severity}


@dataclass
class Report:
    languages: tuple[str, ...]
    segments: int = 0
    issues: list[Issue] = field(default_factory=list)

    @property
    def errors(self) -> list[Issue]:
        """The issues that fail the check."""
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        """The warnings no translator has accepted (they fail `brochure check --strict`)."""
        return [i for i in self.issues if i.severity == "warning" and not i.accepted]

    @property
    def accepted(self) -> list[Issue]:
        """The warnings a translator has accepted for their unit."""
        return [i for i in self.issues if i.severity == "warning" and i.accepted]

    def summary(self) -> str:
        """The report's last line: counts of errors and warnings, segments and languages."""
        accepted = f" (and {len(self.accepted)} accepted)" if self.accepted else ""
        return (
            f"{len(self.errors)} error(s), {len(self.warnings)} warning(s){accepted} in "
            f"{self.segments} segment(s) ({', '.join(self.languages)})"
        )

    def as_json(self) -> dict[str, Any]:
        """The report for `brochure check --json`."""
        return {
            "languages": list(self.languages), "segments": self.segments,
            "errors": len(self.errors), "warnings": len(self.warnings),
            "accepted": len(self.accepted),
            "issues": [i.as_json() for i in self.issues],
        }  # fmt: skip


# -- one segment ---------------------------------------------------------------------------------
def unpaired(text: str) -> list[str]:
    """Brackets and quotation marks without a partner («…», “…”, „…“, "…", (), [], {})."""
    pairs = {"(": ")", "[": "]", "{": "}", "«": "»"}
    closers = {v: k for k, v in pairs.items()}
    stack: list[str] = []
    bad: list[str] = []
    for ch in text:
        if ch in pairs or ch == "„":
            stack.append(ch)
        elif ch in closers:
            if stack and stack[-1] == closers[ch]:
                stack.pop()
            else:
                bad.append(ch)
        elif ch == "“":  # opens English “…”, closes German-style „…“
            if stack and stack[-1] == "„":
                stack.pop()
            else:
                stack.append(ch)
        elif ch == "”":
            if stack and stack[-1] == "“":
                stack.pop()
            else:
                bad.append(ch)
    bad.extend(stack)
    if text.count('"') % 2:
        bad.append('"')
    return bad


def check_segment(
    termbase: Termbase, source: str, target: str | None, src_lang: str, tgt_lang: str
) -> list[tuple[str, str]]:
    """(code, message) for each problem of one segment's translation."""
    return [(code, message) for code, message, _ in findings(termbase, source, target, src_lang, tgt_lang)]  # fmt: skip


def findings(
    termbase: Termbase, source: str, target: str | None, src_lang: str, tgt_lang: str
) -> list[tuple[str, str, str]]:
    """(code, message, concept id or "") for each problem of one segment's translation."""
    from brochure.glossary.enforce import evaluate, source_concepts

    if target is None or not target.strip():
        return [("untranslated", "no translation", "")]
    out: list[tuple[str, str, str]] = []
    found = source_concepts(termbase, source, src_lang)
    ev = evaluate(termbase, found, target, tgt_lang)
    for concept in ev.missing:
        want = " / ".join(f"«{t}»" for t in concept.approved(tgt_lang))
        out.append(
            (
                "missing-term",
                f"«{found[concept.id].text}» ({concept.id}) should be {want}",
                concept.id,
            )
        )
    for m in ev.forbidden:
        wanted = termbase.get(m.concept)
        want = wanted.preferred.get(tgt_lang, "") if wanted else ""
        out.append(
            (
                "forbidden-term",
                f"«{m.text}» is forbidden ({m.concept})" + (f": use «{want}»" if want else ""),
                m.concept,
            )
        )
    for concept, form in ev.dnt_missing:
        out.append(("do-not-translate", f"«{form}» ({concept.id}) must appear as is", concept.id))
    for concept, word in ev.derived:
        want = concept.preferred.get(tgt_lang) or concept.approved(tgt_lang)[0]
        out.append(
            (
                "derived-term",
                f"«{found[concept.id].text}» ({concept.id}): only «{word}», a word derived from «{want}»",
                concept.id,
            )
        )
    for m in ev.miscased:
        out.append(
            ("term-case", f"«{m.text}» should be written «{m.term.text}» ({m.concept})", m.concept)
        )
    for cid, m in found.items():
        known = termbase.get(cid)
        if known and not known.do_not_translate and not known.approved(tgt_lang):
            out.append(
                (
                    "no-target-term",
                    f"«{m.text}» ({cid}) has no {tgt_lang} term in the glossary",
                    cid,
                )
            )
    from brochure.core.text import normalise

    if normalise(source) == normalise(target) and len(re.findall(r"[^\W\d_]+", source)) >= 3:
        out.append(("same-as-source", "the translation is identical to the source", ""))
    if tgt_lang == "kk":
        # Kazakh checks that need no model (brochure.check.kazakh): script purity is an error; numbers
        # (also written out in words) and months of dates are checked the Kazakh way.
        from brochure.check.kazakh import check_kazakh

        for problem in check_kazakh(source, target):
            out.append((problem.code, problem.message, ""))
        src_n: Counter[str] = Counter()
        tgt_n: Counter[str] = Counter()
    else:
        src_n, tgt_n = numbers(source), numbers(target)
    if src_n != tgt_n:
        lost = sorted((src_n - tgt_n).elements())
        extra = sorted((tgt_n - src_n).elements())
        parts = ([f"missing {', '.join(lost)}"] if lost else []) + (
            [f"extra {', '.join(extra)}"] if extra else []
        )
        out.append(("numbers", "numbers differ: " + "; ".join(parts), ""))
    bad = unpaired(target)
    src_bad = unpaired(source)
    brackets = [c for c in bad if c in "()[]{}" and c not in src_bad]
    quotes = [c for c in bad if c not in "()[]{}" and not src_bad]
    if brackets:
        out.append(("brackets", f"unpaired {' '.join(brackets)}", ""))
    if quotes:
        out.append(("quotes", f"unpaired {' '.join(quotes)}", ""))
    return out


_SPAN_NAMES = {"em": "emphasis", "strong": "strong", "note": "note", "link": "link"}


def span_difference(source: RichText, target: RichText) -> str:
    """How the translation's inline spans differ from the source's (counted per kind, whether a
    span covers the whole text, and where a link points), or "" when they agree."""

    def kinds(rich: RichText) -> Counter[tuple[str, bool, str]]:
        whole = len(rich.text.strip())
        return Counter(
            (s.kind, s.end - s.start >= whole, s.target)
            for s in rich.spans
            if rich.text[s.start : s.end].strip()
        )

    src, tgt = kinds(source), kinds(target)
    if src == tgt:
        return ""

    def told(counts: Counter[tuple[str, bool, str]]) -> str:
        parts = [
            f"{n} {_SPAN_NAMES[kind]}{' over the whole text' if whole else ''}"
            + (f" to {target}" if target else "")
            for (kind, whole, target), n in sorted(counts.items())
        ]
        return ", ".join(parts) or "none"

    return f"inline markup differs: the source has {told(src)}, the translation {told(tgt)}"


# -- a project -----------------------------------------------------------------------------------
def check_project(
    project: Project, langs: Sequence[str] | None = None, *, termbase: Termbase | None = None,
    segmented: dict[str, SegmentedDocument] | None = None,
    stores: dict[tuple[str, str], TranslationFile] | None = None,
) -> Report:  # fmt: skip
    """Check every segment's translation into each of `langs` (default: all target languages)."""
    from brochure.glossary.load import load_termbase

    langs = project.select_targets(langs or ())
    tb = termbase if termbase is not None else load_termbase(project)
    if segmented is None or stores is None:
        from brochure.store.load import load_translations

        segmented, stores = load_translations(project, langs, sync=False)
    report = Report(langs)
    seen: dict[tuple[str, str], dict[str, list[tuple[str, str]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    from brochure.core.text import normalise

    for lang in langs:
        for document in project.documents:
            store = stores[(document.name, lang)]
            for seg in segmented[document.name].segments:
                report.segments += 1
                unit = store.get(seg.id)
                report.issues.extend(unit_issues(tb, project.source_language, document.name, lang,
                                                 seg.id, seg.content, unit))  # fmt: skip
                target = unit.target.text if unit is not None and unit.has_target and unit.target else None  # fmt: skip
                if target is not None:
                    seen[(lang, normalise(seg.text))][normalise(target)].append(
                        (document.name, seg.id)
                    )
    for (lang, source), targets in seen.items():
        if len(targets) < 2:
            continue
        for target, places in targets.items():
            others = len(targets) - 1
            for name, sid in places:
                unit = stores[(name, lang)].get(sid)
                report.issues.append(Issue(
                    name, lang, sid, "inconsistent",
                    f"the same source is translated differently in {others} other place(s)", source, target,
                    accepted=unit is not None and "inconsistent" in accepted_keys(unit.notes),
                ))  # fmt: skip
    return report


def unit_issues(
    termbase: Termbase, src_lang: str, document: str, lang: str, uid: str, source: RichText,
    unit: Unit | None,
) -> list[Issue]:  # fmt: skip
    """What the check finds in one unit's translation (all but `inconsistent`, which compares
    units), its accepted warnings marked: for `check_project` and the workbench's unit."""
    target = unit.target.text if unit is not None and unit.has_target and unit.target else None
    accepted = accepted_keys(unit.notes) if unit is not None else set()
    issues = []
    for code, message, concept in findings(termbase, source.text, target, src_lang, lang):
        issue = Issue(document, lang, uid, code, message, source.text, target or "", concept)
        if issue.severity == "warning" and issue.key in accepted:
            issue = replace(issue, accepted=True)
        issues.append(issue)
    if target is not None and unit is not None and unit.target is not None:
        if difference := span_difference(source, unit.target):
            issues.append(Issue(document, lang, uid, "inline-markup", difference, source.text,
                                target, accepted="inline-markup" in accepted))  # fmt: skip
    return issues


def errors_by_lang(
    project: Project, segmented: dict[str, SegmentedDocument],
    stores: dict[tuple[str, str], TranslationFile], langs: Sequence[str],
) -> dict[str, int]:  # fmt: skip
    """How many errors the check finds in each language's translations (for `status`; a
    segment without a translation is counted as missing, not here)."""
    report = check_project(project, langs, segmented=segmented, stores=stores)
    counts = dict.fromkeys(langs, 0)
    for issue in report.errors:
        if issue.target:
            counts[issue.lang] = counts.get(issue.lang, 0) + 1
    return counts


def accepted_keys(notes: Sequence[Note]) -> set[str]:
    """The findings a unit's notes accept: `code` or `code:concept` (see ACCEPTED)."""
    return {n.text.strip() for n in notes if n.category == ACCEPTED and n.text.strip()}


def format_report(report: Report, limit: int = 0) -> str:
    """A readable table: one line per issue, then the summary."""
    lines = []
    issues = report.issues[:limit] if limit else report.issues
    width = max((len(i.document) for i in issues), default=8)
    for i in issues:
        severity = "accepted" if i.accepted else i.severity
        lines.append(
            f"{i.document:<{width}}  {i.lang}  {i.segment}  {severity:<7}  {i.code:<16}  {i.message}"
        )
    if limit and len(report.issues) > limit:
        lines.append(f"... and {len(report.issues) - limit} more (`brochure check` lists them all)")
    lines.append(report.summary())
    return "\n".join(lines)


def strict_gate(report: Report) -> None:
    """Raise CheckFailed when the report has errors (for `brochure build --strict`)."""
    if report.errors:
        errors = Report(report.languages, report.segments, report.errors)
        raise CheckFailed(
            "build --strict: the QA report has errors:\n"
            + format_report(errors, limit=20)
            + "\nFix them (see `brochure check`), or build without --strict."
        )


def accept_finding(project: Project, lang: str, spec: str) -> str:
    """Accept a warning for one unit: `spec` is UNIT_ID:CODE[:CONCEPT]; the acceptance is a note
    of the unit in `lang`'s translation file (category ACCEPTED). Returns the file written."""
    from brochure.store.xliff import open_store

    uid, _, key = spec.partition(":")
    code, _, concept = key.partition(":")
    if not uid or not code or ":" in concept:
        raise BrochureError(f"--accept: {spec!r}: write UNIT_ID:CODE or UNIT_ID:CODE:CONCEPT")
    if code in ERRORS:
        raise BrochureError(
            f"--accept: {spec!r}: {code} is an error; only warnings can be accepted"
        )
    for document in project.documents:
        store = open_store(project, document, lang)
        unit = store.get(uid)
        if unit is None:
            continue
        if key not in accepted_keys(unit.notes):
            store.add_note(uid, key, ACCEPTED)
            store.save()
        return str(store.path)
    raise BrochureError(f"--accept: {spec!r}: no unit {uid!r} in the {lang} translations")

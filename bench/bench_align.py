"""`brochure align` on a whole book: ~2,000 paragraphs and their Russian translation.

The book is the seed project's paragraphs (both documents, headings included) drawn in a shuffled
order, again and again, to N paragraphs; the translation is their reviewed Russian. Three cases:
- whole: every paragraph translated;
- partial: the translation lacks a run of a tenth of the paragraphs in the middle and a few single
  ones elsewhere (a narrow band around the diagonal goes wrong there unless widened);
- half: the translation of the first half only (a translation under way);
- extra: the translation has a translator's paragraph of its own every 150 paragraphs;
- preface: the translation starts with a translator's preface of 20 paragraphs of its own.
Each is timed once (CPU time of this process, `align_document` with the glossary as the command
runs it); the full computation (a band as wide as the text, O(n x m)) is timed beside it at a size
it can afford (--baseline, 400 by default), and its result compared with the band's there.
Goals: the whole book of 2,000 paragraphs in under 10 s, the translation of its first half in
under 20 s.

    python bench/bench_align.py [--paragraphs 2000] [--baseline 400] [--case whole --case partial]
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO / "cli"))
sys.path.insert(0, str(HERE))

from brochure.core.project import load_project  # noqa: E402
from brochure.store.load import load_translations  # noqa: E402
from common import row  # noqa: E402

CASES = {"whole": "whole", "partial": "lacking a tenth", "half": "first half only",
         "extra": "paragraphs added", "preface": "a translator's preface"}  # fmt: skip
GOALS = {"whole": 10, "half": 20}  # seconds of CPU; the other cases: how much a band widened costs
EXTRA = "Примечание переводчика: этого абзаца нет в исходном тексте."
PREFACE = "Предисловие переводчика, абзац {}: этого текста нет в оригинале."
TOML = (
    'title = "Book"\nsource_language = "en"\ntarget_languages = ["ru"]\ndocuments = ["book.md"]\n'
)


def seed_pairs() -> list[tuple[str, str, str]]:
    """Every paragraph of the seed documents: (Markdown mark, English, Russian)."""
    project = load_project(REPO / "seeds")
    segmented, stores = load_translations(project, ["ru"], sync=False)
    pairs = []
    for document in project.documents:
        store, seg = stores[(document.name, "ru")], segmented[document.name]
        for index, block in enumerate(seg.document.blocks):
            segments = seg.block_segments(index)
            if segments:
                mark = "# " if block.kind == "heading" else ""
                english = " ".join(s.text for s in segments)
                russian = " ".join(store.get(s.id).target.text for s in segments)
                pairs.append((mark, english, russian))
    return pairs


def make_book(folder: Path, size: int, case: str, seed: int = 11) -> tuple[Path, Path]:
    """A project of one document of `size` paragraphs and its Russian translation (see above)."""
    rng = random.Random(seed)
    pool = seed_pairs()
    book: list[tuple[str, str, str]] = []
    while len(book) < size:
        rng.shuffle(pool)
        book.extend(pool[: size - len(book)])
    source = [mark + en for mark, en, _ in book]
    translation = [mark + ru for mark, _, ru in book]
    if case == "partial":
        gap = size // 10
        start = size // 2 - gap // 2
        singles = {size // 7, size // 5, (size * 4) // 5}
        translation = [t for i, t in enumerate(translation)
                       if not (start <= i < start + gap or i in singles)]  # fmt: skip
    elif case == "half":
        translation = translation[: size // 2]
    elif case == "extra":
        for at in range(len(translation) - 1, 0, -150):
            translation.insert(at, EXTRA)
    elif case == "preface":
        translation = [PREFACE.format(n) for n in range(1, 21)] + translation
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "brochure.toml").write_text(TOML, encoding="utf-8")
    (folder / "book.md").write_text("\n\n".join(source) + "\n", encoding="utf-8")
    (folder / "book.ru.md").write_text("\n\n".join(translation) + "\n", encoding="utf-8")
    return folder / "book.md", folder / "book.ru.md"


def run(folder: Path, full: bool = False) -> tuple[float, object]:
    """Align the book once as `brochure align` does (glossary concepts as anchors): CPU seconds
    and the result."""
    from brochure.glossary.load import load_termbase
    from brochure.store import align

    project = load_project(folder)
    termbase = load_termbase(project)

    def terms(text: str, language: str) -> set[str]:
        return {m.concept for m in termbase.matcher(language).find(text)}

    kwargs = {"band": None} if full else {}
    start = time.process_time()
    result = align.align_document(project, folder / "book.md", folder / "book.ru.md", "ru", terms,
                                  **kwargs)  # fmt: skip
    return time.process_time() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=int, default=2000)
    parser.add_argument("--baseline", type=int, default=400, help="size the full DP is timed at")
    parser.add_argument("--case", action="append", choices=list(CASES))
    parser.add_argument("--full-only", action="store_true", help="time the full DP alone")
    options = parser.parse_args()
    cases = options.case or list(CASES)
    with tempfile.TemporaryDirectory() as tmp:
        for case in cases:
            folder = Path(tmp) / f"{case}-{options.paragraphs}"
            make_book(folder, options.paragraphs, case)
            if options.full_only:
                seconds, _ = run(folder, full=True)
                print(f"{case}: {options.paragraphs} paragraphs, full DP: {seconds:.1f} s CPU")
                continue
            seconds, result = run(folder)
            pairs = len(result.pairs)
            print(f"{case}: {options.paragraphs} paragraphs, {pairs} pairs: {seconds:.2f} s CPU")
            goal = GOALS.get(case)
            row(f"align {options.paragraphs} paragraphs ({CASES[case]})",
                f"< {goal} s" if goal else "-", f"{seconds:.1f} s CPU",
                seconds < goal if goal else None)  # fmt: skip
            folder = Path(tmp) / f"{case}-{options.baseline}"
            make_book(folder, options.baseline, case)
            banded, small = run(folder)
            full, reference = run(folder, full=True)
            same = [(p.segment_ids, p.target, p.unsure) for p in small.pairs] == [
                (p.segment_ids, p.target, p.unsure) for p in reference.pairs
            ]
            print(f"{case}: {options.baseline} paragraphs: band {banded:.2f} s, full DP "
                  f"{full:.2f} s CPU; same pairs: {same}")  # fmt: skip
            row(f"align {options.baseline} paragraphs ({CASES[case]}): band, full DP", "same pairs",
                f"{banded:.1f} s, {full:.1f} s CPU", same)  # fmt: skip
            shutil.rmtree(folder)


if __name__ == "__main__":
    main()

"""The layouts' measurements kept between builds (layout/measures.py): a rebuild measures only the
units that changed, and lays pages out exactly as a build that measured everything."""

import re

import pypdf
from brochure.core.datamodel import RichText
from brochure.layout.html import DocumentView
from brochure.layout.linebreak import Protector
from brochure.layout.measures import unit_key
from brochure.layout.rows import Cell, Piece, Row
from conftest import seed_columns_toml

MEASURED = re.compile(r"measured (\d+) of (\d+) units")


def measured(stderr: str) -> list[tuple[int, int]]:
    """(units measured, units asked for) of every measuring pass of a build."""
    return [(int(a), int(b)) for a, b in MEASURED.findall(stderr)]


def page_texts(pdf) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(pdf).pages]


def test_a_rebuild_measures_only_changed_units_and_lays_out_as_a_first_build(invoke, seed_project):
    (seed_project / "brochure.toml").write_text(seed_columns_toml('["screen"]'), encoding="utf-8")
    pdf = seed_project / "build" / "sdk.en-ru.pdf"
    first = invoke("-vv", "build", seed_project)
    assert first.exit_code == 0, first.stderr
    passes = measured(first.stderr)
    assert passes[0][0] == passes[0][1] > 20, "a first build measures every unit"
    assert len(passes) >= 2, "the seed edition cuts paragraphs: their rests are measured"
    assert list((seed_project / ".brochure").glob("measures-*.json"))
    text = page_texts(pdf)

    again = invoke("-vv", "build", seed_project, "--force")
    assert again.exit_code == 0, again.stderr
    assert measured(again.stderr) and all(m == 0 for m, _ in measured(again.stderr))
    assert page_texts(pdf) == text

    # one Russian sentence changed: only the rows holding it are measured again
    xlf = seed_project / "translations" / "statement-2022-01-07.ru.xlf"
    source = xlf.read_text(encoding="utf-8")
    assert source.count("настоящее народное восстание") == 1
    xlf.write_text(source.replace("настоящее народное", "народное"), encoding="utf-8")
    edited = invoke("-vv", "build", seed_project)
    assert edited.exit_code == 0, edited.stderr
    passes = measured(edited.stderr)
    assert 1 <= passes[0][0] <= 2 < passes[0][1], passes
    text_edited = page_texts(pdf)
    assert text_edited != text

    # ... and the pages are those of a build that measures everything afresh
    for path in (seed_project / ".brochure").glob("measures-*.json"):
        path.unlink()
    cold = invoke("-vv", "build", seed_project, "--force")
    assert measured(cold.stderr)[0][0] == measured(cold.stderr)[0][1]
    assert page_texts(pdf) == text_edited


def doc_of(*texts: str) -> DocumentView:
    row = Row(
        kind="paragraph", block_id="s1", level=0,
        cells=(Cell("en", tuple(Piece(f"s{i}", RichText(t)) for i, t in enumerate(texts))),),
    )  # fmt: skip
    return DocumentView("d", {"en": "D"}, [row], heading_shift=0, has_heading=False)


def test_a_units_key_follows_its_text_and_the_hyphenation_of_its_own_words():
    docs = [doc_of("Workers demand higher wages.", "Strikes spread.")]
    part = (0, 0, 0, 2)
    plain = unit_key(docs, part, Protector())
    assert unit_key(docs, part, Protector()) == plain
    # a word kept whole elsewhere in the edition does not touch this unit
    assert unit_key(docs, part, Protector(whole=["elsewhere"])) == plain
    # one of its own words kept whole (a ladder, a paragraph's last word) does
    assert unit_key(docs, part, Protector(whole=["demand"])) != plain
    assert unit_key(docs, part, Protector(words=["wage"])) != plain
    # its text, and which pieces the part holds
    assert unit_key([doc_of("Workers demand higher pay.", "Strikes spread.")], part, None) != (
        unit_key(docs, part, None)
    )
    assert unit_key(docs, (0, 0, 1, 2), None) != unit_key(docs, part, None)

"""The columns layout lays its body text out once on a first build (layout/graft.py): the final
render reuses the measuring pass's lines. A grafted build prints what a plain one does."""

import re

import pikepdf
import pypdf
from brochure.core.datamodel import RichText, Span
from brochure.layout.graft import cell_text, line_spans, tail_cell
from brochure.layout.rows import Cell, Piece, Row
from conftest import seed_columns_toml

GRAFTED = re.compile(r"graft: (\d+) of (\d+) cells grafted \((\d+) with a tail\)")


def grafted(stderr: str) -> list[tuple[int, int, int]]:
    return [(int(a), int(b), int(t)) for a, b, t in GRAFTED.findall(stderr)]


def texts(pdf) -> list[str]:
    return [page.extract_text(extraction_mode="layout") for page in pypdf.PdfReader(pdf).pages]


def destinations(pdf) -> set[str]:
    with pikepdf.open(pdf) as doc:
        names: set[str] = set()

        def walk(node) -> None:
            found = node.get("/Names", [])
            names.update(str(found[i]) for i in range(0, len(found), 2))
            for kid in node.get("/Kids", []):
                walk(kid)

        if "/Names" in doc.Root and "/Dests" in doc.Root.Names:
            walk(doc.Root.Names.Dests)
        return names


def test_a_grafted_first_build_prints_what_a_plain_rebuild_prints(invoke, seed_project):
    (seed_project / "brochure.toml").write_text(seed_columns_toml(), encoding="utf-8")
    pdfs = sorted(
        seed_project / "build" / name for name in ("sdk.en-ru.pdf", "sdk.en-ru.print.pdf")
    )
    first = invoke("-vv", "build", seed_project)
    assert first.exit_code == 0, first.stderr
    counts = grafted(first.stderr)
    # every cell measured in this build is grafted (a second layout that keeps a hyphen ladder's
    # words whole measures and grafts the rows holding them)
    assert counts and all(done == asked for done, asked, _ in counts), counts
    assert counts[0][0] > 30, counts
    # parts cut at a sentence end inside a line: all their lines grafted but the last
    assert counts[0][2] > 0, counts
    text = {pdf.name: texts(pdf) for pdf in pdfs}
    dests = {pdf.name: destinations(pdf) for pdf in pdfs}

    # the measurements kept: nothing is measured, so nothing is grafted; the same pages
    plain = invoke("-vv", "build", seed_project, "--force")
    assert plain.exit_code == 0, plain.stderr
    assert all(done == 0 for done, _, _ in grafted(plain.stderr)), plain.stderr
    for pdf in pdfs:
        assert texts(pdf) == text[pdf.name], pdf.name
        # headings keep their anchors (contents, outline); sentence markers become none
        assert destinations(pdf) == dests[pdf.name], pdf.name
    screen = dests["sdk.en-ru.pdf"]
    assert any(name.startswith("h-") for name in screen), screen
    assert not any(re.fullmatch(r"m\d+-\d+-\d+-\d+", name) for name in screen), screen
    with pikepdf.open(seed_project / "build" / "sdk.en-ru.pdf") as doc, doc.open_outline() as o:
        assert [item.title for item in o.root]


def test_lines_are_found_in_the_text_they_set():
    cell = Cell(
        "ru", (Piece("s1", RichText("Мы за власть\u00a0советов.")), Piece("s2", RichText("Да.")))
    )
    text = cell_text(cell)
    assert text == "Мызавластьсоветов.Да."
    # a word broken with the hyphen WeasyPrint adds, and the second sentence on the last line
    assert line_spans(text, ["Мы за власть со-", "ветов. Да."]) == [(0, 12), (12, 21)]
    assert line_spans(text, ["Мы за власть", "советов."]) is None  # not all of the text
    assert line_spans(text, ["Мы против", "советов. Да."]) is None  # not the text
    missing = Cell("ru", (Piece("s1", None),))
    assert cell_text(missing) is None


def test_a_parts_last_line_is_set_from_where_its_measured_line_starts():
    """The tail of a part cut at a sentence end: from the start of the measured line it ends in
    (an offset in `cell_text`), its spans with it, as a continuation (no list marker), also inside
    a word broken at a hyphen; none after a no-break space (no line starts there)."""
    first = RichText("Мы за власть советов.", (Span(6, 12, "em"),))
    cell = Cell("ru", (Piece("s1", first), Piece("s2", RichText("Да, советов."))))
    row = Row("list_item", "b1", 0, (cell,), marker="•")
    # "Мы за власть" / "советов. Да, советов.": the second line starts at "с" (offset 10)
    tail_row, tail = tail_cell(row, cell, 10)
    assert [p.text.text for p in tail.pieces] == ["советов.", "Да, советов."]
    assert tail_row.marker == "" and tail_row.cells == (tail,) and tail_row.kind == "list_item"
    # the next piece's start: pieces join with a space
    assert [p.text.text for p in tail_cell(row, cell, 18)[1].pieces] == ["Да, советов."]
    # spans clipped and moved with the text
    _, emphasised = tail_cell(row, cell, 4)
    assert emphasised.pieces[0].text == RichText("власть советов.", (Span(0, 6, "em"),))
    # "Мы за власть со-" / "ветов. Да, ...": inside a word, as WeasyPrint sets a broken word's rest
    assert [p.text.text for p in tail_cell(row, cell, 12)[1].pieces] == ["ветов.", "Да, советов."]
    bound = Cell("ru", (Piece("s1", RichText("Мы за власть\u00a0советов.")),))
    assert tail_cell(Row("paragraph", "b2", 0, (bound,)), bound, 10) is None


def test_grafted_lines_paint_their_backgrounds_where_they_land(invoke, seed_project, tmp_path):
    """A project stylesheet that paints a background behind emphasis: a grafted first build (its
    lines moved from the measuring pass) paints it where the words are printed, pixel for pixel
    as a plain rebuild (nothing grafted) does."""
    import subprocess

    (seed_project / "brochure.toml").write_text(seed_columns_toml('["screen"]'), encoding="utf-8")
    own = seed_project / "layouts" / "columns"
    own.mkdir(parents=True)
    (own / "columns.css").write_text(
        '{% include "builtin/columns/columns.css" %}\nem { background: #ffd54a; }\n',
        encoding="utf-8",
    )
    pdf = seed_project / "build" / "sdk.en-ru.pdf"

    def pixels(name: str) -> list[bytes]:
        prefix = tmp_path / name
        subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(prefix)], check=True)
        return [p.read_bytes() for p in sorted(tmp_path.glob(f"{name}-*.png"))]

    first = invoke("-vv", "build", seed_project)
    assert first.exit_code == 0, first.stderr
    assert any(done for done, _, _ in grafted(first.stderr)), first.stderr
    grafted_pages = pixels("grafted")
    plain = invoke("-vv", "build", seed_project, "--force")
    assert plain.exit_code == 0, plain.stderr
    assert all(done == 0 for done, _, _ in grafted(plain.stderr)), plain.stderr
    plain_pages = pixels("plain")
    assert len(grafted_pages) == len(plain_pages) > 5
    assert grafted_pages == plain_pages

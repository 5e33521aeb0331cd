"""`brochure proof` and `build --proof`: built PDFs read back line by line.

A real edition (the seed statement, English|Russian) must pass the line checks; the same edition
with a stylesheet a careless designer might write (justified, hyphenation unlimited, text pushed
into the gutter) must be flagged; a hand-made PDF flags fonts, colours and boxes.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from brochure.outputs.proof import MM, Frame, proof_pdf
from conftest import SEEDS

pikepdf = pytest.importorskip("pikepdf")

STATEMENT_ONLY = re.compile(r"documents = \[.*?\]")
BAD_CSS = """{% include "builtin/columns/columns.css" %}
/* what the proof must catch: justified narrow columns, hyphenation without limits, text
   running into the gutter */
td p, td .item { text-align: justify; hyphenate-limit-chars: 4 2 2; hyphenate-limit-zone: 0;
                 margin-right: -4mm; }
"""


def _statement_project(tmp_path: Path, name: str) -> Path:
    """The seed project with one document and the en|ru edition only (a quick build)."""
    folder = tmp_path / name
    shutil.copytree(SEEDS, folder, ignore=shutil.ignore_patterns("build", ".brochure"))
    toml = (folder / "brochure.toml").read_text(encoding="utf-8")
    head = toml.split("[[editions]]")[0]
    head = STATEMENT_ONLY.sub('documents = ["statement-2022-01-07.md"]', head)
    editions = '[[editions]]\nlanguages = ["en", "ru"]\nlayout = "columns"\npage_size = "A5"\nformats = ["pdf"]\n'
    (folder / "brochure.toml").write_text(head + editions, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def good(tmp_path_factory):
    return _statement_project(tmp_path_factory.mktemp("proof"), "good")


def _reports(result) -> list[dict]:
    return json.loads(result.stdout[: result.stdout.rindex("]") + 1])


def test_the_seed_statement_passes_the_line_checks(good, invoke):
    result = invoke("build", good, "--no-mt")
    assert result.exit_code == 0, result.output
    result = invoke("proof", good, "--json")
    screen, printed = _reports(result)
    assert [screen["edition"], printed["edition"]] == ["en-ru", "en-ru (print)"]
    for report in (screen, printed):
        assert report["lines"] > 300
        assert report["hyphenated_share"] <= 0.08
        assert report["longest_ladder"] <= 2
        for page in report["pages"]:
            assert (
                page["one_letter_ends"] == []
                and page["overflow"] == []
                and not page["missing_glyphs"]
            )
        assert report["fonts_not_embedded"] == []
    # every page is 85% full but the statement's last (a long sentence is cut at a line end)
    assert [i for i in screen["issues"] if i["check"] == "page fill"] == []
    # the print PDF's text is 100% black (issue 12, item 5) and its boxes are right
    assert [i for i in printed["issues"] if i["severity"] == "error"] == []
    assert [i for i in screen["issues"] if i["severity"] == "error"] == []
    assert result.exit_code == 0


def test_the_table_names_every_page_and_the_totals(good, invoke):
    result = invoke("proof", good)
    assert "page  lines  hyph  ladder" in result.stdout
    assert re.search(
        r"total \d+ lines, \d+ hyphenated \(\d+\.\d%\), longest ladder [0-2]", result.stdout
    )


def test_a_careless_stylesheet_is_flagged_and_fails_build_proof(tmp_path, invoke):
    bad = _statement_project(tmp_path, "bad")
    (bad / "layouts" / "columns").mkdir(parents=True)
    (bad / "layouts" / "columns" / "columns.css").write_text(BAD_CSS, encoding="utf-8")
    result = invoke("build", bad, "--no-mt", "--proof")
    assert result.exit_code == 1
    assert "Error: proof found" in result.output
    assert "past its column" in result.output
    report, _ = _reports(invoke("proof", bad, "--json"))
    checks = {i["check"] for i in report["issues"] if i["severity"] == "error"}
    assert {"past its column", "hyphenation"} <= checks, checks
    assert report["hyphenated_share"] > 0.08


def test_proof_without_a_build_says_what_to_do(tmp_path, invoke):
    project = _statement_project(tmp_path, "unbuilt")
    result = invoke("proof", project)
    assert result.exit_code == 1
    assert "has no PDF" in result.output and "brochure build" in result.output


def _hand_made_pdf(path: Path, text_ops: bytes, trim: list[float]) -> Path:
    """One page, Helvetica (a standard font, not embedded), the given text operators."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                BaseFont=pikepdf.Name.Helvetica))  # fmt: skip
    page = pikepdf.Page(pikepdf.Dictionary(
        Type=pikepdf.Name.Page, MediaBox=[0, 0, 420, 595], TrimBox=trim,
        Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font)),
        Contents=pdf.make_stream(text_ops),
    ))  # fmt: skip
    pdf.pages.append(page)
    pdf.save(path)
    return path


A5 = Frame(page_mm=(148.0, 210.0), margin_top_mm=20, margin_bottom_mm=20, margin_inner_mm=15,
           margin_outer_mm=15, columns=1, gutter_mm=5)  # fmt: skip


def test_fonts_colours_and_boxes_of_a_print_pdf(tmp_path):
    ops = b"BT /F1 10 Tf 0.07 0.07 0.07 rg 60 400 Td (Grey text in RGB) Tj ET"
    path = _hand_made_pdf(tmp_path / "bad.pdf", ops, [0, 0, 400, 595])
    report = proof_pdf(path, Frame(**{**A5.__dict__, "bleed_mm": 3.0}))
    checks = {i.check for i in report.errors}
    assert report.fonts_not_embedded == ["/Helvetica"]
    assert report.non_black_text_pages == [1]
    assert {"font not embedded", "non-black text", "boxes"} <= checks
    assert any("TrimBox" in i.message for i in report.errors)


def test_black_text_and_right_boxes_pass_those_checks(tmp_path):
    ops = b"BT /F1 10 Tf 0 g 60 400 Td (Black) Tj ET BT 0 0 0 1 k /F1 10 Tf 60 380 Td (K) Tj ET"
    width, height = 148 * 72 / 25.4, 210 * 72 / 25.4
    path = _hand_made_pdf(tmp_path / "ok.pdf", ops, [0, 0, width, height])
    pdf = pikepdf.open(path, allow_overwriting_input=True)
    pdf.pages[0].obj.MediaBox = [0, 0, width, height]
    pdf.save(path)
    report = proof_pdf(path, A5)
    assert report.non_black_text_pages == []
    assert not [i for i in report.errors if i.check in ("boxes", "non-black text")]


@pytest.mark.parametrize("glyphs", [b"<4b>", b"(K)"], ids=["hexadecimal", "literal"])
def test_text_colours_read_from_either_kind_of_string(tmp_path, glyphs):
    # WeasyPrint writes glyphs as hexadecimal strings (such a stream is scanned), another tool may
    # write literal ones (the stream is parsed): both read the same colours
    width, height = 148 * MM, 210 * MM
    black = (b"BT /F1 10 Tf /DeviceCMYK cs 0 0 0 1.0 scn 60 400 Td %s Tj ET "
             b"q 0.5 g 0 0 10 10 re f Q BT /F1 10 Tf 0 g 60 380 Td [%s 120 %s] TJ ET")  # fmt: skip
    grey = b"q 0 g Q BT /F1 10 Tf 0.07 0.07 0.07 rg 60 400 Td [%s -20 %s] TJ ET"
    for ops, expected in ((black % (glyphs, glyphs, glyphs), []), (grey % (glyphs, glyphs), [1])):
        path = _hand_made_pdf(tmp_path / "page.pdf", ops, [0, 0, width, height])
        report = proof_pdf(path, Frame(**{**A5.__dict__, "print_pdf": True}))
        assert report.non_black_text_pages == expected, ops


def _weasyprint_pdf(path: Path, lang: str, body: str, style: str = "") -> Path:
    """A5 pages set by WeasyPrint itself (a PDF that did not pass our stages), 10 pt serif,
    the margins of the frame A5; `style`: more CSS."""
    from brochure.layout.html import fonts_dir
    from weasyprint import HTML

    html = f"""<html lang="{lang}"><meta charset="utf-8"><style>
    @font-face {{ font-family: "Brochure Serif"; src: url({fonts_dir().as_uri()}/PT_Serif-Web-Regular.ttf) }}
    @font-face {{ font-family: "Brochure Serif"; font-style: italic;
                 src: url({fonts_dir().as_uri()}/PT_Serif-Web-Italic.ttf) }}
    @font-face {{ font-family: "Brochure Serif"; font-weight: bold;
                 src: url({fonts_dir().as_uri()}/PT_Serif-Web-Bold.ttf) }}
    @page {{ size: 148mm 210mm; margin: 20mm 15mm }} body {{ margin: 0; font: 10pt "Brochure Serif" }}
    {style}</style>{body}"""
    HTML(string=html).write_pdf(path)
    return path


def test_a_russian_line_ending_in_a_one_letter_word_is_an_error(tmp_path):
    path = _weasyprint_pdf(tmp_path / "ru.pdf", "ru",
        "<p>Забастовка началась в<br>стране и продолжалась долго, а<br>затем и<br>дальше.</p>")  # fmt: skip
    report = proof_pdf(path, A5)
    ends = report.pages[0].one_letter_ends
    assert len(ends) == 3 and ends[0].endswith("началась в")
    assert "one-letter line end" in {i.check for i in report.errors}


def test_a_running_line_opening_with_a_dash_or_a_closing_mark_is_an_error(tmp_path):
    # "problems / –, they": the dash closing an aside went to the next line; a paragraph may
    # open with a dash (dialogue), and a hyphenated compound's line is running text
    path = _weasyprint_pdf(tmp_path / "en.pdf", "en",
        "<p>and his personal health problems<br>–, they are hoping to start<br>a fight – and<br>"
        "– win it<br>, as they hoped.</p><p style='margin-top: 1em'>— Нет, — сказал он.</p>")  # fmt: skip
    report = proof_pdf(path, A5)
    assert report.pages[0].opening_marks == [
        "–, they are hoping to start",
        "– win it",
        ", as they hoped.",
    ]
    assert {i.check for i in report.errors} == {"line opens with a dash or closing mark"}


def test_lines_opening_with_a_quotation_mark_or_a_comma_are_running_text(tmp_path):
    # their first character does not reach the middle of the line: the font was not found and the
    # line was left out of every count (and a runt below it went unseen)
    path = _weasyprint_pdf(tmp_path / "en.pdf", "en",
        "<p>The chairman of the Security<br>“Leader of the Nation”, Nursultan<br>"
        ", it has not provided<br>them.</p>")  # fmt: skip
    report = proof_pdf(path, A5)
    assert report.lines == 4
    assert report.pages[0].runts == ["them."]


def test_an_ellipsis_may_hang_past_the_column_a_letter_may_not(tmp_path):
    # the italic ellipsis sits too low for the character search at mid-height: the edge of the
    # ink was taken at the ellipsis and the line reported past its column
    import pypdfium2 as pdfium

    lines = "<br>".join(["Бөлім"] * 8)  # (a page of text, not a cover)
    path = _weasyprint_pdf(
        tmp_path / "kk.pdf", "kk", f"<p>{lines}<br><em>Жалғасы II\u00a0бөлімде…</em></p>"
    )
    pdf = pdfium.PdfDocument(str(path))
    text = pdf[0].get_textpage()
    letter = text.get_text_range().index("…") - 1
    letter_right = text.get_charbox(letter)[2]
    pdf.close()
    # the column ends 0.5 pt after the last letter: the ellipsis hangs out by more than 1.5 pt
    width = 148 * MM
    at_letter = Frame(**{**A5.__dict__, "margin_outer_mm": (width - letter_right - 0.5) / MM})
    assert proof_pdf(path, at_letter).pages[0].overflow == []
    before_letter = Frame(**{**A5.__dict__, "margin_outer_mm": (width - letter_right + 2) / MM})
    assert proof_pdf(path, before_letter).pages[0].overflow != []


def test_a_line_holding_a_smaller_note_is_one_line_not_a_runt(tmp_path):
    # the bracketed note, set smaller, reaches lower than the words beside it: its line was cut
    # into pieces, "Belkin" alone reported as a runt; also after a word space that justification
    # stretched (a wide measure, as in facing), and in the contents' entries with dot leaders
    lines = "<br>".join(["Words of a line, and more words"] * 8)
    body = (
        f"<p>{lines}<br>The chairmen of the FPK, Sergey<br>"
        "Belkin <span style='font-size: 0.85em'>[Chairman of KSPK]</span> and the other<br>"
        "puppets of the regime.</p>"
        "<p style='text-align: justify; word-spacing: 4pt'>The official parliament, Mazhilis "
        "<span style='font-size: 0.85em'>[the lower chamber]</span>, brought the system no "
        "stability at all, and each new wave of protest shows it.</p>"
    )
    path = _weasyprint_pdf(tmp_path / "en.pdf", "en", body)
    report = proof_pdf(path, A5)
    assert report.pages[0].runts == []
    assert report.lines == 13


# Pages of 10/14 pt lines, paragraphs 7 pt apart, no widow or orphan control: the body of A5 (170
# mm, 481.9 pt) holds a first paragraph of 32 lines and one more line after a paragraph's space.
PAGED = ("body { line-height: 14pt; orphans: 1; widows: 1 } p { margin: 7pt 0 0 }"
         "p:first-child { margin: 0 } h2 { font-size: 10pt; line-height: 14pt; margin: 0 }")  # fmt: skip
LINES = "Words of a line, and more words of it"
IMPRINT = "<p>Socialist Movement of Kazakhstan, 2026</p>"


def _paragraph(lines: int, end: str = ".") -> str:
    return "<p>" + "<br>".join([LINES] * lines) + end + "</p>"


@pytest.mark.parametrize(
    ("after", "orphans"),
    [
        # a one-line paragraph (an imprint) at the page's foot, a heading at the next one's head
        (IMPRINT + "<h2>Statement of the Movement</h2>" + _paragraph(12), []),
        # ... or the back cover after it (few centred lines): it goes on nowhere
        (IMPRINT + "<p style='break-before: page'>Almaty, 2026</p>", []),
        # a paragraph's first line at the foot, the paragraph going on on the next page
        ("<p>Socialist Movement of Kazakhstan, a paragraph going on<br>to the next page at its "
         "head, and on<br>and on, and on" + _paragraph(12)[3:], ["ment of Kazakhstan, a paragraph going on"]),
    ],
    ids=["heading-after-imprint", "back-cover-after-imprint", "orphan"],
)  # fmt: skip
def test_an_orphan_is_a_first_line_whose_paragraph_goes_on(tmp_path, after, orphans):
    """An orphan is the first line of a paragraph that continues at the head of the next page: not
    a one-line paragraph (the colophon's imprint) with a heading or no running text after it."""
    path = _weasyprint_pdf(tmp_path / "paged.pdf", "en", _paragraph(32, "") + after, PAGED)
    report = proof_pdf(path, A5)
    assert report.page_count == 2 and report.pages[0].lines == 33
    assert report.pages[0].orphans == orphans
    assert [i.message for i in report.issues if i.check == "orphan"] == orphans


@pytest.mark.parametrize(
    ("body", "widows"),
    [
        # the cover's last line and the contents' first entry: no paragraph goes on between them
        ("<p>Socialist Movement of Kazakhstan</p><p style='break-before: page'>The Programme of "
         "the Movement (Transitional)</p>" + _paragraph(12), []),
        # a page of running text whose last paragraph ends at the head of the next page
        (_paragraph(32, "") + "<p>A paragraph at the page's foot going on<br>to the next one.</p>"
         + _paragraph(12), ["to the next one."]),
    ],
    ids=["contents-after-cover", "widow"],
)  # fmt: skip
def test_a_widow_is_a_last_line_come_from_a_page_of_text(tmp_path, body, widows):
    """A widow is a paragraph's last line at the head of a page, the rest of it on a page of
    running text before: not the contents' first entry after the cover's last line."""
    path = _weasyprint_pdf(tmp_path / "paged.pdf", "en", body, PAGED)
    report = proof_pdf(path, A5)
    assert report.page_count == 2
    assert report.pages[1].widows == widows
    assert [i.message for i in report.issues if i.check == "widow"] == widows


FACING_A5 = Frame(**{**A5.__dict__, "facing": True})
SHORT_PAGE = "<p style='break-before: page'>Ein kurzer Absatz, der weitergeht</p>"
WIDOW_PAGE = "<p style='break-before: page'>to the next one.</p>" + _paragraph(12)


@pytest.mark.parametrize(
    ("body", "widows"),
    [
        # the text page 1 goes on on page 3 (its language's page of the next spread), page 2
        # between them is the other language's, here a short one
        (_paragraph(32, "") + "<p>A paragraph at the page's foot going on</p>" + SHORT_PAGE
         + WIDOW_PAGE, ["to the next one."]),
        # page 1 is a short page (a cover's lines): nothing came to page 3 from a page of text,
        # though page 2, the other language's, is one
        ("<p>Socialist Movement of Kazakhstan, a cover</p><p style='break-before: page'>"
         + _paragraph(32, "")[3:] + "<p>A paragraph at the page's foot going on</p>" + WIDOW_PAGE, []),
    ],
    ids=["widow-from-the-spread-before", "nothing-from-the-spread-before"],
)  # fmt: skip
def test_in_facing_a_widow_comes_from_its_languages_page_before(tmp_path, body, widows):
    """In a facing edition the text at the head of a page came from the same language's page of
    the spread before, two pages back, not from the page just before it (the other language)."""
    path = _weasyprint_pdf(tmp_path / "facing.pdf", "en", body, PAGED)
    report = proof_pdf(path, FACING_A5)
    assert report.page_count == 3
    assert report.pages[2].widows == widows
    assert [i.message for i in report.issues if i.check == "widow"] == widows


# Two columns on A5, as the columns layout's frame: 56.5 mm each, a 5 mm gutter.
A5_COLUMNS = Frame(**{**A5.__dict__, "columns": 2})
TABLE = ("table { border-collapse: collapse; table-layout: fixed; width: 118mm }"
         "td { padding: 0; width: 56.5mm; vertical-align: top } td + td { padding-left: 5mm }"
         "p { margin: 5pt 0 0 }")  # fmt: skip
WIDE = ("The English texts are printed as published, with an editor's copy-edit of obvious slips "
        "and corrected bracketed notes; every change is recorded in the project's review file.")  # fmt: skip


def test_a_full_width_block_may_end_in_the_gutter_a_column_may_not(tmp_path):
    """The colophon spans both columns: its short last lines (its imprint, set right here so they
    end in the gutter) are no text past its column, as LibreOffice's conversion of the DOCX set
    them. A line of a column ending in the gutter is, and so is one of a full-width block running
    beyond the text area."""
    rows = "".join(
        "<tr><td>Words of a line, and more</td><td>Слова строки и ещё</td></tr>" for _ in range(9)
    )
    colophon = (f"<p>{WIDE}</p><p style='width: 59mm; text-align: right'>"
                "Socialist Movement of Kazakhstan, 2026</p>")  # fmt: skip
    path = _weasyprint_pdf(
        tmp_path / "colophon.pdf", "en", f"<table>{rows}</table>{colophon}", TABLE
    )
    report = proof_pdf(path, A5_COLUMNS)
    assert report.lines == 22  # a page of running text, not a cover
    assert report.pages[0].overflow == []
    assert "past its column" not in {i.check for i in report.issues}
    # a column's line set 3 mm into the gutter (its row's other cell empty)
    last = ("<tr><td><p style='margin: 0 -3mm 0 0; text-align: right'>Movement of Kazakhstan, 2026"
            "</p></td><td></td></tr>")  # fmt: skip
    path = _weasyprint_pdf(tmp_path / "gutter.pdf", "en", f"<table>{rows}{last}</table>", TABLE)
    overflow = proof_pdf(path, A5_COLUMNS).pages[0].overflow
    assert overflow == ["'Movement of Kazakhstan, 2026' (8.2 pt past column 1)"]
    # a full-width block with a line that does not break, beyond the text area
    long = "<br><span style='white-space: nowrap'>" + WIDE[:80] + "</span>"
    path = _weasyprint_pdf(tmp_path / "wide.pdf", "en",
                           f"<table>{rows}</table><p>{WIDE}{long}</p>", TABLE)  # fmt: skip
    overflow = proof_pdf(path, A5_COLUMNS).pages[0].overflow
    assert len(overflow) == 1 and "past column 1" in overflow[0]


@pytest.mark.parametrize(("into", "past"), [("2mm", 5.4), ("4mm", 11.0)])
def test_a_column_line_run_into_the_gutter_up_to_the_text_beside_it_is_past(tmp_path, into, past):
    """A line of the left column set 2-4 mm into the 5 mm gutter ends less than 6 pt before the
    right column's text on its height: read as one line with it, it was no line past its column
    (its end lay in the right column). It is cut at the right column's edge and reported."""
    rows = "".join(
        "<tr><td>Words of a line, and more</td><td>Слова строки и ещё</td></tr>" for _ in range(9)
    )
    last = (f"<tr><td><p style='margin: 5pt -{into} 0 0; text-align: right'>Movement of "
            "Kazakhstan, 2026</p></td><td><p>Слова строки и ещё</p></td></tr>")  # fmt: skip
    path = _weasyprint_pdf(tmp_path / "gutter.pdf", "en", f"<table>{rows}{last}</table>", TABLE)
    report = proof_pdf(path, A5_COLUMNS)
    assert report.lines == 20  # both lines of the last row counted, each in its column
    assert report.pages[0].overflow == [
        f"'Movement of Kazakhstan, 2026 ' ({past} pt past column 1)"
    ]
    assert "past its column" in {i.check for i in report.errors}


def test_a_page_whose_margins_are_the_other_sides_is_read_at_its_columns(tmp_path):
    """LibreOffice's PDF export leaves out the blank page a DOCX section asks for (a document
    starting on a right-hand page): every page after it has the other side's margins. Its lines
    are read at the columns they start at (they were in no column: not counted, not checked)."""
    mirrored = Frame(**{**A5.__dict__, "margin_inner_mm": 25, "margin_outer_mm": 15})
    lines = "<br>".join(["Слова строки, и ещё слова"] * 8)
    # page 1 is a recto (inner margin, 25 mm, on the left) but is set as a verso (15 mm)
    path = _weasyprint_pdf(
        tmp_path / "ru.pdf", "ru", f"<p>{lines}<br>Забастовка началась в<br>стране.</p>"
    )
    report = proof_pdf(path, mirrored)
    assert report.lines == 10
    assert [i.message for i in report.errors if i.check == "one-letter line end"] == [
        "Забастовка началась в"
    ]


def test_a_dash_apart_from_its_line_is_no_text_beside_a_full_width_block(tmp_path):
    """pdfium may give a dash a box of its own, higher than its line (LibreOffice's colophon with
    an em dash at a line end): it is no column of text beside the block, whose lines reach into
    the next column (they were all reported past their column)."""
    rows = "".join(
        "<tr><td>Words of a line, and more</td><td>Слова строки и ещё</td></tr>" for _ in range(9)
    )
    dash = "<span style='font-size: 0.7em; vertical-align: 5pt'>—</span>"
    colophon = (
        f"<p>The English texts are printed as published, with an editor's {dash} {WIDE[44:]}</p>"
    )
    path = _weasyprint_pdf(tmp_path / "dash.pdf", "en", f"<table>{rows}</table>{colophon}", TABLE)
    report = proof_pdf(path, A5_COLUMNS)
    assert report.lines > 20 and report.pages[0].overflow == []

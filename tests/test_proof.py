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


def _weasyprint_pdf(path: Path, lang: str, body: str) -> Path:
    """One A5 page set by WeasyPrint itself (a PDF that did not pass our stages), 10 pt serif,
    the margins of the frame A5."""
    from brochure.layout.html import fonts_dir
    from weasyprint import HTML

    html = f"""<html lang="{lang}"><meta charset="utf-8"><style>
    @font-face {{ font-family: "Brochure Serif"; src: url({fonts_dir().as_uri()}/PT_Serif-Web-Regular.ttf) }}
    @font-face {{ font-family: "Brochure Serif"; font-style: italic;
                 src: url({fonts_dir().as_uri()}/PT_Serif-Web-Italic.ttf) }}
    @page {{ size: 148mm 210mm; margin: 20mm 15mm }} body {{ margin: 0; font: 10pt "Brochure Serif" }}
    </style>{body}"""
    HTML(string=html).write_pdf(path)
    return path


def test_a_russian_line_ending_in_a_one_letter_word_is_an_error(tmp_path):
    path = _weasyprint_pdf(tmp_path / "ru.pdf", "ru",
        "<p>Забастовка началась в<br>стране и продолжалась долго, а<br>затем и<br>дальше.</p>")  # fmt: skip
    report = proof_pdf(path, A5)
    ends = report.pages[0].one_letter_ends
    assert len(ends) == 3 and ends[0].endswith("началась в")
    assert "one-letter line end" in {i.check for i in report.errors}


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


def test_an_orphan_needs_a_page_of_running_text_after_it():
    """A paragraph's first line at the foot of the last text page (the colophon's one-line
    imprint, interleaved seed p. 19) goes on nowhere: no orphan. Before a page of text it is one."""
    from brochure.outputs.proof import Issue, PageReport, _continued_orphans

    def pages():
        text = [PageReport(n, lines=30, orphans=[f"first line {n}"]) for n in (1, 2)]
        return [*text, PageReport(3, lines=2)]  # the back cover: a few centred lines

    reports = pages()
    issues = [Issue("warning", "orphan", n, f"first line {n}") for n in (1, 2)]
    issues.append(Issue("warning", "runt", 2, "day."))
    kept = _continued_orphans(reports, issues)
    assert [(i.check, i.page) for i in kept] == [("orphan", 1), ("runt", 2)]
    assert reports[0].orphans == ["first line 1"] and reports[1].orphans == []
    last = pages()[:2]
    assert _continued_orphans(last, [Issue("warning", "orphan", 2, "first line 2")]) == []

"""Screen and print PDFs (issue 12, item 5): one layout written twice.

The screen PDF is the page as cut (MediaBox = TrimBox), colours as designed; the print PDF has
bleed and crop marks, no RGB colour anywhere, text and rules in 100% black, and a PDF/X-1a output
intent. The colours are read back from the content streams (pikepdf), not from our own writer.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from brochure.layout.prepress import print_colour_ops, rgb_to_cmyk

pikepdf = pytest.importorskip("pikepdf")
pypdfium2 = pytest.importorskip("pypdfium2")

# What a designer might add: red headings with a grey rule under them, grey notes.
COLOURED_CSS = "h1 { color: #c0392b; border-bottom: 0.5pt solid #999; } p { color: #666; }\n"


def _invoke(*args):
    from brochure.cli import cli
    from click.testing import CliRunner

    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def error_line(result) -> str:
    assert result.exit_code == 1, result.output
    return result.output.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("variants") / "p"
    assert _invoke("init", folder).exit_code == 0
    (folder / "layouts" / "columns").mkdir(parents=True)
    (folder / "layouts" / "columns" / "extra.css").write_text(COLOURED_CSS, encoding="utf-8")
    result = _invoke("build", folder)
    assert result.exit_code == 0, result.output
    return folder


def _colours(page) -> list[tuple[str, tuple[float, ...], bool]]:
    """(operator, operands, shows text) for every colour operator of a page, with q/Q and text."""
    out = []
    fill: tuple[str, tuple[float, ...]] = ("g", (0.0,))
    stack = []
    for operands, operator in pikepdf.parse_content_stream(page):
        op = str(operator)
        if op == "q":
            stack.append(fill)
        elif op == "Q":
            fill = stack.pop()
        elif op in ("g", "G", "rg", "RG", "k", "K", "cs", "CS", "sc", "scn", "SC", "SCN"):
            values = tuple(float(v) for v in operands if not isinstance(v, pikepdf.Name))
            out.append((op, values, False))
            if op in ("g", "rg", "k"):
                fill = (op, values)
        elif op in ("Tj", "TJ", "'", '"'):
            out.append((fill[0], fill[1], True))
    return out


def _box(page, name: str) -> list[float] | None:
    value = page.obj.get(name)
    return [round(float(v), 2) for v in value] if value is not None else None


def test_the_print_pdf_is_black_cmyk_with_bleed_marks_and_an_output_intent(built):
    path = built / "build" / "p.en-ru.print.pdf"
    pdf = pikepdf.open(path)
    shown = 0
    out = 31.18  # 3 mm bleed + 8 mm slug, in points
    for page in pdf.pages:
        for op, values, text in _colours(page):
            if op in ("CS", "SCN"):  # the crop marks, in registration colour (every plate)
                assert not text and values in ((), (1.0,)), (op, values)
                continue
            assert op not in ("rg", "RG", "cs", "sc", "scn", "SC"), (op, values)
            if text:
                shown += 1
                assert (op, values) in (("k", (0, 0, 0, 1)), ("g", (0,))), (op, values)
        space = page.Resources.ColorSpace.BrochureRegistration
        assert [str(space[0]), str(space[1]), str(space[2])] == [
            "/Separation",
            "/All",
            "/DeviceCMYK",
        ]
        trim, bleed, media = (_box(page, n) for n in ("/TrimBox", "/BleedBox", "/MediaBox"))
        # the origin at the media box's corner (no negative origin for a preflight to trip on)
        assert media == [0, 0, round(419.53 + 2 * out, 2), round(595.28 + 2 * out, 2)]
        assert trim == [out, out, round(419.53 + out, 2), round(595.28 + out, 2)]
        assert bleed == [
            round(out - 8.5, 2),
            round(out - 8.5, 2),
            round(428.03 + out, 2),
            round(603.78 + out, 2),
        ]  # 3 mm
        assert "/Annots" not in page.obj
    assert shown > 10
    [intent] = pdf.Root.OutputIntents
    assert intent.S == "/GTS_PDFX" and str(intent.OutputConditionIdentifier) == "FOGRA39"
    assert str(pdf.docinfo["/GTS_PDFXVersion"]) == "PDF/X-1a:2003"
    assert str(pdf.docinfo["/Trapped"]) == "/False"
    fonts = [f for page in pdf.pages for f in page.Resources.Font.values()]
    assert fonts and all("/FontFile2" in f.DescendantFonts[0].FontDescriptor for f in fonts)


def test_the_screen_pdf_is_the_trimmed_page_in_its_designed_colours(built):
    pdf = pikepdf.open(built / "build" / "p.en-ru.pdf")
    for page in pdf.pages:
        assert _box(page, "/MediaBox") == _box(page, "/TrimBox") == [0, 0, 419.53, 595.28]
        assert _box(page, "/BleedBox") is None
    red = (0.752941, 0.223529, 0.168627)
    assert any(values == red and text for page in pdf.pages for _, values, text in _colours(page))
    assert "/OutputIntents" not in pdf.Root


def test_both_pdfs_pass_qpdfs_check(built):
    from test_schemas import pdf_syntax

    for name in ("p.en-ru.pdf", "p.en-ru.print.pdf"):
        pdf_syntax(built / "build" / name)


def test_screen_and_print_pdfs_hold_the_same_lines(built):
    def lines(path: Path) -> list[str]:
        document = pypdfium2.PdfDocument(str(path))
        return [document[i].get_textpage().get_text_range() for i in range(len(document))]

    assert lines(built / "build" / "p.en-ru.pdf") == lines(built / "build" / "p.en-ru.print.pdf")


def test_the_print_pdf_from_the_screen_pdfs_painting_is_the_print_variants_own(built, monkeypatch):
    """Each page is painted once for both PDFs (layout.pdf._write_print_from): the print PDF holds
    what WeasyPrint's own write_pdf of the print variant writes, painting anew, object for object
    (numbered otherwise), in the same PDF version."""
    import time

    import brochure.layout.pdf as pdf_module
    import weasyprint.pdf.pdfx as pdfx
    from weasyprint.document import Page

    # PDF/X dates its file at writing: the same second for both ways
    fixed = time.localtime(1_700_000_000)
    monkeypatch.setattr(pdfx, "localtime", lambda *a: fixed)
    painted = []
    paint = Page.paint
    monkeypatch.setattr(
        Page, "paint", lambda self, *a, **k: (painted.append(self), paint(self, *a, **k))[1]
    )

    def build() -> tuple[bytes, bytes, int]:
        painted.clear()
        result = _invoke("build", built, "--force", "--edition", "en-ru")
        assert result.exit_code == 0, result.output
        out = built / "build"
        return (
            (out / "p.en-ru.pdf").read_bytes(),
            (out / "p.en-ru.print.pdf").read_bytes(),
            len(painted),
        )

    screen, shared, paints = build()
    pages = len(pikepdf.open(built / "build" / "p.en-ru.pdf").pages)
    assert paints == pages  # one painting for both files
    # WeasyPrint's own write of the print variant, painting anew (as with another WeasyPrint,
    # whose write_pdf may differ from the one tested)
    monkeypatch.setattr(pdf_module, "PAINT_ONCE_VERSIONS", ())
    screen_again, own, paints = build()
    assert paints == 2 * pages
    assert screen_again == screen
    assert same_objects(shared, own)


def same_objects(a: bytes, b: bytes) -> bool:
    """Whether two PDFs hold the same objects from their trailers down (streams decoded, indirect
    references followed; object numbers and the file identifier aside), in the same version."""
    import io

    one, two = pikepdf.open(io.BytesIO(a)), pikepdf.open(io.BytesIO(b))
    seen: set[tuple[tuple[int, int], tuple[int, int]]] = set()

    def same(x, y, where: str) -> bool:
        if (
            isinstance(x, pikepdf.Object)
            and isinstance(y, pikepdf.Object)
            and x.is_indirect
            and y.is_indirect
        ):
            if (x.objgen, y.objgen) in seen:
                return True
            seen.add((x.objgen, y.objgen))
        if isinstance(x, pikepdf.Stream) or isinstance(y, pikepdf.Stream):
            if not (isinstance(x, pikepdf.Stream) and isinstance(y, pikepdf.Stream)):
                raise AssertionError(f"{where}: a stream and a non-stream")
            if x.read_bytes() != y.read_bytes():
                raise AssertionError(f"{where}: stream content differs")
            x, y = x.stream_dict, y.stream_dict
        if isinstance(x, pikepdf.Dictionary) and isinstance(y, pikepdf.Dictionary):
            keys = set(x.keys()) - {"/Length"}
            if keys != set(y.keys()) - {"/Length"}:
                raise AssertionError(
                    f"{where}: keys {sorted(keys ^ (set(y.keys()) - {'/Length'}))}"
                )
            return all(same(x[k], y[k], f"{where}{k}") for k in sorted(keys))
        if isinstance(x, pikepdf.Array) and isinstance(y, pikepdf.Array):
            if len(x) != len(y):
                raise AssertionError(f"{where}: arrays of {len(x)} and {len(y)}")
            return all(same(p, q, f"{where}[{i}]") for i, (p, q) in enumerate(zip(x, y)))
        if x != y:
            raise AssertionError(f"{where}: {x!r} != {y!r}")
        return True

    assert one.pdf_version == two.pdf_version
    trailer = {k: v for k, v in one.trailer.items() if k != "/ID"}
    other = {k: v for k, v in two.trailer.items() if k != "/ID"}
    assert trailer.keys() == other.keys()
    return all(same(trailer[k], other[k], k) for k in sorted(trailer))


def test_proof_passes_both_and_knows_which_is_which(built):
    result = _invoke("proof", built)
    assert result.exit_code == 0, result.output
    assert "en-ru: " in result.output and "/build/p.en-ru.pdf, " in result.output
    assert "en-ru (print): " in result.output and "/build/p.en-ru.print.pdf, " in result.output


def test_the_pdf_option_chooses_the_variants(tmp_path, invoke):
    folder = tmp_path / "p"
    invoke("init", folder)
    toml = folder / "brochure.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text.replace('pdf = ["screen", "print"]', 'pdf = ["print"]'), encoding="utf-8")
    assert invoke("build", folder).exit_code == 0
    assert sorted(p.name for p in (folder / "build").iterdir()) == [
        "p.en-ru.docx",
        "p.en-ru.print.pdf",
    ]
    result = invoke("preview", folder, "--print", "--pages", "1", "--dpi", "30")
    assert result.exit_code == 0 and "p.en-ru.print.p001.png" in result.output
    # without --print, the screen PDF, else (as here) the print PDF
    result = invoke("preview", folder, "--pages", "1", "--dpi", "30")
    assert result.exit_code == 0 and "p.en-ru.print.p001.png" in result.output

    toml.write_text(text.replace('pdf = ["screen", "print"]', 'pdf = "screen"'), encoding="utf-8")
    line = error_line(invoke("preview", folder, "--print", "--pages", "1"))
    assert "edition 'en-ru' writes no print PDF (pdf: screen)" in line

    toml.write_text(text.replace('pdf = ["screen", "print"]', 'pdf = ["proof"]'), encoding="utf-8")
    line = error_line(invoke("build", folder))
    assert "editions[0].pdf: must be a list of: screen, print" in line


def test_colour_operators_golden():
    ops = [b"q", b"0.6 0.6 0.6 rg", b"83 126 393 0.67 re", b"f*", b"Q",  # a grey rule
           b"q", b"0.992157 0.894118 0.894118 rg", b"83 142 393 18 re", b"f", b"Q",  # an area
           b"0.333333 0.333333 0.333333 rg", b"q", b"0 0 1 rg", b"Q", b"BT", b"(x) Tj", b"ET",
           b"0 0 1 RG", b"83 192 m", b"S"]  # fmt: skip
    out = print_colour_ops(ops)
    assert out[1] == b"0 0 0 1 k"  # the rule: 100% K, never a screened tint
    assert out[6] == b"0 0.099 0.099 0.008 k"  # the pale pink area, converted
    assert out[10] == b"0 0 0 1 k"  # the grey restored by Q shows text: 100% K
    assert out[12] == b"1 1 0 0 k"  # blue set and dropped before any painting: converted
    assert out[17] == b"0 0 0 1 K"  # strokes (underlines, borders): 100% K
    assert rgb_to_cmyk(0.4, 0.4, 0.4) == (0.0, 0.0, 0.0, 0.6)  # grey: K alone, one ink

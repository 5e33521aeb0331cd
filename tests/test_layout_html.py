"""html.py and the columns templates: the HTML handed to WeasyPrint (no rendering here)."""

from __future__ import annotations

import re
import subprocess
import sys
from html.parser import HTMLParser

import pytest
from brochure.core.errors import LayoutError
from brochure.layout.html import render_html, rich_html
from editions import block, document, edition, heading, paragraph, seg, simple_edition, text


class _Cells(HTMLParser):
    """Collects every td/th with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[dict[str, str | None]] = []
        self.html_lang: str | None = None

    def handle_starttag(self, tag, attrs):
        if tag in ("td", "th"):
            self.cells.append(dict(attrs))
        if tag == "html":
            self.html_lang = dict(attrs).get("lang")


def parse(html: str) -> _Cells:
    parser = _Cells()
    parser.feed(html)
    return parser


def test_html_basics():
    html, base = render_html(simple_edition(paragraphs=3))
    assert '<meta charset="utf-8">' in html
    parsed = parse(html)
    assert parsed.html_lang == "en"
    assert parsed.cells and all(c.get("lang") in ("en", "ru") for c in parsed.cells)
    assert html.count("<table") == 1 and "<thead>" in html
    assert ">English</th>" in html and ">Русский</th>" in html
    assert "<title>Test brochure</title>" in html
    assert '<meta name="generator" content="brochure test-suite">' in html
    assert "Пробная брошюра" in html and "Test Publisher" in html and "2024-05-01" in html
    # the outline's label: the heading as written (typography may bind its words on the page)
    assert re.search(
        r"<h1 class=\"l0\" id=\"h-doc-[^\"]+\" data-label=\"Main heading\">Main heading</h1>", html
    )
    assert '<h1 class="l1">Главный заголовок</h1>' in html
    assert (base / "brochure.html.j2").exists()
    assert "DRAFT" not in html


def test_css_page_size_fonts_and_hyphenation():
    html, _ = render_html(simple_edition(page_size="150mm x 220mm", paragraphs=1))
    assert "size: 150mm 220mm;" in html
    assert "hyphens: auto" in html and 'hyphenate-character: "-"' in html
    assert "break-inside: avoid" in html
    assert "/fonts/PT_Serif-Web-Regular.ttf" in html and "/fonts/PT_Sans-Web-Bold.ttf" in html


def test_draft_mark():
    html, _ = render_html(simple_edition(paragraphs=1, draft=True))
    assert 'content: "DRAFT"' in html


def test_missing_translation_box():
    ed = edition(
        document(
            "d", block("paragraph", seg({"en": "Only English.", "ru": None}, sid="s0123456789ab"))
        )
    )
    html, _ = render_html(ed)
    assert (
        '<span class="missing">missing translation <span class="id">s0123456789ab</span></span>'
        in html
    )


def test_inline_formatting_is_escaped_and_nested():
    rich = text("a <b> & [note *x*]", (2, 5, "em"), (8, 18, "note"), (14, 17, "strong"))
    # the spaces around an inline box go inside it (a WeasyPrint line-breaking fault, see rich_html)
    assert str(rich_html(rich)) == (
        'a<em> &lt;b&gt; </em>&amp;<span class="note"> [note</span>'
        '<span class="note"><strong> *x*</strong></span><span class="note">]</span>'
    )


def test_heading_levels_start_at_h1_and_a_long_paragraph_is_one_row():
    langs = ("en", "ru")
    doc = document(
        "d",
        heading({"en": "Top", "ru": "Верх"}, level=2),
        heading({"en": "Sub", "ru": "Под"}, level=3),
        paragraph(1, langs, sentences=40, repeat=2),
    )
    html, _ = render_html(edition(doc))
    assert re.search(r'<h1 class="l0" id="[^"]+" data-label="Top">Top</h1>', html) and re.search(
        r'<h2 class="l0" id="[^"]+" data-label="Sub">Sub</h2>', html
    )
    assert '<h1 class="l1">Верх</h1>' in html
    # one row: it is cut only where a page breaks (brochure.layout.paging), not here
    assert html.count('class="paragraph first last"') == 1 and "paragraph cont" not in html


def test_three_languages_and_kazakh():
    langs = ("en", "ru", "kk")
    html, _ = render_html(simple_edition(langs=langs, paragraphs=2))
    assert ">Қазақша</th>" in html
    assert {c.get("lang") for c in parse(html).cells} == set(langs)
    assert html.count("<col ") == 3


def test_project_layout_overrides_builtin(tmp_path):
    own = tmp_path / "layouts" / "columns"
    own.mkdir(parents=True)
    (own / "columns.css").write_text("body { color: #123456; }\n", encoding="utf-8")
    html, base = render_html(simple_edition(paragraphs=1), search_dirs=(tmp_path / "layouts",))
    assert "#123456" in html and "tr { break-inside: avoid; }" not in html
    assert base.name == "columns"  # the template itself still comes from the built-in layout


def test_unknown_layout(tmp_path):
    ed = simple_edition(paragraphs=1)
    ed = type(ed)(type(ed.info)(**{**ed.info.__dict__, "layout": "nosuch"}), ed.documents)
    with pytest.raises(LayoutError, match="layout 'nosuch' not found"):
        render_html(ed, search_dirs=(tmp_path,))


def test_importing_layout_does_not_import_heavy_libraries():
    code = (
        "import sys, brochure.layout, brochure.layout.rows, brochure.layout.html, brochure.cli; "
        "print([m for m in ('weasyprint', 'docx') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_unknown_format(tmp_path):
    from brochure.layout import render

    with pytest.raises(LayoutError, match="unknown output format 'odt'"):
        render(simple_edition(paragraphs=1), "odt", tmp_path / "x.odt")

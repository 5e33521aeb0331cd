"""Sources as editors receive them, made at test time from the hand-cleaned seed Markdown.

Each seed document (seeds/*.md) is rendered into a saved web page wrapped in the furniture the raw
scraped seeds show (a menu, a "Translated from" line, a comment thread, a donation appeal, a "Save
this article in PDF" bar, embedded CSS and scripts), into a DOCX written with python-docx and into
an ODT written with odfpy, both with a header, a footer, a comment and tracked changes. Built from
the .md files when the tests run, so the fixtures follow any copy-edit of the seed texts.
"""

from __future__ import annotations

import html
from pathlib import Path

from brochure.core.datamodel import Block, RichText
from brochure.sources.text import parse_markdown, read_text

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

# Furniture: every piece must be gone from what `brochure add` writes.
MENU = ["Home", "About", "Archives", "Donate", "Contact"]
TRANSLATED_FROM = "Translated from:"
COMMENT = (
    "Saludos comunistas. Estimados camaradas, para nosotros, acá en Panamá, es un honor poder "
    "divulgar sus opiniones. Lástima que el traductor de Google no sirve de nada."
)
COMMENT_QUOTE_CSS = "#yiv1954362747 a:hover {color:red;}#yiv1954362747 a {text-decoration:none;}"
DONATION = (
    "If you like this article or have found it useful, please consider donating towards the work "
    "of International Viewpoint. Simply follow this link: Donate then enter an amount of your "
    "choice. One-off donations are very welcome."
)
PDF_BAR = "Save this article in PDF"
PRINTABLE = "Version imprimable de cet article"
SHARE = "Share this:"
POSTED_IN = "This entry was posted in International, Parties, Repression, Working Class."
LEAVE_REPLY = "Leave a Reply"
CSS_RULE = "body { font-family: Georgia, serif; color: #222 }"
SCRIPT = "window.dataLayer = window.dataLayer || []; function gtag(){dataLayer.push(arguments);}"
FURNITURE = [
    TRANSLATED_FROM, "Saludos", "Panamá", "yiv1954362747", "donating", "Donate", PDF_BAR,
    "imprimable", SHARE, "posted in", LEAVE_REPLY, "font-family", "dataLayer", "Archives",
    "Bookmark", "Log Out", "Header of the office file", "Footer of the office file",
    "An editor's comment", "deleted by a tracked change",
]  # fmt: skip

# Office-file furniture and tracked changes
OFFICE_HEADER = "Header of the office file"
OFFICE_FOOTER = "Footer of the office file, page"
OFFICE_COMMENT = "An editor's comment: check this figure"
TRACKED_DELETION = " (deleted by a tracked change)"
TRACKED_INSERTION = "inserted"


def seed_blocks(name: str) -> list[Block]:
    """The blocks of seeds/<name>.md as the project's Markdown reader sees them."""
    return parse_markdown(read_text(SEEDS / f"{name}.md"))


def seed_paragraphs(name: str) -> list[str]:
    return [b.text for b in seed_blocks(name)]


# -- web pages -----------------------------------------------------------------------------------
def inline_html(rich: RichText) -> str:
    """RichText -> HTML with <em>/<strong>; bracketed notes stay text, as on the real pages."""
    tags = {"em": "em", "strong": "strong"}
    events: list[tuple[int, int, str]] = []
    for s in rich.spans:
        if s.kind in tags:
            events.append((s.start, 1, f"<{tags[s.kind]}>"))
            events.append((s.end, 0, f"</{tags[s.kind]}>"))
    events.sort(key=lambda e: (e[0], e[1]))
    out, pos = [], 0
    for at, _, tag in events:
        out.append(html.escape(rich.text[pos:at], quote=False))
        out.append(tag)
        pos = at
    out.append(html.escape(rich.text[pos:], quote=False))
    return "".join(out)


def blocks_html(blocks: list[Block]) -> list[str]:
    """One HTML chunk per block, lists grouped into <ul>/<ol>."""
    chunks: list[str] = []
    i = 0
    while i < len(blocks):
        b = blocks[i]
        if b.kind == "list_item":
            tag = "ol" if b.ordered else "ul"
            items = []
            while i < len(blocks) and blocks[i].kind == "list_item":
                items.append(f"  <li>{inline_html(blocks[i].content)}</li>")
                i += 1
            chunks.append(f"<{tag}>\n" + "\n".join(items) + f"\n</{tag}>")
            continue
        if b.kind == "heading":
            chunks.append(f"<h{b.level}>{inline_html(b.content)}</h{b.level}>")
        elif b.kind == "quote":
            chunks.append(f"<blockquote><p>{inline_html(b.content)}</p></blockquote>")
        else:
            chunks.append(f"<p>{inline_html(b.content)}</p>")
        i += 1
    return chunks


_HEAD = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{title} | {site}</title>
<style type="text/css">
{css}
.menu li {{ display: inline; margin-right: 1em }} .donate {{ border: 1px solid #c00 }}
</style>
<script>{script}</script>
<link rel="stylesheet" href="style.css">
</head>"""


def _menu() -> str:
    items = "".join(f'<li><a href="/{m.lower()}/">{m}</a></li>' for m in MENU)
    return f'<nav class="menu" id="site-navigation"><ul>{items}</ul></nav>'


def wordpress_page(blocks: list[Block]) -> str:
    """A blog post as a WordPress theme saves it: menu, post, share bar, comments, reply form."""
    title, body = blocks[0], blocks[1:]
    chunks = blocks_html(body)
    return f"""{_HEAD.format(title=html.escape(title.text), site="Left Russia", css=CSS_RULE, script=SCRIPT)}
<body class="post-template">
<div id="page">
<header id="masthead"><p class="site-title"><a href="/">Left Russia</a></p>
<p class="site-description">News from the left in Russia and the former USSR</p>
{_menu()}</header>
<div id="main"><div id="primary"><div id="content" role="main">
<article id="post-1532" class="post type-post status-publish">
<header class="entry-header"><h1 class="entry-title">{inline_html(title.content)}</h1>
</header>
<div class="entry-content">
{chr(10).join(chunks)}
<p>{TRANSLATED_FROM} <a href="http://left.ru/programma-sdk">Программа СДК</a></p>
<div class="sharedaddy sd-sharing-enabled"><h3 class="sd-title">{SHARE}</h3>
<ul><li><a class="share-twitter" href="#">Twitter</a></li><li><a class="share-facebook" href="#">Facebook</a></li></ul></div>
</div>
<footer class="entry-meta">{POSTED_IN} <a href="#" rel="bookmark">Bookmark the permalink</a>.</footer>
</article>
<div id="comments" class="comments-area">
<h2 class="comments-title">1 Response to {html.escape(title.text)}</h2>
<ol class="commentlist"><li class="comment" id="li-comment-7">
<div class="comment-author vcard"><cite class="fn">PC Panamá</cite> says:</div>
<div class="comment-content"><p>{COMMENT}</p>
<p>El Viernes, 27 de mayo, 2016 9:37:39, Left Russia. escribió:</p>
<p>{COMMENT_QUOTE_CSS} | krasnajasvoboda posted: “We present our readers…”</p></div>
<div class="reply"><a class="comment-reply-link" href="#">Reply</a></div>
</li></ol>
<div id="respond"><h3 id="reply-title">{LEAVE_REPLY}</h3>
<form id="commentform"><p>Fill in your details below or click an icon to log in:</p>
<p>You are commenting using your account. <a href="#">Log Out</a> / Change</p>
<textarea name="comment"></textarea><input type="submit" value="Post Comment"></form></div>
</div>
</div></div>
<div id="secondary" class="widget-area"><aside class="widget"><h3 class="widget-title">Archives</h3>
<ul><li><a href="/2012/08/">August 2012</a></li><li><a href="/2012/07/">July 2012</a></li></ul></aside></div>
</div>
<footer id="colophon"><p>Blog at WordPress.com.</p></footer>
</div>
<script>{SCRIPT}</script>
</body></html>
"""


def spip_page(blocks: list[Block]) -> str:
    """An article as International Viewpoint's SPIP site saves it: breadcrumb, PDF bar, donation."""
    title, byline, body = blocks[0], blocks[1], blocks[2:]
    chunks = blocks_html(body)
    return f"""{_HEAD.format(title=html.escape(title.text), site="International Viewpoint", css=CSS_RULE, script=SCRIPT)}
<body>
<div class="page">
<div class="header">{_menu()}</div>
<div class="ariane"><a href="/">Home</a> &gt; <a href="/spip.php?rubrique1">News from around the world</a> &gt; <strong>{html.escape(title.text)}</strong></div>
<div class="main"><div class="wrapper">
<div class="content hentry" id="content">
<h1 class="entry-title">{inline_html(title.content)}</h1>
<p class="info-publi">{inline_html(byline.content)}</p>
<div class="pdf-bar"><a href="/spip.php?page=article_pdf&amp;id_article=7441">{PDF_BAR}</a>
<a href="/spip.php?page=imprimir_articulo"><img alt="{PRINTABLE}" src="print.png"> Version imprimable</a></div>
<div class="texte entry-content">
{chr(10).join(chunks)}
</div>
<div class="donate"><p>{DONATION}</p></div>
<div class="forum"><h2>Comments</h2><p>{COMMENT}</p></div>
</div>
</div>
<div class="aside"><h2>Archives</h2><ul><li><a href="/spip.php?rubrique12">2022</a></li></ul></div>
</div>
<div class="footer"><p>International Viewpoint · <a href="/spip.php?page=contact">Contact</a></p></div>
</div>
</body></html>
"""


def web_page(name: str) -> str:
    blocks = seed_blocks(name)
    return spip_page(blocks) if name.startswith("statement") else wordpress_page(blocks)


# -- office files --------------------------------------------------------------------------------
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_NS = "http://www.w3.org/XML/1998/namespace"


def _runs(rich: RichText) -> list[tuple[str, bool, bool]]:
    """RichText -> (text, italic, bold) pieces at every span boundary."""
    cuts = sorted({0, len(rich.text), *(x for s in rich.spans for x in (s.start, s.end))})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        kinds = {s.kind for s in rich.spans if s.start <= a and s.end >= b}
        out.append((rich.text[a:b], "em" in kinds, "strong" in kinds))
    return out


def _w_el(xml: str):
    from docx.oxml import parse_xml

    return parse_xml(f'<w:wrap xmlns:w="{W_NS}">{xml}</w:wrap>')[0]


def add_footnote(document, paragraph, text: str) -> None:
    """A real footnote (python-docx has no API for them): the footnotes part and a reference."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    part = document.part
    notes = [r.target_part for r in part.rels.values() if r.reltype == RT.FOOTNOTES]
    if notes:
        fpart = notes[0]
    else:
        blob = (
            f'<w:footnotes xmlns:w="{W_NS}">'
            '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
            '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
            "</w:footnotes>"
        )
        ct = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
        fpart = Part(PackURI("/word/footnotes.xml"), ct, blob.encode(), part.package)
        part.relate_to(fpart, RT.FOOTNOTES)
    existing = fpart.blob.decode().count("<w:footnote ")
    note_id = existing - 1  # ids -1 and 0 are the separators
    note = (
        f'<w:footnote w:id="{note_id}"><w:p><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
        f'<w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> {html.escape(text)}</w:t></w:r></w:p></w:footnote>'
    )
    fpart._blob = fpart.blob.replace(b"</w:footnotes>", note.encode() + b"</w:footnotes>")
    paragraph._p.append(
        _w_el(
            '<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
            f'<w:footnoteReference w:id="{note_id}"/></w:r>'
        )
    )


def write_docx(blocks: list[Block], path: Path) -> Path:
    """A Word file of `blocks` with a header, a footer, a comment, a tracked deletion and a tracked
    insertion (the last word of the first paragraph, to be accepted)."""
    import docx

    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = OFFICE_HEADER
    section.footer.paragraphs[0].text = OFFICE_FOOTER
    first_paragraph = True
    for block in blocks:
        if block.kind == "heading":
            style = f"Heading {block.level}"
        elif block.kind == "list_item":
            base = "List Number" if block.ordered else "List Bullet"
            style = base if block.level == 0 else f"{base} {min(block.level + 1, 3)}"
        elif block.kind == "quote":
            style = "Quote"
        else:
            style = None
        paragraph = document.add_paragraph(style=style)
        pieces = _runs(block.content)
        inserted = ""
        mark = block.kind == "paragraph" and first_paragraph and not block.content.spans
        if mark:
            text, em, strong = pieces[-1]
            head, _, inserted = text.rpartition(" ")
            pieces[-1] = (head + " ", em, strong)
        for text, em, strong in pieces:
            run = paragraph.add_run(text)
            run.italic = em or None
            run.bold = strong or None
        if mark:
            first_paragraph = False
            document.add_comment(paragraph.runs[0], text=OFFICE_COMMENT, author="Editor")
            paragraph._p.append(
                _w_el(
                    '<w:del w:id="901" w:author="Editor" w:date="2026-01-01T00:00:00Z"><w:r>'
                    f'<w:delText xml:space="preserve">{TRACKED_DELETION}</w:delText></w:r></w:del>'
                )
            )
            paragraph._p.append(
                _w_el(
                    '<w:ins w:id="902" w:author="Editor" w:date="2026-01-01T00:00:00Z"><w:r>'
                    f"<w:t>{html.escape(inserted)}</w:t></w:r></w:ins>"
                )
            )
    document.save(str(path))
    return path


def write_odt(blocks: list[Block], path: Path) -> Path:
    """An OpenDocument text of `blocks` (written with odfpy) with a header and footer, an
    annotation, a tracked deletion and a tracked insertion (to be accepted)."""
    from odf import dc, office, style, text
    from odf.opendocument import OpenDocumentText

    doc = OpenDocumentText()
    em = style.Style(name="T_em", family="text")
    em.addElement(style.TextProperties(fontstyle="italic"))
    strong = style.Style(name="T_strong", family="text")
    strong.addElement(style.TextProperties(fontweight="bold"))
    both = style.Style(name="T_both", family="text")
    both.addElement(style.TextProperties(fontstyle="italic", fontweight="bold"))
    for s in (em, strong, both):
        doc.automaticstyles.addElement(s)
    quotations = style.Style(name="Quotations", family="paragraph")
    doc.styles.addElement(quotations)
    bullets = text.ListStyle(name="Bullets")
    numbers = text.ListStyle(name="Numbers")
    for level in range(1, 5):
        bullets.addElement(text.ListLevelStyleBullet(level=level, bulletchar="•"))
        numbers.addElement(text.ListLevelStyleNumber(level=level, numformat="1"))
    doc.styles.addElement(bullets)
    doc.styles.addElement(numbers)
    layout = style.PageLayout(name="PL1")
    doc.automaticstyles.addElement(layout)
    master = style.MasterPage(name="Standard", pagelayoutname=layout)
    header = style.Header()
    header.addElement(text.P(text=OFFICE_HEADER))
    footer = style.Footer()
    footer.addElement(text.P(text=OFFICE_FOOTER))
    master.addElement(header)
    master.addElement(footer)
    doc.masterstyles.addElement(master)

    def region(change_id: str, kind, body: str = ""):
        """A tracked-changes region: who changed what, and (for a deletion) the deleted text."""
        change = kind()
        info = office.ChangeInfo()
        info.addElement(dc.Creator(text="Editor"))
        info.addElement(dc.Date(text="2026-01-01T00:00:00"))
        change.addElement(info)
        if body:
            change.addElement(text.P(text=body))
        el = text.ChangedRegion(id=change_id, qattributes={(XML_NS, "id"): change_id})
        el.addElement(change)
        return el

    changes = text.TrackedChanges()
    changes.addElement(region("ct1", text.Deletion, TRACKED_DELETION))
    changes.addElement(region("ct2", text.Insertion))
    doc.text.addElement(changes)

    def fill(el, rich: RichText, mark_changes: bool = False) -> None:
        pieces = _runs(rich)
        inserted = ""
        if mark_changes:
            t, i, b = pieces[-1]
            head, _, inserted = t.rpartition(" ")
            pieces[-1] = (head + " ", i, b)
        for t, i, b in pieces:
            if i or b:
                el.addElement(text.Span(stylename=both if i and b else em if i else strong, text=t))
            else:
                el.addText(t)
        if mark_changes:
            note = office.Annotation()
            note.addElement(dc.Creator(text="Editor"))
            note.addElement(text.P(text=OFFICE_COMMENT))
            el.addElement(note)
            el.addElement(text.Change(changeid="ct1"))
            el.addElement(text.ChangeStart(changeid="ct2"))
            el.addText(inserted)
            el.addElement(text.ChangeEnd(changeid="ct2"))

    first_paragraph = True
    i = 0
    while i < len(blocks):
        block = blocks[i]
        if block.kind == "list_item":
            top = text.List(stylename=numbers if block.ordered else bullets)
            stack = [top]
            while i < len(blocks) and blocks[i].kind == "list_item":
                item_block = blocks[i]
                while len(stack) - 1 < item_block.level:
                    nested = text.List()
                    holder = text.ListItem()
                    holder.addElement(nested)
                    stack[-1].addElement(holder)
                    stack.append(nested)
                del stack[item_block.level + 1 :]
                item = text.ListItem()
                p = text.P()
                fill(p, item_block.content)
                item.addElement(p)
                stack[-1].addElement(item)
                i += 1
            doc.text.addElement(top)
            continue
        if block.kind == "heading":
            el = text.H(outlinelevel=block.level)
        elif block.kind == "quote":
            el = text.P(stylename=quotations)
        else:
            el = text.P()
        mark = block.kind == "paragraph" and first_paragraph and not block.content.spans
        first_paragraph = first_paragraph and not mark
        fill(el, block.content, mark_changes=mark)
        doc.text.addElement(el)
        i += 1
    doc.save(str(path))
    return path

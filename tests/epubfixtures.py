"""EPUB books made at test time with zipfile: an EPUB 3 collection in Russian and an EPUB 2 book in
English, each with the parts a reader must skip or resolve (navigation, NCX, a cover picture, a
non-linear item, footnotes of each kind), and damaged variants of them. The two books are valid
EPUBs (EPUBCheck finds no error in them: test_add_epub.py)."""

from __future__ import annotations

import posixpath
import struct
import zipfile
import zlib
from pathlib import Path

CONTAINER = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles><rootfile full-path="{opf}" media-type="application/oebps-package+xml"/></rootfiles>
</container>"""

XHTML = """<?xml version="1.0" encoding="UTF-8"?>
<html xmlns="http://www.w3.org/1999/xhtml"{ns}>
<head><title>{title}</title>{link}</head>
<body>{body}</body></html>"""

NCX = """<?xml version="1.0" encoding="UTF-8"?>
<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1">
<head><meta name="dtb:uid" content="{uid}"/></head>
<docTitle><text>{title}</text></docTitle>
<navMap>{points}</navMap>
</ncx>"""


def ncx(uid: str, title: str, points: list[tuple[str, str]]) -> bytes:
    """An NCX (EPUB 2's table of contents) of (label, href) points."""
    return NCX.format(
        uid=uid,
        title=title,
        points="".join(
            f'<navPoint id="p{n}" playOrder="{n}"><navLabel><text>{label}</text></navLabel>'
            f'<content src="{href}"/></navPoint>'
            for n, (label, href) in enumerate(points, 1)
        ),
    ).encode()


def png_1x1() -> bytes:
    """A valid one-pixel PNG: the cover picture."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
        + chunk(b"IEND", b"")
    )  # fmt: skip


EPUB3_OPF = """<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:identifier id="id">urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427</dc:identifier>
    <dc:title>Сборник статей</dc:title>
    <dc:language>ru-RU</dc:language>
    <meta property="dcterms:modified">2026-11-30T00:00:00Z</meta>
  </metadata>
  <manifest>
    <item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
    <item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>
    <item id="cover" href="cover.xhtml" media-type="application/xhtml+xml"/>
    <item id="cover-image" href="images/cover.png" media-type="image/png"/>
    <item id="css" href="style.css" media-type="text/css"/>
    <item id="ch1" href="text/ch1.xhtml" media-type="application/xhtml+xml"/>
    <item id="ch2" href="text/ch%202.xhtml" media-type="application/xhtml+xml"/>
    <item id="notes" href="text/notes.xhtml" media-type="application/xhtml+xml"/>
    <item id="extra" href="text/extra.xhtml" media-type="application/xhtml+xml"/>
  </manifest>
  <spine toc="ncx">
    <itemref idref="cover"/>
    <itemref idref="nav"/>
    <itemref idref="ch1"/>
    <itemref idref="extra" linear="no"/>
    <itemref idref="ch2"/>
    <itemref idref="notes" linear="no"/>
  </spine>
</package>"""

EPUB3_PARTS = {
    "OEBPS/nav.xhtml": (
        "Оглавление",
        '<nav epub:type="toc"><h1>Оглавление</h1><ol><li><a href="text/ch1.xhtml">Первая статья</a>'
        '</li><li><a href="text/ch%202.xhtml">Вторая статья</a></li></ol></nav>',
    ),
    "OEBPS/cover.xhtml": ("Обложка", '<div><img src="images/cover.png" alt="Обложка"/></div>'),
    "OEBPS/text/ch1.xhtml": (
        "Первая статья",
        '<section epub:type="chapter"><h1>Первая статья</h1>'
        '<p><a id="page5"/>Рабочие Казахстана вышли на <em>улицы</em> Жанаозена'
        '<sup><a epub:type="noteref" href="#fn1">1</a></sup> и <strong>потребовали</strong> '
        "снижения цен.</p>"
        '<span epub:type="pagebreak" id="p6" title="6">6</span>'
        '<p>Подробнее на <a href="https://example.org/zhanaozen">сайте</a>'
        ' и в <a href="ch%202.xhtml#start">следующей статье</a>'
        ' (см. <a href="extra.xhtml">вкладку</a>).</p>'
        '<aside epub:type="footnote" id="fn1"><p><sup>1</sup> Город на западе Казахстана.</p></aside>'
        "</section>",
    ),
    "OEBPS/text/extra.xhtml": ("Вкладка", "<p>Вкладка, которую читатель открывает по ссылке.</p>"),
    "OEBPS/text/ch 2.xhtml": (
        "Вторая статья",
        '<h1 id="start">Вторая статья</h1>'
        '<p>Забастовка продолжалась <span class="c5">семь месяцев</span>'
        '<a epub:type="noteref" href="notes.xhtml#en1"'
        ' id="ref1">2</a>.</p><blockquote><p>Мы требуем справедливой оплаты труда.</p></blockquote>',
    ),
    "OEBPS/text/notes.xhtml": (
        "Примечания",
        '<section epub:type="endnotes"><h2>Примечания</h2><ol>'
        '<li id="en1" epub:type="endnote"><p>С мая по декабрь <em>2011</em> года. '
        '<a href="ch%202.xhtml#ref1" role="doc-backlink">↩</a></p></li></ol></section>',
    ),
}

EPUB3_MARKDOWN = """# Первая статья

Рабочие Казахстана вышли на _улицы_ Жанаозена [Город на западе Казахстана.] и **потребовали** снижения цен.

Подробнее на [сайте](https://example.org/zhanaozen) и в следующей статье (см. вкладку).

# Вторая статья

Забастовка продолжалась _семь месяцев_ [С мая по декабрь 2011 года.].

> Мы требуем справедливой оплаты труда.
"""

EPUB2_OPF = """<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="2.0" unique-identifier="BookId">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:opf="http://www.idpf.org/2007/opf">
    <dc:title>Two Speeches</dc:title>
    <dc:language>en</dc:language>
    <dc:identifier id="BookId">urn:isbn:9780000000000</dc:identifier>
  </metadata>
  <manifest>
    <item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>
    <item id="contents" href="contents.html" media-type="application/xhtml+xml"/>
    <item id="s1" href="speech1.html" media-type="application/xhtml+xml"/>
    <item id="s2" href="speech2.html" media-type="application/xhtml+xml"/>
  </manifest>
  <spine toc="ncx">
    <itemref idref="contents"/>
    <itemref idref="s1"/>
    <itemref idref="s2"/>
  </spine>
  <guide><reference type="toc" title="Contents" href="contents.html"/></guide>
</package>"""

EPUB2_PARTS = {
    "OPS/contents.html": (
        "Contents",
        '<h1>Contents</h1><p><a href="speech1.html">First speech</a></p>'
        '<p><a href="speech2.html">Second speech</a></p>',
    ),
    "OPS/speech1.html": (
        "First speech",
        "<h2>First speech</h2>"
        "<p>Comrades, the <i>oil workers</i> of Mangystau have stood firm"
        '<sup class="anote"><a href="#f1" id="f1b">[1]</a></sup> for months.</p>'
        "<p>We send them our greetings.</p>"
        '<hr class="end"/><h4>Notes</h4>'
        '<p class="endnote"><a href="#f1b" id="f1">1.</a> Since May 2011.</p>',
    ),
    "OPS/speech2.html": (
        "Second speech",
        "<h2>Second speech</h2>"
        '<p>The strike was broken by force<a href="#_ftn1" id="_ftnref1">[2]</a>, '
        "but the <b>demands</b> remain.</p>"
        '<div><p><a href="#_ftnref1" id="_ftn1">[2]</a> On 16 December 2011.</p></div>',
    ),
}

EPUB2_MARKDOWN = """## First speech

Comrades, the _oil workers_ of Mangystau have stood firm [Since May 2011.] for months.

We send them our greetings.

## Second speech

The strike was broken by force [On 16 December 2011.], but the **demands** remain.
"""


def write_epub(
    path: Path,
    opf: str,
    parts: dict[str, tuple[str, str]],
    *,
    opf_path: str = "OEBPS/content.opf",
    extra: dict[str, bytes] | None = None,
    skip: tuple[str, ...] = (),
    stylesheet: str = "",
) -> Path:
    """An EPUB with `parts` (member -> title, body) as XHTML, linking `stylesheet` (a member);
    `extra` members as given."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        members: dict[str, bytes] = {
            "META-INF/container.xml": CONTAINER.format(opf=opf_path).encode(),
            opf_path: opf.encode(),
        }
        for member, (title, body) in parts.items():
            ns = ' xmlns:epub="http://www.idpf.org/2007/ops"' if "epub:" in body else ""
            href = posixpath.relpath(stylesheet, posixpath.dirname(member)) if stylesheet else ""
            link = f'<link rel="stylesheet" type="text/css" href="{href}"/>' if href else ""
            members[member] = XHTML.format(ns=ns, title=title, link=link, body=body).encode()
        members.update(extra or {})
        for member, data in members.items():
            if member not in skip:
                z.writestr(member, data)
    return path


def epub3(path: Path, **kw) -> Path:
    # italic by a class of the style sheet, as converters write it
    css = b"p { margin: 0 }\n/* c5 */ .c5 { font-style: italic }\nh1.c5 { font-weight: bold }"
    toc = ncx(
        "urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427",
        "Сборник статей",
        [("Первая статья", "text/ch1.xhtml"), ("Вторая статья", "text/ch%202.xhtml")],
    )
    extra = {"OEBPS/toc.ncx": toc, "OEBPS/style.css": css, "OEBPS/images/cover.png": png_1x1()}
    extra.update(kw.pop("extra", {}))
    return write_epub(path, EPUB3_OPF, EPUB3_PARTS, extra=extra, stylesheet="OEBPS/style.css", **kw)


def epub2(path: Path, **kw) -> Path:
    toc = ncx(
        "urn:isbn:9780000000000",
        "Two Speeches",
        [("First speech", "speech1.html"), ("Second speech", "speech2.html")],
    )
    extra = {"OPS/toc.ncx": toc, **kw.pop("extra", {})}
    return write_epub(path, EPUB2_OPF, EPUB2_PARTS, opf_path="OPS/book.opf", extra=extra, **kw)


# -- broken and locked books ----------------------------------------------------------------------
ENCRYPTION = """<?xml version="1.0" encoding="UTF-8"?>
<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container"
            xmlns:enc="http://www.w3.org/2001/04/xmlenc#">
  <enc:EncryptedData>
    <enc:EncryptionMethod Algorithm="{algorithm}"/>
    <enc:CipherData><enc:CipherReference URI="{uri}"/></enc:CipherData>
  </enc:EncryptedData>
</encryption>"""


def _bomb(path: Path) -> Path:
    epub3(path)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr("OEBPS/images/big.png", bytes(64 << 20))  # 64 MiB of zeros: ~64 KB packed
    return path


def bad_books(folder: Path) -> list[tuple[Path, str]]:
    good = epub3(folder / "good.epub").read_bytes()
    (folder / "truncated.epub").write_bytes(good[: len(good) // 2])
    (folder / "notazip.epub").write_bytes(b"PK\x03\x04 this is not really a zip")
    epub3(folder / "nocontainer.epub", skip=("META-INF/container.xml",))
    epub3(folder / "noopf.epub", skip=("OEBPS/content.opf",))
    epub3(folder / "nochapter.epub", skip=("OEBPS/text/ch 2.xhtml",))
    broken_opf = EPUB3_OPF.replace("</manifest>", "</manifest")
    write_epub(folder / "badopf.epub", broken_opf, EPUB3_PARTS)
    adept = ENCRYPTION.format(algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc", uri="OEBPS/text/ch1.xhtml")  # fmt: skip
    epub3(folder / "drm.epub", extra={"META-INF/encryption.xml": adept.encode()})
    _bomb(folder / "bomb.epub")
    return [
        (folder / "truncated.epub", "not a valid EPUB file"),
        (folder / "notazip.epub", "not a valid EPUB file"),
        (folder / "nocontainer.epub", "not an EPUB book (it has no META-INF/container.xml)"),
        (
            folder / "noopf.epub",
            "META-INF/container.xml: the package document 'OEBPS/content.opf' is not in the book",
        ),
        (
            folder / "nochapter.epub",
            "OEBPS/text/ch 2.xhtml: in the spine but missing from the book",
        ),
        (folder / "badopf.epub", "OEBPS/content.opf:"),
        (
            folder / "drm.epub",
            "the book is DRM-protected (its text is encrypted: OEBPS/text/ch1.xhtml)",
        ),
        (folder / "bomb.epub", "member 'OEBPS/images/big.png' would expand"),
    ]

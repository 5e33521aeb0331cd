"""Inline markup survives translation (issue 12, item 4).

Emphasis and strong of a source segment reach its translations: in the store as XLIFF 2 <pc>
(schema-valid), in machine drafts by tag transfer around a real (tiny) engine, in the seeds (as
many italic spans as their sources), and in the layouts; `check` warns when they differ.
"""

from __future__ import annotations

import re

import pytest
from brochure.core.datamodel import RichText, Span
from brochure.core.project import load_project
from brochure.store.load import load_translations
from brochure.translate.spans import partial_pieces, transfer_spans
from conftest import SEEDS, squash

pytest_plugins = ["conftest_mt"]


def _kinds(rich: RichText | None, kind: str) -> list[str]:
    return [rich.text[s.start : s.end] for s in rich.spans if s.kind == kind] if rich else []


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_the_seed_translations_have_as_many_italic_spans_as_their_sources(lang):
    project = load_project(SEEDS)
    segmented, stores = load_translations(project, [lang], sync=False)
    total = 0
    for document in project.documents:
        store = stores[(document.name, lang)]
        for seg in segmented[document.name].segments:
            for kind in ("em", "strong"):
                source = _kinds(seg.content, kind)
                target = _kinds(store.get(seg.id).target, kind)
                assert len(source) == len(target), (document.name, seg.id, kind, source, target)
                total += len(source)
    assert total >= 4  # the signature, the byline, "Part II will follow", the editor's note


def test_tag_transfer_golden():
    source = RichText(
        "The workers of Kazakhstan demand a real increase.",
        (Span(33, 48, "em"), Span(0, 3, "strong")),
    )
    assert partial_pieces(source) == ["a real increase", "The"]
    pieces = {"a real increase": "реального повышения", "The": "—"}
    draft, lost = transfer_spans(
        source, "Рабочие Казахстана требуют Реального повышения.", pieces.__getitem__
    )
    assert _kinds(draft, "em") == ["Реального повышения"]  # found whatever its case
    assert lost == ["inline markup not carried into the machine draft: strong «The»"]
    whole = RichText("Part II will follow…", (Span(0, 20, "em"),))
    draft, lost = transfer_spans(whole, " Продолжение следует… ", pieces.__getitem__)
    assert _kinds(draft, "em") == ["Продолжение следует…"] and lost == []


def test_machine_drafts_carry_the_source_spans(installed, mini_project, invoke):
    """The tiny en->ru->kk models copy their input but for "workers" -> "жұмысшылар": an emphasised
    "workers" is translated alone and found in the draft; a wholly italic line stays italic."""
    text = mini_project / "text.md"
    body = text.read_text(encoding="utf-8").replace(
        "The workers of Kazakhstan", "The *workers* of Kazakhstan"
    )
    text.write_text(body + "\n*Part II will follow.*\n", encoding="utf-8")
    result = invoke("translate", mini_project, "--lang", "kk")
    assert result.exit_code == 0, result.output
    project = load_project(mini_project)
    segmented, stores = load_translations(project, ["kk"], sync=False)
    store = stores[("text", "kk")]
    targets = {seg.text: store.get(seg.id).target for seg in segmented["text"].segments}
    # the summary counts segments as segments: the emphasised "workers" is a part, said apart
    assert (
        f", {len(targets)} by the engine (and 1 emphasised part(s), for markup) at"
        in (result.output.splitlines()[0])
    )
    workers = next(t for s, t in targets.items() if s.startswith("The workers of"))
    assert _kinds(workers, "em") == ["жұмысшылар"]
    assert _kinds(targets["Part II will follow."], "em") == ["Part II will follow."]
    xlf = (mini_project / "translations" / "text.kk.xlf").read_text(encoding="utf-8")
    assert re.search(r'<target>The <pc id="1" type="fmt" subType="xlf:i">жұмысшылар</pc>', xlf)
    from test_schemas import xliff2

    xliff2(mini_project / "translations" / "text.kk.xlf")  # schema-valid
    # a person removes the emphasis: check warns, naming what differs
    body = xlf.replace('<pc id="1" type="fmt" subType="xlf:i">жұмысшылар</pc>', "жұмысшылар")
    (mini_project / "translations" / "text.kk.xlf").write_text(body, encoding="utf-8")
    result = invoke("check", mini_project, "--lang", "kk")
    assert "inline markup differs: the source has 1 emphasis, the translation none" in result.output


def test_layouts_render_the_target_spans(tmp_path, invoke):
    """The seed byline is italic in the Russian column of the PDF's HTML and in the DOCX."""
    import docx
    from brochure.editions.assemble import make_edition
    from brochure.layout.html import render_html

    project = load_project(SEEDS)
    segmented, stores = load_translations(project, ["en", "ru"], sync=False)
    edition = make_edition(project, project.edition("en-ru"), segmented, stores, False, [])
    html, _ = render_html(edition)
    assert re.search(r"<em>\s*Пятница, 7 января 2022", html), "the Russian byline in italics"
    from brochure.layout import render

    out = render(edition, "docx", tmp_path / "e.docx")
    italic = [
        run.text.replace("\xa0", " ")
        for table in docx.Document(str(out)).tables
        for row in table.rows
        for cell in row.cells
        for paragraph in cell.paragraphs
        for run in paragraph.runs
        if run.italic
    ]
    assert any(t.startswith("Пятница, 7 января 2022") for t in italic), italic


# -- links ---------------------------------------------------------------------------------------
LINK = "https://example.org/uprising?a=1&b=2"
UPRISING = "sb8ecbf7db85d"  # In Kazakhstan, there is now a real popular uprising.
STATEMENT = "statement-2022-01-07"


@pytest.fixture
def linked_project(seed_project):
    """The seed project whose statement links "real popular uprising" to a web page (the
    segment's text, so its id and its approved translations, stay as they were)."""
    path = seed_project / f"{STATEMENT}.md"
    text = path.read_text(encoding="utf-8")
    old = "there is now a real popular uprising"
    assert old in text
    path.write_text(text.replace(old, f"there is now a [real popular uprising]({LINK})", 1),
                    encoding="utf-8")  # fmt: skip
    return seed_project


def _store(project_dir, lang="ru", sync=True):
    project = load_project(project_dir)
    segmented, stores = load_translations(project, [lang], sync=sync)
    return stores[(STATEMENT, lang)]


def _links(rich: RichText | None) -> list[tuple[str, str]]:
    return [(rich.text[s.start : s.end], s.target) for s in rich.spans if s.kind == "link"]


def test_a_link_is_a_pc_with_its_target_in_original_data(linked_project):
    """The store: <pc type="link"> with dataRefStart/dataRefEnd pointing at the native codes in
    <originalData>; schema-valid; a target's link read back with its URL."""
    from test_schemas import xliff2

    store = _store(linked_project)
    assert _links(store.get(UPRISING).source) == [("real popular uprising", LINK)]
    store.set_target(UPRISING, RichText("В Казахстане сейчас идёт настоящее народное восстание.",
                                        (Span(35, 53, "link", LINK),)), "translated")  # fmt: skip
    store.save()
    xlf = store.path.read_text(encoding="utf-8")
    assert (
        '<data id="link1">&lt;a href="https://example.org/uprising?a=1&amp;amp;b=2"&gt;</data>'
        '<data id="link-end">&lt;/a&gt;</data></originalData>'
    ) in xlf
    assert (
        '<source>In Kazakhstan, there is now a <pc id="1" type="link" dataRefStart="link1" '
        'dataRefEnd="link-end">real popular uprising</pc>.</source>'
    ) in xlf
    xliff2(store.path)
    assert _links(_store(linked_project, sync=False).get(UPRISING).target) == [
        ("народное восстание", LINK)
    ]
    # the link taken out of the target again: its codes stay while the source uses them
    store.set_target(UPRISING, RichText("Восстание."), "translated")
    store.save()
    assert xlf.count("<data ") == store.path.read_text(encoding="utf-8").count("<data ") == 2
    xliff2(store.path)


def test_xliff_12_round_trip_through_translate_toolkit_keeps_the_link(
    linked_project, invoke, tmp_path
):
    """Export for a CAT tool (the link a <bpt>/<ept> tag pair holding `<a href>`), a translator
    places the pair in translate-toolkit, the import brings the link back; check warned before."""
    xliff = pytest.importorskip("translate.storage.xliff")
    from test_schemas import xliff12
    from translate.storage.placeables import StringElem

    before = invoke("check", linked_project, "--lang", "ru")
    assert (f"inline markup differs: the source has 1 link to {LINK}, the translation none"
            in before.output)  # fmt: skip
    result = invoke("xliff", "export", linked_project, "--lang", "ru", "-o", tmp_path / "x")
    assert result.exit_code == 0, result.output
    path = tmp_path / "x" / f"{STATEMENT}.en-ru.xlf"
    xliff12(path)
    store = xliff.xlifffile.parsefile(str(path))
    unit = next(u for u in store.units if u.getid().endswith(UPRISING))
    assert unit.source == (
        'In Kazakhstan, there is now a <a href="https://example.org/uprising?a=1&amp;b=2">'
        "real popular uprising</a>."
    )
    start, end = [e for e in unit.rich_source[0].sub if type(e).__name__ != "StringElem"]
    unit.rich_target = [StringElem(["В Казахстане сейчас происходит настоящее ", start,
                                    "народное восстание", end, "."])]  # fmt: skip
    path.write_bytes(bytes(store))
    xliff12(path)
    result = invoke("xliff", "import", path, linked_project)
    assert result.exit_code == 0, result.output
    target = _store(linked_project, sync=False).get(UPRISING).target
    assert _links(target) == [("народное восстание", LINK)]
    after = invoke("check", linked_project, "--lang", "ru")
    assert "inline markup differs" not in after.output


def test_xliff_21_keeps_the_link_and_refuses_a_javascript_one(linked_project, invoke, tmp_path):
    from test_schemas import xliff2

    result = invoke("xliff", "export", linked_project, "--lang", "ru", "-o", tmp_path / "x",
                    "--version", "2.1")  # fmt: skip
    assert result.exit_code == 0, result.output
    path = tmp_path / "x" / f"{STATEMENT}.en-ru.xlf"
    xliff2(path)
    text = path.read_text(encoding="utf-8")
    old = "<target>В Казахстане сейчас происходит настоящее народное восстание.</target>"
    pc = '<pc id="1" type="link" dataRefStart="link1" dataRefEnd="link-end">'
    assert old in text and pc in text
    text = text.replace(old, f"<target>В Казахстане {pc}сейчас</pc> происходит настоящее "
                             "народное восстание.</target>")  # fmt: skip
    path.write_text(text, encoding="utf-8")
    assert invoke("xliff", "import", path, linked_project).exit_code == 0
    target = _store(linked_project, sync=False).get(UPRISING).target
    assert _links(target) == [("сейчас", LINK)]
    # a file that makes the link a script: its text stays, without the link, and a warning
    path.write_text(text.replace(LINK.replace("&", "&amp;amp;"), "javascript:alert(1)")
                    .replace("сейчас</pc>", "теперь</pc>"), encoding="utf-8")  # fmt: skip
    result = invoke("xliff", "import", path, linked_project)
    assert result.exit_code == 0, result.output
    assert ("a link to 'javascript:alert(1)' is kept as text: only http(s) and mailto links are "
            "kept") in result.stderr  # fmt: skip
    target = _store(linked_project, sync=False).get(UPRISING).target
    assert target.text.startswith("В Казахстане теперь") and _links(target) == []


MARKDOWN_URL = "https://example.org/markdown?lang=ru&v=2"


def test_a_link_is_live_in_the_screen_pdf_text_in_the_print_pdf_and_a_hyperlink_in_the_docx(
    tmp_path, invoke
):
    """Source and translation link their words: the screen PDF has a URI annotation over each,
    the print PDF none (its words stay), the DOCX a w:hyperlink with an external relationship."""
    pikepdf = pytest.importorskip("pikepdf")
    import docx

    folder = tmp_path / "p"
    assert invoke("init", folder).exit_code == 0
    text = (folder / "text.md").read_text(encoding="utf-8")
    old = "Write the source text in Markdown:"
    assert old in text
    (folder / "text.md").write_text(
        text.replace(old, f"Write the source text [in Markdown]({MARKDOWN_URL}):"), encoding="utf-8"
    )
    project = load_project(folder)
    segmented, stores = load_translations(project, ["ru"])
    store = stores[("text", "ru")]
    seg = next(s for s in segmented["text"].segments if s.text.startswith("Write"))
    assert _links(seg.content) == [("in Markdown", MARKDOWN_URL)]
    ru = "Исходный текст пишется в Markdown: заголовки, абзацы, списки и цитаты."
    assert store.get(seg.id).target.text == ru
    start = ru.index("в Markdown")
    store.set_target(seg.id, RichText(ru, (Span(start, start + 10, "link", MARKDOWN_URL),)),
                     "final", meta={"origin": "human"})  # fmt: skip
    store.save()
    result = invoke("build", folder)
    assert result.exit_code == 0, result.output

    def uris(path):
        with pikepdf.open(path) as pdf:
            return [
                str(a.A.URI)
                for page in pdf.pages
                for a in page.obj.get("/Annots", [])
                if a.get("/Subtype") == "/Link" and "/A" in a and a.A.get("/S") == "/URI"
            ]

    screen = uris(folder / "build" / "p.en-ru.pdf")
    assert screen and set(screen) == {MARKDOWN_URL}
    assert len(screen) >= 2  # the English words and the Russian ones
    assert uris(folder / "build" / "p.en-ru.print.pdf") == []
    import pypdf

    printed = pypdf.PdfReader(folder / "build" / "p.en-ru.print.pdf").pages
    assert "вMarkdown" in squash("".join(page.extract_text() for page in printed))

    document = docx.Document(str(folder / "build" / "p.en-ru.docx"))
    paragraphs = [p for t in document.tables for r in t.rows for c in r.cells for p in c.paragraphs]
    links = [(h.text.replace("\xa0", " "), h.address) for p in paragraphs for h in p.hyperlinks]
    assert ("in Markdown", MARKDOWN_URL) in links and ("в Markdown", MARKDOWN_URL) in links
    rels = [r for r in document.part.rels.values() if r.reltype.endswith("/hyperlink")]
    assert [(r.is_external, r.target_ref) for r in rels] == [(True, MARKDOWN_URL)]
    from test_schemas import docx as valid_docx
    from test_schemas import pdf_syntax

    valid_docx(folder / "build" / "p.en-ru.docx")  # w:hyperlink where ECMA-376 allows it
    pdf_syntax(folder / "build" / "p.en-ru.pdf")  # and the link annotations


def test_tmx_export_carries_links_and_emphasis_as_paired_codes(linked_project, invoke, tmp_path):
    """`memory export`: a CAT tool's memory gets the markup as TMX <bpt>/<ept> holding the native
    code (`<a href>`, `<i>`); DTD-valid; translate-toolkit reads it; our memory matches plain text."""
    from test_schemas import assert_valid, dtd

    store = _store(linked_project)
    ru = "В Казахстане сейчас происходит настоящее народное восстание."
    at = ru.index("народное восстание")
    store.set_target(UPRISING, RichText(ru, (Span(13, 19, "em"), Span(at, at + 18, "link", LINK))),
                     "final", meta={"origin": "human"})  # fmt: skip
    store.save()
    out = tmp_path / "all.tmx"
    result = invoke("memory", "export", "-o", out, linked_project)
    assert result.exit_code == 0, result.output
    assert_valid(dtd("tmx-1.4b/tmx14.dtd"), out)
    tmx = out.read_text(encoding="utf-8")
    assert (
        '<seg>In Kazakhstan, there is now a <bpt i="1" type="link">&lt;a '
        'href="https://example.org/uprising?a=1&amp;amp;b=2"&gt;</bpt>real popular uprising'
        '<ept i="1">&lt;/a&gt;</ept>.</seg>'
    ) in tmx
    assert (
        '<seg>В Казахстане <bpt i="1" type="italic">&lt;i&gt;</bpt>сейчас<ept i="1">&lt;/i&gt;'
        '</ept> происходит настоящее <bpt i="2" type="link">'
    ) in tmx
    # a <seg> that starts with a code (the seeds' italic editor's note) gets no indentation
    assert '<seg><bpt i="1" type="italic">&lt;i&gt;</bpt>[Ed.: The preface below' in tmx
    assert not re.search(r"<seg>\s|\s</seg>", tmx)
    tmx_tt = pytest.importorskip("translate.storage.tmx")
    units = tmx_tt.tmxfile.parsefile(str(out)).units
    assert any(u.source.startswith("In Kazakhstan, there is now a") for u in units)
    # brought back as a memory file, the texts are plain (matching ignores markup)
    result = invoke("memory", "import", out, linked_project)
    assert result.exit_code == 0, result.output
    result = invoke("memory", "search", "In Kazakhstan, there is now a real popular uprising.",
                    linked_project, "--lang", "ru")  # fmt: skip
    assert ru in result.output and "&lt;" not in result.output and "<a" not in result.output


def test_check_names_a_link_that_points_elsewhere_or_is_missing():
    from brochure.check.qa import span_difference

    source = RichText("Read the appeal.", (Span(9, 15, "link", "https://example.org/a"),))
    same = RichText("Читайте обращение.", (Span(8, 17, "link", "https://example.org/a"),))
    other = RichText("Читайте обращение.", (Span(8, 17, "link", "https://example.org/b"),))
    assert span_difference(source, same) == ""
    assert span_difference(source, other) == (
        "inline markup differs: the source has 1 link to https://example.org/a, "
        "the translation 1 link to https://example.org/b"
    )
    assert span_difference(source, RichText("Читайте обращение.")) == (
        "inline markup differs: the source has 1 link to https://example.org/a, the translation none"
    )

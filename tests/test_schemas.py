"""Every file the tool writes in a standard format validates against that standard's own schema.

The schemas are the official files, copied under tests/schemas/ (see its README for sources and
licences): XLIFF 2.0/2.1 core with the Metadata module, XLIFF 1.2 transitional, TMX 1.4b DTD, the
TBX v2 core structure DTD and the ECMA-376 (ISO/IEC 29500) transitional schemas of a DOCX's parts.
lxml validates offline (the schemas are loaded from local files). A PDF is checked by qpdf's own
checker (`qpdf --check`, through pikepdf's `check_pdf_syntax`): the file's syntax, cross-reference
table, object streams, page tree and every content stream parse. (EPUBs: EPUBCheck, in
test_epub.py.)
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from brochure.core.project import load_project
from conftest import write_project
from lxml import etree
from miniproject import MINI_TEXT, MINI_TOML, PEER_TMX

pytest_plugins = ["conftest_mt"]

SCHEMAS = Path(__file__).resolve().parent / "schemas"
TEXT, TOML, TMX = MINI_TEXT, MINI_TOML, PEER_TMX


@cache
def xsd(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / name)))


@cache
def dtd(name: str) -> etree.DTD:
    return etree.DTD(str(SCHEMAS / name))


def assert_valid(validator, path: Path) -> None:
    doc = etree.parse(str(path))
    ok = validator.validate(doc)
    errors = "\n".join(str(e) for e in validator.error_log)
    assert ok, f"{path} is not valid:\n{errors}"


MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _as_plain_consumer(root: etree._Element) -> list[str]:
    """Markup compatibility (ISO/IEC 29500-3) as a consumer that understands no extension would
    apply it, in place: an mc:AlternateContent replaced by its mc:Fallback, the elements and
    attributes of namespaces declared mc:Ignorable dropped. Returns the problems it meets (an
    extension named in mc:MustUnderstand, which such a consumer must refuse)."""
    problems = [f"mc:MustUnderstand {el.get(f'{{{MC}}}MustUnderstand')!r}"
                for el in root.iter() if el.get(f"{{{MC}}}MustUnderstand")]  # fmt: skip
    ignorable = {
        el.nsmap.get(prefix)
        for el in root.iter()
        for prefix in (el.get(f"{{{MC}}}Ignorable") or "").split()
    }
    for alternate in list(root.iter(f"{{{MC}}}AlternateContent")):
        parent, fallback = alternate.getparent(), alternate.find(f"{{{MC}}}Fallback")
        at = parent.index(alternate)
        parent.remove(alternate)
        for k, child in enumerate(fallback if fallback is not None else []):
            parent.insert(at + k, child)
    for el in list(root.iter()):
        if not isinstance(el.tag, str):
            continue
        if etree.QName(el).namespace in ignorable and el.getparent() is not None:
            el.getparent().remove(el)
            continue
        for name in list(el.attrib):
            if etree.QName(name).namespace in ignorable | {MC}:
                del el.attrib[name]
    return problems


def ooxml_errors(part: bytes) -> list[str]:
    """What ECMA-376 transitional finds wrong in one XML part of an Office Open XML package."""
    root = etree.fromstring(part)
    problems = _as_plain_consumer(root)
    schema = xsd("ooxml/brochure-docx.xsd")
    if not schema.validate(etree.ElementTree(root)):
        problems += [f"line {e.line}: {e.message}" for e in schema.error_log]
    return problems


def docx(path: Path) -> None:
    """Every XML part of the DOCX at `path` valid against its ECMA-376 schema (the core
    properties, docProps/core.xml, against ECMA-376 Part 2's with the Dublin Core schemas)."""
    import zipfile

    with zipfile.ZipFile(path) as package:
        names = [n for n in package.namelist() if n.endswith((".xml", ".rels"))]
        errors = {name: ooxml_errors(package.read(name)) for name in names}
    assert {"word/document.xml", "[Content_Types].xml", "docProps/core.xml"} <= set(errors)
    bad = "\n".join(f"{name}: {e}" for name, found in errors.items() for e in found[:5])
    assert not bad, f"{path} is not valid OOXML:\n{bad}"


def pdf_syntax(path: Path) -> None:
    """qpdf's check of the PDF at `path` finds nothing (errors or warnings)."""
    import pikepdf

    with pikepdf.open(path) as pdf:
        problems = pdf.check_pdf_syntax()
    assert not problems, f"{path}: qpdf --check says:\n" + "\n".join(problems[:10])


def xliff2(path: Path) -> None:
    assert_valid(xsd("xliff-2/brochure-xliff-2.xsd"), path)


def xliff12(path: Path) -> None:
    assert_valid(xsd("xliff-1.2/brochure-xliff-1.2.xsd"), path)


def test_the_validators_reject_what_the_standards_forbid(tmp_path):
    """The schemas are strict where it matters here (a check that cannot fail proves nothing)."""
    bad = tmp_path / "bad.xlf"
    bad.write_text(
        '<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" '
        'xmlns:mda="urn:oasis:names:tc:xliff:metadata:2.0" version="2.0" srcLang="en">'
        '<file id="f"><unit id="u"><notes><note>n</note></notes>'
        '<mda:metadata><mda:metaGroup><mda:meta type="a">b</mda:meta></mda:metaGroup></mda:metadata>'
        "<segment><source>a</source></segment></unit></file></xliff>",
        encoding="utf-8",
    )
    with pytest.raises(AssertionError, match="metadata': This element is not expected"):
        xliff2(bad)
    tmx = tmp_path / "bad.tmx"
    tmx.write_text('<tmx version="1.4"><header/><body/></tmx>', encoding="utf-8")
    with pytest.raises(AssertionError, match="creationtool"):
        assert_valid(dtd("tmx-1.4b/tmx14.dtd"), tmx)
    tbx = tmp_path / "bad.tbx"
    tbx.write_text(
        '<martif type="TBX"><text><body><termEntry id="1a"><langSet><tig><term>x</term></tig>'
        "</langSet></termEntry></body></text></martif>",
        encoding="utf-8",
    )
    with pytest.raises(AssertionError):
        assert_valid(dtd("tbx-2/TBXcoreStructV02.dtd"), tbx)
    # WordprocessingML: a paragraph's properties after its run, a zoom without its percentage;
    # an ignorable extension (w14) is left out first, as a consumer that does not know it would
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    ext = f'xmlns:mc="{MC}" xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml"'
    body = '<w:body><w:p w14:paraId="1A2B3C4D">{}</w:p></w:body>'
    good = body.format("<w:pPr/><w:r><w:t>x</w:t></w:r>")
    assert (
        ooxml_errors(f'<w:document {w} {ext} mc:Ignorable="w14">{good}</w:document>'.encode()) == []
    )
    late = body.format("<w:r><w:t>x</w:t></w:r><w:pPr/>")
    assert (
        "pPr': This element is not expected"
        in ooxml_errors(f'<w:document {w} {ext} mc:Ignorable="w14">{late}</w:document>'.encode())[0]
    )
    assert "paraId" in ooxml_errors(f"<w:document {w} {ext}>{good}</w:document>".encode())[0]
    zoom = f'<w:settings {w}><w:zoom w:val="bestFit"/></w:settings>'.encode()
    assert "percent' is required" in ooxml_errors(zoom)[0]
    # core properties (OPC, with the Dublin Core schemas): a date that is not W3CDTF, a title
    # given twice, an element the part does not have
    cp = (
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
    )
    created = '<dcterms:created xsi:type="dcterms:W3CDTF">{}</dcterms:created>'
    core = "<cp:coreProperties {}><dc:title>t</dc:title>{}</cp:coreProperties>"
    assert ooxml_errors(core.format(cp, created.format("2026-12-01T02:00:00Z")).encode()) == []
    assert (
        "not a valid value"
        in ooxml_errors(core.format(cp, created.format("1 December 2026")).encode())[0]
    )
    twice = core.format(cp, "<dc:title>u</dc:title>").encode()
    assert "title': This element is not expected" in ooxml_errors(twice)[0]
    author = core.format(cp, "<cp:author>a</cp:author>").encode()
    assert "author': This element is not expected" in ooxml_errors(author)[0]
    # a PDF whose cross-reference table points nowhere
    pdf = tmp_path / "bad.pdf"
    import pikepdf

    pikepdf.new().save(pdf)
    pdf.write_bytes(
        re.sub(rb"\n0000000\d\d\d 00000 n", b"\n0000000999 00000 n", pdf.read_bytes(), count=1)
    )
    with pytest.raises(AssertionError, match="qpdf --check"):
        pdf_syntax(pdf)


@pytest.mark.parametrize("name", ["en-ru", "kk-ru", "en-kk", "en-ru-kk", "en-ru-interleaved"])
def test_the_seed_docx_editions_are_valid_ooxml(name, tmp_path):
    """Every seed edition's DOCX, each of its XML parts against ECMA-376 (transitional)."""
    from brochure.editions.assemble import make_edition
    from brochure.layout import render
    from brochure.store.load import load_translations
    from conftest import SEEDS

    seeds = load_project(SEEDS)
    spec = seeds.edition(name)
    segmented, stores = load_translations(seeds, list(spec.languages), sync=False)
    edition = make_edition(seeds, spec, segmented, stores, False, [])
    docx(render(edition, "docx", tmp_path / f"{name}.docx"))


@pytest.fixture
def project(tmp_path, installed):
    """A project whose kk translations come from the memory (exact, fuzzy) and tiny MT models."""
    root = write_project(tmp_path / "mini", TOML, {"text.md": TEXT, "memory/peer.tmx": TMX})
    return root


def test_translations_store_stays_valid_with_notes_and_metadata(invoke, project, tmp_path):
    """A fuzzy memory match writes a note and metadata into the same unit: <mda:metadata> must
    come before <notes> (XLIFF 2's order), and stay there when a CAT tool brings notes back."""
    result = invoke("translate", project, "--lang", "kk")
    assert result.exit_code == 0, result.output
    store = project / "translations" / "text.kk.xlf"
    text = store.read_text(encoding="utf-8")
    assert "memory match" in text and 'type="origin">mt<' in text  # a note, MT metadata
    xliff2(store)

    out = tmp_path / "x"
    assert invoke("xliff", "export", project, "--lang", "kk", "-o", out).exit_code == 0
    exported = out / "text.en-kk.xlf"
    xliff12(exported)
    data = exported.read_text(encoding="utf-8")
    data = data.replace("</trans-unit>", '<note from="reviewer">Checked.</note></trans-unit>', 1)
    exported.write_text(data, encoding="utf-8")
    result = invoke("xliff", "import", exported, project)
    assert result.exit_code == 0, result.output
    assert "1 note(s) added" in result.output
    xliff2(store)


def test_xliff_exports_validate_and_mark_drafts(invoke, project, tmp_path):
    assert invoke("translate", project, "--lang", "kk").exit_code == 0
    for version, check in (("1.2", xliff12), ("2.1", xliff2)):
        out = tmp_path / version
        result = invoke("xliff", "export", project, "--version", version, "-o", out)
        assert result.exit_code == 0, result.output
        for path in sorted(out.glob("*.xlf")):
            check(path)
    text = (tmp_path / "2.1" / "text.en-kk.xlf").read_text(encoding="utf-8")
    # XLIFF 2.1 marks machine and fuzzy-memory drafts (subState), as 1.2 does with state-qualifier
    assert 'subState="brochure:mt-suggestion"' in text
    assert 'subState="brochure:fuzzy-match"' in text


def test_tmx_export_validates(invoke, seed_project, tmp_path):
    out = tmp_path / "all.tmx"
    result = invoke("memory", "export", "-o", out, seed_project)
    assert result.exit_code == 0, result.output
    assert_valid(dtd("tmx-1.4b/tmx14.dtd"), out)


def test_memory_import_writes_valid_tmx(invoke, seed_project, tmp_path):
    peer = tmp_path / "peer.tmx"
    peer.write_text(TMX.replace('xml:lang="kk"', 'xml:lang="kk-KZ"'), encoding="utf-8")
    result = invoke("memory", "import", peer, seed_project)
    assert result.exit_code == 0, result.output
    assert_valid(dtd("tmx-1.4b/tmx14.dtd"), seed_project / "memory" / "peer.tmx")


def test_tbx_export_validates_with_awkward_ids_and_notes(invoke, tmp_path):
    """Concept ids that are not XML names (a leading digit) and per-term notes still give a valid file."""
    root = write_project(
        tmp_path / "p",
        'title = "T"\nsource_language = "en"\ntarget_languages = ["ru", "kk"]\ndocuments = ["a.md"]\n',
        {
            "a.md": "# A\n",
            "glossary/terms.tsv": "id\ten\tru\tkk\tru_admitted\tnote\n"
            "1917-revolution\tOctober Revolution\tОктябрьская революция\tҚазан төңкерісі\t"
            "Октябрь\tnot the February one\n",
        },
    )
    out = tmp_path / "all.tbx"
    result = invoke("glossary", "export", "--format", "tbx", "-o", out, root)
    assert result.exit_code == 0, result.output
    assert_valid(dtd("tbx-2/TBXcoreStructV02.dtd"), out)


def test_stores_written_by_init_and_align_and_the_seeds_validate(invoke, tmp_path):
    from conftest import SEEDS

    for path in sorted((SEEDS / "translations").glob("*.xlf")):
        xliff2(path)
    started = tmp_path / "started"
    assert invoke("init", started).exit_code == 0
    stores = sorted((started / "translations").glob("*.xlf"))
    assert stores
    for path in stores:
        xliff2(path)
    root = write_project(
        tmp_path / "aligned",
        'title = "T"\nsource_language = "en"\ntarget_languages = ["ru"]\ndocuments = ["a.md"]\n',
        {"a.md": "# The strike\n\nThe strike began on 3 January. It spread to 12 cities.\n"},
    )
    translation = tmp_path / "a.ru.md"
    translation.write_text(
        "# Забастовка\n\nЗабастовка началась 3 января и охватила 12 городов.\n", encoding="utf-8"
    )
    result = invoke("align", root / "a.md", translation, "--lang", "ru", root)
    assert result.exit_code == 0, result.output
    xliff2(root / "translations" / "a.ru.xlf")


def test_a_store_written_out_of_order_is_repaired_when_saved(invoke, seed_project, tmp_path):
    """Files an older version (or a script) wrote with <notes> before <mda:metadata> come back
    in schema order the next time the tool saves them."""
    from lxml import etree

    store = seed_project / "translations" / "statement-2022-01-07.ru.xlf"
    tree = etree.parse(str(store))
    ns = {
        "x": "urn:oasis:names:tc:xliff:document:2.0",
        "m": "urn:oasis:names:tc:xliff:metadata:2.0",
    }
    moved = 0
    for unit in tree.iterfind(".//x:unit", ns):
        md = unit.find("m:metadata", ns)
        if md is not None and unit.find("x:notes", ns) is None and moved < 3:
            notes = etree.SubElement(unit, "{urn:oasis:names:tc:xliff:document:2.0}notes")
            etree.SubElement(notes, "{urn:oasis:names:tc:xliff:document:2.0}note").text = "old"
            unit.remove(notes)
            unit.insert(0, notes)  # before the metadata: what older versions wrote
            moved += 1
    tree.write(str(store), xml_declaration=True, encoding="UTF-8")
    with pytest.raises(AssertionError):
        xliff2(store)
    out = tmp_path / "x"
    assert invoke("xliff", "export", seed_project, "--lang", "ru", "-o", out).exit_code == 0
    exported = out / "statement-2022-01-07.en-ru.xlf"
    text = exported.read_text(encoding="utf-8")
    exported.write_text(
        text.replace("</trans-unit>", '<note from="reviewer">Checked.</note></trans-unit>', 1),
        encoding="utf-8",
    )
    assert invoke("xliff", "import", exported, seed_project).exit_code == 0
    xliff2(store)

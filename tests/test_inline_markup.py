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
from conftest import SEEDS

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

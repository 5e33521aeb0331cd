"""The XLIFF 2 store: units by segment id, states, notes kept, stale units kept aside."""

from pathlib import Path

import pytest
from brochure.core.datamodel import Block, Document, RichText
from brochure.core.errors import TranslationStoreError
from brochure.segmentation.rules import segment_document
from brochure.sources.text import parse_inline
from brochure.store.xliff import TranslationFile, read_rich
from lxml import etree

XLF = "urn:oasis:names:tc:xliff:document:2.0"


def segments(*paragraphs):
    blocks = tuple(
        Block("paragraph", parse_inline(p), line=i + 1) for i, p in enumerate(paragraphs)
    )
    return segment_document(Document(path=None, lang="en", blocks=blocks)).segments  # type: ignore[arg-type]


def open_store(path: Path) -> TranslationFile:
    return TranslationFile.open(path, "en", "ru", "doc", "doc.md")


def test_new_file_has_a_unit_per_segment(tmp_path):
    path = tmp_path / "doc.ru.xlf"
    store = open_store(path)
    segs = segments("The strike began. It spread.", "Workers *won*.")
    store.sync(segs)
    store.set_target(
        segs[0].id, RichText("Забастовка началась."), "final", meta={"origin": "human"}
    )
    assert store.save()
    reopened = open_store(path)
    assert reopened.ids() == [s.id for s in segs]
    unit = reopened.get(segs[0].id)
    assert (unit.state, unit.target.text, unit.meta) == (
        "final",
        "Забастовка началась.",
        {"origin": "human"},
    )
    assert reopened.get(segs[1].id).target is None and reopened.get(segs[1].id).state == "initial"
    emphasised = reopened.get(segs[2].id).source
    assert emphasised.text == "Workers won." and emphasised.spans[0].kind == "em"
    root = etree.parse(str(path)).getroot()
    assert (
        root.get("version") == "2.0" and root.get("srcLang") == "en" and root.get("trgLang") == "ru"
    )
    assert not open_store(path).save(), "nothing changed, nothing written"


def test_rewrite_keeps_notes_and_foreign_content(tmp_path):
    path = tmp_path / "doc.ru.xlf"
    segs = segments("The strike began. It spread.")
    store = open_store(path)
    store.sync(segs)
    store.save()
    # a translator (or CAT tool) adds a note, a custom attribute and a unit of its own
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        f'<unit id="{segs[0].id}">',
        f'<unit id="{segs[0].id}" xmlns:x="urn:example" x:checked="yes">\n    <notes><note category="translator">Check the date.</note></notes>',
    )
    text = text.replace(
        "</file>", '<unit id="custom-1"><segment><source>Extra</source></segment></unit>\n</file>'
    )
    path.write_text(text, encoding="utf-8")
    store = open_store(path)
    store.sync(segs)
    store.set_target(
        segs[0].id,
        RichText("Забастовка началась."),
        "translated",
        meta={"origin": "mt"},
        note="draft",
    )
    store.save()
    out = path.read_text(encoding="utf-8")
    assert 'x:checked="yes"' in out
    assert '<note category="translator">Check the date.</note>' in out
    assert '<unit id="custom-1">' in out
    unit = open_store(path).get(segs[0].id)
    assert [n.text for n in unit.notes] == ["Check the date.", "draft"]


def test_changed_source_keeps_the_old_unit_aside(tmp_path):
    path = tmp_path / "doc.ru.xlf"
    old = segments("The strike began. It spread.")
    store = open_store(path)
    store.sync(old)
    store.set_target(old[0].id, RichText("Забастовка началась."), "final")
    store.set_target(old[1].id, RichText("Она распространилась."), "final")
    store.save()
    new = segments("The general strike began. It spread.")
    store = open_store(path)
    store.sync(new)
    store.save()
    store = open_store(path)
    active = [u.id for u in store.units()]
    assert active == [s.id for s in new]
    stale = [u for u in store.units(include_stale=True) if u.stale]
    assert [(u.id, u.target.text) for u in stale] == [(old[0].id, "Забастовка началась.")]
    assert store.get(old[1].id).target.text == "Она распространилась.", (
        "the unchanged sentence keeps its translation"
    )
    # the old text comes back: its unit (and translation) comes back too
    store.sync(old)
    assert (
        store.get(old[0].id).stale is False
        and store.get(old[0].id).target.text == "Забастовка началась."
    )


def test_inline_codes_round_trip(tmp_path):
    el = etree.fromstring(
        f'<target xmlns="{XLF}">A <pc id="1" subType="xlf:b">bold <pc id="2" subType="xlf:i">and</pc></pc> end</target>'
    )
    rich = read_rich(el)
    assert rich.text == "A bold and end"
    assert [(rich.text[s.start : s.end], s.kind) for s in rich.spans] == [
        ("bold and", "strong"),
        ("and", "em"),
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (f'<xliff xmlns="{XLF}" version="2.0" srcLang="en" trgLang="ru"><file id="f">\n<unit id="a">',
         r"doc\.ru\.xlf:2: malformed XLIFF"),
        (f'<xliff xmlns="{XLF}" version="2.0" srcLang="en" trgLang="ru"><file id="f">\n<unit><segment><source>x</source></segment></unit></file></xliff>',
         r"doc\.ru\.xlf:2: <unit> without id"),
        (f'<xliff xmlns="{XLF}" version="2.0" srcLang="en" trgLang="ru"><file id="f">\n<unit id="a"><segment state="done"><source>x</source></segment></unit></file></xliff>',
         r"doc\.ru\.xlf:2: unknown state 'done'"),
        (f'<xliff xmlns="{XLF}" version="2.0" srcLang="de" trgLang="ru"><file id="f"/></xliff>',
         r"doc\.ru\.xlf:1: srcLang is 'de'"),
        (f'<xliff xmlns="{XLF}" version="2.0" srcLang="en" trgLang="ru"><file id="f">\n<unit id="a"><segment><source>x</source></segment></unit>\n<unit id="a"><segment><source>y</source></segment></unit></file></xliff>',
         r"doc\.ru\.xlf:3: duplicate unit id 'a'"),
        (f'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><xliff xmlns="{XLF}" version="2.0" srcLang="en" trgLang="ru"><file id="f">\n<unit id="a"><segment><source>&e;</source></segment></unit></file></xliff>',
         None),
    ],
)  # fmt: skip
def test_malformed_files(tmp_path, content, message):
    path = tmp_path / "doc.ru.xlf"
    path.write_text(content, encoding="utf-8")
    if message is None:  # external entities are never resolved
        store = open_store(path)
        assert "root:" not in store.get("a").source.text
        return
    with pytest.raises(TranslationStoreError, match=message):
        open_store(path)

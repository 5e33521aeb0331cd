"""A fourth language added through the registry only: it segments, stores and builds, and the
glossary matches its terms exactly (no other language's inflection rules).

Uzbek (Latin script) here is test-local: no module of the package mentions it. It has its own
abbreviations and, having no morphology, says so.
"""

from __future__ import annotations

import json

import pytest
from brochure.core import languages
from brochure.core.datamodel import RichText
from brochure.core.languages import Language
from brochure.core.project import load_project
from brochure.glossary.load import load_termbase
from brochure.glossary.morph import features, inflect
from brochure.segmentation.documents import segment_source
from brochure.store.xliff import open_store
from conftest import squash, write_project

UZBEK = Language(
    code="uz", name="Uzbek", native="O'zbek tili", locale="uz-UZ", script="Latn",
    contents="Mundarija", abbreviations=frozenset({"prof", "t.y"}), hyphenation=None,
    morphology=None,
)  # fmt: skip
TEXT = (
    "# Ishchilar partiyasi\n\n"
    "Prof. Karimov majlisda gapirdi. Ishchilar partiyasi ish haqini oshirishni talab qiladi.\n"
)
TOML = """title = { uz = "Ishchilar", en = "Workers" }
source_language = "uz"
target_languages = ["en"]
documents = ["text.md"]

[[editions]]
languages = ["uz", "en"]
layout = "columns"
page_size = "A5"
formats = ["pdf", "docx"]
"""
ENGLISH = {
    "Ishchilar partiyasi": "The workers' party",
    "Prof. Karimov majlisda gapirdi.": "Prof. Karimov spoke at the meeting.",
    "Ishchilar partiyasi ish haqini oshirishni talab qiladi.": "The workers' party demands higher wages.",
}
GLOSSARY = "id\tuz\ten\nworkers-party\tIshchilar partiyasi\tworkers' party\n"


@pytest.fixture
def uzbek():
    languages.register(UZBEK)
    yield UZBEK
    languages.unregister("uz")


def test_unknown_until_registered():
    assert not languages.is_known("uz")


def test_segments_with_its_own_abbreviations(uzbek, invoke, tmp_path):
    (tmp_path / "t.md").write_text(TEXT, encoding="utf-8")
    data = json.loads(invoke("segments", tmp_path / "t.md", "--lang", "uz", "--json").output)
    assert [s["text"] for s in data["blocks"][1]["segments"]] == [
        "Prof. Karimov majlisda gapirdi.",  # "Prof." is one of Uzbek's abbreviations
        "Ishchilar partiyasi ish haqini oshirishni talab qiladi.",
    ]


def test_stores_and_builds(uzbek, invoke, tmp_path):
    import pypdf

    root = write_project(tmp_path / "p", TOML, {"text.md": TEXT})
    project = load_project(root)
    document = project.documents[0]
    store = open_store(project, document, "en")
    store.sync(segment_source(project, document).segments)
    for seg in segment_source(project, document).segments:
        store.set_target(seg.id, RichText(ENGLISH[seg.text]), "final", meta={"origin": "human"})
    store.save()
    assert store.path.name == "text.en.xlf"
    assert 'srcLang="uz"' in store.path.read_text(encoding="utf-8")

    result = invoke("build", root)
    assert result.exit_code == 0, result.output
    pdf = root / "build" / f"{project.name}.uz-en.pdf"
    assert sorted(p.name for p in (root / "build").iterdir()) == [
        pdf.stem + ".docx",
        pdf.name,
        pdf.stem + ".print.pdf",
    ]
    text = squash("".join(page.extract_text() for page in pypdf.PdfReader(pdf).pages))
    for uz, en in ENGLISH.items():
        assert squash(uz) in text and squash(en) in text


def test_glossary_matches_its_terms_exactly(uzbek, tmp_path):
    root = write_project(tmp_path / "p", TOML, {"text.md": TEXT, "glossary/terms.tsv": GLOSSARY})
    termbase = load_termbase(load_project(root))
    concept = termbase.get("workers-party")
    assert concept is not None and concept.preferred["uz"] == "Ishchilar partiyasi"

    matcher = termbase.matcher("uz")
    found = [m.text for m in matcher.find("Ishchilar partiyasi talab qiladi.")]
    assert found == ["Ishchilar partiyasi"]
    # English rules would read "partiyasi's" as the term with a possessive ’s: Uzbek has no
    # morphology, so only the term as written matches
    assert matcher.find("Ishchilar partiyasi's talabi") == []
    assert features("uz", "Ishchilar partiyasi's", "Ishchilar partiyasi") == ""
    assert inflect(concept, "uz", "pl") == "Ishchilar partiyasi"  # English rules: "...partiyasis"
    # the built-in languages keep theirs
    assert termbase.matcher("en").find("the workers' parties")


def test_builtin_languages_come_from_data_files():
    from brochure.glossary.morph import MORPHOLOGIES

    assert languages.codes() == ("en", "kk", "ru")
    kk = languages.get("kk")
    assert (kk.script, kk.contents, kk.morphology) == ("Cyrl", "Мазмұны", "kk")
    assert kk.abbreviations and kk.hyphenation == "hyphenation/hyph_kk_KZ.dic"
    for code in languages.codes():
        assert languages.get(code).morphology in MORPHOLOGIES

"""`brochure align`: an existing human translation becomes reviewed units, paragraph by paragraph."""

from __future__ import annotations

import pytest
from brochure.core.project import load_project
from brochure.store.align import align_document, anchors, split_target
from brochure.store.load import load_translations
from brochure.store.xliff import open_store
from conftest import snapshot, write_project
from test_cli import error_line


def translated_texts(project, lang):
    """Each document's translation as a plain text (one paragraph per block) and the units it came from."""
    segmented, stores = load_translations(project, [lang], sync=False)
    texts, units = {}, {}
    for document in project.documents:
        store, seg = stores[(document.name, lang)], segmented[document.name]
        paragraphs = []
        for index, _ in enumerate(seg.document.blocks):
            segments = seg.block_segments(index)
            if segments:
                paragraphs.append(" ".join(store.get(s.id).target.text for s in segments))
                units.update({s.id: store.get(s.id).target.text for s in segments})
        texts[document.name] = "\n\n".join(paragraphs) + "\n"
    return texts, units


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_aligning_the_seed_translations_pairs_every_paragraph(invoke, seed_project, tmp_path, lang):
    project = load_project(seed_project)
    texts, original = translated_texts(project, lang)
    for document in project.documents:
        (tmp_path / f"{document.name}.{lang}.txt").write_text(
            texts[document.name], encoding="utf-8"
        )
        project.translations_path(document, lang).unlink()

    for document in project.documents:
        result = invoke("align", document.path, tmp_path / f"{document.name}.{lang}.txt", "--lang", lang,
                        seed_project)  # fmt: skip
        assert result.exit_code == 0, result.output
        count = len(load_translations(project, [lang])[0][document.name].segments)
        assert (
            result.output.splitlines()[-1].endswith(
                f"{count} unit(s) stored, 0 to check, 0 approved or a person's kept"
            )
            or lang == "kk"
        )  # the Kazakh text writes one number as a word: listed, still paired right

    aligned_texts, aligned = translated_texts(load_project(seed_project), lang)
    assert aligned_texts == texts  # every paragraph
    assert aligned == original  # every sentence
    store = open_store(project, project.documents[1], lang)
    unit = next(store.units())
    assert unit.state == "reviewed" and unit.meta["origin"] == "align"


def test_a_merged_and_a_dropped_sentence_are_listed(invoke, tmp_path):
    toml = 'title = "T"\nsource_language = "en"\ntarget_languages = ["ru"]\ndocuments = ["a.md"]\n'
    project_dir = write_project(tmp_path / "p", toml, {"a.md": (
        "# The strike\n\n"
        "The strike began on 3 January. It spread to 12 cities. The government resigned on 5 January.\n\n"
        "Workers demanded higher wages. They also demanded free trade unions, the right to strike and "
        "the release of every arrested activist.\n\n"
        "Solidarity is our weapon.\n"
    )})  # fmt: skip
    translation = tmp_path / "a.ru.md"
    translation.write_text(
        "# Забастовка\n\n"
        "Забастовка началась 3 января и охватила 12 городов. Правительство ушло в отставку 5 января.\n\n"
        "Рабочие требовали повышения зарплаты.\n\n"
        "Солидарность — наше оружие. Это знает каждый рабочий в стране.\n",
        encoding="utf-8",
    )
    result = invoke("align", project_dir / "a.md", translation, "--lang", "ru", project_dir)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "2 source sentences translated as 1: split by length" in out
    assert "no translated sentence for it\n  They also demanded free trade unions, the right" in out
    project = load_project(project_dir)
    pairs = {
        p.source: (p.target, p.unsure)
        for p in align_document(project, project_dir / "a.md", translation, "ru").pairs
    }
    assert (
        pairs["The strike began on 3 January."][0] == "Забастовка началась 3 января"
    )  # split by length
    assert pairs["It spread to 12 cities."][0] == "и охватила 12 городов."
    assert pairs["The government resigned on 5 January."] == (
        "Правительство ушло в отставку 5 января.",
        "",
    )
    assert pairs["Workers demanded higher wages."][0] == "Рабочие требовали повышения зарплаты."
    assert pairs["The strike"] == ("Забастовка", "")
    assert (
        pairs["Solidarity is our weapon."][0]
        == "Солидарность — наше оружие. Это знает каждый рабочий в стране."
    )
    store = open_store(project, project.documents[0], "ru")
    states = {u.source.text: (u.state, u.target.text if u.target else None) for u in store.units()}
    assert states["The strike"] == ("reviewed", "Забастовка")
    assert states["The government resigned on 5 January."][0] == "reviewed"
    assert states["The strike began on 3 January."][0] == "translated"  # unsure: a person checks it
    assert states[
        "They also demanded free trade unions, the right to strike and the release of every "
        "arrested activist."
    ] == ("initial", None)


def test_reviewed_and_final_units_are_never_touched(invoke, seed_project, tmp_path):
    project = load_project(seed_project)
    texts, _ = translated_texts(project, "ru")
    document = project.documents[1]
    path = tmp_path / "ru.txt"
    path.write_text(
        texts[document.name].replace("В Казахстане", "В Республике Казахстан"), encoding="utf-8"
    )
    before = snapshot(seed_project / "translations")
    result = invoke("align", document.path, path, "--lang", "ru", seed_project)
    assert result.output.splitlines()[-1].endswith(
        "0 unit(s) stored, 0 to check, 35 approved or a person's kept"
    )
    assert snapshot(seed_project / "translations") == before


def test_anchors_and_splitting():
    assert anchors("40,000 workers on 3 January 2022, 100% of WTO")[0] == {
        "40000",
        "3",
        "2022",
        "100",
    }
    assert anchors("40 000 рабочих 3 января 2022 года, 100%")[0] == {"40000", "3", "2022", "100"}
    assert split_target("Первое предложение. Второе, длинное предложение.", [20, 30]) == [
        "Первое предложение.", "Второе, длинное предложение."
    ]  # fmt: skip


def test_bad_input(invoke, seed_project, tmp_path):
    text = tmp_path / "t.txt"
    text.write_text("Текст.\n", encoding="utf-8")
    source = seed_project / "programme-part-1.md"
    line = error_line(invoke("align", tmp_path / "t.txt", text, "--lang", "ru", seed_project))
    assert line.startswith(f"Error: {tmp_path / 't.txt'}: not a document of the project")
    line = error_line(invoke("align", source, text, "--lang", "de", seed_project))
    assert (
        line
        == f"Error: --lang: 'de' is not a target language of {seed_project / 'brochure.toml'} (ru, kk)"
    )
    docx = tmp_path / "t.docx"
    docx.write_bytes(b"PK")
    line = error_line(invoke("align", source, docx, "--lang", "ru", seed_project))
    assert line == f"Error: {docx}: unsupported format '.docx' (use .md or .txt)"
    empty = tmp_path / "empty.txt"
    empty.write_text("\n", encoding="utf-8")
    assert error_line(invoke("align", source, empty, "--lang", "ru", seed_project)) == (
        f"Error: {empty}: the document has no text"
    )


def test_a_persons_draft_is_not_replaced(invoke, tmp_path):
    """A translator's unreviewed target (brought in by `xliff import`) stays; a machine draft
    gives way to the aligned human translation. It replaced the person's text and marked the
    aligned one reviewed."""
    from brochure.core.datamodel import RichText

    toml = 'title = "T"\nsource_language = "en"\ntarget_languages = ["ru"]\ndocuments = ["a.md"]\n'
    project_dir = write_project(
        tmp_path / "p", toml, {"a.md": "# The strike\n\nThe strike goes on.\n"}
    )
    project = load_project(project_dir)
    _, stores = load_translations(project, ["ru"])
    store = stores[("a", "ru")]
    heading, sentence = (u.id for u in store.units())
    store.set_target(
        heading, RichText("Стачка"), "translated", meta={"origin": "mt", "engine": "argos"}
    )
    store.set_target(sentence, RichText("Забастовка продолжается."), "translated",
                     meta={"origin": "human", "via": "xliff"})  # fmt: skip
    store.save()
    translation = tmp_path / "a.ru.md"
    translation.write_text("# Забастовка\n\nСтачка идёт.\n", encoding="utf-8")
    result = invoke("align", project_dir / "a.md", translation, "--lang", "ru", project_dir)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1].endswith(
        "1 unit(s) stored, 0 to check, 1 approved or a person's kept"
    )
    units = {
        u.id: u for u in open_store(load_project(project_dir), project.documents[0], "ru").units()
    }
    assert (units[heading].target.text, units[heading].state) == ("Забастовка", "reviewed")
    assert (units[sentence].target.text, units[sentence].state) == (
        "Забастовка продолжается.",
        "translated",
    )
    assert units[sentence].meta["origin"] == "human"

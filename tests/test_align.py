"""`brochure align`: an existing human translation becomes reviewed units, paragraph by paragraph."""

from __future__ import annotations

import random
import re

import pytest
from brochure.core.project import load_project
from brochure.store.align import align_document, anchors, names
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
    # Two source sentences translated as one are left as they were: the translated sentence was
    # cut in two by length ("Забастовка началась 3 января" / "и охватила 12 городов.")
    assert (
        "  2 source sentences translated as one: left as they were (<!--join--> between them in "
        "the source makes them one segment)\n"
        "  The strike began on 3 January. It spread to 12 cities.\n"
        "  Забастовка началась 3 января и охватила 12 городов.\n"
    ) in out
    assert "no translated sentence for it\n  They also demanded free trade unions, the right" in out
    assert out.splitlines()[-1].endswith(
        "4 aligned, 0 unsure, 3 left as they were; "
        "4 unit(s) stored, 0 to check, 0 approved or a person's kept"
    )
    project = load_project(project_dir)
    pairs = {
        p.source: (p.target, p.unsure)
        for p in align_document(project, project_dir / "a.md", translation, "ru").pairs
    }
    assert pairs["The government resigned on 5 January."] == (
        "Правительство ушло в отставку 5 января.",
        "",
    )
    assert pairs["Workers demanded higher wages."] == (  # without the glossary: unsure
        "Рабочие требовали повышения зарплаты.",
        "the sentences may pair otherwise (83% sure)",
    )
    assert pairs["The strike"] == ("Забастовка", "")
    assert (
        pairs["Solidarity is our weapon."][0]
        == "Солидарность — наше оружие. Это знает каждый рабочий в стране."
    )
    store = open_store(project, project.documents[0], "ru")
    units = {u.source.text: u for u in store.units()}
    states = {k: (u.state, u.target.text if u.target else None) for k, u in units.items()}
    assert states["The strike"] == ("reviewed", "Забастовка")
    assert states["The government resigned on 5 January."][0] == "reviewed"
    assert states["The strike began on 3 January."] == ("initial", None)
    assert states["It spread to 12 cities."] == ("initial", None)
    assert states[
        "They also demanded free trade unions, the right to strike and the release of every "
        "arrested activist."
    ] == ("initial", None)
    # the translated sentence of the two is offered in a note on the first (once, however often
    # align runs); the units stay as they were
    result = invoke("align", project_dir / "a.md", translation, "--lang", "ru", project_dir)
    units = {u.source.text: u for u in open_store(project, project.documents[0], "ru").units()}
    assert [n.text for n in units["The strike began on 3 January."].notes] == [
        "align: unsure: 2 source sentences translated as one: left as they were (<!--join--> "
        "between them in the source makes them one segment); a.ru.md has: Забастовка началась "
        "3 января и охватила 12 городов."
    ]
    assert units["It spread to 12 cities."].notes == []
    assert units["The strike began on 3 January."].target is None
    # lengths alone would as well give the second sentence the translated one: the glossary's
    # concept of wages, found on both sides, pins it
    workers = units["Workers demanded higher wages."]
    assert (workers.state, workers.target.text) == (
        "reviewed",
        "Рабочие требовали повышения зарплаты.",
    )


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


def test_anchors():
    assert anchors("40,000 workers on 3 January 2022, 100% of WTO")[0] == {
        "40000",
        "3",
        "2022",
        "100",
    }
    assert anchors("40 000 рабочих 3 января 2022 года, 100%")[0] == {"40000", "3", "2022", "100"}
    # names in Cyrillic read in Latin letters match the source's spelling of them
    english = names(
        "Tokayev, Nazarbayev and the Mangistau and Kyzylorda regions; Zhanaozen, Aktobe"
    )
    kazakh = names("Тоқаев, Назарбаев, Маңғыстау мен Қызылорда облыстары; Жаңаөзен, Ақтөбе")
    russian = names("Токаев, Назарбаев, Мангистауская и Кызылординская области; Жанаозен, Актобе")
    assert english == kazakh == russian == {"tkv", "nzr", "mns", "kzl", "znz", "ktb"}


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


# -- partial and unequal translations: align never damages a project ------------------------------
def seed_paragraphs(project, document, lang):
    """The seed translation of a document as Markdown paragraphs (headings marked), with the
    segments of each and every unit's reviewed target."""
    segmented, stores = load_translations(project, [lang], sync=False)
    store, seg = stores[(document.name, lang)], segmented[document.name]
    paragraphs, targets = [], {}
    for index, block in enumerate(seg.document.blocks):
        segments = seg.block_segments(index)
        if segments:
            text = " ".join(store.get(s.id).target.text for s in segments)
            paragraphs.append(
                ("# " if block.kind == "heading" else "", text, [s.id for s in segments])
            )
            targets.update({s.id: store.get(s.id).target.text for s in segments})
    return paragraphs, targets


def machine_drafts(project, document, lang):
    """Replace every unit of a document by a machine draft (origin mt), as `translate` leaves them."""
    from brochure.core.datamodel import RichText

    store = open_store(project, document, lang)
    for unit in list(store.units()):
        store.set_target(unit.id, RichText(f"[MT] {unit.source.text}"), "translated",
                         meta={"origin": "mt", "engine": "argos"})  # fmt: skip
    store.save()


def aligned_units(project_dir, document, lang):
    return {u.id: u for u in open_store(load_project(project_dir), document, lang).units()}


def test_a_partial_kazakh_translation_leaves_what_it_lacks(invoke, seed_project, tmp_path):
    """The Kazakh statement without three of its paragraphs: align cut the translated sentences
    around the gaps in the middle to fill the missing paragraphs' units and stored the pieces as
    translated over the machine drafts. Now the units of the missing paragraphs keep their drafts
    and every other unit gets its own whole sentence, reviewed."""
    project = load_project(seed_project)
    document = project.documents[1]
    paragraphs, targets = seed_paragraphs(project, document, "kk")
    missing = (
        3,
        4,
        8,
    )  # "The dynamics ...", "As early as 4 January ...", "Kassym-Jomart Tokayev's decision ..."
    translation = tmp_path / "statement.kk.md"
    translation.write_text("\n\n".join(mark + text for i, (mark, text, _) in enumerate(paragraphs)
                                       if i not in missing) + "\n", encoding="utf-8")  # fmt: skip
    machine_drafts(project, document, "kk")

    result = invoke("align", document.path, translation, "--lang", "kk", seed_project)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1].endswith(
        "28 aligned, 0 unsure, 7 left as they were; "
        "28 unit(s) stored, 0 to check, 0 approved or a person's kept"
    )
    left = {uid for i in missing for uid in paragraphs[i][2]}
    assert result.output.count("no translated paragraph for it") == len(left) == 7
    for uid, unit in aligned_units(seed_project, document, "kk").items():
        if uid in left:
            assert (unit.state, unit.meta["origin"]) == ("translated", "mt")
            assert unit.target.text == f"[MT] {unit.source.text}"
        else:
            assert (unit.state, unit.meta["origin"]) == ("reviewed", "align")
            assert unit.target.text == targets[uid]  # whole, never a piece


@pytest.mark.parametrize("suffix", [".md", ".txt"])
def test_a_translation_without_its_headings(invoke, seed_project, tmp_path, suffix):
    """The Russian programme with every heading left out: a missing heading was merged with the
    next paragraph, and the first translated sentence cut to give the heading a piece."""
    project = load_project(seed_project)
    document = project.documents[0]
    paragraphs, targets = seed_paragraphs(project, document, "ru")
    translation = tmp_path / f"programme.ru{suffix}"
    translation.write_text("\n\n".join(text for mark, text, _ in paragraphs if not mark) + "\n",
                           encoding="utf-8")  # fmt: skip
    machine_drafts(project, document, "ru")

    result = invoke("align", document.path, translation, "--lang", "ru", seed_project)
    assert result.exit_code == 0, result.output
    headings = {uid for mark, _, ids in paragraphs if mark for uid in ids}
    units = aligned_units(seed_project, document, "ru")
    for uid in headings:
        assert units[uid].target.text == f"[MT] {units[uid].source.text}"
    for uid, unit in units.items():  # a unit holds its own translation or its draft, nothing else
        assert unit.target.text in (targets[uid], f"[MT] {unit.source.text}")
        assert (unit.state == "reviewed") == (unit.target.text == targets[uid])
    if suffix == ".md":  # headings known on both sides: every paragraph pairs for sure
        assert result.output.splitlines()[-1].endswith(
            "40 aligned, 0 unsure, 5 left as they were; "
            "40 unit(s) stored, 0 to check, 0 approved or a person's kept"
        )
    else:  # a plain text's short signature line could be a heading: the three units near it are
        # offered in notes beside their drafts
        assert result.output.splitlines()[-1].endswith(
            "37 aligned, 3 unsure, 5 left as they were; "
            "37 unit(s) stored, 3 to check, 0 approved or a person's kept"
        )
        noted = [u for u in units.values() if any(n.text.startswith("align:") for n in u.notes)]
        assert len(noted) == 3


SOURCE = [
    "# Our demands",
    "The strike began in Zhanaozen on 2 January. Within two days it had spread to the whole "
    "Mangistau region.",
    "The workers demand a wage increase of 100%. They also demand the right to form free trade "
    "unions.",
    "The government declared a state of emergency on 5 January. Troops were sent to Almaty.",
    "Solidarity is our weapon.",
]
RUSSIAN = [
    "# Наши требования",
    "Забастовка началась в Жанаозене 2 января. За два дня она охватила всю Мангистаускую область.",
    "Рабочие требуют повысить зарплату на 100%. Они также требуют права создавать свободные "
    "профсоюзы.",
    "5 января правительство ввело чрезвычайное положение. В Алматы были направлены войска.",
    "Солидарность — наше оружие.",
]
EXTRA = "Этого абзаца нет в английском тексте: его добавил переводчик."


@pytest.mark.parametrize(
    ("translation", "expected", "summary"),
    [
        pytest.param(
            RUSSIAN[:2] + RUSSIAN[3:], "RRR--RRR", "6 aligned, 0 unsure, 2 left", id="missing"
        ),
        pytest.param(RUSSIAN[1:], "-RRRRRRR", "7 aligned, 0 unsure, 1 left", id="heading-missing"),
        # the added paragraph went with the one before it: the units near it are offered only
        pytest.param(
            RUSSIAN[:3] + [EXTRA] + RUSSIAN[3:],
            "RRROOOOR",
            "4 aligned, 4 unsure, 0 left",
            id="extra",
        ),  # fmt: skip
        pytest.param(
            RUSSIAN[:2] + [f"{RUSSIAN[2]} {RUSSIAN[3]}"] + RUSSIAN[4:],
            "RRROOOOR",
            "4 aligned, 4 unsure, 0 left",
            id="merged",
        ),  # fmt: skip
    ],
)
def test_unequal_translations(invoke, tmp_path, translation, expected, summary):
    """Each unit of a small project gets its own sentence (R: reviewed; O: offered as `initial`
    with a note), or nothing (-), never a piece nor a neighbour's sentence. The translation lies
    inside the project: the units name it relative to the project."""
    toml = 'title = "T"\nsource_language = "en"\ntarget_languages = ["ru"]\ndocuments = ["a.md"]\n'
    project_dir = write_project(tmp_path / "p", toml, {"a.md": "\n\n".join(SOURCE) + "\n",
                                "drafts/a.ru.md": "\n\n".join(translation) + "\n"})  # fmt: skip
    result = invoke("align", project_dir / "a.md", project_dir / "drafts/a.ru.md", "--lang", "ru",
                    project_dir)  # fmt: skip
    assert result.exit_code == 0, result.output
    stored = expected.count("R") + expected.count("O")
    assert result.output.splitlines()[-1].endswith(
        f"{summary} as they were; {stored} unit(s) stored, {expected.count('O')} to check, "
        "0 approved or a person's kept"
    )
    assert (EXTRA in translation) == (
        f"unsure: a translated paragraph with no source: {EXTRA}" in result.output
    )
    project = load_project(project_dir)
    correct = [s.removeprefix("# ") for p in RUSSIAN for s in re.split(r"(?<=\.) ", p)]
    units = list(open_store(project, project.documents[0], "ru").units())
    assert len(units) == len(correct) == len(expected)
    for unit, want, mark in zip(units, correct, expected, strict=True):
        if mark == "-":
            assert (unit.state, unit.target, unit.meta) == ("initial", None, {})
            continue
        assert unit.target.text == want
        assert unit.meta == {"origin": "align", "align-source": "drafts/a.ru.md"}
        assert unit.state == ("reviewed" if mark == "R" else "initial")
        assert [n.text.split(":")[:2] for n in unit.notes] == (
            [["align", " unsure"]] if mark == "O" else []
        )
    # once more: the same file (an offer is made again, its note not added twice)
    before = snapshot(project_dir / "translations")
    result = invoke("align", project_dir / "a.md", project_dir / "drafts/a.ru.md", "--lang", "ru",
                    project_dir)  # fmt: skip
    assert result.output.splitlines()[-1].endswith(
        f"{expected.count('R')} approved or a person's kept"
    )
    assert snapshot(project_dir / "translations") == before
    # the translator completes the file: every offer is now sure, reviewed, and its doubt is gone
    (project_dir / "drafts/a.ru.md").write_text("\n\n".join(RUSSIAN) + "\n", encoding="utf-8")
    result = invoke("align", project_dir / "a.md", project_dir / "drafts/a.ru.md", "--lang", "ru",
                    project_dir)  # fmt: skip
    assert result.exit_code == 0, result.output
    units = list(open_store(project, project.documents[0], "ru").units())
    assert [(u.target.text, u.state) for u in units] == [(w, "reviewed") for w in correct]
    assert [n.text for u in units for n in u.notes] == []


def test_the_translation_is_named_without_a_local_folder(invoke, tmp_path):
    """A translation outside the project is named by its file name only; a file from an earlier
    version that carries an absolute path is read so, and written so at its next save, and an
    XLIFF export never carries one."""
    from brochure.core.datamodel import RichText

    toml = 'title = "T"\nsource_language = "en"\ntarget_languages = ["ru"]\ndocuments = ["a.md"]\n'
    project_dir = write_project(tmp_path / "p", toml, {"a.md": "\n\n".join(SOURCE) + "\n"})
    translation = tmp_path / "elsewhere" / "a.ru.md"
    translation.parent.mkdir()
    translation.write_text("\n\n".join(RUSSIAN) + "\n", encoding="utf-8")
    result = invoke("align", project_dir / "a.md", translation, "--lang", "ru", project_dir)
    assert result.exit_code == 0, result.output
    xlf = project_dir / "translations" / "a.ru.xlf"
    assert str(tmp_path) not in xlf.read_text(encoding="utf-8")
    project = load_project(project_dir)
    assert {
        u.meta["align-source"] for u in open_store(project, project.documents[0], "ru").units()
    } == {"a.ru.md"}

    # as the earlier version wrote it
    xlf.write_text(xlf.read_text(encoding="utf-8").replace(">a.ru.md<", f">{translation}<"),
                   encoding="utf-8")  # fmt: skip
    assert str(translation) in xlf.read_text(encoding="utf-8")
    store = open_store(load_project(project_dir), project.documents[0], "ru")
    assert {u.meta["align-source"] for u in store.units()} == {"a.ru.md"}
    out = tmp_path / "export"
    result = invoke("xliff", "export", project_dir, "--version", "2.1", "-o", out)
    assert result.exit_code == 0, result.output
    assert [str(tmp_path) in p.read_text(encoding="utf-8") for p in out.iterdir()] == [False]
    first = next(store.units())
    store.set_target(first.id, RichText("Наши требования"), "final", meta=first.meta)
    store.save()
    assert str(tmp_path) not in xlf.read_text(encoding="utf-8")
    assert xlf.read_text(encoding="utf-8").count(">a.ru.md<") == 8


def test_a_translation_of_another_document_is_refused(invoke, seed_project, tmp_path):
    """The Kazakh programme given as the statement's translation: lengths paired four of its
    paragraphs 'surely' with the statement's and stored them reviewed."""
    project = load_project(seed_project)
    programme, statement = project.documents
    paragraphs, _ = seed_paragraphs(project, programme, "kk")
    translation = tmp_path / "programme.kk.md"
    translation.write_text("\n\n".join(mark + text for mark, text, _ in paragraphs) + "\n",
                           encoding="utf-8")  # fmt: skip
    machine_drafts(project, statement, "kk")
    before = snapshot(seed_project / "translations")
    line = error_line(invoke("align", statement.path, translation, "--lang", "kk", seed_project))
    assert line == (
        f"Error: {translation}: does not read as a translation of statement-2022-01-07 "
        "(9 of 10 pairs unsure); nothing stored"
    )
    assert snapshot(seed_project / "translations") == before


def test_an_unsure_pair_leaves_a_machine_draft_in_place(invoke, tmp_path):
    """Two paragraphs translated as one: their sentences pair, but not surely. The machine drafts
    stay; each unit gets the translation's sentence in a note (once, however often align runs)."""
    toml = 'title = "T"\nsource_language = "en"\ntarget_languages = ["ru"]\ndocuments = ["a.md"]\n'
    merged = RUSSIAN[:2] + [f"{RUSSIAN[2]} {RUSSIAN[3]}"] + RUSSIAN[4:]
    project_dir = write_project(tmp_path / "p", toml, {"a.md": "\n\n".join(SOURCE) + "\n"})
    translation = tmp_path / "a.ru.md"
    translation.write_text("\n\n".join(merged) + "\n", encoding="utf-8")
    project = load_project(project_dir)
    load_translations(project, ["ru"])[1][("a", "ru")].save()
    machine_drafts(project, project.documents[0], "ru")
    for _ in range(2):
        result = invoke("align", project_dir / "a.md", translation, "--lang", "ru", project_dir)
        assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1].endswith(
        "0 aligned, 4 unsure, 0 left as they were; "
        "0 unit(s) stored, 4 to check, 4 approved or a person's kept"
    )
    units = list(open_store(load_project(project_dir), project.documents[0], "ru").units())
    correct = [s.removeprefix("# ") for p in RUSSIAN for s in re.split(r"(?<=\.) ", p)]
    for unit, want in list(zip(units, correct, strict=True))[3:7]:
        assert (unit.state, unit.meta["origin"]) == ("translated", "mt")
        assert unit.target.text == f"[MT] {unit.source.text}"
        assert [n.text for n in unit.notes] == [
            f"align: unsure: 2 source paragraph(s) paired with 1 translated; a.ru.md has: {want}"
        ]


def test_a_dropped_note_stays_dropped_when_another_process_saved_meanwhile(seed_project):
    """`drop_notes` is replayed like every other edit when the file changed since it was read:
    the doubt goes, the note a person added meanwhile stays."""
    project = load_project(seed_project)
    document = project.documents[0]
    first = open_store(project, document, "ru")
    uid = next(iter(first.units())).id
    first.add_note(uid, "align: unsure: 2 source paragraph(s) paired with 1 translated")
    first.save()
    mine, theirs = open_store(project, document, "ru"), open_store(project, document, "ru")
    theirs.add_note(uid, "Check the term with the editor.")
    theirs.save()
    mine.drop_notes(uid, "align: unsure: ")
    mine.save()
    notes = [n.text for n in open_store(project, document, "ru").get(uid).notes]
    assert "Check the term with the editor." in notes
    assert not any(n.startswith("align: unsure") for n in notes)


# -- the band: a book aligns in O(paragraphs x band), with the full computation's result ----------
def assert_same_alignment(project_dir, document, translation, lang):
    """align_document in the narrowest band (widened where paths come near its edge) gives what
    the full computation gives: every pair, its translated text and doubt (with its posterior in
    whole percent), and every translated paragraph left over."""
    project = load_project(project_dir)
    banded = align_document(project, document, translation, lang, band=1)
    full = align_document(project, document, translation, lang, band=None)
    assert banded.pairs == full.pairs
    assert banded.leftovers == full.leftovers
    return full


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_the_band_gives_the_full_computations_alignment_of_the_seeds(seed_project, tmp_path, lang):
    project = load_project(seed_project)
    for document in project.documents:
        paragraphs, _ = seed_paragraphs(project, document, lang)
        translation = tmp_path / f"{document.name}.{lang}.md"
        translation.write_text("\n\n".join(mark + text for mark, text, _ in paragraphs) + "\n",
                               encoding="utf-8")  # fmt: skip
        full = assert_same_alignment(seed_project, document.path, translation, lang)
        assert not full.leftovers and all(p.target for p in full.pairs)


def seed_book(project, tmp_path, lang="ru"):
    """Both seed documents as one (42 paragraphs): a project of it, and its paragraphs in
    English and in `lang` (Markdown headings marked)."""
    segmented, stores = load_translations(project, [lang], sync=False)
    book = []
    for document in project.documents:
        store, seg = stores[(document.name, lang)], segmented[document.name]
        for index, block in enumerate(seg.document.blocks):
            if segments := seg.block_segments(index):
                mark = "# " if block.kind == "heading" else ""
                target = " ".join(store.get(s.id).target.text for s in segments)
                book.append((mark, " ".join(s.text for s in segments), target))
    toml = f'title = "T"\nsource_language = "en"\ntarget_languages = ["{lang}"]\ndocuments = ["book.md"]\n'
    project_dir = write_project(tmp_path / "book", toml,
                                {"book.md": "\n\n".join(m + en for m, en, _ in book) + "\n"})  # fmt: skip
    return project_dir, book


def test_the_band_widens_where_the_translation_lacks_a_run_of_paragraphs(seed_project, tmp_path):
    """Both seed documents in Russian without 10 paragraphs running: the path leaves the diagonal
    by 5 paragraphs. In a band of 2 kept as it is, the best path found there pairs paragraphs
    wrongly; widened where the path comes near its edge, it is the full computation's."""
    from brochure.store.align import (
        PARAGRAPH_EXTEND,
        PARAGRAPH_GAP,
        PARAGRAPH_PRIORS,
        _Table,
        align_sequences,
    )

    project_dir, book = seed_book(load_project(seed_project), tmp_path)
    kept = [i for i in range(len(book)) if not 14 <= i < 24]
    english, russian = [en for _, en, _ in book], [book[i][2] for i in kept]
    ratio = sum(map(len, russian)) / sum(len(english[i]) for i in kept)
    args = (english, russian, ratio, PARAGRAPH_PRIORS, None, PARAGRAPH_GAP, PARAGRAPH_EXTEND)
    full = align_sequences(*args, band=None)
    banded = align_sequences(*args, band=2)
    assert [(k.i0, k.i1, k.j0, k.j1, k.cost) for k in banded] == [
        (k.i0, k.i1, k.j0, k.j1, k.cost) for k in full
    ]
    assert [k.posterior for k in banded] == pytest.approx([k.posterior for k in full], abs=1e-9)
    # each kept paragraph with its own translation, the run left out
    pairs = {(k.i0, k.j0) for k in full if (k.i1 - k.i0, k.j1 - k.j0) == (1, 1)}
    assert pairs == {(i, j) for j, i in enumerate(kept)}
    narrow = _Table(*args).solve(2, widen=False, coarse=False)
    assert [(k.i0, k.j0) for k in narrow] != [(k.i0, k.j0) for k in full]

    translation = tmp_path / "book.ru.md"
    translation.write_text("\n\n".join(book[i][0] + book[i][2] for i in kept) + "\n",
                           encoding="utf-8")  # fmt: skip
    result = assert_same_alignment(project_dir, project_dir / "book.md", translation, "ru")
    left = [p.source for p in result.pairs if not p.target]
    assert " ".join(left) == " ".join(en for _, en, _ in book[14:24])


def test_the_band_gives_the_full_computations_alignment_with_paragraphs_added(
    seed_project, tmp_path
):
    """Both seed documents in Russian with a translator's paragraph of its own after every fifth,
    and six more at the end: the path leaves the diagonal at every one."""
    project_dir, book = seed_book(load_project(seed_project), tmp_path)
    texts = []
    for i, (mark, _, text) in enumerate(book):
        texts.append(mark + text)
        if i % 5 == 4:
            texts.append(EXTRA)
    texts += [f"Примечание переводчика {n}: этого абзаца нет в оригинале." for n in range(1, 7)]
    translation = tmp_path / "book.ru.md"
    translation.write_text("\n\n".join(texts) + "\n", encoding="utf-8")
    result = assert_same_alignment(project_dir, project_dir / "book.md", translation, "ru")
    assert EXTRA in result.leftovers
    assert "Примечание переводчика 6: этого абзаца нет в оригинале." in result.leftovers


@pytest.mark.parametrize(
    "translation",
    [RUSSIAN[:2] + RUSSIAN[3:], RUSSIAN[1:], RUSSIAN[:3] + [EXTRA] + RUSSIAN[3:],
     RUSSIAN[:2] + [f"{RUSSIAN[2]} {RUSSIAN[3]}"] + RUSSIAN[4:]],
    ids=["missing", "heading-missing", "extra", "merged"],
)  # fmt: skip
def test_the_band_gives_the_full_computations_alignment_of_unequal_translations(
    tmp_path, translation
):
    toml = 'title = "T"\nsource_language = "en"\ntarget_languages = ["ru"]\ndocuments = ["a.md"]\n'
    project_dir = write_project(tmp_path / "p", toml, {"a.md": "\n\n".join(SOURCE) + "\n",
                                "a.ru.md": "\n\n".join(translation) + "\n"})  # fmt: skip
    assert_same_alignment(project_dir, project_dir / "a.md", project_dir / "a.ru.md", "ru")


def long_book(seed_project, tmp_path, size=300):
    """A book of `size` paragraphs: the seed book's drawn in a shuffled order, again and again
    (as bench/bench_align.py makes one); a project of it, and its paragraphs as seed_book's."""
    _, pool = seed_book(load_project(seed_project), tmp_path)
    rng, book = random.Random(11), []
    while len(book) < size:
        rng.shuffle(pool)
        book.extend(pool[: size - len(book)])
    toml = (
        'title = "T"\nsource_language = "en"\ntarget_languages = ["ru"]\ndocuments = ["book.md"]\n'
    )
    project_dir = write_project(tmp_path / "long", toml,
                                {"book.md": "\n\n".join(m + en for m, en, _ in book) + "\n"})  # fmt: skip
    return project_dir, book


def test_the_band_gives_the_full_computations_alignment_of_a_translation_of_the_first_half(
    seed_project, tmp_path
):
    """A book of 300 paragraphs translated up to its middle (a translation under way): the whole
    texts' ratio is half the languages'. Every paragraph of the first half gets its own
    translation, the second half is left as it was, as the full computation has it."""
    project_dir, book = long_book(seed_project, tmp_path)
    translation = tmp_path / "book.ru.md"
    translation.write_text("\n\n".join(m + ru for m, _, ru in book[:150]) + "\n", encoding="utf-8")
    result = assert_same_alignment(project_dir, project_dir / "book.md", translation, "ru")
    assert not result.leftovers
    assert " ".join(p.target for p in result.pairs if p.target) == " ".join(
        ru for _, _, ru in book[:150]
    )
    left = [p.source for p in result.pairs if not p.target]
    assert " ".join(left) == " ".join(en for _, en, _ in book[150:])


def test_the_band_gives_the_full_computations_alignment_with_a_translators_preface(
    seed_project, tmp_path
):
    """A book of 200 paragraphs whose translation starts with a preface of the translator's own
    (12 paragraphs): the path starts 12 paragraphs off the diagonal. The preface is left over,
    every paragraph of the book gets its own translation."""
    project_dir, book = long_book(seed_project, tmp_path, 200)
    preface = [
        f"Предисловие переводчика, абзац {n}: этого текста нет в оригинале." for n in range(1, 13)
    ]
    translation = tmp_path / "book.ru.md"
    translation.write_text("\n\n".join(preface + [m + ru for m, _, ru in book]) + "\n",
                           encoding="utf-8")  # fmt: skip
    result = assert_same_alignment(project_dir, project_dir / "book.md", translation, "ru")
    assert result.leftovers == preface
    assert " ".join(p.target for p in result.pairs) == " ".join(ru for _, _, ru in book)


def test_a_translation_far_longer_than_its_source_pairs_at_its_own_ratio(seed_project, tmp_path):
    """Both seed documents with every Russian word written twice, as a language that takes far
    more letters would (1.7 times the English): aligned from the ratio 1, most paragraphs pair
    unsurely or not at all, so the whole texts' ratio is tried too and its alignment kept: every
    paragraph with its own translation."""
    project_dir, book = seed_book(load_project(seed_project), tmp_path)
    twice = re.compile(r"[^\W\d_A-Za-z]+")  # Cyrillic words; numbers and Latin names stay anchors
    translation = tmp_path / "book.ru.md"
    translation.write_text("\n\n".join(m + twice.sub(lambda w: w[0] * 2, ru) for m, _, ru in book)
                           + "\n", encoding="utf-8")  # fmt: skip
    result = assert_same_alignment(project_dir, project_dir / "book.md", translation, "ru")
    assert not result.leftovers and not result.unpaired
    assert not [p for p in result.unsure if "paragraph" in p.unsure]

"""Page furniture: covers and colophon in the edition's languages, page counts planned in fours,
contents left out of a short text, running headers that do not repeat an opening heading."""

from __future__ import annotations

import re

import pypdf
import pytest
from brochure.core.errors import ProjectError
from brochure.core.project import load_project
from conftest import squash, write_project

BASE = (
    'title = "T"\nsource_language = "en"\ntarget_languages = ["ru", "kk"]\ndocuments = ["t.md"]\n'
)
WORDS = " ".join(["The workers of the oil fields went on strike for higher wages."] * 16)  # ~200


def _project(tmp_path, toml: str):
    return write_project(tmp_path / "p", BASE + toml, {"t.md": f"# A short text\n\n{WORDS}\n"})


def test_publisher_and_date_take_one_value_or_one_per_language(tmp_path):
    project = load_project(_project(tmp_path, (
        'publisher = { en = "Workers", ru = "Рабочие", kk = "Жұмысшылар" }\ndate = 2026-01-07\n'
    )))  # fmt: skip
    assert project.publisher == {"en": "Workers", "ru": "Рабочие", "kk": "Жұмысшылар"}
    assert project.date == {"en": "2026-01-07", "ru": "2026-01-07", "kk": "2026-01-07"}
    project = load_project(_project(tmp_path, 'publisher = "SDK"\n'))
    assert project.publisher == {"en": "SDK", "ru": "SDK", "kk": "SDK"} and project.date == {}


def test_colophon_schema(tmp_path):
    project = load_project(_project(tmp_path, (
        '[colophon]\ntranslators = ["A. Name", { en = "The team", ru = "Группа", kk = "Топ" }]\n'
        'reviewers = []\nlicence = { en = "CC BY 4.0", ru = "CC BY 4.0" }\n'
        '[colophon.sources]\n"t.md" = { en = "From Russian", ru = "С русского", kk = "Орыс тілінен" }\n'
    )))  # fmt: skip
    colophon = project.colophon
    assert colophon.translators == (
        {"en": "A. Name", "ru": "A. Name", "kk": "A. Name"},
        {"en": "The team", "ru": "Группа", "kk": "Топ"},
    )
    assert colophon.reviewers == () and colophon.note == {}
    assert colophon.licence == {"en": "CC BY 4.0", "ru": "CC BY 4.0"}
    assert colophon.sources == {
        "t": {"en": "From Russian", "ru": "С русского", "kk": "Орыс тілінен"}
    }


def test_colophon_and_imprint_errors_name_the_key(tmp_path):
    folder = _project(tmp_path, (
        'publisher = { en = "W", de = "A" }\ndate = 2026\n'
        '[[editions]]\nlanguages = ["en", "ru"]\ncontents = "sometimes"\n'
        '[colophon]\ntranslators = "x"\nreviewers = [{ en = 1 }]\nthanks = "y"\n'
        '[colophon.sources]\n"other.md" = "From Russian"\n'
    ))  # fmt: skip
    with pytest.raises(ProjectError) as caught:
        load_project(folder)
    message = str(caught.value)
    for expected in (
        "publisher.de: not a language of this project",
        "date: must be a string or a table of language code = string",
        "editions[0].contents: must be \"auto\" (left out for a short text), true or false, got 'sometimes'",
        "colophon.reviewers[0].en: must be a string",
        "colophon.thanks: unknown key (known: translators, reviewers, licence, note, sources)",
        'colophon.sources."other.md": not a document of this project (documents: t.md)',
    ):
        assert expected in message
    assert "colophon.translators" not in message  # one name on its own is a list of one


def test_bad_colophon_is_one_error_line_through_the_cli(tmp_path, invoke):
    folder = _project(tmp_path, '[colophon.sources]\n"nope.md" = "x"\n')
    result = invoke("build", folder, "--draft", "--no-mt")
    assert result.exit_code == 1
    (line,) = [x for x in result.output.splitlines() if x.strip()]
    assert (
        line.startswith("Error: ")
        and 'brochure.toml: colophon.sources."nope.md": not a document' in line
    )


def _texts(pdf) -> list[str]:
    return [" ".join((p.extract_text() or "").split()) for p in pypdf.PdfReader(pdf).pages]


def test_a_short_text_has_no_contents_unless_asked(tmp_path, invoke):
    folder = _project(tmp_path, '[[editions]]\nlanguages = ["en", "ru"]\nformats = ["pdf"]\n')
    assert invoke("build", folder, "--draft", "--no-mt").exit_code == 0
    texts = _texts(folder / "build" / "p.en-ru.pdf")
    assert "Contents" not in " ".join(texts)
    assert "A short text" in texts[1]  # the text right after the cover
    assert len(texts) % 4 == 0
    toml = (folder / "brochure.toml").read_text(encoding="utf-8")
    (folder / "brochure.toml").write_text(toml + "contents = true\n", encoding="utf-8")
    assert invoke("build", folder, "--draft", "--no-mt").exit_code == 0
    assert _texts(folder / "build" / "p.en-ru.pdf")[1].startswith("Contents")


@pytest.fixture(scope="module")
def seed_kk_ru(tmp_path_factory):
    """The seed project's kk|ru columns edition, built through the CLI."""
    import shutil

    from brochure.cli import cli
    from click.testing import CliRunner
    from conftest import SEEDS

    folder = tmp_path_factory.mktemp("seeds") / "seeds"
    shutil.copytree(SEEDS, folder, ignore=shutil.ignore_patterns("build", ".brochure"))
    result = CliRunner().invoke(cli, ["build", str(folder), "--edition", "kk-ru", "--no-mt"])
    assert result.exit_code == 0, result.output
    return folder, folder / "build" / "sdk.kk-ru.pdf"


def test_kazakh_russian_cover_has_no_english(seed_kk_ru):
    _, pdf = seed_kk_ru
    cover = _texts(pdf)[0]
    assert (
        "Қазақстан социалистік қозғалысы" in cover
        and "Социалистическое движение Казахстана" in cover
    )
    assert not re.search(r"[A-Za-z]{3,}", cover), cover


def test_seed_edition_ends_with_colophon_and_back_cover_in_fours(seed_kk_ru):
    folder, pdf = seed_kk_ru
    texts = _texts(pdf)
    assert len(texts) % 4 == 0
    assert texts[1].startswith("Мазмұны · Содержание")  # a long text: contents (auto)
    colophon, back = squash(texts[-2]), squash(texts[-1])
    project = load_project(folder)
    for lang in ("kk", "ru"):
        for texts_ in project.colophon.sources.values():
            assert squash(texts_[lang])[:80] in colophon
        assert squash(project.colophon.translators[0][lang])[:60] in colophon
        assert squash(project.colophon.reviewers[0][lang])[:60] in colophon
        assert squash(project.publisher[lang]) in back and squash(project.title[lang])[:40] in back
    assert "Translation" not in texts[-2] and "Sources" not in texts[-2]  # localised headings


def test_opening_page_has_no_running_header_repeating_its_heading(seed_kk_ru):
    _, pdf = seed_kk_ru
    texts = [squash(t) for t in _texts(pdf)]
    heading = squash("Переходная программа СДК. Часть I")
    opening = next(i for i, t in enumerate(texts) if i > 1 and heading in t)
    assert texts[opening].count(heading) == 1  # the heading, no header above it
    assert texts[opening + 1].count(heading) == 0  # then the next heading's header


# --- the three-language and interleaved editions: a readable measure, equal status -------------


def test_a4_landscape_page_size(tmp_path):
    folder = _project(
        tmp_path, '[[editions]]\nlanguages = ["en", "ru", "kk"]\npage_size = "A4 landscape"\n'
    )
    assert load_project(folder).editions[0].page_mm == (297.0, 210.0)
    folder = _project(
        tmp_path, '[[editions]]\nlanguages = ["en", "ru"]\npage_size = "A4 sideways"\n'
    )
    with pytest.raises(ProjectError, match=r"editions\[0\]\.page_size: unknown page size"):
        load_project(folder)


def test_measures_stay_between_45_and_75_characters():
    from brochure.layout.rows import MAX_MEASURE_EM, geometry

    three = geometry("A4 landscape", 3)
    assert three.font_pt == 9.5 and 45 <= three.chars_per_line <= 75
    one = geometry("A5", 1, max_measure_em=MAX_MEASURE_EM)
    assert one.body_width_mm == pytest.approx(MAX_MEASURE_EM * 9.5 * 25.4 / 72, abs=0.05)
    assert one.margin_inner_mm > one.margin_outer_mm  # still more room at the fold
    assert 45 <= one.chars_per_line <= 75


def test_seed_interleaved_sets_both_languages_alike_at_a_readable_measure(seed_project, invoke):
    import statistics

    result = invoke("build", seed_project, "--edition", "en-ru-interleaved", "--no-mt")
    assert result.exit_code == 0, result.output
    pdf = seed_project / "build" / "sdk.en-ru.interleaved.pdf"
    reader = pypdf.PdfReader(pdf)
    lengths = {"en": [], "ru": []}
    for page in reader.pages[2:-2]:
        for line in (page.extract_text() or "").splitlines():
            lang = "ru" if re.search("[а-яё]", line) else "en"
            if len(line) > 30:
                lengths[lang].append(len(line))
    for lang, values in lengths.items():
        full = sorted(values)[len(values) // 2 :]  # the fuller half: not the last lines
        assert 45 <= statistics.median(full) <= 75, (lang, statistics.median(full))
    # equal status: the translation in the same serif face and size as the source
    import pypdfium2

    doc = pypdfium2.PdfDocument(str(pdf))
    page = doc[4].get_textpage()
    sizes = {}
    for needle in ("the", "что"):
        found = page.search(needle).get_next()
        assert found
        sizes[needle] = pypdfium2.raw.FPDFText_GetFontSize(page.raw, found[0])
    doc.close()
    assert sizes["the"] == pytest.approx(sizes["что"], abs=0.01)


def test_docx_ends_with_the_colophon_in_each_language(seed_project):
    from brochure.core.project import load_project
    from brochure.editions.assemble import make_edition
    from brochure.layout.docx import build_document
    from brochure.store.load import load_translations

    project = load_project(seed_project)
    spec = project.edition("kk-ru")
    segmented, stores = load_translations(project, spec.languages, sync=False)
    doc = build_document(make_edition(project, spec, segmented, stores, False, []))
    tail = [p.text for p in doc.paragraphs][-20:]
    for lang, label in (("kk", "Аударма: "), ("ru", "Перевод: ")):
        assert project.title[lang] in tail
        assert label + project.colophon.translators[0][lang] in tail
        assert f"{project.publisher[lang]}, 2026" in tail
    assert not doc.sections[-1].header.paragraphs[0].text  # no running header there

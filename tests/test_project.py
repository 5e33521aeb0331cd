"""brochure.toml validation: every problem at once, each with its key."""

import pytest
from brochure.core.errors import ProjectError
from brochure.core.project import load_project
from conftest import write_project

GOOD = """
title = "T"
source_language = "en"
target_languages = ["ru"]
documents = ["a.md"]
"""


def test_defaults(tmp_path):
    project = load_project(write_project(tmp_path / "p", GOOD, {"a.md": "# A\n"}))
    assert project.name == "p"
    assert project.title == {"en": "T"}
    (edition,) = project.editions
    assert (edition.name, edition.languages, edition.layout, edition.page_size, edition.formats, edition.output) == (
        "en-ru", ("en", "ru"), "columns", "A5", ("pdf", "docx"), "p.en-ru",
    )  # fmt: skip


def test_every_problem_is_reported_with_its_key(tmp_path):
    toml = """
titel = "typo"
source_language = "xx"
target_languages = ["ru", "zz"]
documents = ["missing.md"]
[[editions]]
languages = ["en", "de"]
page_size = "B9"
formats = ["pdf", "mobi"]
"""
    with pytest.raises(ProjectError) as err:
        load_project(write_project(tmp_path / "p", toml))
    message = str(err.value)
    for expected in (
        "titel: unknown key",
        "source_language: unknown language code 'xx'",
        "target_languages[1]: unknown language code 'zz'",
        "title: missing",
        "documents[0]: file not found: missing.md",
        "editions[0].languages[1]: 'de' is not a language of this project",
        "editions[0].page_size: unknown page size 'B9'",
        "editions[0].formats: must be a list of: pdf, docx, epub",
    ):
        assert expected in message
    assert message.startswith(str(tmp_path / "p" / "brochure.toml"))
    assert "\n" not in message


def test_toml_syntax_error_names_the_line(tmp_path):
    with pytest.raises(ProjectError, match=r"brochure\.toml: line 3: invalid TOML"):
        load_project(
            write_project(
                tmp_path / "p", 'title = "T"\nsource_language = "en"\ntarget_languages = ru\n'
            )
        )
    with pytest.raises(ProjectError, match=r"brochure\.toml: line 2: invalid TOML"):
        load_project(write_project(tmp_path / "q", 'title = "T"\ntarget_languages = [\n'))


def test_missing_project_file_says_how_to_create_one(tmp_path):
    with pytest.raises(
        ProjectError, match=r"no project file here; create a project with `brochure init"
    ):
        load_project(tmp_path)


def test_custom_page_size_and_three_languages(tmp_path):
    toml = (
        GOOD.replace('["ru"]', '["ru", "kk"]')
        + """
[[editions]]
languages = ["en", "ru", "kk"]
page_size = "150mm x 220mm"
"""
    )
    project = load_project(write_project(tmp_path / "p", toml, {"a.md": "# A\n"}))
    (edition,) = project.editions
    assert edition.page_mm == (150.0, 220.0) and edition.output == "p.en-ru-kk"


def test_seed_project_loads():
    from conftest import SEEDS

    project = load_project(SEEDS)
    assert [d.name for d in project.documents] == ["programme-part-1", "statement-2022-01-07"]
    assert {e.languages for e in project.editions} >= {("en", "ru")}

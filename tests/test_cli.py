"""The command line as a user meets it: help, version, segments, init, and bad input."""

import json
import re
import subprocess
import sys

import click
import pytest
from brochure import __version__
from brochure.cli import cli
from conftest import REPO, SEEDS, snapshot, write_project

HEAVY = (
    "weasyprint",
    "docx",
    "ctranslate2",
    "argostranslate",
    "sentencepiece",
    "pymorphy3",
    "numpy",
)


def test_help_imports_no_heavy_library():
    code = (
        "import sys\nfrom brochure.cli import cli\n"
        "try:\n    cli(['--help'], prog_name='brochure')\nexcept SystemExit:\n    pass\n"
        f"print('LOADED', sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert "Usage: brochure" in out
    assert out.strip().endswith("LOADED []")


def test_python_dash_m_and_version():
    out = subprocess.run(
        [sys.executable, "-m", "brochure", "--version"], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == f"brochure, version {__version__}"


def _commands(group, prefix=()):
    # as `--help` finds them: the group imports a command's module when it is asked for
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        yield (*prefix, name), command
        if isinstance(command, click.Group):
            yield from _commands(command, (*prefix, name))


def test_every_command_has_help_and_is_in_the_readme(invoke):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for path, command in _commands(cli):
        result = invoke(*path, "--help")
        assert result.exit_code == 0, path
        assert command.help, f"{' '.join(path)} has no help text"
        assert f"brochure {' '.join(path)}" in readme, (
            f"`brochure {' '.join(path)}` is not documented in README.md"
        )


def test_verbose_and_quiet_are_accepted(invoke):
    assert invoke("-v", "segments", SEEDS / "statement-2022-01-07.md").exit_code == 0
    assert invoke("-q", "segments", SEEDS / "statement-2022-01-07.md").exit_code == 0


def test_verbose_and_quiet_also_after_the_command(invoke, tmp_path):
    """`brochure build -q` as `brochure -q build` (click took -q after the command for the
    command's own option: a usage error), in a group's commands too; the counts add up."""
    assert invoke("init", tmp_path / "p").exit_code == 0
    said = invoke("build", tmp_path / "p", "--no-mt")
    assert said.exit_code == 0 and "building" in said.output
    quiet = invoke("build", tmp_path / "p", "--no-mt", "--force", "-q")
    assert quiet.exit_code == 0, quiet.output
    assert "building" not in quiet.output
    assert "building" in invoke("-q", "build", tmp_path / "p", "--no-mt", "--force", "-v").output
    assert invoke("glossary", "list", "-vv", tmp_path / "p").exit_code == 0
    assert "-q, --quiet" in invoke("glossary", "add", "--help").output


def test_segments_text_and_json(invoke):
    result = invoke("segments", SEEDS / "statement-2022-01-07.md")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "[0] heading (line 1)"
    assert lines[1].endswith("Statement of the Socialist Movement of Kazakhstan")
    data = json.loads(invoke("segments", "--json", SEEDS / "statement-2022-01-07.md").output)
    assert data["lang"] == "en"
    demands = [b for b in data["blocks"] if b["kind"] == "list_item"]
    assert len(demands) == 5
    block = data["blocks"][2]
    assert [s["text"] for s in block["segments"]][
        0
    ] == "In Kazakhstan, there is now a real popular uprising."
    for s in block["segments"]:
        assert block["text"][s["start"] : s["end"]] == s["text"]


def test_segments_uses_the_projects_abbreviations(invoke, tmp_path):
    toml = 'title = "T"\nsource_language = "ru"\ntarget_languages = ["kk"]\ndocuments = ["a.md"]\n'
    project = write_project(tmp_path / "p", toml + '[segmentation.abbreviations]\nru = ["корр."]\n',
                            {"a.md": "Статья корр. Иванова вышла. Её прочли.\n"})  # fmt: skip
    data = json.loads(invoke("segments", "--json", project / "a.md").output)
    assert [s["text"] for s in data["blocks"][0]["segments"]] == [
        "Статья корр. Иванова вышла.",
        "Её прочли.",
    ]


def error_line(result) -> str:
    """The single line a failing command prints on stderr."""
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.output
    return lines[0]


BASE = 'title = "T"\nsource_language = "en"\ntarget_languages = ["ru"]\ndocuments = ["a.md"]\n'


@pytest.mark.parametrize(
    ("toml", "files", "expected"),
    [
        (
            None,
            {"a.md": "# A\n"},
            "brochure.toml: no project file here; create a project with `brochure init",
        ),
        ('title = "T"\nsource_language = \n', {}, "brochure.toml: line 2: invalid TOML"),
        (
            BASE.replace('"ru"]', '"xx"]'),
            {"a.md": "# A\n"},
            "target_languages[0]: unknown language code 'xx'",
        ),
        (BASE.replace("a.md", "nope.md"), {}, "documents[0]: file not found: nope.md"),
        (BASE, {"a.md": "\n\n"}, "a.md: the document has no text"),
        (BASE, {"a.md": b"Caf\xe9 ok"}, "a.md: not UTF-8 text (byte offset 3)"),
        (
            BASE,
            {"a.md": "# A\n", "translations/a.ru.xlf": "<xliff>\n<file>"},
            "a.ru.xlf:2: malformed XLIFF",
        ),
    ],
    ids=[
        "no-project",
        "bad-toml",
        "unknown-language",
        "missing-document",
        "empty-document",
        "not-utf8",
        "bad-xliff",
    ],
)
def test_bad_input_fails_with_one_line_and_touches_nothing(invoke, tmp_path, toml, files, expected):
    folder = tmp_path / "p"
    folder.mkdir()
    if toml is not None:
        (folder / "brochure.toml").write_text(toml, encoding="utf-8")
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    (folder / "build").mkdir()
    (folder / "build" / "p.en-ru.pdf").write_bytes(b"an earlier output")
    before = snapshot(folder)
    line = error_line(invoke("build", folder))
    assert line.startswith("Error: ") and expected in line
    assert snapshot(folder) == before


def test_build_lists_missing_translations_and_how_to_fill_them(invoke, tmp_path):
    folder = write_project(
        tmp_path / "p", BASE, {"a.md": "# Title\n\nFirst sentence here. Second one.\n"}
    )
    result = invoke("build", folder)
    assert result.exit_code == 1
    err = result.stderr
    assert "Error: 3 segment(s) have no translation:" in err
    assert "a [ru] s" in err and "First sentence here." in err
    assert "translations/a.ru.xlf" in err and "brochure build --draft" in err
    assert not (folder / "build").exists()
    # the store now lists every unit, ready to be filled
    assert (folder / "translations" / "a.ru.xlf").read_text(encoding="utf-8").count("<unit ") == 3


def test_init_refuses_to_overwrite(invoke, tmp_path):
    folder = write_project(tmp_path / "p", BASE, {"a.md": "# A\n"})
    before = snapshot(folder)
    line = error_line(invoke("init", folder))
    assert "a project exists already; nothing was changed" in line
    assert snapshot(folder) == before


def test_init_writes_a_starter_project_that_builds(invoke, tmp_path):
    folder = tmp_path / "new"
    result = invoke("init", folder)
    assert result.exit_code == 0
    assert "wrote" in result.output and "next: brochure build" in result.output
    result = invoke("build", folder)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (folder / "build").iterdir()) == [
        "new.en-ru.docx",
        "new.en-ru.pdf",
        "new.en-ru.print.pdf",
    ]


def test_draft_builds_and_marks_missing_translations(invoke, tmp_path):
    import pypdf

    folder = write_project(
        tmp_path / "p", BASE, {"a.md": "# Title\n\nFirst sentence here. Second one.\n"}
    )
    result = invoke("build", folder, "--draft")
    assert result.exit_code == 0, result.output
    text = "".join(
        page.extract_text() for page in pypdf.PdfReader(str(folder / "build" / "p.en-ru.pdf")).pages
    )
    assert len(re.findall(r"missing\s+translation", text)) == 3
    # (the print typography binds a sentence's short last word with a no-break space)
    assert "First sentence here." in text.replace("\xa0", " ")


# -- one way to name the project: [PROJECT] last; --project deprecated for one release -------------
def _leaf_commands(group, prefix=()):
    for path, command in _commands(group, prefix):
        if not hasattr(command, "commands"):
            yield path, command


def test_every_project_command_takes_project_as_its_last_argument():
    with_project = []
    for path, command in _leaf_commands(cli):
        names = [p.human_readable_name for p in command.params if p.param_type_name == "argument"]
        options = [o for p in command.params for o in getattr(p, "opts", ())]
        if "--project" in options:
            with_project.append(" ".join(path))
            assert names[-1].endswith("[PROJECT]"), path
            hidden = [p for p in command.params if "--project" in getattr(p, "opts", ())]
            assert hidden[0].hidden, f"{path}: --project must not be advertised"
    assert len(with_project) >= 17  # every command that reads a project, `init` aside


def test_deprecated_project_option_still_works_and_warns(invoke, seed_project):
    new = invoke("status", seed_project)
    old = invoke("status", "--project", seed_project)
    assert old.exit_code == 0
    assert old.stderr.startswith("Warning: --project is deprecated")
    assert old.stdout == new.stdout and new.stderr == ""
    group_level = invoke("models", "--project", seed_project, "list")
    assert group_level.stderr.startswith("Warning: --project is deprecated")


def test_two_different_projects_are_refused(invoke, seed_project, tmp_path):
    result = invoke("status", tmp_path, "--project", seed_project)
    assert result.exit_code == 2
    assert "two projects given" in result.output


def test_a_command_imports_its_own_module_alone():
    # the group loads a command's module when it runs: `brochure build` does not import the
    # workbench's or the glossary's command modules; `--help` lists every command all the same
    code = (
        "import sys\nfrom brochure.cli import cli\n"
        "try:\n    cli(['init', '--help'], prog_name='brochure')\nexcept SystemExit:\n    pass\n"
        "print('LOADED', sorted(m for m in sys.modules if m.startswith('brochure.commands.')"
        " and m != 'brochure.commands.common'))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip().endswith("LOADED ['brochure.commands.init']")
    listed = subprocess.run(
        [sys.executable, "-m", "brochure", "--help"], capture_output=True, text=True, check=True
    ).stdout
    from brochure.commands import COMMANDS

    assert len(COMMANDS) == 15
    for name in COMMANDS:
        assert re.search(rf"^  {name} ", listed, re.M), name


@pytest.mark.parametrize("command", [["status"], ["build"], ["check"], ["xliff", "export"]])
def test_run_from_a_folder_inside_the_project_names_the_project(
    invoke, tmp_path, monkeypatch, command
):
    """A hurried editor in the project's build/ or a sources subfolder: the error names the
    project folder above and how to give it, not `brochure init .` (a second project inside)."""
    folder = write_project(tmp_path / "p", BASE, {"a.md": "# A\n"})
    (folder / "notes" / "old").mkdir(parents=True)
    monkeypatch.chdir(folder / "notes" / "old")
    line = error_line(invoke(*command))
    assert line == (
        "Error: brochure.toml: no project file here; the project is the folder ../..: give it "
        "as the last argument (PROJECT) or run the command there"
    )
    assert not (folder / "notes" / "old" / "brochure.toml").exists()


def test_a_mistyped_project_folder_is_not_a_place_to_init(invoke, tmp_path, monkeypatch):
    """`brochure build projcet` (a typo): no such folder; it used to advise `brochure init .`."""
    monkeypatch.chdir(tmp_path)
    line = error_line(invoke("build", "projcet"))
    assert line == "Error: projcet: no such folder (PROJECT is a folder with brochure.toml)"
    line = error_line(invoke("memory", "export", "projcet"))
    assert line == "Error: projcet: no such folder (PROJECT is a folder with brochure.toml)"
    assert list(tmp_path.iterdir()) == []


def test_a_closed_pipe_ends_quietly(tmp_path):
    """`brochure glossary list | head -1`: the reader leaves early; the command stops without
    'Error: Broken pipe' (or a traceback at exit) on the terminal. The pipe is closed before the
    command writes, so the test does not depend on timing."""
    import os

    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "brochure", "glossary", "list"],
            stdout=write_end, stderr=subprocess.PIPE, cwd=tmp_path, timeout=120,
        )  # fmt: skip
    finally:
        os.close(write_end)
    assert proc.stderr.decode() == ""
    assert proc.returncode == 1


RU_TEXT = "Рабочие требуют повышения зарплат.\n\nПрофсоюзы должны быть независимы.\n"


def test_utf16_with_its_bom_is_read_and_added_as_utf8(invoke, tmp_path):
    """Notepad's and Excel's "Unicode" is UTF-16 with a BOM: unambiguous, so read (it was 'a
    binary file, not a TXT text' for `add` and 'not UTF-8' for `segments`); `add` writes UTF-8."""
    folder = write_project(tmp_path / "p", BASE.replace('"en"', '"ru"').replace('["ru"]', '["kk"]'),
                           {"a.md": "# А\n"})  # fmt: skip
    source = tmp_path / "appeal.txt"
    source.write_bytes(RU_TEXT.replace("\n", "\r\n").encode("utf-16"))
    assert source.read_bytes()[:2] == b"\xff\xfe"
    data = json.loads(invoke("segments", "--json", "--lang", "ru", source).stdout)
    assert [b["text"] for b in data["blocks"]] == [
        "Рабочие требуют повышения зарплат.", "Профсоюзы должны быть независимы."
    ]  # fmt: skip
    result = invoke("add", source, folder)
    assert result.exit_code == 0, result.output
    assert (folder / "appeal.md").read_text(encoding="utf-8") == RU_TEXT


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("a.txt", RU_TEXT.encode("cp1251"),
         "a.txt: not UTF-8 text (byte offset 0: it looks like Windows-1251 Cyrillic); save the file as UTF-8"),
        ("a.md", "Le comité a été créé à Paris.".encode("latin-1"),
         "a.md: not UTF-8 text (byte offset 8); save the file as UTF-8"),
    ],
    ids=["windows-1251", "latin-1"],
)  # fmt: skip
def test_a_source_in_another_encoding_says_which(invoke, tmp_path, name, data, expected):
    path = tmp_path / name
    path.write_bytes(data)
    assert error_line(invoke("segments", path)) == f"Error: {tmp_path}/{expected}"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("id\ten\tru\nrally\trally\tмитинг\n".encode("cp1251"),
         "terms.tsv:2: not UTF-8 text (it looks like Windows-1251 Cyrillic); save the file as UTF-8"),
    ],
    ids=["windows-1251"],  # UTF-16 with its BOM is read: test_glossary_cli
)  # fmt: skip
def test_a_glossary_from_a_spreadsheet_in_another_encoding_says_which(
    invoke, tmp_path, data, expected
):
    folder = write_project(tmp_path / "p", BASE, {"a.md": "# A\n"})
    sheet = tmp_path / "terms.tsv"
    sheet.write_bytes(data)
    before = snapshot(folder)
    assert (
        error_line(invoke("glossary", "import", sheet, folder)) == f"Error: {tmp_path}/{expected}"
    )
    assert snapshot(folder) == before


def test_preview_with_missing_translations_names_its_own_draft_flag(invoke, tmp_path):
    """`brochure preview` builds first; its error advised `brochure build --draft`, after which
    preview still failed the same way (it builds its own PDF): preview has --draft too."""
    folder = write_project(tmp_path / "p", BASE, {"a.md": "# Title\n\nOne sentence.\n"})
    result = invoke("preview", folder)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1].endswith(
        "or build anyway with --draft (`brochure build --draft`, `brochure preview --draft`)."
    )
    assert not (folder / "build").exists()


def test_a_project_file_notepad_saved(invoke, tmp_path):
    """brochure.toml saved by Windows' Notepad: a BOM and CRLF. It was 'line 1: invalid TOML';
    `brochure add` now keeps both (it turned every CRLF into LF)."""
    folder = write_project(tmp_path / "p", BASE, {"a.md": "# A\n\nThe strike goes on.\n"})
    toml = folder / "brochure.toml"
    toml.write_bytes(b"\xef\xbb\xbf" + BASE.replace("\n", "\r\n").encode("utf-8"))
    result = invoke("status", folder)
    assert result.exit_code == 0, result.output
    source = tmp_path / "second.txt"
    source.write_text("The second text is about the strike of the oil workers in the west.\n")
    assert invoke("add", source, folder).exit_code == 0
    assert toml.read_bytes() == b"\xef\xbb\xbf" + BASE.replace("\n", "\r\n").replace(
        '["a.md"]', '["a.md", "second.md"]'
    ).encode("utf-8")
    toml.write_bytes(BASE.encode("utf-16"))
    line = error_line(invoke("status", folder))
    assert line == (
        f"Error: {toml}: not UTF-8 text (byte offset 0: it is UTF-16, as Excel's 'Unicode Text' saves)"
    )

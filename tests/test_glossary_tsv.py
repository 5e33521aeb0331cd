"""The glossary TSV files: edits keep everything they do not change, byte for byte; bad rows fail
with file and line and leave the file alone; concurrent writers lose nothing."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from brochure.core.errors import GlossaryError
from brochure.glossary import tsv
from brochure.glossary.load import load_files

HEADER = "id\tdomain\tpos\ten\tru\tkk\tru_forbidden\tkk_forms\tflags\tnote\treviewer"
# A file as a translator's spreadsheet leaves it: BOM, CRLF endings, a comment between rows, an
# unknown column (reviewer), a quoted cell, no final line ending.
ORIGINAL = (
    "\ufeff# political terms, checked 2024\r\n"
    + HEADER
    + "\r\n"
    + "oligarch\teconomy\tnoun\toligarch\tолигарх\tолигарх\tмагнат\t\t\tа rich man\tAsel  \r\n"
    + "# the next one is tricky\r\n"
    + 'elbasy\tpeople\tproper-noun\tYelbası\tЕлбасы\tЕлбасы\t\tdat=Елбасына|gen=Елбасының\tindeclinable\t"title, not name"\tMarat\r\n'
    + "\r\n"
    + "strike\tlabour\tnoun\tstrike\tзабастовка\tереуіл\tстачка\t\t\t\t"
).encode("utf-8")


@pytest.fixture
def gfile(tmp_path) -> Path:
    path = tmp_path / "terms.tsv"
    path.write_bytes(ORIGINAL)
    return path


def test_read_keeps_values_and_unknown_columns(gfile):
    gf = tsv.GlossaryFile.read(gfile)
    assert gf.header[-1] == "reviewer"
    assert list(gf.rows) == ["oligarch", "elbasy", "strike"]
    assert gf.row("elbasy")["note"] == "title, not name"  # spreadsheet quoting removed
    concepts = {c.id: c for c, _ in gf.concepts()}
    assert concepts["elbasy"].forms["kk"] == {"dat": "Елбасына", "gen": "Елбасының"}
    assert concepts["elbasy"].indeclinable
    assert concepts["strike"].forbidden["ru"] == ("стачка",)
    assert gf.render() == ORIGINAL  # nothing changed -> the same bytes


def test_concepts_follow_edits_made_after_reading(gfile):
    # each row's concept is built once while the file is checked; an edit builds it again
    gf = tsv.GlossaryFile.read(gfile)
    gf.set("strike", {"ru_forbidden": "стачка|забастовочка", "kk_admitted": "стачка"})
    gf.remove("oligarch")
    gf.append({"id": "union", "en": "trade union", "ru": "профсоюз"})
    concepts = {c.id: c for c, _ in gf.concepts()}
    assert list(concepts) == ["elbasy", "strike", "union"]
    assert concepts["strike"].forbidden["ru"] == ("стачка", "забастовочка")
    assert concepts["strike"].admitted["kk"] == ("стачка",)
    assert concepts["union"].preferred["ru"] == "профсоюз"
    assert concepts["elbasy"].forms["kk"] == {"dat": "Елбасына", "gen": "Елбасының"}
    again = {c.id: c for c, _ in gf.concepts()}  # a second reading builds equal concepts
    assert again == concepts and again["strike"] is not concepts["strike"]


def test_edit_changes_only_the_cell(gfile):
    tsv.update(gfile, lambda gf: gf.set("oligarch", {"ru_forbidden": "магнат|богач"}))
    expected = ORIGINAL.replace("магнат\t".encode(), "магнат|богач\t".encode())
    assert gfile.read_bytes() == expected


def test_edit_of_quoted_row_keeps_the_other_cells(gfile):
    tsv.update(gfile, lambda gf: gf.set("elbasy", {"domain": "titles"}))
    expected = ORIGINAL.replace(b"elbasy\tpeople\t", b"elbasy\ttitles\t")
    assert gfile.read_bytes() == expected


def test_append_and_remove(gfile):
    tsv.update(gfile, lambda gf: gf.append({"id": "union", "en": "trade union", "ru": "профсоюз"}))
    data = gfile.read_bytes()
    assert data.startswith(
        ORIGINAL + b"\r\n"
    )  # the last row got its line ending, nothing else moved
    assert data.endswith("union\t\t\ttrade union\tпрофсоюз\t\t\t\t\t\t\r\n".encode())
    tsv.update(gfile, lambda gf: gf.remove("union"))
    assert gfile.read_bytes() == ORIGINAL + b"\r\n"
    tsv.update(gfile, lambda gf: gf.remove("oligarch"))
    lines = gfile.read_bytes().split(b"\r\n")
    assert lines[0] == "\ufeff# political terms, checked 2024".encode()
    assert lines[2] == b"# the next one is tricky"


def test_new_column_is_added_at_the_end(tmp_path):
    path = tmp_path / "mini.tsv"
    path.write_text("id\ten\tru\n# c\nworker\tworker\tрабочий\n", encoding="utf-8")
    tsv.update(path, lambda gf: gf.set("worker", {"kk": "жұмысшы"}))
    assert (
        path.read_text(encoding="utf-8")
        == "id\ten\tru\tkk\n# c\nworker\tworker\tрабочий\tжұмысшы\n"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("id\ten\tru\nworker\tworker\n", ":2: 2 columns, the header has 3"),
        ("id\ten\n# x\na\tone\na\ttwo\n", ":4: duplicate id 'a' (first at line 3)"),
        ("id\ten\tflags\na\tone\tloud\n", ":2: unknown flag 'loud'"),
        (
            "id\ten\tde_admitted\na\tone\tx\n",
            ":1: column 'de_admitted': invalid language code 'de'",
        ),
        ("id\tkk\tkk_forms\na\tбас\tdative=басқа\n", ":2: kk_forms: unknown form tag 'dative'"),
        ("en\tru\nworker\tрабочий\n", ":1: the header has no `id` column"),
        ("id\ten\n\tworker\n", ":2: the row has no id"),
    ],
)
def test_bad_rows_name_file_and_line(tmp_path, text, message):
    path = tmp_path / "bad.tsv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(GlossaryError) as info:
        tsv.GlossaryFile.read(path)
    assert str(info.value).startswith(f"{path}{message}")
    assert "\n" not in str(info.value)


def test_failed_update_leaves_the_file_unchanged(gfile):
    def change(gf):
        gf.set("oligarch", {"note": "new"})
        gf.append({"id": "oligarch", "en": "again"})  # duplicate: raises

    with pytest.raises(GlossaryError, match="exists already"):
        tsv.update(gfile, change)
    assert gfile.read_bytes() == ORIGINAL


def test_project_rows_override_builtin_cell_by_cell():
    builtin = (
        "<built-in>/political.tsv",
        "id\ten\tru\tkk\tnote\nelbasy\tYelbası\tЕлбасы\tЕлбасы\tx\n".encode(),
    )
    project = ("glossary/terms.tsv", "id\tru\tnote\nelbasy\tЕлбасы Н.\t\n".encode())
    tb = load_files([builtin, project])
    c = tb.get("elbasy")
    assert c.preferred == {"en": "Yelbası", "ru": "Елбасы Н.", "kk": "Елбасы"}
    assert c.note == "x"  # an empty cell inherits
    assert c.origin == "glossary/terms.tsv:2"


def test_two_processes_adding_100_entries_each_lose_nothing(tmp_path):
    (tmp_path / "brochure.toml").write_text(
        'title = "t"\nsource_language = "en"\ntarget_languages = ["ru"]\ndocuments = ["a.md"]\n',
        encoding="utf-8",
    )
    (tmp_path / "a.md").write_text("# A\n", encoding="utf-8")
    script = textwrap.dedent(
        """
        import sys
        from brochure.cli import cli
        tag = sys.argv[1]
        for i in range(100):
            try:
                cli(["glossary", "add", sys.argv[2], "--id", f"{tag}-{i}",
                     "--en", f"term {tag} {i}", "--ru", f"термин {i}"], standalone_mode=False)
            except SystemExit:
                pass
        """
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, tag, str(tmp_path)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )  # fmt: skip
        for tag in ("a", "b")
    ]
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err.decode()
    gf = tsv.GlossaryFile.read(tmp_path / "glossary" / "terms.tsv")
    assert len(gf.rows) == 200
    assert {f"{t}-{i}" for t in "ab" for i in range(100)} == set(gf.rows)

"""`brochure glossary ...` as a translator meets it: every subcommand, and bad input."""

from __future__ import annotations

import json

import pytest
from brochure.glossary import load
from conftest import snapshot, write_project

TOML = (
    'title = "T"\nsource_language = "en"\ntarget_languages = ["ru", "kk"]\ndocuments = ["a.md"]\n'
)
TERMS = (
    "# our terms\n"
    "id\ten\tru\tkk\tru_forbidden\tflags\tnote\tasked_by\n"
    "oligarch\toligarch\tолигарх\tолигарх\tмагнат\t\t\tAsel\n"
    "elbasy\tYelbası\tЕлбасы\tЕлбасы\t\tindeclinable\ta title\tMarat\n"
)
BUILTIN = "id\ten\tru\tkk\nstrike\tstrike\tзабастовка\tереуіл\n"


@pytest.fixture(autouse=True)
def small_builtin(monkeypatch):
    monkeypatch.setattr(
        load, "builtin_sources", lambda: [("<built-in>/political.tsv", BUILTIN.encode())]
    )
    # the termbases loaded here (the built-in one alone too) must not outlive this small built-in
    monkeypatch.setattr(load, "_cache", {})


@pytest.fixture
def project(tmp_path):
    return write_project(tmp_path / "p", TOML, {"a.md": "# A\n", "glossary/terms.tsv": TERMS})


def error_line(result) -> str:
    assert result.exit_code == 1, result.output
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.output
    return lines[0]


def test_list_and_search(invoke, project):
    result = invoke("glossary", "list", project)
    assert result.output.splitlines() == [
        "strike\tstrike\tзабастовка\tереуіл",
        "oligarch\toligarch\tолигарх\tолигарх",
        "elbasy\tYelbası\tЕлбасы\tЕлбасы",
    ]
    assert (
        invoke("glossary", "list", project, "--lang", "ru", "--search", "олиг").output
        == "oligarch\tолигарх\n"
    )
    data = json.loads(invoke("glossary", "list", project, "--json").output)
    assert data[1]["terms"]["ru"] == {
        "preferred": "олигарх",
        "admitted": [],
        "forbidden": ["магнат"],
    }


def test_show(invoke, project):
    out = invoke("glossary", "show", "elbasy", project).output
    assert "ru: Елбасы" in out and "flags: indeclinable" in out and "note: a title" in out
    assert (
        json.loads(invoke("glossary", "show", "oligarch", "--json", project).output)["id"]
        == "oligarch"
    )


def test_add_edit_remove_keep_the_rest_of_the_file(invoke, project):
    path = project / "glossary" / "terms.tsv"
    result = invoke("glossary", "add", project, "--en", "trade union", "--ru", "профсоюз",
                    "--kk", "кәсіподақ", "--kk-forms", "poss3=кәсіподағы", "--domain", "labour")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.output == f"added trade-union to {path}\n"
    # the new columns are added at the end of the header, and an empty cell to the other rows
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[1] == "id\ten\tru\tkk\tru_forbidden\tflags\tnote\tasked_by\tdomain\tkk_forms"
    assert lines[2] == "oligarch\toligarch\tолигарх\tолигарх\tмагнат\t\t\tAsel\t\t"
    assert (
        lines[4]
        == "trade-union\ttrade union\tпрофсоюз\tкәсіподақ\t\t\t\t\tlabour\tposs3=кәсіподағы"
    )
    invoke("glossary", "remove", "trade-union", project)
    assert invoke("glossary", "edit", "oligarch", "--note", "rich", project).exit_code == 0
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "# our terms"
    assert lines[2] == "oligarch\toligarch\tолигарх\tолигарх\tмагнат\t\trich\tAsel\t\t"


def test_edit_a_builtin_concept_writes_an_override(invoke, project):
    assert invoke("glossary", "edit", "strike", "--ru-forbidden", "стачка", project).exit_code == 0
    assert "strike\t\t\t\tстачка\t\t\t" in (project / "glossary" / "terms.tsv").read_text(
        encoding="utf-8"
    )
    data = json.loads(invoke("glossary", "show", "strike", "--json", project).output)
    assert data["terms"]["ru"] == {
        "preferred": "забастовка",
        "admitted": [],
        "forbidden": ["стачка"],
    }
    line = error_line(invoke("glossary", "remove", "nothing", project))
    assert line == "Error: no concept 'nothing' in the glossary (see `brochure glossary list`)"


def test_export_and_import(invoke, project, tmp_path):
    out = tmp_path / "all.tbx"
    assert invoke("glossary", "export", "--format", "tbx", "-o", out, project).exit_code == 0
    other = write_project(tmp_path / "q", TOML, {"a.md": "# A\n"})
    result = invoke("glossary", "import", out, other)
    assert result.exit_code == 0, result.output
    # matched by terms: the built-in `strike` is the same concept, not a new override
    assert "2 added, 0 merged, 1 unchanged, 0 conflicting" in result.output
    assert invoke("glossary", "list", other).output == invoke("glossary", "list", project).output
    csv_text = invoke("glossary", "export", "--format", "csv", project).output
    assert csv_text.splitlines()[0].startswith("id,domain,pos,en,ru,kk")


def test_lint(invoke, project):
    assert invoke("glossary", "lint", project).exit_code == 0
    path = project / "glossary" / "terms.tsv"
    path.write_text(TERMS + "rich\trich\tолигарх\t\tолигарх\t\t\t\n", encoding="utf-8")
    result = invoke("glossary", "lint", project)
    assert result.exit_code == 1
    assert f"{path}:5: error: rich: ru «олигарх» is both forbidden and approved" in result.output
    assert f"{path}:5: warning: rich: no preferred term in kk" in result.output
    assert (
        f"{path}:5: warning: rich: ru «олигарх» is also the preferred term of oligarch"
        in result.output
    )


@pytest.mark.parametrize(
    ("args", "bad", "expected"),
    [
        (
            ["add", "--en", "x"],
            "id\ten\tru\nok\tone\tуно\n# c\nbroken\ttwo\n",
            "terms.tsv:4: 2 columns, the header has 3",
        ),
        (
            ["add", "--en", "x"],
            "id\ten\nsame\tone\nsame\ttwo\n",
            "terms.tsv:3: duplicate id 'same' (first at line 2)",
        ),
        (
            ["edit", "ok", "--note", "n"],
            "id\ten\tflags\nok\tone\tshouty\n",
            "terms.tsv:2: unknown flag 'shouty'",
        ),
        (
            ["add", "--en", "x", "--flags", "loud"],
            "id\ten\nok\tone\n",
            "options: unknown flag 'loud'",
        ),
        (
            ["add", "--en", "x"],
            "id\ten\txx_forbidden\nok\tone\t\n",
            "terms.tsv:1: column 'xx_forbidden': invalid language code 'xx'",
        ),
        (["list", "--lang", "xx"], "id\ten\nok\tone\n", "--lang: invalid language code 'xx'"),
        (["show", "nope"], "id\ten\nok\tone\n", "no concept 'nope'"),
    ],
)
def test_bad_input_one_error_line_file_unchanged(invoke, tmp_path, args, bad, expected):
    project = write_project(tmp_path / "p", TOML, {"a.md": "# A\n", "glossary/terms.tsv": bad})
    before = snapshot(project / "glossary")
    line = error_line(invoke("glossary", *args, project))
    assert line.startswith("Error: ") and expected in line
    assert snapshot(project / "glossary") == before


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("bad.tbx", "<martif>\n<text><body>\n<termEntry></body>", "bad.tbx:3: malformed XML"),
        ("bad.csv", "id,en,ru\nx,one\n", "bad.csv:2: 2 columns, the header has 3"),
        ("bad.tsv", "id\ten\na\tb\ta\tc\n", "bad.tsv:2: 4 columns, the header has 2"),
        ("bad.docx", "x", "unknown glossary format '.docx'"),
    ],
)
def test_bad_import_names_file_and_line(invoke, project, tmp_path, name, content, expected):
    source = tmp_path / name
    source.write_text(content, encoding="utf-8")
    before = snapshot(project / "glossary")
    line = error_line(invoke("glossary", "import", source, project))
    assert line.startswith("Error: ") and expected in line
    assert snapshot(project / "glossary") == before


def test_writing_needs_a_project(invoke, tmp_path):
    line = error_line(invoke("glossary", "add", "--en", "x", tmp_path))
    assert "no project file here" in line
    assert not (tmp_path / "glossary").exists()


def test_lint_case_sensitive(invoke, project):
    """A case-sensitive concept's term is another word than a term differing only in letter case:
    the city «Ақтау» is not «ақтау» (rehabilitation); written the same, they still clash."""
    path = project / "glossary" / "terms.tsv"
    rows = (
        "aktau\tAktau\tАктау\tАқтау\t\tcase-sensitive\tcity\t\n"
        "rehab\trehabilitation\tреабилитация\tақтау\t\t\t\t\n"
    )
    path.write_text(TERMS + rows, encoding="utf-8")
    result = invoke("glossary", "lint", project)
    assert result.exit_code == 0, result.output
    assert "ақтау" not in result.output.casefold(), result.output
    path.write_text(TERMS + rows + "port\tport city\tпорт\tАқтау\t\t\t\t\n", encoding="utf-8")
    result = invoke("glossary", "lint", project)
    assert (
        f"{path}:7: warning: port: kk «Ақтау» is also the preferred term of aktau" in result.output
    )
    assert "of rehab" not in result.output


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["add", "--en", "(a+)+$"],
         "Error: --en: «(a+)+$» is not a term: the glossary matches words and would drop '$+', "
         "finding «a» instead; write the term as plain text"),
        (["add", "--en", "union", "--ru", "профсоюз", "--ru-forbidden", "a."],
         "Error: --ru-forbidden: «a.» is not a term: the glossary matches words and would find "
         "the single letter «a» everywhere; write the term as plain text"),
        (["add", "--en", "+++"],
         "Error: --en: «+++» is not a term: it has no words (the glossary matches words)"),
        (["edit", "oligarch", "--add-en-admitted", "oligarch*"],
         "Error: --add-en-admitted: «oligarch*» is not a term: the glossary matches words and "
         "would drop '*', finding «oligarch» instead; write the term as plain text"),
        (["edit", "oligarch", "--ru-admitted", "олигарх|(олигарх)+"],
         "Error: --ru-admitted: «(олигарх)+» is not a term: the glossary matches words and "
         "would drop '+', finding «олигарх» instead; write the term as plain text"),
    ],
)  # fmt: skip
def test_a_term_the_matcher_would_misread_is_refused(invoke, project, args, expected):
    before = snapshot(project / "glossary")
    assert error_line(invoke("glossary", *args, project)) == expected
    assert snapshot(project / "glossary") == before


def test_terms_with_prose_punctuation_are_kept_as_written(invoke, project):
    result = invoke("glossary", "add", "--en", "Council of Aksakals (Elders)", "--ru",
                    "Совет старейшин", "--en-admitted", "U.S. council|Shal, ket!", project)  # fmt: skip
    assert result.exit_code == 0, result.output
    shown = json.loads(invoke("glossary", "show", "council-of-aksakals-elders", "--json",
                              project).output)  # fmt: skip
    assert shown["terms"]["en"] == {"preferred": "Council of Aksakals (Elders)",
                                    "admitted": ["U.S. council", "Shal, ket!"], "forbidden": []}  # fmt: skip


def test_import_of_a_pattern_term_is_refused_and_lint_reports_one_written_by_hand(
    invoke, project, tmp_path
):
    source = tmp_path / "peer.tsv"
    source.write_text("id\ten\tru\nx\tunion\tсоюз\ny\t(a+)+$\tа\n", encoding="utf-8")
    before = snapshot(project / "glossary")
    line = error_line(invoke("glossary", "import", source, project))
    assert line.startswith(f"Error: {source}:3: en: «(a+)+$» is not a term: ")
    assert snapshot(project / "glossary") == before
    path = project / "glossary" / "terms.tsv"
    path.write_text(TERMS + "bad\t(a+)+$\tа\tа\t\t\t\t\n", encoding="utf-8")
    result = invoke("glossary", "lint", project)
    assert result.exit_code == 1
    assert (f"{path}:5: error: bad: en «(a+)+$» is not a term: the glossary matches words and "
            "would drop '$+', finding «a» instead; write the term as plain text") in result.output  # fmt: skip
    # loading refuses it too, naming the row: loaded, it would silently never match
    assert error_line(invoke("glossary", "list", project)) == (
        f"Error: {path}:5: en: «(a+)+$» is not a term: the glossary matches words and would drop "
        "'$+', finding «a» instead; write the term as plain text")  # fmt: skip
    assert snapshot(project / "glossary") != before  # the file as its author wrote it, kept


def test_export_to_dash_prints(invoke, project, monkeypatch):
    """`-o -` is standard output, as everywhere; it wrote a file named '-' in the folder."""
    monkeypatch.chdir(project)
    result = invoke("glossary", "export", "--format", "tsv", "-o", "-", ".")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1].startswith("id\tdomain\tpos\ten\tru\tkk")
    assert not (project / "-").exists()


def test_import_a_csv_excel_saved_with_semicolons(invoke, project, tmp_path):
    """Excel in a Russian or Kazakh locale saves "CSV" with semicolons (the comma is the decimal
    sign), with a BOM and CRLF: it read as one column ('the header has no `id` column')."""
    sheet = tmp_path / "from-excel.csv"
    sheet.write_bytes(
        "\ufeffid;en;ru;kk;note\r\n"
        'living-wage;living wage;достойная заработная плата;лайықты жалақы;"not the minimum; see ""wage"""\r\n'
        .encode("utf-8")
    )  # fmt: skip
    result = invoke("glossary", "import", sheet, project)
    assert result.exit_code == 0, result.output
    assert "1 added, 0 merged" in result.output
    shown = invoke("glossary", "show", "living-wage", project).output
    assert "ru: достойная заработная плата" in shown and "kk: лайықты жалақы" in shown
    assert 'note: not the minimum; see "wage"' in shown


@pytest.mark.parametrize("suffix", [".csv", ".tsv"])
def test_import_a_sheet_without_ids(invoke, project, tmp_path, suffix):
    """A translator's sheet has the languages' columns and no `id` (import matches concepts by
    their terms anyway): each new concept gets the id `glossary add` would make; a concept the
    glossary knows is merged; line numbers in messages stay the file's. It was refused: 'the
    header has no `id` column'."""
    sep = ";" if suffix == ".csv" else "\t"
    rows = [
        ["en", "ru", "kk", "note"],
        ["strike committee", "стачечный комитет", "ереуіл комитеті", ""],
        ["", "забастовочный комитет", "", "a second concept, Russian only"],
        ["oligarch", "", "", "a concept the glossary has: merged, not added"],
    ]
    sheet = tmp_path / f"sheet{suffix}"
    sheet.write_bytes(("\ufeff" + "\r\n".join(sep.join(r) for r in rows) + "\r\n").encode())
    result = invoke("glossary", "import", sheet, project)
    assert result.exit_code == 0, result.output
    assert "2 added, 1 merged" in result.output, result.output
    shown = invoke("glossary", "show", "strike-committee", project).output
    assert "ru: стачечный комитет" in shown and "kk: ереуіл комитеті" in shown
    listed = [ln.split("\t")[0] for ln in invoke("glossary", "list", project).output.splitlines()]
    assert listed[-2:] == ["strike-committee", "zabastovochnyy-komitet"], listed
    assert (
        "note: a concept the glossary has" in invoke("glossary", "show", "oligarch", project).output
    )
    # a row with a problem is named by its line in the file, as the translator counts them
    sheet.write_bytes(
        sep.join(rows[0]).encode() + b"\n" + sep.join(["a", "b", "c", "d", "e"]).encode()
    )
    result = invoke("glossary", "import", sheet, project)
    assert result.exit_code == 1
    assert f"{sheet}:2:" in result.output, result.output


@pytest.mark.parametrize("suffix", [".txt", ".csv"])
def test_import_excels_unicode_text_with_its_own_column_names(invoke, project, tmp_path, suffix):
    """Excel's 'Unicode Text' (UTF-16 LE with a BOM, tab-separated, CRLF), as a translator saves
    a sheet whose header says EN, Ru, KK, RU_Forbidden, Note and a column of their own: it was
    refused twice over ('not UTF-8 text (it is UTF-16 ...)'; then 'the header has no `id`
    column'). Now the columns are read whatever their case, and the one the glossary has no place
    for is named in a warning (its cells are not imported)."""
    rows = [
        ["EN", "Ru", "KK", "RU_Forbidden", "Note", "Checked by"],
        ["strike fund", "стачечный фонд", "ереуіл қоры", "забастовочная касса", "of a union", "Асель"],
        ["picket line", "линия пикета", "пикет шебі", "", "", "Марат"],
        ["oligarch", "", "", "", "a concept the glossary has: merged", ""],
    ]  # fmt: skip
    sheet = tmp_path / f"terms{suffix}"
    sheet.write_bytes("\r\n".join("\t".join(r) for r in rows).encode("utf-16") + b"\r\0\n\0")
    assert sheet.read_bytes()[:2] == b"\xff\xfe"
    result = invoke("glossary", "import", sheet, project)
    assert result.exit_code == 0, result.output
    assert "2 added, 1 merged" in result.stdout, result.output
    assert result.stderr.splitlines() == [
        f"{sheet}:1: warning: 'Checked by' is not a glossary column: its cells are not imported "
        "(the glossary's columns: id, domain, pos, en, ru, kk, en_admitted, ru_admitted, "
        "kk_admitted, en_forbidden, ru_forbidden, kk_forbidden, ru_forms, kk_forms, flags, note)"
    ]
    shown = invoke("glossary", "show", "strike-fund", project).output
    assert "ru: стачечный фонд" in shown and "kk: ереуіл қоры" in shown, shown
    assert "забастовочная касса" in shown and "note: of a union" in shown, shown
    assert "kk: пикет шебі" in invoke("glossary", "show", "picket-line", project).output
    assert "a concept the glossary has" in invoke("glossary", "show", "oligarch", project).output
    assert "Асель" not in (project / "glossary" / "terms.tsv").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "header",
    [["en-GB", "ru-RU", "kk-Cyrl-KZ"], ["English", "Russian", "Kazakh"],
     ["English", "Русский", "Қазақша"], ["EN_US", "RU_RU", "KK_KZ"]],
    ids=["regions", "names", "own-names", "underscores"],
)  # fmt: skip
def test_import_a_sheet_whose_language_columns_name_a_region_or_the_language(
    invoke, project, tmp_path, header
):
    """Sheets from other tools name the language columns by region (Phrase, Smartcat, Crowdin:
    en-GB, ru-RU) or by the language's name (memoQ's export: English, Russian; a translator's own:
    Русский, Қазақша): the sheet was refused ('the header has no `id` column')."""
    sheet = tmp_path / "terms.csv"
    rows = [[*header, "Note"], ["strike fund", "стачечный фонд", "ереуіл қоры", "of a union"]]
    sheet.write_text("\r\n".join(",".join(r) for r in rows) + "\r\n", encoding="utf-8-sig")
    result = invoke("glossary", "import", sheet, project)
    assert result.exit_code == 0, result.output
    assert "added strike-fund" in result.stdout and not result.stderr, result.output
    shown = invoke("glossary", "show", "strike-fund", project).output
    assert "ru: стачечный фонд" in shown and "kk: ереуіл қоры" in shown, shown


def test_a_glossary_saved_by_a_spreadsheet_with_trailing_tabs(invoke, project):
    """A BOM, CRLF, quoted cells and a tab past the last column on some rows: read, edited, and
    the rows not edited keep their bytes. The trailing tab was '6 columns, the header has 5'."""
    path = project / "glossary" / "terms.tsv"
    path.write_bytes(
        "\ufeffid\ten\tru\tkk\tnote\r\n"
        'sit-in\tsit-in\t"сидячая ""забастовка"""\t\t\t\r\n'
        "picket\tpicket\tпикет\tпикет\tone\t\t\r\n".encode("utf-8")
    )  # fmt: skip
    shown = invoke("glossary", "show", "sit-in", project)
    assert shown.exit_code == 0, shown.output
    assert 'ru: сидячая "забастовка"' in shown.output
    assert invoke("glossary", "lint", project).exit_code == 0
    result = invoke("glossary", "edit", "sit-in", "--note", "workers stay at their posts", project)
    assert result.exit_code == 0, result.output
    lines = path.read_bytes().decode("utf-8").split("\r\n")
    assert lines[1] == 'sit-in\tsit-in\t"сидячая ""забастовка"""\t\tworkers stay at their posts'
    assert lines[2] == "picket\tpicket\tпикет\tпикет\tone\t\t"  # not edited: byte for byte


def test_list_from_inside_a_project_says_the_project_glossary_is_not_read(
    invoke, project, monkeypatch
):
    """Outside any project `glossary list` shows the built-in glossary; from a project's
    subfolder it silently left the project's own concepts out."""
    (project / "notes").mkdir()
    monkeypatch.chdir(project / "notes")
    result = invoke("glossary", "list")
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        "Warning: brochure.toml: no project here, so the built-in glossary only; the project is "
        "the folder ..: give it as the last argument (PROJECT)"
    ]
    assert "elbasy\t" not in result.stdout  # a concept of the project's glossary/terms.tsv
    inside = invoke("glossary", "list", "..")
    assert inside.stderr == "" and "elbasy\tYelbası" in inside.stdout


# TBX as older tools and the TBX standard's own example write status: normativeAuthorization
# (ISO 12620: preferredTerm, supersededTerm ...) in an <ntig>'s <termGrp>; langSets ru-RU, kk-KZ.
NORMATIVE_TBX = """\
<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX" xml:lang="en">
  <martifHeader><fileDesc><sourceDesc><p>exported from a termbase</p></sourceDesc></fileDesc></martifHeader>
  <text><body>
    <termEntry id="c12">
      <langSet xml:lang="en-GB">
        <tig><term>strikebreaker</term>
          <termNote type="normativeAuthorization">preferredTerm</termNote></tig>
      </langSet>
      <langSet xml:lang="ru-RU">
        <tig><term>штрейкбрехер</term>
          <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></tig>
        <ntig><termGrp><term>скэб</term>
          <termNote type="normativeAuthorization">supersededTerm</termNote></termGrp></ntig>
      </langSet>
      <langSet xml:lang="kk-KZ">
        <tig><term>ереуіл бұзушы</term>
          <termNote type="normativeAuthorization">admittedTerm</termNote></tig>
      </langSet>
    </termEntry>
  </body></text>
</martif>
"""


def test_a_tbx_whose_statuses_are_normative_authorizations(invoke, project, tmp_path):
    """A superseded term given as normativeAuthorization was read as an admitted variant: the
    rendering the termbase forbids became one the check accepts. It is forbidden now."""
    path = tmp_path / "termbase.tbx"
    path.write_text(NORMATIVE_TBX, encoding="utf-8")
    result = invoke("glossary", "import", path, project)
    assert result.exit_code == 0, result.output
    assert "added strikebreaker" in result.output, result.output  # (c12 says nothing of it)
    shown = json.loads(invoke("glossary", "show", "strikebreaker", "--json", project).output)
    assert shown["terms"]["ru"] == {
        "preferred": "штрейкбрехер", "admitted": [], "forbidden": ["скэб"]
    }, shown  # fmt: skip
    assert shown["terms"]["kk"]["preferred"] == "ереуіл бұзушы", shown


# memoQ's term base export (CSV, semicolons, UTF-8 with a BOM): the entry's fields, then per
# language its definition and, for each term, the term and that term's own fields
MEMOQ_CSV = [
    ["Entry_ID", "Entry_Subject", "Entry_Domain", "Entry_Created", "Entry_Creator", "Entry_Note",
     "English_Def", "English", "Term_Info", "Term_Example",
     "Russian_Def", "Russian", "Term_Info", "Term_Example", "Russian", "Term_Info", "Term_Example",
     "Kazakh_Def", "Kazakh", "Term_Info", "Term_Example"],
    ["17", "labour", "", "3/14/2024 9:12:05 AM", "asel", "",
     "", "strike", "", "",
     "", "забастовка", "", "Рабочие объявили забастовку.", "стачка", "", "",
     "", "ереуіл", "", ""],
    ["18", "", "economy", "3/14/2024 9:13:40 AM", "asel", "take-home pay, not the rate",
     "", "minimum wage", "", "",
     "", "минимальная заработная плата", "", "", "минималка", "Forbidden", "",
     "", "ең төменгі жалақы", "", ""],
    ["19", "", "", "3/14/2024 9:15:02 AM", "marat", "",
     "", "NATO", "CaseSensitive", "",
     "", "НАТО", "CaseSensitive", "", "", "", "",
     "", "НАТО", "", ""],
]  # fmt: skip


def test_import_memoqs_term_base_export(invoke, project, tmp_path):
    """memoQ writes a term per column: the language's name once per term (Russian, Russian),
    each followed by the term's own Term_Info and Term_Example, entry fields first. It was
    refused ('the header has no `id` column', then 'column 'Russian' appears twice'). Now a
    second term is an admitted variant, one Term_Info marks forbidden a forbidden rendering, a
    case-sensitive term makes the concept case-sensitive, the example and the note go to the
    note, the subject to the domain; ids, dates and users are dropped without a warning."""
    sheet = tmp_path / "memoq export.csv"
    sheet.write_bytes(
        (
            "\ufeff"
            + "\r\n".join(";".join(f'"{c}"' if " " in c else c for c in row) for row in MEMOQ_CSV)
            + "\r\n"
        ).encode()
    )
    result = invoke("glossary", "import", sheet, project)
    assert result.exit_code == 0, result.output
    assert not result.stderr, result.stderr
    assert "2 added, 1 merged" in result.stdout, result.output
    strike = json.loads(invoke("glossary", "show", "strike", "--json", project).output)
    assert strike["terms"]["ru"]["admitted"] == ["стачка"], strike
    assert strike["note"] == "ru «забастовка»: Рабочие объявили забастовку.", strike
    assert strike["domain"] == "labour", strike
    wage = json.loads(invoke("glossary", "show", "minimum-wage", "--json", project).output)
    assert wage["terms"]["ru"] == {"preferred": "минимальная заработная плата", "admitted": [],
                                   "forbidden": ["минималка"]}, wage  # fmt: skip
    assert wage["terms"]["kk"]["preferred"] == "ең төменгі жалақы"
    assert wage["domain"] == "economy" and wage["note"] == "take-home pay, not the rate", wage
    nato = json.loads(invoke("glossary", "show", "nato", "--json", project).output)
    assert nato["flags"] == ["case-sensitive"] and nato["terms"]["kk"]["preferred"] == "НАТО"
    saved = (project / "glossary" / "terms.tsv").read_text(encoding="utf-8")
    assert "asel" not in saved and "2024" not in saved


def test_import_a_memoq_sheet_with_forbidden_columns_per_language(invoke, project, tmp_path):
    """The form of memoQ's export a translator edits by hand: `Russian_Def`, `Russian_Forbidden`
    (forbidden renderings, or a yes for the Russian term before it), and a matching setting the
    glossary has no place for, named in the warning."""
    rows = [
        ["English", "Russian", "Russian_Def", "Russian_Forbidden", "Kazakh", "Kazakh_Forbidden",
         "Term_Matching"],
        ["trade union", "профсоюз", "организация трудящихся", "тред-юнион", "кәсіподақ", "", "50% prefix"],
        ["strike fund", "забастовочная касса", "", "yes", "ереуіл қоры", "", ""],
    ]  # fmt: skip
    sheet = tmp_path / "terms.csv"
    sheet.write_text("\n".join(";".join(r) for r in rows) + "\n", encoding="utf-8")
    result = invoke("glossary", "import", sheet, project)
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith(f"{sheet}:1: warning: 'Term_Matching' is not a glossary column")
    shown = json.loads(invoke("glossary", "show", "trade-union", "--json", project).output)
    assert shown["terms"]["ru"] == {"preferred": "профсоюз", "admitted": [],
                                    "forbidden": ["тред-юнион"]}, shown  # fmt: skip
    assert shown["note"] == "ru: организация трудящихся", shown
    # a yes marks the Russian term before it forbidden: the concept has no Russian term yet
    fund = json.loads(invoke("glossary", "show", "strike-fund", "--json", project).output)
    assert fund["terms"]["ru"] == {"preferred": "", "admitted": [],
                                   "forbidden": ["забастовочная касса"]}, fund  # fmt: skip
    assert fund["terms"]["kk"]["preferred"] == "ереуіл қоры" and "2 added" in result.stdout


MULTITERM = """<?xml version="1.0" encoding="UTF-16"?>
<mtf>
  <conceptGrp>
    <concept>1</concept>
    <system type="entryClass">1</system>
    <transacGrp><transac type="origination">asel</transac><date>2024-03-14T09:12:05</date></transacGrp>
    <descripGrp><descrip type="Subject">labour</descrip></descripGrp>
    <descripGrp><descrip type="Definition">a strike by all the workers of a region or country</descrip></descripGrp>
    <languageGrp>
      <language type="English" lang="EN"/>
      <termGrp><term>general strike</term></termGrp>
    </languageGrp>
    <languageGrp>
      <language type="Russian" lang="RU"/>
      <termGrp><term>всеобщая забастовка</term>
        <descripGrp><descrip type="Status">Preferred</descrip></descripGrp></termGrp>
      <termGrp><term>генеральная стачка</term>
        <descripGrp><descrip type="Status">Forbidden</descrip></descripGrp></termGrp>
      <termGrp><term>всеобщая стачка</term></termGrp>
    </languageGrp>
    <languageGrp>
      <language type="Kazakh" lang="KK-KZ"/>
      <termGrp><term>жалпы ереуіл</term>
        <descripGrp><descrip type="Usage">Admitted</descrip></descripGrp></termGrp>
    </languageGrp>
    <languageGrp>
      <language type="German" lang="DE"/>
      <termGrp><term>Generalstreik</term></termGrp>
    </languageGrp>
  </conceptGrp>
  <conceptGrp>
    <concept>2</concept>
    <languageGrp><language type="English" lang="EN-US"/><termGrp><term>oligarch</term></termGrp></languageGrp>
    <languageGrp><language type="Russian" lang="ru_ru"/><termGrp><term>олигарх</term></termGrp>
      <termGrp><term>толстосум</term><descripGrp><descrip type="Status">Do not use</descrip></descripGrp></termGrp>
    </languageGrp>
  </conceptGrp>
</mtf>
"""


def test_import_multiterm_xml(invoke, project, tmp_path):
    """SDL MultiTerm's own XML export (<mtf>, UTF-16 as MultiTerm writes it, .xml): it was
    refused ('not a TBX file (root <mtf>...)'). Its terms, statuses from the termbase's own
    picklist, subject and definition are imported; the entry numbers are not ids."""
    path = tmp_path / "export.xml"
    path.write_bytes(MULTITERM.encode("utf-16"))
    result = invoke("glossary", "import", path, project)
    assert result.exit_code == 0, result.output
    assert "added general-strike" in result.stdout and "1 added, 1 merged" in result.stdout
    shown = json.loads(invoke("glossary", "show", "general-strike", "--json", project).output)
    assert shown["terms"]["ru"] == {"preferred": "всеобщая забастовка",
                                    "admitted": ["всеобщая стачка"],
                                    "forbidden": ["генеральная стачка"]}, shown  # fmt: skip
    assert shown["terms"]["kk"]["preferred"] == "жалпы ереуіл" and shown["domain"] == "labour"
    assert shown["note"] == "a strike by all the workers of a region or country", shown
    oligarch = json.loads(invoke("glossary", "show", "oligarch", "--json", project).output)
    assert oligarch["terms"]["ru"]["forbidden"] == ["магнат", "толстосум"], oligarch


def test_tbx_ids_from_other_tools(invoke, project, tmp_path):
    """A TBX entry's id was our concept's id: another tool's (c123, _x1F, a GUID, one with
    spaces) became the glossary's label, and two that read alike refused the file ('duplicate
    id'). Ids that say nothing of the concept give way to one made from its terms, one with
    spaces is written in our form, and our own export's `c-` before a digit is taken off."""
    entries = [
        ("c123", "picket", "пикет"), ("_x1F", "lockout", "локаут"),
        ("{5A8E0C2B-1D3F-4C6E-9B0A-7F2E3D4C5B6A}", "sit-in", "сидячая забастовка"),
        ("Strike Committee", "strike committee", "стачечный комитет"),
        ("strike-committee", "strike commission", "забастовочная комиссия"),
        ("c-1917-revolution", "February Revolution", "Февральская революция"),
    ]  # fmt: skip
    body = "".join(
        f'<termEntry id="{i}"><langSet xml:lang="en"><tig><term>{en}</term></tig></langSet>'
        f'<langSet xml:lang="ru"><tig><term>{ru}</term></tig></langSet></termEntry>'
        for i, en, ru in entries
    )
    path = tmp_path / "other.tbx"
    path.write_text(f'<martif type="TBX"><text><body>{body}</body></text></martif>', "utf-8")
    result = invoke("glossary", "import", path, project)
    assert result.exit_code == 0, result.output
    added = [ln.split()[1] for ln in result.stdout.splitlines() if ln.startswith("added ")]
    assert added == ["picket", "lockout", "sit-in", "strike-committee", "strike-committee-2",
                     "1917-revolution"], added  # fmt: skip
    listed = invoke("glossary", "list", project)
    assert listed.exit_code == 0 and "strike-committee-2\tstrike commission" in listed.output


@pytest.mark.parametrize(
    ("name", "expected"),
    [("terms.xlsx", "a spreadsheet workbook: save the sheet as CSV UTF-8"),
     ("Labour.sdltb", "a Trados MultiTerm termbase: export it from MultiTerm as TBX or MultiTerm XML"),
     ("memory.tmx", "a translation memory: `brochure memory import` takes it")],
)  # fmt: skip
def test_another_tools_own_termbase_is_refused_saying_what_to_export(
    invoke, project, tmp_path, name, expected
):
    """A workbook or a MultiTerm database was 'unknown glossary format '.xlsx' (use .tbx, .tsv,
    .csv)': the line now says what the file is and what to export from the tool that made it."""
    path = tmp_path / name
    path.write_bytes(b"PK\x03\x04" + b"\0" * 40)
    before = snapshot(project)
    line = error_line(invoke("glossary", "import", path, project))
    assert line.startswith(f"Error: {path}: {expected}"), line
    assert snapshot(project) == before


def test_a_sheet_with_a_title_above_its_header(invoke, project, tmp_path):
    """A translator's sheet often has a title row (and empty cells beside it) above the header:
    the sheet imported as nothing, without a word (the empty column names read as a column named
    twice, a memoQ layout with no term). The header is the first of the first lines that names a
    column the glossary knows; the title is kept out."""
    sheet = tmp_path / "terms.csv"
    sheet.write_text(
        "Глоссарий стачечного комитета;;\n;;\nEnglish;Russian;Kazakh\n"
        "strike fund;стачечный фонд;ереуіл қоры\npicket line;линия пикета;пикет шебі\n",
        encoding="utf-8",
    )
    result = invoke("glossary", "import", sheet, project)
    assert result.exit_code == 0, result.output
    assert "2 added" in result.stdout and not result.stderr, result.output
    assert "ru: стачечный фонд" in invoke("glossary", "show", "strike-fund", project).output
    saved = (project / "glossary" / "terms.tsv").read_text(encoding="utf-8")
    assert "Глоссарий" not in saved


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_a_sheet_whose_lines_end_in_a_carriage_return(invoke, project, tmp_path, encoding):
    """Excel for Mac saves text sheets with a carriage return alone at each line's end: the tab-
    separated sheet was read as one line, its rows as columns of the header ('3 columns, the
    header has 4')."""
    sheet = tmp_path / "terms.txt"
    rows = ["English\tRussian\tKazakh", "strike fund\tстачечный фонд\tереуіл қоры",
            "picket line\tлиния пикета\tпикет шебі"]  # fmt: skip
    sheet.write_bytes(("\r".join(rows) + "\r").encode(encoding))
    result = invoke("glossary", "import", sheet, project)
    assert result.exit_code == 0, result.output
    assert "2 added" in result.stdout and not result.stderr, result.output
    assert "kk: пикет шебі" in invoke("glossary", "show", "picket-line", project).output


def test_a_tbx_definition_given_for_a_language(invoke, project, tmp_path):
    """TBX-Basic puts a definition in the langSet (IATE's and Microsoft's termbases do): it was
    dropped without a word; it is the concept's note now, marked with its language."""
    path = tmp_path / "iate.tbx"
    path.write_text(
        """<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX-Basic" xml:lang="en"><text><body>
<termEntry id="IATE-1234567">
  <langSet xml:lang="en">
    <descripGrp><descrip type="definition">collective refusal to work by employees</descrip></descripGrp>
    <tig><term>work stoppage</term></tig></langSet>
  <langSet xml:lang="ru">
    <descrip type="definition">коллективный отказ работников от работы</descrip>
    <tig><term>прекращение работы</term></tig></langSet>
</termEntry>
</body></text></martif>""",
        encoding="utf-8",
    )
    result = invoke("glossary", "import", path, project)
    assert result.exit_code == 0, result.output
    shown = json.loads(invoke("glossary", "show", "work-stoppage", "--json", project).output)
    assert shown["note"] == (
        "en: collective refusal to work by employees ru: коллективный отказ работников от работы"
    ), shown

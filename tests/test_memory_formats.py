"""`brochure memory import` takes the translations people already have: TMX, XLIFF 1.2/2.x, PO.

Whatever the format, the file is normalised into a TMX 1.4b under memory/, and its pairs are
found by `memory search` and used by `translate`.
"""

from __future__ import annotations

import pytest
from conftest import snapshot
from test_cli import error_line

PO = """\
# Translations of a leaflet
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: ru\\n"

msgid "In Kazakhstan, there is now a real popular uprising."
msgstr "В Казахстане идёт настоящее народное восстание."

#, fuzzy
msgid "Solidarity with the strikers!"
msgstr "Солидарность?"

msgid "Not translated yet."
msgstr ""

msgid "Workers of all countries, unite!"
msgstr "Пролетарии всех стран, соединяйтесь!"
"""

XLIFF12 = """\
<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file original="leaflet.txt" source-language="en-US" target-language="kk-KZ" datatype="plaintext">
    <body>
      <trans-unit id="1"><source>Workers of all countries, unite!</source>
        <target state="translated">Барлық елдердің пролетарлары, бірігіңдер!</target></trans-unit>
      <trans-unit id="2"><source>Solidarity with the strikers!</source>
        <target state="needs-translation"></target></trans-unit>
      <trans-unit id="3"><source>Down with <g id="1" ctype="bold">repression</g>!</source>
        <target state="final">Қуғын-сүргін <g id="1" ctype="bold">жойылсын</g>!</target></trans-unit>
    </body>
  </file>
</xliff>
"""

XLIFF2 = """\
<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="ru">
  <file id="f1">
    <unit id="u1"><segment state="final"><source>Workers of all countries, unite!</source>
      <target>Пролетарии всех стран, соединяйтесь!</target></segment></unit>
    <unit id="u2"><segment><source>Only a source.</source></segment></unit>
  </file>
</xliff>
"""


def search(invoke, project, text, lang):
    result = invoke("memory", "search", text, "--lang", lang, project)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize(
    ("name", "content", "lang", "found", "units"),
    [
        ("leaflet.po", PO, "ru", "Пролетарии всех стран, соединяйтесь!", 2),
        ("leaflet.xlf", XLIFF12, "kk", "Барлық елдердің пролетарлары, бірігіңдер!", 2),
        ("leaflet.xliff", XLIFF2, "ru", "Пролетарии всех стран, соединяйтесь!", 1),
    ],
    ids=["po", "xliff-1.2", "xliff-2.0"],
)
def test_memory_import_takes_po_and_xliff(invoke, seed_project, tmp_path, name, content, lang,
                                         found, units):  # fmt: skip
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    result = invoke("memory", "import", path, seed_project)
    assert result.exit_code == 0, result.output
    dest = seed_project / "memory" / "leaflet.tmx"
    assert result.output == f"wrote {dest} ({units} units)\n"
    out = search(invoke, seed_project, "Workers of all countries, unite!", lang)
    assert out.startswith("100%") and found in out


def test_po_fuzzy_and_empty_entries_are_left_out(invoke, seed_project, tmp_path):
    path = tmp_path / "leaflet.po"
    path.write_text(PO, encoding="utf-8")
    assert invoke("memory", "import", path, seed_project).exit_code == 0
    assert "no match" in search(invoke, seed_project, "Solidarity with the strikers!", "ru")
    assert "no match" in search(invoke, seed_project, "Not translated yet.", "ru")


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("bad.po", 'msgid "a"\nmsgstr "b"\nnonsense\n', "bad.po: Syntax error in po file (line 3)"),
        ("nolang.po", 'msgid "a"\nmsgstr "b"\n', "nolang.po: no Language in the PO header"),
        ("bad.xlf", "<xliff version='1.2'><file>", "bad.xlf:1: malformed XLIFF"),
        ("other.xlf", XLIFF12.replace('source-language="en-US"', 'source-language="de"'),
         "other.xlf: source language 'de', the project's is 'en'"),
    ],
)  # fmt: skip
def test_bad_memory_files_are_one_line(invoke, seed_project, tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    before = snapshot(seed_project)
    line = error_line(invoke("memory", "import", path, seed_project))
    assert line.startswith(f"Error: {path.parent}") and expected in line, line
    assert snapshot(seed_project) == before


# A Trados Studio bilingual file: each paragraph a <trans-unit>, its sentences <mrk mtype="seg">
# in <seg-source> and <target>, their confirmation in sdl:seg-defs; UTF-8 with a BOM.
SDLXLIFF = """\
<?xml version="1.0" encoding="utf-8"?><xliff xmlns:sdl="http://sdl.com/FileTypes/SdlXliff/1.0" xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2" sdl:version="1.0">
<file original="C:\\Projects\\leaflet.docx" datatype="x-sdlfilterframework2" source-language="en-US" target-language="ru-RU">
<header><tag-defs><tag id="5"><bpt name="b" word-end="false">&lt;b&gt;</bpt><ept name="b">&lt;/b&gt;</ept></tag></tag-defs></header>
<body>
<group><sdl:cxts><sdl:cxt id="1"/></sdl:cxts>
<trans-unit id="0f7c5a64-8c1e-4f7a-9d0b-1b2c3d4e5f60">
<source>The strike continues. The workers demand a wage increase.</source>
<seg-source><mrk mtype="seg" mid="1">The strike continues.</mrk> <mrk mtype="seg" mid="2">The workers demand a wage increase.</mrk></seg-source>
<target><mrk mtype="seg" mid="1">Забастовка продолжается.</mrk> <mrk mtype="seg" mid="2">Рабочие требуют</mrk></target>
<sdl:seg-defs><sdl:seg id="1" conf="Translated" origin="interactive"/><sdl:seg id="2" conf="Draft" origin="interactive"/></sdl:seg-defs>
</trans-unit>
</group>
<trans-unit id="1a2b3c4d-0000-4000-8000-000000000002">
<source>Long live the <g id="5">independent</g> trade unions!</source>
<seg-source><mrk mtype="seg" mid="3">Long live the <g id="5">independent</g> trade unions!</mrk></seg-source>
<target><mrk mtype="seg" mid="3">Да здравствуют <g id="5">независимые</g> профсоюзы!</mrk></target>
<sdl:seg-defs><sdl:seg id="3" conf="ApprovedSignOff" origin="interactive" percent="100"/></sdl:seg-defs>
</trans-unit>
<trans-unit id="1a2b3c4d-0000-4000-8000-000000000003">
<source>Free all political prisoners!</source>
<seg-source><mrk mtype="seg" mid="4">Free all political prisoners!</mrk></seg-source>
<target><mrk mtype="seg" mid="4">Free all political prisoners!</mrk></target>
<sdl:seg-defs><sdl:seg id="4"/></sdl:seg-defs>
</trans-unit>
</body></file></xliff>
"""


def test_a_trados_sdlxliff_gives_its_confirmed_sentences(invoke, seed_project, tmp_path):
    """A translator's Trados file (.sdlxliff) was 'not a TMX file (root <xliff>)'; read as XLIFF
    it would give whole paragraphs, drafts and untranslated copies of the source too. Each
    sentence Trados holds as translated comes in, paired by its mid; a Draft and a segment with
    no confirmation (its target a copy of the source) do not."""
    path = tmp_path / "leaflet.docx.sdlxliff"
    path.write_bytes(("\ufeff" + SDLXLIFF.replace("\n", "\r\n")).encode("utf-8"))
    result = invoke("memory", "import", path, seed_project)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"wrote {seed_project / 'memory' / 'leaflet.docx.tmx'} (2 units)\n"
    assert result.stderr == (
        f"{path}: warning: 2 segments with a target left out: the file marks them as not "
        "translated (state new or needs-translation, or a Trados sentence not confirmed as "
        "translated)\n"
    )
    out = search(invoke, seed_project, "The strike continues.", "ru")
    assert out.startswith("100%") and "Забастовка продолжается." in out, out
    assert "Рабочие" not in out
    out = search(invoke, seed_project, "Long live the independent trade unions!", "ru")
    assert out.startswith("100%") and "Да здравствуют независимые профсоюзы!" in out, out
    assert "no match" in search(invoke, seed_project, "The workers demand a wage increase.", "ru")
    assert "no match" in search(invoke, seed_project, "Free all political prisoners!", "ru")


# XLIFF 2 as a simple converter writes it (a script, an aligner, a CMS export): targets, and no
# segment with a state, which XLIFF 2 reads as state initial
XLIFF2_NO_STATES = """\
<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en-GB" trgLang="kk-KZ">
  <file id="leaflet">
    <unit id="1"><segment><source>Workers of all countries, unite!</source>
      <target>Барлық елдердің пролетарлары, бірігіңдер!</target></segment></unit>
    <unit id="2"><segment><source>The strike continues.</source>
      <target>Ереуіл жалғасуда.</target></segment></unit>
    <unit id="3"><segment><source>Not translated yet.</source></segment></unit>
  </file>
</xliff>
"""


def test_an_xliff_2_whose_segments_have_no_state(invoke, seed_project, tmp_path):
    """XLIFF 2's default state is initial, so a converter's file that gives no segment a state
    imported as nothing, without a word ('wrote ... (0 units)'). A file that marks no segment
    at all holds its translations in its targets: they are imported. Where the file does mark
    states, a segment without one is initial as the standard says: left out, and counted."""
    path = tmp_path / "leaflet.xlf"
    path.write_text(XLIFF2_NO_STATES, encoding="utf-8")
    result = invoke("memory", "import", path, seed_project)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"wrote {seed_project / 'memory' / 'leaflet.tmx'} (2 units)\n"
    assert not result.stderr, result.stderr
    out = search(invoke, seed_project, "The strike continues.", "kk")
    assert out.startswith("100%") and "Ереуіл жалғасуда." in out, out

    marked = XLIFF2_NO_STATES.replace(
        '<unit id="2"><segment>', '<unit id="2"><segment state="final">'
    )
    path.write_text(marked, encoding="utf-8")
    result = invoke("memory", "import", path, seed_project)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"replaced {seed_project / 'memory' / 'leaflet.tmx'} (1 units)\n"
    assert result.stderr == (
        f"{path}: warning: 1 segment with a target left out: the file marks it as not "
        "translated (state initial, or none given)\n"
    )
    assert "no match" in search(invoke, seed_project, "Workers of all countries, unite!", "kk")


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Main.sdltm", "a Trados Studio translation memory: export it as TMX"),
     ("leaflet.docx.mqxlz", "a memoQ bilingual file, zipped: export it as XLIFF (.mqxliff)"),
     ("terms.tbx", "a termbase: `brochure glossary import` takes it")],
)  # fmt: skip
def test_another_tools_own_memory_is_refused_saying_what_to_export(
    invoke, seed_project, tmp_path, name, expected
):
    """A Trados .sdltm (an SQLite database) was read as TMX: 'malformed TMX: Start tag expected'.
    The line now says what the file is and what to export from the tool that made it."""
    path = tmp_path / name
    path.write_bytes(b"SQLite format 3\0" + b"\0" * 40)
    before = snapshot(seed_project)
    line = error_line(invoke("memory", "import", path, seed_project))
    assert line.startswith(f"Error: {path}: {expected}"), line
    assert snapshot(seed_project) == before

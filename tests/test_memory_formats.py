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

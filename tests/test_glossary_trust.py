"""Glossary paths that used to corrupt the file or lose terms without a word.

- Values holding a character Python counts as a line break (U+2028, U+2029, U+0085, \\x0b,
  \\x0c, \\x1c-\\x1e) never reach the TSV, and a file already damaged by one still reads well
  enough to `remove` the row.
- TBX import matches concepts by their terms, never by the file's ids; each concept is reported as
  added, merged, unchanged or conflicting; per-term notes are kept; re-importing a full export
  changes nothing (built-in concepts do not become project overrides).
- `glossary edit` adds and removes single admitted/forbidden variants beside replacing the list.
"""

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
    "id\ten\tru\tkk\tru_admitted\tru_forbidden\tnote\n"
    "oligarch\toligarch\tолигарх\tолигарх\tмагнат\t\t\n"
)
BUILTIN = "id\ten\tru\tkk\tru_admitted\nstrike\tstrike\tзабастовка\tереуіл\tстачка\n"
BREAKERS = ["\u2028", "\u2029", "\u0085", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e"]


@pytest.fixture(autouse=True)
def small_builtin(monkeypatch):
    monkeypatch.setattr(
        load, "builtin_sources", lambda: [("<built-in>/political.tsv", BUILTIN.encode())]
    )


@pytest.fixture
def project(tmp_path):
    return write_project(tmp_path / "p", TOML, {"a.md": "# A\n", "glossary/terms.tsv": TERMS})


def one_error(result) -> str:
    assert result.exit_code == 1, result.output
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "Traceback" not in result.output, result.output
    return lines[0]


def show(invoke, project, cid) -> dict:
    result = invoke("glossary", "show", cid, "--json", project)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.mark.parametrize("char", BREAKERS, ids=[f"U+{ord(c):04X}" for c in BREAKERS])
def test_a_line_breaking_character_is_refused_and_the_file_stays(invoke, project, char):
    before = snapshot(project / "glossary")
    line = one_error(invoke("glossary", "add", "--en", f"picket{char}line", "--ru", "пикет",
                            project))  # fmt: skip
    assert line.startswith("Error: ") and "line break" in line and f"U+{ord(char):04X}" in line
    line = one_error(invoke("glossary", "edit", "oligarch", "--note", f"a{char}b", project))
    assert "line break" in line
    assert snapshot(project / "glossary") == before
    assert invoke("glossary", "list", project).exit_code == 0


@pytest.mark.parametrize("char", BREAKERS, ids=[f"U+{ord(c):04X}" for c in BREAKERS])
def test_a_damaged_file_still_reads_and_the_row_can_be_removed(invoke, project, char):
    """A file written by an older version (or a spreadsheet) with the character inside a cell."""
    path = project / "glossary" / "terms.tsv"
    path.write_text(TERMS + f"picket\tpicket{char}line\tпикет\t\t\t\t\n", encoding="utf-8")
    result = invoke("glossary", "list", project)
    assert result.exit_code == 0, result.output
    assert "picket" in result.output and "oligarch" in result.output
    assert invoke("check", project).exit_code in (0, 1)  # runs; no traceback
    result = invoke("glossary", "remove", "picket", project)
    assert result.exit_code == 0, result.output
    assert path.read_text(encoding="utf-8") == TERMS


def test_a_tbx_term_with_a_line_separator_is_imported_as_one_line(invoke, project, tmp_path):
    tbx = tmp_path / "peer.tbx"
    tbx.write_text(
        '<martif type="TBX" xml:lang="en"><text><body><termEntry id="x">'
        '<langSet xml:lang="en"><tig><term>picket\u2028line</term></tig></langSet>'
        '<langSet xml:lang="ru"><tig><term>пикет</term></tig></langSet>'
        "</termEntry></body></text></martif>",
        encoding="utf-8",
    )
    result = invoke("glossary", "import", tbx, project)
    assert result.exit_code == 0, result.output
    assert invoke("glossary", "list", project).exit_code == 0
    assert "picket line" in invoke("glossary", "list", project).output


V2 = """<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX-Basic" xml:lang="en">
<martifHeader><fileDesc><sourceDesc><p>peer A</p></sourceDesc></fileDesc></martifHeader>
<text><body>
<termEntry id="c1">
  <langSet xml:lang="en"><tig><term>general strike</term></tig></langSet>
  <langSet xml:lang="ru"><tig><term>всеобщая забастовка</term>
    <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote>
    <note>used by the unions since 2011</note></tig></langSet>
</termEntry>
</body></text></martif>
"""
V3 = """<?xml version="1.0" encoding="UTF-8"?>
<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">
<tbxHeader><fileDesc><sourceDesc><p>peer B</p></sourceDesc></fileDesc></tbxHeader>
<text><body>
<conceptEntry id="c1">
  <langSec xml:lang="kk"><termSec><term>Елбасы</term>
    <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec></langSec>
  <langSec xml:lang="ru"><termSec><term>Вождь нации</term>
    <termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></termSec></langSec>
</conceptEntry>
</body></text></tbx>
"""


@pytest.mark.parametrize("order", [("v2", "v3"), ("v3", "v2")])
def test_tbx_files_with_clashing_ids_keep_both_concepts(invoke, project, tmp_path, order):
    files = {"v2": tmp_path / "a.tbx", "v3": tmp_path / "b.tbx"}
    files["v2"].write_text(V2, encoding="utf-8")
    files["v3"].write_text(V3, encoding="utf-8")
    for name in order:
        result = invoke("glossary", "import", files[name], project)
        assert result.exit_code == 0, result.output
        assert "1 added" in result.output, result.output
    concepts = json.loads(invoke("glossary", "list", "--json", project).output)
    by_term = {}
    for c in concepts:
        for terms in c["terms"].values():
            if terms["preferred"]:
                by_term[terms["preferred"]] = c
    strike, leader = by_term["всеобщая забастовка"], by_term["Елбасы"]
    assert strike["id"] != leader["id"]
    assert strike["terms"]["en"]["preferred"] == "general strike"
    assert "kk" not in strike["terms"] or not strike["terms"]["kk"]["preferred"]
    assert leader["terms"]["ru"]["forbidden"] == ["Вождь нации"]
    assert "en" not in leader["terms"] or not leader["terms"]["en"]["preferred"]
    assert "used by the unions since 2011" in strike["note"]  # the per-term note is kept


def test_tbx_import_reports_added_merged_unchanged_and_conflicting(invoke, project, tmp_path):
    tbx = tmp_path / "peer.tbx"
    tbx.write_text(
        """<martif type="TBX" xml:lang="en"><text><body>
<termEntry id="oligarch"><langSet xml:lang="en"><tig><term>oligarch</term></tig></langSet>
  <langSet xml:lang="ru"><tig><term>олигарх</term></tig></langSet></termEntry>
<termEntry id="t2"><langSet xml:lang="ru"><tig><term>забастовка</term></tig>
  <tig><term>стачка</term><termNote type="administrativeStatus">admittedTerm-admn-sts</termNote></tig>
  <tig><term>забастовочка</term><termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></tig>
  </langSet></termEntry>
<termEntry id="t3"><langSet xml:lang="en"><tig><term>tycoon</term></tig></langSet>
  <langSet xml:lang="ru"><tig><term>магнат</term></tig></langSet></termEntry>
<termEntry id="t4"><langSet xml:lang="en"><tig><term>picket</term></tig></langSet>
  <langSet xml:lang="ru"><tig><term>пикет</term></tig></langSet></termEntry>
</body></text></martif>""",
        encoding="utf-8",
    )
    result = invoke("glossary", "import", tbx, project)
    out = result.output
    # oligarch: the same terms -> unchanged; t2 matches the built-in `strike` by its terms and
    # brings a forbidden variant -> merged; t3's preferred ru "магнат" is only admitted for
    # oligarch while its en differs -> conflicting; t4 -> added
    assert result.exit_code == 3, out
    assert "1 added, 1 merged, 1 unchanged, 1 conflicting" in out
    conflict = [ln for ln in result.stderr.splitlines() if "conflict" in ln]
    assert len(conflict) == 1 and f"{tbx}:" in conflict[0] and "oligarch" in conflict[0]
    strike = show(invoke, project, "strike")
    assert strike["terms"]["ru"]["forbidden"] == ["забастовочка"]
    assert strike["terms"]["ru"]["admitted"] == ["стачка"]
    # the file's id t4 says nothing of the concept (another tool's numbering): one is made from
    # its terms, as `glossary add` makes one
    assert show(invoke, project, "picket")["terms"]["ru"]["preferred"] == "пикет"


def test_reimporting_a_full_export_changes_nothing(invoke, project, tmp_path):
    out = tmp_path / "all.tbx"
    assert invoke("glossary", "export", "-o", out, project).exit_code == 0
    before = snapshot(project / "glossary")
    result = invoke("glossary", "import", out, project)
    assert result.exit_code == 0, result.output
    assert "0 added, 0 merged, 2 unchanged, 0 conflicting" in result.output
    assert snapshot(project / "glossary") == before  # `strike` did not become an override


def test_edit_adds_and_removes_single_variants(invoke, project):
    result = invoke("glossary", "edit", "strike", "--add-ru-admitted", "стачка рабочих",
                    "--add-ru-forbidden", "забастовочка", project)  # fmt: skip
    assert result.exit_code == 0, result.output
    ru = show(invoke, project, "strike")["terms"]["ru"]
    assert ru["admitted"] == ["стачка", "стачка рабочих"]  # the built-in variant stays
    assert ru["forbidden"] == ["забастовочка"]
    result = invoke("glossary", "edit", "strike", "--remove-ru-admitted", "стачка", project)
    assert result.exit_code == 0, result.output
    assert show(invoke, project, "strike")["terms"]["ru"]["admitted"] == ["стачка рабочих"]
    result = invoke("glossary", "edit", "oligarch", "--add-ru-admitted", "богач", project)
    assert result.exit_code == 0
    assert show(invoke, project, "oligarch")["terms"]["ru"]["admitted"] == ["магнат", "богач"]
    line = one_error(invoke("glossary", "edit", "oligarch", "--remove-ru-admitted", "нет такого",
                            project))  # fmt: skip
    assert "нет такого" in line and "not an admitted ru variant of oligarch" in line
    # replacing the whole list still works
    assert (
        invoke("glossary", "edit", "oligarch", "--ru-admitted", "толстосум", project).exit_code == 0
    )
    assert show(invoke, project, "oligarch")["terms"]["ru"]["admitted"] == ["толстосум"]

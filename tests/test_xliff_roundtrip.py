"""Round trip with CAT tools: XLIFF 1.2/2.1 export, edits by another tool, import, conflicts, bad input."""

from __future__ import annotations

import re

import pytest
from brochure.core.datamodel import RichText
from brochure.core.project import load_project
from brochure.store.xliff import open_store
from conftest import snapshot
from test_cli import error_line

DOC = "statement-2022-01-07"
UPRISING = "sb8ecbf7db85d"  # In Kazakhstan, there is now a real popular uprising.
CAUSE = "sb21b1fa92c8e"  # From the very beginning the protests were ...
ZHANAOZEN = "s502bcfb596e7"  # After all, the protests began in Zhanaozen ...
TITLE = "s3ff60a8b6efa"  # Statement of the Socialist Movement of Kazakhstan


@pytest.fixture
def xliff_tt():
    return pytest.importorskip("translate.storage.xliff")


def store_of(project_dir, lang="ru"):
    project = load_project(project_dir)
    return open_store(project, next(d for d in project.documents if d.name == DOC), lang)


def prepare(project_dir):
    """Give the seed store an MT draft and a missing target, as a project in progress has."""
    store = store_of(project_dir)
    store.set_target(
        CAUSE,
        RichText("Машинный черновик."),
        "translated",
        meta={"origin": "mt", "engine": "argos"},
    )
    seg = store.tree.getroot().find(f".//{{*}}unit[@id='{ZHANAOZEN}']/{{*}}segment")
    seg.remove(seg.find("{*}target"))
    seg.set("state", "initial")
    store.changed = True
    store.save()


def export(invoke, project_dir, out, *args):
    result = invoke("xliff", "export", project_dir, "--lang", "ru", "-o", out, *args)
    assert result.exit_code == 0, result.output
    return out / f"{DOC}.en-ru.xlf"


def test_export_opens_in_another_tool_with_states(invoke, seed_project, tmp_path, xliff_tt):
    prepare(seed_project)
    path = export(invoke, seed_project, tmp_path / "x")
    assert sorted(p.name for p in (tmp_path / "x").iterdir()) == [
        "programme-part-1.en-ru.xlf",
        f"{DOC}.en-ru.xlf",
    ]
    store = xliff_tt.xlifffile.parsefile(str(path))
    assert store.getsourcelanguage() == "en" and store.gettargetlanguage() == "ru"
    units = {u.getid().split("\x04")[-1]: u for u in store.units}
    assert len(units) == 35
    assert units[UPRISING].source == "In Kazakhstan, there is now a real popular uprising."
    assert units[UPRISING].isapproved()
    assert not units[ZHANAOZEN].target
    assert units[CAUSE].xmlelement.find("{*}target").get("state") == "needs-review-translation"
    assert units[CAUSE].xmlelement.find("{*}target").get("state-qualifier") == "mt-suggestion"
    # the emphasis of the dateline is an inline <g>, as CAT tools show tags
    assert b'<source><g id="1" ctype="italic">Friday 7 January 2022' in path.read_bytes()


def test_edits_by_translate_toolkit_import_with_states_and_notes(
    invoke, seed_project, tmp_path, xliff_tt
):
    prepare(seed_project)
    path = export(invoke, seed_project, tmp_path / "x")
    store = xliff_tt.xlifffile.parsefile(str(path))
    units = {u.getid().split("\x04")[-1]: u for u in store.units}
    units[
        ZHANAOZEN
    ].target = "Ведь протесты начались в Жанаозене."  # a new translation: tt marks it approved
    units[
        CAUSE
    ].target = "С самого начала протесты носили социальный характер."  # MT post-edited ...
    units[CAUSE].set_state_n(units[CAUSE].S_SIGNED_OFF + 1)  # ... and made final
    units[CAUSE].markapproved(True)
    units[UPRISING].target = "В Казахстане идёт настоящее народное восстание."
    units[UPRISING].markapproved(False)
    units[UPRISING].set_state_n(units[UPRISING].S_NEEDS_REVIEW)
    units[UPRISING].addnote("Checked with the editor.", origin="translator")
    path.write_bytes(bytes(store))

    result = invoke("xliff", "import", path, seed_project)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == (
        "3 unit(s) updated, 32 unchanged, 0 changed only in the project, 0 conflict(s), 1 note(s) added"
    )
    ours = store_of(seed_project)
    unit = ours.get(ZHANAOZEN)
    assert (unit.target.text, unit.state, unit.meta["origin"]) == (
        "Ведь протесты начались в Жанаозене.",
        "reviewed",  # approved="yes" is honoured
        "human",
    )
    unit = ours.get(CAUSE)
    assert (unit.target.text, unit.state) == (
        "С самого начала протесты носили социальный характер.",
        "final",
    )
    assert unit.meta == {"origin": "human", "engine": "argos", "via": "xliff"}
    unit = ours.get(UPRISING)
    assert (unit.target.text, unit.state) == (
        "В Казахстане идёт настоящее народное восстание.",
        "translated",
    )
    assert [(n.text, n.category) for n in unit.notes] == [
        ("Checked with the editor.", "translator")
    ]
    assert ours.get(TITLE).state == "final"
    # importing the same file again changes nothing
    before = snapshot(seed_project / "translations")
    again = invoke("xliff", "import", path, seed_project)
    assert again.output.splitlines()[-1].startswith("0 unit(s) updated, 35 unchanged")
    assert snapshot(seed_project / "translations") == before


def test_a_unit_changed_on_both_sides_is_reported_not_applied(
    invoke, seed_project, tmp_path, xliff_tt
):
    path = export(invoke, seed_project, tmp_path / "x")
    store = xliff_tt.xlifffile.parsefile(str(path))
    units = {u.getid().split("\x04")[-1]: u for u in store.units}
    units[UPRISING].target = "Версия переводчика."
    units[TITLE].target = "Заявление СДК"
    path.write_bytes(bytes(store))
    ours = store_of(seed_project)  # meanwhile the editor changes the same unit in the project
    ours.set_target(UPRISING, RichText("Версия редактора."), "final", meta={"origin": "human"})
    ours.set_target(CAUSE, RichText("Только в проекте."), "final", meta={"origin": "human"})
    ours.save()

    result = invoke("xliff", "import", path, seed_project)
    assert result.exit_code == 3  # a unit was not applied
    conflict = [line for line in result.stderr.splitlines() if line.startswith("conflict:")]
    assert len(conflict) == 1
    assert conflict[0].startswith(f"conflict: {path}:")
    assert conflict[0].endswith(f"unit {UPRISING} changed both in the project and in this file since export; "
                                "kept the project's target 'Версия редактора.', not 'Версия переводчика.'")  # fmt: skip
    assert result.stdout.splitlines()[-1] == (
        "1 unit(s) updated, 32 unchanged, 1 changed only in the project, 1 conflict(s), 0 note(s) added"
    )
    ours = store_of(seed_project)
    assert ours.get(UPRISING).target.text == "Версия редактора."
    assert ours.get(CAUSE).target.text == "Только в проекте."
    assert ours.get(TITLE).target.text == "Заявление СДК"


def test_xliff_21_round_trip_keeps_emphasis(invoke, seed_project, tmp_path):
    path = export(invoke, seed_project, tmp_path / "x", "--version", "2.1")
    text = path.read_text(encoding="utf-8")
    assert 'version="2.1"' in text and 'brochure:project="sdk"' in text
    assert (
        invoke("xliff", "import", path, seed_project)
        .output.splitlines()[-1]
        .startswith("0 unit(s) updated, 35 unchanged")
    )
    old = "<target>В Казахстане сейчас происходит настоящее народное восстание.</target>"
    assert old in text
    path.write_text(text.replace(old, '<target>В Казахстане <pc id="1" subType="xlf:i" type="fmt">сейчас</pc> '
                                      'происходит настоящее народное восстание.</target>'), encoding="utf-8")  # fmt: skip
    assert invoke("xliff", "import", path, seed_project).exit_code == 0
    unit = store_of(seed_project).get(UPRISING)
    assert unit.target.text == "В Казахстане сейчас происходит настоящее народное восстание."
    assert [(s.start, s.end, s.kind) for s in unit.target.spans] == [(13, 19, "em")]


def test_emphasis_in_an_xliff_12_target_comes_back(invoke, seed_project, tmp_path):
    path = export(invoke, seed_project, tmp_path / "x")
    text = path.read_text(encoding="utf-8")
    old = '<target state="final">В Казахстане сейчас'
    path.write_text(text.replace(old, '<target state="final">В Казахстане <g id="1" ctype="bold">сейчас</g>'),
                    encoding="utf-8")  # fmt: skip
    assert invoke("xliff", "import", path, seed_project).exit_code == 0
    unit = store_of(seed_project).get(UPRISING)
    assert [(s.start, s.end, s.kind) for s in unit.target.spans] == [(13, 19, "strong")]


def _edit(path, old, new, count=1):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _duplicate_unit(path):
    text = path.read_text(encoding="utf-8")
    start = text.index(f'<trans-unit id="{UPRISING}"')
    end = text.index("</trans-unit>", start) + len("</trans-unit>")
    path.write_text(text[:end] + "\n" + text[start:end] + text[end:], encoding="utf-8")


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        (lambda p: _edit(p, "</body>", "</bodi>"), "malformed XLIFF: Opening and ending tag mismatch"),
        (lambda p: _edit(p, "<source>In Kazakhstan, there is now", "<source>In Kyrgyzstan, there is now"),
         (f"unit '{UPRISING}': the source no longer matches the project's segment 'In Kazakhstan, there is "
          "now a real popular uprisi…'; export again with `brochure xliff export`")),
        (_duplicate_unit, f"duplicate unit id '{UPRISING}' (first on line"),
        (lambda p: _edit(p, 'brochure:project="sdk"', 'brochure:project="other"'),
         "exported from the project 'other', not from 'sdk'"),
        (lambda p: _edit(p, f'id="{UPRISING}"', 'id="s000000000000"'),
         "unit 's000000000000' is not a segment of statement-2022-01-07 any more"),
        (lambda p: _edit(p, 'target-language="ru"', 'target-language="de"'),
         "target language 'de' is not one of the project's (ru, kk)"),
        (lambda p: _edit(p, 'brochure:project="sdk" brochure:document="statement-2022-01-07"', "")
         or _edit(p, 'original="statement-2022-01-07.md"', 'original="other.md"'),
         "not an export of the project 'sdk' (no brochure:project; original 'other.md' is none of its documents)"),
    ],
    ids=["malformed", "source-changed", "duplicate-id", "other-project", "unknown-unit", "language", "foreign"],
)  # fmt: skip
def test_bad_input_is_one_line_and_damages_nothing(
    invoke, seed_project, tmp_path, damage, expected
):
    good = export(invoke, seed_project, tmp_path / "x")
    other = tmp_path / "x" / "programme-part-1.en-ru.xlf"
    _edit(other, "Программа", "ПРОГРАММА")  # a good edit in the first file is not applied either
    damage(good)
    before = snapshot(seed_project)
    line = error_line(invoke("xliff", "import", other, good, seed_project))
    assert line.startswith(f"Error: {good}:"), line
    assert expected in line, line
    assert snapshot(seed_project) == before


def test_malformed_xliff_names_the_line(invoke, seed_project, tmp_path):
    bad = tmp_path / "bad.xlf"
    bad.write_text('<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">\n<file>\n<body>\n</file>',
                   encoding="utf-8")  # fmt: skip
    line = error_line(invoke("xliff", "import", bad, seed_project))
    assert (
        line
        == f"Error: {bad}:4: malformed XLIFF: Opening and ending tag mismatch: body line 3 and file"
    )


def test_export_options_are_checked(invoke, seed_project, tmp_path):
    line = error_line(invoke("xliff", "export", seed_project, "--lang", "de", "-o", tmp_path))
    assert (
        line
        == f"Error: --lang: 'de' is not a target language of {seed_project / 'brochure.toml'} (ru, kk)"
    )
    result = invoke("xliff", "export", seed_project, "-o", tmp_path / "all")
    assert len(result.output.splitlines()) == 4


def test_a_file_exported_before_the_source_changed_still_imports(
    invoke, seed_project, tmp_path, xliff_tt
):
    """The editor fixes two sentences of the source while the translator works on an export:
    the file's other units come in; the translation of an edited sentence is kept aside with its
    old unit (brochure-stale), said so, and offered by the memory for the new text; an edited
    sentence the file did not touch is no reason to stop. Exit code 3: not everything applied."""
    prepare(seed_project)
    path = export(invoke, seed_project, tmp_path / "x")
    store = xliff_tt.xlifffile.parsefile(str(path))
    units = {u.getid().split("\x04")[-1]: u for u in store.units}
    units[ZHANAOZEN].target = "Ведь протесты начались в Жанаозене по инициативе нефтяников."
    units[UPRISING].target = "В Казахстане идёт настоящее народное восстание."
    path.write_bytes(bytes(store))
    source = seed_project / f"{DOC}.md"
    text = source.read_text(encoding="utf-8")
    for old, new in [("on the initiative of oil workers", "on the initiative of the oil workers"),
                     ("From the very beginning the protests", "From the outset the protests")]:  # fmt: skip
        assert old in text
        text = text.replace(old, new)
    source.write_text(text, encoding="utf-8")

    result = invoke("xliff", "import", path, seed_project)
    assert result.exit_code == 3, result.output
    line = next(
        n for n, s in enumerate(path.read_text().splitlines(), 1) if f'id="{ZHANAOZEN}"' in s
    )
    assert result.stderr.splitlines() == [
        f"source changed: {path}:{line}: unit {ZHANAOZEN}: its source text was edited in the project "
        "since export; its translation is kept aside (brochure-stale) for reuse, the new text still needs one",
        "1 translation(s) of edited source text kept aside: see `brochure status` and `brochure memory search`",
    ]
    assert result.stdout.splitlines()[-1].startswith("1 unit(s) updated")
    ours = store_of(seed_project)
    assert ours.get(UPRISING).target.text == "В Казахстане идёт настоящее народное восстание."
    aside = ours.get(ZHANAOZEN)
    assert (
        aside.stale
        and aside.target.text == "Ведь протесты начались в Жанаозене по инициативе нефтяников."
    )
    new_text = ("After all, the protests began in Zhanaozen on the initiative of the oil workers, "
                "which became a kind of political headquarters for the entire protest movement.")  # fmt: skip
    found = invoke("memory", "search", new_text, seed_project, "--lang", "ru")
    assert "Ведь протесты начались в Жанаозене по инициативе нефтяников." in found.output


@pytest.mark.parametrize("store_kept", [True, False], ids=["store-kept", "store-deleted"])
def test_an_untranslated_unit_whose_source_changed_is_no_reason_to_stop(
    invoke, tmp_path, store_kept
):
    """A partly translated file: the sentence the translator left empty was edited in the project
    since export (its unit is kept aside, or there was no translations file yet): the import goes on."""
    from conftest import write_project

    toml = 'title = "T"\nsource_language = "en"\ntarget_languages = ["ru"]\ndocuments = ["a.md"]\n'
    folder = write_project(tmp_path / "p", toml, {"a.md": "The strike goes on. Wages fell.\n"})
    if store_kept:  # the translations file as a build leaves it: every unit, none translated
        from brochure.store.load import load_translations

        _, stores = load_translations(load_project(folder), ["ru"])
        assert all(store.save() for store in stores.values())
    path = export_all(invoke, folder, tmp_path / "x") / "a.en-ru.xlf"
    _edit(path, "<source>The strike goes on.</source>",
          "<source>The strike goes on.</source><target>Забастовка продолжается.</target>")  # fmt: skip
    (folder / "a.md").write_text("The strike goes on. Wages fell sharply.\n", encoding="utf-8")
    result = invoke("xliff", "import", path, folder)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1].startswith("1 unit(s) updated, 1 unchanged")
    project = load_project(folder)
    units = list(open_store(project, project.documents[0], "ru").units())
    assert [(u.source.text, u.target.text if u.target else None) for u in units] == [
        ("The strike goes on.", "Забастовка продолжается."),
        ("Wages fell sharply.", None),
    ]


def export_all(invoke, project_dir, out):
    result = invoke("xliff", "export", project_dir, "-o", out)
    assert result.exit_code == 0, result.output
    return out


def test_a_folder_of_exports_is_not_taken_for_the_project(invoke, seed_project, monkeypatch):
    monkeypatch.chdir(seed_project)
    assert invoke("xliff", "export", "--lang", "ru").exit_code == 0
    result = invoke("xliff", "import", "build/xliff")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: build/xliff is a folder, not a project (no brochure.toml): give the XLIFF files "
        "in it, e.g. build/xliff/*.xlf"
    )


ITALIC = "sa8718992565a"  # Friday 7 January 2022, by Socialist Movement of Kazakhstan (in italics)
EDITED = "Сейчас в Казахстане происходит настоящее народное восстание."


def as_cat_tool(text: str, tool: str) -> str:
    """Our XLIFF 1.2 export as a CAT tool writes it back after the translator's edit of UPRISING
    (the markup each adds, as their own files show it), saved with a BOM and CRLF."""
    old = '<target state="final">В Казахстане сейчас происходит настоящее народное восстание.</target>'
    assert old in text
    ns = {"trados": 'xmlns:sdl="http://sdl.com/FileTypes/SdlXliff/1.0"', "memoq": 'xmlns:mq="MQXliff"',
          "okapi": 'xmlns:okp="okapi-framework:xliff-extensions"'}[tool]  # fmt: skip
    text = text.replace("xmlns:brochure=", f"{ns} xmlns:brochure=")
    if tool == "trados":  # every target's text in <mrk mtype="seg">, seg-defs, a TM match
        text = re.sub(r'(<target state="final">)(.*?)(</target>)',
                      r'\1<mrk mtype="seg" mid="1">\2</mrk>\3', text, flags=re.S)  # fmt: skip
        old = f'<mrk mtype="seg" mid="1">{old[len("<target state=?final?>") : -len("</target>")]}</mrk>'
        new = (f'<mrk mtype="seg" mid="1">{EDITED}</mrk></target>\n<sdl:seg-defs><sdl:seg id="1" '
               'conf="Translated" origin="interactive"/></sdl:seg-defs>\n<alt-trans match-quality="82" '
               'origin="TM"><source>In Kazakhstan there is an uprising.</source>'
               "<target>В Казахстане восстание.</target></alt-trans>")  # fmt: skip
        text = text.replace(old + "</target>", new)
    elif tool == "memoq":  # confirmed, not approved: to be reviewed
        text = text.replace(
            old,
            f'<target state="needs-review-translation" mq:status="ManuallyConfirmed">{EDITED}</target>',
        )
        before = 'approved="yes">\r\n        <source>In Kazakhstan'.replace("\r\n", "\n")
        assert before in text
        text = text.replace(
            before, before.replace('approved="yes"', 'approved="no" mq:locked="false"')
        )
    else:  # Okapi (OmegaT's XLIFF filter): translated, approved, the old target as an alt-trans
        text = text.replace(old, f'<target xml:lang="ru" state="translated">{EDITED}</target>\n'
                                 f'<alt-trans okp:matchType="EXACT"><target xml:lang="ru">{old[22:-9]}</target></alt-trans>')  # fmt: skip
    return "\ufeff" + text.replace("\n", "\r\n")


@pytest.mark.parametrize(
    ("tool", "state"), [("trados", "final"), ("memoq", "translated"), ("okapi", "reviewed")]
)
def test_an_export_written_back_by_trados_memoq_or_okapi(
    invoke, seed_project, tmp_path, tool, state
):
    """The translator's text and state land; <mrk>, alt-trans (another target!), tool namespaces,
    a BOM and CRLF change nothing else; italics inside a <mrk> stay italics."""
    path = export(invoke, seed_project, tmp_path / "x")
    path.write_bytes(as_cat_tool(path.read_text(encoding="utf-8"), tool).encode("utf-8"))
    result = invoke("xliff", "import", path, seed_project)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1].startswith("1 unit(s) updated, 34 unchanged"), (
        result.output
    )
    unit = store_of(seed_project).get(UPRISING)
    assert (unit.target.text, unit.state) == (EDITED, state)
    italic = store_of(seed_project).get(ITALIC)
    assert [s.kind for s in italic.target.spans] == ["em"] and italic.state == "final"


def test_an_xliff_2_unit_a_cat_tool_split_in_two_segments(invoke, seed_project, tmp_path):
    """Trados, memoQ and Okapi write a sentence the translator split as two <segment>s with an
    <ignorable> between them: it was refused ('must have one <segment> with a <source>'), and with
    it the whole file. The parts are joined, markup and all; the state is the lesser of the two;
    with a part left untranslated the unit comes back as a draft to translate (initial)."""
    path = export(invoke, seed_project, tmp_path / "x", "--version", "2.1")
    text = path.read_text(encoding="utf-8")
    old = (
        '<segment state="final">\n        <source>In Kazakhstan, there is now a real popular uprising.'
        "</source>\n        <target>В Казахстане сейчас происходит настоящее народное восстание.</target>"
        "\n      </segment>"
    )
    assert old in text
    split = (
        '<segment id="1" state="final"><source>In Kazakhstan,</source><target>В Казахстане</target>'
        '</segment>\n      <ignorable><source> </source></ignorable>\n      <segment id="2" '
        'state="reviewed"><source>there is now a real popular uprising.</source><target>сейчас идёт '
        'настоящее <pc id="1" type="fmt" subType="xlf:i">народное</pc> восстание.</target></segment>'
    )
    path.write_text(text.replace(old, split), encoding="utf-8")
    result = invoke("xliff", "import", path, seed_project)
    assert result.exit_code == 0, result.output
    unit = store_of(seed_project).get(UPRISING)
    assert unit.target.text == "В Казахстане сейчас идёт настоящее народное восстание."
    assert [(s.start, s.end, s.kind) for s in unit.target.spans] == [(35, 43, "em")]
    assert unit.state == "reviewed"
    half = re.sub(r'(<segment id="2" )state="reviewed"(.*?)<target>.*?</target>', r"\1\2", split)
    assert half.count("<target>") == 1
    path.write_text(text.replace(old, half), encoding="utf-8")
    result = invoke("xliff", "import", path, seed_project, "--prefer", "file")
    assert result.exit_code == 0, result.output
    unit = store_of(seed_project).get(UPRISING)
    assert (unit.target.text, unit.state) == ("В Казахстане", "initial")


@pytest.mark.parametrize(
    "codes",
    [('<bx id="1" ctype="italic"/>', '<ex id="1"/>'), ('<bx id="1"/>', '<ex id="1"/>'),
     ('<bpt id="1" ctype="italic">&lt;i&gt;</bpt>', '<ept id="1">&lt;/i&gt;</ept>')],
    ids=["bx-ex", "bx-ex-ctype-of-the-source", "bpt-ept"],
)  # fmt: skip
def test_italics_a_tool_wrote_as_a_pair_of_codes_come_back(invoke, seed_project, tmp_path, codes):
    """Tools that do not keep <g> write it as <bx/>...<ex/> or <bpt>...<ept>: the italics of the
    unit were dropped, and the import applied the loss as the translator's edit."""
    path = export(invoke, seed_project, tmp_path / "x")
    text = path.read_text(encoding="utf-8")
    old = '<target state="final"><g id="1" ctype="italic">Пятница, 7 января 2022 года.'
    assert old in text
    start, end = codes
    i = text.index(old)
    j = text.index("</g></target>", i)
    text = (
        text[:i] + f'<target state="final">{start}' + text[i + len(old) - 28 : j] + f"{end}</target>"
        + text[j + len("</g></target>") :]
    )  # fmt: skip
    assert "Пятница, 7 января 2022 года." in text[i : i + 200], text[i : i + 200]
    path.write_text(text, encoding="utf-8")
    result = invoke("xliff", "import", path, seed_project)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1].startswith("0 unit(s) updated, 35 unchanged"), (
        result.output
    )
    unit = store_of(seed_project).get(ITALIC)
    assert [(s.start, s.end, s.kind) for s in unit.target.spans] == [
        (0, len(unit.target.text), "em")
    ]


def test_a_placeholder_a_tool_added_never_puts_its_display_text_into_the_target(
    invoke, seed_project, tmp_path
):
    """An XLIFF 2 <ph> shows its code to the translator as `disp` (here '<br/>'); its text is
    `equiv`. The display text landed in the translation as literal tag text."""
    path = export(invoke, seed_project, tmp_path / "x", "--version", "2.1")
    text = path.read_text(encoding="utf-8")
    old = "<target>В Казахстане сейчас происходит настоящее народное восстание.</target>"
    assert old in text
    new = ('<target>Сейчас в Казахстане<ph id="9" disp="&lt;br/&gt;" equiv=""/> происходит '
           'настоящее<ph id="10" disp="{nbsp}" equiv="\u00a0"/>народное восстание.</target>')  # fmt: skip
    path.write_text(text.replace(old, new), encoding="utf-8")
    result = invoke("xliff", "import", path, seed_project)
    assert result.exit_code == 0, result.output
    unit = store_of(seed_project).get(UPRISING)
    assert unit.target.text == "Сейчас в Казахстане происходит настоящее\u00a0народное восстание."

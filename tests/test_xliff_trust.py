"""CAT round trips that used to lose a translator's work: stripped attributes, conflicts, other tools.

Many CAT tools drop attributes they do not know (`brochure:base`, `brochure:project`), so whether
the project side changed since export is decided from the project's own record of each export
(in .brochure/), never from the file alone. Units that are not applied are listed, and the exit
code is 3; `--prefer file` takes the file's side.
"""

from __future__ import annotations

import re

import pytest
from brochure.core.datamodel import RichText
from brochure.core.project import load_project
from brochure.store.xliff import open_store
from conftest import snapshot

DOC = "statement-2022-01-07"
UPRISING = "sb8ecbf7db85d"  # In Kazakhstan, there is now a real popular uprising.
CAUSE = "sb21b1fa92c8e"  # From the very beginning the protests were ...
ZHANAOZEN = "s502bcfb596e7"  # After all, the protests began in Zhanaozen ...
TITLE = "s3ff60a8b6efa"  # Statement of the Socialist Movement of Kazakhstan


def store_of(project_dir, lang="ru"):
    project = load_project(project_dir)
    return open_store(project, next(d for d in project.documents if d.name == DOC), lang)


def export(invoke, project_dir, out, *args):
    result = invoke("xliff", "export", project_dir, "--lang", "ru", "-o", out, *args)
    assert result.exit_code == 0, result.output
    return out / f"{DOC}.en-ru.xlf"


def strip_brochure_attributes(path):
    """What a CAT tool that keeps only standard attributes writes back."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(r'\s+brochure:[a-z]+="[^"]*"', "", text)
    text = re.sub(r'\s+xmlns:brochure="[^"]*"', "", text)
    assert not re.search(r"\sbrochure:[a-z]+=", text)  # (a note's category may say brochure:)
    path.write_text(text, encoding="utf-8")


def set_target(path, uid, new, *, version="1.2"):
    text = path.read_text(encoding="utf-8")
    if version == "1.2":
        start = text.index(f'<trans-unit id="{uid}"')
    else:
        start = text.index(f'<unit id="{uid}"')
    a = text.index("<target", start)
    b = text.index("</target>", a) + len("</target>")
    head = text[a : text.index(">", a) + 1]
    path.write_text(text[:a] + head + new + "</target>" + text[b:], encoding="utf-8")


EDITS = {
    UPRISING: "В Казахстане идёт настоящее народное восстание.",
    CAUSE: "С самого начала протесты носили социальный характер.",
    TITLE: "Заявление Социалистического движения Казахстана (правка)",
}


@pytest.mark.parametrize("version", ["1.2", "2.1"])
def test_stripped_attributes_round_trip_applies_every_edit(invoke, seed_project, tmp_path, version):
    path = export(invoke, seed_project, tmp_path / "x", "--version", version)
    strip_brochure_attributes(path)
    for uid, text in EDITS.items():
        set_target(path, uid, text, version=version)
    result = invoke("xliff", "import", path, seed_project)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1].startswith("3 unit(s) updated, 32 unchanged"), (
        result.output
    )
    ours = store_of(seed_project)
    for uid, text in EDITS.items():
        assert ours.get(uid).target.text == text
        assert ours.get(uid).meta["origin"] == "human"


def test_stripped_attributes_and_a_project_change_is_a_conflict(invoke, seed_project, tmp_path):
    path = export(invoke, seed_project, tmp_path / "x")
    strip_brochure_attributes(path)
    for uid, text in EDITS.items():
        set_target(path, uid, text)
    ours = store_of(seed_project)  # the editor changes one of the units meanwhile
    ours.set_target(UPRISING, RichText("Версия редактора."), "final", meta={"origin": "human"})
    ours.save()
    before = snapshot(seed_project / "translations")
    result = invoke("xliff", "import", path, seed_project)
    assert result.exit_code == 3, result.output
    assert result.stdout.splitlines()[-1].startswith("2 unit(s) updated"), result.output
    conflicts = [ln for ln in result.stderr.splitlines() if ln.startswith("conflict:")]
    assert len(conflicts) == 1 and UPRISING in conflicts[0], result.stderr
    assert "--prefer file" in result.stderr  # says how to take the file's side
    assert snapshot(seed_project / "translations") != before
    assert store_of(seed_project).get(UPRISING).target.text == "Версия редактора."

    again = invoke("xliff", "import", path, seed_project, "--prefer", "file")
    assert again.exit_code == 0, again.output
    unit = store_of(seed_project).get(UPRISING)
    assert unit.target.text == EDITS[UPRISING]


def test_prefer_project_keeps_the_project_and_exits_0(invoke, seed_project, tmp_path):
    path = export(invoke, seed_project, tmp_path / "x")
    set_target(path, UPRISING, "Версия переводчика.")
    ours = store_of(seed_project)
    ours.set_target(UPRISING, RichText("Версия редактора."), "final", meta={"origin": "human"})
    ours.save()
    result = invoke("xliff", "import", path, seed_project)
    assert result.exit_code == 3
    result = invoke("xliff", "import", path, seed_project, "--prefer", "project")
    assert result.exit_code == 0, result.output
    assert store_of(seed_project).get(UPRISING).target.text == "Версия редактора."


def test_a_human_edit_wins_over_a_machine_draft_made_after_export(invoke, seed_project, tmp_path):
    store = store_of(seed_project)
    seg = store.tree.getroot().find(f".//{{*}}unit[@id='{ZHANAOZEN}']/{{*}}segment")
    seg.remove(seg.find("{*}target"))
    seg.set("state", "initial")
    store.changed = True
    store.save()
    path = export(invoke, seed_project, tmp_path / "x")
    text = path.read_text(encoding="utf-8")
    start = text.index(f'<trans-unit id="{ZHANAOZEN}"')
    end = text.index("</source>", start) + len("</source>")
    path.write_text(text[:end] + "<target>Ведь протесты начались в Жанаозене.</target>" + text[end:],
                    encoding="utf-8")  # fmt: skip
    store = store_of(seed_project)  # meanwhile `translate` drafts the unit by machine
    store.set_target(ZHANAOZEN, RichText("Машинный черновик."), "translated", meta={"origin": "mt"})
    store.save()
    result = invoke("xliff", "import", path, seed_project)
    assert result.exit_code == 0, result.output
    assert (
        store_of(seed_project).get(ZHANAOZEN).target.text == "Ведь протесты начались в Жанаозене."
    )


def test_translate_toolkit_approved_yes_is_honoured(invoke, seed_project, tmp_path):
    xliff = pytest.importorskip("translate.storage.xliff")
    store = store_of(seed_project)
    store.set_target(CAUSE, RichText("Машинный черновик."), "translated", meta={"origin": "mt"})
    store.save()
    path = export(invoke, seed_project, tmp_path / "x")
    store = xliff.xlifffile.parsefile(str(path))
    units = {u.getid().split("\x04")[-1]: u for u in store.units}
    units[CAUSE].target = "С самого начала протесты носили социальный характер."
    units[CAUSE].markapproved(True)
    path.write_bytes(bytes(store))
    text = path.read_text(encoding="utf-8")
    block = text[text.index(f'<trans-unit id="{CAUSE}"') :]
    assert 'approved="yes"' in block[: block.index("</trans-unit>")]
    result = invoke("xliff", "import", path, seed_project)
    assert result.exit_code == 0, result.output
    assert store_of(seed_project).get(CAUSE).state == "reviewed"


def test_xliff_11_is_accepted(invoke, seed_project, tmp_path):
    path = export(invoke, seed_project, tmp_path / "x")
    text = path.read_text(encoding="utf-8")
    text = text.replace('version="1.2"', 'version="1.1"').replace(
        "urn:oasis:names:tc:xliff:document:1.2", "urn:oasis:names:tc:xliff:document:1.1"
    )
    path.write_text(text, encoding="utf-8")
    set_target(path, UPRISING, EDITS[UPRISING])
    result = invoke("xliff", "import", path, seed_project)
    assert result.exit_code == 0, result.output
    assert store_of(seed_project).get(UPRISING).target.text == EDITS[UPRISING]


def test_xliff_21_export_marks_drafts_and_their_state_survives(invoke, seed_project, tmp_path):
    store = store_of(seed_project)
    store.set_target(CAUSE, RichText("Машинный черновик."), "translated", meta={"origin": "mt"})
    store.save()
    path = export(invoke, seed_project, tmp_path / "x", "--version", "2.1")
    text = path.read_text(encoding="utf-8")
    unit = text[text.index(f'<unit id="{CAUSE}"') :]
    unit = unit[: unit.index("</unit>")]
    assert 'state="translated"' in unit and 'subState="brochure:mt-suggestion"' in unit
    result = invoke("xliff", "import", path, seed_project)
    assert result.exit_code == 0 and "0 unit(s) updated" in result.output, result.output
    assert store_of(seed_project).get(CAUSE).meta["origin"] == "mt"


def test_sync_keeps_units_in_document_order_after_paragraphs_move(tmp_path):
    """Units follow the document's order after paragraphs are moved, added and removed, the
    units of removed text in the stale group after them (units are placed next to the one
    before, not by index: insert(index) made a new 10,000-unit file's first sync quadratic)."""
    from brochure.store.load import load_translations
    from conftest import write_project
    from lxml import etree

    toml = 'title = "T"\nsource_language = "en"\ntarget_languages = ["ru"]\ndocuments = ["t.md"]\n'
    paragraphs = [f"Paragraph {name} says something." for name in "ABCDEF"]
    root = write_project(tmp_path / "p", toml, {"t.md": "\n\n".join(paragraphs) + "\n"})

    def synced(order: str) -> tuple[list[str], list[str]]:
        (root / "t.md").write_text(
            "\n\n".join(f"Paragraph {n} says something." for n in order) + "\n", encoding="utf-8"
        )
        project = load_project(root)
        segmented, stores = load_translations(project, ["ru"], sync=True)
        stores[("t", "ru")].save()
        tree = etree.parse(str(root / "translations" / "t.ru.xlf"))
        units = tree.xpath("/x:xliff/x:file/x:unit", namespaces={"x": XLIFF2})
        stale = tree.xpath("/x:xliff/x:file/x:group/x:unit", namespaces={"x": XLIFF2})
        texts = lambda els: [  # noqa: E731
            "".join(el.xpath(".//x:source//text()", namespaces={"x": XLIFF2}))[10] for el in els
        ]
        assert [u.get("id") for u in units] == [s.id for s in segmented["t"].segments]
        return texts(units), texts(stale)

    assert synced("ABCDEF") == (list("ABCDEF"), [])
    assert synced("FBAGDC") == (list("FBAGDC"), ["E"])
    assert synced("CDEFAB") == (list("CDEFAB"), ["G"])  # E taken back from the stale group


XLIFF2 = "urn:oasis:names:tc:xliff:document:2.0"

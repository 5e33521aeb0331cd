"""Several writers at once: no one's save is lost, nothing crashes, the memory index stays sound.

`translate` and `build` read the translations files, work for a while (MT), then save; an
`xliff import` (or a person's editor) may save the same files meanwhile. The saved edits must
survive: a human edit always wins over a machine draft. Two `translate` runs at once must not
break the memory index (.brochure/memory.sqlite), which is a cache of the plain files.

The in-process tests interleave the writers deterministically (the import runs while the tiny
real MT model is translating); the subprocess tests run real processes side by side.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from brochure.cli import cli
from click.testing import CliRunner
from conftest import write_project
from lxml import etree
from miniproject import MINI_TEXT, MINI_TOML, PEER_TMX

pytest_plugins = ["conftest_mt"]

TEXT = MINI_TEXT + "\nThe protests began in Zhanaozen on the initiative of oil workers.\n"
TOML = MINI_TOML + '\n[[editions]]\nlanguages = ["en", "kk"]\nformats = ["pdf"]\n'
TMX = PEER_TMX
# What translators type in their CAT tool for two kk units (by source text).
HUMAN = {
    "Trade unions must be independent.": "Кәсіподақтар тәуелсіз болуға тиіс.",
    "A second item.": "Екінші тармақ.",
}
XLF12 = "{urn:oasis:names:tc:xliff:document:1.2}"


def run(*args) -> object:
    return CliRunner().invoke(cli, [str(a) for a in args])


def make_project(folder: Path) -> Path:
    return write_project(folder, TOML, {"text.md": TEXT, "memory/peer.tmx": TMX})


def edited_export(root: Path, out: Path, strip: bool = False) -> Path:
    """Export kk for a CAT tool and type the HUMAN translations into it."""
    result = run("xliff", "export", root, "--lang", "kk", "-o", out)
    assert result.exit_code == 0, result.output
    path = out / "text.en-kk.xlf"
    tree = etree.parse(str(path))
    for tu in tree.iter(f"{XLF12}trans-unit"):
        source = "".join(tu.find(f"{XLF12}source").itertext())
        if source in HUMAN:
            target = tu.find(f"{XLF12}target")
            if target is None:
                target = etree.SubElement(tu, f"{XLF12}target")
            target.text = HUMAN[source]
            target.set("state", "translated")
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")
    return path


def kk_units(root: Path) -> dict[str, tuple[str, str, str]]:
    """source -> (target, state, origin) of every kk unit, read from the file on disk."""
    from brochure.store.xliff import TranslationFile

    store = TranslationFile.open(root / "translations" / "text.kk.xlf", "en", "kk", "text")
    return {
        u.source.text: (u.target.text if u.target else "", u.state, u.meta.get("origin", ""))
        for u in store.units()
    }


def assert_human_edits_kept(root: Path) -> None:
    units = kk_units(root)
    for source, target in HUMAN.items():
        assert units[source][0] == target, (source, units[source])
        assert units[source][2] == "human", units[source]


class ImportingEngine:
    """A real (tiny) MT engine that, while it translates, lets an `xliff import` save the file."""

    def __init__(self, engine, on_translate):
        self.engine = engine
        self.name, self.model, self.version = engine.name, engine.model, engine.version
        self.on_translate = on_translate

    def signature(self) -> str:
        return self.engine.signature()

    def translate(self, texts):
        if self.on_translate is not None:
            hook, self.on_translate = self.on_translate, None
            hook()
        return self.engine.translate(texts)


def importing_engine(root: Path, export: Path):
    from brochure.core.project import load_project
    from brochure.engines import create_engine

    def do_import():
        result = run("xliff", "import", export, root)
        assert result.exit_code == 0, result.output
        assert result.output.splitlines()[-1].startswith("2 unit(s) updated"), result.output

    return ImportingEngine(create_engine(load_project(root), "en", "kk", "argos"), do_import)


def test_an_import_during_translate_is_kept(installed, tmp_path):
    from brochure.core.project import load_project
    from brochure.translate.fill import translate_project

    root = make_project(tmp_path / "p")
    assert run("status", root).exit_code == 0
    export = edited_export(root, tmp_path / "x")
    report = translate_project(
        load_project(root), langs=["kk"], engine=importing_engine(root, export)
    )
    assert report.drafted >= 3
    assert_human_edits_kept(root)
    units = kk_units(root)
    assert units["The protests began in Zhanaozen on the initiative of oil workers."][2] == "mt"
    # the memory's fuzzy draft, made before the import, is kept too
    assert units["The workers of Kazakhstan demand a real increase in wages."][2] == "memory-fuzzy"


def test_an_import_during_build_is_kept(installed, tmp_path, monkeypatch):
    from brochure import engines
    from brochure.core.project import load_project
    from brochure.pipeline.build import build_project

    root = make_project(tmp_path / "p")
    (root / "brochure.toml").write_text(TOML, encoding="utf-8")
    export = edited_export(root, tmp_path / "x")
    engine = importing_engine(root, export)
    monkeypatch.setattr(engines, "create_engine", lambda *a, **k: engine)

    def render(edition, fmt, out, search_dirs=()):
        out.parent.mkdir(parents=True, exist_ok=True)
        texts = [
            seg.texts["kk"].text
            for doc in edition.documents
            for block in doc.blocks
            for seg in block.segments
        ]
        out.write_text("\n".join(texts), encoding="utf-8")
        return out

    build_project(load_project(root), render=render, draft=True)
    assert_human_edits_kept(root)
    # the output shows what is on disk now, and a second build does not call it up to date
    # while it lacks the imported edits
    pdf = root / "build" / "mini.en-kk.pdf"
    if not all(t in pdf.read_text(encoding="utf-8") for t in HUMAN.values()):
        assert build_project(load_project(root), render=render, draft=True) == [pdf]
    assert all(t in pdf.read_text(encoding="utf-8") for t in HUMAN.values())


def brochure(*args, **kwargs) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "brochure", *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONFAULTHANDLER": "1"},
        **kwargs,
    )


def finish(proc: subprocess.Popen, what: str) -> str:
    out, err = proc.communicate(timeout=180)
    assert "Traceback" not in err, f"{what}:\n{err}"
    assert proc.returncode == 0, f"{what} exited {proc.returncode}:\n{out}\n{err}"
    return out


def assert_memory_index_sound(root: Path) -> None:
    result = run("memory", "search", "Trade unions must be independent.", "--lang", "kk",
                 root)  # fmt: skip
    assert result.exit_code == 0, result.output  # (it also brings the index up to date)
    db = sqlite3.connect(root / ".brochure" / "memory.sqlite")
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        files = [row[0] for row in db.execute("SELECT path FROM files ORDER BY path")]
        assert files == ["memory/peer.tmx", "translations/text.kk.xlf"], files
        dup = db.execute(
            "SELECT count(*) FROM (SELECT file, line FROM tu GROUP BY file, line HAVING count(*) > 1)"
        ).fetchone()[0]
        assert dup == 0
    finally:
        db.close()


@pytest.mark.parametrize("delay", [0.0, 0.4, 0.8])
def test_two_translate_runs_and_an_import_at_once(installed, tmp_path, delay):
    """Real processes side by side: each exits 0 without a traceback, every imported edit is
    kept whichever saves last, and the memory index both runs filled is sound."""
    root = make_project(tmp_path / "p")
    assert run("status", root).exit_code == 0
    export = edited_export(root, tmp_path / "x")
    first = brochure("translate", root, "--lang", "kk", "--no-progress")
    second = brochure("translate", root, "--lang", "kk", "--no-progress")
    time.sleep(delay)
    importer = brochure("xliff", "import", export, root)
    finish(importer, "xliff import")
    finish(first, "first translate")
    finish(second, "second translate")
    assert_human_edits_kept(root)
    units = kk_units(root)
    assert all(target for target, _, _ in units.values()), units  # every unit has a target
    # the approved units the import made are in the index once the next run refreshes it
    result = run("xliff", "import", export, root)
    assert result.exit_code == 0 and "0 unit(s) updated" in result.output, result.output
    assert_memory_index_sound(root)


def test_an_import_while_build_runs_in_another_process(installed, tmp_path):
    root = make_project(tmp_path / "p")
    (root / "brochure.toml").write_text(TOML, encoding="utf-8")
    export = edited_export(root, tmp_path / "x")
    builder = brochure("build", root, "--draft")
    time.sleep(0.5)
    finish(brochure("xliff", "import", export, root), "xliff import")
    finish(builder, "build")
    assert_human_edits_kept(root)
    finish(brochure("build", root, "--draft"), "second build")
    assert_human_edits_kept(root)


def test_a_person_saving_the_file_in_an_editor_during_translate_is_kept(installed, tmp_path):
    """Any writer, not only `xliff import`: a target typed into the file in a text editor while
    `translate` runs is kept, and the drafts of the other units are saved beside it."""
    from brochure.core.project import load_project
    from brochure.engines import create_engine
    from brochure.store.load import load_translations
    from brochure.translate.fill import translate_project

    root = make_project(tmp_path / "p")
    _, stores = load_translations(load_project(root), ["kk"])
    stores[("text", "kk")].save()  # the file exists, every unit still empty
    path = root / "translations" / "text.kk.xlf"

    def type_in_editor():
        text = path.read_text(encoding="utf-8")
        source = "<source>A second item.</source>"
        assert source in text
        path.write_text(
            text.replace(source, source + "<target>Екінші тармақ.</target>").replace(
                '<segment state="initial">\n      ' + source,
                '<segment state="final">\n      ' + source,
            ),
            encoding="utf-8",
        )

    engine = ImportingEngine(create_engine(load_project(root), "en", "kk", "argos"), type_in_editor)
    translate_project(load_project(root), langs=["kk"], engine=engine)
    units = kk_units(root)
    assert units["A second item."][:2] == ("Екінші тармақ.", "final")
    assert units["The protests began in Zhanaozen on the initiative of oil workers."][2] == "mt"

"""`kill -9` at any moment loses nothing a person wrote and leaves every file readable.

Each command runs as a real process and is killed (SIGKILL: no clean-up runs) after a series of
delays that land in different stages: start-up, reading, MT, writing. After every kill the
translations files and the glossary must parse, the human-written targets must be there, and
the next run must succeed. Bounded to about a minute in all.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from brochure.cli import cli
from click.testing import CliRunner
from conftest import write_project
from lxml import etree
from miniproject import MINI_TEXT, MINI_TOML

pytest_plugins = ["conftest_mt"]

TEXT = MINI_TEXT + "\nThe protests began in Zhanaozen on the initiative of oil workers.\n"
TOML = MINI_TOML + (
    '\n[[editions]]\nlanguages = ["en", "ru"]\nformats = ["pdf"]\n'
    '\n[[editions]]\nlanguages = ["en", "kk"]\nformats = ["pdf"]\n'
)
GLOSSARY = "id\ten\tru\tkk\nstrike\tstrike\tзабастовка\tереуіл\n"
DELAYS = (0.15, 0.5, 0.9, 1.4, 2.0)
XLF12 = "{urn:oasis:names:tc:xliff:document:1.2}"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def kill_after(delay: float, *args) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "brochure", *map(str, args)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(delay)
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)


@pytest.fixture
def project(tmp_path, installed) -> Path:
    """ru translated by hand (final), kk empty; a project glossary."""
    root = write_project(tmp_path / "p", TOML, {"text.md": TEXT, "glossary/terms.tsv": GLOSSARY})
    from brochure.core.datamodel import RichText
    from brochure.core.project import load_project
    from brochure.store.load import load_translations

    segmented, stores = load_translations(load_project(root), ["ru"])
    for seg in segmented["text"].segments:
        stores[("text", "ru")].set_target(
            seg.id, RichText(f"[ru] {seg.text}"), "final", meta={"origin": "human"}
        )
    stores[("text", "ru")].save()
    return root


def human_targets(root: Path) -> dict[str, str]:
    """uid -> target of every unit a person made (origin human), in every translations file."""
    from brochure.store.xliff import TranslationFile

    out = {}
    for path in sorted((root / "translations").glob("*.xlf")):
        lang = path.name.split(".")[-2]
        store = TranslationFile.open(path, "en", lang, "text")
        for unit in store.units(include_stale=True):
            if unit.meta.get("origin") == "human" and unit.target is not None:
                out[f"{lang}:{unit.id}"] = unit.target.text
    return out


def assert_sound(root: Path, human: dict[str, str]) -> None:
    for path in (root / "translations").glob("*.xlf"):
        etree.parse(str(path))  # parses
    kept = human_targets(root)
    for key, text in human.items():
        assert kept.get(key) == text, (key, kept.get(key), text)
    result = run("glossary", "list", root)
    assert result.exit_code == 0, result.output
    assert run("status", root).exit_code == 0


def test_kill_during_translate_build_glossary_add_and_xliff_import(project, tmp_path):
    human = human_targets(project)
    assert len(human) == 6

    for delay in DELAYS:
        kill_after(delay, "translate", project, "--lang", "kk", "--no-progress")
        assert_sound(project, human)
    result = run("translate", project, "--lang", "kk", "--no-progress")
    assert result.exit_code == 0, result.output

    # a translator's edits come back while imports get killed
    out = tmp_path / "x"
    assert run("xliff", "export", project, "--lang", "kk", "-o", out).exit_code == 0
    export = out / "text.en-kk.xlf"
    tree = etree.parse(str(export))
    for n, target in enumerate(tree.iter(f"{XLF12}target")):
        target.text = f"адам аудармасы {n}"
        target.set("state", "signed-off")
    tree.write(str(export), xml_declaration=True, encoding="UTF-8")
    for delay in DELAYS[:4]:
        kill_after(delay, "xliff", "import", export, project)
        assert_sound(project, human)
    result = run("xliff", "import", export, project)
    assert result.exit_code == 0, result.output
    human = human_targets(project)
    assert sum(key.startswith("kk:") for key in human) == 6

    for n, delay in enumerate(DELAYS[:4]):
        kill_after(delay, "glossary", "add", "--en", f"picket {n}", "--ru", f"пикет {n}",
                   project)  # fmt: skip
        assert_sound(project, human)
    result = run("glossary", "add", "--en", "rally", "--ru", "митинг", project)
    assert result.exit_code == 0, result.output

    for delay in DELAYS:
        kill_after(delay + 0.5, "build", project)
        assert_sound(project, human)
    result = run("build", project)
    assert result.exit_code == 0, result.output
    assert (project / "build" / "mini.en-kk.pdf").exists()
    assert_sound(project, human)

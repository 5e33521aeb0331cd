"""`brochure status`: progress per document and language, and what the next build needs."""

from __future__ import annotations

import json

from brochure.core.datamodel import RichText
from brochure.core.project import load_project
from brochure.store.xliff import open_store
from conftest import snapshot
from test_cli import error_line


def test_the_seed_project_is_complete(invoke, seed_project):
    before = snapshot(seed_project)
    result = invoke("status", seed_project)
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].split() == ["document", "lang", "segments", "words", "final", "reviewed", "memory", "mt",
                                "draft", "missing"]  # fmt: skip
    assert lines[1].split() == [
        "programme-part-1",
        "ru",
        "45",
        "1374",
        "33/875w",
        "12/499w",  # edited in the 2026 content review: reviewed until a native editor signs off
        "-",
        "-",
        "-",
        "-",
    ]
    assert lines[-1] == "next: nothing to do; every segment is translated"
    assert snapshot(seed_project) == before  # status writes nothing, not even the memory index


def test_counts_every_class_and_the_next_build(invoke, seed_project):
    project = load_project(seed_project)
    document = next(d for d in project.documents if d.name == "statement-2022-01-07")
    store = open_store(project, document, "ru")
    units = [u.id for u in store.units()]
    store.set_target(
        units[0], RichText("Черновик"), "translated", meta={"origin": "mt", "engine": "argos"}
    )
    store.set_target(units[1], RichText("Из памяти"), "translated", meta={"origin": "memory"})
    store.set_target(units[2], RichText("Проверено"), "reviewed", meta={"origin": "align"})
    store.set_target(units[3], RichText("Моё"), "translated", meta={"origin": "human"})
    seg = store.tree.getroot().find(f".//{{*}}unit[@id='{units[4]}']/{{*}}segment")
    seg.remove(seg.find("{*}target"))
    store.changed = True
    store.save()
    source = seed_project / "statement-2022-01-07.md"
    source.write_text(
        source.read_text(encoding="utf-8") + "\nA new closing sentence.\n", encoding="utf-8"
    )

    data = json.loads(invoke("status", seed_project, "--json").output)
    row = next(
        r
        for r in data["documents"]
        if r["document"] == "statement-2022-01-07" and r["lang"] == "ru"
    )
    assert row["segments"] == 36
    assert {k: row[k]["segments"] for k in ("final", "reviewed", "memory", "mt", "draft", "missing")} == {
        # the seed statement has 5 units edited in the 2026 content review (reviewed, not final)
        "final": 25, "reviewed": 6, "memory": 1, "mt": 1, "draft": 1, "missing": 2,
    }  # fmt: skip
    assert row["missing"]["words"] == 4 + len(store.get(units[4]).source.text.split())
    assert row["store_needs_update"] is True
    kk = next(
        r
        for r in data["documents"]
        if r["document"] == "statement-2022-01-07" and r["lang"] == "kk"
    )
    assert kk["missing"]["segments"] == 1
    nb = data["next_build"]
    assert nb["ready"] is False
    assert {e["edition"]: e["missing_segments"] for e in nb["editions"]}["en-ru"] == 2
    assert nb["drafts_to_review"] == 3
    assert "translate the missing segments: ru (2), kk (1)" in nb["steps"][0]

    text = invoke("status", seed_project).output
    assert "edition en-ru: needs 2 translation(s)" in text
    assert "next: translate the missing segments: ru (2), kk (1)" in text


def test_status_of_a_folder_without_a_project(invoke, tmp_path):
    line = error_line(invoke("status", tmp_path))
    assert line.startswith(f"Error: {tmp_path / 'brochure.toml'}: no project file here")

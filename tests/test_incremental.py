"""Incremental builds: nothing changed, nothing written; any input changed, that output rebuilt."""

import os
from time import time_ns

from brochure.core.project import load_project
from brochure.pipeline.build import build_project


def fake_render(calls):
    def render(edition, fmt, out, search_dirs=()):
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(f"{fmt} of {edition.info.name}", encoding="utf-8")
        calls.append(out.name)
        return out

    return render


def test_second_build_writes_nothing_and_says_so(invoke, tmp_path):
    folder = tmp_path / "p"
    assert invoke("init", folder).exit_code == 0
    assert invoke("build", folder).exit_code == 0
    pdf = folder / "build" / "p.en-ru.pdf"
    stamp = pdf.stat().st_mtime_ns
    result = invoke("build", folder)
    assert result.exit_code == 0
    assert "wrote" not in result.output
    assert "nothing changed since the last build: nothing written" in result.stderr
    assert pdf.stat().st_mtime_ns == stamp
    assert "wrote" in invoke("build", folder, "--force").output


def test_each_kind_of_input_triggers_a_rebuild(invoke, tmp_path):
    folder = tmp_path / "p"
    invoke("init", folder)
    project = load_project(folder)
    calls: list[str] = []
    build_project(project, render=fake_render(calls))
    # the screen PDF, the print PDF (issue 12, item 5) and the DOCX
    assert calls == ["p.en-ru.pdf", "p.en-ru.print.pdf", "p.en-ru.docx"]
    assert [c for c in calls if "print" in c] == ["p.en-ru.print.pdf"]
    build_project(project, render=fake_render(calls))
    assert len(calls) == 3, "no input changed"

    xlf = folder / "translations" / "text.ru.xlf"
    xlf.write_text(
        xlf.read_text(encoding="utf-8").replace("Пункт списка.", "Пункт."), encoding="utf-8"
    )
    build_project(project, render=fake_render(calls))
    assert len(calls) == 6, "a translation changed"

    (folder / "glossary").mkdir()
    (folder / "glossary" / "terms.tsv").write_text("id\ten\tru\tkk\n", encoding="utf-8")
    build_project(project, render=fake_render(calls))
    assert len(calls) == 9, "the glossary changed"

    (folder / "layouts" / "columns").mkdir(parents=True)
    (folder / "layouts" / "columns" / "extra.css").write_text("p { color: red }", encoding="utf-8")
    build_project(project, render=fake_render(calls))
    assert len(calls) == 12, "a layout override appeared"

    build_project(project, render=fake_render(calls), draft=True)
    assert len(calls) == 15, "draft and final builds differ"

    (folder / "build" / "p.en-ru.pdf").unlink()
    build_project(project, render=fake_render(calls), draft=True)
    assert calls[-1] == "p.en-ru.pdf" and len(calls) == 16, "a deleted output is rebuilt alone"
    (folder / "build" / "p.en-ru.print.pdf").unlink()
    build_project(project, render=fake_render(calls), draft=True)
    assert calls[-1] == "p.en-ru.print.pdf" and len(calls) == 17, "the print PDF alone"


def test_a_file_rewritten_in_place_with_the_same_size_is_read_again(invoke, tmp_path):
    """The fingerprint reads each input once per version (size, time, inode): a source rewritten
    in place at once with as many bytes, within the clock's resolution, still counts as changed."""
    from brochure.pipeline.state import fingerprint

    folder = tmp_path / "p"
    invoke("init", folder)
    project = load_project(folder)
    spec = project.editions[0]
    source = project.documents[0].path
    before = fingerprint(project, spec, "pdf", False)
    assert fingerprint(project, spec, "pdf", False) == before
    stat = source.stat()
    text = source.read_text(encoding="utf-8")
    edited = text.replace("a", "b", 1)
    assert edited != text and len(edited) == len(text)
    source.write_text(edited, encoding="utf-8")
    os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # the same time, size and inode
    assert fingerprint(project, spec, "pdf", False) != before


def test_a_build_with_nothing_to_do_reads_no_input(invoke, tmp_path, monkeypatch):
    """The digests of the inputs are kept in .brochure/build-state.json under their size, time and
    inode: the next process finds every output current from the files' metadata alone, and a file
    touched but unchanged is read once more, then no more; a changed one rebuilds."""
    from pathlib import Path

    from brochure.pipeline import state

    folder = tmp_path / "p"
    invoke("init", folder)
    project = load_project(folder)
    calls: list[str] = []
    old = time_ns() - 10 * 10**9  # older than the clock's resolution: its digest may be kept
    for path in state.edition_inputs(project, project.editions[0]):
        if path.is_relative_to(folder) and path.is_file():
            os.utime(path, ns=(old, old))
    build_project(project, render=fake_render(calls))
    assert len(calls) == 3
    read: list[Path] = []
    real = Path.read_bytes

    def counting(path: Path) -> bytes:
        read.append(path)
        return real(path)

    monkeypatch.setattr(Path, "read_bytes", counting)
    monkeypatch.setattr(state, "_digests", {})  # as in a new process
    build_project(project, render=fake_render(calls))
    assert len(calls) == 3 and read == []

    source = project.documents[0].path
    os.utime(source, ns=(old + 10**9, old + 10**9))  # touched, the same text
    state._digests.clear()
    build_project(project, render=fake_render(calls))
    assert len(calls) == 3 and read == [source]
    state._digests.clear()
    build_project(project, render=fake_render(calls))
    assert len(calls) == 3 and read == [source], "its new digest was kept"

    xlf = folder / "translations" / "text.ru.xlf"
    text = xlf.read_text(encoding="utf-8")
    xlf.write_text(text.replace("Пункт списка.", "Пункт."), encoding="utf-8")
    os.utime(xlf, ns=(old + 2 * 10**9, old + 2 * 10**9))
    state._digests.clear()
    build_project(project, render=fake_render(calls))
    assert len(calls) == 6, "a changed translation rebuilds"

"""A project folder is untrusted input: people send each other projects.

A project's layouts/ may change how a brochure looks, never run code, reach the network or pull a
file from outside the project into a PDF. Each attack below is refused with one `Error:` line;
nothing is fetched (a loopback listener counts requests), nothing is read from outside the
project (a private file's text never appears in any output).
"""

from __future__ import annotations

import http.server
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from brochure.cli import cli
from click.testing import CliRunner

PRIVATE = "PRIVATE-SECRET-LINE"


def run(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=True)


def one_error_line(result) -> str:
    """The one `Error:` line a refused command ends with (progress lines such as "building ..."
    may come before it), exit code 1, no traceback."""
    assert result.exit_code == 1, (result.output, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    lines = result.stderr.strip().splitlines()
    errors = [line for line in lines if line.startswith("Error: ")]
    assert len(errors) == 1 and lines[-1] == errors[0], result.stderr
    assert "Traceback" not in result.output
    return errors[0]


@pytest.fixture
def world(tmp_path: Path) -> Path:
    """A project that builds (`brochure init`) beside a private file it must never read."""
    (tmp_path / "private.txt").write_text(PRIVATE + "\n", encoding="utf-8")
    assert run("init", tmp_path / "p").exit_code == 0
    return tmp_path


def layout_file(world: Path, name: str, text: str) -> None:
    path = world / "p" / "layouts" / "columns" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def override(body: str) -> str:
    """A project's columns template that adds `body` after the built-in content."""
    return (
        '{% extends "builtin/columns/brochure.html.j2" %}'
        "{% block content %}{{ super() }}" + body + "{% endblock %}"
    )


def nothing_built(world: Path) -> None:
    build = world / "p" / "build"
    assert not build.exists() or not [p for p in build.rglob("*") if p.is_file()]


def outputs_hold_no_secret(world: Path) -> None:
    for path in (world / "p").rglob("*"):
        if path.is_file() and not path.is_symlink():
            assert PRIVATE.encode() not in path.read_bytes(), path


# -- template code ------------------------------------------------------------------------------
CODE = [
    "{{ cycler.__init__.__globals__.os.popen('touch MARK').read() }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ lipsum.__globals__['os'].system('touch MARK') }}",
    "{% set x = namespace.__init__.__globals__ %}{{ x }}",
    "{{ self._TemplateReference__context.cycler.__init__.__globals__.os }}",
]


@pytest.mark.parametrize("code", CODE)
def test_template_code_cannot_reach_python(world: Path, code: str, monkeypatch):
    monkeypatch.chdir(world)
    layout_file(world, "brochure.html.j2", override(code))
    line = one_error_line(run("build", world / "p"))
    assert "brochure.html.j2" in line and "unsafe" in line, line
    assert not (world / "MARK").exists()
    nothing_built(world)


def test_a_template_may_still_use_the_ordinary_jinja_features(world: Path):
    layout_file(world, "brochure.html.j2", override(
        "{% for d in documents %}<p>{{ d.name | upper }} {{ loop.index }}</p>{% endfor %}"
        "{{ '%.1f' % 2.5 }} {{ info.title | dictsort | length }}"
    ))  # fmt: skip
    result = run("build", world / "p")
    assert result.exit_code == 0, result.output
    import pypdf

    text = "".join(p.extract_text() for p in pypdf.PdfReader(world / "p/build/p.en-ru.pdf").pages)
    assert "TEXT 1" in text


# -- files a template may include ---------------------------------------------------------------
def test_include_of_a_symlink_out_of_the_project_is_refused(world: Path):
    (world / "p/layouts/columns").mkdir(parents=True)
    (world / "p/layouts/columns/notes.txt").symlink_to(world / "private.txt")
    layout_file(world, "brochure.html.j2", override('<pre>{% include "notes.txt" %}</pre>'))
    line = one_error_line(run("build", world / "p"))
    assert "notes.txt" in line and "outside the project" in line, line
    outputs_hold_no_secret(world)


def test_a_symlinked_layout_folder_out_of_the_project_is_refused(world: Path):
    elsewhere = world / "elsewhere" / "columns"
    elsewhere.mkdir(parents=True)
    (elsewhere / "extra.css").write_text("body { color: red }", encoding="utf-8")
    (world / "p/layouts").mkdir()
    (world / "p/layouts/columns").symlink_to(elsewhere)
    line = one_error_line(run("build", world / "p"))
    assert "layouts/columns" in line and "outside the project" in line, line


# -- what WeasyPrint may fetch ------------------------------------------------------------------
class Listener:
    """An HTTP server on 127.0.0.1 that counts the requests it gets."""

    def __init__(self) -> None:
        hits = self.hits = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's name
                hits.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "text/css")
                self.end_headers()
                self.wfile.write(b"body { color: red }")

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def listener():
    server = Listener()
    yield server
    server.close()


FETCHES = {
    "img": lambda url, w: override(f'<img src="{url}/img.png">'),
    "css-import": lambda url, w: override(f"<style>@import url({url}/a.css);</style>"),
    "css-background": lambda url, w: override(
        f"<div style=\"background: url('{url}/b.png')\">x</div>"
    ),
    "stylesheet-link": lambda url, w: override(f'<link rel="stylesheet" href="{url}/c.css">'),
    "font-face": lambda url, w: override(
        f'<style>@font-face {{ font-family: X; src: url("{url}/f.ttf") }} p {{ font-family: X }}</style>'
    ),
    "object": lambda url, w: override(f'<object data="{url}/o.svg" type="image/svg+xml"></object>'),
    "file-outside": lambda url, w: override(f'<img src="{(w / "private.txt").as_uri()}">'),
    "file-dotdot": lambda url, w: override('<img src="../../../private.txt">'),
    "svg-in-project-fetching-out": lambda url, w: override('<img src="evil.svg">'),
}


def fetch_attack(world: Path, name: str, url: str) -> None:
    layout_file(world, "brochure.html.j2", FETCHES[name](url, world))
    layout_file(world, "evil.svg", f'<svg xmlns="http://www.w3.org/2000/svg" '
                f'xmlns:xlink="http://www.w3.org/1999/xlink"><image xlink:href="{url}/s.png" '
                f'width="10" height="10"/></svg>')  # fmt: skip


@pytest.mark.parametrize("name", sorted(FETCHES))
def test_layouts_fetch_nothing_from_the_network_or_outside_the_project(world: Path, name: str):
    fetch_attack(world, name, "http://127.0.0.1:9")
    line = one_error_line(run("build", world / "p"))
    assert "refused" in line, line
    nothing_built(world)
    outputs_hold_no_secret(world)


def test_a_build_in_its_own_process_sends_no_request(world: Path, listener: Listener):
    """Without the test suite's socket guard: the listener must get nothing."""
    for name in ("img", "css-import", "stylesheet-link", "svg-in-project-fetching-out"):
        fetch_attack(world, name, listener.url)
        result = subprocess.run(
            [sys.executable, "-m", "brochure", "build", str(world / "p")],
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert result.returncode == 1, result.stderr
        errors = [x for x in result.stderr.splitlines() if x.startswith("Error: ")]
        assert len(errors) == 1 and "refused" in errors[0], result.stderr
        assert "Traceback" not in result.stderr
    assert listener.hits == []


def test_the_projects_own_images_are_allowed(world: Path):
    import base64

    png = base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYPj/HwADAgH/pGq0WQAAAABJRU5ErkJggg=="
    )
    (world / "p/logo.png").write_bytes(png)
    layout_file(world, "brochure.html.j2", override('<img src="../../logo.png"><img src="data:image/png;base64,'
                + base64.b64encode(png).decode() + '">'))  # fmt: skip
    result = run("build", world / "p")
    assert result.exit_code == 0, result.output


# -- attachments --------------------------------------------------------------------------------
@pytest.mark.parametrize("inside", [False, True], ids=["outside", "inside"])
@pytest.mark.parametrize("tag", ["a", "link"])
def test_attachments_are_refused(world: Path, tag: str, inside: bool):
    target = "../../text.md" if inside else (world / "private.txt").as_uri()
    body = (
        f'<a rel="attachment" href="{target}">file</a>'
        if tag == "a"
        else f'<link rel="attachment" href="{target}">'
    )
    layout_file(world, "brochure.html.j2", override(body))
    line = one_error_line(run("build", world / "p"))
    assert "attachment" in line, line
    nothing_built(world)
    outputs_hold_no_secret(world)


def declare(world: Path, *files: str, pdf_variant: str = "") -> None:
    """brochure.toml lists `files` under attachments; the edition writes its two PDFs only."""
    listed = ", ".join(f'"{f}"' for f in files)
    set_toml(
        world, 'documents = ["text.md"]\n', f'documents = ["text.md"]\nattachments = [{listed}]\n'
    )
    variant = f'pdf_variant = "{pdf_variant}"\n' if pdf_variant else ""
    set_toml(world, 'formats = ["pdf", "docx"]\n', 'formats = ["pdf"]\n' + variant)


def embedded(pdf: Path) -> dict[str, bytes]:
    import pypdf

    return {name: data[0] for name, data in pypdf.PdfReader(pdf).attachments.items()}


def test_a_declared_attachment_is_embedded_in_the_screen_pdf_only(world: Path):
    (world / "p/originals").mkdir()
    (world / "p/originals/programme.ru.txt").write_text("ОРИГИНАЛ\n", encoding="utf-8")
    declare(world, "originals/programme.ru.txt")
    result = run("build", world / "p")
    assert result.exit_code == 0, result.output
    assert embedded(world / "p/build/p.en-ru.pdf") == {"programme.ru.txt": "ОРИГИНАЛ\n".encode()}
    assert embedded(world / "p/build/p.en-ru.print.pdf") == {}, "PDF/X is for the press"
    # the same inputs make the same PDF: the attachment is dated by its file, not by the build
    first = (world / "p/build/p.en-ru.pdf").read_bytes()
    assert run("build", world / "p", "--force").exit_code == 0
    assert (world / "p/build/p.en-ru.pdf").read_bytes() == first
    # a changed attachment makes the edition out of date
    (world / "p/originals/programme.ru.txt").write_text("ИЗМЕНЁН\n", encoding="utf-8")
    assert run("build", world / "p").exit_code == 0
    assert embedded(world / "p/build/p.en-ru.pdf") == {"programme.ru.txt": "ИЗМЕНЁН\n".encode()}


def test_a_declared_attachment_in_a_pdf_a3_is_an_associated_file(world: Path):
    """PDF/A-3 allows any embedded file when it is an associated file: listed in the catalog's
    /AF, with an /AFRelationship, a MIME type (/Subtype) and a modification date."""
    import pypdf

    (world / "p/glossary.tsv").write_text("id\ten\tru\n", encoding="utf-8")
    declare(world, "glossary.tsv", pdf_variant="pdf/a-3b")
    result = run("build", world / "p")
    assert result.exit_code == 0, result.output
    reader = pypdf.PdfReader(world / "p/build/p.en-ru.pdf")
    (spec,) = [ref.get_object() for ref in reader.trailer["/Root"]["/AF"]]
    assert spec["/UF"] == "glossary.tsv" and spec["/AFRelationship"] == "/Supplement"
    stream = spec["/EF"]["/F"].get_object()
    assert stream["/Subtype"] == "/text/tab-separated-values"
    assert stream["/Params"]["/ModDate"].startswith("D:")
    assert stream.get_data() == b"id\ten\tru\n"
    assert (
        'pdfaid:part="3"' in reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    )


def test_a_layout_may_attach_a_declared_file_but_no_other(world: Path):
    (world / "p/a.txt").write_text("A\n", encoding="utf-8")
    (world / "p/b.txt").write_text("B\n", encoding="utf-8")
    declare(world, "a.txt")
    layout_file(world, "brochure.html.j2", override('<a rel="attachment" href="../../a.txt">a</a>'))
    result = run("build", world / "p")
    assert result.exit_code == 0, result.output
    assert embedded(world / "p/build/p.en-ru.pdf") == {"a.txt": b"A\n"}
    layout_file(world, "brochure.html.j2", override('<link rel="attachment" href="../../b.txt">'))
    line = one_error_line(run("build", world / "p", "--force"))
    assert line.endswith(
        "refused to attach " + (world / "p/b.txt").as_uri() + " to the PDF: a layout may attach "
        "only the files that brochure.toml lists under attachments"
    ), line


@pytest.mark.parametrize("variant", ["", "pdf/a-3b"])
def test_a_declared_attachment_a_layout_links_is_embedded_once(world: Path, variant: str):
    """WeasyPrint embeds a file linked with <a rel="attachment"> for the link's annotation, beside
    the declared attachment: the annotation now points at the one embedded copy, and the print
    PDF (no annotations) holds no copy at all."""
    import pikepdf

    (world / "p/a.txt").write_text("ATTACHED ONCE\n", encoding="utf-8")
    declare(world, "a.txt", pdf_variant=variant)
    layout_file(world, "brochure.html.j2", override('<a rel="attachment" href="../../a.txt">a</a>'))
    result = run("build", world / "p")
    assert result.exit_code == 0, result.output

    def files(pdf: pikepdf.Pdf) -> list[bytes]:
        return [o.read_bytes() for o in pdf.objects
                if isinstance(o, pikepdf.Stream) and o.get("/Type") == "/EmbeddedFile"]  # fmt: skip

    with pikepdf.open(world / "p/build/p.en-ru.pdf") as pdf:
        assert files(pdf) == [b"ATTACHED ONCE\n"]
        names = pdf.Root.Names.EmbeddedFiles.Names
        assert [str(n) for n in names[::2]] == ["a.txt"]
        annots = [a for page in pdf.pages for a in page.get("/Annots", [])
                  if a.get("/Subtype") == "/FileAttachment"]  # fmt: skip
        assert annots and all(a.FS.objgen == names[1].objgen for a in annots)
        if variant:
            assert [spec.objgen for spec in pdf.Root.AF] == [names[1].objgen]
        assert pdf.attachments["a.txt"].get_file().read_bytes() == b"ATTACHED ONCE\n"
    with pikepdf.open(world / "p/build/p.en-ru.print.pdf") as pdf:
        assert files(pdf) == [], "PDF/X is for the press"
        assert "/Names" not in pdf.Root or "/EmbeddedFiles" not in pdf.Root.Names


@pytest.mark.parametrize("how", ["dotdot", "absolute", "symlink", "folder", "missing", "twice"])
def test_a_declared_attachment_must_be_a_file_inside_the_project(world: Path, how: str):
    p = world / "p"
    (p / "x").mkdir()
    (p / "x/text.md").write_text("x\n", encoding="utf-8")
    files, expected = {
        "dotdot": (["../private.txt"], "attachments[0]: ../private.txt is outside the project"),
        "absolute": ([str(world / "private.txt")], "attachments[0]: "),
        "symlink": (["leak.txt"], "attachments[0]: leak.txt is outside the project"),
        "folder": (["x"], "attachments[0]: x is a folder, not a file"),
        "missing": (["nothing.pdf"], "attachments[0]: file not found: nothing.pdf"),
        "twice": (["text.md", "x/text.md"], "attachments[1]: two attachments named 'text.md'"),
    }[how]
    if how == "symlink":
        (p / "leak.txt").symlink_to(world / "private.txt")
    declare(world, *files)
    line = one_error_line(run("build", p))
    assert line.startswith(f"Error: {p / 'brochure.toml'}: {expected}"), line
    if how in ("dotdot", "absolute", "symlink"):
        assert "outside the project" in line
    nothing_built(world)
    outputs_hold_no_secret(world)


# -- sources and translations outside the project ----------------------------------------------
def set_toml(world: Path, old: str, new: str) -> None:
    path = world / "p/brochure.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.mark.parametrize("how", ["dotdot", "absolute", "symlink", "symlinked-folder"])
def test_a_source_outside_the_project_is_refused(world: Path, how: str):
    p = world / "p"
    if how == "dotdot":
        doc = "../private.txt"
    elif how == "absolute":
        doc = str(world / "private.txt")
    elif how == "symlink":
        (p / "leak.txt").symlink_to(world / "private.txt")
        doc = "leak.txt"
    else:
        (p / "texts").symlink_to(world)
        doc = "texts/private.txt"
    set_toml(world, 'documents = ["text.md"]', f'documents = ["{doc}"]')
    for command in (("build", p, "--draft"), ("status", p), ("check", p)):
        line = one_error_line(run(*command))
        assert "outside the project" in line, (command, line)
    outputs_hold_no_secret(world)


def test_translations_outside_the_project_are_refused(world: Path):
    (world / "elsewhere").mkdir()
    set_toml(world, 'documents = ["text.md"]',
             f'documents = ["text.md"]\ntranslations_dir = "{world / "elsewhere"}"')  # fmt: skip
    line = one_error_line(run("build", world / "p"))
    assert "translations_dir" in line and "outside the project" in line
    assert list((world / "elsewhere").iterdir()) == []


def test_a_translations_file_symlinked_out_of_the_project_is_refused(world: Path):
    store = world / "p/translations/text.ru.xlf"
    (world / "stolen.xlf").write_bytes(store.read_bytes())
    store.unlink()
    store.symlink_to(world / "stolen.xlf")
    before = (world / "stolen.xlf").read_bytes()
    line = one_error_line(run("build", world / "p"))
    assert "text.ru.xlf" in line and "outside the project" in line
    assert (world / "stolen.xlf").read_bytes() == before


PRIVATE_TSV = f"id\ten\tru\nsecret\t{PRIVATE}\tсекрет\n"
PRIVATE_TMX = f"""<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t"
adminlang="en" srclang="en" datatype="plaintext"/><body>
<tu><tuv xml:lang="en"><seg>This is the first paragraph.</seg></tuv>
<tuv xml:lang="ru"><seg>{PRIVATE}</seg></tuv></tu></body></tmx>
"""


@pytest.mark.parametrize(
    ("link", "content", "command"),
    [
        ("glossary/leak.tsv", PRIVATE_TSV, ["glossary", "list"]),
        ("glossary/leak.tsv", PRIVATE_TSV, ["build", "--draft", "--no-mt"]),
        ("memory/leak.tmx", PRIVATE_TMX, ["memory", "search", "This is the first paragraph."]),
        ("translations/leak.xlf", "", ["memory", "search", "This is the first paragraph."]),
    ],
    ids=["glossary-list", "glossary-build", "memory-tmx", "memory-xlf"],
)
def test_a_glossary_or_memory_file_linked_out_of_the_project_is_refused(
    world: Path, link: str, content: str, command: list[str]
):
    """Every file found in the project's folders goes through the path guard, not only the ones
    brochure.toml names: a glossary or memory file may not pull a private file in."""
    p = world / "p"
    outside = world / Path(link).name
    outside.write_text(content or (p / "translations/text.ru.xlf").read_text(encoding="utf-8")
                       .replace("Это первый абзац.", PRIVATE), encoding="utf-8")  # fmt: skip
    (p / link).parent.mkdir(exist_ok=True)
    (p / link).symlink_to(outside)
    line = one_error_line(run(*command, p))
    assert f"{link} (a symbolic link to {outside}) is outside the project" in line, line
    assert PRIVATE not in line
    nothing_built(world)
    outputs_hold_no_secret(world)


def test_a_project_inside_a_symlinked_folder_still_builds(tmp_path: Path):
    """The guard compares real paths: a project reached through a symlink is not 'outside'."""
    assert run("init", tmp_path / "real").exit_code == 0
    os.symlink(tmp_path / "real", tmp_path / "link")
    result = run("build", tmp_path / "link")
    assert result.exit_code == 0, result.output

"""Bad input, table-driven: every case exits 1 (2 for a usage error) with exactly one line starting
with `Error:` that names the file (and line or key), no traceback, and every file that existed
before is byte-identical after.

Each case starts from the same small world, made once through the CLI as a user would:
  w/p/          a project (`brochure init`, a glossary concept, translations)
  w/in/         files a translator brings back: an XLIFF export, a TMX, a TBX
  w/private.txt a file outside the project that no project may read
  w/models/     the models folder (BROCHURE_MODELS_DIR)
A case changes the world (its `setup`), runs one command, and the checks above follow.
"""

from __future__ import annotations

import json
import os
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from brochure.cli import cli
from click.testing import CliRunner

PRIVATE = "PRIVATE-SECRET-LINE\n"
GOOD_META = {
    "package_version": "1.0", "from_code": "en", "to_code": "ru", "type": "translate",
    "argos_version": "1.9.0",
}  # fmt: skip


def _run(world: Path, *args: str):
    return CliRunner().invoke(
        cli, [a.format(w=world, p=world / "p", i=world / "in") for a in args],
        env={"BROCHURE_MODELS_DIR": str(world / "models")}, catch_exceptions=True,
    )  # fmt: skip


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    world = tmp_path_factory.mktemp("bad-input") / "w"
    world.mkdir()
    (world / "in").mkdir()
    (world / "models").mkdir()
    (world / "private.txt").write_text(PRIVATE, encoding="utf-8")
    steps = [
        ("init", "{p}"),
        ("glossary", "add", "{p}", "--en", "workers' movement", "--ru",
         "рабочее движение", "--kk", "жұмысшы қозғалысы"),
        ("xliff", "export", "{p}", "-o", "{i}"),
        ("memory", "export", "{p}", "-o", "{i}/memory.tmx"),
        ("glossary", "export", "{p}", "-f", "tbx", "-o", "{i}/terms.tbx"),
    ]  # fmt: skip
    for step in steps:
        result = _run(world, *step)
        assert result.exit_code == 0, (step, result.output)
    shutil.rmtree(world / "p" / ".brochure", ignore_errors=True)
    return world


# -- helpers the setups use ---------------------------------------------------------------------
def text(path: str, content: str | bytes) -> Callable[[Path], None]:
    def setup(w: Path) -> None:
        target = w / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.is_dir():
            shutil.rmtree(target)
        target.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))

    return setup


def folder(path: str) -> Callable[[Path], None]:
    def setup(w: Path) -> None:
        target = w / path
        if target.exists():
            target.unlink()
        target.mkdir(parents=True)

    return setup


def symlink(path: str, to: str) -> Callable[[Path], None]:
    def setup(w: Path) -> None:
        target = w / path
        target.unlink(missing_ok=True)
        target.symlink_to(w / to)

    return setup


def toml(old: str, new: str) -> Callable[[Path], None]:
    """Replace `old` by `new` in the project's brochure.toml (old must be there)."""

    def setup(w: Path) -> None:
        path = w / "p" / "brochure.toml"
        content = path.read_text(encoding="utf-8")
        assert old in content, old
        path.write_text(content.replace(old, new, 1), encoding="utf-8")

    return setup


def toml_add(line: str) -> Callable[[Path], None]:
    """Add top-level lines to brochure.toml (before its first table)."""

    def setup(w: Path) -> None:
        path = w / "p" / "brochure.toml"
        content = path.read_text(encoding="utf-8")
        head, sep, tail = content.partition("\n[[editions]]")
        path.write_text(head + "\n" + line + "\n" + sep + tail, encoding="utf-8")

    return setup


def edit(path: str, old: str, new: str) -> Callable[[Path], None]:
    def setup(w: Path) -> None:
        target = w / path
        content = target.read_text(encoding="utf-8")
        assert old in content, (path, old)
        target.write_text(content.replace(old, new, 1), encoding="utf-8")

    return setup


def both(*setups: Callable[[Path], None]) -> Callable[[Path], None]:
    def setup(w: Path) -> None:
        for s in setups:
            s(w)

    return setup


def package(members: dict[str, bytes | None], name: str = "in/pkg.argosmodel",
            compress: int = zipfile.ZIP_DEFLATED, symlinks: tuple[str, ...] = ()) -> Callable[[Path], None]:  # fmt: skip
    """An .argosmodel zip with these members (None: a folder entry)."""

    def setup(w: Path) -> None:
        with zipfile.ZipFile(w / name, "w", compress) as z:
            for member, data in members.items():
                if data is None:
                    z.writestr(zipfile.ZipInfo(member.rstrip("/") + "/"), b"")
                elif member in symlinks:
                    info = zipfile.ZipInfo(member)
                    info.external_attr = 0o120777 << 16
                    z.writestr(info, data)
                else:
                    z.writestr(member, data, compress_type=compress)

    return setup


def package_twice(member: str) -> Callable[[Path], None]:
    """A package that holds `member` twice (zip allows it; which copy wins is up to the reader)."""

    def setup(w: Path) -> None:
        import warnings

        package(good_members())(w)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # zipfile warns about the duplicate name
            with zipfile.ZipFile(w / "in/pkg.argosmodel", "a") as z:
                z.writestr(member, b'{"evil": 1}')

    return setup


def good_members(
    top: str = "translate-en_ru-1_0", **extra: bytes | None
) -> dict[str, bytes | None]:
    members: dict[str, bytes | None] = {
        f"{top}/metadata.json": json.dumps(GOOD_META).encode(),
        f"{top}/model/model.bin": b"\0" * 64,
        f"{top}/model/config.json": b"{}",
        f"{top}/sentencepiece.model": b"x",
    }
    members.update(extra)
    return members


def zip_bomb(w: Path) -> None:
    """A small zip whose model.bin expands to 64 MiB of zeros (a 2 GiB one is the same shape)."""
    with zipfile.ZipFile(w / "in/pkg.argosmodel", "w", zipfile.ZIP_DEFLATED) as z:
        for member, data in good_members().items():
            if member.endswith("model.bin"):
                with z.open(member, "w") as f:
                    chunk = b"\0" * (1 << 20)
                    for _ in range(64):
                        f.write(chunk)
            else:
                z.writestr(member, data or b"")


XLF = "p/translations/text.ru.xlf"
EXCHANGE = "in/text.en-ru.xlf"
TMX = "in/memory.tmx"
TBX = "in/terms.tbx"
TSV = "p/glossary/terms.tsv"
ENTITY_DTD = '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>\n'


@dataclass(frozen=True)
class Case:
    id: str
    setup: Callable[[Path], None] | None
    args: tuple[str, ...]
    names: str  # the file (or key) the one line must name
    says: str = ""  # a piece of the message
    code: int = 1


def c(id, setup, args, names, says="", code=1) -> Case:  # noqa: A002 - table brevity
    return Case(id, setup, tuple(args.split()) if isinstance(args, str) else tuple(args), names,
                says, code)  # fmt: skip


BUILD = "build {p} --draft --no-mt"
STATUS = "status {p}"
CHECK = "check {p}"
SEG = "segments {p}/text.md"

CASES = [
    # -- brochure.toml ---------------------------------------------------------------------------
    c(
        "toml-missing",
        lambda w: (w / "p/brochure.toml").unlink(),
        BUILD,
        "brochure.toml",
        "no project file",
    ),
    c("toml-is-a-folder", folder("p/brochure.toml"), BUILD, "brochure.toml", "folder"),
    c(
        "toml-syntax",
        text("p/brochure.toml", 'name = "x"\ntitle = \n'),
        BUILD,
        "brochure.toml",
        "line 2",
    ),
    c(
        "toml-not-utf8",
        text("p/brochure.toml", b'title = "\xff"\n'),
        BUILD,
        "brochure.toml",
        "UTF-8",
    ),
    c("toml-nul", text("p/brochure.toml", b'title = "a\x00"\n'), BUILD, "brochure.toml"),
    c("toml-no-title", toml("title = {", "titel = {"), BUILD, "brochure.toml", "title"),
    c(
        "toml-source-unknown",
        toml('source_language = "en"', 'source_language = "xx"'),
        BUILD,
        "source_language",
    ),
    c(
        "toml-source-table",
        toml('source_language = "en"', "source_language = { a = 1 }"),
        BUILD,
        "source_language",
    ),
    c(
        "toml-targets-number",
        toml('target_languages = ["ru"]', "target_languages = 3"),
        BUILD,
        "target_languages",
    ),
    c(
        "toml-targets-empty",
        toml('target_languages = ["ru"]', "target_languages = []"),
        BUILD,
        "target_languages",
    ),
    c(
        "toml-targets-table",
        toml('target_languages = ["ru"]', "target_languages = [{ a = 1 }]"),
        BUILD,
        "target_languages[0]",
    ),
    c(
        "toml-target-is-source",
        toml('target_languages = ["ru"]', 'target_languages = ["en"]'),
        BUILD,
        "target_languages[0]",
    ),
    c("toml-documents-missing", toml('documents = ["text.md"]', ""), BUILD, "documents"),
    c(
        "toml-document-not-found",
        toml('documents = ["text.md"]', 'documents = ["nope.md"]'),
        BUILD,
        "documents[0]",
        "nope.md",
    ),
    c(
        "toml-document-dotdot",
        toml('documents = ["text.md"]', 'documents = ["../private.txt"]'),
        BUILD,
        "documents[0]",
        "outside the project",
    ),
    c(
        "toml-document-absolute",
        lambda w: toml('documents = ["text.md"]', f'documents = ["{w}/private.txt"]')(w),
        BUILD,
        "documents[0]",
        "outside the project",
    ),
    c(
        "toml-document-symlink-out",
        both(
            symlink("p/leak.txt", "private.txt"),
            toml('documents = ["text.md"]', 'documents = ["leak.txt"]'),
        ),
        BUILD,
        "documents[0]",
        "outside the project",
    ),
    c(
        "toml-document-format",
        both(text("p/a.pdf", "x"), toml('documents = ["text.md"]', 'documents = ["a.pdf"]')),
        BUILD,
        "documents[0]",
        ".pdf",
    ),
    c(
        "toml-document-folder",
        both(folder("p/d.md"), toml('documents = ["text.md"]', 'documents = ["d.md"]')),
        BUILD,
        "documents[0]",
    ),
    c(
        "toml-document-twice",
        toml('documents = ["text.md"]', 'documents = ["text.md", "text.md"]'),
        BUILD,
        "documents[1]",
        "two documents",
    ),
    c(
        "toml-document-table",
        toml('documents = ["text.md"]', "documents = [{ path = 3 }]"),
        BUILD,
        "documents[0]",
    ),
    c(
        "toml-document-nul-name",
        toml('documents = ["text.md"]', 'documents = ["te\\u0000xt.md"]'),
        BUILD,
        "documents[0]",
    ),
    c(
        "toml-document-long-name",
        toml('documents = ["text.md"]', f'documents = ["{"x" * 300}.md"]'),
        BUILD,
        "documents[0]",
    ),
    c("toml-editions-table", toml("[[editions]]", "[editions]"), BUILD, "editions"),
    c(
        "toml-edition-langs-table",
        toml('languages = ["en", "ru"]', "languages = { en = 1 }"),
        BUILD,
        "editions[0].languages",
    ),
    c(
        "toml-edition-langs-list",
        toml('languages = ["en", "ru"]', 'languages = [["en"], "ru"]'),
        BUILD,
        "editions[0].languages[0]",
    ),
    c(
        "toml-edition-langs-foreign",
        toml('languages = ["en", "ru"]', 'languages = ["en", "kk"]'),
        BUILD,
        "editions[0].languages[1]",
    ),
    c(
        "toml-edition-layout",
        toml('layout = "columns"', 'layout = "fancy"'),
        BUILD,
        "editions[0].layout",
    ),
    c(
        "toml-edition-layout-dotdot",
        toml('layout = "columns"', 'layout = "../../etc"'),
        BUILD,
        "editions[0].layout",
    ),
    c(
        "toml-edition-layout-list",
        toml('layout = "columns"', "layout = []"),
        BUILD,
        "editions[0].layout",
    ),
    c(
        "toml-edition-page-size",
        toml('page_size = "A5"', 'page_size = "B9"'),
        BUILD,
        "editions[0].page_size",
    ),
    c(
        "toml-edition-page-size-table",
        toml('page_size = "A5"', "page_size = { a = 1 }"),
        BUILD,
        "editions[0].page_size",
    ),
    c(
        "toml-edition-formats",
        toml('formats = ["pdf", "docx"]', 'formats = ["odt"]'),
        BUILD,
        "editions[0].formats",
    ),
    c(
        "toml-edition-formats-table",
        toml('formats = ["pdf", "docx"]', "formats = [{ a = 1 }]"),
        BUILD,
        "editions[0].formats",
    ),
    c(
        "toml-edition-bleed",
        toml('page_size = "A5"', 'page_size = "A5"\nbleed = "99mm"'),
        BUILD,
        "editions[0].bleed",
    ),
    c(
        "toml-edition-pdf-variant",
        toml('page_size = "A5"', 'page_size = "A5"\npdf_variant = ["x"]'),
        BUILD,
        "editions[0].pdf_variant",
    ),
    c(
        "toml-edition-impose",
        toml('page_size = "A5"', 'page_size = "A5"\nimpose = { a = 1 }'),
        BUILD,
        "editions[0].impose",
    ),
    c(
        "toml-edition-creep",
        toml('page_size = "A5"', 'page_size = "A5"\ncreep = -1'),
        BUILD,
        "editions[0].creep",
    ),
    c(
        "toml-edition-output-slash",
        toml('page_size = "A5"', 'page_size = "A5"\noutput = "../x"'),
        BUILD,
        "editions[0].output",
    ),
    c(
        "toml-translations-dir-absolute",
        lambda w: toml_add(f'translations_dir = "{w}/in"')(w),
        BUILD,
        "translations_dir",
        "outside the project",
    ),
    c(
        "toml-translations-dir-dotdot",
        toml_add('translations_dir = "../in"'),
        BUILD,
        "translations_dir",
        "outside the project",
    ),
    c("toml-translations-dir-number", toml_add("translations_dir = 3"), BUILD, "translations_dir"),
    c(
        "toml-translations-dir-file",
        both(toml_add('translations_dir = "text.md"')),
        BUILD,
        "translations_dir",
    ),
    c("toml-unknown-key", toml_add("colour = 1"), BUILD, "colour", "unknown key"),
    c("toml-name", toml('name = "p"', 'name = "a b"'), BUILD, "name"),
    c(
        "toml-abbreviations",
        toml_add("[segmentation]\nabbreviations = { en = 3 }"),
        BUILD,
        "segmentation.abbreviations.en",
    ),
    c("toml-mt-engine", toml_add('[mt]\nengine = "magic"'), BUILD, "mt.engine"),
    c("toml-mt-batch", toml_add("[mt]\nbatch_size = -1"), BUILD, "mt.batch_size"),
    c(
        "toml-attachment-dotdot",
        toml_add('attachments = ["../private.txt"]'),
        BUILD,
        "attachments[0]",
        "outside the project",
    ),
    c(
        "toml-attachment-symlink",
        both(symlink("p/leak.txt", "private.txt"), toml_add('attachments = ["leak.txt"]')),
        BUILD,
        "attachments[0]",
        "outside the project",
    ),
    c(
        "toml-attachment-folder",
        toml_add('attachments = ["translations"]'),
        BUILD,
        "attachments[0]",
        "folder",
    ),
    c(
        "toml-edition-attachment",
        toml('pdf = ["screen", "print"]', 'pdf = ["screen", "print"]\nattachments = "nope.pdf"'),
        BUILD,
        "editions[0].attachments[0]",
        "not found",
    ),
    c(
        "toml-rule-catastrophic",
        both(
            toml_add("[[segmentation.rules]]\nbreak = true\nbefore = '(a|aa)+c'\nafter = 'b'"),
            text("p/text.md", "# Title\n\n" + "a" * 30000 + "\n"),
        ),
        SEG,
        "segmentation.rules[0]",
        "too long",
    ),
    # -- sources ---------------------------------------------------------------------------------
    c("source-empty", text("p/text.md", "\n\n"), BUILD, "text.md", "no text"),
    c("source-not-utf8", text("p/text.md", b"Caf\xe9 ok\n"), BUILD, "text.md", "UTF-8"),
    # (UTF-16 with its BOM is read: tests/test_cli.py; without one it is not guessed)
    c(
        "source-utf16-no-bom",
        text("p/text.md", "# Title\n".encode("utf-16-le")),
        BUILD,
        "text.md:1",
        "U+0000",
    ),
    c(
        "source-nul",
        text("p/text.md", "# Title\n\nA line.\nA\x00 nul.\n"),
        BUILD,
        "text.md:4",
        "U+0000",
    ),
    c("source-bell", text("p/text.md", "# Title\n\nA \x07bell.\n"), BUILD, "text.md:3", "U+0007"),
    c("source-escape", text("p/text.md", "# Ti\x1b[31mtle\n"), BUILD, "text.md:1", "U+001B"),
    c(
        "source-is-folder",
        both(lambda w: (w / "p/text.md").unlink(), folder("p/text.md")),
        BUILD,
        "text.md",
    ),
    c("segments-missing", None, "segments {p}/nope.md", "nope.md", "not found"),
    c("segments-nul", text("p/text.md", "A\x00b.\n"), SEG, "text.md:1", "U+0000"),
    c("segments-lang", None, "segments {p}/text.md --lang xx", "--lang"),
    c("segments-folder", None, "segments {p}/translations", "translations", code=2),
    # -- glossary --------------------------------------------------------------------------------
    c(
        "glossary-not-utf8",
        text(TSV, b"id\ten\nx\t\xff\n"),
        "glossary list {p}",
        "terms.tsv",
    ),
    c("glossary-is-folder", folder(TSV), "glossary list {p}", "terms.tsv"),
    c("glossary-is-folder-check", folder(TSV), CHECK, "terms.tsv"),
    c(
        "glossary-no-id-column",
        text(TSV, "en\tru\nparty\tпартия\n"),
        "glossary list {p}",
        "terms.tsv",
    ),
    c(
        "glossary-bad-flag",
        edit(TSV, "жұмысшы қозғалысы\t", "жұмысшы қозғалысы\t\t\t\t\t\t\t\t\tshiny\t"),
        "glossary list {p}",
        "terms.tsv",
    ),
    c("glossary-show-unknown", None, "glossary show no-such-id {p}", "no-such-id"),
    c("glossary-import-missing", None, "glossary import {i}/nope.tbx {p}", "nope.tbx"),
    c(
        "glossary-import-malformed",
        text(TBX, "<martif><text>"),
        "glossary import {i}/terms.tbx {p}",
        "terms.tbx:1",
    ),
    c(
        "glossary-import-truncated",
        lambda w: text(TBX, (w / TBX).read_bytes()[:700])(w),
        "glossary import {i}/terms.tbx {p}",
        "terms.tbx:",
    ),
    c(
        "glossary-import-not-tbx",
        text(TBX, "<html/>"),
        "glossary import {i}/terms.tbx {p}",
        "terms.tbx",
    ),
    c(
        "glossary-import-csv-binary",
        text("in/t.csv", b"\xff\xfe\x00\x01"),
        "glossary import {i}/t.csv {p}",
        "t.csv",
    ),
    c(
        "glossary-import-unknown-format",
        text("in/t.docx", "x"),
        "glossary import {i}/t.docx {p}",
        "t.docx",
    ),
    c(
        "glossary-export-onto-folder",
        folder("in/out.tbx"),
        "glossary export -o {i}/out.tbx {p}",
        "out.tbx",
        code=2,
    ),
    # -- XLIFF: the project's store --------------------------------------------------------------
    c("store-malformed", text(XLF, "<xliff>\n<file>"), BUILD, "text.ru.xlf:2"),
    c("store-empty", text(XLF, ""), BUILD, "text.ru.xlf"),
    c("store-wrong-root", text(XLF, "<?xml version='1.0'?>\n<html/>"), BUILD, "text.ru.xlf"),
    c(
        "store-entities",
        text(XLF, "<?xml version='1.0'?>\n" + ENTITY_DTD + "<xliff>&b;</xliff>"),
        BUILD,
        "text.ru.xlf",
    ),
    c("store-is-folder", folder(XLF), BUILD, "text.ru.xlf"),
    c("store-not-utf8", text(XLF, b"\xff\xfe<\x00x\x00"), BUILD, "text.ru.xlf"),
    c("store-wrong-language", edit(XLF, 'trgLang="ru"', 'trgLang="kk"'), BUILD, "text.ru.xlf"),
    c("store-bad-state", edit(XLF, 'state="final"', 'state="golden"'), BUILD, "text.ru.xlf"),
    c(
        "store-symlink-out",
        symlink(XLF, "private.txt"),
        BUILD,
        "text.ru.xlf",
        "outside the project",
    ),
    # -- XLIFF: a file brought back from a CAT tool ---------------------------------------------
    c("import-missing", None, "xliff import {i}/nope.xlf {p}", "nope.xlf", code=2),
    c(
        "import-malformed",
        text(EXCHANGE, "<xliff>\n<file>"),
        "xliff import {i}/text.en-ru.xlf {p}",
        "text.en-ru.xlf:2",
    ),
    c(
        "import-entities",
        text(EXCHANGE, "<?xml version='1.0'?>\n" + ENTITY_DTD + "<xliff>&b;</xliff>"),
        "xliff import {i}/text.en-ru.xlf {p}",
        "text.en-ru.xlf",
    ),
    c(
        "import-not-xliff",
        text(EXCHANGE, "<?xml version='1.0'?>\n<tmx/>"),
        "xliff import {i}/text.en-ru.xlf {p}",
        "text.en-ru.xlf",
    ),
    c(
        "import-truncated",
        lambda w: text(EXCHANGE, (w / EXCHANGE).read_bytes()[:900])(w),
        "xliff import {i}/text.en-ru.xlf {p}",
        "text.en-ru.xlf:",
    ),
    c(
        "import-wrong-target",
        edit(EXCHANGE, 'target-language="ru"', 'target-language="de"'),
        "xliff import {i}/text.en-ru.xlf {p}",
        "text.en-ru.xlf",
    ),
    c("import-folder", None, "xliff import {i} {p}", "in", code=2),
    # -- TMX -------------------------------------------------------------------------------------
    c(
        "tmx-malformed",
        text(TMX, "<tmx>\n<body>"),
        "memory import {i}/memory.tmx {p}",
        "memory.tmx:2",
    ),
    c(
        "tmx-entities",
        text(TMX, "<?xml version='1.0'?>\n" + ENTITY_DTD + "<tmx>&b;</tmx>"),
        "memory import {i}/memory.tmx {p}",
        "memory.tmx",
    ),
    c(
        "tmx-not-tmx",
        text(TMX, "<?xml version='1.0'?>\n<xliff/>"),
        "memory import {i}/memory.tmx {p}",
        "memory.tmx",
    ),
    c(
        "tmx-not-utf8",
        text(TMX, b"\xff\xff\xff"),
        "memory import {i}/memory.tmx {p}",
        "memory.tmx",
    ),
    c(
        "tmx-foreign-languages",
        lambda w: text(TMX, (w / TMX).read_text(encoding="utf-8").replace('"ru"', '"de"'))(w),
        "memory import {i}/memory.tmx {p}",
        "memory.tmx",
    ),
    # -- model packages --------------------------------------------------------------------------
    c(
        "model-not-zip",
        text("in/pkg.argosmodel", "not a zip"),
        "models install {i}/pkg.argosmodel",
        "pkg.argosmodel",
        "zip",
    ),
    c("model-missing", None, "models install {i}/nope.argosmodel", "nope.argosmodel"),
    c(
        "model-two-tops",
        package({**good_members(), "other/x": b"x"}),
        "models install {i}/pkg.argosmodel",
        "pkg.argosmodel",
    ),
    c(
        "model-dotdot",
        package({**good_members(), "translate-en_ru-1_0/../../evil": b"x"}),
        "models install {i}/pkg.argosmodel",
        "pkg.argosmodel",
        "unsafe",
    ),
    c(
        "model-absolute",
        package({**good_members(), "/tmp/evil": b"x"}),
        "models install {i}/pkg.argosmodel",
        "pkg.argosmodel",
        "unsafe",
    ),
    c(
        "model-symlink",
        package(
            good_members(**{"translate-en_ru-1_0/link": b"/etc/passwd"}),
            symlinks=("translate-en_ru-1_0/link",),
        ),
        "models install {i}/pkg.argosmodel",
        "pkg.argosmodel",
        "link",
    ),
    c(
        "model-no-metadata",
        package({k: v for k, v in good_members().items() if not k.endswith("metadata.json")}),
        "models install {i}/pkg.argosmodel",
        "pkg.argosmodel",
        "metadata.json",
    ),
    c(
        "model-bad-metadata",
        package(good_members(**{"translate-en_ru-1_0/metadata.json": b"{nope"})),
        "models install {i}/pkg.argosmodel",
        "pkg.argosmodel",
        "metadata.json",
    ),
    c(
        "model-long-name",
        package(good_members(**{"translate-en_ru-1_0/" + "n" * 300: b"x"})),
        "models install {i}/pkg.argosmodel",
        "pkg.argosmodel",
        "name",
    ),
    c(
        "model-file-and-folder",
        package(
            good_members(
                **{
                    "translate-en_ru-1_0/model": b"a file",
                    "translate-en_ru-1_0/model/config.json": b"{}",
                }
            )
        ),
        "models install {i}/pkg.argosmodel",
        "pkg.argosmodel",
        "model",
    ),
    c(
        "model-duplicate-member",
        package_twice("translate-en_ru-1_0/model/config.json"),
        "models install {i}/pkg.argosmodel",
        "pkg.argosmodel",
        "twice",
    ),
    c("model-zip-bomb", zip_bomb, "models install {i}/pkg.argosmodel", "pkg.argosmodel", "expand"),
    c("model-remove-unknown", None, "models remove xx-yy", "models"),
    # -- command-line arguments ------------------------------------------------------------------
    c("cli-unknown-edition", None, "build {p} -e nope", "nope"),
    c("cli-translate-unknown-lang", None, "translate {p} --lang xx", "--lang"),
    c("cli-translate-without-mt", None, "translate {p}", "brochure.toml: mt", "not enabled"),
    c("cli-translate-not-target", None, "translate {p} --lang kk", "--lang"),
    c("cli-check-not-target", None, "check {p} --lang kk", "--lang"),
    c(
        "cli-preview-output-is-file",
        text("in/shot", "keep me"),
        "preview {p} --draft -o {i}/shot",
        "shot",
    ),
    c("cli-preview-pages", None, "preview {p} --draft --pages abc", "--pages"),
    c("cli-impose", None, "build {p} --impose poster", "--impose", code=2),
    c("cli-unknown-command", None, "buidl", "buidl", code=2),
    c("cli-unknown-option", None, "build --colour", "--colour", code=2),
    c("cli-project-is-file", None, "build {p}/text.md", "text.md"),
    c("cli-project-missing", None, "status {w}/nowhere", "nowhere"),
    c("cli-glossary-lang", None, "glossary list --lang xx {p}", "--lang"),
]


def test_the_table_is_large_enough():
    assert len(CASES) >= 80
    assert len({case.id for case in CASES}) == len(CASES)


def snapshot(root: Path) -> dict[str, bytes | str]:
    """Every file (bytes), folder and symbolic link under root."""
    out: dict[str, bytes | str] = {}
    for path in sorted(root.rglob("*")):
        key = str(path.relative_to(root))
        if path.is_symlink():
            out[key] = f"-> {os.readlink(path)}"
        elif path.is_dir():
            out[key] = "<dir>"
        elif path.is_file():
            out[key] = path.read_bytes()
    return out


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_bad_input(case: Case, template: Path, tmp_path: Path, monkeypatch):
    world = tmp_path / "w"
    shutil.copytree(template, world, symlinks=True)
    if case.setup is not None:
        case.setup(world)
    monkeypatch.chdir(world)
    before = snapshot(world)
    result = _run(world, *case.args)
    assert result.exit_code == case.code, (result.output, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, result.stderr
    if case.code == 1:
        assert result.stderr.strip().splitlines() == errors, result.stderr
    line = errors[0]
    assert case.names in line, line
    assert case.says.lower() in line.lower(), line
    assert PRIVATE.strip() not in result.output
    after = snapshot(world)
    # byte-identical: nothing changed, and nothing but caches (.brochure/) appeared
    assert {k: v for k, v in after.items() if k in before} == before
    new = [k for k in after if k not in before and not k.startswith("p/.brochure")]
    assert new == [], new

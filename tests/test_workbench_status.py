"""The workbench's status page (in-process, Starlette's TestClient): `brochure status` per
document and edition, a rebuild, the page where a unit lands, the proof report."""

from __future__ import annotations

import threading
from unittest.mock import ANY

import pytest
from brochure.core.datamodel import RichText
from brochure.store.xliff import TranslationFile
from brochure.workbench import status_page
from conftest import write_project
from conftest_workbench import ORIGIN, api_post

pytest_plugins = ["conftest_workbench"]  # keys, client (of `served`)
TOML = """\
name = "small"
title = { en = "Small", ru = "Малая" }
source_language = "en"
target_languages = ["ru"]
documents = ["t.md"]

[[editions]]
languages = ["en", "ru"]
layout = "columns"
page_size = "A5"
formats = ["pdf"]
pdf = ["screen"]
"""
TEXT = "# The workers' demands\n\n" + "".join(
    f"Paragraph {n}: the workers of the oil fields demand a real increase in their wages.\n\n"
    for n in range(1, 41)
)


@pytest.fixture
def project(tmp_path):
    folder = write_project(tmp_path / "small", TOML, {"t.md": TEXT})
    from brochure.core.project import load_project
    from brochure.store.edit import open_synced

    store = open_synced(load_project(folder), load_project(folder).documents[0], "ru")
    for unit in list(store.units())[:3]:  # three reviewed translations, the rest missing
        store.set_target(unit.id, RichText(f"Перевод: {unit.source.text}"), "reviewed")
    store.save()
    return folder


def units(project) -> list:
    path = project / "translations" / "t.ru.xlf"
    return list(TranslationFile.open(path, "en", "ru", "t").units())


@pytest.fixture
def served(project):
    return project


def rebuild(client, keys, body, headers=None):
    return api_post(client, keys, "rebuild", body, headers)


def test_the_status_page_shows_what_brochure_status_reports(client, keys, project, invoke):
    result = invoke("status", "--json", project)
    import json

    data = json.loads(result.output)
    page = client.get(f"/status?token={keys.token}").text
    row = data["documents"][0]
    assert row["missing"]["segments"] == len(units(project)) - 3  # the heading is a unit too
    assert f'<td class="num">{row["segments"]}</td>' in page
    assert (
        f'<td class="num" title="{row["missing"]["words"]} words">{row["missing"]["segments"]}'
        in page
    )
    assert data["next_build"]["steps"][0] in page.replace("&#39;", "'").replace("&#96;", "`")
    assert "not built" in page and "/status/en-ru?token=" in page


def test_rebuild_then_the_page_where_a_unit_lands_and_the_proof(client, keys, project):
    last = units(project)[-1]
    before = client.get(f"/status/en-ru?token={keys.token}").text
    assert "No PDF yet" in before and "No PDF built yet" in before
    reply = rebuild(client, keys, {"edition": "en-ru", "doc": "t", "unit": last.id})
    assert reply.status_code == 200, reply.text
    assert reply.json()["written"] == ["small.en-ru.pdf"]
    page = reply.json()["page"]
    assert page and page > 1  # forty paragraphs: the last one is not on the first page
    image = client.get(f"/preview/en-ru/{page}.png?token={keys.token}")
    assert image.status_code == 200 and image.headers["content-type"] == "image/png"
    assert image.content.startswith(b"\x89PNG")
    assert (
        project / "build" / "preview" / f"small.en-ru.p{page:03d}.png"
    ).read_bytes() == image.content
    from brochure.outputs.preview import page_of

    assert page_of(project / "build" / "small.en-ru.pdf", [last.source.text]) == page
    shown = client.get(f"/status/en-ru?token={keys.token}&doc=t&unit={last.id}").text
    assert f'src="/preview/en-ru/{page}.png?token=' in shown
    assert "<h3>en-ru: " in shown and "pages," in shown  # the proof report of the PDF
    again = rebuild(client, keys, {"edition": "en-ru", "doc": "t", "unit": last.id})
    assert again.json() == {"written": [], "page": page, "pdf": "small.en-ru.pdf",
                            "files": [{"name": "small.en-ru.pdf", "size": ANY}]}  # incremental  # fmt: skip


def test_the_page_of_a_unit_is_where_it_starts(project, client, keys):
    first, last = units(project)[1], units(project)[-1]
    assert rebuild(client, keys, {"edition": "en-ru"}).status_code == 200
    from brochure.outputs.preview import page_of

    pdf = project / "build" / "small.en-ru.pdf"
    # page 1 is the title page; the text starts on page 2
    assert page_of(pdf, [first.source.text, first.target.text]) == 2
    assert page_of(pdf, ["The workers' demands"]) == 2  # a heading: its bookmark
    assert page_of(pdf, ["Nothing like this is printed"]) is None
    assert page_of(pdf, [last.source.text]) > 1


def test_one_rebuild_at_a_time(project, monkeypatch):
    rebuilds = status_page.Rebuilds()
    assert rebuilds.lock.acquire()  # one is running
    try:
        with pytest.raises(status_page.Busy, match="a rebuild is running already"):
            rebuilds.run(project, "en-ru")
    finally:
        rebuilds.lock.release()
    started, release = threading.Event(), threading.Event()

    def slow_build(*args, **kwargs):
        started.set()
        release.wait(30)
        return []

    monkeypatch.setattr("brochure.pipeline.build.build_project", slow_build)
    worker = threading.Thread(target=rebuilds.run, args=(project, "en-ru"))
    worker.start()
    assert started.wait(30)
    with pytest.raises(status_page.Busy):
        rebuilds.run(project, "en-ru")
    release.set()
    worker.join(30)
    assert rebuilds.run(project, "en-ru") == []


def test_bad_requests_are_one_clear_error(client, keys, project):
    for body, status, text in (
        ({"edition": "nope"}, 404, "'nope': no such edition"),
        ({"edition": "en-ru", "doc": "../t", "unit": "s1"}, 404, "no such document"),
        ({"edition": "en-ru", "doc": "t", "unit": "s000000000000"}, 404, "not a unit of t"),
        ({"edition": 5}, 400, "must be strings"),
    ):
        reply = rebuild(client, keys, body)
        assert reply.status_code == status and text in reply.json()["error"], body
    assert not (project / "build").exists()
    assert client.get(f"/status/nope?token={keys.token}").status_code == 404
    assert client.get(f"/preview/en-ru/1.png?token={keys.token}").status_code == 400  # not built


# -- security ------------------------------------------------------------------------------------
def test_every_status_request_needs_the_token_host_origin_and_csrf(client, keys, project):
    for url in ("/status", "/status/en-ru", "/preview/en-ru/1.png", "/static/status.js"):
        assert client.get(url).status_code == 403
        assert client.get(url + "?token=wrong").status_code == 403
        headers = {"Host": "evil.example:8765"}
        assert client.get(f"{url}?token={keys.token}", headers=headers).status_code == 403
        headers = {"Origin": "http://evil.example"}
        assert client.get(f"{url}?token={keys.token}", headers=headers).status_code == 403
    body = {"edition": "en-ru"}
    assert rebuild(client, keys, body, {"X-CSRF-Token": ""}).status_code == 403
    assert rebuild(client, keys, body, {"Origin": "http://evil.example"}).status_code == 403
    assert rebuild(client, keys, body, {"Origin": ""}).status_code == 403
    no_token = client.post("/api/rebuild", json=body, headers={"X-CSRF-Token": keys.csrf, **ORIGIN})
    assert no_token.status_code == 403
    assert not (project / "build").exists()


def test_no_path_comes_from_the_page(client, keys, project):
    (project.parent / "secret.png").write_bytes(b"\x89PNG private")
    for url in (
        "/preview/..%2F..%2Fsecret/1.png",
        "/preview/en-ru/..%2F..%2F..%2Fsecret.png",
        "/status/..%2F..%2Fsecret",
    ):
        reply = client.get(f"{url}?token={keys.token}")
        assert reply.status_code == 404 and b"private" not in reply.content, url


def test_a_script_in_a_unit_is_inert_on_the_edition_page(client, keys, project):
    (project / "t.md").write_text("# <script>alert(1)</script>\n\nText.\n", encoding="utf-8")
    page = client.get(f"/status/en-ru?token={keys.token}").text
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def pdf_text(path) -> str:
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    try:
        return "".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    finally:
        document.close()


def test_a_rebuild_is_a_draft_only_while_translations_are_missing(client, keys, project):
    assert rebuild(client, keys, {"edition": "en-ru"}).status_code == 200
    assert "D RA F T" in pdf_text(project / "build" / "small.en-ru.pdf")  # 38 missing: marked
    from brochure.core.project import load_project
    from brochure.store.edit import open_synced

    loaded = load_project(project)
    store = open_synced(loaded, loaded.documents[0], "ru")
    for unit in store.units():
        store.set_target(unit.id, RichText(f"Перевод: {unit.source.text}"), "reviewed")
    store.save()
    reply = rebuild(client, keys, {"edition": "en-ru"})
    assert reply.status_code == 200 and reply.json()["written"] == ["small.en-ru.pdf"]
    text = pdf_text(project / "build" / "small.en-ru.pdf")
    assert "D RA F T" not in text and "missing translation" not in text


def test_an_edition_without_a_pdf_says_so(client, keys, project):
    toml = (project / "brochure.toml").read_text(encoding="utf-8")
    (project / "brochure.toml").write_text(
        toml.replace('formats = ["pdf"]\npdf = ["screen"]', 'formats = ["docx"]'), encoding="utf-8"
    )
    page = client.get(f"/status/en-ru?token={keys.token}").text
    assert "This edition writes no PDF (formats: docx)" in page
    reply = rebuild(client, keys, {"edition": "en-ru", "doc": "t", "unit": units(project)[1].id})
    assert reply.status_code == 200 and reply.json() == {
        "written": ["small.en-ru.docx"], "page": None, "pdf": "",
        "files": [{"name": "small.en-ru.docx", "size": ANY}],
    }  # fmt: skip


def test_the_edition_page_serves_its_built_files_and_nothing_else(client, keys, project):
    """PDF, DOCX and EPUB to open or save from the edition's page; a name the edition does not
    write, or a path, is not served; the token is needed as everywhere."""
    toml = (project / "brochure.toml").read_text(encoding="utf-8")
    (project / "brochure.toml").write_text(
        toml.replace('formats = ["pdf"]', 'formats = ["pdf", "epub"]'), encoding="utf-8"
    )
    assert "files: none built yet" in client.get(f"/status/en-ru?token={keys.token}").text
    reply = rebuild(client, keys, {"edition": "en-ru"})
    assert [f["name"] for f in reply.json()["files"]] == ["small.en-ru.pdf", "small.en-ru.epub"]
    page = client.get(f"/status/en-ru?token={keys.token}").text
    assert f'<a href="/files/en-ru/small.en-ru.pdf?token={keys.token}">small.en-ru.pdf</a>' in page
    assert f'<a href="/files/en-ru/small.en-ru.epub?token={keys.token}" download>' in page
    pdf = client.get(f"/files/en-ru/small.en-ru.pdf?token={keys.token}")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["content-disposition"].startswith("inline")
    assert pdf.content == (project / "build" / "small.en-ru.pdf").read_bytes()
    epub = client.get(f"/files/en-ru/small.en-ru.epub?token={keys.token}")
    assert epub.headers["content-type"] == "application/epub+zip"
    assert epub.headers["content-disposition"].startswith("attachment")
    (project / "build" / "notes.txt").write_text("not an output", encoding="utf-8")
    for name in ("notes.txt", "small.en-ru.docx", "..%2Fbrochure.toml", "%2Fetc%2Fpasswd"):
        assert client.get(f"/files/en-ru/{name}?token={keys.token}").status_code == 404, name
    assert client.get("/files/en-ru/small.en-ru.pdf").status_code == 403
    assert client.get(f"/files/nope/small.en-ru.pdf?token={keys.token}").status_code == 404

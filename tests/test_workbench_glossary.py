"""The workbench's glossary editor (in-process, Starlette's TestClient): its table, a concept's
form and uses, and writes that give the same bytes as `brochure glossary add/edit/remove`.
The browser tests are in tests/test_workbench_browser.py."""

from __future__ import annotations

import shutil

import pytest
from brochure.workbench.glossary_page import version
from conftest_workbench import ORIGIN, api_post

pytest_plugins = ["conftest_workbench"]  # keys, client (of `served`)
# A translator's file: comments, a blank line, an unknown column, a quoted cell, CRLF endings.
TSV = (
    "# our terms\r\n"
    "id\ten\tru\tkk\tsource\tnote\r\n"
    "\r\n"
    'oblast\tregion\tобласть\tоблыс\tteam list 3\t"a ""quoted"" note"\r\n'
    "akim\takim\tаким\tәкім\t\t\r\n"
    "# end of our list\r\n"
)


@pytest.fixture
def project(seed_project):
    (seed_project / "glossary").mkdir()
    (seed_project / "glossary" / "terms.tsv").write_bytes(TSV.encode())
    return seed_project


@pytest.fixture
def served(project):
    return project


def tsv(project) -> bytes:
    return (project / "glossary" / "terms.tsv").read_bytes()


def post(client, keys, project, action, cid, fields=None, **overrides):
    seen = version(project, cid)  # the concept as its page showed it ("" for a new one)
    body = {"action": action, "id": cid, "fields": fields or {}, "version": seen}
    body.update(overrides.pop("body", {}))
    return api_post(client, keys, "glossary", body, overrides.pop("headers", {}))


def cli_twin(project, tmp_path, invoke, *args):
    """The same change made by `brochure glossary ...` on a copy of the project: its TSV bytes."""
    twin = tmp_path / "twin"
    shutil.copytree(project / "glossary", twin / "glossary")
    shutil.copy(project / "brochure.toml", twin / "brochure.toml")
    result = invoke("glossary", *args, twin)
    assert result.exit_code == 0, result.output
    return (twin / "glossary" / "terms.tsv").read_bytes()


def test_the_table_lists_built_in_and_project_concepts_marked(client, keys):
    page = client.get(f"/glossary?token={keys.token}")
    assert page.status_code == 200
    assert 'class="concept built-in"' in page.text  # the built-in political glossary
    last = client.get(f"/glossary?token={keys.token}&page=99").text  # the project's come last
    assert 'id="c-oblast"' in last and "облыс" in last and 'class="concept project"' in last
    found = client.get("/glossary", params={"token": keys.token, "q": "аким"})
    assert 'id="c-akim"' in found.text and 'id="c-oblast"' not in found.text
    assert 'class="concept override"' in found.text  # a project row over the built-in akim
    assert found.text.count('class="concept ') < 10  # the search, not the whole termbase


def test_add_writes_what_the_cli_writes_and_keeps_every_other_byte(
    client, keys, project, tmp_path, invoke
):
    fields = {"en": "general assembly", "ru": "общее собрание", "kk": "жалпы жиналыс",
              "ru_forbidden": "", "flags": "", "note": "of a union"}  # fmt: skip
    expected = cli_twin(project, tmp_path, invoke, "add", "--en", "general assembly",
                        "--ru", "общее собрание", "--kk", "жалпы жиналыс",
                        "--note", "of a union")  # fmt: skip
    reply = post(client, keys, project, "add", "", fields)
    assert reply.status_code == 200, reply.text
    assert reply.json()["id"] == "general-assembly"
    assert tsv(project) == expected and tsv(project).startswith(TSV.encode())
    assert reply.json()["version"] == version(project, "general-assembly")
    page = client.get(f"/glossary/concept/general-assembly?token={keys.token}")
    assert "общее собрание" in page.text and 'class="badge project"' in page.text


def test_edit_changes_only_the_changed_cells_like_the_cli(client, keys, project, tmp_path, invoke):
    expected = cli_twin(project, tmp_path, invoke, "edit", "oblast", "--ru-admitted", "регион")
    form = {"en": "region", "ru": "область", "kk": "облыс", "ru_admitted": "регион",
            "note": 'a "quoted" note', "flags": "", "pos": "", "domain": ""}  # fmt: skip
    reply = post(client, keys, project, "edit", "oblast", form)
    assert reply.status_code == 200, reply.text
    assert tsv(project) == expected
    assert tsv(project).decode().splitlines()[3].endswith('\t"a ""quoted"" note"\tрегион')


def test_editing_a_built_in_concept_writes_an_override_row(client, keys, project, tmp_path, invoke):
    page = client.get(f"/glossary/concept/general-strike?token={keys.token}")
    assert 'class="badge built-in"' in page.text
    expected = cli_twin(project, tmp_path, invoke, "edit", "general-strike", "--note", "ours")
    reply = client.get("/glossary", params={"token": keys.token, "q": "general-strike"})
    assert 'id="c-general-strike"' in reply.text
    from brochure.glossary.load import load_termbase

    form = load_termbase(project).get("general-strike").to_row() | {"note": "ours"}
    form = {k: v for k, v in form.items() if k != "id" and not k.startswith("en_forms")}
    assert post(client, keys, project, "edit", "general-strike", form).status_code == 200
    assert tsv(project) == expected
    page = client.get(f"/glossary/concept/general-strike?token={keys.token}")
    assert (
        'class="badge override"' in page.text and "remove the project&#39;s override" in page.text
    )
    emptied = post(client, keys, project, "edit", "general-strike", form | {"ru": ""})
    assert emptied.status_code == 400 and "keeps its built-in value" in emptied.json()["error"]


def test_remove_deletes_only_that_row(client, keys, project, tmp_path, invoke):
    expected = cli_twin(project, tmp_path, invoke, "remove", "akim")
    assert post(client, keys, project, "remove", "akim").status_code == 200
    assert tsv(project) == expected and b"akim" not in tsv(project)
    builtin = post(client, keys, project, "remove", "general-strike")
    assert builtin.status_code == 400 and "built-in glossary" in builtin.json()["error"]


def test_a_glossary_changed_on_disk_meanwhile_is_a_conflict(client, keys, project, invoke):
    seen = version(project, "akim")
    result = invoke("glossary", "edit", "akim", "--note", "changed by the CLI", project)
    assert result.exit_code == 0
    before = tsv(project)
    reply = post(client, keys, project, "edit", "akim", {"note": "mine"}, body={"version": seen})
    assert reply.status_code == 409 and "changed on disk" in reply.json()["error"]
    assert reply.json()["theirs"]["note"] == "changed by the CLI"
    assert tsv(project) == before


def other_lines(project, cid) -> list[bytes]:
    """The glossary file's lines but concept `cid`'s row, as bytes (line endings kept)."""
    return [line for line in tsv(project).splitlines(keepends=True)
            if not line.startswith(cid.encode() + b"\t")]  # fmt: skip


def test_use_mine_saves_against_the_version_the_conflict_showed(client, keys, project, invoke):
    """The 409 carries theirs and its version; the page's "use mine" sends the refused fields
    again against that version: a third change made in between is refused in turn, not
    overwritten; then mine is saved, and every other line of the file keeps its bytes."""
    seen = version(project, "oblast")
    assert invoke("glossary", "edit", "oblast", "--note", "theirs", project).exit_code == 0
    mine = {"en": "region", "ru": "область", "kk": "облыс", "note": "mine", "flags": "",
            "pos": "", "domain": ""}  # fmt: skip
    refused = post(client, keys, project, "edit", "oblast", mine, body={"version": seen})
    assert refused.status_code == 409
    shown = refused.json()
    assert shown["theirs"]["note"] == "theirs" and shown["theirs"]["en"] == "region"
    assert shown["version"] == version(project, "oblast") != seen
    # a third change (a colleague's `glossary edit`) before the translator clicks "use mine"
    third = invoke("glossary", "edit", "oblast", "--kk-admitted", "аймақ", project)
    assert third.exit_code == 0, third.output
    before = tsv(project)
    again = post(client, keys, project, "edit", "oblast", mine, body={"version": shown["version"]})
    assert again.status_code == 409 and again.json()["theirs"]["kk_admitted"] == "аймақ"
    assert tsv(project) == before  # the third change stays
    others = other_lines(project, "oblast")
    used = post(client, keys, project, "edit", "oblast", mine | {"kk_admitted": ""},
                body={"version": again.json()["version"]})  # fmt: skip
    assert used.status_code == 200, used.json()
    assert used.json()["concept"]["note"] == "mine" and used.json()["version"] == version(
        project, "oblast"
    )
    shown = invoke("glossary", "show", "oblast", project).output
    assert "mine" in shown and "аймақ" not in shown
    assert (
        other_lines(project, "oblast") == others
    )  # the comments, akim, CRLF endings: as they were


def test_use_mine_adds_back_a_concept_removed_meanwhile(client, keys, project, invoke):
    seen = version(project, "oblast")
    assert invoke("glossary", "remove", "oblast", project).exit_code == 0
    mine = {"en": "region", "ru": "область", "kk": "облыс", "note": "mine", "flags": ""}
    refused = post(client, keys, project, "edit", "oblast", mine, body={"version": seen})
    assert refused.status_code == 409
    assert refused.json()["theirs"] is None and refused.json()["version"] == ""
    others = other_lines(project, "oblast")
    used = post(client, keys, project, "edit", "oblast", mine, body={"version": ""})
    assert used.status_code == 200, used.json()
    assert used.json()["concept"]["note"] == "mine"
    assert other_lines(project, "oblast") == others
    # a page still showing it removed, after someone added it back: refused, not overwritten
    late = post(
        client, keys, project, "edit", "oblast", mine | {"note": "late"}, body={"version": ""}
    )
    assert late.status_code == 409 and late.json()["theirs"]["note"] == "mine"


def test_a_change_to_another_concept_meanwhile_stops_nothing(client, keys, project, invoke):
    """A colleague adds a term from the terminal while a concept's page is open: the page's save
    of its own concept goes through, and the new row stays."""
    seen = version(project, "akim")
    added = invoke("glossary", "add", "--en", "picket", "--ru", "пикет", "--kk", "пикет", project)
    assert added.exit_code == 0, added.output
    reply = post(client, keys, project, "edit", "akim", {"note": "глава местной администрации"},
                 body={"version": seen})  # fmt: skip
    assert reply.status_code == 200, reply.json()
    text = tsv(project).decode()
    assert "глава местной администрации" in text and "пикет" in text


def test_bad_input_is_one_clear_error_and_writes_nothing(client, keys, project):
    before = tsv(project)
    flag = post(client, keys, project, "add", "x", {"en": "x", "flags": "loud"})
    assert flag.status_code == 400 and "unknown flag 'loud'" in flag.json()["error"]
    form = post(client, keys, project, "add", "y", {"ru": "y", "ru_forms": "dative=x"})
    assert form.status_code == 400 and "unknown form tag 'dative'" in form.json()["error"]
    taken = post(client, keys, project, "add", "akim", {"en": "akim"})
    assert taken.status_code == 400 and "exists already" in taken.json()["error"]
    column = post(client, keys, project, "add", "z", {"en": "z", "../x": "1"})
    assert column.status_code == 400 and "unknown column" in column.json()["error"]
    assert post(client, keys, project, "rename", "akim").status_code == 400
    assert tsv(project) == before


def test_a_note_typed_on_several_lines_is_saved_on_one(client, keys, project, invoke):
    """The note's box takes Enter and pasted tabs; the TSV's cell holds one line (the CLI refuses
    a tab or line break in an argument; the page's box is not an argument)."""
    note = "Сноска редактора:\r\n  «аким» — глава администрации;\n\tне «губернатор».  "
    lines = tsv(project).count(b"\n")
    reply = post(client, keys, project, "edit", "akim", {"note": note})
    assert reply.status_code == 200, reply.json()
    shown = invoke("glossary", "show", "akim", project)
    assert "Сноска редактора: «аким» — глава администрации; не «губернатор»." in shown.output
    assert tsv(project).count(b"\n") == lines  # the row stays one line


def test_lint_problems_are_shown_beside_their_row(client, keys, project, invoke):
    invoke("glossary", "edit", "akim", "--ru-forbidden", "аким", project)
    page = client.get("/glossary", params={"token": keys.token, "q": "akim"}).text
    row = page[page.index('id="c-akim"') :]
    row = row[: row.index("</tr>")]
    assert "error: akim: ru «аким» is both forbidden and approved" in row


def test_a_concepts_page_lists_the_units_using_it_with_links_to_the_grid(client, keys, project):
    page = client.get(f"/glossary/concept/general-strike?token={keys.token}").text
    uses = page[page.index("where it is used") :]
    assert "/segments/statement-2022-01-07/ru?token=" in uses and "#u-s" in uses
    assert "source «general strike»" in uses and "target «всеобщей забастовки»" in uses
    assert "target «жалпы ереуіл»" in uses


# -- security ------------------------------------------------------------------------------------
def test_every_glossary_request_needs_the_token_host_origin_and_csrf(client, keys, project):
    for url in ("/glossary", "/glossary/new", "/glossary/concept/akim", "/static/glossary.js"):
        assert client.get(url).status_code == 403
        assert client.get(url + "?token=wrong").status_code == 403
        assert client.get(f"{url}?token={keys.token}").status_code == 200, url
        assert client.get(f"{url}?token={keys.token}", headers={"Host": "evil.example:8765"}
                          ).status_code == 403  # fmt: skip
    before = tsv(project)
    fields = {"note": "x"}
    assert post(client, keys, project, "edit", "akim", fields, headers={"X-CSRF-Token": ""}
                ).status_code == 403  # fmt: skip
    assert post(client, keys, project, "edit", "akim", fields,
                headers={"Origin": "http://evil.example"}).status_code == 403  # fmt: skip
    assert post(client, keys, project, "edit", "akim", fields, headers={"Origin": ""}
                ).status_code == 403  # fmt: skip
    no_token = client.post("/api/glossary", json={}, headers={"X-CSRF-Token": keys.csrf, **ORIGIN})
    assert no_token.status_code == 403
    assert tsv(project) == before


def test_no_path_comes_from_the_page(client, keys, project):
    (project.parent / "secret.tsv").write_text("id\ten\nsecret\tprivate\n")
    for cid in ("../../secret", "..%2F..%2Fsecret", "/etc/passwd"):
        reply = client.get(f"/glossary/concept/{cid}?token={keys.token}")
        assert reply.status_code == 404 and "private" not in reply.text
    bad = post(client, keys, project, "add", "../../secret", {"en": "x"})
    assert bad.status_code == 400 and "use letters, digits" in bad.json()["error"]
    assert not (project.parent / "glossary").exists()
    assert (project.parent / "secret.tsv").read_text() == "id\ten\nsecret\tprivate\n"


def test_a_script_in_a_concept_is_inert(client, keys, project):
    attack = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    reply = post(client, keys, project, "add", "xss", {"en": attack, "note": attack})
    assert reply.status_code == 400 and "is not a term" in reply.json()["error"]  # not words
    # a term may hold quotes and ampersands (prose punctuation), a note anything
    term = """alert "one" & 'two'"""
    reply = post(client, keys, project, "add", "xss", {"en": term, "note": attack})
    assert reply.status_code == 200, reply.text
    page = client.get(f"/glossary/concept/xss?token={keys.token}").text
    assert 'value="alert &#34;one&#34; &amp; &#39;two&#39;"' in page
    for url in ("/glossary/concept/xss", "/glossary"):
        page = client.get(f"{url}?token={keys.token}&q=alert").text
        assert "<script>alert" not in page and "<img src=x" not in page, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page, url

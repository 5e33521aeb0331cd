"""`brochure serve`, the workbench: its security guard and its API, in-process (Starlette's
TestClient: no socket). The browser test is tests/test_workbench_browser.py."""

from __future__ import annotations

import re

from brochure.core.project import load_project
from brochure.sources.markdown_out import rich_markdown
from brochure.store.edit import unit_version
from brochure.store.xliff import TranslationFile
from conftest_workbench import ORIGIN, PORT, api_post
from test_schemas import xliff2

pytest_plugins = ["conftest_workbench"]  # keys, client (the seed project's workbench)
DOC, LANG = "statement-2022-01-07", "ru"


def store(project, doc=DOC, lang=LANG) -> TranslationFile:
    path = project / "translations" / f"{doc}.{lang}.xlf"
    return TranslationFile.open(path, "en", lang, doc)


def first_unit(project):
    return next(store(project).units())


def save(client, keys, unit, target, state="reviewed", **overrides):
    body = {"doc": DOC, "lang": LANG, "id": unit.id, "target": target, "state": state,
            "version": unit_version(unit)}  # fmt: skip
    body.update(overrides.pop("body", {}))
    return api_post(client, keys, "unit", body, overrides.pop("headers", {}))


def test_the_grid_lists_every_unit_with_its_state_and_origin(client, keys, seed_project):
    units = list(store(seed_project).units())
    page = client.get(f"/segments/{DOC}/{LANG}?token={keys.token}")
    assert page.status_code == 200
    assert page.text.count('class="unit"') == len(units)
    assert f'data-id="{units[0].id}"' in page.text and "Заявление" in page.text
    assert page.headers["content-security-policy"].startswith("default-src 'self'")
    index = client.get(f"/?token={keys.token}")
    assert (
        f"/segments/{DOC}/ru?token=" in index.text and "/segments/programme-part-1/kk" in index.text
    )


def test_the_project_page_shows_each_documents_progress_and_what_is_left_to_do(
    client, keys, seed_project
):
    """The first page says, per document and language, how many segments are final and reviewed
    and links to those still to do: as many as the grid's "to do" filter lists."""
    units = list(store(seed_project).units())
    drafted = store(seed_project)
    drafted.set_target(units[2].id, units[2].target, "translated", meta={"origin": "mt"})
    drafted.save()
    index = client.get(f"/?token={keys.token}").text
    assert f"{len(units)} segments" in index
    todo = f"/segments/{DOC}/{LANG}?token={keys.token}&amp;state=todo"
    assert f'<a class="todo" href="{todo}">1 to do</a>' in index
    grid = client.get(f"/segments/{DOC}/{LANG}", params={"token": keys.token, "state": "todo"})
    assert grid.text.count('class="unit"') == 1
    assert index.count('class="done"') == 3  # every other document and language: all approved


def test_filters_by_state_and_text(client, keys, seed_project):
    units = list(store(seed_project).units())
    q = client.get(f"/segments/{DOC}/{LANG}", params={"token": keys.token, "q": "ЖАНАОЗЕН"})
    expected = [
        u.id for u in units if "жанаозен" in (u.target.text.lower() + u.source.text.lower())
    ]
    assert expected and q.text.count('class="unit"') == len(expected)
    assert save(client, keys, units[0], units[0].target.text, state="translated").status_code == 200
    todo = client.get(f"/segments/{DOC}/{LANG}", params={"token": keys.token, "state": "todo"})
    assert todo.text.count('class="unit"') == 1 and f'data-id="{units[0].id}"' in todo.text


def test_filters_by_origin_by_qa_problem_and_by_document(client, keys, seed_project):
    units = list(store(seed_project).units())
    url = f"/segments/{DOC}/{LANG}"
    every = client.get(url, params={"token": keys.token, "origin": "human"})
    assert every.text.count('class="unit"') == len(units)  # the seed is translated by people
    assert (
        client.get(url, params={"token": keys.token, "origin": "machine"}).text.count(
            'class="unit"'
        )
        == 0
    )
    drafted = store(seed_project)
    drafted.set_target(units[2].id, units[2].target, "translated", meta={"origin": "mt"})
    drafted.save()
    machine = client.get(url, params={"token": keys.token, "origin": "machine"}).text
    assert machine.count('class="unit"') == 1 and f'data-id="{units[2].id}"' in machine
    assert (
        client.get(url, params={"token": keys.token, "problem": "1"}).text.count('class="unit"')
        == 0
    )  # the seed passes brochure check --strict
    assert (
        save(client, keys, units[1], units[1].target.text + ", общая забастовка").status_code == 200
    )
    problem = client.get(url, params={"token": keys.token, "problem": "1", "origin": "human"})
    assert problem.text.count('class="unit"') == 1 and f'data-id="{units[1].id}"' in problem.text
    assert 'name="problem" value="1" checked' in problem.text
    # the document filter: the other document's grid, the other filters kept
    moved = client.get(url, params={"token": keys.token, "doc": "programme-part-1", "state": "final"},
                       follow_redirects=False)  # fmt: skip
    assert moved.status_code == 303
    assert moved.headers["location"] == (
        f"/segments/programme-part-1/{LANG}?token={keys.token}&state=final"
    )
    other = client.get(moved.headers["location"])
    assert other.status_code == 200
    finals = [u for u in store(seed_project, "programme-part-1").units() if u.state == "final"]
    assert other.text.count('class="unit"') == len(finals)
    assert client.get(url, params={"token": keys.token, "doc": "../../secret"}).status_code == 404


def test_a_filtered_grid_reads_only_its_page_from_the_store_facts(
    client, keys, seed_project, monkeypatch, invoke
):
    """Filters run on the store's facts of each unit, kept with the store cache and carried over
    saves: a filtered page reads only the units it shows, and still sees every change (a save on
    the page, a change on disk by the CLI, a glossary edit)."""
    url, token = f"/segments/{DOC}/{LANG}", keys.token
    units = list(store(seed_project).units())
    read: list[str] = []
    view = TranslationFile._view

    def counted(self, el):
        read.append(el.get("id"))
        return view(self, el)

    monkeypatch.setattr(TranslationFile, "_view", counted)

    def shown(**params) -> list[str]:
        read.clear()
        page = client.get(url, params={"token": token, **params}).text
        return re.findall(r'<tr class="unit" id="u-[^"]+" data-id="([^"]+)"', page)

    assert len(shown(origin="human")) == len(units)  # the first filtered page reads the facts
    assert shown(q="ЖАНАОЗЕН") == [u.id for u in units if "жанаозен" in u.target.text.lower()]
    assert sorted(read) == sorted(shown(q="ЖАНАОЗЕН")), "only the shown units are read"
    # a save on the page: the facts follow it, no unit read again but the saved one and the shown
    assert save(client, keys, units[3], units[3].target.text, state="translated").status_code == 200
    assert shown(state="todo") == [units[3].id] and read == [units[3].id]
    # a change on disk (the CLI, an editor): another version of the file, read again
    other = store(seed_project)
    other.set_target(units[5].id, units[5].target, "translated", meta={"origin": "mt"})
    other.save()
    assert shown(state="todo") == [units[3].id, units[5].id]
    assert shown(origin="machine") == [units[5].id] and read == [units[5].id]
    # a glossary edit: the problems of every unit are checked against the new glossary
    assert shown(problem="1") == []
    word = units[7].target.text.split()[0].strip(",.:;«»")
    assert invoke("glossary", "add", "--en", "zzz", "--ru", "ззз", "--ru-forbidden", word,
                  seed_project).exit_code == 0  # fmt: skip
    assert units[7].id in shown(problem="1")


def test_a_save_goes_through_the_store_and_stays_valid(client, keys, seed_project):
    unit = first_unit(seed_project)
    reply = save(client, keys, unit, "Заявление СДК", state="reviewed")
    assert reply.status_code == 200, reply.text
    saved = store(seed_project).get(unit.id)
    assert saved.target.text == "Заявление СДК" and saved.state == "reviewed"
    assert saved.meta["origin"] == "human" and saved.meta["via"] == "workbench"
    assert reply.json()["version"] == unit_version(saved)
    xliff2(seed_project / "translations" / f"{DOC}.{LANG}.xlf")


def test_a_state_change_keeps_the_targets_markup(client, keys, seed_project):
    unit = next(u for u in store(seed_project).units() if u.target.spans)
    page = client.get(f"/segments/{DOC}/{LANG}?token={keys.token}").text
    assert f">{rich_markdown(unit.target)}</textarea>" in page  # the target as the page edits it
    markdown = rich_markdown(unit.target)
    assert save(client, keys, unit, markdown, state="translated").status_code == 200
    saved = store(seed_project).get(unit.id)
    assert saved.state == "translated" and saved.target == unit.target


def test_editing_a_target_keeps_its_emphasis_and_note(client, keys, seed_project):
    doc = "programme-part-1"
    unit = next(u for u in store(seed_project, doc).units() if u.id == "s4af9b557f034")
    assert {s.kind for s in unit.target.spans} == {"em", "note"}
    markdown = rich_markdown(unit.target)
    assert markdown.startswith("_[Прим. ред.: Предисловие ниже") and markdown.endswith("]_")
    edited = markdown.replace("Предисловие ниже", "**Предисловие** ниже")
    reply = save(client, keys, unit, edited, body={"doc": doc})
    assert reply.status_code == 200, reply.text
    assert reply.json()["target"] == edited
    saved = store(seed_project, doc).get(unit.id)
    assert saved.target.text == unit.target.text  # the marks are markup, not text
    kinds = {(s.kind, saved.target.text[s.start : s.end]) for s in saved.target.spans}
    assert ("em", unit.target.text) in kinds and ("note", unit.target.text) in kinds
    assert ("strong", "Предисловие") in kinds
    assert saved.meta["origin"] == "human"
    xliff2(seed_project / "translations" / f"{doc}.{LANG}.xlf")
    # emphasis alone changed on disk since the page loaded the unit: a conflict, not overwritten
    other = store(seed_project, doc)
    other.set_target(unit.id, type(unit.target)(saved.target.text), "reviewed")
    other.save()
    again = save(client, keys, saved, edited, body={"doc": doc})
    assert again.status_code == 409


def test_a_link_written_in_the_workbench_is_kept_with_its_target(client, keys, seed_project):
    """`[words](url)` in the grid is a link (XLIFF <pc type="link">), shown again as written; a
    link to anything but the web or mail keeps only its words."""
    unit = first_unit(seed_project)
    edited = "Заявление [СДК](https://example.org/sdk?a=1&b=2) и [файл](file:///etc/passwd)"
    reply = save(client, keys, unit, edited, state="reviewed")
    assert reply.status_code == 200, reply.text
    saved = store(seed_project).get(unit.id)
    assert saved.target.text == "Заявление СДК и файл"
    links = [(saved.target.text[s.start : s.end], s.target) for s in saved.target.spans]
    assert links == [("СДК", "https://example.org/sdk?a=1&b=2")]
    assert rich_markdown(saved.target) == "Заявление [СДК](https://example.org/sdk?a=1&b=2) и файл"
    xliff2(seed_project / "translations" / f"{DOC}.{LANG}.xlf")


def test_a_unit_changed_on_disk_since_the_page_loaded_it_is_a_conflict(client, keys, seed_project):
    loaded = first_unit(seed_project)
    other = store(seed_project)  # the CLI, an editor or an import saves meanwhile
    other.set_target(loaded.id, type(loaded.target)("Их версия"), "final")
    other.save()
    before = (seed_project / "translations" / f"{DOC}.{LANG}.xlf").read_bytes()
    reply = save(client, keys, loaded, "Моя версия")
    assert reply.status_code == 409
    assert reply.json()["target"] == "Их версия" and "changed on disk" in reply.json()["error"]
    assert (seed_project / "translations" / f"{DOC}.{LANG}.xlf").read_bytes() == before


def test_bad_input_is_one_clear_error_and_writes_nothing(client, keys, seed_project):
    unit = first_unit(seed_project)
    before = (seed_project / "translations" / f"{DOC}.{LANG}.xlf").read_bytes()
    bad_state = save(client, keys, unit, "x", state="approved")
    assert bad_state.status_code == 400 and "unknown state 'approved'" in bad_state.json()["error"]
    no_unit = save(client, keys, unit, "x", body={"id": "s000000000000"})
    assert no_unit.status_code == 400 and "not a segment" in no_unit.json()["error"]
    assert save(client, keys, unit, "x", body={"target": 5}).status_code == 400
    assert (seed_project / "translations" / f"{DOC}.{LANG}.xlf").read_bytes() == before


# -- security ------------------------------------------------------------------------------------
def test_every_request_needs_the_token(client, keys, seed_project):
    for url in ("/", f"/segments/{DOC}/{LANG}", "/static/workbench.js", "/static/context.js"):
        assert client.get(url).status_code == 403
        assert client.get(url + "?token=wrong").status_code == 403
        assert client.get(f"{url}?token={keys.token}").status_code == 200
    unit = first_unit(seed_project)
    body = {"doc": DOC, "lang": LANG, "id": unit.id, "target": "x", "state": "reviewed",
            "version": unit_version(unit)}  # fmt: skip
    refused = client.post("/api/unit", json=body, headers={"X-CSRF-Token": keys.csrf, **ORIGIN})
    assert refused.status_code == 403
    assert store(seed_project).get(unit.id).target.text == unit.target.text


def test_a_foreign_host_or_origin_is_refused(client, keys, seed_project):
    url = f"/?token={keys.token}"
    assert client.get(url, headers={"Host": "evil.example:8765"}).status_code == 403  # rebinding
    assert client.get(url, headers={"Host": f"localhost:{PORT}"}).status_code == 200
    assert client.get(url, headers={"Origin": "http://evil.example"}).status_code == 403
    unit = first_unit(seed_project)
    assert (
        save(client, keys, unit, "x", headers={"Origin": "http://evil.example"}).status_code == 403
    )
    no_origin = {"Origin": ""}
    assert save(client, keys, unit, "x", headers=no_origin).status_code == 403
    assert store(seed_project).get(unit.id).target.text == unit.target.text


def test_a_write_without_the_csrf_token_is_refused(client, keys, seed_project):
    unit = first_unit(seed_project)
    assert save(client, keys, unit, "x", headers={"X-CSRF-Token": ""}).status_code == 403
    assert save(client, keys, unit, "x", headers={"X-CSRF-Token": keys.token}).status_code == 403
    assert store(seed_project).get(unit.id).target.text == unit.target.text


def test_no_path_outside_the_project_is_reached(client, keys, seed_project):
    (seed_project.parent / "secret.txt").write_text("private")
    token = keys.token
    for url in (
        f"/segments/..%2F..%2Fsecret/{LANG}?token={token}",
        f"/segments/{DOC}/..%2Fsecret?token={token}",
        f"/static/..%2F..%2F..%2Fsecret.txt?token={token}",
        f"/static/%2E%2E/app.py?token={token}",
    ):
        reply = client.get(url)
        assert reply.status_code == 404 and "private" not in reply.text, url
    unit = first_unit(seed_project)
    reply = save(client, keys, unit, "x", body={"doc": "../../secret"})
    assert reply.status_code == 404 and "no such document" in reply.json()["error"]


def test_a_script_in_a_segment_is_inert(client, keys, seed_project):
    unit = first_unit(seed_project)
    attack = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    assert save(client, keys, unit, attack).status_code == 200
    page = client.get(f"/segments/{DOC}/{LANG}?token={keys.token}").text
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_serve_warns_when_listening_beyond_this_machine(invoke, seed_project):
    result = invoke("serve", "--host", "203.0.113.9", "--no-browser", seed_project)
    assert "Warning: listening on 203.0.113.9" in result.output
    assert "Error: 203.0.113.9:0: cannot listen there" in result.output and result.exit_code == 1


def test_a_save_returns_the_checks_problems_of_the_unit(client, keys, seed_project):
    unit = first_unit(seed_project)
    bad = save(client, keys, unit, unit.target.text + ", общая забастовка").json()
    assert [p["code"] for p in bad["problems"]] == ["forbidden-term"]
    assert (
        bad["problems"][0]["severity"] == "error"
        and "«всеобщая забастовка»" in bad["problems"][0]["message"]
    )
    page = client.get(f"/segments/{DOC}/{LANG}?token={keys.token}").text
    assert 'data-code="forbidden-term"' in page
    fixed = save(
        client,
        keys,
        store(seed_project).get(unit.id),
        unit.target.text,
        body={"version": bad["version"]},
    )
    assert fixed.status_code == 200 and fixed.json()["problems"] == []


def test_a_unit_version_changes_with_its_markup_alone(seed_project):
    from dataclasses import replace

    from brochure.core.datamodel import RichText, Span

    unit = first_unit(seed_project)
    text = unit.target.text
    linked = replace(unit, target=RichText(text, (Span(0, 5, "link", "https://a.example/"),)))
    moved = replace(unit, target=RichText(text, (Span(0, 5, "link", "https://b.example/"),)))
    emphasised = replace(unit, target=RichText(text, (Span(0, 5, "em"),)))
    versions = {unit_version(u) for u in (unit, linked, moved, emphasised)}
    assert len(versions) == 4


def test_each_unit_links_to_the_page_where_it_lands_in_every_edition_of_its_language(
    client, keys, seed_project
):
    unit = next(iter(store(seed_project).units()))
    page = client.get(f"/segments/{DOC}/{LANG}?token={keys.token}").text
    editions = [e.name for e in load_project(seed_project).editions if LANG in e.languages]
    assert editions
    for name in editions:
        link = f"/status/{name}?token={keys.token}&amp;doc={DOC}&amp;unit={unit.id}"
        assert link in page
    shown = client.get(f"/status/{editions[0]}?token={keys.token}&doc={DOC}&unit={unit.id}")
    assert shown.status_code == 200 and unit.id in shown.text

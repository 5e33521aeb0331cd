"""The store's cache of parsed files (store/xliff.py) and the grid reading only its page: never
trusted after the file changes on disk, and what it gives is what a cold read gives."""

from __future__ import annotations

import os

from brochure.core.datamodel import RichText
from brochure.core.project import load_project
from brochure.store import xliff
from brochure.store.edit import edit_unit, open_synced, unit_version
from brochure.store.xliff import open_store
from brochure.workbench import unit as unit_page
from brochure.workbench.app import make_app
from brochure.workbench.security import Secrets
from starlette.testclient import TestClient

DOC, LANG = "statement-2022-01-07", "ru"


def opened(project_dir):
    project = load_project(project_dir)
    document = next(d for d in project.documents if d.name == DOC)
    return project, document


def views(store):
    return [(u.id, u.source, u.target, u.state, u.notes, u.meta, u.stale, u.line)
            for u in store.units(include_stale=True)]  # fmt: skip


def test_a_file_changed_in_place_with_its_size_and_times_kept_is_read_again(seed_project):
    project, document = opened(seed_project)
    first = open_store(project, document, LANG)
    unit = next(u for u in first.units() if u.target is not None and "Заявление" in u.target.text)
    path = first.path
    stat = path.stat()
    data = path.read_bytes()
    changed = data.replace("Заявление".encode(), "Заявлениё".encode(), 1)  # the same size
    assert changed != data and len(changed) == len(data)
    with open(path, "r+b") as f:  # in place: the same inode
        f.write(changed)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    again = open_store(project, document, LANG).get(unit.id)
    assert again is not None and again.target is not None
    assert "Заявлениё" in again.target.text and "Заявление" not in again.target.text


def test_stores_from_the_cache_share_nothing(seed_project):
    project, document = opened(seed_project)
    stores = [open_store(project, document, LANG) for _ in range(3)]  # a cold read, then cached
    uid = next(stores[0].units()).id
    for edited in stores:
        edited.set_target(uid, RichText("Моя правка"), "reviewed")
        for other in [*stores, open_store(project, document, LANG)]:
            if other is not edited:
                assert other.get(uid).target != RichText("Моя правка")  # type: ignore[union-attr]
        edited.set_target(uid, RichText("Другая"), "translated")


def test_what_the_store_wrote_reads_back_as_a_cold_read_does(seed_project):
    project, document = opened(seed_project)
    for n in range(3):  # the second and third edits read what the first and second wrote
        store = open_synced(project, document, LANG)
        unit = list(store.units())[n]
        result = edit_unit(project, document, LANG, unit.id, RichText(f"Правка {n}"), "reviewed",
                           unit_version(unit))  # fmt: skip
        assert not result.conflict
    warm = open_synced(project, document, LANG)
    xliff._PARSED.clear()
    cold = open_synced(project, document, LANG)
    assert views(warm) == views(cold)
    assert not cold.changed and not warm.changed  # what was written was in sync already


def test_an_unfiltered_grid_pages_through_every_unit_in_order(seed_project, monkeypatch):
    monkeypatch.setattr(unit_page, "PAGE_SIZE", 3)
    keys = Secrets(host="127.0.0.1", port=8765)
    client = TestClient(make_app(seed_project, keys), base_url="http://127.0.0.1:8765")
    project, document = opened(seed_project)
    ids = [u.id for u in open_synced(project, document, LANG).units()]
    seen = []
    for page in range(1, -(-len(ids) // 3) + 1):
        text = client.get(f"/segments/{DOC}/{LANG}?token={keys.token}&page={page}").text
        seen += [i for i in ids if f'data-id="{i}"' in text]
    assert seen == ids
    reviewed = client.get(f"/segments/{DOC}/{LANG}?token={keys.token}&state=translated").text
    assert reviewed.count('class="unit"') == min(3, sum(
        u.state == "translated" for u in open_synced(project, document, LANG).units()))  # fmt: skip

"""A hurried translator in the workbench: what a real day brings that the tidy tests do not (the
server stopped or restarted under an open page, a page left with a target not saved). The browser
tests drive Debian's headless chromium as tests/test_workbench_browser.py does; the server's side
is checked in-process (TestClient)."""

from __future__ import annotations

import re
from pathlib import Path

from brochure.store.xliff import TranslationFile
from conftest_workbench import serving

pytest_plugins = ["conftest_workbench"]  # keys, client, page (a headless chromium page)
DOC, LANG = "statement-2022-01-07", "kk"


def xlf(project: Path) -> Path:
    return project / "translations" / f"{DOC}.{LANG}.xlf"


def units(project: Path) -> list:
    return list(TranslationFile.open(xlf(project), "en", LANG, DOC).units())


def test_an_address_from_another_run_says_to_open_the_new_one(client, keys):
    page = client.get("/?token=from-yesterday")
    assert page.status_code == 403 and "open the address it printed" in page.text
    api = client.get("/api/context?token=from-yesterday")  # the page's script reads JSON
    assert api.status_code == 403
    assert api.json()["error"].startswith("Forbidden: missing or wrong token: this address or page")
    assert "another run of `brochure serve`" in api.json()["error"]
    foreign = client.get(f"/?token={keys.token}", headers={"Host": "evil.example:8765"})
    assert foreign.status_code == 403 and foreign.text == "Forbidden: unknown Host\n"  # no hint


def test_a_save_to_a_stopped_or_restarted_workbench_says_what_to_do_and_keeps_the_text(
    seed_project, page
):
    before = xlf(seed_project).read_bytes()
    uid = units(seed_project)[2].id
    typed = "Қазақстанда қазір нағыз халық көтерілісі жүріп жатыр (түзету)."
    with serving(seed_project) as first:
        port = first.url.split(":")[2].split("/")[0]
        page.goto(first.url.replace("/?", f"/segments/{DOC}/{LANG}?"))
        page.wait_for_selector("table.grid[data-ready='true']")
    area = page.locator(f"tr#u-{uid} textarea")
    area.fill(typed)
    area.press("Tab")  # leaving it saves it: nothing answers
    page.wait_for_selector(f"tr#u-{uid}.failed")
    message = page.locator(f"tr#u-{uid} .message").inner_text()
    assert message.startswith("Not saved: the workbench does not answer (stopped?)"), message
    assert "start `brochure serve` again" in message and "still in the box" in message
    assert area.input_value() == typed
    with serving(seed_project, int(port)):  # started again on the same port: a new token
        area.fill(typed + " ")
        area.press("Tab")
        # (a selector, not a script: the page's CSP allows no eval, which wait_for_function needs)
        page.locator(f"tr#u-{uid} .message", has_text="another run").wait_for()
        message = page.locator(f"tr#u-{uid} .message").inner_text()
        assert message.startswith("Not saved: Forbidden: missing or wrong token: this address"), (
            message
        )
        assert "open the address it printed" in message and "still in the box" in message
        assert area.input_value() == typed + " "
        # leaving the page now asks first (the text is not saved anywhere else)
        dialogs: list[str] = []

        def answer(dialog):
            dialogs.append(dialog.type)
            dialog.dismiss()  # stay

        page.on("dialog", answer)
        page.evaluate("location.reload()")
        page.wait_for_timeout(500)
        assert dialogs == ["beforeunload"]
        assert area.input_value() == typed + " "
    assert xlf(seed_project).read_bytes() == before


def save(client, keys, unit, target, state):
    from brochure.store.edit import unit_version
    from conftest_workbench import api_post

    body = {"doc": DOC, "lang": LANG, "id": unit.id, "target": target, "state": state,
            "version": unit_version(unit)}  # fmt: skip
    return api_post(client, keys, "unit", body)


def test_an_empty_target_is_saved_only_as_untranslated(client, keys, seed_project):
    unit = units(seed_project)[2]
    before = xlf(seed_project).read_bytes()
    for state in ("translated", "reviewed", "final"):
        refused = save(client, keys, unit, "  ", state)
        assert refused.status_code == 400
        assert refused.json()["error"] == (
            f"{unit.id}: an empty target cannot be {state}: type its translation, or set its "
            "state to initial to leave it untranslated"
        )
    assert xlf(seed_project).read_bytes() == before
    cleared = save(client, keys, unit, "", "initial")
    assert cleared.status_code == 200 and cleared.json()["state"] == "initial"
    assert cleared.json()["problems"][0]["code"] == "untranslated"
    todo = client.get(f"/segments/{DOC}/{LANG}?token={keys.token}&state=todo")
    assert f'data-id="{unit.id}"' in todo.text  # still to do


def test_ctrl_enter_on_an_empty_target_confirms_nothing(bench, page, seed_project):
    unit = units(seed_project)[2]
    page.goto(bench.url.replace("/?", f"/segments/{DOC}/{LANG}?"))
    page.wait_for_selector("table.grid[data-ready='true']")
    row = page.locator(f"tr#u-{unit.id}")
    area, select = row.locator("textarea"), row.locator("select")
    select.select_option("initial")
    page.wait_for_selector(f"tr#u-{unit.id}.saved")
    area.fill("")
    area.press("Control+Enter")  # would be "reviewed": refused, the select keeps "initial"
    page.wait_for_selector(f"tr#u-{unit.id}.failed")
    message = row.locator(".message").inner_text()
    assert message.startswith(f"Not saved: {unit.id}: an empty target cannot be reviewed: type")
    assert select.input_value() == "initial"
    assert row.locator("textarea:focus").count() == 1  # the page stays on it
    assert TranslationFile.open(xlf(seed_project), "en", LANG, DOC).get(unit.id).state == "initial"


def test_a_command_saving_while_a_save_is_checked_is_a_conflict_not_overwritten(
    client, keys, seed_project, monkeypatch
):
    """`xliff import` (or any command) saving the unit between the page's save reading the file
    and writing it: the version is compared on the file as it is under the lock."""
    import brochure.store.edit as edit

    unit = units(seed_project)[2]
    opened = edit.open_synced
    raced: list[bool] = []

    def open_then_another_writer_saves(*args):
        store = opened(*args)
        if not raced:  # once: the other writer saves right after this read
            raced.append(True)
            other = TranslationFile.open(xlf(seed_project), "en", LANG, DOC)
            other.set_target(unit.id, type(unit.target)("Олардың нұсқасы."), "final")
            other.save()
        return store

    monkeypatch.setattr(edit, "open_synced", open_then_another_writer_saves)
    answer = save(client, keys, unit, "Менің нұсқам.", "reviewed")
    assert answer.status_code == 409 and answer.json()["target"] == "Олардың нұсқасы."
    kept = TranslationFile.open(xlf(seed_project), "en", LANG, DOC).get(unit.id)
    assert kept.target.text == "Олардың нұсқасы."


def test_a_long_target_is_shown_whole_and_the_panel_keeps_its_controls_inside(
    bench, page, seed_project
):
    """At 1024 px: a long paragraph's target is as tall as its text (not read through a slot of 3
    lines), and a concept's list of forms stays inside the context panel."""
    page.set_viewport_size({"width": 1024, "height": 800})
    page.goto(bench.url.replace("/?", f"/segments/{DOC}/{LANG}?"))
    page.wait_for_selector("table.grid[data-ready='true']")
    area = page.locator("tr.unit textarea").nth(5)
    area.fill("Ұзақ абзац, әр сөзі маңызды. " * 15)
    sizes = area.evaluate("a => [a.scrollHeight, a.clientHeight]")
    assert sizes[0] <= sizes[1] + 1, sizes  # nothing hidden below a scroll bar
    first = page.locator("tr.unit textarea").first
    first.focus()  # the heading: the movement's name, a concept with stored forms
    page.wait_for_selector("aside.context select.forms")
    panel = page.locator("aside.context").bounding_box()
    forms = page.locator("aside.context select.forms").first.bounding_box()
    assert forms["x"] + forms["width"] <= panel["x"] + panel["width"] + 1, (forms, panel)


def test_the_text_filter_finds_what_a_keyboard_types(client, keys):
    """Print has ’ « » — ё and no-break spaces; a translator types ' " - е and spaces."""

    def found(doc, lang, query):
        from urllib.parse import quote

        page = client.get(f"/segments/{doc}/{lang}?token={keys.token}&q={quote(query)}")
        return int(re.search(r'class="count">(\d+) unit', page.text).group(1))

    assert (
        found("programme-part-1", "ru", "workers' blood")
        == found("programme-part-1", "ru", "workers’ blood")
        > 0
    )
    assert found("programme-part-1", "ru", "трехпартийного") == 1  # printed «трёхпартийного»
    assert found("programme-part-1", "ru", '"трехпартийного"') == 1


def test_a_conflict_offers_use_mine_or_keep_theirs(bench, page, seed_project):
    """`brochure xliff import` (here: the store every command uses) changed two units while the
    page was open; the translator had edited both: one click keeps either version."""
    first, second = units(seed_project)[2:4]
    page.goto(bench.url.replace("/?", f"/segments/{DOC}/{LANG}?"))
    page.wait_for_selector("table.grid[data-ready='true']")
    other = TranslationFile.open(xlf(seed_project), "en", LANG, DOC)
    other.set_target(first.id, type(first.target)("Олардың бірінші нұсқасы."), "final")
    other.set_target(second.id, type(first.target)("Олардың екінші нұсқасы."), "final")
    other.save()
    for unit, mine in ((first, "Менің бірінші нұсқам."), (second, "Менің екінші нұсқам.")):
        area = page.locator(f"tr#u-{unit.id} textarea")
        area.fill(mine)
        area.press("Tab")
        page.wait_for_selector(f"tr#u-{unit.id}.conflict")
        assert area.input_value().startswith("Олардың")
    page.click(f"tr#u-{first.id} button.use-mine")
    page.wait_for_selector(f"tr#u-{first.id}.saved")
    assert page.locator(f"tr#u-{first.id} textarea").input_value() == "Менің бірінші нұсқам."
    page.click(f"tr#u-{second.id} button.keep-theirs")
    assert page.locator(f"tr#u-{second.id} .message").is_hidden()
    now = TranslationFile.open(xlf(seed_project), "en", LANG, DOC)
    assert now.get(first.id).target.text == "Менің бірінші нұсқам."
    assert now.get(first.id).meta["origin"] == "human"
    assert now.get(second.id).target.text == "Олардың екінші нұсқасы."
    # both settled: leaving the page asks nothing
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.goto(bench.url)
    assert dialogs == []


def test_no_page_logs_an_error_in_the_browsers_console(bench, page):
    """Not even the icon the browser asks for by itself (/favicon.ico, without the token: 403)."""
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    for path in ("/", f"/segments/{DOC}/{LANG}", "/glossary", "/glossary/new", "/status"):
        page.goto(bench.url.replace("/?", f"{path}?"))
        page.wait_for_load_state("networkidle")
    assert errors == []


def test_the_status_tables_numbers_stand_under_their_headings(bench, page):
    """The counts are right-aligned: a heading aligned left stood over the next column's number."""
    page.goto(bench.url.replace("/?", "/status?"))
    page.wait_for_selector("table.status td.num")
    sides = page.locator("table.status:not(.editions) tr").evaluate_all(
        "rows => rows.slice(0, 2).map(r => Array.from(r.children, c => getComputedStyle(c).textAlign))"
    )
    assert sides[0][2:-1] == sides[1][2:-1] == ["right"] * (len(sides[0]) - 3), sides


def test_leaving_a_concept_with_a_change_not_saved_asks_first(bench, page):
    dialogs: list[str] = []

    def answer(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()  # stay

    page.on("dialog", answer)
    page.goto(bench.url.replace("/?", "/glossary/concept/general-strike?"))
    page.wait_for_selector("form.concept[data-ready='true']")
    page.goto(bench.url.replace("/?", "/glossary/new?"))  # nothing changed: no question
    page.wait_for_selector("form.concept[data-ready='true']")
    page.goto(bench.url)
    assert dialogs == []
    page.goto(bench.url.replace("/?", "/glossary/concept/general-strike?"))
    page.wait_for_selector("form.concept[data-ready='true']")
    page.fill("textarea[name=note]", "Жалпы ереуіл: барлық салалардағы жұмысшылардың ереуілі.")
    page.evaluate("location.reload()")
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    page.fill("input[name=kk]", "жалпы ереуіл")  # saving leaves without a question
    page.click("form.concept button[type=submit]")
    page.wait_for_url("**saved=general-strike**")
    assert dialogs == ["beforeunload"]


def test_past_the_last_row_the_next_unit_is_the_one_after_even_when_edits_left_the_filter(
    bench, page, seed_project, monkeypatch
):
    """Under the "to do" filter, units confirmed on this page leave the list: the next page by
    number would start further on, skipping units unseen. Alt+Down and Ctrl+Enter on the last
    row go to the unit after it, wherever the list now puts it."""
    from brochure.workbench import unit as grid_module

    monkeypatch.setattr(grid_module, "PAGE_SIZE", 10)
    ru = xlf(seed_project).with_name(f"{DOC}.ru.xlf")
    store = TranslationFile.open(ru, "en", "ru", DOC)
    ids = [u.id for u in store.units()]
    for uid in ids[:25]:  # 25 units to do: 3 pages of 10
        store.set_target(uid, store.get(uid).target, "translated")
    store.save()

    def focused(uid):  # (a selector, not wait_for_function: the page's CSP allows no eval)
        page.wait_for_selector("table.grid[data-ready='true']")
        page.wait_for_selector(f"tr#u-{uid} textarea:focus", timeout=5_000)
        return True

    page.goto(bench.url.replace("/?", f"/segments/{DOC}/ru?") + "&state=todo")
    page.wait_for_selector("table.grid[data-ready='true']")
    for uid in ids[:3]:  # three confirmed: they leave the "to do" list
        page.locator(f"tr#u-{uid} select").select_option("reviewed")
        page.wait_for_selector(f"tr#u-{uid}.saved")
    page.locator(f"tr#u-{ids[9]} textarea").press("Alt+ArrowDown")
    page.wait_for_url("**#first")
    assert focused(ids[10]), page.url  # not ids[13], the new page 2's first
    # the page of ids[10] is the list's first now (ids 3 to 12): its last row, confirmed with
    # Ctrl+Enter, goes on to the next unit to do, on the next page
    last = page.locator("tr.unit textarea").last
    assert page.locator("tr.unit").last.get_attribute("data-id") == ids[12]
    last.press("Control+Enter")
    page.wait_for_url("**next=todo**")
    assert focused(ids[13]), page.url
    assert TranslationFile.open(ru, "en", "ru", DOC).get(ids[12]).state == "reviewed"

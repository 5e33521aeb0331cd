"""A hurried translator in the workbench: what a real day brings that the tidy tests do not (the
server stopped or restarted under an open page, a page left with a target not saved). The browser
tests drive Debian's headless chromium as tests/test_workbench_browser.py does; the server's side
is checked in-process (TestClient)."""

from __future__ import annotations

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
        page.wait_for_function(
            f"document.querySelector('tr#u-{uid} .message').textContent.includes('another run')"
        )
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

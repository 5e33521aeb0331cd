"""The workbench's glossary editor and status page in a real browser (Debian's headless chromium
driven by Playwright, as tests/test_workbench_browser.py, whose fixtures these tests share).

With BROCHURE_SCREENSHOTS=<folder> set, the tests also save screenshots of the main views there
(the README's docs/workbench-*.png are made so); a normal run writes none."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import write_project
from conftest_workbench import serving, wait_until
from test_workbench_browser import DOC, LANG
from test_workbench_status import TEXT, TOML

pytest_plugins = ["conftest_workbench"]  # bench (the seed project's workbench) and page

BUILD_MS = 300_000  # a rebuild lays out a PDF: minutes on a busy machine

TSV = (
    "# our terms\n"
    "id\ten\tru\tkk\tsource\tnote\n"
    'oblast\tregion\tобласть\tоблыс\tteam list 3\t"a ""quoted"" note"\n'
    "# end of our list\n"
)


def screenshot(page, name: str) -> None:
    """Save the page as <BROCHURE_SCREENSHOTS>/workbench-<name>.png when that is set."""
    folder = os.environ.get("BROCHURE_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.set_viewport_size({"width": 1280, "height": 800})
        page.screenshot(path=str(Path(folder) / f"workbench-{name}.png"), full_page=False)


def open_at(page, bench, path: str) -> None:
    page.goto(bench.url.replace("/?", f"{path}?"))


def test_add_edit_and_remove_a_concept_in_the_glossary_editor(bench, page, seed_project):
    terms = seed_project / "glossary" / "terms.tsv"
    terms.parent.mkdir()
    terms.write_bytes(TSV.encode())
    page.on("dialog", lambda dialog: dialog.accept())  # "remove ...?"
    page.goto(bench.url)
    page.click("header nav a:text('glossary')")
    page.wait_for_selector("table.glossary")
    page.fill("input[name=q]", "strike")
    page.click("form.filters button")
    page.wait_for_selector("tr#c-general-strike")
    screenshot(page, "glossary")
    page.click("a:text('new concept')")
    page.wait_for_selector("form.concept[data-ready='true']")
    page.fill("input[name=en]", "general assembly")
    page.fill("input[name=ru]", "общее собрание")
    page.fill("input[name=kk]", "жалпы жиналыс")
    page.fill("textarea[name=note]", "of a trade union's members")
    with page.expect_navigation():
        page.click("form.concept button[type=submit]")
    page.wait_for_selector("h1:text('general-assembly')")
    data = terms.read_bytes()
    assert data.startswith(TSV.encode())  # every byte the translators wrote is kept
    assert data[len(TSV.encode()) :].decode() == (
        "general-assembly\tgeneral assembly\tобщее собрание\tжалпы жиналыс\t\t"
        "of a trade union's members\n"
    )
    assert page.locator(".status").inner_text() == "saved general-assembly"
    # edit: a forbidden rendering (a new column for every row, as `glossary edit` adds it)
    page.wait_for_selector("form.concept[data-ready='true']")
    page.fill("textarea[name=ru_forbidden]", "генеральная ассамблея\n  генассамблея \n")
    page.check("input[name=flags][value=indeclinable]")
    with page.expect_navigation():  # saved: the concept's page again, as it is now
        page.click("form.concept button[type=submit]")
    page.wait_for_selector("form.concept .status:text('saved general-assembly')")
    lines = terms.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "# our terms" and lines[3] == "# end of our list"
    assert lines[1] == "id\ten\tru\tkk\tsource\tnote\tru_forbidden\tflags"
    assert lines[2] == 'oblast\tregion\tобласть\tоблыс\tteam list 3\t"a ""quoted"" note"\t\t'
    # one rendering a line in the form, a|b in the file
    assert lines[4].endswith("\tгенеральная ассамблея|генассамблея\tindeclinable")
    assert page.locator("textarea[name=ru_forbidden]").input_value() == (
        "генеральная ассамблея\nгенассамблея"
    )
    # remove it again
    page.click("button.remove")
    page.wait_for_selector("table.glossary")
    assert "general-assembly" not in terms.read_text(encoding="utf-8")
    assert terms.read_text(encoding="utf-8").splitlines()[:4] == lines[:4]


def test_a_concept_changed_meanwhile_offers_use_mine_or_keep_theirs(
    bench, page, seed_project, invoke, tmp_path
):
    """A colleague edits the concept from the terminal while its page is open: the save is
    refused, the form shows theirs and the fields that differ beside the refused ones; "use mine"
    saves mine over theirs, "keep theirs" keeps theirs. The file's other lines keep their bytes."""
    terms = seed_project / "glossary" / "terms.tsv"
    terms.parent.mkdir(exist_ok=True)
    # (with the column mine fills, so that no other row grows one)
    own = TSV.replace("\tnote\n", "\tnote\tru_forbidden\n").replace('note"\n', 'note"\t\n')
    terms.write_text(own, encoding="utf-8")
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))

    def edited_meanwhile(note: str) -> None:
        result = invoke("glossary", "edit", "general-strike", "--note", note, seed_project)
        assert result.exit_code == 0, result.output

    def refused() -> None:
        page.click("form.concept button[type=submit]")
        page.wait_for_selector("form.concept.conflict .message table.differences")

    open_at(page, bench, "/glossary/concept/general-strike")
    page.wait_for_selector("form.concept[data-ready='true']")
    assert page.locator("table.uses tbody tr").count() > 0  # where it is used
    screenshot(page, "concept")  # (at 1280 px, as the README's other screenshots)
    page.set_viewport_size({"width": 1024, "height": 768})  # a laptop's screen
    original = page.locator("textarea[name=note]").input_value()
    forbidden = page.locator("textarea[name=ru_forbidden]")
    forbidden.fill(forbidden.input_value() + "\nобщая стачка")  # mine: one more forbidden
    edited_meanwhile("Checked by the editor: всеобщая забастовка.")
    others = [line for line in terms.read_bytes().splitlines() if b"general-strike" not in line]
    theirs = terms.read_bytes()
    refused()
    assert terms.read_bytes() == theirs
    assert (
        page.locator("textarea[name=note]").input_value()
        == "Checked by the editor: всеобщая забастовка."
    )
    assert forbidden.input_value() == "общая забастовка"  # the form shows theirs
    rows = page.locator("table.differences tbody tr")
    assert rows.count() == 2  # only the fields that differ
    note = page.locator("table.differences tr[data-field=note] td")
    assert note.nth(0).inner_text() == "Checked by the editor: всеобщая забастовка."
    assert note.nth(1).inner_text() == original + " (not changed by you)"
    cells = page.locator("table.differences tr[data-field=ru_forbidden] td")
    assert [cells.nth(0).inner_text(), cells.nth(1).inner_text()] == [
        "общая забастовка",
        "общая забастовка\nобщая стачка",
    ]
    assert (
        "ru forbidden"
        in page.locator("table.differences tr[data-field=ru_forbidden] th").inner_text()
    )
    if os.environ.get("BROCHURE_CONFLICT_PNG"):  # to look at it while working on the page
        page.screenshot(path=os.environ["BROCHURE_CONFLICT_PNG"], full_page=True)
    with page.expect_navigation():  # saved: the concept's page again, as it is now
        page.click("form.concept button.use-mine")
    page.wait_for_selector("form.concept .status:text('saved general-strike')")
    shown = invoke("glossary", "show", "general-strike", seed_project).output
    assert "общая стачка" in shown and "Checked by the editor" not in shown
    assert [line for line in terms.read_bytes().splitlines()
            if b"general-strike" not in line] == others  # fmt: skip

    # again, and this time theirs is kept
    page.wait_for_selector("form.concept[data-ready='true']")
    page.fill("textarea[name=note]", "Mine, not to be saved.")
    edited_meanwhile("Theirs, kept.")
    theirs = terms.read_bytes()
    refused()
    page.click("form.concept button.keep-theirs")
    assert page.locator("form.concept .message").is_hidden()
    assert page.locator("textarea[name=note]").input_value() == "Theirs, kept."
    assert terms.read_bytes() == theirs
    page.goto(bench.url)  # settled: leaving asks nothing
    assert dialogs == []


@pytest.fixture
def small_bench(tmp_path):
    """The workbench on a small project (one en|ru edition, a screen PDF only: quick to build)."""
    project = write_project(tmp_path / "small", TOML, {"t.md": TEXT})
    with serving(project) as server:
        yield server, project


def test_status_lists_documents_and_editions_as_brochure_status(bench, page, seed_project, invoke):
    import json

    data = json.loads(invoke("status", "--json", seed_project).output)
    page.goto(bench.url)
    page.click("header nav a:text('status')")
    page.wait_for_selector("table.status")
    rows = page.locator("table.status:not(.editions) tbody tr")
    assert rows.count() == len(data["documents"])
    first = rows.nth(0).locator("td")
    row = data["documents"][0]
    assert [first.nth(i).inner_text() for i in range(4)] == [
        row["document"], row["lang"], str(row["segments"]), str(row["words"])
    ]  # fmt: skip
    editions = page.locator("table.editions tbody tr")
    assert editions.count() == len(data["next_build"]["editions"])
    screenshot(page, "status")
    # the grid, for the README's picture of the main views
    open_at(page, bench, f"/segments/{DOC}/{LANG}")
    page.wait_for_selector("table.grid[data-ready='true']")
    screenshot(page, "grid")


def test_rebuild_an_edition_and_see_the_page_where_a_unit_lands(small_bench, page):
    server, project = small_bench
    open_at(page, server, "/status/en-ru")
    page.wait_for_selector(".preview[data-ready='true']")
    assert "No PDF yet" in page.locator("figure.page").inner_text()
    options = page.locator("select[name=unit] option")
    last = options.nth(options.count() - 1).get_attribute("value")
    page.select_option("select[name=unit]", last)
    page.click("button.rebuild")
    page.wait_for_selector("figure.page img", timeout=BUILD_MS)
    assert page.locator(".preview .status").inner_text() == "rebuilt: small.en-ru.pdf"
    assert page.locator(".pdf-state").inner_text() == "PDF: small.en-ru.pdf"
    # the built file is listed, linked to open it, without reloading the page
    link = page.locator("p.files a")
    assert link.count() == 1 and link.inner_text() == "small.en-ru.pdf"
    assert link.get_attribute("href").startswith("/files/en-ru/small.en-ru.pdf?token=")
    image = page.locator("figure.page img")
    wait_until(page, "img => img.complete && img.naturalWidth > 0", image.element_handle())
    number = int(page.locator(".preview").get_attribute("data-page"))
    assert number > 1 and f"page {number}" in page.locator("figcaption").inner_text()
    assert (project / "build" / "preview" / f"small.en-ru.p{number:03d}.png").is_file()
    # the edition page, loaded again, shows the same page and the proof report of the PDF
    open_at(page, server, "/status/en-ru")
    page.goto(page.url + f"&doc=t&unit={last}")
    page.wait_for_selector(f"figure.page img[src^='/preview/en-ru/{number}.png']")
    assert page.locator("h3").first.inner_text().startswith("en-ru: ")


@pytest.mark.skipif(not os.environ.get("BROCHURE_SCREENSHOTS"), reason="screenshots only")
def test_screenshot_of_an_edition_page(bench, page):
    open_at(page, bench, "/status/en-ru")
    page.wait_for_selector(".preview[data-ready='true']")
    page.select_option("select[name=unit]", index=12)
    page.click("button.rebuild")
    page.wait_for_selector("figure.page img", timeout=BUILD_MS)
    wait_until(
        page,
        "img => img.complete && img.naturalWidth > 0",
        page.locator("figure.page img").element_handle(),
    )
    screenshot(page, "preview")

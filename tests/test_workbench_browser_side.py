"""The workbench's glossary editor and status page in a real browser (Debian's headless chromium
driven by Playwright, as tests/test_workbench_browser.py, whose fixtures these tests share).

With BROCHURE_SCREENSHOTS=<folder> set, the tests also save screenshots of the main views there
(the README's docs/workbench-*.png are made so); a normal run writes none."""

from __future__ import annotations

import os
from pathlib import Path

from test_workbench_browser import DOC, LANG, bench, page  # noqa: F401  (fixtures)

TSV = (
    "# our terms\n"
    "id\ten\tru\tkk\tsource\tnote\n"
    'oblast\tregion\tобласть\tоблыс\tteam list 3\t"a ""quoted"" note"\n'
    "# end of our list\n"
)


def screenshot(page, name: str) -> None:  # noqa: F811
    """Save the page as <BROCHURE_SCREENSHOTS>/workbench-<name>.png when that is set."""
    folder = os.environ.get("BROCHURE_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"workbench-{name}.png"), full_page=False)


def open_at(page, bench, path: str) -> None:  # noqa: F811
    page.goto(bench.url.replace("/?", f"{path}?"))


def test_add_edit_and_remove_a_concept_in_the_glossary_editor(bench, page, seed_project):  # noqa: F811
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
    page.fill("input[name=ru_forbidden]", "генеральная ассамблея")
    page.check("input[name=flags][value=indeclinable]")
    with page.expect_navigation():  # saved: the concept's page again, as it is now
        page.click("form.concept button[type=submit]")
    page.wait_for_selector("form.concept .status:text('saved general-assembly')")
    lines = terms.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "# our terms" and lines[3] == "# end of our list"
    assert lines[1] == "id\ten\tru\tkk\tsource\tnote\tru_forbidden\tflags"
    assert lines[2] == 'oblast\tregion\tобласть\tоблыс\tteam list 3\t"a ""quoted"" note"\t\t'
    assert lines[4].endswith("\tгенеральная ассамблея\tindeclinable")
    assert page.locator("input[name=ru_forbidden]").input_value() == "генеральная ассамблея"
    screenshot(page, "concept")
    # remove it again
    page.click("button.remove")
    page.wait_for_selector("table.glossary")
    assert "general-assembly" not in terms.read_text(encoding="utf-8")
    assert terms.read_text(encoding="utf-8").splitlines()[:4] == lines[:4]


def test_the_editor_says_when_the_glossary_changed_on_disk(bench, page, seed_project):  # noqa: F811
    from brochure.glossary.edit import edit

    open_at(page, bench, "/glossary/concept/general-strike")
    page.wait_for_selector("form.concept[data-ready='true']")
    edit(seed_project, "general-strike", {"note": "theirs"})  # the CLI's code, meanwhile
    before = (seed_project / "glossary" / "terms.tsv").read_bytes()
    page.fill("textarea[name=note]", "mine")
    page.click("form.concept button[type=submit]")
    page.wait_for_selector(".message:not([hidden])")
    message = page.locator(".message").inner_text()
    assert "changed on disk" in message and "note: theirs" in message and "note: mine" in message
    assert (seed_project / "glossary" / "terms.tsv").read_bytes() == before

"""The workbench in a real browser: Debian's headless chromium driven by Playwright, the server
in this process on a loopback port (tests/conftest_workbench.py). `make test` installs chromium
when it is missing (README)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from brochure.store.xliff import TranslationFile
from test_schemas import xliff2

# tiny real translation models (tests/tinymodels.py); bench and page: the server and the browser
pytest_plugins = ["conftest_mt", "conftest_workbench"]

DOC, LANG = "statement-2022-01-07", "ru"


def xlf(project: Path) -> Path:
    return project / "translations" / f"{DOC}.{LANG}.xlf"


def test_edit_a_target_and_confirm_with_ctrl_enter(bench, page, seed_project):
    before = xlf(seed_project).read_bytes()
    units = list(TranslationFile.open(xlf(seed_project), "en", LANG, DOC).units())
    first, second = units[0], units[1]
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(bench.url)
    page.click(f"a[href^='/segments/{DOC}/{LANG}?']")
    page.wait_for_selector("table.grid[data-ready='true']")  # the script has wired every row
    row = page.locator(f"tr#u-{first.id}")
    row.locator("select").select_option("translated")  # saved at once, then edited
    page.wait_for_selector(f"tr#u-{first.id}.saved")
    row.locator("textarea").fill("Заявление Социалистического движения Казахстана (правка)")
    row.locator("textarea").press("Control+Enter")  # confirm: reviewed, then the next to do
    page.wait_for_selector(f"tr#u-{first.id}.saved")
    # every other seed unit is final: the next one has the focus
    page.wait_for_selector(f"tr#u-{second.id} textarea:focus")
    assert row.locator("select").input_value() == "reviewed"
    assert row.locator(".origin-name").inner_text() == "human"
    # a save changes the origin, not the links to the unit's page in each edition
    assert row.locator("a.page-link").count() == 5
    assert row.locator(".pages").inner_text().startswith("page in en-ru, kk-ru, ")
    assert xlf(seed_project).read_bytes() != before
    saved = TranslationFile.open(xlf(seed_project), "en", LANG, DOC).get(first.id)
    assert saved.target.text == "Заявление Социалистического движения Казахстана (правка)"
    assert saved.state == "reviewed" and saved.meta["via"] == "workbench"
    xliff2(xlf(seed_project))
    origin = bench.url.split("/?")[0] + "/"
    assert requests and all(url.startswith(origin) for url in requests), requests  # nothing else


def test_a_forbidden_term_shows_a_problem_until_fixed_and_a_change_on_disk_is_a_conflict(
    bench, page, seed_project
):
    first = next(TranslationFile.open(xlf(seed_project), "en", LANG, DOC).units())
    page.goto(bench.url.replace("/?", f"/segments/{DOC}/{LANG}?"))
    page.wait_for_selector("table.grid[data-ready='true']")
    row = page.locator(f"tr#u-{first.id}")
    area = row.locator("textarea")
    area.fill(first.target.text + ", общая забастовка")
    area.press("Tab")  # leaving the target saves it
    page.wait_for_selector(f"tr#u-{first.id} li[data-code='forbidden-term']")
    area.fill(first.target.text)
    area.press("Tab")
    page.wait_for_selector(f"tr#u-{first.id} li[data-code='forbidden-term']", state="detached")
    # the same unit changed on disk by another writer (the store code every command uses)
    other = TranslationFile.open(xlf(seed_project), "en", LANG, DOC)
    other.set_target(first.id, type(first.target)("Их версия"), "final")
    other.save()
    area.fill("Моя версия")
    area.press("Tab")
    page.wait_for_selector(f"tr#u-{first.id}.conflict")
    message = row.locator(".message").inner_text()
    assert "changed on disk" in message and "Их версия" in message and "Моя версия" in message
    saved = TranslationFile.open(xlf(seed_project), "en", LANG, DOC).get(first.id)
    assert saved.target.text == "Их версия"
    xliff2(xlf(seed_project))


def test_filter_to_a_document_and_edit_a_target_with_emphasis(bench, page, seed_project):
    page.goto(bench.url.replace("/?", f"/segments/{DOC}/{LANG}?"))
    page.wait_for_selector("table.grid[data-ready='true']")
    page.select_option("select[name='doc']", "programme-part-1")  # the document filter
    page.click(".filters button[type='submit']")
    page.wait_for_selector("table.grid[data-doc='programme-part-1'][data-ready='true']")
    path = seed_project / "translations" / f"programme-part-1.{LANG}.xlf"
    units = list(TranslationFile.open(path, "en", LANG, "programme-part-1").units())
    assert page.locator("tr.unit").count() == len(units)
    unit = next(u for u in units if u.id == "s4af9b557f034")  # emphasis over a note
    area = page.locator(f"tr#u-{unit.id} textarea")
    markdown = area.input_value()
    assert markdown.startswith("_[Прим. ред.: Предисловие") and markdown.endswith("]_")
    assert page.locator(f"tr#u-{unit.id} td.source .em").count() >= 1  # the source's emphasis
    area.fill(markdown.replace("Предисловие ниже", "**Предисловие** ниже"))
    area.press("Alt+ArrowDown")  # the next unit; leaving the target saved it
    following = units[units.index(unit) + 1]
    page.wait_for_selector(f"tr#u-{following.id} textarea:focus")
    page.wait_for_selector(f"tr#u-{unit.id}.saved")
    saved = TranslationFile.open(path, "en", LANG, "programme-part-1").get(unit.id)
    kinds = {(s.kind, saved.target.text[s.start : s.end]) for s in saved.target.spans}
    assert {("em", unit.target.text), ("note", unit.target.text)} <= kinds
    assert ("strong", "Предисловие") in kinds and saved.target.text == unit.target.text
    xliff2(path)
    page.locator(f"tr#u-{following.id} textarea").press("Alt+ArrowUp")
    page.wait_for_selector(f"tr#u-{unit.id} textarea:focus")


UPRISING = "sb8ecbf7db85d"  # "In Kazakhstan, there is now a real popular uprising."
STRIKES = "s129cd3c8bab9"  # "... strikes of miners of ArcelorMittal Temirtau ..."


def brochure(*args: object) -> None:
    """Run the `brochure` command as a person would, in another process."""
    done = subprocess.run([sys.executable, "-m", "brochure", *map(str, args)],
                          capture_output=True, text=True, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_context_panel_inserts_terms_and_marks_forbidden_ones_as_you_type(
    bench, page, seed_project
):
    page.goto(bench.url.replace("/?", f"/segments/{DOC}/{LANG}?"))
    page.wait_for_selector("table.grid[data-ready='true']")
    page.wait_for_selector("aside.context[data-wired='true']")
    row = page.locator(f"tr#u-{STRIKES}")
    area = row.locator("textarea")
    area.fill("В тот же вечер началась ")
    area.focus()
    page.wait_for_selector(f"aside.context[data-ready='{STRIKES}']")
    concept = page.locator("aside.context li[data-concept='strike']")
    assert "забастовка" in concept.inner_text()
    area.press("End")
    concept.locator("button.insert").click()  # the form the English plural suggests
    assert area.input_value() == "В тот же вечер началась забастовки"
    area.press("End")
    area.press_sequentially(", ")
    concept.locator("select.forms").select_option("забастовка")  # another form, from the list
    assert area.input_value() == "В тот же вечер началась забастовки, забастовка"
    # a forbidden term is marked as it is typed, and the mark goes when it is fixed
    area.press_sequentially(" в экстрактивной промышленности")  # inflected: found all the same
    mark = row.locator(".printed .forbidden")
    mark.wait_for()
    assert mark.inner_text() == "экстрактивной промышленности"
    listed = page.locator("aside.context section.forbidden").inner_text()
    assert "use «добывающей промышленности»" in listed
    fixed = "В тот же вечер началась забастовка в _добывающей_ промышленности"
    area.fill(fixed)
    mark.wait_for(state="detached")
    assert row.locator(".printed .em").inner_text() == "добывающей"  # the markup, as printed
    area.press("Tab")  # saved when left
    page.wait_for_selector(f"tr#u-{STRIKES}.saved")
    saved = TranslationFile.open(xlf(seed_project), "en", LANG, DOC).get(STRIKES)
    assert saved.target.text == fixed.replace("_", "")
    assert [(s.kind, saved.target.text[s.start : s.end]) for s in saved.target.spans] == [
        ("em", "добывающей")
    ]
    xliff2(xlf(seed_project))


def test_a_unit_changed_by_xliff_import_meanwhile_is_a_conflict(
    bench, page, seed_project, tmp_path
):
    from lxml import etree

    page.goto(bench.url.replace("/?", f"/segments/{DOC}/{LANG}?"))
    page.wait_for_selector("table.grid[data-ready='true']")
    area = page.locator(f"tr#u-{UPRISING} textarea")
    page_version = area.input_value()
    # meanwhile a translator's CAT tool edits the same unit, and `brochure xliff import` brings it in
    brochure("xliff", "export", "--lang", LANG, "--output", tmp_path / "cat", seed_project)
    exported = tmp_path / "cat" / f"{DOC}.en-{LANG}.xlf"
    tree = etree.parse(str(exported))
    [target] = tree.xpath(
        f"//*[local-name()='trans-unit'][@id='{UPRISING}']/*[local-name()='target']"
    )
    target.text = "В Казахстане идёт настоящее народное восстание."
    exported.write_bytes(etree.tostring(tree, xml_declaration=True, encoding="UTF-8"))
    brochure("xliff", "import", exported, seed_project)
    theirs = TranslationFile.open(xlf(seed_project), "en", LANG, DOC).get(UPRISING)
    assert theirs.target.text == "В Казахстане идёт настоящее народное восстание."
    on_disk = xlf(seed_project).read_bytes()
    area.fill(page_version + " (моя правка)")
    area.press("Tab")
    page.wait_for_selector(f"tr#u-{UPRISING}.conflict")
    message = page.locator(f"tr#u-{UPRISING} .message").inner_text()
    assert "changed on disk" in message and "идёт настоящее народное восстание" in message
    assert "(моя правка)" in message  # both versions shown
    assert area.input_value() == "В Казахстане идёт настоящее народное восстание."
    assert xlf(seed_project).read_bytes() == on_disk  # nothing overwritten


def test_a_machine_draft_on_request_with_the_glossarys_choice_marked(
    bench, page, seed_project, installed
):
    page.goto(bench.url.replace("/?", f"/segments/{DOC}/{LANG}?"))
    page.wait_for_selector("table.grid[data-ready='true']")
    page.wait_for_selector("aside.context[data-wired='true']")
    area = page.locator(f"tr#u-{STRIKES} textarea")
    area.focus()
    page.wait_for_selector(f"aside.context[data-ready='{STRIKES}']")
    mt = page.locator("aside.context section.mt")
    assert mt.locator(".mt-state").inner_text().startswith("argos/translate-en_ru/")
    mt.locator("button.draft").click()
    chosen = mt.locator("ol.hypotheses li.chosen")
    chosen.wait_for()
    assert chosen.count() == 1 and "the glossary's choice" in chosen.inner_text()
    assert mt.locator("ol.hypotheses li").count() >= 3  # the N-best list and the draft
    draft = mt.locator("li.draft > span").first.inner_text()
    assert draft.startswith("Moreover, in the evening")  # the tiny model copies its source
    mt.locator("li.draft button.use").click()
    assert area.input_value() == draft
    area.press("Tab")
    page.wait_for_selector(f"tr#u-{STRIKES}.saved")
    saved = TranslationFile.open(xlf(seed_project), "en", LANG, DOC).get(STRIKES)
    assert saved.target.text == draft and saved.meta["origin"] == "human"  # a person chose it
    xliff2(xlf(seed_project))


def test_alt_down_and_up_cross_to_the_next_and_previous_page_once_the_edit_is_saved(
    bench, page, seed_project, monkeypatch
):
    from brochure.workbench import unit as grid_module

    monkeypatch.setattr(grid_module, "PAGE_SIZE", 10)  # the seed document's 35 units: 4 pages
    units = list(TranslationFile.open(xlf(seed_project), "en", LANG, DOC).units())
    page.goto(bench.url.replace("/?", f"/segments/{DOC}/{LANG}?") + "&origin=human")

    def focused(unit) -> None:
        page.wait_for_selector("table.grid[data-ready='true']")
        page.wait_for_selector(f"tr#u-{unit.id} textarea:focus")

    page.wait_for_selector("table.grid[data-ready='true']")
    last = page.locator(f"tr#u-{units[9].id} textarea")
    last.fill("Последняя строка страницы (правка)")
    last.press("Alt+ArrowDown")  # the last row: the next page, after the edit is saved
    page.wait_for_url("**page=2#first")
    focused(units[10])
    assert "origin=human" in page.url  # the filters are kept
    saved = TranslationFile.open(xlf(seed_project), "en", LANG, DOC).get(units[9].id)
    assert saved.target.text == "Последняя строка страницы (правка)"
    page.locator(f"tr#u-{units[10].id} textarea").press("Alt+ArrowUp")  # the previous page's last
    page.wait_for_url("**page=1#last")
    focused(units[9])
    # unsaved-edit protection: the unit changed on disk meanwhile is a conflict, the page stays
    other = TranslationFile.open(xlf(seed_project), "en", LANG, DOC)
    other.set_target(units[9].id, type(units[9].target)("Их версия"), "final")
    other.save()
    last = page.locator(f"tr#u-{units[9].id} textarea")
    last.fill("Моя версия")
    last.press("Alt+ArrowDown")
    page.wait_for_selector(f"tr#u-{units[9].id}.conflict")
    assert "page=1" in page.url
    assert "Моя версия" in page.locator(f"tr#u-{units[9].id} .message").inner_text()
    assert TranslationFile.open(xlf(seed_project), "en", LANG, DOC).get(
        units[9].id
    ).target.text == ("Их версия")
    xliff2(xlf(seed_project))

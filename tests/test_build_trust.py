"""`build` and `status` tell the truth about what an edition holds.

- `build` ends with one summary line when an edition contains unreviewed machine drafts or check
  errors (without --strict it still builds);
- `status` calls an edition "ready" only when all its units are reviewed or final and its check
  has no error;
- the incremental-build fingerprint covers --no-mt, the installed models and memory/*.tmx;
- a project glossary that is not UTF-8 stops `build` with one line, as `glossary list` does.
"""

from __future__ import annotations

import json

import pytest
from brochure.core.datamodel import RichText
from brochure.core.project import load_project
from brochure.store.xliff import open_store
from conftest import snapshot
from test_incremental import fake_render

pytest_plugins = ["conftest_mt"]

DOC = "statement-2022-01-07"
UPRISING = "sb8ecbf7db85d"  # In Kazakhstan, there is now a real popular uprising.
CAUSE = "sb21b1fa92c8e"


def seed_store(root, lang="ru"):
    project = load_project(root)
    return open_store(project, next(d for d in project.documents if d.name == DOC), lang)


def only_ru_pdf(root):
    toml = root / "brochure.toml"
    text = toml.read_text(encoding="utf-8")
    start = text.index("[[editions]]")
    toml.write_text(
        text[:start] + '[[editions]]\nlanguages = ["en", "ru"]\nformats = ["docx"]\n',
        encoding="utf-8",
    )


def test_build_says_when_an_edition_holds_machine_drafts_and_check_errors(invoke, seed_project):
    only_ru_pdf(seed_project)
    store = seed_store(seed_project)
    store.set_target(CAUSE, RichText("Машинный черновик."), "translated", meta={"origin": "mt"})
    # a target left in English is a check error (untranslated)
    store.set_target(UPRISING, RichText("In Kazakhstan, there is now a real popular uprising."),
                     "final", meta={"origin": "human"})  # fmt: skip
    store.save()
    result = invoke("build", seed_project, "--no-mt")
    assert result.exit_code == 0, result.output
    summary = [ln for ln in result.stderr.splitlines() if ln.startswith("warning: edition en-ru")]
    assert len(summary) == 1, result.stderr
    assert "1 unreviewed machine draft(s)" in summary[0]
    assert "check error(s)" in summary[0] and "brochure check" in summary[0]
    status = json.loads(invoke("status", seed_project, "--json").output)
    edition = next(e for e in status["next_build"]["editions"] if e["edition"] == "en-ru")
    assert edition["ready"] is False
    text = invoke("status", seed_project).output
    assert "edition en-ru: ready" not in text


def test_build_says_when_an_edition_holds_targets_no_one_confirmed(invoke, seed_project):
    """An unsure pair `align` offered is a target in state initial: printed if built, so said."""
    only_ru_pdf(seed_project)
    store = seed_store(seed_project)
    store.set_target(CAUSE, RichText("Предложенный перевод."), "initial",
                     meta={"origin": "align", "align-source": "statement.ru.md"})  # fmt: skip
    store.save()
    result = invoke("build", seed_project, "--no-mt")
    assert result.exit_code == 0, result.output
    summary = [ln for ln in result.stderr.splitlines() if ln.startswith("warning: edition en-ru")]
    assert len(summary) == 1, result.stderr
    assert summary[0].startswith(
        "warning: edition en-ru holds 1 unconfirmed target(s) in state initial (see `brochure status`)"
    )


def test_the_seed_project_is_ready_and_builds_without_a_warning(invoke, seed_project):
    only_ru_pdf(seed_project)
    text = invoke("status", seed_project).output
    assert "edition en-ru: ready" in text
    result = invoke("build", seed_project, "--no-mt")
    assert result.exit_code == 0, result.output
    assert not [ln for ln in result.stderr.splitlines() if ln.startswith("warning: edition")]


def test_status_is_not_ready_while_units_are_unreviewed_drafts(invoke, seed_project):
    only_ru_pdf(seed_project)
    store = seed_store(seed_project)
    store.set_target(
        CAUSE, RichText("Черновик переводчика."), "translated", meta={"origin": "human"}
    )
    store.save()
    text = invoke("status", seed_project).output
    assert "edition en-ru: ready" not in text
    assert "edition en-ru: 1 unit(s) to review" in text


def test_fingerprint_covers_no_mt_models_and_memory(installed, mini_project, tiny_models):
    from brochure.pipeline.build import build_project

    with_mt_edition(mini_project, "kk")
    calls: list[str] = []
    build_project(load_project(mini_project), render=fake_render(calls), draft=True, mt=False)
    assert calls == ["mini.en-kk.pdf"]
    # the same draft build with MT must draft the missing kk segments, not say "nothing changed"
    build_project(load_project(mini_project), render=fake_render(calls), draft=True)
    assert calls == ["mini.en-kk.pdf"] * 2
    states = [u.state for u in open_store_units(mini_project, "kk")]
    assert states and all(state == "translated" for state in states), states
    build_project(load_project(mini_project), render=fake_render(calls), draft=True)
    assert len(calls) == 2, "nothing changed"
    (mini_project / "memory").mkdir()
    (mini_project / "memory" / "peer.tmx").write_text(
        '<tmx version="1.4"><header creationtool="t" creationtoolversion="1" segtype="sentence" '
        'o-tmf="t" adminlang="en" srclang="en" datatype="plaintext"/><body/></tmx>',
        encoding="utf-8",
    )
    build_project(load_project(mini_project), render=fake_render(calls), draft=True)
    assert len(calls) == 3, "a memory file appeared"


def test_fingerprint_changes_with_the_installed_models(installed, mini_project, tiny_models):
    from brochure.pipeline.build import build_project

    with_mt_edition(mini_project, "ru")
    calls: list[str] = []
    build_project(load_project(mini_project), render=fake_render(calls))
    build_project(load_project(mini_project), render=fake_render(calls))
    assert len(calls) == 1
    from brochure.engines.packages import install_package

    install_package(tiny_models.en_ru_prefixed, installed)
    build_project(load_project(mini_project), render=fake_render(calls))
    assert len(calls) == 2, "a model was installed"


def with_mt_edition(root, lang):
    """An en|LANG PDF edition (the screen PDF only), drafted by the argos engine
    (MINI_TOML ends in [mt])."""
    toml = root / "brochure.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8")
        + f'\n[[editions]]\nlanguages = ["en", "{lang}"]\nformats = ["pdf"]\npdf = ["screen"]\n',
        encoding="utf-8",
    )


def open_store_units(root, lang):
    project = load_project(root)
    return list(open_store(project, project.documents[0], lang).units())


@pytest.mark.parametrize("command", [("build",), ("build", "--draft")])
def test_a_project_glossary_that_is_not_utf8_stops_build(invoke, seed_project, command):
    path = seed_project / "glossary" / "terms.tsv"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes("id\ten\tru\nx\tstrike\tзабастовка\n".encode("cp1251"))
    before = snapshot(seed_project)
    result = invoke(command[0], seed_project, *command[1:])
    assert result.exit_code == 1
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert lines == [
        f"Error: {path}:2: not UTF-8 text (it looks like Windows-1251 Cyrillic); save the file as UTF-8"
    ], result.stderr
    listed = invoke("glossary", "list", seed_project)
    assert listed.exit_code == 1 and lines[0] in listed.stderr
    assert snapshot(seed_project) == before

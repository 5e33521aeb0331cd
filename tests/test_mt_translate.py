"""`brochure translate` and the MT step of `brochure build`: drafts fill what is missing, never more."""

from __future__ import annotations

import hashlib
import re
import shutil
import sys
import types
from pathlib import Path

import pytest
from brochure.cli import cli
from brochure.core.project import load_project
from brochure.store.xliff import TranslationFile
from click.testing import CliRunner

pytest_plugins = ["conftest_mt"]
MT_TABLE = '\n[mt]\nengine = "argos"\n'


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def store(root: Path, doc: str, lang: str) -> TranslationFile:
    return TranslationFile.open(root / "translations" / f"{doc}.{lang}.xlf", "en", lang, doc)


def digest(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("*.xlf"))
    }


def copy_seeds(dest: Path) -> Path:
    """A temporary copy of the sample project, for tests that change it."""
    seeds = Path(__file__).resolve().parent.parent / "seeds"
    shutil.copytree(seeds, dest, ignore=shutil.ignore_patterns("build", ".brochure"))
    return dest


def without_mt(toml: str) -> str:
    """The project file without its [mt] table (MINI_TOML ends in it)."""
    assert toml.endswith(MT_TABLE)
    return toml.removesuffix(MT_TABLE)


def pivot_copy(text: str) -> str:
    """What the tiny en->ru->kk models make of a text."""
    return text.replace("workers", "жұмысшылар")


def test_install_then_translate_seed_project(tiny_models, models_dir, tmp_path):
    """The sample project gets a new target language: packages installed from files built outside
    the project fill every kk unit; a second run translates nothing."""
    for package in (tiny_models.en_ru, tiny_models.ru_kk):
        assert run("models", "install", str(package)).exit_code == 0
    root = copy_seeds(tmp_path / "seeds")
    for old in root.glob("translations/*.kk.xlf"):
        old.unlink()  # kk is new in this copy
    toml = root / "brochure.toml"
    greedy = "beam_size = 1\nnum_hypotheses = 1\n"  # greedy search: the seed sentences are long
    text = toml.read_text(encoding="utf-8")
    toml.write_text(
        text.replace("[mt]\n", "[mt]\n" + greedy)
        if "[mt]\n" in text
        else text + "\n[mt]\n" + greedy
    )
    ru_before = digest(root / "translations")

    result = run("translate", str(root), "--lang", "kk")
    assert result.exit_code == 0, result.output
    project = load_project(root)
    total = 0
    for document in project.documents:
        units = list(store(root, document.name, "kk").units())
        total += len(units)
        for unit in units:
            assert unit.state == "translated"
            assert unit.target.text == pivot_copy(unit.source.text)
            assert unit.meta == {
                "origin": "mt",
                "engine": "argos",
                "model": "translate-en_ru+translate-ru_kk",
                "version": "1.0+1.0",
            }
    assert total > 50
    lines = result.output.splitlines()
    assert re.fullmatch(
        rf"kk: {total} segment\(s\) drafted by argos/translate-en_ru\+translate-ru_kk/1.0\+1.0/beam1-n1, "
        rf"\d+ by the engine at [\d.]+ segments/s; 0 already translated, 0 reviewed or final left alone",
        lines[0],
    ), lines[0]
    assert lines[1:] == [f"wrote translations/{d.name}.kk.xlf" for d in project.documents]
    assert {k: v for k, v in digest(root / "translations").items() if ".ru." in k} == ru_before

    after = digest(root / "translations")
    again = run("translate", str(root))
    assert again.exit_code == 0, again.output
    assert (
        again.output.splitlines()[1]
        == f"kk: nothing to translate; {total} already translated, 0 reviewed or final left alone"
    )
    assert digest(root / "translations") == after


def test_final_unit_survives_byte_for_byte(installed, mini_project):
    run("translate", str(mini_project), "--lang", "kk")
    path = mini_project / "translations" / "text.kk.xlf"
    xml = path.read_text(encoding="utf-8")
    units = re.findall(r"<unit .*?</unit>", xml, flags=re.DOTALL)
    # a translator finalises one draft by hand and empties another's target
    final = (
        units[1]
        .replace('state="translated"', 'state="final"')
        .replace("Trade unions", "Кәсіподақтар")
    )
    emptied = re.sub(r"<target>.*?</target>", "<target></target>", units[2])
    xml = xml.replace(units[1], final).replace(units[2], emptied)
    path.write_text(xml, encoding="utf-8")

    result = run("translate", str(mini_project))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:2] == [
        "ru: nothing to translate; 0 already translated, 5 reviewed or final left alone",
        "kk: 1 segment(s) drafted by argos/translate-en_ru+translate-ru_kk/1.0+1.0/beam4-n4, all from the MT cache; 3 already translated, 1 reviewed or final left alone",
    ]
    new = path.read_text(encoding="utf-8")
    assert final in new  # byte for byte
    assert emptied not in new


def test_translate_without_mt_table_says_how_to_enable_it(installed, mini_project):
    """As for `build`, no [mt] means no machine translation: one line, nothing written."""
    toml = mini_project / "brochure.toml"
    toml.write_text(without_mt(toml.read_text()))
    before = digest(mini_project / "translations")
    result = run("translate", str(mini_project), "--lang", "kk")
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {toml}: mt: machine translation is not enabled; add [mt] with engine = "
        '"argos" (or "ct2" and a model) to enable it, or give --engine\n'
    )
    assert digest(mini_project / "translations") == before
    assert not (mini_project / ".brochure" / "mt.sqlite").exists()
    # --engine asks for it explicitly
    result = run("translate", str(mini_project), "--lang", "kk", "--engine", "argos")
    assert result.exit_code == 0, result.output
    assert [u.state for u in store(mini_project, "text", "kk").units()] == ["translated"] * 5


def test_human_targets_are_kept(installed, mini_project):
    ru_before = digest(mini_project / "translations")
    result = run("translate", str(mini_project), "--lang", "ru")
    assert result.exit_code == 0
    assert (
        result.output
        == "ru: nothing to translate; 0 already translated, 5 reviewed or final left alone\n"
    )
    assert digest(mini_project / "translations") == ru_before


def test_mt_cache_answers_a_deleted_file(installed, mini_project):
    run("translate", str(mini_project))
    path = mini_project / "translations" / "text.kk.xlf"
    first = path.read_bytes()
    path.unlink()
    result = run("translate", str(mini_project))
    assert (
        "kk: 5 segment(s) drafted by argos/translate-en_ru+translate-ru_kk/1.0+1.0/beam4-n4, all from the MT cache"
        in result.output
    )
    assert path.read_bytes() == first
    assert (mini_project / ".brochure" / "mt.sqlite").is_file()


def test_ct2_engine_from_project_file(tiny_models, models_dir, mini_project):
    toml = mini_project / "brochure.toml"
    toml.write_text(
        toml.read_text()
        + f"""
[mt.engines.kk]
engine = "ct2"
model = "{tiny_models.nllb.as_posix()}"
source_token = "eng_Latn"
target_prefix = "kaz_Cyrl"
"""
    )
    result = run("translate", str(mini_project))  # nothing installed for argos: kk needs only ct2
    assert result.exit_code == 0, result.output
    for unit in store(mini_project, "text", "kk").units():
        assert unit.target.text == pivot_copy(unit.source.text)
        assert unit.meta["engine"] == "ct2" and unit.meta["model"] == "nllb-en-kk"


def test_engine_without_model(models_dir, mini_project):
    before = digest(mini_project / "translations")
    result = run("translate", str(mini_project))
    assert result.exit_code == 1
    # argos has no Kazakh package to download: the line says how else (not `--download en kk`)
    assert result.output == (
        f"Error: no argos model translates en->kk in {models_dir} (installed: none); argos-translate's "
        "index has no Kazakh package (one made by hand installs with `brochure models install "
        "PATH.argosmodel`); or give Kazakh the `ct2` engine and a CTranslate2 model that knows it "
        '(NLLB-200, OPUS-MT): in brochure.toml, [mt.engines.kk] engine = "ct2" and model = "its '
        'folder" (README: Machine translation)\n'
    )
    assert digest(mini_project / "translations") == before
    assert not (mini_project / "translations" / "text.kk.xlf").exists()


def test_ct2_model_for_another_pair(tiny_models, models_dir, mini_project):
    toml = mini_project / "brochure.toml"
    toml.write_text(
        toml.read_text()
        + f"""
[mt.engines.kk]
engine = "ct2"
model = "{tiny_models.nllb.as_posix()}"
source_token = "eng_Latn"
target_prefix = "rus_Cyrl_x"
"""
    )
    before = digest(mini_project / "translations")
    result = run("translate", str(mini_project), "--lang", "kk")
    assert result.exit_code == 1
    assert result.output.startswith(
        "Error: mt.engines.kk.target_prefix: 'rus_Cyrl_x' is not in the vocabulary of "
    )
    assert len(result.output.splitlines()) == 1
    assert digest(mini_project / "translations") == before


@pytest.mark.parametrize(("args", "message"), [
    (["--lang", "xx"], "Error: --lang: unknown language code 'xx' (known: en, kk, ru)\n"),
    (["--lang", "en"], "Error: --lang: 'en' is not a target language of {toml} (targets: ru, kk); add it to target_languages\n"),
    (["--engine", "deepl"], "Error: --engine: unknown engine 'deepl' (one of: argos, ct2)\n"),
])  # fmt: skip
def test_bad_options(installed, mini_project, args, message):
    result = run("translate", str(mini_project), *args)
    assert result.exit_code == 1
    assert result.output == message.format(toml=mini_project / "brochure.toml")


def test_glossary_chooses_among_hypotheses(installed, mini_project, monkeypatch):
    calls = []

    def apply_glossary(project, source_text, hypotheses, src_lang, tgt_lang, **options):
        calls.append((source_text, list(hypotheses), src_lang, tgt_lang))
        return hypotheses[-1][0] + " [g]", ["glossary: term repaired"]

    module = types.ModuleType("brochure.glossary.enforce")
    module.apply_glossary = apply_glossary  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "brochure.glossary.enforce", module)
    assert run("translate", str(mini_project), "--lang", "kk").exit_code == 0
    source, hyps, src, tgt = calls[0]
    assert (src, tgt, len(hyps)) == ("en", "kk", 4)
    assert hyps[0] == (pivot_copy(source), 0.0)  # (text, score), best first
    unit = next(store(mini_project, "text", "kk").units())
    assert unit.target.text.endswith(" [g]")
    assert [(n.text, n.category) for n in unit.notes] == [("glossary: term repaired", "glossary")]


# -- brochure build ----------------------------------------------------------------------------------


def _fake_render(edition, fmt, out, search_dirs=()):
    return out


def test_build_drafts_missing_units_when_mt_is_configured(installed, mini_project):
    from brochure.core.errors import MissingTranslations
    from brochure.pipeline.build import build_project

    toml = mini_project / "brochure.toml"
    toml.write_text(toml.read_text() + '\n[[editions]]\nlanguages = ["en", "kk"]\n')
    with pytest.raises(MissingTranslations):
        build_project(load_project(mini_project), render=_fake_render, mt=False)  # --no-mt
    assert [u.target for u in store(mini_project, "text", "kk").units()] == [None] * 5
    build_project(load_project(mini_project), render=_fake_render)
    assert [u.state for u in store(mini_project, "text", "kk").units()] == ["translated"] * 5


def test_build_without_mt_table_does_not_translate(installed, mini_project):
    from brochure.core.errors import MissingTranslations
    from brochure.pipeline.build import build_project

    toml = mini_project / "brochure.toml"
    toml.write_text(without_mt(toml.read_text()) + '\n[[editions]]\nlanguages = ["en", "kk"]\n')
    with pytest.raises(MissingTranslations):
        build_project(load_project(mini_project), render=_fake_render)


def test_build_no_mt_flag(installed, mini_project):
    toml = mini_project / "brochure.toml"
    toml.write_text(
        toml.read_text() + '\n[[editions]]\nlanguages = ["en", "kk"]\nformats = ["pdf"]\n'
    )
    result = run("build", str(mini_project), "--no-mt")
    assert result.exit_code == 1
    assert "Error: 5 segment(s) have no translation:" in result.output


def test_the_starter_project_shows_how_to_enable_machine_translation(models_dir, tmp_path):
    """`brochure init` writes the [mt] table commented out: translate says what is missing, and
    uncommenting it is all it takes."""
    root = tmp_path / "starter"
    assert run("init", str(root)).exit_code == 0
    result = run("translate", str(root))
    assert result.exit_code == 1
    assert "mt: machine translation is not enabled" in result.output
    toml = root / "brochure.toml"
    text = toml.read_text(encoding="utf-8")
    assert '# [mt]\n# engine = "argos"\n' in text
    toml.write_text(text.replace('# [mt]\n# engine = "argos"\n', '[mt]\nengine = "argos"\n'))
    result = run("translate", str(root))
    assert result.exit_code == 0, result.output
    assert result.output.startswith("ru: nothing to translate; 0 already translated")


def test_ctrl_c_during_translate_keeps_the_drafts_made_so_far(installed, mini_project, monkeypatch):
    """Ctrl-C (KeyboardInterrupt, as Python turns SIGINT into) after the first chunk of 32: the
    drafts made until then are saved in a whole, valid translations file, the run ends with one
    line, and the next run drafts only the rest."""
    import brochure.translate.fill as fill

    doc = "".join(f"Plant {n} is closed and its workers strike.\n\n" for n in range(80))
    (mini_project / "long.md").write_text(doc, encoding="utf-8")
    toml = mini_project / "brochure.toml"
    toml.write_text(toml.read_text().replace('["text.md"]', '["text.md", "long.md"]'))
    calls = []
    real = fill._translated

    def stopped_at_the_second_chunk(eng, cache, sources):
        calls.append(len(sources))
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(eng, cache, sources)

    monkeypatch.setattr(fill, "_translated", stopped_at_the_second_chunk)
    result = run("translate", str(mini_project), "--lang", "ru")
    assert result.exit_code == 1
    path = mini_project / "translations" / "long.ru.xlf"
    assert result.output.endswith(
        f"Error: interrupted (Ctrl-C): the 32 draft(s) made so far are saved in {path}; "
        "run the command again to draft the rest\n"
    )
    assert "Traceback" not in result.output
    units = list(store(mini_project, "long", "ru").units())
    assert len(units) == 80
    assert [u.state for u in units] == ["translated"] * 32 + ["initial"] * 48
    assert units[0].target.text == "Plant 0 is closed and its рабочие strike."
    monkeypatch.setattr(fill, "_translated", real)
    result = run("translate", str(mini_project), "--lang", "ru")
    assert result.exit_code == 0, result.output
    assert "ru: 48 segment(s) drafted" in result.output
    assert [u.state for u in store(mini_project, "long", "ru").units()] == ["translated"] * 80


def test_ctrl_c_before_any_draft_writes_nothing(installed, mini_project, monkeypatch):
    import brochure.translate.fill as fill

    def stopped(eng, cache, sources):
        raise KeyboardInterrupt

    monkeypatch.setattr(fill, "_translated", stopped)
    before = digest(mini_project / "translations")
    result = run("translate", str(mini_project), "--lang", "ru", "--lang", "kk")
    assert result.exit_code == 1
    assert result.output == (
        "Error: interrupted (Ctrl-C): no draft was made yet; run the command again to draft the rest\n"
    )
    assert digest(mini_project / "translations") == before

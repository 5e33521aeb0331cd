"""Engines `argos` and `ct2` on tiny real copy models: exact outputs, pivots, decoding, config."""

from __future__ import annotations

import math
import subprocess
import sys
import time

import pytest
from brochure.core.errors import ModelNotInstalled, ProjectError
from brochure.engines import Hypothesis, engine_class
from brochure.engines.argos import ArgosEngine
from brochure.engines.config import EngineSettings
from brochure.engines.ct2 import CT2Engine
from brochure.engines.packages import install_package

pytest_plugins = ["conftest_mt"]

TEXTS = ["The workers of Kazakhstan unite.", "file_name and snake_case", "", "Hello, world!"]


def texts_of(nbest: list[list[Hypothesis]]) -> list[str]:
    return [hyps[0].text for hyps in nbest]


def test_argos_direct(installed):
    engine = ArgosEngine("en", "ru", EngineSettings(num_hypotheses=3), installed)
    result = engine.translate(TEXTS)
    assert texts_of(result) == [
        "The рабочие of Kazakhstan unite.",
        "file_name and snake_case",
        "",
        "Hello, world!",
    ]
    assert [len(h) for h in result] == [
        3,
        3,
        1,
        3,
    ]  # N-best lists; an empty text gets one empty hypothesis
    for hyps in result:
        assert [h.score for h in hyps] == sorted((h.score for h in hyps), reverse=True)
    assert (engine.name, engine.model, engine.version) == ("argos", "translate-en_ru", "1.0")
    assert engine.signature() == "argos/translate-en_ru/1.0/beam4-n3"


def test_argos_pivot_goes_through_russian(installed):
    engine = ArgosEngine("en", "kk", EngineSettings(num_hypotheses=2), installed)
    # "workers" -> "рабочие" (en->ru) -> "жұмысшылар" (ru->kk): both legs ran, in order
    assert texts_of(engine.translate(TEXTS)) == [
        "The жұмысшылар of Kazakhstan unite.",
        "file_name and snake_case",
        "",
        "Hello, world!",
    ]
    assert engine.model == "translate-en_ru+translate-ru_kk"
    assert engine.version == "1.0+1.0"


def test_argos_keeps_order_over_many_batches(installed):
    many = [f"Sentence {i} of the workers." for i in range(300)]
    engine = ArgosEngine("en", "ru", EngineSettings(num_hypotheses=1, batch_size=16), installed)
    assert texts_of(engine.translate(many)) == [f"Sentence {i} of the рабочие." for i in range(300)]


def test_argos_target_prefix_stripped_and_underscores_kept(tiny_models, models_dir):
    """argos's own decoder turns every "_" into a space and leaves `rus_Cyrl` in the output."""
    install_package(tiny_models.en_ru_prefixed, models_dir)
    engine = ArgosEngine("en", "ru", EngineSettings(num_hypotheses=1), models_dir)
    assert texts_of(engine.translate(["file_name of the workers"])) == ["file_name of the рабочие"]


def test_argos_no_model(installed):
    with pytest.raises(ModelNotInstalled) as exc:
        ArgosEngine("ru", "en", EngineSettings(), installed)
    assert str(exc.value) == (
        f"no argos model translates ru->en in {installed} (installed: en->ru, ru->kk); install one with "
        "`brochure models install PATH.argosmodel` or `brochure models install --download ru en`"
    )


def test_ct2_nllb_style(tiny_models):
    settings = EngineSettings(engine="ct2", model=tiny_models.nllb, source_token="eng_Latn",
                              target_prefix="kaz_Cyrl", num_hypotheses=2)  # fmt: skip
    engine = CT2Engine("en", "kk", settings)
    assert texts_of(engine.translate(TEXTS)) == [
        "The жұмысшылар of Kazakhstan unite.",
        "file_name and snake_case",
        "",
        "Hello, world!",
    ]
    assert engine.model == "nllb-en-kk"
    assert len(engine.version) == 12
    assert engine.signature() == f"ct2/nllb-en-kk/{engine.version}/beam4-n2/eng_Latn+kaz_Cyrl"


def test_ct2_model_for_another_pair(tiny_models):
    settings = EngineSettings(engine="ct2", model=tiny_models.nllb, source_token="eng_Latn",
                              target_prefix="tur_Latn", key="mt.engines.kk")  # fmt: skip
    with pytest.raises(
        ModelNotInstalled,
        match=r"^mt.engines.kk.target_prefix: 'tur_Latn' is not in the vocabulary of .*nllb-en-kk: this model does not translate this language pair",
    ):
        CT2Engine("en", "kk", settings)


def test_ct2_not_a_model(tmp_path):
    settings = EngineSettings(engine="ct2", model=tmp_path, key="mt.engines.kk")
    with pytest.raises(
        ModelNotInstalled,
        match=r"^mt.engines.kk.model: .* holds no CTranslate2 model \(model.bin\)",
    ):
        CT2Engine("en", "kk", settings)


def test_registry():
    assert engine_class("argos") is ArgosEngine
    assert engine_class("ct2") is CT2Engine
    with pytest.raises(Exception, match="unknown MT engine 'deepl' \\(known: argos, ct2\\)"):
        engine_class("deepl")


# -- [mt] in brochure.toml ---------------------------------------------------------------------------


def _project(tmp_path, mt: str):
    from brochure.core.project import load_project

    (tmp_path / "text.md").write_text("One sentence.\n", encoding="utf-8")
    (tmp_path / "brochure.toml").write_text(
        'title = "T"\nsource_language = "en"\ntarget_languages = ["ru", "kk"]\ndocuments = ["text.md"]\n'
        + mt,
        encoding="utf-8",
    )
    return load_project(tmp_path)


def test_mt_config(tmp_path):
    project = _project(
        tmp_path,
        """
[mt]
engine = "argos"
beam_size = 5
[mt.engines.kk]
engine = "ct2"
model = "models/nllb"
source_token = "eng_Latn"
target_prefix = "kaz_Cyrl"
""",
    )
    from brochure.engines.config import settings_for

    ru, kk = settings_for(project, "ru"), settings_for(project, "kk")
    assert (ru.engine, ru.beam_size, ru.model) == ("argos", 5, None)
    assert (kk.engine, kk.beam_size, kk.source_token, kk.target_prefix) == (
        "ct2",
        5,
        "eng_Latn",
        "kaz_Cyrl",
    )
    assert kk.path(kk.model) == tmp_path / "models" / "nllb"


def test_mt_config_problems_all_at_once(tmp_path):
    with pytest.raises(ProjectError) as exc:
        _project(
            tmp_path,
            """
[mt]
engine = "google"
beam_size = 0
colour = "red"
[mt.engines.xx]
engine = "argos"
[mt.engines.kk]
engine = "ct2"
""",
        )
    message = str(exc.value)
    assert message.startswith(f"{tmp_path / 'brochure.toml'}: ")
    for part in ("mt.colour: unknown key", "mt.engine: unknown engine 'google' (one of: argos, ct2, none)",
                 "mt.beam_size: must be a whole number from 1 to 64",
                 "mt.engines.xx: unknown language code 'xx'", 'mt.engines.kk.model: missing: engine "ct2" needs model'):  # fmt: skip
        assert part in message, message
    assert "\n" not in message


def test_help_imports_no_heavy_module():
    code = (
        "import sys; from brochure.cli import cli\n"
        "try:\n    cli(['--help'])\nexcept SystemExit: pass\n"
        "heavy = {'ctranslate2', 'sentencepiece', 'argostranslate', 'numpy', 'tqdm'} & set(sys.modules)\n"
        "print(sorted(heavy))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip().endswith("[]")


def test_argos_bpe_package(tmp_path, models_dir):
    """Older argos packages tokenize with Moses + BPE (bpe.model) instead of SentencePiece."""
    import tinymodels

    texts = ["The workers unite, and the union works!", "Workers of the world."]
    install_package(tinymodels.build_bpe_package(tmp_path, "en", "ru", texts), models_dir)
    engine = ArgosEngine("en", "ru", EngineSettings(num_hypotheses=1), models_dir)
    assert engine.legs[0].encode(texts[1]) == [
        "W@@",
        "o@@",
        "r@@",
        "k@@",
        "ers",
        "o@@",
        "f",
        "the",
        "wor@@",
        "l@@",
        "d",
        ".",
    ]
    assert texts_of(engine.translate(texts)) == texts


def test_own_load_read_from_proc():
    """Read from /proc/self/stat and /proc/uptime in a new process (this one's part depends on
    what the tests before did): it grows while the process keeps a core busy."""
    script = (
        "import time\n"
        "from brochure.engines import ct2\n"
        "before = ct2.own_load(2)\n"
        "start = time.process_time()\n"
        "while time.process_time() - start < 0.5: pass\n"
        "print(before, ct2.own_load(2))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    before, after = map(float, out.stdout.split())
    assert 0 <= before < after <= 2


def test_running_others_sees_a_busy_process():
    from brochure.engines import ct2

    spin = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        time.sleep(0.3)
        assert ct2.running_others() >= 1
    finally:
        spin.kill()
        spin.wait()


def test_settings_derived_from_machine_and_model(installed, monkeypatch):
    from brochure.engines import ct2

    monkeypatch.setattr(ct2.os, "sched_getaffinity", lambda pid: {0, 1, 2, 3})
    monkeypatch.setattr(ct2, "running_others", lambda: 9)  # as many running as the load says
    monkeypatch.setattr(ct2, "own_load", lambda cores: 0.0)  # (the test process's own: below)
    monkeypatch.setattr(ct2.os, "getloadavg", lambda: (2.6, 1.0, 1.0))
    assert ct2.available_threads() == 2  # 4 cores, 2 of them busy
    monkeypatch.setattr(ct2.os, "getloadavg", lambda: (9.0, 9.0, 9.0))
    assert ct2.available_threads() == 1
    decoding = ct2.Decoding().resolved()
    assert decoding.threads == 1
    # by the weights and the threads, as measured: int8 smaller at one thread, 1024 a thread from two
    assert decoding.batching("float32") == ("tokens", 1024)
    assert decoding.batching("int8_float32") == ("tokens", 512)
    assert ct2.Decoding(threads=2).batching("int8") == ("tokens", 2048)
    assert ct2.Decoding(threads=2).batching("float32") == ("tokens", 2048)
    assert ct2.Decoding(threads=4).batching("int8_float16") == ("tokens", 4096)
    assert ct2.Decoding(batch_size=16, threads=2).batching("int8") == ("examples", 16)
    # this process's own load is not another's: a process that kept one core busy for minutes
    # (a long build, the benchmark) still gets both cores of an otherwise idle 2-core machine
    monkeypatch.setattr(ct2.os, "sched_getaffinity", lambda pid: {0, 1})
    monkeypatch.setattr(ct2.os, "getloadavg", lambda: (1.2, 1.0, 1.0))
    monkeypatch.setattr(ct2, "own_load", lambda cores: ct2.load_share(290.0, 300.0, cores))
    assert ct2.available_threads() == 2
    # ... but a process just started is hardly in the average yet: the load is another's
    monkeypatch.setattr(ct2, "own_load", lambda cores: ct2.load_share(1.0, 1.0, cores))
    assert ct2.available_threads() == 1
    # ... unless the load was a process that has ended: nothing else runs now
    monkeypatch.setattr(ct2, "running_others", lambda: 0)
    assert ct2.available_threads() == 2
    assert ct2.load_share(1.0, 1.0, 2) == pytest.approx(1 - math.exp(-1 / 60))
    assert ct2.load_share(600.0, 300.0, 2) == pytest.approx(2 * (1 - math.exp(-5)))  # 2 threads
    assert ct2.load_share(900.0, 300.0, 2) <= 2  # never more than its cores
    monkeypatch.setattr(ct2.os, "getloadavg", lambda: (9.0, 9.0, 9.0))  # one thread below
    monkeypatch.setattr(ct2, "running_others", lambda: 9)

    engine = ArgosEngine("en", "ru", EngineSettings(num_hypotheses=1), installed)
    model = engine.legs[0]
    # the batch size follows the loaded model's weights (the test model is int8)
    assert model.translator.compute_type.startswith("int8")
    assert model.batching() == ("tokens", 512)
    # byte fallback: every text's pieces are in the vocabulary, no <unk>, no replace_unknowns
    assert not model.has_unknown(model.encode("Жаңаөзен ☃ workers"))
    assert model.has_unknown(["▁workers", "☃☃☃-not-a-piece"])
    assert model.has_unknown(["<unk>"])


def test_texts_with_unknown_tokens_go_in_their_own_batch_in_order(installed, monkeypatch):
    engine = ArgosEngine("en", "ru", EngineSettings(num_hypotheses=1), installed)
    model = engine.legs[0]
    calls = []
    real = model._translate_batch

    def spy(source, n, replace_unknowns):
        calls.append((len(source), replace_unknowns))
        return real(source, n, replace_unknowns)

    monkeypatch.setattr(model, "has_unknown", lambda tokens: "odd" in "".join(tokens))
    monkeypatch.setattr(model, "_translate_batch", spy)
    texts = [f"{'odd' if i % 2 else 'even'} {i} workers" for i in range(10)]
    assert texts_of(engine.translate(texts)) == [t.replace("workers", "рабочие") for t in texts]
    assert calls == [(5, False), (5, True)]

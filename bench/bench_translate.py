"""Benchmark: machine translation throughput and memory (not a test; `make bench` runs it).

Translates the same 2,000 sentences, on the same model, with the same beam and batch size:
  raw        CTranslate2 translate_batch (with SentencePiece encode/decode): the ceiling
  engine     brochure's argos engine, called as the translate core calls it (chunks of 512)
  translate  brochure's translate core on a 2,000-sentence project: segmenting, XLIFF, MT cache
             (once without and once with the glossary choosing among the hypotheses)
  argos      argostranslate.translate.translate() once per sentence, default settings, in a
             subprocess with a temporary HOME and ARGOS_* variables (its sentence splitter, which
             would download a model, is replaced by "one sentence": that only makes argos faster)
and prints segments/s with ratios to raw (targets: translate >= 0.9x raw, >= 3x argos).
Then peak memory while the engine translates 20,000 sentences: it must stay flat.

The model is a tiny hand-weighted copy model (tests/tinymodels.py) with a 2,000-piece vocabulary
and 128-dimension token codes: real CTranslate2 work per token, no download.

    .venv/bin/python bench/bench_translate.py [--sentences 2000] [--memory 20000] [--skip-argos]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))  # tinymodels

BEAM, NBEST, BATCH = 4, 4, 64
WIDTH = 128  # token-code dimensions of the copy model (model width: WIDTH + 64)

WORDS = [
    "workers",
    "union",
    "strike",
    "wages",
    "pension",
    "state",
    "party",
    "movement",
    "programme",
    "demand",
    "oil",
    "gas",
    "price",
    "protest",
    "city",
    "region",
    "people",
    "power",
    "law",
    "right",
    "freedom",
    "independent",
    "trade",
    "council",
    "committee",
    "factory",
    "miner",
    "teacher",
    "doctor",
    "students",
    "women",
    "youth",
    "election",
    "parliament",
    "president",
    "government",
    "capital",
    "profit",
    "market",
    "reform",
    "crisis",
    "inflation",
    "debt",
    "tax",
    "budget",
    "land",
    "water",
    "housing",
    "rent",
    "health",
    "school",
    "hospital",
    "transport",
    "bread",
    "salary",
    "contract",
    "employer",
    "dismissal",
    "solidarity",
    "congress",
    "statement",
    "meeting",
    "assembly",
    "decision",
    "struggle",
    "victory",
    "defeat",
    "history",
    "future",
    "socialist",
    "class",
]
SMALL = ["the", "of", "and", "in", "to", "for", "a", "with", "on", "by", "from", "against"]


def sentences(n: int, seed: int = 1) -> list[str]:
    """n distinct sentences of 12-30 words (about 20-45 tokens), deterministic."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        words = [
            rng.choice(WORDS if rng.random() < 0.7 else SMALL) for _ in range(rng.randint(12, 30))
        ]
        words[0] = words[0].capitalize()
        out.append(" ".join(words) + f" {i}.")
    return out


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build_model(work: Path) -> tuple[Path, Path]:
    import tinymodels
    from brochure.engines.packages import install_package

    corpus = "\n".join(sentences(3000, seed=7)) + "\n" + tinymodels.CORPUS
    package = tinymodels.build_argos_package(
        work, "en", "ru", vocab_size=2000, corpus=corpus, width=WIDTH
    )
    models = work / "models"
    install_package(package, models)
    return package, models


def bench_raw(models: Path, texts: list[str]) -> float:
    import ctranslate2
    import sentencepiece as spm

    root = models / "translate-en_ru"
    sp = spm.SentencePieceProcessor(model_file=str(root / "sentencepiece.model"))
    translator = ctranslate2.Translator(str(root / "model"), inter_threads=1, intra_threads=0)
    start = time.perf_counter()
    tokens = [sp.encode(t, out_type=str) for t in texts]
    results = translator.translate_batch(tokens, beam_size=BEAM, num_hypotheses=NBEST, max_batch_size=BATCH,
                                         return_scores=True)  # fmt: skip
    out = [[sp.decode_pieces(h) for h in r.hypotheses] for r in results]
    elapsed = time.perf_counter() - start
    assert out[0][0] == texts[0].replace("workers", "рабочие"), out[0][0]
    return len(texts) / elapsed


def make_engine(models: Path):
    from brochure.engines.argos import ArgosEngine
    from brochure.engines.config import EngineSettings

    settings = EngineSettings(beam_size=BEAM, num_hypotheses=NBEST, batch_size=BATCH)
    return ArgosEngine("en", "ru", settings, models)


def bench_engine(models: Path, texts: list[str]) -> float:
    from brochure.translate.fill import CHUNK

    engine = make_engine(models)
    engine.translate(texts[:8])  # load the model outside the timing, as raw does
    start = time.perf_counter()
    for i in range(0, len(texts), CHUNK):
        engine.translate(texts[i : i + CHUNK])
    return len(texts) / (time.perf_counter() - start)


def bench_translate_core(
    models: Path, texts: list[str], work: Path, glossary: bool = True
) -> float:
    import brochure.translate.fill as core
    from brochure.core.project import load_project

    root = work / ("project" if glossary else "project-no-glossary")
    root.mkdir()
    paragraphs = [" ".join(texts[i : i + 5]) for i in range(0, len(texts), 5)]
    (root / "text.md").write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    (root / "brochure.toml").write_text(
        'title = "Bench"\nsource_language = "en"\ntarget_languages = ["ru"]\ndocuments = ["text.md"]\n'
        f'[mt]\nmodels_dir = "{models.as_posix()}"\nbeam_size = {BEAM}\nnum_hypotheses = {NBEST}\nbatch_size = {BATCH}\n',
        encoding="utf-8",
    )
    project = load_project(root)
    choose = core.choose
    if not glossary:  # the MT path alone: the engine's best hypothesis, no glossary checks
        core.choose = lambda project, source, hyps, src, tgt: (hyps[0].text, [])
    try:
        start = time.perf_counter()
        report = core.translate_project(project, progress=False)
        elapsed = time.perf_counter() - start
    finally:
        core.choose = choose
    n = report.langs[0].drafted
    assert n == len(texts), (n, len(texts))
    return n / elapsed


ARGOS_CHILD = r"""
import json, sys, time
import argostranslate.sbd as sbd
# argos's default splitter (MiniSBD) downloads a model on first use: one sentence per call is
# what we give it anyway, so splitting is replaced by the identity (this only makes argos faster).
sbd.MiniSBDSentencizer.split_sentences = lambda self, text: [text]
import argostranslate.translate as tr
texts = json.load(open(sys.argv[1]))
tr.translate(texts[0], "en", "ru")  # load the model outside the timing
start = time.perf_counter()
out = [tr.translate(t, "en", "ru") for t in texts]
elapsed = time.perf_counter() - start
print(json.dumps({"rate": len(texts) / elapsed, "first": out[0]}))
"""


def bench_argos(models: Path, texts: list[str], work: Path) -> float:
    home = work / "home"
    home.mkdir()
    data = work / "texts.json"
    data.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ARGOS_", "XDG_"))}
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / "data"), XDG_CONFIG_HOME=str(home / "config"),
               XDG_CACHE_HOME=str(home / "cache"), ARGOS_PACKAGES_DIR=str(models))  # fmt: skip
    proc = subprocess.run([sys.executable, "-c", ARGOS_CHILD, str(data)], env=env, capture_output=True,
                          text=True, check=False)  # fmt: skip
    if proc.returncode != 0:
        raise SystemExit(f"argos run failed:\n{proc.stderr[-2000:]}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    return result["rate"]


def memory_child(models: str, n: int) -> None:
    """Translate n sentences in core-sized chunks; print RSS after each tenth."""
    from brochure.translate.fill import CHUNK

    engine = make_engine(Path(models))
    texts = sentences(n, seed=3)
    samples = []
    step = max(CHUNK, n // 10 // CHUNK * CHUNK)
    for i in range(0, n, CHUNK):
        engine.translate(texts[i : i + CHUNK])
        if (i + CHUNK) % step == 0 or i + CHUNK >= n:
            samples.append((min(i + CHUNK, n), round(rss_mb(), 1)))
    print(json.dumps({"samples": samples, "peak": round(peak_mb(), 1)}))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sentences", type=int, default=2000)
    ap.add_argument(
        "--memory", type=int, default=20000, help="sentences for the memory run (0: skip)"
    )
    ap.add_argument("--skip-argos", action="store_true")
    ap.add_argument("--memory-child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.memory_child:
        memory_child(args.memory_child[0], int(args.memory_child[1]))
        return

    with tempfile.TemporaryDirectory(prefix="bench-translate-") as tmp:
        work = Path(tmp)
        t0 = time.perf_counter()
        _, models = build_model(work)
        texts = sentences(args.sentences)
        print(
            f"model: copy model, vocab 2000, width {WIDTH}+64, int8; built in {time.perf_counter() - t0:.1f}s"
        )
        print(
            f"{len(texts)} sentences, beam {BEAM}, {NBEST} hypotheses, batches of {BATCH} sentences, {os.cpu_count()} CPUs"
        )
        rates = {"raw": bench_raw(models, texts)}
        rates["engine"] = bench_engine(models, texts)
        rates["translate"] = bench_translate_core(models, texts, work, glossary=False)
        rates["glossary"] = bench_translate_core(models, texts, work, glossary=True)
        if not args.skip_argos:
            rates["argos"] = bench_argos(models, texts, work)
        labels = {
            "raw": "raw CTranslate2 translate_batch",
            "engine": "brochure argos engine",
            "translate": "brochure translate core (project, XLIFF, cache)",
            "glossary": "brochure translate core + glossary choice",
            "argos": "argostranslate.translate.translate() per sentence",
        }
        for key, rate in rates.items():
            extra = f"  {rate / rates['raw']:.2f}x raw"
            if "argos" in rates and key != "argos":
                extra += f"  {rate / rates['argos']:.1f}x argos"
            print(f"  {labels[key]:<52} {rate:8.1f} segments/s{extra}")
        if args.memory:
            proc = subprocess.run([sys.executable, __file__, "--memory-child", str(models), str(args.memory)],
                                  capture_output=True, text=True, check=True)  # fmt: skip
            mem = json.loads(proc.stdout.strip().splitlines()[-1])
            samples = mem["samples"]
            print(f"memory over {args.memory} sentences (RSS MB after n sentences): "
                  + ", ".join(f"{n}: {mb}" for n, mb in samples))  # fmt: skip
            first, last = samples[0][1], samples[-1][1]
            print(
                f"  growth after the first chunk: {last - first:+.1f} MB; peak RSS {mem['peak']} MB"
            )


if __name__ == "__main__":
    main()

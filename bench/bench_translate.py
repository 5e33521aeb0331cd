"""Benchmark: machine translation at the engine's limit, on two model shapes (`make bench` runs it).

For each shape, the same sentences, the same beam (4) and N-best size (4), the same threads:
  raw        CTranslate2 translate_batch (+ SentencePiece encode/decode) with the best batching
             found for this model in this run (a small search over sentences and tokens per batch)
  engine     brochure's argos engine with the settings it derives itself (batch_size = 0)
  translate  brochure's translate core on a fresh project: segmenting, XLIFF, MT cache; the
             segments that reached the engine are counted (a repeated sentence or a cached one
             would make it look faster than the engine)
  argos      argostranslate's translation.hypotheses(text, 4) once per sentence (its per-sentence
             path with the same N-best list; translate() is the same call with 1), in a
             child process timing itself after loading, with a temporary HOME, the same threads
             (its sentence splitter, which would download a model, is replaced by "one sentence":
             that only makes argos faster)
Every subject is warmed up, then timed 3 times in alternating turns (bench/common.py); the ratios
use the medians. Goals: engine and translate >= 0.95x raw, >= 3x argos, on both shapes.

Shapes (tiny hand-weighted copy models built here, tests/tinymodels.py: real CTranslate2 work per
token, no download): "f32-400" float32 weights, a 400-piece SentencePiece vocabulary (long token
sequences); "int8-2000" int8 weights, a 2,000-piece vocabulary asked for, 128+64 wide.

    .venv/bin/python bench/bench_translate.py [--sentences 400] [--argos-sentences 100]
                                              [--runs 3] [--memory 3000] [--shape f32-400 ...]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))  # tinymodels
sys.path.insert(0, str(HERE))

from common import alternate, row  # noqa: E402

BEAM, NBEST = 4, 4
SHAPES = {  # name: (vocabulary size asked for, width of the token codes, quantization)
    "f32-400": (400, 128, None),
    "int8-2000": (2000, 128, "int8"),
}
# The raw baseline's search: sentences per batch and tokens per batch.
GRID = [("examples", 8), ("examples", 16), ("examples", 32), ("examples", 64),
        ("tokens", 256), ("tokens", 512), ("tokens", 1024), ("tokens", 2048)]  # fmt: skip

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


def build_model(work: Path, shape: str) -> Path:
    import tinymodels
    from brochure.engines.packages import install_package

    vocab, width, quantization = SHAPES[shape]
    corpus = "\n".join(sentences(3000, seed=7)) + "\n" + tinymodels.CORPUS
    package = tinymodels.build_argos_package(work / shape, "en", "ru", vocab_size=vocab, corpus=corpus,
                                             width=width, quantization=quantization)  # fmt: skip
    models = work / shape / "models"
    install_package(package, models)
    return models


class Raw:
    """CTranslate2 alone: encode, translate_batch, decode."""

    def __init__(self, models: Path, threads: int):
        import ctranslate2
        import sentencepiece as spm

        root = models / "translate-en_ru"
        self.sp = spm.SentencePieceProcessor(model_file=str(root / "sentencepiece.model"))
        self.translator = ctranslate2.Translator(str(root / "model"), inter_threads=1,
                                                 intra_threads=threads)  # fmt: skip
        self.batching = ("examples", 16)

    def __call__(self, texts: list[str], batching: tuple[str, int] | None = None) -> list[str]:
        batch_type, size = batching or self.batching
        tokens = [self.sp.encode(t, out_type=str) for t in texts]
        results = self.translator.translate_batch(tokens, beam_size=BEAM, num_hypotheses=NBEST,
                                                  max_batch_size=size, batch_type=batch_type,
                                                  return_scores=True)  # fmt: skip
        return [self.sp.decode_pieces(r.hypotheses[0]) for r in results]

    def tune(self, texts: list[str]) -> list[tuple[float, tuple[str, int]]]:
        """Time every batching of GRID on `texts` (twice, alternating); keep the fastest."""
        timings = alternate({f"{t}:{n}": (lambda b=(t, n): self(texts, b)) for t, n in GRID},
                            runs=2, warmup=False)  # fmt: skip
        ranked = sorted(
            (v.min, (k.split(":")[0], int(k.split(":")[1]))) for k, v in timings.items()
        )
        self.batching = ranked[0][1]
        return ranked


def make_engine(models: Path, threads: int):
    from brochure.engines.argos import ArgosEngine
    from brochure.engines.config import EngineSettings

    settings = EngineSettings(beam_size=BEAM, num_hypotheses=NBEST, threads=threads)
    return ArgosEngine("en", "ru", settings, models)


def run_engine(engine, texts: list[str]) -> None:
    from brochure.translate.fill import CHUNK

    for i in range(0, len(texts), CHUNK):
        engine.translate(texts[i : i + CHUNK])


class Core:
    """`brochure translate` on a fresh project each run (no MT cache, nothing translated)."""

    def __init__(self, models: Path, texts: list[str], work: Path, threads: int):
        self.models, self.texts, self.work, self.threads = models, texts, work, threads
        self.runs = 0
        self.reached: list[int] = []

    def __call__(self) -> float:
        import brochure.translate.fill as core
        from brochure.core.project import load_project

        self.runs += 1
        root = self.work / f"project-{self.runs}"
        shutil.rmtree(root, ignore_errors=True)
        root.mkdir(parents=True)
        paragraphs = [" ".join(self.texts[i : i + 5]) for i in range(0, len(self.texts), 5)]
        (root / "text.md").write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
        (root / "brochure.toml").write_text(
            'title = "Bench"\nsource_language = "en"\ntarget_languages = ["ru"]\ndocuments = ["text.md"]\n'
            f'[mt]\nmodels_dir = "{self.models.as_posix()}"\nbeam_size = {BEAM}\nnum_hypotheses = {NBEST}\n'
            f"threads = {self.threads}\n",
            encoding="utf-8",
        )
        project = load_project(root)
        start = time.perf_counter()
        report = core.translate_project(project, progress=False)
        elapsed = time.perf_counter() - start
        self.reached.append(report.langs[0].computed)
        assert report.langs[0].drafted == len(self.texts), report.langs[0].drafted
        shutil.rmtree(root, ignore_errors=True)
        return elapsed


ARGOS_CHILD = r"""
import json, sys, time
import argostranslate.sbd as sbd
# argos's default splitter (MiniSBD) downloads a model on first use: one sentence per call is
# what we give it anyway, so splitting is replaced by the identity (this only makes argos faster).
sbd.MiniSBDSentencizer.split_sentences = lambda self, text: [text]
import argostranslate.translate as tr
texts = json.load(open(sys.argv[1]))
n = int(sys.argv[2])
translation = tr.get_translation_from_codes("en", "ru")
translation.hypotheses(texts[0], n)  # load the model outside the timing
start = time.perf_counter()
out = [translation.hypotheses(t, n) for t in texts]  # one call per sentence, n-best as ours
elapsed = time.perf_counter() - start
print(json.dumps({"seconds": elapsed, "first": out[0][0].value}))
"""


class Argos:
    def __init__(self, models: Path, texts: list[str], work: Path, threads: int):
        home = work / "home"
        home.mkdir(parents=True, exist_ok=True)
        self.data = work / "argos-texts.json"
        self.data.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("ARGOS_", "XDG_"))}
        env.update(HOME=str(home), XDG_DATA_HOME=str(home / "data"), XDG_CONFIG_HOME=str(home / "config"),
                   XDG_CACHE_HOME=str(home / "cache"), ARGOS_PACKAGES_DIR=str(models),
                   ARGOS_INTRA_THREADS=str(threads), ARGOS_INTER_THREADS="1")  # fmt: skip
        self.env = env

    def __call__(self) -> float:
        proc = subprocess.run([sys.executable, "-c", ARGOS_CHILD, str(self.data), str(NBEST)], env=self.env,
                              capture_output=True, text=True, check=False)  # fmt: skip
        if proc.returncode != 0:
            raise SystemExit(f"argos run failed:\n{proc.stderr[-2000:]}")
        return float(json.loads(proc.stdout.strip().splitlines()[-1])["seconds"])


def memory_child(models: str, n: int, threads: int) -> None:
    """Translate n sentences in core-sized chunks; print RSS after each tenth."""
    from brochure.translate.fill import CHUNK

    engine = make_engine(Path(models), threads)
    texts = sentences(n, seed=3)
    samples = []
    step = max(CHUNK, n // 10 // CHUNK * CHUNK)
    for i in range(0, n, CHUNK):
        engine.translate(texts[i : i + CHUNK])
        if (i + CHUNK) % step == 0 or i + CHUNK >= n:
            samples.append((min(i + CHUNK, n), round(rss_mb(), 1)))
    print(json.dumps({"samples": samples, "peak": round(peak_mb(), 1)}))


def bench_shape(shape: str, work: Path, args: argparse.Namespace, threads: int) -> None:
    from brochure.engines.ct2 import Decoding

    t0 = time.perf_counter()
    models = build_model(work, shape)
    texts = sentences(args.sentences)
    argos_texts = texts[: args.argos_sentences]
    raw = Raw(models, threads)
    mean_tokens = sum(len(raw.sp.encode(t)) for t in texts) / len(texts)
    print(f"== shape {shape}: vocabulary {raw.sp.get_piece_size()} pieces, "
          f"{SHAPES[shape][2] or 'float32'}, built in {time.perf_counter() - t0:.1f} s; "
          f"{len(texts)} sentences of {mean_tokens:.0f} tokens on average; {threads} thread(s)")  # fmt: skip
    ranked = raw.tune(texts[: args.tune_sentences])
    print("raw CTranslate2 batching search (best of 2, s): "
          + ", ".join(f"{t}={n}: {secs:.2f}" for secs, (t, n) in ranked))  # fmt: skip
    engine = make_engine(models, threads)
    engine.translate(texts[:4])
    chosen = Decoding(threads=threads).batching()
    print(f"raw uses the best: {raw.batching[0]}={raw.batching[1]}; the engine derived: "
          f"{chosen[0]}={chosen[1]}, threads={threads}")  # fmt: skip
    expected = texts[0].replace("workers", "рабочие")
    assert raw(texts[:1])[0] == expected and engine.translate(texts[:1])[0][0].text == expected
    core = Core(models, texts, work / shape, threads)
    subjects = {
        "raw": lambda: raw(texts),
        "engine": lambda: run_engine(engine, texts),
        "translate": core,
    }
    argos = None if args.skip_argos else Argos(models, argos_texts, work / shape, threads)
    if argos is not None:
        subjects["argos"] = argos
    timings = alternate(subjects, runs=args.runs)
    sizes = {
        "raw": len(texts),
        "engine": len(texts),
        "translate": len(texts),
        "argos": len(argos_texts),
    }
    rate = {k: sizes[k] / t.median for k, t in timings.items()}
    for k, t in timings.items():
        reached = core.reached[-1] if k == "translate" else sizes[k]
        print(f"  {k:<10} {t.text()}; {reached} segments reached the engine; "
              f"{sizes[k] / t.min:.1f}-{rate[k]:.1f} segments/s (min time - median)")  # fmt: skip
    assert all(n == len(texts) for n in core.reached), core.reached
    for k in ("engine", "translate"):
        r = rate[k] / rate["raw"]
        row(
            f"MT {shape}: {k} / raw CTranslate2 (best batching)", ">= 0.95x", f"{r:.2f}x", r >= 0.95
        )
        if "argos" in rate:
            a = rate[k] / rate["argos"]
            row(f"MT {shape}: {k} / argos per sentence", ">= 3x", f"{a:.1f}x", a >= 3)
    if args.memory and shape == args.memory_shape:
        proc = subprocess.run([sys.executable, __file__, "--memory-child", str(models), str(args.memory),
                               str(threads)], capture_output=True, text=True, check=True)  # fmt: skip
        mem = json.loads(proc.stdout.strip().splitlines()[-1])
        samples = mem["samples"]
        print(f"memory over {args.memory} sentences (RSS MB after n sentences): "
              + ", ".join(f"{n}: {mb}" for n, mb in samples))  # fmt: skip
        growth = samples[-1][1] - samples[0][1]
        row(f"MT memory growth over {args.memory} sentences", "< 10 MB", f"{growth:+.1f} MB "
            f"(peak {mem['peak']:.0f} MB)", growth < 10)  # fmt: skip


def main() -> None:
    from brochure.engines.ct2 import available_threads

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sentences", type=int, default=400)
    ap.add_argument("--argos-sentences", type=int, default=100)
    ap.add_argument(
        "--tune-sentences", type=int, default=150, help="sentences for the raw batching search"
    )
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--threads", type=int, default=0, help="0: what the engine would choose")
    ap.add_argument("--shape", action="append", choices=list(SHAPES), help="default: both")
    ap.add_argument(
        "--memory", type=int, default=3000, help="sentences for the memory run (0: skip)"
    )
    ap.add_argument("--memory-shape", default="int8-2000", help=argparse.SUPPRESS)
    ap.add_argument("--skip-argos", action="store_true")
    ap.add_argument("--memory-child", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.memory_child:
        memory_child(args.memory_child[0], int(args.memory_child[1]), int(args.memory_child[2]))
        return
    threads = args.threads or available_threads()
    with tempfile.TemporaryDirectory(prefix="bench-translate-") as tmp:
        for shape in args.shape or list(SHAPES):
            bench_shape(shape, Path(tmp), args, threads)


if __name__ == "__main__":
    main()

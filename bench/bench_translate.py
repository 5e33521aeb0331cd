"""Benchmark: machine translation at the engine's limit, on two model shapes (`make bench` runs it).

For each shape, the same sentences, the same beam (4) and N-best size (4), the same threads:
  raw        CTranslate2 translate_batch (+ SentencePiece encode/decode) with the best batching
             found for this model in this run (a search over sentences and tokens per batch, which
             includes the batching the engine derives, so raw is never handicapped), on the very
             translator the engine loaded (the same weights in the same memory)
  engine     brochure's argos engine with the settings it derives itself (batch_size = 0)
  translate  brochure's translate core on a fresh project: segmenting, memory, XLIFF, MT cache,
             glossary choice, saving; the segments that reached the engine are counted (a repeated
             sentence or a cached one would make it look faster than the engine)
  argos      argostranslate's translation.hypotheses(text, 4) once per sentence (its per-sentence
             path with the same N-best list; translate() is the same call with 1), in one child
             process for the shape that loads its model, translates 8 sentences and then times
             itself block by block, with a temporary HOME, the same threads (its sentence
             splitter, which would download a model, is replaced by "one sentence": that only
             makes argos faster); its best translations must be the engine's, sentence by sentence
The sentences come in blocks of 32 (what `brochure translate` hands the engine at once for a
brochure of up to 800 segments), 16 blocks of distinct sentences (512). Every subject translates
every block, the subjects one right after the other and in an order that rotates from block to
block (argos, the slowest, on the first 2 blocks, then on each next one, up to 8, only while the
interval of the engine's or the translate core's ratio to it spans 3x: a ratio far from its goal
is decided in 2 blocks, one near it gets them all); a ratio is taken block by block (the two
subjects of a ratio met the same load) and the trimmed mean of the blocks' ratios is the figure,
printed with a 90% bootstrap interval, the median and the ratio of the sums.
The engine's translator is wrapped so that its calls of translate_batch are timed apart: the
engine's and the translate core's own work (tokenizing, N-best lists, segmenting, XLIFF, glossary)
is printed as a share of their time. When raw's best batching is the engine's, raw's calls and the
engine's are the same computation on the same translator, and engine / raw is the engine's time
inside translate_batch over its whole time: a figure a rerun reproduces (the paired blocks beside).
The noise (measured at loads 3-8 on this KVM guest): the CPU time of one and the same call varies
by 8-9% from call to call, as much for calls of 8 sentences (0.45 s) as of 32 (1.8 s), and so does
a pure-Python loop (0.25 s: 14%, slowest 1.7x the fastest): the core's own speed varies (the
host's other tenants), not our process: steal time stayed under 1%, page faults change nothing
(16,000-34,000 per call with glibc's defaults; with malloc keeping its memory, none, and the same
CPU time), pinning the process to either core and timing the pairs A B B A did not narrow it.
Two timings of the same call differ by 12% (standard deviation of their ratio), so a paired ratio
of 8 blocks has an interval of about +-7% (16, the default: about +-5%), and 30-40 pairs would
be needed for +-3%: a ratio within about 5% of its goal is undecided unless it is decided by
construction (above): when its interval spans the goal, its verdict is "undecided" (a rerun may
land on either side); a quieter machine or --blocks 24 narrows the interval. The batching search
times every candidate on 4 blocks (on 2, it chose 1024 tokens over 2048 by 0.3% for the float32
shape, where 12 blocks in rotating order found 2048 3-9% faster: a choice the noise made).
Loading the model, a warm-up block on the translator and a few sentences through the engine and
through the translate core (its first project loads the built-in glossary and pymorphy3's
dictionary, once per process as the model is) are outside every timing.
Goals: engine and translate >= 0.95x raw, >= 3x argos, on both shapes.
The clock: with one thread (what a busy 2-core machine gets: ct2.available_threads), the CPU time
of the process (of argos's child process for argos), because the wall time of a process waiting
for a core measures the other processes (on a machine with a load of 10 the same run varied by
40%); the wall times are printed beside. With more threads, the wall time.

Shapes: models of a real model's size, built here (tests/tinymodels.py, no download): Transformer-
base (6+6 layers, 512 wide, 8 heads, feed-forward 2048, as argos's OpenNMT-py packages are) whose
weights copy the source token by token (the rest are small random numbers doing real work), so
every sentence takes as many decoding steps as a real translation of its length would:
  base-f32-8k    float32 weights, an 8,000-entry vocabulary
  base-int8-32k  int8 weights, a 32,000-entry vocabulary (the output layer of a common real model)
Both read a SentencePiece BPE tokenizer of 2,000 pieces (about 22 tokens per bench sentence).
The tests' tiny copy models (1 layer, 192 wide: where per-sentence overheads dominate) are there too:
--shape copy-f32-400 / copy-int8-2000; the memory run (RSS over thousands of sentences) uses
copy-int8-2000, which is fast enough for it.

    .venv/bin/python bench/bench_translate.py [--block 32] [--blocks 16] [--tune-blocks 4] [--argos-blocks 2] [--argos-max 8]
                                              [--memory 2000] [--shape base-f32-8k ...]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))  # tinymodels
sys.path.insert(0, str(HERE))

import tinymodels  # noqa: E402
from common import row  # noqa: E402

BEAM, NBEST = 4, 4


@dataclass(frozen=True)
class ModelShape:
    shape: tinymodels.Shape
    quantization: str | None  # None: float32
    pieces: int  # SentencePiece vocabulary asked for
    model_type: str  # SentencePiece's


SHAPES = {
    "base-f32-8k": ModelShape(tinymodels.Shape(**{**vars(tinymodels.BASE), "vocabulary": 8000}),
                              None, 2000, "bpe"),
    "base-int8-32k": ModelShape(tinymodels.BASE, "int8", 2000, "bpe"),
    "copy-f32-400": ModelShape(tinymodels.Shape(width=128), None, 400, "unigram"),
    "copy-int8-2000": ModelShape(tinymodels.Shape(width=128), "int8", 2000, "unigram"),
}  # fmt: skip
DEFAULT_SHAPES = ["base-f32-8k", "base-int8-32k"]
# The raw baseline's search: sentences per batch and tokens per batch (+ the engine's own choice).
GRID = [("examples", 8), ("examples", 16), ("tokens", 512), ("tokens", 1024), ("tokens", 2048)]

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
    """This process's peak RSS (VmHWM: ru_maxrss would carry the forking parent's peak over exec)."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build_model(work: Path, shape: str) -> Path:
    from brochure.engines.packages import install_package

    spec = SHAPES[shape]
    corpus = "\n".join(sentences(3000, seed=7)) + "\n" + tinymodels.CORPUS
    package = tinymodels.build_argos_package(work / shape, "en", "ru", vocab_size=spec.pieces, corpus=corpus,
                                             quantization=spec.quantization, shape=spec.shape,
                                             model_type=spec.model_type)  # fmt: skip
    models = work / shape / "models"
    install_package(package, models)
    return models


class Clock:
    """CPU time of this process (one thread) or wall time (more); the wall time is kept beside."""

    def __init__(self, threads: int):
        self.cpu = threads == 1
        self.walls: list[float] = []

    def start(self) -> tuple[float, float]:
        return time.perf_counter(), time.process_time()

    def stop(self, start: tuple[float, float]) -> float:
        wall, cpu = time.perf_counter() - start[0], time.process_time() - start[1]
        self.walls.append(wall)
        return cpu if self.cpu else wall

    def timed(self, fn: Callable[[list[str]], object]) -> Callable[[list[str]], float]:
        """A subject for interleave(): runs fn(block) and returns its time on this clock."""

        def subject(block: list[str]) -> float:
            start = self.start()
            fn(block)
            return self.stop(start)

        return subject

    @property
    def name(self) -> str:
        return "CPU time" if self.cpu else "wall time"


def interleave(
    subjects: dict[str, Callable[[list[str]], float]], blocks: list[list[str]],
    on: dict[str, Callable[[int, dict[str, dict[int, float]]], bool]] | None = None,
) -> dict[str, dict[int, float]]:  # fmt: skip
    """Each block translated by every subject, one right after the other, in an order that
    rotates from block to block; {subject: {block: seconds}}. `on`: a subject timed on block b
    only if on[subject](b, the times so far) says so (argos, the slowest)."""
    out: dict[str, dict[int, float]] = {name: {} for name in subjects}
    for b, block in enumerate(blocks):
        names = [n for n in subjects if n not in (on or {}) or (on or {})[n](b, out)]
        k = b % len(names)
        for name in names[k:] + names[:k]:
            out[name][b] = subjects[name](block)
    return out


@dataclass(frozen=True)
class Paired:
    """How many times faster `subject` ran than `base`, block by block: the two translated the same
    block one right after the other (interleave()), so a burst of load touches both.

    The estimate is the trimmed mean of the blocks' ratios (a fifth cut at each end: one block
    that met a burst of load does not move it), with a 90% bootstrap interval over the blocks."""

    subject: dict[int, float]
    base: dict[int, float]

    @property
    def ratios(self) -> list[float]:
        return [self.base[b] / self.subject[b] for b in sorted(self.subject) if b in self.base]

    @property
    def estimate(self) -> float:
        return trimmed_mean(self.ratios)

    def interval(self) -> tuple[float, float]:
        """90% bootstrap interval of the estimate (resampling blocks); (min, max) under 5 blocks."""
        r = self.ratios
        if len(r) < 5:
            return min(r), max(r)
        rng = random.Random(0)
        means = sorted(trimmed_mean(rng.choices(r, k=len(r))) for _ in range(2000))
        return means[len(means) // 20], means[-len(means) // 20 - 1]

    @property
    def of_sums(self) -> float:
        blocks = [b for b in self.subject if b in self.base]
        return sum(self.base[b] for b in blocks) / sum(self.subject[b] for b in blocks)

    def text(self, goal: float | None = None) -> str:
        lo, hi = self.interval()
        n = len(self.ratios)
        spread = f"90% interval {lo:.2f}-{hi:.2f}x" if n >= 5 else f"blocks {lo:.2f}-{hi:.2f}x"
        undecided = "; the interval spans the goal" if goal is not None and lo < goal <= hi else ""
        return (f"{self.estimate:.2f}x ({'trimmed mean' if n >= 5 else 'mean'} of {n} paired blocks, "
                f"{spread}, median {statistics.median(self.ratios):.2f}x, of sums "
                f"{self.of_sums:.2f}x{undecided}")  # fmt: skip


def trimmed_mean(values: list[float]) -> float:
    """The mean without the lowest and highest fifth."""
    v = sorted(values)
    cut = len(v) // 5
    return statistics.mean(v[cut : len(v) - cut])


class Raw:
    """CTranslate2 alone: encode, translate_batch, decode, on the translator the engine loaded
    (the same weights in the same memory: two loads of one model can differ in where their
    pages lie, which would be timed as a difference of code)."""

    def __init__(self, models: Path, translator: Any):
        import sentencepiece as spm

        root = models / "translate-en_ru"
        self.sp = spm.SentencePieceProcessor(model_file=str(root / "sentencepiece.model"))
        self.translator = translator
        self.batching = ("examples", 16)

    def __call__(self, texts: list[str], batching: tuple[str, int] | None = None) -> list[str]:
        batch_type, size = batching or self.batching
        tokens = [self.sp.encode(t, out_type=str) for t in texts]
        results = self.translator.translate_batch(tokens, beam_size=BEAM, num_hypotheses=NBEST,
                                                  max_batch_size=size, batch_type=batch_type,
                                                  return_scores=True)  # fmt: skip
        return [self.sp.decode_pieces(r.hypotheses[0]) for r in results]

    def tune(
        self, blocks: list[list[str]], grid: list[tuple[str, int]], clock: Clock
    ) -> list[tuple[float, tuple[str, int]]]:
        """Time every batching of `grid` on each block (interleaved); keep the fastest in total."""
        subjects = {f"{t}:{n}": clock.timed(partial(self, batching=(t, n))) for t, n in grid}
        times = interleave(subjects, blocks)
        ranked = sorted(
            (sum(v.values()), (k.split(":")[0], int(k.split(":")[1]))) for k, v in times.items()
        )
        self.batching = ranked[0][1]
        return ranked


def make_engine(models: Path, threads: int):
    from brochure.engines.argos import ArgosEngine
    from brochure.engines.config import EngineSettings

    settings = EngineSettings(beam_size=BEAM, num_hypotheses=NBEST, threads=threads)
    return ArgosEngine("en", "ru", settings, models)


def run_engine(engine, texts: list[str], best: dict[str, str] | None = None) -> None:
    from brochure.translate.fill import CHUNK

    for i in range(0, len(texts), CHUNK):
        results = engine.translate(texts[i : i + CHUNK])
        if best is not None:
            best.update((t, hyps[0].text) for t, hyps in zip(texts[i : i + CHUNK], results))


class Inside:
    """The engine's translator, timing what happens inside CTranslate2's translate_batch: a
    subject's time less this is its own work (tokenizing, N-best lists, the translate core),
    the part of a ratio to raw that is not CTranslate2's."""

    def __init__(self, translator: Any, clock: Clock):
        self.translator, self.clock = translator, clock
        self.seconds = 0.0

    def translate_batch(self, *args: Any, **kwargs: Any) -> Any:
        start = self.clock.start()
        try:
            return self.translator.translate_batch(*args, **kwargs)
        finally:
            self.seconds += self.clock.stop(start)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.translator, name)


class Core:
    """`brochure translate` on a fresh project of one block's sentences each run (no MT cache,
    nothing translated), with the engine already loaded (as every other subject's model is)."""

    def __init__(self, models: Path, work: Path, threads: int, engine, clock: Clock):
        self.models, self.work, self.threads = models, work, threads
        self.engine, self.clock = engine, clock
        self.runs = 0
        self.reached: list[int] = []

    def __call__(self, texts: list[str]) -> float:
        import brochure.translate.fill as core
        from brochure.core.project import load_project

        self.runs += 1
        root = self.work / f"project-{self.runs}"
        shutil.rmtree(root, ignore_errors=True)
        root.mkdir(parents=True)
        paragraphs = [" ".join(texts[i : i + 5]) for i in range(0, len(texts), 5)]
        (root / "text.md").write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
        (root / "brochure.toml").write_text(
            'title = "Bench"\nsource_language = "en"\ntarget_languages = ["ru"]\ndocuments = ["text.md"]\n'
            f'[mt]\nmodels_dir = "{self.models.as_posix()}"\nbeam_size = {BEAM}\nnum_hypotheses = {NBEST}\n'
            f"threads = {self.threads}\n",
            encoding="utf-8",
        )
        project = load_project(root)
        start = self.clock.start()
        report = core.translate_project(project, progress=False, engine=self.engine)
        elapsed = self.clock.stop(start)
        self.reached.append(report.langs[0].computed)
        assert report.langs[0].drafted == len(texts), report.langs[0].drafted
        shutil.rmtree(root, ignore_errors=True)
        return elapsed


ARGOS_CHILD = r"""
import json, sys, time
import argostranslate.sbd as sbd
# argos's default splitter (MiniSBD) downloads a model on first use: one sentence per call is
# what we give it anyway, so splitting is replaced by the identity (this only makes argos faster).
sbd.MiniSBDSentencizer.split_sentences = lambda self, text: [text]
import argostranslate.translate as tr
n = int(sys.argv[1])
translation = tr.get_translation_from_codes("en", "ru")
for line in sys.stdin:  # one block of sentences per line; the first is the warm-up
    texts = json.loads(line)
    start, cpu = time.perf_counter(), time.process_time()
    out = [translation.hypotheses(t, n) for t in texts]  # one call per sentence, n-best as ours
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(json.dumps({"wall": wall, "cpu": cpu, "best": [h[0].value for h in out]}), flush=True)
"""


class Argos:
    """argos-translate's per-sentence path in one child process for the whole shape: it loads its
    model and translates a warm-up block once, then times each block itself (a new process per
    block timed every block's first calls after loading: cold caches and first allocations,
    which only made argos slower). Its best translations are kept to compare with the engine's."""

    def __init__(self, models: Path, work: Path, threads: int, clock: Clock, warm: list[str]):
        self.clock = clock
        home = work / "home"
        home.mkdir(parents=True, exist_ok=True)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("ARGOS_", "XDG_"))}
        env.update(HOME=str(home), XDG_DATA_HOME=str(home / "data"), XDG_CONFIG_HOME=str(home / "config"),
                   XDG_CACHE_HOME=str(home / "cache"), ARGOS_PACKAGES_DIR=str(models),
                   ARGOS_INTRA_THREADS=str(threads), ARGOS_INTER_THREADS="1")  # fmt: skip
        self.log = open(work / "argos.log", "w+", encoding="utf-8")  # noqa: SIM115 (kept open)
        self.proc = subprocess.Popen([sys.executable, "-c", ARGOS_CHILD, str(NBEST)], env=env, text=True,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log)  # fmt: skip
        self.best: dict[str, str] = {}
        self.ask(warm)

    def ask(self, texts: list[str]) -> dict[str, Any]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps(texts, ensure_ascii=False) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            self.proc.kill()
            self.log.seek(0)
            raise SystemExit(f"argos run failed:\n{self.log.read()[-2000:]}")
        answer: dict[str, Any] = json.loads(line)
        self.best.update(zip(texts, answer["best"]))
        return answer

    def __call__(self, texts: list[str]) -> float:
        times = self.ask(texts)
        self.clock.walls.append(times["wall"])
        return float(times["cpu" if self.clock.cpu else "wall"])

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=60)
        self.log.close()


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
    t0 = time.perf_counter()
    models = build_model(work, shape)
    size = args.block
    texts = sentences(size * args.blocks)
    blocks = [texts[i : i + size] for i in range(0, len(texts), size)]
    warm = sentences(size, seed=11)  # warm-up input: other sentences, so nothing is cached
    engine = make_engine(models, threads)
    engine.translate(texts[:1])  # loads the model
    raw = Raw(models, engine.legs[0].translator)
    mean_tokens = sum(len(raw.sp.encode(t)) for t in texts) / len(texts)
    spec = SHAPES[shape]
    print(f"== shape {shape}: {spec.shape.layers}+{spec.shape.layers} layers, "
          f"{spec.shape.width + 64} wide, {spec.shape.heads} heads, feed-forward {spec.shape.ffn}, "
          f"vocabulary {max(raw.sp.get_piece_size(), spec.shape.vocabulary)} entries "
          f"({raw.sp.get_piece_size()} SentencePiece pieces), {spec.quantization or 'float32'}, "
          f"built in {time.perf_counter() - t0:.1f} s; {len(blocks)} blocks of {size} sentences of "
          f"{mean_tokens:.0f} tokens on average; {threads} thread(s)")  # fmt: skip
    chosen = engine.legs[0].batching()  # what the engine derived for this model's weights
    grid = GRID + ([chosen] if chosen not in GRID else [])
    clock = Clock(threads)
    # the translator's buffers are allocated once (about 30,000 page faults), before any timing
    raw(warm)
    tune = blocks[: args.tune_blocks]  # timed sentences: what raw is then timed on
    ranked = raw.tune(tune, grid, clock)
    print(f"raw CTranslate2 batching search on {len(tune)} blocks of {size} sentences, interleaved "
          "(s in total): " + ", ".join(f"{t}={n}: {secs:.2f}" for secs, (t, n) in ranked))  # fmt: skip
    print(f"raw uses the best: {raw.batching[0]}={raw.batching[1]}; the engine derived: "
          f"{chosen[0]}={chosen[1]}, threads={threads}; both on the one loaded translator")  # fmt: skip
    expected = texts[0].replace("workers", "рабочие")
    assert raw(texts[:1])[0] == expected and engine.translate(texts[:1])[0][0].text == expected
    clocks = {k: Clock(threads) for k in ("raw", "engine", "translate", "argos")}
    # the engine's (and so the translate core's) calls of translate_batch timed apart
    inside = Inside(engine.legs[0].translator, Clock(threads))
    engine.legs[0]._translator = inside
    own: dict[str, list[tuple[float, float]]] = {"engine": [], "translate": []}

    def split(name: str, fn: Callable[[list[str]], float]) -> Callable[[list[str]], float]:
        def subject(block: list[str]) -> float:
            before = inside.seconds
            seconds = fn(block)
            own[name].append((seconds, inside.seconds - before))
            return seconds

        return subject

    core = Core(models, work / shape, threads, engine, clocks["translate"])
    best: dict[str, dict[str, str]] = {"engine": {}}
    subjects: dict[str, Callable[[list[str]], float]] = {
        "raw": clocks["raw"].timed(raw),
        "engine": split(
            "engine", clocks["engine"].timed(partial(run_engine, engine, best=best["engine"]))
        ),
        "translate": split("translate", core),
    }
    # warm-ups outside the timing: the shared translator had a whole block (raw's, above); the
    # engine's code and the translate core's first project (the glossary, pymorphy3's dictionary:
    # loaded once per process, as the model is) a few sentences; argos's child process loads its
    # model and translates the warm-up block before it times any
    run_engine(engine, warm[:4])
    Core(models, work / shape / "warm", threads, engine, Clock(threads))(warm[:4])
    on = {}
    if args.argos_blocks:
        argos = Argos(models, work / shape, threads, clocks["argos"], warm[:8])
        subjects["argos"] = argos

        def more_argos(b: int, out: dict[str, dict[int, float]]) -> bool:
            """argos on the first --argos-blocks blocks, then on the next only while a goal row's
            interval (min-max of its blocks' ratios under 5 blocks) spans 3x."""
            if b < args.argos_blocks or b >= args.argos_max:
                return b < args.argos_blocks
            spans = [Paired(out[k], out["argos"]).interval() for k in ("engine", "translate")]
            return any(lo < 3.0 <= hi for lo, hi in spans)

        on["argos"] = more_argos
    timings = interleave(subjects, blocks, on)
    print(f"  timed in {clock.name}, subjects interleaved block by block; load average "
          f"{os.getloadavg()[0]:.1f}")  # fmt: skip
    for k, t in timings.items():
        n = size * len(t)
        reached = sum(core.reached) if k == "translate" else n
        print(f"  {k:<10} {sum(t.values()):.2f} s for {len(t)} blocks ({n / sum(t.values()):.2f} "
              f"segments/s; blocks {', '.join(f'{s:.2f}' for s in t.values())} s); {reached} "
              f"segments reached the engine; wall {sum(clocks[k].walls[-len(t):]):.1f} s")  # fmt: skip
    assert core.reached == [size] * len(blocks), core.reached
    for k, parts in own.items():
        total, ct2 = sum(t for t, _ in parts), sum(i for _, i in parts)
        print(f"  {k:<10} inside CTranslate2's translate_batch {ct2:.2f} s, its own work "
              f"{total - ct2:.2f} s ({(total - ct2) / total:.1%} of its time)")  # fmt: skip
    if "argos" in timings:  # the same translations, or the comparison is void
        argos.close()
        differ = [
            t for t, b in argos.best.items() if t in best["engine"] and best["engine"][t] != b
        ]
        compared = sum(1 for t in argos.best if t in best["engine"])
        print(f"  best translations: engine and argos identical for {compared - len(differ)} of "
              f"{compared} sentences" + (f"; first that differs: {differ[0]!r}" if differ else ""))  # fmt: skip
        assert compared == size * len(timings["argos"]) and not differ, differ[:3]
    if "argos" in timings:  # the most any batching can gain over argos on this model
        row(f"MT {shape}: raw CTranslate2 (best batching) / argos per sentence", "",
            Paired(timings["raw"], timings["argos"]).text() + "; the ceiling for the engine)",
            None)  # fmt: skip
    for k in ("engine", "translate"):
        for base, goal, name in (("raw", 0.95, "raw CTranslate2 (best batching)"),
                                 ("argos", 3.0, "argos per sentence")):  # fmt: skip
            if base not in timings:
                continue
            r = Paired(timings[k], timings[base])
            n = size * len(r.ratios)
            measured = f"{r.text(goal)}; {n} segments each, {clock.name})"
            estimate, decided = r.estimate, base == "raw" and raw.batching == chosen
            if decided:
                # the subject's calls of translate_batch were raw's calls (the same batching, the
                # same options, on the same translator): the subject over raw is its time in them
                # over its whole time, read off every block, not a difference of two noisy times
                total, ct2 = sum(t for t, _ in own[k]), sum(i for _, i in own[k])
                estimate = ct2 / total
                measured = (f"{estimate:.3f}x by construction: its batching is raw's best, so the "
                            f"ratio is its time inside translate_batch over its time, {ct2:.2f} of "
                            f"{total:.2f} s (raw's SentencePiece not counted: only lowers it); "
                            f"paired blocks: {measured}")  # fmt: skip
            lo, hi = r.interval()
            if decided or not lo < goal <= hi:
                row(f"MT {shape}: {k} / {name}", f">= {goal:g}x", measured, estimate >= goal)
            else:  # a rerun may land on either side: say so instead of tossing a coin
                print(f"BENCH\tMT {shape}: {k} / {name}\t>= {goal:g}x\t{measured}\tundecided")


def bench_memory(work: Path, args: argparse.Namespace, threads: int) -> None:
    """RSS of one engine translating many sentences in core-sized chunks (a leak would grow it)."""
    models = build_model(work, args.memory_shape)
    proc = subprocess.run([sys.executable, __file__, "--memory-child", str(models), str(args.memory),
                           str(threads)], capture_output=True, text=True, check=True)  # fmt: skip
    mem = json.loads(proc.stdout.strip().splitlines()[-1])
    samples = mem["samples"]
    print(f"memory over {args.memory} sentences, shape {args.memory_shape} (RSS MB after n sentences): "
          + ", ".join(f"{n}: {mb}" for n, mb in samples))  # fmt: skip
    growth = samples[-1][1] - samples[0][1]
    row(f"MT memory growth over {args.memory} sentences", "< 10 MB", f"{growth:+.1f} MB "
        f"(peak {mem['peak']:.0f} MB)", growth < 10)  # fmt: skip


def main() -> None:
    from brochure.engines.ct2 import available_threads

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "--block",
        type=int,
        default=32,
        help="sentences per block: what `brochure translate` hands the engine at once",
    )
    ap.add_argument("--blocks", type=int, default=16, help="blocks (each timed once per subject)")
    ap.add_argument(
        "--tune-blocks", type=int, default=4, help="blocks for raw CTranslate2's batching search"
    )
    ap.add_argument(
        "--argos-blocks",
        type=int,
        default=2,
        help="blocks argos is timed on at least (the slowest subject; 0: skip argos)",
    )
    ap.add_argument(
        "--argos-max",
        type=int,
        default=8,
        help="blocks argos is timed on at most (more while a ratio to it is undecided)",
    )
    ap.add_argument("--threads", type=int, default=0, help="0: what the engine would choose")
    ap.add_argument("--shape", action="append", choices=list(SHAPES),
                    help=f"default: {' and '.join(DEFAULT_SHAPES)}")  # fmt: skip
    ap.add_argument(
        "--memory", type=int, default=2000, help="sentences for the memory run (0: skip)"
    )
    ap.add_argument("--memory-shape", default="copy-int8-2000", choices=list(SHAPES))
    ap.add_argument("--memory-child", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.memory_child:
        memory_child(args.memory_child[0], int(args.memory_child[1]), int(args.memory_child[2]))
        return
    threads = args.threads or available_threads()
    with tempfile.TemporaryDirectory(prefix="bench-translate-") as tmp:
        for shape in args.shape or DEFAULT_SHAPES:
            bench_shape(shape, Path(tmp), args, threads)
        if args.memory:
            bench_memory(Path(tmp), args, threads)


if __name__ == "__main__":
    main()

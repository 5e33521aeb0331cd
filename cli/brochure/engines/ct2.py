"""Engine `ct2`: any CTranslate2 model folder with its SentencePiece model and language tokens.

This is how Kazakh gets machine-translated offline (there is no argos package for it): NLLB-200
converted to CTranslate2 wants `eng_Latn <pieces> </s>` as source and `kaz_Cyrl` as forced target
prefix; OPUS-MT (Marian) models want `<pieces> </s>` and may have separate source and target
SentencePiece models (source.spm, target.spm).

CTranslateModel is the shared core of both engines: tokenize our segments, call translate_batch on
large batches, decode the N-best lists without argos's bugs (an underscore stays an underscore; the
target prefix is stripped as a token, not as a string).
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from brochure.core.errors import ModelNotInstalled, ModelPackageError
from brochure.engines import Hypothesis
from brochure.engines.config import EngineSettings

EOS = "</s>"
# Batches by tokens, not sentences: a batch of 64 long sentences x 4 beams allocates attention
# buffers large enough that each decoding step maps and unmaps fresh memory (millions of page
# faults); a bound on tokens keeps every batch's buffers the same modest size. Measured on copy
# models of two shapes (float32 vocab 400, int8 vocab 900; bench/bench_translate.py): 256-1024
# tokens per batch ran 1.2-2x faster than 16-64 sentences at one thread, and more threads want
# proportionally larger batches to share.
# How large depends on the weights (Transformer-base shapes, beam 4, 32-64 sentences):
# float32 weights (4 bytes each, read once per decoding step and batch) want larger batches to
# share that reading: at one thread (CPU time) 1024 tokens ran 6% faster than 512 (8k
# vocabulary); at two (wall time, 12 blocks of 32 sentences in rotating order) 2048 ran 3-9%
# faster than 1024 and than 4096. Int8 weights are a quarter of that, and at one thread the
# per-row work (softmax and top-k over the vocabulary, the attention cache) dominates sooner:
# 512 ran 5-13% faster than 1024 and 2048 (32k vocabulary, two runs); at two threads each step's
# work is split between them and the batch must give both enough rows: 2048 ran 2-5% faster than
# 1024 (12 blocks; the benchmark's own search agreed), so int8 wants 1024 a thread from two on.
TOKENS_PER_THREAD = {"float32": 1024, "int8": 1024}
TOKENS_ONE_THREAD = {"float32": 1024, "int8": 512}
# Tokenizer file names, in the order they are looked for beside model.bin.
SENTENCEPIECE_NAMES = ("sentencepiece.model", "sentencepiece.bpe.model", "spm.model", "source.spm")


class SentencePieceTokenizer:
    def __init__(self, path: Path):
        import sentencepiece as spm

        self.path = path
        self.sp = spm.SentencePieceProcessor(model_file=str(path))

    def encode(self, text: str) -> list[str]:
        return self.sp.encode(text, out_type=str)

    def decode(self, tokens: list[str]) -> str:
        # decode_pieces turns "▁" into spaces and byte pieces into characters; it leaves "_" alone.
        return self.sp.decode_pieces(tokens)


class BPETokenizer:
    """argos's older packages: Moses tokenization + subword-nmt BPE codes (bpe.model)."""

    def __init__(self, path: Path, src: str, tgt: str):
        # subword-nmt's apply_bpe: the module argos's own apply_bpe copies (no argostranslate import)
        from sacremoses import MosesDetokenizer, MosesPunctNormalizer, MosesTokenizer
        from subword_nmt.apply_bpe import BPE

        self.path = path
        with open(path, encoding="utf-8") as f:
            self.bpe = BPE(f)
        self.tokenizer = MosesTokenizer(src)
        self.normalizer = MosesPunctNormalizer(src)
        self.detokenizer = MosesDetokenizer(tgt)

    def encode(self, text: str) -> list[str]:
        words = self.tokenizer.tokenize(self.normalizer.normalize(text), escape=False)
        return self.bpe.segment_tokens(words)

    def decode(self, tokens: list[str]) -> str:
        return self.detokenizer.detokenize(" ".join(tokens).replace("@@ ", "").split())


def available_threads() -> int:
    """CPU threads worth asking for: the cores this process may run on (its affinity, which a
    container or `taskset` narrows), less those other processes keep busy.

    Asking CTranslate2 for more threads than there are idle cores makes them wait on each other:
    on a 2-core machine with a load of 8, two threads ran 2-3x slower than one. Others' load is
    the 1-minute load average less this process's own part of it (`own_load`), but no more than
    the processes running now: the average lags by a minute, so a command run right after a long
    one (`brochure build` after `brochure translate`; the benchmark's MT after its layout runs)
    would count the finished process's load and leave itself one core of an idle machine.
    """
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        cores = os.cpu_count() or 1
    try:
        load = os.getloadavg()[0]
    except OSError:
        load = 0.0
    busy = min(int(max(0.0, load - own_load(cores))), running_others())
    return max(1, min(cores, cores - busy))


def running_others(samples: int = 5, pause: float = 0.005) -> int:
    """The most other threads found running (or waiting for a core) at a few instants 5 ms apart:
    /proc/loadavg's fourth field, less this one thread. Several looks, so that a process busy half
    the time is seen; the maximum, so that it counts (the load average bounds it from above)."""
    most = 0
    for i in range(samples):
        try:
            with open("/proc/loadavg", encoding="ascii") as f:
                running = int(f.read().split()[3].split("/")[0])
        except (OSError, ValueError, IndexError):  # no /proc (not Linux): the load average alone
            return 1 << 16
        most = max(most, running - 1)
        if i + 1 < samples:
            time.sleep(pause)
    return most


def own_load(cores: int) -> float:
    """This process's own part of the 1-minute load average, estimated from its CPU time and age.

    A process that has kept a core busy (a long `brochure build`, a benchmark, a workbench that
    drafted all afternoon) is itself in the load average when it loads a model: counted as another
    process's load, it would leave itself one thread on an otherwise idle 2-core machine (the
    benchmark's own run did: its MT ran on 1 thread; on 2, the same blocks took 1.2-1.3x less
    time). The kernel's average moves toward the running count with a time constant of 60 s, so
    a process that has run `busy` threads on average for `age` seconds adds about
    busy x (1 - e^(-age/60)).
    """
    try:
        with open("/proc/self/stat", encoding="ascii") as f:
            after_name = f.read().rsplit(")", 1)[1].split()
        with open("/proc/uptime", encoding="ascii") as f:
            uptime = float(f.read().split()[0])
        # field 22 of proc(5), counted from field 3 (the first after the command's name)
        age = uptime - int(after_name[19]) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):  # no /proc (not Linux): count no load of our own
        return 0.0
    return load_share(time.process_time(), age, cores)


def load_share(cpu_seconds: float, age: float, cores: int) -> float:
    """The part of the 1-minute load average of a process that used `cpu_seconds` in `age` s."""
    if age <= 0:
        return 0.0
    busy = min(float(cores), cpu_seconds / age)
    return busy * (1 - math.exp(-age / 60))


def tokens_per_batch(compute_type: str, threads: int) -> int:
    """The tokens per batch that ran fastest for weights of `compute_type` on `threads` threads
    (measured: see TOKENS_PER_THREAD)."""
    weights = "int8" if compute_type.startswith("int8") else "float32"
    if threads <= 1:
        return TOKENS_ONE_THREAD[weights]
    return TOKENS_PER_THREAD[weights] * threads


@dataclass(frozen=True)
class Decoding:
    """CTranslate2's decoding options; the defaults are EngineSettings' (the one place)."""

    beam_size: int = EngineSettings.beam_size
    num_hypotheses: int = EngineSettings.num_hypotheses
    batch_size: int = EngineSettings.batch_size  # 0: batches of tokens (tokens_per_batch)
    threads: int = EngineSettings.threads  # 0: available_threads() when the model is loaded
    device: str = EngineSettings.device
    compute_type: str = EngineSettings.compute_type

    @classmethod
    def from_settings(cls, s: EngineSettings) -> Decoding:
        """The decoding options brochure.toml's [mt] table asks for."""
        return cls(s.beam_size, s.num_hypotheses, s.batch_size, s.threads, s.device, s.compute_type)

    def resolved(self) -> Decoding:
        """These settings with 0 ("choose for me") replaced by what this machine calls for."""
        threads = self.threads or available_threads()
        return replace(self, threads=threads)

    def batching(self, compute_type: str = "float32") -> tuple[str, int]:
        """(batch_type, max_batch_size) for translate_batch, for weights of `compute_type`
        (the loaded translator's: "int8_float32", "float32", ...)."""
        if self.batch_size:
            return "examples", self.batch_size
        return "tokens", tokens_per_batch(compute_type, self.threads or available_threads())

    def tag(self) -> str:
        """The options in a translation's signature: beam4-n4."""
        return f"beam{max(self.beam_size, self.num_hypotheses)}-n{self.num_hypotheses}"


class CTranslateModel:
    """A CTranslate2 translator with its tokenizers, loaded on first use."""

    def __init__(
        self, model_dir: Path, source_tokenizer: Any, target_tokenizer: Any | None = None, *,
        source_token: str = "", target_prefix: str = "", decoding: Decoding = Decoding(),
    ):  # fmt: skip
        self.model_dir = model_dir
        self.source_tokenizer = source_tokenizer
        self.target_tokenizer = target_tokenizer or source_tokenizer
        self.source_token = source_token
        self.prefix = [target_prefix] if target_prefix else []
        self.decoding = decoding.resolved()
        config = _read_config(model_dir)
        # NLLB and Marian conversions leave </s> to the caller; argos packages let the model add it.
        self.add_eos = not config.get("add_source_eos", False)
        self._translator: Any = None
        self._vocab: set[str] | None = None

    @property
    def translator(self) -> Any:
        """The CTranslate2 translator, loaded on first use (it takes memory and time)."""
        if self._translator is None:
            import ctranslate2

            kwargs: dict[str, Any] = {"device": self.decoding.device, "inter_threads": 1,
                                      "intra_threads": self.decoding.threads}  # fmt: skip
            if self.decoding.compute_type != "default":
                kwargs["compute_type"] = self.decoding.compute_type
            try:
                self._translator = ctranslate2.Translator(str(self.model_dir), **kwargs)
            except (RuntimeError, ValueError) as exc:
                raise ModelPackageError(
                    f"{self.model_dir}: cannot load the CTranslate2 model ({exc})"
                ) from None
        return self._translator

    def check_tokens(self, where: str) -> None:
        """A language token the vocabulary lacks means the model is for another language pair."""
        vocab = _vocabulary(self.model_dir)
        if vocab is None:
            return
        for key, token in (
            ("source_token", self.source_token),
            ("target_prefix", (self.prefix or [""])[0]),
        ):
            if token and token not in vocab:
                raise ModelNotInstalled(
                    f"{where}.{key}: {token!r} is not in the vocabulary of {self.model_dir}: "
                    "this model does not translate this language pair; check the token or the model"
                )

    def has_unknown(self, tokens: list[str]) -> bool:
        """Does the model's vocabulary lack one of these source tokens (so it reads <unk>)?

        SentencePiece models with byte fallback never produce one; replace_unknowns (which makes
        CTranslate2 compute attention for every step: 20-23% of the time) is asked for only for
        the texts that need it.
        """
        if self._vocab is None:
            self._vocab = _vocabulary(self.model_dir, source=True) or set()
        vocab = self._vocab
        return bool(vocab) and any(t not in vocab or t == "<unk>" for t in tokens)

    def encode(self, text: str) -> list[str]:
        tokens = self.source_tokenizer.encode(text)
        if self.source_token:
            tokens = [self.source_token, *tokens]
        if self.add_eos:
            tokens.append(EOS)
        return tokens

    def decode(self, tokens: list[str]) -> str:
        if self.prefix and tokens[: len(self.prefix)] == self.prefix:
            tokens = tokens[len(self.prefix) :]
        if tokens and tokens[-1] == EOS:
            tokens = tokens[:-1]
        return self.target_tokenizer.decode(tokens).strip()

    def translate(
        self, texts: Sequence[str], num_hypotheses: int | None = None
    ) -> list[list[Hypothesis]]:
        """N-best lists for `texts`, in one translate_batch call (CTranslate2 sorts and batches)."""
        n = num_hypotheses or self.decoding.num_hypotheses
        out: list[list[Hypothesis]] = [[Hypothesis("", 0.0)] for _ in texts]
        index = [i for i, t in enumerate(texts) if t.strip()]
        if not index:
            return out
        source = [self.encode(texts[i]) for i in index]
        unknown = [self.has_unknown(tokens) for tokens in source]
        results: list[Any] = [None] * len(source)
        for replace_unknowns in (False, True):
            part = [k for k, u in enumerate(unknown) if u == replace_unknowns]
            if part:
                done = self._translate_batch([source[k] for k in part], n, replace_unknowns)
                for k, result in zip(part, done):
                    results[k] = result
        for i, result in zip(index, results):
            out[i] = [
                Hypothesis(self.decode(h), float(s))
                for h, s in zip(result.hypotheses, result.scores)
            ]
        return out

    def batching(self) -> tuple[str, int]:
        """The batching translate_batch gets: the settings' for this model's weights."""
        return self.decoding.batching(self.translator.compute_type)

    def _translate_batch(
        self, source: list[list[str]], n: int, replace_unknowns: bool
    ) -> list[Any]:
        batch_type, batch_size = self.batching()
        longest = max(map(len, source))
        return self.translator.translate_batch(
            source,
            target_prefix=[self.prefix] * len(source) if self.prefix else None,
            beam_size=max(self.decoding.beam_size, n),
            num_hypotheses=n,
            max_batch_size=max(batch_size, longest) if batch_type == "tokens" else batch_size,
            batch_type=batch_type,
            return_scores=True,
            replace_unknowns=replace_unknowns,
            max_decoding_length=max(256, 2 * longest + 10),
        )


def _read_config(model_dir: Path) -> dict[str, Any]:
    try:
        return json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _vocabulary(model_dir: Path, source: bool = False) -> set[str] | None:
    side = "source" if source else "target"
    for name in ("shared_vocabulary.json", f"{side}_vocabulary.json", "shared_vocabulary.txt",
                 f"{side}_vocabulary.txt"):  # fmt: skip
        path = model_dir / name
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            return set(json.loads(text)) if name.endswith(".json") else set(text.splitlines())
    return None


def content_version(model_dir: Path, *files: Path) -> str:
    """A short hash standing for the model's version: config, tokenizers and model.bin's size.

    Hashing the whole model.bin would take seconds for a real model; a different model is all but
    certain to differ in its config, its vocabulary or its size.
    """
    h = hashlib.sha256()
    for path in (model_dir / "config.json", *files):
        if path.is_file():
            h.update(path.read_bytes())
    h.update(str((model_dir / "model.bin").stat().st_size).encode())
    return h.hexdigest()[:12]


class CT2Engine:
    """A CTranslate2 model folder configured under [mt.engines.LANG] in brochure.toml."""

    name = "ct2"

    def __init__(
        self, src: str, tgt: str, settings: EngineSettings, models_dir: Path | None = None
    ):
        self.src, self.tgt = src, tgt
        key = settings.key
        model_dir = settings.path(settings.model)
        if model_dir is None:
            raise ModelNotInstalled(
                f"{key}.model: no CTranslate2 model configured for {src}->{tgt}; set "
                f'[mt.engines.{tgt}] engine = "ct2" and model = "path/to/folder" in brochure.toml'
            )
        if not (model_dir / "model.bin").is_file():
            raise ModelNotInstalled(
                f"{key}.model: {model_dir} holds no CTranslate2 model (model.bin); convert one with "
                "ct2-transformers-converter, put its SentencePiece model beside it, and point `model` at the folder"
            )
        source_sp = settings.path(settings.tokenizer) or _find_tokenizer(model_dir, key)
        target_sp = settings.path(settings.target_tokenizer)
        if (
            target_sp is None
            and source_sp.name == "source.spm"
            and (model_dir / "target.spm").is_file()
        ):
            target_sp = model_dir / "target.spm"
        for path, k in ((source_sp, "tokenizer"), (target_sp, "target_tokenizer")):
            if path is not None and not path.is_file():
                raise ModelNotInstalled(f"{key}.{k}: no such SentencePiece model: {path}")
        self.runner = CTranslateModel(
            model_dir, SentencePieceTokenizer(source_sp),
            SentencePieceTokenizer(target_sp) if target_sp else None,
            source_token=settings.source_token, target_prefix=settings.target_prefix,
            decoding=Decoding.from_settings(settings),
        )  # fmt: skip
        self.runner.check_tokens(key)
        self.model = model_dir.name
        self.version = content_version(model_dir, source_sp, *([target_sp] if target_sp else []))
        self._options = (settings.source_token, settings.target_prefix)

    def translate(self, texts: Sequence[str]) -> list[list[Hypothesis]]:
        return self.runner.translate(texts)

    def signature(self) -> str:
        tokens = "+".join(t for t in self._options if t)
        return f"{self.name}/{self.model}/{self.version}/{self.runner.decoding.tag()}" + (
            f"/{tokens}" if tokens else ""
        )


def _find_tokenizer(model_dir: Path, key: str) -> Path:
    for name in SENTENCEPIECE_NAMES:
        if (model_dir / name).is_file():
            return model_dir / name
    raise ModelNotInstalled(
        f"{key}.tokenizer: no SentencePiece model in {model_dir} (looked for {', '.join(SENTENCEPIECE_NAMES)}); "
        'copy it beside model.bin or set `tokenizer = "path/to/sentencepiece.model"`'
    )

"""brochure.toml's [mt] table: which engine and model translate into each target language.

    [mt]
    engine = "argos"            # default engine for every target language ("none": no MT)
    models_dir = "models"       # optional: where argos packages live (default: per-user folder)
    beam_size = 4               # decoding options, also settable per language below
    num_hypotheses = 4          # N-best list size: the glossary chooses among them
    batch_size = 0              # sentences per CTranslate2 batch (0: batches of tokens, sized
                                #   for the model's weights and the threads; see engines/ct2.py)
    threads = 0                 # CPU threads (0: the cores this process may use, less the busy ones)

    [mt.engines.kk]             # per target language
    engine = "ct2"              # any CTranslate2 model folder
    model = "models/nllb-200-distilled-600M-ct2"   # model.bin, config.json, SentencePiece model
    source_token = "eng_Latn"   # prepended to every source (NLLB style)
    target_prefix = "kaz_Cyrl"  # forced first target token, stripped from the output

Validated once, at project load (every problem reported with its key); the result is a frozen
MTSettings in Project.sections["mt"]. Relative paths are resolved against the project folder
when an engine is created.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from brochure.core import languages
from brochure.core.errors import BrochureError
from brochure.engines.registry import NEEDS_MODEL, engine_names

if TYPE_CHECKING:
    from brochure.core.project import Project

_INT_KEYS = {
    "beam_size": (1, 64),
    "num_hypotheses": (1, 16),
    "batch_size": (0, 4096),
    "threads": (0, 256),
}
_STR_KEYS = ("source_token", "target_prefix", "compute_type", "device")
_PATH_KEYS = ("model", "tokenizer", "target_tokenizer")
_ENGINE_KEYS = {"engine", "pivot", *_INT_KEYS, *_STR_KEYS, *_PATH_KEYS}
_TOP_KEYS = {"engines", "models_dir", *_ENGINE_KEYS}
_NO_MODEL = 'missing: engine "ct2" needs model = "path/to/folder" (model.bin + SentencePiece model)'


@dataclass(frozen=True)
class EngineSettings:
    """How one target language is machine-translated."""

    engine: str = "argos"
    model: Path | None = None  # ct2: the model folder
    tokenizer: Path | None = None  # ct2: SentencePiece model (default: found in the model folder)
    target_tokenizer: Path | None = None  # ct2: for models with separate vocabularies (Marian)
    source_token: str = ""
    target_prefix: str = ""
    pivot: str | None = None  # argos: intermediate language when no direct package exists
    beam_size: int = 4
    num_hypotheses: int = 4
    batch_size: int = 0  # 0: batches by tokens (engines/ct2.py: tokens_per_batch)
    threads: int = 0  # 0: available_threads()
    device: str = "cpu"
    compute_type: str = "default"
    root: Path | None = None  # project folder, for relative paths
    key: str = "mt"  # where in brochure.toml these settings come from (for messages)

    def path(self, p: Path | None) -> Path | None:
        """A path from brochure.toml, relative to the project folder unless absolute."""
        if p is None:
            return None
        p = p.expanduser()
        return p if p.is_absolute() or self.root is None else self.root / p


@dataclass(frozen=True)
class MTSettings:
    default: EngineSettings = field(default_factory=EngineSettings)
    targets: Mapping[str, EngineSettings] = field(default_factory=lambda: MappingProxyType({}))
    models_dir: Path | None = None  # relative to the project folder until resolved

    def for_target(self, lang: str) -> EngineSettings:
        """The settings for translating into `lang`: its own table, else the [mt] defaults."""
        return self.targets.get(lang, self.default)


def validate_mt(
    table: dict[str, Any], langs: tuple[str, ...], problem: Callable[[str, str], None]
) -> MTSettings:
    """Check the raw [mt] table; report each problem with its key; return MTSettings."""
    for key in table:
        if key not in _TOP_KEYS:
            problem(key, f"unknown key (known: {', '.join(sorted(_TOP_KEYS))})")
    default = _engine_settings(table, EngineSettings(), "", langs, problem)
    targets: dict[str, EngineSettings] = {}
    engines = table.get("engines", {})
    if not isinstance(engines, dict):
        problem("engines", "must be a table of language code = settings ([mt.engines.kk])")
        engines = {}
    for lang, sub in engines.items():
        key = f"engines.{lang}"
        if not languages.is_known(lang):
            problem(key, f"unknown language code {lang!r} (known: {languages.known_codes()})")
            continue
        if langs and lang == langs[0]:
            problem(key, f"{lang!r} is the source language; settings go under a target language")
            continue
        if not isinstance(sub, dict):
            problem(key, "must be a table")
            continue
        for k in sub:
            if k not in _ENGINE_KEYS:
                problem(f"{key}.{k}", f"unknown key (known: {', '.join(sorted(_ENGINE_KEYS))})")
        targets[lang] = _engine_settings(sub, default, f"{key}.", langs, problem)
    models = table.get("models_dir")
    if models is not None and (not isinstance(models, str) or not models):
        problem("models_dir", "must be a folder path")
        models = None
    uncovered = [lang for lang in langs[1:] if lang not in targets]
    if default.engine in NEEDS_MODEL and default.model is None and uncovered:
        problem("model", _NO_MODEL)
    return MTSettings(default=default, targets=MappingProxyType(targets),
                      models_dir=Path(models) if models else None)  # fmt: skip


def _engine_settings(
    raw: dict[str, Any], base: EngineSettings, prefix: str, langs: tuple[str, ...],
    problem: Callable[[str, str], None],
) -> EngineSettings:  # fmt: skip
    values: dict[str, Any] = {"key": f"mt.{prefix}".rstrip(".")}
    engine = raw.get("engine")
    if engine is not None:
        names = engine_names(with_none=True)
        if engine not in names:
            problem(f"{prefix}engine", f"unknown engine {engine!r} (one of: {', '.join(names)})")
        else:
            values["engine"] = engine
            if prefix and engine != base.engine:  # another engine: the default's model is not its
                values.update(
                    model=None,
                    tokenizer=None,
                    target_tokenizer=None,
                    source_token="",
                    target_prefix="",
                )
    for key, (lo, hi) in _INT_KEYS.items():
        if key in raw:
            v = raw[key]
            if not isinstance(v, int) or isinstance(v, bool) or not lo <= v <= hi:
                problem(f"{prefix}{key}", f"must be a whole number from {lo} to {hi}")
            else:
                values[key] = v
    for key in _STR_KEYS:
        if key in raw:
            if not isinstance(raw[key], str):
                problem(f"{prefix}{key}", "must be a string")
            else:
                values[key] = raw[key]
    for key in _PATH_KEYS:
        if key in raw:
            if not isinstance(raw[key], str) or not raw[key]:
                problem(f"{prefix}{key}", "must be a path")
            else:
                values[key] = Path(raw[key])
    if "pivot" in raw:
        pivot = raw["pivot"]
        if not isinstance(pivot, str) or not re.match(r"^[a-z]{2,3}$", pivot):
            problem(f"{prefix}pivot", "must be a language code")
        else:
            values["pivot"] = pivot
    settings = replace(base, **values)
    if prefix and settings.engine in NEEDS_MODEL and settings.model is None:
        problem(f"{prefix}model", _NO_MODEL)
    return settings


def settings_for(project: Project, tgt: str, engine: str | None = None) -> EngineSettings:
    """The resolved settings for translating into `tgt`; `engine` (from --engine) overrides."""
    mt: MTSettings = project.sections.get("mt") or MTSettings()
    settings = replace(mt.for_target(tgt), root=project.root)
    if engine is not None and engine != settings.engine:
        if engine not in engine_names():
            raise BrochureError(
                f"--engine: unknown engine {engine!r} (one of: {', '.join(engine_names())})"
            )
        configured = [lang for lang, s in mt.targets.items() if s.engine == engine and s.model]
        if engine in NEEDS_MODEL and settings.model is None:
            raise BrochureError(
                f"--engine {engine}: no model folder configured for {tgt}; set it in {project.path} "
                f'under [mt.engines.{tgt}] (engine = "{engine}", model = "path/to/model")'
                + (f" (configured for: {', '.join(configured)})" if configured else "")
            )
        settings = replace(settings, engine=engine)
    return settings


def mt_configured(project: Project) -> bool:
    """True when brochure.toml has an [mt] table: `build` and `translate` then fill missing units
    (translation memory first, then the engine of each target, unless it is "none")."""
    return project.sections.get("mt") is not None

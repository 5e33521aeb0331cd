"""Machine-translation engines: a registry of names, each a class with one main method.

    engine = create_engine(project, "en", "kk")        # from brochure.toml's [mt] table
    engine.translate(["One sentence.", ...])           # -> one N-best list per text, best first
    engine.signature()                                 # "argos/translate-en_ru/1.9/beam4-n4"

An engine translates our own segments (never its own sentence splitting) and opens no network
connection. Engines are imported on first use (sacrebleu's "module:Class" pattern), so
`brochure --help` never loads CTranslate2 or SentencePiece. A test engine is a class with
`name`, `model`, `version`, `translate()` and `signature()`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from brochure.engines.registry import ENGINES, engine_class, register

if TYPE_CHECKING:
    from brochure.core.project import Project

__all__ = ["ENGINES", "Engine", "Hypothesis", "create_engine", "engine_class", "register"]


@dataclass(frozen=True)
class Hypothesis:
    """One candidate translation and its model score (log-probability: higher is better)."""

    text: str
    score: float


class Engine(Protocol):
    name: str  # registry name: "argos", "ct2"
    model: str  # which model (package or folder name; pivots joined with "+")
    version: str  # the model's version (package_version, or a content hash)

    def translate(self, texts: Sequence[str]) -> list[list[Hypothesis]]:
        """One N-best list per text, best first; an empty text gets [Hypothesis("", 0.0)]."""
        ...

    def signature(self) -> str:
        """What produced a translation: engine, model, version and decoding options."""
        ...


def create_engine(project: Project, src: str, tgt: str, name: str | None = None) -> Engine:
    """The engine brochure.toml configures for src->tgt (or `name`, as --engine asks)."""
    from brochure.engines.config import settings_for
    from brochure.engines.packages import models_dir

    settings = settings_for(project, tgt, name)
    return engine_class(settings.engine)(src, tgt, settings, models_dir=models_dir(project))

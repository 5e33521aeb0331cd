"""The MT engines brochure knows, in one place: name -> "module:Class", imported on first use.

Adding an engine: a module with a class that has `name`, `model`, `version`, `translate()` and
`signature()` (see brochure.engines.Engine), then one `register()` line below. Its settings come
from brochure.toml's [mt] table (engines/config.py); the decoding defaults are EngineSettings'.
"""

from __future__ import annotations

import importlib

from brochure.core.errors import BrochureError

NONE = "none"  # [mt] engine = "none": no machine translation for that language
ENGINES: dict[str, str] = {}
# Engines that cannot run without `model = "path/to/folder"` in [mt] (no package to find).
NEEDS_MODEL: set[str] = set()


def register(name: str, target: str, *, needs_model: bool = False) -> None:
    """Make engine `name` available: `target` is "module:Class", imported when first used."""
    ENGINES[name] = target
    if needs_model:
        NEEDS_MODEL.add(name)


register("argos", "brochure.engines.argos:ArgosEngine")
register("ct2", "brochure.engines.ct2:CT2Engine", needs_model=True)


def engine_names(*, with_none: bool = False) -> tuple[str, ...]:
    """The registered engine names, in registration order (and "none" when asked)."""
    return (*ENGINES, NONE) if with_none else tuple(ENGINES)


def engine_class(name: str) -> type:
    """The class registered as `name`, imported now."""
    if name not in ENGINES:
        raise BrochureError(f"unknown MT engine {name!r} (known: {', '.join(sorted(ENGINES))})")
    module, cls = ENGINES[name].split(":")
    return getattr(importlib.import_module(module), cls)  # type: ignore[no-any-return]

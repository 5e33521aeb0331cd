"""The colophon of a brochure: who translated and reviewed it, and from what.

Its own small module: loading brochure.toml (core/project.py) builds one without importing the
pipeline's data model (core/datamodel.py re-exports it), which a build with nothing to do never needs.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Colophon:
    """Who made the brochure and from what (brochure.toml [colophon]), each text per language:
    a plain string in brochure.toml stands for every language."""

    translators: tuple[dict[str, str], ...] = ()
    reviewers: tuple[dict[str, str], ...] = ()
    licence: dict[str, str] = field(default_factory=dict)
    note: dict[str, str] = field(default_factory=dict)
    sources: dict[str, dict[str, str]] = field(default_factory=dict)  # document name -> texts

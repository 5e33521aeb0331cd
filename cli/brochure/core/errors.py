"""The exception family. The CLI turns every BrochureError into one line on stderr and exit code 1."""

from __future__ import annotations


class BrochureError(Exception):
    """A problem a user can fix; the message says what, where, and how."""


class ProjectError(BrochureError):
    """brochure.toml is missing or invalid."""


class SourceError(BrochureError):
    """A source text cannot be read (encoding, empty, missing)."""


class TranslationStoreError(BrochureError):
    """A translations file (XLIFF) is malformed."""


class MissingTranslations(BrochureError):
    """A build needs translations the store does not have."""


class LayoutError(BrochureError):
    """A layout cannot be found or rendered."""


class GlossaryError(BrochureError):
    """A glossary file is malformed."""


class ModelNotInstalled(BrochureError):
    """An MT engine needs a model that is not installed."""


class ModelPackageError(BrochureError):
    """A translation model package is invalid."""


class TranslationMemoryError(BrochureError):
    """A TMX file is malformed or does not fit the project (its languages)."""


class ExchangeError(BrochureError):
    """An XLIFF file brought back from a CAT tool cannot be imported (malformed, stale, foreign)."""


class AlignError(BrochureError):
    """An existing translation cannot be aligned with its source."""

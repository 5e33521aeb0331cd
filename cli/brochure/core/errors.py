"""The exception family. The CLI turns every BrochureError into one line on stderr and exit code 1."""

from __future__ import annotations

import errno
from collections.abc import Callable


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


class Interrupted(BrochureError):
    """The user stopped a long step (Ctrl-C); the message says what was kept."""


# What an operating-system error means to a user, by errno. The file it concerns comes first.
_OS_REASONS = {
    errno.EACCES: "permission denied (check the permissions of the file and its folder)",
    errno.EPERM: "operation not permitted (check the permissions of the file and its folder)",
    errno.EISDIR: "is a folder, not a file",
    errno.ENOTDIR: "a part of this path is a file, not a folder",
    errno.ENAMETOOLONG: "the file name is too long",
    errno.ENOSPC: "no space left on the disk",
    errno.EDQUOT: "disk quota exceeded",
    errno.EROFS: "read-only file system",
    errno.ENOENT: "no such file or folder",
    errno.EEXIST: "exists already",
    errno.ELOOP: "too many levels of symbolic links",
    errno.EFBIG: "the file is too large",
    errno.EMFILE: "too many open files",
    errno.EBUSY: "the file is in use",
}


def os_error_message(exc: OSError, shown: Callable[[str], str] = str) -> str:
    """One line for an OSError: the file it concerns, then what went wrong in plain words.

    The one translation of operating-system errors (permission, is-a-folder, name too long, disk
    full, read-only folders) for every command; `shown` formats a path for the user."""
    reason = _OS_REASONS.get(exc.errno or 0) or exc.strerror or str(exc) or type(exc).__name__
    names = [str(n) for n in (exc.filename, exc.filename2) if n not in (None, "")]
    if not names:
        return f"{reason}"
    where = shown(names[0])
    if len(names) == 2:
        where += f" -> {shown(names[1])}"
    return f"{where}: {reason}"


class ProofError(BrochureError):
    """A built PDF has proof errors (`brochure proof`, `build --proof`)."""

"""Zip archives people bring (model packages, DOCX, ODT, EPUB): the limits on what they may unpack
and the errors a damaged one raises, in one place.

The sizes checked are those the archive declares. That is enough: CPython's zipfile never returns
more than a member's declared size (a member that inflates further fails its CRC check), so a
zip bomb has to declare its size, and is refused before anything is decompressed.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterable
from typing import NoReturn

from brochure.core.errors import BrochureError

# What a damaged zip raises as it is read: a bad header or CRC, a member cut off or missing, a
# deflate stream that does not decompress (zlib.error), a compression method or member encryption
# flag that a flipped bit made up (NotImplementedError, RuntimeError).
ZIP_ERRORS = (
    zipfile.BadZipFile, KeyError, OSError, EOFError, ValueError, zlib.error,
    NotImplementedError, RuntimeError,
)  # fmt: skip

# A document package (DOCX, ODT, EPUB) is text plus pictures: XML compresses 5-20 times, pictures
# hardly at all. A book of 1 GiB unpacked, or one member 16 MiB or more that expands over 100
# times, is not a document.
DOCUMENT_MAX_BYTES = 1 << 30
DOCUMENT_RATIO = 100
DOCUMENT_MIN_BYTES = 16 << 20


def check_expansion(
    where: str,
    infos: Iterable[zipfile.ZipInfo],
    error: type[BrochureError],
    *,
    not_what: str,
    max_bytes: int = DOCUMENT_MAX_BYTES,
    ratio: int = DOCUMENT_RATIO,
    min_bytes: int = DOCUMENT_MIN_BYTES,
) -> None:
    """Refuse an archive that would expand to more than `max_bytes`, or holds a member of at least
    `min_bytes` that expands more than `ratio` times (a zip bomb: a small file that expands to
    gigabytes). `not_what` ends the messages: "a model", "an EPUB book"."""
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > min_bytes and info.file_size > ratio * max(info.compress_size, 1):
            raise error(
                f"{where}: member {info.filename!r} would expand "
                f"{info.file_size // max(info.compress_size, 1)} times ({info.file_size:,} bytes "
                f"from {info.compress_size:,}): not {not_what}, a zip bomb?"
            )
    if total > max_bytes:
        raise error(
            f"{where}: would expand to {total:,} bytes, more than the limit of {max_bytes:,} "
            f"for {not_what}"
        )


def damaged(where: str, kind: str, exc: BaseException, error: type[BrochureError]) -> NoReturn:
    """The one line for a package that a ZIP_ERRORS exception showed to be damaged."""
    raise error(f"{where}: not a valid {kind} file ({exc or 'corrupt package'})") from None

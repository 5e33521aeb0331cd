"""Atomic file writes: a reader never sees a half-written file, a failure never damages the old one."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside `path`; on success it replaces `path`, on error it is removed."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        if path.exists():
            os.chmod(tmp_path, path.stat().st_mode & 0o777)
        else:
            os.chmod(tmp_path, 0o644)
        os.replace(tmp_path, path)
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise


def write_bytes_atomic(path: Path, data: bytes) -> None:
    with atomic_path(path) as tmp:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())


def write_text_atomic(path: Path, text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))


# -- cross-process locks ---------------------------------------------------------------------------
LOCK_TIMEOUT = 60.0  # seconds to wait for another process writing the same files


@contextmanager
def file_lock(lock: Path, what: Path | str, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold the cross-process lock `lock` (a file, created if needed) while writing `what`.

    Re-entrant within a thread, so a function holding it may call another that takes it too.
    Waiting longer than `timeout` raises BrochureError naming `what`.
    """
    from filelock import Timeout

    from brochure.core.errors import BrochureError

    lock = Path(lock)
    lock.parent.mkdir(parents=True, exist_ok=True)
    try:
        with _lock_for(lock).acquire(timeout=timeout):
            yield
    except Timeout:
        raise BrochureError(
            f"{what}: another brochure process has been writing it for {timeout:.0f} s; try again"
        ) from None


_locks: dict[str, object] = {}


def _lock_for(lock: Path):  # type: ignore[no-untyped-def]
    """One FileLock object per lock file and process: FileLock is re-entrant per object (and per
    thread), while two objects on one file would block each other inside the same process."""
    from filelock import FileLock

    key = str(lock.resolve())
    found = _locks.get(key)
    if found is None:
        found = _locks.setdefault(key, FileLock(key))
    return found

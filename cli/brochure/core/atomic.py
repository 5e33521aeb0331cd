"""Atomic file writes: a reader never sees a half-written file, a failure never damages the old one."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# Our temporary files: .<name>.<pid>.<8 random characters>.tmp (older versions wrote no pid).
_OURS = re.compile(r"^\..+?\.(?:(\d+)\.)?[a-z0-9_]{8}\.tmp$")
STALE_SECONDS = 3600  # a temporary without a process id is stale after an hour
DEAD_SECONDS = 60  # one whose process is gone, after a minute
_cleaned: set[Path] = set()


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside `path`; on success it replaces `path`, on error it is removed.

    An error names `path`, never the temporary file; the first write into a folder also removes
    the stale temporaries that killed runs left there (see clean_stale_temporaries)."""
    import tempfile  # here: a build with nothing to write never needs it

    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.parent not in _cleaned:
            _cleaned.add(path.parent)
            clean_stale_temporaries(path.parent)
        fd, tmp = tempfile.mkstemp(
            prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent
        )
    except OSError as exc:
        raise _about(exc, path) from None
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        if path.exists():
            os.chmod(tmp_path, path.stat().st_mode & 0o777)
        else:
            os.chmod(tmp_path, 0o644)
        os.replace(tmp_path, path)
    except OSError as exc:
        tmp_path.unlink(missing_ok=True)
        if exc.filename in (tmp, str(tmp_path), None):
            raise _about(exc, path) from None
        raise
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise


def _about(exc: OSError, path: Path) -> OSError:
    """The same error about `path` (the file the user knows), not about our temporary file."""
    return type(exc)(exc.errno, exc.strerror, str(path))


def clean_stale_temporaries(folder: Path) -> list[Path]:
    """Remove our own temporary files that killed runs left in `folder`: those whose process is
    gone (for a minute), and those without a process id that are more than an hour old. Other
    files, and temporaries of live runs, are never touched; a folder we cannot list or change is
    left alone. Returns what was removed."""
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        m = _OURS.match(entry.name)
        if not m:
            continue
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            age = now - entry.stat(follow_symlinks=False).st_mtime
        except OSError:
            continue
        pid = int(m.group(1)) if m.group(1) else None
        stale = age > STALE_SECONDS or (
            pid is not None and pid != os.getpid() and age > DEAD_SECONDS and not _alive(pid)
        )
        if stale:
            try:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
            except OSError:
                continue
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True  # someone else's process (or we cannot tell): assume alive
    return True


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data` all at once: a crash leaves the old file or the new, never half."""
    with atomic_path(path) as tmp:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())


def write_text_atomic(path: Path, text: str) -> None:
    """write_bytes_atomic for UTF-8 text."""
    write_bytes_atomic(path, text.encode("utf-8"))


# -- cross-process locks ---------------------------------------------------------------------------
LOCK_TIMEOUT = 60.0  # seconds to wait for another process writing the same files
POLL_SECONDS = 0.05  # how often a waiting process tries the lock again


class LockTimeout(Exception):
    """The lock was not free within the time asked."""


@contextmanager
def file_lock(lock: Path, what: Path | str, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold the cross-process lock `lock` (a file, created if needed) while writing `what`.

    Re-entrant within a thread, so a function holding it may call another that takes it too;
    another thread of this process waits for it as another process does. Waiting longer than
    `timeout` raises BrochureError naming `what`.
    """
    from brochure.core.errors import BrochureError

    lock = Path(lock)
    lock.parent.mkdir(parents=True, exist_ok=True)
    try:
        with _lock_for(lock).hold(timeout):
            yield
    except LockTimeout:
        raise BrochureError(
            f"{what}: another brochure process has been writing it for {timeout:.0f} s; try again"
        ) from None


class _FileLock:
    """One lock file of this process: a thread lock (re-entrant) for the threads of the process,
    and, while a thread holds it, an exclusive flock(2) on the file for the other processes
    (fcntl, in the standard library: the filelock package took 30-60 ms to import, a good part
    of a small command). A lock file removed while waiting for it is opened again (the holder
    that removed it locked a file no longer there)."""

    def __init__(self, path: str) -> None:
        import threading

        self.path = path
        self.threads = threading.RLock()
        self.depth = 0  # how often the holding thread has taken it
        self.fd = -1

    @contextmanager
    def hold(self, timeout: float) -> Iterator[None]:
        deadline = time.monotonic() + timeout
        if not self.threads.acquire(timeout=max(timeout, 0)):
            raise LockTimeout(self.path)
        try:
            if self.depth == 0:
                self.fd = self._flock(deadline)
            self.depth += 1
            try:
                yield
            finally:
                self.depth -= 1
                if self.depth == 0:
                    fd, self.fd = self.fd, -1
                    os.close(fd)  # closing the only descriptor releases the flock
        finally:
            self.threads.release()

    def _flock(self, deadline: float) -> int:
        import fcntl

        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                while True:
                    try:
                        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                        break
                    except BlockingIOError:
                        if time.monotonic() >= deadline:
                            raise LockTimeout(self.path) from None
                        time.sleep(POLL_SECONDS)
                if os.fstat(fd).st_nlink > 0:
                    return fd
            except BaseException:
                os.close(fd)
                raise
            os.close(fd)  # the file was removed while we waited: lock the one there now


class _PackageLock:
    """The filelock package's lock, where there is no fcntl (Windows): the same behaviour
    (re-entrant per thread, exclusive between threads and processes)."""

    def __init__(self, path: str) -> None:
        from filelock import FileLock

        self.lock = FileLock(path)

    @contextmanager
    def hold(self, timeout: float) -> Iterator[None]:
        from filelock import Timeout

        try:
            self.lock.acquire(timeout=timeout)
        except Timeout:
            raise LockTimeout(self.lock.lock_file) from None
        try:
            yield
        finally:
            self.lock.release()


_locks: dict[str, _FileLock | _PackageLock] = {}


def _lock_for(lock: Path) -> _FileLock | _PackageLock:
    """One lock object per lock file and process: re-entrant per object and thread, while two
    objects on one file would block each other inside the same process."""
    key = str(lock.resolve())
    found = _locks.get(key)
    if found is None:
        kind = _FileLock if os.name == "posix" else _PackageLock
        found = _locks.setdefault(key, kind(key))
    return found

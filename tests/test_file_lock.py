"""The cross-process file lock (core/atomic.file_lock): re-entrant in the thread holding it,
exclusive between the threads of a process and between processes, a clear error after the
timeout, and no third-party import (fcntl of the standard library, where there is one)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
import time

import pytest
from brochure.core.atomic import file_lock
from brochure.core.errors import BrochureError


def test_re_entrant_in_the_thread_holding_it(tmp_path):
    lock = tmp_path / "locks" / "x.lock"
    with file_lock(lock, "x.tsv", timeout=1):
        with file_lock(lock, "x.tsv", timeout=1):  # a function holding it calls another taking it
            pass
        with file_lock(lock, "x.tsv", timeout=1):
            pass
    assert lock.is_file()


def test_another_thread_waits_for_it_and_times_out_naming_the_file(tmp_path):
    lock = tmp_path / "x.lock"
    held, release, seen = threading.Event(), threading.Event(), []

    def holder():
        with file_lock(lock, "x.tsv"):
            held.set()
            release.wait(10)

    thread = threading.Thread(target=holder)
    thread.start()
    held.wait(10)
    try:
        with pytest.raises(BrochureError, match=r"x\.tsv: another brochure process"):
            with file_lock(lock, "x.tsv", timeout=0.2):
                pass
    finally:
        release.set()
        thread.join()

    def waiter():  # a lock released is taken by the thread waiting for it
        with file_lock(lock, "x.tsv", timeout=5):
            seen.append(time.monotonic())

    held.clear()
    release.clear()
    first = threading.Thread(target=holder)
    first.start()
    held.wait(10)
    second = threading.Thread(target=waiter)
    second.start()
    time.sleep(0.3)
    assert seen == []  # still waiting
    let_go = time.monotonic()
    release.set()
    first.join()
    second.join()
    assert len(seen) == 1 and seen[0] >= let_go


HOLD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from brochure.core.atomic import file_lock
    with file_lock(Path(sys.argv[1]), "x.tsv"):
        print("held", flush=True)
        time.sleep(float(sys.argv[2]))
    """
)


def test_another_process_waits_until_it_is_released(tmp_path):
    lock = tmp_path / "x.lock"
    child = subprocess.Popen([sys.executable, "-c", HOLD, str(lock), "1.5"],
                             stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert child.stdout.readline().strip() == "held"
        with pytest.raises(BrochureError, match="another brochure process"):
            with file_lock(lock, "x.tsv", timeout=0.2):
                pass
        start = time.monotonic()
        with file_lock(lock, "x.tsv", timeout=30):
            assert child.poll() is not None or time.monotonic() - start > 0.5
    finally:
        child.wait(30)
    assert child.returncode == 0


REMOVE = textwrap.dedent(
    """
    import os, sys, time
    from pathlib import Path
    from brochure.core.atomic import file_lock
    with file_lock(Path(sys.argv[1]), "x.tsv"):
        print("held", flush=True)
        time.sleep(0.5)
        os.unlink(sys.argv[1])  # a user deleting .brochure/ while it is held
    """
)
TRY = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from brochure.core.atomic import file_lock
    from brochure.core.errors import BrochureError
    try:
        with file_lock(Path(sys.argv[1]), "x.tsv", timeout=0.3):
            print("taken")
    except BrochureError:
        print("busy")
    """
)


def test_a_lock_file_removed_while_waiting_is_locked_anew(tmp_path):
    """The waiter gets the lock of the removed file when its holder ends: it must lock the file
    now at that path, or a third process would lock that one and write at the same time."""
    lock = tmp_path / "x.lock"
    child = subprocess.Popen([sys.executable, "-c", REMOVE, str(lock)], stdout=subprocess.PIPE,
                             text=True)  # fmt: skip
    try:
        assert child.stdout.readline().strip() == "held"
        with file_lock(lock, "x.tsv", timeout=30):
            assert child.wait(30) == 0 and lock.is_file()
            third = subprocess.run([sys.executable, "-c", TRY, str(lock)], capture_output=True,
                                   text=True, timeout=60)  # fmt: skip
            assert third.stdout.strip() == "busy", third.stderr
    finally:
        child.wait(30)


@pytest.mark.skipif(os.name != "posix", reason="fcntl is POSIX")
def test_a_save_under_the_lock_imports_no_lock_package(tmp_path):
    """filelock took 30-60 ms to import (it loads asyncio): a small command paid it on its first
    save."""
    script = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from brochure.core.atomic import file_lock, write_text_atomic
        with file_lock(Path({str(tmp_path / "x.lock")!r}), "x.txt"):
            write_text_atomic(Path({str(tmp_path / "x.txt")!r}), "saved")
        print(sorted(m for m in ("filelock", "asyncio") if m in sys.modules))
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    assert (tmp_path / "x.txt").read_text() == "saved"

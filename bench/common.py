"""What every benchmark shares: alternating timed runs and the one result-row format.

Honest by construction:
- `alternate()` warms every subject up once, then times them in turns (A B C, B C A, C A B, ...),
  so a burst of load on a shared machine hits subject and baseline alike; it reports min and
  median of at least 3 runs each.
- `row()` prints one line per goal in the format `bench/run.py` (`make bench`) collects into one
  table:  BENCH<TAB>metric<TAB>goal<TAB>measured<TAB>verdict
  Any bench_*.py (also one this module does not know) gets its rows into the table by printing
  lines of that form; verdict is "met", "MISSED" or "info".
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Timing:
    name: str
    seconds: list[float]

    @property
    def min(self) -> float:
        return min(self.seconds)

    @property
    def max(self) -> float:
        return max(self.seconds)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    def text(self, unit: str = "s") -> str:
        return (
            f"min {self.min:.3f} {unit}, median {self.median:.3f} {unit} ({len(self.seconds)} runs)"
        )


def alternate(
    subjects: dict[str, Callable[[], object]], runs: int = 3, warmup: bool = True,
    warmups: dict[str, Callable[[], object]] | None = None,
) -> dict[str, Timing]:  # fmt: skip
    """Time each subject `runs` times, in rotating turns, after one untimed warm-up run of each.

    `warmups`: a lighter warm-up per subject (the same code on less input) instead of a full run.
    A subject that returns a float has measured itself (a child process timing its own work
    after loading): that figure counts instead of the wall time of the call.
    """
    names = list(subjects)
    if warmup:
        for name in names:
            (warmups or {}).get(name, subjects[name])()
    out = {name: Timing(name, []) for name in names}
    for r in range(runs):
        k = r % len(names)
        for name in names[k:] + names[:k]:
            start = time.perf_counter()
            result = subjects[name]()
            elapsed = time.perf_counter() - start
            out[name].seconds.append(result if isinstance(result, float) else elapsed)
    return out


def turn_ratios(subject: Timing, base: Timing) -> list[float]:
    """subject / base in each turn of `alternate` (the two ran one after the other, so a burst of
    load on the shared machine touches both); their median is the ratio a goal is judged on."""
    return [s / b for s, b in zip(subject.seconds, base.seconds, strict=True)]


def row(metric: str, goal: str, measured: str, ok: bool | None, verdict: str = "") -> None:
    """One result line for the `make bench` table (ok None: a figure with no goal of its own;
    `verdict`: another word than met/MISSED/info, e.g. "undecided")."""
    verdict = verdict or ("info" if ok is None else "met" if ok else "MISSED")
    print(f"BENCH\t{metric}\t{goal}\t{measured}\t{verdict}", flush=True)


# Fewer values than this cannot give a 90% interval: the whole range of 3 holds the median only
# with 75% confidence (1 - 2 / 2**3), of 4 with 88%, of 5 with 94%.
MIN_FOR_90 = 5


def median_interval(values: list[float]) -> tuple[float, float, float]:
    """The median of `values` and a distribution-free interval around it: the k-th smallest to
    the k-th largest value, k as large as keeps each tail under 5%, so that the interval holds
    the true median with at least 90% confidence whatever the shape of the noise (5 or 7 values:
    their whole range, 94% and 98%; 9: the 2nd to the 8th, 96%; 11: 93%; 13: 91%; 15: 96%)."""
    ordered = sorted(values)
    n = len(ordered)
    k = 1  # the k-th smallest and the k-th largest bound it
    while _below(n, k + 1) <= 0.05:
        k += 1
    return statistics.median(ordered), ordered[k - 1], ordered[n - k]


def interval_verdict(
    low: float, high: float, limit: float, after: str, n: int = MIN_FOR_90
) -> tuple[str, str]:
    """A ratio's verdict against an upper `limit` from the 90% interval of its median (of `n`
    values): met when all of it is within, MISSED when all of it is beyond, else undecided (also
    with fewer than MIN_FOR_90 values: no 90% interval); and why (`after`: what was timed, e.g.
    "15 pairs")."""
    if n < MIN_FOR_90:
        return "undecided", f"{after} give no 90% interval (at least {MIN_FOR_90} needed)"
    if high <= limit:
        return "met", f"all of it <= {limit:.2f}x"
    if low > limit:
        return "MISSED", f"all of it > {limit:.2f}x"
    return "undecided", f"it spans {limit:.2f}x after {after}"


def _below(n: int, k: int) -> float:
    """P(X < k) for X ~ Binomial(n, 1/2): the chance that fewer than k values fall below the
    median, i.e. that the k-th smallest lies above it."""
    from math import comb

    return sum(comb(n, i) for i in range(k)) / 2**n


# each named command's wall times, beside the CPU times `child_cpu` returns
WALL: dict[str, list[float]] = {}


# each named command's standard error, run by run (when the caller asks for it)
STDERR: dict[str, list[str]] = {}


def child_cpu(args: list[str], name: str = "", keep_stderr: bool = False) -> float:
    """Run a command; its CPU time (user + system of the child). Its wall time goes to WALL[name]
    (and with `keep_stderr`, what it wrote to standard error to STDERR[name])."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(args, check=False, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{proc.stderr[-2000:]}")
    if name:
        WALL.setdefault(name, []).append(wall)
    if name and keep_stderr:
        STDERR.setdefault(name, []).append(proc.stderr)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def side_by_side(commands: list[list[str]]) -> list[tuple[float, float]]:
    """Start the commands at the same moment and wait for them all: each one's (CPU time, wall
    time). A pair timed side by side meets the same load (and each meets the other on the other
    core), so the ratio of their CPU times is far less noisy than that of runs one after the
    other: on this 2-core machine at load 7-8 two identical builds read 0.92-1.10x side by side
    (standard deviation 0.05 over 8 pairs) and 0.80-1.29x one after the other (0.18)."""
    import os
    import tempfile

    procs = {}
    start = time.perf_counter()
    for args in commands:
        err = tempfile.TemporaryFile()
        proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=err)
        procs[proc.pid] = (proc, err)
    done: dict[int, tuple[float, float]] = {}
    while len(done) < len(procs):
        pid, status, usage = os.wait4(-1, 0)  # whichever ends first (the bench runs no others)
        if pid not in procs:
            continue
        proc, err = procs[pid]
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            raise SystemExit(f"{' '.join(proc.args)} failed:\n{err.read().decode()[-2000:]}")
        err.close()
        done[pid] = (usage.ru_utime + usage.ru_stime, time.perf_counter() - start)
    out = [done[pid] for pid in procs]
    return out

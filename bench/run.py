"""`make bench`: run every bench/bench_*.py and print ONE table: metric, goal, measured, verdict.

Each script's full output (settings, every run's figures) goes to build/bench.log; the table holds
the rows the scripts print as `BENCH<TAB>metric<TAB>goal<TAB>measured<TAB>verdict` (bench/common.py).
A script that fails gets a MISSED row naming it. `--only NAME` runs bench_NAME.py alone (repeatable),
e.g. `python bench/run.py --only translate`; to change a script's sizes, run it directly with its
own options.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
LOG = HERE.parent / "build" / "bench.log"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", default=[], help="run only bench_NAME.py")
    options = parser.parse_args()
    scripts = sorted(HERE.glob("bench_*.py"))
    if options.only:
        scripts = [s for s in scripts if s.stem.removeprefix("bench_") in options.only]
    LOG.parent.mkdir(exist_ok=True)
    rows: list[list[str]] = []
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    start = time.perf_counter()
    cpu_start = _children_cpu()
    with open(LOG, "w", encoding="utf-8") as log:
        for script in scripts:
            t0, c0 = time.perf_counter(), _children_cpu()
            print(f"running {script.name} ...", file=sys.stderr, flush=True)
            log.write(f"== {script.name}\n")
            log.flush()
            proc = subprocess.run([sys.executable, str(script)], stdout=subprocess.PIPE,
                                  stderr=log, text=True, env=env, check=False)  # fmt: skip
            log.write(proc.stdout)
            log.write(
                f"-- {script.name}: exit {proc.returncode}, {time.perf_counter() - t0:.0f} s "
                f"({_children_cpu() - c0:.0f} s CPU; load average {os.getloadavg()[0]:.1f})\n"
            )
            log.flush()
            found = [
                line.split("\t")[1:5]
                for line in proc.stdout.splitlines()
                if line.startswith("BENCH\t")
            ]
            rows += [r + [""] * (4 - len(r)) for r in found]
            if proc.returncode != 0:
                rows.append(
                    [f"{script.name} ran to the end", "exit 0", f"exit {proc.returncode}", "MISSED"]
                )
    head = ["metric", "goal", "measured", "verdict"]
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(4)]
    line = "+-" + "-+-".join("-" * w for w in widths) + "-+"
    print(line)
    print("| " + " | ".join(h.ljust(w) for h, w in zip(head, widths)) + " |")
    print(line)
    for r in rows:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |")
    print(line)
    missed = sum(1 for r in rows if r[3] == "MISSED")
    print(
        f"{len(rows)} metrics, {missed} missed; {time.perf_counter() - start:.0f} s "
        f"({_children_cpu() - cpu_start:.0f} s CPU; load average {os.getloadavg()[0]:.1f}); details: {LOG}"
    )


def _children_cpu() -> float:
    """CPU seconds (user + system) of the finished benchmark processes and their children."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


if __name__ == "__main__":
    main()

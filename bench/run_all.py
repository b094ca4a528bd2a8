"""`make bench`: run every bench/bench_*.py in its own process and print their tables.

Each benchmark runs in a fresh interpreter so one's memory or imports cannot skew another's
figures; a failing benchmark is reported and the others still run (exit 1 at the end).
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    names = argv if argv else sorted(p.stem for p in Path(__file__).parent.glob("bench_*.py"))
    failed = []
    for name in names:
        print(f"\n=== {name} ===", flush=True)
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", f"bench.{name}"], check=False)
        print(f"--- {name}: {time.perf_counter() - t0:.1f} s wall, exit {proc.returncode}", flush=True)
        if proc.returncode:
            failed.append(name)
    if failed:
        print(f"\nfailed benchmarks: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

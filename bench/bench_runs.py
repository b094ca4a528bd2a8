"""What one writer at a time and readers-never-block cost, and what the local Prefect server saves.

1. A writer session (warehouse/session.py: copy the published file, write, publish with one
   rename) against the old in-place write, on warehouses of 10,000 and 1,000,000 articles:
   the same small write (a digest rebuild) both ways; the difference is the copy.
2. A warm `marsad run --offline` on the seeds with the local server of `marsad server` up
   against the same run with a temporary server (the baseline), runs interleaved.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.bench_digest import DAY, fill
from bench.table import print_table
from flows.prefect_api import free_port
from warehouse.db import open_warehouse
from warehouse.digest import build_digest
from warehouse.session import writer_session

ROOT = Path(__file__).resolve().parents[1]
MARSAD = Path(sys.executable).with_name("marsad")


def _write(con) -> None:
    build_digest(con, DAY, tz="Asia/Riyadh", top_n=5, taxonomy_version="bench")


def session_costs(repeat: int = 5) -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for total in (10_000, 1_000_000):
            db = Path(tmp) / f"w{total}.duckdb"
            with open_warehouse(db) as con:
                fill(con, total)
            in_place, session = [], []
            for _ in range(repeat):  # interleaved
                t0 = time.perf_counter()
                with open_warehouse(db) as con:
                    _write(con)
                in_place.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                with writer_session(db, "bench") as s:
                    with open_warehouse(s.work) as con:
                        _write(con)
                    s.publish()
                session.append(time.perf_counter() - t0)
            a, b = statistics.median(in_place), statistics.median(session)
            mb = db.stat().st_size / 1e6
            rows.append((f"{total:,} articles ({mb:,.0f} MB)", a, b, b / a, mb / max(b - a, 1e-9)))
    return rows


def marsad(args: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    subprocess.run([str(MARSAD), *args], env=env, check=True, stdout=subprocess.DEVNULL, timeout=600)
    return time.perf_counter() - t0


def warm_runs(repeat: int = 3) -> list[tuple[object, ...]]:
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        shutil.copytree(ROOT / "config", base / "config")
        env = {**os.environ, "MARSAD_CONFIG": str(base / "config"), "MARSAD_DB": str(base / "data" / "marsad.duckdb"),
               "MARSAD_OUTBOX": str(base / "data" / "outbox"), "MARSAD_DASHBOARD": str(base / "data" / "dashboard")}
        env.pop("PREFECT_API_URL", None)
        temporary = {**env, "MARSAD_DB": str(base / "other" / "marsad.duckdb")}  # no local server beside it
        marsad(["run", "--offline"], temporary)  # warm the temporary server's database and the OS caches
        start = marsad(["server", "--port", str(free_port())], env)
        try:
            marsad(["run", "--offline"], env)  # warm
            local, temp = [], []
            for _ in range(repeat):
                local.append(marsad(["run", "--offline"], env))
                temp.append(marsad(["run", "--offline"], temporary))
        finally:
            subprocess.run([str(MARSAD), "server", "--stop"], env=env, stdout=subprocess.DEVNULL, check=False)
    a, b = statistics.median(local), statistics.median(temp)
    return [("local server up (`marsad server`)", a, ""), ("temporary server (baseline)", b, ""),
            ("ratio local / temporary", a / b, ""), ("`marsad server` start (s)", start, "")]


def main() -> None:
    print_table("Writer session vs in-place write (a digest rebuild; median of 5, interleaved)",
                ["warehouse", "in place (s)", "session (s)", "ratio", "copy MB/s"], session_costs())
    print_table("Warm `marsad run --offline` on the seeds (median of 3, interleaved); goal <= 5 s with the local server",
                ["Prefect API", "seconds", ""], warm_runs())


if __name__ == "__main__":
    main()

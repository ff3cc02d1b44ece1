"""Benchmark: `hotline report` over a month of 5,000 tickets, XLSX and HTML, on SQLite and PostgreSQL.

    python bench/report.py [--tickets 5000] [--runs 3] [--pg URL]

Generates the store the report's tests use (tests/report/generate.py: a month of tickets with varied units,
categories, places, states, satisfaction, repeat callers and QA reviews, bulk-inserted), then times the command
as a supervisor runs it, in a child process from start to exit (interpreter, imports, queries, charts, file):
median wall-clock and CPU seconds of ``--runs`` runs. CPU time is the fairer figure on a shared machine.
Then, in one process, where the time goes (CPU and wall): the figures counted by the database
(``figures.collect``) beside the plain way (every ticket of the month loaded through the ORM and counted in
Python), the sections with their charts, and writing each file. On PostgreSQL the server's work shows in the
wall time only. Uses its own SQLite file and its own PostgreSQL database (``hotline_bench_report``,
created if missing, tables dropped and recreated).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from assistant.store import workflow  # noqa: E402
from assistant.store.models import Ticket  # noqa: E402
from bench.store import fresh  # noqa: E402
from tests.report.generate import generate  # noqa: E402


def run_cli(url: str, store, out: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one `hotline report` in a child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "assistant", "report", "--from", str(store.start), "--to",
                           str(store.end), "--out", str(out), "--db", url], capture_output=True, text=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def plain(session: Session, start: date, end: date) -> int:
    """The plain way to the main figures: every ticket of the period through the ORM, counted in Python."""
    tickets = session.scalars(select(Ticket).where(Ticket.day >= start, Ticket.day <= end,
                                                   Ticket.status != workflow.DRAFT)).all()
    by_pair = Counter((t.unit, t.category) for t in tickets)
    overdue = Counter(t.unit for t in tickets if t.deadline and (
        (t.done_at and t.done_at.date() > t.deadline)
        or (t.done_at is None and t.status in workflow.OPEN_STATES and t.deadline < date.today())))
    satisfied = Counter((t.unit, t.satisfaction) for t in tickets if t.satisfaction)
    return len(by_pair) + len(overdue) + len(satisfied)


def stages(url: str, store, folder: Path) -> dict[str, tuple[float, float]]:
    """CPU and wall milliseconds of each stage, in this process (imports already done by then)."""
    from assistant.centre import active_centre
    from assistant.report import build_report, write_report
    from assistant.report.figures import collect
    from assistant.store.db import make_engine

    engine = make_engine(url)
    out: dict[str, tuple[float, float]] = {}

    def timed(name: str, work) -> object:
        cpu, wall = time.process_time(), time.perf_counter()
        result = work()
        out[name] = ((time.process_time() - cpu) * 1000, (time.perf_counter() - wall) * 1000)
        return result

    with Session(engine) as session:
        build_report(session, store.start, store.end)  # warm: fonts registered, caches filled
        timed("figures (SQL)", lambda: collect(session, store.start, store.end, as_of=date.today(),
                                               offset=timedelta(hours=8), complaint="投诉"))
        timed("plain (ORM + Python)", lambda: plain(session, store.start, store.end))
        report = timed("figures + sections + charts",
                       lambda: build_report(session, store.start, store.end, centre=active_centre()))
    for suffix in (".xlsx", ".html"):
        timed(f"write {suffix}", lambda suffix=suffix: write_report(report, folder / f"stage{suffix}"))
    engine.dispose()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tickets", type=int, default=5000, help="tickets in the month (default 5000)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pg", default="postgresql+psycopg://postgres@127.0.0.1:5432/hotline_bench_report",
                        help="created if missing; not the tests' database, so both can run at once")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-report-"))
    engines = {"SQLite": f"sqlite:///{folder / 'bench.db'}", "PostgreSQL": args.pg}
    timings, inside = {}, {}
    for name, url in engines.items():
        engine = fresh(url)
        t0 = time.perf_counter()
        store = generate(engine, args.tickets)
        print(f"{name}: {store.tickets:,} tickets generated in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        engine.dispose()
        for suffix in (".xlsx", ".html"):
            runs = [run_cli(url, store, folder / f"report{suffix}") for _ in range(args.runs)]
            timings[(name, suffix)] = (statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs),
                                       max(w for w, _ in runs), (folder / f"report{suffix}").stat().st_size)
        inside[name] = stages(url, store, folder)
    print(f"\n`hotline report` over a month of {args.tickets:,} tickets: median of {args.runs} runs, "
          "child process start to exit\n")
    print("| engine | output | wall (s) | CPU (s) | worst wall (s) | file size |")
    print("|---|---|---:|---:|---:|---:|")
    for (name, suffix), (wall, cpu, worst, size) in timings.items():
        print(f"| {name} | {suffix} | {wall:.2f} | {cpu:.2f} | {worst:.2f} | {size / 1024:,.0f} KiB |")
    print("\nStages in one process, after a warm-up run: CPU ms (wall ms)\n")
    names = list(next(iter(inside.values())))
    print("| stage | " + " | ".join(inside) + " |")
    print("|---|" + "---:|" * len(inside))
    for stage in names:
        print(f"| {stage} | " + " | ".join(f"{inside[e][stage][0]:.0f} ({inside[e][stage][1]:.0f})" for e in inside)
              + " |")


if __name__ == "__main__":
    main()

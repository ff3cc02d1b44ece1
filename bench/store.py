"""Benchmark: ticket insert throughput and filtered-page latency over 100,000 tickets, SQLite and PostgreSQL.

    python bench/store.py [--tickets 100000] [--inserts 1000] [--pg URL]

Inserts go through the real path (``create_ticket``: number, ticket, event, one transaction each) from one
process; the 100,000 tickets for the queries are bulk-loaded. Each query is timed as the CLI runs it
(a page of 50, newest first), median and worst of 20 runs. Uses its own SQLite file and drops and recreates
the tables in its own PostgreSQL database (``hotline_bench``, created if missing).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from assistant.store import workflow  # noqa: E402
from assistant.store.db import make_engine  # noqa: E402
from assistant.store.migrate import reset  # noqa: E402
from assistant.store.models import Ticket  # noqa: E402
from assistant.store.tickets import Filters, create_ticket, list_tickets  # noqa: E402

CATEGORIES = ["服务态度", "医疗质量", "收费价格", "医保报销", "就医流程", "医德医风", "疫苗接种", "传染病防控",
              "食品安全", "药品器械", "非法行医", "公共卫生", "急救服务", "政策咨询", "心理健康", "母婴保健"]
UNITS = [f"单位{i:02d}" for i in range(19)]
STATES = [workflow.ACCEPTED, workflow.DISPATCHED, workflow.IN_PROGRESS, workflow.DONE, workflow.ARCHIVED]


def ensure_database(url: str) -> None:
    """CREATE DATABASE for a PostgreSQL URL whose database does not exist yet."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        return
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": parsed.database}).scalar():
            conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()


def fresh(url: str):
    ensure_database(url)
    engine = make_engine(url)
    reset(engine)
    return engine


def bulk_load(engine, n: int) -> None:
    rng = random.Random(0)
    start = date(2025, 1, 1)
    rows = []
    for i in range(n):
        day = start + timedelta(days=i * 600 // n)
        created = datetime(day.year, day.month, day.day, 9, tzinfo=UTC) + timedelta(seconds=i % 3600)
        rows.append({"number": f"12345-{day:%Y%m%d}-{i:06d}", "hotline": "12345", "day": day, "seq": i + 1,
                     "status": rng.choice(STATES), "appeal_type": rng.choice(["投诉", "咨询", "求助"]),
                     "category": rng.choice(CATEGORIES), "unit": rng.choice(UNITS), "urgency": "一般",
                     "title": f"第{i}号工单 {rng.choice(CATEGORIES)}问题", "summary": "来电人反映…" * 5,
                     "phone": f"138{i:08d}", "caller_name": "王先生", "drafted": {}, "created_at": created,
                     "updated_at": created, "deadline": day + timedelta(days=14)})
    with engine.begin() as conn:
        for k in range(0, n, 5000):
            conn.execute(insert(Ticket), rows[k : k + 5000])


def timed(engine, filters: Filters, runs: int = 20) -> tuple[float, float, int]:
    times = []
    found = 0
    for _ in range(runs):
        t0 = time.perf_counter()
        with Session(engine) as session:
            found = len(list_tickets(session, filters, limit=50))
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), max(times), found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--inserts", type=int, default=1000)
    parser.add_argument("--pg", default="postgresql+psycopg://postgres@127.0.0.1:5432/hotline_bench",
                        help="created if missing; not the tests' database, so both can run at once")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-store-"))
    engines = {"SQLite": f"sqlite:///{folder / 'bench.db'}", "PostgreSQL": args.pg}
    queries = {
        "newest page": Filters(),
        "status + category": Filters(status=workflow.IN_PROGRESS, category="医保报销"),
        "date range + unit": Filters(start=date(2025, 6, 1), end=date(2025, 6, 30), unit="单位07"),
        "overdue": Filters(overdue=True),
        "text search": Filters(search="第4242号"),
    }
    results = {}
    for name, url in engines.items():
        engine = fresh(url)
        t0 = time.perf_counter()
        for i in range(args.inserts):
            with Session(engine) as session, session.begin():
                create_ticket(session, hotline="12320", values={"category": CATEGORIES[i % 16], "title": "t"},
                              operator_id="1", actor="bench")
        per_s = args.inserts / (time.perf_counter() - t0)
        bulk_load(engine, args.tickets)
        results[name] = (per_s, {q: timed(engine, f) for q, f in queries.items()})
        engine.dispose()
    print(f"\n{args.inserts} tickets inserted one transaction each; queries over {args.tickets:,} tickets "
          "(page of 50, median / worst of 20 runs, ms)\n")
    print("| | " + " | ".join(engines) + " |")
    print("|---|" + "---|" * len(engines))
    print("| inserts per second | " + " | ".join(f"{results[e][0]:.0f}" for e in engines) + " |")
    for q in queries:
        cells = [f"{results[e][1][q][0]:.1f} / {results[e][1][q][1]:.1f}" for e in engines]
        print(f"| {q} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()

"""Benchmark: flagging repeat calls (重复诉求) on a generated archive, and the time of the check on a new call.

    python bench/repeats.py [--tickets 2400] [--big 100000] [--checks 200] [--pg URL] [--skip-timing]

1. Precision and recall. ``repeat_archive.py`` writes an archive with known repeat groups (see there). Every
   ticket is checked, oldest first, exactly as a batch checks what it files (``likely_repeats`` on the stored
   ticket: the caller's and the unit-and-category's open tickets of the 30 days before it). A flag is right
   when the best ticket it names is of the same matter; a repeat is found when a ticket whose matter was filed
   in the 30 days before is flagged rightly. The units are split in two by volume: the thresholds are chosen
   on one half (highest recall with precision ≥ 0.93 there) and the figures reported are the other half's,
   beside the thresholds the code ships with and the plain alternatives scored on the same candidates.
2. Time. ``--big`` tickets of a year are bulk-loaded into SQLite and PostgreSQL (``hotline_bench_repeats``,
   dropped and recreated) and ``--checks`` new calls are checked as the console checks them: a fresh session,
   the caller's earlier tickets and the likely repeats of the drafted fields. Median and p95, ms.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from repeat_archive import archive  # noqa: E402
from sqlalchemy import insert, select, text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402
from store import fresh  # noqa: E402

from assistant.store import repeats, workflow  # noqa: E402
from assistant.store.likeness import account, grams, similarities  # noqa: E402
from assistant.store.models import Ticket  # noqa: E402
from assistant.store.privacy import phone_key  # noqa: E402

WINDOW = 30
OPEN = (workflow.ACCEPTED, workflow.DISPATCHED, workflow.IN_PROGRESS)


def load(engine, rows, *, closed_before=None) -> None:
    """Bulk-insert the archive (numbers per hotline and day as the store gives them) and analyse the tables;
    with ``closed_before``, 95 % of the tickets older than it are closed."""
    import random

    rng = random.Random(7)
    seqs: Counter = Counter()
    batch = []
    for i, r in enumerate(rows):
        day = r.created_at.date()
        seqs[(r.hotline, day)] += 1
        seq = seqs[(r.hotline, day)]
        status = rng.choice(OPEN)
        if closed_before is not None and r.created_at < closed_before and rng.random() < 0.95:
            status = rng.choice((workflow.DONE, workflow.VISITED, workflow.ARCHIVED))
        batch.append({"number": f"{r.hotline}-{day:%Y%m%d}-{seq:04d}", "hotline": r.hotline, "day": day,
                      "seq": seq, "status": status, "drafted": {}, "created_at": r.created_at,
                      "updated_at": r.created_at, "deadline": day + timedelta(days=10),
                      "phone_key": phone_key(r.values["phone"]), **r.values,
                      "operator_id": str(1000 + i % 40)})
        if len(batch) == 5000 or i == len(rows) - 1:
            with engine.begin() as conn:
                conn.execute(insert(Ticket), batch)
            batch = []
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("ANALYZE"))  # the statistics a database in use has (PostgreSQL's autovacuum keeps them)


def split_units(rows) -> tuple[set[str], set[str]]:
    """Units alternately into two halves by their number of tickets: each half has big and small units."""
    by_volume = [u for u, _ in Counter(r.values["unit"] for r in rows).most_common()]
    return set(by_volume[0::2]), set(by_volume[1::2])


# --- precision and recall -------------------------------------------------------------------------------------


def candidates(engine, rows):
    """For each ticket: its matter, its unit, whether an earlier ticket of its matter is in the window (0: none,
    1: one of the same caller, 2: only others'), and every candidate the check looks at with (matter, score,
    the caller's own of the same unit or category, whether a similar account suffices, the ticket)."""
    matter_of_number = {}
    out = []
    with Session(engine) as session:
        tickets = list(session.scalars(select(Ticket).order_by(Ticket.created_at, Ticket.id)))
        by_time = {(t.created_at.replace(tzinfo=None), t.title, t.summary): t for t in tickets}
        first_seen: dict[int, list] = defaultdict(list)
        for r in rows:
            t = by_time[(r.created_at.replace(tzinfo=None), r.values["title"], r.values["summary"])]
            matter_of_number[t.number] = r.matter
            earlier = [phone for at, phone in first_seen[r.matter] if (r.created_at - at).days < WINDOW]
            kind = 0 if not earlier else 1 if r.values["phone"] in earlier else 2  # none, same caller, other
            first_seen[r.matter].append((r.created_at, r.values["phone"]))
            found = repeats.likely_repeats(session, t, days=WINDOW, limit=1000, thresholds=(0.0, 0.0))
            cands = [(matter_of_number[c.ticket.number], c.score, c.reason == "同一来电人", True, c.ticket)
                     for c in found]
            out.append((r.matter, t.unit, kind, t, cands))
    return out


def rescored(items, score):
    """The items with their candidates scored by ``score`` (the ticket, its candidates → scores) instead."""
    out = []
    for m, u, rep, t, cands in items:
        scores = score(t, [c[4] for c in cands])
        out.append((m, u, rep, t, [(cm, s, sc, su, c) for (cm, _, sc, su, c), s in zip(cands, scores, strict=True)]))
    return out


def cosine_alone(t, cands):
    """The bigram TF-IDF cosine over the candidates, without the particulars."""
    return similarities(grams(account(t)), [grams(account(c)) for c in cands])


def pairwise(score):
    return lambda t, cands: [score(t, c) for c in cands]


def tops(items) -> list[tuple]:
    """Per ticket: its matter, whether it repeats, the best of the caller's own candidates of the same unit or
    category and the best of all as (score, matter) — all that flagging at any thresholds depends on."""
    out = []
    for matter, _unit, is_repeat, _ticket, cands in items:
        caller = max(((s, cm) for cm, s, sc, _, _ in cands if sc), default=None)
        unit = max(((s, cm) for cm, s, _, su, _ in cands if su), default=None)
        out.append((matter, is_repeat, caller, unit))
    return out


def judge(best, caller_t: float, account_t: float) -> tuple[float, float, int, int, float, float]:
    """Precision and recall of flagging at these thresholds (``best`` from ``tops``), the flags and repeats
    counted, and the recall of repeats by the same caller and of those by someone else."""
    flags = right = 0
    found, repeats_n = Counter(), Counter()
    for matter, kind, caller, unit in best:
        repeats_n[kind] += 1
        kept = [c for c, t in ((caller, caller_t), (unit, account_t)) if c is not None and c[0] >= t]
        if kept:
            flags += 1
            hit = max(kept)[1] == matter
            right += hit
            found[kind] += hit and kind > 0
    n = repeats_n[1] + repeats_n[2]
    share = [found[k] / repeats_n[k] if repeats_n[k] else 1.0 for k in (1, 2)]
    return (right / flags if flags else 1.0), (found[1] + found[2]) / n if n else 1.0, flags, n, *share


def choose(items) -> tuple[float, float]:
    """The thresholds of highest recall with precision ≥ 0.93 on ``items`` (a grid of 0.02)."""
    grid = [i / 50 for i in range(51)]
    best = None
    for ct in grid:
        for at in grid:
            if at < ct:
                continue
            p, r, *_ = judge(items, ct, at)
            key = (p >= 0.93, r, p)
            if best is None or key > best[0]:
                best = (key, ct, at)
    return best[1], best[2]


def rapidfuzz_score():
    """The plain alternative: rapidfuzz's token-set ratio over jieba words, 0–1."""
    import jieba
    from rapidfuzz import fuzz

    jieba.setLogLevel(60)
    cache = {}

    def words(t):
        if t.id not in cache:
            cache[t.id] = " ".join(w for w in jieba.lcut(account(t)) if w.strip("，。：、 "))
        return cache[t.id]

    return pairwise(lambda a, b: fuzz.token_set_ratio(words(a), words(b)) / 100)


def unigram_score():
    """Character unigrams and bigrams with the same pool-free weighting as the shipped measure (two documents)."""
    def g(t):
        text = account(t)
        return grams(text) | frozenset(c for c in text if c.strip("，。：、 "))

    return pairwise(lambda a, b: similarities(g(a), [g(b)])[0])


def accuracy(args) -> list[str]:
    rows = archive(args.tickets, seed=args.seed)
    folder = Path(tempfile.mkdtemp(prefix="bench-repeats-"))
    engine = fresh(f"sqlite:///{folder / 'archive.db'}")
    load(engine, rows)
    items = candidates(engine, rows)
    train_units, test_units = split_units(rows)
    train = [i for i in items if i[1] in train_units]
    test = [i for i in items if i[1] in test_units]
    kinds = Counter(i[2] for i in items)
    lines = [f"{len(rows)} tickets, {len({r.matter for r in rows})} matters; {kinds[1] + kinds[2]} tickets repeat "
             f"a matter filed in the {WINDOW} days before ({kinds[1]} by the same caller, {kinds[2]} only by "
             f"others); training units {len(train_units)} ({len(train)} tickets), held-out units "
             f"{len(test_units)} ({len(test)} tickets)", "",
             "| measure | thresholds (caller's own of the unit or category / any) | training P / R "
             "| held-out precision "
             "| held-out recall | recall: same caller / others | held-out flags / repeats |",
             "|---|---|---|---|---|---|---|"]
    shipped = (repeats.CALLER_THRESHOLD, repeats.ACCOUNT_THRESHOLD)
    measures = [("bigram TF-IDF cosine over the candidates, weighed with particulars (shipped)", None, shipped),
                ("the same, thresholds chosen on the training half", None, None),
                ("the cosine alone, without the particulars", cosine_alone, None),
                ("unigram+bigram cosine of the pair alone", unigram_score(), None),
                ("rapidfuzz token-set ratio over jieba words", rapidfuzz_score(), None),
                ("no text: the caller's open ticket of the same unit or category", None, (0.0, 2.0))]
    for name, score, chosen in measures:
        train_s, test_s = (tops(rescored(half, score) if score else half) for half in (train, test))
        ct, at = chosen or choose(train_s)
        pt, rt, *_ = judge(train_s, ct, at)
        p, r, flags, n, same, others = judge(test_s, ct, at)
        shown = "–" if at > 1 else f"{ct:.2f} / {at:.2f}"
        lines.append(f"| {name} | {shown} | {pt:.3f} / {rt:.3f} | {p:.3f} | {r:.3f} | {same:.3f} / {others:.3f} "
                     f"| {flags} / {n} |")
    engine.dispose()
    return lines


# --- time of the check on a new call --------------------------------------------------------------------------


def timing(args) -> list[str]:
    rows = archive(args.big + args.checks, seed=args.seed + 1, days=365)
    stored, new = rows[:args.big], rows[args.big:]
    folder = Path(tempfile.mkdtemp(prefix="bench-repeats-"))
    engines = {"SQLite": f"sqlite:///{folder / 'big.db'}", "PostgreSQL": args.pg}
    lines = [f"{args.big:,} tickets of a year (95 % of those older than 20 days closed), analysed; {len(new)} "
             "new calls checked, "
             "a fresh session each (ms)", "", "| | SQLite median | SQLite p95 | PostgreSQL median | PostgreSQL p95 |",
             "|---|---|---|---|---|"]
    results = {}
    for name, url in engines.items():
        engine = fresh(url)
        load(engine, stored, closed_before=stored[-1].created_at - timedelta(days=20))
        for r in new[:10]:  # warm the caches as a console that has been open a while
            with Session(engine) as session:
                repeats.likely_repeats(session, r.values, now=r.created_at)
        times = defaultdict(list)
        flagged = 0
        for r in new:
            t0 = time.perf_counter()
            with Session(engine) as session:
                repeats.earlier_tickets(session, r.values["phone"], days=WINDOW, now=r.created_at)
                t1 = time.perf_counter()
                flagged += bool(repeats.likely_repeats(session, r.values, days=WINDOW, now=r.created_at))
            t2 = time.perf_counter()
            times["earlier tickets"].append((t1 - t0) * 1000)
            times["likely repeats"].append((t2 - t1) * 1000)
            times["both (the check on a new call)"].append((t2 - t0) * 1000)
        results[name] = times
        engine.dispose()
    for what in results["SQLite"]:
        cells = []
        for name in engines:
            values = sorted(results[name][what])
            cells += [f"{statistics.median(values):.1f}", f"{values[int(0.95 * (len(values) - 1))]:.1f}"]
        lines.append(f"| {what} | " + " | ".join(cells) + " |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tickets", type=int, default=2400)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--big", type=int, default=100_000)
    parser.add_argument("--checks", type=int, default=200)
    parser.add_argument("--pg", default="postgresql+psycopg://postgres@127.0.0.1:5432/hotline_bench_repeats",
                        help="created if missing; dropped and recreated")
    parser.add_argument("--skip-timing", action="store_true")
    args = parser.parse_args()
    print("\n".join(accuracy(args)))
    if not args.skip_timing:
        print()
        print("\n".join(timing(args)))


if __name__ == "__main__":
    main()

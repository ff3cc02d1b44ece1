"""Which items rose last week: an exact test on two counts, not a percentage threshold.

A bare threshold (“up 50%”) flags 2 → 3 tickets and misses 200 → 260. Tickets of one kind arriving at a steady
rate are Poisson counts; given the total of two weeks of equal length, this week's count is then binomial with
p = ½ (the conditional test for two Poisson rates). An item is flagged as rising when, under that steady rate,
a count at least as high as this week's would come up less than once in a hundred (one-sided p < 0.01) and the
week had at least five tickets: the count a supervisor can act on, and below which the test has little power.
The rule is printed in the report beside the table (``RULE``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

ALPHA = 0.01
MIN_COUNT = 5
RULE = (f"上升判定：最近 7 天与之前 7 天比较。假定两周发生率相同，则在两周合计件数已知时本周件数服从 p=½ 的二项分布"
        f"（两个泊松计数的条件检验）；本周件数不少于 {MIN_COUNT} 件、且出现本周这么多或更多的概率 p < {ALPHA} "
        "（单侧）时标记为“上升”。")


@dataclass(frozen=True)
class Change:
    item: str
    this_week: int
    last_week: int
    p: float  # one-sided: P(this week ≥ observed | steady rate)

    @property
    def change(self) -> int:
        return self.this_week - self.last_week

    @property
    def ratio(self) -> float | None:
        """This week over last week, minus one (+0.5 = half as many again); None when last week had none."""
        return self.this_week / self.last_week - 1 if self.last_week else None

    @property
    def rising(self) -> bool:
        return self.this_week >= MIN_COUNT and self.p < ALPHA


def p_rising(this_week: int, last_week: int) -> float:
    """P(X ≥ this_week) for X ~ Binomial(this_week + last_week, ½): how often a steady rate gives this much.

    Summed exactly in logarithms (a week's counts are at most a few thousand): the standard library does it in
    microseconds, where importing scipy for it took a third of a second of every report."""
    if this_week <= 0:
        return 1.0
    n = this_week + last_week
    log_half = n * math.log(0.5)
    terms = [math.exp(math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1) + log_half)
             for k in range(this_week, n + 1)]
    return min(1.0, math.fsum(terms))


def changes(counts: dict[str, tuple[int, int]]) -> list[Change]:
    """Each item's change, the rising ones first (smallest p), then the largest increase."""
    out = [Change(item, now, before, p_rising(now, before)) for item, (now, before) in counts.items()]
    return sorted(out, key=lambda c: (not c.rising, c.p if c.rising else 0, -c.change, c.item))

"""Quality checklist of a call, filled from the transcript; a supervisor confirms or overrides each item.

The four things every hotline checks: the operator greets with the hotline and staff number, reads the
phone number back, confirms the caller's demand, and closes by saying when the caller will hear back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.centre import Script, active_centre
from assistant.draft.extract.phone import PHONE
from assistant.draft.text import Turn
from assistant.transcript.model import Speaker

CHECKS = (
    ("greeting", "开场问候并报工号"),
    ("phone_readback", "复述并确认联系电话"),
    ("demand_confirmed", "复述诉求并得到确认"),
    ("closing_time_limit", "结束时告知办理时限"),
)


def _greeting(script: Script) -> re.Pattern:
    """A greeting naming one of the centre's hotlines (by number or name, or as 热线) and a staff number."""
    said = sorted({*(h.number for h in script.hotlines), *(n for h in script.hotlines for n in h.names), "热线"},
                  key=len, reverse=True)
    names = "|".join(map(re.escape, said))
    return re.compile(rf"(您好|你好|早上好|下午好|晚上好).{{0,20}}({names}).{{0,12}}工号\s*\d{{3,}}")


_TIME_LIMIT = re.compile(r"(\d+|[一二三四五六七八九十两]+)\s*(个)?(工作日|小时|天)内|今天内|尽快|马上")


@dataclass(frozen=True)
class CheckResult:
    key: str
    label: str
    passed: bool
    evidence: str  # the operator's words that satisfy it, or why not


def run_checks(turns: list[Turn], script: Script | None = None) -> list[CheckResult]:
    """The checklist of a call to the centre whose script is ``script`` (by default the centre in use)."""
    ops = [t for t in turns if t.speaker == Speaker.OPERATOR]
    results = []
    first = ops[0].text if ops else ""
    m = _greeting(script or active_centre().script).search(first)
    results.append(CheckResult("greeting", CHECKS[0][1], bool(m), m.group(0) if m else "开场未报热线和工号"))
    readback = next((t for t in ops if PHONE.search(t.text) and t.confirmed), None)
    results.append(CheckResult("phone_readback", CHECKS[1][1], readback is not None,
                               readback.text[:40] if readback else "未复述电话或来电人未确认"))
    confirmed = next((t for t in ops if t.readback and t.confirmed), None)
    results.append(CheckResult("demand_confirmed", CHECKS[2][1], confirmed is not None,
                               confirmed.text[:40] if confirmed else "未复述诉求或来电人未确认"))
    closing = next((t for t in reversed(ops[-2:]) if _TIME_LIMIT.search(t.text)), None)
    results.append(CheckResult("closing_time_limit", CHECKS[3][1], closing is not None,
                               closing.text[:40] if closing else "结束时未告知时限"))
    return results

"""Quality checklist of a call, judged from what was said; a supervisor confirms or overrides each item.

The four things every hotline checks: the operator greets with the hotline and staff number, reads the phone
number back, confirms the caller's demand, and closes by saying when the caller will hear back. Each check is
one module of ``checks/`` fed by the centre's script (the greeting template, the staff number's length, the
hotlines' numbers and names, the phrases), so a centre's own wording and order pass without a change here; each
returns the words that decided it and where they were said, so the supervisor sees why. Measured against calls
a person marked: ``bench/qa.py``, figures in docs/benchmarks.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.centre import Script, active_centre
from assistant.draft.extract.readback import mark_readbacks
from assistant.draft.text import Turn
from assistant.review.checks.closing import check_closing
from assistant.review.checks.greeting import check_greeting
from assistant.review.checks.readback import check_demand, check_phone

CHECKS = (
    ("greeting", "开场问候并报工号"),
    ("phone_readback", "复述并确认联系电话"),
    ("demand_confirmed", "复述诉求并得到确认"),
    ("closing_time_limit", "结束时告知办理时限"),
)
LABELS = dict(CHECKS)


@dataclass(frozen=True)
class CheckResult:
    key: str
    label: str
    passed: bool
    evidence: str  # the operator's words that satisfy it, or what is missing
    segment: int | None = None  # the transcript segment the evidence was said in

    @property
    def shown(self) -> str:
        """The evidence with where it was said, as the supervisor reads it (第 3 句：…)."""
        return f"第 {self.segment + 1} 句：{self.evidence}" if self.segment is not None else self.evidence


def run_checks(turns: list[Turn], script: Script | None = None,
               appeal_types: tuple[str, ...] | None = None) -> list[CheckResult]:
    """The checklist of a call to the centre whose script is ``script`` (by default the centre in use);
    ``appeal_types`` are the taxonomy's appeal types, words a restated demand may use (by default the centre's)."""
    if script is None or appeal_types is None:
        centre = active_centre()
        script = script or centre.script
        appeal_types = centre.taxonomy.labels("appeal_type") if appeal_types is None else appeal_types
    turns = mark_readbacks(turns)  # what drafting takes for a read-back, the checklist takes too
    judged = {
        "greeting": check_greeting(turns, script),
        "phone_readback": check_phone(turns, script),
        "demand_confirmed": check_demand(turns, script, appeal_types),
        "closing_time_limit": check_closing(turns, script),
    }
    return [CheckResult(key, label, passed, evidence, said.segment if said else None)
            for key, label in CHECKS for passed, evidence, said in [judged[key]]]

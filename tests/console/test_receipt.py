"""The receipt sentence: the centre's template filled in, the deadline said as a person says a date."""

from datetime import date

import pytest

from assistant.centre import active_centre
from assistant.console.receipt import NO_DEADLINE, receipt, spoken_date

TODAY = date(2026, 12, 7)


@pytest.mark.parametrize(("day", "said"), [
    (date(2026, 12, 9), "12月9日"),
    (date(2026, 12, 31), "12月31日"),
    (date(2027, 1, 5), "2027年1月5日"),  # another year: the year is said too
    (date(2025, 3, 1), "2025年3月1日"),
])
def test_a_deadline_is_said_as_a_date(day, said):
    assert spoken_date(day, TODAY) == said


@pytest.mark.parametrize(("template", "deadline", "solved", "sentence"), [
    ("您的工单编号是{number}，我们会在{deadline}前给您答复。", date(2026, 12, 9), False,
     "您的工单编号是12320-20261207-0003，我们会在12月9日前给您答复。"),
    ("请记下编号{number}，{hotline}热线会在{deadline}前回复。", date(2027, 1, 4), False,
     "请记下编号12320-20261207-0003，12320热线会在2027年1月4日前回复。"),
    ("您的工单编号是{number}，我们会在{deadline}前给您答复。", None, False,
     f"您的工单编号是12320-20261207-0003，我们会在{NO_DEADLINE}前给您答复。"),
    ("", date(2026, 12, 9), False, "您的工单编号是12320-20261207-0003。"),  # a centre without a template
    ("您的工单编号是{number}，我们会在{deadline}前给您答复。", date(2026, 12, 9), True,
     "您的工单编号是12320-20261207-0003。"),  # solved on the call: no deadline to promise
])
def test_the_receipt_sentence(template, deadline, solved, sentence):
    made = receipt(template, number="12320-20261207-0003", deadline=deadline, hotline="12320", today=TODAY,
                   solved=solved)
    assert made.sentence == sentence and made.number == "12320-20261207-0003" and made.solved == solved


def test_the_demo_centres_template_fills_in():
    template = active_centre().script.receipt
    made = receipt(template, number="12320-20261207-0003", deadline=date(2026, 12, 9), hotline="12320",
                   today=TODAY)
    assert "12320-20261207-0003" in made.sentence and "12月9日" in made.sentence and "{" not in made.sentence

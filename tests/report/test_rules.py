"""The two rules the report states: when an item is rising, and how a location is placed."""

from __future__ import annotations

import pytest
from scipy.stats import binomtest

from assistant.report.places import Places
from assistant.report.rising import ALPHA, MIN_COUNT, Change, changes, p_rising


@pytest.mark.parametrize(("now", "before"), [(1, 0), (5, 0), (7, 0), (12, 8), (30, 5), (48, 11), (140, 100),
                                             (900, 1000), (2500, 2300), (0, 4)])
def test_the_p_value_is_the_exact_binomial_tail(now, before):
    expected = binomtest(now, now + before, 0.5, alternative="greater").pvalue if now else 1.0
    assert p_rising(now, before) == pytest.approx(expected, rel=1e-9, abs=1e-300)


@pytest.mark.parametrize(("now", "before", "rising"), [
    (7, 0, True),      # p = 1/128: few, but none the week before
    (6, 0, False),     # p = 1/64 is not below 0.01
    (4, 0, False),     # below the minimum count, whatever p is
    (30, 12, True),
    (30, 20, False),   # up half again, yet within a steady rate's variation
    (260, 200, True),  # up 30%: a bare “+50%” threshold would miss it
    (3, 1, False),     # up 200%: a bare threshold would flag it
    (10, 10, False),
    (5, 20, False),
])
def test_which_changes_are_flagged(now, before, rising):
    change = Change("甲", now, before, p_rising(now, before))
    assert change.rising is rising
    assert change.rising == (now >= MIN_COUNT and change.p < ALPHA)


def test_rising_items_come_first():
    found = changes({"平稳": (20, 20), "上升": (40, 10), "略升": (12, 8), "下降": (3, 15)})
    assert [c.item for c in found] == ["上升", "略升", "平稳", "下降"]
    assert found[0].rising and found[0].ratio == 3.0 and found[0].change == 30


DIRECTORY = [("北岸人民医院", "江北区"), ("南湖社区卫生服务中心", "江南区"), ("市卫生健康委员会", "市直")]


@pytest.mark.parametrize(("location", "unit", "district", "street"), [
    ("江北区滨江路口的药店", None, "江北区", "滨江路"),
    ("临江市江南区南门大街88号", None, "江南区", "南门大街"),
    ("江南区清溪镇卫生院旁边", None, "江南区", "清溪镇"),
    ("东湖街道幸福小区", "南湖社区卫生服务中心", "江南区", "东湖街道"),  # no district written: the unit's
    ("医院门口", "北岸人民医院", "江北区", "（未写街道）"),
    ("青松区松涛路", None, "青松区", "松涛路"),  # a district the directory lacks, said in full
    ("松涛路12号", None, "（区县不详）", "松涛路"),
    ("幸福社区门口", None, "（区县不详）", "幸福社区"),  # 社区 is no district
    ("柳林村村委会", "市卫生健康委员会", "（区县不详）", "柳林村"),  # a city-wide unit gives no district
    ("家里", None, "（地点不详）", ""),
    (None, None, "（地点不详）", ""),
    ("  ", "北岸人民医院", "江北区", "（未写街道）"),
])
def test_locations_are_placed_by_district_and_street(location, unit, district, street):
    place = Places(DIRECTORY, "市直").place(location, unit)
    assert (place.district, place.street) == (district, street)


def test_a_street_takes_the_district_it_is_written_with_in_the_other_complaints():
    places = Places(DIRECTORY, "市直")
    found = Places.settle([places.place(loc, unit) for loc, unit in (
        ("青松区松涛路", None), ("松涛路12号", None),
        ("松涛路口", "南湖社区卫生服务中心"),  # where the street lies beats the unit's district
        ("南门大街口", None), ("江南区南门大街", None), ("江北区南门大街", None),
        ("白石镇", None), ("白石镇东", "北岸人民医院"))])
    assert [(p.district, p.street) for p in found] == [
        ("青松区", "松涛路"), ("青松区", "松涛路"), ("青松区", "松涛路"),
        ("（区县不详）", "南门大街"),  # a street written with two districts stays as it was
        ("江南区", "南门大街"), ("江北区", "南门大街"),
        ("（区县不详）", "白石镇"), ("江北区", "白石镇")]  # never written with a district: the unit's, or none

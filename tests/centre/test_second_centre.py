"""A second centre beside the demo one: the 青川市 12345 example profile (examples/centres/qingchuan-12345),
copied with ``hotline centre init --from``, trained from its seed data and used to draft calls about unpaid
wages, a bus that skips a stop, a noisy night market and a burst water main; the demo centre drafts the same
calls into its own health labels, and the copy refuses a model trained on the demo taxonomy.

Training is real (scikit-learn on the example's seed data), once for the module.
"""

from __future__ import annotations

import json
import shutil

import pytest

from assistant.centre import load_centre, shipped_centre_folder
from assistant.classify.versions import active_version
from assistant.lexicon.units import load_units
from tests.conftest import ROOT, run_hotline

pytestmark = pytest.mark.slow  # trains three classifiers

EXAMPLE = ROOT / "examples" / "centres" / "qingchuan-12345"
DEMO_VERSION = active_version(shipped_centre_folder() / "models", "category")
ENV = {"HOTLINE_DB": "", "HOTLINE_UNITS": ""}

# Calls as the operator and the caller said them, one list of (speaker, text) per call.
CALLS = {
    "wages": [
        ("op", "您好，青川12345政务服务便民热线，工号20417，请问您遇到了什么问题"),
        ("caller", "我在松岭区桐林路那个安置房工地干木工，从去年十月干到现在，老板一直说年底结账，"
                   "现在年都过完了钱还没给"),
        ("op", "拖欠了多少钱？您跟他签过合同没有？"),
        ("caller", "一共欠我三万六，没签合同，是老乡介绍过去的，工地上还有二十几个人也一样没拿到"),
        ("op", "请问您怎么称呼，留个联系电话"),
        ("caller", "我姓郑，电话15873402619"),
        ("op", "郑先生，我跟您确认一下：您在松岭区桐林路安置房工地做木工，包工头拖欠您和二十多名工友的工资，"
               "您本人被欠三万六千元，您要求尽快结清工资，对吗？"),
        ("caller", "对对，就是这样"),
        ("op", "好的，工单转交市人社局劳动监察部门处理，十五个工作日内由承办单位回电，请保持电话畅通。"),
    ],
    "bus": [
        ("op", "您好，青川12345政务服务便民热线，工号31052，请问您遇到了什么问题"),
        ("caller", "我要投诉十五路公交车，我每天早上在河西区青石路口那个站等车，这个礼拜有三次车子根本不靠站，"
                   "直接就开过去了"),
        ("op", "大概是几点钟的车？"),
        ("caller", "七点二十左右那班，我们好几个人在站台上招手，司机看都不看，我上班都迟到了"),
        ("op", "车牌号您记得吗？"),
        ("caller", "车牌没看清，反正是十五路的，你们让公交公司好好管管这些司机"),
        ("op", "好的，我核对一下：您反映十五路公交车早上七点二十左右在青石路口站多次不停靠，"
               "您要求公交公司对司机进行处理，对吗？"),
        ("caller", "对"),
        ("op", "好的，我们会尽快派单，承办单位五个工作日内回电。"),
    ],
    "market": [
        ("op", "您好，青川12345政务服务便民热线，工号20988，请问您遇到了什么问题"),
        ("caller", "你好，我住新港区海棠街道的滨江花园，楼下那条街开了个夜市，每天晚上吵到一两点，喇叭叫卖还放歌，"
                   "噪音特别大，根本没法睡觉"),
        ("op", "这种情况持续多久了？"),
        ("caller", "快两个月了，我们下去找过摊主，人家根本不理，我老母亲血压高，天天睡不好"),
        ("op", "请问怎么称呼您？"),
        ("caller", "我姓韩"),
        ("op", "韩女士，我确认一下：您反映新港区滨江花园楼下夜市每晚经营到凌晨一两点，叫卖和音乐声音很大，影响休息，"
               "您希望晚上十点以后不要再这么吵，对吗？"),
        ("caller", "是的"),
        ("op", "好的，我们会尽快派单处理，请保持电话畅通。"),
    ],
    "pipe": [
        ("op", "您好，青川12345政务服务便民热线，工号20417，请问您遇到了什么问题"),
        ("caller", "我们小区门口的自来水管爆了，水现在还在往外冒，路面都淹了，自来水公司的电话一直打不通"),
        ("op", "是哪个小区，具体位置在哪？"),
        ("caller", "河西区青石街道的枫林苑，东门那里，水都流到马路上了，车子都不敢过"),
        ("op", "好的，按紧急工单处理，我们马上通知自来水公司派人过去抢修，请您注意安全。"),
    ],
    "leak": [
        ("op", "您好，青川12345政务服务便民热线，工号31052，请问您遇到了什么问题"),
        ("caller", "我家楼上卫生间漏水，天花板都泡坏了，现在还在往下渗，楼上那家人一直联系不上"),
        ("op", "这个情况多久了？物业那边去看过没有？"),
        ("caller", "有一个多月了，物业说他们进不了楼上的门，也没办法"),
        ("op", "好的，我记录一下：您反映楼上住户卫生间漏水，渗到您家天花板，物业无法处理，"
               "您希望有关部门帮忙协调维修，对吗？"),
        ("caller", "对"),
        ("op", "好的，我们会派单处理，请保持电话畅通。"),
    ],
}

# What each call is about and where it goes: the operator naming the unit (市人社局), the service unit the caller
# names when it handles the category (公交公司, 自来水公司), the street office of the caller's neighbourhood
# (海棠街道), else the city department that handles the category.
EXPECTED = [
    ("wages", "劳动和社会保障", "青川市人力资源和社会保障局", "一般"),
    ("bus", "交通运输", "青川市公共交通集团有限公司", "一般"),
    ("market", "生态环境", "新港区海棠街道办事处", "一般"),
    ("pipe", "城乡建设", "青川水务集团有限公司", "紧急"),
    ("leak", "城乡建设", "青川市住房和城乡建设局", None),  # its urgency: test_a_leak_still_seeping_is_not_urgent
]


def hotline(centre, *args):
    return run_hotline("--centre", str(centre), *args, env=ENV, timeout=600)


def errors(done) -> list[str]:
    return [line for line in (done.stdout + done.stderr).splitlines() if line.startswith("错误：")]


@pytest.fixture(scope="module")
def qingchuan(tmp_path_factory):
    """The example copied into a folder of the test's own and trained from its seed data."""
    folder = tmp_path_factory.mktemp("centres") / "青川12345"
    done = run_hotline("centre", "init", str(folder), "--from", str(EXAMPLE), env=ENV, timeout=120)
    assert done.returncode == 0, done.stderr
    trained = hotline(folder, "train")
    assert trained.returncode == 0, trained.stderr
    return folder


@pytest.fixture(scope="module")
def transcripts(tmp_path_factory) -> list[str]:
    """The calls as `hotline transcribe` writes them, one JSON file each, in the order of EXPECTED."""
    folder = tmp_path_factory.mktemp("calls")
    paths = []
    for call_id, _, _, _ in EXPECTED:
        segments, start = [], 0.0
        for speaker, text in CALLS[call_id]:
            end = start + max(1.5, 0.22 * len(text))
            segments.append({"speaker": speaker, "start": round(start, 2), "end": round(end, 2), "text": text})
            start = end + 0.4
        path = folder / f"{call_id}.json"
        path.write_text(json.dumps({"id": call_id, "source": "", "duration": round(start, 2), "channels": "op-left",
                                    "segments": segments}, ensure_ascii=False), encoding="utf-8")
        paths.append(str(path))
    return paths


def drafted(done) -> dict[str, dict]:
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line["id"] for line in lines] == [call_id for call_id, _, _, _ in EXPECTED]
    return {line["id"]: line["ticket"] for line in lines}


@pytest.fixture(scope="module")
def tickets(qingchuan, transcripts) -> dict[str, dict]:
    return drafted(hotline(qingchuan, "draft", *transcripts))


def test_the_untrained_example_lacks_only_its_models():
    done = run_hotline("--centre", str(EXAMPLE), "centre", "check", env=ENV, timeout=120)
    assert all("模型" in line for line in errors(done)), done.stdout
    assert not (EXAMPLE / "models").exists()  # the example ships no trained models


def test_the_trained_copy_passes_the_check(qingchuan):
    done = hotline(qingchuan, "centre", "check")
    assert done.returncode == 0 and not errors(done), done.stdout + done.stderr
    assert "没有错误" in done.stdout


@pytest.mark.parametrize(("call_id", "category", "unit", "urgency"), EXPECTED)
def test_a_call_gets_the_centres_labels_and_unit(qingchuan, tickets, call_id, category, unit, urgency):
    centre = load_centre(qingchuan)
    ticket = tickets[call_id]
    for field in ("appeal_type", "category", "urgency"):
        assert ticket[field] in centre.taxonomy.labels(field), (field, ticket[field])
    assert ticket["unit"] in {u.name for u in load_units(centre.units_path).units}
    assert (ticket["category"], ticket["unit"]) == (category, unit)
    if urgency is not None:
        assert ticket["urgency"] == urgency


def test_a_leak_still_seeping_is_not_urgent(tickets):
    """The dangers that make a call urgent are the centre's (its taxonomy's urgent cues): water seeping through a
    ceiling is no danger to a 12345 centre, as blood seeping is to a 12320 one."""
    assert tickets["leak"]["urgency"] == "一般"


def test_the_demo_centre_drafts_the_same_calls_into_its_own_labels(transcripts, tickets):
    demo = load_centre(shipped_centre_folder())
    own = {u.name for u in load_units(demo.units_path).units}
    for call_id, ticket in drafted(run_hotline("draft", *transcripts, env=ENV, timeout=600)).items():
        for field in ("appeal_type", "category", "urgency"):
            assert ticket[field] in demo.taxonomy.labels(field), (call_id, field, ticket[field])
        assert ticket["category"] != tickets[call_id]["category"]
        assert ticket["unit"] is None or ticket["unit"] in own


def test_a_model_trained_on_the_demo_taxonomy_is_refused(qingchuan, tmp_path):
    centre = tmp_path / "青川"
    shutil.copytree(qingchuan, centre)
    root = centre / "models"
    own = active_version(root, "category")
    shutil.copytree(shipped_centre_folder() / "models" / "category" / DEMO_VERSION, root / "category" / DEMO_VERSION)

    done = hotline(centre, "models", "use", DEMO_VERSION, "--field", "category")
    assert done.returncode != 0 and active_version(root, "category") == own
    [line] = errors(done)
    assert "taxonomy.toml" in line and "城乡建设" in line and "急救服务" in line

    (root / "category" / "ACTIVE").write_text(DEMO_VERSION + "\n", encoding="utf-8")  # as a hand edit would
    path = tmp_path / "call.json"
    path.write_text(json.dumps({"id": "x", "segments": [{"speaker": "caller", "start": 0, "end": 2,
                                                         "text": "楼下夜市太吵了"}]}), encoding="utf-8")
    done = hotline(centre, "draft", str(path))
    assert done.returncode != 0 and not done.stdout
    [line] = errors(done)
    assert "taxonomy.toml" in line and DEMO_VERSION in line

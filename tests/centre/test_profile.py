"""The centre profile: what it holds, how a command finds it, and `hotline centre init|show|check` naming the
file, line and problem of anything the program cannot use."""

from __future__ import annotations

import json
import shutil

import pytest

from assistant.centre import load_centre, shipped_centre_folder
from assistant.centre.setup import init_centre
from assistant.errors import ConfigError
from tests.conftest import run_hotline


@pytest.fixture
def centre(tmp_path):
    """A centre's own profile, copied from the demo centre."""
    return init_centre(tmp_path / "本中心")


def hotline(centre, *args, **env):
    return run_hotline("--centre", str(centre), *args, env={"HOTLINE_DB": "", "HOTLINE_UNITS": "", **env},
                       timeout=120)


def test_the_demo_centre_is_the_default_and_holds_every_part():
    demo = load_centre(shipped_centre_folder())
    assert demo.shipped and demo.units_path.is_file() and demo.deadlines_path.is_file()
    assert [h.number for h in demo.script.hotlines] == ["12320", "12345"]
    assert demo.script.names_of("12320")[0] == "卫生健康热线"
    assert demo.taxonomy.labels("appeal_type")[:3] == ("投诉", "举报", "咨询")
    assert demo.taxonomy.urgent == "紧急"
    assert all(label.description for name in ("appeal_type", "category", "urgency")
               for label in demo.taxonomy[name].labels)


def test_init_copies_a_profile_and_refuses_to_overwrite_one(centre):
    assert not load_centre(centre).shipped
    assert (centre / "models" / "category" / "ACTIVE").is_file()
    with pytest.raises(ConfigError, match="已有中心配置"):
        init_centre(centre)


def test_the_centre_flag_and_the_home_profile_are_found(tmp_path, centre):
    from assistant.centre import centre_folder

    assert centre_folder(centre) == centre
    home = tmp_path / "home"
    init_centre(home / "centre")
    done = run_hotline("centre", "show", env={"HOTLINE_HOME": str(home), "HOTLINE_CENTRE": ""}, timeout=120)
    assert done.returncode == 0, done.stderr
    assert f"目录：{home / 'centre'}" in done.stdout and "内置演示中心" not in done.stdout


def test_show_lists_hotlines_labels_units_and_models(centre):
    done = hotline(centre, "centre", "show")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "12320 卫生健康热线" in out and "工号位数：4" in out
    assert "问题分类（16）" in out and "承办单位：10 个" in out
    assert "模型 category：seed-" in out


def test_a_clean_profile_checks_clean(centre):
    done = hotline(centre, "centre", "check")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "没有错误" in done.stdout


def errors(done) -> list[str]:
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    return [line for line in done.stdout.splitlines() if line.startswith("错误：")]


def test_an_unknown_label_in_handles_and_an_unknown_kind_are_named_by_line(centre):
    units = centre / "units.csv"
    units.write_text(units.read_text(encoding="utf-8")
                     + "临江市园林局,园林局,园林绿化部门,市直,绿化养护\n", encoding="utf-8")
    found = errors(hotline(centre, "centre", "check"))
    line = len(units.read_text(encoding="utf-8").splitlines())
    assert any(f"{units} 第 {line} 行 临江市园林局" in e and "“绿化养护”" in e for e in found), found
    assert any(f"第 {line} 行" in e and "单位类型“园林绿化部门”没有任何规则认识" in e for e in found), found


def test_a_model_trained_on_another_taxonomy_is_named(centre):
    taxonomy = centre / "taxonomy.toml"
    text = taxonomy.read_text(encoding="utf-8")
    taxonomy.write_text(text.replace('name = "母婴保健"', 'name = "妇幼健康"'), encoding="utf-8")
    found = errors(hotline(centre, "centre", "check"))
    assert any("category" in e and "另一套分类" in e and "母婴保健" in e and "妇幼健康" in e for e in found), found
    # … and drafting with it is refused in one line
    transcript = centre.parent / "t.json"
    transcript.write_text(json.dumps({"id": "t", "segments": [
        {"speaker": "caller", "start": 0, "end": 2, "text": "我想问一下出生证明怎么办。"}]}, ensure_ascii=False),
        encoding="utf-8")
    done = hotline(centre, "draft", str(transcript))
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.startswith("错误：模型") and "分类体系" in done.stderr, done.stderr


@pytest.mark.parametrize(("file", "old", "new", "said"), [
    ("centre.toml", "staff_number_digits = 4", "staff_number_digits = 0", "staff_number_digits"),
    ("centre.toml", 'number = "12320"', 'number = "12A20"', "热线号码"),
    ("centre.toml", 'receipt = "您的工单编号是{number}', 'receipt = "您的工单编号是{ticket}', "{ticket}"),
    ("taxonomy.toml", 'cues = ["举报", "检举", "揭发"]', 'cues = ["举报(", "检举"]', "正则"),
    ("taxonomy.toml", "urgent = true", "urgent = false", "urgent = true"),
    ("taxonomy.toml", 'name = "表扬"', 'name = "投诉"', "重复"),
    ("centre.toml", "name_forms]", "name_forms", "TOML"),
])
def test_a_wrong_profile_value_names_the_file_and_the_problem(centre, file, old, new, said):
    path = centre / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    found = errors(hotline(centre, "centre", "check"))
    assert len(found) == 1 and str(path) in found[0] and said in found[0], found
    # every other command says the same in one line, instead of a traceback
    done = hotline(centre, "units", "list")
    assert done.returncode == 2 and done.stderr.startswith("错误：") and str(path) in done.stderr, done.stderr


def test_a_deadline_rule_for_an_appeal_type_the_taxonomy_lacks_is_an_error(centre):
    path = centre / "deadlines.toml"
    path.write_text(path.read_text(encoding="utf-8") + '"催办" = 3\n', encoding="utf-8")
    found = errors(hotline(centre, "centre", "check"))
    assert any(str(path) in e and "“催办”" in e and "诉求类型" in e for e in found), found


def test_seed_data_with_a_label_the_taxonomy_lacks_is_named_by_line(centre):
    path = centre / "training" / "seed.tsv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.append(seed_row(lines[0], category="物业管理"))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = errors(hotline(centre, "centre", "check"))
    assert any(f"第 {len(lines)} 行" in e and "“物业管理”" in e for e in found), found


def test_a_missing_profile_is_one_line():
    done = run_hotline("--centre", "/nonexistent/中心", "centre", "show", timeout=120)
    assert done.returncode == 2 and done.stderr.startswith("错误：中心配置目录 /nonexistent/中心 不存在"), done.stderr


def test_the_centres_script_drives_the_clean_up(tmp_path, centre):
    """A centre answering another hotline with a five-digit staff number: its greeting is put back by its own
    script, and the demo centre's script does not know it."""
    from assistant.text.clean import Cleaner

    path = centre / "centre.toml"
    text = path.read_text(encoding="utf-8")
    text = text.replace('number = "12320"\nnames = ["卫生健康热线", "健康热线"]',
                        'number = "12366"\nnames = ["纳税服务热线"]')
    path.write_text(text.replace("staff_number_digits = 4", "staff_number_digits = 5"), encoding="utf-8")
    own = Cleaner(load_centre(centre), correct_homophones=False)
    demo = Cleaner(load_centre(shipped_centre_folder()), correct_homophones=False)
    heard = "您好，一二三六流纳税服务热线，工号三次零二六"
    assert own.clean(heard) == "您好，12366纳税服务热线，工号34026。"
    assert demo.clean(heard) != own.clean(heard)


def test_the_centres_cues_and_directory_drive_drafting(centre):
    from assistant.draft.drafter import Drafter
    from assistant.lexicon.units import load_units
    from assistant.transcript.model import Segment, Transcript

    taxonomy = centre / "taxonomy.toml"
    text = taxonomy.read_text(encoding="utf-8")
    taxonomy.write_text(text.replace('cues = ["提个?建议", "我建议", "建议你们", "给个建议"]',
                                     'cues = ["提个?建议", "我建议", "建议你们", "给个建议", "出个主意"]'),
                        encoding="utf-8")
    profile = load_centre(centre)
    said = (Segment("caller", 0, 3, "我想给你们出个主意，医院门口的停车场能不能多划几个车位。", 1.0),)
    transcript = Transcript(id="t", source="", duration=3, channels="op-left", segments=said)
    drafted = Drafter(load_units(profile.units_path), centre=profile).draft(transcript, context_for(transcript))
    assert drafted.fields["appeal_type"].value == "建议" and drafted.fields["appeal_type"].evidence
    demo = load_centre(shipped_centre_folder())
    plain = Drafter(load_units(demo.units_path), centre=demo).draft(transcript, context_for(transcript))
    assert not plain.fields["appeal_type"].evidence


def context_for(transcript):
    from datetime import datetime

    from assistant.draft.model import CallContext

    return CallContext(call_start=datetime(2026, 12, 7, 9, 30))


def test_a_profile_not_yet_trained_is_told_how_to_train(centre):
    shutil.rmtree(centre / "models")
    done = hotline(centre, "centre", "check")
    assert done.returncode == 0, done.stdout + done.stderr
    assert any(line.startswith("警告：模型 category") and f"hotline --centre {centre} train" in line
               for line in done.stdout.splitlines()), done.stdout


def test_an_active_version_that_is_gone_is_an_error(centre):
    (centre / "models" / "category" / "ACTIVE").write_text("20990101-000000-data\n", encoding="utf-8")
    found = errors(hotline(centre, "centre", "check"))
    assert any("模型 category" in e and "20990101-000000-data" in e and "hotline models" in e for e in found), found


def test_seed_data_with_a_label_the_taxonomy_lacks_is_refused_before_training(centre):
    path = centre / "training" / "seed.tsv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + seed_row(text.splitlines()[0], category="物业管理") + "\n", encoding="utf-8")
    before = sorted(p.name for p in (centre / "models" / "category").iterdir())
    done = hotline(centre, "train")
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.startswith("错误：training/seed.tsv") and "物业管理" in done.stderr, done.stderr
    assert sorted(p.name for p in (centre / "models" / "category").iterdir()) == before


def seed_row(header: str, **labels: str) -> str:
    """A row of seed.tsv in the column order of its ``header``."""
    values = {"text": "楼道灯坏了好几天没人修", "appeal_type": "投诉", "category": "服务态度", "urgency": "一般",
              "style": "caller", **labels}
    return "\t".join(values[column] for column in header.split("\t"))


def test_a_workflow_role_the_program_does_not_know_is_named(centre):
    (centre / "workflow.toml").write_text('solve_on_call = ["supervisor", "班长"]\n', encoding="utf-8")
    found = errors(hotline(centre, "centre", "check"))
    assert any("workflow.toml" in e and "“班长”" in e and "不认识" in e for e in found), found

"""The embedded default model: assembled once, verified, reused, safe under concurrent first use."""

import json
import os
import subprocess
import sys

import pytest

from assistant.asr import model as model_mod
from assistant.asr.model import assemble_default, resolve_model
from assistant.errors import ModelError


def test_assembles_a_verified_faster_whisper_folder(tmp_path):
    folder = assemble_default(tmp_path)
    assert sorted(p.name for p in folder.iterdir() if not p.name.startswith("hotline")) == [
        "config.json", "model.bin", "tokenizer.json", "vocabulary.json"
    ]
    marker = json.loads((folder / "hotline-verified.json").read_text())
    assert marker["model.bin"] == model_mod._EXPECTED["model.bin"][1]
    mtime = (folder / "model.bin").stat().st_mtime_ns
    assert assemble_default(tmp_path) == folder  # reused, not rebuilt
    assert (folder / "model.bin").stat().st_mtime_ns == mtime


def test_truncated_model_is_reassembled(tmp_path):
    folder = assemble_default(tmp_path)
    with (folder / "model.bin").open("r+b") as f:
        f.truncate(1000)
    again = assemble_default(tmp_path)
    assert (again / "model.bin").stat().st_size == model_mod._EXPECTED["model.bin"][0]


def test_verification_names_a_corrupt_file(tmp_path):
    folder = assemble_default(tmp_path)
    data = bytearray((folder / "config.json").read_bytes())
    data[10] ^= 1
    (folder / "config.json").write_bytes(bytes(data))
    with pytest.raises(ModelError, match="config.json"):
        model_mod._verify(folder)


def test_two_processes_starting_at_once_get_one_good_folder(tmp_path):
    code = (
        "import sys; from pathlib import Path; from assistant.asr.model import assemble_default, _verify;"
        "f = assemble_default(Path(sys.argv[1])); _verify(f); print(f)"
    )
    procs = [subprocess.Popen([sys.executable, "-c", code, str(tmp_path)], stdout=subprocess.PIPE, text=True)
             for _ in range(2)]
    outs = [p.communicate(timeout=120)[0].strip() for p in procs]
    assert all(p.returncode == 0 for p in procs)
    assert outs[0] == outs[1]
    leftovers = [p.name for p in (tmp_path / "models").iterdir() if p.name.startswith(".whisper-base-")]
    assert leftovers == []


def test_local_folder_must_be_a_ctranslate2_model(tmp_path):
    with pytest.raises(ModelError, match="model.bin"):
        resolve_model(str(tmp_path))
    folder = assemble_default(tmp_path / "home")
    assert resolve_model(str(folder)) == str(folder)


def test_unknown_name_is_a_clear_error():
    with pytest.raises(ModelError, match="既不是存在的目录"):
        resolve_model("no-such-model")


def test_size_name_offline_says_how_to_supply_a_model(tmp_path):
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_HOME": str(tmp_path)}
    code = "from assistant.asr.model import load_model; load_model('tiny')"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode != 0
    assert "无法获取模型 'tiny'" in done.stderr and "--model" in done.stderr

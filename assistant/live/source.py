"""Where live audio comes from: a recording replayed at real-time pace, or a sound card.

Both yield blocks of shape (channels, n) at 16 kHz. ``ReplaySource`` is the demo, the training tool and what
the tests and ``bench/live.py`` use; ``MicSource`` needs PortAudio (``libportaudio2``), imported only here
so that everything else runs without it.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from assistant.audio.load import SAMPLE_RATE, load_audio
from assistant.errors import AudioError

BLOCK = SAMPLE_RATE // 10  # 100 ms


class ReplaySource:
    """Plays a recording into the pipeline at ``speed`` × real time."""

    def __init__(self, path: str | Path, speed: float = 1.0):
        self.audio = load_audio(path)
        self.speed = speed
        self.channels = len(self.audio.channels)
        self.duration = self.audio.duration
        self._stop = threading.Event()
        self.position = 0.0  # seconds of audio delivered

    def blocks(self) -> Iterator[np.ndarray]:
        data = np.stack(self.audio.channels)
        started = time.monotonic()
        for start in range(0, data.shape[1], BLOCK):
            if self._stop.is_set():
                return
            due = started + (start / SAMPLE_RATE) / self.speed
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            block = data[:, start : start + BLOCK]
            self.position = (start + block.shape[1]) / SAMPLE_RATE
            yield block

    def close(self) -> None:
        self._stop.set()


class MicSource:
    """A sound card through sounddevice; stereo devices map left/right to the two parties."""

    def __init__(self, device: int | str | None = None, channels: int = 2):
        try:
            import sounddevice as sd
        except (ImportError, OSError) as exc:
            raise AudioError(
                "无法使用麦克风：没有找到 PortAudio 或 sounddevice",
                "请安装：apt-get install libportaudio2，并 pip install -e .[mic]；或用 --replay 播放录音",
            ) from exc
        self._sd = sd
        try:
            info = sd.query_devices(device, "input")
        except Exception as exc:
            raise AudioError(
                f"找不到录音设备 {device!r}：{exc}", "用 hotline console --list-devices 查看可用设备"
            ) from exc
        self.channels = min(channels, int(info["max_input_channels"])) or 1
        self.device = device
        self._queue: queue.Queue[np.ndarray] = queue.Queue()
        self._stop = threading.Event()
        self.position = 0.0

    def blocks(self) -> Iterator[np.ndarray]:
        def callback(indata, frames, _time, _status):
            self._queue.put(indata.T.copy())

        with self._sd.InputStream(samplerate=SAMPLE_RATE, channels=self.channels, dtype="float32",
                                  blocksize=BLOCK, device=self.device, callback=callback):
            while not self._stop.is_set():
                try:
                    block = self._queue.get(timeout=0.5)
                except queue.Empty:
                    continue
                self.position += block.shape[1] / SAMPLE_RATE
                yield block

    def close(self) -> None:
        self._stop.set()


def list_devices() -> str:
    try:
        import sounddevice as sd
    except (ImportError, OSError) as exc:
        raise AudioError("没有找到 PortAudio", "请安装：apt-get install libportaudio2") from exc
    return str(sd.query_devices())

"""Decode a recording into 16 kHz float32 channels, keeping stereo apart.

faster-whisper's own ``decode_audio`` downmixes to mono, which mixes operator and caller. Call recorders
write the two parties on separate channels, so this decoder keeps them (PyAV, the decoder faster-whisper
already depends on, so wav/mp3/flac/ogg/m4a at any rate need nothing more).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.errors import AudioError

SAMPLE_RATE = 16000
AUDIO_SUFFIXES = (".wav", ".mp3", ".flac", ".ogg", ".oga", ".opus", ".m4a", ".aac", ".wma", ".amr")


@dataclass(frozen=True)
class Audio:
    """A decoded recording: one float32 array per channel at ``SAMPLE_RATE``."""

    path: Path
    channels: tuple[np.ndarray, ...]
    source_rate: int

    @property
    def duration(self) -> float:
        return len(self.channels[0]) / SAMPLE_RATE if self.channels else 0.0

    def mono(self) -> np.ndarray:
        if len(self.channels) == 1:
            return self.channels[0]
        return np.mean(np.stack(self.channels), axis=0).astype(np.float32)


def load_audio(path: str | Path) -> Audio:
    """Decode ``path``; raise ``AudioError`` naming the file for anything unusable."""
    import av

    path = Path(path)
    if not path.exists():
        raise AudioError(f"{path}：文件不存在")
    if path.is_dir():
        raise AudioError(f"{path}：是目录而不是音频文件")
    if path.stat().st_size == 0:
        raise AudioError(f"{path}：文件为空（0 字节）")
    try:
        with av.open(str(path), metadata_errors="ignore") as container:
            if not container.streams.audio:
                raise AudioError(f"{path}：文件中没有音轨")
            stream = container.streams.audio[0]
            n_channels = stream.codec_context.channels or 1
            if n_channels > 2:
                raise AudioError(f"{path}：有 {n_channels} 个声道，只支持单声道或双声道（左右分别为接线员和来电人）")
            layout = "stereo" if n_channels == 2 else "mono"
            resampler = av.AudioResampler(format="fltp", layout=layout, rate=SAMPLE_RATE)
            chunks: list[np.ndarray] = []
            source_rate = stream.codec_context.sample_rate or SAMPLE_RATE
            for frame in container.decode(stream):
                for out in resampler.resample(frame):
                    chunks.append(out.to_ndarray())
            for out in resampler.resample(None):
                chunks.append(out.to_ndarray())
    except AudioError:
        raise
    except (av.error.FFmpegError, UnicodeDecodeError, ValueError, IndexError) as exc:
        raise AudioError(f"{path}：无法解码，文件损坏或不是音频（{exc}）") from exc
    if not chunks:
        raise AudioError(f"{path}：音频时长为 0")
    data = np.concatenate(chunks, axis=1).astype(np.float32)
    if data.shape[1] < SAMPLE_RATE // 10:
        raise AudioError(f"{path}：音频太短（{data.shape[1] / SAMPLE_RATE:.2f} 秒）")
    return Audio(path=path, channels=tuple(np.ascontiguousarray(c) for c in data), source_rate=source_rate)

"""Decoding: every common container at any rate, channels kept apart, and a clear error for bad files."""

import av
import numpy as np
import pytest

from assistant.audio.load import SAMPLE_RATE, load_audio
from assistant.errors import AudioError


def write_audio(path, channels: np.ndarray, rate: int, codec: str, fmt: str | None = None):
    """Encode float channels (shape: channels × samples) with PyAV."""
    layout = "stereo" if channels.shape[0] == 2 else "mono"
    with av.open(str(path), "w", format=fmt) as out:
        stream = out.add_stream(codec, rate=rate, layout=layout)
        sample_fmt = stream.codec_context.format.name
        frame_len = stream.codec_context.frame_size or 1024
        for start in range(0, channels.shape[1], frame_len):
            chunk = channels[:, start : start + frame_len]
            if sample_fmt.startswith("s16"):
                data = (np.clip(chunk, -1, 1) * 32767).astype(np.int16)
            elif sample_fmt.startswith("s32"):
                data = (np.clip(chunk, -1, 1) * 2147483000).astype(np.int32)
            else:
                data = chunk.astype(np.float32)
            if not sample_fmt.endswith("p"):
                data = data.T.reshape(1, -1)
            frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(data), format=sample_fmt, layout=layout)
            frame.sample_rate = rate
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)


def tones(rate: int, seconds: float, n_channels: int) -> np.ndarray:
    t = np.arange(int(rate * seconds)) / rate
    left = 0.3 * np.sin(2 * np.pi * 440 * t)
    right = 0.3 * np.sin(2 * np.pi * 660 * t) * (t > seconds / 2)  # silent first half: tells sides apart
    return np.stack([left, right][:n_channels])


@pytest.mark.parametrize(
    ("name", "codec", "rate", "n_channels"),
    [
        ("call.wav", "pcm_s16le", 8000, 2),
        ("call.wav", "pcm_mulaw", 8000, 2),
        ("call.mp3", "libmp3lame", 8000, 2),
        ("call.flac", "flac", 16000, 1),
        ("call.ogg", "libopus", 24000, 2),
        ("call.m4a", "aac", 44100, 2),
    ],
)
def test_formats_and_rates_keep_channels(tmp_path, name, codec, rate, n_channels):
    path = tmp_path / name
    write_audio(path, tones(rate, 2.0, n_channels), rate, codec)
    audio = load_audio(path)
    assert len(audio.channels) == n_channels
    assert audio.channels[0].dtype == np.float32
    assert audio.duration == pytest.approx(2.0, abs=0.15)
    if n_channels == 2:
        right = audio.channels[1]
        first_half = np.abs(right[: int(0.8 * SAMPLE_RATE)]).mean()
        second_half = np.abs(right[int(1.2 * SAMPLE_RATE) : int(1.8 * SAMPLE_RATE)]).mean()
        assert second_half > 10 * (first_half + 1e-6)


def test_missing_file_names_it(tmp_path):
    with pytest.raises(AudioError, match="nope.wav.*不存在"):
        load_audio(tmp_path / "nope.wav")


def test_empty_file_names_it(tmp_path):
    path = tmp_path / "empty.wav"
    path.write_bytes(b"")
    with pytest.raises(AudioError, match="empty.wav.*为空"):
        load_audio(path)


def test_corrupt_file_names_it(tmp_path):
    path = tmp_path / "broken.mp3"
    path.write_bytes(b"this is not audio at all " * 100)
    with pytest.raises(AudioError, match="broken.mp3.*无法解码"):
        load_audio(path)


def test_zero_length_audio(tmp_path):
    path = tmp_path / "silent.wav"
    write_audio(path, np.zeros((1, 0)), 8000, "pcm_s16le")
    with pytest.raises(AudioError, match="silent.wav"):
        load_audio(path)


def test_more_than_two_channels_is_refused(tmp_path):
    path = tmp_path / "surround.wav"
    rate = 8000
    data = (np.zeros((4, rate)) + 0.1).astype(np.float32)
    with av.open(str(path), "w") as out:
        stream = out.add_stream("pcm_s16le", rate=rate, layout="quad")
        frame = av.AudioFrame.from_ndarray(
            (data.T.reshape(1, -1) * 32767).astype(np.int16), format="s16", layout="quad"
        )
        frame.sample_rate = rate
        for packet in stream.encode(frame):
            out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    with pytest.raises(AudioError, match="surround.wav.*4 个声道"):
        load_audio(path)

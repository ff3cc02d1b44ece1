"""Audio sources: a sound card needs PortAudio, and its absence is said plainly."""

import sys

import pytest

from assistant.errors import AudioError
from assistant.live.source import MicSource, list_devices


@pytest.fixture
def no_portaudio(monkeypatch):
    monkeypatch.setitem(sys.modules, "sounddevice", None)  # import sounddevice now raises ImportError


def test_microphone_without_portaudio_says_what_to_install(no_portaudio):
    with pytest.raises(AudioError, match="PortAudio") as caught:
        MicSource()
    assert "libportaudio2" in caught.value.hint and "--replay" in caught.value.hint


def test_device_list_without_portaudio_says_what_to_install(no_portaudio):
    with pytest.raises(AudioError, match="PortAudio") as caught:
        list_devices()
    assert "libportaudio2" in caught.value.hint

"""The live decoder's optional short encoder window: the encoder sees the utterance, not 30 s of padding."""

from assistant.audio.load import load_audio
from assistant.live.streaming import LiveTranscriber, StreamOptions
from tests.conftest import CORPUS


def test_short_encoder_window_encodes_only_the_utterance(transcriber, monkeypatch):
    audio = load_audio(CORPUS / "aishell" / "audio" / "BAC009S0150W0001.flac").channels[0]
    frames_seen = []
    encode = transcriber.model.encode

    def recording_encode(features):
        frames_seen.append(features.shape[-1])
        return encode(features)

    monkeypatch.setattr(transcriber.model, "encode", recording_encode)
    for options, expected in ((StreamOptions(encoder_pad=2.0, encoder_min=0.0), len(audio) // 160 + 200),
                              (StreamOptions(), 3000)):
        live = LiveTranscriber(transcriber, ("spk",), lambda segment: None, options)
        frames_seen.clear()
        text = live._decode(audio, final=True)
        live.close()
        assert text and frames_seen and all(abs(n - expected) <= 1 for n in frames_seen)

"""All knobs of the speech pipeline in one frozen dataclass (not forty keyword arguments)."""

from __future__ import annotations

from dataclasses import dataclass

from faster_whisper.vad import VadOptions

# Our own sentence, in Simplified Chinese with punctuation: it steers Whisper towards simplified
# characters, punctuation and the hotline register without naming anything the caller may not say.
DOMAIN_PROMPT = "以下是卫生健康热线和政务服务便民热线的电话录音，普通话，简体中文。"


@dataclass(frozen=True)
class AsrOptions:
    model: str | None = None  # None: the embedded base model
    channels: str = "auto"  # auto | mono | op-left | op-right
    operator_channel: str = "left"  # which side is the operator when channels == "auto"
    language: str = "zh"
    beam_size: int = 5
    compute_type: str = "int8"
    cpu_threads: int = 0  # 0: all cores
    # Decoding both sides at once, one core each, measured slower (RTF 0.151 vs 0.141) and heavier.
    parallel_channels: bool = False
    # Measured on four dev calls (README): no prompt 0.2176 CER, DOMAIN_PROMPT 0.2260, DOMAIN_PROMPT plus unit
    # names 0.2630; not conditioning on the previous text 0.2113. Biasing towards the directory is therefore
    # done after decoding (lexicon/correct.py), where it cannot make the decoder loop.
    prompt: str | None = None
    use_unit_prompt: bool = False  # add short unit names from the directory to the prompt
    condition_on_previous_text: bool = False
    pause_split: float = 0.8  # seconds of silence inside one channel that end an utterance
    # Silero VAD's silence that ends a speech chunk. faster-whisper's default (2000 ms), measured on the first 8 dev
    # calls against 500/1000/3000 ms: CER 0.2135 / 0.2189 / 0.2133 / 0.2112, so within noise of the best, and
    # read speech then decodes exactly as plain faster-whisper does (500 ms cut one aishell clip differently).
    # Utterances are still cut at 0.8 s pauses from the word timestamps (pause_split).
    vad_min_silence_ms: int = 2000
    vad_threshold: float = 0.5  # Silero's speech probability threshold (faster-whisper's default)
    # Audio kept before and after each speech chunk. faster-whisper's 400 ms cut short first words (好，麻烦你了 came
    # out as 麻烦你了). CER on the first 20 / next 20 dev calls (2026-12-06): 400 ms 0.1825 / 0.1852, 800 ms
    # 0.1789 / 0.1810, 1200 ms 0.1850 / 0.1879; threshold 0.35 with 800 ms 0.1852 on the next 20 (0.1800 with
    # 400 ms on the first 20).
    vad_speech_pad_ms: int = 800
    no_speech_threshold: float = 0.6
    # > 0: decode each channel's VAD chunks in batches of this size (faster-whisper's BatchedInferencePipeline).
    batch_size: int = 0
    # A phone number heard a digit short or long: re-decode its utterance with this many beam hypotheses and
    # take the best one that reads as a valid mobile number, else repair it by one digit by forced reading
    # (0: neither). See asr/second_look.py.
    phone_second_look: int = 8
    # Whisper may not write Arabic digits (its multi-digit tokens are suppressed), so it writes each spoken digit
    # as a character (一三八…), which textnorm turns back into digits. Measured on the 60 dev calls (README).
    digits_as_characters: bool = True
    correct_terms: bool = True  # snap near-miss unit / department names by pinyin
    correct_homophones: bool = True  # same-sound misspellings of dictionary words (lexicon/homophones.py)
    normalize_numbers: bool = True

    @property
    def vad(self) -> VadOptions:
        """The Silero VAD settings these options give, as faster-whisper takes them."""
        return VadOptions(min_silence_duration_ms=self.vad_min_silence_ms, threshold=self.vad_threshold,
                          speech_pad_ms=self.vad_speech_pad_ms)


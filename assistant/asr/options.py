"""All knobs of the speech pipeline in one frozen dataclass (not forty keyword arguments)."""

from __future__ import annotations

from dataclasses import dataclass

from faster_whisper.vad import VadOptions


@dataclass(frozen=True)
class AsrOptions:
    model: str | None = None  # None: the embedded base model
    channels: str = "auto"  # auto | mono | op-left | op-right
    operator_channel: str = "left"  # which side is the operator when channels == "auto"
    language: str = "zh"
    beam_size: int = 5
    compute_type: str = "int8"
    cpu_threads: int = 0  # 0: all cores
    # Both sides of a call at once, on two replicas of the model with one core each (weights shared): the same
    # text, a third less time than one side after the other on both cores, the clean-up and the readings chosen
    # included (docs/decisions/0025-channels-side-by-side.md).
    parallel_channels: bool = True
    # No prompt: a domain prompt made the calls worse, so the directory is applied after decoding, in the clean-up
    # chain (text/clean.py, which snaps names with lexicon/correct.py's TermCorrector), where it cannot make the
    # decoder loop (docs/decisions/0009-no-prompt-serial-channels.md).
    prompt: str | None = None
    use_unit_prompt: bool = False  # add short unit names from the directory to the prompt
    condition_on_previous_text: bool = False
    pause_split: float = 0.8  # seconds of silence inside one channel that end an utterance
    # Silero VAD's silence that ends a speech chunk: faster-whisper's default, within noise of the best
    # (docs/decisions/0010-vad-min-silence.md). Utterances are still cut at pauses (pause_split).
    vad_min_silence_ms: int = 2000
    vad_threshold: float = 0.5  # Silero's speech probability threshold (faster-whisper's default)
    # Audio kept around each speech chunk: faster-whisper's 400 ms cuts short first words of a turn
    # (docs/decisions/0001-vad-speech-pad.md).
    vad_speech_pad_ms: int = 800
    no_speech_threshold: float = 0.6
    # > 0: decode each channel's VAD chunks in batches of this size (faster-whisper's BatchedInferencePipeline).
    batch_size: int = 0
    # A phone number heard a digit short or long: re-decode its utterance with this many beam hypotheses and
    # take the best one that reads as a valid mobile number, else repair it by one digit by forced reading
    # (0: neither). The live path does the n-best step only. See asr/second_look.py and
    # docs/decisions/0015-phone-repair-scope.md.
    phone_second_look: int = 8
    # Whisper may not write Arabic digits (its multi-digit tokens are suppressed), so it writes each spoken digit
    # as a character (一三八…), which text.normalize turns back into digits
    # (docs/decisions/0003-digits-as-characters.md).
    digits_as_characters: bool = True
    # An utterance's text is chosen among readings by Whisper's likelihood of each on the audio plus lm_weight × the
    # centre language model's (asr/choose.py, docs/decisions/0022-readings-chosen-by-audio-and-centre.md):
    # near-misses of the centre's names put in (propose_names, by snap_margin; needs the language model), and where
    # its mean word probability is below redecode_below, its redecode_beams best readings decoded again (by
    # nbest_margin, only those within nbest_length_tolerance of the first's length: a cut-off reading is likelier by
    # being short). Its clean-up undone (verify_corrections) is measured worse: Whisper's likelihood prefers its own
    # spelling of a sound.
    propose_names: bool = True
    snap_lm_gain: float = 5.0  # a name is proposed only where the language model's log-probability gains this much
    # 0: off. With readings scored in the short window the n-best step no longer helps both halves of the sample
    # calls and it was the largest cost after the first pass (decision 0022); 0.75 turns it on.
    redecode_below: float = 0.0
    redecode_beams: int = 8
    nbest_length_tolerance: float = 0.1
    verify_corrections: bool = False
    lm_weight: float = 1.0
    snap_margin: float = 0.0
    nbest_margin: float = 10.0
    # Seconds of Whisper's padding kept after the utterance in the encoder's input when readings are chosen (None:
    # the whole 30 s window): a quarter of the encoder's work for a short utterance, at a little of the n-best gain.
    choice_window_pad: float | None = 2.0
    # A stretch the operator's read-back and the caller both say, spelled two ways, is written the way both clips
    # support best (asr/reconcile.py). Off: on the sample calls it made one half worse and the other no better
    # (docs/decisions/0022-readings-chosen-by-audio-and-centre.md).
    reconcile_readback: bool = False
    correct_terms: bool = True  # snap near-miss unit / department names by pinyin
    correct_homophones: bool = True  # same-sound misspellings of dictionary words (lexicon/homophones.py)
    normalize_numbers: bool = True

    @property
    def vad(self) -> VadOptions:
        """The Silero VAD settings these options give, as faster-whisper takes them."""
        return VadOptions(min_silence_duration_ms=self.vad_min_silence_ms, threshold=self.vad_threshold,
                          speech_pad_ms=self.vad_speech_pad_ms)


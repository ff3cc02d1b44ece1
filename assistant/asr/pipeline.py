"""Recorded call → speaker-labelled transcript, on CPU, offline.

Steps, each chosen by measurement on telephone audio (``bench/asr.py``, docs/benchmarks.md):
1. decode the file keeping its channels (operator and caller are on separate sides of a call recording);
2. run faster-whisper on each channel alone, with Silero VAD and word timestamps; speech that VAD found but
   Whisper skipped is decoded again on its own (``guards.unheard_speech``);
3. cut each channel's words into utterances at pauses and at the other party's turns, then merge both
   channels in time order;
4. clean each utterance: Simplified Chinese, guards against hallucinations and loops, punctuation, numbers
   as digits, near-miss unit and department names snapped to the directory, other words written with the
   wrong characters of the same sound replaced where the clause then reads far more likely (homophones.py);
5. an utterance whose phone number is not a valid mobile number is decoded once more, n-best, and else its
   number repaired by one digit where Whisper's forced reading finds that most likely (``second_look.py``).
"""

from __future__ import annotations

import ctypes
import logging
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import numpy as np
from faster_whisper import BatchedInferencePipeline
from faster_whisper.transcribe import restore_speech_timestamps
from faster_whisper.vad import collect_chunks

from assistant.asr import choose, guards, reconcile, second_look
from assistant.asr.model import arabic_digit_tokens, load_model
from assistant.asr.options import AsrOptions
from assistant.asr.prompt import build_prompt
from assistant.asr.utterances import split_utterances
from assistant.audio.load import SAMPLE_RATE, Audio, load_audio
from assistant.centre import Centre
from assistant.errors import AudioError
from assistant.lexicon.centre_lm import centre_lm
from assistant.lexicon.units import UnitDirectory
from assistant.text.clean import Cleaner
from assistant.transcript.model import Segment, Speaker, Transcript, Word

log = logging.getLogger("assistant.asr")

Progress = Callable[[float, float], None]  # (seconds done, seconds in all) of the current file
GAP_MARGIN = 0.2  # seconds of audio kept on each side of skipped speech when it is decoded again
UNHEARD_ROUNDS = 3  # times speech still unheard is decoded again


@dataclass(frozen=True)
class Track:
    speaker: str
    samples: np.ndarray


def plan_tracks(audio: Audio, channels: str, operator_channel: str = "left") -> tuple[str, list[Track]]:
    """Which audio goes to which speaker: returns (layout name, tracks)."""
    if channels not in ("auto", "mono", "op-left", "op-right"):
        raise AudioError(f"未知的声道设置 {channels!r}", "可选 auto、mono、op-left、op-right")
    stereo = len(audio.channels) == 2
    if channels == "mono" or (channels == "auto" and (not stereo or _same_signal(*audio.channels))):
        return "mono", [Track(Speaker.UNKNOWN, audio.mono())]
    if not stereo:
        raise AudioError(
            f"{audio.path}：是单声道录音，无法按 {channels} 区分接线员和来电人", "请改用 --channels mono 或 auto"
        )
    side = channels.removeprefix("op-") if channels != "auto" else operator_channel
    left, right = audio.channels
    op, caller = (left, right) if side == "left" else (right, left)
    return f"op-{side}", [Track(Speaker.OPERATOR, op), Track(Speaker.CALLER, caller)]


def _same_signal(left: np.ndarray, right: np.ndarray) -> bool:
    """A 'stereo' file whose two sides carry the same signal is a mono recording."""
    n = min(len(left), len(right), 16000 * 60)
    a, b = left[:n], right[:n]
    if not np.any(a) or not np.any(b):
        return not np.any(a) and not np.any(b)
    return float(np.corrcoef(a, b)[0, 1]) > 0.98


class Transcriber:
    """Holds the loaded model and the lexicon; transcribes any number of files.

    The lexicon is the centre's (``centre``, by default the one in use): its directory's names, its vocabulary,
    the phrases and hotline numbers of its operators' script."""

    def __init__(self, options: AsrOptions = AsrOptions(), directory: UnitDirectory | None = None, model=None,
                 centre: Centre | None = None, replicas: int | None = None):
        """``replicas``: how many decodes the model runs at once, each on its share of the cores (at most one core
        each); None: two with ``parallel_channels``, else one. The live path takes two: its commits on one, the
        revisions of committed text on the other (``assistant.live.revision``)."""
        self.options = options
        cores = options.cpu_threads or os.cpu_count() or 1
        wanted = replicas if replicas is not None else 2 if options.parallel_channels else 1
        self.workers = max(1, min(wanted, cores))
        if self.workers > 1:
            _limit_heap_arenas()
        self.model = model or load_model(
            options.model,
            cpu_threads=max(1, cores // self.workers),
            compute_type=options.compute_type,
            num_workers=self.workers,
        )
        self.model_name = options.model or "base-embedded"
        self._decoder = BatchedInferencePipeline(self.model) if options.batch_size > 0 else self.model
        # -1: faster-whisper's own set (symbols that are never speech)
        self.suppress_tokens = [-1, *(arabic_digit_tokens(self.model) if options.digits_as_characters else ())]
        self.cleaner = Cleaner(centre, directory, correct_terms=options.correct_terms,
                               correct_homophones=options.correct_homophones,
                               normalize_numbers=options.normalize_numbers)
        self.language_model = centre_lm(self.cleaner.centre, directory) if options.lm_weight else None
        self.prompt = build_prompt(options.prompt, directory, with_units=options.use_unit_prompt)

    def transcribe_file(self, path: str | Path, progress: Progress | None = None) -> Transcript:
        transcript = self.transcribe_audio(load_audio(path), Path(path).stem, progress=progress)
        give_back_freed_memory()
        return transcript

    def transcribe_audio(self, audio: Audio, call_id: str, progress: Progress | None = None) -> Transcript:
        layout, tracks = plan_tracks(audio, self.options.channels, self.options.operator_channel)
        total = audio.duration * len(tracks)
        steps = [
            None if progress is None else (lambda t, o=i * audio.duration: progress(o + t, total))
            for i in range(len(tracks))
        ]
        parallel = self.options.parallel_channels and self.workers > 1 and len(tracks) > 1
        pool = ThreadPoolExecutor(self.workers, thread_name_prefix="asr-channel") if parallel else None
        try:
            words_by_track = self._each_track(pool, [(self.decode_words, t.samples, s)
                                                     for t, s in zip(tracks, steps, strict=True)])
            # Each track's utterances need the other tracks' words (a turn of the other party ends one).
            finished = self._each_track(pool, [(self._finish_track, t, words_by_track, i)
                                               for i, t in enumerate(tracks)])
        finally:
            if pool is not None:
                pool.shutdown()
        segments = [segment for track_segments in finished for segment in track_segments]
        if self.options.reconcile_readback and len(tracks) == 2:
            segments = self.reconcile(segments, {t.speaker: t.samples for t in tracks})
        segments.sort(key=lambda s: (s.start, s.end))
        if progress is not None:
            progress(total, total)
        return Transcript(
            id=call_id,
            source=str(audio.path),
            duration=audio.duration,
            channels=layout,
            segments=tuple(segments),
            model=self.model_name,
        )

    @staticmethod
    def _each_track(pool: ThreadPoolExecutor | None, calls: list[tuple]) -> list:
        """``call(*args)`` for each of ``calls``, on ``pool``'s threads at once when there is one."""
        if pool is None:
            return [call(*args) for call, *args in calls]
        return [future.result() for future in [pool.submit(*call) for call in calls]]

    def _finish_track(self, track: Track, words_by_track: list[list[Word]], i: int) -> list[Segment]:
        """The segments of ``track`` (the ``i``-th), its words cut into utterances and each finished."""
        others = sorted(w.start for j, ws in enumerate(words_by_track) if j != i for w in ws)
        floor = guards.noise_floor(track.samples)
        finished = (self._finish(track, group, floor)
                    for group in split_utterances(words_by_track[i], others, self.options.pause_split))
        return [segment for segment in finished if segment is not None]

    def decode_words(self, samples: np.ndarray, step: Callable[[float], None] | None = None) -> list[Word]:
        """Whisper's words for one channel's ``samples``, as the file path hears them: where VAD finds speech,
        with the speech Whisper skipped decoded again on its own; ``step``: told the seconds decoded so far."""
        chunks = guards.speech_chunks(samples, self.options.vad)  # once: decoding and the guard
        words = guards.drop_unplaced(list(self._decode_words(samples, step, chunks)))
        return self.fill_unheard(samples, words, chunks)

    def fill_unheard(self, samples: np.ndarray, words: list[Word], chunks: list[dict] | None = None) -> list[Word]:
        """``words`` with the speech Whisper skipped (``guards.unheard_speech``) decoded on its own and added;
        ``chunks``: the VAD speech chunks of ``samples`` when they are known already.

        Decoded alone, skipped speech may again come out as its first sentence only (a long read-back gives its
        opening words and stops), so what is still unheard after a round is decoded again, up to
        ``UNHEARD_ROUNDS`` rounds; a stretch that gave no words is not tried twice."""
        fruitless: set[tuple[float, float]] = set()
        for _ in range(UNHEARD_ROUNDS):
            heard = [(w.start, w.end) for w in words]
            gaps = [g for g in guards.unheard_speech(samples, heard, self.options.vad, chunks=chunks)
                    if g not in fruitless]
            if not gaps:
                break
            for start, end in gaps:
                offset = max(0.0, start - GAP_MARGIN)
                clip = samples[int(offset * SAMPLE_RATE) : int((end + GAP_MARGIN) * SAMPLE_RATE)]
                found = [
                    Word(w.start + offset, w.end + offset, w.text, w.probability)
                    for w in self._decode_words(clip, None)
                    if start <= (w.start + w.end) / 2 + offset <= end
                ]
                log.debug("重新识别被跳过的语音 %.2f-%.2f：%d 个词", start, end, len(found))
                if not found:
                    fruitless.add((start, end))
                words.extend(found)
            words.sort(key=lambda w: w.start)
        return words

    def _decode_words(self, samples: np.ndarray, step: Callable[[float], None] | None,
                      chunks: list[dict] | None = None) -> Iterator[Word]:
        """Whisper's words for ``samples``, decoded where VAD hears speech (``chunks`` when they are known)."""
        opts = self.options
        common = dict(language=opts.language, beam_size=opts.beam_size, word_timestamps=True,
                      initial_prompt=self.prompt, condition_on_previous_text=opts.condition_on_previous_text,
                      no_speech_threshold=opts.no_speech_threshold, suppress_tokens=self.suppress_tokens)
        if opts.batch_size > 0:  # the batched pipeline cuts its batches at the VAD chunks itself
            segments, _info = self._decoder.transcribe(
                samples, vad_filter=True, vad_parameters={  # a dict: the pipeline caps chunks at 30 s itself
                    "min_silence_duration_ms": opts.vad_min_silence_ms, "threshold": opts.vad_threshold,
                    "speech_pad_ms": opts.vad_speech_pad_ms},
                batch_size=opts.batch_size, **common)
        else:
            # What faster-whisper's vad_filter does (speech chunks joined, timestamps mapped back), with the chunks
            # found once per channel: the skipped-speech guard needs them too (it ran VAD a second time before).
            if chunks is None:
                chunks = guards.speech_chunks(samples, opts.vad)
            speech = np.concatenate(collect_chunks(samples, chunks, SAMPLE_RATE)[0])
            segments, _info = self._decoder.transcribe(speech, vad_filter=False, **common)
            segments = restore_speech_timestamps(segments, chunks, SAMPLE_RATE)
        for seg in segments:  # lazy: decoding happens as we iterate
            if step is not None:
                step(seg.end)
            for w in seg.words or ():
                if w.word.strip():
                    yield Word(start=float(w.start), end=float(w.end), text=w.word, probability=float(w.probability))

    def reconcile(self, segments: list[Segment], samples: dict[str, np.ndarray]) -> list[Segment]:
        """``segments`` with each stretch an operator's and a caller's utterance both say, spelled two ways, written
        the one way both clips support best (``reconcile.py``); ``samples``: each speaker's channel."""
        texts = [s.text for s in segments]
        encoded: dict[int, tuple] = {}
        scores: dict[tuple[int, str], float] = {}
        lm = self.language_model

        def score(i: int, text: str) -> float:
            if (i, text) not in scores:
                segment = segments[i]
                clip = samples[segment.speaker][int(max(0.0, segment.start - second_look.MARGIN) * SAMPLE_RATE) :
                                                int((segment.end + second_look.MARGIN) * SAMPLE_RATE)]
                if i not in encoded:
                    encoded[i] = second_look.encode(self.model, clip, self.options.choice_window_pad)
                heard = second_look.likelihoods(self.model, clip, [choose.bare(text)], self.options.language,
                                                encoded[i])[0]
                scores[i, text] = heard + (self.options.lm_weight * lm.log_prob(text) if lm is not None else 0.0)
            return scores[i, text]

        short = [i for i, s in enumerate(segments) if s.end - s.start <= second_look.MAX_SECONDS]
        for i in (i for i in short if segments[i].speaker == Speaker.OPERATOR):
            for j in (j for j in short if segments[j].speaker == Speaker.CALLER):
                for echo in reconcile.echoes(texts[i], texts[j]):
                    as_caller = reconcile.respelled(texts[i], echo.first_at, echo.first, echo.second)
                    as_operator = reconcile.respelled(texts[j], echo.second_at, echo.second, echo.first)
                    if score(i, as_caller) + score(j, texts[j]) > score(i, texts[i]) + score(j, as_operator):
                        log.debug("复述对齐：%s → %s", echo.first, echo.second)
                        texts[i] = as_caller
                    else:
                        log.debug("复述对齐：%s → %s", echo.second, echo.first)
                        texts[j] = as_operator
        return [s if s.text == t else replace(s, text=t) for s, t in zip(segments, texts, strict=True)]

    def recheck_phone(self, text: str, samples: np.ndarray, start: float, end: float, *, repair: bool = True) -> str:
        """``text`` (from ``start`` to ``end`` s of ``samples``) with a phone number that is not a valid mobile
        number re-read from an n-best decoding, else (``repair``) the one-digit repair of it that Whisper finds most
        likely for the audio (``second_look.py``); unchanged when ``phone_second_look`` is 0."""
        if self.options.phone_second_look <= 0:
            return text
        score = self._likelihoods if repair else None
        return second_look.fix_phone(text, samples, start, end, self._nbest, self._clean_number, score)

    def _nbest(self, clip: np.ndarray) -> list[str]:
        return second_look.nbest(self.model, clip, self.options.language, self.options.phone_second_look)

    def _likelihoods(self, clip: np.ndarray, texts: list[str]) -> list[float]:
        return second_look.likelihoods(self.model, clip, texts, self.options.language)

    def clean(self, raw: str, with_names: bool = True) -> str:
        """Whisper's raw text of one utterance → the text an operator reads, with this centre's names."""
        return self.cleaner.clean(raw, with_names)

    def _clean_number(self, raw: str) -> str:
        return self.clean(raw, with_names=False)

    def _finish(self, track: Track, words: list[Word], floor: float) -> Segment | None:
        start, end = words[0].start, words[-1].end
        if not guards.has_speech_energy(track.samples, start, end, floor):
            log.debug("丢弃无语音能量的片段 %.2f-%.2f", start, end)
            return None
        text, guessed = self.text_of(track.samples, words)
        if not text:
            return None
        confidence = float(np.mean([w.probability for w in words]))
        return Segment(track.speaker, start, end, text, confidence, tuple(words), guessed=guessed)

    def text_of(self, samples: np.ndarray, words: list[Word]) -> tuple[str, tuple[str, ...]]:
        """The text an operator reads for one utterance (``words`` of ``samples``, non-empty), and the phone
        numbers in it that a second look supplied; an empty text when nothing in it is speech."""
        start, end = words[0].start, words[-1].end
        raw = "".join(w.text for w in words)
        text = self.clean(raw)
        if not text:
            return "", ()
        confidence = float(np.mean([w.probability for w in words]))
        text = self.choose_reading(raw, text, samples, start, end, confidence)
        checked = self.recheck_phone(text, samples, start, end)
        return checked, second_look.new_numbers(text, checked)

    def choose_reading(self, raw: str, text: str, samples: np.ndarray, start: float, end: float,
                       confidence: float) -> str:
        """``text`` (Whisper's ``raw`` reading of ``start``–``end`` s of ``samples``, cleaned), or the reading of
        the utterance the audio and the centre's language model prefer (``choose.py``)."""
        opts = self.options
        if end - start > second_look.MAX_SECONDS:
            return text
        readings = []
        if opts.verify_corrections:
            readings.append(choose.Reading(self.clean(raw, with_names=False), "plain"))
        if opts.propose_names and self.language_model is not None:
            # Whisper's likelihood of another spelling of what it heard is lower, so a name put in needs the centre's
            # language model to pay for that: one it does not favour by snap_lm_gain is not worth an encoder pass.
            known = self.language_model.log_prob(text)
            readings += [choose.Reading(t, "snap") for t in self.cleaner.corrector.proposals(text)
                         if self.language_model.log_prob(t) - known >= opts.snap_lm_gain]
        clip = samples[int(max(0.0, start - second_look.MARGIN) * SAMPLE_RATE) :
                       int((end + second_look.MARGIN) * SAMPLE_RATE)]
        encoded = None
        if confidence < opts.redecode_below and opts.redecode_beams > 1:
            encoded = second_look.encode(self.model, clip, opts.choice_window_pad)
            length = len(choose.bare(text))
            for reading in second_look.nbest(self.model, clip, opts.language, opts.redecode_beams, encoded):
                cleaned = self.clean(reading)
                if abs(len(choose.bare(cleaned)) - length) <= opts.nbest_length_tolerance * length:
                    readings.append(choose.Reading(cleaned, "nbest"))
        if not any(r.text and r.text != text for r in readings):
            return text

        def acoustic(texts: list[str]) -> list[float]:
            return second_look.likelihoods(self.model, clip, [choose.bare(t) for t in texts], opts.language,
                                           encoded or second_look.encode(self.model, clip, opts.choice_window_pad))

        language = self.language_model.log_prob if self.language_model is not None else None
        margins = {"plain": opts.snap_margin, "snap": opts.snap_margin, "nbest": opts.nbest_margin}
        chosen = choose.choose(text, readings, acoustic, language, opts.lm_weight, margins)
        if chosen.source != "first":
            log.debug("改用%s读法：%s → %s", chosen.source, text, chosen.text)
        return chosen.text


@lru_cache(maxsize=1)
def _libc():
    try:
        return ctypes.CDLL("libc.so.6")
    except OSError:  # not glibc (macOS, musl): nothing to give back
        return None


# glibc gives threads that allocate at once heap arenas of their own, up to eight per core, and memory freed in one
# stays with it: with two replicas decoding side by side the process peaked above 1 GB. Two arenas: 842 MB
# against 1006 MB on four calls at the same speed (docs/decisions/0025-channels-side-by-side.md).
HEAP_ARENAS = 2
_M_ARENA_MAX = -8  # mallopt's parameter number


def _limit_heap_arenas() -> None:
    libc = _libc()
    if libc is not None and hasattr(libc, "mallopt"):
        libc.mallopt(_M_ARENA_MAX, HEAP_ARENAS)


def give_back_freed_memory() -> None:
    """Return the heap glibc keeps after a file (its audio, features and decoder buffers) to the system: without
    it a process transcribing many calls keeps growing (docs/decisions/0008-malloc-trim.md)."""
    libc = _libc()
    if libc is not None and hasattr(libc, "malloc_trim"):
        libc.malloc_trim(0)

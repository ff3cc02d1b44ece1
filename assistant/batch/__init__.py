"""Batch processing of call archives: find the recordings (``jobs``), transcribe and draft them in workers
(``worker``), write every outcome to the store from one writer (``runner``), report progress (``progress``)
and optionally export per-call files (``export``)."""

"""Live calls: audio sources paced in real time and streaming, per-channel transcription."""

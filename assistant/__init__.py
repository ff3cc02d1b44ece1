"""hotline-assistant: offline operator assistant for Chinese public hotlines (12320 / 12345).

The package follows the data flow: audio → asr → transcript → (draft → store → tui).
"""

__version__ = "0.1.0"

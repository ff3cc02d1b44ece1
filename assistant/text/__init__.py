"""The text clean-up chain every stage that reads Whisper's output shares (asr, live, draft).

``clean.clean_text`` is the chain; ``normalize`` writes numbers and punctuation as written Chinese has them,
``hallucinations`` removes subtitle credits and loops, ``script`` puts the operator's greeting back by sound,
``phone`` reads the caller's number, ``digits`` holds the digit sounds both of those use.
"""

"""The decoder prompt: our domain sentence plus the short names callers use for the centre's units.

Whisper's prompt holds at most 223 tokens and the whole directory as ``hotwords`` makes base loop
(临江市场监 ×28), so only the short spellings (aliases of at most five characters) go in, deduplicated,
until a character budget is reached. Everything longer is left to the post-correction pass.
"""

from __future__ import annotations

from assistant.lexicon.units import UnitDirectory

MAX_PROMPT_CHARS = 120


def build_prompt(base: str | None, directory: UnitDirectory | None, *, with_units: bool = True) -> str | None:
    if not with_units or directory is None or not len(directory):
        return base
    names: list[str] = []
    for unit in directory.units:
        short = sorted((a for a in unit.aliases if 2 < len(a) <= 5), key=len)
        if short and short[0] not in names:
            names.append(short[0])
    text = base or ""
    listed = ""
    for name in names:
        candidate = f"{listed}、{name}" if listed else name
        if len(text) + len(candidate) + 3 > MAX_PROMPT_CHARS:
            break
        listed = candidate
    return f"{text}常见单位：{listed}。" if listed else base

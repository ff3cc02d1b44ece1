"""``hotline db grant``: each person's own database login, in one of the project's roles."""

from __future__ import annotations


def register(dsub) -> None:
    """Add the access commands to ``hotline db``."""

"""``hotline tickets search`` and ``hotline tickets repeats``: a caller's earlier tickets, and the groups of
tickets that repeat one matter (重复诉求并单)."""

from __future__ import annotations


def register(tsub) -> None:
    """Add the repeat callers' commands to ``hotline tickets``."""

"""One error family for the whole product.

Every error carries a message (what went wrong, naming the file or URL) and a hint (what the user can do).
The CLI prints both and exits non-zero; the TUI shows them in a notification.
"""

from __future__ import annotations


class AssistantError(Exception):
    """Base error: ``message`` says what failed, ``hint`` how to fix it."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}（{self.hint}）" if self.hint else self.message


class AudioError(AssistantError):
    """A recording that cannot be read or used."""


class ModelError(AssistantError):
    """A speech or classifier model that cannot be found, assembled or loaded."""


class DirectoryError(AssistantError):
    """A unit directory (units.csv) that cannot be read."""


class ConfigError(AssistantError):
    """A configuration file or value that is wrong."""


class StorageError(AssistantError):
    """A database that cannot be reached, read, written or is not at the current schema."""


class TicketError(AssistantError):
    """A ticket the store refuses: an unknown number, a value the schema cannot hold, an illegal state."""


class AccessError(AssistantError):
    """A role that is unknown or asks for what it may not see."""


class InputFileError(AssistantError):
    """A file a command reads or writes (drafts to import, an export target) that cannot be used."""

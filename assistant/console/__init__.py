"""The operator's console without a screen: the call's state, ASR, drafting, autosave and filing.

The Textual app in ``assistant.tui`` is a shell over ``ConsoleService``; nothing here imports textual.
"""

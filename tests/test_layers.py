"""The core (everything outside assistant/tui) never imports textual: the TUI is a thin shell over it."""

import pkgutil
import subprocess
import sys

import assistant


def _core_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(assistant.__path__, prefix="assistant."):
        if info.name.startswith("assistant.tui") or info.name == "assistant.__main__":
            continue
        names.append(info.name)
    return names


def test_core_modules_exist():
    names = _core_modules()
    assert "assistant.asr.pipeline" in names and "assistant.cli" in names


def test_core_does_not_import_textual():
    code = (
        "import importlib, sys\n"
        f"for name in {_core_modules()!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(bad))\n"
        "sys.exit(1 if bad else 0)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, f"core imported textual: {done.stdout} {done.stderr}"

"""What a report says about the software it came from: rt-tui, Python, the libraries that
shape a session (Textual, websockets, pydantic) and the platform.

Library versions come from the installed distributions' metadata, so nothing is imported
to learn them (the headless `rt-tui bundle` never loads Textual).
"""

from __future__ import annotations

import platform
from importlib import metadata

from rt_tui import __version__

LIBRARIES = ("textual", "websockets", "pydantic")


def _installed(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def versions() -> dict[str, str]:
    """Name -> version, for `versions.json`."""
    found = {
        "rt-tui": __version__,
        "python": f"{platform.python_version()} ({platform.python_implementation()})",
    }
    found.update((name, _installed(name)) for name in LIBRARIES)
    found["platform"] = platform.platform()
    return found

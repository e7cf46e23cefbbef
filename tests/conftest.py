"""Every test gets its own folders and a clean environment.

No test may read the developer's own config, sessions, themes or keys: the rt-tui folders
(and the XDG ones behind them) point into the test's tmp dir, and every `OPENAI_*`,
`AZURE_*` and `RT_TUI_*` variable of the outer environment is removed. Subprocess tests
inherit this environment, so the CLI sees the same isolation.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

_OUTER_PREFIXES = ("OPENAI_", "AZURE_", "RT_TUI_")


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Point every rt-tui folder at a fresh tmp dir and drop the outer keys and overrides."""
    home = tmp_path_factory.mktemp("home")
    with pytest.MonkeyPatch.context() as patch:
        for name in list(os.environ):
            if name.startswith(_OUTER_PREFIXES):
                patch.delenv(name)
        folders = {
            "RT_TUI_CONFIG_DIR": home / "config" / "rt-tui",
            "RT_TUI_DATA_DIR": home / "data" / "rt-tui",
            "RT_TUI_CACHE_DIR": home / "cache" / "rt-tui",
            "XDG_CONFIG_HOME": home / "config",
            "XDG_DATA_HOME": home / "data",
            "XDG_CACHE_HOME": home / "cache",
            "XDG_STATE_HOME": home / "state",
        }
        for name, folder in folders.items():
            patch.setenv(name, str(folder))
        yield home

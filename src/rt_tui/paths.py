"""Where rt-tui keeps its files: one module, so tests can point everything at tmp dirs.

`RT_TUI_CONFIG_DIR`, `RT_TUI_DATA_DIR` and `RT_TUI_CACHE_DIR` override the platformdirs
locations.
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_cache_path, user_config_path, user_data_path

APP_NAME = "rt-tui"
CONFIG_DIR_ENV = "RT_TUI_CONFIG_DIR"
DATA_DIR_ENV = "RT_TUI_DATA_DIR"
CACHE_DIR_ENV = "RT_TUI_CACHE_DIR"


def config_dir() -> Path:
    """The directory holding config.toml and user themes."""
    override = os.environ.get(CONFIG_DIR_ENV)
    return Path(override).expanduser() if override else user_config_path(APP_NAME)


def data_dir() -> Path:
    """The directory holding recorded sessions."""
    override = os.environ.get(DATA_DIR_ENV)
    return Path(override).expanduser() if override else user_data_path(APP_NAME)


def cache_dir() -> Path:
    """The directory for files that can be rebuilt (spilled payloads, scratch)."""
    override = os.environ.get(CACHE_DIR_ENV)
    return Path(override).expanduser() if override else user_cache_path(APP_NAME)


def config_file() -> Path:
    """The TOML config file (it may not exist yet)."""
    return config_dir() / "config.toml"


def sessions_dir() -> Path:
    """Where session logs (JSONL) are written by default."""
    return data_dir() / "sessions"


def user_themes_dir() -> Path:
    """Where user theme files (*.toml) are looked up."""
    return config_dir() / "themes"


def free_path(directory: Path, stem: str, suffix: str) -> Path:
    """`directory/stem.suffix`, or `stem-2.suffix`… if that exists (a default never overwrites)."""
    path = directory / f"{stem}{suffix}"
    number = 2
    while path.exists():
        path = directory / f"{stem}-{number}{suffix}"
        number += 1
    return path

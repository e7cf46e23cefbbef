"""The config file as text, read before anything needs the config's pydantic models.

`rt_tui.config` parses and validates what this reads. Reading apart lets a start without
a config file (the first one, `--demo`) open its screen without loading pydantic (~100 ms):
the default settings are made when first needed (`rt_tui.tui.context.AppContext.config`).
"""

from __future__ import annotations

from pathlib import Path


class ConfigError(Exception):
    """A config file that cannot be used; `str(e)` is one sentence naming the file and the
    line or field at fault. Never carries a value from the file (it could be a key)."""


def read_config_text(path: Path) -> str | None:
    """The text of the config file at `path`, or None when there is no such file. Raises
    ConfigError for a file that cannot be read or is not UTF-8 text."""
    try:
        return path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        return None
    except UnicodeDecodeError:
        raise ConfigError(f"The config file {path} is not UTF-8 text.") from None
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise ConfigError(f"The config file {path} cannot be read: {reason}.") from None

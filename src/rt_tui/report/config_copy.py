"""The user's config file for a report: every secret removed, what it reads from the
environment listed by name.

The copy is the file as written (decoded TOML, so a file the app refuses is still shown,
with the sentence saying why), with every value held under a secret-looking name
(`api_key`, `token`, `password`…) replaced by "<redacted>", and every other text value
passed through the report's redaction (URL secrets, known keys and key-shaped text read
***). `api_key_env` names stay: they are names, not keys. A comment block on top names
the environment variables each profile reads and whether each is set, never a value.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import tomli_w

from rt_tui import paths
from rt_tui.config import (
    IMPLICIT_PROFILE_ENV,
    Config,
    ConfigError,
    load_config,
    overlay_env,
    profile_env_names,
)
from rt_tui.realtime.endpoints import redact_url
from rt_tui.realtime.redaction import Redactor
from rt_tui.report.known_secrets import is_secret_setting

REDACTED_VALUE: Final = "<redacted>"
"""What a secret value in the copy reads."""


def shown_path(path: Path) -> str:
    """`path` as a report shows it: under the home folder as `~/…`, so the user's name on
    this machine stays out of the report."""
    try:
        return f"~/{path.relative_to(Path.home()).as_posix()}"
    except ValueError:
        return str(path)


@dataclass(frozen=True)
class ConfigSource:
    """The config file as read for a report."""

    path: Path
    data: dict[str, Any] | None = None
    """The decoded TOML; None when there is no file or it is not TOML."""
    config: Config | None = None
    """The config the app would use; None when the file is broken."""
    problem: str = ""
    """Why the app would refuse the file (one sentence), or ''."""
    exists: bool = True
    """False when there is no config file at `path`."""

    @classmethod
    def read(cls, path: Path) -> ConfigSource:
        """Read and decode `path`; never raises (problems are in `problem`)."""
        try:
            text = path.read_bytes().decode("utf-8")
        except FileNotFoundError:
            return cls(path, {}, Config(), exists=False)
        except (OSError, UnicodeDecodeError):
            text = None
        data: dict[str, Any] | None = None
        if text is not None:
            try:
                data = tomllib.loads(text)
            except tomllib.TOMLDecodeError:
                data = None
        try:
            return cls(path, data, load_config(path))
        except ConfigError as error:
            problem = " ".join(str(error).replace(str(path), shown_path(path)).split())
            return cls(path, data, None, problem)


def _scrubbed(value: Any, redactor: Redactor, secret: bool = False, table: str = "") -> Any:
    """Decoded TOML with secret values replaced and other text redacted. A table's keys
    are judged by their own names (a tool's schema may have a `token` property)."""
    if isinstance(value, dict):
        return {
            name: _scrubbed(item, redactor, is_secret_setting(table, name, item), name)
            for name, item in value.items()
        }
    if isinstance(value, list):
        return [_scrubbed(item, redactor, secret) for item in value]
    if secret and not isinstance(value, bool) and value != "":
        return REDACTED_VALUE
    if isinstance(value, str):
        return redactor.text(redact_url(value) if "://" in value else value)
    return value


def env_lines(source: ConfigSource, env: Mapping[str, str]) -> list[str]:
    """Which environment variables rt-tui reads with this config, each said to be set or
    not: per profile (the file's, or those made up from the environment), then the
    folder overrides."""
    groups: list[tuple[str, tuple[str, ...]]] = []
    if source.config is not None:
        effective = overlay_env(source.config, env)
        active = effective.active_profile or next(iter(effective.profiles), None)
        for name, profile in effective.profiles.items():
            mark = " (active)" if name == active else ""
            groups.append((f'profile "{name}"{mark}', profile_env_names(profile)))
    if not groups:
        groups.append(("with no profile in the file", IMPLICIT_PROFILE_ENV))
    groups.append(
        ("rt-tui's folders", (paths.CONFIG_DIR_ENV, paths.DATA_DIR_ENV, paths.CACHE_DIR_ENV))
    )
    lines = []
    for title, names in groups:
        lines.append(f"{title}:")
        lines += (
            f"  {name}: {'set' if env.get(name, '').strip() else 'not set'}" for name in names
        )
    return lines


def config_copy(source: ConfigSource, env: Mapping[str, str], redactor: Redactor) -> str:
    """The report's `config.toml`: a comment block (where the file is, what it reads from
    the environment, whether the app can use it) and the file without its secrets."""
    where = shown_path(source.path)
    head = [
        "rt-tui's config file, copied for a bug report. Secret values (api_key, tokens,",
        f'passwords…) read "{REDACTED_VALUE}"; keys and key-shaped text in other values read ***.',
    ]
    if not source.exists:
        head.append(f"There is no config file ({where}): rt-tui ran on its defaults.")
    else:
        head.append(f"File: {where}")
    if source.problem:
        head.append(f"rt-tui cannot use it: {source.problem}")
    if source.data is None:
        head.append("Its text is left out: it cannot be read as TOML, so secrets in it")
        head.append("could not be told apart.")
    head += ["", "Environment variables rt-tui reads with it (names only, never a value):"]
    head += [f"  {line}" for line in env_lines(source, env)]
    text = "".join(f"# {line}".rstrip() + "\n" for line in head)
    if source.data:
        text += "\n" + tomli_w.dumps(_scrubbed(source.data, redactor))
    # Last, the whole text: a key could sit in a profile's name or a comment line.
    return redactor.text(text)

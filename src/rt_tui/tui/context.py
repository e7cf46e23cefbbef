"""What the app is given from outside: config, environment, flags, clocks, paths.

Built by `make_app` (from the CLI with real values, from tests with fixed ones) and passed
explicitly to the screens, so nothing reads a hidden global.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rt_tui.config import Config
    from rt_tui.inspector.logs import ReplayPlan
    from rt_tui.mock.scenarios import ScenarioChoice
    from rt_tui.targets import Target


@dataclass
class AppContext:
    """The app's inputs. `config` is replaced when the user saves the settings screen."""

    loaded_config: Config | None = None
    """The settings in use once there are any: the config file's (or a test's), or the
    defaults once `config` was first asked for; until then None without a config file."""
    config_path: Path = field(default_factory=lambda: Path("config.toml"))
    env: Mapping[str, str] = field(default_factory=dict, repr=False)
    """The environment (it may hold keys, so it stays out of the repr)."""
    profile: str | None = None
    """--profile: a named profile instead of the active one."""
    url: str | None = None
    """--url: connect to this ws:// or wss:// URL."""
    demo: bool = False
    """--demo: start the in-process mock server and connect to it."""
    scenario: ScenarioChoice | None = None
    """--scenario: how the demo's mock misbehaves (None: it behaves)."""
    ephemeral: bool = False
    """--ephemeral: each socket carries a client secret minted with the key, not the key."""
    log_path: Path | None = None
    """--log: record here instead of a new file in `sessions_dir`."""
    sessions_dir: Path | None = None
    """Where session logs go; None = the platform's data dir (rt_tui.paths)."""
    connect: bool = True
    """False keeps the app offline (snapshots feed it recorded frames instead)."""
    replay: ReplayPlan | None = None
    """`rt-tui replay FILE`: show this log's frames, read-only; nothing connects."""
    mic: str | None = None
    """--mic: the microphone instead of the config's `[audio] mic`."""
    speaker: str | None = None
    """--speaker: the speaker instead of the config's `[audio] speaker`."""
    clock: Callable[[], float] = time.monotonic
    wall_clock: Callable[[], float] = time.time
    id_factory: Callable[[], str] | None = None
    """Event ids for sent events; None lets the connection pick."""

    @property
    def audio_config(self) -> Config | None:
        """What says which microphone and speaker to open at start: the config with the
        run's flags when --mic or --speaker was given, else the config file's (None
        without a file: nothing opens, and the config's models need not load for it)."""
        asked = self.mic is not None or self.speaker is not None
        return self.config if asked else self.loaded_config

    def target(self, config: Config | None = None) -> Target:
        """Where the app connects, with its flags and environment and `config` (by
        default its own)."""
        from rt_tui.targets import resolve_target  # not needed for the first frame

        return resolve_target(
            config or self.config,
            self.env,
            profile=self.profile,
            url=self.url,
            demo=self.demo,
            scenario=self.scenario,
            ephemeral=self.ephemeral,
        )

    @property
    def config(self) -> Config:
        """The settings in use. Without a config file, the defaults, made when first
        asked for: their pydantic models take ~100 ms to load, and the first frame needs
        none of them (the app takes its theme and keys from `loaded_config`)."""
        if self.loaded_config is None:
            from rt_tui.config import Config

            self.loaded_config = Config()
        return self.loaded_config

    @config.setter
    def config(self, config: Config) -> None:
        self.loaded_config = config

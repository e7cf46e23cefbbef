"""The profiles the settings screen edits: a working copy of the config's, and the one its
connection fields show. Nothing here touches a widget: the screen asks, then shows."""

from __future__ import annotations

from collections.abc import Iterator

from rt_tui.config import Config, Profile

DEFAULT_PROFILE_NAME = "default"


class WorkingProfiles:
    """The config's profiles while the settings screen edits them (a config without any
    starts with an empty "default"), in their order, and the one shown (`current`)."""

    def __init__(self, config: Config) -> None:
        self._original = config
        self._by_name: dict[str, Profile] = dict(config.profiles) or {
            DEFAULT_PROFILE_NAME: Profile()
        }
        active = config.active_profile
        self.current = active if active in self._by_name else next(iter(self._by_name))

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_name)

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    @property
    def shown(self) -> Profile:
        """The profile the connection fields show, as last committed."""
        return self._by_name[self.current]

    def others(self) -> set[str]:
        """The names the shown profile may not be renamed to."""
        return {name for name in self._by_name if name != self.current}

    def replace_current(self, profile: Profile, name: str) -> bool:
        """Put `profile` in the shown one's place under `name`, keeping its place in the
        order; True when that renamed it."""
        renamed = name != self.current
        self._by_name = {
            (name if key == self.current else key): (profile if key == self.current else kept)
            for key, kept in self._by_name.items()
        }
        self.current = name
        return renamed

    def add(self) -> str:
        """Add an empty profile under the first free name from `profile-2` on, and show it."""
        number = 2
        while f"profile-{number}" in self._by_name:
            number += 1
        name = f"profile-{number}"
        self._by_name[name] = Profile()
        self.current = name
        return name

    def delete_current(self) -> str | None:
        """Delete the shown profile and show the first one; None, deleting nothing, when
        it is the last."""
        if len(self._by_name) < 2:
            return None
        deleted = self.current
        del self._by_name[deleted]
        self.current = next(iter(self._by_name))
        return deleted

    def for_config(self) -> tuple[dict[str, Profile], str | None]:
        """The profiles and the active one for the config; opening the settings on a
        config without profiles and changing nothing adds none."""
        profiles = dict(self._by_name)
        if not self._original.profiles and profiles == {DEFAULT_PROFILE_NAME: Profile()}:
            return {}, self._original.active_profile
        return profiles, self.current

"""The settings screen's working copy of the profiles (`WorkingProfiles`): what a rename,
a new profile and a deletion do to it, and what it gives back for the config."""

from __future__ import annotations

from rt_tui.config import Config, Profile
from rt_tui.tui.screens.settings.profiles import WorkingProfiles

WORK = Profile(model="work-model")
HOME = Profile(model="home-model")


def two() -> WorkingProfiles:
    return WorkingProfiles(Config(profiles={"work": WORK, "home": HOME}, active_profile="home"))


def test_it_shows_the_active_profile_or_else_the_first() -> None:
    assert (two().current, two().shown) == ("home", HOME)
    lost = WorkingProfiles(Config(profiles={"work": WORK}, active_profile="gone"))
    assert (lost.current, lost.shown) == ("work", WORK)


def test_a_config_without_profiles_gets_none_unless_one_was_filled_in() -> None:
    profiles = WorkingProfiles(Config(active_profile="later"))
    assert (list(profiles), profiles.shown) == (["default"], Profile())
    assert profiles.for_config() == ({}, "later")
    filled = Profile(model="filled")
    assert not profiles.replace_current(filled, "default")
    assert profiles.for_config() == ({"default": filled}, "default")


def test_a_rename_keeps_the_profiles_place_and_says_it_renamed() -> None:
    profiles = WorkingProfiles(Config(profiles={"work": WORK, "home": HOME}, active_profile="work"))
    assert profiles.others() == {"home"}
    changed = Profile(model="changed")
    assert profiles.replace_current(changed, "office")
    assert list(profiles) == ["office", "home"]
    assert (profiles.current, profiles.shown) == ("office", changed)
    assert not profiles.replace_current(WORK, "office")
    assert profiles.for_config() == ({"office": WORK, "home": HOME}, "office")


def test_a_new_profile_takes_the_first_free_name_and_is_shown() -> None:
    profiles = WorkingProfiles(Config(profiles={"profile-2": WORK}, active_profile="profile-2"))
    assert profiles.add() == "profile-3"
    assert (profiles.current, profiles.shown) == ("profile-3", Profile())
    assert profiles.add() == "profile-4"
    assert list(profiles) == ["profile-2", "profile-3", "profile-4"]


def test_the_last_profile_is_not_deleted() -> None:
    profiles = two()
    assert profiles.delete_current() == "home"
    assert (list(profiles), profiles.current) == (["work"], "work")
    assert profiles.delete_current() is None
    assert list(profiles) == ["work"]
    assert "work" in profiles

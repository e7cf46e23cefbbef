"""The settings screen: profiles, connection and session settings."""

from rt_tui.tui.screens.settings.screen import SettingsOutcome, SettingsScreen

__all__ = ["SettingsOutcome", "SettingsScreen"]

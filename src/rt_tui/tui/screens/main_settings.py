"""The main screen's side of the settings: opening them, and what applying them needs.

Kept apart from `main.py` so that module stays about routing messages to widgets.
"""

from __future__ import annotations

from typing import Any

from rt_tui.config import Config, SessionSettings
from rt_tui.targets import resolve_target
from rt_tui.tui.context import AppContext
from rt_tui.tui.screens.settings import SettingsOutcome, SettingsScreen
from rt_tui.tui.screens.settings.form import ApplyKind
from rt_tui.tui.screens.settings.session_note import session_note


def settings_screen(context: AppContext, notice: str | None = None) -> SettingsScreen:
    """The settings screen for this session (it says what the session is connected to)."""

    def problem_of(config: Config) -> str | None:
        """Why `config` would not connect either (nothing or a broken profile), or None."""
        return resolve_target(
            config, context.env, profile=context.profile, url=context.url, demo=context.demo
        ).problem

    return SettingsScreen(
        context.config,
        config_path=context.config_path,
        env=context.env,
        notice=notice,
        session_note=session_note(context),
        problem_of=problem_of,
    )


def apply_needed(context: AppContext, outcome: SettingsOutcome) -> ApplyKind:
    """What the live session must do with `outcome`. A `--demo` or `--url` session does
    not use the profiles, so a changed profile asks for no reconnect there."""
    if outcome.apply == "reconnect" and (context.demo or context.url):
        return "session"
    return outcome.apply


def settings_differ(settings: SessionSettings, server_session: dict[str, Any]) -> bool:
    """Whether the user's session settings need a session.update on this server.

    Any change from the app's defaults does; so does the output modality when the
    server starts with another one (the service defaults to audio, the app to text).
    """
    if settings != SessionSettings():
        return True
    modalities = server_session.get("output_modalities") or server_session.get("modalities")
    server_modality = "audio" if isinstance(modalities, list) and "audio" in modalities else "text"
    return server_modality != settings.output_modality

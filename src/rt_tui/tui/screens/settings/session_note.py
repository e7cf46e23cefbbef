"""The line at the top of the settings screen: what this session is connected to, and
what Apply changes in it (the session settings) and what it does not (other profiles);
and the line atop its Audio section when `--mic` / `--speaker` stand in for it.

A `--demo` or `--url` session never uses the profiles, so the form's connection fields
would otherwise suggest the wrong endpoint.
"""

from __future__ import annotations

from rt_tui.config import Config
from rt_tui.realtime.endpoints import redact_url
from rt_tui.targets import TargetKind
from rt_tui.tui.context import AppContext
from rt_tui.tui.screens.settings.form import ApplyKind
from rt_tui.tui.screens.settings.screen import SettingsOutcome, SettingsScreen

APPLY = "Apply (ctrl+o) sends the Session settings to it"
PROFILES_ONLY = "the Connection fields only edit saved profiles, which this session does not use."


def session_note(context: AppContext) -> str | None:
    """One or two sentences on this session; None when nothing is set up to connect."""
    if context.replay is not None:
        return "This is a replay of a session log: nothing is connected, nothing is sent."
    target = context.target()
    if target.kind is TargetKind.DEMO:
        return f"This session is the built-in mock server (--demo). {APPLY}; {PROFILES_ONLY}"
    if target.kind is TargetKind.URL:
        url = target.endpoint.display_url if target.endpoint else redact_url(context.url or "")
        return f"This session is connected to {url} (--url). {APPLY}; {PROFILES_ONLY}"
    if target.ok and target.profile_name is not None:
        host = target.endpoint.host if target.endpoint else "?"
        return (
            f"This session uses profile '{target.profile_name}' ({host}). {APPLY}; "
            "changing that profile's connection reconnects."
        )
    return None


def audio_note(context: AppContext) -> str | None:
    """What this run's `--mic` / `--speaker` use in place of the Audio fields (which show
    the config file's), or None without them."""
    flags = [
        f"{flag} {value}"
        for flag, value in (("--mic", context.mic), ("--speaker", context.speaker))
        if value is not None
    ]
    if not flags:
        return None
    replaced = "both" if len(flags) > 1 else "it"
    return (
        f"This run uses {' and '.join(flags)}; the fields below are the config file's, and "
        f"applying a change to them replaces {replaced}."
    )


def settings_screen(context: AppContext, notice: str | None = None) -> SettingsScreen:
    """The settings screen for this session: its note on top, and what would not connect
    checked as this session would resolve it (`notice`: a problem to say first)."""

    def problem_of(config: Config) -> str | None:
        """Why `config` would not connect either (nothing or a broken profile), or None."""
        return context.target(config).problem

    return SettingsScreen(
        context.config,
        config_path=context.config_path,
        env=context.env,
        notice=notice,
        session_note=session_note(context),
        audio_note=audio_note(context),
        problem_of=problem_of,
    )


def apply_needed(context: AppContext, outcome: SettingsOutcome) -> ApplyKind:
    """What the live session must do with `outcome`. A `--demo` or `--url` session does
    not use the profiles, so a changed profile asks for no reconnect there."""
    if outcome.apply == "reconnect" and (context.demo or context.url):
        return "session"
    return outcome.apply

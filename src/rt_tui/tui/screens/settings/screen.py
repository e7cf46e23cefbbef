"""The settings screen: profiles and session settings as one keyboard-driven form.

The screen only moves values between the fields (`SettingsForm`) and the pure helpers in
`form.py` and `profile_form.py`, and runs the profile chooser, status line and buttons; the
one piece of I/O is `save_config`, because the screen itself saves when the user asks.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Footer, Input, Select, Static, TextArea

from rt_tui.config import Config, ConfigError, Profile, Provider, load_config, save_config
from rt_tui.tui.screens.settings.audio_form import build_audio
from rt_tui.tui.screens.settings.form import (
    ApplyKind,
    FieldErrors,
    apply_kind,
    build_session,
    session_to_form,
)
from rt_tui.tui.screens.settings.form_widget import SettingsForm
from rt_tui.tui.screens.settings.layout import SETTINGS_CSS, UrlLine
from rt_tui.tui.screens.settings.profile_form import (
    build_profile,
    endpoint_preview,
    key_status,
    profile_to_form,
)
from rt_tui.tui.screens.settings.profiles import WorkingProfiles

SAVE_TIP = "Write the settings to the config file (the screen stays open)"
APPLY_TIP = "Use the settings now: session settings go to the live session"
CANCEL_TIP = "Close the settings without applying them"
NEXT_SECTION_TIP = "Jump to the next section: Connection, Session, Turn detection, Tools, Audio"
PREVIOUS_SECTION_TIP = "Jump to the previous section of the form"


@dataclass(frozen=True)
class SettingsOutcome:
    """What the settings screen hands back to the app."""

    config: Config
    apply: ApplyKind
    """What the live session must do: "reconnect" (the active profile changed),
    "session" (only session settings changed: send a session.update) or "none"."""


class SettingsScreen(ModalScreen[SettingsOutcome | None]):
    """Edit profiles and session settings; ctrl+s saves, ctrl+o applies, Escape leaves.

    Escape dismisses with None, unless something was saved during this visit: then the
    saved config comes back (with what applying it needs), so the app matches the file.
    """

    DEFAULT_CSS = SETTINGS_CSS
    AUTO_FOCUS = "#profile"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", tooltip=SAVE_TIP, priority=True, id="settings.save"),
        Binding("ctrl+o", "apply", "Apply", tooltip=APPLY_TIP, priority=True, id="settings.apply"),
        Binding("escape", "cancel", "Cancel", tooltip=CANCEL_TIP, id="settings.cancel"),
        # alt+arrows too: some desktops take ctrl+arrows for themselves (macOS spaces).
        Binding(
            "ctrl+down,alt+down",
            "jump_section(1)",
            "Next section",
            tooltip=NEXT_SECTION_TIP,
            priority=True,
            id="settings.next_section",
        ),
        Binding(
            "ctrl+up,alt+up",
            "jump_section(-1)",
            "Previous section",
            tooltip=PREVIOUS_SECTION_TIP,
            priority=True,
            id="settings.previous_section",
        ),
    ]

    def __init__(
        self,
        config: Config,
        *,
        config_path: Path,
        env: Mapping[str, str],
        notice: str | None = None,
        session_note: str | None = None,
        audio_note: str | None = None,
        problem_of: Callable[[Config], str | None] | None = None,
    ) -> None:
        """`notice` says why the app could not connect; after a save it becomes what
        `problem_of` says of the saved config (hidden when that is None). `audio_note`
        says what this run uses in place of the Audio fields."""
        super().__init__()
        self._session_note = session_note
        self._audio_note = audio_note
        self._problem_of = problem_of
        self._original = config
        self._config_path = config_path
        self._env = dict(env)
        self._notice = notice
        self._profiles = WorkingProfiles(config)
        self._saved: Config | None = None

    # ----------------------------------------------------------------- layout

    def compose(self) -> ComposeResult:
        profile = profile_to_form(self._profiles.current, self._profiles.shown)
        session = session_to_form(self._original.session)
        with Vertical(id="settings-dialog") as dialog:
            dialog.border_title = "Settings"
            if self._session_note:
                yield Static(self._session_note, id="settings-session", markup=False)
            notice = Static(self._notice or "", id="settings-notice", markup=False)
            notice.display = bool(self._notice)
            yield notice
            yield SettingsForm(
                profile, list(self._profiles), session, self._original.audio, self._audio_note
            )
            yield Static("", id="settings-status")
            with Horizontal(id="settings-buttons"):
                yield Button("Save (ctrl+s)", id="save", variant="primary", compact=True)
                yield Button("Apply (ctrl+o)", id="apply", variant="success", compact=True)
                yield Button("Cancel (esc)", id="cancel", compact=True)
            yield Footer()

    def on_mount(self) -> None:
        self._refresh_visibility()
        self._refresh_hints()

    # ------------------------------------------------------------ form <-> config

    @property
    def _form(self) -> SettingsForm:
        return self.query_one(SettingsForm)

    def _load_profile(self, name: str) -> None:
        """Show profile `name` in the connection fields (never its stored key)."""
        self._profiles.current = name
        self._form.show_profile(profile_to_form(name, self._profiles.shown))
        self._clear_errors()
        self._refresh_visibility()
        self._refresh_hints()

    def _commit_profile(self) -> FieldErrors:
        """Fold the connection fields into the working profiles (renaming if asked)."""
        profile, errors = build_profile(
            self._form.profile_form(), self._profiles.shown, self._profiles.others(), self._env
        )
        if profile is None:
            return errors
        if self._profiles.replace_current(profile, self._form.text("profile-name").strip()):
            self._refresh_profile_select()
        return {}

    def _collect(self) -> Config | None:
        """The whole config from the form, or None after showing every problem."""
        self._clear_errors()
        errors = self._commit_profile()
        form = self._form
        session, session_errors = build_session(form.session_form(), self._original.session)
        errors.update(session_errors)
        audio, audio_errors = build_audio(
            form.text("audio-mic"), form.text("audio-speaker"), form.checked("audio-half-duplex")
        )
        errors.update(audio_errors)
        if errors or session is None or audio is None:
            self._show_errors(errors)
            return None
        profiles, active = self._profiles.for_config()
        return self._original.model_copy(
            update={
                "profiles": profiles,
                "active_profile": active,
                "session": session,
                "audio": audio,
            }
        )

    # ------------------------------------------------------------ feedback

    def _clear_errors(self) -> None:
        self._form.clear_marks()
        self._set_status("")

    def _show_errors(self, errors: FieldErrors) -> None:
        count = len(errors)
        self._set_status(
            f"Fix the {count} field{'s' if count > 1 else ''} marked below.", error=True
        )
        self._form.mark(errors)

    def _set_status(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#settings-status", Static)
        status.update(text)
        status.set_class(error, "-error")

    def _refresh_visibility(self) -> None:
        self._form.show_relevant(key_stored=self._profiles.shown.api_key is not None)

    def _refresh_hints(self) -> None:
        form = self._form.profile_form()
        previous = self._profiles.shown
        default_env = Profile(provider=Provider(form.provider)).key_env_name
        self.query_one("#api-key-env", Input).placeholder = default_env
        self.query_one("#key-status", Static).update(key_status(form, previous, self._env))
        profile, _ = build_profile(form, previous, set(), self._env)
        url = endpoint_preview(profile, self._env) if profile is not None else None
        preview = self.query_one("#endpoint-preview", UrlLine)
        preview.url = url or ""
        preview.display = url is not None

    def _refresh_profile_select(self) -> None:
        select = self.query_one("#profile", Select)
        # The chooser follows the working profiles here; its Changed messages would be
        # handled later, as if the user had picked a profile (after a rename and New: the
        # renamed one, over the profile just added).
        with self.prevent(Select.Changed):
            select.set_options([(name, name) for name in self._profiles])
            select.value = self._profiles.current

    # ------------------------------------------------------------ events

    @on(Input.Changed)
    @on(Select.Changed)
    @on(Checkbox.Changed)
    @on(TextArea.Changed)
    def _field_changed(
        self, event: Input.Changed | Select.Changed | Checkbox.Changed | TextArea.Changed
    ) -> None:
        """Any edit clears that field's error mark and refreshes what depends on it."""
        widget = event.control
        if widget is None or widget.id == "profile":
            return
        self._form.clear_marks(widget.id)
        self._refresh_visibility()
        self._refresh_hints()

    @on(Select.Changed, "#profile")
    def _switch_profile(self, event: Select.Changed) -> None:
        wanted = str(event.value)
        if wanted == self._profiles.current or wanted not in self._profiles:
            return
        errors = self._commit_profile()
        if errors:
            self.query_one("#profile", Select).value = self._profiles.current
            self._show_errors(errors)
            return
        self._load_profile(wanted)
        self._set_status(f"Editing profile {wanted!r}; it is used when you save or apply.")

    @on(Button.Pressed, "#profile-new")
    def _new_profile(self) -> None:
        errors = self._commit_profile()
        if errors:
            self._show_errors(errors)
            return
        name = self._profiles.add()
        self._refresh_profile_select()
        self._load_profile(name)
        self.query_one("#profile-name", Input).focus()
        self._set_status(f"Added profile {name!r}: rename it and fill in its connection.")

    @on(Button.Pressed, "#profile-delete")
    def _delete_profile(self) -> None:
        deleted = self._profiles.delete_current()
        if deleted is None:
            self._set_status("The last profile cannot be deleted.", error=True)
            return
        self._refresh_profile_select()
        self._load_profile(self._profiles.current)
        self._set_status(f"Deleted profile {deleted!r}; save to make it permanent.")

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#apply")
    def _apply_pressed(self) -> None:
        self.action_apply()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    # ------------------------------------------------------------ actions

    def action_jump_section(self, step: int) -> None:
        """Focus the first field of the next (`step` 1) or previous (-1) section."""
        self._form.jump_section(step)

    def action_save(self) -> None:
        """Validate and write the config file; the screen stays open."""
        config = self._collect()
        if config is None:
            return
        try:
            written = save_config(
                _with_file_session_type(config, self._config_path), self._config_path
            )
        except ConfigError as error:
            self._set_status(str(error), error=True)
            return
        self._saved = config
        # The typed key now lives in the file: stop holding it in the widget.
        self.query_one("#api-key", Input).value = ""
        self._refresh_visibility()
        self._refresh_hints()
        self._set_status(f"Saved to {written}.")
        if self._notice and self._problem_of is not None:
            self._show_notice(self._problem_of(config))

    def _show_notice(self, notice: str | None) -> None:
        """Say why the app cannot connect (`notice`), or nothing once it can."""
        self._notice = notice
        widget = self.query_one("#settings-notice", Static)
        widget.update(notice or "")
        widget.display = bool(notice)

    def action_apply(self) -> None:
        """Validate and hand the config back, saying what the live session must do."""
        config = self._collect()
        if config is not None:
            self.dismiss(SettingsOutcome(config, apply_kind(self._original, config)))

    def action_cancel(self) -> None:
        """Leave without applying (a config saved meanwhile is still handed back)."""
        if self._saved is None:
            self.dismiss(None)
        else:
            self.dismiss(SettingsOutcome(self._saved, apply_kind(self._original, self._saved)))


def _with_file_session_type(config: Config, path: Path) -> Config:
    """`config` with the session type the file has: the form does not set it, so a
    different one came from this run's --transcribe, which is not saved."""
    try:
        on_disk = load_config(path).session.type
    except ConfigError:
        on_disk = "realtime"
    if on_disk == config.session.type:
        return config
    return config.model_copy(
        update={"session": config.session.model_copy(update={"type": on_disk})}
    )

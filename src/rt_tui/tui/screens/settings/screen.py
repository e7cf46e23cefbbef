"""The settings screen: profiles and session settings as one keyboard-driven form.

The screen only moves values between widgets and the pure helpers in `form.py`; the one
piece of I/O is `save_config`, because the screen itself saves when the user asks.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Footer, Input, Label, Select, Static, TextArea

from rt_tui.config import Auth, Config, ConfigError, Profile, Provider, load_config, save_config
from rt_tui.tui.screens.settings.audio_form import build_audio
from rt_tui.tui.screens.settings.fields import (
    ENDPOINT_HINTS,
    PROFILE_WIDGETS,
    audio_fields,
    connection_fields,
    session_fields,
)
from rt_tui.tui.screens.settings.form import (
    TURN_PARAMS,
    ApplyKind,
    FieldErrors,
    SessionForm,
    apply_kind,
    build_session,
    session_to_form,
)
from rt_tui.tui.screens.settings.layout import SETTINGS_CSS, UrlLine
from rt_tui.tui.screens.settings.profile_form import (
    ProfileForm,
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
            with VerticalScroll(id="settings-form"):
                yield from connection_fields(profile, list(self._profiles), self._profiles.current)
                yield from session_fields(session)
                yield from audio_fields(self._original.audio, self._audio_note)
            yield Static("", id="settings-status")
            with Horizontal(id="settings-buttons"):
                yield Button("Save (ctrl+s)", id="save", variant="primary", compact=True)
                yield Button("Apply (ctrl+o)", id="apply", variant="success", compact=True)
                yield Button("Cancel (esc)", id="cancel", compact=True)
            yield Footer()

    def on_mount(self) -> None:
        self._refresh_visibility()
        self._refresh_hints()

    # ------------------------------------------------------------ form <-> widgets

    def _input(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", Input).value

    def _select(self, widget_id: str) -> str:
        return str(self.query_one(f"#{widget_id}", Select).value)

    def _checked(self, widget_id: str) -> bool:
        return self.query_one(f"#{widget_id}", Checkbox).value

    def _value(self, widget_id: str) -> str | bool:
        widget = self.query_one(f"#{widget_id}")
        if isinstance(widget, Checkbox):
            return widget.value
        if isinstance(widget, Select):
            return str(widget.value)
        if isinstance(widget, TextArea):
            return widget.text
        return self.query_one(f"#{widget_id}", Input).value

    def _show_value(self, widget_id: str, value: str | bool) -> None:
        widget = self.query_one(f"#{widget_id}")
        if isinstance(widget, Checkbox | Select):
            widget.value = value
        elif isinstance(widget, TextArea):
            widget.text = str(value)
        else:
            self.query_one(f"#{widget_id}", Input).value = str(value)

    def _profile_form(self) -> ProfileForm:
        values = {name: self._value(widget_id) for name, widget_id in PROFILE_WIDGETS.items()}
        return ProfileForm(**values)  # type: ignore[arg-type]

    def _session_form(self) -> SessionForm:
        return SessionForm(
            instructions=self.query_one("#instructions", TextArea).text,
            voice=self._input("voice"),
            output_modality=self._select("output-modality"),
            turn_type=self._select("turn-type"),
            threshold=self._input("vad-threshold"),
            prefix_padding_ms=self._input("vad-prefix"),
            silence_duration_ms=self._input("vad-silence"),
            idle_timeout_ms=self._input("vad-idle"),
            eagerness=self._select("vad-eagerness"),
            create_response=self._checked("vad-create"),
            interrupt_response=self._checked("vad-interrupt"),
            transcription_model=self._input("transcription-model"),
            tools_json=self.query_one("#tools", TextArea).text,
            max_output_tokens=self._input("max-tokens"),
        )

    def _load_profile(self, name: str) -> None:
        """Show profile `name` in the connection fields (never its stored key)."""
        self._profiles.current = name
        form = profile_to_form(name, self._profiles.shown)
        for field_name, widget_id in PROFILE_WIDGETS.items():
            self._show_value(widget_id, getattr(form, field_name))
        self._clear_errors()
        self._refresh_visibility()
        self._refresh_hints()

    def _commit_profile(self) -> FieldErrors:
        """Fold the connection fields into the working profiles (renaming if asked)."""
        profile, errors = build_profile(
            self._profile_form(), self._profiles.shown, self._profiles.others(), self._env
        )
        if profile is None:
            return errors
        if self._profiles.replace_current(profile, self._input("profile-name").strip()):
            self._refresh_profile_select()
        return {}

    def _collect(self) -> Config | None:
        """The whole config from the form, or None after showing every problem."""
        self._clear_errors()
        errors = self._commit_profile()
        session, session_errors = build_session(self._session_form(), self._original.session)
        errors.update(session_errors)
        audio, audio_errors = build_audio(
            self._input("audio-mic"),
            self._input("audio-speaker"),
            self._checked("audio-half-duplex"),
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
        for container in self.query(".field.-invalid"):
            container.remove_class("-invalid")
        self._set_status("")

    def _show_errors(self, errors: FieldErrors) -> None:
        first: Widget | None = None
        for field_id, message in errors.items():
            container = self.query_one(f"#{field_id}-field")
            container.add_class("-invalid")
            container.display = True
            self.query_one(f"#{field_id}-error", Static).update(message)
            if first is None:
                first = self.query_one(f"#{field_id}")
        count = len(errors)
        self._set_status(
            f"Fix the {count} field{'s' if count > 1 else ''} marked below.", error=True
        )
        if first is not None:
            first.focus()
            self.query_one("#settings-form", VerticalScroll).scroll_to_widget(first)

    def _set_status(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#settings-status", Static)
        status.update(text)
        status.set_class(error, "-error")

    def _refresh_visibility(self) -> None:
        """Show only the fields that matter for the chosen provider and turn detection."""
        provider = Provider(self._select("provider"))
        azure = provider in (Provider.AZURE, Provider.AZURE_PREVIEW)
        self.query_one("#api-version-field").display = provider is Provider.AZURE_PREVIEW
        self.query_one("#dialect-field").display = provider is Provider.URL
        self.query_one("#model-field Label", Label).update("Deployment" if azure else "Model")
        self.query_one("#endpoint", Input).placeholder = ENDPOINT_HINTS[provider]
        self.query_one("#auth-field").display = provider is not Provider.OPENAI
        key = provider is Provider.OPENAI or self._select("auth") == Auth.KEY
        self.query_one("#keep-key").display = key
        self.query_one("#api-key-field").display = key and self._checked("keep-key")
        self.query_one("#tls-warning").display = not self._checked("verify-tls")
        stored = self._profiles.shown.api_key is not None
        self.query_one("#api-key", Input).placeholder = (
            "stored in file (type to replace)" if stored else "paste the key"
        )
        relevant = TURN_PARAMS.get(self._select("turn-type"), ())
        for name, widget_id in (
            ("threshold", "#vad-threshold-field"),
            ("prefix_padding_ms", "#vad-prefix-field"),
            ("silence_duration_ms", "#vad-silence-field"),
            ("idle_timeout_ms", "#vad-idle-field"),
            ("eagerness", "#vad-eagerness-field"),
            ("create_response", "#vad-create"),
            ("interrupt_response", "#vad-interrupt"),
        ):
            self.query_one(widget_id).display = name in relevant

    def _refresh_hints(self) -> None:
        form = self._profile_form()
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
        for container in self.query(f"#{widget.id}-field.-invalid"):
            container.remove_class("-invalid")
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
        """Focus the first field of the next (`step` 1) or previous (-1) section, its
        heading at the top of the form; past the last section comes the first."""
        form = self.query_one("#settings-form", VerticalScroll)
        children = list(form.children)

        def place(widget: Widget | None) -> int:
            """Where `widget` sits among the form's rows (0 when outside the form)."""
            for node in widget.ancestors_with_self if widget is not None else ():
                if node.parent is form and isinstance(node, Widget):
                    return children.index(node)
            return 0

        headings = [index for index, child in enumerate(children) if child.has_class("section")]
        here = place(self.focused)
        current = max((n for n, index in enumerate(headings) if index <= here), default=0)
        target = headings[(current + step) % len(headings)]
        after = [widget for widget in self.focus_chain if place(widget) > target]
        if after:
            after[0].focus(scroll_visible=False)
        form.scroll_to_widget(children[target], top=True, animate=False)

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

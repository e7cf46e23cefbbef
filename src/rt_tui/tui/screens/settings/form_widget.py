"""The scrolling form of the settings screen: its fields, what they hold, which of them
show, the marks on fields with a problem, and the jump from section to section.

What the values mean (profiles, saving, applying) is the screen's business; this widget
only shows values and reads them back.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, Select, Static, TextArea

from rt_tui.config import Auth, Provider
from rt_tui.config_audio import AudioSettings
from rt_tui.tui.screens.settings.fields import (
    ENDPOINT_HINTS,
    PROFILE_WIDGETS,
    audio_fields,
    connection_fields,
    session_fields,
)
from rt_tui.tui.screens.settings.form import TURN_PARAMS, FieldErrors, SessionForm
from rt_tui.tui.screens.settings.profile_form import ProfileForm

#: The turn-detection parameter each field holds, for showing only those the type takes.
_TURN_WIDGETS = (
    ("threshold", "#vad-threshold-field"),
    ("prefix_padding_ms", "#vad-prefix-field"),
    ("silence_duration_ms", "#vad-silence-field"),
    ("idle_timeout_ms", "#vad-idle-field"),
    ("eagerness", "#vad-eagerness-field"),
    ("create_response", "#vad-create"),
    ("interrupt_response", "#vad-interrupt"),
)


class SettingsForm(VerticalScroll):
    """The Connection, Session, Turn detection, Tools and Audio fields, in one scroll."""

    def __init__(
        self,
        profile: ProfileForm,
        profile_names: list[str],
        session: SessionForm,
        audio: AudioSettings,
        audio_note: str | None,
    ) -> None:
        super().__init__(id="settings-form")
        self._initial = (profile, profile_names, session, audio, audio_note)

    def compose(self) -> ComposeResult:
        profile, profile_names, session, audio, audio_note = self._initial
        yield from connection_fields(profile, profile_names, profile.name)
        yield from session_fields(session)
        yield from audio_fields(audio, audio_note)

    # ------------------------------------------------------------ values

    def text(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", Input).value

    def choice(self, widget_id: str) -> str:
        return str(self.query_one(f"#{widget_id}", Select).value)

    def checked(self, widget_id: str) -> bool:
        return self.query_one(f"#{widget_id}", Checkbox).value

    def value(self, widget_id: str) -> str | bool:
        widget = self.query_one(f"#{widget_id}")
        if isinstance(widget, Checkbox):
            return widget.value
        if isinstance(widget, Select):
            return str(widget.value)
        if isinstance(widget, TextArea):
            return widget.text
        return self.query_one(f"#{widget_id}", Input).value

    def show_value(self, widget_id: str, value: str | bool) -> None:
        widget = self.query_one(f"#{widget_id}")
        if isinstance(widget, Checkbox | Select):
            widget.value = value
        elif isinstance(widget, TextArea):
            widget.text = str(value)
        else:
            self.query_one(f"#{widget_id}", Input).value = str(value)

    def profile_form(self) -> ProfileForm:
        values = {name: self.value(widget_id) for name, widget_id in PROFILE_WIDGETS.items()}
        return ProfileForm(**values)  # type: ignore[arg-type]

    def show_profile(self, form: ProfileForm) -> None:
        for field_name, widget_id in PROFILE_WIDGETS.items():
            self.show_value(widget_id, getattr(form, field_name))

    def session_form(self) -> SessionForm:
        return SessionForm(
            instructions=self.query_one("#instructions", TextArea).text,
            voice=self.text("voice"),
            output_modality=self.choice("output-modality"),
            turn_type=self.choice("turn-type"),
            threshold=self.text("vad-threshold"),
            prefix_padding_ms=self.text("vad-prefix"),
            silence_duration_ms=self.text("vad-silence"),
            idle_timeout_ms=self.text("vad-idle"),
            eagerness=self.choice("vad-eagerness"),
            create_response=self.checked("vad-create"),
            interrupt_response=self.checked("vad-interrupt"),
            transcription_model=self.text("transcription-model"),
            tools_json=self.query_one("#tools", TextArea).text,
            max_output_tokens=self.text("max-tokens"),
        )

    # ------------------------------------------------------------ what shows

    def show_relevant(self, *, key_stored: bool) -> None:
        """Show only the fields that matter for the chosen provider and turn detection;
        `key_stored`: the profile shown has a key in the config file."""
        provider = Provider(self.choice("provider"))
        azure = provider in (Provider.AZURE, Provider.AZURE_PREVIEW)
        self.query_one("#api-version-field").display = provider is Provider.AZURE_PREVIEW
        self.query_one("#dialect-field").display = provider is Provider.URL
        self.query_one("#model-field Label", Label).update("Deployment" if azure else "Model")
        self.query_one("#endpoint", Input).placeholder = ENDPOINT_HINTS[provider]
        self.query_one("#auth-field").display = provider is not Provider.OPENAI
        key = provider is Provider.OPENAI or self.choice("auth") == Auth.KEY
        self.query_one("#keep-key").display = key
        self.query_one("#api-key-field").display = key and self.checked("keep-key")
        self.query_one("#tls-warning").display = not self.checked("verify-tls")
        self.query_one("#api-key", Input).placeholder = (
            "stored in file (type to replace)" if key_stored else "paste the key"
        )
        relevant = TURN_PARAMS.get(self.choice("turn-type"), ())
        for name, widget_id in _TURN_WIDGETS:
            self.query_one(widget_id).display = name in relevant

    def clear_marks(self, widget_id: str | None = None) -> None:
        """Take the problem mark off every field, or off the field of `widget_id`."""
        selector = ".field.-invalid" if widget_id is None else f"#{widget_id}-field.-invalid"
        for container in self.query(selector):
            container.remove_class("-invalid")

    def mark(self, errors: FieldErrors) -> None:
        """Mark each field with its problem, and bring the first one into view, focused."""
        first: Widget | None = None
        for field_id, message in errors.items():
            container = self.query_one(f"#{field_id}-field")
            container.add_class("-invalid")
            container.display = True
            self.query_one(f"#{field_id}-error", Static).update(message)
            if first is None:
                first = self.query_one(f"#{field_id}")
        if first is not None:
            first.focus()
            self.scroll_to_widget(first)

    def jump_section(self, step: int) -> None:
        """Focus the first field of the next (`step` 1) or previous (-1) section, its
        heading at the top of the form; past the last section comes the first."""
        children = list(self.children)

        def place(widget: Widget | None) -> int:
            """Where `widget` sits among the form's rows (0 when outside the form)."""
            for node in widget.ancestors_with_self if widget is not None else ():
                if node.parent is self and isinstance(node, Widget):
                    return children.index(node)
            return 0

        headings = [index for index, child in enumerate(children) if child.has_class("section")]
        here = place(self.screen.focused)
        current = max((n for n, index in enumerate(headings) if index <= here), default=0)
        target = headings[(current + step) % len(headings)]
        after = [widget for widget in self.screen.focus_chain if place(widget) > target]
        if after:
            after[0].focus(scroll_visible=False)
        self.scroll_to_widget(children[target], top=True, animate=False)

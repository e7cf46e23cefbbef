"""Building blocks and CSS of the settings form (theme variables only)."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Label, Select, Static

SETTINGS_CSS = """
SettingsScreen {
    align: center middle;
}
SettingsScreen #settings-dialog {
    width: 100%;
    max-width: 110;
    height: 100%;
    background: $surface;
    border: round $primary;
    border-title-color: $primary;
    border-title-style: bold;
    padding: 0 1;
}
SettingsScreen #settings-session {
    color: $text;
    background: $primary 15%;
    padding: 0 1;
}
SettingsScreen #settings-notice {
    background: $warning 20%;
    color: $text;
    padding: 0 1;
}
SettingsScreen #settings-form {
    height: 1fr;
    scrollbar-size-vertical: 1;
}
SettingsScreen .section {
    text-style: bold;
    color: $accent;
    margin-top: 1;
}
SettingsScreen .field {
    height: auto;
}
SettingsScreen .field-row {
    height: auto;
}
SettingsScreen .field-label {
    width: 26;
    color: $text-muted;
}
SettingsScreen .field-row > Input,
SettingsScreen .field-row > Select,
SettingsScreen .field-row > TextArea {
    width: 1fr;
    background: $boost;
}
SettingsScreen .field-row > Input:focus,
SettingsScreen .field-row > TextArea:focus {
    background-tint: $primary 15%;
}
SettingsScreen .field-row > TextArea {
    height: 5;
    padding: 0 1 0 0;  /* its text starts in the same column as the inputs' */
}
SettingsScreen .field-row > #headers {
    height: 3;  /* a header or two is the rule */
}
SettingsScreen .field-error,
SettingsScreen .hint {
    margin-left: 26;
}
SettingsScreen .field-error {
    display: none;
    color: $error;
}
SettingsScreen .field.-invalid .field-error {
    display: block;
}
SettingsScreen .field.-invalid .field-row > * {
    background-tint: $error 25%;
}
SettingsScreen .hint {
    color: $text-muted;
}
SettingsScreen .hint.warning {
    color: $warning;
}
SettingsScreen Checkbox {
    margin-left: 25;
}
SettingsScreen #profile-row Button {
    width: auto;
    min-width: 8;
    margin-left: 1;
}
SettingsScreen #settings-status {
    height: auto;
    color: $success;
}
SettingsScreen #settings-status.-error {
    color: $error;
}
SettingsScreen #settings-buttons {
    height: auto;
    align-horizontal: right;
}
SettingsScreen #settings-buttons Button {
    margin-left: 1;
}
"""


def middle_ellipsis(text: str, width: int) -> str:
    """`text` cut to `width` cells by replacing its middle with `…` (a URL keeps its
    scheme and host and its query's end)."""
    if cell_len(text) <= width:
        return text
    if width <= 1:
        return "…"[: max(width, 0)]
    keep = width - 1
    head = keep // 2
    return f"{text[:head]}…{text[len(text) - (keep - head) :]}"


class UrlLine(Static):
    """`→ URL` on one line; a URL too long for it is shortened in the middle."""

    DEFAULT_CSS = "UrlLine { height: 1; }"
    PREFIX = "→ "

    url: reactive[str] = reactive("")

    def render(self) -> Text:
        room = self.size.width - cell_len(self.PREFIX)
        return Text(self.PREFIX + middle_ellipsis(self.url, room), no_wrap=True)


class Tick(Checkbox):
    """A checkbox whose box holds X when ticked and is empty when not: Textual draws X
    in both states and only changes its colour, which a terminal may not show."""

    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]
        return "X" if self.value else " "


def section(title: str) -> Static:
    """The heading that starts a section of the form (ctrl+up/down jump between them)."""
    return Static(title, classes="section", markup=False)


def field(field_id: str, label: str, widget: Widget, *extra: Widget) -> Vertical:
    """A labelled form field: `#ID-field` holds the label and widget on one row, then any
    hints and `#ID-error` under the widget."""
    return Vertical(
        Horizontal(Label(label, classes="field-label"), widget, classes="field-row"),
        *extra,
        Static("", id=f"{field_id}-error", classes="field-error"),
        id=f"{field_id}-field",
        classes="field",
    )


def profile_row(names: list[str], current: str) -> Vertical:
    """The profile chooser with its New and Delete buttons."""
    chooser = Select(
        [(name, name) for name in names],
        value=current,
        allow_blank=False,
        id="profile",
        compact=True,
    )
    row = Horizontal(
        Label("Profile (in use)", classes="field-label"),
        chooser,
        Button("New", id="profile-new", compact=True),
        Button("Delete", id="profile-delete", variant="error", compact=True),
        id="profile-row",
        classes="field-row",
    )
    return Vertical(
        row,
        Static("", id="profile-error", classes="field-error"),
        id="profile-field",
        classes="field",
    )

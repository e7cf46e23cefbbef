"""The event inspector's keys, in the order the footer shows them.

The actions are the inspector's (`rt_tui.tui.widgets.inspector`); the config's
`[ui.keymap]` rebinds them by their ids. Other text typed in the inspector goes to the
composer (the main screen sees to it).
"""

from __future__ import annotations

from textual.binding import Binding, BindingType

from rt_tui.tui.widgets.json_view import WHOLE_KEY

INSPECTOR_BINDINGS: list[BindingType] = [
    # Not `/`: that starts a composer command, typed from any pane (see MainScreen).
    Binding(
        "ctrl+f",
        "show_filter",
        "Filter",
        id="inspector.filter",
        tooltip="Filter events by type pattern, direction, errors or text",
    ),
    Binding(
        "f,enter",
        "toggle_fold",
        "Fold",
        id="inspector.toggle_fold",
        tooltip="Fold or unfold the selected run of deltas",
    ),
    # One key, labelled with what it will do (check_action shows one of the two).
    Binding(
        "F",
        "fold_all(False)",
        "Unfold all",
        id="inspector.toggle_fold_all",
        tooltip="Unfold every run of deltas",
    ),
    Binding(
        "F",
        "fold_all(True)",
        "Fold all",
        id="inspector.toggle_fold_all",
        tooltip="Fold every run of deltas into one row",
    ),
    Binding(
        "d",
        "cycle_direction",
        "Direction",
        id="inspector.cycle_direction",
        tooltip="Show all, only sent or only received events",
    ),
    Binding(
        "e", "toggle_errors", "Errors", id="inspector.toggle_errors", tooltip="Show only errors"
    ),
    Binding(
        "backspace",
        "clear_filter",
        "Clear filter",
        id="inspector.clear_filter",
        tooltip="Clear the filter",
    ),
    Binding(
        "z",
        "toggle_zoom",
        "Zoom",
        id="inspector.toggle_zoom",
        tooltip="Zoom the event's JSON to the whole inspector and back",
    ),
    Binding(
        WHOLE_KEY,
        "show_whole",
        "Whole frame",
        id="inspector.show_whole",
        tooltip="Show all of a huge frame whose detail is cut",
    ),
    Binding(
        "c",
        "copy_frame",
        "Copy",
        id="inspector.copy",
        tooltip="Copy the selected event's JSON to the clipboard (OSC 52)",
    ),
    Binding(
        "x",
        "export(True)",
        "Export view",
        id="inspector.export_view",
        tooltip="Export the filtered events to a JSONL file",
    ),
    Binding(
        "X",
        "export(False)",
        "Export all",
        id="inspector.export_all",
        tooltip="Export every event of the session to a JSONL file",
    ),
]

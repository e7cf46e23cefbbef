"""The config's `[ui]` section applied to the app: theme and keymap, with friendly problems.

Nothing here raises for a bad setting: an unknown theme falls back to the default and an
unknown binding id is ignored, and each gives one sentence for a notification. A theme
picked in the palette is written back to the config file, alone: the app's config may hold
session settings that were applied but never saved, and those must stay out of the file.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from textual.binding import Binding
from textual.dom import DOMNode

from rt_tui.config_file import ConfigError
from rt_tui.tui.context import AppContext
from rt_tui.tui.themes import ThemeHost, choose_theme


def known_binding_ids() -> set[str]:
    """Every binding id declared by rt-tui's (and Textual's) screens and widgets.

    Walks the loaded DOMNode classes; the app, which asks, has loaded itself and its main
    screen, and the settings screen (otherwise loaded lazily) is loaded here."""
    import rt_tui.tui.screens.settings  # noqa: F401

    ids: set[str] = set()
    classes: list[type[DOMNode]] = [DOMNode]
    while classes:
        cls = classes.pop()
        classes.extend(cls.__subclasses__())
        for binding in cls.__dict__.get("BINDINGS", ()):
            if isinstance(binding, Binding) and binding.id:
                ids.add(binding.id)
    return ids


def _quoted(names: Iterable[str]) -> str:
    return ", ".join(f"'{name}'" for name in names)


def keymap_problem(keymap: Mapping[str, str], known: set[str] | None = None) -> str | None:
    """One sentence naming the keymap's unknown binding ids, or None when all are known."""
    if not keymap:
        return None  # Nothing to check: the settings screen stays unloaded until opened.
    known = known_binding_ids() if known is None else known
    unknown = sorted(binding_id for binding_id in keymap if binding_id not in known)
    if not unknown:
        return None
    what = "binding id" if len(unknown) == 1 else "binding ids"
    return (
        f"The config's [ui.keymap] names {what} {_quoted(unknown)} that rt-tui does not "
        "have, so those keys were left as they are."
    )


def pick_theme(app: ThemeHost, wanted: str | None) -> tuple[str, str | None]:
    """The theme to use for `wanted` and, when it is not installed, why not (one sentence)."""
    chosen = choose_theme(app, wanted)
    if wanted and chosen != wanted:
        return chosen, (
            f"The config's [ui] theme '{wanted}' is not installed, so rt-tui uses "
            f"'{chosen}'; ctrl+p then Theme lists the themes there are."
        )
    return chosen, None


def remember_theme(context: AppContext, theme: str) -> str | None:
    """Set the config file's [ui] theme to `theme`, leaving the rest of the file as it is
    on disk; a one-sentence problem, or None. A file that cannot be read is not touched."""
    from rt_tui.config import load_config, save_config  # Not needed for the first frame.

    try:
        on_disk = load_config(context.config_path)
        on_disk.ui.theme = theme
        save_config(on_disk, context.config_path)
    except ConfigError as error:
        return f"The theme was not saved and the config file was left as it is: {error}"
    context.config.ui.theme = theme
    return None

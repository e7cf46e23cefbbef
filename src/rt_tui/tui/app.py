"""The Textual app: stylesheet, app-wide keys, command palette, themes, first screen.

`make_app` builds it for both the CLI (`run_tui`) and the tests, which inject a fixed
clock, id source, config and paths so what they see is what users run.
"""

from __future__ import annotations

import gc
import os
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.command import Provider
from textual.notifications import SeverityLevel

from rt_tui import paths
from rt_tui.config_file import ConfigError, read_config_text
from rt_tui.tui.collector import start_up_done, tune_for_session
from rt_tui.tui.context import AppContext
from rt_tui.tui.screens.main import MainScreen
from rt_tui.tui.themes import register_themes
from rt_tui.tui.ui_settings import keymap_problem, pick_theme, remember_theme

if TYPE_CHECKING:
    from rt_tui.config import Config
    from rt_tui.inspector.logs import ReplayPlan
    from rt_tui.mock.scenarios import ScenarioChoice

PANES = {
    "Conversation": "the turns of the session as they stream, tool calls, errors; F4 shows "
    "each response's latency, tokens and cost. ctrl+f finds text; alt+up/alt+down select an "
    "item, whose frames ctrl+g shows in the inspector; ctrl+l shows where each response's "
    "time went.",
    "Inspector": "every event on the wire, both directions, with timing; select one to see it.",
    "Composer": "Enter sends; ctrl+j (or shift/alt+Enter) starts a new line; Up/Down recall "
    "earlier messages; Escape cancels the response; '/output TEXT' answers a function call. "
    "Text typed in the conversation or the inspector comes here too, except the inspector's "
    "own keys.",
    "Status bar": "connection state, dialect, model, session age against the 60-minute limit, "
    "last latency, token totals and cost (this session's: ctrl+r starts afresh; the cost "
    "view shows it in detail), what is left of the rate limits and the session log; with "
    "live audio, the microphone's and speaker's levels and the turn state.",
}
"""What the help screen says about each pane."""

START_UP_SWITCH_INTERVAL = 0.0005
"""Seconds the event loop's thread keeps the interpreter from a thread that waits for it,
until the first frame is out (then Python's own, 5 ms, again): see `RtTuiApp.hurry_start`."""


def actions_provider() -> type[Provider]:
    """The command palette's list of every bound action: loaded when the palette first
    opens (Textual takes a function for a provider), not for the first frame."""
    from rt_tui.tui.commands import ActionsProvider

    return ActionsProvider


TOAST_SECONDS: dict[SeverityLevel, float] = {"information": 3.5, "warning": 5, "error": 6}
"""How long a notification stays unless its caller says otherwise. Short, because the
state that matters (connection, failure, log) is also in the status bar."""


class RtTuiApp(App[int]):
    """rt-tui: chat with a Realtime model and inspect every event on the wire."""

    TITLE = "rt-tui"
    CSS_PATH = "rt_tui.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "Help", tooltip="Keys and panes at a glance", id="app.help"),
        Binding("ctrl+q", "quit", "Quit", tooltip="Quit rt-tui", id="app.quit", priority=True),
    ]
    COMMANDS = App.COMMANDS | {actions_provider}

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        loaded = register_themes(self)
        # Without a config file, the default theme and keys: its defaults are not made yet.
        config = context.loaded_config
        theme, self._keymap = (None, {}) if config is None else (config.ui.theme, config.ui.keymap)
        self._saved_theme: str | None = None
        """The theme the config file holds (effectively); None until it is applied."""
        chosen, theme_problem = pick_theme(self, theme)
        self._start_with_theme(chosen)
        self._saved_theme = chosen
        self._problems = {
            "Themes": loaded.error_message(),
            "Theme": theme_problem,
            "Keys": keymap_problem(self._keymap),
        }
        """What is wrong with the theme files and the config's [ui] section, if anything."""
        self._main: MainScreen
        """The first screen, made when the app is composed."""
        self._switch_interval: float | None = None
        """Python's thread switch interval while the start-up has it shorter (see
        `hurry_start`), to set again once the first frame is out."""

    def hurry_start(self) -> None:
        """Have the first frame reach the terminal as soon as it is drawn.

        Textual's writer thread writes it, and needs the interpreter for that while the
        event loop's thread goes on with the start-up (the screen's first resizes, a few
        ms): with Python's 5 ms switch interval the frame waited for the rest of that
        thread's slice. Until the frame is out, the loop's thread lets others in sooner.
        For the process that runs the app (the setting is global)."""
        self._switch_interval = sys.getswitchinterval()
        sys.setswitchinterval(START_UP_SWITCH_INTERVAL)

    def _start_with_theme(self, name: str) -> None:
        """Make `name` the theme before the stylesheet is first parsed.

        Setting `theme` has the whole stylesheet parsed again for the new colours: before
        the first frame, ~15 ms spent on rules parsed once more as the screen is built. So
        the stylesheet gets the theme's colours here, before it holds any rule, and the app
        the theme's class, as setting `theme` would do. A theme that is light where the
        default is dark, or maps ANSI colours otherwise, needs another ANSI filter too:
        that one is set the usual way."""
        theme, default = self.get_theme(name), self.current_theme
        if theme is None or (theme.dark, theme.ansi) != (default.dark, default.ansi):
            self.theme = name
            return
        self.set_reactive(App.theme, name)
        self.stylesheet.set_variables(self.get_css_variables())
        self.set_class(True, f"-theme-{name}", update=False)

    def get_default_screen(self) -> MainScreen:
        """The main screen is the app's first: one screen to build and style, not Textual's
        blank default with this one pushed on it."""
        self._main = MainScreen(self.context)
        return self._main

    def on_mount(self) -> None:
        self.set_keymap(self._keymap)
        for title, problem in self._problems.items():
            if problem:
                self.notify(problem, title=title, severity="warning", timeout=10, markup=False)

    def on_ready(self) -> None:
        """Start what can wait for the first frame once that frame is out."""
        # An after-refresh callback asked for before Ready runs before any frame is
        # written: Textual writes none while the start-up's batch of updates is open, and
        # runs those callbacks at once then. Ready comes once that batch is closed; the
        # refresh asked for here is for the first frame written, and the callback waits
        # for it.
        self._main.refresh()
        self._main.call_after_refresh(self._first_frame_out)

    def _first_frame_out(self) -> None:
        """The first frame is on the terminal: the start-up is over."""
        start_up_done()
        gc.enable()  # Off since the CLI began to import the app (see `_run`).
        if self._switch_interval is not None:
            sys.setswitchinterval(self._switch_interval)
        self._main.first_frame_shown()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """A notification that goes away after `TOAST_SECONDS` for its severity."""
        if timeout is None:
            timeout = TOAST_SECONDS.get(severity, self.NOTIFICATION_TIMEOUT)
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def watch_theme(self, theme: str) -> None:
        """A theme picked in the palette (ctrl+p, Theme) is kept for the next start."""
        if self._saved_theme is None or theme == self._saved_theme:
            return
        problem = remember_theme(self.context, theme)
        if problem:
            self.notify(problem, title="Theme", severity="error", timeout=10, markup=False)
            return
        self._saved_theme = theme

    def action_help(self) -> None:
        """Show the keys and panes."""
        from rt_tui.tui.screens.help import HelpScreen  # Not needed for the first frame.

        self.push_screen(HelpScreen(self.screen, panes=PANES))


def make_app(
    *,
    config: Config | None = None,
    config_path: Path | None = None,
    env: Mapping[str, str] | None = None,
    profile: str | None = None,
    url: str | None = None,
    demo: bool = False,
    scenario: ScenarioChoice | None = None,
    log: Path | None = None,
    sessions_dir: Path | None = None,
    connect: bool = True,
    replay: ReplayPlan | None = None,
    mic: str | None = None,
    speaker: str | None = None,
    transcribe: bool = False,
    ephemeral: bool = False,
    clock: Callable[[], float] | None = None,
    wall_clock: Callable[[], float] | None = None,
    id_factory: Callable[[], str] | None = None,
) -> RtTuiApp:
    """The app as the CLI runs it; every argument can be injected (tests, snapshots).

    `config` None loads the config file (`config_path`, or the platform's); `env` None
    uses the process environment (the launch target reads it; the config stays as saved).
    `transcribe` makes the session a transcription session for this run; a `speaker`
    asks for spoken replies for this run (as `rt-tui send --speaker` does); `ephemeral`
    opens each socket with a client secret minted with the key.
    """
    path = config_path or paths.config_file()
    environment = dict(os.environ) if env is None else dict(env)
    if config is None and (text := read_config_text(path)) is not None:
        from rt_tui.config import parse_config  # Loads pydantic: only with a file to check.

        config = parse_config(path, text)
    if transcribe:
        from rt_tui.config import Config, transcribing

        config = transcribing(config if config is not None else Config())
    elif speaker is not None:
        from rt_tui.tui.voice_choice import names_a_speaker  # The audio modules: with a flag.

        if names_a_speaker(speaker):
            from rt_tui.config import Config, speaking

            config = speaking(config if config is not None else Config())
    context = AppContext(
        loaded_config=config,
        config_path=path,
        env=environment,
        profile=profile,
        url=url,
        demo=demo,
        scenario=scenario,
        ephemeral=ephemeral,
        log_path=log,
        sessions_dir=sessions_dir,
        connect=connect and replay is None,
        replay=replay,
        mic=mic,
        speaker=speaker,
        clock=clock or time.monotonic,
        wall_clock=wall_clock or time.time,
        id_factory=id_factory,
    )
    return RtTuiApp(context)


EXIT_USAGE = 2
"""A usage or configuration problem, as for `rt-tui send`."""


def _usage_problem(message: str) -> int:
    print(f"rt-tui: {message}", file=sys.stderr)
    return EXIT_USAGE


def terminal_problem(instead: str) -> str | None:
    """Why the screen cannot open (stdin or stdout is not a terminal: a pipe, a file,
    /dev/null), naming `instead`, the command to use then; None with a terminal.
    Without one the app would wait forever for keys no one can type."""
    streams = {"stdin": sys.stdin, "stdout": sys.stdout}
    missing = [name for name, stream in streams.items() if stream is None or not stream.isatty()]
    if not missing:
        return None
    what = "is not a terminal" if len(missing) == 1 else "are not terminals"
    return f"the TUI needs a terminal, but {' and '.join(missing)} {what}; try {instead}."


def run_tui(
    *,
    profile: str | None,
    url: str | None,
    demo: bool,
    log: Path | None,
    scenario: ScenarioChoice | None = None,
    mic: str | None = None,
    speaker: str | None = None,
    transcribe: bool = False,
    ephemeral: bool = False,
) -> int:
    """Run the TUI until the user quits; the process exit code.

    A bad `--url`, `--profile`, `--mic` or `--speaker` ends here, before the screen
    opens, as it does for `rt-tui send`; so does a missing terminal. (A sound device that
    is missing is said in the app, which works without it.)"""
    try:
        app = make_app(
            profile=profile,
            url=url,
            demo=demo,
            log=log,
            scenario=scenario,
            mic=mic,
            speaker=speaker,
            transcribe=transcribe,
            ephemeral=ephemeral,
        )
    except ConfigError as error:
        return _usage_problem(str(error))
    audio_config = app.context.audio_config
    if audio_config is not None:  # Without a config file or a flag, nothing opens.
        from rt_tui.tui.voice_choice import audio_files_problem  # Its audio modules.

        problem = audio_files_problem(audio_config, mic, speaker)
        if problem is not None:
            return _usage_problem(problem)
    if profile is not None or url is not None:
        target = app.context.target()
        if target.problem is not None:
            return _usage_problem(target.problem)
    problem = terminal_problem("'rt-tui send TEXT' for one exchange without it")
    if problem is not None:
        return _usage_problem(problem)
    return _run(app)


def run_replay(plan: ReplayPlan) -> int:
    """Run the TUI on a checked log until the user quits; the process exit code."""
    try:
        app = make_app(replay=plan)
    except ConfigError as error:
        print(f"rt-tui: {error}", file=sys.stderr)
        return 1
    problem = terminal_problem("'rt-tui replay FILE --print' (or --json) to read it without one")
    if problem is not None:
        return _usage_problem(problem)
    return _run(app)


def _run(app: RtTuiApp) -> int:
    """Run `app` until the user quits; the process exit code."""
    # The collector's passes stall the screen and the audio threads: see `collector`.
    # The CLI turned it off before importing the app; the app turns it back on once its
    # first frame is out (building the screen makes few cycles, many objects).
    tune_for_session()
    app.hurry_start()
    result = app.run()
    return result if isinstance(result, int) else 0

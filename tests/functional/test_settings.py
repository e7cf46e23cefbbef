"""Settings screen driven through Textual's pilot, with a real config file in a tmp dir."""

from __future__ import annotations

import stat
import tomllib
from collections.abc import Mapping
from functools import partial
from pathlib import Path
from typing import Any

from conftest_app import screen_text, wait_for
from pydantic import SecretStr
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Button, Checkbox, Input, Select, Static, TextArea

from rt_tui.config import Config, FunctionTool, Profile, Provider, SessionSettings, load_config
from rt_tui.tui.screens.main import MainScreen
from rt_tui.tui.screens.settings import SettingsOutcome, SettingsScreen
from rt_tui.tui.screens.settings.layout import UrlLine

STORED_KEY = "sk-stored-SECRET-1234567890"
ENV_KEY = "sk-env-SECRET-0987654321"
UNSET = object()


class Host(App[None]):
    """A bare app that opens the settings screen and keeps what it returns."""

    def __init__(
        self,
        config: Config,
        config_path: Path,
        env: Mapping[str, str] | None = None,
        notice: str | None = None,
    ) -> None:
        super().__init__()
        self.config = config
        self.config_path = config_path
        self.env = env or {}
        self.notice = notice
        self.outcome: object = UNSET

    def on_mount(self) -> None:
        self.open_settings()

    def open_settings(self) -> None:
        """Open a fresh settings screen on `self.config` (tests reuse one app)."""
        self.outcome = UNSET
        screen = SettingsScreen(
            self.config, config_path=self.config_path, env=self.env, notice=self.notice
        )
        self.push_screen(screen, self._done)

    def _done(self, outcome: SettingsOutcome | None) -> None:
        self.outcome = outcome


def two_profiles() -> Config:
    return Config(
        active_profile="work",
        profiles={
            "work": Profile(
                provider=Provider.AZURE,
                endpoint="myresource",
                model="my-deployment",
                api_key=SecretStr(STORED_KEY),
            ),
            "home": Profile(provider=Provider.OPENAI),
        },
        session=SessionSettings(instructions="Be brief.", voice="marin"),
    )


def settings(app: App[None]) -> SettingsScreen:
    screen = app.screen
    assert isinstance(screen, SettingsScreen)
    return screen


async def opened(pilot: Pilot[Any]) -> SettingsScreen:
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, SettingsScreen), "settings")
    await pilot.pause()
    return settings(pilot.app)


async def finished(pilot: Pilot[None], app: Host) -> object:
    await wait_for(pilot, lambda: app.outcome is not UNSET, "the screen to close")
    await wait_for(pilot, lambda: not isinstance(app.screen, SettingsScreen), "the pop")
    return app.outcome


async def set_input(pilot: Pilot[Any], widget_id: str, value: str) -> None:
    """Set an input as if typed, and let its Changed message be handled."""
    settings(pilot.app).query_one(f"#{widget_id}", Input).value = value
    await pilot.pause()


async def test_edit_instructions_save_and_reload(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    app = Host(two_profiles(), path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot)
        area = screen.query_one("#instructions", TextArea)
        area.focus()
        await pilot.press("ctrl+a")
        await pilot.press(*"Speak like a pirate.")
        await pilot.press("ctrl+s")
        await wait_for(pilot, path.exists, "the config file")
        status = str(screen.query_one("#settings-status", Static).render())
        assert f"Saved to {path}" in status
        assert isinstance(app.screen, SettingsScreen)  # Save keeps the screen open
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    reloaded = load_config(path)
    assert reloaded.session.instructions == "Speak like a pirate.Be brief."
    assert reloaded.session.voice == "marin"
    assert reloaded.active_profile == "work"
    assert reloaded.profiles["work"].model == "my-deployment"
    # The stored key is kept (never shown, never lost).
    work_key = reloaded.profiles["work"].api_key
    assert work_key is not None
    assert work_key.get_secret_value() == STORED_KEY


async def test_escape_after_save_hands_back_the_saved_config(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    app = Host(two_profiles(), path)
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot)
        await set_input(pilot, "voice", "cedar")
        await pilot.press("ctrl+s")
        await wait_for(pilot, path.exists, "the config file")
        await pilot.press("escape")
        outcome = await finished(pilot, app)
    assert isinstance(outcome, SettingsOutcome)
    assert outcome.config.session.voice == "cedar"
    assert outcome.apply == "session"


async def test_escape_cancels(tmp_path: Path) -> None:
    app = Host(two_profiles(), tmp_path / "config.toml")
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot)
        await set_input(pilot, "voice", "ash")
        await pilot.press("escape")
        assert await finished(pilot, app) is None
    assert not (tmp_path / "config.toml").exists()


BAD_VALUES = [
    ("max-tokens", "lots", "whole number from 1 to 4096, or inf"),
    ("vad-threshold", "2", "less than or equal to 1"),
    ("vad-silence", "soon", "valid integer"),
    ("api-key-env", "MY KEY", "environment variable name"),
    ("model", "", "deployment name"),
]


async def test_validation_errors_show_at_the_field_and_nothing_is_saved(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    app = Host(two_profiles(), path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot)
        status = screen.query_one("#settings-status", Static)
        for widget_id, value, expected in BAD_VALUES:
            good = screen.query_one(f"#{widget_id}", Input).value
            await set_input(pilot, widget_id, value)
            await pilot.press("ctrl+s")
            field = screen.query_one(f"#{widget_id}-field")
            await wait_for(pilot, partial(field.has_class, "-invalid"), widget_id)
            error = str(screen.query_one(f"#{widget_id}-error", Static).render())
            assert expected in error, widget_id
            assert screen.query_one(f"#{widget_id}-error").display
            assert screen.focused is screen.query_one(f"#{widget_id}")
            assert "Fix the 1 field" in str(status.render())
            await pilot.press("ctrl+o")  # Apply refuses too
            await pilot.pause()
            assert app.outcome is UNSET
            assert not path.exists()
            await set_input(pilot, widget_id, good)
            assert not field.has_class("-invalid")  # editing clears the mark
        # Two problems at once: both marked, the status counts them.
        await set_input(pilot, "max-tokens", "0")
        await set_input(pilot, "voice", "")  # empty voice is fine: the server default
        await set_input(pilot, "vad-prefix", "-5")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "Fix the 2 fields" in str(status.render()), "two errors")
        assert screen.query_one("#vad-prefix-field").has_class("-invalid")
        assert not path.exists()


async def test_tools_json_errors_name_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    app = Host(two_profiles(), path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot)
        tools = screen.query_one("#tools", TextArea)
        tools.text = '[\n  {"name": "lookup",\n   "description": "x" "oops"}\n]'
        await pilot.press("ctrl+s")
        error = screen.query_one("#tools-error", Static)
        await wait_for(pilot, lambda: "Line 3, column" in str(error.render()), "json error")
        tools.text = '[{"description": "no name"}]'
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "Tool 1, name" in str(error.render()), "schema error")
        tools.text = (
            '[{"name": "lookup", "description": "Find a word", '
            '"parameters": {"type": "object", "properties": {"q": {"type": "string"}}}}]'
        )
        await pilot.press("ctrl+o")
        outcome = await finished(pilot, app)
    assert not path.exists()
    assert isinstance(outcome, SettingsOutcome)
    assert outcome.apply == "session"
    assert outcome.config.session.tools == [
        FunctionTool(
            name="lookup",
            description="Find a word",
            parameters={"type": "object", "properties": {"q": {"type": "string"}}},
        )
    ]


APPLY_CASES: list[tuple[tuple[str, str] | None, str]] = [
    (None, "none"),
    (("voice", "alloy"), "session"),
    (("endpoint", "otherresource"), "reconnect"),
    (("profile-name", "office"), "none"),  # renaming does not touch the connection
]


async def test_apply_outcomes(tmp_path: Path) -> None:
    app = Host(two_profiles(), tmp_path / "config.toml")
    async with app.run_test(size=(80, 24)) as pilot:
        for index, (change, expected) in enumerate(APPLY_CASES):
            if index:
                app.open_settings()
            await opened(pilot)
            if change:
                await set_input(pilot, *change)
            await pilot.click("#apply")
            outcome = await finished(pilot, app)
            assert isinstance(outcome, SettingsOutcome)
            assert outcome.apply == expected, change
            if change == ("profile-name", "office"):
                assert outcome.config.active_profile == "office"
                assert "work" not in outcome.config.profiles
    assert not (tmp_path / "config.toml").exists()  # Apply does not write the file


async def test_turn_detection_and_provider_show_only_relevant_fields(tmp_path: Path) -> None:
    app = Host(two_profiles(), tmp_path / "config.toml")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot)

        def shown(widget_id: str) -> bool:
            return bool(screen.query_one(widget_id).display)

        assert shown("#vad-threshold-field")
        assert not shown("#vad-eagerness-field")
        assert not shown("#api-version-field")
        assert not shown("#tls-warning")
        screen.query_one("#verify-tls", Checkbox).value = False
        await wait_for(pilot, lambda: shown("#tls-warning"), "the TLS warning")
        screen.query_one("#turn-type", Select).value = "semantic_vad"
        await wait_for(pilot, lambda: shown("#vad-eagerness-field"), "eagerness")
        assert not shown("#vad-threshold-field")
        assert shown("#vad-create")
        screen.query_one("#turn-type", Select).value = "none"
        await wait_for(pilot, lambda: not shown("#vad-create"), "no vad fields")
        screen.query_one("#provider", Select).value = "azure-preview"
        await wait_for(pilot, lambda: shown("#api-version-field"), "api-version")
        preview = screen.query_one("#endpoint-preview", UrlLine).url  # whole, as shortened
        assert "wss://myresource.openai.azure.com/openai/realtime" in preview
        await pilot.press("ctrl+o")
        outcome = await finished(pilot, app)
    assert isinstance(outcome, SettingsOutcome)
    assert outcome.config.session.turn_detection.type == "none"
    assert outcome.config.profiles["work"].provider is Provider.AZURE_PREVIEW
    assert outcome.config.profiles["work"].verify_tls is False
    assert outcome.apply == "reconnect"


async def test_key_is_never_shown(tmp_path: Path) -> None:
    env = {"AZURE_OPENAI_API_KEY": ENV_KEY, "OPENAI_API_KEY": ENV_KEY}
    app = Host(two_profiles(), tmp_path / "config.toml", env=env)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await opened(pilot)
        status = str(screen.query_one("#key-status", Static).render())
        assert "stored in file" in status
        assert "AZURE_OPENAI_API_KEY" in status
        values = [widget.value for widget in screen.query(Input)]
        values += [widget.text for widget in screen.query(TextArea)]
        for _ in range(30):  # scroll the whole form through the screen
            text = screen_text(app)
            assert STORED_KEY not in text
            assert ENV_KEY not in text
            screen.query_one("#settings-form").scroll_down(animate=False)
            await pilot.pause()
        assert all(STORED_KEY not in value and ENV_KEY not in value for value in values)
        assert STORED_KEY not in repr(screen)
        # The other profile has no stored key: the env var is reported, not its value.
        screen.query_one("#profile", Select).value = "home"
        await wait_for(
            pilot,
            lambda: "set in $OPENAI_API_KEY" in str(screen.query_one("#key-status").render()),
            "home's key status",
        )
        assert ENV_KEY not in screen_text(app)


async def test_typed_key_is_stored_and_cleared_from_the_widget(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    config = Config(active_profile="home", profiles={"home": Profile()})
    app = Host(config, path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot)
        status = screen.query_one("#key-status", Static)
        assert "not set" in str(status.render())
        assert not screen.query_one("#api-key-field").display
        screen.query_one("#keep-key", Checkbox).value = True
        await wait_for(pilot, lambda: bool(screen.query_one("#api-key-field").display), "input")
        await pilot.press("ctrl+s")  # ticked but empty: an error at the field
        await wait_for(
            pilot, lambda: screen.query_one("#api-key-field").has_class("-invalid"), "error"
        )
        assert not path.exists()
        screen.query_one("#api-key", Input).focus()
        await pilot.press(*"sk-typed-key")
        assert "sk-typed-key" not in screen_text(app)  # a password input shows dots
        await pilot.press("ctrl+s")
        await wait_for(pilot, path.exists, "the config file")
        await wait_for(pilot, lambda: screen.query_one("#api-key", Input).value == "", "clear")
        assert "stored in file" in str(status.render())
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    key = load_config(path).profiles["home"].api_key
    assert key is not None
    assert key.get_secret_value() == "sk-typed-key"


async def test_untick_removes_the_stored_key(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    app = Host(two_profiles(), path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot)
        screen.query_one("#keep-key", Checkbox).value = False
        await pilot.press("ctrl+s")
        await wait_for(pilot, path.exists, "the config file")
    assert load_config(path).profiles["work"].api_key is None
    assert STORED_KEY not in path.read_text()


async def test_add_rename_and_switch_profiles(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    app = Host(two_profiles(), path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot)
        await pilot.click("#profile-new")
        name_input = screen.query_one("#profile-name", Input)
        await wait_for(pilot, lambda: name_input.value == "profile-2", "the new profile")
        assert screen.focused is name_input
        await pilot.press("ctrl+u", *"lab")
        screen.query_one("#provider", Select).value = "url"
        await wait_for(pilot, lambda: bool(screen.query_one("#dialect-field").display), "url")
        # A url profile needs its URL: the error shows at the endpoint field.
        await pilot.press("ctrl+s")
        await wait_for(
            pilot, lambda: screen.query_one("#endpoint-field").has_class("-invalid"), "error"
        )
        # Switching away from an invalid profile is refused, with the error shown.
        screen.query_one("#profile", Select).value = "home"
        await pilot.pause()
        # (the rename to "lab" is not committed yet either: the chooser keeps the old name)
        profile_select = screen.query_one("#profile", Select)
        await wait_for(pilot, lambda: profile_select.value == "profile-2", "revert")
        assert name_input.value == "lab"
        assert screen.query_one("#endpoint-field").has_class("-invalid")
        await set_input(pilot, "endpoint", "ws://127.0.0.1:9000/v1/realtime?model=m")
        await pilot.press("ctrl+s")
        await wait_for(pilot, path.exists, "the config file")
        saved = load_config(path)
        assert list(saved.profiles) == ["work", "home", "lab"]
        assert saved.active_profile == "lab"
        assert saved.profiles["lab"].endpoint == "ws://127.0.0.1:9000/v1/realtime?model=m"
        assert "api_version" not in tomllib.loads(path.read_text())["profiles"]["lab"]
        # Switch back: the form shows the other profile, the choice becomes active.
        screen.query_one("#profile", Select).value = "work"
        await wait_for(pilot, lambda: name_input.value == "work", "the switch")
        assert screen.query_one("#endpoint", Input).value == "myresource"
        await pilot.press("ctrl+o")
        outcome = await finished(pilot, app)
    assert isinstance(outcome, SettingsOutcome)
    assert outcome.config.active_profile == "work"
    assert outcome.apply == "none"  # back on the original active profile, unchanged


async def test_new_right_after_a_rename_shows_the_new_profile(tmp_path: Path) -> None:
    app = Host(two_profiles(), tmp_path / "config.toml")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot)
        await pilot.click("#profile-name")
        await pilot.press("end", "ctrl+u", *"office")
        await pilot.click("#profile-new")  # commits the rename, then adds
        name_input = screen.query_one("#profile-name", Input)
        await wait_for(pilot, lambda: name_input.value == "profile-2", "the new profile")
        # What the rename and the add did to the chooser is all handled by now: it is
        # not taken for the user picking a profile.
        await pilot.pause()
        await pilot.pause()
        status = str(screen.query_one("#settings-status", Static).render())
        assert status == "Added profile 'profile-2': rename it and fill in its connection."
        assert screen.query_one("#profile", Select).value == "profile-2"
        assert name_input.value == "profile-2"
        assert screen.focused is name_input
        await pilot.press("ctrl+o")
        outcome = await finished(pilot, app)
    assert isinstance(outcome, SettingsOutcome)
    assert list(outcome.config.profiles) == ["office", "home", "profile-2"]


async def test_delete_profile_and_duplicate_names(tmp_path: Path) -> None:
    app = Host(two_profiles(), tmp_path / "config.toml")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot)
        await set_input(pilot, "profile-name", "home")
        await pilot.press("ctrl+o")
        error = screen.query_one("#profile-name-error", Static)
        await wait_for(pilot, lambda: "already exists" in str(error.render()), "name clash")
        await set_input(pilot, "profile-name", "work")
        await pilot.click("#profile-delete")
        name_input = screen.query_one("#profile-name", Input)
        await wait_for(pilot, lambda: name_input.value == "home", "the deletion")
        delete = screen.query_one("#profile-delete", Button)
        # A button ignores clicks while it shows its pressed effect.
        await wait_for(pilot, lambda: not delete.has_class("-active"), "the button")
        await pilot.click("#profile-delete")  # the last one stays
        status = screen.query_one("#settings-status", Static)
        await wait_for(pilot, lambda: "cannot be deleted" in str(status.render()), "refusal")
        await pilot.press("ctrl+o")
        outcome = await finished(pilot, app)
    assert isinstance(outcome, SettingsOutcome)
    assert list(outcome.config.profiles) == ["home"]
    assert outcome.config.active_profile == "home"
    assert outcome.apply == "reconnect"


async def test_empty_config_notice_and_first_profile(tmp_path: Path) -> None:
    notice = "No profile or API key found: pick a provider and fill in the endpoint."
    app = Host(Config(), tmp_path / "config.toml", notice=notice)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot)
        assert notice in screen_text(app)
        assert "not set: export $OPENAI_API_KEY" in str(screen.query_one("#key-status").render())
        await pilot.press("ctrl+o")
        unchanged = await finished(pilot, app)
    assert isinstance(unchanged, SettingsOutcome)
    assert unchanged.apply == "none"
    assert unchanged.config.profiles == {}

    app = Host(Config(), tmp_path / "config.toml", notice=notice)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot)
        screen.query_one("#provider", Select).value = "azure"
        await set_input(pilot, "endpoint", "myresource")
        await set_input(pilot, "model", "dep")
        await pilot.press("ctrl+o")
        outcome = await finished(pilot, app)
    assert isinstance(outcome, SettingsOutcome)
    assert outcome.apply == "reconnect"
    assert outcome.config.active_profile == "default"
    assert outcome.config.profiles["default"].provider is Provider.AZURE


async def test_save_failure_is_one_sentence(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where a directory should be")
    app = Host(two_profiles(), blocker / "config.toml")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot)
        await pilot.press("ctrl+s")
        status = screen.query_one("#settings-status", Static)
        await wait_for(pilot, lambda: "cannot be written" in str(status.render()), "error")
        assert status.has_class("-error")
        assert "Traceback" not in screen_text(app)


async def test_keyboard_only_tab_to_a_field_and_apply(tmp_path: Path) -> None:
    app = Host(two_profiles(), tmp_path / "config.toml")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot)
        assert screen.focused is screen.query_one("#profile")
        await pilot.press("tab")  # Tab moves between fields...
        assert screen.focused is screen.query_one("#profile-new")
        screen.query_one("#instructions").focus()
        await pilot.press("tab")  # ...and out of a text area too (no tab characters)
        voice = screen.query_one("#voice", Input)
        assert screen.focused is voice
        # The form scrolled to keep the focused field visible in 24 rows.
        assert voice.region.height == 1
        assert screen.query_one("#settings-form").region.contains_region(voice.region)
        await pilot.press("ctrl+u", *"verse", "ctrl+o")
        outcome = await finished(pilot, app)
    assert isinstance(outcome, SettingsOutcome)
    assert outcome.config.session.voice == "verse"
    assert outcome.apply == "session"


async def test_keys_jump_between_the_sections_of_the_form(tmp_path: Path) -> None:
    app = Host(two_profiles(), tmp_path / "config.toml")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot)
        form = screen.query_one("#settings-form")

        def heading_on_top(title: str) -> bool:
            """The section's heading shows, at the top unless the form cannot scroll so far."""
            [heading] = [s for s in screen.query(".section") if str(s.render()) == title]
            on_top = heading.region.y == form.region.y + 1  # below the heading's margin
            return form.region.contains_region(heading.region) and (
                on_top or form.scroll_y == form.max_scroll_y
            )

        assert screen.focused is screen.query_one("#profile")
        steps = [
            ("ctrl+down", "instructions", "Session"),
            ("ctrl+down", "turn-type", "Turn detection"),
            ("ctrl+down", "tools", "Tools"),
            ("ctrl+down", "audio-mic", "Audio"),
            ("ctrl+down", "profile", "Connection"),  # round again
            ("ctrl+up", "audio-mic", "Audio"),
            ("ctrl+up", "tools", "Tools"),
            ("alt+up", "turn-type", "Turn detection"),
            ("alt+down", "tools", "Tools"),
        ]
        for key, field_id, title in steps:
            await pilot.press(key)
            await pilot.pause()
            assert screen.focused is screen.query_one(f"#{field_id}"), key
            assert heading_on_top(title), f"{title} at the top after {key}"
        # From a field inside a section, the next section is one key away.
        screen.query_one("#voice").focus()
        await pilot.press("ctrl+down")
        assert screen.focused is screen.query_one("#turn-type")
        keys = {key: active.binding.description for key, active in screen.active_bindings.items()}
        assert keys["ctrl+down"] == "Next section"
        assert keys["ctrl+up"] == "Previous section"


async def test_through_the_real_app(tmp_path: Path) -> None:
    """f2 opens settings over the main screen; Apply hands the config to the app."""
    from rt_tui.tui.app import make_app

    path = tmp_path / "config.toml"
    app = make_app(
        config=two_profiles(),
        config_path=path,
        env={"AZURE_OPENAI_API_KEY": ENV_KEY},
        sessions_dir=tmp_path / "sessions",
        connect=False,
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen), "the main screen")
        await pilot.press("f2")
        await opened(pilot)
        text = screen_text(app)
        assert STORED_KEY not in text
        assert ENV_KEY not in text
        await set_input(pilot, "voice", "verse")
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: not isinstance(app.screen, SettingsScreen), "apply")
        await wait_for(
            pilot, lambda: app.context.config.session.voice == "verse", "the app's config"
        )
    assert not path.exists()  # Apply alone does not write the file


async def test_a_runs_transcribe_flag_is_not_saved(tmp_path: Path) -> None:
    # --transcribe makes this run's session a transcription session; the form has no such
    # field, so saving keeps the file's own session type.
    path = tmp_path / "config.toml"
    config = two_profiles()
    config.session.type = "transcription"
    app = Host(config, path)
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot)
        await pilot.press("ctrl+s")
        await wait_for(pilot, path.exists, "the config file")
    assert load_config(path).session.type == "realtime"

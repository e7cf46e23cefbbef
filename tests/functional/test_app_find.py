"""Finding things: search the conversation, go from an item to its frames and back, and
export the conversation where the user says."""

from __future__ import annotations

from pathlib import Path

from conftest_app import (
    app_for_url,
    connected,
    main_screen,
    screen_text,
    submit,
    type_text,
    wait_for,
)
from textual import events
from textual.pilot import Pilot
from textual.widgets import Static

from rt_tui.inspector.logs import ReplayPlan, check_log
from rt_tui.mock import MockServer
from rt_tui.tui.export_prompt import ExportPrompt
from rt_tui.tui.replay import replay_finished
from rt_tui.tui.screens.main import MainScreen
from rt_tui.tui.widgets.conversation import ConversationPane

LATENCY_LOG = Path(__file__).parent.parent / "fixtures" / "sessions" / "latency_session.jsonl"


async def paste(pilot: Pilot[int], text: str) -> None:
    """Paste `text` into the focused widget, as a terminal delivers a paste."""
    focused = pilot.app.focused
    assert focused is not None
    focused.post_message(events.Paste(text))
    await pilot.pause()


async def replayed(pilot: Pilot[int]) -> MainScreen:
    screen = main_screen(pilot)
    await wait_for(pilot, lambda: replay_finished(screen), "the replay")
    return screen


def styled_words(pane: ConversationPane, part: str) -> list[str]:
    """The words painted in the conversation part `part` (e.g. `match-current`), top to
    bottom, over the lines in view."""
    look = pane.get_component_rich_style(f"conversation-pane--{part}")
    words = []
    for y in range(pane.scrollable_content_region.height):
        for segment in pane.render_line(y):
            style = segment.style
            if style is not None and style.bgcolor == look.bgcolor and segment.text.strip():
                words.append(segment.text)
    return words


async def test_find_highlights_steps_through_matches_and_closes(tmp_path: Path) -> None:
    app = app_for_url(None, tmp_path, replay=ReplayPlan(check_log(LATENCY_LOG)))
    async with app.run_test(size=(120, 40)) as pilot:
        main = await replayed(pilot)
        await pilot.press("shift+tab")  # From the inspector (where ctrl+f filters).
        assert main.pane.has_focus
        await pilot.press("ctrl+f")
        bar = main.find_bar
        assert bar.shown
        await type_text(pilot, "time")
        # The search of all four letters: on a slow machine the typing pauses long enough
        # for a search of the first ones too (which also finds two).
        await wait_for(
            pilot,
            lambda: main.pane.finder.query == "time" and bar.found == (1, 2),
            "the first of two matches of 'time'",
        )
        assert "1 of 2" in screen_text(app)
        first = main.pane.selected_key
        assert first == ("item", "item_reply_1")  # "It shows where time went."
        assert styled_words(main.pane, "match-current") == ["time"]

        await pilot.press("enter")
        assert bar.found == (2, 2)
        assert main.pane.selected_key == ("item", "item_user_3")  # "Take your time…"
        await pilot.press("enter")  # Round again to the first.
        assert bar.found == (1, 2)
        await pilot.press("up")
        assert bar.found == (2, 2)

        await type_text(pilot, "zzz")
        await wait_for(pilot, lambda: bar.found == (0, 0), "no match")
        assert "no match" in screen_text(app)
        await pilot.press("escape")
        assert not bar.shown
        assert main.pane.has_focus
        assert not main.pane.finder.active
        assert main.pane.selected_key == ("item", "item_user_3")  # The last match's item.


async def test_an_item_leads_to_its_frames_and_a_frame_back_to_its_item(tmp_path: Path) -> None:
    app = app_for_url(None, tmp_path, replay=ReplayPlan(check_log(LATENCY_LOG)))
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        main = await replayed(pilot)
        pane, inspector = main.pane, main.inspector
        await pilot.press("shift+tab")
        assert pane.has_focus
        await pilot.press("ctrl+g")
        await wait_for(
            pilot,
            lambda: "Select an item first: Tab to the conversation" in screen_text(app),
            "the hint",
        )

        await pilot.press("alt+up")  # The last item in view: the last reply.
        assert pane.selected_key == ("item", "item_reply_4")
        await pilot.press("alt+up", "alt+up")
        assert pane.selected_key == ("item", "item_user_4")
        await pilot.press("alt+down")
        assert pane.selected_key == ("response", "resp_4")

        await pilot.press("alt+up")
        await pilot.press("ctrl+g")
        frame = inspector.selected_frame
        assert frame is not None
        assert inspector.store.wire_type(frame) == "conversation.item.added"
        assert inspector.selected_subject().item_id == "item_user_4"
        assert inspector.rows.has_focus

        await pilot.press("down")  # A frame of the next response, then back to it.
        await pilot.press("ctrl+g")
        assert pane.has_focus
        assert pane.selected_key == ("response", "resp_4")


async def test_the_conversation_goes_where_the_export_prompt_says(tmp_path: Path) -> None:
    async with MockServer(delta_delay=0) as server:
        app = app_for_url(server.ga_url(), tmp_path)
        async with app.run_test(size=(120, 40)) as pilot:
            main = await connected(pilot)
            await submit(pilot, "export me, *please*")
            await wait_for(pilot, lambda: main.conversation.totals.responses == 1, "the reply")
            log = main.status.log_path
            assert log is not None

            await pilot.press("alt+e")
            await wait_for(pilot, lambda: isinstance(app.screen, ExportPrompt), "the prompt")
            prompt = app.screen
            assert isinstance(prompt, ExportPrompt)
            assert prompt.default == log.with_suffix(".md")  # Beside the log, its name.
            await pilot.press("enter")
            written = log.with_suffix(".md")
            await wait_for(pilot, written.exists, "the Markdown file")
            await wait_for(pilot, lambda: "## Assistant" in written.read_text(), "the whole file")
            assert "## You\n\nexport me, *please*" in written.read_text()
            assert (written.stat().st_mode & 0o777) == 0o600

            # An export never replaces a file: the prompt says so and waits.
            await pilot.press("alt+e")
            await wait_for(pilot, lambda: isinstance(app.screen, ExportPrompt), "the prompt")
            await pilot.press("ctrl+u")
            await paste(pilot, str(written))
            await pilot.press("enter")
            # Read from the prompt's line, not the screen: a long path wraps the sentence.
            problem = app.screen.query_one("#export-problem", Static)
            await wait_for(
                pilot, lambda: "exists: type another name" in str(problem.content), "why"
            )
            # A folder takes the default name in it.
            folder = tmp_path / "exports"
            folder.mkdir()
            await pilot.press("ctrl+u")
            await paste(pilot, str(folder))
            await pilot.press("enter")
            await wait_for(pilot, lambda: any(folder.glob("*.md")), "the export in the folder")
            (exported,) = folder.glob("*.md")
            assert exported.name == f"{log.stem}-2.md"

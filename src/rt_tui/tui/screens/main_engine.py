"""What the main screen runs behind its panes: the conversation reducer, the live session,
the live voice and the reading of its events, the function-call answerer and the cost
meter, each made when it is first needed.

The first frame shows none of them, so none is made for it, and none of their modules
loads before it (the reducer's, the socket's, the audio's, the tools', the price table):
`make` builds the reducer, the voice and the connection once the frame is out; the
function-call answerer waits for the first call, the cost meter for the first usage (or
for the moment after the first frame, in a session that connects). The voice alone may
come sooner: with the screen, when a config file or an audio flag may ask for audio, since
its meters may then be on the first frame. What was never made is never closed.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from rt_tui.realtime import client_events
from rt_tui.tui import jobs

if TYPE_CHECKING:
    from rt_tui.config import Config
    from rt_tui.cost.meter import CostMeter
    from rt_tui.realtime.conversation import Conversation
    from rt_tui.tui.context import AppContext
    from rt_tui.tui.live_session import LiveSession
    from rt_tui.tui.screens.main import MainScreen
    from rt_tui.tui.tool_calls import ToolCalls
    from rt_tui.tui.voice import Voice
    from rt_tui.tui.voice_events import VoiceEvents


def new_conversation() -> Conversation:
    """An empty conversation reducer, whose audio store measures levels as audio arrives
    (for the pane's sparklines)."""
    from rt_tui.realtime.audio_store import AudioStore
    from rt_tui.realtime.conversation import Conversation

    return Conversation(AudioStore(levels=True))


class MainEngine:
    """The conversation, connection, voice, tools and costs of `screen`."""

    def __init__(self, screen: MainScreen, context: AppContext) -> None:
        self._screen = screen
        self._context = context
        # Without a config file or an audio flag, nothing opens: the settings' models and
        # the voice's audio modules can wait until after the first frame.
        self._audio_config = context.audio_config
        """What says which microphone and speaker to open; None: none."""
        if self._audio_config is not None:
            self.voice  # noqa: B018  (made now: its meters may be on the first frame)

    @cached_property
    def conversation(self) -> Conversation:
        """The conversation reducer: made right after the first frame (which shows no
        conversation), or by whatever needs it sooner."""
        return new_conversation()

    @cached_property
    def voice(self) -> Voice:
        """The live audio: made with the screen when a config file or a flag may ask for
        it, otherwise right after the first frame, or by whatever needs it sooner."""
        from rt_tui.tui.voice import Voice
        from rt_tui.tui.voice_choice import voice_choice

        context = self._context
        return Voice(
            voice_choice(self._audio_config, context.mic, context.speaker),
            self._screen.post_message,
            session=lambda: self.live.session,
            dialect=lambda: self.live.dialect,
            settings=lambda: context.config.session,
            keymap=lambda: context.config.ui.keymap,
        )

    @cached_property
    def voice_events(self) -> VoiceEvents:
        """Reads the voice events among the session's frames as lines of the conversation:
        made right after the first frame, as the voice is."""
        from rt_tui.tui.voice_events import VoiceEvents

        return VoiceEvents()

    @property
    def voice_wanted(self) -> bool:
        """Live audio was asked for (never without a config file or an audio flag)."""
        return self._audio_config is not None and self.voice.choice.wanted

    @cached_property
    def live(self) -> LiveSession:
        """The connection: opened, lost, retried, resumed and renewed. Made right after
        the first frame, as the conversation is, or by whatever needs it sooner."""
        from rt_tui.tui.live_session import LiveSession

        return LiveSession(self._screen, self._context)

    @cached_property
    def tool_calls(self) -> ToolCalls:
        """Answers the model's function calls: made when first needed, since the tools it
        runs need not load for the first frame."""
        from rt_tui.tui.tool_calls import ToolCalls

        screen = self._screen
        return ToolCalls(
            screen,
            send=lambda event: self.live.session.send(event),
            response_create=lambda: client_events.response_create(self.live.dialect),
            notice=screen.pane.add_notice,
        )

    @cached_property
    def costs(self) -> CostMeter:
        """Prices the session's tokens; made with the first usage, not for the first frame."""
        from rt_tui.cost.meter import CostMeter
        from rt_tui.cost.table import price_table

        cost = self._context.config.cost
        return CostMeter(price_table(cost), budget_usd=cost.budget_usd)

    @property
    def retrying(self) -> bool:
        """A lost session is being opened again (never before the connection is made: the
        footer asks for the first frame, which need not make it)."""
        return "live" in self.__dict__ and self.live.retrying

    def make(self) -> None:
        """Make the reducer, the voice and the connection now, not with the first key or
        frame: called once the first frame is out."""
        self.conversation  # noqa: B018
        self.voice  # noqa: B018  (before the connection, which it observes)
        self.voice_events  # noqa: B018
        self.live  # noqa: B018

    def run_voice(self) -> None:
        """Open the microphone and speaker and stream, as the live-audio job, when live
        audio was asked for."""
        if self.voice_wanted:
            jobs.start(self._screen, jobs.LIVE_AUDIO, self.voice.run())

    def replace_voice(self, config: Config) -> None:
        """The settings name another microphone or speaker: from now on they say which
        (over --mic / --speaker); the new ones open with `run_voice`."""
        from rt_tui.tui.voice_choice import voice_choice

        context = self._context
        context.mic = context.speaker = None
        self._audio_config = config
        self.voice.replace(voice_choice(config))

    def reset(self) -> None:
        """Forget the conversation, the function calls and the spending against the budget."""
        self.conversation = new_conversation()
        self.tool_calls.reset()
        self.costs.budget.restart()

    def close(self) -> None:
        """Close the voice and the connection, if they were made (making them now, as the
        app quits before its first frame, would load the audio modules on the way out)."""
        for made in ("voice", "live"):
            if made in self.__dict__:
                self.__dict__[made].close()

"""Templates for every client event of a dialect, filled with the session's current ids:
the last item, the last response, the function call waiting for its output, the last
assistant audio item (for `conversation.item.truncate`) and the last MCP approval request.

Each template is an event that the checker finds well formed; where the session has no
id to give yet, a placeholder in angle brackets says what goes there.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any

from rt_tui.config import SessionSettings
from rt_tui.dialect import Dialect
from rt_tui.event_composer.schema import CLIENT_EVENTS
from rt_tui.realtime import client_events
from rt_tui.realtime.audio_store import BYTES_PER_MS
from rt_tui.realtime.conversation import Conversation
from rt_tui.realtime.conversation_items import pending_call_id

SILENCE_MS = 10
"""The audio of the `input_audio_buffer.append` template: short, so the template reads."""


@dataclass(frozen=True)
class SessionIds:
    """The ids a template can be filled with, from the conversation so far."""

    last_item: str | None = None
    last_response: str | None = None
    """The running response if one runs, else the newest."""
    pending_call: str | None = None
    """The call_id of the newest function call that has no output yet."""
    audio_item: str | None = None
    """The newest assistant item with audio."""
    audio_content_index: int = 0
    audio_end_ms: int | None = None
    """Where to cut `audio_item`: half its audio, as a barge-in part-way through would."""
    approval_request: str | None = None
    """The newest `mcp_approval_request` item (GA)."""


def session_ids(conversation: Conversation) -> SessionIds:
    """The ids of `conversation` a template uses."""
    items = conversation.items
    responses = list(conversation.responses)
    audio_item, audio_index, audio_end = None, 0, None
    for item in reversed(items):
        audio_parts = [i for i, part in item.parts.items() if part.is_audio]
        if item.role == "assistant" and audio_parts:
            audio_item, audio_index = item.id, audio_parts[0]
            audio_end = int(conversation.audio.duration_ms(item.id) // 2)
            break
    requests = (item.id for item in reversed(items) if item.type == "mcp_approval_request")
    return SessionIds(
        last_item=items[-1].id if items else None,
        last_response=conversation.active_response_id or (responses[-1] if responses else None),
        pending_call=pending_call_id(items),
        audio_item=audio_item,
        audio_content_index=audio_index,
        audio_end_ms=audio_end,
        approval_request=next(requests, None),
    )


@dataclass(frozen=True)
class Template:
    """One event to start from."""

    label: str
    """What the composer lists: the type, and which kind when a type has several."""
    event: dict[str, Any]

    @property
    def text(self) -> str:
        return json.dumps(self.event, indent=2, ensure_ascii=False)


def templates(dialect: Dialect, ids: SessionIds, settings: SessionSettings) -> list[Template]:
    """A template for each client event type of `dialect`, in the schema's order
    (`conversation.item.create` more than once: a message, a function call's output and,
    in GA, the answer to an MCP approval request)."""
    silence = base64.b64encode(bytes(int(SILENCE_MS * BYTES_PER_MS))).decode("ascii")
    item_id = ids.last_item or "<item id>"
    create_message = client_events.user_message("Hello")
    if ids.last_item is not None:
        create_message["previous_item_id"] = ids.last_item
    answer = client_events.function_call_output(ids.pending_call or "<call id>", '{"ok": true}')
    creates = [
        Template("conversation.item.create (message)", create_message),
        Template("conversation.item.create (call output)", answer),
    ]
    if dialect is Dialect.GA:
        approval = client_events.mcp_approval_response(
            ids.approval_request or "<approval request id>", approve=True
        )
        creates.append(Template("conversation.item.create (MCP approval)", approval))
    cancel = client_events.response_cancel(ids.last_response or "<response id>")
    truncate = client_events.item_truncate(
        ids.audio_item or "<assistant audio item id>",
        ids.audio_end_ms if ids.audio_end_ms is not None else 0,
        ids.audio_content_index,
    )
    built: dict[str, list[Template]] = {
        "session.update": [
            Template("session.update", client_events.session_update(settings, dialect))
        ],
        "input_audio_buffer.append": [
            Template(
                "input_audio_buffer.append", {**client_events.audio_append(b""), "audio": silence}
            )
        ],
        "conversation.item.create": creates,
        "conversation.item.retrieve": [
            Template("conversation.item.retrieve", client_events.item_retrieve(item_id))
        ],
        "conversation.item.delete": [
            Template("conversation.item.delete", client_events.item_delete(item_id))
        ],
        "conversation.item.truncate": [Template("conversation.item.truncate", truncate)],
        "response.create": [
            Template(
                "response.create",
                client_events.response_create(dialect, output_modality=settings.output_modality),
            )
        ],
        "response.cancel": [Template("response.cancel", cancel)],
        "transcription_session.update": [
            Template(
                "transcription_session.update",
                {
                    "type": "transcription_session.update",
                    "session": {"input_audio_transcription": {"model": "whisper-1"}},
                },
            )
        ],
    }
    found: list[Template] = []
    for event_type in CLIENT_EVENTS[dialect]:
        found.extend(built.get(event_type) or [Template(event_type, {"type": event_type})])
    return found

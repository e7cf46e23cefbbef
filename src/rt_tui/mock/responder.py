"""What the mock says: scripted, deterministic replies, tool calls, voice tones and token counts.

Nothing here does I/O; the response stream (`response_run`) sends what this module decides.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rt_tui.mock.schema_values import value_for
from rt_tui.realtime.audio import silence, tone
from rt_tui.realtime.errors import one_line

JsonObject = dict[str, Any]

_WORD = re.compile(r"\s*\S+\s*")
_QUOTE_LIMIT = 160


@dataclass(frozen=True, slots=True)
class TextReply:
    """A message: written (text modality) or spoken (audio + transcript)."""

    text: str


@dataclass(frozen=True, slots=True)
class ToolCallReply:
    """A function call with arguments that fit the tool's JSON schema."""

    name: str
    arguments: str


@dataclass(frozen=True, slots=True)
class ToolCallsReply:
    """Several function calls in one response (the message named several tools)."""

    calls: tuple[ToolCallReply, ...]


Reply = TextReply | ToolCallReply | ToolCallsReply


def words(text: str) -> list[str]:
    """`text` cut into word-sized deltas that join back to exactly `text`."""
    pieces = _WORD.findall(text)
    return pieces if pieces else ([text] if text else [])


def chunks(text: str, size: int = 12) -> list[str]:
    """`text` cut into pieces of `size` characters (function-call argument deltas)."""
    return [text[i : i + size] for i in range(0, len(text), size)] or [""]


def count_tokens(text: str) -> int:
    """A rough token count (about four characters a token)."""
    return math.ceil(len(text) / 4) if text else 0


def audio_tokens(ms: float) -> int:
    """Tokens for `ms` of audio (about ten a second, as the service bills input audio)."""
    return math.ceil(ms / 100) if ms > 0 else 0


@lru_cache(maxsize=4096)
def speak(word: str) -> bytes:
    """The mock's voice for one word: a tone whose pitch and length follow the word, then a gap.

    PCM16 24 kHz mono. Cached, so a long session costs little.
    """
    letters = word.strip()
    if not letters:
        return silence(40)
    pitch = 220 + (sum(map(ord, letters)) % 12) * 40
    length = 60 + 15 * min(len(letters), 10)
    return tone(pitch, length) + silence(40)


def transcript_for(ms: float) -> str:
    """The fixed text the mock 'hears' in user audio."""
    return f"This is the mock transcript of {ms / 1000:.1f} seconds of audio."


# --- choosing a reply ---------------------------------------------------------------------


def plan_reply(
    items: list[JsonObject],
    tools: list[JsonObject],
    tool_choice: Any,
    audio_ms: dict[str, float],
    instructions: str | None = None,
) -> Reply:
    """What to answer to the conversation `items` (oldest first) given the session's tools.

    - After a `function_call_output`: a message that uses the output.
    - When the last user message names tools (or tool_choice forces one): a call to each.
    - Otherwise: a Markdown message echoing the last user message.
    """
    last = items[-1] if items else None
    if last is not None and last.get("type") == "function_call_output":
        return TextReply(_tool_result_text(items))
    user_text = last_user_text(items, audio_ms)
    to_call = _tools_to_call(user_text or "", tools, tool_choice)
    if to_call and not _answered_already(items):
        calls = tuple(_call(tool) for tool in to_call)
        return calls[0] if len(calls) == 1 else ToolCallsReply(calls)
    return TextReply(echo_text(user_text, tools, instructions, earlier=_earlier_items(items)))


def echo_text(
    user_text: str | None,
    tools: list[JsonObject],
    instructions: str | None = None,
    *,
    earlier: int = 0,
) -> str:
    """The mock's ordinary reply: what you said, what the mock is, some Markdown to render.

    `earlier` counts the items before the last user message: saying it shows that a new
    session was given the conversation so far (a client's re-seed after a reconnect)."""
    if user_text is None:
        opening = "You have not said anything yet, so there is nothing to echo."
    else:
        quoted = one_line(user_text, _QUOTE_LIMIT)
        opening = f"You said: “{quoted}”"
    if earlier:
        opening += f"\n\nI see {earlier} earlier item{'s' if earlier != 1 else ''} in this session."
    # Quoting the session's own instructions shows that a session.update took effect.
    if instructions:
        opening += f"\n\nMy instructions say: “{one_line(instructions, _QUOTE_LIMIT)}”"
    example = f"`{tools[0]['name']}`" if tools and tools[0].get("name") else "a session tool"
    return (
        f"{opening}\n\n"
        "I am the **rt-tui mock server**, so this reply is scripted:\n\n"
        "- it echoes your last message\n"
        "- it streams word by word, so you can watch the deltas\n"
        f"- name {example} in a message and I call it\n\n"
        "Send `response.cancel` while I talk to stop me."
    )


def _earlier_items(items: list[JsonObject]) -> int:
    """How many items come before the last user message."""
    for index in range(len(items) - 1, -1, -1):
        item = items[index]
        if item.get("type") == "message" and item.get("role") == "user":
            return index
    return 0


def _tool_result_text(items: list[JsonObject]) -> str:
    """The reply to the outputs that end the conversation: each one quoted."""
    outputs: list[JsonObject] = []
    for item in reversed(items):
        if item.get("type") != "function_call_output":
            break
        outputs.insert(0, item)
    names = {
        i.get("call_id"): str(i.get("name")) for i in items if i.get("type") == "function_call"
    }
    quoted: list[str] = []
    for output_item in outputs:
        output = str(output_item.get("output", ""))
        if len(output) > 400:
            output = output[:399] + "…"
        name = names.get(output_item.get("call_id"))
        label = f"The tool `{name}`" if name else "The tool"
        quoted.append(f"{label} returned:\n\n```\n{output}\n```")
    return "\n\n".join(quoted) + "\n\nThat is all the mock knows, so that is my answer."


def last_user_text(items: list[JsonObject], audio_ms: dict[str, float]) -> str | None:
    for item in reversed(items):
        if item.get("type") != "message" or item.get("role") != "user":
            continue
        parts: list[str] = []
        for part in item.get("content") or []:
            if not isinstance(part, dict):
                continue
            if part.get("type") == "input_text" and isinstance(part.get("text"), str):
                parts.append(part["text"])
            elif part.get("type") == "input_audio":
                transcript = part.get("transcript")
                if isinstance(transcript, str) and transcript:
                    parts.append(transcript)
                else:
                    ms = audio_ms.get(str(item.get("id")), 0.0)
                    parts.append(f"({ms / 1000:.1f} seconds of audio)")
        return " ".join(parts)
    return None


def _answered_already(items: list[JsonObject]) -> bool:
    """True when a function call already follows the last user message (don't loop on it)."""
    for item in reversed(items):
        if item.get("type") == "function_call":
            return True
        if item.get("type") == "message" and item.get("role") == "user":
            return False
    return False


def _call(tool: JsonObject) -> ToolCallReply:
    name = str(tool.get("name"))
    arguments = value_for(tool.get("parameters") or {"type": "object"}, name)
    return ToolCallReply(name, json.dumps(arguments if isinstance(arguments, dict) else {}))


def names_tool(text: str, name: str) -> bool:
    """Whether `text` names the tool `name` (as written, or with spaces for _ and -)."""
    lowered, name = text.lower(), name.lower()
    spaced = name.replace("_", " ").replace("-", " ")
    return bool(
        re.search(rf"\b{re.escape(name)}\b", lowered)
        or (spaced != name and re.search(rf"\b{re.escape(spaced)}\b", lowered))
    )


def _tools_to_call(text: str, tools: list[JsonObject], tool_choice: Any) -> list[JsonObject]:
    named = [t for t in tools if isinstance(t.get("name"), str) and t["name"]]
    if not named or tool_choice == "none":
        return []
    if isinstance(tool_choice, dict) and tool_choice.get("type") == "function":
        return [t for t in named if t["name"] == tool_choice.get("name")][:1]
    called = [tool for tool in named if names_tool(text, tool["name"])]
    if not called and tool_choice == "required":
        return named[:1]
    return called

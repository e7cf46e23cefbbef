"""The session's configuration history in the reducer, and the diff core: a session.update
against the server's answer, and two profiles side by side."""

from __future__ import annotations

import json
from typing import Any

from pydantic import SecretStr

from rt_tui.config import Config, Profile, Provider, SessionSettings
from rt_tui.realtime.conversation import Conversation
from rt_tui.realtime.events import parse_server_frame
from rt_tui.realtime.frames import Direction, Frame
from rt_tui.realtime.session_history import SessionExchange
from rt_tui.session_diff.fields import (
    MISSING,
    FieldStatus,
    counts_text,
    diff_exchange,
    flatten,
    shown,
)
from rt_tui.session_diff.profiles import diff_profiles

JsonObject = dict[str, Any]

CREATED: JsonObject = {
    "type": "realtime",
    "id": "sess_1",
    "model": "gpt-realtime",
    "output_modalities": ["audio"],
    "max_output_tokens": "inf",
    "audio": {
        "input": {"turn_detection": {"type": "semantic_vad", "eagerness": "auto"}},
        "output": {"voice": "marin", "speed": 1},
    },
}


def updated(**changes: Any) -> JsonObject:
    session: JsonObject = json.loads(json.dumps(CREATED))
    for path, value in changes.items():
        *parents, leaf = path.split("__")
        target = session
        for key in parents:
            target = target[key]
        target[leaf] = value
    return session


def sent(t_ms: float, event: JsonObject, redacted: str | None = None) -> Frame:
    data = json.dumps(event)
    return Frame(Direction.SENT, t_ms, 0.0, data, client_event=event, redacted=redacted or data)


def received(t_ms: float, event: JsonObject) -> Frame:
    data = json.dumps(event)
    return Frame(Direction.RECEIVED, t_ms, 0.0, data, event=parse_server_frame(data))


def session_update(session: JsonObject, event_id: str) -> JsonObject:
    return {"type": "session.update", "event_id": event_id, "session": session}


def test_each_update_is_paired_with_the_servers_answer_in_order() -> None:
    conversation = Conversation()
    conversation.apply(received(1, {"type": "session.created", "session": CREATED}))
    first = {"type": "realtime", "max_output_tokens": 9000}
    second = {"type": "realtime", "audio": {"output": {"voice": "nova"}}}
    conversation.apply(sent(2, session_update(first, "evt_1")))
    conversation.apply(sent(3, session_update(second, "evt_2")))
    conversation.apply(
        received(4, {"type": "session.updated", "session": updated(max_output_tokens=4096)})
    )
    after_second = updated(max_output_tokens=4096)
    conversation.apply(received(5, {"type": "session.updated", "session": after_second}))
    created, one, two = conversation.session_history.exchanges
    assert (created.kind, created.before, created.after) == ("session.created", None, CREATED)
    assert (one.event_id, one.sent, one.state) == ("evt_1", first, "answered")
    assert one.before == CREATED
    assert one.after is not None
    assert one.after["max_output_tokens"] == 4096
    assert (two.event_id, two.before, two.after) == ("evt_2", one.after, after_second)
    assert conversation.session_history.seen == 3


def test_an_error_naming_an_update_refuses_it_and_the_next_answer_goes_to_the_next() -> None:
    conversation = Conversation()
    conversation.apply(received(1, {"type": "session.created", "session": CREATED}))
    conversation.apply(sent(2, session_update({"type": "bad"}, "evt_bad")))
    conversation.apply(sent(3, session_update({"type": "realtime"}, "evt_ok")))
    error = {
        "type": "error",
        "error": {"type": "invalid_request_error", "message": "no", "event_id": "evt_bad"},
    }
    conversation.apply(received(4, error))
    conversation.apply(received(5, {"type": "session.updated", "session": CREATED}))
    _, bad, ok = conversation.session_history.exchanges
    assert bad.state == "refused"
    assert bad.error is not None
    assert bad.error.message == "no"
    assert ok.state == "answered"


def test_an_error_without_an_event_id_refuses_only_about_a_session_param() -> None:
    conversation = Conversation()
    conversation.apply(sent(1, session_update({"voice": 5}, "evt_1")))
    unrelated = {"type": "error", "error": {"message": "x", "param": "item.id"}}
    conversation.apply(received(2, unrelated))
    (update,) = conversation.session_history.exchanges
    assert update.state == "waiting"
    about_session = {"type": "error", "error": {"message": "x", "param": "session.voice"}}
    conversation.apply(received(3, about_session))
    assert update.error is not None  # refused


def test_a_lost_session_leaves_its_updates_unanswered() -> None:
    conversation = Conversation()
    conversation.apply(sent(1, session_update({"type": "realtime"}, "evt_1")))
    conversation.mark_interrupted()
    conversation.apply(received(2, {"type": "session.created", "session": CREATED}))
    conversation.apply(received(3, {"type": "session.updated", "session": CREATED}))
    lost, created, unasked = conversation.session_history.exchanges
    assert lost.state == "lost"
    assert created.kind == "session.created"
    assert (unasked.kind, unasked.sent, unasked.before) == ("session.updated", None, CREATED)


def test_the_sent_session_is_kept_as_redacted() -> None:
    conversation = Conversation()
    event = session_update({"instructions": "key sk-abcdefghijklmnopqrstuvwx"}, "evt_1")
    redacted = json.dumps(session_update({"instructions": "key ***"}, "evt_1"))
    conversation.apply(sent(1, event, redacted))
    (update,) = conversation.session_history.exchanges
    assert update.sent == {"instructions": "key ***"}


def exchange(
    sent: JsonObject | None, before: JsonObject | None, after: JsonObject
) -> SessionExchange:
    kind = "session.update" if sent is not None else "session.created"
    return SessionExchange(1, kind, sent, 0.0, before=before, after=after)


def test_clamped_rewritten_ignored_accepted_and_defaulted_fields() -> None:
    sent = {
        "type": "realtime",
        "max_output_tokens": 9000,
        "audio": {
            "output": {"voice": "nova", "speed": 1},
            "input": {"turn_detection": {"type": "server_vad"}},
        },
        "model": "gpt-other",
    }
    before = updated(audio__output__speed=0.5, audio__output__voice="cedar")
    after = updated(
        max_output_tokens=4096,
        audio__input__turn_detection={"type": "server_vad", "threshold": 0.5},
        audio__output__speed=1,
    )
    by_path = {f.path: f for f in diff_exchange(exchange(sent, before, after))}
    assert by_path["type"].status is FieldStatus.ACCEPTED
    assert by_path["max_output_tokens"].status is FieldStatus.CLAMPED
    assert (by_path["max_output_tokens"].sent, by_path["max_output_tokens"].after) == (9000, 4096)
    voice = by_path["audio.output.voice"]
    assert (voice.status, voice.after) == (FieldStatus.REWRITTEN, "marin")
    assert by_path["audio.output.speed"].status is FieldStatus.ACCEPTED  # 1 == 1
    model = by_path["model"]
    assert (model.status, model.why) == (FieldStatus.IGNORED, "kept its earlier value")
    threshold = by_path["audio.input.turn_detection.threshold"]
    assert (threshold.status, threshold.sent, threshold.after) == (
        FieldStatus.DEFAULTED,
        MISSING,
        0.5,
    )
    assert threshold.why == ""
    # Fields nobody touched are left out.
    assert "id" not in by_path
    assert "audio.input.turn_detection.eagerness" not in by_path
    assert "eagerness" not in " ".join(by_path)
    fields = list(by_path.values())
    assert counts_text(fields) == "1 clamped · 1 rewritten · 1 ignored · 3 accepted · 1 defaulted"
    assert [f.status.notable for f in fields].count(True) == 3


def test_a_value_the_session_kept_was_ignored_but_a_number_moved_was_clamped() -> None:
    sent = {"audio": {"output": {"voice": "nova"}}, "max_output_tokens": 9000}
    before = updated(max_output_tokens=4096)
    by_path = {f.path: f for f in diff_exchange(exchange(sent, before, before))}
    assert by_path["audio.output.voice"].status is FieldStatus.IGNORED  # marin, as before
    assert by_path["max_output_tokens"].status is FieldStatus.CLAMPED


def test_a_field_the_session_does_not_have_was_ignored() -> None:
    (field,) = diff_exchange(exchange({"client_secret": {"value": "x"}}, CREATED, CREATED))
    assert (field.path, field.status, field.why) == (
        "client_secret.value",
        FieldStatus.IGNORED,
        "not in the session",
    )


def test_a_new_sessions_fields_are_all_defaults() -> None:
    fields = diff_exchange(exchange(None, None, CREATED))
    assert {f.status for f in fields} == {FieldStatus.DEFAULTED}
    assert {f.path for f in fields} == set(flatten(CREATED))


def test_a_refused_or_unanswered_update_lists_what_was_sent() -> None:
    update = SessionExchange(1, "session.update", {"voice": 5}, 0.0)
    assert [(f.path, f.status) for f in diff_exchange(update)] == [
        ("voice", FieldStatus.UNANSWERED)
    ]
    update.lost = True
    assert diff_exchange(update)[0].status is FieldStatus.UNANSWERED
    assert counts_text([]) == "no change"


def test_values_are_shown_as_short_json() -> None:
    assert shown(MISSING) == "—"
    assert shown({"type": "server_vad"}) == '{"type":"server_vad"}'
    assert shown("x" * 100, width=10) == '"xxxxxxxx…'
    assert flatten({"a": {}, "b": [1], "c": {"d": None}}) == {"a": {}, "b": [1], "c.d": None}


def test_two_profiles_side_by_side_never_show_a_key() -> None:
    config = Config(
        profiles={
            "local": Profile(provider=Provider.URL, endpoint="ws://127.0.0.1:8765/v1/realtime"),
            "azure": Profile(
                provider=Provider.AZURE_PREVIEW,
                endpoint="myres",
                model="my-deployment",
                api_key=SecretStr("sk-secretsecretsecretsecret"),
            ),
        },
        session=SessionSettings(voice="cedar"),
    )
    rows = {row.field: row for row in diff_profiles(config, "local", "azure", {})}
    assert (rows["provider"].a, rows["provider"].b) == ("url", "azure-preview")
    assert (rows["dialect"].a, rows["dialect"].b) == ("ga", "beta")
    assert rows["url"].b.startswith("wss://myres.openai.azure.com/openai/realtime?")
    assert rows["key"].a == "$OPENAI_API_KEY (not set)"
    assert rows["key"].b == "written in the config file"
    assert rows["verify_tls"].same
    # The same [session], written in each dialect's words.
    assert (rows["session.audio.output.voice"].a, rows["session.audio.output.voice"].b) == (
        '"cedar"',
        "—",
    )
    assert (rows["session.voice"].a, rows["session.voice"].b) == ("—", '"cedar"')
    assert rows["api_version"].a == "—"
    assert not any("secretsecret" in f"{row.a} {row.b}" for row in rows.values())


def test_a_profile_without_its_key_still_shows_where_it_connects() -> None:
    config = Config(profiles={"a": Profile(), "b": Profile(provider=Provider.AZURE)})
    rows = {row.field: row for row in diff_profiles(config, "a", "b", {})}
    assert rows["url"].a == "wss://api.openai.com/v1/realtime?model=gpt-realtime"
    assert rows["key"].a == "$OPENAI_API_KEY (not set)"
    assert rows["url"].b.startswith("does not connect: The Azure profile has no endpoint")

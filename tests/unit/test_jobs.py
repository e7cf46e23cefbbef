"""What a failed background job says (`rt_tui.tui.jobs.failure_text`): one sentence."""

from __future__ import annotations

import errno

import pytest

from rt_tui.realtime.errors import CannotConnect
from rt_tui.realtime.recorder import LogError
from rt_tui.tui import jobs


@pytest.mark.parametrize(
    "error",
    [
        jobs.JobFailed("Could not export to /tmp/x: permission denied."),
        CannotConnect("Cannot connect to 127.0.0.1:9: connection refused."),
        LogError("The session log x.jsonl, line 4 is not valid JSON."),
    ],
)
def test_a_sentence_for_the_user_is_shown_as_it_is(error: Exception) -> None:
    assert jobs.failure_text(jobs.EXPORT, error) == str(error)


def test_other_errors_say_which_job_failed_and_why() -> None:
    overflow = OverflowError("int too large to convert to float")
    assert (
        jobs.failure_text(jobs.REPLAY, overflow)
        == "The replay failed: int too large to convert to float."
    )
    refused = OSError(errno.EACCES, "Permission denied", "/x")
    assert jobs.failure_text(jobs.AUDIO_TURN, refused) == (
        "Sending the WAV file failed: permission denied."
    )
    assert jobs.failure_text(None, KeyError()) == "A background job failed: KeyError."
    assert jobs.failure_text(jobs.EXPORT, None) == "The export failed."


def test_an_unexpected_error_never_shows_a_key_or_a_second_line() -> None:
    error = RuntimeError("bad header\nAuthorization: Bearer sk-abcdefghijklmnopqrstuvwxyz012345")
    text = jobs.failure_text(jobs.CONNECTION, error)
    assert "sk-abc" not in text
    assert "\n" not in text
    assert text.startswith("The connection failed: bad header Authorization: ")

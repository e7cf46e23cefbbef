"""The service's `error` events, and the exception the mock raises to send one.

Handlers raise `MockError`; the session turns it into an `error` event that echoes the
client's `event_id` and then carries on, as the service does for non-fatal errors.
"""

from __future__ import annotations

from typing import Any


class MockError(Exception):
    """A client mistake the mock answers with an `error` event (the session lives on)."""

    def __init__(
        self,
        code: str,
        message: str,
        param: str | None = None,
        error_type: str = "invalid_request_error",
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.param = param
        self.error_type = error_type


def error_event(error: MockError, client_event_id: str | None = None) -> dict[str, Any]:
    """The `error` server event for `error` (without its own `event_id`; the sender adds it)."""
    return {
        "type": "error",
        "error": {
            "type": error.error_type,
            "code": error.code,
            "message": error.message,
            "param": error.param,
            "event_id": client_event_id,
        },
    }


def unknown_parameter(param: str) -> MockError:
    return MockError("unknown_parameter", f"Unknown parameter: '{param}'.", param)


def missing_parameter(param: str) -> MockError:
    return MockError("missing_required_parameter", f"Missing required parameter: '{param}'.", param)


def invalid_value(param: str, value: object, allowed: list[str] | None = None) -> MockError:
    message = f"Invalid value: {value!r}."
    if allowed:
        message += " Supported values are: " + ", ".join(f"'{a}'" for a in allowed) + "."
    return MockError("invalid_value", message, param)


def invalid_type(param: str, expected: str, value: object) -> MockError:
    return MockError(
        "invalid_type",
        f"Invalid type for '{param}': expected {expected}, but got {type(value).__name__}.",
        param,
    )

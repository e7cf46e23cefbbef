"""The mock server's HTTP-level handshake checks: which path and dialect a client asked
for, where its key came from, and the service's HTTP refusals (404 for an unknown path or
a preview URL without api-version or deployment, 401 for api-version on the Azure GA path
and for a rejected key on Azure paths, and whatever status a scenario asks for, with the
body OpenAI or Azure sends for it). No sockets here: `check_request` reads a `websockets`
`Request` and says what to answer; `handshake_echo` quotes one back, secrets and all.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from websockets.datastructures import Headers
from websockets.http11 import Request, Response

from rt_tui.dialect import Dialect

OPENAI_GA_PATH = "/v1/realtime"
AZURE_GA_PATH = "/openai/v1/realtime"
AZURE_PREVIEW_PATH = "/openai/realtime"
_SUBPROTOCOL_KEY_PREFIX = "openai-insecure-api-key."
_AZURE_401 = (
    "Access denied due to invalid subscription key or wrong API endpoint. Make sure to "
    "provide a valid key for an active subscription and use a correct regional API "
    "endpoint for your resource."
)
_OPENAI_401 = (
    "Incorrect API key provided. You can find your API key at "
    "https://platform.openai.com/account/api-keys."
)
_AZURE_NO_DEPLOYMENT = "The API deployment for this resource does not exist."
_RETRY_AFTER_S = 60
_OPENAI_429 = (
    "Rate limit reached for {model} on requests per min (RPM): Limit 1000, Used 1000, "
    f"Requested 1. Please try again in {_RETRY_AFTER_S}s."
)
_AZURE_429 = (
    "Requests to the Realtime API have exceeded the rate limit of your current pricing "
    f"tier. Please retry after {_RETRY_AFTER_S} seconds."
)


@dataclass(frozen=True, slots=True)
class Handshake:
    """What one client sent in its opening handshake (for tests of URL and header building)."""

    path: str
    """The request path with the query; an `api-key` query value is replaced by `***`."""
    dialect: Dialect | None
    """The dialect served, or None when the handshake was refused."""
    azure: bool
    auth: str | None
    """Where the key came from: 'bearer', 'api-key-header', 'api-key-query', 'subprotocol'."""
    key: str | None = field(default=None, repr=False)
    user_agent: str | None = None
    beta_header: bool = False


@dataclass(frozen=True, slots=True)
class Route:
    """How to serve an accepted connection."""

    dialect: Dialect
    azure: bool
    model: str | None
    key_rejected: bool
    beta_refused: bool = False
    path: str = ""
    """The request path, any key redacted (for the traffic lines)."""
    intent: str | None = None
    """The `intent` query value (`transcription` opens a transcription session)."""


@dataclass(frozen=True, slots=True)
class Verdict:
    """`check_request`'s answer: the handshake seen, and either a refusal or a route."""

    handshake: Handshake
    refusal: Response | None
    route: Route | None


def _json_response(
    status: HTTPStatus, body: dict[str, Any], extra_headers: tuple[tuple[str, str], ...] = ()
) -> Response:
    payload = json.dumps(body).encode()
    headers = Headers([("Content-Type", "application/json"), ("Content-Length", str(len(payload)))])
    headers.update(extra_headers)
    return Response(status.value, status.phrase, headers, payload)


def _openai_error(message: str, code: str, error_type: str) -> dict[str, Any]:
    """OpenAI's JSON error body."""
    return {"error": {"message": message, "type": error_type, "param": None, "code": code}}


def _azure_error(code: str, message: str) -> dict[str, Any]:
    """Azure's JSON error body."""
    return {"error": {"code": code, "message": message}}


def service_refusal(status: int, *, azure: bool, model: str | None) -> Response:
    """The service's HTTP refusal with `status` (401, 404 or 429), in OpenAI's shape or,
    on Azure paths, Azure's."""
    name = model or "gpt-realtime"
    bodies: dict[int, tuple[dict[str, Any], dict[str, Any]]] = {
        401: (
            _openai_error(_OPENAI_401, "invalid_api_key", "invalid_request_error"),
            _azure_error("401", _AZURE_401),
        ),
        404: (
            _openai_error(
                f"The model `{name}` does not exist or you do not have access to it.",
                "model_not_found",
                "invalid_request_error",
            ),
            _azure_error("DeploymentNotFound", _AZURE_NO_DEPLOYMENT),
        ),
        429: (
            _openai_error(_OPENAI_429.format(model=name), "rate_limit_exceeded", "requests"),
            _azure_error("429", _AZURE_429),
        ),
    }
    openai_body, azure_body = bodies[status]
    retry = (("Retry-After", str(_RETRY_AFTER_S)),) if status == 429 else ()
    return _json_response(HTTPStatus(status), azure_body if azure else openai_body, retry)


def handshake_echo(request: Request, scheme: str = "ws") -> str:
    """The request line and every header exactly as received, and the key alone: what a
    careless server quotes back in an error (the `echo-handshake` scenario)."""
    host = request.headers.get("Host", "")
    headers = ", ".join(f"{name.lower()}={value}" for name, value in request.headers.raw_items())
    echo = f"Echo of your handshake: GET {scheme}://{host}{request.path} with headers {headers}."
    # The key on its own too, where only knowing it (not its shape) can find it.
    key, _ = _find_key(request, parse_qs(urlsplit(request.path).query))
    return f"{echo} You signed in with {key}." if key else echo


def _find_key(request: Request, query: dict[str, list[str]]) -> tuple[str | None, str | None]:
    authorization = request.headers.get("Authorization", "")
    if authorization.lower().startswith("bearer "):
        return authorization[7:].strip(), "bearer"
    if "api-key" in request.headers:
        return request.headers["api-key"], "api-key-header"
    if query.get("api-key"):
        return query["api-key"][0], "api-key-query"
    for header in request.headers.get_all("Sec-WebSocket-Protocol"):
        for offer in header.split(","):
            offer = offer.strip()
            if offer.startswith(_SUBPROTOCOL_KEY_PREFIX):
                return offer[len(_SUBPROTOCOL_KEY_PREFIX) :], "subprotocol"
    return None, None


def _redacted_path(path: str, query: dict[str, list[str]]) -> str:
    if "api-key" not in query:
        return path
    parts = urlsplit(path)
    safe = {k: (["***"] if k == "api-key" else v) for k, v in query.items()}
    return parts.path + "?" + urlencode(safe, doseq=True)


def check_request(
    request: Request,
    *,
    reject_keys: frozenset[str],
    require_key: bool,
    openai_beta_disabled: bool,
    refuse_every_key: bool = False,
    refuse_status: int | None = None,
    accept_key: Callable[[str | None], bool] | None = None,
) -> Verdict:
    """Check one opening handshake as the service would (PROTOCOL.md §1). A scenario may
    `refuse_every_key`, or refuse every handshake on a known path with `refuse_status`;
    `accept_key`, when given, says which keys may open a socket (minted secrets only)."""
    parts = urlsplit(request.path)
    query = parse_qs(parts.query)
    path = parts.path.rstrip("/") or "/"
    beta = "realtime=v1" in request.headers.get("OpenAI-Beta", "")
    key, auth = _find_key(request, query)
    rejected = (
        refuse_every_key
        or (key is not None and key in reject_keys)
        or (key is None and require_key)
        or (accept_key is not None and not accept_key(key))
    )
    model = query["model"][0] if query.get("model") else None
    azure = path in (AZURE_GA_PATH, AZURE_PREVIEW_PATH)
    refusal: Response | None = None
    dialect = Dialect.BETA if beta else Dialect.GA
    if path == OPENAI_GA_PATH:
        pass
    elif path == AZURE_GA_PATH:
        if "api-version" in query:
            refusal = _json_response(
                HTTPStatus.UNAUTHORIZED,
                {
                    "error": {
                        "code": "401",
                        "message": "api-version is not supported on "
                        "the /openai/v1 path; remove it.",
                    }
                },
            )
    elif path == AZURE_PREVIEW_PATH:
        dialect = Dialect.BETA
        model = query["deployment"][0] if query.get("deployment") else None
        if not query.get("api-version"):
            refusal = _json_response(
                HTTPStatus.NOT_FOUND,
                {"error": {"code": "404", "message": "Resource not found"}},
            )
        elif model is None:
            refusal = _json_response(
                HTTPStatus.NOT_FOUND,
                _azure_error("DeploymentNotFound", _AZURE_NO_DEPLOYMENT),
            )
    else:
        refusal = _json_response(
            HTTPStatus.NOT_FOUND,
            {
                "error": {
                    "message": f"Invalid URL (GET {parts.path})",
                    "type": "invalid_request_error",
                    "param": None,
                    "code": None,
                }
            },
        )
    if refusal is None and refuse_status is not None:
        refusal = service_refusal(refuse_status, azure=azure, model=model)
    if refusal is None and azure and rejected:
        refusal = service_refusal(HTTPStatus.UNAUTHORIZED, azure=True, model=model)
    safe_path = _redacted_path(request.path, query)
    handshake = Handshake(
        path=safe_path,
        dialect=None if refusal is not None else dialect,
        azure=azure,
        auth=auth,
        key=key,
        user_agent=request.headers.get("User-Agent"),
        beta_header=beta,
    )
    if refusal is not None:
        return Verdict(handshake, refusal, None)
    beta_refused = beta and path == OPENAI_GA_PATH and openai_beta_disabled
    intent = query["intent"][0] if query.get("intent") else None
    route = Route(dialect, azure, model, rejected, beta_refused, path=safe_path, intent=intent)
    return Verdict(handshake, None, route)

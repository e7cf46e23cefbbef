"""The widgets of the settings form, built from form values (no behaviour here)."""

from __future__ import annotations

from collections.abc import Iterable

from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Input, Select, Static, TextArea

from rt_tui.config import Auth, Provider
from rt_tui.config_audio import AudioSettings
from rt_tui.tui.screens.settings.form import SessionForm
from rt_tui.tui.screens.settings.layout import Tick, UrlLine, field, profile_row, section
from rt_tui.tui.screens.settings.profile_form import AUTO_DIALECT, ProfileForm

VOICES = ["alloy", "ash", "ballad", "coral", "echo", "sage", "shimmer", "verse", "marin", "cedar"]
TRANSCRIPTION_MODELS = ["whisper-1", "gpt-4o-transcribe", "gpt-4o-mini-transcribe"]
#: The widget that holds each field of the connection form (`ProfileForm`).
PROFILE_WIDGETS: dict[str, str] = {
    "name": "profile-name",
    "provider": "provider",
    "endpoint": "endpoint",
    "model": "model",
    "api_version": "api-version",
    "api_key_env": "api-key-env",
    "dialect": "dialect",
    "verify_tls": "verify-tls",
    "keep_key": "keep-key",
    "ephemeral": "ephemeral",
    "new_key": "api-key",
    "auth": "auth",
    "headers": "headers",
    "ca_bundle": "ca-bundle",
    "proxy": "proxy",
}
ENDPOINT_HINTS = {
    Provider.OPENAI: "default: api.openai.com or $OPENAI_BASE_URL",
    Provider.AZURE: "RESOURCE or https://RESOURCE.openai.azure.com",
    Provider.AZURE_PREVIEW: "RESOURCE or https://RESOURCE.openai.azure.com",
    Provider.URL: "ws://host:port/v1/realtime?model=…",
}


def connection_fields(form: ProfileForm, names: list[str], current: str) -> Iterable[Widget]:
    """The connection half of the form, filled from `form`."""
    yield section("Connection")
    yield profile_row(names, current)
    yield field("profile-name", "Profile name", Input(form.name, id="profile-name", compact=True))
    providers = [(provider.value, provider.value) for provider in Provider]
    yield field(
        "provider",
        "Provider",
        Select(providers, value=form.provider, allow_blank=False, id="provider", compact=True),
    )
    yield field(
        "endpoint",
        "Endpoint",
        Input(form.endpoint, id="endpoint", compact=True),
        UrlLine(id="endpoint-preview", classes="hint"),
    )
    yield field("model", "Model", Input(form.model, id="model", compact=True))
    yield field(
        "api-version", "API version", Input(form.api_version, id="api-version", compact=True)
    )
    dialects = [("guess from the URL", AUTO_DIALECT), ("GA", "ga"), ("beta", "beta")]
    yield field(
        "dialect",
        "Dialect",
        Select(dialects, value=form.dialect, allow_blank=False, id="dialect", compact=True),
    )
    sign_ins = [("API key", Auth.KEY.value), ("Microsoft Entra ID", Auth.ENTRA.value)]
    yield field(
        "auth",
        "Sign in with",
        Select(sign_ins, value=form.auth, allow_blank=False, id="auth", compact=True),
    )
    yield field(
        "api-key-env",
        "Key environment variable",
        Input(form.api_key_env, id="api-key-env", compact=True),
        Static("", id="key-status", classes="hint"),
    )
    yield Tick("Keep a key in the config file", form.keep_key, id="keep-key", compact=True)
    yield field(
        "api-key",
        "Key to keep in the file",
        Input(password=True, id="api-key", compact=True),
    )
    yield field(
        "headers",
        "Extra headers",
        TextArea(
            form.headers,
            id="headers",
            placeholder="Name: value, one a line (credentials read ***)",
            compact=True,
        ),
    )
    yield Tick(
        "Ephemeral: mint a client secret per connect",
        form.ephemeral,
        id="ephemeral",
        compact=True,
    )
    yield Tick("Verify TLS certificates", form.verify_tls, id="verify-tls", compact=True)
    yield Static(
        "TLS verification is off: anyone on the path can read this connection.",
        id="tls-warning",
        classes="hint warning",
    )
    yield field(
        "ca-bundle",
        "CA bundle (PEM file)",
        Input(
            form.ca_bundle, id="ca-bundle", placeholder="the system's certificates", compact=True
        ),
    )
    yield field(
        "proxy",
        "Proxy",
        Input(
            form.proxy,
            id="proxy",
            placeholder="from HTTPS_PROXY / NO_PROXY; direct: none; http://HOST:PORT",
            compact=True,
        ),
    )


def session_fields(form: SessionForm) -> Iterable[Widget]:
    """The session half of the form, filled from `form`."""
    yield section("Session")
    yield field(
        "instructions",
        "Instructions",
        TextArea(
            form.instructions,
            id="instructions",
            placeholder="empty: the server's default instructions",
            compact=True,
        ),
    )
    yield field(
        "voice",
        "Voice",
        Input(
            form.voice,
            id="voice",
            placeholder="server default (e.g. marin, alloy)",
            suggester=SuggestFromList(VOICES),
            compact=True,
        ),
    )
    modalities = [("text", "text"), ("audio", "audio")]
    yield field(
        "output-modality",
        "Output modality",
        Select(
            modalities,
            value=form.output_modality,
            allow_blank=False,
            id="output-modality",
            compact=True,
        ),
    )
    yield field(
        "transcription-model",
        "Input transcription",
        Input(
            form.transcription_model,
            id="transcription-model",
            placeholder="off (e.g. whisper-1, gpt-4o-transcribe)",
            suggester=SuggestFromList(TRANSCRIPTION_MODELS),
            compact=True,
        ),
    )
    yield field(
        "max-tokens",
        "Max output tokens",
        Input(
            form.max_output_tokens,
            id="max-tokens",
            placeholder="1 to 4096, or inf",
            compact=True,
        ),
    )
    yield section("Turn detection")
    turn_types = [("none (manual commit)", "none"), ("server_vad", "server_vad")]
    turn_types.append(("semantic_vad", "semantic_vad"))
    yield field(
        "turn-type",
        "Type",
        Select(turn_types, value=form.turn_type, allow_blank=False, id="turn-type", compact=True),
    )
    yield field(
        "vad-threshold",
        "VAD threshold (0 to 1)",
        Input(form.threshold, id="vad-threshold", compact=True),
    )
    yield field(
        "vad-prefix",
        "Prefix padding (ms)",
        Input(form.prefix_padding_ms, id="vad-prefix", compact=True),
    )
    yield field(
        "vad-silence",
        "Silence duration (ms)",
        Input(form.silence_duration_ms, id="vad-silence", compact=True),
    )
    yield field(
        "vad-idle",
        "Idle timeout (ms)",
        Input(form.idle_timeout_ms, id="vad-idle", placeholder="off", compact=True),
    )
    eagerness = [(level, level) for level in ("auto", "low", "medium", "high")]
    yield field(
        "vad-eagerness",
        "Eagerness",
        Select(
            eagerness, value=form.eagerness, allow_blank=False, id="vad-eagerness", compact=True
        ),
    )
    yield Tick(
        "Create a response at the end of a turn",
        form.create_response,
        id="vad-create",
        compact=True,
    )
    yield Tick(
        "Interrupt the response when the user speaks",
        form.interrupt_response,
        id="vad-interrupt",
        compact=True,
    )
    yield section("Tools")
    yield field(
        "tools",
        "Tools (JSON)",
        TextArea(
            form.tools_json,
            id="tools",
            placeholder='[{"name": "…", "description": "…", "parameters": {…}}]',
            show_line_numbers=True,
            compact=True,
        ),
    )


def audio_fields(audio: AudioSettings, run_note: str | None = None) -> Iterable[Widget]:
    """The live audio section: the microphone and speaker, as `--mic` / `--speaker` take;
    `run_note` says what this run's flags use in their place."""
    yield section("Audio")
    if run_note:
        yield Static(run_note, id="audio-run", classes="hint", markup=False)
    yield field(
        "audio-mic",
        "Microphone",
        Input(
            audio.mic,
            id="audio-mic",
            placeholder="none, default, a device name or number, or a .wav file",
            compact=True,
        ),
        Static("'rt-tui audio devices' lists the devices", classes="hint"),
    )
    yield field(
        "audio-speaker",
        "Speaker",
        Input(
            audio.speaker,
            id="audio-speaker",
            placeholder="none, default, a device name or number, or a .wav file",
            compact=True,
        ),
    )
    yield Tick(
        "Half-duplex: mute the microphone while the assistant speaks",
        audio.half_duplex,
        id="audio-half-duplex",
        compact=True,
    )

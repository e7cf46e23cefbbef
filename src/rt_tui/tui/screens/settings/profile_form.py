"""The connection half of the settings form as plain data: a profile -> form values ->
a validated profile (see `form` for the session half and what the two share).

No Textual here: the screen copies widget values into `ProfileForm` and shows the returned
errors next to the widgets whose ids are the keys of `FieldErrors`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import SecretStr, ValidationError

from rt_tui.config import Auth, Profile, Provider
from rt_tui.dialect import Dialect
from rt_tui.profile import header_problem, is_auth_header
from rt_tui.realtime.endpoints import REDACTED, EndpointError, redact_url, resolve
from rt_tui.tui.screens.settings.form import FieldErrors, error_sentence

AUTO_DIALECT = "auto"
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

#: Which form field shows an error for a pydantic location (first element[s]).
_PROFILE_FIELDS = {
    "provider": "provider",
    "endpoint": "endpoint",
    "model": "model",
    "api_version": "api-version",
    "api_key_env": "api-key-env",
    "api_key": "api-key",
    "dialect": "dialect",
    "verify_tls": "verify-tls",
    "auth": "auth",
    "headers": "headers",
    "ca_bundle": "ca-bundle",
    "proxy": "proxy",
    "ephemeral": "ephemeral",
}


@dataclass
class ProfileForm:
    """The connection half of the form, as the widgets hold it."""

    name: str
    provider: str = Provider.OPENAI.value
    endpoint: str = ""
    model: str = ""
    api_version: str = ""
    api_key_env: str = ""
    dialect: str = AUTO_DIALECT
    verify_tls: bool = True
    keep_key: bool = False
    """The user wants a key kept in the config file."""
    new_key: str = ""
    """A key typed now; empty keeps the stored one (which is never put in a widget)."""
    auth: str = Auth.KEY.value
    headers: str = ""
    """One `Name: value` a line; a credential's stored value reads *** (see headers_to_text)."""
    ca_bundle: str = ""
    proxy: str = ""
    ephemeral: bool = False


def profile_to_form(name: str, profile: Profile) -> ProfileForm:
    """Form values for `profile`; the stored key itself is never copied."""
    return ProfileForm(
        name=name,
        provider=profile.provider.value,
        # A URL may carry a secret (?api-key=…, user:password@): shown redacted, and
        # kept as stored for as long as the redacted text is left alone.
        endpoint=redact_url(profile.endpoint) if profile.endpoint else "",
        model=profile.model,
        api_version=profile.api_version,
        api_key_env=profile.api_key_env or "",
        dialect=profile.dialect.value if profile.dialect else AUTO_DIALECT,
        verify_tls=profile.verify_tls,
        keep_key=profile.api_key is not None,
        auth=profile.auth.value,
        headers=headers_to_text(profile.headers),
        ca_bundle=str(profile.ca_bundle) if profile.ca_bundle is not None else "",
        # A proxy URL may carry a password: shown redacted, kept while left alone.
        proxy=redact_url(profile.proxy) if profile.proxy else "",
        ephemeral=profile.ephemeral,
    )


def headers_to_text(headers: Mapping[str, str]) -> str:
    """The headers as the user edits them, one `Name: value` a line; the value of a header
    that carries a credential reads *** and is kept as stored while it does."""
    return "\n".join(
        f"{name}: {REDACTED if is_auth_header(name, value) else value}"
        for name, value in headers.items()
    )


def parse_headers(text: str, previous: Mapping[str, str]) -> tuple[dict[str, str], str | None]:
    """The headers in `text` (see headers_to_text), or a sentence naming the line at fault;
    `previous` gives the stored value of a header still reading ***."""
    headers: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        name, colon, value = (part.strip() for part in line.partition(":"))
        if not colon or not name:
            return {}, f"Line {number}: write one header a line, as Name: value."
        if value == REDACTED and name in previous:
            value = previous[name]
        problem = header_problem(name, value)
        if problem is None and name.lower() in {known.lower() for known in headers}:
            problem = f"The {name} header is given twice."
        if problem is not None:
            return {}, f"Line {number}: {problem}"
        headers[name] = value
    return headers, None


def build_profile(
    form: ProfileForm,
    previous: Profile | None,
    other_names: set[str],
    env: Mapping[str, str],
) -> tuple[Profile | None, FieldErrors]:
    """Validate the connection fields; `previous` supplies the stored key to keep."""
    errors: FieldErrors = {}
    name = form.name.strip()
    if not name:
        errors["profile-name"] = "Give the profile a name."
    elif name in other_names:
        errors["profile-name"] = f"A profile named {name!r} already exists."
    env_name = form.api_key_env.strip()
    if env_name and not _ENV_NAME.match(env_name):
        errors["api-key-env"] = "Use an environment variable name like MY_API_KEY."
    provider = form.provider
    if provider in (Provider.AZURE, Provider.AZURE_PREVIEW) and not form.model.strip():
        errors["model"] = "Enter the deployment name."
    if provider == Provider.AZURE_PREVIEW and not form.api_version.strip():
        errors["api-version"] = "Enter an api-version, e.g. 2025-04-01-preview."

    api_key: SecretStr | None = None
    if form.keep_key:
        if form.new_key.strip():
            api_key = SecretStr(form.new_key.strip())
        elif previous is not None and previous.api_key is not None:
            api_key = previous.api_key
        else:
            errors["api-key"] = "Type the key to keep in the file, or untick the box."

    endpoint = form.endpoint.strip() or None
    if previous is not None and previous.endpoint and endpoint == redact_url(previous.endpoint):
        endpoint = previous.endpoint
    headers, headers_error = parse_headers(form.headers, previous.headers if previous else {})
    if headers_error:
        errors["headers"] = headers_error
    proxy = form.proxy.strip() or None
    if previous is not None and previous.proxy and proxy == redact_url(previous.proxy):
        proxy = previous.proxy
    bundle = form.ca_bundle.strip()
    values: dict[str, Any] = {
        "provider": provider,
        "endpoint": endpoint,
        "model": form.model.strip() or Profile().model,
        "api_version": form.api_version.strip() or Profile().api_version,
        "api_key_env": env_name or None,
        "api_key": api_key,
        "dialect": None if form.dialect == AUTO_DIALECT else Dialect(form.dialect),
        "verify_tls": form.verify_tls,
        # Entra ID is for Azure: a provider without it falls back to the key.
        "auth": form.auth if provider != Provider.OPENAI else Auth.KEY,
        "headers": headers,
        "ca_bundle": bundle or None,
        "proxy": proxy,
        "ephemeral": form.ephemeral,
    }
    try:
        profile = Profile.model_validate(values)
    except ValidationError as error:
        for detail in error.errors():
            field_id = _PROFILE_FIELDS.get(str(detail["loc"][0]), "provider")
            errors.setdefault(field_id, error_sentence(detail))
        return None, errors
    problem = endpoint_problem(profile, env)
    if problem is not None:
        errors.setdefault(_PROFILE_FIELDS.get(problem.setting, "endpoint"), str(problem))
    return (None, errors) if errors else (profile, errors)


def endpoint_problem(profile: Profile, env: Mapping[str, str]) -> EndpointError | None:
    """Why `profile` cannot be turned into a URL (a missing key does not count); its
    `setting` says which field is at fault."""
    try:
        resolve(profile, {**env, profile.key_env_name: "placeholder"})
    except EndpointError as error:
        return error
    return None


def endpoint_preview(profile: Profile, env: Mapping[str, str]) -> str | None:
    """The redacted URL `profile` connects to, or None when it cannot be built yet."""
    try:
        return resolve(profile, {**env, profile.key_env_name: "placeholder"}).display_url
    except EndpointError:
        return None


def key_status(form: ProfileForm, previous: Profile | None, env: Mapping[str, str]) -> str:
    """Where the key comes from, in words; the key itself never appears."""
    provider = Provider(form.provider)
    if form.auth == Auth.ENTRA and provider is not Provider.OPENAI:
        return "Key: none needed: a Microsoft Entra ID token signs in (the azure extra)"
    env_name = form.api_key_env.strip() or Profile(provider=provider).key_env_name
    in_env = bool(env.get(env_name, "").strip())
    stored = previous is not None and previous.api_key is not None
    if form.keep_key and (form.new_key.strip() or stored):
        where = "typed, kept in the file on save" if form.new_key.strip() else "stored in file"
        return f"Key: {where}" + (f" (used instead of ${env_name})" if in_env else "")
    if in_env:
        return f"Key: set in ${env_name}"
    return f"Key: not set: export ${env_name}, or keep a key in the file below"

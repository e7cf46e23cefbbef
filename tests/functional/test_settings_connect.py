"""The settings screen's ways to connect anywhere, through Textual's pilot: sign-in with
Entra ID, extra headers (credentials shown as *** and kept), a CA bundle and a proxy."""

from __future__ import annotations

from pathlib import Path

from conftest_app import screen_text, wait_for
from pydantic import SecretStr
from test_settings import Host, finished, opened, set_input
from textual.widgets import Checkbox, Select, Static, TextArea

from rt_tui.config import Auth, Config, Profile, Provider, load_config
from rt_tui.tui.screens.settings import SettingsOutcome
from rt_tui.tui.screens.settings.profile_form import parse_headers

GATEWAY_KEY = "gw-SECRET-header-value-31"
PROXY_PASSWORD = "pr0xy-SECRET-pass"


def gateway_config() -> Config:
    return Config(
        active_profile="gw",
        profiles={
            "gw": Profile(
                provider=Provider.AZURE,
                endpoint="myresource",
                model="dep",
                api_key=SecretStr("0123456789abcdef0123456789abcdef"),
                headers={"X-Gateway-Key": GATEWAY_KEY},
                proxy=f"http://me:{PROXY_PASSWORD}@proxy.corp.example:3128",
            ),
            "home": Profile(),
        },
    )


async def test_entra_sign_in_hides_the_key_fields(tmp_path: Path) -> None:
    app = Host(gateway_config(), tmp_path / "config.toml")
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await opened(pilot)

        def shown(widget_id: str) -> bool:
            return bool(screen.query_one(widget_id).display)

        assert shown("#auth-field")
        assert shown("#keep-key")
        screen.query_one("#auth", Select).value = Auth.ENTRA.value
        await wait_for(pilot, lambda: not shown("#keep-key"), "the key fields to go")
        assert not shown("#api-key-field")
        status = str(screen.query_one("#key-status", Static).render())
        assert status == "Key: none needed: a Microsoft Entra ID token signs in (the azure extra)"
        screen.query_one("#provider", Select).value = Provider.OPENAI.value
        await wait_for(pilot, lambda: not shown("#auth-field"), "no sign-in choice for openai")
        assert shown("#keep-key")
        screen.query_one("#provider", Select).value = Provider.AZURE.value
        await wait_for(pilot, lambda: shown("#auth-field"), "the sign-in choice")
        await pilot.press("ctrl+o")
        outcome = await finished(pilot, app)
    assert isinstance(outcome, SettingsOutcome)
    assert outcome.config.profiles["gw"].auth is Auth.ENTRA
    assert outcome.apply == "reconnect"


async def test_headers_proxy_and_ca_bundle_keep_their_secrets_off_the_screen(
    tmp_path: Path,
) -> None:
    path = tmp_path / "config.toml"
    bundle = tmp_path / "corp-ca.pem"
    bundle.write_text("-----BEGIN CERTIFICATE-----\n")
    app = Host(gateway_config(), path)
    async with app.run_test(size=(100, 60)) as pilot:
        screen = await opened(pilot)
        headers = screen.query_one("#headers", TextArea)
        assert headers.text == "X-Gateway-Key: ***"
        screen.query_one("#settings-form").scroll_to_widget(headers, animate=False)
        await pilot.pause()
        text = screen_text(app)
        assert "X-Gateway-Key: ***" in text
        assert "http://me:***@proxy.corp.example:3128" in text
        assert GATEWAY_KEY not in text
        assert PROXY_PASSWORD not in text
        headers.focus()
        await pilot.press("end", "enter", *"X-Tenant: blue")
        await set_input(pilot, "ca-bundle", str(bundle))
        await pilot.press("ctrl+s")
        await wait_for(pilot, path.exists, "the config file")
    saved = load_config(path).profiles["gw"]
    assert saved.headers == {"X-Gateway-Key": GATEWAY_KEY, "X-Tenant": "blue"}
    assert saved.proxy == f"http://me:{PROXY_PASSWORD}@proxy.corp.example:3128"
    assert saved.ca_bundle == bundle


async def test_connection_errors_point_at_their_field(tmp_path: Path) -> None:
    app = Host(gateway_config(), tmp_path / "config.toml")
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await opened(pilot)

        async def set_headers(text: str) -> None:
            screen.query_one("#headers", TextArea).text = text
            await pilot.pause()  # its Changed message clears the field's old error first

        async def error_at(widget_id: str) -> str:
            await pilot.press("ctrl+s")
            field = screen.query_one(f"#{widget_id}-field")
            await wait_for(pilot, lambda: field.has_class("-invalid"), f"the {widget_id} error")
            return str(screen.query_one(f"#{widget_id}-error", Static).render())

        await set_headers("X-Gateway-Key: ***\nno colon here")
        assert await error_at("headers") == ("Line 2: write one header a line, as Name: value.")
        await set_headers("api-key: other")
        assert await error_at("headers") == (
            "The profile's api-key header would replace the one rt-tui sends itself (for the "
            "key or the dialect); remove it from the profile's headers."
        )
        await set_headers("")
        await set_input(pilot, "ca-bundle", str(tmp_path / "missing.pem"))
        assert await error_at("ca-bundle") == (
            f"The CA bundle {tmp_path / 'missing.pem'} is not a file; set ca_bundle to a PEM "
            "file of certificates."
        )
        await set_input(pilot, "ca-bundle", "")
        await set_input(pilot, "proxy", "ftp://proxy.example")
        assert await error_at("proxy") == (
            "The proxy should be a URL like http://HOST:PORT (http, https or socks5), or "
            "'direct' for none."
        )


def test_header_lines_are_parsed_and_stored_credentials_kept() -> None:
    previous = {"Cookie": "session=stored"}
    assert parse_headers("Cookie: ***\n\n X-Tenant :  blue \n", previous) == (
        {"Cookie": "session=stored", "X-Tenant": "blue"},
        None,
    )
    assert parse_headers("X-A: 1\nx-a: 2", {}) == ({}, "Line 2: The x-a header is given twice.")
    assert parse_headers("X-A: caf\u00e9", {}) == (
        {},
        "Line 1: The value of the X-A header holds a line break or a character that is not "
        "plain ASCII.",
    )


async def test_the_ephemeral_choice_is_kept_and_can_be_changed(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    config = gateway_config()
    config.profiles["gw"] = config.profiles["gw"].model_copy(update={"ephemeral": True})
    app = Host(config, path)
    async with app.run_test(size=(100, 60)) as pilot:
        screen = await opened(pilot)
        tick = screen.query_one("#ephemeral", Checkbox)
        assert tick.value
        await pilot.press("ctrl+s")  # saved as it is: the choice stays
        await wait_for(pilot, path.exists, "the config file")
    assert load_config(path).profiles["gw"].ephemeral

    path.unlink()
    app = Host(config, path)
    async with app.run_test(size=(100, 60)) as pilot:
        screen = await opened(pilot)
        tick = screen.query_one("#ephemeral", Checkbox)
        screen.query_one("#settings-form").scroll_to_widget(tick, animate=False)
        tick.focus()
        await pilot.press("space")
        await wait_for(pilot, lambda: not tick.value, "the tick to clear")
        await pilot.press("ctrl+s")
        await wait_for(pilot, path.exists, "the config file")
    assert not load_config(path).profiles["gw"].ephemeral

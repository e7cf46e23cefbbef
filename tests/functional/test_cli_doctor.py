"""`rt-tui doctor` run as users run it (a subprocess) against the mock's scenarios, small
scripted servers, a refusing CONNECT proxy and a stand-in for azure-identity: the
checklist names each failure in one line, and the exit code says whether one failed."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from canary import CANARY_ENV, assert_no_canary, hits_in_text
from connect_proxy import connect_proxy
from scripted_server import TLS_DIR, scripted_server, self_signed_context, send_json
from scripted_server import session_created as created_event
from test_cli import cli_env, run_cli, run_cli_async
from websockets.asyncio.server import ServerConnection

from rt_tui.mock.scenarios import choose
from rt_tui.mock.server import MockServer

__all__ = ["cli_env"]  # the fixture, shared with test_cli

KEY = "0123456789abcdef0123456789abcdef"
ENTRA_TOKEN = "eyJ0eXAiOiJKV1QiDoctorToken.body.signature"


def write_config(env: dict[str, str], text: str) -> None:
    folder = Path(env["RT_TUI_CONFIG_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.toml").write_text(textwrap.dedent(text))


def azure_profile(port: int, **more: str) -> str:
    extra = "".join(f"{name} = {value}\n" for name, value in more.items())
    return (
        f'[profiles.az]\nprovider = "azure"\nendpoint = "http://127.0.0.1:{port}"\n'
        f'model = "dep"\n{extra}'
    )


def lines(stdout: str) -> dict[str, list[str]]:
    """The checklist's lines by step name: `{"handshake": ["FAIL  …"]}`."""
    found: dict[str, list[str]] = {}
    for line in stdout.splitlines()[1:-1]:
        label, name, text = line[2:7].strip(), line[8:18].strip(), line[19:]
        found.setdefault(name, []).append(f"{label}  {text}")
    return found


async def doctor(env: dict[str, str], *args: str) -> tuple[int, str, str]:
    code, out, err = await run_cli_async(env, "doctor", *args)
    assert "Traceback" not in out + err
    return code, out, err


async def test_a_working_profile_passes_every_check(cli_env: dict[str, str]) -> None:
    async with MockServer() as server:
        port = server.port
        write_config(cli_env, azure_profile(port))
        code, out, err = await doctor({**cli_env, "AZURE_OPENAI_API_KEY": KEY})
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == "Checking profile 'az': azure (GA dialect), deployment dep."
    steps = lines(out)
    assert steps["key"] == ["ok  from $AZURE_OPENAI_API_KEY."]
    assert steps["URL"] == [f"ok  ws://127.0.0.1:{port}/openai/v1/realtime?model=dep (GA dialect)"]
    assert steps["handshake"][0].startswith(f"ok  HTTP 101 from 127.0.0.1:{port} in ")
    assert steps["session"][0].startswith(
        "ok  session.created, then session.update → session.updated in "
    )
    assert out.endswith("No check failed.\n")


@pytest.mark.parametrize(
    ("scenario", "provider", "expected"),
    [
        (
            "http-404",
            "azure",
            "FAIL  HTTP 404: 127.0.0.1:{port} has no deployment named 'dep': use the "
            "deployment's name (Deployments in the Azure AI Foundry portal), not the model's.",
        ),
        (
            "http-404",
            "openai",
            "FAIL  HTTP 404: the model 'dep' does not exist or this key has no access to it.",
        ),
        (
            "refused-key",
            "azure",
            "FAIL  HTTP 401: 127.0.0.1:{port} refused the key from $AZURE_OPENAI_API_KEY: it "
            "belongs to another resource or was regenerated; copy KEY 1 from this resource's "
            "Keys and Endpoint page.",
        ),
        (
            "http-429",
            "azure",
            "FAIL  HTTP 429: rate limited (the server said: Requests to the Realtime API have "
            "exceeded the rate limit of your current pricing tier. Please retry after 60 "
            "seconds): wait and try again, or raise the quota (tokens or requests per minute) "
            "of the key or deployment.",
        ),
    ],
)
async def test_the_services_refusals_are_explained(
    cli_env: dict[str, str], scenario: str, provider: str, expected: str
) -> None:
    async with MockServer(hooks=choose(scenario).hooks) as server:
        port = server.port
        if provider == "azure":
            write_config(cli_env, azure_profile(port))
        else:
            base = f"http://127.0.0.1:{port}/v1"
            write_config(cli_env, f'[profiles.oa]\nendpoint = "{base}"\nmodel = "dep"\n')
        env = {**cli_env, "AZURE_OPENAI_API_KEY": KEY, "OPENAI_API_KEY": "sk-" + "a" * 32}
        code, out, _ = await doctor(env)
    assert code == 1
    steps = lines(out)
    assert steps["handshake"] == [expected.format(port=port)]
    assert steps["session"] == ["skip  not tried: the handshake failed."]
    assert out.endswith("1 check failed.\n")


async def test_a_key_refused_after_the_handshake_is_explained(cli_env: dict[str, str]) -> None:
    async with MockServer(hooks=choose("refused-key").hooks) as server:
        base = f"http://127.0.0.1:{server.port}/v1"
        write_config(cli_env, f'[profiles.oa]\nendpoint = "{base}"\n')
        code, out, _ = await doctor({**cli_env, "OPENAI_API_KEY": "ek_" + "e" * 30})
    assert code == 1
    steps = lines(out)
    assert steps["key"] == [
        "ok  an ephemeral client secret (ek_…) from $OPENAI_API_KEY; it expires (after 10 "
        "minutes by default)."
    ]
    assert steps["session"] == [
        "FAIL  The ephemeral client secret (expired?) from $OPENAI_API_KEY was refused after "
        "the handshake (CLOSE 3000: Incorrect API key provided)."
    ]


async def test_the_wrong_path_for_the_dialect_is_named(cli_env: dict[str, str]) -> None:
    async with MockServer() as server:
        base = f"ws://127.0.0.1:{server.port}/openai"
        write_config(
            cli_env,
            f"""\
            [profiles.ga-with-version]
            provider = "url"
            endpoint = "{base}/v1/realtime?model=dep&api-version=2025-04-01-preview"
            [profiles.preview-as-ga]
            provider = "url"
            endpoint = "{base}/realtime?api-version=2025-04-01-preview&deployment=dep"
            dialect = "ga"
            """,
        )
        code, out, _ = await doctor(cli_env, "--profile", "ga-with-version")
        assert code == 1
        steps = lines(out)
        assert steps["path"] == [
            "FAIL  api-version is not taken on Azure's GA path /openai/v1/realtime (Azure "
            "answers HTTP 401): remove it, or use the preview path /openai/realtime."
        ]
        assert steps["handshake"] == [
            "FAIL  HTTP 401: api-version is not taken on Azure's GA path; remove it from the URL."
        ]
        code, out, _ = await doctor(cli_env, "--profile", "preview-as-ga")
    assert code == 1
    assert lines(out)["path"] == [
        "FAIL  Azure's preview path /openai/realtime speaks the beta dialect: set dialect = "
        '"beta", or use /openai/v1/realtime?model=DEPLOYMENT for GA.'
    ]


def test_a_missing_key_skips_the_connection(cli_env: dict[str, str]) -> None:
    write_config(cli_env, azure_profile(9))
    result = run_cli(cli_env, "doctor")
    assert result.returncode == 1
    steps = lines(result.stdout)
    assert steps["key"] == [
        "FAIL  No API key: set $AZURE_OPENAI_API_KEY or store a key in the profile, or use auth "
        '= "entra".'
    ]
    assert steps["handshake"] == ["skip  not tried: there is nothing to sign in with."]


async def test_a_refusing_proxy_and_an_unknown_host_are_explained(
    cli_env: dict[str, str],
) -> None:
    async with connect_proxy(refuse=403) as proxy:
        write_config(
            cli_env,
            f"""\
            [profiles.proxied]
            endpoint = "https://realtime.test/v1"
            proxy = "{proxy.url}"
            [profiles.nowhere]
            endpoint = "https://rt-tui-doctor.invalid/v1"
            proxy = "direct"
            """,
        )
        env = {**cli_env, "OPENAI_API_KEY": "sk-" + "b" * 32}
        code, out, _ = await doctor(env, "--profile", "proxied")
        assert code == 1
        steps = lines(out)
        assert steps["proxy"] == [f"info  {proxy.url} (the profile's)."]
        assert steps["handshake"] == [
            f"FAIL  The proxy {proxy.url} refused to open a tunnel to realtime.test: HTTP 403 "
            "Refused: ask for realtime.test to be allowed through the proxy."
        ]
        code, out, _ = await doctor(env, "--profile", "nowhere")
    assert code == 1
    assert lines(out)["handshake"] == [
        "FAIL  Cannot connect to rt-tui-doctor.invalid: the host name could not be resolved: "
        "check the host name in the endpoint, and the network's DNS."
    ]


async def greet(ws: ServerConnection) -> None:
    await send_json(ws, created_event())
    async for _message in ws:
        await send_json(ws, {"type": "session.updated", "session": {"type": "realtime"}})


async def test_an_untrusted_certificate_points_at_the_ca_bundle(cli_env: dict[str, str]) -> None:
    async with scripted_server(greet, tls=self_signed_context()) as server:
        port = server.port
        url = f"wss://127.0.0.1:{port}/v1/realtime?model=m"
        bundle = TLS_DIR / "selfsigned.crt"
        write_config(
            cli_env,
            f"""\
            [profiles.system]
            provider = "url"
            endpoint = "{url}"
            [profiles.bundle]
            provider = "url"
            endpoint = "{url}"
            ca_bundle = "{bundle}"
            """,
        )
        code, out, _ = await doctor(cli_env, "--profile", "system")
        assert code == 1
        [handshake] = lines(out)["handshake"]
        assert handshake.startswith(
            f"FAIL  Cannot connect to 127.0.0.1:{port}: the TLS certificate could not be verified ("
        )
        assert handshake.endswith(
            "if a proxy or gateway re-signs TLS, set the profile's ca_bundle to its CA "
            "certificate (PEM)."
        )
        code, out, _ = await doctor(cli_env, "--profile", "bundle")
    assert code == 0
    assert lines(out)["TLS"] == [f"info  trusts the CA bundle {bundle}."]


def stand_in_azure_identity(folder: Path, *, installed: bool) -> Path:
    """A folder for PYTHONPATH holding an `azure` package: with `installed`, an
    `azure.identity` whose DefaultAzureCredential hands out ENTRA_TOKEN for the Cognitive
    Services scope; without, none (as when the extra is missing)."""
    package = folder / "azure"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    if installed:
        (package / "identity").mkdir()
        (package / "identity" / "__init__.py").write_text(
            textwrap.dedent(
                f"""\
                import time
                from typing import NamedTuple

                class AccessToken(NamedTuple):
                    token: str
                    expires_on: int

                class DefaultAzureCredential:
                    def get_token(self, *scopes):
                        if scopes != ("https://cognitiveservices.azure.com/.default",):
                            raise ValueError("wrong scope")
                        return AccessToken({ENTRA_TOKEN!r}, int(time.time()) + 3600)
                """
            )
        )
    return folder


@pytest.mark.parametrize("installed", [True, False], ids=["extra", "no-extra"])
async def test_entra_sign_in(cli_env: dict[str, str], tmp_path: Path, installed: bool) -> None:
    path = stand_in_azure_identity(tmp_path / "site", installed=installed)
    async with MockServer(require_key=True) as server:
        write_config(cli_env, azure_profile(server.port, auth='"entra"'))
        code, out, _ = await doctor({**cli_env, "PYTHONPATH": str(path)})
    steps = lines(out)
    assert "key" not in steps
    if installed:
        assert code == 0
        assert steps["Entra ID"][0].startswith(
            "ok  a token for https://cognitiveservices.azure.com/.default, valid for "
        )
        assert [(seen.auth, seen.key) for seen in server.handshakes] == [("bearer", ENTRA_TOKEN)]
        assert ENTRA_TOKEN not in out
    else:
        assert code == 1
        assert steps["Entra ID"] == [
            "FAIL  Signing in with Microsoft Entra ID needs the 'azure' extra: pip install "
            "'rt-tui[azure]'."
        ]
        assert server.handshakes == []


async def test_no_secret_leaves_the_doctor(cli_env: dict[str, str]) -> None:
    async with MockServer(hooks=choose("echo-handshake").hooks) as server:
        write_config(
            cli_env,
            f"""\
            [profiles.oa]
            endpoint = "http://127.0.0.1:{server.port}/v1"
            [profiles.oa.headers]
            X-Gateway-Key = "{CANARY_ENV["AZURE_OPENAI_API_KEY"]}"
            """,
        )
        code, out, err = await doctor({**cli_env, **CANARY_ENV})
    assert code == 0
    assert "the server sent an error: handshake_echo: Echo of your handshake" in out
    assert_no_canary(hits_in_text(out, "stdout") + hits_in_text(err, "stderr"))


def test_usage_problems_are_one_line(cli_env: dict[str, str]) -> None:
    result = run_cli(cli_env, "doctor", "--profile", "nope")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "rt-tui: There is no profile named 'nope' (known profiles: none).\n"
    result = run_cli(cli_env, "--url", "ws://127.0.0.1:9/v1/realtime", "doctor")
    assert result.returncode == 2
    assert result.stderr == (
        "rt-tui: The doctor checks a profile, so --url, --demo, --scenario and --log do not "
        "apply; use --profile NAME (default: the active profile).\n"
    )


async def test_minting_a_client_secret_is_a_step_of_its_own(cli_env: dict[str, str]) -> None:
    async with MockServer(require_minted=True, reject_keys={"refused" * 5}) as server:
        port = server.port
        write_config(cli_env, azure_profile(port, ephemeral="true"))
        code, out, err = await doctor({**cli_env, "AZURE_OPENAI_API_KEY": KEY})
        assert (code, err) == (0, "")
        minted = lines(out)["secret"]
        assert minted[0].startswith("ok  minted a client secret with the key in ")
        assert minted[0].endswith(" ms; the socket carries it, never the key.")
        assert lines(out)["handshake"][0].startswith("ok  HTTP 101")

        code, out, err = await doctor({**cli_env, "AZURE_OPENAI_API_KEY": "refused" * 5})
        assert code == 1
        assert lines(out)["secret"] == [
            f"FAIL  Minting a client secret at http://127.0.0.1:{port}/openai/v1/realtime/"
            "client_secrets failed: HTTP 401: the standard key was refused (Incorrect API "
            "key provided)."
        ]
        assert lines(out)["handshake"] == ["skip  not tried: there is nothing to sign in with."]
        assert "refused" * 5 not in out + err
        # --ephemeral checks a profile that does not say so itself.
        write_config(cli_env, azure_profile(port))
        code, out, err = await doctor({**cli_env, "AZURE_OPENAI_API_KEY": KEY}, "--ephemeral")
        assert (code, err) == (0, ""), out
        assert lines(out)["secret"][0].startswith("ok  minted a client secret")
    # One minting per check, and every socket carried a minted secret.
    assert len(server.mint.minted) == 4
    assert {seen.key for seen in server.handshakes} <= set(server.mint.minted)

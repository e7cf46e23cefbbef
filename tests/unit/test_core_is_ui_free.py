"""Everything below the TUI must never pull in Textual: the engine, the mock, the
inspector's and the bundle's cores and the headless faces run without a screen (`rt-tui
send`, `rt-tui mock-server`, `rt-tui replay --print`, `rt-tui bundle`) and are the part
other tools could reuse. The import-linter contracts in pyproject.toml check the same
statically; this checks what actually gets imported at run time."""

import pkgutil
import subprocess
import sys

import pytest

import rt_tui.cost
import rt_tui.inspector
import rt_tui.mock
import rt_tui.realtime
import rt_tui.report
import rt_tui.send
import rt_tui.session_diff
import rt_tui.tool_answers


def _modules(package: object) -> list[str]:
    path = package.__path__  # type: ignore[attr-defined]
    prefix = package.__name__ + "."  # type: ignore[attr-defined]
    return [info.name for info in pkgutil.walk_packages(path, prefix)]


CORE_MODULES = sorted(
    [
        "rt_tui.realtime",
        "rt_tui.mock",
        "rt_tui.inspector",
        "rt_tui.send",
        "rt_tui.config",
        "rt_tui.config_file",
        "rt_tui.cost",
        "rt_tui.cost_settings",
        "rt_tui.session_settings",
        "rt_tui.session_diff",
        "rt_tui.paths",
        "rt_tui.dialect",
        "rt_tui.targets",
        "rt_tui.replay",
        "rt_tui.bundle",
        "rt_tui.report",
        *_modules(rt_tui.realtime),
        *_modules(rt_tui.report),
        *_modules(rt_tui.mock),
        *_modules(rt_tui.inspector),
        *_modules(rt_tui.send),
        *_modules(rt_tui.cost),
        *_modules(rt_tui.session_diff),
        *_modules(rt_tui.tool_answers),
    ]
)


def test_core_package_lists_its_modules() -> None:
    # Guards the test below against silently checking nothing.
    assert "rt_tui.realtime.events" in CORE_MODULES
    assert any(name.startswith("rt_tui.mock.") for name in CORE_MODULES)
    assert "rt_tui.inspector.store" in CORE_MODULES


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_module_does_not_import_textual(module: str) -> None:
    code = (
        "import importlib, sys\n"
        f"importlib.import_module({module!r})\n"
        "leaked = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(leaked))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "", f"{module} imports {result.stdout.strip()}"

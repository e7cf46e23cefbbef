"""The engine and the mock must never pull in Textual: they run headless (`rt-tui send`,
`rt-tui mock-server`) and are the part other tools could reuse."""

import pkgutil
import subprocess
import sys

import pytest

import rt_tui.mock
import rt_tui.realtime


def _modules(package: object) -> list[str]:
    path = package.__path__  # type: ignore[attr-defined]
    prefix = package.__name__ + "."  # type: ignore[attr-defined]
    return [info.name for info in pkgutil.walk_packages(path, prefix)]


CORE_MODULES = sorted(
    [
        "rt_tui.realtime",
        "rt_tui.mock",
        "rt_tui.config",
        "rt_tui.paths",
        *_modules(rt_tui.realtime),
        *_modules(rt_tui.mock),
    ]
)


def test_core_package_lists_its_modules() -> None:
    # Guards the test below against silently checking nothing.
    assert "rt_tui.realtime.events" in CORE_MODULES
    assert any(name.startswith("rt_tui.mock.") for name in CORE_MODULES)


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

"""Where an export goes: the path typed in the export prompt, checked before writing."""

from __future__ import annotations

from pathlib import Path

import pytest

from rt_tui.tui.export_prompt import export_target

DEFAULT = Path("/somewhere/session-1.md")


def test_a_relative_path_is_from_the_starting_folder_and_a_folder_takes_the_name(
    tmp_path: Path,
) -> None:
    assert export_target("notes/out.md", DEFAULT, tmp_path) == tmp_path / "notes" / "out.md"
    (tmp_path / "exports").mkdir()
    assert export_target(" exports ", DEFAULT, tmp_path) == tmp_path / "exports" / "session-1.md"


def test_home_is_expanded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    assert export_target("~/out.md", DEFAULT, Path("/")) == tmp_path / "out.md"


def test_what_cannot_be_written_is_said_in_one_sentence(tmp_path: Path) -> None:
    taken = tmp_path / "taken.md"
    taken.write_text("")
    assert export_target("", DEFAULT, tmp_path) == "Type where to write the file."
    assert export_target(str(taken), DEFAULT, tmp_path) == (
        f"{taken} exists: type another name (an export never replaces a file)."
    )
    assert export_target(str(taken / "inside.md"), DEFAULT, tmp_path) == (
        f"{taken} is a file, not a folder."
    )
    too_long = "x" * 300
    problem = export_target(too_long, DEFAULT, tmp_path)
    assert isinstance(problem, str)
    assert problem.startswith(f"Cannot write to {too_long}: ")

"""The soak's figures: what a run of `make soak` may say about an hour, and for what code.

The runs here are made up, sample by sample, in the shape `make soak` records (every 10
s, CPU seconds and RSS of the replying and the connect-only app): a real soak takes ten
minutes at least. Their noise is seeded, so each test sees the same runs every time.
"""

from __future__ import annotations

import json
import random
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from benchmarks import __main__ as bench
from benchmarks import soak
from benchmarks.figures import Measured, build_table
from benchmarks.soak import Sample, SoakResult, code_version, stands_for
from benchmarks.trend import fit


def soak_of(
    rate: Callable[[float], float], *, noise: float = 0.0, seed: int = 0, minutes: int = 10
) -> SoakResult:
    """A soak whose replying app spends `rate(minute)` s of CPU a minute, each 10-second
    sample's rate off by `noise` (a standard deviation, s a minute); the connect-only app
    spends 0.5 s a minute."""
    rng = random.Random(seed)
    run = SoakResult(minutes=minutes)
    cpu = idle = 0.0
    for step in range(minutes * 6 + 1):
        minute = step / 6
        run.samples.append(Sample(minute, 60.0, 60.0, cpu, idle))
        cpu += max(0.0, rate(minute) + rng.gauss(0, noise)) / 6
        idle += 0.5 / 6
    return run


def cpu_row(run: SoakResult) -> Measured:
    return {r.figure.key: r for r in build_table({}, None, run.summary()).rows}["soak_cpu"]


def busy_second_minute(minute: float) -> float:
    """Flat at 1.4 s a minute but for the second minute, when the machine was busier."""
    return 0.9 if 1 <= minute < 2 else 1.4


def test_the_line_is_the_median_of_the_slopes_and_says_how_sure_it_is() -> None:
    points = [(x, 2.0 * x + 1) for x in range(10)]
    points[3] = (3, 50.0)  # one stray point
    trend = fit(points)
    assert trend.slope == pytest.approx(2.0)
    assert trend.at(20) == pytest.approx(41.0)
    assert trend.low <= 2.0 <= trend.high
    noisy = fit([(x, random.Random(x).gauss(0, 1)) for x in range(10)])
    assert noisy.low < noisy.slope < noisy.high


def test_a_busy_minute_early_in_the_soak_is_not_taken_for_growth() -> None:
    run = soak_of(busy_second_minute)
    # A least-squares line through these ten minutes, carried out to the hour, reads 1.8x.
    assert run.summary()["cpu_ratio_1h"] == pytest.approx(1.0)
    assert cpu_row(run).passed is True


def test_ten_noisy_minutes_are_never_failed_on_a_line_carried_out_to_the_hour() -> None:
    rows = [cpu_row(soak_of(busy_second_minute, noise=0.1, seed=seed)) for seed in range(20)]
    # Flat but noisy: a line through ten minutes could end anywhere in an hour; shown
    # with its interval, but neither passed nor failed.
    assert all(row.passed is not False for row in rows)
    assert any(row.passed is None for row in rows)
    judged = next(row for row in rows if row.passed is None)
    assert "interval spans the budget" in judged.verdict("FAIL")


def test_growth_that_lasts_fails_through_the_noise() -> None:
    for seed in range(10):
        run = soak_of(lambda minute: 1.4 + 0.02 * minute, noise=0.05, seed=seed)
        assert run.summary()["cpu_ratio_1h"] > 1.4
        assert cpu_row(run).passed is False


def test_an_hour_long_soak_is_measured_not_extrapolated() -> None:
    run = soak_of(lambda minute: 1.4, noise=0.1, seed=1, minutes=60)
    summary = run.summary()
    assert not summary["extrapolated"]
    assert summary["cpu_ratio_1h_low"] is None
    assert summary["cpu_ratio_1h"] == pytest.approx(summary["cpu_ratio_measured"])
    assert summary["cpu_ratio_measured_how"] == "last 10 min / first 10 min"
    assert cpu_row(run).passed is True


def test_memory_a_session_gives_back_is_no_budget_to_spend() -> None:
    run = SoakResult(minutes=10)
    for step in range(61):
        minute = step / 6
        run.samples.append(Sample(minute, 60 + 55 - 0.2 * minute, 60, minute, minute))
    assert run.rss_slope_mb_per_min() == pytest.approx(-0.2)
    assert run.rss_over_idle_1h_mb() == pytest.approx(run.rss_over_idle_mb())  # not less


def test_a_short_or_broken_soak_is_shown_but_not_judged() -> None:
    short = soak_of(busy_second_minute, minutes=2)
    table = build_table({}, None, short.summary())
    rows = {r.figure.key: r for r in table.rows}
    assert rows["soak_cpu"].values  # shown,
    assert rows["soak_cpu"].as_json()["passed"] is None  # but neither passed nor failed
    assert table.render().count("not judged (short run: make soak MINUTES=10)") == 2
    broken = SoakResult(minutes=10, error="rt-tui ended during the soak")
    summary = broken.summary()  # no sample at all: figures not a number, no crash
    assert not summary["valid_for_budget"]
    assert "the soak stopped early" in build_table({}, None, summary).render()


def git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
        cwd=root,
        check=True,
        capture_output=True,
    )


def test_a_soak_stands_for_the_code_it_measured_and_no_other(tmp_path: Path) -> None:
    for path in soak.CODE_PATHS:
        if "." in path:
            (tmp_path / path).write_text("[project]\n")
        else:
            (tmp_path / path).mkdir()
            (tmp_path / path / "x.py").write_text("x = 1\n")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "one")
    code = code_version(tmp_path)
    assert code is not None
    summary = {"code": code, "valid_for_budget": True, "error": ""}
    assert stands_for(summary, code)
    assert not stands_for({**summary, "valid_for_budget": False}, code)  # under 10 minutes
    assert not stands_for({**summary, "error": "rt-tui ended during the soak"}, code)
    (tmp_path / "README.md").write_text("more words\n")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "words")
    assert code_version(tmp_path) == code  # the README runs no code
    (tmp_path / "themes" / "x.py").write_text("x = 2\n")
    assert code_version(tmp_path) is None  # changed, not committed: no version stands for it
    git(tmp_path, "commit", "-q", "-am", "two")
    assert code_version(tmp_path) not in (None, code)
    assert not stands_for(summary, code_version(tmp_path))


def test_make_bench_shows_the_soak_of_this_code_instead_of_a_short_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hour = soak_of(lambda minute: 1.4, noise=0.05, minutes=60)
    hour.code, hour.commit, hour.started = "c0de", "0123456789abcdef", "2026-12-03T09:00:00"
    (tmp_path / "soak.json").write_text(json.dumps(hour.summary()))
    monkeypatch.setattr(soak, "RESULTS", tmp_path)
    monkeypatch.setattr(soak, "code_version", lambda root=None: "c0de")
    latest = tmp_path / "latest.json"
    assert bench.main(["--only", "soak", "--json", str(latest)]) == 0
    report = json.loads(latest.read_text())
    assert report["soak_from"] == str(tmp_path / "soak.json")
    rows = {row["key"]: row for row in report["figures"]}
    assert rows["soak_cpu"]["passed"] is True
    assert "measured over 60 min of 0123456789" in rows["soak_cpu"]["note"]


@pytest.mark.parametrize(("args", "runs"), [((), 5), (("--repeats", "2"), 2), (("--quick",), 1)])
def test_cpu_at_1x_runs_five_times_unless_told_otherwise(
    args: tuple[str, ...], runs: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ran: list[str] = []

    def trial(name: str, params: dict[str, object], *, timeout: float) -> dict[str, object]:
        ran.append(name)
        lag = {"p50_ms": 1.0, "p99_ms": 2.0, "max_ms": 3.0}
        return {
            "lag": lag,
            "keys": lag,
            "cpu_cores": 0.1,
            "cpu_cores_with_lag_probe": 0.1,
            "reply_lateness_max_s": 0.0,
            "server_behind_max_s": 0.0,
            "kept_up": True,
        }

    monkeypatch.setattr(bench, "run_trial", trial)
    assert bench.main(["--only", "paced_1x", *args, "--json", str(tmp_path / "l.json")]) == 0
    assert ran == ["paced"] * runs

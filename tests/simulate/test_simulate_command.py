"""``sentinel simulate``: files, standard output, the config it writes, and user mistakes."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from sentinel.commands import simulate
from sentinel.events.codec import iter_lines
from sentinel.settings import load_config


def _run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="sentinel")
    simulate.register(parser.add_subparsers())
    args = parser.parse_args(["simulate", *argv])
    return int(args.func(args))


def test_writes_events_and_a_matching_config(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    events, config = tmp_path / "events.jsonl", tmp_path / "pages.yaml"
    assert (
        _run(
            "--pages",
            "3",
            "--days",
            "9",
            "--seed",
            "5",
            "--start",
            "2025-03-24",
            "-o",
            str(events),
            "--config-out",
            str(config),
        )
        == 0
    )
    parsed = [ev for _, ev in iter_lines(events.read_bytes().splitlines())]
    assert parsed and not any(isinstance(ev, Exception) for ev in parsed)
    pages = load_config(config).pages
    assert {p.id for p in pages} == {ev.page for ev in parsed}  # type: ignore[union-attr]
    err = capsys.readouterr().err
    assert f"{len(parsed):,} events for 3 page(s) over 9 days" in err
    assert "hijack of page 'norrsken' from 2025-03-28T21:" in err  # on by default when there is a Friday night


def test_standard_output_is_the_same_bytes_as_the_file(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    out = tmp_path / "e.jsonl"
    assert _run("--days", "4", "--seed", "3", "-q", "-o", str(out)) == 0
    assert _run("--days", "4", "--seed", "3", "-q") == 0
    captured = capsysbinary.readouterr()
    assert captured.out == out.read_bytes()
    assert captured.err == b""


def test_a_hijack_that_does_not_fit_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run("--days", "3", "--start", "2025-10-06", "--hijack") == 2
    assert "needs a Friday followed by a Saturday" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("--days", "x"), "expected a whole number"),
        (("--pages", "0"), "must be at least 1"),
        (("--start", "2025-13-01"), "expected a date like"),
    ],
)
def test_bad_arguments_exit_2_with_a_message(
    argv: tuple[str, ...], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exc:
        _run(*argv)
    assert exc.value.code == 2
    assert message in capsys.readouterr().err


def test_unwritable_output_is_a_failure_not_a_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run("--days", "2", "-o", str(tmp_path / "missing" / "e.jsonl")) == 1
    assert "cannot write" in capsys.readouterr().err

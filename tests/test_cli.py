"""The ``sentinel`` dispatcher: every command listed, and a command line importing only its command's module."""

from __future__ import annotations

import subprocess
import sys

import pytest

from sentinel import cli


def _loaded_after(*argv: str) -> set[str]:
    """The ``sentinel.commands`` modules imported to build the parser for ``argv``, in a fresh interpreter."""
    code = (
        "import sys\nfrom sentinel import cli\n"
        f"cli.build_parser({list(argv)!r})\n"
        "print(' '.join(m for m in sys.modules if m.startswith('sentinel.commands.')))"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    return set(r.stdout.split())


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit:
        cli.main(["--help"])
    assert exit.value.code == 0
    listed = [
        line.split()[0]
        for line in capsys.readouterr().out.splitlines()
        if line.startswith("    ") and not line.startswith("     ")
    ]
    assert listed == [name for names in cli.COMMANDS.values() for name in names]


def test_a_command_line_imports_only_its_commands_module() -> None:
    assert _loaded_after("replay", "--no-progress", "x.jsonl") == {"sentinel.commands.replay"}
    assert _loaded_after("incident", "ack", "--help") == {"sentinel.commands.incidents"}
    assert _loaded_after("notify-test", "--person", "anna") == {"sentinel.commands.notify_test"}


def test_no_command_or_a_mistyped_one_imports_them_all() -> None:
    every = {f"sentinel.commands.{m}" for m in cli.COMMANDS}
    assert _loaded_after("--version") == every
    assert _loaded_after("replayx") == every


def test_a_mistyped_command_names_the_choices(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit:
        cli.main(["replayx"])
    assert exit.value.code == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'replayx'" in err and "'replay'" in err and "'notify-test'" in err


def test_a_command_s_own_help_still_works(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit:
        cli.main(["replay", "--help"])
    assert exit.value.code == 0
    assert "--strict" in capsys.readouterr().out

"""A user's mistake is one ``error:`` line and exit status 2, never a traceback: at start and in every command.

Each case runs ``python -m sentinel ...`` as a subprocess, as a user would. Cases about permissions run with the
file-permission override dropped (``setpriv``) when the tests run as root, so they mean the same for everyone.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from sentinel.testing.daemon import free_port

pytestmark = pytest.mark.slow

BASE = """\
pages:
  - id: p
store:
  url: {store}
server:
  host: {host}
  port: {port}
logging:
  format: json
"""


@dataclass
class Case:
    argv: list[str]
    expect: str  # a fragment of the one error line
    needs_permissions: bool = False
    stops_what_started: bool = False  # the store and worker were up: they are stopped in order before the exit
    notes: tuple[str, ...] = ()  # fragments of ``note:`` lines said beside the error


def _config(d: Path, *, store: str = "sqlite:///data/s.db", host: str = "127.0.0.1", port: int = 0) -> str:
    path = d / "sentinel.yaml"
    path.write_text(BASE.format(store=store, host=host, port=port or free_port()), encoding="utf-8")
    (d / "data").mkdir(exist_ok=True)
    return str(path)


def port_in_use(d: Path, held: socket.socket) -> Case:
    port = held.getsockname()[1]
    return Case(
        ["run", "-c", _config(d, port=port)],
        f"server.port: cannot listen on 127.0.0.1:{port}: the address is already in use",
        stops_what_started=True,
    )


def unresolvable_host(d: Path, held: socket.socket) -> Case:
    return Case(
        ["run", "-c", _config(d, host="no-such-host.invalid")],
        "server.host: cannot resolve 'no-such-host.invalid'",
        stops_what_started=True,
    )


def address_not_here(d: Path, held: socket.socket) -> Case:
    return Case(["run", "-c", _config(d, host="192.0.2.1")], "192.0.2.1 is not an address of this machine")


def store_folder_cannot_be_made(d: Path, held: socket.socket) -> Case:
    (d / "afile").write_text("not a folder")
    return Case(["run", "-c", _config(d, store="sqlite:///afile/sub/s.db")], "store.url: cannot open the store")


def store_scheme_without_colon(d: Path, held: socket.socket) -> Case:
    """Read as a plain path, ``sqlite//s.db`` was a new, empty store in ./sqlite/: the daemon started on it."""
    return Case(
        ["run", "-c", _config(d, store="sqlite//s.db")],
        "store.url: 'sqlite//s.db' has no ':' after 'sqlite'; a store URL is sqlite:///FILE",
    )


def store_scheme_misspelt(d: Path, held: socket.socket) -> Case:
    return Case(
        ["check", "-c", _config(d, store="postgress://sentinel@db/sentinel")],
        "store.url: 'postgress://sentinel@db/sentinel': unknown scheme 'postgress'; did you mean 'postgres:'?",
    )


def store_folder_read_only(d: Path, held: socket.socket) -> Case:
    cfg = _config(d, store="sqlite:///ro/s.db")
    (d / "ro").mkdir()
    (d / "ro").chmod(0o555)
    return Case(["run", "-c", cfg], "store.url: ", needs_permissions=True)


def store_file_read_only(d: Path, held: socket.socket) -> Case:
    import sqlite3

    cfg = _config(d)
    sqlite3.connect(d / "data" / "s.db").close()
    (d / "data" / "s.db").chmod(0o444)
    (d / "data").chmod(0o555)
    return Case(["run", "-c", cfg], "store.url: ", needs_permissions=True)


def config_unreadable(d: Path, held: socket.socket) -> Case:
    cfg = _config(d)
    Path(cfg).chmod(0o000)
    return Case(["run", "-c", cfg], "cannot read config: Permission denied", needs_permissions=True)


def config_missing(d: Path, held: socket.socket) -> Case:
    return Case(["run", "-c", str(d / "nope.yaml")], "cannot read config: No such file or directory")


def config_is_a_folder(d: Path, held: socket.socket) -> Case:
    return Case(["run", "-c", str(d)], "cannot read config: Is a directory")


def secret_file_unreadable(d: Path, held: socket.socket) -> Case:
    (d / "token").write_text("t" * 32)
    (d / "token").chmod(0o000)
    cfg = _config(d)
    Path(cfg).write_text(Path(cfg).read_text().replace("logging:", "  ingest_token_file: token\nlogging:"))
    return Case(["run", "-c", cfg], "ingest_token_file: cannot read", needs_permissions=True)


def check_config_unreadable(d: Path, held: socket.socket) -> Case:
    case = config_unreadable(d, held)
    return Case(["check", *case.argv[1:]], case.expect, needs_permissions=True)


def check_store_folder_missing(d: Path, held: socket.socket) -> Case:
    return Case(
        ["check", "-c", _config(d, store="sqlite:///nowhere/s.db")],
        f"store.url: the store's folder {d / 'nowhere'} does not exist",
    )


def check_store_folder_read_only(d: Path, held: socket.socket) -> Case:
    cfg = _config(d, store="sqlite:///ro/s.db")
    (d / "ro").mkdir()
    (d / "ro").chmod(0o555)
    return Case(
        ["check", "-c", cfg],
        "store.url: the store " + str(d / "ro" / "s.db") + " cannot be created: its "
        "folder is not writable by this user",
        needs_permissions=True,
    )


def incidents_config_unreadable(d: Path, held: socket.socket) -> Case:
    case = config_unreadable(d, held)
    return Case(["incidents", *case.argv[1:]], case.expect, needs_permissions=True)


def incidents_store_not_a_database(d: Path, held: socket.socket) -> Case:
    cfg = _config(d)
    (d / "data" / "s.db").mkdir()
    return Case(["incidents", "-c", cfg], "store.url: cannot open SQLite store")


def incidents_store_missing(d: Path, held: socket.socket) -> Case:
    return Case(["incidents", "-c", _config(d)], "store.url: no store at")


def oncall_config_is_a_folder(d: Path, held: socket.socket) -> Case:
    return Case(["oncall", "-c", str(d)], "cannot read config: Is a directory")


def replay_events_unreadable(d: Path, held: socket.socket) -> Case:
    (d / "events.jsonl").write_text("")
    (d / "events.jsonl").chmod(0o000)
    return Case(["replay", "--no-progress", str(d / "events.jsonl")], "Permission denied", needs_permissions=True)


def demo_folder_under_a_file(d: Path, held: socket.socket) -> Case:
    (d / "afile").write_text("")
    return Case(["demo", "--dir", str(d / "afile" / "demo")], "afile")


def staff_list_store_missing(d: Path, held: socket.socket) -> Case:
    return Case(["staff", "list", "-c", _config(d)], "store.url: no store at")


def page_language_is_a_name(d: Path, held: socket.socket) -> Case:
    cfg = _config(d)
    Path(cfg).write_text(Path(cfg).read_text().replace("  - id: p\n", "  - id: p\n    language: Danish\n"))
    return Case(["check", "-c", cfg], "sentinel.yaml:3:5: pages[0].language: 'Danish' is not a language code")


def ingest_token_pasted_with_its_scheme(d: Path, held: socket.socket) -> Case:
    """The Authorization header's value pasted as the token: every ingest would have been refused with 401."""
    cfg = _config(d)
    text = Path(cfg).read_text().replace("  port:", '  ingest_token: "Bearer s3cret-ingest-token-0123456789"\n  port:')
    Path(cfg).write_text(text)
    return Case(["check", "-c", cfg], "server.ingest_token: contains a space: no Authorization header can carry it")


def ingest_token_with_a_nul(d: Path, held: socket.socket) -> Case:
    cfg = _config(d)
    Path(cfg).write_text(Path(cfg).read_text().replace("  port:", '  ingest_token: "s3cret\\0token"\n  port:'))
    return Case(["run", "-c", cfg], "server.ingest_token: contains U+0000: no Authorization header can carry it")


#: the daemon's secrets, from variables no command below sets
UNSET = """\
  ingest_token: ${SENTINEL_TEST_UNSET_INGEST}
sources: {app_secret: "${SENTINEL_TEST_UNSET_APP}"}
security: {secret_key: "${SENTINEL_TEST_UNSET_KEY}"}
people:
  - {name: erik, phone: "+46701234501", channels: [sms]}
notify:
  channels:
    sms: {type: console, format: sms}
"""


def _unset_secrets(d: Path, port: str = "") -> str:
    cfg = _config(d)
    text = Path(cfg).read_text().replace("logging:", UNSET.rstrip("\n") + "\nlogging:")
    Path(cfg).write_text(text.replace("  port: ", f"  port: {port}  # ") if port else text)
    return cfg


def check_one_error_beside_unset_variables(d: Path, held: socket.socket) -> Case:
    """An unset variable is a note beside a real error too, not one more error."""
    cfg = _unset_secrets(d)
    Path(cfg).write_text(Path(cfg).read_text().replace("  - id: p\n", "  - id: p\n    language: Danish\n"))
    return Case(
        ["check", "-c", cfg],
        "pages[0].language: 'Danish' is not a language code",
        notes=("SENTINEL_TEST_UNSET_INGEST is not set", "SENTINEL_TEST_UNSET_APP", "SENTINEL_TEST_UNSET_KEY"),
    )


def staff_enroll_without_its_secret_key(d: Path, held: socket.socket) -> Case:
    """The one secret an enrolment needs is named; the daemon's others are not its business."""
    return Case(
        ["staff", "enroll", "erik", "--no-qr", "-c", _unset_secrets(d)],
        "security.secret_key: environment variable SENTINEL_TEST_UNSET_KEY is not set",
    )


def sources_check_without_a_page_token(d: Path, held: socket.socket) -> Case:
    cfg = _unset_secrets(d)
    token = "  - id: p\n    page_id: '1'\n    access_token: ${SENTINEL_TEST_UNSET_PAGE_TOKEN}\n"
    Path(cfg).write_text(Path(cfg).read_text().replace("  - id: p\n", token))
    return Case(
        ["sources", "check", "-c", cfg],
        "pages[0].access_token: environment variable SENTINEL_TEST_UNSET_PAGE_TOKEN is not set",
    )


CASES: list[Callable[[Path, socket.socket], Case]] = [
    port_in_use,
    unresolvable_host,
    address_not_here,
    store_folder_cannot_be_made,
    store_scheme_without_colon,
    store_scheme_misspelt,
    store_folder_read_only,
    store_file_read_only,
    config_unreadable,
    config_missing,
    config_is_a_folder,
    secret_file_unreadable,
    check_config_unreadable,
    check_store_folder_missing,
    check_store_folder_read_only,
    incidents_config_unreadable,
    incidents_store_not_a_database,
    incidents_store_missing,
    oncall_config_is_a_folder,
    replay_events_unreadable,
    demo_folder_under_a_file,
    staff_list_store_missing,
    page_language_is_a_name,
    ingest_token_pasted_with_its_scheme,
    ingest_token_with_a_nul,
    check_one_error_beside_unset_variables,
    staff_enroll_without_its_secret_key,
    sources_check_without_a_page_token,
]


@pytest.fixture
def held() -> Iterator[socket.socket]:
    """A port some other process already listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        yield s


def _as_user() -> list[str] | None:
    """A prefix that makes file permissions apply (None: they cannot be made to apply here)."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    return [setpriv, "--bounding-set", "-dac_override,-dac_read_search", "--"] if setpriv else None


@pytest.mark.parametrize("make", CASES, ids=lambda f: f.__name__)
def test_a_user_mistake_is_one_line_and_exit_2(
    make: Callable[[Path, socket.socket], Case], tmp_path: Path, held: socket.socket
) -> None:
    case = make(tmp_path, held)
    prefix = _as_user() if case.needs_permissions else []
    if prefix is None:
        pytest.skip("running as root without setpriv: file permissions do not apply")
    try:
        r = subprocess.run(
            [*prefix, sys.executable, "-m", "sentinel", *case.argv],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=tmp_path,
            env={**os.environ, "PYTHONWARNINGS": "error"},
        )
    finally:
        for p in tmp_path.rglob("*"):  # let pytest clean up what the case locked
            p.chmod(0o700)
    errors = [line for line in r.stderr.splitlines() if line.startswith("error:")]
    assert "Traceback" not in r.stderr, r.stderr
    assert not (tmp_path / "sqlite").exists() and not (tmp_path / "postgress:").exists()  # no store made of a typo
    assert r.returncode == 2, r.stderr
    assert len(errors) == 1 and case.expect in errors[0], r.stderr
    notes = [line for line in r.stderr.splitlines() if line.startswith("note:")]
    assert all(any(n in line for line in notes) for n in case.notes), r.stderr
    if case.stops_what_started:
        logged = [e.split('"', 2)[1] for e in r.stderr.split('"event": ')[1:]]
        assert logged[-3:] == ["app.stopping", "worker.stopped", "app.stopped"], r.stderr


@pytest.mark.parametrize(
    ("argv", "port", "expect"),
    [
        (["staff", "enroll", "erik", "--no-qr"], "", "otpauth://totp/Sentinel:erik?"),
        (["cluster", "status"], "${SENTINEL_TEST_UNSET_PORT}", "no cluster: the store is not PostgreSQL"),
        (["notify-test", "--person", "erik"], "", "sms: sent"),
    ],
    ids=["staff enroll", "cluster status", "notify-test"],
)
def test_a_command_needs_only_the_secrets_it_uses(argv: list[str], port: str, expect: str, tmp_path: Path) -> None:
    """``staff enroll`` needs the store and the secret key, ``cluster status`` the store, ``notify-test`` the
    person's channels: none refuses over the daemon's ingest token, app secret or listening port, whose variables
    are set only where the daemon runs."""
    cfg = _unset_secrets(tmp_path, port)
    (tmp_path / "data" / "s.db").touch()
    env = {**os.environ, "PYTHONWARNINGS": "error", "SENTINEL_TEST_UNSET_KEY": "k" * 32}
    r = subprocess.run(
        [sys.executable, "-m", "sentinel", *argv, "-c", cfg], capture_output=True, text=True, timeout=60, env=env
    )
    assert "error:" not in r.stderr and "Traceback" not in r.stderr, r.stderr
    assert expect in r.stdout + r.stderr, r.stdout + r.stderr

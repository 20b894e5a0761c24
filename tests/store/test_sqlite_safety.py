"""The SQLite store is private and has one daemon: modes whatever the umask, an exclusive lock for the daemon.

The last test is the process-level half: a second ``sentinel run`` on the same file is refused with one line,
and a kill -9 of the first leaves no stale lock.
"""

from __future__ import annotations

import asyncio
import os
import re
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from sentinel.errors import StoreError
from sentinel.store.factory import open_database
from sentinel.store.sqlite import SqliteDatabase
from sentinel.testing.daemon import daemon_settings, free_port, start_daemon, stop_daemon


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def store_modes(folder: Path) -> dict[str, int]:
    """The mode of every file of the store in ``folder`` (the database, its companions, its lock)."""
    return {f.name: mode(f) for f in folder.glob("sentinel.db*")}


@pytest.fixture(params=[0o022, 0o000, 0o277], ids=["umask-022", "umask-000", "umask-277"])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    old = os.umask(request.param)
    try:
        yield int(request.param)
    finally:
        os.umask(old)


async def test_a_new_store_and_its_wal_and_shm_files_are_0600_whatever_the_umask(tmp_path: Path, umask: int) -> None:
    path = tmp_path / "sentinel.db"
    db = SqliteDatabase.open(str(path))
    try:
        await db.execute("CREATE TABLE t (x INTEGER)")
        await db.execute("INSERT INTO t VALUES (1)")
        files = [path, Path(f"{path}-wal"), Path(f"{path}-shm")]
        assert {f.name: mode(f) for f in files} == {f.name: 0o600 for f in files}
    finally:
        await db.close()


async def test_folders_made_for_the_store_are_0700_and_existing_ones_are_left_alone(tmp_path: Path, umask: int) -> None:
    os.chmod(tmp_path, 0o755)
    path = tmp_path / "var" / "lib" / "sentinel" / "sentinel.db"
    db = SqliteDatabase.open(str(path))
    await db.close()
    assert [mode(d) for d in (path.parent, path.parent.parent, path.parent.parent.parent)] == [0o700] * 3
    assert mode(tmp_path) == 0o755


async def test_a_store_made_before_files_were_private_is_narrowed_at_open(tmp_path: Path) -> None:
    path = tmp_path / "sentinel.db"
    db = SqliteDatabase.open(str(path))
    await db.execute("CREATE TABLE t (x INTEGER)")
    await db.close()
    for f in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        if f.exists():
            f.chmod(0o644)
    db = SqliteDatabase.open(str(path))
    try:
        assert mode(path) == 0o600
        assert all(mode(f) == 0o600 for f in (Path(f"{path}-wal"), Path(f"{path}-shm")) if f.exists())
    finally:
        await db.close()


async def test_narrowing_takes_bits_away_only(tmp_path: Path) -> None:
    path = tmp_path / "sentinel.db"
    await (SqliteDatabase.open(str(path))).close()
    os.chmod(path, 0o444)  # a store made read-only on purpose stays read-only
    db = SqliteDatabase.open(str(path))
    await db.close()
    assert mode(path) == 0o400


async def test_a_second_exclusive_open_is_refused_naming_the_file_and_the_holder(tmp_path: Path) -> None:
    path = tmp_path / "sentinel.db"
    daemon = SqliteDatabase.open(str(path), exclusive=True)
    try:
        with pytest.raises(StoreError) as refused:
            SqliteDatabase.open(str(path), exclusive=True)
        assert str(refused.value) == (
            f"{path} is in use by another Sentinel daemon (pid {os.getpid()}): stop it "
            "first, or give this daemon a store of its own"
        )
        assert "\n" not in str(refused.value)
        assert mode(Path(f"{path}.lock")) == 0o600
    finally:
        await daemon.close()


async def test_readers_open_and_read_while_the_daemon_holds_the_store(tmp_path: Path) -> None:
    path = tmp_path / "sentinel.db"
    daemon = SqliteDatabase.open(str(path), exclusive=True)
    try:
        await daemon.execute("CREATE TABLE t (x INTEGER)")
        await daemon.execute("INSERT INTO t VALUES (7)")
        reader = await open_database(f"sqlite:///{path}")
        try:
            assert await reader.fetchall("SELECT x FROM t") == [(7,)]
        finally:
            await reader.close()
    finally:
        await daemon.close()


async def test_closing_the_daemons_store_lets_the_next_daemon_open_it(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'sentinel.db'}"
    first = await open_database(url, exclusive=True)
    with pytest.raises(StoreError, match="in use by another Sentinel daemon"):
        await open_database(url, exclusive=True)
    await first.close()
    second = await open_database(url, exclusive=True)
    await second.close()
    assert (tmp_path / "sentinel.db.lock").exists()  # left in place: a lock file, never a stale lock


async def test_a_refused_open_names_no_pid_when_the_holder_wrote_none(tmp_path: Path) -> None:
    path = tmp_path / "sentinel.db"
    daemon = SqliteDatabase.open(str(path), exclusive=True)
    try:
        os.truncate(f"{path}.lock", 0)  # the holder has not written its pid yet
        with pytest.raises(StoreError) as refused:
            SqliteDatabase.open(str(path), exclusive=True)
        assert "in use by another Sentinel daemon: stop it first" in str(refused.value)
    finally:
        await daemon.close()


async def test_an_in_memory_store_takes_no_lock(tmp_path: Path) -> None:
    a = SqliteDatabase.open(":memory:", exclusive=True)
    b = SqliteDatabase.open(":memory:", exclusive=True)
    await a.close()
    await b.close()


async def test_the_lock_file_is_0600_whatever_the_umask_and_reopens(tmp_path: Path, umask: int) -> None:
    path = tmp_path / "sentinel.db"
    for _ in range(2):  # a restart reopens the lock file the last daemon left
        db = SqliteDatabase.open(str(path), exclusive=True)
        assert mode(Path(f"{path}.lock")) == 0o600
        await db.close()


TOKEN = "sqlite-safety-ingest-token"


async def sentinel(*args: str, wait_s: float = 10.0) -> tuple[int, str]:
    """Run ``python -m sentinel ARGS`` to its end: the exit status and what it wrote (stdout and stderr)."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "sentinel", *args, env=dict(os.environ, SENTINEL_INGEST_TOKEN=TOKEN),
        stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)  # fmt: skip
    out, _ = await asyncio.wait_for(proc.communicate(), wait_s)
    return int(proc.returncode or 0), out.decode(errors="replace")


@pytest.mark.slow
async def test_a_second_daemon_on_the_same_file_refuses_to_start_and_a_kill_leaves_no_stale_lock(
    tmp_path: Path,
) -> None:
    port = free_port()
    cfg = tmp_path / "sentinel.yaml"
    cfg.write_text("pages:\n  - id: druvan\n    timezone: UTC\n" + daemon_settings(tmp_path, port))
    db = tmp_path / "sentinel.db"
    first = await start_daemon(cfg, port, TOKEN)
    try:
        code, text = await sentinel("run", "--config", str(cfg))
        errors = [line for line in text.splitlines() if line.startswith("error:")]
        assert code == 2, text
        assert len(errors) == 1, text  # one line: the config key, the file, the other daemon
        assert re.fullmatch(
            rf"error: {re.escape(str(cfg))}:\d+:\d+: store.url: {re.escape(str(db))} is in use by another Sentinel "
            rf"daemon \(pid {first.proc.pid}\): stop it first, or give this daemon a store of its own",
            errors[0],
        ), errors[0]
        assert "Traceback" not in text
        assert await first.ready()  # the first one is untouched

        code, text = await sentinel("incidents", "--config", str(cfg))  # a reader reads beside the daemon
        assert code == 0, text

        modes = store_modes(tmp_path)
        assert set(modes) >= {"sentinel.db", "sentinel.db-wal", "sentinel.db-shm", "sentinel.db.lock"}
        assert modes == dict.fromkeys(modes, 0o600)

        first.proc.kill()  # kill -9: no goodbye, the kernel drops the lock
        await first.proc.wait()
    finally:
        await stop_daemon(first)
    again = await start_daemon(cfg, port, TOKEN)
    assert await stop_daemon(again) == 0


async def test_full_sync_in_the_config_makes_sqlite_sync_every_commit(tmp_path: Path) -> None:
    from sentinel.store.factory import open_database

    for full, want in ((False, 1), (True, 2)):  # PRAGMA synchronous: 1 NORMAL, 2 FULL
        db = await open_database(f"sqlite:///{tmp_path / f'{full}.db'}", full_sync=full)
        assert await db.fetchone("PRAGMA synchronous") == (want,)
        await db.close()

"""SQLite backend: one file, WAL journal, every write committed before return.

``synchronous=NORMAL`` in WAL mode loses nothing a committed transaction
wrote when the process is killed (only an OS crash or power loss can lose the
last transactions); set ``store.full_sync: true`` for ``synchronous=FULL``.
Calls run on the event loop's thread: statements are short, and SQLite
allows one writer at a time anyway.

The file is private: the database and its ``-wal``/``-shm`` files are made
0600 and any folder created for them 0700, whatever the umask (an existing
store of ours that is wider is narrowed at open). The daemon opens its store
``exclusive``: it holds an ``flock`` on ``<file>.lock`` for its whole life, so
a second daemon on the same file refuses to start, naming the holder's pid.
The kernel drops the lock when the process ends however it ends (kill -9
too), so a crash never leaves a stale lock; the file stays, harmless. Other
openers (the read-only commands) take no lock and read alongside the daemon.
The lock is advisory and local: it does not hold across NFS hosts.

Every error, a transaction's BEGIN, COMMIT and ROLLBACK included, is a
``StoreError``; a full disk, an I/O error or a store locked too long is
``StoreUnavailable`` (nothing written; the same call may succeed later). A
transaction that failed is rolled back whole (SQLite may have rolled it back
itself, as it does on a full disk), so the next one starts clean.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
import stat
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sentinel import faults
from sentinel.errors import StoreError, StoreUnavailable
from sentinel.logs import get_logger
from sentinel.store.base import Migration, Row
from sentinel.store.timing import Operation, timed

log = get_logger("store")

FILE_MODE = 0o600
DIR_MODE = 0o700
COMPANIONS = ("-wal", "-shm", "-journal")  # the files SQLite keeps beside the database

_MIGRATIONS_TABLE = """
CREATE TABLE IF NOT EXISTS schema_migrations (
  area TEXT NOT NULL, version INTEGER NOT NULL, description TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (area, version))
"""


# SQLite's primary result codes that say "not now" rather than "not this": the call may succeed later
_TRANSIENT = {5: "SQLITE_BUSY", 6: "SQLITE_LOCKED", 10: "SQLITE_IOERR", 13: "SQLITE_FULL"}


def _translate(sql: str) -> str:
    return sql.replace("BYTES", "BLOB")


def _failed(what: str, e: sqlite3.Error) -> StoreError:
    """The ``StoreError`` for ``e``: ``StoreUnavailable`` for a full disk, an I/O error, a lock held too long."""
    code = getattr(e, "sqlite_errorcode", None)
    if code is not None and code & 0xFF in _TRANSIENT:
        return StoreUnavailable(f"{what}: {e}")
    return StoreError(f"{what}: {e}")


def make_private_dirs(folder: Path) -> None:
    """Create ``folder`` and its missing parents, each 0700; folders that exist are left as they are."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        if folder.parent == folder:
            break
        folder = folder.parent
    for d in reversed(missing):
        try:
            d.mkdir(mode=DIR_MODE)
        except FileExistsError:  # made by someone else meanwhile: theirs
            continue
        os.chmod(d, DIR_MODE)  # mkdir's mode passes through the umask


def make_private(path: str) -> None:
    """Create the database file 0600 if it is missing; take group and other bits off it and its companions if
    they are ours (a store made before files were private). Nothing else changes: a read-only store stays
    read-only, a file of another user or a folder in the file's place is left alone."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, FILE_MODE)
    except FileExistsError:
        pass
    else:
        os.fchmod(fd, FILE_MODE)  # created through the umask
        os.close(fd)
    for name in (path, *(path + c for c in COMPANIONS)):
        try:
            st = os.stat(name)
            if stat.S_ISREG(st.st_mode) and st.st_mode & 0o077 and st.st_uid == os.geteuid():
                os.chmod(name, stat.S_IMODE(st.st_mode) & ~0o077)
        except FileNotFoundError:
            continue
        except PermissionError as e:
            log.warning("store.not_private", file=name, error=str(e))


class StoreLock:
    """An exclusive ``flock`` on ``<database>.lock``, held until ``release`` or the process ends."""

    def __init__(self, fd: int, path: str) -> None:
        self.fd = fd
        self.path = path

    @classmethod
    def acquire(cls, database: str) -> StoreLock:
        path = database + ".lock"
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, FILE_MODE)
        except OSError as e:
            raise StoreError(f"cannot open the lock file {path}: {e.strerror or e}") from e
        with contextlib.suppress(PermissionError):
            os.fchmod(fd, FILE_MODE)  # created through the umask
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(fd)
            os.close(fd)
            who = f"another Sentinel daemon (pid {holder})" if holder else "another Sentinel daemon"
            raise StoreError(
                f"{database} is in use by {who}: stop it first, or give this daemon a store of its own"
            ) from None
        except OSError as e:
            os.close(fd)
            raise StoreError(f"cannot lock {path}: {e.strerror or e}") from e
        try:  # who holds it, for the message of the next one to try
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        except OSError as e:
            os.close(fd)
            raise StoreError(f"cannot write the lock file {path}: {e.strerror or e}") from e
        return cls(fd, path)

    def release(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)  # closing the only descriptor drops the flock
            self.fd = -1


def _holder(fd: int) -> int | None:
    """The pid the lock's holder wrote into the lock file, if it did (and it looks like one)."""
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


class SqliteDatabase:
    dialect = "sqlite"

    def __init__(self, conn: sqlite3.Connection, path: str, lock: StoreLock | None = None) -> None:
        self._conn = conn
        self.path = path
        self._lock = lock
        self._depth = 0
        self._full: bool | None = None  # tests only: the disk made "full" (``faults.disk_full``)

    @classmethod
    def open(cls, path: str, *, full_sync: bool = False, exclusive: bool = False) -> SqliteDatabase:
        """Open (creating if missing) the store at ``path``. ``exclusive``: this process is the store's daemon;
        refused (``StoreError``) while another process holds it exclusive."""
        lock = None
        if path != ":memory:":
            make_private_dirs(Path(path).absolute().parent)
            lock = StoreLock.acquire(path) if exclusive else None
            try:
                make_private(path)
            except OSError as e:
                if lock is not None:
                    lock.release()
                raise StoreError(f"cannot open SQLite store {path}: {e.strerror or e}") from e
        try:
            conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            if path != ":memory:":
                conn.execute("PRAGMA journal_mode=WAL")
                make_private(path)  # the -wal and -shm files WAL mode just made
            conn.execute(f"PRAGMA synchronous={'FULL' if full_sync else 'NORMAL'}")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA busy_timeout=5000")
            conn.execute(_MIGRATIONS_TABLE)
        except sqlite3.Error as e:
            if lock is not None:
                lock.release()
            raise StoreError(f"cannot open SQLite store {path}: {e}") from e
        return cls(conn, path, lock)

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        try:
            with timed(Operation.EXECUTE):
                cur = self._conn.execute(_translate(sql), tuple(params))
        except sqlite3.Error as e:
            raise _failed("store write failed", e) from e
        return cur.rowcount

    async def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> int:
        try:
            if self._depth:
                with timed(Operation.EXECUTEMANY):
                    cur = self._conn.executemany(_translate(sql), [tuple(r) for r in rows])
                return cur.rowcount
            async with self.transaction():
                with timed(Operation.EXECUTEMANY):
                    cur = self._conn.executemany(_translate(sql), [tuple(r) for r in rows])
                return cur.rowcount
        except sqlite3.Error as e:
            raise _failed("store write failed", e) from e

    async def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        try:
            with timed(Operation.FETCHALL):
                return list(self._conn.execute(_translate(sql), tuple(params)).fetchall())
        except sqlite3.Error as e:
            raise _failed("store read failed", e) from e

    async def fetchone(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        try:
            with timed(Operation.FETCHONE):
                row = self._conn.execute(_translate(sql), tuple(params)).fetchone()
        except sqlite3.Error as e:
            raise _failed("store read failed", e) from e
        return None if row is None else tuple(row)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[None]:
        if self._depth:  # nested: join the outer transaction
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        with timed(Operation.TRANSACTION):
            self._fault_full()
            try:
                self._conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as e:
                raise _failed("store transaction failed to begin", e) from e
            self._depth = 1
            try:
                yield
            except BaseException:
                self._depth = 0
                self._rollback()
                raise
            self._depth = 0
            try:
                self._conn.execute("COMMIT")
            except sqlite3.Error as e:
                self._rollback()
                raise _failed("store commit failed", e) from e

    def _rollback(self) -> None:
        """Undo the transaction in hand, if SQLite has not already (it rolls back by itself on a full disk and some
        I/O errors); a ROLLBACK that fails leaves nothing of it either, and is only logged."""
        if not self._conn.in_transaction:
            return
        try:
            self._conn.execute("ROLLBACK")
        except sqlite3.Error as e:
            log.warning("store.rollback_failed", error=str(e))

    def _fault_full(self) -> None:
        """Tests only (``faults.disk_full``): while the fault file exists the store cannot grow by a page, as on a
        full disk; when it is gone, it can again."""
        full = faults.disk_full()
        if full is None or full == self._full:
            return
        self._full = full
        if full:
            self._conn.execute("PRAGMA max_page_count = 1")  # SQLite keeps it at the current size: no page more
        else:
            self._conn.execute("PRAGMA max_page_count = 4294967294")

    async def migrate(self, area: str, migrations: Sequence[Migration]) -> int:
        with timed(Operation.MIGRATE):
            return await self._migrate(area, migrations)

    async def _migrate(self, area: str, migrations: Sequence[Migration]) -> int:
        row = self._conn.execute("SELECT MAX(version) FROM schema_migrations WHERE area = ?", (area,)).fetchone()
        current = row[0] or 0
        for m in sorted(migrations, key=lambda m: m.version):
            if m.version <= current:
                continue
            try:
                async with self.transaction():
                    for stmt in (s.strip() for s in _translate(m.statements(self.dialect)).split(";")):
                        if stmt:
                            self._conn.execute(stmt)
                    if m.then is not None:
                        await m.then(self)
                    self._conn.execute(
                        "INSERT INTO schema_migrations (area, version, description) VALUES (?, ?, ?)",
                        (area, m.version, m.description),
                    )
            except (sqlite3.Error, StoreError) as e:
                raise StoreError(f"migration {area} v{m.version} failed: {e}") from e
            current = m.version
        return int(current)

    async def ping(self) -> bool:
        try:
            self._conn.execute("SELECT 1").fetchone()
        except sqlite3.Error:
            return False
        return True

    async def close(self) -> None:
        self._conn.close()
        if self._lock is not None:
            self._lock.release()

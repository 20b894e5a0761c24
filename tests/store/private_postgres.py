"""A PostgreSQL server of a test's own, to stop and start under a running daemon (the shared one at 127.0.0.1:5432
serves other tests and must stay up). ``initdb`` into a fresh folder, ``pg_ctl start`` on a free port with trust
auth and its socket in that folder. As root (PostgreSQL refuses to run as root) the server runs as ``postgres``,
in a folder of ``/tmp`` that user can enter."""

from __future__ import annotations

import asyncio
import contextlib
import glob
import os
import pwd
import shutil
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest

from sentinel.testing.daemon import free_port


def _bin_dir() -> Path | None:
    """The folder of ``initdb`` and ``pg_ctl``: on PATH, or Debian's newest ``/usr/lib/postgresql/N/bin``."""
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    dirs = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    return Path(dirs[-1]).parent if dirs else None


class PrivateServer:
    def __init__(self, bin_dir: Path, data: Path, run_as: list[str]) -> None:
        self.bin = bin_dir
        self.data = data
        self.port = free_port()
        self._run_as = run_as
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/sentinel"

    async def _run(self, tool: str, *args: str) -> None:
        proc = await asyncio.create_subprocess_exec(
            *self._run_as,
            str(self.bin / tool),
            *args,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        out, _ = await proc.communicate()
        if proc.returncode != 0:
            log = (self.data / "server.log").read_text(errors="replace")[-2000:] if self.data.exists() else ""
            raise AssertionError(f"{tool} {' '.join(args)} exited {proc.returncode}:\n{out.decode()}\n{log}")

    async def init(self) -> None:
        await self._run("initdb", "-D", str(self.data / "db"), "-U", "postgres", "--auth=trust", "--no-sync")
        await self.start()
        conn = await asyncpg.connect(f"postgresql://postgres@127.0.0.1:{self.port}/postgres", timeout=10)
        try:
            await conn.execute("CREATE DATABASE sentinel")
        finally:
            await conn.close()

    async def start(self) -> None:
        opts = f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 -c fsync=off"
        await self._run(
            "pg_ctl", "-D", str(self.data / "db"), "-o", opts, "-l", str(self.data / "server.log"), "-w", "start"
        )

    async def stop(self) -> None:
        """A fast shutdown, as a restart or a failover does: sessions are cut, transactions in flight rolled back."""
        await self._run("pg_ctl", "-D", str(self.data / "db"), "-m", "fast", "-w", "stop")


@contextlib.asynccontextmanager
async def private_postgres(tmp_path: Path) -> AsyncIterator[PrivateServer]:
    """A running private server with an empty database ``sentinel`` (``PrivateServer.url``); stopped after. Skipped
    with the reason where PostgreSQL's server programs are not installed; a failure in CI (``CI=true``)."""
    bin_dir = _bin_dir()
    if bin_dir is None or not (bin_dir / "pg_ctl").exists():
        if os.environ.get("CI") == "true":
            raise AssertionError("initdb and pg_ctl (PostgreSQL's server programs) are not installed")
        pytest.skip("initdb and pg_ctl (PostgreSQL's server programs) are not installed: no private server to stop")
    run_as: list[str] = []
    folder = tmp_path
    made = None
    if os.geteuid() == 0:
        try:
            user = pwd.getpwnam("postgres")
        except KeyError:
            if os.environ.get("CI") == "true":
                raise AssertionError("running as root and there is no postgres user to run PostgreSQL as") from None
            pytest.skip("running as root and there is no postgres user to run a private PostgreSQL server as")
        made = folder = Path(tempfile.mkdtemp(prefix="sentinel-pg-"))
        os.chown(folder, user.pw_uid, user.pw_gid)
        run_as = ["runuser", "-u", "postgres", "--"]
    server = PrivateServer(bin_dir, folder, run_as)
    try:
        await server.init()
        yield server
    finally:
        with contextlib.suppress(AssertionError):
            await server.stop()
        if made is not None:
            shutil.rmtree(made, ignore_errors=True)

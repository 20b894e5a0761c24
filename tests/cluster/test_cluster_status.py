"""``sentinel cluster status``: the replicas, the pages each holds with lease ages, and leases nobody holds."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from sentinel.cluster.leases import Leases
from sentinel.cluster.status import read_status
from sentinel.commands.cluster import render
from sentinel.store.factory import open_database
from sentinel.testing import T0


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sentinel", *args], capture_output=True, text=True, timeout=60)


async def test_status_shows_each_replica_with_its_pages_and_the_leases_nobody_renews(pg_url: str) -> None:
    a_db, b_db = await open_database(pg_url), await open_database(pg_url)
    a = Leases(a_db, "replica-a", ["druvan", "norrsken"], ttl_s=15)
    await a.start(T0)
    await a.step(T0)
    b = Leases(b_db, "replica-b", ["druvan", "norrsken"], ttl_s=15)
    await b.start(T0)
    await b.step(T0)
    status = await read_status(a_db, T0 + timedelta(seconds=5))
    assert status is not None
    assert [(r.id, len(r.pages)) for r in status.replicas] == [("replica-a", 3), ("replica-b", 0)]
    text = render(status, (T0 + timedelta(seconds=5)).timestamp(), 10)
    assert "replica-a" in text and "druvan (5s/5s/10s)" in text
    later = await read_status(a_db, T0 + timedelta(seconds=20))  # a went silent: its leases ran out
    assert later is not None and {r.page for r in later.unowned} == {"*", "druvan", "norrsken"}
    await a_db.close()
    await b_db.close()


async def test_the_command_reads_the_configs_store_and_says_when_there_is_no_cluster(
    tmp_path: Path, pg_url: str
) -> None:
    db = await open_database(pg_url)
    leases = Leases(db, "replica-a", ["druvan"], ttl_s=3600)
    await leases.start(T0)
    await leases.step(T0.replace(year=2100))  # still held whenever the command runs
    await db.close()
    cfg = tmp_path / "pg.yaml"
    cfg.write_text(f"pages: [{{id: druvan}}]\nstore: {{url: {pg_url}}}\n")
    out = cli("cluster", "status", "-c", str(cfg), "--json")
    assert out.returncode == 0, out.stderr
    assert [r["id"] for r in json.loads(out.stdout)["replicas"]] == ["replica-a"]
    lite = tmp_path / "lite.yaml"
    lite.write_text(f"pages: [{{id: druvan}}]\nstore: {{url: sqlite:///{tmp_path / 's.db'}}}\n")
    (tmp_path / "s.db").touch()
    out = cli("cluster", "status", "-c", str(lite))
    assert out.returncode == 1 and "no cluster" in out.stderr

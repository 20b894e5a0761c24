"""The ``cluster:`` section (replica name, lease time): validated by ``sentinel check`` with file:line, refused on
SQLite, the environment over it, and what a real replica runs with."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
from pathlib import Path

import asyncpg
import pytest

from sentinel.cluster.config import LEASE_TTL_ENV, REPLICA_ENV, membership
from sentinel.errors import ConfigError
from sentinel.settings import parse_config
from sentinel.testing.daemon import daemon_settings, free_port, start_daemon, stop_daemon

PG = "postgresql://sentinel@db:5432/sentinel"


def cfg(cluster: str, store: str = PG) -> str:
    return f"pages:\n  - id: druvan\nstore:\n  url: {store}\n{cluster}"


def check(tmp_path: Path, text: str) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "sentinel.yaml"
    path.write_text(text, encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "sentinel", "check", "-c", str(path)], capture_output=True, text=True, timeout=60
    )


def test_the_section_names_the_replica_and_its_lease_time_in_the_configs_duration_form() -> None:
    config = parse_config(cfg("cluster:\n  replica: sentinel-a\n  lease_ttl: 20s\n"))
    me = membership(config.cluster, {})
    assert (me.replica, me.lease_ttl_s) == ("sentinel-a", 20.0)
    assert membership(parse_config(cfg("cluster: {lease_ttl: 1m30s}\n")).cluster, {}).lease_ttl_s == 90.0


def test_without_the_section_a_replica_is_named_by_host_and_pid_and_leases_last_15_s() -> None:
    config = parse_config(cfg(""))
    assert config.cluster is None
    me = membership(config.cluster, {})
    assert me.replica.endswith(f"-{os.getpid()}") and me.lease_ttl_s == 15.0


@pytest.mark.parametrize(
    ("env", "replica", "ttl"),
    [
        ({REPLICA_ENV: "sentinel-7f9c-x2"}, "sentinel-7f9c-x2", 20.0),  # Kubernetes: the pod's name
        ({LEASE_TTL_ENV: "30"}, "sentinel-a", 30.0),  # seconds, as the variable was always written
        ({LEASE_TTL_ENV: "45s", REPLICA_ENV: " pod-b "}, "pod-b", 45.0),
        ({REPLICA_ENV: "", LEASE_TTL_ENV: ""}, "sentinel-a", 20.0),  # set but empty: the config's
    ],
)
def test_the_environment_overrides_the_section(env: dict[str, str], replica: str, ttl: float) -> None:
    config = parse_config(cfg("cluster:\n  replica: sentinel-a\n  lease_ttl: 20s\n"))
    me = membership(config.cluster, env)
    assert (me.replica, me.lease_ttl_s) == (replica, ttl)


@pytest.mark.parametrize(
    ("env", "what"),
    [
        ({LEASE_TTL_ENV: "2"}, "SENTINEL_LEASE_TTL: 2s is too short: at least 5s"),
        ({LEASE_TTL_ENV: "soon"}, "SENTINEL_LEASE_TTL: bad duration 'soon'"),
        ({LEASE_TTL_ENV: "inf"}, "SENTINEL_LEASE_TTL: bad duration 'inf'"),
        ({LEASE_TTL_ENV: "2h"}, "SENTINEL_LEASE_TTL: 2h is too long: at most 10m"),
        ({REPLICA_ENV: "pod b"}, "SENTINEL_REPLICA: 'pod b' is not a replica name"),
    ],
)
def test_a_bad_environment_value_is_a_config_error_naming_the_variable(env: dict[str, str], what: str) -> None:
    with pytest.raises(ConfigError) as e:
        membership(None, env)
    assert len(e.value.issues) == 1
    assert str(e.value.issues[0]).startswith(f"environment: {what}"), e.value.issues


@pytest.mark.parametrize(
    ("section", "line", "where", "what"),
    [
        ("cluster:\n  lease_ttl: 2s\n", 6, "cluster.lease_ttl", "2s is too short: at least 5s"),
        ("cluster:\n  lease_ttl: 0\n", 6, "cluster.lease_ttl", "0s is too short: at least 5s"),
        ("cluster:\n  lease_ttl: 1h\n", 6, "cluster.lease_ttl", "1h is too long: at most 10m"),
        ("cluster:\n  lease_ttl: soon\n", 6, "cluster.lease_ttl", "bad duration 'soon' (write it like 30s"),
        ("cluster:\n  replica: sentinel-a\n  leas_ttl: 15s\n", 7, "cluster.leas_ttl", "unknown key 'leas_ttl'; did"),
        ("cluster:\n  replica: 'a b'\n", 6, "cluster.replica", "'a b' is not a replica name"),
    ],
)
def test_check_names_file_line_and_field_of_a_bad_cluster_value(
    tmp_path: Path, section: str, line: int, where: str, what: str
) -> None:
    r = check(tmp_path, cfg(section))
    assert r.returncode == 2, r.stdout + r.stderr
    assert "Traceback" not in r.stderr
    path = re.escape(str(tmp_path / "sentinel.yaml"))
    assert re.match(rf"error: {path}:{line}:\d+: {re.escape(where)}: {re.escape(what)}", r.stderr), r.stderr


def test_a_cluster_section_on_sqlite_is_refused_and_sqlite_without_one_is_as_before(tmp_path: Path) -> None:
    store = f"sqlite:///{tmp_path / 'sentinel.db'}"
    r = check(tmp_path, cfg("cluster:\n  replica: sentinel-a\n", store=store))
    assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr
    assert re.match(
        rf"error: {re.escape(str(tmp_path / 'sentinel.yaml'))}:5:1: cluster: several replicas need a PostgreSQL store",
        r.stderr,
    ), r.stderr
    r = check(tmp_path, cfg("", store=store))
    assert r.returncode == 0, r.stderr
    r = check(tmp_path, cfg("cluster:\n  replica: sentinel-a\n"))  # the same section on PostgreSQL: fine
    assert r.returncode == 0, r.stderr


@pytest.mark.postgres
@pytest.mark.slow
async def test_a_replica_runs_with_the_configs_name_and_lease_time_and_the_environment_over_them(
    tmp_path: Path, pg_url: str
) -> None:
    def write(name: str, port: int) -> Path:
        path = tmp_path / f"{name}.yaml"
        path.write_text(
            "pages:\n  - id: druvan\ncluster:\n  replica: from-config\n  lease_ttl: 40s\n"
            + daemon_settings(tmp_path, port, pg_url),
            encoding="utf-8",
        )
        return path

    token = "cluster-config-token-0123456789"
    conn = await asyncpg.connect(pg_url)
    daemons = []
    try:
        port = free_port()
        env = {REPLICA_ENV: "", LEASE_TTL_ENV: ""}  # this process's own, if any, must not leak in
        daemons.append(await start_daemon(write("a", port), port, token, env=env))
        port = free_port()
        env = {REPLICA_ENV: "pod-b", LEASE_TTL_ENV: "20s"}
        daemons.append(await start_daemon(write("b", port), port, token, env=env))
        # two leases (druvan and the pages outside the config) over two replicas: one each
        await daemons[0].until("one lease each", lambda: _held(conn), 30)
        rows = await conn.fetch("SELECT holder, expires - renewed FROM page_leases")
        replicas = sorted(r[0] for r in await conn.fetch("SELECT id FROM cluster_replicas"))
    finally:
        for d in daemons:
            await stop_daemon(d)
        await conn.close()
    assert replicas == ["from-config", "pod-b"]
    assert sorted((str(r[0]), float(r[1])) for r in rows) == [("from-config", 40.0), ("pod-b", 20.0)]


async def _held(conn: asyncpg.Connection) -> bool:
    holders = [r[0] for r in await conn.fetch("SELECT holder FROM page_leases")]
    return sorted(h or "" for h in holders) == ["from-config", "pod-b"]


@pytest.mark.postgres
async def test_a_replica_started_with_a_bad_lease_time_in_its_environment_stops_naming_the_variable(
    tmp_path: Path, pg_url: str
) -> None:
    path = tmp_path / "sentinel.yaml"
    path.write_text(cfg(f"server: {{port: {free_port()}}}\n", store=pg_url), encoding="utf-8")
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "sentinel",
        "run",
        "-c",
        str(path),
        env={**os.environ, LEASE_TTL_ENV: "2"},
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _, err = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode == 2, err.decode()
    assert "error: environment: SENTINEL_LEASE_TTL: 2s is too short: at least 5s" in err.decode()
    assert "Traceback" not in err.decode()

"""Replicas against many pages, in real time: polls on time, role-grant delay, memory, PostgreSQL load.

The fake Graph server runs in a process of its own (``--serve-graph``), holding ``3 x --pages`` pages. Two runs,
each on a fresh PostgreSQL database: ``--pages`` pages on one replica, then ``3 x --pages`` over three replicas
(daemon processes, ``sentinel run``, system clock). After a warm-up of one tripwire gap (the first reads are spread
over it), for ``--seconds`` seconds: a role is granted (to a new person each time) on ``--grants`` random pages at
random moments in the window's first ``--seconds - 70`` s, and then:

- polls on time: the share of the pages' tripwire gaps (consecutive reads of their roles, as the fake saw them,
  within the window) within 60 s: the promise that a role grant is seen within a minute; and the longest gap;
- role-grant delay: from the grant to its ``role.granted`` event committed in the event log (p50, max, how many
  within 60 s). A grant not seen by the window's end is waited for ``GRACE_S`` more; one still unseen is listed
  as missed, with why: no tripwire read after it, or the page's first read of the run came after it (the grant
  is then part of the page's first snapshot, which raises nothing), or reads after it without an event;
- RSS per replica (VmRSS at the end, VmHWM peak), from /proc;
- PostgreSQL transactions per second (``pg_stat_database``, commits and rollbacks, over the window);
- CPU over the window, in cores: the fake, each replica, and the PostgreSQL backends serving the run's database;
  and the share of the window each replica was runnable but waiting for a CPU (``/proc/<pid>/task/*/schedstat``):
  what the machine's other load took from it.

    python bench/cluster_scale.py --pages 10000 --seconds 180     # the issue's size: 10,000 and 30,000 pages
    python bench/cluster_scale.py --pages 1000 --seconds 150      # a tenth of it
    python bench/cluster_scale.py --pages 10000 --only-three --dump /tmp/reads   # one run; read times to a file
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
from aiohttp import web

ADMIN = os.environ.get("SENTINEL_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
TOKEN = "bench-ingest-token-0123456789"
ON_TIME_S = 60.0
GRACE_S = 60.0  # after the window, grants not seen yet are waited for this long (then reported missed, with why)
GAP_S = 57.0  # poll.security.max: the first reads are spread over one gap


def page_id(i: int) -> str:
    return str(2_000_000 + i)


# -- the fake Graph server, in its own process ------------------------------------------------------------------------
def serve_graph(port: int, pages: int) -> None:
    from sentinel.clock import SystemClock
    from sentinel.testing.graph import FakeGraph
    from sentinel.testing.graph_life import new_page

    fake = FakeGraph(SystemClock(), calls_per_hour=10**9)
    for i in range(pages):
        fake.add_page(new_page(page_id(i), f"Page {i}"), f"tok{i}")

    grants = itertools.count(666)

    async def grant(request: web.Request) -> web.Response:
        pid = (await request.json())["page_id"]
        # a new person each time: a page granted in an earlier run would otherwise show no change
        fake.pages[pid].roles[str(next(grants))] = ("Mr X", ["MANAGE"])
        before = [c.at for c in fake.log if c.page == pid and "roles" in c.fields]
        return web.json_response({"at": time.time(), "read_before": max(before, default=None)})

    async def stats(request: web.Request) -> web.Response:
        since = float(request.query.get("since", "0"))
        trips: dict[str, list[float]] = {}
        for c in fake.log:
            if c.at >= since and "roles" in c.fields:
                trips.setdefault(c.page, []).append(c.at)
        fake.log = [c for c in fake.log if c.at >= since]  # keep the fake's memory flat
        return web.json_response({"tripwires": trips, "calls": fake.calls})

    app = fake.app()
    app.router.add_post("/-/grant", grant)
    app.router.add_get("/-/stats", stats)
    web.run_app(app, host="127.0.0.1", port=port, print=None, handle_signals=True)


# -- the runs ---------------------------------------------------------------------------------------------------------
def write_config(folder: Path, port: int, url: str, graph: str, pages: range) -> Path:
    lines = ["pages:"]
    for i in pages:
        lines.append(f'  - {{id: p{i}, timezone: UTC, page_id: "{page_id(i)}", access_token: tok{i}}}')
    lines += [
        f"sources: {{base_url: {graph}}}",
        f"store: {{url: {url}}}",
        "server:",
        "  host: 127.0.0.1",
        f"  port: {port}",
        "  ingest_token: ${SENTINEL_INGEST_TOKEN}",
        "logging: {format: json, level: warning}",
    ]
    path = folder / f"sentinel-{port}.yaml"
    path.write_text("\n".join(lines) + "\n")
    return path


def cpu_s(pid: int) -> float:
    """CPU seconds (user + system) the process used so far (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_wait_s(pid: int) -> float:
    """Seconds the process's threads have waited for a CPU (runnable, not running), from schedstat."""
    total = 0.0
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            total += int((task / "schedstat").read_text().split()[1]) / 1e9
    except OSError:
        pass
    return total


def backends(db: str) -> list[int]:
    """The PostgreSQL server processes serving connections to ``db`` (their title names it)."""
    out = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                if f" {db} ".encode() in (d / "cmdline").read_bytes():
                    out.append(int(d.name))
            except OSError:
                continue
    return out


def copy_file(src: Path, dst: str) -> None:
    Path(dst).write_bytes(src.read_bytes())


def write_json(path: str, data: Any) -> None:
    Path(path).write_text(json.dumps(data))


def rss(pid: int) -> tuple[float, float]:
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


async def xacts(conn: asyncpg.Connection, db: str) -> int:
    return int(await conn.fetchval("SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = $1", db))


async def run(
    replicas: int, pages: int, seconds: float, grants: int, graph: str, seed: int, fake_pid: int, dump: str | None
) -> dict[str, Any]:
    from sentinel.testing.daemon import free_port, start_daemon, stop_daemon

    admin = await asyncpg.connect(ADMIN)
    name = f"sentinel_bench_{uuid.uuid4().hex[:8]}"
    await admin.execute(f'CREATE DATABASE "{name}"')
    url = ADMIN.rsplit("/", 1)[0] + f"/{name}"
    rnd = random.Random(seed)
    daemons = []
    t_start = time.time()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for r in range(replicas):
                port = free_port()
                cfg = write_config(Path(tmp), port, url, graph, range(pages))
                env = {"SENTINEL_REPLICA": f"bench-{r}"}
                daemons.append(await start_daemon(cfg, port, TOKEN, env=env, wait_s=300))
            t_ready = time.time()
            await asyncio.sleep(GAP_S + 5)
            conn = await asyncpg.connect(url)
            t0, x0 = time.time(), await xacts(admin, name)
            chosen = rnd.sample(range(pages), grants)
            moments = sorted(rnd.uniform(0, seconds - 70) for _ in chosen)
            granted: dict[str, float] = {}
            read_before: dict[str, float | None] = {}  # the page's last tripwire read before its grant
            seen: dict[str, float] = {}
            async with aiohttp.ClientSession() as s:

                async def grant_all() -> None:
                    for i, at in zip(chosen, moments, strict=True):
                        await asyncio.sleep(max(0.0, t0 + at - time.time()))
                        async with s.post(f"{graph}/-/grant", json={"page_id": page_id(i)}) as r:
                            answer = await r.json()
                            granted[f"p{i}"] = float(answer["at"])
                            read_before[f"p{i}"] = answer["read_before"]

                async def watch(until: float, *, all_seen_ends: bool) -> None:
                    while time.time() < until and not (all_seen_ends and len(seen) == grants and granting.done()):
                        rows = await conn.fetch("SELECT DISTINCT page FROM events WHERE kind = 'role.granted'")
                        for row in rows:
                            seen.setdefault(row[0], time.time())
                        await asyncio.sleep(0.5)

                granting = asyncio.create_task(grant_all())
                pg = backends(name)
                cpu0 = {p: cpu_s(p) for p in [fake_pid, *(d.proc.pid for d in daemons), *pg]}
                wait0 = {d.proc.pid: cpu_wait_s(d.proc.pid) for d in daemons}
                await watch(t0 + seconds, all_seen_ends=False)
                x1 = await xacts(admin, name)
                cpu = {p: max(0.0, cpu_s(p) - c) / (time.time() - t0) for p, c in cpu0.items()}
                waited = {p: (cpu_wait_s(p) - w) / (time.time() - t0) for p, w in wait0.items()}
                await granting
                # a grant later than the window is reported late, not missed
                await watch(t0 + seconds + GRACE_S, all_seen_ends=True)
                async with s.get(f"{graph}/-/stats", params={"since": str(t0)}) as r:
                    stats = await r.json()
            leases = await conn.fetch("SELECT holder, COUNT(*) FROM page_leases GROUP BY holder")
            await conn.close()
            mem = [rss(d.proc.pid) for d in daemons]
            if dump:
                for r, d in enumerate(daemons):
                    copy_file(d.log, f"{dump}.{replicas}.replica{r}.log")
    finally:
        for d in daemons:
            await stop_daemon(d)
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
    gaps = []
    for pid_ in (page_id(i) for i in range(pages)):
        times = sorted(t for t in stats["tripwires"].get(pid_, []) if t <= t0 + seconds)
        edges = [t0, *times, t0 + seconds]
        gaps += [b - a for a, b in itertools.pairwise(edges)]
    delays = sorted(seen[p] - g for p, g in granted.items() if p in seen)
    missed = {}
    for p, g in granted.items():
        if p in seen:
            continue
        after = [round(c - g, 1) for c in stats["tripwires"].get(page_id(int(p[1:])), []) if c > g]
        before = read_before[p]
        if not after:
            why = "no tripwire read after the grant"
        elif before is None or before < t_start:
            why = f"the page's first read of this run came {after[0]} s after the grant: it is in its first snapshot"
        else:
            why = f"tripwire reads {after} s after the grant, no role.granted event"
        missed[p] = why
    if dump:
        write_json(f"{dump}.{replicas}.json", {"t0": t0, "seconds": seconds, "tripwires": stats["tripwires"]})
    return {
        "replicas": replicas,
        "pages": pages,
        "startup_s": round(t_ready - t_start, 1),
        "on_time": sum(g <= ON_TIME_S for g in gaps) / max(1, len(gaps)),
        "grants": len(granted),
        "grants_seen": len(delays),
        "grant_p50_s": statistics.median(delays) if delays else None,
        "grant_max_s": max(delays) if delays else None,
        "grants_within_60s": sum(d <= ON_TIME_S for d in delays),
        "gap_max_s": round(max(gaps), 1) if gaps else None,
        "cpu": {
            "fake": round(cpu[fake_pid], 2),
            "replicas": [round(cpu[d.proc.pid], 2) for d in daemons],
            "postgres": round(sum(cpu[p] for p in pg), 2),
        },
        # the share of the window each replica was runnable but waiting for a CPU (the machine's other load)
        "cpu_wait": [round(waited[d.proc.pid], 3) for d in daemons],
        "rss_mib": [round(m[0]) for m in mem],
        "peak_rss_mib": [round(m[1]) for m in mem],
        "pg_tx_per_s": round((x1 - x0) / seconds, 1),
        "leases": {str(r[0]): int(r[1]) for r in leases},
        "missed": missed,  # grants not seen by the end of the grace: why
    }


async def main(args: argparse.Namespace) -> None:
    from sentinel.testing.daemon import free_port

    port = int(args.graph_port) if args.graph_port else free_port()
    graph = f"http://127.0.0.1:{port}"
    fake = await asyncio.create_subprocess_exec(
        sys.executable, __file__, "--serve-graph", str(port), "--pages", str(args.pages * 3)
    )
    try:
        async with aiohttp.ClientSession() as s:
            for _ in range(200):
                try:
                    async with s.get(f"{graph}/-/stats", params={"since": str(time.time())}):
                        break
                except aiohttp.ClientError:
                    await asyncio.sleep(0.1)
        print(
            "replicas  pages  start s  on-time  gap max  grants seen (<=60 s)  grant p50  grant max"
            "  RSS MiB (peak)        PG tx/s  CPU: fake, replicas, PostgreSQL (cores)"
        )
        runs = ((1, args.pages), (3, args.pages * 3))
        for replicas, pages in runs[1:] if args.only_three else runs[:1] if args.only_one else runs:
            dump = args.dump
            r = await run(replicas, pages, args.seconds, args.grants, graph, args.seed, fake.pid, dump)
            p50 = f"{r['grant_p50_s']:.1f} s" if r["grant_p50_s"] is not None else "-"
            mx = f"{r['grant_max_s']:.1f} s" if r["grant_max_s"] is not None else "-"
            mem = ", ".join(f"{a} ({b})" for a, b in zip(r["rss_mib"], r["peak_rss_mib"], strict=True))
            cpu = ", ".join(str(c) for c in [r["cpu"]["fake"], *r["cpu"]["replicas"], r["cpu"]["postgres"]])
            print(
                f"{replicas:>8}  {pages:>5}  {r['startup_s']:>7}  {r['on_time']:>7.2%}  {r['gap_max_s']:>5} s  "
                f"{r['grants_seen']:>5}/{r['grants']:<3} ({r['grants_within_60s']:>3})      "
                f"{p50:>9}  {mx:>9}  {mem:<21} {r['pg_tx_per_s']:>7}  {cpu}",
                flush=True,
            )
            print(f"          leases: {r['leases']}; waiting for a CPU (share of the window): {r['cpu_wait']}")
            for p, why in r["missed"].items():
                print(f"          missed grant {p}: {why}", flush=True)
    finally:
        fake.terminate()
        await fake.wait()


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=10_000, help="pages on one replica (three replicas get 3x)")
    ap.add_argument("--seconds", type=float, default=300.0, help="measured window after the warm-up")
    ap.add_argument("--grants", type=int, default=20, help="role grants per run")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--only-one", action="store_true", help="the one-replica run only")
    ap.add_argument("--only-three", action="store_true", help="the three-replica run only")
    ap.add_argument("--graph-port", default=None)
    ap.add_argument("--dump", default=None, help="tripwire reads to DUMP.<replicas>.json, daemon logs beside")
    ap.add_argument("--serve-graph", type=int, default=None, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.serve_graph:
        serve_graph(a.serve_graph, a.pages)
    else:
        asyncio.run(main(a))

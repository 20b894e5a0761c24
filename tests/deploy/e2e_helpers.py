"""A real Prometheus and Alertmanager on loopback, for end-to-end tests.

    async with prometheus_stack(target="127.0.0.1:8080", workdir=tmp_path) as stack:
        ...  # Sentinel pushes to stack.alertmanager_url; Prometheus scrapes target
        alert = await stack.wait_for_alert("SentinelSourceStale", page="shop")

Prometheus scrapes ``target`` (job ``sentinel``) every second, evaluates the
rules in ``deploy/prometheus/rules`` every second (each rule's ``for`` is
replaced by ``rule_for``, "0s" by default, so tests need not wait minutes)
and sends alerts to the Alertmanager, which keeps them (a receiver that
sends nothing). Both run on free loopback ports with their state in
``workdir``; readiness is awaited by polling their ``/-/ready`` endpoints and
until Prometheus has discovered the Alertmanager (no fixed sleeps), and
both are stopped (SIGTERM, then SIGKILL) when the block exits. Logs are in
``workdir/prometheus.log`` and ``workdir/alertmanager.log`` and are quoted in
any startup error.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
from deploy_tools import RULES_DIR, require_binary
from ruamel.yaml import YAML

from sentinel.testing.daemon import free_port

POLL_S = 0.05


class StackError(RuntimeError):
    """Prometheus or Alertmanager did not start, or an awaited condition did not come in time."""


def _yaml() -> YAML:
    y = YAML()
    y.default_flow_style = False
    return y


def copy_rules(rule_files: Sequence[Path], dest: Path, rule_for: str | None) -> list[Path]:
    """Copy rule files into ``dest``, replacing every alerting rule's ``for`` when ``rule_for`` is given."""
    dest.mkdir(parents=True, exist_ok=True)
    out = []
    for i, src in enumerate(rule_files):
        y = _yaml()
        doc = y.load(src.read_text(encoding="utf-8"))
        if rule_for is not None:
            for group in doc.get("groups", []):
                for rule in group.get("rules", []):
                    if "alert" in rule:
                        rule["for"] = rule_for
        target = dest / f"{i:02d}-{src.name}"
        with target.open("w", encoding="utf-8") as f:
            y.dump(doc, f)
        out.append(target)
    return out


@dataclass(slots=True)
class _Process:
    name: str
    proc: asyncio.subprocess.Process
    log: Path

    def log_tail(self, n: int = 40) -> str:
        try:
            lines = self.log.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return "(no log)"
        return "\n".join(lines[-n:])

    async def stop(self, grace_s: float = 10.0) -> None:
        if self.proc.returncode is None:
            self.proc.terminate()
            try:
                await asyncio.wait_for(self.proc.wait(), grace_s)
            except TimeoutError:
                self.proc.kill()
                await self.proc.wait()


async def _spawn(name: str, argv: list[str], log: Path) -> _Process:
    with log.open("ab") as f:
        proc = await asyncio.create_subprocess_exec(
            *argv, stdin=asyncio.subprocess.DEVNULL, stdout=f, stderr=asyncio.subprocess.STDOUT
        )
    return _Process(name, proc, log)


async def _wait_ready(session: aiohttp.ClientSession, p: _Process, url: str, wait_s: float) -> bool:
    """True once ``url`` answers 200; False when the process exited first (e.g. port taken)."""
    try:
        async with asyncio.timeout(wait_s):
            while True:
                if p.proc.returncode is not None:
                    return False
                with contextlib.suppress(aiohttp.ClientError):
                    async with session.get(url) as r:
                        if r.status == 200:
                            return True
                await asyncio.sleep(POLL_S)
    except TimeoutError:
        raise StackError(f"{p.name} not ready at {url} within {wait_s:g}s:\n{p.log_tail()}") from None


@dataclass(slots=True)
class Stack:
    prometheus_url: str
    alertmanager_url: str
    workdir: Path
    session: aiohttp.ClientSession

    async def _get(self, url: str, **params: str) -> Any:
        async with self.session.get(url, params=params) as r:
            r.raise_for_status()
            return await r.json()

    async def prometheus_alertmanagers(self) -> list[str]:
        """URLs of the Alertmanagers Prometheus sends to."""
        body = await self._get(f"{self.prometheus_url}/api/v1/alertmanagers")
        return [a["url"] for a in body["data"]["activeAlertmanagers"]]

    async def prometheus_rule_groups(self) -> list[dict[str, Any]]:
        body = await self._get(f"{self.prometheus_url}/api/v1/rules")
        return list(body["data"]["groups"])

    async def prometheus_alerts(self) -> list[dict[str, Any]]:
        """Alerts pending or firing in Prometheus."""
        body = await self._get(f"{self.prometheus_url}/api/v1/alerts")
        return list(body["data"]["alerts"])

    async def targets(self) -> list[dict[str, Any]]:
        body = await self._get(f"{self.prometheus_url}/api/v1/targets")
        return list(body["data"]["activeTargets"])

    async def query(self, promql: str) -> list[dict[str, Any]]:
        body = await self._get(f"{self.prometheus_url}/api/v1/query", query=promql)
        return list(body["data"]["result"])

    async def alertmanager_alerts(self) -> list[dict[str, Any]]:
        """Alerts Alertmanager holds (API v2), from Prometheus or pushed directly (e.g. by Sentinel)."""
        return list(await self._get(f"{self.alertmanager_url}/api/v2/alerts"))

    async def reload_prometheus(self) -> None:
        async with self.session.post(f"{self.prometheus_url}/-/reload") as r:
            r.raise_for_status()

    async def wait_for_alert(self, alertname: str, wait_s: float = 30.0, **labels: str) -> dict[str, Any]:
        """The first alert in Alertmanager named ``alertname`` whose labels include ``labels``."""
        want = {"alertname": alertname, **labels}
        seen: list[dict[str, str]] = []
        try:
            async with asyncio.timeout(wait_s):
                while True:
                    alerts = await self.alertmanager_alerts()
                    seen = [a["labels"] for a in alerts]
                    for a in alerts:
                        if want.items() <= a["labels"].items():
                            return a
                    await asyncio.sleep(POLL_S * 4)
        except TimeoutError:
            raise StackError(f"no alert {want} in Alertmanager within {wait_s:g}s; it holds {seen}") from None

    async def wait_for_alertmanager_discovered(self, wait_s: float = 30.0) -> None:
        """Until Prometheus lists the Alertmanager (discovery runs after /-/ready; alerts before it are lost)."""
        want = self.alertmanager_url + "/api/v2/alerts"
        try:
            async with asyncio.timeout(wait_s):
                while True:
                    if want in await self.prometheus_alertmanagers():
                        return
                    await asyncio.sleep(POLL_S)
        except TimeoutError:
            raise StackError(f"Prometheus did not discover {want} within {wait_s:g}s") from None

    async def wait_for_target_up(self, wait_s: float = 30.0) -> None:
        """Until Prometheus has scraped the target successfully."""
        try:
            async with asyncio.timeout(wait_s):
                while True:
                    if any(t["health"] == "up" for t in await self.targets()):
                        return
                    await asyncio.sleep(POLL_S * 4)
        except TimeoutError:
            raise StackError(f"no target up within {wait_s:g}s: {await self.targets()}") from None


def _write_yaml(path: Path, data: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as f:
        _yaml().dump(data, f)
    return path


def _alertmanager_config() -> dict[str, Any]:
    return {
        "route": {"receiver": "keep", "group_wait": "0s", "group_interval": "1s", "repeat_interval": "1h"},
        "receivers": [{"name": "keep"}],
    }


def _prometheus_config(target: str, am: str, rules: list[Path], interval: str, metrics_path: str) -> dict[str, Any]:
    return {
        "global": {"scrape_interval": interval, "evaluation_interval": interval, "scrape_timeout": interval},
        "rule_files": [str(p) for p in rules],
        "alerting": {"alertmanagers": [{"static_configs": [{"targets": [am]}]}]},
        "scrape_configs": [
            {"job_name": "sentinel", "metrics_path": metrics_path, "static_configs": [{"targets": [target]}]}
        ],
    }


async def _start(
    name: str,
    make_argv: Any,
    ready_path: str,
    workdir: Path,
    session: aiohttp.ClientSession,
    wait_s: float,
    attempts: int = 3,
) -> tuple[_Process, str]:
    """Start on a free port; another port when the first was taken between choosing and binding."""
    for _ in range(attempts):
        port = free_port()
        p = await _spawn(name, make_argv(port), workdir / f"{name}.log")
        url = f"http://127.0.0.1:{port}"
        if await _wait_ready(session, p, url + ready_path, wait_s):
            return p, url
        await p.stop()
    raise StackError(f"{name} exited at startup {attempts} times:\n{p.log_tail()}")


@contextlib.asynccontextmanager
async def prometheus_stack(
    target: str,
    workdir: Path,
    *,
    rule_files: Sequence[Path] | None = None,
    rule_for: str | None = "0s",
    interval: str = "1s",
    metrics_path: str = "/metrics",
    startup_timeout: float = 30.0,
) -> AsyncIterator[Stack]:
    """Run Prometheus (scraping ``target``, a ``host:port``) and Alertmanager until the block exits."""
    prometheus = require_binary("prometheus")
    alertmanager = require_binary("prometheus-alertmanager", "alertmanager")
    rules = copy_rules(
        sorted(RULES_DIR.glob("*.yml")) if rule_files is None else list(rule_files), workdir / "rules", rule_for
    )
    am_conf = _write_yaml(workdir / "alertmanager.yml", _alertmanager_config())

    procs: list[_Process] = []
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5)) as session:
        try:
            am, am_url = await _start(
                "alertmanager",
                lambda port: [
                    alertmanager,
                    f"--config.file={am_conf}",
                    f"--storage.path={workdir / 'alertmanager-data'}",
                    f"--web.listen-address=127.0.0.1:{port}",
                    "--cluster.listen-address=",
                ],
                "/-/ready",
                workdir,
                session,
                startup_timeout,
            )
            procs.append(am)

            prom_conf = _write_yaml(
                workdir / "prometheus.yml",
                _prometheus_config(target, am_url.removeprefix("http://"), rules, interval, metrics_path),
            )
            prom, prom_url = await _start(
                "prometheus",
                lambda port: [
                    prometheus,
                    f"--config.file={prom_conf}",
                    f"--storage.tsdb.path={workdir / 'prometheus-data'}",
                    f"--web.listen-address=127.0.0.1:{port}",
                    "--web.enable-lifecycle",
                    "--rules.alert.resend-delay=1s",
                    "--rules.alert.for-grace-period=1s",
                ],
                "/-/ready",
                workdir,
                session,
                startup_timeout,
            )
            procs.append(prom)
            stack = Stack(prom_url, am_url, workdir, session)
            await stack.wait_for_alertmanager_discovered(startup_timeout)
            yield stack
        finally:
            for p in reversed(procs):
                await p.stop()

"""The aiohttp application: health, readiness, metrics, and the mounted routes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from sentinel.metrics import REGISTRY

ReadinessCheck = Callable[[], Awaitable[dict[str, bool]]]


def build_app(routes: Sequence[web.AbstractRouteDef], readiness: ReadinessCheck, *,
              client_max_size: int = 10 * 1024 * 1024) -> web.Application:
    app = web.Application(client_max_size=client_max_size)

    async def healthz(_: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def readyz(_: web.Request) -> web.Response:
        checks = await readiness()
        ok = all(checks.values())
        return web.json_response({"status": "ready" if ok else "not ready", "checks": checks},
                                 status=200 if ok else 503)

    async def metrics_handler(_: web.Request) -> web.Response:
        resp = web.Response(body=generate_latest(REGISTRY))
        resp.content_type = CONTENT_TYPE_LATEST.split(";")[0]
        return resp

    app.add_routes([web.get("/healthz", healthz), web.get("/readyz", readyz), web.get("/metrics", metrics_handler)])
    app.add_routes(list(routes))
    return app

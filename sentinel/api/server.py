"""The aiohttp application: health, readiness, metrics, and the mounted routes; and how it is served.

Time limits on what a client sends (slowloris and slow bodies):

- a request's head (request line and headers) must arrive within ``header_timeout`` of the connection
  opening, or of the previous answer on a kept-alive connection: ``make_runner`` passes it to aiohttp as
  ``keepalive_timeout``, whose timer aiohttp (3.14.5, as installed here) starts when a connection opens
  and again after each answer, and which closes the connection if it fires while no whole request head
  has arrived (it does nothing while a handler runs). An aiohttp that starts it only after a first answer
  leaves a first head unbounded: the adversarial tests check it against a real slow socket.
- a body must arrive whole within ``body_timeout`` (``sentinel.sources.body``: 408 after it).

Memory held by bodies being read: each family of endpoints (``BodyFamily``) reads at most ``body_budget`` bytes
of bodies at once; a body beyond it is answered 503 with ``Retry-After`` before it is read.

A request aiohttp cannot parse (a broken request line, header or chunked framing) is the client's
mistake: it is answered 400 by aiohttp and logged as one warning line, without a traceback. Bodies are
left encoded (``auto_decompress=False``) for ``sentinel.sources.body`` to decode.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Sequence

from aiohttp import web
from aiohttp.http import HttpProcessingError
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from sentinel.logs import get_logger
from sentinel.metrics import REGISTRY
from sentinel.sources.body import (
    BODY_BUDGETS,
    BODY_TIMEOUT,
    DEFAULT_BODY_BUDGET,
    DEFAULT_BODY_TIMEOUT,
    RAW_BODIES,
    body_budgets,
)

ReadinessCheck = Callable[[], Awaitable[dict[str, bool]]]
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
DEFAULT_HEADER_TIMEOUT = 10.0
# ``/readyz?for=intake``: the checks that say whether the daemon can take input (the store answers, the worker
# runs). A broken channel or an unreadable page is a reason to page someone, not to stop taking their events:
# a load balancer that dropped the pod for it would cut ingest, webhooks and acknowledgements too.
INTAKE_CHECKS = frozenset({"store", "worker"})

log = get_logger("http")


def build_app(
    routes: Sequence[web.AbstractRouteDef],
    readiness: ReadinessCheck,
    *,
    client_max_size: int = 10 * 1024 * 1024,
    body_timeout: float = DEFAULT_BODY_TIMEOUT,
    body_budget: int = DEFAULT_BODY_BUDGET,
) -> web.Application:
    app = web.Application(client_max_size=client_max_size, middlewares=[_no_nul_in_path])
    app[BODY_TIMEOUT] = body_timeout
    app[BODY_BUDGETS] = body_budgets(body_budget)

    async def healthz(_: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def readyz(request: web.Request) -> web.Response:
        checks = await readiness()
        if request.query.get("for") == "intake":  # a load balancer's question: can it take input? (docs/metrics.md)
            checks = {k: v for k, v in checks.items() if k in INTAKE_CHECKS}
        ok = all(checks.values())
        return web.json_response(
            {"status": "ready" if ok else "not ready", "checks": checks}, status=200 if ok else 503
        )

    async def metrics_handler(_: web.Request) -> web.Response:
        resp = web.Response(body=generate_latest(REGISTRY))
        resp.content_type = CONTENT_TYPE_LATEST.split(";")[0]
        return resp

    app.add_routes(
        [
            web.get("/healthz", healthz),
            web.get("/readyz", readyz),
            web.get("/metrics", metrics_handler),
            # the names Prometheus and Alertmanager use, for probes and tooling written against them
            web.get("/-/healthy", healthz),
            web.get("/-/ready", readyz),
        ]
    )
    app.add_routes(list(routes))
    return app


@web.middleware
async def _no_nul_in_path(request: web.Request, handler: Handler) -> web.StreamResponse:
    """A path holding NUL (``%00``) names nothing: 400 before any route looks it up in a store (PostgreSQL
    refuses NUL in TEXT, so a lookup would fail with a 503 a retry never cures)."""
    if "\x00" in request.path:
        return web.json_response({"error": "the path holds NUL (%00)"}, status=400)
    return await handler(request)


class _ClientMistakes(logging.Filter):
    """aiohttp logs a request it cannot parse with a traceback at ERROR; that is the client's mistake: one
    warning line instead. Anything else (a bug: a handler's exception, a 500) keeps its traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if isinstance(exc, HttpProcessingError | web.RequestPayloadError | ConnectionResetError):
            log.warning("http.request_refused", error=refusal_reason(exc))
            return False
        return True


# What aiohttp's parser quotes of the request it refused: the bytes of a header line or of the request line
# (b'...', '...' or "..."), and a caret under them on the lines after. Those bytes may be a bearer token, a session
# cookie or a verify token in a URL.
_QUOTED = re.compile(r"""b?'[^']*'?|b?"[^"]*"?""")


def refusal_reason(exc: BaseException) -> str:
    """Why a request was refused, for the log: the exception's kind and aiohttp's reason, without anything it quotes
    of the request ("Unexpected whitespace after header value", not the header's value)."""
    text = exc.message if isinstance(exc, HttpProcessingError) and exc.message else str(exc)
    text = _QUOTED.sub("", text.split("\n", 1)[0])
    text = " ".join(text.split()).rstrip(" :.")
    return f"{type(exc).__name__}: {text[:160]}" if text else type(exc).__name__


_HTTP_LOG = logging.getLogger("sentinel.http")
_HTTP_LOG.addFilter(_ClientMistakes())


def make_runner(app: web.Application, *, header_timeout: float = DEFAULT_HEADER_TIMEOUT) -> web.AppRunner:
    """The runner that serves ``app``: no access log, no signal handling (the daemon has its own), a request
    head must arrive within ``header_timeout`` seconds (see the module's note), and bodies are left encoded
    for ``sentinel.sources.body`` to decode (``RAW_BODIES``)."""
    app[RAW_BODIES] = True
    return web.AppRunner(
        app,
        handle_signals=False,
        access_log=None,
        logger=_HTTP_LOG,
        keepalive_timeout=header_timeout,
        auto_decompress=False,
    )

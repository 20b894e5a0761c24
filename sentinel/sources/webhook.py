"""The Meta webhooks receiver: ``GET``/``POST /webhooks/meta``.

GET answers the verification handshake. POST checks ``X-Hub-Signature-256``
(HMAC-SHA256 of the raw body, keyed with the app secret) in constant time
before anything else reads the body: 403 when it is missing or wrong, 413
over the size limit, 400 for a body that is not a JSON object. The events are
committed through the sink (which drops ids already stored: Meta retries for
36 hours, and the poller sees the same items) and only then is 200 sent;
rules and notification work on the stored events afterwards.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Awaitable, Callable, Sequence

import orjson
import structlog
from aiohttp import web

from sentinel.clock import Clock
from sentinel.config.schema import PageConfig
from sentinel.errors import StoreError
from sentinel.metrics import WEBHOOK_CHANGES_SKIPPED, WEBHOOK_DELIVERIES
from sentinel.model import Event
from sentinel.sources.graph_config import SourcesConfig
from sentinel.sources.graph_webhook import translate

EventSink = Callable[[list[Event]], Awaitable[int]]
PATH = "/webhooks/meta"
SOURCE = "meta_webhook"
log = structlog.get_logger("sentinel.sources.webhook")


def signature_ok(secret: str, body: bytes, header: str | None) -> bool:
    """Constant-time check of ``sha256=<hex>`` over exactly these bytes."""
    if not secret or not header or not header.startswith("sha256="):
        return False
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), header.strip().lower().encode("ascii", "replace"))


def webhook_routes(config: SourcesConfig, sink: EventSink, clock: Clock,
                   pages: Sequence[PageConfig] = ()) -> list[web.RouteDef]:
    """Routes for ``/webhooks/meta``; ``pages`` maps Graph page ids to page keys."""
    by_graph_id = {p.page_id: p.id for p in pages if p.page_id}
    limit = config.webhook_max_body_bytes

    def outcome(name: str, status: int, text: str = "") -> web.Response:
        WEBHOOK_DELIVERIES.labels(SOURCE, name).inc()
        return web.Response(status=status, text=text or name)

    async def verify(request: web.Request) -> web.Response:
        q = request.query
        token = config.verify_token.reveal() if config.verify_token else ""
        given = q.get("hub.verify_token", "")
        if (q.get("hub.mode") == "subscribe" and token
                and hmac.compare_digest(token.encode(), given.encode("utf-8", "replace"))):
            log.info("webhook.verified")
            return web.Response(text=q.get("hub.challenge", ""))
        log.warning("webhook.verification_refused")
        return web.Response(status=403, text="forbidden")

    async def deliver(request: web.Request) -> web.Response:
        if request.content_length is not None and request.content_length > limit:
            return outcome("too_large", 413)
        body = await request.content.read(limit + 1)
        if len(body) > limit:
            return outcome("too_large", 413)
        secret = config.app_secret.reveal() if config.app_secret else ""
        if not signature_ok(secret, body, request.headers.get("X-Hub-Signature-256")):
            log.warning("webhook.signature_rejected", configured=bool(secret))
            return outcome("bad_signature", 403, "forbidden")
        try:
            data = orjson.loads(body)
        except orjson.JSONDecodeError:
            return outcome("malformed", 400, "body is not JSON")
        if not isinstance(data, dict) or not isinstance(data.get("entry"), list):
            return outcome("malformed", 400, "body is not a webhook delivery")
        result = translate(data, by_graph_id)
        if result.skipped:
            WEBHOOK_CHANGES_SKIPPED.labels(SOURCE).inc(result.skipped)
        try:
            new = await sink(result.events) if result.events else 0
        except StoreError as e:  # not committed: let Meta retry
            log.error("webhook.commit_failed", error=str(e))
            return outcome("store_failed", 503, "try again")
        log.info("webhook.accepted", events=len(result.events), new=new, skipped=result.skipped,
                 at=clock.now().isoformat())
        return outcome("accepted", 200, "EVENT_RECEIVED")

    return [web.get(PATH, verify), web.post(PATH, deliver)]

"""The Meta webhooks receiver: ``GET``/``POST /webhooks/meta``.

GET answers the verification handshake. POST reads the whole body (``sentinel.sources.body``: 413 over the size
limit, 400 for a bad Content-Encoding, 408 when too slow), then checks ``X-Hub-Signature-256`` (HMAC-SHA256 of the
raw body, keyed with the app secret) in constant time before anything parses it: 403 when it is missing or wrong,
400 for a body that is not a JSON object. Every refusal is ``{"error": ...}``, as on the other endpoints (the
body's own refusals are the ``BodyRefused`` every endpoint answers); only the 200 is Meta's ``EVENT_RECEIVED``.
A change whose text no store keeps is skipped and counted, like a change not understood. The events are
committed through the sink (which drops occurrences already stored: Meta retries for
36 hours, and the poller sees the same items) and only then is 200 sent;
rules and notification work on the stored events afterwards.

Each delivery's entries are filed under the page keys of the running config's ``pages[].page_id`` (``pages`` is
asked on every delivery): a page id added or changed by a reload maps from the next delivery on. An entry whose id
no page has is filed under that raw id, as an unknown page.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Awaitable, Callable, Mapping, Sequence

import structlog
from aiohttp import web

from sentinel.clock import Clock
from sentinel.config.schema import PageConfig
from sentinel.errors import StoreError, StoreUnavailable
from sentinel.events.codec import FieldError, check_storable, decode_json
from sentinel.events.nesting import TooDeep
from sentinel.metrics import WEBHOOK_CHANGES_SKIPPED, WEBHOOK_DELIVERIES
from sentinel.model import Event
from sentinel.sources.body import BodyFamily, BodyRefused, read_body
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


def _storable(ev: Event) -> bool:
    """A change whose text no store keeps (``codec.check_storable``) is skipped like one not understood: Meta
    would retry a refused delivery for 36 hours, and the rest of it is good."""
    try:
        check_storable(ev)
    except FieldError as e:
        log.warning("webhook.change_unstorable", kind=ev.kind, field=e.field)
        return False
    return True


def graph_page_keys(pages: Sequence[PageConfig]) -> dict[str, str]:
    """Graph page id -> page key, for the pages that have a ``page_id``."""
    return {p.page_id: p.id for p in pages if p.page_id}


def webhook_routes(
    config: SourcesConfig, sink: EventSink, clock: Clock, pages: Callable[[], Sequence[PageConfig]] = lambda: ()
) -> list[web.RouteDef]:
    """Routes for ``/webhooks/meta``; ``pages()`` is the running config's pages, read on each delivery (a reload
    replaces them), whose ``page_id`` maps a Graph page id to its page key."""
    limit = config.webhook_max_body_bytes

    def outcome(name: str, status: int, error: str, headers: Mapping[str, str] | None = None) -> web.Response:
        WEBHOOK_DELIVERIES.labels(SOURCE, name).inc()
        return web.json_response({"error": error}, status=status, headers=headers)

    async def verify(request: web.Request) -> web.Response:
        q = request.query
        token = config.verify_token.reveal() if config.verify_token else ""
        given = q.get("hub.verify_token", "")
        if (
            q.get("hub.mode") == "subscribe"
            and token
            and hmac.compare_digest(token.encode(), given.encode("utf-8", "replace"))
        ):
            log.info("webhook.verified")
            return web.Response(text=q.get("hub.challenge", ""))
        log.warning("webhook.verification_refused")
        return web.json_response({"error": "wrong hub.mode or hub.verify_token"}, status=403)

    async def deliver(request: web.Request) -> web.Response:
        try:
            # whole: the signature is over every byte
            body = await read_body(request, limit, fields_checked=True, family=BodyFamily.WEBHOOK)
        except BodyRefused as e:  # answered as it says, as on every endpoint (and the connection closed after a 413)
            name = {503: "busy", 413: "too_large"}.get(e.status, "malformed")  # 503: too many read at once
            WEBHOOK_DELIVERIES.labels(SOURCE, name).inc()
            raise
        secret = config.app_secret.reveal() if config.app_secret else ""
        if not signature_ok(secret, body, request.headers.get("X-Hub-Signature-256")):
            log.warning("webhook.signature_rejected", configured=bool(secret))
            return outcome("bad_signature", 403, "missing or wrong X-Hub-Signature-256")
        try:
            data = decode_json(body)  # (nesting deeper than a delivery goes is refused before it is decoded)
        except TooDeep as e:
            return outcome("malformed", 400, f"body {e}")
        except ValueError:
            return outcome("malformed", 400, "body is not JSON")
        if not isinstance(data, dict) or not isinstance(data.get("entry"), list):
            return outcome("malformed", 400, "body is not a webhook delivery")
        result = translate(data, graph_page_keys(pages()), received=clock.now())
        if result.untimed or result.untimed_changes:
            # entries at the delivery's arrival; changes at their entry's time (the arrival, if it is unreadable too)
            log.warning("webhook.time_unreadable", entries=result.untimed, changes=result.untimed_changes)
        events = [ev for ev in result.events if _storable(ev)]
        skipped = result.skipped + len(result.events) - len(events)
        if skipped:
            WEBHOOK_CHANGES_SKIPPED.labels(SOURCE).inc(skipped)
        try:
            new = await sink(events) if events else 0
        except StoreError as e:  # not committed: let Meta retry (away: the store said so once)
            (log.warning if isinstance(e, StoreUnavailable) else log.error)("webhook.commit_failed", error=str(e))
            return outcome("store_failed", 503, "store unavailable, retry", {"Retry-After": "5"})
        log.info("webhook.accepted", events=len(events), new=new, skipped=skipped, at=clock.now().isoformat())
        WEBHOOK_DELIVERIES.labels(SOURCE, "accepted").inc()
        return web.Response(text="EVENT_RECEIVED")

    return [web.get(PATH, verify), web.post(PATH, deliver)]

"""The notifier: takes intents into the outbox and delivers what is due.

``enqueue`` commits the row and wakes the worker; ``run_once(now)`` runs the
stages over the due rows and sends each group concurrently; the worker task
started by ``start`` calls it whenever something is due, sleeping through
the injected clock in between. ``stop`` stops the worker, waits for sends in
flight up to a deadline and closes the channels; anything interrupted is
resumed by the next ``start``.
"""

from __future__ import annotations

import asyncio
import dataclasses
import random
import traceback
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import datetime, timedelta

import structlog

from sentinel.clock import Clock
from sentinel.errors import StoreUnavailable
from sentinel.metrics import NOTIFICATION_LATENCY, NOTIFICATIONS, NOTIFICATIONS_SUPPRESSED, OUTBOX_BACKLOG
from sentinel.model import NotificationIntent, NotificationKind
from sentinel.notify import health, stages
from sentinel.notify.base import Channel, DeliveryFailure, DeliveryReason, Outgoing, SendResult, SuppressReason
from sentinel.notify.config import DeliveryConfig
from sentinel.notify.outbox import FAILED, FIRING, MUTED, PENDING, SENT, Outbox, Row
from sentinel.notify.overrides import Overrides, TemplateConfig
from sentinel.notify.retry import Backoff, CircuitBreaker
from sentinel.store import Database

log = structlog.get_logger("sentinel.notify")

GiveUp = Callable[[NotificationIntent, DeliveryReason], Awaitable[None]]
#: a channel's provider refused Sentinel's credentials (channel, detail), or accepted them again (channel, None)
ChannelHealth = Callable[[str, str | None], Awaitable[None]]
#: failures that say the channel itself is broken (every message on it fails alike), not one message or person
BREAKING = frozenset({DeliveryReason.AUTH_FAILED})


def _crashed(e: Exception, key: str, channel: str) -> DeliveryFailure:
    """An exception a channel raised while rendering or sending one message, as a failed attempt of it (retried,
    then given up as any other). Logged with the row's key and where it was raised, not its message or traceback:
    those may hold the message's text or a credential the channel was using."""
    tb = traceback.extract_tb(e.__traceback__)
    where = f"{tb[-1].filename.rsplit('/', 1)[-1]}:{tb[-1].lineno}" if tb else "?"
    log.error("notify.send_crashed", key=key, channel=channel, error=type(e).__name__, where=where)
    return DeliveryFailure(DeliveryReason.INTERNAL_ERROR, f"{type(e).__name__} at {where}")


class Notifier:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        channels: Mapping[str, Channel],
        fallbacks: Mapping[str, str] | None = None,
        delivery: DeliveryConfig | None = None,
        *,
        muter: stages.Muter | None = None,
        on_give_up: GiveUp | None = None,
        on_channel_health: ChannelHealth | None = None,
        rng: random.Random | None = None,
        texts: Sequence[TemplateConfig] = (),
    ) -> None:
        self.clock = clock
        self.channels = dict(channels)
        self.texts = {name: Overrides.for_channel(texts, name) for name in channels} if texts else {}
        self.fallbacks = dict(fallbacks or {})
        self.cfg = delivery or DeliveryConfig()
        self.outbox = Outbox(db)
        self.muter = muter
        self.on_give_up = on_give_up
        self.on_channel_health = on_channel_health
        self.broken: dict[str, DeliveryReason] = {}  # channel -> why its last attempt said it is broken
        self.rng = rng or random.Random()
        self.backoff = Backoff(self.cfg.backoff_initial, self.cfg.backoff_max)
        self.breakers = {n: CircuitBreaker(self.cfg.breaker_failures, self.cfg.breaker_cooldown) for n in channels}
        self.sms_limit = stages.SmsLimit(self.cfg.sms_bundle_window, self.cfg.sms_limit, self.cfg.sms_limit_window)
        self._sem = asyncio.Semaphore(self.cfg.concurrency)
        self._inflight: set[asyncio.Task[None]] = set()
        self._wake = asyncio.Event()
        self._worker: asyncio.Task[None] | None = None
        self._stopping = False

    # -- lifecycle --------------------------------------------------------
    async def start(self, *, background: bool = True) -> None:
        """Migrate, resume rows a crash left in flight, and (by default) start the worker task."""
        await self.outbox.migrate()
        n = await self.outbox.resume_interrupted(self.clock.now())
        if n:
            log.warning("notify.resumed_interrupted", count=n)
        await self._update_backlog()
        if background and self._worker is None:
            self._worker = asyncio.create_task(self._work(), name="notify-worker")

    async def stop(self, deadline_s: float = 10.0) -> None:
        """Stop taking work, let sends in flight finish within ``deadline_s``, close the channels."""
        self._stopping = True
        if self._worker is not None:
            self._worker.cancel()
            await asyncio.gather(self._worker, return_exceptions=True)
            self._worker = None
        if self._inflight:
            _, late = await asyncio.wait(set(self._inflight), timeout=deadline_s)
            for t in late:
                t.cancel()
            if late:
                log.warning("notify.stop_deadline_passed", abandoned=len(late))
                await asyncio.gather(*late, return_exceptions=True)
        for ch in self.channels.values():
            await ch.close()

    # -- intake ----------------------------------------------------------------
    async def enqueue(self, intent: NotificationIntent) -> bool:
        """Store ``intent`` durably (committed on return). False if the same notification was stored before."""
        ch = self.channels.get(intent.channel)
        address = (intent.recipient.phone or "") if ch is not None and ch.is_sms else ""
        added = await self.outbox.add(intent, address, self.clock.now())
        if not added:
            NOTIFICATIONS_SUPPRESSED.labels(SuppressReason.DUPLICATE).inc()
        else:
            log.info("notify.enqueued", key=intent.idempotency_key, channel=intent.channel)
            OUTBOX_BACKLOG.inc()
        self._wake.set()
        return added

    # -- delivery --------------------------------------------------------------
    async def run_once(self, now: datetime) -> int:
        """Deliver everything due at ``now`` and wait for it; returns how many messages were attempted."""
        tasks = await self._dispatch(now)
        await asyncio.gather(*tasks)
        return len(tasks)

    def _blocked(self, now: datetime) -> list[str]:
        """Channels this replica cannot send on now (its breaker open, or its one probe out), when several replicas
        share the outbox: their rows are left for another replica, whose provider may answer, instead of being
        claimed here and pushed back by the cooldown for everyone. One daemon alone (SQLite) keeps the plain way."""
        if not self.outbox.claims:
            return []
        return sorted(c for c, b in self.breakers.items() if b.blocked(now))

    async def _dispatch(self, now: datetime) -> list[asyncio.Task[None]]:
        blocked = self._blocked(now)
        for r in await self.outbox.waiting(now, blocked, self.cfg.concurrency * 8):
            await self._fall_back(r, now)  # as _admit does for a blocked channel: the fallback is not delayed
        rows = await self.outbox.due(now, self.cfg.concurrency * 8, blocked)
        if not rows:
            return []
        resolved = await self.outbox.resolved_incidents(sorted({r.intent.incident for r in rows}))
        kept, muted = stages.mute(rows, resolved, self.muter, now)
        for r in muted:
            if r.state == PENDING:
                NOTIFICATIONS_SUPPRESSED.labels(SuppressReason.SILENCED).inc()
                log.info("notify.muted", key=r.key)
                await self.outbox.set_state([r.key], MUTED, SuppressReason.SILENCED)
            else:  # a firing alert whose incident resolved: stop re-sending
                await self.outbox.set_state([r.key], SENT, "resolved")
        unknown = [r for r in kept if r.channel not in self.channels]
        for r in unknown:
            log.error("notify.unknown_channel", key=r.key, channel=r.channel)
            await self.outbox.set_state([r.key], FAILED, DeliveryReason.MISCONFIGURED)
        kept = [r for r in kept if r.channel in self.channels]
        for r in [r for r in kept if r.reason == DeliveryReason.INTERRUPTED and r.attempts >= self.cfg.max_attempts]:
            kept.remove(r)
            err = DeliveryFailure(DeliveryReason.INTERRUPTED, "the daemon stopped or died while sending it")
            await self._failed(stages.Group(r.channel, (r,)), err, now, attempts=r.attempts)
        if any(health.is_delivery_alert(r.intent) for r in kept):
            kept, avoided = stages.avoid(kept, await self.outbox.unreachable(), health.is_delivery_alert)
            for r in avoided:
                NOTIFICATIONS_SUPPRESSED.labels(SuppressReason.AVOIDED).inc()
                log.warning("notify.avoided_unreachable", key=r.key, channel=r.channel)
                await self.outbox.set_state([r.key], MUTED, SuppressReason.AVOIDED)
                await self._fall_back(r, now)
        tasks: list[asyncio.Task[None]] = []
        for group in stages.bundle(kept, lambda c: self.channels[c].is_sms):
            if not await self._admit(group, now):
                continue
            keys = [r.key for r in group.rows]
            await self.outbox.mark_sending(keys, group.leader.key)  # committed before the request leaves
            task = asyncio.create_task(self._deliver(group), name=f"notify:{group.leader.key}")
            self._inflight.add(task)
            task.add_done_callback(self._done)
            tasks.append(task)
        return tasks

    def _done(self, task: asyncio.Task[None]) -> None:
        self._inflight.discard(task)
        self._wake.set()
        if not task.cancelled() and (e := task.exception()) is not None:  # recording the outcome failed (the store)
            log.error("notify.record_failed", task=task.get_name(), error=type(e).__name__, detail=str(e)[:200])

    async def _admit(self, group: stages.Group, now: datetime) -> bool:
        """Breaker and per-number SMS limits: False (and the rows re-scheduled) when the group must wait."""
        keys = [r.key for r in group.rows]
        if self.channels[group.channel].is_sms and group.leader.address:
            sends = await self.outbox.sms_sends_since(
                group.leader.address, now - max(self.sms_limit.window, self.sms_limit.bundle_window)
            )
            hold, limited = self.sms_limit.hold_until(sends, now)
            if hold is not None:
                reason = SuppressReason.RATE_LIMITED if limited else SuppressReason.BUNDLED
                if limited and any(r.reason != reason for r in group.rows):
                    NOTIFICATIONS_SUPPRESSED.labels(reason).inc()
                    log.warning("notify.sms_rate_limited", channel=group.channel, until=hold.isoformat())
                await self.outbox.set_state(keys, PENDING, reason, hold)
                return False
        breaker = self.breakers[group.channel]
        if not breaker.allow(now):
            until = breaker.retry_at(now)
            for r in group.rows:
                if r.reason != DeliveryReason.CIRCUIT_OPEN:
                    NOTIFICATIONS_SUPPRESSED.labels(SuppressReason.CIRCUIT_OPEN).inc()
                NOTIFICATIONS.labels(group.channel, DeliveryReason.CIRCUIT_OPEN).inc()
                await self._fall_back(r, now)
            log.warning("notify.circuit_open", channel=group.channel, until=until.isoformat())
            # several replicas: released as they are, for one whose provider answers (this one skips the channel)
            await self.outbox.set_state(
                keys, PENDING, DeliveryReason.CIRCUIT_OPEN, None if self.outbox.claims else until
            )
            return False
        return True

    async def _deliver(self, group: stages.Group) -> None:
        channel = self.channels[group.channel]
        intents, folded = stages.dedup(group)
        leader = group.leader
        msg = Outgoing(
            key=leader.key, intents=tuple(intents), attempt=leader.attempts + 1, texts=self.texts.get(group.channel)
        )
        keys = [r.key for r in group.rows]
        async with self._sem:
            try:
                result: SendResult | DeliveryFailure = await channel.send(msg)
            except DeliveryFailure as e:
                result = e
            except Exception as e:  # a bug, or a value the channel cannot write: a failed attempt of this row
                result = _crashed(e, leader.key, group.channel)
        now = self.clock.now()
        breaker = self.breakers[group.channel]
        if isinstance(result, SendResult):
            breaker.success()
            await self._channel_works(group.channel)
            firing = channel.resend_interval and leader.intent.kind == NotificationKind.PAGE
            resend = now + channel.resend_interval if firing and channel.resend_interval else None
            await self.outbox.mark_sent(keys, now, result.provider_id, resend)
            for person in sorted({r.intent.recipient.name for r in group.rows}):
                await self.outbox.mark_reachable(person, group.channel)
            NOTIFICATIONS.labels(group.channel, DeliveryReason.SENT).inc()
            for r in group.rows:
                if r.state != FIRING:
                    NOTIFICATION_LATENCY.labels(group.channel).observe(max(0.0, now.timestamp() - r.created))
            if folded:
                NOTIFICATIONS_SUPPRESSED.labels(SuppressReason.BUNDLED).inc(len(folded))
            log.info(
                "notify.sent",
                key=leader.key,
                channel=group.channel,
                bundled=len(folded),
                provider_id=result.provider_id,
                attempt=msg.attempt,
            )
        else:
            breaker.failure(result.reason, now)
            NOTIFICATIONS.labels(group.channel, result.reason).inc()
            if result.reason in BREAKING:
                await self._channel_broken(group.channel, result)
            await self._failed(group, result, now)
        await self._update_backlog()

    async def _failed(
        self, group: stages.Group, err: DeliveryFailure, now: datetime, *, attempts: int | None = None
    ) -> None:
        """``attempts``: how many attempts the group has had, this one included (by default one more than its
        leader's count when read; an interrupted row's last attempt is counted already)."""
        channel = group.channel
        attempts = group.leader.attempts + 1 if attempts is None else attempts
        age = now.timestamp() - min(r.created for r in group.rows)
        keys = [r.key for r in group.rows]
        retry = err.reason.retryable and attempts < self.cfg.max_attempts and age < self.cfg.max_age.total_seconds()
        if retry:
            delay = self.backoff.delay(attempts, self.rng, err.retry_after)
            due = now + timedelta(seconds=delay)
            await self.outbox.set_state(keys, PENDING, err.reason, due)
            log.warning(
                "notify.retry_scheduled",
                key=group.leader.key,
                channel=channel,
                reason=str(err.reason),
                detail=err.detail,
                attempt=attempts,
                delay_s=round(delay, 3),
            )
            if attempts >= self.cfg.fallback_after:
                for r in group.rows:
                    await self._fall_back(r, now)
            return
        final = err.reason if not err.reason.retryable else DeliveryReason.GAVE_UP
        if final == DeliveryReason.GAVE_UP:
            NOTIFICATIONS.labels(channel, DeliveryReason.GAVE_UP).inc()
        await self.outbox.set_state(keys, FAILED, final)
        log.error(
            "notify.delivery_failed",
            key=group.leader.key,
            channel=channel,
            reason=str(final),
            detail=err.detail,
            attempts=attempts,
        )
        for r in group.rows:
            await self.outbox.mark_unreachable(r.intent.recipient.name, channel, now, final)
            if not await self._fall_back(r, now):  # with a fallback, the fallback's own outcome decides
                await self._gave_up(r, final)

    def healthy(self) -> bool:
        """No channel's provider is refusing Sentinel's credentials (``broken``: since its last such failure,
        nothing was sent on it). Kept in memory: after a restart a channel counts as working until it fails."""
        return not self.broken

    async def _channel_broken(self, channel: str, err: DeliveryFailure) -> None:
        if channel in self.broken:
            return
        self.broken[channel] = err.reason
        log.error("notify.channel_broken", channel=channel, reason=str(err.reason), detail=err.detail)
        await self._tell_channel_health(channel, f"{err.reason}: {err.detail}" if err.detail else str(err.reason))

    async def _channel_works(self, channel: str) -> None:
        if self.broken.pop(channel, None) is None:
            return
        log.info("notify.channel_recovered", channel=channel)
        await self._tell_channel_health(channel, None)

    async def _tell_channel_health(self, channel: str, detail: str | None) -> None:
        if self.on_channel_health is None:
            return
        try:
            await self.on_channel_health(channel, detail)
        except Exception:  # the self-alert could not be raised: say so loudly, keep delivering the rest
            log.exception("notify.channel_health_hook_failed", channel=channel)

    async def _gave_up(self, row: Row, reason: DeliveryReason) -> None:
        """Nothing is left to try for ``row``: if it is a page, tell the app (which raises
        ``health.delivery_failed``), unless it is itself about a failed delivery, so that a dead channel cannot
        feed a loop. A lost all-clear or digest is only logged (``notify.delivery_failed``) and counted."""
        if health.is_delivery_alert(row.intent):
            log.error("notify.delivery_alert_gave_up", key=row.key, channel=row.channel, reason=str(reason))
            return
        if self.on_give_up is None or row.intent.kind != NotificationKind.PAGE:
            return
        try:
            await self.on_give_up(row.intent, reason)
        except Exception:  # the alert could not be raised: say so loudly, keep delivering the rest
            log.exception("notify.give_up_hook_failed", key=row.key)

    async def _fall_back(self, row: Row, now: datetime) -> bool:
        """Hand ``row`` to its channel's fallback channel: once, and one hop (a fallback does not fall back).

        The fallback row has a key of its own (``fallback_key``), so it is not mistaken for a row of the same
        step on that channel. True when ``row`` has a fallback (added now or before)."""
        target = self.fallbacks.get(row.channel)
        if row.origin is not None or target is None or target not in self.channels:
            return False
        if await self.outbox.has_fallback(row.key):
            return True
        intent = dataclasses.replace(row.intent, channel=target)
        ch = self.channels[target]
        address = (intent.recipient.phone or "") if ch.is_sms else ""
        if await self.outbox.add(intent, address, now, origin=row.key):
            OUTBOX_BACKLOG.inc()
            log.warning("notify.fell_back", key=row.key, channel=row.channel, fallback=target)
        self._wake.set()
        return True

    async def _update_backlog(self) -> None:
        OUTBOX_BACKLOG.set(await self.outbox.backlog())

    # -- worker ----------------------------------------------------------------
    async def _work(self) -> None:
        while not self._stopping:
            self._wake.clear()
            try:
                await self._dispatch(self.clock.now())
                nxt = await self._next_wake()
            except StoreUnavailable:  # the store is away (it logged so once): try again in a second
                nxt = self.clock.now().timestamp() + 1.0
            except Exception:  # the store hiccuped: log, wait, try again; never die silently
                log.exception("notify.worker_failed")
                nxt = self.clock.now().timestamp() + 1.0
            await self._wait(nxt)

    async def _next_wake(self) -> float | None:
        """The next row due to this notifier, or a blocked channel's breaker turning half-open (a probe's end
        wakes the worker by itself)."""
        now = self.clock.now()
        blocked = self._blocked(now)
        times = [self.breakers[c].retry_at(now).timestamp() for c in blocked if self.breakers[c].state(now) == "open"]
        nxt = await self.outbox.next_due(blocked)
        if nxt is not None:
            times.append(nxt)
        return min(times, default=None)

    async def _sleep_until(self, due: float) -> None:
        while (left := due - self.clock.now().timestamp()) > 0:
            await self.clock.sleep(left)

    async def _wait(self, due: float | None) -> None:
        waits: list[asyncio.Task[object]] = [asyncio.create_task(self._wake.wait())]
        if due is not None:
            delay = due - self.clock.now().timestamp()
            if delay <= 0:
                waits[0].cancel()
                await asyncio.gather(waits[0], return_exceptions=True)
                await asyncio.sleep(0)
                return
            waits.append(asyncio.create_task(self._sleep_until(due)))
        try:
            await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for w in waits:
                w.cancel()
            await asyncio.gather(*waits, return_exceptions=True)

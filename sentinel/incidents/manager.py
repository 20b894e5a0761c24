"""``IncidentManager``: alerts in, incidents and notification intents out.

Firing alerts group into one open incident per (page, category, group key);
the incident follows the escalation plan snapshotted when it opened.
Every change is written to the store (state and timeline, in one
transaction) before the call returns, and ``tick`` returns each intent once:
a restart resumes the path where it was. Incident numbers come from the store
(``IncidentStore.next_seq``), never from memory.

A shared store (PostgreSQL: several replicas) changes three things. The
manager keeps in memory, and escalates, only the incidents of the pages it
``owns`` (its page leases; ``adopt``/``release`` as they move). Every change
reads the incident back from the store, locked, in the transaction that
writes it: an acknowledgement made through another replica is what the owner
acts on at its next step, never a copy from before it. And a timer's step is
``fence``d: written only while this replica still holds the page's lease.
"""

from __future__ import annotations

import heapq
import json
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import fields
from datetime import datetime, timedelta
from typing import Any

import structlog

from sentinel import faults, metrics
from sentinel.config.schema import PageConfig
from sentinel.escalation.config import OnCallConfig
from sentinel.escalation.routing import route, step_targets
from sentinel.incidents import escalate
from sentinel.incidents.escalate import Context, Effects
from sentinel.incidents.people import People
from sentinel.incidents.shared import Shared
from sentinel.incidents.state import AlertRef, Incident, IncidentState, IncidentStatus
from sentinel.incidents.store import IncidentStore
from sentinel.model import LANGUAGES, AlertStatus, AlertTransition, Category, NotificationIntent, NotificationKind
from sentinel.staffed import StaffedHours
from sentinel.store import Database

log = structlog.get_logger("sentinel.incidents")

MAX_ACTS_PER_TICK = 1_000  # timer actions in one live ``tick`` (with ``catch_up``; replay runs every one)

IntentSink = Callable[[Sequence[NotificationIntent]], Awaitable[None]]
Fence = Callable[[Sequence[str]], Awaitable[None]]


class IncidentManager(Shared, People):
    def __init__(
        self,
        db: Database,
        config: Any,
        page_config: Callable[[str], PageConfig | None],
        *,
        sink: IntentSink | None = None,
        metrics: bool = True,
        catch_up: timedelta | None = None,
        owns: Callable[[str], bool] | None = None,
        fence: Fence | None = None,
    ) -> None:
        """``config`` is an ``OnCallConfig`` or the root ``Config``; ``sink``, if given, receives each batch of
        intents inside the transaction that records them (an outbox on the same store makes both atomic).
        ``metrics=False``: no incident gauges (replay serves no /metrics; they walk every open incident).
        ``catch_up``: a timer found more than this late (a clock jump, a suspended host, a long stop) is run once
        at the present time instead of at its own, so the path goes on from now rather than sending every step
        it missed. Replay leaves it unset: on the simulated clock no timer is late."""
        self._metrics = metrics
        self._catch_up = catch_up
        self._store = IncidentStore(db)
        self._db = db
        self._cfg = OnCallConfig.of(config)
        self._page_config = page_config
        self._configured = _page_ids(config)
        self._sink = sink
        # called after a step that paged nobody is recorded: the daemon raises ``health.nobody_paged`` with it
        self.on_unreached: Callable[[IncidentState], Awaitable[None]] | None = None
        self._active: dict[str, IncidentState] = {}
        self._by_group: dict[tuple[str, str, str], str] = {}
        self._shared = db.dialect == "postgres"  # other replicas may change incidents: read them back
        self._owns = owns or (lambda page: True)
        self._fence = fence
        self._open_rows: dict[str, str] = {}  # shared: every open incident's stored state, for the views
        # each incident's next timer (``escalate.due``), kept as it changes (``_moved``), and a heap of them by
        # (instant, seq): an entry whose due is no longer the incident's is stale and dropped when it comes up
        self._dues: dict[str, datetime] = {}
        self._due_heap: list[tuple[float, int, str, datetime]] = []
        self._oldest: dict[tuple[str, str], float] = {}  # (page, severity) -> what the gauge was last set to
        # each incident in memory as it was last committed (its state's JSON): a change that fails to commit is
        # undone from it (``_undo``)
        self._committed: dict[str, str] = {}

    # -- lifecycle ------------------------------------------------------------

    async def start(self) -> None:
        await self._store.migrate()
        for st in await self._store.load_active():
            if self._owns(st.page):
                self._hold(st)
        log.info("incidents.restored", open=len(self._active))
        self._gauge()

    def reload(self, config: Any) -> None:
        """New config for new incidents and for who is on call; open incidents keep their plan."""
        self._cfg = OnCallConfig.of(config)
        self._configured = _page_ids(config)

    # -- alerts in ------------------------------------------------------------

    async def on_alert(self, t: AlertTransition, now: datetime) -> str | None:
        async with self._tx():
            return await self._on_alert(t, now)

    async def _on_alert(self, t: AlertTransition, now: datetime) -> str | None:
        key = (t.page, str(t.category), t.group_key)
        inc_id = self._by_group.get(key)
        if self._shared:  # another replica may have opened, resolved or changed it: the store says
            found = await self._store.find_open(t.page, str(t.category), t.group_key, lock=True)
            if inc_id is not None and (found is None or found.id != inc_id):
                self._drop(self._active[inc_id])
            inc_id = None if found is None else found.id
            if found is not None:
                self._hold(found)
        fx = Effects()
        if inc_id is None:
            if t.status == AlertStatus.RESOLVED:
                return None
            st = self._open(t, now, fx, await self._store.next_seq())
            new = True
        else:
            st = self._active[inc_id]
            new = False
            prev = st.alerts.get(t.fingerprint)
            if (
                prev is not None
                and t.status in (AlertStatus.FIRING, AlertStatus.RESOLVED)
                and prev.status == t.status
                and prev.severity == t.severity
            ):
                # applied already: a batch replayed after a crash (``sentinel.pipeline.worker``) changes nothing
                return st.id
        ctx = self._ctx(st, now)
        self._apply(st, t, ctx, fx, new=new)
        await self._save(st, fx, new=new, fence=[st.page] if self._owns(st.page) else ())
        if not self._owns(st.page):  # a replica's own health alert on a page another owns: the owner escalates
            self._drop(st)
        return st.id

    def _open(self, t: AlertTransition, now: datetime, fx: Effects, seq: int) -> IncidentState:
        st = IncidentState(
            id=f"inc-{seq:06d}",
            seq=seq,
            page=t.page,
            category=t.category,
            group_key=t.group_key,
            opened_at=now,
            severity=t.severity,
            summary=t.summary,
            summaries=dict(t.summaries),
            plan=route(self._cfg, t.category, t.severity, t.page),
        )
        self._active[st.id] = st
        self._by_group[(t.page, str(t.category), t.group_key)] = st.id
        fx.log(
            now,
            "opened",
            category=str(t.category),
            severity=str(t.severity),
            policy=st.plan.policy.name if st.plan else None,
        )
        log.info(
            "incidents.opened",
            incident=st.id,
            page=t.page,
            category=str(t.category),
            severity=str(t.severity),
            policy=st.plan.policy.name if st.plan else None,
        )
        return st

    def _apply(self, st: IncidentState, t: AlertTransition, ctx: Context, fx: Effects, *, new: bool) -> None:
        now = ctx.now
        prev = st.alerts.get(t.fingerprint)
        was_silenced = st.silenced
        seen = {a.key for a in st.alerts.values() if a.key}  # the accounts its alerts named so far
        key = str(t.labels.get("key", ""))
        st.alerts[t.fingerprint] = AlertRef(t.rule, t.severity, str(t.status), t.summary, dict(t.summaries), key)
        detail: dict[str, Any] = {"rule": t.rule, "severity": str(t.severity), "summary": t.summary}
        if t.reason:
            detail["reason"] = t.reason
        fx.log(now, f"alert_{t.status}", **detail)
        if t.status == AlertStatus.SUPPRESSED:
            ended = st.alerts_ended_at is not None and not self._stays_up(st)  # open only to be told (``_untold``)
            if (not st.started or ended) and not any(a.status == AlertStatus.FIRING for a in st.alerts.values()):
                # only suppressed alerts: nobody is paged, and their end is never reported (only a notified
                # alert's is), so the incident goes on the record resolved instead of staying open for ever
                self._resolve(st, now, None, fx)
            return
        if t.status == AlertStatus.RESOLVED:
            if not any(a.status == AlertStatus.FIRING for a in st.alerts.values()):  # a suppressed one never ends
                if not was_silenced and (self._stays_up(st) or self._untold(st)):
                    st.alerts_ended_at = now
                    fx.log(now, "alerts_ended", stays="until acknowledged" if self._stays_up(st) else "until told")
                    return
                self._resolve(st, now, None, fx)
            return
        # firing
        st.alerts_ended_at = None
        rising = t.severity > st.severity
        if rising:
            st.severity = t.severity
            st.summary = t.summary
            st.summaries = dict(t.summaries)
        if not st.started:
            escalate.start(st, now, ctx, fx, first=True)
            self._join_digest(st)
            return
        if rising:
            self._reroute(st, ctx, fx)
            return
        if was_silenced and st.status == IncidentStatus.TRIGGERED:
            fx.log(now, "unsilenced")
        # an alert no route would tell anyone about on its own (an info one, on most configs) joins the incident's
        # record but is no news to page about: it would page people with what they chose not to be paged for
        told = route(self._cfg, st.category, t.severity, st.page) is not None
        if prev is None and told:
            st.news.append(t.fingerprint)  # what the next update leads with (``escalate.act``, ``tell_acknowledger``)
        if st.status == IncidentStatus.ACKNOWLEDGED:
            if prev is None and told:
                self._news_after_ack(st, t.fingerprint, key, seen, ctx, fx)
            return
        joined = prev is None or prev.status != AlertStatus.FIRING
        if (
            joined
            and st.status == IncidentStatus.TRIGGERED
            and st.plan is not None
            and not st.digest
            and st.last_page_at is not None
            and st.update_due is None
            and told
        ):
            st.update_due = max(now, st.last_page_at + st.plan.group_interval)

    @staticmethod
    def _news_after_ack(st: IncidentState, fp: str, key: str, seen: set[str], ctx: Context, fx: Effects) -> None:
        """A new alert (``fp``, a fingerprint ``st`` never held, one its route tells people about) joined ``st`` after a
        person acknowledged it: they acknowledged what they had been told, not this. A hijack alert naming an account
        none of its alerts named (a second new admin, an owner removed) is a new intrusion: paging starts again, as
        for a severity rising, and the incident's summary becomes that alert's ("Reopened, new account: ..."), so
        that every page of the new path leads with it, not with what was acknowledged. Any other is an update to
        whoever acknowledged it, at most one per ``group_interval`` since their last notification, led by what is
        new (``escalate.tell_acknowledger``). An alert already held, firing again, is neither."""
        now = ctx.now
        alert = st.alerts[fp]
        if st.category == Category.HIJACK and key and key not in seen:
            fx.log(now, "reopened", rule=alert.rule, why="a hijack alert about an account new to the incident")
            log.warning("incidents.reopened", incident=st.id, rule=alert.rule, acked_by=st.acked_by)
            st.summary, st.summaries = escalate.lead(escalate.REOPENED, [alert], ctx)
            escalate.retrigger(st, now, ctx, fx)
            return
        if st.plan is not None and st.update_due is None and not st.digest:
            last = st.last_page_at or now
            st.update_due = max(now, last + st.plan.group_interval)

    @staticmethod
    def _stays_up(st: IncidentState) -> bool:
        """A hijack that has paged someone and that nobody acknowledged does not end by itself when its alerts
        do: a hijacker who waits for the signals to age out must not get an all-clear sent. A person takes it
        down (acknowledge, then it resolves; or resolve), with a code where the API asks for one. (A silence is
        such a person's decision already: a silenced one ends with its alerts.)"""
        return st.category == Category.HIJACK and st.status == IncidentStatus.TRIGGERED and bool(st.paged)

    @staticmethod
    def _untold(st: IncidentState) -> bool:
        """Its route promised to tell someone and no step has gone out yet: it is held until staffed hours, or in
        its ``group_wait``. Such an incident does not end with its alerts: it stays open until that first step's
        time (``_act``), or a person ends it. (A digest-routed one needs no stay: a resolved incident still goes
        out with its digest.)"""
        return (
            st.status == IncidentStatus.TRIGGERED
            and st.started
            and st.round == 0
            and st.next_step_at is not None
            and not st.digest
            and not st.silenced  # a silenced or inhibited alert is still active: no step goes out while it is
        )

    def _join_digest(self, st: IncidentState) -> None:
        """A digest-routed incident goes out with the digest already waiting on its page and route."""
        if st.digest_due is None or st.plan is None:
            return
        waiting = [
            o.digest_due
            for o in self._active.values()
            if o is not st
            and o.digest_due is not None
            and o.page == st.page
            and o.plan is not None
            and o.plan.route_index == st.plan.route_index
        ]
        if waiting:
            st.digest_due = min(waiting)

    def _reroute(self, st: IncidentState, ctx: Context, fx: Effects) -> None:
        """Severity rose: route again; a new policy, an acknowledged or a held incident starts its path now."""
        plan = route(self._cfg, st.category, st.severity, st.page)
        changed = plan is not None and (st.plan is None or plan.to_json() != st.plan.to_json())
        if changed:
            st.plan = plan
            fx.log(ctx.now, "rerouted", severity=str(st.severity), policy=plan.policy.name if plan else None)
        if st.status == IncidentStatus.ACKNOWLEDGED:
            escalate.retrigger(st, ctx.now, ctx, fx)
        elif changed or (st.held_until is not None and st.held_until > ctx.now):
            escalate.start(st, ctx.now, ctx, fx, first=False)

    def _resolve(
        self, st: IncidentState, now: datetime, by: str | None, fx: Effects, *, all_clear: bool = True
    ) -> None:
        """``all_clear=False``: those paged were told already that it ended (``escalate.tell_ended``)."""
        st.status = IncidentStatus.RESOLVED
        st.resolved_at, st.resolved_by = now, by
        st.next_step_at = st.update_due = st.ack_deadline = st.snoozed_until = None
        st.all_clear_due = all_clear and bool(st.paged)
        st.closed = not st.all_clear_due and st.digest_due is None
        self._by_group.pop((st.page, str(st.category), st.group_key), None)
        fx.log(now, "resolved", by=by or "auto")
        log.info("incidents.resolved", incident=st.id, by=by or "auto")

    # -- time -------------------------------------------------------------------

    def next_due(self) -> datetime | None:
        """The earliest escalation timer (the pipeline asks before every event)."""
        heap, dues = self._due_heap, self._dues
        while heap and dues.get(heap[0][2]) is not heap[0][3]:
            heapq.heappop(heap)
        return heap[0][3] if heap else None

    def _moved(self, st: IncidentState) -> None:
        """``st`` changed, and with it maybe its next timer: every change to an incident comes through here."""
        due = escalate.due(st) if st.id in self._active else None
        if due is None:
            self._dues.pop(st.id, None)
        elif self._dues.get(st.id) != due:
            self._dues[st.id] = due
            heapq.heappush(self._due_heap, (due.timestamp(), st.seq, st.id, due))

    async def tick(self, now: datetime) -> list[NotificationIntent]:
        out: list[NotificationIntent] = []
        acts = 0
        while (at := self.next_due()) is not None and at <= now:  # the earliest first; of equal ones, the oldest
            acts += 1
            if self._catch_up is not None and acts > MAX_ACTS_PER_TICK:  # live: the rest waits for the next tick
                log.warning("incidents.tick_bounded", acts=MAX_ACTS_PER_TICK)
                break
            st = self._active[self._due_heap[0][2]]
            if self._shared:
                out += await self._shared_step(st, at, now)
                continue
            fx = Effects()
            ctx = self._ctx(st, now)
            if self._catch_up is not None and now - at > self._catch_up:
                fx.log(now, "late_timer", due=at.isoformat())
                log.warning("incidents.late_timer", incident=st.id, due=at.isoformat(), now=now.isoformat())
                at = now
            if st.digest_due is not None and st.digest_due <= at:
                out += await self._digest(st, at, ctx)
                continue
            self._act(st, at, ctx, fx)
            await self._save(st, fx)
            out += fx.intents
        return out

    def _act(self, st: IncidentState, at: datetime, ctx: Context, fx: Effects) -> None:
        """The timer of ``st`` due at ``at``. One whose alerts all ended before anyone was told (``_untold``) is
        told now, at the time its route promised: a hijack pages as its route says, and then stays up as any paged
        hijack does (``_stays_up``); any other is told once that it fired and ended, and resolves."""
        if st.alerts_ended_at is None or st.category == Category.HIJACK or not self._untold(st):
            escalate.act(st, at, ctx, fx)
            return
        escalate.tell_ended(st, at, ctx, fx)
        self._resolve(st, ctx.now, None, fx, all_clear=False)

    async def _shared_step(self, held: IncidentState, at: datetime, now: datetime) -> list[NotificationIntent]:
        """A timer on a shared store: the incident read back, locked, and acted on only if what is stored is due
        (an acknowledgement through another replica removed the step), fenced by the page's lease."""
        async with self._db.transaction():
            st = await self._store.get(held.id, lock=True)
            if st is None or st.closed or (due := escalate.due(st)) is None or due > at:
                self._drop(held)
                if st is not None and not st.closed:
                    self._hold(st)
                return []
            self._active[st.id] = st
            self._committed[st.id] = json.dumps(st.to_json())
            fx = Effects()
            ctx = self._ctx(st, now)
            if self._catch_up is not None and now - at > self._catch_up:
                fx.log(now, "late_timer", due=at.isoformat())
                at = now
            if st.digest_due is not None and st.digest_due <= at:
                return await self._digest(st, at, ctx)
            self._act(st, at, ctx, fx)
            await self._save(st, fx, fence=[st.page])
        return fx.intents

    async def _digest(self, first: IncidentState, at: datetime, ctx: Context) -> list[NotificationIntent]:
        """Send one digest of every incident waiting in ``first``'s digest bucket (same page and route)."""
        assert first.plan is not None
        batch = sorted(
            (
                st
                for st in self._active.values()
                if st.digest_due is not None
                and st.digest_due <= at
                and st.page == first.page
                and st.plan is not None
                and st.plan.route_index == first.plan.route_index
            ),
            key=lambda s: s.seq,
        )
        first.round += 1
        targets, _ = step_targets(self._cfg, first.plan.policy.steps[0], at)
        evidence = tuple(f"{s.id}: {s.summary}" for s in batch)
        texts = {lang: tuple(f"{s.id}: {s.summaries.get(lang, s.summary)}" for s in batch) for lang in LANGUAGES}
        effects = {st.id: Effects() for st in batch}
        escalate.send(first, targets, NotificationKind.DIGEST, ctx, effects[first.id], evidence, texts)
        intents = effects[first.id].intents
        written = {}
        try:
            async with self._db.transaction():
                for st in batch:
                    st.digest_due = None
                    if st.status == IncidentStatus.RESOLVED:
                        st.closed = not st.all_clear_due
                    effects[st.id].log(ctx.now, "digested", digest=first.id, step=first.round)
                    written[st.id] = await self._store.save(st, effects[st.id].timeline)
                if self._sink is not None and intents:
                    await self._sink(intents)
        except BaseException:
            for st in batch:
                self._undo(st, new=False)
            raise
        self._committed.update(written)
        for st in batch:
            if st.closed:
                self._active.pop(st.id, None)
                self._store.forget(st.id)
                self._committed.pop(st.id, None)
            self._moved(st)
        log.info("incidents.digest_sent", page=first.page, incidents=len(batch), notifications=len(intents))
        return intents

    # -- views ----------------------------------------------------------------------

    async def get(self, incident_id: str) -> Incident | None:
        if self._shared:  # whichever replica holds it, the store has it as it is now
            st = await self._store.get(incident_id)
            if st is not None and st.status != IncidentStatus.RESOLVED and not st.closed:
                self._open_rows[st.id] = json.dumps(st.to_json())
        else:
            st = self._active.get(incident_id) or await self._store.get(incident_id)
        return None if st is None else await self._view(st)

    async def list_open(self) -> list[Incident]:
        held = await self._store.load_active() if self._shared else self._active.values()
        return [
            await self._view(st) for st in sorted(held, key=lambda s: s.seq) if st.status != IncidentStatus.RESOLVED
        ]

    async def _view(self, st: IncidentState) -> Incident:
        return Incident.of(st, await self._store.timeline(st.id))

    # -- helpers ----------------------------------------------------------------------

    def _ctx(self, st: IncidentState, now: datetime) -> Context:
        try:
            page = self._page_config(st.page)
        except (KeyError, LookupError):
            page = None
        staffed = page.staffed if page is not None else StaffedHours.always_staffed()
        name = page.display_name if page is not None else st.page
        lang = (page.language if page is not None else None) or "en"
        return Context(cfg=self._cfg, staffed=staffed, page_name=name, now=now, language=lang)

    async def _save(self, st: IncidentState, fx: Effects, *, new: bool = False, fence: Sequence[str] = ()) -> None:
        try:
            async with self._db.transaction():
                if fence and self._fence is not None:
                    await self._fence(fence)  # this replica still owns the page, till the commit
                text = await self._store.save(st, fx.timeline, new=new, shared=self._shared)
                if self._sink is not None and fx.intents:
                    await self._sink(fx.intents)
                faults.point("incident.before_commit")
        except BaseException:
            self._undo(st, new=new)
            raise
        faults.point("incident.after_commit")
        self._committed[st.id] = text
        if st.closed:
            self._active.pop(st.id, None)
            self._store.forget(st.id)
            self._committed.pop(st.id, None)
        self._moved(st)  # every change to an incident is saved: its timers may have moved
        if any(e.kind == "reached_nobody" for e in fx.timeline):
            await self._reached_nobody(st)
        for i in fx.intents:
            log.info(
                "incidents.notification_due",
                incident=i.incident,
                step=i.step,
                to=i.to,
                channel=i.channel,
                kind=str(i.kind),
            )
        self._gauge()

    def _undo(self, st: IncidentState, *, new: bool) -> None:
        """A change to ``st`` that was not committed (a store error) leaves no trace: the incident in memory is again
        as committed, in place, and a new one is forgotten; so the alert or timer that made the change, run again,
        makes it again (``sentinel.pipeline.worker`` runs a failed batch again)."""
        self._store.forget(st.id)  # its timeline's length is read from the store next time
        text = None if new else self._committed.get(st.id)
        if text is None:
            self._drop(st)
            return
        stored = IncidentState.from_json(json.loads(text))
        for f in fields(IncidentState):
            setattr(st, f.name, getattr(stored, f.name))
        self._hold(st)

    async def _reached_nobody(self, st: IncidentState) -> None:
        """A step of ``st`` paged nobody (its schedule has nobody on call now, or its people no channel): never
        silent. A warning, a count, and the daemon's ``on_unreached`` (a health alert routed to someone else)."""
        log.warning(
            "incidents.step_reached_nobody", incident=st.id, page=st.page, severity=str(st.severity), step=st.round
        )
        if self._metrics:
            metrics.ESCALATION_UNREACHED.labels(severity=str(st.severity)).inc()
        if self.on_unreached is not None:
            await self.on_unreached(st)

    def _gauge(self) -> None:
        if not self._metrics:
            return
        counts = {s: 0 for s in IncidentStatus}
        for st in self._active.values():
            counts[st.status] += 1
        for s, n in counts.items():
            metrics.INCIDENTS.labels(state=str(s)).set(n)
        oldest: dict[tuple[str, str], float] = {}
        for st in self._active.values():
            if st.status == IncidentStatus.TRIGGERED:
                page = st.page if self._configured is None else metrics.page_label(st.page, self._configured)
                key = (page, str(st.severity))
                oldest[key] = min(oldest.get(key, st.opened_at.timestamp()), st.opened_at.timestamp())
        for page, severity in self._oldest.keys() - oldest.keys():  # nothing triggered left: the series goes
            metrics.INCIDENT_OLDEST_UNACKNOWLEDGED.remove(page, severity)
        for (page, severity), t in oldest.items():
            if self._oldest.get((page, severity)) != t:  # only what changed: this runs on every save
                metrics.INCIDENT_OLDEST_UNACKNOWLEDGED.labels(page=page, severity=severity).set(t)
        self._oldest = oldest


def _page_ids(config: Any) -> frozenset[str] | None:
    """The configured page ids of a root ``Config`` (the gauges' ``page`` label takes no other); None for an
    ``OnCallConfig`` alone, which names no pages: every page is labelled as it is."""
    pages = getattr(config, "pages", None)
    return None if pages is None else frozenset(p.id for p in pages)

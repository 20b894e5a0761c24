"""The pipeline stage between the store and the people: rules → incidents → notifications.

One ``Pipeline`` serves the daemon and replay alike; only the ``Output``
differs (the daemon records and notifies, replay prints JSON lines). Time is
always passed in: ``process(event, now)`` first runs every timer that fell
due before ``now`` (``for:`` durations, SLA deadlines, escalation steps), in
time order, so a replay gives the same decisions as the live daemon.

Two clocks, one of them optional. ``now`` is event time: where the rules place
an event and judge their windows (in replay, the latest event time so far; in
the daemon, the watermark of ``sentinel.pipeline.eventtime``). ``wall``, given by the
daemon only, is when Sentinel decides: incidents open, escalate and page on
it, so a late or future-dated event can neither skip nor replay a person's
escalation path, and an alert's ``time`` is when it was decided. Without
``wall`` (replay) incidents and alerts run on event time.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Protocol

from sentinel.model import AlertStatus, AlertTransition, Event, NotificationIntent
from sentinel.pipeline.outputs import Output

_MAX_TIMER_STEPS = 100_000  # per call; a guard against a timer that never moves forward


class Engine(Protocol):
    def process(self, event: Event, now: datetime) -> list[AlertTransition]: ...
    def advance(self, now: datetime) -> list[AlertTransition]: ...
    def next_due(self) -> datetime | None: ...


class Incidents(Protocol):
    async def on_alert(self, t: AlertTransition, now: datetime) -> str | None: ...
    async def tick(self, now: datetime) -> list[NotificationIntent]: ...
    def next_due(self) -> datetime | None: ...


class Pipeline:
    def __init__(self, engine: Engine, incidents: Incidents | None, output: Output) -> None:
        self.engine = engine
        self.incidents = incidents
        self.output = output
        self.alerts = 0
        self.notifications = 0

    async def process(self, event: Event, now: datetime, wall: datetime | None = None) -> None:
        decided = now if wall is None else wall
        e_due = self.engine.next_due()
        i_due = self.incidents.next_due() if self.incidents else None
        if (e_due is not None and e_due <= now) or (i_due is not None and i_due <= decided):
            await self.advance(now, wall)
        # the engine times its own evaluation into RULE_EVALUATION_SECONDS (timing it here too counted it twice)
        transitions = self.engine.process(event, now)
        for t in transitions:
            await self._alert(t if wall is None else replace(t, time=wall), decided)
        if transitions:
            await self._tick_incidents(decided)

    async def advance(self, now: datetime, wall: datetime | None = None) -> None:
        """Run every timer due at or before ``now`` (the rules') and ``wall`` (the incidents'), earliest first.

        Each rule timer runs at its own due time, never at ``now``: a detector asked at a later instant can see a
        different state (a count decayed under its gate), and the daemon, whose watermark jumps over a late
        batch, must decide as replay does. With ``wall`` the incidents tick once, on the wall clock."""
        for _ in range(_MAX_TIMER_STEPS):
            e_due = self.engine.next_due()
            i_due = self.incidents.next_due() if self.incidents and wall is None else None
            due = min((d for d in (e_due, i_due) if d is not None), default=None)
            if due is None or due > now:
                break
            if e_due is not None and e_due <= due:
                for t in self.engine.advance(due):
                    if wall is None:
                        await self._alert(t, due)
                    else:
                        await self._alert(replace(t, time=wall), wall)
            if wall is None:
                await self._tick_incidents(due)
            moved = self.engine.next_due() != e_due or (
                wall is None and (self.incidents.next_due() if self.incidents else None) != i_due
            )
            if not moved:
                break  # the stages will be asked again at the next event or tick
        if wall is not None:
            await self._tick_incidents(wall)

    async def _alert(self, t: AlertTransition, now: datetime) -> None:
        incident = await self.incidents.on_alert(t, now) if self.incidents else None
        if t.status == AlertStatus.FIRING:
            self.alerts += 1
        await self.output.alert(t, incident)

    async def _tick_incidents(self, now: datetime) -> None:
        if self.incidents is None:
            return
        due = self.incidents.next_due()
        if due is None or due > now:
            return
        for intent in await self.incidents.tick(now):
            self.notifications += 1
            await self.output.notification(intent)

    async def raise_alert(self, t: AlertTransition, now: datetime) -> None:
        """An alert from outside the rules (e.g. a TOTP lockout): into incidents and notification as any other."""
        await self._alert(t, now)
        await self._tick_incidents(now)

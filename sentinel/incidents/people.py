"""What people do to an incident: acknowledge, resolve, snooze, take over; and who it is routed to.

A mixin of ``IncidentManager`` (it is the manager's state these change). With a shared store (several replicas
on PostgreSQL) a person may act through any replica, whichever owns the incident's page: the incident is read
from the store, locked, in the transaction that writes the change (``IncidentManager._current``), so the
change applies to what the store holds, and the owner reads it back before its next step.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from datetime import datetime

import structlog

from sentinel.escalation.config import OnCallConfig
from sentinel.incidents import escalate
from sentinel.incidents.escalate import Context, Effects
from sentinel.incidents.state import Incident, IncidentError, IncidentState, IncidentStatus
from sentinel.model import LANGUAGES, AlertStatus, NotificationKind

log = structlog.get_logger("sentinel.incidents")

# what a take-over notice says, per language (``model.LANGUAGES``): the evidence line and the summary's prefix
TOOK_OVER = {"en": "{by} took {id} over", "sv": "{by} tog över {id}"}
TAKEN_OVER = {"en": "Taken over by {by}: ", "sv": "Övertagen av {by}: "}


class People:
    _cfg: OnCallConfig
    _active: dict[str, IncidentState]

    def _tx(self) -> AbstractAsyncContextManager[None]:
        raise NotImplementedError

    async def _current(self, incident_id: str) -> IncidentState:
        raise NotImplementedError

    def _known(self, incident_id: str) -> IncidentState | None:
        raise NotImplementedError

    async def _save(self, st: IncidentState, fx: Effects, *, new: bool = False, fence: Sequence[str] = ()) -> None:
        raise NotImplementedError

    async def _view(self, st: IncidentState) -> Incident:
        raise NotImplementedError

    def _ctx(self, st: IncidentState, now: datetime) -> Context:
        raise NotImplementedError

    def _resolve(self, st: IncidentState, now: datetime, by: str | None, fx: Effects) -> None:
        raise NotImplementedError

    async def acknowledge(self, incident_id: str, by: str, now: datetime) -> Incident:
        async with self._tx():
            st = await self._current(incident_id)
            fx = Effects()
            if st.status == IncidentStatus.TRIGGERED:
                st.status = IncidentStatus.ACKNOWLEDGED
                st.acked_at, st.acked_by = now, by
                timeout = st.plan.policy.ack_timeout if st.plan else None
                st.ack_deadline = now + timeout if timeout else None
                st.update_due = None
                fx.log(now, "acknowledged", by=by)
                log.info("incidents.acknowledged", incident=st.id, by=by)
                if st.alerts and all(a.status == AlertStatus.RESOLVED for a in st.alerts.values()):
                    self._resolve(st, now, None, fx)  # it stayed up for a person only (``_stays_up``): now it ends
            await self._save(st, fx)
        return await self._view(st)

    async def resolve(self, incident_id: str, by: str, now: datetime) -> Incident:
        async with self._tx():
            st = await self._current(incident_id)
            fx = Effects()
            self._resolve(st, now, by, fx)
            await self._save(st, fx)
        return await self._view(st)

    async def snooze(self, incident_id: str, until: datetime, by: str, now: datetime) -> Incident:
        async with self._tx():
            st = await self._current(incident_id)
            if until <= now:
                raise IncidentError("a snooze must end in the future")
            fx = Effects()
            st.status = IncidentStatus.ACKNOWLEDGED
            st.acked_at, st.acked_by = st.acked_at or now, by
            st.snoozed_until, st.ack_deadline, st.update_due = until, None, None
            fx.log(now, "snoozed", by=by, until=until.isoformat())
            log.info("incidents.snoozed", incident=st.id, by=by, until=until.isoformat())
            await self._save(st, fx)
        return await self._view(st)

    def routed_to(self, incident_id: str) -> frozenset[str] | None:
        """Who an open incident is routed to (None: no open incident by that id): everyone it paged, everyone
        who took it over, and everyone its plan's policy can reach at any step (a step's person, a team's
        members, anyone in a schedule's rotations or overrides), by today's teams and schedules."""
        st = self._known(incident_id)
        if st is None or st.status == IncidentStatus.RESOLVED:
            return None
        names = {tg.recipient.name for tg in st.paged} | set(st.taken_over_by)
        for step in st.plan.policy.steps if st.plan is not None else ():
            for tg in step.targets:
                if tg.schedule is not None and (sched := self._cfg.schedule(tg.schedule)) is not None:
                    names.update(u for layer in sched.layers for u in layer.users)
                    names.update(o.person for o in sched.overrides)
                elif tg.team is not None and (team := self._cfg.team(tg.team)) is not None:
                    names.update(team.members)
                elif tg.person is not None:
                    names.add(tg.person)
        return frozenset(names)

    async def take_over(self, incident_id: str, by: str, now: datetime, *, reason: str = "") -> Incident:
        """``by`` takes the incident over: from now on it is routed to them as well (``routed_to``); the people
        already paged are told, with a notification of its own kind, in the transaction that records it."""
        async with self._tx():
            st = await self._current(incident_id)
            fx = Effects()
            if by not in st.taken_over_by:
                st.taken_over_by.append(by)
            told = [tg for tg in st.paged if tg.recipient.name != by]
            fx.log(now, "taken_over", by=by, reason=reason, told=sorted({tg.recipient.name for tg in told}))
            if told:
                st.round += 1
                notes = {
                    lang: TOOK_OVER[lang].format(by=by, id=st.id) + (f": {reason}" if reason else "")
                    for lang in LANGUAGES
                }
                escalate.send(
                    st,
                    told,
                    NotificationKind.TAKEN_OVER,
                    self._ctx(st, now),
                    fx,
                    (notes["en"],),
                    {lang: (note,) for lang, note in notes.items()},
                )
                # the summary is what every channel shows, an SMS included: it says who took the incident over
                fx.intents[:] = [
                    dataclasses.replace(
                        i,
                        summary=TAKEN_OVER["en"].format(by=by) + i.summary,
                        summaries={
                            lang: TAKEN_OVER[lang].format(by=by) + i.summaries.get(lang, i.summary)
                            for lang in LANGUAGES
                        },
                    )
                    for i in fx.intents
                ]
            log.info("incidents.taken_over", incident=st.id, by=by, told=len(told))
            await self._save(st, fx)
        return await self._view(st)

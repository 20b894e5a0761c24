"""One place that decides whether an acknowledge/resolve/snooze may happen, for every channel
(HTTP API, signed-link page, SMS reply): a person's valid TOTP code may, on the incidents routed to them
(``IncidentManager.routed_to``: paged, in its policy's teams and schedules, or taken over); an operator
token may, except on hijack incidents. Anyone enrolled may take an incident over with their code: audited,
on the incident's timeline, and told to the people already paged."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

import structlog

from sentinel.incidents import Incident, IncidentError, IncidentManager, IncidentStatus
from sentinel.model import Category
from sentinel.security.roles import ConsoleAccess, Role
from sentinel.security.store import AuditEntry, SecurityStore
from sentinel.security.totp import Attempt, TotpGuard, Verdict

log = structlog.get_logger("sentinel.security")

TAKE_OVER = "take_over"  # the audit trail's action for a take-over


class Action(StrEnum):
    ACK = "ack"
    RESOLVE = "resolve"
    SNOOZE = "snooze"


class Authority(StrEnum):
    ROUTED = "routed"  # the incident is routed to the person: their code may act on it
    NOT_ROUTED = "not_routed"  # it is not: they must take it over first
    NO_INCIDENT = "no_incident"  # no open incident by that id (the caller says 404 or 409)


def authority(person: str, routed: frozenset[str] | None) -> Authority:
    """May ``person``'s code act on an incident routed to ``routed`` (None: no open incident)?"""
    if routed is None:
        return Authority.NO_INCIDENT
    return Authority.ROUTED if person in routed else Authority.NOT_ROUTED


def take_over_hint(person: str, incident: str) -> str:
    return (
        f"{incident} is not routed to {person} (not paged, not in its escalation policy): take it over first "
        f"with POST /api/v1/incidents/{incident}/take-over and your code"
    )


@dataclass(frozen=True, slots=True)
class Outcome:
    status: int  # as HTTP would say it: 200, 401, 403, 404, 409, 423
    message: str
    incident: Incident | None = None

    @property
    def ok(self) -> bool:
        return self.status == 200


_REFUSED = {
    Verdict.INVALID: (403, "wrong or expired code"),
    Verdict.REUSED: (403, "that code was already used"),
    Verdict.SUPERSEDED: (403, "a newer code has already been used: enter the next code your app shows"),
    Verdict.LOCKED: (423, "too many wrong codes: locked out for now"),
    Verdict.NOT_ENROLLED: (403, "wrong or expired code"),
    Verdict.NOT_IN_PEOPLE: (403, "wrong or expired code"),  # as for a name nobody enrolled under; audited as such
}


class IncidentActions:
    def __init__(
        self,
        incidents: IncidentManager,
        guard: TotpGuard,
        store: SecurityStore,
        access: Callable[[], ConsoleAccess] | None = None,
    ) -> None:
        """``access``: the running config's roles (``security.console``), read at every action: a person whose role
        may only read (``viewer``) may not act on an incident with their code, through the API or the console
        alike."""
        self.incidents = incidents
        self.guard = guard
        self.store = store
        self.access = access

    async def only_reads(
        self, person: str, subject: str, action: Any, now: datetime, source: str, remote: str
    ) -> Outcome | None:
        """A 403 for a ``person`` whose role may only read, about to act on ``subject`` (an incident, or ``silence``)
        with their code: refused before the code is checked (it stays unused), audited and logged."""
        role = self.access().role_of(person) if self.access is not None else Role.RESPONDER
        if role.may(Role.RESPONDER):
            return None
        await self._audit(now, person, source, remote, action, subject, f"refused_role_{role}")
        log.warning("security.role_refused", person=person, role=str(role), subject=subject, source=source)
        return Outcome(403, f"{person} has the {role} role (security.console.roles): it may only read")

    async def act(
        self,
        incident_id: str,
        action: Action,
        now: datetime,
        *,
        source: str,
        remote: str,
        person: str | None = None,
        code: str | None = None,
        operator: str | None = None,
        until: datetime | None = None,
    ) -> Outcome:
        if code is not None and person:
            routed, missing = await self._routed(incident_id)
            if missing is not None:
                # no open incident by that id: refused before the code is looked at, so a made-up id cannot be used
                # to spend someone's wrong-code budget (five of them locked the person out of every incident)
                log.info("security.no_incident_refused", person=person, incident=incident_id, source=source)
                return missing
            if (refused := await self.only_reads(person, incident_id, action, now, source, remote)) is not None:
                return refused
            if authority(person, routed) == Authority.NOT_ROUTED:
                # refused before the code is checked: it stays unused for the take-over
                await self._audit(now, person, source, remote, action, incident_id, str(Authority.NOT_ROUTED))
                log.warning(
                    "security.not_routed_refused",
                    person=person,
                    incident=incident_id,
                    source=source,
                    remote=remote,
                    action=str(action),
                )
                return Outcome(403, take_over_hint(person, incident_id))
            verdict = await self.guard.verify(code, Attempt(person, source, remote, str(action), incident_id), now)
            if verdict != Verdict.OK:
                status, msg = _REFUSED[verdict]
                return Outcome(status, msg)
            by = person
        elif operator is not None:
            inc = await self.incidents.get(incident_id)
            if inc is not None and inc.category == Category.HIJACK:
                await self._audit(
                    now, f"operator:{operator}", source, remote, action, incident_id, "refused_hijack_needs_code"
                )
                return Outcome(403, "a hijack incident needs a person's TOTP code")
            by = f"operator:{operator}"
            await self._audit(now, by, source, remote, action, incident_id, "token")
        else:
            return Outcome(401, "give a person and their TOTP code, or an operator token")
        return await self._perform(incident_id, action, by, now, until)

    async def take_over(
        self, incident_id: str, now: datetime, *, source: str, remote: str, person: str, code: str, reason: str = ""
    ) -> Outcome:
        """``person`` (anyone enrolled whose role may act, with a valid code) takes an open incident over."""
        routed, missing = await self._routed(incident_id)
        if missing is not None:
            return missing
        if authority(person, routed) == Authority.ROUTED:
            return Outcome(409, f"{incident_id} is already routed to {person}: acknowledge it with your code")
        if (refused := await self.only_reads(person, incident_id, TAKE_OVER, now, source, remote)) is not None:
            return refused
        verdict = await self.guard.verify(code, Attempt(person, source, remote, TAKE_OVER, incident_id), now)
        if verdict != Verdict.OK:
            status, msg = _REFUSED[verdict]
            return Outcome(status, msg)
        try:
            inc = await self.incidents.take_over(incident_id, person, now, reason=reason)
        except IncidentError as e:
            return Outcome(409, str(e))
        await self._audit(now, person, source, remote, TAKE_OVER, incident_id, "taken_over")
        log.warning("security.incident_taken_over", incident=incident_id, by=person, source=source, remote=remote)
        return Outcome(200, f"{incident_id} taken over by {person}", inc)

    async def _routed(self, incident_id: str) -> tuple[frozenset[str], Outcome | None]:
        """Who the open incident ``incident_id`` is routed to; or, for no open incident by that id, the refusal (404,
        or 409 for a resolved one). An incident this replica has not read yet is looked up in the store first."""
        routed = self.incidents.routed_to(incident_id)
        if routed is None:
            inc = await self.incidents.get(incident_id)  # a shared store: read back, and known from now on
            if inc is None:
                return frozenset(), Outcome(404, f"no incident {incident_id!r}")
            if inc.status == IncidentStatus.RESOLVED:
                return frozenset(), Outcome(409, f"{incident_id} is {inc.status}")
            routed = self.incidents.routed_to(incident_id)
            if routed is None:
                return frozenset(), Outcome(404, f"no incident {incident_id!r}")
        return routed, None

    async def _perform(
        self, incident_id: str, action: Action, by: str, now: datetime, until: datetime | None
    ) -> Outcome:
        if await self.incidents.get(incident_id) is None:
            return Outcome(404, f"no incident {incident_id!r}")
        try:
            if action == Action.ACK:
                inc = await self.incidents.acknowledge(incident_id, by, now)
            elif action == Action.RESOLVE:
                inc = await self.incidents.resolve(incident_id, by, now)
            else:
                if until is None:
                    return Outcome(400, "a snooze needs 'until' or 'for'")
                inc = await self.incidents.snooze(incident_id, until, by, now)
        except IncidentError as e:
            return Outcome(409, str(e))
        log.info("security.incident_changed", incident=incident_id, action=str(action), by=by)
        return Outcome(200, f"{action} done", inc)

    async def _audit(
        self, now: datetime, person: str, source: str, remote: str, action: Any, incident: str, result: str
    ) -> None:
        await self.store.start()
        await self.store.audit(AuditEntry(now, person, source, remote, str(action), incident, result))

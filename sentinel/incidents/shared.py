"""Incidents on a shared store (several replicas on PostgreSQL): which ones a replica holds, and reading them back.

A mixin of ``IncidentManager``. A replica holds in memory, and escalates, the open incidents of the pages it
owns (``adopt`` when it takes a page's lease, ``release`` when it loses one). Every change reads the incident
back from the store, locked till the commit (``_current``); ``sync`` keeps every open incident's stored state
for the views and for who an incident is routed to, whichever replica holds it.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Awaitable, Callable, Sequence

from sentinel.incidents.state import IncidentError, IncidentState, IncidentStatus
from sentinel.incidents.store import IncidentStore
from sentinel.store import Database


class Shared:
    _active: dict[str, IncidentState]
    _by_group: dict[tuple[str, str, str], str]
    _store: IncidentStore
    _db: Database
    _shared: bool
    _owns: Callable[[str], bool]
    _fence: Callable[[Sequence[str]], Awaitable[None]] | None
    _open_rows: dict[str, str]
    _committed: dict[str, str]

    def _moved(self, st: IncidentState) -> None:
        raise NotImplementedError

    def _gauge(self) -> None:
        raise NotImplementedError

    def share(self, owns: Callable[[str], bool], fence: Callable[[Sequence[str]], Awaitable[None]]) -> None:
        """Several replicas: escalate the incidents of the pages ``owns`` says this replica holds, and ``fence``
        every timer's step by the page's lease."""
        self._owns = owns
        self._fence = fence

    def _hold(self, st: IncidentState) -> None:
        """Hold ``st`` as the store has it (read from it, or undone to it: ``IncidentManager._undo``)."""
        self._active[st.id] = st
        self._committed[st.id] = json.dumps(st.to_json())
        if st.status != IncidentStatus.RESOLVED:
            self._by_group[(st.page, str(st.category), st.group_key)] = st.id
        self._moved(st)

    def _drop(self, st: IncidentState) -> None:
        self._active.pop(st.id, None)
        if self._by_group.get((st.page, str(st.category), st.group_key)) == st.id:
            self._by_group.pop((st.page, str(st.category), st.group_key), None)
        self._store.forget(st.id)
        self._committed.pop(st.id, None)
        self._moved(st)

    async def adopt(self, pages: set[str]) -> None:
        """This replica took the leases of ``pages``: their open incidents, as stored, are now its to escalate."""
        for st in await self._store.load_active():
            if self._owns(st.page):  # ``pages`` are lease keys: a page outside the config falls under "*"
                self._hold(st)
        self._gauge()

    def release(self) -> None:
        """Leases were lost or handed back: incidents of pages this replica no longer owns leave its memory."""
        for st in [st for st in self._active.values() if not self._owns(st.page)]:
            self._drop(st)
        self._gauge()

    async def sync(self) -> None:
        """Shared store: read every open incident's stored state (the views, and who an incident is routed to,
        answer from it); an owned one that changed elsewhere (opened by another replica's health alert,
        acknowledged, snoozed) replaces the copy in memory, with its timers."""
        if not self._shared:
            return
        rows = await self._store.open_rows()
        for iid, text in rows.items():
            if self._open_rows.get(iid) == text:
                continue
            st = IncidentState.from_json(json.loads(text))
            if self._owns(st.page):
                self._hold(st)
        self._open_rows = rows

    def _tx(self) -> contextlib.AbstractAsyncContextManager[None]:
        return self._db.transaction() if self._shared else contextlib.nullcontext()

    async def _current(self, incident_id: str) -> IncidentState:
        """The open incident to change: from memory, or (shared store) read back from it, locked till commit."""
        if self._shared:
            st = await self._store.get(incident_id, lock=True)
            if st is not None and st.status != IncidentStatus.RESOLVED:
                if self._owns(st.page):
                    self._hold(st)
                return st
            if st is not None:
                self._drop(st)
        return self._open_incident(incident_id)

    def _open_incident(self, incident_id: str) -> IncidentState:
        st = self._active.get(incident_id)
        if st is None or st.status == IncidentStatus.RESOLVED:
            raise IncidentError(f"no open incident {incident_id!r}")
        return st

    def _known(self, incident_id: str) -> IncidentState | None:
        st = self._active.get(incident_id)
        if st is None and incident_id in self._open_rows:
            st = IncidentState.from_json(json.loads(self._open_rows[incident_id]))
        return st

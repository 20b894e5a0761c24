"""Builds the daemon's object graph from config; start, reload, stop. Nothing else.

Start order: store → event log → rules → incidents → notifier → the silences
stored through the operator API → worker → HTTP → sources → scheduler. Stop
order is the reverse of intake: stop the sources and the HTTP listener (no new
events), drain the worker, stop the notifier (flush in-flight deliveries),
close the store — within a deadline.
"""

from __future__ import annotations

import asyncio
import os
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from aiohttp import web
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from sentinel import __version__, metrics
from sentinel.clock import TEST_CLOCK_ENV, Clock, SimulatedClock, clock_from_env
from sentinel.cluster.owner import Moved, page_owner
from sentinel.config.schema import PageConfig, page_resolver
from sentinel.config.types import Secret
from sentinel.errors import StoreUnavailable
from sentinel.logs import get_logger
from sentinel.model import (
    Event,
    EventKind,
    NotificationIntent,
)
from sentinel.pipeline.build import build_pipeline
from sentinel.pipeline.eventtime import EventTimeConfig
from sentinel.pipeline.outputs import DaemonOutput
from sentinel.pipeline.worker import PipelineWorker
from sentinel.reports.live import LiveSla
from sentinel.reports.weekly import WeeklyMailer
from sentinel.rules.build import build_engine, load_ruleset
from sentinel.rules.silences import silences_from_config
from sentinel.security.guessing import SecurityAlarm
from sentinel.settings import Config, load_config
from sentinel.store import Database
from sentinel.store.events import EventLog
from sentinel.store.factory import open_database

log = get_logger("app")
#: the event kinds of docs/events.md: the ``kind`` label's values (any other kind counts as ``(other)``)
KINDS = frozenset(str(k) for k in EventKind)

UNKNOWN_PAGES_WARNED = 100  # pages warned about by name, once each, per run
CATCH_UP = timedelta(minutes=1)  # an escalation timer later than this (clock jump, suspend) runs once, now


def event_time_config(cfg: Config) -> EventTimeConfig:
    p = cfg.pipeline
    return EventTimeConfig(
        future_skew=p.future_skew,
        min_lateness=p.min_lateness,
        max_lateness=p.max_lateness,
        lateness_memory=p.lateness_memory,
    )


class App:
    def __init__(self, config: Config, *, config_path: str | Path | None = None, clock: Clock | None = None) -> None:
        self.config = config
        self.config_path = config_path
        self.started_with = config  # what the store, listener, sources and channels were built from
        self.needs_restart: list[str] = []  # sections the running config changed that only a restart applies
        self.clock: Clock = clock or clock_from_env(os.environ)
        self.db: Database | None = None
        self.events: EventLog | None = None
        self.worker: PipelineWorker | None = None
        self.engine: Any = None
        self.incidents: Any = None
        self.notifier: Any = None
        self.poller: Any = None
        self.weekly: WeeklyMailer | None = None  # last week's report to each page's team, Monday mornings
        self.runner: web.AppRunner | None = None
        self.rules: Any = None
        self.services: Any = None  # the operator API's and console's (their silence book), loaded at start
        self.scheduler: AsyncIOScheduler | None = None
        self.port: int | None = None
        self._stopping = False
        self.last_reload_errors: list[str] = []  # why the last reload was refused
        self._unknown_warned: set[str] = set()
        self._reload_refused = False  # health.config_reload_refused is firing
        self._tasks: set[asyncio.Task[Any]] = set()  # reloads and raised alerts under way (a task is weakly held)
        # one reload at a time, in the order asked: a slow read of an older file never lands over a newer one
        self._reload_lock = asyncio.Lock()

    # -- intake ---------------------------------------------------------------
    async def accept(self, events: list[Event], source: str) -> int:
        """Commit events (each occurrence once: ``Event.identity``), wake the worker; returns how many were new. The
        EventSink of every source."""
        assert self.events is not None and self.worker is not None
        if self._stopping:
            from sentinel.errors import StoreError

            raise StoreError("shutting down")
        new = await self.events.add(events, source)
        known = {p.id for p in self.config.pages}
        for ev in new:
            page = ev.page if ev.page in known else self._unknown_page(ev.page, source)  # (metrics.page_label)
            kind = ev.kind if ev.kind in KINDS else "(other)"  # a label from a closed set: unknown kinds are many
            metrics.EVENTS_INGESTED.labels(page=page, kind=kind, source=source).inc()
        if len(new) < len(events):
            metrics.EVENTS_DUPLICATE.labels(source=source).inc(len(events) - len(new))
        if new:
            self.worker.wake()
        return len(new)

    def _unknown_page(self, page: str, source: str) -> str:
        """An event for a page not in ``pages:`` is kept and evaluated with a page entry's defaults (UTC, no
        staffed hours): counted in ``sentinel_events_unknown_page_total``, warned about once per page per run (at
        most ``UNKNOWN_PAGES_WARNED`` pages), and labelled ``metrics.UNKNOWN_PAGE`` in the ingested counter, whose
        ``page`` label takes config keys only. Returns that label."""
        metrics.EVENTS_UNKNOWN_PAGE.labels(source=source).inc()
        if page not in self._unknown_warned and len(self._unknown_warned) < UNKNOWN_PAGES_WARNED:
            self._unknown_warned.add(page)
            log.warning(
                "intake.unknown_page",
                page=page[:200],
                source=source,
                note="not in pages: kept and evaluated with the defaults; add it to the config",
            )
        return metrics.UNKNOWN_PAGE

    async def _webhook_sink(self, events: list[Event]) -> int:
        return await self.accept(events, "webhook")

    async def _security_alarm(self, alarm: SecurityAlarm) -> None:
        """A lockout or code guessing: someone may be trying to silence the alarm. Page like a hijack."""
        assert self.worker is not None
        await self.worker.pipeline.raise_alert(alarm.transition(), alarm.at)

    async def readiness(self) -> dict[str, bool]:
        """``/readyz``: the store answers, the worker runs, every polled page can be read (``GraphPoller.healthy``)
        and no notification channel's provider refuses Sentinel's credentials (``Notifier.healthy``)."""
        return {
            "store": self.db is not None and await self.db.ping(),
            "worker": self.worker is not None and not self._stopping,
            "sources": self.poller is None or self.poller.healthy(self.clock.now()),
            "channels": self.notifier is None or self.notifier.healthy(),
            # several replicas: this one renewed its page leases within the lease time (else others take them)
            "leases": self.worker is None or self.worker.owner is None or self.worker.owner.healthy(self.clock.now()),
        }

    # -- lifecycle --------------------------------------------------------------
    async def start(self) -> None:
        metrics.BUILD_INFO.info({"version": __version__})
        cfg = self.config
        self.db = await open_database(cfg.store.url, exclusive=True, full_sync=cfg.store.full_sync, clock=self.clock)
        self.events = EventLog(self.db)
        await self.events.start()
        rules = load_ruleset(cfg.rules)
        output = DaemonOutput(self.events, None, cfg.security, on_hijack=self._hijack_signal)
        stages = await build_pipeline(cfg, self.db, output, rules, sink=output.to_outbox, catch_up=CATCH_UP)
        self.engine, self.incidents, pipeline = stages.engine, stages.incidents, stages.pipeline
        self.engine.suppressor.clock = self.clock.now  # silences hold on the wall clock (one Suppressor for good)
        self.incidents.on_unreached = self._nobody_paged
        self.notifier = output.notifier = await self._build_notifier()
        resolve = page_resolver(cfg.pages)
        self.rules = rules
        owner = page_owner(self.db, self.events, cfg)  # None: one daemon, every page its own
        if owner is not None:
            self.incidents.share(owner.leases.owns, owner.leases.fence)
        self.worker = PipelineWorker(
            self.events,
            pipeline,
            self.engine,
            self.clock,
            event_time_config(cfg),
            # the rules' threads, and the configured pages (the gauge names no other)
            sla=LiveSla(resolve, frozenset(p.id for p in cfg.pages), threads=lambda page: self.engine.threads(page)),
            owner=owner,
            rebuild=self._rebuild_engine,
            on_moved=self._pages_moved,
            refresh=self._shared_refresh,
        )
        # the silences and maintenance windows made through the operator API or the console, read from the store
        # before the worker takes its first event: a restart must not unmute what an operator muted
        self.services = await self._build_services()
        await self.worker.start()
        self.weekly = WeeklyMailer(lambda: self.config, self.db, self.clock)
        await self._start_http()
        await self._start_sources()
        self.scheduler = AsyncIOScheduler()
        self.scheduler.add_job(self.tick, "interval", seconds=1, max_instances=1, coalesce=True, id="tick")
        self.scheduler.start()
        metrics.RULES_RELOAD_SUCCESS.set(1)
        log.info("app.started", port=self.port, pages=len(cfg.pages), rules=len(rules.rules))

    def _rebuild_engine(self, snapshot: dict[str, Any]) -> Any:
        """Several replicas: the pages held changed; a new engine holds exactly their rule state."""
        engine = build_engine(self.rules, self.config.pages, max_unknown_pages=self.config.pipeline.max_unknown_pages)
        engine.suppressor = self.engine.suppressor  # the operator API's silences stay
        engine.restore(snapshot)
        self.engine = engine
        return engine

    async def _shared_refresh(self) -> None:
        """Several replicas, before each batch and each tick: silences and incidents as the store has them now,
        whichever replica they were made through."""
        if self.services is not None:
            await self.services.book.load()
        await self.incidents.sync()

    async def _pages_moved(self, moved: Moved) -> None:
        """Several replicas: leases taken or lost; incidents and polling follow them."""
        self.incidents.release()
        if moved.gained:
            await self.incidents.adopt(moved.gained)
        if self.poller is not None and moved.gained:
            await self.poller.adopt(moved.gained, self.clock.now())

    async def _build_notifier(self) -> Any:
        from sentinel.notify import build_notifier

        assert self.db is not None
        notifier = build_notifier(
            self.config.notify,
            self.db,
            self.clock,
            on_give_up=self._delivery_failed,
            on_channel_health=self._channel_health,
        )
        await notifier.start()
        return notifier

    async def _channel_health(self, channel: str, detail: str | None) -> None:
        """A channel's provider refused Sentinel's credentials (``detail``), or took a message again (None):
        raise, or resolve, ``health.channel_auth_failed`` for it, routed like any critical health alert."""
        from sentinel.notify.health import channel_auth_alert

        if self.worker is None:
            log.error("app.channel_health_unraised", channel=channel)
            return
        at = self.clock.now()
        await self.worker.pipeline.raise_alert(channel_auth_alert(channel, detail, at), at)

    async def _delivery_failed(self, intent: NotificationIntent, reason: str) -> None:
        """A page gave up (nothing left in its fallback chain): raise ``health.delivery_failed``, routed like any
        critical health alert; the notifier keeps its pages off the (person, channel) that failed."""
        from sentinel.notify.health import delivery_failed_alert

        if self.worker is None:
            log.error("app.delivery_failed_unraised", incident=intent.incident, channel=intent.channel)
            return
        at = self.clock.now()
        await self.worker.pipeline.raise_alert(delivery_failed_alert(intent, reason, at), at)

    async def _nobody_paged(self, st: Any) -> None:
        """An escalation step paged nobody: raise ``health.nobody_paged``, routed like any critical health alert
        (to whoever the health route names); not for an incident about delivery itself, which could loop. In a
        task of its own: the incident manager is in the middle of its timers when it calls."""
        from sentinel.notify.health import DELIVERY_PAGE, nobody_paged_alert

        if st.page == DELIVERY_PAGE:
            return
        if self.worker is None:
            log.error("app.nobody_paged_unraised", incident=st.id)
            return
        at = self.clock.now()
        alert = nobody_paged_alert(st.id, st.page, str(st.severity), st.summary, at)
        raised = self.worker.pipeline.raise_alert(alert, at)
        self._hold(asyncio.get_running_loop().create_task(raised, name="nobody_paged"))

    def _hijack_signal(self, page: str) -> None:
        """A hijack alert fired: the poller reads that page at its shortest intervals for a while."""
        if self.poller is not None:
            self.poller.heighten(page, self.clock.now())

    async def _graph_sink(self, events: list[Event]) -> int:
        return await self.accept(events, "graph")

    async def _start_sources(self) -> None:
        from sentinel.sources.graph import GraphPoller
        from sentinel.sources.graph_client import SOURCE

        polled = polled_pages(self.config)
        if not polled:  # (a reload that adds one says it needs a restart: ``POLLING``)
            return
        assert self.db is not None
        for p in polled:  # the SentinelSourceStale threshold (deploy/prometheus/rules)
            metrics.SOURCE_STALE_AFTER.labels(page=p.id, source=SOURCE).set(
                self.config.sources.stale_after.total_seconds()
            )
        self.poller = GraphPoller(self.config.sources, polled, self.db, self._graph_sink, self.clock)
        if self.worker is not None and self.worker.owner is not None:
            self.poller.owns = self.worker.owner.leases.owns  # several replicas: only the pages this one holds
            self.poller.fence = self.worker.owner.leases.fence
        await self.poller.start()

    async def _build_services(self) -> Any:
        """One set of services for the operator API and the console (one silence book, one code guard), with the
        stored silences loaded and applied to the engine's suppressor."""
        from sentinel.security.services import Services

        assert self.db is not None
        services = Services(
            self.config,
            self.incidents,
            self.db,
            self.clock,
            suppressor=self.engine.suppressor,
            on_security_alarm=self._security_alarm,
        )
        await services.ready()
        return services

    async def _start_http(self) -> None:
        from sentinel.api.ingest import ingest_routes
        from sentinel.api.operator import operator_routes
        from sentinel.api.server import build_app, make_runner
        from sentinel.console import console_routes
        from sentinel.sources.webhook import webhook_routes

        srv = self.config.server
        routes = ingest_routes(self.accept, srv.ingest_token, srv.max_body_bytes)
        assert self.db is not None
        services = self.services
        routes += operator_routes(self.config, self.incidents, self.db, self.clock, services=services)
        routes += console_routes(
            lambda: self.config, services, self.db, self.clock, poller=lambda: self.poller, readiness=self.readiness
        )
        routes += webhook_routes(self.config.sources, self._webhook_sink, self.clock, lambda: self.config.pages)
        routes.append(web.post("/-/reload", self._http_reload))
        if isinstance(self.clock, SimulatedClock) and os.environ.get(TEST_CLOCK_ENV):
            log.warning(
                "app.test_clock",
                now=self.clock.now().isoformat(),
                note="POST /-/test/clock moves this daemon's time: for tests only",
            )
            routes.append(web.post("/-/test/clock", self._set_test_clock))
        app = build_app(
            routes,
            self.readiness,
            client_max_size=srv.max_body_bytes + 1024,
            body_timeout=srv.body_timeout.total_seconds(),
            body_budget=srv.body_budget_bytes,
        )
        self.runner = make_runner(app, header_timeout=srv.header_timeout.total_seconds())
        await self.runner.setup()
        site = web.TCPSite(self.runner, srv.host, srv.port)
        await site.start()
        server = getattr(site, "_server", None)
        sockets = getattr(server, "sockets", None) or []
        self.port = sockets[0].getsockname()[1] if sockets else srv.port

    async def _http_reload(self, request: web.Request) -> web.Response:
        """``POST /-/reload`` (Prometheus's name) with an operator token: SIGHUP over HTTP. 200 when the new config
        runs; 400 with the reasons when it was refused and the old one keeps running."""
        operator = self.services.tokens.authenticate(request.headers)  # the running tokens, as the API reads them
        if operator is None:
            return web.json_response(
                {"error": "missing or wrong bearer token"},
                status=401,
                headers={"WWW-Authenticate": 'Bearer realm="sentinel"'},
            )
        log.info("app.reload_requested", by=operator)
        ok = await self.reload()
        if ok:
            if self.needs_restart:  # the rest runs; these sections keep what the daemon started with
                return web.json_response({"status": "reloaded", "needs_restart": self.needs_restart})
            return web.json_response({"status": "reloaded"})
        return web.json_response({"status": "refused", "errors": self.last_reload_errors}, status=400)

    async def _set_test_clock(self, request: web.Request) -> web.Response:
        """Tests only (``SENTINEL_TEST_CLOCK``): ``{"times": [RFC 3339, ...]}`` (or one ``"time"``): for each in turn,
        process what was accepted, move the clock there and tick, as the scheduler would at that time."""
        assert isinstance(self.clock, SimulatedClock) and self.worker is not None and self.events is not None
        try:
            data = await request.json()
            texts = data["times"] if "times" in data else [data["time"]]
            times = [datetime.fromisoformat(str(t).replace("Z", "+00:00")) for t in texts]
        except (ValueError, KeyError, TypeError) as e:
            return web.json_response({"error": f'want {{"times": [RFC 3339, ...]}}: {e}'}, status=400)
        if any(t.tzinfo is None for t in times):
            return web.json_response({"error": "a time needs an offset"}, status=400)
        for to in times:
            await self.worker.wait_processed(await self.events.last_seq())
            self.clock.set(to)
            await self.tick(self.clock.now())
        return web.json_response({"now": self.clock.now().isoformat(), "seq": self.worker.seq})

    async def tick(self, now: datetime | None = None) -> None:
        """Periodic work: timers (for:, SLA, escalation) and deliveries. The scheduler calls it every second."""
        now = now or self.clock.now()
        parts = [self.worker.tick if self.worker else None, self.poller.tick if self.poller else None]
        parts += [self.notifier.run_once if self.notifier else None, self.weekly.tick if self.weekly else None]
        for part in parts:
            if part is None:
                continue
            try:
                await part(now)
            except StoreUnavailable:  # the store logged its loss once; each part tries again next tick
                continue

    def reload_soon(self) -> None:
        """SIGHUP: ``reload`` in a task of its own, held until it ends; anything it raises is logged, not lost."""
        self._hold(asyncio.get_running_loop().create_task(self.reload(), name="reload"))

    def _hold(self, task: asyncio.Task[Any]) -> None:
        """Keep ``task`` until it ends; anything it raises is logged (``app.reload_failed``, ...), not lost."""
        self._tasks.add(task)
        task.add_done_callback(self._ended)

    def _ended(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and (e := task.exception()) is not None:
            log.error(f"app.{task.get_name()}_failed", exc_info=e)

    async def reload(self) -> bool:
        """Re-read config and rules; a bad new config is refused and the old one keeps running.

        Rules, silences, people, schedules, escalation policies and the ``security`` settings take effect
        (``docs/security.md`` says which of those need a restart), and so do ``pages`` (the webhook receiver
        maps Graph ids through the running config); the store, the listener, the sources, the Graph poller's
        pages and the notification channels need a restart. Reloads run one at a time
        (SIGHUPs in a row each read the file in turn), and the files are read and built in a thread, so
        /healthz and intake keep answering while a large config is parsed.
        """
        from sentinel.errors import ConfigError

        if self.config_path is None:
            self.last_reload_errors = ["started without a config file: nothing to reload"]
            return False
        async with self._reload_lock:
            try:
                new, rules, engine = await asyncio.to_thread(_load_for_reload, self.config_path)
            except ConfigError as e:
                return await self._refuse([str(i) for i in e.issues])
            except Exception as e:  # Sentinel's bug, not the file's: refused all the same, with the traceback
                return await self._refuse([f"{self.config_path}: cannot load: {type(e).__name__}: {e}"], e)
            if lost := _would_lose(self.config, self.started_with, new, str(self.config_path)):
                return await self._refuse(lost)
            assert self.worker is not None
            async with self.worker.between_batches():  # a batch runs on one engine, from its start to its commit
                self._install(new, rules, engine)
            metrics.RULES_RELOAD_SUCCESS.set(1)
            self.needs_restart = _restart_only_changes(self.started_with, new)
            if self.needs_restart:
                log.warning("app.reload_needs_restart", sections=self.needs_restart)
            log.info("app.reloaded", rules=len(rules.rules))
            if self._reload_refused:
                await self._reload_alert(None)
            return True

    def _install(self, new: Config, rules: Any, engine: Any) -> None:
        """Swap the running config for ``new``, in one step of the event loop (nothing awaits in between)."""
        self.rules = rules
        # keep the one Suppressor (the operator API holds it): API silences stay, config ones are replaced
        suppressor = self.engine.suppressor
        suppressor.silences[:] = [s for s in suppressor.silences if not s.id.startswith("config-")]
        suppressor.silences += silences_from_config(new.silences)
        engine.suppressor = suppressor
        engine.restore(self.engine.snapshot())
        assert self.worker is not None
        self.engine = engine
        self.worker.engine = engine
        self.worker.pipeline.engine = engine
        if self.worker.sla is not None:
            self.worker.sla.page_config = page_resolver(new.pages)
            self.worker.sla.pages = frozenset(p.id for p in new.pages)
        self.incidents.reload(new)  # people, schedules and policies for new incidents; open ones keep their plan
        self.config = new
        if self.services is not None:  # operator tokens, SMS webhook tokens, people, roles, lockout: at once
            self.services.install(new)

    async def _refuse(self, issues: list[str], error: Exception | None = None) -> bool:
        """The new config is refused and the old one keeps running: the metric, one log line and the self-alert
        say so."""
        metrics.RULES_RELOAD_SUCCESS.set(0)
        self.last_reload_errors = issues
        if error is None:
            log.error("app.reload_refused", issues=issues)
        else:
            log.error("app.reload_refused", issues=issues, exc_info=error)
        await self._reload_alert(issues)
        return False

    async def _reload_alert(self, issues: list[str] | None) -> None:
        """Raise ``health.config_reload_refused`` (``issues``: why the new config was refused), or resolve it
        (None): routed like any health alert, so someone hears that the file on disk is not what runs."""
        from sentinel.settings.reach import reload_refused_alert

        self._reload_refused = issues is not None
        if self.worker is not None:
            at = self.clock.now()
            await self.worker.pipeline.raise_alert(reload_refused_alert(issues, at), at)

    async def stop(self, deadline_s: float = 8.0) -> None:
        if self._stopping:
            return
        self._stopping = True
        log.info("app.stopping")
        if self.scheduler:
            self.scheduler.shutdown(wait=False)
        if self.poller is not None:
            await self.poller.stop()
        if self.runner:
            await self.runner.cleanup()  # stop intake first
        try:
            if self.worker:
                await asyncio.wait_for(self.worker.stop(), timeout=deadline_s / 2)
            if self.notifier is not None:
                await asyncio.wait_for(self.notifier.stop(deadline_s / 2), timeout=deadline_s / 2 + 0.5)
        except TimeoutError:
            log.error("app.stop_deadline_exceeded")
        if self.db:
            await self.db.close()
        log.info("app.stopped")


def _load_for_reload(path: str | Path) -> tuple[Config, Any, Any]:
    """Read and build what a reload installs: the config, its rules and a fresh engine (run in a thread; it touches
    nothing the running daemon holds). A config that would page nobody is refused, as at start."""
    from sentinel.settings.reach import require_reachable

    new = load_config(path)
    require_reachable(new)
    rules = load_ruleset(new.rules)
    return new, rules, build_engine(rules, new.pages, max_unknown_pages=new.pipeline.max_unknown_pages)


#: sections a reload cannot apply: the daemon keeps what it started with until a restart
RESTART_ONLY = ("store", "server", "sources", "cluster")


#: the Graph poller's pages (which pages, their ``page_id`` and ``access_token``) are read at start; the webhook
#: receiver reads ``page_id`` from the running config at each delivery
POLLING = "pages.polling"


def polled_pages(cfg: Config) -> list[PageConfig]:
    """The pages the Graph API is polled for: Facebook pages with a ``page_id`` and an ``access_token``."""
    return [p for p in cfg.pages if p.platform == "facebook" and p.page_id and p.access_token]


def _polling(cfg: Config) -> list[tuple[str, str | None, Secret | None]]:
    return [(p.id, p.page_id, p.access_token) for p in polled_pages(cfg)]


def _restart_only_changes(started: Config, new: Config) -> list[str]:
    """The sections of ``new`` that differ from what the daemon started with and need a restart to apply."""
    changed = [name for name in RESTART_ONLY if getattr(new, name) != getattr(started, name)]
    if new.notify.channels != started.notify.channels:
        changed.append("notify.channels")
    if _polling(new) != _polling(started):
        changed.append(POLLING)
    return changed


def _would_lose(running: Config, started: Config, new: Config, path: str) -> list[str]:
    """Why ``new`` would page less than ``running`` in a way no operator means on reload: every page or every
    route gone (an emptied file, a half-written deploy), or a route paging through a channel that only a restart
    builds (its pages would go nowhere). Empty when ``new`` may run."""
    out: list[str] = []
    if running.pages and not new.pages:
        out.append(f"{path}: the new config has no pages; the running one watches {len(running.pages)}")
    if running.escalation.routes and not new.escalation.routes:
        out.append(
            f"{path}: the new config routes nothing; the running one has {len(running.escalation.routes)} routes"
        )
    added = sorted(set(new.notify.channels) - set(started.notify.channels))
    if added:
        out.append(
            f"{path}: notify.channels {', '.join(added)}: a channel added by a reload is built only at a restart, "
            "and its pages would go nowhere until then; restart the daemon to add it"
        )
    return out

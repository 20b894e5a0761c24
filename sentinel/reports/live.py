"""The report's figures as the daemon's metrics: each first answer into a histogram of staffed seconds, and a
gauge of the items overdue now, per page and channel. Fed by the worker with the events it has processed; keeps
the last ``KEEP`` of items (after a restart it starts empty: items opened before it are not observed). Only the
configured pages' (``pages``): a ``page`` label is a config key, and the figures are of pages with a response SLA;
events of pages not in the config would add a series per page anyone names."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection
from datetime import datetime, timedelta

from sentinel import metrics
from sentinel.config.schema import PageConfig
from sentinel.enrich.asks import page_names
from sentinel.enrich.threads import Threads
from sentinel.model import Event
from sentinel.reports.conversations import Item, Tracker
from sentinel.reports.summary import CHANNELS, staffed_s

KEEP = timedelta(days=7)
EVERY = timedelta(seconds=30)  # how often ``tick`` counts the overdue items


class LiveSla:
    def __init__(
        self,
        page_config: Callable[[str], PageConfig],
        pages: Collection[str],
        threads: Callable[[str], Threads] | None = None,
    ) -> None:
        """``pages``: the configured page ids (the gauge names no other); ``threads``: each page's comment threads
        as the rules know them (so that the gauge and the alerts place a reply in the same thread); by default its
        own."""
        self.page_config = page_config  # replaced on a reload
        self.pages = pages  # replaced on a reload
        self.tracker = Tracker(on_answer=self._answered, names=self._names)
        if threads is not None:
            self.tracker.threads = threads
        self._pages: set[str] = set()
        self._next: datetime | None = None

    def _names(self, page: str) -> frozenset[str]:
        cfg = self.page_config(page)
        return page_names(page, cfg.name)

    def feed(self, ev: Event) -> None:
        if ev.page not in self.pages:
            return
        n = len(self.tracker.items)
        self.tracker.feed(ev)
        if len(self.tracker.items) > n and ev.page not in self._pages:  # a page's first item: its series, at 0
            self._pages.add(ev.page)
            for ch in CHANNELS:
                metrics.SLA_OVERDUE_ITEMS.labels(ev.page, ch).set(0)

    def _answered(self, item: Item) -> None:
        metrics.SLA_FIRST_RESPONSE.labels(item.page, item.channel).observe(staffed_s(item, self.page_config(item.page)))

    def tick(self, now: datetime) -> None:
        """Forget old items and set the overdue gauge (at most every ``EVERY``)."""
        if self._next is not None and now < self._next:
            return
        self._next = now + EVERY
        self.tracker.forget(now - KEEP)
        overdue: Counter[tuple[str, str]] = Counter()
        for item in self.tracker.items:
            if item.open and item.seen is None:
                conf = self.page_config(item.page)
                deadline = conf.staffed.add(item.opened, conf.response_sla)
                if deadline is not None and deadline <= now:
                    overdue[(item.page, item.channel)] += 1
        self._pages |= {i.page for i in self.tracker.items}
        self._pages &= set(self.pages)  # a page dropped from the config: its series stays at its last value
        for page in self._pages:
            for ch in CHANNELS:
                metrics.SLA_OVERDUE_ITEMS.labels(page, ch).set(overdue[(page, ch)])

"""Last week's report by e-mail to each page's team, in the page's language, through the SMTP channel that pages
people: the daemon's ``WeeklyMailer`` on Monday mornings for pages with ``weekly_report: true``, or
``sentinel report --mail`` by hand or from cron (docs/community.md).

The team is who the page's ``sla`` route reaches first (its first escalation step, at the time of sending), as
the unanswered-customer alert would; each person with an e-mail address gets the mail.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Protocol

from sentinel.clock import Clock
from sentinel.config.schema import PageConfig
from sentinel.escalation.config import EscalationSection, OnCallConfig, PersonConfig, ScheduleConfig, TeamConfig
from sentinel.escalation.routing import route, step_targets
from sentinel.logs import get_logger
from sentinel.model import Category, Severity
from sentinel.notify.config import NotifyConfig, SmtpChannel
from sentinel.reports.render import html_report, text_report
from sentinel.reports.summary import ChannelReport
from sentinel.store import Database
from sentinel.store.events import EventLog

log = get_logger("reports")


class WeeklySettings(Protocol):
    """The parts of the whole config (``sentinel.settings.Config``) the weekly mail reads."""

    @property
    def pages(self) -> Sequence[PageConfig]: ...
    @property
    def notify(self) -> NotifyConfig: ...
    @property
    def people(self) -> Sequence[PersonConfig]: ...
    @property
    def teams(self) -> Sequence[TeamConfig]: ...
    @property
    def schedules(self) -> Sequence[ScheduleConfig]: ...
    @property
    def escalation(self) -> EscalationSection: ...


SUBJECT = {
    "sv": "Veckorapport: svar till kunder på {page}, {start} – {end}",
    "en": "Weekly report: customer answers on {page}, {start} – {end}",
}


def last_week(now: datetime, page: PageConfig) -> tuple[date, date]:
    """Monday to Sunday of the week before ``now``'s, in the page's time zone."""
    today = now.astimezone(page.staffed.tz).date()
    monday = today - timedelta(days=today.weekday() + 7)
    return monday, monday + timedelta(days=6)


def team_emails(oncall: OnCallConfig, page: str, at: datetime) -> list[str]:
    """The e-mail addresses of the people the page's ``sla`` route reaches first at ``at``."""
    plan = route(oncall, Category.SLA, Severity.WARNING, page)
    if plan is None or not plan.policy.steps:
        return []
    targets, _ = step_targets(oncall, plan.policy.steps[0], at)
    out: list[str] = []
    for t in targets:
        if t.recipient.email and t.recipient.email not in out:
            out.append(t.recipient.email)
    return out


def weekly_mail(
    reports: Sequence[ChannelReport],
    page: PageConfig,
    start: date,
    end: date,
    *,
    sender: str,
    to: Sequence[str],
    now: datetime,
    domain: str,
) -> EmailMessage:
    """The report as a mail with a plain-text and an HTML part, in the page's language."""
    lang = page.language if page.language in SUBJECT else "en"
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = ", ".join(to)
    mail["Subject"] = SUBJECT[lang].format(page=page.display_name, start=start.isoformat(), end=end.isoformat())
    mail["Date"] = format_datetime(now)
    mail["Message-ID"] = make_msgid("report", domain=domain)
    mail.set_content(text_report(reports))
    mail.add_alternative(html_report(reports), subtype="html")
    mail["Content-Language"] = lang  # (after the parts: setting content drops Content-* headers)
    return mail


SEND_AT = time(8, 0)  # Monday, page time
EVERY = timedelta(minutes=5)  # how often the daemon looks (a failed send is tried again then)


class WeeklyMailer:
    """The daemon's weekly report: on Monday from 08:00 in each page's zone, last week's report to the page's team,
    for each page with ``weekly_report: true``, once a week (the week sent is kept in the store: a restart does not
    send it again; a failed send is tried again ``EVERY`` later)."""

    def __init__(self, config: Callable[[], WeeklySettings], db: Database, clock: Clock) -> None:
        self.config, self.db, self.clock = config, db, clock
        self._next: datetime | None = None

    async def tick(self, now: datetime) -> None:
        if self._next is not None and now < self._next:
            return
        self._next = now + EVERY
        root = self.config()
        log_ = EventLog(self.db)
        due = []
        for page in root.pages:
            if not page.weekly_report:
                continue
            local = now.astimezone(page.staffed.tz)
            if local.weekday() != 0 or local.time() < SEND_AT:
                continue
            start, end = last_week(now, page)
            if await log_.get_cursor(f"report.weekly.{page.id}") != start.isoformat():
                due.append((page, start, end))
        if due:
            await self._send(root, due, now)

    async def _send(self, root: WeeklySettings, due: list[tuple[PageConfig, date, date]], now: datetime) -> None:
        from sentinel.escalation.config import OnCallConfig
        from sentinel.notify.base import DeliveryFailure
        from sentinel.notify.smtp import Smtp
        from sentinel.reports.conversations import Tracker
        from sentinel.reports.store import stored_events
        from sentinel.reports.summary import summarize

        smtp = next(((n, c) for n, c in root.notify.channels.items() if isinstance(c, SmtpChannel)), None)
        if smtp is None:
            log.warning("reports.weekly_not_sent", reason="no SMTP channel under notify.channels")
            return
        channel, oncall = Smtp(smtp[0], smtp[1], self.clock), OnCallConfig.of(root)
        events = await stored_events(self.db)
        items = (await asyncio.to_thread(Tracker().feed_all, events)).items  # seconds on a big store: off the loop
        pages = {p.id: p for p in root.pages}
        for page, start, end in due:
            to = team_emails(oncall, page.id, now)
            if to:
                reports = summarize(
                    items, lambda p: pages.get(p) or PageConfig(id=p), page=page.id, start=start, end=end
                )
                mail = weekly_mail(
                    reports, page, start, end, sender=smtp[1].sender, to=to, now=now, domain=smtp[1].domain
                )
                try:
                    await channel.deliver(mail)
                except DeliveryFailure as e:
                    log.warning("reports.weekly_failed", page=page.id, reason=str(e.reason))
                    continue
                log.info("reports.weekly_sent", page=page.id, week=start.isoformat(), recipients=len(to))
            else:
                log.warning("reports.weekly_not_sent", page=page.id, reason="its sla route reaches no e-mail address")
            await EventLog(self.db).set_cursor(f"report.weekly.{page.id}", start.isoformat())

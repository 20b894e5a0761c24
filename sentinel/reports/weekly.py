"""Last week's report by e-mail to each page's team, in the page's language, through the SMTP channel that pages
people (``sentinel report --mail``; a weekly cron line runs it, see docs/community.md).

The team is who the page's ``sla`` route reaches first (its first escalation step, at the time of sending), as
the unanswered-customer alert would; each person with an e-mail address gets the mail.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from sentinel.config.schema import PageConfig
from sentinel.escalation.config import OnCallConfig
from sentinel.escalation.routing import route, step_targets
from sentinel.model import Category, Severity
from sentinel.reports.render import html_report, text_report
from sentinel.reports.summary import ChannelReport

SUBJECT = {"sv": "Veckorapport: svar till kunder på {page}, {start} – {end}",
           "en": "Weekly report: customer answers on {page}, {start} – {end}"}


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


def weekly_mail(reports: Sequence[ChannelReport], page: PageConfig, start: date, end: date, *, sender: str,
                to: Sequence[str], now: datetime, domain: str) -> EmailMessage:
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

"""``sentinel demo``: the whole pipeline on a generated page life, with no setup.

Four weeks of a Swedish retailer's page, then a Friday-night hijack, are
generated, committed to an embedded SQLite store and run through rules,
incidents, escalation and notification on a simulated clock. SMS go to the
console; e-mail goes over real SMTP to a mail sink started in-process.
"""

from __future__ import annotations

import io
import socket
from dataclasses import dataclass, field
from datetime import date
from email import message_from_bytes
from email.header import decode_header, make_header
from pathlib import Path
from typing import Any, TextIO

from aiosmtpd.controller import Controller
from ruamel.yaml import YAML

from sentinel.clock import SimulatedClock
from sentinel.model import AlertStatus, AlertTransition, NotificationIntent, Severity
from sentinel.pipeline import Pipeline, alert_record, utc_text
from sentinel.replay import page_resolver
from sentinel.settings import Config, parse_config
from sentinel.store.events import EventLog
from sentinel.store.sqlite import SqliteDatabase

DEMO_START = date(2014, 11, 10)  # four weeks before the Friday in December 2014

ONCALL_YAML = """\
people:
  - {{name: erik, full_name: Erik Lund, phone: "+46701234501", email: erik@demo.example, language: sv,
     timezone: Europe/Stockholm, channels: [sms, email]}}
  - {{name: sara, full_name: Sara Nilsson, phone: "+46701234502", email: sara@demo.example, language: sv,
     timezone: Europe/Stockholm, channels: [sms, email]}}
  - {{name: anna, full_name: Anna Berg, phone: "+46701234503", email: anna@demo.example, language: en,
     timezone: Europe/Stockholm, channels: [sms, email]}}
schedules:
  - name: security-oncall
    timezone: Europe/Stockholm
    holidays: SE
    layers:
      - {{name: weekly, users: [erik, sara], rotation: weekly, handoff: "09:00", handoff_day: mon, start: 2014-01-06}}
escalation:
  group_wait: 30s
  group_interval: 5m
  repeat_interval: 4h
  policies:
    - name: hijack
      repeat: 1
      repeat_after: 10m
      steps:
        - targets: [{{schedule: security-oncall}}]
          channels: [sms, email]
        - after: 10m
          targets: [{{person: anna}}]
          channels: [sms, email]
    - name: team
      steps:
        - targets: [{{person: anna}}]
          channels: [email]
  routes:
    - {{category: hijack, severity: critical, policy: hijack, group_wait: 0s}}
    - {{severity: critical, policy: hijack, group_wait: 0s}}
    - {{severity: warning, policy: team, hold_until_staffed: true, repeat_interval: 7d}}
notify:
  channels:
    sms: {{type: console, stream: stdout, format: sms}}   # prints the SMS a provider would be given
    email: {email}
store:
  url: "sqlite:///sentinel.db"   # three slashes: sentinel.db beside this file
"""
# The demo mails a sink that lives as long as the demo; the config file it leaves prints e-mail instead.
DEMO_EMAIL = "{{type: smtp, host: 127.0.0.1, port: {smtp_port}, tls: none, sender: sentinel@demo.example}}"
LEFT_EMAIL = "{type: console, stream: stdout}   # the demo itself mailed a mail sink that has stopped"


class MailSink:
    """An in-process SMTP server that keeps what it receives."""

    def __init__(self) -> None:
        self.messages: list[Any] = []
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = int(s.getsockname()[1])
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"

    def __enter__(self) -> MailSink:
        self._controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._controller.stop()


@dataclass
class DemoOutput:
    """Records alerts in the store and hands notifications to the notifier, printing both."""

    events: EventLog
    notifier: Any
    out: TextIO
    alerts: list[dict[str, Any]] = field(default_factory=list)
    notifications: list[NotificationIntent] = field(default_factory=list)

    async def alert(self, t: AlertTransition, incident: str | None) -> None:
        rec = alert_record(t, incident)
        await self.events.add_alert(rec, t.fingerprint)
        self.alerts.append(rec)
        if t.status == AlertStatus.FIRING and t.severity != Severity.INFO:
            self.out.write(f"  ALERT  {rec['time']}  {rec['severity']:<8} {rec['rule']:<28} {rec['summary']}\n")

    async def notification(self, intent: NotificationIntent) -> None:
        self.notifications.append(intent)
        await self.notifier.enqueue(intent)
        if intent.severity == Severity.CRITICAL:
            self.out.write(
                f"  PAGE   {utc_text(intent.time)}  step {intent.step} {intent.channel:<5} → {intent.to}"
                f" ({intent.kind})\n"
            )


def demo_config(smtp_port: int | None, pages: list[dict[str, Any]]) -> str:
    """The demo's config: e-mail to the mail sink at ``smtp_port``, or (None) printed, for the file it leaves."""
    buf = io.StringIO()
    YAML(typ="safe", pure=True).dump({"pages": pages}, buf)
    email = LEFT_EMAIL if smtp_port is None else DEMO_EMAIL.format(smtp_port=smtp_port)
    return buf.getvalue() + ONCALL_YAML.format(email=email)


def prepare(workdir: Path, spec: Any) -> tuple[Path, Path]:
    """Write the scenario's events and clear an old store; returns (events file, store file)."""
    from sentinel.simulate import write_jsonl

    workdir.mkdir(parents=True, exist_ok=True)
    events_path = workdir / "events.jsonl"
    with events_path.open("wb") as f:
        write_jsonl(spec, f)
    db_path = workdir / "sentinel.db"
    for p in (db_path, Path(f"{db_path}-wal"), Path(f"{db_path}-shm")):
        p.unlink(missing_ok=True)
    return events_path, db_path


async def run_demo(workdir: Path, out: TextIO, *, days: int = 28, seed: int = 1) -> int:
    from sentinel.incidents import IncidentManager
    from sentinel.notify import build_notifier
    from sentinel.rules import RuleEngine, load_rules
    from sentinel.rules.silences import silences_from_config
    from sentinel.simulate import ScenarioSpec, page_configs

    spec = ScenarioSpec(pages=1, days=days, seed=seed, start=DEMO_START, hijack=True)
    events_path, db_path = prepare(workdir, spec)

    with MailSink() as sink:
        text = demo_config(sink.port, page_configs(spec))
        (workdir / "sentinel.yaml").write_text(demo_config(None, page_configs(spec)), encoding="utf-8")
        config: Config = parse_config(text, str(workdir / "sentinel.yaml"), base_dir=workdir)
        page = config.pages[0]
        out.write(
            f"Sentinel demo: {days} days of the page '{page.display_name}' ({page.timezone}), "
            f"then a Friday-night hijack.\nEvents: {events_path}\nStore:  {db_path}\n\n"
        )
        clock = SimulatedClock()
        db = SqliteDatabase.open(str(db_path))
        log = EventLog(db)
        await log.start()
        resolve = page_resolver(config)
        engine = RuleEngine(load_rules([]), resolve, silences=silences_from_config(config.silences))
        incidents = IncidentManager(db, config, resolve)
        await incidents.start()
        notifier = build_notifier(config.notify, db, clock)
        await notifier.start(background=False)
        output = DemoOutput(log, notifier, out)
        pipeline = Pipeline(engine, incidents, output)
        count = 0
        from sentinel.events.codec import parse_line

        with events_path.open("rb") as f:
            for n, line in enumerate(f, 1):
                ev = parse_line(line, lineno=n, source=str(events_path))
                clock.set(ev.time)
                if await log.add([ev], "demo"):
                    count += 1
                    await pipeline.process(ev, clock.now())
                    if output.notifications:
                        await notifier.run_once(clock.now())
        await notifier.run_once(clock.now())
        await notifier.stop(5.0)
        incident_list = await incidents.list_open()
        await db.close()

        firing = [a for a in output.alerts if a["status"] == "firing"]
        out.write(
            f"\n{count} events stored; {len(firing)} alerts fired; {len(output.notifications)} notifications "
            f"decided; {len(sink.messages)} e-mails caught by the local mail sink:\n"
        )
        for msg in sink.messages[:12]:
            out.write(f"  MAIL   to {msg['To']}: {make_header(decode_header(msg['Subject']))}\n")
        if len(sink.messages) > 12:
            out.write(f"  ... and {len(sink.messages) - 12} more\n")
        out.write(f"Open incidents at the end: {len(incident_list)}\n")
        out.write("(Shown above: alerts of warning and critical severity, and the pages sent for critical ones.)\n")
        conf = workdir / "sentinel.yaml"
        out.write(
            f"\nNext:\n  sentinel incidents -c {conf}      (the open incidents, read from the store)\n"
            f"  sentinel check -c {conf}          (the config the demo ran with)\n"
            f"  sentinel replay -c {conf} {events_path}   (back-test the rules yourself)\n"
        )
    hijacks = [a for a in firing if a["category"] == "hijack" and a["severity"] == "critical"]
    return 0 if hijacks and sink.messages else 1

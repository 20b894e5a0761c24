"""``sentinel demo``: the whole pipeline on a generated page life, with no setup.

Four weeks of a Swedish retailer's page, then a Friday-night hijack, are
generated, committed to an embedded SQLite store and run through rules,
incidents, escalation and notification on a simulated clock. SMS go to the
console; e-mail goes over real SMTP to a mail sink started in-process.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import sys
from datetime import date, datetime
from email.header import decode_header, make_header
from pathlib import Path
from typing import Any, TextIO

from ruamel.yaml import YAML

from sentinel.clock import SimulatedClock
from sentinel.errors import EventError
from sentinel.model import Event
from sentinel.pipeline.build import build_pipeline
from sentinel.pipeline.outputs import DemoOutput
from sentinel.pipeline.replay import drive
from sentinel.pipeline.stream import Counts, EventStream
from sentinel.pipeline.worker import PipelineWorker
from sentinel.rules.build import load_ruleset
from sentinel.settings import Config, parse_config
from sentinel.store.events import EventLog
from sentinel.store.sqlite import SqliteDatabase
from sentinel.testing.mail import MailSink

HELP = "replay a generated page life with a Friday-night hijack through the whole pipeline"

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
    from sentinel.notify import build_notifier
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
        notifier = build_notifier(config.notify, db, clock)
        await notifier.start(background=False)
        output = DemoOutput(log, notifier, out)
        stages = await build_pipeline(config, db, output, load_ruleset(config.rules))
        counts, stored = Counts(files=[str(events_path)]), 0

        async def store_then_deliver(ev: Event, now: datetime) -> bool:
            """The daemon's order: an event is stored before the rules see it; what the last one decided is
            delivered before the next is stored."""
            if output.notifications:
                await notifier.run_once(clock.now())
            nonlocal stored
            clock.set(now)
            new = bool(await log.add([ev], "demo"))
            stored += new
            return new

        def malformed(line: int, e: EventError) -> None:
            raise e  # the demo wrote the file itself: a bad line is a bug

        await drive(stages.pipeline, EventStream([str(events_path)], counts, malformed), store_then_deliver)
        await notifier.run_once(clock.now())
        await notifier.stop(5.0)
        incident_list = await stages.incidents.list_open()
        # A daemon started on this store (`sentinel run -c <dir>/sentinel.yaml`) goes on from where the demo ended:
        # the demo's events processed, the rules' state and event time as the demo left them (the worker's own
        # commit), not the whole history evaluated and paged again.
        worker = PipelineWorker(log, stages.pipeline, stages.engine, clock)
        worker.seq = await log.last_seq()
        worker.watermark.at = clock.now()
        await worker.save()
        await db.close()

        firing = [a for a in output.alerts if a["status"] == "firing"]
        out.write(
            f"\n{stored} events stored; {len(firing)} alerts fired; {len(output.notifications)} notifications "
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


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("demo", help=HELP, description=HELP[0].upper() + HELP[1:] + ".")
    p.add_argument(
        "--dir",
        default="sentinel-demo",
        metavar="DIR",
        help="where the events, config and SQLite store are written (default: ./sentinel-demo)",
    )
    p.add_argument("--days", type=int, default=28, help="days of normal page life before the hijack (default 28)")
    p.add_argument("--seed", type=int, default=1, help="random seed of the generated scenario")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.days < 7:
        print("error: --days must be at least 7 (the rules learn the page's habits first)", file=sys.stderr)
        return 2
    return asyncio.run(run_demo(Path(args.dir), sys.stdout, days=args.days, seed=args.seed))

"""``sentinel enrich``: the features the rules see for an event, to show why a comment counted.

One JSON line per input on standard output: ``{"id": ..., "features": {...}}``
with ``lang``, ``sentiment`` (compound, -1..1), ``negative`` (what the crisis
rules count as a negative comment), ``asks_reply`` (what starts the SLA
clock), ``links`` and ``domains``. The field names are kept stable: detection
is measured from outside through them. A malformed events line is reported on
standard error with its line number and skipped; the exit status is then 1.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import orjson

from sentinel.commands import add_config_option, config_path

HELP = "print the features the rules see for events or a text: language, sentiment, negative, asks_reply, links"
EPILOG = """\
examples:
  sentinel enrich --text "Varför svarar ingen? Jag har väntat i en vecka!" --lang sv
  sentinel enrich -c sentinel.yaml history.jsonl
  sentinel enrich - < events.jsonl"""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "enrich",
        help=HELP,
        description=HELP[0].upper() + HELP[1:] + ".",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("events", nargs="*", metavar="EVENTS.jsonl", help="event files ('-' for stdin)")
    p.add_argument("--text", metavar="TEXT", help="one text, read as a customer's comment, instead of events")
    p.add_argument("--lang", metavar="LANG", help="with --text: the page's language (sv, en, da, no, ...; sv-SE is sv)")
    add_config_option(p, "pages' languages and time zones", optional=True)
    p.set_defaults(func=run)


def features(e: Any, negative_below: float) -> dict[str, Any]:
    """The stable feature set of one enriched event (``sentinel.enrich.Enriched``)."""
    sentiment = float(e.sentiment)
    return {
        "lang": e.lang,
        "sentiment": round(sentiment, 4),
        "negative": sentiment <= negative_below,
        "asks_reply": bool(e.asks_reply),
        "links": list(e.links),
        "domains": list(e.domains),
    }


def text_event(text: str) -> Any:
    """``text`` as a customer's comment (``sentinel.model.Event``), as ``--text`` reads it."""
    from sentinel.model import Actor, Event

    return Event(
        id="text",
        time=datetime(2000, 1, 1, tzinfo=UTC),
        platform="text",
        page="text",
        kind="comment.created",
        actor=Actor(id="0", type="person"),
        object={"message": text, "comment_id": "text", "post_id": "text", "parent_id": None},
    )


def run(args: argparse.Namespace, out: IO[str] | None = None, err: IO[str] | None = None) -> int:
    from pydantic import ValidationError

    from sentinel.config import PageConfig
    from sentinel.config.schema import page_resolver
    from sentinel.detectors.rate_spike import RateSpikeParams
    from sentinel.enrich import Enriched
    from sentinel.enrich.knowledge import PageKnowledge
    from sentinel.errors import EventError
    from sentinel.events.codec import parse_line
    from sentinel.model import Event
    from sentinel.settings import Config, load_config

    out, err = out or sys.stdout, err or sys.stderr
    if (args.text is None) == (not args.events):
        err.write("sentinel enrich: give either event files ('-' for stdin) or --text TEXT\n")
        return 2
    path = config_path(args, optional=True)
    config = load_config(path, read_only=True) if path else Config()
    resolve = page_resolver(config.pages)
    negative_below = RateSpikeParams().negative_below  # the crisis rules' threshold for a negative comment
    knowledge: dict[str, PageKnowledge] = {}

    def emit(ev: Event, page: PageConfig) -> None:
        e = Enriched(ev, page, knowledge.setdefault(ev.page, PageKnowledge()))
        out.write(orjson.dumps({"id": ev.id, "features": features(e, negative_below)}).decode() + "\n")

    if args.text is not None:
        ev = text_event(args.text)
        try:
            page = PageConfig(id="text", language=args.lang or None)
        except ValidationError as e:
            err.write(f"sentinel enrich: --lang: {e.errors()[0]['msg'].removeprefix('Value error, ')}\n")
            return 2
        emit(ev, page)
        return 0
    bad = 0
    for name in args.events:
        with contextlib.nullcontext(sys.stdin.buffer) if name == "-" else Path(name).open("rb") as stream:
            for n, line in enumerate(stream, 1):
                if not line.strip():
                    continue
                try:
                    ev = parse_line(line, lineno=n, source="<stdin>" if name == "-" else name)
                except EventError as e:
                    bad += 1
                    err.write(f"sentinel enrich: skipped {e}\n")
                    continue
                emit(ev, resolve(ev.page))
    return 1 if bad else 0

"""``sentinel simulate``: write a realistic scenario as events JSONL (docs/events.md).

Used by the demo, fire drills and benchmarks. The same arguments give the
same bytes; large files (``--pages 200 --days 60``) are streamed.
"""

from __future__ import annotations

import argparse
import io
import sys
from datetime import date
from pathlib import Path
from typing import IO

from sentinel.clock import SystemClock
from sentinel.commands import positive_int
from sentinel.simulate import ScenarioSpec, hijack_window, page_configs, write_jsonl
from sentinel.simulate.spec import CRISIS_KINDS, DEFAULT_START, page_profile

HELP = "write a simulated scenario (Swedish retailers' Facebook pages, optional hijack/crisis) as events JSONL"


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date like 2025-10-06, got {text!r}") from None


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "simulate",
        help=HELP,
        description=HELP[0].upper() + HELP[1:] + ".",
        epilog=(
            "The first page gets the incidents: --hijack puts an unknown admin on it on the last Friday night "
            "of the span (on by default when the span has one), --crisis a day-long storm of angry comments "
            "mid-span. Times are Europe/Stockholm wall time with their offset."
        ),
    )
    p.add_argument("--pages", type=positive_int, default=1, metavar="N", help="number of pages (default 1)")
    p.add_argument("--days", type=positive_int, default=28, metavar="D", help="days to simulate (default 28)")
    p.add_argument("--seed", type=int, default=1, metavar="N", help="random seed: same seed, same bytes (default 1)")
    p.add_argument(
        "--start",
        type=_date,
        default=DEFAULT_START,
        metavar="DATE",
        help=f"first local date, YYYY-MM-DD (default {DEFAULT_START.isoformat()})",
    )
    p.add_argument(
        "--hijack",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="a Friday-night hijack of the first page (default: on when the span has a Friday night)",
    )
    p.add_argument(
        "--crisis",
        nargs="?",
        const="storm",
        choices=list(CRISIS_KINDS),
        default=None,
        help="a crisis on the first page: storm (the default: a surge of angry comments), slow-burn "
        "(complaints after a fee change, doubling about every 75 min for eight hours), complaint-wave (complaints "
        "without question marks, building for hours); or a happy spike that must not page: launch, contest, "
        "live-night (a live video every Thursday at 19:00)",
    )
    p.add_argument(
        "--content",
        choices=["takeover", "campaign", "rebrand"],
        default=None,
        help="on the first page, on a weekday in staffed hours: a takeover that looks routine (the usual app, scam "
        "posts and replies pushing a never-seen domain), or the team's own campaign or rebrand (must stay quiet)",
    )
    p.add_argument(
        "--language",
        choices=["sv", "en", "da", "no"],
        default="sv",
        help="the language of the pages' own posts (default sv)",
    )
    p.add_argument(
        "--visitors",
        choices=["sv", "da", "no"],
        default="sv",
        help="the language the pages' visitors write: comments, messages, a crisis's anger (default sv)",
    )
    p.add_argument("-o", "--output", metavar="FILE", help="write events here (default: standard output)")
    p.add_argument("--config-out", metavar="FILE", help="also write the matching pages: config (YAML) here")
    p.add_argument("-q", "--quiet", action="store_true", help="no summary on standard error")
    p.set_defaults(func=run)


def _spec(args: argparse.Namespace) -> ScenarioSpec:
    hijack = args.hijack
    if hijack is None:
        hijack = ScenarioSpec(pages=1, days=args.days, start=args.start).hijack_day is not None
    return ScenarioSpec(
        pages=args.pages,
        days=args.days,
        seed=args.seed,
        start=args.start,
        hijack=hijack,
        crisis=args.crisis is not None,
        crisis_kind=args.crisis or "storm",
        content=args.content or "",
        language=args.language,
        visitors=args.visitors,
    )


def write_config(spec: ScenarioSpec, path: str | Path) -> None:
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.default_flow_style = False
    buf = io.StringIO()
    buf.write(
        f"# sentinel page config for `sentinel simulate --pages {spec.pages} --days {spec.days} "
        f"--seed {spec.seed} --start {spec.start.isoformat()}`\n"
    )
    yaml.dump({"pages": page_configs(spec)}, buf)
    Path(path).write_text(buf.getvalue(), encoding="utf-8")


def run(args: argparse.Namespace) -> int:
    try:
        spec = _spec(args)
    except ValueError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    clock = SystemClock()
    began = clock.monotonic()
    try:
        if args.config_out:
            write_config(spec, args.config_out)
        if args.output:
            with open(args.output, "wb", buffering=1 << 20) as f:
                count = write_jsonl(spec, f)
        else:
            out: IO[bytes] = sys.stdout.buffer
            count = write_jsonl(spec, out)
            out.flush()
    except BrokenPipeError:
        return 0  # the reader stopped early (| head): not an error
    except OSError as e:
        print(f"error: cannot write {e.filename or 'output'}: {e.strerror}", file=sys.stderr)
        return 1
    took = clock.monotonic() - began
    if not args.quiet:
        where = args.output or "standard output"
        rate = f", {count / took:,.0f} events/s" if took > 0 else ""
        print(
            f"simulate: {count:,} events for {spec.pages} page(s) over {spec.days} days to {where} "
            f"in {took:.1f}s{rate}",
            file=sys.stderr,
        )
        window = hijack_window(spec)
        if window:
            print(
                f"simulate: hijack of page {page_profile(spec, 0).key!r} from {window[0].isoformat()} "
                f"to {window[1].isoformat()}",
                file=sys.stderr,
            )
    return 0

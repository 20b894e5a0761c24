"""``sentinel run``: the daemon."""

from __future__ import annotations

import argparse
import asyncio
import signal

from sentinel.config import load_config

HELP = "run the monitoring daemon"
EPILOG = """\
Signals: SIGTERM/SIGINT stop intake, finish in-flight work and exit 0;
SIGHUP reloads config and rules (a broken new config is refused and the
old one keeps running)."""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("run", help=HELP, description="Run the monitoring daemon.", epilog=EPILOG,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--config", "-c", required=True, metavar="FILE", help="the config file (YAML)")
    p.set_defaults(func=run)


async def serve(config_path: str) -> int:
    from sentinel import logs

    config = load_config(config_path)
    logs.configure(config.logging.level, config.logging.format)
    # imported after configure: modules bind their loggers at import (else app/worker/ingest log to stdout)
    from sentinel.app import App

    app = App(config, config_path=config_path)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    loop.add_signal_handler(signal.SIGHUP, lambda: asyncio.ensure_future(app.reload()))
    await app.start()
    await stop.wait()
    await app.stop()
    return 0


def run(args: argparse.Namespace) -> int:
    return asyncio.run(serve(args.config))

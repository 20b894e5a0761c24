"""``sentinel run``: the daemon.

A mistake that stops the start (a port in use, a bind host that does not
resolve, a store folder that is missing or read-only, a route that pages
nobody) is one line naming the config key, and exit status 2; whatever had
started by then is stopped in order first.
"""

from __future__ import annotations

import argparse
import asyncio
import errno
import signal
import socket
from typing import Any

from sentinel.commands import add_config_option, config_path, issue_at
from sentinel.errors import ConfigError, StoreError
from sentinel.settings import Config, load_config

HELP = "run the monitoring daemon"
EPILOG = """\
Signals: SIGTERM/SIGINT stop intake, finish in-flight work and exit 0;
SIGHUP reloads config and rules (a broken new config is refused and the
old one keeps running). Exit 2: the config is wrong or the daemon cannot
start with it (port in use, store folder missing or read-only, ...)."""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "run",
        help=HELP,
        description="Run the monitoring daemon.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_config_option(p)
    p.set_defaults(func=run)


def start_failure(config: Config, app: Any, e: BaseException) -> ConfigError | None:
    """What a user should read for an error raised by ``App.start`` (None: not a user's mistake)."""
    srv = config.server
    if isinstance(e, StoreError):
        return ConfigError([issue_at(config, ("store", "url"), str(e))])
    if not isinstance(e, OSError):
        return None
    if app.db is None:  # the store was being opened: its folder could not be made or written
        where = f" ({e.filename})" if e.filename else ""
        return ConfigError([issue_at(config, ("store", "url"), f"cannot open the store{where}: {e.strerror or e}")])
    if app.port is not None:
        return None  # the listener was up: not a bind problem
    if isinstance(e, socket.gaierror):
        return ConfigError([issue_at(config, ("server", "host"), f"cannot resolve {srv.host!r}: {e.strerror}")])
    reason = {
        errno.EADDRINUSE: "the address is already in use (another process listens there: stop it or "
        "change server.port)",
        errno.EADDRNOTAVAIL: f"{srv.host} is not an address of this machine",
        errno.EACCES: "permission denied (ports below 1024 need privileges)",
    }.get(e.errno or 0, e.strerror or str(e))
    return ConfigError([issue_at(config, ("server", "port"), f"cannot listen on {srv.host}:{srv.port}: {reason}")])


async def serve(config_path: str) -> int:
    from sentinel import logs
    from sentinel.settings.reach import coverage_warnings, require_reachable

    config = load_config(config_path)
    require_reachable(config)
    logs.configure(config.logging.level, config.logging.format)
    # imported after configure: modules bind their loggers at import (else app/worker/ingest log to stdout)
    from sentinel.app import App

    for warning in coverage_warnings(config):
        logs.get_logger("app").warning("app.config_warning", issue=str(warning))

    app = App(config, config_path=config_path)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    loop.add_signal_handler(signal.SIGHUP, app.reload_soon)
    try:
        await app.start()
    except (OSError, StoreError, ConfigError) as e:
        await app.stop()  # whatever started (store, worker, notifier) stops in order
        failure = e if isinstance(e, ConfigError) else start_failure(config, app, e)
        if failure is None:
            raise
        raise failure from None
    await stop.wait()
    await app.stop()
    return 0


def run(args: argparse.Namespace) -> int:
    path = config_path(args)
    assert path is not None
    return asyncio.run(serve(path))

"""``sentinel sources list`` (the pages the config watches, and how) and
``sentinel sources check``: can each page's token read what Sentinel needs?

``check`` makes one HTTP request per page (a batch of the token's ``debug_token`` and the page's ``tasks``,
and, where reactions are left to webhooks, the apps subscribed to the page's webhooks); reports the
permissions and tasks the token lacks, a page whose reactions would reach no one, and what Sentinel cannot
see without them. Tokens never appear in the output.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import aiohttp

from sentinel.clock import SystemClock
from sentinel.commands import add_config_option, read_config, require_set
from sentinel.config import ConfigError
from sentinel.config.schema import PageConfig
from sentinel.sources.graph_client import BatchItem, ErrorKind, GraphClient, GraphError
from sentinel.sources.graph_config import SourcesConfig

PERMISSIONS = {
    "pages_show_list": "list the pages",
    "pages_read_engagement": "read posts, comments and page settings",
    "pages_read_user_content": "read visitor posts and comments",
    "pages_manage_metadata": "read assigned users and subscribe to webhooks",
    "pages_messaging": "read private messages",
}
TASKS = {
    "MANAGE": "see roles and assigned users (the hijack tripwire)",
    "MODERATE": "see comment ids and hidden comments",
    "MESSAGING": "read conversations",
}


@dataclass(frozen=True, slots=True)
class PageCheck:
    page: str
    ok: bool
    lines: list[str]


HELP = "list the pages the config watches, or check each page's Graph API token"
HELP_LIST = "list the config's pages: platform, page id, time zone, and whether they are polled"
HELP_CHECK = "call the Graph API once per page and report missing permissions, tasks and webhook subscriptions"
EPILOG = """\
examples:
  sentinel sources list -c sentinel.yaml
  sentinel sources check -c sentinel.yaml
`check` needs the pages' access tokens (the daemon's secrets); `list` does not.
Exit 0 when every page is fine, 1 when one has a problem, 2 for a config error."""


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "sources",
        help=HELP,
        description=HELP[0].upper() + HELP[1:] + ".",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = p.add_subparsers(dest="sources_command", required=True, metavar="SUBCOMMAND")
    ls = sub.add_parser("list", help=HELP_LIST, description=HELP_LIST[0].upper() + HELP_LIST[1:] + ".")
    add_config_option(ls)
    ls.set_defaults(func=run_list)
    c = sub.add_parser("check", help=HELP_CHECK, description=HELP_CHECK[0].upper() + HELP_CHECK[1:] + ".")
    add_config_option(c)
    c.set_defaults(func=run)


def run_list(args: argparse.Namespace) -> int:
    config = read_config(args)
    if not config.pages:
        print("no pages in the config")
        return 0
    print(f"{'PAGE':<16} {'PLATFORM':<9} {'PAGE ID':<18} {'TIME ZONE':<18} POLLED")
    for p in config.pages:
        polled = (
            "yes"
            if p.platform == "facebook" and p.page_id and p.access_token
            else "no (needs page_id and access_token)"
            if p.platform == "facebook"
            else "no (events arrive by ingest)"
        )
        print(f"{p.id:<16} {p.platform:<9} {p.page_id or '-':<18} {p.timezone:<18} {polled}")
    return 0


def run(args: argparse.Namespace) -> int:
    try:
        config = read_config(args)
        facebook = [n for n, p in enumerate(config.pages) if p.platform == "facebook"]
        # the pages' tokens and where to ask; of the app secret only whether it is there (an unset one is, in the
        # file the daemon reads), and no other secret
        require_set(config, ("sources", "base_url"), *(("pages", n) for n in facebook))
    except ConfigError as e:
        for issue in e.issues:
            print(f"error: {issue}", file=sys.stderr)
        return 2
    sources = getattr(config, "sources", None) or SourcesConfig()
    pages = [p for p in config.pages if p.platform == "facebook"]
    if not pages:
        print("no facebook pages in the config", file=sys.stderr)
        return 2
    results = asyncio.run(check_pages(sources, pages))
    for r in results:
        print(f"{r.page}: {'ok' if r.ok else 'PROBLEMS'}")
        for line in r.lines:
            print(f"  {line}")
    return 0 if all(r.ok for r in results) else 1


def refusal(e: GraphError, api_root: str) -> str:
    """What a failed check call means: the host could not be reached, or it answered no (and why)."""
    host = urlsplit(api_root).netloc or api_root
    if e.code == 0 and e.status == 0:  # no answer at all
        what = e.message.removeprefix("transport: ")
        return (
            f"cannot reach {host} ({what}: the name does not resolve, or the host refuses or does not "
            "answer; check DNS, proxy and firewall)"
        )
    if e.kind is ErrorKind.AUTH:
        return (
            f"{host} refused the token: error {e.code}: {e.message} (the token expired or was revoked: make a new one)"
        )
    return f"{host} answered error {e.code}: {e.message}"


async def check_pages(
    config: SourcesConfig, pages: list[PageConfig], session: aiohttp.ClientSession | None = None
) -> list[PageCheck]:
    own = session is None
    session = session or aiohttp.ClientSession()
    try:
        client = GraphClient(config, session, SystemClock())
        return [await check_page(client, p) for p in pages]
    finally:
        if own:
            await session.close()


async def check_page(client: GraphClient, page: PageConfig) -> PageCheck:
    if not page.page_id or not page.access_token:
        return PageCheck(page.id, False, ["no page_id or access_token configured: the page is not polled"])
    token = page.access_token.reveal()
    items = [BatchItem(f"debug_token?input_token={token}"), BatchItem(f"{page.page_id}?fields=id,name,tasks")]
    by_webhook = not client.config.polls_reactions
    if by_webhook:
        items.append(BatchItem(f"{page.page_id}/subscribed_apps"))
    try:
        debug, node, *subscribed = await client.batch(items, token, key=page.page_id)
    except GraphError as e:
        return PageCheck(page.id, False, [refusal(e, client.config.api_root)])
    lines: list[str] = []
    ok = True
    for answer in (debug, node):
        if isinstance(answer, GraphError):
            ok = False
            hint = " (the token expired or was revoked: make a new one)" if answer.code == 190 else ""
            lines.append(f"error {answer.code}: {answer.message}{hint}")
    if isinstance(debug, dict) and isinstance(debug.get("data"), dict):
        data = debug["data"]
        if data.get("is_valid") is False:
            ok = False
            lines.append("the token is not valid")
        scopes = {s for s in data.get("scopes") or [] if isinstance(s, str)}
        for perm, why in PERMISSIONS.items():
            if perm not in scopes:
                ok = False
                lines.append(f"missing permission {perm}: cannot {why}")
    if isinstance(node, dict):
        tasks = node.get("tasks")
        if not isinstance(tasks, list):
            lines.append("tasks unknown: the API did not say which tasks the token's person holds")
        else:
            for task, why in TASKS.items():
                if task not in tasks:
                    ok = False
                    lines.append(f"missing task {task}: cannot {why}")
    if ok:
        lines.append("all permissions and tasks present")
    if not by_webhook:
        lines.append("reactions: counted by polling (no sources.app_secret: no webhook brings them)")
        return PageCheck(page.id, ok, lines)
    app = debug["data"].get("app_id") if isinstance(debug, dict) and isinstance(debug.get("data"), dict) else None
    gap = _feed_gap(subscribed[0], str(app) if app is not None else None)
    if gap is None:
        lines.append("reactions: by webhook (the token's app is subscribed to the page's feed)")
    else:
        ok = False
        lines.append(
            f"reactions are left to webhooks (sources.app_secret is set, sources.poll.reactions is not), but {gap}: "
            "crisis.angry_reactions would count nothing on this page. Subscribe the page to the app's feed "
            "webhooks, or set sources.poll.reactions: true"
        )
    return PageCheck(page.id, ok, lines)


def _feed_gap(answer: Any, app: str | None) -> str | None:
    """Why ``app`` may not get the page's ``feed`` webhooks, from a ``subscribed_apps`` answer; None when it is
    subscribed to them."""
    if isinstance(answer, GraphError):
        return f"the page's webhook subscriptions could not be read (error {answer.code}: {answer.message})"
    rows = answer.get("data") if isinstance(answer, dict) else None
    if not isinstance(rows, list) or app is None:
        return "the page's webhook subscriptions could not be read"
    for row in rows:
        if isinstance(row, dict) and str(row.get("id")) == app:
            fields = row.get("subscribed_fields")
            if isinstance(fields, list) and "feed" in fields:
                return None
            return f"app {app} is subscribed to this page without its feed field"
    return f"app {app} is not subscribed to this page's webhooks"

"""``sentinel sources check``: can each page's token read what Sentinel needs?

One HTTP request per page (a batch of two inner requests: the token's
``debug_token`` and the page's ``tasks``); reports the permissions and tasks
the token lacks and what Sentinel cannot see without them. Tokens never
appear in the output.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from dataclasses import dataclass
from typing import Any

import aiohttp

from sentinel.clock import SystemClock
from sentinel.config import ConfigError, load_config
from sentinel.config.schema import PageConfig
from sentinel.sources.graph_client import BatchItem, GraphClient, GraphError
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


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("sources", help="check the platform sources")
    sub = p.add_subparsers(dest="sources_command", required=True)
    c = sub.add_parser("check", help="call the Graph API once per page and report missing permissions and tasks")
    c.add_argument("--config", "-c", default="sentinel.yaml", help="config file (default: sentinel.yaml)")
    c.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        config = load_config(args.config)
    except ConfigError as e:
        print(str(e), file=sys.stderr)
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


async def check_pages(config: SourcesConfig, pages: list[PageConfig],
                      session: aiohttp.ClientSession | None = None) -> list[PageCheck]:
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
    try:
        debug, node = await client.batch(
            [BatchItem(f"debug_token?input_token={token}"), BatchItem(f"{page.page_id}?fields=id,name,tasks")],
            token, key=page.page_id)
    except GraphError as e:
        return PageCheck(page.id, False, [f"cannot reach the Graph API: {e}"])
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
    return PageCheck(page.id, ok, lines)

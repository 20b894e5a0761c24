"""The console's HTML: one page frame, small builders for tables and forms, and its one stylesheet.

Everything shown is escaped here or by the caller with ``esc``; no script runs on any page (the Content Security
Policy says so: ``default-src 'none'``), so the console works the same with JavaScript off.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from aiohttp import web

from sentinel import markup

esc = markup.esc

HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; "
        "base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}

CSS = """
body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#111;background:#fafafa}
header{background:#1d2733;color:#fff;padding:.5em 1em;display:flex;flex-wrap:wrap;gap:1em;align-items:center}
header a{color:#fff;text-decoration:none;font-weight:600}header form{margin-left:auto}
main{padding:1em;max-width:70em}h1{font-size:1.3em;margin:.2em 0 .6em}h2{font-size:1.1em;margin-top:1.4em}
table{border-collapse:collapse;width:100%;background:#fff}td,th{padding:.3em .5em;border-bottom:1px solid #ddd;
text-align:left;vertical-align:top}th{background:#eef1f4;font-weight:600}
.critical{color:#a00;font-weight:600}.warning{color:#a60}.triggered{font-weight:700}.muted{color:#666}
.flash{background:#e8f4e8;border:1px solid #9c9;padding:.5em;margin-bottom:1em}
.error{background:#fbeaea;border:1px solid #d99;padding:.5em;margin-bottom:1em}
form.inline{display:inline}fieldset{border:1px solid #ccc;margin:.6em 0;background:#fff}
input,select,button{font:inherit;padding:.25em .4em;margin:.15em 0}button{cursor:pointer}
@media (max-width:40em){td,th{display:block;border:0}tr{display:block;border-bottom:1px solid #ccc}
th{display:none}}
"""


def when(t: datetime | None, tz: str = "UTC") -> str:
    """A time in ``tz``, its zone named (``2014-12-05 21:41 CET``); ``-`` for none."""
    if t is None:
        return "-"
    try:
        zone = ZoneInfo(tz)
    except (ValueError, KeyError):
        zone = ZoneInfo("UTC")
    return f"{t.astimezone(zone):%Y-%m-%d %H:%M:%S %Z}"


def table(headers: Sequence[str], rows: Iterable[Sequence[str]], *, empty: str = "Nothing here.") -> str:
    """A table of already escaped cells."""
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    if not body:
        return f"<p class=muted>{esc(empty)}</p>"
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    thead = f"<thead><tr>{head}</tr></thead>" if any(headers) else ""
    return f"<table>{thead}<tbody>{body}</tbody></table>"


def hidden(name: str, value: str) -> str:
    return f'<input type=hidden name="{esc(name)}" value="{esc(value)}">'


def form(action: str, csrf: str, inner: str, *, cls: str = "", method: str = "post") -> str:
    """A form posting to ``action`` with its CSRF token."""
    c = f' class="{cls}"' if cls else ""
    return f'<form method={method} action="{esc(action)}"{c}>{hidden("csrf", csrf)}{inner}</form>'


def code_input(label: str = "Your code") -> str:
    return (
        f"<label>{esc(label)} <input name=code inputmode=numeric autocomplete=one-time-code "
        'pattern="[0-9]{6}" size=7 maxlength=6></label>'
    )


def frame(
    title: str,
    body: str,
    *,
    person: str | None = None,
    role: str | None = None,
    csrf: str | None = None,
    admin: bool = False,
    flash: str | None = None,
    error: str | None = None,
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> web.Response:
    nav = ""
    if person is not None and csrf is not None:
        audit = '<a href="/audit">Audit</a>' if admin else ""
        nav = (
            '<a href="/">Incidents</a><a href="/pages">Pages</a><a href="/oncall">On call</a>'
            '<a href="/silences">Silences</a>'
            f"{audit}<span class=who>{esc(person)} ({esc(role or '')})</span>"
            + form("/sign-out", csrf, "<button>Sign out</button>", cls="inline")
        )
    notes = (f"<p class=flash role=status id=flash>{esc(flash)}</p>" if flash else "") + (
        f"<p class=error role=alert id=error>{esc(error)}</p>" if error else ""
    )
    text = (
        '<!doctype html><html lang=en><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f'<link rel=stylesheet href="/console.css"><title>{esc(title)} · Sentinel</title></head>'
        f'<body><header><a href="/">Sentinel</a>{nav}</header><main><h1>{esc(title)}</h1>{notes}{body}</main>'
        "</body></html>"
    )
    return web.Response(
        text=text, status=status, content_type="text/html", charset="utf-8", headers={**HEADERS, **(headers or {})}
    )


async def stylesheet(_: web.Request) -> web.Response:
    return web.Response(
        text=CSS,
        content_type="text/css",
        headers={"Cache-Control": "max-age=3600", "X-Content-Type-Options": "nosniff"},
    )

"""The report as text, JSON lines, CSV or HTML, with its words in the page's language (sv or en)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence

from sentinel import markup
from sentinel.reports.summary import ChannelReport, Figures

FORMATS = ("text", "json", "csv", "html")

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "comment": "Comments",
        "message": "Private messages",
        "items": "asked for an answer",
        "answered": "answered",
        "within": "within the promised time",
        "seen": "only liked (seen)",
        "closed": "hidden or deleted",
        "unanswered": "unanswered",
        "median": "median first response",
        "p90": "slowest tenth waited more than",
        "staffed": "in staffed hours",
        "clock": "on the clock",
        "title": "Customer answers",
        "day": "Day",
        "closed_day": "closed",
        "responder": "Answered by",
        "none": "no items",
        "promise": "promise",
    },
    "sv": {
        "comment": "Kommentarer",
        "message": "Privata meddelanden",
        "items": "bad om svar",
        "answered": "besvarade",
        "within": "inom utlovad svarstid",
        "seen": "bara gillade (sedda)",
        "closed": "dolda eller raderade",
        "unanswered": "obesvarade",
        "median": "median för första svar",
        "p90": "långsammaste tiondelen väntade mer än",
        "staffed": "i bemannad tid",
        "clock": "i klocktid",
        "title": "Svar till kunder",
        "day": "Dag",
        "closed_day": "stängt",
        "responder": "Besvarade av",
        "none": "inga ärenden",
        "promise": "löfte",
    },
}
COLUMNS = (
    "page",
    "channel",
    "items",
    "answered",
    "answered_within_sla",
    "seen",
    "closed",
    "unanswered",
    "median_first_response_s",
    "p90_first_response_s",
    "median_first_response_staffed_s",
    "p90_first_response_staffed_s",
)


def words(lang: str) -> dict[str, str]:
    return WORDS.get(lang, WORDS["en"])


def span(seconds: float | None) -> str:
    """``2h 05m`` (``-`` for none)."""
    if seconds is None:
        return "-"
    m = round(seconds / 60)
    d, m = divmod(m, 24 * 60)
    h, m = divmod(m, 60)
    return (f"{d}d " if d else "") + (f"{h}h {m:02d}m" if h or d else f"{m}m")


def _cell(value: object) -> object:
    """A CSV cell; text a spreadsheet would read as a formula (a page id from an event starting with ``=``, ``+``,
    ``-``, ``@``, a tab or a carriage return) is shown as text, behind an apostrophe (OWASP's advice)."""
    if value is None:
        return ""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def render(reports: Sequence[ChannelReport], fmt: str) -> str:
    if fmt == "json":
        return "".join(json.dumps(r.to_json(), ensure_ascii=False) + "\n" for r in reports)
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(COLUMNS)
        for r in reports:
            row = r.to_json()
            w.writerow([_cell(row[c]) for c in COLUMNS])
        return buf.getvalue()
    if fmt == "html":
        return html_report(reports)
    return text_report(reports)


def _lines(f: Figures, w: dict[str, str]) -> list[str]:
    if not f.items:
        return [f"  {w['none']}"]
    pct = round(100 * f.answered_within_sla / f.items)
    return [
        f"  {f.items} {w['items']}; {f.answered} {w['answered']}, {f.answered_within_sla} ({pct} %) {w['within']}",
        f"  {f.seen} {w['seen']}, {f.closed} {w['closed']}, {f.unanswered} {w['unanswered']}",
        f"  {w['median']}: {span(f.median_first_response_staffed_s)} {w['staffed']}, "
        f"{span(f.median_first_response_s)} {w['clock']}",
        f"  {w['p90']}: {span(f.p90_first_response_staffed_s)} {w['staffed']}",
    ]


def text_report(reports: Sequence[ChannelReport]) -> str:
    out: list[str] = []
    for r in reports:
        w = words(r.language)
        out.append(f"{r.page} - {w[r.channel]} ({w['promise']} {span(r.sla_s)} {w['staffed']})")
        out += _lines(r.figures, w)
        if r.days:
            out.append(f"    {w['day']}: {w['items']} / {w['answered']} / {w['within']}")
        for d, staffed, f in r.days:
            note = "" if staffed else f" ({w['closed_day']})"
            out.append(
                f"    {d.isoformat()}{note}: {f.items} / {f.answered} / {f.answered_within_sla}, "
                f"{w['median']} {span(f.median_first_response_staffed_s)}"
            )
        for who, f in r.responders:
            out.append(f"    {w['responder']} {who}: {f.answered}, {w['median']} {span(f.median_first_response_s)}")
        out.append("")
    return "\n".join(markup.plain(line) for line in out)  # a responder's name is a name someone chose


def html_report(reports: Sequence[ChannelReport]) -> str:
    lang = reports[0].language if reports else "en"
    w = words(lang)
    parts = [
        f'<!doctype html>\n<html lang="{markup.esc(lang)}"><head><meta charset="utf-8">'
        f"<title>{markup.esc(w['title'])}</title></head><body>",
        f"<h1>{markup.esc(w['title'])}</h1>",
    ]
    for r in reports:
        w = words(r.language)
        f = r.figures
        parts.append(f"<h2>{markup.esc(r.page)}: {markup.esc(w[r.channel])}</h2><table>")
        rows = [
            (w["items"], f.items),
            (w["answered"], f.answered),
            (w["within"], f.answered_within_sla),
            (w["seen"], f.seen),
            (w["closed"], f.closed),
            (w["unanswered"], f.unanswered),
            (f"{w['median']} ({w['staffed']})", span(f.median_first_response_staffed_s)),
            (f"{w['median']} ({w['clock']})", span(f.median_first_response_s)),
            (f"{w['p90']} ({w['staffed']})", span(f.p90_first_response_staffed_s)),
        ]
        parts += [f"<tr><th>{markup.esc(str(k))}</th><td>{markup.esc(str(v))}</td></tr>" for k, v in rows]
        parts.append("</table>")
        if r.days:
            parts.append(
                f"<table><tr><th>{markup.esc(w['day'])}</th><th>{markup.esc(w['items'])}</th>"
                f"<th>{markup.esc(w['answered'])}</th><th>{markup.esc(w['within'])}</th>"
                f"<th>{markup.esc(w['median'])}</th></tr>"
            )
            for d, staffed, df in r.days:
                label = d.isoformat() + ("" if staffed else f" ({w['closed_day']})")
                parts.append(
                    f"<tr><td>{markup.esc(label)}</td><td>{df.items}</td><td>{df.answered}</td>"
                    f"<td>{df.answered_within_sla}</td>"
                    f"<td>{markup.esc(span(df.median_first_response_staffed_s))}</td></tr>"
                )
            parts.append("</table>")
    parts.append("</body></html>\n")
    return "\n".join(parts)

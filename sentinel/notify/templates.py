"""Message texts in Swedish and English, chosen by ``Recipient.language``.

Each tells what happened, on which page, the evidence, and how to
acknowledge. ``render`` gives subject, plain text and HTML (e-mail, chat,
webhooks); ``sms`` gives one GSM-7 segment with the reply codes. Where an SMS
reply reaches Sentinel (``security.sms_inbound`` names a provider), a page
ends with the reply that acknowledges, in exactly the form
``sentinel.security.sms.parse_reply`` accepts: the incident number, ``a``,
a space and the person's six-digit code (``12a 123456``, where ``123456``
stands for their code); elsewhere with the signed link, or the console.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from sentinel import markup
from sentinel.model import NotificationIntent, NotificationKind
from sentinel.notify.gsm import fit, reply_code
from sentinel.notify.overrides import Overrides

_TEXT: dict[str, dict[str, str]] = {
    "en": {
        "page": "{sev} {cat} on {page}",
        "resolved": "Resolved: {cat} on {page}",
        "digest": "Digest: {cat} on {page}",
        "evidence": "Evidence",
        "ack": "To acknowledge, reply {code}a and your 6-digit code (like {code}a 123456) to the Sentinel SMS"
        " ({code}c and your code closes the incident).",
        "ack_link": "Acknowledge: {url}",
        "ack_console": "To acknowledge, open the incident in Sentinel's console and give your 6-digit code.",
        "sms_ack_console": "Acknowledge in Sentinel's console",
        "incident": "Incident",
        "sms_ack": "Reply {code}a 123456 (your code) to acknowledge",
        "sms_ack_many": "Reply e.g. {code}a 123456 (your code) to acknowledge",
        "sms_resolved": "RESOLVED",
        "sms_bundle": "{n} incidents:",
        "critical": "CRITICAL",
        "warning": "Warning",
        "info": "Info",
        "hijack": "hijack",
        "crisis": "crisis",
        "sla": "unanswered customers",
        "health": "monitoring blind",
        "other": "alert",
    },
    "sv": {
        "page": "{sev}: {cat} på {page}",
        "resolved": "Avslutat: {cat} på {page}",
        "digest": "Sammanfattning: {cat} på {page}",
        "evidence": "Underlag",
        "ack": "Kvittera genom att svara {code}a och din sexsiffriga kod (som {code}a 123456) på Sentinels SMS"
        " ({code}c och din kod stänger incidenten).",
        "ack_link": "Kvittera: {url}",
        "ack_console": "Kvittera genom att öppna incidenten i Sentinels konsol och ange din sexsiffriga kod.",
        "sms_ack_console": "Kvittera i Sentinels konsol",
        "incident": "Incident",
        "sms_ack": "Svara {code}a 123456 (din kod) för att kvittera",
        "sms_ack_many": "Svara t.ex. {code}a 123456 (din kod) för att kvittera",
        "sms_resolved": "AVSLUTAT",
        "sms_bundle": "{n} incidenter:",
        "critical": "KRITISKT",
        "warning": "Varning",
        "info": "Info",
        "hijack": "kapning",
        "crisis": "kris",
        "sla": "obesvarade kunder",
        "health": "bevakningen blind",
        "other": "larm",
    },
}


_BREAKS = re.compile(r"[\u2028\u2029]+")


def one_line(text: str) -> str:
    """``text`` as one line for a header or a heading: every run of control characters (CR, LF, tab, NUL, DEL,
    C1) or line and paragraph separators becomes one space. Event data (a page id, a user's name in a summary)
    reaches e-mail headers, HTTP headers and label values through it; folding a long line is the library's job."""
    if text.isprintable():
        return text
    out: list[str] = []
    for c in _BREAKS.sub(" ", text):
        if unicodedata.category(c) == "Cc":
            if not out or out[-1] != " ":
                out.append(" ")
        else:
            out.append(c)
    return "".join(out).strip()


def language(intent: NotificationIntent) -> str:
    """The language ``intent``'s recipient reads: theirs when Sentinel writes it, else English."""
    lang = intent.recipient.language.lower()[:2]
    return lang if lang in _TEXT else "en"


def _t(intent: NotificationIntent) -> dict[str, str]:
    return _TEXT[language(intent)]


def summary_of(intent: NotificationIntent) -> str:
    """The summary in the recipient's language, else in the page's (what the rule could write)."""
    return intent.summaries.get(language(intent)) or intent.summary


def evidence_of(intent: NotificationIntent) -> tuple[str, ...]:
    """The evidence lines in the recipient's language, else in the page's."""
    return intent.evidence_texts.get(language(intent)) or intent.evidence


@dataclass(frozen=True, slots=True)
class Rendered:
    subject: str
    text: str
    html: str


def fields(intent: NotificationIntent) -> dict[str, str]:
    """What the user's texts may name (``notify.overrides.FIELDS``), for ``intent``'s recipient."""
    t = _t(intent)
    return {
        "incident": intent.incident,
        "code": reply_code(intent.incident),
        "severity": t.get(str(intent.severity), str(intent.severity)),
        "category": t.get(str(intent.category), str(intent.category)),
        "page": intent.page_name or intent.page,
        "summary": summary_of(intent),
        "person": intent.recipient.name,
        "kind": str(intent.kind),
        "step": str(intent.step),
    }


def _override(intent: NotificationIntent, part: str, texts: Overrides | None) -> str | None:
    """The user's ``part`` for a page to ``intent``'s recipient (``notify.templates``), filled in; else None."""
    if texts is None or intent.kind != NotificationKind.PAGE:
        return None
    template = texts.find(part, language(intent))
    return None if template is None else template.substitute(fields(intent))


def subject(intent: NotificationIntent, texts: Overrides | None = None) -> str:
    """The first line: an e-mail's subject, a chat heading. One line, whatever the event's data holds."""
    if (mine := _override(intent, "subject", texts)) is not None:
        return one_line(mine)
    t = _t(intent)
    fmt = {NotificationKind.PAGE: t["page"], NotificationKind.RESOLVED: t["resolved"]}.get(intent.kind, t["digest"])
    return one_line(
        fmt.format(
            sev=t.get(str(intent.severity), str(intent.severity)),
            cat=t.get(str(intent.category), str(intent.category)),
            page=intent.page_name or intent.page,
        )
    )


def render(intent: NotificationIntent, ack_url: str | None = None, texts: Overrides | None = None) -> Rendered:
    """Subject, text and HTML for ``intent``'s recipient; ``texts``: the user's texts for the channel."""
    ack_url = ack_url or intent.ack_url
    t = _t(intent)
    code = reply_code(intent.incident)
    subj = subject(intent, texts)
    summary, evidence = summary_of(intent), evidence_of(intent)
    lines = [subj, "", summary, "", f"{t['incident']}: {intent.incident}"]
    if evidence:
        lines += ["", f"{t['evidence']}:"] + [f"- {e}" for e in evidence]
    how = _how_to_ack(intent, t, code, ack_url)
    if intent.kind == NotificationKind.PAGE:
        lines += ["", *how]
    text = "\n".join(lines) + "\n"
    e = markup.esc
    parts = [f"<h2>{e(subj)}</h2>", f"<p>{e(summary)}</p>", f"<p>{e(t['incident'])}: {e(intent.incident)}</p>"]
    if evidence:
        items = "".join(f"<li>{e(x)}</li>" for x in evidence)
        parts.append(f"<h3>{e(t['evidence'])}</h3><ul>{items}</ul>")
    if intent.kind == NotificationKind.PAGE:
        parts += [f"<p>{e(line)}</p>" for line in how if not ack_url or line != t["ack_link"].format(url=ack_url)]
        if ack_url:
            parts.append(f'<p><a href="{e(ack_url, quote=True)}">{e(t["ack_link"].format(url=ack_url))}</a></p>')
    body = f'<!doctype html><html lang="{e(intent.recipient.language)}"><body>{"".join(parts)}</body></html>\n'
    return Rendered(subject=subj, text=text, html=body)


def _how_to_ack(intent: NotificationIntent, t: dict[str, str], code: str, ack_url: str | None) -> list[str]:
    """The lines that say how to acknowledge: the SMS reply where an SMS reply reaches Sentinel, the signed link
    where there is one, else the console (never a reply nobody would receive)."""
    out = [t["ack"].format(code=code)] if intent.sms_replies else []
    if ack_url:
        out.append(t["ack_link"].format(url=ack_url))
    return out or [t["ack_console"]]


def sms(intents: Sequence[NotificationIntent], texts: Overrides | None = None) -> str:
    """One SMS segment for one intent, or several bundled (each with its reply code); ``texts``: the user's
    texts for the channel (a page's head; the reply instruction stays Sentinel's, so that the reply parses)."""
    first = intents[0]
    t = _t(first)
    if len(intents) == 1:
        code = reply_code(first.incident)
        if first.kind == NotificationKind.RESOLVED:
            return fit(f"{code} {t['sms_resolved']}: {subject(first)}", "")
        head = _override(first, "sms", texts) or f"{code} {subject(first, texts)}: {summary_of(first)}"
        return fit(head, t["sms_ack"].format(code=code) if first.sms_replies else t["sms_ack_console"])
    items = [f"{reply_code(i.incident)} {subject(i, texts)}" for i in intents]
    codes = sorted({reply_code(i.incident) for i in intents if i.kind == NotificationKind.PAGE}, key=_num)
    tail = (
        ""
        if not codes
        else t["sms_ack_console"]
        if not first.sms_replies
        else t["sms_ack"].format(code=codes[0])
        if len(codes) == 1
        else t["sms_ack_many"].format(code=codes[0])
    )
    head = t["sms_bundle"].format(n=len(intents)) + " " + "; ".join(items)
    return fit(head, tail)


def _num(code: str) -> tuple[int, str]:
    return (int(code), "") if code.isdigit() else (0, code)

"""Message texts the user writes: ``notify.templates``, per language and channel.

Each entry may set the ``subject`` (the first line of every message: e-mail subject, chat heading) and the
``sms`` (a paging SMS before its reply instruction, which stays as Sentinel writes it so that the reply
parses) for the recipients of one ``language`` and one ``channel`` (either left out: all of them)::

    notify:
      templates:
        - language: sv
          subject: "[$severity] $category på $page ($incident)"
        - language: sv
          channel: sms
          sms: "$code LARM $page: $summary"

Texts are ``string.Template`` text: ``$name`` or ``${name}`` takes one of ``FIELDS``, ``$$`` is a dollar
sign, and nothing else runs. ``sentinel check`` names the file and line of an unknown field or a broken
template. Where several entries match a message, the one that names both language and channel wins, then
the language, then the channel; a part no entry sets is Sentinel's own text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from string import Template

from pydantic import field_validator

from sentinel.config.types import SentinelModel, language_code
from sentinel.model import LANGUAGES

#: what a text may name: each filled in for its recipient (severity and category in their language)
FIELDS = {
    "incident": "the incident id (inc-000012)",
    "code": "the incident's number in SMS replies (12)",
    "severity": "CRITICAL, Warning, Info (in the recipient's language)",
    "category": "hijack, crisis, ... (in the recipient's language)",
    "page": "the page's display name",
    "summary": "what happened, in the recipient's language",
    "person": "the recipient's name",
    "kind": "page, resolved, digest, ...",
    "step": "the escalation step",
}
PARTS = ("subject", "sms")


def check_template(text: str) -> str:
    """``text`` if it is a template using only ``FIELDS``; else ``ValueError`` saying what is wrong."""
    t = Template(text)
    if not t.is_valid():
        try:
            t.substitute({k: "" for k in FIELDS})
        except ValueError as e:
            raise ValueError(f"broken template: {e} (write $name or ${{name}}, and $$ for a dollar sign)") from None
    unknown = [n for n in t.get_identifiers() if n not in FIELDS]
    if unknown:
        raise ValueError(f"unknown field ${unknown[0]} (fields: {', '.join(sorted(FIELDS))})")
    return text


class TemplateConfig(SentinelModel):
    """One ``notify.templates`` entry."""

    language: str | None = None  # en or sv; left out: every language
    channel: str | None = None  # a name in notify.channels; left out: every channel
    subject: str | None = None
    sms: str | None = None

    @field_validator("language")
    @classmethod
    def _language(cls, v: str | None) -> str | None:
        if v is None:
            return None
        v = language_code(v)  # sv-SE is sv
        if v not in LANGUAGES:
            raise ValueError(f"Sentinel writes {', '.join(LANGUAGES)}, not {v!r}")
        return v

    @field_validator("subject", "sms")
    @classmethod
    def _template(cls, v: str | None) -> str | None:
        return None if v is None else check_template(v)


@dataclass(frozen=True, slots=True)
class Overrides:
    """The entries that apply to one channel, to pick from per recipient language."""

    entries: tuple[TemplateConfig, ...] = ()

    @classmethod
    def for_channel(cls, entries: Sequence[TemplateConfig], channel: str) -> Overrides:
        return cls(tuple(e for e in entries if e.channel in (None, channel)))

    def find(self, part: str, language: str) -> Template | None:
        """The user's ``part`` text for a recipient reading ``language``, if any entry sets one."""
        best: tuple[int, str] | None = None
        for e in self.entries:
            text = getattr(e, part)
            if text is None or e.language not in (None, language):
                continue
            rank = (e.language is not None) * 2 + (e.channel is not None)
            if best is None or rank > best[0]:
                best = (rank, text)
        return None if best is None else Template(best[1])

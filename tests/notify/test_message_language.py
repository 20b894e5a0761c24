"""Each recipient is told in their own language: summary and evidence lines alike, from the rule to the message.

An English reader of a Swedish page used to get the Swedish evidence lines, and a Swedish summary carried a
detector's English explanation.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

from sentinel.config.schema import PageConfig
from sentinel.incidents import IncidentManager
from sentinel.model import Category, NotificationIntent, NotificationKind, Recipient, Severity
from sentinel.notify import templates
from sentinel.notify.outbox import intent_from_json, intent_to_json
from sentinel.rules import RuleEngine, load_rules
from sentinel.settings.oncall import load_oncall
from sentinel.store.sqlite import SqliteDatabase
from sentinel.testing import event, person

PAGE = PageConfig(
    id="druvan",
    name="Druvan Vin & Sprit",
    language="sv",
    timezone="Europe/Stockholm",
    staffed_hours={"mon": "09:00-10:00"},
)
SATURDAY_NIGHT = datetime(2025, 9, 27, 1, 30, tzinfo=UTC)


def grant(t: datetime) -> object:
    return event("role.granted", t, actor=person("Johan"), user={"id": "666", "name": "Mr X"}, tasks=["MANAGE"])


def test_an_alert_carries_its_summary_in_every_language_the_rule_writes() -> None:
    eng = RuleEngine(load_rules([]), lambda p: PAGE)
    [t] = [t for t in eng.process(grant(SATURDAY_NIGHT), SATURDAY_NIGHT) if t.rule == "hijack.manage_granted"]
    assert t.summary == t.summaries["sv"] and "fick full behörighet" in t.summary  # the page's language
    assert t.summaries["en"].startswith("'Mr X' got full control (MANAGE) of Druvan Vin & Sprit")


async def test_english_and_swedish_readers_each_get_their_own_summary_and_evidence(tmp_path: object) -> None:
    root, oncall = load_oncall(__import__("pathlib").Path(__file__).resolve().parents[2] / "examples/druvan.yaml")
    page = root.page("druvan")
    assert page is not None
    eng = RuleEngine(load_rules([]), lambda p: page)
    mgr = IncidentManager(SqliteDatabase.open(":memory:"), oncall, lambda p: page if p == page.id else None)
    await mgr.start()
    t0 = SATURDAY_NIGHT
    for t in eng.process(grant(t0), t0):
        await mgr.on_alert(t, t0)
    intents = await mgr.tick(t0)
    intents += [i for t in (t0 + timedelta(minutes=m) for m in range(1, 31)) for i in await mgr.tick(t)]
    pages = {i.recipient.name: i for i in intents if i.kind == NotificationKind.PAGE}
    assert pages["erik"].recipient.language == pages["anna"].recipient.language == "sv"
    anna = pages["anna"]  # reading English, as the example's press desk does
    by_lang = {
        "sv": pages["erik"],
        "en": dataclasses.replace(anna, recipient=dataclasses.replace(anna.recipient, language="en")),
    }
    sv = templates.render(by_lang["sv"]).text
    en = templates.render(by_lang["en"]).text
    assert "fick full behörighet" in sv and "Underlag:\n- 'Mr X' fick full behörighet" in sv
    assert "got full control" not in sv
    assert "got full control" in en and "Evidence:\n- 'Mr X' got full control" in en
    assert "fick" not in en
    assert "got full control" in templates.sms([by_lang["en"]])
    # the outbox keeps every language across a restart
    assert intent_from_json(intent_to_json(by_lang["en"])) == by_lang["en"]


def intent(language: str, **kw: object) -> NotificationIntent:
    base: dict[str, object] = dict(
        time=SATURDAY_NIGHT,
        incident="inc-000001",
        step=1,
        channel="email",
        to="x",
        recipient=Recipient("x", language=language),
        kind=NotificationKind.PAGE,
        category=Category.HIJACK,
        severity=Severity.CRITICAL,
        page="druvan",
        page_name="Druvan",
        summary="på svenska",
        evidence=("underlag",),
    )
    return NotificationIntent(**{**base, **kw})  # type: ignore[arg-type]


def test_a_language_the_alert_lacks_falls_back_to_the_pages_text() -> None:
    en = intent("en", summaries={"sv": "på svenska"}, evidence_texts={"sv": ("underlag",)})
    assert templates.summary_of(en) == "på svenska" and templates.evidence_of(en) == ("underlag",)
    de = intent("de", summaries={"en": "in English", "sv": "på svenska"}, evidence_texts={"en": ("evidence",)})
    assert templates.language(de) == "en"
    assert templates.summary_of(de) == "in English" and templates.evidence_of(de) == ("evidence",)

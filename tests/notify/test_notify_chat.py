"""Slack, Teams, the signed webhook and the generic SMS gateway against local fakes."""

from __future__ import annotations

import orjson
from conftest import Factory
from notify_helpers import ERIK, intent

from sentinel.notify import webhook
from sentinel.testing import FakeClock
from sentinel.testing.providers import KeyedFake, Reply, SlackFake, TeamsFake, serve


async def test_slack_gets_text_and_blocks_and_429_is_retried_after_retry_after(
    make_notifier: Factory, clock: FakeClock
) -> None:
    async with serve(SlackFake()) as (fake, url):
        fake.script(Reply(429, retry_after="30"))
        n = make_notifier({"chat": {"type": "slack", "url": f"{url}/services/T1/B2/xyz"}})
        await n.start(background=False)
        await n.enqueue(intent(channel="chat"))
        await n.run_once(clock.now())
        clock.advance(29)
        await n.run_once(clock.now())
        assert not fake.delivered
        clock.advance(1)
        await n.run_once(clock.now())
        [req] = fake.delivered
        assert req.json["text"].startswith("KRITISKT: kapning på Druvan Vin")
        assert req.json["blocks"][0]["type"] == "header"
        await n.stop(1)


async def test_slack_channel_not_found_is_not_retried(make_notifier: Factory, clock: FakeClock) -> None:
    async with serve(SlackFake()) as (fake, url):
        fake.script(Reply(404))
        n = make_notifier({"chat": {"type": "slack", "url": f"{url}/services/T1/B2/xyz"}})
        await n.start(background=False)
        await n.enqueue(intent(channel="chat"))
        await n.run_once(clock.now())
        row = await n.outbox.get(intent(channel="chat").idempotency_key)
        assert row is not None and row["state"] == "failed" and row["reason"] == "rejected"
        await n.stop(1)


async def test_teams_gets_an_adaptive_card_and_5xx_is_retried(make_notifier: Factory, clock: FakeClock) -> None:
    async with serve(TeamsFake()) as (fake, url):
        fake.script(Reply(502))
        n = make_notifier({"teams": {"type": "teams", "url": f"{url}/webhook/abc"}}, backoff_initial="1s")
        await n.start(background=False)
        await n.enqueue(intent(channel="teams"))
        await n.run_once(clock.now())
        clock.advance(1)
        await n.run_once(clock.now())
        [req] = fake.delivered
        card = req.json["attachments"][0]
        assert card["contentType"] == "application/vnd.microsoft.card.adaptive"
        texts = [b["text"] if b["type"] == "TextBlock" else b["inlines"][0]["text"] for b in card["content"]["body"]]
        assert "- login from unknown app" in texts
        await n.stop(1)


async def test_teams_shows_a_hijackers_markdown_link_as_text(make_notifier: Factory, clock: FakeClock) -> None:
    """A TextBlock reads Markdown: a new admin named "[Kvittera här](https://evil.example)" was a link to the
    attacker's site in Sentinel's own card. The summary and the evidence are TextRuns, which read none."""
    name = "[Kvittera här](https://evil.example) **nu**"
    async with serve(TeamsFake()) as (fake, url):
        n = make_notifier({"teams": {"type": "teams", "url": f"{url}/webhook/abc"}})
        await n.start(background=False)
        await n.enqueue(intent(channel="teams", summary=f"'{name}' got full control", evidence=(f"granted to {name}",)))
        await n.run_once(clock.now())
        [req] = fake.delivered
        body = req.json["attachments"][0]["content"]["body"]
        markdown = [b["text"] for b in body if b["type"] == "TextBlock"]
        literal = [run["text"] for b in body if b["type"] == "RichTextBlock" for run in b["inlines"]]
        assert not any("evil.example" in t for t in markdown), markdown
        assert f"'{name}' got full control" in literal and f"- granted to {name}" in literal
        await n.stop(1)


async def test_webhook_is_signed_with_hmac_sha256_and_carries_the_idempotency_key(
    make_notifier: Factory, clock: FakeClock
) -> None:
    async with serve(KeyedFake()) as (fake, url):
        n = make_notifier({"hook": {"type": "webhook", "url": f"{url}/hook", "secret": "topsecret"}})
        await n.start(background=False)
        await n.enqueue(intent(channel="hook"))
        await n.run_once(clock.now())
        [req] = fake.delivered
        body = orjson.dumps(req.json)
        ts = req.headers["X-Sentinel-Timestamp"]
        assert ts == str(int(clock.now().timestamp()))
        assert webhook.verify("topsecret", ts, body, req.headers["X-Sentinel-Signature"])
        assert not webhook.verify("other", ts, body, req.headers["X-Sentinel-Signature"])
        assert req.headers["Idempotency-Key"] == intent(channel="hook").idempotency_key
        assert req.json["incident"] == "inc-000012" and req.json["evidence"][1] == "login from unknown app"
        row = await n.outbox.get(intent(channel="hook").idempotency_key)
        assert row is not None and row["provider_id"] == "m1"
        await n.stop(1)


async def test_generic_sms_gateway_posts_json_with_bearer_token(make_notifier: Factory, clock: FakeClock) -> None:
    async with serve(KeyedFake()) as (fake, url):
        n = make_notifier(
            {
                "sms": {
                    "type": "http_sms",
                    "url": f"{url}/send",
                    "token": "tkn",
                    "to_field": "msisdn",
                    "message_field": "text",
                    "extra": {"sender": "Druvan"},
                }
            }
        )
        await n.start(background=False)
        await n.enqueue(intent())
        await n.run_once(clock.now())
        [req] = fake.delivered
        assert req.headers["Authorization"] == "Bearer tkn"
        assert req.json["msisdn"] == ERIK.phone and req.json["sender"] == "Druvan" and len(req.json["text"]) <= 160
        await n.stop(1)


async def test_slack_shows_a_hijackers_mentions_and_links_as_text_in_the_text_and_the_blocks(
    make_notifier: Factory, clock: FakeClock
) -> None:
    """The summary names the new admin, whose name the hijacker chose: in Slack's ``text`` (the notification and
    fallback text, read as mrkdwn) "<!channel>" pinged everyone and "<https://evil.example|Kvittera här>" showed a
    link to the attacker's site as Sentinel's own."""
    name = "<!channel> <https://evil.example|Kvittera här> & co"
    async with serve(SlackFake()) as (fake, url):
        n = make_notifier({"chat": {"type": "slack", "url": f"{url}/services/T1/B2/xyz"}})
        await n.start(background=False)
        await n.enqueue(intent(channel="chat", summary=f"'{name}' got full control", summaries={}))
        await n.run_once(clock.now())
        [req] = fake.delivered
        text, block = req.json["text"], req.json["blocks"][1]["text"]["text"]
        for shown in (text, block):
            assert "&lt;!channel&gt; &lt;https://evil.example|Kvittera här&gt; &amp; co" in shown, shown
            assert "<!channel>" not in shown and "<https://evil" not in shown
        await n.stop(1)

from __future__ import annotations

import pytest
from notify_helpers import ANNA, ERIK, intent

from sentinel.model import NotificationKind
from sentinel.notify import gsm, templates
from sentinel.security.sms import parse_reply


def test_swedish_letters_are_gsm7_and_kept() -> None:
    assert gsm.sanitize("Kvittera åäö ÅÄÖ é ü") == "Kvittera åäö ÅÄÖ é ü"
    assert gsm.is_gsm7("åäöÅÄÖ")


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("“quoted” – dash", '"quoted" - dash'),
        ("price 5€ [x]", "price 5EUR (x)"),
        ("emoji 🚨 here", "emoji ? here"),
        ("ł ş č", "? s c"),
        ("tab\tand\nnewline", "tab and newline"),
    ],
)
def test_sanitize_replaces_what_would_force_ucs2(raw: str, clean: str) -> None:
    assert gsm.sanitize(raw) == clean
    assert gsm.is_gsm7(gsm.sanitize(raw))


@pytest.mark.parametrize(("incident", "code"), [("inc-000012", "12"), ("inc-7", "7"), ("abc", "abc")])
def test_reply_code_is_the_incident_number(incident: str, code: str) -> None:
    assert gsm.reply_code(incident) == code


def test_sms_fits_one_segment_and_keeps_the_reply_code() -> None:
    long = intent(summary="Ny admin 'Mr X' fick MANAGE utanför kontorstid 🚨 " * 10)
    text = templates.sms([long])
    assert len(text) <= 160
    assert gsm.is_gsm7(text)
    assert text.endswith("Svara 12a 123456 (din kod) för att kvittera")
    assert text.startswith("12 KRITISKT: kapning på Druvan Vin")


def test_english_sms_for_an_english_recipient() -> None:
    text = templates.sms([intent(recipient=ANNA)])
    assert text.endswith("Reply 12a 123456 (your code) to acknowledge")
    assert len(text) <= 160


def test_bundled_sms_names_every_incident_within_one_segment() -> None:
    text = templates.sms([intent(f"inc-{n:06d}") for n in (12, 13, 14)])
    assert len(text) <= 160
    assert text.startswith("3 incidenter: 12 KRITISKT")
    assert "13 KRITISKT" in text
    assert text.endswith("Svara t.ex. 12a 123456 (din kod) för att kvittera")
    assert parse_reply("12a 123456") is not None and parse_reply("12a") is None


def test_render_tells_what_where_evidence_and_how_to_ack_in_swedish() -> None:
    r = templates.render(intent(recipient=ERIK), ack_url="https://s.example/ack/x")
    assert r.subject == "KRITISKT: kapning på Druvan Vin"
    assert "New admin 'Mr X'" in r.text
    assert "Underlag:\n- role.granted MANAGE to Mr X at 21:40" in r.text
    assert "Kvittera genom att svara 12a" in r.text
    assert "https://s.example/ack/x" in r.html
    assert "<li>login from unknown app</li>" in r.html


def test_render_in_english_and_resolved_has_no_ack() -> None:
    r = templates.render(intent(recipient=ANNA, kind=NotificationKind.RESOLVED))
    assert r.subject == "Resolved: hijack on Druvan Vin"
    assert "acknowledge" not in r.text


def test_html_escapes_user_content() -> None:
    r = templates.render(intent(summary="<script>alert(1)</script>"))
    assert "<script>" not in r.html
    assert "&lt;script&gt;" in r.html

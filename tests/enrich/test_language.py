"""``language``: Swedish told from Danish and Norwegian by their letters first, and a short text's few words not taken
as proof between them; other languages as the classifier reads them."""

from __future__ import annotations

import pytest

from sentinel.enrich.text import language


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Öppettider i påsk, se bild", "sv"),  # read as Norwegian before: a false `hijack.unusual_post` warning
        ("Välkommen in till oss i helgen", "sv"),
        ("Åbningstider i påsken, se billede", "da"),
        ("Åpningstider i påsken, se bilde", "no"),
        ("Vi åbner en ny butik i Malmö på lørdag", "da"),  # a Swedish town's "ö" beside Danish "ø"
    ],
)
def test_swedish_letters_tell_swedish_from_danish_and_norwegian(text: str, lang: str) -> None:
    assert language(text) == lang


def test_a_short_text_without_those_letters_does_not_choose_between_swedish_and_norwegian() -> None:
    """Few words prove little between the three: "Paketet kom aldrig fram" is Swedish and read as Norwegian."""
    assert language("Paketet kom aldrig fram") == ""


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Free bitcoin giveaway for all our fans, click the link now", "en"),
        ("Khuyến mãi lớn hôm nay, nhấn vào đây để nhận quà", "vi"),
        ("Kostenlose Bitcoin für alle Fans, jetzt hier klicken", "de"),
        ("Ilmainen lahja kaikille faneille, klikkaa linkkiä nyt", "fi"),
        ("Vi har öppet som vanligt hela sommaren, välkomna till butiken i Umeå", "sv"),
        ("Tusind tak for jeres støtte, vi glæder os til at se jer i butikken", "da"),
    ],
)
def test_other_languages_and_longer_texts_are_read_as_before(text: str, lang: str) -> None:
    assert language(text) == lang

"""Text shown in HTML (the console, the acknowledgement page, e-mail): escaped, and unable to turn the page around it.

``esc`` is ``html.escape`` plus this: a bidirectional embedding, override or isolate character (U+202A–U+202E,
U+2066–U+2069) in a text a hijacker wrote (a post, a user name) is shown as its code point. Left in, an unclosed
right-to-left override mirrors the rest of the line: "... got full control of Druvan" read backwards around the
attacker's "test account, nothing to do", on the incident page and in the list.
"""

from __future__ import annotations

import html

_BIDI_CONTROLS = {c: f"[U+{c:04X}]" for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}


def esc(text: str, quote: bool = True) -> str:
    """``text`` escaped for HTML, its bidirectional controls shown as code points."""
    return html.escape(text.translate(_BIDI_CONTROLS), quote)

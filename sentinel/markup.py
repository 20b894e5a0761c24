"""Text shown in HTML (the console, the acknowledgement page, e-mail) or on a terminal: escaped, and unable to turn
the page or the screen around it.

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


# C0 (with TAB, LF and CR), DEL and C1: what a terminal acts on instead of showing
_TERMINAL = {c: f"[U+{c:04X}]" for c in (*range(0x00, 0x20), *range(0x7F, 0xA0))} | _BIDI_CONTROLS


def plain(line: str) -> str:
    """One line for a terminal (``sentinel incidents``, the remote commands, the demo): every control character and
    bidirectional control shown as its code point. A name or a text a hijacker wrote reaches these lines (an
    incident's summary names the new admin); ESC in it would start a sequence that clears, recolours or retitles the
    operator's terminal, and a line break would forge a line of the table ("... resolved")."""
    return line.translate(_TERMINAL)

"""An HTTP answer from a peer Sentinel calls (a provider, the Graph API), read up to a bound.

``ClientResponse.read()``/``.text()``/``.json()`` keep the whole body, however long it is: a peer that answers
``Content-Length: 3000000000`` and streams would fill the daemon's memory. ``read_bounded`` keeps at most
``limit`` bytes and says whether there was more; the caller leaves the rest unread, and aiohttp closes the
connection rather than reuse it.
"""

from __future__ import annotations

import aiohttp


async def read_bounded(resp: aiohttp.ClientResponse, limit: int) -> tuple[bytes, bool]:
    """Up to ``limit`` bytes of ``resp``'s body, and True if it was longer."""
    buf = bytearray()
    while len(buf) <= limit:
        chunk = await resp.content.read(limit + 1 - len(buf))
        if not chunk:
            break
        buf += chunk
    return bytes(buf[:limit]), len(buf) > limit

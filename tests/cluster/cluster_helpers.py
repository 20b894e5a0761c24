"""What the cluster tests share: an SMS gateway that counts every message id it accepted, repeats included."""

from __future__ import annotations

from collections import Counter

from aiohttp import web

from sentinel.testing.providers import Fake


class CountingGateway(Fake):
    """A generic HTTP SMS gateway (``http_sms``) that keeps no idempotency keys: every accepted request is counted
    under its ``Idempotency-Key``, so a page sent twice shows as a count of 2."""

    def __init__(self) -> None:
        self.accepted: Counter[str] = Counter()
        super().__init__()

    def routes(self) -> None:
        self.app.router.add_post("/{tail:.*}", self.hook)

    async def hook(self, request: web.Request) -> web.StreamResponse:
        rec = await self._read(request)
        scripted = await self._scripted(request, rec)
        if scripted is not None:
            return scripted
        self.accepted[request.headers.get("Idempotency-Key", "")] += 1
        self.delivered.append(rec)
        return web.json_response({"id": f"m{len(self.delivered)}"})

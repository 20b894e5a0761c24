"""An SMTP server in the process that keeps what it receives: the demo's mail sink, and tests' (aiosmtpd)."""

from __future__ import annotations

import socket
from email import message_from_bytes
from typing import Any

from aiosmtpd.controller import Controller


class MailSink:
    """An in-process SMTP server that keeps what it receives."""

    def __init__(self) -> None:
        self.messages: list[Any] = []
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = int(s.getsockname()[1])
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"

    def __enter__(self) -> MailSink:
        self._controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._controller.stop()

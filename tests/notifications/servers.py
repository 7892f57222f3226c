"""Real servers for the channels: an SMTP server (aiosmtpd) and a group robot (http.server) that
answers as WeCom and DingTalk do, checking DingTalk's signature."""

import base64
import hashlib
import hmac
import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Mailbox:
    port: int
    messages: list[EmailMessage] = field(default_factory=list)
    on_data: Any = None  # called with the message before the server answers 250

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append(message)
        if self.on_data is not None:
            self.on_data(message)
        return "250 OK"


@contextmanager
def smtp_server() -> Iterator[Mailbox]:
    """aiosmtpd on a free port (its Controller(port=0) cannot start: pick one first)."""
    box = Mailbox(port=free_port())
    controller = Controller(box, hostname="127.0.0.1", port=box.port)
    controller.start()
    try:
        yield box
    finally:
        controller.stop()


@dataclass
class Robot:
    """What the robot received (path, query, JSON) and how it answers: "ok", "error" (errcode
    310000), "hang-up" (reads the request, closes without answering), "slow" (answers after
    ``delay`` seconds)."""

    port: int = 0
    secret: str = ""
    mode: str = "ok"
    delay: float = 0.0
    received: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


def _handler(robot: Robot) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            payload = json.loads(self.rfile.read(length).decode("utf-8"))
            parts = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            with robot.lock:
                robot.received.append(
                    {
                        "path": parts.path,
                        "query": query,
                        "json": payload,
                        "content_type": self.headers["Content-Type"],
                    }
                )
            if robot.mode == "hang-up":
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            if robot.delay:
                time.sleep(robot.delay)
            answer = {"errcode": 0, "errmsg": "ok"}
            if robot.mode == "error":
                answer = {"errcode": 310000, "errmsg": "keywords not in content"}
            elif robot.secret and not _signature_ok(robot.secret, query):
                answer = {"errcode": 310000, "errmsg": "sign not match"}
            body = json.dumps(answer).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


def _signature_ok(secret: str, query: dict[str, str]) -> bool:
    """DingTalk's check: sign = base64(HMAC-SHA256(secret, "timestamp\\nsecret")), the timestamp
    in milliseconds within an hour of now. parse_qs has already URL-decoded the sign."""
    timestamp = query.get("timestamp", "")
    if not timestamp.isdigit() or abs(time.time() * 1000 - int(timestamp)) > 3600 * 1000:
        return False
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    return hmac.compare_digest(base64.b64encode(digest).decode(), query.get("sign", ""))


@contextmanager
def robot_server(**options: Any) -> Iterator[Robot]:
    robot = Robot(**options)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(robot))
    robot.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield robot
    finally:
        server.shutdown()
        server.server_close()

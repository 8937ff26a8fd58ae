"""Fixtures of the message centre tests: a local HTTP server standing in for SMS/WeCom gateways."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


class Gateway:
    """A real HTTP server on 127.0.0.1 that records POSTed JSON and answers with `status`."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.status = 200
        self.delay = 0.0
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server API
                length = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(length)
                gateway.requests.append({"path": self.path, "json": json.loads(body or b"{}"), "headers": dict(self.headers)})
                if gateway.delay:
                    time.sleep(gateway.delay)
                try:
                    self.send_response(gateway.status)
                    self.send_header("Content-Type", "application/json")
                    self.end_headers()
                    self.wfile.write(b'{"errcode": 0}')
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout test)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str = "/send") -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}{path}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gateway() -> Any:
    server = Gateway()
    yield server
    server.close()


@pytest.fixture
def local_gateways(settings: Any, gateway: Gateway) -> Gateway:
    """SMS and WeCom configured to use the local server (private URLs allowed for the test only)."""
    settings.NOTIFICATIONS = {
        "CHANNELS": ["email", "sms", "wecom"],
        "SMS_PROVIDER": "http",
        "SMS_URL": gateway.url("/sms"),
        "WECOM_PROVIDER": "http",
        "WECOM_URL": gateway.url("/wecom"),
        "HTTP_TIMEOUT": 2,
        "ALLOW_PRIVATE_URLS": True,
    }
    return gateway

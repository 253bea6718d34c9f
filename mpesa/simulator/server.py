"""A local Daraja: a real HTTP server on loopback that answers like Safaricom's API and calls our
callback URLs from a background thread, so the whole M-Pesa flow runs on one machine.

`DarajaSimulator.handle` routes each request to its API in `mpesa.simulator.apis`, which answer
from the state in `mpesa.simulator.gateway`; the HTTP classes at the bottom only carry bytes.
See mpesa/DARAJA.md for the scenarios and the control endpoints.
"""

from __future__ import annotations

import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

from mpesa.client import SPIKE_ARREST, DarajaConfig
from mpesa.simulator import payloads
from mpesa.simulator.apis import ROUTES, control, oauth, stk
from mpesa.simulator.gateway import Gateway, RecordedRequest, Reply

logger = logging.getLogger("mpesa.simulator")

MAX_BODY_BYTES = 1_000_000


class DarajaSimulator(Gateway):
    """Daraja on loopback. Also the test handle: queue scenarios, read requests and deliveries.

    The socket is bound on construction (port 0 picks a free one: see `base_url`); `start()`
    serves from background threads, `serve_forever()` from the calling thread. `settings` are
    the Gateway's: the credentials it accepts, the default scenario and the callback delays.
    """

    def __init__(self, *, host: str = "127.0.0.1", port: int = 8001, **settings: Any) -> None:
        super().__init__(**settings)
        self._server = _Server((host, port), self)
        self._thread: threading.Thread | None = None
        self._stopped = False

    @classmethod
    def from_settings(cls, **options: Any) -> DarajaSimulator:
        """A simulator that accepts the credentials the configured client sends."""
        config = DarajaConfig.from_settings()
        values: dict[str, Any] = {
            "consumer_key": config.consumer_key,
            "consumer_secret": config.consumer_secret,
            "stk_shortcode": config.stk_shortcode,
            "passkey": config.passkey,
            "c2b_shortcode": config.c2b_shortcode,
            "b2c_shortcode": config.b2c_shortcode,
            "initiator_name": config.initiator_name,
        }
        values.update(options)
        return cls(**values)

    # --- lifecycle -----------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> DarajaSimulator:
        self.dispatcher.start()
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="daraja-simulator",
            daemon=True,
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve from this thread until interrupted (the management command)."""
        self.dispatcher.start()
        try:
            self._server.serve_forever()
        finally:
            self.stop()

    def stop(self) -> None:
        """Stop serving and delivering; callbacks not yet due are dropped."""
        if self._stopped:
            return
        self._stopped = True
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join()
        self._server.server_close()
        self.dispatcher.stop()

    def __enter__(self) -> DarajaSimulator:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    # --- the requests received -----------------------------------------------------------

    def requests_to(self, path: str) -> list[RecordedRequest]:
        return [r for r in self.requests if urlsplit(r.path).path.rstrip("/") == path]

    @property
    def token_request_count(self) -> int:
        return len(self.requests_to(oauth.PATH))

    @property
    def last_stk_request(self) -> dict[str, Any] | None:
        pushes = self.requests_to(stk.PUSH_PATH)
        return pushes[-1].body if pushes else None

    def handle(self, method: str, target: str, authorization: str, raw: bytes) -> Reply:
        """Answer one HTTP request: (status, JSON-able body)."""
        parts = urlsplit(target)
        path = parts.path.rstrip("/") or "/"
        if path.startswith("/simulator/"):
            return control.answer(self, method, path, raw)
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode(errors="replace")
        self.record(RecordedRequest(method, target, authorization.partition(" ")[0], body))
        route = ROUTES.get((method, path))
        if route is None and (method, path) != ("GET", oauth.PATH):
            return payloads.gateway_error("404.001.01", "Resource not found")
        if self.spike_arrested():
            return payloads.gateway_error(SPIKE_ARREST, "Spike arrest violation")
        if route is None:
            return oauth.generate(self, parts.query, authorization)
        if refused := oauth.bearer_refusal(self, authorization):
            return refused
        if not isinstance(body, dict):
            return payloads.gateway_error("400.002.02", "Bad Request - Invalid JSON")
        return route(self, body)


class _Server(ThreadingHTTPServer):
    # Handler threads are joined on close (each request is short, and reads time out), so a
    # stopped simulator leaves no thread behind.
    daemon_threads = False
    request_queue_size = 128  # bursts of callers (socketserver's 5 makes the rest wait 1 s)

    def __init__(self, address: tuple[str, int], simulator: DarajaSimulator) -> None:
        self.simulator = simulator
        super().__init__(address, _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that gave up (its timeout) leaves a broken pipe: not worth a traceback.
        logger.debug("Request from %s failed", client_address, exc_info=True)


class _Handler(BaseHTTPRequestHandler):
    server_version = "DarajaSimulator/1"
    timeout = 10  # seconds a silent client may hold a handler thread

    def do_GET(self) -> None:
        self._answer("GET")

    def do_POST(self) -> None:
        self._answer("POST")

    def _answer(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY_BYTES:
            status, body = 413, {"error": "Request body too large."}
        else:
            raw = self.rfile.read(length) if length else b""
            assert isinstance(self.server, _Server)
            status, body = self.server.simulator.handle(
                method, self.path, self.headers.get("Authorization", ""), raw
            )
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("%s " + format, self.address_string(), *args)

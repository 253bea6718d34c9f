"""The server under test and its clients: gunicorn on loopback, and client threads that send
a measure's requests and record its rates and latencies (``python -m bench http``)."""

import functools
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import requests
from django.conf import settings

BASE_DIR = Path(__file__).resolve().parent.parent
WORKERS, THREADS = 2, 4
TIMEOUT = 60  # seconds a client waits for an answer


@dataclass(frozen=True)
class Call:
    method: str
    url: str
    body: bytes | None = None
    receipt: str = ""


@dataclass
class Measure:
    """One endpoint's requests for the whole run, taken in order, and what they measured."""

    key: str
    label: str
    headers: dict[str, str]
    calls: list[Call]
    probe: list[Call]  # in-process: the first half warms up, the second half is counted
    expected: int = 200
    queries: str = ""
    sent: int = 0
    rates: list[float] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)
    client_cpu: list[float] = field(default_factory=list)  # the clients' CPU time ÷ wall time
    failures: int = 0
    answers: list[str] = field(default_factory=list)  # the first few unexpected ones

    def take(self, count: int) -> list[Call]:
        self.sent += count
        return self.calls[self.sent - count : self.sent]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@contextmanager
def served(
    database_url: str, port: int, log: Path, *, extra_env: dict[str, str] | None = None
) -> Iterator[None]:
    """gunicorn on loopback until the block ends, however it ends. ``extra_env`` adds to or
    overrides the server's environment (e.g. where Daraja is)."""
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_ENV": "development",
        "DEBUG": "false",  # no query log
        "LOG_LEVEL": "WARNING",
        "MPESA_CALLBACK_BASE_URL": base,
        "MPESA_CALLBACK_TOKEN": settings.MPESA_CALLBACK_TOKEN,
    }
    # Tasks eager (none of these requests enqueues one) and Daraja's callbacks from loopback.
    for name in (
        "REDIS_URL",
        "MPESA_ALLOWED_IPS",
        "TRUSTED_PROXIES",
        "MPESA_TRUSTED_PROXIES",
        "SENTRY_DSN",
    ):
        env.pop(name, None)
    env.update(extra_env or {})
    command = [sys.executable, "-m", "gunicorn", "config.wsgi", "-w", str(WORKERS)]
    command += ["--threads", str(THREADS), "-b", f"127.0.0.1:{port}", "--log-level", "warning"]
    with log.open("wb") as output:
        # A session of its own: ^C reaches only this process, whose finally stops the server.
        server = subprocess.Popen(  # noqa: S603 - this interpreter, our arguments
            command,
            cwd=BASE_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 60
        while not _healthy(base):
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not come up ({server.poll()}): {log_tail(log)}")
            time.sleep(0.2)
        yield
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _healthy(base: str) -> bool:
    try:
        return requests.get(f"{base}/api/health/", timeout=5).status_code == 200
    except (requests.ConnectionError, requests.Timeout):  # not up yet, or busy starting
        return False


def log_tail(log: Path) -> str:
    return log.read_text(errors="replace")[-2000:].strip()


class Clients:
    """Client threads, each with its own ``requests.Session`` (a kept-alive connection), as
    many phones or Daraja's senders would be."""

    def __init__(self, count: int) -> None:
        self.pool = ThreadPoolExecutor(count, thread_name_prefix="client")
        self.local = threading.local()
        self.sessions: list[requests.Session] = []

    def close(self) -> None:
        self.pool.shutdown(cancel_futures=True)
        for session in self.sessions:
            session.close()

    def _send(self, headers: dict[str, str], call: Call) -> tuple[float, int, str]:
        session: requests.Session | None = getattr(self.local, "session", None)
        if session is None:
            session = self.local.session = requests.Session()
            self.sessions.append(session)
        started = time.perf_counter()
        try:
            response = session.request(
                call.method, call.url, data=call.body, headers=headers, timeout=TIMEOUT
            )
        except requests.RequestException as error:
            return (time.perf_counter() - started) * 1000, 0, repr(error)
        return (time.perf_counter() - started) * 1000, response.status_code, response.text

    def run(self, measure: Measure, count: int, *, timed: bool) -> None:
        calls = measure.take(count)
        started, cpu = time.perf_counter(), time.process_time()
        results = list(self.pool.map(functools.partial(self._send, measure.headers), calls))
        elapsed = time.perf_counter() - started
        for latency, status, answer in results:
            if status != measure.expected:
                measure.failures += 1
                if len(measure.answers) < 3:
                    measure.answers.append(f"{status} {answer[:300]}")
            elif timed:
                measure.latencies_ms.append(latency)
        if timed:
            measure.rates.append(len(calls) / elapsed)
            measure.client_cpu.append((time.process_time() - cpu) / elapsed)

"""Run a callable in real threads that start together (PostgreSQL tests only)."""

import threading
from collections.abc import Callable
from typing import Any

from django.db import connections


def run_concurrently(fn: Callable[[], Any], times: int) -> list[Any]:
    """Call ``fn`` from ``times`` threads released at once; return results or exceptions."""
    barrier = threading.Barrier(times)
    results: list[Any] = [None] * times

    def worker(index: int) -> None:
        try:
            barrier.wait()
            results[index] = fn()
        except Exception as exc:  # the caller asserts on what each thread got
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results

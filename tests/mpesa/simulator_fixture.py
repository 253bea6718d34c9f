"""The `daraja_simulator` fixture: a local Daraja on a free loopback port for one test.

The client points at it through settings.MPESA_BASE_URL; callbacks arrive after 0.05 s (late
ones after 0.5 s). The handle queues scenarios and exposes what it received and delivered:
    daraja_simulator.queue("cancelled")
    daraja_simulator.wait_for_deliveries(1)[0].payload
"""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mpesa.simulator import DarajaSimulator

# Daraja's sample messages: a copy in the repository if there is one, else the shared reference.
PAYLOAD_DIRECTORIES = (
    Path(__file__).parent / "payloads",
    Path("/work/shared/reference/mpesa-payloads"),
)


def reference_payload(name: str) -> Any:
    """A sample message from the reference set, such as "stk_callback_success.json"."""
    for directory in PAYLOAD_DIRECTORIES:
        if (directory / name).is_file():
            return json.loads((directory / name).read_text())
    raise FileNotFoundError(f"{name} is in none of {[str(d) for d in PAYLOAD_DIRECTORIES]}.")


@pytest.fixture
def daraja_simulator(settings: Any) -> Iterator[DarajaSimulator]:
    settings.MPESA_ENVIRONMENT = "simulator"
    settings.MPESA_CERTIFICATE_PATH = ""
    simulator = DarajaSimulator.from_settings(
        host="127.0.0.1", port=0, delay=0.05, late_delay=0.5, callback_timeout=5.0
    )
    simulator.start()
    settings.MPESA_BASE_URL = simulator.base_url
    try:
        yield simulator
    finally:
        simulator.stop()

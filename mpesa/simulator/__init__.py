"""The local Daraja simulator: `python manage.py daraja_simulator`, and the tests' fixture."""

from mpesa.simulator.gateway import Delivery, RecordedRequest
from mpesa.simulator.scenarios import Outcome, Scenario
from mpesa.simulator.server import DarajaSimulator

__all__ = ["DarajaSimulator", "Delivery", "Outcome", "RecordedRequest", "Scenario"]

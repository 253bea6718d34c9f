"""The local Daraja simulator: `python manage.py daraja_simulator`, and the tests' fixture."""

from mpesa.simulator.scenarios import Outcome, Scenario
from mpesa.simulator.server import DarajaSimulator, Delivery, RecordedRequest

__all__ = ["DarajaSimulator", "Delivery", "Outcome", "RecordedRequest", "Scenario"]

"""What the simulated member, M-Pesa and gateway do with the next request."""

from dataclasses import dataclass
from enum import StrEnum


class Scenario(StrEnum):
    SUCCESS = "success"
    CANCELLED = "cancelled"  # STK 1032: the member pressed Cancel
    UNREACHABLE = "unreachable"  # STK 1037: the phone could not be reached
    TIMEOUT = "timeout"  # STK: as unreachable; B2C: QueueTimeOutURL, though the money went
    INSUFFICIENT_FUNDS = "insufficient_funds"  # STK and B2C result code 1
    WRONG_PIN = "wrong_pin"  # STK 2001
    FAILURE = "failure"  # B2C 2001: the initiator information is invalid
    DUPLICATE_CALLBACK = "duplicate_callback"  # success, delivered twice
    LATE_CALLBACK = "late_callback"  # success, delivered after `late_delay`
    NO_CALLBACK = "no_callback"  # success that only a status query reveals
    SPIKE_ARREST = "spike_arrest"  # the gateway refuses the next API calls with 500.003.02


SUCCESS_DESC = "The service request is processed successfully."
INSUFFICIENT_DESC = "The balance is insufficient for the transaction."
INITIATOR_INVALID_DESC = "The initiator information is invalid."


@dataclass(frozen=True)
class Outcome:
    """The result M-Pesa settles on, and how its callback travels."""

    result_code: int = 0
    result_desc: str = SUCCESS_DESC
    callbacks: int = 1  # 0: never delivered; 2: delivered twice
    late: bool = False
    timed_out: bool = False  # B2C: QueueTimeOutURL is called instead of ResultURL

    @property
    def succeeded(self) -> bool:
        return self.result_code == 0


_DELIVERY_SCENARIOS = {
    Scenario.SUCCESS: Outcome(),
    Scenario.DUPLICATE_CALLBACK: Outcome(callbacks=2),
    Scenario.LATE_CALLBACK: Outcome(late=True),
    Scenario.NO_CALLBACK: Outcome(callbacks=0),
}
_UNREACHABLE = Outcome(1037, "DS timeout user cannot be reached")

STK_OUTCOMES = {
    **_DELIVERY_SCENARIOS,
    Scenario.CANCELLED: Outcome(1032, "Request cancelled by user"),
    Scenario.UNREACHABLE: _UNREACHABLE,
    Scenario.TIMEOUT: _UNREACHABLE,
    Scenario.INSUFFICIENT_FUNDS: Outcome(1, INSUFFICIENT_DESC),
    Scenario.WRONG_PIN: Outcome(2001, INITIATOR_INVALID_DESC),
}
B2C_OUTCOMES = {
    **_DELIVERY_SCENARIOS,
    Scenario.FAILURE: Outcome(2001, INITIATOR_INVALID_DESC),
    Scenario.INSUFFICIENT_FUNDS: Outcome(1, INSUFFICIENT_DESC),
    Scenario.TIMEOUT: Outcome(timed_out=True),
}
C2B_OUTCOMES = dict(_DELIVERY_SCENARIOS)

from tests.finance.fixtures import b2c_gateway
from tests.mpesa.fixtures import daraja, paybill, payout_in_flight
from tests.mpesa.simulator_fixture import daraja_simulator

__all__ = ["b2c_gateway", "daraja", "daraja_simulator", "paybill", "payout_in_flight"]

from tests.finance.fixtures import b2c_gateway
from tests.mpesa.fixtures import daraja, paybill, payout_in_flight

__all__ = ["b2c_gateway", "daraja", "paybill", "payout_in_flight"]

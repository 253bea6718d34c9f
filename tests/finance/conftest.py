from tests.finance.fixtures import b2c_gateway, post_entry, without_mpesa_gateway

__all__ = ["b2c_gateway", "post_entry", "without_mpesa_gateway"]

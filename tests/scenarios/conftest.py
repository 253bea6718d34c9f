from tests.finance.fixtures import b2c_gateway

__all__ = ["b2c_gateway"]

from tests.finance.fixtures import b2c_gateway, post_entry

__all__ = ["b2c_gateway", "post_entry"]

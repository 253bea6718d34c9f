import pytest

from tests.finance.fixtures import b2c_gateway
from tests.investments.fixtures import standard_options_ensure

__all__ = ["b2c_gateway"]


@pytest.fixture(autouse=True)
def _standard_options(request):
    standard_options_ensure(request)

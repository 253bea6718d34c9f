from investments.selectors.holdings import holding_list
from investments.selectors.options import (
    option_get,
    option_list,
    option_rate_history,
    option_rate_on,
    tax_setting_on,
)
from investments.selectors.portfolio import Portfolio, expected_proceeds, portfolio_get

__all__ = [
    "Portfolio",
    "expected_proceeds",
    "holding_list",
    "option_get",
    "option_list",
    "option_rate_history",
    "option_rate_on",
    "portfolio_get",
    "tax_setting_on",
]

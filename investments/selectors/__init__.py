from investments.selectors.holdings import holding_list
from investments.selectors.options import (
    option_get,
    option_list,
    option_rate_history,
    option_rate_on,
    tax_setting_on,
)

__all__ = [
    "holding_list",
    "option_get",
    "option_list",
    "option_rate_history",
    "option_rate_on",
    "tax_setting_on",
]

"""Daraja's APIs, one module per family. Each handler answers one authenticated JSON request
from the gateway's state with (HTTP status, body); `ROUTES` is what `DarajaSimulator.handle`
dispatches on. The token (`oauth`) and the control endpoints are routed before authentication.
"""

from collections.abc import Callable
from typing import Any

from mpesa.simulator.apis import b2c, c2b, status, stk
from mpesa.simulator.gateway import Gateway, Reply

Handler = Callable[[Gateway, dict[str, Any]], Reply]

ROUTES: dict[tuple[str, str], Handler] = {
    ("POST", stk.PUSH_PATH): stk.push,
    ("POST", stk.QUERY_PATH): stk.query,
    ("POST", c2b.REGISTER_PATH): c2b.register,
    ("POST", c2b.SIMULATE_PATH): c2b.simulate,
    ("POST", b2c.PATH): b2c.payment,
    ("POST", status.PATH): status.query,
}

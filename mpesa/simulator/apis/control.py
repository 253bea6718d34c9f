"""The simulator's own endpoints under /simulator/: queue scenarios, read what happened."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from mpesa.simulator.gateway import Gateway, Reply
from mpesa.simulator.scenarios import Scenario


def answer(gateway: Gateway, method: str, path: str, raw: bytes) -> Reply:
    if path == "/simulator/scenarios" and method == "POST":
        try:
            body = json.loads(raw or b"{}")
            gateway.queue(body["scenario"], int(body.get("count", 1)))
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            names = ", ".join(s.value for s in Scenario)
            return 400, {"error": f"Send {{'scenario': one of {names}, 'count': n}} ({exc})."}
        return 200, _scenarios(gateway)
    if path == "/simulator/scenarios" and method == "GET":
        return 200, _scenarios(gateway)
    if path == "/simulator/deliveries" and method == "GET":
        return 200, [asdict(d) for d in gateway.deliveries]
    if path == "/simulator/requests" and method == "GET":
        return 200, [asdict(r) for r in gateway.requests]
    return 404, {"error": f"No control endpoint {method} {path}."}


def _scenarios(gateway: Gateway) -> dict[str, Any]:
    return {"default": str(gateway.scenario), "queued": gateway.queued}

"""What one schemathesis run did, read from its NDJSON event report: the requests it sent, the
5xx answers it got and its failures by check."""

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Digest:
    requests: int = 0
    server_errors: int = 0
    failures: Counter[str] = field(default_factory=Counter)  # "ST108 Response violates schema"
    # One line per distinct failure: the operation, its code and the message's first line.
    lines: set[str] = field(default_factory=set)

    def summary(self) -> str:
        failed = sum(self.failures.values())
        by_kind = ", ".join(f"{count} {kind}" for kind, count in self.failures.most_common())
        return f"{self.requests} requests, {self.server_errors} 5xx, {failed} failures" + (
            f" ({by_kind})" if by_kind else ""
        )


def _failed_checks(recorder: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        check["failure_info"]["failure"]
        for checks in recorder.get("checks", {}).values()
        for check in checks
        if check["status"] == "failure" and check.get("failure_info")
    ]


def digest(report: Path) -> Digest:
    result = Digest()
    seen: set[tuple[str, str, str]] = set()
    for line in report.read_text().splitlines():
        event = json.loads(line)
        finished = event.get("ScenarioFinished")
        if finished is None:
            continue
        recorder = finished["recorder"]
        for interaction in recorder.get("interactions", {}).values():
            result.requests += 1
            response = interaction.get("response") or {}
            if response.get("status_code", 0) >= 500:
                result.server_errors += 1
        for failure in _failed_checks(recorder):
            message = failure.get("message", "").strip().splitlines()
            key = (failure["operation"], failure["code"], message[0] if message else "")
            if key in seen:
                continue
            seen.add(key)
            result.failures[f"{failure['code']} {failure['title']}"] += 1
            result.lines.add(f"{key[1]} {key[0]}: {key[2][:160]}")
    return result

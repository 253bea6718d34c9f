"""make fuzz's figures come from schemathesis's NDJSON events: requests sent, 5xx answers and
each distinct failure once."""

import json

from fuzz.report import digest


def scenario(label, answers, failures=()):
    interactions = {f"c{n}": {"response": {"status_code": code}} for n, code in enumerate(answers)}
    checks = {
        "c0": [{"name": "not_a_server_error", "status": "success"}]
        + [
            {"name": name, "status": "failure", "failure_info": {"failure": failure}}
            for name, failure in failures
        ]
    }
    recorder = {"label": label, "interactions": interactions, "checks": checks}
    return {
        "ScenarioFinished": {"status": "failure" if failures else "success", "recorder": recorder}
    }


def test_the_digest_counts_requests_server_errors_and_distinct_failures(tmp_path):
    failure = {
        "code": "ST103",
        "title": "Undocumented status code",
        "operation": "GET /api/v1/chamas/",
        "message": "Received: 403\nDocumented: 200",
    }
    events = [
        {"Initialize": {"seed": 2026}},
        scenario("GET /api/v1/chamas/", [200, 400, 500]),
        scenario("GET /api/v1/chamas/", [403], [("status_code_conformance", failure)] * 2),
    ]
    report = tmp_path / "run.ndjson"
    report.write_text("".join(json.dumps(event) + "\n" for event in events))

    result = digest(report)

    assert (result.requests, result.server_errors) == (4, 1)
    assert dict(result.failures) == {"ST103 Undocumented status code": 1}
    assert result.lines == {"ST103 GET /api/v1/chamas/: Received: 403"}
    assert result.summary() == ("4 requests, 1 5xx, 1 failures (1 ST103 Undocumented status code)")

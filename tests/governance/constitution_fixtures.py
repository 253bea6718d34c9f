"""Helpers for constitution tests: a valid rules body, taken from the chama's template."""

import copy
from typing import Any

from rest_framework.test import APIClient


def constitution_url(chama: Any, tail: str = "") -> str:
    return f"/api/v1/chamas/{chama.pk}/constitution/{tail}"


def template_rules(client: APIClient, chama: Any) -> dict[str, Any]:
    response = client.get(constitution_url(chama))
    assert response.status_code == 200, response.json()
    return copy.deepcopy(response.json()["rules"])


def with_changes(rules: dict[str, Any], **sections: dict[str, Any]) -> dict[str, Any]:
    changed = copy.deepcopy(rules)
    for section, values in sections.items():
        changed[section] = {**changed[section], **values}
    return changed

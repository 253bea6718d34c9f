"""The deployment files describe what the repository holds and the settings Hazina reads."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
# docker compose itself reads it (the database's password, interpolated into DATABASE_URL).
COMPOSE_ONLY = {"POSTGRES_PASSWORD"}


def settings_read() -> set[str]:
    source = (ROOT / "config" / "settings.py").read_text()
    return set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z][A-Z0-9_]*)"', source))


def test_settings_read_are_found():
    # Given the parser that the other tests rely on, it finds the settings we know are read.
    assert {"DJANGO_ENV", "DATABASE_URL", "REDIS_URL", "MPESA_PASSKEY"} <= settings_read()


def test_every_dockerfile_copy_source_exists():
    sources = []
    for line in (ROOT / "Dockerfile").read_text().splitlines():
        if line.startswith("COPY ") and "--from" not in line:
            *paths, _destination = line.split()[1:]
            sources.extend(paths)
    assert sources, "the Dockerfile copies nothing"
    missing = [source for source in sources if not (ROOT / source).exists()]
    assert missing == []


def test_compose_sets_only_settings_hazina_reads():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    app_services = {
        name: service for name, service in compose["services"].items() if "build" in service
    }
    assert set(app_services) == {"migrate", "web", "worker", "beat"}
    names = {name for service in app_services.values() for name in service["environment"]}
    assert names - settings_read() == set()


def test_env_example_names_only_settings_hazina_reads():
    names = {
        line.split("=", 1)[0].strip()
        for line in (ROOT / ".env.example").read_text().splitlines()
        if "=" in line and not line.lstrip().startswith("#")
    }
    assert names - settings_read() - COMPOSE_ONLY == set()

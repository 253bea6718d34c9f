"""Settings as a fresh process sees them: production refuses to start without its secrets."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from mpesa.checks import SANDBOX_CREDENTIALS

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "x7!Qm2#vL9@pR4$wT8^zK1&nB6*cY3(hJ5)fD0_gS-aE+uI=oP~"


def run(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS"}}
    base.update(DJANGO_SETTINGS_MODULE="config.settings", **env)
    return subprocess.run(
        [sys.executable, *code.split()]
        if code.startswith("manage.py")
        else [sys.executable, "-c", code],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


SETUP = "import django; django.setup(); from django.conf import settings; print(settings.TIME_ZONE)"


def test_production_refuses_to_start_without_secret_key():
    result = run(SETUP, DJANGO_ENV="production", ALLOWED_HOSTS="hazina.example")

    assert result.returncode != 0
    assert "Set the SECRET_KEY environment variable" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run(SETUP, DJANGO_ENV="production", SECRET_KEY=STRONG_KEY)

    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


# A production M-Pesa setup that passes: a long token, the live API, an allowlist and the
# platform's own credentials.
SAFE_MPESA = {
    "MPESA_ENVIRONMENT": "production",
    "MPESA_CALLBACK_TOKEN": "hM3sV9qX2bL7nR4tY8wK1cZ6pF5gJ0dA",
    "MPESA_ALLOWED_IPS": "196.201.214.200,196.201.214.206",
    "MPESA_CONSUMER_KEY": "platform-key",
    "MPESA_CONSUMER_SECRET": "platform-secret",
    "MPESA_STK_SHORTCODE": "4123456",
    "MPESA_PASSKEY": "platform-passkey",
    "MPESA_C2B_SHORTCODE": "4123456",
    "MPESA_B2C_SHORTCODE": "3123456",
    "MPESA_INITIATOR_NAME": "hazina-api",
    "MPESA_INITIATOR_PASSWORD": "platform-initiator-password",
}
PRODUCTION = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": STRONG_KEY,
    "ALLOWED_HOSTS": "hazina.example",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


def test_production_passes_check_deploy():
    result = run("manage.py check --deploy --fail-level WARNING", **PRODUCTION, **SAFE_MPESA)

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("unsafe", "error"),
    [
        ({"MPESA_CALLBACK_TOKEN": "local-callback-token"}, "mpesa.E001"),
        ({"MPESA_CALLBACK_TOKEN": "short-but-not-the-default"}, "mpesa.E001"),
        ({"MPESA_ENVIRONMENT": "simulator"}, "mpesa.E002"),
        ({"MPESA_ALLOWED_IPS": ""}, "mpesa.E003"),
        ({"MPESA_PASSKEY": next(iter(SANDBOX_CREDENTIALS["MPESA_PASSKEY"]))}, "mpesa.E004"),
        ({"MPESA_INITIATOR_NAME": "testapi"}, "mpesa.E004"),
        ({"REDIS_URL": ""}, "core.E001"),
    ],
)
def test_production_refuses_each_unsafe_mpesa_setting(unsafe, error):
    checked = run("manage.py check", **{**PRODUCTION, **SAFE_MPESA, **unsafe})
    served = run("import config.wsgi", **{**PRODUCTION, **SAFE_MPESA, **unsafe})

    assert checked.returncode != 0
    assert f"({error})" in checked.stderr
    assert served.returncode != 0
    assert "Refusing to serve with unsafe settings" in served.stderr
    assert f"({error})" in served.stderr


def test_production_without_any_mpesa_settings_names_every_problem():
    result = run("manage.py check", **PRODUCTION)

    assert result.returncode != 0
    for error in ("mpesa.E001", "mpesa.E002", "mpesa.E003"):
        assert f"({error})" in result.stderr


def test_a_production_web_process_with_safe_settings_starts():
    result = run("import config.wsgi; print('served')", **PRODUCTION, **SAFE_MPESA)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "served"


def test_embedded_defaults_need_no_server():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.TIME_ZONE, s.CELERY_TASK_ALWAYS_EAGER, s.CACHES['default']['BACKEND'], "
        "s.DATABASES['default']['ENGINE'], s.MPESA_ENVIRONMENT)"
    )
    env = dict.fromkeys(("DATABASE_URL", "REDIS_URL"), "")

    result = run(code, DJANGO_ENV="development", **env)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "Africa/Nairobi",
        "True",
        "django.core.cache.backends.locmem.LocMemCache",
        "django.db.backends.sqlite3",
        "simulator",
    ]


def test_redis_url_switches_cache_and_broker_and_stops_eager_tasks():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.CELERY_TASK_ALWAYS_EAGER, s.CELERY_BROKER_URL, s.CACHES['default']['BACKEND'])"
    )

    result = run(code, REDIS_URL="redis://127.0.0.1:6379/0", PYTEST_XDIST_WORKER="")

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "False",
        "redis://127.0.0.1:6379/0",
        "django.core.cache.backends.redis.RedisCache",
    ]

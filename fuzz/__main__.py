"""``python -m fuzz --schemathesis PATH``: schemathesis against Hazina, as a member and as an
official (``make fuzz`` builds schemathesis's own environment and runs this).

A scratch database (``hazina_fuzz`` on PostgreSQL, ``var/fuzz.sqlite3`` otherwise) is migrated
and loaded with the demo chama, as ``make run`` does; the local Daraja simulator runs in this
process and the app is served by gunicorn on a free loopback port (``bench.serving``). Each
role then gets schemathesis over the app's own schema (``/api/schema/``) with every check
(schemathesis's default; fuzz/schemathesis.toml names the one exception),
``FUZZ_MAX_EXAMPLES`` examples per operation and the demo chama as ``chama_id``. The whole run
is bounded by ``FUZZ_MAX_SECONDS``: a run still going then is stopped and fails. Any failure
fails the run. Nothing but loopback is ever addressed.

No operation is left out. Each role's token is an access token minted for the run, which
nothing the fuzzer can do revokes: signing out blacklists a refresh token (the fuzzer's are
made up), and a password change needs the current password, which it does not have.
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import timedelta
from io import StringIO
from pathlib import Path
from types import FrameType
from urllib.parse import urlsplit

from fuzz.report import digest

BASE_DIR = Path(__file__).resolve().parent.parent
CONFIG = Path(__file__).resolve().parent / "schemathesis.toml"
REPORTS = BASE_DIR / "var" / "fuzz"
MEMBERS_DICTIONARY = REPORTS / "members.dict"  # fuzz/schemathesis.toml reads it
SCHEMA_FILE = REPORTS / "schema.json"
SCRATCH_DB = "hazina_fuzz"
SQLITE_FILE = BASE_DIR / "var" / "fuzz.sqlite3"
POSTGRES_SCHEMES = {"postgres", "postgresql", "pgsql", "psql"}
MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES") or 25)
MAX_SECONDS = int(os.environ.get("FUZZ_MAX_SECONDS") or 1200)
# A fixed seed by default, so CI replays the same inputs; FUZZ_SEED picks other ones.
SEED = int(os.environ.get("FUZZ_SEED") or 2026)
STOP_GRACE = 30  # seconds schemathesis has to report after it is interrupted


@dataclass(frozen=True)
class Role:
    name: str
    phone: str  # a seed_demo login
    token: str = ""


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m fuzz", description=__doc__)
    parser.add_argument("--schemathesis", required=True, help="the schemathesis executable to run")
    parser.add_argument(
        "--keep-db", action="store_true", help="leave the scratch database in place afterwards"
    )
    return parser.parse_args()


def _scratch_name() -> str:
    scheme = urlsplit(os.environ.get("DATABASE_URL", "")).scheme
    return SCRATCH_DB if scheme in POSTGRES_SCHEMES else str(SQLITE_FILE)


def _server_database_url(name: str) -> str:
    if name == SCRATCH_DB:
        return urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{name}").geturl()
    return f"sqlite:///{name}"


def demo_load(roles: list[Role], lifetime: timedelta) -> tuple[str, list[Role]]:
    """The demo chama, as ``make run`` loads it, its members' ids for schemathesis's
    dictionary, and an access token for each role's login, valid for the whole run (the
    server checks only the token's signature and expiry)."""
    from django.core.management import call_command
    from rest_framework_simplejwt.tokens import RefreshToken

    from accounts.models import User
    from finance.management.commands.seed_demo import DEMO_CHAMA_CODE
    from groups.models import Chama, Membership

    call_command("seed_demo", stdout=StringIO())
    chama = Chama.objects.get(code=DEMO_CHAMA_CODE)
    chama_id = str(chama.pk)
    members = Membership.objects.filter(chama=chama).values_list("pk", flat=True)
    MEMBERS_DICTIONARY.write_text("".join(f'"{pk}"\n' for pk in members))
    signed_in = []
    for role in roles:
        access = RefreshToken.for_user(User.objects.get(phone=role.phone)).access_token
        access.set_exp(lifetime=lifetime)
        signed_in.append(Role(role.name, role.phone, str(access)))
    return chama_id, signed_in


def schema_fetch(base: str) -> Path:
    """The schema as the server serves it: every part of an answer is checked against it,
    an error's ``code`` too (each operation lists the codes it can return)."""
    import requests

    response = requests.get(f"{base}/api/schema/", params={"format": "json"}, timeout=60)
    response.raise_for_status()
    SCHEMA_FILE.write_text(json.dumps(response.json()))
    return SCHEMA_FILE


def schemathesis_run(
    executable: str, schema: Path, base: str, role: Role, chama_id: str, deadline: float
) -> tuple[int, float]:
    """One role's schemathesis run; its exit status (124 when the deadline stopped it) and
    how long it took."""
    reports = REPORTS / role.name
    shutil.rmtree(reports, ignore_errors=True)  # one run's reports, read by fuzz.report
    reports.mkdir(parents=True)
    command = [
        executable,
        "--config-file",
        str(CONFIG),
        "run",
        str(schema),
        "--url",
        base,
        "--max-examples",
        str(MAX_EXAMPLES),
        "--seed",
        str(SEED),
        "--workers",
        "1",
        "--report",
        "junit,ndjson",
        "--report-dir",
        str(reports),
    ]
    env = {
        **os.environ,
        "HAZINA_FUZZ_TOKEN": role.token,
        "HAZINA_FUZZ_CHAMA": chama_id,
        "SCHEMATHESIS_HOOKS": "fuzz.checks",  # well_formed_values_are_read
    }
    print(f"\n=== schemathesis as the {role.name} ({role.phone}) ===", flush=True)
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=BASE_DIR, env=env)  # noqa: S603 - our arguments
    try:
        status = process.wait(timeout=max(deadline - time.monotonic(), 1))
    except subprocess.TimeoutExpired:
        print(f"FUZZ_MAX_SECONDS ({MAX_SECONDS}) reached: stopping schemathesis.")
        status = 124
    finally:
        _stop(process)
    return status, time.monotonic() - started


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Interrupt schemathesis if it still runs (it reports what it ran, then exits)."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=STOP_GRACE)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def results_print(results: list[tuple[Role, int, float]], database: str, seconds: float) -> None:
    print(f"\nmake fuzz: {MAX_EXAMPLES} examples per operation, seed {SEED}, {database}")
    for role, status, took in results:
        verdict = "clean" if status == 0 else f"FAILED (exit {status})"
        reports = list((REPORTS / role.name).glob("*.ndjson"))
        figures = digest(reports[0]).summary() if reports else "no report"
        print(f"  {role.name:<9} {took:5.0f} s  {verdict}: {figures}")
    print(f"  total {seconds:.0f} s; reports in {REPORTS}")


def run(*, executable: str, keep_db: bool) -> int:
    from django.core.management import call_command
    from django.db import connection
    from django.test import override_settings

    from bench.common import scratch_database_create, scratch_database_drop
    from bench.serving import free_port, log_tail, served
    from finance.management.commands.seed_demo import PEOPLE
    from groups.choices import Role as Office
    from mpesa.simulator import DarajaSimulator

    started = time.monotonic()
    deadline = started + MAX_SECONDS
    logins: dict[str, str] = {}
    for phone, _email, _name, office in PEOPLE:
        logins.setdefault(office, phone)
    # The member first: the official's run may change what the member's would read.
    roles = [Role("member", logins[Office.MEMBER]), Role("official", logins[Office.TREASURER])]
    database = _scratch_name()
    REPORTS.mkdir(parents=True, exist_ok=True)
    # A kill (as from `timeout`) unwinds like ^C: the server stops, the database is dropped.
    handler = signal.signal(signal.SIGTERM, _interrupt)
    previous = scratch_database_create(database)
    try:
        chama_id, roles = demo_load(roles, timedelta(seconds=MAX_SECONDS + 300))
        connection.close()  # the server opens its own connections
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        log = REPORTS / "gunicorn.log"
        results = []
        with DarajaSimulator.from_settings(port=0) as daraja:
            with override_settings(MPESA_BASE_URL=daraja.base_url, MPESA_CALLBACK_BASE_URL=base):
                call_command("daraja_register_urls", stdout=StringIO())
            server_env = {"MPESA_BASE_URL": daraja.base_url}
            with served(_server_database_url(database), port, log, extra_env=server_env):
                schema = schema_fetch(base)
                for role in roles:
                    status, took = schemathesis_run(
                        executable, schema, base, role, chama_id, deadline
                    )
                    results.append((role, status, took))
        results_print(results, database, time.monotonic() - started)
        if any(status for _, status, _ in results):
            print(f"gunicorn's log (its end):\n{log_tail(log)}")
            return 1
        return 0
    except KeyboardInterrupt:
        print("Interrupted.")
        return 130
    finally:
        connection.close()
        if not keep_db:
            scratch_database_drop(previous)
        signal.signal(signal.SIGTERM, handler)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def main() -> int:
    args = _arguments()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "false")
    # The server runs without Redis (tasks eager, bench.serving), and so does the loading here:
    # nothing is left queued for a worker that never comes.
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    return run(
        executable=args.schemathesis,
        keep_db=args.keep_db,
    )


if __name__ == "__main__":
    sys.exit(main())

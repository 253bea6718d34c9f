"""Register the paybill's C2B validation and confirmation URLs with Daraja (once per shortcode;
in production Safaricom may have to approve a change)."""

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from mpesa.callbacks import callback_url
from mpesa.choices import CallbackKind
from mpesa.client import DarajaClient, DarajaError


class Command(BaseCommand):
    help = "Register Hazina's C2B validation and confirmation URLs for MPESA_C2B_SHORTCODE."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--response-type",
            choices=["Completed", "Cancelled"],
            default="Completed",
            help="What Safaricom does when validation does not answer (default: Completed).",
        )
        parser.add_argument(
            "--wait",
            type=float,
            nargs="?",
            const=20.0,
            default=0.0,
            help="Keep trying for this many seconds while Daraja cannot be reached (the "
            "simulator starting beside the server).",
        )

    def handle(self, *args: Any, response_type: str, wait: float, **options: Any) -> None:
        validation = callback_url(CallbackKind.C2B_VALIDATION)
        confirmation = callback_url(CallbackKind.C2B_CONFIRMATION)
        deadline = time.monotonic() + wait
        # While waiting for Daraja to come up, each refused connection is expected: the client's
        # warning per attempt would bury the one line that matters.
        with _quiet(logging.getLogger("mpesa.client"), quiet=wait > 0):
            while True:
                try:
                    DarajaClient.from_settings().c2b_register_urls(
                        validation_url=validation,
                        confirmation_url=confirmation,
                        response_type=response_type,
                    )
                    break
                except DarajaError as exc:
                    if exc.code != "connection_error":
                        raise CommandError(
                            f"Daraja refused the registration: {exc.message}"
                        ) from exc
                    if time.monotonic() > deadline:
                        raise CommandError(
                            f"Daraja at {settings.MPESA_BASE_URL} could not be reached"
                            + (f" within {wait:g} s." if wait else ".")
                        ) from exc
                    time.sleep(0.5)
        self.stdout.write(f"Registered C2B URLs:\n  {validation}\n  {confirmation}")


@contextmanager
def _quiet(logger: logging.Logger, *, quiet: bool) -> Iterator[None]:
    level = logger.level
    if quiet:
        logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)

import signal
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from mpesa.simulator import DarajaSimulator, Scenario


class Command(BaseCommand):
    help = (
        "Run the local Daraja simulator in the foreground until interrupted. It accepts the "
        "MPESA_* credentials from the settings and calls back the URLs the requests carry."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8001)
        parser.add_argument(
            "--delay", type=float, default=2.0, help="Seconds before a callback is delivered."
        )
        parser.add_argument(
            "--late-delay",
            type=float,
            default=30.0,
            help="Seconds before a late_callback is delivered.",
        )
        parser.add_argument(
            "--scenario",
            default=Scenario.SUCCESS.value,
            choices=[s.value for s in Scenario if s is not Scenario.SPIKE_ARREST],
            help="What happens to every request no queued scenario claims.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        simulator = DarajaSimulator.from_settings(
            host=options["host"],
            port=options["port"],
            delay=options["delay"],
            late_delay=options["late_delay"],
            scenario=options["scenario"],
        )
        url = simulator.base_url
        self.stdout.write(
            f"Daraja simulator on {url} (scenario {simulator.scenario}, callbacks after "
            f"{simulator.delay:g} s). Queue a scenario: curl -X POST {url}/simulator/scenarios "
            """-d '{"scenario": "cancelled", "count": 1}'. """
            f"Delivered callbacks: {url}/simulator/deliveries. Ctrl-C stops."
        )
        # `docker compose stop` and process managers send SIGTERM: stop as on Ctrl-C.
        signal.signal(signal.SIGTERM, _interrupt)
        try:
            simulator.serve_forever()
        except KeyboardInterrupt:
            self.stdout.write("Daraja simulator stopped.")


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt

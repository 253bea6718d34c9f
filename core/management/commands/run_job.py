from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.module_loading import autodiscover_modules

from core.jobs import JOBS


class Command(BaseCommand):
    help = "Run a scheduled job now, by name (the same code Celery beat runs)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", nargs="?", help="Leave out to list the jobs.")

    def handle(self, *args: Any, name: str | None = None, **options: Any) -> None:
        autodiscover_modules("tasks")
        if not name:
            for known in sorted(JOBS):
                self.stdout.write(known)
            return
        if name not in JOBS:
            raise CommandError(f"Unknown job {name!r}. Known: {', '.join(sorted(JOBS))}.")
        self.stdout.write(f"{name}: {JOBS[name]()}")

"""Give the demo chama its governance (run after ``seed_demo``; safe to run again)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from finance.management.commands.seed_demo import DEMO_CHAMA_CODE
from governance.demo import seed_demo_governance
from groups.models import Chama


class Command(BaseCommand):
    help = "Add the demo chama's constitution, meetings, votes, fines and expenses (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        chama = Chama.objects.filter(code=DEMO_CHAMA_CODE).first()
        if chama is None:
            raise CommandError("No demo chama: run seed_demo first.")
        seed_demo_governance(chama)
        self.stdout.write(self.style.SUCCESS(f"Demo governance of {chama.code} is ready."))

"""Give the demo chama its governance (run after ``seed_demo``; safe to run again)."""

from finance.management.commands.seed_demo import DemoPartCommand
from governance.demo import seed_demo_governance
from groups.models import Chama


class Command(DemoPartCommand):
    help = "Add the demo chama's constitution, meetings, votes, fines and expenses (idempotent)."
    part = "governance"

    def seed(self, chama: Chama) -> None:
        seed_demo_governance(chama)

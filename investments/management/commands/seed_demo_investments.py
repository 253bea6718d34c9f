"""Give the demo chama its investments (run after ``seed_demo_governance``; safe to run again)."""

from finance.management.commands.seed_demo import DemoPartCommand
from groups.models import Chama
from investments.demo import seed_demo_investments


class Command(DemoPartCommand):
    help = "Add the demo chama's fund placement, a savings goal and its idle cash (idempotent)."
    part = "investments"

    def seed(self, chama: Chama) -> None:
        seed_demo_investments(chama)

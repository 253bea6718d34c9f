"""Load a demo chama with its officials, members and first month of books. Safe to run again:
it adds only what is missing. It lives in finance, the highest layer whose data it creates."""

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from finance.models import Contribution, Cycle
from finance.services.contributions import contribution_record
from finance.services.cycles import cycle_create
from groups import services
from groups.access import officials_group
from groups.choices import CycleFrequency, Role, Weekday
from groups.models import Chama, Membership

DEMO_PASSWORD = "hazina-demo-2026"  # noqa: S105 - the published demo password
DEMO_CHAMA_CODE = "UMJ001"
ADMIN = {"phone": "254700000001", "email": "admin@hazina.local", "full_name": "Hazina Admin"}
PEOPLE = [
    ("254711000001", "wanjiru@demo.hazina.local", "Wanjiru Kamau", Role.CHAIR),
    ("254711000002", "otieno@demo.hazina.local", "Otieno Odhiambo", Role.TREASURER),
    ("254711000003", "achieng@demo.hazina.local", "Achieng Atieno", Role.SECRETARY),
    ("254711000004", "mutua@demo.hazina.local", "Mutua Musyoka", Role.MEMBER),
    ("254111000005", "njeri@demo.hazina.local", "Njeri Wambui", Role.MEMBER),
    ("254711000006", "kiprop@demo.hazina.local", "Kiprop Cheruiyot", Role.AUDITOR),
]


class DemoPartCommand(BaseCommand):
    """A command that adds one part to the demo chama after ``seed_demo`` (the apps above
    finance seed their own: governance, investments)."""

    part = ""

    def seed(self, chama: Chama) -> None:
        raise NotImplementedError

    def handle(self, *args: Any, **options: Any) -> None:
        chama = Chama.objects.filter(code=DEMO_CHAMA_CODE).first()
        if chama is None:
            raise CommandError("No demo chama: run seed_demo first.")
        self.seed(chama)
        self.stdout.write(self.style.SUCCESS(f"Demo {self.part} of {chama.code}: ready."))


def seed_demo_books(chama: Chama) -> None:
    """A first cycle starting this month, with round 1 paid by all but two members (one of
    them part-paid), so the books, the round summary and the defaulters have something to
    show. Each step runs only if it has not run before."""
    if not Cycle.objects.filter(chama=chama).exists():
        cycle_create(chama=chama, start_date=timezone.localdate().replace(day=1))
    members = list(Membership.objects.active().filter(chama=chama).order_by("seat"))
    payments = [(member, chama.contribution_amount) for member in members[:4]]
    payments.append((members[4], Decimal("4000.00")))
    for number, (member, amount) in enumerate(payments, start=1):
        receipt = f"DEMO{number:06d}"
        if not Contribution.objects.filter(mpesa_receipt=receipt).exists():
            contribution_record(
                chama=chama,
                membership=member,
                amount=amount,
                method="mpesa",
                mpesa_receipt=receipt,
            )


def demo_user(phone: str, email: str, full_name: str, **extra: Any) -> User:
    user = User.objects.filter(phone=phone).first()
    if user is None:
        user = User.objects.create_user(
            phone, DEMO_PASSWORD, email=email, full_name=full_name, **extra
        )
    return user


class Command(BaseCommand):
    help = "Load the demo chama (idempotent) and print the demo logins."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            chama = self.seed_people()
        seed_demo_books(chama)
        self.print_logins(chama)

    def seed_people(self) -> Chama:
        demo_user(**ADMIN, is_staff=True, is_superuser=True)
        officials_group()  # made, or its permissions mended
        users = {}
        for phone, email, full_name, _role in PEOPLE:
            # back-office access comes with the office (groups.access)
            users[phone] = demo_user(phone, email, full_name)

        chair = users[PEOPLE[0][0]]
        chama = Chama.objects.filter(code=DEMO_CHAMA_CODE).first()
        if chama is None:
            chama = services.chama_create(
                creator=chair,
                name="Umoja Merry-Go-Round",
                code=DEMO_CHAMA_CODE,
                description="Demo chama: six members, 10,000 a month.",
                contribution_amount=Decimal("10000.00"),
                rotation_amount=Decimal("8000.00"),
                savings_amount=Decimal("1500.00"),
                welfare_amount=Decimal("500.00"),
                cycle_frequency=CycleFrequency.MONTHLY,
                meeting_day=Weekday.SATURDAY,
            )
        chair_membership = Membership.objects.get(chama=chama, user=chair)
        for phone, email, full_name, role in PEOPLE[1:]:
            if not Membership.objects.filter(chama=chama, user__phone=phone).exists():
                services.membership_add(
                    chama=chama,
                    actor=chair_membership,
                    phone=phone,
                    full_name=full_name,
                    email=email,
                    role=role,
                )

        return chama

    def print_logins(self, chama: Chama) -> None:
        self.stdout.write(self.style.SUCCESS(f"Demo chama {chama.name} ({chama.code}) is ready."))
        self.stdout.write(f"Every demo login uses the password: {DEMO_PASSWORD}")
        self.stdout.write(f"  admin (superuser)  {ADMIN['email']:<28} {ADMIN['phone']}")
        for phone, email, _name, role in PEOPLE:
            self.stdout.write(f"  {role:<18} {email:<28} {phone}")
        site = settings.SITE_URL
        self.stdout.write(f"API docs: {site}/api/docs/   Back office: {site}/admin/")

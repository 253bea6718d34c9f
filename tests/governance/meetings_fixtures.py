"""A chama with every role and their API clients, and files of each kind, for the meetings
and documents tests."""

import io
import zipfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from governance.models import Meeting
from governance.services.meetings import meeting_schedule
from groups.choices import Role
from groups.models import Chama, Membership
from tests.factories import UserFactory, add_member, make_chama

PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG_BYTES = b"\xff\xd8\xff\xe0" + b"\x00" * 32
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64
ELF_BYTES = b"\x7fELF\x02\x01\x01" + b"\x00" * 64


def office_zip(*parts: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for part in parts:
            archive.writestr(part, "<x/>")
    return buffer.getvalue()


DOCX_BYTES = office_zip("[Content_Types].xml", "word/document.xml")
XLSX_BYTES = office_zip("[Content_Types].xml", "xl/workbook.xml")


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


@dataclass
class Club:
    chama: Chama
    members: dict[str, Membership]
    clients: dict[str, APIClient]
    base: str
    client_for: Any = None

    def fresh(self, role: str) -> APIClient:
        """A client signed in now (inside a time travel, where older tokens are not yet or
        no longer valid)."""
        if self.client_for is not None:
            return self.client_for(self.members[role].user)
        client = APIClient()
        token = RefreshToken.for_user(self.members[role].user).access_token
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        return client

    def __getattr__(self, role: str) -> Membership:
        try:
            return self.__dict__["members"][role]
        except KeyError:
            raise AttributeError(role) from None


def make_club(client_for: Any = None, name: str = "Umoja Group") -> Club:
    """A chama with a chair, treasurer, secretary, auditor and member (and, given
    ``client_for``, an API client for each, an outsider and an anonymous caller)."""
    chama = make_chama(name=name)
    members = {Role.CHAIR.value: chama.memberships.get()}
    for role in (Role.TREASURER, Role.SECRETARY, Role.AUDITOR, Role.MEMBER):
        members[role.value] = add_member(chama, role=role)
    clients: dict[str, APIClient] = {}
    if client_for is not None:
        clients = {role: client_for(m.user) for role, m in members.items()}
        clients["outsider"] = client_for(UserFactory())
        clients["anonymous"] = APIClient()
    return Club(chama, members, clients, f"/api/v1/chamas/{chama.pk}", client_for)


def schedule(club: Club, starts_at: datetime, hours: int = 2, **kw: Any) -> Meeting:
    kw.setdefault("place", "Mama Njeri's house, Kawangware")
    return meeting_schedule(
        chama=club.chama,
        acting=club.secretary,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=hours),
        **kw,
    )

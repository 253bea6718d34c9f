"""Reading one member's money: the member themself, the officials and the auditor."""

from uuid import UUID

from core.exceptions import NotFoundError
from finance.exceptions import FinanceError
from finance.statements import statement_member_get
from groups.choices import OFFICE_ROLES
from groups.models import Chama, Membership


def member_readable_get(
    *, chama: Chama, viewer: Membership, member_id: UUID, denied: Exception
) -> Membership:
    """The member ``member_id`` of ``chama`` (any status: a former member's money still has a
    history), when ``viewer`` may read their money; 404 if there is none, ``denied`` if a plain
    member asks about someone else."""
    member = statement_member_get(chama=chama, member_id=member_id)
    if member is None:
        raise NotFoundError(FinanceError.MEMBER_NOT_FOUND)
    if member.pk != viewer.pk and viewer.role not in OFFICE_ROLES:
        raise denied
    return member

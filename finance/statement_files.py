"""Which renderer writes a statement file: ``RENDERERS`` maps the API's ``format`` to the
renderer of a chama's statement and of a member's, its media type and its file extension."""

from collections.abc import Callable
from dataclasses import dataclass

from finance.statement_renderers import statement_csv, statement_pdf, statement_xlsx
from finance.statement_renderers_member import (
    member_statement_csv,
    member_statement_pdf,
    member_statement_xlsx,
)
from finance.statement_text import AnyStatement
from finance.statements_member import MemberStatement


@dataclass(frozen=True)
class Renderer:
    media_type: str
    extension: str
    chama: Callable[..., bytes]
    member: Callable[[MemberStatement], bytes]

    @property
    def content_type(self) -> str:
        return (
            f"{self.media_type}; charset=utf-8"
            if self.media_type.startswith("text/")
            else self.media_type
        )

    def render(self, statement: AnyStatement) -> bytes:
        if isinstance(statement, MemberStatement):
            return self.member(statement)
        return self.chama(statement)


RENDERERS: dict[str, Renderer] = {
    "csv": Renderer("text/csv", "csv", statement_csv, member_statement_csv),
    "xlsx": Renderer(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
        statement_xlsx,
        member_statement_xlsx,
    ),
    "pdf": Renderer("application/pdf", "pdf", statement_pdf, member_statement_pdf),
}

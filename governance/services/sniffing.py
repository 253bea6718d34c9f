"""What a file is, read from its bytes: never from its name or the client's content type.

Accepted: PDF, PNG, JPEG, Word (.docx) and Excel (.xlsx) — zip archives told apart by their
parts — and plain UTF-8 text. A program (Windows PE ``MZ``, ELF, Mach-O, a ``#!`` script) is
refused as such whatever it is called; anything else is an unsupported type.
"""

import codecs
import zipfile
from dataclasses import dataclass
from typing import IO

from core.exceptions import ValidationFailed
from governance.exceptions import DocumentError

CHUNK = 64 * 1024


@dataclass(frozen=True)
class FileType:
    content_type: str
    extension: str


PDF = FileType("application/pdf", ".pdf")
PNG = FileType("image/png", ".png")
JPEG = FileType("image/jpeg", ".jpg")
DOCX = FileType("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx")
XLSX = FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx")
TEXT = FileType("text/plain; charset=utf-8", ".txt")

MAGIC = ((b"%PDF-", PDF), (b"\x89PNG\r\n\x1a\n", PNG), (b"\xff\xd8\xff", JPEG))
EXECUTABLE_MAGIC = (
    b"MZ",  # Windows PE / DOS
    b"\x7fELF",  # Linux and most Unix
    b"\xfe\xed\xfa\xce",  # Mach-O 32-bit
    b"\xfe\xed\xfa\xcf",  # Mach-O 64-bit
    b"\xce\xfa\xed\xfe",  # Mach-O 32-bit, little-endian
    b"\xcf\xfa\xed\xfe",  # Mach-O 64-bit, little-endian
    b"\xca\xfe\xba\xbe",  # Mach-O universal (and Java classes)
    b"#!",  # a script with an interpreter line
)
ZIP_MAGIC = b"PK\x03\x04"
# Control characters other than tab, newline, carriage return and form feed: not text.
NOT_TEXT = frozenset(range(32)) - {9, 10, 12, 13}


def file_type_sniff(file: IO[bytes]) -> FileType:
    """The type of ``file`` (read from its start, rewound after); ValidationFailed about
    ``file`` if it is a program or of no accepted type."""
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    try:
        return _sniffed(file, head)
    finally:
        file.seek(0)


def _sniffed(file: IO[bytes], head: bytes) -> FileType:
    if head.startswith(EXECUTABLE_MAGIC):
        raise ValidationFailed(DocumentError.EXECUTABLE, field="file")
    for magic, file_type in MAGIC:
        if head.startswith(magic):
            return file_type
    if head.startswith(ZIP_MAGIC):
        return _office_type(file)
    if _is_utf8_text(file):
        return TEXT
    raise ValidationFailed(DocumentError.UNSUPPORTED_TYPE, field="file")


def _office_type(file: IO[bytes]) -> FileType:
    """A .docx or .xlsx is a zip whose parts name it: word/document.xml or xl/workbook.xml,
    beside [Content_Types].xml. Any other zip (or a broken one) is not accepted."""
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        names = set()
    if "[Content_Types].xml" in names:
        if "word/document.xml" in names:
            return DOCX
        if "xl/workbook.xml" in names:
            return XLSX
    raise ValidationFailed(DocumentError.UNSUPPORTED_TYPE, field="file")


def _is_utf8_text(file: IO[bytes]) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    while chunk := file.read(CHUNK):
        if NOT_TEXT.intersection(chunk):
            return False
        try:
            decoder.decode(chunk)
        except UnicodeDecodeError:
            return False
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True

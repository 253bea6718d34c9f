"""A file's type is read from its bytes, whatever it is called."""

import io

import pytest

from core.exceptions import ValidationFailed
from governance.exceptions import DocumentError
from governance.services.sniffing import DOCX, JPEG, PDF, PNG, TEXT, XLSX, file_type_sniff
from tests.governance.meetings_fixtures import (
    DOCX_BYTES,
    ELF_BYTES,
    EXE_BYTES,
    JPEG_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    XLSX_BYTES,
    office_zip,
)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (PDF_BYTES, PDF),
        (PNG_BYTES, PNG),
        (JPEG_BYTES, JPEG),
        (DOCX_BYTES, DOCX),
        (XLSX_BYTES, XLSX),
        ("Mkutano wa Jumamosi — michango 5,000 ✓\n".encode(), TEXT),
    ],
)
def test_accepted_types(content, expected):
    file = io.BytesIO(content)

    assert file_type_sniff(file) is expected
    assert file.tell() == 0  # rewound for the storage


@pytest.mark.parametrize(
    "content",
    [EXE_BYTES, ELF_BYTES, b"#!/bin/sh\nrm -rf /\n", b"\xcf\xfa\xed\xfe" + b"\x00" * 16],
)
def test_a_program_is_refused_as_such(content):
    with pytest.raises(ValidationFailed) as refused:
        file_type_sniff(io.BytesIO(content))

    assert refused.value.code is DocumentError.EXECUTABLE
    assert refused.value.message == (
        "This file is a program, not a document: it is refused whatever its name."
    )
    assert refused.value.field == "file"


@pytest.mark.parametrize(
    "content",
    [
        b"GIF89a" + b"\x00" * 10,  # binary: a NUL byte
        b"\xc3\x28 not utf-8",
        b"PK\x03\x04 a broken zip",
        office_zip("[Content_Types].xml", "ppt/presentation.xml"),  # PowerPoint: not accepted
        office_zip("readme.txt"),
        b"caf\xc3",  # UTF-8 cut off mid-character
    ],
)
def test_other_files_are_unsupported(content):
    with pytest.raises(ValidationFailed) as refused:
        file_type_sniff(io.BytesIO(content))

    assert refused.value.code is DocumentError.UNSUPPORTED_TYPE

"""Errors the pipeline raises for bad input.

Every error carries a one-line, human-readable reason; the CLI prints it, the API turns it into
`{"detail": ...}` with the status code named here, and a worker stores it as the job's failure
reason. Nothing else in the pipeline should escape as a bare exception for input problems.
"""

from __future__ import annotations


class DocumentError(Exception):
    """The input cannot be processed; `http_status` says how the API should answer."""

    http_status = 400

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class UnsupportedType(DocumentError):
    """The bytes are not one of the supported formats (PDF, PNG, JPEG, WebP, TIFF)."""


class CorruptDocument(DocumentError):
    """The bytes claim a supported format but cannot be parsed."""


class EncryptedDocument(DocumentError):
    """A password-protected PDF that cannot be opened without the password."""


class LimitExceeded(DocumentError):
    """Too many pages, too many pixels or too many bytes."""

    http_status = 413


class UnknownDocumentType(DocumentError):
    """A caller asked for a document type that has no schema."""

    http_status = 422

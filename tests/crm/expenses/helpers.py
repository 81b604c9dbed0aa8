"""Receipt files for the expense tests: the smallest files whose content matches their type."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def pdf_upload(name: str = "paragon.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, "application/pdf")


def png_upload(name: str = "paragon.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, "image/png")

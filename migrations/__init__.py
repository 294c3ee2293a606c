"""Alembic migrations of the invoice-ocr schema; run them with `invoice-ocr db upgrade`."""

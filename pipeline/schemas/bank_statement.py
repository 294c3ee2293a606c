"""The bank-statement schema: one account, one period, every transaction.

Sign convention: `amount` is positive for money in (credit) and negative for money out (debit),
whatever the statement prints (separate debit/credit columns, trailing minus, "S"/"H" markers).
Every transaction is returned; nothing is cut at 100 rows.
"""

from __future__ import annotations

import datetime

from pydantic import BaseModel, ConfigDict, Field


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Transaction(_Model):
    date: datetime.date | None = Field(None, description="Booking date")
    value_date: datetime.date | None = None
    description: str | None = Field(None, description="Full purpose text")
    reference: str | None = None
    amount: float | None = Field(None, description="Positive for credits, negative for debits")
    type: str | None = Field(None, description="'credit' or 'debit'")
    balance: float | None = Field(None, description="Running balance after it, when printed")


class BankStatementContent(_Model):
    account_holder: str | None = None
    account_number: str | None = None
    iban: str | None = None
    bic: str | None = None
    bank_name: str | None = None
    statement_date: datetime.date | None = None
    period_from: datetime.date | None = None
    period_to: datetime.date | None = None
    currency: str | None = Field(None, description="ISO 4217")
    language: str | None = Field(None, description="ISO 639-1")
    opening_balance: float | None = None
    closing_balance: float | None = None
    transactions: list[Transaction] = Field(default_factory=list)

"""The payslip schema: employer, employee, pay period, earnings and deductions.

Deductions are always positive numbers (they are subtracted by definition), so that
gross - sum(deductions) = net can be checked whatever sign the slip prints.
"""

from __future__ import annotations

import datetime

from pydantic import BaseModel, ConfigDict, Field


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Employer(_Model):
    name: str | None = None
    address: str | None = None
    tax_id: str | None = None


class Employee(_Model):
    name: str | None = None
    employee_number: str | None = None
    tax_id: str | None = Field(None, description="Employee tax identification number")
    social_security_number: str | None = Field(None, description="Social security / national insurance no.")
    iban: str | None = Field(None, description="Account the salary is paid to")


class PayLine(_Model):
    description: str | None = None
    amount: float | None = None


class PayslipContent(_Model):
    employer: Employer = Field(default_factory=Employer)
    employee: Employee = Field(default_factory=Employee)
    period_from: datetime.date | None = None
    period_to: datetime.date | None = None
    payment_date: datetime.date | None = None
    currency: str | None = Field(None, description="ISO 4217")
    language: str | None = Field(None, description="ISO 639-1")
    earnings: list[PayLine] = Field(default_factory=list, description="Positive pay components")
    deductions: list[PayLine] = Field(default_factory=list, description="Amounts subtracted, positive")
    gross_salary: float | None = None
    net_salary: float | None = None
    tax_amount: float | None = Field(None, description="Income tax, when printed separately")
    social_security_amount: float | None = Field(None, description="Total social security contributions")
    notes: str | None = None

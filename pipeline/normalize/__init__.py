"""Turning printed text into typed values: amounts, dates, currencies, identifiers."""

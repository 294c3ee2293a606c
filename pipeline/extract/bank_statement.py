"""Bank-statement fields: account, period, balances and every transaction.

Transactions come from the shared header-driven table reader; a row starts at a line whose date
column holds a date, and the lines under it continue the purpose text. Amounts follow the schema's
sign convention (money in positive, money out negative) whether the statement prints separate
debit/credit columns, a signed amount, a trailing minus or German "S"/"H" markers. The running
balance, when printed, settles a sign the layout leaves open: previous balance + amount = balance.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from pipeline.extract import labels as L
from pipeline.extract.common import (
    RANGE_CONNECTORS,
    Vocabulary,
    amount_fields,
    cell_date,
    cell_text,
    compile_labels,
    date_parser,
    date_range_parser,
    ev,
    first_iban,
    issuer_party,
    labelled,
    labelled_party,
    read_table,
    window_party,
)
from pipeline.extract.context import DocContext, build_context, span_words
from pipeline.model import Evidence, LoadedDocument
from pipeline.normalize.amounts import find_amounts, parse_amount
from pipeline.normalize.dates import find_dates
from pipeline.normalize.identifiers import find_bics

HOLDER = compile_labels(
    [
        (r"^(?:account\s*holder|account\s*name|customer|holder)\b", 1.0),
        (r"^(?:konto\s*-?\s*inhaber(?:in)?|inhaber)\b", 1.0),
        (r"^(?:titulaire(?:\s*du\s*compte)?)\b", 1.0),
        (r"^(?:titular(?:\s*de\s*la\s*cuenta)?)\b", 1.0),
        (r"^(?:rekening\s*-?\s*houder|tenaamstelling)\b", 1.0),
    ]
)
STATEMENT_DATE = compile_labels(
    [
        (r"\bstatement\s*date\b|\bdate\s*of\s*(?:statement|issue)\b|\bissued\s*on\b", 1.0),
        (r"\bauszugs\s*-?\s*datum\b|\berstellt\s*am\b|\bdatum\s*des\s*auszugs\b", 1.0),
        (r"\bdate\s*(?:du\s*relev[ée]|d['’][ée]dition|d['’][ée]mission)\b|\b[ée]dit[ée]\s*le\b", 1.0),
        (r"\bfecha\s*(?:del\s*extracto|de\s*emisi[óo]n)\b", 1.0),
        (r"\bafschrift\s*-?\s*datum\b|\bdatum\s*afschrift\b", 1.0),
    ]
)
PERIOD = compile_labels(
    [
        (r"\b(?:statement\s*)?period\b|\bfrom\b", 1.0),
        (r"\b(?:abrechnungs\s*-?\s*)?zeitraum\b|\bvom\b", 1.0),
        (r"\bp[ée]riode\b|\bdu\b", 0.9),
        (r"\bperiodo\b|\bdel\b", 0.9),
        (r"\bperiode\b|\bvan\b", 0.9),
    ]
)
# Dutch statements also print "van 1-3-2024 tot en met 31-3-2024".
_PERIOD_CONNECTORS = RANGE_CONNECTORS + "|tot en met"
OPENING = compile_labels(
    [
        (
            r"\b(?:opening|previous|starting|start)\s*balance\b|\bbalance\s*(?:brought|carried)\s*forward\b",
            1.0,
        ),
        (r"\balter\s*(?:konto\s*-?\s*)?stand\b|\banfangs\s*-?\s*saldo\b|\bsaldo\s*(?:alt|vortrag)\b", 1.0),
        (r"\b(?:ancien\s*)?solde\s*(?:initial|pr[ée]c[ée]dent|au\s*d[ée]but)\b|\bancien\s*solde\b", 1.0),
        (r"\bsaldo\s*(?:inicial|anterior)\b", 1.0),
        (r"\bbegin\s*-?\s*saldo\b|\boud\s*saldo\b|\bvorig\s*saldo\b", 1.0),
    ]
)
CLOSING = compile_labels(
    [
        (r"\b(?:closing|new|ending|final|end)\s*balance\b|\bbalance\s*carried\s*forward\b", 1.0),
        (
            r"\bneuer\s*(?:konto\s*-?\s*)?stand\b|\bend\s*-?\s*saldo\b|\bsaldo\s*neu\b|\bschluss\s*-?\s*saldo\b",
            1.0,
        ),
        (r"\b(?:nouveau\s*)?solde\s*(?:final|[àa]\s*la\s*fin|au)\b|\bnouveau\s*solde\b", 1.0),
        (r"\bsaldo\s*(?:final|actual)\b", 1.0),
        (r"\beind\s*-?\s*saldo\b|\bnieuw\s*saldo\b", 1.0),
    ]
)
VOCAB = Vocabulary.of(
    {
        "date": [
            "date",
            "booking date",
            "posting date",
            "buchung",
            "buchungstag",
            "buchungsdatum",
            "datum",
            "fecha",
            "date opération",
            "fecha operación",
            "boekdatum",
            "transaction date",
            "tag",
        ],
        "value_date": [
            "value date",
            "value",
            "valuta",
            "wertstellung",
            "wert",
            "valeur",
            "date valeur",
            "date de valeur",
            "fecha valor",
            "valor",
            "valutadatum",
            "rentedatum",
        ],
        "description": [
            "description",
            "details",
            "transaction",
            "particulars",
            "verwendungszweck",
            "buchungstext",
            "vorgang",
            "erläuterung",
            "libellé",
            "libelle",
            "opération",
            "operation",
            "concepto",
            "descripción",
            "descripcion",
            "omschrijving",
            "mededeling",
            "narrative",
        ],
        "reference": [
            "reference",
            "ref",
            "ref.",
            "referenz",
            "référence",
            "referencia",
            "referentie",
            "kenmerk",
        ],
        "debit": [
            "debit",
            "debits",
            "withdrawals",
            "paid out",
            "money out",
            "soll",
            "lastschrift",
            "belastung",
            "débit",
            "debit eur",
            "cargo",
            "cargos",
            "debe",
            "af",
            "debet",
        ],
        "credit": [
            "credit",
            "credits",
            "deposits",
            "paid in",
            "money in",
            "haben",
            "gutschrift",
            "crédit",
            "abono",
            "abonos",
            "haber",
            "bij",
            "credit eur",
        ],
        "amount": ["amount", "betrag", "umsatz", "montant", "importe", "bedrag"],
        "balance": ["balance", "saldo", "kontostand", "solde", "balance eur"],
    }
)
_STOP = re.compile(
    r"(?i)^\s*(?:closing|new\s*balance|ending|final|neuer|end\s*-?saldo|kontostand|saldo\s*(?:final|neu|actual)|"
    r"solde\s*final|nouveau\s*solde|eind\s*-?saldo|nieuw\s*saldo|total|summe|totaal|page|seite)"
)


def extract_bank_statement(doc: LoadedDocument, items: Any) -> dict[str, Any]:
    """The evidence tree of a bank statement, shaped like `BankStatementContent`."""
    ctx = build_context(doc, items)
    order = date_parser(ctx.date_order)
    holder = labelled_party(ctx, HOLDER)
    if not holder.found:
        holder = window_party(ctx)
    bank = issuer_party(ctx, holder.words)
    balances = amount_fields(ctx, {"opening": OPENING, "closing": CLOSING})
    opening = max(balances["opening"], key=lambda c: (c.score, -c.page, -c.y), default=None)
    closing = max(balances["closing"], key=lambda c: (c.score, c.page, c.y), default=None)
    period = labelled(ctx, PERIOD, date_range_parser(ctx.date_order, _PERIOD_CONNECTORS))
    transactions = _transactions(ctx, opening.value if opening else None)
    iban = first_iban(ctx, 0.9)
    return {
        "account_holder": holder.name,
        "account_number": ev(labelled(ctx, L.ACCOUNT_NUMBER, _account_parser))
        if iban.value is None
        else Evidence(None),
        "iban": iban,
        "bic": _bic(ctx),
        "bank_name": bank.name,
        "statement_date": ev(labelled(ctx, STATEMENT_DATE, order)),
        "period_from": Evidence.from_words(period.value[0], period.words, 0.8) if period else Evidence(None),
        "period_to": Evidence.from_words(period.value[1], period.words, 0.8) if period else Evidence(None),
        "currency": Evidence(ctx.currency, raw=ctx.currency, confidence=ctx.currency_confidence),
        "language": Evidence(ctx.language, confidence=ctx.language_confidence),
        "opening_balance": ev(opening, 0.85),
        "closing_balance": ev(closing, 0.85),
        "transactions": transactions,
    }


def _account_parser(text: str) -> tuple[str, int, int] | None:
    m = re.match(r"\s*([0-9][0-9 \-]{5,24}[0-9])", text)
    return (m.group(1), m.start(1), m.end(1)) if m else None


def _bic(ctx: DocContext) -> Evidence:
    for lines in ctx.lines:
        for line in lines:
            m = re.search(r"(?i)\b(?:bic|swift)(?:\s*-?\s*code)?\b[\s:./-]*", line.text)
            if m:
                found = find_bics(line.text[m.end() : m.end() + 16])
                if found:
                    v, s, e = found[0]
                    return Evidence.from_words(v, span_words(line, m.end() + s, m.end() + e), 0.9)
    return Evidence(None)


def _transactions(ctx: DocContext, opening: Decimal | None) -> list[dict[str, Evidence]]:
    rows = read_table(
        ctx,
        VOCAB,
        required={"date"},
        anchors={"date"},
        text_fields={"description"},
        stop=_STOP,
        anchor_ok=lambda _f, text: bool(find_dates(text, ctx.date_order)),
        min_columns=3,
    )
    hint = ctx.decimal_hint
    out: list[dict[str, Evidence]] = []
    previous = opening
    for row in rows:
        amount, words, raw = _signed_amount(row, hint)
        balance = _amount_of(row, "balance", hint)
        # The running balance settles the sign: previous + amount must give the printed balance.
        if (
            amount is not None
            and balance[0] is not None
            and previous is not None
            and abs(previous + amount - balance[0]) > Decimal("0.011")
            and abs(previous - amount - balance[0]) <= Decimal("0.011")
        ):
            amount = -amount
        if balance[0] is not None:
            previous = balance[0]
        elif previous is not None and amount is not None:
            previous = previous + amount
        amount_ev = (
            Evidence.from_words(amount, words, 0.85, raw=raw) if amount is not None else Evidence(None)
        )
        out.append(
            {
                "date": cell_date(row, "date", ctx.date_order),
                "value_date": cell_date(row, "value_date", ctx.date_order),
                "description": cell_text(row, "description"),
                "reference": cell_text(row, "reference"),
                "amount": amount_ev,
                "type": Evidence(
                    None if amount is None or amount == 0 else ("credit" if amount > 0 else "debit"),
                    confidence=amount_ev.confidence,
                    page=amount_ev.page,
                    bbox=amount_ev.bbox,
                ),
                "balance": Evidence.from_words(balance[0], balance[1], 0.85)
                if balance[0] is not None
                else Evidence(None),
            }
        )
    return out


def _amount_of(row, name: str, hint: str | None) -> tuple[Decimal | None, list]:
    text = row.text(name)
    if not text:
        return None, []
    found = find_amounts(text, hint)
    if not found:
        value = parse_amount(text, hint)
        return value, row.words(name)
    v, _s, _e = found[-1]
    if re.search(r"(?i)\b(?:s|dr|d)\s*$", text):
        v = -abs(v)
    return v, row.words(name)


def _signed_amount(row, hint: str | None) -> tuple[Decimal | None, list, str | None]:
    """Money in positive, money out negative: debit/credit columns, else the signed amount column
    ("-12,00", "12,00-", "12,00 S" / "H", "DR" / "CR")."""
    debit, d_words = _amount_of(row, "debit", hint)
    credit, c_words = _amount_of(row, "credit", hint)
    if debit is not None and debit != 0:
        return -abs(debit), d_words, row.text("debit")
    if credit is not None and credit != 0:
        return abs(credit), c_words, row.text("credit")
    text = row.text("amount")
    if not text:
        return None, [], None
    value, words = _amount_of(row, "amount", hint)
    if value is None:
        return None, [], None
    if re.search(r"(?i)\b(?:h|cr|c)\s*$", text):
        value = abs(value)
    return value, words, text

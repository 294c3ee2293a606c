"""Receipt fields: merchant, number, date and time, items, tax breakdown, total, how it was paid.

Till receipts are one narrow column without a table header, so items are read line by line: a line
with words and an amount at its end (optionally followed by a tax code such as "A" or "B"), above
the total line. A quantity line "2 x 1,49" belongs to the item whose amount it explains (above or
below it). The VAT summary ("A 19% 12,00 2,28 14,28") is recognised by arithmetic (net x rate = tax)
and also tells which rate each tax code stands for.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from pipeline.extract import labels as L
from pipeline.extract.common import (
    NOTES,
    amount_fields,
    clean_vat,
    compile_labels,
    ev,
    fold,
    id_parser,
    labelled,
    text_parser,
    vat_ids,
)
from pipeline.extract.context import Candidate, DocContext, build_context, evidence_words, span_words
from pipeline.layout import Line
from pipeline.model import Evidence, LoadedDocument
from pipeline.normalize.amounts import find_amounts, parse_amount
from pipeline.normalize.dates import find_dates

RECEIPT_NUMBER = compile_labels(
    [
        (
            r"\b(?:receipt|transaction|trans\.?|invoice|ticket|bon|beleg|sale)\s*(?:number|no\.?|nr\.?|n[°º]|#|id)",
            1.0,
        ),
        (r"\bbon\s*-?\s*(?:nummer|nr\.?)|\bbeleg\s*-?\s*(?:nummer|nr\.?)|\bkassenbon\s*-?\s*nr\.?", 1.0),
        (r"\b(?:n[°º]|num[ée]ro)\s*(?:de\s+)?(?:ticket|re[çc]u|transaction)", 1.0),
        (
            r"\b(?:n[°º]|n[uú]mero)\s*(?:de\s+)?(?:ticket|recibo|operaci[óo]n)|\bfactura\s*simplificada\s*(?:n[°º]|n[uú]m)?",
            1.0,
        ),
        (
            r"\bbon\s*-?\s*nr\.?|\bbonnummer\b|\bkassabon\s*(?:nr\.?|nummer)|\btransactie\s*(?:nr\.?|nummer)",
            1.0,
        ),
        (r"^(?:trans|txn|rcpt)\b", 0.6),
    ]
)
RECEIPT_TOTAL = [
    *L.TOTAL,
    *compile_labels(
        [
            (
                r"^(?:total|summe|gesamt|totaal|te\s*betalen|zu\s*zahlen|[àa]\s*payer|a\s*pagar|amount\s*due)\b",
                1.0,
            ),
            (r"^(?:total\s*eur|summe\s*eur|total\s*ttc|importe\s*total)\b", 1.0),
        ]
    ),
]
CASHIER = compile_labels(
    [
        (r"\b(?:cashier|served\s*by|operator|clerk|server)\b", 1.0),
        (r"\b(?:kassierer(?:in)?|bediener(?:in)?|es\s*bediente\s*sie|verk[äa]ufer(?:in)?)\b", 1.0),
        (r"\b(?:caissi[èe]re?|vendeu(?:r|se)|h[ôo]te(?:sse)?\s*de\s*caisse)\b", 1.0),
        (r"\b(?:cajer[oa]|le\s*atendi[óo]|vendedor(?:a)?|atendido\s*por)\b", 1.0),
        (r"\b(?:kassier(?:ster)?|medewerker|u\s*werd\s*geholpen\s*door)\b", 1.0),
    ]
)
_NOT_ITEM = re.compile(
    r"(?i)\b(?:total|summe|gesamt|totaal|subtotal|zwischensumme|sous-total|subtotaal|mwst|ust|vat|tva|iva|btw|"
    r"netto|brutto|net|gross|cash|bar|bargeld|change|r[üu]ckgeld|rendu|monnaie|cambio|wisselgeld|esp[èe]ces|"
    r"efectivo|contant|visa|mastercard|maestro|girocard|ec-karte|karte|card|carte|tarjeta|pin|cb|"
    r"gegeben|given|tendered|entregado|te\s*betalen|zu\s*zahlen|payer|pagar|amount\s*due|tax)\b"
)
_QTY_LINE = re.compile(
    r"(?i)^\s*(\d+(?:[.,]\d{1,3})?)\s*(?:x|\*|×)\s*(?:[€$£]\s?)?(\d+[.,]\d{2})\s*(?:€|eur)?\s*$"
)
_QTY_INLINE = re.compile(r"(?i)\s(\d+(?:[.,]\d{1,3})?)\s*(?:x|\*|×)\s*(?:[€$£]\s?)?(\d+[.,]\d{2})\b")
_TAX_CODE = re.compile(r"^\s*([A-Z]|\d|\*)\s*$")
_TIME = re.compile(
    r"(?<![\d:.,])([01]?\d|2[0-3])[:h]([0-5]\d)(?::[0-5]\d)?\s*(am|pm|a\.m\.|p\.m\.)?(?![\d:])", re.I
)
_RATE = re.compile(r"(\d{1,2}(?:[.,]\d{1,3})?)\s?%")
_CARD_DIGITS = re.compile(
    r"(?i)(?:[*xX•#]{2,}[\s*xX•#-]*(\d{4})\b|(?:ending\s*(?:in|with)|endet\s*(?:auf|mit)|se\s*termine\s*par|"
    r"terminada\s*en|eindigend\s*op)\s*:?\s*(\d{4})\b)"
)
_PAYMENT = [
    ("gift_card", r"gift\s*card|gutschein|carte\s*cadeau|tarjeta\s*regalo|cadeaukaart|cadeaubon"),
    ("store_credit", r"store\s*credit|guthaben|avoir|vale\s*de\s*compra|tegoedbon"),
    (
        "mobile_payment",
        r"apple\s*pay|google\s*pay|samsung\s*pay|paypal|bizum|twint|alipay|wechat\s*pay|mobile\s*pay",
    ),
    ("check", r"\bcheque\b|\bcheck\b|\bscheck\b|\bch[èe]que\b"),
    (
        "debit_card",
        r"debit|girocard|ec[\s-]*karte|ec[\s-]*cash|maestro|v\s*pay|\bpin\b|pinnen|bancontact|carte\s*bancaire|"
        r"\bcb\b|tarjeta\s*de\s*d[ée]bito|\binterac\b",
    ),
    (
        "credit_card",
        r"credit\s*card|kreditkarte|carte\s*de\s*cr[ée]dit|tarjeta\s*de\s*cr[ée]dito|creditcard|\bvisa\b|"
        r"master\s*card|\bamex\b|american\s*express|diners",
    ),
    (
        "cash",
        r"\bcash\b|\bbar(?:geld|zahlung)?\b|esp[èe]ces|efectivo|\bcontant\b|\bgegeben\b|r[üu]ckgeld|"
        r"\bchange\b|\brendu\b|\bcambio\b|wisselgeld",
    ),
]
_PAYMENT_RE = [(kind, re.compile(p, re.IGNORECASE)) for kind, p in _PAYMENT]


def extract_receipt(doc: LoadedDocument, items: Any) -> dict[str, Any]:
    """The evidence tree of a receipt, shaped like `ReceiptContent`."""
    ctx = build_context(doc, items)
    lines = [ln for page in ctx.lines for ln in page]
    amounts = amount_fields(ctx, {"subtotal": L.SUBTOTAL, "tax_amount": L.TAX_AMOUNT, "total": RECEIPT_TOTAL})
    total = _first_strongest(amounts["total"])
    breakdown, codes = _tax_breakdown(ctx, lines)
    total_line = _line_of(lines, total)
    rows = _items(ctx, lines, total_line, codes)
    # Amounts read under the VAT summary's column headers ("Net", "VAT") are one rate's, not totals.
    in_summary = {id(w) for b in breakdown for e in b.values() for w in evidence_words(ctx, e)}
    for key in ("subtotal", "tax_amount"):
        amounts[key] = [c for c in amounts[key] if not any(id(w) in in_summary for w in c.words)]
    tax = _first_strongest(amounts["tax_amount"])
    tax_ev = ev(tax, 0.8)
    if tax is None and breakdown:
        value = sum((b["tax_amount"].value for b in breakdown), Decimal(0))
        tax_ev = Evidence(value, raw=None, confidence=0.6)
    subtotal = _first_strongest(amounts["subtotal"])
    if subtotal is not None and total is not None and subtotal.value == total.value:
        subtotal = None  # "Summe" printed twice is not a net amount
    date_ev, time_ev = _date_time(ctx, lines)
    method, last4 = _payment(ctx, lines, total_line)
    return {
        "merchant": _merchant(ctx),
        "receipt_number": ev(labelled(ctx, RECEIPT_NUMBER, id_parser)),
        "date": date_ev,
        "time": time_ev,
        "currency": Evidence(ctx.currency, raw=ctx.currency, confidence=ctx.currency_confidence),
        "language": Evidence(ctx.language, confidence=ctx.language_confidence),
        "items": rows,
        "subtotal": ev(subtotal, 0.7),
        "tax_breakdown": breakdown,
        "tax_amount": tax_ev,
        "total": ev(total, 0.85),
        "payment_method": method,
        "card_last_four": last4,
        "cashier": _cashier(ctx),
        "notes": ev(labelled(ctx, NOTES, text_parser, below=True), 0.6),
    }


def _first_strongest(cands: list[Candidate]) -> Candidate | None:
    """The strongest candidate, the earliest among equals: receipts repeat the total in the payment
    lines below it ("VISA 12,00"), the labelled total comes first."""
    if not cands:
        return None
    return max(cands, key=lambda c: (round(c.score, 6), -c.page, -c.y))


def _line_of(lines: list[Line], cand: Candidate | None) -> int | None:
    if cand is None or not cand.words:
        return None
    w = cand.words[0]
    return next((i for i, ln in enumerate(lines) if w in ln.words), None)


def _merchant(ctx: DocContext) -> dict[str, Evidence]:
    """The shop: the largest type at the top (else the first line), the address lines under it down to
    the postcode, a phone after "Tel", a VAT id anywhere above the items."""
    out = {
        "name": Evidence(None),
        "address": Evidence(None),
        "phone": Evidence(None),
        "tax_id": Evidence(None),
    }
    if not ctx.lines or not ctx.lines[0]:
        return out
    lines = ctx.lines[0]
    head = [ln for ln in lines[:8] if re.search(r"[A-Za-zÀ-ÿ]{2}", ln.text)]
    if not head:
        return out
    biggest = max(head[:4], key=lambda ln: (round(ln.height, 1), -ln.yc))
    idx = lines.index(biggest)
    out["name"] = Evidence.from_words(biggest.text.strip(), biggest.words, 0.75)
    picked: list[Line] = []
    postcode = re.compile(r"\b\d{4,5}\b|\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b")
    for ln in lines[idx + 1 : idx + 5]:
        if re.search(
            r"(?i)\btel\b|phone|\bfax\b|@|www\.|\bvat\b|\bust\b|\btva\b|\bcif\b|\bnif\b|\bbtw\b|\bst\.?-?nr",
            ln.text,
        ):
            break
        if find_dates(ln.text):
            break
        picked.append(ln)
        if postcode.search(ln.text):
            break
    if picked and postcode.search(picked[-1].text):
        text = ", ".join(ln.text.strip(" ,") for ln in picked)
        out["address"] = Evidence.from_words(text, [w for ln in picked for w in ln.words], 0.7, raw=text)
    for ln in lines[:20]:
        m = re.search(
            r"(?i)\b(?:tel(?:efon|éfono|ephone)?|phone|t[ée]l)\.?\s*:?\s*(\+?[\d(][\d ()/.\-]{5,20}\d)",
            ln.text,
        )
        if m and out["phone"].value is None:
            out["phone"] = Evidence.from_words(m.group(1), span_words(ln, m.start(1), m.end(1)), 0.75)
        vats = vat_ids(ln.text)
        if vats and out["tax_id"].value is None:
            v, s, e = vats[0]
            out["tax_id"] = Evidence.from_words(clean_vat(v), span_words(ln, s, e), 0.8)
    return out


def _date_time(ctx: DocContext, lines: list[Line]) -> tuple[Evidence, Evidence]:
    """The purchase date (labelled first, else the first date printed) and the time on or next to
    its line, as 24-hour HH:MM."""
    date_ev, date_line = Evidence(None), None
    for i, ln in enumerate(lines):
        found = find_dates(ln.text, ctx.date_order)
        if found:
            d = found[0]
            date_ev = Evidence.from_words(
                d.value, span_words(ln, d.start, d.end), 0.8, raw=ln.text[d.start : d.end]
            )
            date_line = i
            break
    order = [date_line, date_line + 1, date_line - 1] if date_line is not None else []
    order += list(range(len(lines)))
    for i in order:
        if i is None or not 0 <= i < len(lines):
            continue
        ln = lines[i]
        text = ln.text
        for d in find_dates(text, ctx.date_order):
            text = text[: d.start] + " " * (d.end - d.start) + text[d.end :]
        m = _TIME.search(text)
        if m:
            hour, minute = int(m.group(1)), int(m.group(2))
            ampm = (m.group(3) or "").lower().replace(".", "")
            if ampm == "pm" and hour < 12:
                hour += 12
            elif ampm == "am" and hour == 12:
                hour = 0
            value = f"{hour:02d}:{minute:02d}"
            return date_ev, Evidence.from_words(value, span_words(ln, m.start(), m.end()), 0.8, raw=m.group())
    return date_ev, Evidence(None)


def _tax_breakdown(
    ctx: DocContext, lines: list[Line]
) -> tuple[list[dict[str, Evidence]], dict[str, Decimal]]:
    """VAT summary lines: a rate and two or three amounts of which two satisfy net x rate = tax
    (or gross x rate / (100 + rate) = tax). A letter before the rate ("A 19%", "B = 7 %") is the
    tax code the item lines use."""
    out: list[dict[str, Evidence]] = []
    codes: dict[str, Decimal] = {}
    hint = ctx.decimal_hint
    for ln in lines:
        m = _RATE.search(ln.text)
        if not m:
            continue
        rate = Decimal(m.group(1).replace(",", "."))
        if rate > 30:
            continue
        code = re.match(r"\s*([A-Z])\b\s*(?:=|:)?\s*$", ln.text[: m.start()])
        if code:
            codes[code.group(1)] = rate
        found = find_amounts(ln.text[m.end() :], hint)
        vals = [(v, m.end() + s, m.end() + e) for v, s, e in found]
        tol = Decimal("0.011")
        row = None
        for a in vals:
            for b in vals:
                if a is b or (rate == 0 and (b[0] != 0 or a[0] == 0)):
                    continue
                if abs(a[0] * rate / 100 - b[0]) <= tol + abs(b[0]) * Decimal("0.002"):
                    row = (a, b)
                    break
                if abs(a[0] * rate / (100 + rate) - b[0]) <= tol and a[0] > b[0]:
                    row = ((a[0] - b[0], a[1], a[2]), b)
                    break
            if row:
                break
        if row is None:
            continue
        (net, ns, ne), (tax, ts, te) = row
        out.append(
            {
                "rate": Evidence.from_words(rate, span_words(ln, m.start(), m.end()), 0.85),
                "net_amount": Evidence.from_words(net, span_words(ln, ns, ne), 0.8),
                "tax_amount": Evidence.from_words(tax, span_words(ln, ts, te), 0.85),
            }
        )
    return out, codes


def _items(
    ctx: DocContext, lines: list[Line], total_line: int | None, codes: dict[str, Decimal]
) -> list[dict[str, Evidence]]:
    """Item lines above the total: words, then an amount at the end (a tax code may follow it)."""
    if total_line is None:
        return []
    hint = ctx.decimal_hint
    start = 0
    for i in range(total_line):
        t = lines[i].text
        if find_dates(t) or _TIME.search(t) or vat_ids(t) or labelled_line(t):
            start = i + 1
    rows: list[dict[str, Evidence]] = []
    pending_qty: tuple[Decimal, Decimal, Line] | None = None
    for ln in lines[start:total_line]:
        text = ln.text
        q = _QTY_LINE.match(text)
        if q:
            qty, price = parse_amount(q.group(1), None), parse_amount(q.group(2), hint)
            if qty is not None and price is not None:
                last = rows[-1] if rows else None
                if (
                    last is not None
                    and last["quantity"].value is None
                    and _explains(qty, price, last["total"].value)
                ):
                    last["quantity"] = Evidence.from_words(qty, ln.words[:1], 0.8)
                    last["unit_price"] = Evidence.from_words(price, ln.words[-1:], 0.8)
                else:
                    pending_qty = (qty, price, ln)
            continue
        code = None
        words = list(ln.words)
        if len(words) >= 2 and _TAX_CODE.match(words[-1].text) and find_amounts(words[-2].text, hint):
            code = words[-1].text.strip()
            words = words[:-1]
        body = " ".join(w.text for w in words)
        found = find_amounts(body, hint)
        if not found or _NOT_ITEM.search(fold(body)):
            pending_qty = None
            continue
        value, s, e = found[-1]
        if body[e:].strip():
            continue
        desc = body[:s].strip(" .:")
        inline = _QTY_INLINE.search(" " + desc)
        qty = price = None
        if inline:
            qty, price = parse_amount(inline.group(1), None), parse_amount(inline.group(2), hint)
            desc = (" " + desc)[: inline.start()].strip() or desc
        if not re.search(r"[A-Za-zÀ-ÿ]{2}", desc):
            continue
        row = {
            "description": Evidence.from_words(desc, span_words(ln, 0, len(desc)), 0.8, raw=desc),
            "quantity": Evidence(None),
            "unit_price": Evidence(None),
            "total": Evidence.from_words(value, span_words(ln, s, e), 0.85, raw=body[s:e]),
            "tax_rate": Evidence(None),
        }
        if qty is not None and price is not None and _explains(qty, price, value):
            row["quantity"] = Evidence.from_words(qty, ln.words, 0.8)
            row["unit_price"] = Evidence.from_words(price, ln.words, 0.8)
        elif pending_qty is not None and _explains(pending_qty[0], pending_qty[1], value):
            row["quantity"] = Evidence.from_words(pending_qty[0], pending_qty[2].words[:1], 0.8)
            row["unit_price"] = Evidence.from_words(pending_qty[1], pending_qty[2].words[-1:], 0.8)
        if code and code in codes:
            row["tax_rate"] = Evidence.from_words(codes[code], ln.words[-1:], 0.75)
        pending_qty = None
        rows.append(row)
    return rows


def labelled_line(text: str) -> bool:
    """A header line of the receipt (number, cashier, till): not an item even when it ends in digits."""
    return bool(
        any(p.search(text) for p, _ in RECEIPT_NUMBER)
        or any(p.search(text) for p, _ in CASHIER)
        or re.search(r"(?i)\b(?:tel|phone|fax|kasse|caisse|caja|kassa|till|terminal|filiale|store)\b", text)
    )


def _explains(qty: Decimal, price: Decimal, total: Any) -> bool:
    return total is not None and abs(qty * price - Decimal(str(total))) <= Decimal("0.011")


def _payment(ctx: DocContext, lines: list[Line], total_line: int | None) -> tuple[Evidence, Evidence]:
    """How it was paid, from the tender lines under the total (card brands, cash words, wallets), and
    the card's last four digits from a masked number."""
    start = total_line if total_line is not None else 0
    method = Evidence(None)
    for ln in lines[start:]:
        text = ln.text
        for kind, pattern in _PAYMENT_RE:
            m = pattern.search(text)
            if m:
                method = Evidence.from_words(kind, span_words(ln, m.start(), m.end()), 0.75, raw=m.group())
                break
        if method.value is not None:
            break
    last4 = Evidence(None)
    for ln in lines:
        m = _CARD_DIGITS.search(ln.text)
        if m:
            digits = m.group(1) or m.group(2)
            pos = ln.text.find(digits, m.start())
            last4 = Evidence.from_words(digits, span_words(ln, pos, pos + 4), 0.85)
            break
    return method, last4


def _cashier(ctx: DocContext) -> Evidence:
    c = labelled(ctx, CASHIER, _cashier_parser, below=False)
    return ev(c, 0.75)


def _cashier_parser(text: str) -> tuple[str, int, int] | None:
    m = re.match(r"\s*([A-Za-zÀ-ÿ][\w.\-]*(?:\s[A-Za-zÀ-ÿ0-9][\w.\-]*)?)", text)
    return (m.group(1), m.start(1), m.end(1)) if m else None

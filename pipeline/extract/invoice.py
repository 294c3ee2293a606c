"""Invoice header fields (DESIGN §5): labels in five languages, label -> value geometry, candidate
scoring, and arithmetic (subtotal + tax = total) to choose between amount candidates.

No supplier templates: every rule is about how invoices are laid out in general.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise, product
from typing import Any

from pipeline.extract import labels as L
from pipeline.extract.common import (
    AMOUNT_LIKE,
    date_parser,
    ev,
    id_parser,
    strongest_per_value,
    sum_of_line_totals,
    text_parser,
    whole_text_flag,
)
from pipeline.extract.context import (
    Candidate,
    DocContext,
    best,
    build_context,
    evidence_words,
    labelled_candidates,
    span_words,
    strip_separators,
    words_span,
)
from pipeline.extract.ocr_amounts import (
    REPAIRED_CONFIDENCE,
    net_proved_twice,
    proved_currency,
    proves,
    reading_candidates,
)
from pipeline.extract.parties import address_after, find_parties
from pipeline.extract.payment_code import PaymentCode, payment_codes
from pipeline.extract.taxids import tax_ids
from pipeline.layout import Line, Segment
from pipeline.model import Evidence, LoadedDocument
from pipeline.normalize.amounts import find_amounts, parse_amount
from pipeline.normalize.dates import find_dates, terms_days
from pipeline.normalize.identifiers import (
    bic_of_iban,
    compact,
    find_bics,
    find_ibans,
    find_ocr_bic,
    find_ocr_iban,
    iban_fits_format,
    iban_letter_reading,
    is_valid_iban,
    repair_iban,
)
from pipeline.normalize.similar import fold_in_place, mismatches, one_edit, unaccented
from pipeline.ocr_repair import mend_identifier, one_digit_off, prove_amount
from pipeline.schemas.invoice import LINE_ITEM_KEYS

# Its space may be read as an underscore on a scan ("Facture n 562044387 du_02 Juillet 2015":
# free_fiber read by latin5 on seed 2909), the one before it too ("562044387_du_02": seed 3217).
_DATE_CONNECTOR = re.compile(r"(?i)^[\s_]*(?:du|vom|dated|of|del|van|de)[\s_]+")
# An invoice number is never an amount nor a quantity ("8.9", "167.008").
_NOT_AN_ID = AMOUNT_LIKE + r"|\d+[.,]\d{1,3}"


def _id_parser(text: str) -> tuple[str, int, int] | None:
    return id_parser(text, _NOT_AN_ID)


def _terms_parser(text: str) -> tuple[str, int, int] | None:
    return text_parser(text, None)


def extract_invoice(doc: LoadedDocument, items: Any, kind: str = "invoice") -> dict[str, Any]:
    """The evidence tree of an invoice, shaped like `InvoiceContent` (every key present)."""
    ctx = build_context(doc, items)
    rows = list(getattr(items, "rows", []) or [])
    parties = find_parties(ctx)
    ocr0 = bool(doc.pages) and doc.pages[0].text_source == "ocr"  # parties are read on the first page
    number = _invoice_number(ctx)
    inv_date, due, terms = _dates(ctx, number)
    amounts = _amounts(ctx, rows)
    _untaxed_rows(rows, amounts["tax_breakdown"])
    bank, payments = _bank(ctx)
    code = next(iter(payment_codes(doc)), None)
    if code is not None:
        bank, payments = _with_code_account(doc, bank, payments, code)
    vendor_tax, customer_tax, registrations = tax_ids(ctx, parties)
    period_from, period_to = _period(ctx)
    doc_kind = _document_kind(ctx, kind)
    vendor = {
        "name": parties.vendor_name.evidence() if parties.vendor_name else Evidence(None),
        "address": address_after(parties.vendor_block, parties.vendor_name, lines=ctx.lines[0], ocr=ocr0),
        "email": _email(ctx, parties, vendor=True),
        "phone": _phone(ctx, parties),
        "tax_id": vendor_tax,
        "registrations": registrations,
    }
    customer = {
        "name": parties.customer_name.evidence() if parties.customer_name else Evidence(None),
        "address": address_after(parties.customer_block, parties.customer_name, ocr=ocr0),
        "customer_number": ev(_customer_number(ctx)),
        "tax_id": customer_tax,
    }
    language = Evidence(ctx.language, raw=None, confidence=ctx.language_confidence)
    currency = Evidence(ctx.currency, raw=ctx.currency, confidence=ctx.currency_confidence)
    proved = amounts.pop("proved_currency", None)
    if ctx.currency is None and proved is not None:
        currency = Evidence(proved, raw=None, confidence=0.5)  # a "$" only arithmetic could read
    if currency.value is None and ocr0:
        currency = _sign_by_country(amounts, vendor_tax, bank["iban"])
    if code is not None:
        # What the page's text left unread, the payment code says: its payee (a Swiss code's with its
        # address), currency and amount (the amount it orders is what is due; the total where the
        # text gave none).
        said = (vendor, "name", code.name), (vendor, "address", code.address), (amounts, "total", code.amount)
        for tree, key, value in said:
            if tree[key].value is None and value is not None:
                tree[key] = _code_evidence(value, code)
        if currency.value is None and code.currency is not None:
            currency = _code_evidence(code.currency, code)
    return {
        "vendor": vendor,
        "customer": customer,
        "invoice_number": ev(number),
        "invoice_date": inv_date,
        "due_date": due,
        "performance_date_from": period_from,
        "performance_date_to": period_to,
        "purchase_order_number": ev(_po_number(ctx)),
        "currency": currency,
        "language": language,
        "line_items": [{k: row.get(k, Evidence(None)) for k in LINE_ITEM_KEYS} for row in rows],
        "subtotal": amounts["subtotal"],
        "tax_amount": amounts["tax_amount"],
        "total": amounts["total"],
        "tax_breakdown": amounts["tax_breakdown"],
        "is_reverse_charge": whole_text_flag(ctx, L.REVERSE_CHARGE, True),
        "is_paid": _paid(ctx),
        "payment_terms": terms,
        "bank_details": bank,
        "payment_details": payments,
        "document_kind": doc_kind,
        "notes": _notes(ctx),
        "items_truncated": Evidence(False, confidence=1.0),
    }


_BANK_CONTEXT = re.compile(
    r"(?i)\b(?:bank|iban|bic|swift|sort\s*code|routing|aba|ifsc|bsb|banque|bankverbindung|banco|"
    r"kontoinhaber|account\s*(?:holder|name)|payment\s*details|bancaires?|bancarias?)\b"
)


# Where OCR reads the sign before an amount as a letter ("E5349.51"), the sign was "€" or "£".
_SIGN_AS_LETTER = re.compile(r"^[ECf]\d")
_EURO_AREA = frozenset({"AT", "BE", "CY", "DE", "EE", "EL", "ES", "FI", "FR", "GR", "HR", "IE", "IT", "LT",
                        "LU", "LV", "MT", "NL", "PT", "SI", "SK"})


def _sign_by_country(amounts: dict[str, Any], vendor_tax: Evidence, iban: Evidence) -> Evidence:
    """The currency of an OCR'd page whose totals carry a sign read as a letter ("E5349.51": € and
    £ both read so) and which prints no code or symbol: the vendor's country, from its VAT id and
    IBAN prefixes, picks between the two (GB -> GBP, euro area -> EUR); they must agree. Low
    confidence: the sign itself was never read."""
    raws = [amounts[k].raw for k in ("subtotal", "total") if amounts[k].raw]
    if not any(_SIGN_AS_LETTER.match(r.strip()) for r in raws):
        return Evidence(None)
    countries = {str(e.value)[:2].upper() for e in (vendor_tax, iban) if e.value}
    found = {"GBP" if c in ("GB", "XI") else "EUR" if c in _EURO_AREA else None for c in countries}
    if len(found) != 1 or None in found:
        return Evidence(None)
    return Evidence(found.pop(), raw=None, confidence=0.4)


# A word read this unsurely before an identifier's token is a speck, not a prefix of it.
_SPECK_PREFIX = 0.1


def _mended(ctx: DocContext, cands: list[Candidate]) -> list[Candidate]:
    """Identifiers read off OCR'd pages with a letter OCR read for a digit between digits mended
    (`pipeline.ocr_repair.mend_identifier`); the raw text stays as read, the score drops a little.
    A first word read at almost no confidence is a speck, not a prefix like "INV" ("UE
    BLR_WFLD2015...", the "UE" at 0.00: Flipkart on seed 971): the value and its words go without it."""
    for c in cands:
        if ctx.doc.pages[c.page].text_source == "ocr" and isinstance(c.value, str):
            first = c.words[0] if len(c.words) >= 2 else None
            speck = first is not None and first.confidence < _SPECK_PREFIX
            if speck and c.value.startswith(first.text + " "):
                c.value, c.words = c.value[len(first.text) + 1 :], c.words[1:]
            mended = mend_identifier(c.value)
            if mended != c.value:
                c.value, c.score = mended, c.score * 0.9
    return cands


def _customer_number(ctx: DocContext) -> Candidate | None:
    """The customer's number with the seller. "Account No." is also how bank details name the bank
    account: such a label among bank lines (same line or the two above) is not the customer's."""
    out = []
    for c in _mended(ctx, labelled_candidates(ctx, L.CUSTOMER_NUMBER, _id_parser)):
        if re.search(r"(?i)account|konto", c.label):
            lines = ctx.lines[c.page]
            li = next((i for i, ln in enumerate(lines) if any(w in ln.words for w in c.words)), None)
            near = " ".join(ln.text for ln in lines[max(0, li - 2) : li + 1]) if li is not None else ""
            if _BANK_CONTEXT.search(near):
                continue
        out.append(c)
    return best(out)


# "PO" (purchase order) opening an order number, its O read as a zero on a scan ("P0201925478" for
# PO201925478 on akretion's and mustang's scans): O and 0 differ by a hair in most fonts, and a
# lone P before a zero and digits is a far rarer number than the PO prefix. Its P may be read as a
# small one ("p0201925478": latin5 on seed 2267), which opens no all-digit number either.
_PO_PREFIX_AS_READ = re.compile(r"^[Pp]0(?=\d{4,}$)")


def _po_number(ctx: DocContext) -> Candidate | None:
    """The buyer's order reference; ambiguous labels ("Order No.") alone are not enough."""
    cands = _mended(ctx, labelled_candidates(ctx, L.PO_NUMBER, _id_parser))
    for c in cands:
        if ctx.doc.pages[c.page].text_source == "ocr" and isinstance(c.value, str):
            c.value = _PO_PREFIX_AS_READ.sub("PO", c.value)
    found = best(cands)
    return found if found is not None and found.score >= L.PO_MIN_SCORE else None


def _invoice_number(ctx: DocContext) -> Candidate | None:
    cands = _mended(ctx, labelled_candidates(ctx, L.INVOICE_NUMBER, _id_parser))
    for c in cands:
        if c.page == 0 and c.y < 0.5 * ctx.page_height(0):
            c.score += 0.05
        if c.page > 0:
            c.score -= 0.05
    return best(cands)


# A date word followed by words, or a compound of "datum", before a date that no invoice-date label
# claimed names another date ("DATE DE FACTURE ASSOCIÉE :", "DATE DE DÉBUT DE PRESTATION :",
# "Leistungsdatum"): never the unlabelled invoice date. "Date E 28/11/2022" (a colon OCR read as a
# letter) still is.
_NAMED_DATE = re.compile(r"(?i)\b(?:date|fecha)\b.*\b[^\W\d_]{2,}|\w+datum\b")


def _dates(ctx: DocContext, number: Candidate | None) -> tuple[Evidence, Evidence, Evidence]:
    parse = date_parser(ctx.date_order, ocr=any(p.text_source == "ocr" for p in ctx.doc.pages))
    cands = labelled_candidates(ctx, L.INVOICE_DATE, parse, negative=L.ORDER_DATE_NEGATIVE, spaced=True)
    due_cands = labelled_candidates(ctx, L.DUE_DATE, parse, spaced=True)
    # "Invoice no 123 of/du/vom 02.07.2015": the date printed right after the number.
    if number is not None and number.words:
        w_last = number.words[-1]
        for line in ctx.lines[number.page]:
            if w_last in line.words:
                i = line.words.index(w_last)
                tail_words = line.words[i + 1 :]
                # The number may end inside its last word ("562044387du_02": `common.id_parser`);
                # the rest of that word opens the tail, in the word's box.
                last = str(number.raw).split()[-1] if number.raw else ""
                cut = w_last.text.find(last) + len(last) if last and last in w_last.text else len(w_last.text)
                if cut < len(w_last.text):
                    tail_words = [dataclasses.replace(w_last, text=w_last.text[cut:]), *tail_words]
                tail = " ".join(w.text for w in tail_words)
                m = _DATE_CONNECTOR.match(tail)
                # parsed as labelled dates are: on a scan "du 02 Juillet_2015" (free_fiber, latin5 on 2789)
                dm = parse(tail[m.end() :]) if m else None
                if m and dm:
                    value, s, e = dm[0], m.end() + dm[1], m.end() + dm[2]
                    words = [w for w in tail_words if w in words_span(tail_words, s, e)]
                    cands.append(
                        Candidate(value, 0.8, words, tail[s:e], "after number", line.yc, number.page)
                    )
    for c in cands:
        if c.page == 0 and c.y < 0.45 * ctx.page_height(0):
            c.score += 0.08
        elif c.page == 0 and c.y > 0.85 * ctx.page_height(0):
            c.score -= 0.2
    # Unlabelled: the first date high on page 1 ("February 17, 2026" under the title).
    if not cands and ctx.lines:
        claimed = {id(w) for c in due_cands for w in c.words}
        for line in ctx.lines[0]:
            if line.y0 > 0.4 * ctx.page_height(0):
                break
            found = find_dates(line.text, ctx.date_order)
            if (
                found
                and not L.ORDER_DATE_NEGATIVE.search(line.text)
                and not L.DUE_DATE[0][0].search(line.text)
                and not _NAMED_DATE.search(line.text[: found[0].start])
            ):
                d = found[0]
                words = span_words(line, d.start, d.end)
                if not any(id(w) in claimed for w in words):
                    cands.append(
                        Candidate(d.value, 0.45, words, line.text[d.start : d.end], "first date", line.yc)
                    )
                    break
    inv = best(cands)
    due = best([c for c in due_cands if inv is None or c.value >= inv.value] or due_cands)
    if due is not None and inv is not None and ctx.doc.pages[due.page].text_source == "ocr":
        due = _year_digit_misread(due, inv.value)
    terms_c = best(labelled_candidates(ctx, L.TERMS, _terms_parser, below=True))
    terms = terms_c.evidence(0.8) if terms_c else Evidence(None)
    due_ev = due.evidence() if due else Evidence(None)
    if due is None and inv is not None:
        text = terms.value if terms.value else _terms_in_text(ctx)
        days = terms_days(text or "")
        if days is not None:
            due_ev = Evidence(
                inv.value + timedelta(days=days), raw=text, confidence=0.6, page=terms.page, bbox=terms.bbox
            )
    return (inv.evidence() if inv else Evidence(None)), due_ev, terms


# How far after the invoice date a due date may fall before its year is taken for a misread; payment
# terms run to months, not years.
_DUE_HORIZON = timedelta(days=2 * 366)


def _year_digit_misread(due: Candidate, issued: date) -> Candidate:
    """A scanned due date years after the invoice date ("02/03/2076" beside an invoice date in 2026:
    akretion's italic "2" read "7" by latin5 on seed 3389) is the one date with a single digit of
    its year read otherwise that falls in the year after the invoice date, where there is exactly
    one; its confidence drops. Kept as read otherwise."""
    if due.value - issued <= _DUE_HORIZON:
        return due
    year = str(due.value.year)
    found = set()
    for i, digit in product(range(len(year)), "0123456789"):
        if digit == year[i]:
            continue
        try:
            value = due.value.replace(year=int(year[:i] + digit + year[i + 1 :]))
        except ValueError:  # 29 February in another year
            continue
        if issued <= value <= issued + timedelta(days=366):
            found.add(value)
    return dataclasses.replace(due, value=found.pop(), score=0.8 * due.score) if len(found) == 1 else due


def _terms_in_text(ctx: DocContext) -> str | None:
    m = re.search(
        r"(?i)\b(?:net\s*\d{1,3}|\d{1,3}\s*(?:days|tage|jours|d[ií]as|dagen)\s*(?:net(?:to)?)?)\b", ctx.text
    )
    return m.group() if m else None


_AMOUNT_FIELDS = (("subtotal", L.SUBTOTAL), ("tax_amount", L.TAX_AMOUNT), ("total", L.TOTAL))


def _amount_candidates(ctx: DocContext) -> dict[str, list[Candidate]]:
    """Amounts next to total/subtotal/tax labels. When one segment carries labels of two fields at
    the same place ("Total HT"), the stronger label decides; the value is the rightmost amount up to
    the next label, or the amount under the label in a header row. On an OCR'd page "TOTAL MT" is
    read as the "TOTAL HT" it stands for (`mend_ht`)."""
    out: dict[str, list[Candidate]] = {k: [] for k, _ in _AMOUNT_FIELDS}
    hint = ctx.decimal_hint
    for page, lines in enumerate(ctx.lines):
        ocr = ctx.doc.pages[page].text_source == "ocr"
        for li, line in enumerate(lines):
            for si, seg in enumerate(line.segments):
                text = L.mend_ht(seg.text) if ocr else seg.text
                found = {k: L.best_label(text, labels) for k, labels in _AMOUNT_FIELDS}
                found = {k: v for k, v in found.items() if v}
                if ocr and not found:
                    found = L.misread_amount_labels(seg.text)
                for key, (m, strength) in found.items():
                    if any(
                        o[1] > strength and o[0].start() < m.end() and m.start() < o[0].end()
                        for k2, o in found.items()
                        if k2 != key
                    ):
                        continue
                    if any(
                        o[1] == strength
                        and o[0].start() < m.end()
                        and m.start() < o[0].end()
                        and (o[0].end() - o[0].start()) > (m.end() - m.start())
                        for k2, o in found.items()
                        if k2 != key
                    ):
                        continue
                    if ctx.in_table(page, seg.bbox):
                        strength *= 0.5
                    label_words = span_words(seg, m.start(), m.end())
                    cand = _amount_right(ctx, line, si, seg, m.end(), strength, hint, page)
                    here = [cand] if cand is not None else _amounts_below(
                        ctx, lines, li, label_words, strength * 0.9, hint, page
                    )
                    for c in here:
                        c.label = seg.text[m.start() : m.end()]
                        out[key].append(c)
    return out


def _amount_right(ctx, line, si, seg, label_end, strength, hint, page) -> Candidate | None:
    rest_start = label_end + strip_separators(seg.text[label_end:])
    ocr = ctx.doc.pages[page].text_source == "ocr"
    parts = [(p, p.text, rest_start if p is seg else 0) for p in L.up_to_next_label(line.segments, si, ocr)]
    found = None
    for owner, text, off in parts:
        if ocr and found is not None and _OPENS_WITH_WORD.match(text[off:]):
            break  # another label, misread past knowing ("Subroraal 64.904,94" after the net's amount)
        for value, s, e in find_amounts(text[off:], hint):
            found = (owner, value, off + s, off + e)
    if found is None:
        return None
    owner, value, s, e = found
    if ocr:
        owner, value, s, e = _small_lead_dropped(owner, value, s, e, hint)
    return Candidate(value, strength, span_words(owner, s, e), owner.text[s:e], "", line.yc, page)


_SIGN_HEIGHT = 0.6  # a lone character this much lower than the number after it is no digit of it
# A segment that opens with a word: on a scan, a label OCR misread past knowing, so its amount is not
# the value of the label before it on the line (coolblue2 on seed 2347: "Exclusief BTW € 4.053,67"
# and "Subroraal 64.904,94" on one line; the net took the gross, its sign read as a 6).
_OPENS_WITH_WORD = re.compile(r"\s*[^\W\d_]{4,}")


def _small_lead_dropped(owner: Segment, value: Any, s: int, e: int, hint: str | None
                        ) -> tuple[Segment, Any, int, int]:
    """An OCR'd amount without its first word where that word is one character well under the
    height of the number after it: a currency sign or speck the recogniser read as a digit, which
    a space then joined to the number as a thousands group ("3 319.00" for "₹319.00": Flipkart's
    grand total on seed 2333, the rupee sign read as a small "3"). Digit groups of one number are
    printed in one type size."""
    words = span_words(owner, s, e)
    if len(words) < 2 or len(words[0].text) != 1 or words[0].height >= _SIGN_HEIGHT * words[1].height:
        return owner, value, s, e
    start = s + len(words[0].text) + 1
    for v, s2, e2 in find_amounts(owner.text[start:e], hint):
        if start + e2 == e:
            return owner, v, start + s2, e
    return owner, value, s, e


def _amounts_below(ctx, lines, li, label_words, strength, hint, page) -> list[Candidate]:
    """The amount under a column head's label and, weaker, the one on the next line under it.

    Why the second: a VAT summary prints a row per rate and then their sum row under the same heads
    ("BTW bedrag: 8,68 / 8,68"); where a scan misread the first ("18,68", a rule's speck read as a
    1), the sum row is the value the arithmetic (net + tax = gross) can still prove. Weaker, it
    wins only where it adds up and the first does not."""
    if not label_words:
        return []
    x0, x1 = min(w.x0 for w in label_words), max(w.x1 for w in label_words)
    line = lines[li]
    out: list[Candidate] = []
    # Lines of small print in another column may sit between a header cell and its value: skip
    # lines with nothing under the label, bounded by distance rather than by a line count (from the
    # label to the first amount; then from that amount to the next, a line's step or so).
    def under_label(seg: Segment) -> bool:
        return min(seg.x1, x1) - max(seg.x0, x0) > 0 or abs(seg.x1 - x1) < 6

    top = line.yc
    for below in lines[li + 1 : li + 8]:
        reach = 1.8 * max(below.height, 6) if out else 3.5 * max(line.height, 6)
        if below.yc - top > reach:
            break
        for seg in below.segments:
            amounts = find_amounts(seg.text, hint) if under_label(seg) else []
            if amounts:
                value, s, e = amounts[-1]
                weight = strength * _NEXT_BELOW if out else strength
                out.append(Candidate(value, weight, span_words(seg, s, e), seg.text[s:e], "", below.yc, page))
                break
        else:
            continue  # nothing under the label on this line
        if len(out) == 2:
            break
        top = below.yc
    return out


def _tax_over_net(sub: Candidate | None, tax: Candidate, tot: Candidate | None) -> bool:
    """Is the tax as much as the net or more (printed, or the gross less the tax where none is)? No
    VAT or sales tax rate comes near 100 %: such a choice has the net and the tax the wrong way round
    (ZUGFeRD's leasing sample on seed 601, its "Nettobetrag" label read "Nettobetraq": the net
    376,37 was taken for the tax beside "MwSt." and the net made 71,51), or the net taken twice (the
    same on 653, where the label "... zzgl. 19,00% MwSt." made its net a tax candidate too). Half the
    net counts as well: the highest VAT and GST rates are under 30 % (the rare excise cess beyond
    that only weighs against the choice in `_amounts`, it does not forbid it), and the same
    sample's gross "447,88" read "147,88" under "Summe gesamt" on seed 3769 left a net of 76,37
    for its tax 71,51."""
    net = sub.value if sub is not None else (tot.value - tax.value if tot is not None else None)
    return net is not None and tax.value > 0 and net <= 2 * tax.value


_NEXT_BELOW = 0.6  # the second amount under a column head, against the first
# A sum that holds to the cent beats one that holds within rounding (0.02): more than a reading's
# cost, so that "34,731" (a frame rule read as a 1 after the total, 34.731 as read) gives way to its
# reading 34,73 where that is what the line items sum to.
_TO_THE_CENT = 0.2


def _amounts(ctx: DocContext, rows: list[dict[str, Evidence]]) -> dict[str, Any]:
    cands = _amount_candidates(ctx)
    breakdown = _tax_breakdown(ctx)
    line_sum = sum_of_line_totals(rows)
    sums = _tax_sums(ctx, cands["tax_amount"], breakdown)
    cands["tax_amount"].extend(sums)
    # OCR'd pages: other readings of each labelled amount, chosen only where arithmetic proves them.
    readings, glyphs = reading_candidates(ctx, _AMOUNT_FIELDS)
    repaired = {id(c) for v in readings.values() for c in v}
    options = {
        k: [*strongest_per_value(v), *strongest_per_value(readings[k], 8), None] for k, v in cands.items()
    }
    # The sums of several tax lines stay among the choices even where four single lines score higher:
    # only they can add up with net and gross on a multi-rate invoice.
    offered = {c.value for c in options["tax_amount"] if c is not None}
    options["tax_amount"][-1:-1] = [c for c in sums if c.value not in offered]
    best_combo, best_score = (None, None, None), -1.0
    for sub, tax, tot in product(options["subtotal"], options["tax_amount"], options["total"]):
        uses_reading = repaired and any(id(c) in repaired for c in (sub, tax, tot))
        if uses_reading and not proves((sub, tax, tot), line_sum, glyphs):
            continue
        score = sum(c.score for c in (sub, tax, tot) if c is not None)
        if sub and tax and tot:
            off = abs(sub.value + tax.value - tot.value)
            score += (1.5 if off <= Decimal("0.02") else -0.5) + (_TO_THE_CENT if off == 0 else 0.0)
        if sub and tot and not tax:
            score += 0.2 if sub.value == tot.value else 0.0
        if sub and tot and abs(sub.value) > abs(tot.value):
            score -= 0.5
        if tax and _tax_over_net(sub, tax, tot):
            score -= 0.5
        # What the line items sum to: the net, or where none is printed the gross (line totals with
        # the tax in them: Flipkart's).
        summed = sub if sub is not None else tot
        if line_sum is not None and summed is not None and abs(line_sum - summed.value) <= Decimal("0.02"):
            score += 0.4 + (_TO_THE_CENT if line_sum == summed.value else 0.0)
        breakdown_tax = sum((b["tax_amount"].value for b in breakdown), Decimal(0))
        if breakdown and tax is not None and abs(breakdown_tax - tax.value) <= Decimal("0.02"):
            score += 0.3
        if score > best_score:
            best_combo, best_score = (sub, tax, tot), score
    sub, tax, tot = best_combo
    if sub is not None and ctx.doc.pages[sub.page].text_source == "ocr":
        # The second sum: the line items', else the nets of the VAT summary (each proved by its rate).
        nets = line_sum
        if nets is None and breakdown:
            nets = sum((b["net_amount"].value for b in breakdown), Decimal(0))
        proved = net_proved_twice(sub, [tax, *options["tax_amount"]], tot, nets, ctx.decimal_hint)
        if proved is not None:
            sub, tax = proved
            repaired.add(id(sub))
    consistent = bool(sub and tax and tot and abs(sub.value + tax.value - tot.value) <= Decimal("0.02"))
    if sub is not None and tot is not None and not consistent:
        between = _tax_on_totals_line(ctx, sub, tot)
        if between is not None:
            tax, consistent = between, True
    bonus = 0.1 if consistent else 0.0

    def ev_of(c: Candidate | None) -> Evidence:
        if c is not None and id(c) in repaired:
            return c.evidence(min(REPAIRED_CONFIDENCE, c.score * 0.9 + bonus))
        if c is not None and ctx.was_joined(c.words):
            ev = c.evidence(min(REPAIRED_CONFIDENCE, c.score * 0.9 + bonus))
            ev.raw = ctx.as_read(c.words, c.raw)  # the pieces as OCR spaced them
            return ev
        return c.evidence(min(0.99, c.score * 0.9 + bonus)) if c else Evidence(None)

    out = {"subtotal": ev_of(sub), "tax_amount": ev_of(tax), "total": ev_of(tot), "tax_breakdown": breakdown}
    out["proved_currency"] = proved_currency((sub, tax, tot), glyphs)
    # A missing amount follows from the other two (net + tax = gross), or the net from the line sum
    # when no tax is printed at all; derived values carry the evidence of what they came from and a
    # lower confidence.
    if (
        tot is not None
        and sub is None
        and tax is not None
        and tax.score >= 0.6
        and abs(tax.value) < abs(tot.value)
    ):
        out["subtotal"] = Evidence(tot.value - tax.value, raw=None, confidence=0.5, page=tot.page)
    elif tot is not None and sub is None and (tax is None or tax.score < 0.6) and line_sum is not None:
        if abs(line_sum - tot.value) <= Decimal("0.02"):
            out["subtotal"] = Evidence(tot.value, raw=tot.raw, confidence=0.55, page=tot.page)
            # net = gross: a weak tax beside them is no tax of this invoice (QualityHosting's 3,89,
            # a line's amount under its "ohne MwSt" head, made 34.73 + 3.89 = 34.73)
            out["tax_amount"] = Evidence(None)
    elif tot is not None and sub is not None and tax is None and tot.value > sub.value:
        out["tax_amount"] = Evidence(tot.value - sub.value, raw=None, confidence=0.5, page=tot.page)
    return out


def _tax_on_totals_line(ctx: DocContext, sub: Candidate, tot: Candidate) -> Candidate | None:
    """The amount printed after the net on its own line, before the gross, that is their difference:
    the tax of a totals row ("TOTAL HT | TOTAL TVA | TOTAL TTC" over "100,00 4,90 104,90") whose tax
    label was misread past knowing ("TOTAL IVva": akretion on scanner seed 2647), where no labelled
    tax adds up. The row's three amounts adding up are the proof; the score is a label's least."""
    line = next((ln for ln in ctx.lines[sub.page] if any(w is sub.words[0] for w in ln.words)), None)
    if line is None:
        return None
    after_net = [
        Candidate(value, 0.6, words, seg.text[s:e], "", line.yc, sub.page)
        for seg in line.segments
        for value, s, e in find_amounts(seg.text, ctx.decimal_hint)
        if (words := span_words(seg, s, e)) and words[0].x0 >= sub.words[-1].x1
    ]
    tax = tot.value - sub.value
    found = (c for c, nxt in pairwise(after_net) if c.value == tax and nxt.value == tot.value)
    return next(found, None) if tax > 0 else None


def _untaxed_rows(rows: list[dict[str, Evidence]], breakdown: list[dict[str, Evidence]]) -> None:
    """Rows whose tax cell is empty get a rate of 0 where the VAT summary proves it: each of its
    rates' bases is exactly the total of the rows printing that rate, so the others are in no taxed
    base (AzureInterior's "Luxury Truffles", no tax printed, left out of "Tax 15% on $ 112.90").
    Derived, not read: no box, confidence 0.6."""
    rated = [r for r in rows if r.get("tax_rate", Evidence(None)).value is not None]
    bare = [r for r in rows if r.get("tax_rate", Evidence(None)).value is None]
    if not bare or not rated or not breakdown:
        return
    if any(r.get("total") is None or r["total"].value is None for r in rows):
        return
    nets: dict[Decimal, Decimal] = {}
    for b in breakdown:
        rate, net = b.get("rate"), b.get("net_amount")
        if rate is None or net is None or rate.value is None or net.value is None:
            return
        nets[Decimal(str(rate.value))] = Decimal(str(net.value))
    by_rate: dict[Decimal, Decimal] = {}
    for r in rated:
        rate = Decimal(str(r["tax_rate"].value))
        by_rate[rate] = by_rate.get(rate, Decimal(0)) + Decimal(str(r["total"].value))
    if 0 in nets or set(nets) != set(by_rate):
        return
    if any(abs(by_rate[rate] - net) > Decimal("0.02") for rate, net in nets.items()):
        return
    for r in bare:
        r["tax_rate"] = Evidence(Decimal(0), raw=None, confidence=0.6, page=r["total"].page)


def _tax_sums(
    ctx: DocContext, taxes: list[Candidate], breakdown: list[dict[str, Evidence]]
) -> list[Candidate]:
    """Invoices with several VAT rates print one tax line per rate ("TVA 20 %", "TVA 10 %"); the tax
    amount is their sum. Offered as one more candidate: the arithmetic check decides."""
    out: list[Candidate] = []
    by_line: dict[tuple[int, int], Candidate] = {}
    for c in taxes:
        key = (c.page, round(c.y))
        if c.score >= 0.5 and (key not in by_line or c.score > by_line[key].score):
            by_line[key] = c
    lines = sorted(by_line.values(), key=lambda c: (c.page, c.y))
    if 2 <= len(lines) <= 6 and len({c.value for c in lines}) == len(lines):
        total = sum((c.value for c in lines), Decimal(0))
        page = lines[0].page
        words = [w for c in lines for w in c.words if w.page == page]
        raw = " + ".join(c.raw for c in lines)
        out.append(
            Candidate(total, min(c.score for c in lines), words, raw, "sum", lines[0].y, lines[0].page)
        )
    if len(breakdown) >= 2:
        total = sum((b["tax_amount"].value for b in breakdown), Decimal(0))
        out.append(Candidate(total, 0.7, [], "sum of tax breakdown", "breakdown", 0.0, 0))
    elif breakdown:
        # One rate: its row's tax is the tax amount, for when no label reads it (a scan misread the
        # summary's "USt EUR" column head, and "19,00% MwSt.: 376,37 71,51 447,88" gave the tax
        # label the net: ZUGFeRD's leasing sample on seed 277). The arithmetic decides as above.
        ev = breakdown[0]["tax_amount"]
        words = evidence_words(ctx, ev)
        out.append(Candidate(ev.value, 0.7, words, ev.raw or str(ev.value), "breakdown",
                             words[0].yc if words else 0.0, ev.page or 0))
    return out


_RATE = re.compile(r"(?<![\d,.])(\d{1,2}(?:[.,]\d{1,2})?)\s?%")
# A scan's rate with two decimals whose "%" (and a 0 before it) the recogniser misread ("20,0oA",
# "10,0on", "20,004", "0,00%6": akretion's VAT summary on scanner seeds 457-523). Only where net x
# rate = tax proves the row, as every summary row must.
_RATE_OCR = re.compile(r"(?<![\d,.])(\d{1,2}[.,][\doO]{2})[%A4on]\S?(?=\s)")


def _tax_breakdown(ctx: DocContext) -> list[dict[str, Evidence]]:
    """Rows "rate% | net | tax" (in that order) where net x rate = tax: the VAT summary table.

    On an OCR'd page a row whose net (or tax) fails that check may have a digit or two misread for
    others ("316,37" or "316,31" for 376,37: ZUGFeRD's sample on scans): a reading of it (at most
    two characters changed, `prove_amount`) is taken when two checks agree on it, the rate and the
    gross printed right after the tax (net + tax = gross). Where the tax is read as no amount at
    all ("71 LA 51", "71. r 51": a Courier comma read as letters), gross - net is the tax when the
    rate says the same of the net (`_tax_between`); where the net is read past mending, gross - tax
    (`_net_lost`).
    """
    out: list[dict[str, Evidence]] = []
    seen: set[tuple[Decimal, Decimal, Decimal]] = set()
    for page, lines in enumerate(ctx.lines):
        ocr = ctx.doc.pages[page].text_source == "ocr"
        for line in lines:
            text = _without_column_dashes(line) if ocr else line.text
            rm = _RATE.search(text) or (_RATE_OCR.search(text) if ocr else None)
            if not rm or ctx.in_table(page, (line.x0, line.y0, line.x1, line.y1)):
                continue
            rate = Decimal(rm.group(1).replace(",", ".").replace("o", "0").replace("O", "0"))
            base = rm.end()
            after = text[base:]
            amounts = find_amounts(after, ctx.decimal_hint)
            found = _net_and_tax(rate, amounts, after, ocr, ctx.decimal_hint)
            if found is None and ocr:
                found = _tax_between(rate, amounts, after, ctx.decimal_hint)
                found = found or _net_lost(rate, amounts, after)
            if found is None:
                continue
            net, tax, (s1, e1), (s2, e2), confidence = found
            key = (rate, net, tax)
            if key in seen:
                continue
            seen.add(key)
            net_words = span_words(line, base + s1, base + e1)
            tax_words = span_words(line, base + s2, base + e2)
            out.append(
                {
                    "rate": Evidence.from_words(rate, span_words(line, rm.start(), rm.end()), 0.8),
                    "net_amount": Evidence.from_words(net, net_words, confidence),
                    "tax_amount": Evidence.from_words(tax, tax_words, confidence),
                }
            )
    return out


def _without_column_dashes(line: Line) -> str:
    """The line's text with a lone dash that ends its segment blanked (same length): a column's gap
    follows it, so it signs no amount after it ("19,00% MwSt . - | 376,37 | 11,51 | 447,88": a
    speck read as a dash made ZUGFeRD's net -376.37 on seed 2969, and its VAT row was lost)."""
    ends = {id(seg.words[-1]) for seg in line.segments}
    return " ".join(" " * len(w.text) if w.text in ("-", "–") and id(w) in ends else w.text
                    for w in line.words)


_Row = tuple[Decimal, Decimal, tuple[int, int], tuple[int, int], float]  # net, tax, their spans, confidence


def _net_and_tax(rate: Decimal, amounts: list[tuple[Decimal, int, int]], text: str, ocr: bool,
                 hint: str | None) -> _Row | None:
    """The first two neighbouring amounts after the rate with net x rate = tax (on an OCR'd page
    also one of them read otherwise, `_mended_row`)."""
    for k, ((net, s1, e1), (tax, s2, e2)) in enumerate(pairwise(amounts)):
        if net == 0 and tax == 0:
            continue
        gross = amounts[k + 2][0] if ocr and k + 2 < len(amounts) else None
        if _rate_holds(rate, net, tax):
            read_off = _tax_digit_off(net, tax, gross, rate)
            if read_off is not None:
                return net, read_off, (s1, e1), (s2, e2), 0.6
            return net, tax, (s1, e1), (s2, e2), 0.8
        mended = _mended_row(rate, text[s1:e1], net, text[s2:e2], tax, gross, hint)
        if mended is not None:
            return mended[0], mended[1], (s1, e1), (s2, e2), 0.6
    return None


def _tax_between(rate: Decimal, amounts: list[tuple[Decimal, int, int]], text: str,
                 hint: str | None) -> _Row | None:
    """A net and a gross with something between them that reads as no tax: the tax is gross - net
    where net x rate gives it too (two checks agree); its span is the text between them. The gross
    may be the last group of an amount that took a piece of the misread tax for its thousands
    ("51 447,88" of "71 LA 51 447,88")."""
    for i, (net, s1, e1) in enumerate(amounts):
        for amount, s3, e3 in amounts[i + 1 :]:
            grosses = [(amount, s3)] if s3 > e1 + 1 else []
            cut = text.rfind(" ", s3, e3)
            if cut > s3:
                last = parse_amount(text[cut + 1 : e3], hint)
                grosses += [(last, cut + 1)] if last is not None else []
            for gross, start in grosses:
                tax = gross - net
                if net > 0 and tax > 0 and _rate_holds(rate, net, tax):
                    return net, tax, (s1, e1), (e1, start), 0.6
    return None


def _net_lost(rate: Decimal, amounts: list[tuple[Decimal, int, int]], text: str) -> _Row | None:
    """A net read as another number, past mending, before a tax and a gross: the net is gross - tax
    where the rate says the same of it (two checks agree). saeco's "21% | 41,31 | 8,68 | 49,99" on
    seed 701 read "431" for the net, a digit and the comma lost. The net's span is its reading, the
    amount or the digits printed right before the tax."""
    for k, ((tax, s2, e2), (gross, _s3, _e3)) in enumerate(pairwise(amounts)):
        net = gross - tax
        if not (tax > 0 and net > 0 and _rate_holds(rate, net, tax)):
            continue
        if k > 0:
            return net, tax, amounts[k - 1][1:], (s2, e2), 0.6
        read = text[:s2].rstrip()
        start = read.rfind(" ") + 1
        if any(c.isdigit() for c in read[start:]):
            return net, tax, (start, len(read)), (s2, e2), 0.6
    return None


def _tax_digit_off(net: Decimal, tax: Decimal, gross: Decimal | None, rate: Decimal) -> Decimal | None:
    """gross - net where an OCR'd summary row's tax was read a digit off that no look-alike lists
    ("19,00% | 376,37 | 71,81 | 447,88" for 71,51: ZUGFeRD's sample on seed 3911): within
    `_rate_holds`' rounding slack as read, but the gross says otherwise, and gross - net holds the
    rate to the cent and differs from the reading in that one digit (two checks agree); else None."""
    if gross is None or abs(net + tax - gross) <= Decimal("0.02"):
        return None
    other = gross - net
    if other <= 0 or abs(net * rate / 100 - other) > Decimal("0.01"):
        return None
    return other if one_digit_off(tax, other) else None


def _rate_holds(rate: Decimal, net: Decimal, tax: Decimal) -> bool:
    return abs(net * rate / 100 - tax) <= max(Decimal("0.02"), abs(tax) * Decimal("0.005"))


def _mended_row(rate: Decimal, net_raw: str, net: Decimal, tax_raw: str, tax: Decimal,
                gross: Decimal | None, hint: str | None) -> tuple[Decimal, Decimal] | None:
    """(net, tax) of a summary row with one of them read as another reading of its text, where
    net + tax = `gross` and net x rate = tax both hold for it; None without a gross or a proof."""
    if gross is None:
        return None
    found = prove_amount(net_raw, gross - tax, hint)
    if found is not None and _rate_holds(rate, found[1], tax):
        return found[1], tax
    found = prove_amount(tax_raw, gross - net, hint)
    if found is not None and _rate_holds(rate, net, found[1]):
        return net, found[1]
    return None


_IBAN_LABEL = re.compile(r"(?i)\biban\b")


def _iban_labelled(line: Line, ocr: bool) -> bool:
    """The line holds the IBAN label; on an OCR'd page also a word one letter off it right before
    an IBAN's country code and check digits ("IIBAN : FR76 ...": a frame's rule glued to it;
    "'BAN : FR76 ...": its I lost), so that a printed IBAN failing its checksum is kept as printed,
    as on the text layer."""
    if _IBAN_LABEL.search(line.text):
        return True
    if not ocr:
        return False
    if _IBAN_LABEL.search(fold_in_place(line.text)):
        return True  # an accent OCR put on a letter ("{IBAÑ : FR76 ...": horstoeko, latin5 on 2939)
    for m in _NEAR_IBAN_LABEL.finditer(unaccented(line.text)):  # "IRAN FR2Ó ...": latin5 on 3299
        letters = re.sub(r"[^A-Za-z]", "", m.group(1).replace("8", "B")).upper()
        # its I read as a J besides ("JRAN FR76 ...": F20180027, latin5 on 3779), as capitals' I is
        # read first in a word ("JFOURNITURES")
        if len(letters) >= 3 and (one_edit(letters, "IBAN") or one_edit(re.sub("^J", "I", letters), "IBAN")):
            return True
    return False


# A comma or a point a scan put between two of an IBAN's groups ("FR76 1254.2547 ...", "FR20
# 1254,2547 ...": horstoeko's and akretion's on scanner seeds 487 and 523).
_GROUP_SPECK = re.compile(r"(?<=\b[0-9A-Z]{4})[.,](?=[0-9A-Z]{3,4}\b)")
# A word one letter off the IBAN label right before an IBAN's start, glued to it or not
# ("MBAN:FR76 ...": horstoeko's on scanner seed 461), its B read as an 8 ("I8AN : FR76 ...":
# F20180027's on seed 2909); the country code's second letter may be read small ("(BAN , Fr76 ...":
# horstoeko's on seed 2957), and its check digits as the letters OCR reads for digits ("BAN FrJo
# 1254 ...": akretion's italic 2 and a small o, seed 3593).
_NEAR_IBAN_LABEL = re.compile(
    r"(?<![A-Za-z])([A-Za-z'|!\[8]{3,5})(?=[\s:;.,]*[A-Z][A-Za-z][\dOoDQZzSsIlJ]{2}\b)"
)


def _bank(ctx: DocContext) -> tuple[dict[str, Evidence], list[dict[str, Evidence]]]:
    """IBAN/BIC/bank name/account and routing numbers; several accounts go to payment_details."""
    accounts: list[dict[str, Evidence]] = []
    seen: set[str] = set()
    ocr = [p.text_source == "ocr" for p in ctx.doc.pages]
    for page, lines in enumerate(ctx.lines):
        for li, line in enumerate(lines):
            labelled = _iban_labelled(line, ocr[page])
            # A speck between two groups read as a comma or a point is a gap, an accent OCR put on
            # a letter none (same offsets).
            # A dollar sign is the S a blurred 5 was read as ("8542 $874 698": akretion on seed 3659).
            text = (_GROUP_SPECK.sub(" ", unaccented(line.text)).replace("$", "S") if ocr[page] and labelled
                    else line.text)
            found = find_ibans(text, require_valid=not labelled)
            if ocr[page] and labelled and not any(is_valid_iban(v) for v, _, _ in found):
                # OCR'd check digits read as letters ("NL4O ...") defeat find_ibans' pattern, and
                # lower case its search: the reading that the checksums prove, raw kept as read.
                proved = find_ocr_iban(text)
                found = [proved] if proved is not None else found
            if not found and labelled:
                # IBAN under its column header, possibly wrapped onto the next line.
                for seg in line.segments:
                    if _IBAN_LABEL.search(seg.text) and li + 1 < len(lines):
                        nxt = [s for s in lines[li + 1].segments if abs(s.x0 - seg.x0) < 15]
                        if nxt:
                            text = nxt[0].text
                            if li + 2 < len(lines):
                                cont = [s for s in lines[li + 2].segments if abs(s.x0 - nxt[0].x0) < 4]
                                if cont:
                                    text = text + " " + cont[0].text
                            ibans = find_ibans(text, require_valid=True)
                            if ibans:
                                value = ibans[0][0]
                                if value not in seen:
                                    seen.add(value)
                                    words = nxt[0].words + (cont[0].words if cont else [])
                                    account_ev = Evidence.from_words(value, words, 0.85, raw=text)
                                    accounts.append(_account(ctx, page, li, account_ev))
                continue
            for value, s, e in found:
                conf = 0.95 if labelled else 0.8
                if ocr[page] and (not is_valid_iban(value) or compact(text[s:e]) != value):
                    # A labelled OCR'd IBAN that failed mod 97 as read: repaired only where the
                    # checksums prove it (repair_iban, iban_letter_reading); raw stays as read,
                    # confidence lower.
                    value = repair_iban(value) or iban_letter_reading(value) or value
                    conf = 0.7
                    if not is_valid_iban(value) and not iban_fits_format(value):
                        continue  # a misread beyond the country's format ("... 5874 EN"): no IBAN
                if value in seen:
                    continue
                seen.add(value)
                account_ev = Evidence.from_words(value, span_words(line, s, e), conf, raw=line.text[s:e])
                accounts.append(_account(ctx, page, li, account_ev))
    empty = {
        "iban": Evidence(None),
        "bic": Evidence(None),
        "bank_name": Evidence(None),
        "account_number": Evidence(None),
        "routing_number": Evidence(None),
    }
    if not accounts:
        acct = best(labelled_candidates(ctx, L.ACCOUNT_NUMBER, _account_parser))
        routing = best(labelled_candidates(ctx, L.ROUTING_NUMBER, _account_parser))
        bic = _bic_near(ctx, None)
        bank_name = best(labelled_candidates(ctx, L.BANK_NAME, _bank_name_parser))
        details = {
            **empty,
            "account_number": ev(acct),
            "routing_number": ev(routing),
            "bic": bic,
            "bank_name": ev(bank_name),
        }
        has_any = any(v.value is not None for v in details.values())
        return details, ([details] if has_any else [])
    return accounts[0], (accounts if len(accounts) > 1 else [])


# A payment code's values are read through error correction and its IBAN is proved by mod 97.
CODE_CONFIDENCE = 0.98


def _code_evidence(value: Any, code: PaymentCode) -> Evidence:
    return Evidence(value, raw=str(value), confidence=CODE_CONFIDENCE, page=code.page, bbox=code.code.bbox)


def _with_code_account(
    doc: LoadedDocument, bank: dict[str, Evidence], payments: list[dict[str, Evidence]], code: PaymentCode
) -> tuple[dict[str, Evidence], list[dict[str, Evidence]]]:
    """The accounts found in the text with the account a payment code pays into.

    The code's IBAN confirms the printed one it equals; it replaces a printed one read by OCR
    that it differs from by a character or two (a misread that slipped past the checksum's proof,
    or was never proved); otherwise it is the account where the text has none, or one more.
    """
    accounts = payments or [bank]
    for account in accounts:
        printed = account["iban"]
        if printed.value is None:
            continue
        if printed.value == code.iban:
            printed.confidence = max(printed.confidence, CODE_CONFIDENCE)
        elif _misread_of(str(printed.value), code.iban) and _read_by_ocr(doc, printed):
            account["iban"] = _code_evidence(code.iban, code)
        else:
            continue
        if account["bic"].value is None and code.bic is not None:
            account["bic"] = _code_evidence(code.bic, code)
        return bank, payments
    paid_in = {
        "iban": _code_evidence(code.iban, code),
        "bic": _code_evidence(code.bic, code) if code.bic is not None else Evidence(None),
    }
    if bank["iban"].value is None:
        if bank["bic"].value is not None:
            paid_in["bic"] = bank["bic"]
        merged = {**bank, **paid_in}
        return merged, ([merged] if payments else [])
    extra = {**{k: Evidence(None) for k in bank}, **paid_in}
    return bank, [*accounts, extra]


def _read_by_ocr(doc: LoadedDocument, found: Evidence) -> bool:
    return found.page is not None and doc.pages[found.page].text_source == "ocr"


def _misread_of(printed: str, iban: str) -> bool:
    """Two IBANs of one length that differ in one or two characters."""
    return len(printed) == len(iban) and 0 < mismatches(printed, iban) <= 2


def _account_parser(text: str) -> tuple[str, int, int] | None:
    m = re.match(r"\s*([A-Z]{0,4}[0-9][0-9 \-]{3,30}[0-9A-Z])", text)
    if not m:
        return None
    value = re.sub(r"[\s\-]", "", m.group(1))
    return (value, m.start(1), m.end(1)) if sum(c.isdigit() for c in value) >= 4 else None


def _bank_name_parser(text: str) -> tuple[str, int, int] | None:
    t = text.strip()
    if not t or len(t) > 60 or not re.search(r"[A-Za-z]{3}", t) or re.search(r"\d{5,}", t):
        return None
    start = text.find(t)
    return t, start, start + len(t)


def _account(ctx: DocContext, page: int, li: int, iban: Evidence) -> dict[str, Evidence]:
    bic = _bic_near(ctx, (page, li))
    if bic.value is not None and _read_by_ocr(ctx.doc, bic):
        proved = bic_of_iban(str(bic.value), str(iban.value))
        if proved is not None:  # a letter of the bank code misread: the IBAN's checksum says which
            bic.value, bic.confidence = proved, min(bic.confidence, REPAIRED_CONFIDENCE)
    lines = ctx.lines[page]
    bank_name = Evidence(None)
    for line in lines[max(0, li - 2) : li + 1]:
        m = re.search(
            r"(?i)([A-ZÄÖÜ][\w&.\- ]*?\b(?:bank|banque|banco|sparkasse|volksbank|raiffeisen|"
            r"caisse|cr[ée]dit|bnp|ing|rabobank|abn amro)\b[\w .\-]*)",
            line.text,
        )
        if m and "iban" not in m.group(1).lower():
            name = re.split(r"\s[-–]\s|\s{2,}|:", m.group(1))[0].strip()
            bank_name = Evidence.from_words(name, span_words(line, m.start(1), m.start(1) + len(name)), 0.6)
    return {
        "iban": iban,
        "bic": bic,
        "bank_name": bank_name,
        "account_number": Evidence(None),
        "routing_number": Evidence(None),
    }


# The BIC label, also glued to the BIC when the space between them was lost ("BICINGBNL2A", a scan
# of coolblue's, seed 79): the BIC's shape must follow then.
_BIC_LABEL = re.compile(
    r"(?i:\b(?:bic|swift)(?:\s*-?\s*code)?\b[\s:/.-]*)"
    r"|\b(?:BIC|SWIFT)(?=[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?\b)"
)


def _bic_near(ctx: DocContext, where: tuple[int, int] | None) -> Evidence:
    """A BIC after a BIC/SWIFT label; the nearest one to the IBAN line when `where` is given."""
    best_ev, best_dist = Evidence(None), 1e9
    for page, lines in enumerate(ctx.lines):
        for li, line in enumerate(lines):
            for m in _BIC_LABEL.finditer(line.text):
                cands = find_bics(line.text[m.end() : m.end() + 14])
                text_line, off = line, m.end()
                if not cands and li + 1 < len(lines):
                    seg_x = line.x_at(m.start())
                    below = [s for s in lines[li + 1].segments if abs(s.x0 - seg_x) < 15]
                    if below:
                        cands = find_bics(below[0].text)
                        text_line, off = below[0], 0
                conf = 0.9
                if not cands and ctx.doc.pages[page].text_source == "ocr":
                    # OCR mixes case and spaces a BIC apart ("BiC PyhpFRYAXXX", "MLF TDEG8").
                    ocr_bic = find_ocr_bic(line.text[m.end() : m.end() + 24])
                    if ocr_bic is not None:
                        cands, text_line, off, conf = [ocr_bic], line, m.end(), 0.6
                if not cands:
                    continue
                value, s, e = cands[0]
                dist = abs(page - where[0]) * 100 + abs(li - where[1]) if where else 0
                if dist < best_dist:
                    best_dist = dist
                    words = span_words(text_line, off + s, off + e)
                    best_ev = Evidence.from_words(value, words, conf, raw=text_line.text[off + s : off + e])
    return best_ev


def _period(ctx: DocContext) -> tuple[Evidence, Evidence]:
    parse = date_parser(ctx.date_order)
    start = best(labelled_candidates(ctx, L.PERIOD_START, parse))
    end = best(labelled_candidates(ctx, L.PERIOD_END, parse))
    if start and end:
        return start.evidence(), end.evidence()
    for labels in (L.PERIOD, L.DELIVERY_DATE):
        cands = labelled_candidates(ctx, labels, _range_parser(ctx.date_order), below=True)
        c = best(cands)
        if c is not None:
            (d0, d1) = c.value
            return (
                Evidence.from_words(d0, c.words, c.score * 0.8, raw=c.raw),
                Evidence.from_words(d1, c.words, c.score * 0.8, raw=c.raw),
            )
    return Evidence(None), Evidence(None)


def _range_parser(order: str):
    """ "01.05.2014 - 31.05.2014", "du 01/12 au 31/12/2019", "July 1 - July 31, 2014", or one date."""

    def parse(text: str):
        head = re.match(r"(?i)\s*(?:from|vom|du|del|van|de)?\s*", text)
        off = head.end() if head else 0
        dates = find_dates(text[off : off + 60], order)
        if not dates or dates[0].start > 3:
            # "July 1 - July 31, 2014": the first date borrows the second's year.
            m = re.match(r"(?i)\s*([a-zé]+\.? \d{1,2})\s*(?:-|–|to|bis|au|al|tot)\s*", text[off:])
            if m and dates:
                first = find_dates(f"{m.group(1)}, {dates[0].value.year}", order)
                if first:
                    return (first[0].value, dates[0].value), 0, off + dates[0].end
            return None
        if len(dates) >= 2 and dates[1].start - dates[0].end <= 6:
            return (dates[0].value, dates[1].value), off + dates[0].start, off + dates[1].end
        return (dates[0].value, dates[0].value), off + dates[0].start, off + dates[0].end

    return parse


def _document_kind(ctx: DocContext, kind: str) -> Evidence:
    head = "\n".join(ln.text for ln in (ctx.lines[0][:12] if ctx.lines else []))
    if kind == "credit_note" or L.CREDIT_TITLE.search(head):
        return Evidence("credit_note", confidence=0.9 if kind == "credit_note" else 0.75)
    if L.PROFORMA_TITLE.search(head):
        return Evidence("proforma", confidence=0.8)
    return Evidence("invoice", confidence=0.8)


def _paid(ctx: DocContext) -> Evidence:
    paid = whole_text_flag(ctx, L.PAID, True)
    if paid.value:
        return paid
    return Evidence(None)


def _email(ctx: DocContext, parties, vendor: bool) -> Evidence:
    exclude = {id(w) for w in parties.customer_words}
    for lines in ctx.lines:
        for line in lines:
            for w in line.words:
                if id(w) in exclude:
                    continue
                m = re.search(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", w.text)
                if m:
                    return Evidence.from_words(m.group().rstrip("."), [w], 0.6)
    return Evidence(None)


_PHONE_LABEL = re.compile(r"(?i)\b(?:tel(?:efon|éfono|ephone)?|phone|t[ée]l|fon)\b\.?\s*:?\s*")


def _phone(ctx: DocContext, parties) -> Evidence:
    exclude = {id(w) for w in parties.customer_words}
    for lines in ctx.lines:
        for line in lines:
            for m in _PHONE_LABEL.finditer(line.text):
                got = re.match(r"\+?[\d(][\d ()/.\-]{5,20}\d", line.text[m.end() :])
                if got:
                    s = m.end()
                    words = span_words(line, s, s + len(got.group()))
                    if any(id(w) in exclude for w in words):
                        continue
                    return Evidence.from_words(got.group().strip(), words, 0.6)
    return Evidence(None)


def _notes(ctx: DocContext) -> Evidence:
    for lines in ctx.lines:
        for li, line in enumerate(lines):
            m = re.match(
                r"(?i)^\s*(?:notes?|remarks?|bemerkung(?:en)?|hinweis|remarques?|notas?|opmerking(?:en)?)"
                r"\s*:\s*(.*)$",
                line.text,
            )
            if m:
                text = m.group(1).strip()
                words = line.words
                if not text and li + 1 < len(lines):
                    text, words = lines[li + 1].text, lines[li + 1].words
                if text:
                    return Evidence.from_words(text, words, 0.6, raw=text)
    return Evidence(None)

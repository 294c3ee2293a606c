"""Synthetic receipts, purchase orders, delivery notes, bank statements and payslips with truth.

`generate(doc_type, seed, index)` draws one document deterministically from `(doc_type, seed,
index)`: language cycles with the index, layout variants (labels beside or above values, parties
labelled or in an address window, optional columns, number and date styles) come from the random
stream. The truth is the output contract's `content` for the type plus `document_type`; fields the
document does not print are `null`. Companies, addresses, banks and number formats are reused from
bench.synth so both generators describe the same world.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from bench.doctypes.vocab import V
from bench.synth.canvas import Canvas
from bench.synth.content import BANKS, CITIES, FORMS, MARKETS, PEOPLE, STEMS, STREETS, TAX_RATES
from bench.synth.ids import format_iban, make_bic, make_iban, make_vat_id
from bench.synth.locales import LANGUAGES, format_date, format_number, format_quantity

DOC_TYPES = ("receipt", "purchase_order", "delivery_note", "bank_statement", "payslip")
CENT = Decimal("0.01")
PRODUCTS = {
    "en": [
        "Office chair",
        "Printer paper A4",
        "USB-C cable 2 m",
        "Desk lamp LED",
        "Toner cartridge black",
        "Stapler heavy duty",
        "Monitor 27 inch",
        "Wireless mouse",
        "Notebook A5 ruled",
        "Coffee beans 1 kg",
    ],
    "de": [
        "Bürostuhl",
        "Druckerpapier A4",
        "USB-C-Kabel 2 m",
        "Schreibtischlampe LED",
        "Tonerkartusche schwarz",
        "Hefter",
        "Monitor 27 Zoll",
        "Funkmaus",
        "Notizbuch A5 liniert",
        "Kaffeebohnen 1 kg",
    ],
    "fr": [
        "Chaise de bureau",
        "Papier A4",
        "Câble USB-C 2 m",
        "Lampe de bureau LED",
        "Cartouche de toner noir",
        "Agrafeuse",
        "Écran 27 pouces",
        "Souris sans fil",
        "Cahier A5 ligné",
        "Café en grains 1 kg",
    ],
    "es": [
        "Silla de oficina",
        "Papel A4",
        "Cable USB-C 2 m",
        "Lámpara de escritorio LED",
        "Cartucho de tóner negro",
        "Grapadora",
        "Monitor 27 pulgadas",
        "Ratón inalámbrico",
        "Cuaderno A5 rayado",
        "Café en grano 1 kg",
    ],
    "nl": [
        "Bureaustoel",
        "Printpapier A4",
        "USB-C-kabel 2 m",
        "Bureaulamp LED",
        "Tonercartridge zwart",
        "Nietmachine",
        "Monitor 27 inch",
        "Draadloze muis",
        "Notitieboek A5 gelinieerd",
        "Koffiebonen 1 kg",
    ],
}
GROCERIES = {
    "en": [
        "Oat Milk 1L",
        "Bananas",
        "Sourdough Bread",
        "Cheddar 200g",
        "Apples 1kg",
        "Orange Juice",
        "Pasta 500g",
    ],
    "de": [
        "Hafermilch 1L",
        "Bananen",
        "Bauernbrot",
        "Gouda 200g",
        "Äpfel 1kg",
        "Orangensaft",
        "Spaghetti 500g",
    ],
    "fr": [
        "Lait d'avoine 1L",
        "Bananes",
        "Baguette",
        "Comté 200g",
        "Pommes 1kg",
        "Jus d'orange",
        "Pâtes 500g",
    ],
    "es": [
        "Leche de avena 1L",
        "Plátanos",
        "Pan de pueblo",
        "Queso 200g",
        "Manzanas 1kg",
        "Zumo de naranja",
        "Macarrones 500g",
    ],
    "nl": [
        "Havermelk 1L",
        "Bananen",
        "Desembrood",
        "Kaas 200g",
        "Appels 1kg",
        "Sinaasappelsap",
        "Pasta 500g",
    ],
}
CARRIERS = ["DHL", "UPS", "FedEx", "DPD", "GLS", "TNT", "PostNL", "Chronopost", "SEUR"]


@dataclass(slots=True)
class SynthDoc:
    id: str
    pdf: bytes
    truth: dict[str, Any]


@dataclass(slots=True)
class World:
    """The random choices one document shares: language, country, formats."""

    rng: random.Random
    lang: str
    country: str
    currency: str
    num_style: str
    date_style: str

    def pick(self, key: str) -> str:
        return self.rng.choice(V[key][self.lang])

    def money(self, v: Decimal) -> str:
        return format_number(v, self.num_style)

    def qty(self, v: Decimal) -> str:
        return format_quantity(v, self.num_style)

    def date(self, d: date) -> str:
        return format_date(d, self.date_style, self.lang)

    def company(self) -> str:
        return self.rng.choice(FORMS[self.country]).format(s=self.rng.choice(STEMS))

    def address(self) -> list[str]:
        street = self.rng.choice(STREETS[self.country]).format(n=self.rng.randint(1, 199))
        return [street, self.rng.choice(CITIES[self.country])]

    def number(self, prefix: str = "") -> str:
        return prefix + str(self.rng.randint(10000, 9999999))


def _world(rng: random.Random, index: int) -> World:
    lang = LANGUAGES[index % len(LANGUAGES)]
    markets = [(c, cur) for c, cur, _w in MARKETS[lang] if c in TAX_RATES and c in BANKS and c != "IN"]
    country, currency = rng.choice(markets)
    num_style = {"en": "en", "de": "de", "fr": rng.choice(["fr", "de"]), "es": "de", "nl": "de"}[lang]
    if country == "CH":
        num_style = "ch"
    if country == "US":
        date_style = rng.choice(["mdy", "long_us", "iso"])
    else:
        date_style = rng.choice(
            {
                "en": ["dmy_slash", "long", "iso"],
                "de": ["dmy_dot", "long"],
                "fr": ["dmy_slash", "long"],
                "es": ["dmy_slash", "long"],
                "nl": ["dmy_dash", "long"],
            }[lang]
        )
    return World(rng, lang, country, currency, num_style, date_style)


def _r(v: Decimal) -> Decimal:
    return v.quantize(CENT, rounding=ROUND_HALF_UP)


def _f(v: Decimal | None) -> float | None:
    return None if v is None else float(v)


def _day(rng: random.Random) -> date:
    return date(2024, 1, 1) + timedelta(days=rng.randint(0, 600))


# ------------------------------------------------------------------------------------------ layout


class Sheet:
    """A4 page with a cursor; `kv` prints "label: value" beside or a value under its label."""

    def __init__(self, w: World, width: float = 595, height: float = 842, family: str | None = None) -> None:
        self.w = w
        self.c = Canvas(width, height, family or w.rng.choice(["helv", "tiro"]))
        self.size = 9.5

    def text(
        self, x: float, y: float, s: str, size: float | None = None, bold: bool = False, align: str = "l"
    ):
        return self.c.text(x, y, s, size or self.size, bold=bold, align=align)

    def block(self, x: float, y: float, lines: list[str], bold_first: bool = False) -> float:
        for i, s in enumerate(lines):
            self.text(x, y, s, bold=bold_first and i == 0)
            y += self.size * 1.35
        return y

    def kv(self, x: float, y: float, pairs: list[tuple[str, str]], width: float = 120) -> float:
        for label, value in pairs:
            self.text(x, y, label + ":")
            self.text(x + width, y, value)
            y += self.size * 1.45
        return y

    def table(self, y: float, cols: list[tuple[str, float, str]], rows: list[list[str]]) -> float:
        """`cols` = (header, x anchor, align); rows of cell strings. Returns the y under the table."""
        for head, x, align in cols:
            self.text(x, y, head, bold=True, align=align)
        self.c.hline(40, 555, y + 4)
        y += self.size * 1.8
        for row in rows:
            if y > 780:
                self.c.new_page()
                y = 60
                for head, x, align in cols:
                    self.text(x, y, head, bold=True, align=align)
                y += self.size * 1.8
            for (_h, x, align), cell in zip(cols, row, strict=True):
                self.text(x, y, cell, align=align)
            y += self.size * 1.5
        self.c.hline(40, 555, y - self.size * 0.8)
        return y + 6

    def finish(self) -> bytes:
        return self.c.finish()


def _letterhead(s: Sheet, name: str, addr: list[str], extra: list[str]) -> None:
    w = s.w
    if w.rng.random() < 0.5:
        s.text(40, 55, name, size=15, bold=True)
        s.block(40, 72, addr + extra)
    else:
        s.text(555, 55, name, size=15, bold=True, align="r")
        y = 72
        for line in addr + extra:
            s.text(555, y, line, align="r")
            y += s.size * 1.35


# ------------------------------------------------------------------------------------ purchase order


def _purchase_order(w: World) -> tuple[bytes, dict[str, Any]]:
    rng = w.rng
    buyer, supplier = w.company(), w.company()
    while supplier == buyer:
        supplier = w.company()
    b_addr, s_addr = w.address(), w.address()
    b_vat, b_vat_print = make_vat_id(rng, w.country) if w.country not in ("US",) else (None, None)
    contact = rng.choice(PEOPLE)
    ship = w.address() if rng.random() < 0.5 else None
    number = w.number(rng.choice(["PO-", "4500", "BE-", ""]))
    order_date = _day(rng)
    deliv = order_date + timedelta(days=rng.randint(5, 40)) if rng.random() < 0.8 else None
    rate = Decimal(rng.choice(TAX_RATES[w.country]))
    n = rng.randint(1, 8)
    items = []
    for i in range(n):
        q = Decimal(rng.choice([1, 2, 3, 5, 10, 12, 20, 25, 50]))
        p = _r(Decimal(rng.randint(150, 90000)) / 100)
        items.append(
            {
                "position": i + 1,
                "description": rng.choice(PRODUCTS[w.lang]),
                "article_number": w.number("A-")[:8],
                "quantity": q,
                "unit": rng.choice(V["units"][w.lang]),
                "unit_price": p,
                "total": _r(q * p),
            }
        )
    sub = sum((it["total"] for it in items), Decimal(0))
    tax = _r(sub * rate / 100)
    total = sub + tax
    s = Sheet(w)
    extra = [f"{w.pick('tax_id')} {b_vat_print}"] if b_vat_print else []
    _letterhead(s, buyer, b_addr, extra)
    s.text(40, 165, w.pick("po_title"), size=18, bold=True)
    labelled_supplier = rng.random() < 0.6
    y = 200
    sup_lines = [supplier, *s_addr]
    attn = f"{w.pick('attn')} {contact}" if rng.random() < 0.6 else None
    if labelled_supplier:
        s.text(40, y, w.pick("supplier") + ":", bold=True)
        s.block(40, y + 14, sup_lines[:1] + ([attn] if attn else []) + sup_lines[1:])
    else:
        s.text(40, y - 12, f"{buyer} · {b_addr[0]} · {b_addr[1]}", size=7)
        s.block(40, y + 4, sup_lines[:1] + ([attn] if attn else []) + sup_lines[1:])
    if ship:
        s.text(330, y, w.pick("ship_to") + ":", bold=True)
        s.block(330, y + 14, [buyer, *ship])
    y = 300
    pairs = [(w.pick("po_number"), number), (w.pick("order_date"), w.date(order_date))]
    if deliv:
        pairs.append((w.pick("delivery_requested"), w.date(deliv)))
    y = s.kv(40, y, pairs, width=150) + 14
    heads = V["po_cols"][w.lang]
    cols = [
        (heads[0], 42, "l"),
        (heads[1], 70, "l"),
        (heads[2], 130, "l"),
        (heads[3], 360, "r"),
        (heads[4], 370, "l"),
        (heads[5], 470, "r"),
        (heads[6], 553, "r"),
    ]
    rows = [
        [
            str(it["position"]),
            it["article_number"],
            it["description"],
            w.qty(it["quantity"]),
            it["unit"],
            w.money(it["unit_price"]),
            w.money(it["total"]),
        ]
        for it in items
    ]
    y = s.table(y, cols, rows) + 6
    for label, value in (
        (w.pick("subtotal"), sub),
        (w.pick("tax").format(r=_rate_text(rate, w)), tax),
        (w.pick("total") + f" {w.currency}", total),
    ):
        s.text(380, y, label, bold=value is total)
        s.text(553, y, w.money(value), align="r", bold=value is total)
        y += 15
    terms = w.pick("terms_text") if rng.random() < 0.7 else None
    if terms:
        s.text(40, y + 20, f"{w.pick('terms')}: {terms}")
    truth = {
        "po_number": number,
        "order_date": order_date.isoformat(),
        "delivery_date_requested": deliv.isoformat() if deliv else None,
        "buyer": {"name": buyer, "address": ", ".join(b_addr), "contact": None, "tax_id": b_vat},
        "supplier": {
            "name": supplier,
            "address": ", ".join(s_addr),
            "contact": contact if attn else None,
            "tax_id": None,
        },
        "delivery_address": ", ".join([buyer, *ship]) if ship else None,
        "currency": w.currency,
        "language": w.lang,
        "line_items": [{k: (_f(v) if isinstance(v, Decimal) else v) for k, v in it.items()} for it in items],
        "subtotal": _f(sub),
        "tax_amount": _f(tax),
        "total": _f(total),
        "payment_terms": terms,
    }
    return s.finish(), truth


def _rate_text(rate: Decimal, w: World) -> str:
    t = format(rate.normalize(), "f")
    return t.replace(".", ",") if w.num_style not in ("en", "ch", "plain_dot") else t


# ------------------------------------------------------------------------------------ delivery note


def _delivery_note(w: World) -> tuple[bytes, dict[str, Any]]:
    rng = w.rng
    sender, recipient = w.company(), w.company()
    s_addr, r_addr = w.address(), w.address()
    number = w.number(rng.choice(["LS-", "DN-", "BL", ""]))
    order_no = w.number(rng.choice(["PO-", "4500", ""])) if rng.random() < 0.85 else None
    d = _day(rng)
    carrier = rng.choice(CARRIERS) if rng.random() < 0.8 else None
    tracking = (rng.choice(["1Z", "JD", "00"]) + str(rng.randint(10**11, 10**12 - 1))) if carrier else None
    with_ordered = rng.random() < 0.65
    n = rng.randint(1, 8)
    items = []
    partial_any = False
    for i in range(n):
        ordered = Decimal(rng.choice([1, 2, 4, 5, 10, 20, 24, 50]))
        delivered = ordered
        if with_ordered and rng.random() < 0.3:
            delivered = Decimal(rng.randint(0, int(ordered) - 1)) if ordered > 1 else ordered
            partial_any = partial_any or delivered < ordered
        items.append(
            {
                "position": i + 1,
                "description": rng.choice(PRODUCTS[w.lang]),
                "article_number": w.number("A-")[:8],
                "quantity_ordered": ordered if with_ordered else None,
                "quantity_delivered": delivered,
                "unit": rng.choice(V["units"][w.lang]),
            }
        )
    packages = rng.randint(1, 12) if rng.random() < 0.7 else None
    weight_kg = Decimal(rng.randint(5, 4000)) / 10 if rng.random() < 0.7 else None
    in_lbs = weight_kg is not None and w.country == "US"
    flag = True if partial_any and rng.random() < 0.8 else (False if rng.random() < 0.3 else None)
    seq = f"{rng.randint(1, 2)}/{rng.randint(2, 3)}" if flag else None
    s = Sheet(w)
    _letterhead(s, sender, s_addr, [])
    s.text(40, 165, w.pick("dn_title"), size=18, bold=True)
    y = 200
    if rng.random() < 0.6:
        s.text(40, y, w.pick("recipient") + ":", bold=True)
        s.block(40, y + 14, [recipient, *r_addr])
    else:
        s.text(40, y - 12, f"{sender} - {s_addr[0]} - {s_addr[1]}", size=7)
        s.block(40, y + 4, [recipient, *r_addr])
    pairs = [(w.pick("dn_number"), number), (w.pick("dn_date"), w.date(d))]
    if order_no:
        pairs.append((w.pick("dn_order"), order_no))
    if carrier:
        pairs.append((w.pick("carrier"), carrier))
        pairs.append((w.pick("tracking"), tracking or ""))
    s.kv(320, 200, pairs, width=110)
    y = 320
    heads = V["dn_cols"][w.lang]
    if with_ordered:
        cols = [
            (heads[0], 42, "l"),
            (heads[1], 70, "l"),
            (heads[2], 140, "l"),
            (heads[3], 420, "r"),
            (heads[4], 490, "r"),
            (heads[5], 505, "l"),
        ]
        rows = [
            [
                str(it["position"]),
                it["article_number"],
                it["description"],
                w.qty(it["quantity_ordered"]),
                w.qty(it["quantity_delivered"]),
                it["unit"],
            ]
            for it in items
        ]
    else:
        cols = [
            (heads[0], 42, "l"),
            (heads[1], 70, "l"),
            (heads[2], 140, "l"),
            (w.pick("dn_qty_only"), 470, "r"),
            (heads[5], 485, "l"),
        ]
        rows = [
            [
                str(it["position"]),
                it["article_number"],
                it["description"],
                w.qty(it["quantity_delivered"]),
                it["unit"],
            ]
            for it in items
        ]
    y = s.table(y, cols, rows) + 10
    foot = []
    if packages is not None:
        foot.append((w.pick("packages"), str(packages)))
    if weight_kg is not None:
        shown = _r(weight_kg / Decimal("0.45359237")) if in_lbs else weight_kg
        foot.append((w.pick("weight"), f"{w.qty(shown)} {'lbs' if in_lbs else 'kg'}"))
    y = s.kv(40, y, foot, width=130) + 8
    if flag is not None:
        s.text(
            40,
            y,
            (w.pick("partial") if flag else w.pick("complete"))
            + (f" - {w.pick('shipment')} {seq}" if seq else ""),
            bold=True,
        )
    truth_weight = None
    if weight_kg is not None:
        truth_weight = (
            float(_r(_r(weight_kg / Decimal("0.45359237")) * Decimal("0.45359237")))
            if in_lbs
            else float(weight_kg)
        )
    truth = {
        "delivery_note_number": number,
        "order_number": order_no,
        "delivery_date": d.isoformat(),
        "sender": {"name": sender, "address": ", ".join(s_addr), "contact": None},
        "recipient": {"name": recipient, "address": ", ".join(r_addr), "contact": None},
        "carrier": carrier,
        "tracking_number": tracking,
        "language": w.lang,
        "items": [{k: (_f(v) if isinstance(v, Decimal) else v) for k, v in it.items()} for it in items],
        "total_packages": packages,
        "total_weight_kg": truth_weight,
        "is_partial_delivery": flag,
        "delivery_sequence": seq,
    }
    return s.finish(), truth


# ------------------------------------------------------------------------------------------- receipt


def _receipt(w: World) -> tuple[bytes, dict[str, Any]]:
    rng = w.rng
    name = rng.choice(["Markt", "Bio", "Corner", "Fresh", "City"]) + " " + rng.choice(STEMS)
    addr = w.address()
    phone = f"{rng.randint(10, 99)} {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}"
    vat, vat_print = make_vat_id(rng, w.country) if w.country != "US" else (None, None)
    rates = [Decimal(r) for r in TAX_RATES[w.country][:2]]
    n = rng.randint(1, 9)
    items = []
    for _ in range(n):
        q = Decimal(rng.choice([1, 1, 1, 2, 3]))
        p = _r(Decimal(rng.randint(39, 1299)) / 100)
        items.append(
            {
                "description": rng.choice(GROCERIES[w.lang]),
                "quantity": q,
                "unit_price": p,
                "total": _r(q * p),
                "tax_rate": rng.choice(rates),
            }
        )
    total = sum((it["total"] for it in items), Decimal(0))
    breakdown = []
    for rate in rates:
        gross = sum((it["total"] for it in items if it["tax_rate"] == rate), Decimal(0))
        if gross:
            net = _r(gross / (1 + rate / 100))
            breakdown.append({"rate": rate, "net_amount": net, "tax_amount": gross - net})
    tax = sum((b["tax_amount"] for b in breakdown), Decimal(0))
    d = _day(rng)
    t = f"{rng.randint(7, 21):02d}:{rng.randint(0, 59):02d}"
    number = str(rng.randint(1000, 999999))
    cashier = (
        rng.choice(["Anna", "Mehmet", "Julie", "Pablo", "Sanne", "Kasse 2"]) if rng.random() < 0.7 else None
    )
    pay_card = rng.random() < 0.5
    last4 = f"{rng.randint(0, 9999):04d}" if pay_card else None
    height = 420 + 16 * n + 40 * len(breakdown)
    s = Sheet(w, width=240, height=height, family=rng.choice(["cour", "helv"]))
    s.size = 8
    y = 30
    s.text(120, y, name, size=12, bold=True, align="c")
    y += 16
    for line in [*addr, f"Tel. {phone}"] + ([f"{w.pick('tax_id')} {vat_print}"] if vat_print else []):
        s.text(120, y, line, align="c")
        y += 11
    y += 8
    if rng.random() < 0.5:
        s.text(12, y, f"{w.date(d)} {t}")
    else:
        s.text(12, y, w.date(d))
        s.text(228, y, t, align="r")
    y += 11
    s.text(12, y, f"{w.pick('rc_number')} {number}")
    y += 16
    codes = {rate: chr(65 + i) for i, rate in enumerate(rates)}
    for it in items:
        if it["quantity"] != 1:
            s.text(20, y, f"{w.qty(it['quantity'])} x {w.money(it['unit_price'])}")
            y += 11
        s.text(12, y, it["description"])
        s.text(215, y, w.money(it["total"]), align="r")
        s.text(228, y, codes[it["tax_rate"]], align="r")
        y += 11
    s.c.hline(12, 228, y - 6)
    y += 6
    s.text(12, y, w.pick("rc_total"), size=10, bold=True)
    show_currency = rng.random() < 0.5
    s.text(
        228,
        y,
        f"{w.money(total)} {w.currency}" if show_currency else w.money(total),
        size=10,
        bold=True,
        align="r",
    )
    y += 16
    if pay_card:
        method = w.pick("rc_card")
        s.text(12, y, method)
        s.text(228, y, w.money(total), align="r")
        y += 11
        s.text(12, y, f"**** **** **** {last4}")
        y += 14
    else:
        given = _r((total / 10).to_integral_value(rounding="ROUND_CEILING") * 10)
        s.text(12, y, w.pick("rc_cash"))
        s.text(228, y, w.money(given), align="r")
        y += 11
        s.text(12, y, w.pick("rc_change"))
        s.text(228, y, w.money(given - total), align="r")
        y += 14
    heads = V["rc_tax_head"][w.lang]
    for head, x in zip(heads, (12, 110, 165, 228), strict=True):
        s.text(x, y, head, align="l" if x == 12 else "r")
    y += 11
    for b in breakdown:
        s.text(12, y, f"{codes[b['rate']]} {_rate_text(b['rate'], w)}%")
        for v, x in (
            (b["net_amount"], 110),
            (b["tax_amount"], 165),
            (b["net_amount"] + b["tax_amount"], 228),
        ):
            s.text(x, y, w.money(v), align="r")
        y += 11
    y += 8
    if cashier:
        s.text(12, y, f"{w.pick('rc_cashier')}: {cashier}")
        y += 14
    s.text(120, y, w.pick("rc_thanks"), align="c")
    method_truth = None
    if pay_card:
        method_truth = (
            "debit_card"
            if method in ("EC-Karte", "Girocard", "Pin", "Maestro", "CB", "Carte bancaire")
            else "credit_card"
            if method in ("VISA", "Mastercard")
            else None
        )
    else:
        method_truth = "cash"
    truth = {
        "merchant": {"name": name, "address": ", ".join(addr), "phone": phone, "tax_id": vat},
        "receipt_number": number,
        "date": d.isoformat(),
        "time": t,
        "currency": w.currency if show_currency else None,
        "language": w.lang,
        "items": [
            {
                k: None
                if k in ("quantity", "unit_price") and it["quantity"] == 1
                else _f(v)
                if isinstance(v, Decimal)
                else v
                for k, v in it.items()
            }
            for it in items
        ],
        "subtotal": None,
        "tax_breakdown": [{k: _f(v) for k, v in b.items()} for b in breakdown],
        "tax_amount": _f(tax),
        "total": _f(total),
        "payment_method": method_truth,
        "card_last_four": last4,
        "cashier": cashier,
    }
    return s.finish(), truth


# ------------------------------------------------------------------------------------ bank statement


def _bank_statement(w: World) -> tuple[bytes, dict[str, Any]]:
    rng = w.rng
    bank = rng.choice(BANKS[w.country])
    holder = rng.choice(PEOPLE) if rng.random() < 0.6 else w.company()
    iban = make_iban(rng, w.country) if w.country not in ("US",) else None
    bic = make_bic(rng, w.country)
    acct = None if iban else str(rng.randint(10**8, 10**10))
    start = date(2024, rng.randint(1, 12), 1)
    end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    opening = _r(Decimal(rng.randint(-50000, 900000)) / 100)
    n = rng.randint(3, 30)
    days = sorted(rng.randint(0, (end - start).days) for _ in range(n))
    bal = opening
    tx = []
    for k in days:
        credit = rng.random() < 0.35
        amt = _r(Decimal(rng.randint(500, 350000)) / 100) * (1 if credit else -1)
        bal += amt
        d = start + timedelta(days=k)
        vd = d + timedelta(days=rng.choice([0, 0, 1, 2]))
        tx.append(
            {
                "date": d,
                "value_date": vd,
                "description": rng.choice(V["bs_purposes"][w.lang]),
                "amount": amt,
                "balance": bal,
            }
        )
    s = Sheet(w)
    s.text(40, 50, bank, size=15, bold=True)
    s.text(555, 50, w.pick("bs_title"), size=16, bold=True, align="r")
    s.text(40, 95, w.pick("bs_holder") + ":", bold=True)
    holder_addr = w.address()
    s.block(40, 109, [holder, *holder_addr])
    join = w.pick("bs_period_join")
    pairs = [(w.pick("bs_period"), f"{w.date(start)} {join} {w.date(end)}"), (w.pick("bs_date"), w.date(end))]
    pairs += [("IBAN", format_iban(iban, True))] if iban else [("Account No.", acct or "")]
    pairs += [("BIC", bic)]
    s.kv(270, 95, pairs, width=95)
    y = 190
    s.text(40, y, w.pick("bs_opening"))
    s.text(553, y, w.money(opening), align="r")
    y += 24
    heads = V["bs_cols"][w.lang]
    split = rng.random() < 0.5
    with_value = rng.random() < 0.6
    cols = [(heads[0], 42, "l")] + ([(heads[1], 100, "l")] if with_value else [])
    cols += [(heads[2], 160, "l")]
    if split:
        cols += [(heads[3], 410, "r"), (heads[4], 475, "r")]
    else:
        cols += [(w.pick("bs_amount"), 460, "r")]
    cols += [(heads[5], 553, "r")]
    rows = []
    for t in tx:
        row = [w.date(t["date"]) if w.date_style != "long" else t["date"].strftime("%d.%m.%Y")]
        if with_value:
            row.append(
                w.date(t["value_date"]) if w.date_style != "long" else t["value_date"].strftime("%d.%m.%Y")
            )
        row.append(t["description"])
        if split:
            row += [w.money(-t["amount"]), ""] if t["amount"] < 0 else ["", w.money(t["amount"])]
        else:
            row.append(w.money(t["amount"]) if t["amount"] < 0 else "+" + w.money(t["amount"]))
        row.append(w.money(t["balance"]))
        rows.append(row)
    y = s.table(y, cols, rows) + 6
    s.text(40, y, w.pick("bs_closing"), bold=True)
    s.text(553, y, w.money(bal), align="r", bold=True)
    truth = {
        "account_holder": holder,
        "account_number": acct,
        "iban": iban,
        "bic": bic,
        "bank_name": bank,
        "statement_date": end.isoformat(),
        "period_from": start.isoformat(),
        "period_to": end.isoformat(),
        "currency": None,
        "language": w.lang,
        "opening_balance": _f(opening),
        "closing_balance": _f(bal),
        "transactions": [
            {
                "date": t["date"].isoformat(),
                "value_date": t["value_date"].isoformat() if with_value else None,
                "description": t["description"],
                "reference": None,
                "amount": _f(t["amount"]),
                "type": "credit" if t["amount"] > 0 else "debit",
                "balance": _f(t["balance"]),
            }
            for t in tx
        ],
    }
    return s.finish(), truth


# ------------------------------------------------------------------------------------------ payslip


def _payslip(w: World) -> tuple[bytes, dict[str, Any]]:
    rng = w.rng
    employer = w.company()
    e_addr = w.address()
    employee = rng.choice(PEOPLE)
    emp_no = str(rng.randint(1000, 99999))
    ssn = (
        f"{rng.randint(10, 99)} {rng.randint(100000, 999999)} {rng.choice('ABCDEFGH')}{rng.randint(100, 999)}"
    )
    iban = make_iban(rng, w.country) if w.country != "US" else None
    start = date(2024, rng.randint(1, 12), 1)
    end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    pay = end - timedelta(days=rng.choice([0, 1, 2]))
    names = V["ps_earn_items"][w.lang]
    earnings = [(names[0], _r(Decimal(rng.randint(200000, 700000)) / 100))]
    for extra in rng.sample(names[1:], rng.randint(0, 2)):
        earnings.append((extra, _r(Decimal(rng.randint(5000, 60000)) / 100)))
    gross = sum((a for _, a in earnings), Decimal(0))
    tax = _r(gross * Decimal(rng.randint(8, 25)) / 100)
    ss_items = rng.sample(V["ps_ss_items"][w.lang], min(2, len(V["ps_ss_items"][w.lang])))
    ss = [(n_, _r(gross * Decimal(rng.randint(20, 95)) / 1000)) for n_ in ss_items]
    deductions = [(w.pick("ps_tax_item"), tax), *ss]
    total_ded = sum((a for _, a in deductions), Decimal(0))
    net = gross - total_ded
    s = Sheet(w)
    _letterhead(s, employer, e_addr, [])
    s.text(40, 150, w.pick("ps_title"), size=18, bold=True)
    pairs = [
        (w.pick("ps_employee"), employee),
        (w.pick("ps_number"), emp_no),
        (w.pick("ps_ssn"), ssn),
        (w.pick("ps_period"), f"{w.date(start)} - {w.date(end)}"),
        (w.pick("ps_paydate"), w.date(pay)),
    ]
    if iban:
        pairs.append(("IBAN", format_iban(iban, True)))
    y = s.kv(40, 185, pairs, width=150) + 16
    amount_head = w.pick("ps_amount")
    y = s.table(
        y, [(w.pick("ps_earnings"), 42, "l"), (amount_head, 553, "r")], [[d, w.money(a)] for d, a in earnings]
    )
    s.text(40, y, w.pick("ps_gross"), bold=True)
    s.text(553, y, w.money(gross), align="r", bold=True)
    y += 28
    y = s.table(
        y,
        [(w.pick("ps_deductions"), 42, "l"), (amount_head, 553, "r")],
        [[d, w.money(a)] for d, a in deductions],
    )
    s.text(40, y, w.pick("ps_total_ded"))
    s.text(553, y, w.money(total_ded), align="r")
    y += 22
    s.text(40, y, w.pick("ps_net"), size=11, bold=True)
    s.text(553, y, f"{w.money(net)} {w.currency}", size=11, bold=True, align="r")
    truth = {
        "employer": {"name": employer, "address": ", ".join(e_addr), "tax_id": None},
        "employee": {
            "name": employee,
            "employee_number": emp_no,
            "tax_id": None,
            "social_security_number": ssn,
            "iban": iban,
        },
        "period_from": start.isoformat(),
        "period_to": end.isoformat(),
        "payment_date": pay.isoformat(),
        "currency": w.currency,
        "language": w.lang,
        "earnings": [{"description": d, "amount": _f(a)} for d, a in earnings],
        "deductions": [{"description": d, "amount": _f(a)} for d, a in deductions],
        "gross_salary": _f(gross),
        "net_salary": _f(net),
        "tax_amount": _f(tax),
        "social_security_amount": _f(sum((a for _, a in ss), Decimal(0))),
    }
    return s.finish(), truth


_DRAW = {
    "receipt": _receipt,
    "purchase_order": _purchase_order,
    "delivery_note": _delivery_note,
    "bank_statement": _bank_statement,
    "payslip": _payslip,
}


def generate(doc_type: str, seed: int, index: int) -> SynthDoc:
    """One document of `doc_type` with its truth; the same arguments give the same bytes."""
    rng = random.Random(f"{doc_type}:{seed}:{index}")
    w = _world(rng, index)
    pdf, truth = _DRAW[doc_type](w)
    truth = {"document_type": doc_type, **truth}
    return SynthDoc(f"{doc_type}-{seed}-{index:04d}", pdf, truth)


def write_set(folder: Path, doc_types: tuple[str, ...], count: int, seed: int) -> list[Path]:
    """`count` documents of each type as `<id>.pdf` + `<id>.truth.json` in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for doc_type in doc_types:
        for i in range(count):
            d = generate(doc_type, seed, i)
            path = folder / f"{d.id}.pdf"
            path.write_bytes(d.pdf)
            (folder / f"{d.id}.truth.json").write_text(json.dumps(d.truth, indent=1, ensure_ascii=False))
            out.append(path)
    return out

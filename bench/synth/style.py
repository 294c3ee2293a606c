"""How one generated invoice is printed: the random choices of layout, typography and formats.

Choices are drawn once per document from the seed, so a document is consistent with itself (one
date style, one number style), as real invoices are, while the set as a whole covers every style.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from bench.synth.content import InvoiceData
from bench.synth.locales import DATE_STYLES, LABELS, NUMBER_STYLES, format_date, format_money, format_number

LAYOUTS = ("classic", "modern", "twocol", "norules", "boxed", "erp")

# columns each layout may print (desc is always there); optional ones are dropped at random
LAYOUT_COLUMNS: dict[str, tuple[list[str], list[str]]] = {
    "classic": (["pos", "desc", "qty", "unit", "price", "amount"], ["pos", "unit"]),
    "modern": (["desc", "qty", "price", "amount"], []),
    "twocol": (["code", "desc", "qty", "price", "vat", "amount"], ["code", "vat"]),
    "norules": (["desc", "qty", "unit", "price", "amount"], ["unit"]),
    "boxed": (["pos", "desc", "qty", "price", "amount"], ["pos"]),
    "erp": (["pos", "code", "desc", "qty", "unit", "price", "disc", "vat", "amount"], []),
}
RULES = {
    "classic": "grid",
    "modern": "header_line",
    "twocol": "header_fill",
    "norules": "none",
    "boxed": "zebra",
    "erp": "header_line",
}


@dataclass(slots=True)
class Style:
    layout: str
    family: str
    size: float
    num: str
    nbsp: bool
    date_style: str
    money: str  # currency placement in totals
    col_money: str  # currency placement in the table
    iban_grouped: bool
    page_w: float
    page_h: float
    cols: list[str]
    rules: str
    carry: bool
    colon: bool
    rate_space: bool
    labels: dict[str, str] = field(default_factory=dict)

    def amount(self, inv: InvoiceData, value: Decimal, table: bool = False) -> str:
        return format_money(value, inv.currency, self.num, self.col_money if table else self.money, self.nbsp)

    def number(self, value: Decimal, decimals: int = 2) -> str:
        return format_number(value, self.num, decimals, self.nbsp)

    def date(self, inv: InvoiceData, d: date) -> str:
        return format_date(d, self.date_style, inv.lang)

    def rate(self, r: Decimal) -> str:
        text = format_number(r, self.num, 0 if r == r.to_integral_value() else 1)
        return text + (" %" if self.rate_space else "%")

    def label(self, key: str) -> str:
        return self.labels[key] + (":" if self.colon and not self.labels[key].endswith(":") else "")


def choose_style(rng: random.Random, inv: InvoiceData, layout: str) -> Style:
    lang = inv.lang
    if inv.country == "CH":
        num = rng.choice(["ch", "ch", "de" if lang != "en" else "en"])
    else:
        num = rng.choice([s for s, langs in NUMBER_STYLES.items() if lang in langs and s != "ch"])
        if num.startswith("plain") and rng.random() < 0.5:
            num = "en" if lang == "en" else "de"
    date_styles = [s for s, langs in DATE_STYLES.items() if lang in langs]
    if lang == "en":
        us = inv.country == "US"
        date_styles = [
            s for s in date_styles if (s in ("mdy", "long_us") if us else s not in ("mdy", "long_us"))
        ]
        date_styles += ["iso"] if us else []
    base_cols, optional = LAYOUT_COLUMNS[layout]
    cols = [c for c in base_cols if c not in optional or rng.random() < 0.6]
    if layout == "twocol" and len({i.tax_rate for i in inv.items}) > 1 and "vat" not in cols:
        cols.insert(cols.index("amount"), "vat")
    money = rng.choice(["sym_before", "sym_after", "code_before", "code_after", "none"])
    letter = inv.country == "US"
    labels = {key: rng.choice(variants[lang]) for key, variants in LABELS.items()}
    return Style(
        layout=layout,
        family="cour" if layout == "erp" else rng.choice(["helv", "helv", "tiro", "cour"]),
        size=rng.choice([7.5, 8.0]) if layout == "erp" else rng.choice([8.0, 8.5, 9.0, 9.5, 10.0]),
        num=num,
        nbsp=rng.random() < 0.5,
        date_style=rng.choice(date_styles),
        money=money,
        col_money="none" if rng.random() < 0.75 or money == "none" else money,
        iban_grouped=rng.random() < 0.6,
        page_w=612.0 if letter else 595.0,
        page_h=792.0 if letter else 842.0,
        cols=cols,
        rules=RULES[layout],
        carry=layout == "erp" or rng.random() < 0.5,
        colon=layout in ("norules", "erp") or rng.random() < 0.4,
        rate_space=lang in ("de", "fr") or rng.random() < 0.3,
        labels=labels,
    )
